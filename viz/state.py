"""What one frame shows: which values are known, which gradients, what the current gate sends.

A frame is read from the engine's Step records (``Walk``), never from derivatives computed
here. All frames of one graph share fixed cell sizes (``Widths``), so clicking through them the
picture does not jump.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine import Value
from words import Text, error

from .graph import Graph, Walk
from .markup import DATA, GRAD, cell_words, number, text_width


@dataclass(frozen=True)
class Widths:
    """Fixed cell sizes, in points, that fit every text any frame of one walk shows."""

    cell: int  # the data and grad cells (one column)
    edge: int  # the contribution written on an edge


@dataclass
class State:
    """What one picture shows. ``grads`` None: no grad cells; a missing node: an empty cell."""

    known: set[Value] | None = None  # nodes whose data are shown (None: all)
    grads: dict[Value, float] | None = None
    final: set[Value] = field(default_factory=set)
    current: Value | None = None  # the output of the gate being fired
    contributions: dict[int, float] = field(default_factory=dict)  # input position -> amount
    fresh_data: set[Value] = field(default_factory=set)
    fresh_grads: set[Value] = field(default_factory=set)
    widths: Widths | None = None  # fixed cell sizes (frames), None: natural sizes


def widths(graph: Graph, walk: Walk, digits: int) -> Widths:
    """Cell widths that fit every text any frame of this walk shows, so layouts agree."""
    texts = [f"{word} {number(n.data, digits)}" for word in cell_words(DATA) for n in graph.order]
    grads = [walk.seed] + [i.grad_after for s in walk.backward for i in s.inputs]
    texts += [f"{word} {number(g, digits)}…"  # a partial sum, maybe in bold
              for word in cell_words(GRAD) for g in grads]
    texts += [f"{n.a.op} {number(n.a.data, digits)}" for n in graph.neurons.values() if n.a]
    contributions = [number(i.contribution, digits) for s in walk.backward for i in s.inputs]
    padding = 2 * 5 + 2  # CELLPADDING on both sides and the cell border
    cell = max(text_width(t, bold=True) for t in texts) + padding
    edge = max((text_width(t, bold=True) for t in contributions), default=0.0) + padding
    return Widths(round(cell), round(edge))


def frame_state(graph: Graph, walk: Walk, phase: str, k: int, digits: int) -> State:
    """The state after k steps of ``phase``, read from the walk's records."""
    total = walk.count(phase)
    if isinstance(k, bool) or not isinstance(k, int) or not 0 <= k <= total:
        raise error(ValueError, Text(
            "step={k} is out of range: this graph has {total} {phase} steps, so step runs from 0 "
            "(before the first gate) to {total}", k=repr(k), total=total, phase=Text(phase)))
    state = State(widths=widths(graph, walk, digits))
    if phase == "forward":
        done = walk.forward[:k]
        state.known = {n for n in graph.order if not n._prev} | {s.node for s in done}
        state.grads = {}
        if k:
            state.current = done[-1].node
            state.fresh_data = {state.current}
        return state
    done = walk.backward[:k]
    grads: dict[Value, float] = {walk.root: walk.seed}
    for s in done:
        for i in s.inputs:
            grads[i.node] = i.grad_after
    fired = {s.node for s in done}
    state.grads = grads
    state.final = {n for n in grads if all(c in fired for c in graph.consumers[n])}
    if k:
        step = done[-1]
        state.current = step.node
        state.contributions = {pos: i.contribution for pos, i in enumerate(step.inputs)}
        state.fresh_grads = {i.node for i in step.inputs}
    return state
