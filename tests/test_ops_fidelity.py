"""Code written against PyTorch's tensor API sees PyTorch's node names, dtypes, gradients,
error types and random-state layout. Every expectation was recorded from PyTorch 2.13 (or
is NumPy's or plain arithmetic); the file passes with FG_TEST_BACKEND=torch too."""

import math

import numpy as np
import pytest
from backend import fg

F = fg.nn.functional


def _x(*shape, seed=0):
    rng = np.random.default_rng(seed)
    return fg.tensor(rng.standard_normal(shape), dtype=fg.float64, requires_grad=True)


def _name(t):
    return type(t.grad_fn).__name__


def _index_put_acc(x):
    y = x.clone()
    y.index_put_((fg.tensor([0, 2]),), fg.tensor([1.0, 2.0], dtype=fg.float64), accumulate=True)
    return y


def _index_add_assign(x):
    y = x.clone()
    y[fg.tensor([0, 2])] += fg.tensor([1.0, 2.0], dtype=fg.float64)
    return y


def _slice_add_assign(x):
    y = x.clone()
    y[1:3] += 1.0
    return y


def _probs(n, c):
    return fg.tensor(np.full((n, c), 1.0 / c), dtype=fg.float64)


def _ctc(reduction):
    lp = _x(6, 2, 4).log_softmax(2)
    return F.ctc_loss(lp, fg.tensor([[1, 2], [3, 1]]), fg.tensor([6, 5]), fg.tensor([2, 2]), reduction=reduction)


_GRID = fg.tensor(np.linspace(-0.9, 0.9, 18).reshape(1, 3, 3, 2), dtype=fg.float64)

