"""fit(): the training loop of the lecture notes, with a progress bar and a history to plot.

    initialise the weights
    for each epoch:                        (one pass over the shuffled training set)
        for each mini-batch:
            forward:   scores = model(x) for each sample, L = mean loss (+ L2 term)
            backward:  zero the gradients, L.backward() gives dL/dw for every weight
            update:    w ← w - η · dL/dw   (the optimizer's rule)
        evaluate on the validation set without building a graph (engine.no_grad)

``batched=True`` runs the same graph through the engine's batched replay (``engine.compile``):
traced once for one sample, replayed with numpy over each mini-batch, same numbers.
"""

from __future__ import annotations

import math
import os
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from tqdm import tqdm

import engine
from engine import Value

from .losses import LossSpec, get_loss, total
from .losses import l2 as l2_term
from .module import Module
from .optim import SGD, LRScheduler, Optimizer, clip_grad_norm


class TrainingDiverged(FloatingPointError):
    """The loss (or a gradient) became NaN or infinite; ``history`` holds the epochs so far."""

    def __init__(self, message: str, history: History, step: int, lr: float):
        super().__init__(message)
        self.history, self.step, self.lr = history, step, lr


@dataclass
class History:
    """Per-epoch records of a fit() run, ready to plot.

    ``train_loss``/``train_acc`` average the mini-batches of the epoch (data loss, without the L2
    term, measured before each update); ``val_loss``/``val_acc`` are measured after the epoch.
    ``grad_norm[layer]`` is the mean over the epoch's updates of that layer's gradient norm
    ‖dL/dw‖ (before clipping): shrinking to 0 in early layers shows vanishing gradients.
    ``lr`` is the learning rate of each epoch's last update.
    Accuracy is NaN when the loss has no notion of a correct class.
    """

    train_loss: list[float] = field(default_factory=list)
    train_acc: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_acc: list[float] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    grad_norm: dict[str, list[float]] = field(default_factory=dict)
    steps: int = 0  # optimizer updates made

    @property
    def epochs(self) -> int:
        return len(self.train_loss)

    def __str__(self) -> str:
        head = f"{'epoch':>5} {'loss':>10} {'acc':>7}"
        if self.val_loss:
            head += f" {'val loss':>10} {'val acc':>7}"
        lines = [head]
        for e in range(self.epochs):
            line = f"{e + 1:>5} {self.train_loss[e]:>10.4f} {self.train_acc[e]:>7.2%}"
            if self.val_loss:
                line += f" {self.val_loss[e]:>10.4f} {self.val_acc[e]:>7.2%}"
            lines.append(line)
        return "\n".join(lines)

    def plot(self, path: str | os.PathLike | None = None):
        """Loss, accuracy and per-layer gradient norms against the epoch (needs matplotlib).

        Returns the matplotlib Figure; with ``path`` it is also saved there.
        """
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(1, 3, figsize=(13, 3.6))
        epochs = range(1, self.epochs + 1)
        for ax, (name, train, val) in zip(axes, [("loss", self.train_loss, self.val_loss),
                                                 ("accuracy", self.train_acc, self.val_acc)]):
            ax.plot(epochs, train, label="train")
            if val:
                ax.plot(epochs, val, label="validation")
            ax.set(xlabel="epoch", ylabel=name)
            ax.legend()
        for layer, norms in self.grad_norm.items():
            axes[2].plot(epochs, norms, label=layer)
        axes[2].set(xlabel="epoch", ylabel="gradient norm", yscale="log")
        axes[2].legend()
        fig.tight_layout()
        if path:
            fig.savefig(path)
        return fig


# -- data checks -------------------------------------------------------------------------------


def _shape(model: Module) -> tuple[int, int]:
    nin, nout = getattr(model, "nin", None), getattr(model, "nout", None)
    if nin is None or nout is None:
        raise TypeError(f"fit: expected an MLP, Layer or Neuron, got {type(model).__name__}")
    return nin, nout


def _where(model: Module) -> str:
    first = model.layers[0] if hasattr(model, "layers") else model
    return first._where() if hasattr(first, "_where") else repr(first)


@dataclass
class _Data:
    rows: list[list[float]]  # samples, as Python floats (what the scalar path feeds)
    targets: list  # per sample: a float, a list of floats, or a class index
    encoded: np.ndarray  # (n, k) targets as numbers: one-hot for class losses (for the replay)
    feed: np.ndarray | None = None  # (n, nin + k): inputs then encoded targets, for the replay

    def __len__(self) -> int:
        return len(self.rows)


