"""Formula strings -> numpy: the gate table's text, vectorised.

Every formula of the gate table passed ``engine.formulas.check_formula`` when its row was made,
so it is plain arithmetic over the gate's inputs and the helpers of ``engine.formulas.HELPERS``,
whose numpy column gives each helper's array form. Python's scalar control flow
(``x if t else y``, ``and``, ``not``, chained comparisons) is rewritten into numpy's elementwise
forms; arithmetic and comparisons already broadcast.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..formulas import HELPERS, check_formula
from ..gates import Check, Gate

# Each helper's numpy column, evaluated once (our own table's text, with numpy in scope).
NUMPY_FUNCTIONS: dict[str, object] = {
    h.name: eval(h.numpy, {"np": np, "__builtins__": {}}) for h in HELPERS.values()}


class ReplayError(ValueError):
    """The graph cannot be replayed, or the batch does not fit the compiled program."""


def formula_names(gate: Gate, *extra: str) -> list[str]:
    """The variables a formula of ``gate`` may read: its inputs, ``extra`` and a bound ``p``."""
    return [*gate.inputs, *extra, *(["p"] if gate.param is not None else [])]


# -- checked formulas -> numpy functions ----------------------------------------------------------


class _Vectorise(ast.NodeTransformer):
    """Rewrite Python's scalar control flow into numpy's elementwise forms.

    ``x if t else y`` -> where(t, x, y); ``a and b`` -> logical_and; ``not a`` -> logical_not;
    ``0 < p < 1`` -> logical_and(0 < p, p < 1). Arithmetic and comparisons already broadcast.
    """

    def visit_IfExp(self, node):
        self.generic_visit(node)
        return _call("_where", node.test, node.body, node.orelse)

    def visit_BoolOp(self, node):
        self.generic_visit(node)
        name = "_and" if isinstance(node.op, ast.And) else "_or"
        result = node.values[0]
        for value in node.values[1:]:
            result = _call(name, result, value)
        return result

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        return _call("_not", node.operand) if isinstance(node.op, ast.Not) else node

    def visit_Compare(self, node):
        self.generic_visit(node)
        pairs = zip([node.left, *node.comparators], node.ops, node.comparators)
        parts = [ast.Compare(left, [op], [right]) for left, op, right in pairs]
        result = parts[0]
        for part in parts[1:]:
            result = _call("_and", result, part)
        return result


def _call(name: str, *args: ast.expr) -> ast.Call:
    return ast.Call(ast.Name(name, ast.Load()), list(args), [])


def _where(test, x, y):
    """x if test else y, elementwise; a scalar test (as ``if p`` in pow) just picks a side."""
    return (x if test else y) if np.ndim(test) == 0 else np.where(test, x, y)


_PLUMBING = {"_where": _where, "_and": np.logical_and, "_or": np.logical_or,
             "_not": np.logical_not}


def _vectorised(gate: Gate, formula: str, args: Sequence[str], kind: str = "number") -> str:
    """One formula string of ``gate`` (checked again: it costs nothing) as numpy source text."""
    tree = check_formula(formula, formula_names(gate, *args), f"{gate.name} gate", kind)
    return ast.unparse(ast.fix_missing_locations(_Vectorise().visit(tree)))


def _numpy_function(gate: Gate, source: str | list[str], args: Sequence[str]) -> Callable:
    """A numpy function of ``args`` returning one vectorised formula, or a tuple of a list."""
    body = source if isinstance(source, str) else "(" + ", ".join(source) + ",)"
    env = dict(NUMPY_FUNCTIONS, **_PLUMBING, p=gate.param, __builtins__={})
    return eval(f"lambda {', '.join(args)}: {body}", env)  # composed of checked formulas


@dataclass(frozen=True)
class _Forms:
    """A gate in numpy form: forward(*inputs), local(*inputs, out) -> tuple, checks."""

    forward: Callable
    local: Callable
    checks: tuple[tuple[Check, Callable], ...]


@functools.cache  # a Gate is a frozen dataclass: equal rows share one compiled form
def numpy_forms(gate: Gate) -> _Forms:
    """A gate in numpy form, compiled once from its formula strings."""
    args, with_out = list(gate.inputs), [*gate.inputs, "out"]
    local = [_vectorised(gate, text, with_out) for text in gate.local]
    return _Forms(
        forward=_numpy_function(gate, _vectorised(gate, gate.forward, args), args),
        local=_numpy_function(gate, local, with_out),
        checks=tuple((c, _numpy_function(gate, _vectorised(gate, c.when, args, "truth"), args))
                     for c in gate.checks),
    )


@functools.cache
def linear_coefficients(gate: Gate) -> tuple[float, ...] | None:
    """``(c_a, c_b)`` for a gate the table declares linear (``out = c_a·a + c_b·b``: add, sub,
    neg), read from its constant local derivatives; None for every other gate."""
    if not gate.linear:
        return None
    try:
        return tuple(float(ast.literal_eval(local)) for local in gate.local)
    except (ValueError, SyntaxError):
        raise ReplayError(f"{gate.name} gate is declared linear, but its local derivatives "
                          f"{gate.local} are not all numbers") from None


@functools.cache
def is_product(gate: Gate) -> bool:
    """True for a gate whose forward formula is ``a * b`` of its two inputs (locals ``(b, a)``)."""
    if gate.arity != 2:
        return False
    a, b = gate.inputs
    return (ast.dump(ast.parse(gate.forward, mode="eval")) ==
            ast.dump(ast.parse(f"{a} * {b}", mode="eval")) and gate.local == (b, a))
