"""Bad calls (and good ones that went wrong) found by `tools/opinfo_diff.py --mutate`
(session 23). Exception types, shapes and message fragments are PyTorch's; the file
also runs against PyTorch (`FG_TEST_BACKEND=torch`)."""

import re

import numpy as np
import pytest
from backend import fg


def raises(kind, fragment):
    return pytest.raises(kind, match=re.escape(fragment))


def shapes(pieces):
    return [tuple(p.shape) for p in pieces]


# ---- a NumPy integer is a number of sections, not an index ---------------------------------


@pytest.mark.parametrize(
    "count", [np.int64(2), np.int32(2), np.array(2)], ids=["int64", "int32", "0d-array"]
)
def test_tensor_split_reads_a_numpy_integer_as_the_number_of_sections(count):
    assert shapes(fg.tensor_split(fg.ones(5, 5), count)) == [(3, 5), (2, 5)]
    assert shapes(fg.ones(5, 5).tensor_split(count, 1)) == [(5, 3), (5, 2)]


def test_tensor_split_refuses_a_float_array_as_sections():
    with pytest.raises(TypeError, match="tensor_split"):
        fg.tensor_split(fg.ones(5, 5), np.array(2.0))


def test_hsplit_checks_divisibility_for_a_numpy_integer():
    assert shapes(fg.hsplit(fg.ones(4, 4), np.int64(2))) == [(4, 2), (4, 2)]
    with raises(RuntimeError, "not divisible by the split_size 3"):
        fg.ones(4, 4, 4).dsplit(np.int64(3))


@pytest.mark.parametrize("sections", [np.array(2), np.array([1, 2])], ids=["0d-array", "1d-array"])
def test_hsplit_refuses_an_array_for_either_overload(sections):
    with raises(TypeError, "hsplit() received an invalid combination of arguments"):
        fg.hsplit(fg.ones(4, 4), sections)


def test_hsplit_refuses_a_1d_tensor_but_takes_a_0d_one():
    assert shapes(fg.hsplit(fg.ones(4, 4), fg.tensor(2))) == [(4, 2), (4, 2)]
    with raises(TypeError, "hsplit() received an invalid combination of arguments"):
        fg.hsplit(fg.ones(4, 4), fg.tensor([1, 2]))


# ---- smooth_l1_loss promotes a bool input as it does a bool target --------------------------


def test_smooth_l1_loss_promotes_a_bool_input_to_the_target_dtype():
    loss = fg.nn.functional.smooth_l1_loss(
        fg.ones(3, dtype=fg.bool), fg.zeros(3, dtype=fg.float64), reduction="none", beta=0.5
    )
    assert loss.dtype == fg.float64
    assert loss.tolist() == [0.75, 0.75, 0.75]


def test_smooth_l1_loss_with_beta_zero_still_refuses_a_bool_input():
    with raises(RuntimeError, "Subtraction, the `-` operator, with a bool tensor is not supported"):
        fg.nn.functional.smooth_l1_loss(fg.ones(3, dtype=fg.bool), fg.zeros(3), beta=0.0)


# ---- functions forwarding to a method a NumPy array has too -----------------------------------


@pytest.mark.parametrize(
    "name, args",
    [
        ("transpose", (0, 1)),
        ("swapaxes", (0, 1)),
        ("swapdims", (0, 1)),
        ("alpha_dropout", (0.5, True)),
        ("alpha_dropout_", (0.5, True)),
        ("feature_alpha_dropout", (0.5, True)),
        ("feature_dropout", (0.5, True)),
        ("feature_dropout_", (0.5, True)),
    ],
)
def test_functions_refuse_a_numpy_array_as_input(name, args):
    with raises(
        TypeError, f"{name}(): argument 'input' (position 1) must be Tensor, not numpy.ndarray"
    ):
        getattr(fg, name)(np.ones((2, 3)), *args)


