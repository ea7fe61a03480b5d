"""``python -m demos NAME [--out DIR] [--quick] [--lang LANG]``: run one demo; without NAME,
list them. ``--lang zh`` narrates in Chinese (default: GATEGRAD_LANG, else the locale)."""

from __future__ import annotations

import argparse
import sys

from words import LANGUAGES, speaking

from . import DEMOS, listing, run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m demos", description=__doc__)
    parser.add_argument("name", nargs="?", help="which demo (omit to list them)")
    parser.add_argument("--out", default="out", help="folder for the pictures (default: out)")
    parser.add_argument("--quick", action="store_true", help="shorter training, for a quick look")
    parser.add_argument("--lang", choices=LANGUAGES, default=None,
                        help="language of the narration (default: GATEGRAD_LANG, else the locale)")
    args = parser.parse_args(argv)
    with speaking(args.lang):
        if args.name is None:
            print(listing())
            return 0
        if args.name not in DEMOS:
            print(f"unknown demo {args.name!r}\n\n{listing()}", file=sys.stderr)
            return 2
        run(args.name, out_dir=args.out, quick=args.quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
