"""The dQ write order of a BlockMask: the metadata PyTorch's deterministic block-sparse
FLASH backward reads (`create_block_mask(compute_dq_write_order=True)`). For each key
block n and each query block m it touches (in `q_indices` order), the rank of n among the
key blocks of row m: ascending n order, or descending for `dq_kv_order=True`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import ferrograd

from ..._core import Tensor
from ._block_layout import _ordered_to_dense

if TYPE_CHECKING:
    from ._block_mask import BlockMask


def _compute_dq_write_order_from_block_mask(
    block_mask: BlockMask, dq_kv_order: bool | None = False
) -> tuple[Tensor, Tensor | None]:
    q_indices = block_mask.q_indices
    if block_mask.q_num_blocks is None or q_indices is None:
        raise ValueError("BlockMask must have q_num_blocks and q_indices to compute dq_write_order")
    pairs = [(block_mask.kv_num_blocks, block_mask.kv_indices)]
    full_kv = block_mask.full_kv_num_blocks, block_mask.full_kv_indices
    has_full = full_kv[0] is not None and full_kv[1] is not None
    if has_full:
        pairs.append(full_kv)  # type: ignore[arg-type]
    indices = (block_mask.kv_indices, q_indices, full_kv[1], block_mask.full_q_indices)
    B, H = ferrograd.broadcast_shapes(*[idx.shape[:2] for idx in indices if idx is not None])
    num_m, num_n = block_mask.kv_indices.shape[2], q_indices.shape[2]
    dense_blocks = [
        _ordered_to_dense(
            counts.expand(B, H, *counts.shape[2:]), idx.expand(B, H, *idx.shape[2:]), num_n
        )
        for counts, idx in pairs
    ]
    dense = (
        dense_blocks[0]
        if len(dense_blocks) == 1
        else (dense_blocks[0] + dense_blocks[1]).clamp(max=1)
    )
    cumsum = dense.cumsum(dim=-1)
    rank_table = (cumsum - dense).to(ferrograd.int32)
    if dq_kv_order:
        rank_table = (cumsum[:, :, :, -1:] - 1 - rank_table).to(ferrograd.int32)

    def gather(bwd_idx: Tensor) -> Tensor:
        b = ferrograd.arange(B)[:, None, None, None]
        h = ferrograd.arange(H)[None, :, None, None]
        n = ferrograd.arange(bwd_idx.shape[2])[None, None, :, None]
        m = bwd_idx.long().clamp(0, num_m - 1)
        return rank_table[b, h, m, n].to(ferrograd.int32)

    full_order = None
    if (
        has_full
        and block_mask.full_q_num_blocks is not None
        and block_mask.full_q_indices is not None
    ):
        full_order = gather(block_mask.full_q_indices)
    return gather(q_indices), full_order
