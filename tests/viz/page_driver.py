"""Driving the lesson page in real headless Chromium: one browser per test module, and what a
person sees read back from the page (cell texts, captions), never from our own data."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]

# The texts of every value node of the SVG, keyed by the name shown in its first cell.
CELLS_JS = """() => {
  const out = {};
  document.querySelectorAll('#diagram g.node.value').forEach(g => {
    const texts = [...g.querySelectorAll('text')].map(t => t.textContent);
    out[texts[0]] = texts;
  });
  return out;
}"""

# The page's own numbers: every node's value and gradient after the full backward pass.
STATE_JS = """() => {
  const result = page.state();
  return page.nodes.map((n, i) => [n.name, result.data[i], result.grad[i]]);
}"""


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def open_page(browser, path: Path, fragment: str = "", viewport=(1280, 720)):
    """A new tab on the page, recording page errors, dialogs and every request it makes."""
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    page.errors, page.requests, page.dialogs = [], [], []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri() + fragment)
    return page


def close_clean(page, path: Path) -> None:
    """No page error, no dialog, no request but the file itself; then close the tab."""
    assert page.errors == []
    assert page.dialogs == []
    assert [r.split("#")[0] for r in page.requests] == [path.as_uri()]
    page.close()


def show_panel(page) -> None:
    """Open the side panel (leaves, update step, paths) if the page started without it: a graph
    that does not fit beside it at 14 px opens with the picture alone."""
    if page.evaluate("document.body.classList.contains('no-panel')"):
        page.locator("#panel").click()


# The smallest text a class sees: every element with text of its own that is rendered and
# inside the window, its font size in CSS pixels times the SVG's scale (1 outside pictures).
SMALLEST_TEXT_JS = """() => {
  let small = [1e9, ''];
  const seen = (e) => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 &&
      r.left < innerWidth && r.top < innerHeight && !e.closest('[hidden], .sr-only');
  };
  document.querySelectorAll('body *').forEach(e => {
    const own = [...e.childNodes].some(n => n.nodeType === 3 && n.data.trim());
    if (!own || !seen(e) || getComputedStyle(e).visibility === 'hidden') { return; }
    let px = parseFloat(getComputedStyle(e).fontSize);
    if (e.ownerSVGElement) { px *= e.ownerSVGElement.getScreenCTM().a; }
    if (px < small[0]) { small = [px, e.textContent.trim()]; }
  });
  return small;
}"""


def wait_until(page, expression: str, timeout: float = 20.0) -> None:
    """Poll ``expression`` through ``page.evaluate`` until it is true. Playwright's own
    ``wait_for_function`` with a string polls through eval inside the page, which our pages'
    Content-Security-Policy forbids once it starts polling: it failed now and then, under load."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout:g} s for {expression!r}")
        page.wait_for_timeout(50)
