"""`ferrograd.nn.attention.flex_attention`: attention with a user `score_mod` and a
`mask_mod`, as PyTorch's eager (uncompiled) CPU path runs it: the full score matrix in
float32 (float64 for float64 queries), forward only."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any, Literal, NamedTuple, TypedDict

import ferrograd

from ..._core import Tensor
from ._block_layout import _dense_to_ordered
from ._block_mask import (
    _DEFAULT_SPARSE_BLOCK_SIZE,
    _LARGE_SPARSE_BLOCK_SIZE,
    BlockMask,
    _mask_mod_signature,
    _sliced_mask_mod_error,
    noop_mask,
)
from ._dq_write_order import _compute_dq_write_order_from_block_mask
from ._flex_checks import check_block_mask_lengths, check_inputs
from ._flex_mods import _is_score_mod, mask_values, score_values

__all__ = [  # noqa: RUF022 (PyTorch's order)
    "BlockMask",
    "flex_attention",
    "AuxOutput",
    "AuxRequest",
    "FlexKernelOptions",
    "create_block_mask",
    "create_mask",
    "or_masks",
    "and_masks",
    "noop_mask",
]

_score_mod_signature = Callable[[Tensor, Tensor, Tensor, Tensor, Tensor], Tensor]
_Backend = Literal["AUTO", "TRITON", "FLASH", "TRITON_DECODE"]

# True silences the "called without compile" warning (PyTorch also runs the mods eagerly then)
_FLEX_ATTENTION_DISABLE_COMPILE_DEBUG = False

_WARNINGS_SHOWN: set[str] = set()


def _warn_once(warning_id: str, message: str, category: type[Warning] = UserWarning) -> None:
    if warning_id not in _WARNINGS_SHOWN:
        warnings.warn(message, category, stacklevel=2)
        _WARNINGS_SHOWN.add(warning_id)


class FlexKernelOptions(TypedDict, total=False):
    """Options of PyTorch's fused kernels; accepted and checked, no effect on the CPU."""

    BACKEND: _Backend
    PRESCALE_QK: bool
    ROWS_GUARANTEED_SAFE: bool
    BLOCKS_ARE_CONTIGUOUS: bool
    WRITE_DQ: bool
    FORCE_USE_FLEX_ATTENTION: bool


class AuxRequest(NamedTuple):
    """Request which auxiliary outputs to compute from flex_attention."""

    lse: bool = False
    max_scores: bool = False


class AuxOutput(NamedTuple):
    """Auxiliary outputs from flex_attention; None where not requested."""

    lse: Tensor | None = None
    max_scores: Tensor | None = None


def _identity(
    score: Tensor, batch: Tensor, head: Tensor, token_q: Tensor, token_kv: Tensor
) -> Tensor:
    return score


def _combined_mask(
    mask_mods: tuple[_mask_mod_signature, ...], start: bool, name: str
) -> _mask_mod_signature:
    """A mask_mod folding `mask_mods` with | (start False) or & (start True)."""
    if not all(callable(arg) for arg in mask_mods):
        raise RuntimeError(f"All inputs should be callable mask_mods: {mask_mods}")

    def combined(b: Tensor, h: Tensor, q_idx: Tensor, kv_idx: Tensor) -> Tensor:
        result = b.new_full((), start, dtype=ferrograd.bool)
        for mask in mask_mods:
            value = mask(b, h, q_idx, kv_idx)
            result = (result & value) if start else (result | value)
        return result

    combined.__name__ = combined.__qualname__ = name
    return combined


def or_masks(*mask_mods: _mask_mod_signature) -> _mask_mod_signature:
    """Returns a mask_mod that's the union of provided mask_mods"""
    return _combined_mask(mask_mods, False, "or_mask")


def and_masks(*mask_mods: _mask_mod_signature) -> _mask_mod_signature:
    """Returns a mask_mod that's the intersection of provided mask_mods"""
    return _combined_mask(mask_mods, True, "and_mask")


def create_mask(
    mod_fn: Callable[..., Tensor],
    B: int | None,
    H: int | None,
    Q_LEN: int,
    KV_LEN: int,
    device: Any = None,
) -> Tensor:
    """The (B, H, Q_LEN, KV_LEN) mask of a mask_mod, or of a score_mod (False where it gives -inf)."""
    B = 1 if B is None else B
    H = 1 if H is None else H
    device = "cpu" if device is None else device
    if _is_score_mod(mod_fn):
        zeros = ferrograd.zeros(B, H, Q_LEN, KV_LEN, device=device)
        return ferrograd.where(ferrograd.isneginf(score_values(mod_fn, zeros)), False, True)
    return mask_values(mod_fn, B, H, Q_LEN, KV_LEN, device)


