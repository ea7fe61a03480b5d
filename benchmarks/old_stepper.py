"""BASELINE ONLY: the per-frame HTML stepper as it was before the lesson page (viz/stepper.py at
commit b11d82f), kept so benchmarks/page.py can put the new page side by side with it.

The HTML stepper: forward and backward, one gate per click (frames live in viz.frames).

``stepper(root, "steps.html")`` writes ONE self-contained file: every frame inline as SVG, the
captions, the styles and a few lines of script, nothing fetched from anywhere (a
Content-Security-Policy forbids it), so it runs from a USB stick on the classroom PC. Keys:
→ / ← (and PageDown / PageUp, which presentation clickers send), Home / End; Prev / Next
buttons and a slider.

Captions come from the engine: the gate table's rule sentence and ``Step.chain_rule`` for
backward, ``ForwardStep.formula`` for forward.
"""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from engine import Value
from viz.graph import DEFAULT_MAX_NODES, PHASES, Graph
from viz.render import to_svg
from viz.slides import DEFAULT_MAX_FRAMES, Frame, pictures


def old_stepper(root: Value, path: str | Path, *, title: str | None = None,
                digits: int | None = None, rankdir: str = "LR", collapse: bool = False,
                phases: Sequence[str] = PHASES, max_frames: int = DEFAULT_MAX_FRAMES,
                max_nodes: int = DEFAULT_MAX_NODES) -> Path:
    """Write the self-contained HTML stepper for ``root``'s graph to ``path``; returns it.

    Forward frames first (values appear gate by gate), then backward (gradients fill in from
    the output). Renders each frame with Graphviz (see viz.render for the fallbacks); the
    graph's ``.grad`` are left as they were. Each frame is a full SVG: the CS231n example
    makes a 0.2 MB page, MLP(2, [4, 4, 1]) with its loss 30 MB (4 MB with collapse=True).
    """
    graph = Graph(root, max_nodes=max_nodes, collapse=collapse, where="stepper")
    title = title or f"gategrad: stepping through {graph.names[root]}"
    todo = list(pictures(graph, digits=digits, rankdir=rankdir, collapse=collapse,
                         phases=phases, max_frames=max_frames, id_prefix="f{}-"))
    # Each frame is one run of dot: run them side by side on the machine's cores.
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        svgs = list(pool.map(lambda pair: to_svg(pair[1]), todo))
    figures = [_figure(number, frame, _inline(svg))
               for number, ((frame, _), svg) in enumerate(zip(todo, svgs))]
    page = _PAGE.format(title=html.escape(title), count=len(figures), last=len(figures) - 1,
                        figures="\n".join(figures), style=_STYLE, script=_SCRIPT)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path


def _inline(svg: str) -> str:
    """An SVG document as an element to put inside HTML (no XML prolog, no DOCTYPE)."""
    return svg[svg.index("<svg"):]


def _figure(number: int, frame: Frame, svg: str) -> str:
    lines = "\n".join(html.escape(t) for t in frame.lines)
    rule = f'<p class="rule">{html.escape(frame.rule)}</p>' if frame.rule else ""
    return (
        f'<figure class="frame {frame.phase}" id="frame-{number}" data-phase="{frame.phase}" '
        f'data-step="{frame.index}" hidden>\n'
        f'<figcaption><h2>{html.escape(frame.title)}</h2>{rule}'
        f'<pre class="lines">{lines}</pre></figcaption>\n'
        f'<div class="diagram">{svg}</div>\n</figure>'
    )


