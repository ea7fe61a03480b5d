"""The graph model every picture of one graph shares: order, names, ids, consumers, neurons.

``Graph(root, max_nodes=...)`` first counts the nodes while walking and stops at the limit, so
a graph of a million gates is refused in a fraction of a second, before anything is built. Nodes
made by ``nn`` (labels ``L1.N2.w1``, read with ``nn.labels``) are grouped by neuron. ``Walk``
records a graph's forward and backward steps once, for frames.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine import Value, forward_steps, node_names, record_steps, topological_order
from engine.steps import ForwardStep, Step
from nn.labels import neuron_key, parse_label

DEFAULT_MAX_NODES = 2000
# With collapse=True each neuron is one box, so the graph may hold more nodes than are drawn;
# the walk still stops, at this many times max_nodes (a neuron of n inputs is about 3n nodes).
COLLAPSE_WALK_FACTOR = 50
PHASES = ("forward", "backward")


class GraphTooLarge(ValueError):
    """The graph has more nodes than ``max_nodes``: dot would take minutes, nobody could read it."""


def _inputs(node: Value) -> tuple[Value, ...]:
    """The inputs of a node (one function, so a test can count what the walk visits)."""
    return node._prev


def count_nodes(root: Value, limit: int) -> int:
    """How many nodes ``root``'s graph has, or ``limit + 1`` as soon as it has more.

    The walk stops at the limit: refusing a huge graph costs no more than walking ``limit``
    nodes, whatever the graph's size.
    """
    seen = {root}
    todo = [root]
    while todo:
        for p in _inputs(todo.pop()):
            if p not in seen:
                seen.add(p)
                if len(seen) > limit:
                    return len(seen)
                todo.append(p)
    return len(seen)


def check_size(root: Value, max_nodes: int, *, collapse: bool = False,
               where: str = "draw") -> None:
    """Refuse (GraphTooLarge) a graph past ``max_nodes`` before anything is built from it.

    With ``collapse=True`` the walk goes on to COLLAPSE_WALK_FACTOR × max_nodes (neurons are
    drawn as one box each); ``Graph`` then checks the collapsed count exactly.
    """
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
        raise ValueError(f"{where}: max_nodes must be a positive whole number, got {max_nodes!r}")
    limit = max_nodes * COLLAPSE_WALK_FACTOR if collapse else max_nodes
    if count_nodes(root, limit) <= limit:
        return
    hint = "" if collapse else " pass collapse=True to draw each neuron as one box (nn models);"
    raise GraphTooLarge(
        f"{where}: the graph has more than {limit} nodes (max_nodes={max_nodes}"
        f"{', collapse=True' if collapse else ''}): dot would take minutes on it and nobody "
        f"could read it;{hint} draw a smaller piece of the graph (one neuron, one sample), or "
        f"pass a larger max_nodes to draw it anyway."
    )


def _check_collapsed(graph: Graph, max_nodes: int, where: str) -> None:
    count = graph.collapsed_count()
    if count > max_nodes:
        raise GraphTooLarge(
            f"{where}: the graph has {count} nodes with each neuron as one box, more than "
            f"max_nodes={max_nodes}: draw a smaller piece of the graph, or pass "
            f"max_nodes={count} to draw it anyway."
        )


@dataclass(eq=False)  # compared and hashed by identity
class Neuron:
    """The nodes of one nn neuron, ``L1.N2``: its members, its sum s and its activation a."""

    key: str  # "L1.N2"
    layer: int
    index: int
    members: list[Value] = field(default_factory=list)
    s: Value | None = None
    a: Value | None = None


class Graph:
    """What every picture of one graph shares: order, names, ids, consumers, neurons.

    ``order`` is leaves first (engine.topological_order), ``names`` engine.node_names,
    ``ids`` stable DOT ids (``n0``, ``n1``, ...), ``consumers`` the gates that read each node,
    ``neuron_of``/``neurons`` the nn grouping. ``max_nodes`` (None: no limit) is checked while
    walking, before anything else is built.
    """

    def __init__(self, root: Value, *, max_nodes: int | None = None, collapse: bool = False,
                 where: str = "draw") -> None:
        if not isinstance(root, Value):
            raise TypeError(
                f"{where} needs the Value at the root of a graph, got {type(root).__name__}")
        if max_nodes is not None:
            check_size(root, max_nodes, collapse=collapse, where=where)
        self.root = root
        self.order = topological_order(root)
        self.names = node_names(root)
        self.ids = {n: f"n{k}" for k, n in enumerate(self.order)}
        self.consumers: dict[Value, list[Value]] = {n: [] for n in self.order}
        for n in self.order:
            for p in n._prev:
                self.consumers[p].append(n)
        self.neuron_of: dict[Value, Neuron] = {}
        self.neurons: dict[str, Neuron] = {}
        self._find_neurons()
        if max_nodes is not None and collapse:
            _check_collapsed(self, max_nodes, where)

    def _find_neurons(self) -> None:
        for n in self.order:
            parsed = parse_label(n.label)
            if parsed is None:
                continue
            key = neuron_key(parsed.layer, parsed.neuron)
            neuron = self.neurons.setdefault(key, Neuron(key, parsed.layer, parsed.neuron))
            self.neuron_of[n] = neuron
            if parsed.part in ("s", "a"):
                setattr(neuron, parsed.part, n)
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
        parsed = parse_label(n.label)
        if n in self.neuron_of and parsed is not None:
            return parsed.part
        return name

    def collapsed_count(self) -> int:
        """How many nodes a collapsed drawing has (each neuron one box)."""
        return sum(1 for n in self.order if n not in self.neuron_of) + len(self.neurons)


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

