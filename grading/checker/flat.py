"""The flat-code form of the CS231n notes: ``forward(w, x)`` and ``backward(w, x)`` by hand.

The student's file writes the notes' neuron ``f = sigmoid(w0*x0 + w1*x1 + w2)`` as staged
code and returns the notes' names: ``forward`` the output ``f`` (a number, or a dict with ``f``
and ``dot``), ``backward`` a dict with ``dx``, ``dw`` (and ``ddot``, df/d dot) or the pair
``(dx, dw)``. At three points (the notes' own first) it is checked against gategrad's graph of
the same neuron, node by node with the same diagnosis as a Value class (the names follow the
notes: ``dot``, ``f``), and against central differences of the student's own forward. A
``dx``/``dw`` swap, the classic slip of this form, is said in so many words.
"""

from __future__ import annotations

import math
from dataclasses import replace

from engine import Value
from words import Text, num

from .battery import neuron_graph
from .builder import Builder, Graph
from .child import FLAT_POINTS
from .compare import close, describe, first_difference, stopped
from .report import FAILED, NOT_ATTEMPTED, PASSED, Finding, PartResult

PARTS = (
    ("flat:forward", Text("forward: dot and f")),
    ("flat:ddot", Text("backward: ddot, the gradient of f at dot")),
    ("flat:dx", Text("backward: dx, the inputs' gradients")),
    ("flat:dw", Text("backward: dw, the weights' gradients")),
    ("flat:numeric", Text("backward against central differences of forward")),
)
SIZES = {"dx": 2, "dw": 3}
NUMERIC_TOLERANCE = 1e-5  # |analytic - numeric| / max(1, |analytic|, |numeric|)


def _reference(w: list[float], x: list[float]) -> Graph:
    builder = Builder(Value, labels=True)
    builder.graph()
    root = neuron_graph(builder, w, x)
    builder.backward(root)
    return builder.graphs[0]


def _snapshot(graph, answer: dict, keys: set[str]) -> list:
    """The student's numbers in the graph's construction order (None where not given):
    leaves w0 x0 w1 x1 w2, then s0 s1 s2 dot f."""
    grads = {}
    if "dw" in keys:
        grads.update({f"w{i}": v for i, v in enumerate(answer["dw"])})
    if "dx" in keys:
        grads.update({f"x{i}": v for i, v in enumerate(answer["dx"])})
    if "ddot" in keys:
        grads["dot"] = answer["ddot"]
    data = {k: answer[k] for k in ("dot", "f") if k in keys and k in answer}
    return [(data.get(n.value.label), grads.get(n.value.label)) for n in graph.nodes]


def _shape(answer: dict, name: str) -> Finding | None:
    """dx must hold 2 numbers (x0, x1) and dw 3 (w0, w1, w2); 3 and 2 is the swap."""
    sizes = {k: len(answer[k]) for k in ("dx", "dw") if k in answer}
    if sizes[name] == SIZES[name]:
        return None
    if sizes == {"dx": 3, "dw": 2}:
        note = Text("dx and dw are swapped: dx holds 3 numbers and dw 2; the neuron has 2 "
                    "inputs (dx) and 3 weights (dw)")
    else:
        note = Text("{name} holds {got} numbers; the neuron has {size}", name=name,
                    got=sizes[name], size=SIZES[name])
    return Finding("shape", node=name, note=note)


def _swapped(answer: dict, graph: Graph) -> bool:
    """dx[i] holds what dw[i] should, and dw[i] what dx[i] should (for the two products)."""
    if len(answer.get("dx", ())) != 2 or len(answer.get("dw", ())) != 3:
        return False
    right = {n.value.label: g for n, (_, g) in zip(graph.nodes, graph.snapshots[0])}
    return all(close(answer["dx"][i], right[f"w{i}"]) and close(answer["dw"][i], right[f"x{i}"])
               for i in range(2)) and not close(right["x0"], right["w0"])


def _part(key: str, answers: list[dict], graphs: list) -> PartResult:
    title = dict(PARTS)[key]
    name = key.split(":")[1]
    if name == "numeric":
        return _numeric(key, title, answers)
    wanted = {"forward": {"f", "dot"}, "ddot": {"ddot"}, "dx": {"dx"}, "dw": {"dw"}}[name]
    if name != "forward" and not any(name in a for a in answers):
        return PartResult(key, title, NOT_ATTEMPTED, Text("backward returns no {name}",
                                                          name=name))
    for (w, x), answer, graph in zip(FLAT_POINTS, answers, graphs):
        point = (Text("at w = {w}, x = {x}", w=w, x=x),)
        if name in ("dx", "dw") and name in answer:
            shape = _shape(answer, name)
            if shape is not None:
                return PartResult(key, title, FAILED, finding=shape, graph=point)
        finding = first_difference(graph, 0, _snapshot(graph, answer, wanted))
        if finding is not None and name in ("dx", "dw") and _from_ddot(answer, name, w, x):
            return PartResult(key, title, FAILED, Text(
                "{name} is right for the ddot backward returns ({ddot}): the mistake is in ddot",
                name=name, ddot=num(answer["ddot"], 6)), graph=point)
        if finding is not None:
            if name in ("dx", "dw") and _swapped(answer, graph):
                finding = replace(finding, note=Text(
                    "dx and dw are swapped: dx holds x·ddot and dw holds w·ddot; the mul gate "
                    "swaps"))
            return PartResult(key, title, FAILED, finding=finding,
                              graph=point + describe(graph.roots[0].value, None))
    return PartResult(key, title, PASSED)


def _from_ddot(answer: dict, name: str, w: list[float], x: list[float]) -> bool:
    """Whether dx (or dw) is what the mul and add gates give from the student's own ddot."""
    if "ddot" not in answer:
        return False
    ddot = answer["ddot"]
    follows = [w[0] * ddot, w[1] * ddot] if name == "dx" else [x[0] * ddot, x[1] * ddot, ddot]
    return len(answer[name]) == len(follows) and all(map(close, answer[name], follows))


def _numeric(key: str, title: Text, answers: list[dict]) -> PartResult:
    """The student's dx, dw against central differences of the student's own forward."""
    for (w, x), answer in zip(FLAT_POINTS, answers):
        for name, numeric in (("dw", answer["nw"]), ("dx", answer["nx"])):
            for i, (got, slope) in enumerate(zip(answer.get(name, ()), numeric)):
                if not (math.isfinite(got) and abs(got - slope)
                        <= NUMERIC_TOLERANCE * max(1.0, abs(got), abs(slope))):
                    return PartResult(key, title, FAILED, Text(
                        "at w = {w}, x = {x}: {name}[{i}] = {got}, but central differences "
                        "of forward give {slope}", w=w, x=x, name=name, i=i, got=num(got, 6),
                        slope=num(slope, 6)))
    if not any("dx" in a or "dw" in a for a in answers):
        return PartResult(key, title, NOT_ATTEMPTED, Text("backward returns no dx or dw"))
    return PartResult(key, title, PASSED)


def grade_flat(answer: dict) -> tuple[PartResult, ...]:
    """Every flat part from the child's one answer (``points``, or why it stopped)."""
    if answer["status"] != "done":
        reason = stopped(answer)
        return tuple(PartResult(key, title, FAILED, reason) for key, title in PARTS)
    graphs = [_reference(w, x) for w, x in FLAT_POINTS]
    return tuple(_part(key, answer["points"], graphs) for key, _title in PARTS)
