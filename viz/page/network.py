"""Network mode's data: the nn neurons of a graph (labels ``L1.N3.w2``) as units of a lesson.

Forward steps go layer by layer, neuron by neuron (then the loss's own gates); backward steps
go through the loss's gates, then, for each layer from the last, its error terms δ and then its
weights' gradients. The page computes every number; this module only says which gates belong
to which step, which sample each node belongs to, and which input each weight multiplies in
each sample.

A loss over several samples calls the model once per sample: every neuron then has one weighted
sum s per sample (all labelled ``L1.N1.s``). A sample is found by its data inputs (the leaves
the first neuron of layer 1 reads besides its weights) and follows every gate computed from
them; the weights and the loss's total belong to no sample.
"""

from __future__ import annotations

from engine import Value
from nn.labels import parse_label

from ..graph import Graph
from .svg import box_id


def _part(n: Value) -> str:
    parsed = parse_label(n.label)
    return parsed.part if parsed is not None else ""


def _ancestor_leaves(n: Value) -> set[Value]:
    seen, todo, leaves = {n}, [n], set()
    while todo:
        for p in todo.pop()._prev:
            if p not in seen:
                seen.add(p)
                if not p._prev:
                    leaves.add(p)
                else:
                    todo.append(p)
    return leaves


def samples_of(graph: Graph) -> tuple[dict[Value, int], int]:
    """Each node's sample (0, 1, ...; absent: shared, like a weight or the loss's total) and
    how many samples there are."""
    first = min(graph.neurons.values(), key=lambda ne: (ne.layer, ne.index))
    sums = [n for n in first.members if _part(n) == "s"]
    sample: dict[Value, int] = {}
    for k, s in enumerate(sums):
        for leaf in _ancestor_leaves(s):
            if not _part(leaf):  # a data input, not a weight or a bias
                sample[leaf] = k
    for n in graph.order:
        found = {sample[p] for p in n._prev if p in sample}
        if len(found) == 1:
            sample[n] = found.pop()
    return sample, len(sums)


def neuron_rows(graph: Graph, index: dict[Value, int], sample: dict[Value, int],
                count: int) -> list[dict] | None:
    """One row per neuron, in the order N1..Nn of each layer, layers in order; None when a
    neuron does not have one weighted sum per sample."""
    rows = []
    for ne in sorted(graph.neurons.values(), key=lambda n: (n.layer, n.index)):
        sums = [n for n in ne.members if _part(n) == "s"]
        if sorted(sample.get(s, -1) for s in sums) != list(range(count)):
            return None
        s_of = {sample[s]: s for s in sums}
        acts = {sample.get(n, -1): n for n in ne.members if _part(n) == "a" and n._prev}
        weights = []
        for w in (m for m in ne.members if not m._prev and _part(m).startswith("w")):
            xs = {}
            for mul in graph.consumers[w]:
                if mul.op == "mul" and mul in sample:
                    xs[sample[mul]] = mul._prev[1] if mul._prev[0] is w else mul._prev[0]
            if len(xs) == count:
                weights.append([index[w], [index[xs[k]] for k in range(count)]])
        bias = [index[m] for m in ne.members if not m._prev and _part(m) == "b"]
        gates = [m for m in ne.members if m._prev]
        act = [acts.get(k) for k in range(count)]
        rows.append({
            "key": ne.key, "layer": ne.layer, "box": box_id(ne.key),
            "s": [index[s_of[k]] for k in range(count)],
            "a": [index[a] if a is not None else -1 for a in act],
            "act": act[0].op if act[0] is not None else "",
            "gates": [index[g] for g in gates],
            "act_gates": [index[a] for a in act if a is not None],
            "sum_gates": [index[g] for g in gates if g not in act],
            "weights": weights, "bias": bias[0] if bias else -1})
    return rows


def network_data(graph: Graph, index: dict[Value, int]) -> dict | None:
    """The ``net`` part of the page's JSON, or None when the graph has no complete neuron."""
    if not graph.neurons:
        return None
    sample, count = samples_of(graph)
    rows = neuron_rows(graph, index, sample, count) if count else None
    if not rows:
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
    sample_of = [sample.get(n, -1) for n in graph.order]
    return {"neurons": rows, "forward": forward, "backward": backward, "layers": layers,
            "samples": count, "sample_of": sample_of}
