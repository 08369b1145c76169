"""Elementwise ops of sparse CSR tensors that keep zeros zero (`abs`, `sin`, `sqrt`,
`neg`, `round`, ...): PyTorch runs them on the stored values, so the result has the
input's indices. Ops that would turn zeros into nonzeros (`exp`, `cos`, ...) stay
refused with PyTorch's errors."""

from __future__ import annotations

from ._core import Tensor
from ._sparse_csr import SparseCsrTensor, derived

ZERO_PRESERVING = (
    "abs", "absolute", "sqrt", "sin", "tan", "tanh", "asin", "arcsin", "atan", "arctan", "sinh", "asinh",
    "arcsinh", "atanh", "arctanh", "expm1", "log1p", "ceil", "floor", "trunc", "fix", "sign", "sgn", "erf",
    "erfinv", "frac", "deg2rad", "rad2deg", "round", "isnan", "isinf", "isposinf", "isneginf", "signbit",
    "relu", "neg", "negative", "conj",
)
# ops PyTorch sends down a path that has no CSR form at all (not a missing kernel)
_NO_CSR_PATH = ("exp", "exp_", "cos", "cos_", "sigmoid", "sigmoid_", "square", "square_", "pow", "pow_", "__pow__",
                "eq", "__eq__", "sub", "__sub__", "div", "__truediv__")


def _on_values(name: str):
    def op(self: SparseCsrTensor, *args, **kwargs) -> SparseCsrTensor:
        return derived(self, getattr(self._fg_values, name)(*args, **kwargs))

    op.__name__ = name
    op.__doc__ = f"`{name}` of the stored values (zeros stay zero)."
    return op


def _in_place_on_values(name: str):
    def op(self: SparseCsrTensor, *args, **kwargs) -> SparseCsrTensor:
        getattr(self._fg_values, name)(*args, **kwargs)
        return self

    op.__name__ = name
    op.__doc__ = f"`{name}` of the stored values, in place."
    return op


def _no_csr_path(name: str):
    def refuse(self: SparseCsrTensor, *args, **kwargs):
        raise RuntimeError(f"unsupported tensor layout: {self._fg_layout_name}")

    refuse.__name__ = name
    return refuse


def _round(self: SparseCsrTensor, *, decimals: int = 0) -> SparseCsrTensor:
    if decimals:
        raise RuntimeError(f"unsupported tensor layout: {self._fg_layout_name}")
    return derived(self, self._fg_values.round())


def _positive(self: SparseCsrTensor) -> SparseCsrTensor:
    return self


def install() -> None:
    for name in ZERO_PRESERVING:
        setattr(SparseCsrTensor, name, _on_values(name))
        if hasattr(Tensor, name + "_") and name not in ("square", "conj"):
            setattr(SparseCsrTensor, name + "_", _in_place_on_values(name + "_"))
    for name in _NO_CSR_PATH:
        setattr(SparseCsrTensor, name, _no_csr_path(name))
    SparseCsrTensor.round = _round
    SparseCsrTensor.positive = _positive
    SparseCsrTensor.__pos__ = _positive
    SparseCsrTensor.__neg__ = SparseCsrTensor.neg
    SparseCsrTensor.__abs__ = SparseCsrTensor.abs
