"""Putting a page together safely: its files, compacted, checked and allowed by their hashes.

The page is one HTML file whose one script and one style sheet are allowed by their sha256
hashes in the Content-Security-Policy (no ``'unsafe-inline'``), so nothing else can run in it.
Data reaches the page only as JSON inside ``<script type="application/json">``, escaped so
that no text can end that element; the script itself is refused if it holds anything that
could (a real check, not an ``assert``, so it holds under ``python -O`` too). The layer view
(``viz.lesson``) assembles its page with the same functions.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

HERE = Path(__file__).parent

# What may never appear in a script or a style inside an HTML page: "</script" (any case, any
# spacing after it) ends the element; "<!--" and "<script" switch the HTML parser into the
# script-data-escaped states, where a later "</script>" is read differently.
_UNSAFE = re.compile(r"</\s*(script|style)|<!--|<script", re.IGNORECASE)


class UnsafePageText(ValueError):
    """A script or style holds text that could end its element inside the HTML page."""


def asset(name: str, folder: Path = HERE) -> str:
    """The text of one of the page's own files (``numbers.js``, ``page.css``, ...)."""
    return (folder / name).read_text(encoding="utf-8")


def compact(text: str, css: bool = False) -> str:
    """Our own JS or CSS without indentation, blank lines and whole-line comments (a smaller
    file on a USB stick; the hash is taken afterwards, of exactly what is sent)."""
    if css:
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
        text = re.sub(r"\s*([{};:,>])\s*", r"\1", text)  # no space is needed around these
    else:  # a comment after code: our scripts have no "//" inside a string (a test checks)
        text = re.sub(r"[ \t]+// .*$", "", text, flags=re.M)
    lines = (line.strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line and not line.startswith(("//", "/*")))


def check_inline(text: str, what: str) -> str:
    """``text`` unchanged, or UnsafePageText if it could end its element in the page."""
    found = _UNSAFE.search(text)
    if found:
        start = max(0, found.start() - 30)
        raise UnsafePageText(f"the page's {what} holds {found.group(0)!r}, which would end it "
                             f"inside the HTML page (near {text[start:found.end() + 30]!r})")
    return text


def json_for_script(data: object) -> str:
    """JSON inside <script type="application/json">: '<', '>' and '&' are written as \\u
    escapes, so no label or title can end the element or open a comment (``</SCRIPT``,
    ``</script >``, ``<!--``); JSON.parse reads them back as the same characters."""
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return check_inline(text, "data")


def sha256(text: str) -> str:
    """The CSP source for an inline script or style: ``'sha256-...'`` without the quotes."""
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def content_security_policy(script: str, style: str) -> str:
    """Nothing may load or run but this one script and this one style sheet."""
    return f"default-src 'none'; script-src '{sha256(script)}'; style-src '{sha256(style)}'"


def join_scripts(parts: list[str]) -> str:
    """The page's one script from its parts, in order (our files compacted already, the
    generated parts as they are), checked."""
    return check_inline("\n".join(parts), "script")
