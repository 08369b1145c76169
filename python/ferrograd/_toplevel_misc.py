"""Small top-level names of PyTorch's: math constants, `typename`, `is_storage`,
aliases (`ger`, `row_stack`, `adjoint`, `detach`), `asarray`, `frombuffer`, `angle`,
top-level in-place forms, the `*_copy` splits, and the global switches (determinism,
warn-always, float32 matmul precision, flush-denormal, anomaly mode), `OutOfMemoryError`."""

from __future__ import annotations

import builtins
import math
import operator
import warnings
from typing import Any

from . import _core
from ._core import Tensor
from ._dtype_names import scalar_name
from ._numpy import is_numpy_scalar


class OutOfMemoryError(RuntimeError):
    """PyTorch's exception for a device allocator out of memory (its CPU allocator, as
    ferrograd's, raises a plain RuntimeError)."""


OutOfMemoryError.__module__ = "ferrograd"

__all__ = [
    "OutOfMemoryError",
    "SymBool",
    "SymFloat",
    "SymInt",
    "adjoint",
    "angle",
    "are_deterministic_algorithms_enabled",
    "asarray",
    "compiled_with_cxx11_abi",
    "detach",
    "e",
    "frombuffer",
    "gcd_",
    "ger",
    "get_deterministic_debug_mode",
    "get_float32_matmul_precision",
    "has_lapack",
    "has_mkl",
    "has_openmp",
    "has_spectral",
    "i0_",
    "inf",
    "init_num_threads",
    "is_anomaly_check_nan_enabled",
    "is_deterministic_algorithms_warn_only_enabled",
    "is_distributed",
    "is_storage",
    "is_vulkan_available",
    "is_warn_always_enabled",
    "lcm_",
    "ldexp_",
    "logit_",
    "nan",
    "newaxis",
    "pi",
    "row_stack",
    "set_anomaly_enabled",
    "set_deterministic_debug_mode",
    "set_float32_matmul_precision",
    "set_flush_denormal",
    "set_warn_always",
    "sinc_",
    "split_copy",
    "split_with_sizes_copy",
    "typename",
    "unbind_copy",
    "use_deterministic_algorithms",
]

# What this build offers, under PyTorch's names: linear algebra and FFTs of its own, no
# MKL and no OpenMP (its thread pool is its own)
has_lapack = True
has_spectral = True
has_mkl = False
has_openmp = False


class _Symbolic:
    """A symbolic number of PyTorch's traced shapes. Sizes here are always concrete, so
    none is ever made by ferrograd; the classes exist for `isinstance` checks."""

    def __init__(self, node) -> None:
        self.node = node

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.node!r})"


class SymInt(_Symbolic):
    """PyTorch's symbolic int (never made here: every size is a Python int).

    Args:
        node: the symbolic expression it stands for.
    """


class SymFloat(_Symbolic):
    """PyTorch's symbolic float (never made here).

    Args:
        node: the symbolic expression it stands for.
    """


class SymBool(_Symbolic):
    """PyTorch's symbolic bool (never made here).

    Args:
        node: the symbolic expression it stands for.
    """


