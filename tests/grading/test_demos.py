"""The two practice demos: the notes' exercises and the broken engines, run as lessons."""

from __future__ import annotations

import subprocess
import sys

import pytest

from demos import exercises


def test_notes_exercises_demo(tmp_path):
    result = exercises.main(out_dir=str(tmp_path), quick=True)
    # exercise 1 by hand (the notes' numbers): sigmoid at 0 gives f = 0.5 and local 0.25
    assert result["by_hand"] == {"h": 4.0, "f": 0.5, "c": 0.25, "v": 1.0, "h'": -0.25,
                                 "w0": -0.5, "w1": -0.75, "x0": -0.375, "x1": -0.125}
    assert result["engine"] == pytest.approx(result["by_hand"], rel=1e-15)
    assert result["gradcheck"] is True
    losses = result["losses"]
    assert all(b < a for a, b in zip(losses, losses[1:])) and losses[0] == 9.0
    assert result["network_passed"] is True and result["max_rel_error"] < 1e-5


@pytest.mark.parametrize("name, said", [("exercises", "gradcheck passed"),
                                        ("fanout", "broken engine")])
def test_gategrad_demo_runs_them(name, said, tmp_path):
    done = subprocess.run([sys.executable, "-m", "gategrad", "demo", name, "--out",
                           str(tmp_path), "--quick", "--lang", "en"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert said in done.stdout
