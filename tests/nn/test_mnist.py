"""nn.load_mnist: the four IDX files read back exactly, and every damaged folder refused with a
message naming the file and what is wrong (small IDX files written by the tests)."""

from __future__ import annotations

import gzip

import numpy as np
import pytest

import nn
from words import localize

from .idx import idx_bytes, write_mnist

# Two 2 × 3 training images and one test image, pixel values typed by hand.
TRAIN_IMAGES = np.array([[[0, 51, 255], [102, 0, 0]], [[255, 255, 0], [0, 153, 204]]], np.uint8)
TRAIN_LABELS = np.array([7, 2], np.uint8)
TEST_IMAGES = np.array([[[0, 0, 0], [0, 0, 255]]], np.uint8)
TEST_LABELS = np.array([9], np.uint8)


def folder_of(tmp_path, gz=False, **replace):
    parts = {"train": (TRAIN_IMAGES, TRAIN_LABELS), "test": (TEST_IMAGES, TEST_LABELS)}
    parts.update(replace)
    return write_mnist(tmp_path / "mnist", parts["train"], parts["test"], gz=gz)


@pytest.mark.parametrize("gz", [False, True])
def test_the_files_read_back_exactly(tmp_path, gz):
    data = nn.load_mnist(folder_of(tmp_path, gz=gz))
    assert data.X_train.dtype == np.float64 and data.X_train.shape == (2, 6)
    assert data.X_train[0].tolist() == [0.0, 0.2, 1.0, 0.4, 0.0, 0.0]
    assert data.X_train[1].tolist() == [1.0, 1.0, 0.0, 0.0, 0.6, 0.8]
    assert data.y_train.tolist() == [7, 2]
    assert data.X_test.tolist() == [[0.0, 0.0, 0.0, 0.0, 0.0, 1.0]]
    assert data.y_test.tolist() == [9]


def test_limit_keeps_the_first_samples_and_dotted_names_are_found(tmp_path):
    folder = folder_of(tmp_path)
    (folder / "train-images-idx3-ubyte").rename(folder / "train-images.idx3-ubyte")
    data = nn.load_mnist(folder, limit=1)
    assert data.y_train.tolist() == [7] and data.X_train.shape == (1, 6)
    with pytest.raises(ValueError, match="limit must be a positive integer"):
        nn.load_mnist(folder, limit=0)


def test_a_missing_file_or_folder_is_named_and_nothing_is_downloaded(tmp_path):
    folder = folder_of(tmp_path)
    (folder / "t10k-labels-idx1-ubyte").unlink()
    with pytest.raises(FileNotFoundError, match=r"no t10k-labels-idx1-ubyte \(nor "
                                                r"t10k-labels-idx1-ubyte.gz\).*never downloads"):
        nn.load_mnist(folder)
    with pytest.raises(FileNotFoundError, match="is not a folder"):
        nn.load_mnist(tmp_path / "nowhere")


def test_a_wrong_magic_number_is_refused(tmp_path):
    folder = folder_of(tmp_path)
    # the labels file where the images belong (a mix-up a tired teacher can make)
    (folder / "train-images-idx3-ubyte").write_bytes(idx_bytes(TRAIN_LABELS))
    with pytest.raises(ValueError, match=r"train-images-idx3-ubyte does not start with the IDX "
                                         r"magic number 0x00000803 .* starts with 0x00000801"):
        nn.load_mnist(folder)
    (folder / "train-images-idx3-ubyte").write_bytes(b"GIF89a" + bytes(20))
    with pytest.raises(ValueError, match="starts with 0x47494638"):
        nn.load_mnist(folder)


def test_truncated_and_overlong_files_are_refused(tmp_path):
    folder = folder_of(tmp_path)
    whole = idx_bytes(TRAIN_IMAGES)
    (folder / "train-images-idx3-ubyte").write_bytes(whole[:-1])
    with pytest.raises(ValueError, match=r"is truncated: its header promises 2 × 2 × 3 = 12 bytes "
                                         r"of data, the file holds 11"):
        nn.load_mnist(folder)
    (folder / "train-images-idx3-ubyte").write_bytes(whole[:9])
    with pytest.raises(ValueError, match=r"truncated: its header needs 16 bytes, the file has 9"):
        nn.load_mnist(folder)
    (folder / "train-images-idx3-ubyte").write_bytes(whole + b"\0")
    with pytest.raises(ValueError, match="longer than its header says"):
        nn.load_mnist(folder)
    (folder / "train-images-idx3-ubyte").write_bytes(gzip.compress(whole)[:-6])
    with pytest.raises(ValueError, match="damaged gzip file"):
        nn.load_mnist(folder)


def test_mismatched_counts_bad_labels_and_mixed_sizes_are_refused(tmp_path):
    folder = folder_of(tmp_path, train=(TRAIN_IMAGES, np.array([7, 2, 1], np.uint8)))
    with pytest.raises(ValueError, match=r"train-images-idx3-ubyte holds 2 images but "
                                         r"train-labels-idx1-ubyte holds 3 labels"):
        nn.load_mnist(folder)
    folder = folder_of(tmp_path, train=(TRAIN_IMAGES, np.array([7, 12], np.uint8)))
    with pytest.raises(ValueError, match="has the label 12 at position 1"):
        nn.load_mnist(folder)
    folder = folder_of(tmp_path, test=(np.zeros((1, 3, 3), np.uint8), TEST_LABELS))
    with pytest.raises(ValueError, match="6 pixels each but the test images 9"):
        nn.load_mnist(folder)


def test_the_messages_speak_chinese(tmp_path):
    folder = folder_of(tmp_path, train=(TRAIN_IMAGES, np.array([7, 2, 1], np.uint8)))
    with pytest.raises(ValueError) as caught:
        nn.load_mnist(folder)
    said = localize(caught.value, "zh")
    assert "train-labels-idx1-ubyte" in said and "3" in said
    assert said != str(caught.value)
