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
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import graphviz

from engine import Value, forward_steps, node_names, record_steps, topological_order
from engine.steps import ForwardStep, Step

from .render import Diagram

DEFAULT_MAX_NODES = 2000
PHASES = ("forward", "backward")

# Colours: gradients always in red, the gate being fired in amber, fresh cells tinted.
GRAD_COLOR = "#c62828"
CURRENT_FILL = "#ffb300"
FRESH_GRAD_FILL = "#ffcdd2"
FRESH_DATA_FILL = "#bbdefb"
UPSTREAM_FILL = "#ffe0b2"
HIGHLIGHT_FILL = "#fff176"
GATE_FILL = "#e8eaf6"
LEAF_FILL = "#e8f5e9"
NODE_FILL = "#eeeeee"
BORDER_COLOR = "#616161"
FONT = "Helvetica"
FONT_SIZE = 14
# Helvetica advance widths, in em, of what number cells print (anything else: 0.65 em), for
# fixed cell sizes. Bold adds ~10%; the margin covers fonts a little wider than Helvetica.
_EM = {**dict.fromkeys("0123456789+e", 0.556), ".": 0.278, "-": 0.333, " ": 0.278,
       "d": 0.556, "a": 0.556, "t": 0.278, "g": 0.556, "r": 0.333, "…": 1.0}
_MARGIN = 1.12
_CELL_HEIGHT = FONT_SIZE + 18  # a line of text and the cell padding
BACKSLASH_LOOKALIKE = "⧵"  # U+29F5, for backslashes in tooltips
_MAX_LABEL = 28  # longer labels are cut (the full label is in the node's tooltip)

# Where edges enter and leave a collapsed neuron, for each rankdir.
_PORTS = {"LR": ("w", "e"), "RL": ("e", "w"), "TB": ("n", "s"), "BT": ("s", "n")}

# Typographic forms of the table's ASCII symbols; anything else is shown as the table has it.
_SYMBOLS = {"*": "×", "/": "÷", "-": "−", "**": "^"}


class GraphTooLarge(ValueError):
    """The graph has more nodes than ``max_nodes``: dot would take minutes, nobody could read it."""


# -- naming protocol of nn: L{i}.N{j}.w{k}, .b, .s, .a ----------------------------------------

_NN_LABEL = re.compile(r"L(\d+)\.N(\d+)\.(w\d+|b|s|a)")


@dataclass(eq=False)  # compared and hashed by identity
class _Neuron:
    key: str  # "L1.N2"
    layer: int
    index: int
    members: list[Value] = field(default_factory=list)
    s: Value | None = None
    a: Value | None = None


class _Graph:
    """What every picture of one graph shares: order, names, ids, consumers, neurons."""

    def __init__(self, root: Value) -> None:
        if not isinstance(root, Value):
            raise TypeError(
                f"draw needs the Value at the root of a graph, got {type(root).__name__}")
        self.root = root
        self.order = topological_order(root)
        self.names = node_names(root)
        self.ids = {n: f"n{k}" for k, n in enumerate(self.order)}
        self.consumers: dict[Value, list[Value]] = {n: [] for n in self.order}
        for n in self.order:
            for p in n._prev:
                self.consumers[p].append(n)
        self.neuron_of: dict[Value, _Neuron] = {}
        self.neurons: dict[str, _Neuron] = {}
        self._find_neurons()

    def _find_neurons(self) -> None:
        for n in self.order:
            m = _NN_LABEL.fullmatch(n.label)
            if m is None:
                continue
            key = f"L{m.group(1)}.N{m.group(2)}"
            neuron = self.neurons.setdefault(
                key, _Neuron(key, int(m.group(1)), int(m.group(2))))
            self.neuron_of[n] = neuron
            if m.group(3) in ("s", "a"):
                setattr(neuron, m.group(3), n)
        # An unlabelled gate output belongs to a neuron when everything that uses it does
        # (products w*x and partial sums feeding s). Outputs first, so consumers are decided.
        for n in reversed(self.order):
            if n.label or not n._prev or n is self.root or n in self.neuron_of:
                continue
            owners = {self.neuron_of.get(c) for c in self.consumers[n]}
            if len(owners) == 1 and None not in owners:
                self.neuron_of[n] = owners.pop()
        for n in self.order:
            if n in self.neuron_of:
                self.neuron_of[n].members.append(n)

    def short_name(self, n: Value) -> str:
        """Inside a neuron's cluster ``L1.N2.w1`` reads ``w1``: the cluster title says the rest."""
        name = self.names[n]
        if n in self.neuron_of and _NN_LABEL.fullmatch(n.label):
            return name.rsplit(".", 1)[1]
        return name


