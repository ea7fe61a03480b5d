"""The page's one picture: the graph laid out once by dot, with ids on the texts the script fills.

dot draws the frame before the first gate with cells of a fixed size (``viz.state.widths``), so
every number the page writes later fits and the picture never jumps. Here the SVG is trimmed
(no comments, titles or link groups) and each text node that changes gets an id,
``<node id>_<part>``: ``n3_d`` (data), ``n3_g`` (grad), ``e5_0_t`` (what a gate sends along its
first input's edge), ``neuron_L1_N2_s`` (a neuron box's cells in network mode),
``cluster_L1_label`` (a layer's title, said again in the language chosen).
"""

from __future__ import annotations

import re

from ..diagram import draw_graph
from ..graph import Graph, Walk
from ..render import to_svg

_GROUP = re.compile(r'<g id="([^"]+)" class="(node|edge|cluster)([^"]*)">')
_TEXT = re.compile(r"<text ")

# Between ranks, in inches: a little tighter than viz.draw's 0.3, so that a graph of the size
# of the CS231n example fits a 1280-pixel projector at full size (14 px text).
RANKSEP = "0.22"


def name_texts(svg: str, parts: dict[str, tuple[str, ...]]) -> str:
    """Give the k-th <text> of each node or edge group the id ``<group>_<parts[group][k]>``."""
    pieces = _GROUP.split(svg)
    out = [pieces[0]]
    for k in range(1, len(pieces), 4):
        group, kind, extra, body = pieces[k:k + 4]
        names = iter(parts.get(group, ()))

        def named(m: re.Match, names=names, group=group) -> str:
            part = next(names, None)
            return m.group(0) if part is None else f'<text id="{group}_{part}" '
        body = _TEXT.sub(named, body)
        if kind == "edge":  # the contribution is written centred on the edge
            body = body.replace('text-anchor="start"', 'text-anchor="middle"')
        out.append(f'<g id="{group}" class="{kind}{extra}">{body}')
    return "".join(out)


def layer_numbers(graph: Graph) -> list[int]:
    """The nn layers the picture draws a cluster for (``viz.diagram``: "layer L1")."""
    return sorted({ne.layer for ne in graph.neurons.values()})


def box_id(key: str) -> str:
    """The SVG id of a collapsed neuron's box: ``L1.N2`` -> ``neuron_L1_N2``."""
    return "neuron_" + key.replace(".", "_")


def _neurons_in_order(graph: Graph, diagram) -> None:
    """N1 above N2 above ... in each layer (dot would order them to shorten edges), and a
    tighter layout, so MLP(2, [4, 4, 1]) reads on a 1280x720 projector without zooming."""
    layers: dict[int, list] = {}
    for ne in graph.neurons.values():
        layers.setdefault(ne.layer, []).append(ne)
    for layer, members in layers.items():
        ids = [f'"{box_id(ne.key)}"' for ne in sorted(members, key=lambda ne: ne.index)]
        if len(ids) < 2:
            continue
        start = next(k for k, line in enumerate(diagram.body)
                     if line.strip().startswith(f"subgraph cluster_L{layer} {{"))
        end = next(k for k in range(start + 1, len(diagram.body))
                   if diagram.body[k].strip() == "}")
        diagram.body.insert(end, "\t\t{rank=same; " + " -> ".join(ids) + " [style=invis]}\n")
    diagram.graph_attr.update(ranksep="0.8", nodesep="0.15", mclimit="0.01")


def page_svg(graph: Graph, digits: int, lang: str, rankdir: str, collapse: bool) -> str:
    """The one layout: the frame before the first gate, cells of a fixed size, ids named."""
    diagram = draw_graph(graph, Walk(graph.root), rankdir=rankdir, digits=digits,
                         show_grad=True, highlight=(), step=0, phase="forward",
                         collapse=collapse, lang=lang)
    if collapse:
        _neurons_in_order(graph, diagram)
    else:
        diagram.graph_attr.update(ranksep=RANKSEP)
    svg = to_svg(diagram)
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<!--.*?-->\n?", "", svg, flags=re.S)
    svg = re.sub(r"<title>[^<]*</title>\n?", "", svg)
    svg = re.sub(r'<g id="a_[^"]*">', "<g>", svg)  # graphviz's ids of tooltip links
    svg = svg.replace(' font-family="Helvetica,sans-Serif"', "")  # the style sheet sets it
    parts: dict[str, tuple[str, ...]] = {}
    for ne in graph.neurons.values() if collapse else ():
        act = ne.a is not None and ne.a is not ne.s
        parts[box_id(ne.key)] = ("key", "s", "a", "d") if act else ("key", "s", "d")
    for layer in layer_numbers(graph):
        parts[f"cluster_L{layer}"] = ("label",)
    for n in graph.order:
        parts[graph.ids[n]] = ("name", "d", "g")
        for pos in range(len(n._prev)):
            parts[f"e{graph.ids[n][1:]}_{pos}"] = ("t",)
    svg = name_texts(svg, parts)
    # Defaults said once: start is SVG's default anchor; the style sheet sets 14 px for every
    # text without a size of its own (the cells at 14 pt and the edge labels at 13 pt alike:
    # a class reads both, and nothing under 14 px).
    svg = svg.replace(' text-anchor="start"', "")
    return re.sub(r' font-size="1[34]\.00"', "", svg)