# (case, builder, PyTorch's type(out.grad_fn).__name__)
NODE_NAMES = [
    ("quantile", lambda: fg.quantile(_x(3, 4), 0.3), "SqueezeBackward4"),
    ("quantile_dim", lambda: fg.quantile(_x(3, 4), 0.3, dim=1), "SqueezeBackward4"),
    ("quantile_keepdim", lambda: _x(3, 4).quantile(0.3, dim=1, keepdim=True), "SqueezeBackward4"),
    ("quantile_q_tensor", lambda: fg.quantile(_x(3, 4), fg.tensor([0.2, 0.7], dtype=fg.float64), dim=0), "SqueezeBackward4"),
    ("nanquantile", lambda: fg.nanquantile(_x(3, 4), 0.3), "SqueezeBackward4"),
    ("masked_fill_number", lambda: _x(2, 3).masked_fill(fg.tensor([True, False, True]), 1.0), "MaskedFillBackward0"),
    ("masked_fill_tensor", lambda: _x(2, 3).masked_fill(fg.tensor([True, False, True]), fg.tensor(1.0)), "MaskedFillBackward1"),
    ("masked_fill_fn", lambda: fg.masked_fill(_x(2, 3), fg.tensor([True, False, True]), fg.tensor(1.0)), "MaskedFillBackward1"),
    ("masked_fill_inplace", lambda: _x(2, 3).clone().masked_fill_(fg.tensor([True, False, True]), fg.tensor(1.0)), "MaskedFillBackward1"),
    ("norm_p_dim", lambda: _x(3, 4).norm(2, 1), "LinalgVectorNormBackward0"),
    ("torch_norm_p_dim", lambda: fg.norm(_x(3, 4), 2, 1), "LinalgVectorNormBackward0"),
    ("norm_inf", lambda: _x(3, 4).norm(float("inf"), 0), "LinalgVectorNormBackward0"),
    ("index_put_accumulate", lambda: _index_put_acc(_x(5)), "IndexPutBackward0"),
    ("index_put_out_of_place", lambda: _x(5).index_put((fg.tensor([1]),), fg.tensor([3.0], dtype=fg.float64), accumulate=True), "IndexPutBackward0"),
    ("index_add_assign", lambda: _index_add_assign(_x(5)), "IndexPutBackward0"),
    ("slice_add_assign", lambda: _slice_add_assign(_x(5)), "CopySlices"),
    ("cross_entropy_probs_mean", lambda: F.cross_entropy(_x(3, 5), _probs(3, 5)), "DivBackward1"),
    ("cross_entropy_probs_smoothing", lambda: F.cross_entropy(_x(3, 5), _probs(3, 5), label_smoothing=0.1), "DivBackward1"),
    ("cross_entropy_probs_sum", lambda: F.cross_entropy(_x(3, 5), _probs(3, 5), reduction="sum"), "NegBackward0"),
    ("cross_entropy_probs_none", lambda: F.cross_entropy(_x(3, 5), _probs(3, 5), reduction="none"), "NegBackward0"),
    ("pdist", lambda: F.pdist(_x(4, 3)), "PdistBackward0"),
    ("pdist_p1", lambda: F.pdist(_x(4, 3), 1), "PdistBackward0"),
    ("ctc_none", lambda: _ctc("none"), "CtcLossBackward0"),
    ("ctc_mean", lambda: _ctc("mean"), "MeanBackward0"),
    ("ctc_sum", lambda: _ctc("sum"), "SumBackward0"),
    ("grid_sample", lambda: F.grid_sample(_x(1, 2, 4, 4), _GRID, align_corners=False), "GridSampler2DBackward0"),
    ("grid_sample_nearest", lambda: F.grid_sample(_x(1, 2, 4, 4), _GRID, mode="nearest", align_corners=False), "GridSampler2DBackward0"),
    ("grid_sample_3d", lambda: F.grid_sample(_x(1, 2, 3, 4, 4), fg.zeros(1, 2, 2, 2, 3, dtype=fg.float64), align_corners=False), "GridSampler3DBackward0"),
    ("affine_grid", lambda: F.affine_grid(_x(1, 2, 3), [1, 1, 3, 3], align_corners=False), "AffineGridGeneratorBackward0"),
    ("multi_margin_loss", lambda: F.multi_margin_loss(_x(4, 5), fg.tensor([1, 0, 4, 2])), "MultiMarginLossBackward0"),
    ("multi_margin_loss_none", lambda: F.multi_margin_loss(_x(4, 5), fg.tensor([1, 0, 4, 2]), reduction="none"), "MultiMarginLossBackward0"),
    ("multilabel_margin_loss", lambda: F.multilabel_margin_loss(_x(4, 5), fg.tensor([[1, 0, -1, 0, 0]] * 4)), "MultilabelMarginLossBackward0"),
    ("instance_norm", lambda: F.instance_norm(_x(2, 3, 4)), "ViewBackward0"),
    ("linear_2d_bias", lambda: F.linear(_x(3, 4), _x(5, 4, seed=1), _x(5, seed=2)), "AddmmBackward0"),
    ("linear_3d_bias", lambda: F.linear(_x(2, 3, 4), _x(5, 4, seed=1), _x(5, seed=2)), "ViewBackward0"),
    ("linear_2d", lambda: F.linear(_x(3, 4), _x(5, 4, seed=1)), "MmBackward0"),
    ("kron", lambda: fg.kron(_x(2, 3), _x(2, 2, seed=1)), "UnsafeViewBackward0"),
    ("trapezoid", lambda: fg.trapezoid(_x(3, 4)), "MulBackward1"),
    ("trapezoid_dx", lambda: fg.trapezoid(_x(3, 4), dx=0.5), "MulBackward1"),
    ("trapezoid_x", lambda: fg.trapezoid(_x(3, 4), fg.tensor([0.0, 1.0, 3.0, 4.0], dtype=fg.float64)), "DivBackward1"),
    ("cholesky_solve", lambda: fg.cholesky_solve(_x(3, 2), fg.eye(3, dtype=fg.float64) * 2), "CholeskySolveBackward0"),
    ("cholesky_inverse", lambda: fg.cholesky_inverse(_x(3, 3).tril() + fg.eye(3, dtype=fg.float64) * 3), "CholeskyInverseBackward0"),
    ("lu_factor", lambda: fg.linalg.lu_factor(_x(3, 3))[0], "LinalgLuFactorExBackward0"),
    ("lu", lambda: fg.linalg.lu(_x(3, 3))[1], "LinalgLuBackward0"),
    ("channel_shuffle", lambda: F.channel_shuffle(_x(1, 4, 2, 2), 2), "ChannelShuffleBackward0"),
    ("sdpa_4d", lambda: F.scaled_dot_product_attention(_x(1, 2, 4, 4), _x(1, 2, 4, 4, seed=1), _x(1, 2, 4, 4, seed=2)),
     "ScaledDotProductFlashAttentionForCpuBackward0"),
    ("sdpa_4d_causal", lambda: F.scaled_dot_product_attention(_x(1, 2, 4, 4), _x(1, 2, 4, 4, seed=1), _x(1, 2, 4, 4, seed=2), is_causal=True),
     "ScaledDotProductFlashAttentionForCpuBackward0"),
    ("sdpa_3d", lambda: F.scaled_dot_product_attention(_x(2, 4, 4), _x(2, 4, 4, seed=1), _x(2, 4, 4, seed=2)), "UnsafeViewBackward0"),
]


@pytest.mark.parametrize("build,expected", [c[1:] for c in NODE_NAMES], ids=[c[0] for c in NODE_NAMES])
def test_node_names(build, expected):
    assert _name(build()) == expected


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_triangular_solve_names_both_outputs():
    a = _x(3, 3)
    out = fg.triangular_solve(_x(3, 2, seed=1), a.triu() + fg.eye(3, dtype=fg.float64) * 3)
    assert [_name(t) for t in out] == ["TriangularSolveBackward0", "TriangularSolveBackward0"]


# ---- masked_fill with a 0-dim tensor value ---------------------------------------------


def test_masked_fill_tensor_value_gets_the_masked_gradient():
    x = fg.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype=fg.float64, requires_grad=True)
    v = fg.tensor(2.5, dtype=fg.float32, requires_grad=True)
    mask = fg.tensor([True, False, True])
    y = x.masked_fill(mask, v)
    assert y.dtype == fg.float64
    assert y.tolist() == [[2.5, 2.0, 2.5], [2.5, 5.0, 2.5]]
    (y * fg.tensor([1.0, 2.0, 3.0], dtype=fg.float64)).sum().backward()
    assert v.grad.dtype == fg.float32
    assert v.grad.item() == 8.0  # (1 + 3) * 2 rows
    assert x.grad.tolist() == [[0.0, 2.0, 0.0], [0.0, 2.0, 0.0]]


