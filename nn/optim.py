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

from .module import Module


def _parameters(params: Module | Iterable[Value], where: str) -> list[Value]:
    params = params.parameters() if isinstance(params, Module) else list(params)
    if not params:
        raise ValueError(f"{where}: got an empty parameter list")
    for p in params:
        if not isinstance(p, Value):
            raise TypeError(f"{where}: parameters must be Values, got {type(p).__name__}")
    return params


def _check(value: float, name: str, where: str, low: float = 0.0, high: float = math.inf):
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{where}: {name} must be a number, got {type(value).__name__} "
                        f"{value!r:.40}")
    if not (low <= value < high):
        raise ValueError(f"{where}: {name} must be in [{low}, {high}), got {value!r}")


def _count(value: int, name: str, where: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{where}: {name} must be a positive whole number of steps, "
                         f"got {value!r}")


class Optimizer:
    """Holds the parameters and the learning rate ``lr`` (η); ``step()`` updates ``.data``."""

    def __init__(self, params: Module | Iterable[Value], lr: float):
        where = type(self).__name__
        self.params = _parameters(params, where)
        _check(lr, "lr", where)
        self.lr = float(lr)
        self.steps = 0  # how many updates have been made

    def zero_grad(self) -> None:
        """Set every parameter's ``.grad`` to 0 before the next backward."""
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent, as torch.optim.SGD.

    g = dL/dw + weight_decay · w;  with momentum μ: b ← μ·b + (1 - dampening)·g (b = g at the
    first step), then g = b, or g = g + μ·b with Nesterov;  w ← w - η·g.
    """

    def __init__(self, params: Module | Iterable[Value], lr: float = 0.01, momentum: float = 0.0,
                 dampening: float = 0.0, weight_decay: float = 0.0, nesterov: bool = False):
        super().__init__(params, lr)
        _check(momentum, "momentum", "SGD")
        _check(weight_decay, "weight_decay", "SGD")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("SGD: Nesterov momentum needs momentum > 0 and dampening = 0")
        self.momentum, self.dampening = momentum, dampening
        self.weight_decay, self.nesterov = weight_decay, nesterov
        self.buffers: list[float | None] = [None] * len(self.params)

    def step(self) -> None:
        lr, mu, wd, damp = self.lr, self.momentum, self.weight_decay, self.dampening
        buffers = self.buffers
        for i, p in enumerate(self.params):
            g = p.grad
            if wd:
                g = g + wd * p.data
            if mu:
                b = buffers[i]
                b = g if b is None else mu * b + (1 - damp) * g
                buffers[i] = b
                g = g + mu * b if self.nesterov else b
            p.data = p.data - lr * g
        self.steps += 1


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
        _check(betas[0], "betas[0]", where, high=1.0)
        _check(betas[1], "betas[1]", where, high=1.0)
        betas = (float(betas[0]), float(betas[1]))
        _check(eps, "eps", where)
        _check(weight_decay, "weight_decay", where)
        self.betas, self.eps, self.weight_decay, self.amsgrad = betas, eps, weight_decay, amsgrad
        n = len(self.params)
        self.m, self.v, self.v_max = [0.0] * n, [0.0] * n, [0.0] * n

    def step(self) -> None:
        self.steps += 1
        t, lr, eps, wd = self.steps, self.lr, self.eps, self.weight_decay
        beta1, beta2 = self.betas
        step_size = lr / (1 - beta1**t)
        bias_correction2_sqrt = (1 - beta2**t) ** 0.5
        m, v, v_max = self.m, self.v, self.v_max
        for i, p in enumerate(self.params):
            g = p.grad
            if wd:
                if self.decoupled:
                    p.data = p.data * (1 - lr * wd)
                else:
                    g = g + wd * p.data
            m[i] = m[i] + (1 - beta1) * (g - m[i])
            v[i] = v[i] * beta2 + (1 - beta2) * g * g
            if self.amsgrad:
                v_max[i] = max(v_max[i], v[i])
                denom = math.sqrt(v_max[i]) / bias_correction2_sqrt + eps
            else:
                denom = math.sqrt(v[i]) / bias_correction2_sqrt + eps
            p.data = p.data - step_size * (m[i] / denom)


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
        optimizer.lr = self.lr_at(0)

    def lr_at(self, k: int) -> float:
        raise NotImplementedError

    def step(self) -> None:
        self.last_epoch += 1
        self.optimizer.lr = self.lr_at(self.last_epoch)

    @property
    def lr(self) -> float:
        return self.optimizer.lr


class StepLR(LRScheduler):
    """η_k = η_0 · γ^(k // step_size): multiply by γ every ``step_size`` steps."""

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1):
        _count(step_size, "step_size", "StepLR")
        _check(gamma, "gamma", "StepLR")
        self.step_size, self.gamma = step_size, gamma
        super().__init__(optimizer)

    def lr_at(self, k: int) -> float:
        return self.base_lr * self.gamma ** (k // self.step_size)


class ExponentialLR(LRScheduler):
    """η_k = η_0 · γ^k."""

    def __init__(self, optimizer: Optimizer, gamma: float):
        _check(gamma, "gamma", "ExponentialLR")
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
        _count(total_iters, "total_iters", "LinearLR")
        _check(start_factor, "start_factor", "LinearLR")
        _check(end_factor, "end_factor", "LinearLR")
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
