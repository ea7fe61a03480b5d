"""The lesson page as a class uses it, in real headless Chromium at a projector's 1280x720:
offline and locked down (CSP by hashes, no request, user text escaped), keyboard and mouse,
both languages, bad settings refused, and no text a class must read under 14 px for the moons,
the 8x8 digits and the notes' 784-64-32-10 network (64 samples from MNIST files the test writes).
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import numpy as np
import pytest

import nn
import viz
from tests.latin import assert_no_latin
from tests.nn.idx import synthetic_digits, write_mnist
from tests.viz.page_driver import browser, close_clean, open_page, wait_until  # noqa: F401
from viz.lesson.words import WORDS

pytestmark = pytest.mark.browser
HERE = Path(viz.__file__).parent / "lesson"

# The font size of every visible text a class reads (screen-reader-only text aside), and the
# smallest, with an example of where it is.
SMALLEST_JS = """() => {
  let small = {size: 1e9, text: ''};
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, e = node.parentElement;
    if (!node.textContent.trim() || e.closest('.sr-only, script, style, [hidden]')) continue;
    const rects = [...e.getClientRects()].filter(r => r.width > 0 && r.height > 0 &&
      r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth);
    if (!rects.length || getComputedStyle(e).visibility === 'hidden') continue;
    const size = parseFloat(getComputedStyle(e).fontSize);
    if (size < small.size) small = {size: size, text: node.textContent.trim().slice(0, 40)};
  }
  return small;
}"""


def test_every_word_the_scripts_use_is_in_the_catalogue_list():
    used = set()
    for name in ("layers.js", "ui.js", "train.js", "plan.js", "mt.js"):
        used |= set(re.findall(r'\b[TM]\("((?:[^"\\]|\\.)*)"', (HERE / name).read_text()))
    used |= set(re.findall(r'data-t[ta]?="([^"]*)"', (HERE / "lesson.html").read_text()))
    assert used, "the scan found nothing"
    missing = sorted(used - set(WORDS))
    assert not missing, missing


def moons_page(tmp_path: Path, **kw) -> Path:
    X, y = nn.make_moons(80, noise=0.1, seed=0)
    (Xt, yt), (Xv, yv) = nn.split(X, y, 0.2, seed=0)
    settings = dict(loss="bce", val=(Xv, yv), lr=0.5, batch_size=16, epochs=2)
    settings.update(kw)
    return viz.lesson(nn.MLP(2, [16, 16, 1], seed=1), Xt, yt, tmp_path / "moons.html", **settings)


def test_one_offline_file_locked_down_by_hashes(browser, tmp_path):  # noqa: F811
    path = moons_page(tmp_path, title="</script><b>& 'moons'")
    text = path.read_text(encoding="utf-8")
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', text).group(1)
    assert "unsafe" not in csp and csp.startswith("default-src 'none'")
    script = re.search(r"<script>(.*)</script>", text, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp
    assert text.count("<script") == 2 and "</script><b>" not in text
    assert "&lt;/script&gt;&lt;b&gt;&amp;" in text
    page = open_page(browser, path)
    assert page.title() == "</script><b>& 'moons'"  # shown as text, never as markup
    assert page.evaluate("gategrad.train({epochs: 1})")["epoch"] == 1
    close_clean(page, path)  # no request but the file, no error, no dialog


def test_keyboard_mouse_and_both_languages(browser, tmp_path):  # noqa: F811
    path = moons_page(tmp_path)
    page = open_page(browser, path)
    title = page.locator("#title")
    assert title.inner_text().startswith("The batch: 16 samples")
    page.keyboard.press("ArrowRight")
    assert title.inner_text().startswith("Forward, layer 1")
    assert "Z₁ = X @ W₁ + b₁" in page.locator("#equation").inner_text()
    for _ in range(20):
        page.keyboard.press("ArrowRight")
    assert title.inner_text() == "Backward, layer 1: the gradients of W and b"
    # a cell of ∂L/∂W₂ clicked: its sum over the samples, equal to the gradient shown
    page.locator(".mat", has_text="∂L/∂W₂").locator("canvas").click(position={"x": 1, "y": 1})
    bridge = page.locator("#bridge").inner_text()
    assert "∂L/∂W₂[1, 1] = ∂L/∂L2.N1.w1" in bridge and bridge.count("·") >= 16
    got = page.evaluate("gategrad.matrix('dW', 2)[0][0]")
    assert page.evaluate("gategrad.bridge(2, 0, 0).total") == got
    # focus shows a number: the readout names the cell and its value
    page.locator(".mat", has_text="W₁").first.locator("canvas").focus()
    page.keyboard.press("ArrowRight")
    value = page.evaluate("gategrad.matrix('W', 1)[0][1]")
    assert page.locator("#readout").inner_text().startswith("W₁[1, 2] = ")
    assert abs(float(page.locator("#readout").inner_text().split("= ")[1]) - value) < 1e-4
    # S steps one batch; Space plays the page's epochs (2), then it pauses by itself
    page.locator("body").click(position={"x": 700, "y": 700})
    page.keyboard.press("s")
    assert page.evaluate("gategrad.metrics().step") == 1
    page.keyboard.press(" ")
    wait_until(page, "gategrad.metrics().epoch >= 2")
    page.wait_for_timeout(300)
    assert page.evaluate("gategrad.metrics().epoch") == 2
    assert page.locator("#play").inner_text() == "▶ Play"
    page.locator("#lang").click()
    assert page.locator("#play").inner_text() == "▶ 播放"
    assert page.locator("#title").inner_text().startswith("反向")
    close_clean(page, path)


def test_bad_settings_are_refused_and_reset_restores_the_start(browser, tmp_path):  # noqa: F811
    path = moons_page(tmp_path)
    page = open_page(browser, path)
    start = page.evaluate("gategrad.parameters()")
    page.locator("#lr").fill("-1")
    page.locator("#lr").dispatch_event("change")
    assert "must be a positive number, got -1" in page.locator("#alert").inner_text()
    page.evaluate("gategrad.train({epochs: 1})")
    assert page.evaluate("gategrad.metrics().error") is None  # trained with the old rate
    assert page.evaluate("gategrad.parameters()") != start
    page.locator("#reset").click()
    assert page.evaluate("gategrad.parameters()") == start
    assert page.evaluate("gategrad.metrics()")["step"] == 0
    close_clean(page, path)


def digits_page(tmp_path: Path) -> Path:
    from sklearn.datasets import load_digits

    digits = load_digits()
    X, y = digits.data[:400] / 16.0, digits.target[:400]
    return viz.lesson(nn.MLP(64, [32, 10], init="he", seed=0), X[:320], y[:320],
                      tmp_path / "digits.html", loss="cross_entropy", val=(X[320:], y[320:]),
                      lr=0.5, batch_size=32)


def mnist_page(tmp_path: Path) -> Path:
    folder = write_mnist(tmp_path / "mnist", synthetic_digits(64, seed=1),
                         synthetic_digits(16, seed=2), gz=True)
    data = nn.load_mnist(folder)
    return viz.lesson(nn.MLP(784, [64, 32, 10], init="he", seed=0), data.X_train,
                      data.y_train, tmp_path / "mnist.html", loss="cross_entropy",
                      val=(data.X_test, data.y_test), lr=0.1, batch_size=64)


@pytest.mark.parametrize("build, position", [(moons_page, 0), (digits_page, 4),
                                             (mnist_page, 8), (mnist_page, 3), (mnist_page, 7)])
def test_no_text_a_class_reads_is_under_14px(browser, tmp_path, build, position):  # noqa: F811
    path = build(tmp_path)
    page = open_page(browser, path, f"#step={position}")
    page.evaluate("gategrad.train({epochs: 1})")
    smallest = page.evaluate(SMALLEST_JS)
    assert smallest["size"] >= 14, smallest
    # a caption of several lines pushes the controls down; it never runs under them (before:
    # its box shrank and its last line ran under the Prev and Next buttons)
    caption = page.evaluate("(e => [e.scrollHeight, e.clientHeight])(document.getElementById("
                            "'caption'))")
    assert caption[0] <= caption[1], caption
    assert "+ -" not in page.locator("#caption").inner_text()  # "+ (-0.28)·0.01", as written
    page.screenshot(path=str(tmp_path / f"{path.stem}-{position}.png"))
    assert page.evaluate("gategrad.metrics().error") is None
    close_clean(page, path)


def test_the_notes_network_page_is_small_enough(tmp_path):
    path = mnist_page(tmp_path)
    assert path.stat().st_size <= 2_000_000


def test_bad_arguments_name_the_setting(tmp_path):
    X, y = nn.make_moons(10, seed=0)
    model = nn.MLP(2, [3, 1], seed=0)
    with pytest.raises(ValueError, match="lr must be a positive number"):
        viz.lesson(model, X, y, tmp_path / "x.html", loss="bce", lr=0)
    with pytest.raises(ValueError, match="seed must be an integer"):
        viz.lesson(model, X, y, tmp_path / "x.html", loss="bce", seed=None)
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        viz.lesson(model, X, y, tmp_path / "x.html", loss="bce", batch_size=0)
    with pytest.raises(ValueError, match="needs labels 0 or 1"):
        viz.lesson(model, X, np.full(10, 3.0), tmp_path / "x.html", loss="bce")
    with pytest.raises(TypeError, match="needs an nn.MLP or nn.Layer"):
        viz.lesson(nn.Neuron(2), X, y, tmp_path / "x.html", loss="bce")
    assert not (tmp_path / "x.html").exists()


def test_a_neuron_opens_in_the_gate_view_with_the_current_numbers(browser, tmp_path):  # noqa: F811
    path = moons_page(tmp_path)
    page = open_page(browser, path, "#step=2")
    page.evaluate("gategrad.train({epochs: 1})")
    page.evaluate("gategrad.select({l: 2, j: 3, n: 1})")
    assert page.locator("#gates-open").inner_text() == "Gates of L2.N4, sample 2"
    page.locator("#gates-open").click()
    wait_until(page, "(() => { const G = document.getElementById('gates-frame')"
                     ".contentWindow.page; return G && G.position() > 0; })()")
    got = page.evaluate("""() => {
        const G = document.getElementById('gates-frame').contentWindow.page, out = {};
        const S = G.state();
        G.nodes.forEach((n, i) => { out[n.name] = [S.data[i], S.grad[i]]; });
        return out;
    }""")
    Z, A = page.evaluate("[gategrad.matrix('Z', 2)[1][3], gategrad.matrix('A', 2)[1][3]]")
    A1, W2 = page.evaluate("[gategrad.matrix('A', 1)[1], gategrad.matrix('W', 2)]")
    assert got["s"][0] == pytest.approx(Z, rel=1e-12, abs=1e-15) and got["a"][0] == A
    slope = got["s"][1]  # d a / d s: relu's local derivative at s
    for k in range(16):  # the sample's inputs and the neuron's weights were written in
        assert got[f"x{k + 1}"][0] == A1[k] and got[f"w{k + 1}"][0] == W2[k][3]
        assert got[f"w{k + 1}"][1] == pytest.approx(slope * A1[k], abs=1e-15)
    page.keyboard.press("Escape")  # the focus is in the gate view: it closes from there too
    assert page.locator("#gates").is_hidden()
    close_clean(page, path)


FRAME_TEXT = "document.getElementById('gates-frame').contentDocument.body.innerText"


def test_the_gate_view_speaks_the_language_of_the_page(browser, tmp_path):  # noqa: F811
    """One language switch, the page's: the gate view's title and note and the gate page inside
    are said again in Chinese (before: they stayed English, the inner page had its own switch)."""
    path = moons_page(tmp_path)
    page = open_page(browser, path, "#step=2")
    page.evaluate("gategrad.select({l: 2, j: 3, n: 1})")
    page.locator("#gates-open").click()
    wait_until(page, "(() => { const G = document.getElementById('gates-frame')"
                     ".contentWindow.page; return G && G.position() > 0; })()")
    assert page.evaluate("document.getElementById('gates-frame').contentDocument"
                         ".getElementById('lang').hidden")
    english = page.evaluate(FRAME_TEXT)
    assert "L2: one neuron's gates" in english
    page.locator("#lang").click()
    assert page.locator("#gates-title").inner_text() == "L2.N4 的门，样本 2"
    chinese = page.evaluate(FRAME_TEXT)
    assert "L2：一个神经元的门" in chinese
    frame_labels = {f"x{k}" for k in range(1, 17)} | {f"w{k}" for k in range(1, 17)}
    assert_no_latin(page.locator("#gates-note").inner_text() + "\n" + chinese,
                    "the gate view after the switch", identifiers=frame_labels | {"L2", "N4"})
    page.locator("#lang").click()
    assert page.evaluate(FRAME_TEXT) == english
    close_clean(page, path)


def test_a_neuron_with_784_inputs_is_not_drawn_gate_by_gate(browser, tmp_path):  # noqa: F811
    path = mnist_page(tmp_path)
    page = open_page(browser, path)
    page.evaluate("gategrad.select({l: 1, j: 0, n: 0})")
    button = page.locator("#gates-open")
    assert button.is_disabled()
    assert "L1.N1 has 784 inputs: its 1569 gates read better" in button.get_attribute("title")
    page.evaluate("gategrad.select({l: 3, j: 2, n: 0})")
    assert button.is_enabled() and button.inner_text() == "Gates of L3.N3, sample 1"
    close_clean(page, path)


def test_a_tiny_network_starts_gate_by_gate_and_switches_to_layers(browser, tmp_path):  # noqa: F811
    X, y = nn.make_moons(12, noise=0.1, seed=0)
    model = nn.MLP(2, [3, 1], seed=4)
    path = viz.lesson(model, X, y, tmp_path / "tiny.html", loss="bce", shuffle=False,
                      batch_size=4)
    page = open_page(browser, path)
    wait_until(page, "(() => { const G = document.getElementById('gates-frame')"
                     ".contentWindow.page; return G && G.position() > 0; })()")
    assert page.locator("#gates-title").inner_text() == "The whole network gate by gate, sample 1"
    got = page.evaluate("""() => {
        const G = document.getElementById('gates-frame').contentWindow.page, S = G.state();
        return [S.data[G.root], G.nodes.filter(n => n.leaf).length];
    }""")
    want = nn.get_loss("bce").sample(model(X[0].tolist()), float(y[0]))
    assert got[0] == pytest.approx(want.data, rel=1e-12)
    page.locator("#gates-close").click()
    assert page.locator("#gates").is_hidden()
    assert page.locator("#whole-open").is_visible()  # the teacher can switch back
    close_clean(page, path)
