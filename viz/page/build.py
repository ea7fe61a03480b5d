"""Build the lesson page: one SVG laid out by dot, the graph as JSON, one generated script.

Python embeds the graph's structure and its leaves' values, never its results: the page's
script computes forward and backward itself, with kernels translated from the gate table
(``viz.page.js``), and writes every number into the SVG's text nodes. The one script and the one
style sheet are allowed by their sha256 hashes in the Content-Security-Policy; nothing is
fetched, and user text (labels, the title) reaches the page only as escaped text or JSON.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections.abc import Iterable
from pathlib import Path

from engine import Value
from engine.errors import OPERAND, OVERFLOW, PAIR, REFUSALS
from grading.misconceptions import MISCONCEPTIONS, VARIABLES
from nn.labels import parse_label
from words import (
    LANGUAGES,
    _,
    bracketed,
    catalogue,
    check_digits,
    negated,
    resolve_language,
    speaking,
    with_exponent,
)

from ..diagram import draw_graph
from ..graph import DEFAULT_MAX_NODES, Graph, Walk
from ..render import to_svg
from .js import formula_js, gate_key, helpers_js, kernels_js
from .network import network_data
from .words import NETWORK_WORDS, SHARED, WORDS

_OVERFLOW_SAYS = OVERFLOW.says  # a result that is not finite: the engine's words, in the page

HERE = Path(__file__).parent
SCRIPTS = ("numbers.js", "engine.js")  # after the helpers; then the kernels, then PLUGGED
PLUGGED = ("page.js", "side.js", "quiz.js", "lesson.js")


def _asset(name: str) -> str:
    return (HERE / name).read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def _compact(text: str, css: bool = False) -> str:
    """Our own JS or CSS without indentation, blank lines and whole-line comments (a smaller
    file on a USB stick; the hash is taken afterwards, of exactly what is sent)."""
    if css:
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
        text = re.sub(r"\s*([{};:,>])\s*", r"\1", text)  # no space is needed around these
    else:  # a comment after code: our scripts have no "//" inside a string (a test checks)
        text = re.sub(r"[ \t]+// .*$", "", text, flags=re.M)
    lines = (line.strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line and not line.startswith(("//", "/*")))


def _json_for_script(data: object) -> str:
    """JSON inside <script type="application/json">: no '<', '>' or '&' can end the element."""
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# -- the SVG: ids on the text nodes the script writes into ----------------------------------------

_GROUP = re.compile(r'<g id="([^"]+)" class="(node|edge)([^"]*)">')
_TEXT = re.compile(r"<text ")


def _name_texts(svg: str, parts: dict[str, tuple[str, ...]]) -> str:
    """Give the k-th <text> of each node or edge group the id ``<group>_<parts[group][k]>``."""
    pieces = _GROUP.split(svg)
    out = [pieces[0]]
    for k in range(1, len(pieces), 4):
        group, kind, _extra, body = pieces[k:k + 4]
        names = iter(parts.get(group, ()))

        def named(m: re.Match, names=names, group=group) -> str:
            part = next(names, None)
            return m.group(0) if part is None else f'<text id="{group}_{part}" '
        body = _TEXT.sub(named, body)
        if kind == "edge":  # the contribution is written centred on the edge
            body = body.replace('text-anchor="start"', 'text-anchor="middle"')
        out.append(f'<g id="{group}" class="{kind}{_extra}">{body}')
    return "".join(out)


def _neurons_in_order(graph: Graph, diagram) -> None:
    """N1 above N2 above ... in each layer (dot would order them to shorten edges), and a
    tighter layout, so MLP(2, [4, 4, 1]) reads on a 1280x720 projector without zooming."""
    layers: dict[int, list] = {}
    for ne in graph.neurons.values():
        layers.setdefault(ne.layer, []).append(ne)
    for layer, members in layers.items():
        ids = [f'"neuron_{ne.key.replace(".", "_")}"' for ne in
               sorted(members, key=lambda ne: ne.index)]
        if len(ids) < 2:
            continue
        start = next(k for k, line in enumerate(diagram.body)
                     if line.strip().startswith(f"subgraph cluster_L{layer} {{"))
        end = next(k for k in range(start + 1, len(diagram.body))
                   if diagram.body[k].strip() == "}")
        diagram.body.insert(end, "\t\t{rank=same; " + " -> ".join(ids) + " [style=invis]}\n")
    diagram.graph_attr.update(ranksep="0.8", nodesep="0.15", mclimit="0.01")


def _svg(graph: Graph, digits: int, lang: str, rankdir: str, collapse: bool) -> str:
    """The one layout: the frame before the first gate, cells of a fixed size, ids named."""
    diagram = draw_graph(graph, Walk(graph.root), rankdir=rankdir, digits=digits,
                         show_grad=True, highlight=(), step=0, phase="forward",
                         collapse=collapse, lang=lang)
    if collapse:
        _neurons_in_order(graph, diagram)
    svg = to_svg(diagram)
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<!--.*?-->\n?", "", svg, flags=re.S)
    svg = re.sub(r"<title>[^<]*</title>\n?", "", svg)
    svg = re.sub(r'<g id="a_[^"]*">', "<g>", svg)  # graphviz's ids of tooltip links
    svg = svg.replace(' font-family="Helvetica,sans-Serif"', "")  # the style sheet sets it
    parts: dict[str, tuple[str, ...]] = {}
    for ne in graph.neurons.values() if collapse else ():
        act = ne.a is not None and ne.a is not ne.s
        parts["neuron_" + ne.key.replace(".", "_")] = ("key", "s", "a", "d") if act else \
            ("key", "s", "d")
    for n in graph.order:
        parts[graph.ids[n]] = ("name", "d", "g")
        for pos in range(len(n._prev)):
            parts[f"e{graph.ids[n][1:]}_{pos}"] = ("t",)
    svg = _name_texts(svg, parts)
    # defaults said once: start is SVG's default anchor; 14 pt is set by the style sheet
    return svg.replace(' text-anchor="start"', "").replace(' font-size="14.00"', "")


# -- the data -------------------------------------------------------------------------------------


def _label_order(label) -> tuple:
    """L1.N1.w1, L1.N1.w2, L1.N1.b, L1.N2.w1, ...: layer, neuron, weights before the bias."""
    part = label.part
    return (label.layer, label.neuron, int(part[1:]) if part[1:].isdigit() else 10**9)


def _parameters(graph: Graph, params: Iterable[Value] | None) -> list[int]:
    """Which leaves the update step moves: ``params``, else nn's weights and biases, else the
    leaves named like the lecture notes' parameters (w..., b...), else every labelled leaf."""
    index = {n: k for k, n in enumerate(graph.order)}
    leaves = [n for n in graph.order if not n._prev]
    if params is not None:
        chosen = list(params)
        for p in chosen:
            if p not in index or p._prev:
                raise ValueError(f"stepper: params must be leaves of this graph, got {p!r}")
        return [index[p] for p in chosen]
    nn_params = sorted((n for n in leaves if (lab := parse_label(n.label)) and lab.part[0] in "wb"),
                       key=lambda n: _label_order(parse_label(n.label)))
    named = [n for n in leaves if graph.names[n][:1] in ("w", "b")]
    labelled = [n for n in leaves if n.label]
    return [index[n] for n in (nn_params or named or labelled)]