def _block_counts(mask: Tensor, q_block: int, kv_block: int) -> Tensor:
    """The number of True entries per (q_block x kv_block) tile, the mask zero-padded to whole tiles."""
    if mask.dtype != ferrograd.bool:
        raise AssertionError(f"mask.dtype must be ferrograd.bool, got {mask.dtype}")
    while mask.dim() < 4:
        mask = mask.unsqueeze(0)
    pad_kv = -mask.shape[-1] % kv_block
    pad_q = -mask.shape[-2] % q_block
    mask = ferrograd.nn.functional.pad(mask, (0, pad_kv, 0, pad_q))
    B, H, Q, KV = mask.shape
    tiles = mask.view(B, H, Q // q_block, q_block, KV // kv_block, kv_block).permute(
        0, 1, 2, 4, 3, 5
    )
    return tiles.sum(dim=[-2, -1])


def create_block_mask(
    mask_mod: _mask_mod_signature,
    B: int | None,
    H: int | None,
    Q_LEN: int,
    KV_LEN: int,
    device: Any = None,
    BLOCK_SIZE: int | tuple[int, int] = _DEFAULT_SPARSE_BLOCK_SIZE,
    _compile: bool = False,
    separate_full_blocks: bool = True,
    compute_dq_write_order: bool = False,
    dq_kv_order: bool = True,
) -> BlockMask:
    """The BlockMask of `mask_mod` over (B, H, Q_LEN, KV_LEN), in BLOCK_SIZE tiles.

    Args:
        mask_mod: `(b, h, q_idx, kv_idx) -> bool tensor`, True where attention is allowed.
        B, H: batch size and number of query heads (None: 1).
        Q_LEN, KV_LEN: query and key/value lengths.
        device: where the mask is built.
        BLOCK_SIZE: tile size, an int or (Q_BLOCK_SIZE, KV_BLOCK_SIZE).
        _compile: deprecated (PyTorch's DeprecationWarning); builds the same mask.
        separate_full_blocks: keep tiles the mask leaves whole in the `full_kv_*` tensors.
        compute_dq_write_order: also build `dq_write_order` (metadata of PyTorch's
            deterministic FLASH backward; eager attention does not read it).
        dq_kv_order: that order's key-block schedule: False ascending, True descending.
    """
    if _is_score_mod(mask_mod):
        raise AssertionError(f"create-block_mask requires a mask_mod function! Got {mask_mod}")
    q_block, kv_block = (BLOCK_SIZE, BLOCK_SIZE) if isinstance(BLOCK_SIZE, int) else BLOCK_SIZE
    if _compile:
        warnings.warn(
            "_compile flag on create_block_mask was originally added to work around a ferrograd.compile "
            "limitation. That limitation has since been addressed. So, to compile create_block_mask, we "
            "suggest doing ferrograd.compile(create_block_mask). This still works for now, but will be "
            "removed in the future.",
            DeprecationWarning,
            stacklevel=2,
        )
    if not isinstance(dq_kv_order, bool):
        raise ValueError("dq_kv_order must be a bool when using create_block_mask")  # noqa: TRY004 (PyTorch's type)
    counts = _block_counts(create_mask(mask_mod, B, H, Q_LEN, KV_LEN, device), q_block, kv_block)
    full_num_blocks: Tensor | None = None
    full_indices: Tensor | None = None
    if separate_full_blocks:
        whole = q_block * kv_block
        partial = (counts > 0) & (counts < whole)
        full_num_blocks, full_indices = _dense_to_ordered(counts == whole)
    else:
        partial = counts > 0
    kv_num_blocks, kv_indices = _dense_to_ordered(partial)
    block_mask = BlockMask.from_kv_blocks(
        kv_num_blocks,
        kv_indices,
        full_num_blocks,
        full_indices,
        BLOCK_SIZE=(q_block, kv_block),
        mask_mod=mask_mod,
        seq_lengths=(Q_LEN, KV_LEN),
    )
    if compute_dq_write_order:
        block_mask.dq_write_order, block_mask.dq_write_order_full = (
            _compute_dq_write_order_from_block_mask(block_mask, dq_kv_order)
        )
        block_mask.dq_kv_order_spt = dq_kv_order
    return block_mask


