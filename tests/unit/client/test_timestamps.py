"""The factory's timestamp parser gives exactly what botocore's gives (the same instant, zone
class, offset, fold and text), in zones with and without DST, for every kind of value."""

from __future__ import annotations

import datetime
import json
import os
import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.utils import parse_timestamp as botocore_parse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pyflow._client import _timestamps, swf_client
from pyflow._client._timestamps import parse_timestamp

ZONES = ["UTC", "Asia/Kolkata", "Etc/GMT+5", "Europe/Paris", "America/New_York"]
EPOCHS = st.one_of(
    st.floats(min_value=-3e10, max_value=3e11, allow_nan=False),
    st.integers(min_value=-(2**35), max_value=2**38),
)
ODD = [True, "1764688800.5", "2024-01-01T00:00:00Z", "2024-01-01T00:00:00",
       "2024-01-01T00:00:00+02:00", "Mon, 01 Jan 2024 00:00:00 GMT", 1e20, float("inf"), "soon"]


@pytest.fixture(params=ZONES)
def zone(request: pytest.FixtureRequest) -> Iterator[str]:
    before = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    yield request.param
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def _described(parse: Any, value: Any) -> Any:
    """All a caller can see of a parsed value (not `==`, which is False between two of
    botocore's own results for a wall time that a DST change repeats)."""
    try:
        got = parse(value)
    except Exception as exc:  # noqa: BLE001 - the same failure is part of the contract
        return ("raises", type(exc))
    return (repr(got), got.isoformat(), got.fold, type(got.tzinfo), got.utcoffset(),
            got.timestamp())


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # the zone holds
@given(value=EPOCHS)
def test_epoch_seconds_parse_as_botocore_parses_them(zone: str, value: float) -> None:
    assert _described(parse_timestamp, value) == _described(botocore_parse, value)


@pytest.mark.parametrize("value", ODD)
def test_other_values_parse_or_fail_as_botocore_does(zone: str, value: Any) -> None:
    assert _described(parse_timestamp, value) == _described(botocore_parse, value)


def _answered(client: Any, body: dict[str, Any]) -> Any:
    def send(request: Any, **_: Any) -> AWSResponse:
        raw = json.dumps(body).encode()
        return AWSResponse(request.url, 200, {"Content-Type": "application/x-amz-json-1.0"},
                           _Raw(raw))

    client.meta.events.register("before-send.swf", send)
    return client.get_workflow_execution_history(
        domain="d", execution={"workflowId": "w", "runId": "r"})


class _Raw:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.body


def test_factory_clients_parse_history_timestamps_with_it(
    zone: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    looked_up: list[object] = []
    zone_of = _timestamps._local_zone
    monkeypatch.setattr(_timestamps, "_local_zone", lambda: looked_up.append(1) or zone_of())
    stamps = [0, 1764688800.123456, 1764688800.9999996, 2**31 + 0.5]
    body = {"events": [{"eventId": i + 1, "eventType": "WorkflowExecutionSignaled",
                        "eventTimestamp": stamp} for i, stamp in enumerate(stamps)]}
    ours = swf_client(endpoint_url="http://127.0.0.1:1")
    plain = boto3.session.Session(aws_access_key_id="k", aws_secret_access_key="s").client(
        "swf", region_name="us-east-1", endpoint_url="http://127.0.0.1:1")
    got, expected = _answered(ours, body)["events"], _answered(plain, body)["events"]
    assert len(looked_up) == len(stamps)  # through pyflow's parser, and botocore's not
    assert [_described(lambda e: e["eventTimestamp"], e) for e in got] == [
        _described(lambda e: e["eventTimestamp"], e) for e in expected]
    assert all(isinstance(e["eventTimestamp"], datetime.datetime) for e in got)
