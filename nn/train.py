"""fit(): the training loop of the lecture notes, with a progress bar and a history to plot.

    initialise the weights
    for each epoch:                        (one pass over the shuffled training set)
        for each mini-batch:
            forward:   scores = model(x) for each sample, L = mean loss (+ L2 term)
            backward:  zero the gradients, L.backward() gives dL/dw for every weight
            update:    w ← w - η · dL/dw   (the optimizer's rule)
        evaluate on the validation set without building a graph (engine.no_grad)

``batched=True`` runs the same graph through the engine's batched replay (``compile_replay``):
traced once for one sample, replayed with numpy over each mini-batch, same numbers. The step
itself lives in ``nn.step`` (shared with ``train_step``), the data checks in ``nn.checks``,
History in ``nn.history``, the sanity checks in ``nn.sanity``.
"""

from __future__ import annotations

import math
import random

from tqdm import tqdm

from words import Text, _, num

from .checks import accuracy_rule, check_data, check_optimizer, model_shape
from .history import LOSS_DIGITS, History, TrainingDiverged, percent
from .losses import LossSpec, get_loss
from .losses import l2 as l2_term
from .module import Module
from .optim import SGD, LRScheduler, Optimizer, UpdateNotFinite, check_clip, clip_grad_norm
from .settings import check_l2
from .step import BatchedPath, Diverged, ScalarPath, evaluate_path, layer_parameters, step


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
    nin, nout = model_shape(model)
    check_clip(clip, "fit")
    data = check_data(model, X, y, spec)
    val_data = check_data(model, val[0], val[1], spec, "val") if val is not None else None
    check_l2(l2, "fit")
    if optimizer is None:
        optimizer = SGD(model.parameters(), lr=0.1 if lr is None else lr)
    elif lr is not None:
        raise ValueError("fit: give lr= or optimizer=, not both (set the lr on the optimizer)")
    check_optimizer(model, optimizer, "fit", scheduler)
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"fit: epochs must be a positive integer, got {epochs!r}")
    n = len(data)
    batch_size = n if batch_size is None else batch_size
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"fit: batch_size must be a positive integer or None, got {batch_size!r}")
    if schedule_per not in ("step", "epoch"):
        raise ValueError(f"fit: schedule_per must be 'step' or 'epoch', got {schedule_per!r}")

    params = model.parameters()
    path = BatchedPath(model, spec, nin, nout) if batched else ScalarPath(model, spec)
    reg = (lambda: l2_term(params, l2)) if l2 else None
    accuracy = accuracy_rule(spec, data)
    layers = layer_parameters(model)
    history = History(grad_norm={name: [] for name, _params in layers})
    order = list(range(n))
    rng = random.Random(seed)
    steps_per_epoch = math.ceil(n / batch_size)

    bar = tqdm(total=epochs * steps_per_epoch, disable=not progress, unit=_("step"),
               desc="fit")
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
                    batch_loss, outs = step(path, data, batch, reg)
                    layer_norms = [math.sqrt(sum(p.grad * p.grad for p in ps))
                                   for _name, ps in layers]
                    for (name, _params), norm in zip(layers, layer_norms):
                        if not math.isfinite(norm):
                            raise Diverged(Text(
                                "the gradient norm of layer {name} is {norm} (the loss was "
                                "{loss})", name=name, norm=str(norm), loss=f"{batch_loss:.3g}"))
                except Diverged as e:
                    raise _diverged(e, history, epoch, b, optimizer, clip) from None
                except (ArithmeticError, ValueError) as e:  # a gate, or backward's guard
                    if _before_any_update(history, optimizer):
                        raise  # not divergence: the data or the initial weights fail a gate
                    failed = Text("a gate failed: {error}",
                                  error=getattr(e, "text", None) or str(e))
                    raise _diverged(Diverged(failed), history, epoch, b, optimizer, clip) from e
                for j, norm in enumerate(layer_norms):
                    norms[j] += norm
                if clip is not None:
                    clip_grad_norm(params, clip)
                lr_used = optimizer.lr
                try:
                    optimizer.step()
                except UpdateNotFinite as e:  # refused: every parameter is as it was
                    raise _diverged(Diverged(e.what), history, epoch, b, optimizer, clip,
                                    in_update=True) from None
                history.steps += 1
                if scheduler is not None and schedule_per == "step":
                    scheduler.step()
                loss_sum += batch_loss * len(batch)
                for out, i in zip(outs, batch):
                    c, m = accuracy(out, data.targets[i])
                    correct, judged = correct + c, judged + m
                bar.update(1)
                _postfix(bar, epoch, loss_sum / (start + len(batch)), correct, judged)
            history.train_loss.append(loss_sum / n)
            history.train_acc.append(correct / judged if judged else math.nan)
            for (name, _params), total_norm in zip(layers, norms):
                history.grad_norm[name].append(total_norm / steps_per_epoch)
            history.lr.append(lr_used)
            if scheduler is not None and schedule_per == "epoch":
                scheduler.step()
            if val_data is not None:
                v_loss, v_acc = evaluate_path(path, val_data, accuracy)
                history.val_loss.append(v_loss)
                history.val_acc.append(v_acc)
                _postfix(bar, epoch, history.train_loss[-1], correct, judged, v_loss, v_acc)
    finally:
        bar.close()
    return history


