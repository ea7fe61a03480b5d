"""Data checks for fit, evaluate and predict: X of shape (n, nin), targets the loss accepts,
and an optimizer that trains this model.

Every refusal names the setting, the layer and the shape, before any graph is built. What the
targets must be, and how a prediction is judged right, belong to the loss (``LossSpec``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .losses import LossSpec
from .module import Module
from .optim import LRScheduler, Optimizer


def model_shape(model: Module, where: str = "fit") -> tuple[int, int]:
    """(inputs, outputs) of an MLP, Layer or Neuron."""
    nin, nout = getattr(model, "nin", None), getattr(model, "nout", None)
    if nin is None or nout is None:
        raise TypeError(f"{where}: expected an MLP, Layer or Neuron, got {type(model).__name__}")
    return nin, nout


def describe(model: Module) -> str:
    """The first layer in words, for messages: 'layer L1 (4 relu neurons, 2 inputs each)'."""
    first = model.layers[0] if hasattr(model, "layers") else model
    return first._where() if hasattr(first, "_where") else repr(first)


def check_inputs(model: Module, X, where: str, name: str = "X") -> np.ndarray:
    """X as an (n, nin) float array, or an error naming both widths: never reshaped to fit."""
    nin, _ = model_shape(model, where)
    if X is None:
        raise TypeError(f"{where}: {name} is None; give the inputs, n samples × {nin} features")
    try:
        Xa = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{where}: {name} must be a table of numbers, n samples × {nin} "
                        f"features") from None
    if Xa.ndim == 1 and nin == 1:
        Xa = Xa[:, None]
    if Xa.ndim == 1 and len(Xa) == nin:
        Xa = Xa[None, :]  # one sample
    if Xa.ndim != 2 or Xa.shape[1] != nin or len(Xa) == 0:
        got = f"{Xa.shape[1]} per sample" if Xa.ndim == 2 else "another shape"
        raise ValueError(f"{where}: {name} must have shape (n, {nin}) for {describe(model)}, "
                         f"got shape {Xa.shape}: the model takes {nin} inputs, {name} has {got}")
    bad = np.flatnonzero(~np.isfinite(Xa).all(axis=1))
    if len(bad):
        raise ValueError(f"{where}: {name} has a non-finite value in sample {bad[0]}: "
                         f"{Xa[bad[0]]}")
    return Xa


def check_optimizer(model: Module, optimizer: Optimizer, where: str,
                    scheduler: LRScheduler | None = None) -> None:
    """The optimizer updates this model's parameters (some of them: a frozen layer is fine),
    and the scheduler drives this optimizer: an optimizer made for another model would train
    nothing while the loss stays where it is."""
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"{where}: optimizer must be an nn optimizer (SGD, Adam, AdamW), got "
                        f"{type(optimizer).__name__}")
    own = set(model.parameters())  # Values hash by identity
    foreign = [p for p in optimizer.params if p not in own]
    if foreign:
        first = foreign[0].label or "an unlabelled Value"
        raise ValueError(f"{where}: the optimizer holds {len(foreign)} of its "
                         f"{len(optimizer.params)} parameters outside this model (the first: "
                         f"{first}), so it would not train this model: build it from this "
                         "model's parameters, e.g. SGD(model.parameters(), lr=0.1)")
    if scheduler is not None and getattr(scheduler, "optimizer", None) is not optimizer:
        raise ValueError(f"{where}: the scheduler sets the learning rate of another optimizer; "
                         "build it from the one given here, e.g. StepLR(optimizer, 10)")


@dataclass
class Data:
    """Checked training data, in the forms the two paths read."""

    rows: list[list[float]]  # samples, as Python floats (what the scalar path feeds)
    targets: list  # per sample: a float, a list of floats, or a class index
    encoded: np.ndarray  # (n, k) targets as numbers: one-hot for class losses (for the replay)
    feed: np.ndarray | None = None  # (n, nin + k): inputs then encoded targets, for the replay

    def __len__(self) -> int:
        return len(self.rows)


def check_data(model: Module, X, y, spec: LossSpec, name: str = "X") -> Data:
    """X of shape (n, nin), y matching the loss: clear errors naming the layer and the shape."""
    _, k = model_shape(model)
    Xa = check_inputs(model, X, "fit", name)
    label = "y" if name == "X" else f"{name}'s labels"
    if y is None:
        raise TypeError(f"fit: {label} is None; give one target per sample ({spec.labels})")
    try:
        ya = np.asarray(y, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"fit: {label} must be numbers ({spec.labels})") from None
    if ya.ndim == 0 or len(ya) != len(Xa):
        got = "one number" if ya.ndim == 0 else f"{len(ya)} labels"
        raise ValueError(f"fit: {name} has {len(Xa)} samples but {label} has {got}")
    if spec.classes:
        return _class_labels(Xa, ya, k, spec, label)
    if ya.ndim == 1:
        ya = ya[:, None]
    if ya.shape[1] != k:
        raise ValueError(f"fit: {label} must have {k} target(s) per sample for a model with "
                         f"{k} output(s), got shape {np.asarray(y).shape}")
    ok = np.asarray(spec.label_ok(ya), dtype=bool) & np.isfinite(ya)
    if not ok.all():
        i = np.flatnonzero(~ok.all(axis=1))[0]
        raise ValueError(f"fit: {spec.name} needs labels {spec.labels}; sample {i} has "
                         f"{ya[i].tolist()}{spec.hint}")
    targets = ya[:, 0].tolist() if k == 1 else ya.tolist()
    return Data(Xa.tolist(), targets, ya)


def _class_labels(Xa: np.ndarray, ya: np.ndarray, k: int, spec: LossSpec, label: str) -> Data:
    if k < 2:
        raise ValueError(f"fit: {spec.name} needs a model with k >= 2 outputs (one score per "
                         f"class), this one has {k}")
    if ya.ndim != 1:
        raise ValueError(f"fit: {label} must be one class index per sample, got shape {ya.shape}")
    ok = (ya == np.round(ya)) & (ya >= 0) & (ya < k)
    if not ok.all():
        i = np.flatnonzero(~ok)[0]
        raise ValueError(f"fit: {spec.name} needs class indices 0..{k - 1} for {k} outputs; "
                         f"sample {i} has {ya[i]:g}")
    classes = ya.astype(np.int64)
    return Data(Xa.tolist(), classes.tolist(), np.eye(k)[classes])


def accuracy_rule(spec: LossSpec, data: Data) -> Callable[[Sequence[float], object], tuple]:
    """(outputs of one sample, its target) -> (number correct, number judged), as the loss
    decides: the largest score for class losses, else ``spec.decision`` of the label values."""
    if spec.classes:
        return lambda out, t: (int(max(range(len(out)), key=out.__getitem__) == t), 1)
    decision = spec.decision(set(np.unique(data.encoded).tolist()))
    if decision is None:
        return lambda out, t: (0, 0)
    threshold, cut = decision

    def rule(out, t):
        ts = t if isinstance(t, list) else [t]
        return sum((o > threshold) == (u > cut) for o, u in zip(out, ts)), len(ts)
    return rule
