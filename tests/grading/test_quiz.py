"""The terminal quiz, driven as a student would: a subprocess with answers on standard input."""

from __future__ import annotations

import subprocess
import sys

import torch

from grading.exercises import generate

from .test_exercises import TORCH


def quiz(*args: str, answers: str = "", lang: str = "en") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gategrad", "quiz", *args, "--lang", lang],
                          input=answers, capture_output=True, text=True, timeout=60)


# f = x*y + x at x = 3, y = -2. By hand, the backward steps in order:
# add: s0 receives 1, x receives 1;  mul: x holds 1 + y = 1 - 2 = -1, y receives x = 3.
EXPR = ("x*y + x", "--set", "x=3", "y=-2")


def test_right_answers_score_full_marks():
    done = quiz(*EXPR, answers="1\n1\n-1\n3\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("right:") == 4
    assert done.stdout.strip().splitlines()[-1] == "score: 4/4"


def test_wrong_answers_are_named_and_scored():
    # -2 at x's second use: replaced instead of adding (this gate's -2 alone, not 1 + -2);
    # 2 for y at the mul gate: no catalogued idea gives 2 (the right answer is x = 3)
    done = quiz(*EXPR, answers="1\n1\n-2\n2\n")
    assert done.returncode == 0
    assert "Replaced the gradient instead of adding to it" in done.stdout
    assert "The right answer is -1.00" in done.stdout
    assert "matches none of the usual mistakes; the right answer is 3.00" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "score: 2/4"


def test_misconception_at_a_mul_gate():
    # f = a * b at a = 2, b = 5: a receives 5; answering 2 (its own value) is named
    done = quiz("a * b", "--set", "a=2", "b=5", answers="2\n2\n")
    assert "Used the input's own value at a mul gate" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "score: 1/2"


def test_running_out_of_answers_and_non_numbers():
    done = quiz(*EXPR, answers="1\nabc\n")
    assert "not a number; the right answer is 1.00" in done.stdout
    assert "(no more answers" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "score: 1/4"


def test_bad_expression_is_one_line_and_exit_2():
    done = quiz("x *", "--set", "x=1")
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert "gategrad quiz: error:" in done.stderr
    done = quiz()
    assert done.returncode == 2 and "--random" in done.stderr


def test_random_exercise_with_torch_answers():
    # level 2 is a chain: every input is used once, so what it holds after its step is its
    # final gradient, which torch gives; the steps go from the last gate back.
    ex = generate(2, 1, seed=5)[0]
    nodes = {n: torch.tensor(v, dtype=torch.float64, requires_grad=True) for n, v in ex.leaves}
    for name, gate, args in ex.ops:
        nodes[name] = TORCH[gate](*(nodes[a] for a in args))
        nodes[name].retain_grad()
    nodes[ex.root].backward()
    answers = [nodes[a].grad.item() for _, _, args in reversed(ex.ops) for a in args]
    done = quiz("--random", "--level", "2", "--seed", "5",
                answers="".join(f"{a}\n" for a in answers))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == f"score: {len(answers)}/{len(answers)}"
    assert ex.code()[0] in done.stdout


def test_chinese():
    done = quiz(*EXPR, answers="1\n1\n-2\n3\n", lang="zh")
    assert "把梯度替换了，而不是累加" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "得分：3/4"


def test_at_a_terminal_it_prompts_and_asks_again_for_a_non_number():
    # `script` runs the quiz on a pseudo-terminal, so stdin.isatty() is true
    command = f"{sys.executable} -m gategrad quiz 'x*y + x' --set x=3 y=-2 --lang en"
    done = subprocess.run(["script", "-qec", command, "/dev/null"], input="abc\n1\n1\n-1\n3\n",
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert "please type a number" in done.stdout
    assert done.stdout.strip().splitlines()[-1].strip() == "score: 4/4"


# The CS231n graph, f = sigmoid(w0*x0 + w1*x1 + w2). Questions in order: s3; s2, w2; s0, s1;
# w1, x1 (the mul gate s1 = w1 * x1); w0, x0. Upstream sigmoid'(1) = 0.1966 shows as 0.20.
CS231N = ("sigmoid(w0*x0 + w1*x1 + w2)", "--set", "w0=2", "x0=-1", "w1=-3", "x1=-2", "w2=-3")
TO_S1 = "0.2\n0.2\n0.2\n0.2\n0.2\n"  # the five answers before w1's


def test_cs231n_hand_worked_and_exact_answers_at_w1_are_both_right():
    # w1: 0.20 × (-2.00) = -0.40 by hand from the screen; exactly -0.3932, shown -0.39
    done = quiz(*CS231N, answers=TO_S1 + "-0.40\n-0.59\n-0.2\n0.39\n")
    assert done.returncode == 0, done.stderr
    assert "s1 = w1 * x1 = -3.00 * (-2.00) = 6.00" in done.stdout  # the operands are shown
    assert "> -0.40\nright, from the rounded numbers; exactly -0.3932\n" in done.stdout
    assert "> -0.59\nright: x1 holds -0.59\n" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "score: 9/9"
    done = quiz(*CS231N, answers=TO_S1 + "-0.39\n-0.60\n-0.2\n0.40\n")
    assert "> -0.39\nright: w1 holds -0.39\n" in done.stdout
    assert "> -0.60\nright, from the rounded numbers; exactly -0.5898\n" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "score: 9/9"


def test_cs231n_at_four_digits_the_rounded_excuse_is_gone():
    # shown 0.1966 × (-2.0000) = -0.3932: -0.40 is now wrong (and no catalogued mistake)
    done = quiz(*CS231N, "--digits", "4", answers="0.1966\n" * 5 + "-0.40\n")
    assert "> -0.40\nnot quite, and it matches none of the usual mistakes; the right answer " \
           "is -0.3932" in done.stdout


def test_cs231n_misconception_from_the_rounded_numbers():
    # w1's own value instead of x1's: 0.20 × (-3.00) = -0.60 is named, not "none"
    done = quiz(*CS231N, answers=TO_S1 + "-0.60\n")
    assert "> -0.60\nnot quite. Used the input's own value at a mul gate" in done.stdout


def test_a_second_try_is_allowed_and_the_score_counts_the_first():
    # x at the mul gate: -2 (replaced) then -1 (right); y: 2 (none) then 3 (right)
    done = quiz(*EXPR, "--tries", "2", answers="1\n1\n-2\n-1\n2\n3\n")
    assert done.returncode == 0, done.stderr
    assert "Replaced the gradient instead of adding to it" in done.stdout
    assert "Try again." in done.stdout
    assert "The right answer is" not in done.stdout  # not given away before the last try
    assert "matches none of the usual mistakes. Try again." in done.stdout
    lines = done.stdout.strip().splitlines()
    assert lines[-2:] == ["right at a later try: 2", "score: 2/4"]
    done = quiz(*EXPR, "--tries", "2", answers="1\n1\n-2\n-2\n3\n")
    assert "The right answer is -1.00" in done.stdout  # after the second wrong try
    assert done.stdout.strip().splitlines()[-1] == "score: 3/4"


def test_tries_must_be_positive():
    done = quiz(*EXPR, "--tries", "0")
    assert done.returncode == 2
    assert "--tries must be a whole number from 1, got 0" in done.stderr


def test_hand_worked_answers_in_chinese():
    done = quiz(*CS231N, answers=TO_S1 + "-0.40\n", lang="zh")
    assert "正确，按显示的舍入数值算得；精确值是 -0.3932" in done.stdout
