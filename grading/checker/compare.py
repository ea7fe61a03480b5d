"""Node by node against gategrad's engine: where a student's graph first differs, and why.

Each part's recipe is run once here on ``engine.Value`` (labelled, so the report names nodes as
every other view does: a, b, s0, s1, f). A student's snapshot pairs with it by construction
order. The walk follows gategrad's topological order: first the forward values (inputs before
outputs), then the gradients from the root down. The first node whose gradient differs has
every user right above it, so the mistake sits in what those users sent it: that gate is
named, with upstream and local as gategrad computes them, and the misconception whose formula
gives the student's number (``applies`` and ``evaluate`` on ``step_numbers``). A node used
more than once is tried against each gate that feeds it, "before" being what the other uses
sent, so the diagnosis does not depend on the order the student's engine ran the gates in.
"""

from __future__ import annotations

import math
from dataclasses import replace
from functools import cache

from engine import Value, forward_steps, node_names, record_steps, topological_order
from words import DIGITS, MAX_DIGITS, Text, chain_rule_lines, num

from ..broken import ASSIGN, RECURSIVE, BrokenPass, assign_at_fork, recursive_without_order
from ..misconceptions import MISCONCEPTIONS, applies, evaluate, step_numbers
from .battery import BY_KEY, Part
from .builder import Builder, Graph
from .report import FAILED, NOT_ATTEMPTED, PASSED, Finding, PartResult

REL, ABS = 1e-9, 1e-12  # a student's number equals gategrad's within these
MATCH = 1e-7  # a misconception's formula explains a number within this relative distance
SHOWN_GATES = 6  # graphs up to this size are printed gate by gate in a report


def close(x: float | None, y: float) -> bool:
    return (x is not None and math.isfinite(x) and math.isfinite(y)
            and math.isclose(x, y, rel_tol=REL, abs_tol=ABS))


def _near(x: float, y: float) -> bool:
    return math.isfinite(x) and math.isfinite(y) and abs(x - y) <= MATCH * max(1.0, abs(x),
                                                                               abs(y))


@cache
def reference(key: str) -> list[Graph]:
    """The part's graphs built and differentiated by gategrad's engine (computed once)."""
    builder = Builder(Value, labels=True)
    BY_KEY[key].recipe(builder)
    return builder.graphs


def digits_apart(theirs: float, right: float) -> int:
    """The fewest decimals (from the default) at which the two numbers read differently."""
    for d in range(DIGITS, MAX_DIGITS + 1):
        if num(theirs, d) != num(right, d):
            return d
    return MAX_DIGITS


def describe(root: Value, about: Text | None) -> tuple:
    """The graph as its forward lines when it is small, else the part's own description."""
    steps = list(forward_steps(root))
    if len(steps) <= SHOWN_GATES or about is None:
        return tuple(s.formula() for s in steps[:SHOWN_GATES])
    return (about,)


Snapshot = list  # [(data or None, grad or None)] per recorded node, in construction order


def first_difference(graph: Graph, snapshot: int, theirs: Snapshot) -> Finding | None:
    """Where ``theirs`` first differs from gategrad's snapshot ``snapshot`` of ``graph``
    (None entries are not compared), or None when every number agrees."""
    root = graph.roots[snapshot].value
    right = graph.snapshots[snapshot]
    index = {id(n.value): i for i, n in enumerate(graph.nodes)}
    order = [(node, index[id(node)]) for node in topological_order(root) if id(node) in index]
    names = node_names(root)
    for node, i in order:
        if theirs[i][0] is not None and not close(theirs[i][0], right[i][0]):
            return _forward(root, node, names, theirs[i][0])
    for node, i in reversed(order):
        if theirs[i][1] is not None and not close(theirs[i][1], right[i][1]):
            return _backward(root, node, names, theirs[i][1], right[i][1])
    return None


