"""Argument and small-op leftovers against PyTorch 2.13's observed behaviour: Python ints
past int64 in int and int-list arguments, manual_seed, Tensor.to's signatures, integer
padding, cumsum's signed zero, in-place ops on expanded tensors, deprecated argument
orders, strides of tensors made from NumPy arrays."""

import importlib
import math
import warnings

import ferrograd as fg
import ferrograd.nn.functional as F
import numpy as np
import pytest

BIG = 2**64
OVERFLOW = "Overflow when unpacking long long"


@pytest.fixture
def x():
    return fg.ones(3, 4)


# A lone int past int64 is PyTorch's ValueError.
LONE_INT = [
    lambda x: x.sum(BIG),
    lambda x: x.sum(-BIG),
    lambda x: x.transpose(0, 2**63),
    lambda x: x.narrow(0, BIG, 1),
    lambda x: x.roll(BIG),
    lambda x: x.roll(1, BIG),
    lambda x: fg.roll(x, BIG),
    lambda x: x[2**63],
    lambda x: x.gather(BIG, fg.zeros(3, 4, dtype=fg.int64)),
    lambda x: x.scatter_add(BIG, fg.zeros(3, 4, dtype=fg.int64), x),
    lambda x: x.unflatten(BIG, (2, 2)),
    lambda x: x.movedim(BIG, 0),
    lambda x: x.size(BIG),
    lambda x: x.index_select(BIG, fg.tensor([0])),
    lambda x: x.logcumsumexp(BIG),
    lambda x: x.unfold(0, BIG, 1),
    lambda x: x.slice_scatter(x, 0, BIG),
    lambda x: x.cross(x, BIG),
    lambda x: x.round(decimals=BIG),
    lambda x: x.renorm(2, BIG, 1.0),
    lambda x: x.as_strided((2,), (1,), BIG),
    lambda x: fg.randint(0, BIG, (2,)),
    lambda x: fg.randperm(BIG),
    lambda x: x.abs().multinomial(BIG),
    lambda x: fg.histc(x, BIG),
    lambda x: fg.tril_indices(BIG, 2),
    lambda x: F.one_hot(fg.zeros(3, dtype=fg.int64), BIG),
    lambda x: F.max_pool1d(x[None], BIG),
    lambda x: F.avg_pool1d(x[None], BIG),
    lambda x: F.adaptive_avg_pool1d(x[None], BIG),
    lambda x: F.conv1d(x[None], fg.ones(4, 3, 1), stride=BIG),
    lambda x: F.glu(x, BIG),
    lambda x: F.pixel_shuffle(x[None, None], BIG),
    lambda x: fg.nn.Unflatten(BIG, (2, 2))(x),
    lambda x: fg.fft.fft(x, BIG),
    lambda x: fg.fft.fft(x, dim=BIG),
    lambda x: fg.fft.fftshift(x, BIG),
    lambda x: fg.take_along_dim(x, fg.zeros(3, 4, dtype=fg.int64), BIG),
    lambda x: fg.quantile(x, 0.5, BIG),
    lambda x: fg.unique_consecutive(x, dim=BIG),
    lambda x: x.diff(1, BIG),
    lambda x: fg.combinations(x[0], BIG),
    lambda x: fg.bincount(fg.zeros(3, dtype=fg.int64), minlength=BIG),
    lambda x: fg.vander(x[0], BIG),
    lambda x: fg.hann_window(BIG),
    lambda x: F.group_norm(x[None], BIG),
    lambda x: fg.unique(x, dim=BIG),
    lambda x: fg.trapezoid(x, dim=BIG),
    lambda x: x.tensor_split(BIG),
    lambda x: x.repeat_interleave(BIG),
    lambda x: fg.linalg.matrix_power(x[:3, :3], BIG),
    lambda x: fg.linalg.norm(x, dim=BIG),
    lambda x: fg.Generator().manual_seed(BIG),
    lambda x: fg.manual_seed(-(2**63) - 1),
]


@pytest.mark.parametrize("call", LONE_INT)
def test_lone_int_past_int64_is_value_error(x, call):
    with pytest.raises(ValueError, match=OVERFLOW):
        call(x)


