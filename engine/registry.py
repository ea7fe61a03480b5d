"""Adding a row to the gate table at run time: a test's made-up gate, a teacher's own.

Not part of reading backprop (the core's size test leaves it out, as errors.py): a row made
with ``make_gate`` and passed to ``register`` reaches every reader of the table at once. Most
readers look the table up each time (the parser, step records, the replay, the page); those
that install per-gate code (``engine.value``: Value's operator or method, the engine's
function) are in ``INSTALLERS`` and say where they put it, so ``unregister`` leaves no trace.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

from words import LANGUAGES, gettext

from .gates import GATES, Gate

INSTALLERS: list[Callable[[Gate], list[tuple[object, str]]]] = []
_installed: dict[str, list[tuple[object, str]]] = {}


def register(gate: Gate) -> Gate:
    """Add a row to the table at run time, everywhere at once (a test, a teacher's own gate)."""
    if not isinstance(gate, Gate):
        raise TypeError(f"register: expected a Gate (make_gate(...)), got {type(gate).__name__}")
    if gate.name in GATES:
        raise ValueError(f"register: there is already a gate named {gate.name!r}")
    GATES[gate.name] = gate
    try:
        _installed[gate.name] = [spot for install in INSTALLERS for spot in install(gate)]
    except ValueError:  # a name already taken: the table is left as it was
        del GATES[gate.name]
        raise
    for lang, what in untranslated(gate).items():
        warnings.warn(f"the {gate.name} gate has no {lang} translation for {'; '.join(what)}: "
                      f"a class speaking {lang} reads them in English (a row's names give its "
                      "name in each language, the catalogues its sentences)", stacklevel=2)
    return gate


def untranslated(gate: Gate) -> dict[str, list[str]]:
    """What of a row a class in each language would read in English: its name (the row's
    ``names``) and its sentences (the rule, the checks' and the health rule's words, looked up
    in the catalogues)."""
    sentences = [gate.rule, *(c.says for c in gate.checks),
                 *([gate.health.says] if gate.health else [])]
    missing = {}
    for lang in LANGUAGES[1:]:  # English is the msgids themselves
        what = ([] if gate.names.get(lang) else ["its name"]) + \
            [repr(s) for s in sentences if gettext(s, lang) == s]
        if what:
            missing[lang] = what
    return missing


def unregister(name: str) -> None:
    """Take a row added by ``register`` out again, with what was installed for it."""
    if name not in _installed:
        raise ValueError(f"unregister: {name!r} was not added by register()")
    del GATES[name]
    for owner, attribute in _installed.pop(name):
        if isinstance(owner, dict):
            del owner[attribute]
        else:
            delattr(owner, attribute)
