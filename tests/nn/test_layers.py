"""Neuron, Layer, MLP: micrograd's conventions, labels, activations and gradients vs torch,
the error terms δ and the backprop recursion, initialisation, bad input."""

import math
import random

import micrograd.nn as mg
import numpy as np
import pytest
import torch

from engine import Value
from nn import MLP, Layer, Neuron, cross_entropy, mse
from tests.close import assert_close
from tests.nn.twin import TorchTwin

SIGMA_PRIME = {  # σ'(s) from s alone, written out by hand
    "relu": lambda s: 1.0 if s > 0 else 0.0,
    "tanh": lambda s: 1.0 - math.tanh(s) ** 2,
    "sigmoid": lambda s: (1 / (1 + math.exp(-s))) * (1 - 1 / (1 + math.exp(-s))),
    "linear": lambda s: 1.0,
}


# -- micrograd compatibility -----------------------------------------------------------------


def test_same_weights_and_outputs_as_micrograd_from_the_same_seed():
    random.seed(1337)
    ours = MLP(2, [16, 16, 1])
    random.seed(1337)
    theirs = mg.MLP(2, [16, 16, 1])
    assert [p.data for p in ours.parameters()] == [p.data for p in theirs.parameters()]
    for x in ([0.5, -1.5], [2.0, 0.25]):
        out = ours(x)
        assert isinstance(out, Value)
        assert out.data == pytest.approx(theirs(x).data, rel=1e-15)


def test_seed_argument_equals_seeding_the_random_module():
    random.seed(7)
    a = MLP(3, [4, 2])
    b = MLP(3, [4, 2], seed=7)
    c = MLP(3, [4, 2], rng=random.Random(7))
    assert [p.data for p in a.parameters()] == [p.data for p in b.parameters()] \
        == [p.data for p in c.parameters()]
    assert [p.data for p in MLP(3, [4, 2], seed=8).parameters()] != \
        [p.data for p in b.parameters()]


def test_numpy_generator_is_accepted_and_reproducible():
    a = MLP(2, [3, 1], init="he", rng=np.random.default_rng(5))
    b = MLP(2, [3, 1], init="he", rng=np.random.default_rng(5))
    assert [p.data for p in a.parameters()] == [p.data for p in b.parameters()]


def test_micrograd_nonlin_flag_and_repr():
    assert Neuron(3, nonlin=False).activation == "linear"
    assert Neuron(3, nonlin=True).nonlin
    model = MLP(2, [3, 1])
    assert repr(model) == ("MLP of [Layer of [ReLUNeuron(2), ReLUNeuron(2), ReLUNeuron(2)], "
                           "Layer of [LinearNeuron(3)]]")
    assert len(model.parameters()) == 3 * 3 + 4


def test_output_is_a_bare_value_only_for_one_output_and_hidden_width_one_works():
    model = MLP(2, [1, 1, 3], seed=0)  # hidden layers of width 1 (micrograd's bug)
    out = model([1.0, 2.0])
    assert isinstance(out, list) and len(out) == 3
    single = MLP(2, [1, 1], seed=0)([1.0, 2.0])
    assert isinstance(single, Value)
    # A hidden layer of width 1 carries its one activation on: recompute by hand.
    m = MLP(2, [1, 1], seed=3)
    (n1,), (n2,) = m.layers[0].neurons, m.layers[1].neurons
    h = max(0.0, n1.w[0].data * 1.0 + n1.w[1].data * 2.0 + n1.b.data)
    assert m([1.0, 2.0]).data == pytest.approx(n2.w[0].data * h + n2.b.data, rel=1e-15)
    # A layer called alone is the whole model: one neuron -> a bare Value.
    assert isinstance(Layer(2, 1)([1.0, 2.0]), Value)
    assert isinstance(Layer(2, 2)([1.0, 2.0]), list)


def test_inputs_may_be_values_numbers_or_numpy_rows():
    model = MLP(2, [2, 1], seed=1)
    x = [Value(0.5, label="x1"), Value(-1.0, label="x2")]
    a = model(x).data
    assert model([0.5, -1.0]).data == a
    assert model(np.array([0.5, -1.0])).data == a
    assert model([np.float32(0.5), -1]).data == a


# -- labels: the naming protocol ---------------------------------------------------------------


