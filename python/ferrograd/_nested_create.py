"""Making nested tensors and padding them back: PyTorch's `torch.nested` functions."""

from __future__ import annotations

from typing import Any

from . import _core
from ._core import Tensor
from ._device import check_device
from ._dtype_names import scalar_name
from ._memory_format import jagged, strided
from ._nested import NestedTensor, make_jagged, make_strided, named, offsets_of
from ._shape import cat, stack
from ._shell_dtypes import SHELL_DTYPES

# PyTorch's grad_fn of a jagged nested tensor made on values that require grad
_VIEW_NODE = "NestedViewFromJaggedBackward0"


def _layout_of(layout: Any) -> Any:
    if layout is None:
        return strided
    if layout is not strided and layout is not jagged:
        raise RuntimeError(f"Specified layout is unsupported for nested tensors: {layout}")
    return layout


def _check_device(device: Any, layout: Any) -> None:
    """Only the CPU; PyTorch's strided constructor says so in its own words."""
    try:
        check_device(device)
    except AssertionError:
        if layout is strided:
            raise RuntimeError("PyTorch is not linked with support for cuda devices") from None
        raise


def _as_tensors(items: list) -> list[Tensor]:
    from ._creation import as_tensor

    return [t if isinstance(t, Tensor) else as_tensor(t) for t in items]


def _strided_buffer(tensors: list[Tensor], dtype: Any) -> tuple[Tensor, list]:
    """The components flattened one after another (differentiably), in the first one's dtype
    unless `dtype` is given, after PyTorch's check that they have one dim."""
    for i, t in enumerate(tensors):
        if t.dim() != tensors[0].dim():
            raise RuntimeError(f"All Tensors given to nested_tensor must have the same dimension. Found dimension "
                               f"{t.dim()} for Tensor at index {i} and dimension {tensors[0].dim()} for Tensor at "
                               "index 0.")
    if not tensors:
        from ._creation import empty

        return empty(0, dtype=dtype or _core.get_default_dtype()), []
    # PyTorch copies contiguous components with a kernel that lacks these dtypes
    narrow = tensors[0].dtype in SHELL_DTYPES or tensors[0].dtype is _core.complex32
    if narrow and all(t.is_contiguous() for t in tensors):
        raise NotImplementedError(f'"create_nt_buffer" not implemented for \'{scalar_name(tensors[0].dtype)}\'')
    dtype = dtype or tensors[0].dtype
    return cat([t.reshape(-1).to(dtype) for t in tensors]), [t.shape for t in tensors]


def _jagged_from_list(tensors: list[Tensor], dtype: Any) -> NestedTensor:
    if not tensors:
        raise RuntimeError("Cannot construct a nested tensor from an empty tensor list")
    if len({t.dtype for t in tensors}) != 1:
        raise RuntimeError("When constructing a nested tensor, all tensors in list must have the same dtype")
    if len({t.dim() for t in tensors}) != 1:
        raise RuntimeError("When constructing a nested tensor, all tensors in list must have the same dim")
    if tensors[0].dim() == 0:
        raise RuntimeError("Cannot construct a nested tensor from a list of zero-dim tensors")
    ragged = [d for d in range(tensors[0].dim()) if len({t.shape[d] for t in tensors}) > 1]
    if len(ragged) > 1:
        raise RuntimeError("Cannot represent given tensor list as a nested tensor with the jagged layout. Note that the "
                           "jagged layout only allows for a single ragged dimension. For example: (B, *, D_0, D_1, "
                           "..., D_N), with ragged * dim.")
    ragged_idx = ragged[0] + 1 if ragged else 1
    values = cat(tensors, ragged_idx - 1)
    if dtype is not None:
        values = values.to(dtype)
    offsets = offsets_of([t.shape[ragged_idx - 1] for t in tensors])
    return make_jagged(named(values, _VIEW_NODE), offsets, None, ragged_idx)


def nested_tensor(tensor_list: list, *, dtype=None, layout=None, device=None, requires_grad: bool = False,
                  pin_memory: bool = False) -> NestedTensor:
    """A nested tensor holding copies of the tensors (or nested lists of numbers) of
    `tensor_list`; a leaf, with no autograd history.

    Args:
        tensor_list: a list of tensors (or of lists of numbers) of one dim.
        dtype: the dtype of the result (default: the first tensor's, for strided).
        layout: `ferrograd.strided` (default) or `ferrograd.jagged`.
        device: only the CPU.
        requires_grad: whether the result is a leaf that records gradients.
        pin_memory: accepted for PyTorch compatibility (no effect on the CPU).
    """
    layout = _layout_of(layout)
    _check_device(device, layout)
    if not isinstance(tensor_list, list):
        raise TypeError("Only lists (List[Tensor] and List[List...[Scalar]]) are accepted in nested_tensor")
    tensors = [t.detach() for t in _as_tensors(tensor_list)]
    if layout is jagged:
        out = _jagged_from_list(tensors, dtype)
        if pin_memory:
            out._fg_data.pin_memory()  # PyTorch's error: no accelerator to pin for
    else:
        out = make_strided(*_strided_buffer(tensors, dtype))
    return out.requires_grad_(requires_grad)


