"""Generated exercises: hand-workable, unique answers, checked by gradcheck and against torch."""

from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import Value
from grading import exercises, notes
from grading.exercises import generate

TORCH = {
    "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b, "max": torch.maximum, "pow": lambda a, p: a ** p,
    "relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh, "neg": lambda a: -a,
}


def torch_solution(ex) -> dict[tuple[str, str], float]:
    """Values and gradients of every node by torch float64, from the exercise's flat code."""
    nodes = {n: torch.tensor(v, dtype=torch.float64, requires_grad=True) for n, v in ex.leaves}
    for name, gate, args in ex.ops:
        nodes[name] = TORCH[gate](*(nodes[a] if isinstance(a, str) else a for a in args))
        nodes[name].retain_grad()
    nodes[ex.root].backward()
    return {(n, kind): (t.item() if kind == "value" else
                        (t.grad.item() if t.grad is not None else 0.0))
            for n, t in nodes.items() for kind in ("value", "grad")}


def all_exercises():
    for level in exercises.LEVELS:
        for seed in (0, 1, 7):
            yield from generate(level, count=4, seed=seed)
    yield notes.hidden_relu_sigmoid()


@pytest.mark.parametrize("ex", list(all_exercises()),
                         ids=lambda e: f"L{e.level}-{e.number}-{e.code()[0]}")
def test_exercise_is_right_unique_and_hand_workable(ex):
    check_against_torch(ex)
    assert ex.gradcheck().passed
    for _name, value in ex.leaves:
        assert value == round(value * 2) / 2 and abs(value) <= 4  # integers and halves
    assert any(c.kind == "grad" for c in ex.cells)


def check_against_torch(ex) -> None:
    expected = torch_solution(ex)
    for cell in ex.cells:
        assert cell.answer == pytest.approx(expected[cell.node, cell.kind], rel=1e-12,
                                            abs=1e-12), cell
        assert round(cell.answer, ex.digits) == pytest.approx(cell.answer, abs=1e-9)
    for kind in ("value", "grad"):
        shown = [round(c.answer, ex.digits) for c in ex.cells if c.kind == kind]
        assert len(set(shown)) == len(shown), (kind, shown)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(sorted(exercises.LEVELS)), st.integers(0, 10**6))
def test_any_seed_gives_a_unique_answer_exercise(level, seed):
    (ex,) = generate(level, 1, seed)
    check_against_torch(ex)


def test_levels_have_their_shape():
    one = generate(1, count=5, seed=3)
    assert all(len(ex.ops) == 2 and ex.ops[1][0] == "f" for ex in one)
    three = generate(3, count=5, seed=3)
    for ex in three:  # some node is an operand of two gates (or twice of one)
        uses = [a for _, _, args in ex.ops for a in args if isinstance(a, str)]
        assert any(uses.count(n) > 1 for n in uses)
    five = generate(5, count=2, seed=3)
    assert all({c.shown for c in ex.cells} >= {"δ(z0)", "δ(z1)", "δ(z2)"} for ex in five)


def test_same_seed_same_exercises_other_seed_others():
    assert generate(4, count=3, seed=11) == generate(4, count=3, seed=11)
    assert generate(4, count=3, seed=11) != generate(4, count=3, seed=12)


@pytest.mark.parametrize("bad, match", [
    (dict(level=6), "level must be one of 1, 2, 3, 4, 5, got 6"),
    (dict(level=2, count=0), "count must be a whole number from 1 to 100, got 0"),
    (dict(level=2, seed="x"), "seed must be a whole number, got 'x'"),
])
def test_bad_settings_are_named(bad, match):
    with pytest.raises(ValueError, match=match):
        generate(**bad)


def test_notes_one_by_hand():
    ex = notes.hidden_relu_sigmoid()
    # z = 1.5*2 + 0.5*3 - 0.5 = 4 = h; o = -1*4 + 4 = 0; f = 0.5; sigmoid's local 0.25
    answers = {(c.node, c.kind): c.answer for c in ex.cells}
    assert answers == {("h", "value"): 4.0, ("f", "value"): 0.5, ("c", "grad"): 0.25,
                       ("v", "grad"): 1.0, ("h", "grad"): -0.25, ("w0", "grad"): -0.5,
                       ("w1", "grad"): -0.75, ("x0", "grad"): -0.375, ("x1", "grad"): -0.125}


def test_notes_two_loss_goes_down():
    table = notes.training_loop(steps=3)
    losses = [float(row[4]) for row in table.rows]
    assert losses == [9.0, 2.25, 0.5625, 0.140625]  # by hand: the error halves each step


def test_notes_three_network_gradcheck_against_torch():
    result = notes.network_gradcheck()
    assert result.passed and len(result.rows) == 43
    assert max(r.rel_error for r in result.rows) < 1e-5
    params, loss = notes.network_4_5_3()
    tp = [torch.tensor(p.data, dtype=torch.float64, requires_grad=True) for p in params]
    w1 = torch.stack(tp[:20]).reshape(5, 4)
    b1 = torch.stack(tp[20:25])
    w2 = torch.stack(tp[25:40]).reshape(3, 5)
    b2 = torch.stack(tp[40:43])
    samples = notes.network_samples()
    total = sum(((w2 @ torch.tanh(w1 @ torch.tensor(x, dtype=torch.float64) + b1) + b2
                  - torch.tensor(y, dtype=torch.float64)) ** 2).sum() for x, y in samples)
    total.backward()
    engine_loss = loss(*[Value(p.data) for p in params])
    assert engine_loss.data == pytest.approx(total.item(), rel=1e-12)
    for row, t in zip(result.rows, tp):
        assert row.analytic == pytest.approx(t.grad.item(), rel=1e-9, abs=1e-12)


def test_a_seed_whose_chain_needed_more_than_2000_draws():
    """Level 2 keeps about 3 draws in 1000; seed 20415 (found by hypothesis) had none in the
    2000 the generator used to allow, and raised instead of giving an exercise."""
    (ex,) = generate(2, 1, 20415)
    assert exercises.is_valid(ex)
    check_against_torch(ex)
