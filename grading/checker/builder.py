"""Running a recipe on any Value class: the operations as a student's class spells them.

A recipe builds graphs with ordinary operators and methods on ``Node`` wrappers (``x * y``,
``x.tanh()``, ``sum(...)``) and calls backward; the ``Builder`` records every node it makes, in
construction order, and each node's ``(data, grad)`` after every backward. The same recipe runs
in the child process on the student's class and in the parent on ``engine.Value``, so the two
graphs pair node by node by position, however the student builds a gate inside (micrograd's
``a - b`` is ``a + (-b)``: nodes never seen here).

An operation the student's class does not have (no ``tanh``, no ``__rmul__``, an assertion
refusing a Value exponent) raises ``NotAttempted``: the part is listed, not failed. This runs
inside the child, so it imports only the gate table.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from types import TracebackType

from engine.gates import GATES
from words import Text, resolve_language

# How Python spells an operator, by its special method's name (the language's list, for the
# not-attempted message "needs Value * 2"; the rows say which operator is theirs).
SPELLING = {"neg": "-{a}", "pos": "+{a}", "abs": "abs({a})", "add": "{a} + {b}",
            "sub": "{a} - {b}", "mul": "{a} * {b}", "truediv": "{a} / {b}",
            "floordiv": "{a} // {b}", "mod": "{a} % {b}", "pow": "{a} ** {b}"}
# ``**`` serves two rows: a number exponent (one input) and a Value exponent (two).
POW = {g.arity: g.name for g in GATES.values() if g.operator == "pow"}


class GateName(Text):
    """A gate's name as its row says it in each language ("mul gate", "乘法门"), to put in any
    Text: the report is rendered in its language later, in another thread."""

    __slots__ = ("gate",)

    def __init__(self, gate: str) -> None:
        super().__init__("{gate}")
        self.gate = gate

    def render(self, lang: str | None = None) -> str:
        return GATES[self.gate].title(resolve_language(lang))


class NotAttempted(Exception):
    """The student's class lacks an operation a part needs: ``what`` says which."""

    def __init__(self, what: str, detail: str) -> None:
        super().__init__(what)
        self.what, self.detail = what, detail


class Unusable(Exception):
    """The class answered something the battery cannot read: an operation returned no object
    of the class (``kind`` "not_a_value"), or a node's data or grad is not a number
    ("not_a_number"). ``params`` fill the message the report shows."""

    def __init__(self, kind: str, **params: str) -> None:
        super().__init__(kind, params)
        self.kind, self.params = kind, params


