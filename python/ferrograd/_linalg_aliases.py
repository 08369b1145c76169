"""PyTorch's top-level linear-algebra functions (`torch.det`, `torch.svd`, ...) and
the matching Tensor methods, on `ferrograd.linalg`."""

from __future__ import annotations

import math
import warnings
from typing import Any

from . import _core
from . import _saved_values as saved_values
from ._argcheck import (
    fits_int64,
    need_bool,
    need_int64,
    need_int64_elements,
    need_number,
    type_name,
    unpack_scalar_int,
)
from ._argcheck import need_tensor as _need_tensor
from ._core import Tensor
from ._dtype_names import scalar_name
from ._numpy import is_ndarray
from ._return_types import result
from ._shell_dtypes import FLOAT8_DTYPES
from ._shell_dtypes import refuse as refuse_shell
from ._user_warning import triggered_internally, warn_at_caller, warn_once_at_caller


class _Linalg:
    """`ferrograd.linalg`, imported on first use (it is not part of `import ferrograd`)."""

    def __getattr__(self, name: str) -> Any:
        from . import linalg as module

        return getattr(module, name)


linalg: Any = _Linalg()


def det(input: Tensor) -> Tensor:
    """The determinant of each square matrix (as `linalg.det`).

    Args:
        input: a square matrix or batch of them (the last two dimensions).
    """
    return linalg.det(input)


_LOW_PRECISION = frozenset({_core.float16, _core.bfloat16, *FLOAT8_DTYPES})


def logdet(input: Tensor) -> Tensor:
    """The natural log of the determinant: NaN for a negative determinant, -inf for a
    singular matrix.

    Args:
        input: a square matrix or batch of them (the last two dimensions).
    """
    if isinstance(input, Tensor):  # PyTorch's checks, the shape first, naming logdet
        if input.dim() < 2:
            raise RuntimeError("logdet: The input tensor A must have at least 2 dimensions.")
        if input.shape[-1] != input.shape[-2]:
            raise RuntimeError(f"logdet: A must be batches of square matrices, but they are {input.shape[-2]} by "
                               f"{input.shape[-1]} matrices")
        if not (input.dtype.is_floating_point or input.dtype.is_complex):
            raise RuntimeError(f"logdet: Expected a floating point or complex tensor as input. Got "
                               f"{scalar_name(input.dtype)}")
        if input.dtype in _LOW_PRECISION:
            raise RuntimeError(f"logdet: Low precision dtypes not supported. Got {scalar_name(input.dtype)}")
    sign, logabsdet = linalg.slogdet(input)
    if sign.dtype.is_complex:  # log(det) = log(sign) + log|det|, as PyTorch composes it
        return sign.log() + logabsdet
    from ._creation import full_like
    from ._reduce import where

    return where(sign < 0, full_like(logabsdet, math.nan), logabsdet)


def slogdet(input: Tensor) -> Any:
    """The sign and the log of the absolute value of the determinant, as the named tuple
    `(sign, logabsdet)`.

    Args:
        input: a square matrix or batch of them (the last two dimensions).
    """
    return result("slogdet", tuple(linalg.slogdet(input)))


def inverse(input: Tensor) -> Tensor:
    """The inverse of each square matrix (as `linalg.inv`); singular matrices raise.

    Args:
        input: a square matrix or batch of them (the last two dimensions).
    """
    return linalg.inv(input)


def pinverse(input: Tensor, rcond: float = 1e-15) -> Tensor:
    """The Moore-Penrose pseudo-inverse of each matrix, computed by SVD.

    Args:
        input: a matrix or batch of them.
        rcond: singular values below `rcond` times the largest count as zero (default
            1e-15).
    """
    need_number("pinverse", "rcond", 1, rcond)
    return linalg.pinv(input, rcond)


