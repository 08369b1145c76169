"""Shape ops: cat/stack and friends, split/chunk/unbind, flip/roll/repeat/tile,
repeat_interleave, movedim/swapaxes/unflatten, broadcasting, meshgrid, tril/triu,
diag/diagonal/trace, narrow_copy.

Values are checked against NumPy, grad_fn names and error messages are PyTorch 2.13's,
and every differentiable op goes through ``gradcheck`` in float64.
"""

import numpy as np
import pytest
from backend import fg

D = fg.float64


def arr(t):
    return t.detach().numpy()


def grid(*shape, dtype=None):
    """0, 1, 2, ... in the given shape (float32 unless a dtype is given)."""
    n = int(np.prod(shape)) if shape else 1
    return fg.arange(n, dtype=dtype or fg.float32).reshape(shape)


def npgrid(*shape):
    n = int(np.prod(shape)) if shape else 1
    return np.arange(n, dtype=np.float32).reshape(shape)


def leaf(*shape):
    fg.manual_seed(0)
    return fg.rand(*shape, dtype=D).requires_grad_()


def check(fn, *inputs):
    assert fg.autograd.gradcheck(fn, inputs) is True


def name(t):
    return type(t.grad_fn).__name__


def raises(exc, match, fn):
    with pytest.raises(exc) as info:
        fn()
    assert str(info.value).startswith(match), str(info.value)


# --- cat / stack ---------------------------------------------------------------------


def test_cat_values_and_dims():
    a, b = grid(2, 3), grid(2, 4) + 100
    np.testing.assert_array_equal(arr(fg.cat([a, b], 1)), np.concatenate([npgrid(2, 3), npgrid(2, 4) + 100], 1))
    np.testing.assert_array_equal(arr(fg.cat([a, b], -1)), np.concatenate([npgrid(2, 3), npgrid(2, 4) + 100], 1))
    np.testing.assert_array_equal(arr(fg.cat((a, a))), np.concatenate([npgrid(2, 3)] * 2, 0))
    np.testing.assert_array_equal(arr(fg.concat([a, a], dim=1)), np.concatenate([npgrid(2, 3)] * 2, 1))
    np.testing.assert_array_equal(arr(fg.concatenate([a], 0)), npgrid(2, 3))
    # non-contiguous inputs
    t = grid(3, 2).t()
    np.testing.assert_array_equal(arr(fg.cat([t, a], 0)), np.concatenate([npgrid(3, 2).T, npgrid(2, 3)], 0))


def test_cat_dtype_promotion():
    a = grid(2, 2)
    assert fg.cat([a.long(), a.bool()]).dtype == fg.int64
    assert fg.cat([a, a.double()]).dtype == fg.float64
    assert fg.cat([a.long(), a]).dtype == fg.float32
    np.testing.assert_array_equal(arr(fg.cat([a.long(), a.bool()])), [[0, 1], [2, 3], [0, 1], [1, 1]])


def test_cat_skips_legacy_empty():
    a = grid(2, 3)
    e = fg.tensor([])
    assert tuple(fg.cat([e, a]).shape) == (2, 3)
    assert tuple(fg.cat([e, a], 1).shape) == (2, 3)
    assert tuple(fg.cat([a, e, a]).shape) == (4, 3)
    assert tuple(fg.cat([e, e]).shape) == (0,)
    assert tuple(fg.cat([e], 5).shape) == (0,)
    # the skipped tensors still take part in promotion
    assert fg.cat([e.long(), a.double()]).dtype == fg.float64
    assert fg.cat([a.long(), e.double()]).dtype == fg.float64
    # only 1-D empty tensors are skipped
    assert tuple(fg.cat([fg.zeros(0, 3), a]).shape) == (2, 3)
    raises(RuntimeError, "Sizes of tensors must match except in dimension 0. Expected size 0 but got size 3 for tensor number 1 in the list.", lambda: fg.cat([fg.zeros(2, 0), a]))


def test_cat_errors():
    a, b = fg.ones(2, 3), fg.ones(2, 4)
    raises(ValueError, "torch.cat(): expected a non-empty list of Tensors", lambda: fg.cat([]))
    raises(RuntimeError, "Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 for tensor number 1 in the list.", lambda: fg.cat([a, b]))
    raises(RuntimeError, "Tensors must have same number of dimensions: got 2 and 1", lambda: fg.cat([a, fg.ones(3)]))
    raises(RuntimeError, "Tensors must have same number of dimensions: got 2 and 3", lambda: fg.cat([a, fg.ones(2, 3, 1)]))
    raises(RuntimeError, "zero-dimensional tensor (at position 1) cannot be concatenated", lambda: fg.cat([a, fg.tensor(1.0)]))
    raises(RuntimeError, "zero-dimensional tensor (at position 0) cannot be concatenated", lambda: fg.cat([fg.tensor(1.0), a]))
    raises(IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got 2)", lambda: fg.cat([a, a], 2))
    raises(IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got -3)", lambda: fg.cat([a, a], -3))
    raises(TypeError, "cat(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor", lambda: fg.cat(a))
    raises(TypeError, "expected Tensor as element 1 in argument 0, but got str", lambda: fg.cat([a, "x"]))


def test_cat_grad():
    a = fg.ones(2, 3, requires_grad=True)
    b = fg.ones(2, 1, dtype=D, requires_grad=True)
    out = fg.cat([a, b], 1)
    assert name(out) == "CatBackward0"
    assert out.dtype == fg.float64
    (out * fg.arange(4.0, dtype=D)).sum().backward()
    assert a.grad.dtype == fg.float32 and b.grad.dtype == fg.float64
    np.testing.assert_array_equal(arr(a.grad), [[0, 1, 2], [0, 1, 2]])
    np.testing.assert_array_equal(arr(b.grad), [[3], [3]])
    check(lambda x, y: fg.cat([x, y, x], -1), leaf(2, 3), leaf(2, 2))
    check(lambda x, y: fg.cat([y, x], 0), leaf(3), fg.tensor([], dtype=D, requires_grad=True))


