"""What a Tensor subclass's `__torch_function__` and a `TorchFunctionMode` are handed, as
PyTorch hands it: every property getter and setter of a subclass, the conversions and
printing, `+=` as `add_`; the keyword dicts of the methods PyTorch writes in Python;
the receiver's type for the methods dispatched on the receiver alone; functions a mode
is handed equal to the Tensor methods tables were keyed by before it; `device(...)`;
the mode stack of `_C`; deep copies of subclasses; the data readers (`tensor`)."""

import copy
import typing

import pytest
from backend import fg
from test_modes17_s26 import Recorder

F = fg.nn.functional
T = fg.Tensor


class Logged(T):
    log: typing.ClassVar[list] = []

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        Logged.log.append((func, types, args, kwargs))
        return super().__torch_function__(func, types, args, kwargs)




def logged(shape=(2, 3)):
    out = fg.arange(float(shape[0] * shape[1])).reshape(shape).as_subclass(Logged)
    Logged.log.clear()
    return out


def only(calls):
    assert len(calls) == 1, [c[0] for c in calls]
    return calls[0]


# ---- a subclass sees every property --------------------------------------------------------------
@pytest.mark.parametrize("name", ["dtype", "device", "requires_grad", "is_leaf", "ndim", "layout", "grad_fn",
                                  "is_cuda", "shape", "T"])
def test_subclass_sees_property_getter(name):
    s = logged()
    getattr(s, name)
    func, types, args, kwargs = only(Logged.log)
    assert func == getattr(T, name).__get__
    assert types == (Logged,) and args == (s,) and kwargs is None


def test_grad_getter_result_keeps_its_type():
    s = logged().requires_grad_()
    (s.detach() * 1).sum()
    s.grad = fg.ones(2, 3)
    Logged.log.clear()
    grad = s.grad
    assert only(Logged.log)[0] == T.grad.__get__
    assert type(grad) is T


def test_subclass_sees_property_setter():
    s = logged()
    s.requires_grad = True
    func, types, args, _ = only(Logged.log)
    assert func == T.requires_grad.__set__ and types == (Logged,) and args == (s, True)
    assert s.requires_grad is True


@pytest.mark.parametrize(("action", "name", "kwargs"), [
    (lambda s: s[0, 0].item(), "item", None),
    (lambda s: s.tolist(), "tolist", None),
    (lambda s: len(s), "__len__", {}),
    (lambda s: s.numpy(), "numpy", None),
    (lambda s: str(s), "__repr__", {"tensor_contents": None}),
    (lambda s: repr(s), "__repr__", {"tensor_contents": None}),
])
def test_subclass_sees_conversions(action, name, kwargs):
    s = logged()
    action(s)
    func, types, _, handed_kwargs = Logged.log[-1]
    assert func is getattr(T, name) and types == (Logged,) and handed_kwargs == kwargs


def test_subclass_sees_bool_and_float_of_an_element():
    s = logged()
    assert bool(s[0, 1]) is True and float(s[0, 1]) == 1.0
    assert [c[0] for c in Logged.log] == [T.__getitem__, T.__bool__, T.__getitem__, T.__float__]


def test_subclass_backward_is_handed_every_keyword():
    s = logged().requires_grad_()
    loss = (s * 2).sum()
    Logged.log.clear()
    loss.backward()
    func, _, _, kwargs = Logged.log[0]
    assert func is T.backward
    assert kwargs == {"gradient": None, "retain_graph": None, "create_graph": False, "inputs": None}


@pytest.mark.parametrize(("action", "name"), [
    (lambda s: s.__iadd__(1), "add_"), (lambda s: s.__imul__(2), "mul_"), (lambda s: s.__isub__(1), "sub_"),
])
def test_in_place_operator_is_handed_the_in_place_method(action, name):
    s = logged().clone()
    Logged.log.clear()
    out = action(s)
    assert only(Logged.log)[0] is getattr(T, name)
    assert type(out) is Logged


def test_reflected_operator_is_handed_an_empty_keyword_dict():
    s = logged()
    out = 1 - s
    func, types, args, kwargs = only(Logged.log)
    assert func is T.__rsub__ and types == (Logged,) and args == (s, 1) and kwargs == {}
    assert out.tolist() == [[1.0, 0.0, -1.0], [-2.0, -3.0, -4.0]]


