"""Page tokens for list and history operations: an offset bound to the request it came from."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from typing import TypeVar

from ._faults import invalid
from ._model import JSON

T = TypeVar("T")
MAX_PAGE = 1000


def page(items: Sequence[T], params: JSON, scope: str) -> tuple[list[T], str | None]:
    """Slice `items` as `maximumPageSize`/`nextPageToken`/`reverseOrder` ask.

    `scope` names what is being listed, so a token from another listing is rejected.
    """
    size = params.get("maximumPageSize") or MAX_PAGE
    ordered = list(reversed(items)) if params.get("reverseOrder") else list(items)
    start = _offset(params.get("nextPageToken"), scope)
    chunk = ordered[start:start + size]
    more = start + size < len(ordered)
    return chunk, (_token(scope, start + size) if more else None)


def _token(scope: str, offset: int) -> str:
    raw = json.dumps({"s": scope, "o": offset}).encode()
    return base64.urlsafe_b64encode(raw).decode("ascii")


def _offset(token: str | None, scope: str) -> int:
    if not token:
        return 0
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode("ascii")))
        offset = data["o"]
        same = data["s"] == scope
    except (ValueError, KeyError, TypeError) as exc:
        raise invalid(f"Invalid nextPageToken {token!r}") from exc
    if not same or not isinstance(offset, int) or offset < 0:
        raise invalid("nextPageToken does not belong to this request; keep the other "
                      "arguments unchanged when paging")
    return offset


def token_scope(token: str) -> str:
    """The scope a page token was issued for (to find the decision task it pages)."""
    try:
        scope = json.loads(base64.urlsafe_b64decode(token.encode("ascii")))["s"]
    except (ValueError, KeyError, TypeError) as exc:
        raise invalid(f"Invalid nextPageToken {token!r}") from exc
    if not isinstance(scope, str):
        raise invalid(f"Invalid nextPageToken {token!r}")
    return scope