def _number(value, what: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise Unusable("not_a_number", what=what, value=repr(value)[:60]) from None


def describe(gate: str, operands: tuple) -> str:
    """The operation as code a student recognises: ``Value * Value``, ``2 * Value``,
    ``Value.tanh()``, spelled from the row's operator or method."""
    row = GATES[gate]
    shown = ["Value" if isinstance(o, Node) else f"{o:g}" for o in operands]
    if row.operator:
        spelling = SPELLING.get(row.operator, f"{{a}}.__{row.operator}__({{b}})")
        return spelling.format(a=shown[0], b=shown[-1])
    return f"{shown[0]}.{row.method}({', '.join(shown[1:])})"


def _frames(tb: TracebackType | None) -> int:
    count = 0
    while tb is not None:
        count, tb = count + 1, tb.tb_next
    return count


def refused(error: BaseException, raw: list) -> bool:
    """Whether ``error``, raised by one operation on ``raw``, means "not implemented" rather
    than a bug inside an implemented one. Python's own TypeError/AttributeError at the call
    (no such method, no ``__rmul__``, NotImplemented returned); NotImplementedError anywhere;
    an assertion in the operator's own body (micrograd: "only supporting int/float powers");
    reading ``.data`` of a number the class never wraps."""
    depth = _frames(error.__traceback__)  # 1: raised at our call, no student frame
    if isinstance(error, (AttributeError, TypeError)) and depth == 1:
        return True
    if isinstance(error, NotImplementedError) or (isinstance(error, AssertionError)
                                                  and depth == 2):
        return True
    return isinstance(error, AttributeError) and any(
        getattr(error, "obj", None) is o for o in raw if isinstance(o, (int, float)))


class Node:
    """A node of the graph a recipe builds: the class's own object, in ``value``, with the
    operators and gate methods forwarded to the builder, which records the result."""

    __slots__ = ("builder", "value")

    def __init__(self, builder: Builder, value) -> None:
        self.builder, self.value = builder, value

    def __pow__(self, other):
        return self.builder.apply(POW[2 if isinstance(other, Node) else 1], self, other)


def _install(row) -> None:
    """Give Node the row's operator (both sides) or method, as engine.value gives Value."""
    name = row.name
    if row.operator and row.operator != "pow":
        setattr(Node, f"__{row.operator}__", lambda a, *b: a.builder.apply(name, a, *b))
        if row.arity == 2:  # 2 * x: Python asks x.__rmul__(2)
            setattr(Node, f"__r{row.operator}__", lambda b, a: b.builder.apply(name, a, b))
    if row.method:
        setattr(Node, row.method, lambda a, *b: a.builder.apply(name, a, *b))


for _row in GATES.values():
    _install(_row)


@dataclass
class Graph:
    """The nodes one graph recorded (construction order), its roots, a snapshot per backward:
    ``(data, grad)`` for every node."""

    nodes: list
    roots: list
    snapshots: list


class Builder:
    """Builds a part's graphs with class ``cls``; ``labels`` names the nodes as the recipe
    does (engine.Value only: a student's constructor takes just ``data``)."""

    def __init__(self, cls: type, labels: bool = False) -> None:
        self.cls, self.labels = cls, labels
        self.graphs: list[Graph] = []

    def graph(self) -> None:
        """Start a new graph: nodes from now on belong to it."""
        self.graphs.append(Graph([], [], []))

    def _record(self, value, label: str = "") -> Node:
        if self.labels and label:
            value.label = label
        node = Node(self, value)
        self.graphs[-1].nodes.append(node)
        return node

    def leaf(self, data: float, label: str = "") -> Node:
        return self._record(self.cls(data), label)

    def leaves(self, **values: float) -> list[Node]:
        return [self.leaf(v, k) for k, v in values.items()]

    def name(self, node: Node, label: str) -> Node:
        """Label a node the way the lecture notes name it (reference side only)."""
        if self.labels:
            node.value.label = label
        return node

    def apply(self, gate: str, *operands) -> Node:
        """One gate on the class's objects; NotAttempted when the class does not have it."""
        raw = [o.value if isinstance(o, Node) else o for o in operands]
        row = GATES[gate]
        try:  # C callables only: a missing operation raises here, with no frame of the class's
            if row.operator:
                out = getattr(operator, row.operator)(*raw)
            else:
                out = operator.methodcaller(row.method, *raw[1:])(raw[0])
        except (AttributeError, TypeError, AssertionError, NotImplementedError) as error:
            if refused(error, raw):
                raise NotAttempted(describe(gate, operands),
                                   f"{type(error).__name__}: {error}") from None
            raise
        if not isinstance(out, self.cls):
            raise Unusable("not_a_value", operation=describe(gate, operands),
                           value=repr(out)[:60], name=self.cls.__name__)
        return self._record(out)

    def backward(self, root: Node) -> None:
        """``root.backward()``, then a snapshot of every node of the current graph."""
        root.value.backward()
        graph = self.graphs[-1]
        graph.roots.append(root)
        graph.snapshots.append([(_number(n.value.data, "data"), _number(n.value.grad, "grad"))
                                for n in graph.nodes])

    def grad(self, node: Node) -> float:
        return _number(node.value.grad, "grad")

    def zero_grad(self, root: Node) -> None:
        """``.grad = 0`` on every node reachable from ``root`` through ``_prev`` (the nodes a
        class makes inside a gate too), and on every recorded one."""
        seen, stack = set(), [root.value]
        while stack:
            v = stack.pop()
            if id(v) not in seen:
                seen.add(id(v))
                v.grad = 0.0
                stack.extend(getattr(v, "_prev", ()))
        for n in self.graphs[-1].nodes:
            n.value.grad = 0.0
