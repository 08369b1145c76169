"""PyTorch's words for the operands of `addmm` and `baddbmm` it refuses before computing.

The core checks the same things in another order and words them as its matmul does
("expected m1 and m2 to have the same dtype"); PyTorch's `addmm` checks the dtypes of
`self` and `mat2`, then of `mat1` and `mat2`, then that both are matrices, and its
`baddbmm` expands `input` to the result's shape, then checks that `input` and `batch1`
share a dtype, and an in-place one that `self` has batch2's dtype (the result's). These
give PyTorch's error for a call the core refused (on the error path only), or None where
PyTorch would pass these checks.
"""

from __future__ import annotations

from typing import Any

from ._core import Tensor
from ._dtype_names import cpp_name, scalar_name


def addmm_refusal(input: Any, mat1: Any, mat2: Any, in_place: bool = False) -> RuntimeError | None:
    if not all(isinstance(t, Tensor) for t in (input, mat1, mat2)):
        return None
    if input.dtype != mat2.dtype:
        return RuntimeError(f"self and mat2 must have the same dtype, but got {scalar_name(input.dtype)} and "
                            f"{scalar_name(mat2.dtype)}")
    if mat1.dtype != mat2.dtype:
        return RuntimeError(f"mat1 and mat2 must have the same dtype, but got {scalar_name(mat1.dtype)} and "
                            f"{scalar_name(mat2.dtype)}")
    for name, operand in (("mat1", mat1), ("mat2", mat2)):
        if operand.dim() != 2:
            return RuntimeError(f"{name} must be a matrix, got {operand.dim()}-D tensor")
    return None


def baddbmm_refusal(input: Any, batch1: Any, batch2: Any, in_place: bool = False) -> RuntimeError | None:
    if not all(isinstance(t, Tensor) for t in (input, batch1, batch2)):
        return None
    if batch1.dim() >= 2 and batch2.dim() >= 3:
        try:
            input.expand(batch1.shape[0], batch1.shape[1], batch2.shape[2])
        except RuntimeError as error:
            return error
    if input.dtype != batch1.dtype:
        return RuntimeError(f"Input dtypes must be the same, got: input {cpp_name(input.dtype)}, batch1: "
                            f"{cpp_name(batch1.dtype)}, batch2: {cpp_name(batch2.dtype)}")
    if in_place and input.dtype != batch2.dtype and _bmm_operands(batch1, batch2):
        return RuntimeError(f"Bad in-place call: input tensor dtype {cpp_name(input.dtype)} and output tensor dtype "
                            f"{cpp_name(batch2.dtype)} should match")
    return None


def _bmm_operands(batch1: Tensor, batch2: Tensor) -> bool:
    """Whether bmm's checks of the batches' ranks and sizes pass."""
    return (batch1.dim() == 3 and batch2.dim() == 3 and batch1.shape[0] == batch2.shape[0]
            and batch1.shape[2] == batch2.shape[1])


REFUSALS = {"addmm": addmm_refusal, "baddbmm": baddbmm_refusal}


def refusal(name: str, operands: tuple) -> RuntimeError | None:
    """PyTorch's error for `name` ("addmm", "baddbmm_", ...) of (input, first, second)."""
    check = REFUSALS.get(name.rstrip("_"))
    return None if check is None else check(*operands, in_place=name.endswith("_"))
