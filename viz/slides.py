"""Frames: the graph after each step of forward and backward, with what the teacher says.

``frames(root)`` gives the captions only; ``export_frames(root, "frames/")`` writes every frame
as a numbered SVG or PNG file for slides, with the captions in ``captions.txt``. Captions come
from the engine: the gate table's rule sentence and ``Step.chain_rule`` for backward,
``ForwardStep.formula`` for forward; their words through the gettext catalogue (``lang=``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from engine import Gate, Value
from words import Text, _, check_digits, error, num, resolve_language, speaking

from .diagram import draw_graph
from .graph import DEFAULT_MAX_NODES, PHASES, Graph, Walk
from .render import Diagram, save

DEFAULT_MAX_FRAMES = 400
_SHOWN_LEAVES = 8  # the first frame lists this many inputs, then "…"


@dataclass(frozen=True)
class Frame:
    """One picture of the walk and what the teacher says about it."""

    phase: str  # "forward" or "backward"
    index: int  # steps done in this phase: 0 is before the first gate
    total: int  # steps in this phase
    title: str
    rule: str  # the gate's rule sentence (or what the phase does, at step 0)
    lines: tuple[str, ...]  # the formula (forward) or the chain-rule lines (backward)


def check_phases(phases: Sequence[str]) -> tuple[str, ...]:
    """``phases`` as a tuple of "forward"/"backward", or a ValueError naming the setting."""
    phases = (phases,) if isinstance(phases, str) else tuple(phases)
    if not phases or any(p not in PHASES for p in phases):
        raise error(ValueError, Text("phases must be a sequence of 'forward' and/or 'backward', "
                                     "got {value}", value=repr(phases)))
    return phases


def title(gate: Gate) -> str:
    """The gate's one name in the current language, from the gate table: "mul gate", "乘法门"."""
    return gate.title(resolve_language())


def _frames(walk: Walk, names: dict[Value, str], digits: int,
            phases: Sequence[str]) -> list[Frame]:
    root = names[walk.root]
    out: list[Frame] = []
    if "forward" in phases:
        total = len(walk.forward)
        leaves = [n for n in names if not n._prev]
        shown = ", ".join(f"{names[n]} = {num(n.data, digits)}" for n in leaves[:_SHOWN_LEAVES])
        out.append(Frame("forward", 0, total,
                         _("Forward pass · {total} gates").format(total=total),
                         _("The inputs are set. Each gate computes its output from its inputs, "
                           "inputs before outputs."),
                         (shown + (", …" if len(leaves) > _SHOWN_LEAVES else ""),)))
        for s in walk.forward:
            out.append(Frame("forward", s.index, total,
                             _("Forward step {k} of {n}: {gate} → {node}").format(
                                 k=s.index, n=total, gate=title(s.gate), node=names[s.node]),
                             "", (s.formula(digits),)))
    if "backward" in phases:
        total = len(walk.backward)
        out.append(Frame("backward", 0, total,
                         _("Backward pass · {total} gates").format(total=total),
                         _("Backward starts at the output with d{root}/d{root} = 1. Each gate "
                           "then sends upstream × local derivative to each of its inputs."
                           ).format(root=root),
                         (f"d{root}/d{root} = 1",)))
        for s in walk.backward:
            out.append(Frame("backward", s.index, total,
                             _("Backward step {k} of {n}: {gate} at {node}").format(
                                 k=s.index, n=total, gate=title(s.gate), node=names[s.node]),
                             _(s.rule), tuple(s.chain_rule(digits))))
    return out


def frames(root: Value, *, digits: int | None = None, phases: Sequence[str] = PHASES,
           max_nodes: int = DEFAULT_MAX_NODES, collapse: bool = False,
           lang: str | None = None) -> list[Frame]:
    """The frames of a walk through ``root``'s graph, with their captions (no drawing).

    A graph past ``max_nodes`` (counting each nn neuron as one box with ``collapse=True``, as
    the pictures will) is refused (GraphTooLarge) while it is being counted."""
    digits, phases = check_digits(digits), check_phases(phases)
    graph = Graph(root, max_nodes=max_nodes, collapse=collapse, where="frames")
    with speaking(lang):
        return _frames(Walk(root), graph.names, digits, phases)


def pictures(graph: Graph, *, digits: int | None, rankdir: str, collapse: bool,
             phases: Sequence[str], max_frames: int, id_prefix: str = "",
             lang: str | None = None) -> Iterator[tuple[Frame, Diagram]]:
    """Every frame with its diagram (one layout for all), in order. ``id_prefix`` may hold
    ``{}`` for the frame's number (ids unique across frames on one page)."""
    digits, phases = check_digits(digits), check_phases(phases)
    walk = Walk(graph.root)
    with speaking(lang):
        todo = _frames(walk, graph.names, digits, phases)
    if len(todo) > max_frames:
        raise error(ValueError, Text(
            "this graph has {count} frames, more than max_frames={most}: nobody clicks through "
            "that many. Step through a smaller graph (one neuron, one sample), pass "
            "phases=['backward'], or pass max_frames={count} to make it anyway.",
            count=len(todo), most=max_frames))
    for number, frame in enumerate(todo):
        yield frame, draw_graph(graph, walk, rankdir=rankdir, digits=digits, show_grad=True,
                                highlight=(), step=frame.index, phase=frame.phase,
                                collapse=collapse, id_prefix=id_prefix.format(number),
                                lang=lang)


def export_frames(root: Value, directory: str | Path, fmt: str = "svg", *,
                  digits: int | None = None, rankdir: str = "LR", collapse: bool = False,
                  phases: Sequence[str] = PHASES, max_frames: int = DEFAULT_MAX_FRAMES,
                  max_nodes: int = DEFAULT_MAX_NODES, lang: str | None = None) -> list[Path]:
    """Write every frame as a numbered file (``001-forward-0.svg`` ...) for slides, and the
    captions in ``captions.txt``. ``fmt`` is "svg", "png" or "dot". Returns the frame files."""
    if fmt not in ("svg", "png", "dot"):
        raise error(ValueError, Text("fmt must be 'svg', 'png' or 'dot', got {value}",
                                     value=repr(fmt)))
    graph = Graph(root, max_nodes=max_nodes, collapse=collapse, where="export_frames")
    todo = pictures(graph, digits=digits, rankdir=rankdir, collapse=collapse, phases=phases,
                    max_frames=max_frames, lang=lang)
    first = next(todo)  # settings are checked before anything is written
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written, captions = [], []
    for number, (frame, diagram) in enumerate(chain([first], todo), start=1):
        path = save(diagram, directory / f"{number:03d}-{frame.phase}-{frame.index}.{fmt}")
        written.append(path)
        captions.append("\n".join([f"{path.name}  {frame.title}"]
                                  + [f"    {t}" for t in (frame.rule, *frame.lines) if t]))
    (directory / "captions.txt").write_text("\n\n".join(captions) + "\n", encoding="utf-8")
    return written