def test_transpose_still_takes_a_tensor():
    assert tuple(fg.transpose(fg.ones(2, 3), 0, 1).shape) == (3, 2)
    assert tuple(fg.swapaxes(fg.ones(2, 3), 1, 0).shape) == (3, 2)


@pytest.mark.parametrize("value", [np.ones(2), None, [1.0]], ids=["ndarray", "None", "list"])
def test_to_dlpack_refuses_what_is_not_a_tensor(value):
    with raises(TypeError, "_to_dlpack(): argument 'data' (position 1) must be Tensor, not"):
        fg.utils.dlpack.to_dlpack(value)


# ---- embedding: PyTorch's Python checks, then its renormalisation, then its parser -----------

F = fg.nn.functional


@pytest.mark.parametrize(
    "padding_idx, kind", [(2.5, "float"), (float("nan"), "float"), (True, "bool")]
)
def test_embedding_refuses_a_padding_idx_that_is_no_int(padding_idx, kind):
    with raises(
        TypeError, f"embedding(): argument 'padding_idx' (position 3) must be int, not {kind}"
    ):
        F.embedding(fg.tensor([0]), fg.ones(5, 5), padding_idx=padding_idx)


def test_embedding_names_its_arguments_as_torch_embedding_does():
    with raises(
        TypeError, "embedding(): argument 'weight' (position 1) must be Tensor, not NoneType"
    ):
        F.embedding(fg.tensor([0]), None)
    with raises(
        TypeError, "embedding(): argument 'indices' (position 2) must be Tensor, not NoneType"
    ):
        F.embedding(None, fg.ones(5, 5))
    with raises(TypeError, "embedding(): argument 'scale_grad_by_freq' (position 4) must be bool"):
        F.embedding(fg.tensor([0]), fg.ones(5, 5), scale_grad_by_freq=None)


def test_embedding_reads_the_weight_size_for_padding_idx_first():
    with raises(AttributeError, "'NoneType' object has no attribute 'size'"):
        F.embedding(fg.tensor([0]), None, padding_idx=2)


def test_embedding_with_max_norm_renormalises_before_the_parser_checks():
    with raises(AttributeError, "'NoneType' object has no attribute 'contiguous'"):
        F.embedding(None, fg.ones(5, 5), max_norm=1.0)
    with raises(AttributeError, "'NoneType' object has no attribute 'detach'"):
        F.embedding(fg.tensor([0]), None, max_norm=1.0)


def test_embedding_renorm_words_its_own_refusals():
    with raises(
        IndexError, "select(): index 7 out of range for tensor of size [5, 5] at dimension 0"
    ):
        F.embedding(fg.tensor([7]), fg.ones(5, 5), max_norm=1.0)
    with raises(
        IndexError, "select(): index 0 out of range for tensor of size [0, 5] at dimension 0"
    ):
        F.embedding(fg.tensor([0]), fg.ones(0, 5), max_norm=1.0)
    with raises(
        RuntimeError, "argument #2 'indices' to have one of the following scalar types: Long, Int"
    ):
        F.embedding(fg.tensor([0.5]), fg.ones(5, 5), max_norm=1.0)
    with raises(
        RuntimeError,
        "Expected 2-dimensional tensor, but got 1-dimensional tensor for argument #1 'self'",
    ):
        F.embedding(fg.tensor([0]), fg.ones(5), max_norm=1.0)


def test_embedding_max_norm_still_rescales_the_rows_looked_up():
    weight = fg.ones(5, 5) * 3
    out = F.embedding(fg.tensor([1, 2]), weight, max_norm=1.0)
    assert out.sum().item() == pytest.approx(2 * 5**0.5, rel=1e-5)
    assert weight[0].tolist() == [3.0] * 5  # rows not looked up are untouched


# ---- nll_loss / cross_entropy: ignore_index and label_smoothing as PyTorch's parser reads them --


