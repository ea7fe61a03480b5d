"""A dropped graph is freed by reference counting alone: no reference cycles, so nothing waits
for the cyclic garbage collector (micrograd's closures make every node a cycle)."""

from __future__ import annotations

import gc
import weakref

import micrograd.engine
import numpy as np

import engine
from engine import Value


def _freed_without_gc(build) -> bool:
    """Build a graph with the cyclic collector off, keep weak references to all of its nodes,
    drop it, and say whether every node is gone at once."""
    gc.collect()
    gc.disable()
    try:
        refs = build()
        return all(r() is None for r in refs)
    finally:
        gc.enable()


def _graph(Value, backward=True, compiled=False):
    a, b = Value(0.5), Value(-1.5)
    x = a
    for _ in range(30):
        x = (x * a + b).relu() + 0.25
    if backward:
        x.backward()
    inner = list(x._prev)  # micrograd keeps a set
    nodes = [x, a, b, *inner, *inner[0]._prev]
    if compiled:  # a program and its buffers hold the nodes; dropping it must free them too
        prog = engine.compile_replay(x, inputs=[a])
        prog.forward(np.array([[0.5], [0.7]]))
        prog.backward()
        nodes.append(prog)
    if Value is engine.Value:
        nodes += engine.topological_order(x)
    return [weakref.ref(n) for n in nodes]


def test_a_dropped_graph_is_freed_without_the_cyclic_gc():
    assert _freed_without_gc(lambda: _graph(Value, backward=False))
    assert _freed_without_gc(lambda: _graph(Value))
    assert _freed_without_gc(lambda: _graph(Value, compiled=True))


def test_a_dropped_graph_with_step_records_is_freed_too():
    def build():
        x, w = Value(2.0), Value(-3.0)
        steps = list((x * w).tanh().backward_steps())
        return [weakref.ref(s.node) for s in steps] + [weakref.ref(x), weakref.ref(w)]

    assert _freed_without_gc(build)


def test_the_check_sees_micrograds_cycles():
    """The same check on micrograd fails: its nodes wait for gc.collect()."""
    assert not _freed_without_gc(lambda: _graph(micrograd.engine.Value))
