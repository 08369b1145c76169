"""`ferrograd.utils.swap_tensors` as PyTorch's: contents, class and `__dict__` change
places while each object keeps its identity; held tensors are refused."""

import weakref

import ferrograd as fg
import pytest
from ferrograd import nn
from ferrograd._C import _disabled_torch_function_impl


def test_contents_and_autograd_state_swap_identities_stay():
    a = fg.ones(2, requires_grad=True)
    b = fg.zeros(3)
    assert (a._use_count(), b._use_count()) == (1, 1)
    ids = (id(a), id(b))
    fg.utils.swap_tensors(a, b)
    assert (id(a), id(b)) == ids
    assert repr(a) == "tensor([0., 0., 0.])"
    assert repr(b) == "tensor([1., 1.], requires_grad=True)"
    assert (a.requires_grad, b.requires_grad, a.is_leaf, b.is_leaf) == (False, True, True, True)
    (b * 3).sum().backward()
    assert b.grad.tolist() == [3.0, 3.0]


def test_class_and_dict_swap():
    class Marked(fg.Tensor):
        __torch_function__ = _disabled_torch_function_impl  # no dispatch wrappers for later tests

    x = fg.randn(2).as_subclass(Marked)
    x.foo = 1
    y = fg.zeros(2)
    fg.utils.swap_tensors(x, y)
    assert (type(x), type(y)) == (fg.Tensor, Marked)
    assert y.foo == 1 and not hasattr(x, "foo")


def test_parameter_of_a_module_swaps_in_place():
    m = nn.Linear(2, 2)
    fg.utils.swap_tensors(m.weight, nn.Parameter(fg.zeros(2, 2)))
    assert repr(m.weight) == "Parameter containing:\ntensor([[0., 0.],\n        [0., 0.]], requires_grad=True)"


@pytest.mark.parametrize("side", ["t1", "t2"])
def test_weakref_is_refused(side):
    held = fg.ones(1)
    ref = weakref.ref(held)
    pair = (held, fg.zeros(1)) if side == "t1" else (fg.zeros(1), held)
    with pytest.raises(RuntimeError, match=rf"^Cannot swap {side} because it has weakref associated with it$"):
        fg.utils.swap_tensors(*pair)
    assert ref() is held


def test_held_tensors_are_refused():
    base = fg.ones(3)
    view = base[:2]
    with pytest.raises(RuntimeError, match="^It is not possible to get the gradient edge for a Tensor that does not require gradients"):
        fg.utils.swap_tensors(base, fg.zeros(1))
    saved = fg.ones(2, requires_grad=True)
    out = (saved * saved).sum()
    with pytest.raises(RuntimeError, match=r"^Expected use_count of t1 to be 1 or 2 with an AccumulateGrad node but got \d+ make sure"):
        fg.utils.swap_tensors(saved, fg.zeros(2, requires_grad=True))
    assert view.tolist() == [1.0, 1.0] and out.item() == 2.0


def test_a_leaf_in_a_graph_poisons_its_accumulator():
    q = fg.ones(2, requires_grad=True)
    assert q._use_count() == 1
    out = (q * 2).sum()
    assert q._use_count() == 2
    fg.utils.swap_tensors(q, fg.zeros(2, requires_grad=True))
    with pytest.raises(RuntimeError, match="^Trying to execute AccumulateGrad node that was poisoned by swap_tensors"):
        out.backward()
