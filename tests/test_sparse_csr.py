"""Sparse CSR tensors against PyTorch 2.13 (CPU): each case is an expression, evaluated
with `T = ferrograd`, and PyTorch's repr of its result or its exception type and
message (the first 160 characters), with `torch.` written `ferrograd.`. Gradients of
the products are checked against PyTorch's values and by finite differences."""

import ferrograd as T
import pytest


def _setup() -> dict:
    g = {"T": T, "sparse_csr_tensor": T.sparse_csr_tensor, "sparse_coo_tensor": T.sparse_coo_tensor}
    g["c"] = T.tensor([0, 2, 3])
    g["k"] = T.tensor([0, 2, 1])
    g["v"] = T.tensor([1.0, 2.0, 3.0])
    g["s"] = T.sparse_csr_tensor(g["c"], g["k"], g["v"], (2, 3))
    g["g"] = T.sparse_csr_tensor(g["c"], g["k"], T.tensor([1.0, 2.0, 3.0], dtype=T.float64), requires_grad=True)
    g["d"] = T.arange(6.0, dtype=T.float64).reshape(3, 2)
    g["b"] = T.sparse_csr_tensor(T.tensor([[0, 1, 2], [0, 1, 2]]), T.tensor([[0, 1], [0, 1]]),
                                 T.tensor([[1.0, 2], [3, 4]]))  # batched: 2 matrices of 2 elements each
    return g


def _outcome(expr: str) -> str:
    try:
        return "-> " + repr(eval(expr, _setup()))
    except Exception as e:  # noqa: BLE001 (the exception is what is compared)
        return f"!! {type(e).__name__}: {str(e)[:160]}"


