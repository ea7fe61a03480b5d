"""Value: a scalar that remembers the gate that made it, so backward() can apply the chain rule.

Each gate stores its local derivatives as numbers when it runs (from the gate table), so
backward is one generic loop: every input receives ``upstream * local``. No closures, so a
dropped graph is freed at once. A gate refuses what it cannot compute (a bad input, a result
that overflows float64) with a message naming it: NaN and infinity never enter a graph.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from math import isfinite

from . import errors
from .gates import GATES, Gate, pow_gate
from .modes import OPEN, attach_by_mode, detect_anomaly, no_grad  # noqa: F401 (re-exported)
from .registry import INSTALLERS

_backward_lock = threading.Lock()  # one backward at a time: passes share the _pass_grad slots


class Value:
    """A scalar node of the graph: ``data``, ``grad`` (d root / d self after backward), ``label``.

    ``_prev`` holds the gate's inputs in operand order (``a + a`` has two), ``_gate`` the gate
    table row, ``_local`` the local derivative for each input. ``_op`` is the gate's symbol, as
    in micrograd, so lesson code that draws ``_prev`` and ``_op`` runs unchanged.
    """

    __slots__ = ("data", "grad", "_label", "_prev", "_gate", "_local", "_pass_grad",
                 "__weakref__")

    def __init__(self, data: float, _children: tuple = (), _op: str = "", label: str = ""):
        if _children or _op:  # micrograd's signature, but the gates set these
            raise errors.misused(data, _children, label)
        self.label = label
        self.data = errors.finite(data, f"Value({label!r})" if label else "Value")
        self.grad = 0.0
        self._prev, self._gate, self._local = (), None, ()  # a leaf: no gate made it

    @property
    def label(self) -> str:
        return self._label

    @label.setter
    def label(self, text: str) -> None:  # checked here: diagrams and messages trust it
        self._label = errors.checked_label(text)

    # the gate that made this node: its name, and its symbol as micrograd's _op; '' for a leaf
    op = property(lambda self: self._gate.name if self._gate is not None else "")
    _op = property(lambda self: self._gate.symbol if self._gate is not None else "")

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g}{label})"

    __reduce_ex__ = errors.refuse_pickling  # a graph holds compiled gates: save numbers instead

    # -- gates: each row of engine.gates.GATES installs its operator or method (_install,
    # below), as x + y, x * y, x.exp(), x.max(y). Only ** is written by hand: it serves two rows.
    def __pow__(self, other):  # x ** 2: the pow gate bound to 2; x ** y for a Value y: pow_value
        if isinstance(other, Value):
            return _binary(GATES["pow_value"], self, other)
        return _unary(pow_gate(errors.finite(other, "pow gate: the exponent")), self)

    def __rpow__(self, other): return _binary(GATES["pow_value"], other, self)  # 2 ** x

    # -- backward -------------------------------------------------------------------------------
    def backward(self) -> None:
        """Add d self / d node into ``.grad`` of every node of the graph (PyTorch semantics).

        The unrolled twin of ``propagate`` below (tests pin the two equal): each node's
        gradient for this pass is summed in ``_pass_grad``, then added to ``.grad`` when the
        node is reached (backward twice gives exactly twice). A non-finite sum always reaches
        a leaf (inf times a local is inf or NaN; sums keep it), so only leaves are watched; if
        one is hit, every ``.grad`` is put back (``_pass_grad`` keeps the old value) and
        ``propagate`` walks again to name the gate. A lock runs one pass at a time.
        """
        with _backward_lock:
            order = topological_order(self, clear=True)
            self._pass_grad = 1.0
            at_leaves = 0.0  # stays 0.0 unless a leaf's sum is inf or NaN (then NaN)
            for node in reversed(order):
                g = node._pass_grad
                node._pass_grad = old = node.grad  # the slot is done with: keep the old .grad
                node.grad = old + g
                prev = node._prev
                if len(prev) == 2:  # unrolled by arity: this loop is the hot path of training
                    a, b = prev
                    local_a, local_b = node._local
                    a._pass_grad += local_a * g
                    b._pass_grad += local_b * g
                elif prev:
                    prev[0]._pass_grad += node._local[0] * g
                else:
                    at_leaves += g * 0.0
            if at_leaves != 0.0:  # an overflow: undo the pass, then find and name it
                for node in order:
                    node.grad = node._pass_grad
                for _ in propagate(self):
                    pass

    def zero_grad(self) -> None:
        """Set ``.grad`` to 0 on every node of this graph."""
        zero_grad(self)

    def _backward(self) -> None:
        """One gate by hand, as in micrograd's lecture: add ``self.grad`` × each stored local
        into the inputs' ``.grad`` (a leaf does nothing). Set ``o.grad = 1.0``, then call
        ``_backward()`` on each node from the output down, and the leaves hold what backward()
        gives. A non-finite result is refused and every ``.grad`` left as it was."""
        sums: dict = {}
        for child, local in zip(self._prev, self._local):  # a + a: both parts add up
            sums[child] = sums.get(child, child.grad) + local * self.grad
        if not all(isfinite(g) for g in sums.values()):
            raise errors.hand_step_anomaly(self, sums)
        for child, grad in sums.items():
            child.grad = grad

    # backward_steps() and forward_steps() are added by engine/steps.py, which sits above here.


# -- the graph: its order, and backward one gate at a time (for step records and anomaly mode) ---
# Written against a small protocol, as MiniTorch's autodiff is: a node has data, grad, label,
# _prev (its inputs in operand order), _gate and _local (d node / d input).


def topological_order(root, clear: bool = False) -> list:
    """Every node that ``root`` depends on, each listed after all of its inputs (leaves first).

    Iterative depth-first search: a recursive walk would stop at Python's recursion limit on a
    chain about 1000 gates deep. A node is appended once all of its inputs have been; in a graph
    without cycles an input seen before is always finished already. With ``clear`` (backward's
    use) it zeroes each node's ``_pass_grad`` on the way, saving backward a second walk.
    """
    errors.root_or_refuse(root, "topological_order")
    if clear:
        root._pass_grad = 0.0
    order: list = []
    visited = {root}
    stack = [(root, iter(root._prev))]  # each entry: a node and the inputs still to look at
    while stack:
        node, inputs = stack[-1]
        for p in inputs:
            if p not in visited:
                visited.add(p)
                if clear:
                    p._pass_grad = 0.0
                if p._prev:
                    stack.append((p, iter(p._prev)))
                    break
                order.append(p)
        else:  # every input of node is in `order` already
            stack.pop()
            order.append(node)
    return order


def zero_grad(*roots) -> None:
    """Set ``.grad`` to 0 on every node reachable from the given roots."""
    for root in roots:
        for node in topological_order(root):
            node.grad = 0.0


def propagate(root) -> Iterator[tuple]:
    """Backward one gate at a time: THE backward loop, for step records and anomaly reports.

    ``Value.backward`` is its unrolled twin (same order and arithmetic), but here a gate's
    contributions reach its inputs' ``.grad`` as soon as it fires: after k gates the graph is
    "k gates done". The pass sums in a dict of its own, so drawing a graph meanwhile never mixes
    two passes, and a gradient added from outside between steps is kept. Yields ``(node,
    upstream, grads)``, ``grads[k]`` = input k's ``.grad`` before and after its addition. A
    non-finite gradient raises AnomalyError naming the gate and puts every ``.grad`` back, so
    every path that steps (tables, the quiz, worksheets) refuses what backward() refuses.
    """
    order = topological_order(root)
    base = {n: n.grad for n in order}
    sums = dict.fromkeys(order, 0.0)
    sums[root] = 1.0
    root.grad = base[root] + 1.0
    for node in reversed(order):
        prev = node._prev
        if not prev:
            continue
        g = sums[node]
        for p in prev:  # a .grad changed outside this pass (say another backward) is kept
            shown = base[p] + sums[p]
            if p.grad != shown:
                base[p] += p.grad - shown
        grads = []
        for child, local in zip(prev, node._local):
            before = child.grad
            sums[child] += local * g
            child.grad = base[child] + sums[child]
            grads.append((before, child.grad))
        if not all(isfinite(sums[p]) for p in prev):
            for n, grad in base.items():
                n.grad = grad
            raise errors.backward_anomaly(root, node, g, {p: sums[p] for p in prev})
        yield node, g, grads


# -- building nodes: a gate's operands, its checks, its result -----------------------------------


def _operand(x, gate: Gate, position: str) -> Value:
    """A gate's operand as a Value: Values pass, numbers become constant leaves."""
    if isinstance(x, Value):
        return x
    if type(x) is not float or not isfinite(x):  # the common case builds no message
        x = errors.finite(x, (gate.name, position))
    out = _new(Value)
    out.data, out.grad, out._label, out._prev, out._gate, out._local = x, 0.0, "", (), None, ()
    return out


