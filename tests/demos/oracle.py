"""Independent checks for the demos' outputs: PNG files decoded by Pillow, an MLP's scores by
plain numpy from its weights (not through the engine or the replay)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def assert_png(path: Path, min_width: int = 400, min_height: int = 250) -> None:
    """A real PNG of a readable size: the signature, then Pillow decodes every pixel."""
    path = Path(path)
    assert path.is_file(), f"{path} was not written"
    assert path.read_bytes()[:8] == PNG_SIGNATURE, f"{path} is not a PNG"
    with Image.open(path) as image:
        image.load()  # decodes the whole file: a truncated PNG raises here
        assert image.width >= min_width and image.height >= min_height, image.size
        extrema = image.convert("L").getextrema()
    assert extrema[0] < extrema[1], f"{path} is blank"


def numpy_scores(model, X) -> np.ndarray:
    """The MLP's outputs on every row of X: layer by layer h = act(h Wᵀ + b) with numpy."""
    acts = {"relu": lambda s: np.maximum(s, 0.0), "tanh": np.tanh,
            "sigmoid": lambda s: 1.0 / (1.0 + np.exp(-s)), "linear": lambda s: s}
    h = np.asarray(X, dtype=np.float64)
    for layer in model.layers:
        W = np.array([[w.data for w in n.w] for n in layer.neurons])
        b = np.array([n.b.data for n in layer.neurons])
        h = acts[layer.activation](h @ W.T + b)
    return h