@pytest.mark.parametrize(("action", "name", "kwargs"), [
    (lambda s: s.split(1), "split", {"dim": 0}),
    (lambda s: s.norm(), "norm", {"p": "fro", "dim": None, "keepdim": False, "dtype": None}),
])
def test_method_written_in_python_hands_its_defaults(action, name, kwargs):
    s = logged()
    action(s)
    func, _, _, handed = only(Logged.log)
    assert func is getattr(T, name) and handed == kwargs


def test_function_written_in_python_lists_tensor_among_types():
    s = logged()
    F.mse_loss(s, fg.zeros(2, 3))
    func, types, _, _ = only(Logged.log)
    assert func is F.mse_loss and types == (Logged, T)


def test_reads_of_a_subclass_argument_inside_an_op_are_not_handed_over():
    v, w = fg.tensor([1.0, 2.0]), fg.tensor([3.0, 4.0]).as_subclass(Logged)
    Logged.log.clear()
    out = v.dot(w)
    assert only(Logged.log)[0] is T.dot
    assert type(out) is Logged and out.item() == 11.0


# ---- modes: the types and the functions handed ---------------------------------------------------
@pytest.mark.parametrize(("action", "name", "types"), [
    (lambda x: x.abs(), "abs", (T,)), (lambda x: x.detach(), "detach", (T,)), (lambda x: x.dim(), "dim", (T,)),
    (lambda x: x.numel(), "numel", (T,)), (lambda x: x.t(), "t", (T,)),
    (lambda x: x.add(1), "add", ()), (lambda x: x.view(3, 2), "view", ()), (lambda x: x.sum(), "sum", ()),
])
def test_mode_types_of_a_plain_tensor_method(action, name, types):
    x = fg.ones(2, 3)
    with Recorder() as mode:
        action(x)
    func, handed, _, _ = only(mode.calls)
    assert func == getattr(T, name) and handed == types


@pytest.mark.parametrize("name", ["shape", "dtype", "device", "requires_grad", "is_leaf", "grad", "data", "T"])
def test_mode_gets_getter_with_tensor_type(name):
    x = fg.ones(2, 3)
    with Recorder() as mode:
        getattr(x, name)
    func, types, args, kwargs = only(mode.calls)
    assert func == getattr(T, name).__get__ and types == (T,) and args == (x,) and kwargs is None


def test_mode_types_of_a_subclass_argument_to_a_plain_method():
    class Plain(T):
        pass

    x, s = fg.zeros(2), fg.ones(2).as_subclass(Plain)
    with Recorder() as mode:
        x.copy_(s)
    func, types, _, _ = only(mode.calls)
    assert func == T.copy_ and types == (Plain,)


