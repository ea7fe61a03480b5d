"""gategrad.nn: neurons, MLPs, losses, optimizers and a training loop, built from engine gates.

    from nn import MLP, fit, make_moons
    X, y = make_moons(100, noise=0.1, signed=True)
    model = MLP(2, [16, 16, 1], seed=1337)
    history = fit(model, X, y, loss="hinge", l2=1e-4, lr=0.5, epochs=50)
"""

from .data import make_moons, make_spirals, split
from .history import History, TrainingDiverged
from .init import INITS
from .layers import ACTIVATIONS, MLP, Layer, Neuron
from .losses import (
    LOSSES,
    LossSpec,
    bce_with_logits,
    binary_cross_entropy,
    cross_entropy,
    get_loss,
    hinge,
    l2,
    log_sum_exp,
    mse,
    multiclass_hinge,
)
from .mnist import MNIST, load_mnist
from .module import Module
from .optim import (
    SGD,
    Adam,
    AdamW,
    ExponentialLR,
    LambdaLR,
    LinearLR,
    LRScheduler,
    Optimizer,
    StepLR,
    clip_grad_norm,
)
from .sanity import LRRangeResult, OverfitResult, lr_range_test, overfit_check
from .step import predict, train_step
from .train import evaluate, fit

__all__ = [
    "ACTIVATIONS", "INITS", "LOSSES", "MLP", "MNIST", "SGD", "Adam", "AdamW", "ExponentialLR",
    "History", "LRRangeResult", "LRScheduler", "LambdaLR", "Layer", "LinearLR", "LossSpec",
    "Module", "Neuron", "Optimizer", "OverfitResult", "StepLR", "TrainingDiverged",
    "bce_with_logits", "binary_cross_entropy", "clip_grad_norm", "cross_entropy", "evaluate",
    "fit", "get_loss", "hinge", "l2", "load_mnist", "log_sum_exp", "lr_range_test",
    "make_moons", "make_spirals", "mse", "multiclass_hinge", "overfit_check", "predict", "split",
    "train_step",
]
