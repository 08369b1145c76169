"""PyTorch's special samplers, drawn from the same generator words as its CPU kernels:
`poisson` (Knuth's product below rate 10, Hörmann's transformed rejection above),
`binomial` (inversion, or Kachitvichyanukul-Schmeiser BTRS when n*p >= 10),
`_standard_gamma` (Marsaglia-Tsang, boosted below concentration 1) with its implicit
reparameterization gradient, and `_sample_dirichlet` (normalized doubles)."""

from __future__ import annotations

import math
import struct
from typing import Any

from . import _core
from ._core import Tensor
from ._dtype_names import scalar_name
from ._random import using
from ._shell_dtypes import refuse_float8

__all__ = ["binomial", "poisson"]


class _LazyNumpy:
    """NumPy, imported on first use so that `import ferrograd` does not load it."""

    def __getattr__(self, name: str) -> Any:
        import numpy

        return getattr(numpy, name)


np: Any = _LazyNumpy()

# the cached Box-Muller normal in PyTorch's CPUGeneratorImplState
_NORMAL_Y_AT = 24 + 624 * 8 + 8
_NORMAL_VALID_AT = _NORMAL_Y_AT + 16
_BLOCK_WORDS = 4096  # 32-bit words read ahead at a time (two per uniform)


class _Draws:
    """Doubles as PyTorch's `uniform_real_distribution<double>` (53 bits of a 64-bit
    draw, high word first) and `normal_distribution<double>` draw them one at a time:
    uniforms are made ahead in blocks, and on `close` the generator is left exactly as
    many words further on as were used, with the normal cache as the draws left it."""

    def __init__(self) -> None:
        self._start = _core._get_rng_state()
        self._cached = struct.unpack_from("<i", self._start, _NORMAL_VALID_AT)[0] != 0
        self._spare = struct.unpack_from("<d", self._start, _NORMAL_Y_AT)[0]
        self._uniforms: list[float] = []
        self._at = 0
        self._fetched = 0

    def uniform(self) -> float:
        if self._at == len(self._uniforms):
            words = np.frombuffer(_core._random_u32(_BLOCK_WORDS), dtype="<u4").astype(np.uint64).reshape(-1, 2)
            raw = (words[:, 0] << np.uint64(32)) | words[:, 1]
            self._uniforms = ((raw & np.uint64((1 << 53) - 1)).astype(np.float64) * (1.0 / (1 << 53))).tolist()
            self._fetched += _BLOCK_WORDS
            self._at = 0
        value = self._uniforms[self._at]
        self._at += 1
        return value

    def normal(self) -> float:
        if self._cached:
            self._cached = False
            return self._spare
        u1 = self.uniform()
        u2 = self.uniform()
        r = math.sqrt(-2.0 * math.log1p(-u2))
        theta = 2.0 * math.pi * u1
        self._spare, self._cached = r * math.sin(theta), True
        return r * math.cos(theta)

    def close(self) -> None:
        used = self._fetched - 2 * (len(self._uniforms) - self._at)
        state = bytearray(self._start)
        struct.pack_into("<d", state, _NORMAL_Y_AT, self._spare if self._cached else 0.0)
        struct.pack_into("<i", state, _NORMAL_VALID_AT, 1 if self._cached else 0)
        _core._set_rng_state(bytes(self._start))
        if used:
            _core._random_u32(used)
        advanced = bytearray(_core._get_rng_state())
        advanced[_NORMAL_Y_AT:_NORMAL_VALID_AT + 4] = state[_NORMAL_Y_AT:_NORMAL_VALID_AT + 4]
        _core._set_rng_state(bytes(advanced))


def _each(values: np.ndarray, sample, out_dtype) -> np.ndarray:
    draws = _Draws()
    try:
        flat = [sample(v, draws) for v in values.reshape(-1).tolist()]
    finally:
        draws.close()
    return np.asarray(flat, dtype=out_dtype).reshape(values.shape)


def _numpy_of(t: Tensor) -> np.ndarray:
    return t.detach().contiguous().numpy()


def _is_float32(t: Tensor) -> bool:
    return t.dtype == _core.float32


# the samplers whose CPU kernels have no bfloat16 form (poisson's has)
_NO_BFLOAT16 = ("gamma_cpu", "dirichlet", "binomial_cpu")


