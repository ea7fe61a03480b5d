"""Graphs the tests share. Expected numbers are always derived by hand in the tests."""

# The CS231n gate example f = sigmoid(w0*x0 + w1*x1 + w2), every node labelled (w0 ... s3, f):
# the same graph the gates demo shows, built in one place.
from demos.gates import build as cs231n

__all__ = ["cs231n"]
