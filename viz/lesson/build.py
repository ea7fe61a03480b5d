"""Build the training page: one offline HTML file, its scripts and style allowed by their hashes.

The machinery is the lesson page's (``viz.page.build``): the same number formatter twin, the
same kernels translated from the gate table (``viz.page.js``), the same compaction, hashing and
JSON escaping. What is new here is the data (``data.lesson_data``: the replay's exported plan,
the layers' rows, the training set) and the scripts of this directory: mt.js (fit's shuffle),
plan.js (the plan's interpreter), train.js (fit's loop), layers.js (the layer view), ui.js.
"""

from __future__ import annotations

import html
from pathlib import Path

from engine.errors import OVERFLOW, REFUSALS
from nn.losses import get_loss
from words import LANGUAGES, _, catalogue, resolve_language, speaking

from ..page.assemble import asset as page_asset
from ..page.assemble import compact, join_scripts, json_for_script, sha256
from ..page.js import gate_key, helpers_js, kernels_js, to_js
from .data import image_side, lesson_data
from .gates import gate_pages, network_page
from .words import WORDS

HERE = Path(__file__).parent
PAGE_SCRIPTS = ("numbers.js",)  # from viz/page: the number formatter's twin
SCRIPTS = ("mt.js", "plan.js", "train.js", "layers.js", "ui.js")
ERROR_VARIABLES = ("z", "y", "a", "N", "k")

# How each loss is written in its box (the notes' notation); the title is translated.
LOSS_BOXES = {
    "cross_entropy": ("softmax + cross-entropy", ["A = softmax(Z)", "L = −(1/N) Σₙ log A[n, yₙ]"]),
    "mse": ("squared error", ["L = (1/(N·k)) Σ (Z − Y)²"]),
    "bce": ("binary cross-entropy (logits)", ["L = (1/(N·k)) Σ [softplus(Z) − Y·Z]"]),
    "hinge": ("hinge", ["L = (1/(N·k)) Σ max(0, 1 − Y·Z)"]),
    "multiclass_hinge": ("multiclass hinge",
                         ["L = (1/N) Σₙ Σ_{j≠yₙ} max(0, Z[n,j] − Z[n,yₙ] + 1)"]),
}


def _asset(name: str) -> str:
    return (HERE / name).read_text(encoding="utf-8")


def _error_js(formula: str) -> str:
    """``var LOSS_ERROR = function (z, y, a, N, k) {...}`` from the loss table's formula string,
    translated by the page's own translator (the whitelist walk), or null."""
    if not formula:
        return "var LOSS_ERROR = null;\n"
    body = to_js(formula, ERROR_VARIABLES, "the loss's error term")
    return f"var LOSS_ERROR = function ({', '.join(ERROR_VARIABLES)}) {{ return {body}; }};\n"


def _shown(formula: str) -> str:
    """The error term as the caption writes it: · for *, − for minus."""
    return formula.replace(" * ", " · ").replace(" - ", " − ").replace("-y", "−y")


def script(gates, error_term: str) -> str:
    parts = [helpers_js()] + [page_asset(name) for name in PAGE_SCRIPTS]
    parts += [kernels_js(gates), _error_js(error_term)] + [_asset(name) for name in SCRIPTS]
    return join_scripts(parts)  # refuses a part that could end the script element


def build_lesson(model, X, y, *, loss, val=None, lr: float = 0.1, batch_size: int | None = 32,
                 shuffle: bool = True, seed: int = 0, epochs: int = 1, title: str | None = None,
                 lang: str | None = None) -> str:
    """The training page as one HTML string (see ``viz.lesson``)."""
    lang = resolve_language(lang)
    spec = get_loss(loss)
    data, gates = lesson_data(model, X, y, loss=spec, val=val, lr=lr, batch_size=batch_size,
                              shuffle=shuffle, seed=seed, epochs=epochs)
    box_title, lines = LOSS_BOXES.get(spec.name, (spec.name, [f"L = mean {spec.name}"]))
    data["loss"].update(title=box_title, lines=lines, error=_shown(spec.error_term),
                        error_show=_shown(spec.error_term))
    side = image_side(data["nin"])
    data["picture"] = "boundary" if data["nin"] == 2 else ("images" if side else None)
    data["side"] = side
    data["gates"] = {gate_key(g): {"titles": {code: g.title(code) for code in LANGUAGES},
                                   "p": None if g.param is None else f"{g.param:g}",
                                   "inputs": list(g.inputs),
                                   "says": [c.says for c in g.checks]} for g in gates}
    data["overflow"], data["refusals"] = OVERFLOW.says, REFUSALS  # engine.errors' words
    data["lang"] = lang
    msgids = list(WORDS) + [OVERFLOW.says, *REFUSALS] + [s for g in gates for s in
                                                         (c.says for c in g.checks)]
    data["cat"] = {code: {m: t for m, t in catalogue(dict.fromkeys(msgids), code).items()
                          if t != m} for code in LANGUAGES if code != "en"}
    sizes = [data["nin"]] + [layer["nout"] for layer in data["layers"]]
    with speaking(lang):
        title = title if title is not None else _("gategrad: {model} learns, {loss} loss").format(
            model=f"MLP({sizes[0]}, {sizes[1:]})", loss=spec.name)
    if not isinstance(title, str):
        raise TypeError(f"lesson: title must be a string, got {type(title).__name__}")
    pages, page_scripts, page_styles = gate_pages(model, lang)
    whole, whole_scripts, whole_styles = network_page(model, spec, lang)
    if whole is not None:  # a tiny network opens gate by gate; the teacher can switch
        pages["net"] = whole
        page_scripts, page_styles = page_scripts + whole_scripts, page_styles + whole_styles
    data["gate_pages"] = pages
    js, css = compact(script(gates, spec.error_term)), compact(_asset("lesson.css"), css=True)
    scripts = " ".join([f"'{sha256(js)}'", *dict.fromkeys(page_scripts)])
    styles = " ".join([f"'{sha256(css)}'", *dict.fromkeys(page_styles)])
    return _asset("lesson.html").format(
        lang="zh-CN" if lang == "zh" else "en", title=html.escape(title),
        csp=f"default-src 'none'; script-src {scripts}; style-src {styles}",
        style=css, data=json_for_script(data), script=js)
