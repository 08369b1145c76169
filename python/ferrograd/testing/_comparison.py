"""`assert_close`: PyTorch's comparison of tensors, numbers and nested containers.

Tensors are compared with NumPy in their own dtype (so the differences reported have
the digits PyTorch reports); the messages follow `torch.testing` word for word.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from numbers import Number
from typing import Any

from .._core import Tensor
from .._numpy import np

__all__ = ["assert_close"]

# dtype name -> (rtol, atol), PyTorch's defaults; integers and bool compare exactly.
_DEFAULT_TOLERANCES = {
    "float16": (1e-3, 1e-5),
    "bfloat16": (1.6e-2, 1e-5),
    "float32": (1.3e-6, 1e-5),
    "float64": (1e-7, 1e-7),
    "complex32": (1e-3, 1e-5),
    "complex64": (1.3e-6, 1e-5),
    "complex128": (1e-7, 1e-7),
}


class _Mismatch(Exception):
    """A failed comparison: the exception type to raise and its message."""

    def __init__(self, exc: type[Exception], msg: str):
        super().__init__(msg)
        self.exc = exc
        self.msg = msg


def _dtype_name(t: Any) -> str:
    if isinstance(t, Tensor):
        return str(t.dtype).rsplit(".", 1)[-1]
    return str(np.asarray(t).dtype)


def _tolerances(*names: str) -> tuple[float, float]:
    pairs = [_DEFAULT_TOLERANCES.get(n, (0.0, 0.0)) for n in names]
    return max(p[0] for p in pairs), max(p[1] for p in pairs)


def _to_numpy(t: Any) -> np.ndarray:
    if isinstance(t, Tensor):
        return np.asarray(t.detach().numpy())
    return np.asarray(t)


def _fmt_index(flat: int, shape: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(int(i) for i in np.unravel_index(flat, shape)) if shape else ()


def _diff_line(kind: str, diff: Any, idx: Any, tol: float, equality: bool) -> str:
    msg = f"{kind.title()} difference: {diff}" if idx is None else f"Greatest {kind} difference: {diff} at index {idx}"
    return msg + ("" if equality else f" (up to {tol} allowed)") + "\n"


def _mismatch_msg(default_id: str, extra: str, abs_diff, abs_idx, rel_diff, rel_idx, rtol, atol) -> str:
    equality = rtol == 0 and atol == 0
    msg = f"{default_id} are not {'equal' if equality else 'close'}!\n\n"
    if extra:
        msg += f"{extra.strip()}\n"
    msg += _diff_line("absolute", abs_diff, abs_idx, atol, equality)
    msg += _diff_line("relative", rel_diff, rel_idx, rtol, equality)
    return msg.strip()


def _compare_tensors(actual, expected, *, rtol, atol, equal_nan, check_device, check_dtype, check_stride,
                     check_layout=True, identifier=None) -> None:
    if getattr(actual, "is_sparse", False) or getattr(expected, "is_sparse", False):
        actual, expected = _sparse_pair(actual, expected, check_layout)
        if actual.is_sparse:  # both sparse COO: PyTorch compares the stored indices, then values
            _compare_tensors(actual._indices(), expected._indices(), rtol=0, atol=0, equal_nan=False,
                             check_device=check_device, check_dtype=check_dtype, check_stride=False,
                             identifier="Sparse COO indices")
            _compare_tensors(actual._values(), expected._values(), rtol=rtol, atol=atol, equal_nan=equal_nan,
                             check_device=check_device, check_dtype=check_dtype, check_stride=False,
                             identifier="Sparse COO values")
            return
    if tuple(actual.shape) != tuple(expected.shape):
        raise _Mismatch(
            AssertionError,
            f"The values for attribute 'shape' do not match: {actual.shape!r} != {expected.shape!r}.",
        )
    if check_device and isinstance(actual, Tensor) and isinstance(expected, Tensor) and actual.device != expected.device:
        raise _Mismatch(
            AssertionError,
            f"The values for attribute 'device' do not match: {actual.device} != {expected.device}.",
        )
    a_name, e_name = _dtype_name(actual), _dtype_name(expected)
    if check_dtype and a_name != e_name:
        raise _Mismatch(
            AssertionError,
            f"The values for attribute 'dtype' do not match: {actual.dtype!r} != {expected.dtype!r}.",
        )
    if check_stride and isinstance(actual, Tensor) and isinstance(expected, Tensor) and actual.stride() != expected.stride():
        raise _Mismatch(
            AssertionError,
            f"The values for attribute 'stride()' do not match: {actual.stride()} != {expected.stride()}.",
        )
    if rtol is None:
        rtol, atol = _tolerances(a_name, e_name)
    a, e = _to_numpy(actual), _to_numpy(expected)
    common = np.result_type(a, e)
    a, e = a.astype(common, copy=False), e.astype(common, copy=False)
    if common.kind in "fc":
        matches = np.isclose(a, e, rtol=rtol, atol=atol, equal_nan=equal_nan)
    else:
        matches = a == e
        if rtol or atol:
            af, ef = a.astype(np.float64), e.astype(np.float64)
            matches = np.abs(af - ef) <= atol + rtol * np.abs(ef)
    if matches.all():
        return
    n = matches.size
    if matches.ndim == 0:
        ai, ei = a.reshape(-1)[0].item(), e.reshape(-1)[0].item()
        abs_diff1 = abs(ai - ei)
        rel_diff1 = float("inf") if ei == 0 else abs_diff1 / abs(ei)
        raise _Mismatch(
            AssertionError,
            _mismatch_msg(identifier or "Scalars", f"Expected {ei} but got {ai}.", abs_diff1, None, rel_diff1, None,
                          rtol, atol),
        )
    mismatches = n - int(matches.sum())
    extra = f"Mismatched elements: {mismatches} / {n} ({mismatches / n:.1%})"
    af, ef, mf = a.reshape(-1), e.reshape(-1), matches.reshape(-1)
    if common.kind not in "fc":
        af, ef = af.astype(np.int64), ef.astype(np.int64)
    with np.errstate(all="ignore"):
        abs_diff = np.abs(af - ef)
        abs_diff[mf] = 0
        rel_diff = abs_diff / np.abs(ef) if common.kind in "fc" else abs_diff.astype(np.float32) / np.abs(ef).astype(np.float32)
    rel_diff[mf] = 0
    abs_idx = _argmax_nan(abs_diff)
    rel_idx = _argmax_nan(rel_diff)
    raise _Mismatch(
        AssertionError,
        _mismatch_msg(
            identifier or "Tensor-likes",
            extra,
            abs_diff[abs_idx].item(),
            _fmt_index(abs_idx, matches.shape),
            rel_diff[rel_idx].item(),
            _fmt_index(rel_idx, matches.shape),
            rtol,
            atol,
        ),
    )


def _sparse_pair(actual, expected, check_layout: bool) -> tuple:
    """Two sparse COO tensors with the same size and number of stored entries (compared
    as stored, uncoalesced, as PyTorch does); or both densified when `check_layout` is
    off and the layouts differ."""
    a_layout, e_layout = getattr(actual, "layout", None), getattr(expected, "layout", None)
    if a_layout != e_layout:
        if check_layout:
            raise _Mismatch(AssertionError, f"The values for attribute 'layout' do not match: {a_layout} != {e_layout}.")
        return (actual.to_dense() if getattr(actual, "is_sparse", False) else actual,
                expected.to_dense() if getattr(expected, "is_sparse", False) else expected)
    if tuple(actual.shape) != tuple(expected.shape):
        raise _Mismatch(AssertionError,
                        f"The values for attribute 'shape' do not match: {actual.shape!r} != {expected.shape!r}.")
    if actual._nnz() != expected._nnz():
        raise _Mismatch(AssertionError, "The number of specified values in sparse COO tensors does not match: "
                                        f"{actual._nnz()} != {expected._nnz()}")
    return actual, expected


def _argmax_nan(v: np.ndarray) -> int:
    """The index PyTorch's `max` reports: the first NaN, else the first maximum."""
    nan = np.flatnonzero(np.isnan(v)) if v.dtype.kind == "f" else np.array([], dtype=np.int64)
    return int(nan[0]) if nan.size else int(np.argmax(v))


