"""The ``gategrad`` command: draw an expression, print its step tables, or write a stepper.

    gategrad draw "sigmoid(w0*x0 + w1*x1 + w2)" --set w0=2 x0=-1 w1=-3 x1=-2 w2=-3 -o graph.svg
    gategrad steps "x*y + x" --set x=3 y=2
    gategrad stepper "tanh(w*x + b)" --set w=0.5 x=2 b=-1 -o steps.html

Expressions are parsed safely (gategrad.expr: a whitelist over Python's ast, never eval). Errors are
one line on stderr and a non-zero exit status, never a traceback; only the no-renderer error
(exit 3) adds lines below its first, saying how to install Graphviz on each system.

Every command takes ``--lang en|zh`` (default: GATEGRAD_LANG, else the locale), and speaks
that language in its tables, captions and errors.

Adding a subcommand is one entry in ``COMMANDS``: its help line, a function that adds its
arguments to an argparse parser, and a function that runs it and returns the exit status.
Either function may be given as ``"module:function"``, imported only when needed; a command
whose module is missing still shows in ``--help`` and fails with a one-line error.
"""

from __future__ import annotations

import argparse
import importlib
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass

from viz.render import GraphvizNotFound
from words import (
    LANGUAGES,
    N_,
    _,
    localize,
    resolve_language,
    speaking,
)
from words.commandline import HelpFormatter, language_asked, speaking_argparse, whole_numbers

from .expr import ExprError, function_list

# 141: what a shell reports for a Unix tool killed by SIGPIPE (the reader of its output left)
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_NO_RENDERER, EXIT_BROKEN_PIPE = 0, 1, 2, 3, 141

EXAMPLES = """\
  gategrad draw "sigmoid(w0*x0 + w1*x1 + w2)" --set w0=2 x0=-1 w1=-3 x1=-2 w2=-3 -o graph.svg
  gategrad draw "x*y + x" --set x=3 y=2 --step 1 -o frame1.png
  gategrad steps "sigmoid(w0*x0 + w1*x1 + w2)" --set w0=2 x0=-1 w1=-3 x1=-2 w2=-3
  gategrad steps "tanh(w*x + b)" --set w=0.5 x=2 b=-1 --digits 4 --latex
  gategrad stepper "sigmoid(w0*x0 + w1*x1 + w2)" --set w0=2 x0=-1 w1=-3 x1=-2 w2=-3 -o steps.html
  gategrad steps "n = w1*x1 + w2*x2 + b; tanh(n)" --set w1=0.5 x1=2 w2=-1 x2=1 b=0.1
  gategrad frames "x*y + x" --set x=3 y=2 -d slides --format png
  gategrad frames "x*y + x" --set x=3 y=2 --format gif -o walk.gif --duration 800
  gategrad demo              # {demo}
  gategrad lesson --data digits --model 64,32,10 -o digits.html
"""

EXPRESSIONS = N_("""\
expressions: numbers, names given a value with --set, + - * / ** (x ** 2), unary -,
parentheses and the gate functions {functions}. Name a part
before a ';' to see it by name: "n = w*x + b; tanh(n)".
Quote the expression. One that starts with '-' needs a leading space: " -x*y".
Every command takes --lang en|zh (default: GATEGRAD_LANG, else the locale).
""")


def _epilog() -> str:
    """The examples (commands are not translated, their comment is) and the words about
    expressions (they are)."""
    demo = _("list the lessons; gategrad demo gates runs one")
    return (_("examples:") + "\n" + EXAMPLES.format(demo=demo) + "\n"
            + _(EXPRESSIONS).format(functions=function_list()))


@dataclass(frozen=True)
class Command:
    """One subcommand: ``add_arguments(parser)`` and ``run(args) -> exit status``."""

    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None] | str
    run: Callable[[argparse.Namespace], int] | str


def _resolve(target):
    """A function, or ``"module:function"`` imported now (keeps `gategrad --help` fast)."""
    if callable(target):
        return target
    module, _sep, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


COMMANDS: dict[str, Command] = {
    "draw": Command(N_("draw the graph of an expression (SVG, PNG, PDF or DOT)"),
                    "gategrad.graphs:draw_arguments", "gategrad.graphs:draw"),
    "steps": Command(N_("print the forward and backward passes as tables"),
                     "gategrad.graphs:steps_arguments", "gategrad.graphs:steps"),
    "stepper": Command(N_("write one offline HTML page that steps through both passes"),
                       "gategrad.graphs:stepper_arguments", "gategrad.graphs:stepper"),
    "frames": Command(N_("write every step as numbered SVG/PNG files for slides, or a GIF/mp4"),
                      "gategrad.graphs:frames_arguments", "gategrad.graphs:frames"),
    "demo": Command(N_("run one of the lessons in demos/ (without NAME: list them)"),
                    "gategrad.cli:_demo_arguments", "gategrad.cli:_demo"),
    "quiz": Command(N_("practise the backward pass: answer each gate's gradients"),
                    "gategrad.quiz:add_arguments", "gategrad.quiz:run"),
    "worksheet": Command(N_("write a printable worksheet of backward-pass exercises"),
                         "gategrad.worksheet:add_arguments", "gategrad.worksheet:run"),
    "check": Command(N_("grade a student's own engine gate by gate, or a folder of them"),
                     "gategrad.check:add_arguments", "gategrad.check:run"),
    "lesson": Command(N_("write one offline page that trains a network and shows its layers"),
                      "gategrad.lesson:add_arguments", "gategrad.lesson:run"),
}


