"""Chinese labels render as glyphs, not empty boxes; a label no font can draw is warned about."""

import io
import shutil
import subprocess
import warnings

import pytest
from PIL import Image, ImageChops

import viz
from engine import Value
from viz.fonts import MissingGlyphsWarning, missing_glyphs

PRIVATE = "\U0010fffd\U0010fffc"  # private-use: no font has a glyph, every renderer draws boxes


def _png_of(label: str) -> Image.Image:
    x = Value(2.0, label=label)
    return Image.open(io.BytesIO(viz.to_png(viz.draw(x * 3)))).convert("L")


def _differ(a: Image.Image, b: Image.Image) -> bool:
    return a.size != b.size or ImageChops.difference(a, b).getbbox() is not None


def test_a_cjk_font_is_installed_and_fontconfig_picks_it_for_chinese():
    # make test installs Debian's fonts-noto-cjk; this is the font dot's text goes through.
    assert shutil.which("fc-match"), "fontconfig (fc-match) is missing"
    family = subprocess.run(["fc-match", ":lang=zh-cn", "family"], capture_output=True,
                            text=True, check=True).stdout
    assert "CJK" in family, family


def test_chinese_labels_render_as_glyphs_not_empty_boxes():
    with warnings.catch_warnings():
        warnings.simplefilter("error", MissingGlyphsWarning)  # a font exists: no warning
        weight, bias = _png_of("权重"), _png_of("偏置")
    with pytest.warns(MissingGlyphsWarning):
        boxes = _png_of(PRIVATE)  # what missing glyphs look like
    # Empty boxes would look the same whatever the characters; real glyphs differ.
    assert _differ(weight, bias)
    assert _differ(weight, boxes) and _differ(bias, boxes)


def test_a_label_no_font_can_draw_is_named_with_the_package_to_install():
    assert missing_glyphs("权重 x") == []
    assert missing_glyphs(f"a{PRIVATE}") == list(PRIVATE)
    with pytest.warns(MissingGlyphsWarning, match=r"fonts-noto-cjk") as record:
        _png_of(PRIVATE)
    assert PRIVATE[0] in str(record[0].message)


def test_svg_is_not_checked_the_browser_picks_the_font():
    with warnings.catch_warnings():
        warnings.simplefilter("error", MissingGlyphsWarning)
        assert PRIVATE in viz.to_svg(viz.draw(Value(1.0, label=PRIVATE) * 2))
