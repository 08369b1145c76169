"""Functions of packed factorizations: Householder (`geqrf`, `householder_product`,
`ormqr`), LU (`lu_solve`, `lu_unpack`) and LDLᵀ (`ldl_factor(_ex)`, `ldl_solve`).

The products and solves are compositions of differentiable ops named with PyTorch's
nodes; `geqrf` and the LDLᵀ functions have no derivative in PyTorch either, and their
nodes raise as PyTorch's do.
"""

from __future__ import annotations

import functools
import math
from typing import Any

from .. import _core
from .._core import Tensor
from .._return_types import result
from .._shell_dtypes import FLOAT8_DTYPES
from ..autograd.function import Function


def _kernel(t: Tensor) -> str:
    from . import _kernel_name

    return _kernel_name(t)


def _dtype_name(t: Tensor) -> str:
    return repr(t.dtype).replace("ferrograd.", "torch.")


def _not_implemented_for(op: str, t: Tensor) -> None:
    """LAPACK's kernels: float32 and float64 only (no half nor 8-bit ones)."""
    if not t.dtype.is_floating_point or t.dtype in (_core.float16, _core.bfloat16) or t.dtype in FLOAT8_DTYPES:
        raise NotImplementedError(f'"{op}_cpu" not implemented for \'{_kernel(t)}\'')


# --- Householder ----------------------------------------------------------------------


def _reflector(A: Tensor, i: int) -> Tensor:
    """v_i of column i: zeros above row i, 1 at row i, A's entries below; shape (*, m)."""
    from .._creation import ones, zeros
    from .._shape import cat

    batch, m = tuple(A.shape[:-2]), A.shape[-2]
    parts = [zeros(*batch, i, dtype=A.dtype), ones(*batch, 1, dtype=A.dtype)]
    if i + 1 < m:
        # select, then narrow: the second derivative of a narrow followed by another view
        # loses the narrow's offset in ferrograd's core
        parts.append(A.select(-1, i).narrow(-1, i + 1, m - i - 1))
    return cat(parts, -1)


def _apply_left(C: Tensor, v: Tensor, tau: Tensor) -> Tensor:
    """(I - tau v vᴴ) C."""
    vc = (v.conj() if v.dtype.is_complex else v).unsqueeze(-2) @ C
    return C - (tau.unsqueeze(-1).unsqueeze(-1) * v.unsqueeze(-1)) @ vc


def _apply_right(C: Tensor, v: Tensor, tau: Tensor) -> Tensor:
    """C (I - tau v vᴴ)."""
    cv = C @ v.unsqueeze(-1)
    vh = v.conj() if v.dtype.is_complex else v
    return C - cv @ (tau.unsqueeze(-1).unsqueeze(-1) * vh.unsqueeze(-2))


def householder_product(A: Tensor, tau: Tensor, *, out=None) -> Tensor:
    """The first n columns of H_1 ⋯ H_k, H_i = I - tau_i v_i v_iᴴ, with v_i column i of
    `A` below the diagonal (and 1 on it): Q of `geqrf`'s output.

    Args:
        A: the reflectors, shape (*, m, n) with m >= n.
        tau: their scalars, shape (*, k) with k <= n.
        out: an optional tensor the result is written into and returned.
    """
    f = "torch.linalg.householder_product"
    if A.dim() < 2:
        raise RuntimeError(f"{f}: input must have at least 2 dimensions.")
    m, n = A.shape[-2], A.shape[-1]
    if m < n:
        raise RuntimeError(f"{f}: input.shape[-2] must be greater than or equal to input.shape[-1]")
    if tau.dim() == 0:  # PyTorch reads tau.size(-1)
        raise IndexError("Dimension specified as -1 but tensor has no dimensions")
    if n < tau.shape[-1]:
        raise RuntimeError(f"{f}: input.shape[-1] must be greater than or equal to tau.shape[-1]")
    if A.dim() - tau.dim() != 1:
        raise RuntimeError(
            f"{f}: Expected tau to have one dimension less than input, but got tau.ndim equal to {tau.dim()} "
            f"and input.ndim is equal to {A.dim()}")
    if A.dim() > 2 and tuple(tau.shape[:-1]) != tuple(A.shape[:-2]):
        raise RuntimeError(
            f"{f}: Expected batch dimensions of tau to be equal to input.shape[:-2], but got {list(tau.shape[:-1])}")
    if tau.dtype != A.dtype:
        raise RuntimeError(f"{f}: tau dtype {_kernel(tau)} does not match input dtype {_kernel(A)}")
    if not A.dtype.is_complex:
        _not_implemented_for("orgqr", A)
    from ..nn._composite_nodes import record_composite

    # no reflector: Q is the identity, still a node of the inputs (zero gradients), as in PyTorch
    return record_composite("LinalgHouseholderProductBackward0", (A, tau),
                            lambda Q: (("input", A), ("tau", tau), ("result", Q)), _householder_product_value)


