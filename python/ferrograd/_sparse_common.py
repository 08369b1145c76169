"""What the sparse tensor classes share: a sparse tensor keeps its size in `_fg_size`
(the core tensor under it is an empty stand-in) and its autograd history on its values
tensor `_fg_values`."""

from __future__ import annotations

from typing import Any

import numpy as np


class SparseCommon:
    """`shape`, `size`, `dim`, `ndim` and `numel` from `_fg_size`; `requires_grad`,
    `is_leaf` and `grad_fn` from `_fg_values`; no lazy conjugate or negative bit."""

    _fg_size: tuple[int, ...]
    _fg_values: Any

    @property
    def shape(self) -> Any:
        from ._size import Size

        return Size(self._fg_size)

    def size(self, dim: int | None = None) -> Any:
        if dim is None:
            return self.shape
        return self._fg_size[wrap_dim(dim, len(self._fg_size))]

    def dim(self) -> int:
        return len(self._fg_size)

    ndimension = dim

    @property
    def ndim(self) -> int:
        return len(self._fg_size)

    def numel(self) -> int:
        return int(np.prod(self._fg_size, dtype=np.int64))

    nelement = numel

    @property
    def requires_grad(self) -> bool:
        return self._fg_values.requires_grad

    @requires_grad.setter
    def requires_grad(self, flag: bool) -> None:
        self._fg_values.requires_grad = flag

    def requires_grad_(self, requires_grad: bool = True) -> Any:
        self._fg_values.requires_grad_(requires_grad)
        return self

    @property
    def is_leaf(self) -> bool:
        return self._fg_values.is_leaf

    @property
    def grad_fn(self) -> Any:
        return self._fg_values.grad_fn

    # a sparse tensor never carries the lazy conjugate or negative bit: its ops write
    # their values out, so resolving either is the tensor itself (as in PyTorch)
    def is_conj(self) -> bool:
        return False

    def is_neg(self) -> bool:
        return False

    def resolve_conj(self) -> Any:
        return self

    def resolve_neg(self) -> Any:
        return self


def is_compressed(x: Any) -> bool:
    """Whether `x` is a tensor of a compressed sparse layout (CSR or CSC)."""
    return getattr(type(x), "_fg_compressed", False)


def wrap_dim(dim: int, ndim: int) -> int:
    """`dim` in [0, ndim) (a 0-d tensor takes dims -1 and 0), or PyTorch's IndexError."""
    if not -max(ndim, 1) <= dim < max(ndim, 1):
        lo, hi = -max(ndim, 1), max(ndim, 1) - 1
        raise IndexError(f"Dimension out of range (expected to be in range of [{lo}, {hi}], but got {dim})")
    return dim % max(ndim, 1)