def test_masked_fill_tensor_value_casts_to_the_input_dtype():
    y = fg.tensor([1, 2, 3]).masked_fill(fg.tensor([True, False, True]), fg.tensor(2.5))
    assert y.dtype == fg.int64
    assert y.tolist() == [2, 2, 2]


def test_masked_fill_value_must_be_0_dim():
    x = fg.zeros(3, dtype=fg.float64)
    with pytest.raises(RuntimeError, match="0-dimensional value tensor"):
        x.masked_fill(fg.tensor([True, False, True]), fg.tensor([1.0]))
    with pytest.raises(RuntimeError, match="0-dimensional value tensor"):
        x.clone().masked_fill_(fg.tensor([True, False, True]), fg.tensor([1.0, 2.0]))


def test_masked_fill_tensor_value_gradcheck():
    mask = fg.tensor([[True, False, False], [False, True, True]])
    x = _x(2, 3)
    v = fg.tensor(0.7, dtype=fg.float64, requires_grad=True)
    assert fg.autograd.gradcheck(lambda a, b: a.masked_fill(mask, b), (x, v))


def test_masked_fill_in_place_tensor_value_reaches_the_value():
    v = fg.tensor(2.0, dtype=fg.float64, requires_grad=True)
    y = fg.zeros(3, dtype=fg.float64)
    y.masked_fill_(fg.tensor([True, False, True]), v)
    assert _name(y) == "MaskedFillBackward1"
    y.sum().backward()
    assert v.grad.item() == 2.0


# ---- index_put with accumulate -----------------------------------------------------------


def test_index_put_accumulate_values_and_gradients():
    x = fg.tensor([1.0, 2.0, 3.0, 4.0], dtype=fg.float64, requires_grad=True)
    v = fg.tensor([10.0, 20.0, 30.0], dtype=fg.float64, requires_grad=True)
    y = x.index_put((fg.tensor([0, 2, 0]),), v, accumulate=True)
    assert y.tolist() == [41.0, 2.0, 23.0, 4.0]
    (y * fg.tensor([1.0, 2.0, 3.0, 4.0], dtype=fg.float64)).sum().backward()
    assert x.grad.tolist() == [1.0, 2.0, 3.0, 4.0]
    assert v.grad.tolist() == [1.0, 3.0, 1.0]


def test_index_put_accumulate_gradcheck():
    idx = (fg.tensor([0, 2, 0]),)
    assert fg.autograd.gradcheck(lambda a, b: a.index_put(idx, b, accumulate=True), (_x(4), _x(3, seed=1)))


# ---- norms -------------------------------------------------------------------------------


def test_zero_norm_gives_no_gradient():
    x = fg.ones(3, 2, dtype=fg.float64, requires_grad=True)
    y = x.norm(0, 1)
    assert y.tolist() == [2.0, 2.0, 2.0]
    assert fg.autograd.grad(y.sum(), [x], allow_unused=True) == (None,)


# ---- clamp with tensor bounds ---------------------------------------------------------------


def test_clamp_tensor_bounds_crossed_give_max_the_gradient():
    x = fg.tensor([0.5, 0.5, 0.0, 2.0], dtype=fg.float64, requires_grad=True)
    lo = fg.tensor([0.9, 0.0, 0.2, 0.2], dtype=fg.float64, requires_grad=True)
    hi = fg.tensor([0.1, 1.0, 0.2, 0.2], dtype=fg.float64, requires_grad=True)
    out = fg.clamp(x, lo, hi)
    assert out.tolist() == [0.1, 0.5, 0.2, 0.2]
    out.sum().backward()
    # PyTorch: min gets x < min where min < max; max gets x > max or max < min; with
    # equal bounds and x below them nobody gets the gradient
    assert x.grad.tolist() == [0.0, 1.0, 0.0, 0.0]
    assert lo.grad.tolist() == [0.0, 0.0, 0.0, 0.0]
    assert hi.grad.tolist() == [1.0, 0.0, 0.0, 1.0]


# ---- einsum's sublist form ------------------------------------------------------------------

_A = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])
_B = np.array([[1.0, 2.0], [-1.0, 0.5], [0.25, 3.0]])


def test_einsum_sublists_with_output():
    out = fg.einsum(fg.tensor(_A), [0, 1], fg.tensor(_B), [1, 2], [0, 2])
    np.testing.assert_allclose(np.array(out.tolist()), _A @ _B)
    assert out.tolist() == [[2.0, 6.5], [1.0625, 0.875]]


def test_einsum_sublists_without_output_sort_the_free_labels():
    out = fg.einsum(fg.tensor(_A), [0, 1], fg.tensor(_B), [1, 2])
    assert out.tolist() == [[2.0, 6.5], [1.0625, 0.875]]
    # 26 is 'a', 27 is 'b': the implicit output is alphabetical
    assert fg.einsum(fg.tensor(_A), [27, 26]).tolist() == _A.T.tolist()


