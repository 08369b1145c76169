"""Results keep the memory order (strides) of their inputs, as PyTorch's do.

Every stride tuple and `is_contiguous()` answer below was observed with PyTorch 2.13;
values are checked against NumPy on the logical (row-major) elements, so only the
layout of a result may differ from a row-major one, never its values.

PyTorch's rules (see src/tensor/memory_format.rs):
- elementwise results: row-major when every operand is; the operands' strides when all
  share one dense layout of the result's shape (channels last included); otherwise the
  dims are ordered by the operands' strides, the first operand deciding first and
  broadcast dims skipped, and the result is packed in that order;
- clone / to / *_like with preserve_format: a dense input's strides exactly, else its
  dims packed in stride order; contiguous() / clone(contiguous_format): row-major;
- reductions, softmax, cumsum, masked_fill: row-major;
- x.grad: the leaf's strides when the leaf is dense (else row-major).
"""

import numpy as np
import pytest


def transposed(fg, rows=3, cols=4, dtype=None):
    """A (cols, rows) tensor with strides (1, cols): a dense transpose."""
    data = np.arange(rows * cols, dtype=np.float64).reshape(rows, cols) / 7.0 - 0.6
    return fg.tensor(data, dtype=dtype or fg.float32).t()


def channels_last(fg, shape=(2, 3, 4, 5)):
    data = (np.arange(np.prod(shape), dtype=np.float64).reshape(shape) % 11) / 5.0 - 1.0
    return fg.tensor(data, dtype=fg.float32).contiguous(memory_format=fg.channels_last)


def values(t):
    return np.array(t.tolist())


def layout(t):
    return tuple(t.stride()), t.is_contiguous()


# --- unary ops and copies of a transpose keep (1, 4) -------------------------------------

UNARY = {
    "clone": lambda x: x.clone(),
    "exp": lambda x: x.exp(),
    "neg": lambda x: -x,
    "abs": lambda x: x.abs(),
    "sigmoid": lambda x: x.sigmoid(),
    "tanh": lambda x: x.tanh(),
    "sin": lambda x: x.sin(),
    "relu": lambda x: x.relu(),
    "sign": lambda x: x.sign(),
    "square": lambda x: x**2,
    "add_scalar": lambda x: x + 1,
    "rsub_scalar": lambda x: 1 - x,
    "mul_self": lambda x: x * x,
    "clamp": lambda x: x.clamp(-0.2, 0.3),
    "gt_zero": lambda x: x > 0,
    "isnan": lambda x: x.isnan(),
    "logical_not": lambda x: x.logical_not(),
    "to_float64": lambda x: x.to(dtype=x.new_zeros(()).double().dtype),
    "double": lambda x: x.double(),
    "half": lambda x: x.half(),
    "int": lambda x: x.int(),
}


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_results_of_a_transpose_keep_its_strides(fg, name):
    x = transposed(fg)
    out = UNARY[name](x)
    assert layout(out) == ((1, 4), False)
    expected = np.array(UNARY[name](fg.tensor(values(x), dtype=fg.float32)).tolist())
    np.testing.assert_allclose(values(out), expected, rtol=1e-6)


def test_unary_values_match_numpy_for_a_transpose(fg):
    x = transposed(fg)
    xs = values(x)
    np.testing.assert_allclose(values(x.exp()), np.exp(xs), rtol=1e-6)
    np.testing.assert_allclose(values(x * x + 1), xs * xs + 1, rtol=1e-6)
    np.testing.assert_array_equal(values(x > 0), xs > 0)
    np.testing.assert_allclose(values(x.double()), xs, rtol=1e-7)


@pytest.mark.parametrize("like", ["empty_like", "zeros_like", "ones_like", "rand_like", "randn_like"])
def test_like_creators_keep_a_transposes_strides(fg, like):
    x = transposed(fg)
    out = getattr(fg, like)(x)
    assert layout(out) == ((1, 4), False)
    assert tuple(out.shape) == (4, 3) and out.dtype == fg.float32


def test_full_like_keeps_strides_and_fills(fg):
    out = fg.full_like(transposed(fg), 3.5)
    assert layout(out) == ((1, 4), False)
    assert values(out).tolist() == [[3.5] * 3] * 4


