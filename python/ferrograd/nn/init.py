"""`nn.init`: in-place initialisation, drawn from the default generator in PyTorch's order.

`uniform_` and `normal_` give PyTorch's numbers for the same seed: the uniform draws
are `rand`'s, scaled in the tensor's dtype as PyTorch's kernel does; the normal draws
follow PyTorch's two paths (per element in double below 16 elements, batched in the
tensor's dtype from 16 elements).
"""

from __future__ import annotations

import math
import warnings

from .. import _core
from .._core import Tensor
from .._dtype_names import scalar_name
from .._grad_mode import no_grad
from .._numpy import np
from .._shell_dtypes import FLOAT8_DTYPES, SHELL_UNSIGNED, is_float8, refuse_float8

__all__ = [
    "calculate_gain",
    "constant",
    "constant_",
    "dirac",
    "dirac_",
    "eye",
    "eye_",
    "kaiming_normal",
    "kaiming_normal_",
    "kaiming_uniform",
    "kaiming_uniform_",
    "normal",
    "normal_",
    "ones_",
    "orthogonal",
    "orthogonal_",
    "sparse",
    "sparse_",
    "trunc_normal_",
    "uniform",
    "uniform_",
    "xavier_normal",
    "xavier_normal_",
    "xavier_uniform",
    "xavier_uniform_",
    "zeros_",
]

_NUMPY_FLOATS = ("float32", "float64")


def _np_dtype(t: Tensor):
    name = repr(t.dtype).split(".", 1)[1]
    if t.dtype in SHELL_UNSIGNED or t.dtype in FLOAT8_DTYPES:
        raise NotImplementedError(f'"check_uniform_bounds" not implemented for \'{scalar_name(t.dtype)}\'')
    if name not in _NUMPY_FLOATS:
        raise NotImplementedError(f'"uniform_kernel_cpu" not implemented for \'{_type_name(name)}\'')
    return getattr(np, name)


def _type_name(name: str) -> str:
    return {"int64": "Long", "bool": "Bool"}.get(name, name)


def _fma64(a: np.ndarray, b, c) -> np.ndarray:
    """a * b + c rounded once, in float64 (PyTorch's kernels are compiled with FMA):
    Dekker's exact product and Knuth's exact sum."""
    a = np.asarray(a, dtype=np.float64)
    b = np.float64(b)
    c = np.float64(c)
    p = a * b
    split = 134217729.0  # 2**27 + 1

    def halves(x):
        # split a value past 2**995 scaled down by 2**28 (exact), so `split * x` stays finite
        scale = np.where(np.abs(x) > 2.0**995, 2.0**28, 1.0)
        x = x / scale
        t = split * x
        hi = t - (t - x)
        return hi * scale, (x - hi) * scale

    with np.errstate(invalid="ignore", over="ignore"):
        ah, al = halves(a)
        bh, bl = halves(b)
        err = ((ah * bh - p) + ah * bl + al * bh) + al * bl  # p + err == a * b exactly
        s = p + c
        bb = s - p
        t = (p - (s - bb)) + (c - bb)  # s + t == p + c exactly
        # an infinite product or sum has no rounding error to add (the terms above are NaN)
        return np.where(np.isfinite(s), s + (t + err), s)


def _scaled(z: np.ndarray, npd, scale, shift) -> np.ndarray:
    """z * scale + shift as PyTorch's kernel computes it in dtype `npd`."""
    if npd is np.float32:
        # The float32 product is exact in float64; one float64 rounding of the sum,
        # then float32: the same as a float32 FMA.
        return (z.astype(np.float64) * np.float64(scale) + np.float64(shift)).astype(np.float32)
    return _fma64(z, scale, shift)


def _write(tensor: Tensor, values: np.ndarray) -> Tensor:
    from .._creation import tensor as make

    src = make(np.ascontiguousarray(values).reshape(tuple(tensor.shape)), dtype=tensor.dtype)
    return tensor.copy_(src)


