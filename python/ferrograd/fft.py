"""`ferrograd.fft`: PyTorch's discrete Fourier transforms.

Every transform is one of three differentiable primitives in the Rust core
(`src/ops/fft.rs`: complex to complex, real to complex, complex to real, computed with
`rustfft`); this module resolves `n`/`s`, `dim` and `norm` as PyTorch does.
"""

from __future__ import annotations

import functools
import inspect
import math
import operator
from collections.abc import Callable, Sequence

from . import _core
from . import _saved_values as saved_values
from ._argcheck import need_int64
from ._core import Tensor
from ._factory_device import refuse_bad_device
from ._shell_dtypes import FLOAT8_DTYPES

__all__ = [
    "fft",
    "fft2",
    "fftfreq",
    "fftn",
    "fftshift",
    "hfft",
    "hfft2",
    "hfftn",
    "ifft",
    "ifft2",
    "ifftn",
    "ifftshift",
    "ihfft",
    "ihfft2",
    "ihfftn",
    "irfft",
    "irfft2",
    "irfftn",
    "rfft",
    "rfft2",
    "rfftfreq",
    "rfftn",
]

_NORMS = (None, "backward", "ortho", "forward")


def _scale(norm: str | None, n: int, forward: bool) -> float:
    if norm not in _NORMS:
        raise RuntimeError(f'Invalid normalization mode: "{norm}"')
    if norm == "ortho":
        return 1.0 / math.sqrt(n) if n else 1.0
    divides = (norm == "forward") == forward
    return 1.0 / n if divides and n else 1.0


def _float_input(x: Tensor) -> Tensor:
    if not isinstance(x, Tensor):
        raise TypeError(f"fft(): argument 'input' (position 1) must be Tensor, not {type(x).__name__}")
    if x.dtype.is_complex or x.dtype.is_floating_point:
        if x.dtype in (_core.float16, _core.bfloat16) or x.dtype in FLOAT8_DTYPES:  # nor half nor 8-bit kernels
            from ._dtype_names import scalar_name

            raise RuntimeError(f"Unsupported dtype {scalar_name(x.dtype)}")
        return x
    return x._to_dtype(_core.get_default_dtype())


def _kernel_input(x: Tensor) -> Tensor:
    """`x`, checked as PyTorch's CPU kernels check it once every argument is (they have
    no half-precision complex transforms)."""
    if x.dtype is _core.complex32:
        raise RuntimeError("MKL FFT doesn't support tensors of type: Half")
    return x


def _as_complex(x: Tensor) -> Tensor:
    x = _float_input(x)
    return x if x.dtype.is_complex else x._to_dtype(x.dtype.to_complex())


def _wrap_dim(d: int, ndim: int) -> int:
    need_int64(d)
    if ndim == 0:
        raise IndexError(f"Dimension specified as {d} but tensor has no dimensions")
    if not -max(ndim, 1) <= d < max(ndim, 1):
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-max(ndim, 1)}, {max(ndim, 1) - 1}], but got {d})"
        )
    return d % max(ndim, 1)


def _resize(x: Tensor, dim: int, n: int) -> Tensor:
    """`x` cut or zero-padded along `dim` to `n` elements."""
    have = x.shape[dim]
    if n == have:
        return x
    if n < have:
        return x.narrow(dim, 0, n)
    from .nn import functional as F

    pairs = _core._view_as_real(x) if x.dtype.is_complex else x
    pad = [0, 0] * (pairs.dim() - 1 - dim) + [0, n - have]
    padded = F.pad(pairs, pad)
    return _core._view_as_complex(padded) if x.dtype.is_complex else padded


def _check_n(n: int, what: str = "n") -> None:
    if n < 1:
        raise RuntimeError(f"Invalid number of data points ({n}) specified")


