"""`UninitializedParameter` / `UninitializedBuffer`: placeholders of lazy modules that take
a shape on `materialize` and then become a Parameter / Tensor."""

from __future__ import annotations

from .._core import Tensor
from .._subclass_dispatch import _disabled_torch_function_impl
from .parameter import Parameter

__all__ = ["UninitializedBuffer", "UninitializedParameter", "is_lazy"]

_USE_ERROR = (
    "Attempted to use an uninitialized parameter in {}. This error happens when you are using a `LazyModule` or "
    "explicitly manipulating `ferrograd.nn.parameter.{}` objects. When using LazyModules Call "
    "`forward` with a dummy batch to initialize the parameters before calling ferrograd functions"
)
_SHAPE_ERROR = (
    "Can't access the shape of an uninitialized parameter or buffer. This error usually happens in "
    "`load_state_dict` when trying to load an uninitialized parameter into an initialized one. Call `forward` "
    "to initialize the parameters before accessing their attributes."
)
# What an uninitialized tensor still answers (PyTorch's allowed methods, and what Module
# needs to register, move and save it).
_ALLOWED = frozenset({
    "materialize", "cls_to_become", "requires_grad", "requires_grad_", "data", "dtype", "device", "grad",
    "is_leaf", "grad_fn", "size", "copy_", "is_floating_point", "half", "float", "double", "char", "short", "int",
    "long", "cuda", "cpu", "to", "get_device", "detach", "shape", "share_memory_", "persistent",
})


def _refuse(name: str):
    def method(self, *args, **kwargs):
        where = f"<method '{name}' of 'ferrograd._C.TensorBase' objects>"
        raise ValueError(_USE_ERROR.format(where, type(self).__name__))

    return method


def _refuse_format(self, spec: str):
    where = f"<function Tensor.__format__ at {id(Tensor.__format__):#x}>"
    raise ValueError(_USE_ERROR.format(where, type(self).__name__))


class UninitializedTensorMixin:
    """What the two placeholders share: no shape, no arithmetic, `materialize`."""

    cls_to_become: type
    __torch_function__ = _disabled_torch_function_impl

    def __getattribute__(self, name: str):
        if name.startswith("_") or name in _ALLOWED:
            return object.__getattribute__(self, name)
        value = object.__getattribute__(self, name)
        if callable(value):
            return _refuse(name).__get__(self)
        return value

    def materialize(self, shape, device=None, dtype=None) -> None:
        """Gives the tensor `shape` (uninitialised values) and makes it a `cls_to_become`."""
        from .._creation import empty

        if dtype is None:
            dtype = self.data.dtype
        if isinstance(shape, int):
            shape = (shape,)
        self.data = empty(tuple(shape), dtype=dtype)
        self.__class__ = self.cls_to_become

    @property
    def shape(self):
        raise RuntimeError(_SHAPE_ERROR)

    def share_memory_(self):
        raise RuntimeError(
            "Can't share memory on an uninitialized parameter or buffer. Call `forward` to initialize the "
            "parameters before calling `module.share_memory()`."
        )

    def detach(self):
        return self

    def __repr__(self) -> str:
        return f"<{self.__class__.__name__}>"

    __str__ = __repr__
    __format__ = _refuse_format

    def __reduce_ex__(self, proto):
        return (self.__class__, (self.requires_grad,))


for _name in ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__", "__rtruediv__",
              "__matmul__", "__rmatmul__", "__pow__", "__neg__", "__getitem__", "__setitem__", "__len__",
              "__iter__", "__float__", "__int__", "__bool__"):
    setattr(UninitializedTensorMixin, _name, _refuse(_name.strip("_")))


def is_lazy(param) -> bool:
    """Whether `param` is an uninitialized placeholder."""
    return isinstance(param, UninitializedTensorMixin)


class UninitializedParameter(UninitializedTensorMixin, Parameter):
    """A parameter without a shape yet; `materialize` makes it a Parameter.

    Args:
        requires_grad: whether the parameter requires grad (default True).
        device: accepted for PyTorch compatibility (the CPU).
        dtype: the dtype it will have; None (default) means the default dtype.
    """

    cls_to_become = Parameter

    def __new__(cls, requires_grad: bool = True, device=None, dtype=None):
        from .._creation import empty

        return super().__new__(cls, empty(0, dtype=dtype), requires_grad)

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        result = type(self)(self.requires_grad, None, self.data.dtype)
        memo[id(self)] = result
        return result


class UninitializedBuffer(UninitializedTensorMixin, Tensor):
    """A buffer without a shape yet; `materialize` makes it a Tensor.

    Args:
        requires_grad: whether the buffer requires grad (default False).
        device: accepted for PyTorch compatibility (the CPU).
        dtype: the dtype it will have; None (default) means the default dtype.
        persistent: whether it goes into the module's state_dict (default True).
    """

    cls_to_become = Tensor

    def __new__(cls, requires_grad: bool = False, device=None, dtype=None, persistent: bool = True):
        from .._creation import empty

        t = super().__new__(cls, empty(0, dtype=dtype))
        t.requires_grad_(requires_grad)
        t.persistent = persistent
        return t

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        result = type(self)(self.requires_grad, None, self.data.dtype)
        memo[id(self)] = result
        return result
