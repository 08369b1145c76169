"""Creation functions: `tensor`, `zeros`, `ones`, `rand`, `arange`, ..."""

from __future__ import annotations

import functools
import math
import numbers
import operator
from array import array

from . import _core
from ._argcheck import need_int, need_tensor, type_name
from ._core import Tensor
from ._device import check_device
from ._factory_kwargs import python_type_dtype, refuse_pinning
from ._float8_fill import check_fill
from ._meta_create import meta_aware
from ._numpy import is_ndarray, is_numpy_scalar, np, scalar_argument
from ._quantized_dtypes import QuantizedDtype
from ._scalar_warning import warn_if_requires_grad
from ._shell_dtypes import refuse_complex32
from ._tensor_leaves import check_tensor_leaves, default_complex_dtype, inferred_dtype
from ._uninitialized import fill_uninitialized

# (NumPy dtype kind, itemsize) -> the ferrograd dtype of the same name
_NUMPY_NAMES = {
    ("f", 2): "float16", ("f", 4): "float32", ("f", 8): "float64", ("u", 1): "uint8", ("i", 1): "int8",
    ("i", 2): "int16", ("i", 4): "int32", ("i", 8): "int64", ("b", 1): "bool",
    ("u", 2): "uint16", ("u", 4): "uint32", ("u", 8): "uint64",
}
# Ranges a Python number must fit to fill a tensor of these dtypes (PyTorch checks;
# unsigned types let negative numbers down to -max wrap).
_FILL_RANGES = {
    "uint8": (-255, 255, "uint8_t"),
    "uint16": (-(2**16 - 1), 2**16 - 1, "uint16_t"),
    "uint32": (-(2**32 - 1), 2**32 - 1, "uint32_t"),
    "int8": (-128, 127, "int8_t"),
    "int16": (-32768, 32767, "int16_t"),
    "int32": (-(2**31), 2**31 - 1, "int32_t"),
    "int64": (-(2**63), 2**63 - 1, "int64_t"),
    "float16": (-65504.0, 65504.0, "c10::Half"),
}

_UNGIVEN = object()  # an argument not passed, told apart from an explicit None


def _is_row_major(t: Tensor) -> bool:
    """Whether `t` has exactly row-major strides: `*_like` of such an input with the
    default layout takes the fast path without going through `memory_format` handling
    (a contiguous tensor with other strides on size-1 dims keeps them, as in PyTorch)."""
    return _core._preserved_strides(t) is None


def _dtype_by_name(name: str):
    return getattr(_core, name)


def _refuse_quantized_dtype(op: str, dtype: QuantizedDtype, size: tuple = ()) -> Tensor:
    from ._quantized_create import refuse_quantized_dtype

    return refuse_quantized_dtype(op, dtype, size)


def _sizes(size, fn: str | None = None) -> tuple[int, ...]:
    """The shape given as `fn(*size)`; with `fn`, arguments PyTorch's parser refuses (a
    range, a NumPy array, float elements) raise its TypeError."""
    if fn is not None and size and isinstance(size[0], bool):
        if len(size) == 1:
            raise TypeError(f"{fn}(): argument 'size' (position 1) must be tuple of ints, not bool")
        got = ", ".join(type(s).__name__ for s in size)
        raise TypeError(f"{fn}() received an invalid combination of arguments - got ({got}), but expected one of:\n"
                        " * (tuple of ints size, ...)\n")
    if fn is not None and len(size) > 1:
        if _size_element(size[0]) is None:  # not an int: no varargs shape, a second positional
            _refuse_extra_positionals(fn, size)
        return _unpacked_sizes(fn, size)
    if len(size) == 1:
        (only,) = size
        if isinstance(only, Tensor) and only.dim() == 0:
            if fn is not None and _size_element(only) is None:
                raise TypeError(f"{fn}(): argument 'size' (position 1) must be tuple of ints, not Tensor")
            return (operator.index(only),)  # a 0-d integer tensor is an int
        if isinstance(only, np.ndarray) and only.ndim == 0:
            return (operator.index(only),)
        if isinstance(only, (tuple, list)):
            if fn is None:
                return tuple(only)
            if only and (isinstance(only[0], bool) or _size_element(only[0]) is None):  # checked as PyTorch's
                raise TypeError(f"{fn}(): argument 'size' (position 1) must be tuple of ints, but found element of "
                                f"type {type_name(only[0])} at pos 0")
            return _unpacked_sizes(fn, only)
        if hasattr(only, "__len__") and not isinstance(only, Tensor):
            if fn is not None:
                raise TypeError(f"{fn}(): argument 'size' (position 1) must be tuple of ints, not {type_name(only)}")
            return tuple(only)
        if fn is not None and _size_element(only) is None:
            raise TypeError(f"{fn}(): argument 'size' (position 1) must be tuple of ints, not {type_name(only)}")
    return tuple(size) if fn is None else _unpacked_sizes(fn, size)


def _size_element(value) -> int | None:
    """`value` as one size, where PyTorch's parser reads it as an int (an int, a NumPy
    integer, an integer tensor of one element); None where it does not."""
    if isinstance(value, Tensor):
        if value.numel() != 1 or value.dtype.is_floating_point or value.dtype.is_complex:
            return None
        return int(value.item())
    if isinstance(value, (float, complex, str)) or not hasattr(type(value), "__index__"):
        return None
    return operator.index(value)


def _unpacked_sizes(fn: str, size) -> tuple[int, ...]:
    """The ints of a shape, each checked as PyTorch's parser unpacks it (positions from 1)."""
    from ._argcheck import INT64_OVERFLOW, fits_int64

    out = []
    for pos, element in enumerate(size, 1):
        value = _size_element(element)
        if value is None:
            error = f"type must be tuple of ints,but got {type_name(element)}"
        elif not fits_int64(value):
            error = INT64_OVERFLOW
        else:
            out.append(value)
            continue
        raise TypeError(f"{fn}(): argument 'size' failed to unpack the object at pos {pos} with error \"{error}\"")
    return tuple(out)


def _refuse_extra_positionals(fn: str, size) -> None:
    if fn in ("rand", "randn"):  # overloads with a generator: no one signature to name
        got = ", ".join(type_name(s) for s in size)
        raise TypeError(f"{fn}() received an invalid combination of arguments - got ({got}), but expected one of:\n"
                        " * (tuple of ints size, *, ferrograd.Generator generator, ...)")
    raise TypeError(f"{fn}() takes 1 positional argument but {len(size)} were given")


def _takes_size_keyword(fn):
    """`fn(*size, ...)` also called as `fn(size=...)`, as PyTorch's creation functions."""

    @functools.wraps(fn)
    def call(*size, **kwargs):
        if "size" in kwargs:
            if size:
                raise TypeError(f"{fn.__name__}() got multiple values for argument 'size'")
            size = (kwargs.pop("size"),)
        if not size:
            if fn.__name__ in ("rand", "randn"):
                raise TypeError(f"{fn.__name__}() received an invalid combination of arguments - got (), but "
                                "expected one of:\n * (tuple of ints size, *, ferrograd.Generator generator, ...)")
            raise TypeError(f'{fn.__name__}() missing 1 required positional arguments: "size"')
        if ("dtype" in kwargs or "layout" in kwargs) and _kind_refused(kwargs):
            from ._parser_check import parser_error

            error = parser_error(fn.__name__, size, kwargs)
            if error is not None:
                raise error
        return fn(*size, **kwargs)

    return call


