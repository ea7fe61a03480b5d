"""What is drawn in Chinese: a diagram's SVG text and a GIF's captions have no English word
(tests/latin.py), and a diagram and a GIF frame in zh show real glyphs.

The glyph check draws the same picture again with every Chinese character replaced by a
private-use one (no font has it: an empty box), and again with every one replaced by 一: real
glyphs differ from both; empty boxes would all look alike.
"""

from __future__ import annotations

import io
import warnings

import numpy as np
import pytest
from PIL import Image

import viz
from engine import GATES, Value
from nn import MLP
from tests.examples import cs231n
from tests.latin import assert_no_latin
from tests.viz.svg import nodes
from viz import animate, diagram, slides
from viz.fonts import MissingGlyphsWarning

# The gate table's symbol column (+, ×, tanh, relu, neg, ...): notation, drawn as it is.
SYMBOLS = {g.symbol for g in GATES.values()}
PRIVATE, ONE = "\ue000", "一"


def _replaced(by: str):
    return lambda text: "".join(by if ord(c) > 0x2e80 else c for c in text)


def _graphs() -> dict[str, Value]:
    f, _ = cs231n()
    x, y = Value(3.0, label="x"), Value(-2.0, label="y")
    every = ((x * y).tanh() + (x / y).exp() - (-x) + y ** 2 + x.relu().sigmoid()
             + (x * 0.1).log() + x.max(y) + x ** Value(2.0, label="p"))
    model = MLP(2, [3, 1], seed=0)
    return {"cs231n": f, "every gate": every, "mlp": model([1.0, -2.0])}


@pytest.mark.parametrize("name", ["cs231n", "every gate", "mlp"])
@pytest.mark.parametrize("settings", [{}, {"step": 2}, {"step": 1, "phase": "forward"},
                                      {"collapse": True}])
def test_a_diagram_in_chinese_has_no_english_word(name, settings):
    root = _graphs()[name]
    root.backward()
    svg = viz.to_svg(viz.draw(root, lang="zh", **settings))
    texts = "\n".join(t for n in nodes(svg) for t in n.texts)
    assert "值" in texts or settings.get("collapse")
    assert_no_latin(texts, f"diagram of {name} {settings}", identifiers=SYMBOLS)


def test_a_diagram_in_chinese_draws_glyphs(monkeypatch):
    root = _graphs()["mlp"]  # cells 值 / 梯度 and the clusters 层 L1, 层 L2
    root.backward()

    def png(change=None) -> np.ndarray:
        if change:
            real = diagram._
            monkeypatch.setattr(diagram, "_", lambda m: change(real(m)))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MissingGlyphsWarning)  # U+E000: the point
            data = viz.to_png(viz.draw(root, lang="zh"))
        monkeypatch.undo()
        return np.asarray(Image.open(io.BytesIO(data)).convert("L"))

    chinese, boxes, ones = png(), png(_replaced(PRIVATE)), png(_replaced(ONE))
    for other in (boxes, ones):
        assert chinese.shape != other.shape or np.any(chinese != other)


def test_the_captions_of_a_gif_in_chinese_have_no_english_word():
    for name, root in _graphs().items():
        steps = animate._walk(root, digits=None, phases=("forward", "backward"), rankdir="LR",
                              collapse=False, max_frames=200, lang="zh")
        for caption, _diagram in steps:
            text = "\n".join([caption.title, caption.rule, *caption.lines])
            assert_no_latin(text, f"a GIF caption of {name}", identifiers=SYMBOLS)


def test_a_gif_frame_in_chinese_draws_glyphs(tmp_path, monkeypatch):
    f, _ = cs231n()

    def frame(change=None) -> np.ndarray:
        if change:
            for module in (diagram, slides, animate):  # the cells, the captions, the poster
                real = module._
                monkeypatch.setattr(module, "_", lambda m, real=real: change(real(m)))
        path = tmp_path / f"{len(list(tmp_path.iterdir()))}.gif"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MissingGlyphsWarning)
            animate.export_animation(f, path, lang="zh", phases=("backward",))
        monkeypatch.undo()
        with Image.open(path) as gif:
            gif.seek(3)  # backward step 3: a caption with a rule, cells with gradients
            return np.asarray(gif.convert("L"))

    chinese, boxes, ones = frame(), frame(_replaced(PRIVATE)), frame(_replaced(ONE))
    assert chinese.shape == boxes.shape == ones.shape
    for other in (boxes, ones):
        assert np.any(chinese != other)
