"""Advanced indexing (integer tensors or lists, boolean masks), with gradients.

NumPy works out which elements an index picks, on an array of element positions; the
core then gathers (`take`, `IndexBackward0`) or scatters (`put_`, `IndexPutBackward0`)
those positions, so the result is differentiable."""

from __future__ import annotations

import re

from . import _core
from . import _saved_values as saved_values
from ._core import Tensor
from ._index_key import as_torch_key, checked_key
from ._numpy import np
from ._shell_dtypes import refuse as refuse_shell
from ._user_warning import triggered_internally, warn_at_caller

# PyTorch's: int64 and int32 positions, bool and (deprecated) uint8 masks
_INDEX_DTYPES = (_core.int64, _core.int32, _core.bool, _core.uint8)


def _zero_dim_scalars(idx):
    """PyTorch reads a 0-dim integer tensor in a key as a Python int (`select`), of
    any integer dtype, and a 0-dim uint8 one as a Python bool (no deprecation warning)."""
    items = idx if isinstance(idx, tuple) else (idx,)
    if not any(isinstance(i, Tensor) and i.dim() == 0 and i.dtype not in (_core.int64, _core.bool) for i in items):
        return idx
    out = tuple(_zero_dim_scalar(i) for i in items)
    if all(o is i for o, i in zip(out, items)):  # a 0-dim float index: left for the dtype check
        return idx
    return out if isinstance(idx, tuple) else out[0]


def _zero_dim_scalar(item):
    if not isinstance(item, Tensor) or item.dim() != 0 or item.dtype.is_floating_point or item.dtype.is_complex:
        return item
    if item.dtype in (_core.uint8, _core.bool):
        return bool(item)
    return int(item)


def _np_index(idx):
    if isinstance(idx, Tensor):
        if idx.dtype not in _INDEX_DTYPES:
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        if idx.dtype == _core.uint8:  # PyTorch's legacy byte mask
            warn_at_caller(triggered_internally("indexing with dtype torch.uint8 is now deprecated, please use a dtype "
                                                "torch.bool instead.", "native/IndexingUtils.h:37"))
            return idx.detach().numpy().astype(bool)
        if idx.dtype == _core.bool and idx.dim() == 0:
            return bool(idx)  # a 0-dim mask indexes like a Python bool
        return idx.detach().numpy()
    if isinstance(idx, tuple):
        return tuple(_np_index(i) for i in idx)
    if isinstance(idx, list):
        if any(isinstance(i, str) for i in idx):
            raise TypeError("new(): invalid data type 'str'")  # PyTorch reads the list as tensor data
        return np.asarray([_np_index(i) for i in idx]) if idx and isinstance(idx[0], Tensor) else idx
    return idx


def _is_int(item) -> bool:
    if isinstance(item, np.ndarray):
        return item.ndim == 0 and item.dtype.kind in "iu"
    return isinstance(item, (int, np.integer)) and not isinstance(item, (bool, np.bool_))


def _is_advanced(item) -> bool:
    if isinstance(item, np.ndarray):
        return not _is_int(item)
    return isinstance(item, (list, bool, np.bool_))


def _dims_consumed(item) -> int:
    if item is None or item is Ellipsis or isinstance(item, (bool, np.bool_)):
        return 0
    if isinstance(item, (list, np.ndarray)):
        arr = np.asarray(item)
        return arr.ndim if arr.dtype == np.bool_ else 1
    return 1


def _expand_ellipsis(key, ndim: int):
    """The key with its `...` written out as whole slices when it holds advanced items:
    PyTorch decides whether advanced indices are adjacent after the expansion, so an
    ellipsis that stands for no dim does not separate them (NumPy's does)."""
    if not isinstance(key, tuple) or not any(i is Ellipsis for i in key):
        return key
    if not any(_is_advanced(i) for i in key) or sum(i is Ellipsis for i in key) > 1:
        return key
    k = next(k for k, i in enumerate(key) if i is Ellipsis)
    fill = max(ndim - sum(_dims_consumed(i) for i in key), 0)
    return key[:k] + (slice(None),) * fill + key[k + 1:]


