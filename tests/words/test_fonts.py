"""Chinese in figures on a fresh machine: a CJK font that arrived after matplotlib built its font
cache is found anyway, and no font at all gives ONE warning naming fonts-noto-cjk.

Each case runs in its own Python, with MPLCONFIGDIR pointing at a folder of the test's own (the
machine's matplotlib cache is never touched): a "stale" cache is one written without the CJK
fonts, as matplotlib writes it when it first runs before fonts-noto-cjk is installed; a missing
font is GATEGRAD_CJK_FONT naming a file that does not exist. The glyph check draws each figure a
second time with every Chinese character replaced by a private-use one (which no font has, so
it is an empty box), and a third time with every one replaced by 一: real glyphs differ from
both; boxes are all alike, so the figure of boxes equals the 一 one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageChops

REPO = Path(__file__).resolve().parents[2]

STALE_CACHE = """
from pathlib import Path
import matplotlib
from matplotlib import font_manager as fm

manager = fm.FontManager()  # what matplotlib lists from the fonts installed now ...
manager.ttflist = [f for f in manager.ttflist if "CJK" not in f.name]  # ... minus the CJK ones
cache = Path(matplotlib.get_cachedir()) / f"fontlist-v{fm.FontManager.__version__}.json"
fm.json_dump(manager, cache)
"""

# Draws the training plot and a lesson's figure in Chinese, then again with every Chinese
# character replaced by a private-use one; reports what matplotlib logged and warned.
DRAW = r"""
import json, logging, sys, warnings
from pathlib import Path

import matplotlib
from matplotlib import font_manager as fm
from matplotlib.text import Text

out = Path(sys.argv[1])
logged = []
handler = logging.Handler()
handler.emit = lambda record: logged.append(record.getMessage())
logging.getLogger("matplotlib").addHandler(handler)
stale = not any("CJK" in f.name for f in fm.fontManager.ttflist)

import nn.history
import demos._plot as plot
from nn.history import History
from words import _ as real

def replaced(by):  # every wide character -> ``by``
    return lambda text: "".join(by if ord(c) > 0x2e80 else c for c in text)

PRIVATE, ONE = replaced("\ue000"), replaced("一")  # no font has U+E000; 一 is one CJK glyph

def figures(tag):
    h = History(train_loss=[0.5, 0.25], train_acc=[0.5, 0.75], val_loss=[0.6, 0.3],
                val_acc=[0.5, 0.5], grad_norm={"L1": [1.0, 0.5]})
    fig = h.plot(out / f"history-{tag}.png", lang="zh")
    lesson, (ax,) = plot.figure()
    ax.plot([1, 2, 3], [3, 1, 2])
    ax.set_title(_title(tag))
    plot.save(lesson, out, f"lesson-{tag}.png")
    return fig

TITLE = "训练与验证的损失"
CHANGE = {"zh": lambda text: text, "private": PRIVATE, "one": ONE}

def _title(tag):
    return CHANGE[tag](TITLE)

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    fig = figures("zh")
    wide = [t for t in fig.findobj(Text) if any(ord(c) > 0x2e80 for c in t.get_text())]
    # the file of each text's CJK family (matplotlib falls back to it glyph by glyph)
    files = sorted({fm.findfont(fm.FontProperties(family=family), fallback_to_default=False)
                    for t in wide for family in t.get_fontfamily() if "CJK" in family})
    if not wide or any(not any("CJK" in f for f in t.get_fontfamily()) for t in wide):
        files.append("a Chinese text without a CJK family")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # U+E000 is missing from every font: that is the point
    for tag in ("private", "one"):
        nn.history._ = lambda msgid, change=CHANGE[tag]: change(real(msgid))
        figures(tag)
print(json.dumps({"stale": stale, "files": files, "logged": logged,
                  "warnings": [f"{w.category.__name__}: {w.message}" for w in caught]}))
