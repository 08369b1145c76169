"""Quantized tensors: the quantized dtypes and schemes, `quantize_per_tensor` and
`quantize_per_channel` with PyTorch's rounding, dequantizing, the accessors, the printed
form, PyTorch's errors for misuse and for ops without a quantized kernel, and the dense
fake-quantize functions with their straight-through gradient. Every expectation is
PyTorch's (the file passes with FG_TEST_BACKEND=torch)."""

import copy
import pickle
import warnings

import pytest
from backend import MOD, fg

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")  # PyTorch deprecates quantized creation

X = [-1.0, 0.0, 0.05, 0.15, 0.25, 1.0, 30.0]
W = [[-1.0, 0.5, 2.0], [0.3, 0.25, -0.75]]
PROMOTE = "promoteTypes with quantized numbers is not handled yet; figure out what the correct rules should be, offending types: "


def per_tensor():
    return fg.quantize_per_tensor(fg.tensor(X), 0.1, 10, fg.quint8)


def per_channel():
    return fg.quantize_per_channel(fg.tensor(W), fg.tensor([0.1, 0.5]), fg.tensor([0, 2]), 0, fg.qint8)


@pytest.mark.parametrize("name, itemsize", [("qint8", 1), ("quint8", 1), ("qint32", 4), ("quint4x2", 1),
                                            ("quint2x4", 1)])
def test_quantized_dtypes(name, itemsize):
    dt = getattr(fg, name)
    assert repr(dt) == str(dt) == f"{MOD}.{name}"
    assert dt.is_floating_point is False
    assert dt.is_complex is False
    assert dt.itemsize == itemsize
    assert dt.to_real() is dt
    assert dt == getattr(fg, name) and dt != fg.int8 and hash(dt) == hash(getattr(fg, name))
    with pytest.raises(RuntimeError, match="isSignedType not supported for quantized types"):
        dt.is_signed  # noqa: B018
    assert pickle.loads(pickle.dumps(dt)) is dt
    assert copy.deepcopy(dt) is dt


def test_to_complex_of_a_quantized_dtype_raises():
    with pytest.raises(RuntimeError, match="Unknown Complex ScalarType for QUInt8"):
        fg.quint8.to_complex()


@pytest.mark.parametrize("name", ["per_tensor_affine", "per_channel_affine", "per_tensor_symmetric",
                                  "per_channel_symmetric", "per_channel_affine_float_qparams"])
def test_qschemes(name):
    scheme = getattr(fg, name)
    assert repr(scheme) == str(scheme) == f"{MOD}.{name}"
    assert type(scheme) is fg.qscheme
    assert pickle.loads(pickle.dumps(scheme)) is scheme
    with pytest.raises(TypeError, match="cannot create"):
        fg.qscheme()


def test_quantize_per_tensor_values_and_accessors():
    q = per_tensor()
    assert q.is_quantized and not fg.tensor(X).is_quantized
    assert isinstance(q, fg.Tensor)
    assert q.dtype == fg.quint8
    assert q.qscheme() is fg.per_tensor_affine
    assert q.q_scale() == 0.1 and q.q_zero_point() == 10
    assert q.shape == fg.Size([7]) and q.size() == fg.Size([7]) and q.size(0) == 7
    assert (q.dim(), q.numel(), len(q), q.ndim) == (1, 7, 7, 1)
    assert (q.element_size(), q.itemsize, q.nbytes) == (1, 1, 7)
    assert q.layout == fg.strided and q.device == fg.device("cpu")
    assert q.requires_grad is False and q.grad_fn is None
    assert q.is_floating_point() is False and q.is_contiguous()
    ints = q.int_repr()
    assert ints.dtype == fg.uint8
    assert ints.tolist() == [0, 10, 10, 12, 12, 20, 255]
    assert fg.int_repr(q).tolist() == ints.tolist()
    deq = q.dequantize()
    assert deq.dtype == fg.float32
    assert deq.tolist() == pytest.approx([-1.0, 0.0, 0.0, 0.2, 0.2, 1.0, 24.5])
    assert fg.dequantize(q).tolist() == deq.tolist()
    assert q.type() == f"{MOD}.quantized.QUInt8Tensor"


