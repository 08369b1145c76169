"""Recurrent layers: `RNN` (tanh/relu), `LSTM`, `GRU` and their cells, with PyTorch's
parameter names, gate order and initialisation (same numbers for the same seed)."""

from __future__ import annotations

import math

from ..._argcheck import type_name
from ..._core import Tensor
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = ["GRU", "LSTM", "RNN", "GRUCell", "LSTMCell", "RNNBase", "RNNCell", "RNNCellBase"]

_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


# ferrograd's own `cat`/`stack`, looked up on each call: a tensor subclass that dispatches
# (meta tensors) wraps them once it is defined
def _cat(ts, dim):
    from ... import cat

    return cat(ts, dim)


def _stack(ts, dim):
    from ... import stack

    return stack(ts, dim)


def onednn_lstm_output(out, *, projected: bool, packed: bool, bidirectional: bool):
    """PyTorch's CPU LSTM runs float32 sequences through oneDNN (no projection, not
    packed): a one-direction output is then that layer's node."""
    from ... import _core

    if (out.grad_fn is None or out.dtype != _core.float32 or projected or packed or bidirectional
            or type(out) is not Tensor):  # a tensor subclass (meta tensors) keeps its class: no oneDNN
        return out
    return _core._named_node(out, "MkldnnRnnLayerBackward0")


def _rnn_cell(x, h, w_ih, w_hh, b_ih, b_hh, relu: bool):
    pre = F.linear(x, w_ih, b_ih) + F.linear(h, w_hh, b_hh)
    return pre.relu() if relu else pre.tanh()


def _lstm_cell(x, h, c, w_ih, w_hh, b_ih, b_hh, w_hr=None):
    gates = F.linear(x, w_ih, b_ih) + F.linear(h, w_hh, b_hh)
    i, f, g, o = gates.chunk(4, -1)
    c_next = f.sigmoid() * c + i.sigmoid() * g.tanh()
    h_next = o.sigmoid() * c_next.tanh()
    if w_hr is not None:
        h_next = F.linear(h_next, w_hr)
    return h_next, c_next


def _gru_cell(x, h, w_ih, w_hh, b_ih, b_hh):
    gi = F.linear(x, w_ih, b_ih)
    gh = F.linear(h, w_hh, b_hh)
    i_r, i_z, i_n = gi.chunk(3, -1)
    h_r, h_z, h_n = gh.chunk(3, -1)
    r = (i_r + h_r).sigmoid()
    z = (i_z + h_z).sigmoid()
    n = (i_n + r * h_n).tanh()
    return (h - n) * z + n


