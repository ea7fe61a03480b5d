"""Every word the training page shows, marked for the catalogues (domain ``page``).

The page's scripts use these English sentences as message ids (``T("...")``, ``data-t``,
``data-tt``, ``data-ta``); the page embeds their translations, so the language switch needs no
server. A test checks that every id the scripts and the HTML use is listed here.
"""

from words import N_

WORDS: tuple[str, ...] = (
    # controls
    N_("▶ Play"), N_("❚❚ Pause"), N_("Step one batch"), N_("one SGD step on the next batch (S)"),
    N_("Reset"), N_("back to the starting weights"), N_("learning rate η"), N_("batch size"),
    N_("◀ Prev"), N_("previous step (←)"), N_("Next ▶"), N_("next step (→)"),
    N_("step through the passes"), N_("sample n"),
    N_("The {setting} must be a positive number, got {value}"),
    # the layer view
    N_("input"), N_("layer {l}"),
    N_("{name} {shape}, values from {low} to {high}; arrow keys read one number"),
    N_("The batch: {count} samples, one per row"), N_("sample {n}"),
    N_("Forward, layer {l}: Z = A @ W + b, then A = f(Z)"),
    N_("The loss: the mean over the batch's samples"),
    N_("Backward: the output error term δ = ∂L/∂Z of the last layer"),
    N_("the plan's gradient"),
    N_("Backward, layer {l}: the gradients of W and b"),
    N_("Backward, layer {l}: the error term δ of layer {below}"),
    N_("sample {n}, neuron {neuron}:"), N_("{count} terms"),
    N_("Click a cell of ∂L/∂W to see it as a sum over the samples."),
    N_("The sum behind one number"), N_("the gradient the next step uses: {value}"),
    # the bridge to the gate view
    N_("Gates of {neuron}, sample {n}"), N_("Back to the layers (Esc)"),
    N_("the gate view of one neuron"), N_("The whole network, gate by gate"),
    N_("The whole network gate by gate, sample {n}"),
    N_("The same numbers as the layers: this sample's inputs and targets, the weights now. Its "
       "gradients are this sample's loss's; the layer view's are the batch mean's."),
    N_("{neuron} has {count} inputs: its {gates} gates read better as the layer view's sums"),
    N_("x1…x{count} are {input}[{n}, :], w1…w{count} are {weights}[:, {j}], b is {bias}[{j}]. "
       "The gradients here are the neuron's own, ∂a/∂w, ∂a/∂x and ∂a/∂b; times ∂L/∂a they give "
       "the layer view's δ and ∂L/∂W."),
    # the loss boxes
    N_("softmax + cross-entropy"), N_("squared error"), N_("binary cross-entropy (logits)"),
    N_("hinge"), N_("multiclass hinge"),
    # training
    N_("Loss"), N_("loss per step (train) and per epoch (validation)"),
    N_("— train (each batch)"), N_("— validation (each epoch)"),
    N_("epoch"), N_("steps"), N_("train loss"), N_("train accuracy"), N_("validation loss"),
    N_("validation accuracy"), N_("step {step}"),
    N_("Decision boundary"), N_("First layer: each neuron's weights as an image"),
    N_("the first {shown} of {count} neurons"), N_("Current mistakes ({which}): {count}"),
    N_("validation"), N_("training"),
    N_("Training stopped at step {step} (epoch {epoch}): {what}. With learning rate {lr} the "
       "updates are too large: try {lower}. The parameters are left as before this step."),
    N_("the loss is {value}"), N_("a gate failed: {what}"), N_("the gradient of {name} is {value}"),
    N_("a weighted sum overflows float64 (row {row} of the plan, sample {n})"),
    N_("{refusal} (sample {n})"),  # a gate's refusal, in the engine's words, and where
    # the page's title
    N_("gategrad: {model} learns, {loss} loss"),
)
