"""Module: the parameters of a model, their names and their gradients (as torch.nn.Module)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from numbers import Real

from engine import Value


class Module:
    """Anything with parameters: ``parameters()``, ``named_parameters()``, ``zero_grad()``.

    Parameter names are the parameters' node labels (``L1.N3.w2``), so the names a student
    reads in ``named_parameters()`` are the names a diagram of the graph shows.
    """

    def parameters(self) -> list[Value]:
        return []

    def named_parameters(self) -> list[tuple[str, Value]]:
        """``(name, parameter)`` pairs in ``parameters()`` order, as torch's (a list here)."""
        return [(p.label, p) for p in self.parameters()]

    def zero_grad(self) -> None:
        """Set every parameter's ``.grad`` to 0 (backward adds into it, as in PyTorch)."""
        for p in self.parameters():
            p.grad = 0.0

    def state_dict(self) -> dict[str, float]:
        """The parameters' values by name: a copy to restore later or to load into torch."""
        return {name: p.data for name, p in self.named_parameters()}

    def load_state_dict(self, state: Mapping[str, float]) -> None:
        """Set the parameters' values from ``state_dict()``'s output (names must match)."""
        if not isinstance(state, Mapping):
            raise TypeError(f"load_state_dict: expected a dict of parameter names to numbers, "
                            f"as state_dict() returns, got {type(state).__name__} {state!r:.40}")
        named = dict(self.named_parameters())
        missing = sorted(set(named) - set(state))
        unknown = sorted(set(state) - set(named))
        if missing or unknown:
            raise KeyError(f"load_state_dict: missing {missing[:5]}, unexpected {unknown[:5]}")
        values = {}
        for name in named:  # every value is checked before any parameter changes
            value = state[name]
            if isinstance(value, bool) or not isinstance(value, Real):
                raise TypeError(f"load_state_dict: {name} must be a number, got "
                                f"{type(value).__name__} {value!r:.40}")
            if not math.isfinite(value):
                raise ValueError(f"load_state_dict: {name} must be a finite number, got {value}")
            values[name] = float(value)
        for name, p in named.items():
            p.data = values[name]