def test_tables_keyed_before_the_mode_find_the_functions_it_is_handed():
    table = {T.add: "add", T.shape.__get__: "shape", fg.add: "function"}
    found = []

    class Lookup(fg.overrides.TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            found.append((table.get(func), func is getattr(T, func.__name__, None)))
            return func(*args, **(kwargs or {}))

    x = fg.ones(2)
    with Lookup():
        x.add(1)
        x.shape  # noqa: B018
        fg.add(x, 1)
    assert found == [("add", True), ("shape", False), ("function", False)]


def test_subclass_under_a_mode_is_handed_tensor_method_itself():
    seen = []

    class Sub(T):
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            seen.append(func is T.add)
            return super().__torch_function__(func, types, args, kwargs)

    s = fg.ones(2).as_subclass(Sub)
    with Recorder():
        out = s.add(1)
    assert seen == [True] and type(out) is Sub


def test_subclass_property_under_a_mode_reaches_both():
    s = logged()
    with Recorder() as mode:
        out = s.T
    assert only(mode.calls)[0] == T.T.__get__ and only(mode.calls)[1] == (Logged,)
    assert only(Logged.log)[0] == T.T.__get__
    assert type(out) is Logged


def test_iteration_under_a_mode_is_dim_and_unbind():
    x = fg.ones(2, 3)
    with Recorder() as mode:
        rows = list(x)
    names = [c[0].__name__ for c in mode.calls]
    assert names[:2] == ["dim", "unbind"] and len(rows) == 2


def test_device_construction_is_handed_to_the_mode():
    class Answer(fg.overrides.TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            if func is fg.device:
                return ("answered", types, args, kwargs)
            return func(*args, **(kwargs or {}))

    with Answer():
        out = fg.device("cpu")
    assert out == ("answered", (), ("cpu",), None)
    assert fg.device("cpu", 0) == fg.device("cpu:0")
    with Recorder() as mode:
        made = fg.device("cpu")
    assert made == fg.device("cpu") and only(mode.calls)[0] is fg.device


def test_parser_reads_are_not_handed_to_the_mode():
    x = fg.ones(2)
    with Recorder() as mode:
        fg.result_type(x, 1)
    assert only(mode.calls)[0] is fg.result_type


# ---- the mode stack ------------------------------------------------------------------------------
def test_torch_function_stack_push_pop_and_get():
    mode = Recorder()
    fg._C._push_on_torch_function_stack(mode)
    try:
        assert fg._C._len_torch_function_stack() == 1
        assert fg._C._get_function_stack_at(0) is mode
        assert fg._C._is_torch_function_mode_enabled()
        fg.ones(2).add(1)
    finally:
        assert fg._C._pop_torch_function_stack() is mode
    assert fg._C._len_torch_function_stack() == 0
    assert [c[0] for c in mode.calls][-1] == T.add
    with pytest.raises(RuntimeError, match="^trying to pop from empty mode stack$"):
        fg._C._pop_torch_function_stack()
    with pytest.raises(RuntimeError, match="^Tried to get stack at idx that's too big$"):
        fg._C._get_function_stack_at(0)


def test_overrides_push_mode_sees_methods():
    mode = Recorder()
    fg.overrides._push_mode(mode)
    try:
        fg.ones(2).exp()
        assert fg.overrides._get_current_function_mode_stack() == [mode]
    finally:
        assert fg.overrides._pop_mode() is mode
    assert [c[0] for c in mode.calls] == [fg.ones, T.exp]
    with pytest.raises(RuntimeError, match="^trying to pop from empty mode stack$"):
        fg.overrides._pop_mode()


# ---- making and copying subclasses ----------------------------------------------------------------
def test_make_subclass_of_a_non_tensor_class():
    with pytest.raises(TypeError, match="^Creating a Tensor subclass from a class that does not inherit from Tensor"):
        T._make_subclass(int, fg.ones(2))


def test_tensor_torch_dispatch_is_the_disabled_implementation():
    class Sub(T):
        pass

    assert Sub.__torch_dispatch__ is fg._C._disabled_torch_dispatch_impl


def test_deepcopy_of_a_subclass_without_new_empty_is_refused():
    class Plain(T):
        pass

    with pytest.raises(RuntimeError, match="^The default implementation of __deepcopy__.. for non-wrapper subclasses"):
        copy.deepcopy(fg.ones(2).as_subclass(Plain))


def test_deepcopy_of_a_subclass_with_new_empty_keeps_class_and_attributes():
    class Owned(T):
        def new_empty(self, *args, **kwargs):
            return super().new_empty(*args, **kwargs).as_subclass(Owned)

    s = fg.ones(2).as_subclass(Owned)
    s.note = "kept"
    out = copy.deepcopy(s)
    assert type(out) is Owned and out.note == "kept" and out.tolist() == [1.0, 1.0]


# ---- the data readers ------------------------------------------------------------------------------
def test_tensor_of_a_subclass_is_a_plain_copy_without_dispatch():
    s = logged()
    with pytest.warns(UserWarning, match="To copy construct from a tensor"):
        out = fg.tensor(s)
    assert type(out) is T and Logged.log == [] and out.tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]


def test_as_tensor_of_a_subclass_is_not_handed_over():
    s = logged()
    assert fg.as_tensor(s) is s and Logged.log == []
    with Recorder() as mode:
        fg.as_tensor(s)
    func, types, _, _ = mode.calls[0]
    assert func is fg.as_tensor and types == ()
