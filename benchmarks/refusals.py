"""How fast an over-large graph is refused: python -m benchmarks.refusals [--write].

A chain of 1,000,000 gates is far past every view's limit. Each view must refuse it in well
under a second and without building anything first (issue 15): the walk counts nodes as it
goes and stops at the limit. Measured here, one call each, with the peak memory the refusal
allocated (tracemalloc); the "before" column is the issue's own measurement of the old code
(the old code needs minutes and gigabytes per call, so it is not rerun here); steps_table's
"before" is issue 23's.
"""

from __future__ import annotations

import argparse
import platform
import time
import tracemalloc
from datetime import datetime, timezone
from pathlib import Path

GATES = 1_000_000
RESULTS = Path(__file__).with_name("refusal_results.md")
BEFORE = {"draw": "22 s, +1.2 GB", "draw(step=1)": "93 s, +4.2 GB", "stepper": "130 s, +6.2 GB",
          "steps_table": "96 s"}


def _calls(tmp: Path):
    import viz

    return {
        "draw": lambda root: viz.draw(root),
        "draw(step=1)": lambda root: viz.draw(root, step=1),
        "frames": lambda root: viz.frames(root),
        "export_frames": lambda root: viz.export_frames(root, tmp / "frames"),
        "stepper": lambda root: viz.stepper(root, tmp / "page.html"),
        "export_animation": lambda root: viz.export_animation(root, tmp / "walk.gif"),
        "steps_table": viz.steps_table,  # the tables have the guard since issue 23
        "forward_table": viz.forward_table,
        "chain_rule_text": viz.chain_rule_text,
    }


def measure() -> list[tuple[str, float, float]]:
    import tempfile

    from engine import Value
    from viz import GraphTooLarge

    x = Value(0.5, label="x")
    root = x
    for _ in range(GATES):
        root = -root
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for name, call in _calls(Path(folder)).items():
            tracemalloc.start()
            start = time.perf_counter()
            try:
                call(root)
            except GraphTooLarge:
                pass
            else:
                raise AssertionError(f"{name} accepted a graph of {GATES:,} gates")
            seconds = time.perf_counter() - start
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            rows.append((name, seconds, peak / 2**20))
    return rows


def table(rows) -> str:
    lines = ["| view | refused after | peak memory of the refusal | before (issues 15 and 23) |",
             "|---|---|---|---|"]
    for name, seconds, mib in rows:
        lines.append(f"| {name} | {seconds * 1000:.1f} ms | {mib:.2f} MiB | "
                     f"{BEFORE.get(name, '—')} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"write {RESULTS.name}")
    args = parser.parse_args()
    text = table(measure())
    print(text)
    if args.write:
        when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        RESULTS.write_text(
            f"# Refusing a graph of {GATES:,} gates\n\n`python -m benchmarks.refusals --write`, "
            f"{when}, {platform.machine()}, Python {platform.python_version()}; one call each, "
            "tracemalloc on (it slows allocation, so times are upper bounds).\n\n"
            + text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
