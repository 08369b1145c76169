"""Behaviours ported from PyTorch's test/nn/test_pooling.py, test_convolution, test_embedding,
test_init, test_module_hooks, test_parametrization, test/optim, test_serialization and
test_spectral_ops (session 35, helper port27): each expectation is PyTorch's."""

import pytest
from backend import fg

F = fg.nn.functional


# pooling: empty non-batch dims, random samples, kernel names, layouts


@pytest.mark.parametrize(("nd", "shape", "dim"), [(2, (1, 0, 8, 8), 1), (2, (1, 16, 0, 8), 2), (2, (16, 8, 0), 2),
                                                  (3, (1, 0, 8, 8, 8), 1), (3, (0, 0, 8, 8, 8), 1)])
def test_fractional_max_pool_refuses_an_empty_non_batch_dim(nd, shape, dim):
    name = "fractional_max_pool2d" if nd == 2 else "fractional_max_pool3d_out"
    message = (f"{name}(): Expected input to have non-zero size for non-batch dimensions, but got"
               f"{list(shape)} with dimension {dim} being empty.")
    with pytest.raises(RuntimeError) as info:
        getattr(F, f"fractional_max_pool{nd}d")(fg.ones(shape), 2, output_size=1)
    assert str(info.value) == message


def test_fractional_max_pool_pools_an_empty_batch():
    assert F.fractional_max_pool2d(fg.ones(0, 16, 8, 8), 2, output_size=1).shape == (0, 16, 1, 1)
    assert F.fractional_max_pool3d(fg.ones(0, 8, 8, 8), 2, output_size=1).shape == (0, 1, 1, 1)


@pytest.mark.parametrize(("samples", "message"), [
    ((0, 16, 2), "Expect _random_samples.size(0) no less then input batch size."),
    ((1, 15, 2), "Expect _random_samples.size(1) equals to input channel size."),
    ((1, 16), "Expect _random_samples to have 3 dimensions, got 2"),
    ((3, 16, 2, 1), "Expect _random_samples to have 3 dimensions, got 4"),
])
def test_fractional_max_pool_checks_its_random_samples(samples, message):
    with pytest.raises(RuntimeError) as info:
        F.fractional_max_pool2d(fg.ones(1, 16, 8, 8), 2, output_size=3, _random_samples=fg.full(samples, 0.5))
    assert str(info.value) == message


def test_fractional_max_pool_takes_more_samples_than_the_batch():
    x = fg.arange(16 * 64.0).view(1, 16, 8, 8)
    out = F.fractional_max_pool2d(x, 2, output_size=3, _random_samples=fg.full((2, 16, 2), 0.5))
    assert out.shape == (1, 16, 3, 3)
    assert out[0, 0].tolist() == [[9.0, 12.0, 15.0], [33.0, 36.0, 39.0], [57.0, 60.0, 63.0]]
    out = F.fractional_max_pool3d(fg.ones(16, 8, 8, 8), 2, output_size=3, _random_samples=fg.full((2, 16, 3), 0.5))
    assert out.shape == (16, 3, 3, 3)


@pytest.mark.parametrize(("fn", "shape", "dim"), [
    ("adaptive_max_pool1d", (1, 0, 5), 1), ("adaptive_max_pool1d", (2, 3, 0), 2), ("adaptive_max_pool1d", (3, 0), 1),
    ("adaptive_max_pool2d", (1, 0, 5, 5), 1), ("adaptive_max_pool2d", (0, 0, 5, 5), 1),
    ("adaptive_max_pool3d", (1, 0, 5, 5, 5), 1), ("adaptive_avg_pool3d", (0, 0, 5, 5, 5), 1),
])
def test_adaptive_pools_refuse_an_empty_non_batch_dim(fn, shape, dim):
    message = (f"{fn}(): Expected input to have non-zero size for non-batch dimensions, but input has sizes "
               f"{list(shape)} with dimension {dim} being empty")
    with pytest.raises(RuntimeError) as info:
        getattr(F, fn)(fg.ones(shape), 2)
    assert str(info.value) == message


