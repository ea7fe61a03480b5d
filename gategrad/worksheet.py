"""``gategrad worksheet``: a printable sheet of exercises and its answer key, beside it.

    gategrad worksheet --level 3 --count 4 --seed 7 -o sheet.html   # + sheet-answers.html
    gategrad worksheet --level 5 --seed 1 -o sheet.tex              # LaTeX (xelatex)
    gategrad worksheet --preset notes1 -o notes1.html               # the lecture notes' own
    gategrad worksheet --preset notes1 -o notes1.tex                # the same, LaTeX

The same seed gives the same sheet, so each student can get their own (--seed per student).
``--digits`` shows more decimals (or fewer, where no given number or answer would be rounded);
the key says how far an answer may be from it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from grading.exercises import LEVELS
from viz.worksheet import FORMATS, PRESETS, write_worksheet
from words import _

from .cli import EXIT_OK
from .expr import ExprError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--level", type=int, choices=sorted(LEVELS),
                        help=_("1 one gate, 2 a chain, 3 fan-out, 4 a neuron and its loss, "
                               "5 a two-layer network with its δ terms"))
    parser.add_argument("--preset", choices=sorted(PRESETS),
                        help=_("the lecture notes' exercises instead of a level: notes1 by hand "
                               "through a relu and a sigmoid, notes2 a training loop, notes3 a "
                               "gradient check"))
    parser.add_argument("--count", type=int, default=4,
                        help=_("exercises on the sheet (default 4)"))
    parser.add_argument("--seed", type=int, default=0,
                        help=_("the same seed gives the same sheet (default 0)"))
    parser.add_argument("--digits", type=int, default=None,
                        help=_("decimals shown (default: each exercise's own, which shows its "
                               "answers exactly)"))
    parser.add_argument("-o", "--output", metavar="FILE",
                        help=_("the sheet, .html or .tex (default worksheet.html); the key is "
                               "written beside it as FILE-answers"))
    parser.add_argument("--format", choices=FORMATS,
                        help=_("html or tex (default: from the -o suffix, else html)"))


def run(args: argparse.Namespace) -> int:
    if (args.level is None) == (args.preset is None):
        raise ExprError(_("give --level N or --preset NAME (one of them)"))
    if args.preset is not None and (args.count != 4 or args.seed != 0):
        raise ExprError(_("--count and --seed go with --level; a preset is always the same"))
    fmt = args.format
    path = Path(args.output) if args.output else Path(f"worksheet.{fmt or 'html'}")
    suffix = path.suffix.lstrip(".").lower()
    if fmt is None:
        fmt = suffix if suffix in FORMATS else "html"
    elif suffix and suffix != fmt:
        raise ExprError(_("--format {fmt} does not match the file name {path}").format(
            fmt=fmt, path=path))
    try:
        sheet, key = write_worksheet(path, level=args.level, count=args.count, seed=args.seed,
                                     preset=args.preset, fmt=fmt, lang=args.lang,
                                     digits=args.digits)
    except ValueError as error:  # a setting the sheet cannot honour: exit 2, one line
        raise ExprError(getattr(error, "text", None) or str(error)) from None
    print(_("wrote {sheet} and its answer key {key}").format(sheet=sheet, key=key))
    return EXIT_OK
