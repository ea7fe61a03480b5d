"""A class's files are not all well behaved: each runs in a child process of its own, and an
endless loop, an endless recursion, sys.exit, a crash, a memory hog or a network call is
reported for that student while the others are graded. The checker's own limits (import 5 s,
a part 2 s, a whole file 8 s) keep every report under 10 s; the tests assert the reports, and
never time anything themselves."""

from __future__ import annotations

from pathlib import Path

import pytest

from grading import check_student
from grading.checker import Limits, check_folder
from grading.checker.battery import PARTS
from grading.checker.builder import Builder, NotAttempted, refused
from grading.checker.report import FAILED, PASSED

CORRECT = (Path(__file__).resolve().parents[2] / "demos" / "student" / "correct.py").read_text()

# Each student: code inserted into the correct engine (a backward that misbehaves), or a whole
# file of its own (``None`` key: no engine at all).
BACKWARD = "    def backward(self):\n"
BROKEN_BACKWARD = {
    "loops_in_backward": "        while True:\n            pass\n",
    "recurses_forever": "        self.backward()\n",
    "exits_in_backward": "        import sys\n        sys.exit(4)\n",
    "dies_in_backward": "        import os\n        os._exit(9)\n",
    "eats_memory": "        self.hoard = [0.0] * (10 ** 10)\n",
}
FILES = {
    "loops_at_import": "while True:\n    pass\n",
    "exits_at_import": "import sys\nsys.exit(3)\n",
    "raises_at_import": "x = 1\ny = x / 0\n",
    "syntax_error": "class Value:\n    def __init__(self, data)\n        pass\n",
    "no_value_class": "class Scalar:\n    pass\n",
    "value_is_not_a_class": "Value = 3\n",
    "no_backward": "class Value:\n    def __init__(self, data):\n        self.data = data\n",
    "calls_the_network": "import socket\nsocket.create_connection(('example.org', 80))\n",
}


# the first line of code put into backward, in the student's file
LINE = CORRECT[:CORRECT.index(BACKWARD)].count("\n") + 2


def _with_backward(code: str) -> str:
    assert CORRECT.count(BACKWARD) == 1
    return CORRECT.replace(BACKWARD, BACKWARD + code)


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("class")
    files = {name: _with_backward(code) for name, code in BROKEN_BACKWARD.items()}
    files.update(FILES)
    files["prints_a_lot"] = ("print('hello ' * 1000)\n" +
                             _with_backward("        print('backward!' * 1000)\n"))
    files["writes_a_file"] = ("open('scribble.txt', 'w').write('x')\n" + CORRECT)
    files["good"] = CORRECT
    for name, text in files.items():
        (folder / f"{name}.py").write_text(text)
    reports = check_folder(folder)
    return {"folder": folder, **{Path(r.target).stem: r for r in reports}}


def test_the_limits_keep_every_report_under_ten_seconds():
    limits = Limits()
    assert limits.import_time < 10 and limits.file_time < 10
    assert limits.part_time <= limits.file_time


def test_the_well_behaved_files_are_graded_while_the_others_misbehave(graded):
    for name in ("good", "prints_a_lot", "writes_a_file"):
        assert (graded[name].passed, graded[name].attempted) == (len(PARTS), len(PARTS)), name


LOAD_ERRORS = {
    "loops_at_import": "the import did not finish within 5 s (an endless loop at the top of "
                       "the file?)",
    "exits_at_import": "the file calls sys.exit(3) at import (exits_at_import.py:2 in <module>)",
    "raises_at_import": "ZeroDivisionError at import (raises_at_import.py:2 in <module>): "
                        "division by zero",
    "syntax_error": "a syntax error (syntax_error.py:2): expected ':'",
    "no_value_class": "the file defines no class Value",
    "value_is_not_a_class": "Value in the file is not a class",
    "no_backward": "the class Value has no backward() method",
    "calls_the_network": "PermissionError at import (calls_the_network.py:2 in <module>): "
                         "gategrad check: the network is switched off while grading",
}


