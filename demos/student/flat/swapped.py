"""The notes' neuron as flat code with the classic slip: dx and dw swapped.

Each input's gradient is written with its own value, x[i] * ddot, where the mul gate swaps:
d(w0*x0)/dx0 = w0. So dx holds what dw should, and dw what dx should.

    gategrad check --flat demos/student/flat/swapped.py
"""

import math


def forward(w, x):
    dot = w[0] * x[0] + w[1] * x[1] + w[2]
    f = 1.0 / (1 + math.exp(-dot))
    return {"dot": dot, "f": f}


def backward(w, x):
    f = forward(w, x)["f"]
    ddot = (1 - f) * f
    dx = [x[0] * ddot, x[1] * ddot]  # the mistake: x where w belongs
    dw = [w[0] * ddot, w[1] * ddot, 1.0 * ddot]  # the mistake: w where x belongs
    return {"ddot": ddot, "dx": dx, "dw": dw}
