"""The bridge from the layer view to the gate view: one neuron's gates, for one sample.

For each layer whose neurons have at most ``GATE_VIEW_INPUTS`` inputs, Python builds the existing
gate page (``viz.page.build_page``, the lesson page of issue 10) for one neuron of that layer,
made by nn's own ``Neuron`` (so its gates are the network's gates). The training page embeds
these pages and, when a class opens a neuron, writes the current numbers into it through the
gate page's own API (``page.edit``): the sample's inputs, the neuron's weights and bias.
The gate page's script and style are allowed by their hashes in the training page's policy,
which a ``srcdoc`` frame inherits. A neuron with more inputs (784 in the notes' first layer) is
not drawn gate by gate: 1,569 gates are read better as the layer view's sums.
"""

from __future__ import annotations

import re

from engine import Value, topological_order
from nn.layers import Neuron
from nn.losses import LossSpec
from words import Text

from ..page import build_page
from .data import layers_of

GATE_VIEW_INPUTS = 32
NETWORK_GATES = 150  # a whole network for one sample, loss included, shown gate by gate first
_CSP = re.compile(r'http-equiv="Content-Security-Policy" content="([^"]+)"')


def gate_pages(model, lang: str) -> tuple[dict[str, str], list[str], list[str]]:
    """({layer number: gate page HTML}, the pages' script hashes, their style hashes)."""
    pages, scripts, styles = {}, [], []
    for k, layer in enumerate(layers_of(model), 1):
        nin = layer.nin
        if nin > GATE_VIEW_INPUTS:
            continue
        neuron = Neuron(nin, layer.activation, seed=0)  # the page writes the real numbers in
        root = neuron([Value(0.0, label=f"x{i}") for i in range(1, nin + 1)])
        html = build_page(root, title=Text("{layer}: one neuron's gates", layer=layer.name),
                          lang=lang)
        csp = _CSP.search(html).group(1)
        scripts += re.findall(r"script-src ('sha256-[^']+')", csp)
        styles += re.findall(r"style-src ('sha256-[^']+')", csp)
        pages[str(k)] = html
    return pages, scripts, styles


def network_page(model, spec: LossSpec, lang: str) -> tuple[str | None, list[str], list[str]]:
    """The gate page of the whole network and its loss for one sample (network mode: each
    neuron a box), when it has at most NETWORK_GATES gates; else (None, [], [])."""
    nin, nout = model.nin, model.nout
    xs = [Value(0.0, label=f"x{k}") for k in range(1, nin + 1)]
    ys = [Value(1.0 if k == 1 else 0.0, label=f"y{k}") for k in range(1, nout + 1)]
    out = model(xs)
    loss = spec.sample(out, ys if (spec.classes or nout > 1) else ys[0])
    loss.label = "L"
    if sum(1 for n in topological_order(loss) if n._prev) > NETWORK_GATES:
        return None, [], []
    html = build_page(loss, title=Text("the whole network, one sample"), lang=lang,
                      network=True)
    csp = _CSP.search(html).group(1)
    return (html, re.findall(r"script-src ('sha256-[^']+')", csp),
            re.findall(r"style-src ('sha256-[^']+')", csp))
