"""Optimizers, learning-rate schedules and gradient clipping, with torch.optim's semantics.

Each update is written as the formula a lecture shows, in the order torch applies it (weight
decay into the gradient, momentum buffer, Nesterov look-ahead, Adam's bias correction with eps
added after the square root), so ten steps here equal ten steps of torch.optim in float64.

The training step, in the lecture's notation (η the learning rate): w ← w - η · dL/dw.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from numbers import Real

from engine import Value
from words import N_, Text

from .module import Module
from .settings import check_count, check_number


def _parameters(params: Module | Iterable[Value], where: str) -> list[Value]:
    params = params.parameters() if isinstance(params, Module) else list(params)
    if not params:
        raise ValueError(f"{where}: got an empty parameter list")
    for p in params:
        if not isinstance(p, Value):
            raise TypeError(f"{where}: parameters must be Values, got {type(p).__name__}")
    return params


class UpdateNotFinite(FloatingPointError):
    """An optimizer step that would write NaN or infinity: refused before any parameter changes.

    ``parameter`` is the first parameter whose update is not finite, ``step`` the number the
    update would have had; ``what`` says what overflowed (fit puts it in its own message);
    ``words.localize(error, "zh")`` gives the message in Chinese."""

    def __init__(self, text: Text, what: Text, parameter: Value, step: int):
        super().__init__(str(text))
        self.text, self.what, self.parameter, self.step = text, what, parameter, step


# what an optimizer keeps per parameter, as a refusal names it
STATE_WORDS = {"data": N_("its new .data"), "buffers": N_("its momentum buffer"),
               "m": N_("its first moment m"), "v": N_("its second moment v"),
               "v_max": N_("its largest second moment v_max")}


class Optimizer:
    """Holds the parameters and the learning rate ``lr`` (η); ``step()`` updates ``.data``.

    A subclass writes its rule as ``_update(t)``: the new ``.data`` of every parameter and its
    new per-parameter state, computed without changing anything. ``step()`` makes the update
    only when every one of those numbers is finite, so a learning rate of 1e308 is refused at
    the step that overflows, naming the parameter, not one step later by a NaN loss.
    """

    def __init__(self, params: Module | Iterable[Value], lr: float):
        where = type(self).__name__
        self.params = _parameters(params, where)
        check_number(lr, "lr", where)
        self.lr = float(lr)
        self.steps = 0  # how many updates have been made

    def zero_grad(self) -> None:
        """Set every parameter's ``.grad`` to 0 before the next backward."""
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        """One update by the optimizer's rule, made only if every new number is finite; else
        UpdateNotFinite, with every ``.data`` and the optimizer's state as they were."""
        t = self.steps + 1
        data, state = self._update(t)
        if not (all(map(math.isfinite, data)) and all(
                math.isfinite(x) for values in state.values() for x in values if x is not None)):
            raise self._refusal(t, {"data": data, **state})
        for p, value in zip(self.params, data):
            p.data = value
        for name, values in state.items():
            setattr(self, name, values)
        self.steps = t

    def _update(self, t: int) -> tuple[list[float], dict[str, list]]:
        raise NotImplementedError

    def _refusal(self, t: int, new: dict[str, list]) -> UpdateNotFinite:
        """The first parameter with a number that is not finite, and what to do about it."""
        i, key = next((i, key) for i in range(len(self.params)) for key, values in new.items()
                      if values[i] is not None and not math.isfinite(values[i]))
        p = self.params[i]
        name = p.label or f"parameter {i}"
        what = Text("the update of {name} is not finite: {quantity} would be {value} (.data "
                    "{data}, .grad {grad}, lr {lr})", name=name, quantity=Text(STATE_WORDS[key]),
                    value=repr(new[key][i]), data=repr(p.data), grad=repr(p.grad),
                    lr=f"{self.lr:g}")
        if not math.isfinite(p.grad):
            advice = Text("its .grad was set to a non-finite number outside backward(): "
                          "recompute the gradients")
        elif getattr(self, "eps", None) == 0 and "v" in new and new["v"][i] == 0:
            advice = Text("with eps = 0, m / (√v + eps) is 0/0 for a parameter whose gradients "
                          "have all been 0: keep eps > 0 (the default is 1e-8)")
        else:
            advice = Text("lower the learning rate, or clip the gradients (clip_grad_norm)")
        text = Text("{optimizer} step {step}: {what}. NaN and infinity never enter a graph: "
                    "every parameter and the optimizer's state are left as they were; {advice}.",
                    optimizer=type(self).__name__, step=t, what=what, advice=advice)
        return UpdateNotFinite(text, what, p, t)


