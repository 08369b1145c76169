"""Products and statistics built on the core's ops: the fused `addmm` family (one node
each, in Rust; `addmm` itself is in `_gather.py`), `tensordot`, `chain_matmul`, `kron`, `cartesian_prod`, `cdist`, `vander`,
`trapezoid`, `cov`, `corrcoef`, and the counting functions `histc`, `bincount`,
`bucketize`, `searchsorted` (NumPy computes those; they have no gradient)."""

from __future__ import annotations

import builtins
import cmath
import math
import warnings
from numbers import Number
from typing import Any

from . import _core
from . import _product_scalars as product_scalars
from . import _saved_values as saved_values
from ._argcheck import (
    check_scalar_fits,
    need_int,
    need_int64,
    need_int_elements,
    need_int_sequence,
    need_tensor_list,
    type_name,
    unpack_scalar_int,
    wrap_int_to,
)
from ._argcheck import dim_error as _dim_error
from ._argcheck import need_tensor as _need_tensor
from ._core import Tensor
from ._dtype_names import scalar_name
from ._float8_products import refuse_product
from ._multi_dot import multi_dot
from ._numpy import np
from ._shell_dtypes import SHELL_UNSIGNED, is_float8, refuse_float8
from ._shell_dtypes import refuse as refuse_shell
from ._tensor_likes import dispatching_first
from ._unsafe_view import unsafe_view

__all__ = [
    "addbmm",
    "addmv",
    "addr",
    "baddbmm",
    "bincount",
    "bucketize",
    "cartesian_prod",
    "cdist",
    "chain_matmul",
    "corrcoef",
    "cov",
    "histc",
    "kron",
    "searchsorted",
    "tensordot",
    "trapezoid",
    "trapz",
    "vander",
]


def _fused(op: str, input: Tensor, a: Tensor, b: Tensor, beta, alpha) -> Tensor:
    if op == "addmm" and type(a) is not Tensor and getattr(type(a), "_fg_compressed", False):
        from ._sparse_csr_ops import addmm

        return addmm(input, a, b, beta, alpha)
    if op == "addmm" and type(b) is not Tensor and getattr(type(b), "_fg_compressed", False):
        product = a.mm(b)  # a dense matrix times a compressed one: dense (PyTorch's)
        product = product if alpha == 1 else product * alpha
        return product if beta == 0 else (input if beta == 1 else input * beta) + product
    if op in ("baddbmm", "addbmm"):
        _batch_sizes(a, b, op)
    _refuse_scaling_into_narrower(op, input, a, b, beta)
    addr_dtype = _addr_dtype(op, input, a, b)
    beta, alpha = product_scalars.convert(op, input, beta, alpha, addr_dtype)
    if addr_dtype is not None and input.dtype != addr_dtype:
        input = input.to(addr_dtype)  # beta scales it in the result's precision
    a, alpha = _blas_scaled(op, a, alpha)
    if isinstance(beta, complex) or isinstance(alpha, complex):
        return product_scalars.complex_fused(op, input, a, b, beta, alpha)
    if op in ("addbmm", "addr") and product_scalars.is_narrow_float(input):
        return product_scalars.narrow_fused(op, input, a, b, beta, alpha)
    try:
        out = _core._add_product(op, input, a, b, beta, alpha)
    except NotImplementedError:
        refuse_product(op, a, b, input)  # the product's kernel is missing before the sum's
        raise
    except RuntimeError:
        if op == "addbmm":
            _addbmm_checks(input, a, b)
        if op == "addr":
            _addr_checks(a, b)
        raise
    refuse_product(op, a, b, out)  # after the core's checks of the shapes
    return out


def _addbmm_checks(input: Tensor, batch1: Tensor, batch2: Tensor) -> None:
    """PyTorch's checks of addbmm, in its order: `input` expanded to the result's shape
    first, then the batches' dims, count and matrix sizes."""
    input.expand(batch1.shape[1], batch2.shape[2])
    if batch1.dim() != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if batch2.dim() != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    if batch1.shape[0] != batch2.shape[0]:
        raise RuntimeError(f"batch1 and batch2 must have same number of batches, got {batch1.shape[0]} and "
                           f"{batch2.shape[0]}")
    if batch1.shape[2] != batch2.shape[1]:
        raise RuntimeError(f"Incompatible matrix sizes for bmm ({batch1.shape[1]}x{batch1.shape[2]} and "
                           f"{batch2.shape[1]}x{batch2.shape[2]})")


def _addr_checks(vec1: Tensor, vec2: Tensor) -> None:
    """PyTorch's first checks of addr, naming the vector that is not 1-D."""
    for name, vector in (("vec1", vec1), ("vec2", vec2)):
        if vector.dim() != 1:
            raise RuntimeError(f"addr: Expected 1-D argument {name}, but got {vector.dim()}-D")


def _refuse_scaling_into_narrower(op: str, input, a, b, beta) -> None:
    """PyTorch's matrix products with nothing to sum (an empty inner or batch dim) scale
    the input by beta in place, in the result's dtype: a float beta cannot scale an
    integer result, nor a complex one a real result."""
    if op not in ("addmm", "addbmm", "baddbmm") or not all(isinstance(t, Tensor) for t in (input, a, b)):
        return
    if a.dim() < 2 or b.dim() < 2 or isinstance(beta, (Tensor, builtins.bool)) or beta == 0:
        return
    nothing_summed = a.shape[-1] == 0 or op == "addbmm" and a.shape[0] == 0
    result_size = a.shape[-2] * b.shape[-1] * (a.shape[0] if op == "baddbmm" else 1)
    dtype = a.dtype
    if not nothing_summed or result_size == 0 or not input.dtype == b.dtype == dtype:
        return  # the kernel's own checks (of the dtypes first) decide
    if isinstance(beta, complex) and not dtype.is_complex:
        kind = "ComplexFloat"
    elif isinstance(beta, float) and not (dtype.is_floating_point or dtype.is_complex):
        kind = "Float"
    else:
        return
    raise RuntimeError(f"result type {kind} can't be cast to the desired output type {scalar_name(dtype)}")


_BLAS_DTYPES = (_core.float32, _core.float64, _core.complex64, _core.complex128)  # the half types have their own kernel


def _blas_scaled(op: str, a, alpha):
    """(mat1, alpha) as PyTorch's BLAS matrix products take them: a non-finite alpha
    scales mat1's elements before the sums (so a zero of mat1 makes NaN), where a
    finite one is applied to the sums (the same values but for rounding)."""
    if op not in ("addmm", "addbmm") or not isinstance(a, Tensor) or not isinstance(alpha, (int, float, complex)):
        return a, alpha
    if a.dtype not in _BLAS_DTYPES or cmath.isfinite(alpha):
        return a, alpha
    return a * alpha, 1



