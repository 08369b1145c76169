"""Creation functions: `tensor`, `zeros`, `ones`, `rand`, `arange`, ..."""

from __future__ import annotations

import numpy as np

from . import _core
from ._core import Tensor
from ._device import check_device

_NP_TO_NAME = {
    np.dtype(np.float16): "float16",
    np.dtype(np.float32): "float32",
    np.dtype(np.float64): "float64",
    np.dtype(np.uint8): "uint8",
    np.dtype(np.int8): "int8",
    np.dtype(np.int16): "int16",
    np.dtype(np.int32): "int32",
    np.dtype(np.int64): "int64",
    np.dtype(np.bool_): "bool",
}
_CASTS_TO_INT64 = (np.uint16, np.uint32)
# Ranges a Python number must fit to fill a tensor of these dtypes (PyTorch checks;
# unsigned types let negative numbers down to -max wrap).
_FILL_RANGES = {
    "uint8": (-255, 255, "uint8_t"),
    "int8": (-128, 127, "int8_t"),
    "int16": (-32768, 32767, "int16_t"),
    "int32": (-(2**31), 2**31 - 1, "int32_t"),
    "float16": (-65504.0, 65504.0, "c10::Half"),
}


def _dtype_by_name(name: str):
    return getattr(_core, name)


def _sizes(size) -> tuple[int, ...]:
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        return tuple(size[0])
    if len(size) == 1 and hasattr(size[0], "__len__") and not isinstance(size[0], Tensor):
        return tuple(size[0])
    return tuple(size)


def _finish(t: Tensor, requires_grad: bool, device=None) -> Tensor:
    check_device(device)
    if requires_grad and not (t.dtype.is_floating_point or t.dtype.is_complex):
        raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
    if requires_grad:
        t.requires_grad_(True)
    return t


def _from_array(arr: np.ndarray, dtype=None) -> Tensor:
    if arr.dtype.kind == "c":
        t = _complex_from_array(arr)
        return t if dtype is None or t.dtype is dtype else t._to_dtype(dtype)
    if arr.dtype.kind == "f" and arr.dtype not in _NP_TO_NAME:
        arr = arr.astype(np.float32)
    elif arr.dtype.kind in "iu" and arr.dtype not in _NP_TO_NAME:
        arr = arr.astype(np.int64)
    if arr.dtype not in _NP_TO_NAME:
        raise TypeError(
            f"can't convert np.ndarray of type numpy.{arr.dtype}. The only supported types are: "
            "float64, float32, int64, and bool."
        )
    arr = np.ascontiguousarray(arr).reshape(arr.shape)
    t = _core._from_bytes(arr.tobytes(), list(arr.shape), _dtype_by_name(_NP_TO_NAME[arr.dtype]))
    if dtype is not None and t.dtype is not dtype:
        t = t._to_dtype(dtype)
    return t


def _complex_from_array(arr: np.ndarray) -> Tensor:
    """A complex array as a complex tensor (built from its (re, im) pairs)."""
    part = np.float64 if arr.dtype == np.complex128 else np.float32
    if arr.dtype not in (np.complex64, np.complex128):
        arr = arr.astype(np.complex128)
    arr = np.ascontiguousarray(arr).reshape(arr.shape)
    pairs = arr[..., None].view(part)
    name = "float64" if part is np.float64 else "float32"
    real = _core._from_bytes(pairs.tobytes(), list(pairs.shape), _dtype_by_name(name))
    return _core._complex_from_pairs(real)


