"""PyTorch's `native_*` entry points (the kernels behind the norm and dropout modules,
returning the statistics they save) and the single-step RNN cells, built on the
functional ops."""

from __future__ import annotations

from typing import Any

from . import _core
from ._argcheck import need_int64
from ._core import Tensor
from ._rnn_cell_checks import check_cell

__all__ = [
    "gru_cell",
    "lstm_cell",
    "native_batch_norm",
    "native_dropout",
    "native_group_norm",
    "native_layer_norm",
    "native_norm",
    "rnn_relu_cell",
    "rnn_tanh_cell",
]


def _F() -> Any:
    from .nn import functional

    return functional


def _mean_and_rstd(x: Tensor, dims: tuple, eps: float) -> tuple[Tensor, Tensor]:
    """The mean and 1/sqrt(biased variance + eps) over `dims` (kept), as saved statistics:
    outside the graph, as PyTorch returns them."""
    d = x.detach()
    mean = d.mean(dims, keepdim=True)
    rstd = (d.var(dims, unbiased=False, keepdim=True) + eps).rsqrt()
    return mean, rstd


def native_layer_norm(input: Tensor, normalized_shape, weight: Tensor | None, bias: Tensor | None,
                      eps: float) -> tuple[Tensor, Tensor, Tensor]:
    """`(layer_norm(input), mean, rstd)`; the statistics have the normalised dims kept as 1.

    Args:
        input: the input tensor.
        normalized_shape: the trailing shape normalised over.
        weight: an optional scale, or None.
        bias: an optional shift, or None.
        eps: added to the variance.
    """
    shape = tuple(normalized_shape)
    out = _F().layer_norm(input, shape, weight, bias, eps)
    dims = tuple(range(input.dim() - len(shape), input.dim()))
    # PyTorch's mixed-type CPU kernel (a half input, float32 parameters) keeps float32 statistics
    mixed = input.dtype in (_core.float16, _core.bfloat16) and any(
        p is not None and p.dtype == _core.float32 for p in (weight, bias))
    stats = _core.float32 if mixed else input.dtype
    mean, rstd = _mean_and_rstd(input.to(stats) if mixed else input, dims, eps)
    return out, mean.to(stats), rstd.to(stats)


def _first_values(t: Tensor | None, c: int) -> Tensor | None:
    """PyTorch's kernel reads (and updates) the first `c` values of a per-channel tensor
    without checking its size; a view of them where it holds more (fewer stay refused:
    PyTorch would read past its end)."""
    if t is None or t.numel() <= c or not t.is_contiguous():
        return t
    return t.view(-1)[:c]


def native_batch_norm(input: Tensor, weight: Tensor | None, bias: Tensor | None, running_mean: Tensor | None,
                      running_var: Tensor | None, training: bool, momentum: float,
                      eps: float) -> tuple[Tensor, Tensor, Tensor]:
    """`(batch_norm(input), save_mean, save_invstd)`: the batch statistics per channel
    (dim 1) in training, empty tensors otherwise (running statistics updated in training).

    Args:
        input: the input, (N, C, *).
        weight: an optional (C,) scale, or None.
        bias: an optional (C,) shift, or None.
        running_mean: the running mean, or None.
        running_var: the running variance, or None.
        training: use (and save) the batch statistics.
        momentum: the weight of the batch in the running statistics.
        eps: added to the variance.
    """
    from ._parser_check import parser_error

    error = parser_error("native_batch_norm", (input, weight, bias, running_mean, running_var, training,
                                               momentum, eps), {})
    if error is not None:
        raise error
    if (running_mean is None) != (running_var is None):
        raise ValueError("running_mean and running_var must either both be None or neither be None")
    if input.dim() == 0:
        from .nn._batch_norm_checks import zero_dim_input_error

        raise zero_dim_input_error()
    if input.dim() < 2:  # PyTorch reads the channel count from dim 1
        raise IndexError("Dimension out of range (expected to be in range of [-1, 0], but got 1)")
    if training and input.numel() == 0:
        from .nn._integer_inputs import need_floating_kernel

        need_floating_kernel(input, "batch_norm")
        raise RuntimeError(f"input tensor must have at least one element, but got input_sizes = {list(input.shape)}")
    # no check of more than one value per channel: that is PyTorch's Python F.batch_norm's
    c = input.shape[1]
    weight, bias, running_mean, running_var = (_first_values(t, c) for t in (weight, bias, running_mean, running_var))
    out = _F()._batch_norm_kernel(input, running_mean, running_var, weight, bias, training, momentum, eps)
    if not training:
        from ._creation import empty

        return out, empty(0, dtype=input.dtype), empty(0, dtype=input.dtype)
    dims = (0, *range(2, input.dim()))
    mean, rstd = _mean_and_rstd(input, dims, eps)
    return out, mean.reshape(-1), rstd.reshape(-1)


