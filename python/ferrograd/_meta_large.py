"""Ops on large meta tensors (see `_meta`): views run on the stand-in, which has no data
to copy; other ops get their results from `_meta_probe`.

A view's strides are linear in its input's strides (slicing multiplies one by the step,
`diagonal` adds two, `permute` reorders them). The coefficients are read off the same view
of small boolean tensors of the input's shape whose strides are 1 on one dimension and 0
on the others; reshapes follow PyTorch's `computeStride` instead, as they may copy.
"""

from __future__ import annotations

from . import _core
from ._core import Tensor
from ._meta import _METADATA, MetaTensor, _run, as_meta, contiguous_strides, new_meta
from ._meta_probe import probe

_RESHAPES = frozenset({"view", "view_as", "reshape", "reshape_as", "flatten", "unflatten", "ravel"})
_VIEWS = _RESHAPES | frozenset({
    "permute", "transpose", "swapaxes", "swapdims", "t", "T", "mT", "H", "mH", "adjoint", "movedim", "moveaxis",
    "expand", "expand_as", "broadcast_to", "narrow", "select", "squeeze", "unsqueeze", "diagonal", "unbind",
    "split", "chunk", "tensor_split", "hsplit", "vsplit", "dsplit", "split_with_sizes", "unfold", "detach", "alias",
    "data", "real", "imag", "__getitem__", "t_", "transpose_", "squeeze_", "unsqueeze_", "as_strided",
})
# Dimensions up to this size get a stride probe (a boolean tensor of that many elements).
_PROBE_LIMIT = 1 << 24
_NOT_A_VIEW = ("view size is not compatible with input tensor's size and stride (at least one dimension spans "
               "across two contiguous subspaces). Use .reshape(...) instead.")


def call_large(func, name: str, args, kwargs):
    """`func` on arguments holding a large meta tensor."""
    if name in _METADATA:
        return as_meta(_run(func, args, kwargs), args, kwargs)
    if name == "contiguous":
        self = args[0]
        if self.is_contiguous():
            return self
        out = new_meta(self.shape, self.dtype)
        if self.requires_grad and _core.is_grad_enabled():
            from ._meta_autograd import record

            (out,) = record("CloneBackward0", [self], [out])  # PyTorch's contiguous copies by clone
        return out
    if name in _VIEWS and (name != "__getitem__" or _basic_key(args[1])) and isinstance(args[0], MetaTensor):
        return _view(func, name, args, kwargs)
    return probe(func, name, args, kwargs)


def _basic_key(key) -> bool:
    keys = key if isinstance(key, tuple) else (key,)
    return all(k is None or k is Ellipsis or isinstance(k, (int, slice)) for k in keys)


def _view(func, name: str, args, kwargs):
    ret = _run(func, args, kwargs)
    source = args[0]
    if "_fg_stride" not in source.__dict__:
        return as_meta(ret, args, kwargs)  # the stand-in's strides are the real ones
    outs = list(ret) if isinstance(ret, (tuple, list)) else [ret]
    layouts = _view_layouts(func, name, args, kwargs, outs)
    metas = []
    for out, (stride, offset) in zip(outs, layouts):
        meta = as_meta(out, args, kwargs)
        meta.__dict__["_fg_stride"] = stride
        meta.__dict__["_fg_offset"] = source.storage_offset() + offset
        meta.__dict__["_fg_nbytes"] = source.untyped_storage().nbytes()
        metas.append(meta)
    if isinstance(ret, (tuple, list)):
        return type(ret)(metas)
    return metas[0]


def _view_layouts(func, name: str, args, kwargs, outs: list[Tensor]) -> list[tuple[tuple[int, ...], int]]:
    """The strides and storage offset (from the input's) of each view in `outs`."""
    source = args[0]
    shape, stride = tuple(source.shape), source.stride()
    if name in _RESHAPES:
        result = []
        for out in outs:
            found = compute_stride(shape, stride, tuple(out.shape))
            if found is None and name in ("view", "view_as"):
                raise RuntimeError(_NOT_A_VIEW)
            result.append((contiguous_strides(out.shape) if found is None else found, 0))
        return result
    if any(s > _PROBE_LIMIT for s in shape):
        return [(contiguous_strides(out.shape), 0) for out in outs]
    # the layouts with all input strides 0 (a new size-1 dimension can get a constant
    # stride), then with each input stride 1 in turn: the offset is a sum of steps too
    constant = _probe_layouts(func, args, kwargs, shape, None)
    coefficients = [_probe_layouts(func, args, kwargs, shape, dim) for dim in range(len(shape))]

    def combined(i: int, k: int | None) -> int:
        def part(layouts) -> int:
            return layouts[i][1] if k is None else layouts[i][0][k]

        return part(constant) + sum((part(coefficients[j]) - part(constant)) * stride[j] for j in range(len(shape)))

    return [(tuple(combined(i, k) for k in range(out.dim())), combined(i, None)) for i, out in enumerate(outs)]


def _probe_layouts(func, args, kwargs, shape, dim: int | None) -> list[tuple[tuple[int, ...], int]]:
    """The strides and storage offsets of the op's results on a boolean tensor of
    `shape` whose strides are 1 on `dim` and 0 on the others."""
    unit = tuple(int(d == dim) for d in range(len(shape)))
    length = max(shape[dim], 1) if dim is not None else 1
    probe_tensor = _core._full(length, fill_value=False, dtype=_core.bool).as_strided(shape, unit)
    ret = _run(func, (probe_tensor, *args[1:]), kwargs)
    return [(o.stride(), o.storage_offset()) for o in (ret if isinstance(ret, (tuple, list)) else [ret])]


def compute_stride(old_shape, old_stride, new_shape) -> tuple[int, ...] | None:
    """Strides viewing a tensor of `old_shape`/`old_stride` as `new_shape`, or None when
    no view can (PyTorch's `computeStride`)."""
    if not old_shape:
        return contiguous_strides(new_shape)
    if 0 in old_shape:
        return tuple(old_stride) if tuple(old_shape) == tuple(new_shape) else contiguous_strides(new_shape)
    new_stride = [0] * len(new_shape)
    view_d = len(new_shape) - 1
    chunk_base_stride = old_stride[-1]
    tensor_numel = view_numel = 1
    for tensor_d in range(len(old_shape) - 1, -1, -1):
        tensor_numel *= old_shape[tensor_d]
        if tensor_d == 0 or (old_shape[tensor_d - 1] != 1
                             and old_stride[tensor_d - 1] != tensor_numel * chunk_base_stride):
            while view_d >= 0 and (view_numel < tensor_numel or new_shape[view_d] == 1):
                new_stride[view_d] = view_numel * chunk_base_stride
                view_numel *= new_shape[view_d]
                view_d -= 1
            if view_numel != tensor_numel:
                return None
            if tensor_d > 0:
                chunk_base_stride = old_stride[tensor_d - 1]
                tensor_numel = view_numel = 1
    return tuple(new_stride) if view_d == -1 else None