def _infer_python_data(data, dtype=None) -> np.ndarray:
    """Nested Python numbers to an array with PyTorch's dtype inference (floats stay
    float64 when float64 is asked for)."""
    from . import get_default_dtype

    _check_rectangular(data)
    try:
        arr = np.array(data)
    except ValueError as e:
        raise ValueError(f"expected a rectangular sequence: {e}") from None
    except OverflowError:
        raise RuntimeError("Overflow when unpacking long") from None
    if arr.dtype.kind == "u" or (arr.dtype == object and _has_big_int(data)):
        raise ValueError("Overflow when unpacking long long")
    if arr.dtype == object:
        raise RuntimeError(f"Could not infer dtype of {type(data).__name__}")
    if arr.dtype.kind == "f":
        wide = (dtype is not None and dtype is not _core.float32) or (
            dtype is None and get_default_dtype() is not _core.float32
        )
        arr = arr.astype(np.float64 if wide else np.float32)
    elif arr.dtype.kind == "c":
        wide = (dtype is not None and dtype is not _core.complex64) or (
            dtype is None and get_default_dtype() is not _core.float32
        )
        arr = arr.astype(np.complex128 if wide else np.complex64)
    elif arr.dtype.kind in "US":
        raise TypeError(f"new(): invalid data type '{arr.dtype.kind == 'U' and 'str'}'")
    return arr


def _check_rectangular(data) -> None:
    """PyTorch's error for ragged nested lists: the first length that differs."""
    def walk(seq, dim: int, shape: list[int]) -> None:
        if not isinstance(seq, (list, tuple)):
            return
        if len(shape) <= dim:
            shape.append(len(seq))
        elif len(seq) != shape[dim]:
            raise ValueError(f"expected sequence of length {shape[dim]} at dim {dim} (got {len(seq)})")
        for item in seq:
            if isinstance(item, (list, tuple)) or len(shape) > dim + 1:
                if not isinstance(item, (list, tuple)):
                    raise TypeError(f"not a sequence at dim {dim + 1}")
                walk(item, dim + 1, shape)

    walk(data, 0, [])


def _has_big_int(data) -> bool:
    if isinstance(data, int) and not isinstance(data, bool):
        return not -(2**63) <= data < 2**63
    if isinstance(data, (list, tuple)):
        return any(_has_big_int(d) for d in data)
    return False


def _contains_tensor(data) -> bool:
    if isinstance(data, Tensor):
        return True
    if isinstance(data, (list, tuple)):
        return any(_contains_tensor(d) for d in data)
    return False


