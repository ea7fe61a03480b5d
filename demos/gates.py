"""The CS231n gate example, f = sigmoid(w0*x0 + w1*x1 + w2), gate by gate.

1. the forward pass, gate by gate;
2. the backward pass, gate by gate: upstream × local = contribution;
3. the same function written as flat code (the staged computation of the CS231n notes) with its
   backward written out by hand, compared with the engine number by number;
4. the diagram (out/gates.svg) and the HTML stepper (out/gates_stepper.html) to click through.

    python -m demos.gates
"""

from __future__ import annotations

import math
from pathlib import Path

from engine import Value
from viz import forward_table, steps_table
from words import N_, _, align, speaking

VALUES = dict(w0=2.0, x0=-1.0, w1=-3.0, x1=-2.0, w2=-3.0)


def build(values: dict[str, float] | None = None) -> tuple[Value, dict[str, Value]]:
    """The graph, every node labelled, at the notes' values (or others: ``build({"x0": 3.0})``)."""
    n = {k: Value(v, label=k) for k, v in {**VALUES, **(values or {})}.items()}
    n["s0"] = n["w0"] * n["x0"]
    n["s1"] = n["w1"] * n["x1"]
    n["s2"] = n["s0"] + n["s1"]
    n["s3"] = n["s2"] + n["w2"]
    n["f"] = n["s3"].sigmoid()
    for k in ("s0", "s1", "s2", "s3", "f"):
        n[k].label = k
    return n["f"], n


def flat_code(w0: float, x0: float, w1: float, x1: float, w2: float) -> dict[str, float]:
    """Forward and backward as straight-line code, each backward line one gate's rule."""
    # forward
    s0 = w0 * x0
    s1 = w1 * x1
    s2 = s0 + s1
    s3 = s2 + w2
    f = 1 / (1 + math.exp(-s3))
    # backward, in reverse order
    grad_f = 1.0
    grad_s3 = (1 - f) * f * grad_f  # sigmoid: z(1 - z)
    grad_s2, grad_w2 = grad_s3, grad_s3  # add distributes
    grad_s0, grad_s1 = grad_s2, grad_s2  # add distributes
    grad_w1, grad_x1 = x1 * grad_s1, w1 * grad_s1  # mul swaps
    grad_w0, grad_x0 = x0 * grad_s0, w0 * grad_s0  # mul swaps
    return dict(f=f, w0=grad_w0, x0=grad_x0, w1=grad_w1, x1=grad_x1, w2=grad_w2)


FLAT_CODE_TEXT = """\
s0 = w0 * x0;  s1 = w1 * x1;  s2 = s0 + s1;  s3 = s2 + w2;  f = 1 / (1 + exp(-s3))
grad_s3 = (1 - f) * f                    # {sigmoid}
grad_s2 = grad_w2 = grad_s3              # {add}
grad_s0 = grad_s1 = grad_s2              # {add}
grad_w1, grad_x1 = x1 * grad_s1, w1 * grad_s1   # {mul}
grad_w0, grad_x0 = x0 * grad_s0, w0 * grad_s0   # {mul}"""
# The comments: the rule of each gate as a teacher says it, in the class's language.
FLAT_CODE_COMMENTS = {"sigmoid": N_("sigmoid: z(1 - z)"), "add": N_("add distributes"),
                      "mul": N_("mul swaps")}


def flat_code_text() -> str:
    """The flat code as printed, its comments in the current language."""
    return FLAT_CODE_TEXT.format(**{k: _(v) for k, v in FLAT_CODE_COMMENTS.items()})


def main(out_dir: str = "out", quick: bool = False, lang: str | None = None) -> dict:
    with speaking(lang):
        return _lesson(out_dir)


def _lesson(out_dir: str) -> dict:
    import viz

    f, n = build()
    print(_("f = sigmoid(w0*x0 + w1*x1 + w2) at {values}").format(
        values=", ".join(f"{k}={v:g}" for k, v in VALUES.items())))
    print("\n" + _("Forward, gate by gate:") + "\n" + forward_table(f))
    print("\n" + _("Backward, gate by gate:") + "\n" + steps_table(f, chain_rule=True))

    f.backward()
    flat = flat_code(**VALUES)
    print("\n" + _("The same function as flat code, backward written by hand:") + "\n")
    print(flat_code_text())
    rows = [["", _("flat code"), _("engine")], ["f", f"{flat['f']:.6f}", f"{f.data:.6f}"]]
    rows += [["d" + k, f"{flat[k]:.6f}", f"{n[k].grad:.6f}"] for k in VALUES]
    print("\n" + "\n".join(align(rows, right={1, 2})))

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    diagram = viz.draw(f)
    svg = out / "gates.svg"
    svg.write_bytes(diagram.pipe(format="svg"))
    stepper = viz.stepper(f, out / "gates_stepper.html")
    print("\n" + _("Diagram: {path}").format(path=svg))
    print(_("Stepper: {path} (open it in a browser; arrow keys step)").format(path=stepper))
    return {"f": f.data, "engine": {k: n[k].grad for k in VALUES}, "flat": flat,
            "svg": svg, "stepper": Path(stepper)}


if __name__ == "__main__":
    main()
