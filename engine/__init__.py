"""gategrad's engine: scalar Values, one gate table, backward, step records, gradcheck.

The autograd alone. Start reading at value.py (the Value and its operators, the topological
order, backward and its stepping twin propagate), then gates.py (the table every gate is a row
of, written in the language of formulas.py), steps.py and check.py. errors.py holds what is
checked and said when something is wrong, modes.py the per-thread no_grad and detect_anomaly,
forward.py forward mode from the same stored locals; replay/ runs a graph over a batch with
numpy. The words and numbers a class reads live one layer below (the ``words`` package);
misconceptions, exercises and broken engines one layer above (``grading``).

The gate functions (``exp``, ``log``, ``tanh``, ``sigmoid``, ``relu``, ``maximum``, and any row
registered later) come from the gate table, as ``Value``'s operators and methods do.
"""

from .check import GradcheckResult, gradcheck
from .errors import AnomalyError
from .formulas import HELPERS, FormulaError, Helper
from .forward import ForwardModeStep, TangentInput, forward_grad, forward_mode_steps
from .gates import GATES, Check, Gate, Health, make_gate, pow_gate
from .modes import detect_anomaly, no_grad
from .registry import register, unregister, untranslated
from .replay import Program, ReplayError, compile_replay
from .steps import (
    ForwardStep,
    Step,
    StepInput,
    backward_steps,
    forward_steps,
    node_names,
    record_steps,
)
from .value import FUNCTIONS, Value, propagate, topological_order, zero_grad

globals().update(FUNCTIONS)  # exp, log, tanh, sigmoid, relu, maximum: one per table row

__all__ = [
    "GATES", "HELPERS", "AnomalyError", "Check", "FormulaError", "ForwardModeStep",
    "ForwardStep", "Gate", "GradcheckResult", "Health", "Helper", "Program", "ReplayError",
    "Step", "StepInput", "TangentInput", "Value", "backward_steps", "compile_replay",
    "detect_anomaly", "forward_grad", "forward_mode_steps", "forward_steps", "gradcheck",
    "make_gate", "no_grad", "node_names", "pow_gate", "propagate", "record_steps", "register",
    "topological_order", "unregister", "untranslated", "zero_grad", *FUNCTIONS,
]


def __getattr__(name: str):
    """A gate function registered after import (``engine.register``): engine.softplus."""
    try:
        return FUNCTIONS[name]
    except KeyError:
        raise AttributeError(f"module 'engine' has no attribute {name!r}") from None
