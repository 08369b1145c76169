"""Leftovers of PyTorch fidelity: the uint16/32/64 shell dtypes, argument checking of
sizes and dims, complex linspace. Expected values and exception types were observed
with PyTorch 2.13 (CPU) and are written out here."""

import math

import ferrograd as fg
import pytest

SHELL = [fg.uint16, fg.uint32, fg.uint64]


# ---- tensor() of sequences holding tensors ---------------------------------------------


@pytest.mark.parametrize("dtype", [fg.uint16, fg.uint32])
def test_tensor_of_zero_dim_uint_tensors_keeps_their_dtype(dtype):
    t = fg.tensor([fg.tensor(3, dtype=dtype), fg.tensor(5, dtype=dtype)])
    assert t.dtype == dtype
    assert t.tolist() == [3, 5]


def test_tensor_of_uint64_tensors_is_refused_as_pytorch_reads_them():
    with pytest.raises(TypeError, match="an integer is required"):
        fg.tensor([fg.tensor(3, dtype=fg.uint64), fg.tensor(5, dtype=fg.uint64)])
    with pytest.raises(TypeError, match="an integer is required"):
        fg.tensor([fg.tensor(3)], dtype=fg.uint64)
    assert fg.tensor([fg.tensor(3, dtype=fg.uint64)], dtype=fg.int64).tolist() == [3]


@pytest.mark.parametrize(
    "first, second, expected",
    [
        (fg.int8, fg.int8, fg.int8),
        (fg.int8, fg.uint8, fg.int16),
        (fg.float16, fg.bfloat16, fg.float32),
        (fg.int32, fg.float16, fg.float16),
        (fg.bool, fg.uint8, fg.uint8),
    ],
)
def test_tensor_of_tensors_promotes_their_dtypes(first, second, expected):
    t = fg.tensor([fg.tensor(1, dtype=first), fg.tensor(0, dtype=second)])
    assert t.dtype == expected
    assert t.tolist() == [1, 0]


def test_tensor_of_tensors_with_python_numbers_promotes_like_pytorch():
    assert fg.tensor([fg.tensor(3, dtype=fg.float64), 1]).dtype == fg.float64
    assert fg.tensor([fg.tensor(3, dtype=fg.int8), True]).dtype == fg.int8
    assert fg.tensor([fg.tensor(3, dtype=fg.int8), 1]).dtype == fg.int64
    assert fg.tensor([fg.tensor(3, dtype=fg.float16), 1.5]).dtype == fg.float32
    assert fg.tensor([fg.tensor(3, dtype=fg.float16), 1]).dtype == fg.float16
    assert fg.tensor([fg.tensor(3, dtype=fg.float64), 1j]).dtype == fg.complex128


def test_tensor_of_shell_and_other_tensors_is_a_promotion_error():
    with pytest.raises(RuntimeError, match="Promotion for uint16, uint32, uint64 types is not supported"):
        fg.tensor([fg.tensor(3, dtype=fg.int8), fg.tensor(1, dtype=fg.uint16)])
    with pytest.raises(RuntimeError, match="Promotion for uint16, uint32, uint64 types is not supported"):
        fg.tensor([1, fg.tensor(3, dtype=fg.uint32)])


def test_tensor_of_float_tensors_as_integers_is_a_type_error():
    with pytest.raises(TypeError, match="only integer tensors of a single element"):
        fg.tensor([fg.tensor(1e10), fg.tensor(1, dtype=fg.int8)], dtype=fg.int32)
    with pytest.raises(TypeError, match="only integer tensors of a single element"):
        fg.tensor([fg.tensor(0.5)], dtype=fg.bool)
    with pytest.raises(TypeError, match="only integer tensors of a single element"):
        fg.tensor([fg.tensor([3, 4], dtype=fg.uint32)])
    with pytest.raises(RuntimeError, match="cannot be converted to type double without overflow"):
        fg.tensor([fg.tensor(1 + 1j)], dtype=fg.float32)
    assert fg.tensor([fg.tensor(-1)], dtype=fg.uint32).tolist() == [4294967295]


# ---- float -> uint32 casts: PyTorch's vectorised blocks and scalar tails ----------------

