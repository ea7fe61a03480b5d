"""Build the lesson page: one SVG laid out by dot, the graph as JSON, one generated script.

Python embeds the graph's structure and its leaves' values, never its results: the page's
script computes forward and backward itself, with kernels and tables generated from Python's
(``js``, ``tables``), and writes every number into the SVG's text nodes. The parts of the page
are built by ``gate_view``, so another view can embed them (the layer view opens a neuron's
gates in it); ``build_page`` puts them into one file, its one script and one style sheet
allowed by their hashes (``assemble``).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass

from engine import Value
from words import Text, check_digits, resolve_language

from ..graph import DEFAULT_MAX_NODES, Graph
from .assemble import (
    HERE,
    asset,
    compact,
    content_security_policy,
    join_scripts,
    json_for_script,
    sha256,
)
from .data import page_data, title_data, title_text
from .js import helpers_js, kernels_js
from .leaves import leaf_roles
from .svg import page_svg
from .tables import tables_js

# The page's own scripts, in the order they are put together: each defines one object of the
# same name as the file (net.js: network). The generated parts come first: helpers, kernels,
# tables (from Python's tables), after numbers.js, the one hand-written twin.
SCRIPTS = ("engine.js", "page.js", "words.js", "picture.js", "captions.js", "controls.js",
           "fields.js", "paths.js", "update.js", "grading.js", "quiz.js", "health.js",
           "handout.js")
NETWORK_SCRIPTS = ("net.js",)
DIGIT_CHOICES = range(0, 7)  # the page's digits control; the layout fits the digits built with


@dataclass(frozen=True)
class PageParts:
    """A gate view of one graph, ready to be put into a page: its title (plain text), its
    language, the HTML of the view (controls, caption, the SVG, the side panel), its JSON
    data, its one script and its style sheet (both compacted, checked, to be allowed by hash)."""

    title: str
    lang: str
    body: str
    data: dict
    script: str
    style: str
    network: bool

    def csp(self) -> str:
        return content_security_policy(self.script, self.style)

    def html(self) -> str:
        """The whole page: one offline HTML file."""
        return asset("page.html").format(
            lang="zh-CN" if self.lang == "zh" else "en", title=html.escape(self.title),
            csp=self.csp(), style=self.style, body=self.body,
            body_class="network no-panel" if self.network else "",
            data=json_for_script(self.data), script=self.script)


def script(gates: Iterable, network: bool = False) -> str:
    """The page's one script: the generated parts, then our files, then ``page.start()``."""
    gates = list(gates)
    ours = [compact(asset(name)) for name in
            ("numbers.js", *SCRIPTS, *(NETWORK_SCRIPTS if network else ()))]
    return join_scripts([helpers_js(), ours[0], kernels_js(gates, python_floats=True),
                         tables_js(gates), *ours[1:],
                         "page.start();\n"])


def gate_view(root: Value, *, title: str | Text | None = None, digits: int | None = None,
              lang: str | None = None, inputs: Iterable[str | Value] | None = None,
              params: Iterable[Value] | None = None, rankdir: str = "LR",
              network: bool = False, max_nodes: int = DEFAULT_MAX_NODES) -> PageParts:
    """The parts of the lesson page for ``root``'s graph (see ``viz.stepper``)."""
    digits = check_digits(digits, "stepper digits")
    lang = resolve_language(lang)
    graph = Graph(root, max_nodes=max_nodes, collapse=network, where="stepper")
    roles = leaf_roles(graph, inputs, params)
    shown_title = title_data(title, graph.names[root])
    data, gates = page_data(graph, digits, lang, roles, shown_title, network)
    network = "net" in data  # a graph without nn neurons gets the gate-by-gate page
    text = title_text(shown_title, lang)
    options = "".join(f'<option{" selected" if d == digits else ""}>{d}</option>'
                      for d in sorted({*DIGIT_CHOICES, digits}))
    body = asset("view.html").format(title=html.escape(text), digit_options=options,
                                     panel_pressed="false" if network else "true",
                                     svg=page_svg(graph, digits, lang, rankdir, network))
    return PageParts(text, lang, body, data, script(gates, network),
                     compact(asset("page.css"), css=True), network)


def build_page(root: Value, *, title: str | Text | None = None, digits: int | None = None,
               lang: str | None = None, inputs: Iterable[str | Value] | None = None,
               params: Iterable[Value] | None = None, rankdir: str = "LR",
               network: bool = False, max_nodes: int = DEFAULT_MAX_NODES) -> str:
    """The lesson page for ``root``'s graph, as one HTML string (see ``viz.stepper``)."""
    return gate_view(root, title=title, digits=digits, lang=lang, inputs=inputs,
                     params=params, rankdir=rankdir, network=network,
                     max_nodes=max_nodes).html()


# The names the layer view (viz.lesson) imported before the split: still here.
_asset, _compact, _json_for_script, _sha256 = asset, compact, json_for_script, sha256
__all__ = ["HERE", "PageParts", "build_page", "gate_view", "script"]
