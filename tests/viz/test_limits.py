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
