"""`ferrograd.ops.aten`: PyTorch's built-in operators looked up by their ATen names.

A few are kernels PyTorch exposes only there (the backward functions that tests and
decompositions call, `slice`, `_safe_softmax`); any other name stands for the ferrograd
function of that name (`aten.add` is `ferrograd.add`, `aten.linalg_solve` is
`ferrograd.linalg.solve`, `aten.add_` is `Tensor.add_`). Every overload name of such a
function (`aten.add.Tensor`, `aten.add.out`) calls the same function, which tells the
overloads apart by its arguments as PyTorch's Python functions do.
"""

from __future__ import annotations

import types
from collections.abc import Callable

from . import _core
from ._aten_declarations import DECLARATIONS, overload_name
from ._aten_schema import Schema, check_overload, check_packet, parse
from ._core import Tensor
from ._dtype_names import cpp_name, scalar_name
from ._native_ops import _batch_norm_with_update
from ._sparse_common import wrap_dim

# ---------------------------------------------------------------- kernels named only in aten


def _max_pool2d_with_indices_backward(grad_output: Tensor, self: Tensor, kernel_size, stride, padding,
                                      dilation, ceil_mode, indices: Tensor) -> Tensor:
    """The gradient of `max_pool2d` for its input: each output gradient added at the
    input position its index names (indices count positions within one plane)."""
    from ._creation import ones, zeros

    if grad_output.dtype != self.dtype:
        raise RuntimeError(f"expected dtype {cpp_name(self.dtype)} for `gradOutput` but got dtype "
                           f"{cpp_name(grad_output.dtype)}")
    if not self.dtype.is_floating_point:
        raise NotImplementedError(f'"max_pool2d_backward" not implemented for \'{scalar_name(self.dtype)}\'')
    plane = tuple(self.shape[-2:])
    # explicit sizes, not -1: a batch of 0 planes leaves -1 ambiguous
    flat_grad = grad_output.reshape(*grad_output.shape[:-2], grad_output.shape[-2] * grad_output.shape[-1])
    flat_indices = indices.reshape(*indices.shape[:-2], indices.shape[-2] * indices.shape[-1])
    base = zeros((*self.shape[:-2], plane[0] * plane[1]), dtype=grad_output.dtype)
    grad_input = base.scatter_add(-1, flat_indices, flat_grad).reshape(self.shape)
    if self.requires_grad and _core.is_grad_enabled():
        # PyTorch's gradient for `self` (used for its shape only) is zeros: where() gives
        # the unselected stand-in exactly that
        grad_input = grad_input.where(ones(tuple(self.shape), dtype=_core.bool), self)
    return _named(grad_input, "MaxPool2DWithIndicesBackwardBackward0")


def _softmax_backward_data(grad_output: Tensor, output: Tensor, dim: int, input_dtype) -> Tensor:
    """The gradient of `softmax` for its input, from the softmax `output`, in
    `grad_output`'s dtype (PyTorch's CPU kernel reads `input_dtype` only to refuse a
    half-precision input behind float32 gradients)."""
    from ._creation import empty

    if grad_output.shape != output.shape:
        raise RuntimeError(f"Expected tensor for argument #1 'grad' to have same size as tensor for argument #2 "
                           f"'output'; but {list(grad_output.shape)} does not equal {list(output.shape)} (while "
                           "checking arguments for softmax_backward)")
    dim = wrap_dim(dim, output.dim())
    if grad_output.dtype == _core.float32 and input_dtype in (_core.float16, _core.bfloat16):
        raise RuntimeError(f"expected scalar type Float but found {scalar_name(input_dtype)}")
    if output.numel() == 0:
        return empty(tuple(output.shape), dtype=grad_output.dtype)
    if not grad_output.dtype.is_floating_point:
        kernel = "softmax_backward_lastdim_kernel_impl" if dim == max(output.dim(), 1) - 1 else "softmax_backward_kernel_impl"
        raise NotImplementedError(f'"{kernel}" not implemented for \'{scalar_name(grad_output.dtype)}\'')
    if output.dtype != grad_output.dtype:
        raise RuntimeError(f"expected scalar type {scalar_name(grad_output.dtype)} but found {scalar_name(output.dtype)}")
    dtype = grad_output.dtype
    if dtype in (_core.float16, _core.bfloat16):  # PyTorch computes in float32, rounds once
        grad_output, output = grad_output.float(), output.float()
    grad_input = output * (grad_output - (grad_output * output).sum(dim, keepdim=True))
    return _named(grad_input.to(dtype), "SoftmaxBackwardDataBackward0")


