"""gategrad's demos: a lesson sequence from one gate to a network trained on real data.

Each demo is a module with ``main(out_dir="out", quick=False) -> dict`` (its key figures), run
as ``python -m demos.NAME`` or ``python -m demos NAME``; ``quick=True`` shortens training.

    import demos
    demos.DEMOS                          # name -> one-line description
    demos.run("moons", out_dir="out")    # runs it, returns its figures
"""

from __future__ import annotations

import importlib

from words import N_, _

# In lesson order; the tour runs gates, neuron, moons and lesson (what `make demo` shows).
DEMOS: dict[str, str] = {
    "tour": N_("the five-minute tour `make demo` runs: gates, a neuron, the two moons, a page"),
    "gates": N_("f = sigmoid(w0*x0 + w1*x1 + w2) gate by gate: tables, flat code, diagram, "
                "stepper"),
    "neuron": N_("one relu neuron: dL/dw derived by hand, matched by the engine and by gradcheck"),
    "matrix": N_("Y = XW from scalar gates: dL/dX = dL/dY·Wᵀ and dL/dW = Xᵀ·dL/dY, the Jacobian "
                 "view"),
    "gradcheck": N_("analytic vs numeric gradients, and a wrong gate rule caught by gradcheck"),
    "moons": N_("micrograd's demo: MLP(2, [16, 16, 1]) separates two moons; loss and boundary "
                "PNGs"),
    "digits": N_("8x8 handwritten digits through the batched replay: >95% test accuracy in "
                 "seconds"),
    "lesson": N_("the notes' network in one page: 8x8 digits layer by layer, trained in the "
                 "browser"),
    "debugging": N_("learning rate, overfit 20 samples, vanishing and exploding gradients, "
                    "clipping"),
    "fanout": N_("three broken backward passes beside the right one and torch; forward vs "
                 "reverse mode"),
    "exercises": N_("the lecture notes' exercises: by hand through relu and sigmoid, a loop, "
                    "a gradcheck"),
    "check": N_("a student's own engine graded gate by gate, and a class's folder at once"),
}


def run(name: str, out_dir: str = "out", quick: bool = False, lang: str | None = None) -> dict:
    """Run demo ``name`` (a key of DEMOS), writing its files to ``out_dir``, its narration in
    ``lang`` (default: the current language); returns its dict."""
    if name not in DEMOS:
        raise ValueError(f"unknown demo {name!r}; choose one of {', '.join(DEMOS)}")
    module = importlib.import_module(f"demos.{name}")
    if lang is None:
        return module.main(out_dir=out_dir, quick=quick)
    return module.main(out_dir=out_dir, quick=quick, lang=lang)


def listing() -> str:
    """The demos, one line each, as ``python -m demos`` prints them."""
    width = max(map(len, DEMOS))
    lines = [_("Demos (python -m demos NAME [--out DIR] [--quick] [--lang LANG]):")]
    lines += [f"  {name:<{width}}  {_(text)}" for name, text in DEMOS.items()]
    return "\n".join(lines)
