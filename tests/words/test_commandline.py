"""argparse in the class's language (words.commandline): its own sentences from gategrad's
catalogue while a parser is built and used, and put back afterwards."""

import argparse

import pytest

from words import Localized, Text, ngettext, speaking
from words.commandline import HelpFormatter, language_asked, speaking_argparse, whole_numbers


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="demo", formatter_class=HelpFormatter)
    parser.add_argument("name")
    parser.add_argument("--count", type=int, nargs=2)
    return whole_numbers(parser)


def _error(argv: list[str], capsys) -> str:
    with pytest.raises(SystemExit) as stop:
        _parser().parse_args(argv)
    assert stop.value.code == 2
    return capsys.readouterr().err


def test_argparse_says_its_sentences_in_chinese_and_english_stays_english(capsys):
    with speaking("zh"), speaking_argparse():
        said = _error([], capsys)
        assert said.startswith("用法：demo [-h]")
        assert said.rstrip().endswith("demo：错误：缺少以下必需的参数：name")
        assert "参数 --count：需要 2 个值" in _error(["x", "--count", "1"], capsys)  # ngettext
        assert "参数 --count：'two' 不是整数" in _error(["x", "--count", "1", "two"], capsys)
        help_text = _parser().format_help()
    assert "位置参数：\n" in help_text and "选项：\n" in help_text  # a Chinese colon
    assert "显示这条帮助信息并退出" in help_text
    with speaking("en"), speaking_argparse():
        said = _error(["x", "--count", "1"], capsys)
        assert "usage: demo" in said and "argument --count: expected 2 arguments" in said
        assert "options:\n" in _parser().format_help()


def test_argparse_is_put_back_afterwards(capsys):
    before = argparse._, argparse.ngettext
    with speaking("zh"), speaking_argparse():
        assert argparse._ is not before[0]
    assert (argparse._, argparse.ngettext) == before
    with speaking("zh"):
        assert "usage: demo" in _error([], capsys)  # outside the block: Python's own words


def test_the_language_is_read_before_argparse_reads_the_line():
    assert language_asked(["--lang", "zh", "steps"]) == "zh"
    assert language_asked(["steps", "--lang=en"]) == "en"
    assert language_asked(["steps", "--lang", "fr"]) is None
    assert language_asked(["steps", "--lang"]) is None


def test_a_value_named_per_language_and_plural_forms():
    title = Localized(lambda lang: {"en": "log gate", "zh": "对数门"}[lang])
    text = Text("{gate}: {says}; got {operands}", gate=title, says="x", operands="a = 1")
    assert str(text) == "log gate: x; got a = 1"
    assert text.render("zh") == "对数门：x；得到 a = 1"
    assert ngettext("expected %s argument", "expected %s arguments", 1, "en") == \
        "expected %s argument"
    assert ngettext("expected %s argument", "expected %s arguments", 3, "en") == \
        "expected %s arguments"
    assert ngettext("expected %s argument", "expected %s arguments", 1, "zh") == "需要 %s 个值"
    assert ngettext("expected %s argument", "expected %s arguments", 3, "zh") == "需要 %s 个值"
