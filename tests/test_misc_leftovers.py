"""Leftovers of PyTorch parity: Python ints past int64, layouts, `out=` forms and
missing names. Expected values and exception types were observed with PyTorch 2.13."""

import warnings

import ferrograd as fg
import ferrograd.nn.functional as F
import numpy as np
import pytest

# ---- Python ints past int64 ---------------------------------------------------------


@pytest.mark.parametrize("value, message", [
    (2**64, "int too big to convert"),
    (-(2**63) - 1, "can't convert negative int to unsigned"),
])
def test_shift_by_an_int_past_uint64_is_an_overflow_error(value, message):
    t = fg.arange(5)
    for call in (lambda: t << value, lambda: t >> value, lambda: value << t,
                 lambda: fg.bitwise_left_shift(t, value), lambda: t.clone().bitwise_right_shift_(value)):
        with pytest.raises(OverflowError, match=message):
            call()


def test_shift_by_a_uint64_int_uses_its_bits_in_the_result_dtype():
    t = fg.arange(5)
    assert (t << 2**63).tolist() == [0] * 5
    assert (t >> (2**64 - 1)).tolist() == [0] * 5
    assert (t.clone().__ilshift__(2**63)).tolist() == [0] * 5
    assert ((2**64 - 1) << t).tolist() == [-1, -2, -4, -8, -16]
    assert (2**63 << t).tolist() == [-(2**63), 0, 0, 0, 0]
    # the amount is cast to uint8 first: 2**63 -> 0, -1 -> 255
    assert (t.to(fg.uint8) << 2**63).tolist() == [0, 1, 2, 3, 4]
    assert (t.to(fg.uint8) << -1).tolist() == [0] * 5


def test_shift_amount_wraps_to_the_narrow_dtype():
    t = fg.arange(5)
    assert (t.to(fg.int8) << 257).tolist() == [0, 2, 4, 6, 8]
    assert (t.to(fg.int8) >> 257).tolist() == [0, 0, 1, 1, 2]
    assert (t.to(fg.int16) << 257).tolist() == [0] * 5
    assert (t.to(fg.int16) << 2**32 + 1).tolist() == [0, 2, 4, 6, 8]
    assert (t.to(fg.int32) << 65537).tolist() == [0] * 5
    assert t.to(fg.int8).__ilshift__(257).tolist() == [0, 2, 4, 6, 8]


def test_shift_of_bool_by_uint64_is_refused_in_promotion():
    with pytest.raises(RuntimeError, match="attempted to promote Bool and UInt64"):
        fg.tensor([True]) << 2**63


def test_shift_of_two_numbers_is_a_type_error():
    with pytest.raises(TypeError, match="invalid combination of arguments"):
        fg.bitwise_left_shift(2, 3)


def test_searchsorted_with_ints_past_int64():
    ints, floats = fg.tensor([1, 2, 3]), fg.tensor([1.0, 2.0, 3.0])
    with pytest.raises(OverflowError, match="int too big to convert"):
        fg.searchsorted(ints, 2**64)
    with pytest.raises(OverflowError, match="int too big to convert"):
        fg.bucketize(2**64, floats)
    with pytest.raises(OverflowError, match="negative int to unsigned"):
        fg.searchsorted(ints, -(2**63) - 1)
    assert fg.searchsorted(ints, 2**63).item() == 0  # its int64 bits: -2**63
    assert fg.searchsorted(floats, 2**63).item() == 3
    assert fg.searchsorted(ints, 2**64 - 1).item() == 0


def test_searchsorted_casts_an_int_value_to_the_sequence_dtype():
    int8 = fg.tensor([1, 2, 3], dtype=fg.int8)
    assert fg.searchsorted(int8, 257).item() == 0  # 257 as int8 is 1
    assert fg.searchsorted(int8, 257, right=True).item() == 1
    assert fg.searchsorted(int8, 2.5).item() == 2
    assert fg.searchsorted(fg.tensor([0, 1], dtype=fg.uint8), 2**63, right=True).item() == 1
    assert fg.searchsorted(fg.tensor([1, 2, 3]), True, right=True).item() == 1


