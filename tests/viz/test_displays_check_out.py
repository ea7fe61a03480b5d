"""Every printed line multiplies out, and every quantity reads one way, in every text display.

For random graphs, each line of the steps table (rows and chain-rule lines), the chain-rule
text, the forward table and the frame captions is read back as a class reads it, and every
``a × b = c`` (and a forward ``a * b``, ``a + b``, ``a - b``) is checked on the numbers as
printed: within the rounding of their last digits, and exactly in exact mode.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from engine import Value, forward_steps
from tests.engine.strategies import engine_apply, recipes
from viz import chain_rule_text, forward_table, steps_table
from viz.slides import frames
from words import MAX_DIGITS

NUMBER = r"\(?-?\d+(?:\.\d+)?\)?"
CHAIN = re.compile(rf"= ({NUMBER}) × ({NUMBER}) = ({NUMBER})$")
FORWARD = re.compile(rf"= ({NUMBER}) ([*+-]) ({NUMBER}) = ({NUMBER})$")


def _value(text: str) -> Decimal:
    return Decimal(text.strip("()"))


def _half_unit(text: str) -> Decimal:
    body = text.strip("()")
    places = len(body.split(".")[1]) if "." in body else 0
    return Decimal(5).scaleb(-places - 1)


def holds(a: str, op: str, b: str, c: str, exact: bool) -> bool:
    """``a op b = c`` as printed: some numbers within half a unit of each printed one satisfy
    it; in exact mode the printed operands combined, rounded to the line's decimals, are c."""
    A, B, C = _value(a), _value(b), _value(c)
    if exact:
        places = max(-_value(t).as_tuple().exponent for t in (a, b, c))
        by_hand = {"*": A * B, "+": A + B, "-": A - B}[op]
        return by_hand.quantize(Decimal(1).scaleb(-places), ROUND_HALF_EVEN) == C
    ha, hb, hc = _half_unit(a), _half_unit(b), _half_unit(c)
    if op == "*":
        corners = [x * y for x in (A - ha, A + ha) for y in (B - hb, B + hb)]
        low, high = min(corners), max(corners)
    else:
        sign = 1 if op == "+" else -1
        low, high = A + sign * B - ha - hb, A + sign * B + ha + hb
    slack = Decimal("1e-12")
    return low - slack <= C + hc and C - hc <= high + slack


def exact_here(lines, exact: bool) -> bool:
    """Exact mode is exact below MAX_DIGITS decimals; at MAX_DIGITS float64 has run out of
    digits (a few graphs, x0 + x0 at x0 = 0.9356247144647045) and a line is held to the
    rounding of its last digits, as in the default mode."""
    decimals = [len(n.split(".")[1]) for line in lines
                for n in re.findall(r"\d+\.\d+", line)]
    return exact and max(decimals, default=0) < MAX_DIGITS


def check_lines(lines, exact: bool) -> int:
    """Check every chain-rule or forward line among ``lines``; returns how many there were."""
    checked = 0
    for line in lines:
        if m := CHAIN.search(line):
            assert holds(m[1], "*", m[2], m[3], exact), line
            checked += 1
        elif m := FORWARD.search(line):
            assert holds(m[1], m[2], m[3], m[4], exact), line
            checked += 1
    return checked


def table_rows(text: str):
    """(upstream, local, contribution, before, after) of every row of a steps table, and the
    chain-rule lines under each step, read back from the printed text."""
    rows, lines, upstream = [], [], None
    for line in text.splitlines()[2:]:
        tokens = line.split()
        if not tokens or line.startswith("d") and "seeds the pass" in line:
            break
        if "+=" in line:
            lines.append(line)
            continue
        if len(tokens) >= 6 and tokens[-2] == "→":
            if tokens[0].isdigit() and len(tokens) >= 10:  # a step's first row: its upstream
                upstream = tokens[-7]
            rows.append((upstream, tokens[-5], tokens[-4], tokens[-3], tokens[-1]))
    return rows, lines


