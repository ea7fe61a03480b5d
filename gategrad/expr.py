"""Safe expressions for the command line: ``sigmoid(w0*x0 + w1*x1 + w2)`` becomes a Value graph.

Named intermediates come before the expression, separated by ``;``:
``n = w1*x1 + w2*x2 + b; tanh(n)`` labels the sum ``n`` in every table and picture.

The text is parsed with Python's ``ast`` and walked against a whitelist: numbers, names given
a value, ``+ - * / **``, unary ``-``/``+``, parentheses, and calls of the gate functions (the
gate table's rows with a method: ``exp log tanh sigmoid relu max``). Nothing is ever passed to
eval or exec. Anything else (attribute access, subscripts, lambdas, comprehensions,
``__import__('os')``, keyword arguments, strings, huge numbers, ...) raises ExprError, a
one-line message with the column.
"""

from __future__ import annotations

import ast
import keyword
import math
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import engine
from engine import Value
from words import N_, Text

MAX_LENGTH = 10_000  # characters: a neuron with 200 inputs written out fits
MAX_DEPTH = 100  # nesting of the syntax tree (also keeps the walk far from Python's limit)
MAX_NUMBER = 1e15  # literals larger than this are surely typos (and make overflows)
MAX_EXPONENT = 1000.0  # |p| in x ** p



def functions() -> dict[str, tuple[int, Callable[..., Value]]]:
    """The gate functions an expression may call, from the gate table: each row with a method
    (exp, log, tanh, sigmoid, relu, max, and any row registered since), by its method's name."""
    return {g.method: (g.arity, getattr(engine, g.function or g.method))
            for g in engine.GATES.values() if g.method}


def function_list() -> str:
    """``exp log tanh sigmoid relu max(a, b)``: the functions as the help writes them."""
    return " ".join(name if arity == 1 else f"{name}({', '.join('ab'[:arity])})"
                    for name, (arity, _) in functions().items())


_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_OTHER_OPERATORS = {ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.BitAnd: "&",
                    ast.BitOr: "|", ast.BitXor: "^", ast.LShift: "<<", ast.RShift: ">>"}


def _what_is_allowed() -> Text:
    return Text("an expression may use numbers, names given a value, + - * / **, "
                "parentheses and the functions {functions}", functions=", ".join(functions()))
# What to call the constructs people try, in error messages.
_NAMES = {
    ast.Attribute: N_("attribute access (a.b)"), ast.Subscript: N_("indexing (a[...])"),
    ast.Lambda: N_("lambda"), ast.ListComp: N_("a comprehension"),
    ast.SetComp: N_("a comprehension"), ast.DictComp: N_("a comprehension"),
    ast.GeneratorExp: N_("a generator expression"), ast.Compare: N_("a comparison"),
    ast.BoolOp: N_("and/or"), ast.IfExp: N_("if/else"), ast.Tuple: N_("a tuple"),
    ast.List: N_("a list"), ast.Dict: N_("a dict"), ast.Set: N_("a set"),
    ast.JoinedStr: N_("an f-string"), ast.NamedExpr: N_("an assignment (:=)"),
    ast.Starred: N_("unpacking (*)"), ast.Await: N_("await"), ast.Yield: N_("yield"),
    ast.YieldFrom: N_("yield"), ast.Slice: N_("a slice"),
}


def _construct(node: ast.AST) -> Text:
    """What to call a construct in a message, in the class's language."""
    name = _NAMES.get(type(node), type(node).__name__)
    return Text(name)


class ExprError(ValueError):
    """A bad expression or value: one line, with the 1-based column when there is one.

    ``str(error)`` is English; ``words.localize(error, "zh")`` the class's language."""

    def __init__(self, message: str | Text, column: int | None = None) -> None:
        if not isinstance(message, Text):
            message = Text("{message}", message=message)  # words from Python or the engine
        self.message, self.column = str(message), column
        self.text = Text("column {column}: {message}", column=column,
                         message=message) if column else message
        super().__init__(str(self.text))


@dataclass(frozen=True)
class Expression:
    """A parsed expression: the root of its graph and the leaf made for each variable used."""

    text: str
    root: Value
    variables: dict[str, Value]


