"""Ten steps of every optimizer, clipping and schedule equal torch.optim's, in float64."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from nn import (
    MLP,
    SGD,
    Adam,
    AdamW,
    ExponentialLR,
    LambdaLR,
    LinearLR,
    StepLR,
    clip_grad_norm,
    mse,
)
from tests.close import assert_close
from tests.nn.twin import TorchTwin

X = np.random.default_rng(3).normal(size=(8, 3))
Y = np.random.default_rng(4).normal(size=(8, 2))

OPTIMIZERS = {
    "sgd": (SGD, torch.optim.SGD, dict(lr=0.1)),
    "momentum": (SGD, torch.optim.SGD, dict(lr=0.1, momentum=0.9)),
    "dampening": (SGD, torch.optim.SGD, dict(lr=0.1, momentum=0.8, dampening=0.3)),
    "nesterov": (SGD, torch.optim.SGD, dict(lr=0.1, momentum=0.9, nesterov=True)),
    "sgd_weight_decay": (SGD, torch.optim.SGD, dict(lr=0.1, momentum=0.5, weight_decay=0.01)),
    "adam": (Adam, torch.optim.Adam, dict(lr=0.01)),
    "adam_weight_decay": (Adam, torch.optim.Adam, dict(lr=0.01, weight_decay=0.1,
                                                       betas=(0.8, 0.99), eps=1e-6)),
    "amsgrad": (Adam, torch.optim.Adam, dict(lr=0.01, amsgrad=True)),
    "adamw": (AdamW, torch.optim.AdamW, dict(lr=0.01)),
    "adamw_strong_decay": (AdamW, torch.optim.AdamW, dict(lr=0.05, weight_decay=0.5)),
}

SCHEDULES = {
    "step": (lambda o: StepLR(o, step_size=3, gamma=0.5),
             lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5)),
    "exponential": (lambda o: ExponentialLR(o, gamma=0.9),
                    lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.9)),
    "linear": (lambda o: LinearLR(o, start_factor=1.0, end_factor=0.1, total_iters=7),
               lambda o: torch.optim.lr_scheduler.LinearLR(o, start_factor=1.0, end_factor=0.1,
                                                           total_iters=7)),
    "lambda": (lambda o: LambdaLR(o, lambda k: 1 / (1 + k)),
               lambda o: torch.optim.lr_scheduler.LambdaLR(o, lambda k: 1 / (1 + k))),
}


def train_both(ours_cls, torch_cls, kwargs, steps=10, schedule=None, clip=None):
    """The same model, data and optimizer in both libraries; returns both parameter lists."""
    model = MLP(3, [4, 2], activation="tanh", seed=5)
    twin = TorchTwin(model)
    opt = ours_cls(model.parameters(), **kwargs)
    t_opt = torch_cls(twin.parameters(), **kwargs, foreach=False)
    sched = t_sched = None
    if schedule:
        sched, t_sched = SCHEDULES[schedule][0](opt), SCHEDULES[schedule][1](t_opt)
    lrs = []
    for _ in range(steps):
        opt.zero_grad()
        mse([model(x) for x in X.tolist()], Y.tolist()).backward()
        t_opt.zero_grad()
        F.mse_loss(twin(X), torch.tensor(Y)).backward()
        if clip:
            norm = clip_grad_norm(model.parameters(), clip)
            t_norm = torch.nn.utils.clip_grad_norm_(twin.parameters(), clip)
            assert_close([norm], [t_norm.item()], what="global norm")
            assert norm > clip  # the clipping is active at every step
        opt.step()
        t_opt.step()
        if schedule:
            sched.step()
            t_sched.step()
            lrs.append((opt.lr, t_opt.param_groups[0]["lr"]))
    return [p.data for p in model.parameters()], twin.flat(), lrs


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_ten_steps_equal_torch(name):
    ours_cls, torch_cls, kwargs = OPTIMIZERS[name]
    ours, theirs, _ = train_both(ours_cls, torch_cls, kwargs)
    assert_close(ours, theirs, what=name)
    start = [p.data for p in MLP(3, [4, 2], activation="tanh", seed=5).parameters()]
    assert max(abs(a - b) for a, b in zip(ours, start)) > 1e-3  # the steps moved the weights


@pytest.mark.parametrize("schedule", SCHEDULES)
def test_schedules_equal_torch(schedule):
    ours, theirs, lrs = train_both(SGD, torch.optim.SGD, dict(lr=0.2, momentum=0.9),
                                   steps=10, schedule=schedule)
    assert_close([a for a, _ in lrs], [b for _, b in lrs], what="lr")
    assert len({round(a, 12) for a, _ in lrs}) > 2  # the rate did change
    assert_close(ours, theirs, what=schedule)


@pytest.mark.parametrize("name", ["momentum", "adam"])
def test_clipping_equals_torch(name):
    ours_cls, torch_cls, kwargs = OPTIMIZERS[name]
    ours, theirs, _ = train_both(ours_cls, torch_cls, kwargs, clip=0.05)
    assert_close(ours, theirs, what="clipped")


def test_clipping_scales_only_above_the_threshold():
    model = MLP(1, [1], seed=0)
    w, b = model.parameters()
    w.grad, b.grad = 3.0, 4.0
    assert clip_grad_norm(model, 10.0) == 5.0 and (w.grad, b.grad) == (3.0, 4.0)
    assert clip_grad_norm(model, 1.0) == 5.0
    assert (w.grad, b.grad) == pytest.approx((3 / (5 + 1e-6), 4 / (5 + 1e-6)), rel=1e-15)


def test_micrograd_demo_schedule_is_linear_lr():
    opt = SGD(MLP(1, [1]).parameters(), lr=1.0)
    sched = LinearLR(opt, start_factor=1.0, end_factor=0.1, total_iters=100)
    for k in range(100):
        assert opt.lr == pytest.approx(1.0 - 0.9 * k / 100, rel=1e-14, abs=1e-15)
        sched.step()


def test_bad_optimizer_arguments():
    params = MLP(1, [1]).parameters()
    with pytest.raises(ValueError, match="Nesterov momentum needs momentum > 0"):
        SGD(params, nesterov=True)
    with pytest.raises(ValueError, match="lr must be in"):
        Adam(params, lr=-1)
    with pytest.raises(ValueError, match="empty parameter list"):
        SGD([])
    with pytest.raises(TypeError, match="parameters must be Values"):
        SGD([1.0])
    with pytest.raises(TypeError, match="expected an Optimizer"):
        StepLR("sgd", 3)


def test_bad_schedule_and_rate_arguments_name_the_culprit():
    params = MLP(1, [1]).parameters()
    with pytest.raises(TypeError, match=r"SGD: lr must be a number, got str '0.1'"):
        SGD(params, lr="0.1")
    with pytest.raises(ValueError, match=r"Adam: lr must be in \[0.0, inf\), got nan"):
        Adam(params, lr=float("nan"))
    with pytest.raises(ValueError, match=r"StepLR: step_size must be a positive whole number"):
        StepLR(SGD(params), step_size=0)
    with pytest.raises(ValueError, match=r"LinearLR: total_iters must be a positive whole"):
        LinearLR(SGD(params), total_iters=0)
    with pytest.raises(TypeError, match=r"ExponentialLR: gamma must be a number"):
        ExponentialLR(SGD(params), gamma=None)
    with pytest.raises(TypeError, match=r"LambdaLR: lr_lambda must be a function"):
        LambdaLR(SGD(params), 0.5)
