"""Seeded exercises a student can work by hand, by level, each checked by the engine and gradcheck.

Levels: 1 a single gate (its output scaled by a given upstream gradient g); 2 a chain of gates;
3 fan-out, a node used more than once; 4 a relu neuron with its squared-error loss; 5 a
two-layer network (2 inputs, 2 relu units, 1 linear output) with its error terms δ.

An exercise is data: the given leaf values, its gates as flat code (``s0 = x * y``), and the
asked cells (forward values and gradients). Numbers are small integers or halves, so every
answer is exact with ``digits`` decimals.

"Unique answers", precisely: in one exercise (1) the asked gradients are pairwise different
when rounded to ``digits`` decimals, and so are the asked forward values, so an answer written
in the wrong cell (say mul's two inputs swapped) is always wrong; (2) every asked number has at
most ``digits`` decimals, so rounding never decides; (3) no gate sits at a kink (relu at 0, max
on a tie), so every derivative is defined and gradcheck agrees. Generation draws with a
``random.Random`` seeded by (level, seed, index) and redraws until all three hold.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from engine import Value, maximum
from engine.check import GradcheckResult, gradcheck
from words import N_

Operand = str | float
Op = tuple[str, str, tuple[Operand, ...]]  # (node name, gate name, operands: names or numbers)

_SYMBOL = {"add": "+", "sub": "-", "mul": "*", "div": "/"}
_APPLY: dict[str, Callable[..., Value]] = {
    "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b, "max": maximum, "pow": lambda a, p: a ** p,
    "relu": lambda a: a.relu(), "sigmoid": lambda a: a.sigmoid(), "tanh": lambda a: a.tanh(),
    "neg": lambda a: -a,
}
LEVELS = {
    1: N_("one gate"), 2: N_("a chain of gates"), 3: N_("fan-out: a node used twice"),
    4: N_("a neuron and its loss"), 5: N_("a two-layer network and its error terms δ"),
}


@dataclass(frozen=True)
class Cell:
    """One blank to fill: the value or the gradient of a node (``shown`` is what it is called)."""

    node: str
    kind: str  # "value" or "grad"
    answer: float
    shown: str = ""  # e.g. "δ(z0)"; default: the node name or dL/d<node>


@dataclass(frozen=True)
class Exercise:
    """A graph given as flat code, its leaf values and the cells asked."""

    level: int
    number: int  # 1-based position on the sheet
    title: str  # msgid
    leaves: tuple[tuple[str, float], ...]
    ops: tuple[Op, ...]
    cells: tuple[Cell, ...]
    digits: int = 2
    root: str = "f"

    def code(self) -> list[str]:
        """The gates as flat code, one line each: ``s0 = x * y``, ``h = relu(z)``."""
        lines = []
        for name, gate, args in self.ops:
            shown = [a if isinstance(a, str) else f"{a:g}" for a in args]
            if gate in _SYMBOL:
                lines.append(f"{name} = {shown[0]} {_SYMBOL[gate]} {shown[1]}")
            elif gate == "pow":
                lines.append(f"{name} = {shown[0]} ** {shown[1]}")
            else:
                lines.append(f"{name} = {gate}({', '.join(shown)})")
        return lines

    def build(self, values: Sequence[float] | None = None) -> tuple[Value, dict[str, Value]]:
        """A fresh graph (labelled nodes), from the given values or ``values`` in leaf order."""
        given = [v for _, v in self.leaves] if values is None else list(values)
        nodes: dict[str, Value] = {}
        for (name, _), v in zip(self.leaves, given):
            nodes[name] = v if isinstance(v, Value) else Value(v, label=name)
        for name, gate, args in self.ops:
            out = _APPLY[gate](*(nodes[a] if isinstance(a, str) else a for a in args))
            out.label = name
            nodes[name] = out
        return nodes[self.root], nodes

    def solve(self) -> dict[tuple[str, str], float]:
        """Every node's value and gradient by the engine: ``{(node, "value"|"grad"): x}``."""
        root, nodes = self.build()
        root.backward()
        return {(n, kind): (v.data if kind == "value" else v.grad)
                for n, v in nodes.items() for kind in ("value", "grad")}

    def gradcheck(self) -> GradcheckResult:
        """backward against central differences, for every leaf."""
        return gradcheck(lambda *xs: self.build(xs)[0],
                         [Value(v, label=n) for n, v in self.leaves])