"""


def _python(code: str, *args: str, env: dict) -> str:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO), **env},
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _differ(a: Path, b: Path) -> bool:
    one, two = Image.open(a).convert("L"), Image.open(b).convert("L")
    return one.size != two.size or ImageChops.difference(one, two).getbbox() is not None


@pytest.fixture(scope="module")
def stale_cache(tmp_path_factory) -> dict:
    """An MPLCONFIGDIR whose font cache was built before the CJK fonts were installed."""
    folder = tmp_path_factory.mktemp("mplconfig")
    env = {"MPLCONFIGDIR": str(folder)}
    _python(STALE_CACHE, env=env)
    return env


@pytest.mark.slow
def test_a_font_that_arrived_after_the_cache_is_found_and_draws_glyphs(stale_cache, tmp_path):
    report = json.loads(_python(DRAW, str(tmp_path), env=stale_cache))
    assert report["stale"], "the simulated cache should not list the CJK fonts"
    assert report["files"] and all("CJK" in f for f in report["files"]), report["files"]
    assert not [m for m in report["logged"] if "findfont" in m], report["logged"]
    assert not report["warnings"], report["warnings"]
    for name in ("history", "lesson"):  # real glyphs differ from boxes and from 一一一
        zh = tmp_path / f"{name}-zh.png"
        assert _differ(zh, tmp_path / f"{name}-private.png"), name
        assert _differ(zh, tmp_path / f"{name}-one.png"), name


@pytest.mark.slow
def test_without_a_cjk_font_one_warning_names_the_package(stale_cache, tmp_path):
    env = {**stale_cache, "GATEGRAD_CJK_FONT": str(tmp_path / "no-such-font.ttc")}
    report = json.loads(_python(DRAW, str(tmp_path), env=env))
    warned = report["warnings"]
    assert len(warned) == 1, warned  # not one per character, not one per figure
    assert warned[0].startswith("MissingFontWarning") and "fonts-noto-cjk" in warned[0]
    assert not [m for m in report["logged"] if "findfont" in m], report["logged"]
    # The negative control: without a font every Chinese character is the same box, so the
    # figure is the one where each is 一: what the check above tells apart. (matplotlib 3.11
    # draws a different box for U+E000 than for the CJK block, so the private-use comparison
    # alone would not tell boxes from glyphs here; with graphviz and Pillow it does.)
    for name in ("history", "lesson"):
        assert not _differ(tmp_path / f"{name}-zh.png", tmp_path / f"{name}-one.png"), name


def test_the_font_found_for_chinese_is_a_cjk_face():
    from words.fonts import chinese_face

    regular, bold, mono = chinese_face(), chinese_face(bold=True), chinese_face(mono=True)
    assert regular and bold and mono, "install fonts-noto-cjk (make test does)"
    assert "Sans" in regular.family and "Mono" not in regular.family
    assert "Mono" in mono.family
    assert Path(regular.path).is_file() and "Bold" in Path(bold.path).name


GIF = r"""
import sys, warnings
from tests.examples import cs231n
from viz import animate

f, _ = cs231n()
with warnings.catch_warnings(record=True) as said:
    warnings.simplefilter("always")
    animate.export_animation(f, sys.argv[1], lang="zh", phases=("backward",))
for w in said:
    print(f"{w.category.__name__}: {w.message}")
"""


@pytest.mark.slow
def test_a_gif_without_any_cjk_font_says_so_once(tmp_path):
    """No font for Graphviz's labels (a fontconfig that lists no fonts) nor for the captions:
    one warning for the whole animation, in Chinese, naming the package; the GIF is written."""
    config = tmp_path / "fonts.conf"
    config.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
                      f"<fontconfig><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>\n")
    said = _python(GIF, str(tmp_path / "walk.gif"),
                   env={"FONTCONFIG_FILE": str(config), "MPLCONFIGDIR": str(tmp_path),
                        "GATEGRAD_CJK_FONT": str(tmp_path / "no-such-font.ttc")}).splitlines()
    assert len(said) == 1, said
    assert said[0].startswith("MissingGlyphsWarning: 已安装的字体都无法显示图中标签里的")
    assert "fonts-noto-cjk" in said[0]
    assert (tmp_path / "walk.gif").read_bytes()[:6] == b"GIF89a"


def test_a_ttc_listed_by_its_first_face_only_still_counts():
    """matplotlib before 3.10 lists only a .ttc's first face (Noto Sans CJK JP): that family
    draws the Chinese characters too, so it is used rather than warning that none exists."""
    from types import SimpleNamespace

    from words.fonts import Face, _family_of

    ttc = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
    old = SimpleNamespace(ttflist=[SimpleNamespace(fname=ttc, name="Noto Sans CJK JP")])
    new = SimpleNamespace(ttflist=[SimpleNamespace(fname=ttc, name="Noto Sans CJK JP", index=0),
                                   SimpleNamespace(fname=ttc, name="Noto Sans CJK SC", index=2)])
    assert _family_of(old, Face(ttc, 2, "")) == "Noto Sans CJK JP"
    assert _family_of(new, Face(ttc, 2, "")) == "Noto Sans CJK SC"
    assert _family_of(new, Face("/elsewhere/font.ttc", 2, "")) is None
