"""More of PyTorch's tensor API: in-place forms of existing ops, view ops in place,
strided views (`as_strided`, `unfold`), the `*_scatter` family, aliases, predicates and
small tensor properties.

Expected values come from NumPy or math; grad_fn names, error types and messages are
PyTorch 2.13's (this file passes with FG_TEST_BACKEND=torch).
"""

import warnings

import numpy as np
import pytest
from backend import fg

A = np.array([[0.5, -1.25, 2.0], [3.0, -0.75, 1.5]])
B = np.array([[0.5, 1.0, -2.0], [2.5, -0.75, 4.0]])


def t64(a, requires_grad=False):
    return fg.tensor(np.asarray(a, dtype=np.float64), requires_grad=requires_grad)


def nonleaf(a=A):
    """A non-leaf float64 tensor (in-place ops on it are allowed)."""
    return t64(a, requires_grad=True).clone()


def node(t):
    return type(t.grad_fn).__name__ if t.grad_fn is not None else None


def close(t, expected, tol=1e-12):
    np.testing.assert_allclose(t.detach().numpy(), np.asarray(expected), rtol=tol, atol=tol)


# -- in-place forms of existing ops ------------------------------------------------------

POS = np.abs(A) + 0.25

# (method, args, input, expected values (NumPy), grad_fn name)
UNARY_INPLACE = [
    ("abs_", (), A, np.abs(A), "AbsBackward0"),
    ("absolute_", (), A, np.abs(A), "AbsBackward0"),
    ("cos_", (), A, np.cos(A), "CosBackward0"),
    ("sin_", (), A, np.sin(A), "SinBackward0"),
    ("exp_", (), A, np.exp(A), "ExpBackward0"),
    ("log_", (), POS, np.log(POS), "LogBackward0"),
    ("sqrt_", (), POS, np.sqrt(POS), "SqrtBackward0"),
    ("tanh_", (), A, np.tanh(A), "TanhBackward0"),
    ("sigmoid_", (), A, 1 / (1 + np.exp(-A)), "SigmoidBackward0"),
    ("neg_", (), A, -A, "NegBackward0"),
    ("negative_", (), A, -A, "NegBackward0"),
    ("reciprocal_", (), A, 1 / A, "ReciprocalBackward0"),
    ("sign_", (), A, np.sign(A), "SignBackward0"),
    ("relu_", (), A, np.maximum(A, 0), "ReluBackward0"),
    ("cumsum_", (1,), A, np.cumsum(A, 1), "CumsumBackward0"),
    ("cumprod_", (0,), A, np.cumprod(A, 0), "CumprodBackward0"),
    ("tril_", (), A, np.tril(A), "TrilBackward0"),
    ("triu_", (1,), A, np.triu(A, 1), "TriuBackward0"),
    ("remainder_", (0.75,), A, np.mod(A, 0.75), "RemainderBackward0"),
    ("multiply_", (2.5,), A, A * 2.5, "MulBackward0"),
    ("subtract_", (2.5,), A, A - 2.5, "SubBackward0"),
    ("divide_", (2.5,), A, A / 2.5, "DivBackward0"),
    ("true_divide_", (2.5,), A, A / 2.5, "DivBackward0"),
]


@pytest.mark.parametrize("name,args,x,expected,grad_fn", UNARY_INPLACE, ids=[c[0] for c in UNARY_INPLACE])
def test_inplace_values_node_and_version(name, args, x, expected, grad_fn):
    t = nonleaf(x)
    v = t._version
    r = getattr(t, name)(*args)
    assert r is t
    close(t, expected)
    assert node(t) == grad_fn
    assert t._version == v + 1


