"""Choosing the language, rendering messages, and errors that keep English for programmers."""

import threading

import pytest

from words import Text, _, error, gettext, localize, resolve_language, speaking


@pytest.fixture
def clean_env(monkeypatch):
    for var in ("GATEGRAD_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    return monkeypatch


def test_order_of_choice(clean_env):
    assert resolve_language() == "en"
    clean_env.setenv("LANG", "zh_CN.UTF-8")
    assert resolve_language() == "zh"
    clean_env.setenv("LANG", "fr_FR.UTF-8")
    assert resolve_language() == "en"  # a locale we have no words for: English
    clean_env.setenv("GATEGRAD_LANG", "zh")
    assert resolve_language() == "zh"
    with speaking("en"):
        assert resolve_language() == "en"
        assert resolve_language("zh") == "zh"
    assert resolve_language() == "zh"


def test_unknown_gategrad_lang_warns_and_speaks_english(clean_env):
    clean_env.setenv("GATEGRAD_LANG", "klingon")
    with pytest.warns(UserWarning, match="GATEGRAD_LANG='klingon'"):
        assert resolve_language() == "en"


def test_explicit_unknown_language_is_an_error():
    with pytest.raises(ValueError, match=r"lang must be one of en, zh, got 'de'"):
        resolve_language("de")


def test_speaking_is_per_thread(clean_env):
    seen = {}
    ready, done = threading.Event(), threading.Event()

    def other():
        ready.wait()
        seen["other"] = resolve_language()
        done.set()

    t = threading.Thread(target=other)
    t.start()
    with speaking("zh"):
        ready.set()
        done.wait()
        seen["here"] = resolve_language()
    t.join()
    assert seen == {"here": "zh", "other": "en"}


def test_text_renders_nested_messages_and_errors_keep_english():
    digits = Text("{setting} must be a whole number from 0 to {most}, got {value}",
                  setting="digits", most=12, value="-1")
    assert str(digits) == "digits must be a whole number from 0 to 12, got -1"
    assert digits.render("zh") == "digits 必须是 0 到 12 之间的整数，实际为 -1"
    e = error(ValueError, digits)
    assert str(e) == "digits must be a whole number from 0 to 12, got -1"
    assert localize(e, "zh") == "digits 必须是 0 到 12 之间的整数，实际为 -1"
    assert localize(KeyError("plain"), "zh") == "'plain'"


def test_untranslated_ids_fall_back_to_english():
    assert gettext("no such message id", "zh") == "no such message id"
    with speaking("zh"):
        assert _("no such message id") == "no such message id"
