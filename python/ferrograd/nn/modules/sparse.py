"""`EmbeddingBag`: sums, means or maxima of bags of embeddings (`F.embedding_bag`)."""

from __future__ import annotations

from ..._core import Tensor
from ..._grad_mode import no_grad
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = ["EmbeddingBag"]


class EmbeddingBag(Module):
    """A lookup table reduced over bags of indices (mode 'sum', 'mean' or 'max'); weight
    initialised from N(0, 1), the padding row zeroed.

    Args:
        num_embeddings: the number of rows of the table.
        embedding_dim: the size of each row.
        max_norm: when given, rows looked up with a larger norm are rescaled to this norm,
            in place.
        norm_type: the p of the norm for `max_norm` (default 2).
        scale_grad_by_freq: divide the gradient of each row by its count in the batch
            (default False).
        mode: 'sum', 'mean' (default) or 'max'.
        sparse: accepted for PyTorch compatibility; the gradient is always dense.
        _weight: an initial table to use instead of a random one (default None).
        include_last_offset: `offsets` has one more entry, the end of the last bag
            (default False).
        padding_idx: a row left out of the bags and getting no gradient (default None).
        device: the device of the parameters (the CPU); None (default) means the CPU.
        dtype: the dtype of the parameters; None (default) means the default dtype.
    """

    def __init__(self, num_embeddings: int, embedding_dim: int, max_norm: float | None = None,
                 norm_type: float = 2.0, scale_grad_by_freq: bool = False, mode: str = "mean", sparse: bool = False,
                 _weight: Tensor | None = None, include_last_offset: bool = False, padding_idx: int | None = None,
                 device=None, dtype=None) -> None:
        super().__init__()
        from ..._creation import empty

        self.num_embeddings = num_embeddings
        self.embedding_dim = embedding_dim
        self.max_norm = max_norm
        self.norm_type = norm_type
        self.scale_grad_by_freq = scale_grad_by_freq
        if padding_idx is not None:
            if padding_idx > 0:
                if padding_idx >= num_embeddings:
                    raise AssertionError("padding_idx must be within num_embeddings")
            elif padding_idx < 0:
                if padding_idx < -num_embeddings:
                    raise AssertionError("padding_idx must be within num_embeddings")
                padding_idx = num_embeddings + padding_idx
        self.padding_idx = padding_idx
        if _weight is None:
            self.weight = Parameter(empty((num_embeddings, embedding_dim), dtype=dtype))
            self.reset_parameters()
        else:
            if tuple(_weight.shape) != (num_embeddings, embedding_dim):
                raise AssertionError("Shape of weight does not match num_embeddings and embedding_dim")
            self.weight = Parameter(_weight)
        self.mode = mode
        self.sparse = sparse
        self.include_last_offset = include_last_offset

    def reset_parameters(self) -> None:
        """Re-initializes the parameters as the constructor does."""
        init.normal_(self.weight)
        if self.padding_idx is not None:
            with no_grad():
                self.weight[self.padding_idx].fill_(0)

    def forward(self, input: Tensor, offsets: Tensor | None = None,
                per_sample_weights: Tensor | None = None) -> Tensor:
        """One reduced row per bag.

        Args:
            input: int64 indices: (B, N), B bags of N, or 1-D with `offsets`.
            offsets: the start of each bag in a 1-D `input` (default None).
            per_sample_weights: optional weights of input's shape, multiplying each row (mode
                'sum' only).
        """
        return F.embedding_bag(input, self.weight, offsets, self.max_norm, self.norm_type, self.scale_grad_by_freq,
                               self.mode, self.sparse, per_sample_weights, self.include_last_offset,
                               self.padding_idx)

    def extra_repr(self) -> str:
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.max_norm is not None:
            s += f", max_norm={self.max_norm}"
        if self.norm_type != 2:
            s += f", norm_type={self.norm_type}"
        if self.scale_grad_by_freq is not False:
            s += f", scale_grad_by_freq={self.scale_grad_by_freq}"
        s += f", mode={self.mode!r}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        return s

    @classmethod
    def from_pretrained(cls, embeddings: Tensor, freeze: bool = True, max_norm: float | None = None,
                        norm_type: float = 2.0, scale_grad_by_freq: bool = False, mode: str = "mean",
                        sparse: bool = False, include_last_offset: bool = False,
                        padding_idx: int | None = None) -> EmbeddingBag:
        """An EmbeddingBag whose weight is `embeddings` (frozen unless freeze=False).

        Args:
            embeddings: the (num_embeddings, embedding_dim) table.
            freeze: keep the table fixed (requires_grad False); default True.
            max_norm: rescale rows looked up with a larger norm to this norm (default None).
            norm_type: the p of the norm for `max_norm` (default 2).
            scale_grad_by_freq: divide each row's gradient by its count in the batch
                (default False).
            mode: 'sum', 'mean' (default) or 'max'.
            sparse: accepted for PyTorch compatibility; the gradient is always dense.
            include_last_offset: `offsets` has one more entry, the end of the last bag
                (default False).
            padding_idx: a row left out of the bags (default None).
        """
        if embeddings.dim() != 2:
            raise AssertionError("Embeddings parameter is expected to be 2-dimensional")
        rows, cols = embeddings.shape
        bag = cls(num_embeddings=rows, embedding_dim=cols, _weight=embeddings, max_norm=max_norm,
                  norm_type=norm_type, scale_grad_by_freq=scale_grad_by_freq, mode=mode, sparse=sparse,
                  include_last_offset=include_last_offset, padding_idx=padding_idx)
        bag.weight.requires_grad = not freeze
        return bag
