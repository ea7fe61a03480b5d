"""grading.check_student on demos/student/: each engine's mistake named at the gate where it
first shows, micrograd 0.1.0 graded on what it implements, the folder's CSV, the Chinese report.

Expected numbers are worked by hand from the battery's leaf values (grading/checker/battery.py:
a gate alone at a = 0.8, b = -1.3, then -0.6, 0.5 and 0.0, 1.7; the fork x*x + x at x = 2.5).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import micrograd.engine
import pytest

from engine import GATES
from grading import MISCONCEPTIONS, check_student
from grading.checker import check_folder, write_csv
from grading.checker.battery import PARTS
from grading.checker.report import FAILED, NOT_ATTEMPTED, PASSED

FOLDER = Path(__file__).resolve().parents[2] / "demos" / "student"
ALL = len(PARTS)
# The demo engines implement the 13 gates the table had when they were written: 25 parts. A row
# added to the table since is one more part each of them does not attempt (never a failure), so
# the hand-counted numbers below hold as typed when a contributor adds a gate.
ATTEMPTED, NEW_ROWS = 25, len(GATES) - 13


@pytest.fixture(scope="module")
def reports():
    """The whole folder, graded once (two files at a time on this machine)."""
    return {Path(r.target).name: r for r in check_folder(FOLDER)}


def test_the_folder_holds_one_engine_per_misconception_and_the_extras(reports):
    rows = {m.key for m in MISCONCEPTIONS}
    assert set(reports) == {f"{k}.py" for k in rows} | {
        "correct.py", "no_topological_order.py", "stale_visited.py"}


def test_the_correct_engine_passes_every_part(reports):
    r = reports["correct.py"]
    assert [p.key for p in r.parts if p.status != PASSED] == []
    assert (r.passed, r.attempted, r.exit_status) == (ATTEMPTED, ALL - NEW_ROWS, 0)
    assert f"score: 25 of 25 attempted parts passed ({NEW_ROWS} not attempted)" in r.text("en")


# key: (part, gate, its output, the input, what the student's engine gave, the right number)
FIRST = {
    # (a*b)*k at a = 0.8, b = -1.3, k = -1.5: b receives upstream k times local a = -1.2; the
    # student's mul drops k and gives a = 0.8
    "forgot_upstream": ("gate:mul", "mul", "s0", "b", 0.8, -1.2),
    # f = a*b: b should receive a = 0.8; passing upstream unchanged gives 1
    "mul_upstream_unchanged": ("gate:mul", "mul", "f", "b", 1.0, 0.8),
    # f = a*b: b should receive a = 0.8; its own value is -1.3
    "mul_own_value": ("gate:mul", "mul", "f", "b", -1.3, 0.8),
    # f = a - b: b should receive -1; without the sign +1
    "lost_sign": ("gate:sub", "sub", "f", "b", 1.0, -1.0),
    # x*x + x at x = 2.5: x should hold 1 + 2.5 + 2.5 = 6; with = it keeps the last write, 2.5
    "replaced_not_added": ("fork", "mul", "s0", "x", 2.5, 6.0),
    # a dict {self: .., other: ..} has one key for x*x: x gets 1 + 2.5 = 3.5 instead of 6
    "kept_old_total": ("fork", "mul", "s0", "x", 3.5, 6.0),
    # sigmoid(0.8): s = 1 / (1 + e^-0.8) = 0.689974, s(1 - s) = 0.213910; from the input
    # 0.8 * 0.2 = 0.16
    "sigmoid_from_input": ("gate:sigmoid", "sigmoid", "f", "a", 0.16, 0.213910),
    # tanh(0.8) = 0.664037, 1 - 0.440945 = 0.559055; from the input 1 - 0.64 = 0.36
    "tanh_from_input": ("gate:tanh", "tanh", "f", "a", 0.36, 0.559055),
    # relu at exactly 0 (the third case): 0 is right, >= 0 passes 1
    "relu_at_zero": ("gate:relu", "relu", "f", "a", 1.0, 0.0),
    # relu at -0.6 (the second case): 0 is right; always passing gives 1
    "relu_negative": ("gate:relu", "relu", "f", "a", 1.0, 0.0),
    # max(0.8, -1.3): the smaller b should receive 0; routed to it, 1
    "max_to_smaller": ("gate:max", "max", "f", "b", 1.0, 0.0),
}


@pytest.mark.parametrize("key", [m.key for m in MISCONCEPTIONS])
def test_each_misconception_is_named_at_the_gate_where_it_first_shows(reports, key):
    part, gate, at, node, theirs, right = FIRST[key]
    r = reports[f"{key}.py"]
    first = r.failures[0]
    f = first.finding
    assert (first.key, f.gate, f.at, f.node) == (part, gate, at, node)
    assert f.theirs == pytest.approx(theirs, rel=1e-5)
    assert f.right == pytest.approx(right, rel=1e-5, abs=1e-12)
    assert f.misconception.key == key
    assert r.misconception.key == key and r.exit_status == 1
    # every failed part is explained by a misconception, and it is this one
    named = {p.finding.misconception.key for p in r.failures}
    assert named == {key}


# (passed, attempted), counted by hand from which parts use the broken line: e.g. lost_sign's
# sub is in the sub gate, the chain, v*u - v (twice: reuse and backward again), 3 - 2*x, the
# neuron's out - y and the loop's pred - y (notes3 subtracts numbers, whose gradients are never
# compared): 7 of 25 fail.
COUNTS = {
    "correct.py": 25, "forgot_upstream.py": 13, "mul_upstream_unchanged.py": 0,
    "mul_own_value.py": 0, "lost_sign.py": 18, "replaced_not_added.py": 18,
    "kept_old_total.py": 24, "sigmoid_from_input.py": 22, "tanh_from_input.py": 23,
    "relu_at_zero.py": 24, "relu_negative.py": 24, "max_to_smaller.py": 24,
    "no_topological_order.py": 21, "stale_visited.py": 24,
}


# The engines whose mistake is the algorithm, named by the wrong backward pass they run
# (grading.broken) rather than by one gate's rule.
WHOLE_PASS = {"no_topological_order": ["recursive_without_order",
                                       "a recursive pass without a topological order"]}


def test_the_csv_has_one_right_row_per_file(reports, tmp_path):
    path = write_csv(list(reports.values()), tmp_path / "scores.csv", lang="en")
    with path.open(encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["file", "passed", "attempted", "not attempted", "misconception", "title",
                       "first failure"]
    by_file = {row[0]: row for row in rows[1:]}
    assert len(rows) - 1 == len(by_file) == len(COUNTS)
    titles = {m.key: m.title for m in MISCONCEPTIONS}
    for name, passed in COUNTS.items():
        row = by_file[name]
        assert row[1:4] == [str(passed), "25", str(NEW_ROWS)], name
        key = name.removesuffix(".py")
        expected = [key, titles[key]] if key in titles else WHOLE_PASS.get(key, ["", ""])
        assert row[4:6] == expected, name
    assert by_file["correct.py"][6] == ""
    assert by_file["relu_at_zero.py"][6] == "the relu gate: failed at the relu gate f"
    assert by_file["no_topological_order.py"][6].endswith("failed at the add gate s1")


def test_no_topological_order_runs_out_of_time_on_the_doubling_graph_and_says_why(reports):
    r = reports["no_topological_order.py"]
    assert {p.key for p in r.failures} == {"reuse", "doubling", "twice", "notes3"}
    doubling = next(p for p in r.parts if p.key == "doubling")
    assert doubling.finding is None
    assert doubling.reason.render("en") == "did not finish within 2 s"
    text = r.text("en")
    assert "This graph has 80 gates but 2^40 paths from the root to x." in text
    # v*u - v at a = 1.5, b = -2: u = -3, v = -1.5; u should hold v + (u - 1) = -5.5. Without an
    # order v pushes -4 to u twice (once per path): -1.5 - 4 - 4 = -9.5
    assert ("at the add gate s1, s0 ends with -9.50; it should hold -5.50: -1.50 from its other "
            "uses, plus this gate's part:") in text
    # every gradient of that graph is what the recursive pass of grading.broken computes
    assert ("  every gradient is what a recursive pass without a topological order gives:\n"
            "      - node._backward(); for child in node._prev: child.backward()   # recurse at "
            "once\n"
            "      + for node in reversed(topological_order(root)): ...   # every user first\n"
            ) in text
    assert r.misconception.key == "recursive_without_order"
    zh = r.text("zh")
    assert "每个梯度都正是不按拓扑顺序的递归反向传播给出的结果：" in zh
    assert "# 立刻递归到子节点" in zh


def test_a_visited_set_kept_between_calls_fails_only_the_second_backward(reports):
    r = reports["stale_visited.py"]
    assert [p.key for p in r.failures] == ["twice"]
    text = r.text("en")
    # the second pass does nothing but set f.grad = 1: s2 (= v*u) receives 0 instead of 1
    assert "at the sub gate f, s2 received 0.00; it should receive 1.00:" in text
    assert "The first backward was right. After every .grad was set to 0" in text


def test_the_report_reads_like_the_rest_of_the_tool(reports):
    text = reports["mul_own_value.py"].text("en")
    assert "gategrad check: " in text and "mul_own_value.py (class Value)" in text
    assert ("the mul gate:\n"
            "  f = a * b = 0.80 * (-1.30) = -1.04\n"
            "  at the mul gate f, b received -1.30; it should receive 0.80:\n"
            "    df/db += df/df · ∂f/∂b = 1.00 × 0.80 = 0.80\n"
            "  misconception: Used the input's own value at a mul gate\n") in text
    assert "the add gate: the same mistake at the mul gate f (Used the input's own value" in text
    assert f"score: 0 of 25 attempted parts passed ({NEW_ROWS} not attempted)" in text


def test_digits_grow_until_the_two_numbers_read_differently():
    from grading.checker.compare import digits_apart

    assert digits_apart(0.5, 0.25) == 2
    assert digits_apart(0.1231, 0.1234) == 4
    assert digits_apart(1.0, 1.0 + 1e-9) == 9


MICROGRAD_LACKS = {  # part: the operation micrograd 0.1.0's Value does not have
    "gate:pow_value": "Value ** Value", "gate:exp": "Value.exp()", "gate:log": "Value.log()",
    "gate:tanh": "Value.tanh()", "gate:sigmoid": "Value.sigmoid()",
    "gate:max": "Value.max(Value)", "cs231n": "Value.sigmoid()", "notes1": "Value.sigmoid()",
    "notes3": "Value.tanh()",
}


@pytest.mark.parametrize("target", [micrograd.engine.Value, micrograd.engine],
                         ids=["class", "module"])
def test_micrograd_passes_what_it_implements_and_attempts_nothing_else(target):
    r = check_student(target)
    lacking = {p.key: p.reason.render("en") for p in r.parts if p.status == NOT_ATTEMPTED}
    assert lacking == {k: f"needs {v}" for k, v in MICROGRAD_LACKS.items()}
    # its recursive topological sort passes the 5,000-gate chain in the child's big stack
    assert {p.key for p in r.parts if p.status == PASSED} >= {"deep", "doubling", "twice",
                                                              "fork", "notes2"}
    assert (r.passed, r.attempted, r.exit_status) == (16, 16, 0)
    assert r.target == "micrograd.engine.Value" and r.class_name == "Value"


def test_micrograd_by_its_file_path_too():
    r = check_student(micrograd.engine.__file__)
    assert (r.passed, r.attempted, r.exit_status) == (16, 16, 0)


# Chinese: a report has no English sentence (two English words in a row), once the names that
# stay as they are (the command, file names, code, identifiers) are taken out.
KEPT = re.compile(r"gategrad check( --flat)?|\S+\.py|Value[.\w()* ]*|\w+\(\)|--\w+|"
                  r"\b(sigmoid|tanh|relu|ReLU|backward|forward|grad|mul|add|sub|div|neg|max|"
                  r"pow|pow_value|exp|log|ddot|dot|dx|dw|sys\.exit)\b")
ENGLISH = re.compile(r"[A-Za-z]{2,}[ ,]+[A-Za-z]{2,}")


# A line of code shown as it is ("      - child.grad = ...   # 注释"): only its comment is said.
CODE_LINE = re.compile(r"^ +[-+] [^#]*(#.*)?$")


def _english(text: str) -> list[str]:
    said = [(line, m.group(1) or "" if (m := CODE_LINE.match(line)) else line)
            for line in text.splitlines()]
    return [line for line, words in said if ENGLISH.search(KEPT.sub("·", words))]


def test_the_chinese_report_and_csv_have_no_english_sentence(reports, tmp_path):
    for name, r in reports.items():
        text = r.text("zh")
        assert not _english(text), (name, _english(text))
    lost_sign = reports["lost_sign.py"].text("zh")
    assert f"得分：尝试的 25 部分中通过 18 部分（{NEW_ROWS} 部分未尝试）" in lost_sign
    assert ("在 乘法门 f 处，b 得到 -1.30；应该得到 0.80："
            in reports["mul_own_value.py"].text("zh"))
    path = write_csv(list(reports.values()), tmp_path / "zh.csv", lang="zh")
    content = path.read_text(encoding="utf-8")
    assert content.splitlines()[0] == "文件,通过,尝试,未尝试,常见误解,名称,第一个错误"
    assert (f"relu_at_zero.py,24,25,{NEW_ROWS},relu_at_zero,"
            "让 ReLU 在输入恰好为 0 时也传递了梯度,") in content
    assert not _english(content), _english(content)


def test_the_english_check_finds_english_in_an_untranslated_line():
    """The detector above must be able to fail."""
    assert _english("the relu gate: failed at the relu gate f")
    assert not _english("relu 门：在 relu 门 f 处出错")


def test_statuses_are_the_three_the_issue_names(reports):
    assert {p.status for r in reports.values() for p in r.parts} == {PASSED, FAILED}
    assert {p.status for p in check_student(micrograd.engine.Value).parts} == {
        PASSED, NOT_ATTEMPTED}
