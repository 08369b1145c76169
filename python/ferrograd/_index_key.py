"""PyTorch's reading of an advanced index where it differs from NumPy's: a short list
holding sequences, slices, tensors, `None` or `...` is a tuple of indices; a boolean
mask must match the dims it covers; an index into a dim of size 0 is refused; and
out-of-range integers go unchecked when the result has no elements (PyTorch checks
them in the gather loop, which then does not run)."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

from ._core import Tensor
from ._numpy import np

# PyTorch warns from one of two source lines: one for a tensor, sequence or slice
# item, the other for `None` or `...` (whichever item comes first)
_SEQUENCE_AS_TUPLE_WARNING = (
    "Using a non-tuple sequence for multidimensional indexing is deprecated and will be changed in "
    "pytorch 2.9; use x[tuple(seq)] instead of x[seq]. In pytorch 2.9 this will be interpreted as "
    "tensor index, x[torch.tensor(seq)], which will result either in an error or a different result"
    " (Triggered internally at /__w/pytorch/pytorch/torch/csrc/autograd/python_variable_indexing.cpp:{line}.)"
)


def _is_sequence(item) -> bool:
    return isinstance(item, (Sequence, np.ndarray)) and not isinstance(item, (str, bytes))


def as_torch_key(idx):
    """`idx` as PyTorch reads it: NumPy's old heuristic makes a list of fewer than 32
    items a tuple of indices when one of them is a tensor, a sequence, a slice, `None`
    or `...` (with PyTorch's deprecation warning); the data of a list or array index
    is read as PyTorch reads index data (see `_index_data`)."""
    if isinstance(idx, list) and len(idx) < 32:
        for item in idx:
            if isinstance(item, (Tensor, slice)) or item is None or item is Ellipsis or _is_sequence(item):
                line = 359 if item is None or item is Ellipsis else 349
                warnings.warn(_SEQUENCE_AS_TUPLE_WARNING.format(line=line), UserWarning, stacklevel=3)
                idx = tuple(idx)
                break
    if isinstance(idx, tuple):
        items = tuple(_index_data(i) for i in idx)
        return idx if all(a is b for a, b in zip(items, idx, strict=True)) else items
    return _index_data(idx)


def _index_data(item):
    """A list or NumPy array used as an index, as PyTorch converts index data: uint8
    stays a (byte) mask, bool a mask, and any other dtype is cast to int64 (floats
    truncated, complex numbers by their real part). Anything else is returned as is."""
    if isinstance(item, list):
        if not item:
            return item
        try:
            arr = np.asarray(item)
        except (ValueError, TypeError):  # ragged, or holding tensors: read elsewhere
            return item
        return _tensor_of(arr.real.astype(np.int64)) if arr.dtype.kind in "fc" else item
    if isinstance(item, np.ndarray):
        if item.dtype == np.uint8:
            return _tensor_of(item)
        if item.dtype.kind in "fc":
            return _tensor_of(item.real.astype(np.int64))
    return item


def _tensor_of(arr: np.ndarray) -> Tensor:
    from ._creation import tensor

    return tensor(arr)


def _items(key, ndim: int) -> list:
    items = list(key) if isinstance(key, tuple) else [key]
    if any(i is Ellipsis for i in items):
        used = 0
        for i in items:
            if i is None or i is Ellipsis or isinstance(i, (bool, np.bool_)):
                continue
            if isinstance(i, (list, np.ndarray)):
                a = np.asarray(i)
                used += a.ndim if a.dtype == np.bool_ else 1
            else:
                used += 1
        k = next(k for k, i in enumerate(items) if i is Ellipsis)  # identity: arrays compare elementwise
        items[k : k + 1] = [slice(None)] * max(ndim - used, 0)
    return items


def _advanced_items(key, shape: tuple) -> list[tuple[int | None, np.ndarray]]:
    """(dim, integer array) of each advanced index, in order, after checking the masks:
    a mask of n dims stands for the n index arrays of its nonzero positions (dim None)."""
    found = []
    dim = 0
    for item in _items(key, len(shape)):
        if item is None or isinstance(item, (bool, np.bool_)):
            continue
        if isinstance(item, (list, np.ndarray)):
            a = np.asarray(item)
            if a.dtype == np.bool_ and a.ndim > 0:
                covered = shape[dim : dim + a.ndim]
                for j, size in enumerate(a.shape):
                    if j >= len(covered) or covered[j] != size:
                        raise IndexError(
                            f"The shape of the mask {list(a.shape)} at index {j} does not match the shape of the "
                            f"indexed tensor {list(shape)} at index {dim + j}"
                        )
                found.extend((None, np.zeros(int(a.sum()), dtype=np.int64)) for _ in range(a.ndim))
                dim += a.ndim
                continue
            if a.ndim == 0:  # an integer, applied as a select
                dim += 1
                continue
            found.append((dim, a))
        dim += 1
    return found


def checked_key(key, shape: tuple):
    """`key` (NumPy's form of the index) after PyTorch's checks; when the result has no
    elements, its out-of-range integers replaced by 0 so NumPy does not refuse them.
    Returns the key and, when an integer is out of range, PyTorch's message for it."""
    advanced = _advanced_items(key, shape)
    try:
        picked = np.broadcast_shapes(*(a.shape for _, a in advanced))
    except ValueError:
        shapes = ", ".join(str(list(a.shape)) for _, a in advanced)
        raise IndexError(f"shape mismatch: indexing tensors could not be broadcast together with shapes {shapes}") from None
    if advanced and 0 not in picked:  # an index that picks nothing is not checked
        for dim, a in advanced:
            if dim is not None and shape[dim] == 0 and a.size > 0:
                raise IndexError("index is out of bounds for dimension with size 0")
    for k, (dim, a) in enumerate(advanced):
        if dim is None:
            continue
        bad = (a < -shape[dim]) | (a >= shape[dim])
        if bad.any():
            value = int(a.reshape(-1)[np.argmax(bad.reshape(-1))])
            return _zeroed(key, shape), f"index {value} is out of bounds for dimension {k} with size {shape[dim]}"
    return key, None


def _zeroed(key, shape: tuple):
    """`key` with every advanced integer array replaced by zeros of its shape."""
    items = _items(key, len(shape))
    out = []
    for item in items:
        if isinstance(item, (list, np.ndarray)):
            a = np.asarray(item)
            if a.dtype != np.bool_ and a.ndim > 0:
                item = np.zeros(a.shape, dtype=np.int64)
        out.append(item)
    return tuple(out)
