"""Text tables that line up whatever the script: a Chinese character takes two columns."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from wcwidth import wcswidth, wcwidth


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal (East Asian wide characters count 2)."""
    columns = wcswidth(text)
    if columns >= 0:
        return columns
    return sum(max(wcwidth(ch), 0) for ch in text)  # control characters take none


def pad(text: str, columns: int, right: bool = False) -> str:
    """``text`` padded with spaces to ``columns`` display columns (on the left if ``right``)."""
    fill = " " * max(columns - width(text), 0)
    return fill + text if right else text + fill


def align(rows: Sequence[Sequence[str]], right: Collection[int] = (), sep: str = "  ") -> list[str]:
    """Rows of cells as lines whose columns line up by display width; trailing spaces dropped."""
    if not rows:
        return []
    columns = max(len(r) for r in rows)
    widths = [max((width(r[i]) for r in rows if i < len(r)), default=0) for i in range(columns)]
    return [sep.join(pad(cell, w, i in right) for i, (cell, w) in enumerate(zip(r, widths)))
            .rstrip() for r in rows]