def matrix_power(input: Tensor, n: int) -> Tensor:
    """The n-th power of each square matrix (as `linalg.matrix_power`); negative `n`
    inverts first.

    Args:
        input: a square matrix or batch of them (the last two dimensions).
        n: the exponent, an int.
    """
    need_int64(n)
    return linalg.matrix_power(input, n)


def svd(input: Tensor, some: bool = True, compute_uv: bool = True) -> Any:
    """The singular value decomposition in PyTorch's older form: the named tuple `(U, S,
    V)` with `input = U diag(S) V^H` (V, not its adjoint).

    Args:
        input: a matrix or batch of them.
        some: True (default) for the reduced decomposition, False for square U and V.
        compute_uv: False to compute only S (U and V are then zero-filled).
    """
    need_bool("svd", "some", 2, some)
    need_bool("svd", "compute_uv", 3, compute_uv)
    if isinstance(input, Tensor) and input.dim() < 2:
        raise RuntimeError(f"linalg.svd: input should have at least 2 dimensions, but has {input.dim()} dimensions "
                           "instead")
    if not compute_uv:
        from ._creation import zeros

        s = linalg.svdvals(input)
        m, n = input.shape[-2], input.shape[-1]
        batch = tuple(input.shape[:-2])
        return result("svd", (zeros(*batch, m, m, dtype=input.dtype), s, zeros(*batch, n, n, dtype=input.dtype)))
    u, s, vh = linalg.svd(input, full_matrices=not some)
    return result("svd", (u, s, vh.mH))


def qr(input: Tensor, some: bool = True) -> Any:
    """The QR decomposition, as the named tuple `(Q, R)` with orthonormal Q and upper
    triangular R.

    Args:
        input: a matrix or batch of them.
        some: True (default) for the reduced decomposition, False for the complete one.
    """
    need_bool("qr", "some", 2, some)
    warn_once_at_caller(_QR_DEPRECATED)
    return result("qr", tuple(linalg.qr(input, "reduced" if some else "complete")))


_QR_DEPRECATED = triggered_internally(
    "ferrograd.qr is deprecated in favor of ferrograd.linalg.qr and will be removed in a future PyTorch release.\n"
    "The boolean parameter 'some' has been replaced with a string parameter 'mode'.\nQ, R = ferrograd.qr(A, some)\n"
    "should be replaced with\nQ, R = ferrograd.linalg.qr(A, 'reduced' if some else 'complete')",
    "native/BatchLinearAlgebra.cpp:2505",
)


def cholesky(input: Tensor, upper: bool = False) -> Tensor:
    """The Cholesky factor of each symmetric positive-definite matrix (PyTorch's older
    form, grad_fn `CholeskyBackward0`).

    Args:
        input: a square matrix or batch of them (the last two dimensions).
        upper: return the upper triangular factor U (`input = U^T U`) instead of the
            lower L (`input = L L^T`).
    """
    warn_once_at_caller(_CHOLESKY_DEPRECATED)
    if isinstance(input, Tensor) and input.numel() == 0:
        return _empty_cholesky(input, upper)  # PyTorch answers before any shape or dtype check
    _refuses_dtype(input, "cholesky", "cholesky_cpu")
    if linalg._cx.is_complex(input) and linalg._cx._wants_grad(input):
        from .linalg._cholesky_grad import cholesky_ex

        return cholesky_ex(input, upper, True, "cholesky", "CholeskyBackward0")[0]
    return _core._linalg_cholesky_ex(input, upper, True, "cholesky")[0]


_CHOLESKY_DEPRECATED = triggered_internally(
    "ferrograd.cholesky is deprecated in favor of ferrograd.linalg.cholesky and will be removed in a future "
    "PyTorch release.\nL = ferrograd.cholesky(A)\nshould be replaced with\nL = ferrograd.linalg.cholesky(A)\n"
    "and\nU = ferrograd.cholesky(A, upper=True)\nshould be replaced with\nU = ferrograd.linalg.cholesky(A).mH\n"
    "This transform will produce equivalent results for all valid (symmetric positive definite) inputs.",
    "native/BatchLinearAlgebra.cpp:1765",
)