class RNNBase(Module):
    """The layers × directions stack shared by RNN, LSTM and GRU.

    Args:
        mode: 'RNN_TANH', 'RNN_RELU', 'LSTM' or 'GRU'.
        input_size: the number of features of each input step.
        hidden_size: the number of features of the hidden state.
        num_layers: the number of stacked layers (default 1).
        bias: learn the biases b_ih and b_hh (default True).
        batch_first: inputs and outputs are (N, L, *) instead of (L, N, *) (default False).
        dropout: the dropout probability on the outputs of every layer but the last (default 0).
        bidirectional: also run each layer backwards and concatenate (default False).
        proj_size: LSTM only: project the hidden state to this size (default 0: none).
        device: the device of the parameters (the CPU); None (default) means the CPU.
        dtype: the dtype of the parameters; None (default) means the default dtype.
    """

    def __init__(self, mode: str, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 proj_size: int = 0, device=None, dtype=None) -> None:
        from ..._creation import empty

        super().__init__()
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        if isinstance(dropout, bool) or not isinstance(dropout, (int, float)) or not 0 <= dropout <= 1:
            raise ValueError(
                "dropout should be a number in range [0, 1] representing the probability of an element being zeroed"
            )
        if dropout > 0 and num_layers == 1:
            import warnings

            warnings.warn(
                "dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects "
                f"num_layers greater than 1, but got dropout={dropout} and num_layers={num_layers}",
                stacklevel=2,
            )
        if not isinstance(hidden_size, int):  # PyTorch takes a bool (an int)
            raise TypeError(f"hidden_size should be of type int, got: {type(hidden_size).__name__}")
        if hidden_size <= 0:
            raise ValueError("hidden_size must be greater than zero")
        if num_layers <= 0:
            raise ValueError("num_layers must be greater than zero")
        if proj_size < 0:
            raise ValueError("proj_size should be a positive integer or zero to disable projections")
        if proj_size >= hidden_size:
            raise ValueError("proj_size has to be smaller than hidden_size")
        gate_size = _GATES[mode] * hidden_size
        if _GATES[mode] == 1 and isinstance(hidden_size, bool):  # PyTorch's one gate keeps the bool: empty() refuses it
            raise TypeError("empty(): argument 'size' (position 1) must be tuple of ints, but found element of type "
                            "bool at pos 0")
        num_directions = 2 if bidirectional else 1
        real_hidden_size = proj_size if proj_size > 0 else hidden_size
        self._flat_weights_names: list[str] = []
        for layer in range(num_layers):
            for direction in range(num_directions):
                layer_input = input_size if layer == 0 else real_hidden_size * num_directions
                suffix = "_reverse" if direction == 1 else ""
                names = [f"weight_ih_l{layer}{suffix}", f"weight_hh_l{layer}{suffix}"]
                shapes = [(gate_size, layer_input), (gate_size, real_hidden_size)]
                if bias:
                    names += [f"bias_ih_l{layer}{suffix}", f"bias_hh_l{layer}{suffix}"]
                    shapes += [(gate_size,), (gate_size,)]
                if proj_size > 0:
                    names.append(f"weight_hr_l{layer}{suffix}")
                    shapes.append((proj_size, hidden_size))
                for name, shape in zip(names, shapes):
                    setattr(self, name, Parameter(empty(shape, dtype=dtype)))
                self._flat_weights_names.extend(names)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Re-initialises the parameters as PyTorch does at construction."""
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def flatten_parameters(self) -> None:
        """A no-op, as PyTorch's on CPU (its weights need no compaction here)."""

    @property
    def _flat_weights(self) -> list:
        return [getattr(self, n) for n in self._flat_weights_names]

    @property
    def all_weights(self) -> list[list[Parameter]]:
        per = (4 if self.bias else 2) + (1 if self.proj_size > 0 else 0)
        names = self._flat_weights_names
        return [[getattr(self, n) for n in names[i:i + per]] for i in range(0, len(names), per)]

    def _weights(self, layer: int, direction: int):
        suffix = "_reverse" if direction == 1 else ""
        w_ih = getattr(self, f"weight_ih_l{layer}{suffix}")
        w_hh = getattr(self, f"weight_hh_l{layer}{suffix}")
        b_ih = getattr(self, f"bias_ih_l{layer}{suffix}") if self.bias else None
        b_hh = getattr(self, f"bias_hh_l{layer}{suffix}") if self.bias else None
        if self.proj_size > 0:
            return w_ih, w_hh, b_ih, b_hh, getattr(self, f"weight_hr_l{layer}{suffix}")
        return w_ih, w_hh, b_ih, b_hh

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size != 0:
            s += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if self.batch_first is not False:
            s += f", batch_first={self.batch_first}"
        if self.dropout != 0:
            s += f", dropout={self.dropout}"
        if self.bidirectional is not False:
            s += f", bidirectional={self.bidirectional}"
        return s

    def _check_input(self, input: Tensor) -> bool:
        if input.dim() not in (2, 3):
            raise ValueError(
                f"{type(self).__name__}: Expected input to be 2D or 3D, got {input.dim()}D tensor instead"
            )
        weight_dtype = self.weight_ih_l0.dtype
        if input.dtype != weight_dtype:
            raise ValueError(
                f"RNN input dtype ({input.dtype}) does not match weight dtype ({weight_dtype}). Convert input: "
                f"input.to({weight_dtype}), or convert model: model.to({input.dtype})"
            )
        if input.shape[-1] != self.input_size:
            raise RuntimeError(
                f"input.size(-1) must be equal to input_size. Expected {self.input_size}, got {input.shape[-1]}"
            )
        time_dim = 1 if self.batch_first and input.dim() == 3 else 0
        if input.shape[time_dim] == 0:
            raise RuntimeError("Expected sequence length to be larger than 0 in RNN")
        return input.dim() == 3

    def _check_hidden(self, hx: Tensor, expected: tuple, msg: str = "Expected hidden size {}, got {}") -> None:
        if tuple(hx.shape) != expected:
            raise RuntimeError(msg.format(expected, "[" + ", ".join(str(s) for s in hx.shape) + "]"))

    def _run(self, input: Tensor, states: list, step, batch_sizes: list[int] | None = None):
        """Runs every layer and direction over time; `states[k]` is the initial state tuple
        of layer/direction k; returns the output and the final state tuples.

        `input` is (T, N, F), or, with `batch_sizes`, packed data whose step t holds the
        first batch_sizes[t] sequences: those rows step, the others keep their state."""
        num_directions = 2 if self.bidirectional else 1
        layer_input = input
        finals = []
        if batch_sizes is None:
            seq_len = input.shape[0]
            if seq_len == 0:
                return input[:, :, :0], [states[k] for k in range(len(states))]
            sizes = [input.shape[1]] * seq_len
        else:
            seq_len = len(batch_sizes)
            sizes = batch_sizes
        offsets = [sum(sizes[:t]) for t in range(seq_len)]
        for layer in range(self.num_layers):
            xs = ([layer_input[t] for t in range(seq_len)] if batch_sizes is None
                  else [layer_input[o:o + b] for o, b in zip(offsets, sizes)])
            outs = []
            for direction in range(num_directions):
                weights = self._weights(layer, direction)
                state = states[layer * num_directions + direction]
                full = state[0].shape[0]
                steps = range(seq_len - 1, -1, -1) if direction == 1 else range(seq_len)
                ys: list = [None] * seq_len
                for t in steps:
                    bs = sizes[t]
                    if bs == full:
                        state = step(xs[t], state, weights)
                        ys[t] = state[0]
                    else:
                        active = step(xs[t], tuple(s[:bs] for s in state), weights)
                        state = tuple(_cat([a, s[bs:]], 0) for a, s in zip(active, state))
                        ys[t] = active[0]
                outs.append(_stack(ys, 0) if batch_sizes is None else _cat(ys, 0))
                finals.append(state)
            layer_input = outs[0] if num_directions == 1 else _cat(outs, -1)
            if self.dropout != 0 and self.training and layer < self.num_layers - 1:
                layer_input = F.dropout(layer_input, self.dropout, True)
        return layer_input, finals