@pytest.mark.parametrize("dims, error, message", [
    (([2**64], [0]), TypeError, "argument 'dims_self' failed to unpack the object at pos 1"),
    (([0], [2**64]), TypeError, "argument 'dims_other' failed to unpack the object at pos 1"),
    (([0, 2**63], [1, 0]), TypeError, "failed to unpack the object at pos 2"),
    ((2**64, 0), TypeError, r"argument 'dims_self' \(position 3\) must be tuple of ints, not int"),
    ((1, 0), TypeError, r"must be tuple of ints, not int"),
    ((None, [0]), TypeError, "must be tuple of ints, not NoneType"),
    ((fg.tensor([1]), fg.tensor([0])), TypeError, "must be tuple of ints, not Tensor"),
    ("a", RuntimeError, "tensordot expects dims to be int or"),
    (2**64, RuntimeError, "tensordot expects dims < ndim_a or ndim_b"),
])
def test_tensordot_dims_as_pytorch_parses_them(dims, error, message):
    with pytest.raises(error, match=message):
        fg.tensordot(fg.randn(2, 3), fg.randn(3, 2), dims=dims)


def test_tensordot_dim_lists_still_contract():
    a, b = fg.arange(6.0).reshape(2, 3), fg.arange(6.0).reshape(3, 2)
    np.testing.assert_allclose(fg.tensordot(a, b, dims=([1], [0])).numpy(), a.numpy() @ b.numpy())


@pytest.mark.parametrize("kwargs, error", [
    ({"n_fft": 2**64, "center": False}, ValueError),
    ({"n_fft": 2**64}, TypeError),
    ({"n_fft": 16, "win_length": 2**63}, ValueError),
    ({"n_fft": 16, "hop_length": -(2**64)}, ValueError),
    ({"n_fft": -(2**64)}, RuntimeError),
])
def test_stft_with_ints_past_int64(kwargs, error):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(error):
            fg.stft(fg.randn(100), return_complex=True, **kwargs)


@pytest.mark.parametrize("mode", ["reflect", "constant", "replicate"])
def test_pad_below_minus_two_to_the_62_is_refused(mode):
    with pytest.raises(RuntimeError, match="SymIntArrayRef expected to contain only concrete integers"):
        F.pad(fg.randn(1, 1, 100), (-(2**62) - 1, -(2**62) - 1), mode=mode)


def test_pad_size_past_int64_is_a_runtime_error():
    with pytest.raises(RuntimeError, match="resulted in a negative output size"):
        F.pad(fg.randn(1, 1, 100), (2**62, 2**62))
    with pytest.raises(RuntimeError):
        F.pad(fg.randn(1, 1, 100), (2**63 - 1, 2**63 - 1))
    with pytest.raises(TypeError, match="failed to unpack the object at pos 1"):
        F.pad(fg.randn(1, 1, 100), (2**64, 0), mode="reflect")


def test_slicing_with_huge_steps_gives_empty_results():
    assert fg.arange(5)[::2**63].tolist() == []  # PyTorch's slice saturates the step
    assert fg.arange(5)[2**64:].tolist() == []


@pytest.mark.parametrize("dtype, expected", [
    (fg.complex32, "inf+0.j"),
    (fg.complex64, "1.8447e+19+0.j"),
])
def test_complex_tensor_from_an_int_past_int64(dtype, expected):
    assert expected in repr(fg.tensor(2**64, dtype=dtype))
    assert expected in repr(fg.tensor([2**64], dtype=dtype))
    assert expected in repr(fg.as_tensor(2**64, dtype=dtype))


@pytest.mark.parametrize("dtype, message", [
    (fg.float32, "must be real number, not complex"),
    (fg.float16, "must be real number, not complex"),
    (fg.int64, "'complex' object cannot be interpreted as an integer"),
    (fg.uint8, "'complex' object cannot be interpreted as an integer"),
])
def test_complex_number_into_a_real_dtype_is_a_type_error(dtype, message):
    for data in (1 + 1j, [1j, 2], [[1.0, 2j]]):
        with pytest.raises(TypeError, match=message):
            fg.tensor(data, dtype=dtype)


def test_complex_number_into_bool_takes_its_truth():
    assert fg.tensor([1j, 0j, 2], dtype=fg.bool).tolist() == [True, False, True]


