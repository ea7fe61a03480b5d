"""The lesson page as a class uses it, in Chromium: live edits, domain errors, the nudge, paths,
the update step, the quiz, the language switch, hostile labels, print and notebooks."""

from __future__ import annotations

import re

import pytest

import engine
from engine import Value
from tests.examples import cs231n
from tests.viz.page_driver import (  # noqa: F401
    CELLS_JS,
    STATE_JS,
    browser,
    close_clean,
    open_page,
    show_panel,
)
from viz import stepper
from words import localize, num

pytestmark = pytest.mark.browser


def python_state(root: Value):
    engine.zero_grad(root)
    root.backward()
    names = engine.node_names(root)
    return [[names[n], n.data, n.grad] for n in engine.topological_order(root)]


def cs231n_at(**values: float) -> Value:
    return cs231n(**values)[0]  # rebuilt: every gate computed at the new values


@pytest.fixture(scope="module")
def cs_file(tmp_path_factory):
    return stepper(cs231n()[0], tmp_path_factory.mktemp("page") / "cs.html")


def test_editing_a_leaf_recomputes_everything_and_keeps_the_step(browser, cs_file):  # noqa: F811
    page = open_page(browser, cs_file, "#step=10")
    show_panel(page)
    page.get_by_role("textbox", name="x0").fill("3")
    assert page.evaluate("page.position()") == 9
    assert page.evaluate(STATE_JS) == python_state(cs231n_at(x0=3.0))
    cells = page.evaluate(CELLS_JS)
    assert cells["x0"][1] == "data 3.00" and cells["s0"][1] == "data 6.00"  # 2 * 3
    page.get_by_role("slider", name="w2").fill("1")
    assert page.evaluate(STATE_JS) == python_state(cs231n_at(x0=3.0, w2=1.0))
    assert page.get_by_role("textbox", name="w2").input_value() == "1"
    close_clean(page, cs_file)


def test_a_value_outside_a_gate_domain_shows_the_python_message(browser, tmp_path):  # noqa: F811
    x, b = Value(2.0, label="x"), Value(4.0, label="b")
    f = x.log() + x / b
    path = stepper(f, tmp_path / "domain.html")
    page = open_page(browser, path, "#step=4")
    show_panel(page)
    good = page.evaluate(STATE_JS)
    page.get_by_role("textbox", name="x").fill("-1")
    with pytest.raises(ValueError) as log_error:
        Value(-1.0, label="x").log()
    alert = page.get_by_role("alert")
    assert alert.inner_text() == str(log_error.value)
    assert alert.inner_text() == "log gate: input must be > 0; got a = -1.0 (node 'x')"
    assert page.evaluate(STATE_JS) == good  # the last good state is kept
    assert page.evaluate(CELLS_JS)["x"][1] == "data 2.00"
    page.get_by_role("textbox", name="x").fill("2")
    assert alert.is_hidden()
    page.get_by_role("textbox", name="b").fill("0")
    with pytest.raises(ZeroDivisionError) as div_error:
        Value(2.0, label="x") / Value(0.0, label="b")
    assert alert.inner_text() == str(div_error.value)
    page.locator("#lang").click()  # in Chinese, as words.localize says it
    page.get_by_role("textbox", name="b").fill("0.0")
    assert alert.inner_text() == localize(div_error.value, "zh")
    close_clean(page, path)


def test_paths_from_a_node_sum_to_its_gradient(browser, tmp_path):  # noqa: F811
    x = Value(3.0, label="x")
    f = x * x + x
    path = stepper(f, tmp_path / "fork.html")
    page = open_page(browser, path)
    show_panel(page)
    page.locator("#n0").click()  # x
    items = page.locator("#paths li").all_inner_texts()
    assert items == ["x → s0 → f: 3.00 × 1.00 = 3.00", "x → s0 → f: 3.00 × 1.00 = 3.00",
                     "x → f: 1.00 = 1.00"]
    assert page.locator("#paths .sum").inner_text() == "Sum of the paths: 7.00 = df/dx = 7.00"
    assert page.locator("#diagram g.edge.onpath").count() >= 4
    # the nudge: (f(x+h) - f(x))/h next to the gradient, f' = 2x + 1 = 7
    nudge = page.locator("#nudge").inner_text()
    slope, grad = map(float, re.findall(r"-?\d+\.\d+", nudge))
    assert grad == 7.0 and abs(slope - 7.0) < 1e-4
    close_clean(page, path)


