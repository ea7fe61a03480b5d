"""Property tests: what viz shows and parses agrees with the engine, on random graphs.

Graphs come from tests/engine/strategies.py (recipes that build the same graph from engine
Values or torch tensors); torch float64 is the oracle for the gradients.
"""

from __future__ import annotations

import torch
from hypothesis import HealthCheck, given, settings

import engine
from gategrad.expr import parse
from tests.close import close
from tests.engine.strategies import engine_apply, expression_text, recipes, torch_apply
from viz import frames, steps_table

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
DIGITS = 6


def as_expression(recipe) -> tuple[str, dict[str, float]]:
    """The recipe as 'n0 = ...; n1 = ...; n0 + n1 + ...' with --set values for its leaves."""
    names = [f"x{i}" for i in range(len(recipe.leaves))]
    parts = []
    for k, (name, p, i, j) in enumerate(recipe.ops):
        parts.append(f"n{k} = {expression_text(name, p, names[i], names[j])}")
        names.append(f"n{k}")
    outputs = [f"n{k}" for k in range(len(recipe.ops))]
    return "; ".join(parts + [" + ".join(outputs)]), dict(
        (f"x{i}", v) for i, v in enumerate(recipe.leaves))


def torch_grads(recipe) -> list[float]:
    leaves, root = recipe.build(
        lambda v, i: torch.tensor(v, dtype=torch.float64, requires_grad=True), torch_apply)
    root.backward()
    return [leaf.grad.item() if leaf.grad is not None else 0.0 for leaf in leaves]


@SETTINGS
@given(recipes())
def test_parsed_expressions_build_the_engines_graph(recipe):
    text, values = as_expression(recipe)
    built = parse(text, values)
    _, direct = recipe.build(lambda v, i: engine.Value(v, label=f"x{i}"), engine_apply)
    assert built.root.data == direct.data  # the same gates in the same order: equal bits
    built.root.backward()
    for i, expected in enumerate(torch_grads(recipe)):
        leaf = built.variables.get(f"x{i}")
        got = leaf.grad if leaf is not None else 0.0
        assert close(got, expected, rel=1e-9, floor=1e-9), (text, i)
    names = set(engine.node_names(built.root).values())
    assert {f"n{k}" for k in range(len(recipe.ops))} <= names  # each intermediate keeps its name


def _final_grads(table: str) -> dict[str, float]:
    """The last 'before → after' of each input in a steps table: its gradient at the end."""
    last: dict[str, float] = {}
    for line in table.splitlines():
        if "→" not in line or line.startswith("step"):
            continue
        cells = line.split()
        arrow = cells.index("→")
        input_name = cells[arrow - 4]
        last[input_name] = float(cells[arrow + 1])
    return last


@SETTINGS
@given(recipes())
def test_the_steps_table_ends_at_torchs_gradients(recipe):
    leaves, root = recipe.build(lambda v, i: engine.Value(v, label=f"x{i}"), engine_apply)
    table = steps_table(root, digits=DIGITS, lang="en")
    shown = _final_grads(table)
    for i, expected in enumerate(torch_grads(recipe)):
        if f"x{i}" in shown:
            assert abs(shown[f"x{i}"] - expected) <= 0.5 * 10**-DIGITS + 1e-9 * abs(expected)
        else:  # a leaf no gate reads
            assert expected == 0.0
    assert "-0.000000" not in table
    assert root.grad == 0.0 and all(leaf.grad == 0.0 for leaf in leaves)  # left alone


@SETTINGS
@given(recipes(max_ops=6))
def test_frames_count_the_engines_steps(recipe):
    _, root = recipe.build(lambda v, i: engine.Value(v, label=f"x{i}"), engine_apply)
    got = frames(root, lang="en")
    gates = sum(1 for n in engine.topological_order(root) if n._prev)
    assert [f.phase for f in got] == ["forward"] * (gates + 1) + ["backward"] * (gates + 1)
    assert [f.index for f in got] == list(range(gates + 1)) * 2
    # every number a caption computes is never -0.00 (the neg gate's formula "-s0 = -0.00"
    # writes the operator before an operand of 0.00: that is the engine's template)
    results = [line.rsplit("= ", 1)[-1] for f in got for line in f.lines if "=" in line]
    assert "-0.00" not in results
    chain = [line for f in got if f.phase == "backward" for line in f.lines]
    assert all("-0.00" not in line for line in chain)
