"""Value: a scalar that remembers the gate that made it, so backward() can apply the chain rule.

Each gate stores its local derivatives as numbers when it runs (d out / d input, from the gate
table), so backward is one generic loop: every input receives ``upstream * local``. No node holds
a closure that refers back to itself, so a dropped graph is freed at once by reference counting.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from numbers import Real

from .gates import GATES, Check, Gate, pow_gate

_isfinite = math.isfinite


class _Mode:
    """Switches read by every gate: build the graph? check every value and gradient?"""

    grad = True
    anomaly = False


_plain = True  # grad on and anomaly off: one global for the gates' fast path to read


def _set_mode(grad: bool, anomaly: bool) -> None:
    global _plain
    _Mode.grad, _Mode.anomaly = grad, anomaly
    _plain = grad and not anomaly


class AnomalyError(FloatingPointError):
    """A gate produced a value or a gradient that is NaN or infinite (under detect_anomaly)."""


class Value:
    """A scalar node of the graph: ``data``, ``grad`` (d root / d self after backward), ``label``.

    ``_prev`` holds the gate's inputs in operand order (``a + a`` has two), ``_gate`` the gate
    table row, ``_local`` the local derivative for each input. ``_op`` is the gate's symbol, as
    in micrograd, so lesson code that draws ``_prev`` and ``_op`` runs unchanged.
    """

    __slots__ = ("data", "grad", "label", "_prev", "_gate", "_local", "_g", "__weakref__")

    def __init__(self, data: float, _children: tuple = (), _op: str = "", label: str = ""):
        if isinstance(_children, str) and not label:
            raise TypeError(
                f"Value({data!r}, {_children!r}): the second argument is _children, as in "
                f"micrograd; for a label write Value({data!r}, label={_children!r})"
            )
        if _children or _op:
            raise TypeError(
                "Value(): _children and _op are set by the gates; build graphs with operators "
                "(a + b, a * b, ...) or methods (a.tanh(), ...)"
            )
        self.data = _number(data, f"Value({label!r})" if label else "Value")
        self.grad = 0.0
        self.label = label
        self._prev: tuple[Value, ...] = ()
        self._gate: Gate | None = None
        self._local: tuple[float, ...] = ()

    # -- what lesson code reads -----------------------------------------------------------------
    @property
    def _op(self) -> str:
        return self._gate.symbol if self._gate is not None else ""

    @property
    def op(self) -> str:
        """The name of the gate that made this node ('' for a leaf)."""
        return self._gate.name if self._gate is not None else ""

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g}{label})"

    # -- gates as operators ---------------------------------------------------------------------
    def __add__(self, other): return _binary(GATES["add"], self, other)
    def __radd__(self, other): return _binary(GATES["add"], other, self)
    def __sub__(self, other): return _binary(GATES["sub"], self, other)
    def __rsub__(self, other): return _binary(GATES["sub"], other, self)
    def __mul__(self, other): return _binary(GATES["mul"], self, other)
    def __rmul__(self, other): return _binary(GATES["mul"], other, self)
    def __truediv__(self, other): return _binary(GATES["div"], self, other)
    def __rtruediv__(self, other): return _binary(GATES["div"], other, self)
    def __neg__(self): return _unary(GATES["neg"], self)

    def __pow__(self, other):
        """``x ** 2`` uses the pow gate bound to 2; ``x ** y`` with a Value y uses powv."""
        if isinstance(other, Value):
            return _binary(GATES["powv"], self, other)
        return _unary(pow_gate(_number(other, "pow gate: the exponent")), self)

    def __rpow__(self, other):  # 2 ** x
        return _binary(GATES["powv"], other, self)

    def exp(self): return _unary(GATES["exp"], self)
    def log(self): return _unary(GATES["log"], self)
    def tanh(self): return _unary(GATES["tanh"], self)
    def sigmoid(self): return _unary(GATES["sigmoid"], self)
    def relu(self): return _unary(GATES["relu"], self)
    def max(self, other): return _binary(GATES["max"], self, other)

    # -- backward -------------------------------------------------------------------------------
    def backward(self) -> None:
        """Add d self / d node into ``.grad`` of every node of the graph (PyTorch semantics).

        Each node's gradient for this pass is summed in ``_g`` (cleared by topological_order),
        then added to ``.grad`` once, when the node is reached: calling backward twice gives
        exactly twice the gradient everywhere, also where paths meet. ``backward_steps()`` walks
        the same order with the same arithmetic, one gate at a time (tests pin the two equal).
        """
        if _Mode.anomaly:  # the stepping loop checks every gradient and can undo the pass
            for _ in propagate(self):
                pass
            return
        order = topological_order(self)
        self._g = 1.0
        for node in reversed(order):
            g = node._g
            node.grad += g
            prev = node._prev
            if len(prev) == 2:  # unrolled by arity: this loop is the hot path of training
                a, b = prev
                local_a, local_b = node._local
                a._g += local_a * g
                b._g += local_b * g
            elif prev:
                prev[0]._g += node._local[0] * g

    def backward_steps(self):
        """Backward one gate at a time: an iterator of Step records (see engine.steps)."""
        from .steps import backward_steps

        return backward_steps(self)

    def forward_steps(self):
        """The forward pass replayed in evaluation order: one ForwardStep per gate."""
        from .steps import forward_steps

        return forward_steps(self)

    def zero_grad(self) -> None:
        """Set ``.grad`` to 0 on every node of this graph."""
        zero_grad(self)


# -- building nodes -----------------------------------------------------------------------------


def _number(x, where: str) -> float:
    """A finite float from an int/float (or any real number), or a clear error naming `where`."""
    if isinstance(x, (int, float)) or isinstance(x, Real):  # the ABC check is the slow one
        x = float(x)
        if _isfinite(x):
            return x
        raise ValueError(f"{where}: must be a finite number, got {x}")
    raise TypeError(f"{where}: must be a Value or a real number, got {type(x).__name__} {x!r:.60}")


def _operand(x, gate: Gate, position: str) -> Value:
    """A gate's operand as a Value: Values pass, numbers become constant leaves."""
    if isinstance(x, Value):
        return x
    if type(x) is float or type(x) is int:  # the common case, without building a message
        x = float(x)
        if _isfinite(x):
            return _leaf(x)
    return Value(_number(x, f"{gate.name} gate: operand {position}"))