def _empty_cholesky(input: Tensor, upper: bool) -> Tensor:
    from ._memory_format import contiguous_format

    if input.requires_grad and input.dtype in (_core.float32, _core.float64) and input.dim() >= 2 and (
        input.shape[-1] == input.shape[-2]
    ):  # the factorization's own node: its gradient is a triangular solve, recorded under create_graph
        return _core._linalg_cholesky_ex(input, upper, True, "cholesky")[0]
    out = input.clone(memory_format=contiguous_format)
    return _core._named_node(out, "CholeskyBackward0") if out.grad_fn is not None else out


_CHOLESKY_DTYPES = (_core.float32, _core.float64, _core.complex64, _core.complex128)


def _refuses_dtype(A, f: str, kernel: str, empty_ok: bool = True) -> bool:
    """PyTorch's checks of the older Cholesky functions for a dtype without a kernel:
    the shape errors first, then its NotImplementedError naming `kernel` (an empty
    input passes when `empty_ok`). True: `A` is an empty input of such a dtype."""
    if not isinstance(A, Tensor) or A.dtype in _CHOLESKY_DTYPES:
        return False
    if A.dim() < 2:
        raise RuntimeError(f"{f}: The input tensor A must have at least 2 dimensions.")
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(
            f"{f}: A must be batches of square matrices, but they are {A.shape[-2]} by {A.shape[-1]} matrices")
    if empty_ok and A.numel() == 0:
        return True
    raise NotImplementedError(f"\"{kernel}\" not implemented for '{scalar_name(A.dtype)}'")


def cholesky_solve(input: Tensor, input2: Tensor, upper: bool = False) -> Tensor:
    """The solution X of `A X = input` given the Cholesky factor of A.

    Args:
        input: the right-hand side, a matrix or batch of them.
        input2: the triangular Cholesky factor of A.
        upper: whether `input2` is upper (A = U^T U) rather than lower (A = L L^T)
            triangular.
    """
    if isinstance(input, Tensor) and isinstance(input2, Tensor):
        _cholesky_solve_checks(input, input2)
    if not (input.requires_grad or input2.requires_grad) or not _core.is_grad_enabled():
        if linalg._cx.is_complex(input2):
            return linalg._cx.cholesky_solve(input, input2, upper)
        return _core._linalg_cholesky_solve(input, input2, upper)
    from ._mathops import _node

    global _CholeskySolve
    if _CholeskySolve is None:
        _CholeskySolve = _node("CholeskySolveBackward0", _cholesky_solve_forward, _cholesky_solve_backward)
    return _CholeskySolve.apply(input, input2, upper)


_CholeskySolve: Any = None


def _cholesky_solve_checks(b: Tensor, A: Tensor) -> None:
    """PyTorch's checks of cholesky_solve's operands, in its order and words."""
    if b.dim() < 2:
        raise RuntimeError(f"b should have at least 2 dimensions, but has {b.dim()} dimensions instead")
    if A.dim() < 2:
        raise RuntimeError(f"u should have at least 2 dimensions, but has {A.dim()} dimensions instead")
    if b.dtype != A.dtype:
        raise RuntimeError(f"Expected b and A to have the same dtype, but found b of type {scalar_name(b.dtype)} "
                           f"and A of type {scalar_name(A.dtype)} instead.")
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"A must be batches of square matrices, but they are {A.shape[-2]} by {A.shape[-1]} "
                           "matrices")
    if A.shape[-1] != b.shape[-2]:
        raise RuntimeError(f"Incompatible matrix sizes for cholesky_solve: each A matrix is {A.shape[-1]} by "
                           f"{A.shape[-1]} but each b matrix is {b.shape[-2]} by {b.shape[-1]}")
    batch_b, batch_a = tuple(b.shape[:-2]), tuple(A.shape[:-2])
    width = max(len(batch_b), len(batch_a))
    for i in range(width):  # broadcast from the right, b's batch as "a"
        sb = batch_b[i - width + len(batch_b)] if i - width + len(batch_b) >= 0 else 1
        sa = batch_a[i - width + len(batch_a)] if i - width + len(batch_a) >= 0 else 1
        if sb != sa and sb != 1 and sa != 1:
            raise RuntimeError(f"The size of tensor a ({sb}) must match the size of tensor b ({sa}) at "
                               f"non-singleton dimension {i}")


