"""The practical guide's sanity checks: the learning-rate range test and overfitting a handful
of samples. Both restore the model's parameters afterwards."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from numbers import Real

import numpy as np

from words import Text, _, align, num

from .history import LOSS_DIGITS, History, TrainingDiverged, percent
from .losses import LossSpec
from .module import Module
from .optim import SGD, Adam, Optimizer
from .train import evaluate, fit


@dataclass
class LRRangeResult:
    """The learning-rate range test: the loss after one update at each rate of a sweep."""

    lrs: list[float]
    losses: list[float]
    suggestion: float  # the rate at the lowest loss, divided by 10

    def __str__(self) -> str:
        # learning rates span decades: they are shown in scientific notation, losses by voice
        rows = [["lr", _("loss")]]
        rows += [[f"{lr:.2e}", num(loss, 5)] for lr, loss in zip(self.lrs, self.losses)]
        lines = align(rows, right={0, 1})
        lines.append(_("suggested lr: {lr} (the lowest loss was at {lowest}; a tenth of it "
                       "leaves room)").format(lr=f"{self.suggestion:.2e}",
                                              lowest=f"{self.suggestion * 10:.2e}"))
        return "\n".join(lines)


def _check_sweep(lr_min: float, lr_max: float, steps: int) -> None:
    for name, value in (("lr_min", lr_min), ("lr_max", lr_max)):
        if isinstance(value, bool) or not isinstance(value, Real) or not 0 < value < math.inf:
            raise ValueError(f"lr_range_test: {name} must be a positive finite learning rate, "
                             f"got {value!r}")
    if not lr_min < lr_max:
        raise ValueError(f"lr_range_test: lr_min must be below lr_max, got lr_min={lr_min!r} "
                         f"and lr_max={lr_max!r}")
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 2:
        raise ValueError(f"lr_range_test: steps must be a whole number of rates, at least 2, "
                         f"got {steps!r}")


def lr_range_test(model: Module, X, y, *, loss: str | LossSpec = "mse",
                  optimizer: Callable[..., Optimizer] = SGD, lr_min: float = 1e-4,
                  lr_max: float = 10.0, steps: int = 30, batch_size: int | None = None,
                  seed: int | None = 0, batched: bool = False) -> LRRangeResult:
    """Raise the learning rate geometrically from lr_min to lr_max, one update per rate, and
    record the loss (Smith's range test). Stops when the loss passes 4x its best or stops
    being finite. The model's parameters are restored afterwards.

    Read the result: the loss falls, flattens, then shoots up; a good rate sits about 10x below
    the rate of the lowest loss (``suggestion``).
    """
    _check_sweep(lr_min, lr_max, steps)
    state = model.state_dict()
    opt = optimizer(model.parameters(), lr=lr_min)
    ratio = (lr_max / lr_min) ** (1.0 / (steps - 1))
    lrs, losses = [], []
    try:
        for k in range(steps):
            opt.lr = lr_min * ratio**k
            try:
                h = fit(model, X, y, loss=loss, optimizer=opt, epochs=1, batch_size=batch_size,
                        seed=None if seed is None else seed + k, batched=batched, progress=False)
            except TrainingDiverged:
                break
            lrs.append(opt.lr)
            losses.append(h.train_loss[-1])
            if losses[-1] > 4 * min(losses):
                break
    finally:
        model.load_state_dict(state)
    if not losses:
        raise TrainingDiverged(Text("lr_range_test: the loss diverged at lr_min = {lr}; lower "
                                    "lr_min", lr=f"{lr_min:g}"), History(), 1, lr_min)
    best = min(range(len(losses)), key=losses.__getitem__)
    return LRRangeResult(lrs, losses, lrs[best] / 10)


@dataclass
class OverfitResult:
    """The "overfit a tiny subset" sanity check: a correct model and loss drive it to ~0."""

    loss: float
    accuracy: float
    passed: bool
    history: History

    def __str__(self) -> str:
        line = _("overfit check {verdict}: loss {loss}, accuracy {accuracy} after {steps} "
                 "steps").format(verdict=_("passed") if self.passed else _("FAILED"),
                                 loss=num(self.loss, LOSS_DIGITS),
                                 accuracy=percent(self.accuracy, 1), steps=self.history.steps)
        if self.passed:
            return line
        return line + _(" — a network should memorise a handful of samples; if it cannot, look "
                        "for a bug (labels, loss, learning rate, a layer that does not learn)")


def overfit_check(model: Module, X, y, *, loss: str | LossSpec = "mse", n: int = 20,
                  steps: int = 300, optimizer: Optimizer | None = None, tol: float = 0.01,
                  restore: bool = True, batched: bool = False) -> OverfitResult:
    """Train on the first ``n`` samples only (full batch, Adam lr 0.03 by default) and check
    that the loss falls below ``tol`` with 100% accuracy (CS231n's practical advice: if the
    network cannot overfit 20 samples, something is broken). Restores the parameters unless
    ``restore=False``.
    """
    state = model.state_dict()
    X, y = np.asarray(X)[:n], np.asarray(y)[:n]
    opt = optimizer if optimizer is not None else Adam(model.parameters(), lr=0.03)
    try:
        history = fit(model, X, y, loss=loss, optimizer=opt, epochs=steps, shuffle=False,
                      batched=batched, progress=False)
        final_loss, acc = evaluate(model, X, y, loss)
    finally:
        if restore:
            model.load_state_dict(state)
    passed = final_loss < tol and (math.isnan(acc) or acc == 1.0)
    return OverfitResult(final_loss, acc, passed, history)
