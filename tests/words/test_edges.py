"""Edges of the voice layer that planted bugs showed untested (issue 23's mutation run).

Each expected value is typed by hand: how the exact mode rounds a tie (as the display does, to
even), LaTeX subscripts for names written with and without an underscore, and language codes
written the ways a browser, a shell and a person write them.
"""

from __future__ import annotations

import pytest

from words import latex_name, num, product, resolve_language


def test_exact_mode_rounds_a_tie_as_the_display_does():
    # 0.5 × 0.25 = 0.125 exactly, a tie at 2 decimals: the display writes 0.12 (Python rounds
    # half to even), and 0.50 × 0.25 rounded the same way is 0.12, so 2 decimals check out
    assert num(0.125, 2) == "0.12"
    assert product(0.5, 0.25, 0.125, 2, exact=True) == ("0.5", "0.25", "0.12")
    # 0.5 × 0.75 = 0.375: to even is up here, 0.38, as half up would give
    assert product(0.5, 0.75, 0.375, 2, exact=True) == ("0.5", "0.75", "0.38")


@pytest.mark.parametrize("name, latex", [
    ("w0", "w_{0}"), ("s_3", "s_{3}"), ("w12", "w_{12}"), ("x_y", r"x\_y"),
    ("a%b", r"a\%b"), ("L1.N2.w1", "L1.N2.w1"),
])
def test_latex_names(name, latex):
    assert latex_name(name) == latex


@pytest.mark.parametrize("written", ["zh", "ZH", "zh_CN", "zh-CN", "zh_CN.UTF-8", "zh-Hans",
                                     "zh_TW@euro"])
def test_chinese_however_it_is_written(written):
    assert resolve_language(written) == "zh"


@pytest.mark.parametrize("written", ["en", "en-US", "en_GB.UTF-8", "C", "POSIX"])
def test_english_however_it_is_written(written):
    assert resolve_language(written) == "en"


def test_a_language_gategrad_does_not_speak_is_refused():
    with pytest.raises(ValueError, match="lang must be one of en, zh, got 'fr-FR'"):
        resolve_language("fr-FR")