@pytest.mark.parametrize(
    "loss, fn", [(F.nll_loss, "nll_loss_nd"), (F.cross_entropy, "cross_entropy_loss")]
)
def test_losses_refuse_an_ignore_index_that_is_no_int(loss, fn):
    with raises(TypeError, f"{fn}(): argument 'ignore_index' (position 5) must be int, not float"):
        loss(fg.ones(2, 3), fg.tensor([0, 1]), ignore_index=2.5)
    with raises(ValueError, "Overflow when unpacking long long"):
        loss(fg.ones(2, 3), fg.tensor([0, 1]), ignore_index=2**63)


def test_nll_loss_checks_ignore_index_before_the_sizes():
    with raises(
        TypeError, "nll_loss_nd(): argument 'ignore_index' (position 5) must be int, not bool"
    ):
        F.nll_loss(fg.ones(2, 3), fg.tensor([0, 1, 2]), ignore_index=True)


def test_cross_entropy_refuses_a_label_smoothing_that_is_no_number():
    with raises(
        TypeError,
        "cross_entropy_loss(): argument 'label_smoothing' (position 6) must be float, not str",
    ):
        F.cross_entropy(fg.ones(2, 3), fg.tensor([0, 1]), label_smoothing="a")


def test_losses_take_integer_likes_for_ignore_index():
    assert F.nll_loss(fg.ones(2, 3), fg.tensor([0, 1]), ignore_index=np.int64(1)).item() == -1.0
    loss = F.cross_entropy(
        fg.ones(2, 3), fg.tensor([0, 1]), ignore_index=fg.tensor(1), label_smoothing=1
    )
    assert loss.item() == pytest.approx(1.0986123, rel=1e-5)


# ---- diff(n=0, out=) copies the input, as PyTorch's composite does ---------------------------


def test_diff_of_order_zero_copies_into_out_with_the_gradient():
    x = fg.tensor([1.0, 2.0, 4.0], requires_grad=True)
    out = fg.empty(3)
    fg.diff(x, 0, out=out)
    assert out.tolist() == [1.0, 2.0, 4.0]
    assert type(out.grad_fn).__name__ == "CopyBackwards"
    out.sum().backward()
    assert x.grad.tolist() == [1.0, 1.0, 1.0]


def test_diff_of_order_zero_refuses_a_leaf_out_requiring_grad():
    with raises(
        RuntimeError, "a leaf Variable that requires grad is being used in an in-place operation"
    ):
        fg.diff(fg.ones(3, requires_grad=True), n=0, out=fg.empty(3, requires_grad=True))


def test_diff_of_order_one_still_refuses_out_with_grad():
    with raises(
        RuntimeError,
        "sub(): functions with out=... arguments don't support automatic differentiation",
    ):
        fg.diff(fg.ones(3, requires_grad=True), out=fg.empty(2))


# ---- arange: an int past int64 (below 2**64) is a bound of a floating arange ----------------


@pytest.mark.parametrize(
    "kwargs", [{"dtype": fg.float32}, {"dtype": fg.float64}, {}], ids=["f32", "f64", "none"]
)
def test_arange_takes_a_bound_past_int64_for_a_floating_result(kwargs):
    start = 0 if kwargs else 0.0  # without a dtype a float bound makes the result floating
    values = fg.arange(start, 2**63, 2**62, **kwargs).tolist()
    assert values == [0.0, float(2**62)]


def test_arange_still_refuses_a_bound_past_int64_for_an_integer_result():
    with raises(RuntimeError, "value cannot be converted to type int64_t without overflow"):
        fg.arange(0, 2**63, 2**62)
    with raises(OverflowError, "int too big to convert"):
        fg.arange(0.0, 2**64, 2**62)


def test_arange_of_a_dtype_without_a_kernel_says_so_for_a_bound_past_int64():
    with raises(NotImplementedError, "\"arange_cpu\" not implemented for 'ComplexFloat'"):
        fg.arange(0, 2**63, 2**62, dtype=fg.complex64)


