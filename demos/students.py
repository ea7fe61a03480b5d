"""The engines of demos/student/: the correct one, and one per mistake, made from it by edits.

``demos/student/correct.py`` is written by hand. Every other engine there is that file with the
edits of one row below applied (the lines a student would have written instead) and a
docstring saying what is wrong, so each commits exactly one mistake: the rows of
``grading.MISCONCEPTIONS``, a backward without a topological order, and a visited set that
outlives ``backward()``. After editing correct.py or a row, rebuild them (the tests check the
files are what this builds):

    python -m demos.students
"""

from __future__ import annotations

import difflib
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

from grading.misconceptions import BY_KEY

FOLDER = Path(__file__).with_name("student")
MUL = ("self.grad += other.data * out.grad\n"
       "            other.grad += self.data * out.grad")
RECURSIVE_TOPO = (
    "        topo, visited = [], set()\n\n"
    "        def build(v):\n"
    "            if v not in visited:\n"
    "                visited.add(v)\n"
    "                for child in v._prev:\n"
    "                    build(child)\n"
    "                topo.append(v)\n"
    "        build(self)\n"
    "        self.grad = 1.0\n"
    "        for v in reversed(topo):\n"
    "            v._backward()\n")
NO_ORDER = (
    "        self.grad = 1.0\n"
    "        self._push()\n\n"
    "    def _push(self):  # this node's gate, then each input's at once: no order\n"
    "        self._backward()\n"
    "        for child in self._prev:\n"
    "            child._push()\n")


@dataclass(frozen=True)
class Mistake:
    """One engine: its file name (a misconception key where it is one), the edits that make it
    from correct.py (every occurrence of each ``old`` becomes ``new``), and, for a mistake the
    catalogue does not list, what it is."""

    key: str
    edits: tuple[tuple[str, str], ...]
    about: str = ""


MISTAKES: tuple[Mistake, ...] = (
    Mistake("forgot_upstream", ((MUL, "self.grad += other.data\n"
                                      "            other.grad += self.data"),)),
    Mistake("mul_upstream_unchanged", ((MUL, "self.grad += out.grad\n"
                                             "            other.grad += out.grad"),)),
    Mistake("mul_own_value", ((MUL, "self.grad += self.data * out.grad\n"
                                    "            other.grad += other.data * out.grad"),)),
    Mistake("lost_sign", (("other.grad += -out.grad", "other.grad += out.grad"),)),
    Mistake("replaced_not_added", ((".grad += ", ".grad = "),)),
    Mistake("kept_old_total", ((MUL, "for child, local in {self: other.data, "
                                     "other: self.data}.items():\n"
                                     "                child.grad += local * out.grad"),)),
    Mistake("sigmoid_from_input", (("s * (1 - s) * out.grad",
                                    "self.data * (1 - self.data) * out.grad"),)),
    Mistake("tanh_from_input", (("(1 - t * t) * out.grad", "(1 - self.data ** 2) * out.grad"),)),
    Mistake("relu_at_zero", (("(self.data > 0) * out.grad", "(self.data >= 0) * out.grad"),)),
    Mistake("relu_negative", (("self.grad += (self.data > 0) * out.grad",
                               "self.grad += out.grad"),)),
    Mistake("max_to_smaller", (("else self.data > other.data)", "else self.data < other.data)"),
                               ("else other.data > self.data)", "else other.data < self.data)"))),
    Mistake("no_topological_order", ((RECURSIVE_TOPO, NO_ORDER),),
            "a backward without a topological order: each node runs its gate, then recurses "
            "into its inputs at once, so a node reached by several paths pushes its gradient "
            "once per path, sometimes before all its users have added theirs"),
    Mistake("stale_visited", (("def backward(self):\n        topo, visited = [], set()",
                               "def backward(self, visited=set()):  # noqa: B006 (the mistake)\n"
                               "        topo = []"),),
            "a visited set that outlives backward(): a default argument is made once, so a "
            "second backward on the same graph finds every node visited and does nothing"),
)


def source(mistake: Mistake, correct: str) -> str:
    """correct.py with the mistake's edits, under a docstring that names the mistake and shows
    the lines that differ."""
    right = re.sub(r'\A""".*?"""\n', "", correct, flags=re.S)
    body = right
    for old, new in mistake.edits:
        if old not in body:
            raise ValueError(f"{mistake.key}: {old!r} is not in correct.py")
        body = body.replace(old, new)
    diff = [line for line in difflib.unified_diff(right.splitlines(), body.splitlines(), n=0,
                                                  lineterm="")
            if line[:1] in "-+" and line[1:2] not in "-+"]
    shown = textwrap.indent(textwrap.dedent("\n".join(f"{d[0]} {d[1:]}" for d in diff)), "    ")
    m = BY_KEY.get(mistake.key)
    what = f"{m.title}. {m.explain}" if m else mistake.about[0].upper() + mistake.about[1:] + "."
    return ('"""A student\'s engine with one mistake: correct.py, except for this.\n\n'
            f"{textwrap.fill(what, 96)}\n\nThe lines that differ (- correct.py, + this file):"
            f'\n\n{shown}\n\n    gategrad check demos/student/{mistake.key}.py\n"""\n{body}')


def build() -> dict[Path, str]:
    """Every engine made from correct.py: its path in demos/student/ and its text."""
    correct = (FOLDER / "correct.py").read_text(encoding="utf-8")
    return {FOLDER / f"{m.key}.py": source(m, correct) for m in MISTAKES}


def write() -> list[Path]:
    files = build()
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    return sorted(files)


if __name__ == "__main__":
    for path in write():
        print(path)
