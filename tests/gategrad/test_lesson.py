"""``gategrad lesson`` end to end, as a teacher runs it: each kind of data, the defaults, and
every bad input refused in one line naming the setting."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from tests.gategrad.test_cli import gategrad
from tests.nn.idx import synthetic_digits, write_mnist
from tests.viz.page_driver import browser, close_clean, open_page  # noqa: F401


def page_data(path) -> dict:
    text = path.read_text(encoding="utf-8")
    return json.loads(re.search(r'id="gg-data">(.*?)</script>', text, re.S).group(1))


def test_moons_with_the_defaults(tmp_path):
    done = gategrad("lesson", "--data", "moons", "-o", "moons.html", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert re.match(r"wrote moons.html \(0\.\d MB\): open it in a browser", done.stdout)
    data = page_data(tmp_path / "moons.html")
    assert [data["nin"]] + [ly["nout"] for ly in data["layers"]] == [2, 16, 16, 1]
    assert data["loss"]["name"] == "bce" and data["n"] == 160 and data["val"]["n"] == 40
    assert data["lr"] == 1.0 and data["batch"] == 16 and data["epochs"] == 20


def test_the_first_play_with_the_defaults_learns_the_moons(browser, tmp_path):  # noqa: F811
    """Play trains 20 epochs, then pauses: with the defaults a class sees the moons learnt then
    (before, η 0.5 and batches of 32 stood at 77.5% validation accuracy after the first Play)."""
    done = gategrad("lesson", "--data", "moons", "-o", "moons.html", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    page = open_page(browser, tmp_path / "moons.html")
    metrics = page.evaluate("gategrad.train({epochs: 20})")
    assert metrics["val_accuracy"] >= 0.95 and metrics["error"] is None, metrics
    close_clean(page, tmp_path / "moons.html")


def test_mnist_from_a_folder_trains_in_the_page(browser, tmp_path):  # noqa: F811
    write_mnist(tmp_path / "mnist", synthetic_digits(80, seed=1), synthetic_digits(30, seed=2))
    done = gategrad("lesson", "--data", f"mnist:{tmp_path / 'mnist'}", "--samples", "64",
                    "--batch-size", "16", "--epochs-in-page", "3", "-o", "notes.html",
                    cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    path = tmp_path / "notes.html"
    data = page_data(path)
    assert [data["nin"]] + [ly["nout"] for ly in data["layers"]] == [784, 64, 32, 10]
    assert data["n"] == 64 and data["val"]["n"] == 12 and data["loss"]["name"] == "cross_entropy"
    page = open_page(browser, path)
    metrics = page.evaluate("gategrad.train({epochs: 2})")
    assert metrics["epoch"] == 2 and metrics["step"] == 8 and metrics["error"] is None
    close_clean(page, path)


def test_a_csv_file_with_a_header(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 3))
    lines = ["a,b,c,label"] + [f"{a},{b},{c},{a - b:.6f}" for a, b, c in X]
    (tmp_path / "points.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = gategrad("lesson", "--data", "points.csv", "--model", "3,8,1", "--loss", "mse",
                    "--activation", "tanh", "-o", "p.html", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    data = page_data(tmp_path / "p.html")
    assert data["nin"] == 3 and data["n"] == 24 and data["layers"][0]["activation"] == "tanh"


@pytest.mark.parametrize("model, labels, loss", [
    ("4,8,3", [0, 1, 2], "cross_entropy"),  # several outputs: classes (before: mse, refused)
    ("4,8,1", [0, 1], "bce"),  # one output, labels 0 and 1
    ("4,8,1", [0.5, -2.0, 3.25], "mse"),  # one output, any numbers: regression
])
def test_a_csv_file_gets_the_loss_that_suits_its_model_and_labels(tmp_path, model, labels, loss):
    rng = np.random.default_rng(1)
    rows = [[*rng.normal(size=4).round(3), labels[k % len(labels)]] for k in range(20)]
    (tmp_path / "d.csv").write_text("\n".join(",".join(map(str, r)) for r in rows) + "\n",
                                    encoding="utf-8")
    done = gategrad("lesson", "--data", "d.csv", "--model", model, "-o", "d.html", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert page_data(tmp_path / "d.html")["loss"]["name"] == loss


@pytest.mark.parametrize("args, status, said", [
    (["--data", "moons", "--model", "3,4,1"], 2,
     "--model 3,4,1: the data has 2 features per sample, so the first size must be 2"),
    (["--data", "moons", "--model", "2,x,1"], 2, "give the layer sizes as whole numbers"),
    (["--data", "iris"], 2, "choose moons, digits, a .csv file or mnist:FOLDER"),
    (["--data", "mnist:nowhere"], 1, "nowhere is not a folder"),
    (["--data", "bad.csv"], 2, "line 3 is not numbers: 1,two,0"),
    (["--data", "moons", "--lr", "-1"], 1, "lr must be a positive number, got -1.0"),
    (["--data", "moons", "--batch-size", "0"], 1, "batch_size must be a positive integer"),
    (["--data", "moons", "--loss", "cross_entropy"], 1, "cross_entropy needs a model with k >= 2"),
    (["--data", "moons", "--samples", "1"], 2, "--samples must be at least 2"),
])
def test_bad_input_is_one_line_naming_the_setting(tmp_path, args, status, said):
    (tmp_path / "bad.csv").write_text("x,y,label\n1,2,0\n1,two,0\n", encoding="utf-8")
    done = gategrad("lesson", *args, cwd=tmp_path)
    assert done.returncode == status, done.stderr
    assert said in done.stderr and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert not (tmp_path / "lesson.html").exists()


def test_the_command_speaks_chinese(tmp_path):
    done = gategrad("lesson", "--data", "moons", "--model", "3,4,1", "--lang", "zh", cwd=tmp_path)
    assert done.returncode == 2 and "特征" in done.stderr
    done = gategrad("lesson", "--data", "moons", "--lang", "zh", "-o", "m.html", cwd=tmp_path)
    assert done.returncode == 0 and "在浏览器中打开" in done.stdout
    assert page_data(tmp_path / "m.html")["lang"] == "zh"
