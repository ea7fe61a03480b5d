"""One voice for every number, name and word a class reads.

- numbers: ``num``, ``operand``, ``product`` (``exact_places``, ``trimmed``: exact mode) and
  the one default ``DIGITS``;
- lines: ``forward_line``, ``chain_rule_lines``, ``bracketed`` (a gate's two lines) and
  ``gradcheck_table``;
- names: ``name_nodes``, the lecture notes' rule (s0, s1, ... for gate outputs);
- width: ``width``, ``pad``, ``align`` (display columns, so Chinese lines up);
- i18n: ``_``, ``N_``, ``Text``, ``Localized``, ``speaking`` and the gettext catalogues in
  ``locale/``;
- fonts: which installed font draws Chinese, for matplotlib and Pillow (``words.fonts``).

Nothing here imports the rest of the engine: every layer may use it.
"""

from .i18n import (
    LANGUAGES,
    N_,
    Localized,
    Text,
    _,
    catalogue,
    error,
    gettext,
    localize,
    ngettext,
    resolve_language,
    speaking,
)
from .lines import (
    bracketed,
    chain_rule_lines,
    forward_line,
    gradcheck_table,
    latex_name,
    negated,
    with_exponent,
)
from .names import ROOT_NAME, name_nodes
from .numbers import (
    DIGITS,
    MAX_DIGITS,
    check_digits,
    exact_places,
    num,
    operand,
    product,
    trimmed,
)
from .width import align, pad, width

__all__ = [
    "DIGITS", "LANGUAGES", "MAX_DIGITS", "N_", "ROOT_NAME", "Localized", "Text", "_", "align",
    "bracketed", "catalogue", "chain_rule_lines", "check_digits", "error", "exact_places",
    "forward_line", "gettext", "gradcheck_table", "latex_name", "localize", "name_nodes",
    "negated", "ngettext", "num", "operand", "pad", "product", "resolve_language", "speaking",
    "trimmed", "width", "with_exponent",
]