def _check_data(model: Module, X, y, spec: LossSpec, name: str = "X") -> _Data:
    """X of shape (n, nin), y matching the loss: clear errors naming the layer and the shape."""
    nin, k = _shape(model)
    try:
        Xa = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"fit: {name} must be a table of numbers, n samples × {nin} features") \
            from None
    if Xa.ndim == 1 and nin == 1:
        Xa = Xa[:, None]
    if Xa.ndim != 2 or Xa.shape[1] != nin or len(Xa) == 0:
        raise ValueError(f"fit: {name} must have shape (n, {nin}) for {_where(model)}, "
                         f"got shape {Xa.shape}")
    bad = np.flatnonzero(~np.isfinite(Xa).all(axis=1))
    if len(bad):
        raise ValueError(f"fit: {name} has a non-finite value in sample {bad[0]}: {Xa[bad[0]]}")
    label = "y" if name == "X" else f"{name}'s labels"
    try:
        ya = np.asarray(y, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"fit: {label} must be numbers ({spec.labels})") from None
    if len(ya) != len(Xa):
        raise ValueError(f"fit: {name} has {len(Xa)} samples but {label} has {len(ya)} labels")
    if spec.classes:
        return _class_labels(Xa, ya, k, spec, label)
    if ya.ndim == 1:
        ya = ya[:, None]
    if ya.shape[1] != k:
        raise ValueError(f"fit: {label} must have {k} target(s) per sample for a model with "
                         f"{k} output(s), got shape {np.asarray(y).shape}")
    ok = {"hinge": np.isin(ya, (-1.0, 1.0)), "bce": (ya >= 0) & (ya <= 1)}.get(
        spec.name, np.isfinite(ya))
    if not ok.all():
        i = np.flatnonzero(~ok.all(axis=1))[0]
        hint = {"hinge": " (for 0/1 labels use 2*y - 1, or loss='bce')",
                "bce": " (for -1/1 labels use (y + 1) / 2, or loss='hinge')"}.get(spec.name, "")
        raise ValueError(f"fit: {spec.name} needs labels {spec.labels}; sample {i} has "
                         f"{ya[i].tolist()}{hint}")
    targets = ya[:, 0].tolist() if k == 1 else ya.tolist()
    return _Data(Xa.tolist(), targets, ya)


def _class_labels(Xa: np.ndarray, ya: np.ndarray, k: int, spec: LossSpec, label: str) -> _Data:
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
    return _Data(Xa.tolist(), classes.tolist(), np.eye(k)[classes])


def _accuracy_rule(spec: LossSpec, data: _Data) -> Callable[[Sequence[float], object], tuple]:
    """(outputs of one sample, its target) -> (number correct, number judged)."""
    if spec.classes:
        return lambda out, t: (int(max(range(len(out)), key=out.__getitem__) == t), 1)
    values = set(np.unique(data.encoded).tolist())
    if spec.name == "hinge" or (spec.name == "mse" and values <= {-1.0, 1.0}):
        threshold, cut = 0.0, 0.0  # the sign decides
    elif spec.name == "bce":
        threshold, cut = 0.0, 0.5  # logit > 0 means class 1
    elif spec.name == "mse" and values <= {0.0, 1.0}:
        threshold, cut = 0.5, 0.5
    else:
        return lambda out, t: (0, 0)

    def rule(out, t):
        ts = t if isinstance(t, list) else [t]
        return sum((o > threshold) == (u > cut) for o, u in zip(out, ts)), len(ts)
    return rule


# -- one training step, scalar and batched ------------------------------------------------------


class _Diverged(Exception):
    """Raised inside a step; fit() turns it into TrainingDiverged with the step and the lr."""

    def __init__(self, what: str):
        self.what = what


def _layers(model: Module) -> list[tuple[str, list[Value]]]:
    layers = getattr(model, "layers", None) or [model]
    return [(getattr(layer, "name", "") or f"L{i}", layer.parameters())
            for i, layer in enumerate(layers, 1)]


class _ScalarPath:
    """Builds the graph of every sample of the batch and runs the engine's backward()."""

    def __init__(self, model: Module, spec: LossSpec):
        self.model, self.spec = model, spec
        self._loss: Value | None = None  # the last forward's mean loss, backward() starts there

    def forward(self, data: _Data, batch: Sequence[int]) -> tuple[float, list[list[float]]]:
        model, sample = self.model, self.spec.sample
        losses, outs = [], []
        for i in batch:
            out = model(data.rows[i])
            losses.append(sample(out, data.targets[i]))
            outs.append([out.data] if isinstance(out, Value) else [o.data for o in out])
        self._loss = total(losses) / len(batch)
        return self._loss.data, outs

    def backward(self, reg: Callable[[], Value] | None) -> None:
        loss = self._loss + reg() if reg else self._loss
        self._loss = None  # the next forward need not wait for this graph to be freed
        loss.backward()


