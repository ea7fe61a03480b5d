"""README.zh-CN.md cannot rot either: its Python runs and its table is what gategrad prints."""

import contextlib
import io
import re
from pathlib import Path

import pytest

from tests.readme_blocks import run_block

README = Path(__file__).resolve().parents[1] / "README.zh-CN.md"


def _blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def test_the_chinese_readme_starts_with_the_two_commands():
    assert _blocks("sh")[0].split() == ["make", "demo", "make", "test"]


def test_its_python_runs_and_its_table_is_the_chinese_steps_table(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": "__readme_zh__"}
    problems, printed = [], ""
    for k, block in enumerate(_blocks("python"), start=1):
        try:
            with contextlib.redirect_stdout(io.StringIO()) as out:
                problems += run_block(block, namespace, f"README.zh-CN.md python block {k}")
        except Exception as e:
            pytest.fail(f"README.zh-CN.md python block {k} raised {type(e).__name__}: {e}")
        printed += out.getvalue()
    assert not problems, "\n".join(problems)  # every result its comments state
    assert "log 门：输入必须 > 0" in printed  # the localize example prints Chinese
    table = _blocks("text")[0].rstrip("\n")
    assert table in printed  # the table in the README is what steps_table(f, lang="zh") prints
    assert "反向传播以 df/df = 1 开始" in table