# -- recording a walk ---------------------------------------------------------------------------


class Walk:
    """The forward and backward steps of a graph, recorded once for drawing frames.

    The backward steps come from ``engine.record_steps``: one walk from zero gradients that
    puts every ``.grad`` back as it was, so drawing frames never changes the user's graph. The
    frames read only these records (the engine's Step and ForwardStep objects).
    """

    # Backward starts by seeding d root / d root = 1 before the first gate fires.
    seed = 1.0

    def __init__(self, root: Value) -> None:
        self.root = root
        self.forward: list[ForwardStep] = list(forward_steps(root))
        self.backward: list[Step] = record_steps(root)

    def count(self, phase: str) -> int:
        """How many steps the phase has (frames run from 0 to this number)."""
        return len(self.forward) if phase == "forward" else len(self.backward)


@dataclass
class _State:
    """What one picture shows. ``grads`` None: no grad cells; a missing node: an empty cell."""

    known: set[Value] | None = None  # nodes whose data are shown (None: all)
    grads: dict[Value, float] | None = None
    final: set[Value] = field(default_factory=set)
    current: Value | None = None  # the output of the gate being fired
    contributions: dict[int, float] = field(default_factory=dict)  # input position -> amount
    fresh_data: set[Value] = field(default_factory=set)
    fresh_grads: set[Value] = field(default_factory=set)
    widths: _Widths | None = None  # fixed cell sizes (frames), None: natural sizes


@dataclass(frozen=True)
class _Widths:
    cell: int  # the data and grad cells (one column)
    edge: int  # the contribution written on an edge


def _text_width(text: str, bold: bool = False) -> float:
    """The width in points of text in a number cell, a little generous."""
    em = sum(_EM.get(c, 0.65) for c in text) * (1.1 if bold else 1.0)
    return em * FONT_SIZE * _MARGIN


def _widths(graph: _Graph, walk: Walk, digits: int) -> _Widths:
    """Cell widths that fit every text any frame of this walk shows, so layouts agree."""
    texts = [f"data {_fmt(n.data, digits)}" for n in graph.order]
    grads = [walk.seed] + [i.grad_after for s in walk.backward for i in s.inputs]
    texts += [f"grad {_fmt(g, digits)}…" for g in grads]  # a partial sum, maybe in bold
    texts += [f"{n.a.op} {_fmt(n.a.data, digits)}" for n in graph.neurons.values() if n.a]
    contributions = [_fmt(i.contribution, digits) for s in walk.backward for i in s.inputs]
    padding = 2 * 5 + 2  # CELLPADDING on both sides and the cell border
    cell = max(_text_width(t, bold=True) for t in texts) + padding
    edge = max((_text_width(t, bold=True) for t in contributions), default=0.0) + padding
    return _Widths(round(cell), round(edge))


def _frame_state(graph: _Graph, walk: Walk, phase: str, k: int, digits: int) -> _State:
    """The state after k steps of ``phase``, read from the walk's records."""
    total = walk.count(phase)
    if isinstance(k, bool) or not isinstance(k, int) or not 0 <= k <= total:
        raise ValueError(
            f"step={k!r} is out of range: this graph has {total} {phase} steps, so step runs "
            f"from 0 (before the first gate) to {total}"
        )
    state = _State(widths=_widths(graph, walk, digits))
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


