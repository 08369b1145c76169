"""Python-level Tensor methods: printing, NumPy interop, conversions, backward.

The hot operators are Rust methods of `_core.Tensor`; what lives here is off the hot
path and is attached to the same class at import.
"""

from __future__ import annotations

import contextlib
import sys

from . import _after_backward, _core, _hot_methods, _layouts
from ._argcheck import dim_error as _dim_error
from ._argcheck import need_bool, need_int, need_int_sequence, need_number, type_name
from ._argcheck import need_tensor as _need_tensor
from ._core import Tensor
from ._device import CPU, META, check_device, resolve_device
from ._device_method_args import check_device_method
from ._dtype_names import scalar_name
from ._numpy import np
from ._scalar_warning import warn_if_requires_grad
from ._shell_dtypes import FLOAT8_DTYPES
from ._size import Size as _Size  # registers the class Tensor.shape makes
from ._to_args import parse_to_args

_SHAPE_CLASS = _Size

_LEGACY_NAMES = {
    "bool": "BoolTensor",
    "uint8": "ByteTensor",
    "int8": "CharTensor",
    "int16": "ShortTensor",
    "int32": "IntTensor",
    "int64": "LongTensor",
    "float16": "HalfTensor",
    "bfloat16": "BFloat16Tensor",
    "float32": "FloatTensor",
    "float64": "DoubleTensor",
    "complex64": "ComplexFloatTensor",
    "complex128": "ComplexDoubleTensor",
    "complex32": "ComplexHalfTensor",
    "uint16": "UInt16Tensor",
    "uint32": "UInt32Tensor",
    "uint64": "UInt64Tensor",
    "float8_e4m3fn": "Float8_e4m3fnTensor",
    "float8_e5m2": "Float8_e5m2Tensor",
    "float8_e4m3fnuz": "Float8_e4m3fnuzTensor",
    "float8_e5m2fnuz": "Float8_e5m2fnuzTensor",
    "float8_e8m0fnu": "Float8_e8m0fnuTensor",
}
_DTYPE_BY_LEGACY_NAME = {v: k for k, v in _LEGACY_NAMES.items()}


def _dtype_name(t: Tensor) -> str:
    return repr(t.dtype).split(".", 1)[1]


def _values(t: Tensor) -> np.ndarray:
    """The tensor's own memory as an ndarray (no copy; the array keeps `t` alive); for a
    view with lazy bits (`conj()`, `_neg_view()`), a copy of its values."""
    if _core._lazy_bits(t):
        t = _core._resolve_lazy(t, 3)
    values = np.asarray(memoryview(t.detach() if t.requires_grad else t))
    # the buffer protocol names 64-bit ints "long long" ('q'); NumPy's own int64 is 'l' on
    # LP64 platforms, and only that one prints without `dtype=int64` (as PyTorch's arrays do)
    if values.dtype.char in "qQ":
        values = values.view(np.int64 if values.dtype.char == "q" else np.uint64)
    return values


def _exact_values(t: Tensor) -> np.ndarray:
    """`_values`, with bfloat16 and complex32 (which NumPy lacks) widened exactly to
    float32 and complex64."""
    if t.dtype in FLOAT8_DTYPES:
        return _values(t.detach().float())
    values = _values(t)
    if t.dtype is _core.bfloat16:
        return (values.astype(np.uint32) << 16).view(np.float32)
    if t.dtype is _core.complex32:
        # exported as (re, im) float16 pairs: a trailing dim of 2
        pairs = values.reshape(tuple(t.shape) + (2,)).astype(np.float32)
        return np.ascontiguousarray(pairs).view(np.complex64)[..., 0]
    return values


