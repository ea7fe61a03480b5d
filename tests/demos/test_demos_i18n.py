"""The demos' narration in Chinese (lang="zh" on main(), --lang on python -m demos), with the
numbers unchanged; English stays the default."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_gates_demo_speaks_chinese_and_keeps_its_numbers(tmp_path, capsys):
    from demos import gates

    r = gates.main(out_dir=str(tmp_path), lang="zh")
    out = capsys.readouterr().out
    assert "f = sigmoid(w0*x0 + w1*x1 + w2)，取 w0=2, x0=-1, w1=-3, x1=-2, w2=-3" in out
    assert "前向传播，逐个门：" in out and "反向传播，逐个门：" in out
    assert "Forward, gate by gate" not in out
    # The table's header lines up by display width: 平铺代码 takes 8 columns, 引擎 4.
    lines = out.splitlines()
    header = next(line for line in lines if line.endswith("引擎"))
    row = next(line for line in lines if line.startswith("dw0"))
    assert header == "      平铺代码       引擎"
    assert row == "dw0  -0.196612  -0.196612"  # σ(1)(1 − σ(1)) · x0 = 0.196612 · (−1)
    assert round(r["engine"]["w0"], 6) == -0.196612


def test_english_is_the_default(tmp_path, capsys, monkeypatch):
    from demos import neuron

    for name in ("GATEGRAD_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    neuron.main(out_dir=str(tmp_path))
    out = capsys.readouterr().out
    assert "And against finite differences:" in out and "手算" not in out


@pytest.mark.parametrize("name, words", [
    ("matrix", "24 个元素中有 12 个非零"),  # 4 outputs x 3 inputs each, of 4 x 6
    ("gradcheck", "梯度检验在 13 个梯度中发现 9 个有错"),
    ("neuron", "再与有限差分对比（梯度检验）："),
])
def test_lessons_in_chinese(tmp_path, capsys, name, words):
    import demos

    demos.run(name, out_dir=str(tmp_path), quick=True, lang="zh")
    assert words in capsys.readouterr().out


def test_an_unknown_language_is_refused_by_name(tmp_path):
    from demos import gates

    with pytest.raises(ValueError, match="lang must be one of en, zh, got 'fr'"):
        gates.main(out_dir=str(tmp_path), lang="fr")


def test_python_m_demos_lang_zh_lists_the_lessons_in_chinese(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "demos", "--lang", "zh"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "示例（python -m demos NAME [--out DIR] [--quick] [--lang LANG]）："
    assert "  digits     8x8 手写数字经批量重放训练：几秒内测试准确率超过 95%" in lines