# An element of an int list past int64 is PyTorch's TypeError, naming the argument.
LIST_ELEMENT = [
    (lambda x: x.view(BIG), "size"),
    (lambda x: x.view(2, BIG), "size"),
    (lambda x: x.reshape((2, BIG)), "shape"),
    (lambda x: fg.zeros(BIG), "size"),
    (lambda x: fg.ones(2, BIG), "size"),
    (lambda x: x.expand(BIG, 4), "size"),
    (lambda x: x.permute(0, BIG), "dims"),
    (lambda x: x.new_zeros(BIG), "size"),
    (lambda x: fg.full((BIG,), 1.0), "size"),
    (lambda x: x.repeat(BIG, 1), "repeats"),
    (lambda x: x.roll((1, BIG), (0, 1)), "shifts"),
    (lambda x: x.flip(BIG), "dims"),
    (lambda x: fg.flip(x, (BIG,)), "dims"),
    (lambda x: x.tile(BIG), "dims"),
    (lambda x: x.movedim((0, BIG), (1, 0)), "source"),
    (lambda x: x.unflatten(1, (BIG, 2)), "sizes"),
    (lambda x: x.split([BIG, 1]), "split_sizes"),
    (lambda x: x.as_strided((2,), (BIG,)), None),
    (lambda x: x.as_strided((BIG,), (1,)), None),
    (lambda x: fg.randn(BIG), None),
    (lambda x: fg.rand((BIG,)), None),
    (lambda x: fg.randint(0, 5, (BIG,)), None),
    (lambda x: x.rot90(1, (0, BIG)), "dims"),
    (lambda x: F.pad(x, (BIG, 0)), None),
    (lambda x: F.unfold(x[None, None], BIG), "kernel_size"),
    (lambda x: F.interpolate(x[None], size=BIG), None),
    (lambda x: F.fold(x[None], (BIG, 2), 1), "output_size"),
    (lambda x: fg.fft.fftn(x, (BIG,)), None),
    (lambda x: fg.empty_strided((BIG,), (1,)), "size"),
    (lambda x: fg.empty_strided((2,), (BIG,)), "stride"),
    (lambda x: F.layer_norm(x, (BIG,)), "normalized_shape"),
    (lambda x: x.norm(dim=BIG), "dim"),
    (lambda x: fg.norm(x, 2, BIG), "dim"),
    (lambda x: F.normalize(x, dim=BIG), "dim"),
]


@pytest.mark.parametrize("call, name", LIST_ELEMENT)
def test_int_list_element_past_int64_is_type_error(x, call, name):
    with pytest.raises(TypeError, match="failed to unpack the object at pos") as info:
        call(x)
    assert OVERFLOW in str(info.value)
    if name is not None:
        assert f"'{name}'" in str(info.value)


def test_int_list_overflow_counts_positions_from_one(x):
    with pytest.raises(TypeError, match="at pos 2 with error"):
        x.view(2, BIG)


def test_in_range_ints_still_work(x):
    assert x.sum(-1).shape == (3,)
    assert x.roll(2**62).shape == (3, 4)
    assert fg.Generator().manual_seed(2**64 - 1).initial_seed() == 2**64 - 1
    assert fg.Generator().manual_seed(-(2**63)).initial_seed() == 2**63
    assert x[: 2**70].shape == (3, 4)
    assert x[2**70 :].shape == (0, 4)


@pytest.mark.parametrize("seed, kind", [(1.5, "float"), (True, "bool"), ("3", "str")])
def test_manual_seed_refuses_non_ints_with_runtime_error(seed, kind):
    with pytest.raises(RuntimeError, match=f"manual_seed expected a long, but got {kind}"):
        fg.Generator().manual_seed(seed)


# --- Tensor.to: PyTorch's three signatures -----------------------------------------

TO_DTYPES = [
    ((True,), fg.bool),  # a Python scalar is a tensor whose dtype is taken
    ((2.0,), fg.float64),
    ((1j,), fg.complex128),
    ((float,), fg.float64),  # a Python type is a dtype
    ((int,), fg.int64),
    ((bool,), fg.bool),
    ((complex,), fg.complex128),
    ((None,), fg.float32),
    ((b"cpu",), fg.float32),
    (("cpu", None), fg.float32),
    ((None, fg.float64), fg.float64),
    ((fg.float64, True), fg.float64),
    ((fg.float64, False, True), fg.float64),
]


@pytest.mark.parametrize("args, dtype", TO_DTYPES)
def test_to_reads_arguments_as_pytorch(args, dtype):
    assert fg.ones(2).to(*args).dtype == dtype


def test_to_by_keyword():
    x = fg.ones(2)
    assert x.to(dtype=float).dtype == fg.float64
    assert x.to(tensor=fg.ones(1, dtype=fg.int8)).dtype == fg.int8
    assert x.to(dtype=fg.float64, device="cpu", copy=True).dtype == fg.float64
    assert x.to(fg.float64, False, copy=True).dtype == fg.float64


TO_TYPE_ERRORS = [
    (("cpu", "float32"), {}, "got (str, str)"),
    ((), {"dtype": "float32"}, "got (dtype=str, )"),
    ((), {"device": 1.0}, "got (device=float, )"),
    ((fg.float64,), {"non_blocking": 2}, "got (ferrograd.dtype, non_blocking=int)"),
    ((fg.float64,), {"copy": 1}, "got (ferrograd.dtype, copy=int)"),
    ((fg.float64, fg.float64), {}, "got (ferrograd.dtype, ferrograd.dtype)"),
    ((fg.int8, "cpu"), {}, "got (ferrograd.dtype, str)"),
    ((fg.ones(1),), {"device": "cpu"}, "got (Tensor, device=str)"),
    ((), {"other": fg.ones(1)}, "got (other=Tensor, )"),
    (([1],), {}, "got (list)"),
    ((fg.Size([2]),), {}, "got (Size)"),
]