OUT_OF_RANGE = [-1.0, 4294967296.0, 4294967297.5, 1e20, -1e20, math.nan, math.inf, -math.inf,
                2.0**31, -2.0**31 - 5, 1e10, -3.7, 2.0**63, 2.0**64]


def test_float64_to_uint32_of_out_of_range_values_as_pytorch():
    # 12 elements in blocks of 4 (signed 32-bit conversions), the last 2 one by one
    x = fg.tensor(OUT_OF_RANGE, dtype=fg.float64)
    assert x.to(fg.uint32).tolist() == [
        4294967295, 0, 0, 0, 2147483648, 2147483648, 0, 2147483648,
        2147483648, 2147483648, 0, 4294967293, 0, 0]


def test_float_to_uint32_single_values_and_tails_go_through_64_bits():
    assert fg.tensor(1e10, dtype=fg.float64).to(fg.uint32).item() == 1410065408
    assert fg.full((3,), 1e10, dtype=fg.float64).to(fg.uint32).tolist() == [1410065408] * 3
    assert fg.full((5,), 1e10, dtype=fg.float32).to(fg.uint32).tolist() == [0, 0, 0, 0, 1410065408]
    assert fg.full((5,), math.nan, dtype=fg.float64).type(fg.uint32).tolist() == [2147483648] * 4 + [0]
    # bfloat16 converts in blocks of 8
    assert fg.full((9,), 1e10, dtype=fg.bfloat16).to(fg.uint32).tolist() == [0] * 8 + [1409286144]


def test_float_to_uint32_blocks_follow_the_contiguous_runs():
    rows = fg.full((3, 7), -1e10, dtype=fg.float64)[:, 1:6].to(fg.uint32)
    assert rows.tolist() == [[2147483648] * 4 + [2884901888]] * 3
    strided = fg.full((8,), 1e10, dtype=fg.float64)[::2].to(fg.uint32)
    assert strided.tolist() == [1410065408] * 4
    copied = fg.zeros(5, dtype=fg.uint32).copy_(fg.full((5,), 1e10, dtype=fg.float64))
    assert copied.tolist() == [0, 0, 0, 0, 1410065408]


def test_float64_to_uint16_and_uint64_of_out_of_range_values_as_pytorch():
    x = fg.tensor(OUT_OF_RANGE, dtype=fg.float64)
    assert x.to(fg.uint16).tolist() == [65535, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 65533, 0, 0]
    assert x.to(fg.uint64).tolist() == [
        18446744073709551615, 4294967296, 4294967297, 0, 9223372036854775808, 9223372036854775808, 0,
        9223372036854775808, 2147483648, 18446744071562067963, 10000000000, 18446744073709551613,
        9223372036854775808, 0]


# ---- flip on the shell dtypes ------------------------------------------------------------


@pytest.mark.parametrize("dtype", SHELL)
def test_flipud_of_uint_matrix_copies_rows(dtype):
    x = fg.tensor([[1, 2], [3, 4]], dtype=dtype)
    out = fg.flipud(x)
    assert out.dtype == dtype
    assert out.tolist() == [[3, 4], [1, 2]]
    assert x.flipud().tolist() == [[3, 4], [1, 2]]


@pytest.mark.parametrize("dtype", SHELL)
def test_fliplr_of_uint_matrix_has_no_kernel(dtype):
    name = {fg.uint16: "UInt16", fg.uint32: "UInt32", fg.uint64: "UInt64"}[dtype]
    with pytest.raises(NotImplementedError, match=f"\"flip_cpu\" not implemented for '{name}'"):
        fg.fliplr(fg.tensor([[1, 2], [3, 4]], dtype=dtype))


def test_flip_of_uint_runs_where_rows_are_copied_whole():
    a = fg.arange(24).reshape(2, 3, 4).to(fg.uint32)
    assert a.flip(0, 1)[0, 0].tolist() == [20, 21, 22, 23]
    assert fg.tensor([5], dtype=fg.uint32).flip(0).tolist() == [5]
    assert fg.zeros(4, 0, dtype=fg.uint32).flip(0).shape == (4, 0)
    assert fg.arange(4).reshape(4, 1).to(fg.uint32).flip(1).tolist() == [[0], [1], [2], [3]]
    assert a.permute(2, 0, 1).flip(1).shape == (4, 2, 3)
    for refused in (lambda: a.flip(2), lambda: a.permute(2, 0, 1).flip(0),
                    lambda: fg.arange(8).reshape(2, 4).to(fg.uint32)[:, ::2].flip(0),
                    lambda: fg.rot90(fg.arange(4).reshape(2, 2).to(fg.uint32))):
        with pytest.raises(NotImplementedError, match="flip_cpu"):
            refused()
    with pytest.raises(RuntimeError, match="appears multiple times"):
        a.flip(0, 0)