# (expression, what PyTorch 2.13 gives)
CASES = [
    ('s',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 2., 3.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csr)'),
    ('sparse_csr_tensor(c, k, v)',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 2., 3.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csr)'),
    ('sparse_csr_tensor(c, k, T.tensor([1, 2, 3]))',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1, 2, 3]), size=(2, 3), nnz=3, layout=ferrograd.sparse_csr)'),
    ('sparse_csr_tensor([0, 2, 3], [0, 2, 1], [1., 2, 3], dtype=T.float64)',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 2., 3.]), size=(2, 3), nnz=3, dtype=ferrograd.float64,\n       layout=ferrograd.sparse_csr)'),
    ('sparse_csr_tensor(c, k, v, (2, 3), dtype=T.int32)',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1, 2, 3]), size=(2, 3), nnz=3, dtype=ferrograd.int32,\n       layout=ferrograd.sparse_csr)'),
    ('sparse_csr_tensor(c, k, v.double(), requires_grad=True)',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 2., 3.]), size=(2, 3), nnz=3, dtype=ferrograd.float64,\n       layout=ferrograd.sparse_csr, requires_grad=True)'),
    ('sparse_csr_tensor(T.tensor([0]), T.tensor([], dtype=T.int64), T.tensor([]))',
     '-> tensor(crow_indices=tensor([0]),\n       col_indices=tensor([], size=(0,)),\n       values=tensor([], size=(0,)), size=(0, 0), nnz=0,\n       layout=ferrograd.sparse_csr)'),
    ('sparse_csr_tensor(c, k, v.reshape(3, 1))',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([[1.],\n                      [2.],\n                      [3.]]), size=(2, 3, 1), nnz=3, layout=ferrograd.sparse_csr)'),
    ('b',
     '-> tensor(crow_indices=tensor([[0, 1, 2],\n                            [0, 1, 2]]),\n       col_indices=tensor([[0, 1],\n                           [0, 1]]),\n       values=tensor([[1., 2.],\n                      [3., 4.]]), size=(2, 2, 2), nnz=2,\n       layout=ferrograd.sparse_csr)'),
    ('b.to_dense()',
     '-> tensor([[[1., 0.],\n         [0., 2.]],\n\n        [[3., 0.],\n         [0., 4.]]])'),
    ('(s.layout, T.sparse_csr, s.is_sparse, s.is_sparse_csr, v.is_sparse_csr, v.layout)',
     '-> (ferrograd.sparse_csr, ferrograd.sparse_csr, False, True, False, ferrograd.strided)'),
    ('(s._nnz(), s.sparse_dim(), s.dense_dim(), s.shape, s.dtype, s.size(), s.dim(), s.numel(), s.size(1), s.size(-2), len(s))',
     '-> (3, 2, 0, ferrograd.Size([2, 3]), ferrograd.float32, ferrograd.Size([2, 3]), 2, 6, 3, 2, 2)'),
    ('(b._nnz(), b.sparse_dim(), b.dense_dim(), b.shape)',
     '-> (2, 2, 0, ferrograd.Size([2, 2, 2]))'),
    ('s.size(2)',
     '!! IndexError: Dimension out of range (expected to be in range of [-2, 1], but got 2)'),
    ('(s.crow_indices(), s.col_indices(), s.values())',
     '-> (tensor([0, 2, 3]), tensor([0, 2, 1]), tensor([1., 2., 3.]))'),
    ('sparse_csr_tensor(c.int(), k.int(), v).crow_indices()',
     '-> tensor([0, 2, 3], dtype=ferrograd.int32)'),
    ('s.indices()',
     '!! RuntimeError: indices expected sparse coordinate tensor layout but got SparseCsr'),
    ('s.coalesce()',
     '!! RuntimeError: coalesce expected sparse coordinate tensor layout but got SparseCsr'),
    ('v.crow_indices()',
     '!! RuntimeError: crow_indices expected sparse row compressed tensor layout but got Strided'),
    ('v.col_indices()',
     '!! RuntimeError: col_indices expected sparse row compressed tensor layout but got Strided'),
    ('s.to_dense()',
     '-> tensor([[1., 0., 2.],\n        [0., 3., 0.]])'),
    ('s.to_sparse()',
     '-> tensor(indices=tensor([[0, 0, 1],\n                       [0, 2, 1]]),\n       values=tensor([1., 2., 3.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('s.to_sparse_coo()',
     '-> tensor(indices=tensor([[0, 0, 1],\n                       [0, 2, 1]]),\n       values=tensor([1., 2., 3.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('s.to_sparse_csr()',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 2., 3.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csr)'),
    ('s.to_sparse(layout=T.sparse_csr)',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 2., 3.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csr)'),
    ('T.tensor([[0, 1.], [2, 0]]).to_sparse_csr()',
     '-> tensor(crow_indices=tensor([0, 1, 2]),\n       col_indices=tensor([1, 0]),\n       values=tensor([1., 2.]), size=(2, 2), nnz=2, layout=ferrograd.sparse_csr)'),
    ('T.tensor([[0, 1.], [2, 0]]).to_sparse(layout=T.sparse_csr)',
     '-> tensor(crow_indices=tensor([0, 1, 2]),\n       col_indices=tensor([1, 0]),\n       values=tensor([1., 2.]), size=(2, 2), nnz=2, layout=ferrograd.sparse_csr)'),
    ('T.tensor([[0, 1, 0], [2, 0, 3]], dtype=T.int32).to_sparse_csr()',
     '-> tensor(crow_indices=tensor([0, 1, 3]),\n       col_indices=tensor([1, 0, 2]),\n       values=tensor([1, 2, 3]), size=(2, 3), nnz=3, dtype=ferrograd.int32,\n       layout=ferrograd.sparse_csr)'),
    ('T.zeros(2, 3).to_sparse_csr()',
     '-> tensor(crow_indices=tensor([0, 0, 0]),\n       col_indices=tensor([], size=(0,)),\n       values=tensor([], size=(0,)), size=(2, 3), nnz=0,\n       layout=ferrograd.sparse_csr)'),
    ('T.zeros(2, 3, 4).to_sparse_csr(1)',
     '-> tensor(crow_indices=tensor([0, 0, 0]),\n       col_indices=tensor([], size=(0,)),\n       values=tensor([], size=(0, 4)), size=(2, 3, 4), nnz=0,\n       layout=ferrograd.sparse_csr)'),
    ('T.tensor([[[0, 1.], [2, 0]], [[3, 0], [0, 4]]]).to_sparse_csr()',
     '-> tensor(crow_indices=tensor([[0, 1, 2],\n                            [0, 1, 2]]),\n       col_indices=tensor([[1, 0],\n                           [0, 1]]),\n       values=tensor([[1., 2.],\n                      [3., 4.]]), size=(2, 2, 2), nnz=2,\n       layout=ferrograd.sparse_csr)'),
    ('T.tensor([[[0, 1.], [2, 0]], [[3, 0], [0, 4]]]).to_sparse_csr(1)',
     '-> tensor(crow_indices=tensor([0, 2, 4]),\n       col_indices=tensor([0, 1, 0, 1]),\n       values=tensor([[0., 1.],\n                      [2., 0.],\n                      [3., 0.],\n                      [0., 4.]]), size=(2, 2, 2), nnz=4,\n       layout=ferrograd.sparse_csr)'),
    ('T.tensor([[[0, 1.], [2, 0]], [[3, 0], [0, 4]]]).to_sparse_csr(1).to_dense()',
     '-> tensor([[[0., 1.],\n         [2., 0.]],\n\n        [[3., 0.],\n         [0., 4.]]])'),
    ('T.tensor([[[0, 1.], [2, 0]], [[3, 0], [0, 4]]]).to_sparse_csr().to_sparse()',
     '-> tensor(indices=tensor([[0, 0, 1, 1],\n                       [0, 1, 0, 1],\n                       [1, 0, 0, 1]]),\n       values=tensor([1., 2., 3., 4.]),\n       size=(2, 2, 2), nnz=4, layout=ferrograd.sparse_coo)'),
    ('T.tensor([[[0, 1.], [2, 0]], [[3, 0], [0, 0]]]).to_sparse_csr()',
     '!! RuntimeError: Expect the same number of specified elements per batch.'),
    ('T.tensor([[[0, 1.], [2, 0]], [[3, 0], [0, 4]]]).to_sparse(2).to_sparse_csr()',
     '-> tensor(crow_indices=tensor([0, 2, 4]),\n       col_indices=tensor([0, 1, 0, 1]),\n       values=tensor([[0., 1.],\n                      [2., 0.],\n                      [3., 0.],\n                      [0., 4.]]), size=(2, 2, 2), nnz=4,\n       layout=ferrograd.sparse_csr)'),
    ('T.zeros(2).to_sparse_csr()',
     '!! IndexError: select(): index 1 out of range for tensor of size [0, 1] at dimension 1'),
    ('T.zeros(2, 3, 4).to_sparse_csr(2)',
     '!! RuntimeError: dense_to_sparse_csr: dense_dim argument must be in [0,1] range, but 2 is given'),
    ('T.zeros(2, 3).to_sparse_csr(-1)',
     '!! RuntimeError: dense_to_sparse_csr: dense_dim argument must be in [0,0] range, but -1 is given'),
    ('T.tensor([[0, 1.], [2, 0]]).to_sparse(layout=T.sparse_csr, dense_dim=1)',
     '!! RuntimeError: dense_to_sparse: dense_dim argument must be in [0,0] range, but 1 is given'),
    ('T.tensor([[0, 1.], [2, 0]]).to_sparse().to_sparse_csr()',
     '-> tensor(crow_indices=tensor([0, 1, 2]),\n       col_indices=tensor([1, 0]),\n       values=tensor([1., 2.]), size=(2, 2), nnz=2, layout=ferrograd.sparse_csr)'),
    ('T.tensor([[0, 1.], [2, 0]]).to_sparse().to_sparse(layout=T.sparse_csr)',
     '-> tensor(crow_indices=tensor([0, 1, 2]),\n       col_indices=tensor([1, 0]),\n       values=tensor([1., 2.]), size=(2, 2), nnz=2, layout=ferrograd.sparse_csr)'),
    ('sparse_coo_tensor([[1, 0, 1], [0, 1, 0]], [1., 2., 3.], (2, 2)).to_sparse_csr()',
     '-> tensor(crow_indices=tensor([0, 1, 2]),\n       col_indices=tensor([1, 0]),\n       values=tensor([2., 4.]), size=(2, 2), nnz=2, layout=ferrograd.sparse_csr)'),
    ('T.zeros(3).to_sparse().to_sparse_csr()',
     '!! RuntimeError: coo_to_sparse_csr: conversion from Sparse to SparseCsr for input tensors with sparse_dim()!=2 is not supported'),
    ('T.tensor([[0, 1.], [2, 0]], requires_grad=True).to_sparse_csr()',
     '-> tensor(crow_indices=tensor([0, 1, 2]),\n       col_indices=tensor([1, 0]),\n       values=tensor([1., 2.]), size=(2, 2), nnz=2, layout=ferrograd.sparse_csr,\n       grad_fn=<ToSparseCsrBackward0>)'),
    ('T.tensor([[0, 1.], [2, 0]], requires_grad=True).to_sparse().to_sparse_csr()',
     '-> tensor(crow_indices=tensor([0, 1, 2]),\n       col_indices=tensor([1, 0]),\n       values=tensor([1., 2.]), size=(2, 2), nnz=2, layout=ferrograd.sparse_csr,\n       grad_fn=<ToSparseCsrBackward0>)'),
    ('sparse_csr_tensor(c, k, v, (2, 2))',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 2., 3.]), size=(2, 2), nnz=3,\n       layout=ferrograd.sparse_csr)'),
    ('sparse_csr_tensor(c, k, v, (2, 3), check_invariants=True)',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 2., 3.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csr)'),
    ('sparse_csr_tensor(c, k, v, (2, 2), check_invariants=True)',
     '!! RuntimeError: `0 <= col_indices < ncols` is not satisfied.'),
    ('sparse_csr_tensor(c, k, v, (3, 3), check_invariants=True)',
     '!! RuntimeError: crow_indices.shape[-1] must be equal to the number of rows + 1 (=4), but got 3'),
    ('sparse_csr_tensor(c.int(), k, v, (2, 3), check_invariants=True)',
     '!! RuntimeError: crow_indices and col_indices must have the same dtype, bot got Int and Long, respectively'),
    ('sparse_csr_tensor(c.float(), k.float(), v, (2, 3), check_invariants=True)',
     '!! RuntimeError: crow_indices and col_indices dtype must be Int or Long, but got Float'),
    ('sparse_csr_tensor(T.tensor([0, 3, 2]), k, v, (2, 3), check_invariants=True)',
     '!! RuntimeError: `crow_indices[..., -1] == nnz` is not satisfied.'),
    ('sparse_csr_tensor(T.tensor([1, 2, 3]), k, v, (2, 3), check_invariants=True)',
     '!! RuntimeError: `crow_indices[..., 0] == 0` is not satisfied.'),
    ('sparse_csr_tensor(T.tensor([0, 2, 2]), k, v, (2, 3), check_invariants=True)',
     '!! RuntimeError: `crow_indices[..., -1] == nnz` is not satisfied.'),
    ('sparse_csr_tensor(T.tensor([0, 4, 3]), T.tensor([0, 1, 1]), v, (2, 3), check_invariants=True)',
     '!! RuntimeError: `0 <= crow_indices[..., 1:] - crow_indices[..., :-1] <= ncols` is not satisfied.'),
    ('sparse_csr_tensor(T.tensor([0, 2, 1]), T.tensor([0, 5]), v[:2], (2, 2), check_invariants=True)',
     '!! RuntimeError: `0 <= col_indices < ncols` is not satisfied.'),
    ('sparse_csr_tensor(c, T.tensor([2, 0, 1]), v, (2, 3), check_invariants=True)',
     '!! RuntimeError: `col_indices[..., crow_indices[..., i - 1]:crow_indices[..., i]] for all i = 1, ..., nrows are sorted and distinct along the last dimension values` is not satis'),
    ('sparse_csr_tensor(c, T.tensor([0, 0, 1]), v, (2, 3), check_invariants=True)',
     '!! RuntimeError: `col_indices[..., crow_indices[..., i - 1]:crow_indices[..., i]] for all i = 1, ..., nrows are sorted and distinct along the last dimension values` is not satis'),
    ('sparse_csr_tensor(c, T.tensor([0, -1, 1]), v, (2, 3), check_invariants=True)',
     '!! RuntimeError: `0 <= col_indices < ncols` is not satisfied.'),
    ('sparse_csr_tensor(c, k, v, (2, 2, 3), check_invariants=True)',
     '!! RuntimeError: tensor dimensionality must be sum of batch, base, and dense dimensionalities (=0 + 2 + 0) but got 3'),
    ('sparse_csr_tensor(c, k, v[:2], (2, 3), check_invariants=True)',
     '!! RuntimeError: col_indices.shape[-1] must be equal to nnz (=2) as defined by values.shape[0], but got 3'),
    ('sparse_csr_tensor(c, k[:2], v, (2, 3), check_invariants=True)',
     '!! RuntimeError: col_indices.shape[-1] must be equal to nnz (=3) as defined by values.shape[0], but got 2'),
    ('sparse_csr_tensor(T.tensor([[0, 1, 2], [0, 1, 2]]), T.tensor([[0, 1], [1, 0]]), T.ones(2, 2), check_invariants=True)',
     '-> tensor(crow_indices=tensor([[0, 1, 2],\n                            [0, 1, 2]]),\n       col_indices=tensor([[0, 1],\n                           [1, 0]]),\n       values=tensor([[1., 1.],\n                      [1., 1.]]), size=(2, 2, 2), nnz=2,\n       layout=ferrograd.sparse_csr)'),
    ('sparse_csr_tensor(c, k, T.tensor([1, 2, 3]), requires_grad=True)',
     '!! RuntimeError: Only Tensors of floating point and complex dtype can require gradients'),
    ('sparse_csr_tensor(c, k, T.tensor(1.))',
     '!! RuntimeError: values must have dimensionality > sum of batch and block dimensionalities (=0 + 0) but got 0'),
    ('sparse_csr_tensor(c.reshape(1, 3), k, v)',
     '!! RuntimeError: crow_indices and col_indices dimensionalities must be equal but got 2 and 1, respectively'),
    ('sparse_csr_tensor(c, k.reshape(1, 3), v)',
     '!! RuntimeError: crow_indices and col_indices dimensionalities must be equal but got 1 and 2, respectively'),
    ('sparse_csr_tensor(c, k, v, (-2, 3))',
     '!! RuntimeError: numel: integer multiplication overflow'),
    ('g @ d',
     '-> tensor([[ 8., 11.],\n        [ 6.,  9.]], dtype=ferrograd.float64, grad_fn=<MmBackward0>)'),
    ('T.mm(g, d)',
     '-> tensor([[ 8., 11.],\n        [ 6.,  9.]], dtype=ferrograd.float64, grad_fn=<MmBackward0>)'),
    ('T.matmul(g, d)',
     '-> tensor([[ 8., 11.],\n        [ 6.,  9.]], dtype=ferrograd.float64, grad_fn=<MmBackward0>)'),
    ('g.mm(d)',
     '-> tensor([[ 8., 11.],\n        [ 6.,  9.]], dtype=ferrograd.float64, grad_fn=<MmBackward0>)'),
    ('g.matmul(d)',
     '-> tensor([[ 8., 11.],\n        [ 6.,  9.]], dtype=ferrograd.float64, grad_fn=<MmBackward0>)'),
    ('g @ T.ones(3, dtype=T.float64)',
     '-> tensor([3., 3.], dtype=ferrograd.float64, grad_fn=<MvBackward0>)'),
    ('g.mv(T.ones(3, dtype=T.float64))',
     '-> tensor([3., 3.], dtype=ferrograd.float64, grad_fn=<MvBackward0>)'),
    ('T.addmm(T.ones(2, 2, dtype=T.float64), g, d)',
     '-> tensor([[ 9., 12.],\n        [ 7., 10.]], dtype=ferrograd.float64, grad_fn=<AddmmBackward0>)'),
    ('T.addmm(T.ones(2, 2, dtype=T.float64), g, d, beta=2, alpha=3)',
     '-> tensor([[26., 35.],\n        [20., 29.]], dtype=ferrograd.float64, grad_fn=<AddmmBackward0>)'),
    ('T.addmm(T.ones(2, dtype=T.float64), g, d, beta=0)',
     '-> tensor([[ 8., 11.],\n        [ 6.,  9.]], dtype=ferrograd.float64, grad_fn=<AddmmBackward0>)'),
    ('T.ones(2, 2, dtype=T.float64) @ g',
     '-> tensor([[1., 3., 2.],\n        [1., 3., 2.]], dtype=ferrograd.float64, grad_fn=<MmBackward0>)'),
    ('T.ones(2, 2, dtype=T.float64).mm(g)',
     '-> tensor([[1., 3., 2.],\n        [1., 3., 2.]], dtype=ferrograd.float64, grad_fn=<MmBackward0>)'),
    ('g @ T.ones(3, 2)',
     '!! RuntimeError: expected scalar type Double but found Float'),
    ('g @ T.ones(4, 2, dtype=T.float64)',
     '!! RuntimeError: mat1 and mat2 shapes cannot be multiplied (2x3 and 4x2)'),
    ('T.mm(g, T.ones(3, dtype=T.float64))',
     '!! IndexError: Dimension out of range (expected to be in range of [-1, 0], but got 1)'),
    ('g.to_dense()',
     '-> tensor([[1., 0., 2.],\n        [0., 3., 0.]], dtype=ferrograd.float64, grad_fn=<ToDenseBackward0>)'),
    ('g.values()',
     '-> tensor([1., 2., 3.], dtype=ferrograd.float64, grad_fn=<ValuesBackward0>)'),
    ('g * 2',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([2., 4., 6.]), size=(2, 3), nnz=3, dtype=ferrograd.float64,\n       layout=ferrograd.sparse_csr, grad_fn=<MulBackward0>)'),
    ('2 * g',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([2., 4., 6.]), size=(2, 3), nnz=3, dtype=ferrograd.float64,\n       layout=ferrograd.sparse_csr, grad_fn=<MulBackward0>)'),
    ('g.mul(2)',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([2., 4., 6.]), size=(2, 3), nnz=3, dtype=ferrograd.float64,\n       layout=ferrograd.sparse_csr, grad_fn=<MulBackward0>)'),
    ('g * T.tensor(2.)',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([2., 4., 6.]), size=(2, 3), nnz=3, dtype=ferrograd.float64,\n       layout=ferrograd.sparse_csr, grad_fn=<MulBackward0>)'),
    ('s * 2.5',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([2.5000, 5.0000, 7.5000]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csr)'),
    ('g.to(T.float32)',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 2., 3.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csr, grad_fn=<ToCopyBackward0>)'),
    ('g.float()',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 2., 3.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csr, grad_fn=<ToCopyBackward0>)'),
    ('s.double()',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 2., 3.]), size=(2, 3), nnz=3, dtype=ferrograd.float64,\n       layout=ferrograd.sparse_csr)'),
    ('s.to(T.float32)',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 2., 3.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csr)'),
    ('g.clone()',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 2., 3.]), size=(2, 3), nnz=3, dtype=ferrograd.float64,\n       layout=ferrograd.sparse_csr, grad_fn=<CloneBackward0>)'),
    ('g.detach()',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 2., 3.]), size=(2, 3), nnz=3, dtype=ferrograd.float64,\n       layout=ferrograd.sparse_csr)'),
    ('g.to_sparse()',
     '-> tensor(indices=tensor([[0, 0, 1],\n                       [0, 2, 1]]),\n       values=tensor([1., 2., 3.]),\n       size=(2, 3), nnz=3, dtype=ferrograd.float64, layout=ferrograd.sparse_coo,\n       grad_fn=<ToSparseBackward1>)'),
    ('g.mul_(2)',
     '!! RuntimeError: a leaf Variable that requires grad is being used in an in-place operation.'),
    ('g.detach().mul_(2)',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([2., 4., 6.]), size=(2, 3), nnz=3, dtype=ferrograd.float64,\n       layout=ferrograd.sparse_csr)'),
    ('g.is_leaf',
     '-> True'),
    ('g.grad_fn',
     '-> None'),
    ('g.requires_grad',
     '-> True'),
    ('s.requires_grad_()',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 2., 3.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csr, requires_grad=True)'),
    ('s.clone().requires_grad_().requires_grad_(False)',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 2., 3.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csr)'),
    ('s.cumsum(0)',
     "!! NotImplementedError: Could not run 'aten::cumsum.out' with arguments from the 'SparseCsrCPU' backend. This could be because the operator doesn't exist for this backend, or was omitt"),
    ('s.numpy()',
     "!! TypeError: can't convert SparseCsr layout tensor to numpy. Use Tensor.to_dense() first."),
    ('s.tolist()',
     "!! RuntimeError: Cannot access data pointer of Tensor that doesn't have storage"),
    ('s.stride()',
     '!! RuntimeError: Sparse CSR tensors do not have strides'),
    ('s.type()',
     '!! RuntimeError: Unimplemented backend SparseCsrCPU'),
    ('T.sin(s)',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([0.8415, 0.9093, 0.1411]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csr)'),
    ('g.sin()',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([0.8415, 0.9093, 0.1411]), size=(2, 3), nnz=3,\n       dtype=ferrograd.float64, layout=ferrograd.sparse_csr, grad_fn=<SinBackward0>)'),
    ('s.abs()',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 2., 3.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csr)'),
    ('T.abs(-s)',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 2., 3.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csr)'),
    ('g.neg()',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([-1., -2., -3.]), size=(2, 3), nnz=3, dtype=ferrograd.float64,\n       layout=ferrograd.sparse_csr, grad_fn=<NegBackward0>)'),
    ('-s',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([-1., -2., -3.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csr)'),
    ('abs(-s)',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 2., 3.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csr)'),
    ('g.sqrt()',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1.0000, 1.4142, 1.7321]), size=(2, 3), nnz=3,\n       dtype=ferrograd.float64, layout=ferrograd.sparse_csr, grad_fn=<SqrtBackward0>)'),
    ('T.tanh(g)',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([0.7616, 0.9640, 0.9951]), size=(2, 3), nnz=3,\n       dtype=ferrograd.float64, layout=ferrograd.sparse_csr, grad_fn=<TanhBackward0>)'),
    ('g.relu()',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 2., 3.]), size=(2, 3), nnz=3, dtype=ferrograd.float64,\n       layout=ferrograd.sparse_csr, grad_fn=<ReluBackward0>)'),
    ('s.sign()',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 1., 1.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csr)'),
    ('g.round()',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 2., 3.]), size=(2, 3), nnz=3, dtype=ferrograd.float64,\n       layout=ferrograd.sparse_csr, grad_fn=<RoundBackward0>)'),
    ('g.floor()',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 2., 3.]), size=(2, 3), nnz=3, dtype=ferrograd.float64,\n       layout=ferrograd.sparse_csr, grad_fn=<FloorBackward0>)'),
    ('s.isnan()',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([False, False, False]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csr)'),
    ('s.signbit()',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([False, False, False]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csr)'),
    ('g.conj()',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 2., 3.]), size=(2, 3), nnz=3, dtype=ferrograd.float64,\n       layout=ferrograd.sparse_csr, requires_grad=True)'),
    ('+g',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 2., 3.]), size=(2, 3), nnz=3, dtype=ferrograd.float64,\n       layout=ferrograd.sparse_csr, requires_grad=True)'),
    ('g.positive()',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 2., 3.]), size=(2, 3), nnz=3, dtype=ferrograd.float64,\n       layout=ferrograd.sparse_csr, requires_grad=True)'),
    ('g.expm1()',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([ 1.7183,  6.3891, 19.0855]), size=(2, 3), nnz=3,\n       dtype=ferrograd.float64, layout=ferrograd.sparse_csr, grad_fn=<Expm1Backward0>)'),
    ('g.log1p()',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([0.6931, 1.0986, 1.3863]), size=(2, 3), nnz=3,\n       dtype=ferrograd.float64, layout=ferrograd.sparse_csr, grad_fn=<Log1PBackward0>)'),
    ('s.clone().sin_()',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([0.8415, 0.9093, 0.1411]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csr)'),
    ('s.clone().neg_()',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([-1., -2., -3.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csr)'),
    ('T.sqrt_(s.clone())',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1.0000, 1.4142, 1.7321]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csr)'),
    ('s.exp()',
     '!! RuntimeError: unsupported tensor layout: SparseCsr'),
    ('T.exp(s)',
     '!! RuntimeError: unsupported tensor layout: SparseCsr'),
    ('T.cos(s)',
     '!! RuntimeError: unsupported tensor layout: SparseCsr'),
    ('s.sigmoid()',
     '!! RuntimeError: unsupported tensor layout: SparseCsr'),
    ('s.square()',
     '!! RuntimeError: unsupported tensor layout: SparseCsr'),
    ('s.pow(2)',
     '!! RuntimeError: unsupported tensor layout: SparseCsr'),
    ('s ** 2',
     '!! RuntimeError: unsupported tensor layout: SparseCsr'),
    ('s.nan_to_num()',
     "!! NotImplementedError: Could not run 'aten::nan_to_num.out' with arguments from the 'SparseCsrCPU' backend. This could be because the operator doesn't exist for this backend, or was o"),
    ('s.round(decimals=1)',
     '!! RuntimeError: unsupported tensor layout: SparseCsr'),
    ('s * T.ones(2, 3, dtype=T.float64)',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 2., 3.]), size=(2, 3), nnz=3, dtype=ferrograd.float64,\n       layout=ferrograd.sparse_csr)'),
    ('T.ones(2, 3, dtype=T.float64) * s',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 2., 3.]), size=(2, 3), nnz=3, dtype=ferrograd.float64,\n       layout=ferrograd.sparse_csr)'),
    ('s * T.ones(3)',
     '!! RuntimeError: sparse_mask(): operands have incompatible sizes; self has size [3] but mask has size [2, 3]'),
    ('g * T.arange(6.0, dtype=T.float64).reshape(2, 3)',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([ 0.,  4., 12.]), size=(2, 3), nnz=3, dtype=ferrograd.float64,\n       layout=ferrograd.sparse_csr, grad_fn=<MulBackward0>)'),
    ('T.arange(6.0).reshape(2, 3).mul(s)',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([ 0.,  4., 12.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csr)'),
    ('b * T.ones(2, 2, 2)',
     '!! RuntimeError: coo_to_sparse_csr: conversion from Sparse to SparseCsr for input tensors with sparse_dim()!=2 is not supported'),
    ('s * s',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 4., 9.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csr)'),
    ('g * g',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 4., 9.]), size=(2, 3), nnz=3, dtype=ferrograd.float64,\n       layout=ferrograd.sparse_csr, grad_fn=<MulBackward0>)'),
    ('s * sparse_csr_tensor([0, 1, 2], [2, 0], [5., 6.], (2, 3))',
     '-> tensor(crow_indices=tensor([0, 1, 1]),\n       col_indices=tensor([2]),\n       values=tensor([10.]), size=(2, 3), nnz=1, layout=ferrograd.sparse_csr)'),
    ('b * b',
     '!! RuntimeError: coo_to_sparse_csr: conversion from Sparse to SparseCsr for input tensors with sparse_dim()!=2 is not supported'),
    ('s * sparse_csr_tensor([0, 1, 2], [2, 0], [5., 6.], (2, 2))',
     '!! RuntimeError: sparse_binary_op_intersection_cpu(): expects sparse inputs with equal dimensionality, number of sparse dimensions, and shape of sparse dimensions'),
    ('s + s',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([2., 4., 6.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csr)'),
    ('g + g',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([2., 4., 6.]), size=(2, 3), nnz=3, dtype=ferrograd.float64,\n       layout=ferrograd.sparse_csr, grad_fn=<AddBackward0>)'),
    ('g.add(g, alpha=2)',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([3., 6., 9.]), size=(2, 3), nnz=3, dtype=ferrograd.float64,\n       layout=ferrograd.sparse_csr, grad_fn=<AddBackward0>)'),
    ('s + sparse_csr_tensor([0, 1, 2], [2, 0], [5., 6.], (2, 3))',
     '-> tensor(crow_indices=tensor([0, 2, 4]),\n       col_indices=tensor([0, 2, 0, 1]),\n       values=tensor([1., 7., 6., 3.]), size=(2, 3), nnz=4,\n       layout=ferrograd.sparse_csr)'),
    ('s + sparse_csr_tensor([0, 1, 1], [0], [5.], (2, 2))',
     '!! RuntimeError: ferrograd.add: Expected input tensors to have the same shape, but got tensor `self` with shape [2, 3] and tensor `other` with shape [2, 2]'),
    ('g.sum()',
     '-> tensor(6., dtype=ferrograd.float64, grad_fn=<SumBackward0>)'),
    ('s.sum()',
     '-> tensor(6.)'),
    ('T.sum(g)',
     '-> tensor(6., dtype=ferrograd.float64, grad_fn=<SumBackward0>)'),
    ('s == s',
     '!! RuntimeError: unsupported tensor layout: SparseCsr'),
    ('s - s',
     '!! RuntimeError: unsupported tensor layout: SparseCsr'),
    ('s / 2',
     '!! RuntimeError: unsupported tensor layout: SparseCsr'),
    ('s.is_contiguous()',
     '!! RuntimeError: Sparse CSR tensors do not have is_contiguous'),
    ('s.reshape(6)',
     '!! RuntimeError: Sparse CSR tensors do not have is_contiguous'),
    ('bool(s)',
     '!! RuntimeError: Boolean value of Tensor with more than one value is ambiguous'),
    ('s.item()',
     '!! RuntimeError: a Tensor with 6 elements cannot be converted to Scalar'),
    ('T.ones(2).type_as(s)',
     "!! RuntimeError: to(options) doesn't support converting to a different layout, but got self.layout being Strided and options.layout set as SparseCsr"),
    ('s @ T.ones(2, 3, 2)',
     '!! RuntimeError: expand is unsupported for SparseCsr tensors'),
    ('g.detach().detach_()',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 2., 3.]), size=(2, 3), nnz=3, dtype=ferrograd.float64,\n       layout=ferrograd.sparse_csr)'),
    ('T.values_copy(s)',
     '-> tensor([1., 2., 3.])'),
    ('T.crow_indices_copy(s)',
     '-> tensor([0, 2, 3])'),
    ('T.col_indices_copy(s)',
     '-> tensor([0, 2, 1])'),
    ('sparse_csr_tensor([0, 1], [0], [2.5]).item()',
     "!! NotImplementedError: Could not run 'aten::_local_scalar_dense' with arguments from the 'SparseCsrCPU' backend. This could be because the operator doesn't exist for this backend, or "),
    ('bool(sparse_csr_tensor([0, 1], [0], [2.5]))',
     "!! NotImplementedError: Could not run 'aten::_local_scalar_dense' with arguments from the 'SparseCsrCPU' backend. This could be because the operator doesn't exist for this backend, or "),
    ('s.to_sparse(layout=T.strided)',
     '-> tensor([[1., 0., 2.],\n        [0., 3., 0.]])'),
    ('s.to_dense(T.float64)',
     '!! RuntimeError: dtype argument is not supported by sparse_csr_to_dense'),
    ('s.sum(0)',
     '!! RuntimeError: reduction operations on CSR tensors with keepdim=False is unsupported'),
    ('s.sum(1)',
     '!! RuntimeError: reduction operations on CSR tensors with keepdim=False is unsupported'),
    ('T.zeros(3, layout=T.sparse_csr)',
     '!! RuntimeError: ferrograd.zeros: Only batched sparse compressed (non-block) tensors are supported, but got size [3]'),
    ('T.zeros(2, 2, 3, layout=T.sparse_csr)',
     '-> tensor(crow_indices=tensor([[0, 0, 0],\n                            [0, 0, 0]]),\n       col_indices=tensor([], size=(2, 0)),\n       values=tensor([], size=(2, 0)), size=(2, 2, 3), nnz=0,\n       layout=ferrograd.sparse_csr)'),
    ('T.zeros(2, 3, layout=T.sparse_csr, dtype=T.float64, requires_grad=True)',
     '-> tensor(crow_indices=tensor([0, 0, 0]),\n       col_indices=tensor([], size=(0,)),\n       values=tensor([], size=(0,)), size=(2, 3), nnz=0, dtype=ferrograd.float64,\n       layout=ferrograd.sparse_csr, requires_grad=True)'),
    ('T.empty(2, 3, layout=T.sparse_csr).shape',
     '-> ferrograd.Size([2, 3])'),
    ('T.zeros((2, 3), layout=T.sparse_csr)',
     '-> tensor(crow_indices=tensor([0, 0, 0]),\n       col_indices=tensor([], size=(0,)),\n       values=tensor([], size=(0,)), size=(2, 3), nnz=0,\n       layout=ferrograd.sparse_csr)'),
    ('T.zeros_like(s)',
     '-> tensor(crow_indices=tensor([0, 0, 0]),\n       col_indices=tensor([], size=(0,)),\n       values=tensor([], size=(0,)), size=(2, 3), nnz=0,\n       layout=ferrograd.sparse_csr)'),
    ('T.ones_like(s)',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 1., 1.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csr)'),
    ('T.full_like(s, 2.)',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([2., 2., 2.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csr)'),
    ('T.zeros_like(T.ones(2, 3), layout=T.sparse_csr)',
     '-> tensor(crow_indices=tensor([0, 0, 0]),\n       col_indices=tensor([], size=(0,)),\n       values=tensor([], size=(0,)), size=(2, 3), nnz=0,\n       layout=ferrograd.sparse_csr)'),
    ('T.rand_like(s)',
     "!! NotImplementedError: Could not run 'aten::uniform_' with arguments from the 'SparseCsrCPU' backend. This could be because the operator doesn't exist for this backend, or was omitted"),
    ('T.ones_like(g)',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 1., 1.]), size=(2, 3), nnz=3, dtype=ferrograd.float64,\n       layout=ferrograd.sparse_csr)'),
    ('T.zeros_like(b)',
     '-> tensor(crow_indices=tensor([[0, 0, 0],\n                            [0, 0, 0]]),\n       col_indices=tensor([], size=(2, 0)),\n       values=tensor([], size=(2, 0)), size=(2, 2, 2), nnz=0,\n       layout=ferrograd.sparse_csr)'),
    ('T.randint_like(s, 3)',
     "!! NotImplementedError: Could not run 'aten::random_.from' with arguments from the 'SparseCsrCPU' backend. This could be because the operator doesn't exist for this backend, or was omi"),
    ('g[0]',
     '-> tensor(indices=tensor([[0, 2]]),\n       values=tensor([1., 2.]),\n       size=(3,), nnz=2, dtype=ferrograd.float64, layout=ferrograd.sparse_coo,\n       grad_fn=<SelectBackward0>)'),
    ('g[1]',
     '-> tensor(indices=tensor([[1]]),\n       values=tensor([3.]),\n       size=(3,), nnz=1, dtype=ferrograd.float64, layout=ferrograd.sparse_coo,\n       grad_fn=<SelectBackward0>)'),
    ('g[-1]',
     '-> tensor(indices=tensor([[1]]),\n       values=tensor([3.]),\n       size=(3,), nnz=1, dtype=ferrograd.float64, layout=ferrograd.sparse_coo,\n       grad_fn=<SelectBackward0>)'),
    ('g[2]',
     '!! IndexError: index 2 is out of bounds for dimension 0 with size 2'),
    ('g[0, 1]',
     '-> tensor(0., dtype=ferrograd.float64, grad_fn=<SelectBackward0>)'),
    ('g[1, 1]',
     '-> tensor(3., dtype=ferrograd.float64, grad_fn=<SelectBackward0>)'),
    ('g[:, 1]',
     '-> tensor(indices=tensor([[1]]),\n       values=tensor([3.]),\n       size=(2,), nnz=1, dtype=ferrograd.float64, layout=ferrograd.sparse_coo,\n       grad_fn=<SelectBackward0>)'),
    ('g[0:1]',
     '!! RuntimeError: Sparse CSR tensors do not have strides'),
    ('g.select(0, 1)',
     '-> tensor(indices=tensor([[1]]),\n       values=tensor([3.]),\n       size=(3,), nnz=1, dtype=ferrograd.float64, layout=ferrograd.sparse_coo,\n       grad_fn=<SelectBackward0>)'),
    ('g.select(1, 1)',
     '-> tensor(indices=tensor([[1]]),\n       values=tensor([3.]),\n       size=(2,), nnz=1, dtype=ferrograd.float64, layout=ferrograd.sparse_coo,\n       grad_fn=<SelectBackward0>)'),
    ('g.select(1, -3)',
     '-> tensor(indices=tensor([[0]]),\n       values=tensor([1.]),\n       size=(2,), nnz=1, dtype=ferrograd.float64, layout=ferrograd.sparse_coo,\n       grad_fn=<SelectBackward0>)'),
    ('b[1]',
     '-> tensor(crow_indices=tensor([0, 1, 2]),\n       col_indices=tensor([0, 1]),\n       values=tensor([3., 4.]), size=(2, 2), nnz=2, layout=ferrograd.sparse_csr)'),
    ('b[1, 0]',
     '-> tensor(indices=tensor([[0]]),\n       values=tensor([3.]),\n       size=(2,), nnz=1, layout=ferrograd.sparse_coo)'),
    ('b.select(0, -2)',
     '-> tensor(crow_indices=tensor([0, 1, 2]),\n       col_indices=tensor([0, 1]),\n       values=tensor([1., 2.]), size=(2, 2), nnz=2, layout=ferrograd.sparse_csr)'),
    ('b[0, 1, 1]',
     '-> tensor(2.)'),
    ('sparse_csr_tensor(c, k, T.tensor([1., 2., 3.], requires_grad=True) * 2)',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([2., 4., 6.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csr, grad_fn=<NotImplemented>)'),
    ('(lambda x: (x.is_leaf, x.requires_grad))(sparse_csr_tensor(c, k, T.tensor([1., 2., 3.], requires_grad=True)))',
     '-> (False, True)'),
    ('sparse_csr_tensor(c, k, T.tensor([1., 2., 3.], requires_grad=True), requires_grad=True)',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 2., 3.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csr, grad_fn=<NotImplemented>)'),
    ('sparse_csr_tensor([0, 2, 3], [0, 2, 1], [1, 2, 3], (2, 3), dtype=T.float16)',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 2., 3.]), size=(2, 3), nnz=3, dtype=ferrograd.float16,\n       layout=ferrograd.sparse_csr)'),
]