@pytest.mark.parametrize("args, kwargs, got", TO_TYPE_ERRORS)
def test_to_refuses_what_fits_no_signature(args, kwargs, got):
    with pytest.raises(TypeError, match="to\\(\\) received an invalid combination of arguments") as info:
        fg.ones(2).to(*args, **kwargs)
    assert got in str(info.value)
    assert " * (Tensor tensor, bool non_blocking = False, bool copy = False" in str(info.value)


def test_to_positional_count_and_device_values():
    x = fg.ones(2)
    with pytest.raises(TypeError, match="to\\(\\) takes from 0 to 4 positional arguments but 5 were given"):
        x.to("cpu", fg.float64, False, False, False)
    with pytest.raises(RuntimeError, match="Device index must not be negative"):
        x.to(-1)
    with pytest.raises(ValueError, match=OVERFLOW):
        x.to(2**70)
    with pytest.raises(RuntimeError):
        x.to("float32")


# --- small ops against PyTorch's observed values ---------------------------------------


@pytest.mark.parametrize("dtype", [fg.int64, fg.int32, fg.int8, fg.uint8, fg.int16])
def test_reflect_and_replicate_pad_take_integers(dtype):
    x = fg.arange(12).reshape(1, 3, 4).to(dtype)
    reflect = F.pad(x, (1, 1), mode="reflect")
    replicate = F.pad(x, (1, 1), mode="replicate")
    assert reflect.dtype == dtype and replicate.dtype == dtype
    assert reflect.tolist() == [[[1, 0, 1, 2, 3, 2], [5, 4, 5, 6, 7, 6], [9, 8, 9, 10, 11, 10]]]
    assert replicate.tolist() == [[[0, 0, 1, 2, 3, 3], [4, 4, 5, 6, 7, 7], [8, 8, 9, 10, 11, 11]]]


def test_two_dim_integer_pad_matches_numpy():
    a = np.arange(2 * 3 * 4 * 5, dtype=np.int64).reshape(2, 3, 4, 5)
    got = F.pad(fg.tensor(a), (2, 1, 1, 3), mode="reflect").numpy()
    assert (got == np.pad(a, ((0, 0), (0, 0), (1, 3), (2, 1)), mode="reflect")).all()
    got = F.pad(fg.tensor(a), (2, 1, 1, 3), mode="replicate").numpy()
    assert (got == np.pad(a, ((0, 0), (0, 0), (1, 3), (2, 1)), mode="edge")).all()


def test_integer_pad_keeps_the_kernels_errors():
    with pytest.raises(RuntimeError):
        F.pad(fg.arange(3).reshape(1, 3), (3, 3), mode="reflect")  # pad >= size
    with pytest.raises(NotImplementedError, match="\"reflection_pad1d\" not implemented for 'Bool'"):
        F.pad(fg.ones(1, 3, dtype=fg.bool), (1, 1), mode="reflect")
    with pytest.raises(NotImplementedError, match="\"replication_pad1d\" not implemented for 'UInt16'"):
        F.pad(fg.ones(1, 3, dtype=fg.uint16), (1, 1), mode="replicate")


def test_cumsum_starts_from_plus_zero():
    # PyTorch: cumsum([-0., -0.]) is [0., 0.]; a 0-d input passes through
    out = fg.tensor([-0.0, -0.0, 1.0]).cumsum(0)
    assert [np.signbit(v) for v in out.tolist()] == [False, False, False]
    assert not np.signbit(fg.tensor([[-0.0, -0.0]]).cumsum(1)[0, 0].item())
    assert not np.signbit(fg.tensor([-0.0], dtype=fg.float64).cumsum(0).item())
    assert np.signbit(fg.tensor(-0.0).cumsum(0).item())
    assert np.signbit(fg.tensor([-0.0, 2.0]).cumprod(0)[1].item())  # cumprod keeps the sign


def _expanded(rows):
    return fg.tensor([[r] for r in rows]).expand(len(rows), 3)


def test_tril_triu_on_expanded_tensors_write_only_the_zeros():
    assert _expanded([1.0, -1.0]).tril_().tolist() == [[0.0] * 3, [0.0] * 3]
    assert _expanded([1.0, -1.0]).triu_(1).tolist() == [[0.0] * 3, [0.0] * 3]
    assert fg.ones(3, 1).expand(3, 3).tril_().tolist() == [[0.0] * 3, [0.0] * 3, [1.0] * 3]
    assert fg.ones(3, 1).expand(3, 3).triu_().tolist() == [[1.0] * 3, [0.0] * 3, [0.0] * 3]


