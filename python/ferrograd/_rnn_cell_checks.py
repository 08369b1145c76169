"""PyTorch's shape checks of an RNN cell step (`rnn_tanh_cell`, `rnn_relu_cell`), made
before any product, in its order: the weights' first sizes against the hidden size, the
input's size against `w_ih`'s, then the batch and hidden sizes of `hx` (a 0-dim or 1-dim operand fails on the size it lacks)."""

from __future__ import annotations

from ._core import Tensor


def size_of(t: Tensor, dim: int) -> int:
    """`t.size(dim)` with PyTorch's IndexError for a dimension `t` lacks."""
    if t.dim() == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    if not -t.dim() <= dim < t.dim():
        raise IndexError(f"Dimension out of range (expected to be in range of [{-t.dim()}, {t.dim() - 1}], "
                         f"but got {dim})")
    return t.shape[dim]


def check_cell(input, hx, w_ih, w_hh) -> None:
    if not all(isinstance(t, Tensor) for t in (input, hx, w_ih, w_hh)):
        return  # the parser's refusal comes from the op itself
    hidden_size = size_of(w_hh, 1)
    for name, weight in (("weight_ih", w_ih), ("weight_hh", w_hh)):
        if size_of(weight, 0) != hidden_size:
            raise RuntimeError(f"{name} first dim must be 1 * hidden_size = {hidden_size}, but got {size_of(weight, 0)}")
    input_size = size_of(w_ih, 1)
    if size_of(input, 1) != input_size:
        raise RuntimeError(f"input has inconsistent input_size: got {size_of(input, 1)} expected {input_size}")
    if size_of(input, 0) != size_of(hx, 0):
        raise RuntimeError(f"Input batch size {size_of(input, 0)} doesn't match hidden0 batch size {size_of(hx, 0)}")
    if size_of(hx, 1) != hidden_size:
        raise RuntimeError(f"hidden0 has inconsistent hidden_size: got {size_of(hx, 1)}, expected {hidden_size}")
