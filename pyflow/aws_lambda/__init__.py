"""What the decider Lambda needs, so its handler is decorators plus one call: configuration from
the environment, cold-start loading and registration of the workflows, the deadline-bounded
decider loop, and the counters it publishes as metrics. And, for Lambda task handlers,
`with_payload_store`: payloads beyond SWF's 32,768 characters in and out.

Powertools stays in the handler (the core library depends on boto3 only): the objects it passes
in are used through the small protocols below. `with_payload_store` is imported on first use:
the decider's cold start does not pay for it.
"""

from typing import TYPE_CHECKING

from .._lazy import exports
from ._decider import (
    METRICS,
    PENDING_METRIC,
    POLL_MARGIN_MS,
    Decider,
    DeciderConfig,
    MetricsSink,
    TraceSink,
)

if TYPE_CHECKING:
    from .._payloads._lambda import with_payload_store

__all__ = [
    "METRICS",
    "PENDING_METRIC",
    "POLL_MARGIN_MS",
    "Decider",
    "DeciderConfig",
    "MetricsSink",
    "TraceSink",
    "with_payload_store",
]

__getattr__, __dir__ = exports(__name__, {"._payloads._lambda": ("with_payload_store",)}, globals())
