"""Every lesson narrated in Chinese (`lang="zh"`) prints no English word (tests/latin.py): its
tables, its comments of code, its errors, and no warnings about fonts."""

from __future__ import annotations

import re
import warnings

import pytest

import demos
from tests.latin import assert_no_latin

# Names a lesson prints as code: the lessons' own names (the tour lists the next ones), the
# matrix lesson's Y = XW, the exercise's variable pred, fit() and the error it raises, lr, the
# check lesson's names of a student's gradients (dx, dw, ddot).
CODE = set(demos.DEMOS) | {"XW", "pred", "fit", "TrainingDiverged", "lr", "dx", "dw", "ddot"}
# A line of code the fanout lesson shows as it is (only its comment is translated):
# "     - child.grad = local * node.grad   # 立刻递归到子节点"
CODE_LINE = re.compile(r"(?m)^ +[-+] ([^#\n]*)(#[^\n]*)?$")

SLOW = {"digits", "debugging", "moons", "tour"}


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=[pytest.mark.slow] if n in SLOW else [])
    for n in demos.DEMOS])
def test_every_lesson_in_chinese_has_no_english_word(name, tmp_path, capsys):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no font warning, no missing glyph: the figures draw
        demos.run(name, out_dir=str(tmp_path), quick=True, lang="zh")
    printed = capsys.readouterr()
    text = printed.out + printed.err
    comments = [m.group(2) or "" for m in CODE_LINE.finditer(text)]
    assert_no_latin(CODE_LINE.sub("", text), f"demo {name}", identifiers=CODE)
    assert_no_latin("\n".join(c.lstrip("# ") for c in comments), f"demo {name}'s comments")


def test_the_flat_code_and_the_broken_lines_keep_their_code(tmp_path, capsys):
    demos.run("gates", out_dir=str(tmp_path), lang="zh")
    demos.run("fanout", out_dir=str(tmp_path), lang="zh")
    out = capsys.readouterr().out
    assert "grad_w1, grad_x1 = x1 * grad_s1, w1 * grad_s1   # 乘法门：梯度交叉相乘" in out
    assert "grad_s3 = (1 - f) * f                    # sigmoid 的导数 z(1 − z)" in out
    assert ("     - node._backward(); for child in node._prev: child.backward()   "
            "# 立刻递归到子节点") in out
    assert "3. 第二次反向传播时传递了累加后的 .grad：y = (x*2)*3; x = 1; 反向传播两遍" in out
