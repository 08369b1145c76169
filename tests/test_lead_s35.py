"""Session 35 (lead): LAPACK's column-major results of the factorizations and solves,
what the nodes of special functions, moments and in-place views keep, `ldexp` of a
float32 with integer exponents, `copy_`'s keyword. Expectations are PyTorch's (the file
passes with FG_TEST_BACKEND=torch)."""

import math

import pytest
from backend import fg


def _spd(batch=2, n=3):
    a = fg.arange(batch * n * n, dtype=fg.float64).reshape(batch, n, n).sin()
    return a @ a.mT + 3 * fg.eye(n, dtype=fg.float64)


def _saved(node):
    return sorted(k for k in dir(node) if k.startswith("_saved"))


@pytest.mark.parametrize("call, strides", [
    (lambda a, b: fg.linalg.inv(a), (9, 1, 3)),
    (lambda a, b: fg.linalg.inv(a[0]), (1, 3)),
    (lambda a, b: fg.linalg.inv_ex(a)[0], (9, 1, 3)),
    (lambda a, b: fg.linalg.cholesky(a), (9, 1, 3)),
    (lambda a, b: fg.linalg.cholesky(a, upper=True), (9, 1, 3)),
    (lambda a, b: fg.linalg.eigh(a)[1], (9, 1, 3)),
    (lambda a, b: fg.linalg.solve(a, b), (6, 1, 3)),
    (lambda a, b: fg.linalg.lu_factor(a)[0], (9, 1, 3)),
    (lambda a, b: fg.linalg.qr(b)[0], (6, 1, 3)),
    (lambda a, b: fg.linalg.qr(b)[1], (4, 1, 2)),
    (lambda a, b: fg.linalg.svd(b)[0], (9, 1, 3)),
    (lambda a, b: fg.linalg.svd(b)[2], (4, 1, 2)),
    (lambda a, b: fg.linalg.solve_triangular(fg.linalg.cholesky(a), b, upper=False), (6, 1, 3)),
    (lambda a, b: fg.linalg.ldl_factor(a)[0], (9, 1, 3)),
    (lambda a, b: fg.linalg.lu(a)[1], (9, 3, 1)),
])
def test_lapack_results_are_column_major(call, strides):
    a = _spd()
    b = fg.arange(12, dtype=fg.float64).reshape(2, 3, 2).cos()
    out = call(a, b)
    assert out.stride() == strides
    assert out._base is None


def test_column_major_inverse_values_and_gradient():
    a = fg.tensor([[2.0, 1.0], [1.0, 3.0]], dtype=fg.float64, requires_grad=True)
    inv = fg.linalg.inv(a)
    assert not inv.is_contiguous()
    assert inv.reshape(-1).tolist() == pytest.approx([0.6, -0.2, -0.2, 0.4])
    inv.sum().backward()
    assert a.grad.stride() == (2, 1)
    assert a.grad.reshape(-1).tolist() == pytest.approx([-0.16, -0.08, -0.08, -0.04])


def test_view_of_column_major_inverse_raises():
    inv = fg.linalg.inv(_spd()[0])
    with pytest.raises(RuntimeError, match="view size is not compatible"):
        inv.view(-1)


@pytest.mark.parametrize("name, saved", [
    ("ndtri", ["_saved_result"]),
    ("i1", ["_saved_result", "_saved_self"]),
    ("log_ndtr", ["_saved_result", "_saved_self"]),
    ("erfcx", ["_saved_result", "_saved_self"]),
])
def test_special_nodes_keep_their_result(name, saved):
    x = fg.tensor([0.3, 0.6], dtype=fg.float64, requires_grad=True)
    y = getattr(fg.special, name)(x)
    assert _saved(y.grad_fn) == saved
    assert fg.equal(y.grad_fn._saved_result, y)


def test_special_gradients_from_saved_result():
    x = fg.tensor([0.3, 0.6], dtype=fg.float64, requires_grad=True)
    assert fg.autograd.gradcheck(lambda t: fg.special.ndtri(t), (x,))
    for name in ("i1", "log_ndtr", "erfcx"):
        assert fg.autograd.gradcheck(getattr(fg.special, name), (x,))
        assert fg.autograd.gradgradcheck(getattr(fg.special, name), (x,))


def test_moments_keep_their_arguments():
    d = fg.ones(2, 3, requires_grad=True)
    node = fg.var_mean(d, 1)[0].grad_fn
    assert (node._saved_correction, node._saved_dim, node._saved_keepdim) == (1, (1,), False)
    assert node._saved_self is d
    node = fg.std_mean(d, dim=-1, unbiased=False)[0].grad_fn
    assert (node._saved_correction, node._saved_dim) == (0, (2**64 - 1,))
    assert node._saved_result0.shape == (2,)
    node = fg.std_mean(d)[0].grad_fn
    assert node._saved_correction is None and node._saved_dim is None


def test_aminmax_keeps_its_arguments():
    d = fg.tensor([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]], requires_grad=True)
    mn = fg.aminmax(d, dim=-1, keepdim=True)[0]
    node = mn.grad_fn
    assert (node._saved_dim, node._saved_keepdim) == (2**64 - 1, True)
    assert node._saved_min.tolist() == [[1.0], [2.0]] and node._saved_max.tolist() == [[5.0], [6.0]]
    assert fg.aminmax(d)[0].grad_fn._saved_dim is None


