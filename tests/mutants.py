"""``make mutants``: plant realistic bugs one at a time and list the ones the tests miss.

Each plant is one small edit a person could make by mistake (a ``<`` for ``<=``, a forgotten
bracket, a score counted on every try), in the practice, voice and page layers (``grading/``,
``words/``, ``viz/page/``). For each, the script copies the working tree into a temporary
folder, makes the edit there, and runs the test files relevant to that layer (stopping at the
first failure): a failing run has *killed* the plant, a passing one lets it *survive*. A
survivor is a missing test, unless the plant is marked with why it cannot be told apart from
the right code (``survives=...``, shown in the report).

    .venv/bin/python tests/mutants.py            # every plant (15 min on 2 cores, 30 shared)
    .venv/bin/python tests/mutants.py --list     # the plants, without running anything
    .venv/bin/python tests/mutants.py names_skip_one num_minus_zero

The exit status is 0 when every survivor is explained and every explained plant survives (an
explanation that no longer holds is reported too), 1 otherwise. Not collected by pytest (its
name does not start with test_) and not part of ``make test``: it runs the tests 43 times.
A plant whose text is no longer in its file is an error: plants must not rot silently.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

WORDS = ("tests/words", "tests/engine/test_steps.py", "tests/viz/test_text.py",
         "tests/viz/test_text_zh.py", "tests/gategrad/test_voice.py")
GRADING = ("tests/grading",)
PAGE = ("tests/viz/test_page_engine.py", "tests/viz/test_page_features.py",
        "tests/viz/test_page_quiz.py", "tests/viz/test_page_refusals.py",
        "tests/viz/test_page_classroom.py", "tests/viz/test_stepper.py")


@dataclass(frozen=True)
class Plant:
    """One bug: in ``path``, the text ``old`` (found exactly once) becomes ``new``."""

    key: str
    path: str
    old: str
    new: str
    says: str
    tests: tuple[str, ...]
    survives: str = ""  # why it cannot be caught, for a plant that is expected to survive


PLANTS = (
    # -- words: numbers ---------------------------------------------------------------------------
    Plant("num_minus_zero", "words/numbers.py", 'text[0] == "-" and float(text) == 0.0',
          'text[0] == "-" and x == 0.0', "-0.001 at 2 digits shows -0.00", WORDS),
    Plant("operand_by_value", "words/numbers.py",
          'return f"({text})" if text[0] == "-" else text',
          'return f"({text})" if x < 0 else text', "-0.001 is bracketed as (0.00)", WORDS),
    Plant("product_max_digits", "words/numbers.py", "range(d, MAX_DIGITS + 1)",
          "range(d, MAX_DIGITS)", "exact mode stops one digit early", WORDS,
          survives="exact_places falls back to MAX_DIGITS when no fewer places work, which is "
                   "what the loop's last step would return: the range's end cannot change the "
                   "answer (it could while product() looped itself, before the merge of main)"),
    Plant("product_half_up", "words/numbers.py",
          "quantize(quantum, ROUND_HALF_EVEN)", "quantize(quantum, 'ROUND_HALF_UP')",
          "exact mode checks a product by rounding half up, as the display does not",
          WORDS),
    Plant("product_unbracketed", "words/numbers.py",
          'f"({shown_b})" if shown_b[0] == "-" else shown_b', "shown_b",
          "exact mode writes 0.20 × -2 without brackets", WORDS),
    Plant("trim_minus_zero", "words/numbers.py", 'return "0" if text == "-0" else text',
          "return text", "exact mode shows -0", WORDS,
          survives="num never writes a negative zero (it drops the sign of a rounded zero), "
                   "so _trim never sees '-0.0...': the guard is defence in depth, and no input "
                   "can tell the plant from the code"),
    Plant("digits_upper_bound", "words/numbers.py", "0 <= digits <= MAX_DIGITS",
          "0 <= digits < MAX_DIGITS", "digits=12 refused", WORDS),
    # -- words: names -----------------------------------------------------------------------------
    Plant("names_skip_one", "words/names.py",
          'while f"{prefix}{counters[prefix]}" in taken:',
          'if f"{prefix}{counters[prefix]}" in taken:',
          "an automatic name skips one taken label, not two in a row: s1 twice", WORDS),
    Plant("names_root_taken", "words/names.py", "elif node is lone and ROOT_NAME not in taken:",
          "elif node is lone:", "the root is called f though a leaf is labelled f", WORDS),
    Plant("names_shared_counter", "words/names.py",
          'names[node] = f"{prefix}{counters[prefix]}"\n            counters[prefix] += 1',
          'names[node] = f"{prefix}{counters[prefix]}"\n            counters["s"] += 1',
          "constants take numbers from the gates' sequence (gaps in s0, s1, ...)", WORDS),
    # -- words: lines, width, i18n ----------------------------------------------------------------
    Plant("pow_base_unbracketed", "words/lines.py",
          "[node.left, node.right] if isinstance(node.op, ast.Pow) else [node.right]",
          "[node.right]", "(-3.00) ** 2 is written -3.00 ** 2", WORDS),
    Plant("negated_zero", "words/lines.py",
          'or (k in negated and float(shown) == 0.0)', "",
          "negating a displayed zero shows -0.00", WORDS),
    Plant("negative_exponent", "words/lines.py", 'f"({p:g})" if p < 0 else f"{p:g}"',
          'f"{p:g}"', "x ** -1 without brackets", WORDS),
    Plant("chain_rule_assigns", "words/lines.py", 'f"d{root}/d{x} += d{root}/d{node}',
          'f"d{root}/d{x} = d{root}/d{node}', "the chain-rule line says = where it adds",
          WORDS),
    Plant("latex_underscore", "words/lines.py", r'r"([A-Za-z]+)_?(\d+)"',
          r'r"([A-Za-z]+)(\d+)"', "s_3 becomes s\\_3 instead of s_{3}", WORDS),
    Plant("pad_by_len", "words/width.py", "max(columns - width(text), 0)",
          "max(columns - len(text), 0)", "tables padded by len(): Chinese misaligned", WORDS),
    Plant("nested_text_english", "words/i18n.py",
          "v.render(lang) if isinstance(v, (Text, Localized)) else v",
          "str(v) if isinstance(v, (Text, Localized)) else v",
          "a message inside a message stays English", WORDS),
    Plant("lang_dash", "words/i18n.py", 'code = lang.strip().replace("-", "_")',
          "code = lang.strip()", "zh-CN is not understood as Chinese", WORDS),
    # -- grading: the grading rule ----------------------------------------------------------------
    Plant("tolerance_whole_digit", "grading/misconceptions.py", "return 0.5 * 10.0 ** -digits",
          "return 1.0 * 10.0 ** -digits", "a whole last digit of slack, not half", GRADING),
    Plant("tolerance_strict", "grading/misconceptions.py",
          "abs(answer - value) <= tolerance(value, digits)",
          "abs(answer - value) < tolerance(value, digits)",
          "an answer exactly half a digit off is wrong", GRADING),
    Plant("no_slack", "grading/misconceptions.py",
          "0.5 * 10.0 ** -digits + SLACK * (1.0 + abs(value))", "0.5 * 10.0 ** -digits",
          "no float slack: a typed 0.12 against a computed 0.125 is wrong", GRADING),
    Plant("rounded_reading_exact", "grading/misconceptions.py",
          "float(num(numbers[k], digits)) if reading.rounded else float(numbers[k])",
          "float(numbers[k])", "the displayed numbers are not read as displayed", GRADING),
    Plant("right_twin_named", "grading/misconceptions.py",
          "if _close(answer, theirs, digits) and not graded_right(theirs):",
          "if _close(answer, theirs, digits):",
          "a misconception whose answer is right is named", GRADING),
    Plant("other_is_first", "grading/misconceptions.py",
          '"other": others[0] if others else 0.0', '"other": step.inputs[0].node.data',
          "the other operand of input a is a itself", GRADING),
    Plant("relu_at_zero_when", "grading/misconceptions.py", '("relu",), (), "own == 0"',
          '("relu",), (), "own <= 0"', "relu_at_zero named for a negative input", GRADING),
    # -- grading: exercises, worksheets, broken engines -------------------------------------------
    Plant("code_swapped_operands", "grading/exercises.py",
          'f"{name} = {shown[0]} {_SYMBOL[gate]} {shown[1]}"',
          'f"{name} = {shown[1]} {_SYMBOL[gate]} {shown[0]}"',
          "a worksheet's code line writes y - x for x - y", GRADING),
    Plant("code_caret_power", "grading/exercises.py", 'f"{name} = {shown[0]} ** {shown[1]}"',
          'f"{name} = {shown[0]} ^ {shown[1]}"', "a worksheet writes d ^ 2 (XOR in Python)",
          GRADING),
    Plant("grads_not_unique", "grading/exercises.py",
          "for kind in (\"value\", \"grad\"):\n        shown = [round(c.answer, ex.digits)",
          "for kind in (\"value\",):\n        shown = [round(c.answer, ex.digits)",
          "asked gradients may repeat: a swapped answer passes", GRADING),
    Plant("relu_kink_allowed", "grading/exercises.py", '(gate == "relu" and inputs[0] == 0)',
          '(gate == "relu" and inputs[0] < 0)', "an exercise may sit on relu's kink", GRADING),
    Plant("inexact_answers", "grading/exercises.py", "abs(round(x, digits) - x) < 1e-9",
          "abs(round(x, digits) - x) < 1e-3", "answers with more digits than shown", GRADING,
          survives="every number of the levels is a multiple of 1/16 (integers, halves, their "
                   "products and squares), whose rounding error at 2 decimals is 0 or at least "
                   "0.0025: 1e-3 refuses the same draws as 1e-9 (the same 1,200 exercises for "
                   "levels 1-5, seeds 0-59, checked)"),
    Plant("notes_rate_sign", "grading/notes.py",
          "w, b = w - RATE * wv.grad, b - RATE * bv.grad",
          "w, b = w - RATE * wv.grad, b + RATE * bv.grad",
          "the notes' training loop climbs in b", GRADING),
    Plant("assign_fixed", "grading/broken.py",
          "grads[child] = local * grads[node]  # the bug",
          "grads[child] += local * grads[node]  # the bug",
          "the broken engine is right after all", GRADING),
    Plant("depth_last_path", "grading/broken.py",
          "depth[child] = max(depth[child], depth[node] + 1)",
          "depth[child] = depth[node] + 1", "the recursion's depth from the last path only",
          GRADING),
    Plant("second_pass_once", "grading/broken.py", "for _ in range(2):", "for _ in range(1):",
          "the second-backward engine runs one pass", GRADING),
    # -- the page ---------------------------------------------------------------------------------
    Plant("json_lt", "viz/page/assemble.py", '.replace("<", "\\\\u003c")', "",
          "a label '</script >' ends the page's JSON early", PAGE),
    Plant("js_exponent_threshold", "viz/page/numbers.js", "if (ax >= 1e21) {",
          "if (ax > 1e21) {", "num(1e21) is written 1e+21.00 in the page", PAGE),
    Plant("js_minus_zero", "viz/page/numbers.js",
          'if (text[0] === "-" && parseFloat(text) === 0)',
          'if (text[0] === "-" && x === 0)', "the page shows -0.00", PAGE),
    Plant("js_half_even", "viz/page/numbers.js", "q % 2n === 1n", "q % 2n === 0n",
          "the page's exact mode rounds ties the wrong way", PAGE),
    Plant("js_repr_exponent", "viz/page/numbers.js", "if (exp >= -4 && exp < 16) {",
          "if (exp >= -4 && exp <= 16) {", "pyrepr(1e16) is 10000000000000000.0", PAGE),
    Plant("quiz_scores_retries", "viz/page/quiz.js", "if (one.tries === 1) { score.right++; }",
          "score.right++;", "the page's quiz scores a right second try", PAGE),
    Plant("quiz_whole_digit", "viz/page/grading.js",
          "Math.abs(answer - value) <= rule.tolerance(value, digits, rule.slack)",
          "Math.abs(answer - value) <= 2 * rule.tolerance(value, digits, rule.slack)",
          "the page's quiz allows a whole last digit", PAGE),
    Plant("js_assigns_gradient", "viz/page/engine.js", "sums[j] = before + contribution;",
          "sums[j] = contribution;", "the page's backward assigns where it adds", PAGE),
    Plant("js_guard_nan_only", "viz/page/engine.js", "if (!isFinite(sums[node.inputs[q]])) {",
          "if (isNaN(sums[node.inputs[q]])) {",
          "the page's backward guard lets an infinite gradient through", PAGE),
)


def _tree() -> list[str]:
    """The working tree's files (tracked and new, not ignored): what the copy holds."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], cwd=ROOT, capture_output=True, check=True)
    return [p for p in listed.stdout.decode().split("\0") if p and (ROOT / p).is_file()]


