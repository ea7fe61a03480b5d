"""gategrad's speed and memory, side by side with micrograd 0.1.0 and torch, in one process.

    python -m benchmarks.run            # the full table; writes benchmarks/results.md
    python -m benchmarks.run --quick    # fewer repeats, a shorter chain; prints only

Every timing is the median of several repeats (timeit style), peers interleaved in each repeat
so that a busy machine slows them alike. Same weights for every peer (copied from micrograd's
MLP), checked to give the same outputs before anything is timed. torch runs float64 on one
thread. The table marks each target of issues 2, 5 and 6 as met or not, from the numbers of
this run.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import os
import platform
import random
import statistics
import time
import tracemalloc
import weakref
from collections.abc import Callable
from pathlib import Path

import micrograd.engine
import micrograd.nn
import numpy as np
import torch

import engine
import nn

RESULTS = Path(__file__).with_name("results.md")


# -- timing ---------------------------------------------------------------------------------------


def _seconds_per_call(fn: Callable[[], object], number: int, gc_on: bool) -> float:
    enabled = gc.isenabled()
    if not gc_on:
        gc.disable()  # as timeit does: the collector's pauses are not the code's own cost
    try:
        start = time.perf_counter()
        for _ in range(number):
            fn()
        return (time.perf_counter() - start) / number
    finally:
        if enabled:
            gc.enable()


def side_by_side(peers: dict[str, tuple[Callable[[], object], int]], repeat: int,
                 gc_on: bool = False) -> dict[str, float]:
    """Median seconds per call of each peer; ``peers`` maps name -> (function, calls per repeat).

    The peers take turns within each repeat. Before each turn the collector clears what the
    previous peer left (a peer's cyclic garbage must not be collected on another's time); within
    a turn, garbage of call k is collected during call k + 1, as in a training loop.
    """
    for fn, _ in peers.values():
        fn()  # warm up (first-call costs, caches)
    times: dict[str, list[float]] = {name: [] for name in peers}
    for _ in range(repeat):
        for name, (fn, number) in peers.items():
            gc.collect()
            times[name].append(_seconds_per_call(fn, number, gc_on))
    return {name: statistics.median(t) for name, t in times.items()}


def fmt_time(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} µs"


def verdict(met: bool) -> str:
    return "**met**" if met else "**not met**"


# -- the same models in every library -------------------------------------------------------------


def twin_models(nin: int, nouts: list[int], seed: int = 0):
    """micrograd's MLP, nn.MLP and a torch Sequential, all with micrograd's weights."""
    random.seed(seed)
    theirs = micrograd.nn.MLP(nin, nouts)
    ours = nn.MLP(nin, nouts, seed=seed)
    for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):
        p.data = float(q.data)
    sizes = [nin, *nouts]
    modules: list[torch.nn.Module] = []
    for i, layer in enumerate(ours.layers):
        linear = torch.nn.Linear(sizes[i], sizes[i + 1]).double()
        with torch.no_grad():
            linear.weight.copy_(torch.tensor([[w.data for w in n.w] for n in layer.neurons],
                                             dtype=torch.float64))
            linear.bias.copy_(torch.tensor([n.b.data for n in layer.neurons],
                                           dtype=torch.float64))
        modules += [linear] + ([torch.nn.ReLU()] if i < len(nouts) - 1 else [])
    return ours, theirs, torch.nn.Sequential(*modules)


def _outputs(out) -> list[float]:
    return [out.data] if not isinstance(out, list) else [o.data for o in out]


def check_same_numbers(ours, theirs, model_t, prog, X: np.ndarray) -> None:
    """Every peer must compute the same function before its speed means anything."""
    expected = model_t(torch.tensor(X)).detach().numpy()
    replayed = prog.forward(X).reshape(len(X), -1)
    scalar = np.array([_outputs(ours(list(x))) for x in X])
    micro = np.array([_outputs(theirs(list(x))) for x in X])
    for name, got in (("replay", replayed), ("scalar path", scalar), ("micrograd", micro)):
        if not np.allclose(got, expected, rtol=1e-10, atol=1e-12):
            raise AssertionError(f"{name} disagrees with torch on the benchmark model")


def forward_backward(model, x) -> None:
    """One sample's forward and backward; the same code runs on micrograd and on gategrad."""
    out = model(x)
    (out if not isinstance(out, list) else sum(out)).backward()


