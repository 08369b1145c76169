"""Bad calls found by `tools/opinfo_diff.py --mutate` (OpInfo samples with a wrong dtype,
kind of argument, size or `out=`): each raises PyTorch's exception type with a message
naming what was wrong. Exception types and message fragments are PyTorch 2.13's; the file
also runs against PyTorch (`FG_TEST_BACKEND=torch`)."""

import math
import re
import warnings

import numpy as np
import pytest
from backend import fg

F = fg.nn.functional


def raises(kind, fragment):
    return pytest.raises(kind, match=re.escape(fragment))


# ---- out= that requires grad -----------------------------------------------------------

OUT_REFUSES_GRAD = {
    "softmax": lambda out: fg.softmax(fg.ones(3, 3), 0, out=out),
    "log_softmax": lambda out: fg.log_softmax(fg.ones(3, 3), 0, out=out),
    "floor_divide": lambda out: fg.floor_divide(fg.ones(3, 3), fg.ones(3, 3), out=out),
    "heaviside": lambda out: fg.heaviside(fg.ones(3, 3), fg.ones(3, 3), out=out),
    "conj_physical": lambda out: fg.conj_physical(fg.ones(3, 3), out=out),
    "matrix_power": lambda out: fg.matrix_power(fg.ones(3, 3), 2, out=out),
    "t_copy": lambda out: fg.t_copy(fg.ones(3, 3), out=out),
    "alias_copy": lambda out: fg.alias_copy(fg.ones(3, 3), out=out),
}


@pytest.mark.parametrize("name", sorted(OUT_REFUSES_GRAD))
def test_an_out_tensor_that_requires_grad_is_refused(name):
    out = fg.zeros(3, 3, requires_grad=True)
    with raises(RuntimeError, "functions with out=... arguments don't support automatic differentiation"):
        OUT_REFUSES_GRAD[name](out)
    assert out.tolist() == [[0.0] * 3] * 3


def test_diag_names_the_kernel_of_its_input_rank():
    with raises(RuntimeError, "diagonal_copy(): functions with out=..."):
        fg.diag(fg.ones(3, 3), out=fg.zeros(3, requires_grad=True))
    with raises(RuntimeError, "diag_embed(): functions with out=..."):
        fg.diag(fg.ones(3), out=fg.zeros(3, 3, requires_grad=True))


def test_softmax_writes_an_input_requiring_grad_into_a_plain_out():
    x = fg.zeros(3, requires_grad=True)
    out = fg.empty(3)
    fg.softmax(x, 0, out=out)
    assert out.tolist() == pytest.approx([1 / 3] * 3)


def test_an_out_requiring_grad_is_written_under_no_grad():
    out = fg.zeros(3, requires_grad=True)
    with fg.no_grad():
        fg.softmax(fg.zeros(3), 0, out=out)
    assert out.tolist() == pytest.approx([1 / 3] * 3)


# ---- nn.functional arguments of the wrong kind --------------------------------------------

WRONG_KIND = [
    ("linear bias str", lambda: F.linear(fg.ones(2, 3), fg.ones(4, 3), "abc"),
     "linear(): argument 'bias' (position 3) must be Tensor, not str"),
    ("linear bias ndarray", lambda: F.linear(fg.ones(2, 3), fg.ones(4, 3), np.ones(4, dtype=np.float32)),
     "linear(): argument 'bias' (position 3) must be Tensor, not numpy.ndarray"),
    ("dropout None", lambda: F.dropout(None, 0.0),
     "dropout(): argument 'input' (position 1) must be Tensor, not NoneType"),
    ("dropout str in eval", lambda: F.dropout("abc", 0.5, training=False),
     "dropout(): argument 'input' (position 1) must be Tensor, not str"),
    ("nll_loss weight list",
     lambda: F.nll_loss(fg.ones(2, 3), fg.zeros(2, dtype=fg.int64), weight=[1.0, 1.0, 1.0]),
     "nll_loss_nd(): argument 'weight' (position 3) must be Tensor, not list"),
    ("batch_norm running_mean str", lambda: F.batch_norm(fg.ones(2, 3), "a", fg.ones(3)),
     "batch_norm(): argument 'running_mean' (position 4) must be Tensor, not str"),
    ("batch_norm weight list",
     lambda: F.batch_norm(fg.ones(2, 3), fg.zeros(3), fg.ones(3), weight=[1.0, 1.0, 1.0]),
     "batch_norm(): argument 'weight' (position 2) must be Tensor, not list"),
    ("group_norm float groups", lambda: F.group_norm(fg.ones(1, 6, 3), 2.5),
     "group_norm(): argument 'num_groups' (position 2) must be int, not float"),
    ("group_norm nan groups", lambda: F.group_norm(fg.ones(1, 6, 3), math.nan),
     "group_norm(): argument 'num_groups' (position 2) must be int, not float"),
    ("group_norm weight str", lambda: F.group_norm(fg.ones(1, 6, 3), 2, "abc"),
     "group_norm(): argument 'weight' (position 3) must be Tensor, not str"),
    ("group_norm bias list", lambda: F.group_norm(fg.ones(1, 6, 3), 2, None, [1.0] * 6),
     "group_norm(): argument 'bias' (position 4) must be Tensor, not list"),
    ("cov float correction", lambda: fg.cov(fg.ones(2, 3), correction=2.5),
     "cov(): argument 'correction' must be int, not float"),
    ("cov bool correction", lambda: fg.cov(fg.ones(2, 3), correction=True),
     "cov(): argument 'correction' must be int, not bool"),
    ("mul ndarray input", lambda: fg.mul(np.ones(3), fg.ones(3)),
     "mul(): argument 'input' (position 1) must be Tensor, not numpy.ndarray"),
    ("pow ndarray base", lambda: fg.pow(np.ones(3), fg.ones(3)),
     "pow() received an invalid combination of arguments - got (numpy.ndarray, Tensor)"),
    ("pow ndarray exponent", lambda: fg.pow(fg.ones(3), np.ones(3)),
     "pow() received an invalid combination of arguments - got (Tensor, numpy.ndarray)"),
]


