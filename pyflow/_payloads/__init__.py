"""Payloads beyond SWF's 32,768 characters: stores that hold them and the small references
SWF carries instead, resolved and offloaded at the boundaries where pyflow meets SWF (the
decider loop, the activity worker, Lambda handlers, the client). The decider itself stays
pure: it only ever sees resolved payloads."""

from ._boundary import DeciderPayloads, offload_decisions, resolve_event, resolve_events
from ._config import store_from_environment
from ._lambda import call_with_payloads, with_payload_store
from ._local import LocalPayloadStore
from ._reference import REFERENCE_KEY, is_reference, parse_reference
from ._s3 import S3PayloadStore
from ._store import DEFAULT_THRESHOLD, PayloadStore, offload, resolve

__all__ = [
    "DEFAULT_THRESHOLD",
    "REFERENCE_KEY",
    "DeciderPayloads",
    "LocalPayloadStore",
    "PayloadStore",
    "S3PayloadStore",
    "call_with_payloads",
    "is_reference",
    "offload",
    "offload_decisions",
    "parse_reference",
    "resolve",
    "resolve_event",
    "resolve_events",
    "store_from_environment",
    "with_payload_store",
]
