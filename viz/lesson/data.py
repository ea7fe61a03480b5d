"""What the training page carries: the replay's plan, the layers' rows in it, data and settings.

Python traces one sample's graph exactly as ``fit(..., batched=True)`` does (inputs x1..xn, the
targets y1..yk as inputs too), compiles it with the replay and exports the plan
(``engine.replay.export_plan``): the page runs that plan, so its numbers are the replay's and,
through the tests, the scalar engine's. This module adds only what the layer view needs to name
things: for each layer the rows of its Z (the neurons' ``s``) and A (``a``), where its W and b sit
among the parameters, and the order of ``model.parameters()``. Big arrays travel as base64 of
little-endian float64 (exact, about 11 characters a number).
"""

from __future__ import annotations

import base64
import math

import numpy as np

from engine import Value
from engine.replay import export_plan
from nn.checks import check_data, model_shape
from nn.losses import LossSpec, get_loss
from nn.module import Module
from nn.step import BatchedPath

from ..page.js import gate_key


def packed(values) -> dict:
    """A float64 array as {"f64": base64, "shape": [...]}, exactly, for the page's JSON."""
    a = np.ascontiguousarray(np.asarray(values, dtype="<f8"))
    return {"f64": base64.b64encode(a.tobytes()).decode("ascii"), "shape": list(a.shape)}


def layers_of(model: Module) -> list:
    """The layers of an MLP, or a Layer alone; a Neuron is refused (the view is of matrices)."""
    layers = getattr(model, "layers", None)
    if layers is None and hasattr(model, "neurons"):
        layers = [model]
    if not layers:
        raise TypeError(f"lesson: the layer view needs an nn.MLP or nn.Layer, got "
                        f"{type(model).__name__}")
    return list(layers)


def _block(indices: np.ndarray) -> int | None:
    """The first index when ``indices`` are consecutive in row-major order, else None."""
    flat = indices.ravel()
    return int(flat[0]) if np.array_equal(flat, flat[0] + np.arange(flat.size)) else None


def _layer(layer, index: dict[Value, int], rows: dict[Value, int], gates: dict) -> dict:
    """Rows of Z and A, and W (inputs × neurons, batch-first as the notes) among the coefs."""
    neurons = layer.neurons
    W = np.array([[index[w] for w in n.w] for n in neurons]).T  # (nin, nout), notes' shape
    b = np.array([index[n.b] for n in neurons])
    act = None
    if neurons[0].a is not neurons[0].s:
        act = gate_key(neurons[0].a._gate)
        gates[act] = neurons[0].a._gate
    entry = {"name": layer.name, "nin": len(neurons[0].w), "nout": len(neurons),
             "activation": layer.activation, "act": act,
             "z": [rows[n.s] for n in neurons], "a": [rows[n.a] for n in neurons],
             "labels": [n.name for n in neurons]}
    start = _block(W.T)  # the replay keeps each neuron's weights together: W.T row-major
    entry["w"] = {"start": start} if start is not None else {"index": W.ravel().tolist()}
    start = _block(b)
    entry["b"] = {"start": start} if start is not None else {"index": b.tolist()}
    return entry


def lesson_data(model: Module, X, y, *, loss: str | LossSpec, val: tuple | None = None,
                lr: float = 0.1, batch_size: int | None = 32, shuffle: bool = True,
                seed: int = 0, epochs: int = 1) -> tuple[dict, list]:
    """The page's JSON (without words) and the gate rows its kernels are made from."""
    spec = get_loss(loss)
    nin, nout = model_shape(model, "lesson")
    layers = layers_of(model)
    data = check_data(model, X, y, spec)
    val_data = check_data(model, val[0], val[1], spec, "val") if val is not None else None
    n = len(data)
    batch_size = n if batch_size is None else batch_size
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"lesson: batch_size must be a positive integer or None, got "
                         f"{batch_size!r}")
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not (
            math.isfinite(lr) and lr > 0):
        raise ValueError(f"lesson: lr must be a positive number, got {lr!r}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"lesson: seed must be an integer (the page repeats fit's shuffle from "
                         f"it), got {seed!r}")
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"lesson: epochs must be a positive integer, got {epochs!r}")

    program = BatchedPath(model, spec, nin, nout)._trace()
    plan = export_plan(program)
    gates = {gate_key(g): g for g in plan.pop("gates")}
    keys = list(gates)
    for step in plan["steps"]:
        if step["op"] == "gate":
            step["gate"] = keys[step["gate"]]
    index = {p: i for i, p in enumerate(program.parameters)}
    params = model.parameters()
    layer_rows = [_layer(layer, index, program.rows, gates) for layer in layers]
    # The page lists model.parameters() from the layers (each neuron's weights, then its
    # bias, layer by layer) rather than carrying 50,000 indices and names: check that here.
    if [p.label for p in params] != [f"{ly['labels'][j]}.{part}" for ly in layer_rows
                                     for j in range(ly["nout"])
                                     for part in [f"w{i}" for i in range(1, ly["nin"] + 1)]
                                     + ["b"]]:
        raise TypeError("lesson: the model's parameters are not its layers' weights and biases "
                        "in nn's order (L1.N1.w1 ... L1.N1.b, L1.N2.w1 ...)")
    # the targets as the replay feeds them (one-hot for class losses), then the data itself
    seed_key = [(abs(seed) >> (32 * i)) & 0xFFFFFFFF
                for i in range(max(1, math.ceil(abs(seed).bit_length() / 32)))]
    out = {
        "plan": plan, "layers": layer_rows,
        "coefs": packed([p.data for p in program.parameters]),
        "loss": {"name": spec.name, "classes": spec.classes, "row": plan["outputs"][0],
                 "outputs": plan["outputs"][1:], "decision": _decision(spec, data)},
        "nin": nin, "nout": nout, "n": n,
        "X": packed(np.asarray(data.rows)), "Y": packed(data.encoded),
        "targets": data.targets,
        "val": None if val_data is None else {
            "X": packed(np.asarray(val_data.rows)), "Y": packed(val_data.encoded),
            "targets": val_data.targets, "n": len(val_data)},
        "lr": float(lr), "batch": batch_size, "shuffle": bool(shuffle), "seed": seed_key,
        "epochs": epochs,
    }
    return out, [gates[k] for k in keys]


def _decision(spec: LossSpec, data) -> list[float] | None:
    """How a prediction is judged right (as nn.checks.accuracy_rule): "argmax" for classes,
    else [score threshold, label cut], or None when the loss has no notion of a right class."""
    if spec.classes:
        return None
    decision = spec.decision(set(np.unique(data.encoded).tolist()))
    return None if decision is None else [float(decision[0]), float(decision[1])]


def image_side(nin: int) -> int | None:
    """The side of a square image of ``nin`` pixels (8 for digits, 28 for MNIST), else None."""
    side = math.isqrt(nin)
    return side if side * side == nin and side >= 4 else None
