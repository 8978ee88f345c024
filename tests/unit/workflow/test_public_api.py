import pyflow


def test_all_is_sorted_and_pinned() -> None:
    assert pyflow.__all__ == sorted(pyflow.__all__)
    assert set(pyflow.__all__) >= {
        "Workflow",
        "StartTask",
        "LambdaTask",
        "ActivityTask",
        "WorkflowTask",
        "SignalTask",
        "TimerTask",
        "PyflowError",
        "activity",
        # runtime
        "ActivityCanceledError",
        "ActivityContext",
        "DeciderStats",
        "DeprecatedError",
        "Outcome",
        "OutcomeTimeoutError",
        "SWFError",
        "UnknownDomainError",
        "UnknownExecutionError",
        "UnknownTypeError",
        "WorkflowAlreadyStartedError",
        "activity_context",
        "cancel_workflow",
        "ensure_activity_registered",
        "ensure_domain_registered",
        "ensure_workflow_registered",
        "get_outcome",
        "load_activities",
        "load_workflows",
        "poll_for_activities",
        "poll_for_executions",
        "signal_workflow",
        "start_workflow",
        "wait_for_outcome",
    }


def test_local_exports_run_and_its_outcome() -> None:
    import pyflow.local

    assert {"LocalSWF", "RunOutcome", "run"} <= set(pyflow.local.__all__)
    assert callable(pyflow.local.run)
    assert issubclass(pyflow.local.RunOutcome, pyflow.Outcome)


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