def _one_dim(x: Tensor, n: int | None, dim: int) -> tuple[list[int], list[int | None]]:
    """([dim], [n]) of a one-dimensional transform; unlike `s`, its `n` has no -1 default."""
    if not isinstance(x, Tensor):
        raise TypeError(f"fft(): argument 'input' (position 1) must be Tensor, not {type(x).__name__}")
    need_int64(n)
    d = _wrap_dim(dim, x.dim())  # the dim is checked first, as in PyTorch
    if n is not None:
        _check_n(n)
    return [d], [n]


def _check_points(x: Tensor, dims: list[int]) -> None:
    for d in dims:
        _check_n(x.shape[d])


def _dims_and_sizes(x: Tensor, s, dim) -> tuple[list[int], list[int | None]]:
    """PyTorch's `fftn` argument rules: `dim` defaults to all dims, or the last
    `len(s)` dims when `s` is given."""
    if isinstance(dim, int):
        dim = [dim]
    if isinstance(s, Tensor) and s.numel() == 1:  # PyTorch's int list parser takes a one-element tensor
        s = [int(s.item())]
    if s is not None and not isinstance(s, Sequence):
        s = [s]
    if dim is None:
        if s is not None and len(s) > x.dim():
            raise RuntimeError(f"Got shape with {len(s)} values but input tensor only has {x.dim()} dimensions.")
        dims = list(range(x.dim() - len(s), x.dim())) if s is not None else list(range(x.dim()))
    else:
        dims = [_wrap_dim(d, x.dim()) for d in dim]
        if len(set(dims)) != len(dims):
            raise RuntimeError("FFT dims must be unique")
    if s is not None and len(s) != len(dims):
        raise RuntimeError("When given, dim and shape arguments must have the same length")
    sizes: list[int | None] = list(s) if s is not None else [None] * len(dims)
    return dims, sizes


def _c2c(x: Tensor, dims: list[int], sizes, norm, forward: bool, promote: bool = False) -> Tensor:
    """`promote`: a real input is made complex first (PyTorch's n-dimensional transforms);
    otherwise it takes the real-to-complex path (its one-dimensional ones)."""
    x = _as_complex(x) if promote else _float_input(x)
    for d, n in zip(dims, sizes, strict=True):
        if n is not None and n != -1:
            _check_n(n)
            x = _resize(x, d, n)
    _check_points(x, dims)
    if not dims:
        _scale(norm, 1, forward)
        return x.clone()
    total = math.prod(x.shape[d] for d in dims)
    scale = _scale(norm, total, forward)
    if not x.dtype.is_complex:
        # a real signal's inverse transform is the conjugate of its forward one
        spectrum = _keep(_core._fft_r2c(x, dims, scale, False), "FftR2CBackward0", dims, norm, forward,
                         {"onesided": False, "self": x})
        return spectrum if forward else spectrum.conj()
    return _keep(_core._fft_c2c(_kernel_input(x), dims, forward, scale), "FftC2CBackward0", dims, norm, forward,
                 {"forward": forward})


def _keep(out: Tensor, node: str, dims: list[int], norm: str | None, forward: bool, more: dict) -> Tensor:
    """`out` with its `node`'s `_saved_dim`, `_saved_normalization` (PyTorch's fft_norm_mode:
    0 none, 1 by 1/sqrt(n), 2 by 1/n) and the `more` values kept."""
    if out.grad_fn is None:
        return out
    mode = 1 if norm == "ortho" else 2 if (norm == "forward") == forward else 0
    return saved_values.keep_more(out, node, {"dim": tuple(dims), "normalization": mode, **more})


def fft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None, *, out=None) -> Tensor:
    """The one-dimensional discrete Fourier transform of `input` along `dim`.

    Args:
        input: the real or complex signal.
        n: the signal length (cut or zero-padded to it).
        dim: the dim to transform.
        norm: "backward" (default, no scaling), "ortho" (1/sqrt(n)) or "forward" (1/n).
        out: not supported (must be None).
    """
    x = _float_input(input)  # PyTorch promotes (and refuses half precision) before the dim
    return _c2c(x, *_one_dim(x, n, dim), norm, True)