def _householder_product_value(A: Tensor, tau: Tensor) -> Tensor:
    from .._creation import eye

    m, n = A.shape[-2], A.shape[-1]
    Q = eye(m, n, dtype=A.dtype).expand(tuple(A.shape)).clone()
    for i in reversed(range(tau.shape[-1])):
        Q = _apply_left(Q, _reflector(A, i), tau[..., i])
    return Q


def ormqr(input: Tensor, tau: Tensor, other: Tensor, left: bool = True, transpose: bool = False, *,
          out=None) -> Tensor:
    """Q C, Qᵀ C, C Q or C Qᵀ for the m × m Q = H_1 ⋯ H_k of `geqrf`'s reflectors, without
    forming Q.

    Args:
        input: the reflectors, shape (*, mn, k).
        tau: their scalars, shape (*, min(mn, k)).
        other: C, shape (*, m, n); mn is m when `left`, n otherwise.
        left: multiply from the left (default True).
        transpose: use Qᵀ (default False).
        out: an optional tensor the result is written into and returned.
    """
    f = "torch.ormqr"
    A, C = input, other
    if A.dim() < 2:
        raise RuntimeError(f"{f}: input must have at least 2 dimensions.")
    if C.dim() < 2:
        raise RuntimeError(f"{f}: other must have at least 2 dimensions.")
    side = -2 if left else -1
    if tau.dim() == 0:  # PyTorch reads tau.size(-1)
        raise IndexError("Dimension specified as -1 but tensor has no dimensions")
    if tau.shape[-1] != min(C.shape[side], A.shape[-1]):
        raise RuntimeError(f"{f}: tau.shape[-1] must be equal to min(other.shape[{side}], input.shape[-1])")
    if C.shape[side] != A.shape[-2]:
        raise RuntimeError(f"{f}: other.shape[{side}] must be equal to input.shape[-2]")
    if A.dim() - tau.dim() != 1:
        raise RuntimeError(
            f"{f}: Expected tau to have one dimension less than input, but got tau.ndim equal to {tau.dim()} "
            f"and input.ndim is equal to {A.dim()}")
    if A.dim() != C.dim():
        raise RuntimeError(
            f"{f}: Expected other to have the same number of dimensions as input, but got other.ndim equal to "
            f"{C.dim()} and input.ndim is equal to {A.dim()}")
    if A.dim() > 2:
        if tuple(tau.shape[:-1]) != tuple(A.shape[:-2]):
            raise RuntimeError(
                f"{f}: Expected batch dimensions of tau to be equal to input.shape[:-2], but got "
                f"{list(tau.shape[:-1])}")
        if tuple(C.shape[:-2]) != tuple(A.shape[:-2]):
            raise RuntimeError(
                f"{f}: Expected batch dimensions of other to be equal to input.shape[:-2], but got "
                f"{list(C.shape[:-2])}")
    if tau.dtype != A.dtype:
        raise RuntimeError(
            f"{f}: Expected input and tau to have the same dtype, but input has dtype{_kernel(A)} and tau has "
            f"dtype {_kernel(tau)}")
    if C.dtype != A.dtype:
        raise RuntimeError(
            f"{f}: Expected input and other to have the same dtype, but input has dtype{_kernel(A)} and other has "
            f"dtype {_kernel(C)}")
    if not A.dtype.is_complex:
        _not_implemented_for("ormqr", A)
    from ..nn._composite_nodes import record_composite

    return record_composite("OrmqrBackward0", (A, tau, C),
                            lambda R: (("self", A), ("input2", tau), ("input3", C), ("result", R)),
                            functools.partial(_ormqr_value, left, transpose), {"left": left, "transpose": transpose})