def _native_batch_norm_legit(input: Tensor, weight: Tensor | None, bias: Tensor | None, *args) -> tuple[Tensor, Tensor, Tensor]:
    """`native_batch_norm` as PyTorch's private kernel of two overloads:
    `(input, weight, bias, running_mean, running_var, training, momentum, eps)` and,
    without running statistics, `(input, weight, bias, training, momentum, eps)`."""
    if len(args) == 3:
        training, momentum, eps = args
        result = native_batch_norm(input, weight, bias, None, None, training, momentum, eps)
        node = "NativeBatchNormLegitBackward1"
    else:
        running_mean, running_var, training, momentum, eps = args
        result = native_batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps)
        node = "NativeBatchNormLegitBackward0"
    out = result[0]
    if out.grad_fn is not None:
        out = _core._named_node(out, node)
    return out, result[1], result[2]


def _batch_norm_with_update(input: Tensor, weight: Tensor | None, bias: Tensor | None, running_mean: Tensor,
                            running_var: Tensor, momentum: float, eps: float) -> tuple[Tensor, Tensor, Tensor, Tensor]:
    """Training-mode `native_batch_norm` updating the running statistics, with PyTorch's
    fourth result: an empty uint8 reserve (a cuDNN workspace)."""
    from ._creation import empty

    out, mean, rstd = native_batch_norm(input, weight, bias, running_mean, running_var, True, momentum, eps)
    if out.grad_fn is not None:
        out = _core._named_node(out, "BatchNormWithUpdateBackward0")
    return out, mean, rstd, empty(0, dtype=_core.uint8)


def native_group_norm(input: Tensor, weight: Tensor | None, bias: Tensor | None, N: int, C: int, HxW: int,
                      group: int, eps: float) -> tuple[Tensor, Tensor, Tensor]:
    """`(group_norm(input), mean, rstd)` with the statistics shaped (N, group).

    Args:
        input: the input, (N, C, *).
        weight: an optional (C,) scale, or None.
        bias: an optional (C,) shift, or None.
        N: the batch size.
        C: the number of channels.
        HxW: the number of elements per channel.
        group: the number of groups.
        eps: added to the variance.
    """
    for size in (N, C, HxW, group):
        need_int64(size)
    if input.numel() != N * C * HxW:
        raise RuntimeError(f"Expected input to have {N * C * HxW} elements, but got {input.numel()}")
    from .nn._functional_more import check_group_norm
    from .nn._norm_nodes import native_group_norm as recorded

    return recorded(input, group, weight, bias, eps, check_group_norm(input, group, weight, bias))


def native_dropout(input: Tensor, p: float, train: bool | None) -> tuple[Tensor, Tensor]:
    """`(output, mask)`: in training each element kept with probability `1 - p` and scaled
    by `1 / (1 - p)`, the mask marking the kept ones; otherwise a copy and an all-true mask.

    Args:
        input: the input tensor.
        p: the probability of zeroing an element.
        train: whether to drop (None: as True).
    """
    from ._creation import empty_like, ones_like, zeros_like
    from ._parser_check import is_parser_float

    if not is_parser_float(p):  # the guard words the parser's error
        raise TypeError("p is not a float")
    if input.numel() == 0 and not input.requires_grad:  # PyTorch's CPU kernel: the input and an empty_like
        return input, empty_like(input)
    if input.numel() == 0:  # (PyTorch hands back the input itself, its grad_fn set)
        mask = empty_like(input)
        out = input * 1
    elif train is False or p == 0:
        mask = ones_like(input, dtype=_core.bool)
        out = input * mask
    elif p == 1:
        mask = zeros_like(input, dtype=_core.bool)
        out = input * mask
    else:
        mask = ones_like(input).bernoulli_(1 - p).to(_core.bool)
        out = input * mask * (1.0 / (1 - p))
    if out.grad_fn is not None:
        out = _core._named_node(out, "NativeDropoutBackward0")
    return out, mask


