"""One voice in the command: the displays issue 13 lists, typed out by hand.

Each expected string is written here by hand (never produced by the formatter under test);
the command runs in-process through ``main`` (the subprocess tests are in test_cli.py).
"""

from __future__ import annotations

import pytest

from gategrad.cli import main

CS231N = ["--set", "w0=2", "x0=-1", "w1=-3", "x1=-2", "w2=-3"]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_negative_operands_are_bracketed(capsys):
    status, out, _ = run(capsys, "steps", "x**2 - y", "--set", "x=-3", "y=-2", "--lang", "en")
    assert status == 0
    lines = [line.strip() for line in out.splitlines()]
    assert "1  pow   s0 = x ** 2 = (-3.00) ** 2 = 9.00" in lines
    assert "2  sub   f = s0 - y = 9.00 - (-2.00) = 11.00" in lines


def test_never_minus_zero(capsys):
    status, out, _ = run(capsys, "steps", "max(x, y) * z", "--set", "x=2", "y=5", "z=-1",
                         "--chain-rule", "--lang", "en")
    assert status == 0 and "-0.00" not in out
    assert "df/dx += df/ds0 · ∂s0/∂x = -1.00 × 0.00 = 0.00" in out
    assert "0.00 → 0.00" in out  # x's gradient: -1 × 0 is a zero without a sign


def test_exact_products_check_out(capsys):
    status, out, _ = run(capsys, "steps", "sigmoid(w0*x0 + w1*x1 + w2)", *CS231N, "--exact",
                         "--chain-rule", "--lang", "en")
    assert status == 0
    assert "df/dx0 += df/ds0 · ∂s0/∂x0 = 0.1966 × 2 = 0.3932" in out
    assert "df/dw1 += df/ds1 · ∂s1/∂w1 = 0.1966 × (-2) = -0.3932" in out
    # the table's rows check out too, and say every quantity as the lines do: d f/d s3 is
    # 0.1966 from the first step on (it was 0.2 in steps 1-3 and 0.1966 in step 4), and the
    # gradient after a step is the contribution's digits (it was -0.1966 beside 0.00 → -0.20)
    rows = [line.split() for line in out.splitlines()]
    assert ["1", "sigmoid", "sigmoid", "f", "1", "s3", "0.1966", "0.1966", "0", "→",
            "0.1966"] in rows
    assert "df/ds3 += df/df · ∂f/∂s3 = 1 × 0.1966 = 0.1966" in out
    assert "df/ds2 += df/ds3 · ∂s3/∂s2 = 0.1966 × 1 = 0.1966" in out
    assert ["5", "mul", "mul", "swaps", "s0", "0.1966", "w0", "-1", "-0.1966", "0", "→",
            "-0.1966"] in rows
    assert "df/dw0 += df/ds0 · ∂s0/∂w0 = 0.1966 × (-1) = -0.1966" in out  # was 0.2 × (-1)
    assert ["x0", "2", "0.3932", "0", "→", "0.3932"] in rows
    assert " 0.2 " not in out and "0.20" not in out
    # without --exact: two digits, as every view
    status, out, _ = run(capsys, "steps", "sigmoid(w0*x0 + w1*x1 + w2)", *CS231N,
                         "--chain-rule", "--lang", "en")
    assert "df/dx0 += df/ds0 · ∂s0/∂x0 = 0.20 × 2.00 = 0.39" in out


def test_the_cs231n_nodes_are_s0_to_s3_as_in_the_notes(capsys):
    status, out, _ = run(capsys, "steps", "sigmoid(w0*x0 + w1*x1 + w2)", *CS231N, "--lang", "en")
    assert status == 0
    lines = [line.split() for line in out.splitlines()]
    assert ["1", "mul", "s0", "=", "w0", "*", "x0", "=", "2.00", "*", "(-1.00)", "=",
            "-2.00"] in lines
    assert ["2", "mul", "s1", "=", "w1", "*", "x1", "=", "-3.00", "*", "(-2.00)", "=",
            "6.00"] in lines
    assert ["3", "add", "s2", "=", "s0", "+", "s1", "=", "-2.00", "+", "6.00", "=",
            "4.00"] in lines
    assert ["5", "sigmoid", "f", "=", "sigmoid(s3)", "=", "sigmoid(1.00)", "=", "0.73"] in lines
    assert not any(token.startswith("v") and token[1:].isdigit() for row in lines for token in row)