@pytest.mark.parametrize(("expr", "expected"), CASES, ids=[c[0] for c in CASES])
def test_matches_pytorch(expr: str, expected: str) -> None:
    assert _outcome(expr) == expected


def _csr(values):
    return T.sparse_csr_tensor(T.tensor([0, 2, 3]), T.tensor([0, 2, 1]), values, (2, 3))


def _finite_difference(fn, x, eps: float = 1e-6):
    """d sum(fn(x)) / dx by central differences, one element of `x` at a time."""
    base = x.detach().clone()
    flat = base.reshape(-1)
    grads = []
    for i in range(flat.shape[0]):
        up, down = flat.clone(), flat.clone()
        up[i] += eps
        down[i] -= eps
        grads.append((fn(up.reshape(base.shape)).sum() - fn(down.reshape(base.shape)).sum()).item() / (2 * eps))
    return grads


W = [[1.0, -2.0], [0.5, 3.0]]


def test_addmm_gradients_match_pytorch_and_finite_differences() -> None:
    v = T.tensor([0.3, -1.2, 2.0], dtype=T.float64, requires_grad=True)
    d = T.arange(6.0, dtype=T.float64).reshape(3, 2).requires_grad_()
    w = T.tensor(W, dtype=T.float64)

    def loss(values, dense):
        return T.addmm(T.ones(2, 2, dtype=T.float64), _csr(values), dense, beta=2, alpha=3) * w

    loss(v, d).sum().backward()
    assert v.grad.tolist() == pytest.approx([-6.0, -18.0, 30.0])  # PyTorch's
    assert d.grad.reshape(-1).tolist() == pytest.approx([0.9, -1.8, 3.0, 18.0, -3.6, 7.2])
    assert v.grad.tolist() == pytest.approx(_finite_difference(lambda x: loss(x, d.detach()), v))
    assert d.grad.reshape(-1).tolist() == pytest.approx(_finite_difference(lambda x: loss(v.detach(), x), d))


