"""The notes' neuron as flat code, with sigmoid's derivative taken from its input.

ddot is written dot * (1 - dot); the sigmoid's local gradient is f * (1 - f), from its
output f = sigmoid(dot).

    gategrad check --flat demos/student/flat/sigmoid_from_input.py
"""

import math


def forward(w, x):
    dot = w[0] * x[0] + w[1] * x[1] + w[2]
    f = 1.0 / (1 + math.exp(-dot))
    return {"dot": dot, "f": f}


def backward(w, x):
    dot = forward(w, x)["dot"]
    ddot = (1 - dot) * dot  # the mistake: the input dot, not the output f
    dx = [w[0] * ddot, w[1] * ddot]
    dw = [x[0] * ddot, x[1] * ddot, 1.0 * ddot]
    return {"ddot": ddot, "dx": dx, "dw": dw}
