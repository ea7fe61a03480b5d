"""Turning DOT source into SVG/PNG: the system Graphviz ``dot``, a pip-installed one, or a clear
message that says how to get one.

The most common complaint about graph-drawing tools in class is "failed to execute 'dot'". Every
diagram gategrad makes is a ``Diagram`` (a ``graphviz.Digraph``) whose ``pipe``/``render`` try,
in order: the system Graphviz ``dot``; then ``graphviz-pure``, a self-contained port of Graphviz
that pip installs on Linux, macOS and Windows (``pip install 'gategrad[render]'``; it drew our
labels, clusters and frames like dot in our evaluation); and otherwise raise
``GraphvizNotFound``, whose message says how to install Graphviz on the machine in front of you.
Writing the DOT source (``.source``, ``save_dot``) never needs either.

``GATEGRAD_RENDERER=dot`` or ``GATEGRAD_RENDERER=graphviz-pure`` in the environment picks one.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import graphviz

from words import N_, Text, _, error

from .fonts import warn_missing_glyphs

INSTALL_HELP = N_("""\
no Graphviz renderer found: the program `dot` is not installed (or not on PATH), so the diagram \
cannot be rendered. Install one, then run again:
  Debian/Ubuntu:  sudo apt-get install graphviz
  Fedora:         sudo dnf install graphviz
  macOS:          brew install graphviz
  Windows:        winget install graphviz   (or: choco install graphviz, or the installer
                  from graphviz.org), then open a new terminal so PATH is updated
  Anywhere, without admin rights:  pip install graphviz-pure   (or: pip install 'gategrad[render]')
Without a renderer you can still save the DOT source: viz.save_dot(diagram, "graph.dot") or
`gategrad draw ... -o graph.dot`, and open it in any Graphviz viewer.""")

PURE = "graphviz-pure"
SOURCE_FORMATS = ("dot", "gv")  # written as source, without running a renderer
PURE_FORMATS = ("svg", "png", "jpg", "jpeg", "json", "plain", "dot", "xdot")


class GraphvizNotFound(graphviz.ExecutableNotFound):
    """No renderer: neither ``dot`` nor ``graphviz-pure``; the message says how to install one.

    A subclass of ``graphviz.ExecutableNotFound`` so code that already catches that still works.
    """

    def __init__(self, detail: str = "") -> None:
        # the message in English; ``words.localize(error, lang)`` in the class's language
        self.text = Text(INSTALL_HELP)
        if detail:
            self.text = Text("{help}\n({detail})", help=self.text, detail=detail)
        RuntimeError.__init__(self, str(self.text))


def _choice() -> str:
    choice = os.environ.get("GATEGRAD_RENDERER", "auto").strip() or "auto"
    if choice not in ("auto", "dot", PURE):
        raise error(ValueError, Text("GATEGRAD_RENDERER must be 'dot', '{pure}' or 'auto', got "
                                     "{value}", pure=PURE, value=repr(choice)))
    return choice


def pure_renderer() -> str | None:
    """The path of the pip-installed ``graphviz-pure`` program, if there is one."""
    if _choice() == "dot":
        return None
    name = PURE + (".exe" if sys.platform == "win32" else "")
    for folder in (sysconfig.get_path("scripts"), str(Path(sys.executable).parent)):
        candidate = Path(folder) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which(PURE)


def renderer() -> str | None:
    """Which renderer diagrams will use: 'dot', 'graphviz-pure', or None (then GraphvizNotFound)."""
    choice = _choice()
    if choice != PURE and shutil.which("dot"):
        return "dot"
    return PURE if pure_renderer() else None


def _pure(source: str, fmt: str) -> bytes:
    program = pure_renderer()
    if program is None:
        raise GraphvizNotFound()
    if fmt not in PURE_FORMATS:
        raise GraphvizNotFound(_("{program} cannot write {fmt}; it writes {formats}").format(
            program=PURE, fmt=repr(fmt), formats=", ".join(PURE_FORMATS)))
    done = subprocess.run([program, f"-T{fmt}"], input=source.encode("utf-8"),
                          capture_output=True, check=False)
    if done.returncode != 0:
        raise graphviz.CalledProcessError(done.returncode, [program, f"-T{fmt}"],
                                          output=done.stdout, stderr=done.stderr)
    return done.stdout


def _dot_again(diagram: graphviz.Digraph, fmt: str, encoding: str | None):
    """Run dot once more on the whole source, through subprocess.run (which does not mind a
    reader that leaves early), and raise its refusal as the renderer's failure."""
    cmd = ["dot", f"-K{diagram.engine}", f"-T{fmt}"]
    done = subprocess.run(cmd, input=diagram.source.encode(diagram.encoding),
                          capture_output=True)
    if done.returncode != 0:
        sys.stderr.write(done.stderr.decode(errors="replace"))  # as graphviz echoes dot's stderr
        raise subprocess.CalledProcessError(done.returncode, cmd, output=done.stdout,
                                            stderr=done.stderr)
    return done.stdout.decode(encoding) if encoding else done.stdout