def test_threshold_on_expanded_tensor():
    for call in (
        lambda x: F.threshold_(x, 0.5, 9.0),
        lambda x: fg.threshold_(x, 0.5, 9.0),
        lambda x: F.threshold(x, 0.5, 9.0, inplace=True),
    ):
        x = _expanded([1.0, 0.0])
        assert call(x) is x
        assert x.tolist() == [[1.0] * 3, [9.0] * 3]


def test_masked_fill_on_expanded_tensor_warns_and_writes():
    mask = fg.tensor([[True, False, False], [False, False, False]])
    with pytest.warns(UserWarning, match="Use of masked_fill_ on expanded tensors is deprecated"):
        out = _expanded([1.0, -1.0]).masked_fill_(mask, 5)
    assert out.tolist() == [[5.0] * 3, [-1.0] * 3]


def test_other_inplace_ops_still_refuse_expanded_tensors():
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor"):
        _expanded([1.0, -1.0]).relu_()


DEPRECATED = [
    (lambda: fg.ones(2).sub(2.0, 3.0), [-5.0, -5.0], "sub(Number alpha, Tensor other)"),
    (lambda: fg.ones(2).add(2, fg.ones(2)), [3.0, 3.0], "add(Number alpha, Tensor other)"),
    (lambda: fg.ones(2).add_(2, fg.ones(2)), [3.0, 3.0], "add_(Number alpha, Tensor other)"),
    (lambda: fg.ones(2).sub_(2, fg.ones(2)), [-1.0, -1.0], "sub_(Number alpha, Tensor other)"),
    (lambda: fg.addcmul(fg.ones(2), 2, fg.ones(2), fg.ones(2)), [3.0, 3.0],
     "addcmul(Tensor input, Number value, Tensor tensor1, Tensor tensor2, *, Tensor out = None)"),
    (lambda: fg.addcdiv(fg.ones(2), 2, fg.ones(2), fg.ones(2) * 4), [1.5, 1.5],
     "addcdiv(Tensor input, Number value, Tensor tensor1, Tensor tensor2, *, Tensor out = None)"),
    (lambda: fg.ones(2).addcmul(2, fg.ones(2), fg.ones(2)), [3.0, 3.0],
     "addcmul(Number value, Tensor tensor1, Tensor tensor2)"),
    (lambda: fg.ones(2).addcdiv_(2, fg.ones(2), fg.ones(2)), [3.0, 3.0],
     "addcdiv_(Number value, Tensor tensor1, Tensor tensor2)"),
]


@pytest.mark.parametrize("call, values, signature", DEPRECATED)
def test_deprecated_argument_orders_warn_and_compute(monkeypatch, call, values, signature):
    monkeypatch.setattr(importlib.import_module("ferrograd._deprecated_overloads"), "_warned", False)
    with pytest.warns(UserWarning, match="This overload of") as record:
        out = call()
    assert out.tolist() == values
    assert signature in str(record[0].message)


def test_deprecated_orders_share_one_warning_per_process(monkeypatch):
    monkeypatch.setattr(importlib.import_module("ferrograd._deprecated_overloads"), "_warned", False)
    x = fg.ones(2)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        fg.add(x, 2, x)
        x.sub(2.0, x)
        fg.addcmul(x, 2, x, x)
    assert len(record) == 1
    assert str(record[0].message).startswith("This overload of add is deprecated:")
    assert record[0].filename == __file__


def test_current_argument_orders_do_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert fg.ones(2).add(fg.ones(2), alpha=2).tolist() == [3.0, 3.0]
        assert fg.ones(2).addcmul(fg.ones(2), fg.ones(2), value=2).tolist() == [3.0, 3.0]


def test_tensor_of_array_keeps_dense_strides():
    a = np.arange(6.0).reshape(2, 3)
    assert fg.tensor(a.T).stride() == (1, 3)
    assert not fg.tensor(a.T).is_contiguous()
    assert fg.tensor(a.T).tolist() == a.T.tolist()
    assert fg.tensor(a[None]).stride() == (0, 3, 1)
    assert fg.tensor(a[:, None]).stride() == (3, 0, 1)
    b = np.arange(24.0).reshape(2, 3, 4).transpose(2, 0, 1)
    assert fg.tensor(b).stride() == (1, 12, 4)
    assert fg.tensor(b, dtype=fg.float32).stride() == (1, 12, 4)
    assert fg.tensor(b).tolist() == b.tolist()
    t = fg.tensor(a.T, requires_grad=True)
    assert t.is_leaf and t.requires_grad and t.stride() == (1, 3)


def test_tensor_of_gappy_or_broadcast_array_is_row_major():
    assert fg.tensor(np.ones((2, 6))[:, ::2]).stride() == (3, 1)
    assert fg.tensor(np.broadcast_to(np.arange(3.0), (2, 3))).stride() == (3, 1)