def test_random_like_draws_in_memory_order(fg):
    x = transposed(fg)
    fg.manual_seed(0)
    drawn = fg.randn_like(x)
    fg.manual_seed(0)
    row_major = fg.randn(3, 4).t()
    assert fg.equal(drawn, row_major)


def test_like_with_contiguous_format_is_row_major(fg):
    x = transposed(fg)
    out = fg.zeros_like(x, memory_format=fg.contiguous_format)
    assert layout(out) == ((3, 1), True)
    out = fg.empty_like(channels_last(fg), memory_format=fg.contiguous_format)
    assert layout(out) == ((60, 20, 5, 1), True)


def test_like_of_a_contiguous_tensor_in_channels_last(fg):
    out = fg.zeros_like(fg.zeros(2, 3, 4, 5), memory_format=fg.channels_last)
    assert layout(out) == ((60, 1, 15, 3), False)


# --- clone / contiguous / to with a memory format ----------------------------------------

def test_clone_memory_formats(fg):
    x = transposed(fg)
    assert layout(x.clone(memory_format=fg.preserve_format)) == ((1, 4), False)
    assert layout(x.clone(memory_format=fg.contiguous_format)) == ((3, 1), True)
    assert layout(fg.clone(x)) == ((1, 4), False)
    assert layout(x.contiguous()) == ((3, 1), True)
    with pytest.raises(RuntimeError, match="rank 4"):
        x.clone(memory_format=fg.channels_last)
    np.testing.assert_array_equal(values(x.clone(memory_format=fg.contiguous_format)), values(x))


def test_contiguous_refuses_preserve_format_for_a_transpose(fg):
    with pytest.raises(RuntimeError, match="preserve memory format is unsupported"):
        transposed(fg).contiguous(memory_format=fg.preserve_format)


def test_to_keeps_or_changes_the_layout(fg):
    x = transposed(fg)
    assert layout(x.to(fg.float64)) == ((1, 4), False)
    assert layout(x.float()) == ((1, 4), False)
    assert layout(x.to(fg.float64, memory_format=fg.contiguous_format)) == ((3, 1), True)
    assert layout(x.type_as(fg.zeros(2, dtype=fg.float64))) == ((1, 4), False)
    assert layout(transposed(fg, dtype=fg.float64).float()) == ((1, 4), False)
    c = fg.zeros(2, 3, 4, 5)
    assert layout(c.to(memory_format=fg.channels_last)) == ((60, 1, 15, 3), False)
    assert layout(channels_last(fg).to(memory_format=fg.contiguous_format)) == ((60, 20, 5, 1), True)


def test_size_one_dims_keep_their_strides_in_copies(fg):
    # (4, 1) with strides (1, 4): contiguous, yet copies keep the 4 and maps do not
    u = fg.arange(4.0).reshape(1, 4).t()
    assert layout(u) == ((1, 4), True)
    assert layout(u.clone()) == ((1, 4), True)
    assert layout(u.double()) == ((1, 4), True)
    assert layout(fg.empty_like(u)) == ((1, 4), True)
    assert layout(u.exp()) == ((1, 1), True)


# --- binary ops: which operand decides -----------------------------------------------------

def test_the_first_operand_decides_between_two_dense_layouts(fg):
    t, c = transposed(fg), fg.zeros(4, 3)
    assert layout(t + c) == ((1, 4), False)
    assert layout(c + t) == ((3, 1), True)
    assert layout(fg.maximum(c, t)) == ((3, 1), True)
    np.testing.assert_allclose(values(t + c), values(t), rtol=1e-7)


@pytest.mark.parametrize("other_shape", [(3,), (4, 1), ()])
def test_a_broadcast_operand_does_not_decide(fg, other_shape):
    t = transposed(fg)
    other = fg.full(other_shape, 2.0)
    assert layout(t + other) == ((1, 4), False)
    assert layout(other + t) == ((1, 4), False)
    np.testing.assert_allclose(values(other * t), 2.0 * values(t), rtol=1e-6)


