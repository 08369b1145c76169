"""`ferrograd.masked`'s reductions and normalizations on strided tensors: masked-out
elements are replaced by the operation's identity, then the plain operation runs, so
the results, dtypes and grad_fn nodes are PyTorch's (`torch.masked._ops`)."""

from __future__ import annotations

from typing import Any

from .. import _core
from .._core import Tensor
from ._mask import canonical_dims, fill_masked, input_mask, sum_dtype
from .maskedtensor.creation import is_masked_tensor

__all__ = [
    "amax", "amin", "argmax", "argmin", "cumprod", "cumsum", "log_softmax", "logaddexp",
    "logsumexp", "mean", "median", "norm", "normalize", "prod", "softmax", "softmin",
    "std", "sum", "var",
]

DimOrDims = Any


def _fg():
    import ferrograd

    return ferrograd


def _one_dim(dim, ndim: int) -> int:
    return canonical_dims(dim, ndim)[0]


def _need_strided(op: str, input: Any) -> None:
    """PyTorch's refusal of a layout its masked `op` has no strided path for: a ValueError
    for a sparse tensor, the AttributeError for `layout` of what is not a tensor."""
    if not is_masked_tensor(input) and input.layout != _fg().strided:
        raise ValueError(f"masked {op} expects strided tensor (got {input.layout} tensor)")


def sum(input: Tensor, dim: DimOrDims = None, *, keepdim: bool | None = False, dtype=None,
        mask: Tensor | None = None) -> Tensor:
    """The sum of the elements of `input` that `mask` keeps, over `dim` (every dim by
    default); small integer and bool inputs sum to int64 unless `dtype` is given.

    Args:
        input: a tensor.
        dim: a dim or a sequence of dims (None or () reduces all).
        keepdim: keep the reduced dims with size 1.
        dtype: the result dtype.
        mask: a bool tensor broadcastable to `input` (True keeps an element); None keeps all.
    """
    dtype = sum_dtype(input, dtype)
    dims = canonical_dims(dim, input.dim())
    return _fg().sum(fill_masked("sum", input, mask), dims, bool(keepdim), dtype=dtype)


def prod(input: Tensor, dim: DimOrDims = None, *, keepdim: bool | None = False, dtype=None,
         mask: Tensor | None = None) -> Tensor:
    """The product of the elements of `input` that `mask` keeps, over `dim`; small
    integer and bool inputs multiply in int64 unless `dtype` is given.

    Args:
        input: a tensor.
        dim: a dim or a sequence of dims (None or () reduces all).
        keepdim: keep the reduced dims with size 1.
        dtype: the result dtype.
        mask: a bool tensor broadcastable to `input`; None keeps all.
    """
    dtype = sum_dtype(input, dtype)
    dims = canonical_dims(dim, input.dim())
    result = fill_masked("prod", input, mask).to(dtype=dtype)
    for d in reversed(dims):  # one dim at a time, last first, as PyTorch does
        result = result.prod(dim=d, keepdim=bool(keepdim))
    return result


def cumsum(input: Tensor, dim: int, *, dtype=None, mask: Tensor | None = None) -> Tensor:
    """The cumulative sum along `dim`, masked-out elements counting as 0.

    Args:
        input: a tensor.
        dim: the dim to accumulate along.
        dtype: the result dtype (the input's by default).
        mask: a bool tensor broadcastable to `input`; None keeps all.
    """
    dtype = input.dtype if dtype is None else dtype
    d = _one_dim(dim, input.dim())
    return _fg().cumsum(fill_masked("sum", input, mask), d, dtype=dtype).to(dtype=dtype)


def cumprod(input: Tensor, dim: int, *, dtype=None, mask: Tensor | None = None) -> Tensor:
    """The cumulative product along `dim`, masked-out elements counting as 1.

    Args:
        input: a tensor.
        dim: the dim to accumulate along.
        dtype: the result dtype (the input's by default).
        mask: a bool tensor broadcastable to `input`; None keeps all.
    """
    dtype = input.dtype if dtype is None else dtype
    d = _one_dim(dim, input.dim())
    return _fg().cumprod(fill_masked("prod", input, mask), d, dtype=dtype).to(dtype=dtype)


def amax(input: Tensor, dim: DimOrDims = None, *, keepdim: bool | None = False, dtype=None,
         mask: Tensor | None = None) -> Tensor:
    """The largest kept element over `dim` (-inf, or the integer minimum, where all are
    masked out).

    Args:
        input: a tensor.
        dim: a dim or a sequence of dims (None or () reduces all).
        keepdim: keep the reduced dims with size 1.
        dtype: the result dtype (the input's by default).
        mask: a bool tensor broadcastable to `input`; None keeps all.
    """
    dtype = input.dtype if dtype is None else dtype
    filled = fill_masked("amax", input, mask)
    return _fg().amax(filled, canonical_dims(dim, filled.dim()), bool(keepdim)).to(dtype=dtype)


