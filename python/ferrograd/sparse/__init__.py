"""`ferrograd.sparse`: PyTorch's `torch.sparse` functions for sparse COO (and CSR) tensors."""

from __future__ import annotations

from typing import Self

from .._core import Tensor
from .._memory_format import sparse_csr
from .._sparse_coo import with_node
from .._sparse_coo_create import INVARIANT_CHECKS
from .._sparse_coo_ops import sparse_sum
from .._sparse_coo_softmax import sparse_softmax
from .._sparse_sampled_addmm import sampled_addmm

__all__ = ["addmm", "check_sparse_tensor_invariants", "log_softmax", "mm", "sampled_addmm", "softmax", "sum"]


def sum(input: Tensor, dim=None, dtype=None) -> Tensor:
    """The sum of a sparse tensor: over all elements (a dense 0-d tensor) or over `dim`
    (a sparse tensor, or a dense one once every sparse dim is summed).

    Args:
        input: a sparse COO tensor.
        dim: a dim or tuple of dims; None sums everything.
        dtype: the dtype to cast the values to before summing.
    """
    return sparse_sum(input, dim, dtype)


# PyTorch's `torch._sparse_mm`, which `sparse.mm` calls
_SPARSE_MM = ("sparse:T dense:T", "sparse:T dense:T reduce:s")


def mm(mat1: Tensor, mat2: Tensor, reduce: str | None = None) -> Tensor:
    """The matrix product of a sparse COO matrix and a dense matrix (or of two dense
    matrices); the gradient reaches both the sparse values and the dense matrix.

    Args:
        mat1: a 2-D sparse COO tensor (or a dense matrix).
        mat2: a dense matrix.
        reduce: with a sparse CSR `mat1`: how each output row combines the products of
            its stored entries ("sum", "mean", "amax", "amin").
    """
    from .._parser_check import signature_error

    error = signature_error("_sparse_mm", _SPARSE_MM, (mat1, mat2) if reduce is None else (mat1, mat2, reduce), {})
    if error is not None:
        raise error
    if reduce is not None:
        if getattr(type(mat1), "_fg_compressed", False) and mat1.layout == sparse_csr and mat1.dim() == 2:
            from .._sparse_mm_reduce import sparse_mm_reduce

            return sparse_mm_reduce(mat1, mat2, reduce)
        raise NotImplementedError("ferrograd.sparse.mm: reduce= is implemented for a 2-D sparse CSR input only")
    out = mat1.mm(mat2)
    return with_node(out, "SparseAddmmBackward0") if mat1.is_sparse and not mat2.is_sparse else out


def addmm(mat: Tensor, mat1: Tensor, mat2: Tensor, *, beta=1, alpha=1) -> Tensor:
    """`beta * mat + alpha * (mat1 @ mat2)` for a sparse COO `mat1` and dense `mat` and
    `mat2` (a dense result).

    Args:
        mat: the dense matrix added.
        mat1: a sparse COO matrix.
        mat2: a dense matrix.
        beta: the multiplier of `mat`.
        alpha: the multiplier of the product.
    """
    return with_node(beta * mat + alpha * mat1.mm(mat2), "SparseAddmmBackward0")


def softmax(input: Tensor, dim: int, dtype=None) -> Tensor:
    """Softmax over the stored values of a sparse COO tensor that share every other
    coordinate (entries not stored count as minus infinity).

    Args:
        input: a sparse COO tensor of floating dtype.
        dim: the dim to normalize along.
        dtype: the dtype to cast the values to first.
    """
    return sparse_softmax(input, dim, dtype)




def log_softmax(input: Tensor, dim: int, dtype=None) -> Tensor:
    """The log of `softmax`, computed as `x - log(sum(exp(x)))` over the stored values
    that share every other coordinate.

    Args:
        input: a sparse COO tensor of floating dtype.
        dim: the dim to normalize along.
        dtype: the dtype to cast the values to first.
    """
    return sparse_softmax(input, dim, dtype, log=True)


class check_sparse_tensor_invariants:
    """Whether `sparse_coo_tensor` checks its indices when `check_invariants` is not
    given (off by default, as in PyTorch): `enable()`/`disable()`/`is_enabled()`, or a
    context manager or decorator that turns the check on (or off) for its extent.

    Args:
        enable: the state inside the context (default True).
    """

    @staticmethod
    def is_enabled() -> bool:
        """Whether the checks are on."""
        return INVARIANT_CHECKS.enabled

    @staticmethod
    def enable() -> None:
        """Turns the checks on."""
        INVARIANT_CHECKS.enabled = True

    @staticmethod
    def disable() -> None:
        """Turns the checks off."""
        INVARIANT_CHECKS.enabled = False

    def __init__(self, enable: bool = True) -> None:
        self.state = enable
        self.saved: list[bool] = []

    def __enter__(self) -> Self:
        self.saved.append(INVARIANT_CHECKS.enabled)
        INVARIANT_CHECKS.enabled = self.state
        return self

    def __exit__(self, *exc) -> None:
        INVARIANT_CHECKS.enabled = self.saved.pop()

    def __call__(self, fn):
        import functools

        @functools.wraps(fn)
        def checked(*args, **kwargs):
            with self:
                return fn(*args, **kwargs)

        return checked