# ---- bincount of an empty input answers before it looks at the weights ----------------------


@pytest.mark.parametrize(
    "weights", [fg.ones(5), fg.ones(5, 5), fg.ones(0)], ids=["long", "2d", "empty"]
)
def test_bincount_of_an_empty_input_gives_int64_zeros_whatever_the_weights(weights):
    counts = fg.bincount(fg.ones(0, dtype=fg.int64), weights=weights, minlength=3)
    assert counts.dtype == fg.int64
    assert counts.tolist() == [0, 0, 0]


def test_bincount_still_checks_the_weights_of_a_nonempty_input():
    with raises(RuntimeError, "weights should be 1-d and have the same length as input"):
        fg.bincount(fg.ones(2, dtype=fg.int64), weights=fg.ones(5))


# ---- the channel and alpha dropouts draw their noise in the input's dtype first --------------


@pytest.mark.parametrize(
    "name", ["alpha_dropout", "feature_alpha_dropout", "dropout2d", "dropout3d"]
)
def test_dropouts_have_no_bernoulli_kernel_for_complex(name):
    with raises(
        NotImplementedError, "\"bernoulli_scalar_cpu_\" not implemented for 'ComplexFloat'"
    ):
        getattr(F, name)(fg.ones(2, 2, 2, 2, dtype=fg.complex64), 0.5, True)


def test_alpha_dropout_of_bool_fails_on_the_int64_noise():
    with raises(RuntimeError, "result type Float can't be cast to the desired output type Long"):
        F.alpha_dropout(fg.ones(2, 2, dtype=fg.bool), 0.5, True)


def test_feature_dropout_checks_the_dims_before_the_dtype():
    with raises(RuntimeError, "Feature dropout requires at least 2 dimensions in the input"):
        F.feature_alpha_dropout(fg.ones(2, dtype=fg.int64), 0.5, True)


# ---- index_put(accumulate=True) checks its indices as indexing does ---------------------------


def test_accumulating_index_put_refuses_a_mask_of_another_shape_even_all_false():
    with raises(
        IndexError,
        "The shape of the mask [5] at index 0 does not match the shape of the indexed tensor",
    ):
        fg.index_put(fg.ones(0, 5), [fg.zeros(5, dtype=fg.bool)], fg.ones(5), accumulate=True)
    with raises(
        IndexError,
        "The shape of the mask [4] at index 0 does not match the shape of the indexed tensor [3, 5] at index 1",
    ):
        fg.ones(3, 5).index_put_(
            [fg.tensor([0, 1]), fg.zeros(4, dtype=fg.bool)], fg.ones(1), accumulate=True
        )


def test_accumulating_index_put_refuses_a_mask_past_the_last_dim():
    with raises(
        IndexError, "Dimension out of range (expected to be in range of [-1, 0], but got 1)"
    ):
        fg.index_put(fg.ones(3), [fg.ones(3, 5, dtype=fg.bool)], fg.ones(1), accumulate=True)


def test_accumulating_index_put_refuses_indices_that_do_not_broadcast_with_an_index_error():
    with raises(
        IndexError,
        "shape mismatch: indexing tensors could not be broadcast together with shapes [2], [3]",
    ):
        fg.index_put(
            fg.ones(3, 5), [fg.tensor([0, 1]), fg.tensor([0, 1, 2])], fg.ones(1), accumulate=True
        )


def test_accumulating_index_put_with_a_matching_mask_still_adds():
    out = fg.index_put(fg.ones(3, 5), [fg.ones(3, 5, dtype=fg.bool)], fg.ones(1), accumulate=True)
    assert out.sum().item() == 30.0


# ---- stft: the kernel's parser checks the argument types before anything else ---------------


