"""Every word the lesson page shows, marked for the catalogues (domain ``page``).

The page's scripts use these English sentences as message ids (``words.say("...")``,
``{msgid: "..."}``) and ``view.html`` as ``data-t="..."``; ``SHARED`` lists those that other
domains already translate (the frames' captions, the terminal quiz's verdicts). The page embeds
the translations of what it uses, so the language switch needs no server. A test checks that
every id the page uses is listed here, and that every one has its translation.
"""

from collections.abc import Iterable

from engine.errors import BACKWARD
from words import LANGUAGES, N_, catalogue

TITLE = N_("gategrad: stepping through {name}")  # unless the teacher gives one
EXPRESSION_TITLE = N_("gategrad: {expression}")  # `gategrad stepper EXPR`'s title

WORDS: tuple[str, ...] = (
    # the diagram's cells
    N_("data"), N_("grad"),
    # captions: the gate named by its title in the language shown ("mul gate", "乘法门")
    N_("Forward step {k} of {n}: {gate} → {node}"),
    N_("Backward step {k} of {n}: {gate} at {node}"),
    # what a field refuses, said beside it
    N_("{text} is too large for a float64 number (the largest is about 1.8e308)"),
    N_("{text}: NaN and infinity never enter a graph; type a finite number"),
    N_("{text}: write the decimal point as a point, {number}"),
    N_("{text} is not a number: type digits with a point and an optional exponent, like -1.5 "
       "or 2e-3"),
    # paths, nudge, update step
    N_("Click a node to see every path from it to the output."),
    N_("{path}: {product}"),
    N_("Paths from {name} to {root}"),
    N_("Sum of the paths: {sum} = d{root}/d{name} = {grad}"),
    N_("{count} paths; the first {shown} are listed."),
    N_("Nudge {name}: (f(x+h) − f(x))/h = {slope}, gradient {grad}"),
    N_("The learning rate η must be a positive number, got {value}"),
    N_("It moves {params}; the data inputs {inputs} stay."),
    N_("Every leaf is a data input: there is nothing to move."),
    N_("before"), N_("gradient"), N_("after"),
    N_("{root}: {before} → {after}"),
    # the quiz
    N_("Quiz: what does each input hold after this step? Answer below."),
    N_("Score: {right} of {asked}"),
    N_("Check"),
    N_("d{root}/d{name} after this step"),
    N_("That answer matches a misconception: {title}."),
    N_("That answer matches none of the misconceptions we know. Check the chain rule: before "
       "+ upstream × local."),
    N_("Type a number first."),
    N_("Reveal"),
    N_("Quiz done: {right} of {asked} right at the first try."),
    # gradient health (each gate's own warning is in its row of the gate table)
    N_("exploding gradient: {value}"), N_("{node}: {warning}"),
    # controls
    N_("◀ Prev"), N_("previous step (←)"), N_("Next ▶"), N_("next step (→)"),
    N_("zoom in"), N_("the whole graph"), N_("digits"), N_("Quiz"), N_("Gradient health"),
    N_("Print"), N_("Print the whole lesson: every step, forward and backward"),
    N_("Print the phase on screen"),
    N_("Inputs and parameters"), N_("Update step"), N_("learning rate η"),
    N_("w ← w − η·grad"), N_("Paths"), N_("Panel"),
    # the page's title
    TITLE, EXPRESSION_TITLE,
)

# Network mode's words (net.js), embedded only in network pages.
NETWORK_WORDS: tuple[str, ...] = (
    N_("Forward pass, layer by layer: {count} neurons"),
    N_("The inputs are set. Each neuron computes s = Σ wᵢxᵢ + b, then its activation a."),
    N_("Forward step {k} of {n}: neuron {neuron}"),
    N_("Backward pass, layer by layer"),
    N_("Backward step {k} of {n}: error terms δ of layer {layer}"),
    N_("The output layer: δ = σ′(s) · ∂{root}/∂a, the activation's slope times what the loss "
       "sends."),
    N_("δⱼ = σ′(sⱼ) · Σₖ wⱼₖδₖ: a hidden neuron's error term is its activation's slope times "
       "the next layer's error terms, weighted."),
    N_("Backward step {k} of {n}: weights of layer {layer}"),
    N_("∂{root}/∂wᵢⱼ = δⱼ · xᵢ: each weight's gradient is its neuron's δ times the input it "
       "multiplies; the bias gets δ."),
    N_("∂{root}/∂wᵢⱼ = Σₙ δⱼxᵢ: each weight's gradient is the sum over the samples of its "
       "neuron's δ times the input it multiplies; the bias gets Σₙ δ."),
    N_("sample"), N_("sample {n}: {line}"),
    N_("the terms of sample {n} of {count}; Σ: the sum over the samples"),
    N_("Gates of {neuron}"), N_("previous gate"), N_("next gate"), N_("forward"), N_("backward"),
)

LAYER = "layer {name}"  # a layer's title in the picture (viz.diagram draws it)

# Words the page shares with the frames and tables, and with `gategrad quiz` (their catalogue
# domains define them), so the page says what the terminal says.
SHARED: tuple[str, ...] = (
    "Forward pass · {total} gates",
    "The inputs are set. Each gate computes its output from its inputs, inputs before outputs.",
    "Backward pass · {total} gates",
    "Backward starts at the output with d{root}/d{root} = 1. Each gate then sends upstream × "
    "local derivative to each of its inputs.",
    "step", "parameter", LAYER,
    "right, from the rounded numbers; exactly {exact}",
    "right: {name} holds {right}",
    *BACKWARD,  # a gradient that is not finite on the way back, in the engine's words
)


def page_catalogue(msgids: Iterable[str]) -> dict[str, dict[str, str]]:
    """``{lang: {msgid: translation}}`` for every language but English, only what differs."""
    ids = dict.fromkeys(msgids)
    return {code: {m: t for m, t in catalogue(ids, code).items() if t != m}
            for code in LANGUAGES if code != "en"}
