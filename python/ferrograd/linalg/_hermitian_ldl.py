"""`ldl_factor_ex` / `ldl_solve` with `hermitian=True` for complex inputs: LAPACK's
`zhetf2` (Bunch-Kaufman, lower triangle read: A = P L D Lᴴ Pᵀ with D Hermitian, its 1×1
blocks real) and `zhetrs`, with the same pivot choices and `ipiv` encoding as the
symmetric path in the core. NumPy does the arithmetic, matrix by matrix."""

from __future__ import annotations

import math

from .._core import Tensor
from .._numpy import np

_ALPHA = (1.0 + math.sqrt(17.0)) / 8.0


def _cabs1(z):
    """LAPACK's cheap complex magnitude |re| + |im| (used for the pivot search)."""
    return np.abs(z.real) + np.abs(z.imag)


def _pivot(a, k: int, n: int) -> tuple[int, int, float, float]:
    """(kp, kstep, absakk, colmax) of step k of `zhetf2`."""
    absakk = abs(a[k, k].real)
    if k + 1 < n:
        col = _cabs1(a[k + 1:, k])
        imax = k + 1 + int(np.argmax(col))
        colmax = float(col[imax - k - 1])
    else:
        imax, colmax = k, 0.0
    if max(absakk, colmax) == 0.0 or math.isnan(absakk) or absakk >= _ALPHA * colmax:
        return k, 1, absakk, colmax
    rowmax = float(_cabs1(a[imax, k:imax]).max())
    if imax + 1 < n:
        rowmax = max(rowmax, float(_cabs1(a[imax + 1:, imax]).max()))
    if absakk >= _ALPHA * colmax * (colmax / rowmax):
        return k, 1, absakk, colmax
    if abs(a[imax, imax].real) >= _ALPHA * rowmax:
        return imax, 1, absakk, colmax
    return imax, 2, absakk, colmax


def _swap(a, k: int, kk: int, kp: int, kstep: int) -> None:
    """Symmetric interchange of rows and columns kk and kp of the lower triangle."""
    if kp == kk:
        a[k, k] = a[k, k].real
        if kstep == 2:
            a[k + 1, k + 1] = a[k + 1, k + 1].real
        return
    a[kp + 1:, kk], a[kp + 1:, kp] = a[kp + 1:, kp].copy(), a[kp + 1:, kk].copy()
    for j in range(kk + 1, kp):
        t = np.conj(a[j, kk])
        a[j, kk] = np.conj(a[kp, j])
        a[kp, j] = t
    a[kp, kk] = np.conj(a[kp, kk])
    r1 = a[kk, kk].real
    a[kk, kk] = a[kp, kp].real
    a[kp, kp] = r1
    if kstep == 2:
        a[k, k] = a[k, k].real
        a[k + 1, k], a[kp, k] = a[kp, k], a[k + 1, k]


def _factor(a) -> tuple[list[int], int]:
    """`zhetf2` with uplo = 'L' on the complex matrix `a`, in place: (ipiv, info)."""
    n = a.shape[0]
    ipiv = [0] * n
    info = 0
    k = 0
    while k < n:
        kp, kstep, absakk, colmax = _pivot(a, k, n)
        if max(absakk, colmax) == 0.0 or math.isnan(absakk):
            if info == 0:
                info = k + 1
            a[k, k] = a[k, k].real
            ipiv[k] = k + 1
            k += 1
            continue
        _swap(a, k, k + kstep - 1, kp, kstep)
        if kstep == 1:
            if k + 1 < n:
                r1 = 1.0 / a[k, k].real
                x = a[k + 1:, k].copy()
                for j in range(k + 1, n):  # zher: A := A - r1 x xᴴ on the lower triangle
                    temp = -r1 * np.conj(x[j - k - 1])
                    a[j, j] = a[j, j].real + (x[j - k - 1] * temp).real
                    a[j + 1:, j] += x[j - k:] * temp
                a[k + 1:, k] *= r1
            ipiv[k] = kp + 1
        else:
            if k + 2 < n:
                d = abs(a[k + 1, k])
                d11 = a[k + 1, k + 1].real / d
                d22 = a[k, k].real / d
                tt = 1.0 / (d11 * d22 - 1.0)
                d21 = a[k + 1, k] / d
                d = tt / d
                for j in range(k + 2, n):
                    wk = d * (d11 * a[j, k] - d21 * a[j, k + 1])
                    wkp1 = d * (d22 * a[j, k + 1] - np.conj(d21) * a[j, k])
                    a[j:, j] -= a[j:, k] * np.conj(wk) + a[j:, k + 1] * np.conj(wkp1)
                    a[j, k] = wk
                    a[j, k + 1] = wkp1
                    a[j, j] = a[j, j].real
            ipiv[k] = ipiv[k + 1] = -(kp + 1)
        k += kstep
    return ipiv, info