def test_einsum_sublists_with_ellipsis():
    out = fg.einsum(fg.tensor(_A), [Ellipsis, 1], [Ellipsis])
    assert out.tolist() == [1.5, 1.0]
    a3 = np.arange(24.0).reshape(2, 3, 4)
    out = fg.einsum(fg.tensor(a3), [Ellipsis, 0, 1], fg.tensor(a3), [Ellipsis, 2, 1], [Ellipsis, 0, 2])
    np.testing.assert_allclose(np.array(out.tolist()), np.einsum("...ij,...kj->...ik", a3, a3))


def test_einsum_sublists_gradcheck():
    a, b = _x(2, 3), _x(3, 2, seed=1)
    assert fg.autograd.gradcheck(lambda p, q: fg.einsum(p, [0, 1], q, [1, 2], [0, 2]), (a, b))


def test_einsum_sublist_errors():
    a = fg.tensor(_A)
    with pytest.raises(ValueError, match=r"not within the valid range \[0, 52\)"):
        fg.einsum(a, [52])
    with pytest.raises(ValueError, match=r"not within the valid range \[0, 52\)"):
        fg.einsum(a, [-1])
    with pytest.raises(ValueError, match="must specify the equation string and at least one operand"):
        fg.einsum(a)


# ---- random generator state -----------------------------------------------------------------


def test_rng_state_is_pytorchs_byte_layout():
    fg.manual_seed(0)
    s = fg.get_rng_state()
    assert s.dtype == fg.uint8
    assert tuple(s.shape) == (5056,)
    # seed (u64), left = 1 (i32), seeded = 1 (i32), next = 0 (u64)
    assert s[:24].tolist() == [0] * 8 + [1, 0, 0, 0] + [1, 0, 0, 0] + [0] * 8
    fg.rand(3)
    assert fg.get_rng_state()[:24].tolist() == [0] * 8 + [110, 2, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0]
    g = fg.Generator()
    assert tuple(g.get_state().shape) == (5056,)
    assert g.get_state()[:8].tolist() == [1, 209, 156, 241, 48, 61, 0, 0]  # 67280421310721


def test_rng_state_words_are_mt19937_seeding_widened_to_64_bits():
    fg.manual_seed(5)
    s = fg.get_rng_state()
    words = np.frombuffer(bytes(s[24 : 24 + 624 * 8].tolist()), dtype="<u8")
    expected = [5]
    for i in range(1, 624):
        prev = expected[-1]
        expected.append((1812433253 * (prev ^ (prev >> 30)) + i) & 0xFFFFFFFF)
    assert words.tolist() == expected


def test_rng_state_keeps_the_normal_cache():
    fg.manual_seed(0)
    fg.randn(1, dtype=fg.float64)
    s = fg.get_rng_state()
    cached = np.frombuffer(bytes(s[5024:5032].tolist()), dtype="<f8")[0]
    assert cached == -0.2934289057609464
    assert s[5040:5044].tolist() == [1, 0, 0, 0]
    assert fg.randn(2, dtype=fg.float64).tolist() == [-0.2934289057609464, -2.1787893820745574]
    fg.set_rng_state(s)
    assert fg.randn(2, dtype=fg.float64).tolist() == [-0.2934289057609464, -2.1787893820745574]


def test_rng_state_round_trip_and_any_left_next_pair():
    fg.manual_seed(5)
    assert fg.rand(4, dtype=fg.float64).tolist() == [
        0.6420150066280941, 0.2597579151763153, 0.36082761942715424, 0.31513260814905053]
    fg.manual_seed(5)
    s = fg.get_rng_state().clone()
    s[8] = 3  # left: two more words before the next twist
    s[16] = 10  # next: read from word 10
    fg.set_rng_state(s)
    assert fg.rand(4).tolist() == [0.7746566534042358, 0.9978504180908203, 0.8302518725395203, 0.12611091136932373]
    assert fg.get_rng_state()[8:24].tolist() == [111, 2, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0]


def test_generator_set_state_round_trip():
    g = fg.Generator().manual_seed(11)
    s = g.get_state()
    first = fg.rand(5, generator=g).tolist()
    g.set_state(s)
    assert fg.rand(5, generator=g).tolist() == first


def test_rng_state_errors():
    with pytest.raises(TypeError):
        fg.set_rng_state([1, 2])
    with pytest.raises(TypeError, match="ByteTensor"):
        fg.set_rng_state(fg.zeros(5056))
    with pytest.raises(RuntimeError, match="size 5056 but found the input RNG state size to be 10"):
        fg.set_rng_state(fg.zeros(10, dtype=fg.uint8))
    with pytest.raises(RuntimeError, match="Invalid mt19937 state"):
        fg.set_rng_state(fg.zeros(5056, dtype=fg.uint8))


# ---- optimizers with a tensor learning rate ---------------------------------------------------


def _param():
    p = fg.nn.Parameter(fg.ones(3, dtype=fg.float64))
    p.grad = fg.full((3,), 0.5, dtype=fg.float64)
    return p


