"""Code written for PyTorch's API runs unchanged: PyTorch's keyword names, `out=`
(values, identity, resizing, dtype checks, the autograd refusal) and `norm`'s dtype.

Every expectation is PyTorch's behaviour (the file passes with FG_TEST_BACKEND=torch).
"""

import math
import warnings

import numpy as np
import pytest
from backend import fg


def _np(t):
    return np.asarray(t.detach().tolist())


# ---- keyword names --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["zeros_like", "ones_like", "empty_like", "rand_like", "randn_like"])
def test_like_functions_take_input_by_keyword(name):
    x = fg.ones(2, 3, dtype=fg.float64)
    r = getattr(fg, name)(input=x)
    assert tuple(r.shape) == (2, 3)
    assert r.dtype == fg.float64


def test_like_functions_values_and_keywords():
    x = fg.ones(2, 2)
    assert _np(fg.zeros_like(input=x)).tolist() == [[0.0, 0.0], [0.0, 0.0]]
    assert _np(fg.ones_like(input=x, dtype=fg.int64)).tolist() == [[1, 1], [1, 1]]
    assert fg.ones_like(input=x, dtype=fg.int64).dtype == fg.int64
    full = fg.full_like(input=x, fill_value=2.5)
    assert _np(full).tolist() == [[2.5, 2.5], [2.5, 2.5]]
    r = fg.randint_like(input=x, high=5)
    assert tuple(r.shape) == (2, 2) and r.dtype == fg.float32
    assert ((_np(r) >= 0) & (_np(r) < 5)).all()


def test_like_functions_accept_layout_and_memory_format_keywords():
    x = fg.ones(2)
    assert _np(fg.zeros_like(x, layout=None, memory_format=None)).tolist() == [0.0, 0.0]


def test_rand_like_takes_a_generator():
    x = fg.ones(3)
    a = fg.rand_like(x, generator=fg.Generator().manual_seed(3))
    b = fg.rand_like(x, generator=fg.Generator().manual_seed(3))
    assert _np(a).tolist() == _np(b).tolist()


def test_matrix_products_name_their_second_operand_as_pytorch():
    a = fg.tensor([[1.0, 2.0], [3.0, 4.0]])
    v = fg.tensor([1.0, -1.0])
    assert _np(fg.mm(input=a, mat2=a)).tolist() == [[7.0, 10.0], [15.0, 22.0]]
    assert _np(fg.bmm(a[None], mat2=a[None])).tolist() == [[[7.0, 10.0], [15.0, 22.0]]]
    assert _np(fg.mv(a, vec=v)).tolist() == [-1.0, -1.0]
    assert fg.dot(v, tensor=v).item() == 2.0


def test_clamp_min_max_and_float_power_keywords():
    x = fg.tensor([-1.0, 2.0])
    assert _np(fg.clamp_min(x, min=0.0)).tolist() == [0.0, 2.0]
    assert _np(fg.clamp_max(x, max=0.0)).tolist() == [-1.0, 0.0]
    assert _np(x.clamp_min(min=0.0)).tolist() == [0.0, 2.0]
    assert _np(x.clamp_max(max=0.0)).tolist() == [-1.0, 0.0]
    assert _np(x.clone().clamp_min_(min=1.0)).tolist() == [1.0, 2.0]
    assert _np(x.clone().clamp_max_(max=1.0)).tolist() == [-1.0, 1.0]
    p = fg.float_power(x, exponent=2)
    assert p.dtype == fg.float64 and _np(p).tolist() == [1.0, 4.0]
    assert _np(x.float_power(exponent=3)).tolist() == [-1.0, 8.0]


def test_where_method_takes_other():
    x = fg.tensor([1.0, 2.0])
    r = x.where(fg.tensor([True, False]), other=fg.tensor([9.0, 9.0]))
    assert _np(r).tolist() == [1.0, 9.0]


def test_small_functions_take_input():
    x = fg.ones(2, 3)
    assert fg.numel(input=x) == 6
    assert fg.is_floating_point(input=x) is True
    assert fg.is_floating_point(input=fg.ones(2, dtype=fg.int64)) is False