def test_uint64_scalars_in_comparisons_and_arithmetic():
    ints, floats = fg.tensor([1, 0]), fg.tensor([1.0, 0.0])
    assert ints.eq(2**63).tolist() == [False, False]
    assert floats.lt(2**63).tolist() == [True, True]
    assert fg.tensor([1, 0], dtype=fg.int8).eq(2**63).tolist() == [False, True]
    assert ints.floor_divide(2**63).tolist() == [-1, 0]
    assert ints.remainder(2**63).tolist() == [-(2**63) + 1, 0]
    assert ints.clone().ge_(2**63).tolist() == [1, 1]
    assert fg.rsub(ints, 2**63).tolist() == [2**63 - 1, -(2**63)]
    assert ints.fmod(2**63).tolist() == [1, 0]
    np.testing.assert_allclose(fg.xlogy(ints, 2**63).numpy(), [43.6683, 0.0], rtol=1e-4)
    assert fg.arange(1, 4).bitwise_or_(2**63).tolist() == [-(2**63) + 1, -(2**63) + 2, -(2**63) + 3]


def test_uint64_scalars_written_into_tensors():
    floats = fg.tensor([1.0, 0.0])
    mask = fg.tensor([True, False])
    assert floats.masked_fill(mask, 2**63).tolist() == [2.0**63, 0.0]
    assert fg.where(mask, floats, 2**63).tolist() == [1.0, 2.0**63]
    assert floats.clamp_min(2**63).tolist() == [2.0**63, 2.0**63]
    assert floats.pow(2**63).tolist() == [1.0, 0.0]
    assert fg.tensor([True, False]).fill_(2**63).tolist() == [True, True]
    for call in (lambda: fg.tensor([1, 0]).clamp(max=2**63), lambda: fg.tensor([1, 0]).masked_fill(mask, 2**63),
                 lambda: fg.where(mask, fg.tensor([1, 0]), 2**63), lambda: fg.tensor([1, 0]).fill_(2**63),
                 lambda: fg.full((1,), 2**63, dtype=fg.int64)):
        with pytest.raises(RuntimeError, match="value cannot be converted to type int64_t without overflow"):
            call()


def test_setitem_with_an_int_past_int64_is_a_value_error():
    for value in (2**63, 2**64, -(2**70)):
        with pytest.raises(ValueError, match="Overflow when unpacking long long"):
            fg.zeros(2).__setitem__(0, value)


def test_result_type_with_uint64_numbers():
    assert fg.result_type(fg.arange(3), 2**63) == fg.int64
    assert fg.result_type(fg.arange(3.0), 2**64 - 1) == fg.float32
    assert fg.result_type(scalar1=2**63, scalar2=1.5) == fg.float32
    assert fg.result_type(scalar1=2**63, scalar2=2**63) == fg.uint64
    with pytest.raises(RuntimeError, match="attempted to promote UInt64 and Long"):
        fg.result_type(scalar1=2**63, scalar2=1)
    with pytest.raises(RuntimeError, match="attempted to promote Bool and UInt64"):
        fg.result_type(fg.tensor([True]), 2**63)
    with pytest.raises(OverflowError, match="int too big to convert"):
        fg.result_type(fg.arange(3), 2**64)


# ---- layouts ----------------------------------------------------------------------


def test_element_less_arrays_keep_their_numpy_strides():
    # NumPy 2 gives element-less arrays zero strides; PyTorch copies them
    assert fg.tensor(np.zeros((0, 3)).T).stride() == (0, 0)
    assert fg.as_tensor(np.zeros((0, 3)).T).stride() == (0, 0)
    assert fg.from_numpy(np.zeros((3, 0))).stride() == (0, 0)
    assert fg.tensor(np.zeros((2, 0, 3)).transpose(2, 1, 0)).stride() == (0, 0, 0)
    strided = np.lib.stride_tricks.as_strided(np.zeros(3), (0, 3), (24, 8))
    assert fg.tensor(strided).stride() == (3, 1)


