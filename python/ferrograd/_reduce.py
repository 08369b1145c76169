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
import contextvars
import functools
import inspect
import math
import numbers
import sys
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import _core
from . import _saved_values as saved_values
from ._argcheck import OMITTED, need_bool, need_int64, need_number, type_name, unpack_scalar_int
from ._argcheck import dim_error as _dim_error
from ._argcheck import need_tensor as _need_tensor
from ._broadcast_first import refuse_unbroadcastable
from ._core import Tensor
from ._dtype_names import scalar_name
from ._layouts import is_quantized
from ._numpy import is_ndarray, np
from ._parser_check import refusal
from ._parser_position import for_method
from ._return_types import result as _rt
from ._return_types import return_types

if TYPE_CHECKING:
    from ._return_types import _MinMax, _ValuesIndices
from ._shell_dtypes import is_float8, refuse_complex32, refuse_float8

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


_Dims = int | tuple[int, ...] | list[int]

# ---- max / min / argmax / argmin ---------------------------------------------------


def _extreme(is_max: bool, input: Tensor, dim: int | Tensor | None, keepdim: bool, other: Tensor | None) -> Any:
    name = "max" if is_max else "min"
    if not isinstance(input, Tensor):
        raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    if not isinstance(keepdim, builtins.bool) and type(keepdim).__name__ != "bool_":  # bool_: NumPy's
        raise TypeError(f"{name}(): argument 'keepdim' must be bool, not {type_name(keepdim)}")
    if is_ndarray(dim) or is_ndarray(other):  # PyTorch's parser takes no array (an int one is no dim)
        from ._parser_check import parser_error

        error = parser_error(name, (input, dim) if other is None else (input,), {} if other is None else {"other": other})
        if error is not None:
            raise error
    if isinstance(dim, Tensor) and keepdim:
        # only the (int dim, bool keepdim) overload takes keepdim: a tensor must be a 0-dim int
        if dim.dim() != 0 or dim.dtype.is_floating_point or dim.dtype.is_complex or dim.dtype == _core.bool:
            raise TypeError(f"{name}(): argument 'dim' (position 1) must be int, not Tensor")
        dim = builtins.int(dim)
    if isinstance(dim, Tensor):
        dim, other = None, dim
    if is_quantized(input):  # the quantized class's own
        return getattr(input, name)(*(() if other is None and dim is None else (other,) if dim is None else
                                      (dim, keepdim)))
    if other is not None:
        return input.maximum(other) if is_max else input.minimum(other)
    if dim is None:
        if keepdim:
            raise TypeError(f"{name}() received an invalid combination of arguments - got (keepdim=bool)")
        try:
            return input._max_all() if is_max else input._min_all()
        except NotImplementedError:
            from ._complex import refuse_complex

            refuse_complex(input, f"{name}_all")  # PyTorch's kernel name for the whole-tensor reduction
            raise
    return _rt(name, _core._max_dim(input, dim, keepdim, is_max))


def max(input: Tensor, dim: int | Tensor | None = None, keepdim: bool = False, *, other: Tensor | None = None) -> Any:
    """The largest element of `input`, the largest values and their indices along `dim`,
    or the elementwise maximum with `other`.

    Args:
        input: the input tensor.
        dim: the dimension to reduce, giving `(values, indices)`; None for the largest
            of all elements (a 0-d tensor).
        keepdim: keep the reduced dimension with size 1 (only with `dim`).
        other: a tensor: then the result is the elementwise maximum of `input` and
            `other` (also accepted in `dim`'s place).
    """
    return _extreme(True, input, dim, keepdim, other)


def min(input: Tensor, dim: int | Tensor | None = None, keepdim: bool = False, *, other: Tensor | None = None) -> Any:
    """The smallest element of `input`, the smallest values and their indices along
    `dim`, or the elementwise minimum with `other`.

    Args:
        input: the input tensor.
        dim: the dimension to reduce, giving `(values, indices)`; None for the smallest
            of all elements (a 0-d tensor).
        keepdim: keep the reduced dimension with size 1 (only with `dim`).
        other: a tensor: then the result is the elementwise minimum of `input` and
            `other` (also accepted in `dim`'s place).
    """
    return _extreme(False, input, dim, keepdim, other)


