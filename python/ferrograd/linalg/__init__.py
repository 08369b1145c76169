"""`ferrograd.linalg`: PyTorch's `torch.linalg` on a faer core, batched over leading
dims, in float32, float64, complex64 and complex128 (`_complex.py`), differentiable
(double backward included)."""

from __future__ import annotations

import math
from typing import Any

from .. import _core
from .. import _saved_values as saved_values
from .._argcheck import OMITTED, need_int64, type_name, unpack_scalar_int
from .._argcheck import dim_error as _dim_error
from .._core import Tensor
from .._python_dtypes import python_type_dtype
from .._return_types import result
from .._shell_dtypes import refuse_float8
from . import _complex as _cx

LinAlgError = _core.LinAlgError
# PyTorch's class is `torch._C._LinAlgError` (its name shows in tracebacks and reprs)
LinAlgError.__module__ = "ferrograd._C"
LinAlgError.__name__ = LinAlgError.__qualname__ = "_LinAlgError"

_INF = math.inf


# --- norms -------------------------------------------------------------------------


def _refuse_float8_norm(x: Tensor, out: Tensor, ord: Any, dim: Any) -> None:
    """PyTorch's errors for a vector norm of an 8-bit float (after the core's checks of
    the dims): its norm kernel has none, but over dims of size one it takes `abs` (which
    the unsigned e8m0 lacks), and an empty input's zero fill of a result with dims is out
    of e8m0's range."""
    if not x.dtype.is_floating_point or x.dtype.itemsize != 1:
        return
    e8m0 = x.dtype == _core.float8_e8m0fnu
    if x.numel() == 0:
        if e8m0 and out.dim() > 0:
            raise RuntimeError("value cannot be converted to type c10::Float8_e8m0fnu without overflow")
    elif x.numel() == out.numel() and not (x.dim() == 0 and dim not in (None, (), [])):
        if e8m0 and ord != 0:
            refuse_float8("abs_cpu", x)
    else:
        refuse_float8("norm_cpu", x)


def vector_norm(x: Tensor, ord: Any = 2, dim=None, keepdim: bool = False, *, dtype=None, out=None) -> Tensor:
    """The `ord`-norm of `x` seen as a vector: (Σ |x|^ord)^(1/ord) over `dim`, or over all
    elements; inf gives max |x|, -inf min |x|, 0 the count of non-zeros.

    Args:
        x: the input tensor, floating point.
        ord: the order of the norm (default 2).
        dim: a dimension or tuple of dimensions to reduce; None (default) reduces all.
        keepdim: keep the reduced dimensions with size 1 (default False).
        dtype: if given, `x` is cast to it first (it must not narrow `x`'s dtype).
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    if isinstance(ord, str):
        raise TypeError(f"linalg_vector_norm(): argument 'ord' must be Number, not {type(ord).__name__}")
    if type(ord) is int:
        unpack_scalar_int(ord)  # PyTorch's Scalar: past uint64 or below int64 is OverflowError
    _refuse_complex_order(ord)
    dtype = python_type_dtype(dtype)
    _need_dtype(dtype, "linalg_vector_norm")
    if dtype is not None:
        if not x.dtype.is_complex:
            _check_float(x, "linalg.vector_norm")
        _check_linalg_norm_dtype(x, dtype, "linalg.vector_norm")
        x = x.to(dtype)
    out = x._vector_norm(float(ord), dim, keepdim)
    _refuse_float8_norm(x, out, ord, dim)
    if out.grad_fn is not None:
        saved_values.keep(out, "LinalgVectorNormBackward0",
                          {"dim": saved_values.c_dims(dim), "keepdim": keepdim, "ord": ord})
    return out


def _check_linalg_norm_dtype(x: Tensor, dtype: _core.dtype, f: str) -> None:
    """PyTorch's checks of a norm's `dtype` against its input's."""
    _check_norm_dtype(dtype, f)
    if x.dtype.is_complex != dtype.is_complex:
        kind = "complex" if x.dtype.is_complex else "real"
        raise RuntimeError(f"{f}: dtype should be {kind} for {kind} inputs, but got {_kernel_name(dtype)}")
    if _core.promote_types(x.dtype, dtype) != dtype:
        raise RuntimeError(f"{f}: the dtype of the input ({_kernel_name(x)}) should be convertible without narrowing "
                           f"to the specified dtype ({_kernel_name(dtype)})")


def _refuse_complex_order(ord: Any) -> None:
    if isinstance(ord, complex):
        raise RuntimeError("linalg.vector_norm: Expected a non-complex scalar as the order of norm.")  # noqa: TRY004


def _check_float(a: Tensor, f: str) -> None:
    if a.dtype.is_complex:
        raise NotImplementedError(f"{f}: complex tensors are not supported yet (got {_kernel_name(a)})")
    if not a.dtype.is_floating_point:
        raise RuntimeError(f"{f}: Expected a floating point or complex tensor as input. Got {_kernel_name(a)}")


def _need_dtype(dtype: Any, parsed_as: str) -> None:
    """PyTorch's parser's refusal of a `dtype` that is no dtype (nor None)."""
    if dtype is not None and not isinstance(dtype, _core.dtype):
        raise TypeError(f"{parsed_as}(): argument 'dtype' must be torch.dtype, not {type_name(dtype)}")  # the parser's words


def _check_norm_dtype(dtype: _core.dtype, f: str) -> None:
    if not (dtype.is_floating_point or dtype.is_complex):
        raise RuntimeError(f"{f}: dtype should be floating point or complex, but got {_kernel_name(dtype)}")


def _kernel_name(a: Tensor | _core.dtype) -> str:
    """PyTorch's C++ name of a dtype (`Float`, `Long`), as its errors print it."""
    d = a.dtype if isinstance(a, Tensor) else a
    return scalar_name(d)


def _check_matrix(a: Tensor, f: str) -> None:
    _check_float(a, f)
    if a.dim() < 2:
        raise RuntimeError(f"{f}: The input tensor A must have at least 2 dimensions.")


def _wrap(d: int, n: int) -> int:
    if not -n <= d < n:
        raise _dim_error(d, f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {d})")
    return d % n


