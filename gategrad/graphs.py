"""The commands that build a graph from an expression: draw, steps, stepper, frames.

Each is two functions, its arguments and its run, registered in ``gategrad.cli.COMMANDS``;
``expression_arguments`` and ``build`` are shared with the quiz.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from words import DIGITS, _, check_digits

from .cli import EXIT_OK
from .expr import ExprError, parse, parse_assignments

# -- arguments shared by the expression commands --------------------------------------------


def expression_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("expression", metavar="EXPR",
                        help=_('the expression, quoted: "sigmoid(w0*x0 + w1*x1 + w2)"'))
    parser.add_argument("--set", dest="values", metavar="NAME=VALUE", nargs="+",
                        action="extend", default=[],
                        help=_("the value of each variable, e.g. --set w0=2 x0=-1"))
    parser.add_argument("--digits", type=int, default=None,
                        help=_("decimals shown (default {digits}, as every view)").format(
                            digits=DIGITS))


def picture_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rankdir", choices=["LR", "TB"], default="LR",
                        help=_("LR: inputs on the left (default); TB: inputs on top"))
    parser.add_argument("--collapse", action="store_true",
                        help=_("draw each nn neuron (labels L1.N2.*) as one box"))


def build(args: argparse.Namespace):
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


def draw_arguments(parser: argparse.ArgumentParser) -> None:
    expression_arguments(parser)
    parser.add_argument("-o", "--output", metavar="FILE",
                        help=_("write .svg, .png, .pdf or .dot (default: DOT source on stdout)"))
    picture_arguments(parser)
    parser.add_argument("--no-grad", action="store_true",
                        help=_("draw values only: no backward pass, no grad cells"))
    parser.add_argument("--step", type=int, metavar="K",
                        help=_("draw the frame after K steps (0: before the first gate)"))
    parser.add_argument("--phase", choices=["backward", "forward"], default="backward",
                        help=_("which pass --step counts in (default backward)"))


def draw(args: argparse.Namespace) -> int:
    import viz

    root = build(args).root
    if args.step is None and not args.no_grad:
        root.backward()
    diagram = viz.draw(root, rankdir=args.rankdir, digits=args.digits,
                   show_grad=not args.no_grad, step=args.step, phase=args.phase,
                   collapse=args.collapse, lang=args.lang)
    if args.output is None:
        sys.stdout.write(diagram.source)
        return EXIT_OK
    print(_("wrote {path}").format(path=viz.save(diagram, args.output)))
    return EXIT_OK


# -- steps ------------------------------------------------------------------------------------


def steps_arguments(parser: argparse.ArgumentParser) -> None:
    expression_arguments(parser)
    parser.add_argument("--latex", action="store_true",
                        help=_("print the chain-rule lines as a LaTeX align* block instead"))
    parser.add_argument("--chain-rule", action="store_true",
                        help=_("print each step's chain-rule lines under it"))
    parser.add_argument("--exact", action="store_true",
                        help=_("show numbers with the digits it takes for each product to "
                               "check out by hand (0.1966 × 2 = 0.3932)"))


def steps(args: argparse.Namespace) -> int:
    from viz import chain_rule_text, forward_table, steps_table

    root = build(args).root
    if args.latex:
        print(chain_rule_text(root, digits=args.digits, latex=True, exact=args.exact))
        return EXIT_OK
    forward = forward_table(root, digits=args.digits, exact=args.exact, lang=args.lang)
    backward = steps_table(root, digits=args.digits, chain_rule=args.chain_rule,
                           exact=args.exact, lang=args.lang)  # a refusal prints no half table
    print(_("forward pass") + "\n")
    print(forward)
    print("\n" + _("backward pass") + "\n")
    print(backward)
    return EXIT_OK


# -- stepper and frames -----------------------------------------------------------------------


def stepper_arguments(parser: argparse.ArgumentParser) -> None:
    expression_arguments(parser)
    parser.add_argument("-o", "--output", metavar="FILE", default="steps.html",
                        help=_("the HTML file to write (default steps.html)"))
    parser.add_argument("--title", help=_("the page title (default: the expression)"))
    parser.add_argument("--inputs", metavar="NAME", nargs="+", default=None,
                        help=_("the data inputs and targets, by name: the update step moves "
                               "every other variable (default: the names starting with x or "
                               "y)"))
    picture_arguments(parser)


def output(path: str, suffixes: tuple[str, ...]) -> str:
    """``path`` if its suffix is one of ``suffixes`` (a file is what its name says), else an
    ExprError naming the file and the suffixes this command writes."""
    if Path(path).suffix.lower() not in suffixes:
        raise ExprError(_("cannot write {path}: this command writes {kinds} files; give the "
                          "file one of those suffixes").format(path=repr(path),
                                                               kinds=", ".join(suffixes)))
    return path


def stepper(args: argparse.Namespace) -> int:
    import viz
    from viz.page.words import EXPRESSION_TITLE
    from words import Text

    output(args.output, (".html", ".htm"))  # checked before the page is built
    built = build(args)
    title = args.title or Text(EXPRESSION_TITLE, expression=built.text)  # switches language
    path = viz.stepper(built.root, args.output, title=title, digits=args.digits,
                       rankdir=args.rankdir, collapse=args.collapse, lang=args.lang,
                       inputs=args.inputs)
    print(_("wrote {path}: open it in a browser, then use the arrow keys").format(path=path))
    return EXIT_OK


def frames_arguments(parser: argparse.ArgumentParser) -> None:
    expression_arguments(parser)
    parser.add_argument("-d", "--directory", default="frames",
                        help=_("where to write svg/png/dot frames (default ./frames)"))
    parser.add_argument("--format", choices=[*FRAME_FORMATS, *ANIMATIONS],
                        help=_("svg, png or dot: one file per frame; gif or mp4: one animation "
                               "(default: from the -o suffix, else svg)"))
    parser.add_argument("-o", "--output", metavar="FILE",
                        help=_("the gif or mp4 file to write (default frames.gif / frames.mp4)"))
    parser.add_argument("--duration", type=int, metavar="MS", default=1200,
                        help=_("how long each frame of a gif or mp4 shows (default 1200 ms)"))
    picture_arguments(parser)


FRAME_FORMATS, ANIMATIONS = ("svg", "png", "dot"), ("gif", "mp4")


def frames_format(args: argparse.Namespace) -> str:
    """The format --format names, or -o's suffix; a mismatch between the two is refused, and
    so is -o with frame formats (frames go to the folder -d names)."""
    if args.output is None:
        return args.format or "svg"
    if args.format in FRAME_FORMATS:
        raise ExprError(_("-o names a gif or mp4 file; {fmt} frames are written to the folder "
                          "-d names").format(fmt=args.format))
    suffix = Path(args.output).suffix[1:].lower()
    if suffix not in ANIMATIONS:  # export_animation refuses the name itself, in its words
        return args.format or ANIMATIONS[0]
    if args.format is not None and args.format != suffix:
        raise ExprError(_("--format {fmt} does not match the file name {path}").format(
            fmt=args.format, path=args.output))
    return suffix


def frames(args: argparse.Namespace) -> int:
    args.format = frames_format(args)
    root = build(args).root
    if args.format in ANIMATIONS:
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
