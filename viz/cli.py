"""The ``gategrad`` command: draw an expression, print its step tables, or write a stepper.

    gategrad draw "sigmoid(w0*x0 + w1*x1 + w2)" --set w0=2 x0=-1 w1=-3 x1=-2 w2=-3 -o graph.svg
    gategrad steps "x*y + x" --set x=3 y=2
    gategrad stepper "tanh(w*x + b)" --set w=0.5 x=2 b=-1 -o steps.html

Expressions are parsed safely (viz.expr: a whitelist over Python's ast, never eval). Errors are
one line on stderr and a non-zero exit status, never a traceback; only the no-renderer error
(exit 3) adds lines below its first, saying how to install Graphviz on each system.

Adding a subcommand is one entry in ``COMMANDS``: its help line, a function that adds its
arguments to an argparse parser, and a function that runs it and returns the exit status.
Either function may be given as ``"module:function"``, imported only when needed.
"""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .expr import ExprError, parse, parse_assignments
from .render import GraphvizNotFound

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_NO_RENDERER = 0, 1, 2, 3

EXAMPLES = """\
examples:
  gategrad draw "sigmoid(w0*x0 + w1*x1 + w2)" --set w0=2 x0=-1 w1=-3 x1=-2 w2=-3 -o graph.svg
  gategrad draw "x*y + x" --set x=3 y=2 --step 1 -o frame1.png
  gategrad steps "sigmoid(w0*x0 + w1*x1 + w2)" --set w0=2 x0=-1 w1=-3 x1=-2 w2=-3
  gategrad steps "tanh(w*x + b)" --set w=0.5 x=2 b=-1 --digits 4 --latex
  gategrad stepper "sigmoid(w0*x0 + w1*x1 + w2)" --set w0=2 x0=-1 w1=-3 x1=-2 w2=-3 -o steps.html
  gategrad frames "x*y + x" --set x=3 y=2 -d slides --format png
  gategrad demo              # list the lessons; gategrad demo gates runs one

expressions: numbers, names given a value with --set, + - * / ** (x ** 2), unary -,
parentheses and the gate functions exp log tanh sigmoid relu max(a, b).
Quote the expression. One that starts with '-' needs a leading space: " -x*y".
"""


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
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


# -- arguments shared by the expression commands --------------------------------------------


def _expression_arguments(parser: argparse.ArgumentParser, digits: int) -> None:
    parser.add_argument("expression", metavar="EXPR",
                        help='the expression, quoted: "sigmoid(w0*x0 + w1*x1 + w2)"')
    parser.add_argument("--set", dest="values", metavar="NAME=VALUE", nargs="+",
                        action="extend", default=[],
                        help="the value of each variable, e.g. --set w0=2 x0=-1")
    parser.add_argument("--digits", type=int, default=digits,
                        help=f"decimals shown (default {digits})")


def _picture_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rankdir", choices=["LR", "TB"], default="LR",
                        help="LR: inputs on the left (default); TB: inputs on top")
    parser.add_argument("--collapse", action="store_true",
                        help="draw each nn neuron (labels L1.N2.*) as one box")


def _build(args: argparse.Namespace):
    """The Expression for args.expression with the --set values; unused names are warned of."""
    values = parse_assignments(args.values)
    built = parse(args.expression, values)
    unused = sorted(set(values) - set(built.variables))
    if unused:
        print(f"gategrad: warning: --set {', '.join(unused)} not used in the expression",
              file=sys.stderr)
    if not 0 <= args.digits <= 12:
        raise ExprError(f"--digits must be between 0 and 12, got {args.digits}")
    return built


# -- draw -------------------------------------------------------------------------------------


def _draw_arguments(parser: argparse.ArgumentParser) -> None:
    _expression_arguments(parser, digits=4)
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="write .svg, .png, .pdf or .dot (default: DOT source on stdout)")
    _picture_arguments(parser)
    parser.add_argument("--no-grad", action="store_true",
                        help="draw values only: no backward pass, no grad cells")
    parser.add_argument("--step", type=int, metavar="K",
                        help="draw the frame after K steps (0: before the first gate)")
    parser.add_argument("--phase", choices=["backward", "forward"], default="backward",
                        help="which pass --step counts in (default backward)")


def _draw(args: argparse.Namespace) -> int:
    from .draw import draw
    from .render import save

    root = _build(args).root
    if args.step is None and not args.no_grad:
        root.backward()
    diagram = draw(root, rankdir=args.rankdir, digits=args.digits,
                   show_grad=not args.no_grad, step=args.step, phase=args.phase,
                   collapse=args.collapse)
    if args.output is None:
        sys.stdout.write(diagram.source)
        return EXIT_OK
    print(f"wrote {save(diagram, args.output)}")
    return EXIT_OK


# -- steps ------------------------------------------------------------------------------------


def _steps_arguments(parser: argparse.ArgumentParser) -> None:
    _expression_arguments(parser, digits=2)
    parser.add_argument("--latex", action="store_true",
                        help="print the chain-rule lines as a LaTeX align* block instead")
    parser.add_argument("--chain-rule", action="store_true",
                        help="print each step's chain-rule lines under it")