_new = object.__new__


def _leaf(x: float) -> Value:
    out = _new(Value)
    out.data, out.grad, out.label, out._prev, out._gate, out._local = x, 0.0, "", (), None, ()
    return out


def _unary(gate: Gate, a: Value) -> Value:
    x = a.data
    if gate.refuse is not None and (check := gate.refuse(x)) is not None:
        raise _refused(gate, check, (a,))
    try:
        data, local = gate.kernel(x)
    except (OverflowError, ZeroDivisionError, ValueError) as e:
        raise _refused(gate, _failed(e), (a,)) from None
    out = _new(Value)
    out.data, out.grad, out.label = data, 0.0, ""
    if _plain:
        out._prev, out._gate, out._local = (a,), gate, local
    else:
        _careful(out, gate, local, (a,))
    return out


def _binary(gate: Gate, a, b) -> Value:
    if type(a) is not Value:
        a = _operand(a, gate, "a")
    if type(b) is not Value:
        b = _operand(b, gate, "b")
    x, y = a.data, b.data
    if gate.refuse is not None and (check := gate.refuse(x, y)) is not None:
        raise _refused(gate, check, (a, b))
    try:
        data, local = gate.kernel(x, y)
    except (OverflowError, ZeroDivisionError, ValueError) as e:
        raise _refused(gate, _failed(e), (a, b)) from None
    out = _new(Value)
    out.data, out.grad, out.label = data, 0.0, ""
    if _plain:
        out._prev, out._gate, out._local = (a, b), gate, local
    else:
        _careful(out, gate, local, (a, b))
    return out