def test_adaptive_avg_pool2d_pools_an_empty_channel_dim():
    assert F.adaptive_avg_pool2d(fg.ones(1, 0, 5, 5), 2).shape == (1, 0, 2, 2)
    assert F.adaptive_max_pool1d(fg.ones(0, 5), 2).shape == (0, 2)


@pytest.mark.parametrize(("fn", "sizes", "dim"), [
    ("adaptive_avg_pool2d", [1, 64, 0, 0], 2), ("adaptive_avg_pool3d", [1, 0, 0, 0], 1),
    ("adaptive_max_pool2d", [1, 64, 0, 0], 2), ("adaptive_max_pool3d", [1, 0, 0, 0], 1),
])
def test_adaptive_pools_to_size_zero_refuse_backward(fn, sizes, dim):
    x = fg.ones(1, 64, 10, 9, requires_grad=True)
    out = getattr(F, fn)(x, 0)
    assert list(out.shape) == sizes
    with pytest.raises(RuntimeError) as info:
        out.sum().backward()
    assert str(info.value) == (f"{fn}_backward(): Expected grad_output to have non-zero size for non-batch "
                               f"dimensions, but grad_output has sizes {sizes} with dimension {dim} being empty")


@pytest.mark.parametrize(("fn", "kernel"), [(F.adaptive_avg_pool1d, "adaptive_avg_pool2d"),
                                            (F.adaptive_max_pool1d, "adaptive_max_pool2d")])
def test_adaptive_pools_1d_to_size_zero_refuse_backward(fn, kernel):
    with pytest.raises(RuntimeError, match=rf"^{kernel}_backward\(\): .* grad_output has sizes \[1, 1, 0\] "
                                           "with dimension 2 being empty$"):
        fn(fg.ones(1, 64, requires_grad=True), 0).sum().backward()


@pytest.mark.parametrize("fn", ["adaptive_max_pool3d", "adaptive_avg_pool3d"])
@pytest.mark.parametrize(("dtype", "name"), [("bool", "Bool"), ("uint8", "Byte"), ("int64", "Long"),
                                             ("complex64", "ComplexFloat")])
def test_adaptive_pools_3d_name_their_cpu_kernel(fn, dtype, name):
    with pytest.raises(NotImplementedError) as info:
        getattr(F, fn)(fg.ones(2, 4, 4, 4, 4, dtype=getattr(fg, dtype)), 2)
    assert str(info.value) == f"\"{fn}_cpu\" not implemented for '{name}'"


def _channels_last_3d_input():
    return fg.arange(2 * 3 * 6 * 6 * 6.0).view(2, 3, 6, 6, 6).contiguous(memory_format=fg.channels_last_3d)


def test_max_pool3d_keeps_channels_last_3d():
    x = _channels_last_3d_input().requires_grad_()
    out, indices = F.max_pool3d(x, 2, return_indices=True)
    assert out.stride() == (81, 1, 27, 9, 3)
    assert indices.stride() == (81, 1, 27, 9, 3)
    assert out.grad_fn.name() == "MaxPool3DWithIndicesBackward0"
    out.sum().backward()
    assert x.grad.stride() == (648, 1, 108, 18, 3)


def test_max_pool3d_of_an_unbatched_channels_last_input():
    x = _channels_last_3d_input()[0].detach().requires_grad_()
    out = F.max_pool3d(x, 2)
    assert out.stride() == (1, 27, 9, 3)
    assert out.grad_fn.name() == "MaxPool3DWithIndicesBackward0"
    assert F.max_pool3d(x, 2, return_indices=True)[1].stride() == (1, 27, 9, 3)
    assert F.max_pool3d(fg.ones(3, 6, 6, 6), 2).stride() == (27, 9, 3, 1)