def test_cat_grad_of_legacy_empty():
    e = fg.tensor([], requires_grad=True)
    a = fg.ones(2, requires_grad=True)
    fg.cat([e, a]).sum().backward()
    assert tuple(e.grad.shape) == (0,)
    np.testing.assert_array_equal(arr(a.grad), [1, 1])


def test_stack():
    a, b = grid(2, 3), grid(2, 3) + 10
    for d in range(-3, 3):
        np.testing.assert_array_equal(arr(fg.stack([a, b], d)), np.stack([npgrid(2, 3), npgrid(2, 3) + 10], d))
    assert fg.stack([a, b.double()]).dtype == fg.float64
    np.testing.assert_array_equal(arr(fg.stack([fg.tensor(1.0), fg.tensor(2.0)])), [1, 2])
    raises(RuntimeError, "stack expects a non-empty TensorList", lambda: fg.stack([]))
    raises(RuntimeError, "stack expects each tensor to be equal size, but got [2, 3] at entry 0 and [2, 4] at entry 1", lambda: fg.stack([a, fg.ones(2, 4)]))
    raises(IndexError, "Dimension out of range (expected to be in range of [-3, 2], but got 3)", lambda: fg.stack([a, a], 3))
    x = leaf(2, 3)
    out = fg.stack([x, x * 2], 1)
    assert name(out) == "StackBackward0"
    check(lambda x, y: fg.stack([x, y, x], 1), leaf(2, 3), leaf(2, 3))
    check(lambda x, y: fg.stack([x, y], -1), leaf(()), leaf(()))


def test_hstack_vstack_dstack_column_stack():
    v, w = grid(3), grid(3) + 10
    m = grid(2, 3)
    nv, nw, nm = npgrid(3), npgrid(3) + 10, npgrid(2, 3)
    np.testing.assert_array_equal(arr(fg.hstack([v, w])), np.hstack([nv, nw]))
    np.testing.assert_array_equal(arr(fg.hstack([m, m])), np.hstack([nm, nm]))
    np.testing.assert_array_equal(arr(fg.vstack([v, w])), np.vstack([nv, nw]))
    np.testing.assert_array_equal(arr(fg.vstack([m, v])), np.vstack([nm, nv]))
    np.testing.assert_array_equal(arr(fg.dstack([m, m])), np.dstack([nm, nm]))
    np.testing.assert_array_equal(arr(fg.dstack([v, w])), np.dstack([nv, nw]))
    np.testing.assert_array_equal(arr(fg.column_stack([v, w])), np.column_stack([nv, nw]))
    np.testing.assert_array_equal(arr(fg.hstack([fg.tensor(1.0), fg.tensor(2.0)])), [1, 2])
    assert tuple(fg.vstack([fg.tensor(1.0), fg.tensor(2.0)]).shape) == (2, 1)
    raises(RuntimeError, "hstack expects a non-empty TensorList", lambda: fg.hstack([]))
    raises(RuntimeError, "vstack expects a non-empty TensorList", lambda: fg.vstack([]))
    x = leaf(3)
    assert name(fg.hstack([x, x])) == "CatBackward0"
    assert name(fg.vstack([x, x])) == "CatBackward0"
    assert type(fg.vstack([x, x]).grad_fn.next_functions[0][0]).__name__ == "UnsqueezeBackward0"
    check(lambda x, y: fg.vstack([x, y]), leaf(3), leaf(2, 3))
    check(lambda x, y: fg.hstack([x, y]), leaf(2, 1), leaf(2, 3))
    check(lambda x, y: fg.column_stack([x, y]), leaf(2), leaf(2, 2))
    check(lambda x, y: fg.dstack([x, y]), leaf(2), leaf(1, 2))


def test_atleast():
    s = fg.tensor(1.0)
    assert tuple(fg.atleast_1d(s).shape) == (1,)
    assert tuple(fg.atleast_2d(s).shape) == (1, 1)
    assert tuple(fg.atleast_3d(s).shape) == (1, 1, 1)
    assert tuple(fg.atleast_3d(fg.ones(4)).shape) == (1, 4, 1)
    assert tuple(fg.atleast_3d(fg.ones(2, 4)).shape) == (2, 4, 1)
    assert [tuple(t.shape) for t in fg.atleast_2d(s, fg.ones(3))] == [(1, 1), (1, 3)]


# --- split / chunk / unbind / tensor_split -------------------------------------------


def test_split_values():
    x = grid(5, 4)
    parts = fg.split(x, 2)
    assert isinstance(parts, tuple) and [tuple(p.shape) for p in parts] == [(2, 4), (2, 4), (1, 4)]
    for p, q in zip(parts, np.split(npgrid(5, 4), [2, 4]), strict=True):
        np.testing.assert_array_equal(arr(p), q)
    parts = x.split([1, 3], dim=1)
    for p, q in zip(parts, np.split(npgrid(5, 4), [1], axis=1), strict=True):
        np.testing.assert_array_equal(arr(p), q)
    assert [tuple(p.shape) for p in x.split(10)] == [(5, 4)]
    assert [tuple(p.shape) for p in x.split(3, -1)] == [(5, 3), (5, 1)]
    assert [tuple(p.shape) for p in fg.zeros(0, 2).split(0)] == [(0, 2)]
    assert [tuple(p.shape) for p in x.split([0, 5, 0])] == [(0, 4), (5, 4), (0, 4)]
    # views share memory
    p = x.split(2)[1]
    p.add_(100)
    assert x[2, 0].item() == 108.0


