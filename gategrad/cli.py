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
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from viz.render import GraphvizNotFound
from words import (
    DIGITS,
    LANGUAGES,
    N_,
    _,
    check_digits,
    localize,
    resolve_language,
    speaking,
)
from words.commandline import HelpFormatter, language_asked, speaking_argparse, whole_numbers

from .expr import ExprError, function_list, parse, parse_assignments

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_NO_RENDERER = 0, 1, 2, 3

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


# -- arguments shared by the expression commands --------------------------------------------


def _expression_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("expression", metavar="EXPR",
                        help=_('the expression, quoted: "sigmoid(w0*x0 + w1*x1 + w2)"'))
    parser.add_argument("--set", dest="values", metavar="NAME=VALUE", nargs="+",
                        action="extend", default=[],
                        help=_("the value of each variable, e.g. --set w0=2 x0=-1"))
    parser.add_argument("--digits", type=int, default=None,
                        help=_("decimals shown (default {digits}, as every view)").format(
                            digits=DIGITS))


def _picture_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rankdir", choices=["LR", "TB"], default="LR",
                        help=_("LR: inputs on the left (default); TB: inputs on top"))
    parser.add_argument("--collapse", action="store_true",
                        help=_("draw each nn neuron (labels L1.N2.*) as one box"))


def _build(args: argparse.Namespace):
    """The Expression for args.expression with the --set values; a name set but never used
    is an error (a typo in a name would otherwise go unnoticed in front of a class)."""
    try:
        args.digits = check_digits(args.digits, "--digits")
    except ValueError as error:
        raise ExprError(getattr(error, "text", None) or str(error)) from None
    values = parse_assignments(args.values)
    built = parse(args.expression, values)
    unused = [name for name in values if name not in built.variables]
    if unused:
        raise ExprError(_("--set {names}: not used in the expression {text}; remove it or "
                          "check its spelling").format(names=", ".join(unused),
                                                       text=repr(args.expression)))
    return built


# -- draw -------------------------------------------------------------------------------------


def _draw_arguments(parser: argparse.ArgumentParser) -> None:
    _expression_arguments(parser)
    parser.add_argument("-o", "--output", metavar="FILE",
                        help=_("write .svg, .png, .pdf or .dot (default: DOT source on stdout)"))
    _picture_arguments(parser)
    parser.add_argument("--no-grad", action="store_true",
                        help=_("draw values only: no backward pass, no grad cells"))
    parser.add_argument("--step", type=int, metavar="K",
                        help=_("draw the frame after K steps (0: before the first gate)"))
    parser.add_argument("--phase", choices=["backward", "forward"], default="backward",
                        help=_("which pass --step counts in (default backward)"))


def _draw(args: argparse.Namespace) -> int:
    from viz import draw, save

    root = _build(args).root
    if args.step is None and not args.no_grad:
        root.backward()
    diagram = draw(root, rankdir=args.rankdir, digits=args.digits,
                   show_grad=not args.no_grad, step=args.step, phase=args.phase,
                   collapse=args.collapse, lang=args.lang)
    if args.output is None:
        sys.stdout.write(diagram.source)
        return EXIT_OK
    print(_("wrote {path}").format(path=save(diagram, args.output)))
    return EXIT_OK


# -- steps ------------------------------------------------------------------------------------


def _steps_arguments(parser: argparse.ArgumentParser) -> None:
    _expression_arguments(parser)
    parser.add_argument("--latex", action="store_true",
                        help=_("print the chain-rule lines as a LaTeX align* block instead"))
    parser.add_argument("--chain-rule", action="store_true",
                        help=_("print each step's chain-rule lines under it"))
    parser.add_argument("--exact", action="store_true",
                        help=_("show operands with the digits it takes for each product to "
                               "check out by hand (0.1966 × 2 = 0.3932)"))


