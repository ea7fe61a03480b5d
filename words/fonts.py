"""Which installed font draws Chinese, for what gategrad draws itself: matplotlib's figures and
the captions Pillow writes on GIF frames. (Graphviz asks fontconfig on its own; ``viz.fonts``
checks its labels.)

Two ways a Chinese class ends up looking at empty boxes, both met on fresh machines:

- the font arrived after matplotlib built its font cache (``make demo`` drew before ``make test``
  installed fonts-noto-cjk). matplotlib never looks again: a family named in ``font.family`` is
  "not found", one ``findfont`` log line per text drawn (hundreds in a notebook), and every
  Chinese character is a box. ``matplotlib_families`` asks fontconfig where the font is and, when
  matplotlib's list lacks it, adds that file to the running font manager (``FontManager.addfont``,
  matplotlib's documented way to use a font file; the cache on disk is left as it is);
- no CJK font at all: then ONE warning names the package to install (fonts-noto-cjk), the
  figure falls back to matplotlib's own font, and matplotlib's per-glyph warnings are silenced:
  the one warning has said it all. (A family is only ever named when matplotlib has it, so no
  ``findfont`` line is logged either.)

``GATEGRAD_CJK_FONT=/path/to/font.ttc`` names the font file to use instead of asking fontconfig
(a machine without fontconfig, or a test that simulates a missing font with a path that does
not exist).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import warnings
from dataclasses import dataclass
from pathlib import Path

from .i18n import _
from .width import width

LATIN = "DejaVu Sans"  # matplotlib's own font: Latin text, digits and symbols
# Where the usual Chinese fonts live when fontconfig is not there to ask: (file, face index).
KNOWN_FILES = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-{weight}.ttc", 2),  # Debian, Ubuntu: SC face
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-{weight}.ttc", 2),  # Arch
    ("/usr/share/fonts/google-noto-cjk/NotoSansCJK-{weight}.ttc", 2),  # Fedora
    ("/System/Library/Fonts/PingFang.ttc", 0),  # macOS
    ("C:/Windows/Fonts/msyh.ttc", 0),  # Windows: Microsoft YaHei
)


class MissingFontWarning(UserWarning):
    """No installed font can draw Chinese: figures and captions would show empty boxes."""


@dataclass(frozen=True)
class Face:
    """One face of a font file: a .ttc holds several (Noto Sans CJK's Simplified Chinese is 2)."""

    path: str
    index: int
    family: str


def _fontconfig(bold: bool, mono: bool) -> list[Face]:
    """The faces fontconfig says can write Simplified Chinese, best first: sans-serif before
    serif, proportional before monospace (or the reverse with ``mono``), the SC face before
    JP/KR/TC/HK, the weight asked for first."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    shape = "%{file}\t%{index}\t%{family[0]}\t%{style[0]}\n"
    done = subprocess.run([fc_list, "--format", shape, ":lang=zh-cn"], capture_output=True,
                          text=True, check=False)
    faces = []
    for line in done.stdout.splitlines():
        parts = line.split("\t")
        if len(parts) == 4 and parts[1].isdigit():
            faces.append((Face(parts[0], int(parts[1]), parts[2]), parts[3]))

    def rank(item: tuple[Face, str]) -> tuple:
        face, style = item
        name = face.family
        return ("Sans" not in name, ("Mono" in name) != mono, not name.endswith(("SC", "CN")),
                ("Bold" in style) != bold, name, face.path)

    return [face for face, _style in sorted(faces, key=rank)]


@functools.cache
def chinese_face(bold: bool = False, mono: bool = False) -> Face | None:
    """The installed face that draws Chinese best (bold or regular, monospaced or not), or None
    when there is none. ``GATEGRAD_CJK_FONT`` (a file) wins; then fontconfig; then the usual
    places (Noto Sans CJK, PingFang, Microsoft YaHei)."""
    chosen = os.environ.get("GATEGRAD_CJK_FONT", "").strip()
    if chosen:
        return Face(chosen, 0, "") if Path(chosen).is_file() else None
    faces = _fontconfig(bold, mono)
    if faces:
        return faces[0]
    weight = "Bold" if bold else "Regular"
    for pattern, index in KNOWN_FILES:
        path = pattern.format(weight=weight)
        if Path(path).is_file():
            return Face(path, index, "")
    return None


_warned: list[str] = []


def warn_missing_font(what: str) -> None:
    """Say once per process, naming the package to install, that Chinese cannot be drawn
    (``what``: the first thing drawn; the rest would only repeat it)."""
    if _warned:
        return
    _warned.append(what)
    warnings.warn(_("no installed font can draw Chinese, so the Chinese text of {what} shows "
                    "as empty boxes: install a CJK font (Debian/Ubuntu: sudo apt-get install "
                    "fonts-noto-cjk), then run again").format(what=what),
                  MissingFontWarning, stacklevel=3)


def matplotlib_families(what: str = "figures") -> list[str]:
    """``font.family`` for matplotlib text with Chinese in it: matplotlib's Latin font, then a
    CJK family matplotlib knows (added from its file when matplotlib's font cache predates it).

    Without a CJK font: the Latin font alone, after one MissingFontWarning naming ``what`` and
    the package to install; matplotlib's own "Glyph ... missing from font(s)" warnings, one per
    character and drawn whenever a figure is shown (a notebook shows it after the cell), are
    then filtered out for the rest of the process: the one warning has said it all."""
    from matplotlib import font_manager

    face = chinese_face()
    manager = font_manager.fontManager
    known = None if face is None else _family_of(manager, face)
    if face is not None and known is None:
        try:
            manager.addfont(face.path)  # its faces; clears matplotlib's lookup cache
        except (OSError, RuntimeError, ValueError):  # a file matplotlib cannot read
            pass
        known = _family_of(manager, face)
    if known is None:  # no font, or a file matplotlib cannot read
        warn_missing_font(what)
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font",
                                category=UserWarning)
        return [LATIN]
    return [LATIN, known]


def chinese_texts(fig, what: str = "figures") -> None:
    """Give every text of ``fig`` with Chinese in it the families of ``matplotlib_families``
    (the rest keep matplotlib's font); nothing is asked when the figure has no Chinese."""
    from matplotlib.text import Text

    wide = [t for t in fig.findobj(Text) if width(t.get_text()) > len(t.get_text())]
    if wide:
        families = matplotlib_families(what)
        for text in wide:
            text.set_fontfamily(families)


def _family_of(manager, face: Face) -> str | None:
    """The family name matplotlib lists for ``face`` (by file and face index), if any; else
    that of another face of the same file (matplotlib before 3.10 lists only a .ttc's first
    face, Noto Sans CJK JP, which draws Simplified Chinese as well)."""
    path = os.path.realpath(face.path)
    same_file = [e for e in manager.ttflist if os.path.realpath(e.fname) == path]
    exact = [e for e in same_file if getattr(e, "index", 0) == face.index]
    found = exact or same_file
    return found[0].name if found else None
