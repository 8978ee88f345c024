"""The `pyflow` command line (the optional `cli` extra: click and rich).

Importing this package needs nothing beyond the core; `main` checks for the extra first so a
missing install gives one line saying what to install instead of an ImportError traceback.
"""

from __future__ import annotations

import sys

INSTALL_HINT = "pip install 'pyflow-swf[cli]'"


def main(argv: list[str] | None = None, *, prog_name: str = "pyflow") -> None:
    """Entry point of the `pyflow` console script (and of `python -m pyflow.local`, which
    passes `local` and its own arguments)."""
    try:
        import click  # noqa: F401
        import rich  # noqa: F401
    except ImportError as exc:
        sys.stderr.write(
            f"Error: the pyflow command line needs the 'cli' extra ({exc.name} is missing).\n"
            f"Hint: {INSTALL_HINT}\n"
        )
        raise SystemExit(1) from None
    from ._app import cli, quiet_broken_pipe

    try:
        cli(args=argv, prog_name=prog_name)
    except BrokenPipeError:
        quiet_broken_pipe()


__all__ = ["INSTALL_HINT", "main"]
