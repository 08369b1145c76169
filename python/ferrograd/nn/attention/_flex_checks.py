"""flex_attention's input checks, in PyTorch's order and with its messages."""

from __future__ import annotations

from typing import Any

from ..._core import Tensor


def check_inputs(
    query: Tensor, key: Tensor, value: Tensor, enable_gqa: bool, block_mask: Any
) -> None:
    if query.is_nested or key.is_nested or value.is_nested:
        raise NotImplementedError(
            "flex_attention does not support NestedTensor inputs, including "
            "ferrograd.compile(flex_attention) with jagged NestedTensor inputs. "
            "Convert inputs to dense tensors before calling flex_attention."
        )
    if query.device != key.device or query.device != value.device:
        raise ValueError(
            f"Expected query, key, and value to have the same device type, "
            f"but got query.device: {query.device}, key.device: {key.device}, "
            f"and value.device: {value.device} instead."
        )
    if query.dim() < 2 or key.dim() < 2 or value.dim() < 2:
        raise ValueError(
            f"Expected query, key, and value to all be  at least 2 dimensional, but got query.dim: "
            f"{query.dim()}, key.dim: {key.dim()} and value.dim: {value.dim()} instead."
        )
    if query.size(-1) != key.size(-1):
        raise ValueError(
            f"Expect query and key/value to have the same embedding dimension "
            f"but got E={query.size(-1)} and E={key.size(-1)}."
        )
    if query.requires_grad or key.requires_grad or value.requires_grad:
        raise NotImplementedError(
            "FlexAttention does not support backward on CPU. Please set the input requires_grad to False "
            "or use another device."
        )
    if query.dim() != 4 or key.dim() != 4 or value.dim() != 4:
        raise NotImplementedError("NYI: query, key, and value must be 4D tensors")
    _check_heads(query.size(1), key.size(1), enable_gqa)
    _check_batch(query.size(0), key.size(0), block_mask)


def _check_heads(Hq: int, Hkv: int, enable_gqa: bool) -> None:
    if not enable_gqa and Hq != Hkv:
        raise ValueError(
            f"Expect query and key/value to have the same number of heads "
            f"but got Hq={Hq} and Hkv={Hkv}. "
            f"Try setting enable_gqa=True for GQA."
        )
    if enable_gqa and Hq % Hkv != 0:
        raise ValueError(
            f"Expect number of query heads to be a multiple of kv heads for GQA but got Hq={Hq} and Hkv={Hkv}."
        )


def _check_batch(Bq: int, Bkv: int, block_mask: Any) -> None:
    if Bq == Bkv:
        return
    if block_mask is None:
        raise ValueError(
            f"Expect query and key/value to have the same batch size, "
            f"or non-none block_mask, "
            f"but got block_mask=None, Bq={Bq}, and Bkv={Bkv}."
        )
    if block_mask.kv_num_blocks.size(0) != Bq:
        raise ValueError(
            f"Expect query and key/value to have the same batch size, "
            f"or block_mask and query to have the same batch size, "
            f"but got Bq={Bq}, Bkv={Bkv}, B_block_mask={block_mask.kv_num_blocks.size(0)}."
        )


def check_block_mask_lengths(block_mask: Any, q_len: int, kv_len: int) -> None:
    """The block mask must have been made for exactly these lengths."""
    mask_q_len, mask_kv_len = block_mask.shape[-2], block_mask.shape[-1]
    made_for = f"block_mask was created for block_mask.shape={block_mask.shape} but got q_len={q_len} and kv_len={kv_len}. "
    if q_len > mask_q_len or kv_len > mask_kv_len:
        raise ValueError(
            made_for
            + "As the block mask was created for a smaller length than you're using it for, "
            "you likely need to create a new block mask."
        )
    if q_len < mask_q_len or kv_len < mask_kv_len:
        raise ValueError(
            made_for
            + "As the block mask was created for a larger length than you're using it for, "
            "you can either 1. create a new block mask with the correct length, or 2. 'adjust' the "
            "existing block mask to the correct length by calling block_mask._adjust(q_len, kv_len). "
            "This essentially 'crops' the block mask to the upper left corner, which does not work "
            "for all mask_mods!"
        )