def native_norm(input: Tensor, *args: Any, **kwargs: Any) -> Tensor:
    """PyTorch runs `native_norm` for sparse tensors only: a dense input is its error."""
    raise NotImplementedError(
        "Could not run 'aten::native_norm' with arguments from the 'CPU' backend. This could be because the "
        "operator doesn't exist for this backend."
    )


def _linear(x: Tensor, w: Tensor, b: Tensor | None) -> Tensor:
    return _F().linear(x, w, b)


def rnn_tanh_cell(input: Tensor, hx: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih: Tensor | None = None,
                  b_hh: Tensor | None = None) -> Tensor:
    """One Elman RNN step: `tanh(input @ w_ih.T + b_ih + hx @ w_hh.T + b_hh)`.

    Args:
        input: the input, `(batch, input_size)` or `(input_size,)`.
        hx: the hidden state.
        w_ih: the input-to-hidden weights, gates stacked along dim 0.
        w_hh: the hidden-to-hidden weights, gates stacked along dim 0.
        b_ih: the input-to-hidden bias, or None.
        b_hh: the hidden-to-hidden bias, or None.
    """
    check_cell(input, hx, w_ih, w_hh)
    return (_linear(input, w_ih, b_ih) + _linear(hx, w_hh, b_hh)).tanh()


def rnn_relu_cell(input: Tensor, hx: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih: Tensor | None = None,
                  b_hh: Tensor | None = None) -> Tensor:
    """One Elman RNN step with ReLU: `relu(input @ w_ih.T + b_ih + hx @ w_hh.T + b_hh)`.

    Args:
        input: the input, `(batch, input_size)` or `(input_size,)`.
        hx: the hidden state.
        w_ih: the input-to-hidden weights, gates stacked along dim 0.
        w_hh: the hidden-to-hidden weights, gates stacked along dim 0.
        b_ih: the input-to-hidden bias, or None.
        b_hh: the hidden-to-hidden bias, or None.
    """
    check_cell(input, hx, w_ih, w_hh)
    return (_linear(input, w_ih, b_ih) + _linear(hx, w_hh, b_hh)).relu()


def lstm_cell(input: Tensor, hx, w_ih: Tensor, w_hh: Tensor, b_ih: Tensor | None = None,
              b_hh: Tensor | None = None) -> tuple[Tensor, Tensor]:
    """One LSTM step: `hx` is `(h, c)`; the gates are stacked (input, forget, cell,
    output) in `w_ih`/`w_hh` as in PyTorch. Returns `(h', c')`.

    Args:
        input: the input, `(batch, input_size)` or `(input_size,)`.
        hx: the hidden state and cell state, a pair `(h, c)`.
        w_ih: the input-to-hidden weights, gates stacked along dim 0.
        w_hh: the hidden-to-hidden weights, gates stacked along dim 0.
        b_ih: the input-to-hidden bias, or None.
        b_hh: the hidden-to-hidden bias, or None.
    """
    h, c = hx
    gates = _linear(input, w_ih, b_ih) + _linear(h, w_hh, b_hh)
    i, f, g, o = gates.chunk(4, -1)
    c_next = f.sigmoid() * c + i.sigmoid() * g.tanh()
    return o.sigmoid() * c_next.tanh(), c_next


def gru_cell(input: Tensor, hx: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih: Tensor | None = None,
             b_hh: Tensor | None = None) -> Tensor:
    """One GRU step; the gates are stacked (reset, update, new) as in PyTorch.

    Args:
        input: the input, `(batch, input_size)` or `(input_size,)`.
        hx: the hidden state.
        w_ih: the input-to-hidden weights, gates stacked along dim 0.
        w_hh: the hidden-to-hidden weights, gates stacked along dim 0.
        b_ih: the input-to-hidden bias, or None.
        b_hh: the hidden-to-hidden bias, or None.
    """
    xr, xz, xn = _linear(input, w_ih, b_ih).chunk(3, -1)
    hr, hz, hn = _linear(hx, w_hh, b_hh).chunk(3, -1)
    r = (xr + hr).sigmoid()
    z = (xz + hz).sigmoid()
    n = (xn + r * hn).tanh()
    return (1 - z) * n + z * hx