def test_split_errors():
    a = fg.ones(2, 3)
    raises(RuntimeError, "split_size can only be 0 if dimension size is 0, but got dimension size of 2", lambda: a.split(0))
    raises(RuntimeError, "split expects split_size be non-negative, but got split_size=-1", lambda: a.split(-1))
    raises(RuntimeError, "split_with_sizes expects split_sizes to sum exactly to 2 (input tensor's size at dimension 0), but got split_sizes=[1, 2]", lambda: a.split([1, 2]))
    raises(RuntimeError, "split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes=[1, -1]", lambda: a.split([1, -1]))
    raises(IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got 2)", lambda: a.split(1, 2))
    raises(RuntimeError, "split expects at least a 1-dimensional tensor", lambda: fg.tensor(1.0).split(1))


def test_split_grad():
    x = leaf(5, 3)
    parts = x.split(2)
    assert [name(p) for p in parts] == ["SplitBackward0"] * 3
    assert parts[0].grad_fn is parts[2].grad_fn
    assert [name(p) for p in x.split([2, 3])] == ["SplitWithSizesBackward0"] * 2
    # one output used: the others get zeros
    (parts[1] * 3).sum().backward()
    np.testing.assert_array_equal(arr(x.grad), [[0, 0, 0]] * 2 + [[3, 3, 3]] * 2 + [[0, 0, 0]])
    check(lambda t: t.split(2, 1), leaf(3, 5))
    check(lambda t: t.split([1, 0, 2], 0)[2], leaf(3, 2))
    check(lambda t: t.split(2)[0] * t.split(2)[1], leaf(4, 2))


def test_chunk():
    x = grid(5, 4)
    assert [tuple(p.shape) for p in x.chunk(2)] == [(3, 4), (2, 4)]
    assert [tuple(p.shape) for p in x.chunk(3, 1)] == [(5, 2), (5, 2)]
    assert [tuple(p.shape) for p in fg.chunk(x, 5)] == [(1, 4)] * 5
    assert [tuple(p.shape) for p in fg.chunk(x, 6)] == [(1, 4)] * 5
    assert [tuple(p.shape) for p in fg.zeros(0, 2).chunk(3)] == [(0, 2)] * 3
    np.testing.assert_array_equal(arr(x.chunk(2, 1)[1]), npgrid(5, 4)[:, 2:])
    raises(RuntimeError, "chunk expects `chunks` to be greater than 0, got: 0", lambda: x.chunk(0))
    raises(RuntimeError, "chunk expects `chunks` to be greater than 0, got: -1", lambda: x.chunk(-1))
    raises(RuntimeError, "chunk expects at least a 1-dimensional tensor", lambda: fg.tensor(1.0).chunk(1))
    t = leaf(5, 2)
    assert [name(p) for p in t.chunk(2)] == ["SplitBackward0"] * 2
    check(lambda t: t.chunk(3, 0), leaf(5, 2))


def test_unbind():
    x = grid(2, 3)
    parts = x.unbind(1)
    assert isinstance(parts, tuple) and len(parts) == 3
    for i, p in enumerate(parts):
        np.testing.assert_array_equal(arr(p), npgrid(2, 3)[:, i])
    assert len(fg.unbind(x)) == 2
    assert fg.unbind(fg.zeros(0, 2)) == ()
    raises(IndexError, "Dimension specified as 0 but tensor has no dimensions", lambda: fg.tensor(1.0).unbind())
    raises(IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got 2)", lambda: x.unbind(2))
    t = leaf(2, 3)
    assert name(t.unbind()[0]) == "UnbindBackward0"
    check(lambda t: t.unbind(-1), leaf(2, 3))
    check(lambda t: t.unbind(0)[1] * 2, leaf(3, 2))


def test_tensor_split():
    x = grid(7, 3)
    n = npgrid(7, 3)
    for p, q in zip(x.tensor_split(3), np.array_split(n, 3), strict=True):
        np.testing.assert_array_equal(arr(p), q)
    parts = fg.tensor_split(fg.ones(2, 3), [1, 5, -1], 1)
    assert [tuple(p.shape) for p in parts] == [(2, 1), (2, 2), (2, 0), (2, 1)]
    for p, q in zip(x.tensor_split([2, 5], dim=0), np.split(n, [2, 5]), strict=True):
        np.testing.assert_array_equal(arr(p), q)
    assert [tuple(p.shape) for p in x.tensor_split(fg.tensor([1, 2]))] == [(1, 3), (1, 3), (5, 3)]
    raises(RuntimeError, "number of sections must be larger than 0, got 0", lambda: x.tensor_split(0))
    raises(RuntimeError, "tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims", lambda: fg.tensor(1.0).tensor_split(1))
    t = leaf(5, 2)
    assert [name(p) for p in t.tensor_split(2)] == ["SliceBackward0"] * 2
    check(lambda t: t.tensor_split([1, 3], 0), leaf(4, 2))


# --- flip / roll / repeat / tile / repeat_interleave ---------------------------------


