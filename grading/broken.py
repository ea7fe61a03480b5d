"""The three classic wrong backward passes, written out so a class can watch them fail.

Each is a real algorithm over the engine's graph (the stored ``_prev`` and ``_local``), short
enough to compare line by line with the right one, and each returns the gradients it computes
without touching any ``.grad``:

1. ``assign_at_fork``: ``child.grad = ...`` instead of ``+=``: a node used twice keeps only the
   last gradient it received;
2. ``recursive_without_order``: each node pushes its gradient to its inputs, then recurses into
   them at once: a shared node is reached once per use and pushes its whole gradient each time,
   sometimes before every user has added its part;
3. ``second_backward_propagating_grad``: micrograd's backward run a second time without
   zero_grad: the root's gradient is set to 1, but every inner node propagates its ACCUMULATED
   ``.grad`` (both passes' sums), so the leaves receive more than twice the first answer.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from engine.value import Value, topological_order
from words import N_, Text, _, error


@dataclass(frozen=True)
class BrokenPass:
    """One wrong algorithm: its name, what goes wrong, the line that differs from the right one."""

    key: str
    title: str  # msgid, marked with N_()
    wrong_line: str  # the line of code as the broken engine writes it
    right_line: str  # the same line in a right engine


ASSIGN = BrokenPass(
    "assign_at_fork", N_("= instead of += where a node is used twice"),
    "child.grad = local * node.grad", "child.grad += local * node.grad")
RECURSIVE = BrokenPass(
    "recursive_without_order", N_("a recursive pass without a topological order"),
    "node._backward(); for child in node._prev: child.backward()   # recurse at once",
    "for node in reversed(topological_order(root)): ...   # every user first")
SECOND = BrokenPass(
    "second_backward_propagating_grad",
    N_("a second backward that propagates the accumulated .grad"),
    "root.grad = 1; child.grad += local * node.grad   # node.grad holds both passes",
    "g = {root: 1}; g[child] += local * g[node]; node.grad += g[node]   # this pass only")
BROKEN = (ASSIGN, RECURSIVE, SECOND)


def commented(line: str) -> str:
    """A line of code with its comment in the class's language (the code stays as it is)."""
    code, mark, comment = line.partition("# ")
    return code + mark + _(comment) if mark else line


def assign_at_fork(root: Value) -> dict[Value, float]:
    """Backward in topological order, but with ``=`` where the right pass has ``+=``."""
    grads = {node: 0.0 for node in topological_order(root)}
    grads[root] = 1.0
    for node in reversed(list(grads)):
        for child, local in zip(node._prev, node._local):
            grads[child] = local * grads[node]  # the bug: the gradient from another use is lost
    return grads


MAX_CALLS = 1_000_000  # about a second of Python; a 40-deep doubling would need 2^41 calls


def recursion_cost(root: Value) -> tuple[int, int]:
    """(calls, depth) of ``recursive_without_order`` on ``root``'s graph, worked out without
    making them: a node is called once for every path from the root to it (a node used twice
    is called twice, and everything below it twice again), and the recursion is as deep as the
    longest such path, in nodes. One walk in topological order, so it is cheap."""
    order = topological_order(root)
    paths, depth = dict.fromkeys(order, 0), dict.fromkeys(order, 0)
    paths[root], depth[root] = 1, 1
    for node in reversed(order):
        for child in node._prev:  # a + a: the child is called twice
            paths[child] += paths[node]
            depth[child] = max(depth[child], depth[node] + 1)
    return sum(paths.values()), max(depth.values())


def _refuse_explosion(root: Value) -> None:
    """Refuse, saying why, a graph on which the recursion would run for hours or past Python's
    recursion limit: that cost is the lesson, so the message teaches it."""
    calls, depth = recursion_cost(root)
    limit = sys.getrecursionlimit()
    if calls > MAX_CALLS:
        raise error(ValueError, Text(
            "recursive_without_order: without a topological order a node is visited once for "
            "every path from the root to it, so this graph of {nodes} nodes would take {calls} "
            "visits (at a million a second, {hours} hours). That is the lesson: backward in "
            "topological order visits each node once. Refused above {limit} visits.",
            nodes=len(topological_order(root)), calls=f"{calls:.3g}",
            hours=f"{calls / 1e6 / 3600:.3g}", limit=f"{MAX_CALLS:,}"))
    if depth > limit // 2:  # half: the caller's frames (a notebook, a test runner) count too
        raise error(ValueError, Text(
            "recursive_without_order: a recursive pass goes one Python call deeper for every "
            "gate on the way down; this graph is {depth} nodes deep, and Python stops at {limit} "
            "nested calls (RecursionError; refused above {half}). That is why engines walk a "
            "topological order in a loop.", depth=depth, limit=limit, half=limit // 2))


def recursive_without_order(root: Value) -> dict[Value, float]:
    """micrograd's backward without its topological sort: a node runs its gate's rule, then
    recurses into each input. A node reached twice pushes its WHOLE gradient again, and a
    node reached before all its users have added their part pushes a half-finished one.
    Graphs on which the recursion would explode (``recursion_cost``) are refused first."""
    _refuse_explosion(root)
    grads = dict.fromkeys(topological_order(root), 0.0)
    grads[root] = 1.0

    def backward(node: Value) -> None:
        for child, local in zip(node._prev, node._local):  # node._backward()
            grads[child] += local * grads[node]
        for child in node._prev:  # the bug: recurse at once, in no particular order
            backward(child)

    backward(root)
    return grads


def second_backward_propagating_grad(root: Value) -> dict[Value, float]:
    """Two micrograd-style backward passes without zero_grad; the gradients after the second.

    micrograd's ``backward`` sets ``root.grad = 1`` and runs each gate's closure, which adds
    ``local * out.grad`` to its inputs: on the second call ``out.grad`` holds the first pass's
    gradient too. The right result (PyTorch's) is exactly twice the first pass.
    """
    order = topological_order(root)
    grads = dict.fromkeys(order, 0.0)
    for _pass in range(2):
        grads[root] = 1.0  # micrograd: self.grad = 1
        for node in reversed(order):
            for child, local in zip(node._prev, node._local):
                grads[child] += local * grads[node]  # the bug on a second call: grads[node]
    return grads                                     # already holds the first pass too


def right_backward(root: Value, passes: int = 1) -> dict[Value, float]:
    """The engine's own backward, ``passes`` times from zero, read back without side effects."""
    order = topological_order(root)
    saved = [n.grad for n in order]
    try:
        for n in order:
            n.grad = 0.0
        for _ in range(passes):
            root.backward()
        return {n: n.grad for n in order}
    finally:
        for n, grad in zip(order, saved):
            n.grad = grad
