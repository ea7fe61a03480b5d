"""engine.replay.export_plan: the plan written out as data is enough to run the network.

A small interpreter written here (loops, each gate through its scalar kernel from the gate table,
sums from the exported terms) runs the exported plan; its outputs and parameter gradients must
equal the scalar engine's, sample by sample, for an MLP under every loss of nn. The lesson
page's JavaScript interpreter is tested the same way in Chromium (tests/viz/test_lesson*.py).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import nn
from engine import Value
from engine.replay import export_plan
from nn.step import BatchedPath


def run_plan(plan: dict, coefs: list[float], feed: np.ndarray, seed: np.ndarray):
    """Outputs (B, k) and d Σ seed·out / d coefs, from the plan data alone."""
    B = len(feed)
    V = np.zeros((plan["rows"], B))
    V[:plan["inputs"]] = feed.T
    c = list(coefs) + [1.0]
    for row, i in plan["param_rows"]:
        V[row] = c[i]
    locals_ = {}
    for step in plan["steps"]:
        lo, hi = step["out"]
        if step["op"] == "sum":
            W = _weights(step, c, hi - lo)
            V[lo:hi] = W @ V[step["cols"]] + _bias(step, c, hi - lo)[:, None]
        else:
            gate = plan["gates"][step["gate"]]
            for i in range(hi - lo):
                for b in range(B):
                    out, local = gate.kernel(*(V[a[i], b] for a in step["args"]))
                    V[lo + i, b] = out
                    locals_[lo + i, b] = local
    G, pg = np.zeros_like(V), np.zeros(len(c))
    for k, row in enumerate(plan["outputs"]):
        G[row] += seed[:, k]
    for step in reversed(plan["steps"]):
        lo, hi = step["out"]
        if step["op"] == "sum":
            W = _weights(step, c, hi - lo)
            G[step["cols"]] += W.T @ G[lo:hi]
            dW = G[lo:hi] @ V[step["cols"]].T
            w = step["w"]
            if "start" in w:
                pg[w["start"]:w["start"] + dW.size] += dW.ravel()
            else:
                for o, j, i, s in zip(w["out"], w["col"], w["coef"], w["scale"]):
                    pg[i] += s * dW[o, j]
            b = step["b"]
            if b is not None and "start" in b:
                pg[b["start"]:b["start"] + hi - lo] += G[lo:hi].sum(axis=1)
            elif b is not None:
                for o, i, s in zip(b["out"], b["coef"], b["scale"]):
                    pg[i] += s * G[lo + o].sum()
        else:
            for i in range(hi - lo):
                for b in range(B):
                    for q, a in enumerate(step["args"]):
                        G[a[i], b] += G[lo + i, b] * locals_[lo + i, b][q]
    for row, i in plan["param_rows"]:
        pg[i] += G[row].sum()
    return V[plan["outputs"]].T, pg[:-1]


def _weights(step, c, n_out):
    w, n_cols = step["w"], len(step["cols"])
    if "start" in w:
        return np.array(c[w["start"]:w["start"] + n_out * n_cols]).reshape(n_out, n_cols)
    W = np.zeros((n_out, n_cols))
    for o, j, i, s in zip(w["out"], w["col"], w["coef"], w["scale"]):
        W[o, j] += s * c[i]
    return W


def _bias(step, c, n_out):
    b, out = step["b"], np.zeros(n_out)
    if b is not None and "start" in b:
        out[:] = c[b["start"]:b["start"] + n_out]
    elif b is not None:
        for o, i, s in zip(b["out"], b["coef"], b["scale"]):
            out[o] += s * c[i]
    return out


LABELS = {"mse": [0.5, -1.0, 2.0], "bce": [1.0, 0.0, 1.0], "hinge": [1.0, -1.0, 1.0],
          "cross_entropy": [2, 0, 1], "multiclass_hinge": [1, 2, 0]}


@pytest.mark.parametrize("loss", sorted(LABELS))
@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_the_exported_plan_runs_to_the_scalar_engines_numbers(loss, activation):
    spec = nn.get_loss(loss)
    k = 3 if spec.classes else 1
    model = nn.MLP(4, [5, k], activation=activation, seed=3)
    X = np.random.default_rng(1).normal(size=(3, 4))
    y = LABELS[loss]
    path = BatchedPath(model, spec, 4, k)
    program = path._trace()
    plan = export_plan(program)
    json_ready = {key: v for key, v in plan.items() if key != "gates"}
    assert "Value" not in repr(json_ready)  # plain numbers and lists only
    data = nn.checks.check_data(model, X, y, spec)
    feed = np.hstack([X, data.encoded])
    seed = np.zeros((3, 1 + k))
    seed[:, 0] = 1 / 3
    outs, grads = run_plan(plan, [p.data for p in program.parameters], feed, seed)

    # the oracle: the scalar engine, one graph per sample, the mean loss
    for p in model.parameters():
        p.grad = 0.0
    losses = []
    for x, t in zip(X.tolist(), data.targets):
        out = model(x)
        losses.append(spec.sample(out, t))
        got = outs[len(losses) - 1]
        want = [losses[-1].data] + ([out.data] if isinstance(out, Value) else [o.data for o in out])
        assert np.allclose(got, want, rtol=1e-12, atol=1e-15)
    mean = nn.losses.total(losses) / 3
    mean.backward()
    index = {p: i for i, p in enumerate(program.parameters)}
    for p in model.parameters():
        g = grads[index[p]]
        assert math.isclose(g, p.grad, rel_tol=1e-12, abs_tol=1e-15), (p.label, g, p.grad)


def test_program_rows_name_the_layer_nodes():
    model = nn.MLP(3, [4, 2], seed=0)
    xs = [Value(0.0, label=f"x{k}") for k in range(1, 4)]
    from engine import compile_replay
    program = compile_replay(model(xs), inputs=xs)
    plan = export_plan(program)
    for neuron in model.layers[0].neurons:
        assert neuron.s in program.rows and neuron.a in program.rows
    first = plan["steps"][0]
    assert first["op"] == "sum" and first["cols"] == [0, 1, 2]
    assert first["w"] == {"start": 0}  # layer 1's W is one block of the parameters, row-major
    assert program.parameters[:3] == model.layers[0].neurons[0].w
