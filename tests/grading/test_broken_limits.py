"""The broken recursive engine refuses graphs it would take hours on, saying why (issue 23).

Before: ``recursive_without_order`` on a 40-deep doubling (x, x + x, ...) set out on 2^41 - 1
calls (weeks), and on a 5,000-deep chain crashed with a bare RecursionError. Its cost is worked
out first (``recursion_cost``), checked here against the calls the recursion really makes.
"""

from __future__ import annotations

import sys

import pytest
from hypothesis import given

from engine import Value
from grading import broken
from tests.engine.strategies import engine_apply, recipes
from words import localize


def doubling(depth: int) -> Value:
    x = Value(1.0, label="x")
    for _ in range(depth):
        x = x + x
    return x


def chain(depth: int) -> Value:
    x = Value(1.0, label="x")
    for _ in range(depth):
        x = -x
    return x


def test_a_40_deep_doubling_is_refused_with_the_lesson():
    # 2^0 + 2^1 + ... + 2^40 = 2^41 - 1 = 2,199,023,255,551 visits of 41 nodes
    assert broken.recursion_cost(doubling(40)) == (2_199_023_255_551, 41)
    with pytest.raises(ValueError) as error:
        broken.recursive_without_order(doubling(40))
    assert str(error.value) == (
        "recursive_without_order: without a topological order a node is visited once for every "
        "path from the root to it, so this graph of 41 nodes would take 2.2e+12 visits (at a "
        "million a second, 611 hours). That is the lesson: backward in topological order visits "
        "each node once. Refused above 1,000,000 visits.")
    assert "这个有 41 个节点的计算图要访问 2.2e+12 次" in localize(error.value, "zh")


def test_a_5000_deep_chain_is_refused_before_python_s_recursion_limit():
    limit = sys.getrecursionlimit()
    assert broken.recursion_cost(chain(5000)) == (5001, 5001)
    with pytest.raises(ValueError, match=rf"this graph is 5001 nodes deep, and Python stops at "
                                         rf"{limit} nested calls \(RecursionError; refused above "
                                         rf"{limit // 2}\)"):
        broken.recursive_without_order(chain(5000))


def test_the_limits_themselves():
    assert broken.recursion_cost(doubling(18))[0] == 2**19 - 1  # 524,287: run
    assert broken.recursive_without_order(doubling(18))
    assert broken.recursion_cost(doubling(19))[0] == 2**20 - 1  # 1,048,575: refused
    with pytest.raises(ValueError, match="would take 1.05e\\+06 visits"):
        broken.recursive_without_order(doubling(19))
    depth = sys.getrecursionlimit() // 2
    assert broken.recursive_without_order(chain(depth - 1))  # depth nodes: run
    with pytest.raises(ValueError, match=f"{depth + 1} nodes deep"):
        broken.recursive_without_order(chain(depth))


def test_the_fanout_demo_graph_by_hand():
    a = Value(1.0, label="a")
    b = a + a
    # c, b twice, a four times: 7 calls, 3 deep
    assert broken.recursion_cost(b + b) == (7, 3)


def test_the_depth_is_the_longest_path_not_the_last_one_seen():
    # root = (x + 1) + exp(tanh(x)): x is reached through x + 1 (3 nodes deep: root, +, x) and
    # through exp and tanh (4 deep: root, exp, tanh, x), and the walk sees the short way last.
    # Calls: root, x + 1, its constant, exp, tanh once each, x twice: 7.
    x = Value(1.0, label="x")
    root = (x + 1) + x.tanh().exp()
    assert broken.recursion_cost(root) == (7, 4) == _calls(root)


def _calls(root: Value) -> tuple[int, int]:
    """The calls the recursion really makes, and its greatest depth, read with a profiler."""
    code = broken.recursive_without_order.__code__
    calls, depth, deepest = 0, 0, 0

    def profile(frame, event, _arg):
        nonlocal calls, depth, deepest
        if frame.f_code.co_name == "backward" and frame.f_back.f_code in (code, frame.f_code):
            if event == "call":
                calls, depth = calls + 1, depth + 1
                deepest = max(deepest, depth)
            elif event == "return":
                depth -= 1

    sys.setprofile(profile)
    try:
        broken.recursive_without_order(root)
    finally:
        sys.setprofile(None)
    return calls, deepest


@given(recipes(max_ops=10))
def test_the_cost_worked_out_is_the_cost_the_recursion_pays(recipe):
    _leaves, root = recipe.build(lambda v, i: Value(v, label=f"x{i}"), engine_apply)
    assert broken.recursion_cost(root) == _calls(root)
