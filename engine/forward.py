"""Forward mode from the same stored local derivatives backward uses.

Backward sends d root / d node from the root down to the leaves: one pass gives the gradient
for every input. Forward mode sends a tangent d node / d x from one input x up to the root:
tangent of a node = Σ local × tangent of its input, in evaluation order. One pass gives the
derivative of every node with respect to ONE input. Both read each gate's ``_local`` numbers,
so they agree exactly where the chain rule does (tests pin them equal on every gate).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from math import isfinite

from words import _, name_nodes, num, operand

from . import errors
from .gates import Gate
from .value import Value, topological_order


@dataclass(frozen=True)
class TangentInput:
    """One input of a gate in forward mode: its local derivative and the tangent it brings."""

    name: str  # 'a' or 'b', the operand in the gate's formula
    node: Value
    local: float  # d gate output / d this input
    tangent: float  # d this input / d wrt
    contribution: float  # local × tangent


@dataclass(frozen=True)
class ForwardModeStep:
    """One gate of a forward-mode pass. ``index`` counts from 1, in evaluation order."""

    index: int
    node: Value
    gate: Gate
    inputs: tuple[TangentInput, ...]
    tangent: float  # d node / d wrt = Σ contributions
    names: dict[Value, str]
    wrt: Value

    def line(self, digits: int | None = None) -> str:
        """``ds0/dx = 3.00 × 1.00 + 2.00 × 0.00 = 3.00``: the sum of local × tangent, filled in."""
        x, out = self.names[self.wrt], self.names[self.node]
        terms = " + ".join(f"{num(i.local, digits)} × {operand(i.tangent, digits)}"
                           for i in self.inputs)
        return f"d{out}/d{x} = {terms} = {num(self.tangent, digits)}"

    def caption(self, digits: int | None = None) -> str:
        """The step in words, in the current language."""
        return _("forward mode, step {k}: {line}").format(k=self.index, line=self.line(digits))


def _check(root: Value, wrt: Value, where: str) -> list[Value]:
    if not isinstance(root, Value):
        raise TypeError(f"{where}: root must be a Value, got {type(root).__name__}")
    if not isinstance(wrt, Value):
        raise TypeError(f"{where}: wrt must be a Value of the graph, got {type(wrt).__name__}")
    order = topological_order(root)
    if not any(node is wrt for node in order):
        label = f" {wrt.label!r}" if wrt.label else ""
        raise ValueError(f"{where}: wrt (the Value{label} = {wrt.data!r}) is not a node of "
                         "this graph; pass a node the root depends on")
    return order


def _tangents(order: list[Value], wrt: Value) -> Iterator[tuple[Value, tuple[TangentInput, ...],
                                                                float]]:
    """Walk ``order`` (leaves first) pushing the tangent of ``wrt``; yields each gate."""
    tangent: dict[Value, float] = {}
    for node in order:
        if node is wrt:  # wrt is the variable: its own inputs do not matter (as in backward)
            tangent[node] = 1.0
            continue
        if not node._prev:
            tangent[node] = 0.0
            continue
        inputs = tuple(TangentInput(name, child, local, tangent[child], local * tangent[child])
                       for name, child, local in zip(node._gate.inputs, node._prev, node._local))
        total = 0.0
        for i in inputs:
            total += i.contribution
        if not isfinite(total):  # as backward refuses a gradient that overflows
            raise errors.tangent_anomaly(node, wrt, inputs, total)
        tangent[node] = total
        yield node, inputs, total


def forward_grad(root: Value, wrt: Value) -> float:
    """d root / d wrt by forward mode: one pass from ``wrt`` up to the root.

    Equals ``wrt.grad`` after ``root.backward()`` from zero gradients. ``.grad`` is untouched.
    """
    order = _check(root, wrt, "forward_grad")
    if root is wrt:
        return 1.0
    result = 0.0
    for node, _inputs, total in _tangents(order, wrt):
        if node is root:
            result = total
    return result


def forward_mode_steps(root: Value, wrt: Value) -> list[ForwardModeStep]:
    """The forward-mode pass gate by gate: one record per gate, in evaluation order."""
    order = _check(root, wrt, "forward_mode_steps")
    names = name_nodes(order, [root])
    return [ForwardModeStep(k, node, node._gate, inputs, total, names, wrt)
            for k, (node, inputs, total) in enumerate(_tangents(order, wrt), start=1)]
