"""Lines a class reads: a gate's forward formula filled in, its chain rule, gradcheck's table.

Names and numbers in, text out: ``engine.steps`` and ``engine.check`` pass what their records
hold, and the lesson page's captions read ``bracketed`` for the same operands, so every view
writes a gate the same way. Numbers come from ``numbers``, the one formatter.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterable, Mapping

from .i18n import _
from .numbers import check_digits, num, product, trimmed
from .width import align


@functools.cache
def _signed_operands(formula: str) -> tuple[frozenset[str], frozenset[str]]:
    """The names of ``formula`` that need brackets when negative, and those under a unary minus."""
    needs, negated = [], []
    for node in ast.walk(ast.parse(formula, mode="eval")):
        if isinstance(node, ast.BinOp):
            needs += [node.left, node.right] if isinstance(node.op, ast.Pow) else [node.right]
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            needs.append(node.operand)
            negated.append(node.operand)
    brackets = frozenset(n.id for n in needs if isinstance(n, ast.Name))
    return brackets, frozenset(n.id for n in negated if isinstance(n, ast.Name))


def with_exponent(formula: str, p: float | None) -> str:
    """A pow gate's formula with its exponent written in: ``a ** 2``, ``a ** (-1)``."""
    if p is None:
        return formula
    return re.sub(r"\bp\b", f"({p:g})" if p < 0 else f"{p:g}", formula)


def bracketed(formula: str) -> frozenset[str]:
    """Names written in brackets when negative: either side of ``**``, the right side of every
    other binary operator, the operand of a unary minus. ``-3.00 ** 2`` reads as -9 and
    ``9.00 - -2.00`` as a typo, so: ``(-3.00) ** 2``, ``9.00 - (-2.00)``, ``4.00 + (-3.00)``."""
    return _signed_operands(formula)[0]


def negated(formula: str) -> frozenset[str]:
    """Names under a unary minus: a displayed zero there is bracketed, ``-(0.00)``."""
    return _signed_operands(formula)[1]


def forward_line(name: str, formula: str, operands: Mapping[str, tuple[str, float]],
                 result: float, digits: int | None = None, p: float | None = None,
                 exact: bool = False) -> str:
    """``s0 = x ** 2 = (-3.00) ** 2 = 9.00``: a gate's formula filled in with its operands'
    names, then their values. ``operands`` maps each input of the formula (``a``, ``b``) to the
    node's (name, value); ``p`` is a pow gate's exponent. A unary minus before a displayed zero
    gets brackets too, ``-(0.00)``: negating a number never shows ``-0.00``. ``exact``: numbers
    without padding zeros (``words.trimmed``), as exact mode writes them; the caller picks
    ``digits`` with ``exact_places`` so the line's product checks out."""
    digits = check_digits(digits, "formula digits")
    formula = with_exponent(formula, p)
    brackets, negated = _signed_operands(formula)
    shown_number = trimmed if exact else num

    def value(k: str) -> str:
        shown = shown_number(operands[k][1], digits)
        if (k in brackets and shown[0] == "-") or (k in negated and float(shown) == 0.0):
            return f"({shown})"
        return shown

    def fill(text_of) -> str:
        return re.sub(r"\b([ab])\b", lambda m: text_of(m.group(1)), formula)

    named = fill(lambda k: operands[k][0])
    return f"{name} = {named} = {fill(value)} = {shown_number(result, digits)}"


def chain_rule_lines(root: str, node: str, upstream: float,
                     inputs: Iterable[tuple[str, float, float]], digits: int | None = None,
                     latex: bool = False, exact: bool = False) -> list[str]:
    """One line per input (name, local, contribution) of the gate that made ``node``:
    ``df/dw0 += df/ds0 · ∂s0/∂w0 = 0.20 × (-1.00) = -0.20``; ``exact`` gives the operands as
    many digits as the displayed product needs (``words.product``)."""
    digits = check_digits(digits, "chain_rule digits")
    lines = []
    for x, local, contribution in inputs:
        up, loc, c = product(upstream, local, contribution, digits, exact)
        if latex:
            f, o, x = latex_name(root), latex_name(node), latex_name(x)
            lines.append(rf"\frac{{\partial {f}}}{{\partial {x}}} \mathrel{{+}}= "
                         rf"\frac{{\partial {f}}}{{\partial {o}}} \cdot \frac{{\partial {o}}}"
                         rf"{{\partial {x}}} = {up} \times {loc} = {c}")
        else:
            lines.append(f"d{root}/d{x} += d{root}/d{node} · ∂{node}/∂{x} = {up} × {loc} = {c}")
    return lines


def latex_name(name: str) -> str:
    """w0 -> w_{0}, s_3 -> s_{3}: subscripts for trailing digits, escapes for the rest."""
    m = re.fullmatch(r"([A-Za-z]+)_?(\d+)", name)
    return f"{m.group(1)}_{{{m.group(2)}}}" if m else re.sub(r"([_%$#&{}])", r"\\\1", name)


def gradcheck_table(rows: Iterable, passed: bool) -> str:
    """gradcheck's rows (name, analytic, numeric, rel_error, passed) as a table and a verdict,
    in the current language, its columns lined up by display width."""
    table = [[_("input"), _("analytic"), _("numeric"), _("rel. error"), _("result")]]
    for r in rows:
        table.append([r.name, f"{r.analytic:.8f}", f"{r.numeric:.8f}", f"{r.rel_error:.2e}",
                      _("pass") if r.passed else _("FAIL")])
    lines = align(table, right={1, 2, 3})
    lines.append(_("gradcheck passed") if passed else _("gradcheck FAILED"))
    return "\n".join(lines)
