"""A student's grade as data (parts, findings, the score) and as the text a class reads.

Everything class-facing is a ``Text`` or a msgid, rendered in the language asked for when the
report is printed (a folder is graded in worker threads, which do not share the caller's
``speaking`` block). Numbers go through the one formatter, with as many decimals as it takes
for the student's number and the right one to read differently.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from words import N_, Text, _, align, num, speaking

from ..broken import BrokenPass, commented
from ..misconceptions import Misconception
from .builder import GateName

PASSED, FAILED, NOT_ATTEMPTED = "passed", "failed", "not attempted"
EXIT_PASSED, EXIT_FAILED, EXIT_UNLOADABLE = 0, 1, 2
STATUS = {PASSED: N_("passed"), FAILED: N_("failed"), NOT_ATTEMPTED: N_("not attempted")}


@dataclass(frozen=True)
class Finding:
    """Where a student's numbers first differ from gategrad's. ``kind``: ``forward`` (a gate's
    output), ``leaf`` (a value as given), ``root`` (backward's starting 1), ``backward`` (what
    the input ``node`` of the gate ``gate`` making ``at`` received), ``shape`` (the flat form
    returned the wrong number of values). ``lines``: the formula or chain-rule line."""

    kind: str
    gate: str = ""
    at: str = ""
    node: str = ""
    theirs: float = 0.0
    right: float = 0.0
    digits: int = 2
    lines: tuple[str, ...] = ()
    before: float = 0.0
    uses: int = 1
    misconception: Misconception | None = None
    rule: str = ""  # the gate's rule, a msgid
    note: Text | None = None  # said first (the flat form: "dx and dw are swapped")
    everywhere: bool = False  # the misconception made at every use of ``node`` explains it
    broken: BrokenPass | None = None  # a wrong backward pass that gives every one of its numbers


@dataclass(frozen=True)
class PartResult:
    """One part: passed, failed (with a finding, or the reason it stopped) or not attempted
    (``reason`` names the operation the class lacks). ``graph``: its forward lines or its
    description, printed above a finding."""

    key: str
    title: Text
    status: str
    reason: Text | None = None
    finding: Finding | None = None
    hint: Text | None = None
    graph: tuple = ()

    def result(self) -> str:
        """The part's cell in the table, in the current language."""
        if self.status == PASSED:
            return _(STATUS[PASSED])
        if self.finding is not None and self.finding.gate:
            return Text("failed at the {gate} {at}", gate=GateName(self.finding.gate),
                        at=self.finding.at).render()
        if self.finding is not None:
            return Text("failed at {node}", node=self.finding.node).render()
        return Text("{status}: {reason}", status=Text(STATUS[self.status]),
                    reason=self.reason).render()


@dataclass(frozen=True)
class Report:
    """One student's file graded: its parts, or why it could not be loaded."""

    target: str
    parts: tuple[PartResult, ...] = ()
    load_error: Text | None = None
    class_name: str = ""  # "" for the flat form

    @property
    def attempted(self) -> int:
        return sum(p.status != NOT_ATTEMPTED for p in self.parts)

    @property
    def passed(self) -> int:
        return sum(p.status == PASSED for p in self.parts)

    @property
    def not_attempted(self) -> int:
        return len(self.parts) - self.attempted

    @property
    def exit_status(self) -> int:
        """0 every attempted part passed, 1 one did not, 2 the file could not be loaded."""
        if self.load_error is not None:
            return EXIT_UNLOADABLE
        return EXIT_PASSED if self.passed == self.attempted else EXIT_FAILED

    @property
    def failures(self) -> list[PartResult]:
        return [p for p in self.parts if p.status == FAILED]

    @property
    def misconception(self) -> Misconception | BrokenPass | None:
        """The first misconception named, in the order of the parts: one gate's wrong rule, or
        a wrong backward pass (both have a key and a title)."""
        return next((p.finding.misconception or p.finding.broken for p in self.failures
                     if p.finding is not None
                     and (p.finding.misconception or p.finding.broken) is not None), None)

    def first_failure(self, lang: str | None = None) -> str:
        """The load error, or the first failed part and where: one line for a table."""
        with speaking(lang):
            if self.load_error is not None:
                return self.load_error.render()
            failed = self.failures
            return (Text("{part}: {result}", part=failed[0].title,
                         result=failed[0].result()).render() if failed else "")

    def score(self, lang: str | None = None) -> str:
        with speaking(lang):
            if self.load_error is not None:
                return Text("cannot be graded: {why}", why=self.load_error).render()
            return Text("score: {passed} of {attempted} attempted parts passed "
                        "({missing} not attempted)", passed=self.passed,
                        attempted=self.attempted, missing=self.not_attempted).render()

    def text(self, lang: str | None = None) -> str:
        """The whole report: a line per part, the score, then each failure explained."""
        with speaking(lang):
            head = (Text("gategrad check: {target} (class {name})", target=self.target,
                         name=self.class_name) if self.class_name else
                    Text("gategrad check --flat: {target}", target=self.target)).render()
            if self.load_error is not None:
                return f"{head}\n\n{self.score()}\n"
            rows = [[_("part"), _("result")]] + [[p.title.render(), p.result()]
                                                 for p in self.parts]
            lines = [head, "", *align(rows), "", self.score()]
            told: set[str] = set()
            short = False
            for part in self.failures:
                block = _explain(part, told)
                if not (short and len(block) == 1):  # "the same mistake" lines run together
                    lines.append("")
                lines += block
                short = len(block) == 1
            return "\n".join(lines) + "\n"


