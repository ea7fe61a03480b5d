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
