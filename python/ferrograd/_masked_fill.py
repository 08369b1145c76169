"""`masked_fill` with a 0-dim tensor value: PyTorch's `MaskedFillBackward1`, whose
value receives the sum of the gradient where the mask is set (the core's method takes
numbers and records `MaskedFillBackward0`)."""

from __future__ import annotations

from . import _core
from ._argcheck import need_tensor
from ._complex import real_number_of
from ._core import Tensor
from ._dtype_names import cpp_name
from ._numpy import is_ndarray
from ._parser_check import parser_error

__all__: list[str] = []

_masked_fill_number = Tensor.masked_fill


def _is_complex_value(value) -> bool:
    return isinstance(value, complex) or (isinstance(value, Tensor) and value.dtype.is_complex)


def _check_bool_mask(mask) -> None:
    if isinstance(mask, Tensor) and mask.dtype != _core.bool:
        raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype {cpp_name(mask.dtype)}")


def _masked_fill_complex(self: Tensor, mask: Tensor, value) -> Tensor:
    """`masked_fill` of a complex tensor: `where(mask, value, self)` under PyTorch's node
    names (the number path checks the mask on the real parts)."""
    if isinstance(value, Tensor) and value.dim() != 0:
        raise RuntimeError(
            f"masked_fill_ only supports a 0-dimensional value tensor, but got tensor with {value.dim()} dimension(s)."
        )
    _check_bool_mask(mask)
    _masked_fill_number(_core._view_as_real(self.detach())[..., 0], mask, 0)
    if isinstance(value, (int, float)):
        _core._check_scalar(value, self.dtype)  # PyTorch converts to the element type, checked
    from ._creation import tensor

    fill = value.to(self.dtype) if isinstance(value, Tensor) else tensor(value, dtype=self.dtype)
    out = _core._where(mask, fill, self)
    if out.grad_fn is not None:
        node = "MaskedFillBackward1" if isinstance(value, Tensor) else "MaskedFillBackward0"
        out = _core._named_node(out, node)
    return out


def _broadcast_shape(a: tuple, b: tuple) -> tuple | None:
    """The broadcast of shapes `a` and `b`; None when they do not broadcast."""
    out = []
    for i in range(1, max(len(a), len(b)) + 1):
        x = a[-i] if i <= len(a) else 1
        y = b[-i] if i <= len(b) else 1
        if x != y and 1 not in (x, y):
            return None
        out.append(y if x == 1 else x)
    return tuple(reversed(out))


def _masked_fill(self: Tensor, mask: Tensor, value) -> Tensor:
    # out of place, PyTorch first broadcasts `self` against a broader mask
    if isinstance(self, Tensor) and isinstance(mask, Tensor) and mask.shape != self.shape:
        shape = _broadcast_shape(tuple(self.shape), tuple(mask.shape))
        if shape is None:
            _refuse_mismatch(tuple(mask.shape), tuple(self.shape))
        if shape != tuple(self.shape):
            self = self.expand(shape)
    return _masked_fill_same_shape(self, mask, value)


def _refuse_mismatch(a: tuple, b: tuple) -> None:
    """PyTorch's error broadcasting the mask (`a`) with the tensor (`b`): the first
    clash from the right, by its dim in the broadcast shape."""
    n = max(len(a), len(b))
    for i in range(n - 1, -1, -1):
        x = a[i - n + len(a)] if i - n + len(a) >= 0 else 1
        y = b[i - n + len(b)] if i - n + len(b) >= 0 else 1
        if x != y and 1 not in (x, y):
            raise RuntimeError(f"The size of tensor a ({x}) must match the size of tensor b ({y}) at non-singleton "
                               f"dimension {i}")


def _masked_fill_same_shape(self: Tensor, mask: Tensor, value) -> Tensor:
    if is_ndarray(value):  # PyTorch's parser takes a NumPy scalar as a Number, not an array
        raise parser_error("Tensor.masked_fill", (mask, value), {}) or TypeError("masked_fill(): invalid value")
    if self.dtype.is_complex:
        need_tensor("masked_fill", "mask", 1, mask)
        return _masked_fill_complex(self, mask, value)
    if isinstance(value, complex):
        value = real_number_of(value, self.dtype)
    elif _is_complex_value(value):
        value = real_number_of(value.item(), self.dtype)
    if not isinstance(value, Tensor):
        _check_bool_mask(mask)
        return _masked_fill_number(self, mask, value)
    need_tensor("masked_fill", "mask", 1, mask)
    if value.dim() != 0:
        raise RuntimeError(
            f"masked_fill_ only supports a 0-dimensional value tensor, but got tensor with {value.dim()} dimension(s)."
        )
    _check_bool_mask(mask)
    # the number path checks the mask and writes the values (value cast to self's dtype)
    out = _masked_fill_number(self, mask, value.detach())
    if value.requires_grad and _core.is_grad_enabled():
        out = _core._where(mask, value.to(self.dtype), self)
    if out.grad_fn is not None:
        out = _core._named_node(out, "MaskedFillBackward1")
    return out


_masked_fill.__name__ = _masked_fill.__qualname__ = "masked_fill"
_masked_fill.__doc__ = _masked_fill_number.__doc__



def _masked_fill_(self: Tensor, mask: Tensor, value) -> Tensor:
    """Writes `value` into this tensor where `mask` is True, in place; returns it.

    Args:
        mask: a bool tensor broadcastable to this tensor's shape.
        value: a number, or a 0-dim tensor (whose gradient is the sum of the gradient
            over the filled positions).
    """
    if isinstance(mask, Tensor) and mask.dtype == _core.bool and tuple(mask.shape) != tuple(self.shape):
        _check_inplace_broadcast(self, mask)
    try:
        return _core._inplace_call("masked_fill_", self, False, lambda s: _masked_fill_same_shape(s, mask, value))
    except TypeError as failure:  # worded for masked_fill: the parser names the in-place method
        raise parser_error("Tensor.masked_fill_", (mask, value), {}) or failure from None


def _check_inplace_broadcast(self: Tensor, mask: Tensor) -> None:
    """PyTorch's error when the mask would broadcast `self` (written in place) larger."""
    from ._tensor_api import broadcast_shapes

    try:
        shape = tuple(broadcast_shapes(tuple(self.shape), tuple(mask.shape)))
    except RuntimeError:
        return  # shapes that do not broadcast: the kernel's own error
    if shape != tuple(self.shape):
        raise RuntimeError(f"output with shape {list(self.shape)} doesn't match the broadcast shape {list(shape)}")


_masked_fill_.__name__ = _masked_fill_.__qualname__ = "masked_fill_"

Tensor.masked_fill = _masked_fill  # type: ignore[method-assign]
Tensor.masked_fill_ = _masked_fill_  # type: ignore[method-assign]
