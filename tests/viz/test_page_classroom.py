"""The lesson page in front of a class (issue 19), in Chromium at 1280x720: the clicker's keys
from anywhere, the address and the counter, the update step on the notes' exercise 1, the
projector's smallest text, and network mode over several samples against torch."""

from __future__ import annotations

import random

import pytest

import nn
from engine import Value
from grading.notes import hidden_relu_sigmoid, network_4_5_3
from tests.examples import cs231n
from tests.viz.page_driver import (  # noqa: F401
    SMALLEST_TEXT_JS,
    browser,
    close_clean,
    open_page,
    show_panel,
)
from tests.viz.test_stepper import TITLES
from viz import stepper
from words import num, operand

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def cs_file(tmp_path_factory):
    return stepper(cs231n()[0], tmp_path_factory.mktemp("classroom") / "cs.html")


def where(page) -> tuple[str, str, str]:
    return (page.locator("#title").inner_text(), page.locator("#counter").inner_text(),
            page.evaluate("location.hash"))


# -- the clicker ----------------------------------------------------------------------------------


@pytest.mark.parametrize("control", ["#quiz-on", "#health-on", "#next", "#zoom-in", "#print"])
def test_the_clickers_keys_step_after_a_click_on_any_control(browser, cs_file, control):  # noqa: F811
    page = open_page(browser, cs_file, "#step=3")
    page.locator(control).click()
    if control == "#print":
        page.locator("#print").click()  # the menu closes again
    checked = page.evaluate("[...document.querySelectorAll('header input[type=checkbox]')]"
                            ".map(c => c.checked)")
    start = page.evaluate("page.position()")
    for key, move in [("ArrowRight", 1), ("PageDown", 1), (" ", 1), ("ArrowLeft", -1),
                      ("PageUp", -1), ("PageDown", 1)]:
        before = page.evaluate("page.position()")
        page.keyboard.press(key)
        assert page.evaluate("page.position()") == before + move, (control, key)
    assert page.evaluate("page.position()") == start + 2
    assert page.evaluate("[...document.querySelectorAll('header input[type=checkbox]')]"
                         ".map(c => c.checked)") == checked  # space toggled nothing
    close_clean(page, cs_file)


def test_space_presses_a_control_reached_with_tab(browser, cs_file):  # noqa: F811
    page = open_page(browser, cs_file, "#step=3")
    page.locator("#quiz-on").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")  # the quiz checkbox, reached with the keyboard
    page.keyboard.press(" ")
    assert page.locator("#quiz-on").is_checked()
    assert page.evaluate("page.position()") == 2
    page.keyboard.press("ArrowRight")  # the arrows still step
    assert page.evaluate("page.position()") == 3
    close_clean(page, cs_file)


def test_a_text_field_keeps_its_keys_and_a_leaf_slider_its_arrows(browser, cs_file):  # noqa: F811
    page = open_page(browser, cs_file, "#step=3")
    show_panel(page)
    page.get_by_role("textbox", name="x0").click()
    for key in ("ArrowRight", " ", "PageDown"):
        page.keyboard.press(key)
    assert page.evaluate("page.position()") == 2  # typing, not stepping
    page.get_by_role("slider", name="w2").focus()
    page.keyboard.press("ArrowRight")  # moves w2
    assert page.evaluate("page.position()") == 2
    values = dict(zip(page.evaluate("page.nodes.map(n => n.name)"), page.evaluate("page.values()")))
    assert values["w2"] == pytest.approx(-3.0 + 0.01)
    page.keyboard.press("PageDown")  # the clicker still steps
    assert page.evaluate("page.position()") == 3
    close_clean(page, cs_file)


def test_the_address_and_the_counter_say_the_same_k(browser, cs_file):  # noqa: F811
    page = open_page(browser, cs_file, "#step=10")
    assert where(page) == (TITLES[9], "10 / 12", "#step=10")
    page.keyboard.press("Home")
    assert where(page) == (TITLES[0], "1 / 12", "#step=1")
    page.keyboard.press("End")
    assert where(page) == (TITLES[11], "12 / 12", "#step=12")
    close_clean(page, cs_file)
    for fragment, title, counter in [("#step=1", TITLES[0], "1 / 12"),
                                     ("#step=0", TITLES[0], "1 / 12"),
                                     ("#step=99", TITLES[11], "12 / 12")]:
        page = open_page(browser, cs_file, fragment)
        assert where(page)[:2] == (title, counter), fragment
        close_clean(page, cs_file)


# -- the update step ------------------------------------------------------------------------------


