"""The terminal tables have the size guard every picture has (issue 23).

Before: ``steps_table`` on a chain of 10^6 gates recorded every step and took 96 s before
printing a table nobody could read. Now it refuses after counting at most max_nodes + 1 nodes,
before a single step is recorded (tests count what the walk visits; they never time it).
"""

from __future__ import annotations

import pytest

import viz.text
from engine import Value
from tests.viz import test_limits
from viz import GraphTooLarge, chain_rule_text, forward_table, steps_table
from words import localize

TABLES = {"steps_table": steps_table, "forward_table": forward_table,
          "chain_rule_text": chain_rule_text}


chain, visits = test_limits.chain, test_limits.visits  # the pictures' fixtures: 10^6 gates, a count


@pytest.fixture
def no_steps(monkeypatch):
    """Any step recorded (forward or backward) fails the test: the check comes first."""
    def refuse(root):
        raise AssertionError("a step was recorded before the size check")

    monkeypatch.setattr(viz.text, "record_steps", refuse)
    monkeypatch.setattr(viz.text, "forward_steps", refuse)


@pytest.mark.parametrize("name", TABLES)
def test_a_million_gates_are_refused_before_any_step(chain, visits, no_steps, name):
    with pytest.raises(GraphTooLarge) as error:
        TABLES[name](chain)
    assert str(error.value).startswith(f"{name}: the graph has more than 2000 nodes "
                                       "(max_nodes=2000): a table of it would run")
    assert 0 < len(visits) <= 2001
    assert localize(error.value, "zh").startswith(f"{name}：计算图超过 2000 个节点")


def _chain(gates: int) -> Value:
    out = Value(1.0, label="x")
    for _ in range(gates):
        out = -out
    return out


@pytest.mark.parametrize("name", TABLES)
def test_the_limit_is_max_nodes_and_can_be_raised(name):
    table = TABLES[name]
    assert table(_chain(4), max_nodes=5)  # 4 gates + the leaf: 5 nodes, printed
    with pytest.raises(GraphTooLarge, match=r"more than 5 nodes \(max_nodes=5\)"):
        table(_chain(5), max_nodes=5)
    for bad in (0, -1, 2.5, True, None):
        with pytest.raises(ValueError, match=f"{name}: max_nodes must be a positive whole"):
            table(_chain(1), max_nodes=bad)


def test_steps_table_at_the_default_limit_still_prints():
    lines = steps_table(_chain(1999)).splitlines()  # 2000 nodes: the limit itself
    assert lines[2].split()[:2] == ["1", "neg"] and "1999" in lines[2000]
