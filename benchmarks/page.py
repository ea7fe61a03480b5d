"""The lesson page against the old per-frame stepper: size, build time, live-edit time.

    python -m benchmarks.page            # the table; writes benchmarks/page_results.md
    python -m benchmarks.page --quick    # skips the old stepper on the MLP (about 15 s alone)

The old stepper is benchmarks/old_stepper.py (viz/stepper.py before the page, kept only as the
baseline). Build times are the best of a few runs (one run of dot each); the live edit is
measured inside headless Chromium with performance.now(): one leaf changed, forward and
backward recomputed, every cell repainted and the layout forced, median of 40 edits.
"""

from __future__ import annotations

import argparse
import datetime
import platform
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import nn
from engine import Value
from tests.examples import cs231n
from viz import stepper

from .old_stepper import old_stepper

HERE = Path(__file__).parent
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

EDIT_JS = """async () => {
  const leaf = page.nodes.findIndex(n => n.leaf && n.name.endsWith('.w1'));
  const times = [];
  for (let k = 0; k < 41; k++) {
    const t0 = performance.now();
    const values = page.values();
    values[leaf] = 0.1 + 0.01 * k;
    page.edit(values);
    document.body.getBoundingClientRect();  // force style and layout of the repainted cells
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return [times[20], times[times.length - 1]];
}"""


def mlp_loss(sizes: list[int]) -> Value:
    model = nn.MLP(2, sizes, activation="tanh", seed=1)
    return (model([0.5, -1.0]) - Value(1.0, label="y")) ** 2


def best_of(runs: int, build: Callable[[], Path]) -> tuple[float, int]:
    """(seconds of the fastest run, size in bytes of what it wrote)."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        path = build()
        times.append(time.perf_counter() - t0)
    return min(times), path.stat().st_size


def live_edit_ms(path: Path) -> tuple[float, float]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.goto(path.as_uri() + "#step=40")
        median, worst = page.evaluate(EDIT_JS)
        browser.close()
    return median, worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the old stepper on the MLP")
    args = parser.parse_args()
    rows: list[tuple[str, str, str, str]] = []  # case, old, new, target
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        f = cs231n()[0]
        old_t, old_b = best_of(2, lambda: old_stepper(f, out / "old_cs.html"))
        new_t, new_b = best_of(3, lambda: stepper(f, out / "cs.html"))
        rows.append(("CS231n page: size", f"{old_b / 1e3:.0f} KB", f"{new_b / 1e3:.1f} KB",
                     _met(new_b <= 85_000, "≤ 85 KB")))
        rows.append(("CS231n page: build", f"{old_t:.2f} s", f"{new_t:.2f} s",
                     _met(new_t < 1, "< 1 s")))
        loss = mlp_loss([4, 4, 1])
        if args.quick:
            old = ("(skipped)", "(skipped)")
        else:
            old_t, old_b = best_of(1, lambda: old_stepper(loss, out / "old_mlp.html"))
            old = (f"{old_b / 1e6:.1f} MB", f"{old_t:.1f} s")
        new_t, new_b = best_of(3, lambda: stepper(loss, out / "mlp.html"))
        rows.append(("MLP(2,[4,4,1]) + loss, uncollapsed: size", old[0],
                     f"{new_b / 1e6:.2f} MB", _met(new_b <= 1_000_000, "≤ 1 MB")))
        rows.append(("MLP(2,[4,4,1]) + loss, uncollapsed: build", old[1], f"{new_t:.2f} s",
                     _met(new_t < 3, "< 3 s")))
        big = mlp_loss([16, 16, 1])
        net_t, net_b = best_of(3, lambda: stepper(big, out / "net16.html", collapse=True,
                                                  max_nodes=5000))
        rows.append(("MLP(2,[16,16,1]) network mode: build", "—",
                     f"{net_t:.2f} s ({net_b / 1e3:.0f} KB)", _met(net_t < 5, "< 5 s")))
        median, worst = live_edit_ms(out / "mlp.html")
        rows.append(("MLP(2,[4,4,1]) live edit, recompute + repaint", "impossible",
                     f"{median:.1f} ms (worst {worst:.1f})", _met(median < 16, "< 16 ms")))
    table = _table(rows)
    print(table)
    if not args.quick:
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        (HERE / "page_results.md").write_text(
            "# The lesson page against the old stepper\n\n"
            f"`python -m benchmarks.page`, {stamp}, {platform.machine()}, "
            f"Python {platform.python_version()}, one run of dot per page; the old stepper "
            "is benchmarks/old_stepper.py.\n\n" + table + "\n", encoding="utf-8")


def _met(ok: bool, target: str) -> str:
    return f"{target} {'met' if ok else 'NOT met'}"


def _table(rows: list[tuple[str, str, str, str]], old: str = "old stepper") -> str:
    """The side-by-side table: case, the old way (``old`` names it), the lesson page, target."""
    lines = [f"| case | {old} | lesson page | target |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