def _cells(ex: Exercise, values: Sequence[str], grads: Sequence[str],
           shown: dict[str, str] | None = None) -> Exercise:
    solved = ex.solve()
    shown = shown or {}
    cells = [Cell(n, "value", solved[n, "value"]) for n in values]
    cells += [Cell(n, "grad", solved[n, "grad"], shown.get(n, "")) for n in grads]
    return Exercise(ex.level, ex.number, ex.title, ex.leaves, ex.ops, tuple(cells), ex.digits,
                    ex.root)


def _exact(x: float, digits: int) -> bool:
    return abs(x) < 1e3 and abs(round(x, digits) - x) < 1e-9


def _kinked(ex: Exercise) -> bool:
    _root, nodes = ex.build()
    for _name, gate, args in ex.ops:
        inputs = [nodes[a].data if isinstance(a, str) else a for a in args]
        if (gate == "relu" and inputs[0] == 0) or (gate == "max" and inputs[0] == inputs[1]):
            return True
    return False


def is_valid(ex: Exercise) -> bool:
    """The three promises of the module docstring: distinct, exact, away from kinks."""
    if _kinked(ex):
        return False
    for kind in ("value", "grad"):
        shown = [round(c.answer, ex.digits) for c in ex.cells if c.kind == kind]
        if len(set(shown)) != len(shown):
            return False
    return all(_exact(c.answer, ex.digits) for c in ex.cells) and bool(ex.gradcheck())


# -- the levels ---------------------------------------------------------------------------------

_SMALL = (-3, -2, -1, 1, 2, 3)
_INPUTS = (-3, -2, 2, 3)  # never ±1, so a weight's gradient δ·x never copies δ
_WEIGHTS = (-1.5, -0.5, 0.5, 1.5)  # halves, never equal to an input


def _level1(rng: random.Random, number: int) -> Exercise:
    gate = rng.choice(("add", "sub", "mul", "max", "relu", "div"))
    a, b = float(rng.choice(_SMALL)), float(rng.choice((-2, -1, 1, 2) if gate == "div" else _SMALL))
    g = rng.choice((2.0, 3.0, -2.0, 0.5, -1.0))
    leaves = (("a", a), ("g", g)) if gate == "relu" else (("a", a), ("b", b), ("g", g))
    operands = ("a",) if gate == "relu" else ("a", "b")
    ex = Exercise(1, number, LEVELS[1], leaves, (("s0", gate, operands), ("f", "mul", ("s0", "g"))),
                  ())
    return _cells(ex, ["s0"], list(operands))


def _level2(rng: random.Random, number: int) -> Exercise:
    names = iter("xyzwuv")
    first = next(names)
    leaves, ops, current = [(first, float(rng.choice(_SMALL)))], [], first
    for k in range(rng.choice((3, 4))):
        gate = rng.choice(("add", "sub", "mul", "mul", "relu", "max"))
        name = f"s{k}"
        if gate == "relu":
            ops.append((name, gate, (current,)))
        else:
            leaf = next(names)
            leaves.append((leaf, float(rng.choice(_SMALL))))
            ops.append((name, gate, (current, leaf) if rng.random() < 0.7 else (leaf, current)))
        current = name
    ops[-1] = ("f", *ops[-1][1:])
    ex = Exercise(2, number, LEVELS[2], tuple(leaves), tuple(ops), ())
    return _cells(ex, [o[0] for o in ops], [n for n, _ in leaves] + [o[0] for o in ops[:-1]])


def _level3(rng: random.Random, number: int) -> Exercise:
    leaves = [("x", float(rng.choice(_SMALL))), ("y", float(rng.choice(_SMALL)))]
    ops: list[Op] = [("s0", rng.choice(("mul", "add", "sub")), ("x", "y"))]
    shared = rng.choice(("x", "s0"))  # a leaf or an inner node used by two gates
    ops.append(("s1", rng.choice(("mul", "add", "max")), ("s0", "x") if shared == "x"
                else ("s0", "y")))
    ops.append(("f", rng.choice(("mul", "add", "sub")), ("s1", shared)))
    ex = Exercise(3, number, LEVELS[3], tuple(leaves), tuple(ops), ())
    return _cells(ex, ["s0", "s1", "f"], ["x", "y", "s0", "s1"])


