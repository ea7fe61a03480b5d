"""README.md cannot rot: its Python snippets run, its gate table is the engine's table."""

import re
from pathlib import Path

import pytest

from tests.readme_blocks import run_block

README = Path(__file__).resolve().parents[1] / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


def test_readme_has_snippets_and_the_two_commands_first():
    text = README.read_text()
    assert len(python_blocks()) >= 5
    first_block = re.search(r"```(?:sh|bash|shell)?\n(.*?)```", text, flags=re.S).group(1)
    assert first_block.split() == ["make", "demo", "make", "test"]


def test_readme_snippets_run_in_order(tmp_path, monkeypatch):
    """Every block runs, in order, and every result a comment states is what it printed
    (tests/readme_blocks.py says which comments state results)."""
    monkeypatch.chdir(tmp_path)  # snippets write to out/ here, not into the checkout
    namespace: dict = {"__name__": "__readme__"}
    problems, checked = [], 0
    for k, block in enumerate(python_blocks(), start=1):
        try:
            problems += run_block(block, namespace, f"README.md python block {k}")
        except Exception as e:  # say which block broke
            pytest.fail(f"README python block {k} raised {type(e).__name__}: {e}\n{block}")
        checked += stated_results(block)
    assert not problems, "\n".join(problems)
    assert checked >= 8  # f = 0.73, the gradients, a chain-rule line, the errors, accuracies


def stated_results(block: str) -> int:
    """How many comments of ``block`` state a result (a trailing comment on a print line, or a
    comment line right under a loop that prints)."""
    return sum(1 for line in block.splitlines()
               if ("print(" in line and "  # " in line)
               or (line.startswith("# ") and line[2:3].isupper() and "Error" in line))


def test_a_wrong_comment_fails_the_check():
    """The check is not vacuous: a comment that states the wrong result is reported."""
    right = 'x = 0.7310585786300049\nprint(f"f = {x:.2f}")  # f = 0.73\n'
    assert run_block(right, {}, "right") == []
    wrong = right.replace("# f = 0.73", "# f = 0.74")
    [problem] = run_block(wrong, {}, "wrong")
    assert "'f = 0.74'" in problem and "'f = 0.73'" in problem
    loop = "for k in (1, 2):\n    print(k * k)\n# 1\n# 5\n"
    [problem] = run_block(loop, {}, "loop")
    assert "['1', '5']" in problem
    assert run_block(loop.replace("# 5", "# 4"), {}, "loop") == []
    prose = "y = 2  # any words here are prose, not a result\nprint(y)\n"
    assert run_block(prose, {}, "prose") == []


def test_readme_gate_table_is_the_engine_table():
    from docs.gates_table import expression_functions, gates_table, methods

    text = README.read_text()
    assert gates_table() in text
    assert methods() in text  # the prose lists of methods and functions, not typed by hand
    assert expression_functions() in text


@pytest.mark.parametrize("name, least", [("results.md", 10), ("page_results.md", 6),
                                        ("refusal_results.md", 6), ("lesson_results.md", 8)])
def test_readme_benchmark_tables_are_the_benchmark_results(name, least):
    results = (README.parent / "benchmarks" / name).read_text()
    rows = [line for line in results.splitlines() if line.startswith("|")]
    assert len(rows) > least
    text = README.read_text()
    missing = [row for row in rows if row not in text]
    assert not missing, "README's benchmark tables differ from benchmarks/results.md: " + \
        "re-copy them after `make bench`\n" + "\n".join(missing)