def _careful(out: Value, gate: Gate, local: tuple, operands: tuple[Value, ...]) -> None:
    """The gate's last step under no_grad or detect_anomaly (the fast path skips both)."""
    if _Mode.anomaly:
        _check_forward(gate, out.data, local, operands)
    if _Mode.grad:
        out._prev, out._gate, out._local = operands, gate, local
    else:  # no_grad: a constant, so nothing is kept alive for a backward that never comes
        out._prev, out._gate, out._local = (), None, ()


def _failed(e: Exception) -> Check:
    """A float error the table's checks did not foresee (say 10.0 ** 400), as a Check."""
    says = "the result overflows float64" if isinstance(e, OverflowError) else str(e)
    return Check("", type(e), says)


def _describe(data: float, label: str) -> str:
    return f"{data!r} (node {label!r})" if label else repr(data)


def describe(node: Value) -> str:
    """``-1.0 (node 'x')``: a node's value and label, as error messages show it."""
    return _describe(node.data, node.label)


def _operands_text(gate: Gate, operands: tuple[Value, ...]) -> str:
    return ", ".join(f"{name} = {describe(v)}" for name, v in zip(gate.inputs, operands))


def refusal_message(gate: Gate, says: str, operands: list[tuple[float, str]]) -> str:
    """``log gate: input must be > 0; got a = -1.0 (node 'x')`` from (value, label) pairs.

    The batched replay uses it too, with one sample's values, so both paths say the same."""
    p = f" with p = {gate.param:g}" if gate.param is not None else ""
    got = ", ".join(f"{name} = {_describe(data, label)}"
                    for name, (data, label) in zip(gate.inputs, operands))
    return f"{gate.name} gate{p}: {says}; got {got}"


def _refused(gate: Gate, check: Check, operands: tuple[Value, ...]) -> Exception:
    return check.error(refusal_message(gate, check.says, [(v.data, v.label) for v in operands]))


# -- the graph ----------------------------------------------------------------------------------


def topological_order(root: Value) -> list[Value]:
    """Every node that ``root`` depends on, each listed after all of its inputs (leaves first).

    Iterative depth-first search: a recursive walk would stop at Python's recursion limit on a
    chain about 1000 gates deep. A node is appended once all of its inputs have been; in a graph
    without cycles an input seen before is always finished already. Leaves are appended at
    once, without a stack entry. On the way it clears each node's ``_g``, the scratch slot in
    which backward sums one pass's gradient (saving backward a second walk).
    """
    if not isinstance(root, Value):
        raise TypeError(f"expected a Value as the root of a graph, got {type(root).__name__}")
    root._g = 0.0
    order: list[Value] = []
    visited = {root}
    stack = [(root, iter(root._prev))]  # each entry: a node and the inputs still to look at
    while stack:
        node, inputs = stack[-1]
        for p in inputs:
            if p not in visited:
                visited.add(p)
                p._g = 0.0
                if p._prev:
                    stack.append((p, iter(p._prev)))
                    break
                order.append(p)
        else:  # every input of node is in `order` already
            stack.pop()
            order.append(node)
    return order


def zero_grad(*roots: Value) -> None:
    """Set ``.grad`` to 0 on every node reachable from the given roots."""
    for root in roots:
        for node in topological_order(root):
            node.grad = 0.0


def propagate(root: Value) -> Iterator[tuple[Value, float, dict[Value, tuple[float, float]]]]:
    """Backward one gate at a time, for the step records and for anomaly mode.

    The same order and arithmetic as ``Value.backward``, with one difference a class can see:
    a gate's contributions appear in its inputs' ``.grad`` as soon as it fires (``.grad`` shows
    the gradient held before the pass plus this pass's sum so far), so after k gates the graph
    is in the state "k gates done". This pass's sums live in a dict of its own, so stepping one
    graph while drawing another (or the same) never mixes two passes, and a gradient added
    between two steps from outside (another graph's backward) is kept, not overwritten.
    After each gate it yields ``(node, upstream, before)``; ``before[input]`` is the input's
    gradient before the pass and its sum before this gate fired, so a step record can replay
    the additions exactly.
    """
    order = topological_order(root)
    base = {n: n.grad for n in order}
    sums = dict.fromkeys(order, 0.0)
    sums[root] = 1.0
    root.grad = base[root] + 1.0
    anomaly = _Mode.anomaly
    for node in reversed(order):
        prev = node._prev
        if not prev:
            continue
        g = sums[node]
        for p in prev:  # a .grad changed outside this pass (say another backward) is kept
            shown = base[p] + sums[p]
            if p.grad != shown:
                base[p] += p.grad - shown
        before = {p: (base[p], sums[p]) for p in prev}
        for child, local in zip(prev, node._local):
            sums[child] += local * g
            child.grad = base[child] + sums[child]
        if anomaly and not all(_isfinite(sums[p]) for p in prev):
            for n, grad in base.items():
                n.grad = grad
            raise _backward_anomaly(root, node, g, {p: sums[p] for p in prev})
        yield node, g, before


