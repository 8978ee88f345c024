"""The reference SWF carries in place of an offloaded payload, and how to recognise one.

A reference is JSON text of the form

    {"pyflow.payload": {"key": "<store key>", "size": <characters>, "sha256": "<hex>"}}

`key` names the object in the store (for S3, the full object key, prefix included); `size`
is the length of the payload's JSON text in characters; `sha256` is the hex digest of its
UTF-8 bytes, which is also the last part of the key (keys are content-addressed, so the same
payload always gets the same reference and offloading stays deterministic). Workers in other
languages read the object named by `key` to get the payload, and may write one the same way.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

REFERENCE_KEY = "pyflow.payload"
MAX_REFERENCE = 1024
"""Text longer than this is never a reference (a real one is about 150 characters), so
looking at a large payload costs nothing."""
_HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Reference:
    """What a reference says: where the payload is, how long it is and its digest."""

    key: str
    size: int
    sha256: str

    def text(self) -> str:
        """The reference as the JSON text SWF carries."""
        return json.dumps(self.value(), separators=(",", ":"))

    def value(self) -> dict[str, Any]:
        """The reference as a JSON value (what a Lambda handler returns or is given)."""
        return {REFERENCE_KEY: {"key": self.key, "size": self.size, "sha256": self.sha256}}


def digest(text: str) -> str:
    """The sha256 hex digest of `text`'s UTF-8 bytes: the content address of a payload."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_reference(text: object) -> Reference | None:
    """The reference `text` holds, or None if it is not one (any other payload)."""
    if not isinstance(text, str) or len(text) > MAX_REFERENCE or REFERENCE_KEY not in text:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return reference_in(value)


def reference_in(value: object) -> Reference | None:
    """The reference a decoded JSON value is, or None."""
    if not isinstance(value, dict) or len(value) != 1:
        return None
    body = value.get(REFERENCE_KEY)
    if not isinstance(body, dict):
        return None
    key, size, sha = body.get("key"), body.get("size"), body.get("sha256")
    if not isinstance(key, str) or not key or not isinstance(sha, str) or not _HEX64.fullmatch(sha):
        return None
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        return None
    return Reference(key=key, size=size, sha256=sha)


def is_reference(text: object) -> bool:
    """True if `text` is the JSON text of a payload reference."""
    return parse_reference(text) is not None
