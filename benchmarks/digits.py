"""The 8x8 handwritten digits, trained through the batched replay: MLP(64, [32, 10]).

scikit-learn ships the 1797 images inside the package (no download), split once, seeded, into
train / validation / test (demos.digits.load_digits_split). The model is nn's MLP with softmax
cross-entropy, trained by ``nn.fit(..., batched=True)``, which compiles one sample's scalar graph
once (engine.compile_replay) and replays every mini-batch with numpy; validation gives the
curves, the test set is counted once, after training.

    python -m benchmarks.digits            # 10 epochs, prints accuracy and time
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from demos.digits import Splits
    from nn import MLP, History


@dataclass(frozen=True)
class DigitsResult:
    test_accuracy: float  # counted once, after training
    val_accuracy: float  # the last epoch's, from the curves
    seconds: float  # wall time of loading, model creation, compile and training
    epochs: int
    train_size: int
    val_size: int
    test_size: int
    history: History  # per-epoch loss and accuracy on train and validation, for the curves
    model: MLP  # the trained network, to recount any figure independently
    splits: Splits  # the data, split three ways


def train_digits(epochs: int = 10, seed: int = 0, progress: bool = False) -> DigitsResult:
    """The digits demo's training (demos.digits.train), timed; accuracy counted by numpy."""
    from demos.digits import numpy_accuracy, train

    start = time.perf_counter()
    model, history, data = train(epochs, progress=progress, seed=seed)
    seconds = time.perf_counter() - start
    return DigitsResult(numpy_accuracy(model, data.X_test, data.y_test), history.val_acc[-1],
                        seconds, epochs, len(data.X_train), len(data.X_val), len(data.X_test),
                        history, model, data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10)
    args = parser.parse_args()
    r = train_digits(epochs=args.epochs, progress=True)
    print(f"digits MLP(64, [32, 10]): test accuracy {r.test_accuracy:.1%} on {r.test_size} "
          f"held-out images after {r.epochs} epochs in {r.seconds:.1f} s (train "
          f"{r.train_size}, validation {r.val_size}: {r.val_accuracy:.1%})")


if __name__ == "__main__":
    main()
