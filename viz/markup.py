"""The markup helpers of a diagram: colours, safe text, table cells in Graphviz's HTML labels.

User text (labels) reaches Graphviz in two places, HTML-like labels and plain attributes
(tooltips); each has its own escaping here, tested with hostile labels in tests/viz.
"""

from __future__ import annotations

import html
import re

import graphviz

from engine import Value
from words import LANGUAGES, N_, gettext, num, width

# Colours: gradients always in red, the gate being fired in amber, fresh cells tinted.
GRAD_COLOR = "#c62828"
CURRENT_FILL = "#ffb300"
FRESH_GRAD_FILL = "#ffcdd2"
FRESH_DATA_FILL = "#bbdefb"
UPSTREAM_FILL = "#ffe0b2"
HIGHLIGHT_FILL = "#fff176"
GATE_FILL = "#e8eaf6"
LEAF_FILL = "#e8f5e9"
NODE_FILL = "#eeeeee"
BORDER_COLOR = "#616161"
FONT = "Helvetica"
FONT_SIZE = 14
# Helvetica advance widths, in em, of what number cells print (anything else: 0.65 em), for
# fixed cell sizes. Bold adds ~10%; the margin covers fonts a little wider than Helvetica.
_EM = {**dict.fromkeys("0123456789+e", 0.556), ".": 0.278, "-": 0.333, " ": 0.278,
       "d": 0.556, "a": 0.556, "t": 0.278, "g": 0.556, "r": 0.333, "…": 1.0,
       "(": 0.333, ")": 0.333}
_MARGIN = 1.12
CELL_HEIGHT = FONT_SIZE + 18  # a line of text and the cell padding
BACKSLASH_LOOKALIKE = "⧵"  # U+29F5, for backslashes in tooltips
MAX_LABEL = 28  # longer labels are cut (the full label is in the node's tooltip)

# Typographic forms of the table's ASCII symbols; anything else is shown as the table has it.
_SYMBOLS = {"*": "×", "/": "÷", "-": "−", "**": "^"}

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


# The words of a value's cells, translated where they are drawn (the page says the same).
DATA, GRAD = N_("data"), N_("grad")


def cell_words(msgid: str) -> list[str]:
    """``msgid`` in every language: fixed cells must fit whichever one is drawn (the page
    switches language without a new layout)."""
    return [gettext(msgid, lang) for lang in LANGUAGES]


def text_width(text: str, bold: bool = False) -> float:
    """The width in points of text in a number cell, a little generous (a Chinese character
    is one em wide)."""
    em = sum(1.0 if width(c) == 2 else _EM.get(c, 0.65) for c in text) * (1.1 if bold else 1.0)
    return em * FONT_SIZE * _MARGIN


def number(x: float, digits: int) -> str:
    """A number as a diagram shows it: words's ``num`` (the one formatter)."""
    return num(x, digits)


def safe_html(s: str, limit: int = MAX_LABEL) -> str:
    """User text made safe inside an HTML-like label: control characters dropped, cut, escaped."""
    s = _CONTROL.sub(" ", s)
    if len(s) > limit:
        s = s[: limit - 1] + "…"
    # Graphviz expands \N, \G, \L even inside HTML-like labels (a doubled backslash is one),
    # and its HTML lexer chokes on a lone "]" in a cell: an entity is always safe.
    s = html.escape(s.replace("\\", "\\\\"), quote=True)
    return s.replace("[", "&#91;").replace("]", "&#93;")


def safe_attribute(s: str) -> str:
    """User text made safe as a plain DOT attribute (a tooltip), never taken for HTML.

    Graphviz expands \\N, \\G, \\L in tooltips and has no escape for a literal backslash there,
    so a backslash is shown as the look-alike '⧵'; '&' is written as an entity, since
    Graphviz would otherwise decode '&amp;' in a label into '&'.
    """
    s = _CONTROL.sub(" ", s).replace("\\", BACKSLASH_LOOKALIKE).replace("&", "&amp;")
    return graphviz.nohtml(s)


def gate_symbol(n: Value) -> str:
    """The symbol drawn in a gate's ellipse: ``×`` for mul, ``^2`` for a power, ``tanh`` ..."""
    gate = n._gate
    if gate.param is not None:
        return f"^{gate.param:g}"
    return _SYMBOLS.get(gate.symbol, gate.symbol)


def cell(text: str, *, width: int | None, fill: str | None = None, color: str | None = None,
         italic: bool = False, bold: bool = False, rows: int = 1,
         align: str | None = None) -> str:
    """One ``<TD>`` of an HTML-like label; ``width`` fixes its size (frames share a layout)."""
    attrs = ""
    if width is not None:
        attrs += f' WIDTH="{width}" HEIGHT="{CELL_HEIGHT}" FIXEDSIZE="TRUE"'
    if fill:
        attrs += f' BGCOLOR="{fill}"'
    if rows > 1:
        attrs += f' ROWSPAN="{rows}"'
    if align:
        attrs += f' ALIGN="{align}"'
    if not text:
        return f"<TD{attrs}> </TD>"
    if italic:
        text = f"<I>{text}</I>"
    if bold:
        text = f"<B>{text}</B>"
    if color:
        text = f'<FONT COLOR="{color}">{text}</FONT>'
    return f"<TD{attrs}>{text}</TD>"


def table(rows: list[list[str]], color: str = BORDER_COLOR, cellborder: int = 1) -> str:
    """An HTML-like label: a borderless table of ``rows`` of cells."""
    body = "".join("<TR>" + "".join(r) + "</TR>" for r in rows)
    return (f'<<TABLE BORDER="0" CELLBORDER="{cellborder}" CELLSPACING="0" CELLPADDING="5" '
            f'COLOR="{color}">{body}</TABLE>>')
