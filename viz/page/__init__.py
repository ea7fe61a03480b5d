"""The lesson page: one offline HTML file in which a class steps, edits and explores a graph.

``stepper(root, "steps.html")`` writes it (``viz.stepper``, the public entry point);
``build_page(root)`` returns the page as a string; ``Page`` wraps it for notebooks
(``_repr_html_`` shows it inline in an iframe, several per notebook without clashes) and
``Page.save(path)``.

ONE self-contained file, nothing fetched (a Content-Security-Policy forbids it, allowing only
the page's own script and style by their hashes), so it runs from a USB stick on the classroom
PC. The graph is laid out once by dot; the page computes forward and backward itself from
kernels generated out of the gate table and writes the numbers into that one picture. Keys:
→ / ← (and PageDown / PageUp, which presentation clickers send), Home / End; buttons, a slider
and ``#step=k`` in the URL. Each leaf has a number field and a slider; clicking a node lists
its paths to the output; an update step applies w ← w − η·grad; a quiz, a gradient-health
view, a printable handout and an English / 中文 switch.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from pathlib import Path

from engine import Value

from ..graph import DEFAULT_MAX_NODES
from .build import build_page


class Page:
    """A built lesson page: ``.html`` is the whole file; notebooks show it inline."""

    def __init__(self, text: str, height: int = 720) -> None:
        self.html = text
        self.height = height

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` (folders created); returns the path."""
        path = Path(path)
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


def stepper(root: Value, path: str | Path | None = None, *, title: str | None = None,
            digits: int | None = None, lang: str | None = None, rankdir: str = "LR",
            collapse: bool = False, params: Iterable[Value] | None = None,
            max_nodes: int = DEFAULT_MAX_NODES) -> Path | Page:
    """The lesson page of ``root``'s graph: written to ``path`` (returns the Path), or, without
    a path, a ``Page`` that a notebook shows inline (``Page.save(path)`` writes it).

    digits: decimals shown (default words.DIGITS). lang: "en" or "zh" at first (the page
    carries both). collapse: network mode for nn models, each neuron one box. params: the leaves
    the update step moves (default: nn's weights and biases, else leaves named w..., b...).
    The graph's ``.grad`` are left as they were.
    """
    page = Page(build_page(root, title=title, digits=digits, lang=lang, params=params,
                           rankdir=rankdir, network=collapse, max_nodes=max_nodes))
    return page if path is None else page.save(path)


__all__ = ["Page", "build_page", "stepper"]
