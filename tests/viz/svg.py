"""Reading rendered diagrams back, so tests check what a person would see, not our DOT source."""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass

NS = {"svg": "http://www.w3.org/2000/svg", "xlink": "http://www.w3.org/1999/xlink"}
XLINK_TITLE = "{http://www.w3.org/1999/xlink}title"


@dataclass
class SvgNode:
    id: str  # the SVG element id
    name: str  # the DOT node name (the <title>)
    classes: set[str]
    texts: list[str]  # every visible text, in order
    tooltip: str | None


def nodes(svg: str) -> list[SvgNode]:
    """Every node group of a dot SVG with its visible texts."""
    root = ET.fromstring(svg)
    out = []
    for g in root.iter("{http://www.w3.org/2000/svg}g"):
        classes = set((g.get("class") or "").split())
        if "node" not in classes:
            continue
        title = g.find("svg:title", NS)
        texts = ["".join(t.itertext()) for t in g.iter("{http://www.w3.org/2000/svg}text")]
        link = next((a for a in g.iter("{http://www.w3.org/2000/svg}a") if a.get(XLINK_TITLE)),
                    None)
        out.append(SvgNode(g.get("id"), title.text if title is not None else "", classes,
                           texts, link.get(XLINK_TITLE) if link is not None else None))
    return out


def edges(svg: str) -> dict[str, list[str]]:
    """Edge title ('n0->g2') -> its visible texts (the label, if any)."""
    root = ET.fromstring(svg)
    out: dict[str, list[str]] = {}
    for g in root.iter("{http://www.w3.org/2000/svg}g"):
        if "edge" in (g.get("class") or "").split():
            title = g.find("svg:title", NS).text
            out.setdefault(title, []).extend(
                "".join(t.itertext()) for t in g.iter("{http://www.w3.org/2000/svg}text"))
    return out


def by_label(svg: str) -> dict[str, SvgNode]:
    """Value nodes keyed by the label shown in their first cell."""
    return {n.texts[0]: n for n in nodes(svg) if "value" in n.classes and n.texts}


def current(svg: str) -> list[SvgNode]:
    return [n for n in nodes(svg) if "current" in n.classes]


def positions(source: str) -> list[tuple[str, ...]]:
    """Node name, x, y, width, height from `dot -Tplain`: equal lists mean equal layouts."""
    plain = subprocess.run(["dot", "-Tplain"], input=source, capture_output=True, text=True,
                           check=True).stdout
    return [tuple(line.split()[1:6]) for line in plain.splitlines() if line.startswith("node ")]


def clusters(diagram) -> dict[str, set[str]]:
    """Cluster name -> the full names (tooltips) of the nodes drawn inside it, via dot -Tjson."""
    data = json.loads(diagram.pipe(format="json", encoding="utf-8"))
    objects = {o["_gvid"]: o for o in data["objects"]}
    out = {}
    for o in data["objects"]:
        if o["name"].startswith("cluster_"):
            out[o["name"]] = {objects[i].get("tooltip", objects[i]["name"])
                              for i in o.get("nodes", [])}
    return out
