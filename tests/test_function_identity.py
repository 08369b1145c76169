"""The public functions are the same objects for the whole life of the process, so that
tables keyed by them (a tensor-like's HANDLED_FUNCTIONS, a mode's dispatch dict) and names
imported early keep working after the first dispatching subclass or mode appears, and
every namespace's functions reach `__torch_function__` (expected outcomes checked against
PyTorch 2.13)."""

import subprocess
import sys
import textwrap
from typing import ClassVar

import pytest
from backend import IS_TORCH, MOD, fg

F = fg.nn.functional


def _run(script: str) -> None:
    """Runs `script` in a fresh process (no subclass defined yet) with `torch` bound to
    the module under test."""
    code = f"import {MOD} as torch\n" + textwrap.dedent(script)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-3000:]


def test_a_table_made_before_the_first_subclass_still_matches():
    _run("""
        HANDLED = {}

        class Like:
            def __torch_function__(self, func, types, args=(), kwargs=None):
                return HANDLED[func](*args, **(kwargs or {}))

        HANDLED[torch.mean] = lambda x, *a, **k: "mean of a Like"
        HANDLED[torch.nn.functional.relu] = lambda x, *a, **k: "relu of a Like"

        class Sub(torch.Tensor):
            pass

        assert torch.mean(Like()) == "mean of a Like"
        assert torch.nn.functional.relu(Like()) == "relu of a Like"
    """)


def test_a_function_imported_before_the_first_subclass_dispatches():
    _run("""
        add, cos = torch.add, torch.cos
        norm = torch.linalg.vector_norm

        class Sub(torch.Tensor):
            pass

        s = torch.ones(2).as_subclass(Sub)
        assert add is torch.add and type(add(s, s)) is Sub and type(cos(s)) is Sub
        assert type(norm(s)) is Sub
    """)


class _Recorder(fg.Tensor):
    seen: ClassVar[list] = []

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        cls.seen.append(func)
        return super().__torch_function__(func, types, args, kwargs)


@pytest.mark.parametrize(
    "func",
    [fg.add, fg.cos, fg.zeros_like, fg.flatten, F.relu, F.softmax, fg.linalg.norm, fg.linalg.vector_norm,
     fg.special.erf, fg.fft.fft],
)
def test_a_subclass_handler_gets_the_public_function(func):
    x = fg.ones(2, 2).as_subclass(_Recorder)
    _Recorder.seen.clear()
    args = (x, x) if func is fg.add else (x, 0) if func is F.softmax else (x,)
    out = func(*args)
    assert _Recorder.seen[0] is func
    assert type(out) is _Recorder


class _Mode(fg.overrides.TorchFunctionMode):
    def __init__(self):
        super().__init__()
        self.seen = []

    def __torch_function__(self, func, types, args=(), kwargs=None):
        self.seen.append(func)
        return func(*args, **(kwargs or {}))


def test_a_mode_sees_the_functions_of_every_namespace_and_not_the_settings():
    x = fg.ones(2, 2)
    before = (fg.add, F.relu, fg.linalg.norm, fg.special.erf, fg.fft.fft, fg.zeros)
    with _Mode() as mode:
        fg.manual_seed(0)
        fg.get_default_dtype()
        fg.zeros(2)
        fg.add(x, x)
        F.relu(x)
        fg.linalg.norm(x)
        fg.special.erf(x)
        fg.fft.fft(x)
    assert mode.seen == [fg.zeros, fg.add, F.relu, fg.linalg.norm, fg.special.erf, fg.fft.fft]
    assert (fg.add, F.relu, fg.linalg.norm, fg.special.erf, fg.fft.fft, fg.zeros) == before


def test_a_mode_table_keyed_before_entering_matches():
    table = {fg.add: "add", fg.mul: "mul"}
    found = []

    class Lookup(fg.overrides.TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            found.append(table.get(func))
            return func(*args, **(kwargs or {}))

    x = fg.ones(2)
    with Lookup():
        fg.add(x, x)
        fg.mul(x, 2)
    assert found == ["add", "mul"]


@pytest.mark.skipif(IS_TORCH, reason="ferrograd's gate: when the functions start to look for overrides")
def test_functions_look_for_overrides_only_once_something_can_override():
    _run("""
        from ferrograd import _subclass_dispatch as gates

        assert not gates.LIVE[0]
        with torch.overrides.TorchFunctionMode():
            assert gates.LIVE[0]
        assert not gates.LIVE[0]

        class Plain(torch.Tensor):
            __torch_function__ = torch._C._disabled_torch_function_impl

        assert not gates.LIVE[0]

        class Sub(torch.Tensor):
            pass

        assert gates.LIVE[0]
    """)


def test_a_plain_method_torch_function_gets_its_instance_with_one_warning():
    _run("""
        import warnings

        class Like:
            def __torch_function__(self, func, types, args=(), kwargs=None):
                return (type(self).__name__, func.__name__)

        class Sub(torch.Tensor):
            def __torch_function__(self, func, types, args=(), kwargs=None):
                return (type(self).__name__, func.__name__)

        s = torch.ones(2).as_subclass(Sub)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            assert torch.mean(Like()) == ("Like", "mean")
            assert torch.add(s, s) == ("Sub", "add")
        assert [type(w.message) for w in caught] == [UserWarning], caught  # once per process
        assert "plain method is deprecated" in str(caught[0].message)
    """)
