"""README.md cannot rot: its Python snippets run, its gate table is the engine's table."""

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


def test_readme_has_snippets_and_the_two_commands_first():
    text = README.read_text()
    assert len(python_blocks()) >= 5
    first_block = re.search(r"```(?:sh|bash|shell)?\n(.*?)```", text, flags=re.S).group(1)
    assert first_block.split() == ["make", "demo", "make", "test"]


def test_readme_snippets_run_in_order(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # snippets write to out/ here, not into the checkout
    namespace: dict = {"__name__": "__readme__"}
    for k, block in enumerate(python_blocks(), start=1):
        try:
            exec(compile(block, f"README.md python block {k}", "exec"), namespace)
        except Exception as e:  # say which block broke
            pytest.fail(f"README python block {k} raised {type(e).__name__}: {e}\n{block}")


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
