"""Run a README's Python blocks and check every result their comments state.

The convention the READMEs follow, so a comment can be checked:

- a comment after ``print(...)`` on the same line is a line that print writes (in a loop: one
  of the lines it writes), exactly, leading and trailing spaces aside;
- comment-only lines right after a statement that printed (no blank line between) are the
  lines it printed, in order;
- any other comment is prose (what a line does), and is not checked.
"""

from __future__ import annotations

import ast
import contextlib
import io
import sys
import tokenize


def _comments(source: str) -> dict[int, tuple[str, bool]]:
    """line number -> (comment text without '#', whether the line holds only the comment)."""
    found = {}
    lines = source.splitlines()
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            row = tok.start[0]
            found[row] = (tok.string[1:].strip(), not lines[row - 1][:tok.start[1]].strip())
    return found


def _print_lines(statement: ast.stmt) -> set[int]:
    """The lines of ``statement`` that hold a call of print."""
    rows = set()
    for node in ast.walk(statement):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id == "print"):
            rows.update(range(node.lineno, node.end_lineno + 1))
    return rows


def run_block(source: str, namespace: dict, name: str) -> list[str]:
    """Run ``source`` statement by statement in ``namespace`` (its output still goes to
    stdout); return what its comments state that the run contradicts (empty: every stated
    result is what was printed)."""
    tree = ast.parse(source, name)
    comments = _comments(source)
    lines = source.splitlines()
    problems = []
    for statement in tree.body:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(ast.Module([statement], []), name, "exec"), namespace)
        sys.stdout.write(out.getvalue())  # still printed, for whoever reads the run
        printed = [line.strip() for line in out.getvalue().splitlines()]
        for row in sorted(_print_lines(statement)):
            text, alone = comments.get(row, ("", True))
            if text and not alone and text not in printed:
                problems.append(f"{name} line {row}: the comment says {text!r}, but it printed "
                                f"{printed[:6]!r}")
        row, expected = statement.end_lineno + 1, []
        while row in comments and comments[row][1] and lines[row - 1].strip():
            expected.append(comments[row][0])
            row += 1
        if printed and expected:
            got = [line for line in printed if line]
            if got[:len(expected)] != expected:
                problems.append(f"{name} lines {statement.end_lineno + 1}-{row - 1}: the "
                                f"comments say {expected!r}, but it printed {got!r}")
    return problems