class SGD(Optimizer):
    """Stochastic gradient descent, as torch.optim.SGD.

    g = dL/dw + weight_decay · w;  with momentum μ: b ← μ·b + (1 - dampening)·g (b = g at the
    first step), then g = b, or g = g + μ·b with Nesterov;  w ← w - η·g.
    """

    def __init__(self, params: Module | Iterable[Value], lr: float = 0.01, momentum: float = 0.0,
                 dampening: float = 0.0, weight_decay: float = 0.0, nesterov: bool = False):
        super().__init__(params, lr)
        check_number(momentum, "momentum", "SGD")
        check_number(dampening, "dampening", "SGD", high=1.0)
        check_number(weight_decay, "weight_decay", "SGD")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("SGD: Nesterov momentum needs momentum > 0 and dampening = 0")
        self.momentum, self.dampening = momentum, dampening
        self.weight_decay, self.nesterov = weight_decay, nesterov
        self.buffers: list[float | None] = [None] * len(self.params)

    def _update(self, t: int) -> tuple[list[float], dict[str, list]]:
        lr, mu, wd, damp = self.lr, self.momentum, self.weight_decay, self.dampening
        data, buffers = [], list(self.buffers)
        for i, p in enumerate(self.params):
            g = p.grad
            if wd:
                g = g + wd * p.data
            if mu:
                b = buffers[i]
                b = g if b is None else mu * b + (1 - damp) * g
                buffers[i] = b
                g = g + mu * b if self.nesterov else b
            data.append(p.data - lr * g)
        return data, {"buffers": buffers}


class Adam(Optimizer):
    """Adam, as torch.optim.Adam (AdamW below decouples the weight decay).

    m ← m + (1 - β1)(g - m);  v ← β2·v + (1 - β2)·g²;
    w ← w - η/(1 - β1^t) · m / (√v / √(1 - β2^t) + ε)   (t counts the steps from 1).
    """

    decoupled = False

    def __init__(self, params: Module | Iterable[Value], lr: float = 0.001,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0, amsgrad: bool = False):
        super().__init__(params, lr)
        where = type(self).__name__
        if isinstance(betas, (str, bytes)) or not hasattr(betas, "__len__") or len(betas) != 2:
            raise TypeError(f"{where}: betas must be two numbers in [0, 1), e.g. (0.9, 0.999), "
                            f"got {betas!r:.40}")
        check_number(betas[0], "betas[0]", where, high=1.0)
        check_number(betas[1], "betas[1]", where, high=1.0)
        betas = (float(betas[0]), float(betas[1]))
        check_number(eps, "eps", where)
        check_number(weight_decay, "weight_decay", where)
        self.betas, self.eps, self.weight_decay, self.amsgrad = betas, eps, weight_decay, amsgrad
        n = len(self.params)
        self.m, self.v, self.v_max = [0.0] * n, [0.0] * n, [0.0] * n

    def _update(self, t: int) -> tuple[list[float], dict[str, list]]:
        lr, eps, wd = self.lr, self.eps, self.weight_decay
        beta1, beta2 = self.betas
        step_size = lr / (1 - beta1**t)
        bias_correction2_sqrt = (1 - beta2**t) ** 0.5
        data, m, v, v_max = [], list(self.m), list(self.v), list(self.v_max)
        for i, p in enumerate(self.params):
            g, w = p.grad, p.data
            if wd:
                if self.decoupled:
                    w = w * (1 - lr * wd)
                else:
                    g = g + wd * w
            m[i] = m[i] + (1 - beta1) * (g - m[i])
            v[i] = v[i] * beta2 + (1 - beta2) * g * g
            if self.amsgrad:
                v_max[i] = max(v_max[i], v[i])
                denom = math.sqrt(v_max[i]) / bias_correction2_sqrt + eps
            else:
                denom = math.sqrt(v[i]) / bias_correction2_sqrt + eps
            data.append(w - step_size * (m[i] / denom if denom else math.nan))  # eps = 0: 0/0
        return data, {"m": m, "v": v, "v_max": v_max}


class AdamW(Adam):
    """Adam with decoupled weight decay, as torch.optim.AdamW: w ← w·(1 - η·λ) before the Adam
    step, instead of adding λ·w to the gradient."""

    decoupled = True

    def __init__(self, params: Module | Iterable[Value], lr: float = 0.001,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.01, amsgrad: bool = False):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad)


# -- gradient clipping --------------------------------------------------------------------------


def check_clip(max_norm: float | None, where: str, name: str = "clip") -> None:
    """A gradient-norm bound must be a positive finite number (or None: no clipping).

    A negative bound would flip every gradient (gradient ascent), NaN would poison them all."""
    if max_norm is None:
        return
    if isinstance(max_norm, bool) or not isinstance(max_norm, Real):
        raise TypeError(f"{where}: {name} must be a positive number (a gradient-norm bound), "
                        f"got {type(max_norm).__name__} {max_norm!r:.40}")
    if not (0.0 < max_norm < math.inf):
        raise ValueError(f"{where}: {name} must be a positive finite number (a gradient-norm "
                         f"bound, e.g. 1.0), got {max_norm!r}")