def test_negative_strides_are_refused():
    a = np.arange(6.0).reshape(2, 3)
    for make in (fg.tensor, fg.as_tensor, fg.from_numpy):
        with pytest.raises(ValueError, match="At least one stride in the given numpy array is negative"):
            make(a[:, ::-1])


def test_as_tensor_shares_the_arrays_memory():
    a = np.arange(6.0).reshape(2, 3)
    t = fg.as_tensor(a)
    a[0, 0] = 100.0
    assert t[0, 0].item() == 100.0
    assert fg.as_tensor(a.T).stride() == (1, 3)
    c = fg.as_tensor(a, dtype=fg.float32)
    a[0, 1] = 7.0
    assert c[0, 1].item() == 1.0  # a dtype change copies


# --- native_* entry points and RNN cells (values observed from PyTorch 2.13) ------------


def _x():
    return (fg.arange(24.0).reshape(2, 3, 4) / 7).sin()


def _close(got, want, tol=1e-5):
    np.testing.assert_allclose(np.asarray(got.tolist(), dtype=np.float64).ravel(), np.ravel(want), rtol=tol, atol=tol)


def test_native_layer_norm_returns_mean_and_rstd():
    x = _x().requires_grad_()
    out, mean, rstd = fg.native_layer_norm(x, [4], None, None, 1e-5)
    assert out.grad_fn.name() == "NativeLayerNormBackward0"
    assert mean.shape == (2, 3, 1) and rstd.shape == (2, 3, 1)
    _close(out, F.layer_norm(x, [4]).detach().numpy())
    _close(mean, [0.2099466, 0.6983396, 0.9648411, 0.9247724, 0.5908651, 0.0692154])
    _close(rstd, [6.4504466, 8.897417, 28.402952, 17.717499, 7.8583803, 6.3190646], 1e-4)


def test_native_batch_norm_statistics():
    x = _x()
    out, mean, invstd = fg.native_batch_norm(x, None, None, None, None, True, 0.1, 1e-5)
    _close(mean, [0.5673595, 0.6446024, 0.5170283])
    _close(invstd, [2.6597848, 7.6027904, 2.1633172], 1e-4)
    running_mean, running_var = fg.zeros(3), fg.ones(3)
    out, mean, invstd = fg.native_batch_norm(x, None, None, running_mean, running_var, False, 0.1, 1e-5)
    assert mean.shape == (0,) and invstd.shape == (0,)
    _close(out, (x / (1 + 1e-5) ** 0.5).numpy())


def test_native_group_norm_statistics():
    out, mean, rstd = fg.native_group_norm(_x(), None, None, 2, 3, 4, 1, 1e-5)
    _close(out, F.group_norm(_x(), 1).numpy())
    assert mean.shape == (2, 1) and rstd.shape == (2, 1)
    _close(mean, [0.6243758, 0.5282843])
    _close(rstd, [3.0103552, 2.6845088], 1e-4)


def test_native_dropout():
    x = fg.ones(1000, requires_grad=True)
    out, mask = fg.native_dropout(x, 0.25, True)
    assert mask.dtype == fg.bool and out.grad_fn.name() == "NativeDropoutBackward0"
    kept = mask.numpy()
    assert 0.6 < kept.mean() < 0.9
    _close(out, np.where(kept, 1 / 0.75, 0.0))
    out, mask = fg.native_dropout(x, 0.25, False)
    assert bool(mask.all()) and out.tolist() == x.tolist()


def test_native_norm_is_sparse_only():
    with pytest.raises(NotImplementedError, match="native_norm"):
        fg.native_norm(fg.ones(3))


def _cell_inputs():
    inp = (fg.arange(6.0).reshape(2, 3) / 5).cos()
    h = (fg.arange(8.0).reshape(2, 4) / 3).sin()
    c = (fg.arange(8.0).reshape(2, 4) / 4).cos()
    w_ih = (fg.arange(48.0).reshape(16, 3) / 11).sin()
    w_hh = (fg.arange(64.0).reshape(16, 4) / 13).cos()
    b_ih = fg.linspace(-1, 1, 16)
    b_hh = fg.linspace(1, -0.5, 16)
    return inp, h, c, w_ih, w_hh, b_ih, b_hh


def test_lstm_cell():
    inp, h, c, w_ih, w_hh, b_ih, b_hh = _cell_inputs()
    hy, cy = fg.lstm_cell(inp, (h, c), w_ih, w_hh, b_ih, b_hh)
    _close(hy, [0.159494, 0.108124, 0.041689, -0.021437, -0.0152, -0.041858, -0.086758, -0.177053])
    _close(cy, [1.596454, 1.079222, 0.345327, -0.159244, -0.290574, -0.670315, -0.919657, -1.047686])


