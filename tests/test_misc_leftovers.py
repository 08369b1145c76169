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


# ---- slice_inverse, flat-weight RNNs, 16-bit log_softmax, complex linalg nodes ------


def test_slice_inverse_views_the_slice_with_the_source_layout():
    x = fg.arange(12.0).reshape(3, 4)
    whole = x[1:3].slice_inverse(x, 0, 1, 3)
    assert tuple(whole.shape) == (3, 4) and whole.stride() == (4, 1)
    assert whole.tolist() == x.tolist()
    flat = fg.arange(12.0)[2:]
    r = flat.slice_inverse(fg.arange(12.0).reshape(3, 4)[:, 1:3], 1, 1, 3)
    assert r.tolist() == [[1.0, 2.0], [5.0, 6.0], [9.0, 10.0]]
    assert r.storage_offset() == 1
    assert fg.slice_inverse(x[1:], x, 0).tolist() == x.tolist()


def test_slice_inverse_records_its_node_and_its_argument_errors():
    w = fg.zeros(3, 4, requires_grad=True)
    r = (w * 1)[1:3].slice_inverse(fg.arange(12.0).reshape(3, 4), 0, 1, 3)
    assert type(r.grad_fn).__name__ == "SliceInverseBackward0"
    r.sum().backward()
    assert w.grad.tolist() == [[0.0] * 4, [1.0] * 4, [1.0] * 4]
    x = fg.arange(12.0).reshape(3, 4)
    with pytest.raises(TypeError, match=r"argument 'dim' \(position 2\) must be int, not float"):
        x[1:].slice_inverse(x, 1.5)
    with pytest.raises(TypeError, match=r"argument 'src' \(position 1\) must be Tensor, not int"):
        x[1:].slice_inverse(3)
    with pytest.raises(RuntimeError, match="out of bounds for storage of size 12"):
        fg.arange(3.0).slice_inverse(x, 0)


def _sigmoid(v):
    return 1 / (1 + np.exp(-v))


def _np_lstm(x, h, c, w_ih, w_hh, b_ih, b_hh):
    outs = []
    for xt in x:
        i, f, g, o = np.split(xt @ w_ih.T + b_ih + h @ w_hh.T + b_hh, 4, axis=-1)
        c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
        h = _sigmoid(o) * np.tanh(c)
        outs.append(h)
    return np.stack(outs), h, c


def _np_gru(x, h, w_ih, w_hh, b_ih, b_hh):
    outs = []
    for xt in x:
        i_r, i_z, i_n = np.split(xt @ w_ih.T + b_ih, 3, axis=-1)
        h_r, h_z, h_n = np.split(h @ w_hh.T + b_hh, 3, axis=-1)
        r, z = _sigmoid(i_r + h_r), _sigmoid(i_z + h_z)
        n = np.tanh(i_n + r * h_n)
        h = (1 - z) * n + z * h
        outs.append(h)
    return np.stack(outs), h


def _weights(rng, gates, hidden, features):
    return [rng.standard_normal(s).astype(np.float32) * 0.5
            for s in ((gates * hidden, features), (gates * hidden, hidden), (gates * hidden,), (gates * hidden,))]