@pytest.mark.parametrize("fn", [
    lambda a, d: _csr(a) @ d,
    lambda a, d: T.mm(_csr(a), d),
    lambda a, d: T.matmul(_csr(a), d[:, 0]),
    lambda a, d: T.addmm(d[:2], _csr(a), d, alpha=0.5),
    lambda a, d: (_csr(a) * 2.5).to_dense() + d.sum(),
    lambda a, d: d.t() @ _csr(a).to_sparse().to_dense().t(),
    lambda a, d: (d[:2, :1] * d.sum()).to_sparse_csr().to_dense() * a.sum(),
    lambda a, d: _csr(a).to(T.float64).values() * d[0, 0],
    lambda a, d: _csr(a).sin().tanh().neg() @ d,
    lambda a, d: (_csr(a) * d.t()).to_dense(),
    lambda a, d: (_csr(a) * _csr(a * d[:, 0])).to_dense(),
    lambda a, d: (_csr(a) + T.sparse_csr_tensor([0, 1, 2], [2, 0], d[0], (2, 3))).to_dense(),
    lambda a, d: _csr(a * d[:, 1]).sum(),
    lambda a, d: _csr(a * d[:, 1])[1].to_dense() + _csr(a)[:, 2].to_dense().sum() + _csr(a)[0, 2],
], ids=["matmul", "mm", "mv", "addmm", "mul", "to_coo", "from_dense", "values", "unary", "mul_dense", "mul_csr",
        "add", "sum", "select"])