def _steps(args: argparse.Namespace) -> int:
    from .text import chain_rule_text, forward_table, steps_table

    root = _build(args).root
    if args.latex:
        print(chain_rule_text(root, digits=args.digits, latex=True))
        return EXIT_OK
    print("forward pass\n")
    print(forward_table(root, digits=args.digits))
    print("\nbackward pass\n")
    print(steps_table(root, digits=args.digits, chain_rule=args.chain_rule))
    return EXIT_OK


# -- stepper and frames -----------------------------------------------------------------------


def _stepper_arguments(parser: argparse.ArgumentParser) -> None:
    _expression_arguments(parser, digits=2)
    parser.add_argument("-o", "--output", metavar="FILE", default="steps.html",
                        help="the HTML file to write (default steps.html)")
    parser.add_argument("--title", help="the page title (default: the expression)")
    _picture_arguments(parser)


def _stepper(args: argparse.Namespace) -> int:
    from .stepper import stepper

    built = _build(args)
    path = stepper(built.root, args.output, title=args.title or f"gategrad: {built.text}",
                   digits=args.digits, rankdir=args.rankdir, collapse=args.collapse)
    print(f"wrote {path}: open it in a browser, then use the arrow keys")
    return EXIT_OK


def _frames_arguments(parser: argparse.ArgumentParser) -> None:
    _expression_arguments(parser, digits=2)
    parser.add_argument("-d", "--directory", default="frames",
                        help="where to write the frames (default ./frames)")
    parser.add_argument("--format", choices=["svg", "png", "dot"], default="svg")
    _picture_arguments(parser)


def _frames(args: argparse.Namespace) -> int:
    from .stepper import export_frames

    written = export_frames(_build(args).root, args.directory, fmt=args.format,
                            digits=args.digits, rankdir=args.rankdir, collapse=args.collapse)
    print(f"wrote {len(written)} frames and captions.txt to {Path(args.directory)}")
    return EXIT_OK


COMMANDS: dict[str, Command] = {
    "draw": Command("draw the graph of an expression (SVG, PNG, PDF or DOT)",
                    _draw_arguments, _draw),
    "steps": Command("print the forward and backward passes as tables",
                     _steps_arguments, _steps),
    "stepper": Command("write one offline HTML page that steps through both passes",
                       _stepper_arguments, _stepper),
    "frames": Command("write every step as a numbered SVG/PNG file for slides",
                      _frames_arguments, _frames),
    "demo": Command("run one of the lessons in demos/ (without NAME: list them)",
                    "viz.cli:_demo_arguments", "viz.cli:_demo"),
}


def _demo_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", nargs="?", metavar="NAME", help="which demo (omit to list them)")
    parser.add_argument("--out", default="out", help="folder for the pictures (default: out)")
    parser.add_argument("--quick", action="store_true", help="shorter training")


def _demo(args: argparse.Namespace) -> int:
    import demos

    if args.name is None:
        print(demos.listing())
        return EXIT_OK
    if args.name not in demos.DEMOS:
        print(f"gategrad demo: error: unknown demo {args.name!r}; choose one of "
              f"{', '.join(demos.DEMOS)}", file=sys.stderr)
        return EXIT_USAGE
    demos.run(args.name, out_dir=args.out, quick=args.quick)
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    """The argument parser with one subparser per entry of COMMANDS."""
    top = argparse.ArgumentParser(
        prog="gategrad", description="Watch the chain rule run gate by gate.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    subs = top.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, command in COMMANDS.items():
        sub = subs.add_parser(name, help=command.help, description=command.help,
                              epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
        _resolve(command.add_arguments)(sub)
        sub.set_defaults(run=command.run)
    return top


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 failed, 2 bad input,
    3 no Graphviz renderer)."""
    args = parser().parse_args(argv)
    try:
        return _resolve(args.run)(args)
    except ExprError as error:
        _fail(args.command, str(error))
        return EXIT_USAGE
    except GraphvizNotFound as error:
        _fail(args.command, str(error))
        return EXIT_NO_RENDERER
    except subprocess.CalledProcessError as error:  # the renderer ran and refused
        _fail(args.command, _renderer_failure(error))
        return EXIT_FAILED
    except (ValueError, OSError) as error:
        _fail(args.command, str(error))
        return EXIT_FAILED


def _fail(command: str, message: str) -> None:
    print(f"gategrad {command}: error: {message}", file=sys.stderr)


def _renderer_failure(error: subprocess.CalledProcessError) -> str:
    """One line: the command that failed and the first line it wrote on stderr (a Graphviz
    without the plugin for a format says 'Format: "pdf" not recognized')."""
    stderr = error.stderr or ""
    if isinstance(stderr, bytes):
        stderr = stderr.decode("utf-8", errors="replace")
    said = next((line.strip() for line in stderr.splitlines() if line.strip()), "")
    command = " ".join(map(str, error.cmd))
    return f"{command} failed (exit status {error.returncode})" + (f": {said}" if said else "")


if __name__ == "__main__":
    sys.exit(main())
