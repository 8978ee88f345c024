from types import ModuleType

import pyflow

# Adding a public name is a conscious edit of this list: anything else pyflow defines is private.
PUBLIC = [
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


def test_all_is_exactly_the_public_api_sorted() -> None:
    assert pyflow.__all__ == PUBLIC


def test_public_names_defined_at_module_level_are_all_exported() -> None:
    # Sub-packages (pyflow.local, pyflow.testing, ...) appear once imported; they are not names.
    # The names are imported on first use (PEP 562): touch each so all are defined.
    for name in pyflow.__all__:
        getattr(pyflow, name)
    public = {
        n for n, v in vars(pyflow).items()
        if not n.startswith("_") and not isinstance(v, ModuleType)
    }
    assert public == set(PUBLIC)


def test_local_exports_exactly_the_engine_and_run() -> None:
    import pyflow.local

    assert pyflow.local.__all__ == ["EngineStats", "LocalSWF", "RunOutcome", "SWFFault", "run"]
    assert callable(pyflow.local.run)
    assert issubclass(pyflow.local.RunOutcome, pyflow.Outcome)


def test_testing_exports_exactly_its_helpers() -> None:
    import pyflow.testing

    assert pyflow.testing.__all__ == ["LocalEnvironment", "RunOutcome", "run"]
    assert pyflow.testing.run is __import__("pyflow.local").local.run


def test_every_error_pyflow_exports_is_a_pyflow_error() -> None:
    from pyflow.local import SWFFault

    errors = [getattr(pyflow, n) for n in PUBLIC if n.endswith("Error")]
    assert errors and all(issubclass(e, pyflow.PyflowError) for e in errors)
    assert issubclass(SWFFault, pyflow.PyflowError)


def test_every_exported_name_exists() -> None:
    for name in pyflow.__all__:
        assert hasattr(pyflow, name), name


def test_package_ships_py_typed() -> None:
    from importlib.resources import files

    assert files("pyflow").joinpath("py.typed").is_file()


def test_every_exception_derives_from_pyflow_error() -> None:
    for name in pyflow.__all__:
        obj = getattr(pyflow, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert issubclass(obj, pyflow.PyflowError), name


def test_names_are_imported_on_first_use_and_dir_lists_them_all() -> None:
    import subprocess
    import sys

    code = (
        "import sys, pyflow; before = 'pyflow._worker' in sys.modules; "
        "pyflow.Workflow; print(before, 'pyflow._workflow' in sys.modules, "
        "set(pyflow.__all__) <= set(dir(pyflow)))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.split() == ["False", "True", "True"], result.stderr
