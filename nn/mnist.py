"""MNIST from files the teacher already has: ``load_mnist(folder)`` reads the four IDX files.

IDX (the format MNIST ships in) is a 4-byte magic number (0, 0, the type code 0x08 for unsigned
bytes, the number of dimensions), one big-endian 32-bit size per dimension, then the data. The
files may be gzipped or not (detected from their first bytes, not their names). Every check a
damaged or mixed-up folder can fail says which file and what it found: a missing file, a wrong
magic number, a file shorter or longer than its header promises, labels for a different number
of images, a label outside 0..9, train and test images of different sizes. Nothing is ever
downloaded: the lecture's data set comes from the folder the user names.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path
from typing import NamedTuple

import numpy as np

from words import Text, error

# The four files, under the names MNIST uses (some copies write a dot before idx: accepted).
NAMES = {"train_images": "train-images-idx3-ubyte", "train_labels": "train-labels-idx1-ubyte",
         "test_images": "t10k-images-idx3-ubyte", "test_labels": "t10k-labels-idx1-ubyte"}
UNSIGNED_BYTE = 0x08


class MNIST(NamedTuple):
    """Pixels scaled to [0, 1] as float64 rows of rows × cols numbers; labels 0..9."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


def _find(folder: Path, name: str) -> Path:
    dotted = name.replace("-idx", ".idx")
    candidates = [f"{stem}{gz}" for stem in (name, dotted) for gz in (".gz", "")]
    for candidate in candidates:
        if (folder / candidate).is_file():
            return folder / candidate
    raise error(FileNotFoundError, Text(
        "load_mnist: {folder} has no {name} (nor {name}.gz): the folder must hold MNIST's four "
        "IDX files, {files}; gategrad never downloads them", folder=str(folder), name=name,
        files=", ".join(NAMES.values())))


def _bytes(path: Path) -> bytes:
    raw = path.read_bytes()
    if raw[:2] != b"\x1f\x8b":
        return raw
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as e:
        raise error(ValueError, Text("load_mnist: {path} is a damaged gzip file ({why})",
                                     path=str(path), why=str(e) or type(e).__name__)) from None


def read_idx(path: str | Path, ndim: int) -> np.ndarray:
    """One IDX file of unsigned bytes with ``ndim`` dimensions, checked against its header."""
    path = Path(path)
    raw = _bytes(path)
    magic = raw[:4]
    if len(magic) < 4 or magic[:2] != b"\0\0" or magic[2] != UNSIGNED_BYTE or magic[3] != ndim:
        want = f"0x{UNSIGNED_BYTE << 8 | ndim:08x}"
        got = f"0x{int.from_bytes(magic, 'big'):0{2 * len(magic)}x}" if magic else "nothing"
        raise error(ValueError, Text(
            "load_mnist: {path} does not start with the IDX magic number {want} (unsigned bytes, "
            "{ndim} dimensions); it starts with {got}. Is it one of MNIST's files, and the right "
            "one?", path=str(path), want=want, ndim=ndim, got=got))
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise error(ValueError, Text(
            "load_mnist: {path} is truncated: its header needs {need} bytes, the file has "
            "{have}", path=str(path), need=header, have=len(raw)))
    dims = tuple(int(d) for d in np.frombuffer(raw, ">u4", ndim, 4))
    size = int(np.prod(dims, dtype=np.int64))
    have = len(raw) - header
    shape = " × ".join(map(str, dims))
    if have < size:
        raise error(ValueError, Text(
            "load_mnist: {path} is truncated: its header promises {shape} = {size} bytes of "
            "data, the file holds {have}", path=str(path), shape=shape, size=size, have=have))
    if have > size:
        raise error(ValueError, Text(
            "load_mnist: {path} is longer than its header says: it promises {shape} = {size} "
            "bytes of data, the file holds {have}", path=str(path), shape=shape, size=size,
            have=have))
    return np.frombuffer(raw, np.uint8, size, header).reshape(dims)


def _split(folder: Path, part: str, limit: int | None) -> tuple[np.ndarray, np.ndarray]:
    images_path, labels_path = (_find(folder, NAMES[f"{part}_{kind}"]) for kind in
                                ("images", "labels"))
    images, labels = read_idx(images_path, 3), read_idx(labels_path, 1)
    if len(images) != len(labels):
        raise error(ValueError, Text(
            "load_mnist: {images} holds {n_images} images but {labels} holds {n_labels} labels; "
            "the two files of a split must belong together", images=images_path.name,
            n_images=len(images), labels=labels_path.name, n_labels=len(labels)))
    bad = np.flatnonzero(labels > 9)
    if len(bad):
        raise error(ValueError, Text(
            "load_mnist: {labels} has the label {label} at position {at}; MNIST's labels are the "
            "digits 0..9", labels=labels_path.name, label=int(labels[bad[0]]), at=int(bad[0])))
    n = len(images) if limit is None else min(limit, len(images))
    X = images[:n].reshape(n, -1).astype(np.float64) / 255.0
    return X, labels[:n].astype(np.int64)


def load_mnist(folder: str | Path, *, limit: int | None = None) -> MNIST:
    """MNIST's training and test sets from the four IDX files in ``folder`` (never downloads).

    Images become rows of pixels scaled to [0, 1] (784 numbers for MNIST's 28 × 28), labels
    integers 0..9. ``limit`` keeps the first ``limit`` samples of each split (a lesson with 64).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise error(FileNotFoundError, Text(
            "load_mnist: {folder} is not a folder; name the folder that holds MNIST's four IDX "
            "files", folder=str(folder)))
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise error(ValueError, Text("load_mnist: limit must be a positive integer or None, got "
                                     "{limit}", limit=repr(limit)))
    X_train, y_train = _split(folder, "train", limit)
    X_test, y_test = _split(folder, "test", limit)
    if X_train.shape[1] != X_test.shape[1]:
        raise error(ValueError, Text(
            "load_mnist: the training images have {train} pixels each but the test images "
            "{test}; the files come from different data sets", train=X_train.shape[1],
            test=X_test.shape[1]))
    return MNIST(X_train, y_train, X_test, y_test)
