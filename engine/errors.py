"""What the engine checks and says when something is wrong: refusals, anomaly reports, settings.

Apart from ``finite`` (the check every number passes to enter a graph), none of this runs on a
good input, so it lives beside the core rather than in it. Every message
names the gate or setting and the values, in the one format the scalar path and the batched
replay share: ``log gate: input must be > 0; got a = -1.0 (node 'x')``. Gate refusals carry a
``Text`` (``words``), so ``localize(error, "zh")`` says the same in Chinese.
"""

from __future__ import annotations

import functools
import math
from numbers import Real

from words import N_, Localized, Text, error

from .formulas import compile_formula
from .gates import Check, Gate

NOT_FINITE = Check("", ValueError, N_("an operand is not a finite number (NaN and infinity "
                                      "never enter a graph: was .data assigned directly?)"))
OVERFLOW = Check("", OverflowError, N_("the result overflows float64"))
# The result is a float64 but its local derivative is not (1/a at a = 1e-200: -1/a² is -1e400).
LOCAL_OVERFLOW = Check("", OverflowError, N_("the result is finite but its local derivative "
                                             "overflows float64"))


class AnomalyError(FloatingPointError):
    """A gate produced a value or a gradient that is NaN or infinite."""


# -- gate refusals --------------------------------------------------------------------------------


def _describe(data: float, label: str) -> str:
    return f"{data!r} (node {label!r})" if label else repr(data)


def describe(node) -> str:
    """``-1.0 (node 'x')``: a node's value and label, as error messages show it."""
    return _describe(node.data, node.label)


# A refusal, in words any language can render: the gate by its title in that language ("log
# gate", "对数门"), what its check says, and the operands that were refused.
# (The lesson page says the same: its script fills in these msgids, a gate's title and the
# operands of the sample that was refused.)
REFUSALS = (N_("{gate}: {says}; got {operands}"),
            N_("{gate} with p = {p}: {says}; got {operands}"))
OPERAND = N_("{name} = {value} (node {label})")  # an operand with a label
PAIR = N_("{first}, {second}")  # two operands


def _operand(name: str, data: float, label: str) -> Text | str:
    """``a = -1.0 (node 'x')``, the word "node" translated; ``a = -1.0`` for a node without a
    label."""
    if not label:
        return f"{name} = {data!r}"
    return Text(OPERAND, name=name, value=repr(data), label=repr(label))


def refusal_text(gate: Gate, says: str, operands: list[tuple[float, str]]) -> Text:
    """The refusal of ``gate`` on (value, label) operands, as a Text any language can render.

    The batched replay uses it too, with one sample's values, so both paths say the same."""
    got = [_operand(name, data, label) for name, (data, label) in zip(gate.inputs, operands)]
    got_text = functools.reduce(lambda a, b: Text(PAIR, first=a, second=b), got) if got else ""
    title = Localized(gate.title)
    if gate.param is None:
        return Text(REFUSALS[0], gate=title, says=Text(says), operands=got_text)
    return Text(REFUSALS[1], gate=title, p=f"{gate.param:g}", says=Text(says),
                operands=got_text)


def refusal_message(gate: Gate, says: str, operands: list[tuple[float, str]]) -> str:
    """``log gate: input must be > 0; got a = -1.0 (node 'x')``: the English refusal."""
    return str(refusal_text(gate, says, operands))


