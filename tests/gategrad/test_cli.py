"""The gategrad command end to end, through a subprocess as a user runs it.

`sys.executable -m gategrad` is the console script's code without needing `pip install -e .`.
Numbers are the CS231n example's, worked out by hand (see test_draw.py): f = 0.73,
dw0 = -0.20, dx0 = 0.39, dw1 = -0.39, dx1 = -0.59, dw2 = 0.20.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gategrad.cli import COMMANDS, Command, main
from tests.viz import svg

EXPR = "sigmoid(w0*x0 + w1*x1 + w2)"
VALUES = ["--set", "w0=2", "x0=-1", "w1=-3", "x1=-2", "w2=-3"]
REPO = Path(__file__).resolve().parents[2]
HAND = {"w0": "-0.20", "x0": "0.39", "w1": "-0.39", "x1": "-0.59", "w2": "0.20"}


def gategrad(*args, cwd=None, env=None):
    environment = dict(os.environ, PYTHONPATH=str(REPO), **(env or {}))
    return subprocess.run([sys.executable, "-m", "gategrad", *args], capture_output=True,
                          text=True, cwd=cwd, env=environment, timeout=120)


def no_dot_env(tmp_path, pure: bool):
    """An environment whose PATH has no `dot`; with pure=False the pip renderer is off too."""
    (tmp_path / "bin").mkdir(exist_ok=True)
    return {"PATH": str(tmp_path / "bin"), "GATEGRAD_RENDERER": "auto" if pure else "dot"}


def test_draw_the_cs231n_example_to_svg(tmp_path):
    done = gategrad("draw", EXPR, *VALUES, "--digits", "2", "-o", "graph.svg", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "wrote graph.svg" and done.stderr == ""
    shown = svg.by_label((tmp_path / "graph.svg").read_text(encoding="utf-8"))
    for name, grad in HAND.items():
        assert shown[name].texts[2] == f"grad {grad}", name
    assert shown["f"].texts[1:] == ["data 0.73", "grad 1.00"]


def test_draw_a_frame_and_formats(tmp_path):
    done = gategrad("draw", "x*y + x", "--set", "x=3", "y=2", "--step", "1", "--digits", "2",
                    "-o", "frame.svg", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    shown = svg.by_label((tmp_path / "frame.svg").read_text(encoding="utf-8"))
    assert shown["x"].texts[2] == "grad 1.00…" and shown["y"].texts[2] == "grad"
    for name in ("g.png", "g.pdf", "g.dot"):
        assert gategrad("draw", EXPR, *VALUES, "-o", name, cwd=tmp_path).returncode == 0
    assert (tmp_path / "g.png").read_bytes()[:4] == b"\x89PNG"
    assert (tmp_path / "g.pdf").read_bytes()[:4] == b"%PDF"
    done = gategrad("draw", EXPR, *VALUES, "-o", "g.gif", cwd=tmp_path)
    assert done.returncode == 1 and "cannot tell the format" in done.stderr


def test_draw_without_output_prints_dot_source():
    done = gategrad("draw", EXPR, *VALUES, "--no-grad")
    assert done.returncode == 0
    assert done.stdout.startswith("digraph") and "grad" not in done.stdout.split("{", 1)[1]


def test_steps_prints_both_tables_with_hand_numbers():
    done = gategrad("steps", EXPR, *VALUES, "--chain-rule")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "forward pass" in out and "backward pass" in out
    assert "f = sigmoid(" in out and "= 0.73" in out
    for name, grad in HAND.items():
        (line,) = [t for t in out.splitlines() if t.strip().startswith(f"df/d{name} += ")]
        assert line.endswith(f"= {grad}"), line


def test_steps_latex():
    done = gategrad("steps", EXPR, *VALUES, "--latex")
    assert done.returncode == 0
    assert done.stdout.startswith("\\begin{align*}")
    assert r"\frac{\partial f}{\partial w_{0}}" in done.stdout and "= -0.20" in done.stdout


def test_stepper_and_frames(tmp_path):
    done = gategrad("stepper", EXPR, *VALUES, "-o", "steps.html", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "steps.html").read_text(encoding="utf-8")
    # the lesson page (viz.page, tested in tests/viz/test_page*): one file, one script
    assert "<title>gategrad: sigmoid(w0*x0 + w1*x1 + w2)</title>" in page
    assert "default-src 'none'" in page and "'unsafe-inline'" not in page
    done = gategrad("frames", "x*y", "--set", "x=3", "y=2", "-d", "out", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "001-forward-0.svg", "002-forward-1.svg", "003-backward-0.svg", "004-backward-1.svg",
        "captions.txt"]


HOSTILE = [
    ("__import__('os').system('touch pwned')", "column 1:", "cannot be called"),
    ("x.__class__.__bases__", "column 2:", "attribute access"),
    ("(lambda: 1)()", "column 1:", "cannot be called"),
    ("[c for c in x]", "column 1:", "comprehension"),
    ("x[0]", "column 2:", "indexing"),
    ("x ** 99999999", "column 6:", "exponent"),
    ("(-8) ** 0.5 * x", "column 6:", "no real value"),
    ("9" * 400 + " * x", "column 1:", "too large"),
    ("x + " * 2500 + "x", "", "10001 characters long"),
    ("open('secret')", "column 1:", "open cannot be called"),
    ("x +", "column 3:", "syntax error"),
    ("y * x", "column 1:", "unknown name 'y'"),
]


@pytest.mark.parametrize("text, column, reason", HOSTILE)
def test_hostile_expressions_are_one_line_errors(text, column, reason, tmp_path):
    done = gategrad("draw", text, "--set", "x=2", "-o", "g.svg", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"gategrad draw: error: {column}")
    assert reason in done.stderr
    assert list(tmp_path.iterdir()) == []  # nothing written, nothing touched


@pytest.mark.parametrize("values, reason", [
    (["x=abc"], "'abc' is not a number"),
    (["x=inf"], "finite"),
    (["x"], "write NAME=VALUE"),
    (["x=1", "x=2"], "set twice"),
])
def test_bad_values_are_one_line_errors(values, reason):
    done = gategrad("steps", "x*2", "--set", *values)
    assert done.returncode == 2 and reason in done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_a_gate_error_names_the_gate_and_column():
    done = gategrad("steps", "log(x - 2)", "--set", "x=2")
    assert done.returncode == 2
    assert done.stderr.startswith("gategrad steps: error: column 1: log gate: input must be > 0")


def test_a_value_set_but_never_used_is_an_error_that_says_so():
    done = gategrad("steps", "x*2", "--set", "x=1", "q=2")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == ("gategrad steps: error: --set q: not used in the expression 'x*2'; "
                           "remove it or check its spelling\n")


def test_help_shows_examples():
    done = gategrad("--help")
    assert done.returncode == 0
    assert "examples:" in done.stdout
    assert f'gategrad draw "{EXPR}" --set w0=2 x0=-1 w1=-3 x1=-2 w2=-3 -o graph.svg' in done.stdout
    for name in ("draw", "steps", "stepper", "frames"):
        assert name in done.stdout
    sub = gategrad("stepper", "--help")
    assert sub.returncode == 0 and "--set NAME=VALUE" in sub.stdout and "examples:" in sub.stdout
    assert gategrad("dance").returncode == 2


def test_without_graphviz_a_clear_error_and_dot_source_still_works(tmp_path):
    env = no_dot_env(tmp_path, pure=False)
    done = gategrad("draw", EXPR, *VALUES, "-o", "g.svg", cwd=tmp_path, env=env)
    assert done.returncode == 3 and "Traceback" not in done.stderr
    for how in ("apt-get install graphviz", "brew install graphviz", "winget install graphviz"):
        assert how in done.stderr
    done = gategrad("draw", EXPR, *VALUES, "-o", "g.dot", cwd=tmp_path, env=env)
    assert done.returncode == 0 and "digraph" in (tmp_path / "g.dot").read_text()


def test_a_renderer_that_fails_is_a_one_line_error(tmp_path):
    # a Graphviz built without the plugin for a format refuses it on stderr
    (tmp_path / "bin").mkdir()
    dot = tmp_path / "bin" / "dot"
    dot.write_text('#!/bin/sh\necho \'Format: "pdf" not recognized.\' >&2\nexit 1\n')
    dot.chmod(0o755)
    done = gategrad("draw", EXPR, *VALUES, "-o", "g.pdf", cwd=tmp_path,
                    env={"PATH": str(tmp_path / "bin"), "GATEGRAD_RENDERER": "dot"})
    assert done.returncode == 1 and "Traceback" not in done.stderr
    # the graphviz package echoes dot's own stderr first; ours is the one line after it
    *echoed, ours = done.stderr.splitlines()
    assert echoed == ['Format: "pdf" not recognized.']
    assert ours.startswith("gategrad draw: error: dot ")
    assert ours.endswith('failed (exit status 1): Format: "pdf" not recognized.')


def test_a_renderer_that_stops_reading_is_its_refusal_not_a_broken_pipe(tmp_path):
    """dot that closes its input at once (a format it lacks): writing the source to it breaks
    the pipe every time. That is the renderer's failure (exit 1, its words), not `| head`
    leaving (exit 141, silent), which it was read as, now and then, before."""
    (tmp_path / "bin").mkdir()
    dot = tmp_path / "bin" / "dot"
    dot.write_text("#!/bin/sh\nexec 0<&-\n/bin/sleep 0.3\n"
                   "echo 'Format: \"pdf\" not recognized.' >&2\nexit 1\n")
    dot.chmod(0o755)
    wide = " + ".join(f"w{k}*x{k}" for k in range(150))  # a source far larger than a pipe holds
    values = [f"{n}{k}=1" for k in range(150) for n in ("w", "x")]
    done = gategrad("draw", wide, "--set", *values, "-o", "g.pdf", cwd=tmp_path,
                    env={"PATH": str(tmp_path / "bin"), "GATEGRAD_RENDERER": "dot"})
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines()[-1] == ('gategrad draw: error: dot -Kdot -Tpdf failed (exit '
                                            'status 1): Format: "pdf" not recognized.')


def test_without_dot_the_pip_renderer_draws(tmp_path):
    done = gategrad("draw", EXPR, *VALUES, "--digits", "2", "-o", "g.svg", cwd=tmp_path,
                    env=no_dot_env(tmp_path, pure=True))
    assert done.returncode == 0, done.stderr
    shown = svg.by_label((tmp_path / "g.svg").read_text(encoding="utf-8"))
    assert shown["w0"].texts[2] == "grad -0.20"


def test_a_new_subcommand_is_one_table_entry(capsys, monkeypatch):
    def arguments(parser):
        parser.add_argument("name")

    def run(args):
        print(f"hello {args.name}")
        return 0

    monkeypatch.setitem(COMMANDS, "hello", Command("say hello", arguments, run))
    assert main(["hello", "class"]) == 0
    assert capsys.readouterr().out == "hello class\n"
    lazy = Command("lazy", "tests.gategrad.test_cli:_lazy_arguments",
                   "tests.gategrad.test_cli:_lazy_run")
    monkeypatch.setitem(COMMANDS, "lazy", lazy)
    assert main(["lazy"]) == 7


def _lazy_arguments(parser):
    pass


def _lazy_run(args):
    return 7


def test_demo_subcommand_lists_runs_and_refuses(tmp_path):
    listed = gategrad("demo")
    assert listed.returncode == 0
    for name in ["tour", "gates", "neuron", "matrix", "gradcheck", "moons", "digits", "debugging"]:
        assert f"  {name} " in listed.stdout
    ran = gategrad("demo", "neuron", "--out", str(tmp_path / "o"), cwd=tmp_path)
    assert ran.returncode == 0 and "gradcheck passed" in ran.stdout
    unknown = gategrad("demo", "nope")
    assert unknown.returncode == 2 and unknown.stderr.count("\n") == 1
    assert "unknown demo 'nope'; choose one of tour, gates" in unknown.stderr


def test_a_command_whose_module_is_missing_still_lists_and_fails_in_one_line(capsys,
                                                                            monkeypatch):
    monkeypatch.setitem(COMMANDS, "later", Command("written later", "gategrad.not_yet:add",
                                                   "gategrad.not_yet:run"))
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "later" in capsys.readouterr().out
    assert main(["later", "anything", "--goes"]) == 1
    assert capsys.readouterr().err == ("gategrad later: error: this command needs the module "
                                       "gategrad.not_yet, which is not installed\n")


def test_quiz_and_worksheet_are_registered_lazily():
    assert COMMANDS["quiz"].run == "gategrad.quiz:run"
    assert COMMANDS["worksheet"].add_arguments == "gategrad.worksheet:add_arguments"


def test_frames_as_a_gif(tmp_path):
    done = gategrad("frames", "x*y", "--set", "x=3", "y=2", "--format", "gif", "-o", "walk.gif",
                    "--duration", "300", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "wrote walk.gif\n"
    assert (tmp_path / "walk.gif").read_bytes()[:6] == b"GIF89a"
    bad = gategrad("frames", "x*y", "--set", "x=3", "y=2", "--format", "gif", "--duration",
                   "-5", cwd=tmp_path)
    assert bad.returncode != 0 and bad.stderr.count("\n") == 1 and "duration" in bad.stderr


def test_lang_before_or_after_the_command(tmp_path):
    for argv in (["--lang", "zh", "steps"], ["steps", "--lang", "zh"]):
        done = gategrad(*argv, "x*2", "--set", "x=1")
        assert done.returncode == 0 and done.stdout.startswith("前向传播"), argv
    done = gategrad("steps", "x*2", "--set", "x=1", env={"GATEGRAD_LANG": "zh"})
    assert done.stdout.startswith("前向传播")
    done = gategrad("steps", "x*2", "--set", "x=1", "--lang", "fr")
    assert done.returncode == 2 and "invalid choice: 'fr'" in done.stderr


def test_a_reader_that_goes_away_is_no_error():
    """`gategrad steps ... | head -1` printed `error: [Errno 32] Broken pipe`: now it stops
    quietly, as a Unix tool killed by SIGPIPE does (status 141), and prints nothing more."""
    expression = " + ".join(f"x*{k}" for k in range(1, 400))  # far more than a pipe holds
    run = subprocess.Popen([sys.executable, "-m", "gategrad", "steps", expression, "--set",
                            "x=1", "--lang", "en"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    assert run.stdout.readline() == "forward pass\n"
    run.stdout.close()  # what head does after its line
    stderr = run.stderr.read()
    assert run.wait(timeout=60) == 141
    assert stderr == ""
