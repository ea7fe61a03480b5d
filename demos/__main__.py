"""``python -m demos NAME [--out DIR] [--quick] [--lang LANG]``: run one demo; without NAME,
list them. ``--lang zh`` narrates in Chinese (default: GATEGRAD_LANG, else the locale)."""

from __future__ import annotations

import argparse
import sys

from words import LANGUAGES, _, speaking
from words.commandline import HelpFormatter, language_asked, speaking_argparse

from . import DEMOS, listing, run


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m demos", formatter_class=HelpFormatter,
        description=_("Run one of gategrad's lessons; without NAME, list them."))
    parser.add_argument("name", nargs="?", metavar="NAME",
                        help=_("which demo (omit to list them)"))
    parser.add_argument("--out", default="out", help=_("folder for the pictures (default: out)"))
    parser.add_argument("--quick", action="store_true",
                        help=_("shorter training, for a quick look"))
    parser.add_argument("--lang", choices=LANGUAGES, default=None,
                        help=_("language of the narration (default: GATEGRAD_LANG, else the "
                               "locale)"))
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    with speaking(language_asked(argv)), speaking_argparse():
        args = _parser().parse_args(argv)
    with speaking(args.lang):
        if args.name is None:
            print(listing())
            return 0
        if args.name not in DEMOS:
            print(_("unknown demo {name}").format(name=repr(args.name)) + "\n\n" + listing(),
                  file=sys.stderr)
            return 2
        run(args.name, out_dir=args.out, quick=args.quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