def clip_grad_norm(params: Module | Iterable[Value], max_norm: float) -> float:
    """Scale all gradients by min(1, max_norm / (‖g‖ + 1e-6)), ‖g‖ the global L2 norm over
    every parameter; returns ‖g‖ before clipping (torch.nn.utils.clip_grad_norm_)."""
    if max_norm is None:
        raise TypeError("clip_grad_norm: max_norm must be a positive number, got None")
    check_clip(max_norm, "clip_grad_norm", "max_norm")
    params = _parameters(params, "clip_grad_norm")
    norm = math.sqrt(sum(p.grad * p.grad for p in params))
    coef = max_norm / (norm + 1e-6)
    if coef < 1.0 or coef != coef:  # NaN propagates, as in torch
        for p in params:
            p.grad = p.grad * coef
    return norm


# -- learning-rate schedules --------------------------------------------------------------------


class LRScheduler:
    """Sets ``optimizer.lr`` from the base learning rate and the number of ``step()`` calls k.

    As in torch, call ``scheduler.step()`` after ``optimizer.step()``; fit() does it after
    every update (or every epoch, with ``schedule_per='epoch'``).
    """

    def __init__(self, optimizer: Optimizer):
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(self).__name__}: expected an Optimizer, "
                            f"got {type(optimizer).__name__}")
        self.optimizer = optimizer
        self.base_lr = optimizer.lr
        self.last_epoch = 0  # k, torch's name
        optimizer.lr = self._checked(0)

    def lr_at(self, k: int) -> float:
        raise NotImplementedError

    def _checked(self, k: int) -> float:
        """η_k, refused unless a finite number >= 0 (a LambdaLR's function may give NaN)."""
        lr = self.lr_at(k)
        check_number(lr, "the learning rate", f"{type(self).__name__} at step {k}")
        return float(lr)

    def step(self) -> None:
        self.optimizer.lr = self._checked(self.last_epoch + 1)
        self.last_epoch += 1

    @property
    def lr(self) -> float:
        return self.optimizer.lr


class StepLR(LRScheduler):
    """η_k = η_0 · γ^(k // step_size): multiply by γ every ``step_size`` steps."""

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1):
        check_count(step_size, "step_size", "StepLR")
        check_number(gamma, "gamma", "StepLR")
        self.step_size, self.gamma = step_size, gamma
        super().__init__(optimizer)

    def lr_at(self, k: int) -> float:
        return self.base_lr * self.gamma ** (k // self.step_size)


class ExponentialLR(LRScheduler):
    """η_k = η_0 · γ^k."""

    def __init__(self, optimizer: Optimizer, gamma: float):
        check_number(gamma, "gamma", "ExponentialLR")
        self.gamma = gamma
        super().__init__(optimizer)

    def lr_at(self, k: int) -> float:
        return self.base_lr * self.gamma**k


class LinearLR(LRScheduler):
    """η_k = η_0 · (start + (end - start) · min(k, total_iters) / total_iters).

    The micrograd demo's ``lr = 1 - 0.9 * k / 100`` is ``LinearLR(SGD(params, lr=1.0),
    start_factor=1.0, end_factor=0.1, total_iters=100)``.
    """

    def __init__(self, optimizer: Optimizer, start_factor: float = 1.0 / 3,
                 end_factor: float = 1.0, total_iters: int = 5):
        check_count(total_iters, "total_iters", "LinearLR")
        check_number(start_factor, "start_factor", "LinearLR")
        check_number(end_factor, "end_factor", "LinearLR")
        self.start_factor, self.end_factor, self.total_iters = start_factor, end_factor, total_iters
        super().__init__(optimizer)

    def lr_at(self, k: int) -> float:
        fraction = min(k, self.total_iters) / self.total_iters
        return self.base_lr * (self.start_factor + (self.end_factor - self.start_factor) * fraction)


class LambdaLR(LRScheduler):
    """η_k = η_0 · f(k), any function of the step count."""

    def __init__(self, optimizer: Optimizer, lr_lambda: Callable[[int], float]):
        if not callable(lr_lambda):
            raise TypeError(f"LambdaLR: lr_lambda must be a function of the step count, "
                            f"got {type(lr_lambda).__name__}")
        self.lr_lambda = lr_lambda
        super().__init__(optimizer)

    def lr_at(self, k: int) -> float:
        return self.base_lr * self.lr_lambda(k)