# -- text ----------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _fmt(x: float, digits: int) -> str:
    """A number as a diagram shows it: fixed decimals, no '-0.00', exponent past a million."""
    if x == 0 or abs(x) < 0.5 * 10.0**-digits:
        return f"{0.0:.{digits}f}"
    if abs(x) >= 1e6:
        return f"{x:.{digits}e}"
    return f"{x:.{digits}f}"


def _text(s: str, limit: int = _MAX_LABEL) -> str:
    """User text made safe inside an HTML-like label: control characters dropped, cut, escaped."""
    s = _CONTROL.sub(" ", s)
    if len(s) > limit:
        s = s[: limit - 1] + "…"
    # Graphviz expands \N, \G, \L even inside HTML-like labels (a doubled backslash is one),
    # and its HTML lexer chokes on a lone "]" in a cell: an entity is always safe.
    s = html.escape(s.replace("\\", "\\\\"), quote=True)
    return s.replace("[", "&#91;").replace("]", "&#93;")


def _plain(s: str) -> str:
    """User text made safe as a plain DOT attribute (a tooltip), never taken for HTML.

    Graphviz expands \\N, \\G, \\L in tooltips and has no escape for a literal backslash there,
    so a backslash is shown as the look-alike '⧵'; '&' is written as an entity, since
    Graphviz would otherwise decode '&amp;' in a label into '&'.
    """
    s = _CONTROL.sub(" ", s).replace("\\", BACKSLASH_LOOKALIKE).replace("&", "&amp;")
    return graphviz.nohtml(s)


def _symbol(n: Value) -> str:
    gate = n._gate
    if gate.param is not None:
        return f"^{gate.param:g}"
    return _SYMBOLS.get(gate.symbol, gate.symbol)


def _cell(text: str, *, width: int | None, fill: str | None = None, color: str | None = None,
          italic: bool = False, bold: bool = False, rows: int = 1,
          align: str | None = None) -> str:
    attrs = ""
    if width is not None:
        attrs += f' WIDTH="{width}" HEIGHT="{_CELL_HEIGHT}" FIXEDSIZE="TRUE"'
    if fill:
        attrs += f' BGCOLOR="{fill}"'
    if rows > 1:
        attrs += f' ROWSPAN="{rows}"'
    if align:
        attrs += f' ALIGN="{align}"'
    if not text:
        return f"<TD{attrs}> </TD>"
    if italic:
        text = f"<I>{text}</I>"
    if bold:
        text = f"<B>{text}</B>"
    if color:
        text = f'<FONT COLOR="{color}">{text}</FONT>'
    return f"<TD{attrs}>{text}</TD>"


def _table(rows: list[list[str]], color: str = BORDER_COLOR, cellborder: int = 1) -> str:
    body = "".join("<TR>" + "".join(r) + "</TR>" for r in rows)
    return (f'<<TABLE BORDER="0" CELLBORDER="{cellborder}" CELLSPACING="0" CELLPADDING="5" '
            f'COLOR="{color}">{body}</TABLE>>')


# -- the diagram ---------------------------------------------------------------------------------


def draw(root: Value, *, rankdir: str = "LR", digits: int = 4, show_grad: bool = True,
         highlight: Iterable[Value | str] = (), step: int | None = None,
         phase: str = "backward", collapse: bool = False,
         max_nodes: int = DEFAULT_MAX_NODES) -> Diagram:
    """The graph of ``root`` as a ``graphviz.Digraph``: Jupyter shows it, ``.render()`` saves it.

    rankdir: "LR" (inputs on the left) or "TB". digits: decimals shown. show_grad: False hides
    the grad cells. highlight: Values (or their labels) to tint. step: draw the frame after
    that many steps of ``phase`` ("backward" or "forward"; step=0 is before the first gate).
    collapse: draw each nn neuron as one box (s, activation, δ). max_nodes: past it, raise
    GraphTooLarge instead of handing dot a graph it would chew on for minutes.
    """
    graph = _Graph(root)
    walk = Walk(root) if step is not None else None
    return _draw(graph, walk, rankdir=rankdir, digits=digits, show_grad=show_grad,
                 highlight=highlight, step=step, phase=phase, collapse=collapse,
                 max_nodes=max_nodes)