def page_data(graph: Graph, digits: int, lang: str, params: Iterable[Value] | None = None,
              network: bool = False) -> tuple[dict, list]:
    """The JSON the page reads (structure and leaf values) and the gate rows it uses."""
    index = {n: k for k, n in enumerate(graph.order)}
    used: dict[str, object] = {}
    nodes = []
    for n in graph.order:
        node = {"id": graph.ids[n], "name": graph.names[n], "leaf": not n._prev,
                "repr": repr(n.label) if n.label else "",
                "consumers": sorted({index[c] for c in graph.consumers[n]})}
        if n._prev:
            node["key"] = gate_key(n._gate)
            node["inputs"] = [index[p] for p in n._prev]
            used[node["key"]] = n._gate
        else:
            node["value"] = n.data
        nodes.append(node)
    gates = {}
    for key, gate in used.items():
        p = gate.param
        show = with_exponent(gate.forward, p)
        gates[key] = {"name": gate.name, "title": gate.title("en"),
                      "inputs": list(gate.inputs), "rule": gate.rule,
                      "says": [c.says for c in gate.checks], "param": p,
                      "pshow": "" if p is None else f"{p:g}", "show": show,
                      "bracket": sorted(bracketed(gate.forward)),
                      "negated": sorted(negated(gate.forward))}
    # the engine's refusal formats (engine.errors.refusal_text), in every language
    msgids = list(WORDS) + list(SHARED) + list(REFUSALS) + [OPERAND, PAIR, _OVERFLOW_SAYS]
    for g in gates.values():
        msgids += [g["rule"], *g["says"]]
    net = network_data(graph, index) if network else None
    if net is not None:
        data_net = {"net": net}
        msgids += list(NETWORK_WORDS)
    else:
        data_net = {}
    names = {g["name"] for g in gates.values()}
    msgids += [text for m in misconceptions(names) for text in (m.title, m.explain)]
    data = {"nodes": nodes, "root": index[graph.root], "digits": digits, "lang": lang,
            "gates": gates, "params": _parameters(graph, params), "overflow": _OVERFLOW_SAYS,
            "refusals": list(REFUSALS), "operand": OPERAND, "pair": PAIR,
            "cat": {code: {**_translated(msgids, code), **_titles(used.values(), code)}
                    for code in LANGUAGES if code != "en"},
            **data_net}
    return data, list(used.values())


