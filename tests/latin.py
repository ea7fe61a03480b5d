"""The Latin-word sweep: which English words are left in a Chinese text a class reads.

``latin_words(text)`` strips what stays as it is in Chinese (identifiers such as ``s0``, ``w1``,
``L1.N3``, ``x0``, ``δ``; numbers; code spans, formulas and function calls; file names, paths and
URLs; command names and their options) and returns the Latin words left that are not in
``ALLOWED``, the words the course's lecture notes themselves write in Latin letters (units,
gategrad, PyTorch, ReLU, sigmoid, tanh, softmax, MLP, ...). A test asserts the result is empty,
and shows it when it is not: each word comes with a little of the text around it.

Kept small and free of project imports, so any test (CLI, demos, page, worksheets, GIFs,
diagrams) can use it on any string.
"""

from __future__ import annotations

import re

# As the notes write them (case matters: "ReLU" in prose, "relu" only inside a formula).
ALLOWED = frozenset({
    # the tool, the libraries and programs a class is told about
    "gategrad", "PyTorch", "torch", "numpy", "NumPy", "Python", "Jupyter", "JupyterLab",
    "Graphviz", "Chromium", "Pillow", "matplotlib", "Babel", "micrograd", "CS231n",
    "Debian", "Ubuntu", "Fedora", "macOS", "Windows", "Noto", "CJK",
    # the notes' own Latin terms
    "ReLU", "sigmoid", "tanh", "softmax", "MLP", "SGD", "Adam", "AdamW", "Momentum", "L2",
    "Value", "NaN", "inf", "float64", "bug", "mini-batch", "batch", "epoch", "moons",
    "hinge", "MSE", "BCE", "KaTeX", "LaTeX", "Xavier", "Kaiming", "He",
    # functions in mathematical notation, written as the notes write formulas
    "exp", "log", "ln", "max", "min", "sum", "mean", "sqrt", "relu",
    # gategrad's package of networks, named as code names it; the shell's search path
    "nn", "PATH",
    # formats and units
    "GIF", "PNG", "SVG", "PDF", "HTML", "MP4", "DOT", "TeX", "CSV", "JSON", "UTF", "px", "pt",
    "ms", "dpi", "KB", "MB", "GB", "s", "CPU",
    # data sets and their file format, by their names
    "MNIST", "IDX",
    # the language switch shows each language's own name
    "English",
})

# Programs and the sub-commands a class types after them: a command line is code, not prose.
COMMANDS = ("gategrad", "make", "pip", "python", "python3", "sudo", "apt-get", "dnf", "brew",
            "winget", "choco", "jupyter", "dot")

# Packages a message tells a teacher to install, named as the package manager names them.
PACKAGES = ("fonts-noto-cjk", "google-noto-sans-cjk-fonts", "graphviz-pure", "imageio-ffmpeg",
            "scikit-learn", "graphviz", "chromium", "pillow", "imageio")

_PACKAGE = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(p) for p in PACKAGES) + r")(?![\w-])")
_URL = re.compile(r"\b(?:https?|file)://\S+")
_CODE_SPAN = re.compile(r"`[^`\n]*`")
# a command and the words typed after it, up to the end of the line, a Chinese character, a
# colon (``gategrad steps: error: ...`` is prose after the program's name) or a comment
_COMMAND = re.compile(
    r"(?<![\w.-])(?:" + "|".join(re.escape(c) for c in COMMANDS) + r")(?![\w-])"
    r"[ \t]*[^\n\u3000-\u9fff\uff00-\uffef:#]*")
_PATH = re.compile(r"(?<![\w])(?:[\w.~-]*/)+[\w.*-]*|[\w-]+\.(?:py|html|svg|png|gif|mp4|pdf|"
                   r"dot|gv|json|txt|csv|md|ipynb|tex|mo|po|ttc|ttf|toml|js|css)\b")
_OPTION = re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*(?:=\S*)?")
_QUOTED = re.compile(r"'[^'\s]*'")  # a value as repr() writes it: 'LR', 'x'
_CHOICES = re.compile(r"\{[^{}\s]*\}|\b\w+(?:\|\w+)+\b")  # {LR,TB}, en|zh
_EXTENSION = re.compile(r"(?<![\w/])\.[A-Za-z_]\w*")  # .svg, .png; an attribute: .history
_CALL = re.compile(r"\b[A-Za-z_][\w.]*\([^()\n]*(?:\([^()\n]*\)[^()\n]*)*\)")
# a setting: lr=1, batched=False (name and value), lr = 0.1 (the name)
_ASSIGN = re.compile(r"\b[A-Za-z_][\w.]*=(?!=)[^\s，。；：、（）)]*|\b[A-Za-z_][\w.]*\s+=(?!=)")
# a word that holds a digit, an underscore or a dot between letters is an identifier:
# s0, w1, L1.N3, x0, zero_grad, model.deltas, dL/dw (slashes are handled with the paths)
_IDENTIFIER = re.compile(r"\b[A-Za-z_]*(?:\d|_|\.(?=[A-Za-z_]))[\w.]*\b|\b[A-Za-z]+\*")
_CODE = (_URL, _CODE_SPAN, _COMMAND, _PACKAGE, _PATH, _QUOTED, _CHOICES, _EXTENSION, _OPTION,
         _CALL, _ASSIGN, _IDENTIFIER)
_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")


def strip_code(text: str) -> str:
    """``text`` with everything that stays as it is in Chinese replaced by spaces."""
    for pattern in _CODE:
        text = pattern.sub(" ", text)
    return text


def latin_words(text: str, allowed: frozenset[str] | set[str] = ALLOWED,
                identifiers: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """The Latin words of ``text`` a Chinese class should not meet, in order.

    A single letter is a variable (a, b, x, f, p, z, η's Latin cousins) and stays; so do the
    words in ``allowed`` and ``identifiers`` (a graph's own labels, say ``price`` or ``tax``)."""
    words = _WORD.findall(strip_code(text))
    return [w for w in words if len(w) > 1 and w not in allowed and w not in identifiers]


def report(text: str, words: list[str], where: str = "") -> str:
    """A failure message: each Latin word left with a little of the text around it."""
    place = f" of {where}" if where else ""
    lines = [f"{len(words)} Latin word(s) left in the Chinese text{place}:"]
    seen: set[str] = set()
    for w in words:
        if w in seen:
            continue
        seen.add(w)
        m = re.search(rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])", text)
        context = text[max(0, m.start() - 40):m.end() + 40] if m else ""
        lines.append(f"  {w!r}: …{context!r}…")
    return "\n".join(lines)


def assert_no_latin(text: str, where: str = "", *,
                    identifiers: frozenset[str] | set[str] = frozenset(),
                    allowed: frozenset[str] | set[str] = ALLOWED) -> None:
    """Fail, naming the words and where they are, when ``text`` has Latin words left."""
    words = latin_words(text, allowed=allowed, identifiers=identifiers)
    assert not words, report(text, words, where)
