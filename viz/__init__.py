"""gategrad's views of a graph: terminal tables, diagrams, frames, animations, the lesson page.

- ``draw(root, ...)``: a ``graphviz.Digraph`` of the graph (``step=k`` for a frame).
- ``stepper(root, "steps.html")``: the lesson page, one offline HTML file to step, edit and
  explore (without a path, an object notebooks show inline).
- ``lesson(model, X, y, "lesson.html", loss=...)``: the notes' network in the page, the layer
  view and training a class can watch and pause (viz/lesson).
- ``export_animation(root, "backward.gif")``: every step as a frame with its caption drawn on
  it, for slides and LMS pages (GIF, or mp4 with ``gategrad[video]``).
- ``frames(root)`` / ``export_frames(root, "frames/", fmt="svg")``: numbered frames for slides.
- ``save(diagram, "graph.svg")`` / ``save_dot``: write a diagram (DOT source needs no Graphviz).
- ``steps_table``, ``forward_table``, ``chain_rule_text``: the terminal tables.

Modules: ``graph`` (the graph model every picture shares), ``diagram`` (the painter),
``markup`` (safe text and cells), ``state`` (what one frame shows), ``slides`` (frames, their
captions, export_frames), ``animate`` (GIF/mp4), ``page`` (the lesson page), ``text``
(tables), ``expr`` (the safe expression parser), ``render`` (Graphviz or the fallbacks). No
module is named like a function viz exports, so ``import viz.diagram`` is the module and
``viz.draw`` the function. The ``gategrad`` command lives above viz, in the ``gategrad``
package.
"""

from .animate import export_animation
from .diagram import draw
from .graph import GraphTooLarge
from .lesson import lesson
from .page import stepper
from .render import Diagram, GraphvizNotFound, renderer, save, save_dot, to_png, to_svg
from .slides import Frame, export_frames, frames
from .text import chain_rule_text, forward_table, steps_table

__all__ = [
    "Diagram", "Frame", "GraphTooLarge", "GraphvizNotFound", "chain_rule_text", "draw",
    "export_animation", "export_frames", "forward_table", "frames", "lesson", "renderer",
    "save",
    "save_dot", "steps_table", "stepper", "to_png", "to_svg",
]