def _titles(gates, lang: str) -> dict[str, str]:
    """The gates' titles in ``lang`` (from the gate table), looked up by their English title."""
    return {g.title("en"): g.title(lang) for g in gates if g.title(lang) != g.title("en")}


def _translated(msgids: list[str], lang: str) -> dict[str, str]:
    """The catalogue of ``lang`` for the page: only what differs from the English msgid."""
    return {m: t for m, t in catalogue(dict.fromkeys(msgids), lang).items() if t != m}


def misconceptions(gate_names: set[str]) -> list:
    """The rows of the misconception catalogue that can concern these gates."""
    return [m for m in MISCONCEPTIONS if not m.gates or set(m.gates) & gate_names]


def misconceptions_js(gate_names: set[str]) -> str:
    """``var MIS = [...]``: the practice catalogue, its formulas translated like the gates'."""
    rows = []
    for m in misconceptions(gate_names):
        rows.append("  {" + f"key: {json.dumps(m.key)}, title: {json.dumps(m.title)}, "
                    f"explain: {json.dumps(m.explain)}, gates: {json.dumps(list(m.gates))}, "
                    f"inputs: {json.dumps(list(m.inputs))}, "
                    f"when: {formula_js(m.key, m.when, VARIABLES, 'truth')}, "
                    f"answer: {formula_js(m.key, m.answer, VARIABLES)}" + "}")
    return "var MIS = [\n" + ",\n".join(rows) + "\n];\n"


def script(gates: Iterable, network: bool = False) -> str:
    """The page's one script: helpers, number formatter, engine, kernels, misconceptions, the page
    and its plug-ins (quiz, health and handout, network mode)."""
    numbers, engine = (_asset(name) for name in SCRIPTS)
    gates = list(gates)
    names = {g.name for g in gates}
    parts = [helpers_js(), numbers, engine, kernels_js(gates), misconceptions_js(names)]
    parts += [_asset(name) for name in PLUGGED]
    text = "\n".join(parts + ([_asset("net.js")] if network else []) + ["GG.start();\n"])
    assert "</script" not in text.lower()
    return text


def build_page(root: Value, *, title: str | None = None, digits: int | None = None,
               lang: str | None = None, params: Iterable[Value] | None = None,
               rankdir: str = "LR", network: bool = False,
               max_nodes: int = DEFAULT_MAX_NODES) -> str:
    """The lesson page for ``root``'s graph, as one HTML string (see ``viz.stepper``)."""
    digits = check_digits(digits, "stepper digits")
    lang = resolve_language(lang)
    graph = Graph(root, max_nodes=max_nodes, collapse=network, where="stepper")
    data, gates = page_data(graph, digits, lang, params, network)
    network = "net" in data  # a graph without nn neurons gets the gate-by-gate page
    with speaking(lang):
        title = title if title is not None else _("gategrad: stepping through {name}").format(
            name=graph.names[root])
    if not isinstance(title, str):
        raise TypeError(f"stepper: title must be a string, got {type(title).__name__}")
    svg = _svg(graph, digits, lang, rankdir, network)
    js, css = _compact(script(gates, network)), _compact(_asset("page.css"), css=True)
    return _asset("page.html").format(
        lang="zh-CN" if lang == "zh" else "en", title=html.escape(title),
        csp=f"default-src 'none'; script-src '{_sha256(js)}'; style-src '{_sha256(css)}'",
        style=css, svg=svg, data=_json_for_script(data), script=js)