def tensor(data, dtype=None, device=None, requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """A new tensor holding a copy of `data`.

    Args:
        data: a number, (nested) sequence of numbers, NumPy array or tensor.
        dtype: the dtype; by default inferred from `data` (floats take the default dtype).
        device: the device (only the CPU exists).
        requires_grad: whether autograd records operations on the new tensor.
        pin_memory: ignored (no accelerator).
    """
    if isinstance(data, Tensor):
        t = data.detach().clone()
        if dtype is not None:
            t = t._to_dtype(dtype)
    elif isinstance(data, np.ndarray):
        t = _from_array(data, dtype)
    else:
        if _contains_tensor(data):
            data = _unwrap_tensors(data)
        arr = _infer_python_data(data, dtype)
        if dtype is not None:
            _check_fits(arr, dtype, "")
        elif arr.dtype.kind == "f":
            from . import get_default_dtype

            dtype = get_default_dtype()  # float16/bfloat16 defaults round once from float64
        t = _from_array(arr, dtype)
    return _finish(t, requires_grad, device)


def _unwrap_tensors(data):
    if isinstance(data, Tensor):
        return data.item() if data.numel() == 1 and data.dim() == 0 else data.tolist()
    if isinstance(data, (list, tuple)):
        return [_unwrap_tensors(d) for d in data]
    return data


def as_tensor(data, dtype=None, device=None) -> Tensor:
    """`data` as a tensor, without copying when it already is a tensor of that dtype.

    Args:
        data: a tensor, number, (nested) sequence or NumPy array.
        dtype: the dtype; None to keep that of a tensor, or infer it.
        device: the device (only the CPU exists).
    """
    if isinstance(data, Tensor):
        return data if dtype is None or data.dtype is dtype else data._to_dtype(dtype)
    if hasattr(data, "__array__") and not isinstance(data, np.ndarray):
        data = np.asarray(data)
    return tensor(data, dtype=dtype, device=device)


def from_numpy(arr: np.ndarray) -> Tensor:
    """A tensor sharing the memory of a NumPy array: writes through either show in both.

    Args:
        arr: a NumPy array of a supported dtype.
    """
    from ._interop import from_numpy as share

    return share(arr)


def _check_fits(values, dtype, suffix: str) -> None:
    """PyTorch's overflow error for Python numbers that a narrow dtype cannot hold."""
    name = repr(dtype).split(".")[-1]
    if name not in _FILL_RANGES or (not suffix and name == "float16"):
        return
    lo, hi, cname = _FILL_RANGES[name]
    arr = np.asarray(values)
    if arr.dtype.kind not in "iuf" or arr.size == 0:
        return
    finite = arr[np.isfinite(arr)] if arr.dtype.kind == "f" else arr
    if finite.size and (finite.min() < lo or finite.max() > hi):
        type_name = cname if suffix else name
        raise RuntimeError(f"value cannot be converted to type {type_name} without overflow")


def full(size, fill_value, *, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """A tensor of shape `size` with every element `fill_value`.

    Args:
        size: the shape, a sequence of ints.
        fill_value: the number to fill with.
        dtype: the dtype; None to infer it from `fill_value` (bool, int64 or the default
            float dtype).
        device: the device (only the CPU exists).
        requires_grad: whether autograd records operations on the new tensor.
    """
    if isinstance(fill_value, complex):
        from . import get_default_dtype

        dtype = dtype or get_default_dtype().to_complex()
        t = _core._full(*_sizes((size,)), fill_value=0, dtype=dtype)
        t.fill_(fill_value)
        return _finish(t, requires_grad, device)
    return _finish(_core._full(*_sizes((size,)), fill_value=fill_value, dtype=dtype), requires_grad, device)


def zeros(*size, dtype=None, device=None, requires_grad: bool = False, out=None) -> Tensor:
    """A tensor of shape `size` filled with zeros.

    Args:
        size: the shape, as several ints or one sequence of them.
        dtype: the dtype; None for the default float dtype.
        device: the device (only the CPU exists).
        requires_grad: whether autograd records operations on the new tensor.
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    from . import get_default_dtype

    return _finish(_core._full(*_sizes(size), fill_value=0, dtype=dtype or get_default_dtype()), requires_grad, device)


def ones(*size, dtype=None, device=None, requires_grad: bool = False, out=None) -> Tensor:
    """A tensor of shape `size` filled with ones.

    Args:
        size: the shape, as several ints or one sequence of them.
        dtype: the dtype; None for the default float dtype.
        device: the device (only the CPU exists).
        requires_grad: whether autograd records operations on the new tensor.
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    from . import get_default_dtype

    return _finish(_core._full(*_sizes(size), fill_value=1, dtype=dtype or get_default_dtype()), requires_grad, device)


def empty(*size, dtype=None, device=None, requires_grad: bool = False, **_kw) -> Tensor:
    """A tensor of shape `size` whose values are unspecified (ferrograd fills it with
    zeros).

    Args:
        size: the shape, as several ints or one sequence of them.
        dtype: the dtype; None for the default float dtype.
        device: the device (only the CPU exists).
        requires_grad: whether autograd records operations on the new tensor.
        _kw: other keywords of PyTorch's (`layout`, `pin_memory`, `memory_format`,
            `out`), ignored.
    """
    return zeros(*size, dtype=dtype, device=device, requires_grad=requires_grad)


def zeros_like(input: Tensor, *, dtype=None, layout=None, device=None, requires_grad: bool = False,
               memory_format=None) -> Tensor:
    """Zeros with the shape (and by default the dtype) of `input`.

    Args:
        input: the tensor whose shape is copied.
        dtype: the dtype; None for that of `input`.
        device: the device (only the CPU exists).
        layout: ignored (only strided tensors exist).
        requires_grad: whether autograd records operations on the new tensor.
        memory_format: ignored (the result is contiguous).
    """
    return zeros(tuple(input.shape), dtype=dtype or input.dtype, device=device, requires_grad=requires_grad)


def ones_like(input: Tensor, *, dtype=None, layout=None, device=None, requires_grad: bool = False,
               memory_format=None) -> Tensor:
    """Ones with the shape (and by default the dtype) of `input`.

    Args:
        input: the tensor whose shape is copied.
        dtype: the dtype; None for that of `input`.
        device: the device (only the CPU exists).
        layout: ignored (only strided tensors exist).
        requires_grad: whether autograd records operations on the new tensor.
        memory_format: ignored (the result is contiguous).
    """
    return ones(tuple(input.shape), dtype=dtype or input.dtype, device=device, requires_grad=requires_grad)


def empty_like(input: Tensor, *, dtype=None, layout=None, device=None, requires_grad: bool = False,
               memory_format=None) -> Tensor:
    """A tensor with the shape (and by default the dtype) of `input`, values unspecified
    (zeros here).

    Args:
        input: the tensor whose shape is copied.
        dtype: the dtype; None for that of `input`.
        device: the device (only the CPU exists).
        layout: ignored (only strided tensors exist).
        requires_grad: whether autograd records operations on the new tensor.
        memory_format: ignored (the result is contiguous).
    """
    return zeros_like(input, dtype=dtype, device=device, requires_grad=requires_grad)


def full_like(input: Tensor, fill_value, *, dtype=None, layout=None, device=None, requires_grad: bool = False,
               memory_format=None) -> Tensor:
    """A tensor with the shape (and by default the dtype) of `input`, every element
    `fill_value`.

    Args:
        input: the tensor whose shape is copied.
        fill_value: the number to fill with.
        dtype: the dtype; None for that of `input`.
        device: the device (only the CPU exists).
        layout: ignored (only strided tensors exist).
        requires_grad: whether autograd records operations on the new tensor.
        memory_format: ignored (the result is contiguous).
    """
    return full(tuple(input.shape), fill_value, dtype=dtype or input.dtype, device=device, requires_grad=requires_grad)


def rand(*size, generator=None, dtype=None, layout=None, device=None, requires_grad: bool = False,
               memory_format=None) -> Tensor:
    """A tensor of shape `size` with samples uniform in [0, 1); the same values as
    PyTorch's for the same seed.

    Args:
        size: the shape, as several ints or one sequence of them.
        generator: the random generator to draw from; None for the default one.
        dtype: the dtype; None for the default float dtype.
        device: the device (only the CPU exists).
        layout: ignored (only strided tensors exist).
        requires_grad: whether autograd records operations on the new tensor.
        memory_format: ignored (the result is contiguous).
    """
    from . import get_default_dtype
    from ._random import using

    with using(generator):
        t = _random_values(list(_sizes(size)), dtype or get_default_dtype(), False)
    return _finish(t, requires_grad, device)


def _random_values(shape: list[int], dtype, normal: bool) -> Tensor:
    """`_core._rand`; a complex dtype draws its (re, im) pairs as PyTorch does (normal
    parts with variance 1/2 each, so that |z|² has mean 1)."""
    if not dtype.is_complex:
        return _core._rand(shape, dtype, normal)
    pairs = _core._rand([*shape, 2], dtype.to_real(), normal)
    if normal:
        pairs = pairs * 0.5**0.5
    return _core._complex_from_pairs(pairs)


def randn(*size, generator=None, dtype=None, layout=None, device=None, requires_grad: bool = False,
               memory_format=None) -> Tensor:
    """A tensor of shape `size` with samples of the standard normal distribution; the
    same values as PyTorch's for the same seed.

    Args:
        size: the shape, as several ints or one sequence of them.
        generator: the random generator to draw from; None for the default one.
        dtype: the dtype; None for the default float dtype.
        device: the device (only the CPU exists).
        layout: ignored (only strided tensors exist).
        requires_grad: whether autograd records operations on the new tensor.
        memory_format: ignored (the result is contiguous).
    """
    from . import get_default_dtype
    from ._random import using

    with using(generator):
        t = _random_values(list(_sizes(size)), dtype or get_default_dtype(), True)
    return _finish(t, requires_grad, device)


def rand_like(input: Tensor, *, generator=None, dtype=None, layout=None, device=None,
               requires_grad: bool = False, memory_format=None) -> Tensor:
    """Samples uniform in [0, 1) with the shape (and by default the dtype) of `input`.

    Args:
        input: the tensor whose shape is copied.
        generator: the random-number generator; None for the default one.
        dtype: the dtype; None for that of `input`.
        device: the device (only the CPU exists).
        layout: ignored (only strided tensors exist).
        requires_grad: whether autograd records operations on the new tensor.
        memory_format: ignored (the result is contiguous).
    """
    return rand(tuple(input.shape), generator=generator, dtype=dtype or input.dtype, device=device,
                requires_grad=requires_grad)


def randn_like(input: Tensor, *, generator=None, dtype=None, layout=None, device=None,
               requires_grad: bool = False, memory_format=None) -> Tensor:
    """Standard normal samples with the shape (and by default the dtype) of `input`.

    Args:
        input: the tensor whose shape is copied.
        generator: the random-number generator; None for the default one.
        dtype: the dtype; None for that of `input`.
        device: the device (only the CPU exists).
        layout: ignored (only strided tensors exist).
        requires_grad: whether autograd records operations on the new tensor.
        memory_format: ignored (the result is contiguous).
    """
    return randn(tuple(input.shape), generator=generator, dtype=dtype or input.dtype, device=device,
                requires_grad=requires_grad)


def randint(low, high=None, size=None, *, generator=None, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """A tensor of shape `size` with integers drawn uniformly from [low, high).

    Args:
        low: the lowest value (default 0 when `high` is omitted: `randint(high, size)`).
        high: one above the highest value.
        size: the shape, a tuple of ints.
        generator: the random generator to draw from; None for the default one.
        dtype: the dtype; None for int64.
        device: the device (only the CPU exists).
        requires_grad: whether autograd records operations on the new tensor.
    """
    if size is None:
        if high is None or not isinstance(high, (tuple, list)):
            raise TypeError("randint() missing required argument 'size'")
        low, high, size = 0, low, high
    if high is None:
        low, high = 0, low
    from ._random import using

    with using(generator):
        t = _core._randint(int(low), int(high), list(size), dtype or _core.int64)
    return _finish(t, requires_grad, device)


def arange(start, end=None, step=1, *, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """A 1-D tensor of the values from `start` up to `end` (excluded), `step` apart.

    Args:
        start: the first value (default 0); alone, it is taken as `end`.
        end: the bound, excluded.
        step: the gap between values (default 1).
        dtype: the dtype; None for int64 when all arguments are ints, else the default
            float dtype.
        device: the device (only the CPU exists).
        requires_grad: whether autograd records operations on the new tensor.
    """
    if end is None:
        start, end = 0, start
    return _finish(_core._arange(start, end, step, dtype), requires_grad, device)


def linspace(start, end, steps, *, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """A 1-D tensor of `steps` values evenly spaced from `start` to `end`, both
    included.

    Args:
        start: the first value.
        end: the last value.
        steps: the number of values.
        dtype: the dtype; None for the default float dtype.
        device: the device (only the CPU exists).
        requires_grad: whether autograd records operations on the new tensor.
    """
    return _finish(_core._linspace(_number(start), _number(end), int(steps), dtype), requires_grad, device)


def _number(x):
    """A 0-dim tensor's value; Python numbers as they are."""
    return x.item() if isinstance(x, Tensor) else x


def eye(n, m=None, *, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """A 2-D tensor with ones on the main diagonal and zeros elsewhere.

    Args:
        n: the number of rows.
        m: the number of columns; None for `n`.
        dtype: the dtype; None for the default float dtype.
        device: the device (only the CPU exists).
        requires_grad: whether autograd records operations on the new tensor.
    """
    if dtype is not None and isinstance(dtype, _core.dtype) and dtype.is_complex:
        return _finish(_core._eye(n, m, dtype.to_real())._to_dtype(dtype), requires_grad, device)
    return _finish(_core._eye(n, m, dtype), requires_grad, device)
