"""Session 21 differences from PyTorch 2.13 (CPU) found by `tools/fuzz_api.py`, the
bad-input fuzzer of the whole public API: the argument checks of the methods of missing
backends (`cuda`, `xpu`, `ipu`, `mtia`, the quantized accessors, the removed `eig`,
`symeig`, `solve`) and the removed `autograd.variable`. Expected types and messages are
PyTorch's; the file also runs against PyTorch (`FG_TEST_BACKEND=torch`)."""

import math
import re
import warnings

import numpy as np
import pytest
from backend import MOD, fg

X = [[0.5, -1.0, 2.0], [1.5, -0.25, 3.0]]


def raises(kind, fragment):
    return pytest.raises(kind, match=re.escape(fragment))


# ---- 1. cuda/xpu/ipu/mtia parse (device, non_blocking, *, memory_format) first ----------

BACKENDS = ("cuda", "xpu", "ipu", "mtia")


@pytest.mark.parametrize("op", BACKENDS)
@pytest.mark.parametrize(("args", "kwargs", "kind", "fragment"), [
    ((True,), {}, TypeError, "(): argument 'device' (position 1) must be torch.device, not bool"),
    ((1.5,), {}, TypeError, "(): argument 'device' (position 1) must be torch.device, not float"),
    (("T",), {}, TypeError, "(): argument 'device' (position 1) must be torch.device, not Tensor"),
    ((), {"device": True}, TypeError, "(): argument 'device' must be torch.device, not bool"),
    ((None, None), {}, TypeError, "(): argument 'non_blocking' (position 2) must be bool, not NoneType"),
    ((), {"non_blocking": 1}, TypeError, "(): argument 'non_blocking' must be bool, not int"),
    ((), {"memory_format": 1}, TypeError, "(): argument 'memory_format' must be torch.memory_format, not int"),
    ((1, True, 3), {}, TypeError, "() takes from 0 to 2 positional arguments but 3 were given"),
    (("T",) * 7, {}, TypeError, "() received an invalid combination of arguments - got (Tensor, Tensor,"),
    ((), {"bogus_kw": 1}, TypeError, "() got an unexpected keyword argument 'bogus_kw'"),
    (("abc",), {}, RuntimeError, "device type at start of device string: abc"),
    ((-3,), {}, RuntimeError, "Device index must not be negative"),
    ((2**63,), {}, ValueError, "Overflow when unpacking long long"),
    ((0,), {}, RuntimeError, "Cannot access accelerator device when none is available."),
])
def test_device_method_checks_its_arguments_first(op, args, kwargs, kind, fragment):
    x = fg.tensor(X)
    args = tuple(x if a == "T" else a for a in args)
    with raises(kind, fragment if fragment.startswith(("device", "Device", "Overflow", "Cannot")) else op + fragment):
        getattr(x, op)(*args, **kwargs)


@pytest.mark.parametrize(("op", "label"), [("cuda", "cuda"), ("xpu", "xpu"), ("ipu", "ipu"), ("mtia", "MTIA")])
def test_device_method_refuses_another_device_type(op, label):
    with raises(RuntimeError, f"Invalid device, must be {label} device"):
        getattr(fg.tensor(X), op)("cpu")


@pytest.mark.parametrize("op", ["xpu", "mtia"])
def test_device_method_of_its_own_type_says_the_backend_is_missing(op):
    with pytest.raises(AssertionError, match=f"Torch not compiled with {op.upper()} enabled"):
        getattr(fg.tensor(X), op)(op)


def test_ipu_of_its_own_type_says_ipu_is_not_linked():
    with raises(RuntimeError, "PyTorch is not linked with support for ipu devices"):
        fg.tensor(X).ipu("ipu")


@pytest.mark.parametrize("kind", ["ipu", "hip", "xla", "lazy", "hpu", "mtia", "privateuseone", "fpga", "ve"])
def test_device_names_every_type_pytorch_names(kind):
    d = fg.device(f"{kind}:1")
    assert (d.type, d.index) == (kind, 1)
    assert repr(d) == f"device(type='{kind}', index=1)"


# ---- 2. quantized accessors take no arguments --------------------------------------------

@pytest.mark.parametrize("op", ["int_repr", "q_scale", "q_zero_point", "q_per_channel_scales",
                                "q_per_channel_zero_points", "q_per_channel_axis", "qscheme"])
def test_quantized_accessor_refuses_arguments_before_its_kernel(op):
    x = fg.tensor(X)
    # CPython names PyTorch's C method by either class
    with pytest.raises(TypeError, match=rf"Tensor(Base)?\.{op}\(\) takes no arguments \(1 given\)"):
        getattr(x, op)(None)
    with pytest.raises(TypeError, match=rf"Tensor(Base)?\.{op}\(\) takes no arguments \(2 given\)"):
        getattr(x, op)(x, 1)
    with pytest.raises(TypeError, match=rf"Tensor(Base)?\.{op}\(\) takes no keyword arguments"):
        getattr(x, op)(bogus_kw=1)
    with raises(NotImplementedError, f"Could not run 'aten::{op}' with arguments from the 'CPU' backend"):
        getattr(x, op)()


# ---- 3. the removed eig/symeig/solve methods check their signature first ------------------

@pytest.mark.parametrize(("op", "call", "fragment"), [
    ("eig", lambda x: x.eig(x, None), "Tensor.eig() takes from 1 to 2 positional arguments but 3 were given"),
    ("symeig", lambda x: x.symeig(x, None), "Tensor.symeig() takes from 1 to 2 positional arguments but 3 were given"),
    ("solve", lambda x: x.solve(), "Tensor.solve() missing 1 required positional argument: 'other'"),
    ("solve", lambda x: x.solve(x, 1), "Tensor.solve() takes 2 positional arguments but 3 were given"),
    ("eig", lambda x: x.eig(bogus_kw=1), "Tensor.eig() got an unexpected keyword argument 'bogus_kw'"),
])
def test_removed_method_checks_its_signature(op, call, fragment):
    with raises(TypeError, fragment):
        call(fg.tensor(X))


