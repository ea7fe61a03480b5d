"""Terminal tables of the forward and backward passes, for the screen and for handouts.

Everything printed here comes from the engine's step records and gate table; nothing is
recomputed. The tables show one clean backward pass from zero gradients and leave the graph's
``.grad`` as it was (``engine.record_steps``).
"""

from __future__ import annotations

from collections.abc import Sequence

from engine import Value, forward_steps, record_steps
from engine.steps import Step


def _short_rule(rule: str) -> str:
    """'mul swaps: each input ...' -> 'mul swaps' (the head a teacher says out loud)."""
    return rule.split(":", 1)[0]


def _align(rows: Sequence[Sequence[str]], right: set[int]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for r in rows:
        cells = [c.rjust(w) if i in right else c.ljust(w)
                 for i, (c, w) in enumerate(zip(r, widths))]
        lines.append("  ".join(cells).rstrip())
    return lines


def _num(x: float, digits: int) -> str:
    return f"{x:.{digits}f}"


def steps_table(root: Value, digits: int = 2, chain_rule: bool = False) -> str:
    """The backward pass as a table: one block per gate, one row per input.

    Columns: step, gate, rule, the gate's output node, upstream (d root / d node), the input,
    its local derivative, the contribution upstream × local, and the input's running gradient
    before → after the step. With ``chain_rule=True`` each block is followed by its chain-rule
    lines. The full rule sentences of the gates that appear are listed under the table.
    """
    steps = record_steps(root)
    if not steps:
        return f"{_root_name(root)} is a leaf: there are no gates to step through."
    names = steps[0].names
    header = ["step", "gate", "rule", "output", "upstream", "input", "local", "contribution",
              "grad before → after"]
    rows: list[list[str]] = [header]
    extra: dict[int, list[str]] = {}  # row index -> chain-rule lines printed after it
    for s in steps:
        for k, i in enumerate(s.inputs):
            first = k == 0
            rows.append([
                str(s.index) if first else "",
                s.op if first else "",
                _short_rule(s.rule) if first else "",
                names[s.node] if first else "",
                _num(s.upstream, digits) if first else "",
                names[i.node],
                _num(i.local, digits),
                _num(i.contribution, digits),
                f"{_num(i.grad_before, digits)} → {_num(i.grad_after, digits)}",
            ])
        if chain_rule:
            extra[len(rows) - 1] = ["      " + line for line in s.chain_rule(digits)]
    lines = _align(rows, right={0, 4, 6, 7})
    out = [lines[0], "-" * len(lines[0])]
    for n, line in enumerate(lines[1:], start=1):
        out.append(line)
        out.extend(extra.get(n, []))
    out.append("")
    out.append(f"d{_root_name(root)}/d{_root_name(root)} = 1 seeds the pass. Rules:")
    seen = []
    for s in steps:
        if s.rule not in seen:
            seen.append(s.rule)
            out.append(f"  {s.rule}")
    return "\n".join(out)


def forward_table(root: Value, digits: int = 2) -> str:
    """The forward pass in evaluation order: each gate with its formula and numbers filled in."""
    rows = [["step", "gate", "computes"]]
    for s in forward_steps(root):
        rows.append([str(s.index), s.op, s.formula(digits)])
    if len(rows) == 1:
        return f"{_root_name(root)} = {_num(root.data, digits)} is a leaf: no gates to evaluate."
    lines = _align(rows, right={0})
    return "\n".join([lines[0], "-" * len(lines[0]), *lines[1:]])


def chain_rule_text(root: Value, digits: int = 2, latex: bool = False) -> str:
    """Every chain-rule line of the backward pass, in order; with ``latex=True`` an
    ``align*`` block ready to paste into slides."""
    steps: list[Step] = record_steps(root)
    lines = [line for s in steps for line in s.chain_rule(digits, latex=latex)]
    if not latex:
        return "\n".join(lines)
    body = " \\\\\n".join("  " + line.replace(r"\mathrel{+}=", r"&\mathrel{+}=") for line in lines)
    return "\\begin{align*}\n" + body + "\n\\end{align*}"


def _root_name(root: Value) -> str:
    return root.label or "L"
