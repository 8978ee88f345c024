"""Where payloads cross into and out of SWF for the decider loop: references in history
events are resolved before the pure decider reads them, and oversize fields of its
decisions are offloaded before SWF sees them. Per event, so a history read in pieces (or
cached) is resolved the same way as a whole one."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from .._workflow._payload import MAX_DATA
from ._reference import MAX_REFERENCE, REFERENCE_KEY
from ._store import PayloadStore, resolve

if TYPE_CHECKING:
    from mypy_boto3_swf.type_defs import DecisionTypeDef, HistoryEventTypeDef

PAYLOAD_FIELDS = ("input", "result", "details")
"""The attributes of events and decisions that carry payloads (`control` stays pyflow's
own small bookkeeping and is never offloaded)."""
E = TypeVar("E", bound=Mapping[str, Any])


def resolve_event(event: E, store: PayloadStore | None, *, where: str = "the decider") -> E:
    """`event` with each payload reference replaced by its payload (the same object when it
    holds none); PayloadStoreError if one cannot be read, or there is no store to read it."""
    # Every event of every history passes here, so the attributes are looked up by the name
    # SWF gives them (its event type's), and only texts that may be references are parsed.
    kind = event.get("eventType")
    name = _NAMES.get(kind) if type(kind) is str else None
    attrs = event.get(name) if name is not None else None
    if not isinstance(attrs, Mapping):
        name, attrs = _attributes(event)
        if name is None or attrs is None:
            return event
    changed: dict[str, str] = {}
    for field in PAYLOAD_FIELDS:
        text = attrs.get(field)
        if isinstance(text, str) and len(text) <= MAX_REFERENCE and REFERENCE_KEY in text:
            full = resolve(text, store, where=where)
            if full is not text:
                changed[field] = full
    if changed:
        return cast(E, {**event, name: {**attrs, **changed}})
    return event


_NAMES: dict[str, str] = {}
"""eventType -> the key of its attributes ('ActivityTaskCompleted' ->
'activityTaskCompletedEventAttributes': so for every event type in SWF's model)."""


def _attributes(event: Mapping[str, Any]) -> tuple[str | None, Mapping[str, Any] | None]:
    """The attributes entry of an event whose type's key is not known yet (learnt here), or
    not SWF's: then the one entry named like attributes."""
    kind = event.get("eventType")
    if isinstance(kind, str) and kind:
        name = f"{kind[0].lower()}{kind[1:]}EventAttributes"
        if isinstance(event.get(name), Mapping):
            _NAMES[kind] = name
            return name, event[name]
    for name, attrs in event.items():
        if isinstance(name, str) and name.endswith("EventAttributes"):
            if isinstance(attrs, Mapping):
                return name, attrs
    return None, None


def resolve_events(
    events: Iterable[HistoryEventTypeDef], store: PayloadStore | None, *, where: str = "pyflow"
) -> list[HistoryEventTypeDef]:
    """Every event of `events` resolved by `resolve_event`."""
    return [resolve_event(event, store, where=where) for event in events]


def offload_decisions(
    decisions: list[DecisionTypeDef], store: PayloadStore | None
) -> list[DecisionTypeDef]:
    """`decisions` with each payload over the store's threshold replaced by a reference."""
    if store is None:
        return decisions
    out: list[DecisionTypeDef] = []
    for decision in decisions:
        for name, attrs in decision.items():
            if not name.endswith("DecisionAttributes") or not isinstance(attrs, Mapping):
                continue
            changed = {
                field: store.offload(text)
                for field in PAYLOAD_FIELDS
                if isinstance(text := attrs.get(field), str) and len(text) > store.threshold
            }
            if changed:
                decision = cast("DecisionTypeDef", {**decision, name: {**attrs, **changed}})
            break
        out.append(decision)
    return out


class DeciderPayloads:
    """The decider loop's side of a payload store (or of its absence)."""

    def __init__(self, store: PayloadStore | None) -> None:
        self.store = store

    @property
    def limit(self) -> int | None:
        """The longest payload the pure decider may put in a decision: none with a store
        (the loop offloads), else SWF's own limit (the decider fails the task)."""
        return None if self.store is not None else MAX_DATA

    def resolve(self, events: Iterable[HistoryEventTypeDef]) -> list[HistoryEventTypeDef]:
        return resolve_events(events, self.store, where="the decider")

    def offload(self, decisions: list[DecisionTypeDef]) -> list[DecisionTypeDef]:
        return offload_decisions(decisions, self.store)