def graph(recipe):
    return recipe.build(lambda v, i: Value(v, label=f"x{i}"), engine_apply)[1]


@settings(max_examples=40, deadline=None)
@given(recipes(max_ops=8), st.integers(0, 4), st.booleans())
def test_every_printed_product_holds_and_every_quantity_reads_one_way(recipe, digits, exact):
    root = graph(recipe)
    table = steps_table(root, digits=digits, chain_rule=True, exact=exact, lang="en")
    rows, lines = table_rows(table)
    strict = exact_here(table.splitlines(), exact)
    assert rows and len(lines) == len(rows)  # one chain-rule line per row, in order
    for (up, local, contribution, _before, _after), line in zip(rows, lines):
        assert holds(up, "*", local, contribution, strict), (up, local, contribution)
        # the line says the row's numbers, digit for digit
        m = CHAIN.search(line)
        assert (m[1], m[2].strip("()"), m[3]) == (up, local, contribution), (line, up, local)
    assert check_lines(lines, strict) == len(lines)
    # one quantity, one reading: what a node holds after its last step is its upstream when
    # its own gate fires (d f / d s1 is the same string in both places)
    held: dict[str, str] = {}
    for line, (_up, _l, _c, _b, after) in zip(lines, rows):
        held[line.split(" += ")[0]] = after
    for line in lines:
        node_grad = "d" + line.split(" · ")[0].split(" += ")[1].split("/", 1)[1]
        upstream_quantity = line.split(" += ")[1].split(" · ")[0]
        if upstream_quantity in held:
            assert held[upstream_quantity] == CHAIN.search(line)[1], (upstream_quantity, line)
        assert node_grad  # (the line names what it adds to)
    text = chain_rule_text(root, digits=digits, exact=exact).splitlines()
    assert text == [line.strip() for line in lines]  # the same lines, the same digits
    forward = forward_table(root, digits=digits, exact=exact, lang="en").splitlines()[2:]
    assert check_lines(forward, exact_here(forward, exact)) == sum(
        s.op in ("add", "sub", "mul") for s in forward_steps(root))


@settings(max_examples=25, deadline=None)
@given(recipes(max_ops=6), st.integers(0, 4))
def test_frame_captions_check_out(recipe, digits):
    captions = [line for f in frames(graph(recipe), digits=digits, lang="en") for line in f.lines]
    assert check_lines(captions, exact=False) > 0


def test_exact_mode_of_the_cs231n_graph_agrees_row_and_line():
    """The case of the issue, by hand: 0.1966 everywhere, never 0.2 beside it."""
    from tests.examples import cs231n

    f, _ = cs231n()
    table = steps_table(f, chain_rule=True, exact=True, lang="en")
    rows, lines = table_rows(table)
    assert [r[0] for r in rows] == ["1"] + ["0.1966"] * 8
    assert lines[-2] == "      df/dw0 += df/ds0 · ∂s0/∂w0 = 0.1966 × (-1) = -0.1966"
    assert rows[-2] == ("0.1966", "-1", "-0.1966", "0", "-0.1966")


def test_the_checker_catches_what_the_issue_saw():
    """The checker is not vacuous: the lines the issue quoted fail it."""
    # exact mode said 0.2 × (-1) = -0.2 beside a row of -0.1966: fine alone, but
    assert not holds("0.20", "*", "(-1.00)", "-0.1966", exact=True)
    # δ from one sample times x from another, the sum over samples as the result
    assert not holds("0.12", "*", "0.33", "-0.01", exact=False)
    assert not holds("-0.11", "*", "(-0.70)", "-0.09", exact=False)
    assert holds("0.20", "*", "(-2.00)", "-0.39", exact=False)  # rounding, honestly
    assert not holds("0.20", "*", "(-2.00)", "-0.39", exact=True)
    assert not holds("0.2", "+", "0.2", "0.39", exact=True)