def test_digits_are_checked_and_the_same_default_everywhere(capsys, tmp_path):
    status, _, err = run(capsys, "steps", "x*2", "--set", "x=1", "--digits", "-1")
    assert status == 2
    assert err == ("gategrad steps: error: --digits must be a whole number from 0 to 12, "
                   "got -1\n")
    status, out, _ = run(capsys, "draw", "x*y", "--set", "x=0.125", "y=3", "--lang", "en")
    assert status == 0 and "data 0.12" in out and "data 0.125" not in out  # 2, as steps
    status, out, _ = run(capsys, "frames", "x*y", "--set", "x=0.125", "y=3", "-d",
                         str(tmp_path / "fr"), "--format", "dot")
    captions = (tmp_path / "fr" / "captions.txt").read_text(encoding="utf-8")
    assert "s0 = x * y = 0.12 * 3.00 = 0.38" not in captions  # the root is f
    assert "f = x * y = 0.12 * 3.00 = 0.38" in captions


def test_named_intermediates(capsys):
    status, out, _ = run(capsys, "steps", "n = w1*x1 + w2*x2 + b; tanh(n)", "--set", "w1=0.5",
                         "x1=2", "w2=-1", "x2=1", "b=0.5", "--lang", "en")
    assert status == 0
    lines = [line.split() for line in out.splitlines()]
    # n = 1 - 1 + 0.5 = 0.5; tanh(0.5) = 0.46211716
    assert ["4", "add", "n", "=", "s2", "+", "b", "=", "0.00", "+", "0.50", "=", "0.50"] in lines
    assert ["5", "tanh", "f", "=", "tanh(n)", "=", "tanh(0.50)", "=", "0.46"] in lines


@pytest.mark.parametrize("argv, message", [
    (["n = x*2; m = x*3; n"], "m is named but never used"),
    (["n = x*2; n = x*3; n"], "n is defined twice"),
    (["x = 2; x*3"], "x is given a value with --set and also defined in the expression"),
    (["n = x*2; n + 1 ; n*2"], "only the last part"),
    (["n = x*2"], "must end with what to differentiate"),
    (["import os; x"], "is not allowed"),
])
def test_named_intermediates_refused_clearly(capsys, argv, message):
    status, _, err = run(capsys, "steps", *argv, "--set", "x=1")
    assert status == 2 and message in err and err.count("\n") == 1


def test_a_neuron_with_200_inputs_parses(capsys):
    terms = " + ".join(f"w{k}*x{k}" for k in range(1, 201))
    values = [f"w{k}={k / 1000}" for k in range(1, 201)] + [f"x{k}=1" for k in range(1, 201)]
    status, out, err = run(capsys, "steps", f"tanh({terms} + b)", "--set", *values, "b=0",
                           "--lang", "en")
    assert status == 0, err
    # 200 products s0..s199, 199 sums s200..s398, + b is s399; gate 401 is tanh.
    # Σ k/1000 for k = 1..200 = 20.1; tanh(20.1) = 1.00 at two digits
    assert " 401  tanh  f = tanh(s399) = tanh(20.10) = 1.00" in out.splitlines()