# The largest finite value and C++ element name of the dtypes `uniform_` checks its bounds for.
_UNIFORM_LIMITS = {
    "float32": (3.4028234663852886e38, "float"), "complex64": (3.4028234663852886e38, "float"),
    "float64": (1.7976931348623157e308, "double"), "complex128": (1.7976931348623157e308, "double"),
    "float16": (65504.0, "c10::Half"), "bfloat16": (3.3895313892515355e38, "c10::BFloat16"),
}


def _check_uniform_bounds(dtype, a: float, b: float) -> None:
    """PyTorch refuses a bound that is NaN or past the dtype's finite range."""
    if not (dtype.is_floating_point or dtype.is_complex):
        raise NotImplementedError(f'"check_uniform_bounds" not implemented for \'{scalar_name(dtype)}\'')
    limit = _UNIFORM_LIMITS.get(str(dtype).rsplit(".", 1)[-1])
    if limit is None:
        return
    for name, value in (("from", a), ("to", b)):
        if not -limit[0] <= value <= limit[0]:
            raise RuntimeError(f"{name} is out of bounds for {limit[1]}")
    if b - a > limit[0]:
        raise RuntimeError(f"uniform_ expects to-from <= std::numeric_limits<{scalar_name(dtype)}>::max(), but found "
                           f"to={b:g} and from={a:g} which result in to-from to exceed the limit")


def _tensor_uniform_(self: Tensor, a: float = 0.0, b: float = 1.0, *, generator=None) -> Tensor:
    """Fills `self` with samples uniform in [a, b)."""
    from .._creation import rand

    npd = _np_dtype(self)
    _check_uniform_bounds(self.dtype, a, b)
    if a > b:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found from={a:g} > to={b:g}")
    u = np.asarray(rand(tuple(self.shape), dtype=self.dtype).numpy())
    lo = npd(a)
    span = npd(npd(b) - lo)
    return _write(self, _scaled(u, npd, span, lo))


def _tensor_normal_(self: Tensor, mean: float = 0.0, std: float = 1.0, *, generator=None) -> Tensor:
    """Fills `self` with samples from N(mean, std²)."""
    if not std >= 0:  # NaN too
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
    return normal_fill(self, mean, std, self.is_contiguous())


def normal_fill(self: Tensor, mean: float, std: float, vectorized: bool) -> Tensor:
    """Fills `self` with samples from N(mean, std²) by PyTorch's vectorized Box-Muller
    (blocks of 16) when `vectorized` and `self` has 16 elements or more, else one
    float64 normal at a time (its kernel for tensors that are not contiguous)."""
    from .._creation import randn

    if is_float8(self) and not self.numel():
        return self  # PyTorch's kernel never runs on no elements
    refuse_float8("normal_kernel_cpu", self)
    npd = _np_dtype(self)
    if self.numel() >= 16 and vectorized:
        z = np.asarray(randn(tuple(self.shape), dtype=self.dtype).numpy())
        vals = _scaled(z, npd, npd(std), npd(mean))
    else:
        # float64 draws of fewer than 16 take the serial path; chunks of 15 chain through
        # the generator's cached second Box-Muller value as one serial draw does
        n = self.numel()
        chunks = [np.asarray(randn((min(15, n - k),), dtype=_core.float64).numpy()) for k in range(0, n, 15)]
        z = (np.concatenate(chunks) if chunks else np.zeros(0)).reshape(tuple(self.shape))
        vals = _fma64(z, std, mean).astype(npd)
    return _write(self, vals)


def _install() -> None:
    if not hasattr(Tensor, "uniform_"):
        Tensor.uniform_ = _tensor_uniform_  # type: ignore[method-assign,assignment]
    if not hasattr(Tensor, "normal_"):
        Tensor.normal_ = _tensor_normal_  # type: ignore[method-assign,assignment]


_install()


