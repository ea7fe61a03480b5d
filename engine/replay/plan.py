"""Planning a batched replay: weighted sums found in the graph, run as ``W @ U`` per depth.

A gate whose local derivatives are constants and that maps 0 to 0 (add, sub, neg in the table)
is linear; a gate whose locals are ``(b, a)`` is a product. Trees of linear gates whose leaves
are nodes, parameters, or parameter × node products collapse into ``s = Σ c·w·u + Σ c·b``. All
such sums at one depth of the graph run as one ``W @ U``, with W filled at each forward from the
parameters' current ``.data``: for an MLP, W is each layer's weight matrix, found from the graph.
Every other gate runs as ``_Elementwise``: one call of its numpy formulas over a block of rows.

The buffers every step reads and writes: ``values`` (one row of B numbers per kept node),
``coefs`` (each parameter's value, then a 1.0), ``grads`` (d out / d row) and ``param_grads``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import refusal_message
from ..gates import Check, Gate
from ..value import Value
from .formulas import is_product, linear_coefficients, numpy_forms


@dataclass
class _Sum:
    """A weighted sum found in the graph, rooted at one node: ``Σ scale·coef·u + Σ scale·bias``.

    ``terms`` holds (u, coef, scale) with u a node kept as a row and coef a parameter leaf or
    None (the term's coefficient is then just the scale); ``biases`` holds (parameter, scale).
    """

    terms: list[tuple[Value, Value | None, float]]
    biases: list[tuple[Value, float]]


def _find_sums(order: list[Value], outs: list[Value],
               is_param: Callable[[Value], bool]) -> tuple[dict[Value, _Sum], set[Value]]:
    """Every weighted sum of the graph, keyed by its root, and the inner nodes folded into them.

    Linear nodes (add, sub, neg) and products with a parameter are weighted sums. Such a node
    is folded into its consumer's sum when it is used exactly once, by a linear gate, and is
    not an output; otherwise it is the root of a sum of its own and keeps a row.
    """
    uses = dict.fromkeys(order, 0)
    consumer: dict[Value, Value] = {}
    for node in order:
        for p in node._prev:
            uses[p] += 1
            consumer[p] = node
    for o in outs:
        uses[o] += 1
    linear = {n: linear_coefficients(n._gate) for n in order if n._gate is not None}
    scaled = {n for n in order if n._gate is not None and is_product(n._gate)
              and any(is_param(p) for p in n._prev)}
    summing = {n for n, c in linear.items() if c is not None} | scaled
    inner = {n for n in summing
             if uses[n] == 1 and n in consumer and linear[consumer[n]] is not None}

    sums: dict[Value, _Sum] = {}
    for root in order:
        if root not in summing or root in inner:
            continue
        s = sums[root] = _Sum([], [])
        stack = [(root, 1.0)]
        while stack:  # iterative: a sum of 10,000 terms is a chain 10,000 gates deep
            node, scale = stack.pop()
            expand = node is root or node in inner
            if expand and linear.get(node) is not None:
                stack.extend((p, scale * c) for p, c in zip(node._prev, linear[node]))
            elif expand:  # a product with a parameter: the parameter is the coefficient
                a, b = node._prev
                coef, u = (a, b) if is_param(a) else (b, a)
                s.terms.append((u, coef, scale))
            elif is_param(node):
                s.biases.append((node, scale))
            else:
                s.terms.append((node, None, scale))
    return sums, inner


def _rows(indices: Sequence[int]) -> slice | np.ndarray:
    """A slice when the rows are consecutive (a view, no copy), else an index array."""
    if len(indices) and list(indices) == list(range(indices[0], indices[0] + len(indices))):
        return slice(indices[0], indices[0] + len(indices))
    return np.asarray(indices, dtype=np.intp)


def _block(indices: np.ndarray) -> slice | None:
    """The slice covering exactly these indices in order (0, 1, 2, ... shifted), else None."""
    rows = _rows(list(indices))
    return rows if isinstance(rows, slice) else None


def _has_repeats(indices: Sequence[int]) -> bool:
    return len(set(indices)) != len(indices)


def _add_rows(target: np.ndarray, rows, values: np.ndarray, repeats: bool) -> None:
    """target[rows] += values, also when a row appears twice (np.add.at only then: slower)."""
    if repeats:
        np.add.at(target, rows, values)
    else:
        target[rows] += values


# -- the steps of a program -----------------------------------------------------------------------

# A depth of weighted sums uses a dense W (one matmul) unless W would be mostly zeros; then it
# gathers the terms and adds them row by row.
DENSE_LIMIT = 4096


class _Linear:
    """All weighted sums of one depth: ``sums = W @ U + bias``, W and bias read from parameters.

    Term k adds ``scale[k] · coefs[coef[k]] · U[col[k]]`` to the sum ``out[k]``, where coefs
    holds the parameters' values and then a 1.0 (for terms without a parameter, as b in a + b).
    When the terms cover W row by row with consecutive parameters (a dense layer), W is a view
    of coefs and its gradient lands in one slice of the parameters' gradients.
    """

    def __init__(self, nodes: list[Value], out: slice, sums: dict, row: dict, need: dict):
        self.nodes, self.out, self.n_out = nodes, out, len(nodes)
        cols = sorted({row[u] for n in nodes for u, _, _ in sums[n].terms})
        col = {r: j for j, r in enumerate(cols)}
        self.cols, self.n_cols, self._col_rows = _rows(cols), len(cols), np.array(cols, np.intp)
        self._terms = sorted(((i, col[row[u]], coef, scale) for i, n in enumerate(nodes)
                              for u, coef, scale in sums[n].terms), key=lambda t: t[:2])
        self._biases = [(i, b, scale) for i, n in enumerate(nodes) for b, scale in sums[n].biases]
        self.grad_u = any(need[u] for n in nodes for u, _, _ in sums[n].terms)
        for n in nodes:  # a sum needs a gradient if a parameter is in it, or flows into it
            need[n] = bool(sums[n].biases) or any(need[u] or c is not None
                                                   for u, c, _ in sums[n].terms)

    def parameter_order(self) -> list[Value]:
        """Coefficients row by row, then biases: the order that makes W a view of coefs."""
        return [c for _, _, c, _ in self._terms if c is not None] + [b for _, b, _ in self._biases]

    def bind(self, index: dict[Value, int]) -> None:
        """Turn the terms into index arrays once the parameters' order is known."""
        n = len(index)  # coefs[n] is the 1.0 of terms without a parameter
        terms, biases = self._terms, self._biases
        self.t_out = np.array([i for i, _, _, _ in terms], np.intp)
        t_col = np.array([j for _, j, _, _ in terms], np.intp)
        self.t_coef = np.array([n if c is None else index[c] for _, _, c, _ in terms], np.intp)
        self.t_scale = np.array([scale for _, _, _, scale in terms], np.float64)
        self.t_urow = self._col_rows[t_col]
        self.t_pos = self.t_out * self.n_cols + t_col  # where each term lands in W, row-major
        size = self.n_out * self.n_cols
        self.dense = size <= 4 * len(terms) + DENSE_LIMIT
        covers_w = np.array_equal(self.t_pos, np.arange(size))
        unit = np.all(self.t_scale == 1.0)
        self.w_block = _block(self.t_coef) if (
            self.dense and unit and covers_w and np.all(self.t_coef < n)) else None
        self.b_out = np.array([i for i, _, _ in biases], np.intp)
        self.b_coef = np.array([index[b] for _, b, _ in biases], np.intp)
        self.b_scale = np.array([scale for _, _, scale in biases], np.float64)
        self.b_block = _block(self.b_coef) if (
            np.array_equal(self.b_out, np.arange(self.n_out)) and np.all(self.b_scale == 1.0)
        ) else None
        self.grad_coef = bool(np.any(self.t_coef < n))
        self.need = self.grad_u or self.grad_coef or bool(biases)

    def forward(self, values: np.ndarray, coefs: np.ndarray) -> None:
        if self.w_block is not None:
            self.W = coefs[self.w_block].reshape(self.n_out, self.n_cols)
        else:
            self.term_coefs = coefs[self.t_coef] * self.t_scale
            if self.dense:
                self.W = np.bincount(self.t_pos, self.term_coefs, self.n_out * self.n_cols).reshape(
                    self.n_out, self.n_cols)
        sums = values[self.out]  # a view: the sums are written in place
        if self.n_cols == 0:
            sums[...] = 0.0
        elif self.dense:
            np.matmul(self.W, values[self.cols], out=sums)
        else:
            sums[...] = 0.0
            np.add.at(sums, self.t_out, values[self.t_urow] * self.term_coefs[:, None])
        if self.b_block is not None:
            sums += coefs[self.b_block][:, None]
        elif len(self.b_out):
            sums += np.bincount(self.b_out, coefs[self.b_coef] * self.b_scale, self.n_out)[:, None]

    def backward(self, values: np.ndarray, grads: np.ndarray, param_grads: np.ndarray) -> None:
        sum_grads = grads[self.out]
        if self.grad_u and self.n_cols:
            if self.dense:
                grads[self.cols] += self.W.T @ sum_grads  # the columns are distinct rows
            else:
                np.add.at(grads, self.t_urow, sum_grads[self.t_out] * self.term_coefs[:, None])
        if self.grad_coef:
            if self.w_block is not None:
                param_grads[self.w_block] += (sum_grads @ values[self.cols].T).ravel()
            else:
                if self.dense:
                    dW = (sum_grads @ values[self.cols].T).ravel()[self.t_pos]
                else:
                    dW = np.einsum("kb,kb->k", sum_grads[self.t_out], values[self.t_urow])
                param_grads += np.bincount(self.t_coef, dW * self.t_scale, len(param_grads))
        if self.b_block is not None:
            param_grads[self.b_block] += sum_grads.sum(axis=1)
        elif len(self.b_out):
            bias_grads = sum_grads.sum(axis=1)[self.b_out] * self.b_scale
            param_grads += np.bincount(self.b_coef, bias_grads, len(param_grads))


class _Elementwise:
    """The nodes of one depth that share a gate: one call of the gate's numpy formulas."""

    def __init__(self, gate: Gate, nodes: list[Value], out: slice, row: dict, need: dict):
        self.gate, self.nodes, self.out = gate, nodes, out
        self.forms = numpy_forms(gate)
        operand_rows = [[row[n._prev[k]] for n in nodes] for k in range(gate.arity)]
        self.operands = [_rows(rows) for rows in operand_rows]
        self.repeats = [_has_repeats(rows) for rows in operand_rows]
        self.need_grad = [any(need[n._prev[k]] for n in nodes) for k in range(gate.arity)]
        self.need = any(self.need_grad)
        need.update((n, self.need) for n in nodes)

    def forward(self, values: np.ndarray, coefs: np.ndarray) -> None:
        args = [values[rows] for rows in self.operands]
        for check, condition in self.forms.checks:
            refused = condition(*args)
            if np.any(refused):
                raise self._refused(check, np.broadcast_to(refused, args[0].shape), args)
        values[self.out] = self.forms.forward(*args)
        self.args = args

    def backward(self, values: np.ndarray, grads: np.ndarray, param_grads: np.ndarray) -> None:
        g = grads[self.out]
        local = self.forms.local(*self.args, values[self.out])
        for k, rows in enumerate(self.operands):
            if self.need_grad[k]:
                _add_rows(grads, rows, g * local[k], self.repeats[k])

    def _refused(self, check: Check, refused: np.ndarray, args: list[np.ndarray]) -> Exception:
        """The scalar path's message for the first refused sample, plus where in the batch."""
        i, sample = (int(k) for k in np.argwhere(refused)[0])
        operands = [(float(arg[i, sample]), v.label) for arg, v in zip(args, self.nodes[i]._prev)]
        return check.error(f"{refusal_message(self.gate, check.says, operands)} in sample "
                           f"{sample} of the batch (row {sample} of X); the gate makes node "
                           f"{self.names(self.nodes[i])}")