def _safe_softmax(self: Tensor, dim: int, dtype=None) -> Tensor:
    """`softmax`, with 0 (not NaN) over a slice whose entries are all -inf."""
    from ._creation import zeros_like

    all_masked = (self == float("-inf")).all(dim, keepdim=True)
    # the masked slices' softmax runs on zeros, so that no NaN reaches their gradient
    result = self.where(~all_masked, zeros_like(self)).softmax(dim, dtype=dtype)
    return _named(result.where(~all_masked, zeros_like(result)), "SafeSoftmaxBackward0")


def _native_dropout_backward(grad_output: Tensor, mask: Tensor, scale: float) -> Tensor:
    """The gradient of `native_dropout` for its input: kept entries scaled."""
    return _named(grad_output * mask * scale, "NativeDropoutBackwardBackward0")


def _slice(self: Tensor, dim: int = 0, start=None, end=None, step: int = 1) -> Tensor:
    """`self[start:end:step]` along `dim`."""
    if self.dim() == 0:
        raise IndexError("slice() cannot be applied to a 0-dim tensor.")
    dim = wrap_dim(int(dim), self.dim())
    if step <= 0:
        raise RuntimeError("slice step must be positive")
    size = self.shape[dim]
    if step == 1 and slice(start, end).indices(size)[:2] == (0, size):  # indexing would alias: the op's own node
        return self.narrow(dim, 0, size)
    key = (slice(None),) * dim + (slice(start, end, step),)
    return self[key]


def _upsample_aa(mode: str):
    """`_upsample_<mode>2d_aa`: its `vec` overload `(input, output_size, align_corners,
    scale_factors)`, else `(input, output_size, align_corners, scales_h, scales_w)`."""

    def upsample(input: Tensor, output_size=None, align_corners: bool = False, *args, **kwargs) -> Tensor:
        from .nn._antialias import interpolate_aa

        vec = "scale_factors" in kwargs or output_size is None or len(args) == 1 and not isinstance(
            args[0], (int, float)) and args[0] is not None
        if vec:
            scales = kwargs.get("scale_factors", args[0] if args else None)
            output_size = _vec_output_size(input, output_size, scales)
        else:
            names = ("scales_h", "scales_w")
            scales = [args[k] if k < len(args) else kwargs.get(names[k]) for k in range(2)]
        _check_upsample_aa(input, [int(n) for n in output_size])
        return interpolate_aa(input, [int(n) for n in output_size], scales, bool(align_corners), mode)

    return upsample


_UNCHECKED = ("to be true, but got false.  (Could this error message be improved?  If so, please report an "
              "enhancement request to PyTorch.)")


def _vec_output_size(input: Tensor, output_size, scales) -> list[int]:
    """The `vec` overload's output size, from `output_size` or from the scale factors."""
    if (output_size is None) == (scales is None):
        raise RuntimeError("Must specify exactly one of output_size and scale_factors")
    spatial = input.dim() - 2
    given, name = (output_size, "output_size") if output_size is not None else (scales, "scale_factors")
    if len(given) != spatial:
        raise RuntimeError(f"Expected static_cast<int64_t>({name}->size()) == spatial_dimensions {_UNCHECKED}")
    if output_size is not None:
        return list(output_size)
    return [int(input.shape[2 + k] * float(scales[k])) for k in range(2)]


def _check_upsample_aa(input: Tensor, output_size: list[int]) -> None:
    if len(output_size) != 2:
        raise RuntimeError(f"It is expected output_size equals to 2, but got size {len(output_size)}")
    if input.dim() != 4:
        raise RuntimeError(f"It is expected input_size equals to 4, but got size {input.dim()}")
    (in_h, in_w), (out_h, out_w) = input.shape[2:], output_size
    if min(in_h, in_w, out_h, out_w) <= 0:
        raise RuntimeError(f"Input and output sizes should be greater than 0, but got input (H: {in_h}, W: {in_w}) "
                           f"output (H: {out_h}, W: {out_w})")
    if not input.dtype.is_floating_point and input.dtype != _core.uint8:  # uint8 has its fixed-point kernel
        raise NotImplementedError(f'"compute_index_ranges_weights" not implemented for \'{scalar_name(input.dtype)}\'')


