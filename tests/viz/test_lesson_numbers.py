"""The layer view's numbers against the scalar engine, in real headless Chromium.

For every loss of nn and every activation: the page's Z, A, δ, ∂L/∂W and ∂L/∂b of the batch it
shows equal the scalar engine's (one graph per sample, the batch's mean loss, backward()) to
1e-12 relative; each ∂L/∂W cell's Σₙ δ·a breakdown sums to the scalar gradient; the loss table's
output error term (a formula string, translated for the page) equals the engine's δ.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import nn
import viz
from nn.losses import total
from tests.close import close
from tests.viz.page_driver import browser, close_clean, open_page  # noqa: F401

pytestmark = pytest.mark.browser

LOSSES = {"mse": (1, [0.5, -1.0, 2.0, 0.25, 1.5]), "bce": (1, [1, 0, 1, 1, 0]),
          "hinge": (1, [1, -1, 1, -1, -1]), "cross_entropy": (3, [2, 0, 1, 1, 2]),
          "multiclass_hinge": (3, [1, 2, 0, 0, 1])}


def scalar_batch(model, X, targets, spec):
    """Per layer, per sample: s and a data, δ = s.grad; and every parameter's gradient."""
    model.zero_grad()
    losses, kept = [], []
    for x, t in zip(X.tolist(), targets):
        out = model(x)
        losses.append(spec.sample(out, t))
        kept.append([[(n.s, n.a) for n in layer.neurons] for layer in model.layers])
    (total(losses) / len(losses)).backward()
    return kept


@pytest.mark.parametrize("loss", sorted(LOSSES))
@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_layer_view_numbers_equal_the_scalar_engines(browser, tmp_path, loss, activation):  # noqa: F811
    k, y = LOSSES[loss]
    spec = nn.get_loss(loss)
    X = np.random.default_rng(4).normal(size=(5, 3))
    model = nn.MLP(3, [4, 3, k], activation=activation, seed=2)
    path = viz.lesson(model, X, y, tmp_path / "numbers.html", loss=loss, batch_size=5,
                      shuffle=False)
    page = open_page(browser, path)
    got = page.evaluate("""(k) => {
        const out = {rows: gategrad.batchRows(), loss: gategrad.loss(), layers: []};
        for (let l = 1; l <= 3; l++) {
            out.layers.push({Z: gategrad.matrix("Z", l), A: gategrad.matrix("A", l),
                             d: gategrad.matrix("d", l), dW: gategrad.matrix("dW", l),
                             db: gategrad.matrix("db", l), W: gategrad.matrix("W", l)});
        }
        out.error = [0, 1, 2, 3, 4].map(n => [...Array(k).keys()].map(j => {
            const e = gategrad.errorTerm(n, j); return e ? e.value : null; }));
        out.bridge = gategrad.bridge(2, 1, 2);
        return out;
    }""", k)
    assert got["rows"] == [0, 1, 2, 3, 4]
    kept = scalar_batch(model, X, nn.checks.check_data(model, X, y, spec).targets, spec)
    for l, layer in enumerate(model.layers):
        g = got["layers"][l]
        for j, neuron in enumerate(layer.neurons):
            for i, w in enumerate(neuron.w):
                assert g["W"][i][j] == w.data  # W batch-first: (inputs, neurons)
                assert close(g["dW"][i][j], w.grad, floor=1e-16), (l, i, j, g["dW"][i][j], w.grad)
            assert close(g["db"][0][j], neuron.b.grad, floor=1e-16)
            for n in range(5):
                s, a = kept[n][l][j]
                assert close(g["Z"][n][j], s.data, floor=1e-16), (l, n, j)
                assert close(g["A"][n][j], a.data, floor=1e-16), (l, n, j)
                assert close(g["d"][n][j], s.grad, floor=1e-16), (l, n, j, g["d"][n][j], s.grad)
    # the breakdown of ∂L/∂W₂[2, 3] (1-based) sums to the scalar gradient
    w = model.layers[1].neurons[2].w[1]
    assert len(got["bridge"]["terms"]) == 5
    assert math.isclose(math.fsum(got["bridge"]["terms"]), w.grad, rel_tol=1e-12, abs_tol=1e-16)
    assert got["bridge"]["total"] == got["layers"][1]["dW"][1][2]
    # the loss table's error term equals the engine's δ of the output neurons
    if spec.error_term:
        for n in range(5):
            for j in range(k):
                assert close(got["error"][n][j], kept[n][2][j][0].grad, floor=1e-16), (n, j)
    else:
        assert got["error"][0][0] is None
    close_clean(page, path)