def test_gradcheck(fn) -> None:
    a = T.tensor([0.3, -1.2, 2.0], dtype=T.float64, requires_grad=True)
    d = T.tensor([[0.5, -1.0], [2.0, 0.25], [1.5, -0.75]], dtype=T.float64, requires_grad=True)
    assert T.autograd.gradcheck(fn, (a, d))


def test_leaf_gradient_of_products_is_dense() -> None:
    # PyTorch's: a product's gradient of a CSR leaf is dense (every element), an op on
    # the stored values' one is CSR on the leaf's indices, and the two add up dense
    dense = T.arange(6.0, dtype=T.float64).reshape(3, 2)
    for product in (lambda s: s @ dense, lambda s: T.mm(s, dense), lambda s: T.addmm(T.ones(2, 2), s, dense)):
        leaf = _csr(T.tensor([0.3, -1.2, 2.0], dtype=T.float64)).requires_grad_()
        product(leaf).sum().backward()
        assert leaf.grad.layout == T.strided
        assert leaf.grad.tolist() == [[1.0, 5.0, 9.0], [1.0, 5.0, 9.0]]
    leaf = _csr(T.tensor([0.3, -1.2, 2.0], dtype=T.float64)).requires_grad_()
    (leaf.mv(dense[:, 0]).sum() + leaf.sum()).backward()
    assert leaf.grad.tolist() == [[1.0, 3.0, 5.0], [1.0, 3.0, 5.0]]
    (T.ones(4, 2, dtype=T.float64) @ leaf).sum().backward()
    assert leaf.grad.tolist() == [[5.0, 7.0, 9.0], [5.0, 7.0, 9.0]]
    leaf.grad = None
    assert leaf.grad is None
    (leaf * 2).to_dense().sum().backward()
    assert leaf.grad.is_sparse_csr and leaf.grad.values().tolist() == [2.0, 2.0, 2.0]
    leaf.grad = None
    (leaf @ dense).sum().backward()
    (leaf * 2).to_dense().sum().backward()  # a CSR gradient added to a dense one: dense
    assert leaf.grad.tolist() == [[3.0, 5.0, 11.0], [1.0, 7.0, 9.0]]


