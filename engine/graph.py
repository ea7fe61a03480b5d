"""Walking a graph: the topological order, and backward one gate at a time (``propagate``).

Written against a small protocol, as MiniTorch's autodiff is: a node has ``data``, ``grad``,
``label``, ``_prev`` (its inputs in operand order), ``_gate`` and ``_local`` (d node / d input).
``Value`` (value.py) and the step records (steps.py) both sit on top of this module.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from . import errors


def topological_order(root, clear: bool = False) -> list:
    """Every node that ``root`` depends on, each listed after all of its inputs (leaves first).

    Iterative depth-first search: a recursive walk would stop at Python's recursion limit on a
    chain about 1000 gates deep. A node is appended once all of its inputs have been; in a graph
    without cycles an input seen before is always finished already. With ``clear`` (backward's
    use) it zeroes each node's ``_pass_grad`` on the way, saving backward a second walk.
    """
    errors.root_or_refuse(root, "topological_order")
    if clear:
        root._pass_grad = 0.0
    order: list = []
    visited = {root}
    stack = [(root, iter(root._prev))]  # each entry: a node and the inputs still to look at
    while stack:
        node, inputs = stack[-1]
        for p in inputs:
            if p not in visited:
                visited.add(p)
                if clear:
                    p._pass_grad = 0.0
                if p._prev:
                    stack.append((p, iter(p._prev)))
                    break
                order.append(p)
        else:  # every input of node is in `order` already
            stack.pop()
            order.append(node)
    return order


def zero_grad(*roots) -> None:
    """Set ``.grad`` to 0 on every node reachable from the given roots."""
    for root in roots:
        for node in topological_order(root):
            node.grad = 0.0


def propagate(root, check: bool = False) -> Iterator[tuple]:
    """Backward one gate at a time: THE backward loop, for step records and anomaly mode.

    ``Value.backward`` is its unrolled twin (same order and arithmetic; tests pin them equal),
    but here a gate's contributions reach its inputs' ``.grad`` as soon as it fires: after k
    gates the graph is "k gates done". The pass sums in a dict of its own, so drawing a graph
    meanwhile never mixes two passes, and a gradient added from outside between steps is kept.
    Yields ``(node, upstream, before)`` per gate, ``before[input]`` = (its gradient before the
    pass, its sum before this gate), so a step record replays the additions exactly. With
    ``check``, a non-finite gradient raises AnomalyError and puts every ``.grad`` back.
    """
    order = topological_order(root)
    base = {n: n.grad for n in order}
    sums = dict.fromkeys(order, 0.0)
    sums[root] = 1.0
    root.grad = base[root] + 1.0
    for node in reversed(order):
        prev = node._prev
        if not prev:
            continue
        g = sums[node]
        for p in prev:  # a .grad changed outside this pass (say another backward) is kept
            shown = base[p] + sums[p]
            if p.grad != shown:
                base[p] += p.grad - shown
        before = {p: (base[p], sums[p]) for p in prev}
        for child, local in zip(prev, node._local):
            sums[child] += local * g
            child.grad = base[child] + sums[child]
        if check and not all(math.isfinite(sums[p]) for p in prev):
            for n, grad in base.items():
                n.grad = grad
            raise errors.backward_anomaly(root, node, g, {p: sums[p] for p in prev})
        yield node, g, before
