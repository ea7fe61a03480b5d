"""The graded battery: the graphs a student's engine is run on, written once for any Value class.

A part is a recipe over a ``Builder``. The recipe builds graphs with ordinary operators and
methods on ``Node`` wrappers (``x * y``, ``x.tanh()``, ``sum(...)``) and calls backward; the
builder records every node it makes, in construction order, and each node's ``(data, grad)``
after every backward. The same recipe runs in the child process on the student's class and in
the parent on ``engine.Value``, so the two graphs pair node by node by position, however the
student builds a gate inside (micrograd's ``a - b`` is ``a + (-b)``: nodes we never see).

An operation the student's class does not have (no ``tanh``, no ``__rmul__``, an assertion
refusing a Value exponent) raises ``NotAttempted``: the part is listed, not failed. Everything
here runs inside the child too, so it imports only the gate table and the lecture notes.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType

from engine.gates import GATES, pow_gate
from words import Text

from ..notes import RATE, hidden_relu_sigmoid, network_4_5_3

# Gates written as Python operators; every other gate is the method of its name (x.tanh(),
# x.max(y)), so a new row of the gate table is checked without a line here.
OPERATORS: dict[str, tuple[str, Callable]] = {
    "add": ("+", operator.add), "sub": ("-", operator.sub), "mul": ("*", operator.mul),
    "div": ("/", operator.truediv), "pow": ("**", operator.pow),
    "pow_value": ("**", operator.pow), "neg": ("-", operator.neg),
}


class NotAttempted(Exception):
    """The student's class lacks an operation a part needs: ``what`` says which."""

    def __init__(self, what: str, detail: str) -> None:
        super().__init__(what)
        self.what, self.detail = what, detail


def describe(gate: str, operands: tuple) -> str:
    """The operation as code a student recognises: ``Value * Value``, ``2 * Value``,
    ``Value.tanh()``."""
    shown = ["Value" if isinstance(o, Node) else f"{o:g}" for o in operands]
    if gate not in OPERATORS:
        return f"{shown[0]}.{gate}({', '.join(shown[1:])})"
    symbol = OPERATORS[gate][0]
    return f"{symbol}{shown[0]}" if len(shown) == 1 else f"{shown[0]} {symbol} {shown[1]}"


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

    def __add__(self, other): return self.builder.apply("add", self, other)
    def __radd__(self, other): return self.builder.apply("add", other, self)
    def __sub__(self, other): return self.builder.apply("sub", self, other)
    def __rsub__(self, other): return self.builder.apply("sub", other, self)
    def __mul__(self, other): return self.builder.apply("mul", self, other)
    def __rmul__(self, other): return self.builder.apply("mul", other, self)
    def __truediv__(self, other): return self.builder.apply("div", self, other)
    def __rtruediv__(self, other): return self.builder.apply("div", other, self)
    def __neg__(self): return self.builder.apply("neg", self)

    def __pow__(self, other):
        return self.builder.apply("pow_value" if isinstance(other, Node) else "pow", self, other)

    def __getattr__(self, name: str):  # the gate methods: x.tanh(), x.max(y)
        if name in GATES and name not in OPERATORS:
            return lambda *others: self.builder.apply(name, self, *others)
        raise AttributeError(name)


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
        try:
            if gate in OPERATORS:
                out = OPERATORS[gate][1](*raw)
            else:
                out = operator.methodcaller(gate, *raw[1:])(raw[0])
        except (AttributeError, TypeError, AssertionError, NotImplementedError) as error:
            if refused(error, raw):
                raise NotAttempted(describe(gate, operands),
                                   f"{type(error).__name__}: {error}") from None
            raise
        if not isinstance(out, self.cls):
            raise TypeError(f"{describe(gate, operands)} returned {out!r}, not a "
                            f"{self.cls.__name__}")
        return self._record(out)

    def backward(self, root: Node) -> None:
        """``root.backward()``, then a snapshot of every node of the current graph."""
        root.value.backward()
        graph = self.graphs[-1]
        graph.roots.append(root)
        graph.snapshots.append([(float(n.value.data), float(n.value.grad))
                                for n in graph.nodes])

    def grad(self, node: Node) -> float:
        return float(node.value.grad)

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


