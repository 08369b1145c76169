"""`MaskedTensor`: a tensor whose elements are each either specified or masked out
(PyTorch's prototype `torch.masked.MaskedTensor`).

The tensor itself holds the data: ops on it reach the autograd engine as ordinary ops
on the data, so a leaf MaskedTensor collects its gradient like any leaf, and `.grad`
wraps that gradient with the leaf's mask, as PyTorch's MaskedTensor gradients are. The
mask is a plain bool tensor kept in the instance's `__dict__`. Every op reaches
`__torch_function__`, which looks its name up in `_ops_table`; an op not listed there
raises PyTorch's "not implemented for MaskedTensor" TypeError, so no op silently drops
the mask. The top-level functions are wrapped to dispatch when the first MaskedTensor
is made, not when the class is defined.
"""

from __future__ import annotations

import warnings
from typing import Any, TypeGuard

from ... import _core
from ..._core import Tensor
from ..._memory_format import strided
from ..._subclass_dispatch import _DispatchDisabled, start_dispatching
from ._format import masked_repr

__all__ = ["MaskedTensor", "is_masked_tensor"]

_SUPPORTED_DTYPES = ("float16", "float32", "float64", "bool", "int8", "int16", "int32", "int64")
_PROTOTYPE_WARNING = (
    "The PyTorch API of MaskedTensors is in prototype stage and will change in the near future. "
    "Please open a Github issue for features requests and see our documentation on the torch.masked "
    "module for further information about the project."
)
_REQUIRES_GRAD_WARNING = (
    "It is not recommended to create a MaskedTensor with a tensor that requires_grad. "
    "To avoid this, you can use data.detach().clone()"
)


def is_masked_tensor(obj: Any, /) -> TypeGuard[MaskedTensor]:
    """Whether `obj` is a MaskedTensor."""
    return isinstance(obj, MaskedTensor)


def _dtype_name(dtype) -> str:
    return str(dtype).rsplit(".", 1)[-1]


def _check_members(data: Tensor, mask: Tensor) -> None:
    """PyTorch's checks of a MaskedTensor's data and mask, in its order."""
    if data.layout != mask.layout:
        raise TypeError("data and mask must have the same layout.")
    if data.layout != strided:  # PyTorch also takes sparse COO and CSR data
        raise TypeError(f"data layout of {data.layout} is not supported.")
    if mask.dtype != _core.bool:
        raise TypeError("mask must have dtype bool.")
    if _dtype_name(data.dtype) not in _SUPPORTED_DTYPES:
        raise TypeError(f"{data.dtype} is not supported in MaskedTensor.")
    if data.dim() != mask.dim():
        raise ValueError("data.dim() must equal mask.dim()")
    if tuple(data.shape) != tuple(mask.shape):
        raise ValueError("data.size() must equal mask.size()")


def check_types(data: Any, mask: Any) -> None:
    if isinstance(data, MaskedTensor) or not isinstance(data, Tensor):
        raise TypeError("data must be a Tensor")
    if isinstance(mask, MaskedTensor) or not isinstance(mask, Tensor):
        raise TypeError("mask must be a Tensor")


def warn_prototype(stacklevel: int) -> None:
    warnings.warn(_PROTOTYPE_WARNING, UserWarning, stacklevel=stacklevel + 1)


def warn_requires_grad(data: Tensor, stacklevel: int) -> None:
    if data.requires_grad:
        warnings.warn(_REQUIRES_GRAD_WARNING, UserWarning, stacklevel=stacklevel + 1)


def new_masked(data: Tensor, mask: Tensor) -> MaskedTensor:
    """`data` itself, made a MaskedTensor with `mask` after PyTorch's checks of the
    pair. `data` must be a tensor no one else holds (an op's fresh result): it keeps
    its autograd node, so the result's `grad_fn` is the op's (`MulBackward0`)."""
    _check_members(data, mask)
    start_dispatching()  # the first MaskedTensor opens the functions' gates
    if type(data) is not Tensor:
        data = _plain(data)
    data.__class__ = MaskedTensor
    data.__dict__["_masked_mask"] = mask
    return data  # type: ignore[return-value]


def wrap(data: Tensor, mask: Tensor) -> MaskedTensor:
    """An op's result: as PyTorch makes each through the constructor, each warns that
    the API is a prototype."""
    check_types(data, mask)
    warn_prototype(stacklevel=3)
    return new_masked(data, mask)


def _plain(t: Tensor) -> Tensor:
    return t.as_subclass(Tensor)


def _rebuild(data: Tensor, mask: Tensor, requires_grad: bool) -> MaskedTensor:
    """A pickled MaskedTensor, back."""
    out = new_masked(data, mask)
    if requires_grad:
        with _DispatchDisabled():
            out.requires_grad_(True)
    return out


def gradient_of(input: Tensor, grad: Tensor | None, outputs: list | tuple = ()) -> Tensor | None:
    """`autograd.grad`'s result for `input`: a MaskedTensor input's gradient is a
    MaskedTensor with its mask, less the elements `outputs` do not depend on, as in PyTorch."""
    if grad is None or not isinstance(input, MaskedTensor) or isinstance(grad, MaskedTensor):
        return grad
    from ._grad_reach import reached_by

    mask, reached = input.get_mask(), reached_by(input, list(outputs))
    return wrap(_plain(grad), mask if reached is None else mask & reached)


