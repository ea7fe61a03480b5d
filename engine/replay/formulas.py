"""Formula strings -> numpy: the gate table's text, checked by one whitelisted ``ast`` walk.

Every formula of the gate table (forward, local derivatives, domain checks) is plain Python
arithmetic over the gate's inputs and a few helper names. ``check_formula`` is the one gate
keeper: it parses a formula and refuses any node outside ``ALLOWED_NODES`` and any name outside
the inputs and the helpers. The numpy forms here and the lesson page's JavaScript kernels are
both made from formulas that passed it, so no translator ever sees anything else.
"""

from __future__ import annotations

import ast
import functools
import math
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from ..gates import Check, Gate

# -- numpy twins of the scalar helpers ------------------------------------------------------------


def _sigmoid(a):
    # The scalar helper's two branches, 1 / (1 + exp(-a)) for a >= 0 and exp(a) / (1 + exp(a))
    # below, without a select: z = exp(-|a|) is exp(a) below 0, and max(z, a >= 0) is 1 above.
    z = np.exp(-np.abs(a))
    return np.maximum(z, a >= 0) / (1.0 + z)


def _route(a, b):
    return np.greater(a, b).astype(np.float64) + 0.5 * np.equal(a, b)


# Same names, same values (ties, zeros), as engine.gates.SCALAR_FUNCTIONS: a formula string of
# the gate table evaluates to the scalar result with those and to arrays with these. No
# np.where: on unpredictable masks it is ten times slower than arithmetic here. relu and
# maximum keep a NaN, as torch does (np.maximum propagates it).
NUMPY_FUNCTIONS: dict[str, object] = {
    "exp": np.exp,
    "log": np.log,
    "tanh": np.tanh,
    "sigmoid": _sigmoid,
    "relu": lambda a: np.maximum(a, 0.0),
    "step": lambda a: np.greater(a, 0.0).astype(np.float64),
    "maximum": np.maximum,
    "route": _route,
    "is_int": lambda p: np.floor(p) == p,
    "inf": np.inf,
}


class ReplayError(ValueError):
    """The graph cannot be replayed, or the batch does not fit the compiled program."""


# -- the one whitelisted walk ---------------------------------------------------------------------

# Arithmetic, comparisons, and/or/not, ``x if t else y``, calls of helper names, names, numbers.
ALLOWED_NODES: tuple[type[ast.AST], ...] = (
    ast.Expression, ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.IfExp, ast.Call,
    ast.Name, ast.Load, ast.Constant, ast.Tuple, ast.operator, ast.unaryop, ast.boolop,
    ast.cmpop)


def check_formula(formula: str, names: Iterable[str], where: str) -> ast.Expression:
    """Parse one formula string and check every node of it, or raise ReplayError naming ``where``.

    ``names`` are the variables the formula may read (the gate's inputs, ``out``, ``p``); the
    helper functions of NUMPY_FUNCTIONS are always allowed, called by plain name only.
    """
    try:
        tree = ast.parse(formula, mode="eval")
    except SyntaxError as e:
        raise ReplayError(f"{where} is not a Python expression ({e.msg})") from None
    known = set(names) | set(NUMPY_FUNCTIONS)
    for node in ast.walk(tree):
        if not isinstance(node, ALLOWED_NODES):
            raise ReplayError(f"{where}: the replay cannot vectorise {type(node).__name__} "
                              "(only arithmetic, comparisons, and/or/not, x if t else y and "
                              "calls of NUMPY_FUNCTIONS)")
        if isinstance(node, ast.Call) and (node.keywords or not isinstance(node.func, ast.Name)):
            raise ReplayError(f"{where}: only plain calls of helper names can be vectorised")
        if isinstance(node, ast.Name) and node.id not in known:
            raise ReplayError(f"{where}: {node.id!r} has no numpy form; add it to "
                              "engine.replay.NUMPY_FUNCTIONS next to SCALAR_FUNCTIONS")
    return tree


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


def _numpy_function(gate: Gate, formula: str, args: Sequence[str]) -> Callable:
    """Compile one formula string of `gate` into a numpy function of `args`, or say why not."""
    tree = check_formula(formula, formula_names(gate, *args),
                         f"{gate.name} gate: formula {formula!r}")
    source = ast.unparse(ast.fix_missing_locations(_Vectorise().visit(tree)))
    env = dict(NUMPY_FUNCTIONS, **_PLUMBING, p=gate.param)
    return eval(f"lambda {', '.join(args)}: {source}", env)  # checked text of our own table


@dataclass(frozen=True)
class _Forms:
    """A gate in numpy form: forward(*inputs), local(*inputs, out) -> tuple, checks."""

    forward: Callable
    local: Callable
    checks: tuple[tuple[Check, Callable], ...]


@functools.cache  # a Gate is a frozen dataclass: equal rows share one compiled form
def numpy_forms(gate: Gate) -> _Forms:
    """A gate in numpy form, compiled once from its formula strings (ReplayError if it can't)."""
    args = list(gate.inputs)
    local_source = "(" + ", ".join(gate.local) + ",)"
    return _Forms(
        forward=_numpy_function(gate, gate.forward, args),
        local=_numpy_function(gate, local_source, [*args, "out"]),
        checks=tuple((c, _numpy_function(gate, c.when, args)) for c in gate.checks),
    )


def _constant(formula: str) -> float | None:
    """The number a formula string stands for ('1.0', '-1.0'), or None if it has names in it."""
    try:
        return float(ast.literal_eval(formula))
    except (ValueError, TypeError, SyntaxError):
        return None


# Probe points: a gate is taken as linear (or as a product) only if its scalar kernel agrees there.
_PROBES = ((0.0, 0.0), (0.37, -1.3), (-2.5, 0.7), (1.9, 3.1))


def _kernel_agrees(gate: Gate, formula: Callable[..., float]) -> bool:
    for point in _PROBES:
        args = point[:gate.arity]
        try:
            out = gate.kernel(*args)[0]  # None (not subscriptable) where the gate refuses
        except (ArithmeticError, ValueError, TypeError):
            return False
        if not math.isclose(out, formula(*args), rel_tol=1e-12, abs_tol=1e-15):
            return False
    return True


@functools.cache
def linear_coefficients(gate: Gate) -> tuple[float, ...] | None:
    """``(c_a, c_b)`` when the gate computes ``c_a·a + c_b·b`` (add, sub, neg), else None.

    Read from the table: constant local derivatives make a smooth gate linear up to a constant;
    the scalar kernel is probed at a few points (0 among them) to confirm ``out = Σ c·input``,
    which also keeps out a piecewise-constant gate whose derivative is 0 almost everywhere.
    """
    coefficients = tuple(_constant(local) for local in gate.local)
    if any(c is None for c in coefficients) or not _kernel_agrees(
            gate, lambda *args: sum(c * x for c, x in zip(coefficients, args))):
        return None
    return coefficients


@functools.cache
def is_product(gate: Gate) -> bool:
    """True for a gate computing a·b: its locals are (b, a) and its kernel agrees."""
    return (gate.arity == 2 and gate.local == (gate.inputs[1], gate.inputs[0])
            and _kernel_agrees(gate, operator.mul))
