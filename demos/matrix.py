"""Y = XW from scalar gates, and the shape rule of matrix backprop derived from them.

For L = Σ_ij G_ij · Y_ij (so dL/dY = G), the lecture's rule says
    dL/dX = dL/dY · Wᵀ     and     dL/dW = Xᵀ · dL/dY.
Here every Y_ij is built from mul and add gates; after one backward the grads of the X and W
entries are compared with those two products computed by numpy. The Jacobian view: each Y_ij
depends on row i of X and column j of W only, so the full Jacobian dY/dX (4 x 6 for these
shapes) is mostly zeros, and contracting it with G gives the same dL/dX.

    python -m demos.matrix
"""

from __future__ import annotations

import numpy as np

from engine import Value, zero_grad
from words import _, speaking


def matmul(X: list[list[Value]], W: list[list[Value]]) -> list[list[Value]]:
    """Y_ij = Σ_k X_ik W_kj with scalar gates."""
    return [[sum((X[i][k] * W[k][j] for k in range(len(W))), Value(0.0))
             for j in range(len(W[0]))] for i in range(len(X))]


def main(out_dir: str = "out", quick: bool = False, seed: int = 0,
         lang: str | None = None) -> dict:
    with speaking(lang):
        return _lesson(seed)


def _lesson(seed: int) -> dict:
    rng = np.random.default_rng(seed)
    Xn, Wn, G = rng.normal(size=(2, 3)), rng.normal(size=(3, 2)), rng.normal(size=(2, 2))
    X = [[Value(v, label=f"X{i}{k}") for k, v in enumerate(row)] for i, row in enumerate(Xn)]
    W = [[Value(v, label=f"W{k}{j}") for j, v in enumerate(row)] for k, row in enumerate(Wn)]
    Y = matmul(X, W)
    loss = sum((Y[i][j] * G[i, j] for i in range(2) for j in range(2)), Value(0.0))
    loss.backward()

    dX = np.array([[x.grad for x in row] for row in X])
    dW = np.array([[w.grad for w in row] for row in W])
    print(_("Y = XW with X 2x3 and W 3x2, built from mul and add gates; dL/dY = G.") + "\n")
    print(_("dL/dX from the engine:"), "\n", dX, "\n" + _("G · Wᵀ from numpy:"), "\n",
          G @ Wn.T, "\n")
    print(_("dL/dW from the engine:"), "\n", dW, "\n" + _("Xᵀ · G from numpy:"), "\n",
          Xn.T @ G, "\n")

    # The Jacobian view: one backward per output entry gives the rows of dY/dX.
    flat_x = [x for row in X for x in row]
    jacobian = np.zeros((4, 6))
    for r, y in enumerate(v for row in Y for v in row):
        zero_grad(loss)  # the whole graph: a stale grad from another row would leak in
        y.backward()
        jacobian[r] = [x.grad for x in flat_x]
    contracted = (G.reshape(1, 4) @ jacobian).reshape(2, 3)
    print(_("The Jacobian dY/dX (rows: Y00 Y01 Y10 Y11, columns: X00 ... X12):"), "\n",
          np.round(jacobian, 3))
    print("\n" + _("{nonzero} of {size} entries are non-zero: Y_ij sees only row i of X. "
                   "Contracting it with G gives dL/dX again:").format(
                       nonzero=np.count_nonzero(jacobian), size=jacobian.size), "\n", contracted)
    return {"dX": dX, "dW": dW, "X": Xn, "W": Wn, "G": G, "jacobian": jacobian,
            "contracted": contracted}


if __name__ == "__main__":
    main()
