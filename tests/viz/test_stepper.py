"""The lesson page on the CS231n example, driven in real headless Chromium, and the frames.

Numbers worked out by hand: f = sigmoid(w0*x0 + w1*x1 + w2) at w0=2, x0=-1, w1=-3, x1=-2,
w2=-3; s3 = 1, f = 0.73, df/ds3 = f(1 - f) = 0.20 (0.19661193...), df/dx0 = w0 * 0.1966 = 0.39.
"""

from __future__ import annotations

import re

import pytest

from engine import Value
from tests.examples import cs231n
from tests.viz import svg
from tests.viz.page_driver import CELLS_JS, browser, close_clean, open_page  # noqa: F401
from viz import GraphvizNotFound, export_frames, frames, stepper

# The captions of all 12 positions, by hand: forward 0..5 then backward 0..5.
TITLES = [
    "Forward pass · 5 gates",
    "Forward step 1 of 5: mul gate → s0",
    "Forward step 2 of 5: mul gate → s1",
    "Forward step 3 of 5: add gate → s2",
    "Forward step 4 of 5: add gate → s3",
    "Forward step 5 of 5: sigmoid gate → f",
    "Backward pass · 5 gates",
    "Backward step 1 of 5: sigmoid gate at f",
    "Backward step 2 of 5: add gate at s3",
    "Backward step 3 of 5: add gate at s2",
    "Backward step 4 of 5: mul gate at s1",
    "Backward step 5 of 5: mul gate at s0",
]
STEP3_LINES = ["df/ds0 += df/ds2 · ∂s2/∂s0 = 0.20 × 1.00 = 0.20",
               "df/ds1 += df/ds2 · ∂s2/∂s1 = 0.20 × 1.00 = 0.20"]
STEP5_LINES = ["df/dw0 += df/ds0 · ∂s0/∂w0 = 0.20 × (-1.00) = -0.20",
               "df/dx0 += df/ds0 · ∂s0/∂x0 = 0.20 × 2.00 = 0.39"]


@pytest.fixture(scope="module")
def page_file(tmp_path_factory):
    f, _ = cs231n()
    return stepper(f, tmp_path_factory.mktemp("stepper") / "steps.html")


@pytest.fixture
def page(browser, page_file):  # noqa: F811
    page = open_page(browser, page_file)
    yield page
    close_clean(page, page_file)


def test_frames_and_captions_by_hand():
    f, _ = cs231n()
    got = frames(f)
    assert [fr.title for fr in got] == TITLES
    assert list(got[9].lines) == STEP3_LINES
    assert got[9].rule.startswith("add distributes")
    assert list(got[11].lines) == STEP5_LINES
    assert got[1].lines == ("s0 = w0 * x0 = 2.00 * (-1.00) = -2.00",)
    assert got[6].lines == ("df/df = 1",)
    assert [fr.title for fr in frames(f, phases=["backward"])] == TITLES[6:]
    with pytest.raises(ValueError, match="phases"):
        frames(f, phases=["sideways"])


def test_the_page_is_one_light_file_with_nothing_to_fetch(page_file):
    page = page_file.read_text(encoding="utf-8")
    assert page.count("<svg") == 1  # one picture, not one per frame
    # One light file (the old per-frame stepper wrote 209 KB): the picture, the data with both
    # languages' words, the generated tables (grading rule, misconceptions, refusals, captions)
    # and the scripts, about 78 KB in all.
    assert len(page.encode("utf-8")) <= 85_000
    # nothing that a browser would load: no src/href attributes, no url(), no @import
    assert not re.search(r"""\s(src|href|xlink:href)\s*=""", page)
    assert "url(" not in page and "@import" not in page
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert csp.startswith("default-src 'none'; script-src 'sha256-")
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))


def test_the_stepper_leaves_the_graph_alone(tmp_path):
    f, n = cs231n()
    f.backward()
    before = {k: v.grad for k, v in n.items()}
    stepper(f, tmp_path / "s.html")
    assert {k: v.grad for k, v in n.items()} == before


