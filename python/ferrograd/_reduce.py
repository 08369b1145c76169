"""Reductions and scans along a dim, as module functions and Tensor methods.

`max`/`min` with a dim, `argmax`/`argmin`, `var`/`std` (and `var_mean`/`std_mean`),
`softmax`/`log_softmax`, `logsumexp`, `cumsum`/`cumprod`/`cummax`/`cummin`/
`logcumsumexp`, `sort`/`argsort`/`topk`/`kthvalue`/`median`/`mode`, `aminmax`,
`count_nonzero`, `nonzero`, `where(cond)`, `isclose`/`allclose`/`equal`, `unique`.
Ops returning values and indices give named tuples that print as PyTorch's
`torch.return_types.*` do.
"""

from __future__ import annotations

import builtins
import inspect
import math
import sys
import types
import warnings
from typing import Any

import numpy as np

from . import _core
from ._core import Tensor

__all__ = [
    "allclose",
    "aminmax",
    "argmax",
    "argmin",
    "argsort",
    "count_nonzero",
    "cummax",
    "cummin",
    "cumprod",
    "cumsum",
    "equal",
    "isclose",
    "kthvalue",
    "log_softmax",
    "logcumsumexp",
    "logsumexp",
    "max",
    "median",
    "min",
    "mode",
    "nonzero",
    "return_types",
    "softmax",
    "sort",
    "std",
    "std_mean",
    "topk",
    "unique",
    "var",
    "var_mean",
    "where",
]


class _ReturnType(tuple[Tensor, Tensor]):
    """A pair with named fields that prints like PyTorch's `torch.return_types.*`."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()

    def __new__(cls, values):
        return tuple.__new__(cls, values)

    def __repr__(self) -> str:
        body = ",\n".join(f"{n}={v!r}" for n, v in zip(self._fields, self, strict=True))
        return f"ferrograd.return_types.{type(self).__name__}(\n{body})"

    __str__ = __repr__

    def __reduce__(self):
        return (type(self), (tuple(self),))


class _ValuesIndices(_ReturnType):
    """(values, indices): what max/min/sort/topk/kthvalue/median/mode/cummax give."""

    __slots__ = ()
    values: Tensor
    indices: Tensor


class _MinMax(_ReturnType):
    """(min, max): what aminmax gives."""

    __slots__ = ()
    min: Tensor
    max: Tensor


def _return_type(name: str, base: type) -> type:
    fields = ("min", "max") if base is _MinMax else ("values", "indices")
    ns: dict = {"__slots__": (), "_fields": fields, "__module__": "ferrograd.return_types"}
    for i, f in enumerate(fields):
        ns[f] = property(lambda self, i=i: tuple.__getitem__(self, i))
    cls = type(name, (base,), ns)
    cls.__qualname__ = name
    return cls


return_types = types.ModuleType("ferrograd.return_types", "Named tuples returned by ops.")
for _name in ("max", "min", "sort", "topk", "kthvalue", "median", "mode", "cummax", "cummin"):
    setattr(return_types, _name, _return_type(_name, _ValuesIndices))
return_types.aminmax = _return_type("aminmax", _MinMax)  # type: ignore[attr-defined]
sys.modules["ferrograd.return_types"] = return_types


def _rt(name: str, pair: tuple[Tensor, Tensor]) -> Any:
    return getattr(return_types, name)(pair)


_Dims = int | tuple[int, ...] | list[int]

# ---- max / min / argmax / argmin ---------------------------------------------------


def _extreme(is_max: bool, input: Tensor, dim: int | Tensor | None, keepdim: bool, other: Tensor | None) -> Any:
    name = "max" if is_max else "min"
    if not isinstance(input, Tensor):
        raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    if isinstance(dim, Tensor):
        dim, other = None, dim
    if other is not None:
        return input.maximum(other) if is_max else input.minimum(other)
    if dim is None:
        if keepdim:
            raise TypeError(f"{name}() received an invalid combination of arguments - got (keepdim=bool)")
        return input._max_all() if is_max else input._min_all()
    return _rt(name, _core._max_dim(input, dim, keepdim, is_max))


def max(input: Tensor, dim: int | Tensor | None = None, keepdim: bool = False, *, other: Tensor | None = None) -> Any:
    """The largest element, (values, indices) along `dim`, or `maximum(input, other)`."""
    return _extreme(True, input, dim, keepdim, other)


def min(input: Tensor, dim: int | Tensor | None = None, keepdim: bool = False, *, other: Tensor | None = None) -> Any:
    """The smallest element, (values, indices) along `dim`, or `minimum(input, other)`."""
    return _extreme(False, input, dim, keepdim, other)


def argmax(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Indices of the largest elements along `dim` (of the flattened tensor for None)."""
    return _core._argmax(input, dim, keepdim, True)


