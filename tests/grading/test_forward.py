"""Forward mode from the stored locals: equal to backward, to finite differences and to torch."""

from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings

import engine
from engine import GATES, Value, forward_grad, forward_mode_steps, pow_gate
from tests.engine.strategies import engine_apply, points, recipes, torch_apply

# Points per gate from the table (tests/engine/strategies.points): every row, both sides of
# relu and max, every pow exponent.
POINTS = [(name, p, a, b) for name in GATES for p, a, b in points(name)]


def test_every_gate_is_covered():
    assert {p[0] for p in POINTS} == set(GATES)


def _central(f, a: float, b: float, which: int, h: float = 1e-6) -> float:
    up = [a, b]
    down = [a, b]
    up[which] += h
    down[which] -= h
    return (f(*up) - f(*down)) / (2 * h)


@pytest.mark.parametrize("name, p, a, b", POINTS)
def test_forward_grad_on_each_gate(name, p, a, b):
    x, y = Value(a, label="x"), Value(b, label="y")
    out = engine_apply(name, p, x, y) * 1.0  # one more gate so the root is not the gate itself
    out.backward()
    tx = torch.tensor(a, dtype=torch.float64, requires_grad=True)
    ty = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    torch_apply(name, p, tx, ty).backward()
    wrt = [x] if GATES[name].arity == 1 else [x, y]
    for k, (leaf, t) in enumerate(zip(wrt, (tx, ty))):
        fg = forward_grad(out, leaf)
        assert fg == pytest.approx(leaf.grad, rel=1e-12, abs=1e-15)
        assert fg == pytest.approx(t.grad.item(), rel=1e-12, abs=1e-15)
        numeric = _central(lambda u, v: engine_apply(name, p, Value(u), Value(v)).data, a, b, k)
        assert fg == pytest.approx(numeric, rel=1e-6, abs=1e-8)


@settings(max_examples=80, deadline=None)
@given(recipes())
def test_forward_grad_equals_backward_and_torch_on_random_graphs(recipe):
    leaves, root = recipe.build(lambda v, i: Value(v, label=f"x{i}"), engine_apply)
    root.backward()
    tleaves, troot = recipe.build(
        lambda v, i: torch.tensor(v, dtype=torch.float64, requires_grad=True), torch_apply)
    troot.backward()
    for leaf, t in zip(leaves, tleaves):
        reachable = any(n is leaf for n in engine.topological_order(root))
        if not reachable:
            continue
        fg = forward_grad(root, leaf)
        assert fg == pytest.approx(leaf.grad, rel=1e-9, abs=1e-12)
        assert fg == pytest.approx(t.grad.item() if t.grad is not None else 0.0,
                                   rel=1e-9, abs=1e-12)


def test_steps_by_hand():
    # f = x * y + x at x = 3, y = 2: d/dx by forward mode, one gate at a time
    x, y = Value(3.0, label="x"), Value(2.0, label="y")
    f = x * y + x
    steps = forward_mode_steps(f, x)
    assert [s.gate.name for s in steps] == ["mul", "add"]
    assert [s.tangent for s in steps] == [2.0, 3.0]  # d s0/dx = y = 2; df/dx = 2 + 1 = 3
    assert steps[0].line() == "ds0/dx = 2.00 × 1.00 + 3.00 × 0.00 = 2.00"
    assert steps[1].line() == "df/dx = 1.00 × 2.00 + 1.00 × 1.00 = 3.00"
    assert forward_grad(f, y) == 3.0
    assert x.grad == 0.0 and y.grad == 0.0  # forward mode leaves .grad alone


def test_inner_node_and_root():
    x = Value(2.0, label="x")
    s = x * 3.0
    f = s * s + x
    f.backward()
    assert forward_grad(f, s) == s.grad == 12.0  # 2 s, s = 6
    assert forward_grad(f, f) == 1.0


def test_bad_wrt_is_named():
    x = Value(2.0, label="x")
    f = x * 3.0
    with pytest.raises(ValueError, match="'z'.*not a node of this graph"):
        forward_grad(f, Value(1.0, label="z"))
    with pytest.raises(TypeError, match="wrt must be a Value"):
        forward_grad(f, 2.0)
    with pytest.raises(TypeError, match="root must be a Value"):
        forward_mode_steps(3.0, x)


def test_pow_gate_bound_exponent():
    x = Value(-1.5)
    f = x ** 3 + x
    assert f._prev[0]._gate is pow_gate(3.0)
    assert forward_grad(f, x) == pytest.approx(3 * 1.5 ** 2 + 1)
