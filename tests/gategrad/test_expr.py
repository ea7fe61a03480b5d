"""The safe expression parser: what it builds (checked by hand) and everything it refuses."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import gategrad.expr
from gategrad.expr import MAX_DEPTH, ExprError, parse, parse_assignments

CS231N = dict(w0=2.0, x0=-1.0, w1=-3.0, x1=-2.0, w2=-3.0)


def test_the_cs231n_expression_by_hand():
    built = parse("sigmoid(w0*x0 + w1*x1 + w2)", CS231N)
    f = built.root
    assert f.label == "f" and f.op == "sigmoid"
    assert f.data == pytest.approx(1 / (1 + math.exp(-1.0)))  # s = -2 + 6 - 3 = 1
    assert set(built.variables) == set(CS231N)
    f.backward()
    grads = {k: round(v.grad, 2) for k, v in built.variables.items()}
    assert grads == {"w0": -0.20, "x0": 0.39, "w1": -0.39, "x1": -0.59, "w2": 0.20}


def test_a_name_used_twice_is_one_leaf():
    built = parse("x*x + x", {"x": 3.0})
    built.root.backward()
    assert built.variables["x"].grad == 7.0  # d(x² + x)/dx = 2x + 1 at 3


@pytest.mark.parametrize("text, value, op", [
    ("x ** 2", 9.0, "pow"),          # a number exponent: the pow gate bound to 2
    ("2 ** x", 8.0, "pow_value"),    # a Value exponent (the gate once named powv)
    ("-x ** 2", -9.0, "neg"),        # ** binds tighter than unary minus
    ("x - 1 - 1", 1.0, "sub"),       # left to right
    ("x / 2 / 3", 0.5, "div"),
    ("max(x, 4) + relu(-x)", 4.0, "add"),
    ("exp(log(x))", 3.0, "exp"),
    ("tanh(0 * x)", 0.0, "tanh"),
    ("+x", 3.0, ""),                 # unary plus changes nothing: the root is the leaf
    ("1e-3 * x + 2.5", 2.503, "add"),
])
def test_arithmetic_and_gates(text, value, op):
    root = parse(text, {"x": 3.0}).root
    assert root.data == pytest.approx(value)
    assert root.op == op


def test_root_label_and_clash():
    assert parse("x*2", {"x": 1.0}).root.label == "f"
    assert parse("f*2", {"f": 1.0}).root.label == "out"  # 'f' is a variable here
    assert parse("x", {"x": 1.0}).root.label == "x"  # a leaf keeps its name


# (expression, column, part of the message); columns counted by hand, from 1
REFUSED = [
    ("__import__('os')", 1, "__import__ cannot be called"),
    ("__import__('os').system('touch gg_pwned')", 1, "cannot be called"),
    ("x.__class__", 2, "attribute access"),
    ("x.__class__.__bases__[0]", 2, "attribute access"),
    ("x[0]", 2, "indexing"),
    ("(lambda: x)()", 1, "cannot be called"),
    ("lambda: x", 1, "lambda is not allowed"),
    ("[x for x in y]", 1, "comprehension"),
    ("(x for x in y)", 1, "generator"),
    ("x if y else 1", 1, "if/else"),
    ("x < y", 1, "comparison"),
    ("x and y", 1, "and/or"),
    ("'ab' * x", 1, "text 'ab' is not allowed"),
    ('f"{x}"', 1, "f-string"),
    ("(y := 2) * x", 2, "assignment"),
    ("x // 2", 3, "// is not allowed"),
    ("x % 2", 3, "% is not allowed"),
    ("x ^ 2", 3, "for a power write x ** 2"),
    ("~x", 1, "~ is not allowed"),
    ("x ** 100000", 6, "exponent 100000 is too large"),
    ("x ** 1e9", 6, "too large"),
    ("10 ** 400 * x", 4, "overflow"),
    ("(-8) ** 0.5 * x", 6, "negative base with a fractional exponent has no real value"),
    ("99999999999999999999 * x", 1, "number is too large"),
    ("1e999 * x", 1, "number is too large"),
    ("1j * x", 1, "complex"),
    ("True * x", 1, "bool"),
    ("z + x", 1, "unknown name 'z': give it a value with --set z=NUMBER"),
    ("x + q", 5, "unknown name 'q'"),
    ("exp + x", 1, "exp is a function"),
    ("exp(x, y)", 1, "exp() takes 1 argument, got 2"),
    ("max(x)", 1, "max() takes 2 arguments, got 1"),
    ("exp(a=x)", 1, "no keyword arguments"),
    ("exp(*[x])", 5, "unpacking (*) is not allowed"),
    ("x + (", 5, "syntax error"),
    ("x +* y", 4, "syntax error"),
    ("x / y", 3, "div gate: division by zero"),
    ("log(y)", 1, "log gate: input must be > 0"),
    ("exp(1000 * x)", 1, "exp gate"),
    ("  é + x", 3, "unknown name 'é'"),          # characters, not bytes; spaces count
    ("2 * 3", 1, "no variables"),
]


@pytest.mark.parametrize("text, column, fragment", REFUSED)
def test_refused_with_column_and_reason(text, column, fragment, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ExprError) as error:
        parse(text, {"x": 1.0, "y": 0.0})
    assert error.value.column == column, str(error.value)
    assert fragment in str(error.value)
    assert str(error.value).startswith(f"column {column}: ")
    assert "\n" not in str(error.value)
    assert not (tmp_path / "gg_pwned").exists()


def test_columns_count_characters_not_bytes():
    with pytest.raises(ExprError) as error:
        parse("ü*x + z", {"ü": 1.0, "x": 2.0})  # ü is two bytes in UTF-8
    assert error.value.column == 7
    assert parse("ü*x", {"ü": 1.5, "x": 2.0}).root.data == 3.0


def test_limits_on_size_and_shape():
    with pytest.raises(ExprError, match="10001 characters long; the limit is 10000"):
        parse("x" + " " * 10000, {"x": 1.0})
    with pytest.raises(ExprError, match=f"nested more than {MAX_DEPTH} levels"):
        parse("-" * (MAX_DEPTH + 5) + "x", {"x": 1.0})
    with pytest.raises(ExprError, match="syntax error: too many nested parentheses"):
        parse("(" * 300 + "x" + ")" * 300, {"x": 1.0})
    with pytest.raises(ExprError, match="one line"):
        parse("x +\n 1", {"x": 1.0})
    with pytest.raises(ExprError, match="empty"):
        parse("   ", {})
    with pytest.raises(ExprError, match="syntax error"):
        parse("x\x00", {"x": 1.0})
    assert parse("-" * (MAX_DEPTH - 2) + "x", {"x": 2.0}).root.data == 2.0  # even count


def test_assignments():
    assert parse_assignments(["w0=2", "x0=-1", " b = 1e-3 "]) == {"w0": 2.0, "x0": -1.0,
                                                                   "b": 0.001}
    for item, fragment in [("x", "write NAME=VALUE"), ("x=abc", "'abc' is not a number"),
                           ("x=inf", "finite"), ("x=nan", "finite"), ("x=1e999", "finite"),
                           ("1x=2", "not a valid variable name"), ("exp=1", "function name"),
                           ("lambda=1", "not a valid"), ("__class__=1", "not a valid"),
                           ("=3", "not a valid")]:
        with pytest.raises(ExprError, match=fragment):
            parse_assignments([item])
    with pytest.raises(ExprError, match="set twice"):
        parse_assignments(["x=1", "x=2"])


def test_the_parser_never_evaluates_text():
    source = Path(gategrad.expr.__file__).read_text(encoding="utf-8")
    assert "eval(" not in source.replace("literal_eval(", "") and "exec(" not in source
    assert "compile(" not in source
