"""Writes demos/tour.ipynb: the tour as a notebook, kept as text here so its diff stays small.

The notebook is stored without outputs; tests/demos checks that the stored file equals what
this script builds, and executes it top to bottom. After editing the cells below, rebuild it:

    python -m demos.tour_notebook
"""

from __future__ import annotations

from pathlib import Path

PATH = Path(__file__).with_name("tour.ipynb")

# (kind, source): markdown or code, in order.
CELLS: list[tuple[str, str]] = [
    ("markdown", """\
# gategrad: a tour

The path of the lectures: a graph of gates, the chain rule run one gate at a time, a neuron,
a small network trained, and the same graph compiled to run a whole batch at once.
Run it top to bottom (*Kernel → Restart & Run All*); it takes well under a minute."""),
    ("code", """\
import numpy as np

import engine
import viz
from engine import Value"""),
    ("markdown", """\
## 1. Gates: f = σ(w0·x0 + w1·x1 + w2)

The CS231n example. Every operation is a gate node; every value is a record with its `data`
(and, after the backward pass, its `grad`)."""),
    ("code", """\
w0, x0 = Value(2.0, label="w0"), Value(-1.0, label="x0")
w1, x1 = Value(-3.0, label="w1"), Value(-2.0, label="x1")
w2 = Value(-3.0, label="w2")
s0, s1 = w0 * x0, w1 * x1
s2 = s0 + s1
s3 = s2 + w2
f = s3.sigmoid()
s0.label, s1.label, s2.label, s3.label, f.label = "s0", "s1", "s2", "s3", "f"
viz.draw(f, show_grad=False)"""),
    ("code", "print(viz.forward_table(f))"),
    ("markdown", """\
## 2. The backward pass, gate by gate

Each step takes the gradient arriving at a gate's output (upstream), multiplies it by the
gate's local derivative, and adds the product to the input's `grad`. The rules are short:
*add distributes*, *mul swaps*, *sigmoid: z(1 − z)*."""),
    ("code", "print(viz.steps_table(f, chain_rule=True))"),
    ("code", """\
f.backward()
print({v.label: round(v.grad, 4) for v in (w0, x0, w1, x1, w2)})
viz.draw(f)"""),
    ("markdown", """\
A frame: the same graph after the first two backward steps (the gradients not computed yet
are blank). `viz.stepper(f, "steps.html")` writes all the frames to one HTML page to click
through."""),
    ("code", "viz.draw(f, step=2)"),
    ("markdown", """\
## 3. A neuron

z = w·x + b, a = relu(z), L = (a − y)². On paper, the chain rule gives
∂L/∂wᵢ = 2(a − y) · relu′(z) · xᵢ. The engine gets the same numbers, and `gradcheck` confirms
them with finite differences."""),
    ("code", """\
from nn import Neuron

x, y = [0.5, -1.5, 2.0], 1.0
neuron = Neuron(3, "relu")
for w, value in zip(neuron.w, [0.8, -0.4, 0.3]):
    w.data = value
neuron.b.data = 0.1

a = neuron(x)
L = (a - y) ** 2
L.label = "L"
L.backward()
z = neuron.s.data
by_hand = [2 * (a.data - y) * (1.0 if z > 0 else 0.0) * xi for xi in x]
print("engine :", [round(w.grad, 6) for w in neuron.w])
print("by hand:", [round(g, 6) for g in by_hand])
viz.draw(L)"""),
    ("code", """\
def loss_of(w1, w2, w3, b):
    z = w1 * x[0] + w2 * x[1] + w3 * x[2] + b
    return (z.relu() - y) ** 2

print(engine.gradcheck(loss_of, neuron.parameters()))"""),
    ("markdown", """\
## 4. A small network, trained

micrograd's demo: 100 points in two moons, `MLP(2, [16, 16, 1])`, hinge loss plus a little L2,
SGD whose learning rate falls from 1 to 0.1. `fit` repeats forward, loss, backward, update;
`batched=True` traces one sample's graph and replays it over the batch with numpy (the scalar
path gives the same numbers, only slower)."""),
    ("code", """\
from nn import MLP, SGD, LinearLR, fit, make_moons

X, y = make_moons(100, noise=0.1, signed=True)
model = MLP(2, [16, 16, 1], seed=1337)
opt = SGD(model.parameters(), lr=1.0)
history = fit(model, X, y, loss="hinge", optimizer=opt, l2=1e-4, epochs=100,
              scheduler=LinearLR(opt, 1.0, 0.1, total_iters=100), batched=True, progress=False)
print(f"accuracy after {history.steps} steps: {history.train_acc[-1]:.0%}")
history.plot();"""),
    ("markdown", """\
A network is drawn like any other graph; `collapse=True` shows each neuron as one box with its
s, its activation and its error term δ = dL/ds. Here a tiny one, `MLP(2, [3, 1])`:"""),
    ("code", """\
tiny = MLP(2, [3, 1], seed=0)
out = tiny([1.0, -2.0])
out.backward()
viz.draw(out, collapse=True)"""),
    ("markdown", """\
## 5. `engine.compile_replay`: the same graph, a whole batch at once

Trace the model's graph for one symbolic sample, then run it over any number of rows with
numpy. Here 40,000 points of the plane in one call, to draw the decision boundary."""),
    ("code", """\
xs = [Value(0.0, label="x1"), Value(0.0, label="x2")]
program = engine.compile_replay(model(xs), inputs=xs)
scores = program.forward(X)
print("first point, replay:", scores[0], " scalar path:", model(X[0].tolist()).data)
print("accuracy:", np.mean(np.sign(scores) == y))"""),
    ("code", """\
import matplotlib.pyplot as plt

xx, yy = np.meshgrid(np.linspace(-1.6, 2.6, 200), np.linspace(-1.1, 1.6, 200))
zz = program.forward(np.column_stack([xx.ravel(), yy.ravel()])).reshape(xx.shape)
plt.contourf(xx, yy, zz > 0, levels=[-0.5, 0.5, 1.5], colors=["#fde0c5", "#c6dbef"])
plt.scatter(X[:, 0], X[:, 1], c=y, cmap="coolwarm_r", edgecolors="k")
plt.title("Decision boundary: score > 0 in blue")
plt.show()"""),
    ("markdown", """\
## 6. The other lessons

Each lesson of `python -m demos` runs here too, shortened (`quick=True`). Their pictures go
to a temporary folder, not into the repository."""),
    ("code", """\
import tempfile
from pathlib import Path

from IPython.display import Image, display

import demos

out = tempfile.mkdtemp(prefix="gategrad-lessons-")


def show_pictures(result):
    \"\"\"Display the PNG files a lesson wrote (its result holds their paths).\"\"\"
    for value in result.values():
        for path in value if isinstance(value, list) else [value]:
            if isinstance(path, Path) and path.suffix == ".png":
                display(Image(filename=path))"""),
]

