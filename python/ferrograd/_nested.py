"""Nested tensors: the `NestedTensor` class, its structure, autograd and printing.

A nested tensor is a batch of tensors of the same dim whose sizes differ. PyTorch has
two layouts and ferrograd keeps both behaviours apart, as PyTorch's messages differ:
- `strided` (PyTorch's C++ `NestedTensorImpl`): any dim but the batch may be ragged; the
  components lie one after another in a flat buffer (`_fg_data`, 1-D) and `_fg_sizes`
  holds each one's shape. `size()` of it is an error.
- `jagged` (PyTorch's Python `NestedTensor`): exactly one ragged dim (`_fg_ragged`, 1 unless
  transposed); the components are slices of `values` (`_fg_data`) along that dim at
  `offsets` (and `lengths`, when there are holes). The ragged size prints as `j1`,
  a `NestedInt` shared by all nested tensors made on the same offsets.

Every op is written with dense ops on `_fg_data` (or on the components, views of it), so
gradients reach the component tensors through the ordinary engine; a nested leaf
(`requires_grad=True`) is a leaf data tensor and its `.grad` is nested. The class
dispatches with `__torch_function__`: the ops of `_nested_ops.OPS` run for it, any other
Tensor method or function raises PyTorch's error for a nested tensor.
This module loads on first use of `ferrograd.nested`.
"""

from __future__ import annotations

import itertools
import warnings
from typing import Any

from . import _core
from ._core import Tensor
from ._memory_format import jagged, strided
from ._nested_int import NestedInt, ragged_size
from ._sparse_strided import no_kernel
from ._subclass_dispatch import MISS, engine_call

__all__ = ["NestedTensor"]


# ops PyTorch's messages name by the aten op they run as
_ATEN_NAMES = {"square": "pow.Tensor_Scalar", "isfinite": "ne.Scalar", "selu": "elu",
               "logsigmoid": "log_sigmoid_forward"}


def unsupported(op: str, layout: Any) -> NotImplementedError:
    """PyTorch's error for an op a nested tensor of `layout` has no kernel for."""
    op = _ATEN_NAMES.get(op, op)
    if layout is strided:
        return no_kernel(op, "NestedTensorCPU")
    return NotImplementedError(f"aten.{op}.default")


def wrap_dim(dim: int, ndim: int) -> int:
    if not -ndim <= dim < ndim:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-ndim}, {ndim - 1}], but got {dim})")
    return dim % ndim


