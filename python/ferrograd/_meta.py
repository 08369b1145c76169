"""Meta tensors: shape, dtype and strides without data (PyTorch's `device='meta'`).

A meta tensor is a `MetaTensor`, a `Tensor` subclass whose core tensor is a stand-in:
- small ones (at most `SMALL` elements of storage) hold real zeros laid out with the
  meta tensor's strides, so an op runs on them as it would on data: its result has the
  exact shape, dtype, strides, errors and autograd graph, and is made a meta tensor;
- large ones hold one zero expanded to the shape (no data is allocated) and keep their
  strides in `__dict__`. Views of them run on the stand-in (a view allocates nothing);
  their strides are worked out by `_meta_large`. Other ops get their result's shape
  and dtype from `_meta_probe`, which runs them on small stand-ins; such results are
  contiguous and carry no autograd graph.

Ops that need values (item, tolist, nonzero, ...) raise as PyTorch does. This module
loads on the first meta tensor: defining a dispatching subclass wraps the top-level
functions (see `_subclass_dispatch`), which costs nothing until then.
"""

from __future__ import annotations

import functools
from typing import Any

from . import _core
from ._core import Tensor
from ._device import META, is_meta
from ._meta_guards import guard_plain_methods
from ._subclass_dispatch import (
    MISS,
    _disabled,
    _DispatchDisabled,
    _own_counterpart,
    accessor_name,
    engine_call,
)
from ._tensor_extras import wrapped_as

__all__ = ["MetaTensor", "new_meta", "to_meta"]

# Elements of storage a stand-in may hold as real zeros.
SMALL = 1 << 16

NO_DATA = "Cannot copy out of meta tensor; no data!"
_NO_KERNEL = (
    "aten::{}: attempted to run this operator with Meta tensors, but there was no fake impl or Meta kernel "
    "registered. You may have run into this message while using an operator with PT2 compilation APIs "
    "(torch.compile/torch.export); in order to use this operator with those APIs you'll need to add a fake "
    "impl. Please see the following for next steps:  https://pytorch.org/tutorials/advanced/custom_ops_landing_page.html"
)
_NONZERO = (
    "The register_meta function for torch.nonzero() raises unimplemented by default, as a correct "
    "data-independent implementation does not exist. This implementation returns a fake value, assuming all "
    "elements of the tensor are non-zero. To enable this registration, please set "
    "'torch.fx.experimental._config.meta_nonzero_assume_all_nonzero' to True."
)
# Ops whose result depends on the values, by name -> the aten op PyTorch's error names.
_VALUE_OPS = {"unique": "_unique2", "unique_consecutive": "unique_consecutive", "equal": "equal",
              "masked_select": "masked_select", "bincount": "bincount", "histc": "histc",
              "repeat_interleave": "repeat_interleave.Tensor", "to_sparse": "_to_sparse",
              "to_sparse_coo": "_to_sparse"}
_NONZERO_OPS = frozenset({"nonzero", "argwhere", "nonzero_static"})
# Ops whose Python implementation in PyTorch reads a value with `item()`.
_ITEM_OPS = frozenset({"allclose", "is_nonzero"})
# Ops that take indices from CPU tensors.
_INDEXING = frozenset({"__getitem__", "__setitem__", "index_select", "index_put", "index_put_", "index_add",
                       "index_add_", "index_copy", "index_copy_", "index_fill", "index_fill_"})
# Ops that copy between devices: the destination may be meta with a CPU source.
_COPIES = frozenset({"copy_", "set_", "__setitem__"})
# Methods that only read the metadata, which a large stand-in has right.
_METADATA = frozenset({"size", "dim", "ndimension", "numel", "nelement", "element_size", "is_floating_point",
                       "is_complex", "is_signed", "__len__", "requires_grad_", "retain_grad", "is_leaf",
                       "get_device", "data_ptr", "storage_offset", "detach_", "shape"})


def contiguous_strides(shape) -> tuple[int, ...]:
    strides, step = [], 1
    for size in reversed(shape):
        strides.append(step)
        step *= max(size, 1)
    return tuple(reversed(strides))