def test_gather_sparse_grad_keyword_gives_the_same_gradient_values():
    x = fg.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    index = fg.tensor([[0, 0], [1, 0]])
    y = fg.gather(x, 1, index, sparse_grad=False)
    assert _np(y).tolist() == [[1.0, 1.0], [4.0, 3.0]]
    y.sum().backward()
    assert _np(x.grad).tolist() == [[2.0, 0.0], [1.0, 1.0]]


# ---- norm's dtype ---------------------------------------------------------------------


def test_norm_function_applies_dtype():
    x = fg.tensor([3.0, 4.0])
    r = fg.norm(x, dtype=fg.float64)
    assert r.dtype == fg.float64
    assert r.item() == 5.0
    r = fg.norm(x, 2, 0, True, dtype=fg.float64)
    assert r.dtype == fg.float64 and tuple(r.shape) == (1,)
    assert x.norm(dtype=fg.float64).dtype == fg.float64


def test_norm_function_without_dtype_keeps_the_input_dtype():
    assert fg.norm(fg.tensor([3.0, 4.0])).dtype == fg.float32


# ---- out= -----------------------------------------------------------------------------


def test_out_receives_the_values_and_is_returned():
    a, b = fg.tensor([1.0, 2.0]), fg.tensor([3.0, 4.0])
    out = fg.empty(2)
    r = fg.add(a, b, out=out)
    assert r is out
    assert _np(out).tolist() == [4.0, 6.0]
    r = fg.add(a, b, alpha=2, out=out)
    assert r is out and _np(out).tolist() == [7.0, 10.0]


def test_empty_out_is_resized_without_warning():
    out = fg.empty(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = fg.mul(fg.ones(2, 3), 2.0, out=out)
    assert r is out
    assert tuple(out.shape) == (2, 3)
    assert _np(out).tolist() == [[2.0] * 3] * 2


def test_nonempty_out_of_another_shape_is_resized_with_a_warning():
    out = fg.zeros(3)
    with pytest.warns(UserWarning, match="was resized since it had shape \\[3\\]"):
        r = fg.sub(fg.ones(2), fg.ones(2), out=out)
    assert r is out and tuple(out.shape) == (2,)
    assert _np(out).tolist() == [0.0, 0.0]


def test_out_with_a_wider_dtype_gets_the_cast_values():
    out = fg.empty(0, dtype=fg.float64)
    fg.exp(fg.tensor([0.0, 1.0]), out=out)
    assert out.dtype == fg.float64
    assert np.allclose(_np(out), [1.0, math.e])
    out = fg.empty(0)
    fg.add(fg.tensor([1, 2]), fg.tensor([1, 2]), out=out)
    assert out.dtype == fg.float32 and _np(out).tolist() == [2.0, 4.0]


def test_comparison_out_can_take_another_dtype():
    a, b = fg.tensor([1.0, 5.0]), fg.tensor([3.0, 3.0])
    out = fg.empty(2, dtype=fg.float64)
    assert fg.gt(a, b, out=out) is out
    assert _np(out).tolist() == [0.0, 1.0]
    out = fg.empty(0, dtype=fg.int64)
    assert fg.greater(a, b, out=out) is out
    assert out.dtype == fg.int64 and _np(out).tolist() == [0, 1]
    out = fg.empty(0, dtype=fg.bool)
    fg.less_equal(a, b, out=out)
    assert _np(out).tolist() == [True, False]
    fg.not_equal(a, b, out=out)
    assert _np(out).tolist() == [True, True]


def test_result_that_cannot_be_cast_to_out_raises():
    out = fg.empty(2, dtype=fg.int64)
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output type Long"):
        fg.add(fg.tensor([1.0, 2.0]), fg.tensor([3.0, 4.0]), out=out)
    with pytest.raises(RuntimeError, match="can't be cast to the desired output type Long"):
        fg.div(fg.tensor([1, 2]), fg.tensor([1, 2]), out=out)


def test_matrix_product_out_must_have_the_result_dtype():
    a = fg.ones(2, 2)
    with pytest.raises(RuntimeError, match="Expected out tensor to have dtype float, but got double instead"):
        fg.mm(a, a, out=fg.empty(0, dtype=fg.float64))
    out = fg.empty(0)
    assert fg.matmul(a, a, out=out) is out
    assert _np(out).tolist() == [[2.0, 2.0], [2.0, 2.0]]


def test_cat_out_of_a_narrower_dtype_is_a_type_error():
    a = fg.tensor([1.0, 2.0])
    with pytest.raises(TypeError):
        fg.cat([a, a], out=fg.empty(0, dtype=fg.int64))
    out = fg.empty(0, dtype=fg.float64)
    assert fg.stack([a, a], out=out) is out
    assert tuple(out.shape) == (2, 2) and out.dtype == fg.float64


def test_out_refused_while_an_argument_requires_grad():
    g = fg.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="don't support automatic differentiation"):
        fg.add(g, fg.ones(2), out=fg.empty(2))
    with pytest.raises(RuntimeError, match="exp\\(\\): functions with out=... arguments"):
        fg.exp(g, out=fg.empty(2))
    with pytest.raises(RuntimeError, match="don't support automatic differentiation"):
        fg.cat([g, g], out=fg.empty(4))
    with pytest.raises(RuntimeError, match="don't support automatic differentiation"):
        fg.add(fg.ones(2), fg.ones(2), out=fg.empty(2, requires_grad=True))