def _compare_scalars(actual, expected, *, rtol, atol, equal_nan, check_dtype) -> None:
    if check_dtype and type(actual) is not type(expected):
        raise _Mismatch(
            AssertionError,
            f"The (d)types do not match: {type(actual)} != {type(expected)}.",
        )
    if rtol is None:
        floating = isinstance(actual, float) or isinstance(expected, float)
        rtol, atol = _tolerances("float64") if floating else (0.0, 0.0)
    if actual == expected or (equal_nan and _is_nan(actual) and _is_nan(expected)):
        return
    if abs(actual - expected) <= atol + rtol * abs(expected):
        return
    abs_diff = abs(actual - expected)
    rel_diff = float("inf") if expected == 0 else abs_diff / abs(expected)
    raise _Mismatch(
        AssertionError,
        _mismatch_msg("Scalars", f"Expected {expected} but got {actual}.", abs_diff, None, rel_diff, None, rtol, atol),
    )


def _is_nan(x: Any) -> bool:
    return isinstance(x, float) and math.isnan(x)


def _is_tensor_like(x: Any) -> bool:
    return isinstance(x, (Tensor, np.ndarray))


def _is_number(x: Any) -> bool:
    return isinstance(x, Number) and not isinstance(x, bool) or isinstance(x, bool)


def _comparable_types(actual, expected, allow_subclasses: bool) -> bool:
    """PyTorch pairs tensor-likes of directly related types only (a tensor and a NumPy
    array are not), and of the same type without `allow_subclasses`."""
    related = isinstance(actual, type(expected)) or isinstance(expected, type(actual))
    return related and (allow_subclasses or _public_type(actual) is _public_type(expected))