def _extent(shape, stride) -> int:
    """Elements of storage a tensor of this shape and these strides reaches."""
    if any(s == 0 for s in shape):
        return 0
    return 1 + sum((s - 1) * abs(st) for s, st in zip(shape, stride))


def new_meta(shape, dtype, stride=None) -> MetaTensor:
    """A meta tensor of this shape, dtype and strides (contiguous by default)."""
    shape = tuple(int(s) for s in shape)
    stride = contiguous_strides(shape) if stride is None else tuple(int(s) for s in stride)
    extent = _extent(shape, stride)
    if extent <= SMALL:
        standin = _core._full(max(extent, 1), fill_value=0, dtype=dtype).as_strided(shape, stride)
        out = wrapped_as(standin.detach(), MetaTensor)
    else:
        standin = _core._full(fill_value=0, dtype=dtype).expand(shape).detach()
        out = wrapped_as(standin, MetaTensor)
        out.__dict__["_fg_stride"] = stride
    out.__dict__["_fg_nbytes"] = extent * standin.element_size()
    return out


def _dense(shape, stride) -> bool:
    from ._creation import _dense

    return _dense(tuple(shape), list(stride))


def to_meta(t: Tensor) -> MetaTensor:
    """`t` moved to the meta device (its strides kept where it is dense, as PyTorch's
    `empty_like`)."""
    if isinstance(t, MetaTensor):
        return t
    if t.requires_grad and _core.is_grad_enabled() and Tensor.numel(t) <= SMALL:
        # a copy whose history is PyTorch's (ToCopyBackward0)
        return to_meta_view(t._to_dtype(t.dtype, True))
    shape, stride = tuple(t.shape), tuple(t.stride())
    out = new_meta(shape, t.dtype, stride if _dense(shape, stride) else None)
    return out.requires_grad_(True) if t.requires_grad else out


def is_large(t) -> bool:
    """Whether ops on `t` go through `_meta_large` (its stand-in holds no data laid out
    as it, or it has too many elements to run ops on)."""
    return isinstance(t, MetaTensor) and ("_fg_stride" in t.__dict__ or Tensor.numel(t) > SMALL)


def _tensors(args, kwargs):
    """The tensors among the arguments and in sequence arguments (one level deep)."""
    for value in (*args, *kwargs.values()):
        if isinstance(value, (list, tuple)):
            yield from (v for v in value if isinstance(v, Tensor))
        elif isinstance(value, Tensor):
            yield value


def _device_name(t: Tensor) -> str:
    return "meta" if isinstance(t, MetaTensor) else "cpu"


def check_same_device(name: str, args, kwargs) -> None:
    """PyTorch's error for meta and CPU tensors in one op (a 0-d CPU tensor counts as a
    number, as in PyTorch's elementwise ops)."""
    tensors = [t for t in _tensors(args, kwargs) if isinstance(t, MetaTensor) or t.dim() > 0]
    if name in _INDEXING:  # indices may be CPU tensors
        tensors = [t for t in tensors if isinstance(t, MetaTensor) or t.dtype.is_floating_point or t.dtype.is_complex]
    if not tensors:
        return
    expected = _device_name(tensors[0])
    for t in tensors[1:]:
        if _device_name(t) != expected:
            if name in _COPIES and expected == "meta":
                return
            if name in _COPIES:
                raise NotImplementedError(NO_DATA)
            raise RuntimeError(f"Tensor on device {_device_name(t)} is not on the expected device {expected}!")


def _refuse_value_op(name: str) -> None:
    if name in _ITEM_OPS:
        raise RuntimeError("Tensor.item() cannot be called on meta tensors")
    if name in _NONZERO_OPS:
        raise NotImplementedError(_NONZERO)
    if name in _VALUE_OPS:
        raise NotImplementedError(_NO_KERNEL.format(_VALUE_OPS[name]))


def _has_mask_index(key) -> bool:
    keys = key if isinstance(key, tuple) else (key,)
    return any(isinstance(k, MetaTensor) and k.dtype is _core.bool for k in keys)


def _run(func, args, kwargs):
    from ._meta_errors import as_meta_error

    try:
        return func(*args, **kwargs)
    except RuntimeError as err:
        raise as_meta_error(err, args, kwargs) from None