# -- the parts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """One graded part: its key, its title, the recipe; ``about`` describes a graph too big to
    print gate by gate, ``on_timeout`` and ``on_repeat`` explain the likely cause of running
    out of time or of failing only a later backward."""

    key: str
    title: Text
    recipe: Callable[[Builder], None]
    about: Text | None = None
    on_timeout: Text | None = None
    on_repeat: Text | None = None


# Leaf values for a gate alone: each case cut to the gate's arity, kept where the gate is
# defined; pow takes the second value from EXPONENTS. Then the first case again, times K, so
# the gate sees an upstream gradient other than 1.
CASES = ((0.8, -1.3), (-0.6, 0.5), (0.0, 1.7))
EXPONENTS = (2.0, 3.0, -1.0)
K = -1.5


def gate_cases(name: str) -> list[tuple[float, ...]]:
    gate = GATES[name]
    if name == "pow":
        return [(a, p) for (a, _), p in zip(CASES, EXPONENTS) if pow_gate(p).kernel(a)]
    return [case[:gate.arity] for case in CASES if gate.kernel(*case[:gate.arity])]


def _gate_recipe(name: str) -> Callable[[Builder], None]:
    inputs = GATES[name].inputs

    def operands(b: Builder, case: tuple[float, ...]) -> list:
        if name == "pow":
            return [b.leaf(case[0], "a"), case[1]]
        return [b.leaf(v, k) for k, v in zip(inputs, case)]

    def recipe(b: Builder) -> None:
        cases = gate_cases(name)
        for case in cases:
            b.graph()
            b.backward(b.apply(name, *operands(b, case)))
        b.graph()
        out = b.apply(name, *operands(b, cases[0]))
        b.backward(out * b.leaf(K, "k"))

    return recipe


def _chain(b: Builder) -> None:
    b.graph()
    a, x, c, d, e = b.leaves(a=1.5, b=-2.0, c=0.5, d=1.0, e=2.0)
    b.backward((((a * x + c) ** 2 - d) / e).relu())


def neuron_graph(b: Builder, w: list[float], x: list[float]) -> Node:
    """The notes' neuron f = sigmoid(w0*x0 + w1*x1 + w2), named as the notes name it."""
    w0, x0, w1, x1, w2 = b.leaves(w0=w[0], x0=x[0], w1=w[1], x1=x[1], w2=w[2])
    dot = b.name(w0 * x0 + w1 * x1 + w2, "dot")
    return b.name(dot.sigmoid(), "f")


def _cs231n(b: Builder) -> None:
    b.graph()
    b.backward(neuron_graph(b, [2.0, -3.0, -3.0], [-1.0, -2.0]))


def _fork(b: Builder) -> None:
    b.graph()
    x = b.leaf(2.5, "x")
    b.backward(x * x + x)
    b.graph()
    x, y = b.leaves(x=2.5, y=-2.0)
    b.backward(x * y + x)


def _reuse_graph(b: Builder) -> Node:
    a, x = b.leaves(a=1.5, b=-2.0)
    u = a * x
    v = u + a
    return v * u - v


def _reuse(b: Builder) -> None:
    b.graph()
    b.backward(_reuse_graph(b))


DEPTH = 2500  # two gates per level: 5,000 gates


def _deep(b: Builder) -> None:
    b.graph()
    y, w, c = b.leaves(x=0.5, w=0.999, c=0.01)
    for _ in range(DEPTH):
        y = y * w + c
    b.backward(y)


LEVELS = 40


def _doubling(b: Builder) -> None:
    b.graph()
    y, w = b.leaves(x=1.0, w=0.5)
    for _ in range(LEVELS):
        y = y * w + y  # y is used twice: the paths from the root to x double at every level
    b.backward(y)


def _twice(b: Builder) -> None:
    b.graph()
    f = _reuse_graph(b)
    b.backward(f)
    b.zero_grad(f)
    b.backward(f)