def test_gradient_of_a_product_reaches_the_dense_source_whole() -> None:
    x = T.tensor([[1.0, 0.0, 2.0], [0.0, 3.0, 0.0]], dtype=T.float64, requires_grad=True)
    x.to_sparse_csr().mm(T.arange(6.0, dtype=T.float64).reshape(3, 2)).sum().backward()
    assert x.grad.tolist() == [[1.0, 5.0, 9.0], [1.0, 5.0, 9.0]]  # PyTorch's
    assert T.autograd.gradcheck(lambda x, d: x.to_sparse_csr() @ d,
                                (x, T.ones(3, 2, dtype=T.float64, requires_grad=True)))


def test_dense_to_csr_gradient() -> None:
    x = T.tensor([[0.0, 1.0], [2.0, 0.0]], requires_grad=True)
    (x.to_sparse_csr() * 3).to_dense().sum().backward()
    assert x.grad.tolist() == [[0.0, 3.0], [3.0, 0.0]]  # PyTorch's


def test_invariant_checks_follow_the_global_switch() -> None:
    checks = T.sparse.check_sparse_tensor_invariants
    T.sparse_csr_tensor([0, 2, 3], [0, 5, 1], [1.0, 2.0, 3.0], (2, 3))  # unchecked by default, as PyTorch
    with checks(), pytest.raises(RuntimeError, match="0 <= col_indices < ncols"):
        T.sparse_csr_tensor([0, 2, 3], [0, 5, 1], [1.0, 2.0, 3.0], (2, 3))


