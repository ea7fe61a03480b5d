"""A torch float64 twin of an nn.MLP (same weights), the oracle for the nn tests."""

from __future__ import annotations

import math

import torch

ACT = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid,
       "linear": lambda t: t}


class TorchTwin:
    """The MLP's weights as torch leaf tensors: W[l] is (nout, nin), b[l] is (nout,)."""

    def __init__(self, model):
        self.W, self.b, self.act = [], [], []
        for layer in model.layers:
            self.W.append(torch.tensor([[w.data for w in n.w] for n in layer.neurons],
                                       dtype=torch.float64, requires_grad=True))
            self.b.append(torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64,
                                       requires_grad=True))
            self.act.append(ACT[layer.activation])
        self.s: list[torch.Tensor] = []  # pre-activations of the last forward, grads retained

    def parameters(self) -> list[torch.Tensor]:
        return [t for pair in zip(self.W, self.b) for t in pair]

    def __call__(self, X) -> torch.Tensor:
        h = torch.as_tensor(X, dtype=torch.float64)
        self.s = []
        for W, b, act in zip(self.W, self.b, self.act):
            s = h @ W.T + b
            if s.requires_grad:
                s.retain_grad()
            self.s.append(s)
            h = act(s)
        return h

    def flat(self, grads: bool = False) -> list[float]:
        """Values (or grads) in nn's parameters() order: per neuron its weights, then its bias."""
        out = []
        for W, b in zip(self.W, self.b):
            Wv, bv = (W.grad, b.grad) if grads else (W.detach(), b.detach())
            for j in range(W.shape[0]):
                out += Wv[j].tolist() + [bv[j].item()]
        return out


def assert_close(ours, theirs, rtol: float = 1e-12, atol: float = 1e-15, what: str = ""):
    """Elementwise |a - b| <= rtol · max(|a|, |b|) + atol, with the worst offender reported."""
    ours, theirs = list(ours), list(theirs)
    assert len(ours) == len(theirs), f"{what}: {len(ours)} vs {len(theirs)} values"
    worst, where = 0.0, None
    for i, (a, b) in enumerate(zip(ours, theirs)):
        assert math.isfinite(a) and math.isfinite(b), f"{what}[{i}]: {a} vs {b}"
        excess = abs(a - b) - (rtol * max(abs(a), abs(b)) + atol)
        if excess > worst:
            worst, where = excess, i
    assert where is None, f"{what}[{where}]: {ours[where]!r} vs {theirs[where]!r}"
