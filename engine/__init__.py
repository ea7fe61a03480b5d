"""gategrad's engine: scalar Values, one gate table, backward, step records, gradcheck.

The autograd alone. Start reading at value.py (the Value and its operators, the topological
order, backward and its stepping twin propagate), then gates.py (the table every gate is a row
of), steps.py and check.py. errors.py holds what is checked and said when something is wrong,
modes.py the per-thread no_grad and detect_anomaly, forward.py forward mode from the same
stored locals; replay/ runs a graph over a batch with numpy. The words and numbers a class reads
live one layer below (the ``words`` package); misconceptions, exercises and broken engines one
layer above (``grading``).
"""

from .check import GradcheckResult, gradcheck
from .errors import AnomalyError
from .forward import ForwardModeStep, TangentInput, forward_grad, forward_mode_steps
from .gates import GATES, Gate, make_gate, pow_gate
from .modes import detect_anomaly, no_grad
from .replay import Program, ReplayError, compile, compile_replay  # noqa: F401 - old name, kept
from .steps import (
    ForwardStep,
    Step,
    StepInput,
    backward_steps,
    forward_steps,
    node_names,
    record_steps,
)
from .value import (
    Value,
    exp,
    log,
    maximum,
    propagate,
    relu,
    sigmoid,
    tanh,
    topological_order,
    zero_grad,
)

# engine.compile (the old name of compile_replay) stays importable but is left out of __all__,
# so `from engine import *` never shadows Python's builtin compile.
__all__ = [
    "GATES", "AnomalyError", "ForwardModeStep", "ForwardStep", "Gate", "GradcheckResult",
    "Program", "ReplayError", "Step", "StepInput", "TangentInput", "Value", "backward_steps",
    "compile_replay", "detect_anomaly", "exp", "forward_grad", "forward_mode_steps",
    "forward_steps", "gradcheck", "log", "make_gate", "maximum", "no_grad", "node_names",
    "pow_gate", "propagate", "record_steps", "relu", "sigmoid", "tanh", "topological_order",
    "zero_grad",
]
