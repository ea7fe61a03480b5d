"""The naming rule: the lecture notes' s0, s1, ... for the CS231n graph, built without labels."""

from engine import Value
from words import name_nodes


def _order(root):
    # An evaluation order written out independently of engine.topological_order: depth first,
    # inputs in operand order, each node after its inputs.
    seen, order = set(), []

    def visit(n):
        if id(n) in seen:
            return
        seen.add(id(n))
        for p in n._prev:
            visit(p)
        order.append(n)

    visit(root)
    return order


def test_cs231n_inner_nodes_are_s0_to_s3_and_constants_c():
    w0, x0, w1, x1, w2 = (Value(v, label=n) for v, n in
                          [(2, "w0"), (-1, "x0"), (-3, "w1"), (-2, "x1"), (-3, "w2")])
    f = (w0 * x0 + w1 * x1 + w2).sigmoid()
    names = name_nodes(_order(f), [f])
    assert [names[n] for n in _order(f)] == ["w0", "x0", "s0", "w1", "x1", "s1", "s2", "w2",
                                             "s3", "f"]


def test_constants_never_take_a_gate_number_and_labels_are_skipped():
    x = Value(2.0, label="x")
    s1 = (x * 3).tanh()
    s1.label = "s1"  # a user label that the rule would otherwise give
    root = s1 + 1
    names = name_nodes(_order(root), [root])
    # x, c0 (3), s0 (x*3), s1 (user), c1 (1), root f
    assert [names[n] for n in _order(root)] == ["x", "c0", "s0", "s1", "c1", "f"]


def test_several_roots_have_no_f_and_a_taken_f_is_skipped():
    x = Value(1.0, label="f")
    a, b = x * 2, x + 1
    order = _order(a) + [n for n in _order(b) if n not in _order(a)]
    names = name_nodes(order, [a, b])
    assert names[a] == "s0" and names[b] == "s1" and names[x] == "f"
    lone = x * 3
    assert name_nodes(_order(lone), [lone])[lone] == "s0"  # 'f' is the user's leaf
