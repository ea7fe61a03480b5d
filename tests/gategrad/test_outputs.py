"""A file is what its name says (issue 23): an output's format follows its suffix, or the command
refuses, with one line naming the file, exit status 2, and nothing written.

Before: ``frames --format gif -o a.mp4`` wrote an mp4, ``worksheet -o w.pdf`` and ``stepper -o
p.svg`` wrote HTML under those names; from Python, ``viz.stepper``, ``viz.lesson`` and
``Page.save`` did so until the last test here was written.
"""

from __future__ import annotations

import pytest

import nn
import viz
from engine import Value
from viz.worksheet import write_worksheet
from words import localize

from .test_cli import gategrad

XY = ("x*y", "--set", "x=3", "y=2")


def _refused(done, command: str, says: str) -> None:
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0] == f"gategrad {command}: error: {says}", done.stderr


@pytest.mark.parametrize("args, says", [
    (("--format", "gif", "-o", "a.mp4"), "--format gif does not match the file name a.mp4"),
    (("--format", "mp4", "-o", "a.gif"), "--format mp4 does not match the file name a.gif"),
    (("--format", "svg", "-o", "a.gif"), "-o names a gif or mp4 file; svg frames are written "
                                         "to the folder -d names"),
])
def test_frames_refuses_an_output_name_that_is_not_its_format(tmp_path, args, says):
    _refused(gategrad("frames", *XY, *args, cwd=tmp_path), "frames", says)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", [("-o", "a.webm"), ("--format", "mp4", "-o", "a.mp3")])
def test_frames_leaves_a_name_of_no_animation_format_to_export_animation(tmp_path, args):
    done = gategrad("frames", *XY, *args, cwd=tmp_path)  # its words, exit 1, nothing written
    assert done.returncode == 1 and done.stderr.count("\n") == 1, done.stderr
    assert "cannot tell the format from 'a." in done.stderr and ".gif or .mp4" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_frames_takes_its_format_from_the_output_name(tmp_path):
    done = gategrad("frames", *XY, "-o", "walk.gif", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "walk.gif").read_bytes()[:6] == b"GIF89a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["walk.gif"]  # no frames/ folder


def test_stepper_writes_html_only(tmp_path):
    _refused(gategrad("stepper", *XY, "-o", "p.svg", cwd=tmp_path), "stepper",
             "cannot write 'p.svg': this command writes .html, .htm files; give the file one of "
             "those suffixes")
    assert list(tmp_path.iterdir()) == []
    assert gategrad("stepper", *XY, "-o", "p.HTM", cwd=tmp_path).returncode == 0
    assert (tmp_path / "p.HTM").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_worksheet_refuses_a_pdf_name_in_both_languages(tmp_path):
    _refused(gategrad("worksheet", "--level", "1", "-o", "w.pdf", cwd=tmp_path), "worksheet",
             "cannot write the html worksheet to w.pdf: name it w.html")
    done = gategrad("worksheet", "--level", "1", "-o", "w.pdf", "--lang", "zh", cwd=tmp_path)
    assert "无法把 html 练习卷写到 w.pdf：请把它命名为 w.html" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_write_worksheet_follows_the_suffix(tmp_path):
    with pytest.raises(ValueError, match=r"cannot write the tex worksheet to .*w\.html: name it "
                                         r"w\.tex"):
        write_worksheet(tmp_path / "w.html", level=1, fmt="tex")
    with pytest.raises(ValueError, match="worksheet format must be one of html, tex, got 'pdf'"):
        write_worksheet(tmp_path / "w.pdf", level=1)
    assert list(tmp_path.iterdir()) == []
    sheet, key = write_worksheet(tmp_path / "w.htm", level=1)  # .htm is html too
    assert key.name == "w-answers.htm"
    assert sheet.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html>")


@pytest.mark.parametrize("write", [
    lambda path: viz.stepper(Value(2.0, label="x") * 3.0, path),
    lambda path: viz.lesson(nn.MLP(2, [2, 1], seed=0), [[0.0, 1.0]], [1.0], path),
    lambda path: viz.stepper(Value(2.0, label="x") * 3.0).save(path),
], ids=["stepper", "lesson", "Page.save"])
def test_the_python_api_writes_a_page_only_to_an_html_name(tmp_path, write):
    with pytest.raises(ValueError) as refused:
        write(tmp_path / "p.svg")
    assert str(refused.value) == (f"cannot write the page to {tmp_path / 'p.svg'}: it is HTML; "
                                  "name it p.html")
    assert localize(refused.value, "zh").endswith("页面是 HTML 文件；请把它命名为 p.html")
    assert list(tmp_path.iterdir()) == []
    written = write(tmp_path / "p.HTM")  # .htm is HTML too, in any case
    assert written.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html>")
