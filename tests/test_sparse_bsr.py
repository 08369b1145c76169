"""Blocked sparse tensors (BSR and BSC) against PyTorch 2.13 (CPU): each case is an
expression, evaluated with `T = ferrograd`, and PyTorch's repr of its result or its
exception type and message (the first 160 characters), with `torch.` written
`ferrograd.`. Gradients are checked against PyTorch's values and by finite differences."""

import ferrograd as T
import pytest


def _setup() -> dict:
    g = {"T": T}
    g["q"] = T.tensor([[1.0, 2.0, 0.0, 0.0], [3.0, 4.0, 0.0, 0.0], [0.0, 0.0, 0.0, 5.0], [0.0, 0.0, 6.0, 0.0]])
    g["w"] = T.tensor([[1.0, 0.0, 0.0, 2.0], [0.0, 0.0, 3.0, 0.0], [0.0, 0.0, 0.0, 0.0], [4.0, 5.0, 0.0, 0.0]])
    g["br"] = g["q"].to_sparse_bsr((2, 2))
    g["bc"] = g["q"].to_sparse_bsc((2, 2))
    return g


def _outcome(expr: str) -> str:
    try:
        return "-> " + repr(eval(expr, _setup()))
    except Exception as e:  # noqa: BLE001 (the exception is what is compared)
        return f"!! {type(e).__name__}: {str(e)[:160]}"


