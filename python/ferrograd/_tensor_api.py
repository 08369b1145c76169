"""More of PyTorch's tensor API: the in-place forms of existing ops, view ops done in
place, strided views, the `*_scatter` family, aliases and small predicates.

In-place forms run the out-of-place op through `_core._inplace_call`, which does the
in-place bookkeeping (leaf check, version counter, history, views) in one place.
"""

from __future__ import annotations

import builtins
import inspect
import itertools
import math
import operator
import typing
import warnings

from . import _core, _shell_dtypes
from . import _saved_values as saved_values
from ._argcheck import (
    OMITTED,
    need_int,
    need_int64,
    need_int_elements,
    need_int_sequence,
    need_number,
    real_part_of,
    type_name,
)
from ._argcheck import need_tensor as _need_tensor
from ._core import Tensor
from ._dtype_names import scalar_name
from ._factory_device import refuse_bad_device
from ._layouts import strided_only
from ._meta_create import meta_aware
from ._parser_check import refusal
from ._parser_position import for_method
from ._python_dtypes import python_type_dtype
from ._size import Size
from ._uninitialized import fill_uninitialized
from ._user_warning import warn_complex_to_real as _warn_complex_to_real

_NUMBER = (builtins.bool, builtins.int, builtins.float)


def _type_name(x) -> str:
    return type(x).__name__




# ---- in-place forms of existing ops ------------------------------------------------

_UNARY_INPLACE = frozenset(
    [
        "abs_",
        "absolute_",
        "cos_",
        "sin_",
        "exp_",
        "log_",
        "sqrt_",
        "tanh_",
        "sigmoid_",
        "neg_",
        "negative_",
        "reciprocal_",
        "sign_",
        "relu_",
        "logical_not_",
        "bitwise_not_",
    ]
)


# In-place ops PyTorch runs outside autograd: they write the values and bump the
# version, on a leaf that requires grad too, and leave the tensor's history as it was.
_AUTOGRAD_BLIND_INPLACE = frozenset(["logical_and_", "logical_or_", "logical_xor_", "logical_not_"])


def _write_outside_autograd(self: Tensor, result: Tensor) -> Tensor:
    from ._grad_mode import no_grad

    if tuple(result.shape) != tuple(self.shape):
        raise RuntimeError(f"output with shape {list(self.shape)} doesn't match the broadcast shape "
                           f"{list(result.shape)}")
    with no_grad():
        self.copy_(result)
    return self


def _make_inplace(name: str, method_name: str, saves_self: bool = True):
    op = getattr(Tensor, method_name)
    if name in _AUTOGRAD_BLIND_INPLACE and name in _UNARY_INPLACE:

        def method(self: Tensor) -> Tensor:
            return _write_outside_autograd(self, op(self.detach()))
    elif name in _AUTOGRAD_BLIND_INPLACE:

        def method(self: Tensor, *args, **kwargs) -> Tensor:
            return _write_outside_autograd(self, op(self.detach(), *args, **kwargs))
    elif name in _UNARY_INPLACE:

        def method(self: Tensor) -> Tensor:
            if name in ("abs_", "absolute_") and self.dtype.is_complex:
                raise RuntimeError("In-place abs is not supported for complex tensors.")  # the result is real
            return _core._inplace_call(name, self, saves_self, op)
    elif name in _PROMOTING_INPLACE:

        def method(self: Tensor, *args, **kwargs) -> Tensor:
            if args:
                _check_inplace_operand(self, args[0])
            return _core._inplace_call(name, self, saves_self, lambda s: op(s, *args, **kwargs))
    elif name in _SCANS_INTO_SELF:

        def method(self: Tensor, *args, **kwargs) -> Tensor:
            _check_scan_arguments(name, args, kwargs)
            if len(args) > 1:
                raise TypeError(f"{name}() takes 1 positional argument but {len(args)} were given")
            # PyTorch's in-place scans write through an `out=` kernel the shell dtypes lack
            _shell_dtypes.refuse(f"{method_name}_out_cpu", self)
            if self.dtype == _core.bool:
                raise NotImplementedError(f"\"{method_name}_out_cpu\" not implemented for 'Bool'")
            dtype = python_type_dtype(kwargs.get("dtype"))
            if dtype is not None and dtype != self.dtype:
                from ._dtype_names import cpp_name

                raise RuntimeError(f"Bad in-place call: input tensor dtype {cpp_name(self.dtype)} and output tensor "
                                   f"dtype {cpp_name(dtype)} should match")
            return _core._inplace_call(name, self, saves_self, lambda s: op(s, *args, **kwargs))
    else:

        def method(self: Tensor, *args, **kwargs) -> Tensor:
            return _core._inplace_call(name, self, saves_self, lambda s: op(s, *args, **kwargs))

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"In-place `{method_name}` (as `torch.Tensor.{name}`)."
    return method


_SCANS_INTO_SELF = frozenset({"cumsum_", "cumprod_"})


def _check_scan_arguments(name: str, args: tuple, kwargs: dict) -> None:
    """PyTorch's argument parsing of `cumsum_(dim, *, dtype=None)` (before any kernel)."""
    for key in kwargs:
        if key not in ("dim", "dtype"):
            raise TypeError(f"{name}() got an unexpected keyword argument '{key}'")
    if not args and "dim" not in kwargs:
        raise TypeError(f'{name}() missing 1 required positional arguments: "dim"')

# in-place binary ops whose result dtype is the promotion of both operands
_PROMOTING_INPLACE = frozenset(
    ["bitwise_and_", "bitwise_or_", "bitwise_xor_", "bitwise_left_shift_", "bitwise_right_shift_",
     "remainder_", "floor_divide_"]
)


def _check_inplace_operand(self: Tensor, other) -> None:
    """PyTorch's checks of an in-place binary op, made before the kernel's dtype support:
    the broadcast shape must be this tensor's, and the promoted dtype castable to its own."""
    import ferrograd  # the package, loaded by now


    if isinstance(other, Tensor):
        try:
            shape = tuple(ferrograd.broadcast_shapes(self.shape, other.shape))
        except RuntimeError:
            return  # the op itself reports shapes that do not broadcast
        if shape != tuple(self.shape):
            raise RuntimeError(
                f"output with shape {list(self.shape)} doesn't match the broadcast shape {list(shape)}"
            )
    elif not isinstance(other, (bool, int, float, complex)):
        return
    promoted = ferrograd.result_type(self, other)
    if not ferrograd.can_cast(promoted, self.dtype):
        raise RuntimeError(
            f"result type {scalar_name(promoted)} can't be cast to the desired output type {scalar_name(self.dtype)}"
        )


# name_ -> (out-of-place method, whether its backward needs the old values)
_INPLACE = {
    "abs_": ("abs", True),
    "absolute_": ("abs", True),
    "cos_": ("cos", True),
    "sin_": ("sin", True),
    "exp_": ("exp", True),
    "log_": ("log", True),
    "sqrt_": ("sqrt", True),
    "tanh_": ("tanh", True),
    "sigmoid_": ("sigmoid", True),
    "neg_": ("neg", False),
    "negative_": ("neg", False),
    "reciprocal_": ("reciprocal", True),
    "sign_": ("sign", False),
    "relu_": ("relu", True),
    "logical_and_": ("logical_and", False),
    "logical_or_": ("logical_or", False),
    "logical_xor_": ("logical_xor", False),
    "logical_not_": ("logical_not", False),
    "bitwise_and_": ("bitwise_and", False),
    "bitwise_or_": ("bitwise_or", False),
    "bitwise_xor_": ("bitwise_xor", False),
    "bitwise_not_": ("bitwise_not", False),
    "bitwise_left_shift_": ("bitwise_left_shift", False),
    "bitwise_right_shift_": ("bitwise_right_shift", False),
    "masked_fill_": ("masked_fill", False),
    "cumsum_": ("cumsum", True),
    "cumprod_": ("cumprod", True),
    "remainder_": ("remainder", True),
    "floor_divide_": ("floor_divide", True),
    "tril_": ("tril", False),
    "triu_": ("triu", False),
}

_COMPARISONS = {
    "eq": "eq",
    "ne": "ne",
    "lt": "lt",
    "le": "le",
    "gt": "gt",
    "ge": "ge",
    "not_equal": "ne",
    "less": "lt",
    "less_equal": "le",
    "greater": "gt",
    "greater_equal": "ge",
}


_COMPARISON_SYMBOLS = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}


def _make_compare_inplace(name: str, op: str):
    def method(self: Tensor, other) -> Tensor:
        if not isinstance(other, (Tensor, complex, *_NUMBER)):
            from ._parser_check import parser_error

            error = parser_error(f"Tensor.{name}_", (other,), {})
            if error is not None:
                raise error
        result = _core._compare_(op, self, other)
        if not self.dtype.is_complex and (isinstance(other, complex) or (
                isinstance(other, Tensor) and other.dtype.is_complex)):
            # PyTorch compares in the complex dtype and copies that back into self
            _warn_complex_to_real()
        return result

    method.__name__ = method.__qualname__ = name + "_"
    method.__doc__ = (
        f"In place, this tensor becomes the comparison `self {_COMPARISON_SYMBOLS[op]} other`: 1 where"
        " true, 0 where false, in its own dtype; returns it.\n\n"
        "Args:\n    other: a tensor or number, broadcast to this tensor's shape.\n"
    )
    return method


def _make_compare(name: str, op: str):
    def fn(input: Tensor, other, *, out=None) -> Tensor:
        _need_tensor(name, "input", 1, input)
        return getattr(Tensor, op)(input, other)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = (
        f"A bool tensor, the elementwise comparison `{_COMPARISON_SYMBOLS[op]}` of `input` and `other`"
        f" with broadcasting (the same as `{op}`).\n\n"
        "Args:\n    input: a tensor.\n    other: a tensor or number.\n    out: an optional tensor the result is written into and returned (resized when it has no elements).\n"
    )
    return fn


greater = _make_compare("greater", "gt")
greater_equal = _make_compare("greater_equal", "ge")
less = _make_compare("less", "lt")
less_equal = _make_compare("less_equal", "le")
not_equal = _make_compare("not_equal", "ne")


# ---- view ops in place -------------------------------------------------------------


def _t_(self: Tensor) -> Tensor:
    return _core._transpose_("t_", self, 0, 1)


def _transpose_(self: Tensor, dim0: int, dim1: int) -> Tensor:
    return _core._transpose_("transpose_", self, dim0, dim1)


def _swapaxes_(self: Tensor, axis0: int, axis1: int) -> Tensor:
    return _core._transpose_("swapaxes_", self, axis0, axis1)


def _swapdims_(self: Tensor, dim0: int, dim1: int) -> Tensor:
    return _core._transpose_("swapdims_", self, dim0, dim1)


def _squeeze_(self: Tensor, *dims, dim=None) -> Tensor:
    """Removes dimensions of size 1 in place (all of them, or only those named).

    Args:
        dims: the dimensions to remove when of size 1, or one tuple of them.
        dim: the same as one keyword argument instead.
    """
    if len(dims) == 1 and not isinstance(dims[0], (tuple, list)) and (
            isinstance(dims[0], builtins.bool) or not hasattr(type(dims[0]), "__index__")):
        raise TypeError(f"squeeze_() received an invalid combination of arguments - got ({_type_name(dims[0])}), but "
                        "expected one of:\n * ()\n * (int dim)\n * (tuple of ints dim)\n")
    if dims:
        if dim is not None:
            raise TypeError("squeeze_() received an invalid combination of arguments - got positional dims and dim=")
        dim = dims[0] if len(dims) == 1 else dims
    if dim is None:
        return _core._squeeze_(self)
    if isinstance(dim, (tuple, list)):
        return _core._squeeze_(self, list(dim), True)
    return _core._squeeze_(self, [dim], False)


def _unsqueeze_(self: Tensor, dim: int) -> Tensor:
    return _core._unsqueeze_(self, dim)


def _sizes(size) -> list:
    if isinstance(size, builtins.int):
        return [size]
    return [builtins.int(s) for s in size]


