"""The graded battery: the parts a student's engine is run on, each a recipe for any class.

Every gate of the table alone (and feeding a mul gate, so its upstream is not 1), then the
shapes where engines go wrong: a chain, the notes' neuron, fan-out, shared inner nodes, a chain
of 5,000 gates, a graph of 2^40 paths, backward after zeroing, numbers mixed with Values, a
neuron and its loss, and the lecture notes' three exercises. A part's ``about``, ``on_timeout``
and ``on_repeat`` are what the report says when its graph is too big to print, when it runs
out of time, or when only a later backward fails. Runs in the child too: it imports only the
gate table and the notes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from engine.gates import GATES, pow_gate
from words import Text

from ..notes import RATE, hidden_relu_sigmoid, network_4_5_3
from .builder import Builder, GateName, Node


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
    return Part(f"gate:{name}", Text("the {gate}", gate=GateName(name)), _gate_recipe(name))


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