def _draw(graph: _Graph, walk: Walk | None, *, rankdir: str, digits: int, show_grad: bool,
          highlight: Iterable[Value | str], step: int | None, phase: str, collapse: bool,
          max_nodes: int, id_prefix: str = "") -> Diagram:
    if rankdir not in ("LR", "TB", "RL", "BT"):
        raise ValueError(f"rankdir must be 'LR' or 'TB' (or 'RL', 'BT'), got {rankdir!r}")
    if isinstance(digits, bool) or not isinstance(digits, int) or not 0 <= digits <= 12:
        raise ValueError(f"digits must be an int from 0 to 12, got {digits!r}")
    if phase not in PHASES:
        raise ValueError(f"phase must be 'forward' or 'backward', got {phase!r}")
    _check_size(graph, collapse, max_nodes)
    if walk is not None:
        state = _frame_state(graph, walk, phase, step, digits)  # type: ignore[arg-type]
        if not show_grad:
            state.grads = None
    else:
        state = _State(grads={n: n.grad for n in graph.order} if show_grad else None,
                       final=set(graph.order))
    marked = _resolve_highlight(graph, highlight)

    dot = Diagram(name="gategrad", graph_attr={
        "rankdir": rankdir, "fontname": FONT, "bgcolor": "white", "nodesep": "0.3",
        "ranksep": "1.3" if collapse else "0.3", "id": f"{id_prefix}graph"})
    dot.node_attr.update(fontname=FONT, fontsize=str(FONT_SIZE))
    dot.edge_attr.update(fontname=FONT, fontsize=str(FONT_SIZE - 1), color="#424242",
                         arrowsize="0.7")
    draw_ctx = _Painter(graph, state, digits, marked, collapse, rankdir, id_prefix)
    draw_ctx.nodes(dot)
    draw_ctx.edges(dot)
    return dot


def _check_size(graph: _Graph, collapse: bool, max_nodes: int) -> None:
    count = _collapsed_count(graph) if collapse else len(graph.order)
    if count <= max_nodes:
        return
    hint = ""  # with collapse=True already passed, the way out is a smaller graph
    if not collapse:
        hint = (f" pass collapse=True to draw each neuron as one box "
                f"({_collapsed_count(graph)} nodes);" if graph.neurons
                else " pass collapse=True for nn models;")
    raise GraphTooLarge(
        f"draw: the graph has {count} nodes, more than max_nodes={max_nodes}: dot would take "
        f"minutes on it and nobody could read it;{hint}"
        f" draw a smaller piece of the graph, or pass max_nodes={count} to draw it anyway."
    )


def _collapsed_count(graph: _Graph) -> int:
    return sum(1 for n in graph.order if n not in graph.neuron_of) + len(graph.neurons)


