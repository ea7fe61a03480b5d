"""gategrad's engine: scalar Values, one gate table, backward, step records, gradcheck."""

from .check import GradcheckResult, gradcheck
from .gates import GATES, Gate, make_gate, pow_gate
from .replay import Program, ReplayError, compile
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
    AnomalyError,
    Value,
    detect_anomaly,
    exp,
    log,
    maximum,
    no_grad,
    relu,
    sigmoid,
    tanh,
    topological_order,
    zero_grad,
)

__all__ = [
    "GATES", "AnomalyError", "ForwardStep", "Gate", "GradcheckResult", "Program", "ReplayError",
    "Step", "StepInput", "Value", "backward_steps", "compile", "detect_anomaly", "exp",
    "forward_steps", "gradcheck", "log", "make_gate", "maximum", "no_grad", "node_names",
    "pow_gate", "record_steps", "relu", "sigmoid", "tanh", "topological_order", "zero_grad",
]
