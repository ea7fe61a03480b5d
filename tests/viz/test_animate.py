"""viz.animate: the CS231n backward pass as a GIF (and an mp4) for slides and LMS pages.

Frame counts are written by hand from the graph: f = sigmoid(w0*x0 + w1*x1 + w2) has 5 gates
(two mul, two add, one sigmoid), so 5 forward and 5 backward steps.
"""

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageSequence

from tests.examples import cs231n_with_leaves
from viz import animate

GATES = 5


def read_gif(path):
    with Image.open(path) as im:
        frames = [frame.convert("RGB") for frame in ImageSequence.Iterator(im)]
        durations = []
        for k in range(im.n_frames):
            im.seek(k)
            durations.append(im.info["duration"])
    return frames, durations


def pixels_off(x, y, tolerance=40):
    """How many pixels of two RGB arrays differ by more than ``tolerance`` in some channel."""
    return int(np.any(np.abs(x - y) > tolerance, axis=2).sum())


@pytest.fixture(scope="module")
def backward_gif(tmp_path_factory):
    f, leaves = cs231n_with_leaves()
    path = animate.export_animation(f, tmp_path_factory.mktemp("gif") / "backward.gif",
                                    phases=("backward",), duration_ms=700)
    return f, leaves, path


def test_backward_gif_has_the_forward_result_then_one_frame_per_step(backward_gif):
    f, leaves, path = backward_gif
    frames, durations = read_gif(path)
    # The backward walk's step 0 (every value, no gradient: the forward result) + 5 steps.
    assert len(frames) == 1 + GATES
    assert durations == [700] * (1 + GATES)
    assert len({frame.size for frame in frames}) == 1  # one layout: nothing jumps
    w, h = frames[0].size
    assert w % 16 == 0 and h % 16 == 0
    # Writing the animation left the user's graph alone: no gradient was computed.
    assert [v.grad for v in leaves] == [0.0] * 5 and f.grad == 0.0


def test_default_animation_starts_with_the_forward_result_and_ends_with_the_gradients():
    f, _ = cs231n_with_leaves()
    steps = list(animate._walk(f, digits=None, phases=("forward", "backward"), rankdir="LR",
                               collapse=False, max_frames=100, lang="en"))
    titles = [caption.title for caption, _ in steps]
    # A poster, the forward walk (inputs + 5 gates), the backward walk (df/df = 1 + 5 gates).
    assert len(steps) == 1 + (1 + GATES) + (1 + GATES)
    assert titles[0] == "Forward result: f = 0.73"  # sigmoid(1) = 0.7311
    assert titles[1] == "Forward pass · 5 gates"
    assert titles[7] == "Backward pass · 5 gates"
    assert titles[-1].startswith("Backward step 5 of 5")
    # The last picture holds every gradient: df/dw0 = -0.20 ... df/dw2 = 0.20 (2 digits).
    last = steps[-1][1].source
    for grad in ("-0.20", "0.39", "-0.39", "-0.59", "0.20"):
        assert grad in last
    first = steps[0][1].source
    assert "0.73" in first and "-0.59" not in first


def test_captions_are_drawn_on_the_frames(backward_gif):
    f, _, path = backward_gif
    gif, _ = read_gif(path)
    captioned = animate.render_frames(f, phases=("backward",))
    bare = animate.render_frames(f, phases=("backward",), captions=False)
    assert [im.size for im in captioned] == [im.size for im in bare] == [gif[0].size] * 6
    for with_caption, without, stored in zip(captioned, bare, gif):
        a, b = np.asarray(with_caption, dtype=int), np.asarray(without, dtype=int)
        rows = np.flatnonzero(np.any(a != b, axis=(1, 2)))
        assert rows.size > 20, "no caption drawn"
        # The caption sits above the diagram; the picture below it is the same.
        top = rows.max() + 1
        assert np.array_equal(a[top:], b[top:]) and np.any(b[top:] != 255)
        assert not np.any(b[:top] != 255)  # without caption, that band is blank
        # The GIF holds the captioned frame (palette rounding aside), not the bare one.
        s = np.asarray(stored, dtype=int)
        ink = np.any(a != b, axis=2).sum()  # the caption's pixels
        assert pixels_off(s, a) < 0.02 * ink and pixels_off(s, b) > 0.5 * ink
    # Each step has its own caption: no two frames are alike.
    pixels = {np.asarray(im).tobytes() for im in captioned}
    assert len(pixels) == len(captioned)