def _create_empty_block_mask(query: Tensor) -> BlockMask:
    """The no-op mask: one block covering every query and key."""
    return BlockMask.from_kv_blocks(
        kv_num_blocks=ferrograd.ones([1, 1, 1], dtype=ferrograd.int32, device=query.device),
        kv_indices=ferrograd.zeros([1, 1, 1, 1], dtype=ferrograd.int32, device=query.device),
        BLOCK_SIZE=_LARGE_SPARSE_BLOCK_SIZE,
        seq_lengths=(1, 1),
    )


def _check_kernel_options(kernel_options: FlexKernelOptions | None, output_max: bool) -> None:
    options: dict[str, Any] = dict(kernel_options or {})
    if "BACKEND" in options and options.get("FORCE_USE_FLEX_ATTENTION", False):
        raise RuntimeError(
            "BACKEND cannot be combined with legacy FORCE_USE_FLEX_ATTENTION. "
            "BACKEND supersedes the legacy knob; please drop FORCE_USE_FLEX_ATTENTION "
            "and only specify the desired BACKEND."
        )
    backends = ("AUTO", "TRITON", "FLASH", "TRITON_DECODE")
    if "BACKEND" in options and options["BACKEND"] not in backends:
        raise ValueError(f"Invalid BACKEND value '{options['BACKEND']}'. Must be one of {backends}")
    for internal in ("OUTPUT_LOGSUMEXP", "OUTPUT_MAX"):
        if internal in options:
            raise AssertionError(f"{internal} must not be in kernel_options")
    if options.get("BACKEND") == "FLASH" and output_max:
        raise NotImplementedError(
            "Returning max scores is not supported with BACKEND='FLASH'. "
            "Use return_aux=AuxRequest(lse=True) or omit max_scores."
        )
    if output_max:
        raise NotImplementedError("Returning max scores is not supported on CPU/MPS.")


def _strides_filling(shape: tuple[int, ...], fill_order: list[int]) -> list[int]:
    """Contiguous strides that fill the dimensions in `fill_order`, innermost first."""
    strides = [0] * len(shape)
    step = 1
    for d in fill_order:
        strides[d] = step
        step *= shape[d]
    return strides


def _like_query_strides(out: Tensor, query: Tensor) -> Tensor:
    """`out` copied into the dimension order of `query`'s strides, the last dimension kept innermost."""
    stride = query.stride()
    # ascending strides; of equal strides the inner dimension first (PyTorch's inductor argsort)
    fill_order = sorted(range(out.dim()), key=lambda d: (stride[d], -d))
    shape = tuple(out.shape)
    strides = _strides_filling(shape, fill_order)
    if strides[-1] != 1:
        fill_order = [out.dim() - 1] + [d for d in fill_order if d != out.dim() - 1]
        strides = _strides_filling(shape, fill_order)
    result = out.new_empty_strided(shape, tuple(strides))
    result.copy_(out)
    return result


def _math_attention(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    score_mod: Callable[..., Tensor],
    mask_mod: Callable,
    scale: float,
) -> tuple[Tensor, Tensor]:
    """PyTorch's eager math: (output in query's dtype, logsumexp in the working precision)."""
    groups = query.size(1) // key.size(1)
    key = ferrograd.repeat_interleave(key, groups, dim=1)
    value = ferrograd.repeat_interleave(value, groups, dim=1)
    Bq, Bkv = query.size(0), key.size(0)
    if not (Bq == Bkv or (Bq > 1 and Bkv == 1)):
        raise RuntimeError(f"Bq and Bkv must broadcast. Got Bq={Bq} and Bkv={Bkv}")
    key = key.expand(Bq, *key.shape[1:])
    value = value.expand(Bq, *value.shape[1:])
    if key.size(-2) == 0:
        # PyTorch's eager math takes the row maximum of the scores
        raise IndexError("max(): Expected reduction dim 3 to have non-zero size.")
    working = ferrograd.float64 if query.dtype == ferrograd.float64 else ferrograd.float32
    scores = (query.to(working) @ key.to(working).transpose(-2, -1) * scale).to(working)
    masked_out = ferrograd.tensor(-math.inf, dtype=working, device=scores.device)
    B, H, Q, KV = scores.shape
    allowed = mask_values(mask_mod, B, H, Q, KV, scores.device)
    scores = ferrograd.where(allowed, score_values(score_mod, scores), masked_out)
    fully_masked = ferrograd.all(scores == -math.inf, dim=-1)
    lse = ferrograd.where(fully_masked, -math.inf, ferrograd.logsumexp(scores, dim=-1))
    # PyTorch's safe softmax: a fully masked row gives zeros; its -inf scores never reach
    # softmax, so no NaN reaches a gradient of a captured tensor either
    row_masked = fully_masked.unsqueeze(-1)
    probs = ferrograd.softmax(ferrograd.where(row_masked, 0.0, scores), dim=-1)
    probs = ferrograd.where(row_masked, 0.0, probs)
    out = probs.to(query.dtype) @ value.to(query.dtype)
    # PyTorch's kernels report log2-space statistics and convert back; same rounding here
    return out, lse / math.log(2) * math.log(2)