def _addr_dtype(op: str, input, a, b):
    """The dtype addr's kernel runs in, promoted from its three tensors (the other fused
    products need one dtype); None where that is the input's."""
    if op != "addr" or not all(isinstance(t, Tensor) for t in (input, a, b)):
        return None
    return _core.promote_types(_core.promote_types(input.dtype, a.dtype), b.dtype)


def _fused_(op: str, self: Tensor, a: Tensor, b: Tensor, beta, alpha) -> Tensor:
    """The in-place form: the result is written into `self`."""
    shape = _product_shape(op, a, b)
    if op == "addbmm" and shape is not None and tuple(self.shape) != shape and not self.requires_grad:
        # PyTorch's addbmm_ broadcasts a smaller `self` and resizes it to the result
        result = _fused(op, self, a, b, beta, alpha)
        return self.resize_(shape).copy_(result)
    beta, alpha = product_scalars.convert(op, self, beta, alpha)
    a, alpha = _blas_scaled(op, a, alpha)
    if isinstance(beta, complex) or isinstance(alpha, complex):
        return self.copy_(product_scalars.complex_fused(op, self, a, b, beta, alpha))
    refuse_product(op, a, b, self)
    narrow = op in ("addbmm", "addr") and product_scalars.is_narrow_float(self)
    if narrow and shape is not None and tuple(self.shape) == shape:
        return self.copy_(product_scalars.narrow_fused(op, self, a, b, beta, alpha))
    try:
        return _core._add_product_(op, self, a, b, beta, alpha)
    except RuntimeError:
        if op == "addbmm" and isinstance(a, Tensor) and isinstance(b, Tensor):
            _addbmm_checks(self, a, b)
        if op == "addr":
            _addr_checks(a, b)
        raise


def _product_shape(op: str, a, b) -> tuple | None:
    """The shape of addbmm's or addr's product, None for other ops or wrong ranks."""
    if not (isinstance(a, Tensor) and isinstance(b, Tensor)):
        return None
    if op == "addbmm" and a.dim() == 3 and b.dim() == 3:
        return (a.shape[1], b.shape[2])
    if op == "addr" and a.dim() == 1 and b.dim() == 1:
        return (a.shape[0], b.shape[0])
    return None


def _batch_sizes(batch1, batch2, op: str) -> None:
    """PyTorch reads batch1's sizes 0 (baddbmm only) and 1 and batch2's size 2 (for the
    result shape) before it checks that both are 3-D, so too few dims are its IndexError."""
    reads = ((batch1, 0), (batch1, 1), (batch2, 2)) if op == "baddbmm" else ((batch1, 1), (batch2, 2))
    for t, dim in reads:
        if not isinstance(t, Tensor):
            continue
        if t.dim() == 0:
            raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
        if dim >= t.dim():
            n = t.dim()
            raise _dim_error(dim, f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")


def baddbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta=1, alpha=1) -> Tensor:
    """`beta * input + alpha * bmm(batch1, batch2)`: a batch of matrix products added to
    `input`.

    Args:
        input: the tensor added, broadcastable to the product's shape.
        batch1: a (b, n, m) tensor.
        batch2: a (b, m, p) tensor.
        beta: multiplier of `input` (default 1; 0 ignores its values, NaN included).
        alpha: multiplier of the product (default 1).
    """
    return _fused("baddbmm", input, batch1, batch2, beta, alpha)


def addbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta=1, alpha=1) -> Tensor:
    """`beta * input + alpha * sum_b(batch1[b] @ batch2[b])`: the sum of a batch of
    matrix products added to `input`.

    Args:
        input: the tensor added, broadcastable to the product's shape.
        batch1: a (b, n, m) tensor.
        batch2: a (b, m, p) tensor.
        beta: multiplier of `input` (default 1; 0 ignores its values, NaN included).
        alpha: multiplier of the product (default 1).
    """
    return _fused("addbmm", input, batch1, batch2, beta, alpha)


def addmv(input: Tensor, mat: Tensor, vec: Tensor, *, beta=1, alpha=1) -> Tensor:
    """`beta * input + alpha * (mat @ vec)`: a matrix-vector product added to `input`.

    Args:
        input: the tensor added, broadcastable to the product's shape.
        mat: an (n, m) matrix.
        vec: a 1-D tensor of size m.
        beta: multiplier of `input` (default 1; 0 ignores its values, NaN included).
        alpha: multiplier of the product (default 1).
    """
    _refuse_addmv_dims(input, mat, vec)
    checked = (isinstance(input, Tensor) and isinstance(mat, Tensor) and isinstance(vec, Tensor)
               and input.dim() <= 1 and mat.dim() == 2 and vec.dim() == 1)
    if checked and not (mat.shape[1] == vec.shape[0] and input.numel() in (1, mat.shape[0])):
        if input.dim() == 0:  # PyTorch's message reads input.size(0)
            raise IndexError("Dimension specified as 0 but tensor has no dimensions")
        # PyTorch names the input's own size, before it is broadcast to the product's
        raise RuntimeError(f"size mismatch, got input ({input.shape[0]}), mat ({mat.shape[0]}x{mat.shape[1]}), "
                           f"vec ({vec.shape[0]})")
    out = _fused("addmv", input, mat, vec, beta, alpha)
    if checked and mat.numel() == 0 and not _is_zero(beta):
        # PyTorch's shortcut for an empty matrix: beta * input, at the input's own shape,
        # with beta read in the result's dtype (0.2 is 0 for integers)
        factor = beta
        if not (out.dtype.is_floating_point or out.dtype.is_complex or isinstance(beta, Tensor)):
            factor = builtins.bool(beta) if out.dtype == _core.bool else builtins.int(beta)
        scaled = input * factor
        scaled = scaled if scaled.dtype == out.dtype else scaled.to(out.dtype)
        return _core._named_node(scaled, "AddmvBackward0") if scaled.grad_fn is not None else scaled
    return out


def _refuse_addmv_dims(input, mat, vec) -> None:
    """PyTorch's first check of `addmv`: a vector (or scalar) plus a matrix times a vector."""
    if (isinstance(input, Tensor) and isinstance(mat, Tensor) and isinstance(vec, Tensor)
            and not (input.dim() <= 1 and mat.dim() == 2 and vec.dim() == 1)):
        raise RuntimeError(f"vector + matrix @ vector expected, got {input.dim()}, {mat.dim()}, {vec.dim()}")


def _is_zero(beta) -> bool:
    return (beta.item() if isinstance(beta, Tensor) else beta) == 0


