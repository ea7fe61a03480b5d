"""The batched replay (engine.compile_replay) against the scalar path, and against torch.

The oracle for a batch is the scalar engine run sample by sample: each sample's graph is built
again from fresh input leaves and the same parameter Values, and the parameters' gradients are
those of ``Σ_b seed[b] · out_b`` by the ordinary ``backward()``. The replay shares only the gate
table's formula strings with it.
"""

from __future__ import annotations

import itertools
import math
from unittest import mock

import numpy as np
import pytest
import torch
from hypothesis import event, given
from hypothesis import strategies as st

import engine
from engine import GATES, ReplayError, Value
from engine.replay import plan as replay_plan
from tests.close import assert_close

from .strategies import GRID, engine_apply, exponents, in_domain, recipes

# -- the oracle -----------------------------------------------------------------------------------


def scalar_batch(build, params: list[Value], X: np.ndarray, seed: np.ndarray | None = None):
    """Outputs (B, k) and the gradient of Σ_b seed_b · out_b for every parameter that the
    scalar graphs share (a number like the 3 in 3 * x is a new leaf in each sample's graph, so
    its gradient is compared nowhere), by the scalar path: one backward() of the seeded sum."""
    for p in params:
        p.grad = 0.0
    outputs, shared = [], set()
    for b, row in enumerate(X):
        out = build([Value(float(v)) for v in row])
        outs = [out] if isinstance(out, Value) else list(out)
        outputs.append([o.data for o in outs])
        shared.update(n for o in outs for n in engine.topological_order(o) if n in params)
        weights = np.ones(len(outs)) if seed is None else np.reshape(seed[b], -1)
        total = outs[0] * float(weights[0])
        for o, w in zip(outs[1:], weights[1:]):
            total = total + o * float(w)
        total.backward()
    values = np.array(outputs)
    grads = {p: p.grad for p in params if p in shared}
    for p in params:
        p.grad = 0.0
    return values, grads


def replay_batch(build, X: np.ndarray, seed: np.ndarray | None = None):
    """The same through engine.compile_replay: outputs, and every parameter's gradient."""
    # The trace runs the scalar gates once: feed it the first sample, inside every domain.
    xs = [Value(float(v), label=f"x{k}") for k, v in enumerate(X[0], start=1)]
    outs = build(xs)
    # compile refuses an input the graph does not use (its column would be ignored): feed the
    # columns of the inputs in the graph; the scalar oracle still gets whole rows
    used = {n for o in ([outs] if isinstance(outs, Value) else outs)
            for n in engine.topological_order(o)}
    keep = [k for k, x in enumerate(xs) if x in used]
    prog = engine.compile_replay(outs, inputs=[xs[k] for k in keep])
    for p in prog.parameters:
        p.grad = 0.0
    values = prog.forward(X[:, keep])
    prog.backward(seed)
    grads = {p: p.grad for p in prog.parameters}
    for p in prog.parameters:
        p.grad = 0.0
    return prog, values, grads


def assert_close_scaled(actual, expected, rtol: float = 1e-12):
    """Equal to 1e-12 relative; values near 0 are judged against the largest one (sums that
    cancel keep an absolute rounding error of the size of their terms)."""
    expected = np.asarray(expected, dtype=float)
    assert np.shape(actual) == expected.shape, (np.shape(actual), expected.shape)
    scale = max(1.0, float(np.max(np.abs(expected)))) if expected.size else 1.0
    assert_close(np.ravel(actual), np.ravel(expected), rtol=rtol, atol=rtol * scale)


def check_against_scalar(build, X, seed=None):
    X = np.asarray(X, dtype=float)
    prog, values, grads = replay_batch(build, X, seed)
    expected_values, expected_grads = scalar_batch(build, prog.parameters, X, seed)
    assert_close_scaled(values, expected_values[:, 0] if values.ndim == 1 else expected_values)
    assert_close_scaled([grads[p] for p in expected_grads], list(expected_grads.values()))
    return prog