def test_unsupported_ops_refuse_with_the_csr_backend() -> None:
    s = _setup()["s"]
    for call in (lambda: s.view(6), lambda: T.atan2(s, T.ones(2, 3)), lambda: T.cat([s, s]), lambda: s.cumsum(0)):
        with pytest.raises(NotImplementedError, match="from the 'SparseCsrCPU' backend"):
            call()


def test_randn_like_draws_the_stored_values() -> None:
    s = _setup()["s"]
    drawn = T.randn_like(s, dtype=T.float64)
    assert drawn.is_sparse_csr and drawn.dtype == T.float64
    assert drawn.crow_indices() is s.crow_indices() and drawn.col_indices() is s.col_indices()
    assert drawn.values().shape == (3,)


def test_values_that_require_grad() -> None:
    v = T.tensor([1.0, 2.0, 3.0], requires_grad=True)
    sized = T.sparse_csr_tensor([0, 2, 3], [0, 2, 1], v * 2, (2, 3))
    assert type(sized.grad_fn).__name__ == "SparseCompressedTensorBackward0" and not sized.is_leaf
    sized.to_dense().sum().backward()
    assert v.grad.tolist() == [2.0, 2.0, 2.0]
    unsized = T.sparse_csr_tensor([0, 2, 3], [0, 2, 1], v)  # PyTorch's overload without a derivative
    with pytest.raises(RuntimeError, match="derivative for aten::sparse_compressed_tensor is not implemented"):
        unsized.to_dense().sum().backward()