def factor(A: Tensor) -> tuple[Tensor, Tensor, Tensor]:
    """(LD, pivots, info) of Hermitian complex matrices (the upper triangle of LD zeroed)."""
    from .. import _core
    from .._creation import tensor

    values = np.array(A.detach().resolve_conj().numpy(), dtype=np.complex128)
    n = values.shape[-1]
    batch = values.shape[:-2]
    flat = values.reshape((-1, n, n)) if values.size else np.zeros((int(np.prod(batch)), n, n), np.complex128)
    pivots = np.zeros((flat.shape[0], n), dtype=np.int64)
    infos = np.zeros(flat.shape[0], dtype=np.int64)
    for i in range(flat.shape[0]):
        ipiv, info = _factor(flat[i])
        flat[i] = np.tril(flat[i])
        pivots[i], infos[i] = ipiv, info
    return (tensor(flat.reshape(values.shape), dtype=A.dtype),
            tensor(pivots.reshape((*batch, n)), dtype=_core.int32),
            tensor(infos.reshape(batch), dtype=_core.int32))


def _solve_one(a, ipiv, b) -> None:
    """`zhetrs` with uplo = 'L': B := A⁻¹ B in place, from `_factor`'s a and ipiv."""
    n = a.shape[0]
    k = 0
    while k < n:  # L D X = B
        if ipiv[k] > 0:
            kp = ipiv[k] - 1
            if kp != k:
                b[[k, kp]] = b[[kp, k]]
            b[k + 1:] -= np.outer(a[k + 1:, k], b[k])
            b[k] *= 1.0 / a[k, k].real
            k += 1
        else:
            kp = -ipiv[k] - 1
            if kp != k + 1:
                b[[k + 1, kp]] = b[[kp, k + 1]]
            if k + 2 < n:
                b[k + 2:] -= np.outer(a[k + 2:, k], b[k])
                b[k + 2:] -= np.outer(a[k + 2:, k + 1], b[k + 1])
            akm1k = a[k + 1, k]
            akm1 = a[k, k] / np.conj(akm1k)
            ak = a[k + 1, k + 1] / akm1k
            denom = akm1 * ak - 1.0
            bkm1 = b[k] / np.conj(akm1k)
            bk = b[k + 1] / akm1k
            b[k] = (ak * bkm1 - bk) / denom
            b[k + 1] = (akm1 * bk - bkm1) / denom
            k += 2
    k = n - 1
    while k >= 0:  # Lᴴ X = B
        if ipiv[k] > 0:
            if k + 1 < n:
                b[k] -= np.conj(a[k + 1:, k]) @ b[k + 1:]
            kp = ipiv[k] - 1
            if kp != k:
                b[[k, kp]] = b[[kp, k]]
            k -= 1
        else:
            if k + 1 < n:
                b[k] -= np.conj(a[k + 1:, k]) @ b[k + 1:]
                b[k - 1] -= np.conj(a[k + 1:, k - 1]) @ b[k + 1:]
            kp = -ipiv[k] - 1
            if kp != k:
                b[[k, kp]] = b[[kp, k]]
            k -= 2


def solve(LD: Tensor, pivots: Tensor, B: Tensor) -> Tensor:
    """X with A X = B from `factor`'s (LD, pivots); all three share their batch dims."""
    from .._creation import tensor

    a = np.asarray(LD.detach().resolve_conj().numpy(), dtype=np.complex128)
    p = np.asarray(pivots.numpy(), dtype=np.int64)
    b = np.array(B.detach().resolve_conj().numpy(), dtype=np.complex128)
    n, nrhs = b.shape[-2], b.shape[-1]
    if b.size == 0:
        return tensor(b, dtype=B.dtype)
    fa, fp, fb = a.reshape((-1, n, n)), p.reshape((-1, n)), b.reshape((-1, n, nrhs))
    for i in range(fb.shape[0]):
        _solve_one(fa[i], fp[i].tolist(), fb[i])
    return tensor(fb.reshape(b.shape), dtype=B.dtype)
