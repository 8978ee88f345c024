"""Pages of executions, open and closed merged newest first, resumable by an opaque token.

SWF lists open and closed executions with separate calls, each paged by its own
`nextPageToken`. A page here takes the newest executions from both lists, so the token has to
say where each list stands: the SWF token of the page it is in (None for its first page) and
how many of that page's matches are already taken, plus the SWF page size those positions
count in. The next request reads that SWF page again and skips them, so nothing is held
between pages and a caller may ask for a different number of executions per page.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .._exceptions import InvalidArgumentError
from ._listing import ExecutionFilter, list_call, utc

if TYPE_CHECKING:
    from mypy_boto3_swf import SWFClient
    from mypy_boto3_swf.type_defs import WorkflowExecutionInfoTypeDef

Info = Any  # WorkflowExecutionInfoTypeDef, which mypy cannot sort by
Fetch = Callable[[str | None], tuple[list[Info], str | None]]

MAX_SWF_PAGE = 1000
"""SWF's largest maximumPageSize."""

TOKEN_HINT = "pass the next_page_token of a page this listing returned, with the same filters"


class ExecutionPage(list["WorkflowExecutionInfoTypeDef"]):
    """Executions as boto3 describes them, newest first (a list), and `next_page_token`: pass
    it back as `page_token` with the same filters for the next page; None on the last."""

    def __init__(
        self, executions: list[WorkflowExecutionInfoTypeDef], next_page_token: str | None = None
    ) -> None:
        super().__init__(executions)
        self.next_page_token = next_page_token

    def __repr__(self) -> str:
        return f"ExecutionPage({list.__repr__(self)}, next_page_token={self.next_page_token!r})"


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
    size: int | None = 50,
    token: str | None = None,
) -> ExecutionPage:
    """Up to `size` executions (None: every one) matching `flt` whose workflow id starts with
    `prefix`, newest first, after the position `token` names."""
    if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 1):
        raise InvalidArgumentError(f"limit must be None or a whole number >= 1, not {size!r}")
    swf_size, positions = _positions(flt, token, min(size or MAX_SWF_PAGE, MAX_SWF_PAGE))
    sides: dict[str, _Side] = {}
    for name, saved in positions.items():
        fetch = _fetcher(swf, domain, flt, prefix, swf_size, closed=name == "closed")
        sides[name] = _Side(fetch, saved["t"], saved["s"])
    found: list[WorkflowExecutionInfoTypeDef] = []
    while size is None or len(found) < size:
        heads = [(side, info) for side in sides.values() if (info := side.peek()) is not None]
        if not heads:
            break
        side, info = max(heads, key=lambda pair: utc(pair[1]["startTimestamp"]))
        side.pop()
        found.append(info)
    rest = {name: side.position() for name, side in sides.items() if side.peek() is not None}
    return ExecutionPage(found, _encode(swf_size, rest) if rest else None)


def _positions(
    flt: ExecutionFilter, token: str | None, swf_size: int
) -> tuple[int, dict[str, dict[str, Any]]]:
    if token:
        return _decode(token)
    names = {"open": ["open"], "all": ["open", "closed"]}.get(flt.status, ["closed"])
    return swf_size, {name: {"t": None, "s": 0} for name in names}


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
        # SWF sorts each page newest first; moto does not, and the merge relies on it.
        kept.sort(key=lambda info: utc(info["startTimestamp"]), reverse=True)
        return kept, page.get("nextPageToken")

    return fetch


def _encode(swf_size: int, positions: dict[str, dict[str, Any]]) -> str:
    raw = json.dumps({"n": swf_size, **positions}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(token: str) -> tuple[int, dict[str, dict[str, Any]]]:
    """The SWF page size and the positions a token names; a token not made here is an
    error, not a crash."""
    refused = InvalidArgumentError(
        f"the page token {token[:40]!r} is not one this listing made: {TOKEN_HINT}"
    )
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        data = json.loads(raw)
    except ValueError as exc:
        raise refused from exc
    if not isinstance(data, dict):
        raise refused
    swf_size = data.pop("n", None)
    valid = (
        _whole(swf_size, 1, MAX_SWF_PAGE)
        and data
        and all(
            name in ("open", "closed")
            and isinstance(pos, dict)
            and (pos.get("t") is None or isinstance(pos.get("t"), str))
            and _whole(pos.get("s"), 0, None)
            for name, pos in data.items()
        )
    )
    if not valid:
        raise refused
    return swf_size, data


def _whole(value: Any, low: int, high: int | None) -> bool:
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and value >= low
        and (high is None or value <= high)
    )