def _forward(root: Value, node: Value, names: dict, theirs: float) -> Finding:
    if not node._prev:
        return Finding("leaf", node=names[node], theirs=theirs, right=node.data,
                       digits=digits_apart(theirs, node.data))
    step = next(s for s in forward_steps(root) if s.node is node)
    d = digits_apart(theirs, node.data)
    return Finding("forward", gate=step.op, at=names[node], node=names[node], theirs=theirs,
                   right=node.data, digits=d, lines=(step.formula(d),), rule=step.gate.rule)


def explains(numbers: dict, gate: str, input: str, theirs: float) -> list:
    """The misconceptions whose answer is the student's number here (and not the right one)."""
    right = numbers["before"] + numbers["upstream"] * numbers["local"]
    return [m for m in MISCONCEPTIONS
            if applies(m, numbers, gate, input) and _near(evaluate(m.answer, numbers), theirs)
            and not _near(right, theirs)]


def _at_every_use(feeds: list, theirs: float, right: float) -> list:
    """The misconceptions that explain the total when made at every use they apply to (say x
    used by two mul gates, both with the input's own value): (catalogue index, first feed,
    misconception). Only mistakes that change a gate's own part (``before + ...``)."""
    if _near(right, theirs):
        return []
    found = []
    for index, m in enumerate(MISCONCEPTIONS):
        total, first = 0.0, None
        for k, (step, inp, numbers) in enumerate(feeds):
            alone = dict(numbers, before=0.0)
            shifted = dict(numbers, before=1.0)
            if (applies(m, alone, step.op, inp.name) and applies(m, shifted, step.op, inp.name)
                    and _near(evaluate(m.answer, shifted) - evaluate(m.answer, alone), 1.0)):
                total += evaluate(m.answer, alone)
                first = k if first is None else first
            else:
                total += inp.contribution
        if first is not None and _near(total, theirs):
            found.append((index, first, m))
    return found


def _backward(root: Value, node: Value, names: dict, theirs: float, right: float) -> Finding:
    if node is root:
        return Finding("root", node=names[root], theirs=theirs, right=right,
                       digits=digits_apart(theirs, right))
    feeds = []
    pairs = [(s, i) for s in record_steps(root) for i in s.inputs if i.node is node]
    for k, (step, inp) in enumerate(pairs):
        numbers = step_numbers(step, inp)  # "before": what the other uses sent, in any order
        numbers["before"] = sum(i.contribution for j, (_, i) in enumerate(pairs) if j != k)
        feeds.append((step, inp, numbers))
    alone = [(MISCONCEPTIONS.index(m), k, m) for k, (step, inp, numbers) in enumerate(feeds)
             for m in explains(numbers, step.op, inp.name, theirs)]
    everywhere = _at_every_use(feeds, theirs, right) if len(feeds) > 1 else []
    # two readings of one number (the mistake at one use, or at every use): the catalogue's
    # order decides, then the first gate in backward order
    best = min(alone + everywhere, key=lambda t: t[:2], default=None)
    k, m = (best[1], best[2]) if best else (len(feeds) - 1, None)
    step, inp, numbers = feeds[k]
    d = digits_apart(theirs, right)
    line = chain_rule_lines(names[root], names[step.node], step.upstream,
                            [(names[node], inp.local, inp.contribution)], d)
    return Finding("backward", gate=step.op, at=names[step.node], node=names[node],
                   theirs=theirs, right=right, digits=d, lines=tuple(line),
                   before=numbers["before"], uses=len(feeds), misconception=m,
                   rule=step.gate.rule, everywhere=best is not None and best not in alone)


# The classic wrong backward passes (grading.broken): a mistake in the algorithm rather than in
# one gate's rule, recognised when the student's every gradient is what one of them computes.
WRONG_PASSES = ((ASSIGN, assign_at_fork), (RECURSIVE, recursive_without_order))


