"""Result layouts, double-backward node names and scalars at the edges of their dtypes,
against PyTorch 2.13's CPU behaviour (the strides, names and errors hard-coded here were
observed with it)."""

import ferrograd as torch
import ferrograd.nn.functional as F
import numpy as np
import pytest


def _transposed():
    return torch.tensor(np.arange(24, dtype=np.float32).reshape(4, 6)).t()  # (6, 4) strides (1, 6)


def _channels_last():
    x = torch.tensor(np.random.default_rng(0).standard_normal((2, 3, 4, 5)).astype(np.float32))
    return x.contiguous(memory_format=torch.channels_last)  # strides (60, 1, 15, 3)


def _channels_last_sliced():
    """Channels-last order with a gap in H: PyTorch still suggests channels last."""
    x = torch.tensor(np.random.default_rng(1).standard_normal((2, 3, 8, 5)).astype(np.float32))
    return x.contiguous(memory_format=torch.channels_last)[:, :, ::2]  # strides (120, 1, 30, 3)


# --- memory format of copies that follow their input ------------------------------------


@pytest.mark.parametrize("op", [
    lambda x: x.flip(0), lambda x: x.flip(-1), lambda x: x.sort(-1)[0], lambda x: x.sort(-1)[1],
    lambda x: x.sort(0)[0], lambda x: x.argsort(-1), lambda x: torch.randint_like(x, 5),
])
def test_flip_sort_argsort_randint_like_keep_a_transposed_layout(op):
    x = _transposed()
    assert op(x).stride() == (1, 6)


@pytest.mark.parametrize("op", [
    lambda x: x.flip(0), lambda x: x.sort(-1)[0], lambda x: x.argsort(1), lambda x: x.roll(1, 0),
    lambda x: torch.randint_like(x, 5),
])
def test_flip_sort_roll_keep_channels_last(op):
    assert op(_channels_last()).stride() == (60, 1, 15, 3)


def test_values_follow_the_layout_not_the_memory():
    x = _transposed()
    np.testing.assert_array_equal(x.flip(0).numpy(), np.flip(x.numpy(), 0))
    np.testing.assert_array_equal(x.sort(0)[0].numpy(), np.sort(x.numpy(), 0))
    np.testing.assert_array_equal(x.argsort(0).numpy(), np.argsort(x.numpy(), 0, kind="stable"))
    c = _channels_last()
    np.testing.assert_array_equal(c.roll(1, 0).numpy(), np.roll(c.numpy(), 1, 0))
    np.testing.assert_array_equal(torch.cat([c, c], 1).numpy(), np.concatenate([c.numpy()] * 2, 1))
    np.testing.assert_array_equal(torch.stack([c, c]).numpy(), np.stack([c.numpy()] * 2))


def test_roll_by_zero_and_over_all_elements_is_row_major():
    c = _channels_last()
    assert c.roll(0, 3).stride() == (60, 20, 5, 1)  # one piece is empty: cat is row-major
    assert c.roll(1).stride() == (60, 20, 5, 1)  # rolled flattened


def test_cat_and_stack_of_channels_last_stay_channels_last():
    for c in (_channels_last(), _channels_last_sliced()):
        assert torch.cat([c, c], 0).stride() == (60, 1, 15, 3)
        assert torch.cat([c, c], 1).stride() == (120, 1, 30, 6)
        assert torch.stack([c, c], 0).stride() == (120, 60, 1, 15, 3)
        assert torch.stack([c, c], -1).stride() == (120, 40, 10, 2, 1)
    c = _channels_last()
    assert torch.cat([c, c.contiguous()], 0).stride() == (60, 20, 5, 1)


def test_stack_result_is_not_a_view():
    c = _channels_last().requires_grad_()
    s = torch.stack([c, c])
    assert s._base is None
    assert s.grad_fn.name() == "StackBackward0"
    (g,) = torch.autograd.grad(s.sum(), c)
    np.testing.assert_array_equal(g.numpy(), np.full((2, 3, 4, 5), 2.0, np.float32))


def test_isnan_of_integers_keeps_the_layout():
    x = torch.tensor([[1, 2], [3, 4]]).t()
    assert torch.isnan(x).stride() == (1, 2)
    assert torch.isnan(x.bool()).stride() == (1, 2)


