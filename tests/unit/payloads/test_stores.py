"""The payload stores: content-addressed references for payloads SWF cannot carry (S3 through
moto, and the local store in memory and in a directory)."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

import pyflow
from pyflow._payloads import is_reference, parse_reference

BIG = json.dumps({"data": "x" * 100_000})


@pytest.fixture
def s3_store() -> pyflow.S3PayloadStore:
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket="payloads")
        yield pyflow.S3PayloadStore("payloads", "pyflow/", client=client)


def test_s3_keeps_long_payloads_under_their_sha256_and_reads_them_back(
    s3_store: pyflow.S3PayloadStore,
) -> None:
    ref = s3_store.offload(BIG)
    assert is_reference(ref) and len(ref) < 300
    parsed = parse_reference(ref)
    assert parsed is not None
    keys = [o["Key"] for o in s3_store.client.list_objects_v2(Bucket="payloads")["Contents"]]
    assert keys == [f"pyflow/{parsed.sha256}"]
    assert s3_store.offload(BIG) == ref  # content-addressed: the same payload, the same key
    assert s3_store.resolve(ref) == BIG
    assert s3_store.offload('"short"') == '"short"'  # under the threshold: left in SWF


def test_a_tampered_or_missing_object_is_an_error_naming_the_payload(
    s3_store: pyflow.S3PayloadStore,
) -> None:
    ref = s3_store.offload(BIG)
    parsed = parse_reference(ref)
    assert parsed is not None
    s3_store.client.put_object(Bucket="payloads", Key=f"pyflow/{parsed.sha256}", Body=b"{}")
    fresh = pyflow.S3PayloadStore("payloads", "pyflow/", client=s3_store.client)
    with pytest.raises(pyflow.PayloadStoreError):
        fresh.resolve(ref)
    s3_store.client.delete_object(Bucket="payloads", Key=f"pyflow/{parsed.sha256}")
    with pytest.raises(pyflow.PayloadStoreError) as missing:
        pyflow.S3PayloadStore("payloads", "pyflow/", client=s3_store.client).resolve(ref)
    assert missing.value.missing


def test_the_local_store_in_a_directory_survives_a_new_store_object(tmp_path: Path) -> None:
    ref = pyflow.LocalPayloadStore(tmp_path).offload(BIG)
    assert pyflow.LocalPayloadStore(tmp_path).resolve(ref) == BIG
    memory = pyflow.LocalPayloadStore()
    assert memory.resolve(memory.offload(BIG)) == BIG


@pytest.mark.parametrize("bucket", ["", "s3://b", "a/b"])
def test_a_bad_bucket_name_is_refused_naming_it(bucket: str) -> None:
    with pytest.raises(pyflow.InvalidArgumentError, match="bucket must be an S3 bucket name"):
        pyflow.S3PayloadStore(bucket)
