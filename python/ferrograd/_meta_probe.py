"""The shape and dtype of an op's result on large meta tensors, found by running the op
on small stand-ins ("probes").

Every dimension larger than `_TAG_FLOOR` is replaced by a tag: a prime, the same real
size getting the same tag, larger sizes larger tags, so broadcasting, matching inner
dimensions and comparisons behave as on the real sizes. The op runs twice, with two
disjoint sets of tags; a result dimension that is tag r in both runs is r's real size,
one equal in both runs is a constant, and anything else (a size computed from tags, as
`flatten` computes one) cannot be mapped back: the op raises NotImplementedError.
"""

from __future__ import annotations

import math
import re

from . import _core
from ._core import Tensor
from ._meta import _COPIES

_TAG_FLOOR = 16
_PRIMES = (17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107, 109, 113)
# Largest product of input sizes for which an op on small stand-ins runs on them as is
# (an outer product or broadcast of small inputs can be large).
_GROWTH_LIMIT = 1 << 24
# Ops whose size arguments can make a large result from a small input.
_GROWING = frozenset({"repeat", "tile", "expand_copy", "new_empty_strided"})


def may_grow(name: str, args, kwargs) -> bool:
    """Whether an op on small meta tensors could make a result too large to compute."""
    from ._meta import _tensors

    if name in _GROWING:
        return True
    sizes = [t.numel() for t in _tensors(args, kwargs)]
    return len(sizes) > 1 and math.prod(max(n, 1) for n in sizes) > _GROWTH_LIMIT


def _large_sizes(args, kwargs) -> list[int]:
    from ._meta import MetaTensor, _tensors

    return sorted({s for t in _tensors(args, kwargs) if isinstance(t, MetaTensor) for s in t.shape if s > _TAG_FLOOR})


def _substituted(value, tags: dict[int, int], copy: bool):
    """`value`, a meta tensor (or, for a copy, any tensor) as a probe of tagged sizes."""
    from ._meta import MetaTensor

    if isinstance(value, MetaTensor) or (copy and isinstance(value, Tensor)):
        probe = _core._full(*[tags.get(s, s) for s in value.shape], fill_value=0, dtype=value.dtype)
        if not value.requires_grad:
            return probe
        probe.requires_grad_(True)
        return probe if value.is_leaf else probe.clone()  # an in-place op may change a non-leaf
    if isinstance(value, (list, tuple)) and any(isinstance(v, MetaTensor) for v in value):
        return type(value)(_substituted(v, tags, copy) for v in value)
    if isinstance(value, (list, tuple)) and value and all(type(v) is int for v in value):
        # a shape argument (`layer_norm`'s normalized_shape) names the large sizes too
        return type(value)(tags.get(v, v) for v in value)
    return value


def _untagged(err: Exception, tags: dict[int, int]) -> Exception:
    """`err` with the tags in its message written as the real sizes."""
    real = {str(tag): str(size) for size, tag in tags.items()}
    message = re.sub(r"\b\d+\b", lambda m: real.get(m.group(0), m.group(0)), str(err))
    return type(err)(message)


def _run_with(func, args, kwargs, tags):
    from ._meta import _run

    copy = getattr(func, "__name__", "") in _COPIES
    new_args = tuple(_substituted(a, tags, copy) for a in args)
    new_kwargs = {k: _substituted(v, tags, copy) for k, v in kwargs.items()}
    try:
        return _run(func, new_args, new_kwargs), new_args
    except (RuntimeError, IndexError, ValueError, TypeError) as err:
        return _untagged(err, tags), new_args


def _real_size(a: int, b: int, first: dict[int, int], second: dict[int, int], name: str) -> int:
    """The real size of a result dimension of sizes `a` and `b` in the two runs: a constant,
    a multiple of one size (`cat` of equal sizes) or one size plus a constant (`pad`)."""
    if a == b:
        return a
    for size, tag in first.items():
        if a == tag and b == second[size]:
            return size
    for size, tag in first.items():
        other = second[size]
        if a % tag == 0 and b % other == 0 and a // tag == b // other:
            return a // tag * size
        if a - tag == b - other:
            return size + a - tag
    raise NotImplementedError(f"ferrograd cannot work out the shape of {name} on meta tensors this large")


def probe(func, name: str, args, kwargs):
    """The op's result on large meta tensors: meta tensors of the shapes and dtypes its
    results have (an in-place op returns its meta input)."""
    from ._meta import new_meta

    sizes = _large_sizes(args, kwargs)
    if 2 * len(sizes) > len(_PRIMES):
        raise NotImplementedError(f"ferrograd cannot work out the shape of {name} on meta tensors this large")
    first = dict(zip(sizes, _PRIMES))
    second = dict(zip(sizes, _PRIMES[len(sizes):]))
    ret_a, args_a = _run_with(func, args, kwargs, first)
    ret_b, _ = _run_with(func, args, kwargs, second)
    if isinstance(ret_a, Exception):
        raise ret_a
    if isinstance(ret_b, Exception):
        raise NotImplementedError(f"ferrograd cannot work out the shape of {name} on meta tensors this large")

    def back(a, b):
        if args_a and a is args_a[0]:
            return _in_place_history(a, args, kwargs)
        if isinstance(a, Tensor):
            shape = [_real_size(x, y, first, second, name) for x, y in zip(a.shape, b.shape)]
            return new_meta(shape, a.dtype)
        if a != b:
            raise NotImplementedError(f"ferrograd cannot work out {name} on meta tensors this large")
        return a

    many = isinstance(ret_a, (tuple, list))
    items = [back(a, b) for a, b in zip(ret_a, ret_b)] if many else [back(ret_a, ret_b)]
    items = _with_history(ret_a if many else [ret_a], items, args, kwargs)
    if many:
        make = getattr(type(ret_a), "_make", None)
        return make(items) if make is not None else type(ret_a)(items)
    return items[0]


def _in_place_history(probe_result: Tensor, args, kwargs):
    """The op's meta input, changed in place: its history is the probe's node on it."""
    from ._meta import MetaTensor, _tensors
    from ._meta_autograd import record_in_place

    target = args[0]
    node = probe_result.grad_fn
    if node is None or not isinstance(target, MetaTensor) or node is getattr(target, "grad_fn", None):
        return target
    return record_in_place(type(node).__name__, target, [t for t in _tensors(args, kwargs) if t is not target])


def _with_history(probe_results, items: list, args, kwargs) -> list:
    """`items`, the op's meta results, recorded as the probe's results were (by a node of
    the same name over the op's tensor arguments)."""
    from ._meta import MetaTensor, _tensors
    from ._meta_autograd import record

    node = next((r.grad_fn for r in probe_results if isinstance(r, Tensor) and r.grad_fn is not None), None)
    if node is None:
        return items
    fresh = [(i, t) for i, t in enumerate(items) if isinstance(t, MetaTensor) and not any(t is a for a in args)]
    recorded = record(type(node).__name__, list(_tensors(args, kwargs)), [t for _, t in fresh])
    for (i, _), t in zip(fresh, recorded):
        items[i] = t
    return items