def test_functional_lstm_with_flat_weights():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((5, 2, 3)).astype(np.float32)
    h0, c0 = (rng.standard_normal((1, 2, 4)).astype(np.float32) for _ in range(2))
    w = _weights(rng, 4, 4, 3)
    params = [fg.tensor(p, requires_grad=True) for p in w]
    out, h, c = fg.lstm(fg.tensor(x), (fg.tensor(h0), fg.tensor(c0)), params, True, 1, 0.0, False, False, False)
    want_out, want_h, want_c = _np_lstm(x, h0[0], c0[0], *w)
    np.testing.assert_allclose(out.detach().numpy(), want_out, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(h.detach().numpy()[0], want_h, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(c.detach().numpy()[0], want_c, rtol=1e-5, atol=1e-6)
    assert [type(t.grad_fn).__name__ for t in (out, h, c)] == ["MkldnnRnnLayerBackward0"] + ["StackBackward0"] * 2


def test_functional_lstm_bidirectional_and_batch_first_nodes():
    rng = np.random.default_rng(1)
    params = [fg.tensor(p, requires_grad=True) for _ in range(2) for p in _weights(rng, 4, 4, 3)]
    h0 = fg.zeros(2, 2, 4)
    out, h, c = fg.lstm(fg.randn(5, 2, 3), (h0, h0), params, True, 1, 0.0, False, True, False)
    assert tuple(out.shape) == (5, 2, 8) and type(out.grad_fn).__name__ == "CatBackward0"
    assert tuple(h.shape) == tuple(c.shape) == (2, 2, 4)
    out, _, _ = fg.lstm(fg.randn(2, 5, 3), (h0[:1], h0[:1]), params[:4], True, 1, 0.0, False, False, True)
    assert tuple(out.shape) == (2, 5, 4) and type(out.grad_fn).__name__ == "TransposeBackward0"


def test_functional_gru_and_rnns_with_flat_weights():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((4, 2, 3)).astype(np.float32)
    h0 = rng.standard_normal((1, 2, 4)).astype(np.float32)
    w = _weights(rng, 3, 4, 3)
    out, h = fg.gru(fg.tensor(x), fg.tensor(h0), [fg.tensor(p) for p in w], True, 1, 0.0, False, False, False)
    want_out, want_h = _np_gru(x, h0[0], *w)
    np.testing.assert_allclose(out.numpy(), want_out, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(h.numpy()[0], want_h, rtol=1e-5, atol=1e-6)
    w1 = _weights(rng, 1, 4, 3)[:2]
    out, h = fg.rnn_relu(fg.tensor(x), fg.tensor(h0), [fg.tensor(p) for p in w1], False, 1, 0.0, False, False, False)
    state, outs = h0[0], []
    for xt in x:
        state = np.maximum(xt @ w1[0].T + state @ w1[1].T, 0)
        outs.append(state)
    np.testing.assert_allclose(out.numpy(), np.stack(outs), rtol=1e-5, atol=1e-6)
    params = [fg.tensor(p, requires_grad=True) for p in _weights(rng, 1, 4, 3)]
    out, h = fg.rnn_tanh(fg.tensor(x).transpose(0, 1), fg.tensor(h0), params, True, 1, 0.0, False, False, True)
    assert type(out.grad_fn).__name__ == "TransposeBackward1"
    assert type(h.grad_fn).__name__ == "StackBackward0"


def test_functional_gru_on_packed_data():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((3, 2, 3)).astype(np.float32)
    w = _weights(rng, 3, 4, 3)
    # packed data of lengths [3, 2]: step t holds both sequences but the last holds one
    data = np.concatenate([x[0], x[1], x[2][:1]])
    out, h = fg.gru(fg.tensor(data), fg.tensor([2, 2, 1]), fg.zeros(1, 2, 4), [fg.tensor(p) for p in w], True, 1,
                    0.0, False, False)
    full, _ = _np_gru(x, np.zeros((2, 4), np.float32), *w)
    _, short_h = _np_gru(x[:2, 1:], np.zeros((1, 4), np.float32), *w)
    np.testing.assert_allclose(out.numpy(), np.concatenate([full[0], full[1], full[2][:1]]), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(h.numpy()[0, 1], short_h[0], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("scale, dtype, expected", [
    (None, fg.bfloat16, [-2.765625, -1.7734375, -0.271484375, -5.03125]),
    (None, fg.float16, [-2.7734375, -1.7724609375, -0.272705078125, -5.0234375]),
    (1.0, fg.bfloat16, [-10.3125, -9.0625, -7.84375, -6.59375, -5.34375, -4.09375, -2.84375, -1.5859375, -0.3359375]),
    (3.3, fg.float16, [-33.0, -28.890625, -24.765625, -20.640625, -16.515625, -12.3828125, -8.2578125, -4.140625,
                       -0.0164642333984375]),
    (1.7, fg.bfloat16, [-17.125, -14.9375, -12.875, -10.75, -8.5625, -6.46875, -4.34375, -2.25, -0.12451171875]),
])
def test_log_softmax_in_16_bit_rounds_as_pytorch(scale, dtype, expected):
    x = fg.tensor([[1.0, 2.0, 3.5, -1.25]]) if scale is None else fg.linspace(-3, 7, 9).reshape(1, 9) * scale
    assert fg.log_softmax(x, 1, dtype=dtype).tolist() == [expected]
    assert F.log_softmax(x, 1, dtype=dtype).tolist() == [expected]


def test_complex_svdvals_node_and_slogdet_double_backward():
    a = fg.tensor([[1 + 1j, 2 - 1j], [0.5j, 3 + 0j]], dtype=fg.complex128, requires_grad=True)
    assert type(fg.linalg.svdvals(a).grad_fn).__name__ == "LinalgSvdBackward0"
    _, logabs = fg.linalg.slogdet(a)
    (g,) = fg.autograd.grad(logabs, a, create_graph=True)
    (gg,) = fg.autograd.grad(g.abs().sum(), a)
    np.testing.assert_allclose(gg.resolve_conj().numpy(), [[-1.4133 - 1.0865j, 0.4973 - 0.4120j], [0.6537 + 1.7286j, -0.6682 + 0.1089j]],
                               atol=1e-4)
    sign, logabs = fg.linalg.slogdet(a)
    (g,) = fg.autograd.grad(sign.real + sign.imag + logabs, a, create_graph=True)
    (gg,) = fg.autograd.grad(g.real.sum() + g.imag.sum(), a)
    np.testing.assert_allclose(gg.resolve_conj().numpy(), [[0.0244 - 0.8368j, -0.3039 - 0.0902j], [-0.4507 + 0.6920j, 0.0204 - 0.1250j]],
                               atol=1e-4)


# ---- names PyTorch has ---------------------------------------------------------------


def test_norm_except_dim():
    t = fg.arange(4.0).reshape(2, 2)
    np.testing.assert_allclose(fg.norm_except_dim(t, 2, 0).numpy(), [[1.0], [3.6056]], atol=1e-4)
    np.testing.assert_allclose(fg.norm_except_dim(t, 2, 1).numpy(), [[2.0, 3.1623]], atol=1e-4)
    np.testing.assert_allclose(fg.norm_except_dim(t, 2, -1).numpy(), 3.7417, atol=1e-4)


def test_hash_tensor_xors_the_widened_bits():
    t = fg.arange(4.0).reshape(2, 2)
    full = fg.hash_tensor(t)
    assert full.dtype == fg.uint64 and full.item() == 4609434218613702656
    assert t.hash_tensor().item() == 4609434218613702656
    assert fg.hash_tensor(t, dim=0).tolist() == [4611686018427387904, 9221120237041090560]
    assert fg.hash_tensor(t, 1, keepdim=True).tolist() == [[4607182418800017408], [2251799813685248]]
    assert fg.hash_tensor(fg.tensor([1, 2, 3])).item() == 0
    assert fg.hash_tensor(fg.tensor([True, False])).item() == 1
    assert fg.hash_tensor(fg.tensor([1.5], dtype=fg.float16)).item() == 4609434218613702656
    assert fg.hash_tensor(fg.tensor([-1, 5], dtype=fg.int8)).item() == 18446744073709551610
    with pytest.raises(NotImplementedError, match="\"xor_sum_cpu\" not implemented for 'ComplexFloat'"):
        fg.hash_tensor(fg.tensor([1 + 2j]))
    with pytest.raises(RuntimeError, match="Expected reduction dim to be specified"):
        fg.hash_tensor(fg.zeros(0))
    with pytest.raises(IndexError, match="Expected reduction dim 0 to have non-zero size"):
        fg.hash_tensor(fg.zeros(0, 2), dim=0)


def test_embedding_renorm_scales_the_named_rows_in_place():
    w = fg.tensor([[3.0, 4.0], [1.0, 0.0], [6.0, 8.0]])
    assert fg.embedding_renorm_(w, fg.tensor([0, 2, 0]), 1.0, 2.0) is w
    np.testing.assert_allclose(w.numpy(), [[0.6, 0.8], [1.0, 0.0], [0.6, 0.8]], atol=1e-6)


def test_rare_tensor_members():
    t = fg.arange(4.0).reshape(2, 2)
    assert t.to_dense() is t
    assert t.to_dense(dtype=fg.float64).dtype == fg.float64
    assert t.grad_dtype == fg.float32
    assert t.is_distributed() is False
    with pytest.warns(UserWarning, match=r"volatile was removed \(Variable.volatile is always False\)"):
        assert t.volatile is False
    p = fg.zeros(2)
    loaded = p.module_load(fg.ones(2))
    assert loaded is not p and p.tolist() == [1.0, 1.0] and loaded.tolist() == [1.0, 1.0]
    assert p.module_load(fg.ones(2) * 3, assign=True).tolist() == [3.0, 3.0]
    for name, start in (("eig", "This function was deprecated since version 1.9 and is now removed. `torch.linalg.eig`"),
                        ("solve", "This function was deprecated since version 1.9 and is now removed. `torch.solve`"),
                        ("symeig", "This function was deprecated since version 1.9 and is now removed. The default")):
        with pytest.raises(RuntimeError) as raised:
            getattr(t, name)(t)
        assert str(raised.value).startswith(start)


def test_functional_and_version_modules():
    from ferrograd import functional

    assert functional.einsum is fg.einsum and functional.meshgrid is fg.meshgrid
    assert "tensordot" in functional.__all__
    assert isinstance(fg.version.__version__, str) and fg.version.cuda is None


def test_warnings_from_pytorch_kernels_name_their_source(monkeypatch):
    # PyTorch warns about complex-to-real casts once per process: forget earlier ones
    monkeypatch.setattr("ferrograd._user_warning._warned_once", set())
    with pytest.warns(UserWarning) as caught:
        fg.add(fg.ones(2), 1, out=fg.empty(3))
    assert str(caught[0].message).endswith(
        "(Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/Resize.cpp:30.)")
    with pytest.warns(UserWarning) as caught:
        fg.arange(5, out=fg.empty(3))
    assert str(caught[0].message).endswith(
        "(Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/RangeFactories.cpp:199.)")
    with pytest.warns(UserWarning) as caught:
        fg.tensor([1.0]).eq_(1j)
    assert str(caught[0].message) == ("Casting complex values to real discards the imaginary part (Triggered "
                                      "internally at /__w/pytorch/pytorch/aten/src/ATen/native/Copy.cpp:307.)")
