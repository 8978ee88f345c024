"""Parsing what users type: JSON payloads, times, and `NAME=MODULE:FUNCTION` mappings."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ._errors import CliError

_JSON_START = ('{', '[', '"')
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*(s|m|h|d|w)$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_payload(text: str | None, *, what: str = "--input") -> Any:
    """The value `text` stands for, following SWF's input rule with one safety net.

    Valid JSON is decoded; `@path` reads the JSON (or text) from a file; anything else is a
    plain string, so `--input World` means 'World' as `aws swf ... --input World` does. Text
    that starts like a JSON object, array or string but does not parse is an error: it was
    meant to be JSON, and sending it as a string would hide the typo.
    """
    if text is None:
        return None
    if text.startswith("@"):
        path = Path(text[1:])
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise CliError(f"{what}: cannot read {path}: {exc.strerror}") from None
    try:
        return json.loads(text)
    except ValueError as exc:
        if text.lstrip().startswith(_JSON_START):
            raise CliError(
                f"{what} is not valid JSON: {exc}",
                "quote JSON for your shell, e.g. --input '{\"key\": \"value\"}'; "
                "text that does not start with {, [ or \" is sent as a plain string",
            ) from None
        return text


def parse_since(text: str) -> datetime:
    """A point in time: an ISO 8601 date/time (UTC unless it says) or an age like 2h, 3d."""
    match = _DURATION.match(text.strip())
    if match:
        amount, unit = float(match.group(1)), match.group(2)
        return datetime.now(UTC) - timedelta(seconds=amount * _UNITS[unit])
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise CliError(
            f"cannot read {text!r} as a time",
            "give an age such as 30m, 12h, 7d, or an ISO date such as 2024-05-01T12:00",
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def parse_mapping(text: str, *, option: str) -> tuple[str, str]:
    """Split `NAME=TARGET` (e.g. `string-upcase=handlers.strings:upcase`)."""
    name, sep, target = text.partition("=")
    if not sep or not name.strip() or not target.strip():
        raise CliError(
            f"{option} {text!r} is not NAME=MODULE:FUNCTION",
            f"for example {option} string-upcase=handlers.strings:upcase",
        )
    return name.strip(), target.strip()
