"""Can the installed fonts draw a diagram's labels? A warning before a PNG full of empty boxes.

Graphviz draws raster and PDF text with whatever font fontconfig finds; a machine without a CJK
font renders a label such as 权重 as empty boxes, silently. Before rendering those formats we
ask fontconfig (``fc-list :charset=...``) whether some installed font has every wide (East
Asian) character of the labels, and warn, naming the package to install, when none does. SVG is
not checked: the browser that shows it picks its own fonts.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import warnings

from wcwidth import wcwidth

from words import _

# Private-use characters are never drawn by any font: checked too, so the warning can be tested.
_PRIVATE_USE = ((0xE000, 0xF8FF), (0xF0000, 0x10FFFF))


class MissingGlyphsWarning(UserWarning):
    """No installed font can draw some characters of a diagram's labels."""


def _needs_check(ch: str) -> bool:
    code = ord(ch)
    return wcwidth(ch) == 2 or any(lo <= code <= hi for lo, hi in _PRIVATE_USE)


@functools.cache
def _font_has(chars: str) -> bool | None:
    """Whether one installed font has all of ``chars`` (None: fontconfig is not here to ask)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    charset = " ".join(f"{ord(c):x}" for c in chars)
    done = subprocess.run([fc_list, f":charset={charset}", "family"], capture_output=True,
                          text=True, check=False)
    return bool(done.stdout.strip())


def missing_glyphs(text: str) -> list[str]:
    """The wide characters of ``text`` that no installed font can draw, in order of appearance."""
    wanted = "".join(dict.fromkeys(c for c in text if _needs_check(c)))
    if not wanted or _font_has(wanted) in (True, None):
        return []
    return [c for c in wanted if _font_has(c) is False]


def warn_missing_glyphs(source: str, fmt: str) -> None:
    """Warn when a diagram rendered as ``fmt`` would show empty boxes for some of its labels."""
    if fmt in ("svg", "dot", "gv", "json", "plain", "xdot"):
        return
    missing = missing_glyphs(source)
    if missing:
        warnings.warn(
            _("no installed font can draw {chars} in this diagram's labels, so the {fmt} would "
              "show empty boxes; install a CJK font (Debian/Ubuntu: sudo apt-get install "
              "fonts-noto-cjk; Fedora: sudo dnf install google-noto-sans-cjk-fonts) or save "
              "as .svg").format(chars=" ".join(missing[:8]), fmt=fmt.upper()),
            MissingGlyphsWarning, stacklevel=4)
