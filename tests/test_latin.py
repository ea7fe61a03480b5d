"""The Latin-word sweep itself: what it strips, what it finds (hand-typed texts)."""

import pytest

from tests.latin import assert_no_latin, latin_words


@pytest.mark.parametrize("text", [
    "反向传播第 4 步（共 5 步）：s1 处的乘法门",
    "dL/dw0 += dL/ds0 · ∂s0/∂w0 = 0.20 × (-1.00) = -0.20",
    "层 L1 的神经元 L1.N3，误差项 δ = -0.11",
    "用法：gategrad steps [-h] [--set NAME=VALUE ...] expression",
    "运行 `make demo`，然后打开 out/steps.html 或 https://example.org/a?b=c",
    "sigmoid 的导数 z(1 − z)，只由输出 z 求得；ReLU 门",
    "model.deltas() 和 zero_grad(root) 都是代码；x=3 y=-2",
    "指数门：exp(a)；对数门：log(a)；PyTorch 的 torch.maximum",
    "请安装 fonts-noto-cjk（sudo apt-get install fonts-noto-cjk）",
    "参数 --rankdir：无效的选择：'QQ'（可选：'LR', 'TB'）",
    "用法：gategrad draw [--lang {en,zh}]；每个命令都接受 --lang en|zh",
    "写出 .svg、.png、.pdf 或 .dot；LaTeX 的 align* 环境",
    "训练经批量重放完成（fit(..., batched=True)）；试试 lr=1；错误对象的 .history 保存了各轮",
    "scikit-learn 的 8x8 手写数字；相同的 Xavier 初始化",
])
def test_what_stays_as_it_is_is_stripped(text):
    assert latin_words(text) == []


@pytest.mark.parametrize("text, left", [
    ("s0 处的 mul 门", ["mul"]),
    ("值 0.73 | grad 0.20", ["grad"]),
    ("# mul swaps: each input receives", ["mul", "swaps", "each", "input", "receives"]),
    ("用法：gategrad steps\n错误：the following arguments are required: expression",
     ["the", "following", "arguments", "are", "required", "expression"]),
    ("gategrad steps: error: unrecognized arguments: --sett",
     ["error", "unrecognized", "arguments"]),
    ("layer L1", ["layer"]),
    ("backward twice 得到两倍", ["backward", "twice"]),
    ("log 门：输入必须 > 0；得到 a = -1.0 (node 'x')", ["node"]),
])
def test_english_words_are_found(text, left):
    assert latin_words(text) == left


def test_a_graphs_own_labels_may_be_named():
    assert latin_words("price 处的乘法门") == ["price"]
    assert latin_words("price 处的乘法门", identifiers={"price"}) == []


def test_the_assertion_names_the_word_and_its_place():
    with pytest.raises(AssertionError, match=r"'twice'.*backward twice"):
        assert_no_latin("再做一次 backward twice 得到两倍", "a demo")