# ---- other ops on the shell dtypes and on integers --------------------------------------


@pytest.mark.parametrize("dtype, name", [(fg.uint16, "UInt16"), (fg.int64, "Long"), (fg.bool, "Bool")])
def test_cholesky_of_non_float_has_no_kernel(dtype, name):
    x = fg.tensor([[1, 0], [0, 1]], dtype=dtype)
    with pytest.raises(NotImplementedError, match=f"\"cholesky_cpu\" not implemented for '{name}'"):
        fg.cholesky(x)
    with pytest.raises(NotImplementedError, match=f"\"cholesky_inverse_out_cpu\" not implemented for '{name}'"):
        fg.cholesky_inverse(x)
    with pytest.raises(RuntimeError, match="must have at least 2 dimensions"):
        fg.cholesky(fg.tensor([1, 2], dtype=dtype))
    assert fg.cholesky(fg.zeros(2, 0, 0, dtype=dtype)).shape == (2, 0, 0)


@pytest.mark.parametrize("dtype, name", [(fg.uint32, "UInt32"), (fg.uint8, "Byte"), (fg.float32, "Float")])
def test_repeat_interleave_of_counts_needs_int_counts(dtype, name):
    with pytest.raises(NotImplementedError, match=f"\"repeat_interleave_cpu\" not implemented for '{name}'"):
        fg.repeat_interleave(fg.tensor([1, 2], dtype=dtype))


def test_repeat_interleave_of_counts_as_pytorch():
    out = fg.repeat_interleave(fg.tensor([1, 2], dtype=fg.int32))
    assert out.dtype == fg.int32
    assert out.tolist() == [0, 1, 1]
    with pytest.raises(RuntimeError, match="only accept 1D vector as repeat"):
        fg.repeat_interleave(fg.tensor(2))
    with pytest.raises(RuntimeError, match="allocated size does not match required size"):
        fg.repeat_interleave(fg.tensor([1, 2]), output_size=4)
    with pytest.raises(TypeError, match="invalid combination of arguments"):
        fg.tensor([1, 2]).repeat_interleave()


def test_gradient_refuses_dtypes_it_cannot_subtract():
    with pytest.raises(RuntimeError, match="torch.gradient does not support uint8 input."):
        fg.gradient(fg.tensor([1], dtype=fg.uint8))
    with pytest.raises(NotImplementedError, match="\"add_stub\" not implemented for 'UInt16'"):
        fg.gradient(fg.tensor([1, 2, 3], dtype=fg.uint16))
    with pytest.raises(RuntimeError, match="Subtraction, the `-` operator, with two bool tensors"):
        fg.gradient(fg.tensor([True, False, True]))
    with pytest.raises(RuntimeError, match="at least edge_order"):
        fg.gradient(fg.tensor([1], dtype=fg.uint16))


def test_stft_of_integers_names_the_call():
    x = fg.arange(8)
    with pytest.raises(RuntimeError) as err:
        fg.stft(x, 4, return_complex=True)
    assert str(err.value) == (
        "stft(ferrograd.LongTensor[12], n_fft=4, hop_length=1, win_length=4, window=None, normalized=0, "
        "onesided=None, return_complex=1, align_to_window=None) : expected a tensor of floating point or "
        "complex values")
    with pytest.raises(RuntimeError, match=r"stft\(CPUUInt32Type\[8\]"):
        fg.stft(x.to(fg.uint32), 4, return_complex=True, center=False)
    with pytest.raises(NotImplementedError, match="reflection_pad1d"):
        fg.stft(x.to(fg.uint16), 4, return_complex=True)


def test_inplace_scans_check_their_arguments_first():
    x = fg.tensor([1, 2], dtype=fg.uint32)
    with pytest.raises(TypeError, match='cumsum_\\(\\) missing 1 required positional arguments: "dim"'):
        x.cumsum_()
    with pytest.raises(TypeError, match="unexpected keyword argument 'foo'"):
        x.cumprod_(0, foo=1)
    with pytest.raises(NotImplementedError, match="cumsum_out_cpu"):
        x.cumsum_(0)


