"""`gategrad --lang zh` end to end: every command's help, output and errors in Chinese, with no
English word left (tests/latin.py) besides the command line's own names (commands, metavars,
choices) and the notes' Latin terms. argparse's own sentences included."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

import pytest

from gategrad.cli import COMMANDS, parser
from nn import LOSSES
from tests.gategrad.test_cli import EXPR, REPO, VALUES, gategrad, no_dot_env
from tests.latin import assert_no_latin
from words import speaking
from words.commandline import speaking_argparse


def _command_line_names() -> set[str]:
    """What a command line types and argparse shows as it is: command names, metavars
    (EXPR, NAME=VALUE, FILE), dests shown as metavars, choices (LR, TB, svg, gif, notes1)."""
    import demos

    names = set(COMMANDS) | set(demos.DEMOS)
    with speaking("zh"), speaking_argparse():
        top = parser()
    parsers = [top] + [sub for a in top._actions if isinstance(a, argparse._SubParsersAction)
                       for sub in a.choices.values()]
    for p in parsers:
        for action in p._actions:
            for metavar in (action.metavar if isinstance(action.metavar, tuple)
                            else [action.metavar or action.dest.upper()]):
                names.update(str(metavar).replace("=", " ").replace("-", " ").split())
            names.update(str(c) for c in action.choices or ())
            if isinstance(action.default, str):  # a default shown in the help: out, frames
                names.add(action.default)
    return names


NAMES = _command_line_names()
# The worksheet's answers go beside it, named FILE-answers.html: a file name; the matrix
# lesson's line in the list of lessons says Y = XW, a product of matrices; gategrad lesson's
# --loss values (nn's loss table) and its --data mnist:FOLDER.
NAMES |= {"answers", "XW", "mnist"} | set(LOSSES)


def zh(*args: str, cwd=None, env=None):
    done = gategrad("--lang", "zh", *args, cwd=cwd, env={"COLUMNS": "100", **(env or {})})
    return done, done.stdout + done.stderr


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_the_help_of_every_command_is_chinese(command):
    done, text = zh(*([command] if command else []), "--help")
    assert done.returncode == 0, text
    assert text.startswith("用法：gategrad")
    assert "选项：" in text and "显示这条帮助信息并退出" in text  # argparse's own words
    assert "示例：" in text and "列出所有课" in text  # the examples' comment too
    assert_no_latin(text, f"gategrad {command or ''} --help", identifiers=NAMES)


@pytest.mark.parametrize("args, says", [
    (["steps"], "缺少以下必需的参数：EXPR"),
    (["stepz"], "无效的选择：'stepz'"),
    (["steps", "x*y", "--set", "x=3", "y=2", "--bogus"], "无法识别的参数：--bogus"),
    (["steps", "x*y", "--set"], "参数 --set：至少需要一个值"),
    (["steps", "x*y", "--digits"], "参数 --digits：需要一个值"),
    (["steps", "x*y", "--set", "x=3", "y=2", "--digits", "x"], "参数 --digits：'x' 不是整数"),
    (["draw", "x*y", "--set", "x=3", "y=2", "--rankdir", "QQ"],
     "参数 --rankdir：无效的选择：'QQ'"),
    (["worksheet", "--count", "two"], "参数 --count：'two' 不是整数"),
    (["steps", "x*y", "--set", "x=3"], None),  # y has no value
    (["steps", "x*y", "--set", "x=3", "y=2", "z=1"], None),  # z is not used
    (["steps", "log(x)", "--set", "x=-1"], "对数门：输入必须 > 0；得到 a = -1.0（节点 'x'）"),
    (["steps", "x.log()", "--set", "x=-1"], None),
    (["steps", "x ** 0.5", "--set", "x=-4"], "幂门（p = 0.5）"),
    (["steps", "x*y", "--set", "x=3", "y=2", "--digits", "99"], "--digits"),
    (["demo", "nope"], "nope"),
])
def test_usage_errors_and_refusals_are_chinese(args, says):
    done, text = zh(*args)
    assert done.returncode == 2, text
    assert done.stdout == ""
    assert "：错误：" in done.stderr, done.stderr  # "gategrad steps：错误：..."
    if says:
        assert says in done.stderr
    assert_no_latin(text, " ".join(args), identifiers=NAMES)


@pytest.mark.parametrize("args, says", [
    (["draw", "x*y", "--set", "x=1", "y=2", "--step", "9"],
     "step=9 超出范围：这个图的反向传播共有 1 步"),
    (["frames", "x*y", "--set", "x=1", "y=2", "--format", "gif", "--duration", "5"],
     "duration_ms 必须是每帧 20 到 60000 之间的毫秒数，实际为 5"),
    (["frames", "x*y", "--set", "x=1", "y=2", "--format", "gif", "-o", "a.mp3"],
     "无法从 'a.mp3' 看出格式"),
])
def test_settings_the_drawing_refuses_are_said_in_chinese(args, says, tmp_path):
    done, text = zh(*args, cwd=tmp_path)
    assert done.returncode == 1 and says in done.stderr, text
    assert_no_latin(text, " ".join(args), identifiers=NAMES)


def test_no_renderer_and_a_bad_file_name_are_said_in_chinese(tmp_path):
    done, text = zh("draw", EXPR, *VALUES, "-o", "g.png", cwd=tmp_path,
                    env=no_dot_env(tmp_path, pure=False))
    assert done.returncode == 3, text
    assert "找不到 Graphviz 渲染器" in done.stderr and "sudo apt-get install graphviz" in text
    assert_no_latin(text, "draw without dot", identifiers=NAMES)
    done, text = zh("draw", EXPR, *VALUES, "-o", "g.gif", cwd=tmp_path)
    assert done.returncode == 1 and "无法从 'g.gif' 看出格式" in done.stderr
    assert_no_latin(text, "draw -o g.gif", identifiers=NAMES)


def test_the_output_of_every_command_is_chinese(tmp_path):
    """steps (tables, chain rule, exact), draw, frames, stepper, worksheet, quiz, demo: what
    each prints in Chinese."""
    runs = [
        ["steps", EXPR, *VALUES, "--chain-rule"],
        ["steps", "x*y + x", "--set", "x=3", "y=2", "--exact"],
        ["steps", "tanh(x)**2 + exp(x)/log(y) - relu(max(x, y)) + y**x - (-x)",
         "--set", "x=1", "y=2"],
        ["draw", EXPR, *VALUES, "-o", "graph.svg"],
        ["frames", "x*y + x", "--set", "x=3", "y=2", "--format", "dot", "-d", "frames"],
        ["stepper", EXPR, *VALUES, "-o", "steps.html"],
        ["worksheet", "--level", "2", "--count", "1", "-o", "sheet.html"],
        ["demo"],
    ]
    for args in runs:
        done, text = zh(*args, cwd=tmp_path)
        assert done.returncode == 0, text
        assert_no_latin(text, " ".join(args), identifiers=NAMES)
    steps = zh(*runs[0], cwd=tmp_path)[1]
    assert "乘法门      梯度交叉相乘" in steps and " mul " not in steps
    captions = (tmp_path / "frames" / "captions.txt").read_text(encoding="utf-8")
    assert "乘法门" in captions
    assert_no_latin(captions, "frames/captions.txt", identifiers=NAMES)


def test_the_quiz_speaks_chinese_to_a_pipe():
    """Answers from a pipe: right, wrong, right; the feedback and the score in Chinese."""
    done = subprocess.run([sys.executable, "-m", "gategrad", "--lang", "zh", "quiz", "x*y + x",
                           "--set", "x=3", "y=2"], input="1\n3\n2\n", capture_output=True,
                          text=True, cwd=REPO, timeout=120,
                          env=dict(os.environ, PYTHONPATH=str(REPO)))
    assert done.stdout, done.stderr
    assert_no_latin(done.stdout + done.stderr, "gategrad quiz", identifiers=NAMES)
