"""The grading rule at its edges, where planted bugs survived the other tests (issue 23).

Hand-typed numbers for one relu gate: its input a, upstream gradient g, output relu(a), the
input's gradient before the step 0, so the right answer is 0 + g·step(a).
"""

from __future__ import annotations

import math

from grading import diagnose, tolerance


def relu_numbers(own: float, upstream: float) -> dict[str, float]:
    local = 1.0 if own > 0 else 0.0
    return dict(upstream=upstream, local=local, own=own, other=0.0, out=max(own, 0.0),
                before=0.0)


def names(verdict) -> list[str]:
    return [m.key for m in verdict.misconceptions]


def test_one_mistake_is_named_once_by_its_own_row():
    # a negative input passed the gradient: that is relu_negative, not relu_at_zero
    verdict = diagnose(relu_numbers(-1.0, 3.0), "relu", "a", 3.0, 2)
    assert not verdict.right and names(verdict) == ["relu_negative"]
    verdict = diagnose(relu_numbers(0.0, 3.0), "relu", "a", 3.0, 2)
    assert not verdict.right and names(verdict) == ["relu_at_zero"]


def test_a_mistake_whose_answer_is_right_is_not_named():
    # relu at 0 with upstream 0.003: the right answer is 0, relu_at_zero's is 0.003, which is
    # itself right at 2 digits (0.003 <= 0.005). 0.007 is wrong (0.007 > 0.005) and within
    # 0.005 of 0.003: naming relu_at_zero would blame an idea whose answer is graded right.
    verdict = diagnose(relu_numbers(0.0, 0.003), "relu", "a", 0.007, 2)
    assert not verdict.right and names(verdict) == []
    assert diagnose(relu_numbers(0.0, 0.003), "relu", "a", 0.003, 2).right


def test_the_tolerance_is_inclusive():
    # "within the rounding of the last digit": an answer exactly that far is right, the next
    # float beyond it is not (right answer 0, so the distance is the answer itself, exactly)
    edge = tolerance(0.0, 2)
    assert edge == 0.005 + 1e-12
    numbers = relu_numbers(-1.0, 3.0)
    assert diagnose(numbers, "relu", "a", edge, 2).right
    assert not diagnose(numbers, "relu", "a", math.nextafter(edge, 1.0), 2).right