def test_binary_ops_of_a_permuted_3d_tensor(fg):
    data = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    a = fg.tensor(data).permute(2, 0, 1)  # (4, 2, 3), strides (1, 12, 4)
    assert layout(a) == ((1, 12, 4), False)
    b = fg.tensor(np.arange(24, dtype=np.float32).reshape(3, 4, 2)).permute(1, 2, 0)  # strides (2, 1, 8)
    assert layout(a + b) == ((1, 12, 4), False)
    assert layout(b + a) == ((2, 1, 8), False)
    assert layout(a + fg.ones(2, 3)) == ((1, 12, 4), False)
    assert layout(fg.ones(4, 1, 1) + a) == ((1, 12, 4), False)
    expected = data.transpose(2, 0, 1) + np.arange(24, dtype=np.float32).reshape(3, 4, 2).transpose(1, 2, 0)
    np.testing.assert_array_equal(values(a + b), expected)
    np.testing.assert_array_equal(values(b + a), expected)


def test_results_of_only_broadcast_operands_are_row_major(fg):
    assert layout(fg.ones(4, 1, 3) + fg.ones(1, 2, 1)) == ((6, 3, 1), True)
    assert layout(fg.ones(3, 1) + fg.ones(1, 4)) == ((4, 1), True)


def test_mixed_dtypes_keep_the_layout(fg):
    t = transposed(fg)
    i = fg.arange(12).reshape(3, 4).t()
    assert layout(t + fg.zeros(4, 3, dtype=fg.float64)) == ((1, 4), False)
    assert layout(i / 2) == ((1, 4), False)
    assert layout(i + 1) == ((1, 4), False)
    h = t.half()
    assert layout(h + fg.zeros(4, 3, dtype=fg.float16)) == ((1, 4), False)
    np.testing.assert_array_equal(values(i / 2), np.arange(12).reshape(3, 4).T / 2)


# --- inputs with gaps and overlaps ---------------------------------------------------------

def test_gapped_inputs_are_packed_in_their_stride_order(fg):
    t = transposed(fg)
    g = t[:, ::2]  # (4, 2), strides (1, 8)
    assert layout(g) == ((1, 8), False)
    assert layout(g.exp()) == ((1, 4), False)
    assert layout(g.clone()) == ((1, 4), False)
    assert layout(fg.empty_like(g)) == ((1, 4), False)
    assert layout(g + g) == ((1, 4), False)
    assert layout(g + fg.zeros(4, 2)) == ((1, 4), False)
    assert layout(fg.zeros(4, 2) + g) == ((2, 1), True)
    np.testing.assert_allclose(values(g.exp()), np.exp(values(t)[:, ::2]), rtol=1e-6)
    # a row-major input with gaps stays row-major
    assert layout(fg.zeros(4, 6)[:, ::2].exp()) == ((3, 1), True)


def test_expanded_and_overlapping_inputs_give_row_major_maps(fg):
    e = fg.arange(4.0).reshape(4, 1).expand(4, 3)
    assert layout(e.exp()) == ((3, 1), True)
    assert layout(e.clone()) == ((3, 1), True)
    o = fg.arange(10.0).as_strided((3, 3), (1, 1))
    assert layout(o.exp()) == ((3, 1), True)
    assert layout(o.clone()) == ((3, 1), True)
    o2 = fg.arange(10.0).as_strided((3, 3), (1, 2))
    assert layout(o2.clone()) == ((1, 3), False)
    np.testing.assert_array_equal(values(o2.clone()), np.array([[i + 2 * j for j in range(3)] for i in range(3)]))


# --- where / clamp with tensors / comparisons -------------------------------------------

def test_where_follows_the_condition_first(fg):
    t, c = transposed(fg), fg.ones(4, 3)
    assert layout(fg.where(c > 0, t, c)) == ((3, 1), True)
    assert layout(fg.where(t > 0, c, c)) == ((1, 4), False)
    assert layout(fg.where(t > 0, 1.0, 0.0)) == ((1, 4), False)
    np.testing.assert_array_equal(values(fg.where(t > 0, t, c)), np.where(values(t) > 0, values(t), 1.0))


def test_clamp_with_tensor_bounds_follows_the_input(fg):
    t, c = transposed(fg), fg.zeros(4, 3)
    assert layout(t.clamp(c, c + 1)) == ((1, 4), False)
    assert layout(c.clamp(t)) == ((3, 1), True)


def test_comparisons_of_channels_last_tensors(fg):
    x = channels_last(fg)
    assert layout(x > 0) == ((60, 1, 15, 3), False)
    assert layout(x == x.contiguous()) == ((60, 1, 15, 3), False)
    assert layout(x.contiguous() == x) == ((60, 20, 5, 1), True)


