"""demos/student/ is what demos/students.py builds (each engine = correct.py + one mistake), and
``gategrad demo check`` shows a report, a folder's grades and the flat form."""

from __future__ import annotations

import csv
import difflib
import re

import demos
from demos import students
from grading import MISCONCEPTIONS


def test_the_engines_are_what_the_table_builds():
    built = students.build()
    assert {p.stem for p in built} == {m.key for m in MISCONCEPTIONS} | {
        "no_topological_order", "stale_visited"}
    for path, text in built.items():
        assert path.read_text(encoding="utf-8") == text, "rebuild: python -m demos.students"


def _lines(fragments) -> list[str]:
    return [line.strip() for text in fragments for line in text.splitlines() if line.strip()]


def test_each_engine_differs_from_the_correct_one_only_where_its_mistake_is():
    """Every line added holds a line of the row's new text, every line removed one of its old
    text: nothing else of correct.py changed."""
    correct = (students.FOLDER / "correct.py").read_text(encoding="utf-8")
    body = re.sub(r'\A""".*?"""\n', "", correct, flags=re.S)
    for mistake in students.MISTAKES:
        text = (students.FOLDER / f"{mistake.key}.py").read_text(encoding="utf-8")
        theirs = re.sub(r'\A""".*?"""\n', "", text, flags=re.S)
        diff = [line for line in difflib.unified_diff(body.splitlines(), theirs.splitlines(),
                                                      n=0, lineterm="")
                if line[:1] in "+-" and line[:3] not in ("+++", "---")]
        news, olds = _lines(n for _, n in mistake.edits), _lines(o for o, _ in mistake.edits)
        added = [line[1:] for line in diff if line[0] == "+" and line[1:].strip()]
        removed = [line[1:] for line in diff if line[0] == "-" and line[1:].strip()]
        assert added and all(any(n in a for n in news) for a in added), mistake.key
        assert all(any(o in r for o in olds) for r in removed), mistake.key


def test_a_missing_edit_is_refused():
    broken = students.Mistake("nothing", (("this line is not in correct.py", "x"),))
    try:
        students.source(broken, "")
    except ValueError as error:
        assert "nothing: 'this line is not in correct.py' is not in correct.py" in str(error)
    else:
        raise AssertionError("no error")


def test_demo_check_shows_a_report_a_folder_and_the_flat_form(tmp_path, capsys):
    r = demos.run("check", out_dir=str(tmp_path), quick=True)
    out = capsys.readouterr().out
    assert r["report"].misconception.key == "replaced_not_added"
    assert "1. One student's engine, checked gate by gate: gategrad check" in out
    assert "misconception: Replaced the gradient instead of adding to it" in out
    assert [rep.misconception.key if rep.misconception else "" for rep in r["reports"]] == [
        "", "mul_own_value", "relu_at_zero", "replaced_not_added"]  # quick: four engines
    with r["csv"].open(encoding="utf-8") as f:
        assert len(list(csv.reader(f))) == 5
    assert "dx and dw are swapped" in out and r["flat"].misconception.key == "mul_own_value"


def test_demo_check_speaks_chinese(tmp_path, capsys):
    demos.run("check", out_dir=str(tmp_path), quick=True, lang="zh")
    out = capsys.readouterr().out
    assert "1. 逐个门检查一个学生的引擎：gategrad check" in out
    assert "常见误解：把梯度替换了，而不是累加" in out
    assert "dx 和 dw 弄反了" in out
