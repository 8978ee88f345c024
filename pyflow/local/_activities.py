"""Activity tasks: scheduling with the type's defaults, starting, closing, the four
timeouts and cancel requests."""

from __future__ import annotations

from ._clock import cancel, duration
from ._core import Core, new_id
from ._model import JSON, ActivityRec, Execution

MAX_OPEN_ACTIVITIES = 1000
_TIMEOUTS = (
    ("scheduleToStartTimeout", "defaultTaskScheduleToStartTimeout", "SCHEDULE_TO_START"),
    ("scheduleToCloseTimeout", "defaultTaskScheduleToCloseTimeout", "SCHEDULE_TO_CLOSE"),
    ("startToCloseTimeout", "defaultTaskStartToCloseTimeout", "START_TO_CLOSE"),
    ("heartbeatTimeout", "defaultTaskHeartbeatTimeout", "HEARTBEAT"),
)


def schedule(core: Core, ex: Execution, attrs: JSON, completed_id: int) -> None:
    """Apply ScheduleActivityTask: ActivityTaskScheduled, or ScheduleActivityTaskFailed."""
    result = _resolve(core, ex, attrs)
    if isinstance(result, str):
        core.add_event(ex, "ScheduleActivityTaskFailed", {
            "activityType": attrs["activityType"], "activityId": attrs["activityId"],
            "cause": result, "decisionTaskCompletedEventId": completed_id})
        core.trigger(ex)
        return
    task_list, priority, timeouts = result
    scheduled_id = core.add_event(ex, "ActivityTaskScheduled", {
        "activityType": attrs["activityType"], "activityId": attrs["activityId"],
        "input": attrs.get("input"), "control": attrs.get("control"), **timeouts,
        "taskList": {"name": task_list}, "taskPriority": priority,
        "decisionTaskCompletedEventId": completed_id,
    })
    act = ActivityRec(execution=ex, activity_id=attrs["activityId"],
                      activity_type=attrs["activityType"], input=attrs.get("input"),
                      task_list=task_list, priority=int(priority or 0), timeouts=timeouts,
                      scheduled_id=scheduled_id)
    ex.activities[act.activity_id] = act
    ex.latest_activity_ts = core.now()
    for kind in ("SCHEDULE_TO_START", "SCHEDULE_TO_CLOSE"):
        _arm(core, act, kind)
    core.activity_queue.push(ex.domain.name, task_list, act.priority, act)
    core.offer(act)


def _resolve(core: Core, ex: Execution, attrs: JSON) -> tuple[str, str | None, JSON] | str:
    """(task list, priority, effective timeouts), or the ScheduleActivityTaskFailed cause."""
    ref = attrs["activityType"]
    rec = ex.domain.activity_types.get((ref["name"], ref["version"]))
    if rec is None:
        return "ACTIVITY_TYPE_DOES_NOT_EXIST"
    if rec.status == "DEPRECATED":
        return "ACTIVITY_TYPE_DEPRECATED"
    if attrs["activityId"] in ex.activities:
        return "ACTIVITY_ID_ALREADY_IN_USE"
    if len(ex.activities) >= MAX_OPEN_ACTIVITIES:
        return "OPEN_ACTIVITIES_LIMIT_EXCEEDED"
    task_list = (attrs.get("taskList") or rec.config.get("defaultTaskList") or {}).get("name")
    if task_list is None:
        return "DEFAULT_TASK_LIST_UNDEFINED"
    timeouts: JSON = {}
    for key, default_key, kind in _TIMEOUTS:
        value = attrs.get(key) or rec.config.get(default_key)
        if value is None and kind != "HEARTBEAT":
            return f"DEFAULT_{kind}_TIMEOUT_UNDEFINED"
        timeouts[key] = value
    priority = attrs.get("taskPriority") or rec.config.get("defaultTaskPriority")
    return task_list, priority, timeouts


_KEY_OF = {kind: key for key, _, kind in _TIMEOUTS}


def _arm(core: Core, act: ActivityRec, kind: str) -> None:
    cancel(act.dues.pop(kind, None))
    due = core.after(duration(act.timeouts.get(_KEY_OF[kind])),
                     lambda: time_out(core, act, kind))
    if due is not None:
        act.dues[kind] = due


def is_open(act: ActivityRec) -> bool:
    ex = act.execution
    return ex.is_open and ex.activities.get(act.activity_id) is act


def waiting(act: ActivityRec) -> bool:
    """True while the task sits on its task list, not yet handed to a worker."""
    return (act.started_id == 0 or act.reoffered) and is_open(act)


def start(core: Core, act: ActivityRec, identity: str | None) -> JSON:
    """Hand the task to a poller: ActivityTaskStarted and the poll response."""
    ex = act.execution
    if act.reoffered:  # handed out before a restart, never delivered: the same task again
        act.reoffered = False
        core.dirty.add(ex)
    else:
        act.started_id = core.add_event(ex, "ActivityTaskStarted", {
            "identity": identity, "scheduledEventId": act.scheduled_id})
        act.token = new_id(48)
        core.tokens[act.token] = act
    cancel(act.dues.pop("SCHEDULE_TO_START", None))
    _arm(core, act, "START_TO_CLOSE")
    _arm(core, act, "HEARTBEAT")
    core.hold(act)
    response: JSON = {"taskToken": act.token, "activityId": act.activity_id,
                      "startedEventId": act.started_id, "workflowExecution": ex.ref,
                      "activityType": act.activity_type}
    if act.input is not None:
        response["input"] = act.input
    return response


def heartbeat(core: Core, act: ActivityRec, details: str | None) -> bool:
    act.heartbeat_details = details
    _arm(core, act, "HEARTBEAT")
    core.dirty.add(act.execution)  # no event records a heartbeat, yet it moves a timeout
    core.touch()
    return act.cancel_requested_id is not None


def finish(core: Core, act: ActivityRec, event_type: str, attrs: JSON) -> None:
    """Close the activity with `event_type` (Completed/Failed/Canceled/TimedOut)."""
    ex = act.execution
    del ex.activities[act.activity_id]
    core.drop_activity(act)
    core.add_event(ex, event_type, {**attrs, "scheduledEventId": act.scheduled_id,
                                    "startedEventId": act.started_id})
    core.trigger(ex)


def time_out(core: Core, act: ActivityRec, kind: str) -> None:
    if not is_open(act):
        return
    finish(core, act, "ActivityTaskTimedOut",
           {"timeoutType": kind, "details": act.heartbeat_details})


def request_cancel(core: Core, ex: Execution, activity_id: str, completed_id: int) -> None:
    """Apply RequestCancelActivityTask: a task not yet started is canceled at once; a started
    one learns of the request from its next heartbeat."""
    act = ex.activities.get(activity_id)
    if act is None:
        core.add_event(ex, "RequestCancelActivityTaskFailed", {
            "activityId": activity_id, "cause": "ACTIVITY_ID_UNKNOWN",
            "decisionTaskCompletedEventId": completed_id})
        core.trigger(ex)
        return
    act.cancel_requested_id = core.add_event(ex, "ActivityTaskCancelRequested", {
        "decisionTaskCompletedEventId": completed_id, "activityId": activity_id})
    if act.started_id == 0:
        finish(core, act, "ActivityTaskCanceled",
               {"latestCancelRequestedEventId": act.cancel_requested_id})