def test_gru_and_rnn_cells():
    inp, h, _, w_ih, w_hh, b_ih, b_hh = _cell_inputs()
    _close(fg.gru_cell(inp, h, w_ih[:12], w_hh[:12], b_ih[:12], b_hh[:12]),
           [0.03421, 0.324625, 0.523293, 0.578169, 0.875772, 0.750082, 0.36083, -0.206396])
    _close(fg.rnn_tanh_cell(inp, h, w_ih[:4], w_hh[:4], b_ih[:4], b_hh[:4]),
           [0.964864, 0.989766, 0.995381, 0.996608, 0.998844, 0.999361, 0.999274, 0.998367])
    _close(fg.rnn_relu_cell(inp, h, w_ih[:4], w_hh[:4]),
           [2.011976, 2.601701, 2.967505, 3.088859, 3.727823, 3.991236, 3.893905, 3.454861])


def test_lstm_cell_gradient_matches_finite_differences():
    inp, h, c, w_ih, w_hh, b_ih, b_hh = (t.double() for t in _cell_inputs())
    w = w_ih.clone().requires_grad_()
    hy, cy = fg.lstm_cell(inp, (h, c), w, w_hh, b_ih, b_hh)
    (hy.sum() + cy.sum()).backward()
    eps = 1e-6
    bumped = w_ih.clone()
    bumped[3, 1] += eps
    hy2, cy2 = fg.lstm_cell(inp, (h, c), bumped, w_hh, b_ih, b_hh)
    numeric = ((hy2.sum() + cy2.sum()) - (hy.sum() + cy.sum())).item() / eps
    assert abs(w.grad[3, 1].item() - numeric) < 1e-4


def test_view_as_copies():
    z = fg.tensor([1 + 2j, 3 - 1j])
    r = fg.view_as_real_copy(z)
    assert r.tolist() == [[1.0, 2.0], [3.0, -1.0]]
    r[0, 0] = 9.0
    assert z[0].item() == 1 + 2j  # a copy, not a view
    assert fg.view_as_complex_copy(fg.tensor([[1.0, 2.0]])).tolist() == [1 + 2j]


# --- istft (values observed from PyTorch 2.13) ------------------------------------------


def _signal():
    return fg.tensor(np.sin(np.arange(64) / 3.0) + np.cos(np.arange(64) / 7.0), dtype=fg.float32)


def test_istft_inverts_stft():
    x, w = _signal(), fg.hann_window(16)
    s = fg.stft(x, 16, return_complex=True, window=w)
    y = fg.istft(s, 16, window=w)
    assert y.shape == (64,) and y.dtype == fg.float32
    _close(y, x.numpy())
    _close(s.istft(16, window=w), x.numpy())
    assert fg.istft(s, 16, window=w, length=70).shape == (70,)
    assert fg.istft(s, 16, window=w, length=20).shape == (20,)
    assert fg.istft(fg.stack([s, s]), 16, window=w).shape == (2, 64)
    two_sided = fg.stft(x, 16, return_complex=True, window=w, onesided=False)
    _close(fg.istft(two_sided, 16, window=w, onesided=False), x.numpy())
    assert fg.istft(two_sided, 16, window=w, onesided=False, return_complex=True).dtype == fg.complex64


def test_istft_of_a_modified_spectrum():
    x, w = _signal(), fg.hann_window(16)
    s = fg.stft(x, 16, return_complex=True, window=w)
    y = fg.istft(s * fg.linspace(0.5, 1.5, 17), 16, window=w)
    _close(y[::8], [0.5125, 0.54517, -1.10166, 0.02647, -1.08689, 1.7285, 0.68982, -0.45014], 1e-4)


def test_istft_gradient():
    w = fg.hann_window(16)
    x = fg.ones(64, requires_grad=True)
    spec = fg.stft(x, 16, return_complex=True, window=w)
    y = fg.istft(spec * fg.linspace(0.5, 1.5, 9).unsqueeze(1), 16, window=w)
    (y * fg.arange(64.0)).sum().backward()
    _close(x.grad[::8], [-0.3039, 4.3319, 8.6667, 13.0, 17.3333, 21.6667, 26.0, 30.2778], 1e-3)


def test_istft_errors_and_warning(monkeypatch):
    monkeypatch.setattr(fg._istft, "_warned_no_window", False)  # PyTorch warns once a process
    x, w = _signal(), fg.hann_window(16)
    s = fg.stft(x, 16, return_complex=True, window=w)
    with pytest.raises(RuntimeError, match="istft requires a complex-valued input tensor"):
        fg.istft(s.real, 16, window=w)
    with pytest.raises(RuntimeError, match="window overlap add min"):
        fg.istft(fg.stft(x, 16, center=False, window=w, return_complex=True), 16, window=w, center=False)
    with pytest.warns(UserWarning, match="A window was not provided"):
        fg.istft(s, 16)


