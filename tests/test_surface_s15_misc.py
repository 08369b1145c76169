"""`sym_*` helpers and `serialization`'s safe globals: results and exception types
hard-coded from PyTorch 2.13 (runs against torch with FG_TEST_BACKEND=torch)."""

import io
import pickle

import numpy as np
import pytest
from backend import fg

SYM = [
    ("sym_int float", lambda: fg.sym_int(3.7), 3, int),
    ("sym_int negative", lambda: fg.sym_int(-3.7), -3, int),
    ("sym_int tensor", lambda: fg.sym_int(fg.tensor(2.5)), 2, int),
    ("sym_int string", lambda: fg.sym_int("12"), 12, int),
    ("sym_float int", lambda: fg.sym_float(3), 3.0, float),
    ("sym_float tensor", lambda: fg.sym_float(fg.tensor(2)), 2.0, float),
    ("sym_max ints", lambda: fg.sym_max(1, 2), 2, int),
    ("sym_max promotes", lambda: fg.sym_max(3, 2.0), 3.0, float),
    ("sym_max bool", lambda: fg.sym_max(True, 2), 2, int),
    ("sym_min numpy float", lambda: fg.sym_min(np.float32(1.5), 2), 1.5, float),
    ("sym_min ints", lambda: fg.sym_min(1, 2), 1, int),
    ("sym_not", lambda: fg.sym_not(0), True, bool),
    ("sym_not tensor", lambda: fg.sym_not(fg.tensor(True)), False, bool),
    ("sym_ite", lambda: fg.sym_ite(True, 1, 2), 1, int),
    ("sym_sum list", lambda: fg.sym_sum([1, 2, 3]), 6, int),
    ("sym_sum args", lambda: fg.sym_sum(1, 2, 3), 6, int),
    ("sym_sum floats", lambda: fg.sym_sum([1, 2.5]), 3.5, float),
    ("sym_sum empty", lambda: fg.sym_sum([]), 0, int),
    ("sym_sqrt", lambda: fg.sym_sqrt(4), 2.0, float),
    ("sym_sqrt tensor", lambda: fg.sym_sqrt(fg.tensor(4.0)), 2.0, float),
    ("sym_fresh_size", lambda: fg.sym_fresh_size(3), 3, int),
]


@pytest.mark.parametrize("name,fn,expected,kind", SYM, ids=[c[0] for c in SYM])
def test_sym_helpers_on_plain_values(name, fn, expected, kind):
    out = fn()
    assert type(out) is kind and out == expected


def test_sym_max_keeps_a_numpy_integer():
    out = fg.sym_max(np.int64(3), 2)
    assert type(out) is np.int64 and out == 3


def test_sym_sum_of_tensors_is_a_tensor():
    out = fg.sym_sum([fg.tensor(1), 2])
    assert isinstance(out, fg.Tensor) and out.item() == 3


SYM_ERRORS = [
    ("sym_int of a vector", lambda: fg.sym_int(fg.tensor([1, 2])), ValueError),
    ("sym_float of a word", lambda: fg.sym_float("x"), ValueError),
    ("sym_max of a tensor", lambda: fg.sym_max(fg.tensor(1), 2), AssertionError),
    ("sym_not of a vector", lambda: fg.sym_not(fg.tensor([1, 2])), RuntimeError),
    ("sym_ite of an int", lambda: fg.sym_ite(1, 1, 2), AssertionError),
    ("sym_ite of a tensor", lambda: fg.sym_ite(fg.tensor(True), 1, 2), AssertionError),
    ("sym_ite of two types", lambda: fg.sym_ite(False, 1, 2.0), AssertionError),
    ("sym_sqrt of a negative", lambda: fg.sym_sqrt(-1), ValueError),
]


@pytest.mark.parametrize("name,fn,error", SYM_ERRORS, ids=[c[0] for c in SYM_ERRORS])
def test_sym_errors(name, fn, error):
    with pytest.raises(error):
        fn()


class Payload:
    """A user class the checkpoint names as a global."""

    def __init__(self):
        self.a = 7


def _checkpoint() -> bytes:
    buffer = io.BytesIO()
    fg.save({"p": Payload(), "t": fg.ones(2)}, buffer)
    return buffer.getvalue()


@pytest.fixture
def clean_safe_globals():
    S = fg.serialization
    before = S.get_safe_globals()
    S.clear_safe_globals()
    yield S
    S.clear_safe_globals()
    S.add_safe_globals(before)


def test_weights_only_load_refuses_an_unknown_class(clean_safe_globals):
    with pytest.raises(pickle.UnpicklingError):
        fg.load(io.BytesIO(_checkpoint()))
    assert fg.load(io.BytesIO(_checkpoint()), weights_only=False)["p"].a == 7


def test_unsafe_globals_are_listed_without_loading(clean_safe_globals):
    name = f"{Payload.__module__}.Payload"
    assert clean_safe_globals.get_unsafe_globals_in_checkpoint(io.BytesIO(_checkpoint())) == [name]