# two steps with lr=tensor(0.1) (float32), as PyTorch computes them
TENSOR_LR_STEPS = [
    ("Adam", {}, 0.8000000004237221),
    ("Adam", {"amsgrad": True}, 0.8000000004237221),
    ("AdamW", {}, 0.7981010248577193),
    ("SGD", {}, 0.8999999985098839),
    ("SGD", {"momentum": 0.9}, 0.8549999978393317),
    ("Adadelta", {}, 0.9993593423659552),
    ("Rprop", {}, 0.7799999967217446),
]


@pytest.mark.parametrize("name,kwargs,expected", TENSOR_LR_STEPS)
def test_tensor_lr(name, kwargs, expected):
    p = _param()
    opt = getattr(fg.optim, name)([p], lr=fg.tensor(0.1), **kwargs)
    opt.step()
    opt.step()
    assert isinstance(opt.param_groups[0]["lr"], fg.Tensor)
    assert p.detach().tolist() == [expected] * 3


@pytest.mark.parametrize("name", ["Adam", "AdamW"])
def test_tensor_lr_with_foreach_needs_capturable(name):
    with pytest.raises(ValueError, match="lr as a Tensor is not supported for capturable=False and foreach=True"):
        getattr(fg.optim, name)([_param()], lr=fg.tensor(0.1), foreach=True)
    with pytest.raises(ValueError, match="Tensor lr must be 1-element"):
        getattr(fg.optim, name)([_param()], lr=fg.tensor([0.1, 0.2]))


@pytest.mark.parametrize("name", ["Adam", "AdamW", "SGD", "RMSprop", "Adagrad", "Adamax", "NAdam", "RAdam", "Adadelta",
                                  "ASGD", "Rprop"])
def test_differentiable_step_runs_with_grad_enabled(name):
    # the update is recorded, so writing into a leaf that requires grad fails
    opt = getattr(fg.optim, name)([_param()], lr=0.1, differentiable=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in an in-place operation"):
        opt.step()


# ---- in-place unary ops ---------------------------------------------------------------------

SAVES_RESULT = ["tanh_", "exp_", "sigmoid_", "sqrt_", "rsqrt_", "relu_", "reciprocal_", "exp2_", "expm1_", "tan_"]
SAVES_INPUT = ["sin_", "cos_", "log_", "abs_", "neg_", "log1p_", "sinh_", "atan_", "erf_"]


@pytest.mark.parametrize("method", SAVES_RESULT + SAVES_INPUT)
def test_inplace_unary_node_and_gradient(method):
    base = np.array([0.3, 0.7, 1.2])
    x = fg.tensor(base, dtype=fg.float64, requires_grad=True)
    y = x.clone()
    getattr(y, method)()
    out_name = method[:-1]
    expected_node = {"log1p": "Log1PBackward0"}.get(out_name, out_name.capitalize() + "Backward0")
    assert _name(y) == expected_node
    y.sum().backward()
    z = fg.tensor(base, dtype=fg.float64, requires_grad=True)
    getattr(z, out_name)().sum().backward()
    np.testing.assert_allclose(np.array(x.grad.tolist()), np.array(z.grad.tolist()), rtol=0, atol=0)


@pytest.mark.parametrize("method", SAVES_RESULT)
def test_modifying_a_saved_inplace_result_fails_backward(method):
    x = fg.tensor([0.3, 0.7, 1.2], dtype=fg.float64, requires_grad=True)
    y = x.clone()
    getattr(y, method)()
    y.mul_(2)
    with pytest.raises(RuntimeError, match="one of the variables needed for gradient computation has been modified by an inplace operation"):
        y.sum().backward()


@pytest.mark.parametrize("method", SAVES_INPUT)
def test_modifying_after_an_inplace_op_that_saved_its_input_is_fine(method):
    x = fg.tensor([0.3, 0.7, 1.2], dtype=fg.float64, requires_grad=True)
    y = x.clone()
    getattr(y, method)()
    y.mul_(2)
    y.sum().backward()
    assert x.grad is not None


# ---- matmul's node names and errors ----------------------------------------------------------

MATMUL_NODES = [
    ((3,), (3,), "DotBackward0"),
    ((2, 3), (3,), "MvBackward0"),
    ((3,), (3, 2), "SqueezeBackward4"),
    ((2, 3), (3, 2), "MmBackward0"),
    ((4, 2, 3), (3,), "UnsafeViewBackward0"),
    ((3,), (4, 3, 2), "UnsafeViewBackward0"),
    ((4, 2, 3), (3, 2), "UnsafeViewBackward0"),
    ((2, 3), (4, 3, 2), "CloneBackward0"),
    ((4, 2, 3), (4, 3, 2), "UnsafeViewBackward0"),
    ((5, 4, 2, 3), (4, 3, 2), "UnsafeViewBackward0"),
]


@pytest.mark.parametrize("sa,sb,expected", MATMUL_NODES)
def test_matmul_node_names_and_values(sa, sb, expected):
    a, b = _x(*sa), _x(*sb, seed=1)
    out = a @ b
    assert _name(out) == expected
    an, bn = np.array(a.tolist()), np.array(b.tolist())
    np.testing.assert_allclose(np.array(out.tolist()), an @ bn, rtol=1e-12, atol=1e-12)
    assert fg.autograd.gradcheck(lambda p, q: p @ q, (a, b))


def test_bool_products_are_not_implemented():
    t = fg.tensor([[True, False], [False, True]])
    with pytest.raises(NotImplementedError):
        t @ t
    with pytest.raises(NotImplementedError):
        fg.dot(t[0], t[1])
    with pytest.raises(NotImplementedError):
        fg.bincount(fg.tensor([0.5, 1.0]))


def test_linear_values_with_the_fused_paths():
    x, w, b = _x(2, 3, 4), _x(5, 4, seed=1), _x(5, seed=2)
    expected = np.array(x.tolist()) @ np.array(w.tolist()).T + np.array(b.tolist())
    np.testing.assert_allclose(np.array(F.linear(x, w, b).tolist()), expected, rtol=1e-12)
    np.testing.assert_allclose(np.array(F.linear(x[0], w, b).tolist()), expected[0], rtol=1e-12)
    np.testing.assert_allclose(np.array(F.linear(x[0, 0], w, b).tolist()), expected[0, 0], rtol=1e-12)
    assert fg.autograd.gradcheck(F.linear, (x, w, b))
    assert fg.autograd.gradcheck(F.linear, (x[0].detach().requires_grad_(), w, b))


# ---- smaller API details ----------------------------------------------------------------------


def test_lu_pivots_are_int32():
    a = fg.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 10.0]], dtype=fg.float64)
    _, piv = fg.linalg.lu_factor(a)
    assert piv.dtype == fg.int32
    assert piv.tolist() == [3, 3, 3]
    assert fg.linalg.lu_factor_ex(a)[2].dtype == fg.int32


