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
    }


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
