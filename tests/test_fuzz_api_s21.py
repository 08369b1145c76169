"""Session 21 differences from PyTorch 2.13 (CPU) found by `tools/fuzz_api.py`, the
bad-input fuzzer of the whole public API: the argument checks of the methods of missing
backends (`cuda`, `xpu`, `ipu`, `mtia`, the quantized accessors, the removed `eig`,
`symeig`, `solve`) and the removed `autograd.variable`. Expected types and messages are
PyTorch's; the file also runs against PyTorch (`FG_TEST_BACKEND=torch`)."""

import re

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
