"""argparse in the class's language: its own sentences ("usage: ", "the following arguments are
required: %s", "invalid choice: ...") from gategrad's catalogue, for ``gategrad`` and
``python -m demos`` alike.

argparse looks up every sentence it says through its module-level ``_`` and ``ngettext``
(``from gettext import gettext as _, ngettext``), which would read Python's own catalogue, and
Python ships none for Chinese. ``speaking_argparse()`` points them at gategrad's catalogues
(``words/locale/*/LC_MESSAGES/cli.po``) for as long as a parser is built and used, then puts
gettext's back. Only the lookup changes: argparse itself is not copied or patched otherwise.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from contextlib import contextmanager

from .i18n import LANGUAGES, _, gettext, ngettext

# A section heading argparse writes itself, "{title}:", whose title is Chinese: its colon too.
_WIDE_HEADING = re.compile(r"(?m)^(\S[^\n]*[^\x00-\x7f]):$")


@contextmanager
def speaking_argparse() -> Iterator[None]:
    """Inside: argparse says its sentences in the current language (``words.speaking``). Build
    the parser inside too: its headings ("positional arguments", "options") and its ``-h`` line
    are translated when it is made. Another thread parsing meanwhile reads the same catalogue in
    its own language (English, unless it chose another)."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = gettext, ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """argparse's help layout (descriptions and epilogs kept as written), with a Chinese
    section heading ending in a Chinese colon ("选项：", not "选项:")."""

    def format_help(self) -> str:
        return _WIDE_HEADING.sub(r"\1：", super().format_help())


def whole_number(text: str) -> int:
    """An argument's ``type`` for whole numbers whose refusal is a sentence of the catalogue
    (argparse's own would name Python's type: "invalid int value: 'x'")."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{value} is not a whole number").format(value=repr(text))) from None


def whole_numbers(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """``parser`` with every ``type=int`` argument read by ``whole_number`` (subparsers too)."""
    for action in parser._actions:
        if action.type is int:
            action.type = whole_number
        if isinstance(action, argparse._SubParsersAction):
            for sub in set(action.choices.values()):
                whole_numbers(sub)
    return parser


def language_asked(argv: list[str]) -> str | None:
    """The ``--lang`` a command line gives, read before argparse reads it (so that its help and
    its usage errors speak that language), when it is one we speak."""
    for k, arg in enumerate(argv):
        value = arg.split("=", 1)[1] if arg.startswith("--lang=") else (
            argv[k + 1] if arg == "--lang" and k + 1 < len(argv) else None)
        if value in LANGUAGES:
            return value
    return None