def matrix_norm(input: Tensor, ord: Any = "fro", dim=(-2, -1), keepdim: bool = False, *, dtype=None, out=None) -> Tensor:
    """A matrix norm over the two dimensions `dim`: 'fro' (Frobenius), 'nuc' (sum of the
    singular values), inf / -inf (max / min absolute row sum), 1 / -1 (max / min absolute
    column sum), 2 / -2 (largest / smallest singular value).

    Args:
        input: the input, at least 2-D, floating point.
        ord: the norm, as above (default 'fro').
        dim: the two dimensions holding the matrices (default (-2, -1)).
        keepdim: keep the two reduced dimensions with size 1 (default False).
        dtype: if given, `A` is cast to it first.
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    A = input  # PyTorch's keyword names
    _need_dtype(python_type_dtype(dtype), "linalg_matrix_norm")
    if isinstance(ord, complex):
        raise RuntimeError("linalg.matrix_norm: Expected a non-complex scalar as the order of norm.")  # noqa: TRY004
    if isinstance(ord, str) and ord not in ("fro", "nuc") or not isinstance(ord, str) and (
        ord not in (1, -1, 2, -2, _INF, -_INF)
    ):
        shown = ord if isinstance(ord, str) else f"{float(ord):g}"  # a double as C++ prints it
        raise RuntimeError(f"linalg.matrix_norm: Order {shown} not supported.")
    if A.dtype.is_complex and A.dtype is not _core.complex32:
        if A.dim() < 2:  # |A| and the singular values: complex matrices are fine
            raise RuntimeError("linalg.matrix_norm: The input tensor A must have at least 2 dimensions.")
    else:
        _check_matrix(A, "linalg.matrix_norm")
    if isinstance(dim, int) or len(dim) != 2:
        dims = (dim,) if isinstance(dim, int) else dim
        raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {' '.join(map(str, dims))}")
    d0, d1 = (_wrap(d, A.dim()) for d in dim)
    if d0 == d1:  # PyTorch names them wrapped
        raise RuntimeError(f"linalg.matrix_norm: dims must be different. Got ({d0}, {d1})")
    dtype = python_type_dtype(dtype)
    if dtype is not None:  # checked after the dims, as PyTorch does
        _check_linalg_norm_dtype(A, dtype, "linalg.matrix_norm")
        A = A.to(dtype)
    if ord == "fro":
        return vector_norm(A, 2, (d0, d1), keepdim)
    if ord == "nuc" or ord in (2, -2):
        s = svdvals(A.movedim((d0, d1), (-2, -1)))
        if ord == 2 and s.shape[-1] == 0:  # PyTorch: zeros, outside the graph
            r = s.detach().sum(-1)
        else:
            r = s.sum(-1) if ord == "nuc" else (s.amax(-1) if ord == 2 else s.amin(-1))
        if keepdim:  # the unit dims are moved back into place, as PyTorch does (PermuteBackward0)
            r = r.unsqueeze(-1).unsqueeze(-1).movedim((-2, -1), (d0, d1))
        return r
    if ord in (1, -1, _INF, -_INF):
        # 1: the largest column sum; inf: the largest row sum.
        sum_dim, max_dim = (d0, d1) if ord in (1, -1) else (d1, d0)
        if A.numel():
            refuse_float8("norm_cpu", A)  # PyTorch takes vector norms along sum_dim
        s = A.abs().sum(sum_dim, keepdim=keepdim)
        if not keepdim and max_dim > sum_dim:
            max_dim -= 1
        if ord > 0 and s.shape[max_dim] == 0:  # PyTorch: zeros, outside the graph
            return s.detach().sum(max_dim, keepdim=keepdim)
        return s.amax(max_dim, keepdim=keepdim) if ord > 0 else s.amin(max_dim, keepdim=keepdim)
    raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")


def norm(input: Tensor, ord: Any = None, dim=None, keepdim: bool = False, *, dtype=None, out=None) -> Tensor:
    """A vector norm or a matrix norm, chosen as `torch.linalg.norm` does: with `dim` an int
    or 1-tuple, a vector norm; with a 2-tuple, a matrix norm; with neither `dim` nor
    `ord`, the 2-norm of all elements; with `ord` only, a 1-D input takes a vector norm
    and a 2-D input a matrix norm.

    Args:
        input: the input tensor.
        ord: the order of the norm (see `vector_norm` and `matrix_norm`); None (default)
            means 2 for vectors and 'fro' for matrices.
        dim: None (default), a dimension, or a tuple of one or two dimensions.
        keepdim: keep the reduced dimensions with size 1 (default False).
        dtype: if given, `A` is cast to it first.
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    need_int64(dim)
    A = input  # PyTorch's keyword names
    if dim is not None:
        dims = (dim,) if isinstance(dim, int) else tuple(dim)
        if len(dims) not in (1, 2):
            raise RuntimeError(f"linalg.norm: If dim is specified, it must be of length 1 or 2. Got {list(dims)}")
        if len(dims) == 1 and isinstance(ord, str):  # a named norm is a matrix norm
            raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {' '.join(map(str, dims))}")
        if ord is None:  # PyTorch's 2-norm (Frobenius over two dims), its node's `_saved_ord` 2.0
            return vector_norm(A, 2.0, dims, keepdim, dtype=dtype)
        if len(dims) == 1:
            return vector_norm(A, ord, dims, keepdim, dtype=dtype)
        return matrix_norm(A, "fro" if ord is None else ord, dims, keepdim, dtype=dtype)
    if ord is None:
        return vector_norm(A, 2.0, None, keepdim, dtype=dtype)
    if A.dim() not in (1, 2):
        raise RuntimeError(
            f"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got {A.dim()}D.")
    if isinstance(ord, str) or A.dim() == 2:
        return matrix_norm(A, ord, (-2, -1), keepdim, dtype=dtype)
    return vector_norm(A, ord, None, keepdim, dtype=dtype)


# --- LU: det, inverse, solve --------------------------------------------------------


def det(A: Tensor, *, out=None) -> Tensor:
    """The determinant of each square matrix, via LU.

    Args:
        A: a square matrix or a batch of them, shape (*, n, n), float32 or float64.
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    if _cx.is_complex(A):
        return _cx.det(A)
    return _core._linalg_det(A)


def slogdet(A: Tensor, *, out=None) -> Any:
    """(sign, logabsdet) of the determinant of each square matrix, so that
    det = sign * exp(logabsdet) without overflow; sign is 0 for a singular matrix.

    Args:
        A: a square matrix or a batch of them, shape (*, n, n), float32 or float64.
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    if _cx.is_complex(A):
        return result("linalg_slogdet", _cx.slogdet(A))
    return result("linalg_slogdet", _core._linalg_slogdet(A))


