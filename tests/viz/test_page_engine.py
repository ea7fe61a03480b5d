"""The page's engine against the Python engine, in Chromium: every gate of the table (every pow
exponent case), random graphs from the engine's strategies, the JavaScript twins of the scalar
helpers and of words's formatter, and k steps against ``viz.draw(root, step=k)``."""

from __future__ import annotations

import math
import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import engine
from engine import GATES, HELPERS, Value
from tests.close import close
from tests.engine.strategies import engine_apply, points, recipes
from tests.examples import cs231n
from tests.viz import svg
from tests.viz.page_driver import (  # noqa: F401
    CELLS_JS,
    STATE_JS,
    browser,
    close_clean,
    open_page,
)
from viz import draw, stepper, to_svg
from viz.page.js import FormulaError, to_js
from words import num, operand, product

pytestmark = pytest.mark.browser


def page_numbers(browser, root: Value, path: Path):  # noqa: F811
    """(name, value, gradient) of every node as the page computes them."""
    stepper(root, path)
    page = open_page(browser, path)
    got = page.evaluate(STATE_JS)
    close_clean(page, path)
    return got


def python_numbers(root: Value):
    engine.zero_grad(root)
    root.backward()
    names = engine.node_names(root)
    return [(names[n], n.data, n.grad) for n in engine.topological_order(root)]


def assert_same(got, want):
    assert [g[0] for g in got] == [w[0] for w in want]
    for (name, data, grad), (_, data_py, grad_py) in zip(got, want):
        assert close(data, data_py, floor=1e-15), (name, data, data_py)
        assert close(grad, grad_py, floor=1e-15), (name, grad, grad_py)


def every_gate() -> Value:
    """One graph with every row of the table at its test points (tests/engine/strategies:
    both sides of relu and max, both sigmoid branches, every pow exponent), and the
    number-exponent pow on negative bases."""
    outs = []
    for name in GATES:
        for p, a, b in points(name):
            outs.append(engine_apply(name, p, Value(a, label="a"), Value(b, label="b")))
    root = outs[0]
    for o in outs[1:]:
        root = root + o
    return root


def test_every_gate_and_every_pow_exponent(browser, tmp_path):  # noqa: F811
    root = every_gate()
    used = {n.op for n in engine.topological_order(root) if n._prev}
    assert used == set(GATES)  # the graph really has every row of the table
    assert_same(page_numbers(browser, root, tmp_path / "gates.html"), python_numbers(root))


def _build(recipe):
    def apply(name, p, x, y):
        return x ** y if name == "pow_value" else engine_apply(name, p, x, y)
    _, root = recipe.build(lambda v, i: Value(v, label=f"x{i}"), apply)
    return root


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(recipe=recipes(max_ops=8))
def test_random_graphs_agree_with_the_python_engine(browser, tmp_path_factory, recipe):  # noqa: F811
    root = _build(recipe)
    path = tmp_path_factory.mktemp("random") / "page.html"
    assert_same(page_numbers(browser, root, path), python_numbers(root))


def test_k_steps_show_the_cells_of_draw(browser, tmp_path):  # noqa: F811
    x = Value(3.0, label="x")
    graphs = {"cs231n": cs231n()[0], "fork": (x * x + x).tanh()}
    for key, root in graphs.items():
        path = stepper(root, tmp_path / f"{key}.html")
        page = open_page(browser, path)
        forward = sum(1 for n in engine.topological_order(root) if n._prev)
        for phase, count, offset in (("forward", forward, 0), ("backward", forward, forward + 1)):
            for k in range(count + 1):
                page.evaluate(f"page.go({offset + k})")
                shown = page.evaluate(CELLS_JS)
                drawn = svg.by_label(to_svg(draw(root, step=k, phase=phase, digits=2)))
                assert {n: c.texts for n, c in drawn.items()} == shown, (key, phase, k)
        close_clean(page, path)


# -- the twins ------------------------------------------------------------------------------------


