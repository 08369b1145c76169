"""`ferrograd.cuda` (a module now, with `cuda.amp`'s deprecated aliases), `accelerator`
and `mps`, as a CPU-only PyTorch 2.13 on Linux answers them (the file also runs with
FG_TEST_BACKEND=torch)."""

import importlib
import sys
import warnings

import pytest
from backend import MOD, fg

cuda_amp = importlib.import_module(f"{MOD}.cuda.amp")
A = importlib.import_module(f"{MOD}.accelerator")
mps = importlib.import_module(f"{MOD}.mps")
mps_profiler = importlib.import_module(f"{MOD}.mps.profiler")

NO_ACCELERATOR = "^Cannot access accelerator device when none is available.$"
NOT_COMPILED = "not compiled with CUDA enabled$"


def test_the_device_namespaces_are_modules():
    for name in ("cuda", "cuda.amp", "accelerator", "accelerator.memory", "mps", "mps.profiler"):
        assert f"{MOD}.{name}" in sys.modules
    assert fg.cuda.amp is cuda_amp and fg.get_device_module("cuda") is fg.cuda


# --- cuda ---------------------------------------------------------------------------------

def test_cuda_answers_as_a_build_without_cuda():
    c = fg.cuda
    assert (c.is_available(), c.device_count(), c.is_initialized(), c.is_bf16_supported()) == (False, 0, False, False)
    assert (c.memory_allocated(), c.max_memory_allocated(), c.get_arch_list()) == (0, 0, [])
    assert (c.manual_seed(1), c.manual_seed_all(1), c.seed(), c.seed_all(), c.empty_cache()) == (None,) * 5


@pytest.mark.parametrize("name", ["synchronize", "current_device", "get_device_name", "get_device_capability",
                                  "init", "get_rng_state", "ipc_collect"])
def test_cuda_operations_that_need_a_device_raise(name):
    with pytest.raises(AssertionError, match=NOT_COMPILED):
        getattr(fg.cuda, name)()


def caught(make):
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        result = make()
    return result, [(w.category, str(w.message).replace("torch.", "ferrograd.")) for w in seen]


def deprecated(old, new):
    return (FutureWarning, f"`ferrograd.cuda.amp.{old}` is deprecated. Please use `{new}` instead.")


def test_cuda_amp_autocast_warns_and_disables_itself():
    def enter():
        with cuda_amp.autocast() as a:
            return a.device, a.fast_dtype, a._enabled, fg.is_autocast_enabled("cuda")

    result, seen = caught(enter)
    assert result == ("cuda", fg.float16, False, False)
    assert seen == [deprecated("autocast(args...)", "ferrograd.amp.autocast('cuda', args...)"),
                    (UserWarning, "CUDA is not available or torch_xla is imported. Disabling autocast.")]
    _, seen = caught(lambda: cuda_amp.autocast(enabled=False))
    assert len(seen) == 1 and issubclass(cuda_amp.autocast, fg.amp.autocast)


def test_cuda_amp_grad_scaler_warns_and_disables_itself():
    scaler, seen = caught(cuda_amp.GradScaler)
    assert seen == [deprecated("GradScaler(args...)", "ferrograd.amp.GradScaler('cuda', args...)"),
                    (UserWarning, "ferrograd.cuda.amp.GradScaler is enabled, but CUDA is not available.  Disabling.")]
    assert isinstance(scaler, fg.amp.GradScaler) and not scaler.is_enabled() and scaler.get_scale() == 1.0
    loss = fg.tensor(2.0)
    assert scaler.scale(loss) is loss


def test_cuda_amp_custom_fwd_and_bwd_are_deprecated_forms():
    class Ctx:
        pass

    def f(ctx, x):
        return x + 1

    wrapped, seen = caught(lambda: cuda_amp.custom_fwd(f))
    assert wrapped(Ctx(), 1) == 2
    assert seen == [deprecated("custom_fwd(args...)", "ferrograd.amp.custom_fwd(args..., device_type='cuda')")]
    wrapped, seen = caught(lambda: cuda_amp.custom_bwd(f))
    assert callable(wrapped)  # (PyTorch's needs the ctx of a custom_fwd forward to run)
    assert seen == [deprecated("custom_bwd(args...)", "ferrograd.amp.custom_bwd(args..., device_type='cuda')")]
    assert cuda_amp.amp_definitely_not_available() is True
    assert sorted(cuda_amp.__all__) == ["GradScaler", "amp_definitely_not_available", "autocast",
                                        "custom_bwd", "custom_fwd"]


