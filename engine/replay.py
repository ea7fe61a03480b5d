"""Batched replay: trace the graph of one sample once, then run it over a whole batch with numpy.

The scalar graph stays the thing a class sees; ``compile`` only plans how to run the same graph
on B samples at once, one row of B numbers per node it has to keep. Two ideas make it fast, and
both read the gate table rather than a second copy of the rules:

1. **Weighted sums become matrix products.** A gate whose local derivatives are constants and
   that maps 0 to 0 (add, sub, neg in the table) is linear; a gate whose locals are ``(b, a)``
   is a product. Trees of linear gates whose leaves are nodes, parameters, or parameter × node
   products collapse into ``s = Σ c·w·u + Σ c·b``. All such sums at one depth of the graph run
   as one ``W @ U``, with W filled at each forward from the parameters' current ``.data``. For an
   MLP that W is exactly each layer's weight matrix, found from the graph, not from knowing what
   a Neuron is.
2. **Every other gate is vectorised from its formula strings.** ``gate.forward``, ``gate.local``
   and each ``check.when`` are compiled with NUMPY_FUNCTIONS (numpy twins of the helpers in
   ``engine.gates.SCALAR_FUNCTIONS``), and the nodes of one depth that share a gate run as one
   call over an (n, B) block.

Every leaf that is not an input is a parameter, read live from ``.data`` at each forward (so an
optimizer step between batches is seen); a leaf made from a number, like the 2 in ``2 * x``, is
simply a parameter nobody updates.
"""

from __future__ import annotations

import ast
import functools
import math
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .gates import Check, Gate
from .steps import node_names
from .value import Value, refusal_message, topological_order

# -- numpy twins of the scalar helpers ------------------------------------------------------------


def _sigmoid(a):
    # The scalar helper's two branches, 1 / (1 + exp(-a)) for a >= 0 and exp(a) / (1 + exp(a))
    # below, without a select: z = exp(-|a|) is exp(a) below 0, and max(z, a >= 0) is 1 above.
    z = np.exp(-np.abs(a))
    return np.maximum(z, a >= 0) / (1.0 + z)


def _route(a, b):
    return np.greater(a, b).astype(np.float64) + 0.5 * np.equal(a, b)


# Same names, same values (ties, zeros), as engine.gates.SCALAR_FUNCTIONS: a formula string of
# the gate table evaluates to the scalar result with those and to arrays with these. No
# np.where: on unpredictable masks it is ten times slower than arithmetic here.
NUMPY_FUNCTIONS: dict[str, object] = {
    "exp": np.exp,
    "log": np.log,
    "tanh": np.tanh,
    "sigmoid": _sigmoid,
    "relu": lambda a: np.maximum(a, 0.0),
    "step": lambda a: np.greater(a, 0.0).astype(np.float64),
    "maximum": np.maximum,
    "route": _route,
    "is_int": lambda p: np.floor(p) == p,
    "inf": np.inf,
}


class ReplayError(ValueError):
    """The graph cannot be replayed, or the batch does not fit the compiled program."""


# -- formula strings -> numpy functions -----------------------------------------------------------

_ALLOWED = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.IfExp, ast.Call,
            ast.Name, ast.Load, ast.Constant, ast.Tuple, ast.operator, ast.unaryop, ast.boolop,
            ast.cmpop)


class _Vectorise(ast.NodeTransformer):
    """Rewrite Python's scalar control flow into numpy's elementwise forms.

    ``x if t else y`` -> where(t, x, y); ``a and b`` -> logical_and; ``not a`` -> logical_not;
    ``0 < p < 1`` -> logical_and(0 < p, p < 1). Arithmetic and comparisons already broadcast.
    """

    def visit_IfExp(self, node):
        self.generic_visit(node)
        return _call("_where", node.test, node.body, node.orelse)

    def visit_BoolOp(self, node):
        self.generic_visit(node)
        name = "_and" if isinstance(node.op, ast.And) else "_or"
        result = node.values[0]
        for value in node.values[1:]:
            result = _call(name, result, value)
        return result

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        return _call("_not", node.operand) if isinstance(node.op, ast.Not) else node

    def visit_Compare(self, node):
        self.generic_visit(node)
        pairs = zip([node.left, *node.comparators], node.ops, node.comparators)
        parts = [ast.Compare(left, [op], [right]) for left, op, right in pairs]
        result = parts[0]
        for part in parts[1:]:
            result = _call("_and", result, part)
        return result


def _call(name: str, *args: ast.expr) -> ast.Call:
    return ast.Call(ast.Name(name, ast.Load()), list(args), [])


