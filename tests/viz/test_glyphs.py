"""No empty box in a page: every character a page or a worksheet can show, in either language,
has a glyph in a font this machine has (the fonts `make demo` and `make test` install).

Found by looking at the training page at 1280×720: its Pause button was "⏸" (U+23F8), which no
installed font draws, so the class saw an empty box; it is "❚❚" now.
"""

from __future__ import annotations

import subprocess

import nn
import viz
from tests.examples import cs231n
from viz.worksheet import write_worksheet


def _covered() -> set[int]:
    """Every code point some installed font draws (fontconfig's charsets, unioned)."""
    listed = subprocess.run(["fc-list", "-f", "%{charset}\n"], capture_output=True, text=True,
                            check=True).stdout
    have: set[int] = set()
    for part in listed.split():
        lo, _, hi = part.partition("-")
        have.update(range(int(lo, 16), int(hi or lo, 16) + 1))
    return have


def _missing(text: str, have: set[int]) -> list[str]:
    # A page carries both languages (its catalogue), so the file holds every word it can show.
    return sorted(f"{c} U+{ord(c):04X}" for c in set(text) if ord(c) > 0x7F and ord(c) not in have)


def test_every_character_of_the_pages_has_a_glyph(tmp_path):
    have = _covered()
    assert ord("学") in have and ord("δ") in have, "the CJK and Greek fonts are not installed"
    X, y = nn.make_moons(40, noise=0.1, seed=0)
    pages = [viz.stepper(cs231n()[0], tmp_path / "stepper.html", lang="zh"),
             viz.lesson(nn.MLP(2, [4, 1], seed=0), X, y, tmp_path / "lesson.html", loss="bce"),
             *write_worksheet(tmp_path / "sheet.html", preset="notes1", lang="zh"),
             *write_worksheet(tmp_path / "level.html", level=3, lang="zh")]
    for path in pages:
        assert _missing(path.read_text(encoding="utf-8"), have) == [], path.name
