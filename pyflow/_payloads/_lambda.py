"""Lambda handlers and payload references: the event is resolved before the handler sees it,
and a result longer than the store's threshold is returned as a reference.

SWF invokes a Lambda task's function with the task's input as the event, and records what
the function returns as the result, so a handler is the only place pyflow can stand between
them. The same code runs Lambda tasks in `pyflow.local`, so a handler wrapped for AWS
behaves the same under the embedded engine.
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar, overload

from .._workflow._payload import dumps
from ._config import store_from_environment
from ._reference import reference_in
from ._store import PayloadStore, resolve

Handler = Callable[[Any, Any], Any]
H = TypeVar("H", bound=Handler)

_ambient: ContextVar[PayloadStore | None] = ContextVar("pyflow_payload_store", default=None)
"""The store of the engine running a handler, so a wrapped handler run by `pyflow.local`
uses it without being configured."""
_environment: list[PayloadStore | None] = []
_environment_lock = threading.Lock()


def call_with_payloads(
    handler: Handler, event: Any, context: Any, store: PayloadStore | None
) -> Any:
    """Call `handler` as Lambda would, with the event resolved and a long result offloaded."""
    ref = reference_in(event)
    if ref is not None:
        event = json.loads(resolve(ref.text(), store, where="this Lambda handler"))
    token = _ambient.set(store)
    try:
        result = handler(event, context)
    finally:
        _ambient.reset(token)
    return offload_result(result, store)


def offload_result(result: Any, store: PayloadStore | None) -> Any:
    """`result`, or the reference to it (as a JSON value) when it is over the threshold."""
    if store is None or reference_in(result) is not None:
        return result
    try:
        sent = json.dumps(result)  # measured as Lambda's runtime encodes it for SWF
    except (TypeError, ValueError):
        return result  # Lambda's runtime reports it (Runtime.MarshalError)
    if len(sent) <= store.threshold:
        return result
    return json.loads(store.offload(dumps(result)))


@overload
def with_payload_store(store: H) -> H: ...
@overload
def with_payload_store(store: PayloadStore | None = None) -> Callable[[H], H]: ...


def with_payload_store(store: Any = None) -> Any:
    """Decorate a Lambda task's `handler(event, context)` to take and return payloads beyond
    SWF's 32,768 characters:

        @with_payload_store                    # PYFLOW_PAYLOAD_BUCKET / PYFLOW_PAYLOAD_PREFIX
        def handler(event, context): ...

        @with_payload_store(pyflow.S3PayloadStore("my-bucket", "payloads/"))
        def handler(event, context): ...

    An event that is a payload reference is replaced by its payload; a result whose JSON is
    longer than the store's threshold is stored and a reference returned instead. Without a
    store (none given, none in the environment, and not run by `pyflow.local`) the handler
    runs unchanged, and a reference event is an error naming the setting.
    """
    if callable(store) and not isinstance(store, PayloadStore):
        return with_payload_store(None)(store)

    def decorate(handler: H) -> H:
        @functools.wraps(handler)
        def wrapped(event: Any, context: Any) -> Any:
            chosen = store or _ambient.get() or _store_from_environment()
            return call_with_payloads(handler, event, context, chosen)

        return wrapped  # type: ignore[return-value]

    return decorate


def _store_from_environment() -> PayloadStore | None:
    """The environment's store, made once per process (a Lambda instance keeps its cache)."""
    with _environment_lock:
        if not _environment:
            _environment.append(store_from_environment())
        return _environment[0]