def test_conv3d_keeps_channels_last_3d():
    x = _channels_last_3d_input()
    out = F.conv3d(x, fg.ones(4, 3, 1, 1, 1))
    assert out.stride() == (864, 1, 144, 24, 4)
    assert F.conv3d(x[0], fg.ones(4, 3, 1, 1, 1)).stride() == (216, 36, 6, 1)


def test_adaptive_avg_pool_to_one_restrides_a_channels_last_mean():
    x = _channels_last_3d_input().requires_grad_()
    out = F.adaptive_avg_pool3d(x, 1)
    assert out.stride() == (3, 1, 3, 3, 3)
    assert out.grad_fn.name() == "AsStridedBackward1"
    assert F.adaptive_avg_pool3d(x[0], 1).grad_fn.name() == "MeanBackward1"
    y = fg.arange(2 * 3 * 16.0).view(2, 3, 4, 4).contiguous(memory_format=fg.channels_last).requires_grad_()
    out = F.adaptive_avg_pool2d(y, 1)
    assert out.stride() == (3, 1, 3, 3)
    assert out.grad_fn.name() == "AsStridedBackward1"
    assert out.grad_fn.next_functions[0][0].name() == "MeanBackward1"
    out.sum().backward()
    assert y.grad.stride() == (48, 1, 12, 3)
    assert y.grad[0, 0, 0].tolist() == [0.0625] * 4


@pytest.mark.parametrize(("nd", "kernel"), [(2, (1,)), (3, (1,)), (3, (1, 1))])
def test_fractional_max_pool_refuses_a_short_kernel_size(nd, kernel):
    count = "Ints" if nd == 2 else "three Ints"
    with pytest.raises(RuntimeError) as info:
        getattr(F, f"fractional_max_pool{nd}d")(fg.ones((2,) + (7,) * nd), kernel, output_size=3,
                                                _random_samples=fg.full((1, 2, nd), 0.3))
    assert str(info.value) == f"fractional_max_pool{nd}d: kernel_size must either be a single Int or tuple of {count}"


def test_fractional_max_pool_refuses_a_short_output_size_and_ratio():
    samples = fg.full((1, 2, 3), 0.3)
    with pytest.raises(RuntimeError, match="^fractional_max_pool3d: output_size must either be a single Int or "
                                           "tuple of three Ints$"):
        F.fractional_max_pool3d(fg.ones(2, 7, 7, 7), 2, output_size=(3, 3), _random_samples=samples)
    with pytest.raises(IndexError, match="^tuple index out of range$"):
        F.fractional_max_pool2d(fg.ones(1, 2, 7, 7), 2, output_ratio=[0.5])


@pytest.mark.parametrize(("fn", "shape", "node"), [(F.lp_pool1d, (1, 1, 6), "SqueezeBackward1"),
                                                   (F.lp_pool2d, (1, 2, 3), "MaxPool2DWithIndicesBackward0")])
def test_lp_pool_of_infinite_norm_is_a_max_of_magnitudes(fn, shape, node):
    x = fg.tensor([1.0, -3, 2, -0.5, 4, -6]).view(shape).requires_grad_()
    out = fn(x, float("inf"), 2)
    assert out.grad_fn.name() == node
    out.sum().backward()
    assert x.grad.flatten().tolist() == ([0.0, -1.0, 1.0, -0.0, 0.0, -1.0] if len(shape) == 3 and shape[2] == 6
                                         else [0.0, -0.0, 0.0, -0.0, 1.0, -0.0])
    neg = fn(x, -float("inf"), 2)
    assert neg.grad_fn.name() == "NegBackward0"
    assert neg.flatten().tolist() == ([1.0, 0.5, 4.0] if shape[2] == 6 else [0.5])


# convolution