def _kind_refused(kwargs: dict) -> bool:
    """Whether a `dtype` or `layout` given is of a type PyTorch's parser refuses there."""
    dtype, layout = kwargs.get("dtype"), kwargs.get("layout")
    dtype_refused = dtype is not None and not isinstance(dtype, _core.dtype) and dtype not in (int, float, bool, complex)
    return dtype_refused or layout is not None and type_name(layout) != "ferrograd.layout"


def _finish(t: Tensor, requires_grad: bool, device=None) -> Tensor:
    if device is not None:
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
    if not arr.dtype.isnative:
        arr = arr.astype(arr.dtype.newbyteorder("="))
    kind = arr.dtype.kind
    name = _NUMPY_NAMES.get((kind, arr.dtype.itemsize))
    if name is None and kind == "f":
        arr, name = arr.astype(np.float32), "float32"
    elif name is None and kind in "iu":
        arr, name = arr.astype(np.int64), "int64"
    if name is None:
        from ._interop import _supported_list

        raise TypeError(f"can't convert np.ndarray of type numpy.{arr.dtype.type.__name__}. The only supported "
                        f"types are: {_supported_list()}.")
    arr = np.ascontiguousarray(arr).reshape(arr.shape)
    t = _core._from_bytes(arr.tobytes(), list(arr.shape), _dtype_by_name(name))
    if dtype is not None and t.dtype is not dtype:
        t = t._to_dtype(dtype)
    return t


_NEGATIVE_STRIDES = (
    "At least one stride in the given numpy array is negative, and tensors with negative strides are not "
    "currently supported. (You can probably work around this by making a copy of your array  with array.copy().) "
)


