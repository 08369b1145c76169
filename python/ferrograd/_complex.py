"""Complex tensors: the complex dtypes, `view_as_real`/`view_as_complex`, `complex`,
`polar`, `Tensor.cfloat`/`cdouble` and the warning of complex-to-real casts (`real`,
`imag`, `conj` live with the other Tensor API functions in `_tensor_api`, `angle` in
`_toplevel_misc`).

A complex tensor's storage is a real buffer of (re, im) pairs; the Rust core
(`src/ops/complex.rs`) computes complex ops as real ops on that real view.

Conjugation is lazy, as in PyTorch: `x.conj()` is a view of `x`'s memory with the
conjugate bit set (`is_conj()`), and `torch._neg_view(x)` one with the negative bit
(`is_neg()`; the `imag` of a conjugate view is one). Views of such a view keep its bits,
writes through it store the conjugated/negated values, and every other op reads the
values with the bits applied (the Rust boundary hands ops a resolved copy, see
`src/tensor/lazy_bits.rs`); `resolve_conj()`/`resolve_neg()` make that copy explicitly.
`view_as_real` and `numpy()` refuse a tensor with a bit set, as PyTorch does, since its
memory does not hold its values.
"""

from __future__ import annotations

import builtins

from . import _core, _memory_format
from ._argcheck import need_tensor as _need_tensor
from ._argcheck import need_tensor_self
from ._core import Tensor, complex32, complex64, complex128
from ._dtype_names import scalar_name
from ._float8_fill import check_fill
from ._user_warning import warn_complex_to_real

__all__ = [
    "cdouble",
    "cfloat",
    "chalf",
    "complex",
    "complex32",
    "complex64",
    "complex128",
    "polar",
    "view_as_complex",
    "view_as_complex_copy",
    "view_as_real",
    "view_as_real_copy",
]

cfloat = complex64
cdouble = complex128
chalf = complex32

_KERNEL_NAMES = {complex32: "ComplexHalf", complex64: "ComplexFloat", complex128: "ComplexDouble"}


_CPP_NAMES = {
    _core.float32: "float", _core.float64: "double", _core.float16: "c10::Half",
    _core.bfloat16: "c10::BFloat16", _core.int64: "int64_t", _core.int32: "int",
    _core.int16: "int16_t", _core.int8: "int8_t", _core.uint8: "uint8_t",
}


def real_number_of(value: builtins.complex, dtype) -> builtins.float | builtins.bool:
    """A Python complex written into a real `dtype` as PyTorch converts it: nonzero-ness
    for bool, the real part when the imaginary part is 0, else PyTorch's error."""
    if dtype is _core.bool:
        return value != 0
    if value.imag != 0:
        raise RuntimeError(f"value cannot be converted to type {_CPP_NAMES.get(dtype, dtype)} without overflow")
    return value.real


def refuse_complex(t: Tensor, kernel: str) -> None:
    """PyTorch's NotImplementedError for `kernel`, which has no complex form, when `t`
    is complex."""
    if t.dtype.is_complex:
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{_KERNEL_NAMES[t.dtype]}'")




def _is_complex(t: Tensor) -> builtins.bool:
    return t.dtype.is_complex


def view_as_real(input: Tensor) -> Tensor:
    """A complex tensor as a real one with a trailing dim of size 2 (real, imaginary),
    sharing its memory.

    Args:
        input: a complex tensor.
    """
    _need_tensor("view_as_real", "input", 1, input)
    if input.is_conj():
        raise RuntimeError(
            "view_as_real doesn't work on unresolved conjugated tensors.  To resolve the conjugate tensor so you "
            "can view it as real, use self.resolve_conj(); however, be warned that the resulting tensor will NOT "
            "alias the original."
        )
    return _core._view_as_real(input)


def view_as_complex(input: Tensor) -> Tensor:
    """A float32/float64 tensor whose last dim has size 2 and stride 1, read as complex
    numbers (sharing its memory).

    Args:
        input: the real tensor of (real, imaginary) pairs.
    """
    _need_tensor("view_as_complex", "input", 1, input)
    _refuse_0d_pairs(input)
    return _core._view_as_complex(input)


def _refuse_0d_pairs(input: Tensor) -> None:
    """PyTorch's check, after the dtype's and before the last dim's, that there is a dim
    to hold the (real, imaginary) pairs."""
    if input.dim() == 0 and input.dtype in (_core.float16, _core.float32, _core.float64):
        raise RuntimeError("Input tensor must have one or more dimensions")


def view_as_real_copy(input: Tensor) -> Tensor:
    """A new contiguous real tensor (not a view) holding `view_as_real(input)`.

    Args:
        input: a complex tensor.
    """
    _need_tensor("view_as_real_copy", "input", 1, input)
    copy = _core._view_as_real(input).clone(memory_format=_memory_format.contiguous_format)
    if copy.requires_grad:
        copy = _core._named_node(copy, "ViewAsRealBackward0_copy")
    return copy


def view_as_complex_copy(input: Tensor) -> Tensor:
    """A new contiguous complex tensor (not a view) holding `view_as_complex(input)`.

    Args:
        input: a half/float/double tensor whose last dim has size 2 and stride 1.
    """
    _need_tensor("view_as_complex_copy", "input", 1, input)
    _refuse_0d_pairs(input)
    view = _core._view_as_complex(input)
    if input.requires_grad and _core.is_grad_enabled():
        # PyTorch has no derivative formula for this op's complex output
        raise RuntimeError(
            "view_as_complex_copy does not support automatic differentiation for outputs with complex dtype."
        )
    return view.clone(memory_format=_memory_format.contiguous_format)