def test_labels_follow_the_naming_protocol():
    model = MLP(3, [2, 1], activation="tanh", seed=0)
    names = [name for name, _ in model.named_parameters()]
    assert names[:4] == ["L1.N1.w1", "L1.N1.w2", "L1.N1.w3", "L1.N1.b"]
    assert names[-3:] == ["L2.N1.w1", "L2.N1.w2", "L2.N1.b"]
    out = model([1.0, 2.0, 3.0])
    n = model.layers[0].neurons[1]
    assert (n.s.label, n.a.label) == ("L1.N2.s", "L1.N2.a")
    assert n.s.op == "add" and n.a.op == "tanh" and n.a._prev == (n.s,)
    # The linear output neuron: s and a are one node, labelled .s
    assert out.label == "L2.N1.s" and model.layers[1].neurons[0].a is out
    # Inputs given as numbers become leaves x1..xn, fed to every first-layer neuron.
    products = [v for v in n.s._prev[1]._prev]
    assert {v.label for v in products} >= {"x3", "L1.N2.w3"}
    lone = Neuron(2, "sigmoid", seed=0)
    lone([1.0, 1.0])
    assert [p.label for p in lone.parameters()] == ["w1", "w2", "b"]
    assert (lone.s.label, lone.a.label) == ("s", "a")


def test_state_dict_round_trip_and_zero_grad():
    model = MLP(2, [3, 1], seed=0)
    state = model.state_dict()
    for p in model.parameters():
        p.data += 1.0
        p.grad = 5.0
    model.load_state_dict(state)
    model.zero_grad()
    assert model.state_dict() == state
    assert all(p.grad == 0.0 for p in model.parameters())
    with pytest.raises(KeyError, match="missing"):
        model.load_state_dict({"L1.N1.w1": 0.0})


# -- every activation, the loss and all gradients vs torch -------------------------------------


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "linear"])
@pytest.mark.parametrize("output_activation", ["linear", "sigmoid"])
def test_mlp_loss_and_every_gradient_equal_torch(activation, output_activation):
    model = MLP(3, [5, 4, 2], activation=activation, output_activation=output_activation,
                seed=11)
    twin = TorchTwin(model)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(6, 3))
    Y = rng.normal(size=(6, 2))
    loss = mse([model(x) for x in X.tolist()], Y.tolist())
    loss.backward()
    t_loss = torch.nn.functional.mse_loss(twin(X), torch.tensor(Y))
    t_loss.backward()
    assert_close([loss.data], [t_loss.item()], what="loss")
    assert_close([p.grad for p in model.parameters()], twin.flat(grads=True), what="grads")


def test_mlp_outputs_equal_torch_for_each_activation():
    for activation in ["relu", "tanh", "sigmoid", "linear"]:
        model = MLP(2, [4, 3], activation=activation, output_activation=activation, seed=2)
        twin = TorchTwin(model)
        X = np.random.default_rng(1).normal(size=(5, 2)) * 2
        ours = [v.data for x in X.tolist() for v in model(x)]
        assert_close(ours, twin(X).detach().flatten().tolist(), what=activation)


# -- error terms δ ---------------------------------------------------------------------------


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_delta_recursion_holds_after_backward(activation):
    """δ_j = σ'(s_j) · Σ_k w_kj δ_k for every hidden neuron j (k runs over the next layer),
    with σ'(s_j) written out by hand; the output δ equals torch's dL/ds."""
    model = MLP(3, [4, 5, 3], activation=activation, seed=4)
    x = [0.3, -0.8, 1.1]
    loss = cross_entropy(model(x), 2)
    loss.backward()
    deltas = model.deltas()
    assert [len(d) for d in deltas] == [4, 5, 3]
    checked = 0
    for layer, nxt, d, d_next in zip(model.layers, model.layers[1:], deltas, deltas[1:]):
        for j, neuron in enumerate(layer.neurons):
            back = sum(k.w[j].data * dk for k, dk in zip(nxt.neurons, d_next))
            expected = SIGMA_PRIME[activation](neuron.s.data) * back
            assert d[j] == pytest.approx(expected, rel=1e-12, abs=1e-15)
            checked += 1
    assert checked == 9
    assert any(abs(v) > 1e-6 for layer in deltas for v in layer)
    # The same δ from torch: the gradient of each pre-activation s.
    twin = TorchTwin(model)
    scores = twin(torch.tensor([x], dtype=torch.float64))
    t_loss = torch.nn.functional.cross_entropy(scores, torch.tensor([2]))
    t_loss.backward()
    for d, s in zip(deltas, twin.s):
        assert_close(d, s.grad[0].tolist(), atol=1e-15, what="delta")