def _where(test, x, y):
    """x if test else y, elementwise; a scalar test (as ``if p`` in pow) just picks a side."""
    return (x if test else y) if np.ndim(test) == 0 else np.where(test, x, y)


_PLUMBING = {"_where": _where, "_and": np.logical_and, "_or": np.logical_or,
             "_not": np.logical_not}


def _numpy_function(gate: Gate, formula: str, args: Sequence[str]) -> Callable:
    """Compile one formula string of `gate` into a numpy function of `args`, or say why not."""
    where = f"{gate.name} gate: formula {formula!r}"
    try:
        tree = ast.parse(formula, mode="eval")
    except SyntaxError as e:
        raise ReplayError(f"{where} is not a Python expression ({e.msg})") from None
    known = set(args) | set(NUMPY_FUNCTIONS) | ({"p"} if gate.param is not None else set())
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            raise ReplayError(f"{where}: the replay cannot vectorise {type(node).__name__} "
                              "(only arithmetic, comparisons, and/or/not, x if t else y and "
                              "calls of NUMPY_FUNCTIONS)")
        if isinstance(node, ast.Call) and (node.keywords or not isinstance(node.func, ast.Name)):
            raise ReplayError(f"{where}: only plain calls of helper names can be vectorised")
        if isinstance(node, ast.Name) and node.id not in known:
            raise ReplayError(f"{where}: {node.id!r} has no numpy form; add it to "
                              "engine.replay.NUMPY_FUNCTIONS next to SCALAR_FUNCTIONS")
    source = ast.unparse(ast.fix_missing_locations(_Vectorise().visit(tree)))
    env = dict(NUMPY_FUNCTIONS, **_PLUMBING, p=gate.param)
    return eval(f"lambda {', '.join(args)}: {source}", env)  # our table's text, not user input


@dataclass(frozen=True)
class _Forms:
    """A gate in numpy form: forward(*inputs), local(*inputs, out) -> tuple, checks."""

    forward: Callable
    local: Callable
    checks: tuple[tuple[Check, Callable], ...]


@functools.cache  # a Gate is a frozen dataclass: equal rows share one compiled form
def numpy_forms(gate: Gate) -> _Forms:
    """A gate in numpy form, compiled once from its formula strings (ReplayError if it can't)."""
    args = list(gate.inputs)
    local_source = "(" + ", ".join(gate.local) + ",)"
    return _Forms(
        forward=_numpy_function(gate, gate.forward, args),
        local=_numpy_function(gate, local_source, [*args, "out"]),
        checks=tuple((c, _numpy_function(gate, c.when, args)) for c in gate.checks),
    )


def _constant(formula: str) -> float | None:
    """The number a formula string stands for ('1.0', '-1.0'), or None if it has names in it."""
    try:
        return float(ast.literal_eval(formula))
    except (ValueError, TypeError, SyntaxError):
        return None


# Probe points: a gate is taken as linear (or as a product) only if its scalar kernel agrees there.
_PROBES = ((0.0, 0.0), (0.37, -1.3), (-2.5, 0.7), (1.9, 3.1))


def _kernel_agrees(gate: Gate, formula: Callable[..., float]) -> bool:
    for point in _PROBES:
        args = point[:gate.arity]
        try:
            out = gate.kernel(*args)[0]
        except (ArithmeticError, ValueError):
            return False
        if not math.isclose(out, formula(*args), rel_tol=1e-12, abs_tol=1e-15):
            return False
    return True


@functools.cache
def linear_coefficients(gate: Gate) -> tuple[float, ...] | None:
    """``(c_a, c_b)`` when the gate computes ``c_a·a + c_b·b`` (add, sub, neg), else None.

    Read from the table: constant local derivatives make a smooth gate linear up to a constant;
    the scalar kernel is probed at a few points (0 among them) to confirm ``out = Σ c·input``,
    which also keeps out a piecewise-constant gate whose derivative is 0 almost everywhere.
    """
    coefficients = tuple(_constant(local) for local in gate.local)
    if any(c is None for c in coefficients) or not _kernel_agrees(
            gate, lambda *args: sum(c * x for c, x in zip(coefficients, args))):
        return None
    return coefficients


@functools.cache
def is_product(gate: Gate) -> bool:
    """True for a gate computing a·b: its locals are (b, a) and its kernel agrees."""
    return (gate.arity == 2 and gate.local == (gate.inputs[1], gate.inputs[0])
            and _kernel_agrees(gate, operator.mul))