@pytest.mark.parametrize(
    "args, kwargs",
    [
        ((None, 7), {"center": False}),
        ((np.ones(10), 7), {"center": False}),
        ((fg.ones(10), 2.5), {}),
        ((fg.ones(10), 7), {"hop_length": 2.5}),
        ((fg.ones(10), 7), {"window": np.ones(7)}),
        ((fg.ones(10), 7), {"normalized": None}),
    ],
    ids=["None", "ndarray", "float-n_fft", "float-hop", "ndarray-window", "None-normalized"],
)
def test_stft_refuses_argument_types_as_its_kernel_parser(args, kwargs):
    with raises(TypeError, "stft() received an invalid combination of arguments - got ("):
        fg.stft(*args, return_complex=True, **kwargs)


def test_stft_checks_types_before_return_complex():
    with raises(TypeError, "stft() received an invalid combination of arguments"):
        fg.stft(fg.ones(10), 7, onesided=3, center=False)


def test_stft_takes_integer_likes():
    out = fg.stft(
        fg.ones(10), np.int64(7), hop_length=fg.tensor(2), window=fg.ones(7), return_complex=True
    )
    assert tuple(out.shape) == (4, 5)


# ---- searchsorted: PyTorch's checks of sorter, and an empty input answered first --------------


@pytest.mark.parametrize(
    "sorter, fragment",
    [
        (fg.ones(3), "sorter must be a tensor of long dtype but got dtype Float"),
        (
            fg.tensor([0, 1, 2], dtype=fg.int32),
            "sorter must be a tensor of long dtype but got dtype Int",
        ),
        (
            fg.tensor(0),
            "boundary and sorter must have the same size, but got boundary tensor [3]and got sorter tensor []",
        ),
        (fg.tensor([0, 1, 5]), "sorter index out of range"),
    ],
    ids=["float", "int32", "0-dim", "out-of-range"],
)
def test_searchsorted_checks_its_sorter(sorter, fragment):
    with raises(RuntimeError, f"torch.searchsorted(): {fragment}"):
        fg.searchsorted(fg.ones(3), fg.ones(2), sorter=sorter)


def test_searchsorted_checks_the_sorter_before_the_complex_dtype():
    with raises(RuntimeError, "sorter must be a tensor of long dtype"):
        fg.searchsorted(fg.ones(3, dtype=fg.complex64), fg.ones(0), sorter=fg.ones(3))


def test_searchsorted_of_no_values_does_not_look_at_the_dtype():
    out = fg.searchsorted(fg.ones(3, dtype=fg.complex64), fg.ones(0, 2))
    assert out.dtype == fg.int64 and tuple(out.shape) == (0, 2)
    with raises(NotImplementedError, "\"searchsorted_out_cpu\" not implemented for 'ComplexFloat'"):
        fg.searchsorted(fg.ones(0, dtype=fg.complex64), fg.ones(2))


def test_searchsorted_with_a_valid_sorter_still_searches():
    assert fg.searchsorted(
        fg.tensor([3.0, 1.0, 2.0]), fg.tensor([2.5]), sorter=fg.tensor([1, 2, 0])
    ).tolist() == [2]


# ---- repeat_interleave: output_size checked, tensor counts through PyTorch's kernel ----------


def test_repeat_interleave_refuses_an_output_size_that_is_not_the_total():
    x = fg.ones(4, 1)
    with raises(RuntimeError, "allocated size does not match required size"):
        fg.repeat_interleave(x, fg.tensor([1, 2, 1, 2]), dim=0, output_size=5)
    with raises(RuntimeError, "allocated size does not match required size"):
        fg.repeat_interleave(x, fg.tensor(2), dim=0, output_size=6)
    with raises(RuntimeError, "repeat_interleave: Invalid output_size, expected 8 but got 6"):
        fg.repeat_interleave(x, 2, dim=0, output_size=6)
    with raises(RuntimeError, "Trying to create tensor with negative dimension -3: [-3]"):
        fg.repeat_interleave(x, fg.tensor([1, -2, 3, 4]), dim=0, output_size=-3)