def _meta_function(cls, func, types, args=(), kwargs=None):
    """`func` on arguments holding meta tensors (their `__torch_function__`). Ops inside
    it (and inside `func`) do not dispatch again: they run on the stand-ins."""
    result = engine_call(func, args, kwargs)
    if result is not MISS:
        return result
    with _DispatchDisabled():
        return _dispatch(func, args, {} if kwargs is None else kwargs)


def _name(func) -> str:
    """The op's name: a method of Tensor by its attribute's name (its function may be a
    lambda or a helper such as `_size`)."""
    return _METHOD_NAMES.get(id(func)) or accessor_name(func) or getattr(func, "__name__", "")


# (Tensor's functions stay alive as its attributes or inside the wrappers that replace them.)
_METHOD_NAMES = {id(v): k for k, v in vars(Tensor).items() if getattr(v, "__name__", k) != k}


def _dispatch(func, args, kwargs):
    name = _name(func)
    if name in UNWRITTEN and len(args) == 2 and not kwargs and not isinstance(args[0], MetaTensor) \
            and isinstance(args[1], MetaTensor):
        return _unwritten(args[0], args[1])
    if (name == "__getitem__" and len(args) > 1 and _has_mask_index(args[1])) or (
            name == "where" and len(args) + len(kwargs) == 1):
        name = "nonzero"
    try:
        _refuse_value_op(name)
        if name in _PER_TENSOR and not any(is_large(t) for t in _tensors(args, kwargs)):
            return _per_tensor(_own_counterpart(func), args, kwargs)
        check_same_device(name, args, kwargs)
    except (RuntimeError, NotImplementedError):
        _refuse_unparsed(func, name, args, kwargs)  # PyTorch's parser refuses a call before any device check
        raise
    func = _own_counterpart(func)
    if name.startswith("new_") or name.endswith("_like"):
        device = kwargs.get("device")
        if device is not None and not is_meta(device):
            return func(*args, **kwargs)  # a CPU tensor of the meta tensor's shape
        kwargs = {**kwargs, "device": META}
    if not any(is_large(t) for t in _tensors(args, kwargs)):
        from ._meta_probe import may_grow

        if not may_grow(name, args, kwargs):
            return as_meta(_run(func, args, kwargs), args, kwargs)
    from ._meta_large import call_large

    return call_large(func, name, args, kwargs)


def _refuse_unparsed(func, name: str, args, kwargs) -> None:
    from ._subclass_dispatch import refuse_unparsed

    method = vars(Tensor).get(name)
    if func is not method and getattr(method, "__wrapped__", None) is not func and _METHOD_NAMES.get(id(func)) != name:
        refuse_unparsed(func, args, kwargs)
        return
    from ._parser_check import parser_error

    with _DispatchDisabled():
        error = parser_error(f"Tensor.{name}", args[1:], kwargs)
    if isinstance(error, TypeError):
        raise error


# Ops that read each tensor on its own (or only its metadata): PyTorch lets meta and CPU
# tensors meet there, and each result keeps its input's device.
_PER_TENSOR = frozenset({"atleast_1d", "atleast_2d", "atleast_3d", "broadcast_tensors", "result_type",
                         "is_same_size"})


def _per_tensor(func, args, kwargs):
    ret = func(*args, **kwargs)  # errors keep the CPU kernels' words, as PyTorch's do here
    if not isinstance(ret, (tuple, list)):
        return as_meta(ret, args, kwargs) if isinstance(ret, Tensor) else ret
    metas = [isinstance(t, MetaTensor) for t in _tensors(args, kwargs)]
    return type(ret)(as_meta(r, args, kwargs) if meta else r for r, meta in zip(ret, metas))


# In-place arithmetic PyTorch runs with its meta kernel when the operand is a meta
# tensor: the shapes are checked and nothing is written (the tensor comes back as it was).
UNWRITTEN = frozenset({"mul_", "multiply_", "div_", "divide_", "true_divide_", "logical_and_", "logical_or_",
                       "logical_xor_", "add_", "sub_", "subtract_"})


