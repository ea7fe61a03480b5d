"""The five-minute tour `make demo` runs: one gate graph, one neuron, two trained networks.

1. gates:  the chain rule gate by gate on f = sigmoid(w0*x0 + w1*x1 + w2), with its diagram
           and an HTML page to click through the backward pass;
2. neuron: a relu neuron's gradient derived on paper, matched by the engine and gradcheck;
3. moons:  micrograd's demo, a network trained to 100% on two moons, with its pictures;
4. lesson: the notes' network in one page, 8x8 digits layer by layer, trained in the browser.

Then it lists the files it wrote and the lessons that follow.

    python -m demos.tour
"""

from __future__ import annotations

import time
from pathlib import Path

from words import N_, _, speaking

from . import DEMOS, gates, lesson, moons, neuron

SECTIONS = [
    (gates, N_("Gates: the chain rule, one gate at a time")),
    (neuron, N_("A neuron: the gradient by hand, by the engine, by finite differences")),
    (moons, N_("A network: micrograd's two moons, trained")),
    (lesson, N_("The notes' network in the page: digits, layer by layer, trained in the browser")),
]
RULE = "=" * 78


def header(k: int, title: str) -> None:
    print(f"\n{RULE}\n {k}/{len(SECTIONS)}  {_(title)}\n{RULE}\n", flush=True)


def files_written(results: list[dict]) -> list[Path]:
    """The files the sections returned (their dicts hold the paths they wrote)."""
    return [v for r in results for v in r.values() if isinstance(v, Path)]


def main(out_dir: str = "out", quick: bool = False, lang: str | None = None) -> dict:
    with speaking(lang):
        return _tour(out_dir, quick)


def _tour(out_dir: str, quick: bool) -> dict:
    start = time.perf_counter()
    results = []
    for k, (module, title) in enumerate(SECTIONS, 1):
        header(k, title)
        results.append(module.main(out_dir=out_dir, quick=quick))
    seconds = time.perf_counter() - start
    files = files_written(results)

    done = _("Done in {seconds} s. The files are in {folder}:").format(
        seconds=f"{seconds:.0f}", folder=f"{out_dir}/")
    print(f"\n{RULE}\n {done}\n{RULE}")
    for path in files:
        print(f"  {path}")
    print("\n" + _("Open {page} in a browser and step through the backward pass with the "
                   "arrow keys.").format(page=f"{out_dir}/gates_stepper.html"))
    print(_("Open {page} to watch a network learn the digits, layer by layer.").format(
        page=f"{out_dir}/digits_lesson.html"))
    print("\n" + _("Next lessons (python -m demos NAME):"))
    for name in ("matrix", "gradcheck", "fanout", "exercises", "digits", "debugging"):
        print(f"  {name:<10} {_(DEMOS[name])}")
    print(_("The same path as a notebook: {path} (make notebook opens it)").format(
        path="demos/tour.ipynb"))
    return {"gates": results[0], "neuron": results[1], "moons": results[2],
            "lesson": results[3], "files": files, "seconds": seconds}


if __name__ == "__main__":
    main()