def _need_floating(t: Tensor, name: str) -> None:
    if not t.dtype.is_floating_point or t.dtype == _core.bfloat16 and name in _NO_BFLOAT16:
        kind = {"int64": "Long", "bool": "Bool", "bfloat16": "BFloat16"}.get(repr(t.dtype).split(".", 1)[1],
                                                                             repr(t.dtype))
        raise NotImplementedError(f"\"{name}\" not implemented for '{kind}'")


def _not_differentiable(op: str, drawn: Tensor, *inputs: Tensor) -> Tensor:
    """`drawn` recorded as PyTorch records a sampler without a derivative: a
    `NotImplemented` node whose backward raises, when an input requires grad."""
    if not (_core.is_grad_enabled() and any(t.requires_grad for t in inputs)):
        return drawn
    from ._mathops import _node

    def forward(ctx, values, *_):
        return values.clone()

    def backward(ctx, grad):
        raise RuntimeError(f"derivative for aten::{op} is not implemented")

    return _node("NotImplemented", forward, backward).apply(drawn, *inputs)


def _wrap(values: np.ndarray, like: Tensor) -> Tensor:
    from ._creation import tensor

    return tensor(values, dtype=like.dtype)


# ---- gamma ----------------------------------------------------------------------



def _to_float32(x: float) -> float:
    return struct.unpack("<f", struct.pack("<f", x))[0]


_F32_0331 = _to_float32(0.0331)  # the float literal `0.0331f`
_F32_THIRD = _to_float32(1.0 / 3.0)  # `1.0f / 3.0f`: a float constant even for doubles


def _log(x: float) -> float:
    """C's log: -inf at 0 and NaN below, where Python's raises."""
    if x > 0:
        return math.log(x)
    return -math.inf if x == 0 else math.nan


def _to_int64(x: float) -> int:
    """A C cast of a double to int64_t as x86-64 does it: NaN, infinities and values
    out of range give INT64_MIN."""
    if math.isfinite(x) and -(2.0**63) <= x < 2.0**63:
        return int(x)
    return -(2**63)


def _c_max(values: np.ndarray, low) -> np.ndarray:
    """std::max(low, values): `low` wherever values is not above it, NaN included."""
    return np.where(values > low, values, low).astype(values.dtype)


def _c_min(values: np.ndarray, high) -> np.ndarray:
    """std::min(high, values): `high` unless values is below it (NaN gives `high`)."""
    return np.where(values < high, values, high).astype(values.dtype)


def _c_floor(x: float) -> float:
    """C's floor: infinities and NaN pass through, where Python's raises."""
    return float(math.floor(x)) if math.isfinite(x) else x


def _c_div(a: float, b: float) -> float:
    """C's double division: a signed infinity (or NaN) for a zero divisor."""
    if b != 0:
        return a / b
    return math.nan if a == 0 or math.isnan(a) else math.copysign(math.inf, a) * math.copysign(1.0, b)


def _marsaglia_tsang(scale: float, d: float, c: float, draws: _Draws) -> float:
    """scale * d * v (in that order) for the first accepted (x, u) of Marsaglia and
    Tsang's squeeze."""
    while True:
        while True:
            x = draws.normal()
            y = 1.0 + c * x
            if not y <= 0:  # a NaN (negative concentrations) leaves the loop, as in C
                break
        v = y * y * y
        u = 1.0 - draws.uniform()
        xx = x * x
        if u < 1.0 - _F32_0331 * xx * xx or _log(u) < 0.5 * xx + d * (1.0 - v + _log(v)):
            return scale * d * v


def _gamma_draws(alpha: np.ndarray, single: bool) -> np.ndarray:
    """Gamma(alpha, 1) draws with PyTorch's rounding: the concentration stays in the
    tensor's dtype (float32 rounds 1/alpha, alpha + 1 and alpha - 1/3), the rest is
    double; below 1 it is boosted by one and the draw scaled by U^(1/alpha)."""
    ct = np.float32 if single else np.float64
    a = alpha.astype(ct).reshape(-1)
    boosted = a < ct(1.0)
    with np.errstate(divide="ignore"):
        exponent = (ct(1.0) / a).astype(np.float64)
    raised = np.where(boosted, a + ct(1.0), a)
    d = (raised - ct(_F32_THIRD)).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        c = 1.0 / np.sqrt(9.0 * d)
    draws = _Draws()
    out = []
    try:
        for alpha_i, boost, e, d_i, c_i in zip(a.tolist(), boosted.tolist(), exponent.tolist(), d.tolist(), c.tolist()):
            if alpha_i == 0.0:
                out.append(0.0)
                continue
            scale = (1.0 - draws.uniform()) ** e if boost else 1.0
            out.append(_marsaglia_tsang(scale, d_i, c_i, draws))
    finally:
        draws.close()
    values = np.asarray(out, dtype=np.float64).reshape(alpha.shape)
    return _c_max(values.astype(ct), np.finfo(ct).tiny)