class MaskedTensor(Tensor):
    """A tensor with a bool mask saying which of its elements are specified.

    Ops apply to the specified elements; reductions skip the masked-out ones, and a
    result element is masked out when no input element of it was specified. Made by
    `ferrograd.masked.masked_tensor` (a leaf) or `as_masked_tensor` (differentiable).

    Args:
        data: a strided tensor of a float, int or bool dtype.
        mask: a bool tensor of the same shape; True marks a specified element.
        requires_grad: whether the new leaf requires grad.
    """

    _fg_wraps_functions_when_instantiated = True

    def __new__(cls, data: Tensor, mask: Tensor, requires_grad: bool = False) -> MaskedTensor:  # noqa: PYI034
        check_types(data, mask)
        warn_prototype(stacklevel=2)
        warn_requires_grad(data, stacklevel=2)
        out = new_masked(data.detach().clone(), mask.clone())
        if requires_grad:
            with _DispatchDisabled():
                out.requires_grad_(True)
        return out

    def __init__(self, data: Tensor, mask: Tensor, requires_grad: bool = False) -> None:
        pass  # everything is done by __new__

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        from ._ops_table import apply

        return apply(func, args, {} if kwargs is None else kwargs)

    # ------------------------------------------------------------------ accessors

    def get_data(self) -> Tensor:
        """The data as a plain tensor (masked-out elements hold whatever values they
        had); differentiable: gradients reach this MaskedTensor."""
        return _plain(self)

    def get_mask(self) -> Tensor:
        """The bool mask: True where an element is specified."""
        return self.__dict__["_masked_mask"]

    def to_tensor(self, value) -> Tensor:
        """A plain tensor of the data with the masked-out elements set to `value`."""
        return _plain(self).masked_fill(~self.get_mask(), value)

    def is_sparse_coo(self) -> bool:
        """Whether the data is sparse COO: never (ferrograd's MaskedTensor is strided)."""
        return False

    def is_sparse_csr(self) -> bool:  # type: ignore[override]
        """Whether the data is sparse CSR: never (ferrograd's MaskedTensor is strided)."""
        return False

    @property
    def is_sparse(self) -> bool:  # type: ignore[override]
        """Whether the data is sparse (COO or CSR): never."""
        return False

    @property  # type: ignore[override]
    def grad(self) -> MaskedTensor | None:
        from ._grad_reach import REACHED

        grad = _core.Tensor.grad.__get__(self)
        if grad is None:
            return None
        reached = self.__dict__.get(REACHED)  # see `backward`
        return wrap(_plain(grad), self.get_mask() if reached is None else self.get_mask() & reached)

    @grad.setter
    def grad(self, value) -> None:
        from ._grad_reach import REACHED

        if value is None:
            self.__dict__.pop(REACHED, None)
        _core.Tensor.grad.__set__(self,  # type: ignore[attr-defined]
                                  value.get_data() if isinstance(value, MaskedTensor) else value)

    def backward(self, gradient=None, retain_graph=None, create_graph: bool = False, inputs=None) -> None:
        """As `Tensor.backward`; each MaskedTensor leaf's `grad` is then masked out where
        this tensor does not depend on it (as PyTorch's MaskedTensor gradients are).

        Args:
            gradient: the gradient of this tensor (needed unless it has one element).
            retain_graph: keep the graph for another backward (default: `create_graph`).
            create_graph: record the backward itself, for higher derivatives.
            inputs: the tensors to accumulate gradients into (default: every leaf).
        """
        from ._grad_reach import record_backward

        _core.Tensor.backward(self, gradient, retain_graph, create_graph, inputs)
        record_backward([self])

    @property  # type: ignore[override, misc]
    def shape(self):
        return _core.Tensor.shape.__get__(self)

    @property  # type: ignore[misc]
    def data(self) -> MaskedTensor:  # type: ignore[override]
        return wrap(_plain(self).detach(), self.get_mask())

    @property
    def mT(self) -> MaskedTensor:  # type: ignore[override]
        if self.dim() < 2:
            raise RuntimeError(
                f"tensor.mT is only supported on matrices or batches of matrices. Got {self.dim()}-D tensor.")
        return self.transpose(-2, -1)  # type: ignore[return-value]

    @property
    def T(self):  # type: ignore[override]
        from ._ops_table import not_implemented

        raise not_implemented("permute")

    @property
    def H(self) -> MaskedTensor:  # type: ignore[override]
        if self.dim() not in (0, 2):
            raise RuntimeError(f"tensor.H is only supported on matrices (2-D tensors). Got {self.dim()}-D tensor.")
        return self.t()  # type: ignore[return-value]

    mH = mT

    @property
    def real(self) -> MaskedTensor:  # type: ignore[override]
        return self  # no MaskedTensor is complex

    @property
    def imag(self):  # type: ignore[override]
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")

    def __lt__(self, other):  # type: ignore[override]
        """`self < other` with this tensor's mask, the other's not checked (as PyTorch)."""
        other = other.get_data() if isinstance(other, MaskedTensor) else other
        return wrap(_plain(self) < other, self.get_mask())

    def __bool__(self) -> bool:
        return bool(self.item())

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __reduce_ex__(self, protocol):
        return _rebuild, (_plain(self).detach(), self.get_mask(), self.requires_grad)

    def item(self):  # type: ignore[override]
        if not self.get_mask():
            raise ValueError("__torch_dispatch__, aten._local_scalar_dense: expected a mask tensor")
        return _plain(self).item()

    def tolist(self):  # type: ignore[override]
        raise RuntimeError(f".tolist() is not supported for tensor subclasses, got {type(self).__name__}")

    def numpy(self, *, force: bool = False):  # type: ignore[override]
        raise RuntimeError(".numpy() is not supported for tensor subclasses.")

    def __repr__(self) -> str:  # type: ignore[override]
        return masked_repr(_plain(self).detach(), self.get_mask())

    __str__ = __repr__  # type: ignore[assignment]