def _ormqr_value(left: bool, transpose: bool, A: Tensor, tau: Tensor, C: Tensor) -> Tensor:
    k = tau.shape[-1]
    if transpose and A.dtype.is_complex:
        tau = tau.conj()  # H_iᴴ = I - conj(tau_i) v_i v_iᴴ
    # Q = H_0 ⋯ H_{k-1}: Q C applies H_{k-1} first; Qᴴ C applies H_0ᴴ first.
    first_to_last = left == transpose
    order = range(k) if first_to_last else reversed(range(k))
    R = C
    for i in order:
        v, t = _reflector(A, i), tau[..., i]
        R = _apply_left(R, v, t) if left else _apply_right(R, v, t)
    return R


class _Geqrf(Function):
    _ferro_node_name = "GeqrfBackward0"

    @staticmethod
    def forward(ctx, A):
        return _real_geqrf(A)

    @staticmethod
    def backward(ctx, ga, gtau):
        raise NotImplementedError("the derivative for 'geqrf' is not implemented.")


def geqrf(input: Tensor, *, out=None) -> Any:
    """(a, tau): QR in LAPACK's form, R on and above the diagonal of `a`, the Householder
    vectors below it, tau their scalars (see `householder_product`, `ormqr`).

    Args:
        input: a matrix or a batch of matrices, shape (*, m, n), float32 or float64.
        out: an optional tuple of tensors the results are written into.
    """
    if input.dim() < 2:
        raise RuntimeError("torch.geqrf: input must have at least 2 dimensions.")
    if input.dtype.is_complex and input.dtype is not _core.complex32:
        if input.requires_grad and _core.is_grad_enabled():
            raise RuntimeError("geqrf does not support automatic differentiation for outputs with complex dtype.")
        a, tau = _complex_geqrf(input)
        return result("geqrf", (_column_major(a), tau))
    _not_implemented_for("geqrf", input)
    r = _Geqrf.apply(input) if input.requires_grad and _core.is_grad_enabled() else _real_geqrf(input)
    return result("geqrf", tuple(r))


def _real_geqrf(A: Tensor) -> tuple[Tensor, Tensor]:
    a, tau = _core._geqrf(A)
    # LAPACK writes each matrix column by column, as PyTorch's result keeps it
    return _column_major(a), tau


def _column_major(a: Tensor) -> Tensor:
    """`a` with each matrix stored column by column (strides (m*n, 1, m)); an empty or
    already column-major `a` as it is."""
    if a.numel() == 0 or a.transpose(-2, -1).is_contiguous():
        return a
    return a.transpose(-2, -1).contiguous().transpose(-2, -1)


def _complex_geqrf(input: Tensor) -> tuple[Tensor, Tensor]:
    """LAPACK's complex geqrf (through NumPy's `qr(mode='raw')`), matrix by matrix."""
    from .._creation import tensor
    from .._numpy import np

    values = np.asarray(input.detach().resolve_conj().numpy())
    m, n = values.shape[-2:]
    count = math.prod(values.shape[:-2])
    flat = values.reshape(count, m, n)  # -1 cannot be inferred when a matrix is empty
    reflectors = np.empty_like(flat)
    taus = np.empty((flat.shape[0], min(m, n)), dtype=values.dtype)
    for i, matrix in enumerate(flat):
        if matrix.size == 0:
            continue
        h, tau = np.linalg.qr(matrix, mode="raw")
        reflectors[i] = h.T  # NumPy hands LAPACK's column-major array back transposed
        taus[i] = tau
    batch = values.shape[:-2]
    return (tensor(reflectors.reshape((*batch, m, n)), dtype=input.dtype),
            tensor(taus.reshape((*batch, min(m, n))), dtype=input.dtype))


# --- LU ---------------------------------------------------------------------------------


def _permutation(pivots: Tensor, m: int, dtype) -> Tensor:
    """P with A = P L U from LAPACK's 1-based row swaps, shape pivots.shape[:-1] + (m, m)."""
    from .._creation import tensor

    batch = tuple(pivots.shape[:-1])
    rows = pivots.reshape(-1, pivots.shape[-1]).tolist() if pivots.numel() else [[] for _ in range(_count(batch))]
    mats = []
    for piv in rows:
        perm = list(range(m))
        for i, p in enumerate(piv):
            if not 1 <= p <= m:
                raise RuntimeError(
                    "pivots passed to lu_unpack must be between 1 and LU.size(-2) inclusive."
                    "Did you properly pass the result of lu_factor?")
            perm[i], perm[p - 1] = perm[p - 1], perm[i]
        mat = [[0.0] * m for _ in range(m)]
        for j, r in enumerate(perm):
            mat[r][j] = 1.0
        mats.append(mat)
    return tensor(mats, dtype=dtype).reshape((*batch, m, m))


