"""Hooks for every module (`nn.modules.module.register_module_forward_hook` and friends):
they run for each module call, before the module's own hooks of the same kind. Expected
orders are PyTorch 2.13's.

Runs against PyTorch too with FG_TEST_BACKEND=torch.
"""

import pytest
from backend import fg

module_py = fg.nn.modules.module


@pytest.fixture
def handles():
    made = []
    yield made
    for handle in made:
        handle.remove()


def test_forward_hooks_run_for_every_module_before_its_own(handles):
    log = []
    lin = fg.nn.Linear(2, 2)
    handles.append(module_py.register_module_forward_pre_hook(lambda m, a: log.append(("pre", type(m).__name__))))
    handles.append(module_py.register_module_forward_hook(lambda m, a, o: log.append(("post", type(m).__name__))))
    handles.append(module_py.register_module_forward_hook(lambda m, a, k, o: log.append(("kwargs", k)),
                                                          with_kwargs=True))
    lin.register_forward_pre_hook(lambda m, a: log.append(("own pre",)))
    lin.register_forward_hook(lambda m, a, o: log.append(("own post",)))
    fg.nn.Sequential(lin, fg.nn.ReLU())(fg.ones(1, 2))
    assert log == [
        ("pre", "Sequential"), ("pre", "Linear"), ("own pre",), ("post", "Linear"), ("kwargs", {}), ("own post",),
        ("pre", "ReLU"), ("post", "ReLU"), ("kwargs", {}), ("post", "Sequential"), ("kwargs", {}),
    ]


def test_removed_global_hooks_no_longer_run():
    log = []
    handle = module_py.register_module_forward_hook(lambda m, a, o: log.append(1))
    relu = fg.nn.ReLU()
    relu(fg.ones(1))
    handle.remove()
    relu(fg.ones(1))
    assert log == [1]


def test_global_forward_hooks_may_replace_args_and_output(handles):
    handles.append(module_py.register_module_forward_pre_hook(lambda m, a: (a[0] * 2,)))
    handles.append(module_py.register_module_forward_hook(lambda m, a, o: o + 1))
    assert fg.nn.Identity()(fg.ones(2)).tolist() == [3.0, 3.0]


def test_global_backward_hooks_see_each_modules_gradients(handles):
    log = []
    handles.append(module_py.register_module_full_backward_pre_hook(
        lambda m, go: log.append(("pre", type(m).__name__, [g.tolist() for g in go]))))
    handles.append(module_py.register_module_full_backward_hook(
        lambda m, gi, go: log.append(("post", type(m).__name__, [g.tolist() for g in gi]))))
    lin = fg.nn.Linear(2, 1)
    with fg.no_grad():
        lin.weight.copy_(fg.tensor([[2.0, 3.0]]))
    x = fg.ones(1, 2, requires_grad=True)
    lin(x).sum().backward()
    assert log == [("pre", "Linear", [[[1.0]]]), ("post", "Linear", [[[2.0, 3.0]]])]


def test_a_global_backward_hook_may_replace_grad_input(handles):
    handles.append(module_py.register_module_full_backward_hook(lambda m, gi, go: (gi[0] * 10,)))
    x = fg.ones(2, requires_grad=True)
    (fg.nn.ReLU()(x) * 3).sum().backward()
    assert x.grad.tolist() == [30.0, 30.0]
