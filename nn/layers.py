"""Neuron, Layer, MLP: micrograd's classes, with labels, error terms and a choice of
activation and initialisation.

A neuron computes ``s = b + w1*x1 + ... + wn*xn`` (its pre-activation, one chained sum of
engine gates) and ``a = σ(s)``. Every parameter and every ``s`` and ``a`` is labelled with the
naming protocol (``L{i}.N{j}.w{k}``, ``L{i}.N{j}.b``, ``L{i}.N{j}.s``, ``L{i}.N{j}.a``; all
1-based), so a diagram of the network reads like the lecture notes. After ``backward()`` the
neuron's error term is ``δ = dL/ds = neuron.delta``.

After a batch (several samples through the model, one loss, one backward) each neuron has one
δ per sample: ``model.deltas(per_sample=True)`` gives them, sample by sample, and ``delta`` /
``deltas()`` refuse rather than give the last sample's. A neuron remembers each sample's ``s``
weakly (``weakref``): a sample counts while its graph is alive, and the record keeps nothing
alive.
"""

from __future__ import annotations

import itertools
import math
import weakref
from collections.abc import Callable, Sequence
from numbers import Real

from engine import Value

from .init import Init, Rng, get_init, make_rng
from .labels import neuron_key
from .module import Module

# Activation name -> the gate applied to s (None: linear, a = s).
ACTIVATIONS: dict[str, Callable[[Value], Value] | None] = {
    "relu": Value.relu,
    "tanh": Value.tanh,
    "sigmoid": Value.sigmoid,
    "linear": None,
}
_DISPLAY = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid", "linear": "Linear"}
_samples = itertools.count()  # one number per forward pass: a sample of the model, or a neuron's


def _activation(activation: str, nonlin: bool | None, where: str) -> str:
    if nonlin is not None:  # micrograd's Neuron(nin, nonlin=True/False)
        return "relu" if nonlin else "linear"
    if activation not in ACTIVATIONS:
        raise ValueError(
            f"{where}: unknown activation {activation!r}; choose one of "
            f"{', '.join(ACTIVATIONS)}")
    return activation


def _count(n: int, what: str, where: str) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"{where}: {what} must be a positive integer, got {n!r}")
    return n


def as_inputs(x, labels: Sequence[str], where: str) -> list[Value]:
    """One sample's inputs as Values: numbers become leaves labelled x1..xn, Values pass.

    ``where`` names the layer in the error messages (wrong length, non-numeric, non-finite).
    """
    n = len(labels)
    if isinstance(x, (str, bytes)) or not hasattr(x, "__len__"):
        raise TypeError(f"{where} expects a list of {n} inputs (numbers or Values), "
                        f"got {type(x).__name__} {x!r:.60}")
    if len(x) != n:
        batch = " (one sample at a time: [model(x) for x in X])" if len(x) and hasattr(
            x[0], "__len__") else ""
        raise ValueError(f"{where} expects {n} inputs, got {len(x)}{batch}")
    out = []
    for xi, label in zip(x, labels):
        if isinstance(xi, Value):
            out.append(xi)
        elif isinstance(xi, Real):
            v = float(xi)
            if not math.isfinite(v):
                raise ValueError(f"{where}: input {label} must be finite, got {v}")
            out.append(Value(v, label=label))
        else:
            raise TypeError(f"{where}: input {label} must be a number or a Value, "
                            f"got {type(xi).__name__} {xi!r:.60}")
    return out