@pytest.mark.parametrize(
    "module, flag, call, text",
    [
        ("_linalg_aliases", "_warned_cross_dim", lambda: fg.cross(fg.ones(3, 3), fg.ones(3, 3)),
         "Using torch.cross without specifying the dim arg is deprecated."),
        ("_shape", "_warned_meshgrid_indexing", lambda: fg.meshgrid(fg.ones(2), fg.ones(3)),
         "torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument."),
        ("_deprecated_overloads", "_warned", lambda: fg.ones(2).add(2, fg.ones(2)),
         "This overload of add is deprecated:"),
    ],
)
def test_deprecation_warnings_come_once_per_process(monkeypatch, module, flag, call, text):
    monkeypatch.setattr(importlib.import_module(f"ferrograd.{module}"), flag, False)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        call()
        call()
    assert [(w.category, str(w.message).split("\n")[0]) for w in record] == [(UserWarning, text.split("\n")[0])]


# --- histogramdd (values observed from PyTorch 2.13) ------------------------------------


def _points():
    return fg.tensor([[0.0, 1.0], [1.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.5, 1.5]])


def test_histogramdd_counts_and_edges():
    hist, edges = fg.histogramdd(_points(), bins=[3, 3])
    assert hist.tolist() == [[0.0, 1.0, 1.0], [1.0, 0.0, 0.0], [1.0, 0.0, 1.0]]
    assert len(edges) == 2
    _close(edges[0], [0.0, 2 / 3, 4 / 3, 2.0])
    out = fg.histogramdd(_points(), bins=[fg.tensor([0.0, 1.0, 2.0]), fg.tensor([0.0, 0.5, 2.0])])
    assert out.hist.tolist() == [[0.0, 2.0], [2.0, 1.0]]
    assert out.bin_edges[1].tolist() == [0.0, 0.5, 2.0]
    assert fg.histogramdd(_points().double(), bins=[2, 3]).hist.dtype == fg.float64


def test_histogramdd_weight_density_and_range():
    hist, edges = fg.histogramdd(_points(), bins=2, range=[0.0, 1.0, 0.0, 2.0], weight=fg.arange(5.0), density=True)
    _close(hist, [0.0, 0.0, 0.4, 1.6])
    assert [e.tolist() for e in edges] == [[0.0, 0.5, 1.0], [0.0, 1.0, 2.0]]


def test_histogramdd_errors():
    with pytest.raises(NotImplementedError, match="\"histogramdd\" not implemented for 'Long'"):
        fg.histogramdd(_points().long(), bins=2)
    with pytest.raises(RuntimeError, match="The size of bins must be equal to the innermost dimension"):
        fg.histogramdd(_points(), bins=[2, 3, 4])
    with pytest.raises(RuntimeError, match="range should have 4 elements, but got 2"):
        fg.histogramdd(_points(), bins=2, range=[0.0, 1.0])


# --- svd_lowrank / pca_lowrank ------------------------------------------------------------


def _rank_two():
    return np.outer(np.arange(1.0, 9.0), np.arange(1.0, 6.0)) + np.outer(np.cos(np.arange(8.0)), np.sin(np.arange(5.0)))


def test_svd_lowrank_recovers_a_low_rank_matrix():
    a = _rank_two()
    fg.manual_seed(0)
    U, S, V = fg.svd_lowrank(fg.tensor(a), q=3)
    assert (U.shape, S.shape, V.shape) == ((8, 3), (3,), (5, 3))
    _close(S[:2], np.linalg.svd(a, compute_uv=False)[:2], 1e-9)
    assert np.abs((U @ fg.diag(S) @ V.T).numpy() - a).max() < 1e-9
    U, S, V = fg.svd_lowrank(fg.tensor(a.T), q=3)  # a wide matrix
    assert (U.shape, V.shape) == ((5, 3), (8, 3))
    assert np.abs((U @ fg.diag(S) @ V.T).numpy() - a.T).max() < 1e-9


def test_pca_lowrank_centres_the_columns():
    a = _rank_two()
    fg.manual_seed(0)
    U, S, V = fg.pca_lowrank(fg.tensor(a), q=2)
    centred = a - a.mean(axis=0)
    _close(S, np.linalg.svd(centred, compute_uv=False)[:2], 1e-9)
    _close(np.abs(V[:, 0].numpy()), [0.134732, 0.273517, 0.408576, 0.539609, 0.670018])  # PyTorch's, up to sign
    assert np.abs((U @ fg.diag(S) @ V.T).numpy() - centred).max() < 1e-9
    _close(S, [48.099588, 2.941444], 1e-5)  # PyTorch 2.13's values
    with pytest.raises(ValueError, match="q\\(=9\\) must be non-negative integer and not greater than min\\(m, n\\)=5"):
        fg.pca_lowrank(fg.tensor(a), q=9)


def test_huge_slice_step_is_pytorchs_stride_error():
    x = fg.ones(3, 4)
    with pytest.raises(RuntimeError, match=r"as_strided: Negative strides are not supported at the moment, got strides: \[-4, 1\]"):
        x[:: 2**63]
    with pytest.raises(RuntimeError, match="Negative strides"):
        x[:: 2**70]
    assert x[:: 2**62].shape == (1, 4)  # the product wraps to 0 there, as in PyTorch


