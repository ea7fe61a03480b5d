"""Hypothesis strategies for the engine, kept in one file (as minitorch does).

A random graph is drawn as a *recipe*: leaf values plus a list of gate applications whose
operands are earlier nodes, chosen with replacement so subexpressions are shared (fan-out) and
``a * a`` happens. The same recipe builds the graph from engine Values or from torch tensors, so
torch float64 can be the oracle. Inputs are kept inside each gate's domain, away from kinks
(relu at 0, max on a tie) where finite differences mean nothing, and values stay moderate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from hypothesis import strategies as st

import engine
from engine import GATES

# Exponents for the number-exponent pow gate: integers (negative bases allowed) and fractions.
POW_EXPONENTS = (2.0, 3.0, -1.0, 0.5, 1.5, -2.0, 0.0, 1.0)
GATE_NAMES = tuple(GATES)


def in_domain(name: str, p: float | None, a: float, b: float) -> bool:
    """True when gate `name` is defined, smooth and moderate at (a, b)."""
    if name == "div":
        return abs(b) > 0.1
    if name == "log":
        return a > 0.05
    if name == "exp":
        return a < 4
    if name == "relu":
        return abs(a) > 1e-3
    if name == "max":
        return abs(a - b) > 1e-3
    if name == "pow_value":
        return a > 0.05 and abs(b * math.log(a)) < 4
    if name == "pow":
        if p is not None and p != int(p) and a <= 0.05:
            return False
        return not (p is not None and p < 0 and abs(a) < 0.1)
    return True


@dataclass(frozen=True)
class Recipe:
    leaves: tuple[float, ...]
    ops: tuple[tuple[str, float | None, int, int], ...]  # (gate, pow exponent, operand i, j)

    def build(self, make_leaf, apply):
        """Build the graph; returns (leaves, root). root = sum of every gate's output, so every
        node matters and the later nodes fan out to the sum as well as to their consumers."""
        nodes = [make_leaf(v, i) for i, v in enumerate(self.leaves)]
        leaves = list(nodes)
        outputs = []
        for name, p, i, j in self.ops:
            out = apply(name, p, nodes[i], nodes[j])
            nodes.append(out)
            outputs.append(out)
        root = outputs[0]
        for out in outputs[1:]:
            root = root + out
        return leaves, root


@st.composite
def recipes(draw, min_ops: int = 1, max_ops: int = 12, max_leaves: int = 4) -> Recipe:
    n_leaves = draw(st.integers(1, max_leaves))
    leaves = [draw(st.floats(-2, 2, allow_nan=False).filter(lambda v: abs(v) > 1e-3))
              for _ in range(n_leaves)]
    values = list(leaves)
    ops = []
    for _ in range(draw(st.integers(min_ops, max_ops))):
        name = draw(st.sampled_from(GATE_NAMES))
        i = draw(st.integers(0, len(values) - 1))
        j = draw(st.integers(0, len(values) - 1))
        p = draw(st.sampled_from(POW_EXPONENTS)) if name == "pow" else None
        a, b = values[i], values[j]
        if not in_domain(name, p, a, b) or not _moderate(name, p, a, b):
            name, p = "tanh", None  # always defined: keeps the draw instead of rejecting it
        ops.append((name, p, i, j))
        values.append(scalar_apply(name, p, a, b))
    return Recipe(tuple(leaves), tuple(ops))


def _moderate(name: str, p: float | None, a: float, b: float) -> bool:
    """The output and its local derivatives stay below 1e3 (no overflow, sane finite diffs)."""
    try:
        out = engine_apply(name, p, engine.Value(a), engine.Value(b))
    except (ValueError, ZeroDivisionError, OverflowError):
        return False
    return abs(out.data) < 1e3 and all(abs(d) < 1e3 for d in out._local)


def engine_apply(name: str, p, x, y):
    """Apply gate `name` to engine Values through the public operators and methods."""
    return {
        "add": lambda: x + y, "sub": lambda: x - y, "mul": lambda: x * y, "div": lambda: x / y,
        "neg": lambda: -x, "pow": lambda: x ** p, "pow_value": lambda: x ** y,
        "exp": lambda: x.exp(), "log": lambda: x.log(), "tanh": lambda: x.tanh(),
        "sigmoid": lambda: x.sigmoid(), "relu": lambda: x.relu(), "max": lambda: x.max(y),
    }[name]()


def torch_apply(name: str, p, x, y):
    """The same gate in torch, named by the table's `torch` column (the oracle)."""
    import torch

    fn = getattr(torch, GATES[name].torch)
    if name == "pow":
        return fn(x, p)
    return fn(x, y) if GATES[name].arity == 2 else fn(x)


def scalar_apply(name: str, p, a: float, b: float) -> float:
    return engine_apply(name, p, engine.Value(a), engine.Value(b)).data
