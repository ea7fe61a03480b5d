"""The one label format of nn's nodes: ``L1.N3.w2`` (layer 1, neuron 3, weight 2).

Parts are ``w<k>`` (a weight, k from 1), ``b`` (the bias), ``s`` (the weighted sum) and ``a``
(the activation). nn writes labels with ``label``; viz groups a drawing by neuron with
``parse_label``; both read this module, so the two can never disagree on the format.
"""

from __future__ import annotations

import re
from typing import NamedTuple

LABEL = re.compile(r"L(\d+)\.N(\d+)\.(w\d+|b|s|a)")
PARTS = ("b", "s", "a")  # besides w1, w2, ...


class NeuronLabel(NamedTuple):
    """A parsed label: ``L1.N3.w2`` -> NeuronLabel(layer=1, neuron=3, part="w2")."""

    layer: int
    neuron: int
    part: str

    @property
    def key(self) -> str:
        """The neuron's own name, ``L1.N3``."""
        return neuron_key(self.layer, self.neuron)


def neuron_key(layer: int, neuron: int) -> str:
    """``L1.N3``: the prefix of every label of that neuron."""
    return f"L{layer}.N{neuron}"


def label(layer: int, neuron: int, part: str) -> str:
    """``label(1, 3, "w2")`` -> ``L1.N3.w2``; refuses parts the format does not have."""
    text = f"{neuron_key(layer, neuron)}.{part}"
    if LABEL.fullmatch(text) is None:
        raise ValueError(f"nn label: {text!r} is not of the form L<i>.N<j>.(w<k>|b|s|a)")
    return text


def parse_label(text: str) -> NeuronLabel | None:
    """The parts of an nn label, or None for any other label (an input ``x1``, a loss ``L``)."""
    m = LABEL.fullmatch(text) if isinstance(text, str) else None
    if m is None:
        return None
    return NeuronLabel(int(m.group(1)), int(m.group(2)), m.group(3))
