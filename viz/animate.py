"""A backward pass as one animation for a slide deck or a learning-management page: GIF or mp4.

``export_animation(root, "backward.gif")`` draws every frame of ``viz.frames`` (the same
pictures and captions as the HTML stepper and ``export_frames``) with Graphviz, writes its
caption on the image itself with Pillow, pads every frame to one size (one layout: nothing
jumps), and hands the frames to Pillow (GIF) or to imageio's pip-installed ffmpeg (mp4).
Nothing is encoded by hand.

Which frames, in order:

- the first frame always shows the forward result (every value computed, no gradient yet), so
  the still picture an LMS or a slide shows before playing is the whole graph with its values;
  with ``phases=("backward",)`` that is the backward walk's own step 0, so the animation has one
  frame per backward step plus that first one;
- when ``phases`` includes "forward", that first frame is a poster ("Forward result: f = 0.73")
  followed by the forward walk from the inputs (step 0) gate by gate;
- then the backward walk: step 0 (d f/d f = 1) and one frame per step, the last frame holding
  every gradient.

Captions are drawn in the font ``words.fonts`` finds for Chinese (Noto Sans CJK, Debian's
fonts-noto-cjk), so Chinese captions (``lang="zh"``) show; without one, in DejaVu Sans (or
Pillow's own font), and one warning names the package to install.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from engine import Value, node_names
from words import Text, _, error, num, speaking, width
from words.fonts import Face, chinese_face, warn_missing_font

from .diagram import draw
from .fonts import MissingGlyphsWarning
from .slides import frames

FORMATS = ("gif", "mp4")
DEFAULT_MAX_FRAMES = 200
MIN_DURATION_MS = 20  # browsers play shorter GIF frames at 100 ms, the opposite of the intent

# Latin fonts, when no font for Chinese is found: (path, face index).
_DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans{}.ttf"
_REGULAR, _BOLD = [(_DEJAVU.format(""), 0)], [(_DEJAVU.format("-Bold"), 0)]
_MONO = [(_DEJAVU.format("Mono"), 0)]

COLORS = {"forward": (21, 101, 192), "backward": (198, 40, 40)}  # the stepper's blue and red
TEXT, GREY, WHITE = (33, 33, 33), (97, 97, 97), (255, 255, 255)
MARGIN, GAP = 24, 8


@dataclass(frozen=True)
class Caption:
    """What is written above one frame's diagram."""

    phase: str
    title: str
    rule: str
    lines: tuple[str, ...]


def _font(candidates: list[tuple[str, int]], size: int, chinese: Face | None = None):
    """The face for Chinese when there is one, else the first Latin font installed, else
    Pillow's own."""
    from PIL import ImageFont

    for path, index in ([(chinese.path, chinese.index)] if chinese else []) + candidates:
        if Path(path).is_file():
            return ImageFont.truetype(path, size, index=index)
    return ImageFont.load_default(size)