def _count(batch) -> int:
    c = 1
    for b in batch:
        c *= b
    return c


def lu_unpack(LU_data: Tensor, LU_pivots: Tensor, unpack_data: bool = True, unpack_pivots: bool = True, *,
              out=None) -> Any:
    """(P, L, U) from `lu_factor`'s packed (LU, pivots): A = P L U.

    Args:
        LU_data: the packed factors, shape (*, m, n).
        LU_pivots: the 1-based row swaps, int32, shape (*, min(m, n)).
        unpack_data: compute L and U (default True; empty otherwise).
        unpack_pivots: compute P (default True; empty otherwise).
        out: an optional tuple of tensors the results are written into.
    """
    from .._creation import empty, eye

    LU = LU_data
    if LU.dim() < 2:
        if LU.requires_grad and _core.is_grad_enabled():
            from . import _wrap

            _wrap(-2, max(LU.dim(), 1))  # PyTorch's differentiable form reads LU.size(-2) first
        raise RuntimeError(
            f"torch.lu_unpack: Expected tensor with 2 or more dimensions. Got size: {_size(LU)} instead")
    if unpack_pivots and LU_pivots.dtype != _core.int32:
        raise RuntimeError(
            "torch.lu_unpack: LU_pivots is expected to be a contiguous tensor of torch.int32 dtype.\n"
            "Note: this function is intended to be used with the output produced by torch.linalg.lu_factor")
    m, n = LU.shape[-2], LU.shape[-1]
    k = min(m, n)
    if unpack_data:
        from .._grad_mode import no_grad
        from .._unpacking_nodes import lu_unpack_factors

        with no_grad():
            L = LU[..., :, :k].tril(-1) + eye(m, k, dtype=LU.dtype)
            U = LU[..., :k, :].triu()
        lu_unpack_factors(LU, L, U)
    else:
        L = U = empty(0, dtype=LU.dtype)
    if unpack_pivots:
        # PyTorch reads the first min(m, n) pivots of each row and ignores the rest
        if k and (LU_pivots.dim() == 0 or LU_pivots.shape[-1] < k):
            raise RuntimeError("torch.lu_unpack: LU_pivots must have size min(m, n) in its last dimension")
        pivots = LU_pivots[..., :k] if LU_pivots.dim() else LU_pivots.reshape(0)
        P = _permutation(pivots, m, LU.dtype)
        batch = tuple(LU.shape[:-2])
        if tuple(P.shape[:-2]) != batch:
            P = P.expand((*batch, m, m)).clone()
    else:
        P = empty(0, dtype=LU.dtype)
    return result("lu_unpack", (P, L, U))


def _size(t: Tensor) -> str:
    return "[" + ", ".join(str(s) for s in t.shape) + "]"