def training_step(model, X, y, alpha: float = 1e-4, lr: float = 0.1) -> float:
    """micrograd's demo step, same code for both: hinge loss + L2 over the batch, SGD."""
    scores = [model(x) for x in X]
    losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = alpha * sum(p * p for p in model.parameters())
    total = data_loss + reg_loss
    model.zero_grad()
    total.backward()
    for p in model.parameters():
        p.data -= lr * p.grad
    return total.data


# -- the scalar path against micrograd (issues 2 and 5) -------------------------------------------


def scalar_rows(quick: bool) -> list[list[str]]:
    repeat = 5 if quick else 15
    ours, theirs, _ = twin_models(2, [16, 16, 1])
    X, y = nn.make_moons(100, noise=0.1, seed=0, signed=True)
    X, y = X.tolist(), [float(v) for v in y]
    rows = []

    # With the collector on, as users run it: micrograd's graphs are cycles that only the
    # collector frees, ours are freed by reference counting as they are dropped. timeit's
    # default (collector paused) leaves micrograd's freeing out of the timing altogether.
    for gc_on, condition in ((True, "GC on"), (False, "GC paused, as timeit")):
        per_sample = side_by_side({
            "ours": (lambda: [forward_backward(ours, x) for x in X[:10]], 2),
            "micrograd": (lambda: [forward_backward(theirs, x) for x in X[:10]], 2),
        }, repeat, gc_on=gc_on)
        ratio = per_sample["micrograd"] / per_sample["ours"]
        rows.append([f"per-sample forward + backward, MLP(2,[16,16,1]), {condition}",
                     fmt_time(per_sample["ours"] / 10), fmt_time(per_sample["micrograd"] / 10),
                     f"{ratio:.1f}x faster", ">= 2x", verdict(ratio >= 2)])

    step = side_by_side({"ours": (lambda: training_step(ours, X, y), 3),
                         "micrograd": (lambda: training_step(theirs, X, y), 3)},
                        max(3, repeat // 3), gc_on=True)
    ratio = step["micrograd"] / step["ours"]
    rows.append(["full-batch training step, 100 samples, GC on", fmt_time(step["ours"]),
                 fmt_time(step["micrograd"]), f"{ratio:.1f}x faster", ">= 2x", verdict(ratio >= 2)])

    ours_bytes, their_bytes = bytes_per_node(engine.Value), bytes_per_node(micrograd.engine.Value)
    ratio = their_bytes / ours_bytes
    rows.append(["memory per op node (tracemalloc)", f"{ours_bytes:.0f} B", f"{their_bytes:.0f} B",
                 f"{ratio:.1f}x less", ">= 3x", verdict(ratio >= 3)])

    ours_freed, their_freed = freed_without_gc(engine.Value), freed_without_gc(
        micrograd.engine.Value)
    rows.append(["dropped graph freed without the cyclic GC", _yes(ours_freed),
                 _yes(their_freed), "", "yes", verdict(ours_freed)])

    n = 100_000 if quick else 1_000_000
    build, backward, right = deep_chain(n)
    rows.append([f"chain of {n:,} gates: build, backward (leaf gradient right)",
                 f"{fmt_time(build)}, {fmt_time(backward)} ({_yes(right, 'no')})",
                 micrograd_chain(5_000), "", "works", verdict(right)])
    return rows


def _yes(flag: bool, no: str = "no (waits for gc.collect)") -> str:
    return "yes" if flag else no


def _chain_graph(Value, n: int):
    a, b = Value(0.5), Value(1.5)
    x = a
    for _ in range(n):
        x = x * a + b  # two op nodes per turn, no constants
    return x


def bytes_per_node(Value, n: int = 10_000) -> float:
    """Bytes allocated per op node of a graph built from Values (everything the node keeps)."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    root = _chain_graph(Value, n)
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del root
    gc.collect()
    return (after - before) / (2 * n)


def freed_without_gc(Value) -> bool:
    """Build, backward and drop a graph with the cyclic collector off: is every node gone?"""
    gc.collect()
    gc.disable()
    try:
        a = Value(0.5)
        x = a
        for _ in range(50):
            x = (x * a + a).relu()
        x.backward()
        refs = [weakref.ref(x), weakref.ref(a)] + [weakref.ref(p) for p in x._prev]
        del x, a
        return all(r() is None for r in refs)
    finally:
        gc.enable()
        gc.collect()


def deep_chain(n: int) -> tuple[float, float, bool]:
    """A chain of n neg gates: build time, backward time (median of 3), and whether the leaf's
    gradient is right (three backward calls add up to 3 · (-1)^n)."""
    start = time.perf_counter()
    leaf = engine.Value(0.5)
    x = leaf
    for _ in range(n):
        x = -x
    build = time.perf_counter() - start
    times = []
    for _ in range(3):
        start = time.perf_counter()
        x.backward()
        times.append(time.perf_counter() - start)
    right = leaf.grad == 3.0 * (-1) ** n
    del x, leaf
    return build, statistics.median(times), right


def micrograd_chain(depth: int) -> str:
    x = micrograd.engine.Value(0.5)
    for _ in range(depth):
        x = -x
    try:
        x.backward()
    except RecursionError:
        return f"RecursionError at {depth:,} nodes"
    return f"works at {depth:,} nodes"


# -- the batched replay against torch and micrograd (issue 6) -------------------------------------

BATCHES = (1, 32, 256, 1024)


def replay_rows(quick: bool) -> tuple[list[list[str]], list[str]]:
    repeat = 5 if quick else 15
    rows, verdicts = [], []
    rng = np.random.default_rng(0)
    torch.set_num_threads(1)
    for nin, nouts in ((2, [16, 16, 1]), (64, [32, 10])):
        name = f"MLP({nin},{nouts})".replace(" ", "")
        ours, theirs, model_t = twin_models(nin, nouts)
        xs = [engine.Value(0.0) for _ in range(nin)]
        start = time.perf_counter()
        prog = engine.compile_replay(ours(xs), inputs=xs)
        compile_time = time.perf_counter() - start
        check_same_numbers(ours, theirs, model_t, prog, rng.normal(size=(4, nin)))

        # micrograd and the scalar path build one graph per sample: their cost per sample does
        # not depend on the batch size, so a few samples measure it.
        few = [list(x) for x in rng.normal(size=(2 if nin > 2 else 10, nin))]
        scalar = side_by_side({
            "ours": (lambda f=few, m=ours: [forward_backward(m, x) for x in f], 1),
            "micrograd": (lambda f=few, m=theirs: [forward_backward(m, x) for x in f], 1),
        }, max(3, repeat // 3))
        scalar = {k: v / len(few) for k, v in scalar.items()}
        for B in BATCHES:
            X = rng.normal(size=(B, nin))
            Xt = torch.tensor(X)
            number = max(1, 2048 // B) if nin == 2 else max(1, 512 // B)

            def replay(X=X, prog=prog):
                prog.forward(X)
                prog.backward()

            def torch_eager(Xt=Xt, model_t=model_t):
                model_t(Xt).sum().backward()

            t = side_by_side({"replay": (replay, number), "torch": (torch_eager, number)}, repeat)
            t = {k: v / B for k, v in t.items()}
            speedup, vs_torch = scalar["micrograd"] / t["replay"], t["replay"] / t["torch"]
            rows.append([name, str(B), fmt_time(t["replay"]), fmt_time(t["torch"]),
                         fmt_time(scalar["micrograd"]), fmt_time(scalar["ours"]),
                         f"{speedup:,.0f}x", f"{vs_torch:.2f}x"])
            if nin == 2 and B == 256:
                verdicts.append(f"replay >= 100x faster than micrograd at B=256, "
                                f"MLP(2,[16,16,1]): {speedup:,.0f}x, {verdict(speedup >= 100)}")
                verdicts.append(f"replay <= 3x torch eager's time at B=256, MLP(2,[16,16,1]): "
                                f"{vs_torch:.2f}x, {verdict(vs_torch <= 3)}")
        verdicts.append(f"{name}: {len(prog.parameters)} parameters, compiled in "
                        f"{fmt_time(compile_time)}: {prog!r}")
    return rows, verdicts


# -- per-thread modes, overflow checks and the backward lock (issue 15) ---------------------------

BEFORE = "610e9d6"  # the engine before issue 15: global modes, no result check, no lock


def engine_before():
    """The engine of commit BEFORE, imported from git as the package ``engine_before``."""
    import importlib.util
    import subprocess
    import sys
    import tempfile

    if "engine_before" in sys.modules:
        return sys.modules["engine_before"]
    root = Path(__file__).resolve().parents[1]
    folder = Path(tempfile.mkdtemp(prefix="gategrad-before-"))
    archive = subprocess.run(["git", "-C", str(root), "archive", BEFORE, "engine"],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    spec = importlib.util.spec_from_file_location(
        "engine_before", folder / "engine" / "__init__.py",
        submodule_search_locations=[str(folder / "engine")])
    module = importlib.util.module_from_spec(spec)
    sys.modules["engine_before"] = module
    spec.loader.exec_module(module)
    return module


def _mlp_step(Value, weights, x) -> None:
    """Forward + backward of one sample through an MLP given as nested lists of floats."""
    h = [Value(v) for v in x]
    for layer in weights:
        h = [sum((Value(w) * a for w, a in zip(row[1:], h)), Value(row[0])).tanh()
             for row in layer]
    h[0].backward()


def _chain(Value, n: int) -> None:
    x = Value(0.5)
    y = x
    for _ in range(n):
        y = (y * 1.0001).tanh()
    y.backward()


def _built_chain(Value, n: int):
    y = Value(0.5)
    for _ in range(n):
        y = (y * 1.0001).tanh()
    return y


def modes_rows(quick: bool) -> list[list[str]]:
    """Old global modes vs per-thread modes (+ overflow check, + lock), one process, one thread."""
    old = engine_before()
    rng = random.Random(0)
    sizes = [2, 16, 16, 1]
    weights = [[[rng.uniform(-1, 1) for _ in range(nin + 1)] for _ in range(nout)]
               for nin, nout in zip(sizes, sizes[1:])]
    x = [0.3, -0.7]
    repeat = 7 if quick else 21
    n = 2_000 if quick else 20_000
    rows = []
    for what, make, number in [
        ("forward + backward, MLP(2,[16,16,1]), one sample", lambda V: lambda: _mlp_step(
            V, weights, x), 20),
        (f"build + backward, chain of {n:,} tanh·mul gates", lambda V: lambda: _chain(V, n), 1),
        ("backward only, the same chain (built once)", lambda V: _built_chain(V, n).backward,
         1),
        ("one gate (x * y), no backward", lambda V: (lambda a, b: lambda: a * b)(V(1.5), V(2.0)),
         20_000),
    ]:
        # each order once (the peer that runs second in a repeat can gain or lose from the
        # first one's garbage and caches); the mean of the two medians
        ab = side_by_side({"before": (make(old.Value), number),
                           "after": (make(engine.Value), number)}, repeat)
        ba = side_by_side({"after": (make(engine.Value), number),
                           "before": (make(old.Value), number)}, repeat)
        t = {k: (ab[k] + ba[k]) / 2 for k in ab}
        change = t["after"] / t["before"] - 1
        rows.append([what, fmt_time(t["before"]), fmt_time(t["after"]), f"{change:+.1%}"])
    return rows


# -- the report -----------------------------------------------------------------------------------


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return (f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}, numpy "
            f"{np.__version__}, torch {torch.__version__} (float64, 1 thread), micrograd 0.1.0")


def report(quick: bool, note: str) -> str:
    load_before = os.getloadavg()
    started = time.perf_counter()
    scalar = scalar_rows(quick)
    replay, replay_verdicts = replay_rows(quick)
    from .digits import train_digits

    digits = train_digits(epochs=10)
    load_after = os.getloadavg()
    parts = [
        "# gategrad benchmarks",
        "",
        f"Run {datetime.date.today()} with `python -m benchmarks.run{' --quick' if quick else ''}`"
        f" in {time.perf_counter() - started:.0f} s on {machine()}. Load average "
        f"{load_before[0]:.2f} before, {load_after[0]:.2f} after. {note}".rstrip(),
        "",
        "## The scalar path against micrograd (issues 2 and 5)",
        "",
        "Same weights, same code for both (nn.MLP vs micrograd.nn.MLP). The training step is "
        "micrograd's demo step: 100 moons, hinge loss + L2, SGD.",
        "",
        table(["measure", "gategrad", "micrograd 0.1.0", "ratio", "target", "verdict"], scalar),
        "",
        "## The batched replay (issue 6)",
        "",
        "Time per sample of forward + backward (sum of the outputs), batch of B. The replay is "
        "`prog = engine.compile_replay(model(xs), inputs=xs)`, then `prog.forward(X); "
        "prog.backward()`; torch is eager `model(X).sum().backward()`. micrograd and the scalar "
        "path build one graph per sample, so their cost per sample does not depend on B.",
        "",
        table(["model", "B", "replay", "torch eager", "micrograd", "gategrad scalar",
               "replay vs micrograd", "replay / torch"], replay),
        "",
        *[f"- {line}" for line in replay_verdicts],
        "",
        "## Modes per thread, overflow refused, one backward at a time (issue 15)",
        "",
        f"The engine before issue 15 (commit {BEFORE}: one process-global grad/anomaly switch "
        "read by every gate, no check of a gate's result, no lock) against today's (the gates "
        "read one global that is True while no thread anywhere is in no_grad/detect_anomaly, "
        "and only otherwise look at this thread's modes; every result is checked finite; "
        "backward takes an uncontended lock, keeps each node's old .grad in its finished "
        "scratch slot and watches the leaves for a non-finite sum). Same code for both, one "
        "thread, each order once per repeat, the mean of the two medians.",
        "",
        table(["measure", "before", "after", "change"], modes_rows(quick)),
        "",
        "## Digits through the replay",
        "",
        f"scikit-learn's 8x8 digits, MLP(64,[32,10]) (relu, He init), softmax cross-entropy, "
        f"Adam lr 0.01, batch 32, `nn.fit(..., batched=True)`: **{digits.test_accuracy:.1%} "
        f"test accuracy** on {digits.test_size} held-out images after {digits.epochs} epochs in "
        f"**{digits.seconds:.1f} s** (target >= 95% in under a minute: "
        f"{verdict(digits.test_accuracy >= 0.95 and digits.seconds < 60)}).",
        "",
    ]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="gategrad vs micrograd vs torch")
    parser.add_argument("--quick", action="store_true",
                        help="fewer repeats and a 100,000-node chain; prints, does not write")
    parser.add_argument("--write", action="store_true", help="write results.md even if --quick")
    parser.add_argument("--note", default="", help="a sentence about the run's conditions")
    parser.add_argument("--modes", action="store_true",
                        help="only the modes table (before vs after issue 15); prints")
    args = parser.parse_args(argv)
    if args.modes:
        print(table(["measure", "before", "after", "change"], modes_rows(args.quick)))
        return
    text = report(args.quick, args.note)
    print(text)
    if args.write or not args.quick:
        RESULTS.write_text(text)
        print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
