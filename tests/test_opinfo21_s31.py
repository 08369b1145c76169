"""Session 31 (helper opinfo21): the operators PyTorch's OpInfo database calls that
ferrograd lacked. `ops.aten` holds PyTorch's built-in operators by their ATen names
(kernels named only there, such as `max_pool2d_with_indices_backward`, and every
ferrograd function by its own name); `grid_sampler_2d`/`3d`, `_chunk_cat`, the masked
index kernels, `_native_batch_norm_legit` and the anti-aliased upsampling kernels.
Expected values are PyTorch's."""

import pytest
from backend import fg

aten = fg.ops.aten
F64 = fg.float64


def t64(values, requires_grad=False):
    return fg.tensor(values, dtype=F64, requires_grad=requires_grad)


def close(t, expected):
    """`t` equals PyTorch's values up to rounding (sums may run in another order)."""
    flat = fg.tensor(expected, dtype=F64).reshape(-1).tolist()
    return t.detach().reshape(-1).tolist() == pytest.approx(flat, rel=1e-13, abs=1e-15)


# ---------------------------------------------------------------- ops.aten
POOL_INPUT = [[[[1., 5., 2., 0.], [3., 4., 8., 1.], [0., 2., 6., 7.], [9., 1., 3., 2.]]]]


def test_max_pool2d_with_indices_backward_scatters_by_index():
    x = t64(POOL_INPUT, requires_grad=True)
    _, indices = fg.nn.functional.max_pool2d_with_indices(x, 2, 2, return_indices=True)
    assert indices.tolist() == [[[[1, 6], [12, 11]]]]
    g = t64([[[[1., 2.], [3., 4.]]]], requires_grad=True)
    r = aten.max_pool2d_with_indices_backward.default(g, x, [2, 2], [2, 2], [0, 0], [1, 1], False, indices)
    assert r.tolist() == [[[[0., 1., 0., 0.], [0., 0., 2., 0.], [0., 0., 0., 4.], [3., 0., 0., 0.]]]]
    assert r.grad_fn.name() == "MaxPool2DWithIndicesBackwardBackward0"
    weights = fg.arange(16., dtype=F64).reshape(1, 1, 4, 4)
    grad_g, grad_x = fg.autograd.grad(r, [g, x], weights)
    assert grad_g.tolist() == [[[[1., 6.], [12., 11.]]]]
    assert grad_x.tolist() == [[[[0.] * 4] * 4]]  # PyTorch's zeros for the input
    assert fg.autograd.gradcheck(
        lambda go: aten.max_pool2d_with_indices_backward(go, x, [2, 2], [2, 2], [0, 0], [1, 1], False, indices),
        (g,))


def test_aten_names_print_as_pytorch():
    op = aten.max_pool2d_with_indices_backward
    assert repr(op) == "<OpOverloadPacket(op='aten.max_pool2d_with_indices_backward')>"
    assert repr(op.default) == "<OpOverload(op='aten.max_pool2d_with_indices_backward', overload='default')>"
    assert str(aten.slice.Tensor) == "aten.slice.Tensor"
    assert aten.slice.Tensor.name() == "aten::slice.Tensor"
    assert aten.add.Tensor.name() == "aten::add.Tensor"
    assert aten.add.default.name() == "aten::add"


def test_aten_unknown_names_raise_attribute_error():
    with pytest.raises(AttributeError):
        getattr(aten, "no_such_operator_here")  # noqa: B009
    with pytest.raises(AttributeError, match="The underlying op of 'aten.slice' has no overload name 'nope'"):
        getattr(aten.slice, "nope")  # noqa: B009


def test_aten_namesakes_are_the_functions():
    assert aten.add.Tensor(fg.tensor([1., 2.]), fg.tensor([3., 4.]), alpha=2).tolist() == [7., 10.]
    assert aten.linalg_vector_norm(fg.tensor([3., 4.])).item() == 5.0
    assert aten.mul_.Tensor(fg.tensor([1., 2.]), 3).tolist() == [3., 6.]


