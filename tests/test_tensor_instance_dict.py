"""Attributes set on tensors, as in PyTorch: every tensor takes new attributes, its
`__dict__` starts empty, and weak references work.

Op results are made without an eager `__dict__` (see `src/python/tensor_object.rs`):
these tests check that a result behaves like any other tensor object all the same.
"""

import copy
import gc
import pickle
import weakref

import pytest
from backend import fg


def op_results():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    y = fg.tensor([3.0, 4.0])
    return {
        "add with grad": x + y,
        "add without grad": y + y,
        "0-dim tanh": fg.tensor(0.5, requires_grad=True).tanh(),
        "factory": fg.zeros(2),
        "view": y[0],
        "detach": x.detach(),
    }


@pytest.mark.parametrize("name", list(op_results()))
def test_a_fresh_result_has_an_empty_dict_and_takes_attributes(name):
    t = op_results()[name]
    assert t.__dict__ == {}
    assert vars(t) == {}
    assert not hasattr(t, "foo")
    t.foo = 1
    t.bar = "two"
    assert (t.foo, t.bar) == (1, "two")
    assert t.__dict__ == {"foo": 1, "bar": "two"}
    del t.foo
    assert t.__dict__ == {"bar": "two"}
    with pytest.raises(AttributeError):
        _ = t.foo


def test_missing_attribute_names_the_attribute():
    t = fg.ones(2) * 2
    with pytest.raises(AttributeError, match="no_such_attribute"):
        _ = t.no_such_attribute


def test_attributes_stay_with_the_object_an_in_place_op_returns():
    t = fg.ones(2) + 1
    t.tag = "kept"
    assert t.add_(1) is t
    assert t.tag == "kept"
    assert t.tolist() == [3.0, 3.0]


def test_dict_assigned_as_a_whole():
    t = fg.ones(1) + 0
    t.__dict__ = {"a": 5}
    assert t.a == 5


def test_weak_reference_to_a_result_dies_with_it():
    t = fg.ones(2) * 3
    ref = weakref.ref(t)
    assert ref() is t
    del t
    assert ref() is None


def test_a_cycle_through_a_results_dict_is_collected():
    gc.collect()
    t = fg.ones(2, requires_grad=True) * 3
    t.me = t
    ref = weakref.ref(t)
    del t
    gc.collect()
    assert ref() is None


def test_attributes_survive_deepcopy_and_pickle():
    t = fg.tensor([1.0, 2.0]) + 1
    t.note = "n"
    c = copy.deepcopy(t)
    assert c.note == "n" and c.tolist() == [2.0, 3.0]
    p = pickle.loads(pickle.dumps(t))
    assert p.tolist() == [2.0, 3.0]


def test_many_results_with_and_without_attributes_free_cleanly():
    x = fg.tensor(0.25, requires_grad=True)
    v = x
    kept = []
    for i in range(300):
        v = (v * x + 0.5).tanh()
        if i % 7 == 0:
            v.step = i
            kept.append(v)
    v.backward()
    assert [k.step for k in kept] == list(range(0, 300, 7))
    assert x.grad is not None and x.grad.dim() == 0
