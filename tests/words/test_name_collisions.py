"""Automatic names never collide with a user's label (issue 23's plant class).

Random graphs from the engine's strategies, with labels drawn from the very names the rule
hands out (s0, s1, c0, f ...): whatever the labels, two nodes never share a name, a label is
always kept, gate outputs are s<k> with k rising in evaluation order, constants c<k>.
"""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from engine import Value, node_names, topological_order
from tests.engine.strategies import engine_apply, recipes
from words import name_nodes

LABELS = ("", "", "", "s0", "s1", "s2", "s3", "c0", "c1", "f", "x")


@given(recipes(max_ops=8), st.data())
def test_names_are_unique_and_labels_win(recipe, data):
    leaves, root = recipe.build(lambda v, i: Value(v), engine_apply)
    order = topological_order(root)
    for node in order:
        node.label = data.draw(st.sampled_from(LABELS))
    names = node_names(root)
    labelled = [n for n in order if n.label]
    assert len(set(names.values())) == len(order) - (len(labelled) - len(
        {n.label for n in labelled}))  # only a user's own repeated labels may repeat
    for node in order:
        if node.label:
            assert names[node] == node.label
        else:
            assert names[node] not in {n.label for n in labelled}, (names[node], node)
    automatic = [names[n] for n in order if not n.label and n is not root]
    gates = [int(name[1:]) for name in automatic if name.startswith("s")]
    assert gates == sorted(gates) and len(set(gates)) == len(gates)  # rising, no repeats
    for node in order:
        if not node.label and node is not root:
            assert re.fullmatch(r"s\d+" if node._prev else r"c\d+", names[node])


def test_two_labels_in_a_row_are_both_skipped():
    # by hand: x is labelled s0 and y s1, so the two gates are s2 and s3, the root f
    x, y = Value(1.0, label="s0"), Value(2.0, label="s1")
    a = x * y
    b = a + x
    root = b * 2.0
    names = name_nodes(topological_order(root), [root])
    assert [names[n] for n in (x, y, a, b, root)] == ["s0", "s1", "s2", "s3", "f"]


def test_constants_do_not_use_up_gate_numbers():
    # 1 + exp(-x): the constant 1 and -x's nothing: s0 = -x, s1 = exp(s0), c0 = 1, f = s1 + 1
    x = Value(0.5, label="x")
    s0 = -x
    s1 = s0.exp()
    root = 1.0 + s1
    names = node_names(root)
    assert [names[n] for n in (s0, s1, root)] == ["s0", "s1", "f"]
    assert sorted(v for v in names.values() if v.startswith("c")) == ["c0"]
