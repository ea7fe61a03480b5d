"""The shape of the house, read from the code with ``ast`` (issue 13): no import cycles, no
arrow running back up the layers (imports inside functions count), and the size rules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REQUIRED = ("words", "engine", "nn", "grading", "viz", "demos", "gategrad")
PACKAGES = REQUIRED
# The layers, bottom first: a package may import only from its own layer or one below it.
# words (numbers, names, catalogues) -> engine (the autograd) -> nn, grading (built on the
# engine, side by side) -> viz -> demos (the lessons) -> gategrad (the command, which runs them).
LAYERS = (("words",), ("engine",), ("nn", "grading"), ("viz",), ("demos",), ("gategrad",))
LEVEL = {package: k for k, layer in enumerate(LAYERS) for package in layer}
# Side by side is not both ways: nn and grading never import each other.
FORBIDDEN = {package: {p for p, level in LEVEL.items() if level > LEVEL[package]}
             for package in LEVEL}
FORBIDDEN["nn"] |= {"grading"}
FORBIDDEN["grading"] |= {"nn"}
CORE_LIMIT, MODULE_LIMIT = 600, 400


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    for package in REQUIRED:
        assert (ROOT / package / "__init__.py").is_file(), f"package {package} is missing"
    return {_module_name(p): p for package in PACKAGES if (ROOT / package).is_dir()
            for p in sorted((ROOT / package).rglob("*.py")) if ".venv" not in p.parts}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Every project module that ``name`` imports, anywhere in the file (functions too)."""
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")[: len(name.split(".")) - node.level + is_package]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            # `from pkg import mod` is an arrow to the module pkg.mod; `from pkg import name`
            # one to pkg itself (its __init__)
            submodules = [f"{prefix}.{a.name}" for a in node.names]
            targets = [m for m in submodules if m in known]
            if len(targets) < len(submodules):
                targets.append(prefix)
        else:
            continue
        for target in targets:
            while target and target not in known:  # a name inside a module: the module
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def test_the_reader_sees_imports_inside_functions_and_relative_ones(tmp_path):
    """The reader itself, on a file written here: a lazy relative import is an arrow."""
    f = tmp_path / "value.py"
    f.write_text("from .gates import GATES\n\ndef g():\n    from .steps import x\n"
                 "    import words.names\n")
    known = {"engine.gates", "engine.steps", "engine.value", "words",
             "words.names"}
    assert _imports("engine.value", f, known) == {"engine.gates", "engine.steps",
                                                  "words.names"}


def test_no_upward_arrows():
    wrong = [f"{module} imports {target}" for module, targets in _graph().items()
             for target in targets
             if target.split(".")[0] in FORBIDDEN.get(module.split(".")[0], ())]
    assert not wrong, "imports that run back up the layers:\n" + "\n".join(sorted(wrong))


def test_no_import_cycles():
    """Between modules (a package's ``__init__`` re-exporting its own modules is no cycle
    unless a module imports the package back; that arrow is kept, so it is caught)."""
    graph = _graph()
    colour: dict[str, int] = {}
    cycles = []

    def visit(start: str) -> None:  # iterative depth-first search, grey = on the path
        stack = [(start, iter(sorted(graph[start])))]
        path = [start]
        colour[start] = 1
        while stack:
            node, targets = stack[-1]
            for t in targets:
                if colour.get(t) == 1:
                    cycles.append(" -> ".join(path[path.index(t):] + [t]))
                elif t not in colour:
                    colour[t] = 1
                    path.append(t)
                    stack.append((t, iter(sorted(graph.get(t, ())))))
                    break
            else:
                colour[node] = 2
                stack.pop()
                path.pop()

    for module in sorted(graph):
        if module not in colour:
            visit(module)
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def _lines(path: Path) -> int:
    return path.read_bytes().count(b"\n")  # as wc -l counts


# Beside the core, not in it (each read after backprop is understood, or only when something is
# wrong): errors.py (what is said when something is wrong, issue 13), modes.py (per-thread
# no_grad / detect_anomaly, issue 15; a gate only reads its one fast-path counter), forward.py
# (a second reader of the stored locals), formulas.py (the whitelist every formula passes when
# a row is made, never on the hot path) and registry.py (adding a row at run time). Everything
# else at the top of engine/ is counted, so a new module cannot hide there.
BESIDE_THE_CORE = ("__init__.py", "errors.py", "modes.py", "forward.py", "formulas.py",
                   "registry.py")
ROW_LIMIT = 12  # lines one row of a table may take; the rows are not counted in CORE_LIMIT


def _table_rows(path: Path) -> list[list[str]]:
    """The rows of the tables in a file: the lines between ``# fmt: off`` and ``# fmt: on``,
    split where a row starts (a line at the table's indent opening a call)."""
    rows: list[list[str]] = []
    inside = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() in ("# fmt: off", "# fmt: on"):
            inside = line.strip() == "# fmt: off"
        elif inside and line.startswith("    ") and not line.startswith("     ") \
                and "(" in line and not line.lstrip().startswith("#"):
            rows.append([line])
        elif inside and rows:
            rows[-1].append(line)
    return rows


def test_the_engine_core_reads_in_one_sitting():
    core = [p for p in sorted((ROOT / "engine").glob("*.py")) if p.name not in BESIDE_THE_CORE]
    assert {"value.py", "gates.py", "steps.py", "check.py"} <= {p.name for p in core}
    rows = {p.name: _table_rows(p) for p in core}
    assert len(rows["gates.py"]) >= 13, "the size test no longer finds the gate table's rows"
    sizes = {p.name: _lines(p) - sum(len(r) for r in rows[p.name]) for p in core}
    assert sum(sizes.values()) <= CORE_LIMIT, f"engine core is {sum(sizes.values())} lines " \
                                              f"(limit {CORE_LIMIT}, table rows aside): {sizes}"
    long = [r[0].strip() for name in rows for r in rows[name] if len(r) > ROW_LIMIT]
    assert not long, f"table rows over {ROW_LIMIT} lines: {long}"


@pytest.mark.parametrize("package", REQUIRED)
def test_no_module_over_400_lines(package):
    big = {str(p.relative_to(ROOT)): _lines(p) for p in sorted((ROOT / package).rglob("*.py"))
           if _lines(p) > MODULE_LIMIT}
    assert not big, f"modules over {MODULE_LIMIT} lines (each is doing two jobs): {big}"