def ifft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None, *, out=None) -> Tensor:
    """The one-dimensional inverse discrete Fourier transform (see `fft`)."""
    x = _float_input(input)
    return _c2c(x, *_one_dim(x, n, dim), norm, False)


def fftn(input: Tensor, s=None, dim=None, norm: str | None = None, *, out=None) -> Tensor:
    """The N-dimensional discrete Fourier transform over `dim` (all dims by default)."""
    dims, sizes = _dims_and_sizes(input, s, dim)
    return _c2c(input, dims, sizes, norm, True, promote=True)


def ifftn(input: Tensor, s=None, dim=None, norm: str | None = None, *, out=None) -> Tensor:
    """The N-dimensional inverse discrete Fourier transform (see `fftn`)."""
    dims, sizes = _dims_and_sizes(input, s, dim)
    return _c2c(input, dims, sizes, norm, False, promote=True)


def fft2(input: Tensor, s=None, dim=(-2, -1), norm: str | None = None, *, out=None) -> Tensor:
    """The two-dimensional discrete Fourier transform (over the last two dims)."""
    return fftn(input, s, dim, norm)


def ifft2(input: Tensor, s=None, dim=(-2, -1), norm: str | None = None, *, out=None) -> Tensor:
    """The two-dimensional inverse discrete Fourier transform."""
    return ifftn(input, s, dim, norm)


def _r2c(x: Tensor, dims: list[int], sizes, norm, forward: bool, name: str) -> Tensor:
    if not dims:
        raise RuntimeError(f"{name} must transform at least one axis")
    for d, n in zip(dims, sizes, strict=True):
        if n is not None and n != -1:
            _check_n(n)
            x = _resize(x, d, n)
    _check_points(x, dims)
    x = _float_input(x)
    scale = _scale(norm, math.prod(x.shape[d] for d in dims), forward)
    if x.dtype.is_complex:  # left to the real-to-complex kernel by ihfftn
        from ._dtype_names import scalar_name

        raise RuntimeError(f"Only supports floating-point dtypes, but found: {scalar_name(x.dtype)}")
    return _keep(_core._fft_r2c(x, dims, scale, True), "FftR2CBackward0", dims, norm, forward,
                 {"onesided": True, "self": x})


def _refuse_complex(x: Tensor, name: str, real: str = "real") -> None:
    if x.dtype.is_complex:
        from ._dtype_names import scalar_name

        raise RuntimeError(f"{name} expects a {real} input tensor, but got {scalar_name(x.dtype)}")


def rfft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None, *, out=None) -> Tensor:
    """The one-dimensional Fourier transform of a real signal: the `n // 2 + 1`
    non-negative frequencies (see `fft`)."""
    _refuse_complex(input, "rfft")
    x = _float_input(input)
    return _r2c(x, *_one_dim(x, n, dim), norm, True, "rfft")


def rfftn(input: Tensor, s=None, dim=None, norm: str | None = None, *, out=None) -> Tensor:
    """The N-dimensional Fourier transform of a real signal, one-sided in the last dim."""
    _refuse_complex(input, "rfftn", "real-valued")
    dims, sizes = _dims_and_sizes(input, s, dim)
    return _r2c(input, dims, sizes, norm, True, "rfftn")


def rfft2(input: Tensor, s=None, dim=(-2, -1), norm: str | None = None, *, out=None) -> Tensor:
    """The two-dimensional Fourier transform of a real signal (see `rfftn`)."""
    return rfftn(input, s, dim, norm)


def _check_signal_lengths(x: Tensor, dims: list[int], sizes) -> None:
    """PyTorch's n-dimensional inverse real transforms check every signal length (the
    input's where `s` gives none) before the length of the output's last dim."""
    for d, n in zip(dims, sizes, strict=True):
        _check_n(x.shape[d] if n is None or n == -1 else n)


