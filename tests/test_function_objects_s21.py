"""The public functions as objects: pickled and copied by reference, held by a class
(PyTorch's builtins stay themselves, its functions written in Python bind as methods),
weakly referenced, documented and partially applied, whether they run their Tensor method
(`ferrograd.cos`) or only pass a gate (`ferrograd.clamp_min`). Expected outcomes checked
against PyTorch 2.13."""

import copy
import functools
import inspect
import pickle
import pydoc
import types
import weakref

import numpy as np
import pytest
from backend import fg

F = fg.nn.functional

_FUNCTIONS = [fg.cos, fg.add, fg.sum, fg.matmul, fg.clamp_min, fg.einsum, F.relu, F.softmax, F.hardshrink,
              fg.stack, fg.relu, fg.clone, F.tanh, fg.fft.fft]


@pytest.mark.parametrize("func", _FUNCTIONS)
def test_pickling_and_copying_give_the_same_object(func):
    assert pickle.loads(pickle.dumps(func)) is func
    assert copy.copy(func) is func
    assert copy.deepcopy(func) is func
    assert copy.deepcopy({"f": [func]})["f"][0] is func


@pytest.mark.parametrize("func", _FUNCTIONS)
def test_a_weak_reference_finds_the_function(func):
    assert weakref.ref(func)() is func


def test_a_builtin_held_by_a_class_is_not_bound():
    class Holder:
        cos = fg.cos
        clamp_min = fg.clamp_min
        hardshrink = F.hardshrink
        stack = fg.stack

    h = Holder()
    x = fg.tensor([0.0, 2.0])
    assert h.cos is fg.cos and Holder.cos is fg.cos and h.stack is fg.stack
    assert h.clamp_min(x, 1.0).tolist() == [1.0, 2.0]
    assert h.hardshrink(x).tolist() == [0.0, 2.0]
    assert h.cos(x).tolist() == pytest.approx([1.0, -0.4161468365471424])


def test_a_function_written_in_python_held_by_a_class_binds():
    class Holder:
        relu = F.relu
        einsum = fg.einsum
        softmax = F.softmax
        tanh = F.tanh

    h = Holder()
    assert isinstance(h.relu, types.MethodType) and h.relu.__func__ is F.relu and h.relu.__self__ is h
    assert isinstance(h.einsum, types.MethodType)
    assert isinstance(h.softmax, types.MethodType) and h.softmax.__func__ is F.softmax
    assert isinstance(h.tanh, types.MethodType)
    assert Holder.relu is F.relu


def test_a_partial_of_a_function_runs_it():
    x, y = fg.tensor([1.0, 2.0]), fg.tensor([3.0, 4.0])
    assert functools.partial(fg.add, alpha=2)(x, y).tolist() == [7.0, 10.0]
    assert functools.partial(fg.sum, dim=0)(x).item() == 3.0
    assert functools.partial(F.relu)(x - 1.5).tolist() == [0.0, 0.5]


@pytest.mark.parametrize("func", [fg.cos, fg.add, fg.einsum, F.relu, F.hardshrink])
def test_names_and_docs_are_the_functions(func):
    name = func.__name__
    assert getattr(fg, name, None) is func or getattr(F, name, None) is func
    assert func.__doc__ and f"{name}(" in pydoc.render_doc(func, renderer=pydoc.plaintext)
    assert name in repr(func)


def test_the_signature_of_a_function_written_in_python():
    assert list(inspect.signature(F.relu).parameters) == ["input", "inplace"]
    assert list(inspect.signature(F.softmax).parameters) == ["input", "dim", "_stacklevel", "dtype"]


def test_keywords_the_method_lacks_take_the_functions_path():
    x = fg.tensor([[1.0, -2.0], [3.0, 4.0]])
    out = fg.empty(2)
    assert fg.sum(x, 1, out=out) is out and out.tolist() == [-1.0, 7.0]
    assert fg.sum(input=x, dim=0).tolist() == [4.0, 2.0]
    np.testing.assert_allclose(fg.add(x, 1, alpha=2).tolist(), [[3.0, 0.0], [5.0, 6.0]])
    assert F.relu(input=x).tolist() == [[1.0, 0.0], [3.0, 4.0]]


def test_a_tensor_subclass_argument_keeps_its_class_through_the_function():
    class Sub(fg.Tensor):
        pass

    s = fg.ones(2).as_subclass(Sub)
    assert type(fg.cos(s)) is Sub and type(fg.clamp_min(s, 0.5)) is Sub and type(F.relu(s)) is Sub
    assert type(fg.add(fg.ones(2), s)) is Sub
    assert type(fg.add(fg.ones(2), other=s)) is Sub and type(fg.sum(input=s, dim=0)) is Sub
    assert type(fg.stack([fg.ones(2), s])) is Sub and type(fg.cat((s, fg.ones(2)))) is Sub
    assert type(fg.cos(fg.ones(2))) is fg.Tensor and type(fg.add(fg.ones(2), 1, alpha=2)) is fg.Tensor


def test_a_tensor_like_keyword_argument_is_handed_the_function():
    seen = []

    class Like:
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            seen.append((func, sorted(kwargs or {})))
            return "handled"

    x = fg.ones(2)
    assert fg.add(x, 1, alpha=Like()) == "handled"
    assert fg.clamp_min(Like(), 0.0) == "handled"
    assert seen == [(fg.add, ["alpha"]), (fg.clamp_min, [])]

