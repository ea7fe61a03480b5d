"""micrograd's demo: a small network learns to separate two moons.

100 points in two interleaving half circles (labels -1 and +1), MLP(2, [16, 16, 1]) with relu,
the hinge loss max(0, 1 - y·score) plus 1e-4·Σw², and 100 steps of full-batch SGD whose learning
rate falls linearly, lr = 1 - 0.9·k/100 at step k. The weights are the ones micrograd draws after
``random.seed(1337)``, so the run reaches 100% as micrograd's own notebook does.

It trains through the batched replay (``fit(..., batched=True)``): the graph of one sample is
traced once and replayed with numpy over the 100 points. The scalar path (``batched=False``)
gives the same numbers to 1e-10 (tests/nn/test_train.py checks it), in about a minute instead
of a second. Writes out/moons_loss.png (loss and accuracy per step) and out/moons_boundary.png.

    python -m demos.moons
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from nn import MLP, SGD, History, LinearLR, fit, make_moons
from words import _, speaking

from ._plot import BLUE, ORANGE, figure, save, scores

STEPS = 100
QUICK_STEPS = 30
MODEL_SEED = 1337  # micrograd's random.seed(1337): its demo's initial weights


def train(steps: int = STEPS, batched: bool = True,
          progress: bool = True) -> tuple[MLP, History, np.ndarray, np.ndarray]:
    """The demo's training run: returns (model, history, X, y); one epoch is one step."""
    X, y = make_moons(100, noise=0.1, signed=True)
    model = MLP(2, [16, 16, 1], seed=MODEL_SEED)
    opt = SGD(model.parameters(), lr=1.0)
    schedule = LinearLR(opt, start_factor=1.0, end_factor=0.1, total_iters=STEPS)
    history = fit(model, X, y, loss="hinge", optimizer=opt, l2=1e-4, epochs=steps,
                  scheduler=schedule, batched=batched, progress=progress)
    return model, history, X, y


def plot_history(history: History, out_dir: str | Path) -> Path:
    fig, (loss_ax, acc_ax) = figure(2, 1, size=(4.6, 3.6))
    steps = np.arange(1, history.epochs + 1)
    loss_ax.plot(steps, history.train_loss, color=BLUE)
    loss_ax.set(title=_("Hinge loss (without the L2 term)"), xlabel=_("step"), ylabel=_("loss"))
    acc_ax.plot(steps, np.asarray(history.train_acc) * 100, color=ORANGE)
    acc_ax.set(title=_("Training accuracy"), xlabel=_("step"), ylabel=_("accuracy (%)"),
               ylim=(0, 101))
    for ax in (loss_ax, acc_ax):
        ax.grid(alpha=0.3)
    fig.suptitle(_("Two moons: MLP(2, [16, 16, 1]), SGD with lr = 1 - 0.9·k/100"))
    return save(fig, out_dir, "moons_loss.png")


def plot_boundary(model: MLP, X: np.ndarray, y: np.ndarray, out_dir: str | Path,
                  accuracy: float) -> Path:
    """The score over the plane (through the replay), its zero line, and the points."""
    pad = 0.5
    gx = np.linspace(X[:, 0].min() - pad, X[:, 0].max() + pad, 250)
    gy = np.linspace(X[:, 1].min() - pad, X[:, 1].max() + pad, 250)
    xx, yy = np.meshgrid(gx, gy)
    zz = scores(model, np.column_stack([xx.ravel(), yy.ravel()])).reshape(xx.shape)
    fig, (ax,) = figure(size=(6.0, 4.8))
    ax.contourf(xx, yy, zz > 0, levels=[-0.5, 0.5, 1.5], colors=["#fde0c5", "#c6dbef"])
    ax.contour(xx, yy, zz, levels=[0.0], colors="k", linewidths=1.2)
    for label, color, marker in ((1, BLUE, "o"), (-1, ORANGE, "s")):
        pts = X[y == label]
        ax.scatter(pts[:, 0], pts[:, 1], c=color, marker=marker, edgecolors="k", linewidths=0.5,
                   s=30, label=f"y = {label:+d}")
    ax.set(title=_("Decision boundary (score = 0), training accuracy {accuracy}").format(
        accuracy=f"{accuracy:.0%}"), xlabel="x1", ylabel="x2")
    ax.legend(loc="upper right")
    return save(fig, out_dir, "moons_boundary.png")


def main(out_dir: str = "out", quick: bool = False, lang: str | None = None) -> dict:
    with speaking(lang):
        return _lesson(out_dir, QUICK_STEPS if quick else STEPS)


def _lesson(out_dir: str, steps: int) -> dict:
    print(_("Two moons: 100 points, MLP(2, [16, 16, 1]) (337 parameters), hinge loss + 1e-4 L2,"
            "\nSGD with lr = 1 - 0.9·k/100 at step k, {steps} full-batch steps.").format(
                steps=steps))
    print(_("It trains through the batched replay (fit(..., batched=True)); the scalar path\n"
            "(batched=False) gives the same numbers, in about a minute instead of a second.")
          + "\n")
    start = time.perf_counter()
    model, history, X, y = train(steps)
    seconds = time.perf_counter() - start
    # Accuracy of the final weights (after the last update), counted here from the scores.
    final = scores(model, X)
    accuracy = float(np.mean(np.sign(final) == y))
    print("\n" + _("step {steps}: loss {loss}, accuracy after the last update {accuracy} "
                   "({seconds} s)").format(steps=steps, loss=f"{history.train_loss[-1]:.4f}",
                                          accuracy=f"{accuracy:.0%}", seconds=f"{seconds:.1f}"))
    loss_png = plot_history(history, out_dir)
    boundary_png = plot_boundary(model, X, y, out_dir, accuracy)
    print(_("Loss curve: {path}").format(path=loss_png))
    print(_("Decision boundary: {path}").format(path=boundary_png))
    return {"accuracy": accuracy, "history": history, "steps": steps, "seconds": seconds,
            "model": model, "loss_png": loss_png, "boundary_png": boundary_png}


if __name__ == "__main__":
    main()