class Neuron(Module):
    """``a = σ(b + Σ_k w_k x_k)``: one neuron with ``nin`` weights and a bias.

    ``activation`` is relu (micrograd's default), tanh, sigmoid or linear; micrograd's
    ``nonlin=True/False`` is accepted too. Weights come from ``init`` (default micrograd's
    U(-1, 1)) drawn from ``rng`` or ``seed``; the bias starts at 0. ``name`` prefixes the labels
    (a Layer passes ``L1.N3``; a lone neuron has ``w1 .. wn, b, s, a``).
    """

    def __init__(self, nin: int, activation: str = "relu", *, init: str | Init = "uniform",
                 rng: Rng | None = None, seed: int | None = None, fan_out: int = 1,
                 name: str = "", nonlin: bool | None = None):
        where = f"Neuron {name}" if name else "Neuron"
        nin = _count(nin, "nin", where)
        self.activation = _activation(activation, nonlin, where)
        draw, rng = get_init(init), make_rng(rng, seed)
        prefix = f"{name}." if name else ""
        self.name = name
        self.w = [Value(draw(rng, nin, fan_out), label=f"{prefix}w{k}") for k in range(1, nin + 1)]
        self.b = Value(0.0, label=f"{prefix}b")
        self._act = ACTIVATIONS[self.activation]
        self._s_label, self._a_label = f"{prefix}s", f"{prefix}a"
        self._input_labels = [f"x{k}" for k in range(1, nin + 1)]
        self.s: Value | None = None  # pre-activation of the last forward pass
        self.a: Value | None = None  # activation of the last forward pass
        self._seen: dict[int, weakref.ref] = {}  # sample number -> its s, while alive
        self._prune_at = 64

    @property
    def nin(self) -> int:
        return len(self.w)

    nout = 1  # one output, as fit() and predict() read it

    @property
    def nonlin(self) -> bool:
        """micrograd's flag: True unless the neuron is linear."""
        return self.activation != "linear"

    def __call__(self, x) -> Value:
        return self._forward(as_inputs(x, self._input_labels, repr(self)), next(_samples))

    def _forward(self, x: list[Value], sample: int) -> Value:
        s = self.b
        for w, xi in zip(self.w, x):
            s = s + w * xi
        s.label = self._s_label
        if self._act is None:
            a = s
        else:
            a = self._act(s)
            a.label = self._a_label
        self.s, self.a = s, a
        if len(self._seen) >= self._prune_at:  # forget samples whose graphs are gone
            self._seen = {k: r for k, r in self._seen.items() if r() is not None}
            self._prune_at = max(64, 2 * len(self._seen))
        self._seen[sample] = weakref.ref(s)
        return a

    def samples(self) -> dict[int, Value]:
        """Each live sample's pre-activation ``s``, by sample number, oldest first."""
        return {k: s for k, r in self._seen.items() if (s := r()) is not None}

    @property
    def delta(self) -> float:
        """The error term δ = dL/ds of the one sample (``s.grad``, after backward); after a
        batch, an error: each sample has its own (``sample_deltas``)."""
        if self.s is None:
            raise RuntimeError(f"{self!r} has no error term yet: call it on an input, "
                               "then call backward() on the loss")
        count = len(self.samples())
        if count > 1:
            raise RuntimeError(
                f"{self.name or repr(self)} has {count} samples' error terms (a batch, or "
                f"earlier samples whose graphs are still held, say in a list of losses): δ = "
                f"dL/ds is one per sample. Read model.deltas(per_sample=True) or "
                f"neuron.sample_deltas")
        return self.s.grad

    @property
    def sample_deltas(self) -> list[float]:
        """δ = dL/ds for each live sample, oldest first (after backward)."""
        return [s.grad for s in self.samples().values()]

    def parameters(self) -> list[Value]:
        return self.w + [self.b]

    def __repr__(self) -> str:
        return f"{_DISPLAY[self.activation]}Neuron({len(self.w)})"


