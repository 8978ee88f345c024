"""Runs the real decider loop and activity worker in threads against any SWF client."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pyflow

DECIDERS = "deciders"


@contextmanager
def running(
    client: Any,
    domain: str,
    workflows: Sequence[pyflow.Workflow],
    activities: Sequence[pyflow.Activity] = (),
    *,
    task_lists: Sequence[str] = (DECIDERS,),
    activity_lists: Sequence[str] = (),
) -> Iterator[list[pyflow.DeciderStats]]:
    """Decider threads (one per task list) and worker threads until the block ends."""
    stop = threading.Event()
    stats: list[pyflow.DeciderStats] = []
    targets: list[Callable[[], Any]] = [
        lambda tl=tl: stats.append(  # type: ignore[misc]
            pyflow.poll_for_executions(
                workflows, domain=domain, task_list=tl, client=client, should_stop=stop.is_set
            )
        )
        for tl in task_lists
    ]
    lists = activity_lists or sorted({a.task_list for a in activities})
    targets += [
        lambda tl=tl: pyflow.poll_for_activities(  # type: ignore[misc]
            activities, domain=domain, task_list=tl, client=client, should_stop=stop.is_set
        )
        for tl in lists
    ]
    threads = [threading.Thread(target=t, daemon=True) for t in targets]
    for thread in threads:
        thread.start()
    try:
        yield stats
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
        assert not any(t.is_alive() for t in threads), "a poll loop did not stop"


def register(client: Any, domain: str, workflow: pyflow.Workflow) -> None:
    pyflow.ensure_workflow_registered(workflow, domain=domain, task_list=DECIDERS, client=client)


def start(client: Any, domain: str, workflow: pyflow.Workflow, input: Any = None, **kw: Any) -> str:
    return pyflow.start_workflow(
        domain=domain,
        workflow_name=workflow.name,
        workflow_version=workflow.version,
        input=input,
        client=client,
        **kw,
    )