def calculate_gain(nonlinearity: str, param=None) -> float:
    """The recommended gain for a nonlinearity (PyTorch's table): 1 for linear, conv
    and sigmoid, 5/3 for tanh, sqrt(2) for relu, sqrt(2 / (1 + slope²)) for leaky_relu,
    3/4 for selu.

    Args:
        nonlinearity: the function's name ('linear', 'conv1d', ..., 'sigmoid', 'tanh',
            'relu', 'leaky_relu', 'selu').
        param: the negative slope for 'leaky_relu'; None (default) means 0.01.
    """
    linear_fns = ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d"]
    if nonlinearity in linear_fns or nonlinearity == "sigmoid":
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            negative_slope = 0.01
        elif not isinstance(param, bool) and isinstance(param, (int, float)):
            negative_slope = param
        else:
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + negative_slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def _calculate_fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    dimensions = tensor.dim()
    if dimensions < 2:
        raise ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions")
    num_input_fmaps = tensor.shape[1]
    num_output_fmaps = tensor.shape[0]
    receptive_field_size = 1
    for s in tuple(tensor.shape)[2:]:
        receptive_field_size *= s
    return num_input_fmaps * receptive_field_size, num_output_fmaps * receptive_field_size


def _calculate_correct_fan(tensor: Tensor, mode: str) -> int:
    mode = mode.lower()
    valid_modes = ["fan_in", "fan_out"]
    if mode not in valid_modes:
        raise ValueError(f"Mode {mode} not supported, please use one of {valid_modes}")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0, generator=None) -> Tensor:
    """Fills `tensor` in place with U(a, b).

    Args:
        tensor: the tensor to fill in place (without recording a graph).
        a: the lower bound (default 0).
        b: the upper bound (default 1).
        generator: the random generator to draw from; None (default) uses the global one.
    """
    with no_grad():
        return tensor.uniform_(a, b, generator=generator)


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, generator=None) -> Tensor:
    """Fills `tensor` in place with N(mean, std²).

    Args:
        tensor: the tensor to fill in place (without recording a graph).
        mean: the mean (default 0).
        std: the standard deviation (default 1).
        generator: the random generator to draw from; None (default) uses the global one.
    """
    with no_grad():
        return tensor.normal_(mean, std, generator=generator)


def trunc_normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, a: float = -2.0, b: float = 2.0,
                  generator=None) -> Tensor:
    """N(mean, std²) truncated to [a, b], by PyTorch's rejection sampling (same draws):
    redrawn normals when [a, b] holds more than 30% of the mass, else uniform proposals
    accepted against the density's peak.

    Args:
        tensor: the tensor to fill in place (without recording a graph).
        mean: the mean of the normal (default 0).
        std: its standard deviation (default 1).
        a: the lower cut-off (default -2).
        b: the upper cut-off (default 2).
        generator: the random generator to draw from; None (default) uses the global one.
    """
    from .._creation import empty_like

    def norm_cdf(x: float) -> float:
        return (1.0 + math.erf(x / math.sqrt(2.0))) / 2.0

    if (mean < a - 2 * std) or (mean > b + 2 * std):
        warnings.warn(
            "mean is more than 2 std from [a, b] in nn.init.trunc_normal_. "
            "The distribution of values may be incorrect.",
            stacklevel=2,
        )
    if tensor.is_meta:
        return tensor  # no values to draw (rejection sampling reads them)
    where = _core._where
    with no_grad():
        p = norm_cdf((b - mean) / std) - norm_cdf((a - mean) / std)
        if p > 0.3:
            lo, hi = tensor.new_tensor(a).item(), tensor.new_tensor(b).item()  # the bounds in its dtype
            result = tensor.normal_(mean, std, generator=generator)
            while True:
                mask = (result < lo).logical_or(result > hi)
                if not bool(mask.any()):
                    break
                result = where(mask, empty_like(result).normal_(mean, std, generator=generator), result)
            if result is not tensor:
                tensor.copy_(result)
            return tensor
        mode = max(a, min(mean, b))
        log_peak = -0.5 * ((mode - mean) / std) ** 2

        def log_density(c: Tensor) -> Tensor:
            return ((c - mean) / std).pow(2) * -0.5 - log_peak

        def draw_accept() -> Tensor:
            return empty_like(tensor).uniform_(generator=generator).log()

        tensor.uniform_(a, b, generator=generator)
        pending = draw_accept() > log_density(tensor)
        result = tensor.clone()
        while bool(pending.any()):
            candidates = empty_like(tensor).uniform_(a, b, generator=generator)
            result = where(pending, candidates, result)
            pending = where(pending, draw_accept() > log_density(candidates), pending)
        tensor.copy_(result)
        return tensor