def as_strided(input: Tensor, size, stride, storage_offset: int | None = None) -> Tensor:
    """A view of the storage of `input` with the given shape, strides and offset.

    Args:
        input: the input tensor.
        size: the shape of the view.
        stride: the stride of each dimension, in elements of the storage.
        storage_offset: the position of the first element in the storage; None to keep
            `input`'s.
    """
    need_int_sequence("as_strided", "size", 2, size)
    need_int_sequence("as_strided", "stride", 3, stride)
    _need_tensor("as_strided", "input", 1, input)
    need_int_elements("as_strided", "size", 1, size)
    need_int_elements("as_strided", "stride", 2, stride)
    if storage_offset is not None:
        need_int("as_strided", "storage_offset", 3, storage_offset)
    try:
        return _core._as_strided(input, _sizes(size), _sizes(stride), storage_offset)
    except RuntimeError:
        _refuse_negative_size(_sizes(size), _sizes(stride), storage_offset, "Storage size calculation overflowed "
                              f"with sizes={_sizes(size)} and strides={_sizes(stride)}")
        raise


def _refuse_negative_size(size: list, stride: list, storage_offset, overflow: str) -> None:
    """PyTorch's errors for a negative size in as_strided: its checks of the strides and
    the offset come first, then the storage size overflows (`overflow`)."""
    if not any(n < 0 for n in size) or 0 in size or len(size) != len(stride):
        return
    if any(st < 0 for st in stride):
        raise RuntimeError(f"as_strided: Negative strides are not supported at the moment, got strides: {stride}")
    if storage_offset is not None and storage_offset < 0:
        raise RuntimeError(f"Tensor: invalid storage offset {storage_offset}")
    raise RuntimeError(overflow)


def as_strided_(input: Tensor, size, stride, storage_offset: int | None = None) -> Tensor:
    """`as_strided` in place: `input` itself takes the new shape, strides and offset.

    Args:
        input: the input tensor.
        size: the shape of the view.
        stride: the stride of each dimension, in elements of the storage.
        storage_offset: the position of the first element in the storage; None to keep
            `input`'s.
    """
    _need_tensor("as_strided_", "input", 1, input)
    try:
        return _core._as_strided_(input, _sizes(size), _sizes(stride), storage_offset)
    except RuntimeError:
        _refuse_negative_size(_sizes(size), _sizes(stride), storage_offset, "numel: integer multiplication overflow")
        raise


def _unfold(self: Tensor, dimension: int, size: int, step: int) -> Tensor:
    """A view of every window of `size` elements along `dimension`, `step` apart:
    `dimension` becomes the number of windows and a new last dimension of `size`
    holds each window.

    Args:
        dimension: the dimension to slide along.
        size: the length of each window.
        step: the gap between the starts of consecutive windows.
    """
    for position, (name, value) in enumerate((("dimension", dimension), ("size", size), ("step", step)), 1):
        need_int("unfold", name, position, value)
    try:
        return _core._unfold(self, dimension, size, step)
    except RuntimeError as e:
        if size < 0 and str(e).startswith("maximum size"):  # no window fits, yet the size is the fault
            raise RuntimeError(f"size is {size} but must be >= 0") from None
        raise


# ---- the scatter family ------------------------------------------------------------


def slice_scatter(
    input: Tensor, src: Tensor, dim: int = 0, start=None, end=None, step: int = 1
) -> Tensor:
    """A copy of `input` with `src` written into the slice `start:end:step` along `dim`.

    Args:
        input: the input tensor.
        src: the values, shaped like the slice.
        dim: the dimension sliced (default 0).
        start: the first position; None for 0.
        end: the bound, excluded; None for the end.
        step: the gap between positions (default 1).
    """
    _need_tensor("slice_scatter", "input", 1, input)
    _need_tensor("slice_scatter", "src", 2, src)
    try:
        return _core._slice_scatter(input, src, dim, start, end, step)
    except ValueError as error:  # the core's slice check; PyTorch's is a RuntimeError
        if "step must be greater than zero" in str(error):
            input.size(dim)  # PyTorch wraps the dim first: its IndexError
            raise RuntimeError("slice step must be positive") from None
        raise


def select_scatter(input: Tensor, src: Tensor, dim: int, index: int) -> Tensor:
    """A copy of `input` with `src` written at position `index` along `dim`.

    Args:
        input: the input tensor.
        src: the values, shaped like `input.select(dim, index)`.
        dim: the dimension indexed.
        index: the position along `dim`.
    """
    _need_tensor("select_scatter", "input", 1, input)
    _need_tensor("select_scatter", "src", 2, src)
    return _core._select_scatter(input, src, dim, index)


def diagonal_scatter(
    input: Tensor, src: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1
) -> Tensor:
    """A copy of `input` with `src` written on a diagonal (see `diagonal`).

    Args:
        input: the input tensor.
        src: the values, shaped like `input.diagonal(offset, dim1, dim2)`.
        offset: which diagonal: 0 the main one, positive above it, negative below.
        dim1: the first dimension of the plane (default 0).
        dim2: the second dimension of the plane (default 1).
    """
    _need_tensor("diagonal_scatter", "input", 1, input)
    _need_tensor("diagonal_scatter", "src", 2, src)
    return _core._diagonal_scatter(input, src, offset, dim1, dim2)


def as_strided_scatter(
    input: Tensor, src: Tensor, size, stride, storage_offset: int | None = None
) -> Tensor:
    """A copy of `input` with `src` written into the strided view
    `input.as_strided(size, stride, storage_offset)`.

    Args:
        input: the input tensor.
        src: the values, of shape `size`.
        size: the shape of the view.
        stride: the strides of the view, in elements.
        storage_offset: the view's first position in the storage; None to keep that of
            `input`.
    """
    _need_tensor("as_strided_scatter", "input", 1, input)
    _need_tensor("as_strided_scatter", "src", 2, src)
    return _core._as_strided_scatter(input, src, _sizes(size), _sizes(stride), storage_offset)


# ---- index_put, fill_diagonal_ -----------------------------------------------------


def _linear_positions(self: Tensor, indices) -> Tensor:
    """Row-major positions in `self` of the elements `self[indices]` selects, for
    integer and boolean index tensors (the accumulating `index_put_`)."""
    from ._creation import arange, tensor
    from ._shape import broadcast_tensors

    idx = []
    for i in indices:
        if not isinstance(i, Tensor):
            i = tensor(i)
        if i.dtype in (_core.bool, _core.uint8):
            _check_mask_shape(self, i, len(idx))
            idx.extend(i.nonzero().unbind(1))
        else:
            idx.append(i.to(_core.int64))
    lead = self.shape[: len(idx)]
    trail = self.shape[len(idx) :]
    try:
        idx = broadcast_tensors(*idx)
    except RuntimeError:
        shapes = ", ".join(str(list(i.shape)) for i in idx)
        raise IndexError(f"shape mismatch: indexing tensors could not be broadcast together with shapes {shapes}") from None
    flat = None
    for k, (i, n) in enumerate(zip(idx, lead)):
        if builtins.bool(((i >= n) | (i < -n)).any()):
            bad = next(v for v in i.reshape(-1).tolist() if v >= n or v < -n)
            raise IndexError(f"index {bad} is out of bounds for dimension {k} with size {n}")
        i = (i + n) % n
        flat = i if flat is None else flat * n + i
    inner = math.prod(trail)
    pos = flat.unsqueeze(-1) * inner + arange(inner)
    return pos.reshape(tuple(flat.shape) + tuple(trail))


def _check_mask_shape(self: Tensor, mask: Tensor, first_dim: int) -> None:
    """PyTorch's refusal of a boolean index whose shape is not that of the dims it covers."""
    n = self.dim()
    for j, size in enumerate(mask.shape):
        k = first_dim + j
        if k >= n:
            raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {k})")
        if self.shape[k] != size:
            raise IndexError(
                f"The shape of the mask {list(mask.shape)} at index {j} does not match the shape of the indexed "
                f"tensor {list(self.shape)} at index {k}"
            )


def _index_put_(self: Tensor, indices, values, accumulate: builtins.bool = False) -> Tensor:
    return _index_put_impl(self, indices, values, accumulate, 0, "index_put_")


def _refuse_float8_index_put(self: Tensor, indices, values: Tensor, accumulate: builtins.bool) -> None:
    """PyTorch's index_put of an 8-bit float: one bool mask and a 0-d value is a
    masked_fill (which it lacks); float8_e8m0fnu has no index_put kernel at all."""
    if not accumulate and len(indices) == 1 and indices[0].dtype is _core.bool and values.dim() == 0:
        _shell_dtypes.refuse_float8("masked_fill", self)
    if self.dtype is _core.float8_e8m0fnu:
        _shell_dtypes.refuse_float8("index_put", self)


# the index dtypes PyTorch's index_put_ takes
_INDEX_DTYPES = (_core.int64, _core.int32, _core.uint8, _core.bool)


def _index_put_impl(self: Tensor, indices, values, accumulate: builtins.bool, argument: int,
                    name: str = "index_put_") -> Tensor:
    """`index_put_`; `argument` is where PyTorch's parser counts `indices` (0 for the
    method, 1 for the function), `name` the op its messages name."""
    if not isinstance(indices, (tuple, list)):
        raise TypeError(
            f"{name}(): argument 'indices' (position {argument + 1}) must be tuple of Tensors, not "
            f"{_type_name(indices)}"
        )
    for k, index in enumerate(indices):
        if not isinstance(index, Tensor):  # PyTorch's parser: a list of tensors (None is refused there)
            raise TypeError(f"expected Tensor as element {k} in argument {argument}, but got {_type_name(index)}")
    if not isinstance(values, Tensor):
        raise TypeError(
            f"index_put_(): argument 'values' (position 2) must be Tensor, not {_type_name(values)}"
        )
    if not indices:  # PyTorch's kernel reads a first index that is not there
        raise RuntimeError("sym_strides() called on an undefined Tensor")
    if len(indices) > self.dim():
        raise IndexError(
            f"too many indices for tensor of dimension {self.dim()} (got {len(indices)})"
        )
    if _shell_dtypes.is_float8(self):
        _refuse_float8_index_put(self, indices, values, accumulate)
    if accumulate and any(i.dtype not in _INDEX_DTYPES for i in indices):
        raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
    if accumulate and any(i.dtype is _core.uint8 for i in indices):  # PyTorch's legacy byte mask
        from ._user_warning import triggered_internally, warn_at_caller

        warn_at_caller(triggered_internally("indexing with dtype torch.uint8 is now deprecated, please use a dtype "
                                            "torch.bool instead.", "native/IndexingUtils.h:37"))
    if accumulate or not _fills_a_mask(indices, values):
        _check_index_put_values(self, indices, values)
    if not accumulate:
        self[tuple(slice(None) if i is None else i for i in indices)] = values
    else:
        _shell_dtypes.refuse("index_put", self)
        pos = _linear_positions(self, indices)
        flat_values = values.to(self.dtype).expand(tuple(pos.shape))

        def accumulated(s: Tensor) -> Tensor:
            from ._scatter import _put_impl

            out = _put_impl(s, pos, flat_values, True, False, kernel_checked=True)
            return _core._named_node(out, "IndexPutBackward0") if out.grad_fn is not None else out

        _core._inplace_call("index_put_", self, False, accumulated)
    if self.grad_fn is not None:
        saved_values.keep(self, "IndexPutBackward0", {"accumulate": accumulate, "indices": tuple(indices)})
    return self


def _check_index_put_values(self: Tensor, indices, values: Tensor) -> None:
    """PyTorch's checks of `index_put_`'s values before it reads an index: that they
    broadcast to the indexing result's shape, then that their dtype is the tensor's."""
    shape = _indexing_shape(self, indices)
    if shape is not None and not _broadcasts_to(tuple(values.shape), shape):
        raise RuntimeError(f"shape mismatch: value tensor of shape {list(values.shape)} cannot be broadcast to "
                           f"indexing result of shape {list(shape)}")
    if values.dtype != self.dtype:
        from ._dtype_names import scalar_name

        raise RuntimeError(
            "Index put requires the source and destination dtypes match, got "
            f"{scalar_name(self.dtype)} for the destination and {scalar_name(values.dtype)} for the source."
        )


