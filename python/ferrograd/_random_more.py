"""`Tensor.cauchy_`, `Tensor.log_normal_` and `Tensor.geometric_`, drawn as PyTorch's
CPU kernels draw them: one double-precision sample per element, in order, from the
generator's raw 64-bit words (Box-Muller with the generator's cached second normal for
`log_normal_`), then rounded to the tensor's dtype."""

from __future__ import annotations

import math
import struct

from . import _core
from ._argcheck import need_tensor_self
from ._core import Tensor
from ._numpy import np
from ._random import using
from ._random_fill import fill_drawn, in_memory_order, refuse_grad_leaf
from ._shell_dtypes import refuse_float8
from ._windows import _fma

# PyTorch's CPUGeneratorImplState: the cached double normal and its flag
_NORMAL_Y_AT = 24 + 624 * 8 + 8
_NORMAL_VALID_AT = _NORMAL_Y_AT + 16


def _uniform_doubles(n: int) -> np.ndarray:
    """n uniforms in [0, 1) from 53 bits of a 64-bit draw (high word first)."""
    words = np.frombuffer(_core._random_u32(2 * n), dtype="<u4").astype(np.uint64).reshape(n, 2)
    raw = (words[:, 0] << np.uint64(32)) | words[:, 1]
    return (raw & np.uint64((1 << 53) - 1)).astype(np.float64) * (1.0 / (1 << 53))


def _fill(self: Tensor, values: np.ndarray, op: str, node: str) -> Tensor:
    from ._creation import tensor

    return fill_drawn(self, in_memory_order(self, tensor(values, dtype=_core.float64)), op, node)


def _need_floating(self: Tensor, what: str) -> None:
    if not self.dtype.is_floating_point:
        raise NotImplementedError(f"\"{what}\" not implemented for '{_kernel_name(self.dtype)}'")


_CPP_NAMES = {"int64": "long int", "int32": "int", "int16": "short int", "int8": "signed char",
              "uint8": "unsigned char", "bool": "bool"}


def _kernel_name(dtype) -> str:
    from ._dtype_names import scalar_name

    return scalar_name(dtype)


def _tensor_cauchy_(self: Tensor, median: float = 0.0, sigma: float = 1.0, *, generator=None) -> Tensor:
    """Fills this tensor in place with samples of the Cauchy distribution
    `median + sigma * tan(pi * (u - 0.5))`; returns it.

    Args:
        median: the location (default 0).
        sigma: the scale, greater than 0 (default 1).
        generator: the random generator to draw from; None for the default one.
    """
    need_tensor_self("cauchy_", self)
    refuse_grad_leaf(self)
    if not sigma > 0.0:
        raise RuntimeError(f"cauchy_ expects sigma > 0.0, but found sigma={sigma:g}")
    if not self.dtype.is_floating_point:
        raise RuntimeError(
            "Cauchy distribution is a continuous probability distribution. dtype must be a floating point "
            f"but you specified {_CPP_NAMES.get(repr(self.dtype).split('.', 1)[1])}"
        )
    if self.numel():
        refuse_float8("cauchy_cpu", self)
    with using(generator):
        u = _uniform_doubles(self.numel())
    tangents = np.array([math.tan(math.pi * (v - 0.5)) for v in u], dtype=np.float64)
    # median + sigma * tan(...) is one fused multiply-add in PyTorch's compiled kernel
    values = _fma(np.full(len(u), float(sigma)), tangents, np.full(len(u), float(median)), np.float64)
    return _fill(self, values, "cauchy_", "CauchyBackward0")


def _tensor_geometric_(self: Tensor, p: float, *, generator=None) -> Tensor:
    """Fills this tensor in place with the number of Bernoulli(p) trials up to the first
    success, `ceil(log(u) / log1p(-p))`; returns it.

    Args:
        p: the success probability, in (0, 1).
        generator: the random generator to draw from; None for the default one.
    """
    need_tensor_self("geometric_", self)
    refuse_grad_leaf(self)
    if not 0.0 < p < 1.0:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={p:g}")
    if self.dtype == _core.bool or self.dtype.is_complex:
        raise NotImplementedError(f"\"geometric_cpu\" not implemented for '{_kernel_name(self.dtype)}'")
    if self.numel():
        refuse_float8("geometric_cpu", self)
    with using(generator):
        u = _uniform_doubles(self.numel())
    denominator = math.log1p(-p)
    values = np.array([math.ceil(math.log(v) / denominator) if v > 0 else math.inf for v in u], dtype=np.float64)
    return _fill(self, values, "geometric_", "GeometricBackward0")


def _tensor_log_normal_(self: Tensor, mean: float = 1.0, std: float = 2.0, *, generator=None) -> Tensor:
    """Fills this tensor in place with `exp(N(mean, std²))` samples; returns it.

    Args:
        mean: the mean of the underlying normal (default 1).
        std: its standard deviation, greater than 0 (default 2).
        generator: the random generator to draw from; None for the default one.
    """
    need_tensor_self("log_normal_", self)
    refuse_grad_leaf(self)
    if not std > 0.0:
        raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={std:g}")
    _need_floating(self, "log_normal_cpu")
    if self.numel():
        refuse_float8("log_normal_cpu", self)
    n = self.numel()
    with using(generator):
        normals = _standard_normals(n)
    # z * std + mean is one fused multiply-add in PyTorch's compiled kernel
    shifted = _fma(np.asarray(normals, dtype=np.float64), np.full(n, float(std)), np.full(n, float(mean)), np.float64)
    values = np.array([_exp(v) for v in shifted], dtype=np.float64)
    return _fill(self, values, "log_normal_", "LogNormalBackward0")


def _exp(v: float) -> float:
    """The C library's exp (bit for bit PyTorch's), inf past the double range."""
    try:
        return math.exp(v)
    except OverflowError:
        return math.inf


def _standard_normals(n: int) -> list[float]:
    """n standard normals from the generator's scalar Box-Muller path, using and
    leaving its cached second value as PyTorch does."""
    state = bytearray(_core._get_rng_state())
    cached = struct.unpack_from("<i", state, _NORMAL_VALID_AT)[0] != 0
    out: list[float] = []
    if cached and n > 0:
        out.append(struct.unpack_from("<d", state, _NORMAL_Y_AT)[0])
    rounds = (n - len(out) + 1) // 2
    spare = None
    if rounds:
        u = _uniform_doubles(2 * rounds)
        for i in range(rounds):
            u1, u2 = u[2 * i], u[2 * i + 1]
            r = math.sqrt(-2.0 * math.log1p(-u2))
            theta = 2.0 * math.pi * u1
            out.append(r * math.cos(theta))
            spare = r * math.sin(theta)
            if len(out) < n:
                out.append(spare)
                spare = None
    if n > 0 and (cached or rounds):
        state = bytearray(_core._get_rng_state())  # the words advanced: keep them
        if spare is None:
            struct.pack_into("<d", state, _NORMAL_Y_AT, 0.0)
            struct.pack_into("<i", state, _NORMAL_VALID_AT, 0)
        else:
            struct.pack_into("<d", state, _NORMAL_Y_AT, spare)
            struct.pack_into("<i", state, _NORMAL_VALID_AT, 1)
        _core._set_rng_state(bytes(state))
    return out


for _name, _fn in (("cauchy_", _tensor_cauchy_), ("geometric_", _tensor_geometric_),
                   ("log_normal_", _tensor_log_normal_)):
    _fn.__name__ = _fn.__qualname__ = _name
    setattr(Tensor, _name, _fn)
