"""One page of executions, open and closed merged newest first, resumable by an opaque token.

SWF lists open and closed executions with separate calls, each paged by its own
`nextPageToken`. A page here takes the newest executions from both lists, so the token has to
say where each list stands: the SWF token of the page it is in (None for its first page) and
how many of that page's matches are already shown. The next request reads that SWF page
again and skips them, so nothing is held on the server between pages.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .._client._listing import ExecutionFilter, list_call, utc
from .._exceptions import InvalidArgumentError

if TYPE_CHECKING:
    from mypy_boto3_swf import SWFClient
    from mypy_boto3_swf.type_defs import WorkflowExecutionInfoTypeDef

Info = Any  # WorkflowExecutionInfoTypeDef, which mypy cannot sort by
Fetch = Callable[[str | None], tuple[list[Info], str | None]]


@dataclass(frozen=True)
class Page:
    """The executions of one page and the token of the next (None on the last page)."""

    executions: list[WorkflowExecutionInfoTypeDef] = field(default_factory=list)
    next_token: str | None = None


class _Side:
    """One SWF list (open or closed), read lazily from a saved position."""

    def __init__(self, fetch: Fetch, token: str | None, skip: int) -> None:
        self._fetch = fetch
        self._token = token
        self._skip = skip
        self._items: list[Info] | None = None
        self._next: str | None = None

    def peek(self) -> Info | None:
        while True:
            if self._items is None:
                self._items, self._next = self._fetch(self._token)
            if self._skip < len(self._items):
                return self._items[self._skip]
            if not self._next:
                return None
            self._token, self._items, self._skip = self._next, None, 0

    def pop(self) -> None:
        self._skip += 1

    def position(self) -> dict[str, Any]:
        return {"t": self._token, "s": self._skip}


def list_page(
    swf: SWFClient,
    domain: str,
    flt: ExecutionFilter,
    *,
    prefix: str = "",
    size: int = 50,
    token: str | None = None,
) -> Page:
    """Up to `size` executions matching `flt` whose workflow id starts with `prefix`, newest
    first, after the position `token` names."""
    sides: dict[str, _Side] = {}
    for name, saved in _positions(flt, token).items():
        fetch = _fetcher(swf, domain, flt, prefix, size, closed=name == "closed")
        sides[name] = _Side(fetch, saved["t"], saved["s"])
    found: list[WorkflowExecutionInfoTypeDef] = []
    while len(found) < size:
        heads = [(side, info) for side in sides.values() if (info := side.peek()) is not None]
        if not heads:
            break
        side, info = max(heads, key=lambda pair: utc(pair[1]["startTimestamp"]))
        side.pop()
        found.append(info)
    rest = {name: side.position() for name, side in sides.items() if side.peek() is not None}
    return Page(found, _encode(rest) if rest else None)


def _positions(flt: ExecutionFilter, token: str | None) -> dict[str, dict[str, Any]]:
    if token:
        return _decode(token)
    names = {"open": ["open"], "all": ["open", "closed"]}.get(flt.status, ["closed"])
    return {name: {"t": None, "s": 0} for name in names}


def _fetcher(
    swf: SWFClient, domain: str, flt: ExecutionFilter, prefix: str, size: int, *, closed: bool
) -> Fetch:
    base: dict[str, Any] = {
        "domain": domain,
        "maximumPageSize": size,
        **flt.request(closed=closed),
    }

    def fetch(token: str | None) -> tuple[list[Info], str | None]:
        page = list_call(swf, dict(base, nextPageToken=token) if token else base, closed=closed)
        # SWF takes one filter per call: the others, and the prefix, are applied here.
        kept = [
            info
            for info in page["executionInfos"]
            if flt.matches(info) and info["execution"]["workflowId"].startswith(prefix)
        ]
        return kept, page.get("nextPageToken")

    return fetch


def _encode(positions: dict[str, dict[str, Any]]) -> str:
    raw = json.dumps(positions, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(token: str) -> dict[str, dict[str, Any]]:
    """The positions a token names; a token not made here is an error, not a crash."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        data = json.loads(raw)
    except ValueError as exc:
        raise InvalidArgumentError("the page token is not one this server made") from exc
    valid = isinstance(data, dict) and data and all(
        name in ("open", "closed")
        and isinstance(pos, dict)
        and (pos.get("t") is None or isinstance(pos.get("t"), str))
        and isinstance(pos.get("s"), int)
        and not isinstance(pos.get("s"), bool)
        and pos["s"] >= 0
        for name, pos in data.items()
    )
    if not valid:
        raise InvalidArgumentError("the page token is not one this server made")
    return data  # type: ignore[no-any-return]