def _no_proj_size(kwargs: dict) -> None:
    if "proj_size" in kwargs:
        raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
    if kwargs:
        raise TypeError(f"__init__() got an unexpected keyword argument '{next(iter(kwargs))}'")


class RNN(RNNBase):
    """Elman RNN: h' = act(W_ih x + b_ih + W_hh h + b_hh), act tanh or relu.

    Args:
        input_size: the number of features of each input step.
        hidden_size: the number of features of the hidden state.
        num_layers: the number of stacked layers (default 1).
        nonlinearity: 'tanh' (default) or 'relu'.
        bias: learn the biases b_ih and b_hh (default True).
        batch_first: inputs and outputs are (N, L, *) instead of (L, N, *) (default False).
        dropout: the dropout probability on the outputs of every layer but the last (default 0).
        bidirectional: also run each layer backwards and concatenate (default False).
        device: the device of the parameters (the CPU); None (default) means the CPU.
        dtype: the dtype of the parameters; None (default) means the default dtype.

    Shape:
        input (L, N, input_size), (N, L, input_size) with batch_first, (L, input_size)
        unbatched, or a PackedSequence; h (num_layers · directions, N, hidden_size).
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, nonlinearity: str = "tanh",
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 device=None, dtype=None, **kwargs) -> None:
        _no_proj_size(kwargs)
        if nonlinearity == "tanh":
            mode = "RNN_TANH"
        elif nonlinearity == "relu":
            mode = "RNN_RELU"
        else:
            raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'.")
        super().__init__(mode, input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         device=device, dtype=dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input, hx: Tensor | None = None):
        """Runs the sequence through the layers; returns (output, h_n).

        Args:
            input: the input sequence (see the class's Shape), or a PackedSequence.
            hx: the initial hidden state h_0; None (default) means zeros.
        """
        relu = self.mode == "RNN_RELU"
        return _forward_simple(self, input, hx, lambda x, s, w: (_rnn_cell(x, s[0], *w, relu=relu),))


class GRU(RNNBase):
    """Gated recurrent unit (gates r, z, n in PyTorch's order).

    Args:
        input_size: the number of features of each input step.
        hidden_size: the number of features of the hidden state.
        num_layers: the number of stacked layers (default 1).
        bias: learn the biases b_ih and b_hh (default True).
        batch_first: inputs and outputs are (N, L, *) instead of (L, N, *) (default False).
        dropout: the dropout probability on the outputs of every layer but the last (default 0).
        bidirectional: also run each layer backwards and concatenate (default False).
        device: the device of the parameters (the CPU); None (default) means the CPU.
        dtype: the dtype of the parameters; None (default) means the default dtype.

    Shape:
        input (L, N, input_size), (N, L, input_size) with batch_first, (L, input_size)
        unbatched, or a PackedSequence; h (num_layers · directions, N, hidden_size).
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 device=None, dtype=None, **kwargs) -> None:
        _no_proj_size(kwargs)
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         device=device, dtype=dtype)

    def forward(self, input, hx: Tensor | None = None):
        """Runs the sequence through the layers; returns (output, h_n).

        Args:
            input: the input sequence (see the class's Shape), or a PackedSequence.
            hx: the initial hidden state h_0; None (default) means zeros.
        """
        return _forward_simple(self, input, hx, lambda x, s, w: (_gru_cell(x, s[0], *w),))