def as_nested_tensor(ts: Any, dtype=None, device=None, layout=None) -> NestedTensor:
    """A nested tensor keeping the autograd history of `ts`: gradients flow back to the
    tensors of the list (or to the dense tensor whose dim 0 is the batch).

    Args:
        ts: a list or tuple of tensors of one dim, a dense tensor of 2 or more dims, or a
            nested tensor (returned itself when the layout matches).
        dtype: the dtype of the result (default: the first tensor's).
        device: only the CPU.
        layout: `ferrograd.strided` (default) or `ferrograd.jagged`.
    """
    _check_device(device, jagged if layout is jagged else strided)
    is_list = isinstance(ts, (list, tuple)) and all(isinstance(t, Tensor) for t in ts)
    if not isinstance(ts, Tensor) and not is_list:
        raise TypeError("as_nested_tensor(): Expected first argument to be a tensor or a list / tuple of tensors ")
    if isinstance(ts, Tensor) and ts.dim() < 2:
        raise RuntimeError("as_nested_tensor(): Expected tensor argument to have dim() > 1")
    if isinstance(ts, NestedTensor):
        if layout is not ts.layout:
            raise RuntimeError("as_nested_tensor(): Converting between nested tensor layouts is not supported")
        return ts.to(dtype=dtype)
    layout = _layout_of(layout)
    if layout is jagged:
        if isinstance(ts, Tensor):
            values = ts.contiguous().flatten(0, 1)
            values = values if dtype is None else values.to(dtype)
            return make_jagged(named(values, _VIEW_NODE), offsets_of([ts.shape[1]] * ts.shape[0]))
        return _jagged_from_list(list(ts), dtype)
    tensors = list(ts.unbind(0)) if isinstance(ts, Tensor) else list(ts)
    buffer, sizes = _strided_buffer(tensors, dtype)
    return make_strided(named(buffer, "NestedTensorFromTensorListBackward0"), sizes)


def nested_tensor_from_jagged(values: Tensor, offsets: Tensor | None = None, lengths: Tensor | None = None,
                              jagged_dim: int | None = None, min_seqlen: int | None = None,
                              max_seqlen: int | None = None) -> NestedTensor:
    """A jagged nested tensor viewing `values`: component i is `values` along dim
    `jagged_dim - 1` from `offsets[i]`, `lengths[i]` long (default: up to `offsets[i + 1]`).
    Gradients flow back to `values`.

    Args:
        values: the packed components.
        offsets: int64, batch + 1 starts (default: from `lengths`).
        lengths: int64, the length of each component; with offsets, leaves holes.
        jagged_dim: the ragged dim of the result (default 1).
        min_seqlen: accepted for PyTorch compatibility (a cached bound).
        max_seqlen: accepted for PyTorch compatibility (a cached bound).
    """
    if offsets is None:
        if lengths is None:
            raise RuntimeError("nested_tensor_from_jagged(): At least one of offsets or lengths is required.")
        offsets, lengths = offsets_of(lengths.tolist()), None
    if jagged_dim is None:
        jagged_dim = 1
    elif jagged_dim < 1:
        raise ValueError(f"Expected jagged_dim >=1, but got {jagged_dim}.")
    return make_jagged(named(values, _VIEW_NODE), offsets, lengths, jagged_dim)


def narrow(tensor: Tensor, dim: int, start: Any, length: Any, layout=strided) -> Tensor:
    """A nested tensor of the rows of `tensor` narrowed along `dim`, each from its own
    start and for its own length (jagged: views of `tensor`; strided: only one start and
    length for all).

    Args:
        tensor: a dense tensor of 2 or more dims, dim 0 the batch.
        dim: the dim to narrow (jagged: only 1).
        start: an int or int64 tensor broadcasting to the batch.
        length: an int or int64 tensor broadcasting to the batch.
        layout: `ferrograd.strided` (default) or `ferrograd.jagged`.
    """
    if not isinstance(start, (int, Tensor)):
        raise RuntimeError("start must be an integer or a tensor")  # noqa: TRY004 (PyTorch's type)
    if not isinstance(length, (int, Tensor)):
        raise RuntimeError("length must be an integer or a tensor")  # noqa: TRY004 (PyTorch's type)
    if layout is strided:
        if isinstance(start, Tensor) or isinstance(length, Tensor):
            raise RuntimeError("start and length must be integers for the strided layout NT impl")
        return as_nested_tensor(tensor.unbind(0)).narrow(dim, start, length)
    if layout is not jagged:
        raise RuntimeError(f"Specified layout is unsupported for nested narrow: {layout}")
    if dim != 1:
        raise RuntimeError("jagged layout only supports dim=1")
    batch, width = tensor.shape[0], tensor.shape[1]
    starts = _per_row(start, batch)
    lengths = _per_row(length, batch)
    offsets = [s + i * width for i, s in enumerate(starts)]
    offsets.append(offsets[-1] + lengths[-1])
    values = tensor.reshape(-1, *tensor.shape[2:])
    # the rows' pieces adjoin: a view of one stretch of `values`, without holes. (PyTorch does
    # not check that the last piece starts its row, and gets its components wrong when not.)
    contiguous = starts[0] + lengths[0] == width and all(s == 0 for s in starts[1:]) and all(
        n == width for n in lengths[1:-1])
    if contiguous:
        return make_jagged(values[offsets[0]:offsets[-1]], offsets_of(lengths))
    return make_jagged(values, _long(offsets), _long(lengths))


