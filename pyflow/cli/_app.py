"""The `pyflow` command group: subcommands, global flags, and the one place errors are shown."""

from __future__ import annotations

import io
import logging
import os
import sys
from typing import Any, NoReturn

import click

from .. import __version__
from ._describe import COMMANDS as describe_commands
from ._errors import CliError, translate
from ._executions import COMMANDS as execution_commands
from ._graph_cmd import COMMANDS as graph_commands
from ._list_cmd import COMMANDS as list_commands
from ._local import COMMANDS as local_commands
from ._run import COMMANDS as run_commands
from ._ui_cmd import COMMANDS as ui_commands
from ._workers import COMMANDS as worker_commands

BROKEN_PIPE_STATUS = 141
ORDER = (
    "run", "local", "start", "signal", "cancel", "terminate", "describe", "history", "list",
    "graph", "ui", "register", "decider", "worker",
)


class PyflowGroup(click.Group):
    """A group that shows any failure as `Error:` + `Hint:` lines instead of a traceback."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        # Help lists commands in the order a user meets them, not alphabetically.
        known = [name for name in ORDER if name in self.commands]
        return known + sorted(set(self.commands) - set(known))

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:
            quiet_broken_pipe()
        except Exception as exc:
            if ctx.meta.get("pyflow.debug"):
                raise
            error = translate(exc)
            if error is None:
                error = CliError(
                    f"unexpected {type(exc).__name__}: {exc}",
                    "this is a bug in pyflow or in your code; rerun with --debug for the "
                    "traceback",
                )
            raise error from exc


def quiet_broken_pipe() -> NoReturn:
    """End quietly when the reader went away (`pyflow list | head -1`), as Unix tools do.

    Later writes, including the interpreter's final flush, go to /dev/null so Python does not
    print "Exception ignored ... BrokenPipeError"; the status is 141 (128 + SIGPIPE).
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass  # not a real file (tests): nothing will flush to the closed pipe
    raise SystemExit(BROKEN_PIPE_STATUS)


def _set_debug(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    ctx.meta["pyflow.debug"] = value
    return value


def _set_verbosity(ctx: click.Context, _param: click.Parameter, value: int) -> int:
    level = {0: logging.WARNING, 1: logging.INFO}.get(value, logging.DEBUG)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("pyflow").setLevel(level)
    return value


@click.group(cls=PyflowGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="pyflow")
@click.option(
    "--debug",
    is_flag=True,
    envvar="PYFLOW_DEBUG",
    expose_value=False,
    is_eager=True,
    callback=_set_debug,
    help="Show tracebacks instead of one-line errors.",
)
@click.option(
    "-v",
    "--verbose",
    count=True,
    expose_value=False,
    callback=_set_verbosity,
    help="Log pyflow's activity to stderr (-v info, -vv debug).",
)
def cli() -> None:
    """Run and operate pyflow workflows on Amazon SWF or the local engine.

    \b
    Try a workflow in one process, no AWS account needed:
      pyflow run workflows.string_transformer:workflow --input World --lambdas handlers.strings
    Operate executions on AWS, or on `pyflow local serve` with --endpoint-url:
      pyflow start MODULE:ATTRIBUTE --input '{"key": 1}'
      pyflow describe WORKFLOW_ID
    """


def _register() -> None:
    for commands in (
        run_commands,
        local_commands,
        execution_commands,
        describe_commands,
        list_commands,
        graph_commands,
        worker_commands,
        ui_commands,
    ):
        for command in commands:
            cli.add_command(command)


_register()