def test_parser_names_a_parameter_by_its_class():
    p = fg.nn.Parameter(fg.ones(2))
    with pytest.raises(TypeError, match=r"^conv1d\(\) received an invalid combination of arguments - got "
                                         r"\(Parameter, NoneType, Parameter\), but expected one of:"):
        F.conv1d(p, None, p)
    with pytest.raises(TypeError, match=r"got \(NoneType, Parameter, Parameter, tuple, tuple, tuple, int\)"):
        fg.nn.Conv2d(3, 3, 3)(None)


def test_conv_transpose_output_size_error_prints_the_size_as_given():
    m = fg.nn.ConvTranspose2d(3, 4, 3, 3, 0, 2)
    x = fg.ones(2, 3, 6, 6)
    with pytest.raises(ValueError) as info:
        m(x, output_size=(15, 18))
    assert str(info.value) == (f"requested an output size of (15, 18), but valid sizes range from [18, 18] to "
                               f"[20, 20] (for an input of {fg.__name__}.Size([6, 6]))")
    with pytest.raises(ValueError, match=r"^requested an output size of \[21, 19\], "):
        m(x, output_size=[2, 4, 21, 19])
    with pytest.raises(ValueError, match=r"\(for an input of \w+\.Size\(\[6\]\)\)$"):  # [2:] of an unbatched one
        m(fg.ones(3, 6, 6), output_size=(1, 1))
    assert m(x, output_size=(19, 20)).shape == (2, 4, 19, 20)


def test_invalid_padding_string_prints_pytorchs_set():
    with pytest.raises(ValueError) as info:
        fg.nn.Conv1d(3, 33, 10, padding="foo")
    assert str(info.value) == f"Invalid padding string 'foo', should be one of {({'same', 'valid'})}"


# init


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_trunc_normal_fills_half_precision_within_bounds(dtype):
    t = fg.nn.init.trunc_normal_(fg.empty(50, 50, dtype=getattr(fg, dtype)), a=-0.5, b=0.5)
    assert t.dtype == getattr(fg, dtype)
    assert bool(((t >= -0.5) & (t <= 0.5)).all())


@pytest.mark.parametrize(("dtype", "name"), [("int64", "Long"), ("bool", "Bool")])
def test_trunc_normal_of_an_integer_tensor_fails_in_normal(dtype, name):
    with pytest.raises(NotImplementedError, match=f"^\"normal_kernel_cpu\" not implemented for '{name}'$"):
        fg.nn.init.trunc_normal_(fg.empty(3, 3, dtype=getattr(fg, dtype)))


@pytest.mark.parametrize(("dtype", "name"), [("float16", "Half"), ("bfloat16", "BFloat16")])
def test_orthogonal_of_half_precision_has_no_qr_kernel(dtype, name):
    with pytest.raises(NotImplementedError, match=f"^\"geqrf_cpu\" not implemented for '{name}'$"):
        fg.nn.init.orthogonal_(fg.empty(3, 3, dtype=getattr(fg, dtype)))


# module hooks, parametrizations, packed sequences


def test_forward_hook_kwarg_flags_are_ordered_dicts():
    m = fg.nn.Linear(1, 1)
    assert type(m._forward_hooks_with_kwargs).__name__ == "OrderedDict"
    assert type(m._forward_pre_hooks_with_kwargs).__name__ == "OrderedDict"


def test_orthogonal_keeps_its_map_as_an_enum_member():
    m = fg.nn.utils.parametrizations.orthogonal(fg.nn.Linear(3, 3))
    assert str(m.parametrizations.weight[0].orthogonal_map) == "_OrthMaps.matrix_exp"
    m = fg.nn.utils.parametrizations.orthogonal(fg.nn.Linear(3, 5), orthogonal_map="cayley")
    assert m.parametrizations.weight[0].orthogonal_map.name == "cayley"


