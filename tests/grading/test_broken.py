"""The broken engines compute what the broken algorithms really compute; the right ones, torch's.

The wrong algorithms are written out again here, micrograd-style (each node a closure), on a
tiny class of their own, so the test does not read grading.broken's code to get them.
"""

from __future__ import annotations

import pytest
import torch

from demos import fanout
from engine import Value
from grading import broken


class M:
    """A micrograd node whose _backward closure can be written wrongly."""

    def __init__(self, data, children=(), assign=False):
        self.data, self.grad, self._prev, self._backward = data, 0.0, children, lambda: None
        self.assign = assign

    def _push(self, child, amount):
        if self.assign:
            child.grad = amount
        else:
            child.grad += amount

    def __add__(self, other):
        out = M(self.data + other.data, (self, other), self.assign)

        def _backward():
            out._push(self, out.grad)
            out._push(other, out.grad)
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, M) else M(float(other))
        out = M(self.data * other.data, (self, other), self.assign)

        def _backward():
            out._push(self, other.data * out.grad)
            out._push(other, self.data * out.grad)
        out._backward = _backward
        return out

    def backward_topological(self):
        topo, seen = [], set()

        def build(v):
            if v not in seen:
                seen.add(v)
                for c in v._prev:
                    build(c)
                topo.append(v)
        build(self)
        self.grad = 1.0
        for v in reversed(topo):
            v._backward()

    def backward_recursive(self):
        self.grad = 1.0

        def go(v):
            v._backward()
            for c in v._prev:
                go(c)
        go(self)


def test_assign_at_fork_matches_micrograd_with_equals():
    x, y = M(3.0, assign=True), M(2.0, assign=True)
    (x * y + x).backward_topological()
    ex, ey = Value(3.0), Value(2.0)
    wrong = broken.assign_at_fork(ex * ey + ex)
    assert (wrong[ex], wrong[ey]) == (x.grad, y.grad) == (2.0, 3.0)  # by hand: y only, not y+1


def test_recursive_without_order_matches_a_recursive_micrograd():
    a = M(1.0)
    b = a + a
    (b + b).backward_recursive()
    ea = Value(1.0)
    eb = ea + ea
    wrong = broken.recursive_without_order(eb + eb)
    assert (wrong[ea], wrong[eb]) == (a.grad, b.grad) == (8.0, 2.0)  # by hand: b is reached
    # twice, each time holding 2, and pushes 2 to a through each of its two operands: 2 * (2+2)


def test_recursive_without_order_pushes_before_every_user():
    # the recursive pass pushes a node's grad each time it is reached
    a = M(1.0)
    b = a + a
    c = b + b
    (c + c).backward_recursive()
    ea = Value(1.0)
    eb = ea + ea
    ec = eb + eb
    assert broken.recursive_without_order(ec + ec)[ea] == a.grad


def test_second_backward_matches_micrograd_twice():
    x = M(1.0)
    y = (x * 2) * 3
    y.backward_topological()
    assert x.grad == 6.0
    y.backward_topological()
    ex = Value(1.0)
    wrong = broken.second_backward_propagating_grad((ex * 2) * 3)
    assert wrong[ex] == x.grad == 18.0  # by hand: 6 + 2 * (3 + 3 * 1) = 18


def test_right_numbers_equal_torch():
    for r in fanout.broken_engines():
        assert r["torch"] is not None
        assert r["right"] == pytest.approx(r["torch"], rel=1e-12)
        assert r["wrong"] != r["right"]
    by_key = {r["key"]: r for r in fanout.broken_engines()}
    assert by_key["assign_at_fork"]["right"] == {"x": 3.0, "y": 3.0}
    assert by_key["recursive_without_order"]["right"] == {"a": 4.0}
    assert by_key["second_backward_propagating_grad"]["right"] == {"x": 12.0}


def test_right_backward_leaves_grads_alone():
    x = Value(2.0)
    f = x * x
    x.grad = 5.0
    assert broken.right_backward(f, passes=2)[x] == 8.0
    assert x.grad == 5.0


def test_torch_second_backward_is_twice():
    t = torch.tensor(1.0, dtype=torch.float64, requires_grad=True)
    y = (t * 2) * 3
    y.backward(retain_graph=True)
    y.backward()
    assert t.grad.item() == 12.0


def test_pass_counts_and_agreement(tmp_path):
    passes = fanout.count_passes(n=4, m=3)
    assert passes["agree"] is True
    assert (passes["forward_passes_n_to_1"], passes["reverse_passes_n_to_1"]) == (4, 1)
    assert (passes["forward_passes_1_to_m"], passes["reverse_passes_1_to_m"]) == (1, 3)
    result = fanout.main(out_dir=str(tmp_path), quick=True)
    assert [r["key"] for r in result["broken"]] == [b.key for b in broken.BROKEN]
