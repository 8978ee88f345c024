"""`decide`: from a workflow definition and its execution history to SWF decisions.

Order of precedence, each rule looked at only if the ones before it did not apply:

1. the execution is closed: no decisions;
2. the history holds something this definition cannot account for: fail the execution;
3. a cancel request was received: cancel outstanding work, close as canceled;
4. a task failed for good and no dependent handles the failure (see `_flow`): cancel
   outstanding work, fail naming the task;
5. every task ended (completed, skipped, or failed and handled): complete with the workflow
   output;
6. otherwise start every task whose trigger rule fired (and every retry or repeat that is
   due), within SWF's limits: at most 100 decisions per response and 1,000 open activities,
   Lambda functions, timers and child workflows. When the batch limit holds work back, a
   zero-second timer wakes the decider for the rest; work held back by an open-count limit
   waits for the open work to close, which wakes the decider anyway. Past the workflow's
   `history_budget`, nothing new starts and the run continues as new once its open work has
   closed (`_carry`). The planning itself lives in `_planner`.
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

from .._exceptions import PyflowError
from .._workflow._definition import Workflow
from .._workflow._payload import MAX_DATA
from . import _close
from ._chunks import chunk_spec, chunk_workflow
from ._graph import discovery_graph, graph_of
from ._history import History
from ._planner import Planner

if TYPE_CHECKING:
    from mypy_boto3_swf.type_defs import (
        DecisionTypeDef,
        HistoryEventTypeDef,
        WorkflowExecutionTypeDef,
    )



def replay(
    workflow: Workflow | None,
    events: Sequence[HistoryEventTypeDef],
    execution: WorkflowExecutionTypeDef | None = None,
    domain: str | None = None,
    payload_limit: int | None = MAX_DATA,
) -> History:
    """The history pass, with the parent's workflowId and runId used for child workflow ids
    and, with the domain, for the context tasks are given; without the definition
    (`workflow` None), over the tasks the history itself names."""
    spec = chunk_spec(events[0]) if events and workflow is not None else None
    if spec is not None and workflow is not None:  # a chunk of a large map's items
        workflow = chunk_workflow(workflow, spec["task"], spec["concurrency"])
    graph = discovery_graph() if workflow is None else graph_of(workflow)
    mapped = cast(Sequence[Mapping[str, Any]], events)
    parent_id = _text(execution.get("workflowId")) if execution else None
    run_id = _text(execution.get("runId")) if execution else None
    history = History(graph, parent_id, run_id, discover=workflow is None)
    history.domain = domain
    history.payload_limit = payload_limit
    if spec is not None:
        history.start_output = json.dumps(spec["inputs"], separators=(",", ":"))
    return history.replay(mapped)


def _definition(history: History) -> Workflow:
    workflow = history.graph.workflow
    if workflow is None:  # `decide` always replays with the definition
        raise PyflowError("decisions need the workflow definition")
    return workflow


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def decide(
    workflow: Workflow,
    events: Sequence[HistoryEventTypeDef],
    *,
    execution: WorkflowExecutionTypeDef | None = None,
    domain: str | None = None,
    payload_limit: int | None = MAX_DATA,
) -> list[DecisionTypeDef]:
    """The decisions for the next RespondDecisionTaskCompleted (at most 100).

    `execution` (workflowId, runId) and `domain` are what the decision task was polled for;
    they name child workflows and fill the context of tasks with `pass_context`.
    `payload_limit` is the longest input or result a decision may carry; None when the
    caller offloads longer ones to a payload store.

    Pure and deterministic; never raises: a definition or history it cannot handle becomes a
    FailWorkflowExecution decision with a reason that says what was wrong.
    """
    return resume(
        None, workflow, events, execution=execution, domain=domain, payload_limit=payload_limit
    )[0]


def resume(
    prior: History | None,
    workflow: Workflow,
    events: Sequence[HistoryEventTypeDef],
    *,
    execution: WorkflowExecutionTypeDef | None = None,
    domain: str | None = None,
    payload_limit: int | None = MAX_DATA,
) -> tuple[list[DecisionTypeDef], History | None]:
    """`decide`, continuing the history pass of `prior` instead of starting from the first
    event, so a decider that kept the state of its last decision folds only the new events.

    `prior` is a state an earlier call returned for the same run and workflow, and `events`
    the events after the last one it folded, in order; None folds `events` from the start.
    Returns the decisions and the state to continue from next time: the pass's state after
    `events`, before planning. It is None when planning changed that state (a task whose
    input cannot be built fails there, through `History.move`, which counts every change of
    phase), when the decisions close the execution, or when the history could not be read:
    the next decision then starts over from the full history. Pure, like `decide`, and the
    decisions are the ones `decide` gives for the whole history.
    """
    if prior is None and not events:
        return [], None
    try:
        if prior is None:  # from the first event, which says whether this is a chunk run
            history = replay(workflow, events, execution, domain, payload_limit)
        else:
            # The caller's, not those of whichever decider loop built `prior`: loops of one
            # process share kept states, and one with a payload store plans without a limit.
            prior.domain, prior.payload_limit = domain, payload_limit
            history = prior.replay(cast(Sequence[Mapping[str, Any]], events))
    except PyflowError as exc:
        return _fail_unhandled(f"workflow definition is invalid: {exc}", exc), None
    except Exception as exc:  # a bug or a history beyond repair: fail clearly, never crash
        return _fail_unhandled(f"pyflow could not read the history: {exc!r}", exc), None
    moves = history.moves
    try:
        decisions = _decide(history)
    except Exception as exc:
        return _fail_unhandled(f"pyflow decider error: {exc!r}", exc), None
    closes = any(d["decisionType"] in _CLOSE_DECISIONS for d in decisions)
    return decisions, (None if closes or history.moves != moves else history)


_CLOSE_DECISIONS = frozenset(
    {
        "CompleteWorkflowExecution",
        "FailWorkflowExecution",
        "CancelWorkflowExecution",
        "ContinueAsNewWorkflowExecution",
    }
)


def _fail_unhandled(reason: str, exc: BaseException) -> list[DecisionTypeDef]:
    details = {"error": {"reason": reason, "details": "".join(traceback.format_exception(exc))}}
    return [
        {
            "decisionType": "FailWorkflowExecution",
            "failWorkflowExecutionDecisionAttributes": {
                "reason": reason[:256],
                "details": _close.json_within(details, MAX_DATA),
            },
        }
    ]


def _decide(history: History) -> list[DecisionTypeDef]:
    if history.close_status is not None:
        return []
    if history.problem is not None:
        workflow = _definition(history)
        reason = f"workflow {workflow.name!r} cannot continue: {history.problem}"
        return _close.fail(history, reason, {"error": {"reason": history.problem}})
    if history.cancel_requested:
        return _close.cancel(history)
    if history.failed is not None:
        return _close.fail_task(history, history.failed)
    return Planner(history).plan()