def test_flip():
    x = grid(2, 3, 4)
    n = npgrid(2, 3, 4)
    np.testing.assert_array_equal(arr(x.flip(0)), np.flip(n, 0))
    np.testing.assert_array_equal(arr(x.flip(0, 2)), np.flip(n, (0, 2)))
    np.testing.assert_array_equal(arr(fg.flip(x, (-1, 1))), np.flip(n, (2, 1)))
    np.testing.assert_array_equal(arr(x.flip([])), n)
    np.testing.assert_array_equal(arr(x.t().flip(0) if x.dim() == 2 else x.transpose(0, 2).flip(1)), np.flip(n.transpose(2, 1, 0), 1))
    np.testing.assert_array_equal(arr(fg.fliplr(grid(2, 3))), np.fliplr(npgrid(2, 3)))
    np.testing.assert_array_equal(arr(fg.flipud(grid(2, 3))), np.flipud(npgrid(2, 3)))
    assert fg.ones(2, 2, dtype=fg.bool).flip(0).dtype == fg.bool
    np.testing.assert_array_equal(arr(fg.tensor([3, 1, 2]).flip(0)), [2, 1, 3])
    raises(RuntimeError, "dim 0 appears multiple times in the list of dims", lambda: x.flip(0, 0))
    raises(IndexError, "Dimension out of range (expected to be in range of [-3, 2], but got 3)", lambda: x.flip(3))
    raises(RuntimeError, "Input must be >= 2-d.", lambda: fg.fliplr(fg.ones(3)))
    raises(RuntimeError, "Input must be >= 1-d.", lambda: fg.flipud(fg.tensor(1.0)))
    t = leaf(2, 3)
    assert name(t.flip(1)) == "FlipBackward0"
    assert name(t.fliplr()) == "FlipBackward0"
    check(lambda t: t.flip(0, 1) * t, leaf(2, 3))
    check(lambda t: t.flipud(), leaf(3, 2))


def test_roll():
    x = grid(3, 4)
    n = npgrid(3, 4)
    np.testing.assert_array_equal(arr(x.roll(1)), np.roll(n, 1))
    np.testing.assert_array_equal(arr(x.roll(-5)), np.roll(n, -5))
    np.testing.assert_array_equal(arr(x.roll(1, 0)), np.roll(n, 1, 0))
    np.testing.assert_array_equal(arr(fg.roll(x, (1, -3), (0, 1))), np.roll(n, (1, -3), (0, 1)))
    np.testing.assert_array_equal(arr(x.roll((1, 2), (1, 1))), np.roll(n, 3, 1))
    np.testing.assert_array_equal(arr(x.t().roll(1, 1)), np.roll(n.T, 1, 1))
    raises(RuntimeError, "shifts and dimensions must align. shifts: 2, dims:1", lambda: x.roll((1, 2), (0,)))
    raises(RuntimeError, "`shifts` required", lambda: x.roll((), ()))
    raises(IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got 2)", lambda: x.roll(1, 2))
    t = leaf(3, 4)
    assert name(t.roll(1)) == "RollBackward0"
    assert name(t.roll((1, 2), (0, 1))) == "RollBackward0"
    check(lambda t: t.roll(2) * t, leaf(2, 3))
    check(lambda t: t.roll((1, -1), (0, 1)), leaf(3, 2))


def test_repeat_and_tile():
    x = grid(2, 3)
    n = npgrid(2, 3)
    np.testing.assert_array_equal(arr(x.repeat(2, 1)), np.tile(n, (2, 1)))
    np.testing.assert_array_equal(arr(x.repeat((2, 3))), np.tile(n, (2, 3)))
    np.testing.assert_array_equal(arr(x.repeat(2, 1, 2)), np.tile(n, (2, 1, 2)))
    assert tuple(x.repeat(0, 2).shape) == (0, 6)
    np.testing.assert_array_equal(arr(fg.tile(x, (2,))), np.tile(n, 2))
    np.testing.assert_array_equal(arr(x.tile(2, 1, 1)), np.tile(n, (2, 1, 1)))
    np.testing.assert_array_equal(arr(x.tile(())), n)
    np.testing.assert_array_equal(arr(fg.tensor(5).repeat(3)), [5, 5, 5])
    assert fg.ones(2, 2, dtype=fg.bool).repeat(2, 2).dtype == fg.bool
    raises(RuntimeError, "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor", lambda: x.repeat(2))
    raises(RuntimeError, "Trying to create tensor with negative dimension -2: [-2, 6]", lambda: x.repeat(-1, 2))
    t = leaf(2, 3)
    assert name(t.repeat(2, 1)) == "RepeatBackward0"
    assert name(t.tile(2)) == "RepeatBackward0"
    check(lambda t: t.repeat(2, 3), leaf(2, 3))
    check(lambda t: t.repeat(3, 1, 2), leaf(2, 1))
    check(lambda t: t.repeat(2), leaf(()))
    check(lambda t: t.tile(2, 1, 1), leaf(3, 2))


def test_repeat_interleave():
    x = grid(2, 3)
    n = npgrid(2, 3)
    np.testing.assert_array_equal(arr(x.repeat_interleave(2)), np.repeat(n, 2))
    np.testing.assert_array_equal(arr(x.repeat_interleave(2, dim=0)), np.repeat(n, 2, 0))
    np.testing.assert_array_equal(arr(fg.repeat_interleave(x, 3, -1)), np.repeat(n, 3, 1))
    np.testing.assert_array_equal(arr(fg.tensor(2.0).repeat_interleave(3)), [2, 2, 2])
    assert tuple(x.repeat_interleave(0, dim=1).shape) == (2, 0)
    raises(RuntimeError, "Repeats must be non-negative", lambda: x.repeat_interleave(-1))
    t = leaf(2, 3)
    assert name(t.repeat_interleave(2)) == "ViewBackward0"
    assert name(t.repeat_interleave(2, dim=1)) == "ViewBackward0"
    check(lambda t: t.repeat_interleave(2, dim=1), leaf(2, 3))
    check(lambda t: t.repeat_interleave(3), leaf(2, 2))