def _refuse_lazy_bits(t: Tensor) -> None:
    """PyTorch's refusal to share the memory of a view whose values are not its memory's."""
    bits = _core._lazy_bits(t)
    if bits & 1:
        raise RuntimeError("Can't call numpy() on Tensor that has conjugate bit set. Use tensor.resolve_conj().numpy() instead.")
    if bits & 2:
        raise RuntimeError("Can't call numpy() on Tensor that has negative bit set. Use tensor.resolve_neg().numpy() instead.")


def _refuse_bfloat16(t: Tensor) -> None:
    if t.dtype is _core.bfloat16:
        raise TypeError("Got unsupported ScalarType BFloat16")
    if t.dtype is _core.complex32:
        raise TypeError("Got unsupported ScalarType ComplexHalf")
    if t.dtype in FLOAT8_DTYPES:
        raise TypeError(f"Got unsupported ScalarType {scalar_name(t.dtype)}")


def _repr(self: Tensor, *, tensor_contents=None) -> str:
    try:
        grad_fn = self.grad_fn
        grad_fn_name = type(grad_fn).__name__ if grad_fn is not None else None
        if grad_fn_name == "CppFunction":  # PyTorch prints the C++ node's own name
            grad_fn_name = grad_fn.name().rsplit("::", 1)[-1]
    except RuntimeError:
        # a view made in no_grad mode whose base was written since: PyTorch prints this
        grad_fn_name = "Invalid"
    requires_grad = self.requires_grad
    if grad_fn_name != "Invalid" and _only_carries_tangents(self):
        grad_fn_name, requires_grad = None, False
    default = repr(_core.get_default_dtype()).split(".", 1)[1]
    from . import _printing  # loaded on the first repr, not by `import ferrograd`

    return _printing.format_tensor(
        _exact_values(self),
        _dtype_name(self),
        grad_fn=grad_fn_name,
        requires_grad=requires_grad,
        default_dtype_name=default,
        # PyTorch names a subclass instead of `tensor`
        prefix="tensor(" if type(self) is Tensor else f"{type(self).__name__}(",
        suffix_extra=_tangent_suffix(self),
    )


def _only_carries_tangents(self: Tensor) -> bool:
    """Whether `self` requires grad only to carry forward-AD tangents (not shown)."""
    import sys

    forward_ad = sys.modules.get("ferrograd.autograd.forward_ad")
    return forward_ad is not None and forward_ad.only_carries_tangents(self)


def _tangent_suffix(self: Tensor) -> tuple[str, ...]:
    """PyTorch prints a dual tensor's tangent after its other attributes."""
    import sys

    forward_ad = sys.modules.get("ferrograd.autograd.forward_ad")
    if forward_ad is None or not forward_ad._ACTIVE or not self.requires_grad:
        return ()
    tangent = forward_ad.unpack_dual(self).tangent
    return () if tangent is None else (f"tangent={tangent}",)


def _format(self: Tensor, spec: str) -> str:
    # a sparse or quantized tensor is of PyTorch's own Tensor class, formatted as its item
    if self.dim() == 0 and (type(self) is Tensor or _layouts._sparse(self)):
        return format(self.item(), spec)
    if spec:
        owner = "Tensor" if _layouts._sparse(self) or self.is_quantized else type(self).__name__
        raise TypeError(f"unsupported format string passed to {owner}.__format__")
    return str(self)


def _numpy(self: Tensor, *args, force: bool = False, **kwargs) -> np.ndarray:
    """The elements as a NumPy array sharing this tensor's memory.

    Args:
        force: also for a tensor that requires grad (its detached values).
    """
    if args:  # PyTorch's C method counts no `self`
        raise TypeError(f"numpy() takes 0 positional arguments but {len(args)} {'was' if len(args) == 1 else 'were'} "
                        "given")
    if kwargs:
        raise TypeError(f"numpy() got an unexpected keyword argument '{next(iter(kwargs))}'")
    need_bool("numpy", "force", None, force)
    if self.requires_grad and not force and _core.is_grad_enabled():  # allowed under no_grad, as PyTorch
        raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
    if not force:
        _refuse_lazy_bits(self)
    _refuse_bfloat16(self)
    if _called_by_user():
        from ._interop import mark_shared

        mark_shared(self)  # PyTorch's storage, once NumPy shares it, cannot grow
    return _values(self)