def test_pow_of_a_python_number_base_is_row_major():
    x = _transposed()
    assert (2 ** x).stride() == (4, 1)
    assert torch.pow(2, x).stride() == (4, 1)
    np.testing.assert_allclose((2 ** x).numpy(), 2.0 ** x.numpy(), rtol=1e-6)
    assert torch.pow(torch.tensor(2.0), x).stride() == (1, 6)  # a tensor base follows x


def test_randint_like_bounds_are_checked_against_the_dtype():
    with pytest.raises(RuntimeError, match="to - 1 is out of bounds for bool"):
        torch.randint_like(torch.ones(2, dtype=torch.bool), 5)
    with pytest.raises(RuntimeError, match="to - 1 is out of bounds for signed char"):
        torch.randint_like(torch.ones(2, dtype=torch.int8), 200)
    assert torch.randint_like(torch.ones(2, dtype=torch.bool), 2).dtype == torch.bool


def test_randint_like_draws_in_memory_order():
    torch.manual_seed(0)
    x = torch.zeros(3, 4).t()
    got = torch.randint_like(x, 10)
    # PyTorch 2.13, manual_seed(0): the draws fill the (1, 4)-strided memory in order
    # (a row-major draw of the same seed is [[4, 9, 3], [0, 3, 9], [7, 3, 7], [3, 1, 6]])
    assert got.tolist() == [[4.0, 3.0, 7.0], [9.0, 9.0, 3.0], [3.0, 7.0, 1.0], [0.0, 3.0, 6.0]]


# --- image ops: the format the input suggests -------------------------------------------


@pytest.mark.parametrize("op, strides", [
    (lambda x: F.conv2d(x, torch.ones(4, 3, 3, 3), padding=1), (80, 1, 20, 4)),
    (lambda x: F.max_pool2d(x, 2), (12, 1, 6, 3)),
    (lambda x: F.max_pool2d(x, 2, return_indices=True)[1], (12, 1, 6, 3)),
    (lambda x: F.avg_pool2d(x, 2), (12, 1, 6, 3)),
    (lambda x: F.adaptive_avg_pool2d(x, 1), (3, 1, 3, 3)),
    (lambda x: F.group_norm(x, 3), (60, 1, 15, 3)),
    (lambda x: F.interpolate(x, scale_factor=2), (240, 1, 30, 3)),
    (lambda x: F.interpolate(x, scale_factor=2, mode="bilinear"), (240, 1, 30, 3)),
    (lambda x: F.pad(x, (1, 1, 1, 1)), (126, 1, 21, 3)),
])
def test_image_ops_on_gapped_channels_last_input_give_channels_last(op, strides):
    assert op(_channels_last_sliced()).stride() == strides


@pytest.mark.parametrize("op, strides", [
    (lambda x: F.pad(x, (1, 1, 1, 1)), (126, 1, 21, 3)),
    (lambda x: F.pad(x, (1, 1, 1, 1), mode="reflect"), (126, 1, 21, 3)),
    (lambda x: F.adaptive_avg_pool2d(x, 1), (3, 1, 3, 3)),
    (lambda x: F.adaptive_max_pool2d(x, 1)[0] if isinstance(F.adaptive_max_pool2d(x, 1), tuple)
     else F.adaptive_max_pool2d(x, 1), (3, 1, 3, 3)),
    (lambda x: F.pixel_shuffle(torch.cat([x, x, x, x], 1)[:, :8], 2), (160, 1, 20, 2)),
    (lambda x: F.channel_shuffle(x, 3), (60, 1, 15, 3)),
])
def test_image_ops_on_channels_last_input_give_channels_last(op, strides):
    assert op(_channels_last()).stride() == strides


@pytest.mark.parametrize("make", [
    lambda: _channels_last().transpose(2, 3),  # NCWH in memory: not channels last
    lambda: torch.tensor(np.ones((1, 3, 4, 5), np.float32)).contiguous(
        memory_format=torch.channels_last).expand(2, 3, 4, 5),  # a stride-0 batch dim
])
def test_norms_of_other_layouts_are_row_major(make):
    x = make()
    shape = tuple(x.shape)
    row_major = (shape[1] * shape[2] * shape[3], shape[2] * shape[3], shape[3], 1)
    assert F.batch_norm(x, torch.zeros(3), torch.ones(3), training=True).stride() == row_major
    assert F.batch_norm(x, torch.zeros(3), torch.ones(3)).stride() == row_major
    assert F.group_norm(x, 3).stride() == row_major
    assert F.channel_shuffle(x, 3).stride() == row_major