def _long(values: list[int]) -> Tensor:
    from ._creation import tensor

    return tensor(values, dtype=_core.int64)


def _per_row(value: Any, batch: int) -> list[int]:
    values = [value] if isinstance(value, int) else value.reshape(-1).tolist()
    if len(values) not in (1, batch):
        raise RuntimeError("When constructing a jagged nested tensor using narrow(), your start and length must be "
                           "Tensors that broadcast to input.shape[0]")
    return [int(v) for v in values] * (batch if len(values) == 1 else 1)


def masked_select(tensor: Tensor, mask: Tensor) -> NestedTensor:
    """A jagged nested tensor of the elements of each last-dim row of `tensor` where
    `mask` is True (PyTorch's `torch.nested.masked_select`).

    Args:
        tensor: a dense tensor.
        mask: a bool tensor broadcasting to `tensor`.
    """
    if tensor.layout is not strided:
        raise RuntimeError(f"torch.nested.masked_select requires a strided tensor, given {tensor.layout}")
    if mask.layout is not strided:
        raise RuntimeError(f"torch.nested.masked_select requires a strided mask, given: {mask.layout}")
    values = tensor.masked_select(mask)
    lengths = mask.expand(tensor.shape).sum(dim=tensor.dim() - 1).reshape(-1)
    return make_jagged(values, offsets_of(lengths.tolist()))


def to_padded_tensor(input: Tensor, padding: float, output_size=None) -> Tensor:
    """The components of a nested tensor stacked into one dense tensor, each padded at
    the end of every dim with `padding` (to the largest size, or to `output_size`).
    Gradients flow back to the nested tensor.

    Args:
        input: a nested tensor.
        padding: the fill value.
        output_size: the size of the result (strided: every dim, none smaller than the
            largest component; jagged: only the ragged dim's entry counts, and may truncate).
    """
    from ._sparse_strided import no_kernel

    if not isinstance(input, NestedTensor):
        raise no_kernel("to_padded_tensor")
    components = input.unbind()
    if input.layout is jagged:
        if input._fg_lengths is not None:
            raise RuntimeError("to_padded_tensor(): not supported for nested tensors with holes")
        axis = input._fg_ragged - 1
        longest = max(c.shape[axis] for c in components)
        target = longest if output_size is None else output_size[input._fg_ragged]
        shape = list(components[0].shape)
        shape[axis] = target
        return named(stack([_padded(c.narrow(axis, 0, min(c.shape[axis], target)), shape, padding)
                            for c in components]), "ToPaddedTensorBackward0")
    if not components:
        return input._fg_data.reshape(0)
    largest = [max(c.shape[d] for c in components) for d in range(components[0].dim())]
    if output_size is None:
        return named(stack([_padded(c, largest, padding) for c in components]), "ToPaddedTensorBackward0")
    output_size = [int(n) for n in output_size]
    if len(output_size) != input.dim():
        raise RuntimeError("Length of output_size does not match NestedTensor dims. Broadcasting is not supported.")
    if output_size[0] < len(components) or any(o < n for o, n in zip(output_size[1:], largest)):
        raise RuntimeError("Value in output_size is less than NestedTensor padded size. Truncation is not supported.")
    out = stack([_padded(c, output_size[1:], padding) for c in components])
    if output_size[0] > len(components):
        from ._creation import full

        extra = full((output_size[0] - len(components), *output_size[1:]), padding, dtype=out.dtype)
        out = cat([out, extra])
    return named(out, "ToPaddedTensorBackward0")


def _padded(t: Tensor, shape, padding: float) -> Tensor:
    from .nn.functional import pad

    widths: list[int] = []
    for size, target in zip(reversed(t.shape), reversed(list(shape))):
        widths += [0, target - size]
    return pad(t, widths, value=padding) if any(widths) else t
