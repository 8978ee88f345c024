"""The payload store a process's environment configures: PYFLOW_PAYLOAD_BUCKET (with
PYFLOW_PAYLOAD_PREFIX) for S3, or PYFLOW_PAYLOAD_DIR for a directory on this machine."""

from __future__ import annotations

import os
from collections.abc import Mapping

from .._exceptions import ConfigurationError
from ._local import LocalPayloadStore
from ._s3 import DEFAULT_PREFIX, S3PayloadStore
from ._store import PayloadStore


def store_from_environment(environ: Mapping[str, str] | None = None) -> PayloadStore | None:
    """The store the environment names, or None when it names none."""
    env = os.environ if environ is None else environ
    bucket = env.get("PYFLOW_PAYLOAD_BUCKET", "").strip()
    directory = env.get("PYFLOW_PAYLOAD_DIR", "").strip()
    if bucket and directory:
        raise ConfigurationError(
            "both PYFLOW_PAYLOAD_BUCKET and PYFLOW_PAYLOAD_DIR are set",
            hint="set one: the bucket on AWS, the directory for `pyflow local serve`",
        )
    if bucket:
        return S3PayloadStore(bucket, env.get("PYFLOW_PAYLOAD_PREFIX", DEFAULT_PREFIX))
    if directory:
        return LocalPayloadStore(directory)
    return None
