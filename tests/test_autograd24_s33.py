"""Autograd graphs and saved values the session-33 harness (tools/autograd_diff.py) found
different from PyTorch's: masked_scatter, kron and ldexp nodes, and the Python numbers a
node keeps after backward."""

import math

import pytest
from backend import fg


def _names(node):
    return [None if f is None else f.name() for f, _ in node.next_functions]


def _x():
    return fg.tensor([[0.5, 1.5], [2.0, 0.75]], dtype=fg.float64, requires_grad=True)


def test_masked_scatter_node_links_input_and_source_directly():
    x = _x()
    source = fg.arange(6.0, dtype=fg.float64).requires_grad_()
    y = x.masked_scatter(x > 1, source)
    assert y.grad_fn.name() == "MaskedScatterBackward0"
    assert _names(y.grad_fn) == ["torch::autograd::AccumulateGrad"] * 2
    assert y.grad_fn._saved_source_sym_sizes == (6,)
    assert y.grad_fn._saved_mask.tolist() == [[False, True], [True, False]]


def test_masked_scatter_source_through_an_op_is_one_edge():
    x = _x()
    y = x.masked_scatter(x > 1, x * 5)
    assert _names(y.grad_fn) == ["torch::autograd::AccumulateGrad", "MulBackward0"]
    y.sum().backward()
    assert x.grad.tolist() == [[6.0, 5.0], [0.0, 1.0]]


def test_masked_scatter_gradients_and_double_backward():
    x = _x()
    source = fg.arange(6.0, dtype=fg.float64).requires_grad_()
    y = x.masked_scatter(x > 1, source)
    weight = fg.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=fg.float64)
    gx, gs = fg.autograd.grad(y, (x, source), weight, create_graph=True)
    assert gx.tolist() == [[1.0, 0.0], [0.0, 4.0]]
    assert gs.tolist() == [2.0, 3.0, 0.0, 0.0, 0.0, 0.0]


def test_masked_scatter_broadcast_input_sums_its_gradient():
    z = fg.zeros(2, requires_grad=True)
    mask = fg.tensor([[True, False], [False, True], [True, True]])
    y = z.masked_scatter(mask, fg.arange(8.0))
    assert _names(y.grad_fn) == ["torch::autograd::AccumulateGrad", None]
    y.sum().backward()
    assert z.grad.tolist() == [1.0, 1.0]


def test_masked_scatter_without_grad_records_nothing():
    x = _x()
    with fg.no_grad():
        assert x.masked_scatter(x > 1, x).grad_fn is None
    assert fg.zeros(2).masked_scatter(fg.tensor([True, False]), fg.ones(2)).grad_fn is None


def test_kron_graph_is_unsafe_views_around_one_mul():
    x = _x()
    y = fg.kron(x, x)
    assert y.grad_fn.name() == "UnsafeViewBackward0"
    assert y.grad_fn._saved_self_sym_sizes == (2, 2, 2, 2)
    mul = y.grad_fn.next_functions[0][0]
    assert mul.name() == "MulBackward0"
    assert _names(mul) == ["UnsafeViewBackward0", "UnsafeViewBackward0"]
    assert mul.next_functions[0][0]._saved_self_sym_sizes == (2, 2)
    assert y._base is None
    y.sum().backward()
    assert x.grad.tolist() == [[9.5, 9.5], [9.5, 9.5]]


def test_kron_gradient_of_a_vector_with_a_matrix_and_double_backward():
    v = fg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    fg.kron(v, fg.tensor([[1.0, 2.0]])).sum().backward()
    assert v.grad.tolist() == [3.0, 3.0, 3.0]
    x = _x()
    (g,) = fg.autograd.grad(fg.kron(x, x).pow(2).sum(), x, create_graph=True)
    assert g.tolist() == [[14.125, 42.375], [56.5, 21.1875]]
    (gg,) = fg.autograd.grad(g.sum(), x)
    assert gg.tolist() == [[47.25, 85.25], [104.25, 56.75]]


def test_ldexp_saves_other_and_result():
    x = _x()
    y = fg.ldexp(x, fg.tensor(2))
    node = y.grad_fn
    assert node.name() == "LdexpBackward0"
    assert _names(node) == ["torch::autograd::AccumulateGrad", None]
    assert node._saved_other.tolist() == 2
    assert node._saved_result.tolist() == [[2.0, 6.0], [8.0, 3.0]]
    assert node._saved_result.grad_fn is node
    y.sum().backward()
    assert x.grad.tolist() == [[4.0, 4.0], [4.0, 4.0]]
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        _ = node._saved_result


