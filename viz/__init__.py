"""gategrad's views of a graph: terminal tables, diagrams, frames, the HTML stepper.

- ``draw(root, ...)``: a ``graphviz.Digraph`` of the graph (``step=k`` for a frame).
- ``stepper(root, "steps.html")``: one self-contained HTML file to click through.
- ``frames(root)`` / ``export_frames(root, "frames/", fmt="svg")``: numbered frames for slides.
- ``save(diagram, "graph.svg")`` / ``save_dot``: write a diagram (DOT source needs no Graphviz).
- ``steps_table``, ``forward_table``, ``chain_rule_text``: the terminal tables.

Modules: ``graph`` (the graph model every picture shares), ``diagram`` (the painter),
``markup`` (safe text and cells), ``state`` (what one frame shows), ``slides`` (frames, their
captions, export_frames), ``stepper``, ``text`` (tables), ``expr`` (the safe expression
parser), ``render`` (Graphviz or the fallbacks). No module is named like a function viz
exports, so ``import viz.diagram`` is the module and ``viz.draw`` the function. The
``gategrad`` command lives above viz, in the ``gategrad`` package.
"""

from .diagram import draw
from .graph import GraphTooLarge
from .render import Diagram, GraphvizNotFound, renderer, save, save_dot, to_png, to_svg
from .slides import Frame, export_frames, frames
from .stepper import stepper
from .text import chain_rule_text, forward_table, steps_table

__all__ = [
    "Diagram", "Frame", "GraphTooLarge", "GraphvizNotFound", "chain_rule_text", "draw",
    "export_frames", "forward_table", "frames", "renderer", "save", "save_dot", "steps_table",
    "stepper", "to_png", "to_svg",
]
