"""`nn.utils.rnn`: padding variable-length sequences and packing them (`PackedSequence`),
composed from indexing and concatenation so that gradients flow through."""

from __future__ import annotations

import itertools
from collections import namedtuple
from collections.abc import Iterable

from ... import _core
from ..._core import Tensor

__all__ = [
    "PackedSequence",
    "invert_permutation",
    "pack_padded_sequence",
    "pack_sequence",
    "pad_packed_sequence",
    "pad_sequence",
    "unpack_sequence",
    "unpad_sequence",
]

_PackedSequenceBase = namedtuple("PackedSequence", ["data", "batch_sizes", "sorted_indices", "unsorted_indices"])


def _cat(ts, dim=0):
    from ..._shape import cat

    return cat(ts, dim)


def _stack(ts, dim=0):
    from ..._shape import stack

    return stack(ts, dim)


def _long(values) -> Tensor:
    from ..._creation import tensor

    return tensor(list(values), dtype=_core.int64)


class PackedSequence(_PackedSequenceBase):
    """The time steps of a batch of sequences (longest first) concatenated: `data`, and how
    many sequences are still running at each step (`batch_sizes`)."""

    def __new__(cls, data: Tensor, batch_sizes: Tensor | None = None, sorted_indices: Tensor | None = None,
                unsorted_indices: Tensor | None = None):
        if unsorted_indices is None:
            unsorted_indices = invert_permutation(sorted_indices)
        if batch_sizes is not None:
            if batch_sizes.device.type != "cpu":
                raise ValueError(
                    "batch_sizes should always be on CPU. Instances of PackedSequence should never be created "
                    "manually. They should be instantiated by functions like pack_sequence and "
                    "pack_padded_sequences in nn.utils.rnn. https://pytorch.org/docs/stable/nn.html#torch.nn.utils.rnn.pack_sequence"
                )
            return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)
        if not isinstance(data, (list, tuple)) or len(data) != 2:
            raise AssertionError("Expected data to be a (data, batch_sizes) pair")
        return super().__new__(cls, data[0], data[1], sorted_indices, unsorted_indices)

    def _with_data(self, data: Tensor) -> PackedSequence:
        return type(self)(data, self.batch_sizes, self.sorted_indices, self.unsorted_indices)

    def to(self, *args, **kwargs) -> PackedSequence:
        data = self.data.to(*args, **kwargs)
        return self if data is self.data else self._with_data(data)

    def cpu(self, *args, **kwargs) -> PackedSequence:
        return self

    def cuda(self, *args, **kwargs) -> PackedSequence:
        return self._with_data(self.data.cuda(*args, **kwargs))

    def double(self) -> PackedSequence:
        return self.to(dtype=_core.float64)

    def float(self) -> PackedSequence:
        return self.to(dtype=_core.float32)

    def half(self) -> PackedSequence:
        return self.to(dtype=_core.float16)

    def long(self) -> PackedSequence:
        return self.to(dtype=_core.int64)

    def int(self) -> PackedSequence:
        return self.to(dtype=_core.int32)

    def short(self) -> PackedSequence:
        return self.to(dtype=_core.int16)

    def char(self) -> PackedSequence:
        return self.to(dtype=_core.int8)

    def byte(self) -> PackedSequence:
        return self.to(dtype=_core.uint8)

    @property
    def is_cuda(self) -> bool:
        return False

    def is_pinned(self) -> bool:
        return False


def invert_permutation(permutation: Tensor | None) -> Tensor | None:
    """The permutation that undoes `permutation`."""
    if permutation is None:
        return None
    perm = [int(i) for i in permutation.tolist()]
    inverse = [0] * len(perm)
    for position, index in enumerate(perm):
        inverse[index] = position
    return _long(inverse)


def _lengths_list(lengths) -> list[int]:
    if isinstance(lengths, Tensor):
        if lengths.dim() != 1:
            raise RuntimeError(f"'lengths' argument should be a 1D CPU int64 tensor, but got {lengths.dim()}D tensor")
        return [int(v) for v in lengths.tolist()]
    return [int(v) for v in lengths]


def _pack_time_major(padded: Tensor, lengths: list[int]) -> tuple[Tensor, list[int]]:
    """Packs (T, B, *) `padded` whose columns have the non-increasing `lengths`."""
    if not lengths:
        raise RuntimeError("Cannot pack empty tensors.")
    if padded.shape[1] != len(lengths):
        raise RuntimeError(
            f"Expected `len(lengths)` to be equal to batch_size, but got {len(lengths)} (batch_size={padded.shape[1]})"
        )
    if lengths[-1] <= 0:
        raise RuntimeError(
            "Length of all samples has to be greater than 0, but found an element in 'lengths' that is <= 0"
        )
    for prev, cur in itertools.pairwise(lengths):
        if cur > prev:
            raise RuntimeError(
                "`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You can pass "
                "`enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep this requirement "
                "if you do not need ONNX exportability."
            )
    steps = min(lengths[0], padded.shape[0])
    batch_sizes = [sum(1 for n in lengths if n > t) for t in range(steps)]
    data = _cat([padded[t, :bs] for t, bs in enumerate(batch_sizes)], 0)
    return data, batch_sizes


