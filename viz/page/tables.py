"""Python's tables, written into the page as one JavaScript object, ``tables``.

The page says nothing Python does not say first. From the gate table: each gate's words (its
name and its title in each language, its rule, its refusals, its health warning) and how its
formula is written with its operands. From ``engine.errors``: the refusal formats. From
``words.lines``: the caption lines, as templates (rendered once here with placeholders where
the names and numbers go). From ``grading.misconceptions``: the readings of the grading rule,
its slack, its right answer and the misconception catalogue, their formulas translated like
the gates'. The JavaScript fills the templates with ``numbers.js``, the one hand-written twin.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from engine import GATES, Gate, pow_gate
from engine.errors import BACKWARD, LOCAL_OVERFLOW, OVERFLOW, refusal_text
from engine.formulas import compile_formula
from grading.misconceptions import MISCONCEPTIONS, READINGS, RIGHT_ANSWER, SLACK, VARIABLES
from words import (
    LANGUAGES,
    bracketed,
    chain_rule_lines,
    forward_line,
    negated,
    product,
    with_exponent,
)

from .js import formula_js, gate_key

EXPLODING = 1e3  # an upstream gradient larger than this is flagged "exploding"
BANDS = (1e-3, 0.1, 10.0)  # the health view colours an edge by the band of |what it carries|

# grading.misconceptions.tolerance as a formula of the one whitelist, so the page computes the
# same number (tests/viz check the two agree): the rounding of the last digit shown, plus slack.
TOLERANCE = "0.5 * 10.0 ** (-digits) + slack * (1.0 + maximum(value, -value))"
TOLERANCE_VARIABLES = ("value", "digits", "slack")

# Lines the page writes that no Python view writes: the running total at a fork, and the seed.
TOTAL_LINE = "d{root}/d{input} = {before} + {contribution} = {after}"
SEED_LINE = "d{root}/d{root} = 1"


class TemplateError(RuntimeError):
    """A Python format changed shape, so the page cannot take its template from it."""


def _template(text: str, shown: dict[str, str], where: str) -> str:
    """``text`` with each shown value replaced by ``{placeholder}`` (each must occur once)."""
    for placeholder, value in shown.items():
        if text.count(value) != 1:
            raise TemplateError(f"{where}: cannot find {value!r} once in {text!r}: the page "
                                "takes its template from this Python format; update "
                                "viz/page/tables.py")
        text = text.replace(value, "{" + placeholder + "}")
    return text


def line_templates() -> dict[str, str]:
    """The caption lines of ``words.lines``, with placeholders where names and numbers go."""
    forward = forward_line("{name}", "a", {"a": ("{formula}", 1.25)}, 2.5, digits=2)
    up, local, contribution = product(1.25, 2.5, 3.75, 2, False)
    chain = chain_rule_lines("{root}", "{node}", 1.25, [("{input}", 2.5, 3.75)], digits=2)[0]
    return {
        "forward": _template(forward, {"values": "1.25", "result": "2.50"}, "forward_line"),
        "chain": _template(chain, {"upstream": up, "local": local, "contribution": contribution},
                           "chain_rule_lines"),
        "total": TOTAL_LINE, "seed": SEED_LINE, "leaf": "{name} = {value}",
    }


def refusal_templates() -> dict[str, str]:
    """``engine.errors.refusal_text``'s two formats (msgids, translated in the page; the gate
    by its title) and how it writes each operand: ``a = -1.0``, and with a label the msgid of
    ``a = -1.0 (node 'x')``; two operands joined by the msgid of ``{first}, {second}``."""
    plain = refusal_text(GATES["log"], "", [(1.25, "")])
    bound = refusal_text(pow_gate(2.0), "", [(1.25, "")])
    labelled = refusal_text(GATES["log"], "", [(1.25, "zz")]).params["operands"]
    two = refusal_text(GATES["div"], "", [(1.25, ""), (2.5, "")]).params["operands"]
    operand = plain.params["operands"]  # "a = 1.25"
    return {
        "plain": plain.msgid, "bound": bound.msgid,
        "operand": _template(operand, {"input": "a", "value": "1.25"}, "refusal operand"),
        "labelled": labelled.msgid, "pair": two.msgid, "overflow": OVERFLOW.says,
        "localOverflow": LOCAL_OVERFLOW.says,
    }


def gate_rows(gates: Iterable[Gate]) -> dict[str, dict]:
    """Each gate's words and how its formula is written, keyed like the kernels."""
    rows = {}
    for g in gates:
        shown = with_exponent(g.forward, g.param)
        rows[gate_key(g)] = {
            "name": g.name, "titles": {code: g.title(code) for code in LANGUAGES},
            "inputs": list(g.inputs), "rule": g.rule, "says": [c.says for c in g.checks],
            "p": refusal_text(g, "", []).params.get("p", ""), "show": shown,
            "bracket": sorted(bracketed(shown)), "negated": sorted(negated(shown)),
            "health": g.health.says if g.health is not None else None}
    return rows