# -- every gate of the table ----------------------------------------------------------------------


def gate_cases():
    for name in GATES:
        for p in exponents(name):
            yield pytest.param(name, p, id=name if p is None else f"pow{p:g}")


def domain_points(name, p):
    arity = GATES[name].arity
    fine = np.linspace(-2.1, 2.3, 23)
    points = itertools.product(fine, GRID) if arity == 2 else ((a, 1.0) for a in fine)
    return np.array([(a, b) for a, b in points if in_domain(name, p, a, b)])


@pytest.mark.parametrize("name,p", list(gate_cases()))
def test_every_gate_replays_like_the_scalar_path(name, p):
    X = domain_points(name, p)
    w, c = Value(1.0, label="w"), Value(0.0, label="c")

    def inputs_only(xs):  # the gate on two inputs: an elementwise call, or a constant sum
        return engine_apply(name, p, xs[0], xs[1])

    def through_parameters(xs):  # w·x and y + c change no value but carry both locals to w, c
        return engine_apply(name, p, w * xs[0], xs[1] + c)

    def twice(xs):  # two outputs sharing the gate node, with a seed per output
        out = engine_apply(name, p, w * xs[0], xs[1] + c)
        return [out, out * 3.0 - xs[0]]

    check_against_scalar(inputs_only, X)
    check_against_scalar(through_parameters, X)
    seed = np.random.default_rng(0).normal(size=(len(X), 2))
    check_against_scalar(twice, X, seed)


@pytest.mark.parametrize("name,p", list(gate_cases()))
def test_every_gate_replays_on_a_parameter_operand(name, p):
    """A gate reading a parameter directly (a row broadcast over the batch)."""
    gate = GATES[name]
    X = domain_points(name, p)
    b0 = X[0, 1]
    rows = X[X[:, 1] == b0][:, :1] if gate.arity == 2 else X[:, :1]
    a0 = float(rows[0, 0])
    wa, wb = Value(a0, label="wa"), Value(float(b0), label="wb")

    def build(xs):
        if gate.arity == 2:
            return engine_apply(name, p, xs[0], wb)
        return engine_apply(name, p, wa, None) * xs[0]  # a gate of parameters only

    check_against_scalar(build, rows)


# -- random graphs from the engine's strategies ---------------------------------------------------


@given(recipe=recipes(max_ops=14), data=st.data())
def test_random_graphs_match_the_scalar_path(recipe, data):
    n = len(recipe.leaves)
    is_input = data.draw(st.lists(st.booleans(), min_size=n, max_size=n), label="is_input")
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1), label="rng"))
    params = {i: Value(v, label=f"p{i}") for i, v in enumerate(recipe.leaves) if not is_input[i]}
    input_ids = [i for i in range(n) if is_input[i]]
    base = np.array([recipe.leaves[i] for i in input_ids])
    X = base * (1 + 0.05 * rng.uniform(-1, 1, size=(7, len(base))))
    X = np.vstack([base, X]).reshape(8, len(base))
    gate_outputs: list[Value] = []

    def build(xs, every_gate=False):
        feed = dict(zip(input_ids, xs))
        gate_outputs.clear()

        def apply(name, p, x, y):
            out = engine_apply(name, p, x, y)
            gate_outputs.append(out)
            return out

        _, root = recipe.build(lambda v, i: feed[i] if is_input[i] else params[i], apply)
        return list(gate_outputs) if every_gate else root

    X = X[[_scalar_defined(build, row) for row in X]]
    event(f"{len(X)} of 8 samples inside every gate's domain")
    if len(X) == 0:
        return  # every sample left a gate's domain; nothing to compare
    check_against_scalar(build, X)
    k = len(recipe.ops)
    seed = rng.normal(size=(len(X), k))
    check_against_scalar(lambda xs: build(xs, every_gate=True), X, seed)


def _scalar_defined(build, row) -> bool:
    try:
        build([Value(float(v)) for v in row])
    except (ValueError, ZeroDivisionError, OverflowError):
        return False
    return True


