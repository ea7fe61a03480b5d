"""Writing small IDX files for tests (MNIST's format, written by hand here with struct)."""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import numpy as np


def idx_bytes(array: np.ndarray) -> bytes:
    """Magic 0, 0, 0x08 (unsigned bytes), ndim; one big-endian uint32 per dimension; data."""
    array = np.asarray(array, dtype=np.uint8)
    head = bytes([0, 0, 0x08, array.ndim]) + b"".join(struct.pack(">I", d) for d in array.shape)
    return head + array.tobytes()


def write_mnist(folder: Path, train: tuple, test: tuple, gz: bool = False) -> Path:
    """The four files of MNIST in ``folder`` from (images, labels) pairs (uint8 arrays)."""
    folder.mkdir(parents=True, exist_ok=True)
    names = {"train-images-idx3-ubyte": train[0], "train-labels-idx1-ubyte": train[1],
             "t10k-images-idx3-ubyte": test[0], "t10k-labels-idx1-ubyte": test[1]}
    for name, array in names.items():
        data = idx_bytes(array)
        if gz:
            (folder / f"{name}.gz").write_bytes(gzip.compress(data))
        else:
            (folder / name).write_bytes(data)
    return folder


def synthetic_digits(n: int, size: int = 28, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """n images of size × size with a bright bar whose position is the label (0..9)."""
    rng = np.random.default_rng(seed)
    labels = (np.arange(n) % 10).astype(np.uint8)
    images = rng.integers(0, 40, size=(n, size, size)).astype(np.uint8)
    for k, label in enumerate(labels):
        row = 2 + int(label) * (size - 4) // 10
        images[k, row:row + 2, 3:size - 3] = 230
    return images, labels