def is_distributed(input: Tensor) -> builtins.bool:
    """False: no tensor is distributed across processes here.

    Args:
        input: the tensor asked about.
    """
    if not isinstance(input, Tensor):
        raise TypeError(f"is_distributed(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    return False


def compiled_with_cxx11_abi() -> builtins.bool:
    """True, as PyTorch's wheels report (there is no C++ ABI to choose here)."""
    return True


def is_vulkan_available(*args: Any, **kwargs: Any) -> builtins.bool:
    """False: there is no Vulkan backend. (PyTorch's binding ignores any arguments.)

    Args:
        args: ignored.
        kwargs: ignored.
    """
    return False


def init_num_threads() -> None:
    """Nothing to set up: the thread pool starts on first use."""


e = math.e
pi = math.pi
inf = math.inf
nan = math.nan
newaxis = None


def _need_bool(fn_message: str, value) -> builtins.bool:
    if not isinstance(value, builtins.bool):
        raise RuntimeError(f"{fn_message} expects a bool, but got {type(value).__name__}")  # noqa: TRY004  (PyTorch raises RuntimeError)
    return value


# ---- names and predicates ----------------------------------------------------------


def typename(obj, /) -> str:
    """The type name of `obj`: a tensor's legacy type (`ferrograd.FloatTensor`), else the
    qualified name of the object (a class or function) or of its class, without the
    `builtins` module.

    Args:
        obj: any object.
    """
    if isinstance(obj, Tensor):
        return obj.type()
    module = getattr(obj, "__module__", "") or ""
    if hasattr(obj, "__qualname__"):
        qualname = obj.__qualname__
    elif hasattr(obj, "__name__"):
        qualname = obj.__name__
    else:
        module = type(obj).__module__ or ""
        qualname = type(obj).__qualname__
    if module in ("", "builtins"):
        return qualname
    return f"{module}.{qualname}"


def is_storage(obj, /) -> builtins.bool:
    """Whether `obj` is a storage (typed or untyped).

    Args:
        obj: any object.
    """
    from .storage import TypedStorage, UntypedStorage

    return isinstance(obj, (TypedStorage, UntypedStorage))


# ---- aliases -----------------------------------------------------------------------


def detach(input: Tensor) -> Tensor:
    """A new tensor sharing `input`'s data, outside the autograd graph.

    Args:
        input: the tensor.
    """
    if not isinstance(input, Tensor):
        raise TypeError(f"detach(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    return input.detach()


def adjoint(input: Tensor) -> Tensor:
    """The conjugate transpose of the last two dimensions (a view; the transpose for
    real tensors).

    Args:
        input: a tensor of at least 2 dimensions.
    """
    return input.adjoint()


def ger(input: Tensor, vec2: Tensor, *, out=None) -> Tensor:
    """The outer product of two vectors (an alias of `outer`).

    Args:
        input: the first vector.
        vec2: the second vector.
        out: an optional tensor the result is written into and returned.
    """
    from . import outer  # the top-level function, which takes out=

    return outer(input, vec2, out=out)


def row_stack(tensors, *, out=None) -> Tensor:
    """Stacks tensors row-wise (an alias of `vstack`).

    Args:
        tensors: a sequence of tensors.
        out: an optional tensor the result is written into and returned.
    """
    from . import vstack  # the top-level function, which takes out=

    return vstack(tensors, out=out)


# ---- angle -------------------------------------------------------------------------


def angle(input: Tensor, *, out=None) -> Tensor:
    """The argument of each element: for real numbers pi where negative, 0 elsewhere,
    NaN for NaN; integers give the default float dtype. Its gradient is zero.

    Args:
        input: a real or complex tensor.
        out: an optional tensor the result is written into and returned.
    """
    from . import get_default_dtype

    if out is None and isinstance(input, Tensor) and input.dtype.is_complex:
        return _core._complex_angle(input)
    from ._float8_unary import refuse_unary

    refuse_unary("angle", input)
    from ._grad_mode import no_grad

    if out is not None:
        from ._out import write_out

        if not isinstance(out, Tensor):
            raise TypeError(f"angle(): argument 'out' must be Tensor, not {type(out).__name__}")
        if (input.requires_grad or getattr(out, "requires_grad", False)) and _core.is_grad_enabled():
            raise RuntimeError(
                "angle(): functions with out=... arguments don't support automatic differentiation, "
                "but one of the arguments requires grad."
            )
        with no_grad():
            return write_out(angle(input), out)
    dtype = input.dtype if input.dtype.is_floating_point else get_default_dtype()
    with no_grad():
        x = input.detach().to(dtype)
        values = (x < 0).to(dtype) * pi
        values = values.masked_fill(x.isnan(), nan)
    if input.requires_grad:
        from .nn._composite_nodes import record

        # a real number's angle is piecewise constant: PyTorch's gradient is zeros
        return record("AngleBackward0", (input,), values, (("self", input),), _angle_backward)
    return values


def _angle_backward(grads, saved, needs):
    return (saved[0].new_zeros(saved[0].shape),)


def _tensor_angle(self: Tensor) -> Tensor:
    """The argument of each element (pi for negative reals, 0 otherwise, NaN for NaN)."""
    return angle(self)


_tensor_angle.__name__ = _tensor_angle.__qualname__ = "angle"
Tensor.angle = _tensor_angle  # type: ignore[attr-defined]


# ---- top-level in-place forms ------------------------------------------------------


def sinc_(input: Tensor) -> Tensor:
    """In-place `sinc`.

    Args:
        input: the floating tensor to overwrite.
    """
    return input.sinc_()


def i0_(input: Tensor) -> Tensor:
    """In-place `i0`.

    Args:
        input: the floating tensor to overwrite.
    """
    return input.i0_()


def gcd_(input: Tensor, other: Tensor) -> Tensor:
    """In-place `gcd`.

    Args:
        input: the integer tensor to overwrite.
        other: the other integers.
    """
    return input.gcd_(other)


def lcm_(input: Tensor, other: Tensor) -> Tensor:
    """In-place `lcm`.

    Args:
        input: the integer tensor to overwrite.
        other: the other integers.
    """
    return input.lcm_(other)


def ldexp_(input: Tensor, other: Tensor) -> Tensor:
    """In-place `ldexp`: input * 2**other.

    Args:
        input: the floating tensor to overwrite.
        other: the exponents.
    """
    return input.ldexp_(other)


def logit_(input: Tensor, eps: float | None = None) -> Tensor:
    """In-place `logit`.

    Args:
        input: the floating tensor to overwrite.
        eps: clamp the input to [eps, 1 - eps] first; None for no clamp.
    """
    return input.logit_(eps)


# ---- copying splits ----------------------------------------------------------------


def _copies(pieces, node: str, out=None, kernel: str = "") -> tuple | None:
    if out is not None:
        _copy_into(pieces, out, kernel)
        return None
    out = []
    for piece in pieces:
        copy = piece.clone()
        if copy.requires_grad:
            copy = _core._named_node(copy, node)
        out.append(copy)
    return tuple(out)


def _copy_into(pieces, out, kernel: str) -> None:
    """PyTorch's `out=` of the copying splits: a list of as many tensors, each written
    with `copy_` (so broadcast, cast, never resized); the call returns None."""
    if not isinstance(out, (tuple, list)) or not all(isinstance(o, Tensor) for o in out):
        name = kernel.split("_copy")[0] + "_copy"
        raise TypeError(f"{name}(): argument 'out' must be tuple of Tensors, not {type(out).__name__}")
    if len(out) != len(pieces):
        raise RuntimeError(f"{kernel} expected an out= argument of size {len(pieces)}, got size {len(out)}")
    for o, piece in zip(out, pieces):
        o.copy_(piece.detach())


def split_copy(input: Tensor, split_size: int, dim: int = 0, *, out=None) -> tuple | None:
    """`split` into pieces of `split_size`, each a copy rather than a view.

    Args:
        input: the tensor to split.
        split_size: the size of each piece (the last may be smaller).
        dim: the dimension split along (default 0).
        out: a list of tensors, one a piece, to copy the pieces into (the call then
            returns None).
    """
    if isinstance(split_size, Tensor) and (split_size.dtype.is_floating_point or split_size.dtype.is_complex):
        # PyTorch's int parser, unlike Tensor.split's int(), takes only an integer tensor
        raise TypeError("split_copy(): argument 'split_size' (position 2) must be int, not Tensor")
    if is_numpy_scalar(split_size):  # an int to PyTorch's parser, unlike to Tensor.split
        split_size = operator.index(split_size)
    return _copies(input.split(split_size, dim), "SplitBackward0_copy", out, "split_copy_Tensor_out()")


def split_with_sizes_copy(input: Tensor, split_sizes, dim: int = 0, *, out=None) -> tuple | None:
    """`split_with_sizes`, each piece a copy rather than a view.

    Args:
        input: the tensor to split.
        split_sizes: the size of each piece, summing to the dimension's size.
        dim: the dimension split along (default 0).
        out: a list of tensors, one a piece, to copy the pieces into (the call then
            returns None).
    """
    return _copies(input.split_with_sizes(list(split_sizes), dim), "SplitWithSizesBackward0_copy", out,
                   "split_with_sizes_copy_out")


def unbind_copy(input: Tensor, dim: int = 0, *, out=None) -> tuple | None:
    """`unbind`, each slice a copy rather than a view.

    Args:
        input: the tensor to unbind.
        dim: the dimension removed (default 0).
        out: a list of tensors, one a slice, to copy the slices into (the call then
            returns None).
    """
    return _copies(input.unbind(dim), "UnbindBackward0_copy", out, "unbind_copy_int_out")


# ---- global switches ---------------------------------------------------------------

_state = {
    "deterministic": False,
    "warn_only": False,
    "warn_always": False,
    "matmul_precision": "highest",
}


def use_deterministic_algorithms(mode: builtins.bool, *, warn_only: builtins.bool = False) -> None:
    """Records whether deterministic algorithms are required. ferrograd's CPU kernels
    are deterministic already; the ops PyTorch has no deterministic CPU kernel for
    (max_unpool1d/2d/3d, put_ without accumulate) raise, or warn with `warn_only`.

    Args:
        mode: require deterministic algorithms.
        warn_only: warn instead of raising where an algorithm is not deterministic.
    """
    if not isinstance(mode, builtins.bool):
        raise TypeError(
            f"_set_deterministic_algorithms(): argument 'mode' (position 1) must be bool, not {type(mode).__name__}"
        )
    if not isinstance(warn_only, builtins.bool):
        raise TypeError(
            f"_set_deterministic_algorithms(): argument 'warn_only' must be bool, not {type(warn_only).__name__}"
        )
    _state["deterministic"] = mode
    _state["warn_only"] = warn_only if mode else False


def alert_not_deterministic(caller: str) -> None:
    """PyTorch's alertNotDeterministic: an op without a deterministic implementation
    raises (or, with warn_only, warns) while deterministic algorithms are required."""
    if not _state["deterministic"]:
        return
    package = __name__.split(".")[0]
    if _state["warn_only"]:
        warnings.warn(
            f"{caller} does not have a deterministic implementation, but you set "
            f"'{package}.use_deterministic_algorithms(True, warn_only=True)'. You can file an issue at "
            "https://github.com/pytorch/pytorch/issues to help us prioritize adding deterministic support for "
            "this operation.",
            UserWarning,
            stacklevel=3,
        )
        return
    raise RuntimeError(
        f"{caller} does not have a deterministic implementation, but you set "
        f"'{package}.use_deterministic_algorithms(True)'. You can turn off determinism just for this operation, "
        "or you can use the 'warn_only=True' option, if that's acceptable for your application. You can also "
        "file an issue at https://github.com/pytorch/pytorch/issues to help us prioritize adding deterministic "
        "support for this operation."
    )


def are_deterministic_algorithms_enabled() -> builtins.bool:
    """Whether `use_deterministic_algorithms(True)` is in effect."""
    return builtins.bool(_state["deterministic"])


def is_deterministic_algorithms_warn_only_enabled() -> builtins.bool:
    """Whether deterministic algorithms are on in warn-only mode."""
    return builtins.bool(_state["warn_only"])


_DEBUG_MODES = {"default": 0, "warn": 1, "error": 2}


def set_deterministic_debug_mode(debug_mode) -> None:
    """Sets the determinism mode by name or number: "default" (0) off, "warn" (1) on
    in warn-only mode, "error" (2) on.

    Args:
        debug_mode: "default", "warn", "error", or 0, 1, 2.
    """
    if isinstance(debug_mode, str):
        if debug_mode not in _DEBUG_MODES:
            raise RuntimeError(
                "invalid value of debug_mode, expected one of `default`, `warn`, `error`, "
                f"but got {debug_mode}"
            )
        debug_mode = _DEBUG_MODES[debug_mode]
    elif isinstance(debug_mode, builtins.int) and not isinstance(debug_mode, builtins.bool):
        if debug_mode not in (0, 1, 2):
            raise RuntimeError(f"invalid value of debug_mode, expected 0, 1, or 2, but got {debug_mode}")
    else:
        raise TypeError(f"debug_mode must be str or int, but got {type(debug_mode)}")
    _state["deterministic"] = debug_mode != 0
    _state["warn_only"] = debug_mode == 1


def get_deterministic_debug_mode() -> builtins.int:
    """The determinism mode as a number: 0 off, 1 warn-only, 2 error."""
    if not _state["deterministic"]:
        return 0
    return 1 if _state["warn_only"] else 2


def set_warn_always(b: builtins.bool, /) -> None:
    """Records whether warnings that PyTorch gives once should be given every time.

    Args:
        b: True to warn always.
    """
    _state["warn_always"] = _need_bool("setWarnOnlyOnce", b)


def is_warn_always_enabled() -> builtins.bool:
    """Whether `set_warn_always(True)` is in effect."""
    return builtins.bool(_state["warn_always"])


def set_float32_matmul_precision(precision: str) -> None:
    """Records the internal precision of float32 matrix products: "highest", "high" or
    "medium" (ferrograd always computes in full float32, as "highest"). Another string
    warns and changes nothing, as in PyTorch.

    Args:
        precision: "highest", "high" or "medium".
    """
    if not isinstance(precision, str):
        raise RuntimeError(  # noqa: TRY004  (PyTorch raises RuntimeError)
            f"set_float32_matmul_precision expects a str, but got {type(precision).__name__}"
        )
    if precision not in ("highest", "high", "medium"):
        warnings.warn(
            f"{precision} is not one of 'highest', 'high', or 'medium'; the current"
            "setFloat32MatmulPrecision call has no effect.",
            UserWarning,
            stacklevel=2,
        )
        return
    _state["matmul_precision"] = precision


def get_float32_matmul_precision() -> str:
    """The float32 matrix-product precision last set: "highest" (the default), "high"
    or "medium"."""
    return str(_state["matmul_precision"])


def set_flush_denormal(mode: builtins.bool) -> builtins.bool:
    """Flushes subnormal numbers to zero (results and inputs of float arithmetic) in the
    calling thread, as PyTorch does; returns whether the CPU supports it (x86-64).

    Args:
        mode: whether to flush subnormal numbers to zero.
    """
    _need_bool("flush_denormal", mode)
    return _core._set_flush_denormal(mode)


def set_anomaly_enabled(enabled: builtins.bool, check_nan: builtins.bool = True) -> None:
    """Turns anomaly detection on or off (as `autograd.set_detect_anomaly`).

    Args:
        enabled: whether to detect anomalies.
        check_nan: whether a backward producing NaN raises.
    """
    if not isinstance(enabled, builtins.bool):
        raise TypeError(
            f"set_anomaly_enabled(): argument 'enabled' (position 1) must be bool, not {type(enabled).__name__}"
        )
    if not isinstance(check_nan, builtins.bool):
        raise TypeError(
            f"set_anomaly_enabled(): argument 'check_nan' (position 2) must be bool, not {type(check_nan).__name__}"
        )
    _core._set_detect_anomaly(enabled)
    _core._set_anomaly_check_nan(check_nan)


def is_anomaly_check_nan_enabled() -> builtins.bool:
    """Whether anomaly mode checks backward results for NaN (True unless turned off by
    `set_anomaly_enabled(..., check_nan=False)`)."""
    return _core.is_anomaly_check_nan_enabled()


# ---- asarray and frombuffer --------------------------------------------------------


def asarray(obj, *, dtype=None, device=None, copy: builtins.bool | None = None,
            requires_grad: builtins.bool | None = None) -> Tensor:
    """`obj` as a tensor, sharing memory where it can: a tensor is returned itself (cast
    when `dtype` differs), a NumPy array or buffer-protocol object is viewed, and
    sequences and numbers are copied.

    Args:
        obj: a tensor, NumPy array, object with the DLPack protocol, object with the
            buffer protocol (its bytes read as `dtype`, as PyTorch reads them), sequence
            or number.
        dtype: the dtype; None keeps that of `obj` (or infers it).
        device: the device (only the CPU exists).
        copy: True always copies, False never does (raising where it must), None copies
            only when needed.
        requires_grad: whether autograd records operations on the result; None keeps
            that of a tensor `obj` (and is False otherwise).
    """
    import numpy as np

    from ._device import check_device

    if device is not None and str(device) == "meta":  # PyTorch copies the data's description there
        if copy is False:
            if not isinstance(obj, (Tensor, np.ndarray)):
                raise ValueError("can't alias arbitrary sequence into a tensor.")
            where = obj.device if isinstance(obj, Tensor) else "cpu"
            raise ValueError(f"can't alias tensor from device '{where}' to 'meta'.")
        keep_grad = requires_grad if requires_grad is not None else isinstance(obj, Tensor) and obj.requires_grad
        source = obj.detach() if isinstance(obj, Tensor) else obj
        result = asarray(source, dtype=dtype, requires_grad=False).to("meta")
        if keep_grad:
            if not (result.is_floating_point() or result.is_complex()):
                raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
            result.requires_grad_(True)
        return result
    check_device(device)
    if isinstance(obj, Tensor):
        result = _asarray_tensor(obj, dtype, copy, requires_grad)
    else:
        result = _asarray_other(obj, dtype, copy, np)
        if requires_grad:
            if not (result.is_floating_point() or result.is_complex()):
                raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
            result.requires_grad_(True)
    return result


def _short(dtype) -> str:
    return scalar_name(dtype)


_warned_requires_grad = [False]


def _asarray_tensor(obj: Tensor, dtype, copy, requires_grad) -> Tensor:
    target = obj.dtype if dtype is None else dtype
    if requires_grad and not (target.is_floating_point or target.is_complex):
        raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
    if requires_grad is None and obj.requires_grad and not _warned_requires_grad[0]:
        _warned_requires_grad[0] = True
        warnings.warn(
            "torch.asarray: unspecified requires_grad now defaults to obj.requires_grad instead of False. "
            "Pass requires_grad=False explicitly to get the old behavior and silence this warning.",
            UserWarning,
            stacklevel=3,
        )
    keep_grad = obj.requires_grad if requires_grad is None else requires_grad
    same = dtype is None or dtype == obj.dtype
    if not same and copy is False:
        raise ValueError(f"can't alias tensor with dtype '{_short(obj.dtype)}' into dtype '{_short(dtype)}'.")
    if copy:
        result = obj.clone() if same else obj.to(dtype)
        if not keep_grad:
            result = result.detach()
        return result
    if not same:
        result = obj.to(dtype)
        return result if keep_grad else result.detach()
    if keep_grad != obj.requires_grad:
        if not obj.is_leaf:  # a result of autograd: PyTorch returns a detached alias
            return obj.detach()
        obj.requires_grad_(keep_grad)  # PyTorch sets the flag on the tensor itself
    return obj


def _asarray_other(obj, dtype, copy, np) -> Tensor:
    from . import get_default_dtype
    from ._creation import from_numpy, tensor

    if isinstance(obj, np.ndarray):
        shared = from_numpy(obj) if obj.dtype.kind in "fiub" else tensor(obj)
        if dtype is not None and dtype != shared.dtype:
            if copy is False:
                raise ValueError(
                    f"can't alias tensor with dtype '{_short(shared.dtype)}' into dtype '{_short(dtype)}'."
                )
            return shared.to(dtype)
        return shared.clone() if copy else shared
    if isinstance(obj, np.generic):
        return tensor(obj, dtype=dtype)
    if hasattr(obj, "__dlpack__"):
        from ._interop import from_dlpack

        return asarray(from_dlpack(obj), dtype=dtype, copy=copy, requires_grad=False)
    try:
        memoryview(obj)
    except TypeError:
        if copy is False:
            raise ValueError("can't alias arbitrary sequence into a tensor.") from None
        return tensor(obj, dtype=dtype)
    # PyTorch reads any other buffer's bytes as elements of `dtype` (the default dtype
    # when None), whatever the buffer's own format
    shared = frombuffer(obj, dtype=dtype or get_default_dtype())
    return shared.clone() if copy else shared


_ELEMENT_FORMATS = {
    "float32": "<f4", "float64": "<f8", "float16": "<f2", "bfloat16": "<i2",
    "int64": "<i8", "int32": "<i4", "int16": "<i2", "int8": "i1", "uint8": "u1", "bool": "?",
}
_warned_not_writable = [False]


def frombuffer(buffer, *, dtype, count: builtins.int = -1, offset: builtins.int = 0,
               requires_grad: builtins.bool = False) -> Tensor:
    """A 1-D tensor viewing the bytes of an object with the buffer protocol (writes go
    through to the buffer, which the tensor keeps alive).

    Args:
        buffer: an object with the Python buffer protocol (bytes, bytearray, array, ...).
        dtype: the element dtype.
        count: the number of elements; -1 (the default) for all after `offset`.
        offset: the number of bytes skipped at the start.
        requires_grad: whether autograd records operations on the result.
    """
    import numpy as np

    from ._creation import from_numpy

    try:
        view = memoryview(buffer).cast("B")
    except TypeError:
        raise ValueError("object does not implement Python buffer protocol.") from None
    if view.readonly and not _warned_not_writable[0]:  # PyTorch warns on taking the buffer, before its checks
        _warned_not_writable[0] = True
        from ._user_warning import warn_at_caller

        warn_at_caller(
            "The given buffer is not writable, and PyTorch does not support non-writable tensors. This means "
            "you can write to the underlying (supposedly non-writable) buffer using the tensor. You may want "
            "to copy the buffer to protect its data or make it writable before converting it to a tensor. "
            "This type of warning will be suppressed for the rest of this program. "
            "(Triggered internally at /__w/pytorch/pytorch/torch/csrc/utils/tensor_new.cpp:1556.)")
    length = view.nbytes
    size = dtype.itemsize
    if length <= 0 or count == 0:
        raise ValueError(f"both buffer length ({length}) and count ({count}) must not be 0")
    if offset < 0 or offset >= length:
        raise ValueError(
            f"offset ({offset} bytes) must be non-negative and no greater than buffer length ({length} bytes) minus 1"
        )
    if count < 0:
        if (length - offset) % size != 0:
            raise ValueError(
                f"buffer length ({length - offset} bytes) after offset ({offset} bytes) must be a multiple of "
                f"element size ({size})"
            )
        count = (length - offset) // size
    elif offset + count * size > length:
        raise ValueError(
            f"requested buffer length ({count} * {size} bytes) after offset ({offset} bytes) must not be "
            f"greater than actual buffer length ({length} bytes)"
        )
    name = repr(dtype).split(".", 1)[1]
    element = _ELEMENT_FORMATS.get(name)
    if element is None:  # no NumPy type of its own: the bytes, read as the dtype
        array = np.frombuffer(view, dtype=np.uint8, count=count * size, offset=offset)
    else:
        array = np.frombuffer(view, dtype=np.dtype(element), count=count, offset=offset)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = from_numpy(array)
    if name == "bfloat16" or element is None:
        result = result.view(dtype)
    if requires_grad:
        result.requires_grad_(True)
    return result
