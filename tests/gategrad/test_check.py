"""``gategrad check`` as a teacher runs it: a subprocess, exit statuses, a folder with its CSV and
reports, Chinese, and the reports the READMEs show, printed again now."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from pathlib import Path

from engine import GATES

ROOT = Path(__file__).resolve().parents[2]
STUDENTS = ROOT / "demos" / "student"


def check(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gategrad", *args], cwd=cwd, text=True,
                          capture_output=True, timeout=300)


def test_exit_status_0_passed_1_failed_2_unloadable_or_missing(tmp_path):
    done = check("check", "demos/student/correct.py")
    assert done.returncode == 0, done.stderr
    new_rows = len(GATES) - 13  # parts the demo engines do not attempt: rows added since
    assert f"score: 25 of 25 attempted parts passed ({new_rows} not attempted)" in done.stdout
    assert check("check", "demos/student/relu_at_zero.py").returncode == 1
    broken = tmp_path / "broken.py"
    broken.write_text("class Value:\n    def backward(self)\n        pass\n")
    done = check("check", str(broken))
    assert done.returncode == 2
    assert "cannot be graded: a syntax error (broken.py:2): expected ':'" in done.stdout
    done = check("check", "no_such_file.py")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == "gategrad check: error: no such file or folder: no_such_file.py\n"


def test_a_folder_in_chinese_with_its_csv_and_reports(tmp_path):
    folder = tmp_path / "submissions"
    folder.mkdir()
    for name in ("correct.py", "lost_sign.py", "max_to_smaller.py"):
        shutil.copy(STUDENTS / name, folder / name)
    (folder / "exits.py").write_text("import sys\nsys.exit(1)\n")
    done = check("check", str(folder), "--csv", str(tmp_path / "scores.csv"), "--reports",
                 str(tmp_path / "feedback"), "--lang", "zh")
    assert done.returncode == 2  # the worst of the files: one cannot be loaded
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["文件", "通过", "常见误解", "第一个错误"]
    assert lines[1].split()[:2] == ["correct.py", "25/25"]
    assert lines[2].split()[:2] == ["exits.py", "—"]
    assert lines[3].split()[:3] == ["lost_sign.py", "18/25", "lost_sign"]
    assert lines[4].split()[:3] == ["max_to_smaller.py", "24/25", "max_to_smaller"]
    with (tmp_path / "scores.csv").open(encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["文件", "通过", "尝试", "未尝试", "常见误解", "名称", "第一个错误"]
    assert rows[2] == ["exits.py", "0", "0", "0", "", "",
                       "文件在导入时调用了 sys.exit(1)（exits.py:2，<module> 中）"]
    new_rows = len(GATES) - 13  # parts the demo engines do not attempt: rows added since
    assert rows[3][:6] == ["lost_sign.py", "18", "25", str(new_rows), "lost_sign", "丢了负号"]
    feedback = sorted(p.name for p in (tmp_path / "feedback").iterdir())
    assert feedback == ["correct.txt", "exits.txt", "lost_sign.txt", "max_to_smaller.txt"]
    assert "最大值门：梯度传给最大值" in (tmp_path / "feedback" / "max_to_smaller.txt").read_text()
    assert f"已把 4 份报告写到 {tmp_path / 'feedback'}" in done.stdout


def test_the_flat_form_from_the_command_line():
    done = check("check", "--flat", "demos/student/flat/swapped.py")
    assert done.returncode == 1
    assert "dx and dw are swapped" in done.stdout
    assert check("check", "--flat", "demos/student/flat/correct.py").returncode == 0


def test_the_help_lists_the_options_in_both_languages():
    done = check("check", "--help")
    assert done.returncode == 0
    for option in ("--flat", "--csv", "--reports", "--jobs", "--part-time", "--file-time",
                   "--memory", "--class"):
        assert option in done.stdout
    assert "seconds one part may take (default 2)" in done.stdout
    zh = check("--lang", "zh", "check", "--help")
    assert "每一部分最多可用的秒数（默认 2）" in zh.stdout
    assert "逐个门检查学生自己写的引擎并评分" in check("--lang", "zh", "--help").stdout


def _block_after(readme: Path, marker: str) -> str:
    text = readme.read_text(encoding="utf-8")
    start = text.index(marker)
    return re.search(r"```text\n(.*?)```", text[start:], flags=re.S).group(1)


def test_the_readme_report_is_what_the_command_prints():
    block = _block_after(ROOT / "README.md", "## Checking a student's engine")
    done = check("check", "demos/student/replaced_not_added.py")
    assert done.stdout == block
    assert "misconception: Replaced the gradient instead of adding to it" in block


def test_the_chinese_readme_report_is_what_the_command_prints():
    block = _block_after(ROOT / "README.zh-CN.md", "## 检查学生自己写的引擎")
    done = check("--lang", "zh", "check", "demos/student/relu_at_zero.py")
    shown = [line for line in done.stdout.splitlines() if not line.endswith(" 通过")]
    assert block.splitlines() == shown  # the README leaves out the parts that passed
    assert "常见误解：让 ReLU 在输入恰好为 0 时也传递了梯度" in block
