"""Signal tokens: the one string a notifier hands on so that anyone can send the signal back."""

# A token names where the signal goes (domain, workflow id, signal name) and nothing more. It
# is not a secret and proves nothing: whoever may call SignalWorkflowExecution on the domain
# can signal any execution anyway, so access stays with IAM, as for any SWF call.

from __future__ import annotations

import base64
import json
from typing import NamedTuple

from .._exceptions import InvalidArgumentError

PREFIX = "pyflow-signal-1."


class SignalTarget(NamedTuple):
    domain: str | None
    workflow_id: str
    signal_name: str


def encode_token(domain: str | None, workflow_id: str, signal_name: str) -> str:
    text = json.dumps([domain, workflow_id, signal_name], separators=(",", ":"))
    return PREFIX + base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_token(token: object) -> SignalTarget:
    """Where `token` says to send the signal; InvalidArgumentError if it is not one pyflow
    made."""
    problem = "give the token a SignalTask's notifier received, unchanged"
    if not isinstance(token, str) or not token.startswith(PREFIX):
        raise InvalidArgumentError(f"{_short(token)} is not a pyflow signal token; {problem}")
    body = token[len(PREFIX):]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        value = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        value = None
    if (
        not isinstance(value, list)
        or len(value) != 3
        or not (value[0] is None or isinstance(value[0], str))
        or not all(isinstance(v, str) and v for v in value[1:])
    ):
        raise InvalidArgumentError(f"signal token {_short(token)} is damaged; {problem}")
    return SignalTarget(value[0], value[1], value[2])


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
