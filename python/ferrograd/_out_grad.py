"""What the `out=` form of a function PyTorch lets run while an argument requires grad
leaves on `out`: most record PyTorch's `NotImplemented` node, whose backward raises
"derivative for aten::<kernel> is not implemented" (their out= kernels have no
derivative formula); `inner` and `tensordot` copy their differentiable result
(`CopyBackwards`)."""

from __future__ import annotations

from typing import Any

from ._core import Tensor, is_grad_enabled

_VIEW_COPIES = (
    "alias_copy", "as_strided_copy", "detach_copy", "diagonal_copy", "expand_copy", "permute_copy", "select_copy",
    "slice_copy", "squeeze_copy", "t_copy", "transpose_copy", "unfold_copy", "unsqueeze_copy", "view_copy",
)

# function name -> the kernel the backward's message names
_NOT_DIFFERENTIABLE = {
    "softmax": "softmax", "log_softmax": "log_softmax", "heaviside": "heaviside", "conj_physical": "conj_physical",
    "slice_scatter": "slice_scatter", "eigvals": "linalg_eigvals", "scatter": "scatter",
    "floor_divide": "floor_divide", "diag": "diagonal_copy", "linspace": "linspace", "logspace": "logspace",
    **{name: name for name in _VIEW_COPIES},
}

COPIES_RESULT = frozenset({"inner", "tensordot"})

_NODES: dict[str, Any] = {}


def _node_for(kernel: str) -> Any:
    node = _NODES.get(kernel)
    if node is None:
        from ._mathops import _node

        def forward(ctx: Any, out: Tensor, *inputs: Tensor) -> Tensor:
            ctx.mark_dirty(out)
            return out

        def backward(ctx: Any, *grads: Any) -> Any:
            raise RuntimeError(f"derivative for aten::{kernel} is not implemented")

        node = _NODES[kernel] = _node("NotImplemented", forward, backward)
    return node


def _kernel(name: str, args: tuple) -> str | None:
    kernel = _NOT_DIFFERENTIABLE.get(name)
    if name == "diag" and args and isinstance(args[0], Tensor) and args[0].dim() == 1:
        return "diag_embed"
    return kernel


def record_not_implemented(name: str, inputs: list[Tensor], out: Any, kernel: str | None = None) -> None:
    """Makes `out` (written by `name`'s out= form) the output of a NotImplemented node
    when an input requires grad, as PyTorch's out= kernels without a derivative do
    (`kernel` names the kernel where the arguments decide it)."""
    kernel = kernel or _kernel(name, tuple(inputs))
    if kernel is None or not isinstance(out, Tensor) or not is_grad_enabled():
        return
    needing = [t for t in inputs if t.requires_grad]
    if needing:
        _node_for(kernel).apply(out, *needing)
