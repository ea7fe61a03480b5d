"""The practical guide to debugging training, as four small experiments you can rerun.

All on the two moons (100 points, labels ±1), squared-error loss, full batches (SGD, except
overfit_check's Adam), so one epoch is one step and every curve is per step. Each experiment
writes one PNG to out/.

1. Learning rate (debugging_lr.png). Too low: the loss stays flat. Too high: the loss explodes
   and fit() stops with TrainingDiverged, whose message says at which step, with which rate,
   and what to try. A good range: lr_range_test raises the rate step by step and suggests one.
2. Overfit 20 samples first (debugging_overfit.png). A working network and loss memorise a
   handful of samples (loss near 0, 100% accuracy). A planted bug, an optimizer that was given
   only the last layer's parameters, cannot, and overfit_check says so.
3. Vanishing gradients (debugging_vanishing.png). Nine layers of sigmoid: each layer multiplies
   the gradient by σ'(s) ≤ 1/4, so the first layer's gradient norm (History.grad_norm) is
   about 10⁵ times smaller than the last one's, and the net learns nothing. The same net with
   relu keeps its gradients and learns.
4. Exploding gradients and clipping (debugging_clipping.png). A deep relu net with micrograd's
   U(-1, 1) weights starts with a gradient norm near 1000; plain SGD diverges within a few
   steps. The same run with the global gradient norm clipped to 1 (fit(..., clip=1.0)) stays
   finite and learns.

    python -m demos.debugging
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from nn import (
    MLP,
    SGD,
    History,
    TrainingDiverged,
    fit,
    lr_range_test,
    make_moons,
    overfit_check,
)
from words import _, align, localize, pad, speaking

from ._plot import BLUE, GREEN, GREY, ORANGE, RED, figure, save

STEPS = 100
QUICK_STEPS = 30
LR_LOW, LR_HIGH = 1e-5, 10.0
DEEP = [16] * 8 + [1]  # nine layers: L1 (next to the input) .. L9 (the output)
EXPLODING = [16] * 6 + [1]
EXPLODING_LR, CLIP = 0.01, 1.0
DEEP_LR = 0.05


def moons() -> tuple[np.ndarray, np.ndarray]:
    return make_moons(100, noise=0.1, signed=True)


def small_net() -> MLP:
    return MLP(2, [16, 16, 1], seed=1)


def deep_net(activation: str) -> MLP:
    """The vanishing-gradient nets: same shape and Xavier init, only the activation differs."""
    return MLP(2, DEEP, activation=activation, init="xavier", seed=0)


def exploding_net() -> MLP:
    return MLP(2, EXPLODING, seed=0)  # micrograd's U(-1, 1): activations grow layer by layer


def train(model: MLP, lr: float, steps: int, clip: float | None = None) -> History:
    X, y = moons()
    return fit(model, X, y, loss="mse", lr=lr, epochs=steps, clip=clip, batched=True,
               progress=False)


def _diverge(model: MLP, lr: float, steps: int) -> TrainingDiverged:
    try:
        train(model, lr, steps)
    except TrainingDiverged as e:
        return e
    raise AssertionError(f"expected lr={lr:g} to diverge within {steps} steps")


def _curve(ax, history: History, color: str, label: str) -> None:
    steps = np.arange(1, history.epochs + 1)
    ax.plot(steps, history.train_loss, color=color, label=label)


def _mark_divergence(ax, e: TrainingDiverged, color: str, ylim: tuple[float, float]) -> None:
    """Cut the y axis at ``ylim`` (the exploding curve would flatten every other one) and mark
    where the diverging run leaves the chart."""
    ax.set_ylim(*ylim)
    top = ylim[1]
    losses = e.history.train_loss
    if losses:
        x = len(losses)
        ax.plot(x, min(losses[-1], top), "x", color=color, markersize=10, markeredgewidth=2,
                clip_on=False)
        ax.annotate(_("loss {loss} at step {step},\nthen TrainingDiverged").format(
            loss=f"{losses[-1]:.0e}", step=x), (x, top),
                    textcoords="offset points", xytext=(10, -24), color=color)


# -- 1. the learning rate ------------------------------------------------------------------------


def learning_rates(out_dir: str | Path, steps: int) -> dict:
    print(_("1. The learning rate") + "\n")
    X, y = moons()
    sweep = lr_range_test(small_net(), X, y, loss="mse", lr_min=1e-4, lr_max=10.0, steps=30,
                          batched=True)
    lr_good = sweep.suggestion
    print(_("lr_range_test: one update per rate from 1e-4 upward; the loss was lowest at "
            "{lowest} and shot up after {last}; suggested lr {lr}.").format(
                lowest=f"{lr_good * 10:.2g}", last=f"{sweep.lrs[-1]:.2g}", lr=f"{lr_good:.2g}"))
    low = train(small_net(), LR_LOW, steps)
    good = train(small_net(), lr_good, steps)
    print(_("lr = {lr} (too low):  loss {first} -> {last} in {steps} steps: flat, nothing is "
            "learned").format(lr=f"{LR_LOW:g}", first=f"{low.train_loss[0]:.4f}",
                              last=f"{low.train_loss[-1]:.4f}", steps=steps))
    print(_("lr = {lr} (suggested): loss {first} -> {last}, accuracy {accuracy}").format(
        lr=f"{lr_good:.2g}", first=f"{good.train_loss[0]:.4f}",
        last=f"{good.train_loss[-1]:.4f}", accuracy=f"{good.train_acc[-1]:.0%}"))
    high = _diverge(small_net(), LR_HIGH, steps)
    print(_("lr = {lr} (too high): fit raised TrainingDiverged:").format(lr=f"{LR_HIGH:g}")
          + f"\n    {localize(high)}\n")

    fig, (curves, rng_ax) = figure(2, 1, size=(5.0, 3.8))
    _curve(curves, low, GREY, _("lr = {lr} (too low)").format(lr=f"{LR_LOW:g}"))
    _curve(curves, good, GREEN, _("lr = {lr} (suggested)").format(lr=f"{lr_good:.2g}"))
    _curve(curves, high.history, RED, _("lr = {lr} (too high)").format(lr=f"{LR_HIGH:g}"))
    curves.set(title=_("Loss per step at three learning rates"), xlabel=_("step"),
               ylabel=_("loss (log scale)"), yscale="log")
    _mark_divergence(curves, high, RED, ylim=(0.05, 1e3))
    rng_ax.plot(sweep.lrs, sweep.losses, "o-", color=BLUE, markersize=3)
    rng_ax.axvline(lr_good * 10, color=GREY, linestyle=":", label=_("lowest loss"))
    rng_ax.axvline(lr_good, color=GREEN, linestyle="--",
                   label=_("suggested: {lr}").format(lr=f"{lr_good:.2g}"))
    rng_ax.set(title=_("lr_range_test: loss after one update per rate"),
               xlabel=_("learning rate"), ylabel=_("loss (log scale)"), xscale="log",
               yscale="log")
    for ax in (curves, rng_ax):
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle(_("1. The learning rate: too low is flat, too high diverges"))
    png = save(fig, out_dir, "debugging_lr.png")
    return {"sweep": sweep, "low": low, "good": good, "lr_good": lr_good, "diverged": high,
            "message": str(high), "png": png}


# -- 2. overfit a tiny subset ----------------------------------------------------------------------


def overfit(out_dir: str | Path, steps: int) -> dict:
    print(_("2. Overfit 20 samples before training on all of them") + "\n")
    X, y = moons()
    ok = overfit_check(small_net(), X, y, loss="mse", n=20, steps=3 * steps, batched=True)
    print(pad(_("working network:"), 31) + str(ok))
    buggy_net = small_net()
    last_layer_only = SGD(buggy_net.layers[-1].parameters(), lr=0.1)  # the planted bug
    bug = overfit_check(buggy_net, X, y, loss="mse", n=20, steps=3 * steps,
                        optimizer=last_layer_only, batched=True)
    print(pad(_("optimizer sees the last layer:"), 31) + f"{bug}\n")

    fig, (ax,) = figure(size=(6.4, 4.0))
    _curve(ax, ok.history, GREEN, _("all parameters trained (Adam)"))
    _curve(ax, bug.history, RED, _("bug: optimizer given the last layer only"))
    ax.axhline(0.01, color=GREY, linestyle=":", label=_("pass: loss < 0.01"))
    ax.set(title=_("2. Overfit 20 samples: a working model drives the loss to ~0"),
           xlabel=_("step"), ylabel=_("loss on the 20 samples (log scale)"), yscale="log")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper right", bbox_to_anchor=(1.0, 0.74))
    return {"ok": ok, "bug": bug, "png": save(fig, out_dir, "debugging_overfit.png")}


# -- 3. vanishing gradients ------------------------------------------------------------------------


def vanishing(out_dir: str | Path, steps: int) -> dict:
    print(_("3. Vanishing gradients: nine layers, sigmoid vs relu (same Xavier init)") + "\n")
    runs = {act: train(deep_net(act), DEEP_LR, steps) for act in ("sigmoid", "relu")}
    first = {act: [norms[0] for norms in h.grad_norm.values()] for act, h in runs.items()}
    print(_("gradient norm ‖dL/dw‖ per layer at the first step (L1 next to the input):"))
    rows = [[_("layer"), "sigmoid", "relu"]]
    rows += [[f"L{k}", f"{s:.2e}", f"{r:.2e}"]
             for k, (s, r) in enumerate(zip(first["sigmoid"], first["relu"]), 1)]
    print("\n".join(align(rows, right={0, 1, 2})))
    for act, h in runs.items():
        print(_("{activation}: loss {first} -> {last}, accuracy {accuracy} after {steps} steps"
                ).format(activation=act, first=f"{h.train_loss[0]:.4f}",
                         last=f"{h.train_loss[-1]:.4f}", accuracy=f"{h.train_acc[-1]:.0%}",
                         steps=steps))
    print()

    fig, (norm_ax, loss_ax) = figure(2, 1, size=(5.0, 3.8))
    layers = np.arange(1, len(DEEP) + 1)
    for act, color in (("sigmoid", ORANGE), ("relu", BLUE)):
        norm_ax.plot(layers, first[act], "o-", color=color, label=act)
        _curve(loss_ax, runs[act], color, act)
    norm_ax.set(title=_("Gradient norm per layer at step 1"),
                xlabel=_("layer (1 = next to the input)"), ylabel=_("‖dL/dw‖ (log scale)"),
                yscale="log", xticks=layers)
    loss_ax.set(title=_("Loss per step"), xlabel=_("step"), ylabel=_("loss"))
    for ax in (norm_ax, loss_ax):
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle(_("3. Vanishing gradients: MLP(2, [16]*8 + [1]), Xavier init, SGD lr {lr}"
                   ).format(lr=f"{DEEP_LR:g}"))
    return {"grad_norm": first, "histories": runs,
            "png": save(fig, out_dir, "debugging_vanishing.png")}


# -- 4. exploding gradients and clipping -----------------------------------------------------------


def global_norms(history: History) -> list[float]:
    """‖dL/dw‖ over all parameters per step, from the per-layer norms (before clipping)."""
    per_layer = list(history.grad_norm.values())
    return [math.sqrt(sum(layer[t] ** 2 for layer in per_layer)) for t in range(history.epochs)]


def clipping(out_dir: str | Path, steps: int) -> dict:
    print(_("4. Exploding gradients: seven relu layers with U(-1, 1) weights, lr {lr}").format(
        lr=f"{EXPLODING_LR:g}") + "\n")
    plain = _diverge(exploding_net(), EXPLODING_LR, steps)
    print(_("without clipping, fit raised TrainingDiverged:") + f"\n    {localize(plain)}")
    clipped = train(exploding_net(), EXPLODING_LR, steps, clip=CLIP)
    print(_("with clip={clip}: loss {first} -> {last}, accuracy {accuracy}, every step finite; "
            "the gradient norm was {norm} at step 1; clipped, no update moves the weights by "
            "more than lr × {clip}").format(
                clip=f"{CLIP:g}", first=f"{clipped.train_loss[0]:.4g}",
                last=f"{clipped.train_loss[-1]:.4f}", accuracy=f"{clipped.train_acc[-1]:.0%}",
                norm=f"{global_norms(clipped)[0]:.0f}") + "\n")

    fig, (loss_ax, norm_ax) = figure(2, 1, size=(5.0, 3.8))
    _curve(loss_ax, plain.history, RED, _("no clipping"))
    _curve(loss_ax, clipped, GREEN, f"clip = {CLIP:g}")
    loss_ax.set(title=_("Loss per step"), xlabel=_("step"), ylabel=_("loss (log scale)"),
                yscale="log")
    _mark_divergence(loss_ax, plain, RED, ylim=(0.1, 1e5))
    for history, color, label in ((plain.history, RED, _("no clipping")),
                                  (clipped, GREEN, f"clip = {CLIP:g}")):
        norms = global_norms(history)
        norm_ax.plot(np.arange(1, len(norms) + 1), norms, color=color, label=label)
    norm_ax.axhline(CLIP, color=GREY, linestyle=":", label=_("clipped to this norm"))
    norm_ax.set(title=_("Gradient norm before clipping"), xlabel=_("step"),
                ylabel=_("‖dL/dw‖ (log scale)"), yscale="log", ylim=(0.1, 1e6))
    for ax in (loss_ax, norm_ax):
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle(_("4. Clipping rescues an exploding run: MLP(2, [16]*6 + [1]), SGD lr {lr}"
                   ).format(lr=f"{EXPLODING_LR:g}"))
    return {"diverged": plain, "message": str(plain), "clipped": clipped,
            "png": save(fig, out_dir, "debugging_clipping.png")}


def main(out_dir: str = "out", quick: bool = False, lang: str | None = None) -> dict:
    with speaking(lang):
        return _lessons(out_dir, QUICK_STEPS if quick else STEPS)


def _lessons(out_dir: str, steps: int) -> dict:
    results = {
        "lr": learning_rates(out_dir, steps),
        "overfit": overfit(out_dir, steps),
        "vanishing": vanishing(out_dir, steps),
        "clipping": clipping(out_dir, steps),
    }
    results["pngs"] = [r["png"] for r in results.values()]
    print(_("Figures:") + "\n" + "\n".join(f"  {p}" for p in results["pngs"]))
    return results


if __name__ == "__main__":
    main()
