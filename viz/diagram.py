"""Diagrams of a Value graph, and frames of the graph part-way through forward or backward.

``draw(root)`` returns a ``graphviz.Digraph`` (a ``Diagram``): one record per Value showing
``label | data | grad``, one small node per gate showing its symbol, left to right. Nodes made by
``nn`` (labels ``L1.N2.w1``, ``L1.N2.s``, ...) are grouped in one cluster per layer and per neuron,
and ``collapse=True`` draws each neuron as one box with its s, activation and δ = s.grad.

``draw(root, step=k)`` is a frame: the graph after k backward steps (or, with
``phase="forward"``, after k gates of the forward pass). It is drawn from the engine's Step
records, never from derivatives computed here. The records come from ``engine.record_steps``,
which walks backward from zero gradients and puts every ``.grad`` back afterwards: drawing a
frame leaves the user's graph exactly as it was. All frames of one graph share one layout
(every cell whose text changes has a fixed size), so clicking through them the picture does
not jump.

This module paints. What it paints from lives beside it: the graph model (order, names,
neurons, the size check) in ``viz.graph``, what one frame shows in ``viz.state``, safe text and
table cells in ``viz.markup``.
"""

from __future__ import annotations

from collections.abc import Iterable

from engine import Value
from words import Text, _, check_digits, error, speaking

from .graph import DEFAULT_MAX_NODES, PHASES, Graph, GraphTooLarge, Neuron, Walk
from .markup import (
    BORDER_COLOR,
    CURRENT_FILL,
    DATA,
    FONT,
    FONT_SIZE,
    FRESH_DATA_FILL,
    FRESH_GRAD_FILL,
    GATE_FILL,
    GRAD,
    GRAD_COLOR,
    HIGHLIGHT_FILL,
    LEAF_FILL,
    NODE_FILL,
    UPSTREAM_FILL,
    cell,
    gate_symbol,
    number,
    safe_attribute,
    safe_html,
    table,
)
from .render import Diagram
from .state import State, frame_state

__all__ = ["DEFAULT_MAX_NODES", "PHASES", "GraphTooLarge", "draw", "draw_graph"]

# Where edges enter and leave a collapsed neuron, for each rankdir.
_PORTS = {"LR": ("w", "e"), "RL": ("e", "w"), "TB": ("n", "s"), "BT": ("s", "n")}
RANKDIRS = tuple(_PORTS)


def draw(root: Value, *, rankdir: str = "LR", digits: int | None = None, show_grad: bool = True,
         highlight: Iterable[Value | str] = (), step: int | None = None,
         phase: str = "backward", collapse: bool = False,
         max_nodes: int | None = DEFAULT_MAX_NODES, lang: str | None = None) -> Diagram:
    """The graph of ``root`` as a ``graphviz.Digraph``: Jupyter shows it, ``.render()`` saves it.

    rankdir: "LR" (inputs on the left) or "TB". digits: decimals shown (default
    words.DIGITS). show_grad: False hides the grad cells. highlight: Values (or their
    labels) to tint. step: draw the frame after that many steps of ``phase`` ("backward" or
    "forward"; step=0 is before the first gate). collapse: draw each nn neuron as one box (s,
    activation, δ). max_nodes: past it, raise GraphTooLarge (counted while walking, before
    anything is built) instead of handing dot a graph it would chew on for minutes (None: no
    limit).
    """
    digits = _check_settings(rankdir, digits, phase)
    graph = Graph(root, max_nodes=max_nodes, collapse=collapse)
    walk = Walk(root) if step is not None else None
    return draw_graph(graph, walk, rankdir=rankdir, digits=digits, show_grad=show_grad,
                      highlight=highlight, step=step, phase=phase, collapse=collapse, lang=lang)


def _check_settings(rankdir: str, digits: int | None, phase: str) -> int:
    if rankdir not in RANKDIRS:
        raise error(ValueError, Text("rankdir must be 'LR' or 'TB' (or 'RL', 'BT'), got {value}",
                                     value=repr(rankdir)))
    if phase not in PHASES:
        raise error(ValueError, Text("phase must be 'forward' or 'backward', got {value}",
                                     value=repr(phase)))
    return check_digits(digits)


