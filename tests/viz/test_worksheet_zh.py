"""A Chinese worksheet as a class gets it: printed to PDF by Chromium and read back with pypdf,
sheet and key, every level and the notes' presets, with no English word left (tests/latin.py).
The worksheets themselves are viz/worksheet.py's; this is the Chinese sweep over them."""

from __future__ import annotations

import subprocess
import sys
import unicodedata

import pytest

from tests.grading.test_worksheet import chromium, pdf_text  # noqa: F401  (a fixture)
from tests.latin import assert_no_latin

# The sheets' own variables: the training loop's pred, notes3's data xs, ys and its out[k].
VARIABLES = {"pred", "xs", "ys", "out"}
def _as_typed(text: str) -> str:
    """pypdf reads some glyphs back as compatibility forms (⽹ for 网, ⻔ for 门, ﬂ for fl):
    those characters as typed; full-width punctuation stays full-width."""
    def typed(ch: str) -> str:
        code = ord(ch)
        compatible = 0x2E80 <= code <= 0x2FDF or 0xFB00 <= code <= 0xFB06
        return unicodedata.normalize("NFKC", ch) if compatible else ch
    return "".join(map(typed, text))


@pytest.mark.slow
@pytest.mark.parametrize("args", [
    *(["--level", str(k), "--count", "2"] for k in range(1, 6)),
    ["--preset", "notes1"], ["--preset", "notes2"],
    ["--preset", "notes3"],
], ids=lambda a: "-".join(a[:2]))
def test_a_chinese_worksheet_printed_to_pdf_has_no_english_word(args, chromium, tmp_path):  # noqa: F811
    done = subprocess.run([sys.executable, "-m", "gategrad", "--lang", "zh", "worksheet", *args,
                           "-o", str(tmp_path / "sheet.html")], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    for name in ("sheet", "sheet-answers"):
        text = pdf_text(chromium, tmp_path / f"{name}.html", tmp_path / f"{name}.pdf")
        text = _as_typed(text)
        assert "姓名：" in text and "练习 1" in text
        assert_no_latin(text, f"{name}.pdf of worksheet {' '.join(args)}", identifiers=VARIABLES)