def test_ldexp_method_saves_other():
    x = fg.tensor([1.0, 2.0], dtype=fg.float64, requires_grad=True)
    y = x.ldexp(fg.tensor([1, 2]))
    assert y.grad_fn._saved_other.tolist() == [1, 2]
    assert y.grad_fn._saved_result.tolist() == [2.0, 8.0]


def test_ldexp_in_place_saves_other():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    y = x * 1
    y.ldexp_(fg.tensor([1, 2]))
    assert y.grad_fn.name() == "LdexpBackward0"
    assert y.grad_fn._saved_other.tolist() == [1, 2]
    y.sum().backward()
    assert x.grad.tolist() == [2.0, 4.0]


def test_ldexp_gradients_for_a_float_exponent_and_double_backward():
    x = fg.tensor([1.0, 2.0], dtype=fg.float64, requires_grad=True)
    e = fg.tensor([[2.0], [3.0]], requires_grad=True)
    y = fg.ldexp(x, e)
    assert y.dtype == fg.float64
    gx, ge = fg.autograd.grad(y.sum(), (x, e), create_graph=True)
    assert gx.tolist() == [12.0, 12.0]
    assert ge.dtype == fg.float32
    assert ge.flatten().tolist() == pytest.approx([12 * math.log(2), 24 * math.log(2)], rel=1e-6)
    gx2, ge2 = fg.autograd.grad(ge.sum(), (x, e))
    assert gx2.tolist() == pytest.approx([8.317766166719343] * 2)
    assert ge2.flatten().tolist() == pytest.approx([5.765402, 11.530804], rel=1e-5)


def test_ldexp_integer_exponent_gradient_uses_integer_powers():
    x = fg.tensor([1.0, 1.0, 1.0, 1.0], requires_grad=True)
    fg.ldexp(x, fg.tensor([-1, -2, 0, 3])).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 1.0, 8.0]


def test_ldexp_of_complex_input():
    z = fg.tensor([1 + 1j, 2j], requires_grad=True)
    fg.ldexp(z, fg.tensor([1, 2])).abs().sum().backward()
    assert z.grad.real.tolist() == pytest.approx([math.sqrt(2), 0.0])
    assert z.grad.imag.tolist() == pytest.approx([math.sqrt(2), 4.0])


def test_ldexp_without_grad_has_no_node():
    assert fg.ldexp(fg.tensor([1.0]), fg.tensor([1])).grad_fn is None


def _saved_after_backward(y, field):
    node = y.grad_fn
    before = getattr(node, field)
    y.sum().backward()
    return before, getattr(node, field)


@pytest.mark.parametrize(("make", "field", "number"), [
    (lambda x: fg.xlogy(x, 2.0), "_saved_other", 2.0),
    (lambda x: fg.xlogy(x, 2), "_saved_other", 2),
    (lambda x: x.xlogy(True), "_saved_other", True),
    (lambda x: fg.xlogy(3, x), "_saved_self", 3),
    (lambda x: fg.special.xlogy(x, 2.5), "_saved_other", 2.5),
    (lambda x: fg.special.xlog1py(2, x), "_saved_self", 2),
    (lambda x: fg.special.xlog1py(x, 2.0), "_saved_other", 2.0),
    (lambda x: fg.pow(2, x), "_saved_self", 2),
    (lambda x: fg.pow(2.5, x), "_saved_self", 2.5),
    (lambda x: fg.lerp(x, x * 2, 1), "_saved_weight", 1),
    (lambda x: x.lerp(x * 3, 0.25), "_saved_weight", 0.25),
])
def test_saved_python_number_still_reads_after_backward(make, field, number):
    before, after = _saved_after_backward(make(fg.tensor([1.0, 2.0], requires_grad=True)), field)
    assert before == number and type(before) is type(number)
    assert after == number and type(after) is type(number)


def test_saved_tensor_beside_the_number_is_still_freed():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    y = fg.xlogy(x, 2.0)
    y.sum().backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        _ = y.grad_fn._saved_self