def addr(input: Tensor, vec1: Tensor, vec2: Tensor, *, beta=1, alpha=1) -> Tensor:
    """`beta * input + alpha * outer(vec1, vec2)`: an outer product added to `input`.

    Args:
        input: the tensor added, broadcastable to the product's shape.
        vec1: a 1-D tensor of size n.
        vec2: a 1-D tensor of size m.
        beta: multiplier of `input` (default 1; 0 ignores its values, NaN included).
        alpha: multiplier of the product (default 1).
    """
    return _fused("addr", input, vec1, vec2, beta, alpha)


def _prod(xs) -> int:
    n = 1
    for x in xs:
        n *= int(x)
    return n


def _wrap_dim(dim: int, ndim: int) -> int:
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise _dim_error(dim, f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
    return dim % n


def _tensordot_dim_list(dims, arg: str, position: int) -> list:
    """One of the two dim lists as PyTorch's parser reads an int list (no lone int)."""
    if isinstance(dims, Tensor):  # the parser takes no tensor here
        raise TypeError(f"tensordot(): argument '{arg}' (position {position}) must be tuple of ints, not Tensor")
    need_int_sequence("tensordot", arg, position, dims)
    need_int_elements("tensordot", arg, position, dims)
    return list(dims)


def _summed_dtype(t: Tensor):
    """The dtype a sum inside a product keeps: the tensor's own (integers are not widened)."""
    return None if t.dtype == _core.bool else t.dtype


def _tensor_dims(dims: Tensor) -> tuple[list, list]:
    """PyTorch's reading of a tensor `dims`: one element is the count n (any dtype, read
    as an int; the last n dims of `a`, the first n of `b`), more are two rows of dims."""
    if dims.numel() > 1:
        if dims.shape[0] != 2:
            raise AssertionError(f"dims tensor must have size 2 in first dimension, got {dims.shape[0]}")
        return dims[0].tolist(), dims[1].tolist()
    n = int(dims.item())
    if n < 0:
        raise RuntimeError(f"tensordot expects dims >= 0, but got dims={n}")
    return list(range(-n, 0)), list(range(n))


def tensordot(a: Tensor, b: Tensor, dims=2, out=None) -> Tensor:
    """The sum of the products of the elements of `a` and `b` over the dimensions paired
    by `dims` (a generalized matrix product).

    Args:
        a: the first tensor.
        b: the second tensor.
        dims: an int n (the last n dimensions of `a` with the first n of `b`, default
            2), or two lists of dimensions to pair.
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    if not isinstance(dims, (tuple, list, Tensor, int)):
        raise RuntimeError(  # noqa: TRY004 (PyTorch's type)
            "tensordot expects dims to be int or tuple[list[int], list[int]] or list[list[int]] "
            f"containing two lists, but got dims={dims}"
        )
    if isinstance(dims, Tensor):
        dims = _tensor_dims(dims)
    if isinstance(dims, int):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > a.dim() or dims > b.dim():
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}")
        da, db = list(range(-dims, 0)), list(range(dims))  # as PyTorch counts them
    else:
        # PyTorch's Python body reads `a.dim()` only for an int `dims`; with lists its
        # parser checks the operands
        _need_tensor("tensordot", "input", 1, a)
        _need_tensor("tensordot", "other", 2, b)
        da, db = dims
        da = _tensordot_dim_list(da, "dims_self", 3)
        db = _tensordot_dim_list(db, "dims_other", 4)
    if len(da) != len(db):
        raise RuntimeError("both dimension lists should have same length")
    if a.dtype != b.dtype:  # PyTorch's tensordot checks the dtypes before the dims
        raise RuntimeError("both inputs should have same dtype")
    given = list(zip(da, db))  # PyTorch's message names the dims as given
    da = [_wrap_dim(d, a.dim()) for d in da]
    db = [_wrap_dim(d, b.dim()) for d in db]
    for x, y, (gx, gy) in zip(da, db, given):
        # a size-1 dim pairs with any size: PyTorch sums the other side's dim first
        if b.shape[y] == 1 and a.shape[x] != 1:
            a = a.sum(x, keepdim=True, dtype=_summed_dtype(a))
        elif a.shape[x] == 1 and b.shape[y] != 1:
            b = b.sum(y, keepdim=True, dtype=_summed_dtype(b))
        elif a.shape[x] != b.shape[y]:
            raise RuntimeError(
                f"contracted dimensions need to match, but first has size {a.shape[x]} in dim {gx} "
                f"and second has size {b.shape[y]} in dim {gy}"
            )
    free_a = [d for d in range(a.dim()) if d not in da]
    free_b = [d for d in range(b.dim()) if d not in db]
    k = _prod(a.shape[d] for d in da)
    ma = a.permute((*free_a, *da)).reshape(_prod(a.shape[d] for d in free_a), k)
    mb = b.permute((*db, *free_b)).reshape(k, _prod(b.shape[d] for d in free_b))
    return ma.mm(mb).reshape((*[a.shape[d] for d in free_a], *[b.shape[d] for d in free_b]))


def chain_matmul(*matrices: Tensor) -> Tensor:
    """The product of 2-D matrices, multiplied in the cheapest order (deprecated in
    PyTorch for `linalg.multi_dot`).

    Args:
        matrices: two or more 2-D tensors whose inner sizes match (one alone comes back
            as it is).
    """
    from ._user_warning import triggered_internally, warn_once_at_caller

    need_tensor_list(matrices)
    warn_once_at_caller(triggered_internally(  # once per process (PyTorch's TORCH_WARN_ONCE)
        "torch.chain_matmul is deprecated and will be removed in a future PyTorch release. Use torch.linalg.multi_dot "
        "instead, which accepts a list of two or more tensors rather than multiple parameters.",
        "native/LinearAlgebra.cpp:1102"))
    if len(matrices) == 1 and not isinstance(matrices[0], Tensor):
        matrices = tuple(matrices[0])
    if not matrices:
        raise RuntimeError("chain_matmul(): Expected one or more matrices")
    if len(matrices) == 1:
        if matrices[0].dim() != 2:
            raise RuntimeError(f"chain_matmul(): Tensor 0 must be 2D, but got {matrices[0].dim()}D")
        return matrices[0].clone()
    for k, m in enumerate(matrices):
        if m.dim() != 2:
            raise RuntimeError(f"chain_matmul(): Tensor {k} must be 2D, but got {m.dim()}D")
    return multi_dot(list(matrices))


def kron(input: Tensor, other: Tensor) -> Tensor:
    """The Kronecker product: a block tensor whose blocks are `other` scaled by each
    element of `input`.

    Args:
        input: the first tensor.
        other: the second tensor (the smaller-rank one is padded with leading size-1
            dimensions).
    """
    _need_tensor("kron", "input", 1, input)
    _need_tensor("kron", "other", 2, other)
    nd = max(input.dim(), other.dim())
    sa = [1] * (nd - input.dim()) + list(input.shape)
    sb = [1] * (nd - other.dim()) + list(other.shape)
    a = unsafe_view(input, tuple([x for s in sa for x in (s, 1)]))
    b = unsafe_view(other, tuple([x for s in sb for x in (1, s)]))
    product, shape = a * b, tuple(x * y for x, y in zip(sa, sb))
    if not product.is_contiguous():  # laid out as a transposed input: PyTorch's view of it fails
        product.detach().view(shape)
    return unsafe_view(product, shape)


def _named(t: Tensor, name: str) -> Tensor:
    """`t` under PyTorch's node name for the op it ends with."""
    return _core._named_node(t, name) if t.grad_fn is not None else t


@dispatching_first("functional.cartesian_prod")
def cartesian_prod(*tensors: Tensor) -> Tensor:
    """The Cartesian product of 1-D tensors: every combination of one element from each,
    one per row (a 1-D tensor for a single input).

    Args:
        tensors: one or more 1-D tensors.
    """
    from ._shape import meshgrid, stack

    need_tensor_list(tensors)
    for t in tensors:
        if t.dim() != 1:
            raise RuntimeError(f"Expect a 1D vector, but got shape [{', '.join(str(s) for s in t.shape)}]")
    if len(tensors) == 1:
        return tensors[0]
    grids = meshgrid(*tensors, indexing="ij")
    return stack([g.reshape(-1) for g in grids], 1)


def _euclidean_dist(x1: Tensor, x2: Tensor) -> Tensor:
    """PyTorch's matrix-product path for p=2: |a|^2 - 2ab + |b|^2 in one product."""
    from ._creation import ones_like
    from ._shape import cat

    n1 = x1.pow(2).sum(-1, keepdim=True)
    n2 = x2.pow(2).sum(-1, keepdim=True)
    pad1, pad2 = ones_like(n1), ones_like(n2)
    a = cat([x1 * -2, n1, pad1], -1)
    b = cat([x2, pad2, n2], -1)
    r = a.matmul(b.mT).clamp_min(1e-30).sqrt()
    return r.view(tuple(r.shape))


@dispatching_first("functional.cdist")
def cdist(x1: Tensor, x2: Tensor, p: float = 2.0, compute_mode: str = "use_mm_for_euclid_dist_if_necessary") -> Tensor:
    """The p-norm distance between each row of `x1` and each row of `x2`, batched over
    leading dimensions: shape (..., P, R).

    Args:
        x1: a tensor of shape (..., P, M).
        x2: a tensor of shape (..., R, M).
        p: the order of the norm (default 2).
        compute_mode: for p = 2: 'use_mm_for_euclid_dist_if_necessary' (default: a
            matrix product when either has more than 25 rows), 'use_mm_for_euclid_dist'
            (always) or 'donot_use_mm_for_euclid_dist' (never).
    """
    _need_tensor("cdist", "x1", 1, x1)
    _need_tensor("cdist", "x2", 2, x2)
    modes = ("use_mm_for_euclid_dist_if_necessary", "use_mm_for_euclid_dist", "donot_use_mm_for_euclid_dist")
    if compute_mode not in modes:
        raise ValueError(f"{compute_mode} is not a valid value for compute_mode")
    if type(p) not in (int, float) and (p is None or isinstance(p, (str, complex, list, tuple))
                                        or isinstance(p, Tensor) and p.dim() != 0):
        raise TypeError(f"cdist(): argument 'p' (position 3) must be float, not {type_name(p)}")
    for name, x in (("X1", x1), ("X2", x2)):
        if x.dim() < 2:
            raise RuntimeError(f"cdist only supports at least 2D tensors, {name} got: {x.dim()}D")
    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(
            f"X1 and X2 must have the same number of columns. X1: {x1.shape[-1]} X2: {x2.shape[-1]}"
        )
    for name, x in (("X1", x1), ("X2", x2)):
        if not x.dtype.is_floating_point:
            raise RuntimeError(f"cdist only supports floating-point dtypes, {name} got: {scalar_name(x.dtype)}")
    if p == 2:
        rows = (x1.shape[-2], x2.shape[-2])
        if compute_mode == "use_mm_for_euclid_dist" or (compute_mode == modes[0] and max(rows) > 25):
            return _euclidean_dist(x1, x2)
    _need_cdist_kernel(x1, x2)
    if is_float8(x1):  # no elements (refused otherwise): nothing computed, in any dtype
        return _core._cdist(x1.float(), x2.float(), float(p)).to(x1.dtype)
    return saved_values.keep_more(_core._cdist(x1, x2, float(p)), "CdistBackward0", {"p": float(p)})


def _need_cdist_kernel(x1: Tensor, x2: Tensor) -> None:
    """PyTorch's CPU kernel: float32 and float64 only, both operands of x1's dtype."""
    if x1.dtype in (_core.float16, _core.bfloat16) or is_float8(x1) and x1.numel() and x2.numel():
        raise NotImplementedError(f"\"cdist\" not implemented for '{scalar_name(x1.dtype)}'")
    if x2.dtype != x1.dtype:
        raise RuntimeError(f"expected scalar type {scalar_name(x1.dtype)} but found {scalar_name(x2.dtype)}")


def vander(x: Tensor, N: int | None = None, increasing: bool = False) -> Tensor:
    """The Vandermonde matrix of a 1-D tensor: its columns are powers of `x` (decreasing
    unless `increasing`); integers give int64.

    Args:
        x: a 1-D tensor.
        N: the number of columns; None for `len(x)`.
        increasing: powers from x^0 up, instead of down to x^0.
    """
    need_int64(N)
    from ._creation import ones
    from ._shape import cat

    if x.dim() != 1:
        raise RuntimeError("x must be a one-dimensional tensor.")
    n = x.shape[0] if N is None else N
    if n < 0:
        raise RuntimeError("N must be non-negative.")
    if is_float8(x):  # PyTorch promotes x with int64 powers
        _core.promote_types(x.dtype, _core.int64)
    dtype = x.dtype if x.dtype.is_floating_point or x.dtype.is_complex else _core.int64
    if n == 0:
        return ones(x.shape[0], 0, dtype=dtype)
    cols = [ones(x.shape[0], 1, dtype=dtype)]
    if n > 1:
        cols.append(x.to(dtype).unsqueeze(1).expand(x.shape[0], n - 1))
    result = cat(cols, 1).cumprod(1)
    # PyTorch fills the powers into a result slice by slice: its node is CopySlices
    return _core._named_node(result, "CopySlices") if increasing else result.flip(1)


def refuse_bool_samples(name: str, y, x) -> None:
    """PyTorch's trapezoid and cumulative_trapezoid refuse bool values or sample points."""
    with_x = isinstance(x, Tensor)
    if isinstance(y, Tensor) and y.dtype == _core.bool or with_x and x.dtype == _core.bool:
        which = "`x` or `y`" if with_x else "`y`"
        raise RuntimeError(f"{name}: received a bool input for {which}, but bool is not supported")


def refuse_zero_dim_samples(name: str, y: Tensor, x, dim: int) -> None:
    """PyTorch's IndexError for 0-dim values: with sample points `x`, `dim` is first
    wrapped against one dim; then `trapezoid` asks for the size of the dim and
    `cumulative_trapezoid` slices along it."""
    if y.dim():
        return
    with_x = isinstance(x, Tensor)
    if with_x and dim not in (-1, 0):
        raise IndexError(f"Dimension out of range (expected to be in range of [-1, 0], but got {dim})")
    if name == "cumulative_trapezoid":
        raise IndexError("slice() cannot be applied to a 0-dim tensor.")
    raise IndexError(f"Dimension specified as {0 if with_x else dim} but tensor has no dimensions")


def sample_points(x: Tensor, y: Tensor, dim: int) -> Tensor:
    """`x` viewed against `y` as PyTorch's trapezoid rules view it: a 1-D `x` along
    `dim`, one of fewer dims with leading dims of size 1 (a 0-dim `x`: all ones)."""
    if x.dim() == 1:
        view = [1] * y.dim()
        view[dim] = x.shape[0]
        return x.reshape(tuple(view))
    if x.dim() < y.dim():
        return x.reshape((1,) * (y.dim() - x.dim()) + tuple(x.shape))
    return x


def refuse_complex_spacing(fn: str, step: Any) -> None:
    """PyTorch's refusal of a complex or bool spacing `dx` (its Scalar overload)."""
    if isinstance(step, (bool, complex)):
        raise RuntimeError(f"{fn}: Currently, we only support dx as a real number.")  # noqa: TRY004 - PyTorch's type


def trapezoid(y: Tensor, x=None, *, dx=None, dim: int = -1) -> Tensor:
    """The integral of `y` along `dim` by the trapezoidal rule.

    Args:
        y: the values to integrate.
        x: the sample points (a tensor broadcastable with `y`); None for even spacing.
        dx: the spacing of evenly spaced samples (default 1), when `x` is None.
        dim: the dimension to integrate along (default the last).
    """
    need_int64(dim)
    refuse_bool_samples("trapezoid", y, x)
    refuse_zero_dim_samples("trapezoid", y, x, dim)
    n = y.shape[_wrap_dim(dim, y.dim())]
    if n:
        refuse_float8("add_stub", y)  # PyTorch adds the end samples first
    if isinstance(x, Tensor):
        if dx is not None:
            raise RuntimeError("trapezoid: cannot specify both x and dx")
        if n == 0:
            return _zeros_except(y, dim)
        x = sample_points(x, y, dim)
        m = x.shape[dim]
        spacing = x.narrow(dim, 1, m - 1) - x.narrow(dim, 0, m - 1)
        return _named(((y.narrow(dim, 1, n - 1) + y.narrow(dim, 0, n - 1)) * spacing).sum(dim) / 2, "DivBackward1")
    step = 1 if dx is None else dx
    if x is not None:
        step = x
    if n == 0:
        return _zeros_except(y, dim)
    refuse_complex_spacing("trapezoid", step)
    from .nn._composite_nodes import mul_scalar

    # PyTorch's `(sum - (first + last) * 0.5) * dx`, its products by numbers (MulBackward1)
    return mul_scalar(y.sum(dim) - mul_scalar(y.select(dim, 0) + y.select(dim, -1), 0.5), float(step))


def _zeros_except(y: Tensor, dim: int) -> Tensor:
    """PyTorch's integral over an empty dim: zeros of `y`'s dtype and shape without `dim`."""
    shape = list(y.shape)
    del shape[_wrap_dim(dim, y.dim())]
    return y.new_zeros(shape)


def trapz(y: Tensor, x=None, *, dx=None, dim: int = -1) -> Tensor:
    """The integral of `y` along `dim` by the trapezoidal rule (`trapezoid` under its
    older name).

    Args:
        y: the values to integrate.
        x: the sample points (a tensor broadcastable with `y`); None for even spacing.
        dx: the spacing of evenly spaced samples (default 1), when `x` is None.
        dim: the dimension to integrate along (default the last).
    """
    if isinstance(dx, bool):  # trapz's spacing is a C double: a bool reads as 0 or 1
        dx = float(dx)
    return trapezoid(y, x, dx=dx, dim=dim)


def cov(input: Tensor, *, correction: int = 1, fweights: Tensor | None = None, aweights: Tensor | None = None) -> Tensor:
    """The covariance matrix of the variables in the rows of `input` (observations in
    the columns).

    Args:
        input: a 1-D or 2-D tensor (one row per variable).
        correction: divide by N - correction (default 1, Bessel's correction; 0 for the
            population covariance).
        fweights: an integer 1-D tensor of frequency weights, one per observation; None
            for all 1.
        aweights: a floating 1-D tensor of observation weights; None for all 1.
    """
    if isinstance(correction, bool) or not hasattr(type(correction), "__index__"):
        raise TypeError(f"cov(): argument 'correction' must be int, not {type_name(correction)}")
    need_int64(correction)
    if input.dim() > 2:
        raise RuntimeError(f"cov(): expected input to have two or fewer dimensions but got an input with {input.dim()} dimensions")
    for name, weights in (("fweights", fweights), ("aweights", aweights)):
        if weights is not None and weights.dim() > 1:
            raise RuntimeError(f"cov(): expected {name} to have one or fewer dimensions but got {name} with "
                               f"{weights.dim()} dimensions")
    if input.dtype == _core.bool:
        raise RuntimeError("cov(): bool dtype is not supported for input")
    x = input if input.dim() == 2 else input.reshape(1, -1)
    n_obs = x.shape[1]
    _check_cov_weights(fweights, aweights, n_obs)
    w = None
    if fweights is not None:
        w = fweights
    if aweights is not None:
        w = aweights if w is None else w * aweights
    # the weights keep their own dtype (PyTorch normalizes in it); the data takes the
    # promoted dtype, floating (integers divide to the default dtype)
    dtype = x.dtype if w is None else _core.promote_types(x.dtype, w.dtype)
    if not (dtype.is_floating_point or dtype.is_complex):
        dtype = _core.get_default_dtype()
    x = x.to(dtype)
    if w is None:
        w_sum = n_obs
        avg = x.mean(1)
    else:
        w_sum = w.sum()
        if w_sum.item() == 0:
            raise RuntimeError("cov(): weights sum to zero, can't be normalized")
        avg = (x * w).sum(1) / w_sum
    if w is None:
        norm = w_sum - correction
    elif correction == 0:
        norm = w_sum
    elif aweights is None:
        norm = w_sum - correction
    else:
        norm = w_sum - correction * (w * aweights).sum() / w_sum
    if (norm if isinstance(norm, Number) else norm.item()) <= 0:
        warnings.warn("cov(): degrees of freedom is <= 0. Correction should be strictly less than the number of "
                      "observations.", UserWarning, stacklevel=2)
    if isinstance(norm, Number):
        norm = max(norm, 0)
    else:
        norm = norm.clamp_min(0)
    xm = x - avg.unsqueeze(1)
    xw = xm if w is None else xm * w
    c = xm.mm(xw.t().conj() if xw.dtype.is_complex else xw.t()) / norm
    return c.squeeze()


def _check_cov_weights(fweights: Tensor | None, aweights: Tensor | None, n_obs: int) -> None:
    """PyTorch's checks of cov's weights: dtype, one per observation, none negative."""
    for name, weights in (("fweights", fweights), ("aweights", aweights)):
        if weights is None:
            continue
        integral = not (weights.dtype.is_floating_point or weights.dtype.is_complex or weights.dtype == _core.bool)
        if name == "fweights" and not integral:
            raise RuntimeError("cov(): expected fweights to have integral dtype but got fweights with "
                               f"{scalar_name(weights.dtype)} dtype")
        if name == "aweights" and not weights.dtype.is_floating_point:
            raise RuntimeError("cov(): expected aweights to have floating point dtype but got aweights with "
                               f"{scalar_name(weights.dtype)} dtype")
        if weights.numel() != n_obs:
            raise RuntimeError(f"cov(): expected {name} to have the same numel as there are observations in the "
                               f"input but got {weights.numel()} != {n_obs}")
        if n_obs and weights.min().item() < 0:
            raise RuntimeError(f"cov(): {name} cannot be negative")


def corrcoef(input: Tensor) -> Tensor:
    """The matrix of Pearson correlation coefficients of the variables in the rows of
    `input` (observations in the columns).

    Args:
        input: a 1-D or 2-D tensor (one row per variable).
    """
    c = cov(input)
    if c.dim() == 0:
        return c / c
    d = c.diagonal()
    if d.dtype.is_complex:
        d = d.real
    std = d.sqrt()
    c = c / std.unsqueeze(1)
    c = c / std.unsqueeze(0)
    if c.dtype.is_complex:
        from ._complex import complex as _complex

        return _complex(c.real.clamp(-1, 1), c.imag.clamp(-1, 1))
    return c.clamp(-1, 1)


def _round_bfloat16(a: Any) -> np.ndarray:
    """float32 values rounded to the nearest bfloat16 (ties to even), kept as float32."""
    bits = np.asarray(a, dtype=np.float32).view(np.uint32).astype(np.uint64)
    bits = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000
    return bits.astype(np.uint32).view(np.float32)


def _numpy_values(t: Tensor) -> np.ndarray:
    """The values of `t` as a NumPy array; bfloat16 (which NumPy lacks) as float32,
    which holds each of its values exactly."""
    t = t.detach()
    return (t.float() if t.dtype == _core.bfloat16 else t).numpy()


def _refuse_exact_histc(input: Tensor, low: float, high: float) -> None:
    """PyTorch's histc of a bool, integer or complex tensor spaces its bin edges in the
    tensor's dtype first (bool and uint16/32/64 have no linspace; the range must fit),
    then finds no histogram kernel; with no range given, it first looks for a complex
    tensor's minimum and maximum, which have no kernel either."""
    if input.dtype is _core.bool:
        raise NotImplementedError("\"linspace_cpu\" not implemented for 'Bool'")
    if input.dtype.is_complex and low == high == 0 and input.numel():
        raise NotImplementedError(f"\"aminmax_cpu\" not implemented for '{_type_name(input)}'")
    refuse_shell("linspace_cpu", input)
    if not input.dtype.is_complex:
        for bound in (low, high):
            check_scalar_fits(float(bound), input.dtype)
    raise NotImplementedError(f'"histogram_cpu" not implemented for \'{_type_name(input)}\'')


def histc(input: Tensor, bins: int = 100, min: float = 0, max: float = 0) -> Tensor:
    """The counts of the values of `input` in `bins` equal-width bins over [min, max],
    in the dtype of `input`; values outside are ignored.

    Args:
        input: the input tensor.
        bins: the number of bins (default 100).
        min: the lower end of the range.
        max: the upper end; when `min` and `max` are both 0, the range is the data's
            minimum and maximum.
    """
    if min == max == 0 and input.numel():
        refuse_shell("aminmax_cpu", input)
    try:
        bins = need_int("histc", "bins", 2, bins)
    except TypeError:
        # the guard words it from the call itself (no position for a keyword)
        raise TypeError(f"argument 'bins' must be int, not {type(bins).__name__}") from None
    from ._creation import tensor

    if not input.dtype.is_floating_point:
        _refuse_exact_histc(input, min, max)
    if bins <= 0:
        raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for dimension 0")
    # PyTorch finds the data's range (when none is given), then spaces the bin edges
    refuse_float8("aminmax_cpu" if min == max == 0 and input.numel() else "linspace_cpu", input)
    _reserve_bin_edges(bins, input.dtype)
    # NumPy has no bfloat16: count its values in float32 (each is exact there)
    v = (input.detach().float() if input.dtype == _core.bfloat16 else input.detach()).numpy().reshape(-1)
    lo, hi = float(min), float(max)
    if lo == hi and v.size:  # PyTorch's order: an empty range is the data's, then widened, then checked
        lo, hi = float(v.min()), float(v.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise RuntimeError(f"torch.histc: range of [{lo:g}, {hi:g}] is not finite")
    if lo > hi:
        raise RuntimeError("torch.histc: max must be larger than min")
    inside = v[(v >= lo) & (v <= hi)]
    if input.dtype == _core.bfloat16:
        # PyTorch's bfloat16 arithmetic rounds to bfloat16 after each operation
        r = _round_bfloat16
        idx = r(r(r(inside - np.float32(lo)) * np.float32(bins)) / r(np.float32(hi) - np.float32(lo))).astype(np.int64)
    else:
        idx = ((inside - lo) * bins / (hi - lo)).astype(np.int64)
    idx[idx == bins] = bins - 1
    counts = np.bincount(idx, minlength=bins)[:bins]
    return tensor(counts.astype(v.dtype)).to(input.dtype)


def _reserve_bin_edges(bins: int, dtype) -> None:
    """PyTorch allocates the `bins + 1` edges first: a count memory cannot hold is its
    out-of-memory RuntimeError (the allocation's check), not NumPy's MemoryError."""
    from ._creation import empty

    empty(bins + 1, dtype=dtype)


def _type_name(t: Tensor) -> str:
    return scalar_name(t.dtype)


def bincount(input: Tensor, weights: Tensor | None = None, minlength: int = 0) -> Tensor:
    """How often each non-negative integer occurs in the 1-D `input` (int64), or the
    summed `weights` at each value.

    Args:
        input: a 1-D tensor of non-negative integers.
        weights: a 1-D tensor shaped like `input`; None to count.
        minlength: the least length of the result (default 0; else its length is
            `max(input) + 1`).
    """
    need_int64(minlength)
    refuse_shell("bincount_cpu", input)
    if input.dtype.is_floating_point or input.dtype.is_complex or input.dtype is _core.bool:
        raise NotImplementedError(f'"bincount_cpu" not implemented for \'{_type_name(input)}\'')
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    if input.dim() == 1 and input.numel() == 0:  # PyTorch's kernel answers before it looks at weights
        return _core._full(minlength, fill_value=0, dtype=_core.int64)
    v = input.numpy()
    if input.dim() != 1 or (v.size and v.min() < 0):
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    top = int(v.max()) if v.size else -1
    if top == 2**63 - 1:
        raise RuntimeError(f"maximum value of input overflowed, it should be < {top} but got {top}")
    # Sized here first so a huge length raises PyTorch's size error: NumPy's bincount
    # corrupts the heap when max + 1 overflows.
    _core._full(max(top + 1, minlength), fill_value=0, dtype=_core.int64)
    if weights is None:
        return _counts_tensor(np.bincount(v, minlength=minlength), _core.int64)
    if weights.dim() != 1 or weights.shape[0] != input.shape[0]:
        raise RuntimeError("weights should be 1-d and have the same length as input")
    w = _numpy_values(weights.double() if is_float8(weights) else weights)  # NumPy has no 8-bit floats
    out = np.bincount(v, weights=w.astype(np.float64), minlength=minlength)
    # PyTorch sums float32 weights in float32 and every other dtype in float64
    return _counts_tensor(out, _core.float32 if weights.dtype == _core.float32 else _core.float64)


def _counts_tensor(counts: np.ndarray, dtype) -> Tensor:
    """`counts` as a contiguous tensor of `dtype` (an empty one too: NumPy gives an
    empty array stride 0, PyTorch's empty result has stride 1)."""
    from ._creation import tensor

    if counts.size == 0:
        return _core._full((0,), fill_value=0, dtype=dtype)
    return tensor(counts, dtype=dtype)


def _search(seq: np.ndarray, vals: np.ndarray, right: bool) -> np.ndarray:
    from ._bucketize import search_rows

    if seq.ndim <= 1:
        return search_rows(seq, vals, right)
    if seq.size == 0 or vals.size == 0:  # empty rows insert at 0; no values, no rows to stack
        return np.zeros(vals.shape, dtype=np.int64)
    rows_s = seq.reshape(-1, seq.shape[-1])
    rows_v = vals.reshape(-1, vals.shape[-1])
    out = np.stack([search_rows(s, v, right) for s, v in zip(rows_s, rows_v)])
    return out.reshape(vals.shape)


def _refuse_float8_search(sorted_sequence, input) -> None:
    """PyTorch promotes the two dtypes (which fails for an 8-bit float and another), then
    has no 8-bit kernel."""
    tensors = [t for t in (sorted_sequence, input) if isinstance(t, Tensor)]
    if not any(is_float8(t) for t in tensors) or isinstance(input, Tensor) and not input.numel():
        return
    if len(tensors) == 2 and tensors[0].dtype != tensors[1].dtype:
        _core.promote_types(tensors[0].dtype, tensors[1].dtype)
    refuse_float8("searchsorted_out_cpu", *tensors)


def searchsorted(sorted_sequence: Tensor, input, *, out_int32: bool = False, right: bool = False, side=None,
                 sorter=None) -> Tensor:
    """The index where each value of `input` would be inserted into `sorted_sequence` to
    keep it sorted (int64).

    Args:
        sorted_sequence: a tensor sorted along its last dimension (1-D, or with leading
            dimensions matching `input`).
        input: a tensor or number of values to place.
        out_int32: return int32 indices instead of int64.
        right: on equal values, return the index after them (the last suitable) rather
            than the first.
        side: 'left' or 'right', the same choice as `right`; None to follow `right`.
        sorter: indices that sort an unsorted `sorted_sequence` along its last
            dimension; None when it is sorted.
    """
    sorted_sequence, input = _promoted_unsigned(sorted_sequence, input)
    from ._complex import refuse_complex
    from ._creation import tensor

    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError(f"torch.searchsorted(): side can only be 'left' or 'right' but got {side}")
        if right and side == "left":
            raise RuntimeError(
                "torch.searchsorted(): side and right can't be set to opposites, got side of left while right was True"
            )
        right = side == "right"
    if sorter is not None:
        _check_sorter(sorted_sequence, sorter)
    _check_search_shapes(sorted_sequence, input)
    if out_int32 and sorted_sequence.shape[-1] >= 2**31 - 1:
        raise RuntimeError("torch.searchsorted(): the size of boundaries' last dimension should be less than "
                           f"2147483647, but we got {sorted_sequence.shape[-1]}")
    if isinstance(input, Tensor) and input.numel() == 0:  # PyTorch returns before its kernel's dtype checks
        return tensor(np.zeros(tuple(input.shape), dtype=np.int64), dtype=_core.int32 if out_int32 else _core.int64)
    refuse_shell("searchsorted_out_cpu", sorted_sequence, input)
    _refuse_float8_search(sorted_sequence, input)
    for t in (sorted_sequence, input):
        if isinstance(t, Tensor):
            refuse_complex(t, "searchsorted_out_cpu")
    if isinstance(input, complex):  # the kernel's dtype: the sequence's and the number's together
        from ._dtype_names import scalar_name

        kernel = scalar_name(_core._result_type(sorted_sequence, input))
        raise NotImplementedError(f"\"searchsorted_out_cpu\" not implemented for '{kernel}'")
    if _core.promote_types(sorted_sequence.dtype, _core.bool if isinstance(input, bool) else (
        input.dtype if isinstance(input, Tensor) else _core.int64
    )) == _core.bool:
        raise NotImplementedError("\"searchsorted_out_cpu\" not implemented for 'Bool'")
    from ._bucketize import warn_noncontiguous

    warn_noncontiguous(sorted_sequence, input)
    seq = _numpy_values(sorted_sequence)
    if sorter is not None:
        seq = np.take_along_axis(seq, sorter.numpy(), axis=-1)
    scalar = not isinstance(input, Tensor)
    if scalar and isinstance(input, int) and not isinstance(input, bool):
        unpack_scalar_int(input)
        dtype = sorted_sequence.dtype
        if not (dtype.is_floating_point or dtype.is_complex or dtype == _core.bool):
            input = wrap_int_to(input, dtype)  # an int is cast to the sequence's integer dtype
    if isinstance(input, bool):
        input = int(input)  # NumPy would compare in bool
    vals = np.asarray(input) if scalar else _numpy_values(input)
    out = _search(seq, vals, right)
    if out_int32 and hasattr(_core, "int32"):
        return tensor(out.astype(np.int64), dtype=_core.int32)
    return tensor(np.asarray(out, dtype=np.int64))


def _check_search_shapes(boundaries: Tensor, input: Any) -> None:
    """PyTorch's searchsorted checks of the two shapes (a number is a 0-dim tensor)."""
    shape = tuple(input.shape) if isinstance(input, Tensor) else ()
    numel = _prod(shape)
    if not (len(shape) > 0 or (numel == 1 and boundaries.dim() == 1)):
        raise RuntimeError(
            "torch.searchsorted(): input value can be a scalar only when boundaries tensor dimension is 1, but we got "
            f"boundaries tensor dim({boundaries.dim()}) and input value's dim({len(shape)}) numel({numel})"
        )
    if boundaries.dim() == 0:
        raise RuntimeError("torch.searchsorted(): boundaries tensor should have positive dimension, but got 0 dimension")
    bshape = tuple(boundaries.shape)
    if boundaries.dim() != 1 and (len(shape) != len(bshape) or shape[:-1] != bshape[:-1]):
        raise RuntimeError(
            "torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions of boundaries "
            f"tensor and input value tensor must match, but we got boundaries tensor {list(bshape)} and input value "
            f"tensor {list(shape)}"
        )


def _check_sorter(boundaries: Tensor, sorter: Tensor) -> None:
    """PyTorch's checks of searchsorted's `sorter`: the boundaries' shape, int64, and
    indices within the last dimension."""
    if tuple(sorter.shape) != tuple(boundaries.shape):
        raise RuntimeError(
            "torch.searchsorted(): boundary and sorter must have the same size, but got boundary tensor "
            f"{list(boundaries.shape)}and got sorter tensor {list(sorter.shape)}"
        )
    if sorter.dtype is not _core.int64:
        raise RuntimeError(
            f"torch.searchsorted(): sorter must be a tensor of long dtype but got dtype {scalar_name(sorter.dtype)}"
        )
    if sorter.numel() and not (sorter.min().item() >= 0 and sorter.max().item() < sorter.shape[-1]):
        raise RuntimeError("torch.searchsorted(): sorter index out of range")


def _promoted_unsigned(sequence: Tensor, values: Any) -> tuple[Any, Any]:
    """PyTorch's searchsorted brings a sequence and values tensor of different dtypes to
    their common dtype first: uint16/32/64 with a signed integer is its promotion error,
    with a float a float search."""
    if not (isinstance(values, Tensor) and isinstance(sequence, Tensor)) or values.dtype == sequence.dtype:
        return sequence, values
    if values.dtype not in SHELL_UNSIGNED and sequence.dtype not in SHELL_UNSIGNED:
        return sequence, values
    common = _core.promote_types(sequence.dtype, values.dtype)
    return sequence.to(common), values.to(common)


def bucketize(input, boundaries: Tensor, *, out_int32: bool = False, right: bool = False) -> Tensor:
    """The index of the bucket of each value of `input`: i such that `boundaries[i-1] <
    x <= boundaries[i]`.

    Args:
        input: a tensor or number.
        boundaries: a 1-D increasing tensor.
        out_int32: return int32 indices instead of int64.
        right: use `boundaries[i-1] <= x < boundaries[i]` instead.
    """
    if isinstance(boundaries, Tensor):
        boundaries, input = _promoted_unsigned(boundaries, input)
    refuse_shell("searchsorted_out_cpu", input, boundaries)
    _need_tensor("bucketize", "boundaries", 2, boundaries)
    if boundaries.dim() != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim({boundaries.dim()})")
    return searchsorted(boundaries, input, out_int32=out_int32, right=right)


def _install() -> None:
    def baddbmm_m(self, batch1, batch2, *, beta=1, alpha=1):
        return baddbmm(self, batch1, batch2, beta=beta, alpha=alpha)

    def addbmm_m(self, batch1, batch2, *, beta=1, alpha=1):
        return addbmm(self, batch1, batch2, beta=beta, alpha=alpha)

    def addmv_m(self, mat, vec, *, beta=1, alpha=1):
        return addmv(self, mat, vec, beta=beta, alpha=alpha)

    def addr_m(self, vec1, vec2, *, beta=1, alpha=1):
        return addr(self, vec1, vec2, beta=beta, alpha=alpha)

    def kron_m(self, other):
        return kron(self, other)

    def histc_m(self, bins=100, min=0, max=0):
        return histc(self, bins, min, max)

    def bincount_m(self, weights=None, minlength=0):
        return bincount(self, weights, minlength)

    def addmm_(self, mat1, mat2, *, beta=1, alpha=1):
        return _fused_("addmm", self, mat1, mat2, beta, alpha)

    def baddbmm_(self, batch1, batch2, *, beta=1, alpha=1):
        from ._mathops import _refuse_leaf

        _refuse_leaf(self)  # autograd's check comes before the kernel's
        _batch_sizes(batch1, batch2, "baddbmm")
        return _fused_("baddbmm", self, batch1, batch2, beta, alpha)

    def addbmm_(self, batch1, batch2, *, beta=1, alpha=1):
        from ._mathops import _refuse_leaf

        _refuse_leaf(self)  # autograd's check comes before the kernel's
        _batch_sizes(batch1, batch2, "addbmm")
        return _fused_("addbmm", self, batch1, batch2, beta, alpha)

    def addmv_(self, mat, vec, *, beta=1, alpha=1):
        _refuse_addmv_dims(self, mat, vec)
        return _fused_("addmv", self, mat, vec, beta, alpha)

    def addr_(self, vec1, vec2, *, beta=1, alpha=1):
        return _fused_("addr", self, vec1, vec2, beta, alpha)

    for fn in (addmm_, baddbmm_, addbmm_, addmv_, addr_):
        setattr(Tensor, fn.__name__, fn)
    for name, fn in (("baddbmm", baddbmm_m), ("addbmm", addbmm_m), ("addmv", addmv_m), ("addr", addr_m),
                     ("kron", kron_m), ("histc", histc_m), ("bincount", bincount_m)):
        fn.__name__ = fn.__qualname__ = name
        setattr(Tensor, name, fn)


_install()
