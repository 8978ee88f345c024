"""The DAG's layout: layers follow dependencies, rows keep edges short, nothing overlaps."""

from __future__ import annotations

from pyflow.ui._dag import NODE_HEIGHT, NODE_WIDTH, layers_from_dependencies, layout

DEPS = {"start": [], "a": ["start"], "b": ["start"], "c": ["a"], "join": ["b", "c"]}
ORDER = list(DEPS)


def test_a_task_sits_one_layer_after_its_deepest_dependency() -> None:
    assert layers_from_dependencies(ORDER, DEPS) == [0, 1, 1, 2, 3]


def test_nodes_do_not_overlap_and_every_dependency_is_an_edge() -> None:
    drawn = layout(ORDER, layers_from_dependencies(ORDER, DEPS), DEPS)
    boxes = [(n.x, n.y) for n in drawn.nodes.values()]
    for i, (x1, y1) in enumerate(boxes):
        for x2, y2 in boxes[i + 1:]:
            assert abs(x1 - x2) >= NODE_WIDTH or abs(y1 - y2) >= NODE_HEIGHT
    assert {(e.source, e.target) for e in drawn.edges} == {
        (dep, name) for name, deps in DEPS.items() for dep in deps
    }
    assert all(n.x + NODE_WIDTH <= drawn.width and n.y + NODE_HEIGHT <= drawn.height
               for n in drawn.nodes.values())


def test_a_task_is_placed_in_line_with_its_dependency() -> None:
    deps = {"start": [], "x": ["start"], "y": ["start"], "after_y": ["y"]}
    drawn = layout(list(deps), layers_from_dependencies(list(deps), deps), deps)
    assert drawn.nodes["after_y"].y == drawn.nodes["y"].y