def argmax(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """The int64 indices of the largest elements along `dim` (the first one on ties; NaN
    counts as largest).

    Args:
        input: the input tensor.
        dim: the dimension to reduce; None for the index of the largest element of the
            flattened tensor.
        keepdim: keep the reduced dimension with size 1.
    """
    return _core._argmax(input, dim, keepdim, True)


def argmin(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """The int64 indices of the smallest elements along `dim` (the first one on ties;
    NaN counts as smallest).

    Args:
        input: the input tensor.
        dim: the dimension to reduce; None for the index of the smallest element of the
            flattened tensor.
        keepdim: keep the reduced dimension with size 1.
    """
    return _core._argmax(input, dim, keepdim, False)


# ---- var / std ---------------------------------------------------------------------


def _correction(fn: str, unbiased: bool | None, correction: float | None) -> float:
    if unbiased is not None and correction is not None:
        raise RuntimeError(f"{fn}: can't specify both unbiased and correction")
    if correction is not None:
        if isinstance(correction, int):
            unpack_scalar_int(correction)  # a Scalar: past uint64 (or below int64) it does not convert
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
    reduced = {d % n for d in dims}
    # PyTorch's factor is the input's numel over the result's (at least 1): 0 when the
    # input is empty, whichever dims are reduced
    kept = math.prod(size for k, size in enumerate(shape) if k not in reduced)
    return math.prod(shape) // builtins.max(kept, 1)


_MOMENT_NODES = {"std": "StdBackward0", "var": "VarBackward0", "std_mean": "StdMeanBackward0",
                 "var_mean": "VarMeanBackward0"}


def _moment(name: str, input: Tensor, dim, unbiased, keepdim: bool, correction, with_mean: bool) -> Any:
    if isinstance(dim, builtins.bool):
        dim, unbiased = None, dim
    if isinstance(dim, Tensor) and dim.dim() == 0 and not (dim.dtype.is_floating_point or dim.dtype.is_complex):
        dim = builtins.int(dim)  # PyTorch's parser reads a 0-dim integer tensor as an int
    c = _correction(name, unbiased, correction)
    if name == "std" and is_quantized(input):
        return input.std(dim, correction=c, keepdim=keepdim)
    if is_float8(input):
        _refuse_float8_moment(input, dim, keepdim, with_mean)
    out = _core._var_std(input, dim, c, keepdim, name.startswith("std"), with_mean)
    first = out[0] if with_mean else out
    if first.grad_fn is not None:
        # PyTorch's node shows None for a call with none of dim, unbiased, correction
        if correction is None and unbiased is not None:
            correction = 1 if unbiased else 0
        elif correction is None and (dim is not None or _DIM_GIVEN.get()):
            correction = 1
        saved_values.keep(first, _MOMENT_NODES[name],
                          {"correction": correction, "dim": saved_values.c_dims(dim), "keepdim": keepdim})
    if _reduction_factor(input, dim) - c <= 0:
        warnings.warn(
            f"{name}(): degrees of freedom is <= 0. Correction should be strictly less than the "
            "reduction factor (input numel divided by output numel).",
            UserWarning,
            stacklevel=4 if sys._getframe(2).f_code is _METHOD_CODE else 3,
        )
    return tuple(out) if with_mean else out


def _valid_dims(t: Tensor, dim) -> bool:
    if dim is None or isinstance(dim, (tuple, list)) and not dim:
        return True
    dims = dim if isinstance(dim, (tuple, list)) else (dim,)
    n = builtins.max(t.dim(), 1)
    if not all(isinstance(d, builtins.int) and -n <= d < n for d in dims):
        return False
    return len({d % n for d in dims}) == len(dims)


def _refuse_float8_moment(input: Tensor, dim, keepdim: bool, with_mean: bool) -> None:
    """PyTorch's refusal of var/std for an 8-bit float: a reduction to one element takes
    its all-elements kernel (a RuntimeError); others, and var_mean/std_mean, std_cpu. An
    empty input reaches no kernel (its result is NaN)."""
    if input.numel() == 0 or not _valid_dims(input, dim):
        return  # the core's error for the dims comes first
    if not with_mean and _reduction_factor(input, dim) == input.numel():
        raise RuntimeError(f"std_var_all: Unsupported dtype {scalar_name(input.dtype)}")
    refuse_float8("std_cpu", input)


# Whether the running var/std call was given `dim` (None included): PyTorch's `dim`
# overload then stores its default correction, 1, where the plain call stores None.
_DIM_GIVEN: contextvars.ContextVar[bool] = contextvars.ContextVar("_DIM_GIVEN", default=False)


def _bool_dim_only_positional(fn: Any) -> Any:
    """A bool in `dim`'s place is PyTorch's `unbiased` overload only when passed by
    position; `dim=True` matches no overload."""

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        if isinstance(kwargs.get("dim"), bool):
            raise TypeError(f"{fn.__name__}() received an invalid combination of arguments - got (dim=bool, )")
        unbiased = kwargs["unbiased"] if "unbiased" in kwargs else args[2] if len(args) > 2 else None
        if unbiased is not None and type(unbiased) is not builtins.bool:  # NumPy's bool too, as PyTorch
            from ._parser_check import parser_error

            if sys._getframe(1).f_code is _METHOD_CODE:
                error = parser_error(f"Tensor.{fn.__name__}", args[1:], kwargs)
            else:
                error = parser_error(fn.__name__, args, kwargs)
            if error is not None:
                raise error
        if len(args) < 2 and "dim" not in kwargs:
            return fn(*args, **kwargs)
        token = _DIM_GIVEN.set(True)
        try:
            return fn(*args, **kwargs)
        finally:
            _DIM_GIVEN.reset(token)

    return call


@_bool_dim_only_positional
def var(input: Tensor, dim: _Dims | bool | None = None, unbiased: bool | None = None, keepdim: bool = False, *,
        correction: float | None = None) -> Tensor:
    """The variance of the elements, over all of them or over `dim`.

    Args:
        input: the input tensor.
        dim: a dimension or tuple of dimensions; None for all. A bool here is read as
            `unbiased`.
        unbiased: True (the default) to divide by N - 1, False to divide by N; the older
            spelling of `correction`.
        keepdim: keep reduced dimensions with size 1.
        correction: divide by N - correction (default 1, Bessel's correction); not
            together with `unbiased`.
    """
    if unbiased is not None:
        need_bool("var", "unbiased", 3, unbiased)
    return _moment("var", input, dim, unbiased, keepdim, correction, False)


@_bool_dim_only_positional
def std(input: Tensor, dim: _Dims | bool | None = None, unbiased: bool | None = None, keepdim: bool = False, *,
        correction: float | None = None) -> Tensor:
    """The standard deviation of the elements, over all of them or over `dim`.

    Args:
        input: the input tensor.
        dim: a dimension or tuple of dimensions; None for all. A bool here is read as
            `unbiased`.
        unbiased: True (the default) to divide by N - 1, False to divide by N; the older
            spelling of `correction`.
        keepdim: keep reduced dimensions with size 1.
        correction: divide by N - correction (default 1, Bessel's correction); not
            together with `unbiased`.
    """
    if unbiased is not None:
        need_bool("std", "unbiased", 3, unbiased)
    return _moment("std", input, dim, unbiased, keepdim, correction, False)


@_bool_dim_only_positional
def var_mean(input: Tensor, dim: _Dims | bool | None = None, unbiased: bool | None = None, keepdim: bool = False, *,
             correction: float | None = None) -> tuple[Tensor, Tensor]:
    """The variance and the mean of the elements, as `(var, mean)`, over all of them or
    over `dim`.

    Args:
        input: the input tensor.
        dim: a dimension or tuple of dimensions; None for all. A bool here is read as
            `unbiased`.
        unbiased: True (the default) to divide by N - 1, False to divide by N; the older
            spelling of `correction`.
        keepdim: keep reduced dimensions with size 1.
        correction: divide by N - correction (default 1, Bessel's correction); not
            together with `unbiased`.
    """
    return _moment("var_mean", input, dim, unbiased, keepdim, correction, True)


@_bool_dim_only_positional
def std_mean(input: Tensor, dim: _Dims | bool | None = None, unbiased: bool | None = None, keepdim: bool = False, *,
             correction: float | None = None) -> tuple[Tensor, Tensor]:
    """The standard deviation and the mean of the elements, as `(std, mean)`, over all
    of them or over `dim`.

    Args:
        input: the input tensor.
        dim: a dimension or tuple of dimensions; None for all. A bool here is read as
            `unbiased`.
        unbiased: True (the default) to divide by N - 1, False to divide by N; the older
            spelling of `correction`.
        keepdim: keep reduced dimensions with size 1.
        correction: divide by N - correction (default 1, Bessel's correction); not
            together with `unbiased`.
    """
    return _moment("std_mean", input, dim, unbiased, keepdim, correction, True)


# ---- softmax / logsumexp / scans ---------------------------------------------------


def check_softmax_dtype(name: str, dtype: Any, input: Any = None, dim: Any = None) -> None:
    """PyTorch's softmax kernels run only in floating dtypes; a `dtype` of another kind is
    their NotImplementedError, naming the kernel of the last dim where `dim` is the last.
    A dim out of range is left to the core (PyTorch's IndexError comes first)."""
    from ._python_dtypes import python_type_dtype

    dtype = python_type_dtype(dtype)
    if isinstance(dtype, _core.dtype) and not dtype.is_floating_point:
        from ._dtype_names import scalar_name

        kernel = f"{name}_kernel_impl"
        if isinstance(input, Tensor) and isinstance(dim, int):
            rank = input.dim() or 1  # a 0-dim tensor softmaxes as one of one element
            if not -rank <= dim < rank:
                return
            if dim % rank == rank - 1:
                kernel = f"{name}_lastdim_kernel_impl"
        raise NotImplementedError(f'"{kernel}" not implemented for \'{scalar_name(dtype)}\'')


def softmax(input: Tensor, dim: int, dtype: Any = None) -> Tensor:
    """Softmax along `dim`: `exp(x) / sum(exp(x))`, computed stably; the slices along
    `dim` sum to 1.

    Args:
        input: the input tensor.
        dim: the dimension along which the values are normalized.
        dtype: cast the input to this dtype first, and return it; None to keep the
            input's.
    """
    try:
        check_softmax_dtype("softmax", dtype, input, dim)
        return _core._softmax(input, dim, dtype, False)
    except (TypeError, AttributeError) as failure:
        raise refusal("softmax", (input, dim), {} if dtype is None else {"dtype": dtype}, failure) from None


def log_softmax(input: Tensor, dim: int, dtype: Any = None) -> Tensor:
    """Log-softmax along `dim`: `x - logsumexp(x)`, computed stably.

    Args:
        input: the input tensor.
        dim: the dimension along which the values are normalized.
        dtype: cast the input to this dtype first, and return it; None to keep the
            input's.
    """
    try:
        check_softmax_dtype("log_softmax", dtype, input, dim)
        return _core._softmax(input, dim, dtype, True)
    except (TypeError, AttributeError) as failure:
        raise refusal("log_softmax", (input, dim), {} if dtype is None else {"dtype": dtype}, failure) from None


def logsumexp(input: Tensor, dim: _Dims, keepdim: bool = False) -> Tensor:
    """`log(sum(exp(x)))` over `dim`, computed stably.

    Args:
        input: the input tensor.
        dim: a dimension or tuple of dimensions; () for all.
        keepdim: keep reduced dimensions with size 1.
    """
    if isinstance(dim, (list, tuple)) and not dim and not keepdim and isinstance(input, Tensor) and (
        input.dim() > 0 and input.numel() > 0
    ):
        # PyTorch adds the kept-dim maxima back in place into the all-dims result
        raise RuntimeError(f"output with shape [] doesn't match the broadcast shape {[1] * input.dim()}")
    if isinstance(input, Tensor) and input.numel() == 0:
        refuse_float8("exp_vml_cpu", input)  # PyTorch's empty input goes straight to exp
    out = _core._logsumexp(input, dim, keepdim)
    refuse_float8("max_values_cpu", input)  # PyTorch takes the maximum first
    return out


def _refuse_bool_scan(name: str, dtype: Any) -> None:
    """PyTorch's running sum and product have no bool kernel to accumulate in."""
    from ._python_dtypes import python_type_dtype

    if python_type_dtype(dtype) is _core.bool:
        raise NotImplementedError(f'"{name}_out_cpu" not implemented for \'Bool\'')


def _scan_kernel_runs(input: Any, dim: Any) -> bool:
    """Whether PyTorch's cumsum/cumprod kernel runs (and refuses a bool dtype): not on a
    0-dim or empty input, which it copies, and not before a dim out of range is refused."""
    if not isinstance(input, Tensor):
        return True
    n = input.dim()
    rank = builtins.max(n, 1)
    if isinstance(dim, builtins.int) and not -rank <= dim < rank:
        return False  # the core's IndexError comes first
    return n > 0 and input.numel() > 0


def cumsum(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
    """The running sum along `dim` (int64 for integer and bool inputs).

    Args:
        input: the input tensor.
        dim: the dimension to accumulate along.
        dtype: cast the input to this dtype first, and return it; None for the default.
    """
    if _scan_kernel_runs(input, dim):
        _refuse_bool_scan("cumsum", dtype)
    return _core._cumsum(input, dim, dtype, False)


def cumprod(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
    """The running product along `dim` (int64 for integer and bool inputs).

    Args:
        input: the input tensor.
        dim: the dimension to accumulate along.
        dtype: cast the input to this dtype first, and return it; None for the default.
    """
    if _scan_kernel_runs(input, dim):
        _refuse_bool_scan("cumprod", dtype)
    return _core._cumsum(input, dim, dtype, True)


def logcumsumexp(input: Tensor, dim: int) -> Tensor:
    """The running `log(sum(exp(x)))` along `dim`, computed stably.

    Args:
        input: a floating-point tensor.
        dim: the dimension to accumulate along.
    """
    n = builtins.max(input.dim(), 1)
    if isinstance(dim, int) and not -n <= dim < n:  # checked before the dtype, as PyTorch
        raise _dim_error(dim, f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
    out = _core._logcumsumexp(input, dim)
    return saved_values.keep_more(out, "LogcumsumexpBackward0", {"dim": saved_values.c_int(dim)})


def _empty_complex(input: Any, kernel: Callable) -> tuple:
    """`kernel(input)` -> (values, indices); for an empty complex input, which PyTorch's
    kernels (real only) never run on, the result of its real part with the values back
    in the complex dtype."""
    if isinstance(input, Tensor) and input.dtype.is_complex and input.numel() == 0:
        values, indices = kernel(input.real)
        return values.to(input.dtype), indices
    return kernel(input)


def _check_scalar_scan_dim(name: str, input: Any, dim: Any) -> None:
    """cummax/cummin name a 0-d input's bad dim their own way."""
    if isinstance(input, Tensor) and input.dim() == 0 and type(dim) is int and dim not in (-1, 0):
        raise IndexError(f"{name}(): Expected reduction dim -1 or 0 for scalar but got {dim}")


def cummax(input: Tensor, dim: int) -> _ValuesIndices:
    """The running maximum along `dim`, as `(values, indices)` (the index of the latest
    maximum).

    Args:
        input: the input tensor.
        dim: the dimension to accumulate along.
    """
    _check_scalar_scan_dim("cummax", input, dim)
    out = _rt("cummax", _empty_complex(input, lambda x: _core._cummax(x, dim, True)))
    saved_values.keep_more(out[0], "CummaxBackward0", {"self": input})
    return out


def cummin(input: Tensor, dim: int) -> _ValuesIndices:
    """The running minimum along `dim`, as `(values, indices)` (the index of the latest
    minimum).

    Args:
        input: the input tensor.
        dim: the dimension to accumulate along.
    """
    _check_scalar_scan_dim("cummin", input, dim)
    out = _rt("cummin", _empty_complex(input, lambda x: _core._cummax(x, dim, False)))
    saved_values.keep_more(out[0], "CumminBackward0", {"self": input})
    return out


# ---- sorting and selection -----------------------------------------------------------


def _stable_by_keyword_alone(fn: Any, qualified: str = "") -> Any:
    """`fn` refusing, as PyTorch's parser does, `stable` with `dim` or `descending` given
    by position: the overload taking `stable` takes those two as keywords only.
    `qualified`: the parser's name for `fn` ("Tensor.sort" for the method)."""
    qualified = qualified or fn.__name__
    receiver_counted = not qualified.startswith("Tensor.")

    @functools.wraps(fn)
    def checked(input: Tensor, *args: Any, **kwargs: Any) -> Any:
        if args and "stable" in kwargs:
            from ._parser_check import parser_error

            error = parser_error(qualified, (input, *args) if receiver_counted else args, kwargs)
            if error is not None:
                raise error
        return fn(input, *args, **kwargs)

    return checked


@_stable_by_keyword_alone
def sort(input: Tensor, dim: int = -1, descending: bool = False, **kwargs: Any) -> _ValuesIndices:
    """The values sorted along `dim` and their indices, as `(values, indices)`; NaN sorts
    as the largest. Equal values end in PyTorch's CPU order.

    Args:
        input: the input tensor.
        dim: the dimension to sort along (default the last).
        descending: sort from largest to smallest.
        stable: keyword only; True keeps equal values in input order. Passing it at all
            selects PyTorch's other overload (grad_fn `SortBackward1`).
    """
    bad = set(kwargs) - {"stable"}
    if bad:
        raise TypeError(f"sort() got an unexpected keyword argument '{builtins.min(bad)}'")
    stable = builtins.bool(kwargs.get("stable"))
    if is_quantized(input):
        return input.sort(dim=dim, descending=descending, **kwargs)
    return _rt("sort", _core._sort(input, dim, descending, stable, "stable" in kwargs))


@_stable_by_keyword_alone
def argsort(input: Tensor, dim: int = -1, descending: bool = False, *, stable: bool = False) -> Tensor:
    """The int64 indices that sort `input` along `dim`.

    Args:
        input: the input tensor.
        dim: the dimension to sort along (default the last).
        descending: sort from largest to smallest.
        stable: keep equal values in input order.
    """
    if is_quantized(input):
        return input.argsort(dim=dim, descending=descending, stable=stable)
    return _core._sort(input, dim, descending, stable, False)[1]


def topk(input: Tensor, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> _ValuesIndices:
    """The `k` largest (or smallest) elements along `dim`, as `(values, indices)`.

    Args:
        input: the input tensor.
        k: how many elements.
        dim: the dimension to select along (default the last).
        largest: True for the largest elements, False for the smallest.
        sorted: accepted for PyTorch compatibility: the results always come sorted.
    """
    if is_quantized(input):
        return input.topk(k, dim, largest, sorted)
    try:
        values_indices = _core._topk(input, k, dim, largest)
    except TypeError:
        need_bool("topk", "largest", 4, largest)  # the core's own words otherwise
        raise
    if sorted is not True and sorted is not False:
        need_bool("topk", "sorted", 5, sorted)
    return _rt("topk", values_indices)


def kthvalue(input: Tensor, k: int, dim: int = -1, keepdim: bool = False) -> _ValuesIndices:
    """The `k`-th smallest element along `dim` (k counts from 1), as `(values,
    indices)`.

    Args:
        input: the input tensor.
        k: the rank, from 1.
        dim: the dimension to select along (default the last).
        keepdim: keep the reduced dimension with size 1.
    """
    return _rt("kthvalue", _core._kthvalue(input, k, dim, keepdim))


def median(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Any:
    """The lower median of all elements (a 0-d tensor), or `(values, indices)` along
    `dim`; NaN propagates.

    Args:
        input: the input tensor.
        dim: the dimension to reduce; None for all elements.
        keepdim: keep the reduced dimension with size 1 (with `dim`).
    """
    if dim is None:
        if is_float8(input) and not input.numel():
            return _core._median_all(input.float()).to(input.dtype)  # NaN, with no kernel run
        return _core._median_all(input)
    try:
        out = _core._median_dim(input, dim, keepdim)
    except NotImplementedError as error:
        refuse_float8("median_out", input)  # the core names its all-elements kernel
        raise NotImplementedError(str(error).replace('"median_cpu"', '"median_out"')) from None
    refuse_float8("median_out", input)
    return _rt("median", out)


def mode(input: Tensor, dim: int = -1, keepdim: bool = False) -> _ValuesIndices:
    """The most frequent value along `dim` (the smallest on ties), as `(values,
    indices)`.

    Args:
        input: the input tensor.
        dim: the dimension to reduce (default the last).
        keepdim: keep the reduced dimension with size 1.
    """
    return _rt("mode", _empty_complex(input, lambda x: _core._mode(x, dim, keepdim)))


def aminmax(input: Tensor, *, dim: int | None = None, keepdim: bool = False) -> _MinMax:
    """The minimum and maximum, as `(min, max)`, over all elements or along `dim`.

    Args:
        input: the input tensor.
        dim: the dimension to reduce; None for all.
        keepdim: keep reduced dimensions with size 1.
    """
    return _rt("aminmax", _core._aminmax(input, dim, keepdim))


def count_nonzero(input: Tensor, dim: _Dims | None = None) -> Tensor:
    """The number of nonzero elements (int64), over all of them or over `dim`.

    Args:
        input: the input tensor.
        dim: a dimension or tuple of dimensions; None for all.
    """
    return _core._count_nonzero(input, dim)


def nonzero(input: Tensor, *, out: None = None, as_tuple: bool = False) -> Any:
    """The indices of the nonzero elements, in row-major order.

    Args:
        input: the input tensor.
        out: an optional tensor the result is written into and returned (resized when it has no elements).
        as_tuple: False (default) for one int64 tensor of shape (n, input.dim()); True
            for a tuple of one 1-D index tensor per dimension.
    """
    need_bool("nonzero", "as_tuple", None, as_tuple)
    if not as_tuple:
        return _core._nonzero(input)
    if input.dim() == 0:
        return (_core._nonzero(input.reshape(1))[:, 0].contiguous(),)
    nz = _core._nonzero(input)
    return tuple(nz[:, i].contiguous() for i in range(input.dim()))


def _check_where_operands(condition: Any, input: Any, other: Any) -> None:
    if input is None or other is None or (input is OMITTED) != (other is OMITTED) or not (
        isinstance(input, (Tensor, numbers.Number)) and isinstance(other, (Tensor, numbers.Number))
    ):
        from ._parser_check import parser_error

        given = tuple(a for a in (condition, input, other) if a is not OMITTED)
        error = parser_error("where", given, {})
        if error is not None:
            raise error


def where(condition: Tensor, input: Any = OMITTED, other: Any = OMITTED) -> Any:
    """Elements of `input` where `condition` is true, else of `other`, with broadcasting
    and type promotion; with the condition alone, `nonzero(condition, as_tuple=True)`.

    Args:
        condition: a bool tensor.
        input: the values where `condition` holds (tensor or number).
        other: the values elsewhere (tensor or number).
    """
    if input is OMITTED and other is OMITTED:
        return nonzero(condition, as_tuple=True)
    if is_quantized(input) or is_quantized(other):
        _refuse_quantized_where(input, other)
    _check_where_operands(condition, input, other)
    _check_where_number(input, other)
    _check_where_number(other, input)
    if isinstance(condition, Tensor) and condition.dtype == _core.uint8:
        warnings.warn("where received a uint8 condition tensor. This behavior is deprecated and will be removed in a "
                      "future version of PyTorch. Use a boolean condition instead.", UserWarning, stacklevel=2)
        condition = condition.bool()
    return _core._where(condition, input, other)


def _refuse_quantized_where(input: Any, other: Any) -> None:
    """PyTorch's errors for `where` with a quantized operand: no kernel beside a tensor,
    its type-promotion error beside a number."""
    from ._quantized import promote_error
    from ._sparse_strided import no_kernel

    if isinstance(input, Tensor) and isinstance(other, Tensor):
        raise no_kernel("where.self", "QuantizedCPU")
    quantized = input if is_quantized(input) else other
    from ._creation import tensor

    raise promote_error(quantized, tensor(0.0))


def _check_where_number(number: Any, tensor: Any) -> None:
    """PyTorch's overflow error for a Python number that `where` converts to the other
    operand's dtype."""
    if isinstance(number, (int, float)) and not isinstance(number, bool) and isinstance(tensor, Tensor):
        _core._check_scalar(number, _core._result_type(tensor, number))


# ---- comparisons ---------------------------------------------------------------------

def _kernel_name(t: Tensor) -> str:
    return scalar_name(t.dtype)


def isclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> Tensor:
    """A bool tensor, True where `|input - other| <= atol + rtol * |other|` (with
    broadcasting; infinities equal themselves).

    Args:
        input: the first tensor.
        other: the second tensor, of the same dtype.
        rtol: the relative tolerance (default 1e-05).
        atol: the absolute tolerance (default 1e-08).
        equal_nan: count two NaN as equal.
    """
    need_number("isclose", "rtol", 3, rtol)
    need_number("isclose", "atol", 4, atol)
    for pos, (arg, value) in enumerate((("input", input), ("other", other)), 1):
        if not isinstance(value, Tensor):
            raise TypeError(f"isclose(): argument '{arg}' (position {pos}) must be Tensor, not {type(value).__name__}")
    if input.dtype != other.dtype:
        raise RuntimeError(f"{_kernel_name(input)} did not match {_kernel_name(other)}")
    # PyTorch reads both as doubles (an int past int64 too) and prints them as C++ does
    rtol, atol = (float(v) if isinstance(v, int) else v for v in (rtol, atol))
    if not rtol >= 0:  # a NaN too
        raise RuntimeError(f"rtol must be greater than or equal to zero, but got {rtol:g}")
    if not atol >= 0:
        raise RuntimeError(f"atol must be greater than or equal to zero, but got {atol:g}")
    refuse_unbroadcastable(input, other)
    refuse_float8("mul_cpu_reduced_float", input)  # PyTorch's isclose multiplies by rtol first
    a, b = input.detach(), other.detach()
    if a.dtype in _ISCLOSE_IN_DTYPE and (rtol or atol):
        return _isclose_in_dtype(a, b, float(rtol), float(atol), builtins.bool(equal_nan))
    fast = _core._isclose(a, b, float(rtol), float(atol), builtins.bool(equal_nan))
    if fast is not None:
        return fast
    close = a.eq(b)
    if a.dtype != _core.bool:
        wide = _core.complex128 if a.dtype.is_complex else _core.float64
        af, bf = a.to(wide), b.to(wide)
        diff = (af - bf).abs()
        finite = diff.isnan().logical_not() & diff.ne(math.inf)
        close = close | (finite & diff.le(bf.abs() * rtol + atol))
        if equal_nan:
            close = close | (_isnan(af) & _isnan(bf))
    return close


_ISCLOSE_IN_DTYPE = frozenset({_core.float16, _core.bfloat16, _core.bool})


def _isclose_in_dtype(a: Tensor, b: Tensor, rtol: float, atol: float, equal_nan: bool) -> Tensor:
    """PyTorch's isclose as its tensor ops run it: half-precision errors rounded at each
    step (`atol + |rtol * other|`, `|input - other|`), bools as the default float dtype."""
    close = a.eq(b)
    if a.dtype is _core.bool:
        a, b = a.to(_core.get_default_dtype()), b.to(_core.get_default_dtype())
    elif equal_nan:
        close = close | (a.isnan() & b.isnan())
    allowed = (b * rtol).abs() + atol
    actual = (a - b).abs()
    return close | (actual.isfinite() & actual.le(allowed))


def _isnan(t: Tensor) -> Tensor:
    if t.dtype.is_complex:
        return _core._view_as_real(t).isnan().any(-1)
    return t.isnan()


def allclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> bool:
    """Whether every element of `input` is close to `other`, as a Python bool (see
    `isclose`).

    Args:
        input: the first tensor.
        other: the second tensor, of the same dtype.
        rtol: the relative tolerance (default 1e-05).
        atol: the absolute tolerance (default 1e-08).
        equal_nan: count two NaN as equal.
    """
    return builtins.bool(isclose(input, other, rtol, atol, equal_nan).all())


def equal(input: Tensor, other: Tensor) -> bool:
    """Whether both tensors have the same shape and elements, as a Python bool.

    Args:
        input: the first tensor.
        other: the second tensor.
    """
    _need_tensor("equal", "input", 1, input)
    _need_tensor("equal", "other", 2, other)
    refuse_complex32("equal_cpu", input, other)
    if tuple(input.shape) != tuple(other.shape):
        return False
    if is_float8(input) or is_float8(other):
        if input.dtype != other.dtype:
            _core.promote_types(input.dtype, other.dtype)  # PyTorch's promotion error
        if input.numel() and input.data_ptr() == other.data_ptr() and input.stride() == other.stride():
            # a tensor against itself: PyTorch only looks for NaN, with a kernel it lacks
            refuse_float8("equal_notnan_cpu", input)
    return builtins.bool(input.detach().eq(other.detach()).all())


_NO_DERIVATIVE_NODES: dict = {}


def _no_derivative(out: Tensor, input: Tensor, node_name: str, op: str) -> Tensor:
    """`out` recorded, when `input` requires grad, as PyTorch records an op without a
    derivative formula: a node whose backward raises NotImplementedError."""
    if not (input.requires_grad and _core.is_grad_enabled() and input.dtype.is_floating_point):
        return out
    node = _NO_DERIVATIVE_NODES.get(node_name)
    if node is None:
        from ._mathops import _node

        def backward(ctx, *grads):
            raise NotImplementedError(f"the derivative for '{op}' is not implemented.")

        node = _node(node_name, lambda ctx, x, value: value.clone(), backward)
        _NO_DERIVATIVE_NODES[node_name] = node
    return node.apply(input, out)


def unique(input: Tensor, sorted: bool = True, return_inverse: bool = False, return_counts: bool = False,
           dim: int | None = None) -> Any:
    """The distinct elements of `input` (sorted), with the inverse indices and counts
    when asked.

    Args:
        input: the input tensor.
        sorted: accepted for PyTorch compatibility: the result always comes sorted.
        return_inverse: also return, for each element, the index of its value in the
            result.
        return_counts: also return how often each distinct value occurs.
        dim: find distinct slices along this dimension instead; None to flatten.
    """
    # PyTorch's unique picks its implementation by the truth of the two flags first (an
    # ambiguous tensor there is its RuntimeError), then its C op checks the types
    builtins.bool(return_inverse), builtins.bool(return_counts)
    op = "_unique2" if dim is None else "unique_dim"
    for name, flag in (("sorted", sorted), ("return_inverse", return_inverse), ("return_counts", return_counts)):
        need_bool(op, name, None, flag)
    need_int64(dim)
    from ._complex import refuse_complex
    from ._creation import tensor

    refuse_complex(input, "unique" if dim is None else "unique_dim")
    refuse_float8("unique" if dim is None else "unique_dim", input)
    plain = input.detach()
    a = (plain.float() if plain.dtype == _core.bfloat16 else plain).numpy()  # NumPy has no bfloat16
    if dim is not None:
        from ._unique_consecutive import unique_dim

        d = unique_dim(a.shape, dim)
        values, inverse, counts = np.unique(a, axis=d, return_inverse=True, return_counts=True)
        out = _no_derivative(tensor(values, dtype=input.dtype), input, "UniqueDimBackward0", "unique_dim")
        extra = []
        if return_inverse:
            extra.append(tensor(inverse.reshape(-1).astype(np.int64)))
        if return_counts:
            extra.append(tensor(counts.astype(np.int64)))
        return (out, *extra) if extra else out
    values, inverse, counts = np.unique(a.reshape(-1), return_inverse=True, return_counts=True, equal_nan=False)
    out = _no_derivative(tensor(values, dtype=input.dtype), input, "Unique2Backward0", "_unique2")
    extra = []
    if return_inverse:
        extra.append(tensor(inverse.reshape(a.shape).astype(np.int64)))
    if return_counts:
        extra.append(tensor(counts.astype(np.int64)))
    return (out, *extra) if extra else out


def _as_method(fn: Any) -> Any:
    """`fn` as a Tensor method whose signature names its first parameter `self`."""

    qualified = f"Tensor.{fn.__name__}"

    def method(self: Tensor, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(self, *args, **kwargs)
        except TypeError as error:
            # the function counts `self` among the positions; the method's parser does not
            positioned = for_method(error, qualified, args, kwargs)
            if positioned is None:
                raise
            raise positioned from error

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
    for fn in (sort, argsort):
        setattr(T, fn.__name__, _stable_by_keyword_alone(_as_method(fn.__wrapped__), f"Tensor.{fn.__name__}"))
    T.count_nonzero = _count_nonzero_method


def _count_nonzero_method(self: Tensor, *dims: Any, **kwargs: Any) -> Tensor:
    """`count_nonzero`; as a method it also takes the dims as separate ints
    (`t.count_nonzero(0, 1)`), as PyTorch's does."""
    if len(dims) > 1 and all(isinstance(d, int) and not isinstance(d, bool) for d in dims):
        dims = (dims,)
    return count_nonzero(self, *dims, **kwargs)


_install()
