"""`embedding_bag` (sums, means or maxima of bags of embedding rows) and the in-place
max_norm renormalisation that `embedding` and `embedding_bag` share."""

from __future__ import annotations

import functools

from .. import _core
from .._argcheck import need_int, need_tensor_method
from .._core import Tensor
from .._dtype_names import checked_type_name
from .._grad_mode import no_grad
from .._saved_values import c_int
from ._composite_nodes import record_composite

__all__ = ["embedding_bag"]


def embedding_renorm_(weight: Tensor, indices: Tensor, max_norm: float, norm_type: float) -> Tensor:
    """Scales each row of `weight` named in `indices` whose norm exceeds max_norm down to
    max_norm (PyTorch's factor max_norm / (norm + 1e-7)), in place. A negative index
    counts from the end, as PyTorch's kernel selects each row."""
    if weight.dim() != 2:
        raise RuntimeError(f"Expected 2-dimensional tensor, but got {weight.dim()}-dimensional tensor for argument "
                           "#1 'self' (while checking arguments for embedding_renorm_)")
    _check_indices(indices, "indices", 2, "embedding_renorm_")
    rows = weight.shape[0]
    with no_grad():
        for i in sorted({int(v) for v in indices.reshape(-1).tolist()}):
            if not -rows <= i < rows:
                raise IndexError(
                    f"select(): index {i} out of range for tensor of size {list(weight.shape)} at dimension 0"
                )
            row = weight[i]
            norm = row.norm(norm_type).item()
            if norm > max_norm:
                # PyTorch's kernel casts the factor to the weight's dtype first (a float16
                # or bfloat16 weight sees a rounded factor)
                row.mul_(row.new_full((), max_norm / (norm + 1e-7)))
    return weight


def scale_grad_by_frequency(rows: Tensor, indices: Tensor) -> Tensor:
    """`rows` (the looked-up rows, indices.shape + (D,)) unchanged in value, with the gradient
    of each divided by how often its index occurs in `indices`."""
    from .._creation import tensor

    flat = [int(v) for v in indices.reshape(-1).tolist()]
    counts: dict[int, int] = {}
    for i in flat:
        counts[i] = counts.get(i, 0) + 1
    scale = tensor([1.0 / counts[i] for i in flat], dtype=rows.dtype).reshape((*tuple(indices.shape), 1))
    fixed = rows.detach()
    return fixed + (rows - fixed) * scale


def _check_indices(t: Tensor, what: str, position: int, op: str = "embedding_bag") -> None:
    if t.dtype not in (_core.int64, _core.int32):
        raise RuntimeError(
            f"Expected tensor for argument #{position} '{what}' to have one of the following scalar types: Long, "
            f"Int; but got {checked_type_name(t.dtype)} instead (while checking arguments for {op})"
        )


def _bag_bounds(offsets: list[int], n: int, include_last_offset: bool, last_to_end: bool) -> list[tuple[int, int]]:
    """The [start, end) positions of each bag. With include_last_offset the last offset
    closes the last bag only on PyTorch's float sum/mean fast path; its other kernels
    (float64, max) run the last bag to the end of the indices."""
    if include_last_offset and not offsets:
        raise RuntimeError("include_last_offset: number of offset should be at least 1")
    if offsets and offsets[0] != 0:
        raise RuntimeError(
            "offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start from position 0. "
            f"However, got {offsets[0]}"
        )
    if offsets and offsets[-1] > n:
        raise RuntimeError(
            f"offsets[-1] can not be greater than input's length {n} but got offsets[-1] of {offsets[-1]}"
        )
    ends = offsets[1:] + ([] if include_last_offset else [n])
    starts = offsets[:-1] if include_last_offset else offsets
    if include_last_offset and last_to_end and ends:
        ends[-1] = n
    bounds = list(zip(starts, ends))
    if any(e < s for s, e in bounds):
        raise RuntimeError(
            "Expected i < index_size to be true, but got false.  (Could this error message be improved?  If so, "
            "please report an enhancement request to PyTorch.)"
        )
    return bounds


