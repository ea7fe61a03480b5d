"""The replay's finiteness guard on backward: a non-finite gradient is named, never kept.

The forward pass already refuses a gate's bad input and a non-finite output. A backward pass can
still overflow where every value is fine: ``log`` at 1e-300 sends upstream × 1e300. Program
checks the parameters' gradients once (one ``isfinite`` over a vector) before it adds them into
``.grad``; only when that fails does ``not_finite_gradient`` run the backward pass again, step by
step, to name the first gate whose gradient to an input is not finite, the input and the sample,
as the scalar engine's ``backward_anomaly`` does. Every ``.grad`` is left as it was.
"""

from __future__ import annotations

import math

import numpy as np

from words import N_, Localized, Text, error

from ..errors import AnomalyError
from .plan import _Elementwise

SENT = (N_("{gate} at node {node} sent a non-finite gradient ({sent}) to its input {input} = "
           "{value} (node {operand}) in sample {sample} of the batch (row {sample} of X) "
           "(upstream {upstream}, local {local}); every .grad was left as it was"),
        N_("{gate} at node {node} sent {sent} to its input {input} = {value} (node {operand}) in "
           "sample {sample} of the batch (row {sample} of X) (upstream {upstream}, local "
           "{local}), whose gradient sum then overflows float64 ({sum}); every .grad was left "
           "as it was"))


def not_finite_gradient(program, values: np.ndarray, grads: np.ndarray) -> AnomalyError:
    """The first backward step that made a gradient NaN or infinite, named (error path only).

    ``grads`` is the seeded gradient buffer before any step ran (it is changed here).
    """
    param_grads = np.zeros(len(program.parameters) + 1)
    with np.errstate(all="ignore"):
        for step in program._backward_steps:
            if isinstance(step, _Elementwise):
                error = _elementwise(program, step, values, grads)
                if error is not None:
                    return error
            step.backward(values, grads, param_grads)
            if not np.isfinite(grads).all():
                return _weighted_sum(program, step, grads)
            if not np.isfinite(param_grads[:-1]).all():
                return _summed(program, param_grads, values.shape[1])
    return _summed(program, param_grads, values.shape[1])


def _elementwise(program, step: _Elementwise, values: np.ndarray,
                 grads: np.ndarray) -> AnomalyError | None:
    """The first (node, input, sample) of this step whose gradient is not finite, or None."""
    g = grads[step.out]
    local = step.forms.local(*step.args, values[step.out])
    for k, rows in enumerate(step.operands):
        if not step.need_grad[k]:
            continue
        lk = np.broadcast_to(local[k], g.shape)
        sent = g * lk
        total = grads[rows] + sent
        bad = ~np.isfinite(total)
        if not bad.any():
            continue
        i, sample = (int(j) for j in np.argwhere(bad)[0])
        node, name = step.nodes[i], program._names
        p = node._prev[k]
        up, loc, s = float(g[i, sample]), float(lk[i, sample]), float(sent[i, sample])
        return error(AnomalyError, Text(
            SENT[math.isfinite(s)], gate=Localized(step.gate.title), node=name(node), sent=repr(s),
            input=step.gate.inputs[k], value=repr(float(step.args[k][i, sample])),
            operand=name(p), sample=sample, upstream=repr(up), local=repr(loc),
            sum=repr(float(total[i, sample]))))
    return None


def _weighted_sum(program, step, grads: np.ndarray) -> AnomalyError:
    """A weighted sum (W @ U) whose gradient overflowed: name its first node and the sample."""
    block = grads[step.out]
    bad = np.argwhere(~np.isfinite(block))
    i, sample = (int(j) for j in bad[0]) if len(bad) else (0, 0)
    node = step.nodes[i]
    return error(AnomalyError, Text(
        "the weighted sum ending in a {gate} at node {node} made a gradient overflow float64 in "
        "sample {sample} of the batch (row {sample} of X) (upstream {upstream}); every .grad was "
        "left as it was", gate=Localized(node._gate.title), node=program._names(node),
        sample=sample, upstream=repr(float(block[i, sample]))))


def _summed(program, param_grads: np.ndarray, B: int) -> AnomalyError:
    """Every gradient row is finite, but a parameter's (a sum over the batch) is not."""
    bad = np.flatnonzero(~np.isfinite(param_grads[:-1]))
    p = program.parameters[int(bad[0])] if len(bad) else None
    name = program._names(p) if p is not None else "?"
    return error(AnomalyError, Text(
        "the gradient of parameter {name} (Σ over the {B} samples of the batch of upstream × "
        "input) overflows float64 ({sum}); every .grad was left as it was", name=name, B=B,
        sum=repr(float(param_grads[bad[0]]))))
