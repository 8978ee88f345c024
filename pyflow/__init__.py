"""pyflow: declare a workflow as a graph of tasks in Python and run it on Amazon SWF.

The public API is exactly what `__all__` lists; every other module is private. The names are
imported on first use (PEP 562), so a process that needs one part of pyflow (the decider
Lambda, say) does not pay for importing the rest; type checkers and IDEs read the imports in
the `TYPE_CHECKING` block below.
"""

# Module-level helpers are private names: `vars(pyflow)` holds the public API and nothing else.
import typing as _typing

from ._lazy import exports as _exports

if _typing.TYPE_CHECKING:
    from ._client import (
        Client,
        ExecutionPage,
        Outcome,
        cancel_workflow,
        complete_signal,
        describe_execution,
        ensure_activity_registered,
        ensure_domain_registered,
        ensure_workflow_registered,
        get_outcome,
        list_executions,
        signal_workflow,
        start_workflow,
        terminate_workflow,
        wait_for_outcome,
    )
    from ._exceptions import (
        ActivityCanceledError,
        ArgumentTypeError,
        ConfigurationError,
        CycleError,
        DefinitionError,
        DefinitionTypeError,
        DependencyError,
        DeprecatedError,
        DuplicateTaskError,
        InvalidArgumentError,
        InvalidNameError,
        LoadError,
        OutcomeTimeoutError,
        PayloadStoreError,
        PayloadTooLargeError,
        PyflowError,
        SWFError,
        TaskInputError,
        UnknownDomainError,
        UnknownExecutionError,
        UnknownTaskError,
        UnknownTypeError,
        WorkflowAlreadyStartedError,
    )
    from ._loading import load_activities, load_workflows
    from ._payloads import LocalPayloadStore, S3PayloadStore
    from ._worker import (
        ActivityContext,
        DeciderStats,
        activity_context,
        poll_for_activities,
        poll_for_executions,
    )
    from ._workflow import (
        Activity,
        ActivityTask,
        LambdaTask,
        RetryPolicy,
        SignalTask,
        StartTask,
        Task,
        TimerTask,
        TriggerRule,
        Workflow,
        WorkflowTask,
        activity,
    )

__version__ = "0.1.0"

__all__ = [
    "Activity",
    "ActivityCanceledError",
    "ActivityContext",
    "ActivityTask",
    "ArgumentTypeError",
    "Client",
    "ConfigurationError",
    "CycleError",
    "DeciderStats",
    "DefinitionError",
    "DefinitionTypeError",
    "DependencyError",
    "DeprecatedError",
    "DuplicateTaskError",
    "ExecutionPage",
    "InvalidArgumentError",
    "InvalidNameError",
    "LambdaTask",
    "LoadError",
    "LocalPayloadStore",
    "Outcome",
    "OutcomeTimeoutError",
    "PayloadStoreError",
    "PayloadTooLargeError",
    "PyflowError",
    "RetryPolicy",
    "S3PayloadStore",
    "SWFError",
    "SignalTask",
    "StartTask",
    "Task",
    "TaskInputError",
    "TimerTask",
    "TriggerRule",
    "UnknownDomainError",
    "UnknownExecutionError",
    "UnknownTaskError",
    "UnknownTypeError",
    "Workflow",
    "WorkflowAlreadyStartedError",
    "WorkflowTask",
    "activity",
    "activity_context",
    "cancel_workflow",
    "complete_signal",
    "describe_execution",
    "ensure_activity_registered",
    "ensure_domain_registered",
    "ensure_workflow_registered",
    "get_outcome",
    "list_executions",
    "load_activities",
    "load_workflows",
    "poll_for_activities",
    "poll_for_executions",
    "signal_workflow",
    "start_workflow",
    "terminate_workflow",
    "wait_for_outcome",
]

# The private module that defines each public name (the TYPE_CHECKING imports, at run time).
_MODULES = {
    "_client": (
        "Client", "ExecutionPage", "Outcome", "cancel_workflow", "complete_signal",
        "describe_execution", "ensure_activity_registered", "ensure_domain_registered",
        "ensure_workflow_registered", "get_outcome", "list_executions", "signal_workflow",
        "start_workflow", "terminate_workflow", "wait_for_outcome",
    ),
    "_exceptions": (
        "ActivityCanceledError", "ArgumentTypeError", "ConfigurationError", "CycleError",
        "DefinitionError", "DefinitionTypeError", "DependencyError", "DeprecatedError",
        "DuplicateTaskError", "InvalidArgumentError", "InvalidNameError", "LoadError",
        "OutcomeTimeoutError", "PayloadStoreError", "PayloadTooLargeError", "PyflowError",
        "SWFError", "TaskInputError",
        "UnknownDomainError", "UnknownExecutionError", "UnknownTaskError", "UnknownTypeError",
        "WorkflowAlreadyStartedError",
    ),
    "_loading": (
        "load_activities", "load_workflows",
    ),
    "_payloads": (
        "LocalPayloadStore", "S3PayloadStore",
    ),
    "_worker": (
        "ActivityContext", "DeciderStats", "activity_context", "poll_for_activities",
        "poll_for_executions",
    ),
    "_workflow": (
        "Activity", "ActivityTask", "LambdaTask", "RetryPolicy", "SignalTask", "StartTask", "Task",
        "TimerTask", "TriggerRule", "Workflow", "WorkflowTask", "activity",
    ),
}
__getattr__, __dir__ = _exports(__name__, _MODULES, globals())
