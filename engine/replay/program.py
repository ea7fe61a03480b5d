"""The Program: a graph compiled once for batches, then ``forward(X)`` and ``backward(seed)``.

``compile_replay`` traces the graph of one sample, groups its nodes by depth (weighted sums
become matrix products, every other gate is vectorised from the gate table, see ``plan``) and
gives rows of one ``(rows, B)`` buffer to the nodes it has to keep. Every leaf that is not an
input is a parameter, read live from ``.data`` at each forward (so an optimizer step between
batches is seen); a leaf made from a number, like the 2 in ``2 * x``, is simply a parameter
nobody updates.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

import numpy as np

from words import N_, Localized, Text, error

from ..errors import PAIR
from ..gates import Gate
from ..steps import node_names
from ..value import Value, topological_order
from .formulas import ReplayError, numpy_forms
from .guard import not_finite_gradient
from .plan import _add_rows, _Elementwise, _find_sums, _has_repeats, _Linear, _rows


class _Names:
    """engine.node_names of the program's outputs, made on first use (only messages need it).
    Steps hold one (not the Program), so a dropped program is no reference cycle."""

    def __init__(self, outputs: list[Value]):
        self.outputs = outputs
        self._names: dict[Value, str] | None = None

    def __call__(self, node: Value) -> str:
        if self._names is None:
            self._names = node_names(*self.outputs)
        return repr(self._names[node])


# A value that is not finite in the forward pass, named (the gate by its title in each language).
GAVE = (N_("{gate} at node {node} gave {value} in sample {sample} of the batch (row {sample} of "
           "X); its inputs: {inputs}"),
        N_("weighted sum ending in a {gate} at node {node} gave {value} in sample {sample} of the "
           "batch (row {sample} of X); its inputs: {inputs}"))


# -- the program ----------------------------------------------------------------------------------


class Program:
    """A graph compiled for batches (``compile_replay``): ``forward(X)``, then ``backward(seed)``.

    ``parameters`` lists the parameter leaves in the order the program reads them (for an MLP:
    each layer's weights row by row, then its biases). ``rows`` maps each node that keeps a row
    of the (rows, B) buffer to it (``export_plan`` writes the plan out for other interpreters).
    """

    rows: dict[Value, int]

    def __init__(self, outputs: list[Value], inputs: list[Value], single: bool,
                 order: list[Value], parameters: list[Value],
                 param_rows: list[tuple[int, Value]], steps: list, out_rows: list[int],
                 n_rows: int):
        self.outputs, self.inputs, self.parameters = outputs, inputs, parameters
        self._single, self._order, self._steps, self._n_rows = single, order, steps, n_rows
        self._names = _Names(outputs)
        for step in steps:
            step.names = self._names
        self._backward_steps = [s for s in reversed(steps) if s.need]
        index = {p: i for i, p in enumerate(parameters)}
        self._param_rows = (_rows([r for r, _ in param_rows]),
                            np.array([index[p] for _, p in param_rows], np.intp))
        self._out_rows, self._out_repeats = np.array(out_rows, np.intp), _has_repeats(out_rows)
        self._gate_nodes = [n for n in order if n._prev]
        self._prevs = [n._prev for n in self._gate_nodes]
        self._V: np.ndarray | None = None
        # The (rows, B) buffers of the last batch size, reused: a fresh half-megabyte array
        # per call costs page faults that took a fifth of a small batch's time.
        self._buffers: tuple[np.ndarray, np.ndarray] | None = None

    def __repr__(self) -> str:
        kinds = " ".join(f"{len(s.nodes)}×{'sum' if isinstance(s, _Linear) else s.gate.name}"
                         for s in self._steps)
        return (f"Program({len(self.inputs)} inputs, {len(self.parameters)} parameters, "
                f"{len(self._order)} nodes -> {len(self._steps)} vectorised steps: {kinds})")

    def forward(self, X) -> np.ndarray:
        """The outputs for each row of X, shape (B, len(inputs)): an array (B,) or (B, k)."""
        X = self._batch(X)
        self._check_graph()
        self._V = None
        coefs = self._read_parameters()
        values = self._buffer(X.shape[0])[0]
        values[:X.shape[1]] = X.T
        rows, index = self._param_rows
        if len(index):
            values[rows] = coefs[index][:, None]
        with np.errstate(all="ignore"):  # bad values are found and named below, not warned
            for step in self._steps:
                step.forward(values, coefs)
        out = values[self._out_rows].T  # a copy: fancy indexing
        if not np.isfinite(out).all():
            raise self._not_finite(values)
        self._V = values
        return out[:, 0] if self._single else out

    __call__ = forward

    def backward(self, seed=None) -> None:
        """Add Σ_b seed[b] · d out_b / d param into every parameter's ``.grad``.

        ``seed`` has the forward output's shape and defaults to ones: the batch sum, as the
        scalar path after adding the B losses. Pass ``np.full(B, 1 / B)`` for the mean.
        Inner nodes' ``.grad`` are not touched (they have one value per sample here).
        """
        values = self._V
        if values is None:
            raise ReplayError("backward() needs a successful forward(X) first")
        B = values.shape[1]
        shape = (B,) if self._single else (B, len(self._out_rows))
        seed = np.ones(shape) if seed is None else np.asarray(seed, dtype=np.float64)
        if seed.shape != shape:
            raise ReplayError(f"seed must have the forward output's shape {shape}; "
                              f"got shape {seed.shape}")
        if not np.isfinite(seed).all():
            bad = float(seed[~np.isfinite(seed)][0])
            raise ReplayError(f"seed must be finite; got {bad!r}")
        grads = self._seeded(values, seed)
        param_grads = np.zeros(len(self.parameters) + 1)  # the last slot collects terms without one
        with np.errstate(all="ignore"):
            for step in self._backward_steps:
                step.backward(values, grads, param_grads)
        rows, index = self._param_rows
        if len(index):
            param_grads[index] += grads[rows].sum(axis=1)
        if not np.isfinite(param_grads[:-1]).all():  # the guard: named, .grad untouched
            raise not_finite_gradient(self, values, self._seeded(values, seed, fresh=True))
        for p, g in zip(self.parameters, param_grads.tolist()):
            p.grad += g

    def _buffer(self, B: int) -> tuple[np.ndarray, np.ndarray]:
        """(values, grads) buffers of B columns, reused while the batch size stays the same."""
        if self._buffers is None or self._buffers[0].shape[1] != B:
            self._buffers = (np.empty((self._n_rows, B)), np.empty((self._n_rows, B)))
        return self._buffers

    def _seeded(self, values: np.ndarray, seed: np.ndarray, fresh: bool = False) -> np.ndarray:
        """The gradient buffer before the first backward step: the seed in the output rows."""
        grads = np.zeros_like(values) if fresh else self._buffer(values.shape[1])[1]
        grads.fill(0.0)
        _add_rows(grads, self._out_rows, seed.reshape(values.shape[1], -1).T, self._out_repeats)
        return grads

    # -- reading the parameters, checking the batch and the graph ---------------------------------
    def _read_parameters(self) -> np.ndarray:
        """C: every parameter's current ``.data``, then the 1.0 of terms without a parameter."""
        n = len(self.parameters)
        coefs = np.fromiter([p.data for p in self.parameters] + [1.0], np.float64, n + 1)
        if not np.isfinite(coefs).all():
            bad = self.parameters[int(np.argmin(np.isfinite(coefs)))]
            raise ReplayError(f"parameter {self._names(bad)} is not finite ({bad.data!r})")
        return coefs

    def _batch(self, X) -> np.ndarray:
        try:
            X = np.asarray(X, dtype=np.float64)
        except (TypeError, ValueError) as e:
            raise ReplayError(f"X must be an array of numbers: {e}") from None
        k = len(self.inputs)
        if X.ndim == 2 and X.shape[1] != k:
            names = ", ".join(self._names(v) for v in self.inputs)
            raise ReplayError(f"X has {X.shape[1]} columns but the program has {k} inputs: "
                              f"X must have shape (B, {k}), one column per input [{names}]; "
                              f"got shape {X.shape}")
        if X.ndim != 2 or X.shape[0] == 0:
            names = ", ".join(self._names(v) for v in self.inputs)
            raise ReplayError(f"X must have shape (B, {k}) with B >= 1, one column per input "
                              f"[{names}]; got shape {X.shape}")
        if not np.isfinite(X).all():
            sample, column = (int(i) for i in np.argwhere(~np.isfinite(X))[0])
            raise ReplayError(f"X holds {float(X[sample, column])!r} at row {sample}, column "
                              f"{column} (input {self._names(self.inputs[column])}); inputs must "
                              "be finite")
        return X

    def _check_graph(self) -> None:
        """Refuse to replay a stale plan: every traced gate node must keep its inputs.

        One identity comparison per gate node (about 15 ns) at every forward: the price of never
        replaying a rewired graph. (A node's gate is fixed when it is made; only its private
        ``_prev`` could be reassigned to rewire the graph.)
        """
        if [n._prev for n in self._gate_nodes] != self._prevs:
            node = next(n for n, prev in zip(self._gate_nodes, self._prevs) if n._prev is not prev)
            raise ReplayError(f"the graph changed after compile: node {self._names(node)} has "
                              "new inputs; compile it again")

    def _not_finite(self, values: np.ndarray) -> Exception:
        """Name the first step that produced a NaN or an infinity (only on the error path)."""
        for step in self._steps:
            block = values[step.out]
            if not np.isfinite(block).all():
                i, sample = (int(k) for k in np.argwhere(~np.isfinite(block))[0])
                node, value = step.nodes[i], float(block[i, sample])
                where = (GAVE[0] if isinstance(step, _Elementwise) else GAVE[1])
                inputs = functools.reduce(lambda a, b: Text(PAIR, first=a, second=b),
                                          [self._names(p) for p in node._prev])
                return error(OverflowError if math.isinf(value) else FloatingPointError, Text(
                    where, gate=Localized(node._gate.title), node=self._names(node),
                    value=repr(value), sample=sample, inputs=inputs))
        return FloatingPointError("an output is not finite")  # unreachable: outputs are rows


# -- compile --------------------------------------------------------------------------------------


def compile_replay(outputs: Value | Sequence[Value], inputs: Sequence[Value] = ()) -> Program:
    """Trace the graph of ``outputs`` once and plan a numpy program that runs it over a batch.

    ``inputs`` are the leaf Values fed per sample, one column of X each; every other leaf is a
    parameter, read live from ``.data`` at each forward. Nodes are grouped by depth: weighted
    sums become matrix products and every other gate is vectorised from the gate table. A gate
    the replay cannot vectorise is refused here (ReplayError), not in the middle of a batch, and
    so are an input the outputs do not depend on and a graph without gates: replaying either
    would give the same output for every row without a word.
    """
    single = isinstance(outputs, Value)
    outs = [outputs] if single else list(outputs)
    if not outs or not all(isinstance(o, Value) for o in outs):
        raise ReplayError("compile(outputs, inputs): outputs must be a Value or a non-empty "
                          f"sequence of Values, got {outputs!r:.80}")
    inputs = list(inputs)
    for v in inputs:
        if not isinstance(v, Value) or v._prev:
            raise ReplayError("compile: every input must be a leaf Value (made with Value(x)), "
                              f"got {v!r:.80}")
    if len(set(inputs)) != len(inputs):
        raise ReplayError("compile: an input is listed twice")

    # One walk per output not already reached (a model's outputs lie inside its loss's graph):
    # eleven walks of a 100,000-gate graph took 5 of the 7 seconds of compiling MLP(784, ...).
    seen: dict[Value, None] = {}
    for o in outs:
        if o not in seen:
            seen.update(dict.fromkeys(topological_order(o)))
    order = list(seen)
    if not any(n._prev for n in order):
        raise ReplayError("compile: the graph of the outputs has no gates (was it built under "
                          "no_grad?); there is nothing to replay")
    in_graph = set(order)
    for k, v in enumerate(inputs):
        if v not in in_graph:
            name = repr(v.label) if v.label else f"number {k} ({v!r})"
            raise ReplayError(f"compile: input {name} is not a leaf of the outputs' graph, so its "
                              "column of X would be ignored; pass only leaves the outputs use")
    is_input = set(inputs)
    leaves = [n for n in order if not n._prev]
    params = {n for n in leaves if n not in is_input}
    sums, inner = _find_sums(order, outs, params.__contains__)

    # Group the kept nodes by depth and gate (None for weighted sums): one vectorised step each.
    depth: dict[Value, int] = dict.fromkeys(leaves, 0)
    groups: dict[tuple[int, Gate | None], list[Value]] = {}
    for node in order:
        if not node._prev or node in inner:
            continue
        if node in sums:
            gate, below = None, [u for u, _, _ in sums[node].terms]
        else:
            gate, below = node._gate, node._prev
            numpy_forms(gate)  # compiled once per gate, before the first batch
        depth[node] = 1 + max((depth[u] for u in below), default=0)
        groups.setdefault((depth[node], gate), []).append(node)

    # Rows of the (rows, B) buffer: inputs first (X.T lands in one slice), then the parameters
    # read as rows (operands of gates, terms of sums, outputs), then each step's outputs.
    row = {v: i for i, v in enumerate(inputs)}
    read = set(outs) | {u for s in sums.values() for u, _, _ in s.terms}
    read.update(p for n in order if n._prev and n not in sums and n not in inner for p in n._prev)
    param_rows = []
    for p in leaves:
        if p in params and p in read:
            param_rows.append((len(row), p))
            row[p] = len(row)

    need = {n: n in params for n in leaves}  # does a parameter's gradient flow through n?
    steps: list[_Linear | _Elementwise] = []
    # sorted is stable: within a depth, groups keep the order of their first node
    for (_, gate), nodes in sorted(groups.items(), key=lambda group: group[0][0]):
        if gate is not None:  # sort by operand rows, so operands are often one slice
            nodes.sort(key=lambda n: [row[p] for p in n._prev])
        start = len(row)
        row.update((n, start + i) for i, n in enumerate(nodes))
        out = slice(start, len(row))
        steps.append(_Linear(nodes, out, sums, row, need) if gate is None
                     else _Elementwise(gate, nodes, out, row, need))

    # Parameters in the order the sums read them (so a layer's W is one slice), then the rest.
    parameters = list(dict.fromkeys(
        [p for s in steps if isinstance(s, _Linear) for p in s.parameter_order()]
        + [p for p in leaves if p in params]))
    index = {p: i for i, p in enumerate(parameters)}
    for s in steps:
        if isinstance(s, _Linear):
            s.bind(index)
    program = Program(outs, inputs, single, order, parameters, param_rows, steps,
                      [row[o] for o in outs], len(row))
    program.rows = row  # node -> its row of the buffer (nodes folded into a sum have none)
    return program