def _sorting(lengths: list[int]) -> list[int]:
    """Batch order by decreasing length (stable among equal lengths)."""
    return sorted(range(len(lengths)), key=lambda i: -lengths[i])


def pack_padded_sequence(input: Tensor, lengths, batch_first: bool = False,
                         enforce_sorted: bool = True) -> PackedSequence:
    """Packs a padded batch (T, B, *) (or (B, T, *) with batch_first) of sequences of `lengths`."""
    if isinstance(lengths, Tensor) and lengths.dtype.is_floating_point:
        lengths = lengths.to(_core.int64)
    lens = _lengths_list(lengths)
    if enforce_sorted:
        sorted_indices = None
    else:
        order = _sorting(lens)
        sorted_indices = _long(order)
        lens = [lens[i] for i in order]
        input = input.index_select(0 if batch_first else 1, sorted_indices)
    if batch_first:
        input = input.transpose(0, 1)
    data, batch_sizes = _pack_time_major(input, lens)
    if data.grad_fn is not None:
        data = _core._named_node(data, "PackPaddedSequenceBackward0")
    return PackedSequence(data, _long(batch_sizes), sorted_indices, None)


def pad_packed_sequence(sequence: PackedSequence, batch_first: bool = False, padding_value: float = 0.0,
                        total_length: int | None = None) -> tuple[Tensor, Tensor]:
    """The padded batch of a PackedSequence (in the original batch order) and the lengths."""
    batch_sizes = [int(b) for b in sequence.batch_sizes.tolist()]
    max_seq_length = len(batch_sizes)
    if total_length is not None:
        if total_length < max_seq_length:
            raise ValueError(
                "Expected total_length to be at least the length of the longest sequence in input, but got "
                f"total_length={total_length} and max sequence length being {max_seq_length}"
            )
    else:
        total_length = max_seq_length
    data = sequence.data
    batch = batch_sizes[0]
    trailing = tuple(data.shape[1:])
    rows = []
    offset = 0
    for bs in batch_sizes:
        step = data[offset:offset + bs]
        if bs < batch:
            step = _cat([step, _core._full(batch - bs, *trailing, fill_value=padding_value, dtype=data.dtype)], 0)
        rows.append(step)
        offset += bs
    for _ in range(total_length - max_seq_length):
        rows.append(_core._full(batch, *trailing, fill_value=padding_value, dtype=data.dtype))
    padded = _stack(rows, 0)
    lengths = [sum(1 for bs in batch_sizes if bs > i) for i in range(batch)]
    if sequence.unsorted_indices is not None:
        padded = padded.index_select(1, sequence.unsorted_indices)
        lengths = [lengths[int(i)] for i in sequence.unsorted_indices.tolist()]
    if batch_first:
        padded = padded.transpose(0, 1)
    return padded, _long(lengths)


def pad_sequence(sequences, batch_first: bool = False, padding_value: float = 0.0,
                 padding_side: str = "right") -> Tensor:
    """Stacks sequences of different lengths (L_i, *) into (T, B, *) (or (B, T, *)), padding with
    `padding_value` on `padding_side`."""
    if padding_side not in ("left", "right"):
        raise RuntimeError(f"Expected padding_side to be one of left or right, but got {padding_side}.")
    if isinstance(sequences, Tensor):
        sequences = sequences.unbind(0)
    sequences = list(sequences)
    if not sequences:
        raise RuntimeError("received an empty list of sequences")
    # PyTorch's kernel: a filled output in the first sequence's trailing shape and dtype, each
    # sequence copied (broadcast) into its slot, so the graph ends in CopySlices
    first = sequences[0]
    max_len = max(q.shape[0] for q in sequences)
    batch = len(sequences)
    shape = (batch, max_len) if batch_first else (max_len, batch)
    out = _core._full(*shape, *first.shape[1:], fill_value=padding_value, dtype=first.dtype)
    for i, q in enumerate(sequences):
        n = q.shape[0]
        start = 0 if padding_side == "right" else max_len - n
        slot = out.select(0, i).narrow(0, start, n) if batch_first else out.narrow(0, start, n).select(1, i)
        slot.copy_(q)
    return out


def unpad_sequence(padded_sequences: Tensor, lengths: Tensor, batch_first: bool = False) -> list[Tensor]:
    """The sequences of a padded batch, cut to their lengths."""
    if not batch_first:
        padded_sequences = padded_sequences.transpose(0, 1)
    return [seq[:n] for seq, n in zip(padded_sequences.unbind(0), _lengths_list(lengths))]


def pack_sequence(sequences: Iterable[Tensor], enforce_sorted: bool = True) -> PackedSequence:
    """Packs a list of sequences (L_i, *) (longest first unless enforce_sorted is False)."""
    sequences = list(sequences)
    lengths = _long([s.shape[0] for s in sequences])
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences: PackedSequence) -> list[Tensor]:
    """The list of sequences in a PackedSequence (original order)."""
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