class NestedTensor(Tensor):
    """A batch of tensors of one dim and differing sizes (PyTorch's nested tensor).

    Made by `ferrograd.nested.nested_tensor`, `as_nested_tensor`,
    `nested_tensor_from_jagged`, `narrow` and `masked_select`.
    """

    __hash__ = Tensor.__hash__
    _fg_layout: Any  # ferrograd.strided or ferrograd.jagged
    _fg_data: Tensor  # strided: the flat buffer; jagged: the values
    _fg_sizes: tuple[tuple[int, ...], ...]  # strided: each component's shape
    _fg_ndim: int  # strided: the components' dim
    _fg_offsets: Tensor  # jagged: int64, batch + 1
    _fg_lengths: Tensor | None  # jagged: each component's length where there are holes
    _fg_ragged: int  # jagged: the ragged dim (PyTorch's `_ragged_idx`)
    _fg_j: NestedInt  # jagged: the ragged dim's size

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        from ._nested_ops import dispatch

        result = engine_call(func, args, kwargs)
        return dispatch(func, args, kwargs or {}) if result is MISS else result

    # ------------------------------------------------------------------ structure

    @property
    def layout(self) -> Any:
        return self._fg_layout

    is_nested = property(lambda self: True, doc="True: a nested tensor.")
    is_sparse = property(lambda self: False, doc="False: a nested tensor is not sparse.")

    def dim(self) -> int:
        return 1 + (self._fg_data.dim() if self._fg_layout is jagged else self._fg_ndim)

    ndimension = dim

    @property
    def ndim(self) -> int:
        return self.dim()

    def _jagged_size(self) -> tuple:
        inner: list[Any] = list(self._fg_data.shape)
        inner[self._fg_ragged - 1] = self._fg_j
        return (len(self._fg_offsets) - 1, *inner)

    def _size_text(self) -> str:
        """The jagged size as PyTorch's messages print it: `(2, j1, 3)`."""
        return "(" + ", ".join(str(s) for s in self._jagged_size()) + ")"

    def size(self, dim: int | None = None) -> Any:
        if self._fg_layout is jagged:
            from ._size import Size

            shape = self._jagged_size()
            return Size._of(shape) if dim is None else shape[wrap_dim(dim, len(shape))]
        if dim is None:
            raise RuntimeError("Internal error: NestedTensorImpl doesn't support sizes. Please file an issue.")
        d = wrap_dim(dim, self.dim())
        if d == 0:
            return len(self._fg_sizes)
        sizes = {s[d - 1] for s in self._fg_sizes}
        if len(sizes) != 1:
            raise RuntimeError(f"Given dimension {dim} is irregular and does not have a size.")
        return sizes.pop()

    @property
    def shape(self) -> Any:
        return self.size()

    def __len__(self) -> int:
        if self._fg_layout is strided:
            self.size()  # PyTorch's error: len() asks for the sizes
        return self.size(0)

    def numel(self) -> int:
        return sum(c.numel() for c in self.unbind())

    nelement = numel

    def stride(self, dim: int | None = None) -> Any:
        if self._fg_layout is strided:
            raise RuntimeError("Internal error: NestedTensorImpl doesn't support strides. Please file an issue.")
        raise unsupported("stride", jagged)

    def is_contiguous(self, memory_format=None) -> bool:
        if self._fg_layout is strided:
            return True
        return self._fg_lengths is None and self._fg_data.is_contiguous()

    def contiguous(self, memory_format=None) -> NestedTensor:
        return self if self.is_contiguous() else rebuild(self, self.unbind(), repack=True)

    def unbind(self, dim: int = 0) -> tuple:
        if dim != 0:
            if self._fg_layout is jagged:
                raise RuntimeError("unbind(): only supported for NestedTensor on dim=0")
            raise RuntimeError(f"NestedTensor can only be unbound along dimension 0 got dimension {dim} instead.")
        data = self._fg_data
        if self._fg_layout is strided:
            out, start = [], 0
            for shape in self._fg_sizes:
                n = 1
                for s in shape:
                    n *= s
                out.append(data.narrow(0, start, n).view(shape))
                start += n
            return tuple(out)
        starts = self._fg_offsets.tolist()
        lengths = self.lengths_list()
        return tuple(data.narrow(self._fg_ragged - 1, s, n) for s, n in zip(starts, lengths))

    def lengths_list(self) -> list[int]:
        """The ragged length of each component (jagged)."""
        if self._fg_lengths is not None:
            return [int(n) for n in self._fg_lengths.tolist()]
        offsets = self._fg_offsets.tolist()
        return [b - a for a, b in itertools.pairwise(offsets)]

    def __iter__(self):
        return iter(self.unbind())

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, int):
            return self.unbind()[index]
        if self._fg_layout is jagged:
            raise RuntimeError("slice(): not supported for NestedTensor on dim=0")
        raise unsupported("slice.Tensor", strided)

    def values(self) -> Tensor:
        if self._fg_layout is strided:
            return self._fg_data
        return named(self._fg_data, "NestedGetValuesBackward0")

    def offsets(self) -> Tensor:
        self._jagged_only("offsets")
        return self._fg_offsets

    def lengths(self) -> Tensor | None:
        self._jagged_only("lengths")
        return self._fg_lengths

    @property
    def _ragged_idx(self) -> int:
        self._jagged_only("_ragged_idx")
        return self._fg_ragged

    def _jagged_only(self, name: str) -> None:
        if self._fg_layout is strided:
            raise AttributeError(f"'Tensor' object has no attribute '{name}'")

    def _nested_tensor_size(self) -> Tensor:
        if self._fg_layout is jagged:
            raise unsupported("_nested_tensor_size", jagged)
        from ._creation import tensor

        return tensor([list(s) for s in self._fg_sizes], dtype=_core.int64)

    @property
    def mT(self) -> Tensor:
        return self.transpose(-2, -1)

    @property
    def T(self) -> Any:
        if self._fg_layout is jagged:
            raise ValueError("Permute is not supported on the batch dimension for jagged NT")
        raise unsupported("permute", strided)

    def to_padded_tensor(self, padding: float, output_size=None) -> Tensor:
        from ._nested_create import to_padded_tensor

        return to_padded_tensor(self, padding, output_size)

    # ------------------------------------------------------------------ autograd

    @property
    def requires_grad(self) -> bool:
        return self._fg_data.requires_grad

    @requires_grad.setter
    def requires_grad(self, flag: bool) -> None:
        self._fg_data.requires_grad = flag

    def requires_grad_(self, requires_grad: bool = True) -> NestedTensor:
        self._fg_data.requires_grad_(requires_grad)
        return self

    @property
    def is_leaf(self) -> bool:
        return self._fg_data.is_leaf

    @property
    def grad_fn(self) -> Any:
        return self._fg_data.grad_fn

    @property
    def grad(self) -> NestedTensor | None:
        """The gradient of a nested leaf: nested, with this tensor's structure."""
        g = self._fg_data.grad
        return None if g is None else with_data(self, g)

    @grad.setter
    def grad(self, value: NestedTensor | None) -> None:
        self._fg_data.grad = None if value is None else value._fg_data

    def backward(self, gradient: Any = None, retain_graph=None, create_graph: bool = False, inputs=None) -> None:
        if not self.requires_grad:
            raise RuntimeError("element 0 of tensors does not require grad and does not have a grad_fn")
        if not isinstance(gradient, NestedTensor):
            raise RuntimeError("grad can be implicitly created only for scalar outputs")  # noqa: TRY004
        self._fg_data.backward(gradient._fg_data, retain_graph=retain_graph, create_graph=create_graph)

    def detach(self) -> NestedTensor:
        return with_data(self, self._fg_data.detach())

    @property
    def data(self) -> NestedTensor:
        return self.detach()

    def clone(self, *, memory_format=None) -> NestedTensor:
        return with_data(self, self._fg_data.clone())

    # ------------------------------------------------------------------ conversions

    def to(self, *args, **kwargs) -> NestedTensor:
        from ._to_args import parse_to_args

        kwargs.pop("memory_format", None)
        dtype = parse_to_args(args, kwargs)[1]
        if dtype is None or dtype == self.dtype:
            return self
        return with_data(self, self._fg_data.to(dtype))

    def cpu(self, memory_format=None) -> NestedTensor:
        return self

    def numpy(self, *, force: bool = False) -> Any:
        if self._fg_layout is jagged:
            raise RuntimeError(".numpy() is not supported for tensor subclasses.")
        raise RuntimeError("Internal error: NestedTensorImpl doesn't support sizes. Please file an issue.")

    def tolist(self) -> Any:
        if self._fg_layout is jagged:
            raise RuntimeError(".tolist() is not supported for tensor subclasses, got NestedTensor")
        raise RuntimeError("Internal error: NestedTensorImpl doesn't support strides. Please file an issue.")

    def item(self) -> Any:
        raise RuntimeError(f"a Tensor with {self.numel()} elements cannot be converted to Scalar")

    def __bool__(self) -> bool:
        raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")

    def __reduce_ex__(self, protocol: Any) -> tuple:
        # the copy does not require grad, as a pickled tensor's
        return (_restore, (vars(self) | {"_fg_data": self._fg_data.detach()},))

    def __repr__(self, *, tensor_contents=None) -> str:
        from ._nested_repr import jagged_repr, strided_repr

        return jagged_repr(self) if self._fg_layout is jagged else strided_repr(self)

    __str__ = __repr__


