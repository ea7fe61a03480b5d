"""The notes' network in the page: the layer view and training a class can watch and pause.

``lesson(model, X, y, "lesson.html", loss=..., val=..., lr=..., batch_size=..., shuffle=...,
seed=...)`` writes ONE offline HTML file that carries the data and trains in the browser with
the replay's own plan (engine.replay.export_plan; matrix products and the gate table's kernels,
never a second network written in JavaScript). SGD in the page gives fit()'s parameters: the same
batches (fit's seeded shuffle, ported), the same mean loss, the same update w ← w − η·∂L/∂w.

The layer view draws every matrix batch-first as the notes do (X, W, b, Z, A, δ, ∂L/∂W,
∂L/∂b), steps the forward and backward passes in the notes' equations with the current
numbers, and shows any cell of ∂L/∂W as its sum over the samples. The page API, for tests and
scripted demos: ``gategrad.train({epochs: k})``, ``gategrad.parameters()`` (in
``model.parameters()`` order), ``gategrad.metrics()``.
"""

from __future__ import annotations

from pathlib import Path

from ..page import Page, html_path
from .build import build_lesson


def lesson(model, X, y, path: str | Path | None = None, *, loss: str = "mse", val=None,
           lr: float = 0.1, batch_size: int | None = 32, shuffle: bool = True, seed: int = 0,
           epochs: int = 1, title: str | None = None, lang: str | None = None) -> Path | Page:
    """Write the training page of ``model`` on (X, y) to ``path`` (returns the Path), or, without
    a path, return a ``Page`` a notebook shows inline.

    ``loss``, ``lr``, ``batch_size``, ``shuffle`` and ``seed`` mean what they mean in
    ``nn.fit`` (SGD); ``val=(X_val, y_val)`` adds the validation curve; Play trains ``epochs``
    epochs, then pauses (press it again for more). The model's parameters are not changed.
    """
    if path is not None:
        html_path(path)  # before the build: a wrong name is refused at once
    page = Page(build_lesson(model, X, y, loss=loss, val=val, lr=lr, batch_size=batch_size,
                             shuffle=shuffle, seed=seed, epochs=epochs, title=title, lang=lang))
    return page if path is None else page.save(path)


__all__ = ["build_lesson", "lesson"]
