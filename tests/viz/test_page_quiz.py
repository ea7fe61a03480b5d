"""The page's quiz grades by Python's rule (grading.misconceptions.diagnose), in Chromium: the
same verdict on every input of every step of several graphs, for answers right from the exact
numbers, right from the rounded ones, at the very edge of the tolerance, and each
misconception's; the classroom case by hand; the digits control; retries and the score."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import Value, record_steps
from gategrad.quiz import Question, feedback
from grading.misconceptions import (
    MISCONCEPTIONS,
    READINGS,
    diagnose,
    evaluate,
    read,
    right_answer,
    step_numbers,
)
from grading.misconceptions import tolerance as python_tolerance
from tests.examples import cs231n
from tests.viz.page_driver import browser, close_clean, open_page  # noqa: F401
from viz import stepper
from viz.page.tables import tolerance as page_tolerance

pytestmark = pytest.mark.browser


@given(value=st.floats(-1e6, 1e6), digits=st.integers(0, 12))
def test_the_pages_tolerance_formula_is_pythons(value, digits):
    assert page_tolerance(value, digits) == python_tolerance(value, digits)


def _graphs() -> dict[str, Value]:
    x, y = Value(3.0, label="x"), Value(-2.0, label="y")
    a, b = Value(0.7, label="a"), Value(-1.3, label="b")
    fork = x * y + x
    mixed = (a * b).tanh() + (a - b).sigmoid() * a + (b * 2.0).relu() + a.max(b) - (-a) ** 2
    return {"cs231n": cs231n()[0], "fork": fork, "mixed": mixed + (a + 2.5).log() / (b - 4.0)}


def _answers(numbers: dict, gate: str, input: str, digits: int) -> list[float]:
    """Answers a class gives: each reading's right answer, just inside and just outside its
    tolerance, every misconception's answer under every reading, and a few others."""
    out = []
    for reading in READINGS:
        view = read(numbers, gate, input, digits, reading)
        if view is None:
            continue
        right = right_answer(view)
        edge = python_tolerance(right, digits)
        out += [right, right + edge * (1 - 1e-6), right - edge * (1 + 1e-6)]
        for m in MISCONCEPTIONS:
            out.append(evaluate(m.answer, view))
    return [float(f"{x:.12g}") for x in out if math.isfinite(x)] + [0.0, 1.0, -7.5]


def test_the_page_gives_pythons_verdict_on_every_step(browser, tmp_path):  # noqa: F811
    for name, root in _graphs().items():
        path = stepper(root, tmp_path / f"{name}.html")
        page = open_page(browser, path)
        steps = record_steps(root)
        assert page.evaluate("page.state().steps.map(s => page.name(s.node))") == \
            [s.names[s.node] for s in steps]
        cases, want = [], []
        for k, step in enumerate(steps):
            for q, inp in enumerate(step.inputs):
                numbers = step_numbers(step, q)
                for digits in (1, 2, 3):
                    for answer in _answers(numbers, step.op, inp.name, digits):
                        v = diagnose(numbers, step.op, inp.name, answer, digits)
                        cases.append([k, q, answer, digits])
                        want.append([v.right, v.how, [m.key for m in v.misconceptions]])
        got = page.evaluate("""cases => cases.map(([k, q, answer, digits]) => {
            const step = page.state().steps[k];
            const v = grading.diagnose(grading.stepNumbers(step, q), page.nodes[step.node].key,
                                       q, answer, digits);
            return [v.right, v.how, v.misconceptions.map(m => m.key)];
        })""", cases)
        assert len(cases) > 100
        assert sum(1 for w in want if w[2]) > 10  # misconceptions named, not only verdicts
        mismatches = [(c, g, w) for c, g, w in zip(cases, got, want) if g != w]
        assert mismatches == [], (name, mismatches[:5])
        close_clean(page, path)


def _ask(page, name: str, answer: str) -> str:
    field = page.get_by_label(f"df/d{name} after this step")
    field.fill(answer)
    field.press("Enter")
    row = page.locator("#quiz .question", has=page.get_by_label(f"df/d{name} after this step"))
    return row.locator(".feedback").inner_text()