def _fills_a_mask(indices, values: Tensor) -> builtins.bool:
    """Whether PyTorch's index_put_ (without accumulate) runs as `masked_fill_` with the
    one value: one mask among the indices (the others None) and one element to put."""
    given = [i for i in indices if i is not None]
    return values.numel() == 1 and len(given) == 1 and given[0].dtype in (_core.bool, _core.uint8)


def _indexing_shape(self: Tensor, indices) -> tuple[int, ...] | None:
    """The shape of `self[indices]` for index tensors on the leading dims (a mask
    standing for its nonzero count); None where another path words the error."""
    shapes, consumed = [], 0
    for index in indices:
        if index is None:
            return None
        if index.dtype in (_core.bool, _core.uint8):
            for j, n in enumerate(index.shape):
                if consumed + j < self.dim() and n != self.shape[consumed + j]:
                    raise IndexError(f"The shape of the mask {list(index.shape)} at index {j} does not match the shape "
                                     f"of the indexed tensor {list(self.shape)} at index {consumed + j}")
            shapes.append((builtins.int(index.count_nonzero()),))
            consumed += builtins.max(index.dim(), 1)
        else:
            shapes.append(tuple(index.shape))
            consumed += 1
    if consumed > self.dim():
        return None
    rank = builtins.max(len(s) for s in shapes)
    broadcast = [1] * rank
    for shape in shapes:
        for k, n in enumerate(shape, rank - len(shape)):
            if n != broadcast[k] and 1 not in (n, broadcast[k]):
                return None
            broadcast[k] = n if broadcast[k] == 1 else broadcast[k]
    return (*broadcast, *self.shape[consumed:])


def _broadcasts_to(shape: tuple[int, ...], target: tuple[int, ...]) -> builtins.bool:
    return len(shape) <= len(target) and all(n in (1, m) for n, m in zip(reversed(shape), reversed(target)))


def _index_put(self: Tensor, indices, values, accumulate: builtins.bool = False) -> Tensor:
    return _index_put_copy(self, indices, values, accumulate, 0)


def _index_put_copy(input: Tensor, indices, values, accumulate, argument: int) -> Tensor:
    """Out-of-place `index_put`: when recorded, one `IndexPutBackward0` node whose edges go
    to `input` and `values` themselves (PyTorch's), not to a clone written in place."""
    if not (_core.is_grad_enabled() and (input.requires_grad
                                         or (isinstance(values, Tensor) and values.requires_grad))):
        return _index_put_impl(input.clone(), indices, values, accumulate, argument, "index_put")
    from functools import partial

    from ._grad_mode import no_grad
    from .nn._composite_nodes import record

    with no_grad():
        out = _index_put_impl(input.clone(), indices, values, accumulate, argument, "index_put")
    indices = tuple(indices)
    return record("IndexPutBackward0", (input, values), out, (),
                  partial(_index_put_backward, indices, accumulate, tuple(values.shape), values.dtype),
                  {"accumulate": accumulate, "indices": indices})


def _index_put_backward(indices: tuple, accumulate, values_shape: tuple, values_dtype, grads, saved, needs):
    from .nn._composite_nodes import sum_to

    grad = grads[0]
    grad_input = grad_values = None
    if needs[0]:
        grad_input = grad if accumulate else grad.index_put(indices, grad.new_zeros(()))
    if needs[1]:
        grad_values = sum_to(grad[tuple(slice(None) if i is None else i for i in indices)], values_shape)
        if grad_values.dtype != values_dtype:
            grad_values = grad_values.to(values_dtype)
    return grad_input, grad_values


def index_put_(input: Tensor, indices, values, accumulate: builtins.bool = False) -> Tensor:
    """`input[indices] = values` in place (or `+=` with `accumulate`); returns `input`.

    Args:
        input: the input tensor.
        indices: a tuple of index tensors (integer or bool), one per indexed dimension,
            as in `input[indices]`.
        values: the values to put, broadcast to the indexed shape.
        accumulate: add to the values there instead of overwriting them (repeated
            indices accumulate).
    """
    _need_tensor("index_put_", "input", 1, input)
    return _index_put_impl(input, indices, values, accumulate, 1, "index_put_")


def index_put(input: Tensor, indices, values, accumulate: builtins.bool = False) -> Tensor:
    """A copy of `input` with `values` put at `indices` (added with `accumulate`).

    Args:
        input: the input tensor.
        indices: a tuple of index tensors (integer or bool), one per indexed dimension,
            as in `input[indices]`.
        values: the values to put, broadcast to the indexed shape.
        accumulate: add to the values there instead of overwriting them (repeated
            indices accumulate).
    """
    _need_tensor("index_put", "input", 1, input)
    return _index_put_copy(input, indices, values, accumulate, 1)


def _fill_diagonal_(self: Tensor, fill_value, wrap: builtins.bool = False) -> Tensor:
    """Writes `fill_value` on the main diagonal in place and returns the tensor (all
    dimensions must be equal beyond 2-D).

    Args:
        fill_value: the number to write.
        wrap: for a tall matrix, restart the diagonal every N + 1 rows below the square
            part.
    """
    need_number("fill_diagonal_", "fill_value", 1, fill_value, "Number")
    nd = self.dim()
    if nd < 2:
        raise RuntimeError("dimensions must larger than 1")
    if nd > 2 and len(set(self.shape)) != 1:
        raise RuntimeError("all dimensions of input must be of equal length")
    step = builtins.sum(self.stride())
    count = min(self.shape)
    if nd == 2 and wrap and self.shape[0] > self.shape[1] and self.is_contiguous():
        count = (self.numel() - 1) // step + 1
    if count == 0:
        return self
    diag = self.as_strided((count,), (step,), self.storage_offset())
    diag.fill_(fill_value)
    return self


# ---- splitting ---------------------------------------------------------------------


def split_with_sizes(input: Tensor, split_sizes, dim: int = 0):
    """`input` cut into views of the listed sizes along `dim`.

    Args:
        input: the input tensor.
        split_sizes: the sizes of the pieces, summing to the size of `dim`.
        dim: the dimension to split along (default 0).
    """
    _need_tensor("split_with_sizes", "input", 1, input)
    return input.split(list(split_sizes), dim)


def unsafe_split(input: Tensor, split_size: int, dim: int = 0):
    """`split` into pieces of `split_size` whose pieces autograd does not track as views
    of `input` (grad_fn `UnsafeSplitBackward0`).

    Args:
        input: the input tensor.
        split_size: the size of each piece (the last may be smaller).
        dim: the dimension to split along (default 0).
    """
    _need_tensor("unsafe_split", "input", 1, input)
    return tuple(_core._split_untracked(input, split_size, None, dim))


def unsafe_split_with_sizes(input: Tensor, split_sizes, dim: int = 0):
    """`split_with_sizes` whose pieces autograd does not track as views of `input`.

    Args:
        input: the input tensor.
        split_sizes: the sizes of the pieces, summing to the size of `dim`.
        dim: the dimension to split along (default 0).
    """
    _need_tensor("unsafe_split_with_sizes", "input", 1, input)
    return tuple(_core._split_untracked(input, None, [builtins.int(s) for s in split_sizes], dim))


def unsafe_chunk(input: Tensor, chunks: int, dim: int = 0):
    """`chunk` whose pieces autograd does not track as views of `input`.

    Args:
        input: a tensor of at least 1 dimension.
        chunks: the number of pieces wanted.
        dim: the dimension to split along (default 0).
    """
    need_int("unsafe_chunk", "chunks", 2, chunks)
    need_int("unsafe_chunk", "dim", 3, dim)
    _need_tensor("unsafe_chunk", "input", 1, input)
    if input.dim() == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    n = input.shape[dim]
    size = (n + chunks - 1) // chunks
    if size == 0:
        return unsafe_split_with_sizes(input, [0] * chunks, dim)
    return unsafe_split(input, size, dim)


def _sum_to_size(self: Tensor, *size, **kwargs) -> Tensor:
    """This tensor summed over its broadcast dimensions so that the result has shape
    `size` (the reverse of `expand`).

    Args:
        size: the target shape, as several ints or one sequence; this tensor's shape
            must be expandable from it.
    """
    if "size" in kwargs and not size:
        size = (kwargs.pop("size"),)
    if kwargs:
        raise TypeError(f"sum_to_size() got an unexpected keyword argument '{next(iter(kwargs))}'")
    if not size:
        raise TypeError('sum_to_size() missing 1 required positional arguments: "size"')
    if len(size) == 1 and isinstance(size[0], (tuple, list, Size)):
        size = tuple(size[0])
    shape = tuple(self.shape)
    lead = len(shape) - len(size)
    expandable = lead >= 0 and all(s in (1, t) for s, t in zip(size, shape[lead:]))
    if not expandable:
        raise RuntimeError(
            f"size {{[{', '.join(map(str, size))}]}} is not expandable to size {{[{', '.join(map(str, shape))}]}}."
        )
    if not size:
        return self.sum()  # PyTorch sums to a 0-dim target even from a 0-dim tensor
    dims = list(builtins.range(lead)) + [
        lead + i for i, s in enumerate(size) if s == 1 and shape[lead + i] != 1
    ]
    if not dims:
        return self
    out = self.sum(tuple(dims), keepdim=True)
    return out.view(size) if lead > 0 else out


# ---- aliases and small functions ---------------------------------------------------


def absolute(input: Tensor) -> Tensor:
    """Elementwise absolute value (`abs` under its NumPy name).

    Args:
        input: the input tensor.
    """
    _need_tensor("absolute", "input", 1, input)
    return input.abs()


def ravel(input: Tensor) -> Tensor:
    """`input` flattened to 1-D (a view where possible).

    Args:
        input: the input tensor.
    """
    _need_tensor("ravel", "input", 1, input)
    return input.contiguous().view(-1)  # PyTorch's ravel: a copy's ViewBackward0 when not contiguous


def argwhere(input: Tensor) -> Tensor:
    """The indices of the nonzero elements as an int64 tensor of shape (n, input.dim()),
    one row each (as `nonzero`).

    Args:
        input: the input tensor.
    """
    _need_tensor("argwhere", "input", 1, input)
    return input.nonzero()


_NO_BOUND = object()  # `range`'s start or end not given (None is PyTorch's parser error)


def range(
    start=_NO_BOUND, end=_NO_BOUND, step=1, *, dtype=None, device=None, requires_grad: builtins.bool = False
) -> Tensor:
    """Deprecated (warns): a 1-D tensor of the values from `start` to `end` inclusive,
    `step` apart; use `arange`.

    Args:
        start: the first value.
        end: the last value, included.
        step: the gap between values (default 1, nonzero).
        dtype: the dtype; None for the default float dtype.
        device: the device (only the CPU exists).
        requires_grad: whether autograd records operations on the result.
    """
    from ._creation import arange, empty, refuse_dimensioned_bounds
    from ._user_warning import warn_at_caller

    if start is _NO_BOUND:
        raise TypeError('range() missing 2 required positional argument: "start", "end"')
    for position, (name, value) in enumerate((("start", start), ("end", end), ("step", step)), 1):
        if value is None:
            raise TypeError(f"range(): argument '{name}' (position {position}) must be Number, not NoneType")
    refuse_bad_device("range", device)
    if end is _NO_BOUND:
        raise TypeError('range() missing 1 required positional arguments: "end"')
    # the parser refuses a missing argument before the deprecation warns
    warn_at_caller(
        "torch.range is deprecated and will be removed in a future release because its behavior is "
        "inconsistent with Python's range builtin. Instead, use torch.arange, which produces values in [start, end).")
    refuse_dimensioned_bounds("range", ("start", start), ("end", end), ("step", step))
    dt = python_type_dtype(dtype) or _core.get_default_dtype()
    # PyTorch computes in int64 for integer dtypes (bounds truncated), else in float64
    integral = not (dt.is_floating_point or dt.is_complex)
    xstart, xend, xstep = (_range_bound(x, integral) for x in (start, end, step))
    if not (xstep > 0 or xstep < 0):
        raise RuntimeError("step must be nonzero")
    if not (math.isfinite(xstart) and math.isfinite(xend)):
        raise RuntimeError(f"unsupported range: {_bound_text(xstart)} -> {_bound_text(xend)}")
    if not ((xstep > 0 and xend >= xstart) or (xstep < 0 and xend <= xstart)):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    span = abs(xend - xstart) // abs(xstep) if integral else (xend - xstart) / xstep
    count = builtins.int(span) + 1
    empty(count, dtype=dt)  # PyTorch's overflow and out-of-memory errors for a huge count
    offsets = arange(count, dtype=_core.int64 if integral else _core.float64)
    result = (offsets * xstep + xstart).to(dt)
    return result.requires_grad_() if requires_grad else result