def test_repr_of_a_per_tensor_quantized_tensor():
    assert repr(per_tensor()) == (
        "tensor([-1.0000,  0.0000,  0.0000,  0.2000,  0.2000,  1.0000, 24.5000],\n"
        f"       size=(7,), dtype={MOD}.quint8,\n"
        f"       quantization_scheme={MOD}.per_tensor_affine, scale=0.1, zero_point=10)")
    assert str(per_tensor()) == repr(per_tensor())
    q = fg.quantize_per_tensor(fg.arange(6.).reshape(2, 3), 0.5, 1, fg.qint8)
    assert repr(q) == (
        "tensor([[0., 1., 2.],\n"
        f"        [3., 4., 5.]], size=(2, 3), dtype={MOD}.qint8,\n"
        f"       quantization_scheme={MOD}.per_tensor_affine, scale=0.5, zero_point=1)")
    assert repr(fg.quantize_per_tensor(fg.tensor(1.5), 0.5, 1, fg.qint8)) == (
        f"tensor(1.5000, size=(), dtype={MOD}.qint8,\n"
        f"       quantization_scheme={MOD}.per_tensor_affine, scale=0.5, zero_point=1)")
    assert repr(fg.quantize_per_tensor(fg.tensor([]), 0.5, 1, fg.qint8)) == (
        f"tensor([], size=(0,), dtype={MOD}.qint8,\n"
        f"       quantization_scheme={MOD}.per_tensor_affine, scale=0.5, zero_point=1)")
    assert repr(fg.quantize_per_tensor(fg.tensor(X), 1 / 3, 0, fg.qint8)) == (
        "tensor([-1.0000,  0.0000,  0.0000,  0.0000,  0.3333,  1.0000, 30.0000],\n"
        f"       size=(7,), dtype={MOD}.qint8, quantization_scheme={MOD}.per_tensor_affine,\n"
        "       scale=0.3333333333333333, zero_point=0)")


def test_summarized_repr():
    q = fg.quantize_per_tensor(fg.arange(2000.), 1.0, 0, fg.qint32)
    assert repr(q) == (
        "tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n"
        f"        1.9990e+03], size=(2000,), dtype={MOD}.qint32,\n"
        f"       quantization_scheme={MOD}.per_tensor_affine, scale=1.0, zero_point=0)")


def test_rounding_is_half_to_even_after_adding_the_zero_point():
    x = fg.tensor([0.5, 1.5, 2.5, -0.5, -1.5, 3.5] * 3)
    for dtype in (fg.qint8, fg.quint8, fg.qint32):
        assert fg.quantize_per_tensor(x, 1.0, 1, dtype).int_repr()[:6].tolist() == [2, 2, 4, 0, 0, 4]
        assert fg.quantize_per_tensor(x, 1.0, 2, dtype).int_repr()[:6].tolist() == [2, 4, 4, 2, 0, 6]
    # the sub-byte dtypes round first, then add the zero point
    q = fg.quantize_per_tensor(x, 1.0, 1, fg.quint4x2)
    assert q.dequantize()[:6].tolist() == [0.0, 2.0, 2.0, 0.0, -1.0, 4.0]
    x = fg.tensor([0.05, 0.15, 0.25, 0.35, 0.45])
    assert fg.quantize_per_tensor(x, 0.1, 0, fg.qint8).int_repr().tolist() == [0, 2, 2, 4, 4]


def test_other_dtypes_clamp_to_their_range():
    x = fg.tensor(X)
    q = fg.quantize_per_tensor(x, 0.05, 0, fg.qint8)
    assert q.int_repr().tolist() == [-20, 0, 1, 3, 5, 20, 127]
    q = fg.quantize_per_tensor(x, 0.05, 3, fg.qint32)
    assert q.int_repr().dtype == fg.int32
    assert q.int_repr().tolist() == [-17, 3, 4, 6, 8, 23, 603]
    assert q.element_size() == 4
    nan = fg.tensor([float("nan"), float("inf"), -float("inf")])
    assert fg.quantize_per_tensor(nan, 0.1, 0, fg.qint8).int_repr().tolist() == [127, 127, -128]