def _wrap(text: str, font, limit: float) -> list[str]:
    """``text`` broken into lines no wider than ``limit`` pixels: at a space where there is
    one, else between characters (Chinese has no spaces)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for ch in paragraph:
            if not line or font.getlength(line + ch) <= limit:
                line += ch
                continue
            cut = line.rfind(" ")
            if cut > 0 and width(ch) == 1 and ch != " ":
                lines.append(line[:cut])
                line = line[cut + 1:] + ch
            else:
                lines.append(line.rstrip())
                line = ch.lstrip()
        lines.append(line)
    return lines


class _Painter:
    """Draws captions above diagrams on canvases of one size."""

    def __init__(self, scale: float = 1.0) -> None:
        self.chinese = chinese_face() is not None
        self.title = _font(_BOLD, round(26 * scale), chinese_face(bold=True))
        self.rule = _font(_REGULAR, round(20 * scale), chinese_face())
        self.mono = _font(_MONO, round(20 * scale))  # the formula lines, as in a terminal
        # ... with Chinese in them
        self.wide_mono = _font(_MONO, round(20 * scale), chinese_face(mono=True))

    def blocks(self, caption: Caption, limit: float) -> list[tuple[object, tuple, list[str]]]:
        color = COLORS.get(caption.phase, TEXT)
        out = [(self.title, color, _wrap(caption.title, self.title, limit))]
        if caption.rule:
            out.append((self.rule, GREY, _wrap(caption.rule, self.rule, limit)))
        for line in caption.lines:
            font = self.mono if width(line) == len(line) else self.wide_mono
            out.append((font, TEXT, _wrap(line, font, limit)))
        return out

    @staticmethod
    def _line_height(font) -> int:
        ascent, descent = font.getmetrics()
        return ascent + descent + GAP // 2

    def height(self, caption: Caption, limit: float) -> int:
        return sum(self._line_height(f) * len(ls) for f, _c, ls in self.blocks(caption, limit))

    def paint(self, picture, caption: Caption | None, size: tuple[int, int], caption_height: int):
        """One frame: white canvas of ``size``, the caption on top, the diagram centred below."""
        from PIL import Image, ImageDraw

        canvas = Image.new("RGB", size, WHITE)
        y = MARGIN
        if caption is not None:
            draw = ImageDraw.Draw(canvas)
            x0 = MARGIN
            draw.rectangle([x0 - 12, y, x0 - 6, y + caption_height - GAP],
                           fill=COLORS.get(caption.phase, TEXT))
            for font, color, lines in self.blocks(caption, size[0] - 2 * MARGIN):
                for line in lines:
                    draw.text((x0, y), line, font=font, fill=color, anchor="la")
                    y += self._line_height(font)
        y = MARGIN + caption_height + MARGIN
        x = (size[0] - picture.width) // 2
        canvas.paste(picture, (x, y))
        return canvas


def _check(path: str | Path, duration_ms: float, max_frames: int) -> tuple[Path, str]:
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise error(ValueError, Text("export_animation writes .gif or .mp4; cannot tell the "
                                     "format from {path}: use a name ending in .gif or .mp4",
                                     path=repr(str(path))))
    if (isinstance(duration_ms, bool) or not isinstance(duration_ms, (int, float))
            or not MIN_DURATION_MS <= duration_ms <= 60_000):
        raise error(ValueError, Text("duration_ms must be a number of milliseconds from {least} "
                                     "to 60000 per frame, got {value}", least=MIN_DURATION_MS,
                                     value=repr(duration_ms)))
    if isinstance(max_frames, bool) or not isinstance(max_frames, int) or max_frames < 1:
        raise error(ValueError, Text("max_frames must be a positive whole number, got {value}",
                                     value=repr(max_frames)))
    return path, fmt


def _walk(root: Value, *, digits: int | None, phases: Sequence[str], rankdir: str,
          collapse: bool, max_frames: int, lang: str | None):
    """(caption, diagram) for every frame of the animation, in order (see the module doc)."""
    walk = frames(root, digits=digits, phases=phases, collapse=collapse, lang=lang)
    todo: list[tuple[Caption, str, int]] = []
    if walk[0].phase == "forward":  # a poster first: the forward result, then the walk
        with speaking(lang):
            title = _("Forward result: {node} = {value}").format(
                node=node_names(root)[root], value=num(root.data, digits))
            rule = _("The forward pass is done: every value is computed. Next, the backward "
                     "pass, gate by gate.")
        todo.append((Caption("forward", title, rule, ()), "backward", 0))
    todo += [(Caption(f.phase, f.title, f.rule, f.lines), f.phase, f.index) for f in walk]
    if len(todo) > max_frames:
        raise error(ValueError, Text(
            "this animation would have {count} frames, more than max_frames={most}: animate a "
            "smaller graph, pass phases=('backward',), or pass max_frames={count} to make it "
            "anyway.", count=len(todo), most=max_frames))
    for caption, phase, step in todo:
        yield caption, draw(root, step=step, phase=phase, digits=digits, rankdir=rankdir,
                            collapse=collapse, lang=lang)


def render_frames(root: Value, *, digits: int | None = None, lang: str | None = None,
                  phases: Sequence[str] = ("forward", "backward"), rankdir: str = "LR",
                  collapse: bool = False, captions: bool = True, dpi: int = 96,
                  max_frames: int = DEFAULT_MAX_FRAMES) -> list:
    """The animation's frames as Pillow RGB images of one size (``captions=False``: the same
    canvases with the caption area left blank, to compare)."""
    from PIL import Image

    from .render import to_png

    steps = list(_walk(root, digits=digits, phases=phases, rankdir=rankdir,
                       collapse=collapse, max_frames=max_frames, lang=lang))
    with speaking(lang), warnings.catch_warnings(record=True) as said:  # one per frame ...
        warnings.simplefilter("always", MissingGlyphsWarning)
        pictures = [Image.open(io.BytesIO(to_png(d, dpi=dpi))).convert("RGB") for _c, d in steps]
    painter = _Painter(scale=dpi / 96)
    labels = [w for w in said if issubclass(w.category, MissingGlyphsWarning)]
    for w in said:  # anything else, as it was said
        if w not in labels:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if labels:  # ... is one for the whole animation, naming the package to install
        warnings.warn(labels[0].message, MissingGlyphsWarning, stacklevel=2)
    elif captions and not painter.chinese and any(
            width(text) > len(text) for c, _d in steps for text in (c.title, c.rule, *c.lines)):
        with speaking(lang):
            warn_missing_font(_("the animation's captions"))
    inner = max(max(p.width for p in pictures), 640)
    limit = inner
    caption_height = max(painter.height(c, limit) for c, _d in steps)
    w = inner + 2 * MARGIN
    h = MARGIN + caption_height + MARGIN + max(p.height for p in pictures) + MARGIN
    size = (w + (-w) % 16, h + (-h) % 16)  # multiples of 16: what video encoders want
    return [painter.paint(p, c if captions else None, size, caption_height)
            for p, (c, _d) in zip(pictures, steps)]


def export_animation(root: Value, path: str | Path, *, duration_ms: float = 1200,
                     digits: int | None = None, lang: str | None = None,
                     phases: Sequence[str] = ("forward", "backward"), rankdir: str = "LR",
                     collapse: bool = False, dpi: int = 96,
                     max_frames: int = DEFAULT_MAX_FRAMES) -> Path:
    """Write the walk through ``root``'s graph as an animated GIF or an mp4 (by the suffix of
    ``path``), each frame ``duration_ms`` long with its caption drawn on it; returns the path.

    GIF needs Pillow (``pip install 'gategrad[demo]'``); mp4 needs imageio and imageio-ffmpeg
    (``pip install 'gategrad[video]'``). The graph's ``.grad`` are left as they were.
    """
    path, fmt = _check(path, duration_ms, max_frames)
    try:
        import PIL  # noqa: F401
    except ImportError as e:
        raise ImportError("export_animation needs Pillow: pip install 'gategrad[demo]' "
                          "(or: pip install pillow)") from e
    if fmt == "mp4":
        try:
            import imageio.v2 as imageio
            import imageio_ffmpeg  # noqa: F401
        except ImportError as e:
            raise ImportError("an mp4 needs imageio and its ffmpeg: pip install "
                              "'gategrad[video]' (or write a .gif, which needs only Pillow)"
                              ) from e
    images = render_frames(root, digits=digits, lang=lang, phases=phases, rankdir=rankdir,
                           collapse=collapse, dpi=dpi, max_frames=max_frames)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "gif":
        images[0].save(path, save_all=True, append_images=images[1:], duration=duration_ms,
                       loop=0, optimize=False)
    else:
        import numpy as np

        with imageio.get_writer(path, fps=1000 / duration_ms, codec="libx264",
                                quality=8, pixelformat="yuv420p", macro_block_size=16) as out:
            for image in images:
                out.append_data(np.asarray(image))
    return path
