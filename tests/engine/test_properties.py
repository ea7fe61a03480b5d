"""Random expression graphs with shared subexpressions, against torch and finite differences."""

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from engine import Value, gradcheck, propagate, topological_order

from .strategies import engine_apply, recipes, torch_apply


def build_engine(recipe):
    return recipe.build(lambda v, i: Value(v, label=f"x{i}"), engine_apply)


def build_torch(recipe):
    def leaf(v, i):
        return torch.tensor(v, dtype=torch.float64, requires_grad=True)

    return recipe.build(leaf, torch_apply)


@given(recipes())
def test_random_graphs_match_torch(recipe):
    leaves, root = build_engine(recipe)
    root.backward()
    tleaves, troot = build_torch(recipe)
    troot.backward()
    assert root.data == pytest.approx(troot.item(), rel=1e-12, abs=1e-12)
    for ours, theirs in zip(leaves, tleaves):
        expected = 0.0 if theirs.grad is None else theirs.grad.item()
        assert ours.grad == pytest.approx(expected, rel=1e-9, abs=1e-9)


@given(recipes(max_ops=8))
def test_random_graphs_match_finite_differences(recipe):
    def f(*xs):  # the recipe's graph on gradcheck's leaves
        return recipe.build(lambda v, i: xs[i], engine_apply)[1]

    result = gradcheck(f, list(recipe.leaves), rtol=1e-5, atol=1e-6)
    assert result.passed, str(result)


@given(recipes())
def test_topological_order_is_valid_on_random_graphs(recipe):
    _, root = build_engine(recipe)
    order = topological_order(root)
    position = {n: k for k, n in enumerate(order)}
    assert len(position) == len(order) and order[-1] is root
    assert all(position[p] < position[n] for n in order for p in n._prev)


@given(recipes(), st.lists(st.floats(-3, 3), min_size=40, max_size=40))
def test_backward_and_its_stepping_twin_agree_on_graphs_that_hold_gradients(recipe, start):
    """Value.backward (the unrolled loop) and propagate (the loop step records and anomaly mode
    use) add exactly the same numbers, also on top of gradients already there."""
    _, a = build_engine(recipe)
    _, b = build_engine(recipe)
    for x, y, g in zip(topological_order(a), topological_order(b), start * 5):
        x.grad = y.grad = g
    a.backward()
    for _ in propagate(b):
        pass
    assert [x.grad for x in topological_order(a)] == [y.grad for y in topological_order(b)]