def _range_bound(x, integral: builtins.bool):
    """A `range` bound or step as PyTorch's kernel reads it: int64 (floats truncated) or float64."""
    if isinstance(x, Tensor):
        x = x.item()
    if not integral:
        return builtins.float(x)
    if isinstance(x, builtins.float) and not (math.isfinite(x) and -2.0**63 <= math.trunc(x) < 2.0**63):
        raise RuntimeError("value cannot be converted to type int64_t without overflow")
    return builtins.int(x)


def _bound_text(x) -> str:
    """A bound as C++ streams it: `0`, `2.5`, `nan`, `inf`."""
    if isinstance(x, builtins.float) and x.is_integer():
        return str(builtins.int(x))
    return str(x)


def scalar_tensor(
    s,
    *,
    dtype=None,
    device=None,
    layout=None,
    requires_grad: builtins.bool = False,
    pin_memory=False,
) -> Tensor:
    """A 0-d tensor holding the number `s`.

    Args:
        s: the value.
        dtype: the dtype; None for the default float dtype.
        device: the device (only the CPU exists).
        layout: ignored (only strided tensors exist).
        requires_grad: whether autograd records operations on the result.
        pin_memory: ignored (no accelerator).
    """
    from ._creation import tensor
    from ._numpy import scalar_argument

    refuse_bad_device("scalar_tensor", device)
    if isinstance(s, Tensor) and s.dim() == 0:
        s = s.item()
    s = scalar_argument(s)
    if not isinstance(s, (*_NUMBER, builtins.complex)):
        raise TypeError(
            f"scalar_tensor(): argument 's' (position 1) must be Number, not {_type_name(s)}"
        )
    dtype = dtype or _core.get_default_dtype()
    if isinstance(s, builtins.complex) and not dtype.is_complex:
        from ._complex import real_number_of

        s = real_number_of(s, dtype)  # PyTorch's error when the imaginary part is not 0
    if isinstance(s, builtins.int) and not isinstance(s, builtins.bool):
        from ._argcheck import unpack_scalar_int
        from ._complex import _CPP_NAMES

        unpack_scalar_int(s)  # a Scalar: int64, or uint64 above that range
        if s >= 2**63 and not (dtype.is_floating_point or dtype.is_complex or dtype == _core.bool):
            raise RuntimeError(f"value cannot be converted to type {_CPP_NAMES.get(dtype, dtype)} without overflow")
    return tensor(s, dtype=dtype, requires_grad=bool(requires_grad))


def broadcast_shapes(*shapes) -> Size:
    """The shape that tensors of the given shapes broadcast to, as a `Size`.

    Args:
        shapes: shapes (sequences of ints) or ints.
    """
    norm = []
    shown = []  # each shape as PyTorch's message prints it: the argument itself (an int as a 1-tuple)
    for s in shapes:
        shown.append((s,) if isinstance(s, builtins.int) and not isinstance(s, Tensor) else s)
        if s is None:
            norm.append(())
        elif isinstance(s, builtins.int) and not isinstance(s, Tensor):
            norm.append((s,))
        elif isinstance(s, (builtins.tuple, builtins.list)):
            for i, d in enumerate(s):
                if not isinstance(d, builtins.int) or isinstance(d, Tensor):
                    raise TypeError(f"ferrograd.Size() takes an iterable of 'int' (item {i} is '{_type_name(d)}')")
            norm.append(tuple(s))
        else:
            raise RuntimeError(f"Input shapes should be of type ints, a tuple of ints, or a list of ints, got {s}")
    ndim = max((len(s) for s in norm), default=0)
    out = [1] * ndim
    for idx, s in enumerate(norm):
        for k in builtins.range(1, len(s) + 1):
            d, cur = s[-k], out[-k]
            if d == cur:
                continue
            if cur == 1:  # PyTorch refuses a negative length only where it would broadcast to it
                if d < 0:
                    raise ValueError("Attempting to broadcast a dimension with negative length!")
                out[-k] = d
                continue
            if d == 1:
                continue
            raise RuntimeError(
                f"Attempting to broadcast a dimension of length {d} at {-k}! Mismatching argument at index "
                f"{idx} had {shown[idx]!r}; but expected shape should be broadcastable to {out}"
            )
    return Size(out)


def _category(d) -> builtins.int:
    """bool < integral < floating < complex: a cast may not go down this order."""
    if d is _core.bool:
        return 0
    if d.is_complex:
        return 3
    return 2 if d.is_floating_point else 1


def can_cast(from_, to) -> builtins.bool:
    """Whether PyTorch's casting rules allow `from_` to `to` in operations with an out
    argument or in place: no floating to integral, no non-bool to bool.

    Args:
        from_: the source dtype.
        to: the target dtype.
    """
    from_, to = python_type_dtype(from_), python_type_dtype(to)  # `float` is float64, as in PyTorch's parser
    if not isinstance(from_, _core.dtype):
        raise TypeError(
            f"can_cast(): argument 'from_' (position 1) must be torch.dtype, not {_type_name(from_)}"
        )
    if not isinstance(to, _core.dtype):
        raise TypeError(
            f"can_cast(): argument 'to' (position 2) must be torch.dtype, not {_type_name(to)}"
        )
    return _category(from_) <= _category(to)


def is_nonzero(input: Tensor) -> builtins.bool:
    """Whether the single value of a one-element tensor is nonzero, as a Python bool.

    Args:
        input: a tensor of exactly one element.

    Raises:
        RuntimeError: when `input` has no element or more than one.
    """
    _need_tensor("is_nonzero", "input", 1, input)
    n = input.numel()
    if n == 0:
        raise RuntimeError("Boolean value of Tensor with no values is ambiguous")
    if n > 1:
        raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
    return builtins.bool(input.item())


def is_same_size(input: Tensor, other: Tensor) -> builtins.bool:
    """Whether the two tensors have the same shape.

    Args:
        input: a tensor.
        other: another tensor.
    """
    _need_tensor("is_same_size", "input", 1, input)
    _need_tensor("is_same_size", "other", 2, other)
    return tuple(input.shape) == tuple(other.shape)


def is_signed(input: Tensor) -> builtins.bool:
    """Whether the dtype of `input` is signed (floats and signed integers).

    Args:
        input: the input tensor.
    """
    _need_tensor("is_signed", "input", 1, input)
    return input.dtype.is_signed


def is_complex(input: Tensor) -> builtins.bool:
    """Whether `input` has a complex dtype (complex64 or complex128).

    Args:
        input: the input tensor.
    """
    _need_tensor("is_complex", "input", 1, input)
    return input.dtype.is_complex


_CONJ_BIT = 1
_NEG_BIT = 2


def is_conj(input: Tensor) -> builtins.bool:
    """Whether `input` has the conjugate bit set: a view (from `conj()`) whose values
    are its memory's conjugated.

    Args:
        input: the input tensor.
    """
    _need_tensor("is_conj", "input", 1, input)
    return builtins.bool(_core._lazy_bits(input) & _CONJ_BIT)


def is_neg(input: Tensor) -> builtins.bool:
    """Whether `input` has the negative bit set: a view (from `_neg_view()`, or the
    `imag` of a conjugate view) whose values are its memory's negated.

    Args:
        input: the input tensor.
    """
    _need_tensor("is_neg", "input", 1, input)
    return builtins.bool(_core._lazy_bits(input) & _NEG_BIT)


def is_inference(input: Tensor) -> builtins.bool:
    """Whether `input` is an inference tensor: made in `inference_mode` (a view of an
    ordinary tensor made there is ordinary). Such tensors cannot be saved for backward,
    nor written in place outside inference mode.

    Args:
        input: the input tensor.
    """
    _need_tensor("is_inference", "input", 1, input)
    return input._is_inference


_CORE_VERSION = Tensor.__dict__["_version"]

_INFERENCE_WRITE = (
    "Inplace update to inference tensor outside InferenceMode is not allowed."
    "You can make a clone to get a normal tensor before doing inplace update."
    "See https://github.com/pytorch/rfcs/pull/17 for more details."
)


def refuse_inference_write(self: Tensor) -> None:
    """PyTorch's error for an in-place write to an inference tensor outside inference mode
    (the core checks its own in-place ops; this serves the ones written in Python, which
    call it after the write: PyTorch raises it when it bumps the version, once written).
    The version counter decides, as in PyTorch: `normal.data = inference` stays writable."""
    if _core.is_inference_mode_enabled():
        return
    try:
        _CORE_VERSION.__get__(self)
    except RuntimeError:
        raise RuntimeError(_INFERENCE_WRITE) from None


def conj(input: Tensor) -> Tensor:
    """The complex conjugate as a view sharing `input`'s memory, with the conjugate bit
    flipped (`is_conj()`): reads see conjugated values, writes through it store the
    conjugate of what is written. A real tensor itself.

    Args:
        input: the input tensor.
    """
    _need_tensor("conj", "input", 1, input)
    return _core._conj_view(input)


def conj_physical(input: Tensor) -> Tensor:
    """The complex conjugate as a new tensor (not a view); a real tensor itself.

    Args:
        input: the input tensor.
    """
    _need_tensor("conj_physical", "input", 1, input)
    if input.dtype.is_complex:
        return _core._conj_copy(input, "ConjPhysicalBackward0")
    return input


def conj_physical_(input: Tensor) -> Tensor:
    """In-place `conj_physical`: a complex tensor's imaginary parts negated; a real
    tensor is left as it is.

    Args:
        input: the tensor to overwrite.
    """
    _need_tensor("conj_physical_", "input", 1, input)
    if input.requires_grad and _core.is_grad_enabled():  # refused even where nothing changes
        base = input._base
        if base is not None and base.is_leaf and base.requires_grad:
            raise RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place operation.")
        if input.is_leaf:
            raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
    if input.dtype.is_complex:
        input.copy_(_core._conj_copy(input.detach(), "ConjPhysicalBackward0"))
    return input


def resolve_conj(input: Tensor) -> Tensor:
    """`input` itself unless its conjugate bit is set, else a new tensor (not a view)
    holding its values.

    Args:
        input: the input tensor.
    """
    _need_tensor("resolve_conj", "input", 1, input)
    return _core._resolve_lazy(input, _CONJ_BIT)


def resolve_neg(input: Tensor) -> Tensor:
    """`input` itself unless its negative bit is set, else a new tensor (not a view)
    holding its values.

    Args:
        input: the input tensor.
    """
    _need_tensor("resolve_neg", "input", 1, input)
    return _core._resolve_lazy(input, _NEG_BIT)


def _neg_view(input: Tensor) -> Tensor:
    """The negation of `input` as a view sharing its memory, with the negative bit
    flipped (`is_neg()`), as PyTorch's private `torch._neg_view`.

    Args:
        input: the input tensor.
    """
    _need_tensor("_neg_view", "self", 1, input)
    return _core._neg_view(input)


def real(input: Tensor) -> Tensor:
    """The real parts of a complex tensor as a view; a real tensor itself.

    Args:
        input: the input tensor.
    """
    _need_tensor("real", "input", 1, input)
    if input.dtype.is_complex:
        # of a conjugate view: the real parts of the memory it views (conj is a view too);
        # the last dim is named by its index, which SelectBackward0 keeps as PyTorch's does
        return _core._view_as_real(_unconjugated(input)).select(input.dim(), 0)
    return input


def _unconjugated(input: Tensor) -> Tensor:
    """`input` with its conjugate bit cleared (a view), so that `view_as_real` takes it."""
    return _core._conj_view(input) if is_conj(input) else input