def test_isclose_needs_tensors():
    with pytest.raises(TypeError, match="must be Tensor, not float"):
        fg.isclose(fg.ones(2), 1.0)


def test_trapezoid_empty_has_no_history():
    y = _x(3, 0)
    out = fg.trapezoid(y)
    assert out.tolist() == [0.0, 0.0, 0.0]
    assert out.grad_fn is None


def test_trapezoid_and_kron_values():
    y = _x(3, 4)
    yn = np.array(y.tolist())
    np.testing.assert_allclose(fg.trapezoid(y, dx=0.5).tolist(), np.trapezoid(yn, dx=0.5, axis=-1), rtol=1e-12)
    a, b = _x(2, 3), _x(2, 2, seed=1)
    np.testing.assert_allclose(np.array(fg.kron(a, b).tolist()), np.kron(np.array(a.tolist()), np.array(b.tolist())))


def _round_half(values: np.ndarray, dtype: str) -> np.ndarray:
    """float32 values rounded to nearest-even bfloat16 or float16, back as float32."""
    values = np.asarray(values, dtype=np.float32)
    if dtype == "float16":
        return values.astype(np.float16).astype(np.float32)
    bits = values.view(np.uint32).astype(np.uint64)
    bits = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16) << 16
    return bits.astype(np.uint32).view(np.float32)


def _half_operands(dtype, *shapes, seed=7):
    rng = np.random.default_rng(seed)
    exact = [_round_half(rng.standard_normal(s).astype(np.float32), dtype) for s in shapes]
    return exact, [fg.tensor(e).to(getattr(fg, dtype)) for e in exact]


@pytest.mark.parametrize("dtype", ["bfloat16", "float16"])
def test_half_matmul_rounds_once_from_float32(dtype):
    # PyTorch accumulates bfloat16/float16 products in float32 and rounds once at the end
    (a, b), (ta, tb) = _half_operands(dtype, (5, 7), (7, 3))
    expected = _round_half((a.astype(np.float64) @ b.astype(np.float64)).astype(np.float32), dtype)
    for out in (ta @ tb, fg.mm(ta, tb), fg.bmm(ta[None], tb[None])[0]):
        assert out.dtype == getattr(fg, dtype)
        assert out.float().tolist() == expected.tolist()


@pytest.mark.parametrize("dtype", ["bfloat16", "float16"])
def test_half_addmm_rounds_once(dtype):
    (a, b, c), (ta, tb, tc) = _half_operands(dtype, (5, 7), (7, 3), (5, 3))
    wide = 0.5 * c.astype(np.float64) + 2.0 * (a.astype(np.float64) @ b.astype(np.float64))
    out = fg.addmm(tc, ta, tb, beta=0.5, alpha=2)
    assert out.dtype == getattr(fg, dtype)
    assert out.float().tolist() == _round_half(wide.astype(np.float32), dtype).tolist()
    wide = c.astype(np.float64) + a.astype(np.float64) @ b.astype(np.float64)
    assert fg.addmm(tc, ta, tb).float().tolist() == _round_half(wide.astype(np.float32), dtype).tolist()


