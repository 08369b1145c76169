"""Sparse CSC tensors, and the moves between the compressed layouts (CSR <-> CSC
conversions, transposes, `sparse_compressed_tensor`) against PyTorch 2.13 (CPU): each
case is an expression, evaluated with `T = ferrograd`, and PyTorch's repr of its result
or its exception type and message (the first 160 characters), with `torch.` written
`ferrograd.`. Gradients are checked against PyTorch's values and by finite differences."""

import ferrograd as T
import pytest


def _setup() -> dict:
    g = {"T": T}
    g["d"] = T.tensor([[1.0, 0.0, 2.0], [0.0, 3.0, 0.0]])
    g["c"] = g["d"].to_sparse_csc()
    g["r"] = g["d"].to_sparse_csr()
    g["m"] = T.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    g["b"] = T.stack([g["d"], 2 * g["d"]])
    return g


def _outcome(expr: str) -> str:
    try:
        return "-> " + repr(eval(expr, _setup()))
    except Exception as e:  # noqa: BLE001 (the exception is what is compared)
        return f"!! {type(e).__name__}: {str(e)[:160]}"


# (expression, what PyTorch 2.13 gives)
CASES = [
    ('c',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([1., 3., 2.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ('T.sparse_csc',
     '-> ferrograd.sparse_csc'),
    ('(c.layout, c.is_sparse, c.is_sparse_csr, c.shape, c.dim(), c.sparse_dim(), c.dense_dim(), c._nnz(), c.dtype)',
     '-> (ferrograd.sparse_csc, False, False, ferrograd.Size([2, 3]), 2, 2, 0, 3, ferrograd.float32)'),
    ('(c.ccol_indices(), c.row_indices(), c.values())',
     '-> (tensor([0, 1, 2, 3]), tensor([0, 1, 0]), tensor([1., 3., 2.]))'),
    ('c.crow_indices()',
     '!! RuntimeError: crow_indices expected sparse row compressed tensor layout but got SparseCsc'),
    ('c.col_indices()',
     '!! RuntimeError: col_indices expected sparse row compressed tensor layout but got SparseCsc'),
    ('c.indices()',
     '!! RuntimeError: indices expected sparse coordinate tensor layout but got SparseCsc'),
    ('c.coalesce()',
     '!! RuntimeError: coalesce expected sparse coordinate tensor layout but got SparseCsc'),
    ('c.is_coalesced()',
     '!! RuntimeError: is_coalesced expected sparse coordinate tensor layout but got SparseCsc'),
    ('r.ccol_indices()',
     '!! RuntimeError: ccol_indices expected sparse column compressed tensor layout but got SparseCsr'),
    ('r.row_indices()',
     '!! RuntimeError: row_indices expected sparse column compressed tensor layout but got SparseCsr'),
    ('d.ccol_indices()',
     '!! RuntimeError: ccol_indices expected sparse column compressed tensor layout but got Strided'),
    ('d.row_indices()',
     '!! RuntimeError: row_indices expected sparse column compressed tensor layout but got Strided'),
    ('d.to_sparse().ccol_indices()',
     '!! RuntimeError: ccol_indices expected sparse column compressed tensor layout but got Sparse'),
    ('d.to_sparse().crow_indices()',
     '!! RuntimeError: crow_indices expected sparse row compressed tensor layout but got Sparse'),
    ('d.to_sparse().row_indices()',
     '!! RuntimeError: row_indices expected sparse column compressed tensor layout but got Sparse'),
    ('c.to_dense()',
     '-> tensor([[1., 0., 2.],\n        [0., 3., 0.]])'),
    ('c.to_sparse_csr()',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 2., 3.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csr)'),
    ('c.to_sparse()',
     '-> tensor(indices=tensor([[0, 1, 0],\n                       [0, 1, 2]]),\n       values=tensor([1., 3., 2.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('c.to_sparse_coo()',
     '-> tensor(indices=tensor([[0, 1, 0],\n                       [0, 1, 2]]),\n       values=tensor([1., 3., 2.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('c.to_sparse().is_coalesced()',
     '-> False'),
    ('c.to_sparse_csc() is c',
     '-> True'),
    ('c.to_sparse_csc(1)',
     '!! RuntimeError: to_sparse_csc: conversion from SparseCsc to SparseCsc with dense_dim argument given is not supported'),
    ('c.to_sparse(1)',
     '!! RuntimeError: sparse_compressed_to_sparse: conversion from SparseCsc to Sparse with sparse_dim argument !=2 is not supported'),
    ('c.to_sparse(layout=T.sparse_csr)',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 2., 3.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csr)'),
    ('c.to_sparse(layout=T.strided)',
     '-> tensor([[1., 0., 2.],\n        [0., 3., 0.]])'),
    ('d.to_sparse(layout=T.sparse_csc)',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([1., 3., 2.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ('d.to_sparse().to_sparse_csc()',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([1., 3., 2.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ('d.to_sparse().to_sparse(layout=T.sparse_csc)',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([1., 3., 2.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ('r.to_sparse_csc()',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([1., 3., 2.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ('r.to_sparse(layout=T.sparse_csc)',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([1., 3., 2.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ('r.to_sparse_csr(1)',
     '!! RuntimeError: to_sparse_csr: conversion from SparseCsr to SparseCsr with dense_dim argument given is not supported'),
    ('T.stack([d, d]).to_sparse().to_sparse_csc()',
     '!! RuntimeError: coo_to_sparse_csc: conversion from Sparse to SparseCsc for input tensors with sparse_dim()!=2 is not supported'),
    ('d.double().to_sparse_csc()',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([1., 3., 2.]), size=(2, 3), nnz=3, dtype=ferrograd.float64,\n       layout=ferrograd.sparse_csc)'),
    ('d.int().to_sparse_csc()',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([1, 3, 2]), size=(2, 3), nnz=3, dtype=ferrograd.int32,\n       layout=ferrograd.sparse_csc)'),
    ('b.to_sparse_csc()',
     '-> tensor(ccol_indices=tensor([[0, 1, 2, 3],\n                            [0, 1, 2, 3]]),\n       row_indices=tensor([[0, 1, 0],\n                           [0, 1, 0]]),\n       values=tensor([[1., 3., 2.],\n                      [2., 6., 4.]]), size=(2, 2, 3), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ('b.to_sparse_csc().to_sparse_csr()',
     '-> tensor(crow_indices=tensor([[0, 2, 3],\n                            [0, 2, 3]]),\n       col_indices=tensor([[0, 2, 1],\n                           [0, 2, 1]]),\n       values=tensor([[1., 2., 3.],\n                      [2., 4., 6.]]), size=(2, 2, 3), nnz=3,\n       layout=ferrograd.sparse_csr)'),
    ('b.to_sparse_csr().to_sparse_csc()',
     '-> tensor(ccol_indices=tensor([[0, 1, 2, 3],\n                            [0, 1, 2, 3]]),\n       row_indices=tensor([[0, 1, 0],\n                           [0, 1, 0]]),\n       values=tensor([[1., 3., 2.],\n                      [2., 6., 4.]]), size=(2, 2, 3), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ('b.to_sparse_csc().to_sparse()',
     '-> tensor(indices=tensor([[0, 0, 0, 1, 1, 1],\n                       [0, 1, 0, 0, 1, 0],\n                       [0, 1, 2, 0, 1, 2]]),\n       values=tensor([1., 3., 2., 2., 6., 4.]),\n       size=(2, 2, 3), nnz=6, layout=ferrograd.sparse_coo)'),
    ('b.to_sparse_csc(dense_dim=1)',
     '-> tensor(ccol_indices=tensor([0, 2, 4]),\n       row_indices=tensor([0, 1, 0, 1]),\n       values=tensor([[1., 0., 2.],\n                      [2., 0., 4.],\n                      [0., 3., 0.],\n                      [0., 6., 0.]]), size=(2, 2, 3), nnz=4,\n       layout=ferrograd.sparse_csc)'),
    ('d.unsqueeze(-1).to_sparse_csc(1)',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([[1.],\n                      [3.],\n                      [2.]]), size=(2, 3, 1), nnz=3, layout=ferrograd.sparse_csc)'),
    ('d.unsqueeze(-1).to_sparse_csr(1).to_sparse_csc()',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([[1.],\n                      [3.],\n                      [2.]]), size=(2, 3, 1), nnz=3, layout=ferrograd.sparse_csc)'),
    ('d.unsqueeze(-1).to_sparse_csc(1).to_dense()',
     '-> tensor([[[1.],\n         [0.],\n         [2.]],\n\n        [[0.],\n         [3.],\n         [0.]]])'),
    ('b.to_sparse_csc(dense_dim=3)',
     '!! RuntimeError: dense_to_sparse_csc: dense_dim argument must be in [0,1] range, but 3 is given'),
    ('T.ones(3).to_sparse_csc()',
     '!! IndexError: Dimension out of range (expected to be in range of [-1, 0], but got 1)'),
    ('T.zeros(2, 3).to_sparse_csc()',
     '-> tensor(ccol_indices=tensor([0, 0, 0, 0]),\n       row_indices=tensor([], size=(0,)),\n       values=tensor([], size=(0,)), size=(2, 3), nnz=0,\n       layout=ferrograd.sparse_csc)'),
    ('d.to_sparse_csc().requires_grad_()',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([1., 3., 2.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csc, requires_grad=True)'),
    ('c.t()',
     '-> tensor(crow_indices=tensor([0, 1, 2, 3]),\n       col_indices=tensor([0, 1, 0]),\n       values=tensor([1., 3., 2.]), size=(3, 2), nnz=3,\n       layout=ferrograd.sparse_csr)'),
    ('r.t()',
     '-> tensor(ccol_indices=tensor([0, 2, 3]),\n       row_indices=tensor([0, 2, 1]),\n       values=tensor([1., 2., 3.]), size=(3, 2), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ('r.transpose(0, 1)',
     '-> tensor(ccol_indices=tensor([0, 2, 3]),\n       row_indices=tensor([0, 2, 1]),\n       values=tensor([1., 2., 3.]), size=(3, 2), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ('r.transpose(1, 0)',
     '-> tensor(ccol_indices=tensor([0, 2, 3]),\n       row_indices=tensor([0, 2, 1]),\n       values=tensor([1., 2., 3.]), size=(3, 2), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ('r.transpose(0, 0)',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 2., 3.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csr)'),
    ('r.mT',
     '-> tensor(ccol_indices=tensor([0, 2, 3]),\n       row_indices=tensor([0, 2, 1]),\n       values=tensor([1., 2., 3.]), size=(3, 2), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ('c.mT',
     '-> tensor(crow_indices=tensor([0, 1, 2, 3]),\n       col_indices=tensor([0, 1, 0]),\n       values=tensor([1., 3., 2.]), size=(3, 2), nnz=3,\n       layout=ferrograd.sparse_csr)'),
    ('c.transpose(0, 1)',
     '-> tensor(crow_indices=tensor([0, 1, 2, 3]),\n       col_indices=tensor([0, 1, 0]),\n       values=tensor([1., 3., 2.]), size=(3, 2), nnz=3,\n       layout=ferrograd.sparse_csr)'),
    ('c.t().t()',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([1., 3., 2.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ('r.T',
     "!! NotImplementedError: Could not run 'aten::as_strided' with arguments from the 'SparseCsrCPU' backend. This could be because the operator doesn't exist for this backend, or was omitt"),
    ('c.t_()',
     '!! RuntimeError: ferrograd.transpose_: in-place transposition is not supported for SparseCsc layout'),
    ('r.t_()',
     '!! RuntimeError: ferrograd.transpose_: in-place transposition is not supported for SparseCsr layout'),
    ('b.to_sparse_csc().transpose(1, 2)',
     '-> tensor(crow_indices=tensor([[0, 1, 2, 3],\n                            [0, 1, 2, 3]]),\n       col_indices=tensor([[0, 1, 0],\n                           [0, 1, 0]]),\n       values=tensor([[1., 3., 2.],\n                      [2., 6., 4.]]), size=(2, 3, 2), nnz=3,\n       layout=ferrograd.sparse_csr)'),
    ('b.to_sparse_csc().transpose(0, 1)',
     '!! RuntimeError: transpose(): can only transpose dimensions of the same type (Batch, Sparse, Dense), got 0(Batch) and 1(Sparse)'),
    ('b.to_sparse_csr().transpose(-1, -2)',
     '-> tensor(ccol_indices=tensor([[0, 2, 3],\n                            [0, 2, 3]]),\n       row_indices=tensor([[0, 2, 1],\n                           [0, 2, 1]]),\n       values=tensor([[1., 2., 3.],\n                      [2., 4., 6.]]), size=(2, 3, 2), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ('d.unsqueeze(-1).to_sparse_csr(1).t()',
     '!! RuntimeError: t() expects a tensor with <= 2 dimensions, but self is 3D'),
    ('d.unsqueeze(-1).to_sparse_csr(1).transpose(1, 2)',
     '!! RuntimeError: transpose(): hybrid sparse compressed tensors with dense dimensions are not supported'),
    ('T.stack([b, 3 * b]).to_sparse_csc().transpose(0, 1)',
     '-> tensor(ccol_indices=tensor([[[0, 1, 2, 3],\n                             [0, 1, 2, 3]],\n\n                            [[0, 1, 2, 3],\n                             [0, 1, 2, 3]]]),\n       row_indices=tensor([[[0, 1, 0],\n                            [0, 1, 0]],\n\n                           [[0, 1, 0],\n                            [0, 1, 0]]]),\n       values=tensor([[[ 1.,  3.,  2.],\n                       [ 3.,  9.,  6.]],\n\n                      [[ 2.,  6.,  4.],\n                       [ 6., 18., 12.]]]), size=(2, 2, 2, 3), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ('T.sparse_csc_tensor(T.tensor([0, 1, 2, 3]), T.tensor([0, 1, 0]), T.tensor([1., 3., 2.]), (2, 3))',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([1., 3., 2.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ('T.sparse_csc_tensor(T.tensor([0, 1, 2, 3]), T.tensor([0, 1, 0]), T.tensor([1., 3., 2.]))',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([1., 3., 2.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ('T.sparse_csc_tensor([0, 1, 2, 3], [0, 1, 0], [1., 3., 2.], (2, 3), dtype=T.float64)',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([1., 3., 2.]), size=(2, 3), nnz=3, dtype=ferrograd.float64,\n       layout=ferrograd.sparse_csc)'),
    ('T.sparse_csc_tensor([0, 1, 2, 3], [0, 1, 0], [1., 3., 2.], (2, 3), requires_grad=True)',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([1., 3., 2.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csc, requires_grad=True)'),
    ('T.sparse_csc_tensor([0, 1, 2, 3], [0, 1, 0], [1., 3., 2.], (2, -3))',
     '!! RuntimeError: numel: integer multiplication overflow'),
    ('T.sparse_csc_tensor([[0, 1, 2, 3]], [[0, 1, 0]], [[1., 3., 2.]], (1, 2, 3))',
     '-> tensor(ccol_indices=tensor([[0, 1, 2, 3]]),\n       row_indices=tensor([[0, 1, 0]]),\n       values=tensor([[1., 3., 2.]]), size=(1, 2, 3), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ('T.sparse_csc_tensor([1, 1, 2, 3], [0, 1, 0], [1., 3., 2.], (2, 3), check_invariants=True)',
     '!! RuntimeError: `ccol_indices[..., 0] == 0` is not satisfied.'),
    ('T.sparse_csc_tensor([0, 1, 2, 2], [0, 1, 0], [1., 3., 2.], (2, 3), check_invariants=True)',
     '!! RuntimeError: `ccol_indices[..., -1] == nnz` is not satisfied.'),
    ('T.sparse_csc_tensor([0, 1, 2, 3], [0, 5, 0], [1., 3., 2.], (2, 3), check_invariants=True)',
     '!! RuntimeError: `0 <= row_indices < nrows` is not satisfied.'),
    ('T.sparse_csc_tensor([0, 1, 3], [0, 1, 0], [1., 3., 2.], (2, 3), check_invariants=True)',
     '!! RuntimeError: ccol_indices.shape[-1] must be equal to the number of columns + 1 (=4), but got 3'),
    ('T.sparse_csc_tensor([0, 1, 2, 3], [0, 1], [1., 3., 2.], (2, 3), check_invariants=True)',
     '!! RuntimeError: row_indices.shape[-1] must be equal to nnz (=3) as defined by values.shape[0], but got 2'),
    ('T.sparse_csc_tensor([0, 3, 3, 3], [1, 0, 0], [1., 3., 2.], (2, 3), check_invariants=True)',
     '!! RuntimeError: `0 <= ccol_indices[..., 1:] - ccol_indices[..., :-1] <= nrows` is not satisfied.'),
    ('T.sparse_csc_tensor([0, 2, 1, 3], [0, 1, 0], [1., 3., 2.], (2, 3), check_invariants=True)',
     '!! RuntimeError: `0 <= ccol_indices[..., 1:] - ccol_indices[..., :-1] <= nrows` is not satisfied.'),
    ('T.sparse_csc_tensor([0, 2, 2, 3], [1, 0, 0], [1., 3., 2.], (2, 3), check_invariants=True)',
     '!! RuntimeError: `row_indices[..., ccol_indices[..., i - 1]:ccol_indices[..., i]] for all i = 1, ..., ncols are sorted and distinct along the last dimension values` is not satis'),
    ('T.sparse_csc_tensor([0, 1, 2, 3], [0, 1, 0], [1., 3., 2.], (2, 3, 4), check_invariants=True)',
     '!! RuntimeError: tensor dimensionality must be sum of batch, base, and dense dimensionalities (=0 + 2 + 0) but got 3'),
    ('T.sparse_csc_tensor(T.tensor([0, 1, 2, 3], dtype=T.int32), T.tensor([0, 1, 0]), T.tensor([1., 3., 2.]), (2, 3), check_invariants=True)',
     '!! RuntimeError: ccol_indices and row_indices must have the same dtype, bot got Int and Long, respectively'),
    ('T.sparse_csc_tensor(T.tensor([0., 1, 2, 3]), T.tensor([0., 1, 0]), T.tensor([1., 3., 2.]), (2, 3), check_invariants=True)',
     '!! RuntimeError: ccol_indices and row_indices dtype must be Int or Long, but got Float'),
    ('T.sparse_csc_tensor(T.tensor([[0, 1, 2, 3]]), T.tensor([0, 1, 0]), T.tensor([1., 3., 2.]), (2, 3), check_invariants=True)',
     '!! RuntimeError: ccol_indices and row_indices dimensionalities must be equal but got 2 and 1, respectively'),
    ('T.sparse_compressed_tensor(T.tensor([0, 1, 2, 3]), T.tensor([0, 1, 0]), T.tensor([1., 3., 2.]), (2, 3), layout=T.sparse_csc)',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([1., 3., 2.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ('T.sparse_compressed_tensor(T.tensor([0, 2, 3]), T.tensor([0, 2, 1]), T.tensor([1., 2., 3.]), (2, 3), layout=T.sparse_csr)',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 2., 3.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csr)'),
    ('T.sparse_compressed_tensor(T.tensor([0, 2, 3]), T.tensor([0, 2, 1]), T.tensor([1., 2., 3.]), layout=T.sparse_csr)',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 2., 3.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csr)'),
    ('T.sparse_compressed_tensor(compressed_indices=[0, 1, 2, 3], plain_indices=[0, 1, 0], values=[1., 3., 2.], size=(2, 3), layout=T.sparse_csc)',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([1., 3., 2.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ('T.sparse_compressed_tensor([0, 1, 2, 3], [0, 1, 0], [1., 3., 2.], (2, 3), dtype=T.float64, layout=T.sparse_csc)',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([1., 3., 2.]), size=(2, 3), nnz=3, dtype=ferrograd.float64,\n       layout=ferrograd.sparse_csc)'),
    ('T.sparse_compressed_tensor([0, 2, 3], [0, 2, 1], [1., 2., 3.], (2, 3))',
     '!! RuntimeError: sparse_compressed_tensor expected sparse compressed tensor layout but got none'),
    ('T.sparse_compressed_tensor([0, 2, 3], [0, 2, 1], [1., 2., 3.], (2, 3), layout=T.sparse_coo)',
     '!! RuntimeError: sparse_compressed_tensor expected sparse compressed tensor layout but got Sparse'),
    ('T.sparse_compressed_tensor([0, 2, 3], [0, 2, 1], [1., 2., 3.], (2, 3), layout=T.strided)',
     '!! RuntimeError: sparse_compressed_tensor expected sparse compressed tensor layout but got Strided'),
    ('T.sparse_compressed_tensor([0, 3, 3, 3], [1, 0, 0], [1., 3., 2.], (2, 3), layout=T.sparse_csc, check_invariants=True)',
     '!! RuntimeError: `0 <= ccol_indices[..., 1:] - ccol_indices[..., :-1] <= nrows` is not satisfied.'),
    ('c.mm(m)',
     '-> tensor([[11., 14.],\n        [ 9., 12.]])'),
    ('c @ m',
     '-> tensor([[11., 14.],\n        [ 9., 12.]])'),
    ('c.mv(m[:, 0])',
     '-> tensor([11.,  9.])'),
    ('c @ m[:, 0]',
     '-> tensor([11.,  9.])'),
    ('T.mm(c, m)',
     '-> tensor([[11., 14.],\n        [ 9., 12.]])'),
    ('T.addmm(T.ones(2, 2), c, m)',
     '-> tensor([[12., 15.],\n        [10., 13.]])'),
    ('T.addmm(T.ones(2, 2), c, m, beta=2, alpha=0.5)',
     '-> tensor([[7.5000, 9.0000],\n        [6.5000, 8.0000]])'),
    ('T.ones(2, 2) @ c',
     '-> tensor([[1., 3., 2.],\n        [1., 3., 2.]])'),
    ('T.ones(4, 2).mm(c)',
     '-> tensor([[1., 3., 2.],\n        [1., 3., 2.],\n        [1., 3., 2.],\n        [1., 3., 2.]])'),
    ('c * 2',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([2., 6., 4.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ('2 * c',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([2., 6., 4.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ('c * T.ones(2, 3)',
     '!! RuntimeError: Expected result Tensor to be of format CSR'),
    ('c * c',
     '!! RuntimeError: Expected result Tensor to be of format CSR'),
    ('c * r',
     '!! RuntimeError: Expected result Tensor to be of format CSR'),
    ('c + c',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([2., 6., 4.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ('c + r',
     '!! RuntimeError: crow_indices expected sparse row compressed tensor layout but got SparseCsc'),
    ('c + T.ones(2, 3)',
     '-> tensor([[2., 1., 3.],\n        [1., 4., 1.]])'),
    ('T.ones(2, 3) + c',
     '-> tensor([[2., 1., 3.],\n        [1., 4., 1.]])'),
    ('r + T.ones(2, 3)',
     '-> tensor([[2., 1., 3.],\n        [1., 4., 1.]])'),
    ('c - c',
     '!! RuntimeError: unsupported tensor layout: SparseCsc'),
    ('c.sum()',
     '-> tensor(6.)'),
    ('c.sum(0)',
     '!! RuntimeError: Currently the only compressed sparse format supported for sum.dim_IntList is CSR, but got layout SparseCsc'),
    ('c.sum(dtype=T.float64)',
     '-> tensor(6., dtype=ferrograd.float64)'),
    ('c.sin()',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([0.8415, 0.1411, 0.9093]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ('c.abs()',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([1., 3., 2.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ('c.neg()',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([-1., -3., -2.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ('-c',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([-1., -3., -2.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ('c.sqrt()',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([1.0000, 1.7321, 1.4142]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ('c.tanh()',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([0.7616, 0.9951, 0.9640]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ('c.relu()',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([1., 3., 2.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ('c.sign()',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([1., 1., 1.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ('c.round()',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([1., 3., 2.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ('c.isnan()',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([False, False, False]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ('c.erf()',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([0.8427, 1.0000, 0.9953]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ('c.exp()',
     '!! RuntimeError: unsupported tensor layout: SparseCsc'),
    ('c.cos()',
     '!! RuntimeError: unsupported tensor layout: SparseCsc'),
    ('c.round(decimals=1)',
     '!! RuntimeError: unsupported tensor layout: SparseCsc'),
    ('c.clone().sin_()',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([0.8415, 0.1411, 0.9093]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ('c.clone().mul_(2)',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([2., 6., 4.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ('c.select(0, 1)',
     '-> tensor(indices=tensor([[1]]),\n       values=tensor([3.]),\n       size=(3,), nnz=1, layout=ferrograd.sparse_coo)'),
    ('c.select(1, 1)',
     '-> tensor(indices=tensor([[1]]),\n       values=tensor([3.]),\n       size=(2,), nnz=1, layout=ferrograd.sparse_coo)'),
    ('c[0]',
     '-> tensor(indices=tensor([[0, 2]]),\n       values=tensor([1., 2.]),\n       size=(3,), nnz=2, layout=ferrograd.sparse_coo)'),
    ('c[0, 2]',
     '-> tensor(2.)'),
    ('c[:, 1:]',
     '!! RuntimeError: Sparse CSC tensors do not have strides'),
    ('c.clone()',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([1., 3., 2.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ('c.detach()',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([1., 3., 2.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ('c.to(T.float64)',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([1., 3., 2.]), size=(2, 3), nnz=3, dtype=ferrograd.float64,\n       layout=ferrograd.sparse_csc)'),
    ('c.double()',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([1., 3., 2.]), size=(2, 3), nnz=3, dtype=ferrograd.float64,\n       layout=ferrograd.sparse_csc)'),
    ('c.view(6)',
     "!! NotImplementedError: Could not run 'aten::view' with arguments from the 'SparseCsrCPU' backend. This could be because the operator doesn't exist for this backend, or was omitted dur"),
    ('c.reshape(6)',
     '!! RuntimeError: Sparse CSC tensors do not have is_contiguous'),
    ('c.stride()',
     '!! RuntimeError: Sparse CSC tensors do not have strides'),
    ('c.is_contiguous()',
     '!! RuntimeError: Sparse CSC tensors do not have is_contiguous'),
    ('c.numpy()',
     "!! TypeError: can't convert SparseCsc layout tensor to numpy. Use Tensor.to_dense() first."),
    ('c.tolist()',
     "!! RuntimeError: Cannot access data pointer of Tensor that doesn't have storage"),
    ('c.item()',
     '!! RuntimeError: a Tensor with 6 elements cannot be converted to Scalar'),
    ('len(c)',
     '-> 2'),
    ('bool(c)',
     '!! RuntimeError: Boolean value of Tensor with more than one value is ambiguous'),
    ('c.cumsum(0)',
     "!! NotImplementedError: Could not run 'aten::cumsum.out' with arguments from the 'SparseCsrCPU' backend. This could be because the operator doesn't exist for this backend, or was omitt"),
    ('T.atan2(c, T.ones(2, 3))',
     '!! RuntimeError: unsupported tensor layout: SparseCsc'),
    ('T.cat([c, c])',
     '!! RuntimeError: Sparse CSC tensors do not have is_contiguous'),
    ('c.type()',
     '!! RuntimeError: Unimplemented backend SparseCsrCPU'),
    ('T.zeros_like(c)',
     '-> tensor(ccol_indices=tensor([0, 0, 0, 0]),\n       row_indices=tensor([], size=(0,)),\n       values=tensor([], size=(0,)), size=(2, 3), nnz=0,\n       layout=ferrograd.sparse_csc)'),
    ('T.ones_like(c)',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([1., 1., 1.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ('T.empty_like(c).layout',
     '-> ferrograd.sparse_csc'),
    ('T.zeros(2, 3, layout=T.sparse_csc)',
     '-> tensor(ccol_indices=tensor([0, 0, 0, 0]),\n       row_indices=tensor([], size=(0,)),\n       values=tensor([], size=(0,)), size=(2, 3), nnz=0,\n       layout=ferrograd.sparse_csc)'),
    ('T.empty(2, 2, 3, layout=T.sparse_csc).layout',
     '-> ferrograd.sparse_csc'),
    ("__import__('copy').copy(c)",
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([1., 3., 2.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ("__import__('copy').deepcopy(c)",
     '!! NotImplementedError: Cannot access storage of SparseCsrTensorImpl'),
    ('c.requires_grad_().t().grad_fn.name()',
     "-> 'TBackward0'"),
    ('r.requires_grad_().transpose(0, 1).grad_fn.name()',
     "-> 'TransposeBackward0'"),
    ('d.clone().requires_grad_().to_sparse_csc().grad_fn.name()',
     "-> 'ToSparseCscBackward0'"),
    ('r.requires_grad_().to_sparse_csc().grad_fn.name()',
     "-> 'ToSparseCscBackward0'"),
    ('c.requires_grad_().to_sparse_csr().grad_fn.name()',
     "-> 'ToSparseCsrBackward0'"),
    ('c.requires_grad_().to_dense().grad_fn.name()',
     "-> 'ToDenseBackward0'"),
    ('T.sparse_csc_tensor([0, 1, 2, 3], [0, 1, 0], T.tensor([1., 3., 2.], requires_grad=True), (2, 3)).grad_fn.name()',
     "-> 'SparseCompressedTensorBackward0'"),
    ('T.ones(2, 3).type_as(c)',
     "!! RuntimeError: to(options) doesn't support converting to a different layout, but got self.layout being Strided and options.layout set as SparseCsc"),
]


# pickling, in-place fills, products of two compressed matrices, a compressed mat2
MORE_CASES = [
    ("__import__('pickle').loads(__import__('pickle').dumps(c))",
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([1., 3., 2.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ("__import__('pickle').loads(__import__('pickle').dumps(r))",
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 2, 1]),\n       values=tensor([1., 2., 3.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csr)'),
    ("__import__('pickle').loads(__import__('pickle').dumps(d.to_sparse_bsc(1)))",
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([[[1.]],\n\n                      [[3.]],\n\n                      [[2.]]]), size=(2, 3), nnz=3, layout=ferrograd.sparse_bsc)'),
    ('c.clone().zero_()',
     '-> tensor(ccol_indices=tensor([0, 0, 0, 0]),\n       row_indices=tensor([], size=(0,)),\n       values=tensor([], size=(0,)), size=(2, 3), nnz=0,\n       layout=ferrograd.sparse_csc)'),
    ('r.clone().zero_()',
     '-> tensor(crow_indices=tensor([0, 0, 0]),\n       col_indices=tensor([], size=(0,)),\n       values=tensor([], size=(0,)), size=(2, 3), nnz=0,\n       layout=ferrograd.sparse_csr)'),
    ('c.clone().fill_(1)',
     '-> tensor(ccol_indices=tensor([0, 1, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([1., 1., 1.]), size=(2, 3), nnz=3,\n       layout=ferrograd.sparse_csc)'),
    ('b.to_sparse_csr().zero_()',
     '-> tensor(crow_indices=tensor([[0, 0, 0],\n                            [0, 0, 0]]),\n       col_indices=tensor([], size=(2, 0)),\n       values=tensor([], size=(2, 0)), size=(2, 2, 3), nnz=0,\n       layout=ferrograd.sparse_csr)'),
    ('c @ c.t()',
     '-> tensor(crow_indices=tensor([0, 1, 2]),\n       col_indices=tensor([0, 1]),\n       values=tensor([5., 9.]), size=(2, 2), nnz=2, layout=ferrograd.sparse_csr)'),
    ('r @ r.t()',
     '-> tensor(crow_indices=tensor([0, 1, 2]),\n       col_indices=tensor([0, 1]),\n       values=tensor([5., 9.]), size=(2, 2), nnz=2, layout=ferrograd.sparse_csr)'),
    ('r @ r.t().to_sparse_csc()',
     '-> tensor(crow_indices=tensor([0, 1, 2]),\n       col_indices=tensor([0, 1]),\n       values=tensor([5., 9.]), size=(2, 2), nnz=2, layout=ferrograd.sparse_csr)'),
    ('r.mm(c.t())',
     '-> tensor(crow_indices=tensor([0, 1, 2]),\n       col_indices=tensor([0, 1]),\n       values=tensor([5., 9.]), size=(2, 2), nnz=2, layout=ferrograd.sparse_csr)'),
    ('r @ c',
     '!! RuntimeError: mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)'),
    ('T.addmm(T.ones(2, 2), T.ones(2, 3), c.t())',
     '-> tensor([[4., 4.],\n        [4., 4.]])'),
    ('T.addmm(T.ones(2, 2), T.ones(2, 3), r.t(), beta=0.5, alpha=2)',
     '-> tensor([[6.5000, 6.5000],\n        [6.5000, 6.5000]])'),
    ('T.sparse.sum(c)',
     '!! RuntimeError: coalesce expected sparse coordinate tensor layout but got SparseCsc'),
    ('T.sparse.sum(r)',
     '!! RuntimeError: coalesce expected sparse coordinate tensor layout but got SparseCsr'),
]
CASES += MORE_CASES

@pytest.mark.parametrize(("expr", "expected"), CASES, ids=[c[0] for c in CASES])
def test_matches_pytorch(expr: str, expected: str) -> None:
    assert _outcome(expr) == expected


D = [[1.0, 0.0, 2.0], [0.0, 3.0, 0.0]]
W = [[1.0, -2.0, 3.0], [0.5, 4.0, -1.0]]


def _leaf_grad(fn, layout: str = "csc"):
    s = getattr(T.tensor(D, dtype=T.float64), "to_sparse_" + layout)().requires_grad_()
    fn(s).backward()
    return s.grad


def _dense_grad(fn):
    x = T.tensor(D, dtype=T.float64, requires_grad=True)
    fn(x).backward()
    return x.grad.tolist()


def test_leaf_gradients_match_pytorch() -> None:
    m = T.arange(6.0, dtype=T.float64).reshape(3, 2)
    w = T.tensor(W, dtype=T.float64)
    g = _leaf_grad(lambda s: (s.mm(m) * T.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=T.float64)).sum())
    assert g.layout == T.strided and g.tolist() == [[2.0, 8.0, 14.0], [4.0, 18.0, 32.0]]
    assert _leaf_grad(lambda s: s.sum()).tolist() == [[1.0] * 3] * 2
    assert _leaf_grad(lambda s: (T.ones(2, 2, dtype=T.float64) @ s).sum()).tolist() == [[2.0] * 3] * 2
    assert _leaf_grad(lambda s: s.t().mm(T.ones(2, 2, dtype=T.float64)).sum(), "csr").tolist() == [[2.0] * 3] * 2
    for fn in (lambda s: (s.t().to_dense() * w.t()).sum(), lambda s: (s.to_sparse_csc().to_dense() * w).sum()):
        g = _leaf_grad(fn, "csr")  # on the CSR leaf's indices
        assert g.layout == T.sparse_csr and g.values().tolist() == [1.0, 3.0, 4.0]


def test_gradients_reach_the_dense_source_as_pytorch() -> None:
    m = T.arange(6.0, dtype=T.float64).reshape(3, 2)
    w = T.tensor(W, dtype=T.float64)
    masked = [[1.0, 0.0, 3.0], [0.0, 4.0, 0.0]]
    assert _dense_grad(lambda x: (x.to_sparse_csc() @ m).sum()) == [[1.0, 5.0, 9.0]] * 2
    assert _dense_grad(lambda x: (x.to_sparse_csc().to_dense() * w).sum()) == masked
    assert _dense_grad(lambda x: (x.to_sparse_csc().t().to_dense() * w.t()).sum()) == masked
    assert _dense_grad(lambda x: (x.to_sparse_csc().t() @ T.ones(2, 1, dtype=T.float64)).sum()) == [[1.0] * 3] * 2
    assert _dense_grad(lambda x: (x.to_sparse_csc().to_sparse_csr().to_dense() * w).sum()) == masked
    assert _dense_grad(lambda x: (x.to_sparse_csc().to_sparse().to_dense() * w).sum()) == masked
    values = T.tensor([1.0, 2.0, 3.0], dtype=T.float64)
    assert _dense_grad(lambda x: (x.to_sparse_csc().values() * values).sum()) == [[1.0, 0.0, 3.0], [0.0, 2.0, 0.0]]
    assert _dense_grad(lambda x: T.addmm(T.ones(2, 2, dtype=T.float64), x.to_sparse_csc(), m, alpha=2).sum()) == \
        [[2.0, 10.0, 18.0]] * 2
    assert _dense_grad(lambda x: x.to_sparse_csc().mv(m[:, 0]).sum()) == [[0.0, 2.0, 4.0]] * 2


@pytest.mark.parametrize("fn", [
    lambda x, m: x.to_sparse_csc() @ m,
    lambda x, m: T.addmm(m[:2], x.to_sparse_csc(), m, alpha=0.5),
    lambda x, m: x.to_sparse_csr().t() @ m[:2],
    lambda x, m: T.sparse_csc_tensor([0, 1, 2, 3], [0, 1, 0], x[0], (2, 3)) @ m,
    lambda x, m: T.sparse_compressed_tensor([0, 1, 2, 3], [0, 1, 0], x[1], (2, 3), layout=T.sparse_csc).to_sparse().to_dense(),
    lambda x, m: (T.sparse_csc_tensor([0, 1, 2, 3], [0, 1, 0], m[:, 0], (2, 3)).sin() * 2).to_sparse_csr().to_dense(),
    lambda x, m: T.sparse_csc_tensor([[0, 1, 2, 3]] * 2, [[0, 1, 0]] * 2, m.t(), (2, 2, 3)).to_sparse_csr().values()
    * x.sum(),
], ids=["mm", "addmm", "transposed", "from_values", "compressed_to_coo", "unary_to_csr", "batched"])
def test_gradcheck(fn) -> None:
    x = T.tensor([[0.5, 0.0, -1.5], [0.0, 2.0, 0.25]], dtype=T.float64, requires_grad=True)
    m = T.tensor([[0.5, -1.0], [2.0, 0.25], [1.5, -0.75]], dtype=T.float64, requires_grad=True)
    assert T.autograd.gradcheck(fn, (x, m))


def test_csr_csc_round_trip_keeps_entries() -> None:
    dense = T.tensor([[[0.0, 1.0, 0.0, 2.0], [3.0, 0.0, 4.0, 0.0], [0.0, 5.0, 6.0, 0.0]]] * 2)
    csc = dense.to_sparse_csc()
    assert csc.ccol_indices().tolist() == [[0, 1, 3, 5, 6]] * 2
    assert csc.row_indices().tolist() == [[1, 0, 2, 1, 2, 0]] * 2
    assert csc.values().tolist() == [[3.0, 1.0, 5.0, 4.0, 6.0, 2.0]] * 2
    back = csc.to_sparse_csr()
    assert back.crow_indices().tolist() == [[0, 2, 4, 6]] * 2 and back.col_indices().tolist() == [[1, 3, 0, 2, 1, 2]] * 2
    assert back.to_dense().tolist() == dense.tolist() and csc.to_dense().tolist() == dense.tolist()
    assert csc.transpose(-2, -1).to_dense().tolist() == dense.transpose(-2, -1).tolist()


def test_autograd_grad_of_a_compressed_input() -> None:
    m = T.arange(6.0, dtype=T.float64).reshape(3, 2)
    for layout in ("csr", "csc"):
        s = getattr(T.tensor(D, dtype=T.float64), "to_sparse_" + layout)().requires_grad_()
        (g,) = T.autograd.grad(s.mm(m).sum(), s)
        assert g.layout == T.strided and g.tolist() == [[1.0, 5.0, 9.0]] * 2  # PyTorch's
        assert s.grad is None  # autograd.grad leaves .grad alone
        (g,) = T.autograd.grad((s * 3).to_dense().sum(), s)
        assert g.layout == s.layout and g.values().tolist() == [3.0, 3.0, 3.0]


def test_a_leaf_changed_in_place_gets_the_gradient_at_its_new_values() -> None:
    m = T.arange(6.0, dtype=T.float64).reshape(3, 2)
    s = T.tensor(D, dtype=T.float64).to_sparse_csr().requires_grad_()
    first, second = s.mm(m), s.mm(m)
    (first + second).sum().backward()
    assert s.grad.tolist() == [[2.0, 10.0, 18.0]] * 2
    with T.no_grad():
        s.values().mul_(2)
    s.grad = None
    out = s.mm(m)
    assert out.tolist() == [[16.0, 22.0], [12.0, 18.0]]
    out.sum().backward()
    assert s.grad.tolist() == [[1.0, 5.0, 9.0]] * 2


@pytest.mark.parametrize("layout", ["csr", "csc", "coo"])
def test_gradcheck_of_sparse_inputs(layout: str) -> None:
    # PyTorch perturbs the stored values; its products' dense gradient matches there
    s = getattr(T.tensor(D, dtype=T.float64), "to_sparse_" + layout)().requires_grad_()
    m = T.arange(6.0, dtype=T.float64).reshape(3, 2).requires_grad_()
    product = T.sparse.mm if layout == "coo" else T.mm
    assert T.autograd.gradcheck(lambda a, b: product(a, b), (s, m))
    assert T.autograd.gradcheck(lambda a: a.to_dense() * 2, (s,), masked=True)
    with pytest.raises(ValueError, match="Sparse output is not supported at gradcheck yet"):
        T.autograd.gradcheck(lambda a: a * 2, (s,))


def test_compressed_layouts_warn_beta_once_naming_the_first():
    import subprocess
    import sys

    code = ("import warnings, ferrograd as T\nwarnings.simplefilter('always')\n"
            "d = T.ones(2, 2)\nd.to_sparse()\nd.to_sparse_bsr((1, 1))\nd.to_sparse_csr()\nT.matmul(d, d.to_sparse_csc())\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    lines = [line for line in proc.stderr.splitlines() if "Warning" in line]
    assert len(lines) == 1
    assert lines[0].endswith(
        "UserWarning: Sparse BSR tensor support is in beta state. If you miss a functionality in the sparse "
        "tensor support, please submit a feature request to https://github.com/pytorch/pytorch/issues. "
        "(Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/SparseCsrTensorImpl.cpp:49.)")
    assert lines[0].startswith("<string>:5: ")


def test_matmul_of_dense_and_compressed_is_dense():
    d = T.tensor([[1.0, 0.0, 2.0], [0.0, 3.0, 0.0]])
    for s in (d.to_sparse_csr(), d.to_sparse_csc(), d.to_sparse()):
        out = T.matmul(T.ones(4, 2), s)
        assert out.layout == T.strided and out.tolist() == [[1.0, 3.0, 2.0]] * 4
        assert T.ones(4, 2).matmul(s).tolist() == [[1.0, 3.0, 2.0]] * 4
