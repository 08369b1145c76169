"""`MultiheadAttention`, initialised as PyTorch does (same numbers for the same seed)."""

from __future__ import annotations

from ..._core import Tensor
from .. import init
from .._attention import multi_head_attention_forward
from ..parameter import Parameter
from .linear import Linear
from .module import Module

__all__ = ["MultiheadAttention", "NonDynamicallyQuantizableLinear"]


class NonDynamicallyQuantizableLinear(Linear):
    """The output projection's class name in PyTorch (a plain Linear).

    Args:
        in_features: the size of each input's last dim.
        out_features: the size of each output's last dim.
        bias: learn an additive bias (default True).
        device: the device of the parameters (the CPU); None (default) means the CPU.
        dtype: the dtype of the parameters; None (default) means the default dtype.
    """


class MultiheadAttention(Module):
    """Attention over `num_heads` heads of embed_dim / num_heads each.

    Args:
        embed_dim: E, the number of features of the queries and of the output.
        num_heads: the number of heads; embed_dim must be divisible by it.
        dropout: the dropout probability on the attention weights (default 0).
        bias: give the input and output projections biases (default True).
        add_bias_kv: append learned biases to the keys and values (default False).
        add_zero_attn: append a zero key and value to every sequence (default False).
        kdim: the number of features of the keys; None (default) means embed_dim.
        vdim: the number of features of the values; None (default) means embed_dim.
        batch_first: inputs and output are (N, L, E) instead of (L, N, E) (default False).
        device: the device of the parameters (the CPU); None (default) means the CPU.
        dtype: the dtype of the parameters; None (default) means the default dtype.
    """

    def __init__(self, embed_dim: int, num_heads: int, dropout: float = 0.0, bias: bool = True,
                 add_bias_kv: bool = False, add_zero_attn: bool = False, kdim: int | None = None,
                 vdim: int | None = None, batch_first: bool = False, device=None, dtype=None) -> None:
        from ..._creation import empty

        if embed_dim <= 0 or num_heads <= 0:
            raise ValueError(
                f"embed_dim and num_heads must be greater than 0, got embed_dim={embed_dim} and "
                f"num_heads={num_heads} instead"
            )
        super().__init__()
        self.embed_dim = embed_dim
        self.kdim = kdim if kdim is not None else embed_dim
        self.vdim = vdim if vdim is not None else embed_dim
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.num_heads = num_heads
        self.dropout = dropout
        self.batch_first = batch_first
        self.head_dim = embed_dim // num_heads
        if self.head_dim * num_heads != self.embed_dim:
            raise AssertionError("embed_dim must be divisible by num_heads")
        if not self._qkv_same_embed_dim:
            self.q_proj_weight = Parameter(empty((embed_dim, embed_dim), dtype=dtype))
            self.k_proj_weight = Parameter(empty((embed_dim, self.kdim), dtype=dtype))
            self.v_proj_weight = Parameter(empty((embed_dim, self.vdim), dtype=dtype))
            self.register_parameter("in_proj_weight", None)
        else:
            self.in_proj_weight = Parameter(empty((3 * embed_dim, embed_dim), dtype=dtype))
            self.register_parameter("q_proj_weight", None)
            self.register_parameter("k_proj_weight", None)
            self.register_parameter("v_proj_weight", None)
        if bias:
            self.in_proj_bias = Parameter(empty(3 * embed_dim, dtype=dtype))
        else:
            self.register_parameter("in_proj_bias", None)
        self.out_proj = NonDynamicallyQuantizableLinear(embed_dim, embed_dim, bias=bias, dtype=dtype)
        if add_bias_kv:
            self.bias_k = Parameter(empty((1, 1, embed_dim), dtype=dtype))
            self.bias_v = Parameter(empty((1, 1, embed_dim), dtype=dtype))
        else:
            self.bias_k = self.bias_v = None
        self.add_zero_attn = add_zero_attn
        self._reset_parameters()

    def _reset_parameters(self) -> None:
        if self._qkv_same_embed_dim:
            init.xavier_uniform_(self.in_proj_weight)
        else:
            init.xavier_uniform_(self.q_proj_weight)
            init.xavier_uniform_(self.k_proj_weight)
            init.xavier_uniform_(self.v_proj_weight)
        if self.in_proj_bias is not None:
            init.constant_(self.in_proj_bias, 0.0)
            init.constant_(self.out_proj.bias, 0.0)
        if self.bias_k is not None:
            init.xavier_normal_(self.bias_k)
        if self.bias_v is not None:
            init.xavier_normal_(self.bias_v)

    def forward(self, query: Tensor, key: Tensor, value: Tensor, key_padding_mask: Tensor | None = None,
                need_weights: bool = True, attn_mask: Tensor | None = None, average_attn_weights: bool = True,
                is_causal: bool = False) -> tuple[Tensor, Tensor | None]:
        """Attends from `query` over `key`/`value`; returns (output, weights or None).

        Args:
            query: (L, N, E), (N, L, E) with batch_first, or (L, E).
            key: (S, N, kdim) or likewise.
            value: (S, N, vdim) or likewise.
            key_padding_mask: an optional (N, S) mask of keys to ignore (True or -inf: ignored).
            need_weights: also return the attention weights (default True).
            attn_mask: an optional (L, S) or (N·num_heads, L, S) boolean or additive mask.
            average_attn_weights: average the returned weights over the heads (default True).
            is_causal: a hint that attn_mask is the causal mask (default False).
        """
        is_batched = query.dim() == 3
        if self.batch_first and is_batched:
            query, key, value = (x.transpose(1, 0) for x in (query, key, value))
        out, weights = multi_head_attention_forward(
            query, key, value, self.embed_dim, self.num_heads, self.in_proj_weight, self.in_proj_bias,
            self.bias_k, self.bias_v, self.add_zero_attn, self.dropout, self.out_proj.weight, self.out_proj.bias,
            training=self.training, key_padding_mask=key_padding_mask, need_weights=need_weights,
            attn_mask=attn_mask, use_separate_proj_weight=not self._qkv_same_embed_dim,
            q_proj_weight=self.q_proj_weight, k_proj_weight=self.k_proj_weight, v_proj_weight=self.v_proj_weight,
            average_attn_weights=average_attn_weights, is_causal=is_causal,
        )
        if self.batch_first and is_batched:
            return out.transpose(1, 0), weights
        return out, weights
