"""Real data through the batched replay: scikit-learn's 8x8 handwritten digits.

1797 images of 8x8 pixels ship inside scikit-learn (no download); 1348 train, 449 test.
MLP(64, [32, 10]) (relu, He init, 2410 parameters) with softmax cross-entropy and Adam, mini-
batches of 32, trained by ``fit(..., batched=True)``: the scalar graph of one sample (about
4,800 gates) is traced once by ``engine.compile`` and replayed with numpy over every batch.
The test accuracy is recounted from the trained weights by plain numpy, independent of the
replay. Writes out/digits_training.png (loss and accuracy per epoch) and
out/digits_mistakes.png (test images the network gets wrong, with true and predicted labels).

    python -m demos.digits
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from nn import MLP, Adam, History, fit

from ._plot import BLUE, ORANGE, figure, save, scores

EPOCHS = 10
QUICK_EPOCHS = 3
SEED = 0


def load_digits_split(test_fraction: float = 0.25, seed: int = SEED):
    """Pixels scaled to [0, 1], a seeded shuffle, then (X_train, y_train, X_test, y_test)."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    X, y = digits.data / 16.0, digits.target
    order = np.random.default_rng(seed).permutation(len(X))
    n_test = round(len(X) * test_fraction)
    test, train_rows = order[:n_test], order[n_test:]
    return X[train_rows], y[train_rows].tolist(), X[test], y[test].tolist()


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
          ) -> tuple[MLP, History, tuple]:
    """MLP(64, [32, 10]) (relu, He init), Adam lr 0.01, batches of 32, through the replay.

    Returns (model, history, (X_train, y_train, X_test, y_test)); benchmarks/digits.py times
    this same function.
    """
    data = load_digits_split(seed=seed)
    X_train, y_train, X_test, y_test = data
    model = MLP(64, [32, 10], init="he", seed=seed)
    history = fit(model, X_train, y_train, loss="cross_entropy",
                  optimizer=Adam(model.parameters(), lr=0.01), epochs=epochs, batch_size=32,
                  val=(X_test, y_test), seed=seed, batched=True, progress=progress)
    return model, history, data


def plot_history(history: History, out_dir: str | Path) -> Path:
    fig, (loss_ax, acc_ax) = figure(2, 1, size=(4.6, 3.6))
    epochs = np.arange(1, history.epochs + 1)
    for ax, train, test, name in ((loss_ax, history.train_loss, history.val_loss, "loss"),
                                  (acc_ax, history.train_acc, history.val_acc, "accuracy")):
        scale = 100 if name == "accuracy" else 1
        ax.plot(epochs, np.asarray(train) * scale, "o-", color=BLUE, label="train")
        ax.plot(epochs, np.asarray(test) * scale, "s-", color=ORANGE, label="test")
        ax.grid(alpha=0.3)
        ax.legend()
    loss_ax.set(title="Cross-entropy loss", xlabel="epoch", ylabel="loss")
    acc_ax.set(title="Accuracy", xlabel="epoch", ylabel="accuracy (%)")
    fig.suptitle("8x8 digits: MLP(64, [32, 10]), Adam, batches of 32, through the replay")
    return save(fig, out_dir, "digits_training.png")


def plot_mistakes(images: np.ndarray, true: np.ndarray, predicted: np.ndarray,
                  out_dir: str | Path, shown: int = 12) -> Path:
    """Up to ``shown`` misclassified test images, each titled 'true 3, predicted 8'."""
    cols = 6
    rows = max(1, -(-min(shown, len(images)) // cols))
    fig, axes = figure(cols, rows, size=(1.6, 1.9))
    for k, ax in enumerate(axes):
        ax.set_axis_off()
        if k < min(shown, len(images)):
            ax.imshow(images[k].reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
            ax.set_title(f"true {true[k]}\npredicted {predicted[k]}", fontsize=10)
    fig.suptitle(f"Test digits the network gets wrong ({len(images)} in all)")
    return save(fig, out_dir, "digits_mistakes.png")


def main(out_dir: str = "out", quick: bool = False) -> dict:
    epochs = QUICK_EPOCHS if quick else EPOCHS
    print(f"8x8 digits from scikit-learn: MLP(64, [32, 10]), softmax cross-entropy, Adam lr 0.01,\n"
          f"batches of 32, {epochs} epochs, through the batched replay (validation = test set).\n")
    start = time.perf_counter()
    model, history, (_, _, X_test, y_test) = train(epochs)
    seconds = time.perf_counter() - start
    accuracy = numpy_accuracy(model, X_test, y_test)
    predicted = scores(model, X_test).argmax(axis=1)
    true = np.asarray(y_test)
    wrong = np.flatnonzero(predicted != true)
    print(f"\n{history}\n")
    print(f"test accuracy {accuracy:.1%} ({len(wrong)} of {len(true)} wrong) after {epochs} "
          f"epochs, {seconds:.1f} s of training (counted by numpy from the trained weights)")
    training_png = plot_history(history, out_dir)
    mistakes_png = plot_mistakes(X_test[wrong], true[wrong], predicted[wrong], out_dir)
    print(f"Loss and accuracy: {training_png}\nMistakes: {mistakes_png}")
    return {"accuracy": accuracy, "model": model, "history": history, "epochs": epochs,
            "seconds": seconds,
            "wrong": wrong.tolist(), "predicted": predicted, "training_png": training_png,
            "mistakes_png": mistakes_png}


if __name__ == "__main__":
    main()
