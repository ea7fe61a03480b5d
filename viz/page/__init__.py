"""The lesson page: one offline HTML file in which a class steps, edits and explores a graph.

``build_page(root)`` returns the page as a string; ``Page`` wraps it for notebooks (``_repr_html_``
shows it inline in an iframe, several per notebook without clashes) and ``Page.save(path)``.
``viz.stepper`` is the public entry point.
"""

from __future__ import annotations

import html
from pathlib import Path

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


__all__ = ["Page", "build_page"]