def _standard_gamma(input: Tensor, generator=None) -> Tensor:
    """Gamma(input, 1) draws, differentiable in `input` through the implicit
    reparameterization gradient (node `StandardGammaBackward0`)."""
    _need_floating(input, "gamma_cpu")
    with using(generator):
        drawn = _wrap(_gamma_draws(_numpy_of(input), _is_float32(input)), input)
    if not (_core.is_grad_enabled() and input.requires_grad):
        return drawn
    from ._gamma_grad import attach_standard_gamma

    return attach_standard_gamma(input, drawn)


def _standard_gamma_grad(input: Tensor, output: Tensor) -> Tensor:
    """d output / d input of a standard gamma draw, holding its CDF fixed."""
    from ._gamma_grad import standard_gamma_grad

    return standard_gamma_grad(input, output)


def _sample_dirichlet(input: Tensor, generator=None) -> Tensor:
    """Dirichlet(input) draws over the last dimension: double-precision gammas
    normalized, clamped into [tiny, 1) of the dtype."""
    _need_floating(input, "dirichlet")
    alpha = _numpy_of(input)
    with using(generator):
        gammas = _gamma_draws(alpha.astype(np.float64), False) if alpha.size else alpha.astype(np.float64)
    sums = gammas.sum(-1, keepdims=True) if gammas.ndim else gammas
    ratio = gammas / sums
    ct = np.float32 if _is_float32(input) else np.float64
    top = np.nextafter(ct(1.0), ct(0.0))
    drawn = _wrap(_c_min(_c_max(ratio.astype(ct), np.finfo(ct).tiny), top), input)
    return _not_differentiable("_sample_dirichlet", drawn, input)


# ---- poisson --------------------------------------------------------------------


def _poisson_one(lam: float, draws: _Draws) -> float:
    if lam >= 10:
        slam = math.sqrt(lam)
        loglam = math.log(lam)
        b = 0.931 + 2.53 * slam
        a = -0.059 + 0.02483 * b
        invalpha = 1.1239 + 1.1328 / (b - 3.4)
        vr = 0.9277 - 3.6224 / (b - 2)
        while True:
            u = draws.uniform() - 0.5
            v = draws.uniform()
            us = 0.5 - abs(u)
            k = _to_int64(_c_floor((_c_div(2 * a, us) + b) * u + lam + 0.43))
            if us >= 0.07 and v <= vr:
                return k
            if k < 0 or (us < 0.013 and v > us):
                continue
            if _log(v) + _log(invalpha) - _log(_c_div(a, us * us) + b) <= -lam + k * loglam - math.lgamma(k + 1.0):
                return k
    if lam == 0:
        return 0
    limit = math.exp(-lam)
    count, product = 0, 1.0
    while True:
        product *= draws.uniform()
        if product <= limit:
            return count
        count += 1


def poisson(input: Tensor, generator=None) -> Tensor:
    """Poisson draws with the rates in `input` (in its dtype).

    Args:
        input: non-negative rates.
        generator: the random generator to draw from; None for the default one.
    """
    _need_floating(input, "poisson_cpu")
    refuse_float8("poisson_cpu", input)
    # PyTorch's kernel has a bfloat16 form; NumPy has no bfloat16, float32 holds it exactly
    rates = _numpy_of(input.float() if input.dtype == _core.bfloat16 else input).astype(np.float64)
    if rates.size and not bool((rates >= 0).all()):
        raise RuntimeError("invalid Poisson rate, expected rate to be non-negative")
    with using(generator):
        out = _each(rates, _poisson_one, np.float64)
    result = _wrap(out, input)
    if _core.is_grad_enabled() and input.requires_grad:
        return _core._named_node(input * 0 + result, "PoissonBackward0")
    return result


# ---- binomial -------------------------------------------------------------------

