"""The lecture notes' three exercises, worked by the engine next to the working by hand.

1. backprop by hand through 2 inputs -> 1 hidden relu neuron -> 1 sigmoid output: the
   derivation as straight-line code, the engine's steps table, the two compared, gradcheck;
2. a training loop whose loss goes down: gradient descent on one neuron, step by step;
3. a gradient check of a 4 -> 5 -> 3 network on 3 samples: relative error < 1e-5.

Printable versions: ``gategrad worksheet --preset notes1`` (notes2, notes3).

    python -m demos.exercises
"""

from __future__ import annotations

import math

from grading import notes
from words import _, align, num, speaking


def by_hand(x0: float, x1: float, w0: float, w1: float, b: float, v: float,
            c: float) -> dict[str, float]:
    """Exercise 1 as the notes work it: forward, then each gate's rule backwards."""
    z = w0 * x0 + w1 * x1 + b
    h = max(z, 0.0)
    o = v * h + c
    f = 1.0 / (1.0 + math.exp(-o))
    df_do = f * (1.0 - f)  # sigmoid: z(1 - z) of its output
    df_dv, df_dc, df_dh = df_do * h, df_do, df_do * v  # mul swaps; add distributes
    df_dz = df_dh if z > 0 else 0.0  # relu: positive passes, negative gives 0
    return {"h": h, "f": f, "c": df_dc, "v": df_dv, "h'": df_dh, "w0": df_dz * x0,
            "w1": df_dz * x1, "x0": df_dz * w0, "x1": df_dz * w1}


def main(out_dir: str = "out", quick: bool = False, lang: str | None = None) -> dict:
    """Run the lesson, narrated in ``lang`` (default: the current language); returns its figures."""
    with speaking(lang):
        return _lesson(quick)


def _lesson(quick: bool) -> dict:
    ex = notes.hidden_relu_sigmoid()
    print("1. " + _(ex.title))
    print("   " + ", ".join(f"{n} = {num(v)}" for n, v in ex.leaves))
    for line in ex.code():
        print("   " + line)
    hand = by_hand(**dict(ex.leaves))
    root, nodes = ex.build()
    root.backward()
    engine = {"h": nodes["h"].data, "f": root.data, "c": nodes["c"].grad, "v": nodes["v"].grad,
              "h'": nodes["h"].grad, "w0": nodes["w0"].grad, "w1": nodes["w1"].grad,
              "x0": nodes["x0"].grad, "x1": nodes["x1"].grad}
    names = {"h'": "df/dh", "h": "h", "f": "f"}
    rows = [["", _("by hand"), _("engine")]]
    rows += [[names.get(k, f"df/d{k}"), num(hand[k], 3), num(engine[k], 3)] for k in hand]
    print("\n".join("   " + line for line in align(rows, right={1, 2})))
    checked = ex.gradcheck()
    print("   " + (_("gradcheck passed") if checked.passed else _("gradcheck FAILED")))

    steps = 10 if quick else 20
    table = notes.training_loop(steps=steps)
    losses = [float(row[4]) for row in table.rows]
    print("\n2. " + _(table.title))
    print("   " + _(table.intro))
    shown = [[_(h) for h in table.header[:5]]] + [list(row[:5]) for row in table.rows[:6]]
    print("\n".join("   " + line for line in align(shown, right={0, 1, 2, 3, 4})))
    print("   " + _("loss after {n} steps: {loss}").format(n=steps, loss=num(losses[-1], 6)))

    result = notes.network_gradcheck()
    worst = max(r.rel_error for r in result.rows)
    print("\n3. " + _(notes.gradcheck_table().title))
    print("   " + _("{n} parameters, largest relative error {error}: {verdict}").format(
        n=len(result.rows), error=f"{worst:.1e}",
        verdict=_("passed") if result.passed else _("FAILED")))
    return {"by_hand": hand, "engine": engine, "gradcheck": checked.passed, "losses": losses,
            "max_rel_error": worst, "network_passed": result.passed}


if __name__ == "__main__":
    main()
