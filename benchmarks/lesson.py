"""The lesson page's layer view and training against the old network mode, side by side.

    python -m benchmarks.lesson            # the table; writes benchmarks/lesson_results.md
    python -m benchmarks.lesson --quick    # skips the old network mode (about a minute)

The old network mode is ``viz.stepper(loss, collapse=True)``, the page issue 18 found unusable
past the notes' smallest example. The new page is ``viz.lesson``. Times inside headless
Chromium are performance.now() medians; build and open times are the best of a few runs. The
last row times the replay the page's plan comes from against torch eager (one thread each).
"""

from __future__ import annotations

import argparse
import datetime
import multiprocessing
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np  # noqa: F401 - after benchmarks/__init__ limited the BLAS to one thread
import torch

import nn
import viz
from engine import Value
from nn.losses import get_loss
from nn.step import BatchedPath
from tests.nn.idx import synthetic_digits, write_mnist

from .page import _met, _table

HERE = Path(__file__).parent
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
OLD_LIMIT = 60.0  # seconds the old network mode may take on the notes' network before we stop

STEP_JS = """() => {
  const s = [], r = [], p = [];
  for (let k = 0; k < 21; k++) {
    let t0 = performance.now();
    gategrad.trainer.step();
    s.push(performance.now() - t0);
    t0 = performance.now();
    gategrad.repaint(false, true);  // as while playing: the view of the step just made
    document.body.getBoundingClientRect();
    r.push(performance.now() - t0);
  }
  gategrad.moveTo(0);
  for (let k = 0; k < 21; k++) {  // paused: another equation of the same numbers
    const t0 = performance.now();
    gategrad.moveTo(1 + k % gategrad.last);
    document.body.getBoundingClientRect();
    p.push(performance.now() - t0);
  }
  const stat = a => { a.sort((x, y) => x - y); return [a[10], a[0]]; };
  return [stat(s), stat(r), stat(p)];
}"""

DIGITS_JS = """() => {
  const t0 = performance.now();
  let m = null;
  for (let e = 0; e < 60; e++) {
    m = gategrad.trainer.train({epochs: 1});
    if (m.val_accuracy >= 0.95) break;
  }
  return [performance.now() - t0, m.epoch, m.val_accuracy];
}"""


def best(runs: int, fn) -> tuple[float, object]:
    times, out = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def _old_network(loss: Value, path: Path) -> None:
    viz.stepper(loss, path, collapse=True, max_nodes=10**7)


def old_network_mode(loss_builder, path: Path, limit: float) -> tuple[float | None, int]:
    """Build time and size of the old network-mode page, or (None, 0) past ``limit`` seconds."""
    process = multiprocessing.get_context("fork").Process(target=lambda: _old_network(
        loss_builder(), path))
    t0 = time.perf_counter()
    process.start()
    process.join(limit)
    if process.is_alive():
        process.terminate()
        process.join()
        return None, 0
    return time.perf_counter() - t0, path.stat().st_size


def ce_loss(sizes: list[int], samples: int) -> Value:
    model = nn.MLP(sizes[0], sizes[1:], seed=0)
    rng = np.random.default_rng(0)
    X, y = rng.random((samples, sizes[0])), rng.integers(0, sizes[-1], samples)
    return nn.cross_entropy([model(list(x)) for x in X.tolist()], y.tolist())


def mnist_lesson(out: Path) -> Path:
    folder = write_mnist(out / "mnist", synthetic_digits(64, seed=1), synthetic_digits(16, seed=2))
    data = nn.load_mnist(folder)
    return viz.lesson(nn.MLP(784, [64, 32, 10], init="he", seed=0), data.X_train, data.y_train,
                      out / "notes.html", loss="cross_entropy", val=(data.X_test, data.y_test),
                      lr=0.1, batch_size=64)


def digits_lesson(out: Path) -> Path:
    from demos.digits import load_digits_split

    s = load_digits_split(seed=0)
    return viz.lesson(nn.MLP(64, [32, 10], init="he", seed=0), s.X_train, s.y_train,
                      out / "digits.html", loss="cross_entropy", val=(s.X_val, s.y_val), lr=0.5,
                      batch_size=16)


def old_edit_ms(page, path: Path) -> float:
    page.goto(path.as_uri())
    return page.evaluate("""() => {
      const leaf = page.nodes.findIndex(n => n.leaf && n.name.endsWith('.w1'));
      const t = [];
      for (let k = 0; k < 11; k++) { const t0 = performance.now(); const v = page.values();
        v[leaf] = 0.1 + 0.01 * k; page.edit(v);
        document.body.getBoundingClientRect(); t.push(performance.now() - t0); }
      return t.sort((a, b) => a - b)[5];
    }""")