def _packed_parts(input):
    """(data, batch sizes, the PackedSequence) for a PackedSequence; (input, None, None) otherwise."""
    from ..utils.rnn import PackedSequence

    if isinstance(input, PackedSequence):
        return input.data, [int(b) for b in input.batch_sizes.tolist()], input
    return input, None, None


def _check_packed_data(m: RNNBase, data: Tensor) -> None:
    if data.dim() != 2:
        raise RuntimeError(f"input must have 2 dimensions, got {data.dim()}")
    if data.shape[-1] != m.input_size:
        raise RuntimeError(
            f"input.size(-1) must be equal to input_size. Expected {m.input_size}, got {data.shape[-1]}"
        )


def _permute(t: Tensor, permutation: Tensor | None) -> Tensor:
    return t if permutation is None else t.index_select(1, permutation)


def _forward_simple(m: RNNBase, input, hx, step):
    """RNN and GRU: one hidden state per layer and direction."""
    from ..._creation import zeros
    from ..utils.rnn import PackedSequence

    data, batch_sizes, packed = _packed_parts(input)
    num_directions = 2 if m.bidirectional else 1
    if packed is not None:
        _check_packed_data(m, data)
        batched = True
        batch = batch_sizes[0]
        if hx is not None:
            hx = _permute(hx, packed.sorted_indices)
    else:
        batched = m._check_input(input)
        if not batched:
            data = data.unsqueeze(1)
            if hx is not None:
                if hx.dim() != 2:
                    raise RuntimeError(
                        f"For unbatched 2-D input, hx should also be 2-D but got {hx.dim()}-D tensor"
                    )
                hx = hx.unsqueeze(1)
        elif hx is not None and hx.dim() != 3:
            raise RuntimeError(f"For batched 3-D input, hx should also be 3-D but got {hx.dim()}-D tensor")
        if m.batch_first and batched:
            data = data.transpose(0, 1)
        batch = data.shape[1]
    expected = (m.num_layers * num_directions, batch, m.hidden_size)
    if hx is None:
        hx = zeros(expected, dtype=data.dtype, device=data.device)
    else:
        m._check_hidden(hx, expected)
    out, finals = m._run(data, [(hx[k],) for k in range(expected[0])], step, batch_sizes)
    h_n = _stack([s[0] for s in finals], 0)
    if packed is not None:
        return (PackedSequence(out, packed.batch_sizes, packed.sorted_indices, packed.unsorted_indices),
                _permute(h_n, packed.unsorted_indices))
    if m.batch_first and batched:
        out = out.transpose(0, 1)
        if out.grad_fn is not None and type(out) is Tensor:  # PyTorch's RNN/GRU transpose their output in place
            from ... import _core

            out = _core._named_node(out, "TransposeBackward1")
            _core._set_saved_args(out, {"dim0": 0, "dim1": 1})
    if not batched:
        out, h_n = out.squeeze(1), h_n.squeeze(1)
    return out, h_n