def test_every_node_of_cs231n_has_paths_summing_to_its_gradient(browser, cs_file):  # noqa: F811
    page = open_page(browser, cs_file)
    show_panel(page)
    f, nodes = cs231n()
    f.backward()
    for name in ["w0", "x0", "s0", "w1", "x1", "s1", "s2", "w2", "s3"]:
        page.locator(f"#diagram g.node.value:has(text:text-is('{name}'))").click()
        total = page.locator("#paths .sum").inner_text()
        items = page.locator("#paths li").all_inner_texts()
        products = [float(li.rsplit("= ", 1)[1]) for li in items]
        want = f"{nodes[name].grad:.2f}" if abs(nodes[name].grad) >= 0.005 else "0.00"
        assert total.endswith(f"= df/d{name} = {want}"), (name, total)
        assert abs(sum(products) - nodes[name].grad) <= 0.006 * len(products), name
    close_clean(page, cs_file)


def test_the_update_step_is_w_minus_eta_grad(browser, cs_file):  # noqa: F811
    page = open_page(browser, cs_file, "#step=12")
    show_panel(page)
    f, nodes = cs231n()
    f.backward()
    page.locator("#eta").fill("0.5")
    page.locator("#update").click()
    new = {k: nodes[k].data - 0.5 * nodes[k].grad for k in ("w0", "w1", "w2")}
    values = dict(zip([r[0] for r in page.evaluate(STATE_JS)], page.evaluate("page.values()")))
    assert {k: values[k] for k in new} == new
    assert values["x0"] == -1.0 and values["x1"] == -2.0  # inputs are not parameters
    again = cs231n_at(**new)
    assert page.evaluate(STATE_JS) == python_state(again)
    rows = page.locator("#update-out tr").all_inner_texts()
    assert rows[1].split("\t") == ["w0", "2.00", "-0.20", f"{new['w0']:.2f}"]
    assert page.locator("#loss").inner_text() == f"f: 0.73 → {again.data:.2f}"
    page.locator("#update").click()  # repeatable
    assert page.evaluate("page.values()")[0] != new["w0"]
    page.locator("#eta").fill("-1")
    page.locator("#update").click()
    alert = page.get_by_role("alert").inner_text()
    assert "learning rate η must be a positive number, got -1" in alert
    close_clean(page, cs_file)


def test_the_quiz_names_the_misconception(browser, cs_file):  # noqa: F811
    page = open_page(browser, cs_file, "#step=12")  # backward step 5: mul gate at s0
    show_panel(page)
    page.locator("#quiz-on").check()
    assert page.locator("#lines").inner_text().startswith("Quiz:")
    assert page.evaluate(CELLS_JS)["w0"][2] == "grad"  # hidden until answered
    w0 = page.get_by_label("df/dw0 after this step")
    w0.fill("0.39")  # upstream × its own value 2: the own-value mistake
    w0.press("Enter")
    feedback = page.locator("#quiz .feedback").first.inner_text()
    assert feedback.startswith("That answer matches a misconception: "
                               "Used the input's own value at a mul gate.")
    page.get_by_label("df/dw0 after this step").fill("0.2")  # the upstream, unchanged
    page.get_by_label("df/dw0 after this step").press("Enter")
    assert "Passed the upstream gradient unchanged through a mul gate" in \
        page.locator("#quiz .feedback").first.inner_text()
    page.get_by_label("df/dw0 after this step").fill("5")
    page.get_by_label("df/dw0 after this step").press("Enter")
    feedback = page.locator("#quiz .feedback").first.inner_text()
    assert "matches none of the misconceptions" in feedback
    page.get_by_role("button", name="Reveal").first.click()
    x0 = page.get_by_label("df/dx0 after this step")
    x0.fill("0.39")  # right within 0.5e-2 of 0.3932
    x0.press("Enter")
    assert page.evaluate(CELLS_JS)["w0"][2] == "grad -0.20"
    assert page.locator("#quiz .score").inner_text() == "Score: 1 of 2"
    assert "Quiz done: 1 of 2 right at the first try." in page.locator("#quiz").inner_text()
    close_clean(page, cs_file)