def test_softmax_backward_data():
    out = t64([[0.25, 0.25, 0.5], [0.1, 0.6, 0.3]], requires_grad=True)
    g = t64([[1., -2., 0.5], [3., 0., -1.]], requires_grad=True)
    r = aten._softmax_backward_data(g, out, 1, F64)
    assert r.tolist() == [[0.25, -0.5, 0.25], [0.30000000000000004, -3.3306690738754695e-17, -0.3]]
    assert r.grad_fn.name() == "SoftmaxBackwardDataBackward0"
    assert fg.autograd.gradcheck(lambda a, b: aten._softmax_backward_data(a, b, 1, F64), (g, out))
    # the result keeps the gradient's dtype on CPU, whatever input_dtype says
    assert aten._softmax_backward_data(g.float(), out.float(), 1, F64).dtype == fg.float32
    with pytest.raises(RuntimeError, match="^expected scalar type Float but found Double$"):
        aten._softmax_backward_data(g.float(), out, 1, fg.float32)
    with pytest.raises(RuntimeError, match="^expected scalar type Float but found Half$"):
        aten._softmax_backward_data(g.float(), out.float(), 1, fg.float16)


def test_safe_softmax_gives_zeros_and_zero_gradient_where_all_masked():
    inf = float("inf")
    x = t64([[1., -inf, 2.], [-inf, -inf, -inf]], requires_grad=True)
    r = aten._safe_softmax.default(x, 1)
    assert r.tolist() == [[0.26894142136999516, 0.0, 0.7310585786300049], [0., 0., 0.]]
    assert r.grad_fn.name() == "SafeSoftmaxBackward0"
    (grad,) = fg.autograd.grad(r, x, t64([[1., 2., 3.], [4., 5., 6.]]))
    assert grad.tolist() == [[-0.3932238664829638, -0.0, 0.39322386648296354], [0., 0., 0.]]
    finite = t64([[0.5, -1., 2.], [0.1, 0.2, 0.3]], requires_grad=True)
    assert fg.autograd.gradcheck(lambda a: aten._safe_softmax(a, 1), (finite,))


def test_native_dropout_backward():
    g = t64([[1., -2., 0.5], [3., 0., -1.]], requires_grad=True)
    mask = fg.tensor([[True, False, True], [False, True, True]])
    r = aten.native_dropout_backward.default(g, mask, 2.0)
    assert r.tolist() == [[2., -0., 1.], [0., 0., -2.]]
    assert r.grad_fn.name() == "NativeDropoutBackwardBackward0"
    assert fg.autograd.gradcheck(lambda a: aten.native_dropout_backward(a, mask, 2.0), (g,))


def test_slice():
    y = fg.arange(12., dtype=F64, requires_grad=True)
    r = aten.slice.Tensor(y.reshape(3, 4), 1, 1, 4, 2)
    assert r.tolist() == [[1., 3.], [5., 7.], [9., 11.]]
    assert r.grad_fn.name() == "SliceBackward0"
    assert aten.slice(y.reshape(3, 4), 0, -2).tolist() == [[4., 5., 6., 7.], [8., 9., 10., 11.]]
    assert fg.autograd.gradcheck(lambda a: aten.slice.Tensor(a.reshape(3, 4), 1, 1, 4, 2), (y,))


def test_upsample_bilinear2d_aa_overloads():
    x = fg.arange(24., dtype=F64).reshape(1, 1, 4, 6)
    expected = [[[[4.999999999999999, 6.785714285714286, 8.571428571428571],
                  [14.428571428571427, 16.21428571428571, 18.0]]]]
    assert close(aten._upsample_bilinear2d_aa(x, [2, 3], False, None), expected)
    assert close(aten._upsample_bilinear2d_aa.vec(x, None, False, [0.5, 0.5]), expected)
    # the default overload maps coordinates with the scales given, not the sizes
    assert close(aten._upsample_bilinear2d_aa.default(x, [2, 3], True, 0.4, 0.6),
                 [[[[8.499999999999998, 10.739999999999998, 12.200000000000001],
                    [17.0, 19.240000000000002, 20.700000000000003]]]])
    leaf = x.clone().requires_grad_()
    assert aten._upsample_bilinear2d_aa(leaf, [2, 3], False, None).grad_fn.name() == "UpsampleBilinear2DAaBackward0"
    assert fg.autograd.gradcheck(lambda a: aten._upsample_bilinear2d_aa(a, [3, 4], False, None), (leaf,))