@pytest.mark.parametrize("name,args,x,expected,grad_fn", UNARY_INPLACE, ids=[c[0] for c in UNARY_INPLACE])
def test_inplace_refuses_leaf(name, args, x, expected, grad_fn):
    leaf = t64(x, requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        getattr(leaf, name)(*args)


@pytest.mark.parametrize(
    "name,args,x", [(c[0], c[1], c[2]) for c in UNARY_INPLACE], ids=[c[0] for c in UNARY_INPLACE]
)
def test_inplace_gradients_match_out_of_place(name, args, x):
    """d/dx of sum(f_(x.clone()) * w) equals that of the out-of-place op."""
    w = t64(B)
    base = {"absolute_": "abs", "negative_": "neg", "multiply_": "mul", "subtract_": "sub",
            "divide_": "div", "true_divide_": "div"}.get(name, name[:-1])
    x1 = t64(x, requires_grad=True)
    (getattr(x1.clone(), name)(*args) * w).sum().backward()
    x2 = t64(x, requires_grad=True)
    (getattr(x2, base)(*args) * w).sum().backward()
    close(x1.grad, x2.grad.numpy())


def test_inplace_ops_gradcheck():
    x = t64(A, requires_grad=True)
    assert fg.autograd.gradcheck(lambda a: a.clone().cos_().exp_(), (x,))
    assert fg.autograd.gradcheck(lambda a: a.clone().cos_().cumsum_(1), (x,))
    assert fg.autograd.gradgradcheck(lambda a: a.clone().sigmoid_(), (x,))


def test_inplace_on_view_updates_base_through_copyslices():
    base = nonleaf()
    row = base[1]
    row.exp_()
    close(base, np.vstack([A[0], np.exp(A[1])]))
    assert node(base) == "CopySlices"
    leaf = t64(A, requires_grad=True)
    with pytest.raises(RuntimeError, match="a view of a leaf Variable"):
        leaf[0].abs_()


def test_inplace_saved_tensor_modified_error():
    x = t64(A, requires_grad=True)
    y = x.clone()
    z = y.sin()  # saves y
    y.cos_()
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.sum().backward()


def test_inplace_under_no_grad_on_leaf():
    leaf = t64(A, requires_grad=True)
    with fg.no_grad():
        leaf.abs_()
    close(leaf, np.abs(A))
    assert leaf.is_leaf


def test_masked_fill_and_int_ops_inplace():
    t = nonleaf()
    mask = t64(A).gt(0)
    t.masked_fill_(mask, 7.0)
    close(t, np.where(A > 0, 7.0, A))
    assert node(t) == "MaskedFillBackward0"
    i = fg.tensor([6, 5, 12])
    i.bitwise_and_(fg.tensor([3, 4, 10]))
    assert i.tolist() == [2, 4, 8]
    i.bitwise_or_(1)
    assert i.tolist() == [3, 5, 9]
    i.bitwise_xor_(fg.tensor([1, 1, 1]))
    assert i.tolist() == [2, 4, 8]
    i.bitwise_left_shift_(1)
    assert i.tolist() == [4, 8, 16]
    i.bitwise_right_shift_(2)
    assert i.tolist() == [1, 2, 4]
    i.bitwise_not_()
    assert i.tolist() == [-2, -3, -5]
    i.floor_divide_(2)
    assert i.tolist() == [-1, -2, -3]
    i.remainder_(2)
    assert i.tolist() == [1, 0, 1]
    assert i.dtype == fg.int64


def test_logical_inplace_keeps_dtype_and_history():
    t = nonleaf()
    t.logical_and_(t64(B))
    close(t, np.logical_and(A, B).astype(np.float64))
    assert node(t) == "CloneBackward0"
    u = nonleaf()
    u.logical_not_()
    close(u, np.zeros_like(A))
    b = fg.tensor([True, False, True])
    b.logical_xor_(fg.tensor([True, True, False]))
    assert b.tolist() == [False, True, True]
    b.logical_or_(fg.tensor([False, False, False]))
    assert b.tolist() == [False, True, True]


COMPARE_INPLACE = [
    ("eq_", np.equal, "Eq"),
    ("ne_", np.not_equal, "Ne"),
    ("lt_", np.less, "Lt"),
    ("le_", np.less_equal, "Le"),
    ("gt_", np.greater, "Gt"),
    ("ge_", np.greater_equal, "Ge"),
    ("not_equal_", np.not_equal, "Ne"),
    ("less_", np.less, "Lt"),
    ("less_equal_", np.less_equal, "Le"),
    ("greater_", np.greater, "Gt"),
    ("greater_equal_", np.greater_equal, "Ge"),
]


@pytest.mark.parametrize("name,ref,stem", COMPARE_INPLACE, ids=[c[0] for c in COMPARE_INPLACE])
def test_comparisons_in_place(name, ref, stem):
    t = nonleaf()
    getattr(t, name)(t64(B))
    close(t, ref(A, B).astype(np.float64))
    assert t.dtype == fg.float64
    assert node(t) == stem + "Backward1"
    s = nonleaf()
    getattr(s, name)(0.5)
    close(s, ref(A, 0.5).astype(np.float64))
    assert node(s) == stem + "Backward0"
    s.sum().backward()  # the comparison's gradient is zero
    i = fg.tensor([1, 2, 3])
    getattr(i, name)(2)
    assert i.tolist() == ref(np.array([1, 2, 3]), 2).astype(np.int64).tolist()
    assert i.dtype == fg.int64


def test_comparison_gradient_is_zero():
    x = t64(A, requires_grad=True)
    y = x.clone()
    y.gt_(0.0)
    (y * 3).sum().backward()
    close(x.grad, np.zeros_like(A))


def test_comparison_aliases_out_of_place():
    a, b = t64(A), t64(B)
    for name, ref in [
        ("greater", np.greater),
        ("greater_equal", np.greater_equal),
        ("less", np.less),
        ("less_equal", np.less_equal),
        ("not_equal", np.not_equal),
    ]:
        assert getattr(fg, name)(a, b).numpy().tolist() == ref(A, B).tolist()
        assert getattr(a, name)(b).dtype == fg.bool


def test_torch_level_inplace_functions():
    t = fg.tensor([-1.0, 4.0])
    assert fg.abs_(t) is t
    assert t.tolist() == [1.0, 4.0]
    fg.sqrt_(t)
    assert t.tolist() == [1.0, 2.0]
    fg.neg_(t)
    fg.relu_(t)
    assert t.tolist() == [0.0, 0.0]
    fg.exp_(t)
    assert t.tolist() == [1.0, 1.0]
    fg.fill_(t, 3)
    assert t.tolist() == [3.0, 3.0]
    fg.zero_(t)
    assert t.tolist() == [0.0, 0.0]
    fg.sigmoid_(t)
    assert t.tolist() == [0.5, 0.5]
    for name in ["cos_", "sin_", "tanh_", "log_", "reciprocal_", "negative_", "ceil_", "floor_", "trunc_"]:
        assert getattr(fg, name)(fg.tensor([0.5])).shape == (1,)


# -- view ops in place -------------------------------------------------------------------

VIEW_INPLACE = [
    ("t_", (), (3, 2), "TBackward1"),
    ("transpose_", (0, 1), (3, 2), "TransposeBackward1"),
    ("swapaxes_", (1, 0), (3, 2), "TransposeBackward1"),
    ("swapdims_", (0, -1), (3, 2), "TransposeBackward1"),
    ("unsqueeze_", (1,), (2, 1, 3), "UnsqueezeBackward1"),
    ("squeeze_", (), (2, 3), "SqueezeBackward3"),
    ("as_strided_", ((3, 2), (1, 3)), (3, 2), "AsStridedBackward1"),
]


@pytest.mark.parametrize("name,args,shape,grad_fn", VIEW_INPLACE, ids=[c[0] for c in VIEW_INPLACE])
def test_view_ops_in_place(name, args, shape, grad_fn):
    t = nonleaf()
    v = t._version
    r = getattr(t, name)(*args)
    assert r is t
    assert tuple(t.shape) == shape
    assert node(t) == grad_fn
    assert t._version == v + 1
    leaf = t64(A, requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        getattr(leaf, name)(*args)


def test_transpose_in_place_values_and_gradient():
    x = t64(A, requires_grad=True)
    y = x.clone()
    y.t_()
    close(y, A.T)
    assert y.stride() == (1, 3)
    (y * t64(B.T)).sum().backward()
    close(x.grad, B)
    x2 = t64(A, requires_grad=True)
    assert fg.autograd.gradcheck(lambda a: a.clone().transpose_(0, 1) * 2, (x2,))
    assert fg.autograd.gradgradcheck(lambda a: a.clone().t_() ** 2, (x2,))


def test_squeeze_unsqueeze_in_place():
    x = t64(A.reshape(2, 1, 3), requires_grad=True)
    y = x.clone()
    y.squeeze_(1)
    assert tuple(y.shape) == (2, 3)
    assert node(y) == "SqueezeBackward4"
    z = x.clone()
    z.squeeze_((1,))
    assert node(z) == "SqueezeBackward5"
    y.unsqueeze_(0)
    assert tuple(y.shape) == (1, 2, 3)
    (y * 3).sum().backward()
    close(x.grad, np.full((2, 1, 3), 3.0))
    with pytest.raises(IndexError):
        fg.zeros(2, 3).unsqueeze_(3)
    with pytest.raises(IndexError):
        fg.zeros(2, 3).transpose_(0, 3)
    with pytest.raises(RuntimeError, match="t_\\(\\) expects a tensor with <= 2 dimensions"):
        fg.zeros(2, 3, 4).t_()


def test_view_op_in_place_shares_storage_and_keeps_views():
    t = fg.tensor(A.copy())
    flat = t.view(6)
    t.t_()
    t[0, 1] = 100.0
    assert flat.tolist()[3] == 100.0
    assert flat._version == t._version


# -- strided views --------------------------------------------------------------------


def test_as_strided_values_view_and_node():
    x = fg.arange(6.0)
    v = x.as_strided((2, 2), (1, 2), 1)
    assert v.tolist() == [[1.0, 3.0], [2.0, 4.0]]
    assert tuple(v.stride()) == (1, 2) and v.storage_offset() == 1
    x[1] = 50.0
    assert v[0, 0].item() == 50.0
    assert fg.as_strided(x, (3,), (2,)).tolist() == [0.0, 2.0, 4.0]
    y = nonleaf(np.arange(6.0))
    assert node(y.as_strided((2,), (1,), 1)) == "AsStridedBackward0"


def test_as_strided_overlapping_gradient():
    x = t64(np.arange(6.0), requires_grad=True)
    x.as_strided((3, 3), (1, 1)).sum().backward()
    close(x.grad, [1.0, 2.0, 3.0, 2.0, 1.0, 0.0])
    x2 = t64(np.arange(6.0), requires_grad=True)
    assert fg.autograd.gradcheck(lambda a: a.as_strided((2, 2), (1, 2), 1), (x2,))
    assert fg.autograd.gradgradcheck(lambda a: a.as_strided((3, 3), (1, 1)) ** 2, (x2,))


def test_as_strided_errors():
    x = fg.arange(6.0)
    with pytest.raises(RuntimeError, match="out of bounds for storage of size 24"):
        x.as_strided((4, 4), (1, 1))
    with pytest.raises(RuntimeError, match="Negative strides are not supported"):
        x.as_strided((3,), (-1,))
    with pytest.raises(RuntimeError, match="mismatch in length of strides and shape"):
        x.as_strided((3, 2), (1,))
    with pytest.raises(RuntimeError, match="invalid storage offset -1"):
        x.as_strided((3,), (1,), -1)


def test_unfold_windows_and_gradient():
    x = np.arange(12.0).reshape(3, 4)
    t = t64(x)
    u = t.unfold(1, 2, 1)
    assert tuple(u.shape) == (3, 3, 2)
    ref = np.lib.stride_tricks.sliding_window_view(x, 2, axis=1)
    close(u, ref)
    u2 = t.unfold(0, 2, 2)
    assert tuple(u2.shape) == (1, 4, 2)
    close(u2, x[0:2].T[None])
    t[0, 1] = -1.0
    assert u[0, 0, 1].item() == -1.0  # a view
    g = t64(x, requires_grad=True)
    w = g.unfold(1, 3, 1)
    assert node(w) == "UnfoldBackward0"
    w.sum().backward()
    close(g.grad, np.tile([1.0, 2.0, 2.0, 1.0], (3, 1)))
    g2 = t64(x, requires_grad=True)
    assert fg.autograd.gradcheck(lambda a: a.unfold(1, 2, 1), (g2,))
    assert fg.autograd.gradgradcheck(lambda a: a.unfold(0, 2, 1) ** 2, (g2,))
    assert fg.tensor(5.0).unfold(0, 1, 1).tolist() == [5.0]


def test_unfold_errors():
    x = fg.arange(6.0)
    with pytest.raises(RuntimeError, match="maximum size for tensor at dimension 0 is 6 but size is 7"):
        x.unfold(0, 7, 1)
    with pytest.raises(RuntimeError, match="step is 0 but must be > 0"):
        x.unfold(0, 2, 0)
    with pytest.raises(IndexError):
        x.unfold(1, 2, 1)


# -- the scatter family ---------------------------------------------------------------


def test_slice_select_diagonal_scatter_values():
    a = t64(A)
    out = fg.slice_scatter(a, t64(np.ones((2, 1))), 1, 0, 1)
    close(out, np.hstack([np.ones((2, 1)), A[:, 1:]]))
    out = a.slice_scatter(t64(np.zeros((2, 2))), dim=1, start=0, end=3, step=2)
    ref = A.copy()
    ref[:, 0::2] = 0
    close(out, ref)
    out = fg.select_scatter(a, t64([9.0, 8.0, 7.0]), 0, 1)
    close(out, np.vstack([A[0], [9.0, 8.0, 7.0]]))
    out = fg.diagonal_scatter(a, t64([5.0, 6.0]))
    ref = A.copy()
    ref[0, 0], ref[1, 1] = 5.0, 6.0
    close(out, ref)
    out = fg.diagonal_scatter(a, t64([5.0, 6.0]), 1)
    ref = A.copy()
    ref[0, 1], ref[1, 2] = 5.0, 6.0
    close(out, ref)
    out = fg.as_strided_scatter(a, t64([1.0, 2.0]), (2,), (3,))
    ref = A.copy()
    ref[0, 0], ref[1, 0] = 1.0, 2.0
    close(out, ref)
    close(a, A)  # the input is unchanged


SCATTERS = [
    ("slice_scatter", lambda x, s: fg.slice_scatter(x, s, 1, 1, 3), (2, 2), "SliceScatterBackward0"),
    ("select_scatter", lambda x, s: fg.select_scatter(x, s, 1, 2), (2,), "SelectScatterBackward0"),
    ("diagonal_scatter", lambda x, s: fg.diagonal_scatter(x, s), (2,), "DiagonalScatterBackward0"),
    ("as_strided_scatter", lambda x, s: fg.as_strided_scatter(x, s, (3,), (2,), 0),
     (3,), "AsStridedScatterBackward0"),
]


@pytest.mark.parametrize("name,fn,src_shape,grad_fn", SCATTERS, ids=[c[0] for c in SCATTERS])
def test_scatter_gradients(name, fn, src_shape, grad_fn):
    # PyTorch 2.13's as_strided_scatter gives the input a wrong gradient: check src's only.
    x = t64(A, requires_grad=name != "as_strided_scatter")
    s = t64(np.linspace(-1, 1, int(np.prod(src_shape))).reshape(src_shape), requires_grad=True)
    out = fn(x, s)
    assert node(out) == grad_fn
    assert fg.autograd.gradcheck(fn, (x, s))
    assert fg.autograd.gradgradcheck(fn, (x, s))


def test_scatter_size_errors():
    a = fg.zeros(2, 3)
    with pytest.raises(RuntimeError, match=r"src size = \[2, 2\], slice size = \[2, 1\]"):
        fg.slice_scatter(a, fg.ones(2, 2), 1, 0, 1)
    with pytest.raises(RuntimeError, match=r"src size = \[2\], slice size = \[3\]"):
        fg.select_scatter(a, fg.ones(2), 0, 0)
    with pytest.raises(RuntimeError, match=r"src size = \[3\], slice size = \[2\]"):
        fg.diagonal_scatter(a, fg.ones(3))


# -- index_put, fill_diagonal_ ------------------------------------------------------------


def test_index_put_values_and_node():
    t = nonleaf()
    idx = (fg.tensor([0, 1]), fg.tensor([2, 0]))
    t.index_put_(idx, t64([10.0, 20.0]))
    ref = A.copy()
    ref[[0, 1], [2, 0]] = [10.0, 20.0]
    close(t, ref)
    assert node(t) == "IndexPutBackward0"
    u = t64(A)
    out = u.index_put((fg.tensor([1, 1]),), t64([1.0, 2.0, 3.0]), accumulate=True)
    ref = A.copy()
    ref[1] += 2 * np.array([1.0, 2.0, 3.0])
    close(out, ref)
    close(u, A)
    v = fg.zeros(3)
    fg.index_put_(v, (fg.tensor([0, 0, 2]),), fg.tensor(1.0), accumulate=True)
    assert v.tolist() == [2.0, 0.0, 1.0]
    r = fg.index_put(fg.zeros(3), (fg.tensor([1]),), fg.tensor(4.0))
    assert r.tolist() == [0.0, 4.0, 0.0]
    w = fg.zeros(2, 2)
    w.index_put_((fg.tensor([[True, False], [False, True]]),), fg.tensor(1.0), accumulate=True)
    assert w.tolist() == [[1.0, 0.0], [0.0, 1.0]]


def test_fill_diagonal():
    t = fg.ones(3, 4)
    assert t.fill_diagonal_(5.0) is t
    ref = np.ones((3, 4))
    np.fill_diagonal(ref, 5.0)
    close(t, ref)
    tall = fg.ones(7, 3)
    tall.fill_diagonal_(5.0, wrap=True)
    ref = np.ones((7, 3))
    np.fill_diagonal(ref, 5.0, wrap=True)
    close(tall, ref)
    tall2 = fg.ones(7, 3)
    tall2.fill_diagonal_(5.0)
    ref = np.ones((7, 3))
    np.fill_diagonal(ref, 5.0)
    close(tall2, ref)
    cube = fg.zeros(2, 2, 2)
    cube.fill_diagonal_(1.0)
    assert cube.sum().item() == 2.0 and cube[1, 1, 1].item() == 1.0
    b = nonleaf(np.ones((3, 3)))
    b.fill_diagonal_(2.0)
    assert node(b) == "CopySlices"
    with pytest.raises(RuntimeError, match="dimensions must larger than 1"):
        fg.ones(3).fill_diagonal_(5)
    with pytest.raises(RuntimeError, match="all dimensions of input must be of equal length"):
        fg.ones(3, 3, 2).fill_diagonal_(5)


# -- splitting and summing to a size -----------------------------------------------------


def test_split_with_sizes_and_unsafe_split():
    x = nonleaf(np.arange(6.0))
    parts = x.split_with_sizes([2, 4])
    assert [p.tolist() for p in parts] == [[0.0, 1.0], [2.0, 3.0, 4.0, 5.0]]
    assert node(parts[0]) == "SplitWithSizesBackward0"
    parts = fg.split_with_sizes(x, [1, 5])
    assert len(parts) == 2
    us = fg.unsafe_split(x, 4)
    assert [p.tolist() for p in us] == [[0.0, 1.0, 2.0, 3.0], [4.0, 5.0]]
    assert node(us[1]) == "UnsafeSplitBackward0"
    uws = x.unsafe_split_with_sizes([2, 4])
    assert node(uws[0]) == "UnsafeSplitWithSizesBackward0"
    uc = fg.unsafe_chunk(x, 3)
    assert [p.tolist() for p in uc] == [[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]]
    assert node(uc[0]) == "UnsafeSplitBackward0"
    with pytest.raises(RuntimeError, match="split_with_sizes expects split_sizes to sum exactly to 6"):
        x.split_with_sizes([1, 2])
    y = t64(np.arange(6.0), requires_grad=True)
    assert fg.autograd.gradcheck(lambda a: fg.unsafe_split(a, 4)[1] * 2, (y,))
    a, b = fg.unsafe_split(y, 3)
    (a.sum() * 2 + b.sum()).backward()
    close(y.grad, [2.0, 2.0, 2.0, 1.0, 1.0, 1.0])


def test_sum_to_size():
    x = t64(np.arange(24.0).reshape(2, 3, 4))
    close(x.sum_to_size(3, 4), np.arange(24.0).reshape(2, 3, 4).sum(0))
    close(x.sum_to_size((1, 3, 1)), np.arange(24.0).reshape(2, 3, 4).sum((0, 2), keepdims=True))
    assert x.sum_to_size(2, 3, 4) is x
    with pytest.raises(RuntimeError, match=r"is not expandable to size"):
        x.sum_to_size(4, 4)
    y = nonleaf()
    assert node(y.sum_to_size(1, 3)) == "SumBackward1"
    z = nonleaf(np.ones((2, 2, 3)))
    assert node(z.sum_to_size(2, 3)) == "ViewBackward0"


# -- aliases and small functions ----------------------------------------------------------


def test_aliases():
    a = t64(A)
    close(fg.absolute(a), np.abs(A))
    close(a.ravel(), A.ravel())
    close(fg.ravel(a.t()), A.T.ravel())
    assert fg.argwhere(fg.tensor([[0, 1], [1, 0]])).tolist() == [[0, 1], [1, 0]]
    assert fg.tensor([0.0, 2.0]).argwhere().tolist() == [[1]]
    assert tuple(fg.argwhere(fg.tensor(1.0)).shape) == (1, 0)
    w = a.where(a > 0, t64(B))
    close(w, np.where(A > 0, A, B))
    r = nonleaf()
    assert node(r.where(r > 0, 0.0)) == "WhereBackward0"


def test_range_is_end_inclusive_and_warns():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        r = fg.range(0, 3)
    assert r.tolist() == [0.0, 1.0, 2.0, 3.0]
    assert r.dtype == fg.float32
    assert caught and issubclass(caught[0].category, UserWarning)
    assert "torch.range is deprecated" in str(caught[0].message)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert fg.range(0, 1, 0.3, dtype=fg.float64).tolist() == pytest.approx([0.0, 0.3, 0.6, 0.9])
        assert fg.range(1, 4, 2, dtype=fg.int64).tolist() == [1, 3]
        assert fg.range(0, 3, dtype=fg.int64).dtype == fg.int64


def test_scalar_tensor():
    s = fg.scalar_tensor(3)
    assert s.dim() == 0 and s.dtype == fg.float32 and s.item() == 3.0
    assert fg.scalar_tensor(True).item() == 1.0
    assert fg.scalar_tensor(3, dtype=fg.int64).dtype == fg.int64


def test_broadcast_shapes():
    assert fg.broadcast_shapes((2, 1), (3,)) == (2, 3)
    assert fg.broadcast_shapes(2, (3, 1)) == (3, 2)
    assert fg.broadcast_shapes((1, 4), (5, 1, 1)) == np.broadcast_shapes((1, 4), (5, 1, 1))
    assert isinstance(fg.broadcast_shapes((2,)), fg.Size)
    with pytest.raises(RuntimeError, match="Attempting to broadcast a dimension of length 3"):
        fg.broadcast_shapes((2, 1), (3, 4))


def test_can_cast():
    assert fg.can_cast(fg.float64, fg.int64) is False
    assert fg.can_cast(fg.int64, fg.float32) is True
    assert fg.can_cast(fg.bool, fg.uint8) is True
    assert fg.can_cast(fg.int64, fg.bool) is False
    assert fg.can_cast(fg.float32, fg.float16) is True
    assert fg.can_cast(fg.int32, fg.int8) is True


def test_predicates():
    x = fg.arange(6.0)
    assert fg.is_nonzero(fg.tensor([1.0])) is True
    assert fg.is_nonzero(fg.tensor([0])) is False
    with pytest.raises(RuntimeError, match="more than one value is ambiguous"):
        fg.is_nonzero(x)
    with pytest.raises(RuntimeError, match="with no values is ambiguous"):
        fg.is_nonzero(fg.tensor([]))
    assert fg.is_same_size(x, fg.zeros(6)) and not x.is_same_size(fg.zeros(2, 3))
    assert x.is_signed() and fg.is_signed(fg.tensor([1]))
    assert not fg.tensor([1], dtype=fg.uint8).is_signed()
    assert not fg.tensor([True]).is_signed()
    for name in ["is_complex", "is_conj", "is_neg", "is_inference"]:
        assert getattr(fg, name)(x) is False
        assert getattr(x, name)() is False


def test_real_views_and_conj_are_identity():
    x = fg.arange(6.0)
    assert x.real is x and fg.real(x) is x
    assert x.conj() is x and fg.conj(x) is x
    assert x.resolve_conj() is x and fg.resolve_neg(x) is x
    assert fg.conj_physical(x) is x and x.conj_physical() is x
    with pytest.raises(RuntimeError, match="imag is not implemented for tensors with non-complex dtypes"):
        x.imag  # noqa: B018
    with pytest.raises(RuntimeError, match="imag is not implemented"):
        fg.imag(x)


def test_rsub():
    a, b = t64(A, requires_grad=True), t64(B, requires_grad=True)
    r = fg.rsub(a, b, alpha=2)
    close(r, B - 2 * A)
    assert node(r) == "RsubBackward0"
    s = fg.rsub(a, 3.0)
    close(s, 3.0 - A)
    assert node(s) == "RsubBackward1"
    assert fg.rsub(fg.tensor([1, 2]), 5).tolist() == [4, 3]
    assert fg.autograd.gradcheck(lambda x, y: fg.rsub(x, y, alpha=1.5), (a, b))
    assert fg.autograd.gradcheck(lambda x: fg.rsub(x, 2.0, alpha=3), (a,))


def test_fill_out_of_place():
    a = t64(A, requires_grad=True)
    f = fg.fill(a, 2)
    close(f, np.full_like(A, 2.0))
    assert node(f) == "FillBackward0"
    close(a, A)
    with pytest.raises(RuntimeError, match="fill_ only supports 0-dimension value tensor"):
        fg.fill(a, fg.tensor([1.0, 2.0]))


def test_empty_strided_and_permuted():
    e = fg.empty_strided((2, 3), (1, 2))
    assert tuple(e.shape) == (2, 3) and tuple(e.stride()) == (1, 2)
    assert fg.empty_strided((2, 3), (3, 1), dtype=fg.int64).dtype == fg.int64
    with pytest.raises(RuntimeError, match="dimensionality of sizes \\(2\\) must match dimensionality of strides \\(1\\)"):
        fg.empty_strided((2, 3), (3,))
    p = fg.empty_permuted((2, 3, 4), (2, 0, 1))
    assert tuple(p.shape) == (2, 3, 4) and tuple(p.stride()) == (3, 1, 6)
    with pytest.raises(RuntimeError, match="Duplicate dim not allowed"):
        fg.empty_permuted((2, 3), (0, 0))
    n = fg.zeros(2).new_empty_strided((2, 2), (1, 2))
    assert tuple(n.stride()) == (1, 2) and n.dtype == fg.float32


def test_randint_like():
    fg.manual_seed(0)
    r = fg.randint_like(fg.zeros(50), 5)
    assert r.dtype == fg.float32 and tuple(r.shape) == (50,)
    vals = set(r.tolist())
    assert vals <= {0.0, 1.0, 2.0, 3.0, 4.0}
    r2 = fg.randint_like(fg.zeros(50, dtype=fg.int64), 3, 5)
    assert set(r2.tolist()) <= {3, 4} and r2.dtype == fg.int64


def test_torch_level_detach_():
    x = nonleaf()
    assert fg.detach_(x) is x
    assert x.grad_fn is None and not x.requires_grad


# -- tensor properties and methods -------------------------------------------------------


def test_sizes_in_bytes():
    x = fg.arange(6.0)
    assert x.itemsize == 4 and x.nbytes == 24
    assert x[::2].nbytes == 12
    assert fg.zeros(3, dtype=fg.float64).itemsize == 8
    assert fg.zeros(3, dtype=fg.bool).nbytes == 3
    assert x.view(2, 3).ndimension() == 2


def test_h_mh_adjoint():
    a = t64(A)
    close(a.H, A.T)
    close(a.mH, A.T)
    close(a.adjoint(), A.T)
    b = t64(np.arange(24.0).reshape(2, 3, 4))
    close(b.mH, np.swapaxes(np.arange(24.0).reshape(2, 3, 4), -2, -1))
    with pytest.raises(RuntimeError, match="tensor.H is only supported on matrices"):
        fg.zeros(2).H  # noqa: B018
    with pytest.raises(RuntimeError, match="tensor.mH is only supported on matrices or batches of matrices"):
        fg.zeros(2).mH  # noqa: B018
    with pytest.raises(RuntimeError, match="tensor.adjoint\\(\\) is only supported"):
        fg.zeros(2).adjoint()
    assert node(nonleaf().H) == "TransposeBackward0"


def test_output_nr():
    x = nonleaf(np.arange(6.0))
    parts = x.split(2)
    assert [p.output_nr for p in parts] == [0, 1, 2]
    assert x.output_nr == 0


def test_memory_predicates():
    x = fg.zeros(3)
    assert x.is_pinned() is False
    assert x.is_shared() is False
    assert x.share_memory_() is x
    assert x.is_shared() is True
    with pytest.raises(RuntimeError):
        x.pin_memory()


def test_is_set_to_and_dim_order():
    x = fg.arange(6.0)
    assert x.is_set_to(x)
    assert not x.is_set_to(x.view(2, 3))
    assert not x.is_set_to(x.clone())
    assert fg.zeros(2, 3).dim_order() == (0, 1)
    assert fg.zeros(2, 3).t().dim_order() == (1, 0)
    assert fg.zeros(2, 3, 4).permute(2, 0, 1).dim_order() == (1, 2, 0)


def test_apply_map_map2():
    x = fg.arange(6.0)
    assert x.apply_(lambda v: v * 2) is x
    assert x.tolist() == [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
    x.map_(fg.ones(6), lambda a, b: a + b)
    assert x.tolist() == [1.0, 3.0, 5.0, 7.0, 9.0, 11.0]
    x.map2_(fg.ones(6), fg.ones(1), lambda a, b, c: a - b - c)
    assert x.tolist() == [-1.0, 1.0, 3.0, 5.0, 7.0, 9.0]
    i = fg.arange(6)
    i.apply_(lambda v: v / 2)
    assert i.tolist() == [0, 0, 1, 1, 2, 2]
    with pytest.raises(RuntimeError, match="Can't call apply_\\(\\) on Variable that requires grad"):
        fg.zeros(2, requires_grad=True).apply_(lambda v: v)


def test_post_accumulate_grad_hook():
    w = t64(A, requires_grad=True)
    seen = []
    handle = w.register_post_accumulate_grad_hook(lambda p: seen.append(p.grad.clone()))
    (w * 2).sum().backward()
    assert len(seen) == 1
    close(seen[0], np.full_like(A, 2.0))
    (w * 3).sum().backward()
    close(seen[1], np.full_like(A, 5.0))
    handle.remove()
    (w * 1).sum().backward()
    assert len(seen) == 2
    with pytest.raises(RuntimeError, match="post accumulate grad hooks cannot be registered on non-leaf tensors"):
        nonleaf().register_post_accumulate_grad_hook(lambda p: None)
    with pytest.raises(RuntimeError, match="cannot register a hook on a tensor that doesn't require gradient"):
        fg.zeros(2).register_post_accumulate_grad_hook(lambda p: None)


def test_resize_and_set():
    x = fg.arange(6.0)
    x.resize_(3, 2)
    assert tuple(x.shape) == (3, 2)
    assert x.tolist() == [[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]]
    x.resize_(2)
    assert x.tolist() == [0.0, 1.0]
    x.resize_(10)
    assert tuple(x.shape) == (10,)
    assert x[:6].tolist() == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    y = fg.zeros(4)
    y.resize_as_(fg.zeros(2, 2))
    assert tuple(y.shape) == (2, 2)
    with pytest.raises(RuntimeError, match="cannot resize variables that require grad"):
        fg.zeros(2, requires_grad=True).resize_(3)
    s = fg.zeros(2)
    src = fg.arange(4.0)
    s.set_(src)
    assert s.tolist() == [0.0, 1.0, 2.0, 3.0]
    src[0] = 9.0
    assert s[0].item() == 9.0
    assert s.is_set_to(src)
    with pytest.raises(RuntimeError, match="Could not set tensor of type double to a tensor of type float"):
        fg.zeros(2).set_(fg.zeros(3, dtype=fg.float64))
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        fg.zeros(2, requires_grad=True).set_(fg.zeros(3))


def test_new_and_name():
    x = fg.zeros(2, dtype=fg.float64)
    assert x.new(2, 3).shape == (2, 3) and x.new(2, 3).dtype == fg.float64
    assert x.new([1, 2]).tolist() == [1.0, 2.0]
    assert x.new((1, 2)).tolist() == [1.0, 2.0]
    assert tuple(x.new().shape) == (0,)
    assert fg.tensor([1]).new(2).dtype == fg.int64
    with pytest.raises(TypeError):
        x.new(fg.tensor([1, 2]))
    assert x.name is None


# -- the *_copy ops --------------------------------------------------------------------

X3 = np.arange(24.0).reshape(2, 3, 4)

COPIES = [
    ("t_copy", lambda t: fg.t_copy(t), lambda a: a.T, A, "TBackward0_copy"),
    ("view_copy", lambda t: fg.view_copy(t, (3, 2)), lambda a: a.reshape(3, 2), A, "ViewBackward0_copy"),
    ("transpose_copy", lambda t: fg.transpose_copy(t, 0, 2), lambda a: a.swapaxes(0, 2), X3,
     "TransposeBackward0_copy"),
    ("unsqueeze_copy", lambda t: fg.unsqueeze_copy(t, 1), lambda a: a[:, None], A, "UnsqueezeBackward0_copy"),
    ("squeeze_copy", lambda t: fg.squeeze_copy(t), lambda a: a.reshape(2, 3), A.reshape(2, 1, 3),
     "SqueezeBackward0_copy"),
    ("squeeze_copy_dim", lambda t: fg.squeeze_copy(t, 1), lambda a: a.reshape(2, 3), A.reshape(2, 1, 3),
     "SqueezeBackward1_copy"),
    ("alias_copy", lambda t: fg.alias_copy(t), lambda a: a, A, "AliasBackward0_copy"),
    ("permute_copy", lambda t: fg.permute_copy(t, (2, 0, 1)), lambda a: a.transpose(2, 0, 1), X3,
     "PermuteBackward0_copy"),
    ("expand_copy", lambda t: fg.expand_copy(t, (2, 2, 3)), lambda a: np.broadcast_to(a, (2, 2, 3)), A,
     "ExpandBackward0_copy"),
    ("select_copy", lambda t: fg.select_copy(t, 1, 2), lambda a: a[:, 2], A, "SelectBackward0_copy"),
    ("diagonal_copy", lambda t: fg.diagonal_copy(t, 1), lambda a: np.diagonal(a, 1), A, "DiagonalBackward0_copy"),
    ("slice_copy", lambda t: fg.slice_copy(t, 1, 0, 3, 2), lambda a: a[:, 0:3:2], A, "SliceBackward0_copy"),
    ("unfold_copy", lambda t: fg.unfold_copy(t, 1, 2, 1),
     lambda a: np.lib.stride_tricks.sliding_window_view(a, 2, axis=1), A, "UnfoldBackward0_copy"),
    ("as_strided_copy", lambda t: fg.as_strided_copy(t, (2, 2), (1, 2), 1),
     lambda a: np.array([[a.flat[1], a.flat[3]], [a.flat[2], a.flat[4]]]), A, "AsStridedBackward0_copy"),
]


@pytest.mark.parametrize("name,fn,ref,x,grad_fn", COPIES, ids=[c[0] for c in COPIES])
def test_copy_ops(name, fn, ref, x, grad_fn):
    t = t64(x)
    out = fn(t)
    close(out, ref(x))
    assert out.is_contiguous()
    out.fill_(0.0)
    close(t, x)  # a copy, not a view
    g = t64(x, requires_grad=True)
    r = fn(g)
    assert node(r) == grad_fn
    assert fg.autograd.gradcheck(fn, (g,))
    assert fg.autograd.gradgradcheck(lambda a: fn(a) ** 2, (g,))


def test_detach_copy():
    g = t64(A, requires_grad=True)
    with fg.no_grad():
        d = fg.detach_copy(g)
        d.zero_()
    close(g, A)
    close(d, np.zeros_like(A))