def _steps(args: argparse.Namespace) -> int:
    from viz import chain_rule_text, forward_table, steps_table

    root = _build(args).root
    if args.latex:
        print(chain_rule_text(root, digits=args.digits, latex=True, exact=args.exact))
        return EXIT_OK
    print(_("forward pass") + "\n")
    print(forward_table(root, digits=args.digits, lang=args.lang))
    print("\n" + _("backward pass") + "\n")
    print(steps_table(root, digits=args.digits, chain_rule=args.chain_rule, exact=args.exact,
                      lang=args.lang))
    return EXIT_OK


# -- stepper and frames -----------------------------------------------------------------------


def _stepper_arguments(parser: argparse.ArgumentParser) -> None:
    _expression_arguments(parser)
    parser.add_argument("-o", "--output", metavar="FILE", default="steps.html",
                        help=_("the HTML file to write (default steps.html)"))
    parser.add_argument("--title", help=_("the page title (default: the expression)"))
    _picture_arguments(parser)


def _stepper(args: argparse.Namespace) -> int:
    from viz import stepper

    built = _build(args)
    path = stepper(built.root, args.output, title=args.title or f"gategrad: {built.text}",
                   digits=args.digits, rankdir=args.rankdir, collapse=args.collapse,
                   lang=args.lang)
    print(_("wrote {path}: open it in a browser, then use the arrow keys").format(path=path))
    return EXIT_OK


def _frames_arguments(parser: argparse.ArgumentParser) -> None:
    _expression_arguments(parser)
    parser.add_argument("-d", "--directory", default="frames",
                        help=_("where to write svg/png/dot frames (default ./frames)"))
    parser.add_argument("--format", choices=["svg", "png", "dot", "gif", "mp4"], default="svg",
                        help=_("svg, png or dot: one file per frame; gif or mp4: one animation"))
    parser.add_argument("-o", "--output", metavar="FILE",
                        help=_("the gif or mp4 file to write (default frames.gif / frames.mp4)"))
    parser.add_argument("--duration", type=int, metavar="MS", default=1200,
                        help=_("how long each frame of a gif or mp4 shows (default 1200 ms)"))
    _picture_arguments(parser)


def _frames(args: argparse.Namespace) -> int:
    root = _build(args).root
    if args.format in ("gif", "mp4"):
        from viz.animate import export_animation

        path = export_animation(root, args.output or f"frames.{args.format}",
                                duration_ms=args.duration, digits=args.digits, lang=args.lang,
                                rankdir=args.rankdir, collapse=args.collapse)
        print(_("wrote {path}").format(path=path))
        return EXIT_OK
    from viz import export_frames

    written = export_frames(root, args.directory, fmt=args.format, digits=args.digits,
                            rankdir=args.rankdir, collapse=args.collapse, lang=args.lang)
    print(_("wrote {count} frames and captions.txt to {directory}").format(
        count=len(written), directory=Path(args.directory)))
    return EXIT_OK


COMMANDS: dict[str, Command] = {
    "draw": Command(N_("draw the graph of an expression (SVG, PNG, PDF or DOT)"),
                    _draw_arguments, _draw),
    "steps": Command(N_("print the forward and backward passes as tables"),
                     _steps_arguments, _steps),
    "stepper": Command(N_("write one offline HTML page that steps through both passes"),
                       _stepper_arguments, _stepper),
    "frames": Command(N_("write every step as numbered SVG/PNG files for slides, or a GIF/mp4"),
                      _frames_arguments, _frames),
    "demo": Command(N_("run one of the lessons in demos/ (without NAME: list them)"),
                    "gategrad.cli:_demo_arguments", "gategrad.cli:_demo"),
    "quiz": Command(N_("practise the backward pass: answer each gate's gradients"),
                    "gategrad.quiz:add_arguments", "gategrad.quiz:run"),
    "worksheet": Command(N_("write a printable worksheet of backward-pass exercises"),
                         "gategrad.worksheet:add_arguments", "gategrad.worksheet:run"),
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
    """Run the command line; returns the exit status (0 ok, 1 failed, 2 bad input,
    3 no Graphviz renderer)."""
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
    except (ValueError, OSError) as error:
        _fail(args.command, localize(error))
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