def test_sub_byte_dtypes_pack_into_bytes():
    q = fg.quantize_per_tensor(fg.tensor(X), 0.1, 2, fg.quint4x2)
    assert q.int_repr().tolist() == [32, 66, 196, 15]
    assert q.int_repr().dtype == fg.uint8
    assert q.dequantize().tolist() == pytest.approx([-0.2, 0.0, 0.0, 0.2, 0.2, 1.0, 1.3])
    assert q.dtype == fg.quint4x2 and q.shape == (7,)
    q = fg.quantize_per_tensor(fg.tensor(X), 0.5, 1, fg.quint2x4)
    assert q.int_repr().tolist() == [84, 61]


def test_tensor_scale_and_zero_point_and_a_list_of_tensors():
    x = fg.tensor(X)
    q = fg.quantize_per_tensor(x, fg.tensor(0.1), fg.tensor(10), fg.quint8)
    assert q.q_scale() == 0.10000000149011612  # read as float32
    assert q.int_repr().tolist() == [0, 10, 10, 12, 12, 20, 255]
    a, b = fg.quantize_per_tensor([x, x * 2], fg.tensor([0.1, 0.2]), fg.tensor([1, 2]), fg.quint8)
    assert a.int_repr().tolist() == [0, 1, 2, 2, 4, 11, 255]
    assert (b.q_scale(), b.q_zero_point()) == (0.20000000298023224, 2)
    assert b.int_repr().tolist() == [0, 2, 2, 4, 4, 12, 255]
    assert [t.tolist() for t in fg.dequantize([a, b])] == [a.dequantize().tolist(), b.dequantize().tolist()]


def test_quantize_per_channel():
    q = per_channel()
    assert q.qscheme() is fg.per_channel_affine
    assert q.int_repr().tolist() == [[-10, 5, 20], [3, 2, 0]]
    assert q.dequantize().flatten().tolist() == pytest.approx([-1.0, 0.5, 2.0, 0.5, 0.0, -1.0])
    scales = q.q_per_channel_scales()
    assert scales.dtype == fg.float64 and scales.tolist() == pytest.approx([0.1, 0.5])
    zero_points = q.q_per_channel_zero_points()
    assert zero_points.dtype == fg.int64 and zero_points.tolist() == [0, 2]
    assert q.q_per_channel_axis() == 0
    assert fg.q_per_channel_axis(q) == 0
    assert repr(q) == (
        "tensor([[-1.0000,  0.5000,  2.0000],\n"
        f"        [ 0.5000,  0.0000, -1.0000]], size=(2, 3), dtype={MOD}.qint8,\n"
        f"       quantization_scheme={MOD}.per_channel_affine,\n"
        f"       scale=tensor([0.1000, 0.5000], dtype={MOD}.float64),\n"
        "       zero_point=tensor([0, 2]), axis=0)")
    q = fg.quantize_per_channel(fg.tensor(W), fg.tensor([0.1, 0.5, 0.2]), fg.tensor([0, 2, 3]), 1, fg.quint8)
    assert q.int_repr().tolist() == [[0, 3, 13], [3, 2, 0]]


def test_float_zero_points_round_after_adding():
    q = fg.quantize_per_channel(fg.tensor(W), fg.tensor([0.1, 0.2]), fg.tensor([0.0, 1.0]), 0, fg.quint8)
    assert q.qscheme() is fg.per_channel_affine_float_qparams
    assert q.int_repr().tolist() == [[0, 5, 20], [2, 2, 0]]
    assert q.q_per_channel_scales().dtype == fg.float32
    assert repr(q) == (
        "tensor([[ 0.0000,  0.5000,  2.0000],\n"
        f"        [ 0.2000,  0.2000, -0.2000]], size=(2, 3), dtype={MOD}.quint8,\n"
        f"       quantization_scheme={MOD}.per_channel_affine_float_qparams,\n"
        "       scale=tensor([0.1000, 0.2000]), zero_point=tensor([0., 1.]), axis=0)")


def test_accessors_of_the_other_scheme_raise():
    with pytest.raises(RuntimeError, match="Expected quantizer->qscheme\\(\\) == kPerTensorAffine"):
        per_channel().q_scale()
    with pytest.raises(RuntimeError, match="Expected quantizer->qscheme\\(\\) == kPerTensorAffine"):
        per_channel().q_zero_point()
    with pytest.raises(RuntimeError, match="kPerChannelAffine \\|\\| quantizer->qscheme"):
        per_tensor().q_per_channel_scales()
    with pytest.raises(RuntimeError, match="kPerChannelAffine \\|\\| quantizer->qscheme"):
        per_tensor().q_per_channel_axis()
    for op in ("int_repr", "q_scale", "qscheme"):
        with pytest.raises(NotImplementedError, match=f"Could not run 'aten::{op}' with arguments from the 'CPU'"):
            getattr(fg.tensor(X), op)()