def argmin(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Indices of the smallest elements along `dim` (of the flattened tensor for None)."""
    return _core._argmax(input, dim, keepdim, False)


# ---- var / std ---------------------------------------------------------------------


def _correction(fn: str, unbiased: bool | None, correction: float | None) -> float:
    if unbiased is not None and correction is not None:
        raise RuntimeError(f"{fn}: can't specify both unbiased and correction")
    if correction is not None:
        return builtins.float(correction)
    if unbiased is None:
        return 1.0
    return 1.0 if unbiased else 0.0


def _reduction_factor(t: Tensor, dim: _Dims | None) -> int:
    shape = tuple(t.shape)
    if dim is None or dim == () or dim == []:
        return math.prod(shape)
    dims = dim if isinstance(dim, (tuple, list)) else (dim,)
    n = builtins.max(len(shape), 1)
    return math.prod(shape[d % n] for d in dims) if shape else 1


def _moment(name: str, input: Tensor, dim, unbiased, keepdim: bool, correction, with_mean: bool) -> Any:
    if isinstance(dim, builtins.bool):
        dim, unbiased = None, dim
    c = _correction(name, unbiased, correction)
    out = _core._var_std(input, dim, c, keepdim, name.startswith("std"), with_mean)
    if _reduction_factor(input, dim) - c <= 0:
        warnings.warn(
            f"{name}(): degrees of freedom is <= 0. Correction should be strictly less than the "
            "reduction factor (input numel divided by output numel).",
            UserWarning,
            stacklevel=4 if sys._getframe(2).f_code is _METHOD_CODE else 3,
        )
    return tuple(out) if with_mean else out


def var(input: Tensor, dim: _Dims | bool | None = None, unbiased: bool | None = None, keepdim: bool = False, *,
        correction: float | None = None) -> Tensor:
    """Variance over all elements or `dim`, with Bessel's `correction` (1 by default)."""
    return _moment("var", input, dim, unbiased, keepdim, correction, False)


def std(input: Tensor, dim: _Dims | bool | None = None, unbiased: bool | None = None, keepdim: bool = False, *,
        correction: float | None = None) -> Tensor:
    """Standard deviation over all elements or `dim`, with Bessel's `correction`."""
    return _moment("std", input, dim, unbiased, keepdim, correction, False)


def var_mean(input: Tensor, dim: _Dims | bool | None = None, unbiased: bool | None = None, keepdim: bool = False, *,
             correction: float | None = None) -> tuple[Tensor, Tensor]:
    """(var, mean) over all elements or `dim`."""
    return _moment("var_mean", input, dim, unbiased, keepdim, correction, True)


def std_mean(input: Tensor, dim: _Dims | bool | None = None, unbiased: bool | None = None, keepdim: bool = False, *,
             correction: float | None = None) -> tuple[Tensor, Tensor]:
    """(std, mean) over all elements or `dim`."""
    return _moment("std_mean", input, dim, unbiased, keepdim, correction, True)


# ---- softmax / logsumexp / scans ---------------------------------------------------


def softmax(input: Tensor, dim: int, dtype: Any = None) -> Tensor:
    """exp(x) / sum(exp(x)) along `dim`, computed stably (after casting to `dtype`)."""
    return _core._softmax(input, dim, dtype, False)


def log_softmax(input: Tensor, dim: int, dtype: Any = None) -> Tensor:
    """log(softmax(x)) along `dim`, computed stably."""
    return _core._softmax(input, dim, dtype, True)


def logsumexp(input: Tensor, dim: _Dims, keepdim: bool = False) -> Tensor:
    """log(sum(exp(x))) over `dim` (all dims for `()`), computed stably."""
    return _core._logsumexp(input, dim, keepdim)


def cumsum(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
    """Running sum along `dim` (int64 for integer and bool inputs)."""
    return _core._cumsum(input, dim, dtype, False)


def cumprod(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
    """Running product along `dim`."""
    return _core._cumsum(input, dim, dtype, True)


def logcumsumexp(input: Tensor, dim: int) -> Tensor:
    """Running log(sum(exp(x))) along `dim`."""
    return _core._logcumsumexp(input, dim)


def cummax(input: Tensor, dim: int) -> _ValuesIndices:
    """Running maximum along `dim`: (values, indices)."""
    return _rt("cummax", _core._cummax(input, dim, True))


def cummin(input: Tensor, dim: int) -> _ValuesIndices:
    """Running minimum along `dim`: (values, indices)."""
    return _rt("cummin", _core._cummax(input, dim, False))


# ---- sorting and selection -----------------------------------------------------------


def sort(input: Tensor, dim: int = -1, descending: bool = False, **kwargs: Any) -> _ValuesIndices:
    """Sorted values along `dim` and their indices (NaN sorts as the largest); equal
    values end in PyTorch's CPU order (`stable=True` keeps them in input order).
    Passing `stable=` selects PyTorch's other overload (`SortBackward1`)."""
    bad = set(kwargs) - {"stable"}
    if bad:
        raise TypeError(f"sort() got an unexpected keyword argument '{builtins.min(bad)}'")
    stable = builtins.bool(kwargs.get("stable"))
    return _rt("sort", _core._sort(input, dim, descending, stable, "stable" in kwargs))


def argsort(input: Tensor, dim: int = -1, descending: bool = False, *, stable: bool = False) -> Tensor:
    """The indices that sort `input` along `dim`."""
    return _core._sort(input, dim, descending, stable, False)[1]


def topk(input: Tensor, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> _ValuesIndices:
    """The `k` largest (or smallest) elements along `dim`: (values, indices)."""
    return _rt("topk", _core._topk(input, k, dim, largest))


def kthvalue(input: Tensor, k: int, dim: int = -1, keepdim: bool = False) -> _ValuesIndices:
    """The `k`-th smallest element along `dim`: (values, indices)."""
    return _rt("kthvalue", _core._kthvalue(input, k, dim, keepdim))


def median(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Any:
    """The lower median of all elements, or (values, indices) along `dim`."""
    if dim is None:
        return _core._median_all(input)
    return _rt("median", _core._median_dim(input, dim, keepdim))


def mode(input: Tensor, dim: int = -1, keepdim: bool = False) -> _ValuesIndices:
    """The most frequent value along `dim` (the smallest on ties): (values, indices)."""
    return _rt("mode", _core._mode(input, dim, keepdim))


def aminmax(input: Tensor, *, dim: int | None = None, keepdim: bool = False) -> _MinMax:
    """(min, max) over all elements or along `dim`."""
    return _rt("aminmax", _core._aminmax(input, dim, keepdim))


def count_nonzero(input: Tensor, dim: _Dims | None = None) -> Tensor:
    """The number of nonzero elements, over everything or `dim`."""
    return _core._count_nonzero(input, dim)


def nonzero(input: Tensor, *, out: None = None, as_tuple: bool = False) -> Any:
    """Indices of the nonzero elements: an [n, ndim] int64 tensor, or one tensor per dim."""
    if not as_tuple:
        return _core._nonzero(input)
    if input.dim() == 0:
        return (_core._nonzero(input.reshape(1))[:, 0].contiguous(),)
    nz = _core._nonzero(input)
    return tuple(nz[:, i].contiguous() for i in range(input.dim()))


def where(condition: Tensor, input: Any = None, other: Any = None) -> Any:
    """Elements of `input` where `condition`, else of `other`; with the condition alone,
    `nonzero(condition, as_tuple=True)`."""
    if input is None and other is None:
        return nonzero(condition, as_tuple=True)
    _check_where_number(input, other)
    _check_where_number(other, input)
    return _core._where(condition, input, other)


def _check_where_number(number: Any, tensor: Any) -> None:
    """PyTorch's overflow error for a Python number that `where` converts to the other
    operand's dtype."""
    if isinstance(number, (int, float)) and not isinstance(number, bool) and isinstance(tensor, Tensor):
        _core._check_scalar(number, _core._result_type(tensor, number))


# ---- comparisons ---------------------------------------------------------------------

_KERNEL_NAMES = {"float32": "Float", "float64": "Double", "int64": "Long", "bool": "Bool"}


def _kernel_name(t: Tensor) -> str:
    return _KERNEL_NAMES[repr(t.dtype).split(".", 1)[1]]


def isclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> Tensor:
    """|input - other| <= atol + rtol * |other| elementwise (infinities equal themselves)."""
    if input.dtype != other.dtype:
        raise RuntimeError(f"{_kernel_name(input)} did not match {_kernel_name(other)}")
    if rtol < 0:
        raise RuntimeError(f"rtol must be greater than or equal to zero, but got {rtol}")
    if atol < 0:
        raise RuntimeError(f"atol must be greater than or equal to zero, but got {atol}")
    a, b = input.detach(), other.detach()
    close = a.eq(b)
    if a.dtype != _core.bool:
        af, bf = a.double(), b.double()
        diff = (af - bf).abs()
        finite = diff.isnan().logical_not() & diff.ne(math.inf)
        close = close | (finite & diff.le(bf.abs() * rtol + atol))
        if equal_nan:
            close = close | (af.isnan() & bf.isnan())
    return close


def allclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> bool:
    """Whether every element of `input` is close to `other` (see `isclose`)."""
    return builtins.bool(isclose(input, other, rtol, atol, equal_nan).all())


def equal(input: Tensor, other: Tensor) -> bool:
    """Whether both tensors have the same shape and elements."""
    if tuple(input.shape) != tuple(other.shape):
        return False
    return builtins.bool(input.detach().eq(other.detach()).all())


def unique(input: Tensor, sorted: bool = True, return_inverse: bool = False, return_counts: bool = False,
           dim: int | None = None) -> Any:
    """The distinct elements (sorted), with the inverse indices and counts when asked."""
    from ._creation import tensor

    a = input.detach().numpy()
    if dim is not None:
        d = dim + a.ndim if dim < 0 else dim
        if not 0 <= d < builtins.max(a.ndim, 1):
            raise IndexError(f"Dimension out of range (expected to be in range of [{-a.ndim}, {a.ndim - 1}], "
                             f"but got {dim})")
        values, inverse, counts = np.unique(a, axis=d, return_inverse=True, return_counts=True)
        out = tensor(values, dtype=input.dtype)
        extra = []
        if return_inverse:
            extra.append(tensor(inverse.reshape(-1).astype(np.int64)))
        if return_counts:
            extra.append(tensor(counts.astype(np.int64)))
        return (out, *extra) if extra else out
    values, inverse, counts = np.unique(a.reshape(-1), return_inverse=True, return_counts=True, equal_nan=False)
    out = tensor(values, dtype=input.dtype)
    extra = []
    if return_inverse:
        extra.append(tensor(inverse.reshape(a.shape).astype(np.int64)))
    if return_counts:
        extra.append(tensor(counts.astype(np.int64)))
    return (out, *extra) if extra else out


def _as_method(fn: Any) -> Any:
    """`fn` as a Tensor method whose signature names its first parameter `self`."""

    def method(self: Tensor, *args: Any, **kwargs: Any) -> Any:
        return fn(self, *args, **kwargs)

    sig = inspect.signature(fn)
    params = list(sig.parameters.values())
    params[0] = params[0].replace(name="self")
    method.__signature__ = sig.replace(parameters=params)  # type: ignore[attr-defined]
    method.__name__ = fn.__name__
    method.__qualname__ = f"Tensor.{fn.__name__}"
    method.__doc__ = fn.__doc__
    return method


_METHOD_CODE = _as_method(var).__code__  # the wrapper's frame, skipped by warnings


def _install() -> None:
    T: Any = Tensor
    for fn in (max, min, argmax, argmin, var, std, softmax, log_softmax, logsumexp, cumsum, cumprod,
               logcumsumexp, cummax, cummin, sort, argsort, topk, kthvalue, median, mode, aminmax,
               count_nonzero, nonzero, isclose, allclose, equal, unique):
        setattr(T, fn.__name__, _as_method(fn))


_install()