def _public_type(x: Any) -> type:
    """`Tensor` for the classes that stand for other layouts and devices of one."""
    from .._meta import MetaTensor
    from .._nested import NestedTensor
    from .._sparse_coo import SparseCooTensor

    return Tensor if isinstance(x, (SparseCooTensor, NestedTensor, MetaTensor)) else type(x)


def _compare(actual, expected, path: list, opts: dict, allow_subclasses: bool = True) -> None:
    if isinstance(actual, np.number):  # NumPy scalars compare as the Python numbers they hold
        actual = actual.item()
    if isinstance(expected, np.number):
        expected = expected.item()
    try:
        if actual is None or expected is None:  # PyTorch's NonePair
            if actual is not expected:
                raise _Mismatch(AssertionError, f"None mismatch: {actual} is not {expected}")
            return
        if _is_tensor_like(actual) and _is_tensor_like(expected):
            if not _comparable_types(actual, expected, allow_subclasses):
                raise _Mismatch(TypeError, "No comparison pair was able to handle inputs of type "
                                           f"{type(actual)} and {type(expected)}.")
            _compare_tensors(actual, expected, **opts)
            return
        if _is_number(actual) and _is_number(expected) and not _is_tensor_like(actual):
            _compare_scalars(actual, expected, rtol=opts["rtol"], atol=opts["atol"], equal_nan=opts["equal_nan"],
                             check_dtype=opts["check_dtype"])
            return
    except _Mismatch as m:
        if path:
            m.msg += "\n\nThe failure occurred for item " + "".join(f"[{p!r}]" for p in path)
        raise
    if _is_sequence(actual) and _is_sequence(expected):
        if len(actual) != len(expected):
            raise _Mismatch(AssertionError, f"The length of the sequences mismatch: {len(actual)} != {len(expected)}")
        for i, (a, e) in enumerate(zip(actual, expected)):
            _compare(a, e, [*path, i], opts, allow_subclasses)
        return
    if isinstance(actual, Mapping) and isinstance(expected, Mapping):
        ak, ek = set(actual.keys()), set(expected.keys())
        if ak != ek:
            missing = sorted(ek - ak, key=repr)
            extra = sorted(ak - ek, key=repr)
            raise _Mismatch(
                AssertionError,
                "The keys of the mappings do not match:\n"
                f"Missing keys in the actual mapping: {missing}\nAdditional keys in the actual mapping: {extra}",
            )
        for k in expected:
            _compare(actual[k], expected[k], [*path, k], opts, allow_subclasses)
        return
    raise _Mismatch(
        TypeError,
        f"No comparison pair was able to handle inputs of type {type(actual)} and {type(expected)}.",
    )


def _is_sequence(x: Any) -> bool:
    return isinstance(x, Sequence) and not isinstance(x, str)


def assert_close(
    actual: Any,
    expected: Any,
    *,
    allow_subclasses: bool = True,
    rtol: float | None = None,
    atol: float | None = None,
    equal_nan: bool = False,
    check_device: bool = True,
    check_dtype: bool = True,
    check_layout: bool = True,
    check_stride: bool = False,
    msg: str | Callable[[str], str] | None = None,
) -> None:
    """Raises AssertionError unless `actual` and `expected` are close, elementwise
    |actual - expected| <= atol + rtol * |expected| (`torch.testing.assert_close`).

    Tensors, numbers and nested sequences or mappings of them are compared item by item.

    Args:
        actual: the value under test.
        expected: the reference value.
        allow_subclasses: accept inputs of related types (a subclass of the other's
            type); default True.
        rtol: the relative tolerance; None (default) takes the dtype's default. Give
            `rtol` and `atol` together or neither.
        atol: the absolute tolerance; None (default) takes the dtype's default.
        equal_nan: count two NaNs as equal (default False).
        check_device: require the same device (default True).
        check_dtype: require the same dtype (default True); when False, both are
            promoted to a common dtype first.
        check_layout: require the same layout (default True); when False, a sparse COO
            tensor compared with a strided one is densified first.
        check_stride: require the same strides (default False).
        msg: the failure message to raise instead of the generated one, or a callable
            that receives the generated message and returns the one to raise.
    """
    if (rtol is None) != (atol is None):
        raise ValueError(
            f"Both 'rtol' and 'atol' must be either specified or omitted, but got no {'rtol' if rtol is None else 'atol'}."
        )
    opts = {"rtol": rtol, "atol": atol, "equal_nan": equal_nan, "check_device": check_device, "check_dtype": check_dtype,
                "check_stride": check_stride, "check_layout": check_layout}
    try:
        _compare(actual, expected, [], opts, allow_subclasses)
    except _Mismatch as m:
        if m.exc is AssertionError and msg is not None:
            raise AssertionError(msg(m.msg) if callable(msg) else msg) from None
        raise m.exc(m.msg) from None
