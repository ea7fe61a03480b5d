"""Worksheets: the same seed gives the same sheet, and the key prints to PDF with the engine's
numbers (Chromium's page.pdf, text read back with pypdf); TeX is written, never compiled."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import torch
from playwright.sync_api import sync_playwright
from pypdf import PdfReader

from grading import generate, notes
from words import num


def worksheet(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gategrad", "worksheet", *args],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def chromium():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"],
                                    headless=True)
        yield browser
        browser.close()


def pdf_text(browser, html_path, pdf_path) -> str:
    page = browser.new_page()
    page.goto(html_path.as_uri())
    page.pdf(path=str(pdf_path), format="A4")
    page.close()
    text = "\n".join(p.extract_text() for p in PdfReader(str(pdf_path)).pages)
    return re.sub(r"[ \t]+", " ", text)


@pytest.fixture(scope="module")
def level3(tmp_path_factory):
    out = tmp_path_factory.mktemp("sheets")
    done = worksheet("--level", "3", "--count", "3", "--seed", "7", "-o", str(out / "sheet.html"))
    assert done.returncode == 0, done.stderr
    return out


def test_sheet_and_key_are_written_and_reproducible(level3, tmp_path):
    sheet, key = level3 / "sheet.html", level3 / "sheet-answers.html"
    assert sheet.exists() and key.exists()
    again = worksheet("--level", "3", "--count", "3", "--seed", "7", "-o", str(tmp_path / "s.html"))
    assert again.returncode == 0
    assert (tmp_path / "s.html").read_bytes() == sheet.read_bytes()
    other = worksheet("--level", "3", "--count", "3", "--seed", "8", "-o", str(tmp_path / "o.html"))
    assert other.returncode == 0
    assert (tmp_path / "o.html").read_bytes() != sheet.read_bytes()


def test_the_page_is_offline_and_scriptless(level3):
    for name in ("sheet.html", "sheet-answers.html"):
        page = (level3 / name).read_text(encoding="utf-8")
        assert "<script" not in page and "unsafe-inline" not in page
        assert "default-src 'none'" in page
        assert not re.search(r"(src|href)=\"https?:", page)
        assert page.count("<svg") == 3  # a graph per exercise, inline
    sheet = (level3 / "sheet.html").read_text(encoding="utf-8")
    assert 'class="answer"' not in sheet and sheet.count('class="blank"') == 3 * 7


def test_key_prints_to_pdf_with_the_engines_numbers(level3, chromium, tmp_path):
    text = pdf_text(chromium, level3 / "sheet-answers.html", tmp_path / "key.pdf")
    assert "Answer key" in text
    for ex in generate(3, 3, seed=7):
        root, nodes = ex.build()
        root.backward()
        for cell in ex.cells:
            node = nodes[cell.node]
            engine_number = node.data if cell.kind == "value" else node.grad
            assert num(engine_number, ex.digits) in text, (cell, text[:400])
        for line in ex.code():
            assert line in text


def test_sheet_prints_without_the_answers(level3, chromium, tmp_path):
    text = pdf_text(chromium, level3 / "sheet.html", tmp_path / "sheet.pdf")
    assert "Backpropagation worksheet, level 3 (seed 7)" in text
    assert "Answer key" not in text
    assert "df/dx" in text and "Given: x = " in text


def test_level5_key_has_the_delta_terms(tmp_path, chromium):
    done = worksheet("--level", "5", "--count", "1", "--seed", "2", "-o", str(tmp_path / "n.html"))
    assert done.returncode == 0, done.stderr
    text = pdf_text(chromium, tmp_path / "n-answers.html", tmp_path / "n.pdf")
    ex = generate(5, 1, seed=2)[0]
    root, nodes = ex.build()
    root.backward()
    for z in ("z0", "z1", "z2"):
        assert f"δ({z}) {num(nodes[z].grad)}" in text


def test_presets(tmp_path, chromium):
    for preset in ("notes1", "notes2", "notes3"):
        done = worksheet("--preset", preset, "-o", str(tmp_path / f"{preset}.html"))
        assert done.returncode == 0, done.stderr
    text = pdf_text(chromium, tmp_path / "notes2-answers.html", tmp_path / "n2.pdf")
    assert "0.140625" in text and "9.000000" in text  # by hand: L = 9, 2.25, 0.5625, 0.140625
    sheet = (tmp_path / "notes2.html").read_text(encoding="utf-8")
    assert "0.140625" not in sheet
    key1 = pdf_text(chromium, tmp_path / "notes1-answers.html", tmp_path / "n1.pdf")
    assert "df/dx0 -0.375" in key1 and "df/dw1 -0.750" in key1  # worked by hand in the notes
    key3 = (tmp_path / "notes3-answers.html").read_text(encoding="utf-8")
    assert key3.count(">yes<") == len(notes.gradcheck_table().rows)


def test_tex(tmp_path):
    done = worksheet("--level", "2", "--count", "2", "--seed", "4", "--format", "tex",
                     "-o", str(tmp_path / "sheet.tex"))
    assert done.returncode == 0, done.stderr
    key = (tmp_path / "sheet-answers.tex").read_text(encoding="utf-8")
    sheet = (tmp_path / "sheet.tex").read_text(encoding="utf-8")
    assert key.startswith("% compile with xelatex") and r"\begin{document}" in key
    assert key.count(r"\begin{tabular}") == 2 and key.rstrip().endswith(r"\end{document}")
    for ex in generate(2, 2, seed=4):
        for cell in ex.cells:
            assert f"& {num(cell.answer, ex.digits)} \\\\" in key
    assert r"\rule{0pt}{5mm}" in sheet and "sheet-1.pdf" in sheet
    assert (tmp_path / "sheet-1.pdf").read_bytes().startswith(b"%PDF")


def test_chinese_sheet(tmp_path):
    done = worksheet("--level", "1", "--count", "1", "-o", str(tmp_path / "s.html"), "--lang", "zh")
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "s.html").read_text(encoding="utf-8")
    assert "反向传播练习卷，级别 1（种子 0）" in page and 'lang="zh-CN"' in page


@pytest.mark.parametrize("args, said", [
    ((), "--level N or --preset NAME"),
    (("--level", "2", "--preset", "notes1"), "--level N or --preset NAME"),
    (("--level", "2", "--format", "tex", "-o", "x.html"), "--format tex does not match"),
    (("--preset", "notes1", "--seed", "3"), "--count and --seed go with --level"),
])
def test_bad_settings_exit_2_with_one_line(args, said, tmp_path):
    done = subprocess.run([sys.executable, "-m", "gategrad", "worksheet", *args],
                          capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert done.returncode == 2
    assert said in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_digits_show_more_decimals_everywhere_and_the_key_states_its_tolerance(tmp_path):
    done = worksheet("--level", "3", "--count", "2", "--seed", "7", "--digits", "4",
                     "-o", str(tmp_path / "s.html"))
    assert done.returncode == 0, done.stderr
    key = (tmp_path / "s-answers.html").read_text(encoding="utf-8")
    assert key.count("accept an answer within ±0.00005 of the key") == 2
    for ex in generate(3, 2, seed=7):
        for cell in ex.cells:
            assert f'<td class="answer">{num(cell.answer, 4)}</td>' in key
        for name, value in ex.leaves:  # the given values, and the graph, at 4 decimals too
            assert f"{name} = {num(value, 4)}" in key
    svg_numbers = re.findall(r">(-?\d+\.\d+)<", key)
    assert svg_numbers and all(len(n.split(".")[1]) == 4 for n in svg_numbers)
    default = worksheet("--level", "3", "--count", "2", "--seed", "7", "-o",
                        str(tmp_path / "d.html"))
    assert default.returncode == 0
    assert "within ±0.005 of the key" in (tmp_path / "d-answers.html").read_text("utf-8")
    assert "within ±" not in (tmp_path / "d.html").read_text("utf-8")  # the sheet: no answers


def test_digits_that_would_round_an_answer_are_refused(tmp_path):
    # level 4's weights are halves (±0.5, ±1.5): 0 decimals would show 0.5 as 0
    done = subprocess.run([sys.executable, "-m", "gategrad", "worksheet", "--level", "4",
                           "--digits", "0"], capture_output=True, text=True, cwd=tmp_path,
                          timeout=120)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1
    assert "--digits 0 would round the numbers of exercise 1, which need" in done.stderr
    assert not list(tmp_path.iterdir())  # nothing written
    done = subprocess.run([sys.executable, "-m", "gategrad", "worksheet", "--preset", "notes3",
                           "--digits", "4"], capture_output=True, text=True, cwd=tmp_path,
                          timeout=120)
    assert done.returncode == 2
    assert "exercise 1 is a table that shows its own digits" in done.stderr


def test_readme_preset_command_writes_tex(tmp_path):
    # the README's line: gategrad worksheet --preset notes1 -o notes1.tex
    done = subprocess.run([sys.executable, "-m", "gategrad", "worksheet", "--preset", "notes1",
                           "-o", "notes1.tex"], capture_output=True, text=True, cwd=tmp_path,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    key = (tmp_path / "notes1-answers.tex").read_text(encoding="utf-8")
    assert r"\begin{document}" in key and "& -0.375 \\\\" in key  # df/dx0 by hand
    assert "within ±0.0005 of the key" in key


def _pre_blocks(page: str) -> list[str]:
    import html as html_module

    return [html_module.unescape(b) for b in re.findall(r"<pre[^>]*>(.*?)</pre>", page, re.S)]


def test_notes3_gives_what_reproduces_its_columns(tmp_path):
    """Rebuild the network from the sheet's own text alone (torch float64, not our engine),
    and get the key's analytic and numeric columns, and its relative errors from them."""
    done = worksheet("--preset", "notes3", "-o", str(tmp_path / "n3.html"))
    assert done.returncode == 0, done.stderr
    sheet = (tmp_path / "n3.html").read_text(encoding="utf-8")
    formulas, samples, parameters = _pre_blocks(sheet)
    assert "tanh(b1[j] + W1[j,0]·x[0]" in formulas and "h = 1e-06" in formulas
    xs, ys = {}, {}
    for line in samples.splitlines():
        name, vector = line.split(" = ")
        (xs if name[0] == "x" else ys)[int(name[1:])] = [float(v) for v in vector.strip("()")
                                                         .split(", ")]
    values = {name: float(v) for name, v in (line.split(" = ") for line in
                                             parameters.splitlines())}
    assert len(values) == 43 and len(xs) == len(ys) == 3

    def loss(p):
        total = torch.zeros((), dtype=torch.float64)
        for s in range(3):
            x = torch.tensor(xs[s], dtype=torch.float64)
            h = [torch.tanh(p[f"b1[{j}]"] + sum(p[f"W1[{j},{i}]"] * x[i] for i in range(4)))
                 for j in range(5)]
            for k in range(3):
                out = p[f"b2[{k}]"] + sum(p[f"W2[{k},{j}]"] * h[j] for j in range(5))
                total = total + (out - ys[s][k]) ** 2
        return total

    key = (tmp_path / "n3-answers.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td>"
                      r"<td class=\"answer\">([^<]+)</td><td class=\"answer\">yes</td></tr>", key)
    assert len(rows) == 6
    params = {n: torch.tensor(v, dtype=torch.float64, requires_grad=True)
              for n, v in values.items()}
    loss(params).backward()
    for name, analytic, numeric, rel in rows:
        assert abs(params[name].grad.item() - float(analytic)) < 1e-9, name
        up, down = dict(params), dict(params)
        up[name] = params[name].detach() + 1e-6
        down[name] = params[name].detach() - 1e-6
        with torch.no_grad():
            central = (loss(up) - loss(down)).item() / 2e-6
        assert abs(central - float(numeric)) < 1e-8, name  # float noise of h = 1e-6 is ~1e-10
        # the relative error a student computes from the two columns as printed
        a, n = float(analytic), float(numeric)
        assert f"{abs(a - n) / max(abs(a), abs(n)):.1e}" == rel, name


def test_chinese_sheet_uses_chinese_punctuation(tmp_path):
    done = worksheet("--preset", "notes1", "-o", str(tmp_path / "z.html"), "--lang", "zh")
    assert done.returncode == 0, done.stderr
    for name in ("z.html", "z-answers.html"):
        page = (tmp_path / name).read_text(encoding="utf-8")
        assert "姓名：" in page and "日期：" in page and "已知：" in page
        assert not re.search(r"(姓名|日期|已知):", page)
        # the given values are a Chinese list too (before: "x0 = 2.000, x1 = 3.000")
        assert "已知：x0 = 2.000，x1 = 3.000，w0 = 1.500" in page, page[:2000]
    key = (tmp_path / "z-answers.html").read_text(encoding="utf-8")
    assert "答案保留 3 位小数，是精确值；与答案相差不超过 ±0.0005" in key
