"""The training demos (moons, digits, debugging), shortened, with their figures recounted
independently: accuracies by numpy from the trained weights, gradient norms by torch."""

import math

import numpy as np
import pytest
import torch

from nn import History, TrainingDiverged, make_moons
from tests.close import assert_close
from tests.demos.oracle import assert_png, numpy_scores
from tests.nn.twin import TorchTwin


def test_moons_quick_run_learns_with_micrograds_schedule(tmp_path, capsys):
    from demos import moons

    r = moons.main(out_dir=str(tmp_path), quick=True)
    history = r["history"]
    assert r["steps"] == history.steps == history.epochs == 30
    # lr = 1 - 0.9 k / 100 at step k = 0, 1, ...
    assert history.lr == pytest.approx([1 - 0.9 * k / 100 for k in range(30)], rel=1e-12)
    X, y = make_moons(100, noise=0.1, signed=True)
    accuracy = np.mean(np.sign(numpy_scores(r["model"], X)[:, 0]) == y)
    assert r["accuracy"] == accuracy and accuracy >= 0.85
    assert history.train_loss[-1] < 0.5 * history.train_loss[0]
    assert_png(r["loss_png"])
    assert_png(r["boundary_png"])
    out = capsys.readouterr().out
    assert "scalar path" in out and "moons_boundary.png" in out


def test_moons_full_run_reaches_100_percent(tmp_path):
    """The demo as `make demo` runs it (100 steps through the replay, under a second)."""
    from demos import moons

    r = moons.main(out_dir=str(tmp_path))
    X, y = make_moons(100, noise=0.1, signed=True)
    scores = numpy_scores(r["model"], X)[:, 0]
    assert r["steps"] == 100 and np.all(np.sign(scores) == y) and r["accuracy"] == 1.0


def test_digits_quick_run(tmp_path, capsys):
    from demos import digits

    r = digits.main(out_dir=str(tmp_path), quick=True)
    data = r["splits"]
    # 1797 images: 359 test, 359 validation, 1079 train (round(0.2 * 1797) = 359).
    assert (len(data.X_train), len(data.X_val), len(data.X_test)) == (1079, 359, 359)
    assert r["epochs"] == r["history"].epochs == 3
    predicted = numpy_scores(r["model"], data.X_test).argmax(axis=1)
    wrong = np.flatnonzero(predicted != np.asarray(data.y_test))
    assert r["accuracy"] == pytest.approx(1 - len(wrong) / 359, abs=1e-12)
    assert r["accuracy"] >= 0.85
    assert r["wrong"] == wrong.tolist() and len(wrong) > 0  # the mistakes shown are real ones
    # The curves are the validation set's, not the test set's.
    val_predicted = numpy_scores(r["model"], data.X_val).argmax(axis=1)
    val_accuracy = np.mean(val_predicted == np.asarray(data.y_val))
    assert r["history"].val_acc[-1] == pytest.approx(val_accuracy, abs=1e-12)
    assert_png(r["training_png"])
    assert_png(r["mistakes_png"], min_height=150)
    assert r["mistakes_shown"] == len(wrong)  # fewer than 40: every one is shown
    out = capsys.readouterr().out
    assert f"test accuracy {r['accuracy']:.1%} ({len(wrong)} of 359 wrong)" in out
    assert f"Mistakes ({len(wrong)} of {len(wrong)} shown)" in out
    assert "validation = test set" not in out


@pytest.fixture(scope="module")
def debugging_run(tmp_path_factory):
    import contextlib
    import io

    from demos import debugging

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        r = debugging.main(out_dir=str(tmp_path_factory.mktemp("debugging")), quick=True)
    return r, out.getvalue()


def test_debugging_learning_rates(debugging_run):
    r, printed = debugging_run
    lr = r["lr"]
    low, good = lr["low"], lr["good"]
    assert low.epochs == good.epochs == 30
    assert abs(low.train_loss[-1] - low.train_loss[0]) < 0.01 * low.train_loss[0]  # flat
    assert good.train_loss[-1] < 0.6 * good.train_loss[0]
    e = lr["diverged"]
    assert isinstance(e, TrainingDiverged) and e.lr == 10.0 and 1 < e.step <= 30
    message = lr["message"]
    assert "training diverged at step" in message and "with learning rate 10." in message
    assert "try lr=1 (10x lower)" in message
    assert lr["message"] in printed  # the message is shown to the reader
    sweep = lr["sweep"]
    assert lr["lr_good"] == pytest.approx(sweep.lrs[int(np.argmin(sweep.losses))] / 10)
    assert 1e-3 < lr["lr_good"] < 1.0


def test_debugging_overfit_passes_and_catches_the_planted_bug(debugging_run):
    r, printed = debugging_run
    ok, bug = r["overfit"]["ok"], r["overfit"]["bug"]
    assert ok.passed and ok.loss < 0.01 and ok.accuracy == 1.0
    assert not bug.passed and bug.loss > 0.05
    assert "overfit check passed" in printed and "overfit check FAILED" in printed


def test_debugging_vanishing_gradients_match_torch(debugging_run):
    """The first step's per-layer gradient norms, recomputed by torch from the same initial
    weights: sigmoid's first layer gets a tiny fraction of relu's."""
    from demos import debugging

    r, _ = debugging_run
    X, y = make_moons(100, noise=0.1, signed=True)
    norms = r["vanishing"]["grad_norm"]
    for act in ("sigmoid", "relu"):
        twin = TorchTwin(debugging.deep_net(act))
        loss = ((twin(X)[:, 0] - torch.tensor(y, dtype=torch.float64)) ** 2).mean()
        loss.backward()
        expected = [math.sqrt((W.grad ** 2).sum().item() + (b.grad ** 2).sum().item())
                    for W, b in zip(twin.W, twin.b)]
        assert_close(norms[act], expected, rtol=1e-9, what=act)
    assert len(norms["sigmoid"]) == 9
    assert norms["sigmoid"][0] < norms["relu"][0] / 100
    assert norms["sigmoid"][0] < norms["sigmoid"][-1] / 1000  # shrinks towards the input


def test_debugging_clipping_keeps_the_run_finite(debugging_run):
    r, printed = debugging_run
    c = r["clipping"]
    assert isinstance(c["diverged"], TrainingDiverged) and c["diverged"].lr == 0.01
    assert c["diverged"].step <= 10
    clipped: History = c["clipped"]
    assert clipped.epochs == 30 and all(map(math.isfinite, clipped.train_loss))
    assert clipped.train_loss[-1] < clipped.train_loss[0] / 10
    assert all(math.isfinite(v) for norms in clipped.grad_norm.values() for v in norms)
    assert c["message"] in printed


def test_debugging_writes_one_png_per_experiment(debugging_run):
    r, _ = debugging_run
    names = [p.name for p in r["pngs"]]
    assert names == ["debugging_lr.png", "debugging_overfit.png", "debugging_vanishing.png",
                     "debugging_clipping.png"]
    for png in r["pngs"]:
        assert_png(png)