def test_relayout_keeps_values_and_the_op_node():
    x = _channels_last_sliced().requires_grad_()
    y = F.max_pool2d(x, 2)
    assert y.grad_fn.name() == "MaxPool2DWithIndicesBackward0"
    ref = x.detach().numpy()[..., :4].reshape(2, 3, 2, 2, 2, 2).max(axis=(3, 5))
    np.testing.assert_array_equal(y.detach().numpy(), ref)


# --- names of double-backward graphs ----------------------------------------------------


def _graph_names(fn) -> list:
    """Every node name reachable from `fn` through next_functions, sorted."""
    names, seen, stack = [], set(), [fn]
    while stack:
        f = stack.pop()
        if f is None or id(f) in seen:
            continue
        seen.add(id(f))
        names.append(f.name())
        stack.extend(nf for nf, _ in f.next_functions)
    return sorted(names)


@pytest.mark.parametrize("op, names", [
    (lambda x: x.tanh(), ["TanhBackward0", "TanhBackwardBackward0", "torch::autograd::AccumulateGrad"]),
    (lambda x: x.sigmoid(),
     ["SigmoidBackward0", "SigmoidBackwardBackward0", "torch::autograd::AccumulateGrad"]),
    (lambda x: x.relu(), ["ReluBackward0", "ThresholdBackwardBackward0", "torch::autograd::AccumulateGrad"]),
])
def test_double_backward_graph_names(op, names):
    x = torch.tensor([[0.3, -0.5, 1.2], [-2.0, 0.7, 0.1]], requires_grad=True)
    y = op(x)
    v = torch.tensor([[0.5, 0.7, 0.9], [1.1, 1.3, 1.5]])
    (gx,) = torch.autograd.grad(y, x, v, create_graph=True)
    assert _graph_names(gx.grad_fn) == names


@pytest.mark.parametrize("log, names", [
    (False, ["SoftmaxBackward0", "SoftmaxBackwardDataBackward0", "torch::autograd::AccumulateGrad"]),
    (True, ["LogSoftmaxBackward0", "LogSoftmaxBackwardDataBackward0", "torch::autograd::AccumulateGrad"]),
])
def test_softmax_double_backward_names_and_values(log, names):
    xs = np.array([[0.3, -0.5, 1.2], [-2.0, 0.7, 0.1]])
    vs = np.array([[0.5, 0.7, 0.9], [1.1, 1.3, 1.5]])

    def first_grad(x_np, create_graph):
        x = torch.tensor(x_np, requires_grad=True)
        y = x.log_softmax(-1) if log else x.softmax(-1)
        (gx,) = torch.autograd.grad(y, x, torch.tensor(vs), create_graph=create_graph)
        return x, gx

    x, gx = first_grad(xs, True)
    assert _graph_names(gx.grad_fn) == names
    (gg,) = torch.autograd.grad(gx.pow(2).sum(), x)
    # central differences of sum(gx²) in float64
    h, want = 1e-6, np.zeros_like(xs)
    for i in np.ndindex(xs.shape):
        up, down = xs.copy(), xs.copy()
        up[i] += h
        down[i] -= h
        f = lambda a: float((first_grad(a, False)[1].numpy() ** 2).sum())
        want[i] = (f(up) - f(down)) / (2 * h)
    np.testing.assert_allclose(gg.numpy(), want, rtol=1e-5, atol=1e-7)


def test_double_backward_values_through_named_nodes():
    xs = np.array([0.3, -0.5, 1.2], np.float64)
    x = torch.tensor(xs, requires_grad=True)
    (g,) = torch.autograd.grad(x.tanh().sum(), x, create_graph=True)
    (gg,) = torch.autograd.grad(g.sum(), x)
    t = np.tanh(xs)
    np.testing.assert_allclose(gg.numpy(), -2 * t * (1 - t * t), rtol=1e-12)
    x = torch.tensor(xs, requires_grad=True)
    (g,) = torch.autograd.grad(x.sigmoid().sum(), x, create_graph=True)
    (gg,) = torch.autograd.grad(g.sum(), x)
    s = 1 / (1 + np.exp(-xs))
    np.testing.assert_allclose(gg.numpy(), s * (1 - s) * (1 - 2 * s), rtol=1e-12)
    x = torch.tensor(xs, requires_grad=True)
    (g,) = torch.autograd.grad(x.relu().sum(), x, create_graph=True)
    (gg,) = torch.autograd.grad(g.sum(), x)
    np.testing.assert_array_equal(gg.numpy(), np.zeros(3))