def _numbers(b: Builder) -> None:
    b.graph()
    x = b.leaf(0.5, "x")
    b.backward(1 + (3 - 2 * x) / 4 + 1 / x - x * 3)


def _neuron(b: Builder) -> None:
    b.graph()
    xs = b.leaves(x1=1.0, x2=-2.0)
    ws = b.leaves(w1=0.5, w2=-1.5)
    bias, y = b.leaves(b=0.3, y=2.0)
    out = sum((w * x for w, x in zip(ws, xs)), bias).relu()
    b.backward((out - y) ** 2)


def _notes1(b: Builder) -> None:
    exercise = hidden_relu_sigmoid()
    b.graph()
    nodes = {name: b.leaf(v, name) for name, v in exercise.leaves}
    for name, gate, args in exercise.ops:
        nodes[name] = b.name(b.apply(gate, *(nodes.get(a, a) for a in args)), name)
    b.backward(nodes[exercise.root])


STEPS = 3  # the notes' loop: pred = w·x + b, L = (pred - y)², as grading.notes.training_loop


def _notes2(b: Builder) -> None:
    w, bias = 0.5, 0.0
    for _ in range(STEPS + 1):
        b.graph()
        wv, bv, x, y = b.leaves(w=w, b=bias, x=2.0, y=4.0)
        b.backward(b.name((wv * x + bv - y) ** 2, "L"))
        w, bias = w - RATE * b.grad(wv), bias - RATE * b.grad(bv)


def _notes3(b: Builder) -> None:
    params, loss = network_4_5_3(0)
    b.graph()
    b.backward(loss(*(b.leaf(p.data, p.label) for p in params)))


def _gate_part(name: str) -> Part:
    return Part(f"gate:{name}", Text("the {gate} gate", gate=name), _gate_recipe(name))


PARTS: tuple[Part, ...] = (
    # mul first: every other gate's part multiplies its output by k
    *(_gate_part(name) for name in sorted(GATES, key=lambda name: name != "mul")),
    Part("chain", Text("a chain of gates"), _chain),
    Part("cs231n", Text("the notes' neuron sigmoid(w0*x0 + w1*x1 + w2)"), _cs231n),
    Part("fork", Text("fan-out: a node used twice"), _fork),
    Part("reuse", Text("shared inner nodes: v*u - v, u = a*b, v = u + a"), _reuse),
    Part("deep", Text("a deep chain (5,000 gates)"), _deep,
         about=Text("y ← y·w + c, 2,500 times from y = x: 5,000 gates in a row"),
         on_timeout=Text("A chain of 5,000 gates takes a correct engine milliseconds.")),
    Part("doubling", Text("each node used twice, 40 levels (2^40 paths)"), _doubling,
         about=Text("y ← y·w + y, 40 times from y = x: 80 gates, 2^40 paths from the root "
                    "to x"),
         on_timeout=Text("This graph has 80 gates but 2^40 paths from the root to x. A "
                         "backward without a topological order (each node calling its "
                         "inputs' backward at once) runs once per path, about 10^12 times; "
                         "sorted topologically, each gate runs once.")),
    Part("twice", Text("backward again after every .grad is set to 0"), _twice,
         on_repeat=Text("The first backward was right. After every .grad was set to 0, a "
                        "second backward on the same graph gave other gradients: backward "
                        "keeps something from its first call (a visited set that outlives "
                        "the call, such as a default argument).")),
    Part("numbers", Text("numbers and Values: 1 + (3 - 2*x)/4 + 1/x - x*3"), _numbers),
    Part("neuron", Text("a neuron and its loss"), _neuron),
    Part("notes1", Text("the notes' exercise 1: relu, then sigmoid"), _notes1),
    Part("notes2", Text("the notes' exercise 2: a training loop"), _notes2,
         about=Text("pred = w·x + b, L = (pred − y)², 3 steps of gradient descent")),
    Part("notes3", Text("the notes' exercise 3: a 4 -> 5 -> 3 network"), _notes3,
         about=Text("a 4 -> 5 (tanh) -> 3 network, squared error summed over 3 samples")),
)
BY_KEY: dict[str, Part] = {p.key: p for p in PARTS}