def _restore(state: dict) -> NestedTensor:
    out = _new(state["_fg_data"])
    vars(out).update(state)
    return out


def _cast_method(dtype_name: str):
    def cast(self: NestedTensor, memory_format=None) -> NestedTensor:
        return self.to(getattr(_core, dtype_name))

    return cast


for _name, _dtype_name in (("float", "float32"), ("double", "float64"), ("long", "int64"), ("int", "int32"),
                           ("half", "float16"), ("bfloat16", "bfloat16"), ("bool", "bool")):
    setattr(NestedTensor, _name, _cast_method(_dtype_name))
NestedTensor.__module__ = "ferrograd"


# ---------------------------------------------------------------------- makers


def _new(data: Tensor) -> NestedTensor:
    from ._creation import empty

    return Tensor.__new__(NestedTensor, empty(0, dtype=data.dtype))


_PROTOTYPE_WARNING = ("The PyTorch API of nested tensors is in prototype stage and will change in the near future. We "
                      "recommend specifying layout=ferrograd.jagged when constructing a nested tensor, as this layout "
                      "receives active development, has better operator coverage, and works with ferrograd.compile.")
_warned = False


def make_strided(buffer: Tensor, sizes) -> NestedTensor:
    """A strided-layout nested tensor of components of shapes `sizes` packed in `buffer` (1-D);
    the first one made warns, as PyTorch does once per process."""
    global _warned
    if not _warned:
        _warned = True
        warnings.warn(_PROTOTYPE_WARNING, UserWarning, stacklevel=3)
    out = _new(buffer)
    out._fg_layout = strided
    out._fg_data = buffer
    out._fg_sizes = tuple(tuple(int(n) for n in s) for s in sizes)
    out._fg_ndim = len(out._fg_sizes[0]) if out._fg_sizes else 0
    return out