@pytest.mark.parametrize(("op", "args"), [("eig", ()), ("eig", (True,)), ("symeig", ()), ("solve", ("T",))])
def test_removed_method_raises_its_runtime_error(op, args):
    x = fg.tensor(X)
    with raises(RuntimeError, "This function was deprecated since version 1.9 and is now removed."):
        getattr(x, op)(*(x if a == "T" else a for a in args))


# ---- 4. autograd.variable is PyTorch's removed function ----------------------------------

@pytest.mark.parametrize("args", [(), (None,), ([1.0, 2.0],), ("T", 1)])
def test_autograd_variable_is_removed(args):
    x = fg.tensor(X)
    with raises(RuntimeError, f"{MOD}.autograd.variable(...) is deprecated, use {MOD}.tensor(...) instead"):
        fg.autograd.variable(*(x if a == "T" else a for a in args))


def test_autograd_variable_module_still_gives_variable():
    import importlib

    module = importlib.import_module(f"{MOD}.autograd.variable")
    assert module.Variable is fg.autograd.Variable


# ---- 5. loss dtypes: BCE with logits in target's, Huber in input's -----------------------

F = fg.nn.functional


@pytest.mark.parametrize(("input_dtype", "target_dtype"), [
    ("float32", "float16"), ("float32", "bfloat16"), ("float64", "float32"), ("float16", "float32"),
])
@pytest.mark.parametrize("reduction", ["mean", "none"])
def test_bce_with_logits_result_has_the_targets_dtype(input_dtype, target_dtype, reduction):
    x = fg.tensor(X, dtype=getattr(fg, input_dtype))
    t = fg.tensor([[0.25, 0.5, 1.0], [0.0, 0.75, 0.5]], dtype=getattr(fg, target_dtype))
    out = F.binary_cross_entropy_with_logits(x, t, reduction=reduction)
    assert out.dtype == getattr(fg, target_dtype)
    weighted = F.binary_cross_entropy_with_logits(x, t, weight=fg.ones(3, dtype=fg.float64))
    assert weighted.dtype == getattr(fg, target_dtype)


def test_bce_with_logits_mixed_dtypes_value_and_gradient():
    x = fg.tensor(X, dtype=fg.float64, requires_grad=True)
    t = fg.tensor([[0.25, 0.5, 1.0], [0.0, 0.75, 0.5]])
    loss = F.binary_cross_entropy_with_logits(x, t)
    loss.backward()
    assert loss.dtype == fg.float32
    assert abs(loss.item() - 0.9671177864) < 1e-6
    assert x.grad.dtype == fg.float64
    np.testing.assert_allclose(x.grad.numpy()[0], [0.0620765552, -0.0385097631, -0.0198671537], atol=1e-6)


@pytest.mark.parametrize(("input_dtype", "target_dtype"), [
    ("float32", "float16"), ("float64", "float32"), ("float16", "float32"), ("float32", "float64"),
])
def test_huber_loss_result_has_the_inputs_dtype(input_dtype, target_dtype):
    x = fg.tensor(X, dtype=getattr(fg, input_dtype))
    t = fg.zeros(2, 3, dtype=getattr(fg, target_dtype))
    assert F.huber_loss(x, t).dtype == getattr(fg, input_dtype)
    assert F.huber_loss(x, t, reduction="none").dtype == getattr(fg, input_dtype)
    assert fg.nn.HuberLoss()(x, t).dtype == getattr(fg, input_dtype)


# ---- 6. NaN bounds and tolerances --------------------------------------------------------

@pytest.mark.parametrize(("low", "high"), [(math.nan, 1.0), (-1.0, math.nan)])
def test_hardtanh_with_a_nan_bound_is_nan(low, high):
    assert all(math.isnan(v) for v in F.hardtanh(fg.tensor(X), low, high).flatten().tolist())
    y = fg.tensor(X)
    F.hardtanh_(y, low, high)
    assert all(math.isnan(v) for v in y.flatten().tolist())


@pytest.mark.parametrize("call", [
    lambda x: fg.linalg.pinv(x, math.nan), lambda x: fg.linalg.pinv(x, rtol=math.nan),
    lambda x: fg.linalg.pinv(x, atol=math.nan), lambda x: fg.pinverse(x, math.nan),
    lambda x: x.pinverse(math.nan),
])
def test_pinv_with_a_nan_tolerance_keeps_no_singular_value(call):
    out = call(fg.tensor(X))
    assert tuple(out.shape) == (3, 2)
    assert out.tolist() == [[0.0, 0.0], [0.0, 0.0], [0.0, 0.0]]


@pytest.mark.parametrize("name", ["dropout1d", "dropout2d", "dropout3d", "alpha_dropout", "feature_alpha_dropout"])
@pytest.mark.parametrize("training", [True, False])
def test_dropout_kernels_refuse_a_nan_probability(name, training):
    x = fg.ones(1, 2, 2, 2, 2) if name == "dropout3d" else fg.ones(2, 3, 4, 5) if name == "dropout2d" else fg.ones(2, 3)
    with raises(RuntimeError, "dropout probability has to be between 0 and 1, but got nan"):
        getattr(F, name)(x, math.nan, training)


# ---- 7. argument checks of Python-level layers and methods --------------------------------

