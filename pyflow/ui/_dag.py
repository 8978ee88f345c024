"""Where each task of the DAG is drawn: a layered layout, left to right, computed in Python.

The page draws it as SVG from these positions, so no graph renderer ships with the package.
A task's layer is one more than its deepest dependency's; within a layer, tasks sit in the
order of the mean row of their dependencies, each as near that row as the tasks above it
allow, which keeps most edges short and straight.
Without the definition the dependencies are unknown, and tasks are layered by when the history
first shows them: tasks scheduled by one decision share a layer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

NODE_WIDTH = 200
NODE_HEIGHT = 74
COLUMN_GAP = 60
ROW_GAP = 22
MARGIN = 12


@dataclass(frozen=True)
class Node:
    name: str
    x: int
    y: int
    layer: int


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    path: str
    """An SVG path: a curve from the right side of `source` to the left side of `target`."""


@dataclass(frozen=True)
class Layout:
    nodes: dict[str, Node]
    edges: list[Edge]
    width: int
    height: int


def layers_from_dependencies(order: Sequence[str], deps: Mapping[str, Sequence[str]]) -> list[int]:
    """Each task's layer, for tasks given in an order where dependencies come first."""
    layer: dict[str, int] = {}
    for name in order:
        layer[name] = 1 + max((layer[d] for d in deps.get(name, ()) if d in layer), default=-1)
    return [layer[name] for name in order]


def layout(
    order: Sequence[str], layers: Sequence[int], deps: Mapping[str, Sequence[str]]
) -> Layout:
    """Positions for tasks `order` in `layers` (same length), with an edge per dependency."""
    columns: dict[int, list[str]] = {}
    for name, number in zip(order, layers, strict=True):
        columns.setdefault(number, []).append(name)
    row: dict[str, int] = {}
    for number in sorted(columns):
        names = columns[number]
        given = {name: index for index, name in enumerate(names)}
        wanted = {n: _mean_row(deps.get(n, ()), row, given[n]) for n in names}
        names.sort(key=lambda n: wanted[n])
        below = -1
        for name in names:
            # As near its dependencies as the tasks above it in the layer allow.
            below = row[name] = max(below + 1, round(wanted[name]))
    nodes = {
        name: Node(
            name,
            MARGIN + number * (NODE_WIDTH + COLUMN_GAP),
            MARGIN + row[name] * (NODE_HEIGHT + ROW_GAP),
            number,
        )
        for number, names in columns.items()
        for name in names
    }
    edges = [
        Edge(dep, name, _curve(nodes[dep], nodes[name]))
        for name in order
        for dep in deps.get(name, ())
        if dep in nodes
    ]
    width = MARGIN * 2 + max(columns, default=0) * (NODE_WIDTH + COLUMN_GAP) + NODE_WIDTH
    tallest = 1 + max(row.values(), default=0)
    height = MARGIN * 2 + tallest * (NODE_HEIGHT + ROW_GAP) - ROW_GAP
    return Layout(nodes, edges, width, height)


def _mean_row(deps: Sequence[str], row: Mapping[str, int], fallback: int) -> float:
    placed = [row[d] for d in deps if d in row]
    return sum(placed) / len(placed) if placed else float(fallback)


def _curve(source: Node, target: Node) -> str:
    x1, y1 = source.x + NODE_WIDTH, source.y + NODE_HEIGHT // 2
    x2, y2 = target.x, target.y + NODE_HEIGHT // 2
    bend = max(20, (x2 - x1) // 2)
    return f"M{x1},{y1} C{x1 + bend},{y1} {x2 - bend},{y2} {x2},{y2}"