def _called_by_user(depth: int = 2) -> bool:
    """Whether the code `depth` frames up is the user's (not ferrograd's own, whose
    conversions to NumPy PyTorch does not make)."""
    from ._user_warning import _PACKAGE_DIR

    caller = sys._getframe(depth)
    if caller.f_code is _array.__code__:
        caller = caller.f_back
    return caller is None or not caller.f_code.co_filename.startswith(_PACKAGE_DIR)


def _array(self: Tensor, dtype=None) -> np.ndarray:
    """`numpy()`, cast to `dtype` if given (PyTorch's `__array__` takes no `copy`)."""
    a = _numpy(self)
    return a if dtype is None else a.astype(dtype)


def _tolist(self: Tensor):
    """The elements as (nested) Python lists of numbers."""
    if self.numel() == 0 and self.dim() > 1:
        return _empty_lists(tuple(self.shape))
    if self.dim() > _NUMPY_MAX_DIMS:  # past NumPy's dims: the flat values, nested here
        return _nested(self.reshape(-1).tolist(), tuple(self.shape))
    return _exact_values(self).tolist()


_NUMPY_MAX_DIMS = 64


def _nested(flat: list, shape: tuple[int, ...]) -> list:
    if len(shape) == 1:
        return flat
    step = len(flat) // shape[0]
    return [_nested(flat[i * step:(i + 1) * step], shape[1:]) for i in range(shape[0])]


def _empty_lists(shape: tuple[int, ...]) -> list:
    """Nested empty lists for a shape holding a 0 (NumPy cannot even describe some of
    them, e.g. (0, 2**31, 2**31)); MemoryError where the lists themselves are too many."""
    outer = 1
    for n in shape:
        if n == 0:
            break
        outer *= n
    if outer > 2**32:
        raise MemoryError()
    if shape[0] == 0:
        return []
    return [_empty_lists(shape[1:]) for _ in range(shape[0])]


def _iter(self: Tensor):
    if self.dim() == 0:
        raise TypeError("iteration over a 0-d tensor")
    return (self[i] for i in range(len(self)))