def make_jagged(values: Tensor, offsets: Tensor, lengths: Tensor | None = None, ragged_idx: int = 1) -> NestedTensor:
    """A jagged nested tensor: component i is `values` narrowed along dim `ragged_idx - 1`
    from `offsets[i]`, `lengths[i]` long (or up to `offsets[i + 1]`)."""
    out = _new(values)
    out._fg_layout = jagged
    out._fg_data = values
    out._fg_offsets = offsets
    out._fg_lengths = lengths
    out._fg_ragged = ragged_idx
    out._fg_j = ragged_size(offsets)
    return out


def named(t: Tensor, name: str) -> Tensor:
    """`t` behind a pass-through node called `name` (PyTorch's grad_fn name) when it requires grad."""
    return _core._named_node(t, name) if t.requires_grad else t


def with_data(like: NestedTensor, data: Tensor) -> NestedTensor:
    """A nested tensor with `like`'s structure on new data (of the same shape)."""
    if like.layout is strided:
        return make_strided(data, like._fg_sizes)
    return make_jagged(data, like._fg_offsets, like._fg_lengths, like._fg_ragged)


def rebuild(like: NestedTensor, components, ragged_idx: int | None = None, repack: bool = False) -> NestedTensor:
    """A nested tensor of `like`'s layout from new components (one per batch entry). A
    jagged result keeps `like`'s offsets (and nested int) when the ragged lengths are the
    same and there are no holes."""
    from ._shape import cat

    components = list(components)
    if like.layout is strided:
        data = cat([c.reshape(-1) for c in components]) if components else like._fg_data[:0]
        return make_strided(data, [c.shape for c in components])
    ragged = like._fg_ragged if ragged_idx is None else ragged_idx
    values = cat(components, ragged - 1)
    lengths = [c.shape[ragged - 1] for c in components]
    if not repack and like._fg_lengths is None and lengths == like.lengths_list():
        return make_jagged(values, like._fg_offsets, None, ragged)
    return make_jagged(values, offsets_of(lengths), None, ragged)


def offsets_of(lengths: list[int]) -> Tensor:
    from ._creation import tensor

    offsets = [0]
    for n in lengths:
        offsets.append(offsets[-1] + int(n))
    return tensor(offsets, dtype=_core.int64)