def test_gradient_of_the_incoming_gradient_through_a_named_node():
    x = torch.tensor([0.3, -0.5], dtype=torch.float64, requires_grad=True)
    v = torch.tensor([2.0, 3.0], dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(x.tanh(), x, v, create_graph=True)
    (gv,) = torch.autograd.grad(g.sum(), v)
    np.testing.assert_allclose(gv.numpy(), 1 - np.tanh([0.3, -0.5]) ** 2, rtol=1e-12)


# --- scalars at the edges ---------------------------------------------------------------


@pytest.mark.parametrize("dtype, cname", [
    ("uint8", "uint8_t"), ("int8", "int8_t"), ("int16", "int16_t"), ("int32", "int"), ("int64", "int64_t"),
])
@pytest.mark.parametrize("value", [2**63, 2**64 - 1])
def test_threshold_refuses_a_number_its_integer_dtype_cannot_hold(dtype, cname, value):
    x = torch.tensor([1, 2], dtype=getattr(torch, dtype))
    with pytest.raises(RuntimeError, match=f"value cannot be converted to type {cname} without overflow"):
        F.threshold(x, value, 1)
    with pytest.raises(RuntimeError, match=f"value cannot be converted to type {cname} without overflow"):
        F.threshold(x, 1, value)


def test_threshold_integer_bounds_as_pytorch():
    x8 = torch.tensor([1, 2], dtype=torch.uint8)
    assert F.threshold(x8, 1, -255).tolist() == [1, 2]  # -255 wraps to 1
    assert F.threshold(x8, 1, -129).tolist() == [127, 2]
    with pytest.raises(RuntimeError, match="uint8_t"):
        F.threshold(x8, 1, -256)
    with pytest.raises(RuntimeError, match="int8_t"):
        F.threshold(torch.tensor([1, 2], dtype=torch.int8), 128, 1)
    assert F.threshold(torch.tensor([1, 2]), 2**31, 7).tolist() == [7, 7]


@pytest.mark.parametrize("dtype", ["uint16", "uint32", "uint64"])
def test_ops_without_kernels_for_wide_unsigned_refuse_before_the_value(dtype):
    x = torch.tensor([1, 2], dtype=getattr(torch, dtype))
    name = {"uint16": "UInt16", "uint32": "UInt32", "uint64": "UInt64"}[dtype]
    for call, kernel in [
        (lambda v: F.threshold(x, v, 1), "threshold_cpu"),
        (lambda v: x.masked_fill(torch.tensor([True, False]), v), "masked_fill"),
        (lambda v: torch.isin(v, x), "isin_default_cpu"),
        (lambda v: x.index_fill(0, torch.tensor([0]), v), "index_fill_cpu"),
    ]:
        for v in (1, 2**63):
            with pytest.raises(NotImplementedError, match=f'"{kernel}" not implemented for \'{name}\''):
                call(v)


@pytest.mark.parametrize("dtype, cname", [("uint16", "uint16_t"), ("uint32", "uint32_t")])
@pytest.mark.parametrize("value", [2**63, 2**64 - 1])
def test_narrow_unsigned_fills_refuse_uint64_range_numbers(dtype, cname, value):
    x = torch.tensor([1, 2], dtype=getattr(torch, dtype))
    with pytest.raises(RuntimeError, match=f"value cannot be converted to type {cname} without overflow"):
        x.fill_(value)
    with pytest.raises(RuntimeError, match=f"value cannot be converted to type {cname} without overflow"):
        torch.full((2,), value, dtype=getattr(torch, dtype))


def test_uint64_tensors_take_uint64_range_numbers():
    x = torch.tensor([1, 2], dtype=torch.uint64)
    assert x.clone().fill_(2**63).tolist() == [2**63, 2**63]
    assert x.clone().fill_(2**64 - 1).tolist() == [2**64 - 1, 2**64 - 1]
    assert torch.full((2,), 2**64 - 1, dtype=torch.uint64).tolist() == [2**64 - 1, 2**64 - 1]
    assert torch.isin(x, 2**63).tolist() == [False, False]


def test_lerp_weight_past_int64():
    x = torch.tensor([1.0, 2.0])
    np.testing.assert_allclose(torch.lerp(x, x + 1, 2**63).numpy(), [2.0**63 + 1, 2.0**63 + 2], rtol=1e-6)
    with pytest.raises(OverflowError, match="int too big to convert"):
        torch.lerp(x, x + 1, 2**64)
    with pytest.raises(OverflowError, match="can't convert negative int to unsigned"):
        torch.lerp(x, x + 1, -(2**63) - 1)
    with pytest.raises(NotImplementedError, match="\"lerp_kernel_scalar\" not implemented for 'Long'"):
        torch.lerp(torch.tensor([1, 2]), torch.tensor([1, 2]), 2**63)


def test_complex_fills_overflow_as_pytorch():
    c32 = torch.tensor([1.0, 2.0], dtype=torch.complex32)
    # fill_ and full go through complex<float>: past float16's range is inf, past float32's an error
    assert torch.full((2,), 1e5, dtype=torch.complex32).tolist() == [complex("inf"), complex("inf")]
    with pytest.raises(RuntimeError, match=r"c10::complex<c10::Half>"):  # one element: its own check
        torch.full((1,), 1e5, dtype=torch.complex32)
    with pytest.raises(RuntimeError, match=r"value cannot be converted to type c10::complex<float> without"):
        c32.clone().fill_(1e39)
    with pytest.raises(RuntimeError, match=r"c10::complex<float>"):
        torch.tensor([1.0, 2.0], dtype=torch.complex64).fill_(1e39)
    # masked_fill converts to the element type itself
    with pytest.raises(RuntimeError, match=r"value cannot be converted to type c10::complex<c10::Half> without"):
        c32.masked_fill(torch.tensor([True, False]), 70000)
    with pytest.raises(RuntimeError, match=r"c10::complex<float>"):
        torch.tensor([1.0, 2.0], dtype=torch.complex64).masked_fill(torch.tensor([True, False]), 1e39)
    with pytest.raises(RuntimeError, match=r"value cannot be converted to type c10::Half without overflow"):
        torch.tensor([1.0, 2.0], dtype=torch.float16).fill_(1e5)


def test_complex_to_real_cast_warns_once_per_process(monkeypatch):
    import warnings

    monkeypatch.setattr("ferrograd._user_warning._warned_once", set())
    z = torch.tensor([1 + 2j, 3 + 4j])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        z.to(torch.float32)
        z.float()
        z.to(torch.float64)
    assert len(caught) == 1
    assert str(caught[0].message).startswith("Casting complex values to real discards the imaginary part")
    assert caught[0].filename == __file__


def test_slice_inverse_is_a_view_of_the_sliced_tensors_base():
    src = torch.arange(10.0, requires_grad=True) * 1
    r = torch.slice_inverse(src[2:8:2], src, 0, 2, 8, 2)
    assert r._base is src
    assert r.grad_fn.name() == "SliceInverseBackward0"
    plain = torch.arange(10.0)
    assert torch.slice_inverse(plain[2:8:2], plain, 0, 2, 8, 2)._base is plain


def _pack_count(fn) -> int:
    packs = []

    def pack(t):
        packs.append(t)
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        fn()
    return len(packs)


def test_saved_tensor_counts_of_composite_losses():
    x = torch.randn(3, 4, requires_grad=True)
    y = torch.tensor(np.eye(3, 4, dtype=np.float32))
    var = torch.rand(3, 4, requires_grad=True) + 0.1
    # PyTorch 2.13's pack-hook calls
    assert _pack_count(lambda: F.gaussian_nll_loss(x, y, var)) == 4
    assert _pack_count(lambda: F.gaussian_nll_loss(x, y, var, full=True, reduction="sum")) == 4
    assert _pack_count(lambda: F.multilabel_soft_margin_loss(x, y)) == 6
    assert _pack_count(lambda: F.multilabel_soft_margin_loss(x, y, weight=torch.ones(4), reduction="none")) == 7


@pytest.mark.parametrize("op", [
    lambda t: t.tanh(), lambda t: t.sigmoid(), lambda t: t.relu(), lambda t: t.softmax(-1),
    lambda t: t.log_softmax(-1), lambda t: t.log_softmax(0),
])
def test_named_double_backward_nodes_pass_gradgradcheck(op):
    x = torch.tensor([[0.3, -0.5, 1.2], [-2.0, 0.7, 0.1]], dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradgradcheck(op, (x,))
