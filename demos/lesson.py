"""The notes' network in the page: 8x8 digits, MLP(64, [32, 10]), trained in the browser.

Writes out/digits_lesson.html, one offline file (viz.lesson): the layer view of the network
batch-first as the notes draw it (X, W, b, Z, A, δ, ∂L/∂W, ∂L/∂b as heatmaps), the forward and
backward passes in the notes' equations with the current numbers, and training a class can
watch and pause (SGD, η 0.5, batches of 16; Play trains 20 epochs). The page runs the replay's
own plan; k epochs there give nn.fit's parameters. The data split is the digits demo's (the
test part stays out of the page).

    python -m demos.lesson
"""

from __future__ import annotations

from pathlib import Path

import viz
from nn import MLP
from words import _, speaking

from .digits import SEED, load_digits_split

LR, BATCH, EPOCHS_IN_PAGE = 0.5, 16, 20


def main(out_dir: str = "out", quick: bool = False, lang: str | None = None) -> dict:
    with speaking(lang):
        return _main(out_dir, lang)


def _main(out_dir: str, lang: str | None) -> dict:
    data = load_digits_split(seed=SEED)
    model = MLP(64, [32, 10], init="he", seed=SEED)
    path = viz.lesson(model, data.X_train, data.y_train, Path(out_dir) / "digits_lesson.html",
                      loss="cross_entropy", val=(data.X_val, data.y_val), lr=LR,
                      batch_size=BATCH, seed=SEED, epochs=EPOCHS_IN_PAGE, lang=lang)
    print(_("The notes' network in one page: MLP(64, [32, 10]) on {train} digits ({val} for "
            "validation), softmax cross-entropy, SGD η {lr}, batches of {batch}.").format(
                train=len(data.X_train), val=len(data.X_val), lr=LR, batch=BATCH))
    print(_("Open {page}: Space trains (about 95% validation accuracy after 11 epochs), S "
            "steps one batch, ← → walk through the forward and backward passes layer by "
            "layer; click a cell of ∂L/∂W to see it as a sum over the samples.").format(
                page=path))
    return {"lesson_html": path, "samples": len(data.X_train), "model": model}


if __name__ == "__main__":
    main()
