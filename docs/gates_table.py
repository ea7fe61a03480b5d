"""Print the README's gate rules table from engine.GATES (the one source of the rules).

    python -m docs.gates_table        # prints the markdown table
tests/test_readme.py checks that README.md contains exactly this table.
"""

from engine import GATES


def _code(text: str) -> str:
    return "`" + text.replace("|", "\\|") + "`"


def gates_table() -> str:
    rows = ["| gate | symbol | forward | local derivative d out / d input "
            "| the rule, as a teacher says it |",
            "|---|---|---|---|---|"]
    for g in GATES.values():
        local = ", ".join(f"∂/∂{name}: {_code(d)}" for name, d in zip(g.inputs, g.local))
        rows.append(f"| {g.name} | {_code(g.symbol)} | {_code(g.forward)} | {local} | {g.rule} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(gates_table())
