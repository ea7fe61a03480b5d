"""One neuron by hand: z = w·x + b, a = relu(z), L = (a - y)².

The chain rule on paper gives ∂L/∂w_i = 2(a - y) · relu'(z) · x_i and ∂L/∂b = 2(a - y) · relu'(z).
This demo computes those with plain floats, then lets the engine do it, then lets gradcheck
compare the engine with finite differences. All three agree.

    python -m demos.neuron
"""

from __future__ import annotations

from engine import Value, gradcheck
from viz import steps_table
from words import _, align, speaking

X = [0.5, -1.5, 2.0]
W = [0.8, -0.4, 0.3]
B = 0.1
Y = 1.0


def by_hand() -> tuple[float, list[float], float]:
    """The derivation, as written on the board, with plain floats."""
    z = sum(w * x for w, x in zip(W, X)) + B
    a = max(z, 0.0)
    loss = (a - Y) ** 2
    relu_slope = 1.0 if z > 0 else 0.0
    dz = 2 * (a - Y) * relu_slope
    return loss, [dz * x for x in X], dz


def neuron(*params: Value) -> Value:
    *w, b = params
    x = [Value(v, label=f"x{i + 1}") for i, v in enumerate(X)]
    products = [wi * xi for wi, xi in zip(w, x)]
    for i, p in enumerate(products, start=1):
        p.label = f"w{i}x{i}"
    z = sum(products, b)
    z.label = "z"
    a = z.relu()
    a.label = "a"
    error = a - Value(Y, label="y")
    error.label = "a-y"
    loss = error ** 2
    loss.label = "L"
    return loss


def main(out_dir: str = "out", quick: bool = False, lang: str | None = None) -> dict:
    with speaking(lang):
        return _lesson()


def _lesson() -> dict:
    params = [Value(v, label=f"w{i + 1}") for i, v in enumerate(W)] + [Value(B, label="b")]
    loss = neuron(*params)
    loss.backward()
    hand_loss, hand_dw, hand_db = by_hand()

    print(_("A neuron: z = w·x + b, a = relu(z), L = (a - y)²   with {values}").format(
        values=f"x = {X}, w = {W}, b = {B}, y = {Y}") + "\n")
    print(steps_table(loss))
    print("\n" + _("By hand: ∂L/∂w_i = 2(a - y)·relu'(z)·x_i,  ∂L/∂b = 2(a - y)·relu'(z)")
          + "\n")
    rows = [["", _("by hand"), _("engine")]]
    rows += [[p.label, f"{hand:.6f}", f"{p.grad:.6f}"]
             for p, hand in zip(params, hand_dw + [hand_db])]
    print("\n".join(align(rows, right={1, 2})))
    check = gradcheck(neuron, params)
    print("\n" + _("And against finite differences:") + "\n" + str(check))
    return {
        "loss": loss.data, "hand_loss": hand_loss,
        "engine_grads": [p.grad for p in params], "hand_grads": hand_dw + [hand_db],
        "gradcheck_passed": check.passed,
    }


if __name__ == "__main__":
    main()
