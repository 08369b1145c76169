"""`memory_format` and `layout`: PyTorch's tensor-layout tags.

`channels_last` stores a 4-D NCHW tensor with the channels innermost (strides
`(H*W*C, 1, W*C, C)`), `channels_last_3d` does the same for 5-D NCDHW; such a tensor is
a permuted view of a contiguous NHWC (NDHWC) one, which is how ferrograd builds them.
`contiguous`, `is_contiguous`, `clone`, `to` and the `*_like` creators take
`memory_format=` as in PyTorch; `preserve_format` keeps a channels-last input channels
last, and any other dense input keeps its strides (PyTorch's rule, see
`src/tensor/memory_format.rs`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from . import _core
from ._core import Tensor
from ._device import CPU
from ._quantized_dtypes import QuantizedDtype

__all__ = ["_mkldnn", "channels_last", "channels_last_3d", "clone", "contiguous_format", "jagged", "layout",
           "memory_format", "preserve_format", "sparse_bsc", "sparse_bsr", "sparse_coo", "sparse_csc", "sparse_csr", "strided"]


class _Tag:
    """A named constant printed as `ferrograd.<name>`; made only here."""

    _made: ClassVar[dict[str, Any]]
    __slots__ = ("_name",)

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(f"cannot create 'torch.{cls.__name__}' instances")

    @classmethod
    def _make(cls, name: str) -> Any:
        obj = object.__new__(cls)
        obj._name = name
        cls._made[name] = obj
        return obj

    def __repr__(self) -> str:
        return f"ferrograd.{self._name}"

    def __reduce__(self) -> tuple:
        return (_tag_named, (type(self).__name__, self._name))


class memory_format(_Tag):
    """How a tensor's elements are ordered in memory (`contiguous_format`,
    `channels_last`, `channels_last_3d`, `preserve_format`)."""

    _made: ClassVar[dict[str, Any]] = {}
    __slots__ = ()


class layout(_Tag):
    """How a tensor is stored: `strided` (dense; the only layout ferrograd has)."""

    _made: ClassVar[dict[str, Any]] = {}
    __slots__ = ()


memory_format.__module__ = "ferrograd"
layout.__module__ = "ferrograd"


def _tag_named(kind: str, name: str) -> Any:
    return {"memory_format": memory_format, "layout": layout}[kind]._made[name]


contiguous_format = memory_format._make("contiguous_format")
channels_last = memory_format._make("channels_last")
channels_last_3d = memory_format._make("channels_last_3d")
preserve_format = memory_format._make("preserve_format")
strided = layout._make("strided")
sparse_coo = layout._make("sparse_coo")
sparse_csr = layout._make("sparse_csr")
sparse_csc = layout._make("sparse_csc")
sparse_bsr = layout._make("sparse_bsr")
sparse_bsc = layout._make("sparse_bsc")
jagged = layout._make("jagged")
_mkldnn = layout._make("_mkldnn")

# storage order of the dims, and the permutation back to logical order
_ORDERS = {channels_last: ((0, 2, 3, 1), (0, 3, 1, 2)),
           channels_last_3d: ((0, 2, 3, 4, 1), (0, 4, 1, 2, 3))}
_RANKS = {channels_last: 4, channels_last_3d: 5}


def _check_format(fn_name: str, fmt: Any) -> None:
    if not isinstance(fmt, memory_format):
        raise TypeError(f"{fn_name}(): argument 'memory_format' must be torch.memory_format, not "
                        f"{type(fmt).__name__}")


def _check_rank(t: Tensor, fmt: memory_format) -> None:
    rank = _RANKS.get(fmt)
    if rank is not None and t.dim() != rank:
        raise RuntimeError(f"required rank {rank} tensor to use {fmt._name} format")


def _dense_in_order(t: Tensor, order: tuple[int, ...]) -> bool:
    """PyTorch's channels-last contiguity: the dims, innermost first in `order`
    reversed, have the strides of a packed tensor (size-1 dims skipped)."""
    shape, strides = t.shape, t.stride()
    expected = 1
    for d in reversed(order):
        if shape[d] != 1:
            if strides[d] != expected:
                return False
            expected *= shape[d]
    return True


def _target(t: Tensor, fmt: Any, fn_name: str) -> memory_format:
    if fmt is None:
        return preserve_format
    _check_format(fn_name, fmt)
    if fmt is not preserve_format:
        _check_rank(t, fmt)
    return fmt


def create_like(input: Tensor, fmt: Any, requires_grad: bool, make: Callable[[tuple], Tensor],
                fn_name: str = "empty_like") -> Tensor:
    """`make(shape)` laid out in `fmt` for a tensor like `input` (values drawn in memory
    order, as PyTorch's random `*_like` do)."""
    target = _target(input, fmt, fn_name)
    if target is preserve_format:
        return _create_preserving(input, requires_grad, make)
    return create(tuple(input.shape), target, requires_grad, make)


def _create_preserving(input: Tensor, requires_grad: bool, make: Callable[[tuple], Tensor]) -> Tensor:
    """`make` laid out as PyTorch's `preserve_format` lays out a copy of `input`: its
    strides when dense, else its dims packed in stride order. The values are made in
    memory order (a random tensor draws the same numbers as a row-major one)."""
    from ._core import _preserved_strides, _restrided
    from ._creation import _finish

    strides = _preserved_strides(input)
    if strides is None:
        return _finish(make(tuple(input.shape)), requires_grad)
    shape = tuple(input.shape)
    order = sorted(range(len(shape)), key=lambda d: -strides[d])
    packed = make(tuple(shape[d] for d in order))
    return _finish(_restrided(packed, shape, strides), requires_grad)


def create(shape: tuple, fmt: Any, requires_grad: bool, make: Callable[[tuple], Tensor]) -> Tensor:
    """`make(shape)` laid out in `fmt` (None: contiguous)."""
    if fmt is None or fmt is contiguous_format or fmt is preserve_format:
        out = make(tuple(shape))
    else:
        _check_format("empty", fmt)
        rank = _RANKS[fmt]
        if len(shape) != rank:
            raise RuntimeError(f"required rank {rank} tensor to use {fmt._name} format")
        order, back = _ORDERS[fmt]
        out = make(tuple(shape[d] for d in order)).permute(back)
    from ._creation import _finish

    return _finish(out, requires_grad)


def _relayout(t: Tensor, fmt: memory_format, node: str = "CloneBackward0") -> Tensor:
    """A copy of `t` laid out in `fmt`, differentiable, recorded as `node` (PyTorch's
    `CloneBackward0` for clone/contiguous, `ToCopyBackward0` for `to`)."""
    if fmt is contiguous_format and node == "CloneBackward0":
        return _ORIGINAL["clone"](t) if t.is_contiguous() else _ORIGINAL["contiguous"](t)
    order, back = _ORDERS.get(fmt, (None, None))
    return _layout_copy(node).apply(t, order, back)


_LAYOUT_COPIES: dict[str, Any] = {}


def _row_major_strides(shape: tuple) -> tuple:
    strides, step = [], 1
    for size in reversed(shape):
        strides.append(step)
        step *= max(size, 1)
    return tuple(reversed(strides))


def _layout_copy(node: str) -> Any:
    """The custom op copying into a layout, recorded as `node`; made on first use (the
    autograd package loads lazily)."""
    if node not in _LAYOUT_COPIES:
        from .autograd.function import Function

        class LayoutCopy(Function):
            _ferro_node_name = node

            @staticmethod
            def forward(ctx: Any, x: Tensor, order: tuple | None, back: tuple | None) -> Tensor:
                if order is None:
                    return _ORIGINAL["clone"](x) if x.is_contiguous() else _ORIGINAL["contiguous"](x)
                packed = x.permute(order)
                # already packed in this order: contiguous() would return the same memory
                copy = _ORIGINAL["clone"] if _ORIGINAL["is_contiguous"](packed) else _ORIGINAL["contiguous"]
                # row-major strides exactly, size-1 dims too, as PyTorch's empty() in `fmt`
                shape = tuple(packed.shape)
                return _core._restrided(copy(packed), shape, _row_major_strides(shape)).permute(back)

            @staticmethod
            def backward(ctx: Any, grad: Tensor) -> tuple:
                return grad, None, None

        _LAYOUT_COPIES[node] = LayoutCopy
    return _LAYOUT_COPIES[node]


def _contiguous(self: Tensor, memory_format: Any = contiguous_format) -> Tensor:
    """This tensor if already laid out in `memory_format`, else a copy that is
    (default: row-major; `ferrograd.channels_last` for NHWC strides).

    Args:
        memory_format: the layout wanted (`preserve_format` is refused).
    """
    if memory_format is contiguous_format:  # the common call, kept cheap
        return _ORIGINAL["contiguous"](self)
    _check_format("contiguous", memory_format)
    if memory_format is preserve_format:
        if self.is_contiguous():
            return self
        raise RuntimeError("preserve memory format is unsupported by the contiguous operator")
    _check_rank(self, memory_format)
    if memory_format is contiguous_format:
        return _ORIGINAL["contiguous"](self)
    if _is_contiguous(self, memory_format):
        return self
    return _relayout(self, memory_format)


def _is_contiguous(self: Tensor, memory_format: Any = contiguous_format) -> bool:
    """Whether the elements are packed in the order of `memory_format` (default:
    row-major).

    Args:
        memory_format: the layout to test for.
    """
    if memory_format is contiguous_format:  # the common call, kept cheap
        return _ORIGINAL["is_contiguous"](self)
    _check_format("is_contiguous", memory_format)
    if memory_format is preserve_format:
        return _ORIGINAL["is_contiguous"](self)
    if self.dim() != _RANKS[memory_format]:
        return False
    return _dense_in_order(self, _ORDERS[memory_format][0])


def clone(input: Tensor, *, memory_format: Any = preserve_format) -> Tensor:
    """A copy of `input` with its own memory; gradients flow back to `input`. With
    `preserve_format` (default) a channels-last input stays channels last.

    Args:
        input: the tensor to copy.
        memory_format: the layout of the copy.
    """
    if not isinstance(input, Tensor):
        raise TypeError(
            f"clone(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    if memory_format is preserve_format:
        return _ORIGINAL["clone"](input)  # the common call, kept cheap
    target = _target(input, memory_format, "clone")
    if target is preserve_format:
        return _ORIGINAL["clone"](input)
    return _relayout(input, target)


def _clone_method(self: Tensor, *, memory_format: Any = preserve_format) -> Tensor:
    """A copy with its own storage; gradients flow back to this tensor. With
    `preserve_format` (default) a channels-last tensor stays channels last.

    Args:
        memory_format: the layout of the copy.
    """
    if memory_format is preserve_format:
        return _ORIGINAL["clone"](self)  # the common call, kept cheap
    return clone(self, memory_format=memory_format)


def _wrap_to(original: Callable) -> Callable:
    dtype_class = type(_core.float32)

    def to(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        if not kwargs and len(args) == 1:  # the common calls: x.to(dtype), x.to("cpu")
            target = args[0]
            if type(target) is dtype_class:
                return self if self.dtype is target else self._to_dtype(target)
            if target is CPU or (type(target) is str and target == "cpu"):
                return self
        if any(isinstance(a, QuantizedDtype) for a in (*args, *kwargs.values())) and not self.is_quantized:
            # PyTorch makes a quantized result, which it cannot give strides
            raise RuntimeError("empty_strided not supported on quantized tensors yet see "
                               "https://github.com/pytorch/pytorch/issues/74540")
        fmt = kwargs.pop("memory_format", None)
        out = original(self, *args, **kwargs)
        if fmt is None:
            return out
        target = _target(self, fmt, "to")
        if target is preserve_format or _is_contiguous(out, target):
            return out
        return _relayout(out, target, "ToCopyBackward0")

    to.__doc__ = (original.__doc__ or "") + (
        "\n    memory_format (keyword): the layout of the result (`channels_last` gives NHWC "
        "strides)."
    )
    return to


_ORIGINAL: dict[str, Callable] = {}


def _install() -> None:
    _ORIGINAL["contiguous"] = Tensor.contiguous
    _ORIGINAL["is_contiguous"] = Tensor.is_contiguous
    _ORIGINAL["clone"] = Tensor.clone
    Tensor.contiguous = _contiguous
    Tensor.is_contiguous = _is_contiguous
    Tensor.clone = _clone_method
    Tensor.to = _wrap_to(Tensor.to)
    Tensor.layout = property(lambda self: strided, doc="The storage layout: `ferrograd.strided`.")


_install()