@pytest.mark.parametrize("make, message", [
    (lambda: fg.quantize_per_tensor(fg.tensor([1, 2]), 0.5, 1, fg.qint8), "Quantize only works on Float Tensor, got Long"),
    (lambda: fg.quantize_per_tensor(fg.tensor([1.0], dtype=fg.float64), 0.5, 1, fg.qint8),
     "Quantize only works on Float Tensor, got Double"),
    (lambda: fg.quantize_per_tensor(fg.tensor([1.0]), 0.5, 1, fg.float32),
     "ScalarType Float is not supported in new_qtensor."),
    (lambda: fg.quantize_per_tensor(fg.tensor([1.0]), 0.5, 1, fg.int8), "ScalarType Char is not supported in new_qtensor."),
    (lambda: fg.quantize_per_tensor(fg.tensor([1.0]), 0.5, 300, fg.quint8),
     "quantize_tensor_per_tensor_affine zero_point 300 is above upper bound."),
    (lambda: fg.quantize_per_tensor(fg.tensor([1.0]), 0.5, -200, fg.qint8),
     "quantize_tensor_per_tensor_affine zero_point -200 is below lower bound."),
    (lambda: fg.quantize_per_channel(fg.tensor(W), fg.tensor([0.1]), fg.tensor([0]), 0, fg.qint8),
     "length of scales must equal to channel, expected 2 got, 1"),
    (lambda: fg.quantize_per_channel(fg.tensor(W), fg.tensor([0.1, 0.2]), fg.tensor([0]), 0, fg.qint8),
     "number of elements in scales and zero_points must match"),
    (lambda: fg.quantize_per_channel(fg.tensor(W), fg.tensor([0.1, 0.2]), fg.tensor([0, 0]), 2, fg.qint8),
     "Channel axis out of range in per channel affine quantization. Got: 2Expected: [0, 2)"),
    (lambda: fg.quantize_per_channel(fg.tensor([[1, 2]]), fg.tensor([0.1]), fg.tensor([0]), 0, fg.qint8),
     "quantize_tensor_per_channel_affine expects a Float Tensor, got Long"),
    (lambda: fg.quantize_per_channel(fg.tensor(W), fg.tensor([0.1, 0.2]), fg.tensor([0, 300]), 0, fg.quint8),
     "quantize_tensor_per_channel_affine zero_point 300 is above upper bound."),
    (lambda: per_tensor().float(), "Creation of quantized tensor requires quantized dtype like torch.quint8"),
    (lambda: per_tensor().to(fg.float32), "Creation of quantized tensor requires quantized dtype like torch.quint8"),
    (lambda: per_tensor().tolist(), "load_scalar: invalid type"),
    (lambda: per_tensor().is_signed(), "isSignedType not supported for quantized types"),
    (lambda: per_tensor().requires_grad_(), "only Tensors of floating point dtype can require gradients"),
    (lambda: per_tensor() + 1, "empty_strided not supported on quantized tensors yet"),
    (lambda: per_tensor() * 2, "empty_strided not supported on quantized tensors yet"),
    (lambda: fg.tensor(X) + per_tensor(), PROMOTE + "Float QUInt8"),
    (lambda: per_tensor().add(fg.tensor(X)), PROMOTE + "QUInt8 Float"),
    (lambda: fg.cat([per_tensor(), fg.quantize_per_tensor(fg.tensor(X), 0.1, 10, fg.qint8)]), "All dtypes must be the same."),
    (lambda: fg.cat([per_channel(), per_channel()]), "Only per-tensor quantization is supported in 'cat'!"),
])
def test_misuse_raises_pytorchs_runtime_error(make, message):
    with pytest.raises(RuntimeError) as info:
        make()
    assert str(info.value).startswith(message)


def test_numpy_of_a_quantized_tensor_raises_type_error():
    with pytest.raises(TypeError, match="Got unsupported ScalarType QUInt8"):
        per_tensor().numpy()


