"""The lecture notes' own exercises, as built-in lessons and worksheet presets.

1. backprop by hand through 2 inputs -> 1 hidden relu neuron -> 1 sigmoid output (an Exercise
   whose sigmoid sits at 0, so z(1 - z) = 0.25 and every answer is exact);
2. a training loop whose loss goes down: gradient descent on one neuron, step by step;
3. a gradient check of a 4 -> 5 -> 3 network on 3 samples: relative error < 1e-5.

Networks here are built from engine gates directly (engine imports nothing of nn).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from engine.check import GradcheckResult, gradcheck
from engine.value import Value
from words import N_, num

from .exercises import Exercise, _cells, _neuron_ops


@dataclass(frozen=True)
class Table:
    """A table to fill in: header, rows of numbers as text, and which cells are left blank."""

    title: str  # msgid
    intro: str  # msgid
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    blanks: tuple[tuple[int, int], ...]  # (row, column) left blank on the sheet
    given: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (caption msgid, lines) shown above


def hidden_relu_sigmoid() -> Exercise:
    """Notes exercise 1: f = sigmoid(v · relu(w0·x0 + w1·x1 + b) + c), worked by hand."""
    leaves = (("x0", 2.0), ("x1", 3.0), ("w0", 1.5), ("w1", 0.5), ("b", -0.5), ("v", -1.0),
              ("c", 4.0))
    ops = _neuron_ops("s", ("x0", "x1"), ("w0", "w1"), "b", "z")
    ops += [("h", "relu", ("z",)), ("u", "mul", ("v", "h")), ("o", "add", ("u", "c")),
            ("f", "sigmoid", ("o",))]
    # level 0: not one of the generated levels, the notes' own
    ex = Exercise(0, 1, N_("2 inputs -> 1 hidden relu neuron -> 1 sigmoid output, by hand"),
                  leaves, tuple(ops), (), digits=3)
    # c and o receive the same gradient, as do h, z and b: each is asked once
    return _cells(ex, ["h", "f"], ["c", "v", "h", "w0", "w1", "x0", "x1"],
                  {"c": "df/dc = df/do", "h": "df/dh = df/db"})


RATE = 0.05


def training_loop(steps: int = 3) -> Table:
    """Notes exercise 2: gradient descent on pred = w·x + b, L = (pred - y)², one sample."""
    x, y, w, b = 2.0, 4.0, 0.5, 0.0
    rows = []
    for k in range(steps + 1):
        wv, bv = Value(w, label="w"), Value(b, label="b")
        pred = wv * x + bv
        loss = (pred - y) ** 2
        loss.backward()
        rows.append((str(k), num(w, 4), num(b, 4), num(pred.data, 4), num(loss.data, 6),
                     num(wv.grad, 4), num(bv.grad, 4)))
        w, b = w - RATE * wv.grad, b - RATE * bv.grad
    blanks = tuple((r, c) for r in range(1, steps + 1) for c in range(1, 7))
    return Table(
        N_("a training loop whose loss goes down"),
        N_("pred = w·x + b with x = 2, target y = 4, loss L = (pred − y)², learning rate "
           "η = 0.05. Each step: forward, backward, then w ← w − η·dL/dw, b ← b − η·dL/db."),
        (N_("step"), "w", "b", "pred", "L", "dL/dw", "dL/db"), tuple(rows), blanks)


def _parameter_names() -> list[str]:
    return ([f"W1[{j},{i}]" for j in range(5) for i in range(4)] + [f"b1[{j}]" for j in range(5)]
            + [f"W2[{k},{j}]" for k in range(3) for j in range(5)] + [f"b2[{k}]" for k in range(3)])


def network_samples(seed: int = 0) -> list[tuple[list[float], list[float]]]:
    """The 3 samples (4 inputs, 3 targets) the network of exercise 3 is checked on."""
    rng = random.Random(f"gategrad notes samples {seed}")
    return [([rng.uniform(-1, 1) for _ in range(4)], [rng.uniform(-1, 1) for _ in range(3)])
            for _ in range(3)]


def network_4_5_3(seed: int = 0) -> tuple[list[Value], Callable[..., Value]]:
    """A 4 -> 5 (tanh) -> 3 (linear) network with a squared-error loss summed over 3 samples:
    its 43 parameters (labelled W1[j,i], b1[j], W2[k,j], b2[k]) and ``loss(*params)``, built
    from engine gates."""
    rng = random.Random(f"gategrad notes network {seed}")
    params = [Value(rng.uniform(-1, 1), label=name) for name in _parameter_names()]
    samples = network_samples(seed)

    def loss(*p: Value) -> Value:
        w1, b1 = p[:20], p[20:25]
        w2, b2 = p[25:40], p[40:43]
        total = None
        for xs, ys in samples:
            hidden = [(sum((w1[4 * j + i] * xs[i] for i in range(4)), b1[j])).tanh()
                      for j in range(5)]
            for k in range(3):
                out = sum((w2[5 * k + j] * hidden[j] for j in range(5)), b2[k])
                term = (out - ys[k]) ** 2
                total = term if total is None else total + term
        return total

    return params, loss


def network_gradcheck(seed: int = 0) -> GradcheckResult:
    """Notes exercise 3: backward against central differences on the 4 -> 5 -> 3 network."""
    params, loss = network_4_5_3(seed)
    return gradcheck(loss, params, h=H, rtol=1e-5)


H = 1e-6  # the step of exercise 3's central differences (gradcheck's default)


def _vector(xs) -> str:
    return "(" + ", ".join(repr(float(x)) for x in xs) + ")"


def network_given(seed: int = 0) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """What a student needs to reproduce exercise 3's columns: the samples, every parameter
    exactly (Python's repr of a float64 reads back to the same number) and the loss."""
    params, _loss = network_4_5_3(seed)
    samples = tuple(line for s, (xs, ys) in enumerate(network_samples(seed))
                    for line in (f"x{s} = {_vector(xs)}", f"y{s} = {_vector(ys)}"))
    formulas = ("h[j]   = tanh(b1[j] + W1[j,0]·x[0] + W1[j,1]·x[1] + W1[j,2]·x[2] + W1[j,3]·x[3])",
                "out[k] = b2[k] + W2[k,0]·h[0] + W2[k,1]·h[1] + ... + W2[k,4]·h[4]",
                "L = Σ_s Σ_k (out[k] − ys[k])²,  x = xs,  s = 0, 1, 2",
                f"numeric(p) = (L(p + h) − L(p − h)) / (2h),  h = {H:g}",
                "analytic(p) = dL/dp = p.grad  (L.backward())")
    return (
        (N_("The network: 4 inputs, 5 tanh units (j = 0..4), 3 linear outputs (k = 0..2); the "
            "loss L is the squared error summed over the 3 samples (xs, ys). numeric is the "
            "central difference with step h, analytic the gradient by backpropagation."),
         formulas),
        (N_("The 3 samples: inputs x (4 numbers) and targets y (3 numbers)."), samples),
        (N_("The 43 parameters, exactly (float64 as Python prints it): W1[j,i] is unit j's "
            "weight for input i, W2[k,j] output k's weight for unit j."),
         tuple(f"{p.label} = {p.data!r}" for p in params)),
    )


def relative_error(analytic: str, numeric: str) -> Decimal:
    """|analytic − numeric| / max(|analytic|, |numeric|) of two columns as shown (decimal
    strings), worked exactly: what a student computes from the sheet."""
    a, n = Decimal(analytic), Decimal(numeric)
    return abs(a - n) / max(abs(a), abs(n))


def gradcheck_table(seed: int = 0, rows: int = 6) -> Table:
    """Notes exercise 3 on paper: a few parameters' analytic and numeric gradients; the student
    computes the relative error from the two columns as shown and says whether the check passes
    (< 1e-5). The network, the samples and every parameter are given, so both columns can be
    reproduced."""
    result = network_gradcheck(seed)
    picked = result.rows[:: max(1, len(result.rows) // rows)][:rows]
    body = []
    for r in picked:
        analytic, numeric = f"{r.analytic:.10f}", f"{r.numeric:.10f}"
        error = relative_error(analytic, numeric)
        body.append((r.name, analytic, numeric, f"{float(error):.1e}",
                     N_("yes") if error < Decimal("1e-5") else N_("no")))
    return Table(
        N_("a gradient check of a 4 -> 5 -> 3 network on 3 samples"),
        N_("Relative error = |analytic − numeric| / max(|analytic|, |numeric|), from the two "
           "columns as shown. The check passes when it is below 1e-5."),
        (N_("parameter"), N_("analytic"), N_("numeric"), N_("relative error"), "< 1e-5?"),
        tuple(body), tuple((r, c) for r in range(len(body)) for c in (3, 4)),
        network_given(seed))


PRESETS = ("notes1", "notes2", "notes3")
