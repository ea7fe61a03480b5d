"""Mode blocks, however nested and interleaved, restore exactly what they found (issue 23's
plant class "nested mode blocks restoring the wrong mode").

Random programs of no_grad / detect_anomaly blocks, nested, some left by an exception, and in
a second test opened and closed in any order: after every step the observed modes must be the
specification's. The modes are observed from outside, as lesson code sees them: a gate keeps
its inputs only with grad on, and log of a subnormal product raises AnomalyError only with
anomaly on.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from engine import AnomalyError, Value, detect_anomaly, no_grad

MODES = {"no_grad": no_grad, "detect_anomaly": detect_anomaly}


def observe() -> tuple[bool, bool]:
    """(grad on, anomaly on) as gates behave in this thread now."""
    grad = (Value(1.0) * 2)._prev != ()
    try:
        (Value(1e-320) * 1.0).log()  # log's local 1/1e-320 is inf: anomaly mode refuses it
        anomaly = False
    except AnomalyError:
        anomaly = True
    return grad, anomaly


class Planted(Exception):
    """Raised at the end of a block to leave it by an exception."""


blocks = st.recursive(
    st.just(()),
    lambda inner: st.lists(st.tuples(st.sampled_from(sorted(MODES)), st.booleans(), inner),
                           max_size=3).map(tuple),
    max_leaves=12)


def run(program, outside: tuple[bool, bool]) -> None:
    for mode, raises, inner in program:
        assert observe() == outside
        inside = (False, outside[1]) if mode == "no_grad" else (outside[0], True)
        try:
            with MODES[mode]():
                assert observe() == inside
                run(inner, inside)
                if raises:
                    raise Planted
        except Planted:
            pass
        assert observe() == outside  # left normally or by the exception: as it was


@given(blocks)
def test_nested_blocks_restore_what_they_found(program):
    assert observe() == (True, False)
    run(program, (True, False))
    assert observe() == (True, False)


@given(st.permutations(["enter no_grad", "enter detect_anomaly", "exit no_grad",
                        "exit detect_anomaly"]))
def test_two_blocks_of_different_modes_close_in_any_order(events):
    opened: dict[str, object] = {}
    for event in events:
        action, mode = event.split()
        if action == "exit" and mode not in opened:
            continue  # closing a block that was never opened: not a program
        if action == "enter":
            opened[mode] = MODES[mode]()
            opened[mode].__enter__()
        else:
            opened.pop(mode).__exit__(None, None, None)
        assert observe() == ("no_grad" not in opened, "detect_anomaly" in opened)
    for block in opened.values():
        block.__exit__(None, None, None)
    assert observe() == (True, False)
