"""The README's gate table and its lists of gate functions, written from engine.GATES.

    python -m docs.gates_table        # prints the markdown table and the two lists

tests/test_readme.py checks that README.md contains exactly these, so a new row of the table
(or a changed one) shows in the README by rerunning this script, and no list is typed by hand.
"""

from engine import GATES


def _code(text: str) -> str:
    return "`" + text.replace("|", "\\|") + "`"


# How Python spells its operators, by the name of their special method (the language's list,
# not a list of gates).
PYTHON_OPERATORS = {"neg": "-{a}", "pos": "+{a}", "abs": "abs({a})", "invert": "~{a}",
                    "add": "{a} + {b}", "sub": "{a} - {b}", "mul": "{a} * {b}",
                    "truediv": "{a} / {b}", "floordiv": "{a} // {b}", "mod": "{a} % {b}",
                    "matmul": "{a} @ {b}", "pow": "{a} ** {b}"}


def _python(g) -> str:
    """How lesson code applies the gate: ``a + b``, ``-a``, ``a ** p``, ``a.exp()``."""
    if g.operator == "pow" and g.arity == 1:
        return _code("a ** p")
    if g.operator:
        return _code(PYTHON_OPERATORS[g.operator].format(a="a", b="b"))
    return _code(f"a.{g.method}()" if g.arity == 1 else f"a.{g.method}(b)")


def gates_table() -> str:
    rows = ["| gate | in Python | forward | local derivative d out / d input "
            "| the rule, as a teacher says it | 中文 | torch |",
            "|---|---|---|---|---|---|---|"]
    for g in GATES.values():
        local = ", ".join(f"∂/∂{name}: {_code(d)}" for name, d in zip(g.inputs, g.local))
        rows.append(f"| {g.name} | {_python(g)} | {_code(g.forward)} | {local} | {g.rule} "
                    f"| {g.title('zh')} | {_code(g.torch)} |")
    return "\n".join(rows)


def methods() -> str:
    """The methods and the engine's functions, as the README's prose lists them."""
    rows = [g for g in GATES.values() if g.method]
    calls = " ".join(f".{g.method}()" if g.arity == 1 else f".{g.method}(y)" for g in rows)
    return (f"`x{calls}`, and the functions "
            f"`engine.{' '.join(g.function or g.method for g in rows)}`")


def expression_functions() -> str:
    """The functions an expression of the command line may call."""
    return "`" + " ".join(g.method if g.arity == 1 else f"{g.method}(a, b)"
                          for g in GATES.values() if g.method) + "`"


if __name__ == "__main__":
    print(gates_table(), methods(), expression_functions(), sep="\n\n")