def test_hand_worked_answers_at_w1s_mul_gate_are_right_as_gategrad_quiz_says(browser, tmp_path):  # noqa: F811
    # upstream 0.1966 shown 0.20, x1 = -2: exactly -0.3932 (shown -0.39); 0.20 × (-2.00) = -0.40
    f, _ = cs231n()
    steps = record_steps(f)
    step = steps[3]  # the mul gate at s1
    assert step.names[step.node] == "s1" and step.inputs[0].node.label == "w1"
    cli = {a: feedback(Question(step, step.inputs[0], 0), a, step.names, 2)[1]
           for a in (-0.39, -0.40)}
    assert cli == {-0.39: "right: w1 holds -0.39",
                   -0.40: "right, from the rounded numbers; exactly -0.3932"}
    for answer, said in (("-0.39", cli[-0.39]), ("-0.40", cli[-0.40])):
        path = stepper(f, tmp_path / "quiz.html")
        page = open_page(browser, path, "#step=11")  # backward step 4: the mul gate at s1
        page.locator("#quiz-on").check()
        assert _ask(page, "w1", answer) == said
        assert page.locator("#quiz .score").inner_text() == "Score: 1 of 1"
        close_clean(page, path)


def test_the_digits_control_sets_what_is_shown_and_the_tolerance(browser, tmp_path):  # noqa: F811
    f, _ = cs231n()
    path = stepper(f, tmp_path / "digits.html")
    page = open_page(browser, path, "#step=11")
    page.locator("#digits").select_option("1")
    assert page.locator("#lines").inner_text().splitlines() == [
        "df/dw1 += df/ds1 · ∂s1/∂w1 = 0.2 × (-2.0) = -0.4",
        "df/dx1 += df/ds1 · ∂s1/∂x1 = 0.2 × (-3.0) = -0.6"]
    page.keyboard.press("ArrowRight")  # the select gave the keys back
    assert page.evaluate("page.position()") == 11
    page.keyboard.press("ArrowLeft")
    page.locator("#quiz-on").check()
    assert _ask(page, "w1", "-0.43") == "right: w1 holds -0.4"  # |-0.43 + 0.3932| < 0.05
    assert _ask(page, "x1", "-0.5") .startswith("That answer matches")  # 0.20 × -3.0 is -0.6
    page.locator("#digits").select_option("3")
    assert page.locator("#diagram text", has_text="data 0.731").count() == 1
    close_clean(page, path)


def test_retries_count_once_and_the_score_counts_first_tries(browser, tmp_path):  # noqa: F811
    f, _ = cs231n()
    path = stepper(f, tmp_path / "retries.html")
    page = open_page(browser, path, "#step=12")  # backward step 5: the mul gate at s0
    page.locator("#quiz-on").check()
    assert page.locator("#lines").inner_text().startswith("Quiz:")
    assert _ask(page, "w0", "0.39").startswith(  # upstream × its own value 2
        "That answer matches a misconception: Used the input's own value at a mul gate.")
    assert _ask(page, "w0", "abc").startswith("abc is not a number")  # not a try
    assert page.locator("#quiz .score").inner_text() == "Score: 0 of 1"
    assert _ask(page, "w0", "-0.2") == "right: w0 holds -0.20"  # |-0.2 + 0.1966| < 0.005
    assert page.locator("#quiz .score").inner_text() == "Score: 0 of 1"  # not at the first try
    page.keyboard.press("ArrowRight")  # x0 still to answer: the step is held
    assert page.evaluate("page.position()") == 11
    assert _ask(page, "x0", "5").startswith("That answer matches none")
    page.get_by_role("button", name="Reveal").click()
    assert page.locator("#quiz .score").inner_text() == "Score: 0 of 2"
    assert "Quiz done: 0 of 2 right at the first try." in page.locator("#quiz").inner_text()
    page.keyboard.press("Home")
    page.keyboard.press("End")
    close_clean(page, path)