class _BatchedPath:
    """Traces one sample's graph (inputs x1..xn and labels y1..yk) and replays it with numpy."""

    def __init__(self, model: Module, spec: LossSpec, nin: int, nout: int):
        self.model, self.spec, self.nin, self.nout = model, spec, nin, nout
        # Traced by the first forward, inside fit's checks: when the weights come from earlier
        # updates (a reused optimizer) and a gate fails on the trace, that is divergence too.
        self.program: engine.Program | None = None
        self._seed: np.ndarray | None = None  # d mean loss / d each forward output

    def _trace(self) -> engine.Program:
        xs = _input_leaves(self.nin)
        ys = [Value(1.0 if k == 1 else 0.0, label=f"y{k}") for k in range(1, self.nout + 1)]
        out = self.model(xs)
        outs = [out] if isinstance(out, Value) else list(out)
        target = ys if (self.spec.classes or self.nout > 1) else ys[0]
        loss = self.spec.sample(out, target)
        return engine.compile([loss, *outs], inputs=xs + ys)

    def forward(self, data: _Data, batch: Sequence[int]) -> tuple[float, list[list[float]]]:
        if self.program is None:
            self.program = self._trace()
        if data.feed is None:
            data.feed = np.hstack([np.asarray(data.rows), data.encoded])
        result = np.asarray(self.program.forward(data.feed[np.asarray(batch)]))
        if result.ndim == 1:
            result = result[:, None]
        self._seed = np.zeros_like(result)
        self._seed[:, 0] = 1.0 / len(batch)  # column 0 is the loss, the others the outputs
        return float(result[:, 0].sum() / len(batch)), result[:, 1:].tolist()

    def backward(self, reg: Callable[[], Value] | None) -> None:
        self.program.backward(self._seed)
        if reg:
            reg().backward()


def _step(path: _ScalarPath | _BatchedPath, data: _Data, batch: Sequence[int],
          reg: Callable[[], Value] | None) -> tuple[float, list[list[float]]]:
    """Forward and backward on one batch: returns (data loss, outputs as floats)."""
    loss, outs = path.forward(data, batch)
    if not math.isfinite(loss):
        raise _Diverged(f"the loss is {loss}")
    path.backward(reg)
    return loss, outs


def _evaluate(path: _ScalarPath | _BatchedPath, data: _Data, accuracy) -> tuple[float, float]:
    """(mean loss, accuracy) over all of data, without building a graph."""
    with engine.no_grad():
        loss, outs = path.forward(data, range(len(data)))
    counts = [accuracy(out, t) for out, t in zip(outs, data.targets)]
    judged = sum(m for _, m in counts)
    return loss, (sum(c for c, _ in counts) / judged if judged else math.nan)


# -- fit -----------------------------------------------------------------------------------------