def test_integer_pow_keeps_the_parity_of_huge_exponents():
    # PyTorch: (-1) ** 2**32 is 1, (-1) ** (2**32 + 1) is -1, 2 ** 2**32 wraps to 0
    assert fg.pow(-1, fg.tensor(2**32)).item() == 1
    assert (fg.tensor(-1) ** fg.tensor(2**40)).item() == 1
    assert (fg.tensor(-1) ** (2**32 + 1)).item() == -1
    assert (fg.tensor(2) ** 2**32).item() == 0
    assert (fg.tensor(3) ** 5).item() == 243


# --- segment_reduce (values observed from PyTorch 2.13) ----------------------------------

SEGMENTS = [
    ("sum", None, [3.0, 0.0, 12.0, 6.0]),
    ("sum", 10.0, [13.0, 10.0, 22.0, 16.0]),
    ("mean", None, [1.5, math.nan, 4.0, 6.0]),
    ("mean", 10.0, [6.5, 10.0, 22.0 / 3, 16.0]),
    ("max", None, [2.0, -math.inf, 5.0, 6.0]),
    ("amax", 10.0, [10.0, 10.0, 10.0, 10.0]),
    ("min", None, [1.0, math.inf, 3.0, 6.0]),
    ("amin", 10.0, [1.0, 10.0, 3.0, 6.0]),
    ("prod", None, [2.0, 1.0, 60.0, 6.0]),
    ("prod", 10.0, [20.0, 10.0, 600.0, 60.0]),
]


@pytest.mark.parametrize("reduce, initial, want", SEGMENTS)
def test_segment_reduce_values(reduce, initial, want):
    data = fg.tensor([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    got = fg.segment_reduce(data, reduce, lengths=fg.tensor([2, 0, 3, 1]), initial=initial)
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-6)


def test_segment_reduce_offsets_axes_and_gradient():
    data = fg.tensor([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], requires_grad=True)
    lengths = fg.tensor([2, 0, 3, 1])
    assert fg.segment_reduce(data, "sum", offsets=fg.tensor([0, 2, 2, 5, 6])).tolist() == [3.0, 0.0, 12.0, 6.0]
    grid = fg.arange(12.0).reshape(3, 4)
    assert fg.segment_reduce(grid, "sum", lengths=fg.tensor([1, 2]), axis=0).tolist() == [
        [0.0, 1.0, 2.0, 3.0], [12.0, 14.0, 16.0, 18.0]]
    assert fg.segment_reduce(grid, "sum", lengths=fg.tensor([[1, 3], [2, 2], [4, 0]]), axis=1).tolist() == [
        [0.0, 6.0], [9.0, 13.0], [38.0, 0.0]]
    out = fg.segment_reduce(data, "mean", lengths=lengths)
    assert out.grad_fn.name() == "SegmentReduceBackward0"
    out.nansum().backward()
    _close(data.grad, [0.5, 0.5, 1 / 3, 1 / 3, 1 / 3, 1.0])
    data.grad = None
    fg.segment_reduce(data, "max", lengths=lengths)[[0, 2, 3]].sum().backward()
    assert data.grad.tolist() == [0.0, 1.0, 0.0, 0.0, 1.0, 1.0]


def test_segment_reduce_errors():
    data = fg.tensor([1.0, 2.0, 3.0])
    with pytest.raises(RuntimeError, match="Expected all rows of lengths along axis to sum"):
        fg.segment_reduce(data, "sum", lengths=fg.tensor([1, 1]))
    with pytest.raises(RuntimeError, match="reduce argument must be either sum, prod, mean, amax or amin, got foo"):
        fg.segment_reduce(data, "foo", lengths=fg.tensor([3]))
    with pytest.raises(RuntimeError, match="Either lengths or offsets must be defined"):
        fg.segment_reduce(data, "sum")
    with pytest.raises(NotImplementedError, match="not implemented for 'Float'"):
        fg.segment_reduce(data, "sum", lengths=fg.tensor([3.0]))
    with pytest.raises(NotImplementedError, match="\"_segment_reduce_cpu\" not implemented for 'Long'"):
        fg.segment_reduce(fg.tensor([1, 2, 3]), "sum", lengths=fg.tensor([1, 2]))
    with pytest.raises(RuntimeError, match="lengths contains negative value!"):
        fg.segment_reduce(data, "sum", lengths=fg.tensor([-1, 4]))


def test_slice_bound_at_int64_minimum_warns_of_truncation():
    x = fg.ones(3, 4)
    for key in (slice(-(2**63), None), slice(-(2**70), None)):
        with pytest.warns(UserWarning, match="Truncating the start/stop/step of slice"):
            assert x[key].shape == (3, 4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert x[: 2**63].shape == (3, 4)  # a stop past the end is clamped quietly
        assert x[: 2**63 - 1].shape == (3, 4)
