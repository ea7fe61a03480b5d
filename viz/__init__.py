"""gategrad's views of a graph: terminal tables, diagrams, frames, the HTML stepper, the CLI."""

from .text import chain_rule_text, forward_table, steps_table

__all__ = ["chain_rule_text", "forward_table", "steps_table"]