def test_out_allowed_with_grad_disabled():
    g = fg.tensor([1.0, 2.0], requires_grad=True)
    out = fg.empty(2)
    with fg.no_grad():
        r = fg.add(g, fg.ones(2), out=out)
    assert r is out and _np(out).tolist() == [2.0, 3.0]
    assert out.requires_grad is False


def test_noncontiguous_out_is_written_in_place():
    base = fg.zeros(2, 2)
    column = base[:, 0]
    fg.add(fg.tensor([1.0, 2.0]), 1.0, out=column)
    assert _np(base).tolist() == [[2.0, 0.0], [3.0, 0.0]]


def test_out_can_alias_an_input():
    a = fg.tensor([1.0, 2.0])
    r = fg.mul(a, a, out=a)
    assert r is a and _np(a).tolist() == [1.0, 4.0]


def test_reduction_out():
    x = fg.tensor([[1.0, 2.0], [3.0, 4.0]])
    out = fg.empty(0)
    assert fg.sum(x, 0, out=out) is out and _np(out).tolist() == [4.0, 6.0]
    assert fg.mean(x, 1, out=out) is out and _np(out).tolist() == [1.5, 3.5]
    out = fg.empty(0, dtype=fg.int64)
    fg.argmax(x, 1, out=out)
    assert _np(out).tolist() == [1, 1]


def test_tuple_out_for_values_and_indices():
    x = fg.tensor([[1.0, 5.0], [7.0, 2.0]])
    values, indices = fg.empty(0), fg.empty(0, dtype=fg.int64)
    r = fg.max(x, 1, out=(values, indices))
    assert r[0] is values and r[1] is indices
    assert _np(values).tolist() == [5.0, 7.0] and _np(indices).tolist() == [1, 0]
    values, indices = fg.empty(0), fg.empty(0, dtype=fg.int64)
    r = fg.sort(fg.tensor([3.0, 1.0, 2.0]), out=(values, indices))
    assert r.values is values and r.indices is indices
    assert _np(values).tolist() == [1.0, 2.0, 3.0] and _np(indices).tolist() == [1, 2, 0]


def test_factories_take_out_dtype():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # factories resize a non-empty out silently
        _check_factories()


