"""``gategrad lesson``: the notes' network in one offline page that trains in the browser.

    gategrad lesson --data moons --model 2,16,16,1 --loss bce -o moons.html
    gategrad lesson --data digits --model 64,32,10 -o digits.html
    gategrad lesson --data mnist:~/mnist --model 784,64,32,10 -o mnist.html
    gategrad lesson --data points.csv --model 3,8,1 --loss mse -o points.html

A CSV file holds one sample per line, its features and then its label (a header line is
skipped). MNIST is read from the folder the user names (nn.load_mnist; never downloaded), its
test files giving the validation curve; the page carries its data, so --samples caps how many.
"""

from __future__ import annotations

import argparse
import csv
import math
from pathlib import Path

import numpy as np

from words import _

from .cli import EXIT_OK
from .expr import ExprError

# What each data set trains by default: sizes, loss, learning rate, batch size. Chosen so that
# the first Play (20 epochs) shows the network learn: the moons reach 100% validation accuracy
# (with η 0.5 and batches of 32 they stood at 77.5%); digits as `make demo` writes them.
DEFAULTS = {"moons": ("2,16,16,1", "bce", 1.0, 16),
            "digits": ("64,32,10", "cross_entropy", 0.5, 16),
            "mnist": ("784,64,32,10", "cross_entropy", 0.1, 32)}
MNIST_SAMPLES = 500


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", required=True, metavar="DATA",
                        help=_("moons, digits, FILE.csv (features, then the label) or "
                               "mnist:FOLDER (the four IDX files)"))
    parser.add_argument("--model", metavar="SIZES",
                        help=_("layer sizes from the inputs to the outputs, e.g. 2,16,16,1 "
                               "(default: one that suits the data)"))
    parser.add_argument("--loss", help=_("mse, bce, hinge, cross_entropy or multiclass_hinge "
                                         "(default: one that suits the data)"))
    parser.add_argument("--activation", default="relu",
                        help=_("the hidden layers' activation: relu, tanh or sigmoid "
                               "(default relu)"))
    parser.add_argument("--lr", type=float, help=_("the learning rate η of SGD"))
    parser.add_argument("--batch-size", type=int,
                        help=_("samples per SGD step (default: one that suits the data)"))
    parser.add_argument("--epochs-in-page", type=int, default=20,
                        help=_("epochs the Play button trains before it pauses (default 20)"))
    parser.add_argument("--samples", type=int,
                        help=_("use at most this many training samples (MNIST: default {n}; "
                               "the page carries them)").format(n=MNIST_SAMPLES))
    parser.add_argument("--seed", type=int, default=0,
                        help=_("seeds the weights, the split and the shuffle (default 0)"))
    parser.add_argument("--title", help=_("the page title"))
    parser.add_argument("-o", "--output", metavar="FILE", default="lesson.html",
                        help=_("the HTML file to write (default lesson.html)"))


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",")]
    except ValueError:
        sizes = []
    if len(sizes) < 2 or min(sizes) < 1:
        raise ExprError(_("--model {text}: give the layer sizes as whole numbers, inputs first, "
                          "e.g. 2,16,16,1").format(text=text))
    return sizes


def read_csv(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Rows of numbers, the last one the label; a first line that is not numbers is a header."""
    try:
        with path.open(newline="", encoding="utf-8") as f:
            rows = [row for row in csv.reader(f) if row and any(cell.strip() for cell in row)]
    except OSError as e:
        raise ExprError(_("--data {path}: cannot read it ({why})").format(
            path=path, why=e.strerror or e)) from None
    values = []
    for k, row in enumerate(rows, 1):
        try:
            numbers = [float(cell) for cell in row]
        except ValueError:
            if k == 1:
                continue  # a header
            raise ExprError(_("--data {path}: line {line} is not numbers: {row}").format(
                path=path, line=k, row=",".join(row)[:60])) from None
        if not all(math.isfinite(x) for x in numbers):
            raise ExprError(_("--data {path}: line {line} holds a value that is not finite"
                              ).format(path=path, line=k))
        values.append(numbers)
    widths = {len(v) for v in values}
    if not values or len(widths) != 1 or widths.pop() < 2:
        raise ExprError(_("--data {path}: every line must hold the same number (at least 2) of "
                          "values, the features and then the label").format(path=path))
    table = np.array(values)
    return table[:, :-1], table[:, -1]


def load(data: str, seed: int, samples: int | None):
    """(X, y), (X_val, y_val) and the data set's kind (for the defaults)."""
    import nn

    if data == "moons":
        X, y = nn.make_moons(200 if samples is None else samples, noise=0.1, seed=seed)
        return *nn.split(X, y, 0.2, seed=seed), "moons"
    if data == "digits":
        from demos.digits import load_digits_split

        s = load_digits_split(seed=seed)
        n = len(s.X_train) if samples is None else samples
        return (s.X_train[:n], np.asarray(s.y_train[:n])), (s.X_val, np.asarray(s.y_val)), \
            "digits"
    if data.startswith("mnist:"):
        limit = MNIST_SAMPLES if samples is None else samples
        m = nn.load_mnist(Path(data[len("mnist:"):]).expanduser(), limit=limit)
        return (m.X_train, m.y_train), (m.X_test[:max(1, limit // 5)],
                                        m.y_test[:max(1, limit // 5)]), "mnist"
    path = Path(data)
    if path.suffix.lower() != ".csv":
        raise ExprError(_("--data {data}: choose moons, digits, a .csv file or mnist:FOLDER"
                          ).format(data=data))
    X, y = read_csv(path)
    if samples is not None:
        X, y = X[:samples], y[:samples]
    return *nn.split(X, y, 0.2, seed=seed), "csv"


def run(args: argparse.Namespace) -> int:
    import nn
    import viz

    if args.samples is not None and args.samples < 2:
        raise ExprError(_("--samples must be at least 2"))
    (X, y), val, kind = load(args.data, args.seed, args.samples)
    sizes_text, loss, lr, batch = DEFAULTS.get(kind, (None, "mse", 0.1, 32))
    if args.model is None and sizes_text is None:
        sizes_text = f"{X.shape[1]},16,1"
    sizes = _sizes(args.model or sizes_text)
    if sizes[0] != X.shape[1]:
        raise ExprError(_("--model {model}: the data has {width} features per sample, so the "
                          "first size must be {width}").format(model=args.model or sizes_text,
                                                               width=X.shape[1]))
    if kind == "csv":  # the loss that suits the model's outputs and the labels
        loss = ("cross_entropy" if sizes[-1] > 1 else
                "bce" if set(np.unique(y)) <= {0.0, 1.0} else "mse")
    init = "he" if args.activation == "relu" else "xavier"
    model = nn.MLP(sizes[0], sizes[1:], activation=args.activation, init=init, seed=args.seed)
    path = viz.lesson(model, X, y, args.output, loss=args.loss or loss, val=val,
                      lr=lr if args.lr is None else args.lr,
                      batch_size=batch if args.batch_size is None else args.batch_size,
                      seed=args.seed, epochs=args.epochs_in_page, title=args.title,
                      lang=args.lang)
    size = path.stat().st_size
    print(_("wrote {path} ({size}): open it in a browser; Space plays, S steps one batch, ← → "
            "walk through the passes").format(path=path, size=f"{size / 1e6:.1f} MB"))
    return EXIT_OK