# ---------------------------------------------------------------- top-level functions
def test_grid_sampler_2d_and_3d():
    x = fg.arange(9., dtype=F64).reshape(1, 1, 3, 3).requires_grad_()
    grid = t64([[[[-1., -1.], [0.5, 0.]], [[0.25, 0.75], [1., 1.]]]], requires_grad=True)
    r = fg.grid_sampler_2d(x, grid, 0, 1, False)
    assert r.tolist() == [[[[0.0, 4.75], [7.375, 8.0]]]]
    assert r.grad_fn.name() == "GridSampler2DBackward0"
    assert fg.grid_sampler_2d(x, grid, 1, 0, True).tolist() == [[[[0.0, 5.0], [7.0, 8.0]]]]
    inner = t64([[[[-0.3, 0.2], [0.4, -0.1]]]], requires_grad=True)
    assert fg.autograd.gradcheck(lambda a, g: fg.grid_sampler_2d(a, g, 0, 0, False), (x, inner))
    x3 = fg.arange(8., dtype=F64).reshape(1, 1, 2, 2, 2).requires_grad_()
    g3 = t64([[[[[0., 0., 0.], [1., -1., 0.5]]]]])
    r = fg.grid_sampler_3d(x3, g3, 0, 0, True)
    assert r.tolist() == [[[[[3.5, 4.0]]]]]
    assert r.grad_fn.name() == "GridSampler3DBackward0"


def test_grid_sampler_nd_refuses_the_other_rank():
    x = fg.zeros(1, 1, 3, 3, dtype=F64)
    grid = fg.zeros(1, 2, 2, 2, dtype=F64)
    x3 = fg.zeros(1, 1, 2, 2, 2, dtype=F64)
    g3 = fg.zeros(1, 1, 1, 2, 3, dtype=F64)
    with pytest.raises(RuntimeError, match=r"^grid_sampler\(\): expected 4D input and grid with same number of "
                       r"dimensions, but got input with sizes \[1, 1, 2, 2, 2\] and grid with sizes \[1, 1, 1, 2, 3\]$"):
        fg.grid_sampler_2d(x3, g3, 0, 0, False)
    with pytest.raises(RuntimeError, match=r"^grid_sampler\(\): expected 5D input and grid with same number of "
                       r"dimensions, but got input with sizes \[1, 1, 3, 3\] and grid with sizes \[1, 2, 2, 2\]$"):
        fg.grid_sampler_3d(x, grid, 0, 0, False)


def test_chunk_cat():
    p = fg.arange(1., 6.).reshape(1, 5)
    q = fg.arange(10., 13.).reshape(1, 3)
    assert fg._chunk_cat([p, q], 1, 2).tolist() == [[[1., 2., 3., 10., 11.], [4., 5., 0., 12., 0.]]]
    assert fg._chunk_cat([fg.arange(6.).reshape(3, 2)], 0, 2).tolist() == [[0., 1., 2., 3.], [4., 5., 0., 0.]]
    r = fg._chunk_cat([p.requires_grad_()], 1, 2)
    assert r.grad_fn.name() == "torch::autograd::NotImplemented"
    with pytest.raises(RuntimeError, match="^derivative for aten::_chunk_cat is not implemented$"):
        r.sum().backward()


@pytest.mark.parametrize(("tensors", "dim", "chunks", "error", "message"), [
    ([], 0, 1, RuntimeError, "_chunk_cat expects a non-empty input tensor list"),
    ([(2,)], 0, 0, RuntimeError, "_chunk_cat expects positive num_chunks"),
    ([(2, 5)], 2, 2, IndexError, r"Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)"),
    ([(2, 3), (4,)], -1, 3, RuntimeError,
     "_chunk_cat expects non-negative dim when input tensors have different ndims"),
    ([(2, 3), (4,)], 1, 3, RuntimeError, "_chunk_cat expects dim < ndim for all input tensors"),
    ([(2, 3, 4), (4, 3)], 1, 3, RuntimeError,
     r"_chunk_cat expects same sizes of 0,...,dim-1 dimensions for all tensors"),
    ([(0,), (3,)], 0, 1, RuntimeError, "_chunk_cat expects non-empty tensor"),
])
def test_chunk_cat_refusals(tensors, dim, chunks, error, message):
    with pytest.raises(error, match=f"^{message}$"):
        fg._chunk_cat([fg.zeros(*shape) for shape in tensors], dim, chunks)


