"""`jacobian(..., strategy="forward-mode")`: one forward-AD pass per input element, as
PyTorch's (which vmaps those passes), so the columns come out of the tangents exactly as
its do (signed zeros and the blocks' strides included)."""

from __future__ import annotations

from collections.abc import Callable

from .. import _core
from .._core import Tensor


def _basis(inputs: tuple, k: int) -> tuple:
    """The tangents of the `k`-th standard basis vector over all the inputs' elements
    (all zero for a `k` past them)."""
    from .._creation import zeros

    tangents = []
    for inp in inputs:
        tangent = zeros(inp.numel(), dtype=inp.dtype)
        if 0 <= k < inp.numel():
            tangent[k] = 1
        k -= inp.numel()
        tangents.append(tangent.view_as(inp))
    return tuple(tangents)


def _column(func: Callable, inputs: tuple, tangents: tuple, as_tuple: Callable) -> tuple:
    """`(outputs were a tuple, the primal outputs, their tangents)` for one direction."""
    from .._creation import zeros_like
    from . import forward_ad

    with forward_ad.dual_level():
        duals = tuple(forward_ad.make_dual(inp, tangent) for inp, tangent in zip(inputs, tangents))
        outputs_tuple, outputs = as_tuple(func(*duals), "outputs of the user-provided function", "jacobian")
        unpacked = [forward_ad.unpack_dual(out) for out in outputs]
    primals = tuple(u.primal for u in unpacked)
    jvps = tuple(zeros_like(u.primal) if u.tangent is None else u.tangent for u in unpacked)
    return outputs_tuple, primals, jvps


def forward_jacobian(func: Callable, inputs: tuple, as_tuple: Callable,
                     hessian_graph: bool = False) -> tuple[bool, list]:
    """`(outputs were a tuple, one list of blocks per output)`: block `[i][j]` has shape
    `outputs[i].shape + inputs[j].shape`. `hessian_graph`: the blocks of the outer
    Jacobian of a Hessian, whose tangents PyTorch leaves attached to the inner
    Jacobian's graph (their grad_fn is the reshape's)."""
    from .._creation import zeros
    from .._shape import stack

    numels = [inp.numel() for inp in inputs]
    total = sum(numels)
    columns = [_column(func, inputs, _basis(inputs, k), as_tuple) for k in range(max(total, 1))]
    outputs_tuple, primals, _ = columns[0]
    blocks: list[list[Tensor]] = []
    for i, out in enumerate(primals):
        if total == 0:
            blocks.append([zeros((*out.shape, *inp.shape), dtype=out.dtype) for inp in inputs])
            continue
        jac = stack([jvps[i] for _, _, jvps in columns], 0)
        row = []
        for part, inp in zip(jac.split(numels, 0), inputs):
            part = part.permute(*range(1, part.dim()), 0)
            block = part.reshape((*out.shape, *inp.shape))
            if hessian_graph and _core.is_grad_enabled() and not block.requires_grad:
                name = "ViewBackward0" if part.is_contiguous() else "ReshapeAliasBackward0"
                block = _core._named_node(block.detach().requires_grad_(True), name, True)
            row.append(block)
        blocks.append(row)
    return outputs_tuple, blocks