# (expression, what PyTorch 2.13 gives)
CASES = [
    ('br',
     '-> tensor(crow_indices=tensor([0, 1, 2]),\n       col_indices=tensor([0, 1]),\n       values=tensor([[[1., 2.],\n                       [3., 4.]],\n\n                      [[0., 5.],\n                       [6., 0.]]]), size=(4, 4), nnz=2,\n       layout=ferrograd.sparse_bsr)'),
    ('bc',
     '-> tensor(ccol_indices=tensor([0, 1, 2]),\n       row_indices=tensor([0, 1]),\n       values=tensor([[[1., 2.],\n                       [3., 4.]],\n\n                      [[0., 5.],\n                       [6., 0.]]]), size=(4, 4), nnz=2,\n       layout=ferrograd.sparse_bsc)'),
    ('T.sparse_bsr',
     '-> ferrograd.sparse_bsr'),
    ('T.sparse_bsc',
     '-> ferrograd.sparse_bsc'),
    ('q.to_sparse_bsr((1, 2))',
     '-> tensor(crow_indices=tensor([0, 1, 2, 3, 4]),\n       col_indices=tensor([0, 0, 1, 1]),\n       values=tensor([[[1., 2.]],\n\n                      [[3., 4.]],\n\n                      [[0., 5.]],\n\n                      [[6., 0.]]]), size=(4, 4), nnz=4,\n       layout=ferrograd.sparse_bsr)'),
    ('q.to_sparse_bsr(2)',
     '-> tensor(crow_indices=tensor([0, 1, 2]),\n       col_indices=tensor([0, 1]),\n       values=tensor([[[1., 2.],\n                       [3., 4.]],\n\n                      [[0., 5.],\n                       [6., 0.]]]), size=(4, 4), nnz=2,\n       layout=ferrograd.sparse_bsr)'),
    ('q.to_sparse_bsr((3, 2))',
     '!! RuntimeError: dense_to_sparse_bsr: tensor sparse size (4,4) must be divisible by given blocksize (3,2)'),
    ('q.to_sparse_bsr()',
     '!! TypeError: to_sparse_bsr() missing 1 required positional arguments: "blocksize"'),
    ('q.to_sparse_bsr((2, 2, 2))',
     '!! RuntimeError: dense_to_sparse_bsr: blocksize needs to be a tuple of size 2, but got 3'),
    ('q.to_sparse(layout=T.sparse_bsr, blocksize=(2, 2))',
     '-> tensor(crow_indices=tensor([0, 1, 2]),\n       col_indices=tensor([0, 1]),\n       values=tensor([[[1., 2.],\n                       [3., 4.]],\n\n                      [[0., 5.],\n                       [6., 0.]]]), size=(4, 4), nnz=2,\n       layout=ferrograd.sparse_bsr)'),
    ('q.to_sparse(layout=T.sparse_bsr)',
     '!! RuntimeError: dense_to_sparse: conversion from Strided to SparseBsr without blocksize argument given is not supported'),
    ('q.to_sparse(layout=T.sparse_bsc, blocksize=2)',
     '-> tensor(ccol_indices=tensor([0, 1, 2]),\n       row_indices=tensor([0, 1]),\n       values=tensor([[[1., 2.],\n                       [3., 4.]],\n\n                      [[0., 5.],\n                       [6., 0.]]]), size=(4, 4), nnz=2,\n       layout=ferrograd.sparse_bsc)'),
    ('(br.layout, br.is_sparse, br.is_sparse_csr, br.shape, br.sparse_dim(), br.dense_dim(), br._nnz())',
     '-> (ferrograd.sparse_bsr, False, False, ferrograd.Size([4, 4]), 2, 0, 2)'),
    ('(br.crow_indices(), br.col_indices(), br.values().shape)',
     '-> (tensor([0, 1, 2]), tensor([0, 1]), ferrograd.Size([2, 2, 2]))'),
    ('br.ccol_indices()',
     '!! RuntimeError: ccol_indices expected sparse column compressed tensor layout but got SparseBsr'),
    ('(bc.ccol_indices(), bc.row_indices())',
     '-> (tensor([0, 1, 2]), tensor([0, 1]))'),
    ('bc.crow_indices()',
     '!! RuntimeError: crow_indices expected sparse row compressed tensor layout but got SparseBsc'),
    ('br.indices()',
     '!! RuntimeError: indices expected sparse coordinate tensor layout but got SparseBsr'),
    ('br.to_dense()',
     '-> tensor([[1., 2., 0., 0.],\n        [3., 4., 0., 0.],\n        [0., 0., 0., 5.],\n        [0., 0., 6., 0.]])'),
    ('bc.to_dense()',
     '-> tensor([[1., 2., 0., 0.],\n        [3., 4., 0., 0.],\n        [0., 0., 0., 5.],\n        [0., 0., 6., 0.]])'),
    ('br.to_sparse()',
     '-> tensor(indices=tensor([[0, 0, 1, 1, 2, 2, 3, 3],\n                       [0, 1, 0, 1, 2, 3, 2, 3]]),\n       values=tensor([1., 2., 3., 4., 0., 5., 6., 0.]),\n       size=(4, 4), nnz=8, layout=ferrograd.sparse_coo)'),
    ('bc.to_sparse()',
     '-> tensor(indices=tensor([[0, 0, 1, 1, 2, 2, 3, 3],\n                       [0, 1, 0, 1, 2, 3, 2, 3]]),\n       values=tensor([1., 2., 3., 4., 0., 5., 6., 0.]),\n       size=(4, 4), nnz=8, layout=ferrograd.sparse_coo)'),
    ('w.to_sparse_bsr(2)',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 1, 0]),\n       values=tensor([[[1., 0.],\n                       [0., 0.]],\n\n                      [[0., 2.],\n                       [3., 0.]],\n\n                      [[0., 0.],\n                       [4., 5.]]]), size=(4, 4), nnz=3,\n       layout=ferrograd.sparse_bsr)'),
    ('w.to_sparse_bsr(2).to_sparse()',
     '-> tensor(indices=tensor([[0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3],\n                       [0, 1, 0, 1, 2, 3, 2, 3, 0, 1, 0, 1]]),\n       values=tensor([1., 0., 0., 0., 0., 2., 3., 0., 0., 0., 4., 5.]),\n       size=(4, 4), nnz=12, layout=ferrograd.sparse_coo)'),
    ('w.to_sparse_bsc(2)',
     '-> tensor(ccol_indices=tensor([0, 2, 3]),\n       row_indices=tensor([0, 1, 0]),\n       values=tensor([[[1., 0.],\n                       [0., 0.]],\n\n                      [[0., 0.],\n                       [4., 5.]],\n\n                      [[0., 2.],\n                       [3., 0.]]]), size=(4, 4), nnz=3,\n       layout=ferrograd.sparse_bsc)'),
    ('w.to_sparse_bsc(2).to_sparse()',
     '-> tensor(indices=tensor([[0, 0, 1, 1, 2, 2, 3, 3, 0, 0, 1, 1],\n                       [0, 1, 0, 1, 0, 1, 0, 1, 2, 3, 2, 3]]),\n       values=tensor([1., 0., 0., 0., 0., 0., 4., 5., 0., 2., 3., 0.]),\n       size=(4, 4), nnz=12, layout=ferrograd.sparse_coo)'),
    ('w.to_sparse_bsc(2).to_dense()',
     '-> tensor([[1., 0., 0., 2.],\n        [0., 0., 3., 0.],\n        [0., 0., 0., 0.],\n        [4., 5., 0., 0.]])'),
    ('w.to_sparse_bsr((1, 2)).to_sparse_bsc((1, 2))',
     '-> tensor(ccol_indices=tensor([0, 2, 4]),\n       row_indices=tensor([0, 3, 0, 1]),\n       values=tensor([[[1., 0.]],\n\n                      [[4., 5.]],\n\n                      [[0., 2.]],\n\n                      [[3., 0.]]]), size=(4, 4), nnz=4,\n       layout=ferrograd.sparse_bsc)'),
    ('w.to_sparse_bsc(2).to_sparse_bsr(2)',
     '-> tensor(crow_indices=tensor([0, 2, 3]),\n       col_indices=tensor([0, 1, 0]),\n       values=tensor([[[1., 0.],\n                       [0., 0.]],\n\n                      [[0., 2.],\n                       [3., 0.]],\n\n                      [[0., 0.],\n                       [4., 5.]]]), size=(4, 4), nnz=3,\n       layout=ferrograd.sparse_bsr)'),
    ('br.to_sparse_csr()',
     '!! RuntimeError: sparse_compressed_to_sparse_csr: expected SparseCsr or SparseCsc layout but got SparseBsr'),
    ('br.to_sparse_csc()',
     '!! RuntimeError: sparse_compressed_to_sparse_csc: expected SparseCsr or SparseCsc layout but got SparseBsr'),
    ('bc.to_sparse_csr()',
     '!! RuntimeError: sparse_compressed_to_sparse_csr: expected SparseCsr or SparseCsc layout but got SparseBsc'),
    ('br.to_sparse_bsc(2)',
     '-> tensor(ccol_indices=tensor([0, 1, 2]),\n       row_indices=tensor([0, 1]),\n       values=tensor([[[1., 2.],\n                       [3., 4.]],\n\n                      [[0., 5.],\n                       [6., 0.]]]), size=(4, 4), nnz=2,\n       layout=ferrograd.sparse_bsc)'),
    ('br.to_sparse_bsc((1, 1))',
     '!! RuntimeError: sparse_compressed_to_sparse_bsc: conversion from SparseBsr to SparseBsc with blocksize changed from [2, 2] to [1, 1] is not supported'),
    ('br.to_sparse_bsr((2, 2)) is br',
     '-> True'),
    ('br.to_sparse_bsr((1, 1))',
     '!! RuntimeError: to_sparse_bsr: conversion from SparseBsr to SparseBsr with blocksize changed from [2, 2] to [1, 1] is not supported'),
    ('q.to_sparse_csr().to_sparse_bsr(2)',
     '-> tensor(crow_indices=tensor([0, 1, 2]),\n       col_indices=tensor([0, 1]),\n       values=tensor([[[1., 2.],\n                       [3., 4.]],\n\n                      [[0., 5.],\n                       [6., 0.]]]), size=(4, 4), nnz=2,\n       layout=ferrograd.sparse_bsr)'),
    ('q.to_sparse().to_sparse_bsr(2)',
     '-> tensor(crow_indices=tensor([0, 1, 2]),\n       col_indices=tensor([0, 1]),\n       values=tensor([[[1., 2.],\n                       [3., 4.]],\n\n                      [[0., 5.],\n                       [6., 0.]]]), size=(4, 4), nnz=2,\n       layout=ferrograd.sparse_bsr)'),
    ('q.to_sparse_csr().to_sparse_bsc(2)',
     '-> tensor(ccol_indices=tensor([0, 1, 2]),\n       row_indices=tensor([0, 1]),\n       values=tensor([[[1., 2.],\n                       [3., 4.]],\n\n                      [[0., 5.],\n                       [6., 0.]]]), size=(4, 4), nnz=2,\n       layout=ferrograd.sparse_bsc)'),
    ('T.sparse_bsr_tensor(T.tensor([0, 1, 2]), T.tensor([0, 1]), T.tensor([[[1., 2.], [3., 4.]], [[0., 5.], [6., 0.]]]), (4, 4))',
     '-> tensor(crow_indices=tensor([0, 1, 2]),\n       col_indices=tensor([0, 1]),\n       values=tensor([[[1., 2.],\n                       [3., 4.]],\n\n                      [[0., 5.],\n                       [6., 0.]]]), size=(4, 4), nnz=2,\n       layout=ferrograd.sparse_bsr)'),
    ('T.sparse_bsr_tensor(T.tensor([0, 1, 2]), T.tensor([0, 1]), T.tensor([[[1., 2.], [3., 4.]], [[0., 5.], [6., 0.]]]))',
     '-> tensor(crow_indices=tensor([0, 1, 2]),\n       col_indices=tensor([0, 1]),\n       values=tensor([[[1., 2.],\n                       [3., 4.]],\n\n                      [[0., 5.],\n                       [6., 0.]]]), size=(4, 4), nnz=2,\n       layout=ferrograd.sparse_bsr)'),
    ('T.sparse_bsc_tensor(T.tensor([0, 1, 2]), T.tensor([0, 1]), T.tensor([[[1., 2.], [3., 4.]], [[0., 5.], [6., 0.]]]), (4, 4))',
     '-> tensor(ccol_indices=tensor([0, 1, 2]),\n       row_indices=tensor([0, 1]),\n       values=tensor([[[1., 2.],\n                       [3., 4.]],\n\n                      [[0., 5.],\n                       [6., 0.]]]), size=(4, 4), nnz=2,\n       layout=ferrograd.sparse_bsc)'),
    ('T.sparse_bsc_tensor([0, 1, 2], [0, 1], T.ones(2, 1, 2)).to_dense()',
     '-> tensor([[1., 1., 0., 0.],\n        [0., 0., 1., 1.]])'),
    ('T.sparse_compressed_tensor(T.tensor([0, 1, 2]), T.tensor([0, 1]), T.ones(2, 2, 2), (4, 4), layout=T.sparse_bsr)',
     '-> tensor(crow_indices=tensor([0, 1, 2]),\n       col_indices=tensor([0, 1]),\n       values=tensor([[[1., 1.],\n                       [1., 1.]],\n\n                      [[1., 1.],\n                       [1., 1.]]]), size=(4, 4), nnz=2,\n       layout=ferrograd.sparse_bsr)'),
    ('T.sparse_compressed_tensor(T.tensor([0, 1, 2]), T.tensor([0, 1]), T.ones(2, 2, 2), (4, 4), layout=T.sparse_bsc)',
     '-> tensor(ccol_indices=tensor([0, 1, 2]),\n       row_indices=tensor([0, 1]),\n       values=tensor([[[1., 1.],\n                       [1., 1.]],\n\n                      [[1., 1.],\n                       [1., 1.]]]), size=(4, 4), nnz=2,\n       layout=ferrograd.sparse_bsc)'),
    ('T.sparse_bsr_tensor(T.tensor([0, 1, 2]), T.tensor([0, 1]), T.ones(2, 2, 2), (4, 5), check_invariants=True)',
     '!! RuntimeError: tensor shape[1] (=5) must be divisible with blocksize[1] (=2) as defined by values shape'),
    ('T.sparse_bsr_tensor(T.tensor([0, 1, 2]), T.tensor([0, 2]), T.ones(2, 2, 2), (4, 4), check_invariants=True)',
     '!! RuntimeError: `0 <= col_indices < ncols` is not satisfied.'),
    ('T.sparse_bsr_tensor(T.tensor([0, 1, 2]), T.tensor([0, 1]), T.ones(2), (4, 4), check_invariants=True)',
     '!! RuntimeError: values must have dimensionality > sum of batch and block dimensionalities (=0 + 2) but got 1'),
    ('T.sparse_bsr_tensor(T.tensor([0, 1, 2]), T.tensor([0, 1]), T.ones(2, 2, 2), (6, 4), check_invariants=True)',
     '!! RuntimeError: crow_indices.shape[-1] must be equal to the number of row blocks + 1 (=4), but got 3'),
    ('T.sparse_bsc_tensor(T.tensor([0, 1, 2]), T.tensor([0, 1]), T.ones(2, 2, 2), (4, 6), check_invariants=True)',
     '!! RuntimeError: ccol_indices.shape[-1] must be equal to the number of column blocks + 1 (=4), but got 3'),
    ('br.mm(T.ones(4, 2))',
     '-> tensor([[3., 3.],\n        [7., 7.],\n        [5., 5.],\n        [6., 6.]])'),
    ('br @ T.ones(4, 2)',
     '-> tensor([[3., 3.],\n        [7., 7.],\n        [5., 5.],\n        [6., 6.]])'),
    ('br.mv(T.ones(4))',
     '-> tensor([3., 7., 5., 6.])'),
    ('T.addmm(T.ones(4, 2), br, T.ones(4, 2))',
     '-> tensor([[4., 4.],\n        [8., 8.],\n        [6., 6.],\n        [7., 7.]])'),
    ('bc @ T.ones(4, 2)',
     '!! RuntimeError: addmm: computation on CPU is not implemented for Strided + SparseBsc @ Strided'),
    ('T.ones(2, 4) @ br',
     '!! RuntimeError: addmm: computation on CPU is not implemented for Strided + Strided @ SparseBsr'),
    ('br * 2',
     '-> tensor(crow_indices=tensor([0, 1, 2]),\n       col_indices=tensor([0, 1]),\n       values=tensor([[[ 2.,  4.],\n                       [ 6.,  8.]],\n\n                      [[ 0., 10.],\n                       [12.,  0.]]]), size=(4, 4), nnz=2,\n       layout=ferrograd.sparse_bsr)'),
    ('br * T.ones(4, 4)',
     '!! RuntimeError: empty_sparse_compressed expected sparse compressed (non-block) tensor layout but got SparseBsr'),
    ('br * br',
     '!! RuntimeError: empty_sparse_compressed expected sparse compressed (non-block) tensor layout but got SparseBsr'),
    ('br + br',
     '-> tensor(crow_indices=tensor([0, 1, 2]),\n       col_indices=tensor([0, 1]),\n       values=tensor([[[ 2.,  4.],\n                       [ 6.,  8.]],\n\n                      [[ 0., 10.],\n                       [12.,  0.]]]), size=(4, 4), nnz=2,\n       layout=ferrograd.sparse_bsr)'),
    ('br - br',
     '!! RuntimeError: unsupported tensor layout: SparseBsr'),
    ('br.sum()',
     '-> tensor(21.)'),
    ('br.sum(0)',
     '!! RuntimeError: Currently the only compressed sparse format supported for sum.dim_IntList is CSR, but got layout SparseBsr'),
    ('br.sin()',
     '-> tensor(crow_indices=tensor([0, 1, 2]),\n       col_indices=tensor([0, 1]),\n       values=tensor([[[ 0.8415,  0.9093],\n                       [ 0.1411, -0.7568]],\n\n                      [[ 0.0000, -0.9589],\n                       [-0.2794,  0.0000]]]), size=(4, 4), nnz=2,\n       layout=ferrograd.sparse_bsr)'),
    ('br.exp()',
     '!! RuntimeError: unsupported tensor layout: SparseBsr'),
    ('-br',
     '-> tensor(crow_indices=tensor([0, 1, 2]),\n       col_indices=tensor([0, 1]),\n       values=tensor([[[-1., -2.],\n                       [-3., -4.]],\n\n                      [[-0., -5.],\n                       [-6., -0.]]]), size=(4, 4), nnz=2,\n       layout=ferrograd.sparse_bsr)'),
    ('br.t()',
     '-> tensor(ccol_indices=tensor([0, 1, 2]),\n       row_indices=tensor([0, 1]),\n       values=tensor([[[1., 3.],\n                       [2., 4.]],\n\n                      [[0., 6.],\n                       [5., 0.]]]), size=(4, 4), nnz=2,\n       layout=ferrograd.sparse_bsc)'),
    ('bc.t()',
     '-> tensor(crow_indices=tensor([0, 1, 2]),\n       col_indices=tensor([0, 1]),\n       values=tensor([[[1., 3.],\n                       [2., 4.]],\n\n                      [[0., 6.],\n                       [5., 0.]]]), size=(4, 4), nnz=2,\n       layout=ferrograd.sparse_bsr)'),
    ('br.transpose(0, 1).layout',
     '-> ferrograd.sparse_bsc'),
    ('br.mT',
     '-> tensor(ccol_indices=tensor([0, 1, 2]),\n       row_indices=tensor([0, 1]),\n       values=tensor([[[1., 3.],\n                       [2., 4.]],\n\n                      [[0., 6.],\n                       [5., 0.]]]), size=(4, 4), nnz=2,\n       layout=ferrograd.sparse_bsc)'),
    ('T.stack([q, q]).to_sparse_bsr(2).transpose(-1, -2)',
     '-> tensor(ccol_indices=tensor([[0, 1, 2],\n                            [0, 1, 2]]),\n       row_indices=tensor([[0, 1],\n                           [0, 1]]),\n       values=tensor([[[[1., 3.],\n                        [2., 4.]],\n\n                       [[0., 6.],\n                        [5., 0.]]],\n\n\n                      [[[1., 3.],\n                        [2., 4.]],\n\n                       [[0., 6.],\n                        [5., 0.]]]]), size=(2, 4, 4), nnz=2,\n       layout=ferrograd.sparse_bsc)'),
    ('br.select(0, 1)',
     '-> tensor(indices=tensor([[0, 1]]),\n       values=tensor([3., 4.]),\n       size=(4,), nnz=2, layout=ferrograd.sparse_coo)'),
    ('br[2, 3]',
     '-> tensor(5.)'),
    ('br[1]',
     '-> tensor(indices=tensor([[0, 1]]),\n       values=tensor([3., 4.]),\n       size=(4,), nnz=2, layout=ferrograd.sparse_coo)'),
    ('br.stride()',
     '!! RuntimeError: Sparse BSR tensors do not have strides'),
    ('br.numpy()',
     "!! TypeError: can't convert SparseBsr layout tensor to numpy. Use Tensor.to_dense() first."),
    ('br.view(16)',
     "!! NotImplementedError: Could not run 'aten::view' with arguments from the 'SparseCsrCPU' backend. This could be because the operator doesn't exist for this backend, or was omitted dur"),
    ('br.clone()',
     '-> tensor(crow_indices=tensor([0, 1, 2]),\n       col_indices=tensor([0, 1]),\n       values=tensor([[[1., 2.],\n                       [3., 4.]],\n\n                      [[0., 5.],\n                       [6., 0.]]]), size=(4, 4), nnz=2,\n       layout=ferrograd.sparse_bsr)'),
    ('br.detach()',
     '-> tensor(crow_indices=tensor([0, 1, 2]),\n       col_indices=tensor([0, 1]),\n       values=tensor([[[1., 2.],\n                       [3., 4.]],\n\n                      [[0., 5.],\n                       [6., 0.]]]), size=(4, 4), nnz=2,\n       layout=ferrograd.sparse_bsr)'),
    ('br.to(T.float64)',
     '-> tensor(crow_indices=tensor([0, 1, 2]),\n       col_indices=tensor([0, 1]),\n       values=tensor([[[1., 2.],\n                       [3., 4.]],\n\n                      [[0., 5.],\n                       [6., 0.]]]), size=(4, 4), nnz=2, dtype=ferrograd.float64,\n       layout=ferrograd.sparse_bsr)'),
    ('T.ones_like(br)',
     '-> tensor(crow_indices=tensor([0, 1, 2]),\n       col_indices=tensor([0, 1]),\n       values=tensor([[[1., 1.],\n                       [1., 1.]],\n\n                      [[1., 1.],\n                       [1., 1.]]]), size=(4, 4), nnz=2,\n       layout=ferrograd.sparse_bsr)'),
    ('T.zeros_like(br)',
     '-> tensor(crow_indices=tensor([0, 0, 0]),\n       col_indices=tensor([], size=(0,)),\n       values=tensor([], size=(0, 2, 2)), size=(4, 4), nnz=0,\n       layout=ferrograd.sparse_bsr)'),
    ('T.zeros_like(bc)',
     '-> tensor(ccol_indices=tensor([0, 0, 0]),\n       row_indices=tensor([], size=(0,)),\n       values=tensor([], size=(0, 2, 2)), size=(4, 4), nnz=0,\n       layout=ferrograd.sparse_bsc)'),
    ('T.ones(1).type_as(br)',
     "!! RuntimeError: to(options) doesn't support converting to a different layout, but got self.layout being Strided and options.layout set as SparseBsr"),
    ('T.zeros(4, 4, layout=T.sparse_bsr)',
     '!! RuntimeError: zeros_sparse_compressed expected sparse compressed (non-block) tensor layout but got SparseBsr'),
    ('T.empty(4, 4, layout=T.sparse_bsc)',
     '!! RuntimeError: empty_sparse_compressed expected sparse compressed (non-block) tensor layout but got SparseBsc'),
    ('q.double().to_sparse_bsr(2)',
     '-> tensor(crow_indices=tensor([0, 1, 2]),\n       col_indices=tensor([0, 1]),\n       values=tensor([[[1., 2.],\n                       [3., 4.]],\n\n                      [[0., 5.],\n                       [6., 0.]]]), size=(4, 4), nnz=2, dtype=ferrograd.float64,\n       layout=ferrograd.sparse_bsr)'),
    ('T.stack([q, 2 * q]).to_sparse_bsr(2)',
     '-> tensor(crow_indices=tensor([[0, 1, 2],\n                            [0, 1, 2]]),\n       col_indices=tensor([[0, 1],\n                           [0, 1]]),\n       values=tensor([[[[ 1.,  2.],\n                        [ 3.,  4.]],\n\n                       [[ 0.,  5.],\n                        [ 6.,  0.]]],\n\n\n                      [[[ 2.,  4.],\n                        [ 6.,  8.]],\n\n                       [[ 0., 10.],\n                        [12.,  0.]]]]), size=(2, 4, 4), nnz=2,\n       layout=ferrograd.sparse_bsr)'),
    ('T.stack([q, 2 * q]).to_sparse_bsc(2).to_dense()',
     '-> tensor([[[ 1.,  2.,  0.,  0.],\n         [ 3.,  4.,  0.,  0.],\n         [ 0.,  0.,  0.,  5.],\n         [ 0.,  0.,  6.,  0.]],\n\n        [[ 2.,  4.,  0.,  0.],\n         [ 6.,  8.,  0.,  0.],\n         [ 0.,  0.,  0., 10.],\n         [ 0.,  0., 12.,  0.]]])'),
    ('T.stack([q, 2 * q]).to_sparse_bsr(2).to_sparse()',
     '-> tensor(indices=tensor([[0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1],\n                       [0, 0, 1, 1, 2, 2, 3, 3, 0, 0, 1, 1, 2, 2, 3, 3],\n                       [0, 1, 0, 1, 2, 3, 2, 3, 0, 1, 0, 1, 2, 3, 2, 3]]),\n       values=tensor([ 1.,  2.,  3.,  4.,  0.,  5.,  6.,  0.,  2.,  4.,  6.,\n                       8.,  0., 10., 12.,  0.]),\n       size=(2, 4, 4), nnz=16, layout=ferrograd.sparse_coo)'),
    ('q.unsqueeze(-1).to_sparse_bsr(2, dense_dim=1)',
     '-> tensor(crow_indices=tensor([0, 1, 2]),\n       col_indices=tensor([0, 1]),\n       values=tensor([[[[1.],\n                        [2.]],\n\n                       [[3.],\n                        [4.]]],\n\n\n                      [[[0.],\n                        [5.]],\n\n                       [[6.],\n                        [0.]]]]), size=(4, 4, 1), nnz=2,\n       layout=ferrograd.sparse_bsr)'),
    ('q.unsqueeze(-1).to_sparse_bsr(2, dense_dim=1).to_dense().shape',
     '-> ferrograd.Size([4, 4, 1])'),
    ('T.ones(4).to_sparse_bsr(2)',
     '!! IndexError: Dimension out of range (expected to be in range of [-1, 0], but got -2)'),
    ('q.clone().requires_grad_().to_sparse_bsr(2).grad_fn.name()',
     "-> 'ToSparseBsrBackward0'"),
    ('q.clone().requires_grad_().to_sparse_bsc(2).grad_fn.name()',
     "-> 'ToSparseBscBackward0'"),
    ('br.requires_grad_()',
     '-> tensor(crow_indices=tensor([0, 1, 2]),\n       col_indices=tensor([0, 1]),\n       values=tensor([[[1., 2.],\n                       [3., 4.]],\n\n                      [[0., 5.],\n                       [6., 0.]]]), size=(4, 4), nnz=2,\n       layout=ferrograd.sparse_bsr, requires_grad=True)'),
    ('br.requires_grad_().t().grad_fn.name()',
     "-> 'TBackward0'"),
    ("__import__('copy').copy(br)",
     '-> tensor(crow_indices=tensor([0, 1, 2]),\n       col_indices=tensor([0, 1]),\n       values=tensor([[[1., 2.],\n                       [3., 4.]],\n\n                      [[0., 5.],\n                       [6., 0.]]]), size=(4, 4), nnz=2,\n       layout=ferrograd.sparse_bsr)'),
]