def wrong_pass(graph: Graph, theirs: Snapshot) -> BrokenPass | None:
    """The wrong backward pass whose gradients on the graph's first backward are all the
    student's (a gradient the snapshot lacks is not compared), or None."""
    root = graph.roots[0].value
    for broken, run in WRONG_PASSES:
        try:
            grads = run(root)
        except ValueError:  # recursive_without_order refuses a graph with too many paths
            continue
        if all(grad is None or close(grad, grads.get(node.value, 0.0))
               for node, (_, grad) in zip(graph.nodes, theirs)):
            return broken
    return None


def grade(part: Part, answer: dict) -> PartResult:
    """One part's result from the child's answer: compared graph by graph, snapshot by
    snapshot, then the reason it stopped (an error, a time-out) if every number agreed."""
    status = answer["status"]
    if status == "not_attempted":
        return PartResult(part.key, part.title, NOT_ATTEMPTED,
                          Text("needs {operation}", operation=answer["operation"]))
    graphs = reference(part.key)
    for g, snapshots in enumerate(answer.get("graphs", [])):
        for s, snapshot in enumerate(snapshots):
            if len(snapshot) != len(graphs[g].snapshots[s]):
                raise RuntimeError(f"part {part.key}: graph {g} has {len(snapshot)} nodes, "
                                   f"gategrad's {len(graphs[g].snapshots[s])}")
            finding = first_difference(graphs[g], s, snapshot)
            if finding is not None:
                if finding.kind == "backward" and finding.misconception is None and s == 0:
                    finding = replace(finding, broken=wrong_pass(graphs[g], snapshot))
                hint = part.on_repeat if s > 0 else None
                return PartResult(part.key, part.title, FAILED, None, finding, hint,
                                  describe(graphs[g].roots[s].value, part.about))
    if status == "done":
        return PartResult(part.key, part.title, PASSED)
    return PartResult(part.key, part.title, FAILED, stopped(answer),
                      hint=part.on_timeout if status == "timeout" else None)


def place(where: list | None) -> Text | str:
    """Where in the student's file: `` (value.py:42 in backward)``, or nothing."""
    if not where:
        return ""
    file, line, function = where
    if function is None:
        return Text(" ({file}:{line})", file=file, line=line)
    return Text(" ({file}:{line} in {function})", file=file, line=line, function=function)


def stopped(answer: dict) -> Text:
    """Why the student's code stopped before the part was done, in a class's words."""
    status = answer["status"]
    if status == "timeout":
        if answer["file"]:
            return Text("did not finish: the file's time limit of {seconds} s ran out",
                        seconds=format(answer["seconds"], "g"))
        return Text("did not finish within {seconds} s", seconds=format(answer["seconds"], "g"))
    if status == "not_run":
        return Text("not run: the file's time limit of {seconds} s was used up",
                    seconds=format(answer["seconds"], "g"))
    if status == "crashed":
        return Text("the process ended (exit status {code}) {stderr}", code=answer["code"],
                    stderr=answer["stderr"])
    if answer["type"] == "not_a_number":
        return Text("a node's {what} is {value}, not a number", **answer["params"])
    if answer["type"] == "not_a_value":
        return Text("{operation} returned {value}, not a {name}", **answer["params"])
    where = place(answer.get("where"))
    if answer["type"] == "RecursionError":
        return Text("RecursionError{where}: endless recursion? (the limit here is deeper than "
                    "a correct engine needs)", where=where)
    if answer["type"] == "MemoryError":
        return Text("MemoryError{where}: more than the {mb} MB a file may take",
                    where=where, mb=answer.get("memory_mb", "?"))
    if answer["type"] == "SystemExit":
        return Text("the code called sys.exit({code}){where}", code=answer["message"],
                    where=where)
    if not answer["message"]:
        return Text("{error}{where}", error=answer["type"], where=where)
    return Text("{error}{where}: {message}", error=answer["type"], where=where,
                message=answer["message"])