_new = object.__new__


def _unary(gate: Gate, a: Value) -> Value:
    try:  # None where the table refuses or the result is not finite: no unpacking
        data, local = gate.kernel(a.data)
    except (ArithmeticError, ValueError, TypeError):
        raise errors.refused(gate, (a,)) from None
    out = _new(Value)
    out.data, out.grad, out._label = data, 0.0, ""
    if not OPEN[0]:  # no mode block open in any thread: the fast path
        out._prev, out._gate, out._local = (a,), gate, local
    else:
        attach_by_mode(out, gate, local, (a,))
    return out


def _binary(gate: Gate, a, b) -> Value:  # _unary's twin for two operands, numbers allowed
    if type(a) is not Value:
        a = _operand(a, gate, "a")
    if type(b) is not Value:
        b = _operand(b, gate, "b")
    try:
        data, local = gate.kernel(a.data, b.data)
    except (ArithmeticError, ValueError, TypeError):
        raise errors.refused(gate, (a, b)) from None
    out = _new(Value)
    out.data, out.grad, out._label = data, 0.0, ""
    if not OPEN[0]:
        out._prev, out._gate, out._local = (a, b), gate, local
    else:
        attach_by_mode(out, gate, local, (a, b))
    return out


# -- the table's rows as Value's operators and methods, and as the engine's functions ----------