def replay_against_torch(repeat: int = 9) -> tuple[float, float]:
    """Seconds per forward + backward of the mean cross-entropy, B = 256, MLP(64, [32, 10])."""
    torch.set_num_threads(1)
    model = nn.MLP(64, [32, 10], init="he", seed=0)
    program = BatchedPath(model, get_loss("cross_entropy"), 64, 10)._trace()
    rng = np.random.default_rng(0)
    X, y = rng.random((256, 64)), rng.integers(0, 10, 256)
    feed, seed = np.hstack([X, np.eye(10)[y]]), np.zeros((256, 11))
    seed[:, 0] = 1 / 256
    W1 = torch.tensor([[w.data for w in n.w] for n in model.layers[0].neurons],
                      dtype=torch.float64).T.contiguous().requires_grad_()
    W2 = torch.tensor([[w.data for w in n.w] for n in model.layers[1].neurons],
                      dtype=torch.float64).T.contiguous().requires_grad_()
    b1 = torch.zeros(32, dtype=torch.float64, requires_grad=True)
    b2 = torch.zeros(10, dtype=torch.float64, requires_grad=True)
    Xt, yt = torch.tensor(X), torch.tensor(y)

    def ours():
        program.forward(feed)
        program.backward(seed)

    def theirs():
        for p in (W1, b1, W2, b2):
            p.grad = None
        z = torch.relu(Xt @ W1 + b1) @ W2 + b2
        torch.nn.functional.cross_entropy(z, yt).backward()

    loss_ours = float(program.forward(feed)[:, 0].mean())
    z = torch.relu(Xt @ W1 + b1) @ W2 + b2
    assert abs(loss_ours - float(torch.nn.functional.cross_entropy(z, yt))) < 1e-12
    times = {"ours": [], "theirs": []}
    for fn in (ours, theirs):
        fn()
    for _ in range(repeat):  # interleaved, so that a busy machine slows both alike
        for name, fn in (("ours", ours), ("theirs", theirs)):
            t0 = time.perf_counter()
            for _ in range(50):
                fn()
            times[name].append((time.perf_counter() - t0) / 50)
    return statistics.median(times["ours"]), statistics.median(times["theirs"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the old network mode")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    rows: list[tuple[str, str, str, str]] = []
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        out = Path(tmp)
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 720})

        # the middle case: MLP(32, [32, 32, 10]) with cross-entropy, one sample
        mid = "MLP(32,[32,32,10]), one sample"
        if args.quick:
            old = ("(skipped)", "(skipped)", "(skipped)")
        else:
            t, size = old_network_mode(lambda: ce_loss([32, 32, 32, 10], 1), out / "old.html",
                                       OLD_LIMIT)
            old = (f"{t:.1f} s", f"{size / 1e6:.1f} MB",
                   f"{old_edit_ms(page, out / 'old.html'):.0f} ms") if t else (
                f"> {OLD_LIMIT:.0f} s", "—", "—")
        X = np.random.default_rng(0).random((1, 32))
        t, path = best(3, lambda: viz.lesson(nn.MLP(32, [32, 32, 10], seed=0), X, [3],
                                             out / "mid.html", loss="cross_entropy"))
        page.goto(path.as_uri())
        step, paint, move = page.evaluate(STEP_JS)
        rows += [(f"{mid}: page built", old[0], f"{t:.2f} s", "—"),
                 (f"{mid}: size", old[1], f"{path.stat().st_size / 1e3:.0f} KB", "—"),
                 (f"{mid}: an edit (old) / a step's repaint (new)", old[2], _ms(paint),
                  _met(paint[0] < 16, "< 16 ms"))]

        # the notes' network: MLP(784, [64, 32, 10]) with 64 samples
        notes = "MLP(784,[64,32,10]), 64 samples"
        if args.quick:
            old_t = "(skipped)"
        else:
            t_old, _ = old_network_mode(lambda: ce_loss([784, 64, 32, 10], 64),
                                        out / "old_notes.html", OLD_LIMIT)
            old_t = f"{t_old:.1f} s" if t_old else f"> {OLD_LIMIT:.0f} s (stopped)"
        t, path = best(3, lambda: mnist_lesson(out))
        size = path.stat().st_size
        opened, _ = best(3, lambda: page.goto(path.as_uri()))
        step, paint, move = page.evaluate(STEP_JS)
        rows += [(f"{notes}: page built", old_t, f"{t:.2f} s", _met(t < 5, "< 5 s")),
                 (f"{notes}: size", "—", f"{size / 1e6:.2f} MB", _met(size <= 2e6, "≤ 2 MB")),
                 (f"{notes}: opened", "—", f"{opened:.2f} s", _met(opened < 2, "< 2 s")),
                 (f"{notes}: one SGD step, batch 64", "—", _ms(step),
                  _met(step[0] < 16, "< 16 ms")),
                 (f"{notes}: the repaint after a step (layer view, curves)", "—", _ms(paint),
                  _met(paint[0] < 16, "< 16 ms")),
                 (f"{notes}: moving to another equation repaints", "—", _ms(move),
                  _met(move[0] < 16, "< 16 ms"))]

        # digits in the page: SGD η 0.5, batches of 16, until 95% validation accuracy
        path = digits_lesson(out)
        page.goto(path.as_uri())
        ms, epochs, accuracy = page.evaluate(DIGITS_JS)
        rows.append(("digits MLP(64,[32,10]) in the page to ≥ 95% validation accuracy", "—",
                     f"{ms / 1e3:.1f} s ({epochs} epochs, {accuracy:.1%})",
                     _met(accuracy >= 0.95 and ms < 30_000, "< 30 s")))
        browser.close()
    ours, theirs = replay_against_torch()
    rows.append(("replay MLP(64,[32,10]) + cross_entropy, B=256, forward + backward",
                 f"torch eager {theirs * 1e3:.2f} ms", f"{ours * 1e3:.2f} ms "
                 f"({ours / theirs:.2f}x torch)", _met(ours / theirs <= 2, "≤ 2x torch")))
    table = _table(rows, old="old network mode")
    print(table)
    if not args.quick:
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        (HERE / "lesson_results.md").write_text(
            "# The lesson page (issue 18) against the old network mode\n\n"
            f"`python -m benchmarks.lesson`, {stamp}, {platform.machine()}, "
            f"Python {platform.python_version()}, headless Chromium at 1280x720; torch "
            f"{torch.__version__} and numpy on one thread each. Load average "
            f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after, on 2 cores (other "
            "work on the machine slows every row alike; in-page times are the median of 21, "
            "the best in brackets).\n\n" + table + "\n",
            encoding="utf-8")


def _ms(times: list[float]) -> str:
    """Median (best) of the in-page timings."""
    return f"{times[0]:.1f} ms (best {times[1]:.1f})"


if __name__ == "__main__":
    main()