def misconceptions(gate_names: set[str]) -> list:
    """The rows of the misconception catalogue that can concern these gates."""
    return [m for m in MISCONCEPTIONS if not m.gates or set(m.gates) & gate_names]


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _misconceptions_js(gate_names: set[str]) -> str:
    rows = []
    for m in misconceptions(gate_names):
        rows.append("{" + f"key: {_json(m.key)}, title: {_json(m.title)}, "
                    f"explain: {_json(m.explain)}, gates: {_json(list(m.gates))}, "
                    f"inputs: {_json(list(m.inputs))}, "
                    f"when: {formula_js(m.key, m.when, VARIABLES, 'truth')}, "
                    f"answer: {formula_js(m.key, m.answer, VARIABLES)}" + "}")
    return "[\n" + ",\n".join(rows) + "]"


def tolerance(value: float, digits: int, slack: float = SLACK) -> float:
    """TOLERANCE evaluated in Python (what the page computes), for the tests."""
    return compile_formula(TOLERANCE, TOLERANCE_VARIABLES, "page tolerance")(value, digits, slack)


def _grading_js() -> str:
    readings = [{"key": r.key, "rounded": r.rounded, "localFromGate": r.local_from_gate}
                for r in READINGS]
    return ("{" + f"readings: {_json(readings)}, slack: {SLACK!r}, "
            f"variables: {_json(list(VARIABLES))}, "
            f"rightAnswer: {formula_js('grading', RIGHT_ANSWER, VARIABLES)}, "
            f"tolerance: {formula_js('tolerance', TOLERANCE, TOLERANCE_VARIABLES)}" + "}")


def tables_js(gates: Iterable[Gate]) -> str:
    """``var tables = {...};``: everything the page's script reads from Python's tables."""
    gates = list(gates)
    names = {g.name for g in gates}
    data = {"gates": gate_rows(gates), "refusal": refusal_templates(), "lines": line_templates(),
            "backward": {"notFinite": BACKWARD[0], "overflow": BACKWARD[1]},
            "health": {"exploding": EXPLODING, "bands": list(BANDS)}}
    parts = [f"  {key}: {_json(value)}" for key, value in data.items()]
    parts += [f"  grading: {_grading_js()}", f"  misconceptions: {_misconceptions_js(names)}"]
    return "var tables = {\n" + ",\n".join(parts) + "\n};\n"


def table_msgids(gates: Iterable[Gate]) -> list[str]:
    """The msgids these tables hold, for the page's catalogue."""
    gates = list(gates)
    refusal = refusal_templates()
    out = [refusal["plain"], refusal["bound"], refusal["labelled"], refusal["pair"], OVERFLOW.says,
           LOCAL_OVERFLOW.says]
    for g in gates:
        out += [g.rule, *(c.says for c in g.checks)] + ([g.health.says] if g.health else [])
    out += [text for m in misconceptions({g.name for g in gates}) for text in (m.title, m.explain)]
    return out
