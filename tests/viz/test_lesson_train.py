"""Training in the lesson page against nn.fit, in real headless Chromium (float64 both sides).

fit's scalar path (one graph per sample, engine backward) is the oracle: k epochs of SGD in the
page must give fit's parameters to 1e-9 relative, with shuffling off and on (the page repeats
fit's seeded order: Python's Mersenne Twister and shuffle, ported to mt.js and checked here
draw for draw against random.Random).
"""

from __future__ import annotations

import random

import numpy as np
import pytest

import nn
import viz
from engine import Value
from tests.close import relative
from tests.viz.page_driver import browser, close_clean, open_page  # noqa: F401
from words import localize

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def moons_page(browser, tmp_path_factory):  # noqa: F811
    X, y = nn.make_moons(40, noise=0.1, seed=3)
    path = viz.lesson(nn.MLP(2, [4, 1], seed=0), X, y,
                      tmp_path_factory.mktemp("mt") / "mt.html", loss="bce")
    page = open_page(browser, path)
    yield page
    close_clean(page, path)


@pytest.mark.parametrize("seed", [0, 1, 7, 2**32 + 5, 123456789012345])
def test_the_page_shuffles_as_python_random_does(moons_page, seed):
    got = moons_page.evaluate("""([key, n]) => {
        const r = makeRandom(key), order = [...Array(n).keys()], out = [];
        for (let e = 0; e < 3; e++) { r.shuffle(order); out.push(order.slice()); }
        return out;
    }""", [[(seed >> (32 * i)) & 0xFFFFFFFF for i in range(max(1, -(-seed.bit_length() // 32)))],
           1079])
    rng, order, want = random.Random(seed), list(range(1079)), []
    for _ in range(3):
        rng.shuffle(order)
        want.append(list(order))
    assert got == want


CASES = [  # loss, activation, shuffle, batch size (40 samples: a short last batch when 16)
    ("bce", "relu", False, 16),
    ("hinge", "tanh", True, 16),
    ("mse", "sigmoid", True, 40),
    ("cross_entropy", "relu", True, 8),
    ("cross_entropy", "tanh", False, 16),
    ("multiclass_hinge", "relu", True, 16),
]


@pytest.mark.parametrize("loss, activation, shuffle, batch", CASES)
def test_k_epochs_in_the_page_give_fits_parameters(browser, tmp_path, loss, activation,  # noqa: F811
                                                    shuffle, batch):
    X, y = nn.make_moons(50, noise=0.2, seed=1)
    if loss == "hinge":
        y = 2 * y - 1
    k = 2 if nn.get_loss(loss).classes else 1
    (Xt, yt), (Xv, yv) = nn.split(X, y, 0.2, seed=2)
    build = lambda: nn.MLP(2, [6, 5, k], activation=activation, seed=11)  # noqa: E731
    path = viz.lesson(build(), Xt, yt, tmp_path / "fit.html", loss=loss, val=(Xv, yv), lr=0.2,
                      batch_size=batch, shuffle=shuffle, seed=5)
    page = open_page(browser, path)
    metrics = page.evaluate("gategrad.train({epochs: 3})")
    got = page.evaluate("gategrad.parameters()")
    close_clean(page, path)

    model = build()
    history = nn.fit(model, Xt, yt, loss=loss, lr=0.2, epochs=3, batch_size=batch,
                     shuffle=shuffle, seed=5, val=(Xv, yv), progress=False)
    want = [p.data for p in model.parameters()]
    assert len(got) == len(want)
    worst = max(relative(g, w) for g, w in zip(got, want))
    assert worst <= 1e-9, worst
    assert metrics["epoch"] == 3 and metrics["error"] is None
    assert relative(metrics["loss"], history.train_loss[-1]) <= 1e-9
    assert relative(metrics["val_loss"], history.val_loss[-1]) <= 1e-9
    assert metrics["train_accuracy"] == pytest.approx(history.train_acc[-1], abs=1e-12)
    assert metrics["val_accuracy"] == pytest.approx(history.val_acc[-1], abs=1e-12)
    assert any(g != s for g, s in zip(got, [p.data for p in build().parameters()]))  # it moved


def test_the_model_given_to_lesson_is_not_changed(tmp_path):
    model = nn.MLP(2, [3, 1], seed=0)
    before = [p.data for p in model.parameters()]
    X, y = nn.make_moons(10, seed=0)
    viz.lesson(model, X, y, tmp_path / "same.html", loss="bce")
    assert [p.data for p in model.parameters()] == before
    assert all(p.grad == 0.0 for p in model.parameters())


def test_a_step_that_diverges_stops_and_keeps_the_parameters(browser, tmp_path):  # noqa: F811
    X = np.array([[1e3, -2e3], [3e3, 1e3], [-1e3, 2e3]])
    model = nn.MLP(2, [4, 1], seed=0)
    path = viz.lesson(model, X, [1.0, -1.0, 2.0], tmp_path / "boom.html", loss="mse", lr=1e6,
                      batch_size=3, shuffle=False)
    page = open_page(browser, path)
    for _ in range(8):
        before = page.evaluate("gategrad.parameters()")
        if not page.evaluate("gategrad.step()"):
            break
    metrics = page.evaluate("gategrad.metrics()")
    assert metrics["error"] and "learning rate 1000000" in metrics["error"]
    assert page.evaluate("gategrad.parameters()") == before
    assert page.locator("#alert").is_visible()
    assert "Training stopped" in page.locator("#alert").inner_text()
    close_clean(page, path)


def test_a_gate_that_refuses_in_training_says_what_python_says_in_both_languages(
        browser, tmp_path):  # noqa: F811
    """relu with η = 100 on inputs of a thousand: the fourth step's output is about -4.6e196, and
    the mse loss's square of it overflows. The page names the gate by its title and says what
    engine.errors says for that operand (Python's refusal, computed here), then which sample."""
    X = np.array([[1e3, -2e3], [3e3, 1e3], [-1e3, 2e3]])
    path = viz.lesson(nn.MLP(2, [4, 1], seed=0), X, [1.0, -1.0, 2.0], tmp_path / "pow.html",
                      loss="mse", lr=100.0, batch_size=3, shuffle=False)
    page = open_page(browser, path)
    for _ in range(8):
        if not page.evaluate("gategrad.step()"):
            break
    said = page.locator("#alert").inner_text()
    a = float(said.split("got a = ")[1].split(" ")[0])
    with pytest.raises(OverflowError) as python:
        Value(a) ** 2
    assert str(python.value) == f"pow gate with p = 2: the result overflows float64; got a = {a!r}"
    assert f"a gate failed: {python.value} (sample 1)." in said
    page.locator("#lang").click()  # the error showing is said again, in Chinese
    zh = page.locator("#alert").inner_text()
    assert localize(python.value, "zh").startswith("幂门") and localize(python.value, "zh") in zh
    assert f"{localize(python.value, 'zh')}（样本 1）。" in zh and "gate" not in zh, zh
    page.locator("#lang").click()
    assert page.locator("#alert").inner_text() == said
    close_clean(page, path)