class Layer(Module):
    """``nout`` neurons reading the same ``nin`` inputs; ``index`` (1-based) names it ``L{index}``.

    Called directly it returns a bare Value when it has one neuron (micrograd's convention: a
    layer called alone is the whole model). Inside an MLP only the model's last output is
    unwrapped, so hidden layers of width 1 work.
    """

    def __init__(self, nin: int, nout: int, activation: str = "relu", *,
                 init: str | Init = "uniform", rng: Rng | None = None, seed: int | None = None,
                 index: int = 1, nonlin: bool | None = None):
        self.name = f"L{index}"
        where = f"Layer {self.name}"
        nin, nout = _count(nin, "nin", where), _count(nout, "nout", where)
        self.activation = _activation(activation, nonlin, where)
        rng = make_rng(rng, seed)
        self.neurons = [Neuron(nin, self.activation, init=init, rng=rng, fan_out=nout,
                               name=neuron_key(index, j)) for j in range(1, nout + 1)]
        self._input_labels = [f"x{k}" for k in range(1, nin + 1)]

    @property
    def nin(self) -> int:
        return len(self._input_labels)

    @property
    def nout(self) -> int:
        return len(self.neurons)

    def __call__(self, x) -> Value | list[Value]:
        out = self._forward(as_inputs(x, self._input_labels, self._where()), next(_samples))
        return out[0] if len(out) == 1 else out

    def _forward(self, x: list[Value], sample: int) -> list[Value]:
        return [n._forward(x, sample) for n in self.neurons]

    def _where(self) -> str:
        return (f"layer {self.name} ({len(self.neurons)} {self.activation} neurons, "
                f"{self.nin} inputs each)")

    def deltas(self, per_sample: bool = False) -> list[float] | list[list[float]]:
        """δ = dL/ds for each neuron of the layer, after backward; after a batch an error,
        unless ``per_sample=True``: then ``[sample][neuron]``."""
        if per_sample:
            return per_sample_deltas(self.neurons)
        return [n.delta for n in self.neurons]

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """micrograd's multi-layer perceptron: ``MLP(nin, nouts)``, e.g. ``MLP(2, [16, 16, 1])``.

    Hidden layers use ``activation`` (default relu, as micrograd); the last layer uses
    ``output_activation`` (default linear: raw scores, as micrograd, which the losses expect).
    ``model(x)`` takes one sample (a list of numbers or Values) and returns a bare Value when the
    last layer has one neuron, else a list of Values.
    """

    def __init__(self, nin: int, nouts: Sequence[int], activation: str = "relu", *,
                 output_activation: str = "linear", init: str | Init = "uniform",
                 rng: Rng | None = None, seed: int | None = None):
        nin = _count(nin, "nin", "MLP")
        if isinstance(nouts, int) or not nouts:
            raise ValueError(f"MLP: nouts must be a non-empty list of layer sizes, e.g. [16, 1], "
                             f"got {nouts!r}")
        rng = make_rng(rng, seed)
        sizes = [nin, *nouts]
        last = len(nouts) - 1
        self.layers = [
            Layer(sizes[i], sizes[i + 1], activation if i < last else output_activation,
                  init=init, rng=rng, index=i + 1)
            for i in range(len(nouts))
        ]

    @property
    def nin(self) -> int:
        return self.layers[0].nin

    @property
    def nout(self) -> int:
        return self.layers[-1].nout

    def __call__(self, x) -> Value | list[Value]:
        first = self.layers[0]
        x = as_inputs(x, first._input_labels, f"MLP {first._where()}")
        sample = next(_samples)
        for layer in self.layers:
            x = layer._forward(x, sample)
        return x[0] if len(x) == 1 else x

    def deltas(self, per_sample: bool = False) -> list:
        """δ = dL/ds per layer, per neuron, after backward. After a batch (several samples,
        one backward) δ is one per sample: an error, unless ``per_sample=True``, which gives
        ``[sample][layer][neuron]``, never the last sample's alone."""
        if not per_sample:
            return [layer.deltas() for layer in self.layers]
        flat = per_sample_deltas([n for layer in self.layers for n in layer.neurons])
        sizes = list(itertools.accumulate([layer.nout for layer in self.layers], initial=0))
        return [[row[a:b] for a, b in zip(sizes, sizes[1:])] for row in flat]

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"


def per_sample_deltas(neurons: Sequence[Neuron]) -> list[list[float]]:
    """``[sample][neuron]``: each live sample's δ for these neurons, samples in order. A neuron
    whose ``s`` of a sample is gone (not in any live graph: no loss depends on it) has δ 0."""
    live = [n.samples() for n in neurons]
    return [[s[k].grad if k in s else 0.0 for s in live] for k in sorted(set().union(*live))]
