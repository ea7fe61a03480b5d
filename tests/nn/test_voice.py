"""What nn prints speaks with words: numbers by its formatter, columns by display width,
words from the nn catalogue (expected text typed by hand)."""

from __future__ import annotations

import pytest

from nn import MLP, History, TrainingDiverged, fit, make_moons
from words import localize


def test_history_table_in_both_languages():
    h = History(train_loss=[0.5, 0.25], train_acc=[0.5, 0.75])
    assert str(h).splitlines() == ["epoch    loss     acc",
                                   "    1  0.5000  50.00%",
                                   "    2  0.2500  75.00%"]
    # 轮 is two columns wide on screen, 损失 four, 准确率 six: the numbers line up under them
    assert h.table(lang="zh").splitlines() == ["轮    损失  准确率",
                                               " 1  0.5000  50.00%",
                                               " 2  0.2500  75.00%"]
    no_classes = History(train_loss=[-0.00001], train_acc=[float("nan")])
    assert str(no_classes).splitlines()[1] == "    1  0.0000  nan"  # never -0.0000


def test_divergence_advice_in_chinese():
    X, y = make_moons(100, noise=0.1, signed=True)
    model = MLP(2, [16, 16, 1], seed=1)
    with pytest.raises(TrainingDiverged) as info:
        fit(model, X, y, loss="mse", lr=100, epochs=5, batch_size=20, progress=False)
    e = info.value
    assert str(e).startswith(f"training diverged at step {e.step} ")  # English for programmers
    zh = localize(e, "zh")
    assert zh.startswith(f"训练发散了，在第 {e.step} 步（第 ")
    assert "学习率 η 为 100。" in zh
    assert "试试 lr=10（学习率 η 降低到十分之一），或者裁剪梯度（clip=1.0）" in zh


def test_the_loss_root_is_named_L_in_every_view():
    from engine import Value
    from nn import cross_entropy, hinge, mse
    from viz import steps_table

    model = MLP(2, [2, 1], seed=0)
    scores = [model([0.5, -1.0]), model([1.0, 2.0])]
    for loss in (mse(scores, [1.0, -1.0]), hinge(scores, [1.0, -1.0]),
                 mse(scores, [1.0, -1.0], reduction="sum")):
        assert loss.label == "L"
    two = [[Value(0.1, label="a"), Value(0.2, label="b")]]
    assert cross_entropy(two, [1]).label == "L"
    assert all(not t.label for t in mse(scores, [1.0, -1.0], reduction="none"))
    table = steps_table(mse(scores, [1.0, -1.0]), lang="en").splitlines()
    assert "dL/dL = 1 seeds the pass. Rules:" in table


def test_history_plot_in_chinese_has_every_glyph(tmp_path):
    import warnings

    h = History(train_loss=[0.5, 0.25], train_acc=[0.5, 0.75], val_loss=[0.6, 0.3],
                val_acc=[0.5, 0.5], grad_norm={"L1": [1.0, 0.5]})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = h.plot(tmp_path / "h.png", lang="zh")
    assert [ax.get_ylabel() for ax in fig.axes] == ["损失", "准确率", "梯度范数"]
    assert fig.axes[0].get_xlabel() == "轮"
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["训练", "验证"]
    assert not [w for w in caught if "missing from" in str(w.message)]  # no tofu boxes
    assert (tmp_path / "h.png").read_bytes()[:4] == b"\x89PNG"
    assert [ax.get_ylabel() for ax in h.plot(lang="en").axes] == ["loss", "accuracy",
                                                                   "gradient norm"]
