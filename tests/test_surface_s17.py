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


# ---- utils._pytree -----------------------------------------------------------------------
def test_pytree_flatten_unflatten_and_spec_repr():
    from collections import namedtuple

    pytree = __import__(f"{fg.__name__}.utils._pytree", fromlist=["_pytree"])
    point = namedtuple("point", "a b")
    tree = {"x": [1, (2, 3)], "y": None, "z": point(4, 5), "o": OrderedDict(q=6), "b": 7}
    leaves, spec = pytree.tree_flatten(tree)
    assert leaves == [1, 2, 3, None, 4, 5, 6, 7]
    assert (spec.num_leaves, spec.num_nodes, spec.type, spec.context) == (8, 13, dict, ["x", "y", "z", "o", "b"])
    back = pytree.tree_unflatten(leaves, spec)
    assert back == tree and type(back["z"]) is point and type(back["o"]) is OrderedDict
    assert repr(pytree.tree_structure([1, (2, 3), {"k": 4}])) == (
        "TreeSpec(list, None, [*,\n  TreeSpec(tuple, None, [*,\n    *]),\n  TreeSpec(dict, ['k'], [*])])")
    assert repr(pytree.LeafSpec()) == "*" and pytree.tree_structure(1).is_leaf()
    assert not pytree.tree_structure([]).is_leaf()
    with pytest.raises(ValueError, match=r"treespec.unflatten\(leaves\): `leaves` has length 1 but the spec refers "
                                         r"to a pytree that holds 8 items \(TreeSpec\(dict"):
        pytree.tree_unflatten([1], spec)


def test_pytree_map_and_friends():
    pytree = __import__(f"{fg.__name__}.utils._pytree", fromlist=["_pytree"])
    assert pytree.tree_map(lambda a, b: a + b, [1, 2], [3, 4]) == [4, 6]
    assert pytree.tree_map(lambda a, b: (a, b), [1, 2], [(3, 4), 5]) == [(1, (3, 4)), (2, 5)]
    with pytest.raises(ValueError, match="Node arity mismatch; expected 2, but got 3."):
        pytree.tree_map(lambda a, b: a, [1, 2], [3, 4, 5])
    with pytest.raises(ValueError, match="Node type mismatch; expected <class 'list'>, but got <class 'tuple'>."):
        pytree.tree_map(lambda a, b: a, [1, 2], (3, 4))
    with pytest.raises(ValueError, match=r"Node keys mismatch; missing key\(s\): \{'b'\}; extra key\(s\): \{'c'\}."):
        pytree.tree_map(lambda a, b: a, {"a": 1, "b": 2}, {"a": 1, "c": 2})
    assert pytree.tree_map_only(int, lambda v: -v, [1, 2.0, "a"]) == [-1, 2.0, "a"]
    assert pytree.tree_all(lambda v: v > 0, [1, 2]) and not pytree.tree_any(lambda v: v > 5, (1, 2))
    assert pytree.tree_leaves([None, 1]) == [None, 1] and list(pytree.tree_iter([1, [2]])) == [1, 2]
    pairs, _ = pytree.tree_flatten_with_path({"a": [1, 2]})
    assert [pytree.keystr(path) for path, _ in pairs] == ["['a'][0]", "['a'][1]"]
    assert pytree.arg_tree_leaves(1, [2, 3], k={"a": 4}) == [1, 2, 3, 4]


def test_pytree_custom_node_and_return_types():
    pytree = __import__(f"{fg.__name__}.utils._pytree", fromlist=["_pytree"])

    class Box:
        def __init__(self, v, tag):
            self.v, self.tag = v, tag

    pytree.register_pytree_node(Box, lambda b: ([b.v], b.tag), lambda vs, tag: Box(vs[0], tag))
    leaves, spec = pytree.tree_flatten([Box(3, "k")])
    assert leaves == [3] and pytree.tree_unflatten([9], spec)[0].v == 9
    with pytest.raises(ValueError, match="is already registered as pytree node."):
        pytree.register_pytree_node(Box, lambda b: ([b.v], b.tag), lambda vs, tag: Box(vs[0], tag))
    result = fg.max(fg.tensor([[1.0, 5.0], [3.0, 2.0]]), 0)
    leaves, spec = pytree.tree_flatten(result)
    assert spec.type is type(result) and spec.context is None and len(leaves) == 2
    back = pytree.tree_unflatten(leaves, spec)
    assert type(back) is type(result) and back.indices.tolist() == [1, 0]


# ---- overrides -----------------------------------------------------------------------------
class TensorLike:
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        return ("tensor-like", func.__name__, types)


def test_has_and_handle_torch_function():
    overrides = fg.overrides
    assert not overrides.has_torch_function((fg.ones(1),))
    assert not overrides.has_torch_function([fg.nn.Parameter(fg.ones(1))])
    assert not overrides.has_torch_function_unary(1) and overrides.has_torch_function_unary(TensorLike())
    assert overrides.has_torch_function_variadic(1, TensorLike())
    assert overrides.is_tensor_like(fg.ones(1)) and not overrides.is_tensor_like(1)

    def myfunc(x):
        if overrides.has_torch_function_unary(x):
            return overrides.handle_torch_function(myfunc, (x,), x)
        return "plain"

    assert myfunc(TensorLike()) == ("tensor-like", "myfunc", (TensorLike,)) and myfunc(fg.ones(1)) == "plain"

    @overrides.wrap_torch_function(lambda x, y=None: (x,))
    def f2(x, y=None):
        return "f2 plain"

    assert f2(TensorLike()) == ("tensor-like", "f2", (TensorLike,)) and f2(1) == "f2 plain"

    class Declines:
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            return NotImplemented

    with pytest.raises(TypeError, match=r"no implementation found for 'test_surface_s17.myfunc' on types that "
                                        r"implement __torch_function__: \[<class 'test_surface_s17.test_has_and_"
                                        r"handle_torch_function.<locals>.Declines'>\]"):
        myfunc(Declines())