def test_the_update_step_moves_every_leaf_but_the_data_inputs_on_exercise_1(browser, tmp_path):  # noqa: F811
    # f = sigmoid(v·relu(w0·x0 + w1·x1 + b) + c) at x0=2, x1=3, w0=1.5, w1=0.5, b=-0.5, v=-1,
    # c=4, by hand: z = 4, h = 4, o = 0, f = 0.5, df/do = 0.25, so df/dc = 0.25,
    # df/dv = 0.25·h = 1, df/dz = 0.25·v = -0.25, df/dw0 = -0.5, df/dw1 = -0.75, df/db = -0.25.
    root, _ = hidden_relu_sigmoid().build()
    path = stepper(root, tmp_path / "ex1.html")
    page = open_page(browser, path)
    show_panel(page)
    assert page.locator("#moves").inner_text() == \
        "It moves v, w0, w1, b, c; the data inputs x0, x1 stay."  # the graph's order
    page.locator("#eta").fill("0.1")
    page.locator("#update").click()
    names = page.evaluate("page.nodes.map(n => n.name)")
    moved = dict(zip(names, page.evaluate("page.values()")))
    want = {"x0": 2.0, "x1": 3.0, "w0": 1.5 + 0.05, "w1": 0.5 + 0.075, "b": -0.5 + 0.025,
            "v": -1.0 - 0.1, "c": 4.0 - 0.025}
    assert {k: moved[k] for k in want} == pytest.approx(want, abs=1e-15)
    rows = [r.split("\t")[0] for r in page.locator("#update-out tr").all_inner_texts()[1:]]
    assert rows == ["v", "w0", "w1", "b", "c"]
    assert page.get_by_role("textbox", name="v").input_value() == str(-1.0 - 0.1)
    close_clean(page, path)


def test_inputs_are_chosen_by_name(browser, tmp_path):  # noqa: F811
    f, nodes = cs231n()
    path = stepper(f, tmp_path / "inputs.html", inputs=["x0", "w0"])
    page = open_page(browser, path)
    show_panel(page)
    assert page.locator("#moves").inner_text() == \
        "It moves w1, x1, w2; the data inputs w0, x0 stay."
    close_clean(page, path)
    with pytest.raises(ValueError, match="no leaf is named 'z'; the leaves are w0, w1, w2, x0"):
        stepper(f, inputs=["z"])
    with pytest.raises(ValueError, match="w0 is both a data input and a parameter"):
        stepper(f, inputs=["w0"], params=[nodes["w0"]])


# -- the projector --------------------------------------------------------------------------------


def _notes_pages(tmp_path) -> dict:
    w, b = Value(0.5, label="w"), Value(0.0, label="b")
    loss = (w * 2.0 + b - 4.0) ** 2  # notes exercise 2: pred = w·x + b, L = (pred − y)²
    loss.label = "L"
    params, network = network_4_5_3()
    return {"cs231n": cs231n()[0], "notes1": hidden_relu_sigmoid().build()[0],
            "notes2": loss, "notes3": network(*params)}


