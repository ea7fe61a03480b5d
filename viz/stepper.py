"""The lesson page: ``stepper(root, "steps.html")`` writes it; without a path, notebooks show it.

ONE self-contained file, nothing fetched (a Content-Security-Policy forbids it, allowing only
the page's own script and style by their hashes), so it runs from a USB stick on the classroom
PC. The graph is laid out once by dot; the page computes forward and backward itself from
kernels generated out of the gate table and writes the numbers into that one picture. Keys:
→ / ← (and PageDown / PageUp, which presentation clickers send), Home / End; buttons, a slider
and ``#step=k`` in the URL. Each leaf has a number field and a slider; clicking a node lists
its paths to the output; an update step applies w ← w − η·grad; a quiz, a gradient-health
view, a printable handout and an English / 中文 switch. The page is built in ``viz.page``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from engine import Value

from .graph import DEFAULT_MAX_NODES
from .page import Page, build_page


def stepper(root: Value, path: str | Path | None = None, *, title: str | None = None,
            digits: int | None = None, lang: str | None = None, rankdir: str = "LR",
            collapse: bool = False, params: Iterable[Value] | None = None,
            max_nodes: int = DEFAULT_MAX_NODES) -> Path | Page:
    """The lesson page of ``root``'s graph: written to ``path`` (returns the Path), or, without
    a path, a ``Page`` that a notebook shows inline (``Page.save(path)`` writes it).

    digits: decimals shown (default engine.voice.DIGITS). lang: "en" or "zh" at first (the page
    carries both). collapse: network mode for nn models, each neuron one box. params: the leaves
    the update step moves (default: nn's weights and biases, else leaves named w..., b...).
    The graph's ``.grad`` are left as they were.
    """
    page = Page(build_page(root, title=title, digits=digits, lang=lang, params=params,
                           rankdir=rankdir, network=collapse, max_nodes=max_nodes))
    return page if path is None else page.save(path)