def embedding_bag(input: Tensor, weight: Tensor, offsets: Tensor | None = None, max_norm: float | None = None,
                  norm_type: float = 2, scale_grad_by_freq: bool = False, mode: str = "mean", sparse: bool = False,
                  per_sample_weights: Tensor | None = None, include_last_offset: bool = False,
                  padding_idx: int | None = None) -> Tensor:
    """One row per bag: the sum, mean or max of the embedding rows of its indices (bags given
    by the rows of a 2-D `input`, or by `offsets` into a 1-D one); padding_idx entries are
    left out; an empty bag gives zeros.

    Args:
        input: int64 indices: (B, N), B bags of N, or 1-D with `offsets`.
        weight: the (num_embeddings, embedding_dim) table.
        offsets: the start of each bag in a 1-D `input` (default None).
        max_norm: when given, rows looked up with a larger norm are rescaled to this norm,
            in place in `weight`.
        norm_type: the p of the norm for `max_norm` (default 2).
        scale_grad_by_freq: divide the gradient of each row by its count in the batch
            (default False; not with mode 'max').
        mode: 'sum', 'mean' (default) or 'max'.
        sparse: accepted for PyTorch compatibility; the gradient is always dense.
        per_sample_weights: optional weights of input's shape, multiplying each row (mode
            'sum' only).
        include_last_offset: `offsets` has one more entry, the end of the last bag
            (default False).
        padding_idx: a row left out of the bags and getting no gradient (default None).
    """
    if weight.dtype == _core.int64 and input.dtype.is_floating_point:
        import warnings

        warnings.warn(
            "Argument order of nn.functional.embedding_bag was changed. Usage `embedding_bag(weight, input, ...)` "
            "is deprecated, and should now be `embedding_bag(input, weight, ...)`.",
            stacklevel=2,
        )
        weight, input = input, weight
    if per_sample_weights is not None:  # PyTorch compares `input.size()` with `per_sample_weights.size()`
        need_tensor_method(input, "size")
        need_tensor_method(per_sample_weights, "size")
    if per_sample_weights is not None and tuple(input.shape) != tuple(per_sample_weights.shape):
        raise ValueError(
            f"embedding_bag: If per_sample_weights ({per_sample_weights.shape}) is not None, then it must have the "
            f"same shape as the input ({input.shape})"
        )
    if weight.dim() != 2:
        raise ValueError(f"weight has to be a 2D Tensor, but got Tensor of dimension {weight.dim()}")
    if input.dim() == 2:
        if offsets is not None:
            raise ValueError(
                "if input is 2D, then offsets has to be None, as input is treated is a mini-batch of fixed length "
                f"sequences. However, found offsets of type {type(offsets)}"
            )
        if input.dtype == _core.bool or input.dtype.is_complex:  # PyTorch's offsets: an arange in input's dtype
            from .._dtype_names import scalar_name

            raise NotImplementedError(f"\"arange_cpu\" not implemented for '{scalar_name(input.dtype)}'")
        width = input.shape[1]
        offset_list = list(range(0, input.numel(), width)) if width else [0] * input.shape[0]
        input = input.reshape(-1)
        if per_sample_weights is not None:
            per_sample_weights = per_sample_weights.reshape(-1)
        include_last_offset = False
    elif input.dim() == 1:
        if offsets is None:
            raise ValueError("offsets has to be a 1D Tensor but got None")
        if offsets.dim() != 1:
            raise ValueError("offsets has to be a 1D Tensor")
        offset_list = [int(v) for v in offsets.tolist()]
    else:
        raise ValueError(f"input has to be 1D or 2D Tensor, but got Tensor of dimension {input.dim()}")
    if mode not in ("sum", "mean", "max"):
        raise ValueError("mode has to be one of sum, mean or max")
    if scale_grad_by_freq and mode == "max":
        raise ValueError("max mode does not support scaling the gradient by the frequency")
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError(
            "embedding_bag: per_sample_weights was not None. per_sample_weights is only supported for mode='sum' "
            f"(got mode='{mode}'). Please open a feature request on GitHub."
        )
    if padding_idx is not None:  # as the parser of torch.embedding_bag reads it
        need_int("embedding_bag", "padding_idx", 9, padding_idx)
    # the kernel's own checks come after the Python ones, as in PyTorch
    _check_indices(input, "indices", 1)
    if offsets is not None:
        _check_indices(offsets, "offsets", 3)
    if not weight.dtype.is_floating_point:
        raise RuntimeError(
            "Expected tensor for argument #1 'weight' to have one of the following scalar types: Half, BFloat16, "
            f"Float, Double; but got {weight.type()} instead (while checking arguments for embedding_bag)"
        )
    if per_sample_weights is not None and per_sample_weights.dtype != weight.dtype:
        raise RuntimeError(
            f"Expected tensor for argument #1 'weight' to have the same type as tensor for argument #1 "
            f"'per_sample_weights'; but type {weight.type()} does not equal {per_sample_weights.type()} "
            "(while checking arguments for embedding_bag)"
        )
    num_embeddings = weight.shape[0]
    if padding_idx is not None:
        if not -num_embeddings <= padding_idx < num_embeddings:
            raise RuntimeError(
                f"padding_idx must be within the number of embeddings, -{num_embeddings} through "
                f"{num_embeddings - 1}, but got {padding_idx}"
            )
        if padding_idx < 0:
            padding_idx += num_embeddings
    if max_norm is not None:
        embedding_renorm_(weight, input, max_norm, norm_type)
    index_list = [int(v) for v in input.tolist()]
    bad = [k for k, i in enumerate(index_list) if not 0 <= i < num_embeddings]
    if bad:  # PyTorch's embedding_bag kernel raises RuntimeError here (embedding raises IndexError)
        raise RuntimeError(
            f"Index {bad[0]} of input takes value {index_list[bad[0]]} which is not in the valid range "
            f"[0, {num_embeddings})"
        )
    fast_path = mode != "max" and weight.dtype in (_core.float32, _core.float16, _core.bfloat16)
    bounds = _bag_bounds(offset_list, len(index_list), include_last_offset, last_to_end=not fast_path)
    compute = functools.partial(_bags, input, bounds, index_list, padding_idx, mode)
    wants_grad = weight.requires_grad or (per_sample_weights is not None and per_sample_weights.requires_grad)
    if not wants_grad or not _core.is_grad_enabled():
        return compute(weight, per_sample_weights)
    if input.dim() == 1 and offsets is None:  # a 2-D input: PyTorch's offsets are an arange in its dtype
        from .._creation import tensor

        offsets = tensor(offset_list, dtype=input.dtype)
    sum_fast_path = mode == "sum" and padding_idx is None and weight.dtype in (
        _core.float32, _core.float16, _core.bfloat16)
    offset2bag, bag_size, max_indices = _kernel_outputs(weight, bounds, index_list, padding_idx, mode, sum_fast_path)
    saved_weight = weight if per_sample_weights is not None and per_sample_weights.requires_grad else None
    return record_composite(
        "EmbeddingBagBackward0", (weight, per_sample_weights),
        lambda out: (("weight", saved_weight), ("indices", input), ("offsets", offsets),
                     ("per_sample_weights", per_sample_weights), ("result1", offset2bag), ("result2", bag_size),
                     ("result3", max_indices)),
        compute,
        {"mode": _MODES[mode], "padding_idx": c_int(-1 if padding_idx is None else padding_idx),
         "scale_grad_by_freq": scale_grad_by_freq, "sparse": sparse, "weight_sym_argsize_0": weight.shape[0]})