# What the tour's own sections already teach; every other lesson gets its cells below.
IN_THE_TOUR = ("tour", "gates", "neuron", "moons")
# A few words before a lesson's cell; a lesson without them is introduced by its DEMOS line.
LESSON_NOTES = {
    "matrix": """\
Y = XW built from mul and add gates: the engine's dL/dX and dL/dW are G·Wᵀ and Xᵀ·G, the shape
rule of matrix backprop, and the Jacobian shows why.""",
    "gradcheck": """\
Analytic gradients against central finite differences; then a wrong tanh rule is planted in
the gate table and gradcheck points at the parameters below it.""",
    "digits": """\
Train, validation and test sets, split once: the curves come from validation, the test set is
counted once at the end.""",
    "debugging": """\
Learning rates too low and too high, overfitting 20 samples as a sanity check, vanishing and
exploding gradients, and clipping.""",
}


def lesson_cells() -> list[tuple[str, str]]:
    """A markdown and a code cell for every lesson in demos.DEMOS the tour does not cover."""
    from demos import DEMOS

    cells = []
    for name, text in DEMOS.items():
        if name in IN_THE_TOUR:
            continue
        cells.append(("markdown", f"### `{name}`: {text}\n\n{LESSON_NOTES.get(name, '')}".strip()))
        cells.append(("code", f'result = demos.run("{name}", out_dir=out, quick=True)\n'
                              f"show_pictures(result)"))
    return cells


END: list[tuple[str, str]] = [
    ("markdown", """\
## 中文

The same graph and plot for a Chinese class: every table, caption, diagram and figure speaks
the lecture notes' Chinese with `lang="zh"` (or `GATEGRAD_LANG=zh` for everything)."""),
    ("code", """\
print(viz.steps_table(f, lang="zh"))
history.plot(lang="zh")
viz.draw(f, lang="zh")"""),
    ("markdown", """\
## Next

The same lessons from a terminal: `python -m demos NAME` (or `gategrad demo NAME`) runs one in
full and writes its pictures to `out/`; `python -m demos` lists them all."""),
]


def build():
    """The notebook as an nbformat NotebookNode, without outputs."""
    import nbformat

    new = {"markdown": nbformat.v4.new_markdown_cell, "code": nbformat.v4.new_code_cell}
    nb = nbformat.v4.new_notebook()
    nb.cells = [new[kind](source) for kind, source in CELLS + lesson_cells() + END]
    for k, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{k:02d}"  # stable ids: rebuilding gives the same file
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    return nb


def text() -> str:
    """The .ipynb file's text, exactly as stored."""
    import nbformat

    return nbformat.writes(build()) + "\n"


def main() -> None:
    PATH.write_text(text())
    print(f"wrote {PATH}")


if __name__ == "__main__":
    main()
