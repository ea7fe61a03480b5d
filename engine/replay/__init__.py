"""Batched replay: trace the graph of one sample once, then run it over a whole batch with numpy.

The scalar graph stays the thing a class sees; ``compile_replay`` only plans how to run the same
graph on B samples at once, and reads the gate table rather than a second copy of the rules.
Read it in this order:

- ``formulas``: the table's formula strings (checked by ``engine.formulas``, the one
  whitelist) turned into numpy functions, with each helper's numpy column;
- ``plan``: weighted sums found in the graph, one ``W @ U`` per depth; other gates vectorised;
- ``program``: ``compile_replay`` and the ``Program`` it returns (``forward``, ``backward``);
- ``guard``: a gradient that is not finite on backward, named (gate, input, sample);
- ``export``: ``export_plan(program)``, the plan as data for the lesson page's interpreter.
"""

from .export import export_plan
from .formulas import NUMPY_FUNCTIONS, ReplayError, numpy_forms
from .plan import DENSE_LIMIT
from .program import Program, compile_replay

__all__ = ["DENSE_LIMIT", "NUMPY_FUNCTIONS", "Program", "ReplayError", "compile_replay",
           "export_plan", "numpy_forms"]
