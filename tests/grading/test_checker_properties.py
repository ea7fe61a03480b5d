"""Properties of the node-by-node comparison, on random graphs of the gate table (the engine
tests' strategy: shared nodes, ``a * a``, every gate in its domain).

The student engines are loaded in this process here (they are our own files), so hypothesis
can draw hundreds of graphs; the child process is tested elsewhere.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

from hypothesis import given

from engine import Value
from grading.checker.builder import Builder
from grading.checker.compare import first_difference

from ..engine.strategies import engine_apply, recipes

STUDENTS = Path(__file__).resolve().parents[2] / "demos" / "student"


@cache
def student(name: str) -> type:
    spec = importlib.util.spec_from_file_location(f"_student_{name}", STUDENTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Value


def graph(recipe, cls: type, labels: bool):
    b = Builder(cls, labels=labels)
    b.graph()
    _, root = recipe.build(lambda v, i: b.leaf(v, f"x{i}"), lambda name, p, x, y:
                           engine_apply(name, p, x, y))
    b.backward(root)
    return b.graphs[0]


def compared(recipe, name: str):
    right, theirs = graph(recipe, Value, True), graph(recipe, student(name), False)
    return first_difference(right, 0, theirs.snapshots[0])


@given(recipes())
def test_the_correct_engine_agrees_with_gategrad_node_by_node(recipe):
    assert compared(recipe, "correct") is None


@given(recipes(min_ops=2))
def test_replacing_instead_of_adding_only_ever_shows_at_a_shared_node(recipe):
    """``=`` for ``+=`` is right wherever a node has one use: the first difference, if any, is
    a gradient (never a value) at a node that receives from more than one place."""
    found = compared(recipe, "replaced_not_added")
    if found is not None:
        assert found.kind == "backward" and found.uses > 1


@given(recipes())
def test_a_mistake_in_backward_never_shows_as_a_forward_difference(recipe):
    for name in ("mul_own_value", "lost_sign", "tanh_from_input", "max_to_smaller"):
        found = compared(recipe, name)
        assert found is None or found.kind == "backward", name


def test_the_comparison_can_fail_on_a_graph_it_must_catch():
    """Guards the properties above against a comparison that never finds anything."""
    bld = Builder(student("mul_own_value"))
    bld.graph()
    x, y = bld.leaf(0.8), bld.leaf(-1.3)
    bld.backward(x * y)
    ref = Builder(Value, labels=True)
    ref.graph()
    x, y = ref.leaf(0.8, "a"), ref.leaf(-1.3, "b")
    ref.backward(x * y)
    found = first_difference(ref.graphs[0], 0, bld.graphs[0].snapshots[0])
    assert (found.node, found.theirs, found.misconception.key) == ("b", -1.3, "mul_own_value")
