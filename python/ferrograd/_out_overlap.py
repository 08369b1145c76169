"""The kernels whose check of `out=` against their inputs' memory is PyTorch's own,
argument by argument, rather than the rule `_out` applies to the rest (a partial overlap
refused; any shared memory for the `cat` family)."""

from __future__ import annotations

from typing import Any

from ._core import Tensor, _check_mem_overlap

# how each function of the `cat` family hands a tensor of the list to cat: as itself
# (the same tensor object) from this many dimensions on
_CAT_PASSES_ITSELF_FROM = {"cat": 0, "concat": 0, "concatenate": 0, "hstack": 1, "vstack": 2,
                           "column_stack": 2, "dstack": 3}


def _argument(args: tuple, kwargs: dict, position: int, name: str) -> Any:
    return args[position] if len(args) > position else kwargs.get(name)


def _gather(args: tuple, kwargs: dict, out: Any) -> None:
    """gather refuses any memory `out` shares with the input, but only a partial overlap
    with the index (`out=index` is taken)."""
    if not isinstance(out, Tensor) or not out.numel():
        return
    source, index = _argument(args, kwargs, 0, "input"), _argument(args, kwargs, 2, "index")
    if isinstance(source, Tensor):
        _check_mem_overlap(out, source, True)
    if isinstance(index, Tensor):
        _check_mem_overlap(out, index, False)


def _kthvalue(args: tuple, kwargs: dict, out: Any) -> None:
    """kthvalue refuses any memory its values share with the input, once `k` is in range
    (it leaves the indices unchecked)."""
    source, k = _argument(args, kwargs, 0, "input"), _argument(args, kwargs, 1, "k")
    values = out[0] if isinstance(out, (tuple, list)) and out else None
    if not isinstance(source, Tensor) or not isinstance(values, Tensor) or not isinstance(k, int):
        return
    dim = _argument(args, kwargs, 2, "dim")
    dim = -1 if dim is None else dim
    if source.dim() and not -source.dim() <= dim < source.dim():
        return  # the op raises its own error
    size = source.shape[dim] if source.dim() else 1
    if 1 <= k <= size and values.numel():
        _check_mem_overlap(values, source, True)


def _index_func(args: tuple, kwargs: dict, out: Any) -> None:
    """index_add/index_copy/index_reduce take `out=self` (in place) but refuse any memory
    `out` shares with the index or the source."""
    if not isinstance(out, Tensor) or not out.numel():
        return
    source = _argument(args, kwargs, 0, "input")
    if isinstance(source, Tensor):
        _check_mem_overlap(out, source, False)
    for value in (_argument(args, kwargs, 2, "index"), _argument(args, kwargs, 3, "source")):
        if isinstance(value, Tensor):
            _check_mem_overlap(out, value, True)


def _take_along_dim(args: tuple, kwargs: dict, out: Any) -> None:
    """take_along_dim (PyTorch's gather of the broadcast input) refuses any memory `out`
    shares with the input, and leaves the indices unchecked."""
    source = _argument(args, kwargs, 0, "input")
    if isinstance(out, Tensor) and out.numel() and isinstance(source, Tensor):
        _check_mem_overlap(out, source, True)


CHECKS = {"gather": _gather, "kthvalue": _kthvalue, "take_along_dim": _take_along_dim,
          **dict.fromkeys(("index_add", "index_copy", "index_reduce"), _index_func)}


def refuse_empty_out_in_list(name: str, args: tuple, kwargs: dict, out: Any) -> None:
    """The `cat` family resizes `out` before it compares memory: an empty `out` that is
    itself one of the tensors cat receives is refused once the shapes passed (unless every
    tensor is a legacy 1-D empty one cat skips)."""
    start = _CAT_PASSES_ITSELF_FROM.get(name)
    if start is None or not isinstance(out, Tensor) or out.numel():
        return
    tensors = _argument(args, kwargs, 0, "tensors")
    if not isinstance(tensors, (tuple, list)):
        return
    if not any(t is out and t.dim() >= start for t in tensors):
        return
    if start <= 1 and all(isinstance(t, Tensor) and t.dim() == 1 and t.shape[0] == 0 for t in tensors):
        return
    _check_mem_overlap(out, out, True)