def test_the_language_switch_changes_words_not_numbers(browser, cs_file):  # noqa: F811
    page = open_page(browser, cs_file, "#step=10")
    show_panel(page)
    before = page.locator("#caption").inner_text()
    cells = page.evaluate(CELLS_JS)
    page.locator("#lang").click()
    after = page.locator("#caption").inner_text()
    assert after != before
    assert "反向传播" in after or "步" in after
    assert re.findall(r"-?\d+\.\d+", after) == re.findall(r"-?\d+\.\d+", before)
    zh_cells = page.evaluate(CELLS_JS)
    assert [c[1].split()[-1] for c in zh_cells.values()] == \
        [c[1].split()[-1] for c in cells.values()]
    page.locator("#lang").click()
    assert page.locator("#caption").inner_text() == before
    close_clean(page, cs_file)


def test_a_page_built_in_chinese_opens_in_chinese(browser, tmp_path):  # noqa: F811
    path = stepper(cs231n()[0], tmp_path / "zh.html", lang="zh")
    page = open_page(browser, path, "#step=10")
    show_panel(page)
    assert page.locator("#title").inner_text() == "反向传播第 3 步（共 5 步）：s2 处的加法门"
    assert page.locator("#next").inner_text() == "下一步 ▶"
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    assert page.title() == "gategrad：逐步计算 f"
    close_clean(page, path)


HOSTILE = ["<script>alert(1)</script>", "a\"b'c", "back\\slash\\N", "</svg>",
           "<img src=x onerror=alert(1)>", "</script><script>alert(2)</script>", "&amp; }}{{"]


def test_hostile_labels_are_text(browser, tmp_path):  # noqa: F811
    leaves = [Value(1.0 + k, label=label) for k, label in enumerate(HOSTILE)]
    root = leaves[0]
    for leaf in leaves[1:]:
        root = root * leaf
    root = root.log()
    root.label = "<b>root</b>"
    path = stepper(root, tmp_path / "hostile.html", title="<img src=x onerror=alert(3)>")
    page = open_page(browser, path, "#step=16")  # the last backward step: the first mul
    show_panel(page)
    names = page.locator(".leaf .name").all_inner_texts()
    assert sorted(names) == sorted(HOSTILE)  # inputs first, then parameters (b...)
    assert page.title() == "<img src=x onerror=alert(3)>"
    assert "d<b>root</b>/d<script>alert(1)</script>" in page.locator("#lines").inner_text()
    assert page.locator("script").count() == 2 and page.locator("img").count() == 0
    page.get_by_role("textbox", name=HOSTILE[4]).fill("-100")
    product = Value(1.0)
    for k in range(len(HOSTILE)):
        product = product * (-100.0 if k == 4 else 1.0 + k) if k else Value(1.0)
    with pytest.raises(ValueError) as e:
        product.log()
    assert page.get_by_role("alert").inner_text() == str(e.value)
    page.locator("#quiz-on").check()
    page.locator("#health-on").check()
    close_clean(page, path)


def _pdf_text(pdf: bytes) -> tuple[str, int]:
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(p.extract_text() for p in reader.pages), len(reader.pages)