# --- moving dims, unflatten, broadcasting, meshgrid ----------------------------------


def test_movedim_swapaxes():
    x = grid(2, 3, 4)
    n = npgrid(2, 3, 4)
    np.testing.assert_array_equal(arr(x.movedim(0, 2)), np.moveaxis(n, 0, 2))
    np.testing.assert_array_equal(arr(x.movedim((0, 1), (2, 0))), np.moveaxis(n, (0, 1), (2, 0)))
    np.testing.assert_array_equal(arr(fg.moveaxis(x, -1, 0)), np.moveaxis(n, -1, 0))
    np.testing.assert_array_equal(arr(fg.movedim(x, [2, 0], [0, 1])), np.moveaxis(n, [2, 0], [0, 1]))
    np.testing.assert_array_equal(arr(x.swapaxes(0, 2)), np.swapaxes(n, 0, 2))
    np.testing.assert_array_equal(arr(fg.swapdims(x, 1, -1)), np.swapaxes(n, 1, 2))
    np.testing.assert_array_equal(arr(fg.swapaxes(x, 0, 1)), np.swapaxes(n, 0, 1))
    a = fg.ones(2, 3)
    raises(RuntimeError, "movedim: Invalid source or destination dims: source ([0, 1] dims) should contain the same number of dims as destination ([1] dims)", lambda: a.movedim((0, 1), (1,)))
    raises(RuntimeError, "movedim: repeated dim in `source` ([0, -2])", lambda: a.movedim((0, -2), (1, 0)))
    raises(RuntimeError, "movedim: repeated dim in `destination` ([1, 1])", lambda: a.movedim((0, 1), (1, 1)))
    raises(IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got 2)", lambda: a.movedim(2, 0))
    t = leaf(2, 3, 4)
    assert name(t.movedim(0, 1)) == "PermuteBackward0"
    assert name(t.moveaxis((0, 1), (2, 0))) == "PermuteBackward0"
    assert name(t.swapaxes(0, 2)) == "TransposeBackward0"
    assert name(t.swapdims(0, 1)) == "TransposeBackward0"
    check(lambda t: t.movedim((0, 2), (1, 0)), leaf(2, 3, 4))


def test_unflatten():
    x = grid(2, 12)
    np.testing.assert_array_equal(arr(x.unflatten(1, (3, 4))), npgrid(2, 12).reshape(2, 3, 4))
    np.testing.assert_array_equal(arr(fg.unflatten(x, -1, (2, -1, 3))), npgrid(2, 12).reshape(2, 2, 2, 3))
    np.testing.assert_array_equal(arr(x.t().unflatten(0, (4, 3))), npgrid(2, 12).T.reshape(4, 3, 2))
    a = fg.ones(2, 3)
    raises(RuntimeError, "unflatten: Provided sizes [2, 2] don't multiply up to the size of dim 1 (3) in the input tensor", lambda: a.unflatten(1, (2, 2)))
    raises(RuntimeError, "unflatten: Provided sizes [-1, 2] don't multiply up to the size of dim 1 (3) in the input tensor", lambda: a.unflatten(1, (-1, 2)))
    raises(RuntimeError, "unflatten: sizes must be non-empty", lambda: a.unflatten(1, ()))
    raises(IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got 2)", lambda: a.unflatten(2, (1, 3)))
    t = leaf(2, 6)
    assert name(t.unflatten(1, (2, 3))) == "ViewBackward0"
    check(lambda t: t.unflatten(0, (3, 2)), leaf(6, 2))


def test_broadcast_to_and_tensors():
    v = grid(4)
    np.testing.assert_array_equal(arr(fg.broadcast_to(v, (3, 4))), np.broadcast_to(npgrid(4), (3, 4)))
    np.testing.assert_array_equal(arr(v.broadcast_to([2, 1, 4])), np.broadcast_to(npgrid(4), (2, 1, 4)))
    a, b, c = fg.broadcast_tensors(grid(2, 1), grid(3), fg.ones(1, 1, 1))
    for t, ref in zip((a, b, c), np.broadcast_arrays(npgrid(2, 1), npgrid(3), np.ones((1, 1, 1), np.float32)), strict=True):
        np.testing.assert_array_equal(arr(t), ref)
    raises(RuntimeError, "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1", lambda: fg.broadcast_tensors(fg.ones(2, 3), fg.ones(2, 4)))
    raises(RuntimeError, "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 2", lambda: fg.broadcast_tensors(fg.ones(2, 3), fg.ones(1, 3), fg.ones(4, 1, 2)))
    with pytest.raises(RuntimeError, match=r"the number of sizes provided \(1\) must be greater or equal to the number of dimensions in the tensor \(2\)"):
        fg.broadcast_to(fg.ones(2, 3), (3,))
    x, y = leaf(2, 3), leaf(3)
    bx, by = fg.broadcast_tensors(x, y)
    assert bx.grad_fn is None and name(by) == "ExpandBackward0"
    assert name(y.broadcast_to((2, 3))) == "ExpandBackward0"
    check(lambda x, y: fg.broadcast_tensors(x, y), leaf(2, 1), leaf(3))


