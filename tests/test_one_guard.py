"""One guard, every path (issue 23): a gradient that overflows is refused, naming the same gate,
whichever path computes it.

Random graphs from the engine's strategies (moderate values, shared nodes), plus one trap whose
backward overflows while every value stays finite: ``t`` is a tiny positive number made from the
graph (exp(tanh(node)) · 1e-300, between 3.7e-301 and 2.8e-300), and then

- log: ``log(t) * 1e10``, log's local 1/t ≈ 1e300 times the upstream 1e10 is inf;
- div: ``1e-10 / t`` ≈ 1e290, its local for t is -out/t ≈ -1e590: -inf;
- mul: ``(t * 1e300) * 1e10``, the inner mul sends 1e10 · 1e300 to t: inf.

The root is the graph's own root plus the trap. Every path must refuse with an AnomalyError (or
the command's one line) naming that gate, and leave every ``.grad`` as it was:
backward(), backward_steps(), record_steps, viz.steps_table, the quiz's questions,
``gategrad steps`` and ``gategrad quiz`` (in process), the batched replay, and the lesson page
in Chromium, where the tiny factor is a field a class types 1e-300 into (log and div traps: the
mul trap's constant would overflow the page's starting values).
"""

from __future__ import annotations

import contextlib
import io
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import engine
import viz
from engine import AnomalyError, Value
from gategrad.cli import main
from gategrad.quiz import questions
from tests.engine.strategies import engine_apply, expression_text, recipes
from tests.viz.page_driver import (  # noqa: F401 (browser: a fixture)
    STATE_JS,
    browser,
    close_clean,
    open_page,
    show_panel,
)
from viz import stepper

# trap -> (the gate node applied to t, what follows it, the command line's text)
TRAPS = {
    "log": (lambda t: t.log(), lambda g: g * 1e10, "log({t}) * 1e10"),
    "div": (lambda t: 1e-10 / t, lambda g: g, "1e-10 / ({t})"),
    "mul": (lambda t: t * 1e300, lambda g: g * 1e10, "(({t}) * big) * 1e10"),  # big=1e300
}


def build(recipe, trap: str) -> tuple[list[Value], Value, Value]:
    """The recipe's graph plus the trap, from engine Values labelled x0, x1, ...; returns the
    leaves the root depends on, the root and the trap's gate node (the one that must refuse)."""
    leaves, root = recipe.build(lambda v, i: Value(v, label=f"x{i}"), engine_apply)
    gate, after = TRAPS[trap][:2]
    node = gate(root.tanh().exp() * 1e-300)
    root = root + after(node)
    used = set(engine.topological_order(root))
    return [x for x in leaves if x in used], root, node


def text(recipe, trap: str) -> tuple[str, list[str]]:
    """The same graph in the command line's expression language, and its --set values."""
    names = [f"x{i}" for i in range(len(recipe.leaves))]
    lines, outputs = [], []
    for k, (name, p, i, j) in enumerate(recipe.ops):
        node = f"n{k}"
        lines.append(f"{node} = {expression_text(name, p, names[i], names[j])}")
        names.append(node)
        outputs.append(node)
    root = " + ".join(outputs)
    trap_text = TRAPS[trap][2].format(t="exp(tanh(r)) * 1e-300")
    lines += [f"r = {root}", f"r + {trap_text}"]
    expression = "; ".join(lines)
    values = [f"x{i}={v!r}" for i, v in enumerate(recipe.leaves)
              if re.search(rf"\bx{i}\b", expression)]  # a leaf no gate reads is not set
    if "big" in trap_text:  # the command's numbers stop at 1e15; a --set value need not
        values.append("big=1e300")
    return expression, values


def refusal(call) -> str:
    with pytest.raises(AnomalyError) as error:
        call()
    return str(error.value)


def command(*argv: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = main(list(argv))
    return status, err.getvalue()


graphs = st.tuples(recipes(max_ops=6), st.sampled_from(sorted(TRAPS)))


@given(graphs)
def test_every_scalar_path_refuses_with_the_same_words(case):
    recipe, trap = case
    _leaves, root, _node = build(recipe, trap)
    said = {
        "backward": refusal(root.backward),
        "backward_steps": refusal(lambda: list(root.backward_steps())),
        "record_steps": refusal(lambda: engine.record_steps(root)),
        "steps_table": refusal(lambda: viz.steps_table(root)),
        "quiz": refusal(lambda: questions(root)),
    }
    assert said["backward"].startswith(f"{trap} gate sent ")
    assert set(said.values()) == {said["backward"]}, said  # word for word, every path
    assert said["backward"].endswith("every .grad was left as it was")
    assert all(n.grad == 0.0 for n in engine.topological_order(root))


@settings(max_examples=15, deadline=None)
@given(graphs)
def test_the_commands_refuse_in_one_line_naming_the_gate(case):
    recipe, trap = case
    expression, values = text(recipe, trap)
    for name in ("steps", "quiz"):
        status, err = command(name, expression, "--set", *values)
        assert status == 1, err
        assert err.count("\n") == 1 and "Traceback" not in err
        assert err.startswith(f"gategrad {name}: error: {trap} gate sent "), err


@given(graphs)
def test_the_replay_refuses_naming_the_same_gate_node(case):
    """The replay folds linear gates and products by constants into weighted sums (W @ U), so
    it may say "the weighted sum ending in a mul gate at node 's4'"; either way it names the
    trap's gate and its node, by the naming rule every view shares."""
    recipe, trap = case
    leaves, root, node = build(recipe, trap)
    refusal(root.backward)  # the scalar path refuses too (first test); .grad untouched
    program = engine.compile_replay(root, inputs=leaves)
    program.forward(np.array([[x.data for x in leaves]] * 3))  # three samples, the same row
    before = [p.grad for p in program.parameters]
    replayed = refusal(program.backward)
    named = engine.node_names(root)[node]
    assert f"{trap} gate at node {named!r}" in replayed, replayed
    assert replayed.endswith("every .grad was left as it was")
    assert [p.grad for p in program.parameters] == before


def page_graph(recipe, trap: str, tiny: float) -> Value:
    """The recipe's graph plus the trap, its 1e-300 a leaf named tiny (a field of the page)."""
    _leaves, root = recipe.build(lambda v, i: Value(v, label=f"x{i}"), engine_apply)
    gate, after = TRAPS[trap][:2]
    return root + after(gate(root.tanh().exp() * Value(tiny, label="tiny")))


@pytest.mark.browser
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(recipes(max_ops=5), st.sampled_from(["log", "div"]))
def test_the_lesson_page_refuses_in_the_same_words(browser, tmp_path_factory, recipe,  # noqa: F811
                                                    trap):
    page_graph(recipe, trap, 1.0).backward()  # fine with tiny = 1
    said = refusal(page_graph(recipe, trap, 1e-300).backward)
    assert said.startswith(f"{trap} gate sent ")
    path = stepper(page_graph(recipe, trap, 1.0), tmp_path_factory.mktemp("guard") / "p.html")
    page = open_page(browser, path)
    show_panel(page)
    good = page.evaluate(STATE_JS)
    page.get_by_role("textbox", name="tiny", exact=True).fill("1e-300")
    assert page.locator("#alert").inner_text() == said  # word for word, the same gate
    assert page.evaluate(STATE_JS) == good  # the last good state: no gradient of inf shown
    close_clean(page, path)
