"""Every demo runs (shortened where it trains) and its figures are checked."""

import numpy as np
import pytest


def test_neuron_demo_hand_engine_and_gradcheck_agree(tmp_path, capsys):
    from demos import neuron

    r = neuron.main(out_dir=str(tmp_path), quick=True)
    # z = 0.4 + 0.6 + 0.6 + 0.1 = 1.7 > 0, a = 1.7, L = 0.49, dL/dz = 2 * 0.7 = 1.4
    assert r["loss"] == pytest.approx(0.49) and r["hand_loss"] == pytest.approx(0.49)
    assert r["engine_grads"] == pytest.approx([0.7, -2.1, 2.8, 1.4], rel=1e-12)
    assert r["engine_grads"] == pytest.approx(r["hand_grads"], rel=1e-12)
    assert r["gradcheck_passed"]
    assert "gradcheck passed" in capsys.readouterr().out


def test_matrix_demo_shape_rule(tmp_path):
    from demos import matrix

    r = matrix.main(out_dir=str(tmp_path), quick=True)
    X, W, G = r["X"], r["W"], r["G"]
    np.testing.assert_allclose(r["dX"], G @ W.T, rtol=1e-12)
    np.testing.assert_allclose(r["dW"], X.T @ G, rtol=1e-12)
    np.testing.assert_allclose(r["contracted"], G @ W.T, rtol=1e-12)
    J = r["jacobian"]  # dY_ij/dX_kl = [i == k] W_lj
    expected = np.zeros((4, 6))
    for i in range(2):
        for j in range(2):
            for l in range(3):
                expected[2 * i + j, 3 * i + l] = W[l, j]
    np.testing.assert_allclose(J, expected, rtol=1e-12)


def test_gradcheck_demo_passes_then_catches_the_planted_bug(tmp_path):
    from demos import gradcheck
    from engine import GATES

    right = GATES["tanh"]
    r = gradcheck.main(out_dir=str(tmp_path), quick=True)
    assert r["good"].passed and not r["bad"].passed
    # The wrong rule sits in the tanh gates: exactly W1 and b1 (below them) must fail.
    assert sorted(r["caught"]) == sorted([f"W1[{j}{i}]" for j in range(3) for i in range(2)]
                                         + [f"b1[{j}]" for j in range(3)])
    assert GATES["tanh"] is right  # the planted bug is removed again


def test_gates_demo_flat_code_matches_engine_and_writes_pictures(tmp_path):
    from demos import gates

    r = gates.main(out_dir=str(tmp_path), quick=True)
    assert round(r["f"], 2) == 0.73
    assert [round(r["engine"][k], 2) for k in ["w0", "x0", "w1", "x1", "w2"]] == \
        [-0.20, 0.39, -0.39, -0.59, 0.20]
    for k, v in r["engine"].items():
        assert v == pytest.approx(r["flat"][k], rel=1e-12)
    svg = r["svg"].read_text()
    # The diagram shows the one default of 2 decimals (issue 13): f = sigmoid(1) = 0.7311.
    assert svg.startswith("<?xml") and "0.73" in svg and "w0" in svg
    html = r["stepper"].read_text()
    # The lesson page: one offline file, the diagram drawn once, stepped by its script.
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html and "w0" in html
    assert "http://" not in html.replace("http://www.w3.org", "")
