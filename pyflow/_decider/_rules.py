"""Trigger rules: when a task fires, and when it can no longer fire and is skipped."""

from __future__ import annotations

from typing import Literal

Verdict = Literal["fire", "skip"] | None


def verdict(rule: str, total: int, ok: int, failed: int, skipped: int) -> Verdict:
    """What `rule` says of a task whose `total` dependencies (the start task aside) have so
    far completed `ok`, failed `failed` and been skipped `skipped` times; None: wait.

    A rule that can no longer be met skips the task at once (Airflow's behaviour), while the
    rules that look at every dependency fire only once all have ended. With no dependency
    but the start task, every rule fires: such a task runs as it always has.
    """
    done = ok + failed + skipped
    if total == 0:
        return "fire"
    if rule == "all_success":
        return "skip" if failed or skipped else ("fire" if ok == total else None)
    if rule == "all_failed":
        return "skip" if ok or skipped else ("fire" if failed == total else None)
    if rule == "none_failed":
        return "skip" if failed else ("fire" if done == total else None)
    if rule == "none_skipped":
        return "skip" if skipped else ("fire" if done == total else None)
    if rule == "one_success":
        return "fire" if ok else ("skip" if done == total else None)
    if rule == "one_failed":
        return "fire" if failed else ("skip" if done == total else None)
    return "fire" if done == total else None  # all_done