class LSTM(RNNBase):
    """Long short-term memory (gates i, f, g, o in PyTorch's order), optionally with a
    projection of the hidden state to `proj_size` features (weight_hr_l{k}).

    Args:
        input_size: the number of features of each input step.
        hidden_size: the number of features of the hidden state.
        num_layers: the number of stacked layers (default 1).
        bias: learn the biases b_ih and b_hh (default True).
        batch_first: inputs and outputs are (N, L, *) instead of (L, N, *) (default False).
        dropout: the dropout probability on the outputs of every layer but the last (default 0).
        bidirectional: also run each layer backwards and concatenate (default False).
        proj_size: project the hidden state to this size (default 0: none).
        device: the device of the parameters (the CPU); None (default) means the CPU.
        dtype: the dtype of the parameters; None (default) means the default dtype.

    Shape:
        input (L, N, input_size), (N, L, input_size) with batch_first, (L, input_size)
        unbatched, or a PackedSequence; h (num_layers · directions, N, hidden_size).
        c has hidden_size features; h has proj_size when it is set.
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 proj_size: int = 0, device=None, dtype=None) -> None:
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         proj_size, device=device, dtype=dtype)

    def forward(self, input, hx: tuple[Tensor, Tensor] | None = None):
        """Runs the sequence through the layers; returns (output, (h_n, c_n)).

        Args:
            input: the input sequence (see the class's Shape), or a PackedSequence.
            hx: the initial (h_0, c_0); None (default) means zeros.
        """
        from ..._creation import zeros
        from ..utils.rnn import PackedSequence

        data, batch_sizes, packed = _packed_parts(input)
        num_directions = 2 if self.bidirectional else 1
        if packed is not None:
            _check_packed_data(self, data)
            batched = True
            batch = batch_sizes[0]
            if hx is not None:
                hx = (_permute(hx[0], packed.sorted_indices), _permute(hx[1], packed.sorted_indices))
        else:
            batched = self._check_input(input)
            if not batched:
                data = data.unsqueeze(1)
                if hx is not None:
                    if hx[0].dim() != 2 or hx[1].dim() != 2:
                        raise RuntimeError(
                            f"For unbatched 2-D input, hx and cx should also be 2-D but got "
                            f"({hx[0].dim()}-D, {hx[1].dim()}-D) tensors"
                        )
                    hx = (hx[0].unsqueeze(1), hx[1].unsqueeze(1))
            elif hx is not None and (hx[0].dim() != 3 or hx[1].dim() != 3):
                raise RuntimeError(
                    f"For batched 3-D input, hx and cx should also be 3-D but got "
                    f"({hx[0].dim()}-D, {hx[1].dim()}-D) tensors"
                )
            if self.batch_first and batched:
                data = data.transpose(0, 1)
            batch = data.shape[1]
        real_hidden = self.proj_size if self.proj_size > 0 else self.hidden_size
        expected_h = (self.num_layers * num_directions, batch, real_hidden)
        expected_c = (self.num_layers * num_directions, batch, self.hidden_size)
        if hx is None:
            h0 = zeros(expected_h, dtype=data.dtype, device=data.device)
            c0 = zeros(expected_c, dtype=data.dtype, device=data.device)
        else:
            h0, c0 = hx
            self._check_hidden(h0, expected_h, "Expected hidden[0] size {}, got {}")
            self._check_hidden(c0, expected_c, "Expected hidden[1] size {}, got {}")
        out, finals = self._run(data, [(h0[k], c0[k]) for k in range(expected_h[0])],
                                lambda x, s, w: _lstm_cell(x, s[0], s[1], *w), batch_sizes)
        out = onednn_lstm_output(out, projected=self.proj_size > 0, packed=packed is not None,
                                 bidirectional=self.bidirectional)
        h_n = _stack([s[0] for s in finals], 0)
        c_n = _stack([s[1] for s in finals], 0)
        if packed is not None:
            unsort = packed.unsorted_indices
            return (PackedSequence(out, packed.batch_sizes, packed.sorted_indices, unsort),
                    (_permute(h_n, unsort), _permute(c_n, unsort)))
        if self.batch_first and batched:
            out = out.transpose(0, 1)
        if not batched:
            out, h_n, c_n = out.squeeze(1), h_n.squeeze(1), c_n.squeeze(1)
        return out, (h_n, c_n)


class RNNCellBase(Module):
    """weight_ih, weight_hh (and biases) of one recurrent step.

    Args:
        input_size: the number of features of each input step.
        hidden_size: the number of features of the hidden state.
        bias: learn the biases b_ih and b_hh.
        num_chunks: the number of gates stacked in each weight (1, 3 or 4).
        device: the device of the parameters (the CPU); None (default) means the CPU.
        dtype: the dtype of the parameters; None (default) means the default dtype.
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool, num_chunks: int, device=None,
                 dtype=None) -> None:
        from ..._creation import empty

        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        self.weight_ih = Parameter(empty((num_chunks * hidden_size, input_size), dtype=dtype))
        self.weight_hh = Parameter(empty((num_chunks * hidden_size, hidden_size), dtype=dtype))
        if bias:
            self.bias_ih = Parameter(empty(num_chunks * hidden_size, dtype=dtype))
            self.bias_hh = Parameter(empty(num_chunks * hidden_size, dtype=dtype))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Re-initialises the parameters as PyTorch does at construction."""
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.__dict__.get("bias", True) is not True:
            s += f", bias={self.bias}"
        nl = self.__dict__.get("nonlinearity", "tanh")
        if nl != "tanh":
            s += f", nonlinearity={nl}"
        return s

    def _prepare(self, input: Tensor, hx, name: str):
        from ..._creation import zeros

        if input.dim() not in (1, 2):
            raise ValueError(f"{name}: Expected input to be 1D or 2D, got {input.dim()}D instead")
        if hx is not None and not isinstance(hx, tuple) and hx.dim() not in (1, 2):
            raise ValueError(f"{name}: Expected hidden to be 1D or 2D, got {hx.dim()}D instead")
        batched = input.dim() == 2
        if not batched:
            input = input.unsqueeze(0)
        if input.shape[1] != self.input_size:
            raise RuntimeError(
                f"input has inconsistent input_size: got {input.shape[1]} expected {self.input_size}"
            )
        return input, batched, (lambda: zeros(input.shape[0], self.hidden_size, dtype=input.dtype, device=input.device))

    def _check_hidden(self, input: Tensor, hx: Tensor, label: int) -> Tensor:
        """PyTorch's `check_rnn_cell_forward_hidden` of one (batched) hidden state."""
        if input.shape[0] != hx.shape[0]:
            raise RuntimeError(
                f"Input batch size {input.shape[0]} doesn't match hidden{label} batch size {hx.shape[0]}"
            )
        if hx.dim() < 2:
            raise IndexError("Dimension out of range (expected to be in range of [-1, 0], but got 1)")
        if hx.shape[1] != self.hidden_size:
            raise RuntimeError(
                f"hidden{label} has inconsistent hidden_size: got {hx.shape[1]}, expected {self.hidden_size}"
            )
        return hx