def lu_solve(LU: Tensor, pivots: Tensor, B: Tensor, *, left: bool = True, adjoint: bool = False,
             out=None) -> Tensor:
    """X with A X = B from `lu_factor`'s (LU, pivots) of A, broadcasting batch dims;
    `adjoint` solves with Aᵀ, `left=False` solves X A = B.

    Args:
        LU: the packed factors of square matrices, shape (*, n, n).
        pivots: their 1-based row swaps, int32, shape (*, n).
        B: the right-hand side, shape (*, n, k) (or (*, k, n) when left=False).
        left: solve A X = B (default True) or X A = B.
        adjoint: use Aᵀ instead of A (default False).
        out: an optional tensor the result is written into and returned.
    """
    f = "linalg.lu_solve"
    if not (LU.dtype.is_floating_point or LU.dtype.is_complex):
        raise RuntimeError(f"torch.{f}: Expected a floating point or complex tensor as input. Got {_kernel(LU)}")
    if LU.dtype != B.dtype:
        raise RuntimeError(
            f"{f}: Expected LU and B to have the same dtype, but found LU of type {_kernel(LU)} and B of type "
            f"{_kernel(B)} instead")
    if pivots.dtype != _core.int32:
        raise RuntimeError(f"{f}: pivots should be a Tensor of scalar type torch.int32")
    if LU.dim() < 2:
        raise RuntimeError(f"torch.{f}: The input tensor A must have at least 2 dimensions.")
    n = LU.shape[-1]
    if LU.shape[-2] != n:
        raise RuntimeError(
            f"torch.{f}: A must be batches of square matrices, but they are {LU.shape[-2]} by {n} matrices")
    if B.dim() < 2:
        raise RuntimeError(f"{f}: The input tensor B must have at least 2 dimensions.")
    if (B.shape[-2] if left else B.shape[-1]) != n:
        eq = "AX = B" if left else "XA = B"
        raise RuntimeError(
            f"{f}: Incompatible shapes of A and B for the equation {eq} ({n}x{n} and {B.shape[-2]}x{B.shape[-1]})")
    if pivots.dim() == 0:  # PyTorch reads pivots.size(-1)
        raise IndexError("Dimension specified as -1 but tensor has no dimensions")
    if pivots.shape[-1] != n:
        raise RuntimeError(f"{f}: Number of pivots per batch should be same as the dimension of the matrix")
    if tuple(pivots.shape) != tuple(LU.shape[:-1]):
        raise RuntimeError(
            f"{f}: Expected LU.shape[:-1] and pivots.shape to be the same, but got pivots with shape "
            f"{_size(pivots)} instead")
    from ..nn._composite_nodes import record_composite

    return record_composite("LinalgLuSolveBackward0", (LU, B),
                            lambda X: (("LU", LU), ("pivots", pivots), ("result", X)),
                            functools.partial(_lu_solve_value, pivots, left, adjoint),
                            {"adjoint": adjoint, "left": left})


def _lu_solve_value(pivots: Tensor, left: bool, adjoint: bool, LU: Tensor, B: Tensor) -> Tensor:
    from . import solve_triangular

    P, L, U = lu_unpack(LU, pivots)
    # X A = B is Aᴴ Xᴴ = Bᴴ: the adjoint problem with the other `adjoint`.
    rhs, transposed = (B, adjoint) if left else (B.mH, not adjoint)
    if not transposed:  # A X = P L U X = rhs
        X = solve_triangular(L, P.mT @ rhs, upper=False, unitriangular=True)
        X = solve_triangular(U, X, upper=True)
    else:  # Aᴴ X = Uᴴ Lᴴ Pᵀ X = rhs
        X = solve_triangular(U.mH, rhs, upper=False)
        X = P @ solve_triangular(L.mH, X, upper=True, unitriangular=True)
    return X if left else X.mH


# --- LDLᵀ -----------------------------------------------------------------------------


class _NotDifferentiable(Function):
    """PyTorch's `NotImplemented` node: outputs with a history whose backward raises."""

    _ferro_node_name = "NotImplemented"

    @staticmethod
    def forward(ctx, name, fn, *args):
        ctx.aten_name = name  # not `name`: that is the node's name() method
        outs = fn(*args)
        outs = outs if isinstance(outs, tuple) else (outs,)
        ctx.mark_non_differentiable(*[o for o in outs if not o.dtype.is_floating_point])
        return outs if len(outs) > 1 else outs[0]

    @staticmethod
    def backward(ctx, *grads):
        raise RuntimeError(f"derivative for aten::{ctx.aten_name} is not implemented")


def _no_derivative(name: str, fn, *args: Tensor):
    if _core.is_grad_enabled() and any(a.requires_grad for a in args):
        return _NotDifferentiable.apply(name, fn, *args)
    return fn(*args)


def ldl_factor_ex(A: Tensor, *, hermitian: bool = False, check_errors: bool = False, out=None) -> Any:
    """(LD, pivots, info): the Bunch-Kaufman factorization A = P L D Lᵀ Pᵀ of symmetric
    matrices (the lower triangle is read), as LAPACK's `sytrf` packs it: L below the
    diagonal of LD, the 1×1 and 2×2 blocks of D on and next to it, pivots the 1-based
    swaps (negative for 2×2 blocks). info > 0 marks an exactly singular D.

    Args:
        A: symmetric matrices, shape (*, n, n), float32 or float64.
        hermitian: the same as symmetric for real inputs (default False).
        check_errors: raise when `info` is non-zero (default False).
        out: an optional tuple of tensors the results are written into.
    """
    f = "torch.linalg.ldl_factor_ex"
    _matrix_checks(A, f)
    kernel = _core._linalg_ldl_factor_ex
    if hermitian and A.dtype.is_complex:
        from ._hermitian_ldl import factor as kernel
    LD, pivots, info = _no_derivative("linalg_ldl_factor_ex", kernel, A)
    if check_errors:
        _raise_info(info, "torch.linalg.ldl_factor_ex")
    return result("linalg_ldl_factor_ex", (LD, pivots, info))


