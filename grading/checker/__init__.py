"""Checking a student's own engine, gate by gate, and naming the misconception that broke it.

    from grading import check_student
    report = check_student("homework/alice.py")      # or a module, or a class
    print(report.text())                               # a line per part, each failure explained
    report.exit_status                                 # 0 passed, 1 failed, 2 cannot be loaded

The student's file runs in a child process (``sandbox`` parent side, ``child`` inside) on the
graded battery (``battery``: each gate alone, chains, fan-out, shared nodes, a deep chain, a
doubling graph, backward twice, numbers mixed in, a neuron and the notes' three exercises),
each part a recipe that ``builder`` runs on any class;
``compare`` pairs its nodes with gategrad's and diagnoses the first difference against the
misconception catalogue; ``flat`` does the same for the notes' flat forward/backward code;
``report`` writes the text (en, zh) and the CSV for a folder (``grade.check_folder``).
"""

from .grade import check_folder, check_student, student_files
from .report import Finding, PartResult, Report, summary, write_csv
from .sandbox import Limits

__all__ = ["Finding", "Limits", "PartResult", "Report", "check_folder", "check_student",
           "student_files", "summary", "write_csv"]