_MODES = {"sum": 0, "mean": 1, "max": 2}


def _kernel_outputs(weight: Tensor, bounds: list, index_list: list[int], padding_idx: int | None, mode: str,
                    sum_fast_path: bool) -> tuple[Tensor, Tensor, Tensor]:
    """The offset2bag, bag_size and max_indices tensors PyTorch's kernel returns next to
    the bags (its node saves them): each index's bag (empty on the float sum fast path),
    each bag's count of non-padding indices (zeros for 'sum'), and for 'max' the index
    giving each bag's maximum per column (else bag_size again, or zeros for 'sum')."""
    from .._creation import tensor
    from .._numpy import np

    offset2bag = np.zeros(len(index_list), dtype=np.int64)
    kept = np.asarray(index_list, dtype=np.int64) != (-1 if padding_idx is None else padding_idx)
    running = np.concatenate(([0], np.cumsum(kept)))
    counts = []
    for bag, (start, end) in enumerate(bounds):
        offset2bag[start:end] = bag
        counts.append(int(running[end] - running[start]))
    bag_size = tensor([0] * len(bounds) if mode == "sum" else counts, dtype=_core.int64)
    max_indices = bag_size.clone()
    if mode == "max":
        with no_grad():
            table = weight.detach().double().tolist()
        best = []
        for start, end in bounds:
            rows = [index_list[p] for p in range(start, end) if index_list[p] != padding_idx]
            best.append([max(rows, key=lambda i: table[i][col]) if rows else 0 for col in range(weight.shape[1])])
        max_indices = tensor(best, dtype=_core.int64).reshape(len(bounds), weight.shape[1])
    offset2bag = offset2bag[:0] if sum_fast_path else offset2bag
    return tensor(offset2bag), bag_size, max_indices


def _bags(input: Tensor, bounds: list, index_list: list[int], padding_idx: int | None, mode: str, weight: Tensor,
          per_sample_weights: Tensor | None) -> Tensor:
    from .._shape import stack

    rows = weight[input.to(_core.int64)]
    # float16/bfloat16 with weights: PyTorch's kernel scales and sums in float32, and
    # rounds each bag once (without weights it sums in the narrow type)
    if per_sample_weights is not None and weight.dtype in (_core.float16, _core.bfloat16):
        rows = rows.float()
    if per_sample_weights is not None:
        rows = rows * per_sample_weights.to(rows.dtype).unsqueeze(1)
    bags = []
    for start, end in bounds:
        keep = [p for p in range(start, end) if index_list[p] != padding_idx]
        if not keep:
            bags.append(rows[:0].sum(0))  # zeros, in the graph
            continue
        from .._creation import tensor

        chosen = rows[tensor(keep, dtype=_core.int64)]
        if mode == "sum":
            bags.append(chosen.sum(0))
        elif mode == "mean":
            bags.append(chosen.sum(0) / len(keep))
        else:
            bags.append(chosen.max(0)[0])
    if not bags:
        return (rows[:0].reshape(0, weight.shape[1]) * 0).to(weight.dtype)  # empty, and still in the graph
    return stack(bags, 0).to(weight.dtype)