def test_deltas_after_a_batch_are_per_sample_and_match_torch():
    """MLP(4, [5, 3]) over 3 samples, one summed loss, one backward: each sample has its own δ
    (it used to be the last sample's, silently). torch's s.grad, row by row, is the oracle."""
    model = MLP(4, [5, 3], activation="tanh", seed=7)
    X = [[0.5, -1.0, 0.25, 2.0], [-0.7, 0.3, 1.5, -0.2], [1.1, 0.9, -0.4, 0.6]]
    Y = [[0.0, 1.0, -1.0], [1.0, -0.5, 0.5], [-1.0, 0.0, 2.0]]
    loss = sum((o - y) ** 2 for x, ys in zip(X, Y) for o, y in zip(model(x), ys))
    loss.backward()
    with pytest.raises(RuntimeError, match=r"L1\.N1 has 3 samples' error terms .*per_sample=True"):
        model.deltas()
    with pytest.raises(RuntimeError, match="3 samples"):
        _ = model.layers[1].neurons[0].delta
    per_sample = model.deltas(per_sample=True)
    assert [[len(layer) for layer in sample] for sample in per_sample] == [[5, 3]] * 3
    twin = TorchTwin(model)
    t_loss = ((twin(torch.tensor(X, dtype=torch.float64))
               - torch.tensor(Y, dtype=torch.float64)) ** 2).sum()
    t_loss.backward()
    for k, sample in enumerate(per_sample):
        for layer, s in zip(sample, twin.s):
            assert_close(layer, s.grad[k].tolist(), atol=1e-14, what=f"sample {k}")
    # the three samples differ (the old answer, the last one thrice, would not)
    assert per_sample[0] != per_sample[2]
    assert model.layers[0].deltas(per_sample=True) == [sample[0] for sample in per_sample]
    assert model.layers[0].neurons[2].sample_deltas == [s[0][2] for s in per_sample]


def test_one_sample_after_a_batch_is_gone_gives_its_delta_again():
    model = MLP(2, [3, 1], seed=2)
    batch = sum(model(x) for x in ([1.0, 2.0], [0.5, -1.0]))
    batch.backward()
    del batch  # the batch's graphs are gone: their samples no longer count
    loss = model([0.3, 0.4]) * 2.0
    loss.backward()
    assert model.deltas()[1] == [2.0]  # d(2·out)/d out, the output neuron is linear
    assert len(model.deltas(per_sample=True)) == 1


def test_delta_before_any_forward_is_a_clear_error():
    with pytest.raises(RuntimeError, match="no error term yet"):
        _ = Neuron(2).delta


# -- initialisation ----------------------------------------------------------------------------


def test_init_scales():
    n_in, n_out = 50, 30
    uni = Layer(n_in, n_out, init="uniform", seed=0).parameters()
    xav = Layer(n_in, n_out, init="xavier", seed=0).parameters()
    he = Layer(n_in, n_out, activation="relu", init="he", seed=0).parameters()
    weights = lambda ps: np.array([p.data for p in ps if not p.label.endswith(".b")])  # noqa: E731
    assert all(p.data == 0.0 for p in uni if p.label.endswith(".b"))
    assert np.abs(weights(uni)).max() <= 1.0 and np.abs(weights(uni)).max() > 0.99
    bound = math.sqrt(6 / (n_in + n_out))
    assert np.abs(weights(xav)).max() <= bound and np.abs(weights(xav)).max() > 0.95 * bound
    # 1500 draws of N(0, 2/50): the sample std is within 5% of 0.2
    assert weights(he).std() == pytest.approx(math.sqrt(2 / n_in), rel=0.05)
    assert Layer(3, 2, init=lambda rng, fi, fo: 0.5).neurons[1].w[2].data == 0.5


# -- bad input ---------------------------------------------------------------------------------


def test_bad_input_errors_name_the_layer_and_the_shape():
    model = MLP(2, [16, 1])
    with pytest.raises(ValueError, match=r"layer L1 \(16 relu neurons, 2 inputs each\) "
                                         r"expects 2 inputs, got 3"):
        model([1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="input x2 must be a number or a Value, got str"):
        model([1.0, "a"])
    with pytest.raises(TypeError, match="expects a list of 2 inputs"):
        model(3.0)
    with pytest.raises(ValueError, match="input x1 must be finite"):
        model([float("nan"), 1.0])
    with pytest.raises(ValueError, match="one sample at a time"):
        model([[1.0, 2.0]] * 5)
    with pytest.raises(ValueError, match="unknown activation 'softmax'; choose one of relu, "
                                         "tanh, sigmoid, linear"):
        MLP(2, [3, 1], activation="softmax")
    with pytest.raises(ValueError, match="unknown init 'zeros'"):
        MLP(2, [3, 1], init="zeros")
    with pytest.raises(ValueError, match="nouts must be a non-empty list"):
        MLP(2, 3)
    with pytest.raises(ValueError, match="nin must be a positive integer"):
        Neuron(0)
    with pytest.raises(ValueError, match="either rng= or seed="):
        MLP(2, [1], seed=1, rng=random.Random(1))
