"""`linalg.matrix_exp`: PyTorch's algorithm (Bader, Blanes, Casas 2019), a Taylor
polynomial of degree 1, 2, 4, 8, 12 or 18 chosen by the 1-norm of each matrix, with
scaling and squaring past the degree-18 bound. Built from matmuls, so the gradient and
its own derivative follow; the result carries PyTorch's node `LinalgMatrixExpBackward0`.
"""

from __future__ import annotations

import math

from .. import _core
from .._core import Tensor

# Upper bounds of the 1-norm for which each degree (1, 2, 4, 8, 12, 18) is accurate.
_THETAS = {
    "float32": (1.192092800768788e-07, 5.978858893805233e-04, 5.116619363445086e-02,
                5.800524627688768e-01, 1.461661507209034e+00, 3.010066362817634e+00),
    "float64": (2.220446049250313e-16, 2.580956802971767e-08, 3.397168839976962e-04,
                4.991228871115323e-02, 2.996158913811580e-01, 1.090863719290036e+00),
}

# The published coefficients of the degree-12 and degree-18 evaluation schemes: row i
# gives B_i = sum_j b[i][j] P_j, P = (I, A, A^2, A^3) for degree 12, (I, A, A^2, A^3, A^6)
# for degree 18.
_B12 = (
    (9.0198e-16, 0.46932117595418237389, -0.20099424927047284052, -0.04623946134063071740),
    (5.31597895759871264183, 1.19926790417132231573, 0.01179296240992997031, 0.01108844528519167989),
    (0.18188869982170434744, 0.05502798439925399070, 0.09351590770535414968, 0.00610700528898058230),
    (-2.0861320e-13, -0.13181061013830184015, -0.02027855540589259079, -0.00675951846863086359),
)
_B18 = (
    (0., -1.00365581030144618291e-01, -8.02924648241156932449e-03, -8.92138498045729985177e-04, 0.),
    (0., 3.97849749499645077844e-01, 1.36783778460411720168e+00, 4.98289622525382669416e-01,
     -6.37898194594723280150e-04),
    (-1.09676396052962061844e+01, 1.68015813878906206114e+00, 5.71779846478865511061e-02,
     -6.98210122488052056106e-03, 3.34975017086070470649e-05),
    (-9.04316832390810593223e-02, -6.76404519071381882256e-02, 6.75961301770459654925e-02,
     2.95552570429315521194e-02, -1.39180257516060693404e-05),
    (0., 0., -9.23364619367118555360e-02, -1.69364939002081722752e-02, -1.40086798182036094347e-05),
)


def _combine(powers: list[Tensor], coeffs) -> Tensor:
    out = powers[0] * coeffs[0]
    for p, c in zip(powers[1:], coeffs[1:], strict=True):
        out = out + p * c
    return out


def _powers(A: Tensor, eye: Tensor, count: int) -> list[Tensor]:
    ps = [eye, A]
    while len(ps) < count:
        ps.append(A @ ps[-1])  # A @ A^2, as PyTorch's order: A^2 @ A rounds differently
    return ps[:count]


def _t1(A: Tensor, eye: Tensor) -> Tensor:
    return eye + A


def _t2(A: Tensor, eye: Tensor) -> Tensor:
    return eye + A + (A @ A) / 2.0


def _t4(A: Tensor, eye: Tensor) -> Tensor:
    i, a, a2 = _powers(A, eye, 3)
    return i + a + a2 @ _combine([i, a, a2], (1 / 2.0, 1 / 6.0, 1 / 24.0))


def _t8(A: Tensor, eye: Tensor) -> Tensor:
    sqrt_177 = 0.1330413469565007072504e+2
    x3 = 2.0 / 3.0
    x1 = x3 * ((1.0 + sqrt_177) / 88.0)
    x2 = x3 * ((1.0 + sqrt_177) / 352.0)
    x4 = (-271.0 + 29.0 * sqrt_177) / (315.0 * x3)
    x5 = (-11.0 + 11.0 * sqrt_177) / (1260.0 * x3)
    x6 = (-99.0 + 11.0 * sqrt_177) / (5040.0 * x3)
    x7 = (89.0 - sqrt_177) / (5040.0 * x3)
    y2 = (857.0 - 58.0 * sqrt_177) / 630.0
    i, a, a2 = _powers(A, eye, 3)
    a4 = a2 @ (a * x1 + a2 * x2)
    a8 = (a2 * x3 + a4) @ _combine([i, a, a2, a4], (x4, x5, x6, x7))
    return i + a + a2 * y2 + a8


def _t12(A: Tensor, eye: Tensor) -> Tensor:
    ps = _powers(A, eye, 4)
    b = [_combine(ps, row) for row in _B12]
    a6 = b[2] + b[3] @ b[3]
    return b[0] + (b[1] + a6) @ a6


