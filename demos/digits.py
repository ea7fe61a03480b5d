"""Real data through the batched replay: scikit-learn's 8x8 handwritten digits, done right.

1797 images of 8x8 pixels ship inside scikit-learn (no download). One seeded shuffle splits
them three ways, as a class should learn to: 1079 to train on, 359 for validation (the curves,
and any choice made while training) and 359 for the test, touched once, at the very end, for
the one number reported. MLP(64, [32, 10]) (relu, He init, 2410 parameters) with softmax
cross-entropy and Adam, mini-batches of 32, trained by ``fit(..., batched=True)``: the scalar
graph of one sample (about 4,800 gates) is traced once by ``compile_replay`` and replayed with
numpy over every batch. The test accuracy is counted from the trained weights by plain numpy,
independent of the replay. Writes out/digits_training.png (loss and accuracy per epoch, train
and validation) and out/digits_mistakes.png (every test image the network gets wrong, with its
true and predicted labels, or as many as fit, saying how many of how many).

    python -m demos.digits
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from nn import MLP, Adam, History, fit
from words import _, speaking

from ._plot import BLUE, ORANGE, figure, save, scores

EPOCHS = 10
QUICK_EPOCHS = 3
SEED = 0
VAL_FRACTION = TEST_FRACTION = 0.2
MOST_MISTAKES_SHOWN = 40  # ten columns, four rows: still readable on a slide


@dataclass(frozen=True)
class Splits:
    """Train, validation and test parts of the digits; ``rows`` their row numbers in
    scikit-learn's data set (disjoint, covering it)."""

    X_train: np.ndarray
    y_train: list
    X_val: np.ndarray
    y_val: list
    X_test: np.ndarray
    y_test: list
    rows: dict = field(repr=False)