def _keep_array_strides(arr: np.ndarray, t: Tensor) -> Tensor:
    """`t` (the elements of `arr`, row-major) laid out with the strides of `arr` where
    PyTorch keeps them: its copy of an array preserves the layout of one whose elements
    are densely packed in some order (a transposed array stays transposed, a size-1 dim
    keeps its stride), and packs any other array row-major. Negative strides are refused."""
    if any(s < 0 for s in arr.strides):
        raise ValueError(_NEGATIVE_STRIDES)
    if arr.size == 0 and arr.ndim and not any(s % arr.itemsize for s in arr.strides):
        return empty_with_array_strides(arr, t.dtype)
    if arr.size == 0 or arr.ndim == 0 or any(s % arr.itemsize for s in arr.strides):
        return t
    strides = [s // arr.itemsize for s in arr.strides]
    if strides == list(t.stride()) or not _dense(arr.shape, strides):
        return t
    from ._tensor_api import empty_strided

    out = empty_strided(tuple(arr.shape), tuple(strides), dtype=t.dtype)
    out.copy_(t)
    return out


def empty_with_array_strides(arr: np.ndarray, dtype) -> Tensor:
    """A tensor for the element-less `arr` with its strides (NumPy 2 gives an empty
    array zero strides; PyTorch copies whatever the array has)."""
    from ._tensor_api import empty_strided

    return empty_strided(tuple(arr.shape), tuple(s // arr.itemsize for s in arr.strides), dtype=dtype)


def _dense(shape: tuple, strides: list[int]) -> bool:
    """Whether the elements fill a block of memory without gaps or overlap (PyTorch's
    non-overlapping-and-dense test: size-1 dims do not count)."""
    need = 1
    for d in sorted((d for d in range(len(shape)) if shape[d] >= 2), key=lambda d: strides[d]):
        if strides[d] != need:
            return False
        need *= shape[d]
    return True


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


def _python_leaves(data):
    if isinstance(data, (list, tuple)):
        for item in data:
            yield from _python_leaves(item)
    else:
        yield data


def _uint64_data(data) -> np.ndarray | None:
    """Python numbers read as uint64 the way PyTorch unpacks them (every one as an
    unsigned 64-bit integer); None when the data holds more than plain numbers."""
    leaves = list(_python_leaves(data))
    if not all(type(x) in (int, float, bool) for x in leaves):
        return None
    for x in leaves:
        if type(x) is float:
            raise TypeError("an integer is required")
        if x < 0:
            raise OverflowError("can't convert negative int to unsigned")
        if x >= 2**64:
            raise OverflowError("int too big to convert")
    return np.array(data, dtype=np.uint64)


def _infer_python_data(data, dtype=None) -> np.ndarray:
    """Nested Python numbers to an array with PyTorch's dtype inference (floats stay
    float64 when float64 is asked for)."""
    from . import get_default_dtype

    shape = _first_elements_shape(data)
    if 0 in shape:  # PyTorch stores, and so checks, no element of an empty result: [[], [1]] is (2, 0)
        data = _empty_of(shape, data, dtype)
    _check_rectangular(data, dtype)
    _refuse_complex_into_real(data, dtype)
    if dtype is _core.bool and any(type(x) is complex for x in _python_leaves(data)):
        return np.array(data) != 0  # a complex number's truth, not its real part's
    if dtype is _core.uint64:
        unsigned = _uint64_data(data)
        if unsigned is not None:
            return unsigned
    try:
        arr = np.array(data)
    except ValueError as e:
        raise ValueError(f"expected a rectangular sequence: {e}") from None
    except OverflowError:
        raise RuntimeError("Overflow when unpacking long") from None
    # NumPy turns [1, 2**63] into float64; PyTorch infers int64 there and overflows
    big_ints_only = arr.dtype.kind == "f" and not _has_float(data)
    if (arr.dtype.kind == "u" or arr.dtype == object or big_ints_only) and _has_big_int(data):
        if dtype is not None and (dtype.is_floating_point or dtype.is_complex or dtype is _core.bool):
            return np.array(data, dtype=np.float64)  # PyTorch converts through double here
        raise ValueError("Overflow when unpacking long long")
    if arr.dtype == object:
        raise _unreadable_element(data, dtype)
    if arr.dtype.kind == "f":
        wide = (dtype is not None and dtype is not _core.float32) or (
            dtype is None and get_default_dtype() is not _core.float32
        )
        with np.errstate(over="ignore"):  # values past float32's range become inf, as in PyTorch
            arr = arr.astype(np.float64 if wide else np.float32)
    elif arr.dtype.kind == "c":
        wide = (dtype is not None and dtype is not _core.complex64) or (
            dtype is None and get_default_dtype() is not _core.float32
        )
        arr = arr.astype(np.complex128 if wide else np.complex64)
    elif arr.dtype.kind in "US":
        raise TypeError(f"new(): invalid data type '{'str' if arr.dtype.kind == 'U' else 'bytes'}'")
    return arr


def _refuse_complex_into_real(data, dtype) -> None:
    """PyTorch reads each Python number as the target dtype's C type: a complex one has
    no float or integer reading (bool takes its truth)."""
    if dtype is None or dtype.is_complex or dtype is _core.bool:
        return
    if any(type(x) is complex for x in _python_leaves(data)):
        if dtype.is_floating_point:
            raise TypeError("must be real number, not complex")
        raise TypeError("'complex' object cannot be interpreted as an integer")


def _refuse_numpy_bool_as_integer(data, dtype) -> None:
    """PyTorch reads a NumPy bool as an integer through `__index__`, which NumPy's bool
    lacks: an integer target dtype refuses it."""
    if dtype is None or dtype.is_floating_point or dtype.is_complex or dtype is _core.bool:
        return
    if any(isinstance(x, np.bool_) for x in _python_leaves(data)):
        if dtype is _core.uint64:
            raise TypeError("an integer is required")
        raise TypeError("'numpy.bool' object cannot be interpreted as an integer")


def _read_numpy_leaves(data, dtype):
    """Sequences holding NumPy scalars or arrays, read as PyTorch reads them: their dtypes
    join the promotion with the Python numbers' (when no dtype is given) and an array
    counts as a nested sequence (a 0-dim one has no length). Returns (data, dtype)."""
    leaves = list(_python_leaves(data))
    if not any(is_numpy_scalar(x) or is_ndarray(x) for x in leaves):
        return data, dtype
    first = data
    while isinstance(first, (list, tuple)) and first:
        first = first[0]
    if is_ndarray(first) and first.ndim == 0:  # PyTorch sizes the data along its first elements
        raise TypeError("len() of unsized object")
    if any(is_ndarray(x) for x in leaves):
        _warn_list_of_arrays()
    scalars = [x for x in leaves if is_ndarray(x) and x.ndim == 0]
    if scalars:  # elsewhere a 0-dim array is read as a number
        data = _zero_dim_arrays_as_scalars(data)
    if dtype is None:
        dtype = inferred_dtype(data)
    if any(is_numpy_scalar(x) for x in leaves):
        _refuse_numpy_scalars_as_uint64(dtype)
    if any(x.dtype.kind not in "iu" for x in scalars) and not (dtype.is_floating_point or dtype.is_complex):
        # PyTorch reads an integer or bool element with `__index__`
        raise TypeError("only integer scalar arrays can be converted to a scalar index")
    _refuse_numpy_bool_as_integer(data, dtype)
    return _arrays_as_lists(data), dtype


def _refuse_numpy_scalars_as_uint64(dtype) -> None:
    """PyTorch writes a NumPy scalar into a uint64 tensor only through a Python int, which
    it is not."""
    if dtype is _core.uint64:
        raise TypeError("an integer is required")


def _dtype_of_array(arr: np.ndarray):
    from ._interop import _dtype_of_numpy

    return _dtype_of_numpy(arr.dtype)


def _zero_dim_arrays_as_scalars(data):
    if isinstance(data, (list, tuple)):
        return [_zero_dim_arrays_as_scalars(d) for d in data]
    return data[()] if is_ndarray(data) and data.ndim == 0 else data


_warned_list_of_arrays = False


def _warn_list_of_arrays() -> None:
    """PyTorch's advice (once per process) when a sequence holds NumPy arrays."""
    global _warned_list_of_arrays
    if not _warned_list_of_arrays:
        _warned_list_of_arrays = True
        from ._user_warning import warn_at_caller

        warn_at_caller("Creating a tensor from a list of numpy.ndarrays is extremely slow. Please consider converting "
                       "the list to a single numpy.ndarray with numpy.array() before converting to a tensor. "
                       "(Triggered internally at /__w/pytorch/pytorch/torch/csrc/utils/tensor_new.cpp:252.)")


def _arrays_as_lists(data):
    if isinstance(data, (list, tuple)):
        return [_arrays_as_lists(d) for d in data]
    return data.tolist() if is_ndarray(data) else data


def _unreadable_element(data, dtype) -> Exception:
    """PyTorch's error for the first element that is no number: its dtype cannot be
    inferred, or (with a dtype) it cannot be read as a real number or an integer."""
    kind = next((type(x) for x in _python_leaves(data) if not isinstance(x, (int, float, complex))), type(data))
    if dtype is None:
        return RuntimeError(f"Could not infer dtype of {kind.__name__}")
    if dtype.is_floating_point or dtype.is_complex:
        return TypeError(f"must be real number, not {kind.__name__}")
    return TypeError(f"'{kind.__name__}' object cannot be interpreted as an integer")


def _first_elements_shape(data) -> list[int]:
    """The shape PyTorch infers from the first element of each nested sequence."""
    shape, level = [], data
    while isinstance(level, (list, tuple)):
        shape.append(len(level))
        if not level:
            break
        level = level[0]
    return shape


def _empty_of(shape: list[int], data, dtype) -> np.ndarray:
    """The empty array for `data` of `shape` (which holds a 0): only the dtype inference
    reads every element (a complex one makes it complex, a string is refused)."""
    leaves = list(_python_leaves(data))
    if any(isinstance(x, str) for x in leaves):
        raise TypeError("new(): invalid data type 'str'")
    kind = np.complex128 if dtype is None and any(type(x) is complex for x in leaves) else np.float64
    return np.zeros(shape, kind)


def _check_rectangular(data, dtype=None) -> None:
    """PyTorch's errors for ragged nested lists: the first length that differs, a number
    where a sequence belongs, a sequence where the first elements set a number."""
    dims, level = 0, data
    while isinstance(level, (list, tuple)):  # the first elements set the number of dims
        dims += 1
        if not level:
            break
        level = level[0]

    _walk_rectangular(data, 0, [], dims, data, dtype)


def _walk_rectangular(seq, dim: int, shape: list[int], dims: int, data, dtype) -> None:
    """`_check_rectangular`'s walk (a module function: a nested one calling itself is a
    reference cycle left for the collector at every call)."""
    if not isinstance(seq, (list, tuple)):
        return
    if len(shape) <= dim:
        shape.append(len(seq))
    elif len(seq) != shape[dim]:
        raise ValueError(f"expected sequence of length {shape[dim]} at dim {dim} (got {len(seq)})")
    for item in seq:
        if isinstance(item, (list, tuple)) and dim + 1 >= dims:
            raise TypeError(_sequence_as_number(item, data, dtype))
        if isinstance(item, (list, tuple)) or len(shape) > dim + 1:
            if not isinstance(item, (list, tuple)):
                raise TypeError("not a sequence")
            _walk_rectangular(item, dim + 1, shape, dims, data, dtype)


def _sequence_as_number(item, data, dtype) -> str:
    """PyTorch's message for a sequence read as a number of the target dtype: an integer
    (or bool) dtype reads it through `__index__`, a floating or complex one as a real
    number. The inferred dtype is floating when a float, a complex or an empty sequence
    (which infers the default dtype) is among the data."""
    if dtype is None:
        floating = _has_float(data) or any(type(x) is complex for x in _python_leaves(data)) or _has_empty(data)
    else:
        floating = dtype.is_floating_point or dtype.is_complex
    kind = type(item).__name__
    return f"must be real number, not {kind}" if floating else f"'{kind}' object cannot be interpreted as an integer"


def _has_empty(data) -> bool:
    return isinstance(data, (list, tuple)) and (not data or any(_has_empty(d) for d in data))


def _has_float(data) -> bool:
    if isinstance(data, float):
        return True
    if isinstance(data, (list, tuple)):
        return any(_has_float(d) for d in data)
    return False


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


def warn_copy_construct(spelled: str) -> None:
    """PyTorch's advice when a tensor is built from a tensor (`tensor(t)`)."""
    from ._user_warning import warn_at_caller

    warn_at_caller(
        "To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() "
        f"or sourceTensor.detach().clone().requires_grad_(True), rather than {spelled}."
    )


def _plain_copy(data: Tensor) -> Tensor:
    """A plain tensor copying a subclass's elements, which PyTorch's `tensor(sub)` reads
    without asking the subclass."""
    from ._subclass_dispatch import _DispatchDisabled

    with _DispatchDisabled():
        copy = data.detach().clone()
    return copy if type(copy) is Tensor else copy.as_subclass(Tensor)


@meta_aware
def tensor(data=_UNGIVEN, *, dtype=None, device=None, requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """A new tensor holding a copy of `data`.

    Args:
        data: a number, (nested) sequence of numbers, NumPy array or tensor.
        dtype: the dtype; by default inferred from `data` (floats take the default dtype).
        device: the device (`"cpu"`, or `"meta"` for a tensor without data).
        requires_grad: whether autograd records operations on the new tensor.
        pin_memory: must be False (there is no accelerator to pin memory for).
    """
    if data is _UNGIVEN:
        raise TypeError('tensor() missing 1 required positional arguments: "data"')
    if isinstance(dtype, QuantizedDtype):
        return _refuse_quantized_dtype("tensor", dtype) if np.size(data) else _refuse_quantized_dtype(
            "empty", dtype, np.shape(data))
    if dtype is not None and not isinstance(dtype, _core.dtype):
        from ._factory_kwargs import dtype_argument

        dtype = dtype_argument("tensor", dtype)
    if pin_memory is not False:
        if not isinstance(pin_memory, bool):
            raise TypeError(f"tensor(): argument 'pin_memory' must be bool, not {type_name(pin_memory)}")
        from ._factory_kwargs import NO_PINNED_MEMORY

        raise RuntimeError("Can't pin tensor constructed from a variable" if isinstance(data, Tensor) else NO_PINNED_MEMORY)
    if isinstance(data, memoryview):
        data = data.tolist()  # PyTorch reads a memoryview as a sequence of its elements
    elif isinstance(data, bytearray):
        data = list(data)  # and a bytearray as a sequence of Python ints (bytes are refused)
    if is_numpy_scalar(data):
        _refuse_numpy_bool_as_integer(data, dtype)
        data = np.asarray(data)  # a NumPy scalar keeps its dtype, as a 0-dim array does
        _refuse_numpy_scalars_as_uint64(dtype or _dtype_of_array(data))
    if dtype is None and _is_plain_scalar(data):
        t = _core._full(fill_value=data)
    elif type(data) in _SEQUENCES and (t := _from_plain_sequence(data, dtype)) is not None:
        pass
    elif isinstance(data, Tensor):
        warn_copy_construct("ferrograd.tensor(sourceTensor)")
        t = data.detach().clone() if getattr(type(data), "_fg_own_class", True) else _plain_copy(data)
        if dtype is not None:
            t = t._to_dtype(dtype)
    elif is_ndarray(data):
        from ._interop import convertible_dtype

        convertible_dtype(data)  # PyTorch's refusals of a foreign byte order or NumPy type
        t = _keep_array_strides(data, _from_array(data, dtype))
    else:
        data, dtype = _read_numpy_leaves(data, dtype)
        if _contains_tensor(data):
            if dtype is None:
                dtype = inferred_dtype(data)
            check_tensor_leaves(data, dtype)
            data = _unwrap_tensors(data)
        _check_nesting(data)
        arr = _infer_python_data(data, dtype)
        if dtype is not None:
            _check_fits(arr, dtype, "")
        elif arr.dtype.kind == "f":
            from . import get_default_dtype

            dtype = get_default_dtype()  # float16/bfloat16 defaults round once from float64
        elif arr.dtype.kind == "c" and _core.get_default_dtype() in _HALF_DEFAULTS:
            dtype = default_complex_dtype()
        t = _from_array(arr, dtype)
    return _finish(t, requires_grad, device)


def _is_plain_scalar(data) -> bool:
    """A Python number the core turns into a 0-dim tensor as `tensor` would: a bool, an
    int within int64, or a float when the default dtype is float32/float64 (a 16-bit
    default rounds once from the float64 value, which the array path does)."""
    kind = type(data)
    if kind is float:
        default = _core.get_default_dtype()
        if default is _core.float32 and math.isfinite(data) and abs(data) > _FLOAT32_MAX:
            return False  # rounds to inf, which the core's overflow-checked fill refuses
        return default in (_core.float32, _core.float64)
    return kind is bool or (kind is int and -(2**63) <= data < 2**63)


_SEQUENCES = (list, tuple)
_HALF_DEFAULTS = (_core.float16, _core.bfloat16)
_FLOAT32_MAX = 3.4028234663852886e38
# PyTorch's limit on the depth of nested sequences `tensor()` reads.
_MAX_NESTING = 128


def _check_nesting(data) -> None:
    """PyTorch's ValueError for sequences nested deeper than it reads, naming the type of
    the first one past the limit."""
    level, depth = data, 0
    while isinstance(level, _SEQUENCES) and level:
        if depth == _MAX_NESTING:
            raise ValueError(f"too many dimensions '{type(level).__name__}'")
        level, depth = level[0], depth + 1
    if isinstance(level, _SEQUENCES) and depth == _MAX_NESTING:
        raise ValueError(f"too many dimensions '{type(level).__name__}'")
    if depth and isinstance(level, str):
        # PyTorch reads a string met as a first element as one more sequence level
        raise ValueError("too many dimensions 'str'")
_NUMBERS = (bool, int, float)


def _from_plain_sequence(data, dtype) -> Tensor | None:
    """A rectangular nesting of lists of Python numbers of one kind (floats, optionally
    with ints among them; ints; bools) straight to a tensor, without NumPy; None for
    anything else (ragged or empty sequences, tensors or arrays inside, narrow dtypes),
    which the array path then handles with its errors."""
    shape = []
    level = data
    while type(level) in _SEQUENCES:
        if not level:
            return None
        if len(shape) == _MAX_NESTING:
            raise ValueError(f"too many dimensions '{type(level).__name__}'")
        shape.append(len(level))
        level = level[0]
    flat = data
    for depth in range(1, len(shape)):
        width = shape[depth]
        rows = []
        for row in flat:
            if type(row) not in _SEQUENCES or len(row) != width:
                return None
            rows.extend(row)
        flat = rows
    kinds = set(map(type, flat))
    if not kinds <= set(_NUMBERS):
        return None
    if float in kinds and bool not in kinds:
        dtype = dtype or _core.get_default_dtype()
        code = "f" if dtype is _core.float32 else "d" if dtype is _core.float64 else None
    elif kinds == {int} and dtype in (None, _core.int64):
        dtype, code = _core.int64, "q"
    elif kinds == {bool} and dtype in (None, _core.bool):
        dtype, code = _core.bool, "B"
    else:
        return None
    if code is None:
        return None
    try:
        raw = array(code, flat)
    except OverflowError:
        return None
    return _core._from_bytes(raw.tobytes(), shape, dtype)


def _unwrap_tensors(data):
    """Tensors inside a sequence: a one-element tensor is a number (whatever its dims);
    PyTorch reads the first element of a sequence as a number when it is a tensor, so a
    larger tensor there is an error."""
    if isinstance(data, Tensor):
        if data.numel() != 1:
            return data.tolist()
        warn_if_requires_grad(data)  # PyTorch reads the element as a number, with its warning
        return data.item()
    if isinstance(data, (list, tuple)):
        if data and isinstance(data[0], Tensor) and data[0].numel() != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return [_unwrap_tensors(d) for d in data]
    return data


@meta_aware
def as_tensor(data, *, dtype=None, device=None) -> Tensor:
    """`data` as a tensor, without copying when it already is a tensor of that dtype.

    Args:
        data: a tensor, number, (nested) sequence or NumPy array.
        dtype: the dtype; None to keep that of a tensor, or infer it.
        device: the device (`"cpu"`, or `"meta"` for a tensor without data).
    """
    if dtype is not None and not isinstance(dtype, _core.dtype):
        from ._factory_kwargs import dtype_argument

        dtype = dtype_argument("as_tensor", dtype)
    if isinstance(data, Tensor):
        return data if dtype is None or data.dtype is dtype else data._to_dtype(dtype)
    if hasattr(data, "__array__") and not isinstance(data, np.ndarray) and not is_numpy_scalar(data):
        data = np.asarray(data)  # a NumPy scalar is read as `tensor` reads it
    if isinstance(data, np.ndarray) and device in (None, "cpu"):
        shared = _shared_array(data)  # PyTorch shares the array's memory when it can
        if shared is not None and (dtype is None or shared.dtype is dtype):
            return shared
    return tensor(data, dtype=dtype, device=device)


def _shared_array(arr: np.ndarray) -> Tensor | None:
    from ._interop import from_numpy as share

    try:
        return share(arr)
    except (TypeError, RuntimeError):
        return None  # a dtype or layout the sharing path does not take: copied


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
    integral = name != "float16"
    if name in ("uint8", "uint16", "uint32") and arr.dtype.kind == "f" and not suffix:
        lo = 0  # a negative float is refused (a negative int wraps)
    if (integral and finite.size < arr.size) or (finite.size and (finite.min() < lo or finite.max() > hi)):
        type_name = cname if suffix else name
        raise RuntimeError(f"value cannot be converted to type {type_name} without overflow")


def _number_of(fill_value, op: str):
    """A 0-dim tensor given as `fill_value` stands for its number, as in PyTorch."""
    if isinstance(fill_value, Tensor):
        if fill_value.dim() != 0:
            raise TypeError(f"{op}(): argument 'fill_value' (position 2) must be Number, not Tensor")
        return fill_value.item()
    return scalar_argument(fill_value)


@meta_aware
def full(size, fill_value, *, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """A tensor of shape `size` with every element `fill_value`.

    Args:
        size: the shape, a sequence of ints.
        fill_value: the number to fill with.
        dtype: the dtype; None to infer it from `fill_value` (bool, int64 or the default
            float dtype).
        device: the device (`"cpu"`, or `"meta"` for a tensor without data).
        requires_grad: whether autograd records operations on the new tensor.
    """
    if isinstance(size, Tensor) or not isinstance(size, (tuple, list)) and not hasattr(size, "__len__"):
        raise TypeError(f"full(): argument 'size' (position 1) must be tuple of ints, not {type_name(size)}")
    if isinstance(dtype, QuantizedDtype):
        _refuse_quantized_dtype("full", dtype)
    fill_value = _number_of(fill_value, "full")
    if isinstance(fill_value, complex) and dtype is not None and not dtype.is_complex:
        from ._complex import real_number_of

        fill_value = real_number_of(fill_value, dtype)
    if isinstance(fill_value, complex):
        # PyTorch's `full` gives complex128 under a float64 default, else complex64 (also
        # under a 16-bit default, unlike `tensor`)
        dtype = dtype or (_core.complex128 if _core.get_default_dtype() is _core.float64 else _core.complex64)
        t = _core._full(*_sizes((size,), "full"), fill_value=0, dtype=dtype)
        t.fill_(fill_value)
        return _finish(t, requires_grad, device)
    t = _core._full(*_sizes((size,), "full"), fill_value=fill_value, dtype=dtype)
    check_fill(t, fill_value)
    return _finish(t, requires_grad, device)


@meta_aware
@_takes_size_keyword
def zeros(*size, dtype=None, device=None, requires_grad: bool = False, out=None) -> Tensor:
    """A tensor of shape `size` filled with zeros.

    Args:
        size: the shape, as several ints or one sequence of them.
        dtype: the dtype; None for the default float dtype.
        device: the device (`"cpu"`, or `"meta"` for a tensor without data).
        requires_grad: whether autograd records operations on the new tensor.
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    if isinstance(dtype, QuantizedDtype):
        _refuse_quantized_dtype("zeros", dtype)
    return _finish(_core._full(*_sizes(size, "zeros"), fill_value=0, dtype=dtype or _core.get_default_dtype()),
                   requires_grad, device)


@meta_aware
@_takes_size_keyword
def ones(*size, dtype=None, device=None, requires_grad: bool = False, out=None) -> Tensor:
    """A tensor of shape `size` filled with ones.

    Args:
        size: the shape, as several ints or one sequence of them.
        dtype: the dtype; None for the default float dtype.
        device: the device (`"cpu"`, or `"meta"` for a tensor without data).
        requires_grad: whether autograd records operations on the new tensor.
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    if isinstance(dtype, QuantizedDtype):
        _refuse_quantized_dtype("ones", dtype)
    return _finish(_core._full(*_sizes(size, "ones"), fill_value=1, dtype=dtype or _core.get_default_dtype()),
                   requires_grad, device)


# the keywords of PyTorch's `empty` its named parameters here leave to `**_kw`
_EMPTY_KEYWORDS = frozenset({"memory_format", "out", "layout", "pin_memory"})


@meta_aware
@_takes_size_keyword
def empty(*size, dtype=None, device=None, requires_grad: bool = False, **_kw) -> Tensor:
    """A tensor of shape `size` whose values are unspecified (ferrograd fills it with
    zeros).

    Args:
        size: the shape, as several ints or one sequence of them.
        dtype: the dtype; None for the default float dtype.
        device: the device (`"cpu"`, or `"meta"` for a tensor without data).
        requires_grad: whether autograd records operations on the new tensor.
        _kw: other keywords of PyTorch's: `memory_format` (`ferrograd.channels_last`
            gives NHWC strides); `layout`, `pin_memory` and `out` are ignored.
    """
    unknown = next((key for key in _kw if key not in _EMPTY_KEYWORDS), None)
    if unknown is not None:
        raise TypeError(f"empty() got an unexpected keyword argument '{unknown}'")
    if isinstance(dtype, QuantizedDtype):
        return _refuse_quantized_dtype("empty", dtype, _sizes(size, "empty"))
    memory_format = _kw.get("memory_format")
    if memory_format is not None:
        from ._memory_format import create, preserve_format

        if memory_format is preserve_format:  # a new tensor has no layout to preserve
            raise RuntimeError("unsupported memory format Preserve")

        return fill_uninitialized(create(_sizes(size), memory_format, requires_grad,
                                         lambda shape: zeros(shape, dtype=dtype, device=device)))
    return fill_uninitialized(_finish(_core._full(*_sizes(size, "empty"), fill_value=0,
                                                  dtype=dtype or _core.get_default_dtype()),
                                      requires_grad,
                                      device))


@meta_aware
def zeros_like(input: Tensor, *, dtype=None, layout=None, device=None, requires_grad: bool = False,
               memory_format=None) -> Tensor:
    """Zeros with the shape (and by default the dtype) of `input`.

    Args:
        input: the tensor whose shape is copied.
        dtype: the dtype; None for that of `input`.
        device: the device (`"cpu"`, or `"meta"` for a tensor without data).
        layout: ignored (only strided tensors exist).
        requires_grad: whether autograd records operations on the new tensor.
        memory_format: the layout (default: channels last for a channels-last input).
    """
    if getattr(type(input), "_fg_quantized", False):
        from ._quantized import quantized_like

        return quantized_like(input, "zeros_like", 0, dtype)
    need_tensor("zeros_like", "input", 1, input)
    if memory_format is None and _is_row_major(input):
        return _finish(_core._full(*input.shape, fill_value=0, dtype=dtype or input.dtype), requires_grad, device)
    from ._memory_format import create_like

    return create_like(input, memory_format, requires_grad,
                       lambda shape: zeros(shape, dtype=dtype or input.dtype, device=device), "zeros_like")


@meta_aware
def ones_like(input: Tensor, *, dtype=None, layout=None, device=None, requires_grad: bool = False,
               memory_format=None) -> Tensor:
    """Ones with the shape (and by default the dtype) of `input`.

    Args:
        input: the tensor whose shape is copied.
        dtype: the dtype; None for that of `input`.
        device: the device (`"cpu"`, or `"meta"` for a tensor without data).
        layout: ignored (only strided tensors exist).
        requires_grad: whether autograd records operations on the new tensor.
        memory_format: the layout (default: channels last for a channels-last input).
    """
    if getattr(type(input), "_fg_quantized", False):
        from ._quantized import quantized_like

        return quantized_like(input, "ones_like", 1, dtype)
    need_tensor("ones_like", "input", 1, input)
    if memory_format is None and _is_row_major(input):
        return _finish(_core._full(*input.shape, fill_value=1, dtype=dtype or input.dtype), requires_grad, device)
    from ._memory_format import create_like

    return create_like(input, memory_format, requires_grad,
                       lambda shape: ones(shape, dtype=dtype or input.dtype, device=device), "ones_like")


@meta_aware
def empty_like(input: Tensor, *, dtype=None, layout=None, device=None, requires_grad: bool = False,
               memory_format=None) -> Tensor:
    """A tensor with the shape (and by default the dtype) of `input`, values unspecified
    (zeros here).

    Args:
        input: the tensor whose shape is copied.
        dtype: the dtype; None for that of `input`.
        device: the device (`"cpu"`, or `"meta"` for a tensor without data).
        layout: ignored (only strided tensors exist).
        requires_grad: whether autograd records operations on the new tensor.
        memory_format: the layout (default: channels last for a channels-last input).
    """
    if getattr(type(input), "_fg_quantized", False):
        from ._quantized import quantized_like

        return quantized_like(input, "empty_like", None, dtype)
    need_tensor("empty_like", "input", 1, input)
    if memory_format is None and _is_row_major(input):
        return fill_uninitialized(
            _finish(_core._full(*input.shape, fill_value=0, dtype=dtype or input.dtype), requires_grad, device))
    from ._memory_format import create_like

    return fill_uninitialized(create_like(input, memory_format, requires_grad,
                                          lambda shape: zeros(shape, dtype=dtype or input.dtype, device=device),
                                          "empty_like"))


@meta_aware
def full_like(input: Tensor, fill_value, *, dtype=None, layout=None, device=None, requires_grad: bool = False,
               memory_format=None) -> Tensor:
    """A tensor with the shape (and by default the dtype) of `input`, every element
    `fill_value`.

    Args:
        input: the tensor whose shape is copied.
        fill_value: the number to fill with.
        dtype: the dtype; None for that of `input`.
        device: the device (`"cpu"`, or `"meta"` for a tensor without data).
        layout: ignored (only strided tensors exist).
        requires_grad: whether autograd records operations on the new tensor.
        memory_format: the layout (default: channels last for a channels-last input).
    """
    fill_value = _number_of(fill_value, "full_like")
    if memory_format is None and _is_row_major(input):
        return full(tuple(input.shape), fill_value, dtype=dtype or input.dtype, device=device,
                    requires_grad=requires_grad)
    from ._memory_format import create_like

    return create_like(input, memory_format, requires_grad,
                       lambda shape: full(shape, fill_value, dtype=dtype or input.dtype, device=device),
                       "full_like")


@meta_aware
@_takes_size_keyword
def rand(*size, generator=None, dtype=None, layout=None, device=None, requires_grad: bool = False,
               memory_format=None, pin_memory=False) -> Tensor:
    """A tensor of shape `size` with samples uniform in [0, 1); the same values as
    PyTorch's for the same seed.

    Args:
        size: the shape, as several ints or one sequence of them.
        generator: the random generator to draw from; None for the default one.
        dtype: the dtype; None for the default float dtype.
        device: the device (`"cpu"`, or `"meta"` for a tensor without data).
        layout: ignored (only strided tensors exist).
        requires_grad: whether autograd records operations on the new tensor.
        memory_format: ignored (the result is contiguous).
        pin_memory: False or None (there is no accelerator to pin memory for).
    """
    if pin_memory:
        refuse_pinning("rand", pin_memory)
    return _finish(_drawn(size, generator, dtype, False), requires_grad, device)


def _drawn(size, generator, dtype, normal: bool) -> Tensor:
    """Uniform or normal samples of shape `size` from `generator` (the default one when
    None, without entering its context)."""
    shape = list(_sizes(size, "randn" if normal else "rand"))
    dtype = python_type_dtype(dtype) or _core.get_default_dtype()
    if generator is None:
        return _random_values(shape, dtype, normal)
    from ._random import using

    with using(generator):
        return _random_values(shape, dtype, normal)


def _random_values(shape: list[int], dtype, normal: bool) -> Tensor:
    """`_core._rand`; a complex dtype draws its (re, im) pairs as PyTorch does (normal
    parts with variance 1/2 each, so that |z|² has mean 1)."""
    if normal and not dtype.is_floating_point and not dtype.is_complex and 0 in shape:
        return empty(shape, dtype=dtype)  # PyTorch's normal kernel never runs on no elements: no dtype refusal
    if not dtype.is_complex:
        return _core._rand(shape, dtype, normal)
    pairs = _core._rand([*shape, 2], dtype.to_real(), normal)
    if normal:
        pairs = pairs * 0.5**0.5
    return _core._complex_from_pairs(pairs)


@meta_aware
@_takes_size_keyword
def randn(*size, generator=None, dtype=None, layout=None, device=None, requires_grad: bool = False,
               memory_format=None, pin_memory=False) -> Tensor:
    """A tensor of shape `size` with samples of the standard normal distribution; the
    same values as PyTorch's for the same seed.

    Args:
        size: the shape, as several ints or one sequence of them.
        generator: the random generator to draw from; None for the default one.
        dtype: the dtype; None for the default float dtype.
        device: the device (`"cpu"`, or `"meta"` for a tensor without data).
        layout: ignored (only strided tensors exist).
        requires_grad: whether autograd records operations on the new tensor.
        memory_format: ignored (the result is contiguous).
        pin_memory: False or None (there is no accelerator to pin memory for).
    """
    if pin_memory:
        refuse_pinning("randn", pin_memory)
    return _finish(_drawn(size, generator, dtype, True), requires_grad, device)


@meta_aware
def rand_like(input: Tensor, *, generator=None, dtype=None, layout=None, device=None,
               requires_grad: bool = False, memory_format=None, pin_memory=False) -> Tensor:
    """Samples uniform in [0, 1) with the shape (and by default the dtype) of `input`.

    Args:
        input: the tensor whose shape is copied.
        generator: the random-number generator; None for the default one.
        dtype: the dtype; None for that of `input`.
        device: the device (`"cpu"`, or `"meta"` for a tensor without data).
        layout: ignored (only strided tensors exist).
        requires_grad: whether autograd records operations on the new tensor.
        memory_format: the layout (default: channels last for a channels-last input).
        pin_memory: False or None (there is no accelerator to pin memory for).
    """
    if pin_memory:
        refuse_pinning("rand_like", pin_memory)
    return _sampled_like(rand, "rand_like", input, generator, dtype, device, requires_grad, memory_format)


# the in-place sampler of each `*_like` (PyTorch's error for a sparse input names it)
_SPARSE_FILLS = {"rand_like": "uniform_", "randn_like": "normal_", "randint_like": "random_.from"}


def _sampled_like(draw, name: str, input: Tensor, generator, dtype, device, requires_grad: bool,
                  memory_format, fill=None) -> Tensor:
    """`draw` (`rand` or `randn`) shaped like `input`, in its memory format by default;
    with `fill`, a result laid out otherwise than row-major is made empty and filled in
    place by `fill(result, generator)` (PyTorch's `empty_like(...).normal_()`)."""
    compressed = getattr(type(input), "_fg_compressed", False)
    if compressed and name == "randn_like":
        from ._sparse_csr import derived  # PyTorch's CSR normal_ draws the stored values

        values = input.values()
        drawn = draw(tuple(values.shape), generator=generator, dtype=python_type_dtype(dtype) or values.dtype)
        return derived(input, drawn.requires_grad_(requires_grad))
    if type(input) is not Tensor and (input.is_sparse or compressed):
        from ._sparse_strided import no_kernel

        # PyTorch fills an empty_like in place
        raise no_kernel(_SPARSE_FILLS[name], "SparseCsrCPU" if compressed else "SparseCPU")
    dtype = python_type_dtype(dtype) or input.dtype
    if memory_format is None and _is_row_major(input):
        return draw(tuple(input.shape), generator=generator, dtype=dtype, device=device, requires_grad=requires_grad)
    from ._memory_format import create_like

    if fill is None:
        return create_like(input, memory_format, requires_grad,
                           lambda shape: draw(shape, generator=generator, dtype=dtype, device=device), name)
    out = create_like(input, memory_format, False, lambda shape: empty(shape, dtype=dtype, device=device), name)
    fill(out, generator)
    return _finish(out, requires_grad)


@meta_aware
def randn_like(input: Tensor, *, generator=None, dtype=None, layout=None, device=None,
               requires_grad: bool = False, memory_format=None, pin_memory=False) -> Tensor:
    """Standard normal samples with the shape (and by default the dtype) of `input`.

    Args:
        input: the tensor whose shape is copied.
        generator: the random-number generator; None for the default one.
        dtype: the dtype; None for that of `input`.
        device: the device (`"cpu"`, or `"meta"` for a tensor without data).
        layout: ignored (only strided tensors exist).
        requires_grad: whether autograd records operations on the new tensor.
        memory_format: the layout (default: channels last for a channels-last input).
        pin_memory: False or None (there is no accelerator to pin memory for).
    """
    if pin_memory:
        refuse_pinning("randn_like", pin_memory)
    # a result that is not contiguous draws one normal at a time, as PyTorch's normal_
    return _sampled_like(randn, "randn_like", input, generator, dtype, device, requires_grad, memory_format,
                         lambda out, generator: out.normal_(generator=generator))


@meta_aware
def randint(low=_UNGIVEN, high=_UNGIVEN, size=_UNGIVEN, *, generator=None, dtype=None, device=None,
            requires_grad: bool = False, pin_memory=False) -> Tensor:
    """A tensor of shape `size` with integers drawn uniformly from [low, high).

    Args:
        low: the lowest value (default 0 when `high` is omitted: `randint(high, size)`).
        high: one above the highest value.
        size: the shape, a tuple of ints.
        generator: the random generator to draw from; None for the default one.
        dtype: the dtype; None for int64.
        device: the device (`"cpu"`, or `"meta"` for a tensor without data).
        requires_grad: whether autograd records operations on the new tensor.
        pin_memory: False or None (there is no accelerator to pin memory for).
    """
    from ._parser_check import signature_error
    from ._torch_signatures import SIGNATURES

    if pin_memory:
        refuse_pinning("randint", pin_memory)
    bounds = tuple(x for x in (low, high, size) if x is not _UNGIVEN)
    error = signature_error("randint", SIGNATURES["randint"][1], bounds, {})
    if error is not None:
        raise error
    low, high, size = (0, *bounds) if len(bounds) == 2 else bounds
    from ._random_ints import random_from_to

    dtype = python_type_dtype(dtype) or _core.int64
    if generator is None:
        t = random_from_to(int(low), int(high), list(size), dtype)
    else:
        from ._random import using

        with using(generator):
            t = random_from_to(int(low), int(high), list(size), dtype)
    return _finish(t, requires_grad, device)


@meta_aware
def arange(start=_UNGIVEN, end=_UNGIVEN, step=_UNGIVEN, *, dtype=None, device=None,
           requires_grad: bool = False) -> Tensor:
    """A 1-D tensor of the values from `start` up to `end` (excluded), `step` apart.

    Args:
        start: the first value (default 0); alone, it is taken as `end`.
        end: the bound, excluded.
        step: the gap between values (default 1).
        dtype: the dtype; None for int64 when all arguments are ints, else the default
            float dtype.
        device: the device (`"cpu"`, or `"meta"` for a tensor without data).
        requires_grad: whether autograd records operations on the new tensor.
    """
    if start is _UNGIVEN and end is _UNGIVEN:
        raise TypeError('arange() missing 1 required positional arguments: "end"')
    _refuse_non_numbers("arange", [x for x in (start, end, step) if x is not _UNGIVEN])
    start, end, step = (None if x is _UNGIVEN else x for x in (start, end, step))
    if isinstance(dtype, QuantizedDtype):
        _refuse_quantized_dtype("arange", dtype)
    if start is None or end is None:
        if step is not None:  # PyTorch's arange(end) form has no step
            raise TypeError("arange() received an invalid combination of arguments - got a step without both "
                            "start and end, but expected one of:\n * (Number end, *, ...)\n"
                            " * (Number start, Number end, Number step = 1, *, ...)")
        only = end if start is None else start
        refuse_dimensioned_bounds("arange", ("end", only))
        start, end = 0, only
    else:
        refuse_dimensioned_bounds("arange", ("start", start), ("end", end), ("step", step))
    step = 1 if step is None else step
    start, end, step = (x.item() if isinstance(x, Tensor) and x.dim() == 0 else x for x in (start, end, step))
    start, end, step = (_real_bound(x) for x in (start, end, step))
    if dtype is _core.bool:
        raise NotImplementedError("\"arange_cpu\" not implemented for 'Bool'")
    integral = dtype is not None and not (dtype.is_floating_point or dtype.is_complex)
    if integral:
        _check_integer_range(start, end, step, dtype)
        if int(step) == 0 and dtype in (_core.int32, _core.int16, _core.int8, _core.uint8):
            # a narrower integer arange counts its elements in double and steps by the
            # step converted to an integer: 0, so every element is the start's
            count = math.ceil((end - start) / step)
            first = _core._full(count, fill_value=int(start), dtype=_core.int64)._to_dtype(dtype)
            return _finish(first, requires_grad, device)
    if _takes_unsigned_bounds(dtype, (start, end, step)):
        start, end, step = (float(x) if isinstance(x, int) and _INT64_MAX < x < 2**64 else x for x in (start, end, step))
    return _finish(_core._arange(start, end, step, dtype), requires_grad, device)


_INT64_MAX = 2**63 - 1


def _takes_unsigned_bounds(dtype, bounds) -> bool:
    """Whether a bound past int64 passes: PyTorch reads such an int (below 2**64) as an
    unsigned Scalar, which a floating arange converts to double, and which the dtypes
    without an arange kernel never convert (they raise NotImplementedError first)."""
    if dtype is None:
        return any(isinstance(x, float) for x in bounds)
    return dtype.is_floating_point or dtype.is_complex or dtype in (_core.uint16, _core.uint32, _core.uint64)


def _check_integer_range(start, end, step, dtype) -> None:
    """PyTorch's checks of an integer `arange`, in its order: a zero (or NaN) step, the
    bounds' order against the step's sign (on the numbers as given), an infinite step,
    which does not convert; an int64 step that truncates to 0 is its binding's
    ValueError (the narrower dtypes take it)."""
    if step == 0 or math.isnan(step):
        raise RuntimeError("step must be nonzero")
    if (step > 0 and end < start) or (step < 0 and end > start):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    if step in (math.inf, -math.inf):
        raise RuntimeError("value cannot be converted to type int64_t without overflow")
    if int(step) == 0 and dtype is _core.int64:
        raise ValueError("step must be nonzero")  # the step is converted to the integer dtype first


def _refuse_non_numbers(fn: str, bounds: list) -> None:
    """PyTorch's parser takes numbers (and tensors) only: one other value is named as
    the end, several make an invalid combination."""
    if all(isinstance(x, (Tensor, numbers.Number, np.bool_)) for x in bounds):
        return
    if len(bounds) == 1:
        raise TypeError(f"{fn}(): argument 'end' (position 1) must be Number, not {type_name(bounds[0])}")
    got = ", ".join(type_name(x) for x in bounds)
    raise TypeError(f"{fn}() received an invalid combination of arguments - got ({got}), but expected one of:\n"
                    " * (Number end, *, Tensor out = None, ferrograd.dtype dtype = None, ...)\n"
                    " * (Number start, Number end, *, ferrograd.dtype dtype = None, ...)\n"
                    " * (Number start, Number end, Number step = 1, *, Tensor out = None, ...)\n")


def _real_bound(x):
    """A complex bound read as PyTorch reads it into a double: its real part, when it
    has no imaginary part."""
    if isinstance(x, complex):
        if x.imag != 0:
            raise RuntimeError("value cannot be converted to type double without overflow")
        return x.real
    return x


def refuse_dimensioned_bounds(fn: str, *named) -> None:
    """PyTorch's TypeError for a tensor of one or more dims where a number is expected
    (a 0-dim tensor reads as one); `named` holds (name, value) by position."""
    for position, (name, value) in enumerate(named, 1):
        if isinstance(value, Tensor) and value.dim() != 0:
            raise TypeError(f"{fn}(): argument '{name}' (position {position}) must be Number, not Tensor")


@meta_aware
def linspace(start, end, steps, *, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """A 1-D tensor of `steps` values evenly spaced from `start` to `end`, both
    included.

    Args:
        start: the first value.
        end: the last value.
        steps: the number of values.
        dtype: the dtype; None for the default float dtype.
        device: the device (`"cpu"`, or `"meta"` for a tensor without data).
        requires_grad: whether autograd records operations on the new tensor.
    """
    need_int("linspace", "steps", 3, steps)
    start, end = _endpoints("linspace", start, end, steps, dtype)
    refuse_complex32("linspace_cpu", dtype)
    check_steps(start, end, int(steps), dtype)
    if isinstance(start, complex) or isinstance(end, complex) or (dtype is not None and dtype.is_complex):
        return _finish(_complex_linspace(complex(start), complex(end), int(steps), dtype), requires_grad, device)
    start, end = few_steps_bounds(start, end, int(steps), dtype)
    return _finish(_core._linspace(start, end, int(steps), dtype), requires_grad, device)


_MANY_STEPS = 1 << 31


def check_steps(start, end, steps: int, dtype) -> None:
    """`linspace`/`logspace`'s refusals of a step count, before anything is computed: a
    negative count, and one whose result cannot be allocated, with PyTorch's allocation
    error (found by allocating it: the core computes in double first, and the complex
    kernels one value at a time, so it would ask for more or take hours)."""
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    if steps >= _MANY_STEPS:
        if dtype is None:
            complex_bounds = isinstance(start, complex) or isinstance(end, complex)
            dtype = default_complex_dtype() if complex_bounds else _core.get_default_dtype()
        empty(steps, dtype=dtype)


def few_steps_bounds(start, end, steps: int, dtype) -> tuple:
    """The bounds an integer `linspace`/`logspace` of fewer than two steps reads: PyTorch's
    kernel converts none for no step and only `start` for one, so the others stand in."""
    if steps > 1 or dtype is None or dtype.is_floating_point or dtype.is_complex:
        return start, end
    if not all(isinstance(v, (int, float)) for v in (start, end)):
        return start, end  # the core's TypeError names what was passed
    return (0, 0) if steps == 0 else (start, start)


def _complex_linspace(start: complex, end: complex, steps: int, dtype) -> Tensor:
    """A complex `linspace`: PyTorch's kernel spaces the real and imaginary parts alike,
    each as a real `linspace` of the matching precision."""
    if dtype is None:
        dtype = _core.complex128 if _core.get_default_dtype() is _core.float64 else _core.complex64
    part = dtype.to_real()
    real = _core._linspace(start.real, end.real, steps, part)
    imag = _core._linspace(start.imag, end.imag, steps, part)
    return _core._complex(real, imag)


def _endpoints(fn: str, start, end, steps, dtype) -> tuple:
    """`linspace`/`logspace` bounds as numbers; tensors must be 0-dim, as in PyTorch,
    whose parser takes no NumPy array, and a complex bound needs a complex `dtype`."""
    if is_ndarray(start) or is_ndarray(end):
        from ._parser_check import parser_error

        error = parser_error(fn, (start, end, steps), {})
        if error is not None:
            raise error
    both = isinstance(start, Tensor) and isinstance(end, Tensor)
    if both and (start.dim() != 0 or end.dim() != 0):  # PyTorch's (Tensor, Tensor) overload names both
        raise RuntimeError(f"{fn} only supports 0-dimensional start and end tensors, but got start with "
                           f"{start.dim()} dimension(s) and end with {end.dim()} dimension(s).")
    for name, x in (("start", start), ("end", end)):
        if isinstance(x, Tensor) and x.dim() != 0:
            raise RuntimeError(f"{fn} only supports 0-dimensional start and end tensors, but got {name} with "
                               f"{x.dim()} dimension(s).")
    start, end = _number(start), _number(end)
    if (isinstance(start, complex) or isinstance(end, complex)) and dtype is not None and not dtype.is_complex:
        from ._dtype_names import cpp_name, scalar_name

        raise RuntimeError(f"torch.{fn}(): inferred dtype {cpp_name(default_complex_dtype())} can't be safely "
                           f"cast to passed dtype {scalar_name(dtype)}")
    return start, end


def _number(x):
    """A 0-dim tensor's value; Python numbers as they are."""
    return x.item() if isinstance(x, Tensor) else x


_NO_COLUMNS = object()  # eye(n) without m (an explicit None is PyTorch's TypeError)


@meta_aware
def eye(n, m=_NO_COLUMNS, *, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """A 2-D tensor with ones on the main diagonal and zeros elsewhere.

    Args:
        n: the number of rows.
        m: the number of columns; None for `n`.
        dtype: the dtype; None for the default float dtype.
        device: the device (`"cpu"`, or `"meta"` for a tensor without data).
        requires_grad: whether autograd records operations on the new tensor.
    """
    if m is None:
        given = "int" if isinstance(n, int) and not isinstance(n, bool) else type(n).__name__
        raise TypeError(
            f"eye() received an invalid combination of arguments - got ({given}, NoneType), but expected one of:\n"
            " * (int n, *, Tensor out = None, ferrograd.dtype dtype = None, ferrograd.layout layout = None, "
            "ferrograd.device device = None, bool pin_memory = False, bool requires_grad = False)\n"
            " * (int n, int m, *, Tensor out = None, ferrograd.dtype dtype = None, ferrograd.layout layout = None, "
            "ferrograd.device device = None, bool pin_memory = False, bool requires_grad = False)\n")
    if m is _NO_COLUMNS:
        m = None
    refuse_complex32("eye", dtype)
    if dtype is not None and isinstance(dtype, _core.dtype) and dtype.is_complex:
        return _finish(_core._eye(n, m, dtype.to_real())._to_dtype(dtype), requires_grad, device)
    return _finish(_core._eye(n, m, dtype), requires_grad, device)