# -- modes --------------------------------------------------------------------------------------


@contextmanager
def no_grad():
    """Evaluate without building a graph: results are constants, nothing is kept for backward."""
    previous = _Mode.grad, _Mode.anomaly
    _set_mode(False, _Mode.anomaly)
    try:
        yield
    finally:
        _set_mode(*previous)


@contextmanager
def detect_anomaly():
    """Raise AnomalyError at the first gate whose value or gradient is NaN or infinite.

    Like torch.autograd.detect_anomaly: slower, for hunting the source of a NaN. The message
    names the gate, its operands and the chain of gates that led there; a failed backward
    leaves every ``.grad`` as it was before it started.
    """
    previous = _Mode.grad, _Mode.anomaly
    _set_mode(_Mode.grad, True)
    try:
        yield
    finally:
        _set_mode(*previous)


def _chain(nodes: list[Value]) -> str:
    return " → ".join(n.label or n.op or repr(n.data) for n in nodes)


def _check_forward(gate: Gate, out: float, local: tuple, operands: tuple[Value, ...]) -> None:
    bad = "value" if not _isfinite(out) else "local derivative" if not all(
        _isfinite(d) for d in local) else None
    if bad is None:
        return
    # The chain of gates that led here: follow the first operand down to a leaf.
    path, node = [], operands[0]
    while True:
        path.append(node)
        if not node._prev:
            break
        node = node._prev[0]
    raise AnomalyError(
        f"{gate.name} gate produced a non-finite {bad} ({out!r}) from "
        f"{_operands_text(gate, operands)}; chain: {_chain(path[::-1])} → {gate.name}"
    )


def _backward_anomaly(root: Value, node: Value, upstream: float,
                      sums: dict[Value, float]) -> AnomalyError:
    name, p = next((n, p) for n, p in zip(node._gate.inputs, node._prev)
                   if not _isfinite(sums[p]))
    return AnomalyError(
        f"{node.op} gate sent a non-finite gradient ({sums[p]!r}) to its input {name} = "
        f"{describe(p)} (upstream {upstream!r}, local {node._local[node._prev.index(p)]!r}); "
        f"chain from the root: {_chain(_path(root, node))}; every .grad was left as it was"
    )


def _path(root: Value, target: Value) -> list[Value]:
    """A path root → ... → target along _prev (breadth first), for error messages."""
    came_from: dict[Value, Value | None] = {root: None}
    frontier = [root]
    while frontier and target not in came_from:
        nxt = []
        for n in frontier:
            for p in n._prev:
                if p not in came_from:
                    came_from[p] = n
                    nxt.append(p)
        frontier = nxt
    path, n = [], target
    while n is not None:
        path.append(n)
        n = came_from.get(n)
    return path[::-1]


# -- gates as functions, numbers accepted on either side ------------------------------------


def _as_value(x, gate: str) -> Value:
    return _operand(x, GATES[gate], "a")


def exp(x) -> Value: return _as_value(x, "exp").exp()
def log(x) -> Value: return _as_value(x, "log").log()
def tanh(x) -> Value: return _as_value(x, "tanh").tanh()
def sigmoid(x) -> Value: return _as_value(x, "sigmoid").sigmoid()
def relu(x) -> Value: return _as_value(x, "relu").relu()
def maximum(a, b) -> Value: return _binary(GATES["max"], a, b)
