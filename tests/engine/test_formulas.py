"""The language the tables are written in: one whitelist for every path, one row per helper.

Issue 21: a formula using ``abs(a)`` used to pass the scalar path (its kernels were built with
``eval`` seeing Python's builtins), gradcheck and torch, and only the replay and the page refused
it. Now a row is refused when it is made, whatever path would read it first.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import GATES, HELPERS, FormulaError, Value, make_gate
from engine.formulas import check_formula, compile_formula, scalar_function
from engine.replay import NUMPY_FUNCTIONS
from engine.replay.formulas import numpy_forms
from viz.page.js import to_js

# -- the helper table: a Python, a numpy and a JavaScript column per helper ----------------------


def test_every_helper_has_its_three_columns():
    assert set(NUMPY_FUNCTIONS) == set(HELPERS)
    for h in HELPERS.values():
        assert h.numpy and h.js, h.name
        assert callable(h.python) == callable(NUMPY_FUNCTIONS[h.name]), h.name


def _arity(f) -> int:
    try:
        f(1.0)
    except TypeError:
        return 2
    return 1


def _defined(f, args) -> bool:
    try:
        f(*args)
    except (ValueError, OverflowError):
        return False
    return True


def test_the_numpy_column_agrees_with_the_python_column():
    points = (-2.5, -1.0, -0.0, 0.0, 0.5, 1.0, 3.0, 40.0, -40.0, 700.0, -745.0)
    for h in HELPERS.values():
        twin = NUMPY_FUNCTIONS[h.name]
        if not callable(h.python):
            assert twin == h.python, h.name
            continue
        cases = [c for c in itertools.product(points, repeat=_arity(h.python))
                 if _defined(h.python, c)]
        columns = [np.array(col) for col in zip(*cases)]
        got = np.broadcast_to(twin(*columns), (len(cases),))
        for case, value in zip(cases, got):
            assert value == pytest.approx(float(h.python(*case)), rel=1e-15, abs=0), \
                f"{h.name}{case}"


# -- one whitelist, checked when a row is made ----------------------------------------------------

REFUSED = [
    ("abs(a)", "'abs' is not a helper"),  # a builtin: the example
    ("__import__('os')", "'__import__' is not a helper"),
    ("a * abs", "'abs' is neither a variable"),
    ("a.real", "Attribute is not allowed"),
    ("a // 2", "FloorDiv is not allowed"),
    ("a % 2", "Mod is not allowed"),
    ("exp(a=1)", "only plain calls"),
    ("(lambda: 1)()", "only plain calls"),
    ("[a][0]", "not allowed"),
    ("'a'", "the constant 'a' is not a number"),
    ("a if", "not a Python expression"),
    ("out", "'out' is neither a variable"),  # a forward formula cannot read its own output
    ("a > 0", "gives a truth, and a number is wanted"),
    ("a and 2.0", "'a' is a number where a truth is wanted"),  # Python: 2.0; numpy: True
    ("-(a > 0)", "is a truth where a number is wanted"),  # numpy refuses to negate a truth
    ("a if a else 0.0", "'a' is a number where a truth is wanted"),
]


@pytest.mark.parametrize("formula, says", REFUSED)
def test_a_row_outside_the_whitelist_is_refused_when_it_is_made(formula, says):
    with pytest.raises(FormulaError, match="softabs gate: forward") as e:
        make_gate("softabs", "|a|", "a", formula, ("1.0",), "a made-up gate")
    assert says in str(e.value)


def test_every_part_of_a_row_is_checked():
    with pytest.raises(FormulaError, match=r"g gate: local derivative: 'abs\(a\)'"):
        make_gate("g", "g", "a", "a", ("abs(a)",), "r")
    with pytest.raises(FormulaError, match=r"g gate: check: 'len\(a\)'"):
        make_gate("g", "g", "a", "a", ("1.0",), "r", [
            __import__("engine").Check("len(a)", ValueError, "never")])


def test_scalar_formulas_run_without_builtins():
    assert compile_formula("maximum(a, 2.0) * 3", ["a"], "t")(1.0) == 6.0
    with pytest.raises(NameError):  # composed text cannot reach a builtin either
        scalar_function("lambda: len([])")()


def test_the_table_itself_passes_and_every_path_reads_it():
    for gate in GATES.values():
        for text in (gate.forward, *gate.local):
            check_formula(text, [*gate.inputs, "out", "p"], gate.name)
        for c in gate.checks:
            check_formula(c.when, [*gate.inputs, "p"], gate.name, kind="truth")
        numpy_forms(gate if gate.name != "pow" else __import__("engine").pow_gate(2.0))
        to_js(gate.forward, [*gate.inputs, "p"], gate.name)


# -- whatever passes has a scalar, a numpy and a JavaScript form ----------------------------------

NAMES = ("a", "b")


@st.composite
def formulas(draw, kind: str = "number", depth: int = 3) -> str:
    """Random formulas of the whitelisted grammar, of one kind: numbers (helpers, arithmetic,
    x if t else y) or truths (comparisons, and/or/not, is_int)."""
    number, truth = formulas("number", depth - 1), formulas("truth", depth - 1)
    if kind == "number":
        if depth == 0 or draw(st.booleans()):
            return draw(st.sampled_from([*NAMES, "1.0", "2", "0.5", "inf"]))
        form = draw(st.sampled_from(["binop", "unary", "call1", "call2", "ifexp"]))
        if form == "binop":
            op = draw(st.sampled_from(["+", "-", "*", "/", "**"]))
            return f"({draw(number)} {op} {draw(number)})"
        if form == "unary":
            return f"({draw(st.sampled_from(['-', '+']))}{draw(number)})"
        if form == "call1":
            name = draw(st.sampled_from(["exp", "log", "tanh", "sigmoid", "relu", "step"]))
            return f"{name}({draw(number)})"
        if form == "call2":
            return f"{draw(st.sampled_from(['maximum', 'route']))}({draw(number)}, {draw(number)})"
        return f"({draw(number)} if {draw(truth)} else {draw(number)})"
    if depth == 0 or draw(st.booleans()):
        ops = draw(st.lists(st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), min_size=1,
                            max_size=2))
        parts = [draw(formulas("number", 0)) for _ in range(len(ops) + 1)]
        return "(" + parts[0] + "".join(f" {o} {p}" for o, p in zip(ops, parts[1:])) + ")"
    form = draw(st.sampled_from(["not", "boolop", "is_int", "constant"]))
    if form == "not":
        return f"(not {draw(truth)})"
    if form == "boolop":
        return f"({draw(truth)} {draw(st.sampled_from(['and', 'or']))} {draw(truth)})"
    if form == "is_int":
        return f"is_int({draw(number)})"
    return draw(st.sampled_from(["True", "False"]))


@given(formulas())
def test_every_formula_the_whitelist_accepts_has_all_three_forms(formula):
    """Generated formulas of the grammar: scalar and numpy agree, JavaScript translates."""
    check_formula(formula, NAMES, "random")
    gate = make_gate("random", "r", NAMES, formula, ("1.0", "1.0"), "random")
    numpy_forms(gate)  # compiles
    assert to_js(formula, NAMES, "random")  # translates
    scalar = compile_formula(formula, NAMES, "random")
    vectorised = numpy_forms(gate).forward
    with np.errstate(all="ignore"):
        for a, b in ((0.5, -1.5), (2.0, 3.0)):
            try:
                want = scalar(a, b)
            except (ArithmeticError, ValueError, TypeError):
                continue  # Python raises where numpy says nan or inf: the gates refuse both
            if isinstance(want, complex) or not math.isfinite(want):
                continue  # (-1.5) ** 0.5: Python's complex, numpy's nan; (-inf) ** 0.5: inf
                # in Python, nan in numpy. The gates refuse every such value on every path.
            got = vectorised(np.array([a]), np.array([b]))
            got = float(np.asarray(got).reshape(-1)[0])
            if isinstance(want, bool) or not math.isnan(float(want)):
                assert got == pytest.approx(float(want), rel=1e-12, nan_ok=True), (a, b)


def test_a_value_gate_refuses_a_nan_written_into_data():
    """Issue 23: data changed behind the gates' back is refused like a NaN constant."""
    v = Value(1.0, label="v")
    for bad in (math.nan, math.inf, -math.inf):
        v.data = bad
        for apply in (lambda: v.relu(), lambda: v.max(0.0), lambda: v.sigmoid(),
                      lambda: v.tanh(), lambda: v * 2):
            with pytest.raises(ValueError, match=r"not a finite number.*node 'v'"):
                apply()