@pytest.mark.parametrize("delta", [None, "abc", [], (1,), "T", "T0"])
def test_huber_loss_module_checks_delta(delta):
    value = {"T": fg.tensor(X), "T0": fg.tensor(1.5)}.get(delta, delta) if isinstance(delta, str) else delta
    with raises(TypeError, f"delta must be a float or int, got: {type(value)}"):
        fg.nn.HuberLoss("mean", value)


@pytest.mark.parametrize("delta", [2, 0.5, True])
def test_huber_loss_module_takes_a_number_delta(delta):
    assert fg.nn.HuberLoss("mean", delta).delta == delta


@pytest.mark.parametrize("cls", ["ZeroPad1d", "ReflectionPad2d", "CircularPad3d", "ReplicationPad1d"])
def test_padding_module_reads_a_tensor_as_an_iterable(cls):
    with raises(TypeError, "iteration over a 0-d tensor"):
        getattr(fg.nn, cls)(fg.tensor(2))
    assert getattr(fg.nn, cls)(fg.tensor([1, 2])).padding[1].item() == 2
    assert getattr(fg.nn, cls)("ab").padding == ("a", "b")


@pytest.mark.parametrize("cls", ["FractionalMaxPool2d", "FractionalMaxPool3d"])
def test_fractional_max_pool_reads_a_tensor_as_an_iterable(cls):
    with raises(TypeError, "iteration over a 0-d tensor"):
        getattr(fg.nn, cls)(3, fg.tensor(1.5))


def test_resize_needs_a_size():
    with raises(TypeError, 'resize_() missing 1 required positional arguments: "size"'):
        fg.tensor(X).resize_()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with raises(TypeError, "view() received an invalid combination of arguments - got (), but expected one of:"):
            fg.tensor(1.5).resize()


@pytest.mark.parametrize("pivot", ["abc", math.nan, 3, 2**63, [1], None, "T"])
def test_lu_checks_pivot_is_a_bool(pivot):
    a = fg.eye(3)
    value = fg.tensor(1.5) if pivot == "T" else pivot
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with raises(TypeError, f"_lu_with_info(): argument 'pivot' must be bool, not {type_name(value)}"):
            fg.lu(a, value)
        with raises(TypeError, f"_lu_with_info(): argument 'pivot' must be bool, not {type_name(value)}"):
            a.lu(value)


def type_name(value):
    return "Tensor" if isinstance(value, fg.Tensor) else type(value).__name__


def test_legacy_storage_metaclass_name():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert type(fg.tensor(X).storage_type()).__name__ == "_LegacyStorageMeta"


# ---- 8. RNN cells check their hidden states (they broadcast a wrong one) -----------------

@pytest.mark.parametrize("cls", ["RNNCell", "GRUCell", "LSTMCell"])
@pytest.mark.parametrize(("batched", "shape", "kind", "fragment"), [
    (True, (3, 4), RuntimeError, "Input batch size 2 doesn't match hidden0 batch size 3"),
    (True, (4,), RuntimeError, "Input batch size 2 doesn't match hidden0 batch size 4"),
    (True, (2, 5), RuntimeError, "hidden0 has inconsistent hidden_size: got 5, expected 4"),
    (True, (2,), IndexError, "Dimension out of range (expected to be in range of [-1, 0], but got 1)"),
    (False, (2, 4), RuntimeError, "hidden0 has inconsistent hidden_size: got 2, expected 4"),
    (False, (5,), RuntimeError, "hidden0 has inconsistent hidden_size: got 5, expected 4"),
])
def test_rnn_cell_checks_the_hidden_state(cls, batched, shape, kind, fragment):
    fg.manual_seed(0)
    cell = getattr(fg.nn, cls)(3, 4)
    h = fg.zeros(*shape)
    x = fg.tensor(X) if batched else fg.tensor(X[0])
    with raises(kind, fragment):
        cell(x, (h, h) if cls == "LSTMCell" else h)


@pytest.mark.parametrize(("c_shape", "fragment"), [
    ((2, 5), "hidden1 has inconsistent hidden_size: got 5, expected 4"),
    ((3, 4), "Input batch size 2 doesn't match hidden1 batch size 3"),
])
def test_lstm_cell_checks_its_cell_state(c_shape, fragment):
    fg.manual_seed(0)
    with raises(RuntimeError, fragment):
        fg.nn.LSTMCell(3, 4)(fg.tensor(X), (fg.zeros(2, 4), fg.zeros(*c_shape)))


@pytest.mark.parametrize(("hx", "kind", "fragment"), [
    (True, TypeError, "'bool' object is not iterable"),
    (-3, TypeError, "'int' object is not iterable"),
    ([], RuntimeError, "lstm_cell expects two hidden states"),
    ("T", TypeError, "lstm_cell(): argument 'hx' (position 2) must be tuple of Tensors, not Tensor"),
    ("T3", RuntimeError, "lstm_cell expects two hidden states"),
    ("T3d", ValueError, "LSTMCell: Expected hx[0] to be 3D"),
])
def test_lstm_cell_checks_hx_is_a_pair(hx, kind, fragment):
    fg.manual_seed(0)
    x = fg.tensor(X)
    value = {"T": x, "T3": (x, x, x), "T3d": (fg.ones(2, 3, 1), x)}.get(hx, hx) if isinstance(hx, str) else hx
    if fragment.endswith("to be 3D"):
        fragment = "LSTMCell: Expected hx[0] to be 1D or 2D, got 3D instead"
    with raises(kind, fragment):
        fg.nn.LSTMCell(3, 3)(x, value)


