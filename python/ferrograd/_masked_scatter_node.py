"""`masked_scatter` and `masked_scatter_` recorded as PyTorch's single
`MaskedScatterBackward0` node, whose edges go to `input` and `source` themselves (not to
the flattened slice of `source` the kernel reads)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from ._core import Tensor
from ._numpy import np


def _backward(mask: Tensor, input_shape: tuple, source_shape: tuple, grads, saved, needs):
    grad = grads[0]
    wide_mask = mask.expand(tuple(grad.shape))
    grad_input = grad_source = None
    if needs[0]:
        grad_input = grad.masked_fill(wide_mask, 0)
        if tuple(grad_input.shape) != input_shape:
            grad_input = grad_input.sum_to_size(input_shape)
    if needs[1]:
        picked = grad.masked_select(wide_mask)
        room = int(np.prod(source_shape, dtype=np.int64)) - picked.numel()
        if room > 0:
            from ._shape import cat

            picked = cat([picked, picked.new_zeros(room)])
        grad_source = picked.reshape(source_shape)
    return grad_input, grad_source


def masked_scatter_node(input: Tensor, mask: Tensor, source: Tensor, compute: Callable[[], Tensor],
                        inplace: bool = False) -> Tensor:
    """`compute()` (the kernel's result, or `input` written in place) run without
    recording, then made the output of the node."""
    from ._grad_mode import no_grad
    from ._mathops import _refuse_leaf
    from .nn._composite_nodes import record

    if inplace:
        _refuse_leaf(input)
    with no_grad():
        out = compute()
    return record("MaskedScatterBackward0", (input, source), out, (),
                  partial(_backward, mask.detach(), tuple(input.shape), tuple(source.shape)),
                  {"mask": mask, "source_sym_sizes": tuple(source.shape)}, in_place=inplace)