def _neuron_ops(prefix: str, inputs: Sequence[str], weights: Sequence[str], bias: str,
                z: str) -> list[Op]:
    """z = w0*x0 + w1*x1 + ... + b, as the notes number the gates."""
    ops: list[Op] = [(f"{prefix}{k}", "mul", (w, x)) for k, (w, x) in
                     enumerate(zip(weights, inputs))]
    total = ops[0][0]
    for k in range(1, len(ops)):
        name = f"{prefix}{len(ops) + k - 1}"
        ops.append((name, "add", (total, ops[k][0])))
        total = name
    ops.append((z, "add", (total, bias)))
    return ops


def _level4(rng: random.Random, number: int) -> Exercise:
    leaves = tuple((n, float(rng.choice(_WEIGHTS if n[0] == "w" else _INPUTS)))
                   for n in ("x0", "x1", "w0", "w1", "b", "y"))
    ops = _neuron_ops("s", ("x0", "x1"), ("w0", "w1"), "b", "z")
    ops += [("h", "relu", ("z",)), ("d", "sub", ("h", "y")), ("L", "pow", ("d", 2.0))]
    ex = Exercise(4, number, LEVELS[4], leaves, tuple(ops), (), root="L")
    # h = z where the relu is alive, and b, z, h receive the same gradient: ask each once
    return _cells(ex, ["z", "L"], ["h", "w0", "w1", "x0", "x1"], {"h": "dL/dh = dL/db"})


def _level5(rng: random.Random, number: int) -> Exercise:
    names = ("x0", "x1", "w00", "w01", "w10", "w11", "b0", "b1", "v0", "v1", "c", "y")
    leaves = tuple((n, float(rng.choice(_INPUTS if n[0] in "xyc" else _WEIGHTS)))
                   for n in names)
    ops = _neuron_ops("s", ("x0", "x1"), ("w00", "w01"), "b0", "z0")
    ops += _neuron_ops("t", ("x0", "x1"), ("w10", "w11"), "b1", "z1")
    ops += [("h0", "relu", ("z0",)), ("h1", "relu", ("z1",))]
    ops += _neuron_ops("u", ("h0", "h1"), ("v0", "v1"), "c", "z2")
    ops += [("d", "sub", ("z2", "y")), ("L", "pow", ("d", 2.0))]
    ex = Exercise(5, number, LEVELS[5], leaves, tuple(ops), (), root="L")
    deltas = {z: f"δ({z})" for z in ("z0", "z1", "z2")}
    return _cells(ex, ["h0", "h1", "z2", "L"],
                  ["z2", "z1", "z0", "v0", "v1", "w00", "w01", "w10", "w11"], deltas)


_MAKERS = {1: _level1, 2: _level2, 3: _level3, 4: _level4, 5: _level5}
MAX_TRIES = 50_000  # level 2 keeps about 3 draws in 1000 (distinct answers are rare in a
# chain): 2000 left one seed in 400 without an exercise; 50,000 leave none (0.997^50000 ~ e^-150)


def check_level(level: object) -> int:
    if isinstance(level, bool) or not isinstance(level, int) or level not in _MAKERS:
        raise ValueError(f"exercise level must be one of {', '.join(map(str, _MAKERS))}, "
                         f"got {level!r}")
    return level


def generate(level: int, count: int = 1, seed: int = 0) -> list[Exercise]:
    """``count`` exercises of ``level``, the same for the same seed (see the module docstring)."""
    check_level(level)
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 100:
        raise ValueError(f"exercise count must be a whole number from 1 to 100, got {count!r}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"exercise seed must be a whole number, got {seed!r}")
    exercises = []
    for number in range(1, count + 1):
        rng = random.Random(f"gategrad exercise {level} {seed} {number}")
        for _ in range(MAX_TRIES):
            ex = _MAKERS[level](rng, number)
            if is_valid(ex):
                exercises.append(ex)
                break
        else:  # pragma: no cover - the levels' ranges make valid draws common
            raise RuntimeError(f"no valid level-{level} exercise in {MAX_TRIES} draws")
    return exercises