def test_without_a_path_a_notebook_object(tmp_path):
    f, _ = cs231n()
    shown = stepper(f)
    inline = shown._repr_html_()
    assert inline.startswith("<iframe srcdoc=\"&lt;!DOCTYPE html&gt;")
    assert 'sandbox="allow-scripts"' in inline and "<script" not in inline
    assert shown.save(tmp_path / "x" / "p.html").read_text(encoding="utf-8") == shown.html


def test_export_frames_for_slides(tmp_path):
    f, _ = cs231n()
    written = export_frames(f, tmp_path / "svg")
    assert [p.name for p in written] == [
        f"{k + 1:03d}-{phase}-{i}.svg" for k, (phase, i) in enumerate(
            [("forward", i) for i in range(6)] + [("backward", i) for i in range(6)])]
    shown = svg.by_label(written[9].read_text(encoding="utf-8"))  # backward step 3
    assert shown["s2"].texts[2] == "grad 0.20" and shown["w0"].texts[2] == "grad"
    captions = (tmp_path / "svg" / "captions.txt").read_text(encoding="utf-8")
    assert "010-backward-3.svg  Backward step 3 of 5: add gate at s2" in captions
    assert STEP3_LINES[0] in captions
    pngs = export_frames(f, tmp_path / "png", fmt="png", phases=["backward"])
    assert len(pngs) == 6 and all(p.read_bytes()[:4] == b"\x89PNG" for p in pngs)
    with pytest.raises(ValueError, match="fmt"):
        export_frames(f, tmp_path / "x", fmt="gif")


def test_export_dot_frames_needs_no_renderer(tmp_path, monkeypatch):
    (tmp_path / "bin").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))  # no dot on PATH
    monkeypatch.setenv("GATEGRAD_RENDERER", "dot")
    f, _ = cs231n()
    written = export_frames(f, tmp_path / "frames", fmt="dot")
    assert len(written) == 12 and "digraph" in written[0].read_text(encoding="utf-8")
    with pytest.raises(GraphvizNotFound, match="apt-get install graphviz"):
        stepper(f, tmp_path / "s.html")


# -- in the browser -----------------------------------------------------------------------------


def caption(page) -> tuple[str, str, list[str]]:
    return (page.locator("#title").inner_text(), page.locator("#counter").inner_text(),
            page.locator("#lines").inner_text().splitlines())


def current_gate(page) -> str | None:
    """The symbol in the amber gate and the name of the value it makes, read from the SVG."""
    hot = page.locator("#diagram g.gate.current")
    if hot.count() == 0:
        return None
    assert hot.count() == 1
    return hot.locator("text").text_content()


@pytest.mark.browser
def test_arrow_keys_step_through_forward_then_backward(page):
    assert caption(page)[:2] == (TITLES[0], "1 / 12")
    assert caption(page)[2] == ["w0 = 2.00, x0 = -1.00, w1 = -3.00, x1 = -2.00, w2 = -3.00"]
    assert current_gate(page) is None
    cells = page.evaluate(CELLS_JS)
    assert cells["s0"][1:] == ["data", "grad"] and cells["w0"][1:] == ["data 2.00", "grad"]
    page.keyboard.press("ArrowRight")
    assert caption(page) == (TITLES[1], "2 / 12", ["s0 = w0 * x0 = 2.00 * (-1.00) = -2.00"])
    assert current_gate(page) == "×"
    assert page.evaluate(CELLS_JS)["s0"][1] == "data -2.00"
    for _ in range(8):
        page.keyboard.press("ArrowRight")
    assert caption(page) == (TITLES[9], "10 / 12", STEP3_LINES)
    assert page.locator("#rule").inner_text().startswith("add distributes")
    cells = page.evaluate(CELLS_JS)
    assert cells["s0"][2] == "grad 0.20" and cells["w0"][2] == "grad"
    assert cells["s3"][2] == "grad 0.20" and cells["f"][2] == "grad 1.00"
    page.keyboard.press("ArrowLeft")
    assert caption(page)[0] == TITLES[8] and current_gate(page) == "+"
    page.keyboard.press("End")
    assert caption(page) == (TITLES[11], "12 / 12", STEP5_LINES)
    assert page.evaluate(CELLS_JS)["w0"][2] == "grad -0.20"
    page.keyboard.press("ArrowRight")  # past the end: stays
    assert caption(page)[1] == "12 / 12"
    page.keyboard.press("PageUp")
    assert caption(page)[0] == TITLES[10]
    page.keyboard.press("Home")
    assert caption(page)[:2] == (TITLES[0], "1 / 12")
    page.keyboard.press("PageDown")
    assert caption(page)[0] == TITLES[1]