def test_every_scalar_helper_has_a_javascript_twin(browser, tmp_path):  # noqa: F811
    root = every_gate()
    path = stepper(root, tmp_path / "twins.html")
    page = open_page(browser, path)
    assert set(page.evaluate("Object.keys(helpers)")) == set(HELPERS)
    points = [-3.0, -0.5, 0.0, 0.5, 2.0, 40.0, -40.0, 1e-9]
    for name, fn in ((h.name, h.python) for h in HELPERS.values()):
        if not callable(fn):
            assert page.evaluate(f"helpers.{name}") == fn
            continue
        arity = 2 if name in ("maximum", "route") else 1
        for a in points:
            for b in (points if arity == 2 else [None]):
                args = [a] if b is None else [a, b]
                if name == "log" and a <= 0:
                    continue
                want = fn(*args)
                got = page.evaluate(f"helpers.{name}({', '.join(map(repr, args))})")
                same = got == want if isinstance(want, bool) else close(got, float(want),
                                                                        floor=1e-15)
                assert same, (name, args, got, want)
    close_clean(page, path)


def test_the_translator_refuses_what_the_whitelist_refuses():
    assert to_js("a if 0 < p < 1 else -a ** 2", "ap") == \
        "(((0.0 < p) && (p < 1.0)) ? a : (-Math.pow(a, 2.0)))"
    assert to_js("a ** 2", "a", python_floats=True) == "floats.pow(a, 2.0)"  # Python's **
    assert to_js("not is_int(p) and a == 0", "ap", kind="truth") == \
        "((!helpers.is_int(p)) && (a === 0.0))"
    for bad in ("a.real", "[a]", "lambda: a", "a[0]", "__import__('os')", "open(a)", "a % 2",
                "x + 1"):
        with pytest.raises(FormulaError, match="formula"):
            to_js(bad, "ap")


def _values() -> list[float]:
    rng = random.Random(7)
    ties = [0.125, -0.125, 0.375, 2.5, 0.5, 1.5, -2.5, 0.005, 1.005, 0.045, 1e-7, -1e-7, 123456.789,
            1e21, 3e22, -0.0, 0.0, 5e-324, 1.7976931348623157e308, 0.1, 0.2, 0.3, 1 / 3]
    # where the formatters change form: toFixed's exponent form from 1e21, repr's below 1e-4
    # and from 1e16, each side of the edge by one float
    edges = [edge * sign for e in (1e21, 1e16, 1e-4, 1e-5)
             for edge in (math.nextafter(e, 0), e, math.nextafter(e, math.inf))
             for sign in (1, -1)]
    return ties + edges + [rng.uniform(-5, 5) for _ in range(80)] + \
        [rng.uniform(-1, 1) * 10 ** rng.randint(-10, 12) for _ in range(80)]


def test_the_number_formatter_twins_python(browser, tmp_path):  # noqa: F811
    f, _ = cs231n()
    path = stepper(f, tmp_path / "n.html")
    page = open_page(browser, path)
    xs = _values()
    specials = [math.inf, -math.inf, math.nan]
    rows = [(x, d) for x in xs + specials for d in (0, 1, 2, 4, 7, 12)]
    js = page.evaluate("""rows => rows.map(([x, d]) => {
        x = x === "inf" ? Infinity : x === "-inf" ? -Infinity : Number(x);
        return [numbers.num(x, d), numbers.operand(x, d), numbers.pyrepr(x)];
    })""", [[repr(x), d] for x, d in rows])
    want = [[num(x, d), operand(x, d), repr(x)] for x, d in rows]
    assert js == want
    rng = random.Random(3)
    triples = [(a, b, a * b) for a, b in [(0.19661193324148185, 2.0), (0.1966, -1.0),
                                           (-0.39, -0.5)]]
    triples += [(a, b, a * b) for a, b in ((rng.uniform(-3, 3), rng.uniform(-3, 3))
                                           for _ in range(60))]
    got = page.evaluate("ts => ts.map(([a, b, o, d, e]) => numbers.product(a, b, o, d, e))",
                        [[a, b, o, d, e] for a, b, o in triples for d in (0, 2, 3)
                         for e in (False, True)])
    want = [list(product(a, b, o, d, e)) for a, b, o in triples for d in (0, 2, 3)
            for e in (False, True)]
    assert got == want
    close_clean(page, path)


