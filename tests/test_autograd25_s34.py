"""Session 34 (helper autograd25): einsum records ATen's graph; autograd behaviours found
by the grown autograd harness. Expectations are PyTorch's (run with FG_TEST_BACKEND=torch)."""

import pytest
from backend import fg


def chain(fn):
    """The grad_fn names along first edges, from `fn` down to the leaf's accumulator."""
    names = []
    while fn is not None:
        names.append(fn.name())
        fn = fn.next_functions[0][0] if getattr(fn, "next_functions", ()) else None
    return names


def arange(*shape, rg=True):
    n = 1
    for s in shape:
        n *= s
    return (fg.arange(n, dtype=fg.float64).reshape(shape) - 1).requires_grad_(rg)


# --- einsum: ATen's decomposition ----------------------------------------------------------


def test_einsum_matmul_records_atens_nodes():
    a, b = arange(2, 3), arange(3, 4)
    y = fg.einsum("ij,jk->ik", a, b)
    assert chain(y.grad_fn) == [
        "ViewBackward0", "PermuteBackward0", "ViewBackward0", "BmmBackward0", "ViewBackward0",
        "PermuteBackward0", "PermuteBackward0", "UnsqueezeBackward0", "torch::autograd::AccumulateGrad",
    ]
    assert y.grad_fn._saved_self_sym_sizes == (2, 4, 1)
    bmm = y.grad_fn.next_functions[0][0].next_functions[0][0].next_functions[0][0]
    assert tuple(bmm._saved_self.shape) == (1, 2, 3)
    assert tuple(bmm._saved_mat2.shape) == (1, 3, 4)
    assert y.tolist() == [[8.0, 8.0, 8.0, 8.0], [35.0, 44.0, 53.0, 62.0]]


def test_einsum_swaps_the_product_when_the_right_operand_leads_the_output():
    a, b = arange(2, 3), arange(3, 4)
    y = fg.einsum("ij,jk->ki", a, b)
    assert y.stride() == (2, 1)
    bmm = y.grad_fn.next_functions[0][0].next_functions[0][0].next_functions[0][0]
    assert bmm.name() == "BmmBackward0"
    assert tuple(bmm._saved_self.shape) == (1, 4, 3)
    y.sum().backward()
    assert a.grad.tolist() == [[2.0, 18.0, 34.0], [2.0, 18.0, 34.0]]


def test_einsum_trace_and_sums_record_permutes():
    x = arange(3, 3)
    y = fg.einsum("ii->", x)
    assert chain(y.grad_fn) == ["SumBackward1", "PermuteBackward0", "PermuteBackward0", "DiagonalBackward0",
                                "torch::autograd::AccumulateGrad"]
    y = fg.einsum("ij->j", arange(2, 3))
    assert chain(y.grad_fn)[:2] == ["SumBackward1", "PermuteBackward0"]
    assert y.grad_fn._saved_dim == (1,)


def test_einsum_outer_is_a_mul_of_aligned_operands():
    y = fg.einsum("i,j->ij", arange(3), arange(4))
    assert chain(y.grad_fn) == ["MulBackward0", "PermuteBackward0", "UnsqueezeBackward0",
                                "torch::autograd::AccumulateGrad"]
    assert tuple(y.grad_fn._saved_other.shape) == (1, 4)


def test_einsum_without_a_sum_promotes_like_mul():
    y = fg.einsum("i,j->ij", fg.ones(2), fg.ones(3, dtype=fg.float64))
    assert y.dtype == fg.float64


def test_einsum_with_a_sum_needs_one_dtype():
    with pytest.raises(RuntimeError, match="^expected scalar type Float but found Double$"):
        fg.einsum("ij,jk->ik", fg.ones(2, 3), fg.ones(3, 4, dtype=fg.float64))


def test_einsum_contracts_left_to_right():
    a, b, c = arange(2, 3), arange(3, 4), arange(4, 1)
    y = fg.einsum("ij,jk,kl->il", a, b, c)
    bmm = y.grad_fn.next_functions[0][0].next_functions[0][0].next_functions[0][0]
    assert bmm.name() == "BmmBackward0"
    assert tuple(bmm._saved_self.shape) == (1, 2, 4)
    assert y.tolist() == [[16.0], [142.0]]


def test_einsum_errors_in_atens_order():
    with pytest.raises(RuntimeError, match=r"^einsum\(\): invalid subscript given at index 1 in the equation"):
        fg.einsum("i$,j", fg.ones(2))
    with pytest.raises(RuntimeError, match=r"subscript j has size 3 for operand 1 which does not broadcast with "
                                           r"previously seen size 2$"):
        fg.einsum("ij,jj->i", fg.ones(2, 2), fg.ones(3, 4))


# --- autograd.graph ------------------------------------------------------------------------


def test_saved_tensor_register_hooks_names_the_arguments_it_was_given():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    raw = (x * x).grad_fn._raw_saved_self
    with pytest.raises(TypeError) as info:
        raw.register_hooks(1, print)
    message = str(info.value)
    assert message.startswith("register_hooks(): incompatible function arguments.")
    tail = message.split("\n\nInvoked with: ")[1]
    assert tail.startswith("<") and "._C._autograd.SavedTensor object at 0x" in tail
    assert tail.endswith(">, 1, <built-in function print>")


# --- index_put, real, imag: PyTorch's nodes ---------------------------------------------------


