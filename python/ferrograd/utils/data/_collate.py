"""`default_collate` and `default_convert`: how the DataLoader turns samples into
batches, type by type as PyTorch's `torch.utils.data._utils.collate` (a table from
element type to collate function, then mappings, named tuples and sequences field by
field)."""

from __future__ import annotations

import collections.abc
import copy
import re
from collections.abc import Callable
from typing import Any

from ..._core import Tensor
from ..._memory_format import strided
from ..._numpy import is_ndarray, is_numpy_scalar

__all__ = ["collate", "default_collate", "default_collate_fn_map", "default_convert"]

_STRING_OR_OBJECT = re.compile(r"[SaUO]")

_COLLATE_ERROR = "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found {}"


def _collate_fields(batch: list, collate_fn_map) -> Any:
    """Mappings, named tuples and sequences, collated field by field."""
    elem = batch[0]
    elem_type = type(elem)
    if isinstance(elem, collections.abc.Mapping):
        return _mapping_like(elem, {key: collate([d[key] for d in batch], collate_fn_map=collate_fn_map)
                                    for key in elem})
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):
        return elem_type(*(collate(samples, collate_fn_map=collate_fn_map) for samples in zip(*batch)))
    size = len(elem)
    if any(len(sample) != size for sample in batch):
        raise RuntimeError("each element in list of batch should be of equal size")
    columns = [collate(samples, collate_fn_map=collate_fn_map) for samples in zip(*batch)]
    return columns if isinstance(elem, tuple) else _sequence_like(elem, columns)


def _mapping_like(model, fields: dict) -> Any:
    """`fields` in a mapping of `model`'s type: a copy of `model` updated when it is
    mutable, else the type built from them; a plain dict when neither works."""
    try:
        if isinstance(model, collections.abc.MutableMapping):
            clone = copy.copy(model)
            clone.update(fields)
            return clone
        return type(model)(fields)
    except TypeError:
        return fields


def _sequence_like(model, items: list) -> Any:
    """`items` in a sequence of `model`'s type (as `_mapping_like`); a list when neither works."""
    try:
        if isinstance(model, collections.abc.MutableSequence):
            clone = copy.copy(model)
            for i, item in enumerate(items):
                clone[i] = item
            return clone
        return type(model)(items)
    except TypeError:
        return items


def collate(batch, *, collate_fn_map: dict | None = None) -> Any:
    """Collates `batch` by the function `collate_fn_map` holds for its elements' type
    (or a base of it), else field by field for mappings and sequences.

    Args:
        batch: the list of samples, all of the same structure.
        collate_fn_map: element type (or tuple of types) to a function of
            `(batch, *, collate_fn_map)`.
    """
    elem = batch[0]
    elem_type = type(elem)
    if collate_fn_map is not None:
        if elem_type in collate_fn_map:
            return collate_fn_map[elem_type](batch, collate_fn_map=collate_fn_map)
        for collate_type in collate_fn_map:
            if isinstance(elem, collate_type):
                return collate_fn_map[collate_type](batch, collate_fn_map=collate_fn_map)
    if isinstance(elem, (collections.abc.Mapping, collections.abc.Sequence)):
        return _collate_fields(batch, collate_fn_map)
    raise TypeError(_COLLATE_ERROR.format(elem_type))


def collate_tensor_fn(batch, *, collate_fn_map=None) -> Tensor:
    from ..._shape import stack

    elem = batch[0]
    if elem.is_nested:
        raise RuntimeError("Batches of nested tensors are not currently supported by the default collate_fn; "
                           "please provide a custom collate_fn to handle them appropriately.")
    if elem.layout is not strided:
        raise RuntimeError("Batches of sparse tensors are not currently supported by the default collate_fn; "
                           "please provide a custom collate_fn to handle them appropriately.")
    return stack(batch, 0)


def collate_numpy_array_fn(batch, *, collate_fn_map=None) -> Any:
    from ..._creation import as_tensor

    elem = batch[0]
    if _STRING_OR_OBJECT.search(elem.dtype.str) is not None:
        raise TypeError(_COLLATE_ERROR.format(elem.dtype))
    return collate([as_tensor(b) for b in batch], collate_fn_map=collate_fn_map)


def collate_numpy_scalar_fn(batch, *, collate_fn_map=None) -> Tensor:
    from ..._creation import as_tensor

    return as_tensor(batch)


def collate_float_fn(batch, *, collate_fn_map=None) -> Tensor:
    from ..._core import float64
    from ..._creation import tensor

    return tensor(batch, dtype=float64)


def collate_int_fn(batch, *, collate_fn_map=None) -> Tensor:
    from ..._creation import tensor

    return tensor(batch)


def collate_str_fn(batch, *, collate_fn_map=None) -> Any:
    return batch


class _NumpyTypes:
    """Matches NumPy arrays or scalars by `isinstance` without importing NumPy (nothing
    is either before NumPy loads)."""

    def __init__(self, test: Callable[[object], bool]) -> None:
        self._test = test

    def __instancecheck__(self, value: object) -> bool:
        return self._test(value)


def _is_collatable_numpy_scalar(value: object) -> bool:
    # PyTorch's table holds np.bool_, np.number and np.object_, not string scalars
    return is_numpy_scalar(value) and value.dtype.kind in "biufcO"  # type: ignore[attr-defined]


default_collate_fn_map: dict[Any, Callable] = {
    Tensor: collate_tensor_fn,
    _NumpyTypes(is_ndarray): collate_numpy_array_fn,
    _NumpyTypes(_is_collatable_numpy_scalar): collate_numpy_scalar_fn,
    float: collate_float_fn,
    int: collate_int_fn,
    str: collate_str_fn,
    bytes: collate_str_fn,
}


def default_collate(batch) -> Any:
    """Collates a list of samples into a batch: tensors, NumPy arrays and numbers are
    stacked along a new dimension 0 (Python floats as float64), strings are kept as
    they come; mappings, named tuples and sequences are collated field by field (a
    tuple's fields come back as a list).

    Args:
        batch: the list of samples, all of the same structure.
    """
    return collate(batch, collate_fn_map=default_collate_fn_map)


def default_convert(data: Any) -> Any:
    """Turns NumPy arrays and NumPy scalars (not string ones) into tensors, inside
    mappings and sequences too; everything else is returned unchanged (what the
    DataLoader does to samples when batching is off).

    Args:
        data: a sample.
    """
    from ..._creation import as_tensor

    if isinstance(data, Tensor):
        return data
    if is_ndarray(data) or is_numpy_scalar(data):
        if data.dtype.kind in "SU" or (is_ndarray(data) and _STRING_OR_OBJECT.search(data.dtype.str)):
            return data
        return as_tensor(data)
    if isinstance(data, collections.abc.Mapping):
        return _mapping_like(data, {key: default_convert(data[key]) for key in data})
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        return _sequence_like(data, [default_convert(d) for d in data])
    return data
