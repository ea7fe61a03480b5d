"""Network mode's data: the nn neurons of a graph (labels ``L1.N3.w2``) as units of a lesson.

Forward steps go layer by layer, neuron by neuron (then the loss's own gates); backward steps
go through the loss's gates, then, for each layer from the last, its error terms δ and then its
weights' gradients. The page computes every number; this module only says which gates belong
to which step and which weight multiplies which input.
"""

from __future__ import annotations

from engine import Value
from nn.labels import parse_label

from ..graph import Graph


def _part(n: Value) -> str:
    parsed = parse_label(n.label)
    return parsed.part if parsed is not None else ""


def neuron_rows(graph: Graph, index: dict[Value, int]) -> list[dict]:
    """One row per neuron, in the order N1..Nn of each layer, layers in order."""
    rows = []
    for ne in sorted(graph.neurons.values(), key=lambda n: (n.layer, n.index)):
        act = ne.a if ne.a is not None and ne.a is not ne.s else None
        gates = [m for m in ne.members if m._prev]
        weights = []
        for m in ne.members:
            if m._prev or not _part(m).startswith("w"):
                continue
            mul = next((c for c in graph.consumers[m] if c.op == "mul"), None)
            if mul is not None:
                other = mul._prev[1] if mul._prev[0] is m else mul._prev[0]
                weights.append([index[m], index[other]])
        bias = [index[m] for m in ne.members if not m._prev and _part(m) == "b"]
        rows.append({
            "key": ne.key, "layer": ne.layer, "box": "neuron_" + ne.key.replace(".", "_"),
            "s": index[ne.s] if ne.s is not None else -1,
            "a": index[act] if act is not None else -1, "act": act.op if act is not None else "",
            "gates": [index[g] for g in gates],
            "act_gates": [index[act]] if act is not None else [],
            "sum_gates": [index[g] for g in gates if g is not act],
            "weights": weights, "bias": bias[0] if bias else -1})
    return rows


def network_data(graph: Graph, index: dict[Value, int]) -> dict | None:
    """The ``net`` part of the page's JSON, or None when the graph has no complete neuron."""
    rows = neuron_rows(graph, index)
    if not rows or any(r["s"] < 0 for r in rows):
        return None
    # Gates outside every neuron (the loss) come after the neurons they depend on.
    depth: dict[Value, float] = {}
    for n in graph.order:
        ne = graph.neuron_of.get(n)
        depth[n] = ne.layer if ne is not None else max((depth[p] for p in n._prev), default=0)
    units = [((r["layer"], 0, j), {"neuron": j}) for j, r in enumerate(rows)]
    units += [((depth[n] + 0.5, 1, index[n]), {"gate": index[n]})
              for n in graph.order if n._prev and n not in graph.neuron_of]
    forward = [unit for _, unit in sorted(units, key=lambda pair: pair[0])]
    backward: list[dict] = []
    for unit in reversed(forward):  # the same units backwards, a layer's neurons together
        if "gate" in unit:
            backward.append(unit)
            continue
        layer = rows[unit["neuron"]]["layer"]
        if not any(u.get("layer") == layer for u in backward):
            backward += [{"layer": layer, "kind": "delta"}, {"layer": layer, "kind": "weights"}]
    layers = max(r["layer"] for r in rows)
    return {"neurons": rows, "forward": forward, "backward": backward, "layers": layers}
