"""Fixtures: an in-process moto SWF (no network) with fake credentials."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

DOMAIN = "test-domain"



@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake credentials and no endpoint override, so nothing can reach a real account."""
    for var in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SWF", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")


@pytest.fixture
def moto_swf(aws_env: None) -> Iterator[Any]:
    """A boto3 SWF client answered by moto in-process, with the test domain registered."""
    with mock_aws():
        client = boto3.client("swf", region_name="us-east-1")
        client.register_domain(name=DOMAIN, workflowExecutionRetentionPeriodInDays="1")
        yield client