_STYLE = """
:root { --fwd: #1565c0; --bwd: #c62828; }
* { box-sizing: border-box; }
body { margin: 0; font: 18px/1.4 Helvetica, Arial, sans-serif; color: #212121; background: #fff; }
header { display: flex; align-items: center; gap: 1rem; padding: .6rem 1rem;
         background: #263238; color: #fff; position: sticky; top: 0; z-index: 1; }
header h1 { font-size: 1.1rem; margin: 0; flex: 1 1 auto; font-weight: 600; }
button { font: inherit; font-size: 1.1rem; padding: .35rem 1rem; border-radius: .4rem;
         border: 1px solid #90a4ae; background: #eceff1; cursor: pointer; }
button:disabled { opacity: .4; cursor: default; }
input[type=range] { width: min(40vw, 480px); }
#counter { min-width: 6rem; text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 0; padding: .8rem 1.2rem; }
figcaption { border-left: .5rem solid var(--fwd); padding: .2rem 1rem; margin-bottom: .6rem;
             min-height: 8.5rem; }
figure.backward figcaption { border-left-color: var(--bwd); }
figcaption h2 { margin: 0 0 .2rem; font-size: 1.6rem; }
figure.forward h2 { color: var(--fwd); }
figure.backward h2 { color: var(--bwd); }
.rule { margin: .2rem 0; font-size: 1.3rem; }
.lines { margin: .3rem 0 0; font: 1.3rem/1.5 "DejaVu Sans Mono", Menlo, Consolas, monospace;
         white-space: pre-wrap; }
.diagram { overflow: auto; }
.diagram svg { display: block; width: calc(100% * var(--zoom, 1)); height: auto;
               max-height: calc(100vh - 17rem); }
body.zoomed .diagram svg { max-height: none; }
.help { color: #b0bec5; font-size: .9rem; }
"""

_SCRIPT = """
(function () {
  "use strict";
  var frames = document.querySelectorAll("figure.frame");
  var slider = document.getElementById("slider");
  var counter = document.getElementById("counter");
  var prev = document.getElementById("prev");
  var next = document.getElementById("next");
  var shown = 0;
  function show(k) {
    k = Math.max(0, Math.min(frames.length - 1, k));
    frames[shown].hidden = true;
    frames[k].hidden = false;
    shown = k;
    slider.value = String(k);
    counter.textContent = (k + 1) + " / " + frames.length;
    prev.disabled = k === 0;
    next.disabled = k === frames.length - 1;
    try { history.replaceState(null, "", "#" + (k + 1)); } catch (e) { /* sandboxed */ }
  }
  var zoom = 1;  // + and - enlarge a wide graph past the window's width (then it scrolls)
  function zoomBy(factor) {
    zoom = factor ? Math.max(1, Math.min(4, zoom * factor)) : 1;
    document.body.style.setProperty("--zoom", String(zoom));
    document.body.classList.toggle("zoomed", zoom > 1);
  }
  prev.addEventListener("click", function () { show(shown - 1); });
  next.addEventListener("click", function () { show(shown + 1); });
  slider.addEventListener("input", function () { show(parseInt(slider.value, 10)); });
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) { return; }
    var keys = { ArrowRight: 1, PageDown: 1, " ": 1, ArrowLeft: -1, PageUp: -1 };
    if (e.key in keys) {
      if (e.target === slider && e.key.indexOf("Arrow") === 0) { return; }  // the slider moves
      show(shown + keys[e.key]);
    } else if (e.key === "Home") { show(0); }
    else if (e.key === "End") { show(frames.length - 1); }
    else if (e.key === "+" || e.key === "=") { zoomBy(1.25); }
    else if (e.key === "-") { zoomBy(1 / 1.25); }
    else if (e.key === "0") { zoomBy(0); }
    else { return; }
    e.preventDefault();
  });
  var start = parseInt((location.hash || "#1").slice(1), 10);
  show(isNaN(start) ? 0 : start - 1);
})();
"""

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy"
      content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
<header>
<h1>{title}</h1>
<button id="prev" type="button" title="previous step (←)">◀ Prev</button>
<input id="slider" type="range" min="0" max="{last}" value="0" aria-label="step">
<button id="next" type="button" title="next step (→)">Next ▶</button>
<span id="counter">1 / {count}</span>
<span class="help">← → step · + − zoom</span>
</header>
<main>
{figures}
</main>
<script>{script}</script>
</body>
</html>
"""
