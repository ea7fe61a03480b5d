"""Terminal tables of the forward and backward passes, for the screen and for handouts.

Everything printed here comes from the engine's step records and gate table; nothing is
recomputed. The tables show one clean backward pass from zero gradients and leave the graph's
``.grad`` as it was (``engine.record_steps``). Numbers go through words (one formatter,
the same default digits as every view), columns are aligned by display width (Chinese names
line up), and the words are translated (``lang=``).
"""

from __future__ import annotations

from engine import Gate, Value, forward_steps, node_names, record_steps
from engine.steps import Step
from words import (
    Text,
    _,
    align,
    check_digits,
    error,
    exact_places,
    forward_line,
    num,
    product,
    speaking,
    trimmed,
    width,
)

from .graph import DEFAULT_MAX_NODES, GraphTooLarge, count_nodes


def _small_enough(root: Value, max_nodes: int, where: str) -> None:
    """Refuse a graph past ``max_nodes`` before a step is recorded, as every picture does: the
    count stops at the limit, so a million gates are refused at once, not after minutes."""
    if not isinstance(root, Value):
        raise TypeError(f"{where}: expected the Value at the root of a graph, got "
                        f"{type(root).__name__}")
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
        raise ValueError(f"{where}: max_nodes must be a positive whole number, got {max_nodes!r}")
    if count_nodes(root, max_nodes) > max_nodes:
        raise error(GraphTooLarge, Text(
            "{where}: the graph has more than {limit} nodes (max_nodes={limit}): a table of it "
            "would run to thousands of lines nobody can follow; print a smaller piece of the "
            "graph (one neuron, one sample), or pass a larger max_nodes to print it anyway",
            where=where, limit=max_nodes))


def _head(text: str, marks: tuple[str, ...] = (":", "：", "，")) -> str:
    for mark in marks:  # Chinese sentences use full-width marks
        if mark in text:
            return text.split(mark, 1)[0]
    return text


def _short_rule(rule: str, title: str = "") -> str:
    """'mul swaps: each input ...' -> 'mul swaps' (the head a teacher says out loud). A
    translation that starts with the gate's name, which the gate column shows already
    ("乘法门：梯度交叉相乘：……" beside "乘法门"), gives the words after it ("梯度交叉相乘")."""
    head = _head(rule)
    if title and head != rule and (head.startswith(title) or title.startswith(head)):
        return _head(rule[len(head) + 1:], (":", "："))
    return head


def _gate(gate: Gate, lang: str) -> str:
    """The gate column: the gate table's name under the heading "gate" in English ("mul"),
    the gate's title in another language ("乘法门"), as captions and the page name it."""
    return gate.name if lang == "en" else gate.title(lang)


def _unbracket(text: str) -> str:
    return text[1:-1] if text.startswith("(") else text


def steps_table(root: Value, digits: int | None = None, chain_rule: bool = False, *,
                exact: bool = False, lang: str | None = None,
                max_nodes: int = DEFAULT_MAX_NODES) -> str:
    """The backward pass as a table: one block per gate, one row per input.

    Columns: step, gate, rule, the gate's output node, upstream (d root / d node), the input,
    its local derivative, the contribution upstream × local, and the input's running gradient
    before → after the step. With ``chain_rule=True`` each block is followed by its chain-rule
    lines; with ``exact=True`` every number of the table gets the decimals it takes for every
    product in it to check out by hand (the same for all, so a quantity reads the same in every
    row and line). The full rule sentences of the gates that appear are listed under it.
    A graph past ``max_nodes`` is refused (GraphTooLarge) before any step is recorded.
    """
    digits = check_digits(digits)
    with speaking(lang) as lang:
        _small_enough(root, max_nodes, "steps_table")
        steps = record_steps(root)
        if not steps:
            return _("{name} is a leaf: there are no gates to step through.").format(
                name=_root_name(root))
        names = steps[0].names
        places = _places(steps, digits, exact)
        shown_grad = trimmed if exact else num
        header = [_("step"), _("gate"), _("rule"), _("output"), _("upstream"), _("input"),
                  _("local"), _("contribution"), _("grad before → after")]
        rows: list[list[str]] = [header]
        extra: dict[int, list[str]] = {}  # row index -> chain-rule lines printed after it
        for s in steps:
            shown = [product(s.upstream, i.local, i.contribution, places, exact) for i in s.inputs]
            for k, (i, (upstream, local, contribution)) in enumerate(zip(s.inputs, shown)):
                first = k == 0
                title = "" if lang == "en" else s.gate.title(lang)
                rows.append([
                    str(s.index) if first else "",
                    _gate(s.gate, lang) if first else "",
                    _short_rule(_(s.rule), title) if first else "",
                    names[s.node] if first else "",
                    upstream if first else "",
                    names[i.node],
                    _unbracket(local),
                    contribution,
                    f"{shown_grad(i.grad_before, places)} → {shown_grad(i.grad_after, places)}",
                ])
            if chain_rule:
                lines = s.chain_rule(places, exact=True) if exact else s.chain_rule(places)
                extra[len(rows) - 1] = ["      " + line for line in lines]
        lines = align(rows, right={0, 4, 6, 7})
        out = [lines[0], "-" * width(lines[0])]
        for n, line in enumerate(lines[1:], start=1):
            out.append(line)
            out.extend(extra.get(n, []))
        out.append("")
        root_name = _root_name(root)
        out.append(_("d{root}/d{root} = 1 seeds the pass. Rules:").format(root=root_name))
        seen: list[str] = []
        for s in steps:
            if s.rule not in seen:
                seen.append(s.rule)
                out.append(f"  {_(s.rule)}")
        return "\n".join(out)