@pytest.mark.parametrize("case", WRONG_KIND, ids=[c[0] for c in WRONG_KIND])
def test_an_argument_of_the_wrong_kind_is_a_type_error(case):
    _, call, message = case
    with raises(TypeError, message):
        call()


def test_group_norm_checks_the_rank_before_the_group_count():
    with raises(RuntimeError, "Expected at least 2 dimensions for input tensor but received 1"):
        F.group_norm(fg.ones(6), 2.5)


# ---- dtypes the products and kernels refuse --------------------------------------------------

NOT_IMPLEMENTED = [
    ("bmm bool and float", lambda: fg.bmm(fg.ones(1, 2, 2, dtype=fg.bool), fg.ones(1, 2, 2)),
     "\"bmm\" not implemented for 'Bool'"),
    ("cross bool and float",
     lambda: fg.cross(fg.ones(2, 3, dtype=fg.bool), fg.ones(2, 3), dim=1),
     "\"cross\" not implemented for 'Bool'"),
    ("linalg.cross bool and float",
     lambda: fg.linalg.cross(fg.ones(2, 3, dtype=fg.bool), fg.ones(2, 3)),
     "\"cross\" not implemented for 'Bool'"),
    ("mse_loss complex target",
     lambda: F.mse_loss(fg.ones(3), fg.ones(3, dtype=fg.complex64)),
     "\"mse_cpu\" not implemented for 'ComplexFloat'"),
    ("batch_norm complex",
     lambda: F.batch_norm(fg.ones(2, 3, dtype=fg.complex64), fg.zeros(3), fg.ones(3)),
     "\"batch_norm\" not implemented for 'ComplexFloat'"),
    ("nll_loss long input, float weight",
     lambda: F.nll_loss(fg.ones(2, 3, dtype=fg.int64), fg.zeros(2, dtype=fg.int64), weight=fg.ones(3)),
     "\"nll_loss_out_frame\" not implemented for 'Long'"),
    ("nll_loss complex input",
     lambda: F.nll_loss(fg.ones(2, 3, dtype=fg.complex64), fg.zeros(2, dtype=fg.int64)),
     "\"nll_loss_out_frame\" not implemented for 'ComplexFloat'"),
    ("geometric_ complex", lambda: fg.ones(3, dtype=fg.complex64).geometric_(0.5),
     "\"geometric_cpu\" not implemented for 'ComplexFloat'"),
    ("log_normal_ complex", lambda: fg.ones(3, dtype=fg.complex64).log_normal_(),
     "\"log_normal_cpu\" not implemented for 'ComplexFloat'"),
]


@pytest.mark.parametrize("case", NOT_IMPLEMENTED, ids=[c[0] for c in NOT_IMPLEMENTED])
def test_a_kernel_without_the_dtype_is_not_implemented(case):
    _, call, message = case
    with raises(NotImplementedError, message):
        call()


def test_mse_loss_promotes_a_bool_input():
    loss = F.mse_loss(fg.tensor([True, False, True]), fg.ones(3))
    assert loss.dtype == fg.float32
    assert loss.item() == pytest.approx(1 / 3)


# ---- NaN and out-of-range numbers ----------------------------------------------------------