def test_repeat_interleave_reads_output_size_as_an_int():
    with raises(
        TypeError,
        "repeat_interleave() received an invalid combination of arguments - got (Tensor, int, output_size=float)",
    ):
        fg.repeat_interleave(fg.ones(4), 2, output_size=2.5)
    with raises(ValueError, "Overflow when unpacking long long"):
        fg.repeat_interleave(fg.ones(4), fg.tensor([1, 2, 1, 2]), output_size=2**63)


def test_repeat_interleave_has_no_kernel_for_float_counts():
    with raises(NotImplementedError, "\"repeat_interleave_cpu\" not implemented for 'Float'"):
        fg.repeat_interleave(fg.ones(2, 3, 4), fg.tensor([1.0, 2.0, 3.0]), dim=1)


def test_repeat_interleave_spreads_a_one_element_count_and_selects_by_index():
    x = fg.ones(4, 1, requires_grad=True)
    out = fg.repeat_interleave(x, fg.tensor([2]), dim=0, output_size=8)
    assert tuple(out.shape) == (8, 1)
    assert type(out.grad_fn).__name__ == "IndexSelectBackward0"
    assert tuple(fg.repeat_interleave(x, fg.tensor(2), dim=0).shape) == (8, 1)


def test_repeat_interleave_of_no_counts_ignores_output_size():
    assert fg.repeat_interleave(fg.tensor([], dtype=fg.int64), output_size=3).tolist() == []


def test_parser_error_ends_keywords_as_pytorch_does():
    with raises(TypeError, "got (int, correction=str), but"):
        fg.ones(2).std(1, correction="a")
    with raises(TypeError, "got (correction=str, ), but"):
        fg.ones(3).std(correction="a")


# ---- max_unpool: sequences taken as given, as PyTorch's _single/_pair/_triple do -------------


def _unpool_args(dims):
    shape = (1, 2) + (2,) * dims
    return fg.ones(*shape), fg.zeros(*shape, dtype=fg.int64)


def test_max_unpool_ignores_padding_entries_past_the_kernel():
    x, idx = _unpool_args(1)
    assert tuple(F.max_unpool1d(x, idx, 3, stride=2, padding=[1, 1]).shape) == (1, 2, 3)
    x, idx = _unpool_args(2)
    assert tuple(F.max_unpool2d(x, idx, 3, stride=2, padding=[1, 1, 1, 1]).shape) == (1, 2, 3, 3)


def test_max_unpool_indexes_short_lists_per_kernel_entry():
    x, idx = _unpool_args(2)
    with raises(IndexError, "tuple index out of range"):
        F.max_unpool2d(x, idx, 3, padding=[1])
    x, idx = _unpool_args(1)
    with raises(IndexError, "tuple index out of range"):
        F.max_unpool1d(x, idx, [3, 3], stride=[2, 2])


def test_max_unpool_kernel_checks_the_lengths_of_its_lists():
    x, idx = _unpool_args(2)
    with raises(
        RuntimeError,
        "There should be exactly two elements (height, width) in output_size, but got 1 elements.",
    ):
        F.max_unpool2d(x, idx, [3], stride=[2])
    x, idx = _unpool_args(3)
    with raises(
        RuntimeError,
        "There should be exactly three elements (depth, height, width) in stride, but got: 4 elements.",
    ):
        F.max_unpool3d(x, idx, 3, stride=[2, 2, 2, 2])


def test_max_unpool_checks_the_indices_dtype_before_the_lengths():
    x, idx = _unpool_args(2)
    with raises(RuntimeError, "elements in indices should be type int64 but got: Int"):
        F.max_unpool2d(x, idx.int(), [3])


