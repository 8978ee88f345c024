"""The `signal_rules` setting: EventBridge rules whose events signal an execution, parsed and
checked (and the error every setting raises, which this module needs first)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pyflow._workflow._names import swf_name_problem


class SettingsError(ValueError):
    """A context value that cannot be used; the message names the key and what is accepted."""


# EventBridge pattern fields a signal rule may match on (top-level keys of an event).
PATTERN_KEYS = {
    "source": "source",
    "detail-type": "detail_type",
    "detail": "detail",
    "account": "account",
    "region": "region",
    "resources": "resources",
    "id": "id",
    "time": "time",
    "version": "version",
}


@dataclass(frozen=True)
class SignalRule:
    """Events matching `pattern` signal `signal_name` to `workflow_id` (a literal, or a JSON
    path into the event such as `$.detail.orderId`), with the whole event as input."""

    pattern: dict[str, Any]
    workflow_id: str
    signal_name: str


def as_rules(key: str, value: Any) -> tuple[SignalRule, ...]:
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else []
        except ValueError as exc:
            raise SettingsError(f"{key} must be JSON (a list of rules): {exc}") from None
    if not isinstance(value, list):
        raise SettingsError(f"{key} must be a list of rules, not {value!r}")
    return tuple(_as_rule(f"{key}[{index}]", item) for index, item in enumerate(value))


def _as_rule(where: str, item: Any) -> SignalRule:
    shape = '{"pattern": {"source": [...]}, "workflow_id": ..., "signal_name": ...}'
    if not isinstance(item, dict) or set(item) != {"pattern", "workflow_id", "signal_name"}:
        raise SettingsError(f"{where} must be an object {shape}, not {item!r}")
    pattern, workflow_id, signal_name = item["pattern"], item["workflow_id"], item["signal_name"]
    if not isinstance(pattern, dict) or not pattern or set(pattern) - set(PATTERN_KEYS):
        raise SettingsError(
            f"{where}.pattern must be a non-empty EventBridge pattern with keys among "
            f"{', '.join(PATTERN_KEYS)}, not {pattern!r}"
        )
    if not isinstance(workflow_id, str) or not workflow_id.strip():
        raise SettingsError(f"{where}.workflow_id must be a workflow id or a $.path into the event")
    problem = swf_name_problem(signal_name) if isinstance(signal_name, str) else "is not a string"
    if problem:
        raise SettingsError(f"{where}.signal_name {signal_name!r} {problem}")
    return SignalRule(pattern, workflow_id, signal_name)
