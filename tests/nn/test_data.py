"""The toy data generators: geometry, labels, seeding."""

import numpy as np
import pytest
from sklearn.datasets import make_moons as sklearn_moons

from nn import make_moons, make_spirals, split


def test_noiseless_moons_are_sklearns_points_and_lie_on_their_circles():
    X, y = make_moons(101, noise=0.0)
    Xs, ys = sklearn_moons(101, noise=0.0, shuffle=False)
    for label in (0, 1):
        ours = np.array(sorted(map(tuple, X[y == label])))
        theirs = np.array(sorted(map(tuple, Xs[ys == label])))
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-15)
    upper, lower = X[y == 0], X[y == 1]
    np.testing.assert_allclose((upper**2).sum(axis=1), 1.0, atol=1e-15)
    np.testing.assert_allclose(((lower - [1.0, 0.5]) ** 2).sum(axis=1), 1.0, atol=1e-15)
    assert (len(upper), len(lower)) == (50, 51)


def test_moons_are_seeded_shuffled_and_signed_on_request():
    X1, y1 = make_moons(100, noise=0.1, seed=4)
    X2, y2 = make_moons(100, noise=0.1, seed=4)
    X3, _ = make_moons(100, noise=0.1, seed=5)
    assert (X1 == X2).all() and (y1 == y2).all() and not (X1 == X3).all()
    assert X1.shape == (100, 2) and X1.dtype == np.float64
    assert 0 < y1[:50].sum() < 50  # shuffled, not 50 zeros then 50 ones
    _, ys = make_moons(100, noise=0.1, seed=4, signed=True)
    assert (ys == 2 * y1 - 1).all() and set(ys.tolist()) == {-1, 1}
    with pytest.raises(ValueError, match="n >= 2"):
        make_moons(1)


def test_spirals_and_split():
    X, y = make_spirals(20, 4, seed=1)
    assert X.shape == (80, 2) and np.bincount(y).tolist() == [20] * 4
    assert np.abs(X).max() <= 1.0
    (Xt, yt), (Xv, yv) = split(X, y, 0.25, seed=0)
    assert len(Xv) == 20 and len(Xt) == 60
    rows = sorted(map(tuple, np.vstack([Xt, Xv])))
    assert rows == sorted(map(tuple, X))
    with pytest.raises(ValueError, match="80 rows but y has 3 labels"):
        split(X, y[:3])
