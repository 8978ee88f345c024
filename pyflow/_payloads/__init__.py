"""Payloads beyond SWF's 32,768 characters: stores that hold them and the small references
SWF carries instead, resolved and offloaded at the boundaries where pyflow meets SWF (the
decider loop, the activity worker, Lambda handlers, the client). The decider itself stays
pure: it only ever sees resolved payloads.

The local store, the store named by the environment and the Lambda handlers' wrapper are
imported on first use (`_lazy`): the decider Lambda uses none of them.
"""

from typing import TYPE_CHECKING

from .._lazy import exports
from ._boundary import DeciderPayloads, offload_decisions, resolve_event, resolve_events
from ._reference import REFERENCE_KEY, is_reference, parse_reference
from ._s3 import S3PayloadStore
from ._store import DEFAULT_THRESHOLD, PayloadStore, offload, resolve

if TYPE_CHECKING:
    from ._config import store_from_environment
    from ._lambda import call_with_payloads, with_payload_store
    from ._local import LocalPayloadStore

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

__getattr__, __dir__ = exports(__name__, {
    "_config": ("store_from_environment",),
    "_lambda": ("call_with_payloads", "with_payload_store"),
    "_local": ("LocalPayloadStore",),
}, globals())
