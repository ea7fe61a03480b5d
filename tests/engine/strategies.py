"""Hypothesis strategies and test points for the engine, kept in one file (as minitorch does).

Everything here is read from the gate table, with no list of gates: a row is applied through
the operator or method it installs (its ``operator`` / ``method`` columns), torch's counterpart
is found by its ``torch`` column, and a point is in a gate's domain when the gate's own kernel
accepts it, its output and local derivatives stay moderate, and the locals do not jump nearby
(relu at 0, max on a tie: kinks where finite differences mean nothing). A gate registered at
run time is drawn and checked like the table's own rows.

A random graph is drawn as a *recipe*: leaf values plus a list of gate applications whose
operands are earlier nodes, chosen with replacement so subexpressions are shared (fan-out) and
``a * a`` happens. The same recipe builds the graph from engine Values or from torch tensors, so
torch float64 can be the oracle.
"""

from __future__ import annotations

import functools
import importlib
import itertools
import operator
from dataclasses import dataclass

from hypothesis import strategies as st

import engine
from docs.gates_table import PYTHON_OPERATORS
from engine import GATES, pow_gate

# The one copy of each: exponents for the number-exponent pow gate (integers, where a negative
# base is fine, and fractions) and the grid of test points.
POW_EXPONENTS = (2.0, 3.0, -1.0, 0.5, 1.5, -2.0, 0.0, 1.0)
GRID = (-1.7, -0.6, 0.3, 0.9, 2.2)
MODERATE = 1e3  # outputs and local derivatives below this: no overflow, sane differences
KINK = 1e-3  # how far the locals are looked at either side of a point


def exponents(name: str) -> tuple[float | None, ...]:
    """The exponents a gate is drawn with: POW_EXPONENTS for a row bound by pow_gate(p)."""
    return POW_EXPONENTS if GATES[name].operator == "pow" and GATES[name].arity == 1 else (None,)


def _row(name: str, p: float | None):
    return GATES[name] if p is None else pow_gate(p)


def _run(gate, args) -> tuple | None:
    """The gate's kernel at ``args``: (out, locals), or None where the gate refuses."""
    try:
        return gate.kernel(*args)
    except (ArithmeticError, ValueError, TypeError):
        return None


def in_domain(name: str, p: float | None, a: float, b: float) -> bool:
    """True when gate ``name`` is defined, smooth and moderate at (a, b) (see the top)."""
    gate = _row(name, p)
    args = (float(a), float(b))[:gate.arity]  # as Value(a) stores it, whatever a's type
    result = _run(gate, args)
    if result is None:
        return False
    out, local = result
    if abs(out) >= MODERATE or any(abs(d) >= MODERATE for d in local):
        return False
    for k, step in itertools.product(range(gate.arity), (KINK, -KINK)):
        moved = list(args)
        moved[k] += step
        near = _run(gate, moved)
        if near is None or any(abs(x - y) > 0.05 * (1 + abs(y)) for x, y in zip(near[1], local)):
            return False
    return True


def points(name: str) -> list[tuple[float | None, float, float]]:
    """(p, a, b) test points of one gate: the GRID (both operands for a binary gate) and
    every exponent, kept where the gate is in its domain."""
    bs = GRID if GATES[name].arity == 2 else (1.0,)
    return [(p, a, b) for p, a, b in itertools.product(exponents(name), GRID, bs)
            if in_domain(name, p, a, b)]


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
        name = draw(st.sampled_from(tuple(GATES)))
        i = draw(st.integers(0, len(values) - 1))
        j = draw(st.integers(0, len(values) - 1))
        p = draw(st.sampled_from(exponents(name)))
        a, b = values[i], values[j]
        if not in_domain(name, p, a, b):
            name, p = "tanh", None  # always defined: keeps the draw instead of rejecting it
        ops.append((name, p, i, j))
        values.append(scalar_apply(name, p, a, b))
    return Recipe(tuple(leaves), tuple(ops))


def engine_apply(name: str, p, x, y):
    """Apply gate ``name`` to engine Values through the operator or method its row installs."""
    gate = GATES[name]
    if gate.operator == "pow":  # ** serves two rows: a number exponent, or a Value one
        return x ** p if gate.arity == 1 else x ** y
    if gate.operator:
        apply = getattr(operator, gate.operator)  # operator.add, operator.neg, ...
    else:
        apply = getattr(type(x), gate.method)
    return apply(x) if gate.arity == 1 else apply(x, y)


@functools.cache
def torch_function(name: str):
    """The torch function of a row's ``torch`` column ("torch.maximum")."""
    module, _, attribute = GATES[name].torch.rpartition(".")
    return getattr(importlib.import_module(module), attribute)


def torch_apply(name: str, p, x, y):
    """The same gate in torch, named by the table's ``torch`` column (the oracle)."""
    fn = torch_function(name)
    if p is not None:
        return fn(x, p)
    return fn(x, y) if GATES[name].arity == 2 else fn(x)


def expression_text(name: str, p, a: str, b: str) -> str:
    """One gate application as the command line's expression language writes it: a method's
    function call, or the operator as Python spells it (docs.gates_table.PYTHON_OPERATORS)."""
    gate = GATES[name]
    if gate.method:
        return f"{gate.method}({a})" if gate.arity == 1 else f"{gate.method}({a}, {b})"
    return "(" + PYTHON_OPERATORS[gate.operator].format(a=a, b=b if p is None else repr(p)) + ")"


def scalar_apply(name: str, p, a: float, b: float) -> float:
    return engine_apply(name, p, engine.Value(a), engine.Value(b)).data
