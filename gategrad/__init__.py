"""The ``gategrad`` command: the top of the house, above engine, nn, viz and demos.

``gategrad steps "x*y + x" --set x=3 y=2`` (or ``python -m gategrad ...``); see ``gategrad.cli``.
"""

from .cli import COMMANDS, Command, main

__all__ = ["COMMANDS", "Command", "main"]
