"""Grading one student's engine, or a folder of them: the child processes, then the comparison.

``check_student`` takes a path, a module or a class; the student's code always runs in a child
process (sandbox.py), never in the caller's. ``check_folder`` grades every ``*.py`` of a folder,
as many files at once as the machine has cores, with a progress bar on a terminal.
"""

from __future__ import annotations

import os
import sys
import types
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from tqdm import tqdm

from words import Text, error

from . import sandbox
from .battery import BY_KEY, PARTS
from .compare import grade, place, reference
from .flat import grade_flat
from .report import Report
from .sandbox import Limits

Target = str | os.PathLike | types.ModuleType | type


def _source(target: Target, class_name: str | None) -> tuple[dict, str, str]:
    """What the child loads (a file, or a module by name), the class name, the target's name."""
    if isinstance(target, (str, os.PathLike)):
        path = Path(target)
        if not path.is_file():
            raise error(FileNotFoundError, Text("no such file: {path}", path=str(path)))
        return {"path": str(path.resolve())}, class_name or "Value", str(target)
    if isinstance(target, type):
        module, name = sys.modules.get(target.__module__), target.__qualname__
        if "." in name:
            raise error(ValueError, Text("check_student needs a class defined at the top of a "
                                         "module, got {name}", name=name))
    elif isinstance(target, types.ModuleType):
        module, name = target, class_name or "Value"
    else:
        raise error(TypeError, Text("check_student takes a file path, a module or a class, "
                                    "got {value}", value=repr(target)))
    if module is not None and module.__name__ != "__main__":
        paths = [str(Path(p).resolve()) if p else os.getcwd() for p in sys.path]
        return {"module": module.__name__, "sys_path": paths}, name, f"{module.__name__}.{name}"
    file = getattr(module, "__file__", None)
    if file is None:
        raise error(ValueError, Text("the class {name} was not defined in a file: save it in "
                                     "a .py file and check that file", name=name))
    return {"path": str(Path(file).resolve())}, name, file


def _load_error(answer: dict) -> Text:
    """Why the file could not be graded, in a class's words."""
    kind = answer["kind"]
    where = place(answer.get("where"))
    if kind == "syntax":
        return Text("a syntax error{where}: {message}", where=where, message=answer["message"])
    if kind == "exit":
        return Text("the file calls sys.exit({code}) at import{where}", code=answer["message"],
                    where=where)
    if kind == "exception":
        return Text("{error} at import{where}: {message}", error=answer["type"], where=where,
                    message=answer["message"])
    if kind == "import_timeout":
        return Text("the import did not finish within {seconds} s (an endless loop at the top "
                    "of the file?)", seconds=format(answer["seconds"], "g"))
    if kind == "died":
        return Text("the process ended during the import (exit status {code}) {stderr}",
                    code=answer["code"], stderr=answer["stderr"])
    if kind == "no_class":
        return Text("the file defines no class {name}", name=answer["message"])
    if kind == "not_a_class":
        return Text("{name} in the file is not a class", name=answer["message"])
    if kind == "no_backward":
        return Text("the class {name} has no backward() method", name=answer["message"])
    return Text("the file defines no function {names}: the flat form needs forward(w, x) and "
                "backward(w, x)", names=answer["message"])


def check_student(target: Target, *, flat: bool = False, class_name: str | None = None,
                  limits: Limits | None = None) -> Report:
    """Grade a student's engine (a ``.py`` path, a module or a class) on the battery, or with
    ``flat`` a file of ``forward(w, x)`` / ``backward(w, x)`` for the notes' neuron.

    Its code runs in a child process with time and memory limits and no network; the report
    names, for each part, the first gate whose numbers differ from gategrad's and the
    misconception that explains them. ``report.exit_status``: 0 all attempted parts passed,
    1 some did not, 2 the file could not be loaded.
    """
    limits = limits or Limits()
    source, name, shown = _source(target, class_name)
    if flat:
        outcome = sandbox.run({"mode": "flat", "source": source, "class": ""}, ["flat"], limits)
    else:
        keys = [p.key for p in PARTS]
        outcome = sandbox.run({"mode": "engine", "source": source, "class": name}, keys, limits)
    if outcome.load_error is not None:
        return Report(shown, load_error=_load_error(outcome.load_error),
                      class_name="" if flat else name)
    if flat:
        return Report(shown, grade_flat(outcome.parts["flat"]))
    return Report(shown, tuple(grade(BY_KEY[k], outcome.parts[k]) for k in keys), None, name)


def cores() -> int:
    """The cores this process may use (the files graded at once)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def student_files(folder: str | os.PathLike) -> list[Path]:
    """The ``*.py`` files of a folder (not its subfolders), by name; ``__init__.py`` left out."""
    return sorted(p for p in Path(folder).glob("*.py") if p.name != "__init__.py")


def check_folder(paths: str | os.PathLike | list, *, flat: bool = False,
                 class_name: str | None = None, limits: Limits | None = None,
                 jobs: int | None = None, progress: bool | None = None) -> list[Report]:
    """``check_student`` for every file of a folder (or a list of paths), ``jobs`` at a time
    (default: the number of cores); the reports in the files' order. ``progress``: a bar on
    stderr (None: only on a terminal)."""
    files = student_files(paths) if isinstance(paths, (str, os.PathLike)) else list(paths)
    jobs = cores() if jobs is None else jobs
    if not (isinstance(jobs, int) and jobs >= 1):
        raise error(ValueError, Text("jobs must be a whole number >= 1, got {value}",
                                     value=repr(jobs)))
    if not flat:
        for part in PARTS:  # gategrad's side once, before the threads share it
            reference(part.key)
    reports: list[Report | None] = [None] * len(files)
    bar = tqdm(total=len(files), unit="file", file=sys.stderr, disable=progress is False
               or (progress is None and not sys.stderr.isatty()))
    with bar, ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(check_student, f, flat=flat, class_name=class_name,
                               limits=limits): k for k, f in enumerate(files)}
        for future in as_completed(futures):
            reports[futures[future]] = future.result()
            bar.update()
    return reports  # type: ignore[return-value]