@pytest.mark.parametrize("name", sorted(LOAD_ERRORS))
def test_a_file_that_cannot_be_loaded_exits_2_and_says_why(graded, name):
    r = graded[name]
    assert r.exit_status == 2 and r.parts == ()
    assert r.load_error.render("en") == LOAD_ERRORS[name]
    assert f"cannot be graded: {LOAD_ERRORS[name]}" in r.text("en")


def test_an_endless_loop_in_backward_costs_its_parts_not_the_class(graded):
    r = graded["loops_in_backward"]
    reasons = {p.reason.render("en") for p in r.parts}
    assert r.passed == 0 and r.exit_status == 1
    # each part gets 2 s until the file's 8 s are spent; the rest are not run
    assert reasons <= {"did not finish within 2 s",
                       "did not finish: the file's time limit of 8 s ran out",
                       "not run: the file's time limit of 8 s was used up"}
    assert r.parts[0].reason.render("en") == "did not finish within 2 s"
    assert r.parts[-1].reason.render("en") == "not run: the file's time limit of 8 s was used up"


def test_an_endless_recursion_is_a_recursion_error_in_every_part(graded):
    r = graded["recurses_forever"]
    recursion = (f"RecursionError (recurses_forever.py:{LINE} in backward): endless recursion? "
                 "(the limit here is deeper than a correct engine needs)")
    reasons = [p.reason.render("en") for p in r.parts]
    assert r.passed == 0 and reasons[0] == recursion
    # 25 recursions 30,000 deep may outlast the file's 8 s on a busy machine: then its limit
    # speaks for the parts after
    assert set(reasons) <= {recursion, "did not finish: the file's time limit of 8 s ran out",
                            "not run: the file's time limit of 8 s was used up"}


def test_sys_exit_in_backward_fails_the_part_and_grading_carries_on(graded):
    r = graded["exits_in_backward"]
    assert {p.reason.render("en") for p in r.parts} == {
        f"the code called sys.exit(4) (exits_in_backward.py:{LINE + 1} in backward)"}
    assert len(r.parts) == len(PARTS)


def test_a_process_that_dies_is_restarted_for_the_next_part(graded):
    r = graded["dies_in_backward"]
    assert len(r.parts) == len(PARTS) and r.passed == 0
    assert all(p.reason.render("en").startswith("the process ended (exit status 9)")
               for p in r.parts[:3])


def test_the_memory_limit_stops_a_hog(graded):
    r = graded["eats_memory"]
    assert r.passed == 0
    assert r.parts[0].reason.render("en") == (
        f"MemoryError (eats_memory.py:{LINE} in backward): more than the 1024 MB a file may "
        "take")


def test_prints_do_not_mix_with_the_answers_and_files_stay_in_their_own_folder(graded):
    folder = graded["folder"]
    assert not (folder / "scribble.txt").exists() and not Path("scribble.txt").exists()
    assert not (folder / "__pycache__").exists()  # no bytecode written beside the homework


class _Student:
    """A class with an operator that exists but is broken, and one it refuses outright."""

    def __init__(self, data):
        self.data, self.grad = data, 0.0

    def __mul__(self, other):
        return _Student(self.data * other.dat)  # a typo: a bug, not a missing operation

    def __add__(self, other):
        raise NotImplementedError("add comes next week")

    def __pow__(self, other):
        assert isinstance(other, (int, float)), "only supporting int/float powers for now"
        return _Student(self.data ** other)

    def __sub__(self, other):
        return _Student(self.data - other.data)  # reads .data of a number: no numbers here


def _try(gate: str, *operands):
    b = Builder(_Student)
    b.graph()
    nodes = [b.leaf(o) if isinstance(o, float) else o for o in operands]
    return b.apply(gate, *nodes)


