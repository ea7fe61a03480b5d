"""Diagrams in a notebook fit the cell: the HTML Jupyter shows scales the SVG down to the cell's
width (never up past its natural size), keeps its proportions and has no scrollbar. Checked in
Chromium, in an output area as narrow as a laptop's notebook column and in a wide one.

(By hand, in JupyterLab 4.6: the tour run live, and a saved notebook reopened untrusted, whose
sanitizer strips inline <svg> but keeps the image; both show the diagram at the cell's width.)"""

import base64
import re

import pytest

from engine import Value
from tests.viz import page_driver
from viz import draw
from viz.render import HTML_MIME, SVG_MIME, fit_to_width

browser = page_driver.browser  # the shared headless Chromium fixture, one per module

def wide_graph():
    """A chain of 10 additions: a diagram far wider than a notebook cell."""
    total = Value(0.5, label="a0")
    for k in range(1, 11):
        total = total + Value(k / 4, label=f"a{k}")
    total.label = "f"
    total.backward()
    return draw(total)


@pytest.fixture(scope="module")
def bundle():
    return wide_graph()._repr_mimebundle_()


def svg_root(svg: str) -> str:
    return re.search(r"<svg\b[^>]*>", svg).group(0)


def embedded_svg(html: str) -> str:
    return base64.b64decode(re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', html)[1]
                            ).decode("utf-8")


def view_box_ratio(svg: str) -> float:
    _x, _y, w, h = map(float, re.search(r'viewBox="([^"]+)"', svg)[1].split())
    return h / w


def test_the_bundle_has_the_svg_and_html_that_fits_the_cell(bundle):
    assert set(bundle) == {SVG_MIME, HTML_MIME}
    html = bundle[HTML_MIME]
    natural = re.search(r'width="([0-9.]+)pt"', svg_root(bundle[SVG_MIME])).group(1)
    # The picture itself, unchanged, as an image (sanitizers of untrusted notebooks keep
    # images and strip inline <svg> elements).
    assert html.startswith("<img ") and "<svg" not in html
    assert embedded_svg(html) == bundle[SVG_MIME]
    assert f'style="display: block; width: 100%; max-width: {natural}pt; height: auto"' in html
    # The numbers a class reads are in it: f = 0.5 + 0.25 + ... + 2.5 = 14.25.
    assert "14.25" in embedded_svg(html)


def test_include_and_exclude_are_respected():
    diagram = wide_graph()
    assert set(diagram._repr_mimebundle_(include=[SVG_MIME])) == {SVG_MIME}
    assert set(diagram._repr_mimebundle_(exclude=[SVG_MIME])) == {HTML_MIME}
    assert diagram._repr_html_() == diagram._repr_mimebundle_()[HTML_MIME]


def test_an_svg_without_a_viewbox_is_left_at_its_size_inside_a_scroll_box():
    svg = '<svg width="10pt" height="5pt"><g/></svg>'
    data = base64.b64encode(svg.encode()).decode()
    assert fit_to_width(svg) == ('<div style="max-width: 100%; overflow-x: auto"><img '
                                 f'src="data:image/svg+xml;base64,{data}" '
                                 'alt="gategrad diagram"></div>')


MEASURE = """(id) => {
  const box = document.getElementById(id);
  const r = box.querySelector("svg, img").getBoundingClientRect();
  return {box: box.clientWidth, scroll: box.scrollWidth, w: r.width, h: r.height};
}"""


def cell(id_: str, width: int, html: str) -> str:
    # Like JupyterLab's output area: a block of the cell's width that scrolls what overflows.
    return (f'<div id="{id_}" style="width: {width}px; overflow-x: auto; padding: 0">'
            f'{html}</div>')


def test_in_chromium_the_diagram_fits_a_narrow_cell_and_keeps_its_size_in_a_wide_one(
        browser, bundle, tmp_path):
    natural_px = float(re.search(r'width="([0-9.]+)pt"', bundle[SVG_MIME]).group(1)) * 4 / 3
    assert natural_px > 900  # the point of the test: wider than the narrow cell
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_content("<!DOCTYPE html><body style='margin: 8px'>"
                     + cell("narrow", 600, bundle[HTML_MIME])
                     + cell("wide", 3000, bundle[HTML_MIME])
                     + cell("raw", 600, svg_root(bundle[SVG_MIME]) + "</svg>")
                     + "</body>")
    page.wait_for_function("[...document.images].every(i => i.complete)")
    narrow, wide = page.evaluate(MEASURE, "narrow"), page.evaluate(MEASURE, "wide")
    raw = page.evaluate(MEASURE, "raw")
    page.screenshot(path=str(tmp_path / "notebook-cells.png"), full_page=True)
    page.close()
    ratio = view_box_ratio(bundle[SVG_MIME])
    # Narrow: shrunk to the cell, no horizontal scrollbar, proportions kept.
    assert narrow["w"] == pytest.approx(600, abs=1) and narrow["scroll"] <= narrow["box"]
    assert narrow["h"] / narrow["w"] == pytest.approx(ratio, rel=0.02)
    # Wide: its natural size, not blown up.
    assert wide["w"] == pytest.approx(natural_px, abs=1)
    assert wide["h"] / wide["w"] == pytest.approx(ratio, rel=0.02)
    # The plain SVG, as a notebook without this would show it, overflows with a scrollbar.
    assert raw["scroll"] > raw["box"] + 100
