"""Refusing a huge graph is fast and builds nothing first (issue 15).

Before: draw refused a 1e6-gate graph after 22 s and +1.2 GB, because it analysed the whole
graph before counting it. Now the walk counts as it goes and stops at the limit. Tests never
time anything: they count the nodes the walk visited, which is what makes it fast.
"""

from __future__ import annotations

import pytest

import viz.graph
from engine import Value
from viz import GraphTooLarge, draw, export_frames, frames

GATES = 1_000_000


@pytest.fixture(scope="module")
def chain():
    """x negated a million times: a chain of 1e6 gates and one leaf."""
    x = Value(0.5, label="x")
    out = x
    for _ in range(GATES):
        out = -out
    return out


@pytest.fixture
def visits(monkeypatch):
    """Counts every node whose inputs the size check looks at."""
    seen = []
    original = viz.graph._inputs

    def counting(node):
        seen.append(node)
        return original(node)

    monkeypatch.setattr(viz.graph, "_inputs", counting)
    return seen


@pytest.mark.parametrize("call", [
    lambda root: draw(root),
    lambda root: draw(root, step=1),
    lambda root: draw(root, step=1, phase="forward"),
    lambda root: frames(root),
])
def test_a_million_gates_are_refused_after_walking_at_most_the_limit(chain, visits, call):
    with pytest.raises(GraphTooLarge, match=r"more than 2000 nodes \(max_nodes=2000\)"):
        call(chain)
    assert 0 < len(visits) <= 2001


def test_export_frames_refuses_before_writing_anything(chain, visits, tmp_path):
    with pytest.raises(GraphTooLarge, match=r"export_frames: the graph has more than 2000"):
        export_frames(chain, tmp_path / "frames")
    assert len(visits) <= 2001
    assert not (tmp_path / "frames").exists()


def test_collapse_walks_further_but_still_stops(chain, visits):
    with pytest.raises(GraphTooLarge, match=r"more than 100000 nodes \(max_nodes=2000, "
                                            r"collapse=True\)"):
        draw(chain, collapse=True)
    assert len(visits) <= 100_001


def test_the_limit_is_exact_and_checked(visits):
    x = Value(1.0, label="x")
    out = x
    for _ in range(9):
        out = -out  # 10 nodes
    assert draw(out, max_nodes=10)
    with pytest.raises(GraphTooLarge, match=r"more than 9 nodes"):
        draw(out, max_nodes=9)
    for bad in (0, -5, 2.5, True):
        with pytest.raises(ValueError, match=r"max_nodes must be a positive whole number"):
            draw(out, max_nodes=bad)


def _network_loss():
    import nn

    model = nn.MLP(3, [6, 6, 1], seed=0)
    return (model([0.5, -1.0, 2.0]) - Value(1.0, label="y")) ** 2


def test_a_collapsed_refusal_never_says_pass_collapse(tmp_path):
    """stepper and export_animation passed collapse=True on to the drawing but not to the size
    check, so a network that fits as boxes was refused, told to 'pass collapse=True'."""
    from viz import stepper
    from viz.graph import Graph

    loss = _network_loss()
    boxes = Graph(loss, collapse=True).collapsed_count()
    nodes = len(Graph(loss).order)
    assert boxes < 60 < nodes  # fits as boxes, not node by node
    assert stepper(loss, tmp_path / "net.html", collapse=True, max_nodes=60).exists()
    with pytest.raises(GraphTooLarge, match="pass collapse=True"):
        stepper(loss, tmp_path / "gates.html", max_nodes=60)  # the hint, where it helps
    for call in (lambda: stepper(loss, tmp_path / "small.html", collapse=True, max_nodes=5),
                 lambda: frames(loss, collapse=True, max_nodes=5),
                 lambda: draw(loss, collapse=True, max_nodes=5)):
        with pytest.raises(GraphTooLarge) as refused:
            call()
        assert "pass collapse=True" not in str(refused.value)
        assert f"{boxes} nodes with each neuron as one box" in str(refused.value)


def test_export_animation_counts_boxes_when_collapsed(tmp_path):
    import nn
    from viz.animate import export_animation

    model = nn.MLP(4, [30, 30, 1], seed=0)  # past 2000 nodes, under 100 boxes
    loss = (model([0.5, -1.0, 2.0, 0.25]) - Value(1.0, label="y")) ** 2
    with pytest.raises(ValueError, match="frames, more than max_frames=3") as refused:
        export_animation(loss, tmp_path / "a.gif", collapse=True, max_frames=3)
    assert not isinstance(refused.value, GraphTooLarge)