@pytest.mark.parametrize("dtype", ["bfloat16", "float16"])
def test_half_mean_rounds_once(dtype):
    (a,), (ta,) = _half_operands(dtype, (6, 33), seed=3)
    assert ta.mean(1).float().tolist() == _round_half(a.astype(np.float64).mean(1).astype(np.float32), dtype).tolist()
    assert ta.mean().float().item() == _round_half(np.float32(a.astype(np.float64).mean()), dtype).item()


def test_quantile_gradcheck():
    assert fg.autograd.gradcheck(lambda t: fg.quantile(t, 0.3, dim=1), (_x(3, 4),))
    assert math.isfinite(fg.quantile(_x(3, 4), 0.5).item())


@pytest.mark.parametrize("call", [
    lambda t: t.flip(), lambda t: t.tile(), lambda t: t.repeat(), lambda t: t.new_ones(), lambda t: t.new_zeros(),
    lambda t: t.new_empty(), lambda t: t.sum_to_size(),
])
def test_methods_missing_their_sizes_raise_type_error(call):
    with pytest.raises(TypeError, match="missing 1 required positional arguments"):
        call(fg.ones(2))


def test_bitwise_not_of_floats():
    x = fg.ones(2)
    with pytest.raises(TypeError, match="only implemented on integer and Boolean-type tensors"):
        _ = ~x
    with pytest.raises(NotImplementedError, match="\"bitwise_not_cpu\" not implemented for 'Float'"):
        fg.bitwise_not(x)
    with pytest.raises(NotImplementedError, match="\"bitwise_not_cpu\" not implemented for 'Float'"):
        x.bitwise_not()


@pytest.mark.parametrize("name", ["asinh", "atanh", "acosh"])
def test_inplace_inverse_hyperbolics_have_no_derivative(name):
    x = fg.tensor([1.2, 1.5], dtype=fg.float64, requires_grad=True) if name == "acosh" else _x(2) * 0.5
    y = x.clone()
    getattr(y, name + "_")()
    assert _name(y) == name.capitalize() + "Backward1"
    np.testing.assert_allclose(y.tolist(), getattr(x, name)().tolist())
    with pytest.raises(NotImplementedError, match=f"the derivative for 'inplace version of {name}' is not implemented"):
        y.sum().backward()


def test_scheduler_updates_a_tensor_lr_in_place():
    p = fg.nn.Parameter(fg.ones(3, dtype=fg.float64))
    opt = fg.optim.Adam([p], lr=fg.tensor(0.1))
    sched = fg.optim.lr_scheduler.StepLR(opt, 1, gamma=0.5)
    lr = opt.param_groups[0]["lr"]
    for _ in range(2):
        p.grad = fg.full((3,), 0.5, dtype=fg.float64)
        opt.step()
        sched.step()
    assert opt.param_groups[0]["lr"] is lr
    assert lr.item() == 0.02500000037252903
    assert p.tolist() == [0.850000001211861] * 3


def test_torch_norm_honours_dtype():
    x = fg.ones(2, 3)
    out = fg.norm(x, 2, 1, dtype=fg.float64)
    assert out.dtype == fg.float64
    np.testing.assert_allclose(out.tolist(), [math.sqrt(3)] * 2)


def test_unique_consecutive():
    x = fg.tensor([1, 1, 2, 2, 3, 1, 1, 2])
    assert fg.unique_consecutive(x).tolist() == [1, 2, 3, 1, 2]
    out, inverse, counts = fg.unique_consecutive(x, return_inverse=True, return_counts=True)
    assert (out.tolist(), inverse.tolist(), counts.tolist()) == ([1, 2, 3, 1, 2], [0, 0, 1, 1, 2, 3, 3, 4], [2, 2, 1, 2, 1])
    assert inverse.dtype == fg.int64 and counts.dtype == fg.int64
    assert x.unique_consecutive(return_counts=True)[1].tolist() == [2, 2, 1, 2, 1]
    m = fg.tensor([[1, 1], [1, 1], [2, 3], [2, 3], [1, 1]])
    out, inverse, counts = fg.unique_consecutive(m, dim=0, return_inverse=True, return_counts=True)
    assert (out.tolist(), inverse.tolist(), counts.tolist()) == ([[1, 1], [2, 3], [1, 1]], [0, 0, 1, 1, 2], [2, 2, 1])
    assert fg.unique_consecutive(m.T, dim=1).tolist() == [[1, 2, 1], [1, 3, 1]]
    _, inverse = fg.unique_consecutive(fg.tensor([[1.0, 1.0], [2.0, 2.0]]), return_inverse=True)
    assert inverse.tolist() == [[0, 0], [1, 1]]
    nan = fg.unique_consecutive(fg.tensor([float("nan"), float("nan"), 1.0])).tolist()
    assert math.isnan(nan[0]) and math.isnan(nan[1]) and nan[2] == 1.0


_G = np.array([[1.0, 2.0, 4.0, 8.0], [3.0, 1.0, 0.5, 2.0], [0.0, 1.0, 0.0, 1.0]])


