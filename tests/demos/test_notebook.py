"""demos/tour.ipynb: stored clean, equal to what demos/tour_notebook.py builds, and it runs
top to bottom in a fresh python3 kernel with the outputs a class expects."""

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
    assert "w0" in svgs[0] and "0.7311" in svgs[0] and "0.1966" not in svgs[0]
    assert "0.1966" in svgs[1]
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
    assert sum("image/png" in kinds for _, kinds in cells) == 2  # history.plot, the boundary