def test_parameter_dict_call_takes_one_input():
    pd = fg.nn.ParameterDict()
    with raises(TypeError, "missing 1 required positional argument: 'input'"):
        pd()
    with raises(TypeError, "takes 2 positional arguments but 3 were given"):
        pd(1, 2)
    with raises(RuntimeError, "ParameterDict should not be called."):
        pd(fg.tensor(X))


# ---- 9. Generator parses its device as PyTorch's parser -----------------------------------

@pytest.mark.parametrize(("args", "kwargs", "kind", "fragment"), [
    ((True,), {}, TypeError, "Generator(): argument 'device' (position 1) must be torch.device, not bool"),
    ((1.5,), {}, TypeError, "Generator(): argument 'device' (position 1) must be torch.device, not float"),
    (([],), {}, TypeError, "Generator(): argument 'device' (position 1) must be torch.device, not list"),
    (("T",), {}, TypeError, "Generator(): argument 'device' (position 1) must be torch.device, not Tensor"),
    ((), {"device": True}, TypeError, "Generator(): argument 'device' must be torch.device, not bool"),
    ((2**63,), {}, ValueError, "Overflow when unpacking long long"),
    ((-3,), {}, RuntimeError, "Device index must not be negative"),
    ((0,), {}, RuntimeError, "Cannot access accelerator device when none is available."),
    (("cpu", 1), {}, TypeError, "Generator() takes from 0 to 1 positional arguments but 2 were given"),
    ((), {"bogus_kw": 1}, TypeError, "Generator() got an unexpected keyword argument 'bogus_kw'"),
    (("abc",), {}, RuntimeError, "device type at start of device string: abc"),
])
def test_generator_checks_its_device(args, kwargs, kind, fragment):
    args = tuple(fg.tensor(X) if a == "T" else a for a in args)
    with raises(kind, fragment):
        fg.Generator(*args, **kwargs)


@pytest.mark.parametrize("device", [None, "cpu", "DEV"])
def test_generator_on_the_cpu(device):
    g = fg.Generator(fg.device("cpu") if device == "DEV" else device)
    assert str(g.device) == "cpu"
    assert fg.Generator(device="cpu").manual_seed(3).initial_seed() == 3


# ---- 10. storage constructors read their arguments as PyTorch ------------------------------