def inv(A: Tensor, *, out=None) -> Tensor:
    """The inverse of each square matrix; LinAlgError for a singular one.

    Args:
        A: a square matrix or a batch of them, shape (*, n, n), float32 or float64.
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    return _core._linalg_inv_ex(A, True)[0]


def _renamed(f, old: str, new: str, *args):
    """Calls the core under another function's name in its LinAlgError."""
    try:
        return f(*args)
    except LinAlgError as e:
        raise LinAlgError(str(e).replace(old, new, 1)) from None


def inv_ex(A: Tensor, *, check_errors: bool = False, out=None) -> Any:
    """(inverse, info) of each square matrix: info > 0 marks a singular matrix instead of
    raising (its inverse is then not meaningful).

    Args:
        A: a square matrix or a batch of them, shape (*, n, n), float32 or float64.
        check_errors: raise LinAlgError when `info` is non-zero (default False).
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    r = _renamed(_core._linalg_inv_ex, "linalg.inv:", "linalg.inv_ex:", A, check_errors)
    return result("linalg_inv_ex", r)


def solve(A: Tensor, B: Tensor, *, left: bool = True, out=None) -> Tensor:
    """X with `A X = B` (or `X A = B` when left=False), broadcasting batch dims;
    LinAlgError for a singular A.

    Args:
        A: a square matrix or a batch of them, shape (*, n, n), float32 or float64.
        B: the right-hand side, shape (*, n, k), or (*, n) for vectors.
        left: True (default) solves A X = B; False solves X A = B.
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    return _core._linalg_solve_ex(A, B, left, True)[0]


def solve_ex(A: Tensor, B: Tensor, *, left: bool = True, check_errors: bool = False, out=None) -> Any:
    """(result, info) of `solve`: info > 0 marks a singular A instead of raising.

    Args:
        A: a square matrix or a batch of them, shape (*, n, n), float32 or float64.
        B: the right-hand side, shape (*, n, k), or (*, n) for vectors.
        left: True (default) solves A X = B; False solves X A = B.
        check_errors: raise LinAlgError when `info` is non-zero (default False).
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    r = _renamed(_core._linalg_solve_ex, "torch.linalg.solve:", "torch.linalg.solve_ex:", A, B, left, check_errors)
    return result("linalg_solve_ex", r)


def lu_factor(A: Tensor, *, pivot: bool = True, out=None) -> Any:
    """(LU, pivots): the packed LU factorization with partial pivoting: L (unit diagonal,
    below) and U (on and above the diagonal) in one matrix, and LAPACK's 1-based row
    swaps. Raises when U has a zero on its diagonal.

    Args:
        A: a matrix or a batch of matrices, shape (*, m, n), float32 or float64.
        pivot: must be True (default): LU without pivoting is not implemented on the CPU.
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    lu, pivots, info = lu_factor_ex(A, pivot=pivot)
    bad = [i for i, v in enumerate(info.reshape(-1).tolist()) if v > 0]
    if bad:
        k = info.reshape(-1)[bad[0]].item()
        where = f"(Batch element {bad[0]}): " if A.dim() > 2 else ""
        raise RuntimeError(
            f"torch.linalg.lu_factor: {where}U[{k},{k}] is zero and using it on lu_solve would result in a division "
            "by zero. If you still want to perform the factorization, consider calling linalg.lu(A, pivot) or "
            "linalg.lu_factor_ex(A, pivot)")
    return result("linalg_lu_factor", (lu, pivots))


def lu_factor_ex(A: Tensor, *, pivot: bool = True, check_errors: bool = False, out=None) -> Any:
    """(LU, pivots, info) of `lu_factor`: info > 0 is the 1-based index of the first zero
    on U's diagonal instead of raising.

    Args:
        A: a matrix or a batch of matrices, shape (*, m, n), float32 or float64.
        pivot: must be True (default): LU without pivoting is not implemented on the CPU.
        check_errors: raise LinAlgError when `info` is non-zero (default False).
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    _need_lu_matrix(A, "torch.lu_factor")
    if not pivot:
        raise RuntimeError("linalg.lu_factor: LU without pivoting is not implemented on the CPU")
    if not _cx.is_complex(A):
        _check_float(A, "linalg.lu_factor")
    if A.requires_grad:
        from ._lu_grad import LinalgLuFactorEx

        lu, pivots, info = LinalgLuFactorEx.apply(A)
    else:
        lu, pivots, info = _core._linalg_lu_factor_ex(A)
    # LAPACK's integer type, as PyTorch returns them
    return result("linalg_lu_factor_ex", (lu, pivots.to(_core.int32), info.to(_core.int32)))


def _need_lu_matrix(A: Any, f: str) -> None:
    """PyTorch's first check of the LU factorizations, in their own words."""
    if isinstance(A, Tensor) and A.dim() < 2:
        raise RuntimeError(f"{f}: Expected tensor with 2 or more dimensions. Got size: {list(A.shape)} instead")


def lu(A: Tensor, *, pivot: bool = True, out=None) -> Any:
    """(P, L, U) with `A = P L U`: P a permutation, L unit lower triangular, U upper
    triangular.

    Args:
        A: a matrix or a batch of matrices, shape (*, m, n), float32 or float64.
        pivot: must be True (default): LU without pivoting is not implemented on the CPU.
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    _need_lu_matrix(A, "linalg.lu")
    if not pivot:
        raise RuntimeError("linalg.lu_factor: LU without pivoting is not implemented on the CPU")
    if not _cx.is_complex(A):
        _check_float(A, "linalg.lu")
    if A.requires_grad:
        from ._lu_grad import LinalgLu

        return result("linalg_lu", LinalgLu.apply(A))
    return result("linalg_lu", _core._linalg_lu(A))


def matrix_power(input: Tensor, n: int) -> Tensor:
    """`A^n` for an integer n, by repeated squaring: n = 0 gives the identity, negative n
    inverts first.

    Args:
        input: a square matrix or a batch of them, shape (*, n, n), float32 or float64.
        n: the exponent.
    """
    need_int64(n)
    A = input  # PyTorch's keyword names
    if A.dim() < 2:
        raise RuntimeError("linalg.matrix_power: The input tensor A must have at least 2 dimensions.")
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(
            "linalg.matrix_power: A must be batches of square matrices, but they are "
            f"{A.shape[-2]} by {A.shape[-1]} matrices")
    if n == 0:
        from .._creation import eye

        return A.clone().copy_(eye(A.shape[-1], dtype=A.dtype).expand_as(A))
    if n == 1:
        return A.clone()
    if n < 0:
        A, n = inv(A), -n
        if n == 1:
            return A
    if n == 3:  # ATen's special case: (A A) A, not the binary decomposition's A (A A)
        return (A @ A) @ A
    result_: Tensor | None = None
    base = A
    while n:
        if n & 1:
            result_ = base if result_ is None else result_ @ base
        n >>= 1
        if n:
            base = base @ base
    assert result_ is not None
    return result_


# --- Cholesky, triangular ------------------------------------------------------------


def cholesky(input: Tensor, *, upper: bool = False, out=None) -> Tensor:
    """L with `A = L L^T` for symmetric positive-definite A (U = L^T when `upper`);
    LinAlgError if A is not positive-definite.

    Args:
        input: a square matrix or a batch of them, shape (*, n, n), float32 or float64.
        upper: return the upper triangular factor U instead of L (default False).
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    if _cx.is_complex(input) and _cx._wants_grad(input):
        from ._cholesky_grad import cholesky_ex as _complex_cholesky_ex

        return _complex_cholesky_ex(input, upper, True, "linalg.cholesky", "LinalgCholeskyExBackward0")[0]
    return _core._linalg_cholesky_ex(input, upper, True, "linalg.cholesky")[0]