def test_chunk_cat_refuses_mixed_dtypes():
    with pytest.raises(RuntimeError, match="^_chunk_cat expects all input tensors with the same dtype$"):
        fg._chunk_cat([fg.zeros(2, 3), fg.zeros(2, 3, dtype=F64)], 1, 1)


def test_unsafe_masked_index_clamps_and_fills():
    x = fg.arange(12., dtype=F64).reshape(4, 3).requires_grad_()
    mask = fg.tensor([True, False, True])
    index = fg.tensor([0, 7, -9])
    r = fg._unsafe_masked_index(x, mask, [index], 0.5)
    assert r.tolist() == [[0., 0.5, 2.], [9., 0.5, 11.], [0., 0.5, 2.]]
    assert r.grad_fn.name() == "UnsafeMaskedIndexBackward0"
    (grad,) = fg.autograd.grad(r, x, fg.ones(3, 3, dtype=F64))
    assert grad.tolist() == [[2., 0., 2.], [0., 0., 0.], [0., 0., 0.], [1., 0., 1.]]
    assert fg.autograd.gradcheck(lambda a: fg._unsafe_masked_index(a, mask, [index], 0.5), (x,))


def test_unsafe_masked_index_put_accumulate():
    x = fg.arange(12., dtype=F64).reshape(4, 3).requires_grad_()
    mask = fg.tensor([True, False, True])
    index = fg.tensor([0, 7, -9])
    values = fg.full((3, 3), 10., dtype=F64, requires_grad=True)
    r = fg._unsafe_masked_index_put_accumulate(x, mask, [index], values)
    assert r.tolist() == [[20., 1., 22.], [3., 4., 5.], [6., 7., 8.], [19., 10., 21.]]
    assert r.grad_fn.name() == "UnsafeMaskedIndexPutAccumulateBackward0"
    grad_x, grad_values = fg.autograd.grad(r, [x, values], fg.arange(12., dtype=F64).reshape(4, 3))
    assert grad_x.tolist() == [[0., 1., 2.], [3., 4., 5.], [6., 7., 8.], [9., 10., 11.]]
    assert grad_values.tolist() == [[0., 0., 2.], [9., 0., 11.], [0., 0., 2.]]
    assert fg.autograd.gradcheck(
        lambda a, v: fg._unsafe_masked_index_put_accumulate(a, mask, [index], v), (x, values))
    flags = fg.zeros(2, 2, dtype=fg.bool)  # bool values stay bool
    put = fg._unsafe_masked_index_put_accumulate(flags, fg.tensor([True, True]), [fg.tensor([1])],
                                                 fg.ones(1, 2, dtype=fg.bool))
    assert put.tolist() == [[False, False], [True, True]]


BN_INPUT = [[[1., 2.], [3., 5.]], [[0., -1.], [4., 4.]]]


def test_native_batch_norm_legit_both_overloads():
    x = t64(BN_INPUT, requires_grad=True)
    mean, var = fg.zeros(2, dtype=F64), fg.ones(2, dtype=F64)
    out, save_mean, save_rstd = fg._native_batch_norm_legit(x, None, None, mean, var, True, 0.5, 1e-5)
    assert close(out, [[[0.447211806656309, 1.3416354199689269], [-1.4141994204496, 1.4141994204496]],
                       [[-0.447211806656309, -1.3416354199689269], [0.0, 0.0]]])
    assert save_mean.tolist() == [0.5, 4.0]
    assert close(save_rstd, [0.894423613312618, 1.4141994204496])
    assert out.grad_fn.name() == "NativeBatchNormLegitBackward0"
    assert mean.tolist() == [0.25, 2.0]
    assert close(var, [1.3333333333333335, 0.8333333333333333])
    out, save_mean, save_rstd = fg._native_batch_norm_legit(x, None, None, True, 0.5, 1e-5)
    assert out.grad_fn.name() == "NativeBatchNormLegitBackward1"
    assert close(save_rstd, [0.894423613312618, 1.4141994204496])
    assert fg.autograd.gradcheck(lambda a: fg._native_batch_norm_legit(a, None, None, True, 0.5, 1e-5)[0], (x,))


