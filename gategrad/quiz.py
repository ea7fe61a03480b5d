"""``gategrad quiz``: predict each gradient of the backward pass, and be told what went wrong.

    gategrad quiz "x*y + x" --set x=3 y=-2
    gategrad quiz --random --level 3 --seed 7
    printf '1\n-2\n...' | gategrad quiz "x*y + x" --set x=3 y=-2

For each backward step in order, for each input of the gate, it shows the gate's forward line
(its operands and output at the digits shown) and asks what the input holds after the step (its
gradient: before + upstream × local). An answer is graded by the one rule of
``grading.diagnose``: right when it is the exact value or the value worked out from the
numbers as shown, within the rounding of the last digit (``--digits``). A wrong answer is
matched against the misconception catalogue, which names the idea behind it, or is said to
match none; the student may try again (``--tries``, default 2 at a terminal, 1 from a file or
pipe, where each line answers the next question); after the last try the right answer is shown.
The last line is ``score: K/N``, K the questions right at the first try, as the page's quiz
counts them. The exit status is 0 whatever the score, 2 for a bad expression.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Iterator
from dataclasses import dataclass

from engine import Value, record_steps
from grading import diagnose, step_numbers
from grading.exercises import LEVELS, generate
from words import MAX_DIGITS, _, check_digits, forward_line, num, resolve_language

from .cli import EXIT_OK
from .expr import ExprError
from .graphs import build, expression_arguments


def add_arguments(parser: argparse.ArgumentParser) -> None:
    expression_arguments(parser)
    for action in parser._actions:  # the expression is optional here: --random replaces it
        if action.dest == "expression":
            action.nargs = "?"
    parser.add_argument("--random", action="store_true",
                        help=_("a generated exercise instead of an expression"))
    parser.add_argument("--level", type=int, choices=sorted(LEVELS), default=1,
                        help=_("with --random: 1 one gate, 2 a chain, 3 fan-out, 4 a neuron "
                               "and its loss, 5 a two-layer network (default 1)"))
    parser.add_argument("--seed", type=int, default=0,
                        help=_("with --random: the same seed gives the same exercise"))
    parser.add_argument("--tries", type=int, default=None, metavar="N",
                        help=_("answers allowed per question (default 2 at a terminal, 1 from "
                               "a file or pipe); the score counts the first"))


@dataclass(frozen=True)
class Question:
    """One input of one backward step: what it holds after the step."""

    step: object  # engine Step
    input: object  # engine StepInput
    position: int

    @property
    def right(self) -> float:
        return self.input.grad_after


def questions(root: Value) -> list[Question]:
    """Every (step, input) of the backward pass from zero gradients, in order."""
    return [Question(s, i, k) for s in record_steps(root) for k, i in enumerate(s.inputs)]


def _root(args: argparse.Namespace) -> Value:
    if args.random:
        if args.expression is not None or args.values:
            raise ExprError(_("give an expression or --random, not both"))
        exercise = generate(args.level, 1, args.seed)[0]
        args.digits = check_digits(exercise.digits if args.digits is None else args.digits,
                                   "--digits")
        print(_("exercise (level {level}, seed {seed}): {title}").format(
            level=args.level, seed=args.seed, title=_(exercise.title)))
        print("  " + ", ".join(f"{n} = {num(v, args.digits)}" for n, v in exercise.leaves))
        for line in exercise.code():
            print("  " + line)
        return exercise.build()[0]
    if args.expression is None:
        raise ExprError(_("give an expression, e.g. gategrad quiz \"x*y + x\" --set x=3 y=2, "
                          "or --random"))
    return build(args).root


def _answers(stream) -> Iterator[str | None]:
    """Answers one per line; from a terminal, a prompt each time; None once input ends."""
    interactive = stream.isatty()
    while True:
        line = stream.readline() if not interactive else _prompt()
        if line is None or (not interactive and line == ""):
            while True:
                yield None
        yield line.strip()


def _prompt() -> str | None:
    try:
        return input("> ")
    except EOFError:
        return None


def _number(text: str) -> float | None:
    try:
        value = float(text.replace("−", "-"))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def ask(q: Question, names: dict, digits: int) -> str:
    """The question, with what the class sees at this point of the pass: the gate's forward
    line (its operands, so the local derivative can be worked out), the upstream gradient and
    what the input holds so far."""
    s, i = q.step, q.input
    operands = {k: (names[x.node], x.node.data) for k, x in zip(s.gate.inputs, s.inputs)}
    line = forward_line(names[s.node], s.gate.forward, operands, s.node.data, digits,
                        s.gate.param)
    return _("step {k}, {gate}: {line}; upstream gradient {upstream}. Its input {name} "
             "holds {before} so far. What does {name} hold after this step?"
             ).format(k=s.index, gate=s.gate.title(resolve_language()), line=line,
                      upstream=num(s.upstream, digits),
                      name=names[i.node], before=num(i.grad_before, digits))


def feedback(q: Question, answer: float | None, names: dict, digits: int,
             last: bool = True) -> tuple[bool, str]:
    """Whether ``answer`` is right by the one grading rule (``grading.diagnose``: the exact value
    or the value from the numbers as shown, within the rounding of the last digit) and what to
    say: which way it is right, or the misconceptions it matches; the right answer only after
    the ``last`` try."""
    right = num(q.right, digits)
    if answer is None:
        return False, _("not a number; the right answer is {right}").format(right=right)
    verdict = diagnose(step_numbers(q.step, q.position), q.step.op, q.input.name, answer, digits)
    if verdict.from_rounded:
        return True, _("right, from the rounded numbers; exactly {exact}").format(
            exact=num(verdict.exact, min(digits + 2, MAX_DIGITS)))
    if verdict.right:
        return True, _("right: {name} holds {right}").format(name=names[q.input.node],
                                                            right=right)
    said = " ".join(f"{_(m.title)}: {_(m.explain)}" for m in verdict.misconceptions)
    if not last:
        return False, (_("not quite. {said} Try again.").format(said=said) if said else
                       _("not quite, and it matches none of the usual mistakes. Try again."))
    if not said:
        return False, _("not quite, and it matches none of the usual mistakes; the right "
                        "answer is {right}").format(right=right)
    return False, _("not quite. {said} The right answer is {right}").format(said=said,
                                                                           right=right)


def _tries(args: argparse.Namespace, interactive: bool) -> int:
    if args.tries is None:
        return 2 if interactive else 1
    if isinstance(args.tries, bool) or args.tries < 1:
        raise ExprError(_("--tries must be a whole number from 1, got {value}").format(
            value=args.tries))
    return args.tries


def run(args: argparse.Namespace) -> int:
    interactive = sys.stdin.isatty()
    tries = _tries(args, interactive)
    root = _root(args)
    digits = args.digits
    qs = questions(root)
    if not qs:
        raise ExprError(_("the expression has no gates, so there is nothing to ask"))
    names = qs[0].step.names
    answers = _answers(sys.stdin)
    first = later = 0
    for n, q in enumerate(qs, start=1):
        print(f"[{n}/{len(qs)}] " + ask(q, names, digits), flush=True)
        for attempt in range(1, tries + 1):
            text = next(answers)
            while interactive and text is not None and _number(text) is None:
                print(_("please type a number, e.g. -0.5"))  # at a prompt: ask again
                text = next(answers)
            if text is None:
                break
            if not interactive:
                print(f"> {text}")
            ok, said = feedback(q, _number(text), names, digits, last=attempt == tries)
            print(said, flush=True)
            if ok:
                first += attempt == 1
                later += attempt > 1
                break
        if text is None:
            print(_("(no more answers: the remaining questions count as not answered)"))
            break
    if later:
        print(_("right at a later try: {k}").format(k=later))
    print(_("score: {k}/{n}").format(k=first, n=len(qs)))
    return EXIT_OK
