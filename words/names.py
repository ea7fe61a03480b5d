"""The one naming rule for nodes a user did not label, as the lecture notes write them.

Gate outputs are ``s0, s1, s2, ...`` in evaluation order, numbered without gaps; constants
(unlabelled leaves such as the 1 in ``1 + exp(-x)``) are ``c0, c1, ...`` and never take a number
from the gates' sequence; an unlabelled lone root is ``f``. A user's label always wins, and a
number a label already uses is skipped, so two nodes never share an automatic name.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

ROOT_NAME = "f"


def name_nodes(order: Sequence[Any], roots: Iterable[Any]) -> dict[Any, str]:
    """A display name for each node of ``order`` (leaves first, each after its inputs).

    Nodes are anything with ``label`` and ``_prev`` (engine.Value); this module imports nothing
    of the engine, so every layer can use it.
    """
    roots = list(roots)
    lone = roots[0] if len(roots) == 1 else None
    taken = {node.label for node in order if node.label}
    names: dict[Any, str] = {}
    counters = {"s": 0, "c": 0}
    for node in order:
        if node.label:
            names[node] = node.label
        elif node is lone and ROOT_NAME not in taken:
            names[node] = ROOT_NAME
        else:
            prefix = "s" if node._prev else "c"
            while f"{prefix}{counters[prefix]}" in taken:
                counters[prefix] += 1
            names[node] = f"{prefix}{counters[prefix]}"
            counters[prefix] += 1
    return names
