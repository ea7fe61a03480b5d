"""Every word the lesson page shows, marked for the catalogues (domain ``page``).

``page.js`` and ``page.html`` use these English sentences as message ids (``T("...")``,
``data-t="..."``); ``SHARED`` lists those that other domains already translate. The page embeds
their translations, so the language switch needs no server. A test checks that every id the
page uses is listed here.
"""

from words import N_

WORDS: tuple[str, ...] = (
    # the diagram's cells
    N_("data"), N_("grad"),
    # paths, nudge, update step
    N_("Click a node to see every path from it to the output."),
    N_("Paths from {name} to {root}"),
    N_("Sum of the paths: {sum} = d{root}/d{name} = {grad}"),
    N_("{count} paths; the first {shown} are listed."),
    N_("Nudge {name}: (f(x+h) − f(x))/h = {slope}, gradient {grad}"),
    N_("The learning rate η must be a positive number, got {value}"),
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
    N_("Reveal"),
    N_("Quiz done: {right} of {asked} right at the first try."),
    # gradient health
    N_("saturated {gate}: local gradient {local}"),
    N_("dead relu: its input is {value}"),
    N_("exploding gradient: {value}"),
    # controls
    N_("◀ Prev"), N_("previous step (←)"), N_("Next ▶"), N_("next step (→)"),
    N_("zoom in"), N_("fit to the window"), N_("Quiz"), N_("Gradient health"), N_("Print"),
    N_("Inputs and parameters"), N_("Update step"), N_("learning rate η"),
    N_("w ← w − η·grad"), N_("Paths"), N_("Panel"),
    # the page's title
    N_("gategrad: stepping through {name}"),
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
    N_("Gates of {neuron}"), N_("previous gate"), N_("next gate"), N_("forward"), N_("backward"),
)

# Words the page shares with the frames and tables (their catalogue domains define them), so a
# caption reads the same in the page, in exported frames and in the terminal.
SHARED: tuple[str, ...] = (
    "Forward pass · {total} gates",
    "The inputs are set. Each gate computes its output from its inputs, inputs before outputs.",
    N_("Forward step {k} of {n}: {gate} gate → {node}"),
    "Backward pass · {total} gates",
    "Backward starts at the output with d{root}/d{root} = 1. Each gate then sends upstream × "
    "local derivative to each of its inputs.",
    N_("Backward step {k} of {n}: {gate} gate at {node}"),
    "step", "parameter",
)
