"""README.zh-CN.md cannot rot either: its Python runs and prints what it says, its table is
what gategrad prints, its commands run, and what it says `make demo` and `make test` install
is what the Makefile does, in that order (fonts before anything is drawn)."""

import contextlib
import io
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.latin import assert_no_latin
from tests.readme_blocks import run_block

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.zh-CN.md"


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
    # the localize example prints what its comment says
    assert "对数门：输入必须 > 0；得到 a = -1.0（节点 'x'）" in printed
    table = _blocks("text")[0].rstrip("\n")
    assert table in printed  # the table in the README is what steps_table(f, lang="zh") prints
    assert "乘法门      梯度交叉相乘" in table and "反向传播以 df/df = 1 开始" in table
    assert_no_latin(table, "the README's table")


def _commands() -> list[list[str]]:
    """The command-line block's commands, without their comments."""
    block = next(b for b in _blocks("sh") if "gategrad --lang zh" in b)
    return [shlex.split(line.split("  #")[0]) for line in block.splitlines() if line.strip()]


@pytest.mark.slow
def test_its_commands_run_and_speak_chinese(tmp_path):
    commands = _commands()
    assert len(commands) >= 8 and all(c[:3] == ["gategrad", "--lang", "zh"] for c in commands)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for command in commands:
        done = subprocess.run([sys.executable, "-m", *command], cwd=tmp_path, env=env,
                              input="", capture_output=True, text=True, timeout=300)
        if any(arg.startswith("mnist:") for arg in command):
            # MNIST is read from the teacher's folder, never downloaded: without it, the
            # command says which folder it looked in and what it needs there
            assert done.returncode == 1 and "MNIST 四个 IDX 文件的文件夹" in done.stderr, \
                done.stderr
            continue
        assert done.returncode == 0, f"{shlex.join(command)}: {done.stderr}"
        assert done.stdout and done.stderr.count("Traceback") == 0, shlex.join(command)
    for written in ("steps.html", "sheet.html", "sheet-answers.html", "walk.gif", "digits.html"):
        assert (tmp_path / written).stat().st_size > 0, written


def _dry_run(target: str) -> list[str]:
    """What `make TARGET` would run, in order (make -n: nothing is run), in a fresh checkout's
    state: no .venv stamps, so every install step is listed."""
    done = subprocess.run(["make", "-n", "-B", "-C", str(ROOT), target], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def _first(lines: list[str], words: str) -> int:
    return next(k for k, line in enumerate(lines) if words in line)


@pytest.mark.parametrize("target, draws", [("demo", "demos.tour"), ("test", "pytest")])
def test_make_installs_what_the_readme_says_before_anything_is_drawn(target, draws):
    text = README.read_text(encoding="utf-8")
    said = text[text.index(f"`make {target}`"):]
    said = said[:said.index("。")]  # the sentence that says what it installs
    lines = _dry_run(target)
    for package in ("graphviz", "fonts-noto-cjk"):
        assert package in said, f"README.zh-CN.md no longer says make {target} installs {package}"
        assert _first(lines, f"install -y -qq {package}") < _first(lines, "pip install"), package
    assert _first(lines, "pip install") < _first(lines, draws)