BAD_BOUNDS = [
    ("uniform_ nan from", lambda: fg.ones(3).uniform_(math.nan, 1), "from is out of bounds for float"),
    ("uniform_ nan both", lambda: fg.ones(3).uniform_(math.nan, math.nan), "from is out of bounds for float"),
    ("uniform_ inf to", lambda: fg.ones(3).uniform_(0, math.inf), "to is out of bounds for float"),
    ("uniform_ past float32", lambda: fg.ones(3).uniform_(0, 1e39), "to is out of bounds for float"),
    ("uniform_ -inf double", lambda: fg.ones(3, dtype=fg.float64).uniform_(-math.inf, 1),
     "from is out of bounds for double"),
    ("uniform_ inf half", lambda: fg.ones(3, dtype=fg.float16).uniform_(0, math.inf),
     "to is out of bounds for c10::Half"),
    ("uniform_ inf complex", lambda: fg.ones(3, dtype=fg.complex64).uniform_(0, math.inf),
     "to is out of bounds for float"),
    ("uniform_ span past float32", lambda: fg.ones(3).uniform_(-3.0e38, 3.0e38),
     "uniform_ expects to-from <= std::numeric_limits<Float>::max(), but found to=3e+38 and from=-3e+38"),
    ("normal_ nan std", lambda: fg.ones(3).normal_(0, math.nan), "normal expects std >= 0.0, but found std nan"),
    ("normal nan std", lambda: fg.normal(0.0, math.nan, (3,)), "normal expects std >= 0.0, but found std nan"),
    ("normal tensor mean, nan std", lambda: fg.normal(fg.zeros(3), math.nan),
     "normal expects std >= 0.0, but found std nan"),
]


@pytest.mark.parametrize("case", BAD_BOUNDS, ids=[c[0] for c in BAD_BOUNDS])
def test_a_distribution_refuses_nan_and_unbounded_parameters(case):
    _, call, message = case
    with raises(RuntimeError, message):
        call()


def test_uniform_keeps_finite_bounds_and_a_nan_mean_is_allowed():
    x = fg.ones(100).uniform_(-1.0e38, 1.0e38)
    assert bool(x.isfinite().all())
    assert bool(fg.ones(3).normal_(math.nan, 1.0).isnan().all())


POOL_OVERFLOW = [
    ("avg_pool2d stride", lambda x: F.avg_pool2d(x, 3, 2**31)),
    ("avg_pool2d kernel", lambda x: F.avg_pool2d(x, 2**31)),
    ("max_pool2d stride", lambda x: F.max_pool2d(x, 3, 2**31)),
    ("max_pool2d padding", lambda x: F.max_pool2d(x, 3, 1, 2**31)),
    ("max_pool2d dilation", lambda x: F.max_pool2d(x, 3, 1, 0, 2**31)),
    ("avg_pool1d stride", lambda x: F.avg_pool1d(x[0], 3, 2**31)),
    ("max_pool3d stride", lambda x: F.max_pool3d(x, 1, 2**31)),
    ("avg_pool3d stride", lambda x: F.avg_pool3d(x, 1, 2**31)),
]


@pytest.mark.parametrize("case", POOL_OVERFLOW, ids=[c[0] for c in POOL_OVERFLOW])
def test_pooling_geometry_past_a_c_int_overflows(case):
    with raises(RuntimeError, "value cannot be converted to type int without overflow"):
        case[1](fg.ones(1, 3, 9, 9))


def test_pooling_geometry_at_the_c_int_limit_and_max_pool1d_take_it():
    x = fg.ones(1, 3, 9, 9)
    assert tuple(F.avg_pool2d(x, 3, 2**31 - 1).shape) == (1, 3, 1, 1)
    assert tuple(F.max_pool1d(fg.ones(1, 3, 9), 3, 2**31).shape) == (1, 3, 1)


def test_no_warning_leaks_from_the_checks():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with raises(RuntimeError, "functions with out=..."):
            fg.softmax(fg.ones(3), 0, out=fg.zeros(3, requires_grad=True))


def test_expand_copy_writes_an_input_requiring_grad_into_a_plain_out():
    out = fg.zeros(2, 3)
    fg.expand_copy(fg.ones(1, 3, requires_grad=True), (2, 3), out=out)
    assert out.tolist() == [[1.0] * 3] * 2
    with raises(RuntimeError, "expand_copy(): functions with out=... arguments don't support"):
        fg.expand_copy(fg.ones(1, 3), (2, 3), out=fg.zeros(2, 3, requires_grad=True))


@pytest.mark.parametrize("dtype", ["float32", "complex64"])
def test_conj_physical_in_place_refuses_a_view_of_a_leaf_even_when_real(dtype):
    leaf = fg.ones(3, dtype=getattr(fg, dtype), requires_grad=True)
    with raises(RuntimeError, "a view of a leaf Variable that requires grad is being used in an in-place operation."):
        leaf[:2].conj_physical_()
    with raises(RuntimeError, "a leaf Variable that requires grad is being used in an in-place operation."):
        leaf.conj_physical_()
    assert fg.conj_physical_((leaf * 2)[:2]).shape == (2,)  # a view of a non-leaf is fine


def test_masked_select_names_the_sizes_that_do_not_broadcast():
    x = fg.arange(6.0).reshape(2, 3)
    with raises(RuntimeError, "The size of tensor a (4) must match the size of tensor b (3) at non-singleton dimension 1"):
        x.masked_select(fg.ones(4, dtype=fg.bool))
    with raises(RuntimeError, "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 2"):
        fg.masked_select(x, fg.ones(3, 1, 2, dtype=fg.bool))
    assert x.masked_select(fg.tensor([[True], [False]])).tolist() == [0.0, 1.0, 2.0]
