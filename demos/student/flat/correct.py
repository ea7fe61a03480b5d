"""The notes' neuron f = sigmoid(w0*x0 + w1*x1 + w2) as flat code, backward by hand.

The staged computation of the CS231n notes, in two functions: ``forward(w, x)`` returns the
notes' intermediate ``dot`` and the output ``f``; ``backward(w, x)`` returns ``ddot`` (the
gradient of f at dot), ``dx`` and ``dw``.

    gategrad check --flat demos/student/flat/correct.py
"""

import math


def forward(w, x):
    dot = w[0] * x[0] + w[1] * x[1] + w[2]
    f = 1.0 / (1 + math.exp(-dot))  # sigmoid function
    return {"dot": dot, "f": f}


def backward(w, x):
    f = forward(w, x)["f"]
    ddot = (1 - f) * f  # gradient on dot variable, using the sigmoid gradient derivation
    dx = [w[0] * ddot, w[1] * ddot]  # backprop into x
    dw = [x[0] * ddot, x[1] * ddot, 1.0 * ddot]  # backprop into w
    return {"ddot": ddot, "dx": dx, "dw": dw}
