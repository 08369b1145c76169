"""PyTorch's top-level linear-algebra functions (`torch.det`, `torch.svd`, ...) and
the matching Tensor methods, on `ferrograd.linalg`."""

from __future__ import annotations

import math
from typing import Any

from . import _core
from ._core import Tensor


class _Linalg:
    """`ferrograd.linalg`, imported on first use (it is not part of `import ferrograd`)."""

    def __getattr__(self, name: str) -> Any:
        from . import linalg as module

        return getattr(module, name)


linalg: Any = _Linalg()


def result(name: str, values: tuple) -> Any:
    """`linalg._results.result` (the named tuple types), imported on first use."""
    from .linalg._results import result as make

    return make(name, values)


def det(input: Tensor) -> Tensor:
    """The determinant (`linalg.det`)."""
    return linalg.det(input)


def logdet(input: Tensor) -> Tensor:
    """log(det): nan for a negative determinant, -inf for a singular matrix."""
    sign, logabsdet = linalg.slogdet(input)
    from ._creation import full_like
    from ._reduce import where

    return where(sign < 0, full_like(logabsdet, math.nan), logabsdet)


def slogdet(input: Tensor) -> Any:
    """(sign, logabsdet) as `torch.return_types.slogdet`."""
    return result("slogdet", tuple(linalg.slogdet(input)))


def inverse(input: Tensor) -> Tensor:
    """The inverse (`linalg.inv`)."""
    return linalg.inv(input)


def pinverse(input: Tensor, rcond: float = 1e-15) -> Tensor:
    """The pseudo-inverse with the relative tolerance `rcond`."""
    return linalg.pinv(input, rcond)


def matrix_power(input: Tensor, n: int) -> Tensor:
    """`input^n` (`linalg.matrix_power`)."""
    return linalg.matrix_power(input, n)


def svd(input: Tensor, some: bool = True, compute_uv: bool = True) -> Any:
    """The older SVD: (U, S, V) with `A = U diag(S) V^T`, reduced when `some`."""
    if not compute_uv:
        from ._creation import zeros

        s = linalg.svdvals(input)
        m, n = input.shape[-2], input.shape[-1]
        batch = tuple(input.shape[:-2])
        return result("svd", (zeros(*batch, m, m, dtype=input.dtype), s, zeros(*batch, n, n, dtype=input.dtype)))
    u, s, vh = linalg.svd(input, full_matrices=not some)
    return result("svd", (u, s, vh.mT))


def qr(input: Tensor, some: bool = True) -> Any:
    """The older QR: reduced when `some`, complete otherwise."""
    return result("qr", tuple(linalg.qr(input, "reduced" if some else "complete")))


def cholesky(input: Tensor, upper: bool = False) -> Tensor:
    """The older Cholesky (`CholeskyBackward0`, errors prefixed `cholesky:`)."""
    return _core._linalg_cholesky_ex(input, upper, True, True)[0]


def cholesky_solve(input: Tensor, input2: Tensor, upper: bool = False) -> Tensor:
    """X with `L L^T X = input` given the Cholesky factor `input2`."""
    return _named(_core._linalg_cholesky_solve(input, input2, upper), "CholeskySolveBackward0")


def cholesky_inverse(input: Tensor, upper: bool = False) -> Tensor:
    """`(L L^T)^{-1}` given the Cholesky factor L."""
    return _named(_core._linalg_cholesky_inverse(input, upper), "CholeskyInverseBackward0")


def triangular_solve(input: Tensor, A: Tensor, upper: bool = True, transpose: bool = False,
                     unitriangular: bool = False) -> Any:
    """(solution, cloned_coefficient) of `A X = input` (`A^T X = input` when transpose)."""
    coef = A.mT if transpose else A
    x = linalg.solve_triangular(coef, input, upper=upper != transpose, unitriangular=unitriangular)
    return result("triangular_solve", (_named(x, "TriangularSolveBackward0"), _named(A.clone(), "TriangularSolveBackward0")))


def _named(t: Tensor, name: str) -> Tensor:
    """`t` under the name of PyTorch's node for the op it stands for."""
    return _core._named_node(t, name) if t.grad_fn is not None else t


def lu(A: Tensor, pivot: bool = True, get_infos: bool = False) -> Any:
    """(LU, pivots) or (LU, pivots, infos): the packed LU factorization."""
    lu_, pivots, info = linalg.lu_factor_ex(A, pivot=pivot)
    return (lu_, pivots, info) if get_infos else (lu_, pivots)


def cross(input: Tensor, other: Tensor, dim: int | None = None) -> Tensor:
    """The cross product along `dim` (default: the first dim of size 3)."""
    if dim is None:
        dim = next((i for i, s in enumerate(input.shape) if s == 3), -1)
    return linalg.cross(input, other, dim=dim)


def dist(input: Tensor, other: Tensor, p: float = 2) -> Tensor:
    """The p-norm of `input - other`."""
    return _core._dist(input, other, float(p))


def _norm(self: Tensor, p: Any = "fro", dim=None, keepdim: bool = False, dtype=None) -> Tensor:
    if p == "nuc":
        return linalg.matrix_norm(self, "nuc", (-2, -1) if dim is None else dim, keepdim, dtype=dtype)
    if p in ("fro", None):
        p = 2
    if isinstance(p, str):
        raise RuntimeError(f"linalg.matrix_norm: Order {p} not supported.")  # noqa: TRY004  (as PyTorch)
    return linalg.vector_norm(self, p, dim, keepdim, dtype=dtype)


def _install() -> None:
    T = Tensor
    T.det = det
    T.logdet = logdet
    T.slogdet = slogdet
    T.inverse = inverse
    T.pinverse = pinverse
    T.matrix_power = matrix_power
    T.svd = svd
    T.qr = qr
    T.cholesky = cholesky
    T.cholesky_solve = cholesky_solve
    T.cholesky_inverse = cholesky_inverse
    T.triangular_solve = triangular_solve
    T.lu = lu
    T.cross = cross
    T.dist = dist
    T.norm = _norm


_install()

__all__ = [
    "cholesky",
    "cholesky_inverse",
    "cholesky_solve",
    "cross",
    "det",
    "dist",
    "inverse",
    "logdet",
    "lu",
    "matrix_power",
    "pinverse",
    "qr",
    "slogdet",
    "svd",
    "triangular_solve",
]