@pytest.mark.parametrize(
    "padding_idx, kind, fragment",
    [
        (
            2.5,
            TypeError,
            "embedding_bag(): argument 'padding_idx' (position 9) must be int, not float",
        ),
        (
            True,
            TypeError,
            "embedding_bag(): argument 'padding_idx' (position 9) must be int, not bool",
        ),
        (2**63, ValueError, "Overflow when unpacking long long"),
        (
            7,
            RuntimeError,
            "padding_idx must be within the number of embeddings, -5 through 4, but got 7",
        ),
    ],
)
def test_embedding_bag_reads_padding_idx_as_its_parser(padding_idx, kind, fragment):
    with raises(kind, fragment):
        F.embedding_bag(fg.tensor([0, 1]), fg.ones(5, 5), fg.tensor([0]), padding_idx=padding_idx)


# ---- checks PyTorch makes that were missing: aminmax, histogramdd, renorm, broadcast_shapes --


def test_aminmax_of_a_complex_scalar_is_refused():
    with raises(RuntimeError, "aminmax not implemented for ComplexFloat"):
        fg.aminmax(fg.tensor(1 + 0j), dim=0)
    with raises(NotImplementedError, "\"aminmax_cpu\" not implemented for 'ComplexFloat'"):
        fg.tensor(1 + 0j).aminmax()


def test_histogramdd_refuses_a_weight_of_another_dtype():
    with raises(
        RuntimeError,
        "input tensor and weight tensor should have the same dtype, but got input(float), and weight(long int)",
    ):
        fg.histogramdd(fg.ones(5, 2), [1, 1], weight=fg.ones(5, dtype=fg.int64))
    with raises(RuntimeError, "but got input with shape [5, 2] and weight with shape [4]"):
        fg.histogramdd(fg.ones(5, 2), [1, 1], weight=fg.ones(4))


def test_renorm_refuses_a_nan_maxnorm():
    with raises(RuntimeError, "renorm: expected maxnorm to be >= 0 but got nan"):
        fg.renorm(fg.ones(3, 3), 1, 0, float("nan"))


def test_broadcast_shapes_refuses_a_negative_length_as_pytorch_does_where_it_meets_it():
    with raises(
        RuntimeError,
        "Attempting to broadcast a dimension of length -3 at -1! Mismatching argument at index 1",
    ):
        fg.broadcast_shapes((5, 10, 5), (-3,))
    with raises(ValueError, "Attempting to broadcast a dimension with negative length!"):
        fg.broadcast_shapes((-3,), (5, 10, 5))
    assert tuple(fg.broadcast_shapes((2, 1), (1, 3), 3)) == (2, 3)


@pytest.mark.parametrize("shape", [(0,), (2, 0)])
def test_multinomial_refuses_rows_of_no_categories(shape):
    with raises(RuntimeError, "invalid multinomial distribution (sum of probabilities <= 0)"):
        fg.multinomial(fg.ones(*shape), 3, replacement=True)


def test_multinomial_of_no_rows_gives_an_empty_draw():
    assert tuple(fg.multinomial(fg.ones(0, 3), 3, replacement=True).shape) == (0, 3)


def test_cumulative_trapezoid_of_empty_integers_is_floating():
    assert fg.cumulative_trapezoid(fg.ones(0, dtype=fg.int64)).dtype == fg.float32
    assert fg.cumulative_trapezoid(fg.ones(0, dtype=fg.int64), dx=2).dtype == fg.float32


def test_normal_with_out_broadcasts_the_mean_with_out_first():
    with raises(
        RuntimeError,
        "The size of tensor a (3) must match the size of tensor b (7) at non-singleton dimension 1",
    ):
        fg.normal(fg.ones(2, 3), 1.1, out=fg.empty(7))
    with raises(
        RuntimeError,
        "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 2",
    ):
        fg.normal(fg.ones(2, 3), 1.1, out=fg.empty(2, 3, 4))
    assert tuple(fg.normal(fg.ones(2, 3), 1.1, out=fg.empty(3)).shape) == (2, 3)


