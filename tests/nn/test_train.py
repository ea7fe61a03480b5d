"""fit(): the micrograd demo, the loop's semantics against micrograd and torch, the history,
divergence, the sanity-check helpers and bad input."""

import math
import random

import micrograd.nn as mg
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from micrograd.engine import Value as MicroValue

from nn import (
    MLP,
    SGD,
    History,
    Layer,
    LinearLR,
    Neuron,
    StepLR,
    TrainingDiverged,
    evaluate,
    fit,
    lr_range_test,
    make_moons,
    make_spirals,
    overfit_check,
    predict,
)
from tests.close import assert_close
from tests.nn.twin import TorchTwin


def _micrograd_demo(steps: int, batched: bool):
    """micrograd's demo.ipynb: 100 moons, MLP(2, [16, 16, 1]), hinge loss + 1e-4 L2, SGD with
    lr = 1 - 0.9 k / 100, full-batch steps, the weights micrograd draws after random.seed(1337);
    the moons come from nn's own generator."""
    X, y = make_moons(100, noise=0.1, signed=True)
    model = MLP(2, [16, 16, 1], seed=1337)
    opt = SGD(model.parameters(), lr=1.0)
    history = fit(model, X, y, loss="hinge", optimizer=opt, l2=1e-4, epochs=steps,
                  scheduler=LinearLR(opt, start_factor=1.0, end_factor=0.1, total_iters=100),
                  batched=batched, progress=False)
    return X, y, model, history


def test_micrograd_demo_reaches_100_percent():
    """The demo's 100 steps through the batched replay (seconds, where the scalar path takes a
    minute), after the first 10 steps of the scalar path and of the replay are shown to give the
    same weights: so the claim is checked on the scalar path's numbers, for a tenth of the cost.
    """
    _, _, scalar, _ = _micrograd_demo(10, batched=False)
    _, _, replayed, _ = _micrograd_demo(10, batched=True)
    assert_close([p.data for p in replayed.parameters()], [p.data for p in scalar.parameters()],
                 rtol=1e-10, atol=1e-13, what="batched vs scalar, 10 steps")
    X, y, model, history = _micrograd_demo(100, batched=True)
    assert history.steps == 100
    assert history.train_acc[-1] == 1.0  # measured at step 99, as the demo prints it
    assert history.lr[0] == 1.0 and history.lr[-1] == pytest.approx(1 - 0.9 * 99 / 100)
    # After the last update, counted independently of fit: the sign of each score.
    scores = predict(model, X)
    assert sum((s > 0) == (t > 0) for s, t in zip(scores, y)) == 100
    assert history.train_loss[-1] < 0.05 < history.train_loss[0]


