"""Every word a class sees, in its language: stdlib gettext over catalogues compiled by Babel.

A message id is the English sentence itself, with ``{name}`` placeholders filled in after
translation, so English needs no catalogue and code reads as what it prints. Catalogues live in
``locale/<LOCALE>/LC_MESSAGES/<domain>.po`` (one domain per part of the project, each kept by
its owners) and are compiled to ``.mo`` by ``make catalogues``; adding a language is adding a
folder of catalogues and a line in ``LOCALES``, with no other code change.

The language is chosen, first match wins: an explicit ``lang=``; ``speaking(lang)`` around the
work (per thread and per asyncio task, as a context variable); ``GATEGRAD_LANG``; the locale
(``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``, as GNU gettext reads them); English.
"""

from __future__ import annotations

import functools
import gettext as _gettext
import os
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
LOCALES = {"en": None, "zh": "zh_CN"}  # language code -> gettext locale folder (None: msgids)
LANGUAGES = tuple(LOCALES)

_current: ContextVar[str | None] = ContextVar("gategrad_language", default=None)


def N_(msgid: str) -> str:
    """Mark a string of a data table for extraction; it is translated where it is shown."""
    return msgid


def _code(lang: str) -> str | None:
    """``zh_CN.UTF-8`` -> ``zh``; None when the language has no catalogue here."""
    code = lang.strip().replace("-", "_").split(".")[0].split("@")[0].split("_")[0].lower()
    if code in ("", "c", "posix"):
        return "en"
    return code if code in LOCALES else None


def _environment_language() -> str:
    chosen = os.environ.get("GATEGRAD_LANG", "").strip()
    if chosen:
        code = _code(chosen)
        if code is None:
            warnings.warn(f"GATEGRAD_LANG={chosen!r} is not a language gategrad speaks "
                          f"({', '.join(LANGUAGES)}); using English", stacklevel=3)
            return "en"
        return code
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return _code(value.split(":")[0]) or "en"
    return "en"


def resolve_language(lang: str | None = None) -> str:
    """The language to speak: ``lang`` if given (checked), else the context, env or locale."""
    if lang is None:
        return _current.get() or _environment_language()
    if not isinstance(lang, str) or _code(lang) is None:
        raise error(ValueError, Text("lang must be one of {choices}, got {value}",
                                     choices=", ".join(LANGUAGES), value=repr(lang)))
    return _code(lang)  # type: ignore[return-value]


@contextmanager
def speaking(lang: str | None) -> Iterator[str]:
    """Speak ``lang`` inside the block (None keeps the language already chosen)."""
    token = _current.set(resolve_language(lang))
    try:
        yield _current.get()  # type: ignore[misc]
    finally:
        _current.reset(token)


@functools.cache
def _translations(lang: str) -> _gettext.NullTranslations:
    """The catalogues of ``lang`` chained together (English: the msgids themselves)."""
    chain = _gettext.NullTranslations()
    folder = LOCALES[lang]
    if folder is None:
        return chain
    for mo in sorted((LOCALE_DIR / folder / "LC_MESSAGES").glob("*.mo")):
        with mo.open("rb") as f:
            catalogue = _gettext.GNUTranslations(f)
        catalogue.add_fallback(chain)
        chain = catalogue
    return chain


def gettext(msgid: str, lang: str | None = None) -> str:
    """``msgid`` in ``lang`` (or the current language); the msgid itself where untranslated."""
    return _translations(resolve_language(lang)).gettext(msgid)


def _(msgid: str) -> str:
    """``msgid`` in the current language."""
    return gettext(msgid)


def ngettext(singular: str, plural: str, n: int, lang: str | None = None) -> str:
    """The form of a message for ``n`` things, by the plural rule of the language's catalogue
    (Chinese has one form); English, untranslated, picks ``singular`` for n == 1."""
    return _translations(resolve_language(lang)).ngettext(singular, plural, n)


def catalogue(msgids: Iterable[str], lang: str) -> dict[str, str]:
    """``{msgid: translation}`` for a page that carries its words in every language."""
    return {m: gettext(m, lang) for m in msgids}


class Localized:
    """A value that reads differently in each language and is not a sentence of a catalogue:
    a gate's title from the gate table (``Localized(gate.title)``: "log gate", "对数门")."""

    __slots__ = ("_in",)

    def __init__(self, in_language: Callable[[str], str]) -> None:
        self._in = in_language

    def render(self, lang: str | None = None) -> str:
        return self._in(resolve_language(lang))

    def __str__(self) -> str:
        return self.render("en")

    def __repr__(self) -> str:
        return f"Localized({self.render('en')!r})"


class Text:
    """A class-facing message: an English msgid and its values, rendered in any language.

    ``str(text)`` is English (what exceptions carry for programmers); ``text.render("zh")`` the
    translation. A value that is itself a Text (or a Localized) is rendered in the same
    language.
    """

    __slots__ = ("msgid", "params")

    def __init__(self, msgid: str, **params: object) -> None:
        self.msgid = msgid
        self.params = params

    def render(self, lang: str | None = None) -> str:
        lang = resolve_language(lang)
        values = {k: v.render(lang) if isinstance(v, (Text, Localized)) else v
                  for k, v in self.params.items()}
        return gettext(self.msgid, lang).format(**values)

    def __str__(self) -> str:
        return self.render("en")

    def __repr__(self) -> str:
        return f"Text({self.msgid!r}, **{self.params!r})"


def error(cls: type[Exception], text: Text) -> Exception:
    """``cls`` with the English message, carrying ``text`` for display in another language."""
    exc = cls(str(text))
    exc.text = text  # type: ignore[attr-defined]
    return exc


def localize(exc: BaseException, lang: str | None = None) -> str:
    """The message of ``exc`` in ``lang``: translated where it carries a Text, else str(exc)."""
    text = getattr(exc, "text", None)
    return text.render(lang) if isinstance(text, Text) else str(exc)
