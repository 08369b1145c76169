"""`tensor()` of sequences holding tensors: PyTorch infers the dtype by promoting the
dtypes of all elements (a tensor's own, a NumPy scalar's or array's, a Python number's default),
and reads each tensor as a Python number of the target dtype's kind."""

from __future__ import annotations

from . import _core
from ._core import Tensor
from ._numpy import is_ndarray, is_numpy_scalar, np


def _leaf_dtype(leaf):
    if isinstance(leaf, Tensor):
        return leaf.dtype
    if is_numpy_scalar(leaf) or is_ndarray(leaf):
        from ._creation import _NUMPY_NAMES

        kind = np.asarray(leaf).dtype
        if kind.kind == "c":
            return _core.complex64 if kind.itemsize == 8 else _core.complex128
        name = _NUMPY_NAMES.get((kind.kind, kind.itemsize))
        return getattr(_core, name) if name else None
    if isinstance(leaf, bool):
        return _core.bool
    if isinstance(leaf, int):
        return _core.int64
    if isinstance(leaf, float):
        return _core.get_default_dtype()
    if isinstance(leaf, complex):
        return default_complex_dtype()
    return None


def default_complex_dtype():
    """The dtype a Python complex number takes: the default dtype's complex partner
    (complex32 for float16); a bfloat16 default has none."""
    default = _core.get_default_dtype()
    if default is _core.bfloat16:
        raise RuntimeError("invalid default scalar type for complex")
    return default.to_complex()


def _leaves(data):
    if isinstance(data, (list, tuple)):
        for d in data:
            yield from _leaves(d)
    else:
        yield data


def inferred_dtype(data):
    """The dtype PyTorch infers for nested sequences holding tensors (its promotion
    error for uint16/32/64 among other dtypes); None when a leaf is of another kind."""
    result = None
    for leaf in _leaves(data):
        dtype = _leaf_dtype(leaf)
        if dtype is None:
            return None
        result = dtype if result is None else _core.promote_types(result, dtype)
    return result


def _first_tensors(data):
    """The tensors PyTorch reads as numbers: those first in their sequence (a later one
    of several elements is read as a sequence)."""
    if isinstance(data, (list, tuple)):
        if data and isinstance(data[0], Tensor):
            yield data[0]
        for d in data:
            yield from _first_tensors(d)


def check_tensor_leaves(data, dtype) -> None:
    """PyTorch's errors for tensors that cannot be read as numbers of `dtype`: it reads
    uint64 only from Python ints, other integer dtypes and bool through `__index__`,
    floating dtypes through a complex number that must be real."""
    if dtype is None or dtype.is_complex:
        return
    for leaf in _leaves(data):
        if not isinstance(leaf, Tensor):
            continue
        if dtype.is_floating_point:
            if leaf.dtype.is_complex and leaf.numel() == 1 and leaf.imag.item() != 0:
                raise RuntimeError("value cannot be converted to type double without overflow")
        elif dtype is _core.uint64:
            raise TypeError("an integer is required")
        elif leaf.dtype.is_floating_point or leaf.dtype.is_complex:
            raise TypeError("only integer tensors of a single element can be converted to an index")
    if not dtype.is_floating_point and any(t.numel() != 1 for t in _first_tensors(data)):
        raise TypeError("only integer tensors of a single element can be converted to an index")