def test_the_page_script_names_only_twinned_helpers():
    """The generated kernels call helpers.<name> only for names the helper table has."""
    from viz.page.build import script
    text = script([*(g for g in GATES.values() if g.name != "pow"), engine.pow_gate(2.0)])
    assert set(re.findall(r"\bhelpers\.(\w+)", text)) <= set(HELPERS)


def test_every_word_the_page_uses_is_in_the_catalogue_lists_and_translated():
    """words.say("...") and {msgid: "..."} in the scripts and data-t/data-ta/data-tt in the
    HTML use listed msgids only, and every listed msgid has its Chinese."""
    from viz.page.build import HERE
    from viz.page.words import NETWORK_WORDS, SHARED, WORDS, page_catalogue

    listed = set(WORDS) | set(SHARED) | set(NETWORK_WORDS)
    used = set()
    for path in HERE.glob("*.js"):
        text = path.read_text("utf-8")
        used |= set(re.findall(r'\b(?:say\(|msgid: )"((?:[^"\\]|\\.)*)"', text))
    used |= set(re.findall(r'data-t[at]?="([^"]*)"', (HERE / "view.html").read_text("utf-8")))
    assert used - listed == set()
    assert len(used) > 60
    zh = page_catalogue(listed)["zh"]
    assert sorted(listed - set(zh)) == []


def test_the_misconception_formulas_translate_to_the_same_numbers(browser, tmp_path):  # noqa: F811
    """Every row of grading's catalogue, in the page, against its Python evaluation."""
    from grading.misconceptions import MISCONCEPTIONS, VARIABLES, evaluate

    root = every_gate()
    path = stepper(root, tmp_path / "mis.html")
    page = open_page(browser, path)
    assert page.evaluate("tables.misconceptions.map(m => m.key)") == [m.key for m in MISCONCEPTIONS]
    rng = random.Random(5)
    cases = [dict(zip(VARIABLES, (rng.choice([0.0, -1.5, 2.0, rng.uniform(-3, 3)])
                                  for _ in VARIABLES))) for _ in range(40)]
    got = page.evaluate("""cases => cases.map(c => tables.misconceptions.map(m => {
        const args = [c.upstream, c.local, c.own, c.other, c.out, c.before];
        return [Boolean(m.when.apply(null, args)), m.answer.apply(null, args)];
    }))""", cases)
    want = [[[bool(evaluate(m.when, c, "truth")), evaluate(m.answer, c)] for m in MISCONCEPTIONS]
            for c in cases]
    assert got == want
    close_clean(page, path)


def test_the_view_follows_the_active_gate_when_zoomed(browser, tmp_path):  # noqa: F811
    root = every_gate()
    path = stepper(root, tmp_path / "zoom.html")
    page = open_page(browser, path)
    for _ in range(6):
        page.keyboard.press("+")
    for k in (3, 20, 35):
        page.evaluate(f"page.go({k})")
        inside = page.evaluate("""() => {
            const g = document.querySelector('#diagram g.gate.current').getBoundingClientRect();
            const v = document.getElementById('diagram').getBoundingClientRect();
            return g.left >= v.left && g.right <= v.right && g.top >= v.top && g.bottom <= v.bottom;
        }""")
        assert inside, k
    close_clean(page, path)


def test_the_scripts_have_no_comment_marker_inside_a_string():
    """build._compact cuts ' // ...' at line ends; a string holding '//' would be cut too."""
    from viz.page.build import HERE

    for path in HERE.glob("*.js"):
        for line in path.read_text("utf-8").splitlines():
            code = line.split(" // ")[0]
            assert code.count('"') % 2 == 0, (path.name, line)