def test_add_safe_globals_allows_the_class(clean_safe_globals):
    S = clean_safe_globals
    S.add_safe_globals([Payload])
    assert S.get_safe_globals() == [Payload]
    loaded = fg.load(io.BytesIO(_checkpoint()))
    assert loaded["p"].a == 7 and loaded["t"].tolist() == [1.0, 1.0]
    assert S.get_unsafe_globals_in_checkpoint(io.BytesIO(_checkpoint())) == []
    S.clear_safe_globals()
    assert S.get_safe_globals() == []


def test_safe_globals_context_takes_a_named_pair_and_restores(clean_safe_globals):
    S = clean_safe_globals
    entry = (Payload, f"{Payload.__module__}.Payload")
    with S.safe_globals([entry]):
        assert S.get_safe_globals() == [entry]
        assert fg.load(io.BytesIO(_checkpoint()))["p"].a == 7
    assert S.get_safe_globals() == []
    with pytest.raises(pickle.UnpicklingError):
        fg.load(io.BytesIO(_checkpoint()))


def test_add_safe_globals_needs_a_list(clean_safe_globals):
    with pytest.raises(TypeError):
        clean_safe_globals.add_safe_globals(Payload)


def test_serialization_module_has_save_and_load():
    buffer = io.BytesIO()
    fg.serialization.save(fg.tensor([1.5, 2.5]), buffer)
    assert fg.serialization.load(io.BytesIO(buffer.getvalue())).tolist() == [1.5, 2.5]


def test_convert_conv_weight_memory_formats():
    from_nn = fg.nn
    model = from_nn.Sequential(from_nn.Conv2d(3, 2, 3), from_nn.Linear(2, 2), from_nn.ConvTranspose3d(1, 1, 2))
    before = model[0].weight.detach().clone()
    out = from_nn.utils.convert_conv2d_weight_memory_format(model, fg.channels_last)
    assert out is model
    assert model[0].weight.stride() == (27, 1, 9, 3) and model[1].weight.stride() == (2, 1)
    assert isinstance(model[0].weight, from_nn.Parameter) and model[0].weight.requires_grad
    assert bool((model[0].weight == before).all())
    from_nn.utils.convert_conv3d_weight_memory_format(model, fg.channels_last_3d)
    assert model[2].weight.stride() == (8, 1, 4, 2, 1)
    from_nn.utils.convert_conv2d_weight_memory_format(model, fg.contiguous_format)
    assert model[0].weight.stride() == (27, 9, 3, 1)


@pytest.mark.parametrize("convert,module,fmt,error", [
    ("convert_conv2d_weight_memory_format", lambda nn: nn.Conv2d(2, 2, 2), "x", TypeError),
    ("convert_conv3d_weight_memory_format", lambda nn: nn.Conv3d(2, 2, 2), "channels_last", RuntimeError),
    ("convert_conv2d_weight_memory_format", lambda nn: nn.Conv2d(2, 2, 2), "channels_last_3d", RuntimeError),
])
def test_convert_conv_weight_memory_format_errors(convert, module, fmt, error):
    fmt = getattr(fg, fmt, fmt)
    with pytest.raises(error):
        getattr(fg.nn.utils, convert)(module(fg.nn), fmt)


def test_convert_conv2d_leaves_other_convs_alone():
    conv = fg.nn.Conv1d(2, 2, 2)
    fg.nn.utils.convert_conv2d_weight_memory_format(conv, fg.channels_last)
    assert conv.weight.stride() == (4, 2, 1)


def test_get_device_module_and_storage():
    assert fg.get_device_module() is fg.cpu and fg.get_device_module("cpu") is fg.cpu
    assert fg.get_device_module(fg.device("cpu")) is fg.cpu
    assert fg.get_device_module("cuda:0") is fg.cuda
    assert fg.Storage is fg.FloatStorage
    for bad in ("foo", 3, "meta"):
        with pytest.raises(RuntimeError):
            fg.get_device_module(bad)


def test_functional_grad_is_the_nn_grad_module():
    assert fg.nn.functional.grad is fg.nn.grad
    assert callable(fg.nn.functional.grad.conv2d_input)


def test_cond_runs_the_chosen_branch():
    x = fg.tensor(1.0)
    assert fg.cond(True, lambda v: v + 1, lambda v: v - 1, (x,)).item() == 2.0
    assert fg.cond(fg.tensor(False), lambda v: v + 1, lambda v: v - 1, [x]).item() == 0.0
    assert fg.cond(1, lambda v: v + 1, lambda v: v - 1, (x,)).item() == 2.0
    assert fg.cond(True, lambda: 1, lambda: 2) == 1


def test_cond_gradient_flows_through_the_branch():
    x = fg.tensor(1.5, requires_grad=True)
    fg.cond(fg.tensor(True), lambda v: v * 2, lambda v: v - 1, (x,)).backward()
    assert x.grad.item() == 2.0