def amin(input: Tensor, dim: DimOrDims = None, *, keepdim: bool | None = False, dtype=None,
         mask: Tensor | None = None) -> Tensor:
    """The smallest kept element over `dim` (inf, or the integer maximum, where all are
    masked out).

    Args:
        input: a tensor.
        dim: a dim or a sequence of dims (None or () reduces all).
        keepdim: keep the reduced dims with size 1.
        dtype: the result dtype (the input's by default).
        mask: a bool tensor broadcastable to `input`; None keeps all.
    """
    dtype = input.dtype if dtype is None else dtype
    filled = fill_masked("amin", input, mask)
    return _fg().amin(filled, canonical_dims(dim, filled.dim()), bool(keepdim)).to(dtype=dtype)


def argmax(input: Tensor, dim: int | None = None, *, keepdim: bool | None = False, dtype=None,
           mask: Tensor | None = None) -> Tensor:
    """The index of the largest kept element along `dim` (of the flattened input when
    None), in `dtype` (the input's dtype by default, as in PyTorch).

    Args:
        input: a tensor.
        dim: the dim, or None.
        keepdim: keep the reduced dim with size 1.
        dtype: the result dtype.
        mask: a bool tensor broadcastable to `input`; None keeps all.
    """
    dtype = input.dtype if dtype is None else dtype
    _need_strided("argmax", input)
    return _fg().argmax(fill_masked("argmax", input, mask), dim, bool(keepdim)).to(dtype=dtype)


def argmin(input: Tensor, dim: int | None = None, *, keepdim: bool | None = False, dtype=None,
           mask: Tensor | None = None) -> Tensor:
    """The index of the smallest kept element along `dim` (of the flattened input when
    None), in `dtype` (the input's dtype by default, as in PyTorch).

    Args:
        input: a tensor.
        dim: the dim, or None.
        keepdim: keep the reduced dim with size 1.
        dtype: the result dtype.
        mask: a bool tensor broadcastable to `input`; None keeps all.
    """
    dtype = input.dtype if dtype is None else dtype
    _need_strided("argmin", input)
    return _fg().argmin(fill_masked("argmin", input, mask), dim, bool(keepdim)).to(dtype=dtype)


def mean(input: Tensor, dim: DimOrDims = None, *, keepdim: bool | None = False, dtype=None,
         mask: Tensor | None = None) -> Tensor:
    """The mean of the kept elements over `dim` (nan where all are masked out).

    Args:
        input: a floating or complex tensor (or give a floating `dtype`).
        dim: a dim or a sequence of dims (None or () reduces all).
        keepdim: keep the reduced dims with size 1.
        dtype: the result dtype.
        mask: a bool tensor broadcastable to `input`; None keeps all.
    """
    source = "Optional"
    if dtype is None:
        dtype, source = input.dtype, "Input"
    if not (dtype.is_floating_point or dtype.is_complex):
        raise ValueError(
            f"mean(): Could not infer output dtype. {source} dtype must be either "
            f"a floating point or complex dtype. Got: {dtype}"
        )
    count, total = _count_and_total(input, dim, bool(keepdim), dtype, mask)
    return total / count


def _count_and_total(input: Tensor, dim, keepdim: bool, dtype, mask: Tensor | None):
    """How many elements are kept over `dim`, and their sum in `dtype`."""
    fg = _fg()
    if mask is None:
        count = sum(fg.ones(tuple(input.shape), dtype=_core.int64), dim, keepdim=keepdim)
        return count, sum(input, dim, keepdim=keepdim, dtype=dtype)
    kept = input_mask(input, mask)
    count = kept.sum(dim=dim, keepdim=keepdim)
    return count, sum(input, dim, keepdim=keepdim, dtype=dtype, mask=kept)


def median(input: Tensor, dim: int = -1, *, keepdim: bool = False, dtype=None,
           mask: Tensor | None = None) -> Tensor:
    """The median of the kept elements along `dim` (nan where all are masked out; an
    integer input with such a row raises ValueError).

    Args:
        input: a tensor.
        dim: the dim (the last by default).
        keepdim: keep the reduced dim with size 1.
        dtype: the result dtype for an integer input (the input's by default).
        mask: a bool tensor broadcastable to `input`; None keeps all.
    """
    fg = _fg()
    dtype = input.dtype if dtype is None else dtype
    d = _one_dim(dim, input.ndim)
    is_float = fg.is_floating_point(input)  # PyTorch's parser refuses a non-tensor here
    if not is_float:
        input = input.to(dtype=_core.float32)
    output = fg.nanmedian(fill_masked("median", input, mask), d, keepdim).values
    if is_float:
        return output
    if fg.isnan(output).any():
        raise ValueError("masked median expects no fully masked out rows if dtype is not floating point")
    return output.to(dtype=dtype)