@pytest.mark.parametrize("n", [4, 8, -4])
def test_matrix_power_out_of_a_power_of_two_copies_the_last_square(n):
    a = fg.tensor([[2.0, 1.0], [0.5, 3.0]], requires_grad=True)
    out = fg.empty(2, 2)
    fg.linalg.matrix_power(a, n, out=out)
    assert type(out.grad_fn).__name__ == "CopyBackwards"


@pytest.mark.parametrize("n", [2, 3, 5, 6, -3])
def test_matrix_power_out_otherwise_ends_in_matmuls_out_kernel(n):
    a = fg.tensor([[2.0, 1.0], [0.5, 3.0]], requires_grad=True)
    with raises(
        RuntimeError,
        "matmul(): functions with out=... arguments don't support automatic differentiation",
    ):
        fg.linalg.matrix_power(a, n, out=fg.empty(2, 2))


# ---- linalg.pinv: tolerance arguments as PyTorch's overloads take them -----------------------


def test_pinv_refuses_a_complex_tolerance_tensor():
    with raises(
        RuntimeError,
        "torch.linalg.pinv: rtol tensor of complex type is not supported. Got ComplexFloat",
    ):
        fg.linalg.pinv(fg.eye(3), rtol=fg.tensor(0.1 + 0j))


def test_pinv_refuses_an_array_tolerance():
    with raises(
        TypeError,
        "linalg_pinv() received an invalid combination of arguments - got (Tensor, rtol=numpy.ndarray)",
    ):
        fg.linalg.pinv(fg.eye(3), rtol=np.array(0.1))


def test_pinv_out_with_tensor_tolerances_is_one_kernel_refusing_grad():
    a = fg.eye(3, requires_grad=True)
    with raises(
        RuntimeError,
        "linalg_pinv(): functions with out=... arguments don't support automatic differentiation",
    ):
        fg.linalg.pinv(a, rtol=fg.tensor(0.1), out=fg.empty(3, 3))
    out = fg.empty(3, 3)
    fg.linalg.pinv(a, rtol=0.1, out=out)  # the float overload is composed of other ops
    assert type(out.grad_fn).__name__ == "CopyBackwards"


# ---- addr checks beta against the promoted dtype its kernel runs in --------------------------


@pytest.mark.parametrize("dtype", [fg.int64, fg.bool])
def test_addr_of_an_integer_input_with_floating_vectors_takes_a_float_beta(dtype):
    out = fg.addr(fg.ones(2, 3, dtype=dtype), fg.ones(2), fg.ones(3), beta=0.6, alpha=0.2)
    assert out.dtype == fg.float32
    assert out.reshape(-1).tolist() == pytest.approx([0.8] * 6)


def test_addr_of_integers_still_refuses_a_float_beta():
    with raises(
        RuntimeError,
        "For integral input tensors, argument beta must not be a floating point number.",
    ):
        fg.addr(
            fg.ones(2, 3, dtype=fg.int64),
            fg.ones(2, dtype=fg.int64),
            fg.ones(3, dtype=fg.int64),
            beta=0.6,
        )


def test_max_unpool_output_size_errors_of_its_python_come_before_the_parser():
    x, idx = _unpool_args(3)
    with raises(ValueError, 'invalid output_size "[3, 6, 5]" (dim 0 must be between nan and nan)'):
        F.max_unpool3d(
            x[:, :, :1], idx[:, :, :1], 3, stride=float("nan"), output_size=[1, 2, 3, 6, 5]
        )
    x, idx = _unpool_args(2)
    with raises(ValueError, "output_size must contain non-negative spatial dimensions"):
        F.max_unpool2d(x, idx, 2, padding=2.5)
    with raises(IndexError, "tuple index out of range"):
        F.max_unpool2d(x, idx, 3, padding=[1.5])