def test_chinese_captions_are_drawn_with_a_cjk_font():
    f, _ = cs231n_with_leaves()
    painter = animate._Painter()
    assert painter.chinese, "install fonts-noto-cjk (make test does)"
    # Real glyphs, not one "missing character" box for every character.
    def glyph(ch):
        image = Image.new("L", (60, 60))
        ImageDraw.Draw(image).text((5, 5), ch, font=painter.title, fill=255)
        return np.asarray(image).tobytes()

    assert glyph("梯") != glyph("度")
    steps = list(animate._walk(f, digits=None, phases=("forward", "backward"), rankdir="LR",
                               collapse=False, max_frames=100, lang="zh"))
    assert steps[0][0].title == "前向传播结果：f = 0.73"
    english = animate.render_frames(f, lang="en")[0]
    chinese = animate.render_frames(f, lang="zh")[0]
    assert english.size == chinese.size
    assert np.asarray(english).tobytes() != np.asarray(chinese).tobytes()


def test_wrap_breaks_english_at_spaces_and_chinese_anywhere():
    font = animate._Painter().rule
    limit = font.getlength("mul swaps the")
    lines = animate._wrap("mul swaps the upstream gradient", font, limit)
    assert lines == ["mul swaps the", "upstream", "gradient"]
    text = "乘法门：梯度交叉相乘"
    lines = animate._wrap(text, font, font.getlength("乘法门：梯"))
    assert lines == ["乘法门：梯", "度交叉相乘"]


def test_mp4_has_one_video_frame_per_animation_frame(tmp_path):
    imageio = pytest.importorskip("imageio.v3")  # the `video` extra, which `make test` installs
    f, _ = cs231n_with_leaves()
    path = animate.export_animation(f, tmp_path / "backward.mp4", phases=("backward",),
                                    duration_ms=500)
    video = imageio.imread(path, index=None)
    assert video.shape[0] == 1 + GATES
    first = animate.render_frames(f, phases=("backward",))[0]
    assert video.shape[1:3] == (first.height, first.width)


@pytest.mark.parametrize("kwargs, message", [
    ({"duration_ms": 0}, "duration_ms must be a number of milliseconds from 20 to 60000 per "
                         "frame, got 0"),
    ({"duration_ms": float("nan")}, "duration_ms must be .* got nan"),
    ({"duration_ms": "fast"}, "duration_ms must be .* got 'fast'"),
    ({"max_frames": 0}, "max_frames must be a positive whole number, got 0"),
    ({"max_frames": 3}, r"this animation would have 13 frames, more than max_frames=3"),
    ({"phases": ("sideways",)}, "phases must be a sequence of 'forward' and/or 'backward'"),
    ({"digits": -1}, "digits"),
])
def test_bad_settings_are_named_and_nothing_is_written(tmp_path, kwargs, message):
    f, leaves = cs231n_with_leaves()
    path = tmp_path / "a.gif"
    with pytest.raises(ValueError, match=message):
        animate.export_animation(f, path, **kwargs)
    assert not path.exists()
    assert [v.grad for v in leaves] == [0.0] * 5


def test_an_unknown_suffix_is_refused(tmp_path):
    f, _ = cs231n_with_leaves()
    with pytest.raises(ValueError, match=r"writes \.gif or \.mp4; cannot tell the format from "
                                         r"'.*a\.avi'"):
        animate.export_animation(f, tmp_path / "a.avi")
    assert not (tmp_path / "a.avi").exists()