def _check_factories():
    out = fg.empty(0, dtype=fg.int64)
    r = fg.zeros(2, 3, out=out)
    assert r is out and out.dtype == fg.int64 and tuple(out.shape) == (2, 3)
    assert _np(fg.ones(2, out=out)).tolist() == [1, 1]
    out = fg.empty(0, dtype=fg.float64)
    assert _np(fg.arange(3, out=out)).tolist() == [0.0, 1.0, 2.0] and out.dtype == fg.float64
    r = fg.randperm(4, out=out)
    assert r is out and sorted(_np(out).tolist()) == [0.0, 1.0, 2.0, 3.0]
    assert fg.full((2,), 1.5, out=out) is out and _np(out).tolist() == [1.5, 1.5]
    assert _np(fg.eye(2, out=out)).tolist() == [[1.0, 0.0], [0.0, 1.0]]


def test_factory_dtype_that_differs_from_out_raises():
    with pytest.raises(RuntimeError, match="dtype Float does not match dtype of out parameter \\(Long\\)"):
        fg.zeros(2, dtype=fg.float32, out=fg.empty(0, dtype=fg.int64))


def test_random_functions_write_into_out():
    fg.manual_seed(0)
    out = fg.empty(0)
    assert fg.bernoulli(fg.full((3,), 0.5), out=out) is out
    assert tuple(out.shape) == (3,) and set(_np(out).tolist()) <= {0.0, 1.0}
    out = fg.empty(4)  # PyTorch's normal broadcasts with out's shape: it must be right
    assert fg.normal(fg.zeros(4), 1.0, out=out) is out and tuple(out.shape) == (4,)
    idx = fg.empty(0, dtype=fg.int64)
    assert fg.multinomial(fg.tensor([0.0, 1.0]), 1, out=idx) is idx
    assert _np(idx).tolist() == [1]


def test_nonzero_out():
    out = fg.empty(0, dtype=fg.int64)
    r = fg.nonzero(fg.tensor([0.0, 3.0, 4.0]), out=out)
    assert r is out and _np(out).tolist() == [[1], [2]]


def test_submodule_functions_take_out():
    a = fg.tensor([[2.0, 1.0], [1.0, 3.0]])
    out = fg.empty(0)
    assert fg.linalg.det(a, out=out) is out
    assert abs(out.item() - 5.0) < 1e-5
    out = fg.empty(0)
    assert fg.special.expit(fg.zeros(2), out=out) is out and _np(out).tolist() == [0.5, 0.5]
    out = fg.empty(0)
    assert fg.nn.functional.linear(a, a, out=out) is out
    assert _np(out).tolist() == [[5.0, 5.0], [5.0, 10.0]]


@pytest.mark.parametrize("name", ["clone", "zeros_like", "flip_free_unary"])
def test_functions_without_out_in_pytorch_reject_it(name):
    x = fg.ones(2)
    with pytest.raises(TypeError):
        if name == "flip_free_unary":
            fg.isnan(x, out=fg.empty(0, dtype=fg.bool))
        else:
            getattr(fg, name)(x, out=fg.empty(0))


def test_uniform_and_random_take_the_from_keyword():
    x = fg.empty(50)
    x.uniform_(**{"from": 2.0, "to": 3.0})
    assert ((_np(x) >= 2.0) & (_np(x) < 3.0)).all()
    x.random_(**{"from": 5, "to": 7})
    assert set(_np(x).tolist()) <= {5.0, 6.0}
    with pytest.raises(TypeError):
        x.uniform_(a=1.0)


def test_split_functions_take_sections_or_indices():
    x = fg.ones(4, 4, 4)
    assert [tuple(p.shape) for p in fg.hsplit(x, indices=[1])] == [(4, 1, 4), (4, 3, 4)]
    assert len(fg.vsplit(x, sections=2)) == 2
    assert [tuple(p.shape) for p in x.dsplit(indices=[1, 3])] == [(4, 4, 1), (4, 4, 2), (4, 4, 1)]


def test_promote_types_and_set_default_device_keywords():
    assert fg.promote_types(type1=fg.int32, type2=fg.float32) == fg.float32
    fg.set_default_device(device="cpu")
    assert fg.ones(1).device.type == "cpu"
    fg.set_default_device(device=None)