# --- channels last ---------------------------------------------------------------------------

CL_OPS = {
    "relu": lambda x: x.relu(),
    "clone": lambda x: x.clone(),
    "add_scalar": lambda x: x + 1,
    "mul_self": lambda x: x * x,
    "add_bias": lambda x: x + x.new_ones(3, 1, 1),
    "add_row": lambda x: x + x.new_ones(5),
    "double": lambda x: x.double(),
    "sigmoid": lambda x: x.sigmoid(),
}


@pytest.mark.parametrize("name", sorted(CL_OPS))
def test_channels_last_results_stay_channels_last(fg, name):
    x = channels_last(fg)
    out = CL_OPS[name](x)
    assert layout(out) == ((60, 1, 15, 3), False)
    assert out.is_contiguous(memory_format=fg.channels_last)
    expected = CL_OPS[name](fg.tensor(values(x), dtype=fg.float32))
    np.testing.assert_allclose(values(out), values(expected), rtol=1e-6)


@pytest.mark.parametrize("shape,strides", [
    ((1, 3, 4, 5), (60, 1, 15, 3)),
    ((2, 3, 1, 5), (15, 1, 15, 3)),
])
def test_channels_last_with_size_one_dims(fg, shape, strides):
    x = channels_last(fg, shape)
    assert layout(x) == (strides, False)
    assert layout(x.exp()) == (strides, False)
    assert layout(x + 1) == (strides, False)
    assert layout(x.clone()) == (strides, False)


def test_channels_last_beside_a_contiguous_operand(fg):
    x = channels_last(fg)
    c = x.contiguous()
    assert layout(x + c) == ((60, 1, 15, 3), False)
    assert layout(c + x) == ((60, 20, 5, 1), True)
    np.testing.assert_allclose(values(x + c), 2 * values(c), rtol=1e-6)


# --- results that are row-major whatever the input ------------------------------------------

def test_reductions_and_softmax_are_row_major(fg):
    data = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    a = fg.tensor(data).permute(2, 0, 1)
    assert layout(a.sum(1, keepdim=True)) == ((3, 3, 1), True)
    assert layout(a.cumsum(1)) == ((6, 3, 1), True)
    assert layout(a.softmax(1)) == ((6, 3, 1), True)
    x = channels_last(fg)
    assert layout(x.sum(1, keepdim=True)) == ((20, 20, 5, 1), True)
    t = transposed(fg)
    assert layout(t.masked_fill(t > 0, 0.0)) == ((3, 1), True)
    assert layout(t.new_zeros(t.shape)) == ((3, 1), True)
    np.testing.assert_allclose(values(a.sum(1, keepdim=True)), data.transpose(2, 0, 1).sum(1, keepdims=True))


# --- in place and copy_ ----------------------------------------------------------------------

def test_in_place_ops_and_copy_keep_the_destination(fg):
    t = transposed(fg)
    expected = np.exp(values(t)) + 1
    t.exp_()
    t.add_(1)
    assert layout(t) == ((1, 4), False)
    np.testing.assert_allclose(values(t), expected, rtol=1e-6)
    d = fg.zeros(3, 4).t()
    d.copy_(fg.ones(4, 3))
    assert layout(d) == ((1, 4), False) and values(d).sum() == 12


# --- gradients -------------------------------------------------------------------------------

def leaf(fg, t):
    return t.detach().requires_grad_()


@pytest.mark.parametrize("fn", [
    lambda x: x.sum(),
    lambda x: x.exp().sum(),
    lambda x: (x * x).sum(),
    lambda x: (x @ x.new_ones(3, 2)).sum(),
])
def test_the_grad_of_a_transposed_leaf_has_its_strides(fg, fn):
    x = leaf(fg, transposed(fg))
    fn(x).backward()
    assert layout(x.grad) == ((1, 4), False)


def test_grad_values_of_a_permuted_leaf(fg):
    x = leaf(fg, transposed(fg))
    (x.exp() * x).sum().backward()
    xs = values(x)
    np.testing.assert_allclose(values(x.grad), np.exp(xs) * (1 + xs), rtol=1e-5)
    y = leaf(fg, transposed(fg))
    w = fg.tensor(np.arange(12, dtype=np.float32).reshape(4, 3))
    (y * w).sum().backward()
    np.testing.assert_array_equal(values(y.grad), np.arange(12).reshape(4, 3))


