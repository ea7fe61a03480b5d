"""The terminal quiz's tolerance and scoring at their edges (issue 23's plant class).

f = x*y + x at x = 3, y = -2; by hand the four answers are 1, 1, -1 and 3 (exact integers). An
answer is right within half a unit of the last digit shown (--digits): 0.005 at 2 digits,
0.05 at 1. The score counts first tries only, whatever comes later.
"""

from __future__ import annotations

import pytest

from .test_quiz import EXPR, quiz


def _verdicts(stdout: str) -> list[str]:
    """'right' or 'wrong' for each answer given, in order."""
    said = [line for line in stdout.splitlines()
            if line.startswith(("right:", "right,", "not quite", "not a number"))]
    return ["right" if line.startswith("right") else "wrong" for line in said]


@pytest.mark.parametrize("digits, inside, outside", [
    ("2", ["1.004", "0.996", "-1.0049", "2.9951"], ["1.006", "0.994", "-1.0051", "2.9949"]),
    ("1", ["1.04", "0.96", "-1.049", "2.951"], ["1.06", "0.94", "-1.051", "2.949"]),
])
def test_right_within_half_a_unit_of_the_last_digit_and_wrong_beyond(digits, inside, outside):
    done = quiz(*EXPR, "--digits", digits, answers="\n".join(inside) + "\n")
    assert _verdicts(done.stdout) == ["right"] * 4, done.stdout
    assert done.stdout.strip().splitlines()[-1] == "score: 4/4"
    done = quiz(*EXPR, "--digits", digits, answers="\n".join(outside) + "\n")
    assert _verdicts(done.stdout) == ["wrong"] * 4, done.stdout
    assert done.stdout.strip().splitlines()[-1] == "score: 0/4"


def test_only_first_tries_score_and_later_ones_are_counted_apart():
    # three tries: x at the mul gate right at the third, y wrong three times
    done = quiz(*EXPR, "--tries", "3", answers="1\n1\n0\n5\n-1\n7\n8\n9\n")
    assert _verdicts(done.stdout) == ["right", "right", "wrong", "wrong", "right", "wrong",
                                      "wrong", "wrong"]
    lines = done.stdout.strip().splitlines()
    assert lines[-2:] == ["right at a later try: 1", "score: 2/4"]
    assert done.stdout.count("right answer is 3.00") == 1  # given after the last try only
    assert done.stdout.index("> 9") < done.stdout.index("right answer is 3.00")


def test_a_typed_minus_sign_and_a_non_number():
    # a typographic minus (U+2212) is a minus; "abc" from a pipe is wrong, not asked again
    done = quiz(*EXPR, answers="1\n1\n\u22121\nabc\n")
    assert _verdicts(done.stdout) == ["right", "right", "right", "wrong"]
    assert "not a number; the right answer is 3.00" in done.stdout
