"""demos/tour.ipynb: stored clean, equal to what demos/tour_notebook.py builds, and it runs
top to bottom in a fresh python3 kernel with the outputs a class expects."""

import base64
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[2] / "demos" / "tour.ipynb"


def test_stored_notebook_is_clean_and_built_from_the_script():
    from demos import tour_notebook

    assert NOTEBOOK.read_text() == tour_notebook.text(), \
        "demos/tour.ipynb is stale: run python -m demos.tour_notebook"
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert len(code) >= 10
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    assert nb.metadata.kernelspec.name == "python3"


def test_every_lesson_has_a_cell():
    """The lessons the tour does not teach itself each run in a cell of their own."""
    import demos

    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    lessons = [name for name in demos.DEMOS if name not in ("tour", "gates", "neuron", "moons")]
    assert {"matrix", "gradcheck", "digits", "debugging"} <= set(lessons)
    for name in lessons:
        assert sum(f'demos.run("{name}", out_dir=out, quick=True)' in s for s in code) == 1, name


def outputs_of(cell) -> tuple[str, set[str]]:
    """(printed text and text results, the MIME types of rich results) of one executed cell."""
    text, kinds = [], set()
    for out in cell.outputs:
        if out.output_type == "stream":
            text.append(out.text)
        elif out.output_type in ("execute_result", "display_data"):
            kinds |= set(out.data)
            text.append(out.data.get("text/plain", ""))
        elif out.output_type == "error":
            pytest.fail(f"{out.ename}: {out.evalue}")
    return "".join(text), kinds


@pytest.mark.slow
def test_notebook_runs_top_to_bottom(tmp_path):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    # The kernel starts where a user opens the notebook; the notebook writes no files.
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    cells = [outputs_of(c) for c in nb.cells if c.cell_type == "code"]
    text = "\n".join(t for t, _ in cells)
    # Diagrams display inline as SVG (the gates graph, after backward, a frame, the neuron).
    assert sum("image/svg+xml" in kinds for _, kinds in cells) >= 5
    svgs = [out.data["image/svg+xml"] for c in nb.cells if c.cell_type == "code"
            for out in c.outputs if "image/svg+xml" in out.get("data", {})]
    # Before backward: the values (f = σ(1) = 0.7311), no gradients; after: df/dw2 = 0.1966.
    # Diagrams show the one default of 2 decimals (issue 13), as the tables do.
    assert "w0" in svgs[0] and "0.73" in svgs[0] and "0.20" not in svgs[0]
    assert "0.20" in svgs[1]
    # CS231n's numbers: f = 0.73, df/dw0 = -0.20 ... (hand arithmetic: σ(1)(1 - σ(1)) = 0.1966)
    assert "f = sigmoid(s3) = sigmoid(1.00) = 0.73" in text
    assert "{'w0': -0.1966, 'x0': 0.3932, 'w1': -0.3932, 'x1': -0.5898, 'w2': 0.1966}" in text
    # The neuron: z = 1.7, dL/dz = 2(1.7 - 1) = 1.4, times x = (0.5, -1.5, 2.0).
    assert "engine : [0.7, -2.1, 2.8]" in text and "by hand: [0.7, -2.1, 2.8]" in text
    assert "gradcheck passed" in text
    assert "accuracy after 100 steps: 100%" in text and "accuracy: 1.0" in text
    line = next(t for t in text.splitlines() if t.startswith("first point, replay:"))
    replay, scalar = line.split(":")[1].split()[0], line.split(":")[2].split()[0]
    assert float(replay) == pytest.approx(float(scalar), rel=1e-12)
    # The tour's own pictures: history.plot and the boundary (before the lessons' section).
    lessons_start = next(k for k, c in enumerate(code_cells(nb)) if "show_pictures" in c.source)
    assert sum("image/png" in kinds for _, kinds in cells[:lessons_start]) == 2

    # Every diagram also comes as HTML that fits the cell: the same SVG as an image, 100% wide
    # up to its natural width, height from its proportions.
    for c in code_cells(nb):
        for out in c.outputs:
            data = out.get("data", {})
            if "image/svg+xml" in data:
                svg = data["image/svg+xml"]
                natural = re.search(r'<svg[^>]*width="([0-9.]+pt)"', svg)[1]
                html = data["text/html"]
                embedded = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', html)[1]
                assert base64.b64decode(embedded).decode("utf-8") == svg
                assert f"width: 100%; max-width: {natural}; height: auto" in html

    # The lessons: each ran, printed its result and showed its pictures.
    def lesson(name):
        return next(outputs_of(c) for c in code_cells(nb) if f'demos.run("{name}"' in c.source)

    assert "12 of 24 entries are non-zero" in lesson("matrix")[0]  # 4 outputs x 3 inputs each
    # 2-3-1 network: 6 + 3 parameters below the tanh gates of 13 in all.
    assert "gradcheck caught the bug in 9 of 13 gradients" in lesson("gradcheck")[0]
    digits_text, _ = lesson("digits")
    assert "1079 images to train on, 359 for validation" in digits_text
    assert "validation = test set" not in digits_text
    debugging_text, _ = lesson("debugging")
    assert "overfit check passed" in debugging_text and "overfit check FAILED" in debugging_text
    pngs = {name: sum(1 for c in code_cells(nb) if f'demos.run("{name}"' in c.source
                      for o in c.outputs if "image/png" in o.get("data", {}))
            for name in ("digits", "debugging")}
    assert pngs == {"digits": 2, "debugging": 4}  # training + mistakes; one per experiment

    # The Chinese cell: the notes' words, its figure and diagram drawn, and not one line about
    # fonts (matplotlib's findfont lines, missing glyphs), even where matplotlib's font cache
    # was built before the CJK font arrived (words.fonts finds it).
    chinese = next(c for c in code_cells(nb) if 'lang="zh"' in c.source)
    text, kinds = outputs_of(chinese)
    assert "乘法门      梯度交叉相乘" in text and "反向传播以 df/df = 1 开始" in text
    assert {"image/png", "image/svg+xml"} <= kinds
    assert not [o for o in chinese.outputs if o.output_type == "stream" and o.name == "stderr"]
    assert "findfont" not in text and "missing from" not in text


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]
