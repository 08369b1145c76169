"""ferrograd.nn.attention.flex_attention against PyTorch 2.13's eager CPU flex_attention.

Expected values were printed by PyTorch for the inputs built in `_inputs`."""

import math
import warnings

import ferrograd as fg
import ferrograd.nn.attention.flex_attention as fa
import numpy as np
import pytest
from ferrograd.nn.attention.flex_attention import (
    AuxRequest,
    BlockMask,
    and_masks,
    create_block_mask,
    create_mask,
    flex_attention,
    noop_mask,
    or_masks,
)

INF = math.inf


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _inputs(dtype=fg.float64):
    q = fg.sin(fg.arange(24, dtype=dtype)).reshape(1, 2, 3, 4)
    k = fg.cos(fg.arange(40, dtype=dtype) * 0.7).reshape(1, 2, 5, 4)
    v = (fg.arange(30, dtype=dtype) * 0.1 - 1.0).reshape(1, 2, 5, 3)
    return q, k, v


BIAS = fg.tensor([[0.5, -1.0, 2.0], [0.0, 1.5, -0.5]], dtype=fg.float64)


def _score_mod(s, b, h, q_idx, kv_idx):
    return s + BIAS[h, q_idx] - 0.25 * (q_idx - kv_idx).abs()


def _mask_mod(b, h, q_idx, kv_idx):
    return (kv_idx <= q_idx + h) & (q_idx > 0)


def _causal(b, h, q_idx, kv_idx):
    return q_idx >= kv_idx