def cholesky_ex(input: Tensor, *, upper: bool = False, check_errors: bool = False, out=None) -> Any:
    """(L, info) of `cholesky`: info > 0 is the order of the leading minor that is not
    positive-definite, instead of raising.

    Args:
        input: a square matrix or a batch of them, shape (*, n, n), float32 or float64.
        upper: return the upper triangular factor U instead of L (default False).
        check_errors: raise LinAlgError when `info` is non-zero (default False).
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    if _cx.is_complex(input) and _cx._wants_grad(input):
        from ._cholesky_grad import cholesky_ex as _complex_cholesky_ex

        factors = _complex_cholesky_ex(input, upper, check_errors, "linalg.cholesky_ex", "LinalgCholeskyExBackward0")
        return result("linalg_cholesky_ex", factors)
    return result("linalg_cholesky_ex", _core._linalg_cholesky_ex(input, upper, check_errors, "linalg.cholesky_ex"))


def solve_triangular(input: Tensor, B: Tensor, *, upper: bool, left: bool = True, unitriangular: bool = False,
                     out=None) -> Tensor:
    """X with `A X = B` (or `X A = B`) for triangular A, by substitution.

    Args:
        input: a triangular matrix or batch of them, shape (*, n, n); only the triangle named
            by `upper` is read.
        B: the right-hand side, shape (*, n, k) (or (*, k, n) when left=False).
        upper: whether A is upper (True) or lower (False) triangular; required.
        left: True (default) solves A X = B; False solves X A = B.
        unitriangular: take A's diagonal as ones without reading it (default False).
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    if isinstance(input, Tensor) and isinstance(B, Tensor) and B.dtype != input.dtype and (
        input.dtype.is_floating_point or input.dtype.is_complex
    ):
        if input.dtype == _core.float16:  # no half-precision kernel, whatever B's dtype
            raise NotImplementedError("\"triangular_solve_cpu\" not implemented for 'Half'")
        B = B.to(input.dtype)  # PyTorch solves in A's dtype, in a copy of B
    return _core._linalg_solve_triangular(input, B, upper, left, unitriangular)


# --- QR, SVD, eigh ---------------------------------------------------------------


def qr(A: Tensor, mode: str = "reduced", *, out=None) -> Any:
    """(Q, R) with `A = Q R`, Q with orthonormal columns, R upper triangular.

    Args:
        A: a matrix or a batch of matrices, shape (*, m, n), float32 or float64.
        mode: 'reduced' (default: Q is m x k, R is k x n, k = min(m, n)), 'complete' (Q is
            m x m, R is m x n) or 'r' (R only; Q is empty).
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    out = _core._linalg_qr(A, mode)
    saved_values.keep(out[0], "LinalgQrBackward0", {"mode": mode})
    return result("linalg_qr", out)


def _refuse_driver(driver: Any) -> None:
    """PyTorch's refusal of an SVD `driver=` on the CPU (its parser refuses a non-str first)."""
    if driver is not None:
        raise RuntimeError("torch.linalg.svd: keyword argument `driver=` is only supported on CUDA inputs with "
                           "cuSOLVER backend.")


def svd(A: Tensor, full_matrices: bool = True, *, driver=None, out=None) -> Any:
    """(U, S, Vh) with `A = U diag(S) Vh`, S non-increasing.

    Args:
        A: a matrix or a batch of matrices, shape (*, m, n), float32 or float64.
        full_matrices: True (default): U is m x m and Vh n x n; False: the reduced k
            columns/rows only, k = min(m, n).
        driver: a CUDA option: PyTorch refuses any but None on the CPU.
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    _refuse_driver(driver)
    if _cx.is_complex(A):
        return result("linalg_svd", _cx.svd(A, full_matrices))
    out = _core._linalg_svd(A, full_matrices, False)
    saved_values.keep(out[0], "LinalgSvdBackward0", {"full_matrices": bool(full_matrices),
                                                     "S_sym_argsize_minus_1": out[1].shape[-1]})
    return result("linalg_svd", out)


def svdvals(A: Tensor, *, driver=None, out=None) -> Tensor:
    """The singular values of each matrix, non-increasing.

    Args:
        A: a matrix or a batch of matrices, shape (*, m, n), float32 or float64.
        driver: a CUDA option: PyTorch refuses any but None on the CPU.
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    _refuse_driver(driver)
    if _cx.is_complex(A):
        return _cx.svdvals(A)
    return _core._linalg_svd(A, False, True)[1]


def _uplo(UPLO: str) -> bool:
    if UPLO.upper() not in ("L", "U"):  # PyTorch reads the letter in either case
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    return UPLO.upper() == "U"


def _empty_integer_eigh(A: Any) -> tuple[Tensor, Tensor] | None:
    """(eigenvalues, eigenvectors) of empty square integer or bool matrices: PyTorch's
    kernel never runs on no elements, so the dtype is not refused (the results keep it)."""
    if not (isinstance(A, Tensor) and A.numel() == 0 and A.dim() >= 2 and A.shape[-1] == A.shape[-2]):
        return None
    if A.dtype.is_floating_point or A.dtype.is_complex:
        return None
    return A.new_empty(tuple(A.shape[:-1])), A.new_empty(tuple(A.shape))