# log(k!) minus its Stirling approximation, k = 0..9
_STIRLING_TAIL = [
    0.0810614667953272, 0.0413406959554092, 0.0276779256849983, 0.02079067210376509, 0.0166446911898211,
    0.0138761288230707, 0.0118967099458917, 0.0104112652619720, 0.00925546218271273, 0.00833056343336287,
]


def _stirling_tail(k: float) -> float:
    if k <= 9:
        return _STIRLING_TAIL[int(k)]
    kp1sq = (k + 1) * (k + 1)
    return (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / kp1sq) / kp1sq) / (k + 1)


def _btrs(n: float, p: float, draws: _Draws) -> float:
    stddev = math.sqrt(n * p * (1 - p))
    b = 1.15 + 2.53 * stddev
    a = -0.0873 + 0.0248 * b + 0.01 * p
    c = n * p + 0.5
    v_r = 0.92 - 4.2 / b
    r = p / (1 - p)
    alpha = (2.83 + 5.1 / b) * stddev
    m = _c_floor((n + 1) * p)
    while True:
        u = draws.uniform() - 0.5
        v = draws.uniform()
        us = 0.5 - abs(u)
        k = _c_floor((_c_div(2 * a, us) + b) * u + c)
        if k < 0 or k > n:
            continue
        if us >= 0.07 and v <= v_r:
            return k
        v = _log(_c_div(v * alpha, _c_div(a, us * us) + b))
        bound = ((m + 0.5) * _log(_c_div(m + 1, r * (n - m + 1)))
                 + (n + 1) * _log(_c_div(n - m + 1, n - k + 1))
                 + (k + 0.5) * _log(_c_div(r * (n - k + 1), k + 1))
                 + _stirling_tail(m) + _stirling_tail(n - m) - _stirling_tail(k) - _stirling_tail(n - k))
        if v <= bound:
            return k


def _inversion(n: float, p: float, draws: _Draws) -> float:
    total, count = 0.0, 0
    logq = math.log1p(-p)
    while True:
        step = _c_div(_log(draws.uniform()), logq)
        total += float(math.ceil(step)) if math.isfinite(step) else step
        if total > n:
            return count
        count += 1


def _binomial_one(n: float, p: float, draws: _Draws, single: bool) -> float:
    if n <= 0.0 or p <= 0.0:
        return 0.0
    if p >= 1.0:
        return n
    if p <= 0.5:
        return _btrs(n, p, draws) if n * p >= 10.0 else _inversion(n, p, draws)
    if p > 0.5:
        q = float(np.float32(1.0) - np.float32(p)) if single else 1.0 - p
        return n - (_btrs(n, q, draws) if n * q >= 10.0 else _inversion(n, q, draws))
    return math.nan


def binomial(count: Tensor, prob: Tensor, generator=None) -> Tensor:
    """Binomial(count, prob) draws (counts and probabilities broadcast together).

    Args:
        count: the numbers of trials.
        prob: the success probabilities.
        generator: the random generator to draw from; None for the default one.
    """
    for name, t in (("count", count), ("prob", prob)):
        if not t.dtype.is_floating_point:
            raise ValueError(f"binomial only supports floating-point dtypes for {name}, got: {scalar_name(t.dtype)}")
    if prob.dtype != count.dtype:
        raise RuntimeError(f"Found dtype {scalar_name(prob.dtype)} but expected {scalar_name(count.dtype)}")
    if count.dtype in (_core.float16, _core.bfloat16):  # PyTorch's CPU kernel: float32 and float64
        raise NotImplementedError(f"\"binomial_cpu\" not implemented for '{scalar_name(count.dtype)}'")
    _need_floating(count, "binomial_cpu")
    import ferrograd

    count, prob = ferrograd.broadcast_tensors(count, prob.to(count.dtype))
    n = _numpy_of(count).astype(np.float64)
    p = _numpy_of(prob).astype(np.float64)
    single = _is_float32(count)
    draws = _Draws() if n.size else None
    try:
        with using(generator):
            flat = [_binomial_one(a, b, draws, single) for a, b in zip(n.reshape(-1).tolist(), p.reshape(-1).tolist())]
    finally:
        if draws is not None:
            draws.close()
    drawn = _wrap(np.asarray(flat, dtype=np.float64).reshape(n.shape), count)
    return _not_differentiable("binomial", drawn, count, prob)
