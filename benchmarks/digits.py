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
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nn import History


@dataclass(frozen=True)
class DigitsResult:
    test_accuracy: float
    seconds: float  # wall time of loading, model creation, compile and training
    epochs: int
    train_size: int
    test_size: int
    history: History  # per-epoch loss and accuracy, for a loss curve


def train_digits(epochs: int = 10, seed: int = 0, progress: bool = False) -> DigitsResult:
    """The digits demo's training (demos.digits.train), timed; accuracy counted by numpy."""
    from demos.digits import numpy_accuracy, train

    start = time.perf_counter()
    model, history, (X_train, _, X_test, y_test) = train(epochs, progress=progress, seed=seed)
    seconds = time.perf_counter() - start
    return DigitsResult(numpy_accuracy(model, X_test, y_test), seconds, epochs, len(X_train),
                        len(X_test), history)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10)
    args = parser.parse_args()
    r = train_digits(epochs=args.epochs, progress=True)
    print(f"digits MLP(64, [32, 10]): test accuracy {r.test_accuracy:.1%} on {r.test_size} "
          f"images after {r.epochs} epochs in {r.seconds:.1f} s (train {r.train_size})")


if __name__ == "__main__":
    main()