def _explain(part: PartResult, told: set[str]) -> list[str]:
    """A failed part: its graph, the finding (or the reason it stopped) and the hint; a
    misconception already explained for an earlier part gets one line."""
    f = part.finding
    title = part.title.render()
    m = f.misconception if f is not None else None
    if m is not None and m.key in told:
        return [Text("{part}: the same mistake at the {gate} {at} ({title})", part=title,
                     gate=GateName(f.gate), at=f.at, title=Text(m.title)).render()]
    lines = [Text("{part}:", part=title).render()]
    lines += ["  " + (g.render() if isinstance(g, Text) else g) for g in part.graph]
    if f is None:
        lines.append("  " + part.reason.render())
    else:
        lines += ["  " + line for line in finding_lines(f)]
        if m is not None:
            told.add(m.key)
    if part.hint is not None:
        lines.append("  " + part.hint.render())
    return lines


def finding_lines(f: Finding) -> list[str]:
    """A finding as a class reads it, in the current language."""
    def n(x: float) -> str:
        return num(x, f.digits)

    lines = [f.note.render()] if f.note is not None else []
    if f.kind == "leaf":
        return lines + [Text("the leaf {node} holds {theirs}; it was given {right}",
                             node=f.node, theirs=n(f.theirs), right=n(f.right)).render()]
    if f.kind == "shape":
        return lines
    if f.kind == "root":
        return lines + [Text("backward() must start with d{root}/d{root} = 1; the student's "
                             "engine left {root}.grad = {theirs}", root=f.node,
                             theirs=n(f.theirs)).render()]
    if f.kind == "forward":
        return lines + [
            Text("the forward pass differs at the {gate} {at}: the student's engine "
                 "computed {theirs}, gategrad {right}:", gate=GateName(f.gate), at=f.at,
                 theirs=n(f.theirs), right=n(f.right)).render(),
            *("  " + line for line in f.lines),
            Text("the rule of the {gate}: {rule}", gate=GateName(f.gate),
                 rule=Text(f.rule)).render()]
    if f.uses == 1:
        said = Text("at the {gate} {at}, {node} received {theirs}; it should receive "
                    "{right}:", gate=GateName(f.gate), at=f.at, node=f.node, theirs=n(f.theirs),
                    right=n(f.right))
    else:
        said = Text("at the {gate} {at}, {node} ends with {theirs}; it should hold "
                    "{right}: {before} from its other uses, plus this gate's part:",
                    gate=GateName(f.gate), at=f.at, node=f.node, theirs=n(f.theirs),
                    right=n(f.right), before=n(f.before))
    lines += [said.render(), *("  " + line for line in f.lines)]
    if f.misconception is None and f.broken is not None:  # the algorithm, not a gate's rule
        return lines + [
            Text("every gradient is what {title} gives:", title=Text(f.broken.title)).render(),
            "    - " + commented(f.broken.wrong_line), "    + " + commented(f.broken.right_line)]
    if f.misconception is None:
        return lines + [Text("matches no misconception in the catalogue; the rule of the "
                             "{gate}: {rule}", gate=GateName(f.gate), rule=Text(f.rule)).render()]
    said = (Text("misconception, made at each of the {uses} uses of {node}: {title}",
                 uses=f.uses, node=f.node, title=Text(f.misconception.title)) if f.everywhere
            else Text("misconception: {title}", title=Text(f.misconception.title)))
    return lines + [said.render(), "  " + _(f.misconception.explain)]


def summary(reports: list[Report], lang: str | None = None) -> str:
    """One line per file: its score and its first misconception (the folder's view)."""
    with speaking(lang):
        rows = [[_("file"), _("passed"), _("misconception"), _("first failure")]]
        for r in reports:
            m = r.misconception
            score = "—" if r.load_error else f"{r.passed}/{r.attempted}"
            rows.append([Path(r.target).name, score, m.key if m else "", r.first_failure()])
        return "\n".join(align(rows))


def write_csv(reports: list[Report], path: str | Path, lang: str | None = None) -> Path:
    """One row per file: file, parts passed, attempted, not attempted, the first misconception
    (key and title) and the first failure; header and words in ``lang``."""
    path = Path(path)
    with speaking(lang):
        header = [_("file"), _("passed"), _("attempted"), _("not attempted"),
                  _("misconception"), _("title"), _("first failure")]
        with path.open("w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            out.writerow(header)
            for r in reports:
                m = r.misconception
                out.writerow([Path(r.target).name, r.passed, r.attempted, r.not_attempted,
                              m.key if m else "", _(m.title) if m else "", r.first_failure()])
    return path