def test_batch_norm_with_update():
    x = t64(BN_INPUT, requires_grad=True)
    mean, var = fg.zeros(2, dtype=F64), fg.ones(2, dtype=F64)
    out, _, _, reserve = aten._batch_norm_with_update(x, None, None, mean, var, 0.5, 1e-5)
    assert out.grad_fn.name() == "BatchNormWithUpdateBackward0"
    assert reserve.dtype == fg.uint8 and tuple(reserve.shape) == (0,)
    assert mean.tolist() == [0.25, 2.0]
    assert close(var, [1.3333333333333335, 0.8333333333333333])


# ---------------------------------------------------------------- out= overlap after resizing
def test_out_growing_within_an_inputs_storage_is_checked_after_the_resize():
    index = fg.tensor([2, 1, 0])
    with pytest.raises(RuntimeError, match="^unsupported operation: some elements of the input tensor and the "
                       "written-to tensor refer to a single memory location"):
        fg.gather(index.clone(), 0, index[1:], out=index[:1])
    # an `out` whose resize takes new memory shares nothing
    out = fg.tensor([7])
    with pytest.warns(UserWarning, match="An output with one or more elements was resized"):
        fg.gather(fg.tensor([5, 6, 7]), 0, fg.tensor([2, 0]), out=out)
    assert out.tolist() == [7, 5]


# ---------------------------------------------------------------- sparse.mm with reduce=
SPARSE_MM = {
    "sum": ([[8., 11.], [0., 0.], [2., 4.]], [[1., 0., 9.], [0., 0., 0.], [0., 5., 9.]],
            [[1., 1.], [3., 3.], [1., 1.]]),
    "mean": ([[4., 5.5], [0., 0.], [1., 2.]], [[0.5, 0., 4.5], [0., 0., 0.], [0., 2.5, 4.5]],
             [[0.5, 0.5], [1.5, 1.5], [0.5, 0.5]]),
    "amax": ([[8., 10.], [0., 0.], [6., 9.]], [[0., 0., 9.], [0., 0., 0.], [0., 5., 0.]],
             [[0., 0.], [3., 3.], [2., 2.]]),
    "amin": ([[0., 1.], [0., 0.], [-4., -5.]], [[1., 0., 0.], [0., 0., 0.], [0., 0., 9.]],
             [[1., 1.], [0., 0.], [-1., -1.]]),
}


@pytest.mark.filterwarnings("ignore:Sparse CSR tensor support is in beta state")
@pytest.mark.parametrize("reduce", sorted(SPARSE_MM))
def test_sparse_mm_reduce_of_a_csr_matrix(reduce):
    values, grad_a, grad_b = SPARSE_MM[reduce]
    a = t64([[1., 0., 2.], [0., 0., 0.], [0., 3., -1.]]).to_sparse_csr().requires_grad_()
    b = fg.arange(6., dtype=F64).reshape(3, 2).requires_grad_()
    out = fg.sparse.mm(a, b, reduce)
    assert out.tolist() == values
    assert out.grad_fn.name() == "SparseMmReduceImplBackward0"
    ga, gb = fg.autograd.grad(out, [a, b], fg.ones(3, 2, dtype=F64))
    assert ga.layout == fg.sparse_csr
    assert ga.to_dense().tolist() == grad_a
    assert gb.tolist() == grad_b
    assert fg.autograd.gradcheck(lambda m: fg.sparse.mm(a.detach(), m, reduce), (b,))


