"""Graphs the tests share. Expected numbers are always derived by hand in the tests."""

# The CS231n gate example f = sigmoid(w0*x0 + w1*x1 + w2), every node labelled (w0 ... s3, f):
# the same graph the gates demo shows, built in one place.
from demos.gates import VALUES
from demos.gates import build as _build
from engine import Value

LEAVES = tuple(VALUES)  # w0, x0, w1, x1, w2


def cs231n(**values: float) -> tuple[Value, dict[str, Value]]:
    """f and every node by label, at the notes' values or at those given (``x0=3.0``)."""
    return _build(values)


def cs231n_with_leaves(**values: float) -> tuple[Value, tuple[Value, ...]]:
    """f and its leaves in the notes' order (w0, x0, w1, x1, w2)."""
    f, nodes = _build(values)
    return f, tuple(nodes[k] for k in LEAVES)


__all__ = ["LEAVES", "cs231n", "cs231n_with_leaves"]