def test_grad_by_finite_differences_for_a_permuted_leaf(fg):
    x = leaf(fg, transposed(fg, dtype=fg.float64))
    (x.sigmoid() * x.t().t().tanh()).sum().backward()
    xs, eps = values(x), 1e-6

    def f(v):
        return (1 / (1 + np.exp(-v)) * np.tanh(v)).sum()

    numeric = np.zeros_like(xs)
    for idx in np.ndindex(*xs.shape):
        hi, lo = xs.copy(), xs.copy()
        hi[idx] += eps
        lo[idx] -= eps
        numeric[idx] = (f(hi) - f(lo)) / (2 * eps)
    np.testing.assert_allclose(values(x.grad), numeric, rtol=1e-6, atol=1e-8)


def test_grads_of_other_leaves(fg):
    c = leaf(fg, fg.zeros(3, 4))
    (c.t() * fg.ones(4, 3)).sum().backward()
    assert layout(c.grad) == ((4, 1), True)
    cl = leaf(fg, channels_last(fg))
    cl.relu().sum().backward()
    assert layout(cl.grad) == ((60, 1, 15, 3), False)
    gapped = leaf(fg, fg.zeros(4, 6))[:, ::2].detach().requires_grad_()
    assert layout(gapped) == ((6, 2), False)
    (gapped * fg.ones(4, 3)).sum().backward()
    assert layout(gapped.grad) == ((3, 1), True)
    u = leaf(fg, fg.arange(4.0).reshape(1, 4).t())
    (u * 2).sum().backward()
    assert layout(u.grad) == ((1, 1), True)


def test_accumulated_grads_keep_the_layout(fg):
    x = leaf(fg, transposed(fg))
    (x * 2).sum().backward()
    (x * 3).sum().backward()
    assert layout(x.grad) == ((1, 4), False)
    np.testing.assert_array_equal(values(x.grad), np.full((4, 3), 5.0))


# --- fused kernels ---------------------------------------------------------------------------

def test_fused_ops_keep_the_layout(fg):
    t, c = transposed(fg), fg.ones(4, 3)
    ts = values(t)
    out = fg.lerp(t, c, 0.25)
    assert layout(out) == ((1, 4), False)
    np.testing.assert_allclose(values(out), ts + 0.25 * (1 - ts), rtol=1e-6)
    assert layout(fg.lerp(c, t, 0.25)) == ((3, 1), True)
    out = fg.addcmul(t, c, c, value=0.5)
    assert layout(out) == ((1, 4), False)
    np.testing.assert_allclose(values(out), ts + 0.5, rtol=1e-6)
    assert layout(fg.addcmul(c, t, t)) == ((3, 1), True)
    out = fg.add(t, c, alpha=2)
    assert layout(out) == ((1, 4), False)
    np.testing.assert_allclose(values(out), ts + 2, rtol=1e-6)
    x = channels_last(fg)
    assert layout(fg.sub(x, x, alpha=2)) == ((60, 1, 15, 3), False)


def test_an_operand_of_another_dtype_decides_as_its_cast_copy(fg):
    # PyTorch casts such an operand (preserve_format) before deciding: an expanded
    # float32 operand becomes a row-major float64 copy, which then decides first
    a = fg.arange(6.0).reshape(2, 3, 1).expand(2, 3, 4)
    b = fg.zeros(4, 3, 2, dtype=fg.float64).permute(2, 1, 0)
    assert layout(b) == ((1, 2, 6), False)
    assert layout(a * b) == ((12, 4, 1), True)
    assert layout(a > b) == ((12, 4, 1), True)
    # operands of one dtype are not copied: the expanded dim is left to the other
    ah, bh = a.half(), b.half()
    a16 = fg.arange(6.0).half().reshape(2, 3, 1).expand(2, 3, 4)
    assert layout(a16 * bh) == ((3, 1, 6), False)
    assert layout(a16 > bh) == ((3, 1, 6), False)
    assert layout(ah * bh) == ((12, 4, 1), True)
    np.testing.assert_array_equal(values(a16 + bh), np.broadcast_to(np.arange(6.0).reshape(2, 3, 1), (2, 3, 4)))
