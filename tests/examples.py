"""Graphs the tests share. Expected numbers are always derived by hand in the tests."""

from engine import Value


def cs231n() -> tuple[Value, dict[str, Value]]:
    """The CS231n gate example f = sigmoid(w0*x0 + w1*x1 + w2), every node labelled."""
    n = {k: Value(v, label=k) for k, v in
         dict(w0=2.0, x0=-1.0, w1=-3.0, x1=-2.0, w2=-3.0).items()}
    n["s0"] = n["w0"] * n["x0"]
    n["s1"] = n["w1"] * n["x1"]
    n["s2"] = n["s0"] + n["s1"]
    n["s3"] = n["s2"] + n["w2"]
    n["f"] = n["s3"].sigmoid()
    for k in ("s0", "s1", "s2", "s3", "f"):
        n[k].label = k
    return n["f"], n
