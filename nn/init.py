"""Weight initialisation, drawn from a random generator the caller can seed.

A lesson is reproducible when every weight comes from one seeded generator, drawn in a fixed
order (layer by layer, neuron by neuron, weight by weight, as micrograd draws them). With no
generator and no seed the module-level ``random`` is used, exactly as micrograd does, so
``random.seed(1337); MLP(2, [16, 16, 1])`` gives micrograd's own weights.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import Any

import numpy as np

# A generator: Python's random.Random (or the random module itself) or a numpy Generator.
Rng = random.Random | np.random.Generator | Any

# An initialiser draws one weight from the generator, knowing the layer's fan-in and fan-out.
Init = Callable[[Rng, int, int], float]


def make_rng(rng: Rng | None = None, seed: int | None = None) -> Rng:
    """The generator to draw from: ``rng`` if given, else ``random.Random(seed)``, else the
    module-level ``random`` (micrograd's behaviour)."""
    if rng is not None and seed is not None:
        raise ValueError("give either rng= or seed=, not both")
    if rng is not None:
        if not (hasattr(rng, "uniform") and (hasattr(rng, "gauss") or hasattr(rng, "normal"))):
            raise TypeError(
                f"rng must be a random.Random or a numpy Generator, got {type(rng).__name__}")
        return rng
    if seed is not None:
        return random.Random(seed)
    return random


def _uniform(rng: Rng, low: float, high: float) -> float:
    return float(rng.uniform(low, high))


def _normal(rng: Rng, std: float) -> float:
    if isinstance(rng, np.random.Generator):
        return float(rng.normal(0.0, std))
    return rng.gauss(0.0, std)


def uniform(rng: Rng, fan_in: int, fan_out: int) -> float:
    """micrograd's default: U(-1, 1), whatever the layer's size."""
    return _uniform(rng, -1.0, 1.0)


def xavier(rng: Rng, fan_in: int, fan_out: int) -> float:
    """Xavier/Glorot uniform: U(-a, a), a = sqrt(6 / (fan_in + fan_out)); keeps the variance
    of activations and gradients about equal across tanh/sigmoid layers (torch's
    nn.init.xavier_uniform_)."""
    a = math.sqrt(6.0 / (fan_in + fan_out))
    return _uniform(rng, -a, a)


def xavier_normal(rng: Rng, fan_in: int, fan_out: int) -> float:
    """Xavier/Glorot normal: N(0, 2 / (fan_in + fan_out)) (torch.nn.init.xavier_normal_)."""
    return _normal(rng, math.sqrt(2.0 / (fan_in + fan_out)))


def he(rng: Rng, fan_in: int, fan_out: int) -> float:
    """He/Kaiming normal: N(0, 2 / fan_in); ReLU zeroes half its inputs, so the variance is
    doubled to keep it constant from layer to layer (torch.nn.init.kaiming_normal_)."""
    return _normal(rng, math.sqrt(2.0 / fan_in))


def he_uniform(rng: Rng, fan_in: int, fan_out: int) -> float:
    """He/Kaiming uniform: U(-a, a), a = sqrt(6 / fan_in) (torch.nn.init.kaiming_uniform_)."""
    a = math.sqrt(6.0 / fan_in)
    return _uniform(rng, -a, a)


INITS: dict[str, Init] = {
    "uniform": uniform,
    "xavier": xavier,
    "glorot": xavier,
    "xavier_normal": xavier_normal,
    "he": he,
    "kaiming": he,
    "he_uniform": he_uniform,
}


def get_init(init: str | Init) -> Init:
    """An initialiser by name (see INITS) or a callable ``f(rng, fan_in, fan_out) -> float``."""
    if callable(init):
        return init
    try:
        return INITS[init]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown init {init!r}; choose one of {', '.join(sorted(INITS))} "
            f"or pass a function f(rng, fan_in, fan_out) -> float") from None