def load_digits_split(seed: int = SEED, val_fraction: float = VAL_FRACTION,
                      test_fraction: float = TEST_FRACTION) -> Splits:
    """Pixels scaled to [0, 1], one seeded shuffle, then test, validation and train rows."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    X, y = digits.data / 16.0, digits.target
    order = np.random.default_rng(seed).permutation(len(X))
    n_test, n_val = round(len(X) * test_fraction), round(len(X) * val_fraction)
    rows = {"test": order[:n_test], "val": order[n_test:n_test + n_val],
            "train": order[n_test + n_val:]}
    part = {name: (X[r], y[r].tolist()) for name, r in rows.items()}
    return Splits(*part["train"], *part["val"], *part["test"], rows=rows)


def numpy_accuracy(model: MLP, X, y) -> float:
    """Accuracy from the trained weights by plain numpy, independent of the replay."""
    h = np.asarray(X)
    for i, layer in enumerate(model.layers):
        W = np.array([[w.data for w in n.w] for n in layer.neurons])
        b = np.array([n.b.data for n in layer.neurons])
        h = h @ W.T + b
        if i < len(model.layers) - 1:
            h = np.maximum(h, 0.0)
    return float(np.mean(h.argmax(axis=1) == np.asarray(y)))


def train(epochs: int = EPOCHS, progress: bool = True, seed: int = SEED,
          ) -> tuple[MLP, History, Splits]:
    """MLP(64, [32, 10]) (relu, He init), Adam lr 0.01, batches of 32, through the replay,
    with the validation part for the per-epoch curves. The test part is not used here.

    Returns (model, history, splits); benchmarks/digits.py times this same function.
    """
    data = load_digits_split(seed=seed)
    model = MLP(64, [32, 10], init="he", seed=seed)
    history = fit(model, data.X_train, data.y_train, loss="cross_entropy",
                  optimizer=Adam(model.parameters(), lr=0.01), epochs=epochs, batch_size=32,
                  val=(data.X_val, data.y_val), seed=seed, batched=True, progress=progress)
    return model, history, data


def plot_history(history: History, out_dir: str | Path) -> Path:
    fig, (loss_ax, acc_ax) = figure(2, 1, size=(4.6, 3.6))
    epochs = np.arange(1, history.epochs + 1)
    for ax, train_, val, name in ((loss_ax, history.train_loss, history.val_loss, "loss"),
                                  (acc_ax, history.train_acc, history.val_acc, "accuracy")):
        scale = 100 if name == "accuracy" else 1
        ax.plot(epochs, np.asarray(train_) * scale, "o-", color=BLUE, label=_("train"))
        ax.plot(epochs, np.asarray(val) * scale, "s-", color=ORANGE, label=_("validation"))
        ax.grid(alpha=0.3)
        ax.legend()
        ax.xaxis.get_major_locator().set_params(integer=True)  # epochs are whole numbers
    loss_ax.set(title=_("Cross-entropy loss"), xlabel=_("epoch"), ylabel=_("loss"))
    acc_ax.set(title=_("Accuracy"), xlabel=_("epoch"), ylabel=_("accuracy (%)"))
    fig.suptitle(_("8x8 digits: MLP(64, [32, 10]), Adam, batches of 32, through the replay "
                   "(the test set is not in these curves)"))
    return save(fig, out_dir, "digits_training.png")


def mistakes_title(shown: int, total: int) -> str:
    """What the mistakes figure says it shows: all of them, or how many of how many (one
    mistake and none said as a class says them, not "All 1 test digits")."""
    if total == 0:
        return _("The network gets every test digit right")
    if total == 1:
        return _("The one test digit the network gets wrong")
    if shown == total:
        return _("All {total} test digits the network gets wrong").format(total=total)
    return _("{shown} of the {total} test digits the network gets wrong").format(
        shown=shown, total=total)


def mistakes_figure(images: np.ndarray, true: np.ndarray, predicted: np.ndarray,
                    most: int = MOST_MISTAKES_SHOWN):
    """The misclassified images, each titled 'true 3 / predicted 8': every one of them, or the
    first ``most`` with a title that says so. Returns (figure, how many it shows)."""
    shown = min(most, len(images))
    cols = 10 if shown > 12 else max(shown, 1)
    rows = max(1, -(-shown // cols))
    fig, axes = figure(cols, rows, size=(1.3, 1.6))
    for k, ax in enumerate(axes):
        ax.set_axis_off()
        if k < shown:
            ax.imshow(images[k].reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
            ax.set_title(_("true {true}\npredicted {predicted}").format(
                true=true[k], predicted=predicted[k]), fontsize=9)
    fig.suptitle(mistakes_title(shown, len(images)))
    return fig, shown


def plot_mistakes(images: np.ndarray, true: np.ndarray, predicted: np.ndarray,
                  out_dir: str | Path, most: int = MOST_MISTAKES_SHOWN) -> tuple[Path, int]:
    """Write the mistakes figure; returns (its path, how many mistakes it shows)."""
    fig, shown = mistakes_figure(images, true, predicted, most)
    return save(fig, out_dir, "digits_mistakes.png"), shown


def main(out_dir: str = "out", quick: bool = False, lang: str | None = None) -> dict:
    with speaking(lang):
        return _main(out_dir, quick)


def _main(out_dir: str, quick: bool) -> dict:
    epochs = QUICK_EPOCHS if quick else EPOCHS
    print(_("8x8 digits from scikit-learn: MLP(64, [32, 10]), softmax cross-entropy, Adam lr "
            "0.01, batches of 32, {epochs} epochs, through the batched replay.").format(
                epochs=epochs))
    start = time.perf_counter()
    model, history, data = train(epochs)
    seconds = time.perf_counter() - start
    print(_("Split once, seeded: {train} images to train on, {val} for validation (the curves), "
            "{test} for the test, used once at the end.").format(
                train=len(data.X_train), val=len(data.X_val), test=len(data.X_test)))
    print(f"\n{history}\n")
    print(_("validation accuracy {accuracy} after {epochs} epochs, {seconds} s of training"
            ).format(accuracy=f"{history.val_acc[-1]:.1%}", epochs=epochs,
                     seconds=f"{seconds:.1f}"))
    # The test set, once: the number reported, and the mistakes shown.
    accuracy = numpy_accuracy(model, data.X_test, data.y_test)
    predicted = scores(model, data.X_test).argmax(axis=1)
    true = np.asarray(data.y_test)
    wrong = np.flatnonzero(predicted != true)
    print(_("test accuracy {accuracy} ({wrong} of {total} wrong), counted once at the end by "
            "numpy from the trained weights").format(
                accuracy=f"{accuracy:.1%}", wrong=len(wrong), total=len(true)))
    training_png = plot_history(history, out_dir)
    mistakes_png, shown = plot_mistakes(data.X_test[wrong], true[wrong], predicted[wrong],
                                        out_dir)
    print(_("Loss and accuracy: {path}").format(path=training_png))
    print(_("Mistakes ({shown} of {total} shown): {path}").format(
        shown=shown, total=len(wrong), path=mistakes_png))
    return {"accuracy": accuracy, "model": model, "history": history, "epochs": epochs,
            "seconds": seconds, "splits": data, "wrong": wrong.tolist(),
            "predicted": predicted, "training_png": training_png,
            "mistakes_png": mistakes_png, "mistakes_shown": shown}


if __name__ == "__main__":
    main()