def eigh(input: Tensor, UPLO: str = "L", *, out=None) -> Any:
    """(eigenvalues, eigenvectors) of symmetric matrices: the eigenvalues ascending, the
    eigenvectors as orthonormal columns.

    Args:
        input: a square matrix or a batch of them, shape (*, n, n), float32 or float64.
        UPLO: 'L' (default) reads the lower triangle of A, 'U' the upper.
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    A = input  # PyTorch's keyword names
    upper = _uplo(UPLO)
    if _cx.is_complex(A):
        return result("linalg_eigh", _cx.eigh(A, upper))
    empty = _empty_integer_eigh(A)
    if empty is not None:
        return result("linalg_eigh", empty)
    return result("linalg_eigh", _core._linalg_eigh(A, upper, False))


def eigvalsh(input: Tensor, UPLO: str = "L", *, out=None) -> Tensor:
    """The eigenvalues of symmetric matrices, ascending.

    Args:
        input: a square matrix or a batch of them, shape (*, n, n), float32 or float64.
        UPLO: 'L' (default) reads the lower triangle of A, 'U' the upper.
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    A = input  # PyTorch's keyword names
    upper = _uplo(UPLO)
    if _cx.is_complex(A):
        return _cx.eigh(A, upper)[0]
    empty = _empty_integer_eigh(A)
    if empty is not None:
        return empty[0]
    return _core._linalg_eigh(A, upper, True)[0]


def _tol(t) -> float | None:
    if t is None:
        return None
    if isinstance(t, Tensor):
        if t.numel() != 1:
            raise NotImplementedError("ferrograd.linalg: per-matrix tolerances are not supported yet")
        t = t.item()
    t = float(t)
    # PyTorch keeps the singular values above max(atol, rtol * smax): a NaN keeps none
    return math.inf if math.isnan(t) else t


def _check_pinv_arguments(input, rcond, hermitian, atol, rtol) -> None:
    """PyTorch's parser of linalg.pinv (an array is no tolerance), then its refusal of a
    complex tolerance tensor."""
    from .._parser_check import parser_error

    args = (input,) if rcond is OMITTED else (input, rcond)
    given = {k: v for k, v in (("atol", atol), ("rtol", rtol)) if v is not None}
    named = given if hermitian is False else {**given, "hermitian": hermitian}
    error = parser_error("linalg.pinv", args, named)
    if error is not None:
        raise error
    if rcond is not OMITTED:  # PyTorch's rcond overload calls the atol/rtol one with rtol=rcond
        given = {"rcond": rcond}
    for name, t in given.items():
        if isinstance(t, Tensor) and t.requires_grad and _core.is_grad_enabled():
            raise RuntimeError(f"The function 'linalg_pinv' is not differentiable with respect to argument "
                               f"'{'rtol' if name == 'rcond' else name}'. This input cannot have requires_grad True.")
    for name, t in given.items():
        if isinstance(t, Tensor) and t.dtype.is_complex:
            raise RuntimeError(f"torch.linalg.pinv: {name} tensor of complex type is not supported. Got "
                               f"{scalar_name(t.dtype)}")