# -- planning: weighted sums, depths, rows --------------------------------------------------------


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
    """All weighted sums of one depth: ``S = W @ U + bias``, W and bias read from parameters.

    Term k adds ``scale[k] · C[coef[k]] · U[col[k]]`` to the sum ``out[k]``, where C holds the
    parameters' values followed by a 1.0 (for terms without a parameter, like the b of a + b).
    When the terms cover W row by row with consecutive parameters (a dense layer), W is a view
    of C and its gradient lands in one slice of the parameters' gradients.
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
        """Coefficients row by row, then biases: the order that makes W a view of C."""
        return [c for _, _, c, _ in self._terms if c is not None] + [b for _, b, _ in self._biases]

    def bind(self, index: dict[Value, int]) -> None:
        """Turn the terms into index arrays once the parameters' order is known."""
        n = len(index)  # C[n] is the 1.0 of terms without a parameter
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

    def forward(self, V: np.ndarray, C: np.ndarray) -> None:
        if self.w_block is not None:
            self.W = C[self.w_block].reshape(self.n_out, self.n_cols)
        else:
            self.values = C[self.t_coef] * self.t_scale
            if self.dense:
                self.W = np.bincount(self.t_pos, self.values, self.n_out * self.n_cols).reshape(
                    self.n_out, self.n_cols)
        S = V[self.out]  # a view: the sums are written in place
        if self.n_cols == 0:
            S[...] = 0.0
        elif self.dense:
            np.matmul(self.W, V[self.cols], out=S)
        else:
            S[...] = 0.0
            np.add.at(S, self.t_out, V[self.t_urow] * self.values[:, None])
        if self.b_block is not None:
            S += C[self.b_block][:, None]
        elif len(self.b_out):
            S += np.bincount(self.b_out, C[self.b_coef] * self.b_scale, self.n_out)[:, None]

    def backward(self, V: np.ndarray, G: np.ndarray, PG: np.ndarray) -> None:
        GS = G[self.out]
        if self.grad_u and self.n_cols:
            if self.dense:
                G[self.cols] += self.W.T @ GS  # the columns are distinct rows
            else:
                np.add.at(G, self.t_urow, GS[self.t_out] * self.values[:, None])
        if self.grad_coef:
            if self.w_block is not None:
                PG[self.w_block] += (GS @ V[self.cols].T).ravel()
            else:
                if self.dense:
                    dW = (GS @ V[self.cols].T).ravel()[self.t_pos]
                else:
                    dW = np.einsum("kb,kb->k", GS[self.t_out], V[self.t_urow])
                PG += np.bincount(self.t_coef, dW * self.t_scale, len(PG))
        if self.b_block is not None:
            PG[self.b_block] += GS.sum(axis=1)
        elif len(self.b_out):
            PG += np.bincount(self.b_coef, GS.sum(axis=1)[self.b_out] * self.b_scale, len(PG))


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

    def forward(self, V: np.ndarray, C: np.ndarray) -> None:
        args = [V[rows] for rows in self.operands]
        for check, condition in self.forms.checks:
            refused = condition(*args)
            if np.any(refused):
                raise self._refused(check, np.broadcast_to(refused, args[0].shape), args)
        V[self.out] = self.forms.forward(*args)
        self.args = args

    def backward(self, V: np.ndarray, G: np.ndarray, PG: np.ndarray) -> None:
        g = G[self.out]
        local = self.forms.local(*self.args, V[self.out])
        for k, rows in enumerate(self.operands):
            if self.need_grad[k]:
                _add_rows(G, rows, g * local[k], self.repeats[k])

    def _refused(self, check: Check, refused: np.ndarray, args: list[np.ndarray]) -> Exception:
        """The scalar path's message for the first refused sample, plus where in the batch."""
        i, sample = (int(k) for k in np.argwhere(refused)[0])
        operands = [(float(arg[i, sample]), v.label) for arg, v in zip(args, self.nodes[i]._prev)]
        return check.error(f"{refusal_message(self.gate, check.says, operands)} in sample "
                           f"{sample} of the batch (row {sample} of X); the gate makes node "
                           f"{self.names(self.nodes[i])}")


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


# -- the program ----------------------------------------------------------------------------------