def test_nonzero_out_resized_is_column_major():
    x = fg.tensor([[1, 0], [1, 1]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for out in (fg.empty(0, dtype=fg.int64), fg.empty(5, 5, dtype=fg.int64), fg.empty(7, dtype=fg.int64)):
            result = fg.nonzero(x, out=out)
            assert result is out
            assert out.stride() == (1, 3)
            assert out.tolist() == [[0, 0], [1, 0], [1, 1]]
    exact = fg.empty(3, 2, dtype=fg.int64)
    fg.nonzero(x, out=exact)
    assert exact.stride() == (2, 1)
    none = fg.empty(0, dtype=fg.int64)
    fg.nonzero(fg.zeros(2, 2), out=none)
    assert tuple(none.shape) == (0, 2)
    assert none.stride() == (1, 0)


# ---- out= forms -------------------------------------------------------------------


def test_fftfreq_and_rfftfreq_take_out():
    out = fg.empty(0)
    assert fg.fft.fftfreq(4, out=out) is out
    assert out.tolist() == [0.0, 0.25, -0.5, -0.25]
    out = fg.empty(0)
    assert fg.fft.rfftfreq(4, out=out).tolist() == [0.0, 0.25, 0.5]
    wide = fg.empty(3, dtype=fg.float64)
    with pytest.warns(UserWarning, match=r"The number of elements in the out tensor of shape \[3\] is 3"):
        fg.fft.fftfreq(4, out=wide)
    assert wide.dtype == fg.float64 and wide.tolist() == [0.0, 0.25, -0.5, -0.25]


@pytest.mark.parametrize("call, message", [
    (lambda: fg.fft.fftfreq(5, 0.1, out=fg.empty(0, dtype=fg.int64)), "fftfreq requires a floating point or complex"),
    (lambda: fg.fft.rfftfreq(4, dtype=fg.int64), "rfftfreq requires a floating point or complex dtype"),
    (lambda: fg.fft.fftfreq(3, dtype=fg.float64, out=fg.empty(0)),
     r"dtype Double does not match dtype of out parameter \(Float\)"),
])
def test_fftfreq_dtype_errors(call, message):
    with pytest.raises(RuntimeError, match=message):
        call()


_X = [[1.0, -2.0], [3.0, 4.0]]


@pytest.mark.parametrize("call, message", [
    (lambda x: fg.linalg.norm(x, out=fg.empty((), dtype=fg.int64)),
     "linalg.norm expected out tensor dtype Float but got: Long"),
    (lambda x: fg.linalg.norm(x, "nuc", out=fg.empty((), dtype=fg.float64)),
     "linalg.norm expected out tensor dtype Float but got: Double"),
    (lambda x: fg.linalg.norm(x, dtype=fg.float64, out=fg.empty(())),
     "linalg.norm expected out tensor dtype Double but got: Float"),
    (lambda x: fg.linalg.norm(x.to(fg.complex64), out=fg.empty((), dtype=fg.complex64)),
     "linalg.norm expected out tensor dtype Float but got: ComplexFloat"),
    (lambda x: fg.linalg.matrix_norm(x, out=fg.empty((), dtype=fg.float64)),
     "linalg.matrix_norm expected out tensor dtype Float but got: Double"),
    (lambda x: fg.norm(x, "nuc", out=fg.empty((), dtype=fg.float64)),
     "linalg.matrix_norm expected out tensor dtype Float but got: Double"),
    (lambda x: fg.norm(x, out=fg.empty((), dtype=fg.float64)),
     "Expected out tensor to have dtype float, but got double instead"),
    (lambda x: fg.linalg.vector_norm(x, out=fg.empty((), dtype=fg.int64)),
     "Expected out tensor to have dtype float, but got long int instead"),
])
def test_norm_out_dtype_messages(call, message):
    with pytest.raises(RuntimeError, match=message):
        call(fg.tensor(_X))


def test_norms_write_into_out():
    x = fg.tensor(_X)
    for call, expected in ((lambda o: fg.linalg.norm(x, out=o), 5.4772), (lambda o: fg.norm(x, "nuc", out=o), 7.0711),
                           (lambda o: fg.linalg.matrix_norm(x, "nuc", out=o), 7.0711),
                           (lambda o: fg.linalg.vector_norm(x, out=o), 5.4772)):
        out = fg.empty(0)
        assert call(out) is out
        assert tuple(out.shape) == () and abs(out.item() - expected) < 1e-4
    out = fg.empty(3)
    with pytest.warns(UserWarning, match="An output with one or more elements was resized"):
        fg.linalg.norm(x, out=out)
    assert tuple(out.shape) == ()
    softmax_out = fg.empty(2, 2)
    assert fg.softmax(x, 1, out=softmax_out) is softmax_out
    with pytest.raises(RuntimeError, match="Expected out tensor to have dtype float, but got double instead"):
        fg.softmax(x, 1, out=fg.empty(2, 2, dtype=fg.float64))