def test_meshgrid(monkeypatch):
    from ferrograd import _shape

    monkeypatch.setattr(_shape, "_warned_meshgrid_indexing", False)  # PyTorch warns once per process
    a, b = grid(3), grid(2) + 10
    na, nb = npgrid(3), npgrid(2) + 10
    for got, ref in zip(fg.meshgrid(a, b, indexing="ij"), np.meshgrid(na, nb, indexing="ij"), strict=True):
        np.testing.assert_array_equal(arr(got), ref)
    for got, ref in zip(fg.meshgrid([a, b], indexing="xy"), np.meshgrid(na, nb, indexing="xy"), strict=True):
        np.testing.assert_array_equal(arr(got), ref)
    c = grid(4)
    for got, ref in zip(fg.meshgrid(a, b, c, indexing="xy"), np.meshgrid(na, nb, npgrid(4), indexing="xy"), strict=True):
        np.testing.assert_array_equal(arr(got), ref)
    assert [tuple(t.shape) for t in fg.meshgrid(fg.tensor(1.0), a, indexing="ij")] == [(1, 3), (1, 3)]
    with pytest.warns(UserWarning, match="it will be required to pass the indexing argument"):
        default = fg.meshgrid(a, b)
    np.testing.assert_array_equal(arr(default[0]), np.meshgrid(na, nb, indexing="ij")[0])
    raises(RuntimeError, "meshgrid expects a non-empty TensorList", lambda: fg.meshgrid(indexing="ij"))
    raises(RuntimeError, "meshgrid expects all tensors to have the same dtype", lambda: fg.meshgrid(a, b.double(), indexing="ij"))
    raises(RuntimeError, 'torch.meshgrid: indexing must be one of "xy" or "ij", but received: foo', lambda: fg.meshgrid(a, b, indexing="foo"))
    raises(RuntimeError, "torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: ", lambda: fg.meshgrid(fg.ones(2, 2), indexing="ij"))
    x, y = leaf(3), leaf(2)
    gx, gy = fg.meshgrid(x, y, indexing="xy")
    assert name(gx) == name(gy) == "ExpandBackward0"
    assert type(gx.grad_fn.next_functions[0][0]).__name__ == "ViewBackward0"
    check(lambda x, y: fg.meshgrid(x, y, indexing="xy"), leaf(3), leaf(2))
    check(lambda x, y: fg.meshgrid(x, y, indexing="ij"), leaf(3), leaf(2))


# --- tril / triu / diag / diagonal / trace / narrow_copy -----------------------------


def test_tril_triu():
    x = grid(3, 4) + 1
    n = npgrid(3, 4) + 1
    for k in (-4, -1, 0, 1, 2, 5):
        np.testing.assert_array_equal(arr(x.tril(k)), np.tril(n, k))
        np.testing.assert_array_equal(arr(fg.triu(x, k)), np.triu(n, k))
    b = grid(2, 3, 3) + 1
    np.testing.assert_array_equal(arr(fg.tril(b, diagonal=-1)), np.tril(npgrid(2, 3, 3) + 1, -1))
    np.testing.assert_array_equal(arr(x.t().triu()), np.triu(n.T))
    np.testing.assert_array_equal(arr(fg.ones(2, 2, dtype=fg.bool).tril()), [[True, False], [True, True]])
    np.testing.assert_array_equal(arr(fg.tensor([[1, 2], [3, 4]]).triu()), [[1, 2], [0, 4]])
    raises(RuntimeError, "tril: input tensor must have at least 2 dimensions", lambda: fg.ones(3).tril())
    raises(RuntimeError, "triu: input tensor must have at least 2 dimensions", lambda: fg.ones(3).triu())
    t = leaf(3, 3)
    assert name(t.tril()) == "TrilBackward0"
    assert name(t.triu(1)) == "TriuBackward0"
    check(lambda t: t.tril(-1), leaf(3, 4))
    check(lambda t: t.triu(1), leaf(2, 3, 3))


def test_diagonal():
    x = grid(3, 4)
    n = npgrid(3, 4)
    for k in (-3, -1, 0, 2, 4):
        np.testing.assert_array_equal(arr(x.diagonal(k)), np.diagonal(n, k))
        np.testing.assert_array_equal(arr(fg.diagonal(x, offset=k, dim1=1, dim2=0)), np.diagonal(n, k, 1, 0))
    y = grid(2, 3, 4)
    ny = npgrid(2, 3, 4)
    np.testing.assert_array_equal(arr(y.diagonal(0, 0, 2)), np.diagonal(ny, 0, 0, 2))
    np.testing.assert_array_equal(arr(y.diagonal(1, -1, 1)), np.diagonal(ny, 1, 2, 1))
    d = x.diagonal()
    d.mul_(10)
    assert x[1, 1].item() == 50.0
    raises(RuntimeError, "diagonal dimensions cannot be identical 0, 0", lambda: x.diagonal(0, 0, 0))
    raises(IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got 2)", lambda: x.diagonal(0, 0, 2))
    t = leaf(3, 4)
    assert name(t.diagonal()) == "DiagonalBackward0"
    check(lambda t: t.diagonal(1), leaf(3, 4))
    check(lambda t: t.diagonal(-1, 2, 0), leaf(2, 3, 4))


def test_diag():
    v = grid(3) + 1
    for k in (-2, 0, 1):
        np.testing.assert_array_equal(arr(fg.diag(v, k)), np.diag(npgrid(3) + 1, k))
    m = grid(3, 4)
    for k in (-3, -1, 0, 2, 5):
        np.testing.assert_array_equal(arr(m.diag(k)), np.diag(npgrid(3, 4), k))
    np.testing.assert_array_equal(arr(m.t().diag()), np.diag(npgrid(3, 4).T))
    assert fg.diag(fg.tensor([1, 2])).dtype == fg.int64
    raises(RuntimeError, "diag(): Supports 1D or 2D tensors. Got 3D", lambda: fg.ones(2, 3, 4).diag())
    t = leaf(3)
    assert name(fg.diag(t)) == "DiagEmbedBackward0"
    assert name(fg.diag(leaf(3, 3))) == "DiagonalBackward0_copy"
    check(lambda t: fg.diag(t, -1), leaf(3))
    check(lambda t: t.diag(1), leaf(3, 4))