def _torch_order(key, ndim: int):
    """PyTorch applies integer indices as `select` before the advanced ones, so where the
    advanced dims land is decided among the non-integer items only (NumPy counts the
    integers as advanced too): `x[0, :, [1, 2]]` on a (2, 3, 4) tensor is (3, 2), not (2, 3).
    Returns the basic key to apply first and the advanced key to apply to its result."""
    items = list(key) if isinstance(key, tuple) else [key]
    if not any(_is_int(i) for i in items) or not any(_is_advanced(i) for i in items):
        return None
    ellipses = [k for k, i in enumerate(items) if i is Ellipsis]
    if len(ellipses) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    if ellipses:
        fill = max(ndim - sum(_dims_consumed(i) for i in items), 0)
        items[ellipses[0] : ellipses[0] + 1] = [slice(None)] * fill
    basic, advanced = [], []
    for item in items:
        if isinstance(item, np.ndarray) and item.ndim == 0 and item.dtype == np.bool_:
            item = bool(item)  # a 0-dim bool tensor indexes like a Python bool
        if _is_int(item):
            basic.append(int(item))
        elif isinstance(item, (bool, np.bool_)):
            basic.append(None)
            advanced.append(np.zeros(1 if item else 0, dtype=np.int64))
        elif isinstance(item, (list, np.ndarray)):
            basic.extend([slice(None)] * _dims_consumed(item))
            advanced.append(item)
        else:  # a slice or None: a dim of the basic result
            basic.append(item)
            advanced.append(slice(None))
    return tuple(basic), tuple(advanced)


def _positions(t: Tensor, idx) -> np.ndarray:
    shape = tuple(t.shape)
    pos = np.arange(t.numel(), dtype=np.int64).reshape(shape)
    for item in idx if isinstance(idx, tuple) else (idx,):
        if isinstance(item, slice) and item.step is not None and item.step <= 0:
            raise ValueError("slice step cannot be zero" if item.step == 0
                             else "step must be greater than zero")
    try:
        key, out_of_range = checked_key(_np_index(idx), shape)
        key = _expand_ellipsis(key, len(shape))
        split = _torch_order(key, len(shape))
        out = pos[key] if split is None else pos[split[0]][split[1]]
    except IndexError as e:
        msg = str(e).replace("axis", "dimension")
        too_many = re.match(r"too many indices for array: array is (\d+)-dimensional", msg)
        if too_many:
            msg = f"too many indices for tensor of dimension {too_many.group(1)}"
        elif msg.startswith("shape mismatch: indexing arrays could not be broadcast together with shapes "):
            shapes = re.findall(r"\(([^)]*)\)", msg)
            listed = ", ".join("[" + ", ".join(d.strip() for d in shape.split(",") if d.strip()) + "]"
                               for shape in shapes)
            msg = f"shape mismatch: indexing tensors could not be broadcast together with shapes {listed}"
        raise IndexError(msg) from None
    if out_of_range is not None and out.size > 0:
        raise IndexError(out_of_range)
    return np.ascontiguousarray(out, dtype=np.int64)


def _as_positions_tensor(pos: np.ndarray) -> Tensor:
    from ._creation import tensor

    return tensor(pos)


def _refuse_index_tensors_of_0dim(t: Tensor, idx) -> None:
    """A 0-dim tensor indexed by a tensor (other than a 0-dim mask) or a sequence: each
    of those takes a dim, and PyTorch counts them before reading any."""
    if t.dim() != 0:
        return
    for item in idx if isinstance(idx, tuple) else (idx,):
        if isinstance(item, (list, np.ndarray)) or (
                isinstance(item, Tensor) and not (item.dim() == 0 and item.dtype in (_core.bool, _core.uint8))):
            raise IndexError("too many indices for tensor of dimension 0")