def test_public_names():
    assert fa.__all__ == [
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


def test_score_mod_mask_mod_and_fully_masked_rows():
    q, k, v = _inputs()
    bm = create_block_mask(_mask_mod, 1, 2, 3, 5, device="cpu", BLOCK_SIZE=2)
    out, aux = flex_attention(
        q, k, v, score_mod=_score_mod, block_mask=bm, return_aux=AuxRequest(lse=True)
    )
    expected = [
        [[0.0, 0.0, 0.0], [-0.7321506123062469, -0.632150612306247, -0.532150612306247],
         [-0.706589337140634, -0.6065893371406339, -0.506589337140634]],
        [[0.0, 0.0, 0.0], [0.7408243873257021, 0.8408243873257022, 0.9408243873257021],
         [0.9645306834207891, 1.064530683420789, 1.1645306834207891]],
    ]  # fmt: skip
    np.testing.assert_allclose(out.numpy(), [expected], rtol=1e-12, atol=1e-15)
    lse = [[[-INF, 0.048652571843594616, 3.166623182710501], [-INF, 2.54449487457421, 0.8158354637177767]]]
    np.testing.assert_allclose(aux.lse.numpy(), lse, rtol=1e-12)
    assert aux.max_scores is None and out.dtype == fg.float64 and aux.lse.dtype == fg.float64


def test_scale():
    q, k, v = _inputs()
    out = flex_attention(q, k, v, scale=0.3)
    row = [-0.36260088049163686, -0.26260088049163693, -0.16260088049163696]
    np.testing.assert_allclose(out[0, 0, 0].numpy(), row, rtol=1e-12)
    np.testing.assert_allclose(out[0, 1, 2].numpy(), [1.160064124901437, 1.260064124901437, 1.360064124901437], rtol=1e-12)


def test_half_inputs_compute_in_float32_and_cast_back():
    q, k, v = _inputs(fg.float32)
    out, lse = flex_attention(q.half(), k.half(), v.half(), return_lse=True)
    assert out.dtype == fg.float16 and lse.dtype == fg.float32
    np.testing.assert_allclose(out[0, 0, 2].float().numpy(), [-0.54296875, -0.443115234375, -0.343017578125], atol=1e-3)
    np.testing.assert_allclose(lse.numpy(), [[[1.929972767829895, 1.7835454940795898, 1.7886135578155518],
                                             [1.754950761795044, 1.6810246706008911, 1.9657750129699707]]], rtol=1e-6)  # fmt: skip


def test_matches_sdpa_without_mods():
    q, k, v = _inputs()
    expected = fg.nn.functional.scaled_dot_product_attention(q, k, v)
    np.testing.assert_allclose(flex_attention(q, k, v).numpy(), expected.numpy(), rtol=1e-12)


def test_gqa_repeats_key_value_heads():
    q, k, v = _inputs()
    q4 = fg.cat([q, q * 0.5], dim=1)
    out = flex_attention(q4, k, v, enable_gqa=True)
    repeated = flex_attention(q4, k.repeat_interleave(2, dim=1), v.repeat_interleave(2, dim=1))
    np.testing.assert_allclose(out.numpy(), repeated.numpy(), rtol=1e-12)


def test_batch_one_key_value_broadcasts_with_a_block_mask():
    q, k, v = _inputs()
    q2 = fg.cat([q, -q])
    bm = create_block_mask(_causal, 2, 1, 3, 5, device="cpu")
    out = flex_attention(q2, k, v, block_mask=bm)
    np.testing.assert_allclose(out[1:].numpy(), flex_attention(-q, k, v, block_mask=bm).numpy(), rtol=1e-12)


def test_output_follows_query_strides():
    _, k, v = _inputs()
    q = fg.zeros(1, 3, 2, 4, dtype=fg.float64).transpose(1, 2)
    assert flex_attention(q, k, v).stride() == (18, 3, 6, 1)


def test_warns_once_without_compile(monkeypatch):
    monkeypatch.setattr(fa, "_WARNINGS_SHOWN", set())
    q, k, v = _inputs()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        flex_attention(q, k, v)
        flex_attention(q, k, v)
    assert len(caught) == 1 and caught[0].category is UserWarning
    assert str(caught[0].message).startswith("flex_attention called without ferrograd.compile()")
    monkeypatch.setattr(fa, "_WARNINGS_SHOWN", set())
    monkeypatch.setattr(fa, "_FLEX_ATTENTION_DISABLE_COMPILE_DEBUG", True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        flex_attention(q, k, v, return_lse=True)
    assert [w.category for w in caught] == [FutureWarning]


@pytest.mark.parametrize(
    ("make", "exc", "message"),
    [
        (lambda q, k, v: (q.requires_grad_(), k, v), NotImplementedError, "FlexAttention does not support backward on CPU"),
        (lambda q, k, v: (q[0], k[0], v[0]), NotImplementedError, "NYI: query, key, and value must be 4D tensors"),
        (lambda q, k, v: (q[0, 0, 0], k[0, 0, 0], v[0, 0, 0]), ValueError, "all be  at least 2 dimensional"),
        (lambda q, k, v: (q, k[..., :3], v), ValueError, "same embedding dimension but got E=4 and E=3."),
        (lambda q, k, v: (fg.cat([q, q], 1), k, v), ValueError, "Hq=4 and Hkv=2. Try setting enable_gqa=True for GQA."),
        (lambda q, k, v: (fg.cat([q, q]), k, v), ValueError, "but got block_mask=None, Bq=2, and Bkv=1."),
    ],
)  # fmt: skip
def test_input_errors(make, exc, message):
    with pytest.raises(exc, match=message.replace("(", r"\(").replace(".", r"\.")):
        flex_attention(*make(*_inputs()))


def test_gqa_head_count_error():
    q, k, v = _inputs()
    with pytest.raises(ValueError, match="multiple of kv heads for GQA but got Hq=3 and Hkv=2"):
        flex_attention(fg.cat([q, q[:, :1]], 1), k, v, enable_gqa=True)


def test_block_mask_length_errors():
    q, k, v = _inputs()
    with pytest.raises(ValueError, match="created for a larger length"):
        flex_attention(q, k, v, block_mask=create_block_mask(noop_mask, 1, 1, 3, 8, device="cpu"))
    with pytest.raises(ValueError, match=r"block_mask.shape=\(1, 1, 2, 5\) but got q_len=3 and kv_len=5"):
        flex_attention(q, k, v, block_mask=create_block_mask(noop_mask, 1, 1, 2, 5, device="cpu"))
    with pytest.raises(RuntimeError, match="^Cannot use mask_mod from a sliced BlockMask$"):
        flex_attention(q, k, v, block_mask=create_block_mask(_causal, 2, 2, 3, 5, device="cpu")[0])


def test_aux_and_kernel_option_errors():
    q, k, v = _inputs()
    with pytest.raises(NotImplementedError, match="Returning max scores is not supported on CPU/MPS."):
        flex_attention(q, k, v, return_aux=AuxRequest(max_scores=True))
    with pytest.raises(ValueError, match="Cannot specify both return_lse and return_aux."):
        flex_attention(q, k, v, return_lse=True, return_aux=AuxRequest())
    with pytest.raises(ValueError, match=r"Invalid BACKEND value 'X'. Must be one of \('AUTO', 'TRITON'"):
        flex_attention(q, k, v, kernel_options={"BACKEND": "X"})
    assert flex_attention(q, k, v, return_aux=AuxRequest())[1] == fa.AuxOutput(None, None)


def test_data_dependent_mods_raise_vmap_errors():
    q, k, v = _inputs()

    def branching(s, b, h, q_idx, kv_idx):
        if q_idx >= kv_idx:
            return s
        return s * 2

    with pytest.raises(RuntimeError, match="vmap: It looks like you're attempting to use a Tensor in some data-dependent"):
        flex_attention(q, k, v, score_mod=branching)
    with pytest.raises(RuntimeError, match=r"vmap: It looks like you're calling \.item\(\)"):
        create_block_mask(lambda b, h, q_idx, kv_idx: kv_idx.item() > 0, 1, 1, 3, 3, device="cpu")
    with pytest.raises(IndexError, match="Expected reduction dim 3 to have non-zero size"):
        flex_attention(q, k[:, :, :0], v[:, :, :0])


def test_create_block_mask_tensors_and_printing():
    bm = create_block_mask(_mask_mod, 1, 2, 3, 5, device="cpu", BLOCK_SIZE=2)
    assert bm.kv_num_blocks.dtype == fg.int32 and bm.kv_indices.dtype == fg.int32
    assert bm.kv_num_blocks.tolist() == [[[1, 2], [2, 2]]]
    assert bm.kv_indices.tolist() == [[[[0, 1, 2], [0, 1, 2]], [[0, 1, 2], [0, 1, 2]]]]
    assert bm.full_kv_num_blocks.tolist() == [[[0, 0], [0, 0]]]
    assert bm.q_num_blocks.tolist() == [[[2, 1, 0], [2, 2, 0]]]
    assert bm.q_indices.tolist() == [[[[0, 1], [1, 0], [0, 1]], [[0, 1], [0, 1], [0, 1]]]]
    assert bm.full_q_num_blocks.tolist() == [[[0, 0, 0], [0, 0, 0]]]
    assert bm.shape == (1, 2, 3, 5) and bm.BLOCK_SIZE == (2, 2) and bm.mask_mod is _mask_mod
    assert f"{bm.sparsity():.2f}" == "6.67"
    assert str(bm) == "BlockMask(shape=(1, 2, 3, 5), sparsity=6.67%, \n(0, 0)\n██    \n████  \n\n(0, 1)\n████  \n████\n)"
    assert bm.to_dense().tolist() == [[[[1, 0, 0], [1, 1, 0]], [[1, 1, 0], [1, 1, 0]]]]


def test_repr_and_adjust():
    adjusted = create_block_mask(_mask_mod, 1, 2, 3, 5, device="cpu", BLOCK_SIZE=2)._adjust(2, 3)
    assert repr(adjusted) == (
        "BlockMask(\n"
        "    kv_num_blocks=ferrograd.Size([1, 2, 1]),\n"
        "    kv_indices=ferrograd.Size([1, 2, 1, 2]),\n"
        "    full_kv_num_blocks=ferrograd.Size([1, 2, 1]),\n"
        "    full_kv_indices=ferrograd.Size([1, 2, 1, 2]),\n"
        "    q_num_blocks=ferrograd.Size([1, 2, 2]),\n"
        "    q_indices=ferrograd.Size([1, 2, 2, 1]),\n"
        "    full_q_num_blocks=ferrograd.Size([1, 2, 2]),\n"
        "    full_q_indices=ferrograd.Size([1, 2, 2, 1]),\n"
        "    BLOCK_SIZE=(2, 2),\n"
        "    shape=(1, 2, 2, 3),\n"
        "    sparsity=0.00%,\n"
        "    mask_mod=_mask_mod\n"
        ")"
    )
    assert adjusted.kv_num_blocks.tolist() == [[[1], [2]]]


def test_padding_tiles_and_negative_sparsity():
    bm = create_block_mask(_causal, 1, 1, 100, 70, device="cpu", BLOCK_SIZE=32)
    assert bm.kv_num_blocks.tolist() == [[[1, 1, 1, 3]]]
    assert bm.kv_indices.tolist() == [[[[0, 1, 2], [1, 0, 2], [2, 0, 1], [0, 1, 2]]]]
    assert bm.full_kv_num_blocks.tolist() == [[[0, 1, 2, 0]]]
    assert bm.q_indices.tolist() == [[[[0, 3, 1, 2], [1, 3, 0, 2], [2, 3, 0, 1]]]]
    assert f"{bm.sparsity():.2f}" == "-31.66"


def test_to_string_limit_and_grid():
    text = create_block_mask(noop_mask, 3, 2, 8, 8, device="cpu", BLOCK_SIZE=4).to_string(limit=2)
    assert text == (
        "(0, 0)\n████\n████\n\n(0, 1)\n████\n████\n\n...\n"
        "To print out more, set BlockMask.to_string(limit=N)\n"
        "You can also index (BlockMask[batch, head]) to choose a specific batch or head"
    )
    causal = create_block_mask(_causal, None, None, 6, 6, device="cpu", BLOCK_SIZE=1)
    assert causal.to_string(grid_size=3) == "(0, 0)\n░░    \n██░░  \n████░░\n"


def test_separate_full_blocks_false():
    bm = create_block_mask(_mask_mod, 1, 2, 3, 5, device="cpu", BLOCK_SIZE=(2, 3), separate_full_blocks=False)
    assert bm.full_kv_num_blocks is None and bm.BLOCK_SIZE == (2, 3)
    assert bm.to_dense().tolist() == [[[[1, 0], [1, 0]], [[1, 0], [1, 1]]]]


def test_getitem_keeps_dimensions():
    bm = create_block_mask(_causal, 4, 2, 512, 512, device="cpu")
    assert bm[0].kv_num_blocks.shape == (1, 2, 4)
    assert bm[-1, 1].kv_indices.shape == (1, 1, 4, 4)
    assert bm[0:2, 1:2, fg.tensor([1])].kv_indices.shape == (2, 1, 1, 4)
    assert bm[0].shape == (1, 2, 512, 512)
    with pytest.raises(RuntimeError, match="When you slice a BlockMask using"):
        bm[0].mask_mod(0, 0, 0, 0)


def test_from_kv_blocks():
    bm = BlockMask.from_kv_blocks(fg.zeros(1, 1, 1, dtype=fg.int32), fg.zeros(1, 1, 1, 1, dtype=fg.int32), BLOCK_SIZE=(3, 5))
    assert bm.shape == (1, 1, 3, 5) and bm.mask_mod is noop_mask and f"{bm.sparsity():.2f}" == "100.00"
    assert bm.q_num_blocks.tolist() == [[[0]]]
    assert len(bm.as_tuple()) == 17 and bm.as_tuple()[:2] == (3, 5) and bm.as_tuple()[-3:-1] == (3, 5)
    assert bm.as_tuple(flatten=False)[0] == (3, 5) and len(bm.as_tuple(flatten=False)) == 15
    q, k, v = _inputs()
    # eager flex_attention reads only the mask_mod, not the block sparsity (as PyTorch's)
    np.testing.assert_allclose(flex_attention(q, k, v, block_mask=bm).numpy(), flex_attention(q, k, v).numpy())
    with pytest.raises(RuntimeError, match="BlockMask must have at least 2 dimensions"):
        BlockMask.from_kv_blocks(fg.zeros(1, dtype=fg.int32), fg.zeros(1, dtype=fg.int32))
    with pytest.raises(AssertionError, match="full_kv_num_blocks and full_kv_indices must be both provided"):
        BlockMask.from_kv_blocks(fg.zeros(1, 1, dtype=fg.int32), fg.zeros(1, 1, dtype=fg.int32), fg.zeros(1, 1, dtype=fg.int32))


def test_create_mask_from_mask_and_score_mods():
    assert create_mask(_causal, 1, 1, 2, 3, device="cpu").tolist() == [[[[True, False, False], [True, True, False]]]]
    masked = create_mask(lambda s, b, h, q_idx, kv_idx: fg.where(q_idx > kv_idx, -INF, s), 1, 2, 2, 2)
    assert masked.tolist() == [[[[True, True], [False, True]]] * 2]
    assert create_mask(noop_mask, None, None, 1, 2).tolist() == [[[[True, True]]]]
    with pytest.raises(AssertionError, match="Expected 4 or 5 positional args, got 2"):
        create_mask(lambda b, h: b, 1, 1, 2, 2)
    with pytest.raises(AssertionError, match="create-block_mask requires a mask_mod function!"):
        create_block_mask(lambda s, b, h, q_idx, kv_idx: s, 1, 1, 2, 2)


def test_and_or_masks():
    i = [fg.tensor(0), fg.tensor(0), fg.tensor(3), fg.tensor(1)]
    assert and_masks(_causal, lambda b, h, q_idx, kv_idx: kv_idx > 1)(*i).item() is False
    assert or_masks(_causal, lambda b, h, q_idx, kv_idx: kv_idx > 1)(*i).item() is True
    assert and_masks().__name__ == "and_mask" and or_masks()(*i).item() is False
    with pytest.raises(RuntimeError, match=r"All inputs should be callable mask_mods: \(1,\)"):
        or_masks(1)


def test_gradient_of_a_captured_tensor():
    # PyTorch's CPU path differentiates captured tensors (not q/k/v); rows that the
    # score_mod sets to -inf give zero gradient, not NaN
    q, k, v = _inputs()
    bias = BIAS.clone().requires_grad_()

    def score_mod(s, b, h, q_idx, kv_idx):
        return fg.where(q_idx == 2, -INF, s * bias[h, q_idx])

    bm = create_block_mask(_mask_mod, 1, 2, 3, 5, device="cpu")
    out = flex_attention(q, k, v, score_mod=score_mod, block_mask=bm)
    (out * fg.arange(3, dtype=fg.float64)).sum().backward()
    expected = [[0.0, 0.19473737784203296, 0.0], [0.0, -0.2056556493060854, 0.0]]
    np.testing.assert_allclose(bias.grad.numpy(), expected, rtol=1e-12, atol=0)


def _kv_mod(b, h, q_idx, kv_idx):
    return (kv_idx <= q_idx + h) | (kv_idx % 3 == b)


def test_dq_write_order():
    ascending = create_block_mask(_kv_mod, 1, 2, 5, 6, BLOCK_SIZE=2, compute_dq_write_order=True, dq_kv_order=False)
    assert ascending.dq_write_order.tolist() == [[[[0, 0, 0], [1, 1, 1], [2, 2, 2]]] * 2]
    assert ascending.dq_kv_order_spt is False and ascending.dq_kv_order is None
    bm = create_block_mask(_kv_mod, 1, 2, 5, 6, BLOCK_SIZE=2, compute_dq_write_order=True)
    assert bm.dq_write_order.tolist() == [[[[1, 2, 1], [0, 1, 0], [0, -1, -1]], [[2, 1, 2], [0, 1, 1], [0, 0, -1]]]]
    assert bm.dq_write_order_full.tolist() == [[[[1, 1, 2], [0, 0, 1], [-1, -1, 0]], [[1, 2, 2], [1, 0, 1], [-1, 0, 0]]]]
    assert bm[0, 1].dq_write_order.tolist() == [[[[2, 1, 2], [0, 1, 1], [0, 0, -1]]]]
    merged = create_block_mask(_kv_mod, 1, 1, 5, 6, BLOCK_SIZE=2, separate_full_blocks=False, compute_dq_write_order=True)
    assert merged.dq_write_order.tolist() == [[[[1, 1, 2], [0, 0, 1], [0, -1, -1]]]]
    assert merged.dq_write_order_full is None and merged._adjust(2, 4).dq_write_order.tolist() == [[[[1], [0]]]]
    with pytest.raises(ValueError, match="dq_kv_order must be a bool when using create_block_mask"):
        create_block_mask(_kv_mod, 1, 1, 2, 2, dq_kv_order=1)


def test_mods_must_return_tensors_and_masks_bools():
    with pytest.raises(ValueError, match=r"vmap\(<lambda>, \.\.\.\): `<lambda>` must only return Tensors, got type <class 'bool'>"):
        create_block_mask(lambda b, h, q_idx, kv_idx: True, 1, 1, 4, 4)
    with pytest.raises(AssertionError, match="mask.dtype must be ferrograd.bool, got ferrograd.int64"):
        create_block_mask(lambda b, h, q_idx, kv_idx: q_idx - kv_idx, 1, 1, 2, 2, BLOCK_SIZE=1)
    as_float = create_mask(lambda b, h, q_idx, kv_idx: q_idx.float(), 1, 1, 2, 2)
    assert as_float.dtype == fg.float32 and as_float.tolist() == [[[[0.0, 0.0], [1.0, 1.0]]]]


def test_more_kernel_option_errors():
    ones = fg.ones(1, 1, 2, 2)
    with pytest.raises(RuntimeError, match="BACKEND cannot be combined with legacy FORCE_USE_FLEX_ATTENTION"):
        flex_attention(ones, ones, ones, kernel_options={"BACKEND": "FLASH", "FORCE_USE_FLEX_ATTENTION": True})
    with pytest.raises(NotImplementedError, match="Returning max scores is not supported with BACKEND='FLASH'"):
        flex_attention(ones, ones, ones, kernel_options={"BACKEND": "FLASH"}, return_aux=AuxRequest(max_scores=True))
    with pytest.raises(AssertionError, match="OUTPUT_LOGSUMEXP must not be in kernel_options"):
        flex_attention(ones, ones, ones, kernel_options={"OUTPUT_LOGSUMEXP": True})


def test_score_mod_masking_every_score_and_nan_inputs():
    ones = fg.ones(1, 1, 2, 2)
    out, aux = flex_attention(ones, ones, ones, score_mod=lambda s, b, h, q_idx, kv_idx: s - INF, return_aux=AuxRequest(lse=True))
    assert out.tolist() == [[[[0.0, 0.0], [0.0, 0.0]]]] and aux.lse.tolist() == [[[-INF, -INF]]]
    out, aux = flex_attention(fg.full((1, 1, 2, 2), math.nan), ones, ones, return_aux=AuxRequest(lse=True))
    assert np.isnan(out.numpy()).all() and np.isnan(aux.lse.numpy()).all()


def test_to_string_grids_slicing_and_to():
    bm = create_block_mask(_causal, 2, 1, 8, 8, BLOCK_SIZE=4)
    tail = "\n...\nTo print out more, set BlockMask.to_string(limit=N)\nYou can also index (BlockMask[batch, head]) to choose a specific batch or head"
    assert bm.to_string(grid_size=-1, limit=1) == "(0, 0)\n██  \n████\n" + tail
    assert bm.to_string(grid_size=(1, 2), limit=1) == "(0, 0)\n██░░\n" + tail
    assert bm[fg.tensor([1, 0])].kv_num_blocks.tolist() == [[[1, 1]], [[1, 1]]]
    assert bm[:, :, 1:].kv_num_blocks.tolist() == [[[1]], [[1]]]
    assert repr(bm.to("cpu")) == repr(bm) and bm.numel() == 128
    tensor_order = BlockMask.from_kv_blocks(fg.zeros(1, 1, 1, dtype=fg.int32), fg.zeros(1, 1, 1, 1, dtype=fg.int32), dq_kv_order=fg.zeros(1, 1, 1))
    with pytest.raises(NotImplementedError, match="Adjusting BlockMask with tensor dq_kv_order is not supported yet"):
        tensor_order._adjust(1, 1)
    with pytest.raises(NotImplementedError, match="Slicing BlockMask with tensor dq_kv_order is not supported yet"):
        tensor_order[0]