def test_overridable_and_ignored_functions_and_names():
    overrides = fg.overrides
    table = overrides.get_overridable_functions()
    assert fg.add in table[fg] and fg.nn.functional.relu in table[fg.nn.functional]
    assert fg.Tensor.add in table[fg.Tensor] and fg.tensor not in table[fg]
    assert fg.tensor in overrides.get_ignored_functions()
    assert overrides.get_testing_overrides()[fg.add](1, 2) == -1
    assert overrides.is_tensor_method_or_property(fg.Tensor.add) and not overrides.is_tensor_method_or_property(fg.add)
    name = fg.__name__
    assert overrides.resolve_name(fg.add) == f"{name}.add"
    assert overrides.resolve_name(fg.Tensor.add) == f"{name}.Tensor.add"
    assert overrides.resolve_name(fg.nn.functional.relu) == f"{name}.nn.functional.relu"
    assert overrides.resolve_name(lambda: 0) is None


def test_torch_function_modes_see_functions_methods_and_operators_and_nest():
    overrides = fg.overrides
    log = []

    class Logging(overrides.TorchFunctionMode):
        def __init__(self, tag):
            super().__init__()
            self.tag = tag

        def __torch_function__(self, func, types, args=(), kwargs=None):
            log.append((self.tag, func.__name__))
            return func(*args, **(kwargs or {}))

    x = fg.ones(2)
    add, neg = fg.add, fg.neg
    with Logging("outer") as outer:
        assert overrides._get_current_function_mode() is outer and overrides.has_torch_function((1,))
        with Logging("inner"):
            y = fg.neg(x)
            z = x * 2
            w = x.sum()
            assert len(overrides._get_current_function_mode_stack()) == 2
    assert overrides._get_current_function_mode() is None
    assert fg.add is add and fg.neg is neg  # the functions code holds stay the namespace's
    assert log == [("inner", "neg"), ("outer", "neg"), ("inner", "mul"), ("outer", "mul"),
                   ("inner", "sum"), ("outer", "sum")]
    assert y.tolist() == [-1.0, -1.0] and z.tolist() == [2.0, 2.0] and w.item() == 2.0

    class Intercept(overrides.TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            if func is fg.add or func is fg.Tensor.add:
                return "intercepted"
            return func(*args, **(kwargs or {}))

    with Intercept():
        assert fg.is_grad_enabled()  # settings and queries do not reach modes
        assert fg.add(x, 1) == "intercepted" and x.add(1) == "intercepted" and (x + 1) == "intercepted"
        assert fg.mul(x, 3).tolist() == [3.0, 3.0]
    assert (x + 1).tolist() == [2.0, 2.0]  # methods are back after the mode
    with overrides.BaseTorchFunctionMode():
        assert fg.mul(x, 2).tolist() == [2.0, 2.0]


# ---- profiler --------------------------------------------------------------------------------
def test_profiler_records_the_seed_gradient_of_backward():
    x = fg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = (x * 2).sum()
    with fg.profiler.profile(record_shapes=True, profile_memory=True) as prof:
        y.backward(retain_graph=True)
    events = [(e.name, e.input_shapes, e.cpu_parent.name if e.cpu_parent else None, e.cpu_memory_usage)
              for e in prof.events()[:5]]
    assert events == [
        ("aten::ones_like", [[], [], [], [], [], []], None, 4),
        ("aten::empty_like", [[], [], [], [], [], []], "aten::ones_like", 4),
        ("aten::empty_strided", [[], [], [], [], [], []], "aten::empty_like", 4),
        ("aten::fill_", [[], []], "aten::ones_like", 0),
        ("autograd::engine::evaluate_function: SumBackward0", [], None, 0),
    ]
    with fg.profiler.profile() as prof:
        fg.autograd.grad(y, [x], retain_graph=True)
    assert [e.name for e in prof.events()][:2] == ["aten::ones_like", "aten::empty_like"]
    with fg.profiler.profile() as prof:
        y.backward(fg.ones(()), retain_graph=True)  # a given gradient: no seed
    assert "aten::ones_like" not in [e.name for e in prof.events()]


def test_profiler_records_number_over_tensor_as_reciprocal_then_mul():
    x = fg.tensor([1.0, 2.0, 4.0])
    with fg.profiler.profile(record_shapes=True) as prof:
        w = 1 / x
    top = [(e.name, e.input_shapes) for e in prof.events() if e.cpu_parent is None]
    assert top == [("aten::reciprocal", [[3]]), ("aten::mul", [[3], []])]
    assert w.tolist() == [1.0, 0.5, 0.25]


def test_c_switches_for_torch_function():
    # (no dispatching Tensor subclass here: defining one wraps the namespaces for good)
    assert not fg._C._has_torch_function_unary(1) and fg._C._has_torch_function((TensorLike(),))
    assert fg._C._get_tracing_state() is None and fg._C._is_torch_function_enabled()
    with fg._C.DisableTorchFunctionSubclass():
        assert not fg._C._is_torch_function_enabled()
    log = []

    class Logging(fg.overrides.TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            log.append(("mode", func.__name__))
            return func(*args, **(kwargs or {}))

    with Logging():
        with fg._C.DisableTorchFunction():
            assert not fg._C._is_torch_function_enabled() and fg._C._len_torch_function_stack() == 1
            fg.add(fg.ones(1), 1)
            fg.ones(1).mul(2)
        fg.neg(fg.ones(1))
    assert log == [("mode", "ones"), ("mode", "neg")]
