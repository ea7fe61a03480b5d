"""Formula strings of the gate table -> JavaScript, through the replay's whitelisted ``ast`` walk.

The page computes forward and backward itself, with kernels generated here from each gate's
``forward``, ``local[i]``, ``checks[j].when`` and ``health.when`` strings: no derivative rule is
written by hand in JavaScript. The helpers a formula may call (``exp``, ``sigmoid``, ``route``
...) are the JavaScript column of ``engine.formulas.HELPERS``, written into the page as the
object ``helpers``; the kernels as the object ``kernels``, keyed by ``gate_key``.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterable

from engine import HELPERS, FormulaError, Gate

# The one gate keeper: the page accepts exactly the formulas the scalar path and numpy accept.
from engine.formulas import check_formula

_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_COMPARE = {ast.Eq: "===", ast.NotEq: "!==", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">",
            ast.GtE: ">="}


HELPERS_OBJECT = "helpers"  # the JavaScript name of the helper table
# Python's float arithmetic where JavaScript's differs: ``10.0 ** 400`` raises OverflowError in
# Python (so a gate refuses it, as "the result overflows float64") where Math.pow, like numpy,
# gives Infinity. Translated for Python's floats (the gate view's engine, a twin of the scalar
# path), ``**`` throws there too and the engine refuses alike; translated for numpy's (the layer
# view's plan, a twin of the replay), it stays Math.pow.
FLOATS_JS = ("var floats = {pow: function (a, b) { var r = Math.pow(a, b); "
             "if (r === Infinity || r === -Infinity) { if (isFinite(a) && isFinite(b)) "
             "{ throw new RangeError(\"overflow\"); } } return r; }};\n")


def to_js(formula: str, variables: Iterable[str], where: str = "formula",
          kind: str = "number", python_floats: bool = False) -> str:
    """One formula string as a JavaScript expression over ``variables`` and ``helpers.*``.

    Every sub-expression is parenthesised, so JavaScript's precedence (``-a ** 2`` is a syntax
    error there) never has a say. Chained comparisons become ``&&`` of pairs. With
    ``python_floats``, ``**`` throws a RangeError where Python's raises OverflowError.
    """
    names = set(variables)
    tree = check_formula(formula, names, where, kind)
    return _Translate(names, formula, where, python_floats).visit(tree.body)


class _Translate:
    def __init__(self, names: set[str], formula: str, where: str, python_floats: bool) -> None:
        self.names, self.formula, self.where = names, formula, where
        self.power = "floats.pow" if python_floats else "Math.pow"

    def fail(self, what: str) -> FormulaError:
        return FormulaError(f"{self.where}: {self.formula!r}: {what} has no JavaScript form")

    def visit(self, node: ast.AST) -> str:
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            raise self.fail(type(node).__name__)
        return method(node)

    def visit_Constant(self, node: ast.Constant) -> str:
        if isinstance(node.value, bool):
            return "true" if node.value else "false"
        if isinstance(node.value, (int, float)):
            return repr(float(node.value)) if abs(node.value) != float("inf") else "Infinity"
        raise self.fail(repr(node.value))

    def visit_Name(self, node: ast.Name) -> str:
        if node.id in self.names:
            return node.id
        if node.id in HELPERS:
            return f"{HELPERS_OBJECT}.{node.id}"
        raise self.fail(f"the name {node.id!r}")

    def visit_BinOp(self, node: ast.BinOp) -> str:
        left, right = self.visit(node.left), self.visit(node.right)
        if isinstance(node.op, ast.Pow):
            return f"{self.power}({left}, {right})"
        op = _BINARY.get(type(node.op))
        if op is None:
            raise self.fail(type(node.op).__name__)
        return f"({left} {op} {right})"

    def visit_UnaryOp(self, node: ast.UnaryOp) -> str:
        operand = self.visit(node.operand)
        op = {ast.USub: "-", ast.UAdd: "+", ast.Not: "!"}.get(type(node.op))
        if op is None:
            raise self.fail(type(node.op).__name__)
        return f"({op}{operand})"

    def visit_BoolOp(self, node: ast.BoolOp) -> str:
        op = " && " if isinstance(node.op, ast.And) else " || "
        return "(" + op.join(self.visit(v) for v in node.values) + ")"

    def visit_Compare(self, node: ast.Compare) -> str:
        parts, left = [], self.visit(node.left)
        for op, comparator in zip(node.ops, node.comparators):
            symbol = _COMPARE.get(type(op))
            if symbol is None:
                raise self.fail(type(op).__name__)
            right = self.visit(comparator)
            parts.append(f"({left} {symbol} {right})")
            left = right
        return parts[0] if len(parts) == 1 else "(" + " && ".join(parts) + ")"

    def visit_IfExp(self, node: ast.IfExp) -> str:
        return f"({self.visit(node.test)} ? {self.visit(node.body)} : {self.visit(node.orelse)})"

    def visit_Call(self, node: ast.Call) -> str:
        if node.keywords or not isinstance(node.func, ast.Name) \
                or node.func.id not in HELPERS or node.func.id in self.names:
            raise self.fail("a call that is not of a helper name")
        args = ", ".join(self.visit(a) for a in node.args)
        return f"{HELPERS_OBJECT}.{node.func.id}({args})"


def gate_key(gate: Gate) -> str:
    """The key of a gate row in the page: its name, or ``pow:2`` for a bound pow gate."""
    return gate.name if gate.param is None else f"pow:{gate.param!r}"


def kernel_js(gate: Gate, python_floats: bool = False) -> str:
    """A gate as a JavaScript object literal: ``{forward: function (a, b) {...}, local: [...],
    checks: [...], unhealthy: ...}``.

    ``forward`` returns the output, ``local[i](a, b, out)`` the local derivative for input i,
    ``checks[j]`` the j-th domain check (true when the gate must refuse), ``unhealthy(a, b,
    out, local)`` the health rule (null when the row has none). A bound pow gate's exponent is
    ``p``. ``python_floats``: see ``to_js``.
    """
    args = list(gate.inputs)
    where = f"{gate.name} gate"
    head = f"var p = {float(gate.param)!r}; " if gate.param is not None else ""
    bound = ["p"] if gate.param is not None else []  # a p elsewhere fails to translate
    forward = to_js(gate.forward, args + bound, where, python_floats=python_floats)
    local = [to_js(text, args + ["out", *bound], where, python_floats=python_floats)
             for text in gate.local]
    checks = [to_js(c.when, args + bound, where, "truth", python_floats) for c in gate.checks]
    params = ", ".join(args)

    def fn(params: str, body: str) -> str:
        return f"function ({params}) {{ {head}return {body}; }}"

    unhealthy = "null"
    if gate.health is not None:
        rule = to_js(gate.health.when, [*args, "out", "local", *bound], f"{where}: health",
                     "truth", python_floats)
        unhealthy = fn(params + ", out, local", rule)
    return ("{forward: " + fn(params, forward)
            + ", local: [" + ", ".join(fn(params + ", out", t) for t in local) + "]"
            + ", checks: [" + ", ".join(fn(params, t) for t in checks) + "]"
            + ", unhealthy: " + unhealthy + "}")


def helpers_js() -> str:
    """``var helpers = {...};``: the JavaScript column of the helper table, one entry each;
    and ``floats``, which the translated ``**`` calls."""
    rows = [f"  {h.name}: {h.js}" for h in HELPERS.values()]
    return (f'"use strict";\nvar {HELPERS_OBJECT} = {{\n' + ",\n".join(rows) + "\n};\n"
            + FLOATS_JS)


def kernels_js(gates: Iterable[Gate], python_floats: bool = False) -> str:
    """``var kernels = {...};`` for the gates a page uses, keyed by ``gate_key``."""
    rows = [f"  {json.dumps(gate_key(g))}: {kernel_js(g, python_floats)}" for g in gates]
    return "var kernels = {\n" + ",\n".join(rows) + "\n};\n"


def formula_js(name: str, formula: str, variables: Iterable[str], kind: str = "number") -> str:
    """A formula as a JavaScript function of ``variables`` (misconceptions, the grading rule)."""
    args = list(variables)
    return f"function ({', '.join(args)}) {{ return {to_js(formula, args, name, kind)}; }}"