def imag(input: Tensor) -> Tensor:
    """The imaginary parts of a complex tensor as a view.

    Args:
        input: a complex tensor.

    Raises:
        RuntimeError: for a real tensor, which has none.
    """
    _need_tensor("imag", "input", 1, input)
    if input.dtype.is_complex:
        if is_conj(input):
            # the imaginary parts of the memory it views, negated: a view with the negative bit
            return _core._neg_view(_core._view_as_real(_core._conj_view(input))).select(input.dim(), 1)
        return _core._view_as_real(input).select(input.dim(), 1)
    raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")


def rsub(input: Tensor, other, *extra, alpha=1) -> Tensor:
    """`other - alpha * input`, with broadcasting (subtraction with the operands
    reversed).

    Args:
        input: the tensor subtracted.
        other: a tensor or number.
        extra: `alpha` given by position, taken beside a number `other` only (as PyTorch).
        alpha: multiplier of `input` (default 1).
    """
    if extra or not isinstance(input, Tensor) or alpha is None:  # the core would read a None alpha as 1
        from ._parser_check import parser_error

        if extra:  # PyTorch's tensor `other` takes `alpha` by keyword only
            if len(extra) > 1 or isinstance(other, Tensor) or alpha != 1:
                raise parser_error("rsub", (input, other, *extra), {} if alpha == 1 else {"alpha": alpha}) or TypeError(
                    f"rsub() takes from 2 to 3 positional arguments but {2 + len(extra)} were given")
            return rsub(input, other, alpha=extra[0])
        raise parser_error("rsub", (input, other), {"alpha": alpha} if alpha is None or alpha != 1 else {}) or TypeError(
            f"rsub(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    if (input.dtype == _core.bool and type(other) is int and 2**63 <= other < 2**64 or type(alpha) is complex
            or type(alpha) is int and alpha >= 2**63):
        from ._functional import sub

        # PyTorch's refusals of a bool subtraction and of a complex alpha for real operands
        # come first; the core's rsub takes no complex alpha, nor one past int64
        return sub(other, input, alpha=alpha)
    return _core._rsub(input, other, alpha)


def fill(input: Tensor, value) -> Tensor:
    """A new tensor shaped like `input` (and of its dtype), full of `value`.

    Args:
        input: the input tensor.
        value: a number or 0-d tensor.
    """
    _need_tensor("fill", "input", 1, input)
    if type(value) is complex:  # read in the input's dtype
        value = real_part_of(value, input.dtype)
    return _core._fill(input, value)


@meta_aware
def empty_strided(
    size,
    stride,
    *,
    dtype=None,
    layout=None,
    device=None,
    requires_grad: builtins.bool = False,
    pin_memory: builtins.bool = False,
) -> Tensor:
    """A tensor with the given shape and strides over a fresh storage (its values are
    unspecified; here zeros).

    Args:
        size: the shape.
        stride: the stride of each dimension, in elements.
        dtype: the dtype; None for the default float dtype.
        layout: ignored (only strided tensors exist).
        device: the device (only the CPU exists).
        requires_grad: whether autograd records operations on the result.
        pin_memory: ignored (no accelerator).
    """
    from ._creation import zeros

    dtype = python_type_dtype(dtype)
    need_int_sequence("empty_strided", "size", 1, size)
    need_int_sequence("empty_strided", "stride", 2, stride)
    need_int_elements("empty_strided", "size", 1, size)
    need_int_elements("empty_strided", "stride", 2, stride)
    size, stride = _sizes(size), _sizes(stride)
    if len(size) != len(stride):
        raise RuntimeError(
            f"dimensionality of sizes ({len(size)}) must match dimensionality of strides ({len(stride)})"
        )
    extent = 1 + builtins.sum((n - 1) * s for n, s in zip(size, stride)) if all(size) else 0
    itemsize = (dtype or _core.get_default_dtype()).itemsize
    # PyTorch sums the spans as unsigned 64-bit bytes: a negative one overflows
    spans_negative = any(n > 1 and s < 0 for n, s in zip(size, stride)) if all(size) else False
    if spans_negative or extent * itemsize >= 2**63:
        raise RuntimeError(
            f"Storage size calculation overflowed with sizes={list(size)} and strides={list(stride)}"
        )
    if any(s < 0 for s in stride):
        # what is left is a negative stride of a dim of at most one element (or of an empty
        # tensor): PyTorch's tensors read one as unset, the contiguous stride there
        stride = list(stride)
        for d in reversed(builtins.range(len(stride))):
            if stride[d] < 0:
                stride[d] = 1 if d == len(stride) - 1 else stride[d + 1] * builtins.max(size[d + 1], 1)
        extent = 1 + builtins.sum((n - 1) * s for n, s in zip(size, stride)) if all(size) else 0
    base = fill_uninitialized(zeros(builtins.max(extent, 0), dtype=dtype))
    out = base.as_strided(size, stride, 0)
    out = out.detach()
    if requires_grad:
        out.requires_grad_(True)
    return out


def empty_permuted(
    size,
    physical_layout,
    *,
    dtype=None,
    layout=None,
    device=None,
    requires_grad: builtins.bool = False,
    pin_memory: builtins.bool = False,
) -> Tensor:
    """A tensor of shape `size` whose memory holds its dimensions in the order
    `physical_layout` (its values are unspecified).

    Args:
        size: the logical shape.
        physical_layout: a permutation of the dimensions, outermost first in memory.
        dtype: the dtype; None for the default float dtype.
        layout: ignored (only strided tensors exist).
        device: the device (only the CPU exists).
        requires_grad: whether autograd records operations on the result.
        pin_memory: ignored (no accelerator).
    """
    from ._creation import empty

    refuse_bad_device("empty_permuted", device)
    size, perm = _sizes(size), _sizes(physical_layout)
    if len(size) != len(perm):
        raise RuntimeError(
            "Number of dimensions in size does not match the length of the physical_layout"
        )
    if sorted(perm) != list(builtins.range(len(size))):
        raise RuntimeError("Duplicate dim not allowed")
    phys = empty([size[p] for p in perm], dtype=dtype)
    inverse = [perm.index(i) for i in builtins.range(len(size))]
    out = phys.permute(tuple(inverse)).detach() if size else phys
    if requires_grad:
        out.requires_grad_(True)
    return out


@meta_aware
def _scalar_tensor_high(high):
    """PyTorch's `randint_like(input, high: Tensor)` overload: a 0-dim tensor of any dtype,
    truncated to an int."""
    if not isinstance(high, Tensor):
        return high
    if high.dim() != 0:
        raise RuntimeError("high must be a scalar tensor and on CPU")
    return int(high.item())


def randint_like(
    input: Tensor,
    low=0,
    high=None,
    *,
    dtype=None,
    layout=None,
    device=None,
    requires_grad: builtins.bool = False,
    memory_format=None,
    generator=None,
    pin_memory=False,
) -> Tensor:
    """Uniformly random integers in [low, high), shaped like `input`.

    Args:
        input: the tensor whose shape is copied.
        low: the lowest value (default 0); alone, it is taken as `high`.
        high: one above the highest value.
        dtype: the dtype; None for the dtype of `input`.
        layout: ignored (only strided tensors exist).
        device: the device (only the CPU exists).
        requires_grad: whether autograd records operations on the result.
        memory_format: the layout (default: that of `input`, as PyTorch's preserve_format).
        generator: the random generator to draw from; None for the default one.
        pin_memory: False or None (there is no accelerator to pin memory for).
    """
    from ._creation import _finish, _sampled_like, randint
    from ._random_ints import check_random_bounds

    if pin_memory:
        from ._factory_kwargs import refuse_pinning

        refuse_pinning("randint_like", pin_memory)

    _need_tensor("randint_like", "input", 1, input)
    if high is None:
        low, high = 0, _scalar_tensor_high(low)
    dtype = python_type_dtype(dtype) or input.dtype
    if low < high:  # else randint gives PyTorch's ordering error
        check_random_bounds(dtype, int(low), int(high) - 1, warn=False)  # randint warns

    def draw(shape: tuple, *, generator, dtype, device, requires_grad: builtins.bool = False) -> Tensor:
        kwargs = {"generator": generator} if generator is not None else {}
        out = randint(low, high, shape, dtype=dtype, device=device, **kwargs)
        return _finish(out, requires_grad)

    # drawn in the memory order of a result laid out like `input`, as PyTorch's
    return _sampled_like(draw, "randint_like", input, generator, dtype, device, requires_grad,
                         memory_format)


def zero_(input: Tensor) -> Tensor:
    """Fills `input` with zeros in place; returns it.

    Args:
        input: the input tensor.
    """
    _need_tensor("zero_", "input", 1, input)
    return input.zero_()


def fill_(input: Tensor, value) -> Tensor:
    """Fills `input` with `value` in place; returns it.

    Args:
        input: the input tensor.
        value: a number or 0-d tensor.
    """
    _need_tensor("fill_", "input", 1, input)
    return input.fill_(value)


def detach_(input: Tensor) -> Tensor:
    """Detaches `input` from the autograd graph in place (it becomes a leaf that does
    not require grad); returns it.

    Args:
        input: the input tensor.
    """
    _need_tensor("detach_", "input", 1, input)
    return input.detach_()


def resize_as_(input: Tensor, the_template: Tensor, *, memory_format=None) -> Tensor:
    """Resizes `input` in place to the shape of `the_template` (see `Tensor.resize_`).

    Args:
        input: the input tensor.
        the_template: the tensor whose shape is taken.
        memory_format: None keeps the strides when the shape does not change; else the
            strides of that format (`preserve_format`: the template's own).
    """
    _need_tensor("resize_as_", "input", 1, input)
    _need_tensor("resize_as_", "the_template", 2, the_template)
    return input.resize_as_(the_template, memory_format=memory_format)


# torch-level functions for in-place methods: torch.abs_(x) is x.abs_()
def _make_torch_inplace(name: str):
    def fn(input: Tensor, *args, **kwargs) -> Tensor:
        _need_tensor(name, "input", 1, input)
        return getattr(input, name)(*args, **kwargs)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = (
        f"`Tensor.{name}` as a function: `ferrograd.{name}(t, ...)` is `t.{name}(...)`, which"
        " changes `t` in place and returns it.\n\n"
        "Args:\n    input: the tensor changed in place.\n"
        f"    args: the method's other arguments (see `Tensor.{name}`).\n"
    )
    return fn


abs_ = _make_torch_inplace("abs_")
acos_ = _make_torch_inplace("acos_")
acosh_ = _make_torch_inplace("acosh_")
arccos_ = _make_torch_inplace("arccos_")
arccosh_ = _make_torch_inplace("arccosh_")
arcsin_ = _make_torch_inplace("arcsin_")
arcsinh_ = _make_torch_inplace("arcsinh_")
arctan_ = _make_torch_inplace("arctan_")
arctanh_ = _make_torch_inplace("arctanh_")
asin_ = _make_torch_inplace("asin_")
asinh_ = _make_torch_inplace("asinh_")
atan_ = _make_torch_inplace("atan_")
atanh_ = _make_torch_inplace("atanh_")
ceil_ = _make_torch_inplace("ceil_")
clamp_ = _make_torch_inplace("clamp_")
clamp_max_ = _make_torch_inplace("clamp_max_")
clamp_min_ = _make_torch_inplace("clamp_min_")
clip_ = _make_torch_inplace("clip_")
cos_ = _make_torch_inplace("cos_")
cosh_ = _make_torch_inplace("cosh_")
deg2rad_ = _make_torch_inplace("deg2rad_")
erf_ = _make_torch_inplace("erf_")
erfc_ = _make_torch_inplace("erfc_")
exp2_ = _make_torch_inplace("exp2_")
exp_ = _make_torch_inplace("exp_")
expm1_ = _make_torch_inplace("expm1_")
fix_ = _make_torch_inplace("fix_")
floor_ = _make_torch_inplace("floor_")
frac_ = _make_torch_inplace("frac_")
log10_ = _make_torch_inplace("log10_")
log1p_ = _make_torch_inplace("log1p_")
log2_ = _make_torch_inplace("log2_")
log_ = _make_torch_inplace("log_")
nan_to_num_ = _make_torch_inplace("nan_to_num_")
neg_ = _make_torch_inplace("neg_")
negative_ = _make_torch_inplace("negative_")
rad2deg_ = _make_torch_inplace("rad2deg_")
reciprocal_ = _make_torch_inplace("reciprocal_")
relu_ = _make_torch_inplace("relu_")
round_ = _make_torch_inplace("round_")
rsqrt_ = _make_torch_inplace("rsqrt_")
sigmoid_ = _make_torch_inplace("sigmoid_")
sin_ = _make_torch_inplace("sin_")
sinh_ = _make_torch_inplace("sinh_")
sqrt_ = _make_torch_inplace("sqrt_")
square_ = _make_torch_inplace("square_")
tan_ = _make_torch_inplace("tan_")
tanh_ = _make_torch_inplace("tanh_")
trunc_ = _make_torch_inplace("trunc_")
xlogy_ = _make_torch_inplace("xlogy_")
addmv_ = _make_torch_inplace("addmv_")