def test_a_missing_operation_is_not_attempted_and_a_broken_one_is_an_error():
    with pytest.raises(NotAttempted, match=r"Value\.tanh\(\)"):
        _try("tanh", 1.0)  # no such method
    with pytest.raises(NotAttempted, match="Value / Value"):
        _try("div", 1.0, 2.0)  # no __truediv__
    with pytest.raises(NotAttempted, match=r"Value \+ Value"):
        _try("add", 1.0, 2.0)  # NotImplementedError
    with pytest.raises(NotAttempted, match=r"Value \*\* Value"):
        _try("pow_value", 1.0, 2.0)  # micrograd's assertion on the exponent
    b = Builder(_Student)
    b.graph()
    with pytest.raises(NotAttempted, match="Value - 2"):
        b.apply("sub", b.leaf(1.0), 2.0)  # the class never wraps numbers
    with pytest.raises(AttributeError, match="dat"):
        _try("mul", 1.0, 2.0)  # .dat on a Value: the student's bug, reported as an error


def test_refused_reads_the_traceback_not_the_message():
    try:
        _Student(1.0) * _Student(2.0)
    except AttributeError as error:
        assert not refused(error, [_Student(1.0), _Student(2.0)])


def test_a_child_that_cannot_answer_in_time_for_its_part(tmp_path):
    """Smaller limits work the same way (a teacher's --part-time)."""
    slow = tmp_path / "slow.py"
    slow.write_text(_with_backward("        import time\n        time.sleep(0.6)\n"))
    r = check_student(slow, limits=Limits(part_time=0.3, file_time=1.0))
    assert r.parts[0].reason.render("en") == "did not finish within 0.3 s"
    assert {p.status for p in r.parts} == {FAILED}
    assert r.parts[-1].reason.render("en") == "not run: the file's time limit of 1 s was used up"


def test_limits_and_targets_are_checked_with_clear_errors(tmp_path):
    with pytest.raises(ValueError, match="part_time must be a number > 0, got -1"):
        Limits(part_time=-1)
    with pytest.raises(FileNotFoundError, match="no such file: .*nothing.py"):
        check_student(tmp_path / "nothing.py")
    with pytest.raises(TypeError, match="check_student takes a file path, a module or a class"):
        check_student(42)
    with pytest.raises(ValueError, match="jobs must be a whole number >= 1, got 0"):
        check_folder([], jobs=0)


def test_a_class_named_otherwise_is_found_by_its_name(tmp_path):
    path = tmp_path / "scalar.py"
    path.write_text(CORRECT.replace("class Value", "class Scalar").replace("Value(", "Scalar(")
                    .replace("isinstance(other, Value)", "isinstance(other, Scalar)"))
    r = check_student(path, class_name="Scalar")
    assert (r.passed, r.attempted, r.exit_status) == (len(PARTS), len(PARTS), 0)
    assert "(class Scalar)" in r.text("en")
    assert {p.status for p in r.parts} == {PASSED}


class _NoGrad:
    """grad stays None until backward sets it, and backward never does; + answers a float."""

    def __init__(self, data):
        self.data, self.grad = data, None

    def __mul__(self, other):
        return _NoGrad(self.data * other.data)

    def __add__(self, other):
        return self.data + other.data

    def backward(self):
        pass


def test_answers_the_battery_cannot_read_are_said_in_words():
    from grading.checker.battery import BY_KEY
    from grading.checker.child import run_part
    from grading.checker.compare import grade

    mul = grade(BY_KEY["gate:mul"], run_part(_NoGrad, "gate:mul"))
    assert mul.status == FAILED
    assert mul.reason.render("en") == "a node's grad is None, not a number"
    add = grade(BY_KEY["gate:add"], run_part(_NoGrad, "gate:add"))
    assert add.reason.render("en") == "Value + Value returned -0.5, not a _NoGrad"
    assert add.reason.render("zh") == "Value + Value 返回了 -0.5，不是 _NoGrad"