def flex_attention(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    score_mod: _score_mod_signature | None = None,
    block_mask: BlockMask | None = None,
    scale: float | None = None,
    enable_gqa: bool = False,
    return_lse: bool = False,
    kernel_options: FlexKernelOptions | None = None,
    *,
    return_aux: AuxRequest | None = None,
) -> Any:
    """Scaled dot product attention whose scores pass through `score_mod` and `block_mask`'s mask_mod.

    Args:
        query: (B, Hq, L, E). key: (B, Hkv, S, E). value: (B, Hkv, S, Ev).
        score_mod: `(score, b, h, q_idx, kv_idx) -> score`; default: unchanged.
        block_mask: a BlockMask whose `mask_mod` says which scores are kept.
        scale: multiplies `query @ key^T`; default 1/sqrt(E).
        enable_gqa: let Hq be a multiple of Hkv (key/value heads repeated).
        return_lse: deprecated (FutureWarning); also return the logsumexp, (B, Hq, L).
        kernel_options: options of PyTorch's fused kernels (checked, no effect here).
        return_aux: AuxRequest(lse=True) returns (output, AuxOutput(lse=...)).

    Returns the (B, Hq, L, Ev) output in query's dtype; a fully masked row gives zeros
    and a logsumexp of -inf. Forward only: an input that requires grad raises
    NotImplementedError, as on PyTorch's CPU.
    """
    check_inputs(query, key, value, enable_gqa, block_mask)
    score_mod = _identity if score_mod is None else score_mod
    block_mask = _create_empty_block_mask(query) if block_mask is None else block_mask
    if getattr(block_mask, "mask_mod", None) is _sliced_mask_mod_error:
        raise RuntimeError("Cannot use mask_mod from a sliced BlockMask")
    if tuple(block_mask.BLOCK_SIZE) != (_LARGE_SPARSE_BLOCK_SIZE, _LARGE_SPARSE_BLOCK_SIZE):
        check_block_mask_lengths(block_mask, query.size(-2), key.size(-2))
    scale = 1.0 / math.sqrt(query.size(-1)) if scale is None else scale
    if query.device != block_mask.kv_num_blocks.device:
        raise RuntimeError(
            f"Expect q/k/v and block_mask to be on the same device "
            f"but got {query.device} and {block_mask.kv_num_blocks.device}."
        )
    if return_lse and return_aux is not None:
        raise ValueError(
            "Cannot specify both return_lse and return_aux. "
            "return_lse is deprecated, please use return_aux=AuxRequest(lse=True) instead."
        )
    if return_lse:
        _warn_once(
            "deprecated_return_lse",
            "return_lse is deprecated and will be removed in v2.10. "
            "Please use return_aux=AuxRequest(lse=True) instead.",
            category=FutureWarning,
        )
    _check_kernel_options(kernel_options, return_aux is not None and return_aux.max_scores)
    if not _FLEX_ATTENTION_DISABLE_COMPILE_DEBUG:
        _warn_once(
            "flex_attention_performance",
            "flex_attention called without ferrograd.compile() - this will use an unfused implementation "
            "that materializes the full scores matrix instead of generating a fused kernel.\n\n"
            "SOLUTION: Use ferrograd.compile(flex_attention)(...)\n\n"
            "If you want to debug your score_mod/mask_mod, you can set:\n"
            "ferrograd.nn.attention.flex_attention._FLEX_ATTENTION_DISABLE_COMPILE_DEBUG = True\n\n"
            "This will allow you to use print statements or breakpoints. Note: This doesn't work with "
            "the backwards pass and may produce incorrect results.",
        )
    out, lse = _math_attention(query, key, value, score_mod, block_mask.mask_mod, scale)
    out = _like_query_strides(out, query)
    if return_aux is not None:
        return out, AuxOutput(lse=lse if return_aux.lse else None)
    if return_lse:
        return out, lse
    return out