def fit(model: Module, X, y, *, loss: str | LossSpec = "mse", optimizer: Optimizer | None = None,
        lr: float | None = None, epochs: int = 10, batch_size: int | None = None,
        val: tuple | None = None, l2: float = 0.0, scheduler: LRScheduler | None = None,
        schedule_per: str = "step", clip: float | None = None, shuffle: bool = True,
        seed: int | None = 0, batched: bool = False, progress: bool = True) -> History:
    """Train ``model`` on (X, y) with mini-batch gradient descent; returns a History.

    - ``loss``: 'mse', 'bce' (logits, labels 0/1), 'hinge' (labels -1/1), 'cross_entropy' or
      'multiclass_hinge' (class indices 0..k-1); the batch loss is the mean over samples.
    - ``optimizer``: any nn.optim optimizer over ``model.parameters()``; by default
      ``SGD(model.parameters(), lr=lr or 0.1)``. ``scheduler`` is stepped after every update
      (``schedule_per='epoch'``: after every epoch). ``clip`` clips the global gradient norm.
    - ``l2``: adds ``l2 · Σ w²`` over all parameters to the loss (micrograd's alpha).
    - ``batch_size``: None for full batch; samples are reshuffled each epoch from ``seed``.
    - ``val``: (X_val, y_val), evaluated after every epoch without building a graph.
    - ``batched``: run each batch through the engine's numpy replay (same numbers, faster).

    Raises TrainingDiverged, naming the step and the learning rate, when the loss or a gradient
    stops being finite.
    """
    spec = get_loss(loss)
    nin, nout = _shape(model)
    data = _check_data(model, X, y, spec)
    val_data = _check_data(model, val[0], val[1], spec, "val") if val is not None else None
    if optimizer is None:
        optimizer = SGD(model.parameters(), lr=0.1 if lr is None else lr)
    elif lr is not None:
        raise ValueError("fit: give lr= or optimizer=, not both (set the lr on the optimizer)")
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"fit: epochs must be a positive integer, got {epochs!r}")
    n = len(data)
    batch_size = n if batch_size is None else batch_size
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"fit: batch_size must be a positive integer or None, got {batch_size!r}")
    if schedule_per not in ("step", "epoch"):
        raise ValueError(f"fit: schedule_per must be 'step' or 'epoch', got {schedule_per!r}")

    params = model.parameters()
    path = _BatchedPath(model, spec, nin, nout) if batched else _ScalarPath(model, spec)
    reg = (lambda: l2_term(params, l2)) if l2 else None
    accuracy = _accuracy_rule(spec, data)
    layers = _layers(model)
    history = History(grad_norm={name: [] for name, _ in layers})
    order = list(range(n))
    rng = random.Random(seed)
    steps_per_epoch = math.ceil(n / batch_size)

    bar = tqdm(total=epochs * steps_per_epoch, disable=not progress, unit="step", desc="fit")
    try:
        for epoch in range(1, epochs + 1):
            if shuffle:
                rng.shuffle(order)
            loss_sum, correct, judged = 0.0, 0, 0
            norms = [0.0] * len(layers)
            for b, start in enumerate(range(0, n, batch_size), 1):
                batch = order[start:start + batch_size]
                optimizer.zero_grad()
                try:
                    batch_loss, outs = _step(path, data, batch, reg)
                    layer_norms = [math.sqrt(sum(p.grad * p.grad for p in ps)) for _, ps in layers]
                    for (name, _), norm in zip(layers, layer_norms):
                        if not math.isfinite(norm):
                            raise _Diverged(f"the gradient norm of layer {name} is {norm} "
                                            f"(the loss was {batch_loss:.3g})")
                except _Diverged as e:
                    raise _diverged(e, history, epoch, b, optimizer, clip) from None
                except (OverflowError, ZeroDivisionError, ValueError) as e:
                    if _before_any_update(history, optimizer):
                        raise  # not divergence: the data or the initial weights fail a gate
                    raise _diverged(_Diverged(f"a gate failed: {e}"), history, epoch, b,
                                    optimizer, clip) from e
                for j, norm in enumerate(layer_norms):
                    norms[j] += norm
                if clip is not None:
                    clip_grad_norm(params, clip)
                lr_used = optimizer.lr
                optimizer.step()
                history.steps += 1
                if scheduler is not None and schedule_per == "step":
                    scheduler.step()
                loss_sum += batch_loss * len(batch)
                for out, i in zip(outs, batch):
                    c, m = accuracy(out, data.targets[i])
                    correct, judged = correct + c, judged + m
                bar.update(1)
                bar.set_postfix(epoch=epoch, loss=f"{loss_sum / (start + len(batch)):.4f}",
                                acc=_pct(correct, judged), refresh=False)
            history.train_loss.append(loss_sum / n)
            history.train_acc.append(correct / judged if judged else math.nan)
            for (name, _), total_norm in zip(layers, norms):
                history.grad_norm[name].append(total_norm / steps_per_epoch)
            history.lr.append(lr_used)
            if scheduler is not None and schedule_per == "epoch":
                scheduler.step()
            if val_data is not None:
                v_loss, v_acc = _evaluate(path, val_data, accuracy)
                history.val_loss.append(v_loss)
                history.val_acc.append(v_acc)
                bar.set_postfix(epoch=epoch, loss=f"{history.train_loss[-1]:.4f}",
                                acc=_pct(correct, judged), val_loss=f"{v_loss:.4f}",
                                val_acc=f"{v_acc:.1%}", refresh=True)
    finally:
        bar.close()
    return history


def _pct(correct: int, judged: int) -> str:
    return f"{correct / judged:.1%}" if judged else "-"