def complex(real: Tensor, imag: Tensor, *, out=None) -> Tensor:
    """The complex tensor `real + i imag` (broadcast; both float32 or both float64).

    Args:
        real: the real parts.
        imag: the imaginary parts.
        out: an optional tensor the result is written into and returned.
    """
    _need_tensor("complex", "real", 1, real)
    _need_tensor("complex", "imag", 2, imag)
    if not (_core.is_grad_enabled() and (real.requires_grad or imag.requires_grad)):
        return _write_out(_core._complex(real, imag), out, "complex", (real, imag))
    from functools import partial

    from ._grad_mode import no_grad
    from .nn._composite_nodes import record

    with no_grad():
        result = _core._complex(real, imag)
    # PyTorch's node: edges to `real` and `imag` themselves; it keeps (imag first) the
    # ones that require grad
    kept = [(field, t if t.requires_grad else None) for field, t in (("imag", imag), ("real", real))]
    result = record("ComplexBackward0", (real, imag), result, kept,
                    partial(_complex_backward, tuple(real.shape), tuple(imag.shape)))
    return _write_out(result, out, "complex", (real, imag))


def _complex_backward(real_shape: tuple, imag_shape: tuple, grads, saved, needs):
    from .nn._composite_nodes import sum_to

    grad = grads[0]
    return (sum_to(grad.real, real_shape) if needs[0] else None,
            sum_to(grad.imag, imag_shape) if needs[1] else None)


def polar(abs: Tensor, angle: Tensor, *, out=None) -> Tensor:
    """The complex tensor `abs * (cos(angle) + i sin(angle))`.

    Args:
        abs: the absolute values.
        angle: the angles in radians.
        out: an optional tensor the result is written into and returned.
    """
    _need_tensor("polar", "abs", 1, abs)
    _need_tensor("polar", "angle", 2, angle)
    return _write_out(_core._polar(abs, angle), out, "polar", (abs, angle))


def _write_out(result: Tensor, out, name: str, inputs) -> Tensor:
    if out is None:
        return result
    from ._out import check_differentiable

    check_differentiable(name, inputs, {}, out)
    if isinstance(out, Tensor) and out.dtype != result.dtype:
        raise RuntimeError(
            f"Expected object of scalar type {scalar_name(result.dtype)} but got scalar type "
            f"{scalar_name(out.dtype)} for argument 'out'"
        )
    out.resize_(result.shape)
    out.copy_(result)
    return out


_real_to_dtype = Tensor._to_dtype


def _to_dtype(self: Tensor, dtype, copy: bool = False) -> Tensor:
    if _is_complex(self) and isinstance(dtype, _core.dtype) and not dtype.is_complex \
            and dtype is not _core.bool:
        warn_complex_to_real()
    return _real_to_dtype(self, dtype, copy)


def _cfloat(self: Tensor, *, memory_format=None) -> Tensor:
    """`self.to(complex64)`.

    Args:
        memory_format: the result's memory format (None: this tensor's, as preserve_format).
    """
    need_tensor_self("cfloat", self)
    if memory_format is not None:
        return self.to(complex64, memory_format=memory_format)
    return self._to_dtype(complex64)


def _cdouble(self: Tensor, *, memory_format=None) -> Tensor:
    """`self.to(complex128)`.

    Args:
        memory_format: the result's memory format (None: this tensor's, as preserve_format).
    """
    need_tensor_self("cdouble", self)
    if memory_format is not None:
        return self.to(complex128, memory_format=memory_format)
    return self._to_dtype(complex128)


def _chalf(self: Tensor, *, memory_format=None) -> Tensor:
    """`self.to(complex32)`.

    Args:
        memory_format: the result's memory format (None: this tensor's, as preserve_format).
    """
    need_tensor_self("chalf", self)
    if memory_format is not None:
        return self.to(complex32, memory_format=memory_format)
    return self._to_dtype(complex32)


def _complex_value(self: Tensor) -> builtins.complex:
    """`complex(t)` of a one-element tensor."""
    from ._scalar_warning import warn_if_requires_grad

    warn_if_requires_grad(self)
    if self.numel() != 1:
        raise ValueError("only one element tensors can be converted to Python scalars")
    return builtins.complex(self.item())


_real_fill_ = Tensor.fill_


def _fill_(self: Tensor, value) -> Tensor:
    if isinstance(value, builtins.complex) and not self.dtype.is_complex:
        value = real_number_of(value, self.dtype)
    check_fill(self, value)
    return _real_fill_(self, value)


def _install() -> None:
    T = Tensor
    _fill_.__name__ = _fill_.__qualname__ = "fill_"
    _fill_.__doc__ = _real_fill_.__doc__
    T.fill_ = _fill_  # type: ignore[method-assign]
    T.__complex__ = _complex_value  # type: ignore[attr-defined]
    T.cfloat = _cfloat  # type: ignore[attr-defined]
    T.cdouble = _cdouble  # type: ignore[attr-defined]
    T.chalf = _chalf  # type: ignore[attr-defined]
    _chalf.__name__ = _chalf.__qualname__ = "chalf"
    _cfloat.__name__ = _cfloat.__qualname__ = "cfloat"
    _cdouble.__name__ = _cdouble.__qualname__ = "cdouble"
    T._to_dtype = _to_dtype  # type: ignore[attr-defined]


_install()