def test_pad_sequence_copies_into_the_first_sequences_shape_and_dtype():
    rnn = fg.nn.utils.rnn
    a = fg.ones(3, 2, requires_grad=True)
    b = fg.arange(2.0).view(1, 2).requires_grad_()
    out = rnn.pad_sequence([a, b], padding_value=-1)
    assert out.grad_fn.name() == "torch::autograd::CopySlices"
    assert out.tolist() == [[[1.0, 1.0], [0.0, 1.0]], [[1.0, 1.0], [-1.0, -1.0]], [[1.0, 1.0], [-1.0, -1.0]]]
    out.sum().backward()
    assert b.grad.tolist() == [[1.0, 1.0]]
    assert rnn.pad_sequence([a.detach(), b.detach().double()]).dtype == fg.float32
    assert rnn.pad_sequence([fg.ones(2, 3), fg.ones(2, 1) * 2]).tolist() == [[[1.0] * 3, [2.0] * 3]] * 2
    left = rnn.pad_sequence([fg.ones(2, 3, dtype=fg.int64), fg.ones(1, 3)], batch_first=True, padding_value=0.5,
                            padding_side="left")
    assert left.dtype == fg.int64
    assert left[1].tolist() == [[0, 0, 0], [1, 1, 1]]


@pytest.mark.parametrize(("shapes", "a", "b"), [([(2,), (2, 3)], 2, 3), ([(2, 3), (2, 4)], 3, 4),
                                                ([(2, 3, 1), (2, 3)], 3, 2)])
def test_pad_sequence_refuses_a_shape_that_does_not_broadcast(shapes, a, b):
    with pytest.raises(RuntimeError, match=rf"^The size of tensor a \({a}\) must match the size of tensor b \({b}\) "
                                           "at non-singleton dimension 1$"):
        fg.nn.utils.rnn.pad_sequence([fg.ones(s) for s in shapes])


def test_pack_padded_sequence_names_its_node():
    x = fg.ones(4, 2, requires_grad=True)
    packed = fg.nn.utils.rnn.pack_padded_sequence(x, [4, 2])
    assert packed.data.grad_fn.name() == "PackPaddedSequenceBackward0"
    packed.data.sum().backward()
    assert x.grad.tolist() == [[1.0, 1.0], [1.0, 1.0], [1.0, 0.0], [1.0, 0.0]]


# optim, serialization


@pytest.mark.parametrize(("group", "kind"), [([1], "list"), (3, "int"), (None, "NoneType")])
def test_add_param_group_names_the_wrong_type_as_its_class(group, kind):
    opt = fg.optim.SGD([fg.ones(1, requires_grad=True)], lr=0.1)
    with pytest.raises(TypeError) as info:
        opt.add_param_group(group)
    assert str(info.value) == f"param_group must be a dict, but got <class '{kind}'>"


def test_load_of_an_empty_stream_raises_a_bare_eof_error_when_weights_only():
    import io

    with pytest.raises(EOFError) as info:
        fg.load(io.BytesIO(b""))
    assert str(info.value) == ""
    with pytest.raises(EOFError, match="^Ran out of input$"):
        fg.load(io.BytesIO(b""), weights_only=False)


# testing


@pytest.mark.parametrize(("actual", "expected", "text"), [(None, 1, "None is not 1"), (1, None, "1 is not None")])
def test_assert_close_compares_none(actual, expected, text):
    fg.testing.assert_close(None, None)
    with pytest.raises(AssertionError, match=f"^None mismatch: {text}$"):
        fg.testing.assert_close(actual, expected)
    with pytest.raises(AssertionError, match=r"\n\nThe failure occurred for item \[0\]$"):
        fg.testing.assert_close([actual], [expected])


def test_make_tensor_needs_a_device():
    with pytest.raises(TypeError, match="^make_tensor\\(\\) missing 1 required keyword-only argument: 'device'$"):
        fg.testing.make_tensor((2,), dtype=fg.float32)


