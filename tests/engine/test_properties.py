"""Random expression graphs with shared subexpressions, against torch and finite differences."""

import pytest
import torch
from hypothesis import given

from engine import Value, gradcheck, topological_order

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
