"""Which leaves the update step moves: every leaf that is not a data input (nor a constant).

A lesson's leaves are of three kinds. Data inputs and targets (``x0``, ``y``) are given: the
update step leaves them alone. Constants (unlabelled numbers in a formula, the 2 in ``2 * x``)
are part of the formula. Every other leaf is a parameter, and w ← w − η·grad moves it: in the
notes' exercise 1 that is w0, w1 and b, and v and c too.

Data inputs are chosen by name (``stepper(f, inputs=["x0", "x1"])``, ``gategrad stepper ...
--inputs x0 x1``); by default they are the leaves an nn model does not own (in a graph with
nn's ``L1.N2.w1`` labels), else the leaves named like the notes' data, ``x...`` and ``y...``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from engine import Value
from nn.labels import parse_label

from ..graph import Graph

DATA_PREFIXES = ("x", "y")  # the notes' names for inputs and targets


@dataclass(frozen=True)
class LeafRoles:
    """Node indices (in the graph's order) of the data inputs and of the parameters."""

    inputs: list[int]
    params: list[int]


def _nn_order(n: Value) -> tuple:
    """L1.N1.w1, L1.N1.w2, L1.N1.b, L1.N2.w1, ...: layer, neuron, weights before the bias."""
    label = parse_label(n.label)
    part = label.part
    return (label.layer, label.neuron, int(part[1:]) if part[1:].isdigit() else 10**9)


def _owned_by_nn(n: Value) -> bool:
    label = parse_label(n.label)
    return label is not None and label.part[0] in "wb"


def _chosen_inputs(graph: Graph, leaves: list[Value], inputs) -> set[Value]:
    """The leaves ``inputs`` names (a name may name several leaves: one per sample)."""
    if isinstance(inputs, (str, Value)):
        inputs = [inputs]
    chosen: set[Value] = set()
    known = sorted({graph.names[n] for n in leaves})
    for item in inputs:
        if isinstance(item, Value):
            if item not in leaves:
                raise ValueError(f"stepper inputs: {item!r} is not a leaf of this graph")
            chosen.add(item)
            continue
        if not isinstance(item, str):
            raise TypeError(f"stepper inputs: give leaf names or Values, got "
                            f"{type(item).__name__} {item!r:.40}")
        named = [n for n in leaves if graph.names[n] == item]
        if not named:
            raise ValueError(f"stepper inputs: no leaf is named {item!r}; the leaves are "
                             f"{', '.join(known)}")
        chosen.update(named)
    return chosen


def leaf_roles(graph: Graph, inputs: Iterable[str | Value] | None = None,
               params: Iterable[Value] | None = None) -> LeafRoles:
    """The data inputs and the parameters of ``graph`` (see the module's docstring).

    ``params`` (Values), when given, are exactly the leaves the update step moves (and no
    data input may be among them); ``inputs`` (names or Values) the data inputs."""
    index = {n: k for k, n in enumerate(graph.order)}
    leaves = [n for n in graph.order if not n._prev]
    labelled = [n for n in leaves if n.label]
    nn_params = sorted((n for n in leaves if _owned_by_nn(n)), key=_nn_order)
    if inputs is not None:
        data = _chosen_inputs(graph, leaves, inputs)
    elif nn_params:
        data = {n for n in labelled if not _owned_by_nn(n)}
    else:
        data = {n for n in labelled if graph.names[n].startswith(DATA_PREFIXES)}
    if params is not None:
        moved = list(params)
        for p in moved:
            if p not in index or p._prev:
                raise ValueError(f"stepper: params must be leaves of this graph, got {p!r}")
            if p in data:
                raise ValueError(f"stepper: {graph.names[p]} is both a data input and a "
                                 "parameter; name it in inputs or in params, not both")
    else:
        others = [n for n in labelled if not _owned_by_nn(n)]  # nn's own first, in order
        moved = [n for n in nn_params + others if n not in data]
        if not moved and inputs is None:  # x*x + x: gradient descent on x itself
            moved, data = labelled, set()
    return LeafRoles([index[n] for n in leaves if n in data], [index[n] for n in moved])
