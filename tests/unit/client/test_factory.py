"""The one boto3 SWF client factory: settings shared by every client, loopback endpoints without
AWS configuration, and clear errors for what is missing."""

from __future__ import annotations

from pathlib import Path

import pytest

import pyflow
from pyflow._client import default_client, swf_client
from pyflow._client._factory import POLL_READ_TIMEOUT


@pytest.fixture(autouse=True)
def no_aws(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SWF",
                 "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID",
                 "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "PYFLOW_DOMAIN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def test_loopback_endpoint_needs_no_region_or_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_SWF", "http://127.0.0.1:1")
    client = pyflow.Client()
    assert client.swf.meta.region_name == "us-east-1"
    assert client.endpoint == "http://127.0.0.1:1"
    assert client.domain == "pyflow"


def test_every_client_has_standard_retries_and_a_read_timeout_above_the_long_poll() -> None:
    client = swf_client(endpoint_url="http://localhost:1", max_attempts=3, connect_timeout=2)
    config = client.meta.config
    assert config.read_timeout == POLL_READ_TIMEOUT > 60
    assert config.retries["mode"] == "standard"
    assert config.retries["total_max_attempts"] == 4  # the first attempt and three retries
    assert config.connect_timeout == 2


def test_no_region_against_aws_is_a_configuration_error_with_a_hint() -> None:
    with pytest.raises(pyflow.ConfigurationError, match="no AWS region configured") as caught:
        swf_client()
    assert caught.value.hint is not None and "AWS_REGION" in caught.value.hint


def test_no_credentials_against_aws_is_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    with pytest.raises(pyflow.ConfigurationError, match="no AWS credentials found"):
        swf_client()


def test_endpoint_without_a_scheme_is_refused() -> None:
    with pytest.raises(pyflow.ConfigurationError, match="not an http:// or https:// URL"):
        swf_client(endpoint_url="127.0.0.1:8765")


def test_unknown_profile_is_a_configuration_error() -> None:
    with pytest.raises(pyflow.ConfigurationError, match=r"profile \(nope\) could not be found"):
        swf_client(profile="nope")


def test_default_client_is_built_once_per_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_SWF", "http://127.0.0.1:1")
    first = default_client()
    assert default_client() is first
    monkeypatch.setenv("AWS_ENDPOINT_URL_SWF", "http://127.0.0.1:2")
    second = default_client()
    assert second is not first and second.meta.endpoint_url == "http://127.0.0.1:2"


def test_domain_comes_from_the_argument_then_pyflow_domain(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_SWF", "http://127.0.0.1:1")
    monkeypatch.setenv("PYFLOW_DOMAIN", "from-env")
    assert pyflow.Client().domain == "from-env"
    assert pyflow.Client(domain="given").domain == "given"


def test_start_needs_a_workflow_or_a_name_and_version(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_SWF", "http://127.0.0.1:1")
    with pytest.raises(pyflow.ArgumentTypeError, match="version="):
        pyflow.Client().start("OnlyAName")