def _unwritten(self: Tensor, other: Tensor) -> Tensor:
    from ._tensor_api import broadcast_shapes

    shape = tuple(broadcast_shapes(self.shape, other.shape))
    if shape != tuple(self.shape):
        raise RuntimeError(f"output with shape {self.shape} doesn't match the broadcast shape {shape}")
    return self


def _outside_ops(real):
    """The method, run as `real` (on the stand-in) while an op's implementation runs."""

    def wrap(method):
        @functools.wraps(method)
        def call(self, *args, **kwargs):
            if _disabled():
                return real(self, *args, **kwargs)
            return method(self, *args, **kwargs)

        return call

    return wrap


class MetaTensor(Tensor):
    """A tensor on the meta device: shape, dtype and strides, no data.

    Made by factories with `device='meta'` (or under `with ferrograd.device('meta')`) and
    by `Tensor.to('meta')`; ops give meta results, and ops that need values raise.
    """

    __torch_function__ = classmethod(_meta_function)
    __hash__ = Tensor.__hash__
    _parser_type_name = "Tensor"

    device = property(lambda self: META, doc="The meta device.")
    is_meta = property(lambda self: True, doc="True.")
    is_cpu = property(lambda self: False, doc="False: a meta tensor has no data on the CPU.")

    def stride(self, dim: int | None = None) -> Any:
        strides = self.__dict__.get("_fg_stride")
        if strides is None:
            return Tensor.stride(self) if dim is None else Tensor.stride(self, dim)
        if dim is None:
            return strides
        from ._argcheck import wrap_dim

        return strides[wrap_dim(dim, len(strides))]

    def storage_offset(self) -> int:
        offset = self.__dict__.get("_fg_offset")
        return Tensor.storage_offset(self) if offset is None else offset

    def is_contiguous(self, memory_format=None) -> bool:
        strides = self.__dict__.get("_fg_stride")
        if strides is None:
            return Tensor.is_contiguous(self) if memory_format is None else Tensor.is_contiguous(self, memory_format=memory_format)
        expected = contiguous_strides(self.shape)
        return all(size < 2 or st == ex for size, st, ex in zip(self.shape, strides, expected))

    def __repr__(self, *, tensor_contents=None) -> str:
        return _format(self, "tensor(")

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        if spec:
            owner = "Tensor" if type(self) is MetaTensor else type(self).__name__
            raise TypeError(f"unsupported format string passed to {owner}.__format__")
        return repr(self)

    @property
    def grad(self) -> Any:
        grad = Tensor.grad.__get__(self)
        return grad if grad is None else to_meta_view(grad)

    @grad.setter
    def grad(self, value) -> None:
        Tensor.grad.__set__(self, value)

    # Inside an op's implementation (dispatch disabled) these read the stand-in, as the
    # op would read data; a user's call raises as PyTorch does on the meta device.
    @_outside_ops(Tensor.item)
    def item(self) -> Any:
        if self.numel() != 1:
            raise RuntimeError(f"a Tensor with {self.numel()} elements cannot be converted to Scalar")
        raise RuntimeError("Tensor.item() cannot be called on meta tensors")

    @_outside_ops(Tensor.__bool__)
    def __bool__(self) -> bool:
        if self.numel() != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return self.item()

    def _scalar(self) -> Any:
        if self.numel() != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return self.item()

    __int__ = _outside_ops(Tensor.__int__)(_scalar)
    __float__ = _outside_ops(Tensor.__float__)(_scalar)
    __complex__ = _outside_ops(Tensor.__complex__)(_scalar)
    __index__ = _outside_ops(Tensor.__index__)(_scalar)

    @_outside_ops(Tensor.tolist)
    def tolist(self) -> Any:
        raise NotImplementedError(NO_DATA)

    @_outside_ops(Tensor.numpy)
    def numpy(self, *, force: bool = False) -> Any:
        raise TypeError("can't convert meta device type tensor to numpy. Use Tensor.cpu() to copy the tensor to "
                        "host memory first.")

    @_outside_ops(Tensor.__array__)
    def __array__(self, dtype=None, copy=None) -> Any:
        return self.numpy()

    @_outside_ops(Tensor.cpu)
    def cpu(self, memory_format=None) -> Any:
        raise NotImplementedError(NO_DATA)

    def data_ptr(self) -> int:
        return 0

    def untyped_storage(self) -> Any:
        from ._meta_storage import MetaUntypedStorage

        nbytes = self.__dict__.get("_fg_nbytes")
        if nbytes is None:
            nbytes = Tensor.untyped_storage(self).nbytes()  # the stand-in's, laid out as this tensor's
        return MetaUntypedStorage(nbytes)

    def _typed_storage(self) -> Any:
        from .storage import TypedStorage

        return TypedStorage(wrap_storage=self.untyped_storage(), dtype=self.dtype, _internal=True)

    def storage(self) -> Any:
        from .storage import _warn_typed_storage_removal

        _warn_typed_storage_removal()
        return self._typed_storage()

    @_outside_ops(Tensor.to)
    def to(self, *args, **kwargs) -> Any:
        from ._to_args import parse_to_args

        rest = {k: v for k, v in kwargs.items() if k not in ("non_blocking", "memory_format")}
        device, dtype, copy = parse_to_args(args, rest)
        if args and isinstance(args[0], Tensor):
            device = args[0].device
        if device is not None:
            from ._device import resolve_device

            if resolve_device(device) is not META:
                raise NotImplementedError(NO_DATA)
        if dtype is None or dtype is self.dtype:
            return self.clone() if copy else self
        return _meta_function(MetaTensor, Tensor._to_dtype, (MetaTensor,), (self, dtype))