def parse_assignments(items: Iterable[str]) -> dict[str, float]:
    """``["w0=2", "x0=-1"]`` -> ``{"w0": 2.0, "x0": -1.0}``, with a clear error for anything
    that is not NAME=finite number (or names a function, or repeats a name)."""
    values: dict[str, float] = {}
    for item in items:
        name, sep, number = item.partition("=")
        name, number = normalize_name(name.strip()), number.strip()
        if not sep:
            raise ExprError(Text("--set {item}: write NAME=VALUE, e.g. x=2", item=repr(item)))
        check_name(name, f"--set {item!r}")
        if name in values:
            raise ExprError(Text("--set {item}: {name} is set twice", item=repr(item),
                                 name=name))
        try:
            value = float(number)
        except ValueError:
            raise ExprError(Text("--set {item}: {number} is not a number", item=repr(item),
                                 number=repr(number))) from None
        if not math.isfinite(value):
            raise ExprError(Text("--set {item}: the value must be a finite number, got {number}",
                                 item=repr(item), number=number))
        values[name] = value
    return values


def _too_large() -> Text:
    return Text("the number is too large (more than {most})", most=f"{MAX_NUMBER:g}")


def _overflow() -> Text:
    return Text("the result is too large for a float (overflow)")


def normalize_name(name: str) -> str:
    """A name as Python reads identifiers (NFKC): ``ﬁ`` and ``fi`` are one name, as in code."""
    return unicodedata.normalize("NFKC", name)


def check_name(name: str, where: str) -> None:
    """A variable name must be a plain identifier, and not one of the gate functions."""
    if not name.isidentifier() or keyword.iskeyword(name) or name.startswith("__"):
        raise ExprError(Text("{where}: {name} is not a valid variable name (letters, digits, _)",
                             where=where, name=repr(name)))
    if name in functions():
        raise ExprError(Text("{where}: {name} is a function name; pick another variable name",
                             where=where, name=name))


def parse(text: str, values: Mapping[str, float], root_label: str = "f") -> Expression:
    """Build the graph of ``text`` with the given variable values; the root gets ``root_label``
    (unless it is a variable itself). Raises ExprError with the column on any problem."""
    if not isinstance(text, str):
        raise ExprError(Text("the expression must be text, got {kind}",
                             kind=type(text).__name__))
    if len(text) > MAX_LENGTH:
        raise ExprError(Text("the expression is {length} characters long; the limit is {limit}",
                             length=len(text), limit=MAX_LENGTH))
    if "\n" in text or "\r" in text:
        raise ExprError(Text("the expression must be on one line"))
    if not text.strip():
        raise ExprError(Text("the expression is empty"))
    values = {normalize_name(name): v for name, v in values.items()}
    for name in values:
        check_name(name, f"variable {name!r}")
    try:
        tree = ast.parse(text.strip(), mode="exec")
    except SyntaxError as error:
        stripped = text.strip()
        # Python gives 0 or None when it blames the end of the text
        offset = error.offset if error.offset and error.offset > 0 else len(stripped)
        offset = min(offset, len(stripped)) + len(text) - len(text.lstrip())
        raise ExprError(Text("syntax error: {reason}", reason=error.msg), offset) from None
    except (ValueError, RecursionError, MemoryError) as error:
        raise ExprError(Text("cannot parse the expression: {reason}", reason=str(error))) \
            from None
    walker = _Walker(text, values)
    *definitions, last = tree.body
    for statement in definitions:
        walker.define(statement)
    if not isinstance(last, ast.Expr):
        raise walker.fail(last, Text("the expression must end with what to differentiate, as "
                                     "in n = w*x + b; tanh(n)"))
    root = walker.value(last.value, 0)
    if not isinstance(root, Value):
        raise ExprError(Text("the expression has no variables, so there is nothing to "
                             "differentiate; give a name a value with --set, e.g. x*2 --set "
                             "x=3"), 1)
    if not root.label and root._prev:
        taken = set(values) | set(walker.named)
        root.label = next(n for n in (root_label, "out", "result", "f_") if n not in taken)
    unused = [name for name in walker.named if name not in walker.read]
    if unused:
        raise ExprError(Text("{name} is named but never used; use it after the ';' or drop it",
                             name=unused[0]))
    in_graph = set(engine.topological_order(root))
    variables = {k: v for k, v in walker.leaves.items() if v in in_graph}
    return Expression(text, root, variables)