def test_trace():
    x = grid(3, 4)
    assert x.trace().item() == np.trace(npgrid(3, 4))
    assert tuple(x.trace().shape) == ()
    assert fg.trace(grid(4, 2)).item() == np.trace(npgrid(4, 2))
    assert fg.ones(2, 2, dtype=fg.int64).trace().dtype == fg.int64
    raises(RuntimeError, "trace: expected a matrix, but got tensor with dim 1", lambda: fg.ones(3).trace())
    raises(NotImplementedError, "\"trace\" not implemented for 'Bool'", lambda: fg.ones(2, 2, dtype=fg.bool).trace())
    t = leaf(3, 4)
    assert name(t.trace()) == "TraceBackward0"
    t.trace().backward()
    np.testing.assert_array_equal(arr(t.grad), np.eye(3, 4))
    check(lambda t: t.trace(), leaf(3, 2))
    check(lambda t: (t * t).trace(), leaf(3, 3))


def test_narrow_copy():
    x = grid(3, 4)
    c = x.narrow_copy(1, 1, 2)
    np.testing.assert_array_equal(arr(c), npgrid(3, 4)[:, 1:3])
    c.add_(100)
    assert x[0, 1].item() == 1.0
    np.testing.assert_array_equal(arr(fg.narrow_copy(x, 0, -2, 2)), npgrid(3, 4)[1:])
    raises(RuntimeError, "start (1) + length (5) exceeds dimension size (3).", lambda: x.narrow_copy(0, 1, 5))
    raises(IndexError, "start out of range (expected to be in range of [-3, 3], but got 4)", lambda: x.narrow_copy(0, 4, 0))
    raises(IndexError, "start out of range (expected to be in range of [-4, 4], but got -5)", lambda: x.narrow_copy(1, -5, 1))
    raises(RuntimeError, "narrow() cannot be applied to a 0-dim tensor.", lambda: fg.tensor(1.0).narrow_copy(0, 0, 1))
    t = leaf(3, 4)
    assert name(t.narrow_copy(0, 1, 1)) == "NarrowCopyBackward0"
    check(lambda t: t.narrow_copy(1, 1, 2), leaf(3, 4))


# --- higher order and graph structure ------------------------------------------------


def test_double_backward_through_shape_ops():
    x = leaf(2, 3)
    fns = [
        lambda t: fg.cat([t, t * t], 1),
        lambda t: fg.stack([t * t, t]),
        lambda t: (t * t).split(1),
        lambda t: (t * t).unbind(1),
        lambda t: (t * t).flip(1),
        lambda t: (t * t).roll(1),
        lambda t: (t * t).repeat(2, 1),
        lambda t: (t * t).tril(),
        lambda t: (t * t).diagonal(),
        lambda t: (t * t).trace(),
        lambda t: fg.diag((t * t)[0]),
        lambda t: (t * t).narrow_copy(1, 0, 2),
        lambda t: (t * t).rot90(),
        lambda t: (t * t).diag_embed(),
        lambda t: fg.block_diag(t * t, t),
    ]
    for fn in fns:
        assert fg.autograd.gradgradcheck(fn, (x,)) is True


def test_next_functions_of_multi_output_node():
    x = leaf(4, 2)
    a, b = x.split(2)
    node = a.grad_fn
    assert b.grad_fn is node
    assert type(node.next_functions[0][0]).__name__ == "AccumulateGrad"
    (a.sum() + 2 * b.sum()).backward()
    np.testing.assert_array_equal(arr(x.grad), [[1, 1], [1, 1], [2, 2], [2, 2]])


def test_keyword_forms():
    x = grid(2, 3)
    n = npgrid(2, 3)
    np.testing.assert_array_equal(arr(fg.cat([x, x], axis=1)), np.concatenate([n, n], 1))
    np.testing.assert_array_equal(arr(fg.concat([x, x], axis=1)), np.concatenate([n, n], 1))
    assert tuple(fg.stack([x, x], axis=1).shape) == (2, 2, 3)
    assert [tuple(p.shape) for p in x.tensor_split(sections=2)] == [(1, 3), (1, 3)]
    assert [tuple(p.shape) for p in x.tensor_split(indices=[1], dim=1)] == [(2, 1), (2, 2)]
    np.testing.assert_array_equal(arr(x.flip(dims=(0,))), np.flip(n, 0))
    np.testing.assert_array_equal(arr(x.repeat(repeats=(2, 1))), np.tile(n, (2, 1)))
    np.testing.assert_array_equal(arr(fg.tile(x, dims=(2,))), np.tile(n, 2))
    np.testing.assert_array_equal(arr(x.repeat_interleave(repeats=2, dim=0)), np.repeat(n, 2, 0))
    raises(TypeError, "flip(): argument 'dims' (position 2) must be tuple of ints, not int", lambda: fg.flip(x, 0))


