"""`nn.Parameter`: a Tensor that a Module registers as one of its parameters."""

from __future__ import annotations

from .._core import Tensor
from .._subclass_dispatch import _disabled_torch_function_impl

__all__ = ["Buffer", "Parameter", "UninitializedBuffer", "UninitializedParameter", "is_lazy"]


class Parameter(Tensor):
    """A leaf tensor that a `Module` lists in `parameters()` when set as an attribute.

    It shares storage with `data`; ops on it return plain Tensors.

    Args:
        data: the tensor to wrap; None (default) gives an empty tensor.
        requires_grad: whether it requires grad (default True).
    """

    __torch_function__ = _disabled_torch_function_impl

    def __new__(cls, data: Tensor | None = None, requires_grad: bool = True):
        if data is None:
            from .._creation import empty

            data = empty(0)
        if not isinstance(data, Tensor):
            raise TypeError(f"Parameter(): argument 'data' must be Tensor, not {type(data).__name__}")
        if requires_grad and not (data.dtype.is_floating_point or data.dtype.is_complex):
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        if getattr(data, "is_meta", False) and "_fg_meta" not in vars(cls):
            from .._meta_parameter import meta_parameter

            return meta_parameter(cls, data, requires_grad)
        p = super().__new__(cls, data.detach())
        p.requires_grad_(requires_grad)
        return p

    def __repr__(self, *, tensor_contents: None = None) -> str:  # type: ignore[override]
        from .. import _core, _printing
        from .._tensor import _dtype_name, _exact_values

        default = repr(_core.get_default_dtype()).split(".", 1)[1]
        return _printing.format_parameter(
            _exact_values(self), _dtype_name(self), requires_grad=self.requires_grad, default_dtype_name=default
        )

    __str__ = __repr__  # type: ignore[assignment]

    def __deepcopy__(self, memo):
        # As PyTorch: the values and requires_grad, not the gradient.
        if id(self) in memo:
            return memo[id(self)]
        out = type(self)(self.detach().clone(), self.requires_grad)
        memo[id(self)] = out
        return out

    def __copy__(self):
        return type(self)(self.detach(), self.requires_grad)

    def __reduce_ex__(self, proto):
        return (_rebuild_parameter_from, (self.detach(), self.requires_grad))


def _rebuild_parameter_from(data: Tensor, requires_grad: bool) -> Parameter:
    return Parameter(data, requires_grad)


def _rebuild_parameter(values, requires_grad):
    """Rebuilds a parameter pickled by ferrograd 0.1 (files of the old `save`)."""
    from .._creation import tensor

    return Parameter(tensor(values), requires_grad)


class _BufferMeta(type):
    def __instancecheck__(cls, instance) -> bool:
        return isinstance(instance, Tensor) and getattr(instance, "_is_buffer", False)


class Buffer(metaclass=_BufferMeta):
    """Marks a tensor as a buffer for `Module.__setattr__` (an instance is a plain Tensor).

    Args:
        data: the tensor (detached); None (default) gives an empty tensor.
        persistent: whether it goes into the module's state_dict (default True).
    """

    def __new__(cls, data: Tensor | None = None, *, persistent: bool = True):
        if data is None:
            from .._creation import empty

            data = empty(0)
        t = data.detach()
        setattr(t, "_is_buffer", True)  # noqa: B010  (Tensor instances take attributes)
        setattr(t, "persistent", persistent)  # noqa: B010
        return t

from ._uninitialized import UninitializedBuffer, UninitializedParameter, is_lazy