def logsumexp(input: Tensor, dim: DimOrDims = None, *, keepdim: bool = False, dtype=None,
              mask: Tensor | None = None) -> Tensor:
    """log(sum(exp(x))) over the kept elements along `dim` (-inf where all are masked
    out), cast to `dtype` (the input's by default).

    Args:
        input: a tensor.
        dim: a dim or a sequence of dims (None or () reduces all).
        keepdim: keep the reduced dims with size 1.
        dtype: the result dtype.
        mask: a bool tensor broadcastable to `input`; None keeps all.
    """
    dtype = input.dtype if dtype is None else dtype
    dims = canonical_dims(dim, input.dim())
    filled = fill_masked("logsumexp", input, mask)
    return _fg().logsumexp(filled, dims, keepdim=keepdim).to(dtype=dtype)


def logaddexp(input: Tensor, other: Tensor, *, dtype=None, input_mask: Tensor | None = None,
              other_mask: Tensor | None = None) -> Tensor:
    """log(exp(input) + exp(other)) elementwise, each operand's masked-out elements
    counting as -inf, cast to `dtype` (the input's by default).

    Args:
        input: a tensor.
        other: a tensor broadcastable with `input`.
        dtype: the result dtype.
        input_mask: a bool tensor broadcastable to `input`; None keeps all.
        other_mask: a bool tensor broadcastable to `other`; None keeps all.
    """
    dtype = input.dtype if dtype is None else dtype
    layouts = [t.layout if not is_masked_tensor(t) else _fg().strided for t in (input, other)]
    if layouts != [_fg().strided, _fg().strided]:
        raise ValueError(
            f"masked logaddexp expects strided tensors (got {layouts[0]} tensor for input, {layouts[1]} for other)"
        )
    a = fill_masked("logaddexp", input, input_mask)
    b = fill_masked("logaddexp", other, other_mask)
    return _fg().logaddexp(a, b).to(dtype=dtype)


def norm(input: Tensor, ord: float | None = 2.0, dim: DimOrDims = None, *, keepdim: bool | None = False,
         dtype=None, mask: Tensor | None = None) -> Tensor:
    """The vector `ord`-norm of the kept elements over `dim` (masked-out elements count
    as 0, or as inf for ord=-inf).

    Args:
        input: a tensor.
        ord: the order of the norm.
        dim: a dim or a sequence of dims (None or () reduces all).
        keepdim: keep the reduced dims with size 1.
        dtype: the dtype to compute in and return.
        mask: a bool tensor broadcastable to `input`; None keeps all.
    """
    from .. import linalg

    dtype = input.dtype if dtype is None else dtype
    filled = fill_masked("norm", input, mask, ord)
    dims = canonical_dims(dim, input.dim())
    return linalg.vector_norm(filled, ord, dims, bool(keepdim), dtype=dtype)


def _std_var(input: Tensor, dim, unbiased: bool | None, correction_opt, keepdim, dtype,
             mask: Tensor | None, take_sqrt: bool) -> Tensor:
    fg = _fg()
    if unbiased is not None and correction_opt is not None:
        raise AssertionError("Only one of unbiased and correction may be given")
    correction = 1.0
    if unbiased is not None:
        correction = 1.0 if unbiased else 0.0
    if correction_opt is not None:
        correction = float(correction_opt)
    if dtype is None:
        dtype = input.dtype
        if not (dtype.is_floating_point or dtype.is_complex):
            dtype = _core.float32
    compute_dtype = dtype
    if not (compute_dtype.is_floating_point or compute_dtype.is_complex):
        compute_dtype = _core.float32
    count, sample_total = _count_and_total(input, dim, True, dtype, mask)
    kept = None if mask is None else input_mask(input, mask)
    if is_masked_tensor(input):  # deviations over its own mask, counted by `mask` (PyTorch's quirk)
        kept = input.get_mask()
        input = input.get_data()
    x = fg.subtract(input, fg.divide(sample_total, count))
    total = sum(x * x.conj(), dim, keepdim=keepdim, dtype=compute_dtype, mask=kept)
    if not keepdim:
        count = count.reshape(total.shape)
    if correction != 0:
        real_dtype = compute_dtype.to_real() if compute_dtype.is_complex else compute_dtype
        count = fg.subtract(count.to(real_dtype), correction)
        count = fg.maximum(count, count.new_zeros([]))
    output = fg.divide(total, count).to(dtype=dtype)
    return fg.sqrt(output) if take_sqrt else output