def _demo_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", nargs="?", metavar="NAME", help=_("which demo (omit to list them)"))
    parser.add_argument("--out", default="out", help=_("folder for the pictures (default: out)"))
    parser.add_argument("--quick", action="store_true", help=_("shorter training"))


def _demo(args: argparse.Namespace) -> int:
    import demos

    if args.name is None:
        print(demos.listing())
        return EXIT_OK
    if args.name not in demos.DEMOS:
        _fail("demo", _("unknown demo {name}; choose one of {choices}").format(
            name=repr(args.name), choices=", ".join(demos.DEMOS)))
        return EXIT_USAGE
    demos.run(args.name, out_dir=args.out, quick=args.quick)
    return EXIT_OK


def _missing(module: str) -> Callable[[argparse.Namespace], int]:
    """The run function of a command whose module is not installed: a one-line error."""
    def run(args: argparse.Namespace) -> int:
        _fail(args.command, _("this command needs the module {module}, which is not "
                              "installed").format(module=module))
        return EXIT_FAILED
    return run


def _language_argument(parser: argparse.ArgumentParser, default) -> None:
    parser.add_argument("--lang", choices=LANGUAGES, default=default,
                        help=_("the language of tables, captions and errors (default: "
                               "GATEGRAD_LANG, else the locale)"))


def parser() -> argparse.ArgumentParser:
    """The argument parser with one subparser per entry of COMMANDS. Build and use it inside
    ``words.commandline.speaking_argparse()`` for argparse's own sentences in the language
    spoken (``main`` does)."""
    top = argparse.ArgumentParser(
        prog="gategrad", description=_("Watch the chain rule run gate by gate."),
        epilog=_epilog(), formatter_class=HelpFormatter)
    _language_argument(top, None)
    subs = top.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, command in COMMANDS.items():
        sub = subs.add_parser(name, help=_(command.help), description=_(command.help),
                              epilog=_epilog(), formatter_class=HelpFormatter)
        _language_argument(sub, argparse.SUPPRESS)  # after the command too; one value
        try:
            _resolve(command.add_arguments)(sub)
            sub.set_defaults(run=command.run)
        except ImportError as error:  # e.g. gategrad.quiz not written yet
            sub.set_defaults(run=_missing(error.name or str(command.add_arguments)))
            sub.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    return whole_numbers(top)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (EXIT_*: 141 after ``... | head``)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    with speaking(language_asked(argv)), speaking_argparse():  # help and usage errors too
        args = parser().parse_args(argv)
    try:
        args.lang = resolve_language(args.lang)
        with speaking(args.lang):
            return _run(args)
    except ValueError as error:  # a bad GATEGRAD_LANG
        _fail(args.command, str(error))
        return EXIT_USAGE
    except BrokenPipeError:  # stop quietly, as a Unix tool killed by SIGPIPE; and send
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # the last flush away
        return EXIT_BROKEN_PIPE


def _run(args: argparse.Namespace) -> int:
    try:
        return _resolve(args.run)(args)
    except ExprError as error:
        _fail(args.command, localize(error))
        return EXIT_USAGE
    except GraphvizNotFound as error:
        _fail(args.command, localize(error))
        return EXIT_NO_RENDERER
    except subprocess.CalledProcessError as error:  # the renderer ran and refused
        _fail(args.command, _renderer_failure(error))
        return EXIT_FAILED
    except BrokenPipeError:  # not a failure of the command: main stops quietly
        raise
    except (ValueError, ArithmeticError, OSError) as error:  # ArithmeticError: a gate's
        _fail(args.command, localize(error))  # refusal or the backward pass's AnomalyError
        return EXIT_FAILED


def _fail(command: str, message: str) -> None:
    """One line on stderr, ``gategrad steps: error: ...`` (its word for "error" translated)."""
    print(_("gategrad {command}: error: {message}").format(command=command, message=message),
          file=sys.stderr)


def _renderer_failure(error: subprocess.CalledProcessError) -> str:
    """One line: the command that failed and the first line it wrote on stderr (a Graphviz
    without the plugin for a format says 'Format: "pdf" not recognized')."""
    stderr = error.stderr or ""
    if isinstance(stderr, bytes):
        stderr = stderr.decode("utf-8", errors="replace")
    said = next((line.strip() for line in stderr.splitlines() if line.strip()), "")
    command = " ".join(map(str, error.cmd))
    failed = _("{command} failed (exit status {status})").format(command=command,
                                                                   status=error.returncode)
    return failed + (f": {said}" if said else "")


if __name__ == "__main__":
    sys.exit(main())