def test_set_names_are_normalised_as_python_normalises_identifiers(capsys):
    # "ﬁ" (U+FB01, the fi ligature): Python reads the identifier ﬁ as fi (NFKC)
    status, out, err = run(capsys, "steps", "fi * 2", "--set", "ﬁ=3", "--lang", "en")
    assert status == 0, err
    assert "f = fi * c0 = 3.00 * 2.00 = 6.00" in out  # the constant 2 is the leaf c0
    status, out, err = run(capsys, "steps", "ﬁ * 2", "--set", "fi=3", "--lang", "en")
    assert status == 0 and "6.00" in out, err
    status, _, err = run(capsys, "steps", "fi * 2", "--set", "fi=3", "ﬁ=4")
    assert status == 2 and "fi is set twice" in err


def test_chinese_tables_line_up_and_speak_the_notes(capsys):
    status, out, _ = run(capsys, "steps", "x*y + x", "--set", "x=3", "y=2", "--lang", "zh")
    assert status == 0
    assert out.startswith("前向传播\n") and "\n反向传播\n" in out
    lines = out.splitlines()
    header = [line for line in lines if line.startswith("步")][1]  # the backward table
    assert header.split() == ["步", "门", "规则", "输出", "上游梯度", "输入", "局部梯度", "贡献",
                              "梯度", "之前", "→", "之后"]
    # display width: the dashes under the header are as wide as the header on screen
    from words import width
    assert lines[lines.index(header) + 1] == "-" * width(header)


def test_language_from_the_environment_and_errors_in_chinese(capsys, monkeypatch):
    monkeypatch.delenv("GATEGRAD_LANG", raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    status, out, _ = run(capsys, "steps", "x*2", "--set", "x=1")
    assert status == 0 and out.startswith("前向传播")
    status, _, err = run(capsys, "steps", "x*2", "--set", "x=1", "q=2")
    assert status == 2
    assert err == "gategrad steps：错误：--set q：表达式 'x*2' 中没有用到；请删除它，或检查拼写\n"
    status, out, _ = run(capsys, "--lang", "en", "steps", "x*2", "--set", "x=1")
    assert out.startswith("forward pass")


def test_expression_errors_in_the_class_language(capsys):
    status, _, err = run(capsys, "steps", "x + q", "--set", "x=1", "--lang", "zh")
    assert status == 2
    assert err == ("gategrad steps：错误：第 5 列：未知的名字 'q'：请用 --set q=数值 给它赋值"
                   "（已赋值的有：x）\n")
    status, _, err = run(capsys, "steps", "x + q", "--set", "x=1", "--lang", "en")
    assert err == ("gategrad steps: error: column 5: unknown name 'q': give it a value with "
                   "--set q=NUMBER (the values given: x)\n")
    status, _, err = run(capsys, "steps", "max(x)", "--set", "x=1", "--lang", "zh")
    assert err == "gategrad steps：错误：第 1 列：max() 需要 2 个参数，实际给了 1 个\n"


def test_help_in_the_class_language(capsys, monkeypatch):
    monkeypatch.setenv("GATEGRAD_LANG", "en")
    monkeypatch.setenv("COLUMNS", "300")  # argparse wraps help at the terminal's width
    for argv in (["--lang", "zh", "--help"], ["steps", "--help", "--lang=zh"]):
        with pytest.raises(SystemExit):
            main(argv)
        out = capsys.readouterr().out
        assert "示例：" in out and "examples:" not in out, argv
    assert "看链式法则一个门一个门地运行。" in _help(capsys, ["--lang", "zh", "--help"])
    steps = _help(capsys, ["steps", "--lang", "zh", "--help"])
    assert "给数显示足够的位数，使每个乘积都能手算验证（0.1966 × 2 = 0.3932）" in steps
    assert steps.startswith("用法：gategrad steps [-h]")
    assert "\n位置参数：\n" in steps and "\n选项：\n" in steps and "显示这条帮助信息并退出" in steps
    english = _help(capsys, ["--help"])
    assert "Watch the chain rule run gate by gate." in english and "examples:" in english
    assert english.startswith("usage: gategrad [-h]") and "\noptions:\n" in english


def _help(capsys, argv: list[str]) -> str:
    with pytest.raises(SystemExit):
        main(argv)
    return capsys.readouterr().out