@pytest.mark.parametrize("args,error", [
    ((fg.tensor([True, False]), lambda v: v, lambda v: v, (fg.tensor(1.0),)), RuntimeError),
    (("a", lambda v: v, lambda v: v, (fg.tensor(1.0),)), RuntimeError),
    ((fg.tensor(True), lambda v: v, 3, (fg.tensor(1.0),)), RuntimeError),
    ((fg.tensor(True), lambda v: v, lambda v: v, fg.tensor(1.0)), RuntimeError),
    ((fg.tensor(True), lambda v, w: v, lambda v, w: v, (fg.tensor(1.0), 3)), RuntimeError),
    ((True, 1, 2, ()), TypeError),
])
def test_cond_errors(args, error):
    with pytest.raises(error):
        fg.cond(*args)


@pytest.mark.parametrize("call", [
    lambda: fg.eig(fg.eye(2)),
    lambda: fg.eig(fg.eye(2), True),
    lambda: fg.solve(fg.eye(2), fg.eye(2)),
    lambda: fg.symeig(fg.eye(2)),
])
def test_removed_linalg_functions_raise_runtime_error(call):
    with pytest.raises(RuntimeError, match="deprecated since version 1.9 and is now removed"):
        call()


def test_removed_functions_check_their_arguments_first():
    with pytest.raises(TypeError):
        fg.eig()
    with pytest.raises(TypeError):
        fg.eig(fg.eye(2), x=3)


def test_grad_scaler_at_the_top_level():
    assert fg.GradScaler is fg.amp.GradScaler


def test_sym_constrain_range_accepts_values_in_range():
    assert fg.sym_constrain_range(5, min=0, max=10) is None
    assert fg.sym_constrain_range(5, min=None, max=None) is None
    assert fg.sym_constrain_range_for_size(5) is None
    assert fg.sym_constrain_range_for_size(-2, min=-3) is None


@pytest.mark.parametrize("call,error,message", [
    (lambda: fg.sym_constrain_range(5, min=6), RuntimeError,
     "Invalid value range for 5 between [6, 9223372036854775807]."),
    (lambda: fg.sym_constrain_range(5, max=4), RuntimeError,
     "Invalid value range for 5 between [-9223372036854775808, 4]."),
    (lambda: fg.sym_constrain_range_for_size(-1), RuntimeError,
     "Invalid value range for -1 between [0, 9223372036854775807]."),
    (lambda: fg.sym_constrain_range(fg.tensor(5), min=6), RuntimeError, "Invalid value range for 5"),
    (lambda: fg.sym_constrain_range(5.5, min=6), RuntimeError, "Invalid value range for 5 "),
    (lambda: fg.sym_constrain_range_for_size(5, min=0, max=3), RuntimeError, "between [0, 3]"),
    (lambda: fg.sym_constrain_range(5, min=7, max=3), RuntimeError,
     "Max must be greater than or equal to min. Got min=7 max=3"),
    (lambda: fg.sym_constrain_range(5, 6), TypeError, "positional"),
    (lambda: fg.sym_constrain_range("a"), TypeError, "must be Number, not str"),
    (lambda: fg.sym_constrain_range(5, min=1.5), TypeError, "argument 'min' must be int, not float"),
])
def test_sym_constrain_range_errors(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert message in str(info.value)


@pytest.mark.parametrize("size,fmt,strides", [
    ((2, 3, 4, 5), "channels_last", (60, 1, 15, 3)),
    ((2, 0, 3, 3), "channels_last", (0, 1, 0, 0)),
    ((2, 3, 1, 1), "channels_last", (3, 1, 3, 3)),
    ((1, 2, 3, 4, 5), "channels_last_3d", (120, 1, 40, 10, 2)),
    ((2, 3), "contiguous_format", (3, 1)),
])
def test_resize_with_memory_format_gives_its_strides(size, fmt, strides):
    x = fg.zeros(1)
    x.resize_(size, memory_format=getattr(fg, fmt))
    assert x.stride() == strides


def test_resize_to_channels_last_reinterprets_the_storage():
    w = fg.arange(96.0).reshape(2, 3, 4, 4)
    y = w.resize_(w.size(), memory_format=fg.channels_last)
    assert y.stride() == (48, 1, 12, 3) and not y.is_contiguous()
    assert y[0, :, 0, 0].tolist() == [0.0, 1.0, 2.0]


@pytest.mark.parametrize("size,fmt,error", [
    ((2, 3, 2, 2), "preserve_format", RuntimeError),
    ((2, 3, 2, 2), "channels_last_3d", RuntimeError),
    ((2, 3, 2), "channels_last", RuntimeError),
    ((2, 3, 2), "a", TypeError),
])
def test_resize_memory_format_errors(size, fmt, error):
    x = fg.arange(24.0).reshape(2, 3, 4)
    with pytest.raises(error):
        x.resize_(size, memory_format=getattr(fg, fmt, fmt))
