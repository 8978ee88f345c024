"""A last line of defence for the calls that hand a finished task back to SWF.

botocore's retry mode already retries throttling and transient errors on every call. When a
respond call still fails after that, the work behind it (a decision, an activity's result) is
lost until the task times out, which can take minutes; so these calls alone get a few more
spaced-out attempts. Polls need none of this: the loops simply poll again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from botocore.exceptions import ClientError, ConnectionError, HTTPClientError

T = TypeVar("T")

EXTRA_ATTEMPTS = 4
FIRST_PAUSE = 0.25
_THROTTLING = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "LimitExceededException",
    "SlowDown",
}


def is_transient(exc: BaseException) -> bool:
    """Throttling, a 5xx answer or a broken connection: the same call may well succeed."""
    if isinstance(exc, (ConnectionError, HTTPClientError)):
        return True
    if isinstance(exc, ClientError):
        response: Any = exc.response
        code = response.get("Error", {}).get("Code")
        status = response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        return code in _THROTTLING or int(status) >= 500
    return False


def persist(call: Callable[[], T], *, sleep: Callable[[float], None] = time.sleep) -> T:
    """`call()`, tried again up to EXTRA_ATTEMPTS times (0.25 s, 0.5 s, 1 s, 2 s apart) while
    it fails with a transient error."""
    pause = FIRST_PAUSE
    for _ in range(EXTRA_ATTEMPTS):
        try:
            return call()
        except Exception as exc:
            if not is_transient(exc):
                raise
        sleep(pause)
        pause *= 2
    return call()
