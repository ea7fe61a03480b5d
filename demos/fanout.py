"""Why backward is written the way it is: three broken engines side by side, and forward mode.

1. ``=`` instead of ``+=`` where a node is used twice (``f = x*y + x``);
2. a recursive pass without a topological order (``a = 1; b = a + a; c = b + b``);
3. a second backward that propagates the accumulated ``.grad`` (``y = (x*2)*3``: 18, not 12);

each with the right numbers (the engine), torch's numbers and the one line of code that differs.
Then forward mode: the passes each mode needs for n inputs -> 1 output and 1 input -> m outputs,
and why training (millions of parameters, one loss) uses reverse mode.

    python -m demos.fanout
"""

from __future__ import annotations

import math

from engine import Value, forward_grad, forward_mode_steps
from grading import broken
from words import N_, _, align, num, speaking


def _torch_grads(build, passes: int = 1) -> dict[str, float] | None:
    """The same graph in torch float64 (built by ``build(leaf)``), or None without torch."""
    try:
        import torch
    except ImportError:
        return None
    leaves: dict[str, torch.Tensor] = {}

    def leaf(name: str, value: float):
        leaves[name] = torch.tensor(value, dtype=torch.float64, requires_grad=True)
        return leaves[name]

    root = build(leaf)
    for k in range(passes):
        root.backward(retain_graph=k < passes - 1)
    return {name: t.grad.item() for name, t in leaves.items()}


def _fork(leaf):
    x, y = leaf("x", 3.0), leaf("y", 2.0)
    return x * y + x


def _doubling(leaf):
    a = leaf("a", 1.0)
    b = a + a
    return b + b


def _chain(leaf):
    x = leaf("x", 1.0)
    return (x * 2) * 3


CASES = (  # (broken pass, its algorithm, the graph, backward passes, graph in words, a note)
    (broken.ASSIGN, broken.assign_at_fork, _fork, 1, "f = x*y + x; x = 3, y = 2", ""),
    (broken.RECURSIVE, broken.recursive_without_order, _doubling, 1,
     "a = 1; b = a + a; c = b + b", ""),
    (broken.SECOND, broken.second_backward_propagating_grad, _chain, 2, "y = (x*2)*3; x = 1",
     N_("backward twice")),
)
# The comments of grading.broken's lines of code, said in the class's language.
CODE_COMMENTS = (N_("recurse at once"), N_("every user first"),
                 N_("node.grad holds both passes"), N_("this pass only"))


def _engine_leaf(leaves: dict[str, Value]):
    def leaf(name: str, value: float) -> Value:
        leaves[name] = Value(value, label=name)
        return leaves[name]
    return leaf


def broken_engines() -> list[dict]:
    """For each broken pass: the leaves' gradients it computes, the engine's, and torch's."""
    results = []
    for bp, algorithm, build, passes, words, note in CASES:
        leaves: dict[str, Value] = {}
        root = build(_engine_leaf(leaves))
        wrong = algorithm(root)
        right = broken.right_backward(root, passes)
        results.append({
            "key": bp.key, "title": bp.title, "graph": words, "note": note,
            "wrong_line": bp.wrong_line, "right_line": bp.right_line,
            "wrong": {n: wrong[v] for n, v in leaves.items()},
            "right": {n: right[v] for n, v in leaves.items()},
            "torch": _torch_grads(build, passes),
        })
    return results


def count_passes(n: int = 6, m: int = 6) -> dict:
    """Passes each mode needs: f(x1..xn) -> 1 output, and g(x) -> m outputs; both checked."""
    xs = [Value(0.1 * (k + 1), label=f"x{k}") for k in range(n)]
    f = xs[0]
    for x in xs[1:]:
        f = (f * x).tanh() + x  # one output that depends on every input
    forward = [forward_grad(f, x) for x in xs]  # one forward-mode pass per input
    f.backward()  # one reverse pass gives them all
    agree_many_in = all(math.isclose(a, x.grad, rel_tol=1e-12, abs_tol=1e-15)
                        for a, x in zip(forward, xs))

    x = Value(0.5, label="x")
    outputs = [(x * float(k + 1)).tanh() for k in range(m)]
    total = outputs[0]
    for y in outputs[1:]:
        total = total + y  # one graph holding every output
    tangents = {s.node: s.tangent for s in forward_mode_steps(total, x)}  # ONE forward pass
    reverse = [broken.right_backward(y)[x] for y in outputs]  # one reverse pass per output
    agree_many_out = all(math.isclose(tangents[y], r, rel_tol=1e-12, abs_tol=1e-15)
                         for y, r in zip(outputs, reverse))
    return {"n_inputs": n, "forward_passes_n_to_1": n, "reverse_passes_n_to_1": 1,
            "m_outputs": m, "forward_passes_1_to_m": 1, "reverse_passes_1_to_m": m,
            "agree": agree_many_in and agree_many_out}


def _grads_text(grads: dict[str, float] | None) -> str:
    if grads is None:
        return _("(torch is not installed)")
    return ", ".join(f"{name} = {num(g)}" for name, g in grads.items())


def main(out_dir: str = "out", quick: bool = False, lang: str | None = None) -> dict:
    """Run the lesson, narrated in ``lang`` (default: the current language); returns its figures."""
    with speaking(lang):
        return _lesson(quick)


def _lesson(quick: bool) -> dict:
    results = broken_engines()
    for k, r in enumerate(results, start=1):
        graph = r["graph"] + (f"; {_(r['note'])}" if r["note"] else "")
        print(_("{k}. {title}: {graph}").format(k=k, title=_(r["title"]), graph=graph))
        rows = [[_("broken engine"), _grads_text(r["wrong"])],
                [_("right engine"), _grads_text(r["right"])],
                ["torch", _grads_text(r["torch"])]]
        print("\n".join("   " + line for line in align(rows)))
        print("   " + _("the line that differs:"))
        print(f"     - {broken.commented(r['wrong_line'])}")
        print(f"     + {broken.commented(r['right_line'])}")

    passes = count_passes()
    print("\n" + _("Forward mode and reverse mode: how many passes?"))
    rows = [["", _("forward mode"), _("reverse mode")],
            [_("{n} inputs -> 1 output").format(n=passes["n_inputs"]),
             str(passes["forward_passes_n_to_1"]), str(passes["reverse_passes_n_to_1"])],
            [_("1 input -> {m} outputs").format(m=passes["m_outputs"]),
             str(passes["forward_passes_1_to_m"]), str(passes["reverse_passes_1_to_m"])]]
    print("\n".join("   " + line for line in align(rows, right={1, 2})))
    print(_("Both modes give the same derivatives here: {agree}.").format(
        agree=_("yes") if passes["agree"] else _("NO")))
    print(_("Training has millions of parameters (inputs) and one loss (output): one reverse "
            "pass gives every gradient, where forward mode would need one pass per parameter. "
            "That is why training uses reverse mode (backpropagation)."))
    return {"broken": results, "passes": passes}


if __name__ == "__main__":
    main()
