"""``gategrad check``: grade a student's own engine gate by gate, or a folder of them.

    gategrad check my_value.py                        # the whole report
    gategrad check submissions/ --csv scores.csv      # one line per file, and the CSV
    gategrad check --flat my_backward.py              # forward(w, x) / backward(w, x)

Each file runs in a child process of its own, with time and memory limits and no network
(``grading.checker``): an endless loop or a ``sys.exit`` is reported for that student and the
others are graded. Exit status: 0 every attempted part passed, 1 one failed, 2 a file could
not be loaded (the worst over the files), or a path that does not exist.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from grading.checker import Limits, check_folder, check_student, student_files, summary, write_csv
from words import _

from .cli import EXIT_USAGE, _fail


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help=_("a student's .py file, or a folder of them (one per student)"))
    parser.add_argument("--flat", action="store_true",
                        help=_("the files define forward(w, x) and backward(w, x) for the notes' "
                               "neuron sigmoid(w0*x0 + w1*x1 + w2), as flat code"))
    parser.add_argument("--class", dest="class_name", default="Value", metavar="NAME",
                        help=_("the name of the student's class (default Value)"))
    parser.add_argument("--csv", metavar="FILE",
                        help=_("write one row per file: passed, attempted, first misconception"))
    parser.add_argument("--reports", metavar="DIR",
                        help=_("write each file's whole report to DIR/<file>.txt"))
    parser.add_argument("--jobs", type=int, default=None,
                        help=_("files graded at once (default: the number of cores)"))
    defaults = Limits()
    parser.add_argument("--part-time", type=float, default=defaults.part_time, metavar="S",
                        help=_("seconds one part may take (default {s:g})").format(
                            s=defaults.part_time))
    parser.add_argument("--file-time", type=float, default=defaults.file_time, metavar="S",
                        help=_("seconds a whole file may take (default {s:g})").format(
                            s=defaults.file_time))
    parser.add_argument("--memory", type=int, default=defaults.memory_mb, metavar="MB",
                        help=_("memory a file may take beyond the start (default {mb} MB)")
                        .format(mb=defaults.memory_mb))


def _files(paths: list[str]) -> list[Path] | None:
    """Every file the paths name (a folder: its .py files); None after an error message."""
    files: list[Path] = []
    for given in map(Path, paths):
        if given.is_dir():
            found = student_files(given)
            if not found:
                _fail("check", _("no .py files in the folder {path}").format(path=given))
                return None
            files += found
        elif given.is_file():
            files.append(given)
        else:
            _fail("check", _("no such file or folder: {path}").format(path=given))
            return None
    return files


def run(args: argparse.Namespace) -> int:
    files = _files(args.paths)
    if files is None:
        return EXIT_USAGE
    limits = Limits(part_time=args.part_time, file_time=max(args.file_time, args.part_time),
                    memory_mb=args.memory)
    options = dict(flat=args.flat, class_name=args.class_name, limits=limits)
    if len(files) == 1 and not Path(args.paths[0]).is_dir():
        reports = [check_student(files[0], **options)]
        print(reports[0].text(args.lang), end="")
    else:
        reports = check_folder(files, jobs=args.jobs, **options)
        print(summary(reports, args.lang))
    if args.reports:
        folder = Path(args.reports)
        folder.mkdir(parents=True, exist_ok=True)
        for report in reports:
            (folder / f"{Path(report.target).stem}.txt").write_text(report.text(args.lang),
                                                                    encoding="utf-8")
        print(_("wrote {count} reports to {path}").format(count=len(reports), path=folder))
    if args.csv:
        print(_("wrote {path}").format(path=write_csv(reports, args.csv, args.lang)))
    return max(r.exit_status for r in reports)