def _matrix_checks(A: Tensor, f: str) -> None:
    if A.dim() < 2:
        raise RuntimeError(f"{f}: The input tensor A must have at least 2 dimensions.")
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(
            f"{f}: A must be batches of square matrices, but they are {A.shape[-2]} by {A.shape[-1]} matrices")
    if not (A.dtype.is_floating_point or A.dtype in (_core.complex64, _core.complex128)):
        raise RuntimeError(f"{f}: Expected a floating point or complex tensor as input. Got {_kernel(A)}")


def _raise_info(info: Tensor, f: str) -> None:
    bad = [v for v in info.reshape(-1).tolist() if v != 0]
    if bad:
        raise RuntimeError(f"{f}: Unknown error code: {bad[0]}.")


def ldl_factor(A: Tensor, *, hermitian: bool = False, out=None) -> Any:
    """(LD, pivots) of `ldl_factor_ex`, raising for a singular D.

    Args:
        A: symmetric matrices, shape (*, n, n), float32 or float64.
        hermitian: the same as symmetric for real inputs (default False).
        out: an optional tuple of tensors the results are written into.
    """
    LD, pivots, info = ldl_factor_ex(A, hermitian=hermitian)
    _raise_info(info, "torch.linalg.ldl_factor")
    return result("linalg_ldl_factor", (LD, pivots))


def ldl_solve(LD: Tensor, pivots: Tensor, B: Tensor, *, hermitian: bool = False, out=None) -> Tensor:
    """X with A X = B from `ldl_factor`'s (LD, pivots) of A, broadcasting batch dims.

    Args:
        LD: the packed factors, shape (*, n, n).
        pivots: their swaps, integers, shape (*, n).
        B: the right-hand side, shape (*, n, k).
        hermitian: as given to `ldl_factor` (default False).
        out: an optional tensor the result is written into and returned.
    """
    f = "torch.linalg.ldl_solve"
    _matrix_checks(LD, f)
    if B.dtype != LD.dtype:
        raise RuntimeError(
            f"Expected b and A to have the same dtype, but found b of type {_kernel(B)} and A of type "
            f"{_kernel(LD)} instead.")
    if B.dim() < 2:
        from . import _wrap

        _wrap(-2, max(B.dim(), 1))
    n = LD.shape[-1]
    if B.shape[-2] != n:
        raise RuntimeError(
            f"Incompatible matrix sizes for {f}: each A matrix is {n} by {n} but each b matrix is "
            f"{B.shape[-2]} by {B.shape[-1]}")
    if tuple(pivots.shape) != tuple(LD.shape[:-1]):
        raise RuntimeError(
            f"{f}: Expected LD.shape[:-1] and pivots.shape to be the same, but got pivots with shape "
            f"{_size(pivots)} instead")
    if pivots.dtype.is_floating_point or pivots.dtype == _core.bool:
        raise RuntimeError(f"{f}: Expected pivots to be integers. Got {_dtype_name(pivots)}")
    from .._tensor_api import broadcast_shapes

    batch = tuple(broadcast_shapes(tuple(LD.shape[:-2]), tuple(B.shape[:-2])))
    LDb = LD.expand((*batch, n, n)).contiguous()
    Pb = pivots.expand((*batch, n)).contiguous()
    Bb = B.expand((*batch, *B.shape[-2:])).contiguous()
    if hermitian and LD.dtype.is_complex:
        from ._hermitian_ldl import solve as hermitian_solve

        return _no_derivative("linalg_ldl_solve", lambda a, b: hermitian_solve(a, Pb, b), LDb, Bb)
    return _no_derivative("linalg_ldl_solve", lambda a, b: _core._linalg_ldl_solve(a, Pb, b), LDb, Bb)
