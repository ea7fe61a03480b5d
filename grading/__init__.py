"""Grading what a class does: the misconceptions, the exercises, the broken engines.

It sits above the engine (it builds graphs and reads step records) and beside ``viz``, which
uses it for the quiz and the worksheets:

- ``MISCONCEPTIONS`` / ``diagnose``: the one grading rule (right from the exact numbers or from
  the numbers as displayed) and what a wrong answer to "what does this input receive?" says
  about the student's idea of the chain rule (one table of formulas, read by every quiz);
- ``exercises`` and ``notes``: seeded, hand-workable exercises by level, and the lecture notes'
  three, checked by the engine and gradcheck;
- ``broken``: the classic wrong backward passes, written out so a class can see them fail;
- ``check_student`` (``grading.checker``): a student's own engine run on a graded battery in a
  child process, compared node by node with the engine, each failure named by the catalogue.
"""

from .checker import check_student
from .exercises import Cell, Exercise, generate
from .misconceptions import (
    MISCONCEPTIONS,
    READINGS,
    RIGHT_ANSWER,
    Misconception,
    Reading,
    Verdict,
    diagnose,
    right_answer,
    step_numbers,
    tolerance,
)

__all__ = [
    "MISCONCEPTIONS", "READINGS", "RIGHT_ANSWER", "Cell", "Exercise", "Misconception", "Reading",
    "Verdict", "check_student", "diagnose", "generate", "right_answer", "step_numbers",
    "tolerance",
]
