"""One training step, scalar and batched, shared by ``fit`` and ``train_step``.

The scalar path builds the graph of every sample of the batch and runs the engine's
backward(); the batched path traces one sample's graph once and replays it with numpy over
each batch (``engine.compile_replay``), same numbers. ``train_step`` is the lecture's step written
out (forward, zero the gradients, backward, update) on the scalar path, the step fit makes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

import engine
from engine import Value
from words import Text

from .checks import Data, check_data, check_inputs, check_optimizer, model_shape
from .losses import LossSpec, get_loss, total
from .losses import l2 as l2_term
from .module import Module
from .optim import Optimizer, check_clip, clip_grad_norm
from .settings import check_l2


class Diverged(Exception):
    """Raised inside a step; fit() turns it into TrainingDiverged with the step and the lr."""

    def __init__(self, what: str | Text):
        self.what = what


def input_leaves(nin: int) -> list[Value]:
    """The per-sample inputs x1..xn a traced graph is fed through (engine.compile_replay)."""
    return [Value(0.0, label=f"x{k}") for k in range(1, nin + 1)]


def layer_parameters(model: Module) -> list[tuple[str, list[Value]]]:
    """(layer name, its parameters) for each layer (a Neuron or Layer alone is one layer)."""
    layers = getattr(model, "layers", None) or [model]
    return [(getattr(layer, "name", "") or f"L{i}", layer.parameters())
            for i, layer in enumerate(layers, 1)]


class ScalarPath:
    """Builds the graph of every sample of the batch and runs the engine's backward()."""

    def __init__(self, model: Module, spec: LossSpec):
        self.model, self.spec = model, spec
        self._loss: Value | None = None  # the last forward's mean loss, backward() starts there

    def forward(self, data: Data, batch: Sequence[int]) -> tuple[float, list[list[float]]]:
        model, sample = self.model, self.spec.sample
        losses, outs = [], []
        for i in batch:
            out = model(data.rows[i])
            losses.append(sample(out, data.targets[i]))
            outs.append([out.data] if isinstance(out, Value) else [o.data for o in out])
        self._loss = total(losses) / len(batch)
        return self._loss.data, outs

    def backward(self, reg: Callable[[], Value] | None) -> None:
        loss = self._loss + reg() if reg else self._loss
        self._loss = None  # the next forward need not wait for this graph to be freed
        loss.backward()


class BatchedPath:
    """Traces one sample's graph (inputs x1..xn and labels y1..yk) and replays it with numpy."""

    def __init__(self, model: Module, spec: LossSpec, nin: int, nout: int):
        self.model, self.spec, self.nin, self.nout = model, spec, nin, nout
        # Traced by the first forward, inside fit's checks: when the weights come from earlier
        # updates (a reused optimizer) and a gate fails on the trace, that is divergence too.
        self.program: engine.Program | None = None
        self._seed: np.ndarray | None = None  # d mean loss / d each forward output

    def _trace(self) -> engine.Program:
        xs = input_leaves(self.nin)
        ys = [Value(1.0 if k == 1 else 0.0, label=f"y{k}") for k in range(1, self.nout + 1)]
        out = self.model(xs)
        outs = [out] if isinstance(out, Value) else list(out)
        target = ys if (self.spec.classes or self.nout > 1) else ys[0]
        loss = self.spec.sample(out, target)
        return engine.compile_replay([loss, *outs], inputs=xs + ys)

    def forward(self, data: Data, batch: Sequence[int]) -> tuple[float, list[list[float]]]:
        if self.program is None:
            self.program = self._trace()
        if data.feed is None:
            data.feed = np.hstack([np.asarray(data.rows), data.encoded])
        result = np.asarray(self.program.forward(data.feed[np.asarray(batch)]))
        if result.ndim == 1:
            result = result[:, None]
        self._seed = np.zeros_like(result)
        self._seed[:, 0] = 1.0 / len(batch)  # column 0 is the loss, the others the outputs
        return float(result[:, 0].sum() / len(batch)), result[:, 1:].tolist()

    def backward(self, reg: Callable[[], Value] | None) -> None:
        self.program.backward(self._seed)
        if reg:
            reg().backward()


def step(path: ScalarPath | BatchedPath, data: Data, batch: Sequence[int],
         reg: Callable[[], Value] | None) -> tuple[float, list[list[float]]]:
    """Forward and backward on one batch: returns (data loss, outputs as floats)."""
    loss, outs = path.forward(data, batch)
    if not math.isfinite(loss):
        raise Diverged(Text("the loss is {loss}", loss=str(loss)))
    path.backward(reg)
    return loss, outs


def evaluate_path(path: ScalarPath | BatchedPath, data: Data, accuracy) -> tuple[float, float]:
    """(mean loss, accuracy) over all of data, without building a graph."""
    with engine.no_grad():
        loss, outs = path.forward(data, range(len(data)))
    counts = [accuracy(out, t) for out, t in zip(outs, data.targets)]
    judged = sum(m for _, m in counts)
    return loss, (sum(c for c, _ in counts) / judged if judged else math.nan)


def train_step(model: Module, X, y, optimizer: Optimizer, *, loss: str | LossSpec = "mse",
               l2: float = 0.0, clip: float | None = None) -> float:
    """One step of gradient descent on the batch (X, y), as the lecture writes it; returns the
    batch's mean data loss (before the update).

    forward (every sample's graph, the mean loss + l2·Σw²), ``optimizer.zero_grad()``,
    ``backward()``, clip the global gradient norm if asked, ``optimizer.step()``."""
    spec = get_loss(loss)
    check_clip(clip, "train_step")
    check_l2(l2, "train_step")
    check_optimizer(model, optimizer, "train_step")
    data = check_data(model, X, y, spec)
    params = model.parameters()
    reg = (lambda: l2_term(params, l2)) if l2 else None
    optimizer.zero_grad()
    batch_loss, _ = step(ScalarPath(model, spec), data, range(len(data)), reg)
    if clip is not None:
        clip_grad_norm(params, clip)
    optimizer.step()
    return batch_loss


def predict(model: Module, X, batched: bool = False) -> list:
    """The model's outputs for each row of X as floats (a list per sample if k > 1), no graph.

    X must have the model's width (``nin`` numbers per row): a wrong width is an error naming
    both, never a reshape. ``batched=True`` traces one sample's graph and replays it over all
    rows with numpy (the same numbers, fast enough for a 250 x 250 grid of a boundary)."""
    nin, _ = model_shape(model, "predict")
    rows = check_inputs(model, X, "predict")
    if batched:
        xs = input_leaves(nin)
        return engine.compile_replay(model(xs), inputs=xs).forward(rows).tolist()
    with engine.no_grad():
        outs = [model(x) for x in rows.tolist()]
    return [o.data if isinstance(o, Value) else [v.data for v in o] for o in outs]
