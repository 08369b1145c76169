"""A second backward through a graph without retain_graph: PyTorch refuses it only where
a node saved tensors (a Python number multiplied in is saved, though no saved-tensor
hook sees it)."""

import ferrograd as fg
import pytest

FREED = "Trying to backward through the graph a second time"


@pytest.mark.parametrize(("make", "grad_after_two"), [
    (lambda x: x.sum(), [2.0, 2.0]),
    (lambda x: (x + 1).sum(), [2.0, 2.0]),
    (lambda x: (x - 1).mean(), [1.0, 1.0]),
    (lambda x: x.view(2, 1).expand(2, 3).sum(), [6.0, 6.0]),
])
def test_nodes_without_saved_tensors_run_again(make, grad_after_two):
    x = fg.ones(2, requires_grad=True)
    y = make(x)
    y.backward()
    y.backward()
    assert x.grad.tolist() == grad_after_two


@pytest.mark.parametrize("make", [
    lambda x: (x * x).sum(),
    lambda x: x.exp().sum(),
    lambda x: (x / (x + 1)).sum(),
    lambda x: x.pow(2).sum(),
    lambda x: (2 * x).sum(),
])
def test_nodes_with_saved_tensors_refuse(make):
    x = fg.ones(2, requires_grad=True)
    y = make(x)
    y.backward()
    with pytest.raises(RuntimeError, match=FREED):
        y.backward()


def test_saved_tensor_hooks_do_not_see_python_numbers():
    packed = []
    x = fg.ones(2, requires_grad=True)
    with fg.autograd.graph.saved_tensors_hooks(lambda t: packed.append(t) or t, lambda t: t):
        y = x * 2
    assert packed == []
    with fg.autograd.graph.saved_tensors_hooks(lambda t: packed.append(t) or t, lambda t: t):
        y = x * x
    assert len(packed) == 2
    y.sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]