@given(recipe=recipes(max_ops=14))
def test_random_graphs_match_with_sparse_sums(recipe):
    """The same with every weighted sum gathered term by term instead of a dense W @ U."""
    params = [Value(v) for v in recipe.leaves[1:]]

    def build(xs):
        leaves = [xs[0], *params]
        return recipe.build(lambda v, i: leaves[i], engine_apply)[1]

    x0 = recipe.leaves[0]
    X = np.array([[x0], [x0 * 1.01], [x0 * 0.99]])
    X = X[[_scalar_defined(build, row) for row in X]]
    if len(X):
        with mock.patch.object(replay_plan, "DENSE_LIMIT", -10**9):  # no dense W anywhere
            prog = check_against_scalar(build, X)
        assert not any(getattr(s, "dense", False) for s in prog._steps)


# -- networks, against torch float64 as well ------------------------------------------------------


def hand_mlp(sizes, seed=0):
    """Weights and biases of an MLP as engine leaves (micrograd's layout: b + Σ w·x)."""
    rng = np.random.default_rng(seed)
    return [[([Value(float(v)) for v in rng.uniform(-1, 1, nin)], Value(float(rng.normal())))
             for _ in range(nout)] for nin, nout in zip(sizes, sizes[1:])]


def run_mlp(layers, x, hidden=Value.relu):
    for i, layer in enumerate(layers):
        sums = [sum((w * xi for w, xi in zip(ws, x)), b) for ws, b in layer]
        x = sums if i == len(layers) - 1 else [hidden(s) for s in sums]
    return x


def softmax_ce(z, onehot):
    m = z[0]
    for zj in z[1:]:
        m = m.max(zj)
    lse = m + sum(((zj - m).exp() for zj in z[1:]), (z[0] - m).exp()).log()
    return lse - sum(t * zj for t, zj in zip(onehot, z))


def torch_mlp_grads(layers, X, loss_fn, hidden):
    """The same network and loss in torch float64: per-sample losses, parameter grads."""
    tensors = []
    for layer in layers:
        W = torch.tensor([[w.data for w in ws] for ws, _ in layer], dtype=torch.float64,
                         requires_grad=True)
        b = torch.tensor([b.data for _, b in layer], dtype=torch.float64, requires_grad=True)
        tensors.append((W, b))
    h = torch.tensor(X, dtype=torch.float64)
    for i, (W, b) in enumerate(tensors):
        h = h @ W.T + b
        if i < len(tensors) - 1:
            h = hidden(h)
    losses = loss_fn(h)
    losses.sum().backward()
    grads = {}
    for layer, (W, b) in zip(layers, tensors):
        for j, (ws, bias) in enumerate(layer):
            grads.update({w: W.grad[j, k].item() for k, w in enumerate(ws)})
            grads[bias] = b.grad[j].item()
    return losses.detach().numpy(), grads


LOSSES = {
    "mse": (1, lambda z, t: (z[0] - t[0]) ** 2,
            lambda h, T: ((h[:, 0] - T[:, 0]) ** 2)),
    "hinge": (1, lambda z, t: (1 - t[0] * z[0]).relu(),
              lambda h, T: torch.relu(1 - T[:, 0] * h[:, 0])),
    "bce": (1, lambda z, t: (z[0].max(0.0) - z[0] * t[0]
                             + (1 + (-(z[0].max(0.0) * 2 - z[0])).exp()).log()),
            lambda h, T: torch.nn.functional.binary_cross_entropy_with_logits(
                h[:, 0], T[:, 0], reduction="none")),
    "softmax_ce": (3, softmax_ce,
                   lambda h, T: torch.nn.functional.cross_entropy(h, T.argmax(1),
                                                                  reduction="none")),
}


