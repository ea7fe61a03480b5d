"""A worksheet's code lines agree with its own answer key (issue 23's plant class).

The key's numbers come from ``Exercise.ops``; a student reads ``Exercise.code()``. Here the
code lines are run as the student reads them, as Python over torch float64 tensors (the leaves
given on the sheet, the functions by their names on the sheet), and every cell of the key must
be what that code computes. Before, the tests checked the key against ``ops`` only, so a code
line written ``y - x`` for ``x - y`` passed.
"""

from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from grading import exercises, notes
from grading.exercises import generate

FUNCTIONS = {"relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh,
             "max": torch.maximum}


def run_code(ex) -> dict[tuple[str, str], float]:
    """Every named node's value and gradient, from the code lines as printed."""
    names = {n: torch.tensor(v, dtype=torch.float64, requires_grad=True) for n, v in ex.leaves}
    for line in ex.code():
        target, expression = (part.strip() for part in line.split("=", 1))
        names[target] = eval(expression, {"__builtins__": {}, **FUNCTIONS}, names)  # noqa: S307
        names[target].retain_grad()
    names[ex.root].backward()
    return {(n, kind): (t.item() if kind == "value" else
                        (t.grad.item() if t.grad is not None else 0.0))
            for n, t in names.items() for kind in ("value", "grad")}


def check(ex) -> None:
    computed = run_code(ex)
    for cell in ex.cells:
        assert computed[cell.node, cell.kind] == pytest.approx(cell.answer, abs=1e-12), (
            cell, ex.code())


@pytest.mark.parametrize("level", sorted(exercises.LEVELS))
def test_every_level_s_code_computes_its_key(level):
    for seed in (0, 1, 7):
        for ex in generate(level, count=4, seed=seed):
            check(ex)


def test_the_notes_exercise_s_code_computes_its_key():
    ex = notes.hidden_relu_sigmoid()
    assert ex.code()[:2] == ["s0 = w0 * x0", "s1 = w1 * x1"]  # as the notes number them
    check(ex)


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(sorted(exercises.LEVELS)), st.integers(0, 10**6))
def test_any_seed_s_code_computes_its_key(level, seed):
    check(generate(level, 1, seed)[0])


def test_a_code_line_by_hand():
    # level 1, seed 0: whatever the gate, its line reads "s0 = a <op> b" or "s0 = relu(a)",
    # and "f = s0 * g" scales it by the given upstream g
    ex = generate(1, 1, 0)[0]
    assert ex.code()[-1] == "f = s0 * g"
    assert ex.code()[0].startswith("s0 = ") and "a" in ex.code()[0]