class _Walker:
    """Evaluates a whitelisted syntax tree into Values (numbers stay floats until they meet
    a Value, so ``x ** 2`` uses the pow gate with exponent 2)."""

    def __init__(self, text: str, values: Mapping[str, float]) -> None:
        self.indent = len(text) - len(text.lstrip())
        self.line = text.strip().encode("utf-8")
        self.values = values
        self.leaves: dict[str, Value] = {}
        self.named: dict[str, Value | float] = {}  # n = ... before the ';'
        self.read: set[str] = set()  # named intermediates used after their definition

    def define(self, statement: ast.stmt) -> None:
        """``n = EXPR``: walk EXPR and label its node n (a gate output; a leaf keeps its name)."""
        if isinstance(statement, ast.Expr):
            raise self.fail(statement, Text("only the last part (after the last ';') may be a "
                                            "bare expression; name the others, as in "
                                            "n = w*x + b"))
        if (not isinstance(statement, ast.Assign) or len(statement.targets) != 1
                or not isinstance(statement.targets[0], ast.Name)):
            raise self.fail(statement, Text("{what} is not allowed: the parts before the last "
                                            "';' are NAME = EXPR", what=_construct(statement)))
        name = statement.targets[0].id
        check_name(name, f"{name} = ...")
        if name in self.values:
            raise self.fail(statement, Text("{name} is given a value with --set and also "
                                            "defined in the expression; use one of the two",
                                            name=name))
        if name in self.named:
            raise self.fail(statement, Text("{name} is defined twice", name=name))
        out = self.value(statement.value, 0)
        if isinstance(out, Value) and out._prev and not out.label:
            out.label = name
        self.named[name] = out

    def column(self, node: ast.AST) -> int:
        return self.column_at(getattr(node, "col_offset", 0))

    def column_at(self, offset: int) -> int:
        """ast offsets count UTF-8 bytes; people count characters, from 1."""
        return len(self.line[:offset].decode("utf-8", errors="ignore")) + 1 + self.indent

    def fail(self, node: ast.AST, message: str | Text) -> ExprError:
        return ExprError(message, self.column(node))

    def operator_column(self, node: ast.BinOp, symbol: str) -> int:
        """The column of the operator itself (``x / 0`` blames the ``/``), found in the text
        between the two operands."""
        start, end = node.left.end_col_offset, node.right.col_offset
        at = self.line[start:end].find(symbol.encode())
        return self.column_at(start + max(at, 0))

    def value(self, node: ast.AST, depth: int) -> Value | float:
        if depth > MAX_DEPTH:
            raise self.fail(node, Text("the expression is nested more than {depth} levels deep",
                                       depth=MAX_DEPTH))
        if isinstance(node, ast.Constant):
            return self.number(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            operand = self.value(node.operand, depth + 1)
            return self.apply(node, lambda: -operand if isinstance(node.op, ast.USub)
                              else operand)
        if isinstance(node, ast.BinOp):
            return self.binary(node, depth)
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        if isinstance(node, ast.UnaryOp):
            symbol = {ast.Not: "not", ast.Invert: "~"}.get(type(node.op), "this operator")
            raise self.fail(node, Text("{what} is not allowed: {allowed}", what=symbol,
                                       allowed=_what_is_allowed()))
        column = self.column(node)
        if isinstance(node, (ast.Attribute, ast.Subscript)):  # blame the first "." or "["
            while isinstance(node.value, (ast.Attribute, ast.Subscript)):
                node = node.value
            column = self.column_at(node.value.end_col_offset)
        raise ExprError(Text("{what} is not allowed: {allowed}", what=_construct(node),
                             allowed=_what_is_allowed()), column)

    def number(self, node: ast.Constant) -> float:
        v = node.value
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            kind = "text" if isinstance(v, (str, bytes)) else type(v).__name__
            raise self.fail(node, Text("{what} is not allowed: {allowed}",
                                       what=f"{kind} {v!r:.30}", allowed=_what_is_allowed()))
        if isinstance(v, int) and abs(v) > MAX_NUMBER:  # before float(): 10**5000 digits
            raise self.fail(node, _too_large())
        v = float(v)
        if not math.isfinite(v) or abs(v) > MAX_NUMBER:
            raise self.fail(node, _too_large())
        return v

    def name(self, node: ast.Name) -> Value | float:
        name = node.id
        if name in self.named:
            self.read.add(name)
            return self.named[name]
        if name in self.leaves:
            return self.leaves[name]  # x*x uses one leaf x twice
        if name in self.values:
            self.leaves[name] = Value(self.values[name], label=name)
            return self.leaves[name]
        if name in functions():
            raise self.fail(node, Text("{name} is a function: call it, as in {name}(x)",
                                       name=name))
        if self.values:
            raise self.fail(node, Text("unknown name {name}: give it a value with --set "
                                       "{bare}=NUMBER (the values given: {known})",
                                       name=repr(name), bare=name,
                                       known=", ".join(sorted(self.values))))
        raise self.fail(node, Text("unknown name {name}: give it a value with --set "
                                   "{bare}=NUMBER", name=repr(name), bare=name))

    def binary(self, node: ast.BinOp, depth: int) -> Value | float:
        # A sum of 200 terms is a chain 200 deep on the left: walk that spine in a loop, so
        # only real nesting (parentheses, calls, the right operands) counts towards MAX_DEPTH.
        spine = [node]
        while isinstance(spine[-1].left, ast.BinOp):
            spine.append(spine[-1].left)
        for step in spine:  # a refused operator is named before its operands are walked
            self.symbol(step)
        out = self.value(spine[-1].left, depth + 1)
        for step in reversed(spine):
            out = self.operator(step, out, self.value(step.right, depth + 1))
        return out

    def symbol(self, node: ast.BinOp) -> str:
        symbol = _OPERATORS.get(type(node.op))
        if symbol is None:
            bad = _OTHER_OPERATORS.get(type(node.op), "this operator")
            text = (Text("{what} is not allowed (for a power write x ** 2): {allowed}", what=bad,
                         allowed=_what_is_allowed()) if bad == "^" else
                    Text("{what} is not allowed: {allowed}", what=bad, allowed=_what_is_allowed()))
            raise ExprError(text, self.operator_column(node, bad))
        return symbol

    def operator(self, node: ast.BinOp, a: Value | float, b: Value | float) -> Value | float:
        symbol = self.symbol(node)
        if symbol == "**" and not isinstance(b, Value) and abs(b) > MAX_EXPONENT:
            raise self.fail(node.right, Text("the exponent {exponent} is too large (at most "
                                             "{most} in size)", exponent=f"{b:g}",
                                             most=f"{MAX_EXPONENT:g}"))
        ops: dict[str, Callable[[], Value | float]] = {
            "+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b, "/": lambda: a / b,
            "**": lambda: a ** b}
        return self.apply(node, ops[symbol], self.operator_column(node, symbol))

    def call(self, node: ast.Call, depth: int) -> Value:
        if not isinstance(node.func, ast.Name) or node.func.id not in functions():
            called = ast.unparse(node.func)  # text only, never evaluated
            called = called if len(called) <= 30 else called[:29] + "…"
            raise self.fail(node, Text("{called} cannot be called: the functions are "
                                       "{functions}", called=called,
                                       functions=", ".join(functions())))
        name = node.func.id
        arity, function = functions()[name]
        if node.keywords:
            raise self.fail(node, Text("{name}() takes no keyword arguments", name=name))
        if len(node.args) != arity:
            text = (Text("{name}() takes 1 argument, got {count}", name=name,
                         count=len(node.args)) if arity == 1 else
                    Text("{name}() takes {arity} arguments, got {count}", name=name,
                         arity=arity, count=len(node.args)))
            raise self.fail(node, text)
        args = [self.value(a, depth + 1) for a in node.args]
        return self.apply(node, lambda: function(*args))

    def apply(self, node: ast.AST, compute: Callable[[], Value | float],
              column: int | None = None) -> Value | float:
        """Run one gate; the engine's message (which names the gate and operands) gets the
        column of the operator that failed."""
        column = column or self.column(node)
        try:
            out = compute()
        except (ValueError, ArithmeticError, TypeError) as error:
            said = str(error) or type(error).__name__
            message = getattr(error, "text", None) or said  # the engine's words, translatable
            if isinstance(error, ZeroDivisionError) and "gate" not in said:
                message = Text("division by zero")
            elif isinstance(error, OverflowError) and "gate" not in said:
                message = _overflow()
            raise ExprError(message, column) from None
        if isinstance(out, complex):  # two numbers: Python's (-8.0) ** 0.5 is complex
            raise ExprError(Text("a negative base with a fractional exponent has no real "
                                 "value"), column)
        if not isinstance(out, Value) and not math.isfinite(out):
            raise ExprError(_overflow(), column)
        return out