def _size(self: Tensor, dim: int | None = None):
    """The shape as a `Size`, or one dimension's size.

    Args:
        dim: the dimension to return the size of; None for the whole shape.
    """
    if dim is None:
        return self.shape
    if type(dim) is not int:
        need_int("size", "dim", 1, dim)
        dim = int(dim)
    n = self.dim()
    if n == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    if not -n <= dim < n:
        raise _dim_error(dim, f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
    return self._shape_tuple[dim]


def _backward(self: Tensor, gradient=None, retain_graph=None, create_graph: bool = False, inputs=None) -> None:
    """Computes the gradient of this tensor with respect to the graph leaves and
    accumulates it into their `.grad`.

    Args:
        gradient: the gradient of the output (needed unless it has one element).
        retain_graph: keep the graph's saved tensors for another backward.
        create_graph: record the backward pass, for higher-order derivatives.
        inputs: accumulate only into these leaves.
    """
    if gradient is not None and not isinstance(gradient, Tensor):
        try:  # PyTorch makes a tuple of it: a number is not iterable
            iter(gradient)
        except TypeError:
            raise TypeError(f"'{type(gradient).__name__}' object is not iterable") from None
    if isinstance(gradient, Tensor) and gradient.dtype.is_complex != self.dtype.is_complex:
        raise RuntimeError(
            "For complex Tensors, both grad_output and output are required to have the same dtype. "
            f"Mismatch in dtype: grad_output[0] has a dtype of {gradient.dtype} and output[0] has a "
            f"dtype of {self.dtype}."
        )
    if isinstance(inputs, (list, tuple)) and not inputs:
        raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    if inputs is not None and any(isinstance(i, Tensor) and not i.requires_grad
                                  for i in (inputs if isinstance(inputs, (list, tuple)) else (inputs,))):
        # PyTorch retains the grad of each input before it checks them
        raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
    if (gradient is not None and not isinstance(gradient, Tensor) or type(create_graph) is not bool
            or not (retain_graph is None or type(retain_graph) is bool)):
        # PyTorch's general path: gradients as a sequence, flags read as integers
        from .autograd import backward

        return backward(self, gradient, retain_graph, create_graph, inputs=inputs)
    if create_graph:
        _after_backward.warn_create_graph_once()
    _after_backward.run(_core._tensor_backward, self, gradient, retain_graph, create_graph, inputs)
    return None


def _to(self: Tensor, *args, **kwargs) -> Tensor:
    """This tensor cast to another dtype (itself if nothing changes).

    Args:
        *args: a dtype, a device ("cpu") or a tensor whose dtype to take.
        dtype: the dtype, as a keyword.
        device: the device: the CPU, or 'meta' for a meta tensor of this one's shape.
        copy: return a copy even when nothing changes.
    """
    kwargs.pop("memory_format", None)
    device, dtype, copy = parse_to_args(args, kwargs)
    if args and isinstance(args[0], Tensor):
        device = args[0].device  # `t.to(other)`: other's dtype and device
    if device is not None and resolve_device(device) is META:
        from ._meta import to_meta

        return to_meta(self if dtype is None else self._to_dtype(dtype))
    if copy:
        return self._to_dtype(self.dtype if dtype is None else dtype, True)
    return self if dtype is None or dtype is self.dtype else self._to_dtype(dtype)


def _type_as(self: Tensor, other: Tensor) -> Tensor:
    """This tensor cast to the dtype of `other`.

    Args:
        other: the tensor whose dtype to take.
    """
    _need_tensor("type_as", "other", 1, other)
    compressed = getattr(type(other), "_fg_compressed", False)
    if type(other) is not Tensor and (other.is_sparse or compressed) and not self.is_sparse:
        raise RuntimeError("to(options) doesn't support converting to a different layout, but got self.layout "
                           f"being Strided and options.layout set as {other._fg_layout_name if compressed else 'Sparse'}")
    return self._to_dtype(other.dtype)


def _expand_as(self: Tensor, other: Tensor) -> Tensor:
    """A view broadcast to the shape of `other`.

    Args:
        other: the tensor whose shape to take.
    """
    _need_tensor("expand_as", "other", 1, other)
    return self.expand(tuple(other.shape))


def _view_as(self: Tensor, other: Tensor) -> Tensor:
    """A view with the shape of `other`.

    Args:
        other: the tensor whose shape to take.
    """
    _need_tensor("view_as", "other", 1, other)
    return self.view(tuple(other.shape))


def _reshape_as(self: Tensor, other: Tensor) -> Tensor:
    """The elements in the shape of `other`.

    Args:
        other: the tensor whose shape to take.
    """
    _need_tensor("reshape_as", "other", 1, other)
    return self.reshape(tuple(other.shape))


@contextlib.contextmanager
def _named_as(factory: str, method: str):
    """The factory's parser TypeErrors (`empty(): argument 'size' ...`) as the `new_*`
    method's own, which PyTorch's parser names."""
    try:
        yield
    except TypeError as error:
        prefix = f"{factory}(): "
        if str(error).startswith(prefix):
            raise TypeError(f"{method}(): {str(error)[len(prefix):]}") from None
        raise


def _new(fn_name: str):
    def method(self: Tensor, *size, dtype=None, device=None, requires_grad: bool = False, **kwargs) -> Tensor:
        from . import _creation

        if "size" in kwargs and not size:  # PyTorch takes the shape by keyword too
            size = (kwargs.pop("size"),)
        if kwargs:
            raise TypeError(f"new_{fn_name}() got an unexpected keyword argument '{next(iter(kwargs))}'")
        if not size:
            raise TypeError(f'new_{fn_name}() missing 1 required positional arguments: "size"')
        with _named_as(fn_name, f"new_{fn_name}"):
            return getattr(_creation, fn_name)(*size, dtype=dtype or self.dtype, device=device,
                                               requires_grad=requires_grad)

    method.__name__ = f"new_{fn_name}"
    method.__doc__ = (
        f"A new tensor like `ferrograd.{fn_name}`, of this tensor's dtype by default.\n\n"
        "Args:\n    *size: the shape (or `size=` by keyword).\n    dtype: the dtype (default: this tensor's).\n"
        "    device: the device (only the CPU exists).\n"
        "    requires_grad: whether the new tensor requires grad.\n"
    )
    return method


def _contains(self: Tensor, element, /) -> bool:
    """`element in self`: whether any element equals it (a tensor broadcasts)."""
    if isinstance(element, (Tensor, int, float, complex)):
        return bool((element == self).any().item())
    raise RuntimeError(f"Tensor.__contains__ only supports Tensor or scalar, but you passed in a {type(element)}.")


def _cast_to(name: str, dtype_name: str):
    dtype = getattr(_core, dtype_name)

    def method(self: Tensor, *, memory_format=None) -> Tensor:
        if memory_format is None:
            return self if self.dtype is dtype else self._to_dtype(dtype)
        return self.to(dtype, memory_format=memory_format)

    method.__name__ = method.__qualname__ = name  # Python's refusal of a keyword names it
    method.__doc__ = (
        f"This tensor cast to {dtype_name} (`self.to(ferrograd.{dtype_name})`).\n\n"
        "Args:\n    memory_format: the layout of the result (keyword only).\n"
    )
    return method


def _cpu(self: Tensor, *, memory_format=None) -> Tensor:
    """This tensor (it is on the CPU already).

    Args:
        memory_format: ignored.
    """
    return self


def _cuda(self: Tensor, *args, **kwargs) -> Tensor:
    """Always raises AssertionError (as PyTorch built without CUDA): ferrograd has no CUDA.

    Args:
        *args: as PyTorch's `Tensor.cuda` (device, non_blocking).
        **kwargs: as PyTorch's `Tensor.cuda`.
    """
    check_device_method("cuda", args, kwargs)
    return check_device("cuda")


def _square(self: Tensor) -> Tensor:
    """Each element squared."""
    return self.pow(2)


def _get_device(self: Tensor) -> int:
    """The device index: -1 for the CPU."""
    return -1


def _new_full(self: Tensor, size, fill_value, *, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """A new tensor filled with `fill_value`, of this tensor's dtype by default.

    Args:
        size: the shape.
        fill_value: the value.
        dtype: the dtype (default: this tensor's).
        device: the device (only the CPU exists).
        requires_grad: whether the new tensor requires grad.
    """
    if isinstance(size, Tensor):  # no `*size` form here, so even a one-element tensor is refused
        raise TypeError(f"new_full(): argument 'size' (position 1) must be tuple of ints, not {type_name(size)}")
    need_int_sequence("new_full", "size", 1, size)
    if not isinstance(fill_value, Tensor):
        need_number("new_full", "fill_value", 2, fill_value, kind="Number")
    from ._creation import full

    with _named_as("full", "new_full"):
        return full(size, fill_value, dtype=dtype or self.dtype, device=device, requires_grad=requires_grad)


def _new_tensor(self: Tensor, data, *, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """A new tensor of `data`, of this tensor's dtype by default.

    Args:
        data: a number, nested sequence or array.
        dtype: the dtype (default: this tensor's).
        device: the device (only the CPU exists).
        requires_grad: whether the new tensor requires grad.
    """
    from ._creation import tensor, warn_copy_construct

    if isinstance(data, Tensor):
        warn_copy_construct("tensor.new_tensor(sourceTensor)")
        check_device(device)
        t = data.detach().clone()._to_dtype(dtype or self.dtype)
        return t.requires_grad_(requires_grad) if requires_grad else t
    return tensor(data, dtype=dtype or self.dtype, device=device, requires_grad=requires_grad)


def _type(self: Tensor, dtype=None, non_blocking: bool = False):
    """The legacy type name ("ferrograd.FloatTensor") or this tensor cast to a dtype.

    Args:
        dtype: a dtype or a legacy type name; None to get the name.
        non_blocking: ignored.
    """
    if dtype is None:
        return "ferrograd." + _LEGACY_NAMES[_dtype_name(self)]
    if isinstance(dtype, str):
        name = dtype.split(".")[-1]
        if dtype.count(".") != 1 or dtype.split(".")[0] not in ("torch", "ferrograd") or name not in _DTYPE_BY_LEGACY_NAME:
            raise ValueError(f"invalid type: '{dtype}'")
        dtype = getattr(_core, _DTYPE_BY_LEGACY_NAME[name])
    return self._to_dtype(dtype)


def _fill_diag_free(self: Tensor):
    return self


_rust_float = Tensor.__float__


def _float_value(self: Tensor) -> float:
    """`float(t)` of a one-element tensor."""
    warn_if_requires_grad(self)
    if self.dtype is _core.uint64:
        return float(self.item())
    return _rust_float(self)


def _install() -> None:
    T = Tensor
    T.__float__ = _float_value
    T.__repr__ = _repr
    T.__str__ = _repr
    T.__array__ = _array
    T.__iter__ = _iter
    T.__array_priority__ = 1000
    T.__format__ = _format
    T.numpy = _numpy
    T.__contains__ = _contains
    T.tolist = _tolist
    T.size = _size
    T.device = property(lambda self: CPU, doc="Always the CPU.")
    T.is_cuda = property(lambda self: False)
    T.is_cpu = property(lambda self: True)
    T.is_sparse = property(lambda self: False)
    T.is_quantized = property(lambda self: False)
    T.is_meta = property(lambda self: False)
    T.layout = property(lambda self: "torch.strided")
    T.backward = _backward
    T.to = _to
    T.cpu = _cpu
    T.cuda = _cuda
    for name, dtype_name in (("float", "float32"), ("double", "float64"), ("long", "int64"), ("int", "int32"),
                             ("short", "int16"), ("char", "int8"), ("byte", "uint8"), ("half", "float16"),
                             ("bfloat16", "bfloat16"), ("bool", "bool")):
        setattr(T, name, _cast_to(name, dtype_name))
    T.type = _type
    T.type_as = _type_as
    T.clip = T.clamp
    T.clip_ = T.clamp_
    T.expand_as = _expand_as
    T.view_as = _view_as
    T.reshape_as = _reshape_as
    T.new_zeros = _new("zeros")
    T.new_ones = _new("ones")
    T.new_empty = _new("empty")
    T.new_full = _new_full
    T.new_tensor = _new_tensor
    T.square = _square
    T.negative = T.neg
    T.subtract = T.sub
    T.multiply = T.mul
    T.divide = T.div
    T.true_divide = T.div
    T.absolute = T.abs
    T.nelement = T.numel
    T.get_device = _get_device
    _hot_methods.guard_core_methods(("clip", "clip_", "negative", "subtract", "multiply", "divide", "true_divide",
                                     "absolute", "nelement"))


def _rebuild(values, requires_grad, dtype_name=None):
    """Rebuilds a tensor pickled by ferrograd 0.1 (files of the old `save`)."""
    from ._creation import tensor

    dtype = None if dtype_name is None else getattr(_core, dtype_name)
    return tensor(values, dtype=dtype, requires_grad=requires_grad)


_install()