# ---- the *_copy ops: a view op's result as a new tensor ---------------------------


def _copy_of(node: str, input: Tensor, view_of) -> Tensor:
    """`view_of(input)` as a new tensor whose node is `node`, keeping the view's arguments."""
    out = _core._view_copy(node, input, view_of(input.detach()))
    saved_values.keep_view_args(out, node, input, view_of)
    return out


def t_copy(input: Tensor) -> Tensor:
    """A new tensor (not a view) holding `input.t()`.

    Args:
        input: a tensor of at most 2 dimensions.
    """
    _need_tensor("t_copy", "input", 1, input)
    return _copy_of("TBackward0_copy", input, lambda t: t.t())


def view_copy(input: Tensor, size=None, *, dtype=None) -> Tensor:
    """A new tensor (not a view) holding `input.view(size)`.

    Args:
        input: the input tensor.
        size: the new shape (one entry may be -1), or a dtype to reinterpret the bytes as.
        dtype: the dtype to reinterpret the bytes as, given by keyword.
    """
    _need_tensor("view_copy", "input", 1, input)
    if size is None and dtype is not None:
        size = dtype
    size = python_type_dtype(size)
    if isinstance(size, _core.dtype):  # the (Tensor, dtype) overload
        return input.view(size).clone()
    return _copy_of("ViewBackward0_copy", input, lambda t: t.view(tuple(_sizes(size))))


def transpose_copy(input: Tensor, dim0: int, dim1: int) -> Tensor:
    """A new tensor (not a view) holding `input.transpose(dim0, dim1)`.

    Args:
        input: the input tensor.
        dim0: the first dimension.
        dim1: the second dimension.
    """
    _need_tensor("transpose_copy", "input", 1, input)
    return _copy_of("TransposeBackward0_copy", input, lambda t: t.transpose(dim0, dim1))


def unsqueeze_copy(input: Tensor, dim: int) -> Tensor:
    """A new tensor (not a view) holding `input.unsqueeze(dim)`.

    Args:
        input: the input tensor.
        dim: where the new dimension of size 1 goes.
    """
    _need_tensor("unsqueeze_copy", "input", 1, input)
    return _copy_of("UnsqueezeBackward0_copy", input, lambda t: t.unsqueeze(dim))


def squeeze_copy(input: Tensor, dim=OMITTED) -> Tensor:
    """A new tensor (not a view) holding `input.squeeze(dim)`.

    Args:
        input: the input tensor.
        dim: a dimension or tuple of dimensions to remove when of size 1; None for all.
    """
    _need_tensor("squeeze_copy", "input", 1, input)
    if dim is None:
        from ._parser_check import parser_error

        raise parser_error("squeeze_copy", (input, None), {})
    if dim is OMITTED:
        return _copy_of("SqueezeBackward0_copy", input, lambda t: t.squeeze())
    node = "SqueezeBackward2_copy" if isinstance(dim, (tuple, list)) else "SqueezeBackward1_copy"
    return _copy_of(node, input, lambda t: t.squeeze(dim))


def alias_copy(input: Tensor) -> Tensor:
    """A new tensor (not a view) with the values of `input`; gradients flow back to
    `input`.

    Args:
        input: the input tensor.
    """
    _need_tensor("alias_copy", "input", 1, input)
    return _copy_of("AliasBackward0_copy", input, lambda t: t.detach())


def permute_copy(input: Tensor, dims) -> Tensor:
    """A new tensor (not a view) holding `input.permute(dims)`.

    Args:
        input: the input tensor.
        dims: the new order of the dimensions.
    """
    _need_tensor("permute_copy", "input", 1, input)
    return _copy_of("PermuteBackward0_copy", input, lambda t: t.permute(tuple(_sizes(dims))))


def expand_copy(input: Tensor, size, *, implicit: builtins.bool = False) -> Tensor:
    """`input.expand(size)` as a new tensor that owns its memory.

    Args:
        input: the input tensor.
        size: the target shape; -1 keeps a dimension's size.
        implicit: accepted for PyTorch compatibility; no effect.
    """
    _need_tensor("expand_copy", "input", 1, input)
    return _copy_of("ExpandBackward0_copy", input, lambda t: t.expand(tuple(_sizes(size))))


def select_copy(input: Tensor, dim: int, index: int) -> Tensor:
    """A new tensor (not a view) holding `input.select(dim, index)`.

    Args:
        input: the input tensor.
        dim: the dimension indexed.
        index: the position along `dim`.
    """
    _need_tensor("select_copy", "input", 1, input)
    return _copy_of("SelectBackward0_copy", input, lambda t: t.select(dim, index))


def diagonal_copy(input: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """A new tensor (not a view) holding `input.diagonal(offset, dim1, dim2)`.

    Args:
        input: the input tensor.
        offset: which diagonal: 0 the main one, positive above it, negative below.
        dim1: the first dimension of the plane (default 0).
        dim2: the second dimension of the plane (default 1).
    """
    _need_tensor("diagonal_copy", "input", 1, input)
    return _copy_of("DiagonalBackward0_copy", input, lambda t: t.diagonal(offset, dim1, dim2))


def slice_copy(input: Tensor, dim: int = 0, start=None, end=None, step: int = 1) -> Tensor:
    """A new tensor (not a view) holding the slice `start:end:step` of `input` along
    `dim`.

    Args:
        input: the input tensor.
        dim: the dimension sliced (default 0).
        start: the first position; None for 0.
        end: the bound, excluded; None for the end.
        step: the gap between positions (default 1).
    """
    _need_tensor("slice_copy", "input", 1, input)
    need_int("slice_copy", "dim", 2, dim)
    need_int64(dim)
    rank = max(input.dim(), 1)
    if not -rank <= dim < rank:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-rank}, {rank - 1}], but got {dim})")
    if input.dim() == 0:
        raise IndexError("slice() cannot be applied to a 0-dim tensor.")
    if isinstance(step, int) and step <= 0:  # Python's slice words it otherwise (ValueError)
        raise RuntimeError("slice step must be positive")
    index = (slice(None),) * (dim % max(input.dim(), 1)) + (slice(start, end, step),)
    out = _core._view_copy("SliceBackward0_copy", input, input.detach()[index])
    # PyTorch's node keeps the arguments as given (None for an absent bound)
    saved_values.keep(out, "SliceBackward0_copy", {
        "dim": saved_values.c_int(dim), "end": None if end is None else saved_values.c_int(end),
        "self_sym_sizes": tuple(input.shape), "start": None if start is None else saved_values.c_int(start),
        "step": step})
    return out


def unfold_copy(input: Tensor, dimension: int, size: int, step: int) -> Tensor:
    """A new tensor (not a view) holding `input.unfold(dimension, size, step)`.

    Args:
        input: the input tensor.
        dimension: the dimension to slide along.
        size: the length of each window.
        step: the gap between window starts.
    """
    _need_tensor("unfold_copy", "input", 1, input)
    return _copy_of("UnfoldBackward0_copy", input, lambda t: t.unfold(dimension, size, step))


def as_strided_copy(input: Tensor, size, stride, storage_offset: int | None = None) -> Tensor:
    """A new tensor (not a view) holding `input.as_strided(size, stride,
    storage_offset)`.

    Args:
        input: the input tensor.
        size: the shape of the view.
        stride: its strides, in elements.
        storage_offset: its first position in the storage; None to keep that of `input`.
    """
    _need_tensor("as_strided_copy", "input", 1, input)
    return _copy_of("AsStridedBackward0_copy", input,
                    lambda t: t.as_strided(size, stride, storage_offset))


def detach_copy(input: Tensor) -> Tensor:
    """A new tensor (not a view) holding `input.detach()`: the values, outside the
    autograd graph.

    Args:
        input: the input tensor.
    """
    _need_tensor("detach_copy", "input", 1, input)
    return input.detach().clone()


# ---- Tensor methods and properties -------------------------------------------------


_NOT_GIVEN: typing.Any = object()


def _where(self: Tensor, condition: Tensor = _NOT_GIVEN, other=_NOT_GIVEN, *more, **keywords) -> Tensor:
    """Elements of this tensor where `condition` is true, else of `other`, with broadcasting
    and type promotion (`ferrograd.where(condition, self, other)`).

    Args:
        condition: a bool tensor.
        other: the values where `condition` is false (tensor or number).
        *more: none taken (PyTorch's error for any).
        **keywords: none taken (PyTorch's error for any).
    """
    from . import _reduce

    if more or keywords or other is _NOT_GIVEN:  # PyTorch's parser words every refusal of the call
        given = tuple(a for a in (condition, other) if a is not _NOT_GIVEN) + more
        raise refusal("Tensor.where", given, keywords, TypeError("where() refused")) from None
    try:
        return _reduce.where(condition, self, other)
    except TypeError as failure:
        raise refusal("Tensor.where", (condition, other), {}, failure) from None


def _where_as_declared(self: Tensor, condition: Tensor, other) -> Tensor: ...


# what `inspect` reports (the catch-all parameters only refuse)
_where.__signature__ = inspect.signature(_where_as_declared)  # type: ignore[attr-defined]


def _zero_dim_identity(self: Tensor, what: str) -> Tensor:
    """PyTorch's deprecated 0-d case of `H`, `mH` and `adjoint()`: `self.conj()` (the
    tensor itself when real)."""
    from ._user_warning import triggered_internally, warn_at_caller

    line = {"Tensor.H": 4335, "Tensor.mH": 4382, "adjoint()": 4390}[what]
    warn_at_caller(triggered_internally(f"{what} is deprecated on 0-D tensors. Consider using x.conj().",
                                        f"native/TensorShape.cpp:{line}"))
    return _conj_if_complex(self)


def _h(self: Tensor) -> Tensor:
    if self.dim() == 0:
        return _zero_dim_identity(self, "Tensor.H")
    if self.dim() != 2:
        extra = " For batches of matrices, consider using tensor.mH" if self.dim() > 2 else ""
        raise RuntimeError(
            f"tensor.H is only supported on matrices (2-D tensors). Got {self.dim()}-D tensor.{extra}"
        )
    return _conj_if_complex(self.transpose(0, 1))


def _conj_if_complex(t: Tensor) -> Tensor:
    return t.conj() if t.dtype.is_complex else t


def _mh(self: Tensor) -> Tensor:
    if self.dim() == 0:
        return _zero_dim_identity(self, "Tensor.mH")
    if self.dim() < 2:
        raise RuntimeError(
            f"tensor.mH is only supported on matrices or batches of matrices. Got {self.dim()}-D tensor."
        )
    return _conj_if_complex(self.transpose(-2, -1))


def _adjoint(self: Tensor) -> Tensor:
    """The conjugate transpose of the last two dims (the transpose for real tensors)."""
    if self.dim() == 0:
        return _zero_dim_identity(self, "adjoint()")
    if self.dim() < 2:
        raise RuntimeError(
            f"tensor.adjoint() is only supported on matrices or batches of matrices. Got {self.dim()}-D tensor."
        )
    return _conj_if_complex(self.transpose(-2, -1))


def _is_set_to(self: Tensor, tensor: Tensor) -> builtins.bool:
    """Whether both tensors view the same storage with the same offset, shape and
    strides.

    Args:
        tensor: the other tensor.
    """
    if not isinstance(tensor, Tensor):
        raise refusal("Tensor.is_set_to", (tensor,), {}, TypeError("is_set_to(): expected a Tensor"))
    strided_only(tensor)
    return (
        _core._storage_info(self)[0] == _core._storage_info(tensor)[0]
        and self.storage_offset() == tensor.storage_offset()
        and tuple(self.shape) == tuple(tensor.shape)
        and tuple(self.stride()) == tuple(tensor.stride())
    )