def _reflected(name: str):
    """The reflected operator `name`: Python tries a subclass's first, so
    `cpu_tensor + meta_tensor` lands here, and the error names the CPU tensor's device as
    the expected one."""

    def method(self, other):
        if isinstance(other, Tensor) and not isinstance(other, MetaTensor) and other.dim() > 0 and not _disabled():
            raise RuntimeError("Tensor on device meta is not on the expected device cpu!")
        return _meta_function(MetaTensor, getattr(Tensor, name), (MetaTensor,), (self, other))

    method.__name__ = name
    return method


for _name_of_op in ("__radd__", "__rsub__", "__rmul__", "__rtruediv__", "__rfloordiv__", "__rmod__", "__rpow__",
                    "__rmatmul__", "__rand__", "__ror__", "__rxor__"):
    setattr(MetaTensor, _name_of_op, _reflected(_name_of_op))


def to_meta_view(t: Tensor) -> MetaTensor:
    """`t` (a stand-in made by an op, such as a gradient) made a meta tensor; its
    autograd history stays."""
    if type(t) is Tensor:
        t.__class__ = MetaTensor
        return t
    return t if isinstance(t, MetaTensor) else wrapped_as(t, MetaTensor)


def as_meta(ret, args=(), kwargs=None):
    """The tensors of an op's result `ret` made meta tensors (the op's inputs, such as a
    CPU tensor an op returns as it is, are not changed)."""
    if isinstance(ret, Tensor):
        if any(ret is a for a in _tensors(args, kwargs or {})):
            return ret if isinstance(ret, MetaTensor) else wrapped_as(ret, MetaTensor)
        return to_meta_view(ret)
    if isinstance(ret, (tuple, list)):
        items = [as_meta(r, args, kwargs) for r in ret]
        make = getattr(type(ret), "_make", None)
        return make(items) if make is not None else type(ret)(items)
    return ret


def _format(t: MetaTensor, opener: str, header: str = "") -> str:
    from ._printing import _append_suffixes, _autograd_suffixes, _dtype_suffix
    from ._tensor import _dtype_name

    suffixes = ["device='meta'", f"size={tuple(t.shape)}"]
    if t.dtype is not _core.get_default_dtype():
        suffixes.append(_dtype_suffix(_dtype_name(t)))
    grad_fn = t.grad_fn
    suffixes += _autograd_suffixes(None if grad_fn is None else type(grad_fn).__name__, t.requires_grad)
    return header + _append_suffixes(opener + "...", suffixes, len(opener))


guard_plain_methods(MetaTensor, _meta_function)
