"""`S3PayloadStore`: payloads as S3 objects under a prefix, keyed by their sha256.

S3 because it is where AWS users already keep data SWF cannot carry: one boto3 call each
way, no size limit that matters here, encryption and lifecycle rules set on the bucket
(the CDK stack does), and IAM grants that can be narrowed to the prefix. Content-addressed
keys make writes idempotent, so a retried or repeated offload never needs a read first.
"""

from __future__ import annotations

import threading
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from .._exceptions import InvalidArgumentError, PayloadStoreError
from ._store import DEFAULT_THRESHOLD, PayloadStore

DEFAULT_PREFIX = "pyflow/payloads/"
_MISSING = {"NoSuchKey", "404", "NotFound"}


class S3PayloadStore(PayloadStore):
    """Payloads over `threshold` characters as objects `<prefix><sha256>` in `bucket`.

    `client` is a boto3 S3 client (default: one for the current AWS environment, made on
    first use, so building the store needs no credentials). The bucket's own settings
    (default encryption, lifecycle expiry) apply to every object; pyflow never deletes one,
    so keep objects at least as long as SWF keeps the histories that refer to them.
    """

    def __init__(
        self,
        bucket: str,
        prefix: str = DEFAULT_PREFIX,
        *,
        threshold: int = DEFAULT_THRESHOLD,
        client: Any = None,
    ) -> None:
        super().__init__(threshold=threshold)
        if not isinstance(bucket, str) or not bucket or "/" in bucket:
            raise InvalidArgumentError(
                f"bucket must be an S3 bucket name (no 's3://' or '/'), not {bucket!r}"
            )
        if not isinstance(prefix, str):
            raise InvalidArgumentError(f"prefix must be a string, not {prefix!r}")
        self.bucket = bucket
        self.prefix = prefix
        self._client = client
        self._client_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"pyflow.S3PayloadStore(s3://{self.bucket}/{self.prefix})"

    @property
    def client(self) -> Any:
        """The boto3 S3 client (made on first use unless one was given)."""
        with self._client_lock:
            if self._client is None:
                self._client = boto3.client("s3")
            return self._client

    def _key(self, sha256: str) -> str:
        return f"{self.prefix}{sha256}"

    def _write(self, key: str, data: bytes) -> bool:
        try:
            self.client.put_object(
                Bucket=self.bucket, Key=key, Body=data, ContentType="application/json"
            )
        except (ClientError, BotoCoreError) as exc:
            raise PayloadStoreError(
                f"cannot write payload s3://{self.bucket}/{key}: {exc} (does the role allow "
                f"s3:PutObject on the bucket's {self.prefix!r} prefix?)"
            ) from exc
        return True

    def _read(self, key: str) -> bytes:
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
            data: bytes = body.read()
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code in _MISSING:
                raise PayloadStoreError(
                    f"payload s3://{self.bucket}/{key} does not exist (expired by a lifecycle "
                    "rule, deleted, or another bucket or prefix)",
                    missing=True,
                ) from exc
            raise PayloadStoreError(f"cannot read payload s3://{self.bucket}/{key}: {exc}") from exc
        except BotoCoreError as exc:
            raise PayloadStoreError(f"cannot read payload s3://{self.bucket}/{key}: {exc}") from exc
        return data
