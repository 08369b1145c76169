"""The maps onto orthogonal matrices that `parametrizations.orthogonal` uses, composed from
tensor ops so that gradients flow: the matrix exponential, the Cayley map, products of
Householder reflections; and LAPACK's geqrf (for the no-gradient right inverse)."""

from __future__ import annotations

import math

from ..._core import Tensor
from ..._dtype_info import finfo
from ..._numpy import np


def _eye_like(a: Tensor, n: int) -> Tensor:
    from ..._creation import eye

    return eye(n, dtype=a.dtype).expand((*a.shape[:-2], n, n))


def matrix_exp(a: Tensor) -> Tensor:
    """exp(a) by scaling and squaring of a degree-18 Taylor polynomial."""
    n = a.shape[-1]
    norm = a.detach().abs().sum(-1).amax().item() if a.numel() else 0.0
    squarings = max(0, math.ceil(math.log2(norm / 0.5))) if norm > 0.5 else 0
    b = a / (2.0 ** squarings)
    term = _eye_like(a, n)
    result = term
    for k in range(1, 19):
        term = term.matmul(b) / k
        result = result + term
    for _ in range(squarings):
        result = result.matmul(result)
    return result


def cayley(a: Tensor) -> Tensor:
    """(I - a/2)^-1 (I + a/2)."""
    from ...linalg import solve

    eye = _eye_like(a, a.shape[-1])
    return solve(eye - a * 0.5, eye + a * 0.5)


def householder_product(a: Tensor, tau: Tensor) -> Tensor:
    """The first k columns of H_1 ... H_k, H_i = I - tau_i v_i v_iᵀ with v_i the i-th column of
    `a` below the diagonal and 1 on it (LAPACK's orgqr)."""
    from ..._creation import ones, zeros
    from ..._shape import cat

    n, k = a.shape[-2], a.shape[-1]
    batch = tuple(a.shape[:-2])
    q = _eye_like(a, n)
    for i in range(k):
        parts = []
        if i:
            parts.append(zeros(*batch, i, dtype=a.dtype))
        parts.append(ones(*batch, 1, dtype=a.dtype))
        if i + 1 < n:
            parts.append(a[..., i + 1:, i])
        v = cat(parts, -1).unsqueeze(-1)
        qv = q.matmul(v)
        q = q - tau[..., i].unsqueeze(-1).unsqueeze(-1) * qv.matmul(v.transpose(-2, -1))
    return q[..., :, :k]


def _geqrf_matrix(m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a = m.copy()
    rows, cols = a.shape
    taus = np.zeros(min(rows, cols), dtype=a.dtype)
    for j in range(min(rows, cols)):
        alpha = a[j, j]
        xnorm = np.linalg.norm(a[j + 1:, j])
        if xnorm == 0.0:
            continue
        beta = -math.copysign(math.hypot(alpha, xnorm), alpha)
        taus[j] = (beta - alpha) / beta
        a[j + 1:, j] /= alpha - beta
        a[j, j] = beta
        v = np.concatenate([[1.0], a[j + 1:, j]])
        a[j:, j + 1:] -= taus[j] * np.outer(v, v @ a[j:, j + 1:])
    return a, taus


def geqrf(a: Tensor) -> tuple[Tensor, Tensor]:
    """LAPACK's geqrf: R above the diagonal, the Householder vectors below, and their tau."""
    from ..._creation import tensor

    arr = np.asarray(a.detach().tolist(), dtype=np.float64)
    flat = arr.reshape(-1, *arr.shape[-2:])
    outs = [_geqrf_matrix(m) for m in flat]
    qr = np.stack([o[0] for o in outs]).reshape(arr.shape)
    taus = np.stack([o[1] for o in outs]).reshape((*arr.shape[:-2], -1))
    return tensor(qr.tolist(), dtype=a.dtype), tensor(taus.tolist(), dtype=a.dtype)


def make_orthogonal(a: Tensor) -> Tensor:
    """The Q of a's QR decomposition whose R has a non-negative diagonal."""
    x, tau = geqrf(a)
    q = householder_product(x, tau)
    return q * x.diagonal(dim1=-2, dim2=-1).sign().unsqueeze(-2)


def is_orthogonal(q: Tensor) -> bool:
    n, k = q.shape[-2], q.shape[-1]
    eps = 10 * n * finfo(q.dtype).eps
    eye = _eye_like(q, k)
    return bool(((q.transpose(-2, -1).matmul(q) - eye).abs() <= eps + 1e-5 * eye.abs()).all())
