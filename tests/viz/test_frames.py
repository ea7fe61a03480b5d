"""Frames and their captions: one voice (numbers, names, words), checked by hand.

tests/viz/test_stepper.py checks the English captions of the CS231n walk; here: the same
digits as every view, no -0.00, the notes' names, the captions in Chinese, settings refused.
"""

from __future__ import annotations

import pytest

from engine import Value, maximum
from tests.examples import cs231n
from viz import export_frames, frames


def max_times_z():
    """max(x, y) * z at x=2, y=5, z=-1: x's gradient is -1 × 0, a zero without a sign."""
    x, y, z = Value(2.0, label="x"), Value(5.0, label="y"), Value(-1.0, label="z")
    return maximum(x, y) * z


def test_no_minus_zero_and_brackets_in_the_captions():
    got = frames(max_times_z())
    lines = [line for frame in got for line in frame.lines]
    assert all("-0.00" not in line for line in lines)
    assert "df/dx += df/ds0 · ∂s0/∂x = -1.00 × 0.00 = 0.00" in lines
    assert "f = s0 * z = 5.00 * (-1.00) = -5.00" in lines
    assert got[0].lines == ("x = 2.00, y = 5.00, z = -1.00",)


def test_digits_default_is_the_one_of_every_view_and_is_checked():
    f, _ = cs231n()
    assert frames(f)[1].lines == ("s0 = w0 * x0 = 2.00 * (-1.00) = -2.00",)
    assert frames(f, digits=3)[1].lines == ("s0 = w0 * x0 = 2.000 * (-1.000) = -2.000",)
    for bad in (-1, 13, 2.0, "2", True):
        with pytest.raises(ValueError, match=r"digits must be a whole number from 0 to 12"):
            frames(f, digits=bad)
    with pytest.raises(ValueError, match="phases"):
        frames(f, phases=[])


def test_captions_in_chinese():
    f, _ = cs231n()
    got = frames(f, lang="zh")
    assert got[0].title == "前向传播 · 共 5 个门"
    # each gate by its one name in the gate table (the notes' 乘法门, 加法门, ...)
    assert got[1].title == "前向传播第 1 步（共 5 步）：乘法门 → s0"
    assert got[6].title == "反向传播 · 共 5 个门"
    assert got[6].rule == ("反向传播从输出开始，df/df = 1。之后每个门把 上游梯度 × 局部梯度 "
                           "传给它的每个输入。")
    assert got[7].title == "反向传播第 1 步（共 5 步）：f 处的sigmoid 门"
    assert got[8].title == "反向传播第 2 步（共 5 步）：s3 处的加法门"
    assert got[8].rule == "加法门：梯度直接传递（分配）：每个输入都收到不变的上游梯度"
    # the numbers are the same in both languages
    assert got[11].lines == frames(f, lang="en")[11].lines
    assert frames(f)[0].title == "Forward pass · 5 gates"  # the language does not stick


def test_export_frames_in_chinese_and_refusals_write_nothing(tmp_path):
    f, _ = cs231n()
    export_frames(f, tmp_path / "zh", fmt="dot", lang="zh", phases=["backward"])
    captions = (tmp_path / "zh" / "captions.txt").read_text(encoding="utf-8")
    assert "001-backward-0.dot  反向传播 · 共 5 个门" in captions
    for settings in ({"digits": -1}, {"fmt": "gif"}, {"phases": ["sideways"]},
                     {"rankdir": "up"}):
        with pytest.raises(ValueError):
            export_frames(f, tmp_path / "bad", **{"fmt": "dot", **settings})
        assert not (tmp_path / "bad").exists(), settings


def test_modules_are_not_shadowed_by_the_functions_viz_exports():
    import viz

    # `import viz.draw as m` gave the function draw when the module was viz/draw.py
    for module, function in (("diagram", "draw"), ("slides", "frames"), ("graph", None)):
        scope: dict = {}
        exec(f"import viz.{module} as imported", scope)
        assert type(scope["imported"]).__name__ == "module", module
        if function:
            assert getattr(viz, function) is getattr(scope["imported"], function)
    for name in ("draw", "frames", "export_frames", "steps_table"):
        assert callable(getattr(viz, name))