def _pytest(copy: Path, tests: tuple[str, ...], stop: bool) -> tuple[bool, float, str]:
    """Run ``tests`` in ``copy``; (passed, seconds, the last line of the report)."""
    env = dict(os.environ, PYTHONPATH=str(copy), PYTHONDONTWRITEBYTECODE="1")
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests]
    start = time.monotonic()
    try:
        done = subprocess.run(command + (["-x"] if stop else []), cwd=copy, env=env,
                              capture_output=True, text=True, timeout=1800)
    except subprocess.TimeoutExpired:
        return False, time.monotonic() - start, "timed out (counts as killed)"
    lines = done.stdout.strip().splitlines()
    return done.returncode == 0, time.monotonic() - start, lines[-1] if lines else ""


def _text(plant: Plant) -> str:
    """The planted file's text, checked to hold the plant's text exactly once."""
    text = (ROOT / plant.path).read_text(encoding="utf-8")
    if text.count(plant.old) != 1:
        raise SystemExit(f"plant {plant.key}: its text occurs {text.count(plant.old)} times in "
                         f"{plant.path}, not once; update the plant")
    return text


def _apply(copy: Path, plant: Plant) -> str:
    text = _text(plant)
    (copy / plant.path).write_text(text.replace(plant.old, plant.new), encoding="utf-8")
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("keys", nargs="*", help="run only these plants")
    parser.add_argument("--list", action="store_true", help="list the plants and stop")
    args = parser.parse_args(argv)
    unknown = set(args.keys) - {p.key for p in PLANTS}
    if unknown:
        parser.error(f"no plant named {', '.join(sorted(unknown))}")
    plants = [p for p in PLANTS if not args.keys or p.key in args.keys]
    for plant in plants:  # every plant's text is where it says, before anything runs
        _text(plant)
    if args.list:
        for p in plants:
            print(f"{p.key:24} {p.path:28} {p.says}")
        return 0
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="gategrad-mutants-") as folder:
        copy = Path(folder)
        for name in _tree():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, copy / name)
        everything = tuple(sorted({t for p in plants for t in p.tests}))
        ok, seconds, said = _pytest(copy, everything, stop=True)
        print(f"baseline, unplanted: {said} ({seconds:.0f} s)", flush=True)
        if not ok:
            print("the tests fail without any plant: fix them first")
            return 1
        results = []
        for k, plant in enumerate(plants, 1):
            original = _apply(copy, plant)
            try:
                survived, seconds, said = _pytest(copy, plant.tests, stop=True)
            finally:
                (copy / plant.path).write_text(original, encoding="utf-8")
            results.append((plant, survived))
            verdict = "SURVIVED" if survived else "killed"
            print(f"[{k}/{len(plants)}] {plant.key:24} {verdict:8} {seconds:5.0f} s  {said}",
                  flush=True)
    survivors = [p for p, survived in results if survived]
    print(f"\n{len(results) - len(survivors)} of {len(results)} plants killed in "
          f"{(time.monotonic() - began) / 60:.0f} min; survivors:")
    for p in survivors:
        why = f"explained: {p.survives}" if p.survives else "NOT EXPLAINED: a test is missing"
        print(f"  {p.key} ({p.path}): {p.says}\n    {why}")
    stale = [p for p, survived in results if p.survives and not survived]
    for p in stale:
        print(f"  {p.key} is killed now: drop its explanation")
    return 0 if all(p.survives for p in survivors) and not stale else 1


if __name__ == "__main__":
    sys.exit(main())
