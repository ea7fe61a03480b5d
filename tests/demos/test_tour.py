"""The tour `make demo` runs, the `python -m demos` entry point, and demos.run / demos.DEMOS."""

import importlib
import inspect
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nn import make_moons
from tests.demos.oracle import assert_png, numpy_scores

ROOT = Path(__file__).resolve().parents[2]


def test_tour_runs_the_three_lessons_and_lists_its_files(tmp_path, capsys):
    from demos import tour

    r = tour.main(out_dir=str(tmp_path))
    out = capsys.readouterr().out
    for k, title in enumerate(["Gates", "A neuron", "A network", "The notes' network"], 1):
        assert f" {k}/4  {title}" in out
    names = sorted(p.name for p in r["files"])
    assert names == ["digits_lesson.html", "gates.svg", "gates_stepper.html",
                     "moons_boundary.png", "moons_loss.png"]
    for path in r["files"]:
        assert path.parent == tmp_path and path.stat().st_size > 1000
        assert f"  {path}\n" in out  # where the files are, printed at the end
    assert_png(tmp_path / "moons_boundary.png")
    assert (tmp_path / "gates.svg").read_text().startswith("<?xml")
    # The lessons' numbers: the CS231n gradient of w0, the neuron's, micrograd's 100%.
    assert round(r["gates"]["engine"]["w0"], 2) == -0.20
    assert r["neuron"]["gradcheck_passed"]
    X, y = make_moons(100, noise=0.1, signed=True)
    assert np.all(np.sign(numpy_scores(r["moons"]["model"], X)[:, 0]) == y)
    assert "python -m demos NAME" in out and "demos/tour.ipynb" in out
    # the digits lesson page: MLP(64, [32, 10]) on the digits demo's training split
    page = (tmp_path / "digits_lesson.html").read_text(encoding="utf-8")
    assert "MLP(64, [32, 10]) learns, cross_entropy loss" in page
    assert r["lesson"]["samples"] == 1079 and f"{tmp_path}/digits_lesson.html" in out
    # the next lessons named include the practice ones
    assert all(f"\n  {name} " in out for name in ("matrix", "fanout", "exercises", "debugging"))


def test_every_listed_demo_has_a_main_with_the_shared_signature():
    import demos

    assert list(demos.DEMOS) == ["tour", "gates", "neuron", "matrix", "gradcheck", "moons",
                                 "digits", "lesson", "debugging", "fanout", "exercises", "check"]
    for name, text in demos.DEMOS.items():
        assert 20 < len(text) < 100, name
        main = importlib.import_module(f"demos.{name}").main
        params = inspect.signature(main).parameters
        assert params["out_dir"].default == "out" and params["quick"].default is False, name


def test_run_dispatches_and_refuses_unknown_names(tmp_path, capsys):
    import demos

    r = demos.run("neuron", out_dir=str(tmp_path), quick=True)
    assert r["gradcheck_passed"] and "A neuron" in capsys.readouterr().out
    with pytest.raises(ValueError, match=r"unknown demo 'moon'; choose one of tour, gates, "):
        demos.run("moon")


def demos_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "demos", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_python_m_demos_lists_runs_and_rejects(tmp_path):
    import demos

    listed = demos_cli(cwd=tmp_path)
    assert listed.returncode == 0
    lines = listed.stdout.splitlines()
    assert lines[0].startswith("Demos (python -m demos NAME")
    assert [line.split()[0] for line in lines[1:]] == list(demos.DEMOS)

    unknown = demos_cli("moon", cwd=tmp_path)
    assert unknown.returncode == 2 and "unknown demo 'moon'" in unknown.stderr
    assert "debugging" in unknown.stderr

    ran = demos_cli("gates", "--out", "pictures", "--quick", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert "mul swaps" in ran.stdout and (tmp_path / "pictures" / "gates.svg").is_file()
