"""The page's data: the graph's structure and its leaves' values as JSON, never its results.

Each node: its SVG id, its display name (``engine.node_names``), whether it is a leaf (then its
value) or which gate made it and from which inputs, which gates read it, and its label's repr
as Python's messages quote it. Beside the nodes: the root, the digits, the language, the title
(a msgid the page translates, or the user's own text), the data inputs and the parameters the
update step moves, network mode's units, and the catalogue of every msgid the page may show.
"""

from __future__ import annotations

from words import Text, gettext

from ..graph import Graph
from .js import gate_key
from .leaves import LeafRoles
from .network import network_data
from .svg import layer_numbers
from .tables import table_msgids
from .words import LAYER, NETWORK_WORDS, SHARED, TITLE, WORDS, page_catalogue


def title_data(title: str | Text | None, root_name: str) -> dict:
    """The title as the page writes it: a msgid and its values, translated on a language
    switch (``None``: the page's own, a ``words.Text``: yours), or your text as it is."""
    if title is None:
        return {"msgid": TITLE, "params": {"name": root_name}}
    if isinstance(title, Text):
        return {"msgid": title.msgid, "params": {k: str(v) for k, v in title.params.items()}}
    if not isinstance(title, str):
        raise TypeError(f"stepper: title must be a string or a words.Text, got "
                        f"{type(title).__name__}")
    return {"text": title}


def title_text(title: dict, lang: str) -> str:
    """The title of ``title_data`` in ``lang``, as the page first shows it."""
    if "msgid" in title:
        return gettext(title["msgid"], lang).format(**title["params"])
    return title["text"]


def page_data(graph: Graph, digits: int, lang: str, roles: LeafRoles, title: dict,
              network: bool = False) -> tuple[dict, list]:
    """The JSON the page reads and the gate rows it uses."""
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
    gates = list(used.values())
    net = network_data(graph, index) if network else None
    msgids = [*WORDS, *SHARED, *table_msgids(gates)] + (list(NETWORK_WORDS) if net else [])
    if "msgid" in title:
        msgids.append(title["msgid"])
    data = {"nodes": nodes, "root": index[graph.root], "digits": digits, "lang": lang,
            "title": title, "inputs": roles.inputs, "params": roles.params,
            "clusters": [{"id": f"cluster_L{k}_label", "msgid": LAYER, "params": {"name": f"L{k}"}}
                         for k in layer_numbers(graph)],
            "cat": page_catalogue(msgids)}
    if net is not None:
        data["net"] = net
    return data, gates
