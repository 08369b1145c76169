"""The micrograd-style scalar graph: ferrograd against micrograd in one process.

20 scalar parameters, 333 steps of `v = tanh(v * p_i + p_j)` (999 nodes), then
`v.backward()`. Prints the best-of thread CPU time of the forward and of the backward
for each library, alternating runs so that both see the same machine load.

    python benches/scalar_graph.py [ROUNDS]     (needs `pip install micrograd`)
"""

import math
import random
import sys
import time

import ferrograd as fg
from micrograd.engine import Value

STEPS, PARAMS = 333, 20
sys.setrecursionlimit(100_000)  # micrograd's topological sort recurses per node


def micrograd_tanh(self):
    """micrograd 0.1.0 (PyPI) has no tanh: its lecture version, as one node."""
    t = math.tanh(self.data)
    out = Value(t, (self,), "tanh")

    def _backward():
        self.grad += (1 - t**2) * out.grad

    out._backward = _backward
    return out


Value.tanh = micrograd_tanh


def timed(ps, reset):
    """(forward seconds, backward seconds) of one run; the previous graph is freed first."""
    for p in ps:
        reset(p)
    t0 = time.thread_time()
    v = ps[0]
    for i in range(STEPS):
        v = (v * ps[i % PARAMS] + ps[(i + 7) % PARAMS]).tanh()
    t1 = time.thread_time()
    v.backward()
    t2 = time.thread_time()
    del v
    return t1 - t0, t2 - t1


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    rng = random.Random(0)
    values = [rng.uniform(-0.9, 0.9) for _ in range(PARAMS)]
    fg_ps = [fg.tensor(v, requires_grad=True) for v in values]
    mg_ps = [Value(v) for v in values]

    def fg_reset(p):
        p.grad = None

    def mg_reset(p):
        p.grad = 0

    best = {"ferrograd": [1e9, 1e9], "micrograd": [1e9, 1e9]}
    for _ in range(rounds):
        for name, ps, reset in (("ferrograd", fg_ps, fg_reset), ("micrograd", mg_ps, mg_reset)):
            f, b = timed(ps, reset)
            best[name] = [min(best[name][0], f), min(best[name][1], b)]
    (ff, fb), (mf, mb) = best["ferrograd"], best["micrograd"]
    for name, (f, b) in best.items():
        print(
            f"{name:10s} fwd {f * 1e3:.3f} ms  bwd {b * 1e3:.3f} ms  total {(f + b) * 1e3:.3f} ms"
        )
    print(
        f"ratio ferrograd/micrograd: fwd {ff / mf:.2f}x  bwd {fb / mb:.2f}x  total {(ff + fb) / (mf + mb):.2f}x"
    )


if __name__ == "__main__":
    main()