def _postfix(bar: tqdm, epoch: int, loss: float, correct: int, judged: int,
             val_loss: float | None = None, val_acc: float | None = None) -> None:
    """The progress bar's numbers (words's formatter), its words translated."""
    shown = {_("epoch"): epoch, _("loss"): num(loss, LOSS_DIGITS),
             _("acc"): percent(correct / judged, 1) if judged else "-"}
    if val_loss is not None:
        shown[_("val_loss")] = num(val_loss, LOSS_DIGITS)
        shown[_("val_acc")] = percent(val_acc, 1)
    bar.set_postfix(shown, refresh=val_loss is not None)


def _before_any_update(history: History, optimizer: Optimizer) -> bool:
    """No update yet, in this fit() or in an earlier one with the same optimizer (as
    lr_range_test makes, one fit per rate)."""
    return history.steps == 0 and optimizer.steps == 0


def _diverged(e: Diverged, history: History, epoch: int, batch: int, optimizer: Optimizer,
              clip: float | None, in_update: bool = False) -> TrainingDiverged:
    """The error fit raises: the step, what went wrong, and advice. ``in_update``: the
    optimizer refused the update itself (so the learning rate is to blame, even at step 1)."""
    lr = optimizer.lr
    step = history.steps + 1
    where = Text("at step {step} (epoch {epoch}, batch {batch}): {what}",
                 step=step, epoch=epoch, batch=batch, what=e.what)
    if not in_update and _before_any_update(history, optimizer):  # not the learning rate
        message = Text("training failed {where}, before any update. The inputs or the initial "
                       "weights are too large: standardise X or pick a smaller init.",
                       where=where)
        return TrainingDiverged(message, history, step, lr)
    lower, shown = f"{lr / 10:g}", f"{lr:g}"
    tips = (Text("try lr={lr} (10x lower)", lr=lower) if clip is not None else
            Text("try lr={lr} (10x lower), or clip the gradients (clip=1.0)", lr=lower))
    message = Text("training diverged {where}, with learning rate {lr}. The updates are too "
                   "large: {tips}. The parameters are left as before this step; the error's "
                   ".history holds the finished epochs.", where=where, lr=shown, tips=tips)
    return TrainingDiverged(message, history, step, lr)


# -- evaluation ----------------------------------------------------------------------------------


def evaluate(model: Module, X, y, loss: str | LossSpec = "mse") -> tuple[float, float]:
    """(mean loss, accuracy) on (X, y), without building a graph (accuracy NaN if undefined)."""
    spec = get_loss(loss)
    data = check_data(model, X, y, spec)
    return evaluate_path(ScalarPath(model, spec), data, accuracy_rule(spec, data))
