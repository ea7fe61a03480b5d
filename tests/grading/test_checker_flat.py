"""The flat-code form of the notes (``gategrad check --flat``): forward(w, x) and backward(w, x)
for f = sigmoid(w0*x0 + w1*x1 + w2), checked against the engine and central differences.

The notes' point: w = [2, -3, -3], x = [-1, -2]: dot = -2 + 6 - 3 = 1, f = sigmoid(1) = 0.731059,
ddot = f(1 - f) = 0.196612, dx = [w0, w1]·ddot = [0.393224, -0.589836],
dw = [x0, x1, 1]·ddot = [-0.196612, -0.393224, 0.196612].
"""

from __future__ import annotations

from pathlib import Path

import pytest

from grading import check_student
from grading.checker.report import FAILED, NOT_ATTEMPTED, PASSED

FLAT = Path(__file__).resolve().parents[2] / "demos" / "student" / "flat"
FORWARD = '''import math


def forward(w, x):
    dot = w[0] * x[0] + w[1] * x[1] + w[2]
    return {"dot": dot, "f": 1.0 / (1 + math.exp(-dot))}


'''


def _flat(tmp_path, backward: str, forward: str = FORWARD):
    path = tmp_path / "flat.py"
    path.write_text(forward + backward)
    return check_student(path, flat=True)


def _statuses(report) -> dict[str, str]:
    return {p.key.split(":")[1]: p.status for p in report.parts}


def test_the_notes_code_passes_every_part():
    r = check_student(FLAT / "correct.py", flat=True)
    assert _statuses(r) == dict.fromkeys(["forward", "ddot", "dx", "dw", "numeric"], PASSED)
    assert (r.passed, r.attempted, r.exit_status) == (5, 5, 0)


def test_dx_and_dw_swapped_are_named_as_such_at_the_mul_gate():
    r = check_student(FLAT / "swapped.py", flat=True)
    assert _statuses(r) == {"forward": PASSED, "ddot": PASSED, "dx": FAILED, "dw": FAILED,
                            "numeric": FAILED}
    dx = next(p for p in r.parts if p.key == "flat:dx").finding
    # reversed topological order meets x1 first: it should receive w1·ddot = -3 × 0.196612,
    # the student wrote x1·ddot = -2 × 0.196612
    assert (dx.gate, dx.at, dx.node) == ("mul", "s1", "x1")
    assert dx.theirs == pytest.approx(-0.393224, abs=1e-6)
    assert dx.right == pytest.approx(-0.589836, abs=1e-6)
    assert dx.misconception.key == "mul_own_value"
    text = r.text("en")
    assert "dx and dw are swapped: dx holds x·ddot and dw holds w·ddot; the mul gate swaps" in text
    assert "at the mul gate s1, x1 received -0.39; it should receive -0.59:" in text
    assert ("at w = [2.0, -3.0, -3.0], x = [-1.0, -2.0]: dw[0] = 0.393224, but central "
            "differences of forward give -0.196612") in text
    assert r.misconception.key == "mul_own_value" and r.exit_status == 1


def test_dx_and_dw_returned_in_each_others_place_are_named_too(tmp_path):
    r = _flat(tmp_path, '''def backward(w, x):
    f = forward(w, x)["f"]
    ddot = (1 - f) * f
    return [x[0] * ddot, x[1] * ddot, ddot], [w[0] * ddot, w[1] * ddot]
''')
    dx = next(p for p in r.parts if p.key == "flat:dx")
    assert dx.status == FAILED and dx.finding.kind == "shape"
    assert ("dx and dw are swapped: dx holds 3 numbers and dw 2; the neuron has 2 inputs (dx) "
            "and 3 weights (dw)") in r.text("en")
    assert _statuses(r)["ddot"] == NOT_ATTEMPTED  # a pair (dx, dw) carries no ddot


def test_sigmoid_from_its_input_is_found_at_the_sigmoid_gate_and_dx_dw_follow_from_it():
    r = check_student(FLAT / "sigmoid_from_input.py", flat=True)
    ddot = next(p for p in r.parts if p.key == "flat:ddot").finding
    # at dot = 1: dot(1 - dot) = 0 where f(1 - f) = 0.196612
    assert (ddot.gate, ddot.at, ddot.node, ddot.theirs) == ("sigmoid", "f", "dot", 0.0)
    assert ddot.misconception.key == "sigmoid_from_input"
    text = r.text("en")
    assert ("dx is right for the ddot backward returns (0.000000): the mistake is in ddot"
            in text)
    assert "dw is right for the ddot backward returns (0.000000): the mistake is in ddot" in text


def test_a_wrong_forward_is_found_at_its_gate(tmp_path):
    r = _flat(tmp_path, '''def backward(w, x):
    f = forward(w, x)["f"]
    ddot = (1 - f) * f
    return {"ddot": ddot, "dx": [w[0] * ddot, w[1] * ddot],
            "dw": [x[0] * ddot, x[1] * ddot, ddot]}
''', forward='''import math


def forward(w, x):
    dot = w[0] * x[0] + w[1] * x[1]  # forgot the bias w2
    return {"dot": dot, "f": 1.0 / (1 + math.exp(-dot))}


''')
    f = next(p for p in r.parts if p.key == "flat:forward").finding
    # dot = -2 + 6 = 4 without w2 = -3; gategrad: 1
    assert (f.kind, f.gate, f.at, f.theirs, f.right) == ("forward", "add", "dot", 4.0, 1.0)
    assert "dot = s2 + w2 = 4.00 + (-3.00) = 1.00" in r.text("en")


def test_only_f_from_forward_and_no_ddot_is_fine(tmp_path):
    r = _flat(tmp_path, '''def backward(w, x):
    f = forward(w, x)
    ddot = (1 - f) * f
    return {"dx": [w[0] * ddot, w[1] * ddot], "dw": [x[0] * ddot, x[1] * ddot, ddot]}
''', forward='''import math


def forward(w, x):
    return 1.0 / (1 + math.exp(-(w[0] * x[0] + w[1] * x[1] + w[2])))


''')
    assert _statuses(r) == {"forward": PASSED, "ddot": NOT_ATTEMPTED, "dx": PASSED,
                            "dw": PASSED, "numeric": PASSED}
    assert r.exit_status == 0


def test_a_file_without_the_two_functions_cannot_be_loaded(tmp_path):
    r = _flat(tmp_path, "", forward="def forward(w, x):\n    return 0.5\n")
    assert r.exit_status == 2
    assert r.load_error.render("en") == ("the file defines no function backward: the flat form "
                                         "needs forward(w, x) and backward(w, x)")


def test_an_error_in_backward_fails_every_part_with_its_line(tmp_path):
    r = _flat(tmp_path, "def backward(w, x):\n    return 1 / 0\n")
    assert {p.status for p in r.parts} == {FAILED}
    assert r.parts[0].reason.render("en") == (
        "ZeroDivisionError (flat.py:10 in backward): division by zero")  # FORWARD is 8 lines