def test_index_put_out_of_place_is_one_node_over_its_inputs():
    x = arange(3, 2)
    v = fg.tensor([2.0, 3.0], dtype=fg.float64, requires_grad=True)
    y = x.index_put((fg.tensor([0, 2]),), v)
    assert y.grad_fn.name() == "IndexPutBackward0"
    assert [f.name() for f, _ in y.grad_fn.next_functions] == [
        "torch::autograd::AccumulateGrad", "torch::autograd::AccumulateGrad"]
    assert y.grad_fn._saved_accumulate is False
    (y * fg.arange(6, dtype=fg.float64).reshape(3, 2)).sum().backward()
    assert x.grad.tolist() == [[0.0, 0.0], [2.0, 3.0], [0.0, 0.0]]
    assert v.grad.tolist() == [4.0, 6.0]


def test_index_put_accumulate_function_gradients():
    x = arange(2, 2)
    v = fg.tensor([1.0, 1.0], dtype=fg.float64, requires_grad=True)
    y = fg.index_put(x, (fg.tensor([1, 1]),), v, accumulate=True)
    assert y.grad_fn.next_functions[0][0].name() == "torch::autograd::AccumulateGrad"
    assert y.grad_fn._saved_accumulate is True
    (y * y).sum().backward()
    assert x.grad.tolist() == [[-2.0, 0.0], [6.0, 8.0]]
    assert v.grad.tolist() == [12.0, 16.0]


def test_index_put_without_grad_records_nothing():
    y = fg.ones(2, 2).index_put((fg.tensor([0]),), fg.tensor(5.0))
    assert y.grad_fn is None
    assert y.tolist() == [[5.0, 5.0], [1.0, 1.0]]


def test_real_and_imag_select_the_last_dim_by_its_index():
    x = arange(2, 3)
    z = fg.complex(x, x * 2)
    assert z.real.grad_fn._saved_dim == 2
    assert z.imag.grad_fn._saved_dim == 2


def test_imag_of_a_conjugate_selects_from_the_negative_view():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    i = fg.complex(x, x * 2).conj().imag
    assert i.grad_fn.name() == "SelectBackward0"
    assert i.grad_fn.next_functions[0][0].name() == "NegViewBackward0"
    assert i.is_neg()
    i.sum().backward()
    assert x.grad.tolist() == [-2.0, -2.0]


def test_special_ndtr_records_atens_composite():
    x = fg.tensor([0.5, -1.0], dtype=fg.float64, requires_grad=True)
    y = fg.special.ndtr(x)
    assert chain(y.grad_fn) == ["MulBackward1", "AddBackward1", "ErfBackward0", "MulBackward1",
                                "torch::autograd::AccumulateGrad"]
    assert y.grad_fn._saved_other == 0.5
    (g,) = fg.autograd.grad(y.sum(), x, create_graph=True)
    (gg,) = fg.autograd.grad(g.sum(), x)
    assert g.tolist() == [0.35206532676429947, 0.2419707245191433]
    assert gg.tolist() == [-0.17603266338214976, 0.24197072451914334]


def test_trapezoid_scales_by_numbers():
    y = fg.arange(6.0).reshape(2, 3).requires_grad_()
    out = fg.trapezoid(y, dx=2)
    assert chain(out.grad_fn)[:3] == ["MulBackward1", "SubBackward0", "SumBackward1"]
    assert out.grad_fn._saved_other == 2.0
    assert out.grad_fn.next_functions[0][0].next_functions[1][0]._saved_other == 0.5
    assert out.tolist() == [4.0, 16.0]


def test_prelu_views_the_weight_per_channel():
    x = fg.tensor([[-2.0, 1.0, -1.0], [0.5, -0.25, 3.0]], dtype=fg.float64, requires_grad=True)
    w = fg.tensor([0.25, 0.5, 1.0], dtype=fg.float64, requires_grad=True)
    y = fg.nn.functional.prelu(x, w)
    assert y.grad_fn.name() == "PreluKernelBackward0"
    view = y.grad_fn.next_functions[1][0]
    assert view.name() == "ViewBackward0"
    assert view._saved_self_sym_sizes == (3,)
    assert tuple(y.grad_fn._saved_weight.shape) == (1, 3)
    y.sum().backward()
    assert w.grad.tolist() == [-2.0, -0.25, -1.0]


def test_lstsq_node_has_edges_to_a_and_b_only():
    a = fg.tensor([[0.5, 1.5], [2.0, 0.75]], dtype=fg.float64, requires_grad=True)
    b = (a * a).detach().requires_grad_()
    x = fg.linalg.lstsq(a, b).solution
    assert x.grad_fn.name() == "LinalgLstsqBackward0"
    assert [f.name() for f, _ in x.grad_fn.next_functions] == [
        "torch::autograd::AccumulateGrad", "torch::autograd::AccumulateGrad"]


def test_complex_is_one_node_keeping_the_parts_that_require_grad():
    r = fg.tensor([1.0, 2.0], dtype=fg.float64, requires_grad=True)
    i = fg.tensor([3.0], dtype=fg.float64)
    z = fg.complex(r, i)
    assert z.grad_fn.name() == "ComplexBackward0"
    assert z.grad_fn.next_functions[0][0].name() == "torch::autograd::AccumulateGrad"
    assert z.grad_fn.next_functions[1][0] is None
    assert z.grad_fn._saved_real.tolist() == [1.0, 2.0]
    assert z.grad_fn._saved_imag is None
    (z * (1 + 2j)).real.sum().backward()
    assert r.grad.tolist() == [1.0, 1.0]
