"""The language the tables are written in: one whitelist, and the helpers a formula may call.

Every formula of the gate table (forward, local derivatives, domain checks, health rules) and
of the misconception catalogue is plain arithmetic over a few names. ``check_formula`` is the
one gate keeper: it parses a formula and refuses any syntax outside ``ALLOWED`` and any name
that is neither a variable of the formula nor a helper. Whatever passes it has a scalar form
(``compile_formula``, evaluated with no builtins), a numpy form (``engine.replay``) and a
JavaScript form (the lesson page), so no translator ever meets anything else.

A gate row's formulas come bare (forward, locals) or with what they mean: a ``Check`` refuses
an input, a ``Health`` flags trouble a class should see. A helper is one row of ``HELPERS``:
the same function written for Python floats, for numpy arrays (source text, evaluated by the
replay with ``np``) and for JavaScript (source text, put into the page). The three agree on
every value, ties and zeros included (tests check them).
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


class FormulaError(ValueError):
    """A formula outside the whitelist (names the formula, where it is, and what is wrong)."""


@dataclass(frozen=True)
class Check:
    """An input on which a gate is undefined: a condition, the error to raise, what to say."""

    when: str  # a formula in the gate's inputs, true when the gate must refuse
    error: type[Exception]
    says: str  # msgid, marked with N_()


@dataclass(frozen=True)
class Health:
    """A sign of trouble a class should see while training: a saturated or dead unit.

    ``when`` is a formula in the gate's inputs, ``out`` and ``local`` (d out / d a);
    ``says`` a msgid whose ``{a}``, ``{out}``, ``{local}`` are filled with the numbers."""

    when: str
    says: str


@dataclass(frozen=True)
class Helper:
    """A function (or a constant) the formulas may call, once per language it runs in."""

    name: str
    python: Callable[..., float] | float
    numpy: str  # an expression over ``np``: "np.exp", "lambda a: np.maximum(a, 0.0)"
    js: str  # a JavaScript expression: "Math.exp", "function (a) { ... }"


def _sigmoid(a: float) -> float:  # exp(-|a|) never overflows; exp(-a) would for a << 0
    z = math.exp(-abs(a))
    return (1.0 if a >= 0 else z) / (1.0 + z)


# fmt: off
HELPERS: dict[str, Helper] = {h.name: h for h in [
    Helper("exp", math.exp, "np.exp", "Math.exp"),
    Helper("log", math.log, "np.log", "Math.log"),
    Helper("tanh", math.tanh, "np.tanh", "Math.tanh"),
    # numpy: the two branches without a select (np.where is ten times slower on unpredictable
    # masks): z = exp(-|a|) is exp(a) below 0, and max(z, a >= 0) is 1 above it.
    Helper("sigmoid", _sigmoid,
           "lambda a: np.maximum(z := np.exp(-np.abs(a)), a >= 0) / (1.0 + z)",
           "function (a) { var z = Math.exp(-Math.abs(a)); "
           "return (a >= 0 ? 1.0 : z) / (1.0 + z); }"),
    # relu and maximum keep a NaN in numpy, as torch does (np.maximum propagates it).
    Helper("relu", lambda a: a if a > 0 else 0.0, "lambda a: np.maximum(a, 0.0)",
           "function (a) { return a > 0 ? a : 0.0; }"),
    # d relu / da: 0 at a == 0, as torch
    Helper("step", lambda a: 1.0 if a > 0 else 0.0,
           "lambda a: np.greater(a, 0.0).astype(np.float64)",
           "function (a) { return a > 0 ? 1.0 : 0.0; }"),
    Helper("maximum", lambda a, b: a if a >= b else b, "np.maximum",
           "function (a, b) { return a >= b ? a : b; }"),
    # d max(a, b) / da: 1 where a wins, 0 where it loses, half each on a tie (as torch.maximum)
    Helper("route", lambda a, b: 1.0 if a > b else (0.5 if a == b else 0.0),
           "lambda a, b: np.greater(a, b).astype(np.float64) + 0.5 * np.equal(a, b)",
           "function (a, b) { return a > b ? 1.0 : (a === b ? 0.5 : 0.0); }"),
    Helper("is_int", lambda p: float(p).is_integer(),
           "lambda p: np.isfinite(p) & (np.floor(p) == p)", "Number.isInteger"),
    Helper("inf", math.inf, "np.inf", "Infinity"),
]}
# fmt: on

# Arithmetic, comparisons, and/or/not, ``x if t else y``, calls of helper names, names and
# numbers: exactly what Python, numpy and JavaScript all compute the same way.
ALLOWED: tuple[type[ast.AST], ...] = (
    ast.Expression, ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.IfExp, ast.Call,
    ast.Name, ast.Load, ast.Constant,
    ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.USub, ast.UAdd, ast.Not, ast.And, ast.Or,
    ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE)


def check_formula(formula: str, names: Iterable[str], where: str,
                  kind: str = "number") -> ast.Expression:
    """Parse ``formula`` and check every node of it, or raise FormulaError naming ``where``.

    ``names`` are the variables the formula may read (a gate's inputs, ``out``, ``p``); the
    helpers are always allowed, called by plain name only, and never shadowed by a variable.
    ``kind`` is what the formula must give: a "number" (forward, locals) or a "truth" (checks).
    """
    if not isinstance(formula, str):
        raise FormulaError(f"{where}: a formula must be a string, got {formula!r:.60}")
    try:
        tree = ast.parse(formula, mode="eval")
    except SyntaxError as e:
        raise FormulaError(f"{where}: {formula!r} is not a Python expression ({e.msg})") from None
    variables = set(names)
    for node in ast.walk(tree):
        what = None
        if not isinstance(node, ALLOWED):
            what = f"{type(node).__name__} is not allowed"
        elif isinstance(node, ast.Constant) and type(node.value) not in (int, float, bool):
            what = f"the constant {node.value!r:.30} is not a number"
        elif isinstance(node, ast.Call) and (node.keywords or not isinstance(node.func, ast.Name)):
            what = "only plain calls of helper names are allowed"
        elif isinstance(node, ast.Call) and node.func.id not in HELPERS:
            what = f"{node.func.id!r} is not a helper; a new helper is a row of HELPERS"
        elif isinstance(node, ast.Name) and node.id not in variables | set(HELPERS):
            what = f"the name {node.id!r} is neither a variable ({', '.join(sorted(variables))})"
            what += " nor a helper; a new helper is a row of HELPERS"
        if what:
            raise FormulaError(f"{where}: {formula!r}: {what} (formulas may use arithmetic, "
                               "comparisons, and/or/not, x if t else y and the helpers "
                               f"{', '.join(HELPERS)} of engine.formulas.HELPERS)")
    got = _kind(tree.body, formula, where)
    if got != kind:
        raise FormulaError(f"{where}: {formula!r} gives a {got}, and a {kind} is wanted here")
    return tree


_TRUTHS = ("is_int",)  # the helpers that give a truth (True/False); the others give numbers


def _kind(node: ast.expr, formula: str, where: str) -> str:
    """"number" or "truth": the kind of a checked expression. Numbers and truths never mix,
    because the three languages mix them differently (Python's ``0.5 and 2`` is 2, numpy's is
    True, and numpy cannot negate a truth); so ``not``, ``and``, ``or`` and the test of
    ``x if t else y`` take truths, arithmetic and comparisons take numbers."""
    def want(child: ast.expr, wanted: str) -> None:
        got = _kind(child, formula, where)
        if got != wanted:
            raise FormulaError(f"{where}: {formula!r}: {ast.unparse(child)!r} is a {got} "
                               f"where a {wanted} is wanted (write 'p != 0', not 'p')")
    if isinstance(node, ast.Constant):
        return "truth" if isinstance(node.value, bool) else "number"
    if isinstance(node, ast.Name):
        return "number"
    if isinstance(node, ast.Call):
        for arg in node.args:
            want(arg, "number")
        return "truth" if node.func.id in _TRUTHS else "number"
    if isinstance(node, ast.BinOp):
        want(node.left, "number")
        want(node.right, "number")
        return "number"
    if isinstance(node, ast.UnaryOp):
        kind = "truth" if isinstance(node.op, ast.Not) else "number"
        want(node.operand, kind)
        return kind
    if isinstance(node, ast.BoolOp):
        for value in node.values:
            want(value, "truth")
        return "truth"
    if isinstance(node, ast.Compare):
        for part in (node.left, *node.comparators):
            want(part, "number")
        return "truth"
    # x if t else y: both sides of one kind
    want(node.test, "truth")
    kind = _kind(node.body, formula, where)
    want(node.orelse, kind)
    return kind


def compile_formula(formula: str, args: Iterable[str], where: str,
                    constants: dict[str, Any] | None = None,
                    kind: str = "number") -> Callable[..., Any]:
    """``formula`` as a Python function of ``args``, checked first and run without builtins:
    only the helpers and ``constants`` (a bound pow gate's ``p``) are in scope."""
    args = list(args)
    check_formula(formula, [*args, *(constants or {})], where, kind)
    return scalar_function(f"lambda {', '.join(args)}: {formula}", constants)


def scalar_function(source: str, constants: dict[str, Any] | None = None) -> Callable:
    """Evaluate source text built from checked formulas (a gate's kernel composes several):
    the helpers, ``isfinite`` and ``constants`` in scope, and no builtins."""
    scope: dict[str, Any] = {h.name: h.python for h in HELPERS.values()}
    scope.update(constants or {}, isfinite=math.isfinite, __builtins__={})
    return eval(source, scope)