def advanced_getitem(t: Tensor, idx) -> Tensor:
    """`t[idx]` where idx holds tensors, lists or masks."""
    _refuse_index_tensors_of_0dim(t, idx)
    key = _zero_dim_scalars(as_torch_key(idx))
    if key is not idx:
        return t[key]
    dim = _one_index_dim(t, idx)
    if dim is None:
        out = _core._take(t, _as_positions_tensor(_positions(t, idx)))
    else:
        index = idx[dim] if isinstance(idx, tuple) else idx
        try:
            out = _core._index_dim(t, dim, index)
        except IndexError:  # out of range: the general path words it as PyTorch does
            out = _core._take(t, _as_positions_tensor(_positions(t, idx)))
    if out.grad_fn is not None:
        indices = _saved_indices(t, idx)
        if indices is not None:
            saved_values.keep(out, "IndexBackward0",
                              {"indices": indices, "self_sym_sizes": tuple(t.shape)})
    return out


_WHOLE = slice(None)


def _one_index_dim(t: Tensor, idx) -> int | None:
    """The dim of `t[idx]` when idx is one int64/int32 tensor of at least one dim,
    alone or after and before whole slices (`t[i]`, `t[:, i]`, `t[:, i, :]`): the case
    the core copies whole rows for. None for every other key."""
    items = idx if isinstance(idx, tuple) else (idx,)
    if len(items) > t.dim() or t.dtype.is_complex or t.numel() == 0:
        return None
    found = None
    for k, item in enumerate(items):
        if isinstance(item, Tensor):
            if found is not None or item.dtype not in (_core.int64, _core.int32) or item.dim() == 0:
                return None
            found = k
        elif not (isinstance(item, slice) and item == _WHOLE):
            return None
    return found


def _saved_indices(t: Tensor, idx) -> tuple | None:
    """PyTorch's `IndexBackward0._saved_indices` for `t[idx]`: one entry per indexed
    dim left after integers select theirs, None for a sliced one, trailing Nones
    dropped; None when the key is of a kind not worked out here."""
    from ._creation import tensor

    items = idx if isinstance(idx, tuple) else (idx,)
    used = sum(i.dim() if isinstance(i, Tensor) and i.dtype == _core.bool else 1
               for i in items if i is not None and i is not Ellipsis and not isinstance(i, bool))
    out: list = []
    for item in items:
        if item is Ellipsis:
            out.extend([None] * (t.dim() - used))
        elif item is None or _is_int(item):
            continue
        elif isinstance(item, slice):
            out.append(None)
        elif isinstance(item, Tensor):
            out.append(item)
        elif isinstance(item, list) and all(_is_int(x) for x in item):
            out.append(tensor(item))
        else:
            return None
    while out and out[-1] is None:
        out.pop()
    return tuple(out)


def _is_whole_slice(item: slice, size: int) -> bool:
    """PyTorch skips a slice that keeps a whole dim (start 0, step 1, stop past the end)
    instead of making a view of it."""
    start = 0 if item.start is None else int(item.start)
    step = 1 if item.step is None else int(item.step)
    return start == 0 and step == 1 and (item.stop is None or int(item.stop) >= size)


def _split_setitem_key(key, shape: tuple):
    """PyTorch's setitem with an advanced index first applies the basic items (integers
    select, `None` and bools unsqueeze, slices slice) as views, then `index_put_` on that
    view with the advanced items. Returns the basic key (None when it leaves `t`
    itself: the node is then `IndexPutBackward0`, else the base gets `CopySlices`) and
    the advanced key for its result."""
    items = list(key) if isinstance(key, tuple) else [key]
    ellipses = [k for k, i in enumerate(items) if i is Ellipsis]
    if len(ellipses) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    if ellipses:
        fill = max(len(shape) - sum(_dims_consumed(i) for i in items), 0)
        items[ellipses[0] : ellipses[0] + 1] = [slice(None)] * fill
    basic, advanced = [], []
    trivial = True
    dim = 0
    for item in items:
        if isinstance(item, np.ndarray) and item.ndim == 0 and item.dtype == np.bool_:
            item = bool(item)  # a 0-dim bool tensor indexes like a Python bool
        if _is_int(item):
            basic.append(int(item))
            trivial = False
            dim += 1
        elif isinstance(item, (bool, np.bool_)):
            basic.append(None)
            advanced.append(np.zeros(1 if item else 0, dtype=np.int64))
            trivial = False
        elif isinstance(item, (list, np.ndarray)):
            n = _dims_consumed(item)
            basic.extend([slice(None)] * n)
            advanced.append(item)
            dim += n
        elif item is None:
            basic.append(None)
            advanced.append(slice(None))
            trivial = False
        else:
            if isinstance(item, slice) and dim < len(shape) and not _is_whole_slice(item, shape[dim]):
                trivial = False
            basic.append(item)
            advanced.append(slice(None))
            dim += 1
    return (None if trivial else tuple(basic)), tuple(advanced)