def refused(gate: Gate, operands: tuple) -> Exception:
    """Why ``gate`` refuses these operand nodes: an operand that is not a finite number (its
    ``.data`` was assigned directly), the table's check that holds, a float error the checks
    did not foresee (say 10.0 ** 400), or a result that is not finite."""
    xs = [v.data for v in operands]
    check = None
    if not all(isinstance(x, (int, float)) and math.isfinite(x) for x in xs):
        check = NOT_FINITE
    else:
        names, constants = gate.inputs, {"p": gate.param}
        check = next((c for c in gate.checks
                      if compile_formula(c.when, names, f"{gate.name} gate", constants,
                                         kind="truth")(*xs)),
                     None)
    if check is None:
        forward = compile_formula(gate.forward, gate.inputs, f"{gate.name} gate",
                                  {"p": gate.param})
        out = math.inf
        try:
            out = forward(*xs)
            gate.kernel(*xs)  # None: the result is not finite
            check = OVERFLOW
        except (ArithmeticError, ValueError) as e:
            check = (Check("", type(e), str(e)) if not isinstance(e, OverflowError)
                     else LOCAL_OVERFLOW if math.isfinite(out) else OVERFLOW)
    return error(check.error, refusal_text(gate, check.says, [(v.data, v.label)
                                                              for v in operands]))


# -- settings and numbers -------------------------------------------------------------------------


def finite(x, where) -> float:
    """``x`` as a finite float (any real number will do), or the error naming ``where``: the
    check every number passes to enter a graph, so the one helper here that runs on good input."""
    if isinstance(x, (int, float)) or isinstance(x, Real):  # the ABC check is the slow one
        try:
            if math.isfinite(x := float(x)):
                return x
        except OverflowError:
            pass
    raise bad_number(x, where)


def bad_number(x, where) -> Exception:
    """Why ``x`` is not a finite float: not a number, too large for float64, NaN or infinite.
    ``where`` is a setting's name or (gate name, operand position)."""
    if isinstance(where, tuple):
        where = f"{where[0]} gate: operand {where[1]}"
    if isinstance(x, int) and not isinstance(x, bool):  # float(10**400) would say too little
        return ValueError(f"{where}: must be a finite number, got an integer of about "
                          f"10**{int(x.bit_length() * math.log10(2))}, too large for float64")
    if isinstance(x, float):
        return ValueError(f"{where}: must be a finite number, got {x}")
    try:
        float(x)
    except OverflowError:
        return ValueError(f"{where}: must be a finite number, got {x!r:.60}, too large for "
                          "float64")
    except (TypeError, ValueError):
        pass
    return TypeError(f"{where}: must be a Value or a real number, got {type(x).__name__} "
                     f"{x!r:.60}")


def misused(data, children, label: str) -> TypeError:
    if isinstance(children, str) and not label:
        return TypeError(f"Value({data!r}, {children!r}): the second argument is _children, as "
                         f"in micrograd; for a label write Value({data!r}, label={children!r})")
    return TypeError("Value(): _children and _op are set by the gates; build graphs with "
                     "operators (a + b, a * b, ...) or methods (a.tanh(), ...)")


def refuse_pickling(value, protocol):
    """Value.__reduce_ex__: pickle and copy refuse a graph, saying what to save instead."""
    raise TypeError("a Value graph cannot be pickled or copied (its nodes hold compiled gates); "
                    "save the numbers instead, e.g. nn's model.state_dict()")


MAX_LABEL = 200  # characters: a name, or a short formula; dot and the page refuse far less


def checked_label(label) -> str:
    """``label`` if it is a string that diagrams, the page and messages can carry (at most
    MAX_LABEL characters, encodable as UTF-8: no lone surrogate), else an error saying so."""
    if not isinstance(label, str):
        raise TypeError(f"Value label must be a string, got {type(label).__name__} {label!r:.60}")
    if len(label) > MAX_LABEL:
        raise ValueError(f"Value label is {len(label)} characters long ({label[:30]!r}...); "
                         f"a label names a node: at most {MAX_LABEL}")
    try:
        label.encode("utf-8")
    except UnicodeEncodeError as e:
        raise ValueError(f"Value label {label!r:.60} holds a lone surrogate "
                         f"({label[e.start]!r} at position {e.start}), which no file can "
                         "store: write the character itself") from None
    return label


