"""Gradient checking: the analytic gradients of backward() against finite differences.

First a small network (2 inputs, 3 tanh hidden units, 1 output, squared error) whose every
parameter passes. Then the same check with a deliberately wrong tanh rule planted in the gate
table (the local derivative 1 - out instead of 1 - out²): gradcheck catches it at once, and
names the parameters whose gradients are off.

    python -m demos.gradcheck
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager

from engine import GATES, Value, gradcheck, make_gate
from words import _, speaking

X = [0.7, -1.2]
Y = 0.5
HIDDEN = 3


def network(*params: Value) -> Value:
    """tanh(W1 x + b1) -> w2 · h + b2 -> (out - y)²; params are W1 (row-major), b1, w2, b2."""
    w1, b1 = params[: 2 * HIDDEN], params[2 * HIDDEN: 3 * HIDDEN]
    w2, b2 = params[3 * HIDDEN: 4 * HIDDEN], params[4 * HIDDEN]
    h = [(w1[2 * j] * X[0] + w1[2 * j + 1] * X[1] + b1[j]).tanh() for j in range(HIDDEN)]
    out = sum((w * hj for w, hj in zip(w2, h)), b2)
    return (out - Y) ** 2


def parameters(seed: int = 0) -> list[Value]:
    rng = random.Random(seed)
    names = ([f"W1[{j}{i}]" for j in range(HIDDEN) for i in range(2)]
             + [f"b1[{j}]" for j in range(HIDDEN)] + [f"w2[{j}]" for j in range(HIDDEN)] + ["b2"])
    return [Value(rng.uniform(-1, 1), label=n) for n in names]


@contextmanager
def wrong_tanh_rule() -> Iterator[None]:
    """Plant a bug in the gate table for the duration of the block (for this lesson only)."""
    right = GATES["tanh"]
    GATES["tanh"] = make_gate("tanh", "tanh", "a", "tanh(a)", ("1.0 - out",),
                              "a WRONG tanh rule: 1 - out instead of 1 - out²")
    try:
        yield
    finally:
        GATES["tanh"] = right


def main(out_dir: str = "out", quick: bool = False, lang: str | None = None) -> dict:
    with speaking(lang):
        return _lesson()


def _lesson() -> dict:
    params = parameters()
    good = gradcheck(network, params)
    print(_("A 2-3-1 tanh network, squared error. Analytic (backward) vs numeric gradients:")
          + "\n")
    print(good)
    with wrong_tanh_rule():
        bad = gradcheck(network, params)
    print("\n" + _("The same network with a wrong tanh rule planted in the gate table:") + "\n")
    print(bad)
    caught = [r.name for r in bad.rows if not r.passed]
    print("\n" + _("gradcheck caught the bug in {caught} of {total} gradients: {names}.").format(
        caught=len(caught), total=len(bad.rows), names=", ".join(caught)))
    print(_("They are the parameters below the tanh gates, whose gradient flows through the "
            "wrong rule; w2 and b2 sit above them and still pass. That is how a failing "
            "gradcheck points at the broken gate."))
    return {"good": good, "bad": bad, "caught": caught}


if __name__ == "__main__":
    main()
