"""`pickle`, `copy.copy` and `copy.deepcopy` of tensors, as PyTorch does them.

A pickle holds the storage's elements, dtype, shape, strides, offset and `requires_grad` plus
the tensor's Python attributes; `copy.copy` shares the storage; `copy.deepcopy` copies
the elements and a leaf's `.grad`, and refuses a non-leaf with PyTorch's error.
"""

from __future__ import annotations

from collections import OrderedDict

from . import _core
from ._core import Tensor
from ._torch_pickle import lazy_bits_metadata, rebuild_meta_tensor_no_storage, with_lazy_bits

_NOT_LEAF = (
    "Only Tensors created explicitly by the user (graph leaves) support the deepcopy protocol at "
    "the moment.  If you were attempting to deepcopy a module, this may be because of a "
    "torch.nn.utils.weight_norm usage, see https://github.com/pytorch/pytorch/pull/103001"
)


def tensor_from_bytes(raw: bytes, dtype) -> Tensor:
    """A 1-D tensor of `dtype` holding a copy of `raw` (native-endian elements; for a
    complex dtype, the (re, im) pairs of its real dtype)."""
    if dtype.is_complex:
        pairs = _core._tensor_from_bytes(raw, dtype.to_real())
        return _core._complex_from_pairs(pairs.reshape((-1, 2)))
    return _core._tensor_from_bytes(raw, dtype)


def _rebuild_from_bytes(raw: bytes, dtype_name: str, shape: tuple, requires_grad: bool,
                        strides: tuple | None = None, storage_offset: int = 0, metadata: dict | None = None) -> Tensor:
    flat = tensor_from_bytes(raw, getattr(_core, dtype_name))
    if strides is None:  # a pickle of the elements alone (written before strides were kept)
        t = flat.reshape(tuple(shape))
    else:
        t = flat.as_strided(tuple(shape), tuple(strides), storage_offset)
    t = with_lazy_bits(t, metadata)
    if requires_grad:
        t.requires_grad_(True)
    t.__dict__["_backward_hooks"] = OrderedDict()  # PyTorch's rebuild leaves an empty dict
    return t


# per-object autograd state in the instance dict, which PyTorch keeps elsewhere (and
# neither pickles nor copies)
_NOT_COPIED = frozenset({"_backward_hooks", "_post_accumulate_grad_hooks", "_fg_accumulators"})


def _attributes(t: Tensor) -> dict | None:
    state = getattr(t, "__dict__", None)
    if not state:
        return None
    kept = {k: v for k, v in state.items() if k not in _NOT_COPIED}
    return kept or None


def _reduce_ex(self: Tensor, proto):
    from .utils.hooks import warn_if_has_hooks

    warn_if_has_hooks(self)
    if self.is_meta:  # no data: the layout alone, as PyTorch pickles a meta tensor
        state = {k: v for k, v in (_attributes(self) or {}).items() if not k.startswith("_fg_")}
        return (rebuild_meta_tensor_no_storage, (self.dtype, tuple(self.shape), tuple(self.stride()),
                                                  self.requires_grad), state or None)
    # PyTorch pickles the whole storage with the strides and offset, so a view comes
    # back with its layout (`pickle.loads(pickle.dumps(x.t())).stride()` is `x.t()`'s)
    dtype_name = repr(self.dtype).split(".", 1)[1]
    # the storage as stored: a view with lazy bits pickles them beside it, as PyTorch does
    t = with_lazy_bits(self.detach(), lazy_bits_metadata(self))
    n = t.untyped_storage().nbytes() // t.element_size()
    storage = t.as_strided((n,), (1,), 0)
    args = (storage._bytes(), dtype_name, tuple(self.shape), self.requires_grad,
            tuple(self.stride()), self.storage_offset())
    metadata = lazy_bits_metadata(self)
    if metadata:
        args = (*args, metadata)
    return (_rebuild_from_bytes, args, _attributes(self))


# PyTorch's refusal for a subclass whose `new_empty` gives another type (a plain tensor,
# as it does inside the default `__torch_function__`)
_NOT_NEW_EMPTY = ("The default implementation of __deepcopy__() for non-wrapper subclasses only works for subclass "
                  "types that implement new_empty() and for which that function returns another instance of the same "
                  "subclass. You should either properly implement new_empty() for your subclass or override "
                  "__deepcopy__() if it is intended behavior for new_empty() to return an instance of a different "
                  "type.")


def _copy(self: Tensor) -> Tensor:
    """A new leaf sharing this tensor's storage, with its requires_grad."""
    out = self.detach()
    if self.requires_grad:
        out.requires_grad_(True)
    state = _attributes(self)
    if state:
        out.__dict__.update(state)
    return out


def _deepcopy(self: Tensor, memo) -> Tensor:
    import copy  # already loaded when copy.deepcopy called this

    if id(self) in memo:
        return memo[id(self)]
    if not self.is_leaf:
        raise RuntimeError(_NOT_LEAF)
    out = _copied_elements(self, memo)
    if type(self) is not Tensor and not getattr(type(self), "_fg_own_class", False):
        if type(self.new_empty([])) is not type(self):
            raise RuntimeError(_NOT_NEW_EMPTY)
        if type(out) is not type(self):
            out = out.as_subclass(type(self))
    if self.requires_grad:
        out.requires_grad_(True)
    memo[id(self)] = out
    if self.grad is not None:
        out.grad = copy.deepcopy(self.grad, memo)
    state = _attributes(self)
    if state:
        out.__dict__.update(copy.deepcopy(state, memo))
    return out


def _copied_elements(self: Tensor, memo: dict) -> Tensor:
    """A detached copy of `self` over a copy of its whole storage, made once per storage
    in `memo`: tensors deep-copied together that shared memory (a tensor and its views)
    share the copies' memory, each with its strides and offset, as in PyTorch."""
    from ._creation import empty
    from ._memory_format import strided

    if type(self) is not Tensor or self.layout is not strided or self.is_conj() or self.is_neg() or self.is_meta:
        return self.detach().clone()
    key, _ = _core._storage_info(self)
    flat = memo.get(("ferrograd storage", key))
    if flat is None:
        flat = self.detach().as_strided((self.untyped_storage().nbytes() // self.element_size(),), (1,), 0).clone()
        memo[("ferrograd storage", key)] = flat
    if flat.dtype != self.dtype:
        flat = flat.view(self.dtype)
    return empty(0, dtype=self.dtype).set_(flat, self.storage_offset(), tuple(self.shape), self.stride())


def _install() -> None:
    Tensor.__reduce_ex__ = _reduce_ex
    Tensor.__copy__ = _copy
    Tensor.__deepcopy__ = _deepcopy


_install()