@pytest.mark.parametrize("kwargs,np_args,np_kwargs", [
    ({}, (), {}),
    ({"spacing": 2.0, "dim": 1, "edge_order": 2}, (2.0,), {"axis": 1, "edge_order": 2}),
    ({"spacing": [2.0, 3.0]}, (2.0, 3.0), {}),
    ({"dim": -1, "edge_order": 2}, (), {"axis": -1, "edge_order": 2}),
])
def test_gradient_matches_numpy(kwargs, np_args, np_kwargs):
    out = fg.gradient(fg.tensor(_G, dtype=fg.float64), **kwargs)
    expected = np.gradient(_G, *np_args, **np_kwargs)
    expected = expected if isinstance(expected, (list, tuple)) else [expected]
    assert isinstance(out, tuple) and len(out) == len(expected)
    for o, e in zip(out, expected):
        np.testing.assert_allclose(np.array(o.tolist()), e, rtol=1e-12)


@pytest.mark.parametrize("edge_order", [1, 2])
def test_gradient_with_coordinates(edge_order):
    coords = np.array([0.0, 1.0, 1.5, 3.5])
    out = fg.gradient(fg.tensor(_G, dtype=fg.float64), spacing=(fg.tensor(coords, dtype=fg.float64),), dim=1,
                      edge_order=edge_order)
    np.testing.assert_allclose(np.array(out[0].tolist()), np.gradient(_G, coords, axis=1, edge_order=edge_order),
                               rtol=1e-12)


def test_gradient_nodes_dtype_and_gradcheck():
    x = _x(3, 4)
    assert [_name(t) for t in fg.gradient(x)] == ["CatBackward0", "CatBackward0"]
    ints = fg.gradient(fg.arange(5))
    assert ints[0].dtype == fg.float32 and ints[0].tolist() == [1.0] * 5
    assert fg.autograd.gradcheck(lambda t: fg.gradient(t, edge_order=2), (x,))


def test_gradient_errors():
    x = fg.tensor(_G)
    with pytest.raises(RuntimeError, match="only supports edge_order=1 and edge_order=2"):
        fg.gradient(x, edge_order=3)
    with pytest.raises(RuntimeError, match="but got a list of length 1"):
        fg.gradient(x, spacing=[1.0])
    with pytest.raises(IndexError):
        fg.gradient(x, dim=2)
    with pytest.raises(RuntimeError, match="at least edge_order\\+1"):
        fg.gradient(fg.ones(1, 4))


_SUPPORTED = "['cuda', 'xpu', 'hpu', 'privateuseone', 'xla']"
_SUPPORTED_FOREACH = "['cuda', 'xpu', 'hpu', 'privateuseone']"


@pytest.mark.parametrize("name,foreach,message", [
    ("Adam", False, f"params and state_steps must be on supported devices: {_SUPPORTED}."),
    ("Adam", True, f"params and state_steps must be on supported devices: {_SUPPORTED_FOREACH}."),
    ("AdamW", False, f"params and state_steps must be on supported devices: {_SUPPORTED}."),
    ("NAdam", False, f"params, mu_products and state_steps must be on supported devices: {_SUPPORTED}."),
    ("NAdam", True, f"params, mu_products, and state_steps must be on supported devices: {_SUPPORTED_FOREACH}."),
    ("ASGD", False, f"params, mus, etas, and state_steps must be on supported devices: {_SUPPORTED}."),
    ("RMSprop", True, f"params and state_steps must be on supported devices: {_SUPPORTED}."),
    ("Adadelta", False, f"params and state_steps must be on supported devices: {_SUPPORTED_FOREACH}."),
])
def test_capturable_needs_an_accelerator(name, foreach, message):
    opt = getattr(fg.optim, name)([_param()], lr=0.1, capturable=True, foreach=foreach)
    with pytest.raises(AssertionError) as info:
        opt.step()
    assert str(info.value) == "If capturable=True, " + message


@pytest.mark.parametrize("name", ["Adam", "AdamW", "SGD", "Adagrad"])
def test_fused_excludes_differentiable_and_foreach(name):
    cls = getattr(fg.optim, name)
    with pytest.raises(RuntimeError, match="`fused` does not support `differentiable`"):
        cls([_param()], lr=0.1, fused=True, differentiable=True)
    with pytest.raises(RuntimeError, match="`fused` and `foreach` cannot be `True` together."):
        cls([_param()], lr=0.1, fused=True, foreach=True)


@pytest.mark.parametrize("call,node,op", [
    (lambda x: fg.unique(x), "Unique2Backward0", "_unique2"),
    (lambda x: x.unique(return_counts=True)[0], "Unique2Backward0", "_unique2"),
    (lambda x: fg.unique(x, dim=0), "UniqueDimBackward0", "unique_dim"),
    (lambda x: fg.unique_consecutive(x), "UniqueConsecutiveBackward0", "unique_consecutive"),
])
def test_unique_results_have_no_derivative(call, node, op):
    x = fg.tensor([3.0, 1.0, 3.0], requires_grad=True)
    out = call(x)
    assert out.requires_grad and _name(out) == node
    with pytest.raises(NotImplementedError, match=f"the derivative for '{op}' is not implemented"):
        out.sum().backward()
    with fg.no_grad():
        assert not call(x).requires_grad
