"""Small helpers the training demos share: figures written to PNG without pyplot.

A ``matplotlib.figure.Figure`` built directly needs no backend and touches no global state, so
a demo can write its PNGs from a script, a test or a notebook (whose inline backend stays as it
is) alike.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from nn import MLP, predict
from words import _
from words.fonts import chinese_texts

# Two colours a colour-blind reader can tell apart (blue / orange), used for classes and runs.
BLUE, ORANGE, GREEN, RED, GREY = "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#7f7f7f"


def figure(cols: int = 1, rows: int = 1, size: tuple[float, float] = (5.0, 4.0)):
    """A Figure with ``rows x cols`` axes of ``size`` inches each; returns (fig, flat axes list)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(size[0] * cols, size[1] * rows), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False)
    return fig, [ax for row in axes for ax in row]


def save(fig, out_dir: str | Path, name: str) -> Path:
    """Write ``fig`` as ``out_dir/name`` (PNG, 120 dpi: sharp on slides, small on disk); text
    with Chinese characters in it is drawn with a CJK font (``words.fonts``: found even when
    matplotlib's font cache predates it; without one, a single warning names the package)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / name
    chinese_texts(fig, _("the lessons' figures"))
    fig.savefig(path, dpi=120)
    return path


def scores(model: MLP, X: np.ndarray) -> np.ndarray:
    """The model's outputs on every row of X, through the batched replay of one traced sample
    (``nn.predict(..., batched=True)``): the same graph the scalar path builds, run once."""
    return np.asarray(predict(model, X, batched=True))