def test_no_text_under_14px_at_1280x720_and_the_picture_fits_or_follows(browser, tmp_path):  # noqa: F811
    for name, root in _notes_pages(tmp_path).items():
        path = stepper(root, tmp_path / f"{name}.html")
        page = open_page(browser, path)
        last = page.evaluate("page.last()")
        for p in sorted({0, 1, 3, last // 2, last - 1, last}):
            page.evaluate(f"page.go({p})")
            size, text = page.evaluate(SMALLEST_TEXT_JS)
            assert size >= 13.99, (name, p, size, text)
            inside = page.evaluate("""() => {
                const v = document.getElementById('diagram').getBoundingClientRect();
                const g = document.querySelector('#diagram g.gate.current');
                const r = (g || document.querySelector('#diagram svg')).getBoundingClientRect();
                return [r.left >= v.left - 1 && r.right <= v.right + 1 &&
                        r.top >= v.top - 1 && r.bottom <= v.bottom + 1, Boolean(g)];
            }""")
            assert inside[0] or not inside[1], (name, p)  # the active gate is in view
        fits = page.evaluate("picture.fits()")
        assert fits == (name in ("cs231n", "notes2")), name  # the whole picture, at 14 px
        if fits:
            box = page.evaluate("""() => {
                const s = document.querySelector('#diagram svg').getBoundingClientRect();
                const v = document.getElementById('stage').getBoundingClientRect();
                return [s.left >= v.left, s.right <= v.right, s.top >= v.top,
                        s.bottom <= v.bottom];
            }""")
            assert box == [True, True, True, True], name
        close_clean(page, path)


# -- network mode over several samples ------------------------------------------------------------


def _three_samples():
    model = nn.MLP(4, [5, 3], activation="tanh", seed=3)
    rng = random.Random(11)
    X = [[rng.uniform(-1, 1) for _ in range(4)] for _ in range(3)]
    Y = [[rng.uniform(-1, 1) for _ in range(3)] for _ in range(3)]
    loss = None
    for x, y in zip(X, Y):
        for out, target in zip(model(x), y):
            term = (out - target) ** 2
            loss = term if loss is None else loss + term
    loss.label = "L"
    return model, X, Y, loss


def _torch(model, X, Y):
    """The same network in torch float64: each sample's δ = dL/ds per layer, each layer's
    input per sample, and the gradient of every weight and bias."""
    import torch

    Ws = [torch.tensor([[w.data for w in ne.w] for ne in layer.neurons], dtype=torch.float64,
                       requires_grad=True) for layer in model.layers]
    bs = [torch.tensor([ne.b.data for ne in layer.neurons], dtype=torch.float64,
                       requires_grad=True) for layer in model.layers]
    x = torch.tensor(X, dtype=torch.float64)
    inputs, sums = [x], []
    for k, (W, b) in enumerate(zip(Ws, bs)):
        s = inputs[-1] @ W.T + b
        s.retain_grad()
        sums.append(s)
        inputs.append(torch.tanh(s) if k < len(Ws) - 1 else s)
    loss = ((inputs[-1] - torch.tensor(Y, dtype=torch.float64)) ** 2).sum()
    loss.backward()
    return [s.grad for s in sums], inputs[:-1], Ws, bs


def test_several_samples_every_term_names_its_sample_and_the_sums_are_torchs(browser, tmp_path):  # noqa: F811
    model, X, Y, loss = _three_samples()
    deltas, inputs, Ws, bs = _torch(model, X, Y)
    path = stepper(loss, tmp_path / "net3.html", collapse=True)
    page = open_page(browser, path)
    assert page.evaluate("page.data.net.samples") == 3
    # the page's own numbers: every weight's gradient equal to torch's to 1e-12
    grads = dict(zip(page.evaluate("page.nodes.map(n => n.name)"),
                     page.evaluate("Array.from(page.state().grad)")))
    for layer, (W, b) in enumerate(zip(Ws, bs), start=1):
        for j in range(W.shape[0]):
            for i in range(W.shape[1]):
                assert grads[f"L{layer}.N{j + 1}.w{i + 1}"] == pytest.approx(
                    W.grad[j, i].item(), rel=1e-12, abs=1e-15)
            assert grads[f"L{layer}.N{j + 1}.b"] == pytest.approx(b.grad[j].item(), rel=1e-12)
    backward = page.evaluate("page.data.net.forward.length") + 1
    units = page.evaluate("page.data.net.backward")
    for sample in range(3):
        page.locator("#sample").select_option(str(sample + 1))
        for k, unit in enumerate(units, start=1):
            if "layer" not in unit:
                continue
            page.evaluate(f"page.go({backward + k})")
            layer = unit["layer"]
            if unit["kind"] == "delta":
                lines = page.locator("#lines").inner_text().splitlines()
                assert len(lines) == Ws[layer - 1].shape[0]
                for j, line in enumerate(lines):
                    assert line.startswith(f"sample {sample + 1}: δ(L{layer}.N{j + 1}) = ")
                    assert line.endswith(" = " + num(deltas[layer - 1][sample, j].item()))
                continue
            table = page.locator("table.weights")
            assert table.locator("caption").inner_text() == \
                f"the terms of sample {sample + 1} of 3; Σ: the sum over the samples"
            rows = table.locator("tr").all()[1:]
            for j, row in enumerate(rows):
                cells = row.locator("td").all_inner_texts()
                delta = deltas[layer - 1][sample, j].item()
                for i, cell in enumerate(cells[:-1]):
                    total, term = cell.split("\n")
                    x = inputs[layer - 1][sample, i].item()
                    assert total == "Σ " + num(Ws[layer - 1].grad[j, i].item())
                    assert term == f"{num(delta)} × {operand(x)} = {num(delta * x)}"
                assert cells[-1] == f"Σ {num(bs[layer - 1].grad[j].item())}\n{num(delta)}"
    size, text = page.evaluate(SMALLEST_TEXT_JS)
    assert size >= 13.99, text
    fits = page.evaluate("[document.getElementById('caption').scrollHeight, "
                         "document.getElementById('caption').clientHeight, "
                         "document.querySelector('table.weights').getBoundingClientRect().right]")
    assert fits[0] <= fits[1] and fits[2] <= 1280  # the table fits: no scrolling, no overflow
    close_clean(page, path)


def test_the_stepper_command_takes_inputs_by_name(browser, tmp_path):  # noqa: F811
    from tests.gategrad.test_cli import gategrad

    done = gategrad("stepper", "tanh(w*x + b) * y", "--set", "w=0.5", "x=2", "b=-1", "y=3",
                    "--inputs", "w", "y", "-o", "p.html", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    page = open_page(browser, tmp_path / "p.html")
    show_panel(page)
    assert page.locator("#moves").inner_text() == "It moves x, b; the data inputs w, y stay."
    assert page.title() == "gategrad: tanh(w*x + b) * y"
    page.locator("#lang").click()  # the expression's title in Chinese, with its punctuation
    assert page.title() == "gategrad：tanh(w*x + b) * y"
    close_clean(page, tmp_path / "p.html")
    done = gategrad("stepper", "w*x", "--set", "w=1", "x=2", "--inputs", "q", cwd=tmp_path)
    assert done.returncode == 1
    assert "no leaf is named 'q'; the leaves are w, x" in done.stderr