def test_fit_reproduces_micrograd_demo_loop_step_for_step():
    """Three steps of the demo's own loop, run by micrograd itself, give the same weights."""
    X, y = make_moons(30, noise=0.1, signed=True, seed=3)
    random.seed(1337)
    theirs = mg.MLP(2, [16, 16, 1])
    for k in range(3):
        scores = [theirs(list(map(MicroValue, row))) for row in X.tolist()]
        losses = [(1 + -yi * si).relu() for yi, si in zip(y.tolist(), scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        total_loss = data_loss + 1e-4 * sum(p * p for p in theirs.parameters())
        theirs.zero_grad()
        total_loss.backward()
        for p in theirs.parameters():
            p.data -= (1.0 - 0.9 * k / 100) * p.grad

    ours = MLP(2, [16, 16, 1], seed=1337)
    opt = SGD(ours.parameters(), lr=1.0)
    fit(ours, X, y, loss="hinge", optimizer=opt, l2=1e-4, epochs=3, shuffle=False,
        scheduler=LinearLR(opt, 1.0, 0.1, 100), progress=False)
    assert_close([p.data for p in ours.parameters()], [p.data for p in theirs.parameters()])


def test_minibatch_fit_equals_a_torch_training_loop():
    """Mini-batches of 8 (the last one 6), momentum, L2, a per-epoch schedule, validation:
    every epoch's losses and the final weights equal the same loop written in torch."""
    X, y = make_spirals(10, 3)
    Xv, yv = make_spirals(5, 3, seed=1)
    model = MLP(2, [6, 3], activation="tanh", seed=2)
    twin = TorchTwin(model)
    opt = SGD(model.parameters(), lr=0.1, momentum=0.9)
    history = fit(model, X, y, loss="cross_entropy", optimizer=opt, scheduler=StepLR(opt, 2, 0.5),
                  schedule_per="epoch", l2=1e-3, epochs=3, batch_size=8, shuffle=False,
                  val=(Xv, yv), progress=False)

    t_opt = torch.optim.SGD(twin.parameters(), lr=0.1, momentum=0.9, foreach=False)
    t_sched = torch.optim.lr_scheduler.StepLR(t_opt, 2, 0.5)
    train_loss, val_loss, val_acc = [], [], []
    for _ in range(3):
        total = 0.0
        for start in range(0, 30, 8):
            xb, yb = torch.tensor(X[start:start + 8]), torch.tensor(y[start:start + 8])
            data = F.cross_entropy(twin(xb), yb)
            reg = 1e-3 * sum((p**2).sum() for p in twin.parameters())
            t_opt.zero_grad()
            (data + reg).backward()
            t_opt.step()
            total += data.item() * len(xb)
        train_loss.append(total / 30)
        t_sched.step()
        with torch.no_grad():
            scores = twin(torch.tensor(Xv))
            val_loss.append(F.cross_entropy(scores, torch.tensor(yv)).item())
            val_acc.append((scores.argmax(1) == torch.tensor(yv)).double().mean().item())
    assert_close(history.train_loss, train_loss, what="train loss")
    assert_close(history.val_loss, val_loss, what="val loss")
    assert history.val_acc == pytest.approx(val_acc, abs=1e-15)
    assert history.lr == [0.1, 0.1, 0.05]
    assert_close([p.data for p in model.parameters()], twin.flat(), what="weights")


PROBLEMS = {  # loss -> (data, outputs, hidden activation)
    "mse": (make_moons(40, noise=0.1, seed=1), 1, "tanh"),
    "bce": (make_moons(40, noise=0.1, seed=1), 1, "sigmoid"),
    "hinge": (make_moons(40, noise=0.1, seed=1, signed=True), 1, "relu"),
    "cross_entropy": (make_spirals(12, 3), 3, "tanh"),
    "multiclass_hinge": (make_spirals(12, 3), 3, "relu"),
}


@pytest.mark.parametrize("loss", PROBLEMS)
def test_batched_fit_equals_scalar_fit(loss):
    """fit(batched=True) replays the traced graph with numpy: same weights, same history."""
    (X, y), k, activation = PROBLEMS[loss]
    runs = []
    for batched in (False, True):
        model = MLP(2, [5, 4, k], activation=activation, seed=3)
        opt = SGD(model.parameters(), lr=0.05, momentum=0.9)
        history = fit(model, X, y, loss=loss, optimizer=opt, l2=1e-3, epochs=3, batch_size=16,
                      val=(X[:10], y[:10]), clip=5.0, batched=batched, progress=False)
        runs.append((model, history))
    (scalar, h1), (replayed, h2) = runs
    start = [p.data for p in MLP(2, [5, 4, k], activation=activation, seed=3).parameters()]
    assert max(abs(a - b.data) for a, b in zip(start, scalar.parameters())) > 1e-3
    assert_close([p.data for p in replayed.parameters()], [p.data for p in scalar.parameters()],
                 rtol=1e-10, atol=1e-13, what="weights")
    for name in ("train_loss", "val_loss"):
        assert_close(getattr(h2, name), getattr(h1, name), rtol=1e-10, what=name)
    assert h2.train_acc == h1.train_acc and h2.val_acc == h1.val_acc
    for layer in h1.grad_norm:
        assert_close(h2.grad_norm[layer], h1.grad_norm[layer], rtol=1e-10, what=layer)


def test_batched_divergence_is_reported_the_same_way():
    X, y = make_moons(100, noise=0.1, signed=True)
    with pytest.raises(TrainingDiverged, match=r"with learning rate 100\. .*try lr=10"):
        fit(MLP(2, [16, 16, 1], seed=1), X, y, loss="mse", lr=100, epochs=5, batch_size=20,
            batched=True, progress=False)


def test_history_records_and_progress_bar(capsys):
    X, y = make_moons(40, noise=0.1)
    model = MLP(2, [4, 4, 1], activation="tanh", seed=0)
    history = fit(model, X, y, loss="bce", lr=0.5, epochs=4, batch_size=16, val=(X[:10], y[:10]),
                  progress=True)
    assert isinstance(history, History) and history.epochs == 4 and history.steps == 12
    assert list(history.grad_norm) == ["L1", "L2", "L3"]
    assert all(len(v) == 4 and min(v) > 0 for v in history.grad_norm.values())
    assert len(history.val_loss) == len(history.val_acc) == len(history.train_acc) == 4
    assert all(0.0 <= a <= 1.0 for a in history.train_acc + history.val_acc)
    err = capsys.readouterr().err
    assert "fit" in err and "loss=" in err and "val_acc=" in err
    assert str(history).splitlines()[0].split() == ["epoch", "loss", "acc", "val", "loss",
                                                    "val", "acc"]
    # The validation numbers, recomputed independently in torch after the last epoch.
    twin = TorchTwin(model)
    logits = twin(X[:10])[:, 0]
    expected = F.binary_cross_entropy_with_logits(logits, torch.tensor(y[:10], dtype=torch.float64))
    assert_close([history.val_loss[-1]], [expected.item()])
    assert history.val_acc[-1] == np.mean((logits.detach().numpy() > 0) == (y[:10] == 1))


def test_history_plot_writes_a_figure(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    X, y = make_moons(20, noise=0.1)
    history = fit(MLP(2, [3, 1], seed=0), X, y, loss="bce", lr=0.3, epochs=3, val=(X, y),
                  progress=False)
    fig = history.plot(tmp_path / "history.png")
    assert len(fig.axes) == 3 and len(fig.axes[0].lines) == 2 and len(fig.axes[2].lines) == 2
    assert (tmp_path / "history.png").stat().st_size > 1000


def test_shuffling_is_seeded():
    X, y = make_moons(24, noise=0.1)
    runs = []
    for seed in (5, 5, 6):
        model = MLP(2, [3, 1], activation="tanh", seed=0)
        fit(model, X, y, loss="bce", lr=0.3, epochs=2, batch_size=5, seed=seed, progress=False)
        runs.append([p.data for p in model.parameters()])
    assert runs[0] == runs[1] and runs[0] != runs[2]


def test_divergence_names_the_step_and_the_learning_rate():
    X, y = make_moons(100, noise=0.1, signed=True)
    model = MLP(2, [16, 16, 1], seed=1)
    with pytest.raises(TrainingDiverged) as info:
        fit(model, X, y, loss="mse", lr=100, epochs=5, batch_size=20, progress=False)
    e = info.value
    message = str(e)
    assert f"training diverged at step {e.step} " in message
    assert "with learning rate 100" in message and "try lr=10 (10x lower)" in message
    assert e.lr == 100 and 1 < e.step <= 25 and isinstance(e.history, History)


def test_non_finite_numbers_before_any_update_do_not_blame_the_learning_rate():
    """Inputs of 1e150 give a finite loss (~1e299) but a gradient norm that overflows at the
    first step: no update was made, so the message must not say the updates are too large."""
    X, y = make_moons(10, noise=0.1)
    model = Neuron(2, "linear", seed=0)
    before = model.state_dict()
    with pytest.raises(TrainingDiverged) as info:
        fit(model, X * 1e150, y, lr=0.1, epochs=1, progress=False)
    message = str(info.value)
    assert "at step 1 (epoch 1, batch 1): the gradient norm of layer L1 is inf" in message
    assert "before any update" in message and "standardise X" in message
    assert "learning rate" not in message and "lr=" not in message
    assert info.value.step == 1 and model.state_dict() == before


@pytest.mark.parametrize("batched", [False, True])
def test_a_gate_failing_after_earlier_updates_is_divergence(batched):
    """With inputs of 1e60 one update at lr 1e-3 makes weights so large that the next forward
    overflows the square of the loss. When the optimizer made that update in an earlier fit
    (as lr_range_test does, one fit per rate), it is divergence, not bad data."""
    X, y = make_moons(40, noise=0.1)
    X = X * 1e60
    model = MLP(2, [8, 1], seed=0)
    opt = SGD(model.parameters(), lr=1e-3)
    fit(model, X, y, optimizer=opt, epochs=1, batched=batched, progress=False)
    assert all(math.isfinite(p.data) for p in model.parameters())
    assert max(abs(p.data) for p in model.parameters()) > 1e100
    with pytest.raises(TrainingDiverged, match=r"training diverged at step 1 \(epoch 1, batch 1\): "
                                               r"a gate failed: pow gate .*overflow.*"
                                               r"with learning rate 0\.001"):
        fit(model, X, y, optimizer=opt, epochs=1, batched=batched, progress=False)
    fresh = MLP(2, [8, 1], seed=0)
    before = fresh.state_dict()
    result = lr_range_test(fresh, X, y, lr_min=1e-3, lr_max=1e3, steps=4, batched=batched)
    assert result.lrs == [pytest.approx(1e-3)] and fresh.state_dict() == before


def test_overfit_check_passes_on_a_small_net_and_fails_when_nothing_learns():
    X, y = make_moons(100, noise=0.1)
    model = MLP(2, [8, 1], seed=0)
    result = overfit_check(model, X, y, loss="bce", restore=False)
    assert result.passed and result.accuracy == 1.0 and result.loss < 0.01
    # The trained model's loss on the 20 samples, recomputed independently.
    twin = TorchTwin(model)
    logits = twin(X[:20])[:, 0]
    loss = F.binary_cross_entropy_with_logits(logits, torch.tensor(y[:20], dtype=torch.float64))
    assert_close([result.loss], [loss.item()])
    assert ((logits.detach().numpy() > 0) == (y[:20] == 1)).all()
    # By default the parameters are restored.
    before = model.state_dict()
    overfit_check(model, X, y, loss="bce", steps=5)
    assert model.state_dict() == before
    frozen = MLP(2, [8, 1], seed=0)
    broken = overfit_check(frozen, X, y, loss="bce", steps=20,
                           optimizer=SGD(frozen.parameters(), lr=0.0))
    assert not broken.passed and "FAILED" in str(broken) and "look for a bug" in str(broken)


def test_lr_range_test_sweeps_restores_and_suggests():
    X, y = make_moons(40, noise=0.1)
    model = MLP(2, [8, 1], activation="tanh", seed=0)
    before = model.state_dict()
    result = lr_range_test(model, X, y, loss="bce", lr_min=1e-3, lr_max=1e3, steps=25)
    assert model.state_dict() == before
    assert all(b > a for a, b in zip(result.lrs, result.lrs[1:]))
    assert result.lrs[0] == pytest.approx(1e-3)
    assert len(result.lrs) < 25  # the loss blew up before lr reached 1000
    best = result.lrs[int(np.argmin(result.losses))]
    assert result.suggestion == pytest.approx(best / 10)
    assert min(result.losses) < result.losses[0]
    assert "suggested lr" in str(result)


def test_evaluate_and_predict_build_no_graph():
    X, y = make_spirals(4, 3)
    model = MLP(2, [5, 3], seed=0)
    loss, acc = evaluate(model, X, y, "cross_entropy")
    scores = TorchTwin(model)(X)
    assert_close([loss], [F.cross_entropy(scores, torch.tensor(y)).item()])
    assert acc == (scores.argmax(1).numpy() == y).mean()
    outs = predict(model, X)
    assert len(outs) == 12 and len(outs[0]) == 3
    assert_close([v for row in outs for v in row], scores.flatten().tolist())
    assert model.layers[0].neurons[0].s._prev == ()  # built under no_grad


@pytest.mark.parametrize("batched", [False, True])
def test_fit_trains_a_lone_neuron_or_layer(batched):
    """fit's docstring promises an MLP, Layer or Neuron: one full-batch SGD step on a linear
    unit equals the least-squares gradient written out in numpy, w -= η · 2/n · Xᵀ(Xw + b - y)."""
    X, y = make_moons(12, noise=0.1, seed=2)
    for model in (Neuron(2, "linear", seed=4), Layer(2, 1, "linear", seed=4)):
        w = np.array([p.data for p in model.parameters()[:2]])
        residual = X @ w + 0.0 - y  # the bias starts at 0
        expected_w = w - 0.1 * 2 / len(X) * X.T @ residual
        expected_b = -0.1 * 2 / len(X) * residual.sum()
        history = fit(model, X, y, lr=0.1, epochs=1, batched=batched, progress=False)
        assert_close([p.data for p in model.parameters()], [*expected_w, expected_b])
        assert history.train_loss == [pytest.approx((residual**2).mean(), rel=1e-14)]
        assert list(history.grad_norm) == ["L1"]
        assert len(predict(model, X)) == 12


# -- bad input ---------------------------------------------------------------------------------


def test_bad_training_data_gets_clear_errors():
    model = MLP(2, [4, 1])
    X, y = make_moons(10, noise=0.1)
    with pytest.raises(ValueError, match=r"X must have shape \(n, 2\) for layer L1 "
                                         r"\(4 relu neurons, 2 inputs each\), got shape \(10, 3\)"):
        fit(model, np.hstack([X, X[:, :1]]), y, progress=False)
    with pytest.raises(ValueError, match="X has 10 samples but y has 9 labels"):
        fit(model, X, y[:9], progress=False)
    with pytest.raises(ValueError, match=r"hinge needs labels -1 or 1; sample \d+ has \[0.0\] "
                                         r"\(for 0/1 labels use 2\*y - 1, or loss='bce'\)"):
        fit(model, X, y, loss="hinge", progress=False)
    with pytest.raises(ValueError, match="cross_entropy needs a model with k >= 2 outputs"):
        fit(model, X, y, loss="cross_entropy", progress=False)
    with pytest.raises(ValueError, match=r"class indices 0..2 for 3 outputs; sample 0 has 5"):
        fit(MLP(2, [3]), X, [5] + [0] * 9, loss="cross_entropy", progress=False)
    with pytest.raises(TypeError, match="X must be a table of numbers"):
        fit(model, [["a", 1.0]] * 10, y, progress=False)
    with pytest.raises(ValueError, match="non-finite value in sample 0"):
        fit(model, [[math.inf, 1.0]] + X[1:].tolist(), y, progress=False)
    with pytest.raises(ValueError, match="unknown loss 'l1'"):
        fit(model, X, y, loss="l1", progress=False)
    with pytest.raises(ValueError, match="give lr= or optimizer=, not both"):
        fit(model, X, y, lr=0.1, optimizer=SGD(model.parameters()), progress=False)
    with pytest.raises(ValueError, match="epochs must be a positive integer"):
        fit(model, X, y, epochs=0, progress=False)
    with pytest.raises(ValueError, match="val has 10 samples but val's labels has 3 labels"):
        fit(model, X, y, val=(X, y[:3]), progress=False)


def test_predict_batched_equals_the_scalar_path():
    X = np.random.default_rng(3).normal(size=(7, 3))
    for nouts in ([4, 1], [4, 2]):
        model = MLP(3, nouts, activation="tanh", seed=2)
        scalar = np.array(predict(model, X))
        batched = np.array(predict(model, X, batched=True))
        assert batched.shape == scalar.shape == ((7,) if nouts[-1] == 1 else (7, 2))
        np.testing.assert_allclose(batched, scalar, rtol=1e-12, atol=1e-14)