def storage_call(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn()


@pytest.mark.parametrize(("arg", "kind", "fragment"), [
    (None, RuntimeError, "UntypedStorage(): Expected a sequence type, but got NoneType"),
    (True, RuntimeError, "UntypedStorage(): Expected a sequence type, but got bool"),
    (1.5, RuntimeError, "UntypedStorage(): Expected a sequence type, but got float"),
    ("T", RuntimeError, "UntypedStorage(): Expected a sequence type, but got Tensor"),
    ("abc", RuntimeError, "tried to construct a storage from a sequence (str), but one of the items was of type str"),
    ([[1, 2]], RuntimeError, "a sequence (list), but one of the items was of type list instead of int"),
    ([1.5], RuntimeError, "a sequence (list), but one of the items was of type float instead of int"),
    (2**63, ValueError, "Overflow when unpacking long long"),
    (-3, RuntimeError, "alloc_cpu() seems to have been called with negative number: 18446744073709551613"),
])
def test_untyped_storage_refuses_what_pytorch_refuses(arg, kind, fragment):
    value = fg.tensor(X) if arg == "T" else arg
    with raises(kind, fragment):
        fg.UntypedStorage(value)


def test_untyped_storage_of_bytes_wraps_each_int():
    assert list(fg.UntypedStorage([-1, 257, 3])) == [255, 1, 3]
    assert list(fg.UntypedStorage(b"ab")) == [97, 98]
    assert len(fg.UntypedStorage(3)) == 3
    with raises(TypeError, "UntypedStorage() received an invalid combination of arguments - got (int, int)"):
        fg.UntypedStorage(3, 4)


@pytest.mark.parametrize(("args", "kwargs", "expected"), [
    ((), {}, []), (([1, 2],), {}, [1.0, 2.0]), (((1, 2),), {"dtype": "int32"}, [1, 2]),
    (([[1, 2]],), {}, [1.0, 2.0]), ((range(3),), {}, [0.0, 1.0, 2.0]), (([1, 2],), {"device": "cpu"}, [1.0, 2.0]),
])
def test_typed_storage_from_a_sequence(args, kwargs, expected):
    kwargs = {k: getattr(fg, v) if k == "dtype" else v for k, v in kwargs.items()}
    assert storage_call(lambda: list(fg.TypedStorage(*args, **kwargs))) == expected


def test_typed_storage_of_a_size():
    s = storage_call(lambda: fg.TypedStorage(3, dtype=fg.int32))
    assert (len(s), s.dtype, s.nbytes()) == (3, fg.int32, 12)
    assert storage_call(lambda: len(fg.TypedStorage(True))) == 1


def _storage_arguments(args, kwargs):
    """The parametrized arguments with "T" as a tensor, "wrap" as wrap_storage and dtype names as dtypes."""
    args = tuple(fg.tensor(X) if a == "T" else a for a in args)
    kwargs = dict(kwargs)
    if "wrap" in kwargs:
        wrap = kwargs.pop("wrap")
        kwargs["wrap_storage"] = fg.tensor(X) if wrap == "T" else fg.UntypedStorage(4)
    if isinstance(kwargs.get("dtype"), str):
        kwargs["dtype"] = getattr(fg, kwargs["dtype"])
    return args, kwargs


@pytest.mark.parametrize(("args", "kwargs", "kind", "fragment"), [
    ((None,), {}, TypeError, "Argument type not recognized: <class 'NoneType'>"),
    ((1.5,), {}, TypeError, "Argument type not recognized: <class 'float'>"),
    (("T",), {}, TypeError, "Argument type not recognized: <class '"),
    ((3, 4), {}, RuntimeError, "Too many positional arguments"),
    (("abc",), {}, TypeError, "new(): invalid data type 'str'"),
    ((2**63,), {}, ValueError, "Overflow when unpacking long long"),
    ((-3,), {}, RuntimeError, "alloc_cpu() seems to have been called with negative number: 18446744073709551604"),
    ((), {"wrap": True}, RuntimeError, "Argument 'dtype' must be specified"),
    ((), {"wrap": True, "dtype": 1}, TypeError, "Argument 'dtype' must be torch.dtype, not <class 'int'>"),
    ((1,), {"wrap": True, "dtype": "int32"}, RuntimeError, "No positional arguments should be given when using 'wrap_storage'"),
    ((), {"wrap": True, "dtype": "int32", "device": "cpu"}, RuntimeError,
     "Argument 'device' should not be specified when 'wrap_storage' is given"),
    ((), {"wrap": "T", "dtype": "int32"}, TypeError, "Argument 'wrap_storage' must be UntypedStorage, but got <class '"),
])
def test_typed_storage_refuses_what_pytorch_refuses(args, kwargs, kind, fragment):
    args, kwargs = _storage_arguments(args, kwargs)
    with raises(kind, fragment):
        storage_call(lambda: fg.TypedStorage(*args, **kwargs))


@pytest.mark.parametrize(("args", "kwargs", "kind", "fragment"), [
    ((None,), {}, TypeError, "Argument type not recognized: <class 'NoneType'>"),
    (("T",), {}, TypeError, "Argument type not recognized"),
    ((3, 4), {}, RuntimeError, "Too many positional arguments"),
    ((2,), {"device": "cpu"}, RuntimeError, "Keyword argument 'device' cannot be specified"),
    ((2,), {"dtype": "int32"}, RuntimeError, "Keyword argument 'dtype' cannot be specified"),
    ((1,), {"wrap": True}, RuntimeError, "No positional arguments should be given when using 'wrap_storage'"),
    ((), {"wrap": "T"}, TypeError, "Argument 'wrap_storage' must be UntypedStorage"),
    (("abc",), {}, TypeError, "new(): invalid data type 'str'"),
])
def test_legacy_storage_refuses_what_pytorch_refuses(args, kwargs, kind, fragment):
    args, kwargs = _storage_arguments(args, kwargs)
    with raises(kind, f"{MOD}.FloatStorage'>.__new__ received an invalid combination of arguments"
                if not fragment.startswith("new()") else fragment):
        storage_call(lambda: fg.FloatStorage(*args, **kwargs))
    with raises(kind, fragment):
        storage_call(lambda: fg.FloatStorage(*args, **kwargs))


def test_legacy_storage_of_a_size_and_of_values():
    assert storage_call(lambda: len(fg.FloatStorage(3))) == 3
    assert storage_call(lambda: list(fg.LongStorage([1, 2]))) == [1, 2]
    assert storage_call(lambda: fg.FloatStorage(wrap_storage=fg.UntypedStorage(8)).size()) == 2


# ---- 11. the parser's int unpacking: past int64, NumPy arrays --------------------------------

@pytest.mark.parametrize("value", [2**63, -(2**63) - 1])
@pytest.mark.parametrize("call", [
    lambda x, v: fg.fft.fft2(x, v), lambda x, v: fg.fft.rfftn(x, v), lambda x, v: fg.fft.ihfft2(x, v),
    lambda x, v: fg.fft.fftfreq(v), lambda x, v: fg.fft.rfftfreq(v), lambda x, v: fg.bartlett_window(v),
    lambda x, v: fg.hamming_window(v), lambda x, v: fg.frobenius_norm(x, v),
])
def test_a_lone_int_past_int64_is_an_overflow(call, value):
    with raises(ValueError, "Overflow when unpacking long long"):
        call(fg.tensor(X), value)


@pytest.mark.parametrize("value", [2**63, -(2**63) - 1])
@pytest.mark.parametrize("op", ["sum_to_size", "broadcast_to"])
def test_an_int_list_element_past_int64_names_its_place(op, value):
    with raises(TypeError, f"{op}(): argument 'size' failed to unpack the object at pos 1 with error "
                           "\"Overflow when unpacking long long"):
        getattr(fg.tensor(X), op)(value)


@pytest.mark.parametrize("name", ["fft2", "fftn", "rfft2", "irfftn", "hfft2", "ihfftn"])
def test_a_numpy_array_is_not_an_fft_shape(name):
    with raises(TypeError, f"fft_{name}(): argument 's' (position 2) must be tuple of ints, not numpy.ndarray"):
        getattr(fg.fft, name)(fg.tensor(X), np.array(X, dtype=np.float32))


@pytest.mark.parametrize("name", ["fftshift", "ifftshift"])
def test_a_numpy_array_is_not_an_fft_shift_dim(name):
    with raises(TypeError, f"fft_{name}(): argument 'dim' (position 2) must be tuple of ints, not numpy.ndarray"):
        getattr(fg.fft, name)(fg.tensor(X), np.array(X, dtype=np.float32))


# ---- 12. autograd.backward/grad read their tensors as PyTorch's tuple(...) -------------------

@pytest.mark.parametrize(("call", "kind", "fragment"), [
    (lambda A, x: A.backward(None), TypeError, "'NoneType' object is not iterable"),
    (lambda A, x: A.backward("abc", x), AssertionError, f"Expected output to be a {MOD}.Tensor"),
    (lambda A, x: A.backward(np.ones(2)), AssertionError, f"Expected output to be a {MOD}.Tensor"),
    (lambda A, x: A.grad(x * 2, None), TypeError, "'NoneType' object is not iterable"),
    (lambda A, x: A.grad(None, x), TypeError, "'NoneType' object is not iterable"),
    (lambda A, x: A.grad([x.sum(), 1], x), AssertionError, f"Expected output to be a {MOD}.Tensor"),
    (lambda A, x: A.grad(x.sum(), "abc"), RuntimeError, "all inputs have to be Tensors or GradientEdges, but got str"),
    (lambda A, x: A.grad(x.sum(), [x, 1]), RuntimeError, "all inputs have to be Tensors or GradientEdges, but got int"),
])
def test_autograd_entry_points_check_their_tensors(call, kind, fragment):
    x = fg.ones(2, requires_grad=True)
    with raises(kind, fragment):
        call(fg.autograd, x)


def test_autograd_grad_of_lists_still_works():
    x = fg.ones(2, requires_grad=True)
    (g,) = fg.autograd.grad([(x * 3).sum()], [x])
    assert g.tolist() == [3.0, 3.0]


# ---- 13. shape checks before dtype checks; top-level BCE parses its target --------------------

@pytest.mark.parametrize("dtype", ["int32", "bool", "uint8"])
@pytest.mark.parametrize(("shape", "op", "kind", "fragment"), [
    ((2, 3), "avg_pool2d", IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got -3)"),
    ((3,), "avg_pool2d", IndexError, "Dimension out of range (expected to be in range of [-1, 0], but got -3)"),
    ((1, 2, 3), "avg_pool2d", RuntimeError, "Output size is too small"),
    ((1, 2, 3), "avg_pool3d", RuntimeError, "non-empty 4D or 5D (batch mode) tensor expected for input"),
    ((1, 1, 4, 4), "avg_pool3d", RuntimeError, "input image (T: 1 H: 4 W: 4) smaller than kernel size"),
])
def test_avg_pool_checks_the_shape_before_the_dtype(dtype, shape, op, kind, fragment):
    with raises(kind, fragment):
        getattr(F, op)(fg.ones(shape, dtype=getattr(fg, dtype)), 3)


@pytest.mark.parametrize("target", [None, 1.5, "abc"])
def test_toplevel_bce_with_logits_parses_its_target(target):
    with raises(TypeError, "binary_cross_entropy_with_logits(): argument 'target' (position 2) must be Tensor, not "
                           f"{type(target).__name__ if target is not None else 'NoneType'}"):
        fg.binary_cross_entropy_with_logits(fg.tensor(X), target)


# ---- 14. parser-style checks of set_, random_, slice_copy, vecdot, is_pinned, norm_except_dim ----

@pytest.mark.parametrize("args", [(None,), ("T", None), ("T", "a"), ("T", True), ("T", 0), ("T", 0, None),
                                  ("T", 1.5, (2,)), ("T", 0, 6), (1,), ("a",)])
def test_set_refuses_what_its_overloads_refuse(args):
    x = fg.tensor(X)
    args = tuple(x if a == "T" else a for a in args)
    with raises(TypeError, "set_() received an invalid combination of arguments - got ("):
        x.clone().set_(*args)


@pytest.mark.parametrize(("args", "shape"), [((), (0,)), (("T",), (2, 3)), (("T", 0, (6,)), (6,)),
                                             (("T", 0, (6,), None), (6,)), (("T", 1, (2,), (1,)), (2,))])
def test_set_takes_its_overloads(args, shape):
    x = fg.tensor(X)
    args = tuple(x if a == "T" else a for a in args)
    assert tuple(x.clone().set_(*args).shape) == shape


@pytest.mark.parametrize("args", [(None,), (1.5,), (True,), ("T",), (None, 3), (1, "a")])
def test_random_refuses_bounds_that_are_not_ints(args):
    args = tuple(fg.tensor(1.5) if a == "T" else a for a in args)
    with raises(TypeError, "random_() received an invalid combination of arguments - got ("):
        fg.zeros(3).random_(*args)


@pytest.mark.parametrize("args", [(2**63,), (1, 2**63)])
def test_random_bounds_past_int64_overflow(args):
    with raises(ValueError, "Overflow when unpacking long long"):
        fg.zeros(3).random_(*args)


def test_random_takes_an_integer_tensor_bound():
    fg.manual_seed(0)
    out = fg.zeros(4).random_(fg.tensor(3))
    assert all(0 <= v < 3 for v in out.tolist())


@pytest.mark.parametrize(("dim", "kind", "fragment"), [
    (True, TypeError, "slice_copy(): argument 'dim' (position 2) must be int, not bool"),
    (2**63, ValueError, "Overflow when unpacking long long"),
    (-3, IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got -3)"),
])
def test_slice_copy_checks_dim(dim, kind, fragment):
    with raises(kind, fragment):
        fg.slice_copy(fg.tensor(X), dim)


@pytest.mark.parametrize("y", [True, math.nan, 2**63, -3, "A"])
def test_vecdot_needs_tensors(y):
    value = np.array(X) if y == "A" else y
    with raises(TypeError, f"linalg_vecdot(): argument 'y' (position 2) must be Tensor, not "
                           f"{'numpy.ndarray' if y == 'A' else type(y).__name__}"):
        fg.linalg.vecdot(fg.tensor(X), value)


@pytest.mark.parametrize(("device", "kind", "fragment"), [
    ("abc", RuntimeError, "device type at start of device string: abc"),
    (2**63, ValueError, "Overflow when unpacking long long"),
    (-3, RuntimeError, "Device index must not be negative"),
    (0, RuntimeError, "Cannot access accelerator device when none is available."),
    (1.5, TypeError, "is_pinned(): argument 'device' (position 1) must be torch.device, not float"),
])
def test_is_pinned_parses_its_device(device, kind, fragment):
    with raises(kind, fragment):
        fg.tensor(X).is_pinned(device)


def test_is_pinned_on_the_cpu_is_false():
    assert fg.tensor(X).is_pinned() is False
    assert fg.tensor(X).is_pinned("cpu") is False


@pytest.mark.parametrize(("args", "kind", "fragment"), [
    (("T", None), TypeError, "norm_except_dim(): argument 'pow' (position 2) must be int, not NoneType"),
    (("T", 2.5), TypeError, "norm_except_dim(): argument 'pow' (position 2) must be int, not float"),
    (("T", 2**63), ValueError, "Overflow when unpacking long long"),
    (("0d",), IndexError, "Dimension specified as 0 but tensor has no dimensions"),
    (("0s",), RuntimeError, "cannot reshape tensor of 0 elements into shape [0, -1]"),
    (("T", 2, 5), IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got 5)"),
])
def test_norm_except_dim_checks_its_arguments(args, kind, fragment):
    values = {"T": fg.tensor(X), "0d": fg.tensor(1.5), "0s": fg.zeros(0, 3)}
    with raises(kind, fragment):
        fg.norm_except_dim(*(values.get(a, a) if isinstance(a, str) else a for a in args))


def test_norm_except_dim_values():
    close(fg.norm_except_dim(fg.tensor(X), 3), [[2.0896697], [3.1206608]])
    close(fg.norm_except_dim(fg.tensor(X), 2, -1), 4.0697050)


# ---- 15. nn.utils: tensors are iterated; clipping needs a gradient ---------------------------

def test_vector_to_parameters_iterates_a_tensor():
    with raises(RuntimeError, "shape '[3]' is invalid for input of size 6"):
        fg.nn.utils.vector_to_parameters(fg.tensor(X), fg.zeros(2, 3))


@pytest.mark.parametrize(("value", "kind", "fragment"), [
    ("0d", TypeError, "iteration over a 0-d tensor"),
    ("0s", ValueError, "expected a non-empty list of Tensors"),
    ("tl", RuntimeError, "view size is not compatible with input tensor's size and stride"),
])
def test_parameters_to_vector_iterates_and_views(value, kind, fragment):
    values = {"0d": fg.tensor(1.5), "0s": fg.zeros(0, 3), "tl": [fg.tensor(X).t()]}
    with raises(kind, fragment):
        fg.nn.utils.parameters_to_vector(values[value])


def test_clip_grad_value_without_any_gradient_fails_as_pytorch():
    with raises(RuntimeError, "Expected !nested_tensorlist[0].empty() to be true, but got false."):
        fg.nn.utils.clip_grad_value_([fg.ones(2, requires_grad=True)], 1.0)
    p = fg.ones(2, requires_grad=True)
    p.grad = fg.tensor([3.0, -5.0])
    fg.nn.utils.clip_grad_value_(p, 1.0)
    assert p.grad.tolist() == [1.0, -1.0]


# ---- 16. histograms and pdist: no half kernels, bins required, NaN p ---------------------------

def test_histogramdd_needs_bins():
    with raises(TypeError, "histogramdd() received an invalid combination of arguments - got (Tensor), but"):
        fg.histogramdd(fg.rand(5, 2))
    with raises(TypeError, "histogramdd() received an invalid combination of arguments - got (Tensor, bool)"):
        fg.histogramdd(fg.rand(5, 2), True)
    assert tuple(fg.histogramdd(fg.rand(5, 2), 3).hist.shape) == (3, 3)


def test_histogram_refuses_bool_bins():
    with raises(TypeError, "histogram() received an invalid combination of arguments - got (Tensor, bool)"):
        fg.histogram(fg.rand(6), True)


@pytest.mark.parametrize(("dtype", "name"), [("float16", "Half"), ("bfloat16", "BFloat16")])
def test_histograms_and_pdist_have_no_half_kernels(dtype, name):
    with raises(NotImplementedError, f"\"histogramdd\" not implemented for '{name}'"):
        fg.histogram(fg.rand(6).to(getattr(fg, dtype)))
    with raises(NotImplementedError, f"\"histogramdd\" not implemented for '{name}'"):
        fg.histogramdd(fg.rand(5, 2).to(getattr(fg, dtype)), 3)
    with raises(NotImplementedError, f"\"pdist\" not implemented for '{name}'"):
        fg.pdist(fg.rand(3, 2).to(getattr(fg, dtype)))


def test_pdist_refuses_a_nan_p():
    with raises(RuntimeError, "pdist only supports non-negative p values"):
        fg.pdist(fg.tensor(X), math.nan)


def close(t, expected, tol=1e-6):
    np.testing.assert_allclose(np.array(t.tolist(), dtype=float), np.array(expected, dtype=float), rtol=tol, atol=tol)


# ---- 17. legacy tensor types, complex storages, geqrf/hash_tensor/squeeze_ checks ------------

@pytest.mark.parametrize("cls", ["FloatTensor", "LongTensor", "BoolTensor"])
@pytest.mark.parametrize("size", [2**63, -(2**63) - 1])
def test_legacy_tensor_type_size_past_int64(cls, size):
    with raises(TypeError, "new(): argument 'size' failed to unpack the object at pos 1 with error "
                           "\"Overflow when unpacking long long"):
        getattr(fg, cls)(size)


@pytest.mark.parametrize(("dtype", "name"), [("complex64", "c10::complex<float>"), ("complex128", "c10::complex<double>"),
                                             ("uint16", "short unsigned int")])
def test_legacy_tensor_type_refuses_another_dtype(dtype, name):
    with raises(TypeError, f"(got TensorOptions(dtype={name}, device=cpu"):
        fg.FloatTensor(fg.zeros(2, dtype=getattr(fg, dtype)))


@pytest.mark.parametrize(("dtype", "cls"), [("complex64", "ComplexFloatStorage"), ("complex128", "ComplexDoubleStorage")])
def test_complex_storage_types(dtype, cls):
    t = fg.ones(2, dtype=getattr(fg, dtype))
    assert t.storage_type() is getattr(fg, cls)
    assert storage_call(lambda: isinstance(t.storage(), getattr(fg, cls)))
    assert storage_call(lambda: list(getattr(fg, cls)([1 + 2j]))) == [1 + 2j]


@pytest.mark.parametrize(("dtype", "name"), [("float16", "Half"), ("bfloat16", "BFloat16")])
def test_lapack_ops_have_no_half_kernels(dtype, name):
    a = fg.rand(3, 3).to(getattr(fg, dtype))
    with raises(NotImplementedError, f"\"geqrf_cpu\" not implemented for '{name}'"):
        fg.geqrf(a)
    with raises(NotImplementedError, f"\"orgqr_cpu\" not implemented for '{name}'"):
        fg.linalg.householder_product(a, fg.rand(2).to(getattr(fg, dtype)))


@pytest.mark.parametrize(("dim", "fragment"), [
    (True, "hash_tensor(): argument 'dim' (position 2) must be tuple of ints, not bool"),
    ([True], "hash_tensor(): argument 'dim' (position 2) must be tuple of ints, but found element of type bool at pos 0"),
    (1.5, "hash_tensor(): argument 'dim' (position 2) must be tuple of ints, not float"),
])
def test_hash_tensor_checks_dim(dim, fragment):
    with raises(TypeError, fragment):
        fg.hash_tensor(fg.tensor(X), dim)


@pytest.mark.parametrize("dim", [None, True, 1.5, "a"])
def test_squeeze_inplace_refuses_a_dim_that_is_not_one(dim):
    with raises(TypeError, "squeeze_() received an invalid combination of arguments - got ("):
        fg.tensor(X).squeeze_(dim)


# ---- 18. NaN and infinite parameters: rrelu, softshrink, isclose ----------------------------

@pytest.mark.parametrize(("call", "fragment"), [
    (lambda x: F.rrelu(x, math.nan), "rrelu: lower bound must be finite, got nan"),
    (lambda x: F.rrelu(x, 0.1, math.nan), "rrelu: upper bound must be finite, got nan"),
    (lambda x: F.rrelu(x, 0.1, math.inf), "rrelu: upper bound must be finite, got inf"),
    (lambda x: F.rrelu(x, math.nan, 0.3, True), "rrelu: lower bound must be finite, got nan"),
    (lambda x: fg.rrelu(x, math.nan), "rrelu: lower bound must be finite, got nan"),
    (lambda x: F.rrelu_(x, math.nan), "Lower bound should be less than or equal to the upper bound"),
    (lambda x: fg.rrelu_(x, math.nan), "Lower bound should be less than or equal to the upper bound"),
    (lambda x: F.rrelu(x, math.nan, inplace=True), "Lower bound should be less than or equal to the upper bound"),
    (lambda x: F.softshrink(x, math.nan), "lambda must be in range [0, 3.40282e+38] for input dtype Float, but found nan"),
    (lambda x: F.softshrink(x, 1e39), "lambda must be in range [0, 3.40282e+38] for input dtype Float, but found 1e+39"),
    (lambda x: F.softshrink(x, -1.0), "lambda must be in range [0, 3.40282e+38] for input dtype Float, but found -1"),
    (lambda x: F.softshrink(x.double(), math.inf),
     "lambda must be in range [0, 1.79769e+308] for input dtype Double, but found inf"),
    (lambda x: x.isclose(x, math.nan), "rtol must be greater than or equal to zero, but got nan"),
    (lambda x: x.allclose(x, 1e-5, math.nan), "atol must be greater than or equal to zero, but got nan"),
])
def test_nan_and_infinite_parameters_are_refused(call, fragment):
    with raises(RuntimeError, fragment):
        call(fg.tensor(X))


def test_rrelu_training_has_no_half_kernel():
    with raises(NotImplementedError, "\"rrelu_with_noise_out_cpu\" not implemented for 'Half'"):
        fg.nn.RReLU()(fg.tensor(X).half())
    assert fg.nn.RReLU().eval()(fg.tensor(X).half()).dtype == fg.float16


# ---- 19. normal draws with an infinite mean or std (small tensors took NaN) -------------------

@pytest.mark.parametrize(("call", "expected"), [
    (lambda: fg.zeros(3).normal_(math.inf), [math.inf] * 3),
    (lambda: fg.zeros(3).normal_(0.0, math.inf), [math.inf, -math.inf, -math.inf]),
    (lambda: fg.zeros(3, dtype=fg.float64).normal_(0.0, math.inf), [math.inf, -math.inf, -math.inf]),
    (lambda: fg.nn.init.normal_(fg.zeros(3), math.inf), [math.inf] * 3),
    (lambda: fg.nn.init.xavier_normal_(fg.zeros(2, 3), math.inf).flatten(), [math.inf, -math.inf, -math.inf] * 2),
    (lambda: fg.zeros(3).normal_(1.0, 2.0), [4.081992149353027, 0.4131421744823456, -3.357578754425049]),
])
def test_normal_with_infinite_parameters_gives_infinities(call, expected):
    fg.manual_seed(0)
    assert call().tolist() == expected
