"""The `pyflow` command line."""


def main() -> None:
    raise SystemExit("pyflow: the command line is not built yet")