@pytest.mark.parametrize("op, aten", [
    (lambda q: q + q, "add.out"), (lambda q: fg.add(q, q), "add.out"), (lambda q: q.sum(), "sum.IntList_out"),
    (lambda q: -q, "neg.out"), (lambda q: q.exp(), "exp.out"), (lambda q: fg.exp(q), "exp.out"),
    (lambda q: q.abs(), "abs.out"), (lambda q: q.argmax(), "argmax.out"), (lambda q: q.zero_(), "zero_"),
])
def test_ops_without_a_quantized_kernel_raise_not_implemented(op, aten):
    with pytest.raises(NotImplementedError) as info:
        op(per_tensor())
    assert str(info.value).startswith(f"Could not run 'aten::{aten}' with arguments from the 'QuantizedCPU' backend. "
                                      "This could be because the operator doesn't exist for this backend")


def test_clone_detach_copies_and_pickling_keep_the_quantization():
    q = per_tensor()
    for other in (q.clone(), q.detach(), q.data, copy.copy(q), copy.deepcopy(q), pickle.loads(pickle.dumps(q))):
        assert repr(other) == repr(q)
        assert other.int_repr().tolist() == q.int_repr().tolist()
    pc = per_channel()
    assert repr(pickle.loads(pickle.dumps(pc))) == repr(pc) == repr(pc.clone())


def test_views_indexing_and_joins_of_per_tensor_quantized_tensors():
    q = per_tensor()
    assert q.view(7, 1).shape == (7, 1)
    assert q.reshape(1, 7).int_repr().tolist() == [[0, 10, 10, 12, 12, 20, 255]]
    assert q[1:3].int_repr().tolist() == [10, 10]
    assert repr(q[1]) == (f"tensor(0., size=(), dtype={MOD}.quint8,\n"
                          f"       quantization_scheme={MOD}.per_tensor_affine, scale=0.1, zero_point=10)")
    assert q[0].item() == -1.0
    assert bool(q[0:1])
    t = fg.quantize_per_tensor(fg.tensor(W), 0.1, 3, fg.qint8).t()
    assert t.int_repr().tolist() == [[-7, 6], [8, 6], [23, -4]]
    assert not t.is_contiguous() and t.stride() == (1, 3)
    both = fg.cat([q, q])
    assert both.shape == (14,) and both.q_scale() == 0.1
    other = fg.quantize_per_tensor(fg.tensor(X), 0.2, 10, fg.quint8)
    joined = fg.cat([q, other])  # requantized with the first tensor's parameters
    assert joined.int_repr().tolist()[7:] == [0, 10, 10, 12, 12, 20, 255]
    assert fg.stack([q, q]).shape == (2, 7)


def test_relu_and_in_place_writes_quantize_with_the_tensors_parameters():
    q = per_tensor()
    assert fg.relu(q).int_repr().tolist() == [10, 10, 10, 12, 12, 20, 255]
    assert q.relu().q_zero_point() == 10
    r = q.clone()
    assert r.relu_() is r and r.int_repr().tolist()[0] == 10
    r = q.clone()
    r[0] = 0.33
    assert r.int_repr().tolist()[0] == 13
    r.fill_(0.05)
    assert r.int_repr().tolist() == [10] * 7
    r = fg.quantize_per_tensor(fg.tensor([1.0, 2.0, 3.0]), 0.1, 10, fg.quint8)
    r.copy_(fg.tensor([0.05, 0.15, 0.25]))
    assert r.int_repr().tolist() == [10, 12, 12]
    with pytest.raises(RuntimeError, match="Quantized copy only works with kFloat as source Tensor"):
        r.copy_(fg.tensor([1, 2, 3]))


def test_fake_quantize_per_tensor_affine_and_its_gradient():
    x = fg.tensor(X, requires_grad=True)
    y = fg.fake_quantize_per_tensor_affine(x, 0.1, 10, 0, 255)
    assert y.dtype == fg.float32
    assert y.tolist() == pytest.approx([-1.0, 0.0, 0.0, 0.2, 0.2, 1.0, 24.5])
    assert y.grad_fn.name() == "FakeQuantizePerTensorAffineCachemaskBackward0"
    y.sum().backward()
    assert x.grad.tolist() == [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0]  # zero where the value was clamped
    y = fg.fake_quantize_per_tensor_affine(x, fg.tensor(0.1), fg.tensor(10), 0, 255)
    assert y.grad_fn.name() == "FakeQuantizePerTensorAffineCachemaskTensorQparamsBackward0"
    d = fg.fake_quantize_per_tensor_affine(fg.tensor(X).double(), 0.1, 10, 0, 255)
    assert d.dtype == fg.float64 and d[2].item() == pytest.approx(0.1)  # rounded in double
    nan = fg.tensor([float("nan"), float("inf"), -float("inf")])
    assert fg.fake_quantize_per_tensor_affine(nan, 0.1, 0, -128, 127).tolist() == pytest.approx([-12.8, 12.7, -12.8])


