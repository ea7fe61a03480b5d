"""The lesson page switched to 中文 (issue 20), in Chromium: its title, its captions naming gates
as the notes do (乘法门), a layer's title in the picture, and no Latin word left in what a class
sees, once identifiers and numbers are set aside."""

from __future__ import annotations

import re

import pytest

import nn
from engine import Value
from grading.notes import hidden_relu_sigmoid
from tests.examples import cs231n
from tests.viz.page_driver import browser, close_clean, open_page, show_panel  # noqa: F401
from viz import stepper

pytestmark = pytest.mark.browser

# tests/latin.py (the Chinese engineer's allowlist) is not on main yet: this page's own list of
# the Latin words a Chinese class may read, as the notes write them.
ALLOWED = {
    "gategrad",  # the tool's name
    "English",  # the language switch offers the other language by its own name
    "sigmoid", "tanh", "ReLU", "relu", "max", "exp", "log",  # functions, as the notes write them
    "float64", "NaN", "inf", "nan", "grad",  # the number type and its values; Value.grad
    "node",  # engine.errors writes "(node 'x')" in every language (issue 20, the engine's part)
}


def latin_words(text: str, names: list[str]) -> set[str]:
    """The Latin words of ``text`` once the graph's names, their derivatives (df/dx0, ∂L/∂w),
    nn's keys (L1.N2), single letters of the formulas and numbers are taken out."""
    for name in sorted(set(names), key=len, reverse=True):  # whole tokens, maybe d- or ∂-
        text = re.sub(r"(?<![A-Za-z0-9_])[d∂]?" + re.escape(name) + r"(?![A-Za-z0-9_])", " ",
                      text)
    text = re.sub(r"\bL\d+(\.N\d+)?(\.\w+)?\b", " ", text)  # L1, L1.N2, L1.N2.w1
    text = re.sub(r"\d+(\.\d+)?(e[+-]?\d+)?", " ", text)  # numbers, 1e-310
    return {w for w in re.findall(r"[A-Za-z]{2,}", text) if not re.fullmatch(r"d[a-z]", w)} \
        - ALLOWED


def _everything_in_chinese(page) -> str:
    """What a class reads at every position: the page's text and the picture's. A step is taken
    before the switch, so what a screen reader was told is said again in Chinese too."""
    page.evaluate("page.go(1)")
    page.locator("#lang").click()
    told = page.locator("#announce").inner_text()
    assert told.startswith("前向传播第 1 步"), told  # before: "Forward step 1 of ..." stayed
    show_panel(page)
    page.locator("#health-on").check()
    seen = []
    for p in range(page.evaluate("page.last()") + 1):
        page.evaluate(f"page.go({p})")
        seen.append(page.evaluate("document.body.innerText"))
        seen.append(" ".join(page.locator("#diagram text").all_text_contents()))
        seen.append(page.evaluate("[...document.querySelectorAll('[aria-label], [title]')]"
                                  ".map(e => (e.getAttribute('aria-label') || '') + ' ' + "
                                  "(e.title || '')).join(' ')"))
    return "\n".join(seen)


def test_the_title_captions_and_layers_speak_chinese(browser, tmp_path):  # noqa: F811
    path = stepper(cs231n()[0], tmp_path / "cs.html")
    page = open_page(browser, path, "#step=11")
    page.locator("#lang").click()
    assert page.title() == "gategrad：逐步计算 f"
    assert page.locator("#heading").inner_text() == "gategrad：逐步计算 f"
    assert page.locator("#title").inner_text() == "反向传播第 4 步（共 5 步）：s1 处的乘法门"
    assert page.locator("#rule").inner_text().startswith("乘法门：")
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    assert page.locator("#title").inner_text() == "前向传播第 1 步（共 5 步）：乘法门 → s0"
    page.locator("#lang").click()
    assert page.title() == "gategrad: stepping through f"
    close_clean(page, path)
    model = nn.MLP(2, [2, 1], activation="tanh", seed=1)
    loss = (model([0.5, -1.0]) - Value(1.0, label="y")) ** 2
    path = stepper(loss, tmp_path / "net.html", collapse=True)
    page = open_page(browser, path)
    assert page.locator("#cluster_L1_label").text_content() == "layer L1"
    page.locator("#lang").click()
    assert page.locator("#cluster_L1_label").text_content() == "层 L1"
    close_clean(page, path)


def test_no_latin_word_is_left_in_chinese(browser, tmp_path):  # noqa: F811
    model = nn.MLP(2, [3, 1], activation="tanh", seed=2)
    samples = [([0.5, -1.0], 1.0), ([-0.3, 0.8], -1.0)]
    loss = None
    for x, y in samples:
        term = (model(x) - y) ** 2
        loss = term if loss is None else loss + term
    pages = {"cs231n": (cs231n()[0], False), "notes1": (hidden_relu_sigmoid().build()[0], False),
             "network": (loss, True)}
    for key, (root, collapse) in pages.items():
        path = stepper(root, tmp_path / f"{key}.html", collapse=collapse)
        page = open_page(browser, path)
        names = page.evaluate("page.nodes.map(n => n.name)")
        text = _everything_in_chinese(page)
        if not collapse:  # a quiz answer, a refusal beside a field, the update step, a refusal
            page.locator("#quiz-on").check()
            page.evaluate("page.go(page.last())")
            field = page.locator("#quiz input").first
            field.fill("123")
            field.press("Enter")
            page.locator(".leaf input[type=text]").first.fill("abc")
            page.locator("#update").click()
            page.locator("#eta").fill("-1")
            page.locator("#update").click()
            text += page.evaluate("document.body.innerText")
        assert "的" in text and latin_words(text, names) == set(), key
        close_clean(page, path)


def test_the_sweep_finds_an_english_word():
    """The sweep above is not blind: English in a Chinese caption is found."""
    assert latin_words("反向传播第 3 步：s2 处的 add gate", ["s2"]) == {"add", "gate"}
    assert latin_words("df/dw0 += df/ds0 · ∂s0/∂w0 = 0.20 × (-1.00) = -0.20",
                       ["w0", "s0"]) == set()
