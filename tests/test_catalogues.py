"""Every word a class sees has its Chinese, with the same placeholders, in a compiled catalogue.

Message ids are extracted from the source with Babel (the calls ``_("...")``, ``N_("...")`` and
``Text("...", ...)``, and argparse's own ``_()``/``ngettext()``, which the command lines say);
the Chinese catalogues are read with Babel and the compiled ``.mo`` files with stdlib gettext,
which is what gategrad uses at run time.
"""

from __future__ import annotations

import argparse
import ast
import gettext
import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ["words", "engine", "nn", "grading", "viz", "demos", "gategrad"]
LOCALE = ROOT / "words" / "locale"
KEYWORDS = {"_": None, "N_": None, "Text": None}  # Text(msgid, **values)


def _sources() -> list[Path]:
    return sorted(p for pkg in PACKAGES if (ROOT / pkg).is_dir()
                  for p in (ROOT / pkg).rglob("*.py"))


def _extracted() -> dict[str, list[str]]:
    """msgid -> the places that use it: our code, and argparse's own sentences, which
    gategrad's command lines say in the class's language (words.commandline). A plural
    message is keyed by its singular."""
    found: dict[str, list[str]] = {}
    sources = [(p, KEYWORDS, str(p.relative_to(ROOT))) for p in _sources()]
    sources.append((Path(argparse.__file__), {"_": None, "ngettext": (1, 2)}, "argparse.py"))
    for path, keywords, name in sources:
        for lineno, message, _comments, _context in extract_from_file(
                "python", str(path), keywords=keywords, comment_tags=()):
            if isinstance(message, tuple):
                message = message[0]
            if isinstance(message, str):
                found.setdefault(message, []).append(f"{name}:{lineno}")
    return found


def _entry(m) -> tuple[str, str]:
    """(msgid, translation) of a catalogue entry; a plural one by its singular and its one
    Chinese form."""
    if isinstance(m.id, tuple):
        return m.id[0], m.string[0] if m.string else ""
    return m.id, m.string


def _catalogues(locale: str) -> dict[Path, object]:
    folder = LOCALE / locale / "LC_MESSAGES"
    catalogues = {}
    for po in sorted(folder.glob("*.po")):
        with po.open("rb") as f:
            catalogues[po] = read_po(f, locale=locale)
    return catalogues


def _fields(text: str) -> set[str]:
    """Its ``{name}`` placeholders, and argparse's ``%(name)s`` / ``%s`` ones."""
    braces = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    return braces | {f"%{m}" for m in re.findall(r"%(\(\w+\)[sdr]|[sdr])", text)}


def test_every_message_id_is_a_literal():
    """``_(f"...")`` or ``_("a" + b)`` could never be found in a catalogue: refuse them."""
    bad = []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in KEYWORDS and node.args):
                arg = node.args[0]
                literal = isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                # data marked with N_ elsewhere is translated by name: _(gate.rule)
                by_name = node.func.id in ("_", "Text") and isinstance(
                    arg, (ast.Name, ast.Attribute, ast.Subscript))
                if not (literal or by_name):
                    bad.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not bad, f"message ids built at run time cannot be translated: {bad}"


def test_some_messages_are_extracted():
    # Guards the test below against passing on an empty extraction.
    assert len(_extracted()) >= 2


@pytest.mark.parametrize("locale", ["zh_CN"])
def test_every_message_has_a_translation_with_the_same_placeholders(locale):
    translations: dict[str, tuple[str, Path]] = {}
    problems = []
    for po, cat in _catalogues(locale).items():
        for m in cat:
            if not m.id:
                continue
            msgid, translated = _entry(m)
            if m.fuzzy:
                problems.append(f"{po.name}: fuzzy entry {msgid!r}")
            if msgid in translations and translations[msgid][0] != translated:
                problems.append(f"{msgid!r} translated differently in {po.name} and "
                                f"{translations[msgid][1].name}")
            translations[msgid] = (translated, po)
    for msgid, places in _extracted().items():
        if msgid not in translations or not translations[msgid][0]:
            problems.append(f"no {locale} translation for {msgid!r} ({places[0]})")
        elif _fields(msgid) != _fields(translations[msgid][0]):
            problems.append(f"placeholders differ for {msgid!r}: {sorted(_fields(msgid))} vs "
                            f"{sorted(_fields(translations[msgid][0]))}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("locale", ["zh_CN"])
def test_no_obsolete_entries(locale):
    used = _extracted()
    stale = [f"{po.name}: {m.id!r}" for po, cat in _catalogues(locale).items()
             for m in cat if m.id and _entry(m)[0] not in used]
    assert not stale, "catalogue entries no code uses any more:\n" + "\n".join(stale)


@pytest.mark.parametrize("locale", ["zh_CN"])
def test_compiled_catalogues_match_their_sources(locale):
    """`make catalogues` was run after the last edit of every .po."""
    for po, cat in _catalogues(locale).items():
        mo = po.with_suffix(".mo")
        assert mo.exists(), f"{mo.name} missing: run make catalogues"
        with mo.open("rb") as f:
            compiled = gettext.GNUTranslations(f)
        for m in cat:
            msgid, translated = _entry(m)
            if msgid and translated and not m.fuzzy:
                got = (compiled.ngettext(*m.id, 1) if isinstance(m.id, tuple)
                       else compiled.gettext(msgid))
                assert got == translated, f"{mo.name} is stale for {msgid!r}: run make catalogues"