class Diagram(graphviz.Digraph):
    """A ``graphviz.Digraph`` that renders with ``dot``, else ``graphviz-pure``, else raises
    GraphvizNotFound (a message with install instructions instead of "failed to execute").

    Jupyter shows it inline; with no renderer at all the notebook shows the instructions and
    the DOT source instead of a traceback.
    """

    def pipe(self, format: str | None = None, *args, encoding: str | None = None,  # noqa: A002
             **kwargs):
        fmt = format or self.format or "pdf"
        warn_missing_glyphs(self.source, fmt)
        if _choice() != PURE:
            try:
                return super().pipe(fmt, *args, encoding=encoding, **kwargs)
            except graphviz.ExecutableNotFound:
                pass
            except BrokenPipeError:  # dot stopped reading and exited (a format it lacks, say):
                return _dot_again(self, fmt, encoding)  # hear why, instead of a broken pipe
        data = _pure(self.source, fmt)
        return data.decode(encoding) if encoding else data

    def render(self, filename=None, directory=None, view: bool = False, cleanup: bool = False,
               format: str | None = None, **kwargs):  # noqa: A002
        warn_missing_glyphs(self.source, format or self.format or "pdf")
        if _choice() != PURE:
            try:
                return super().render(filename, directory=directory, view=view, cleanup=cleanup,
                                      format=format, **kwargs)
            except graphviz.ExecutableNotFound:
                pass
        fmt = format or self.format or "pdf"
        source_path = Path(self.save(filename, directory=directory))
        out = source_path.with_name(f"{source_path.name}.{fmt}")
        out.write_bytes(_pure(self.source, fmt))
        if cleanup:
            source_path.unlink()
        return str(out)

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        """What Jupyter shows: the SVG, and as HTML the same SVG fitted to the cell's width
        (JupyterLab and VS Code prefer the HTML; nbconvert and GitHub read the SVG)."""
        wanted = set(include) if include is not None else {SVG_MIME, HTML_MIME}
        wanted -= set(exclude or ())
        try:
            bundle = super()._repr_mimebundle_(wanted - {HTML_MIME}, **kwargs)
            if HTML_MIME in wanted:
                svg = bundle.get(SVG_MIME) or self.pipe(format="svg", encoding="utf-8")
                bundle[HTML_MIME] = fit_to_width(svg)
            return bundle
        except GraphvizNotFound as error:
            return {"text/plain": f"{error}\n\n{self.source}"}

    def _repr_html_(self) -> str:
        return fit_to_width(self.pipe(format="svg", encoding="utf-8"))


SVG_MIME, HTML_MIME = "image/svg+xml", "text/html"
_SVG_TAG = re.compile(r"<svg\b[^>]*>")
_WIDTH = re.compile(r'\swidth="([0-9.]+)(pt|px)?"')


def fit_to_width(svg: str) -> str:
    """An SVG document as HTML that fits the width it is given: an ``<img>`` of the SVG,
    ``width: 100%`` up to its natural width (never enlarged), height from its proportions, so a
    wide graph in a notebook cell shrinks instead of growing a scrollbar that hides its output.
    Still a vector picture, crisp at any size. An image, not inline ``<svg>``: notebooks opened
    untrusted (saved outputs) sanitize HTML and strip SVG elements, but keep images."""
    tag = _SVG_TAG.search(svg)
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    image = f'<img src="data:image/svg+xml;base64,{data}" alt="gategrad diagram"'
    size = _WIDTH.search(tag.group(0)) if tag else None
    if tag is None or "viewBox" not in tag.group(0) or size is None:
        # Without a viewBox the picture cannot scale: its own size, in a box that scrolls.
        return f'<div style="max-width: 100%; overflow-x: auto">{image}></div>'
    natural = size.group(1) + (size.group(2) or "px")
    return f'{image} style="display: block; width: 100%; max-width: {natural}; height: auto">'


def _as_diagram(diagram: graphviz.Digraph) -> Diagram:
    """Any Digraph, with Diagram's fallback (a plain graphviz.Digraph has none)."""
    if isinstance(diagram, Diagram):
        return diagram
    return Diagram(name=diagram.name, body=list(diagram.body), graph_attr=diagram.graph_attr,
                   node_attr=diagram.node_attr, edge_attr=diagram.edge_attr,
                   strict=diagram.strict)


def to_svg(diagram: graphviz.Digraph) -> str:
    """The diagram rendered as SVG text."""
    return _as_diagram(diagram).pipe(format="svg", encoding="utf-8")


def to_png(diagram: graphviz.Digraph, dpi: int = 144, max_pixels: int = 8000) -> bytes:
    """The diagram as PNG bytes at ``dpi`` (144: sharp on a projector), scaled down if it
    would be more than ``max_pixels`` wide or high (huge PNGs are slow and useless)."""
    sharp = _as_diagram(diagram).copy()
    sharp.graph_attr.update(dpi=str(dpi), size=f"{max_pixels / dpi:.2f},{max_pixels / dpi:.2f}")
    return sharp.pipe(format="png")


def save_dot(diagram: graphviz.Digraph, path: str | Path) -> Path:
    """Write the DOT source to ``path``. Needs no renderer, so it always works."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(diagram.source, encoding="utf-8")
    return path


def save(diagram: graphviz.Digraph, path: str | Path) -> Path:
    """Write the diagram in the format its suffix names: .svg, .png, .pdf, or .dot/.gv (source).

    Unlike ``Digraph.render`` it writes exactly ``path`` and leaves no source file beside it;
    like it, it creates the folder when missing.
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt in SOURCE_FORMATS:
        return save_dot(diagram, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "svg":
        path.write_text(to_svg(diagram), encoding="utf-8")
    elif fmt == "png":
        path.write_bytes(to_png(diagram))
    elif fmt in ("pdf", "jpg", "jpeg"):
        path.write_bytes(_as_diagram(diagram).pipe(format=fmt))
    else:
        raise error(ValueError, Text("cannot tell the format from {path}: use a name ending in "
                                     ".svg, .png, .pdf or .dot", path=repr(str(path))))
    return path