@pytest.mark.filterwarnings("ignore:Sparse CSR tensor support is in beta state")
def test_sparse_mm_reduce_refusals():
    a = fg.tensor([[1., 0., 2.], [0., 0., 0.], [0., 3., -1.]]).to_sparse_csr()
    b = fg.arange(6.).reshape(3, 2)
    with pytest.raises(RuntimeError, match="^Expected tensor to have Strided Layout, but got tensor with SparseCsr "
                       r"Layout \(while checking arguments for sparse_mm_reduce\)$"):
        fg.sparse.mm(a, b.to_sparse_csr(), "sum")
    with pytest.raises(RuntimeError, match="^Expected a tensor of dimension 2 and tensor.size\\[0\\] == 3 but got: "
                       "dimension 2 and tensor.size\\[0\\] = 2$"):
        fg.sparse.mm(a, fg.ones(2, 2), "sum")


# ---------------------------------------------------------------- sparse.sampled_addmm
@pytest.mark.filterwarnings("ignore:Sparse CSR tensor support is in beta state")
def test_sparse_sampled_addmm_and_its_gradients_from_a_gradient_of_its_sparsity():
    pattern = [[1., 0., 2.], [0., 0., 0.], [0., 3., -1.]]
    a = t64(pattern).to_sparse_csr().requires_grad_()
    m1 = fg.arange(6., dtype=F64).reshape(3, 2).requires_grad_()
    m2 = fg.arange(6., dtype=F64).reshape(2, 3).requires_grad_()
    out = fg.sparse.sampled_addmm(a, m1, m2, beta=0.5, alpha=2.)
    assert out.layout == fg.sparse_csr
    assert out.crow_indices().tolist() == [0, 2, 2, 4]
    assert out.values().tolist() == [6.5, 11.0, 49.5, 65.5]
    assert out.grad_fn.name() == "SparseSampledAddmmBackward0"
    ga, g1, g2 = fg.autograd.grad(out, [a, m1, m2], t64(pattern).to_sparse_csr())
    assert ga.layout == fg.sparse_csr
    assert ga.to_dense().tolist() == [[0.5, 0., 1.], [0., 0., 0.], [0., 1.5, -0.5]]
    assert g1.tolist() == [[8., 26.], [0., 0.], [2., 14.]]
    assert g2.tolist() == [[0., 24., -8.], [2., 30., -6.]]
    assert fg.autograd.gradcheck(
        lambda x, y: fg.sparse.sampled_addmm(a.detach(), x, y, beta=0.5, alpha=2.).values(), (m1, m2))


@pytest.mark.filterwarnings("ignore:Sparse CSR tensor support is in beta state")
def test_sparse_sampled_addmm_refusals():
    a = fg.tensor([[1., 0., 2.], [0., 0., 0.], [0., 3., -1.]]).to_sparse_csr()
    m1 = fg.arange(6.).reshape(3, 2)
    m2 = fg.arange(6.).reshape(2, 3)
    cases = [((a, m1, m2.mT), r"sampled_addmm: mat1 and mat2 shapes cannot be multiplied \(3x2 and 3x2\)"),
             ((a, m1.double(), m2), ("sampled_addmm: Expected mat1 and mat2 to have the same dtype, but got "
                                     "Double and Float")),
             ((a, m1[:2], m2), r"sampled_addmm: self.shape\[-2\] must match mat1.shape\[-2\]"),
             ((a, m1.reshape(-1), m2), "sampled_addmm: Expected mat1 to be a matrix, got 1-D tensor")]
    for args, message in cases:
        with pytest.raises(RuntimeError, match=f"^{message}$"):
            fg.sparse.sampled_addmm(*args)


@pytest.mark.filterwarnings("ignore:Sparse CSR tensor support is in beta state")
def test_csr_without_stored_entries_to_dense():
    assert fg.zeros(2, 3).to_sparse_csr().to_dense().tolist() == [[0.] * 3] * 2
    assert tuple(fg.zeros(0, 5).to_sparse_csr().to_dense().shape) == (0, 5)
    assert tuple(fg.zeros(2, 0, 3).to_sparse_csr().to_dense().shape) == (2, 0, 3)


def test_grad_of_a_sparse_coo_output_from_a_gradient_of_its_sparsity():
    a = t64([[1., 0.], [0., 2.]]).to_sparse_coo().requires_grad_()
    out = a * 3
    (grad,) = fg.autograd.grad(out, [a], t64([[1., 0.], [0., 2.]]).to_sparse())
    assert grad.to_dense().tolist() == [[3., 0.], [0., 6.]]
