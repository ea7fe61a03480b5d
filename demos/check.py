"""A student's own engine, checked gate by gate: what ``gategrad check`` tells a class.

1. One student's engine, ``=`` instead of ``+=`` (demos/student/replaced_not_added.py): the
   report names the parts it passes, the fork where it first goes wrong, upstream and local as
   gategrad computes them, and the misconception from the catalogue.
2. The folder demos/student/ graded at once, as a teacher grades a class's homework: a correct
   engine and one engine per mistake, each with its first misconception, and the CSV
   (out/check_scores.csv). Each file runs in a child process of its own.
3. The flat form of the notes: the neuron by hand, with dx and dw swapped.

    python -m demos.check
"""

from __future__ import annotations

from pathlib import Path

from grading.checker import check_folder, check_student, student_files, summary, write_csv
from words import _, speaking

FOLDER = Path(__file__).with_name("student")
QUICK = ("correct.py", "replaced_not_added.py", "mul_own_value.py", "relu_at_zero.py")


def _shown(path: Path) -> Path:
    """The path as a class would type it: relative to the working directory when inside it."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def main(out_dir: str = "out", quick: bool = False, lang: str | None = None) -> dict:
    with speaking(lang):
        return _lesson(Path(out_dir), quick)


def _lesson(out: Path, quick: bool) -> dict:
    one = _shown(FOLDER / "replaced_not_added.py")
    print(_("1. One student's engine, checked gate by gate: gategrad check {path}").format(
        path=one) + "\n")
    report = check_student(one)
    print(report.text())

    files = [f for f in student_files(FOLDER) if not quick or f.name in QUICK]
    print(_("2. A class at once: {count} engines in {path}, each in a process of its own "
            "(gategrad check {path} --csv scores.csv)").format(count=len(files),
                                                               path=_shown(FOLDER)) + "\n")
    reports = check_folder(files)
    print(summary(reports))
    out.mkdir(parents=True, exist_ok=True)
    path = write_csv(reports, out / "check_scores.csv")
    print("\n" + _("wrote {path}").format(path=path) + "\n")

    swapped = _shown(FOLDER / "flat" / "swapped.py")
    print(_("3. The notes' flat code: gategrad check --flat {path}").format(path=swapped) + "\n")
    flat = check_student(swapped, flat=True)
    print(flat.text())
    return {"report": report, "reports": reports, "csv": path, "flat": flat}