FUNCTIONS: dict[str, Callable[..., Value]] = {}  # exp(x), maximum(a, b): numbers accepted too


def _install(gate: Gate) -> list[tuple[object, str]]:
    """Put one row of the table where lesson code calls it: ``x + y`` (operator "add"),
    ``x.exp()`` and ``exp(x)`` (method "exp"). Returns where, so a row can leave again. The row
    is looked up at each call, so a row replaced in GATES (a planted bug) takes effect."""
    name = gate.name

    def apply():  # a new function for each place, so each has its own name and docstring
        if gate.arity == 1:
            return lambda a: _unary(GATES[name], a)
        return lambda a, b: _binary(GATES[name], a, b)
    places: list[tuple[object, str, Callable]] = []
    if gate.operator and gate.operator != "pow":  # ** serves two rows: Value.__pow__ above
        places.append((Value, f"__{gate.operator}__", apply()))
        if gate.arity == 2:  # 2 * x: Python asks x.__rmul__(2)
            places.append((Value, f"__r{gate.operator}__", lambda b, a: _binary(GATES[name], a, b)))
    if gate.method:
        function = apply() if gate.arity == 2 else lambda x: _unary(GATES[name], _operand(
            x, GATES[name], "a"))
        places += [(Value, gate.method, apply()),
                   (FUNCTIONS, gate.function or gate.method, function)]
    if any(place in (vars(owner) if owner is Value else owner) for owner, place, _ in places):
        raise ValueError(f"the {name} gate's names {[p[1] for p in places]} are taken")
    for owner, place, fn in places:
        fn.__name__ = fn.__qualname__ = place
        fn.__doc__ = f"The {name} gate, out = {gate.forward}. {gate.rule}."
        if owner is Value:
            setattr(Value, place, fn)
        else:
            FUNCTIONS[place] = fn
    return [(owner, place) for owner, place, _ in places]


for _gate in GATES.values():
    _install(_gate)
INSTALLERS.append(_install)  # rows registered later (engine.registry.register)