# --- accelerator --------------------------------------------------------------------------

def test_accelerator_answers_as_a_cpu_only_build():
    assert (A.is_available(), A.device_count(), A.current_accelerator(), A.current_accelerator(True)) == (
        False, 0, None, None)
    with A.device_index(None):  # no switch asked for
        pass
    with pytest.raises(RuntimeError, match=NO_ACCELERATOR), A.device_index(0):
        pass


@pytest.mark.parametrize("call", [
    lambda: A.current_device_index(), lambda: A.synchronize(), lambda: A.get_device_capability(),
    lambda: A.current_stream(), lambda: A.set_device_index(0), lambda: A.synchronize(0), lambda: A.Graph(),
    lambda: A.empty_cache(), lambda: A.memory_allocated(), lambda: A.memory_stats(), lambda: A.max_memory_reserved(),
    lambda: A.reset_peak_memory_stats(), lambda: A.get_memory_info(),
])
def test_accelerator_operations_raise_without_one(call):
    with pytest.raises(RuntimeError, match=NO_ACCELERATOR):
        call()


def test_accelerator_device_arguments():
    with pytest.raises(RuntimeError, match="^Accelerator expected$"):
        A.synchronize("cpu")
    with pytest.raises(RuntimeError, match="^Accelerator expected$"):
        A.set_device_index(fg.device("cuda", 0))
    with pytest.raises(ValueError, match="^Expected a ferrograd.device with a specified index or an integer, "
                                         "but got:None$") if MOD == "ferrograd" else pytest.raises(ValueError):
        A.set_device_index(None)


def test_accelerator_deprecated_names_warn():
    with pytest.warns(FutureWarning, match="^Use `current_device_index` instead.$"), \
            pytest.raises(RuntimeError, match=NO_ACCELERATOR):
        A.current_device_idx()
    with pytest.warns(FutureWarning, match="^Use `set_device_index` instead.$"), \
            pytest.raises(RuntimeError, match=NO_ACCELERATOR):
        A.set_device_idx(0)


# --- mps ----------------------------------------------------------------------------------

def test_mps_is_not_available_on_linux():
    assert (mps.is_available(), mps.device_count(), mps.manual_seed(1)) == (False, 0, None)
    assert (mps_profiler.is_metal_capture_enabled(), mps_profiler.is_capturing_metal()) == (False, False) \
        if MOD == "ferrograd" else True  # PyTorch's CPU build raises AttributeError here


@pytest.mark.parametrize("call, operation", [
    (lambda: mps.seed(), "getDefaultGenerator"), (lambda: mps.get_rng_state(), "getDefaultGenerator"),
    (lambda: mps.synchronize(), "deviceSynchronize"), (lambda: mps.empty_cache(), "emptyCache"),
    (lambda: mps.current_allocated_memory(), "getCurrentAllocatedMemory"),
    (lambda: mps.driver_allocated_memory(), "getDriverAllocatedMemory"),
    (lambda: mps.recommended_max_memory(), "getRecommendedMaxMemory"),
    (lambda: mps.set_per_process_memory_fraction(0.5), "setMemoryFraction"),
    (lambda: mps.Event(), "acquireEvent"), (lambda: mps_profiler.start(), "profilerStartTrace"),
    (lambda: mps_profiler.stop(), "profilerStopTrace"),
])
def test_mps_operations_raise_without_the_backend(call, operation):
    with pytest.raises(RuntimeError, match=f"^Cannot execute {operation}\\(\\) without MPS backend.$"):
        call()


def test_mps_argument_checks_come_first():
    with pytest.raises(TypeError, match="^Invalid type for fraction argument, must be `float`$"):
        mps.set_per_process_memory_fraction(1)
    with pytest.raises(ValueError, match="^Invalid fraction value: 3.0. Allowed range: 0~2$"):
        mps.set_per_process_memory_fraction(3.0)
    with pytest.raises(TypeError, match="^expected bytes or path, got int$"):
        mps.load_metallib(3)
    for call in (lambda: mps.load_metallib(b"x"), lambda: mps.compile_shader("kernel void f() {}")):
        with pytest.raises(RuntimeError, match="^MPS is not available$"):
            call()