@pytest.mark.parametrize("loss", list(LOSSES))
@pytest.mark.parametrize("hidden", ["relu", "tanh"])
def test_mlp_losses_match_the_scalar_path_and_torch(loss, hidden):
    nout, loss_sample, torch_loss = LOSSES[loss]
    layers = hand_mlp([4, 6, 5, nout], seed=1)
    act = {"relu": Value.relu, "tanh": Value.tanh}[hidden]
    rng = np.random.default_rng(2)
    X = rng.normal(size=(16, 4))
    if loss == "softmax_ce":
        T = np.eye(nout)[rng.integers(0, nout, 16)]
    elif loss == "mse":
        T = rng.normal(size=(16, 1))
    elif loss == "bce":
        T = rng.integers(0, 2, (16, 1)).astype(float)
    else:
        T = rng.choice([-1.0, 1.0], (16, 1))

    def build(xs):
        return loss_sample(run_mlp(layers, xs[:4], act), xs[4:])

    prog = check_against_scalar(build, np.hstack([X, T]))
    # torch float64 on the same weights: per-sample losses and every parameter's gradient
    for p in prog.parameters:
        p.grad = 0.0
    losses = prog.forward(np.hstack([X, T]))
    prog.backward()
    t_losses, t_grads = torch_mlp_grads(layers, X, lambda h: torch_loss(h, torch.tensor(T)),
                                        {"relu": torch.relu, "tanh": torch.tanh}[hidden])
    assert_close_scaled(losses, t_losses)
    params = [p for p in prog.parameters if p in t_grads]
    assert len(params) == sum(len(ws) + 1 for layer in layers for ws, _ in layer)
    assert_close_scaled([p.grad for p in params], [t_grads[p] for p in params])


def test_a_dense_layer_reads_its_weights_as_one_block():
    """For an MLP every depth of sums is one matmul whose W is a view of the parameters."""
    layers = hand_mlp([2, 16, 16, 1])
    xs = [Value(0.0), Value(0.0)]
    prog = engine.compile_replay(run_mlp(layers, xs)[0], inputs=xs)
    sums = [s for s in prog._steps if isinstance(s, replay_plan._Linear)]
    assert [s.n_out for s in sums] == [16, 16, 1]
    assert all(s.w_block is not None and s.b_block is not None for s in sums)
    assert len(prog._steps) == 5  # sum, relu, sum, relu, sum
    assert "5 vectorised steps" in repr(prog)


# -- parameters are read live ---------------------------------------------------------------------


def test_parameters_updated_between_batches_are_picked_up():
    layers = hand_mlp([3, 4, 1], seed=3)
    xs = [Value(0.0) for _ in range(3)]
    prog = engine.compile_replay(run_mlp(layers, xs, Value.tanh)[0], inputs=xs)
    X = np.random.default_rng(4).normal(size=(10, 3))
    before = prog.forward(X)
    prog.backward()
    for p in prog.parameters:  # an SGD step, as an optimizer would take it
        p.data -= 0.1 * p.grad
        p.grad = 0.0
    after = prog.forward(X)
    prog.backward()
    expected, grads = scalar_batch(lambda v: run_mlp(layers, v, Value.tanh)[0],
                                   prog.parameters, X)
    assert not np.allclose(before, after)
    assert_close_scaled(after, expected[:, 0])
    # scalar_batch zeroed the grads the replay had written; run the replay's backward again
    prog.backward()
    assert len(grads) == 3 * 4 + 4 + 4 + 1
    assert_close_scaled([p.grad for p in grads], list(grads.values()))


def test_backward_accumulates_and_takes_a_seed():
    w = Value(2.0, label="w")
    x = Value(0.0, label="x")
    prog = engine.compile_replay((w * x).tanh(), inputs=[x])
    X = np.array([[0.5], [-1.0], [2.0]])
    out = prog.forward(X)
    assert_close_scaled(out, np.tanh(2.0 * X[:, 0]))
    seed = np.array([1.0, 0.5, -2.0])
    prog.backward(seed)
    prog.backward(seed)  # PyTorch semantics: a second call adds the same again
    by_hand = 2 * np.sum(seed * (1 - np.tanh(2.0 * X[:, 0]) ** 2) * X[:, 0])
    assert w.grad == pytest.approx(by_hand, rel=1e-13)
    assert x.grad == 0.0  # inputs get no gradient