def _before_any_update(history: History, optimizer: Optimizer) -> bool:
    """No update yet, in this fit() or in an earlier one with the same optimizer (as
    lr_range_test makes, one fit per rate)."""
    return history.steps == 0 and optimizer.steps == 0


def _diverged(e: _Diverged, history: History, epoch: int, batch: int, optimizer: Optimizer,
              clip: float | None) -> TrainingDiverged:
    lr = optimizer.lr
    step = history.steps + 1
    where = f"at step {step} (epoch {epoch}, batch {batch}): {e.what}"
    if _before_any_update(history, optimizer):  # so the learning rate is not the cause
        message = (f"training failed {where}, before any update. The inputs or the initial "
                   f"weights are too large: standardise X or pick a smaller init.")
        return TrainingDiverged(message, history, step, lr)
    tips = f"try lr={lr / 10:g} (10x lower)"
    if clip is None:
        tips += ", or clip the gradients (clip=1.0)"
    message = (f"training diverged {where}, with learning rate {lr:g}. The updates are too "
               f"large: {tips}. The parameters are left as before this step; "
               f"the error's .history holds the finished epochs.")
    return TrainingDiverged(message, history, step, lr)


# -- evaluation and sanity checks ------------------------------------------------------------------


def evaluate(model: Module, X, y, loss: str | LossSpec = "mse") -> tuple[float, float]:
    """(mean loss, accuracy) on (X, y), without building a graph (accuracy NaN if undefined)."""
    spec = get_loss(loss)
    data = _check_data(model, X, y, spec)
    return _evaluate(_ScalarPath(model, spec), data, _accuracy_rule(spec, data))


def _input_leaves(nin: int) -> list[Value]:
    """The per-sample inputs x1..xn a traced graph is fed through (engine.compile)."""
    return [Value(0.0, label=f"x{k}") for k in range(1, nin + 1)]


def predict(model: Module, X, batched: bool = False) -> list:
    """The model's outputs for each row of X as floats (a list per sample if k > 1), no graph.

    ``batched=True`` traces one sample's graph and replays it over all rows with numpy (the
    same numbers, fast enough for a 250 x 250 grid of a decision boundary)."""
    nin, _ = _shape(model)
    rows = np.asarray(X, dtype=np.float64).reshape(-1, nin)
    if batched:
        xs = _input_leaves(nin)
        return engine.compile(model(xs), inputs=xs).forward(rows).tolist()
    with engine.no_grad():
        outs = [model(x) for x in rows.tolist()]
    return [o.data if isinstance(o, Value) else [v.data for v in o] for o in outs]


@dataclass
class LRRangeResult:
    """The learning-rate range test: the loss after one update at each rate of a sweep."""

    lrs: list[float]
    losses: list[float]
    suggestion: float  # the rate at the lowest loss, divided by 10

    def __str__(self) -> str:
        lines = [f"{'lr':>10} {'loss':>12}"]
        lines += [f"{lr:>10.2e} {loss:>12.5f}" for lr, loss in zip(self.lrs, self.losses)]
        lines.append(f"suggested lr: {self.suggestion:.2e} (the lowest loss was at "
                     f"{self.suggestion * 10:.2e}; a tenth of it leaves room)")
        return "\n".join(lines)


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
    state = model.state_dict()
    opt = optimizer(model.parameters(), lr=lr_min)
    ratio = (lr_max / lr_min) ** (1.0 / max(steps - 1, 1))
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
        raise TrainingDiverged(f"lr_range_test: the loss diverged at lr_min = {lr_min:g}; "
                               f"lower lr_min", History(), 1, lr_min)
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
        verdict = "passed" if self.passed else "FAILED"
        advice = "" if self.passed else (
            " — a network should memorise a handful of samples; if it cannot, look for a bug "
            "(labels, loss, learning rate, a layer that does not learn)")
        return (f"overfit check {verdict}: loss {self.loss:.4g}, accuracy "
                f"{self.accuracy:.1%} after {self.history.steps} steps{advice}")


def overfit_check(model: Module, X, y, *, loss: str | LossSpec = "mse", n: int = 20,
                  steps: int = 300, optimizer: Optimizer | None = None, tol: float = 0.01,
                  restore: bool = True, batched: bool = False) -> OverfitResult:
    """Train on the first ``n`` samples only (full batch, Adam lr 0.03 by default) and check
    that the loss falls below ``tol`` with 100% accuracy (CS231n's practical advice: if the
    network cannot overfit 20 samples, something is broken). Restores the parameters unless
    ``restore=False``.
    """
    from .optim import Adam

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