@pytest.mark.parametrize(("expr", "expected"), CASES, ids=[c[0] for c in CASES])
def test_matches_pytorch(expr: str, expected: str) -> None:
    assert _outcome(expr) == expected


Q = [[1.0, 2.0, 0.0, 0.0], [3.0, 4.0, 0.0, 0.0], [0.0, 0.0, 0.0, 5.0], [0.0, 0.0, 6.0, 0.0]]


def test_gradients_match_pytorch() -> None:
    m = T.arange(8.0, dtype=T.float64).reshape(4, 2)
    leaf = T.tensor(Q, dtype=T.float64).to_sparse_bsr(2).requires_grad_()
    (leaf @ m).sum().backward()
    assert leaf.grad.layout == T.strided and leaf.grad.tolist() == [[1.0, 5.0, 9.0, 13.0]] * 4  # PyTorch's: dense
    x = T.tensor(Q, dtype=T.float64, requires_grad=True)
    (x.to_sparse_bsr(2) @ m).sum().backward()
    assert x.grad.tolist() == [[1.0, 5.0, 9.0, 13.0]] * 4
    x.grad = None
    (x.to_sparse_bsr(2).to_dense() * T.arange(16.0, dtype=T.float64).reshape(4, 4)).sum().backward()
    # every element of a stored block, zeros included (PyTorch's)
    assert x.grad.tolist() == [[0.0, 1.0, 0.0, 0.0], [4.0, 5.0, 0.0, 0.0], [0.0, 0.0, 10.0, 11.0], [0.0, 0.0, 14.0, 15.0]]


@pytest.mark.parametrize("fn", [
    lambda v, m: T.sparse_bsr_tensor([0, 1, 2], [0, 1], v, (4, 4)) @ m,
    lambda v, m: T.sparse_bsc_tensor([0, 1, 2], [1, 0], v, (4, 4)).to_dense() * m.sum(),
    lambda v, m: T.sparse_bsr_tensor([0, 1, 2], [0, 1], v, (4, 4)).t().to_sparse_bsr(2).to_sparse().to_dense(),
    lambda v, m: T.addmm(m[:, :1], T.sparse_bsr_tensor([0, 1, 2], [0, 1], v, (4, 4)).sin(), m[:, 1:] * 2),
], ids=["mm", "bsc_to_dense", "transposed", "addmm"])
def test_gradcheck(fn) -> None:
    v = T.tensor([[[0.5, -1.0], [2.0, 0.25]], [[1.5, -0.75], [0.3, 1.2]]], dtype=T.float64, requires_grad=True)
    m = T.tensor([[0.5, -1.0], [2.0, 0.25], [1.5, -0.75], [1.0, 0.5]], dtype=T.float64, requires_grad=True)
    assert T.autograd.gradcheck(fn, (v, m))