class Program:
    """A graph compiled for batches (see ``compile``): ``forward(X)``, then ``backward(seed)``.

    ``parameters`` lists the parameter leaves in the order the program reads them (for an MLP:
    each layer's weights row by row, then its biases).
    """

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
        C = self._read_parameters()
        V = np.empty((self._n_rows, X.shape[0]))
        V[:X.shape[1]] = X.T
        rows, index = self._param_rows
        if len(index):
            V[rows] = C[index][:, None]
        with np.errstate(all="ignore"):  # bad values are found and named below, not warned
            for step in self._steps:
                step.forward(V, C)
        out = V[self._out_rows].T  # a copy: fancy indexing
        if not np.isfinite(out).all():
            raise self._not_finite(V)
        self._V = V
        return out[:, 0] if self._single else out

    __call__ = forward

    def backward(self, seed=None) -> None:
        """Add Σ_b seed[b] · d out_b / d param into every parameter's ``.grad``.

        ``seed`` has the forward output's shape and defaults to ones: the batch sum, as the
        scalar path after adding the B losses. Pass ``np.full(B, 1 / B)`` for the mean.
        Inner nodes' ``.grad`` are not touched (they have one value per sample here).
        """
        V = self._V
        if V is None:
            raise ReplayError("backward() needs a successful forward(X) first")
        B = V.shape[1]
        shape = (B,) if self._single else (B, len(self._out_rows))
        seed = np.ones(shape) if seed is None else np.asarray(seed, dtype=np.float64)
        if seed.shape != shape:
            raise ReplayError(f"seed must have the forward output's shape {shape}; "
                              f"got shape {seed.shape}")
        if not np.isfinite(seed).all():
            bad = float(seed[~np.isfinite(seed)][0])
            raise ReplayError(f"seed must be finite; got {bad!r}")
        G = np.zeros_like(V)
        _add_rows(G, self._out_rows, seed.reshape(B, -1).T, self._out_repeats)
        PG = np.zeros(len(self.parameters) + 1)  # the last slot collects terms without one
        with np.errstate(all="ignore"):
            for step in self._backward_steps:
                step.backward(V, G, PG)
        rows, index = self._param_rows
        if len(index):
            PG[index] += G[rows].sum(axis=1)
        for p, g in zip(self.parameters, PG.tolist()):
            p.grad += g

    # -- reading the parameters, checking the batch and the graph ---------------------------------
    def _read_parameters(self) -> np.ndarray:
        """C: every parameter's current ``.data``, then the 1.0 of terms without a parameter."""
        n = len(self.parameters)
        C = np.empty(n + 1)
        C[:n] = [p.data for p in self.parameters]
        C[n] = 1.0
        if not np.isfinite(C).all():
            bad = self.parameters[int(np.argmin(np.isfinite(C)))]
            raise ReplayError(f"parameter {self._names(bad)} is not finite ({bad.data!r})")
        return C

    def _batch(self, X) -> np.ndarray:
        try:
            X = np.asarray(X, dtype=np.float64)
        except (TypeError, ValueError) as e:
            raise ReplayError(f"X must be an array of numbers: {e}") from None
        k = len(self.inputs)
        if X.ndim != 2 or X.shape[1] != k or X.shape[0] == 0:
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

    def _not_finite(self, V: np.ndarray) -> Exception:
        """Name the first step that produced a NaN or an infinity (only on the error path)."""
        for step in self._steps:
            block = V[step.out]
            if not np.isfinite(block).all():
                i, sample = (int(k) for k in np.argwhere(~np.isfinite(block))[0])
                node, value = step.nodes[i], float(block[i, sample])
                what = (f"{node.op} gate" if isinstance(step, _Elementwise)
                        else f"weighted sum ending in a {node.op} gate")
                inputs = ", ".join(self._names(p) for p in node._prev)
                error = OverflowError if math.isinf(value) else FloatingPointError
                return error(f"{what} at node {self._names(node)} gave {value!r} in sample "
                             f"{sample} of the batch (row {sample} of X); its inputs: {inputs}")
        return FloatingPointError("an output is not finite")  # unreachable: outputs are rows


# -- compile --------------------------------------------------------------------------------------


def compile(outputs: Value | Sequence[Value], inputs: Sequence[Value] = ()) -> Program:  # noqa: A001
    """Trace the graph of ``outputs`` once and plan a numpy program that runs it over a batch.

    ``inputs`` are the leaf Values fed per sample, one column of X each; every other leaf is a
    parameter, read live from ``.data`` at each forward. Nodes are grouped by depth: weighted
    sums become matrix products and every other gate is vectorised from the gate table. A gate
    the replay cannot vectorise is refused here (ReplayError), not in the middle of a batch.
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

    order = list(dict.fromkeys(n for o in outs for n in topological_order(o)))
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
            numpy_forms(gate)  # refuse an unvectorisable gate now
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
    return Program(outs, inputs, single, order, parameters, param_rows, steps,
                   [row[o] for o in outs], len(row))