def pinv(input: Tensor, rcond=OMITTED, hermitian: bool = False, *, atol=None, rtol=None, out=None) -> Tensor:
    """The Moore–Penrose pseudo-inverse; singular values at most `max(atol, rtol · σ_max)`
    are dropped.

    Args:
        input: a matrix or a batch of matrices, shape (*, m, n), float32 or float64.
        rcond: the older name of `rtol`; when given, atol is 0.
        hermitian: A is symmetric: use its eigendecomposition (default False).
        atol: the absolute tolerance (default 0).
        rtol: the relative tolerance; None (default) means eps · max(m, n) when `atol` is
            not positive, else 0.
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    A = input  # PyTorch's keyword names
    _check_pinv_arguments(input, rcond, hermitian, atol, rtol)
    if rcond is not OMITTED:
        atol, rtol = 0.0, rcond
    if A.numel() == 0:
        atol, rtol = None, None  # no singular values to drop: PyTorch keeps A's batch shape
        hermitian = False  # PyTorch answers an empty input before the square check
    else:
        if hermitian:
            _check_hermitian_pinv_square(A)
        if any(isinstance(t, Tensor) and t.dim() > 0 for t in (atol, rtol)):
            return _pinv_per_matrix(A, atol, rtol, hermitian)
    if _cx.is_complex(A):
        return _cx.pinv(A, _tol(atol), _tol(rtol), hermitian)
    return _core._linalg_pinv(A, _tol(atol), _tol(rtol), hermitian)


def _check_hermitian_pinv_square(A: Tensor) -> None:
    """PyTorch's hermitian pinv factors A with eigh, which names itself refusing a
    non-square matrix (after pinv's own dimension and dtype check)."""
    if A.dim() >= 2 and A.dtype in _PINV_DTYPES and A.shape[-1] != A.shape[-2]:
        raise RuntimeError(
            f"linalg.eigh: A must be batches of square matrices, but they are {A.shape[-2]} by {A.shape[-1]} matrices")


_PINV_DTYPES = (_core.float32, _core.float64, _core.complex64, _core.complex128)


def _pinv_per_matrix(A: Tensor, atol, rtol, hermitian: bool) -> Tensor:
    """pinv with tolerance tensors that broadcast with the batch (one per matrix),
    composed from the decomposition so that it differentiates."""
    if hermitian:
        w, Q = eigh(A)
        s, left, right = w.abs(), Q, Q.mH
    else:
        U, s, Vh = svd(A, full_matrices=False)
        w, left, right = s, Vh.mH, U.mH
    keep = s > _per_matrix_cutoff(A, s, atol, rtol).unsqueeze(-1)
    inverse = (1.0 / w).where(keep, (1.0 / w).new_zeros(()))
    return (left * inverse.unsqueeze(-2).to(left.dtype)) @ right


def _per_matrix_cutoff(A: Tensor, s: Tensor, atol, rtol) -> Tensor:
    """max(atol, rtol · σ_max) per matrix; rtol defaults to eps · max(m, n) where atol is not positive."""
    from .._creation import full

    a = _tol_tensor(atol, s.dtype).to(s.dtype)
    if rtol is None:
        eps = 1.1920928955078125e-07 if s.dtype == _core.float32 else 2.220446049250313e-16
        default = full((), eps * max(A.shape[-2], A.shape[-1]), dtype=s.dtype)
        r = default if atol is None else (~(a > 0)).to(s.dtype) * default
    else:
        r = _tol_tensor(rtol, s.dtype).to(s.dtype)
    smax = s.amax(-1) if s.shape[-1] else s.new_zeros(tuple(s.shape[:-1]))
    return a.maximum(r * smax)


def matrix_rank(input: Tensor, tol=OMITTED, hermitian: bool = False, *, atol=None, rtol=None, out=None) -> Tensor:
    """The numerical rank: the number of singular values above `max(atol, rtol · σ_max)`.

    Args:
        input: a matrix or a batch of matrices, shape (*, m, n), float32 or float64.
        tol: the older form of `atol` (with rtol 0).
        hermitian: A is symmetric: count absolute eigenvalues instead (default False).
        atol: the absolute tolerance (default 0).
        rtol: the relative tolerance; None (default) means eps · max(m, n) when `atol` is
            not positive, else 0.
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    A = input  # PyTorch's keyword names
    if tol is None or tol is not OMITTED and (atol is not None or rtol is not None):  # no overload takes these
        from .._parser_check import parser_error

        named = {k: v for k, v in (("atol", atol), ("rtol", rtol)) if v is not None}
        raise parser_error("linalg.matrix_rank", (input, tol) + ((hermitian,) if hermitian is not False else ()),
                           named)
    if A.dim() < 2:
        raise RuntimeError("torch.linalg.matrix_rank: The input tensor input must have at least 2 dimensions.")
    if tol is not OMITTED:
        atol, rtol = tol, 0.0
    if A.dtype not in _RANK_DTYPES:
        _refuse_rank_dtype(A, rtol, hermitian)
    from .._creation import full, zeros

    A = A.detach()
    if A.numel() == 0:  # no nonzero rows: rank 0
        return zeros(tuple(A.shape[:-2]), dtype=_core.int64)
    s = eigvalsh(A).abs() if hermitian else svdvals(A)
    m, n = A.shape[-2], A.shape[-1]
    # atol and rtol may be tensors broadcasting with the batch: one tolerance per matrix
    a = _tol_tensor(atol, s.dtype)
    if rtol is None:
        eps = 1.1920928955078125e-07 if A.dtype in (_core.float32, _core.complex64) else 2.220446049250313e-16
        default = full((), eps * max(m, n), dtype=s.dtype)
        r = default if atol is None else (~(a > 0)).to(s.dtype) * default  # 0 where atol > 0
    else:
        r = _tol_tensor(rtol, s.dtype)
    smax = s.amax(-1, keepdim=True)
    tol_ = a.unsqueeze(-1).maximum(r.unsqueeze(-1) * smax)
    return (s > tol_).sum(-1)


_RANK_DTYPES = (_core.float32, _core.float64, _core.complex64, _core.complex128)


def _refuse_rank_dtype(A: Tensor, rtol, hermitian: bool) -> None:
    """PyTorch's refusal of a dtype matrix_rank has no kernel for: the default rtol's
    epsilon is float's or double's only; given an rtol, the decomposition refuses it
    (an empty matrix reaches none)."""
    if rtol is None:
        raise RuntimeError("This function doesn't handle types other than float and double")
    if A.numel() == 0:
        return
    if not hermitian and not A.dtype.is_floating_point:
        raise RuntimeError(f"linalg.svd: Expected a floating point or complex tensor as input. Got "
                           f"{scalar_name(A.dtype)}")
    kernel = "linalg_eigh_cpu" if hermitian else "linalg_svd_cpu"
    raise NotImplementedError(f"\"{kernel}\" not implemented for '{scalar_name(A.dtype)}'")


def _tol_tensor(t, dtype) -> Tensor:
    """A tolerance given as a number, a tensor or None (0) as a tensor."""
    if isinstance(t, Tensor):
        return t.detach()
    from .._creation import full

    return full((), 0.0 if t is None else float(t), dtype=dtype)


_LSTSQ_DRIVERS = ("gels", "gelsy", "gelsd", "gelss")


def _lstsq_shapes(A: Tensor, B: Tensor) -> bool:
    """PyTorch's shape checks of lstsq, as it behaves; True when B is a batch of vectors
    (one dim fewer than A, with A's batch shape)."""
    if A.dim() < 2:
        raise RuntimeError("torch.linalg.lstsq: input must have at least 2 dimensions.")
    if B.dim() < 1:
        raise RuntimeError("torch.linalg.lstsq: other must have at least 1 dimension.")
    if A.dtype != B.dtype:
        raise RuntimeError(f"torch.linalg.lstsq: Expected input and other to have the same dtype, but got input's "
                           f"dtype {scalar_name(A.dtype)} and other's dtype {scalar_name(B.dtype)}")
    diff = A.dim() - B.dim()
    if not 0 <= diff <= 1:
        raise RuntimeError("torch.linalg.lstsq: input.dim() must be greater or equal to other.dim() and "
                           "(input.dim() - other.dim()) <= 1")
    vector = diff == 1 and tuple(B.shape[:-1]) == tuple(A.shape[:-2])
    if vector:
        if B.shape[-1] != A.shape[-2]:
            raise RuntimeError("torch.linalg.lstsq: input.size(-2) should match other.size(-1)")
        return True
    if B.dim() < 2 or B.shape[-2] != A.shape[-2]:
        raise RuntimeError("torch.linalg.lstsq: input.size(-2) should match other.size(-2)")
    # a matrix right side with fewer batch dims is lined up from the front, as PyTorch does
    batch_a, batch_b = tuple(A.shape[:-2]), tuple(B.shape[:-2]) if not diff else tuple(B.shape[:-1])
    for i, (sa, sb) in enumerate(zip(batch_a, batch_b)):
        if sa != sb and sa != 1 and sb != 1:
            raise RuntimeError(f"The size of tensor a ({sa}) must match the size of tensor b ({sb}) at "
                               f"non-singleton dimension {i}")
    return False


def lstsq(input: Tensor, b: Tensor, rcond=None, *, driver=None) -> Any:
    """(solution, residuals, rank, singular_values) of min ‖A X - B‖, shaped as the
    CPU LAPACK driver returns them: residuals only for 'gelsd' and 'gelss' with m > n
    and full rank; rank empty for 'gels'; singular values only for 'gelsd' and 'gelss'.

    Args:
        input: a matrix or a batch of matrices, shape (*, m, n), float32 or float64.
        b: the right-hand side, shape (*, m, k) or (*, m).
        rcond: singular values below rcond · σ_max count as zero; None (default) means the
            dtype's eps times max(m, n).
        driver: 'gels', 'gelsy' (default), 'gelsd' or 'gelss'.
    """
    A, B = input, b  # PyTorch's keyword names
    vector = _lstsq_shapes(A, B)  # PyTorch checks the shapes and dtypes before the driver
    driver = "gelsy" if driver is None else driver
    if driver not in _LSTSQ_DRIVERS:
        raise RuntimeError("torch.linalg.lstsq: parameter `driver` should be one of (gels, gelsy, gelsd, gelss)")
    B2 = B.unsqueeze(-1) if vector else B
    complex_ = _cx.is_complex(A)
    lstsq_core = _cx.lstsq if complex_ else _core._linalg_lstsq
    x, rank, s = lstsq_core(A, B2, None if rcond is None else float(rcond))
    for d, size in enumerate(A.shape[:-2]):  # rank and σ keep A's own batch shape, not B's broadcast one
        if size == 1 and rank.dim() > d and rank.shape[d] != 1:
            rank, s = rank.narrow(d, 0, 1), s.narrow(d, 0, 1)
    if vector:
        x = x.squeeze(-1)
    from .._creation import empty

    m, n = A.shape[-2], A.shape[-1]
    real_dtype = A.dtype.to_real() if complex_ else A.dtype
    resid = empty(0, dtype=real_dtype)
    if driver != "gelsy" and m > n and bool((rank == n).all()):
        from .._grad_mode import no_grad

        with no_grad():
            xm, bm = (x.unsqueeze(-1), B2) if vector else (x, B)
            r = A @ xm - bm
            resid = ((r.abs() if complex_ else r) ** 2).sum(-2)  # a vector right side keeps its unit column, as in PyTorch
    if driver == "gels":
        rank = empty(0, dtype=rank.dtype)
    if driver in ("gels", "gelsy"):
        s = empty(0, dtype=real_dtype)
    if _core.is_grad_enabled() and (A.requires_grad or B.requires_grad):
        from ._lstsq_grad import attach

        x, resid, rank, s = attach(A, B, vector, (x, resid, rank, s))
    return result("linalg_lstsq", (x, resid, rank, s))


# --- products ---------------------------------------------------------------------


def cross(input: Tensor, other: Tensor, *, dim: int = -1, out=None) -> Tensor:
    """The cross product of 3-vectors along `dim`, broadcasting the other dims.

    Args:
        input: the first tensor; size 3 in `dim`.
        other: the second tensor; size 3 in `dim`.
        dim: the dimension holding the vectors (default -1).
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    if isinstance(input, Tensor) and isinstance(other, Tensor) and (
        input.dtype == _core.bool or input.dtype != other.dtype
    ):
        _check_cross_shapes(input, other, dim)  # PyTorch checks shapes before the kernel's dtype
        if input.dtype == _core.bool:
            raise NotImplementedError("\"cross\" not implemented for 'Bool'")
        raise RuntimeError(f"expected scalar type {_kernel_name(input)} but found {_kernel_name(other)}")
    out = _core._linalg_cross(input, other, dim)
    saved_values.keep(out, "LinalgCrossBackward0", {"dim": saved_values.c_int(dim)})
    return out


def _check_cross_shapes(input: Tensor, other: Tensor, dim) -> None:
    """linalg.cross's checks of the shapes, in PyTorch's order (the core makes them where
    the dtypes are good)."""
    if input.dim() != other.dim():
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    ndim = max(input.dim(), 1)
    if not -ndim <= dim < ndim:
        raise _dim_error(dim, f"Dimension out of range (expected to be in range of [{-ndim}, {ndim - 1}], but got {dim})")
    a, b = (tuple(t.shape)[dim] if t.dim() else 1 for t in (input, other))
    if a != 3 or b != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {dim} must have length 3. Got {a} and {b}")
    for i in reversed(range(input.dim())):
        a, b = input.shape[i], other.shape[i]
        if a != b and 1 not in (a, b):
            raise RuntimeError(f"The size of tensor a ({a}) must match the size of tensor b ({b}) at "
                               f"non-singleton dimension {i}")


def vecdot(x: Tensor, y: Tensor, *, dim: int = -1, out=None) -> Tensor:
    """The dot product of vectors along `dim`, batched: Σ x * y over `dim`.

    Args:
        x: the first tensor.
        y: the second tensor; broadcasts with `x`.
        dim: the dimension holding the vectors (default -1).
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    for position, (name, value) in enumerate((("x", x), ("y", y)), start=1):
        if not isinstance(value, Tensor):
            raise TypeError(f"linalg_vecdot(): argument '{name}' (position {position}) must be Tensor, "
                            f"not {type_name(value)}")
    from .._parser_check import is_parser_int

    if not is_parser_int(dim):
        raise TypeError(f"linalg_vecdot(): argument 'dim' must be int, not {type(dim).__name__}")
    need_int64(dim)
    dim = int(dim)
    if isinstance(x, Tensor) and not (x.dtype.is_floating_point or x.dtype.is_complex):
        raise RuntimeError("linalg.vecdot: Expected a floating point or complex tensor as input. "
                           f"Got {scalar_name(x.dtype)}")
    if isinstance(x, Tensor) and isinstance(y, Tensor) and x.dtype != y.dtype:
        raise RuntimeError(f"linalg.vecdot: Expected x and y to have the same dtype, but found x of type "
                           f"{_kernel_name(x)} and y of type {_kernel_name(y)} instead")
    if x.dim() == 1 and y.dim() == 1 and x.shape[0] != y.shape[0]:
        a, b = x.shape[0], y.shape[0]
        raise RuntimeError(
            f"inconsistent tensor size, expected tensor [{a}] and src [{b}] to have the same number of "
            f"elements, but got {a} and {b} elements respectively")
    if x.dim() == 1 and y.dim() == 1:  # PyTorch's 1-D case, whatever `dim` (VdotBackward0)
        from .._mathops import vdot

        return vdot(x, y)
    return ((x.conj() if x.dtype.is_complex else x) * y).sum(dim)


def multi_dot(tensors, *, out=None) -> Tensor:
    """The product of a chain of matrices, multiplied in the cheapest order (the first
    and last may be vectors, as 1-D tensors).

    Args:
        tensors: a sequence of at least two tensors: the first and last 1-D or 2-D, the
            others 2-D.
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    ts = _multi_dot_operands(tensors)
    first_vec, last_vec = tensors[0].dim() == 1, tensors[-1].dim() == 1
    n = len(ts)
    dims = [t.shape[0] for t in ts] + [ts[-1].shape[1]]
    order = _chain_order(dims)
    out_ = _chain(ts, order, 0, n - 1)
    shape = ([] if first_vec else [dims[0]]) + ([] if last_vec else [dims[-1]])
    return out_.view(shape)


def _multi_dot_operands(tensors) -> list[Tensor]:
    """PyTorch's checks of multi_dot's `tensors`, in its order; the operands as matrices
    (a first vector as a row, a last one as a column)."""
    if isinstance(tensors, Tensor):  # iterating would take its rows for the matrices
        raise TypeError("linalg_multi_dot(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor")
    given = list(tensors)
    n = len(given)
    if n < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {n}")
    if given[0].dim() not in (1, 2):
        raise RuntimeError(f"multi_dot(): the first tensor must be 1D or 2D but got {given[0].dim()}D")
    if given[-1].dim() not in (1, 2):
        raise RuntimeError(f"multi_dot(): the last tensor must be 1D or 2D but got {given[-1].dim()}D")
    for i in range(1, n - 1):
        if given[i].dim() != 2:
            raise RuntimeError(f"multi_dot(): tensor {i} must be 2D but got {given[i].dim()}D")
    ts = list(given)
    if ts[0].dim() == 1:
        ts[0] = ts[0].unsqueeze(0)
    if ts[-1].dim() == 1:
        ts[-1] = ts[-1].unsqueeze(-1)
    for i in range(1, n):  # each operand's dtype, then its shape against the one before
        if ts[i].dtype != ts[0].dtype:
            raise RuntimeError(f"multi_dot(): all tensors must have be the same dtype but tensor 0 is "
                               f"{cpp_name(ts[0].dtype)} and tensor {i} {cpp_name(ts[i].dtype)}")
        if ts[i - 1].shape[1] != ts[i].shape[0]:
            raise RuntimeError(
                f"multi_dot(): tensors {i - 1} and {i} with shapes {list(given[i - 1].shape)} and "
                f"{list(given[i].shape)} cannot be multiplied")
    return ts


def _chain_order(p: list[int]) -> list[list[int]]:
    """The classic matrix-chain dynamic programme: split[i][j] for the cheapest order."""
    n = len(p) - 1
    cost = [[0] * n for _ in range(n)]
    split = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            cost[i][j] = -1
            for k in range(i, j):
                c = cost[i][k] + cost[k + 1][j] + p[i] * p[k + 1] * p[j + 1]
                if cost[i][j] < 0 or c < cost[i][j]:
                    cost[i][j], split[i][j] = c, k
    return split


def _chain(ts: list[Tensor], split: list[list[int]], i: int, j: int) -> Tensor:
    if i == j:
        return ts[i]
    k = split[i][j]
    return _chain(ts, split, i, k).mm(_chain(ts, split, k + 1, j))


def diagonal(A: Tensor, *, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """The diagonals of the matrices (a view), `A.diagonal(offset, dim1, dim2)`.

    Args:
        A: the input, at least 2-D.
        offset: which diagonal: 0 (default) the main one, > 0 above it, < 0 below it.
        dim1: the first dimension of the matrices (default -2).
        dim2: the second dimension of the matrices (default -1).
    """
    return A.diagonal(offset, dim1, dim2)


def matmul(input: Tensor, other: Tensor, *, out=None) -> Tensor:
    """`input @ other`, the matrix product with `torch.matmul`'s broadcasting.

    Args:
        input: the first tensor.
        other: the second tensor.
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    return input @ other


__all__ = [
    "LinAlgError",
    "cholesky",
    "cholesky_ex",
    "cond",
    "cross",
    "det",
    "diagonal",
    "eig",
    "eigh",
    "eigvals",
    "eigvalsh",
    "householder_product",
    "inv",
    "inv_ex",
    "ldl_factor",
    "ldl_factor_ex",
    "ldl_solve",
    "lstsq",
    "lu",
    "lu_factor",
    "lu_factor_ex",
    "lu_solve",
    "matmul",
    "matrix_exp",
    "matrix_norm",
    "matrix_power",
    "matrix_rank",
    "multi_dot",
    "norm",
    "pinv",
    "qr",
    "slogdet",
    "solve",
    "solve_ex",
    "solve_triangular",
    "svd",
    "svdvals",
    "tensorinv",
    "tensorsolve",
    "vander",
    "vecdot",
    "vector_norm",
]

from .._dtype_names import cpp_name, scalar_name
from .._out import EXACT, SAFELY_CASTABLE_EXACT, install, safely_castable, with_out, worded
from ._composites import cond, tensorinv, tensorsolve, vander
from ._eig import eig, eigvals
from ._factorizations import householder_product, ldl_factor, ldl_factor_ex, ldl_solve, lu_solve
from ._matrix_exp import matrix_exp

# named as PyTorch's check of their out's dtype names them
norm = with_out(norm, "linalg.norm", EXACT)
matrix_norm = with_out(matrix_norm, "linalg.matrix_norm", EXACT)
matrix_rank = with_out(matrix_rank, "matrix_rank", safely_castable("ferrograd.linalg.matrix_rank"),
                       "linalg.matrix_rank")
pinv = with_out(pinv, "pinv", safely_castable("linalg.pinv"), "linalg.pinv")
cond = with_out(cond, "cond", safely_castable("linalg.cond"), "linalg.cond")
householder_product = with_out(householder_product, "householder_product",
                               safely_castable("torch.linalg.householder_product"), "linalg.householder_product")
tensorinv = with_out(tensorinv, "tensorinv", safely_castable("tensorinv"), "linalg.tensorinv")
tensorsolve = with_out(tensorsolve, "tensorsolve", safely_castable("tensorsolve"), "linalg.tensorsolve")
matrix_power = with_out(matrix_power, "matrix_power", SAFELY_CASTABLE_EXACT + "matrix_power", "linalg.matrix_power")
vecdot = with_out(vecdot, "vecdot", worded("linalg.vecdot: Expected out of dtype{result} but found {out}"),
                  "linalg.vecdot")
eig = with_out(eig, "eig", safely_castable("ferrograd.linalg.eig", "eigenvalues", "eigenvectors"), "linalg.eig")
eigvals = with_out(eigvals, "eigvals", safely_castable("ferrograd.linalg.eigvals", "eigenvalues"), "linalg.eigvals")
install(globals(), [name for name in __all__ if name not in ("diagonal", "matrix_exp", "vander")], EXACT)  # PyTorch's out= on each

from ._low_precision import install as _refuse_low_precision

_refuse_low_precision(globals())  # PyTorch's errors for half-precision (and some integer) inputs

from .._argument_types import guard as _guard_argument_types

_guard_argument_types(globals(), "linalg.")  # PyTorch's TypeError for a non-tensor input

from .._subclass_dispatch import gate_namespace as _gate_namespace

_gate_namespace(globals())  # last: `__torch_function__` and modes see the outermost functions

from .._native_names import name_namespace as _name_namespace

_name_namespace(globals(), "linalg")  # PyTorch's names: linalg_norm of ferrograd._C._linalg
