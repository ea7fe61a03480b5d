"""Practice, not only watching: misconceptions as data, forward mode, exercises, broken engines.

- ``MISCONCEPTIONS`` / ``diagnose``: what a wrong answer to "what does this input receive?" says
  about the student's idea of the chain rule (one table of formulas, read by every quiz);
- ``forward_grad`` / ``forward_mode_steps``: forward-mode differentiation from the same stored
  local derivatives backward uses;
- ``exercises``: seeded, hand-workable exercises by level, checked by the engine and gradcheck;
- ``broken``: the classic wrong backward passes, written out so a class can see them fail.
"""

from .exercises import Cell, Exercise, generate
from .forward import ForwardModeStep, TangentInput, forward_grad, forward_mode_steps
from .misconceptions import (
    MISCONCEPTIONS,
    RIGHT_ANSWER,
    Misconception,
    diagnose,
    right_answer,
    step_numbers,
)

__all__ = [
    "MISCONCEPTIONS", "RIGHT_ANSWER", "Cell", "Exercise", "ForwardModeStep", "Misconception",
    "TangentInput", "diagnose", "forward_grad", "forward_mode_steps", "generate", "right_answer",
    "step_numbers",
]
