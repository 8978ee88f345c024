"""How commands print: rich tables on a terminal, aligned plain lines otherwise, JSON on request.

Keeping the choice here means every command behaves the same when piped into `grep` or a
script, and tests (which never run on a terminal) see stable plain text.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import click
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

STATE_STYLES = {
    "completed": "green",
    "COMPLETED": "green",
    "running": "cyan",
    "scheduled": "blue",
    "OPEN": "cyan",
    "retry_wait": "yellow",
    "retrying": "yellow",
    "repeat_wait": "cyan",
    "repeating": "cyan",
    "skipped": "bright_magenta",
    "waiting": "dim",
    "failed": "red",
    "FAILED": "red",
    "TIMED_OUT": "red",
    "TERMINATED": "magenta",
    "canceled": "magenta",
    "CANCELED": "magenta",
    "CONTINUED_AS_NEW": "blue",
}


def is_terminal() -> bool:
    """True when stdout is an interactive terminal (never under tests or pipes)."""
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, (set, tuple)):
        return list(value)
    if hasattr(value, "__dict__"):
        return {k: v for k, v in vars(value).items() if not k.startswith("_")}
    return repr(value)


def to_json(data: Any) -> str:
    return json.dumps(data, indent=2, default=_json_default, ensure_ascii=False)


def echo_json(data: Any) -> None:
    """Print `data` as indented JSON; datetimes become ISO 8601 strings in UTC."""
    click.echo(to_json(data))


def utc(value: datetime) -> datetime:
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def iso(value: datetime | None) -> str | None:
    return None if value is None else utc(value).isoformat().replace("+00:00", "Z")


def when(value: datetime | None) -> str:
    """A timestamp for people: date and time in UTC to the second."""
    if value is None:
        return "-"
    return utc(value).strftime("%Y-%m-%d %H:%M:%S")


def clock(value: datetime | None) -> str:
    """A time of day in UTC with milliseconds, for task tables within one execution."""
    if value is None:
        return "-"
    return utc(value).strftime("%H:%M:%S.%f")[:-3]


def duration(seconds: float | None) -> str:
    """'850ms', '4.2s', '3m05s', '2h03m', '1d02h': short and unambiguous."""
    if seconds is None:
        return "-"
    if seconds < 1:
        return f"{seconds * 1000:.0f}ms"
    if seconds < 60:
        return f"{seconds:.1f}s"
    whole = int(seconds)
    if whole < 3600:
        return f"{whole // 60}m{whole % 60:02d}s"
    if whole < 86400:
        return f"{whole // 3600}h{whole % 3600 // 60:02d}m"
    return f"{whole // 86400}d{whole % 86400 // 3600:02d}h"


def between(start: datetime | None, end: datetime | None) -> float | None:
    # Never negative: a local engine on virtual time can be ahead of this machine's clock.
    if start is None or end is None:
        return None
    return max(0.0, (utc(end) - utc(start)).total_seconds())


def short(value: Any, limit: int = 60) -> str:
    """A one-line preview of a payload (JSON for structures), cut at `limit` characters."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    title: str | None = None,
    style_column: int | None = None,
) -> None:
    """Print rows under headers: a rich table on a terminal, aligned columns otherwise.

    `style_column` names the column whose values (states, statuses) pick a colour.
    """
    if is_terminal():
        _rich_table(headers, rows, title=title, style_column=style_column)
        return
    if title:
        click.echo(title)
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    lines = [headers, *rows]
    for line in lines:
        click.echo("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())


def _rich_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    title: str | None,
    style_column: int | None,
) -> None:
    out = Table(
        title=title, title_justify="left", header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False
    )
    last = len(headers) - 1
    for i, header in enumerate(headers):
        # Never squeeze ids or times into ellipses: a wide table beats a wrong-looking value.
        # The last column (details, reasons) folds onto more lines instead: were it kept on
        # one line, rich would shrink the other columns to nothing to make room.
        widest = max([len(header), *(len(row[i]) for row in rows)])
        if i == last:
            out.add_column(header, overflow="fold", min_width=min(widest, 40))
        else:
            out.add_column(header, no_wrap=True, min_width=min(widest, 60))
    for row in rows:
        cells = [Text(cell) for cell in row]
        if style_column is not None:
            state = row[style_column].split(" ")[0]  # 'retrying (attempt 2)' -> 'retrying'
            cells[style_column].stylize(STATE_STYLES.get(state, ""))
        out.add_row(*cells)
    console = Console()
    # Lay the table out at its natural width; a terminal narrower than that wraps lines,
    # which reads better than values cut short.
    natural = sum(c.min_width or 0 for c in out.columns) + 3 * len(headers)
    console.width = max(console.width, natural)
    console.print(out)


def state_label(
    state: str,
    attempts: int,
    iteration: int = 0,
    max_iterations: int | None = None,
    wait: float | None = None,
    items: tuple[int, int] | None = None,
) -> str:
    """A task state as users read it: the decider's `retry_wait` names the attempt to come
    and how long it waits ('retrying in 4.0s (attempt 3)'), `repeat_wait` the iteration to
    come, a repeating task says which iteration it is on ('running (iteration 2/5)'), and a
    mapped task how many of its items are done (`items`: done, total; 'running (3/7 items)')."""
    of = f"/{max_iterations}" if max_iterations is not None else ""
    after = f" in {wait:.1f}s" if wait else ""
    if state == "repeat_wait":
        return f"repeating{after} (iteration {iteration + 1}{of})"
    notes = [f"attempt {attempts + 1}"] if state == "retry_wait" else []
    if iteration and (max_iterations is not None or iteration > 1):
        notes.append(f"iteration {iteration}{of}")
    if items is not None:
        notes.append(f"{items[0]}/{items[1]} items")
    word = f"retrying{after}" if state == "retry_wait" else state
    return f"{word} ({', '.join(notes)})" if notes else word


def styled(text: str, state: str) -> str:
    """`text` coloured for `state` when printing to a terminal; unchanged otherwise."""
    colour = STATE_STYLES.get(state)
    if colour and is_terminal():
        return click.style(text, fg=colour.replace("dim", "bright_black"))
    return text


def fields(pairs: Sequence[tuple[str, str]]) -> None:
    """Print `label: value` lines with the values aligned."""
    width = max((len(label) for label, _ in pairs), default=0)
    for label, value in pairs:
        click.echo(f"{(label + ':').ljust(width + 1)} {value}")