def _places(steps: list[Step], digits: int, exact: bool) -> int:
    """The decimals of every number of one display: ``digits``, or in exact mode the fewest at
    which every product of every step checks out by hand (``words.exact_places``), so one
    quantity (say d f / d s1) reads the same in every row and chain-rule line."""
    if not exact:
        return digits
    return exact_places(((s.upstream, i.local, i.contribution) for s in steps
                         for i in s.inputs), digits)


_OPS = {"mul": "*", "add": "+", "sub": "-"}  # the gates whose forward lines are checked by hand


def forward_table(root: Value, digits: int | None = None, *, exact: bool = False,
                  lang: str | None = None, max_nodes: int = DEFAULT_MAX_NODES) -> str:
    """The forward pass in evaluation order: each gate with its formula and numbers filled in.
    ``exact``: every number at the decimals it takes for every product, sum and difference (mul,
    add and sub gates) of the table to check out by hand, without padding zeros. A graph past
    ``max_nodes`` is refused first, as in steps_table."""
    digits = check_digits(digits)
    with speaking(lang) as lang:
        _small_enough(root, max_nodes, "forward_table")
        steps = list(forward_steps(root))
        if exact:
            digits = exact_places(((*(v.data for v in s.inputs), s.output, _OPS[s.op])
                                   for s in steps if s.op in _OPS), digits)
        rows = [[_("step"), _("gate"), _("computes")]]
        for s in steps:
            operands = {k: (s.names[v], v.data) for k, v in zip(s.gate.inputs, s.inputs)}
            line = forward_line(s.names[s.node], s.gate.forward, operands, s.output, digits,
                                s.gate.param, exact)
            rows.append([str(s.index), _gate(s.gate, lang), line])
        if len(rows) == 1:
            return _("{name} = {value} is a leaf: no gates to evaluate.").format(
                name=_root_name(root), value=num(root.data, digits))
        lines = align(rows, right={0})
        return "\n".join([lines[0], "-" * width(lines[0]), *lines[1:]])


def chain_rule_text(root: Value, digits: int | None = None, latex: bool = False, *,
                    exact: bool = False, max_nodes: int = DEFAULT_MAX_NODES) -> str:
    """Every chain-rule line of the backward pass, in order; with ``latex=True`` an
    ``align*`` block ready to paste into slides; ``exact=True`` and ``max_nodes`` as in
    steps_table."""
    digits = check_digits(digits)
    _small_enough(root, max_nodes, "chain_rule_text")
    steps: list[Step] = record_steps(root)
    places = _places(steps, digits, exact)
    more = {"exact": True} if exact else {}
    lines = [line for s in steps for line in s.chain_rule(places, latex=latex, **more)]
    if not latex:
        return "\n".join(lines)
    body = " \\\\\n".join("  " + line.replace(r"\mathrel{+}=", r"&\mathrel{+}=") for line in lines)
    return "\\begin{align*}\n" + body + "\n\\end{align*}"


def _root_name(root: Value) -> str:
    """The root's name as every view gives it (engine.node_names: its label, else ``f``)."""
    if not isinstance(root, Value):
        raise TypeError(f"expected the Value at the root of a graph, got {type(root).__name__}")
    return node_names(root)[root]
