"""Step records: backward (and forward) one gate at a time, as a class would follow it.

``backward_steps`` walks the graph with ``engine.value.propagate`` (the order and arithmetic of
``Value.backward``; tests pin them equal) and records what each gate did: the upstream gradient
and, for every input, its local derivative, its contribution ``upstream × local`` and its
gradient before and after. Every number is written by ``engine.voice``, the one formatter.
"""

from __future__ import annotations

import ast
import functools
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

from . import errors
from .gates import Gate
from .value import Value, _backward_lock, _modes, propagate, topological_order
from .voice import check_digits, name_nodes, num, operand, product


def node_names(*roots: Value) -> dict[Value, str]:
    """Every node's display name by the lecture notes' rule (``engine.voice.name_nodes``): its
    label, else ``f`` for a lone root, ``s0, s1, ...`` for gate outputs and ``c0, c1, ...`` for
    constants, in evaluation order. With several roots their orders are joined."""
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
        digits = check_digits(digits, "chain_rule digits")
        f, out = self.names[self.root], self.names[self.node]
        lines = []
        for i in self.inputs:
            x = self.names[i.node]
            up, local, c = product(self.upstream, i.local, i.contribution, digits, exact)
            if latex:
                f_, o, x_ = _latex_name(f), _latex_name(out), _latex_name(x)
                lines.append(rf"\frac{{\partial {f_}}}{{\partial {x_}}} \mathrel{{+}}= "
                             rf"\frac{{\partial {f_}}}{{\partial {o}}} \cdot \frac{{\partial {o}}}"
                             rf"{{\partial {x_}}} = {up} \times {local} = {c}")
            else:
                lines.append(f"d{f}/d{x} += d{f}/d{out} · ∂{out}/∂{x} = {up} × {local} = {c}")
        return lines


def _latex_name(name: str) -> str:
    """w0 -> w_{0}, s_3 -> s_{3}: subscripts for trailing digits, escapes for the rest."""
    m = re.fullmatch(r"([A-Za-z]+)_?(\d+)", name)
    return f"{m.group(1)}_{{{m.group(2)}}}" if m else re.sub(r"([_%$#&{}])", r"\\\1", name)


def backward_steps(root: Value) -> Iterator[Step]:
    """Run backward one gate at a time, yielding a Step after each gate has fired.

    Gradients add into ``.grad`` as in ``backward()``; stepping a graph that already holds
    gradients adds on top of them, with a warning (``zero_grad(root)`` first for a fresh walk).
    """
    names = node_names(errors.root_or_refuse(root, "backward_steps"))
    if any(n.grad != 0.0 for n in names):
        warnings.warn(errors.HOLDS_GRADIENTS, stacklevel=2)
    for index, (node, upstream, before) in enumerate(propagate(root, _modes.anomaly), start=1):
        sums = {child: total for child, (_, total) in before.items()}
        inputs = []
        for name, child, local in zip(node._gate.inputs, node._prev, node._local):
            c = local * upstream  # replay the loop's additions in order: `a + a` adds twice
            start, sums[child] = sums[child], sums[child] + c
            base = before[child][0]
            inputs.append(StepInput(name, child, local, c, base + start, base + sums[child]))
        yield Step(index, node, node._gate, upstream, tuple(inputs), names, root)


@functools.cache
def _bracketed(formula: str) -> set[str]:
    """Names that need brackets when negative: either side of ``**``, the right side of ``-``,
    ``*`` and ``/``, the operand of a unary minus (``(-3.00) ** 2``, ``9.00 - (-2.00)``)."""
    needs = set()
    for node in ast.walk(ast.parse(formula, mode="eval")):
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Sub, ast.Mult, ast.Div,
                                                                ast.Pow)):
            needs.update([node.right, node.left] if isinstance(node.op, ast.Pow) else [node.right])
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            needs.add(node.operand)
    return {n.id for n in needs if isinstance(n, ast.Name)}


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
        digits = check_digits(digits, "formula digits")
        gate, bracket, p = self.gate, _bracketed(self.gate.forward), self.gate.param
        symbolic = gate.forward if p is None else re.sub(
            r"\bp\b", f"({p:g})" if p < 0 else f"{p:g}", gate.forward)

        def fill(text_of) -> str:
            return re.sub(r"\b([ab])\b", lambda m: text_of[m.group(1)], symbolic)

        named = fill({k: self.names[v] for k, v in zip(gate.inputs, self.inputs)})
        valued = fill({k: (operand if k in bracket else num)(v.data, digits)
                       for k, v in zip(gate.inputs, self.inputs)})
        return f"{self.names[self.node]} = {named} = {valued} = {num(self.output, digits)}"


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
        order = topological_order(root)
        saved = [n.grad for n in order]
        try:
            for n in order:
                n.grad = 0.0
            return list(backward_steps(root))
        finally:
            for n, grad in zip(order, saved):
                n.grad = grad


# Methods for lesson code (``f.backward_steps()``): value.py sits below this module and cannot
# import it, so the methods are attached here, where they are defined.
Value.backward_steps = backward_steps  # type: ignore[attr-defined]
Value.forward_steps = forward_steps  # type: ignore[attr-defined]