def draw_graph(graph: Graph, walk: Walk | None, *, rankdir: str, digits: int | None,
               show_grad: bool, highlight: Iterable[Value | str], step: int | None,
               phase: str, collapse: bool, id_prefix: str = "",
               lang: str | None = None) -> Diagram:
    """``draw`` for a Graph (and Walk) already built: frames share them."""
    digits = _check_settings(rankdir, digits, phase)
    if walk is not None:
        state = frame_state(graph, walk, phase, step, digits)  # type: ignore[arg-type]
        if not show_grad:
            state.grads = None
    else:
        state = State(grads={n: n.grad for n in graph.order} if show_grad else None,
                      final=set(graph.order))
    marked = _resolve_highlight(graph, highlight)

    dot = Diagram(name="gategrad", graph_attr={
        "rankdir": rankdir, "fontname": FONT, "bgcolor": "white", "nodesep": "0.3",
        "ranksep": "1.3" if collapse else "0.3", "id": f"{id_prefix}graph"})
    dot.node_attr.update(fontname=FONT, fontsize=str(FONT_SIZE))
    dot.edge_attr.update(fontname=FONT, fontsize=str(FONT_SIZE - 1), color="#424242",
                         arrowsize="0.7")
    with speaking(lang):
        painter = _Painter(graph, state, digits, marked, collapse, rankdir, id_prefix)
        painter.nodes(dot)
        painter.edges(dot)
    return dot


def _resolve_highlight(graph: Graph, highlight: Iterable[Value | str]) -> set[Value]:
    if isinstance(highlight, (Value, str)):
        highlight = [highlight]
    by_name: dict[str, list[Value]] = {}
    for n, name in graph.names.items():
        by_name.setdefault(name, []).append(n)
    marked: set[Value] = set()
    for h in highlight:
        if isinstance(h, Value):
            if h not in graph.names:
                raise ValueError(f"highlight: {h!r} is not a node of this graph")
            marked.add(h)
        elif isinstance(h, str):
            if h not in by_name:
                raise ValueError(f"highlight: no node named {h!r} in this graph")
            marked.update(by_name[h])
        else:
            raise TypeError(f"highlight takes Values or labels, got {type(h).__name__}")
    return marked


