"""The lesson page: one offline HTML file in which a class steps, edits and explores a graph.

``stepper(root, "steps.html")`` writes it (``viz.stepper``, the public entry point);
``build_page(root)`` returns the page as a string; ``Page`` wraps it for notebooks
(``_repr_html_`` shows it inline in an iframe, several per notebook without clashes) and
``Page.save(path)``. ``gate_view(root)`` gives the page's parts (HTML, data, script, style) for
a view that embeds it (the layer view opens one neuron's gates in it).

ONE self-contained file, nothing fetched (a Content-Security-Policy forbids it, allowing only
the page's own script and style by their hashes), so it runs from a USB stick on the classroom
PC. The graph is laid out once by dot; the page computes forward and backward itself from
kernels and tables generated out of Python's (gate table, refusals, caption lines, grading
rule, misconceptions, health rules) and writes the numbers into that one picture.

Reading the page's scripts, file by file (each defines one object of its name):
numbers.js (the number formatter, the one hand-written twin), engine.js (forward and backward),
page.js (the state and its loop), words.js (the language), picture.js (the SVG, the projector's
zoom), captions.js, controls.js (keys, clicker, buttons, #step=k), fields.js (the leaves'
entries and what they refuse), paths.js, update.js (w ← w − η·grad), grading.js and quiz.js,
health.js, handout.js (print), net.js (network mode).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from pathlib import Path

from engine import Value
from words import Text, error

from ..graph import DEFAULT_MAX_NODES
from .build import PageParts, build_page, gate_view


def html_path(path: str | Path) -> Path:
    """``path`` if its name says HTML (.html, .htm), else the error naming the file: p.svg must
    not hold a page."""
    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise error(ValueError, Text("cannot write the page to {path}: it is HTML; name it {name}",
                                     path=str(path), name=path.with_suffix(".html").name))
    return path


class Page:
    """A built lesson page: ``.html`` is the whole file; notebooks show it inline."""

    def __init__(self, text: str, height: int = 720) -> None:
        self.html = text
        self.height = height

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` (folders created; its name must end in .html or .htm);
        returns the path."""
        path = html_path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.html, encoding="utf-8")
        return path

    def _repr_html_(self) -> str:
        # srcdoc keeps the page offline and its script in its own sandboxed document, so
        # several pages in one notebook never share ids or globals.
        return (f'<iframe srcdoc="{html.escape(self.html, quote=True)}" '
                f'sandbox="allow-scripts" width="100%" height="{self.height}" '
                f'style="border: 1px solid #cfd8dc"></iframe>')

    def __repr__(self) -> str:
        return f"<gategrad lesson page, {len(self.html.encode('utf-8')) // 1024} KB>"


def stepper(root: Value, path: str | Path | None = None, *, title: str | Text | None = None,
            digits: int | None = None, lang: str | None = None, rankdir: str = "LR",
            collapse: bool = False, inputs: Iterable[str | Value] | None = None,
            params: Iterable[Value] | None = None,
            max_nodes: int = DEFAULT_MAX_NODES) -> Path | Page:
    """The lesson page of ``root``'s graph: written to ``path`` (returns the Path), or, without
    a path, a ``Page`` that a notebook shows inline (``Page.save(path)`` writes it).

    title: your text as it is, or a ``words.Text`` translated with the page's language switch
    (default: "gategrad: stepping through f" in the language shown). digits: decimals shown at
    first (default words.DIGITS; the page has a control). lang: "en" or "zh" at first (the page
    carries both). collapse: network mode for nn models, each neuron one box. inputs: the data
    inputs and targets, by name (or Value); the update step w ← w − η·grad moves every other
    labelled leaf (default inputs: the leaves an nn model does not own, else those named x...,
    y...). params: exactly the leaves to move instead. The graph's ``.grad`` are left as they
    were.
    """
    if path is not None:
        html_path(path)  # before the build: a wrong name is refused at once
    page = Page(build_page(root, title=title, digits=digits, lang=lang, inputs=inputs,
                           params=params, rankdir=rankdir, network=collapse,
                           max_nodes=max_nodes))
    return page if path is None else page.save(path)


__all__ = ["Page", "PageParts", "build_page", "gate_view", "html_path", "stepper"]