@pytest.mark.parametrize("dtype", ["uint8", "int8", "int16", "int32"])
def test_forward_convolution_of_narrow_integers_wraps_in_their_dtype(dtype):
    x = fg.arange(-20, 20, dtype=fg.int8).view(1, 1, 5, 8).to(getattr(fg, dtype))
    w = fg.tensor([[[[100, -50], [27, 3]]]], dtype=fg.int8).to(getattr(fg, dtype))
    out = F.conv2d(x, w, stride=(1, 2))
    assert out.dtype == getattr(fg, dtype)
    expected = {"uint8": [129, 33, 193, 97], "int8": [-127, 33, -63, 97], "int16": [-1407, -1247, -1087, -927],
                "int32": [-1407, -1247, -1087, -927]}[dtype]
    assert out[0, 0, 0].tolist() == expected
    assert F.conv1d(fg.ones(1, 1, 3, dtype=getattr(fg, dtype)), fg.ones(1, 1, 2, dtype=getattr(fg, dtype))).tolist() \
        == [[[2, 2]]]


def test_a_channels_last_weight_makes_the_convolution_channels_last():
    x = fg.arange(2 * 3 * 36.0).view(2, 3, 6, 6).requires_grad_()
    w = fg.arange(4 * 3 * 9.0).view(4, 3, 3, 3).contiguous(memory_format=fg.channels_last).requires_grad_()
    out = F.conv2d(x, w)
    assert out.stride() == (64, 1, 16, 4)
    assert out.grad_fn.name() == "ConvolutionBackward0"
    out.sum().backward()
    assert x.grad.stride() == (108, 36, 6, 1)
    wt = fg.arange(3 * 4 * 9.0).view(3, 4, 3, 3).contiguous(memory_format=fg.channels_last)
    assert F.conv_transpose2d(x.detach(), wt).stride() == (256, 1, 32, 4)
    x5 = fg.arange(2 * 3 * 64.0).view(2, 3, 4, 4, 4)
    assert F.conv3d(x5, fg.ones(4, 3, 2, 2, 2).contiguous(memory_format=fg.channels_last_3d)).stride() \
        == (108, 1, 36, 12, 4)


def test_invalid_padding_mode_prints_pytorchs_set():
    with pytest.raises(ValueError) as info:
        fg.nn.Conv2d(1, 1, 3, padding_mode="foo")
    modes = {"zeros", "reflect", "replicate", "circular"}
    assert str(info.value) == f"padding_mode must be one of {modes}, but got padding_mode='foo'"


def test_full_backward_hook_changing_a_size_is_named_as_pytorchs_hook():
    m = fg.nn.Linear(2, 2)
    m.register_full_backward_hook(lambda mod, gi, go: (fg.ones(3),))
    with pytest.raises(RuntimeError, match="^hook 'hook' has changed the size of value$"):
        m(fg.ones(1, 2, requires_grad=True)).sum().backward()


def test_embedding_refuses_a_weight_of_another_shape():
    with pytest.raises(AssertionError, match="^Shape of weight does not match num_embeddings and embedding_dim$"):
        fg.nn.Embedding(5, 2, _weight=fg.ones(4, 2))
    assert fg.nn.Embedding(5, 2, _weight=fg.ones(5, 2), _freeze=True).weight.requires_grad is False


def test_scatter_reduce_warning_comes_before_the_reduce_check():
    import importlib
    import warnings

    message = ("The reduce argument of torch.scatter with Tensor src is deprecated and will be removed in a future "
               "PyTorch release. Use torch.scatter_reduce instead for more reduction options.")
    if fg.__name__ != "torch":
        importlib.import_module("ferrograd._user_warning")._warned_once.discard(message)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(RuntimeError, match="^reduce argument must be either add or multiply.$"):
            fg.zeros(3, 4).scatter_(0, fg.tensor([[0]]), fg.ones(1, 1), reduce="mean")
    if fg.__name__ != "torch":  # PyTorch warns once per process: an earlier test may have had it
        assert [str(w.message).split(" (Triggered")[0] for w in caught] == [message]
