"""The digits demo learns on one part, chooses on another and reports on a third: three
disjoint, seeded splits; and its mistakes figure shows what its title says it shows."""

import numpy as np
import pytest
from sklearn.datasets import load_digits

from demos import digits


def test_the_three_splits_are_disjoint_seeded_and_cover_the_data():
    data = digits.load_digits_split()
    rows = {name: set(r.tolist()) for name, r in data.rows.items()}
    assert set(rows) == {"train", "val", "test"}
    assert not rows["train"] & rows["val"]
    assert not rows["train"] & rows["test"]
    assert not rows["val"] & rows["test"]
    assert set().union(*rows.values()) == set(range(1797))
    assert [len(rows[k]) for k in ("train", "val", "test")] == [1079, 359, 359]
    # The arrays are those rows of scikit-learn's data, pixels scaled from 0..16 to 0..1.
    raw = load_digits()
    for name, X, y in (("train", data.X_train, data.y_train), ("val", data.X_val, data.y_val),
                       ("test", data.X_test, data.y_test)):
        np.testing.assert_array_equal(X * 16, raw.data[data.rows[name]])
        assert y == raw.target[data.rows[name]].tolist()
    # No image appears in two parts, even as a duplicate row under another index.
    seen = {}
    for name, X in (("train", data.X_train), ("val", data.X_val), ("test", data.X_test)):
        for row in X:
            seen.setdefault(row.tobytes(), set()).add(name)
    assert all(len(parts) == 1 for parts in seen.values())
    # Seeded: the same seed gives the same split, another seed another one.
    again, other = digits.load_digits_split(), digits.load_digits_split(seed=1)
    assert all(np.array_equal(again.rows[k], data.rows[k]) for k in rows)
    assert not np.array_equal(other.rows["test"], data.rows["test"])


def fake_mistakes(n):
    rng = np.random.default_rng(0)
    return rng.random((n, 64)), np.arange(n) % 10, (np.arange(n) + 3) % 10


def shown_panels(fig):
    return sum(1 for ax in fig.axes if ax.images)


@pytest.mark.parametrize("n, shown, title", [
    (1, 1, "The one test digit the network gets wrong"),  # was "All 1 test digits"
    (2, 2, "All 2 test digits the network gets wrong"),
    (16, 16, "All 16 test digits the network gets wrong"),
    (40, 40, "All 40 test digits the network gets wrong"),
    (45, 40, "40 of the 45 test digits the network gets wrong"),
])
def test_the_mistakes_figure_shows_what_its_title_counts(n, shown, title):
    images, true, predicted = fake_mistakes(n)
    fig, count = digits.mistakes_figure(images, true, predicted)
    assert count == shown == shown_panels(fig)
    assert fig._suptitle.get_text() == title
    # Each panel is the mistake it names, in order.
    panels = [ax for ax in fig.axes if ax.images]
    for k, ax in enumerate(panels):
        assert ax.get_title() == f"true {true[k]}\npredicted {predicted[k]}"
        np.testing.assert_array_equal(ax.images[0].get_array(), images[k].reshape(8, 8))


@pytest.mark.parametrize("lang, shown, total, title", [
    ("en", 0, 0, "The network gets every test digit right"),
    ("en", 1, 1, "The one test digit the network gets wrong"),
    ("en", 1, 45, "1 of the 45 test digits the network gets wrong"),
    ("zh", 0, 0, "网络把每个测试数字都分对了"),
    ("zh", 1, 1, "网络分错的那 1 个测试数字"),
    ("zh", 2, 2, "网络分错的全部 2 个测试数字"),
])
def test_the_title_counts_in_words_a_class_reads(lang, shown, total, title):
    from words import speaking

    with speaking(lang):
        assert digits.mistakes_title(shown, total) == title


def test_the_mistakes_figure_in_chinese_is_drawn_with_a_cjk_font(tmp_path):
    from demos._plot import save
    from words import speaking

    images, true, predicted = fake_mistakes(3)
    with speaking("zh"):
        fig, shown = digits.mistakes_figure(images, true, predicted)
    assert fig._suptitle.get_text() == "网络分错的全部 3 个测试数字"
    assert [ax.get_title() for ax in fig.axes if ax.images][0] == "真实 0\n预测 3"
    save(fig, tmp_path, "mistakes.png")
    assert "Noto Sans CJK SC" in fig._suptitle.get_fontfamily()