def test_number_arguments_refuse_tensors_with_dims():
    with pytest.raises(TypeError, match="scalar_tensor\\(\\): argument 's' \\(position 1\\) must be Number"):
        fg.scalar_tensor(fg.tensor([3]))
    assert fg.scalar_tensor(fg.tensor(3)).item() == 3.0
    with pytest.raises(TypeError, match="range\\(\\): argument 'end' \\(position 2\\) must be Number"):
        fg.range(1, fg.tensor([3, 4]))
    with pytest.raises(TypeError, match='range\\(\\) missing 1 required positional arguments: "end"'):
        fg.range(5)
    with pytest.raises(TypeError, match="arange\\(\\): argument 'end' \\(position 1\\) must be Number"):
        fg.arange(fg.tensor([3]))
    assert fg.arange(fg.tensor(1), 3, fg.tensor(1)).tolist() == [1, 2]


# ---- argument checking: sizes, dims and scalars ------------------------------------------


def test_view_of_a_range_is_a_type_error():
    with pytest.raises(TypeError, match="view\\(\\) received an invalid combination of arguments"):
        fg.zeros(4).view(range(4))


def test_add_of_uint64_scalar_with_alpha_wraps_as_pytorch():
    assert fg.add(fg.tensor([1, 2]), 2**63, alpha=2).tolist() == [1, 2]
    assert fg.tensor([1, 2]).add(2**63, alpha=3).tolist() == [-9223372036854775807, -9223372036854775806]
    assert fg.sub(fg.tensor([1, 2]), 2**63).tolist() == [-9223372036854775807, -9223372036854775806]
    assert fg.add(fg.tensor([1.0, 2.0]), 2**63, alpha=2).tolist() == [2.0**64, 2.0**64]
    assert fg.add(fg.tensor([1, 2]), 2**64 - 1, alpha=2).tolist() == [-1, 0]
    x = fg.tensor([1, 2])
    x.add_(2**63, alpha=3)
    assert x.tolist() == [-9223372036854775807, -9223372036854775806]
    with pytest.raises(RuntimeError):
        fg.add(fg.tensor([1, 2]), 2, alpha=2**63)


def test_linspace_of_complex_bounds():
    t = fg.linspace(0j, 1, 3)
    assert t.dtype == fg.complex64
    assert t.tolist() == [0j, 0.5 + 0j, 1 + 0j]
    assert fg.linspace(0, 1j, 3).tolist() == [0j, 0.5j, 1j]
    t = fg.linspace(1 + 2j, -3 + 0.5j, 7, dtype=fg.complex128)
    assert t.tolist()[3] == -1 + 1.25j
    assert fg.linspace(0, 1, 5, dtype=fg.complex64).tolist() == [0j, 0.25 + 0j, 0.5 + 0j, 0.75 + 0j, 1 + 0j]


def test_index_select_out_of_range_is_an_index_error():
    with pytest.raises(IndexError, match="index out of range in self"):
        fg.zeros(3).index_select(0, fg.tensor([5]))


def test_none_where_an_int_is_required():
    with pytest.raises(TypeError, match="squeeze\\(\\) received an invalid combination of arguments"):
        fg.zeros(1, 2).squeeze(None)
    with pytest.raises(TypeError, match="eye\\(\\) received an invalid combination of arguments"):
        fg.eye(3, None)
    with pytest.raises(TypeError, match="eye\\(\\) received an invalid combination of arguments"):
        fg.eye(-5, None)
    assert fg.squeeze(fg.zeros(1, 2)).shape == (2,)
    with pytest.raises(TypeError, match="squeeze\\(\\) received an invalid combination of arguments"):
        fg.squeeze(fg.zeros(1, 2), None)
    assert fg.eye(2).shape == (2, 2)


def test_bool_sizes_are_type_errors():
    with pytest.raises(TypeError, match="rand\\(\\) received an invalid combination of arguments"):
        fg.rand(True, -1)
    with pytest.raises(TypeError, match="rand\\(\\): argument 'size' \\(position 1\\) must be tuple of ints, not bool"):
        fg.rand(True)
    assert fg.rand(2, True).shape == (2, 1)