def var(input: Tensor, dim: DimOrDims = None, unbiased: bool | None = None, *,
        correction: float | None = None, keepdim: bool | None = False, dtype=None,
        mask: Tensor | None = None) -> Tensor:
    """The variance of the kept elements over `dim` (nan where all are masked out).

    Args:
        input: a tensor.
        dim: a dim or a sequence of dims (None or () reduces all).
        unbiased: Bessel's correction (True: correction 1); give this or `correction`.
        correction: the difference between the count and the divisor (1 by default).
        keepdim: keep the reduced dims with size 1.
        dtype: the result dtype (float32 for integer inputs by default).
        mask: a bool tensor broadcastable to `input`; None keeps all.
    """
    return _std_var(input, dim, unbiased, correction, keepdim, dtype, mask, take_sqrt=False)


def std(input: Tensor, dim: DimOrDims = None, unbiased: bool | None = None, *,
        correction: int | None = None, keepdim: bool | None = False, dtype=None,
        mask: Tensor | None = None) -> Tensor:
    """The standard deviation of the kept elements over `dim` (nan where all are
    masked out).

    Args:
        input: a tensor.
        dim: a dim or a sequence of dims (None or () reduces all).
        unbiased: Bessel's correction (True: correction 1); give this or `correction`.
        correction: the difference between the count and the divisor (1 by default).
        keepdim: keep the reduced dims with size 1.
        dtype: the result dtype (float32 for integer inputs by default).
        mask: a bool tensor broadcastable to `input`; None keeps all.
    """
    return _std_var(input, dim, unbiased, correction, keepdim, dtype, mask, take_sqrt=True)


def _normalized(fn: str, fill: str, input: Tensor, dim: int, dtype, mask) -> Tensor:
    """`nn.functional.<fn>` over `input` with masked-out elements set to `fill`'s identity."""
    from ..nn import functional as F

    dtype = input.dtype if dtype is None else dtype
    return getattr(F, fn)(fill_masked(fill, input, mask), _one_dim(dim, input.dim()), dtype=dtype)


def softmax(input: Tensor, dim: int, *, dtype=None, mask: Tensor | None = None) -> Tensor:
    """Softmax along `dim` over the kept elements (masked-out ones get 0; a fully
    masked-out slice gives nan).

    Args:
        input: a tensor.
        dim: the dim to normalize along.
        dtype: the dtype to compute in and return (the input's by default).
        mask: a bool tensor broadcastable to `input`; None keeps all.
    """
    return _normalized("softmax", "amax", input, dim, dtype, mask)


def log_softmax(input: Tensor, dim: int, *, dtype=None, mask: Tensor | None = None) -> Tensor:
    """Log-softmax along `dim` over the kept elements (masked-out ones get -inf).

    Args:
        input: a tensor.
        dim: the dim to normalize along.
        dtype: the dtype to compute in and return (the input's by default).
        mask: a bool tensor broadcastable to `input`; None keeps all.
    """
    return _normalized("log_softmax", "amax", input, dim, dtype, mask)


def softmin(input: Tensor, dim: int, *, dtype=None, mask: Tensor | None = None) -> Tensor:
    """Softmin along `dim` over the kept elements (masked-out ones get 0).

    Args:
        input: a tensor.
        dim: the dim to normalize along.
        dtype: the dtype to compute in and return (the input's by default).
        mask: a bool tensor broadcastable to `input`; None keeps all.
    """
    return _normalized("softmin", "amin", input, dim, dtype, mask)


def normalize(input: Tensor, ord: float, dim: int, *, eps: float = 1e-12, dtype=None,
              mask: Tensor | None = None) -> Tensor:
    """`input` divided by the `ord`-norm of its kept elements along `dim` (at least
    `eps`); masked-out elements become 0.

    Args:
        input: a tensor.
        ord: the order of the norm.
        dim: the dim to normalize along.
        eps: the smallest divisor.
        dtype: the dtype of the norm (the input's by default).
        mask: a bool tensor broadcastable to `input`; None keeps all.
    """
    fg = _fg()
    dtype = input.dtype if dtype is None else dtype
    filled = fill_masked("sum", input, mask)
    nrm = norm(input, ord, dim, keepdim=True, dtype=dtype, mask=mask)
    return fg.divide(filled, fg.maximum(nrm, nrm.new_full([], eps)))

