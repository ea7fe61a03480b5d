"""What the lesson page refuses, and how it says so (issue 23): entries that are not finite
numbers, a gradient that is not finite on the way back (in the Python engine's words, naming the
same gate), and text that could end the page's script or data element."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import AnomalyError, Value
from tests.viz.page_driver import (  # noqa: F401
    STATE_JS,
    browser,
    close_clean,
    open_page,
    show_panel,
)
from viz import stepper
from viz.page.assemble import UnsafePageText, check_inline, json_for_script
from viz.page.build import build_page
from words import localize

pytestmark = pytest.mark.browser

REASONS = {
    "1e999": "1e999 is too large for a float64 number (the largest is about 1.8e308)",
    "abc": "abc is not a number: type digits with a point and an optional exponent, like -1.5 "
           "or 2e-3",
    "NaN": "NaN: NaN and infinity never enter a graph; type a finite number",
    "Infinity": "Infinity: NaN and infinity never enter a graph; type a finite number",
    "-inf": "-inf: NaN and infinity never enter a graph; type a finite number",
    "0x10": "0x10 is not a number: type digits with a point and an optional exponent, like "
            "-1.5 or 2e-3",
    "1,5": "1,5: write the decimal point as a point, 1.5",
}


def test_an_entry_that_is_not_a_finite_number_is_refused_beside_its_field(browser, tmp_path):  # noqa: F811
    x, y = Value(2.0, label="x"), Value(-3.0, label="y")
    path = stepper((x * y).tanh(), tmp_path / "fields.html")
    page = open_page(browser, path, "#step=3")
    show_panel(page)
    good = page.evaluate(STATE_JS)
    field = page.get_by_role("textbox", name="x")
    for typed, reason in REASONS.items():
        field.fill(typed)
        said = page.locator("#why0")
        assert said.inner_text() == reason, typed
        assert said.get_attribute("role") == "alert"
        assert field.get_attribute("aria-invalid") == "true"
        assert page.evaluate(STATE_JS) == good, typed  # the last good state
        assert field.input_value() == typed  # what was typed stays while the field is used
        field.press("Enter")  # left: the field shows the value the page holds again
        assert field.input_value() == "2", typed
        assert said.is_visible()  # and still says why
    field.fill(" −1.5e0 ")  # Python's float() reads it (a typographic minus too)
    assert page.locator("#why0").is_hidden()
    assert field.get_attribute("aria-invalid") == "false"
    assert page.evaluate("page.values()")[0] == -1.5
    field.fill("1,5")
    page.locator("#lang").click()  # the reason showing is said again in Chinese
    assert page.locator("#why0").inner_text() == "1,5：小数点请写成点号，即 1.5"
    close_clean(page, path)


def _python_refusal(build) -> AnomalyError:
    with pytest.raises(AnomalyError) as e:
        build().backward()
    return e.value


def test_a_non_finite_gradient_is_refused_naming_the_gate_python_names(browser, tmp_path):  # noqa: F811
    def issue(value):  # tanh(x*w) + log(x): at x = 1e-310, d log(x)/dx = 1/x is inf
        x, w = Value(value, label="x"), Value(2.0, label="w")
        return (x * w).tanh() + x.log()

    path = stepper(issue(0.5), tmp_path / "nonfinite.html")
    page = open_page(browser, path, "#step=8")
    show_panel(page)
    good = page.evaluate(STATE_JS)
    page.get_by_role("textbox", name="x").fill("1e-310")
    error = _python_refusal(lambda: issue(1e-310))
    alert = page.locator("#alert")
    assert alert.inner_text() == str(error)
    assert alert.inner_text() == (
        "log gate sent a non-finite gradient (inf) to its input a = 1e-310 (node 'x') "
        "(upstream 1.0, local inf); chain from the root: add → log; every .grad was left as "
        "it was")
    assert page.evaluate(STATE_JS) == good  # no df/dx = inf: the last good state
    assert "inf" not in page.locator("#diagram").inner_text()
    page.locator("#lang").click()
    assert alert.inner_text() == (
        "对数门向它的输入 a = 1e-310（节点 'x'） 传出了非有限的梯度 inf（上游梯度 1.0，局部梯度 "
        "inf）；从根节点起的链：add → log；所有 .grad 均保持原样")
    page.locator("#lang").click()
    page.get_by_role("textbox", name="x").fill("0.25")
    assert page.get_by_role("alert").filter(has_text="gate sent").count() == 0
    close_clean(page, path)


def test_a_gradient_sum_that_overflows_is_refused_as_python_refuses_it(browser, tmp_path):  # noqa: F811
    def twice(value):  # at a = 1.5e308 each use of x sends 1.5e308: their sum is inf
        x, a = Value(1e-300, label="x"), Value(value, label="a")
        return x * a + x * a

    path = stepper(twice(1.0), tmp_path / "sum.html")
    page = open_page(browser, path)
    show_panel(page)
    page.get_by_role("textbox", name="a", exact=True).fill("1.5e308")
    assert page.get_by_role("alert").filter(has_text="gate sent").inner_text() == \
        str(_python_refusal(lambda: twice(1.5e308)))
    close_clean(page, path)


def test_a_power_whose_slope_overflows_is_refused_going_forward_as_in_python(browser, tmp_path):  # noqa: F811, E501
    """Python's ** raises OverflowError where JavaScript's Math.pow gives Infinity: at
    a = 1e-265, 1 / a is 1e265 but its slope -1 / a² is not a float64. Python's gate refuses
    it; the page too, with the same words (not later, as a gradient)."""
    def build(value):
        x = Value(value, label="x")
        return (x * 1e-10) ** -1 + x

    with pytest.raises(OverflowError) as e:
        build(1e-255)
    assert str(e.value) == ("pow gate with p = -1: the result is finite but its local "
                            "derivative overflows float64; got a = 1e-265")
    path = stepper(build(1.0), tmp_path / "pow.html")
    page = open_page(browser, path)
    show_panel(page)
    page.get_by_role("textbox", name="x", exact=True).fill("1e-255")
    assert page.locator("#alert").inner_text() == str(e.value)
    close_clean(page, path)


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(small=st.floats(1e-298, 1e-250), big=st.floats(1e250, 1e280),
       shape=st.sampled_from(["log", "sqrt", "reciprocal"]))
def test_random_overflows_on_the_way_back_say_what_python_says(browser, tmp_path_factory,  # noqa: F811
                                                                small, big, shape):
    """k · g(x · 1e-10) + x: fine at x = 1; at a tiny x the slope of g is so steep that it
    overflows, on the way back (AnomalyError) or already in Python's ** on the way forward
    (OverflowError): the page refuses with the same words, naming the same gate."""
    def build(x_value):
        x, k = Value(x_value, label="x"), Value(big, label="k")
        a = x * 1e-10
        inner = {"log": a.log, "sqrt": lambda: a ** 0.5, "reciprocal": lambda: a ** -1}[shape]()
        return inner * k + x

    build(1.0).backward()
    with pytest.raises((AnomalyError, OverflowError)) as refused:
        build(small).backward()
    error = refused.value
    path = stepper(build(1.0), tmp_path_factory.mktemp("random") / "p.html")
    page = open_page(browser, path)
    show_panel(page)
    page.get_by_role("textbox", name="x", exact=True).fill(repr(small))
    assert page.locator("#alert").inner_text() == str(error)
    assert page.evaluate(STATE_JS)[0][1] == 1.0  # x: the last good state
    close_clean(page, path)


# -- text that could end an element of the page ---------------------------------------------------

ENDINGS = ["</script>", "</SCRIPT>", "</script >", "</ScRiPt\n>", "<!--", "<script>", "</style>"]


def test_labels_and_titles_cannot_end_the_pages_data(browser, tmp_path):  # noqa: F811
    leaves = [Value(1.0 + k, label=f"a{k}{text}") for k, text in enumerate(ENDINGS)]
    root = leaves[0]
    for leaf in leaves[1:]:
        root = root + leaf
    html = build_page(root, title="t " + " ".join(ENDINGS))
    data = re.search(r'<script type="application/json" id="gg-data">(.*?)</script>', html,
                     re.S).group(1)
    assert "<" not in data and ">" not in data and "&" not in data.replace("\\u0026", "")
    names = [n["name"] for n in json.loads(data)["nodes"] if n["leaf"]]
    assert sorted(names) == sorted(leaf.label for leaf in leaves)  # read back unchanged
    assert html.lower().count("</script") == 2  # the data's and the script's own ends
    path = tmp_path / "endings.html"
    path.write_text(html, encoding="utf-8")
    page = open_page(browser, path)
    show_panel(page)
    shown = page.locator(".leaf .name").evaluate_all("es => es.map(e => e.textContent)")
    assert sorted(shown) == sorted(names)
    assert page.title() == " ".join(("t " + " ".join(ENDINGS)).split())  # as HTML spaces it
    close_clean(page, path)


@pytest.mark.parametrize("text", ENDINGS)
def test_the_inline_check_refuses_what_would_end_an_element(text):
    with pytest.raises(UnsafePageText, match="would end it"):
        check_inline(f"var a = 1; // {text}\n", "script")
    assert "<" not in json_for_script({"label": text})


def test_the_check_is_a_real_check_not_an_assert():
    """python -O drops asserts; the guard must stay."""
    import ast
    import inspect

    from viz.page import assemble

    tree = ast.parse(inspect.getsource(assemble))
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.Assert)]


def test_a_refusal_shown_is_said_again_in_the_other_language(browser, tmp_path):  # noqa: F811
    x = Value(2.0, label="x")
    path = stepper(x.log(), tmp_path / "log.html")
    page = open_page(browser, path)
    show_panel(page)
    page.get_by_role("textbox", name="x").fill("-1")
    with pytest.raises(ValueError) as e:
        Value(-1.0, label="x").log()
    alert = page.locator("#alert")
    assert alert.inner_text() == str(e.value)
    page.locator("#lang").click()
    assert alert.inner_text() == localize(e.value, "zh")
    page.locator("#lang").click()
    assert alert.inner_text() == str(e.value)
    close_clean(page, path)
