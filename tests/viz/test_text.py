"""The terminal tables, checked line by line against numbers computed by hand."""

import math

from engine import Value
from tests.examples import cs231n as _cs231n
from viz import chain_rule_text, forward_table, steps_table


def cs231n():
    return _cs231n()[0]


DS = (1 / (1 + math.exp(-1))) * (1 - 1 / (1 + math.exp(-1)))  # 0.19661...


def cells(line):
    return line.split()


def test_steps_table_line_by_line():
    f = cs231n()
    lines = steps_table(f, digits=2).splitlines()
    assert cells(lines[0]) == ["step", "gate", "rule", "output", "upstream", "input", "local",
                               "contribution", "grad", "before", "→", "after"]
    ds = f"{DS:.2f}"
    rows = [c for c in map(cells, lines[2:]) if c]
    expected = [
        ["1", "sigmoid", "sigmoid", "f", "1.00", "s3", ds, ds, "0.00", "→", ds],
        ["2", "add", "add", "distributes", "s3", ds, "s2", "1.00", ds, "0.00", "→", ds],
        ["w2", "1.00", ds, "0.00", "→", ds],
        ["3", "add", "add", "distributes", "s2", ds, "s0", "1.00", ds, "0.00", "→", ds],
        ["s1", "1.00", ds, "0.00", "→", ds],
        ["4", "mul", "mul", "swaps", "s1", ds, "w1", "-2.00", f"{-2 * DS:.2f}", "0.00", "→",
         f"{-2 * DS:.2f}"],
        ["x1", "-3.00", f"{-3 * DS:.2f}", "0.00", "→", f"{-3 * DS:.2f}"],
        ["5", "mul", "mul", "swaps", "s0", ds, "w0", "-1.00", f"{-DS:.2f}", "0.00", "→",
         f"{-DS:.2f}"],
        ["x0", "2.00", f"{2 * DS:.2f}", "0.00", "→", f"{2 * DS:.2f}"],
    ]
    assert rows[:9] == expected
    assert "  mul swaps: each input receives the upstream gradient times the other input" in lines


def test_steps_table_digits_and_chain_rule():
    text = steps_table(cs231n(), digits=4, chain_rule=True)
    assert f"{DS:.4f}" in text and "0.1966" in text
    # typed by hand: DS = 0.196612; a negative operand right of × in brackets
    assert "df/dw0 += df/ds0 · ∂s0/∂w0 = 0.1966 × (-1.0000) = -0.1966" in text


def test_tables_do_not_change_the_graph():
    f = cs231n()
    steps_table(f)
    chain_rule_text(f)
    assert f.grad == 0.0


def test_forward_table():
    lines = forward_table(cs231n()).splitlines()
    assert cells(lines[2]) == ["1", "mul", "s0", "=", "w0", "*", "x0", "=", "2.00", "*",
                               "(-1.00)", "=", "-2.00"]
    assert lines[-1].split()[-1] == f"{1 / (1 + math.exp(-1)):.2f}"


def test_latex_block():
    text = chain_rule_text(cs231n(), latex=True)
    assert text.startswith("\\begin{align*}") and text.endswith("\\end{align*}")
    assert text.count("&\\mathrel{+}=") == 9 and text.count("\\\\\n") == 8


def test_leaf_tables_say_there_is_nothing_to_step():
    x = Value(2.0, label="x")
    assert "no gates" in steps_table(x) and "no gates" in forward_table(x)


def test_digits_are_checked_with_a_message_naming_them():
    # before: steps_table(f, digits=-1) failed inside a format string
    import pytest

    f = cs231n()
    for table in (steps_table, forward_table, chain_rule_text):
        for bad in (-1, 13, 2.5, True, "2"):
            with pytest.raises(ValueError, match=r"digits must be a whole number from 0 to 12"):
                table(f, digits=bad)
    assert f.grad == 0.0
