"""A compiled Program's plan as plain data, for another interpreter (the lesson page's JavaScript).

The plan is what ``Program.forward`` and ``backward`` run, written out: the rows of the (rows, B)
buffer, then each vectorised step in order, either a weighted sum (``W @ U + b`` with W read from
the parameters, one matrix product per depth) or a gate applied elementwise (by its row of the
gate table, never by a rule of its own). Gates appear as ``Gate`` objects in ``plan["gates"]``;
steps name them by index, so a caller can key them as it likes (the page by ``gate_key``).

    {"rows": n, "inputs": k, "parameters": m, "param_rows": [[row, index], ...],
     "outputs": [row, ...], "gates": [Gate, ...],
     "steps": [{"op": "sum", "out": [start, stop], "cols": [row, ...], "need": bool,
                "grad_u": bool, "w": {"start": i} | {"out": [...], "col": [...], "coef": [...],
                "scale": [...]}, "b": None | {"start": i} | {"out": [...], "coef": [...],
                "scale": [...]}},
               {"op": "gate", "gate": g, "out": [start, stop], "args": [[row, ...], ...],
                "need": [bool, ...]}, ...]}

A coefficient index equal to ``parameters`` is the constant 1.0 (a term without a parameter).
``need`` says which steps (and which operands) the backward pass must visit.
"""

from __future__ import annotations

import numpy as np

from .plan import _Elementwise, _Linear
from .program import Program


def _ints(rows) -> list[int]:
    return [int(r) for r in np.asarray(rows).ravel()]


def _span(rows: slice) -> list[int]:
    return [int(rows.start), int(rows.stop)]


def _sum_step(step: _Linear) -> dict:
    if step.w_block is not None:
        w = {"start": int(step.w_block.start)}
    else:
        w = {"out": _ints(step.t_out), "col": _ints(step.t_pos % max(step.n_cols, 1)),
             "coef": _ints(step.t_coef), "scale": [float(s) for s in step.t_scale]}
    if step.b_block is not None:
        b = {"start": int(step.b_block.start)}
    elif len(step.b_out):
        b = {"out": _ints(step.b_out), "coef": _ints(step.b_coef),
             "scale": [float(s) for s in step.b_scale]}
    else:
        b = None
    return {"op": "sum", "out": _span(step.out), "cols": _ints(step._col_rows),
            "need": bool(step.need), "grad_u": bool(step.grad_u), "w": w, "b": b}


def export_plan(program: Program) -> dict:
    """The plan of ``program`` as JSON-ready data (Gate objects aside), see the module doc."""
    gates: list = []
    steps = []
    for step in program._steps:
        if isinstance(step, _Linear):
            steps.append(_sum_step(step))
            continue
        assert isinstance(step, _Elementwise)
        if step.gate not in gates:
            gates.append(step.gate)
        args = [[int(program.rows[n._prev[k]]) for n in step.nodes]
                for k in range(step.gate.arity)]
        steps.append({"op": "gate", "gate": gates.index(step.gate), "out": _span(step.out),
                      "args": args, "need": [bool(x) for x in step.need_grad]})
    rows, index = program._param_rows
    param_rows = [[int(r), int(i)] for r, i in zip(np.arange(program._n_rows)[rows], index)]
    return {"rows": int(program._n_rows), "inputs": len(program.inputs),
            "parameters": len(program.parameters), "param_rows": param_rows,
            "outputs": _ints(program._out_rows), "gates": gates, "steps": steps}