def orthogonal_(tensor: Tensor, gain: float = 1.0, generator=None) -> Tensor:
    """A (semi-)orthogonal matrix from the QR decomposition of a normal sample, times gain.

    Args:
        tensor: the tensor to fill in place, at least 2-D (trailing dims are flattened).
        gain: the scaling factor (default 1).
        generator: the random generator to draw from; None (default) uses the global one.
    """
    if tensor.dim() < 2:
        raise ValueError("Only tensors with 2 or more dimensions are supported")
    if tensor.numel() == 0 or tensor.is_meta:
        return tensor  # a meta tensor: no values to fill
    rows = tensor.shape[0]
    cols = tensor.numel() // rows
    from .._creation import empty

    flat = empty((rows, cols), dtype=tensor.dtype)
    flat.normal_(0, 1, generator=generator)
    if flat.dtype in (_core.float16, _core.bfloat16):
        from ..linalg import qr

        qr(flat)  # PyTorch's QR has no kernel for these: its error
    a = np.asarray(flat.numpy(), dtype=np.float64)
    if rows < cols:
        a = a.T
    q, r = np.linalg.qr(a)
    q = q * np.sign(np.diag(r))
    if rows < cols:
        q = q.T
    with no_grad():
        _write(tensor, q.astype(_np_dtype(tensor)))
        tensor.mul_(gain)
    return tensor


