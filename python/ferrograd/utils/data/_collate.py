"""`default_collate` and `default_convert`: how the DataLoader turns samples into
batches."""

from __future__ import annotations

from typing import Any

from ..._core import Tensor
from ..._numpy import is_ndarray, is_numpy_scalar, np

__all__ = ["default_collate", "default_convert"]


def default_collate(batch: list) -> Any:
    """Collates a list of samples into a batch: tensors, numbers and NumPy arrays are
    stacked along a new dimension 0; tuples, lists and dicts are collated field by field;
    anything else is returned as the list.

    Args:
        batch: the list of samples, all of the same structure.
    """
    from ..._creation import tensor

    elem = batch[0]
    if isinstance(elem, Tensor):
        return tensor(np.stack([np.asarray(b.detach().numpy()) for b in batch]))
    if isinstance(elem, (int, float, bool)) or is_ndarray(elem):
        return tensor(np.asarray(batch))
    if isinstance(elem, dict):
        return {k: default_collate([b[k] for b in batch]) for k in elem}
    if isinstance(elem, (tuple, list)):
        return [default_collate(list(samples)) for samples in zip(*batch)]
    return batch


def default_convert(data: Any) -> Any:
    """Turns NumPy arrays and NumPy scalars (not string ones) into tensors, inside
    tuples, lists and dicts too; everything else is returned unchanged (what the
    DataLoader does to samples when batching is off).

    Args:
        data: a sample.
    """
    from ..._creation import as_tensor

    if isinstance(data, Tensor):
        return data
    if is_ndarray(data) or is_numpy_scalar(data):
        if data.dtype.kind in "SaUO":
            return data
        return as_tensor(np.asarray(data))
    if isinstance(data, dict):
        return type(data)({k: default_convert(v) for k, v in data.items()})
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, list):
        return [default_convert(d) for d in data]
    return data
