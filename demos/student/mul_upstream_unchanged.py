"""A student's engine with one mistake: correct.py, except for this.

Passed the upstream gradient unchanged through a mul gate. Only the add gate passes the gradient
unchanged. The multiply gate swaps: each input receives the upstream gradient times the other
input.

The lines that differ (- correct.py, + this file):

    -             self.grad += other.data * out.grad
    -             other.grad += self.data * out.grad
    +             self.grad += out.grad
    +             other.grad += out.grad

    gategrad check demos/student/mul_upstream_unchanged.py
"""

import math


class Value:
    def __init__(self, data, _children=(), _op=""):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = tuple(_children)
        self._op = _op

    def __repr__(self):
        return f"Value(data={self.data}, grad={self.grad})"

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __sub__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data - other.data, (self, other), "-")

        def _backward():
            self.grad += out.grad
            other.grad += -out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __truediv__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data / other.data, (self, other), "/")

        def _backward():
            self.grad += out.grad / other.data
            other.grad += -out.data / other.data * out.grad
        out._backward = _backward
        return out

    def __neg__(self):
        out = Value(-self.data, (self,), "neg")

        def _backward():
            self.grad += -out.grad
        out._backward = _backward
        return out

    def __pow__(self, other):
        if isinstance(other, Value):  # x ** y: both get a gradient (x > 0)
            out = Value(self.data ** other.data, (self, other), "**")

            def _backward():
                self.grad += other.data * self.data ** (other.data - 1) * out.grad
                other.grad += out.data * math.log(self.data) * out.grad
        else:  # x ** 2: the exponent is a number
            out = Value(self.data ** other, (self,), f"**{other}")

            def _backward():  # p x^(p-1), and 0 for p = 0 (0 ** -1 would fail at x = 0)
                self.grad += (other * self.data ** (other - 1) if other else 0.0) * out.grad
        out._backward = _backward
        return out

    def exp(self):
        out = Value(math.exp(self.data), (self,), "exp")

        def _backward():
            self.grad += out.data * out.grad
        out._backward = _backward
        return out

    def log(self):
        out = Value(math.log(self.data), (self,), "log")

        def _backward():
            self.grad += out.grad / self.data
        out._backward = _backward
        return out

    def tanh(self):
        t = math.tanh(self.data)
        out = Value(t, (self,), "tanh")

        def _backward():
            self.grad += (1 - t * t) * out.grad
        out._backward = _backward
        return out

    def sigmoid(self):
        s = 1 / (1 + math.exp(-self.data))
        out = Value(s, (self,), "sigmoid")

        def _backward():
            self.grad += s * (1 - s) * out.grad
        out._backward = _backward
        return out

    def relu(self):
        out = Value(max(self.data, 0.0), (self,), "relu")

        def _backward():
            self.grad += (self.data > 0) * out.grad
        out._backward = _backward
        return out

    def max(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(max(self.data, other.data), (self, other), "max")

        def _backward():
            tie = self.data == other.data  # a tie splits the gradient, as torch.maximum
            self.grad += (0.5 if tie else self.data > other.data) * out.grad
            other.grad += (0.5 if tie else other.data > self.data) * out.grad
        out._backward = _backward
        return out

    def __radd__(self, other):
        return self + other

    def __rsub__(self, other):
        return Value(other) - self

    def __rmul__(self, other):
        return self * other

    def __rtruediv__(self, other):
        return Value(other) / self

    def backward(self):
        topo, visited = [], set()

        def build(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build(child)
                topo.append(v)
        build(self)
        self.grad = 1.0
        for v in reversed(topo):
            v._backward()