@pytest.mark.browser
def test_buttons_slider_and_the_url(page, browser, page_file):  # noqa: F811
    assert page.locator("#prev").is_disabled()
    page.locator("#next").click()
    page.locator("#next").click()
    assert caption(page)[0] == TITLES[2]
    page.locator("#prev").click()
    assert caption(page)[0] == TITLES[1]
    page.locator("#slider").fill("7")
    assert caption(page)[:2] == (TITLES[7], "8 / 12") and current_gate(page) == "sigmoid"
    assert page.evaluate("location.hash") == "#step=8"
    page.keyboard.press("End")
    assert page.locator("#next").is_disabled()
    other = open_page(browser, page_file, "#step=10")
    assert caption(other)[0] == TITLES[9]
    close_clean(other, page_file)


@pytest.mark.browser
def test_a_fork_shows_the_running_total(browser, tmp_path):  # noqa: F811
    x = Value(3.0, label="x")
    f = x * x + x
    path = stepper(f, tmp_path / "fork.html")
    page = open_page(browser, path, "#step=5")  # forward 0..2, backward 0, 1
    assert caption(page)[0] == "Backward step 1 of 2: add gate at f"
    assert "dx = 0.00 + 1.00 = 1.00" not in "\n".join(caption(page)[2])
    page.keyboard.press("ArrowRight")
    lines = caption(page)[2]
    assert lines == ["df/dx += df/ds0 · ∂s0/∂x = 1.00 × 3.00 = 3.00",
                     "df/dx = 1.00 + 3.00 = 4.00",
                     "df/dx += df/ds0 · ∂s0/∂x = 1.00 × 3.00 = 3.00",
                     "df/dx = 4.00 + 3.00 = 7.00"]
    assert page.evaluate(CELLS_JS)["x"][2] == "grad 7.00"
    close_clean(page, path)


def test_the_gate_view_gives_its_parts_for_another_page_to_embed():
    """viz.lesson opens one neuron's gates in the gate view: gate_view(root) gives the parts."""
    import json

    import nn
    from viz.page import gate_view
    from viz.page.assemble import sha256
    from viz.page.build import _asset, _compact, _json_for_script, _sha256  # noqa: F401

    neuron = nn.Neuron(2, "tanh", seed=1)
    a = neuron([0.5, -1.0])
    parts = gate_view(a, lang="zh")
    assert (parts.lang, parts.title) == ("zh", "gategrad：逐步计算 a")
    assert parts.body.count("<svg") == 1 and 'id="gg-data"' not in parts.body
    assert [n["name"] for n in parts.data["nodes"] if n["leaf"]] == ["b", "w1", "x1", "w2", "x2"]
    assert parts.data["params"] and parts.script.endswith("page.start();\n")
    assert f"'{sha256(parts.script)}'" in parts.csp() and "unsafe-inline" not in parts.csp()
    page = parts.html()
    data = page.split('id="gg-data">')[1].split("</script>")[0]
    assert json.loads(data) == parts.data
    assert _compact("a\n  // x\n  b\n") == "a\nb"  # the names viz.lesson imported stay