def _batch_norm_with_update_op(input: Tensor, *args, **kwargs):
    """`_batch_norm_with_update`, whose refusal of a 0-dim input (a C++ length_error)
    reaches Python as ValueError through `torch.ops`."""
    if isinstance(input, Tensor) and input.dim() == 0:
        from .nn._batch_norm_checks import zero_dim_input_error

        raise ValueError(str(zero_dim_input_error()))
    return _batch_norm_with_update(input, *args, **kwargs)


def _named(t: Tensor, node: str) -> Tensor:
    return _core._named_node(t, node) if t.grad_fn is not None else t


# name -> the function of all its overloads (declared in `_aten_declarations`)
_KERNELS: dict[str, Callable] = {
    "max_pool2d_with_indices_backward": _max_pool2d_with_indices_backward,
    "_softmax_backward_data": _softmax_backward_data,
    "_safe_softmax": _safe_softmax,
    "native_dropout_backward": _native_dropout_backward,
    "slice": _slice,
    "_batch_norm_with_update": _batch_norm_with_update_op,
    "_upsample_bilinear2d_aa": _upsample_aa("bilinear"),
    "_upsample_bicubic2d_aa": _upsample_aa("bicubic"),
}


# ---------------------------------------------------------------- the ferrograd function of a name
def _namesake(name: str) -> Callable | None:
    """The ferrograd function `aten.<name>` stands for, or None."""
    import ferrograd

    for prefix, module in (("linalg_", "linalg"), ("special_", "special"), ("fft_", "fft")):
        if name.startswith(prefix):
            found = getattr(getattr(ferrograd, module), name[len(prefix):], None)
            if callable(found) and not isinstance(found, types.ModuleType):
                return found
    for home in (ferrograd, ferrograd.nn.functional):
        found = getattr(home, name, None)
        if callable(found) and not isinstance(found, (types.ModuleType, type)):
            return found
    if name.endswith("_") and not name.startswith("_"):
        method = getattr(Tensor, name, None)
        if callable(method):
            return method
    return None


class AtenOverload:
    """One overload of a built-in operator (`aten.slice.Tensor`)."""

    def __init__(self, name: str, overload: str, fn: Callable, schema: Schema | None = None) -> None:
        self._opname, self._overloadname, self._fn, self._schema = name, overload, fn, schema
        self.__name__ = f"{name}.{overload}"

    def name(self) -> str:
        """The qualified name, 'aten::name' (with '.overload' unless it is 'default')."""
        suffix = "" if self._overloadname == "default" else f".{self._overloadname}"
        return f"aten::{self._opname}{suffix}"

    def __repr__(self) -> str:
        return f"<OpOverload(op='aten.{self._opname}', overload='{self._overloadname}')>"

    def __str__(self) -> str:
        return f"aten.{self._opname}.{self._overloadname}"

    def __call__(self, *args, **kwargs):
        if self._schema is not None:
            check_overload(self._schema, args, kwargs)
        return self._fn(*args, **kwargs)


class AtenPacket:
    """A built-in operator by name: callable, with its overloads as attributes."""

    def __init__(self, name: str, fn: Callable, declarations: tuple[str, ...] | None) -> None:
        self.__name__ = name
        self._qualified_op_name = f"aten::{name}"
        self._fn = fn
        self._schemas = {overload_name(d): parse(d) for d in declarations} if declarations else None
        self._overloads = tuple(self._schemas) if self._schemas else None

    def overloads(self) -> list[str]:
        """The overload names known here (those of the kernels defined in this module)."""
        return list(self._overloads or ("default",))

    def __getattr__(self, key: str) -> AtenOverload:
        if key.startswith("__") or self._overloads is not None and key not in self._overloads:
            raise AttributeError(f"The underlying op of 'aten.{self.__name__}' has no overload name '{key}'")
        overload = AtenOverload(self.__name__, key, self._fn, self._schemas[key] if self._schemas else None)
        setattr(self, key, overload)
        return overload

    def __repr__(self) -> str:
        return f"<OpOverloadPacket(op='aten.{self.__name__}')>"

    def __str__(self) -> str:
        return f"aten.{self.__name__}"

    def __call__(self, *args, **kwargs):
        if self._schemas is not None:
            check_packet(tuple(self._schemas.values()), args, kwargs)
        return self._fn(*args, **kwargs)


def aten_packet(name: str) -> AtenPacket | None:
    """`ferrograd.ops.aten.<name>`, or None where ferrograd has no such operator."""
    if name in _KERNELS:
        return AtenPacket(name, _KERNELS[name], DECLARATIONS[name])
    fn = _namesake(name)
    return AtenPacket(name, fn, None) if fn is not None else None
