"""The 8x8 handwritten digits, trained through the batched replay: MLP(64, [32, 10]).

scikit-learn ships the 1797 images inside the package (no download). The model is nn's MLP with
softmax cross-entropy, trained by ``nn.fit(..., batched=True)``, which compiles one sample's
scalar graph once (engine.compile) and replays every mini-batch with numpy.

    python -m benchmarks.digits            # 10 epochs, prints accuracy and time
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class DigitsResult:
    test_accuracy: float
    seconds: float  # wall time of model creation, compile and training (data loading excluded)
    epochs: int
    train_size: int
    test_size: int
    history: object  # nn.History: per-epoch loss and accuracy, for a loss curve


def load_digits_split(test_fraction: float = 0.25, seed: int = 0):
    """Pixels scaled to [0, 1], a seeded shuffle, then (X_train, y_train, X_test, y_test)."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    X, y = digits.data / 16.0, digits.target
    order = np.random.default_rng(seed).permutation(len(X))
    n_test = round(len(X) * test_fraction)
    test, train = order[:n_test], order[n_test:]
    return X[train], y[train].tolist(), X[test], y[test].tolist()


def train_digits(epochs: int = 10, batch_size: int = 32, lr: float = 0.01, seed: int = 0,
                 progress: bool = False) -> DigitsResult:
    """MLP(64, [32, 10]) (relu, He init) with Adam and softmax cross-entropy via the replay."""
    import nn

    X_train, y_train, X_test, y_test = load_digits_split(seed=seed)
    start = time.perf_counter()
    model = nn.MLP(64, [32, 10], init="he", seed=seed)
    optimizer = nn.Adam(model.parameters(), lr=lr)
    history = nn.fit(model, X_train, y_train, loss="cross_entropy", optimizer=optimizer,
                     epochs=epochs, batch_size=batch_size, val=(X_test, y_test), seed=seed,
                     batched=True, progress=progress)
    seconds = time.perf_counter() - start
    return DigitsResult(numpy_accuracy(model, X_test, y_test), seconds, epochs, len(X_train),
                        len(X_test), history)


def numpy_accuracy(model, X, y) -> float:
    """Accuracy from the trained weights by plain numpy, independent of the replay."""
    h = np.asarray(X)
    for i, layer in enumerate(model.layers):
        W = np.array([[w.data for w in n.w] for n in layer.neurons])
        b = np.array([n.b.data for n in layer.neurons])
        h = h @ W.T + b
        if i < len(model.layers) - 1:
            h = np.maximum(h, 0.0)
    return float(np.mean(h.argmax(axis=1) == np.asarray(y)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10)
    args = parser.parse_args()
    r = train_digits(epochs=args.epochs, progress=True)
    print(f"digits MLP(64, [32, 10]): test accuracy {r.test_accuracy:.1%} on {r.test_size} "
          f"images after {r.epochs} epochs in {r.seconds:.1f} s (train {r.train_size})")


if __name__ == "__main__":
    main()
