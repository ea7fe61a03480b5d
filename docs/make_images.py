"""Regenerate the README's pictures: python docs/make_images.py (from the repository root).

- docs/diagram.png: the CS231n example f = sigmoid(w0*x0 + w1*x1 + w2) after backward.
- docs/mlp.png: nn.MLP(2, [4, 4, 1]) with one neuron per box (draw(..., collapse=True)).
<<<<<<< HEAD
- docs/stepper.png: the lesson page at its last backward step with the side panel open and the
  paths from x0, in headless Chromium (Playwright and /usr/bin/chromium, as in the tests), at a
  projector's 1280x720.
- docs/network.png: the lesson page's network mode for the MLP's loss, at the weights of layer
  L1 (the table of δ·x), at 1280x720.
=======
- docs/stepper.png: the lesson page at backward step 3, in headless Chromium (Playwright and
  /usr/bin/chromium, as in the tests), at a projector's 1280x720.
- docs/network.png: the lesson page's network mode for the MLP's loss, at the error terms δ of
  layer L2, at 1280x720.
- docs/layers.png: the layer view (viz.lesson) of the digits network MLP(64, [32, 10]) after
  three epochs in the page, at the notes' δ₁ = (δ₂ @ W₂ᵀ) ⊙ relu′(Z₁), one ∂L/∂W₂ cell opened
  as its sum over the samples, at 1280x720.
- docs/training.png: the two moons trained in the page (40 epochs), decision boundary and curves.
>>>>>>> main
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent))

import nn  # noqa: E402
from demos.digits import load_digits_split  # noqa: E402
from engine import Value  # noqa: E402
from viz import draw, lesson, stepper, to_png  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


def cs231n() -> Value:
    w0, x0, w1, x1, w2 = (Value(v, label=k) for k, v in
                          [("w0", 2.0), ("x0", -1.0), ("w1", -3.0), ("x1", -2.0), ("w2", -3.0)])
    f = (w0 * x0 + w1 * x1 + w2).sigmoid()
    f.label = "f"
    return f


def mlp_loss() -> Value:
    model = nn.MLP(2, [4, 4, 1], activation="tanh", seed=1)
    loss = (model([0.5, -1.0]) - Value(1.0, label="y")) ** 2
    loss.label = "loss"
    return loss


def digits_lesson(folder: Path) -> Path:
    s = load_digits_split(seed=0)
    return lesson(nn.MLP(64, [32, 10], init="he", seed=0), s.X_train, s.y_train,
                  folder / "digits.html", loss="cross_entropy", val=(s.X_val, s.y_val), lr=0.5,
                  batch_size=16, title="gategrad: the notes' network, 8x8 digits")


def moons_lesson(folder: Path) -> Path:
    X, y = nn.make_moons(200, noise=0.1, seed=0)
    (Xt, yt), (Xv, yv) = nn.split(X, y, 0.2, seed=0)
    return lesson(nn.MLP(2, [16, 16, 1], init="he", seed=0), Xt, yt, folder / "moons.html",
                  loss="bce", val=(Xv, yv), lr=0.5, batch_size=16,
                  title="gategrad: two moons, trained in the page")


def main() -> None:
    f = cs231n()
    f.backward()
    (DOCS / "diagram.png").write_bytes(to_png(draw(f, digits=2), dpi=110))
    loss = mlp_loss()
    loss.backward()
    (DOCS / "mlp.png").write_bytes(to_png(draw(loss, digits=2, collapse=True), dpi=90))

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        page_file = stepper(cs231n(), Path(tmp) / "steps.html",
                            title="gategrad: sigmoid(w0*x0 + w1*x1 + w2)")
        network_file = stepper(mlp_loss(), Path(tmp) / "network.html", collapse=True,
                               title="gategrad: MLP(2, [4, 4, 1]), squared error")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(page_file.as_uri() + "#step=12")  # the last backward step
            page.locator("#panel").click()  # the inputs, the update step and the paths
            page.evaluate("page.select(page.nodes.findIndex(n => n.name === 'x0'))")
            page.screenshot(path=str(DOCS / "stepper.png"))
            page.goto(network_file.as_uri() + "#step=21")  # backward: the weights of layer L1
            page.reload()
            page.screenshot(path=str(DOCS / "network.png"))
            page.goto(digits_lesson(Path(tmp)).as_uri() + "#step=6")  # δ₁ from δ₂
            page.evaluate("gategrad.train({epochs: 3})")
            page.evaluate("gategrad.select({n: 2, j: 4}); gategrad.bridge(2, 4, 3)")
            page.screenshot(path=str(DOCS / "layers.png"))
            page.goto(moons_lesson(Path(tmp)).as_uri())
            page.evaluate("gategrad.train({epochs: 40})")
            page.screenshot(path=str(DOCS / "training.png"))
            browser.close()
    for name in ("diagram.png", "mlp.png", "stepper.png", "network.png", "layers.png",
                 "training.png"):
        print(f"wrote docs/{name} ({(DOCS / name).stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
