"""Small seeded toy data sets for lessons: two moons (micrograd's demo) and spirals (CS231n).

The project's own code (numpy only), so a lesson needs no scikit-learn and every run with the
same seed gives the same points.
"""

from __future__ import annotations

import numpy as np


def make_moons(n: int = 100, noise: float = 0.1, seed: int | None = 0,
               signed: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles: X of shape (n, 2), y of shape (n,) in {0, 1}
    ({-1, 1} with ``signed=True``, the labels the hinge loss wants).

    Same construction as sklearn.datasets.make_moons: the upper moon is the half circle
    (cos t, sin t), the lower one (1 - cos t, 0.5 - sin t), t in [0, π]; points are shuffled,
    then Gaussian noise of standard deviation ``noise`` is added.
    """
    if n < 2:
        raise ValueError(f"make_moons: need n >= 2 points, got {n}")
    rng = np.random.default_rng(seed)
    n_upper = n // 2
    n_lower = n - n_upper
    t_upper = np.linspace(0.0, np.pi, n_upper)
    t_lower = np.linspace(0.0, np.pi, n_lower)
    X = np.concatenate([
        np.stack([np.cos(t_upper), np.sin(t_upper)], axis=1),
        np.stack([1.0 - np.cos(t_lower), 0.5 - np.sin(t_lower)], axis=1),
    ])
    y = np.concatenate([np.zeros(n_upper, dtype=np.int64), np.ones(n_lower, dtype=np.int64)])
    order = rng.permutation(n)
    X, y = X[order], y[order]
    if noise:
        X = X + rng.normal(0.0, noise, size=X.shape)
    return X, (2 * y - 1 if signed else y)


def make_spirals(n_per_class: int = 50, classes: int = 3, noise: float = 0.2,
                 seed: int | None = 0) -> tuple[np.ndarray, np.ndarray]:
    """CS231n's spiral data: ``classes`` arms of ``n_per_class`` points each, labels 0..k-1.

    Not linearly separable, so a softmax classifier needs hidden layers.
    """
    if n_per_class < 1 or classes < 2:
        raise ValueError("make_spirals: need n_per_class >= 1 and classes >= 2")
    rng = np.random.default_rng(seed)
    X = np.zeros((n_per_class * classes, 2))
    y = np.zeros(n_per_class * classes, dtype=np.int64)
    for c in range(classes):
        rows = slice(n_per_class * c, n_per_class * (c + 1))
        r = np.linspace(0.0, 1.0, n_per_class)
        t = np.linspace(c * 4.0, (c + 1) * 4.0, n_per_class) + rng.normal(0, noise, n_per_class)
        X[rows] = np.stack([r * np.sin(t), r * np.cos(t)], axis=1)
        y[rows] = c
    return X, y


def split(X, y, val_fraction: float = 0.2, seed: int | None = 0):
    """Shuffle and split into (X_train, y_train), (X_val, y_val)."""
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y)
    if len(X) != len(y):
        raise ValueError(f"split: X has {len(X)} rows but y has {len(y)} labels")
    if not 0.0 < val_fraction < 1.0:
        raise ValueError(f"split: val_fraction must be in (0, 1), got {val_fraction}")
    order = np.random.default_rng(seed).permutation(len(X))
    n_val = max(1, int(round(val_fraction * len(X))))
    val, train = order[:n_val], order[n_val:]
    return (X[train], y[train]), (X[val], y[val])