class _Painter:
    """Writes the nodes and edges of one picture into a Digraph."""

    def __init__(self, graph: Graph, state: State, digits: int, marked: set[Value],
                 collapse: bool, rankdir: str, id_prefix: str) -> None:
        self.g, self.s, self.digits, self.rankdir = graph, state, digits, rankdir
        self.marked, self.collapse, self.prefix = marked, collapse, id_prefix
        self.fixed = state.widths

    # ids: a value node, the gate that made it, a collapsed neuron
    def vid(self, n: Value) -> str:
        if self.collapse and n in self.g.neuron_of:
            return self.box_id(self.g.neuron_of[n])
        return self.g.ids[n]

    def gid(self, n: Value) -> str:
        return "g" + self.g.ids[n][1:]

    @staticmethod
    def box_id(neuron: Neuron) -> str:
        return "neuron_" + neuron.key.replace(".", "_")

    # -- nodes ---------------------------------------------------------------------------------
    def nodes(self, dot: Diagram) -> None:
        g = self.g
        outside = [n for n in g.order if n not in g.neuron_of]
        for n in outside:
            self.value_node(dot, n)
        layers: dict[int, list[Neuron]] = {}
        for neuron in g.neurons.values():
            layers.setdefault(neuron.layer, []).append(neuron)
        for layer in sorted(layers):
            with dot.subgraph(name=f"cluster_L{layer}") as c:
                c.attr(label=_("layer {name}").format(name=f"L{layer}"),
                       style="rounded,filled", fillcolor="#fafafa", color="#9e9e9e",
                       fontsize=str(FONT_SIZE + 2), fontname=FONT,
                       id=f"{self.prefix}cluster_L{layer}")
                ordered = sorted(layers[layer], key=lambda x: x.index)
                if self.collapse:
                    for neuron in ordered:
                        self.neuron_box(c, neuron)
                    continue
                for neuron in ordered:
                    with c.subgraph(name=f"cluster_{neuron.key}") as cn:
                        cn.attr(label=neuron.key, style="rounded,filled", fillcolor="#ffffff",
                                color="#90a4ae", fontsize=str(FONT_SIZE), fontname=FONT,
                                id=f"{self.prefix}cluster_{neuron.key}")
                        for n in neuron.members:
                            self.value_node(cn, n)

    def value_node(self, dot, n: Value) -> None:
        s, g = self.s, self.g
        leaf = not n._prev
        name_fill = (HIGHLIGHT_FILL if n in self.marked else
                     UPSTREAM_FILL if n is s.current and s.contributions else
                     LEAF_FILL if leaf else NODE_FILL)
        auto_name = not n.label
        # The name on the left, data above grad on the right: half as wide as one row of
        # three cells, which is what a left-to-right graph on a projector is short of.
        rows = [[cell(safe_html(g.short_name(n)), width=None, fill=name_fill, bold=not auto_name,
                       italic=auto_name, rows=1 if s.grads is None else 2), self.data_cell(n)]]
        if s.grads is not None:
            rows.append([self.grad_cell(n)])
        classes = "value leaf" if leaf else "value"
        dot.node(g.ids[n], label=table(rows), shape="plain", tooltip=safe_attribute(g.names[n]),
                 id=self.prefix + g.ids[n], **{"class": classes})
        if not leaf:
            current = n is self.s.current
            dot.node(self.gid(n), label=safe_attribute(gate_symbol(n)),
                     shape="ellipse", style="filled",
                     fillcolor=CURRENT_FILL if current else GATE_FILL,
                     color="#e65100" if current else "#5c6bc0",
                     penwidth="3" if current else "1.2", width="0.45", height="0.35",
                     margin="0.04,0.02", tooltip=safe_attribute(n.op),
                     fontsize=str(FONT_SIZE + 4 if len(gate_symbol(n)) <= 2 else FONT_SIZE),
                     id=self.prefix + self.gid(n),
                     **{"class": "gate current" if current else "gate"})

    def data_cell(self, n: Value) -> str:
        s, width = self.s, self.fixed.cell if self.fixed else None
        shown = s.known is None or n in s.known
        text = f"{_(DATA)} {number(n.data, self.digits)}" if shown else _(DATA)
        return cell(text, width=width, fill=FRESH_DATA_FILL if n in s.fresh_data else None,
                     align="LEFT")

    def grad_cell(self, n: Value) -> str:
        s, width = self.s, self.fixed.cell if self.fixed else None
        fill = FRESH_GRAD_FILL if n in s.fresh_grads else None
        if n not in s.grads:
            return cell(_(GRAD), width=width, fill=fill, color="#9e9e9e", align="LEFT")
        text = f"{_(GRAD)} {number(s.grads[n], self.digits)}"
        partial = n not in s.final
        return cell(text + ("…" if partial else ""), width=width, fill=fill, color=GRAD_COLOR,
                     italic=partial, bold=n in s.fresh_grads, align="LEFT")

    def neuron_box(self, dot, neuron: Neuron) -> None:
        """One box for a whole neuron: its name, s, activation and δ = s.grad."""
        s = self.s
        width = self.fixed.cell if self.fixed else None
        rows = [[cell(neuron.key, width=None, bold=True,
                       fill=CURRENT_FILL if s.current in neuron.members else NODE_FILL)]]
        if neuron.s is not None:
            shown = s.known is None or neuron.s in s.known
            rows.append([cell(f"s {number(neuron.s.data, self.digits)}" if shown else "s",
                               width=width)])
        a = neuron.a
        if a is not None and a is not neuron.s:
            shown = s.known is None or a in s.known
            act = a.op or "a"
            rows.append([cell(f"{act} {number(a.data, self.digits)}" if shown else act,
                               width=width)])
        if s.grads is not None and neuron.s is not None:
            delta = s.grads.get(neuron.s)
            rows.append([cell("δ" if delta is None else f"δ {number(delta, self.digits)}",
                               width=width, color=GRAD_COLOR if delta is not None else "#9e9e9e")])
        current = s.current in neuron.members
        dot.node(self.box_id(neuron), label=table(rows, "#e65100" if current else BORDER_COLOR),
                 shape="plain", tooltip=safe_attribute(neuron.key),
                 id=self.prefix + self.box_id(neuron),
                 **{"class": "neuron current" if current else "neuron"})

    # -- edges ---------------------------------------------------------------------------------
    def ports(self, p: Value, n: Value) -> dict[str, str]:
        """Edges leave a collapsed neuron from its output side and enter at its input side, so
        the wiring between layers does not cross the boxes."""
        if not self.collapse:
            return {}
        inward, outward = _PORTS[self.rankdir]
        attrs = {}
        if p in self.g.neuron_of:
            attrs["tailport"] = outward
        if n in self.g.neuron_of:
            attrs["headport"] = inward
        return attrs

    def edges(self, dot: Diagram) -> None:
        g, s = self.g, self.s
        seen: set[tuple[str, str]] = set()
        for n in g.order:
            if not n._prev:
                continue
            inside = self.collapse and n in g.neuron_of
            target = self.vid(n) if inside else self.gid(n)
            for pos, p in enumerate(n._prev):
                source = self.vid(p)
                attrs = self.ports(p, n)
                if inside:
                    if source == target or (source, target) in seen:
                        continue
                    seen.add((source, target))
                    dot.edge(source, target, **attrs)
                    continue
                hot = n is s.current
                if hot:
                    attrs.update(color=GRAD_COLOR if s.contributions else "#1565c0",
                                 penwidth="2.5")
                if self.fixed is not None:
                    amount = s.contributions.get(pos) if hot else None
                    text = "" if amount is None else number(amount, self.digits)
                    attrs["label"] = table(
                        [[cell(text, width=self.fixed.edge, color=GRAD_COLOR, bold=True)]],
                        cellborder=0)
                dot.edge(source, target, id=f"{self.prefix}e{g.ids[n][1:]}_{pos}", **attrs)
            if not inside:
                dot.edge(self.gid(n), g.ids[n], id=f"{self.prefix}e{g.ids[n][1:]}_out",
                         **({"color": "#1565c0", "penwidth": "2.5"}
                            if n is s.current and not s.contributions else {}))