def _c2r(x: Tensor, dims: list[int], sizes, norm, forward: bool, name: str = "irfftn") -> Tensor:
    x = _as_complex(x)
    if not dims:
        raise RuntimeError(f"{name} must transform at least one axis")
    sizes = list(sizes)
    last_n = sizes[-1]
    if last_n is None or last_n == -1:
        last_n = 2 * (x.shape[dims[-1]] - 1)
    _check_n(last_n)
    for d, n in zip(dims[:-1], sizes[:-1], strict=True):
        if n is not None and n != -1:
            _check_n(n)
            x = _resize(x, d, n)
        else:
            _check_n(x.shape[d])
    x = _resize(x, dims[-1], last_n // 2 + 1)
    total = math.prod(x.shape[d] for d in dims[:-1]) * last_n
    scale = _scale(norm, total, forward)
    return _keep(_core._fft_c2r(_kernel_input(x), dims, scale, last_n), "FftC2RBackward0", dims, norm, forward, {})


def irfft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None, *, out=None) -> Tensor:
    """The inverse of `rfft`: a real signal of length `n` (default `2 * (m - 1)`)."""
    x = _float_input(input)
    return _c2r(x, *_one_dim(x, n, dim), norm, False)


def irfftn(input: Tensor, s=None, dim=None, norm: str | None = None, *, out=None) -> Tensor:
    """The inverse of `rfftn`."""
    dims, sizes = _dims_and_sizes(input, s, dim)
    _check_signal_lengths(input, dims, sizes)
    return _c2r(input, dims, sizes, norm, False)


def irfft2(input: Tensor, s=None, dim=(-2, -1), norm: str | None = None, *, out=None) -> Tensor:
    """The inverse of `rfft2`."""
    return irfftn(input, s, dim, norm)


def hfft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None, *, out=None) -> Tensor:
    """The Fourier transform of a Hermitian-symmetric signal given by its first half:
    a real result of length `n` (default `2 * (m - 1)`)."""
    x = _as_complex(input)
    dims, sizes = _one_dim(x, n, dim)
    return _c2r(x.conj(), dims, sizes, norm, True)


def ihfft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None, *, out=None) -> Tensor:
    """The inverse of `hfft`: the one-sided inverse transform of a real signal."""
    _refuse_complex(input, "ihfft")
    x = _float_input(input)
    out_ = _r2c(x, *_one_dim(x, n, dim), norm, False, "ihfft")
    return out_.conj()


def _check_length(n: int) -> None:
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")


def hfftn(input: Tensor, s=None, dim=None, norm: str | None = None, *, out=None) -> Tensor:
    """The N-dimensional `hfft`: a real signal from the one-sided (last dim) Hermitian spectrum."""
    dims, sizes = _dims_and_sizes(input, s, dim)
    _check_signal_lengths(input, dims, sizes)
    x = _as_complex(input)
    return _c2r(x.conj(), dims, sizes, norm, True, "hfftn")


def hfft2(input: Tensor, s=None, dim=(-2, -1), norm: str | None = None, *, out=None) -> Tensor:
    """The two-dimensional `hfft` (over the last two dims)."""
    return hfftn(input, s, dim, norm)


def ihfftn(input: Tensor, s=None, dim=None, norm: str | None = None, *, out=None) -> Tensor:
    """The N-dimensional `ihfft`: the one-sided (last dim) inverse transform of a real signal."""
    dims, sizes = _dims_and_sizes(input, s, dim)
    if len(dims) == 1:  # PyTorch's ihfft then: the lazy conjugate of the one-sided transform
        return _r2c(input, dims, sizes, norm, False, "ihfftn").conj()
    # a new tensor (PyTorch's ihfftn result has no conjugate bit, unlike ihfft's)
    out = _core._conj_copy(_r2c(input, dims, sizes, norm, False, "ihfftn"), "ConjPhysicalBackward0")
    # PyTorch's last step is a complex-to-complex transform over the leading dims
    return _core._named_node(out, "FftC2CBackward0") if out.grad_fn is not None else out