class RNNCell(RNNCellBase):
    """One Elman step.

    Args:
        input_size: the number of features of each input step.
        hidden_size: the number of features of the hidden state.
        bias: learn the biases b_ih and b_hh (default True).
        nonlinearity: 'tanh' (default) or 'relu'.
        device: the device of the parameters (the CPU); None (default) means the CPU.
        dtype: the dtype of the parameters; None (default) means the default dtype.
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, nonlinearity: str = "tanh",
                 device=None, dtype=None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=1, device=device, dtype=dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        """One step; returns h'.

        Args:
            input: (N, input_size) or (input_size,).
            hx: h, (N, hidden_size); None (default) means zeros.
        """
        if self.nonlinearity not in ("tanh", "relu"):
            raise RuntimeError(f"Unknown nonlinearity: {self.nonlinearity}")
        input, batched, zero = self._prepare(input, hx, "RNNCell")
        h = zero() if hx is None else self._check_hidden(input, hx if batched else hx.unsqueeze(0), 0)
        out = _rnn_cell(input, h, self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh,
                        relu=self.nonlinearity == "relu")
        return out if batched else out.squeeze(0)


class LSTMCell(RNNCellBase):
    """One LSTM step; returns (h', c').

    Args:
        input_size: the number of features of each input step.
        hidden_size: the number of features of the hidden state.
        bias: learn the biases b_ih and b_hh (default True).
        device: the device of the parameters (the CPU); None (default) means the CPU.
        dtype: the dtype of the parameters; None (default) means the default dtype.
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device=None, dtype=None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=4, device=device, dtype=dtype)

    def forward(self, input: Tensor, hx: tuple[Tensor, Tensor] | None = None) -> tuple[Tensor, Tensor]:
        """One step; returns (h', c').

        Args:
            input: (N, input_size) or (input_size,).
            hx: (h, c), each (N, hidden_size); None (default) means zeros.
        """
        if input.dim() in (1, 2) and hx is not None:  # PyTorch's checks, in its order
            for idx, value in enumerate(hx):
                if value.dim() not in (1, 2):
                    raise ValueError(f"LSTMCell: Expected hx[{idx}] to be 1D or 2D, got {value.dim()}D instead")
        input, batched, zero = self._prepare(input, None, "LSTMCell")
        if hx is None:
            h, c = zero(), zero()
        else:
            hx = hx if batched else (hx[0].unsqueeze(0), hx[1].unsqueeze(0))
            if not isinstance(hx, (tuple, list)):
                raise TypeError(f"lstm_cell(): argument 'hx' (position 2) must be tuple of Tensors, not {type_name(hx)}")
            if len(hx) != 2:
                raise RuntimeError("lstm_cell expects two hidden states")
            h, c = self._check_hidden(input, hx[0], 0), self._check_hidden(input, hx[1], 1)
        h1, c1 = _lstm_cell(input, h, c, self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh)
        return (h1, c1) if batched else (h1.squeeze(0), c1.squeeze(0))


class GRUCell(RNNCellBase):
    """One GRU step.

    Args:
        input_size: the number of features of each input step.
        hidden_size: the number of features of the hidden state.
        bias: learn the biases b_ih and b_hh (default True).
        device: the device of the parameters (the CPU); None (default) means the CPU.
        dtype: the dtype of the parameters; None (default) means the default dtype.
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device=None, dtype=None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=3, device=device, dtype=dtype)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        """One step; returns h'.

        Args:
            input: (N, input_size) or (input_size,).
            hx: h, (N, hidden_size); None (default) means zeros.
        """
        input, batched, zero = self._prepare(input, hx, "GRUCell")
        h = zero() if hx is None else self._check_hidden(input, hx if batched else hx.unsqueeze(0), 0)
        out = _gru_cell(input, h, self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh)
        return out if batched else out.squeeze(0)