def test_print_offers_the_whole_lesson_and_the_phase_read_back_from_the_pdf(browser, cs_file):  # noqa: F811
    from tests.viz.test_stepper import TITLES

    page = open_page(browser, cs_file, "#step=9")  # backward pass, step 2
    text, pages = _pdf_text(page.pdf(format="A4"))  # Ctrl+P: the whole lesson at first
    assert all(title in text for title in TITLES), text[:300]
    assert "df/dx0 += df/ds0 · ∂s0/∂x0 = 0.20 × 2.00 = 0.39" in text  # with the chain rule
    assert 2 <= pages <= 6  # several steps per A4 page
    assert page.evaluate("page.position()") == 8  # the lesson goes on where it was
    page.evaluate("window.print = () => {}")  # headless Chromium has no print dialog
    page.locator("#print").click()
    page.get_by_role("button", name="Print the phase on screen").click()
    assert page.locator("#handout figure.print-step").count() == 6  # backward 0..5
    text, _ = _pdf_text(page.pdf(format="A4"))  # what the printer gets: the phase chosen
    assert [t for t in TITLES if t in text] == TITLES[6:]
    page.locator("#print").click()
    page.get_by_role("button", name="Print the whole lesson: every step, forward and "
                     "backward").click()
    assert page.locator("#handout figure.print-step").count() == 12
    assert page.evaluate("page.position()") == 8
    close_clean(page, cs_file)


def test_several_pages_in_one_notebook(browser, tmp_path):  # noqa: F811
    x = Value(2.0, label="x")
    first, second = stepper(cs231n()[0]), stepper((x * x).tanh())
    notebook = tmp_path / "notebook.html"
    notebook.write_text("<!DOCTYPE html><html><body>" + first._repr_html_() +
                        second._repr_html_() + "</body></html>", encoding="utf-8")
    page = open_page(browser, notebook)
    show_panel(page)
    frames = [f for f in page.frames if f != page.main_frame]
    assert len(frames) == 2
    titles = [f.locator("#title").inner_text() for f in frames]
    assert titles == ["Forward pass · 5 gates", "Forward pass · 2 gates"]
    frames[1].locator("#next").click()
    assert frames[1].locator("#title").inner_text().startswith("Forward step 1 of 2")
    assert frames[0].locator("#title").inner_text() == "Forward pass · 5 gates"
    close_clean(page, notebook)


# -- network mode ---------------------------------------------------------------------------------


def test_network_mode_steps_by_neuron_and_layer_with_the_models_deltas(browser, tmp_path):  # noqa: F811
    import nn

    model = nn.MLP(2, [4, 4, 1], activation="tanh", seed=1)
    loss = (model([0.5, -1.0]) - Value(1.0, label="y")) ** 2
    path = stepper(loss, tmp_path / "net.html", collapse=True)
    loss.backward()
    deltas = model.deltas()
    page = open_page(browser, path)
    show_panel(page)
    titles = []
    for _ in range(page.evaluate("page.last()")):
        page.keyboard.press("ArrowRight")
        titles.append(page.locator("#title").inner_text())
    neurons = [f"L{i}.N{j}" for i, n in ((1, 4), (2, 4), (3, 1)) for j in range(1, n + 1)]
    assert titles[:9] == [f"Forward step {k} of 11: neuron {key}"
                          for k, key in enumerate(neurons, start=1)]
    assert titles[9:11] == ["Forward step 10 of 11: sub gate → s47",
                            "Forward step 11 of 11: pow gate → f"]
    assert titles[11] == "Backward pass, layer by layer"
    for layer in (3, 2, 1):
        k = {3: 3, 2: 5, 1: 7}[layer]
        page.evaluate(f"page.go({12 + k})")
        assert page.locator("#title").inner_text() == \
            f"Backward step {k} of 8: error terms δ of layer L{layer}"
        shown = [line.rsplit(" = ", 1)[1] for line in
                 page.locator("#lines").inner_text().splitlines()]
        assert shown == [num(d) for d in deltas[layer - 1]]
        boxes = page.locator("#diagram g.node.neuron text").all_text_contents()
        for j, d in enumerate(deltas[layer - 1], start=1):
            assert f"δ {num(d)}" in boxes, (layer, j)
    page.evaluate("page.go(20)")  # the weights of layer 1: ∂L/∂w = δ · x
    table = page.locator("table.weights")  # a row per neuron: δ × x = ∂f/∂w, then the bias
    w = model.layers[0].neurons[0].w[0]
    assert table.locator("tr").first.inner_text().split("\t") == ["", "w1 · x1", "w2 · x2", "b"]
    assert table.locator("tr").nth(1).locator("td").first.inner_text() == \
        f"{num(deltas[0][0])} × 0.50 = {num(w.grad)}"
    cells = table.locator("td").all_inner_texts()
    page.locator("#lang").click()  # Chinese captions, the same numbers
    assert page.locator("#title").inner_text() == "反向传播第 8 步（共 8 步）：L1 层的权重"
    assert page.locator("table.weights td").all_inner_texts() == cells
    page.locator("#lang").click()
    page.locator("#neuron_L2_N3").click()
    assert page.locator("#neuron-gates h2").inner_text() == "Gates of L2.N3"
    # 9 gates (4 mul, 4 add, tanh), each forward then backward
    assert page.locator("#neuron-gates .count").inner_text().strip() == "1 / 18"
    page.get_by_role("button", name="next gate").click()
    assert page.locator("#neuron-gates pre").inner_text().startswith("s")
    close_clean(page, path)


