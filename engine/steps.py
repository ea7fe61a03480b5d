"""Step records: backward (and forward) one gate at a time, as a class would follow it.

``backward_steps`` walks the graph with ``engine.value.propagate`` (backward's twin) and records
what each gate did: the upstream gradient and, for every input, its local derivative, its
contribution ``upstream × local`` and its gradient before and after. ``words`` writes
the lines a class reads from them.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass

from words import chain_rule_lines, forward_line, name_nodes

from . import errors
from .gates import Gate
from .value import Value, _backward_lock, propagate, topological_order, zero_grad


def node_names(*roots: Value) -> dict[Value, str]:
    """Every node's display name by the lecture notes' rule (``words.name_nodes``: s0, s1,
    ... for gate outputs in evaluation order). With several roots their orders are joined."""
    order = list(dict.fromkeys(node for root in roots for node in topological_order(root)))
    return name_nodes(order, roots)


@dataclass(frozen=True)
class StepInput:
    """What one input of the gate received in this step."""

    name: str  # the operand's name in the gate's formula: 'a' or 'b'
    node: Value
    local: float  # d gate output / d this input
    contribution: float  # upstream × local
    grad_before: float
    grad_after: float


@dataclass(frozen=True)
class Step:
    """One gate of the backward pass. ``index`` counts from 1."""

    index: int
    node: Value
    gate: Gate
    upstream: float  # d root / d node
    inputs: tuple[StepInput, ...]
    names: dict[Value, str]
    root: Value
    op = property(lambda self: self.gate.name)
    rule = property(lambda self: self.gate.rule)

    def chain_rule(self, digits: int | None = None, latex: bool = False,
                   exact: bool = False) -> list[str]:
        """One line per input: ``df/dw0 += df/ds0 · ∂s0/∂w0 = 0.20 × (-1.00) = -0.20``;
        ``exact`` gives the operands as many digits as the displayed product needs."""
        inputs = [(self.names[i.node], i.local, i.contribution) for i in self.inputs]
        return chain_rule_lines(self.names[self.root], self.names[self.node], self.upstream,
                                inputs, digits, latex, exact)


def backward_steps(root: Value) -> Iterator[Step]:
    """Run backward one gate at a time, yielding a Step after each gate has fired.

    Gradients add into ``.grad`` as in ``backward()``; stepping a graph that already holds
    gradients adds on top of them, with a warning (``zero_grad(root)`` first for a fresh walk).
    """
    names = node_names(errors.root_or_refuse(root, "backward_steps"))
    if any(n.grad != 0.0 for n in names):
        warnings.warn(errors.HOLDS_GRADIENTS, stacklevel=2)
    for index, (node, upstream, grads) in enumerate(propagate(root), start=1):
        inputs = zip(node._gate.inputs, node._prev, node._local, grads)
        records = tuple(StepInput(k, x, local, local * upstream, *g) for k, x, local, g in inputs)
        yield Step(index, node, node._gate, upstream, records, names, root)


@dataclass(frozen=True)
class ForwardStep:
    """One gate of the forward pass, in evaluation order. ``index`` counts from 1."""

    index: int
    node: Value
    gate: Gate
    inputs: tuple[Value, ...]
    names: dict[Value, str]
    op = property(lambda self: self.gate.name)
    output = property(lambda self: self.node.data)

    def formula(self, digits: int | None = None) -> str:
        """``s0 = x ** 2 = (-3.00) ** 2 = 9.00``: the table's forward formula, filled in."""
        operands = {k: (self.names[v], v.data) for k, v in zip(self.gate.inputs, self.inputs)}
        return forward_line(self.names[self.node], self.gate.forward, operands, self.output,
                            digits, self.gate.param)


def forward_steps(root: Value) -> Iterator[ForwardStep]:
    """The gates of the graph in evaluation order (inputs before outputs)."""
    names = node_names(errors.root_or_refuse(root, "forward_steps"))
    gates = [node for node in names if node._prev]  # dicts keep insertion order: evaluation's
    for index, node in enumerate(gates, start=1):
        yield ForwardStep(index, node, node._gate, node._prev, names)


def record_steps(root: Value) -> list[Step]:
    """The steps of one clean backward pass from zero gradients, leaving every ``.grad`` as it
    was: tables and diagrams show a graph without changing it (nor can a backward meanwhile)."""
    with _backward_lock:
        saved = {n: n.grad for n in topological_order(root)}
        zero_grad(root)
        try:
            return list(backward_steps(root))
        finally:
            for n, grad in saved.items():
                n.grad = grad


# Methods for lesson code (``f.backward_steps()``): value.py sits below this module and cannot
# import it, so the methods are attached here, where they are defined.
Value.backward_steps = backward_steps  # type: ignore[attr-defined]
Value.forward_steps = forward_steps  # type: ignore[attr-defined]