def _dim_order(self: Tensor, *, ambiguity_check: builtins.bool | list = False) -> tuple:
    """The dimensions ordered from outermost to innermost by stride.

    Args:
        ambiguity_check: True raises RuntimeError when the order is not unique (a
            dimension of size 1, or two equal strides); a list of memory formats raises
            unless the tensor is then contiguous in exactly one of them; False (default)
            returns one legal order.
    """
    if self.is_sparse:
        raise AttributeError(f"Can't get dim order on sparse type: {self.type()} "
                             "Use Tensor.to_dense() to convert to a dense tensor first.")
    from ._memory_format import memory_format

    formats = ambiguity_check if isinstance(ambiguity_check, list) else []
    if not isinstance(ambiguity_check, (builtins.bool, list)) or not all(isinstance(f, memory_format) for f in formats):
        raise TypeError("The ambiguity_check argument must be a bool or a list of memory formats.")
    strides = self.stride()
    ambiguous = 1 in self.shape or any(a == b for a, b in itertools.pairwise(strides))
    if (ambiguity_check is not False and ambiguous
            and builtins.sum(self.is_contiguous(memory_format=f) for f in formats) != 1):
        raise RuntimeError(
            "The tensor does not have unique dim order, or cannot map to exact one of the given memory formats.")
    perm, undecided = _physical_perm(self, ambiguity_check is not False)
    if undecided:
        raise RuntimeError("The tensor does not have unique dim order.")
    return perm


def _physical_perm(t: Tensor, check: builtins.bool) -> tuple[tuple, builtins.bool]:
    """PyTorch's compute_elementwise_output_logical_to_physical_perm for one tensor: the
    dims from outermost to innermost, and whether some neighbours could be swapped."""
    from ._memory_format import channels_last, contiguous_format

    ndim, shape, strides = t.dim(), tuple(t.shape), t.stride()
    if ndim < 2:
        return tuple(builtins.range(ndim)), False
    contiguous = t.is_contiguous(memory_format=contiguous_format)
    last = ndim == 4 and t.is_contiguous(memory_format=channels_last)
    if contiguous and not last:
        return tuple(builtins.range(ndim)), False
    if last and not contiguous:
        return (0, *builtins.range(2, ndim), 1), False

    def ge(a: int, b: int) -> builtins.bool:
        return b == 0 or (a != 0 and (a >= b or a % b == 0))

    def should_swap(a: int, b: int) -> int:
        sa, sb = strides[a], strides[b]
        if sa == 0 or sb == 0:
            return 0
        if sa == sb:
            return 0 if ge(shape[b], shape[a]) else 1
        return -1 if ge(sb, sa) else 1

    perm = list(reversed(builtins.range(ndim)))
    for i in builtins.range(1, ndim):
        dim1 = i
        for dim0 in reversed(builtins.range(i)):
            order = should_swap(perm[dim0], perm[dim1])
            if order > 0:
                perm[dim0], perm[dim1] = perm[dim1], perm[dim0]
                dim1 = dim0
            elif order < 0:
                break
    undecided = check and any(should_swap(perm[i], perm[i + 1]) != -1 for i in builtins.range(ndim - 1))
    return tuple(reversed(perm)), undecided


def _pin_memory(self: Tensor, device=None) -> Tensor:
    """A page-locked copy for accelerator transfers: raises, as PyTorch built without an
    accelerator does.

    Args:
        device: the accelerator the memory would be pinned for.

    Raises:
        RuntimeError: always, as no accelerator is available.
    """
    raise RuntimeError("Cannot access accelerator device when none is available.")


def _share_memory_(self: Tensor) -> Tensor:
    """Moves the storage to shared memory (a no-op here); returns the tensor."""
    self.__dict__["_fg_shared"] = True
    return self


def _is_shared(self: Tensor) -> builtins.bool:
    """Whether the storage is in shared memory (always False: CPU storages are private)."""
    return self.__dict__.get("_fg_shared", False)


def _refuse_grad(self: Tensor, name: str) -> None:
    if self.requires_grad:
        raise RuntimeError(
            f"Can't call {name}() on Variable that requires grad. Use var.detach().{name}() instead."
        )


def _write_values(self: Tensor, values: list) -> Tensor:
    from ._creation import tensor
    from ._grad_mode import no_grad

    new = tensor(values, dtype=self.dtype).reshape(tuple(self.shape))
    with no_grad():
        self.copy_(new)
    return self


def _apply_(self: Tensor, callable) -> Tensor:
    """Replaces every element `x` by `callable(x)` in place, element by element in
    Python (no autograd); returns the tensor.

    Args:
        callable: a function of one number returning a number.
    """
    _refuse_grad(self, "apply_")
    flat = self.reshape(-1).tolist()
    return _write_values(self, [callable(v) for v in flat])


def _map_(self: Tensor, tensor: Tensor, callable) -> Tensor:
    """Replaces every element `x` by `callable(x, y)` in place, `y` the matching element
    of `tensor` (no autograd); returns this tensor.

    Args:
        tensor: a tensor broadcastable to this one.
        callable: a function of two numbers returning a number.
    """
    _refuse_grad(self, "map_")
    a = self.reshape(-1).tolist()
    b = tensor.detach().expand(tuple(self.shape)).reshape(-1).tolist()
    return _write_values(self, [callable(x, y) for x, y in zip(a, b)])


def _map2_(self: Tensor, x: Tensor, y: Tensor, callable) -> Tensor:
    """Replaces every element `e` by `callable(e, a, b)` in place, `a` and `b` the
    matching elements of `x` and `y` (no autograd); returns this tensor.

    Args:
        x: a tensor broadcastable to this one.
        y: a tensor broadcastable to this one.
        callable: a function of three numbers returning a number.
    """
    _refuse_grad(self, "map2_")
    a = self.reshape(-1).tolist()
    b = x.detach().expand(tuple(self.shape)).reshape(-1).tolist()
    c = y.detach().expand(tuple(self.shape)).reshape(-1).tolist()
    return _write_values(self, [callable(p, q, r) for p, q, r in zip(a, b, c)])


def _register_post_accumulate_grad_hook(self: Tensor, hook):
    """Registers `hook(tensor)` to run on this leaf tensor after its `.grad` was
    accumulated in a backward pass.

    Args:
        hook: a function of the tensor; its return value is ignored.

    Returns:
        a handle whose `remove()` unregisters the hook.
    """
    if not self.requires_grad:
        raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
    if self.grad_fn is not None:
        raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf tensors")
    accumulator = self.view_as(self).grad_fn.next_functions[0][0]
    # Keeps the node holding the hook alive; once per node, so that registering and
    # removing a hook every step does not grow the list.
    held = self.__dict__.setdefault("_fg_accumulators", [])
    if not any(node is accumulator for node in held):
        held.append(accumulator)

    def after_accumulation(grad_inputs, grad_outputs):
        result = hook(self)
        # PyTorch lets the hook hand back the tensor itself; anything else is refused
        if result is None or result is self:
            return
        if not isinstance(result, Tensor):
            raise TypeError(f"expected Variable, but hook returned '{type(result).__name__}'")
        raise RuntimeError("Tensor post accumulate grad hooks should return None.")

    return accumulator.register_hook(after_accumulation)


def _resize_strides(size: tuple[int, ...], memory_format) -> list[int]:
    """The strides `resize_` gives a tensor of `size` in `memory_format`."""
    from ._memory_format import channels_last, channels_last_3d, preserve_format

    if memory_format is preserve_format:
        raise RuntimeError("Unsupported memory formatPreserve")
    for fmt, rank, name in ((channels_last, 4, "channels_last"), (channels_last_3d, 5, "channels_last_3d")):
        if memory_format is fmt:
            if len(size) != rank:
                raise RuntimeError(f"required rank {rank} tensor to use {name} format")
            # channels innermost, then the spatial dims from last to first, then the batch
            # (PyTorch multiplies the raw sizes here, zeros included)
            strides = [0] * rank
            strides[1] = 1
            acc = size[1]
            for d in builtins.range(rank - 1, 1, -1):
                strides[d] = acc
                acc *= size[d]
            strides[0] = acc
            return strides
    strides = []
    acc = 1
    for s in reversed(size):
        strides.insert(0, acc)
        acc *= max(s, 1)
    return strides


def _resize_(self: Tensor, *size, memory_format=None) -> Tensor:
    """Resizes this tensor in place to `size`, keeping the leading elements of its
    storage (new elements are zero).

    Args:
        size: the new shape, as several ints or one sequence.
        memory_format: the strides of the result: `contiguous_format` (the default),
            `channels_last` (4-D) or `channels_last_3d` (5-D).
    """
    from ._creation import zeros
    from ._grad_mode import no_grad
    from ._memory_format import memory_format as memory_format_type

    if not size:
        raise TypeError('resize_() missing 1 required positional arguments: "size"')
    if len(size) == 1 and isinstance(size[0], (tuple, list, Size)):
        size = tuple(size[0])
    elif len(size) == 1 and (isinstance(size[0], builtins.bool) or not hasattr(type(size[0]), "__index__")):
        raise TypeError(f"resize_(): argument 'size' (position 1) must be tuple of ints, not {type(size[0]).__name__}")
    need_int_elements("resize_", "size", 1, size)
    size = tuple(operator.index(s) for s in size)
    if memory_format is not None and not isinstance(memory_format, memory_format_type):
        raise TypeError(
            f"resize_(): argument 'memory_format' must be torch.memory_format, not {type(memory_format).__name__}"
        )
    if self.requires_grad:
        raise RuntimeError("cannot resize variables that require grad")
    if any(s < 0 for s in size):
        raise RuntimeError("numel: integer multiplication overflow")  # PyTorch's, from its unsigned product
    if size == tuple(self.shape) and memory_format is None:
        return self  # PyTorch keeps the strides when the shape does not change
    n = math.prod(size)
    if n >= 2**63:
        raise RuntimeError("numel: integer multiplication overflow")  # PyTorch's int64 product check
    if (self.storage_offset() + n) * self.element_size() >= 2**63:
        raise RuntimeError(f"Storage size calculation overflowed with sizes={list(size)}")
    strides = _resize_strides(size, memory_format)
    _key, length = _core._storage_info(self)
    if self.is_complex():
        length //= 2  # the storage counts a complex element's two real parts
    offset = self.storage_offset()
    with no_grad():
        if offset + n <= length:
            self.data = self.as_strided(size, strides, offset)
        else:
            from ._interop import shared_with_numpy

            if shared_with_numpy(self):
                raise RuntimeError("Trying to resize storage that is not resizable")
            bigger = fill_uninitialized(zeros(offset + n, dtype=self.dtype))
            old = self.as_strided((length,), (1,), 0)
            bigger[:length] = old
            self.data = bigger.as_strided(size, strides, offset)
    refuse_inference_write(self)
    return self


def _resize_as_(self: Tensor, the_template: Tensor, *, memory_format=None) -> Tensor:
    """Resizes this tensor in place to the shape of `the_template` (see `resize_`).

    Args:
        the_template: the tensor whose shape is taken.
        memory_format: None keeps the strides when the shape does not change; else the
            strides of that format (`preserve_format`: the template's own, contiguous
            or channels-last).
    """
    if not isinstance(the_template, Tensor):
        raise TypeError("resize_as_(): argument 'the_template' (position 1) must be Tensor, "
                        f"not {type_name(the_template)}")
    _resize_(self, tuple(the_template.shape))
    if memory_format is None:
        return self
    from ._memory_format import preserve_format

    if memory_format is preserve_format:
        memory_format = _suggested_memory_format(the_template)
    return _resize_(self, tuple(the_template.shape), memory_format=memory_format)


def _suggested_memory_format(t: Tensor):
    """PyTorch's `suggest_memory_format`: channels-last for a 4-D (5-D) tensor laid out
    so and not also row-major, else contiguous."""
    from ._memory_format import channels_last, channels_last_3d, contiguous_format

    for fmt, rank in ((channels_last, 4), (channels_last_3d, 5)):
        if t.dim() == rank and t.is_contiguous(memory_format=fmt) and not t.is_contiguous():
            return fmt
    return contiguous_format