def test_inplace_views_keep_their_arguments():
    d = fg.ones(2, 3, requires_grad=True)
    node = d.clone().unsqueeze(1).squeeze_(-2).grad_fn
    assert type(node).__name__ == "SqueezeBackward4"
    assert (node._saved_dim, node._saved_self_sym_sizes) == (2**64 - 2, (2, 1, 3))
    node = d.clone().unsqueeze(1).squeeze_((-2, 0)).grad_fn
    assert node._saved_dim == (2**64 - 2, 0)
    assert d.clone().unsqueeze(1).squeeze_().grad_fn._saved_self_sym_sizes == (2, 1, 3)
    assert d.clone().unsqueeze_(-1).grad_fn._saved_dim == 2**64 - 1
    node = d.clone().transpose_(-1, 0).grad_fn
    assert (node._saved_dim0, node._saved_dim1) == (2**64 - 1, 0)
    node = d.clone().as_strided_((3,), (1,), 2).grad_fn
    assert (node._saved_size, node._saved_stride, node._saved_storage_offset) == ((3,), (1,), 2)


def test_ldexp_float32_integer_exponent_is_exact():
    x = fg.tensor([1e-30, 3.0, 3.0, 3.0])
    e = fg.tensor([130, -149, -160, 200])
    out = fg.ldexp(x, e)
    assert out.dtype == fg.float32
    assert out.tolist() == [1361129472.0, 4.203895392974451e-45, 0.0, float("inf")]
    assert fg.ldexp(x[:1], e[:1].int()).tolist() == [1361129472.0]


def test_copy_keyword_is_other():
    t = fg.zeros(2)
    t.copy_(other=fg.ones(2))
    assert t.tolist() == [1.0, 1.0]
    with pytest.raises(TypeError, match="other"):
        t.copy_(src=fg.ones(2))
    with pytest.raises(TypeError, match="argument 'other' \\(position 1\\) must be Tensor, not str"):
        t.copy_("a")


@pytest.mark.parametrize("call, strides", [
    (lambda a, b: fg.cholesky_inverse(fg.linalg.cholesky(a)), (9, 1, 3)),
    (lambda a, b: fg.linalg.lstsq(a, b).solution, (6, 1, 3)),
])
def test_more_lapack_results_are_column_major(call, strides):
    a = _spd()
    b = fg.arange(12, dtype=fg.float64).reshape(2, 3, 2).cos()
    assert call(a, b).stride() == strides


def test_hessian_vector_product_through_a_narrowed_view():
    x = fg.tensor([1.0, 2.0, 3.0, 4.0])
    _, hv = fg.autograd.functional.hvp(lambda a: a.narrow(0, 0, 3).pow(3).sum(), x, fg.ones(4))
    assert hv.tolist() == [6.0, 12.0, 18.0, 0.0]


def test_third_derivative_through_a_diagonal():
    x = fg.tensor([[1.0, 5.0], [7.0, 2.0]], requires_grad=True)
    (g,) = fg.autograd.grad(x.diagonal().pow(4).sum(), x, create_graph=True)
    (gg,) = fg.autograd.grad(g.sum(), x, create_graph=True)
    (ggg,) = fg.autograd.grad(gg.sum(), x)
    assert ggg.tolist() == [[24.0, 0.0], [0.0, 48.0]]


def test_expand_message_names_the_backend_type():
    with pytest.raises(RuntimeError) as info:
        fg.ones(2, 3, dtype=fg.bool).expand(3)
    assert str(info.value).startswith("expand(CPUBoolType{[2, 3]}, size=[3]): the number of sizes provided (1)")
    with pytest.raises(RuntimeError, match=r"^expand\(torch\.FloatTensor\{\[2\]\}|^expand\(ferrograd\.FloatTensor\{\[2\]\}"):
        fg.ones(2).expand([])


def test_saved_version_message_names_the_backend_type():
    x = fg.ones(2, dtype=fg.bfloat16, requires_grad=True)
    y = x.exp()
    y.add_(1)
    with pytest.raises(RuntimeError, match=r"\[CPUBFloat16Type \[2\]\], which is output 0 of Exp, is at version 1"):
        y.sum().backward()


def test_hook_changing_the_dtype_names_both_types():
    x = fg.ones(2, requires_grad=True)
    y = x * 2

    def to_bfloat16(g):
        return g.to(fg.bfloat16)

    y.register_hook(to_bfloat16)
    with pytest.raises(RuntimeError, match=r"has changed the type of value \(was (torch|ferrograd)\.FloatTensor "
                                           r"got CPUBFloat16Type\)"):
        y.sum().backward()


@pytest.mark.parametrize("rows", [[[2.0, 0.0], [0.0, 3.0]], [[2.0, 1.0], [0.0, 3.0]],
                                  [[4.0, 1.0, 0.0], [1.0, 3.0, 0.0], [0.0, 0.0, 2.0]]])
@pytest.mark.parametrize("fn", [fg.logdet, lambda a: fg.linalg.slogdet(a)[1], lambda a: -fg.logdet(a),
                                lambda a: -2 * fg.linalg.slogdet(a)[1]])
def test_log_determinant_gradient_zeros_are_positive(rows, fn):
    a = fg.tensor(rows, dtype=fg.float64, requires_grad=True)
    (g,) = fg.autograd.grad(fn(a), a)
    zeros = [v for row in g.tolist() for v in row if v == 0.0]
    assert zeros and all(math.copysign(1.0, v) == 1.0 for v in zeros)