def test_product_and_pow_methods_take_pytorch_keywords():
    a = fg.tensor([[1.0, 2.0], [3.0, 4.0]])
    v = fg.tensor([1.0, 1.0])
    assert _np(a.mm(mat2=a)).tolist() == [[7.0, 10.0], [15.0, 22.0]]
    assert _np(a[None].bmm(mat2=a[None])).tolist() == [[[7.0, 10.0], [15.0, 22.0]]]
    assert _np(a.mv(vec=v)).tolist() == [3.0, 7.0]
    assert v.dot(tensor=v).item() == 2.0
    assert _np(a.pow(exponent=2)).tolist() == [[1.0, 4.0], [9.0, 16.0]]
    assert _np(a.clone().pow_(exponent=2)).tolist() == [[1.0, 4.0], [9.0, 16.0]]


# (function, expected values written into an int64 out, into a float64 out); None: RuntimeError
_X = [[1.5, 2.0], [3.0, 4.0]]
_DTYPE_CASES = {
    "sum": (lambda x, c: fg.sum(x, 0, out=c), [4, 6], [4.5, 6.0]),
    "prod": (lambda x, c: fg.prod(x, 0, out=c), [3, 8], [4.5, 8.0]),
    "cumprod": (lambda x, c: fg.cumprod(x, 0, out=c), [1, 2, 3, 8], [1.5, 2.0, 4.5, 8.0]),
    "mean": (lambda x, c: fg.mean(x, 0, out=c), None, [2.25, 3.0]),
    "maximum": (lambda x, c: fg.maximum(x, x, out=c), None, [1.5, 2.0, 3.0, 4.0]),
    "round": (lambda x, c: fg.round(x, out=c), None, None),
    "abs": (lambda x, c: fg.abs(x, out=c), None, None),
    "floor": (lambda x, c: fg.floor(x, out=c), None, None),
    "clamp_min": (lambda x, c: fg.clamp_min(x, 0.0, out=c), None, None),
    "where": (lambda x, c: fg.where(x > 0, x, x, out=c), None, None),
    "max_dim": (lambda x, c: fg.max(x, 0, out=(c, fg.empty(0, dtype=fg.int64)))[0], None, None),
    "softmax": (lambda x, c: fg.softmax(x, 0, out=c), None, None),
}


@pytest.mark.parametrize("name", sorted(_DTYPE_CASES))
def test_out_dtype_rules_follow_pytorch(name):
    fn, as_long, as_double = _DTYPE_CASES[name]
    for dtype, expected in ((fg.int64, as_long), (fg.float64, as_double)):
        out = fg.empty(0, dtype=dtype)
        if expected is None:
            with pytest.raises(RuntimeError):
                fn(fg.tensor(_X), out)
        else:
            fn(fg.tensor(_X), out)
            assert out.dtype == dtype
            assert _np(out).reshape(-1).tolist() == expected


def test_linalg_functions_take_pytorch_keyword_names():
    a = fg.tensor([[4.0, 2.0], [2.0, 3.0]])
    assert abs(fg.linalg.det(A=a).item() - 8.0) < 1e-5
    assert abs(fg.linalg.norm(input=fg.tensor([3.0, 4.0])).item() - 5.0) < 1e-6
    assert abs(fg.linalg.matrix_norm(input=a, ord=1).item() - 6.0) < 1e-6
    assert tuple(fg.linalg.cholesky(input=a).shape) == (2, 2)
    assert fg.linalg.matrix_rank(input=a).item() == 2
    assert np.allclose(_np(fg.linalg.matrix_power(input=a, n=2)), [[20.0, 14.0], [14.0, 13.0]])
    assert np.allclose(_np(fg.linalg.pinv(input=fg.eye(2))), [[1.0, 0.0], [0.0, 1.0]])
    assert np.allclose(_np(fg.linalg.eigvalsh(input=fg.eye(2))), [1.0, 1.0])
    x = fg.linalg.solve_triangular(input=fg.eye(2), B=fg.ones(2, 1), upper=True)
    assert np.allclose(_np(x), [[1.0], [1.0]])
    sol = fg.linalg.lstsq(input=fg.eye(2), b=fg.ones(2, 1)).solution
    assert np.allclose(_np(sol), [[1.0], [1.0]])
