"""Modes, per thread as in PyTorch: ``no_grad()`` and ``detect_anomaly()``.

Machinery a student may skip on a first reading (like ``errors.py``, it is not counted in the
core's 600 lines): a new thread starts with grad on and anomaly off; a block sets its mode in
its own thread only and puts back, on leaving, what it found, whatever other blocks (other
modes, other threads) do meanwhile. The gates read one number, ``OPEN[0]``, the blocks open in
all threads: while it is 0, which is always in a single-threaded lesson, every gate takes the
fast path and never looks at this thread's modes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from math import isfinite

from . import errors


class _ThreadModes(threading.local):
    grad, anomaly = True, False


current = _ThreadModes()
OPEN = [0]  # no_grad / detect_anomaly blocks open in all threads; 0: the gates' fast path
_lock = threading.Lock()


@contextmanager
def _mode(name: str, on: bool) -> Iterator[None]:
    """This thread's mode ``name`` set to ``on`` inside the block, then put back as it was at
    entry: nesting, exceptions and other blocks (other modes, other threads) leave it alone."""
    with _lock:
        OPEN[0] += 1  # before this thread's first gate in the block reads it
    previous = getattr(current, name)
    setattr(current, name, on)
    try:
        yield
    finally:
        setattr(current, name, previous)
        with _lock:
            OPEN[0] -= 1


def no_grad():
    """Evaluate without building a graph (in this thread): results are constants."""
    return _mode("grad", False)


def detect_anomaly():
    """Check every gate as it runs (in this thread): a local derivative that is not finite
    raises AnomalyError naming the gate, its operands and the chain of gates, and so does a
    gradient while stepping (backward always does); like torch.autograd's, slower."""
    return _mode("anomaly", True)


def attach_by_mode(out, gate, local: tuple, operands: tuple) -> None:
    """Link a gate's output to the graph as this thread's modes say (some thread somewhere is
    in no_grad or detect_anomaly, so the fast path's plain link may be wrong here)."""
    if current.anomaly and not all(isfinite(d) for d in local):
        raise errors.forward_anomaly(gate, local, operands)
    if current.grad:
        out._prev, out._gate, out._local = operands, gate, local
    else:  # no_grad: a constant, so nothing is kept alive for a backward that never comes
        out._prev, out._gate, out._local = (), None, ()
