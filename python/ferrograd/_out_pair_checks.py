"""The dtype checks of ops that write (values, indices) or an extreme into `out`, each
in its kernel's own words (the generic `out` check would say `Expected out tensor to
have dtype ...`)."""

from __future__ import annotations

from . import _core
from ._core import Tensor
from ._dtype_names import scalar_name

# the legacy names PyTorch's argument checks print (`torch.FloatTensor`); the others print
# their backend type (`CPUBoolType`)
_LEGACY_NAMES = {
    _core.uint8: "Byte", _core.int8: "Char", _core.int16: "Short", _core.int32: "Int", _core.int64: "Long",
    _core.float16: "Half", _core.float32: "Float", _core.float64: "Double",
}


def _type_text(dtype) -> str:
    legacy = _LEGACY_NAMES.get(dtype)
    return f"torch.{legacy}Tensor" if legacy else f"CPU{scalar_name(dtype)}Type"


def _pair(out) -> tuple | None:
    if isinstance(out, (tuple, list)) and len(out) == 2 and all(isinstance(t, Tensor) for t in out):
        return tuple(out)
    return None


def extreme_out(name: str, args, out, kwargs=None) -> None:
    """amax / amin: `out` of the input's dtype."""
    first = args[0] if args else (kwargs or {}).get("input")
    if isinstance(first, Tensor) and isinstance(out, Tensor) and out.dtype != first.dtype:
        raise RuntimeError(f"Expected the dtype for input and out to match, but got {scalar_name(first.dtype)} for "
                           f"input's dtype and {scalar_name(out.dtype)} for out's dtype.")


def values_indices_out(name: str, args, out, kwargs=None) -> None:
    """kthvalue / median / nanmedian / mode / cummax / cummin: values of the input's
    dtype and int64 indices."""
    pair_count(name, args, out, kwargs)
    first = args[0] if args else (kwargs or {}).get("input")
    pair = _pair(out)
    if not isinstance(first, Tensor) or pair is None:
        return
    values, indices = pair
    same, longs = values.dtype == first.dtype, indices.dtype == _core.int64
    if name in ("median", "nanmedian"):
        if not longs:
            raise RuntimeError("Expected tensor for argument #1 'indices' to have scalar type Long; but got "
                               f"{_type_text(indices.dtype)} instead (while checking arguments for median)")
        if not same:
            raise RuntimeError(f"Expected tensor for 'values' to have the same type as tensor for argument #2 'self'; "
                               f"but type {_type_text(values.dtype)} does not equal {_type_text(first.dtype)} "
                               "(while checking arguments for median)")
    elif name == "kthvalue":
        if not same:
            raise RuntimeError("output values must be of same type as input")
        if not longs:
            raise RuntimeError("output indices must be of scalar type Long")
    elif name == "mode":
        if not same:
            raise RuntimeError(f"expected scalar type '{scalar_name(first.dtype)}' but got "
                               f"'{scalar_name(values.dtype)}' for values output")
        if not longs:
            raise RuntimeError(f"expected scalar type 'Long' but got '{scalar_name(indices.dtype)}' for indices output")
    elif not same:  # cummax / cummin
        raise RuntimeError(f"expected scalar_type {scalar_name(first.dtype)} but found {scalar_name(values.dtype)}")
    elif not longs:
        raise RuntimeError(f"expected scalar_type Long but found {scalar_name(indices.dtype)}")


def pair_count(name: str, args, out, kwargs=None) -> None:
    """An `out` tuple for (values, indices) holds two tensors."""
    if isinstance(out, (tuple, list)) and len(out) != 2:
        raise TypeError(f"expected tuple of 2 elements but got {len(out)}")


def histogram_out(name: str, args, out, kwargs=None) -> None:
    """histogram writes (hist, bin_edges) of the input's dtype only."""
    first = args[0] if args else (kwargs or {}).get("input")
    pair = _pair(out)
    if not isinstance(first, Tensor) or pair is None:
        return
    hist, edges = pair
    from ._dtype_names import cpp_name

    if hist.dtype != first.dtype:
        raise RuntimeError(f"torch.histogram: input tensor and hist tensor should have the same dtype, but got input "
                           f"{cpp_name(first.dtype)} and hist {cpp_name(hist.dtype)}")
    if edges.dtype != first.dtype:
        raise RuntimeError(f"torch.histogram: input tensor and bin_edges tensor should have the same dtype, but got "
                           f"input {cpp_name(first.dtype)} and bin_edges {cpp_name(edges.dtype)} for dimension 0")
