"""Every gate of the table against central finite differences and against torch float64.

The cases are generated from engine.GATES: a gate added to the table (or registered at run
time) is checked here without a new test; strategies.py reads every column it needs.
"""


import pytest
import torch

import engine
from engine import GATES, Value, gradcheck

from .strategies import engine_apply, points, torch_apply, torch_function


def cases():
    for name in GATES:
        for p, a, b in points(name):
            yield pytest.param(name, p, a, b, id=f"{name}{'' if p is None else p}-{a}-{b}")


CASES = list(cases())


def test_every_gate_has_cases_and_a_torch_oracle():
    covered = {c.values[0] for c in CASES}
    assert covered == set(GATES), f"gates without test points: {set(GATES) - covered}"
    for gate in GATES.values():
        assert callable(torch_function(gate.name)), f"{gate.name}: {gate.torch} is not callable"
        assert gate.rule and gate.symbol and len(gate.local) == gate.arity


@pytest.mark.parametrize("name,p,a,b", CASES)
def test_gate_against_finite_differences(name, p, a, b):
    arity = GATES[name].arity
    result = gradcheck(lambda x, y=None: engine_apply(name, p, x, y), [a, b][:arity])
    assert result.passed, str(result)


@pytest.mark.parametrize("name,p,a,b", CASES)
def test_gate_against_torch(name, p, a, b):
    x, y = Value(a), Value(b)
    out = engine_apply(name, p, x, y)
    out.backward()
    tx = torch.tensor(a, dtype=torch.float64, requires_grad=True)
    ty = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    tout = torch_apply(name, p, tx, ty)
    tout.backward()
    assert out.data == pytest.approx(tout.item(), rel=1e-14, abs=1e-15)
    assert x.grad == pytest.approx(tx.grad.item(), rel=1e-13, abs=1e-15)
    if GATES[name].arity == 2:
        assert y.grad == pytest.approx(ty.grad.item(), rel=1e-13, abs=1e-15)


@pytest.mark.parametrize("a,b,da,db", [(3.0, 3.0, 0.5, 0.5), (2.0, 5.0, 0.0, 1.0)])
def test_max_routes_and_splits_ties_like_torch(a, b, da, db):
    x, y = Value(a), Value(b)
    x.max(y).backward()
    assert (x.grad, y.grad) == (da, db)
    tx, ty = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (a, b))
    torch.maximum(tx, ty).backward()
    assert (tx.grad.item(), ty.grad.item()) == (da, db)


def test_relu_at_zero_passes_nothing_like_torch():
    x = Value(0.0)
    x.relu().backward()
    t = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
    torch.relu(t).backward()
    assert x.grad == t.grad.item() == 0.0


def test_sigmoid_is_stable_far_from_zero():
    assert Value(-800.0).sigmoid().data == 0.0
    assert Value(800.0).sigmoid().data == 1.0


def test_pow_zero_exponent_and_zero_base():
    x = Value(0.0)
    y = x ** 0
    y.backward()
    assert (y.data, x.grad) == (1.0, 0.0)  # torch: d x**0 / dx = 0 everywhere


def test_numbers_on_either_side():
    x = Value(4.0)
    assert [v.data for v in (2 * x, x * 2, 1 - x, x - 1, 10 / x, x / 10, 2 ** x, 1 + x)] == \
        [8.0, 8.0, -3.0, 3.0, 2.5, 0.4, 16.0, 5.0]
    assert engine.maximum(7, x).data == 7.0 and x.max(1).data == 4.0
    assert engine.exp(0).data == 1.0 and engine.log(1).data == 0.0


def test_gate_symbols_read_like_micrograd():
    x = Value(2.0)
    assert (x + 1)._op == "+" and (x * 2)._op == "*" and (x ** 2)._op == "**2"
    assert x.tanh()._op == "tanh" and x.exp()._op == "exp" and x._op == ""
