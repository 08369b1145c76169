"""A BlockMask's block layout: per row of query blocks, the count of key/value blocks it
touches and their column indices (the count first, the order of the rest unspecified),
and the conversions to and from the dense 0/1 block matrix."""

from __future__ import annotations

import ferrograd

from ..._core import Tensor


def _ordered_to_dense(num_blocks_in_row: Tensor, col_indices: Tensor, num_cols: int) -> Tensor:
    """The int32 0/1 block matrix whose row i has ones at `col_indices[i, :num_blocks_in_row[i]]`."""
    max_entries = col_indices.shape[-1]
    in_row = ferrograd.arange(max_entries) < num_blocks_in_row.unsqueeze(-1)
    # entries past a row's count go to one spare column, dropped at the end
    targets = ferrograd.where(in_row, col_indices.long(), num_cols)
    dense = ferrograd.zeros(*col_indices.shape[:-1], num_cols + 1, dtype=ferrograd.int32)
    dense = dense.scatter(-1, targets, 1)
    return dense[..., :num_cols].contiguous()


def _dense_to_ordered(dense_mask: Tensor) -> tuple[Tensor, Tensor]:
    dense_mask = dense_mask.to(dtype=ferrograd.int32)
    num_blocks_in_row = dense_mask.sum(dim=-1)
    col_indices = ferrograd.argsort(dense_mask, dim=-1, descending=True, stable=True)
    return num_blocks_in_row.to(ferrograd.int32).contiguous(), col_indices.to(
        ferrograd.int32
    ).contiguous()


def _transpose_ordered(num_blocks_in_row: Tensor, col_indices: Tensor) -> tuple[Tensor, Tensor]:
    dense = _ordered_to_dense(num_blocks_in_row, col_indices, col_indices.shape[-1])
    return _dense_to_ordered(dense.transpose(-2, -1))


def _adjust_num_blocks_and_indices(
    num_blocks: Tensor, indices: Tensor, new_num_rows: int, new_num_cols: int
) -> tuple[Tensor, Tensor]:
    indices = indices[:, :, :new_num_rows, :new_num_cols]
    num_blocks = num_blocks[:, :, :new_num_rows]
    num_blocks = ferrograd.where(num_blocks < new_num_cols, num_blocks, new_num_cols)
    num_blocks = ferrograd.sum(indices < num_blocks[:, :, :, None], dim=-1).to(ferrograd.int32)
    return num_blocks, indices
