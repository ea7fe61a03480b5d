"""The HTML stepper, driven in real headless Chromium, and the frame export.

Numbers are the CS231n example's, worked out by hand: f = sigmoid(w0*x0 + w1*x1 + w2) at
w0=2, x0=-1, w1=-3, x1=-2, w2=-3; s3 = 1, f = 0.73, df/ds3 = f(1 - f) = 0.20.
"""

from __future__ import annotations

import re

import pytest

from engine import Value
from tests.examples import cs231n
from tests.viz import svg
from viz import GraphvizNotFound, export_frames, frames, stepper

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]

# The captions of all 12 frames, by hand: forward 0..5 then backward 0..5.
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
STEP5_LINES = ["df/dw0 += df/ds0 · ∂s0/∂w0 = 0.20 × -1.00 = -0.20",
               "df/dx0 += df/ds0 · ∂s0/∂x0 = 0.20 × 2.00 = 0.39"]


@pytest.fixture(scope="module")
def page_file(tmp_path_factory):
    f, _ = cs231n()
    return stepper(f, tmp_path_factory.mktemp("stepper") / "steps.html")


def test_frames_and_captions_by_hand():
    f, _ = cs231n()
    got = frames(f)
    assert [fr.title for fr in got] == TITLES
    assert list(got[9].lines) == STEP3_LINES
    assert got[9].rule.startswith("add distributes")
    assert list(got[11].lines) == STEP5_LINES
    assert got[1].lines == ("s0 = w0 * x0 = 2.00 * -1.00 = -2.00",)
    assert got[6].lines == ("df/df = 1",)
    assert [fr.title for fr in frames(f, phases=["backward"])] == TITLES[6:]
    with pytest.raises(ValueError, match="phases"):
        frames(f, phases=["sideways"])


def test_the_page_is_one_file_with_nothing_to_fetch(page_file):
    page = page_file.read_text(encoding="utf-8")
    assert page.count('<figure class="frame') == 12
    assert page.count("<svg") == 12
    # nothing that a browser would load: no src/href attributes, no url(), no @import
    assert not re.search(r"""\s(src|href|xlink:href)\s*=""", page)
    assert "url(" not in page and "@import" not in page
    assert "default-src 'none'" in page  # and the page forbids it anyway
    # SVG ids are unique across frames
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))


def test_the_stepper_leaves_the_graph_alone(tmp_path):
    f, n = cs231n()
    f.backward()
    before = {k: v.grad for k, v in n.items()}
    stepper(f, tmp_path / "s.html")
    assert {k: v.grad for k, v in n.items()} == before


def test_too_many_frames_is_a_clear_error(tmp_path):
    x = Value(0.5, label="x")
    out = x
    for _ in range(30):
        out = out * 1.5
    with pytest.raises(ValueError, match=r"62 frames, more than max_frames=40"):
        stepper(out, tmp_path / "s.html", max_frames=40)
    assert not (tmp_path / "s.html").exists()


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


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, page_file):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.errors, page.requests = [], []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("request", lambda r: page.requests.append(r.url))
    page.goto(page_file.as_uri())
    yield page
    assert page.errors == []
    assert page.requests == [page_file.as_uri()]  # the file itself, nothing else
    page.close()


def visible(page):
    """Caption title, counter text, and the SVG of the one frame on show."""
    shown = page.locator("figure.frame:not([hidden])")
    assert shown.count() == 1
    return (shown.locator("h2").inner_text(), page.locator("#counter").inner_text(),
            shown.locator("svg").evaluate("e => e.outerHTML"))


def hot_gate(svg_text):
    """(gate symbol, output label) of the highlighted gate, read from the frame's SVG."""
    (hot,) = svg.current(svg_text)
    out = [t.split("->")[1] for t in svg.edges(svg_text) if t.startswith(f"{hot.name}->")]
    labels = {n.name: n.texts[0] for n in svg.nodes(svg_text) if "value" in n.classes}
    return hot.texts[0], labels[out[0]]


@pytest.mark.browser
def test_arrow_keys_step_through_forward_then_backward(page):
    title, counter, first = visible(page)
    assert (title, counter) == (TITLES[0], "1 / 12")
    assert svg.current(first) == []
    page.keyboard.press("ArrowRight")
    title, counter, shown = visible(page)
    assert (title, counter) == (TITLES[1], "2 / 12")
    assert hot_gate(shown) == ("×", "s0")
    assert svg.by_label(shown)["s0"].texts[1] == "data -2.00"
    for _ in range(8):
        page.keyboard.press("ArrowRight")
    title, counter, shown = visible(page)
    assert (title, counter) == (TITLES[9], "10 / 12")
    assert hot_gate(shown) == ("+", "s2")
    caption = page.locator("figure.frame:not([hidden]) pre.lines").inner_text()
    assert caption.splitlines() == STEP3_LINES
    assert svg.by_label(shown)["s0"].texts[2] == "grad 0.20"
    page.keyboard.press("ArrowLeft")
    title, _, shown = visible(page)
    assert title == TITLES[8] and hot_gate(shown) == ("+", "s3")
    page.keyboard.press("End")
    title, counter, shown = visible(page)
    assert (title, counter) == (TITLES[11], "12 / 12") and hot_gate(shown) == ("×", "s0")
    assert svg.by_label(shown)["w0"].texts[2] == "grad -0.20"
    page.keyboard.press("ArrowRight")  # past the end: stays
    assert visible(page)[1] == "12 / 12"
    page.keyboard.press("Home")
    assert visible(page)[:2] == (TITLES[0], "1 / 12")


@pytest.mark.browser
def test_buttons_and_slider(page):
    assert page.locator("#prev").is_disabled()
    page.locator("#next").click()
    page.locator("#next").click()
    assert visible(page)[0] == TITLES[2]
    page.locator("#prev").click()
    assert visible(page)[0] == TITLES[1]
    page.locator("#slider").fill("7")
    title, counter, shown = visible(page)
    assert (title, counter) == (TITLES[7], "8 / 12") and hot_gate(shown) == ("sigmoid", "f")
    page.keyboard.press("End")
    assert page.locator("#next").is_disabled()


@pytest.mark.browser
def test_a_link_to_a_step_opens_there(browser, page_file):
    page = browser.new_page()
    page.goto(page_file.as_uri() + "#10")
    assert page.locator("figure.frame:not([hidden]) h2").inner_text() == TITLES[9]
    page.close()