def _t18(A: Tensor, eye: Tensor) -> Tensor:
    ps = _powers(A, eye, 4)
    ps.append(ps[3] @ ps[3])  # the fifth term is A^6, not A^4
    b = [_combine(ps, row) for row in _B18]
    a9 = b[0] @ b[4] + b[3]
    return b[1] + (b[2] + a9) @ a9


_DEGREES = (_t1, _t2, _t4, _t8, _t12)


def _exp_one(A: Tensor, norm: float, thetas, eye: Tensor) -> Tensor:
    for bound, t in zip(thetas, _DEGREES, strict=False):
        if norm <= bound:
            return t(A, eye)
    s = 0
    if math.isfinite(norm) and norm > thetas[-1]:
        s = max(0, math.ceil(math.log2(norm / thetas[-1])))
    r = _t18(A / float(2**s), eye)
    for _ in range(s):
        r = r @ r
    return r


def matrix_exp(A: Tensor) -> Tensor:
    """e^A of each square matrix: the sum of A^k / k!.

    Args:
        A: a square matrix or a batch of them, shape (*, n, n), float32 or float64.
    """
    if A.dim() < 2:
        raise RuntimeError("linalg.matrix_exp: The input tensor A must have at least 2 dimensions.")
    n = A.shape[-1]
    if A.shape[-2] != n:
        raise RuntimeError(
            f"linalg.matrix_exp: A must be batches of square matrices, but they are {A.shape[-2]} by {n} matrices")
    if not (A.dtype.is_floating_point or A.dtype.is_complex):
        from . import _kernel_name

        raise RuntimeError(
            f"linalg.matrix_exp: Expected a floating point or complex tensor as input. Got {_kernel_name(A)}")
    from ..nn._composite_nodes import record_composite

    return record_composite("LinalgMatrixExpBackward0", (A,), lambda out: (("self", A),), _matrix_exp_value)


def _matrix_exp_value(A: Tensor) -> Tensor:
    n = A.shape[-1]
    if n == 0 or A.numel() == 0:
        return A.clone()
    if n == 1:
        return A.exp()
    from .._creation import eye as _eye
    from .._grad_mode import no_grad

    single = A.dtype in (_core.float32, _core.complex64)
    thetas = _THETAS["float32" if single else "float64"]
    flat = A.reshape(-1, n, n)
    with no_grad():
        norms = flat.abs().sum(-2).amax(-1).tolist()
    eye = _eye(n, dtype=A.dtype)
    if len(norms) == 1:
        return _exp_one(flat[0], norms[0], thetas, eye).reshape(A.shape)
    return _exp_batch(flat, norms, thetas, eye).reshape(A.shape)


def _squarings(norm: float, thetas) -> int:
    if math.isfinite(norm) and norm > thetas[-1]:
        return max(0, math.ceil(math.log2(norm / thetas[-1])))
    return 0


def _exp_batch(flat: Tensor, norms: list, thetas, eye: Tensor) -> Tensor:
    """`_exp_one` of every matrix of `flat`, one batched evaluation per degree: the
    matrices of a degree are gathered, evaluated with batched matmuls, and put back."""
    import numpy as np

    from .._creation import tensor
    from .._shape import cat

    degrees = np.searchsorted(np.asarray(thetas[: len(_DEGREES)]), np.asarray(norms), side="left")
    groups = [np.flatnonzero(degrees == d).tolist() for d in range(len(_DEGREES) + 1)]
    parts, order = [], []
    for degree, members in enumerate(groups):
        if not members:
            continue
        index = tensor(np.asarray(members, dtype=np.int64))
        batch = flat.index_select(0, index)
        if degree < len(_DEGREES):
            parts.append(_DEGREES[degree](batch, eye))
        else:
            parts.append(_scaled_t18(batch, [_squarings(norms[i], thetas) for i in members], eye))
        order.extend(members)
    inverse = [0] * len(order)
    for position, i in enumerate(order):
        inverse[i] = position
    return cat(parts).index_select(0, tensor(np.asarray(inverse, dtype=np.int64)))


def _scaled_t18(batch: Tensor, squarings: list, eye: Tensor) -> Tensor:
    """Degree 18 of each A / 2^s, then squared s times (s per matrix)."""
    import numpy as np

    from .._creation import tensor
    from .._reduce import where

    counts = np.asarray(squarings)
    scale = tensor(np.ldexp(1.0, -counts), dtype=batch.dtype)
    r = _t18(batch * scale.reshape(-1, 1, 1), eye)
    for k in range(int(counts.max())):
        r = where(tensor(counts > k).reshape(-1, 1, 1), r @ r, r)
    return r