def _check_linear_solve(b: Tensor, A: Tensor, name: str) -> None:
    """PyTorch's checks of a solve's right-hand side `b` and matrix `A` (both at least
    2-D): one dtype, square matrices, and as many rows in `b`."""
    if b.dtype != A.dtype:
        raise RuntimeError(f"Expected b and A to have the same dtype, but found b of type {scalar_name(b.dtype)} "
                           f"and A of type {scalar_name(A.dtype)} instead.")
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"A must be batches of square matrices, but they are {A.shape[-2]} by {A.shape[-1]} matrices")
    if A.shape[-1] != b.shape[-2]:
        raise RuntimeError(f"Incompatible matrix sizes for {name}: each A matrix is {A.shape[-1]} by {A.shape[-1]} but "
                           f"each b matrix is {b.shape[-2]} by {b.shape[-1]}")



def _cholesky_solve_forward(ctx: Any, b: Tensor, factor: Tensor, upper: bool) -> Tensor:
    solve = linalg._cx.cholesky_solve if linalg._cx.is_complex(factor) else _core._linalg_cholesky_solve
    x = solve(b.detach(), factor.detach(), upper)
    ctx.save_for_backward(b, factor, x)
    ctx.upper = upper
    return x


def _cholesky_solve_backward(ctx: Any, grad: Tensor) -> Any:
    """PyTorch's cholesky_solve_backward: the factor's gradient is the full matrix
    `-(G + G^H) L` (`-U (G + G^H)` for upper), not masked to the triangle the forward reads."""
    from ._mathops import _grad_for

    b, factor, x = ctx.saved_tensors
    grad_b = cholesky_solve(grad, factor, ctx.upper)
    common = grad_b.matmul(x.mH)
    common = common + common.mH
    grad_factor = -(factor.matmul(common) if ctx.upper else common.matmul(factor))
    needs = ctx.needs_input_grad
    return (_grad_for(grad_b, b) if needs[0] else None, _grad_for(grad_factor, factor) if needs[1] else None, None)


def cholesky_inverse(input: Tensor, upper: bool = False) -> Tensor:
    """The inverse of A given its Cholesky factor.

    Args:
        input: the triangular Cholesky factor of A.
        upper: whether it is upper (A = U^T U) rather than lower (A = L L^T) triangular.
    """
    _refuses_dtype(input, "cholesky_inverse", "cholesky_inverse_out_cpu", empty_ok=False)
    if linalg._cx.is_complex(input):
        if linalg._cx._wants_grad(input):
            from .linalg._cholesky_grad import CholeskyInverse

            return CholeskyInverse.apply(input, upper)
        return linalg._cx.cholesky_inverse(input, upper)
    return _core._linalg_cholesky_inverse(input, upper)