def test_as_strided_with_float_sizes_or_strides_is_a_type_error():
    x = fg.zeros(4)
    with pytest.raises(TypeError, match="argument 'size' .* found element of type float at pos 0"):
        x.as_strided((2.0, 2), (1, 1))
    with pytest.raises(TypeError, match="argument 'stride' .* found element of type float at pos 0"):
        x.as_strided((2, 2), (1.0, 1))
    with pytest.raises(TypeError, match="storage_offset"):
        x.as_strided((2, 2), (1, 1), True)
    with pytest.raises(TypeError, match="found element of type float"):
        fg.empty_strided((2.5,), (1,))


def test_roll_of_an_empty_tensor_skips_the_dim_check():
    out = fg.zeros(0, 3).roll(-1, 2)
    assert out.shape == (0, 3)
    with pytest.raises(IndexError):
        fg.zeros(1, 3).roll(-1, 2)


def test_tolist_of_empty_tensors_with_huge_dims():
    assert fg.zeros(0, 2**40).tolist() == []
    assert fg.zeros(0, 2**31, 2**31).tolist() == []
    assert fg.zeros(2, 0, 2**40).tolist() == [[], []]


@pytest.mark.parametrize("bound", [2.0, "2", (2,), 1j])
def test_slices_with_non_integer_bounds_are_type_errors(bound):
    x = fg.arange(6).reshape(2, 3)
    for key in (slice(None, None, bound), slice(bound, None), slice(None, bound)):
        with pytest.raises(TypeError, match="slice indices must be integers or None"):
            x[key]


def test_slices_with_huge_ends_clamp():
    x = fg.arange(5)
    assert x[: 2**64].tolist() == [0, 1, 2, 3, 4]
    assert x[-(2**64):].tolist() == [0, 1, 2, 3, 4]
    assert x[1 : 2**70 : 2**62].tolist() == [1]


def test_dims_past_int64_are_pytorch_value_errors():
    x = fg.zeros(2, 3)
    for call in (lambda: x.sum(2**63), lambda: x.transpose(0, 2**63), lambda: x.unsqueeze(-(2**63) - 1)):
        with pytest.raises(ValueError, match="Overflow when unpacking long long"):
            call()


@pytest.mark.parametrize("value", [True, 2.0])
def test_int_arguments_refuse_bools_and_floats(value):
    x = fg.arange(6.0).reshape(2, 3)
    calls = [
        lambda: fg.tril_indices(value, 3),
        lambda: fg.triu_indices(3, 3, value),
        lambda: fg.nn.functional.one_hot(fg.tensor([0, 1]), value),
        lambda: fg.ones(3).multinomial(value),
        lambda: x.take_along_dim(fg.tensor([[0]]), value),
        lambda: x.scatter(value, fg.tensor([[0]]), 1.0),
        lambda: x.index_add(value, fg.tensor([0]), fg.ones(1, 3)),
        lambda: x.unfold(0, value, 1),
        lambda: x.repeat_interleave(2, value),
        lambda: x.clone().resize_(value),
        lambda: fg.randint(value, (2,)),
        lambda: fg.randint(5, (value,)),
    ]
    for call in calls:
        with pytest.raises(TypeError):
            call()


def test_other_argument_kinds_pytorch_refuses():
    x = fg.arange(6.0).reshape(2, 3)
    with pytest.raises(TypeError, match="nonzero\\(\\): argument 'as_tuple' must be bool, not int"):
        x.nonzero(as_tuple=1)
    with pytest.raises(TypeError, match="round\\(\\): argument 'decimals' must be int, not NoneType"):
        x.round(decimals=None)
    with pytest.raises(TypeError):
        fg.round(x, decimals=True)
    assert fg.round(fg.tensor([1.26]), decimals=1).tolist() == [pytest.approx(1.3)]
    with pytest.raises(TypeError, match="movedim\\(\\) received an invalid combination of arguments"):
        x.movedim((1,), 0)


def test_arange_reads_complex_bounds_as_doubles():
    assert fg.arange(2 + 0j).tolist() == [0.0, 1.0]
    assert fg.arange(2 + 0j).dtype == fg.float32
    with pytest.raises(RuntimeError, match="value cannot be converted to type double without overflow"):
        fg.arange(1j)
