"""PyTorch 2.13's private-but-used autograd surface: a tensor's `_backward_hooks` and
`_post_accumulate_grad_hooks` dicts, `_grad`, `_grad_fn`, `_cdata`, `_is_zerotensor()`;
the graph-node attributes code in the wild reads. Expected values are PyTorch's.

Runs against PyTorch too with FG_TEST_BACKEND=torch.
"""

import copy
import pickle
import warnings
from collections import OrderedDict

import pytest
from backend import fg


def double(g):
    return g * 2


# ---- tensor hook dicts -------------------------------------------------------------------
def test_backward_hooks_is_none_until_a_hook_then_an_ordered_dict_by_handle_id():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    assert x._backward_hooks is None
    h1 = x.register_hook(double)
    h2 = x.register_hook(lambda g: g + 1)
    hooks = x._backward_hooks
    assert type(hooks) is OrderedDict and list(hooks) == [h1.id, h2.id] and hooks[h1.id] is double
    assert isinstance(h1, fg.utils.hooks.RemovableHandle)
    (x * 3).sum().backward()
    assert x.grad.tolist() == [7.0, 7.0]  # (3 * 2) + 1
    h1.remove()
    h1.remove()  # a second remove does nothing
    assert list(x._backward_hooks) == [h2.id]
    x.grad = None
    (x * 3).sum().backward()
    assert x.grad.tolist() == [4.0, 4.0]
    with h2:
        pass
    assert x._backward_hooks == OrderedDict()
    x.grad = None
    (x * 3).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]


def test_hook_of_a_non_leaf_is_listed_and_removed_after_the_tensor_is_gone():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    handle = y.register_hook(lambda g: g * 100)
    assert len(y._backward_hooks) == 1 and x._backward_hooks is None
    out = y.sum()
    del y
    handle.remove()
    out.backward()
    assert x.grad.tolist() == [2.0, 2.0]


def test_refused_hook_leaves_no_dict():
    z = fg.tensor([1.0])
    with pytest.raises(RuntimeError, match="cannot register a hook on a tensor that doesn't require gradient"):
        z.register_hook(double)
    assert z._backward_hooks is None


def test_post_accumulate_grad_hooks_dict():
    x = fg.tensor([1.0], requires_grad=True)
    assert x._post_accumulate_grad_hooks is None
    seen = []
    handle = x.register_post_accumulate_grad_hook(lambda t: seen.append(t.grad.item()))
    assert len(x._post_accumulate_grad_hooks) == 1
    (x * 4).sum().backward()
    handle.remove()
    assert x._post_accumulate_grad_hooks == OrderedDict()
    (x * 4).sum().backward()
    assert seen == [4.0] and x.grad.tolist() == [8.0]


def test_hooks_are_neither_copied_nor_pickled_but_pickling_warns():
    p = fg.nn.Parameter(fg.ones(2))
    assert p._backward_hooks is None
    p.register_hook(double)
    assert copy.deepcopy(p)._backward_hooks is None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        back = pickle.loads(pickle.dumps(p))  # a Parameter pickles without the warning
    assert back._backward_hooks in (None, OrderedDict()) and caught == []
    x = fg.tensor([1.0], requires_grad=True)
    x.register_hook(double)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        back = pickle.loads(pickle.dumps(x))
    assert back._backward_hooks == OrderedDict()  # PyTorch's rebuild leaves an empty dict
    assert len(caught) == 1 and str(caught[0].message).startswith("backward hook <function double at ")
    assert str(caught[0].message).endswith("on tensor will not be serialized.  If this is expected, you can "
                                           f"decorate the function with @{fg.__name__}.utils.hooks."
                                           "unserializable_hook to suppress this warning")


# ---- _grad, _grad_fn, _cdata ---------------------------------------------------------------
def test_grad_alias_reads_and_writes_grad():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    assert x._grad is None
    x._grad = fg.zeros(2)
    assert x.grad.tolist() == [0.0, 0.0] and x._grad is x.grad
    with pytest.raises(TypeError, match="assigned grad expected to be a Tensor or None but got grad of type int"):
        x._grad = 3


def test_grad_fn_alias_and_setting_it_to_none_detaches():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    assert x._grad_fn is None and y._grad_fn is y.grad_fn and y._grad_fn.name() == "MulBackward0"
    z = x * 3
    with pytest.raises(RuntimeError, match="_grad_fn can be only set to None"):
        z._grad_fn = 3
    y._grad_fn = None
    assert y.grad_fn is None and not y.requires_grad and y.is_leaf


def test_cdata_and_zerotensor():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    assert isinstance(x._cdata, int) and x._cdata == x._cdata
    assert x[0]._cdata != x._cdata
    assert x._is_zerotensor() is False


# ---- graph nodes -------------------------------------------------------------------------
def test_graph_node_attributes_libraries_read():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    y = x * x
    fn = y.grad_fn
    assert fn.name() == "MulBackward0" and fn.metadata == {}
    assert fn._saved_self is x and fn._saved_other is x
    (acc, nr), _ = fn.next_functions
    assert nr == 0 and acc.name() == "torch::autograd::AccumulateGrad" and acc.variable is x
    assert isinstance(fn._sequence_nr(), int)
    seen = []
    fn.register_prehook(lambda grad_outputs: seen.append(grad_outputs[0].tolist()))
    y.sum().backward()
    assert seen == [[1.0, 1.0]] and x.grad.tolist() == [2.0, 4.0]
    e = x.exp()
    assert (e.grad_fn._saved_result == e).all()
    assert x.sum().grad_fn._saved_self_sym_sizes == (2,)