def test_hsplit_vsplit_dsplit():
    x = grid(4, 6)
    n = npgrid(4, 6)
    for got, ref in zip(x.hsplit(3), np.hsplit(n, 3), strict=True):
        np.testing.assert_array_equal(arr(got), ref)
    for got, ref in zip(fg.hsplit(x, [1, 4]), np.hsplit(n, [1, 4]), strict=True):
        np.testing.assert_array_equal(arr(got), ref)
    for got, ref in zip(fg.vsplit(x, 2), np.vsplit(n, 2), strict=True):
        np.testing.assert_array_equal(arr(got), ref)
    for got, ref in zip(fg.hsplit(grid(4), 2), np.hsplit(npgrid(4), 2), strict=True):
        np.testing.assert_array_equal(arr(got), ref)
    for got, ref in zip(grid(2, 2, 4).dsplit([1]), np.dsplit(npgrid(2, 2, 4), [1]), strict=True):
        np.testing.assert_array_equal(arr(got), ref)
    raises(RuntimeError, "torch.hsplit attempted to split along dimension 1, but the size of the dimension 6 is not divisible by the split_size 4!", lambda: x.hsplit(4))
    raises(RuntimeError, "torch.vsplit attempted to split along dimension 0, but the size of the dimension 4 is not divisible by the split_size 3!", lambda: x.vsplit(3))
    raises(RuntimeError, "torch.hsplit requires a tensor with at least 1 dimension, but got a tensor with 0 dimensions!", lambda: fg.tensor(1.0).hsplit(1))
    raises(RuntimeError, "torch.vsplit requires a tensor with at least 2 dimension, but got a tensor with 1 dimensions!", lambda: fg.ones(3).vsplit(1))
    raises(RuntimeError, "torch.dsplit requires a tensor with at least 3 dimension, but got a tensor with 2 dimensions!", lambda: x.dsplit(1))
    t = leaf(2, 4)
    assert [name(p) for p in t.hsplit(2)] == ["SliceBackward0"] * 2
    check(lambda t: t.vsplit([1]), leaf(3, 2))


def test_rot90():
    x = grid(3, 4)
    n = npgrid(3, 4)
    for k in range(-5, 6):
        np.testing.assert_array_equal(arr(x.rot90(k)), np.rot90(n, k))
        np.testing.assert_array_equal(arr(fg.rot90(x, k, (1, 0))), np.rot90(n, k, (1, 0)))
    y = grid(2, 3, 4)
    np.testing.assert_array_equal(arr(y.rot90(1, [2, 0])), np.rot90(npgrid(2, 3, 4), 1, (2, 0)))
    raises(RuntimeError, "expected total rotation dims == 2, but got dims = 1", lambda: x.rot90(1, (0,)))
    raises(RuntimeError, "expected total dims >= 2, but got total dims = 1", lambda: fg.ones(3).rot90())
    raises(RuntimeError, "expected rotation dims to be different, but got dim0 = 0 and dim1 = -2", lambda: x.rot90(1, (0, -2)))
    t = leaf(3, 4)
    assert name(t.rot90()) == "Rot90Backward0"
    assert name(t.rot90(4)) == "Rot90Backward0"
    for k in range(4):
        check(lambda t, k=k: t.rot90(k, (0, 2)), leaf(2, 3, 2))


def test_diag_embed_and_diagflat():
    x = grid(2, 3) + 1
    out = fg.diag_embed(x)
    assert tuple(out.shape) == (2, 3, 3)
    for i in range(2):
        np.testing.assert_array_equal(arr(out[i]), np.diag(npgrid(2, 3)[i] + 1))
    out = x.diag_embed(1, 0, 2)
    assert tuple(out.shape) == (4, 2, 4)
    for i in range(2):
        np.testing.assert_array_equal(arr(out[:, i, :]), np.diag(npgrid(2, 3)[i] + 1, 1))
    np.testing.assert_array_equal(arr(fg.diagflat(x, -1)), np.diagflat(npgrid(2, 3) + 1, -1))
    np.testing.assert_array_equal(arr(fg.diagflat(fg.tensor(3.0))), [[3.0]])
    raises(RuntimeError, "diagonal dimensions cannot be identical 0, 0", lambda: fg.diag_embed(x, 0, 0, 0))
    raises(IndexError, "Dimension out of range (expected to be in range of [-3, 2], but got 3)", lambda: fg.diag_embed(x, 0, 0, 3))
    t = leaf(2, 3)
    assert name(t.diag_embed()) == "DiagEmbedBackward0"
    assert name(t.diagflat()) == "DiagEmbedBackward0"
    check(lambda t: t.diag_embed(-1, 2, 0), leaf(2, 3))
    check(lambda t: fg.diagflat(t, 1), leaf(2, 2))


def test_block_diag():
    a, b = grid(2, 2) + 1, grid(3) + 10
    out = fg.block_diag(a, b, fg.tensor(7.0), fg.ones(0, 2))
    ref = np.zeros((4, 8), np.float32)
    ref[:2, :2] = npgrid(2, 2) + 1
    ref[2, 2:5] = npgrid(3) + 10
    ref[3, 5] = 7
    np.testing.assert_array_equal(arr(out), ref)
    assert tuple(fg.block_diag().shape) == (1, 0)
    assert fg.block_diag(fg.ones(2, dtype=fg.int64), fg.ones(1, 2)).dtype == fg.float32
    assert fg.block_diag(fg.ones(2, dtype=fg.int64)).dtype == fg.int64
    raises(RuntimeError, "torch.block_diag: Input tensors must have 2 or fewer dimensions. Input 0 has 3 dimensions", lambda: fg.block_diag(fg.ones(2, 2, 2)))
    x, y = leaf(2, 3), leaf(2)
    assert name(fg.block_diag(x, y)) == "BlockDiagBackward0"
    check(lambda x, y, z: fg.block_diag(x.t(), y, z), leaf(2, 3), leaf(2), leaf(()))


def test_atleast_nd_of_nothing_is_an_empty_tuple():
    # PyTorch 2.13: torch.atleast_1d() == ()
    assert fg.atleast_1d() == () and fg.atleast_2d() == () and fg.atleast_3d() == ()