def test_gradient_health_flags_saturation_dead_relu_and_sizes(browser, tmp_path):  # noqa: F811
    x, w = Value(6.0, label="x"), Value(-2.0, label="w")
    f = (x * 2.0).sigmoid() + (w * 3.0).relu() + (x * w).tanh()
    path = stepper(f, tmp_path / "health.html")
    page = open_page(browser, path)
    show_panel(page)
    page.locator("#health-on").check()
    notes = page.locator("#health-notes li").all_inner_texts()
    # sigmoid(12): local 6.1e-6 < 0.01; relu(-6): dead; tanh(-12): local 0.0000
    assert any(n.endswith("saturated sigmoid: local gradient 0.0000") for n in notes), notes
    assert any("dead relu: its input is -6.00" in n for n in notes), notes
    assert any("saturated tanh" in n for n in notes), notes
    assert page.locator("#diagram g.gate.flagged").count() == 3
    bands = page.locator("#diagram g.edge[data-band]").evaluate_all(
        "es => es.map(e => e.getAttribute('data-band'))")
    assert "0" in bands and "2" in bands
    page.locator("#health-on").uncheck()
    assert page.locator("#diagram g.gate.flagged").count() == 0
    close_clean(page, path)


def test_an_overflow_is_refused_with_the_python_message(browser, tmp_path):  # noqa: F811
    path = stepper(Value(1e300, label="x") * Value(2.0, label="y"), tmp_path / "ovf.html")
    page = open_page(browser, path)
    show_panel(page)
    page.get_by_role("textbox", name="y").fill("1e10")
    with pytest.raises(OverflowError) as e:
        Value(1e300, label="x") * Value(1e10, label="y")
    assert page.get_by_role("alert").inner_text() == str(e.value)
    assert page.evaluate("page.state().data[2]") == 2e300  # the last good state
    close_clean(page, path)


def test_a_screen_reader_hears_each_step_it_moves_to(browser, cs_file):  # noqa: F811
    page = open_page(browser, cs_file, "#step=7")
    show_panel(page)
    region = page.locator("#announce")
    assert region.get_attribute("aria-live") == "polite"
    page.keyboard.press("ArrowRight")
    # step 7 of 12 is the first backward step: the sigmoid gate at f, and its rule
    assert region.text_content() == ("Backward step 1 of 5: sigmoid gate at f. "
                                     "sigmoid: z(1 - z), the local derivative from the output z "
                                     "alone")
    page.get_by_role("textbox", name="x0").fill("3")  # an edit repaints but says nothing new
    assert region.text_content().startswith("Backward step 1 of 5")
    close_clean(page, cs_file)


def test_negating_zero_in_the_page_reads_as_python_writes_it(browser, tmp_path):  # noqa: F811
    # issue 13: never -0.00; the page's forward line is words.forward_line's twin
    x = Value(0.0, label="x")
    y = Value(-3.0, label="y")
    f = -x + -y
    f.label = "f"
    path = stepper(f, tmp_path / "neg.html")
    page = open_page(browser, path, "#step=2")  # forward step 1: s0 = -x
    show_panel(page)
    assert page.locator("#lines").text_content() == "s0 = -x = -(0.00) = 0.00"
    page.keyboard.press("ArrowRight")  # forward step 2: s1 = -y
    assert page.locator("#lines").text_content() == "s1 = -y = -(-3.00) = 3.00"
    close_clean(page, path)
