"""Losses built only from engine gates, so each one can be drawn and stepped through.

Every loss takes a batch of model outputs (a list with one entry per sample; a single sample
works too) and the targets, and returns one Value (``reduction='mean'`` as in torch, or
``'sum'``; ``'none'`` gives the list of per-element/per-sample Values).

Numerical stability comes from the formulas, not from special gates:

- binary cross-entropy from logits z uses softplus(z) = relu(z) + log(1 + exp(-|z|)), with
  -|z| written z - 2·relu(z): exp never sees a positive number, and the derivative is right
  at z = 0 too (torch.nn.BCEWithLogitsLoss).
- softmax cross-entropy uses log-sum-exp with the maximum m subtracted:
  log Σ exp(z_j) = m + log Σ exp(z_j - m). m is a chain of max gates, so the graph has no
  branch on the data (the batched replay can run it) and the gradient through m cancels
  (1 - Σ softmax = 0, up to rounding).

Targets: a number per output (mse, bce in [0, 1], hinge in {-1, 1}) or, for the class losses,
a class index 0..k-1 or a one-hot/probability vector (what the batched replay feeds).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from numbers import Real

from engine import Value

from .module import Module

Output = Value | Sequence[Value]  # one sample's model output
Target = float | int | Value | Sequence  # one sample's target


def total(terms: Sequence[Value]) -> Value:
    """The sum of Values as one chain of add gates (no leading constant 0, unlike sum())."""
    it = iter(terms)
    s = next(it)
    for t in it:
        s = s + t
    return s


LOSS_LABEL = "L"  # every view (tables, diagrams, the page) names the loss root L


def _reduce(terms: list[Value], reduction: str, name: str):
    if reduction == "none":
        return terms
    if reduction == "mean":
        loss = total(terms) / len(terms)
    elif reduction == "sum":
        loss = total(terms)
    else:
        raise ValueError(f"{name}: reduction must be 'mean', 'sum' or 'none', got {reduction!r}")
    if not loss.label and loss._prev:
        loss.label = LOSS_LABEL
    return loss


def _as_list(x) -> list:
    if isinstance(x, (Value, Real)):
        return [x]
    return list(x)


def _pairs(pred, target, name: str) -> list[tuple[Value, Target]]:
    """Elementwise losses: flatten predictions and targets to matching lists of scalars."""
    preds = [q for p in _as_list(pred) for q in _as_list(p)]
    targets = [u for t in _as_list(target) for u in _as_list(t)]
    if len(preds) != len(targets):
        raise ValueError(f"{name}: {len(preds)} predictions but {len(targets)} targets")
    if not preds:
        raise ValueError(f"{name}: empty batch")
    for p in preds:
        if not isinstance(p, Value):
            raise TypeError(f"{name}: predictions must be Values (model outputs), "
                            f"got {type(p).__name__} {p!r:.40}")
    return list(zip(preds, targets))


def _number(t, name: str, allowed: str, ok: Callable[[float], bool]) -> None:
    if isinstance(t, Value):
        return  # a label leaf (batched replay): its values were checked when fed
    if not isinstance(t, Real) or not ok(float(t)):
        raise ValueError(f"{name}: targets must be {allowed}, got {t!r:.40}")


# -- elementwise terms (one output, one target) --------------------------------------------


def _finite(x):
    """x is finite (a float, or elementwise for a numpy array)."""
    return (x == x) & (abs(x) != float("inf"))


def _unit_interval(x):
    """0 <= x <= 1 (bce's targets), elementwise for arrays."""
    return (x >= 0.0) & (x <= 1.0)


def _sign(x):
    """x is -1 or 1 (hinge's targets), elementwise for arrays."""
    return (x == -1.0) | (x == 1.0)


def squared_error(p: Value, t: Target) -> Value:
    """(p - t)²."""
    _number(t, "mse", "finite numbers", _finite)
    return (p - t) ** 2


def bce_with_logits_term(z: Value, t: Target) -> Value:
    """-[t log σ(z) + (1 - t) log(1 - σ(z))] = softplus(z) - t·z, computed stably."""
    _number(t, "bce", "in [0, 1] (0 or 1 for classes)", _unit_interval)
    r = z.relu()
    return r - z * t + (1 + (z - 2 * r).exp()).log()


def hinge_term(z: Value, t: Target) -> Value:
    """max(0, 1 - t·z) with t in {-1, 1} (the micrograd demo's loss)."""
    _number(t, "hinge", "-1 or 1", _sign)
    return (1 - t * z).relu()


# -- class losses (one sample: k scores, one class) ------------------------------------------


def _scores(z, name: str) -> list[Value]:
    z = _as_list(z)
    if len(z) < 2 or not all(isinstance(v, Value) for v in z):
        raise ValueError(f"{name}: each sample needs a list of k >= 2 scores (Values), "
                         f"got {z!r:.60}")
    return z


def _class_target(t, k: int, name: str) -> int | list:
    """A class index in 0..k-1, or a vector of k numbers/Values (one-hot or probabilities)."""
    if isinstance(t, Real) and not isinstance(t, bool) and float(t).is_integer():
        if 0 <= t < k:
            return int(t)
        raise ValueError(f"{name}: class label {t!r} is out of range for {k} scores "
                         f"(expected 0..{k - 1})")
    if isinstance(t, (Value, Real, str, bytes)) or not hasattr(t, "__len__"):
        raise ValueError(f"{name}: target must be a class index 0..{k - 1} or a vector of "
                         f"{k} probabilities, got {t!r:.40}")
    if len(t) != k:
        raise ValueError(f"{name}: target vector has {len(t)} entries for {k} scores")
    numbers = [float(v) for v in t if not isinstance(v, Value)]
    if len(numbers) == k and (min(numbers) < 0 or abs(sum(numbers) - 1.0) > 1e-9):
        raise ValueError(
            f"{name}: target vector must be probabilities (>= 0, sum 1), got {t!r:.60}")
    return list(t)


def log_sum_exp(z: Sequence[Value]) -> Value:
    """log Σ exp(z_j) = m + log Σ exp(z_j - m), m = max_j z_j (no overflow, no branch)."""
    m = z[0]
    for zj in z[1:]:
        m = m.max(zj)
    return m + total([(zj - m).exp() for zj in z]).log()


def cross_entropy_sample(z: Output, t: Target) -> Value:
    """-log softmax(z)[t] = logsumexp(z) - z_t (with a probability vector: - Σ t_j z_j)."""
    z = _scores(z, "cross_entropy")
    t = _class_target(t, len(z), "cross_entropy")
    picked = z[t] if isinstance(t, int) else total([tj * zj for tj, zj in zip(t, z)])
    return log_sum_exp(z) - picked


def multiclass_hinge_sample(z: Output, t: Target, margin: float = 1.0) -> Value:
    """CS231n's SVM loss Σ_{j≠t} max(0, z_j - z_t + margin) (one-hot t: weights 1 - t_j)."""
    z = _scores(z, "multiclass_hinge")
    t = _class_target(t, len(z), "multiclass_hinge")
    if isinstance(t, int):
        return total([(zj - z[t] + margin).relu() for j, zj in enumerate(z) if j != t])
    zt = total([tj * zj for tj, zj in zip(t, z)])
    return total([(1 - tj) * (zj - zt + margin).relu() for tj, zj in zip(t, z)])


# -- the losses users call --------------------------------------------------------------------


def mse(pred, target, reduction: str = "mean"):
    """Mean squared error over all outputs (torch.nn.functional.mse_loss)."""
    return _reduce([squared_error(p, t) for p, t in _pairs(pred, target, "mse")], reduction, "mse")


def binary_cross_entropy(logits, target, reduction: str = "mean"):
    """Binary cross-entropy from logits (raw scores, no sigmoid), targets in [0, 1]
    (torch.nn.functional.binary_cross_entropy_with_logits)."""
    terms = [bce_with_logits_term(z, t) for z, t in _pairs(logits, target, "bce")]
    return _reduce(terms, reduction, "bce")


bce_with_logits = binary_cross_entropy


def hinge(scores, target, reduction: str = "mean"):
    """Binary hinge loss max(0, 1 - y·score), y in {-1, 1} (the micrograd demo's loss)."""
    terms = [hinge_term(z, t) for z, t in _pairs(scores, target, "hinge")]
    return _reduce(terms, reduction, "hinge")


def _per_sample(scores, targets, sample: Callable, name: str) -> list[Value]:
    scores = _as_list(scores)
    if scores and isinstance(scores[0], Value):  # one sample: a list of k scores
        return [sample(scores, targets)]
    targets = _as_list(targets)
    if len(scores) != len(targets):
        raise ValueError(f"{name}: {len(scores)} samples but {len(targets)} targets")
    if not scores:
        raise ValueError(f"{name}: empty batch")
    return [sample(z, t) for z, t in zip(scores, targets)]


def cross_entropy(scores, target, reduction: str = "mean"):
    """Softmax cross-entropy: scores are k logits per sample, target a class index or a
    probability vector (torch.nn.functional.cross_entropy)."""
    terms = _per_sample(scores, target, cross_entropy_sample, "cross_entropy")
    return _reduce(terms, reduction, "cross_entropy")


def multiclass_hinge(scores, target, margin: float = 1.0, reduction: str = "mean"):
    """Multiclass SVM loss Σ_{j≠y} max(0, s_j - s_y + margin) per sample (CS231n).

    torch.nn.functional.multi_margin_loss divides each sample's sum by k; this one does not.
    """
    def sample(z, t):
        return multiclass_hinge_sample(z, t, margin)
    terms = _per_sample(scores, target, sample, "multiclass_hinge")
    return _reduce(terms, reduction, "multiclass_hinge")


def l2(parameters: Module | Iterable[Value], alpha: float) -> Value:
    """L2 regularisation alpha · Σ p² (torch's weight_decay=wd is this with alpha = wd / 2)."""
    params = parameters.parameters() if isinstance(parameters, Module) else list(parameters)
    if not params:
        raise ValueError("l2: no parameters")
    return alpha * total([p * p for p in params])


# -- the registry fit() reads ----------------------------------------------------------------


@dataclass(frozen=True)
class LossSpec:
    """What fit() needs to know about a loss, so fit never branches on a loss's name.

    ``sample``: one sample's loss; ``classes``: targets are class indices (one-hot vectors in
    the batched replay), judged right when the largest score is the class; ``labels``: what
    the targets must be, for messages; ``label_ok``: an elementwise check of the targets
    (floats or numpy arrays); ``hint``: what to do when it fails; ``decision``: from the set of
    label values, the (score threshold, label cut) that makes a prediction right or wrong, or
    None when the loss has no notion of a correct class (accuracy is then NaN).
    ``error_term``: the output error term δ = ∂L/∂z of the batch's mean loss for one score z
    and its target y, as the lecture notes simplify it (a formula string over z, y, N samples,
    k outputs, and a = softmax(z) for softmax cross-entropy); "" where there is no such
    elementwise form. The lesson page shows it beside the gradient the gates give.
    """

    name: str
    sample: Callable[[Output, Target], Value]
    classes: bool
    labels: str
    label_ok: Callable = _finite
    hint: str = ""
    decision: Callable[[set], tuple[float, float] | None] = lambda values: None
    error_term: str = ""


def _elementwise_sample(term: Callable[[Value, Target], Value],
                        name: str) -> Callable[[Output, Target], Value]:
    """One sample's loss from an elementwise term: the mean over the sample's outputs, so the
    batch mean equals torch's mean over all elements."""
    def sample(out: Output, target: Target) -> Value:
        terms = [term(o, t) for o, t in _pairs(out, target, name)]
        return terms[0] if len(terms) == 1 else total(terms) / len(terms)
    return sample


def _mse_decision(values: set) -> tuple[float, float] | None:
    """mse on -1/1 labels is judged by the sign, on 0/1 labels at 0.5; otherwise not at all."""
    if values <= {-1.0, 1.0}:
        return 0.0, 0.0
    if values <= {0.0, 1.0}:
        return 0.5, 0.5
    return None


LOSSES: dict[str, LossSpec] = {
    "mse": LossSpec("mse", _elementwise_sample(squared_error, "mse"), False, "numbers",
                    decision=_mse_decision, error_term="2 * (z - y) / (N * k)"),
    "bce": LossSpec("bce", _elementwise_sample(bce_with_logits_term, "bce"), False, "0 or 1",
                    label_ok=_unit_interval,
                    hint=" (for -1/1 labels use (y + 1) / 2, or loss='hinge')",
                    decision=lambda values: (0.0, 0.5),  # logit > 0 means class 1
                    error_term="(sigmoid(z) - y) / (N * k)"),
    "hinge": LossSpec("hinge", _elementwise_sample(hinge_term, "hinge"), False, "-1 or 1",
                      label_ok=_sign, hint=" (for 0/1 labels use 2*y - 1, or loss='bce')",
                      decision=lambda values: (0.0, 0.0),  # the sign decides
                      error_term="-y * step(1 - y * z) / (N * k)"),
    "cross_entropy": LossSpec("cross_entropy", cross_entropy_sample, True, "class indices",
                              error_term="(a - y) / N"),
    "multiclass_hinge": LossSpec("multiclass_hinge", multiclass_hinge_sample, True,
                                 "class indices"),
}
_ALIASES = {"binary_cross_entropy": "bce", "ce": "cross_entropy", "softmax": "cross_entropy",
            "svm": "multiclass_hinge"}


def get_loss(loss: str | LossSpec) -> LossSpec:
    """A loss by name (see LOSSES) or a LossSpec."""
    if isinstance(loss, LossSpec):
        return loss
    name = _ALIASES.get(loss, loss) if isinstance(loss, str) else loss
    if name not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}; choose one of {', '.join(LOSSES)} "
                         f"(or {', '.join(_ALIASES)})")
    return LOSSES[name]