def sparse_(tensor: Tensor, sparsity: float, std: float = 0.01, generator=None) -> Tensor:
    """N(0, std²) with a fraction `sparsity` of each column zeroed (rows chosen by randperm).

    Args:
        tensor: the 2-D tensor to fill in place.
        sparsity: the fraction of each column set to zero.
        std: the standard deviation of the non-zero values (default 0.01).
        generator: the random generator to draw from; None (default) uses the global one.
    """
    from .._random_streams import randperm

    if tensor.dim() != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    rows, cols = tensor.shape
    num_zeros = math.ceil(sparsity * rows)
    with no_grad():
        tensor.normal_(0, std, generator=generator)
        for col_idx in range(cols):
            # PyTorch draws the zeroed rows from the global stream even when given a generator
            zero_indices = randperm(rows)[:num_zeros]
            tensor[zero_indices, col_idx] = 0
    return tensor


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Fills `tensor` with `val`."""
    with no_grad():
        return tensor.fill_(val)


def ones_(tensor: Tensor) -> Tensor:
    """Fills `tensor` with ones."""
    return constant_(tensor, 1.0)


def zeros_(tensor: Tensor) -> Tensor:
    """Fills `tensor` with zeros."""
    with no_grad():
        return tensor.zero_()


def eye_(tensor: Tensor) -> Tensor:
    """Fills a 2-D tensor with the identity matrix."""
    from .._creation import eye

    if tensor.dim() != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    with no_grad():
        tensor.copy_(eye(tensor.shape[0], tensor.shape[1], dtype=tensor.dtype))
    return tensor


def dirac_(tensor: Tensor, groups: int = 1) -> Tensor:
    """Fills a 3-, 4- or 5-D tensor with the Dirac delta (identity convolution).

    Args:
        tensor: the 3-, 4- or 5-D weight to fill in place.
        groups: the number of groups of the convolution; out_channels is split among them
            (default 1).
    """
    dimensions = tensor.dim()
    if dimensions not in [3, 4, 5]:
        raise ValueError("Only tensors with 3, 4, or 5 dimensions are supported")
    sizes = tuple(tensor.shape)
    if sizes[0] % groups != 0:
        raise ValueError("dim 0 must be divisible by groups")
    out_chans_per_grp = sizes[0] // groups
    min_dim = min(out_chans_per_grp, sizes[1])
    vals = np.zeros(sizes)
    for g in range(groups):
        for d in range(min_dim):
            idx = (g * out_chans_per_grp + d, d) + tuple(s // 2 for s in sizes[2:])
            vals[idx] = 1
    with no_grad():
        return _write(tensor, vals)


def xavier_uniform_(tensor: Tensor, gain: float = 1.0, generator=None) -> Tensor:
    """U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out)).

    Args:
        tensor: the tensor to fill in place (without recording a graph).
        gain: the scaling factor (default 1).
        generator: the random generator to draw from; None (default) uses the global one.
    """
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    a = math.sqrt(3.0) * std
    return uniform_(tensor, -a, a, generator)


def xavier_normal_(tensor: Tensor, gain: float = 1.0, generator=None) -> Tensor:
    """N(0, std²) with std = gain * sqrt(2 / (fan_in + fan_out)).

    Args:
        tensor: the tensor to fill in place (without recording a graph).
        gain: the scaling factor (default 1).
        generator: the random generator to draw from; None (default) uses the global one.
    """
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return normal_(tensor, 0.0, std, generator)


def kaiming_uniform_(tensor: Tensor, a: float = 0, mode: str = "fan_in", nonlinearity: str = "leaky_relu",
                     generator=None) -> Tensor:
    """U(-bound, bound) with bound = gain * sqrt(3 / fan), He initialization.

    Args:
        tensor: the tensor to fill in place (without recording a graph).
        a: the negative slope of the leaky ReLU that follows (default 0: a ReLU).
        mode: 'fan_in' (default) keeps the variance of the forward activations, 'fan_out'
            that of the backward gradients.
        nonlinearity: the nonlinearity the layer feeds, for `calculate_gain` (default
            'leaky_relu').
        generator: the random generator to draw from; None (default) uses the global one.
    """
    if 0 in tuple(tensor.shape):
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=2)
        return tensor
    fan = _calculate_correct_fan(tensor, mode)
    gain = calculate_gain(nonlinearity, a)
    std = gain / math.sqrt(fan)
    bound = math.sqrt(3.0) * std
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor: Tensor, a: float = 0, mode: str = "fan_in", nonlinearity: str = "leaky_relu",
                    generator=None) -> Tensor:
    """N(0, std²) with std = gain / sqrt(fan), He initialization.

    Args:
        tensor: the tensor to fill in place (without recording a graph).
        a: the negative slope of the leaky ReLU that follows (default 0: a ReLU).
        mode: 'fan_in' (default) keeps the variance of the forward activations, 'fan_out'
            that of the backward gradients.
        nonlinearity: the nonlinearity the layer feeds, for `calculate_gain` (default
            'leaky_relu').
        generator: the random generator to draw from; None (default) uses the global one.
    """
    if 0 in tuple(tensor.shape):
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=2)
        return tensor
    fan = _calculate_correct_fan(tensor, mode)
    gain = calculate_gain(nonlinearity, a)
    std = gain / math.sqrt(fan)
    return normal_(tensor, 0.0, std, generator)


def _make_deprecated(meth):
    """The old name without the trailing underscore: warns (FutureWarning) and calls `meth`."""
    new_name = meth.__name__
    old_name = new_name[:-1]

    def deprecated_init(*args, **kwargs):
        warnings.warn(
            f"`nn.init.{old_name}` is now deprecated in favor of `nn.init.{new_name}`.", FutureWarning, stacklevel=2
        )
        return meth(*args, **kwargs)

    deprecated_init.__doc__ = f"""
    {old_name}(...)

    .. warning::
        This method is now deprecated in favor of :func:`ferrograd.nn.init.{new_name}`.

    See :func:`~ferrograd.nn.init.{new_name}` for details."""
    deprecated_init.__name__ = old_name
    return deprecated_init


uniform = _make_deprecated(uniform_)
normal = _make_deprecated(normal_)
constant = _make_deprecated(constant_)
eye = _make_deprecated(eye_)
dirac = _make_deprecated(dirac_)
xavier_uniform = _make_deprecated(xavier_uniform_)
xavier_normal = _make_deprecated(xavier_normal_)
kaiming_uniform = _make_deprecated(kaiming_uniform_)
kaiming_normal = _make_deprecated(kaiming_normal_)
orthogonal = _make_deprecated(orthogonal_)
sparse = _make_deprecated(sparse_)