def check_tolerances(h, rtol, atol) -> None:
    """gradcheck's h must be > 0 and rtol, atol >= 0, all finite numbers (say which is not)."""
    for setting, value in (("h", h), ("rtol", rtol), ("atol", atol)):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and \
            math.isfinite(value)
        if not ok or value < 0 or (setting == "h" and value == 0):
            want = "a positive finite number" if setting == "h" else "a finite number >= 0"
            raise ValueError(f"gradcheck: {setting} must be {want}, got {value!r}")


def root_or_refuse(root, what: str):
    """``root`` if it is a Value (has ``_prev``), else a TypeError naming ``what`` needs one."""
    if not hasattr(root, "_prev"):
        raise TypeError(f"{what} needs the Value at the root of a graph, got "
                        f"{type(root).__name__}")
    return root


HOLDS_GRADIENTS = ("this graph already holds gradients (did backward run?): stepping adds to "
                   "them, as backward() does; call zero_grad(root) first for a fresh walk")


# -- anomaly reports ------------------------------------------------------------------------------


def _chain(nodes: list) -> str:
    return " → ".join(n.label or n.op or repr(n.data) for n in nodes)


def forward_anomaly(gate: Gate, local: tuple, operands: tuple) -> AnomalyError:
    """A gate whose local derivative is not finite (under detect_anomaly)."""
    path, node = [], operands[0]  # the chain of gates that led here, down the first operand
    while True:
        path.append(node)
        if not node._prev:
            break
        node = node._prev[0]
    got = ", ".join(f"{name} = {describe(v)}" for name, v in zip(gate.inputs, operands))
    return AnomalyError(f"{gate.name} gate produced a non-finite local derivative ({local!r}) "
                        f"from {got}; chain: {_chain(path[::-1])} → {gate.name}")


# A gradient that is not finite on the way back (the lesson page says the same, in these words).
BACKWARD = (N_("{gate} sent a non-finite gradient ({sent}) to its input {operand} (upstream "
               "{upstream}, local {local}); chain from the root: {chain}; every .grad was left "
               "as it was"),
            N_("{gate} sent {sent} to its input {operand} (upstream {upstream}, local {local}), "
               "whose gradient sum then overflows float64 ({sum}); chain from the root: {chain}; "
               "every .grad was left as it was"))


def backward_anomaly(root, node, upstream: float, sums: dict) -> AnomalyError:
    """The first gate whose gradient to an input is not finite, or makes its sum overflow."""
    k = next(k for k, p in enumerate(node._prev) if not math.isfinite(sums[p]))
    name, p, local = node._gate.inputs[k], node._prev[k], node._local[k]
    sent = local * upstream
    return error(AnomalyError, Text(
        BACKWARD[math.isfinite(sent)], gate=Localized(node._gate.title),
        sent=repr(sent), operand=_operand(name, p.data, p.label), upstream=repr(upstream),
        local=repr(local), sum=repr(sums[p]), chain=_chain(_path(root, node))))


def tangent_anomaly(node, wrt, inputs, total: float) -> AnomalyError:
    """Forward mode: the tangent of a gate's output is not finite."""
    terms = " + ".join(f"{i.local!r} × {i.tangent!r}" for i in inputs)
    return AnomalyError(f"{node.op} gate: forward mode's tangent d out / d {describe(wrt)} is "
                        f"{terms} = {total!r}, not a finite number")


def hand_step_anomaly(node, sums: dict) -> AnomalyError:
    """``node._backward()`` by hand would put a non-finite gradient into an input."""
    k = next(k for k, p in enumerate(node._prev) if not math.isfinite(sums[p]))
    name, p, local = node._gate.inputs[k], node._prev[k], node._local[k]
    return AnomalyError(
        f"{node.op} gate: _backward() would give its input {name} = {describe(p)} the gradient "
        f"{sums[p]!r} (.grad {node.grad!r} × local {local!r}, added to {p.grad!r}); every .grad "
        "was left as it was")


def _path(root, target) -> list:
    """A path root → ... → target along _prev (breadth first), for error messages."""
    came_from = {root: None}
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
