"""`pyflow local serve`'s HTTP front end against malformed and hostile clients: each gets a
prompt 4xx/5xx in SWF's error shape, and the server keeps answering well-formed requests."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator

import boto3
import pytest

from pyflow.local import LocalSWF, _server
from pyflow.local._server import MAX_REQUEST, serve

TARGET = "X-Amz-Target: SimpleWorkflowService.ListDomains\r\n"


@pytest.fixture
def address(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, int]]:
    monkeypatch.setattr(_server._Handler, "timeout", 1.0)
    with LocalSWF() as engine, serve(engine) as server:
        host, port = server.url.removeprefix("http://").split(":")
        yield host, int(port)


def _exchange(address: tuple[str, int], raw: bytes, *, then: bytes = b"") -> tuple[int, dict]:
    with socket.create_connection(address, timeout=10) as sock:
        sock.sendall(raw)
        if then:
            try:
                sock.sendall(then)
            except OSError:
                pass  # the server may close before reading the rest: that is the point
        data = b""
        while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < _length(data):
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body or b"{}")


def _length(data: bytes) -> int:
    for line in data.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return int(line.split(b":")[1])
    return 0


def _request(length_header: str, body: bytes = b"{}") -> bytes:
    return (f"POST / HTTP/1.1\r\nHost: x\r\n{TARGET}{length_header}"
            "Content-Type: application/x-amz-json-1.0\r\n\r\n").encode() + body


def _still_serving(address: tuple[str, int]) -> None:
    client = boto3.client("swf", endpoint_url=f"http://{address[0]}:{address[1]}",
                          region_name="us-east-1", aws_access_key_id="x",
                          aws_secret_access_key="x")
    assert client.list_domains(registrationStatus="REGISTERED")["domainInfos"] == []


@pytest.mark.parametrize("header, says", [
    ("", "needs a Content-Length header"),
    ("Content-Length: -5\r\n", "whole number of bytes, not '-5'"),
    ("Content-Length: lots\r\n", "whole number of bytes, not 'lots'"),
])
def test_a_missing_negative_or_non_numeric_length_is_a_400(
    address: tuple[str, int], header: str, says: str
) -> None:
    status, body = _exchange(address, _request(header, b""))
    assert status == 400 and body["__type"].endswith("ValidationException")
    assert says in body["message"]
    _still_serving(address)


def test_a_body_over_swfs_one_megabyte_is_a_413_without_reading_it(
    address: tuple[str, int],
) -> None:
    huge = 50 * 1024 * 1024
    started = time.monotonic()
    status, body = _exchange(address, _request(f"Content-Length: {huge}\r\n", b""),
                             then=b"x" * (2 * MAX_REQUEST))
    assert status == 413 and f"at most {MAX_REQUEST}" in body["message"]
    assert time.monotonic() - started < 5
    _still_serving(address)


def test_a_client_that_stalls_mid_body_is_dropped(address: tuple[str, int]) -> None:
    with socket.create_connection(address, timeout=10) as sock:
        sock.sendall(_request("Content-Length: 100\r\n", b'{"regis'))
        started = time.monotonic()
        assert sock.recv(1024) == b""  # closed by the server, nothing answered
        assert time.monotonic() - started < 5
    _still_serving(address)


def test_connections_beyond_the_limit_get_a_prompt_503(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_server, "MAX_CONNECTIONS", 2)
    monkeypatch.setattr(_server._Handler, "timeout", 10.0)
    with LocalSWF() as engine, serve(engine) as server:
        host, port = server.url.removeprefix("http://").split(":")
        address = (host, int(port))
        idle = [socket.create_connection(address, timeout=10) for _ in range(2)]
        try:
            time.sleep(0.3)  # both taken, each holding a thread while it sends nothing
            started = time.monotonic()
            status, body = _exchange(address, _request("Content-Length: 2\r\n"))
            assert status == 503 and "retry" in body["message"]
            assert time.monotonic() - started < 2
        finally:
            for sock in idle:
                sock.close()
        time.sleep(0.3)  # the idle connections' threads end and free their places
        _still_serving(address)