def test_an_output_that_is_a_leaf_or_listed_twice():
    w, x = Value(3.0), Value(0.0)
    n = x * w
    prog = engine.compile_replay([w, x, n, n], inputs=[x])
    out = prog.forward(np.array([[1.0], [2.0]]))
    np.testing.assert_array_equal(out, [[3.0, 1.0, 3.0, 3.0], [3.0, 2.0, 6.0, 6.0]])
    prog.backward()
    # Σ_b d(w + x + 2 x w)/dw over x = 1, 2: 2 samples × 1, plus 2 × (1 + 2)
    assert w.grad == 2 * 1 + 2 * (1 + 2)


# -- bad input ------------------------------------------------------------------------------------


def small_program():
    w = Value(0.5, label="w")
    x, y = Value(1.0, label="x"), Value(1.0, label="y")
    t = w * x + y
    t.label = "t"
    return engine.compile_replay(t.log(), inputs=[x, y]), w, t


def test_x_with_the_wrong_shape_or_values_is_refused():
    prog, _, _ = small_program()
    with pytest.raises(ReplayError, match=r"shape \(B, 2\).*\['x', 'y'\].*got shape \(4, 3\)"):
        prog.forward(np.ones((4, 3)))
    with pytest.raises(ReplayError, match=r"got shape \(2,\)"):
        prog.forward([1.0, 2.0])
    with pytest.raises(ReplayError, match=r"got shape \(0, 2\)"):
        prog.forward(np.ones((0, 2)))
    with pytest.raises(ReplayError, match=r"nan at row 1, column 1 \(input 'y'\)"):
        prog.forward([[1.0, 1.0], [1.0, math.nan]])
    with pytest.raises(ReplayError, match="array of numbers"):
        prog.forward([["a", "b"]])


def test_a_domain_error_names_the_gate_the_node_and_the_sample():
    prog, w, t = small_program()
    X = np.array([[1.0, 1.0], [2.0, 0.0], [1.0, -3.0], [2.0, -4.0]])
    with pytest.raises(ValueError, match=r"log gate: input must be > 0; got a = -2\.5 "
                                         r"\(node 't'\) in sample 2 of the batch \(row 2 of "
                                         r"X\); the gate makes node 'f'"):
        prog.forward(X)
    with pytest.raises(ReplayError, match="successful forward"):
        prog.backward()  # the failed batch left nothing to differentiate
    assert w.data == 0.5 and w.grad == 0.0  # the graph is intact
    assert_close_scaled(prog.forward(X[:2]), np.log(0.5 * X[:2, 0] + X[:2, 1]))


@pytest.mark.parametrize("build,X,error,message", [
    (lambda x: 1.0 / x, [[2.0], [0.0]], ZeroDivisionError, r"div gate: division by zero.*sample 1"),
    (lambda x: x.exp(), [[800.0]], OverflowError, r"exp gate at node .* gave inf in sample 0"),
    (lambda x: x ** 0.5, [[4.0], [-4.0]], ValueError, r"pow gate with p = 0\.5: a negative base"),
    (lambda x: x ** 3, [[1.0], [1e200]], OverflowError,
     r"pow gate at node 'f' gave inf in sample 1"),
    (lambda x: x * x * x, [[1e200]], OverflowError, r"mul gate at node 's0' gave inf"),
])
def test_bad_values_inside_a_batch_raise_clear_errors(build, X, error, message):
    x = Value(1.0)
    prog = engine.compile_replay(build(x), inputs=[x])
    with pytest.raises(error, match=message):
        prog.forward(np.array(X))