def ihfft2(input: Tensor, s=None, dim=(-2, -1), norm: str | None = None, *, out=None) -> Tensor:
    """The two-dimensional `ihfft` (over the last two dims)."""
    return ihfftn(input, s, dim, norm)


def fftfreq(n: int, d: float = 1.0, *, out=None, dtype=None, layout=None, device=None,
            requires_grad: bool = False, pin_memory: bool | None = False) -> Tensor:
    """The sample frequencies of an `n`-point `fft`: `[0, 1, ..., -1] / (d * n)`.

    Args:
        n: the signal length.
        d: the sample spacing (default 1.0).
        out: an optional tensor the frequencies are written into and returned (resized,
            with PyTorch's `arange` warning when it holds another number of elements).
        dtype: the dtype (default: `out`'s floating dtype, else the default dtype).
        layout: ignored (strided only).
        device: ignored (CPU only).
        requires_grad: whether autograd records operations on the result.
        pin_memory: False or None (no accelerator, so no pinned memory).
    """
    from ._creation import arange

    refuse_bad_device("fft_fftfreq", device)
    _refuse_pinned(pin_memory)
    _check_length(n)
    if isinstance(out, Tensor) and out.dim() == 0 and n == 1:  # kept 0-d by arange, then sliced along dim 0
        raise IndexError("slice() cannot be applied to a 0-dim tensor.")
    k = arange(n, dtype=_frequency_dtype("fftfreq", dtype, out))
    if _negates_right_half(n, out):
        k = k - (k >= (n + 1) // 2) * n
    return _frequencies(k * _reciprocal(n * d), out, requires_grad)


def rfftfreq(n: int, d: float = 1.0, *, out=None, dtype=None, layout=None, device=None,
             requires_grad: bool = False, pin_memory: bool | None = False) -> Tensor:
    """The non-negative sample frequencies of an `n`-point `rfft`.

    Args:
        n: the signal length.
        d: the sample spacing (default 1.0).
        out: an optional tensor the frequencies are written into and returned.
        dtype: the dtype (default: `out`'s floating dtype, else the default dtype).
        layout: ignored (strided only).
        device: ignored (CPU only).
        requires_grad: whether autograd records operations on the result.
        pin_memory: False or None (no accelerator, so no pinned memory).
    """
    from ._creation import arange

    refuse_bad_device("fft_rfftfreq", device)
    _refuse_pinned(pin_memory)
    count = (n // 2 if n >= 0 else -(-n // 2)) + 1  # PyTorch's C division truncates toward zero
    _check_length(count)
    k = arange(count, dtype=_frequency_dtype("rfftfreq", dtype, out))
    return _frequencies(k * _reciprocal(n * d), out, requires_grad)


def _reciprocal(x) -> float:
    """1 / x as C++ divides doubles (PyTorch multiplies the counts by it)."""
    return 1.0 / x if x else math.copysign(math.inf, x)


def _negates_right_half(n: int, out) -> bool:
    """Whether PyTorch's fftfreq writes the negative frequencies: it writes them into the
    slice of `out` along dim 0 past (n + 1) // 2, an `out` of n elements keeping its
    shape, and where that slice holds another number of elements they never show."""
    if not isinstance(out, Tensor) or out.dim() < 2 or out.numel() != n:
        return True
    rows = max(0, out.shape[0] - (n + 1) // 2)
    return rows * (n // out.shape[0] if out.shape[0] else 0) == n // 2


def _refuse_pinned(pin_memory) -> None:
    if pin_memory:
        from ._factory_kwargs import NO_PINNED_MEMORY

        raise RuntimeError(NO_PINNED_MEMORY)


def _frequency_dtype(name: str, dtype, out):
    """The dtype of the frequencies, checked as PyTorch's factories check it (`out`'s
    dtype when none is given; a Python type is its dtype)."""
    from ._dtype_names import scalar_name
    from ._python_dtypes import python_type_dtype

    dtype = python_type_dtype(dtype)

    if isinstance(out, Tensor):
        if dtype is not None and dtype != out.dtype:
            raise RuntimeError(f"dtype {scalar_name(dtype)} does not match dtype of out parameter "
                               f"({scalar_name(out.dtype)})")
        dtype = out.dtype
    if dtype is not None and not (dtype.is_floating_point or dtype.is_complex):
        raise RuntimeError(f"{name} requires a floating point or complex dtype")
    if dtype is not None and dtype.is_complex:
        raise NotImplementedError(f"\"arange_cpu\" not implemented for '{scalar_name(dtype)}'")
    return dtype


def _frequencies(values: Tensor, out, requires_grad: bool) -> Tensor:
    if out is not None:
        from ._out import _warn_arange_out_size, write_out

        _warn_arange_out_size(values, out)
        if isinstance(out, Tensor) and out.numel() == values.numel():
            values = values.reshape(out.shape)  # PyTorch's arange resizes `out` only to another element count
        return write_out(values, out, warn_resize=False)
    return values.requires_grad_(requires_grad) if requires_grad else values


def _shift(x: Tensor, dim, sign: int) -> Tensor:
    if dim is None:
        dims = list(range(x.dim()))
    elif isinstance(dim, int) or isinstance(dim, Tensor) and dim.dim() == 0:
        dims = [operator.index(dim)]  # PyTorch's int list takes a lone int, or a 0-dim int tensor
    else:
        dims = list(dim)
    dims = [_wrap_dim(d, x.dim()) for d in dims]
    shifts = [sign * (x.shape[d] // 2) for d in dims]
    return x.roll(shifts, dims)


def fftshift(input: Tensor, dim=None) -> Tensor:
    """`input` rolled so that the zero frequency is in the middle of each dim."""
    return _shift(input, dim, 1)


def ifftshift(input: Tensor, dim=None) -> Tensor:
    """The inverse of `fftshift`."""
    return _shift(input, dim, -1)



def _refuse_bool(fn: str, name: str, pos: int | None, value, kind: str) -> None:
    """PyTorch's parser takes no bool for an int (or int list) argument."""
    where = f"argument '{name}'" + (f" (position {pos})" if pos else "")
    if isinstance(value, bool):
        raise TypeError(f"{fn}(): {where} must be {kind}, not bool")
    if kind != "int" and isinstance(value, (list, tuple)) and value and isinstance(value[0], bool):
        raise TypeError(f"{fn}(): {where} must be {kind}, but found element of type bool at pos 0")


def _bool_free(fn: Callable) -> Callable:
    """`fn` refusing a bool `n`/`s`/`dim` as PyTorch's parser does."""
    names = [p for p in inspect.signature(fn).parameters if p in ("n", "s", "dim")]
    kind = "int" if "n" in names else "tuple of ints"
    torch_name = f"fft_{fn.__name__}"

    @functools.wraps(fn)
    def call(*args, **kwargs):
        for name in names:
            pos = 2 if name in ("n", "s") or len(names) == 1 else 3
            if len(args) >= pos:
                _refuse_bool(torch_name, name, pos, args[pos - 1], kind)
            elif name in kwargs:
                _refuse_bool(torch_name, name, None, kwargs[name], kind)
        return fn(*args, **kwargs)

    return call


for _name in __all__:
    if "fftfreq" not in _name:
        globals()[_name] = _bool_free(globals()[_name])

from ._argument_types import guard as _guard_argument_types
from ._out import CAST as _OUT_CAST
from ._out import install as _out_install

_guard_argument_types(globals(), "fft.")  # PyTorch's TypeError for a non-tensor input
_out_install(globals(), [name for name in __all__ if "fftshift" not in name and "fftfreq" not in name],
             _OUT_CAST)  # PyTorch's out= (the fftfreq factories keep their own)

from ._subclass_dispatch import gate_namespace as _gate_namespace

_gate_namespace(globals())  # last: `__torch_function__` and modes see the outermost functions

from ._native_names import name_namespace as _name_namespace

_name_namespace(globals(), "fft")  # PyTorch's names: fft_fft of ferrograd._C._fft
