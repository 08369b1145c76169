"""PyTorch's flat-weight recurrent functions, `torch.lstm`, `torch.gru`,
`torch.rnn_tanh` and `torch.rnn_relu` (the `_VF` forms `nn.LSTM` and friends call):
the weights come as one list, per layer and direction `w_ih, w_hh[, b_ih, b_hh]
[, w_hr]`. They run the same layers as the modules."""

from __future__ import annotations

from collections.abc import Sequence

from . import _core
from ._argcheck import need_tensor_list
from ._core import Tensor

__all__ = ["gru", "lstm", "rnn_relu", "rnn_tanh"]


class _FlatWeights:
    """What the modules' layer loop reads of a module, from the flat arguments."""

    def __init__(self, params: Sequence[Tensor], has_biases: bool, num_layers: int, dropout: float, train: bool,
                 bidirectional: bool) -> None:
        directions = 2 if bidirectional else 1
        per = 4 if has_biases else 2
        if len(params) == (per + 1) * num_layers * directions:
            per += 1  # LSTM with a projection: w_hr last
        if len(params) != per * num_layers * directions:
            raise RuntimeError(f"Expected {per * num_layers * directions} weights for {num_layers} layer(s) and "
                               f"{directions} direction(s), but got {len(params)}")
        self.params, self.per, self.has_biases = list(params), per, has_biases
        self.num_layers, self.bidirectional = num_layers, bidirectional
        self.dropout, self.training = dropout, train

    def _weights(self, layer: int, direction: int):
        start = (layer * (2 if self.bidirectional else 1) + direction) * self.per
        w = self.params[start:start + self.per]
        w_ih, w_hh = w[0], w[1]
        b_ih, b_hh = (w[2], w[3]) if self.has_biases else (None, None)
        projection = w[-1] if self.per in (3, 5) else None
        return (w_ih, w_hh, b_ih, b_hh) if projection is None else (w_ih, w_hh, b_ih, b_hh, projection)


def _layers(input: Tensor, states: list, weights: _FlatWeights, step, batch_sizes, batch_first: bool):
    from .nn.modules.rnn import RNNBase

    data = input.transpose(0, 1) if batch_first else input
    sizes = None if batch_sizes is None else [int(b) for b in batch_sizes.tolist()]
    out, finals = RNNBase._run(weights, data, states, step, sizes)
    return (out.transpose(0, 1) if batch_first else out), finals


def _simple(relu: bool | None):
    """gru (relu None), rnn_tanh or rnn_relu (the cells load with nn, on first use)."""

    def step(x, s, w):
        from .nn.modules.rnn import _gru_cell, _rnn_cell

        return (_gru_cell(x, s[0], *w),) if relu is None else (_rnn_cell(x, s[0], *w, relu),)

    def run(input: Tensor, *args):
        from ._shape import stack

        if isinstance(args[1], Tensor):  # (data, batch_sizes, hx, params, has_biases, layers, dropout, train, bidi)
            batch_sizes, hx, params, has_biases, num_layers, dropout, train, bidirectional = args
            batch_first = False
        else:  # (input, hx, params, has_biases, layers, dropout, train, bidirectional, batch_first)
            hx, params, has_biases, num_layers, dropout, train, bidirectional, batch_first = args
            batch_sizes = None
        weights = _FlatWeights(params, has_biases, num_layers, dropout, train, bidirectional)
        out, finals = _layers(input, [(hx[k],) for k in range(hx.shape[0])], weights, step, batch_sizes, batch_first)
        if batch_first and out.grad_fn is not None:  # PyTorch's GRU/RNN transpose their output in place
            out = _core._named_node(out, "TransposeBackward1")
            _core._set_saved_args(out, {"dim0": 0, "dim1": 1})
        return out, stack([s[0] for s in finals], 0)

    return run


_gru = _simple(None)
_rnn_tanh = _simple(False)
_rnn_relu = _simple(True)


def gru(input: Tensor, *args):
    """A multi-layer GRU over a sequence with flat weights; returns (output, h_n).

    Args:
        input: (L, N, input_size) (or (N, L, ...) with batch_first), or packed data.
        *args: `hx, params, has_biases, num_layers, dropout, train, bidirectional,
            batch_first`, or for packed data `batch_sizes, hx, params, has_biases,
            num_layers, dropout, train, bidirectional`.
    """
    return _gru(input, *args)


def rnn_tanh(input: Tensor, *args):
    """A multi-layer Elman RNN (tanh) with flat weights; returns (output, h_n).

    Args:
        input: (L, N, input_size) (or (N, L, ...) with batch_first), or packed data.
        *args: as `gru`'s.
    """
    return _rnn_tanh(input, *args)


def rnn_relu(input: Tensor, *args):
    """A multi-layer Elman RNN (ReLU) with flat weights; returns (output, h_n).

    Args:
        input: (L, N, input_size) (or (N, L, ...) with batch_first), or packed data.
        *args: as `gru`'s.
    """
    return _rnn_relu(input, *args)


def lstm(input: Tensor, *args):
    """A multi-layer LSTM with flat weights; returns (output, h_n, c_n).

    Args:
        input: (L, N, input_size) (or (N, L, ...) with batch_first), or packed data.
        *args: `hx, params, has_biases, num_layers, dropout, train, bidirectional,
            batch_first` with hx = (h_0, c_0), or for packed data `batch_sizes, hx,
            params, has_biases, num_layers, dropout, train, bidirectional`.
    """
    from ._shape import stack
    from .nn.modules.rnn import RNNBase, _lstm_cell, onednn_lstm_output

    if isinstance(args[0], Tensor):
        batch_sizes, hx, params, has_biases, num_layers, dropout, train, bidirectional = args
        batch_first = False
    else:
        hx, params, has_biases, num_layers, dropout, train, bidirectional, batch_first = args
        batch_sizes = None
    packed = batch_sizes is not None
    need_tensor_list(hx, 2 if packed else 1)  # as PyTorch's parser, the tensor lists' elements
    need_tensor_list(params, 3 if packed else 2)
    if len(hx) != 2:
        raise RuntimeError("lstm expects two hidden states")
    h0, c0 = hx
    weights = _FlatWeights(params, has_biases, num_layers, dropout, train, bidirectional)
    data = input.transpose(0, 1) if batch_first else input
    sizes = None if batch_sizes is None else [int(b) for b in batch_sizes.tolist()]
    out, finals = RNNBase._run(weights, data, [(h0[k], c0[k]) for k in range(h0.shape[0])],
                               lambda x, s, w: _lstm_cell(x, s[0], s[1], *w), sizes)
    out = onednn_lstm_output(out, projected=weights.per in (3, 5), packed=batch_sizes is not None,
                             bidirectional=bidirectional)
    out = out.transpose(0, 1) if batch_first else out
    return out, stack([s[0] for s in finals], 0), stack([s[1] for s in finals], 0)
