"""Tables line up by display width: Chinese characters take two columns."""

from words import align, pad, width


def test_width_counts_wide_characters_twice():
    assert width("权重") == 4
    assert width("w0") == 2
    assert width("δ₁") == 2
    assert width("") == 0


def test_pad_and_align_by_display_width():
    assert pad("权重", 6) == "权重  "
    assert pad("x", 3, right=True) == "  x"
    lines = align([["名字", "grad"], ["x", "1.00"], ["权重", "-0.20"]], right={1})
    assert lines == ["名字   grad", "x      1.00", "权重  -0.20"]
    assert len({width(line) for line in lines}) == 1