def _resolve_highlight(graph: _Graph, highlight: Iterable[Value | str]) -> set[Value]:
    if isinstance(highlight, (Value, str)):
        highlight = [highlight]
    by_name = {}
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

    def __init__(self, graph: _Graph, state: _State, digits: int, marked: set[Value],
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
    def box_id(neuron: _Neuron) -> str:
        return "neuron_" + neuron.key.replace(".", "_")

    # -- nodes ---------------------------------------------------------------------------------
    def nodes(self, dot: Diagram) -> None:
        g = self.g
        outside = [n for n in g.order if n not in g.neuron_of]
        for n in outside:
            self.value_node(dot, n)
        layers: dict[int, list[_Neuron]] = {}
        for neuron in g.neurons.values():
            layers.setdefault(neuron.layer, []).append(neuron)
        for layer in sorted(layers):
            with dot.subgraph(name=f"cluster_L{layer}") as c:
                c.attr(label=f"layer L{layer}", style="rounded,filled", fillcolor="#fafafa",
                       color="#9e9e9e", fontsize=str(FONT_SIZE + 2), fontname=FONT,
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
        rows = [[_cell(_text(g.short_name(n)), width=None, fill=name_fill, bold=not auto_name,
                       italic=auto_name, rows=1 if s.grads is None else 2), self.data_cell(n)]]
        if s.grads is not None:
            rows.append([self.grad_cell(n)])
        classes = "value leaf" if leaf else "value"
        dot.node(g.ids[n], label=_table(rows), shape="plain", tooltip=_plain(g.names[n]),
                 id=self.prefix + g.ids[n], **{"class": classes})
        if not leaf:
            current = n is self.s.current
            dot.node(self.gid(n), label=_plain(_symbol(n)),
                     shape="ellipse", style="filled",
                     fillcolor=CURRENT_FILL if current else GATE_FILL,
                     color="#e65100" if current else "#5c6bc0",
                     penwidth="3" if current else "1.2", width="0.45", height="0.35",
                     margin="0.04,0.02", tooltip=_plain(n.op),
                     fontsize=str(FONT_SIZE + 4 if len(_symbol(n)) <= 2 else FONT_SIZE),
                     id=self.prefix + self.gid(n),
                     **{"class": "gate current" if current else "gate"})

    def data_cell(self, n: Value) -> str:
        s, width = self.s, self.fixed.cell if self.fixed else None
        shown = s.known is None or n in s.known
        text = f"data {_fmt(n.data, self.digits)}" if shown else "data"
        return _cell(text, width=width, fill=FRESH_DATA_FILL if n in s.fresh_data else None,
                     align="LEFT")

    def grad_cell(self, n: Value) -> str:
        s, width = self.s, self.fixed.cell if self.fixed else None
        fill = FRESH_GRAD_FILL if n in s.fresh_grads else None
        if n not in s.grads:
            return _cell("grad", width=width, fill=fill, color="#9e9e9e", align="LEFT")
        text = f"grad {_fmt(s.grads[n], self.digits)}"
        partial = n not in s.final
        return _cell(text + ("…" if partial else ""), width=width, fill=fill, color=GRAD_COLOR,
                     italic=partial, bold=n in s.fresh_grads, align="LEFT")

    def neuron_box(self, dot, neuron: _Neuron) -> None:
        """One box for a whole neuron: its name, s, activation and δ = s.grad."""
        s = self.s
        width = self.fixed.cell if self.fixed else None
        rows = [[_cell(neuron.key, width=None, bold=True,
                       fill=CURRENT_FILL if s.current in neuron.members else NODE_FILL)]]
        if neuron.s is not None:
            shown = s.known is None or neuron.s in s.known
            rows.append([_cell(f"s {_fmt(neuron.s.data, self.digits)}" if shown else "s",
                               width=width)])
        a = neuron.a
        if a is not None and a is not neuron.s:
            shown = s.known is None or a in s.known
            act = a.op or "a"
            rows.append([_cell(f"{act} {_fmt(a.data, self.digits)}" if shown else act,
                               width=width)])
        if s.grads is not None and neuron.s is not None:
            delta = s.grads.get(neuron.s)
            rows.append([_cell("δ" if delta is None else f"δ {_fmt(delta, self.digits)}",
                               width=width, color=GRAD_COLOR if delta is not None else "#9e9e9e")])
        current = s.current in neuron.members
        dot.node(self.box_id(neuron), label=_table(rows, "#e65100" if current else BORDER_COLOR),
                 shape="plain", tooltip=_plain(neuron.key), id=self.prefix + self.box_id(neuron),
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
                    text = "" if amount is None else _fmt(amount, self.digits)
                    attrs["label"] = _table(
                        [[_cell(text, width=self.fixed.edge, color=GRAD_COLOR, bold=True)]],
                        cellborder=0)
                dot.edge(source, target, id=f"{self.prefix}e{g.ids[n][1:]}_{pos}", **attrs)
            if not inside:
                dot.edge(self.gid(n), g.ids[n], id=f"{self.prefix}e{g.ids[n][1:]}_out",
                         **({"color": "#1565c0", "penwidth": "2.5"}
                            if n is s.current and not s.contributions else {}))