def test_a_non_finite_parameter_is_refused():
    w, x = Value(1.0, label="w"), Value(0.0)
    prog = engine.compile_replay(w * x, inputs=[x])
    w.data = math.inf
    with pytest.raises(ReplayError, match=r"parameter 'w' is not finite"):
        prog.forward([[1.0]])


def test_a_graph_edited_after_compile_is_detected():
    prog, w, t = small_program()
    prog.forward([[1.0, 1.0]])
    inner = t._prev[0]  # w * x, folded into the sum
    inner._prev = (w, w)
    with pytest.raises(ReplayError, match="changed after compile.*compile it again"):
        prog.forward([[1.0, 1.0]])
    inner._prev = (w, prog.inputs[0])  # put back (a new but equal tuple): nothing changed
    assert prog.forward([[1.0, 1.0]]) == pytest.approx([math.log(1.5)])
    prog2, _, t2 = small_program()
    t2._prev = t2._prev[::-1]
    with pytest.raises(ReplayError, match=r"node 't' has new inputs"):
        prog2.forward([[1.0, 1.0]])


def test_compile_refuses_bad_outputs_inputs_and_seeds():
    x, w = Value(1.0), Value(2.0)
    y = x * w
    with pytest.raises(ReplayError, match="outputs must be a Value"):
        engine.compile_replay([], inputs=[x])
    with pytest.raises(ReplayError, match="outputs must be a Value"):
        engine.compile_replay([y, 3.0], inputs=[x])
    with pytest.raises(ReplayError, match="every input must be a leaf"):
        engine.compile_replay(y, inputs=[y])
    with pytest.raises(ReplayError, match="listed twice"):
        engine.compile_replay(y, inputs=[x, x])
    prog = engine.compile_replay(y, inputs=[x])
    with pytest.raises(ReplayError, match="successful forward"):
        prog.backward()
    prog.forward([[1.0], [2.0]])
    with pytest.raises(ReplayError, match=r"shape \(2,\); got shape \(3,\)"):
        prog.backward(np.ones(3))
    with pytest.raises(ReplayError, match=r"seed must be finite; got nan"):
        prog.backward([1.0, math.nan])


# -- nn's networks and losses, and the digits ------------------------------------------------------


@pytest.mark.parametrize("loss", ["mse", "bce", "hinge", "cross_entropy", "multiclass_hinge"])
def test_nn_mlp_with_each_loss_matches_the_scalar_path(loss):
    import nn

    spec = nn.get_loss(loss)
    k = 4 if spec.classes else 1
    model = nn.MLP(3, [5, 4, k], activation="tanh", seed=7)
    rng = np.random.default_rng(8)
    features = rng.normal(size=(12, 3))
    targets = {"mse": lambda: rng.normal(size=(12, 1)),
               "bce": lambda: rng.integers(0, 2, (12, 1)).astype(float),
               "hinge": lambda: rng.choice([-1.0, 1.0], (12, 1))}.get(
        loss, lambda: np.eye(k)[rng.integers(0, k, 12)])()

    def build(xs):
        return spec.sample(model(xs[:3]), xs[3] if k == 1 else xs[3:])

    prog = check_against_scalar(build, np.hstack([features, targets]))
    assert set(model.parameters()) <= set(prog.parameters)


def test_digits_short_run_through_the_replay():
    """issue 6's data set, shortened: 3 epochs instead of 10 (the full run is in benchmarks/)."""
    from benchmarks.digits import train_digits
    from demos.digits import numpy_accuracy

    result = train_digits(epochs=3)
    # 1797 images split 60/20/20: training, validation (the curves), test (touched once)
    assert (result.train_size, result.val_size, result.test_size) == (1079, 359, 359)
    assert result.test_accuracy >= 0.90  # numpy on the trained weights, independent of the replay
    # nn.fit's validation ran through the replay: the same predictions, so the same accuracy as
    # numpy computes on the same weights and the validation rows
    splits = result.splits
    assert result.history.val_acc[-1] == pytest.approx(
        numpy_accuracy(result.model, splits.X_val, splits.y_val), abs=1e-12)
