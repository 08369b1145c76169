"""Elementwise ops of sparse COO tensors that keep zeros zero (`abs`, `sin`, `sqrt`,
`pow` with a nonzero exponent, ..., and the full `norm`): PyTorch runs them on the values of the coalesced
tensor, so the result is coalesced; `negative`, `positive` and `conj` run on the values
as stored. Ops that would turn zeros into nonzeros (`exp`, `cos`, ...) have no sparse
kernel in PyTorch and stay refused."""

from __future__ import annotations

from ._core import Tensor
from ._sparse_coo import SparseCooTensor, derived, node, unsupported

_ON_COALESCED = (
    "abs", "absolute", "sqrt", "sin", "tan", "tanh", "asin", "arcsin", "atan", "arctan", "sinh", "asinh",
    "arcsinh", "atanh", "arctanh", "expm1", "log1p", "ceil", "floor", "trunc", "fix", "sign", "sgn", "erf",
    "erfinv", "frac", "deg2rad", "rad2deg", "nan_to_num", "isnan", "isinf", "isposinf", "isneginf", "signbit",
    "square", "relu",
)
_AS_STORED = ("negative", "positive", "conj")


def _on_coalesced(name: str):
    def op(self: SparseCooTensor, *args, **kwargs) -> SparseCooTensor:
        src = self.coalesce()
        return derived(src, getattr(src._fg_values, name)(*args, **kwargs), is_coalesced=True)

    op.__name__ = name
    op.__doc__ = f"`{name}` of the stored values of the coalesced tensor (zeros stay zero)."
    return op


def _in_place_on_coalesced(name: str):
    def op(self: SparseCooTensor, *args, **kwargs) -> SparseCooTensor:
        if not self._fg_coalesced:
            raise RuntimeError(f"{name} requires coalesced input")
        getattr(self._fg_values, name)(*args, **kwargs)
        return self

    op.__name__ = name
    op.__doc__ = f"`{name}` of the stored values, in place (a coalesced tensor only, as PyTorch)."
    return op


def _as_stored(name: str):
    def op(self: SparseCooTensor) -> SparseCooTensor:
        return derived(self, getattr(self._fg_values, name)())

    op.__name__ = name
    op.__doc__ = f"`{name}` of the stored values."
    return op


def _round(self: SparseCooTensor, *, decimals: int = 0) -> SparseCooTensor:
    if decimals:
        raise unsupported("round.decimals")
    src = self.coalesce()
    return derived(src, src._fg_values.round(), is_coalesced=True)


def _pow(self: SparseCooTensor, exponent) -> SparseCooTensor:
    if isinstance(exponent, Tensor):
        raise unsupported("pow.Tensor_Tensor")
    if exponent == 0:
        raise RuntimeError("pow: cannot raise to zeroth power on sparse tensor; it would make the result tensor dense")
    src = self.coalesce()
    return derived(src, src._fg_values.pow(exponent), is_coalesced=True)


@node("NormBackward1")
def _norm(self: SparseCooTensor, p="fro", dim=None, keepdim: bool = False, dtype=None) -> Tensor:
    """The norm of all the elements (zeros add nothing): of the coalesced values."""
    if dim is not None and sorted(d % self.dim() for d in ((dim,) if isinstance(dim, int) else dim)) != \
            list(range(self.dim())):
        raise RuntimeError("norm_sparse currently only supports full reductions, so 'dim' must either be empty or "
                           "contain all dimensions of the input")
    values = self.coalesce()._fg_values
    out = values.norm(2 if p == "fro" else p, **({} if dtype is None else {"dtype": dtype}))
    return out.reshape((1,) * self.dim()) if keepdim else out


SparseCooTensor.norm = _norm
for _name in _ON_COALESCED:
    setattr(SparseCooTensor, _name, _on_coalesced(_name))
    if hasattr(Tensor, _name + "_") and _name != "square":  # PyTorch's square_ is pow_, which has no sparse kernel
        setattr(SparseCooTensor, _name + "_", _in_place_on_coalesced(_name + "_"))
for _name in _AS_STORED:
    setattr(SparseCooTensor, _name, _as_stored(_name))


def _neg_(self: SparseCooTensor) -> SparseCooTensor:
    self._fg_values.neg_()
    return self


SparseCooTensor.neg_ = _neg_
SparseCooTensor.negative_ = _neg_
SparseCooTensor.round = _round
SparseCooTensor.pow = _pow
SparseCooTensor.__pow__ = _pow
SparseCooTensor.__abs__ = SparseCooTensor.abs