def triangular_solve(input: Tensor, A: Tensor, upper: bool = True, transpose: bool = False,
                     unitriangular: bool = False) -> Any:
    """The solution X of the triangular system `A X = input`, as the named tuple
    `(solution, cloned_coefficient)`.

    Args:
        input: the right-hand side, a matrix or batch of them.
        A: the triangular coefficient matrix.
        upper: whether A is upper (default) or lower triangular.
        transpose: solve `A^T X = input` instead.
        unitriangular: assume ones on the diagonal of A (the stored diagonal is not
            read).
    """
    _need_tensor("triangular_solve", "input", 1, input)
    _need_tensor("triangular_solve", "A", 2, A)
    global _warned_triangular_solve
    if not _warned_triangular_solve:  # once per process (PyTorch's TORCH_WARN_ONCE)
        _warned_triangular_solve = True
        warn_at_caller(_TRIANGULAR_SOLVE_DEPRECATED)
    for name, t in (("b", input), ("A", A)):
        if t.dim() < 2:
            raise RuntimeError(f"torch.triangular_solve: Expected {name} to have at least 2 dimensions, but it has "
                               f"{t.dim()} dimensions instead")
    _check_linear_solve(input, A, "triangular_solve")
    from ._unpacking_nodes import triangular_solve as solved

    return result("triangular_solve", solved(input, A, upper, transpose, unitriangular))


_warned_triangular_solve = False
_TRIANGULAR_SOLVE_DEPRECATED = triggered_internally(
    "ferrograd.triangular_solve is deprecated in favor of ferrograd.linalg.solve_triangularand will be removed in a "
    "future PyTorch release.\nferrograd.linalg.solve_triangular has its arguments reversed and does not return a "
    "copy of one of the inputs.\nX = ferrograd.triangular_solve(B, A).solution\nshould be replaced with\n"
    "X = ferrograd.linalg.solve_triangular(A, B).",
    "native/BatchLinearAlgebra.cpp:2273",
)


def lu(A: Tensor, pivot: bool = True, get_infos: bool = False) -> Any:
    """The packed LU factorization with partial pivoting, as `(LU, pivots)` or `(LU,
    pivots, infos)`.

    Args:
        A: a matrix or batch of them.
        pivot: whether to pivot (only True is supported).
        get_infos: also return the int32 error codes (0 where the factorization
            succeeded).
    """
    global _warned_lu
    need_bool("_lu_with_info", "pivot", None, pivot)  # PyTorch's parser, before its warning
    if not _warned_lu:  # once per process (PyTorch's TORCH_WARN_ONCE)
        _warned_lu = True
        warn_at_caller(_LU_DEPRECATED)
    lu_, pivots, info = linalg.lu_factor_ex(A, pivot=pivot)
    return result("_lu_with_info", (lu_, pivots, info)) if get_infos else (lu_, pivots)


def _lu_method(self: Tensor, pivot: bool = True, get_infos: bool = False) -> Any:
    """`Tensor.lu`: `lu`'s factors as a plain tuple (PyTorch's method unpacks the named one).

    Args:
        pivot: whether to pivot (only True is supported).
        get_infos: also return the int32 error codes (0 where the factorization
            succeeded).
    """
    return tuple(lu(self, pivot, get_infos))


_warned_lu = False
_LU_DEPRECATED = triggered_internally(
    "torch.lu is deprecated in favor of torch.linalg.lu_factor / torch.linalg.lu_factor_ex and will be "
    "removed in a future PyTorch release.\nLU, pivots = torch.lu(A, compute_pivots)\nshould be replaced with\n"
    "LU, pivots = torch.linalg.lu_factor(A, compute_pivots)\nand\n"
    "LU, pivots, info = torch.lu(A, compute_pivots, get_infos=True)\nshould be replaced with\n"
    "LU, pivots, info = torch.linalg.lu_factor_ex(A, compute_pivots)",
    "native/BatchLinearAlgebra.cpp:2073",
)


_warned_cross_dim = False


def cross(input: Tensor, other: Tensor, dim: int | None = None) -> Tensor:
    """The 3-D cross product of `input` and `other` along `dim`, with broadcasting.

    Args:
        input: the first tensor.
        other: the second tensor.
        dim: a dimension of size 3; None for the first such dimension of `input`.
    """
    if dim is None:
        global _warned_cross_dim
        if not _warned_cross_dim:  # once per process, as PyTorch
            _warned_cross_dim = True
            warnings.warn("Using torch.cross without specifying the dim arg is deprecated.\nPlease either pass the "
                          "dim explicitly or simply use torch.linalg.cross.\nThe default value of dim will change to "
                          "agree with that of linalg.cross in a future release.", UserWarning, stacklevel=2)
        dim = next((i for i, s in enumerate(input.shape) if s == 3), None)
        if dim is None:
            raise RuntimeError("no dimension of size 3 in input")
    return linalg.cross(input, other, dim=dim)


