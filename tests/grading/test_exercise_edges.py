"""What the generated exercises cover (issue 23's mutation run): no relu sits on its kink at
exactly 0, and level 1 (one gate) draws dead relus (a negative input: the gradient stops there)
as well as live ones.

At levels 4 and 5 a dead relu would give several asked gradients the same value 0, which the
unique-answers rule refuses, so only live relus appear there; level 2 draws none at all (a live
relu repeats its input's value, a dead one zeroes every gradient below it), though the level
lists relu among its gates: noted for the exercises' owner, not pinned as right.
"""

from __future__ import annotations

import pytest

from grading.exercises import generate


def relu_inputs(level: int) -> list[float]:
    found = []
    for seed in range(30):
        for ex in generate(level, count=2, seed=seed):
            _root, nodes = ex.build()
            found += [nodes[args[0]].data for _name, gate, args in ex.ops if gate == "relu"]
    return found


def test_level_1_draws_dead_and_live_relus_never_a_kink():
    inputs = relu_inputs(1)
    assert any(a < 0 for a in inputs) and any(a > 0 for a in inputs)
    assert 0.0 not in inputs


@pytest.mark.parametrize("level", [4, 5])
def test_neuron_levels_draw_live_relus_only(level):
    inputs = relu_inputs(level)
    assert inputs and all(a > 0 for a in inputs)