def test_fake_quantize_per_channel_affine_and_its_gradient():
    x = fg.tensor(W, requires_grad=True)
    y = fg.fake_quantize_per_channel_affine(x, fg.tensor([0.1, 0.5]), fg.tensor([0, 2], dtype=fg.int32), 0, -8, 7)
    assert y.detach().flatten().tolist() == pytest.approx([-0.8, 0.5, 0.7, 0.5, 0.0, -1.0])
    assert y.grad_fn.name() == "FakeQuantizePerChannelAffineCachemaskBackward0"
    (y * fg.tensor([[1.0, 2, 3], [4, 5, 6]])).sum().backward()
    assert x.grad.tolist() == [[0.0, 2.0, 0.0], [4.0, 5.0, 6.0]]
    y = fg.fake_quantize_per_channel_affine(fg.tensor([[1.0, -2.5, 0.35]]), fg.tensor([0.1]), fg.tensor([1.0]), 0, -3, 5)
    assert y[0].tolist() == pytest.approx([0.4, -0.4, 0.3])


@pytest.mark.parametrize("make, error, message", [
    (lambda: fg.fake_quantize_per_tensor_affine(fg.tensor(X), 0.1, 10, 5, 3), RuntimeError,
     "`quant_min` should be less than or         equal to `quant_max`."),
    (lambda: fg.fake_quantize_per_tensor_affine(fg.tensor(X), 0.1, 300, 0, 255), RuntimeError,
     "`zero_point` must be between `quant_min` and `quant_max`."),
    (lambda: fg.fake_quantize_per_tensor_affine(fg.tensor([1, 2]), 0.1, 10, 0, 255), NotImplementedError,
     "\"fake_quantize_tensor_cachemask_kernel_type_handling\" not implemented for 'Long'"),
    (lambda: fg.fake_quantize_per_channel_affine(fg.tensor(W), fg.tensor([0.1, 0.5]), fg.tensor([0, 2]), 0, -8, 7),
     RuntimeError, "Zero-point must be Int32, Float or Half, found Long"),
    (lambda: fg.fake_quantize_per_channel_affine(fg.tensor(W), fg.tensor([0.1, 0.5], dtype=fg.float64),
                                                 fg.tensor([0, 2], dtype=fg.int32), 0, -8, 7),
     RuntimeError, "Scale must be Float or BFloat16, found Double"),
    (lambda: fg.fake_quantize_per_channel_affine(fg.tensor(W), fg.tensor([0.1]), fg.tensor([0], dtype=fg.int32), 1,
                                                 -8, 7),
     RuntimeError, "dimensions of scale and zero-point are not consistent with input tensor"),
])
def test_fake_quantize_errors(make, error, message):
    with pytest.raises(error) as info:
        make()
    assert str(info.value) == message


def test_quantized_dtype_as_a_dict_key_and_without_warnings_from_ferrograd():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        q = per_tensor()
    assert {fg.qint8: "a", fg.quint8: "b"}[q.dtype] == "b"


def test_like_factories_keep_the_quantization():
    q = per_tensor()
    ones = fg.ones_like(q)
    assert ones.dtype == fg.quint8 and (ones.q_scale(), ones.q_zero_point()) == (0.1, 10)
    assert ones.int_repr().tolist() == [20] * 7
    assert fg.empty_like(q).shape == (7,) and fg.empty_like(q).is_quantized
    with pytest.raises(RuntimeError, match="Specified: float Input tensor's dtype: c10::quint8"):
        fg.ones_like(q, dtype=fg.float32)
    with pytest.raises(NotImplementedError, match="Could not run 'aten::zero_' with arguments from the 'QuantizedCPU'"):
        fg.zeros_like(q)