def _strip_leading_ones(value):
    """PyTorch drops the leading size-1 dims of a tensor value before writing it."""
    if not isinstance(value, Tensor):
        return value
    shape = tuple(value.shape)
    k = 0
    while k < len(shape) and shape[k] == 1:
        k += 1
    return value if k == 0 else value.view(shape[k:])


def _one_bool_mask(idx) -> bool:
    """Whether the only index tensor of `idx` is a bool mask of one or more dims (the
    other items slices, `None` or `...`)."""
    items = idx if isinstance(idx, tuple) else (idx,)
    if any(isinstance(i, (list, np.ndarray, bool)) for i in items):
        return False
    tensors = [i for i in items if isinstance(i, Tensor)]
    return len(tensors) == 1 and tensors[0].dtype == _core.bool and tensors[0].dim() > 0


def advanced_setitem(t: Tensor, idx, value) -> None:
    """`t[idx] = value` where idx holds tensors, lists or masks."""
    _refuse_index_tensors_of_0dim(t, idx)
    key = _zero_dim_scalars(as_torch_key(idx))
    if key is not idx:
        t[key] = value
        return
    mask = idx[0] if isinstance(idx, tuple) and len(idx) == 1 else idx
    one_value = not isinstance(value, Tensor) or value.numel() == 1
    if (isinstance(mask, Tensor) and mask.dtype == _core.uint8 and one_value
            and tuple(mask.shape) == tuple(t.shape[:mask.dim()])):
        # PyTorch writes one value through a mask (of the right shape: that is checked
        # first) with masked_fill_, which takes bools only
        raise RuntimeError("masked_fill_ only supports boolean masks, but got mask with dtype unsigned char")
    if idx is False:
        return  # PyTorch writes nothing and records nothing
    for item in idx if isinstance(idx, tuple) else (idx,):
        if isinstance(item, slice) and item.step is not None and item.step <= 0:
            raise ValueError("slice step cannot be zero" if item.step == 0
                             else "step must be greater than zero")
    key = _np_index(idx)
    basic, advanced = _split_setitem_key(key, tuple(t.shape))
    value = _strip_leading_ones(value)
    if isinstance(value, Tensor) and value.numel() == 1 and value.dtype != t.dtype and _one_bool_mask(idx):
        # PyTorch's index_put_ fills through a lone mask with the value as a number
        # (masked_fill_), whatever its dtype; the node stays IndexPutBackward0
        if value.dtype.is_complex and not t.dtype.is_complex:
            from ._complex import real_number_of

            real_number_of(value.item(), t.dtype)  # PyTorch's error for a nonzero imaginary part
        value = value.to(t.dtype) if value.requires_grad and _core.is_grad_enabled() else value.item()
    target = t if basic is None else t[basic]
    masked_fill = isinstance(mask, Tensor) and mask.dtype == _core.bool and one_value
    if isinstance(value, Tensor) and not masked_fill:
        _core._check_mem_overlap(target, value, False)  # PyTorch's index_put_ refuses to read what it writes
    refuse_shell("masked_fill" if masked_fill else "index_put", t)
    positions = _as_positions_tensor(_positions(target, advanced))
    try:
        _core._put(target, positions, value)
    except RuntimeError as e:
        if not (isinstance(value, Tensor) and str(e).startswith("The size of tensor a (")):
            raise
        # a value that does not broadcast at all: PyTorch's index_put_ words it as any misfit
        raise RuntimeError(f"shape mismatch: value tensor of shape {list(value.shape)} cannot be broadcast to "
                           f"indexing result of shape {list(positions.shape)}") from None