def dist(input: Tensor, other: Tensor, p: float = 2) -> Tensor:
    """The p-norm of `input - other` (a 0-d tensor), with broadcasting.

    Args:
        input: the first tensor.
        other: the second tensor.
        p: the order of the norm (default 2).
    """
    _need_tensor("dist", "input", 1, input)
    _need_tensor("dist", "other", 2, other)
    need_number("dist", "p", 3, p, "Number")
    difference = _core._result_type(input, other)
    refuse_shell("add_stub", difference)
    if not (difference.is_floating_point or difference.is_complex or _core.bool in (input.dtype, other.dtype)):
        # PyTorch's dist is norm(input - other): the subtraction refuses bools first
        raise RuntimeError(f"norm(): input dtype should be either floating point or complex. Got "
                           f"{scalar_name(difference)} instead.")
    from .linalg import _refuse_complex_order

    _refuse_complex_order(p)
    return saved_values.keep_more(_core._dist(input, other, float(p)), "DistBackward0", {"p": p})


def _norm(self: Tensor, p: Any = "fro", dim=None, keepdim: bool = False, dtype=None) -> Tensor:
    """The p-norm of the elements, over all of them or over `dim`.

    Args:
        p: the order: a number (inf and -inf included), 'fro' (the 2-norm, the default)
            or 'nuc' (the nuclear norm of the matrices in `dim`, the last two by default).
        dim: a dimension or tuple of dimensions; None for all.
        keepdim: keep reduced dimensions with size 1.
        dtype: compute in and return this floating dtype; None for the tensor's.
    """
    if isinstance(dtype, _core.dtype) and dtype.is_complex and self.dtype.is_floating_point:
        from ._dtype_names import scalar_name

        raise RuntimeError(f"linalg.vector_norm: dtype should be real for real inputs, but got {scalar_name(dtype)}")
    if isinstance(dim, int) and not fits_int64(dim):
        # PyTorch's Tensor.norm passes `dim` on as a list: its element error
        need_int64_elements("linalg_vector_norm", "dim", [dim])
    if type(p) is int:
        unpack_scalar_int(p)  # PyTorch's Scalar: past uint64 or below int64 is OverflowError
    if is_ndarray(p) or isinstance(p, Tensor) and (p.dim() or p.requires_grad) or isinstance(p, (list, tuple, dict)):
        raise TypeError(f"linalg_vector_norm(): argument 'ord' (position 2) must be Number, not {type_name(p)}")
    if p is None or p == "fro" and (dim is None or isinstance(dim, int) or len(dim) <= 2):
        p = 2
    elif isinstance(p, str):
        # PyTorch hands any other named norm (and 'fro' over 3 or more dims) to matrix_norm
        dims = list(range(self.dim())) if dim is None else [dim] if isinstance(dim, int) else dim
        return linalg.matrix_norm(self, p, dims, keepdim, dtype=dtype)
    if isinstance(p, str):
        raise RuntimeError(f"linalg.matrix_norm: Order {p} not supported.")  # noqa: TRY004  (as PyTorch)
    try:
        return linalg.vector_norm(self, p, dim, keepdim, dtype=dtype)
    except TypeError as failure:  # PyTorch hands the arguments on by position
        from ._parser_check import refusal

        raise refusal("linalg.vector_norm", (self, p, dim, keepdim), {} if dtype is None else {"dtype": dtype},
                      failure) from None


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
    T.lu = _lu_method
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