def _resized_view(self: Tensor, shape: tuple) -> Tensor:
    count = math.prod(shape)
    if count != self.numel():
        raise RuntimeError(
            f"requested resize to {'x'.join(str(s) for s in shape)} ({count} elements in total), but the given "
            f"tensor has a size of {'x'.join(str(s) for s in self.shape)} ({self.numel()} elements). autograd's "
            "resize can only change the shape of a given tensor, while preserving the number of elements. "
        )
    return self.contiguous().view(shape)


def _resize(self: Tensor, *sizes) -> Tensor:
    """Deprecated: this tensor's elements viewed with another shape of the same number of
    elements (use `reshape`).

    Args:
        *sizes: the new shape, as ints or one sequence.
    """
    warnings.warn("non-inplace resize is deprecated", stacklevel=2)
    if not sizes and self.numel() == 1:  # PyTorch's `view()` of no size
        raise TypeError("view() received an invalid combination of arguments - got (), but expected one of:\n"
                        " * (torch.dtype dtype)\n * (tuple of ints size)\n")
    shape = tuple(sizes[0]) if len(sizes) == 1 and not isinstance(sizes[0], builtins.int) else tuple(sizes)
    return _resized_view(self, shape)


def _resize_as(self: Tensor, tensor: Tensor) -> Tensor:
    """Deprecated: this tensor's elements viewed with the shape of `tensor` (use
    `reshape_as`).

    Args:
        tensor: the tensor whose shape to take (same number of elements).
    """
    warnings.warn("non-inplace resize_as is deprecated", stacklevel=2)
    return _resized_view(self, tuple(tensor.shape))


def _new(
    self: Tensor, *args, dtype=None, device=None, requires_grad: builtins.bool = False
) -> Tensor:
    """A new tensor of this dtype (the legacy constructor): from data, of a shape, or
    empty when given nothing.

    Args:
        args: the data (a sequence or tensor) or the sizes.
        dtype: the dtype; None for this tensor's.
        device: the device (only the CPU exists).
        requires_grad: whether autograd records operations on the result.
    """
    from ._creation import empty, tensor

    if dtype is not None or requires_grad is not False:
        _refuse_new_keywords(args, dtype, device, requires_grad)
    dt = dtype or self.dtype
    if not args:
        return empty(0, dtype=dt)
    if len(args) == 1 and isinstance(args[0], Tensor):
        src = args[0]
        if src.dtype != self.dtype:
            from ._legacy_types import _options

            raise TypeError(f"expected {_options(self.dtype)} (got {_options(src.dtype)})")
        return src.detach()
    if len(args) == 1 and isinstance(args[0], Size):
        return empty(tuple(args[0]), dtype=dt)
    if len(args) == 1 and not isinstance(args[0], builtins.int) and hasattr(args[0], "__len__"):
        return tensor(args[0], dtype=dt, requires_grad=requires_grad)
    out = empty(*args, dtype=dt)
    if requires_grad:
        out.requires_grad_(True)
    return out


def _refuse_new_keywords(args: tuple, dtype, device, requires_grad) -> None:
    """PyTorch's parser error for the legacy `Tensor.new`, which takes only `device`."""
    from ._parser_check import _got_text

    given = {k: v for k, v in (("dtype", dtype), ("device", device), ("requires_grad", requires_grad))
             if v is not None and (k != "requires_grad" or v is not False)}
    wrong = ", ".join(k for k in given if k != "device")
    raise TypeError(
        f"new() received an invalid combination of arguments - got {_got_text(args, given)}, but expected one of:\n"
        " * (*, ferrograd.device device = None)\n"
        f"      didn't match because some of the keywords were incorrect: {wrong}\n"
        " * (ferrograd.Storage storage)\n * (Tensor other)\n * (tuple of ints size, *, ferrograd.device device = None)\n"
        " * (object data, *, ferrograd.device device = None)\n")


def _new_empty_strided(
    self: Tensor,
    size,
    stride,
    *,
    dtype=None,
    layout=None,
    device=None,
    requires_grad: builtins.bool = False,
    pin_memory: builtins.bool = False,
) -> Tensor:
    """A tensor of this dtype with the given shape and strides (its values are
    unspecified).

    Args:
        size: the shape.
        stride: the stride of each dimension, in elements.
        dtype: the dtype; None for this tensor's.
        layout: ignored (only strided tensors exist).
        device: the device (only the CPU exists).
        requires_grad: whether autograd records operations on the result.
        pin_memory: ignored (no accelerator).
    """
    refuse_bad_device("new_empty_strided", device)
    return empty_strided(size, stride, dtype=dtype or self.dtype, requires_grad=requires_grad)


def _as_method(fn):
    qualified = f"Tensor.{fn.__name__}"
    if fn.__code__.co_argcount == 1 and not fn.__code__.co_flags & 0x0C:

        def method(self: Tensor):
            return fn(self)
    else:

        def method(self: Tensor, *args, **kwargs):
            try:
                return fn(self, *args, **kwargs)
            except TypeError as error:
                # the function counts `self` among the positions; the method's parser does not
                positioned = for_method(error, qualified, args, kwargs)
                if positioned is None:
                    raise
                raise positioned from error

    method.__name__ = method.__qualname__ = fn.__name__
    method.__doc__ = fn.__doc__
    return method


def _install() -> None:
    T = Tensor
    for name, (method, saves_self) in _INPLACE.items():
        if name not in T.__dict__ and hasattr(T, method):
            setattr(T, name, _make_inplace(name, method, saves_self))
    for name, op in _COMPARISONS.items():
        setattr(T, name + "_", _make_compare_inplace(name, op))
        if not hasattr(T, name):
            setattr(T, name, getattr(T, op))
    T.divide_ = T.div_
    T.multiply_ = T.mul_
    T.subtract_ = T.sub_
    T.true_divide_ = lambda self, other: self.div_(other)
    T.t_ = _t_
    T.transpose_ = _transpose_
    T.swapaxes_ = _swapaxes_
    T.swapdims_ = _swapdims_
    T.squeeze_ = _squeeze_
    T.unsqueeze_ = _unsqueeze_
    T.as_strided = _as_method(as_strided)
    T.as_strided_ = _as_method(as_strided_)
    T.as_strided_scatter = _as_method(as_strided_scatter)
    T.slice_scatter = _as_method(slice_scatter)
    T.select_scatter = _as_method(select_scatter)
    T.diagonal_scatter = _as_method(diagonal_scatter)
    T.unfold = _unfold
    T.fill_diagonal_ = _fill_diagonal_
    T.index_put_ = _index_put_
    T.index_put = _index_put
    T.split_with_sizes = _as_method(split_with_sizes)
    T.unsafe_split = _as_method(unsafe_split)
    T.unsafe_split_with_sizes = _as_method(unsafe_split_with_sizes)
    T.unsafe_chunk = _as_method(unsafe_chunk)
    T.sum_to_size = _sum_to_size
    T.where = _where
    T.argwhere = _as_method(argwhere)
    T.ravel = _as_method(ravel)
    T.H = property(_h)
    T.mH = property(_mh)
    T.adjoint = _adjoint
    T.itemsize = property(lambda self: self.element_size())
    T.nbytes = property(lambda self: self.numel() * self.element_size())
    def ndimension(self) -> int:
        """The number of dims (alias of `dim()`)."""
        return self.dim()

    def is_pinned(self, device=None) -> builtins.bool:
        """Whether the storage is page-locked: always False on the CPU.

        Args:
            device: the accelerator asked about (ignored).
        """
        from ._device import NO_ACCELERATOR
        from ._device_method_args import device_argument

        if isinstance(device_argument("is_pinned", device, 1), builtins.int):  # PyTorch's parser, then the index
            raise RuntimeError(NO_ACCELERATOR)  # noqa: TRY004 (PyTorch's type)
        return False

    T.ndimension = ndimension
    T.output_nr = property(lambda self: _core._output_nr(self))
    T.is_pinned = is_pinned
    T.is_shared = _is_shared
    T.share_memory_ = _share_memory_
    T.pin_memory = _pin_memory
    T.is_set_to = _is_set_to
    T.dim_order = _dim_order
    T.apply_ = _apply_
    T.map_ = _map_
    T.map2_ = _map2_
    T.register_post_accumulate_grad_hook = _register_post_accumulate_grad_hook
    T.resize_ = _resize_
    T.resize_as_ = _resize_as_
    T.resize = _resize
    T.resize_as = _resize_as
    from ._tensor_set import set_

    T.set_ = set_
    T.name = property(lambda self: None)
    T.new = _new
    T.new_empty_strided = _new_empty_strided
    T.is_nonzero = _as_method(is_nonzero)
    T.is_same_size = _as_method(is_same_size)
    T.is_signed = _as_method(is_signed)
    T.is_complex = _as_method(is_complex)
    T.is_conj = _as_method(is_conj)
    T.is_neg = _as_method(is_neg)
    T.is_inference = _as_method(is_inference)
    T.conj = _as_method(conj)
    T.conj_physical = _as_method(conj_physical)
    T.conj_physical_ = _as_method(conj_physical_)
    T.resolve_conj = _as_method(resolve_conj)
    T.resolve_neg = _as_method(resolve_neg)
    T.real = property(real, lambda self, value: _copy_into_part(real(self), value))
    T.imag = property(imag, lambda self, value: _copy_into_part(imag(self), value))


def _copy_into_part(part: Tensor, value) -> None:
    """`x.real = value` / `x.imag = value`: PyTorch's copy_, with its (once a process)
    warning when a complex value loses its imaginary part."""
    if isinstance(value, Tensor) and value.dtype.is_complex and not part.dtype.is_complex:
        _warn_complex_to_real()
    part.copy_(value)


_install()

__all__ = [
    "abs_",
    "absolute",
    "acos_",
    "acosh_",
    "addmv_",
    "alias_copy",
    "arccos_",
    "arccosh_",
    "arcsin_",
    "arcsinh_",
    "arctan_",
    "arctanh_",
    "argwhere",
    "as_strided",
    "as_strided_",
    "as_strided_copy",
    "as_strided_scatter",
    "asin_",
    "asinh_",
    "atan_",
    "atanh_",
    "broadcast_shapes",
    "can_cast",
    "ceil_",
    "clamp_",
    "clamp_max_",
    "clamp_min_",
    "clip_",
    "conj",
    "conj_physical",
    "conj_physical_",
    "cos_",
    "cosh_",
    "deg2rad_",
    "detach_",
    "detach_copy",
    "diagonal_copy",
    "diagonal_scatter",
    "empty_permuted",
    "empty_strided",
    "erf_",
    "erfc_",
    "exp2_",
    "exp_",
    "expand_copy",
    "expm1_",
    "fill",
    "fill_",
    "fix_",
    "floor_",
    "frac_",
    "greater",
    "greater_equal",
    "imag",
    "index_put",
    "index_put_",
    "is_complex",
    "is_conj",
    "is_inference",
    "is_neg",
    "is_nonzero",
    "is_same_size",
    "is_signed",
    "less",
    "less_equal",
    "log1p_",
    "log2_",
    "log10_",
    "log_",
    "nan_to_num_",
    "neg_",
    "negative_",
    "not_equal",
    "permute_copy",
    "rad2deg_",
    "randint_like",
    "range",
    "ravel",
    "real",
    "reciprocal_",
    "relu_",
    "resize_as_",
    "resolve_conj",
    "resolve_neg",
    "round_",
    "rsqrt_",
    "rsub",
    "scalar_tensor",
    "select_copy",
    "select_scatter",
    "sigmoid_",
    "sin_",
    "sinh_",
    "slice_copy",
    "slice_scatter",
    "split_with_sizes",
    "sqrt_",
    "square_",
    "squeeze_copy",
    "t_copy",
    "tan_",
    "tanh_",
    "transpose_copy",
    "trunc_",
    "unfold_copy",
    "unsafe_chunk",
    "unsafe_split",
    "unsafe_split_with_sizes",
    "unsqueeze_copy",
    "view_copy",
    "xlogy_",
    "zero_",
]
