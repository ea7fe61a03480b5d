"""A torch float64 twin of an nn.MLP (same weights), the oracle for the nn tests."""

from __future__ import annotations

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
