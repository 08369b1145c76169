"""Sparse COO tensors against PyTorch 2.13 (CPU): each case is an expression, evaluated
with `T = ferrograd`, and PyTorch's repr of its result or its exception type and
message (the first 160 characters), with `torch.` written `ferrograd.`. Gradients are
checked against PyTorch's values and by finite differences (gradcheck)."""

import ferrograd as T
import numpy as np
import pytest


def _setup() -> dict:
    g = {"T": T, "sparse_coo_tensor": T.sparse_coo_tensor}
    g["i"] = T.tensor([[0, 1, 1], [2, 0, 2]])
    g["v"] = T.tensor([3.0, 4.0, 5.0])
    g["s"] = T.sparse_coo_tensor(g["i"], g["v"], (2, 3))  # uncoalesced flag, sorted coordinates
    g["u"] = T.sparse_coo_tensor([[1, 0, 1], [0, 1, 0]], [1.0, 2.0, 3.0], (2, 2))  # a duplicate coordinate
    g["h"] = T.sparse_coo_tensor([[0, 2]], T.tensor([[1.0, 2.0], [3.0, 4.0]]))  # hybrid: 1 sparse, 1 dense dim
    g["s2"] = T.sparse_coo_tensor([[1, 0], [1, 2]], [1.0, 2.0], (2, 3))
    g["d"] = T.arange(6.0).reshape(3, 2)
    return g


def _outcome(expr: str) -> str:
    try:
        return "-> " + repr(eval(expr, _setup()))
    except Exception as e:  # noqa: BLE001 (the exception is what is compared)
        return f"!! {type(e).__name__}: {str(e)[:160]}"


# (expression, what PyTorch 2.13 gives)
CASES = [
    ('s',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([3., 4., 5.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('sparse_coo_tensor(i, v)',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([3., 4., 5.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('sparse_coo_tensor(i, T.tensor([1,2,3]))',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([1, 2, 3]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('sparse_coo_tensor([[0,1],[1,0]], [1.,2.])',
     '-> tensor(indices=tensor([[0, 1],\n                       [1, 0]]),\n       values=tensor([1., 2.]),\n       size=(2, 2), nnz=2, layout=ferrograd.sparse_coo)'),
    ('sparse_coo_tensor(i, v, (2,3), dtype=T.float64)',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([3., 4., 5.]),\n       size=(2, 3), nnz=3, dtype=ferrograd.float64, layout=ferrograd.sparse_coo)'),
    ('(s.layout, T.sparse_coo, T.strided, s.is_sparse, v.is_sparse, v.layout)',
     '-> (ferrograd.sparse_coo, ferrograd.sparse_coo, ferrograd.strided, True, False, ferrograd.strided)'),
    ('(s.is_coalesced(), s._nnz(), s.sparse_dim(), s.dense_dim(), s.shape, s.dtype, s.size(), s.dim(), s.numel(), s.size(1), len(s))',
     '-> (False, 3, 2, 0, ferrograd.Size([2, 3]), ferrograd.float32, ferrograd.Size([2, 3]), 2, 6, 3, 2)'),
    ('s.indices()',
     '!! RuntimeError: Cannot get indices on an uncoalesced tensor, please call .coalesce() first'),
    ('s.values()',
     '!! RuntimeError: Cannot get values on an uncoalesced tensor, please call .coalesce() first'),
    ('s._indices()',
     '-> tensor([[0, 1, 1],\n        [2, 0, 2]])'),
    ('s._values()',
     '-> tensor([3., 4., 5.])'),
    ('s.coalesce()',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([3., 4., 5.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('u',
     '-> tensor(indices=tensor([[1, 0, 1],\n                       [0, 1, 0]]),\n       values=tensor([1., 2., 3.]),\n       size=(2, 2), nnz=3, layout=ferrograd.sparse_coo)'),
    ('u.coalesce()',
     '-> tensor(indices=tensor([[0, 1],\n                       [1, 0]]),\n       values=tensor([2., 4.]),\n       size=(2, 2), nnz=2, layout=ferrograd.sparse_coo)'),
    ('u.to_dense()',
     '-> tensor([[0., 2.],\n        [4., 0.]])'),
    ('u.is_coalesced()',
     '-> False'),
    ('h',
     '-> tensor(indices=tensor([[0, 2]]),\n       values=tensor([[1., 2.],\n                      [3., 4.]]),\n       size=(3, 2), nnz=2, layout=ferrograd.sparse_coo)'),
    ('h.to_dense()',
     '-> tensor([[1., 2.],\n        [0., 0.],\n        [3., 4.]])'),
    ('h.coalesce()',
     '-> tensor(indices=tensor([[0, 2]]),\n       values=tensor([[1., 2.],\n                      [3., 4.]]),\n       size=(3, 2), nnz=2, layout=ferrograd.sparse_coo)'),
    ('sparse_coo_tensor(T.zeros(2, 0, dtype=T.long), T.zeros(0), (2, 3))',
     '-> tensor(indices=tensor([], size=(2, 0)),\n       values=tensor([], size=(0,)),\n       size=(2, 3), nnz=0, layout=ferrograd.sparse_coo)'),
    ('sparse_coo_tensor(T.zeros(2, 0, dtype=T.long), T.zeros(0))',
     '-> tensor(indices=tensor([], size=(2, 0)),\n       values=tensor([], size=(0,)),\n       size=(0, 0), nnz=0, layout=ferrograd.sparse_coo)'),
    ('sparse_coo_tensor(T.tensor([[0.,1.]]), v[:2])',
     '-> tensor(indices=tensor([[0, 1]]),\n       values=tensor([3., 4.]),\n       size=(2,), nnz=2, layout=ferrograd.sparse_coo)'),
    ('sparse_coo_tensor(T.tensor([[0,1]], dtype=T.int32), v[:2])',
     '-> tensor(indices=tensor([[0, 1]]),\n       values=tensor([3., 4.]),\n       size=(2,), nnz=2, layout=ferrograd.sparse_coo)'),
    ('sparse_coo_tensor(T.tensor([0,1]), v[:2])',
     '!! RuntimeError: indices must be sparse_dim x nnz, but got: [2]'),
    ('sparse_coo_tensor(i, v[:2])',
     '!! RuntimeError: indices and values must have same nnz, but got nnz from indices: 3, nnz from values: 2'),
    ('sparse_coo_tensor(i, v, (2, 2))',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([3., 4., 5.]),\n       size=(2, 2), nnz=3, layout=ferrograd.sparse_coo)'),
    ('sparse_coo_tensor(i, v, (2, 2), check_invariants=True)',
     '!! RuntimeError: size is inconsistent with indices: for dim 1, size is 2 but found index 2'),
    ('sparse_coo_tensor([[0,-1]], [1.,2.], (3,), check_invariants=True)',
     '!! RuntimeError: found negative index -1 for dim 0'),
    ('sparse_coo_tensor([[0,-1]], [1.,2.])',
     '!! RuntimeError: found negative index -1 for dim 0'),
    ('sparse_coo_tensor(i, v, (2,))',
     "!! RuntimeError: 'len(size) == sparse_dim + dense_dim' is not satisfied: len(size) = 1, sparse_dim = 2, dense_dim = 0"),
    ('sparse_coo_tensor(i, v, (2,3,4))',
     "!! RuntimeError: 'len(size) == sparse_dim + dense_dim' is not satisfied: len(size) = 3, sparse_dim = 2, dense_dim = 0"),
    ('sparse_coo_tensor([[0, 2]], T.tensor([[1., 2.], [3., 4.]]), (3, 3))',
     '!! RuntimeError: values has incorrect size, expected [2, 3], got [2, 2]'),
    ('sparse_coo_tensor(i, v, requires_grad=True)',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([3., 4., 5.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo, requires_grad=True)'),
    ('sparse_coo_tensor(i, T.tensor([1,2,3]), requires_grad=True)',
     '!! RuntimeError: Only Tensors of floating point and complex dtype can require gradients'),
    ('sparse_coo_tensor([[0,1]], [1.,2.], is_coalesced=True).indices()',
     '-> tensor([[0, 1]])'),
    ('sparse_coo_tensor(i, T.tensor([True,False,True]))',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([ True, False,  True]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('sparse_coo_tensor(T.zeros(0,1,dtype=T.long), T.tensor([5.]))',
     '-> tensor(indices=tensor([], size=(0, 1)),\n       values=tensor([5.]),\n       size=(), nnz=1, layout=ferrograd.sparse_coo)'),
    ('sparse_coo_tensor(i, 3.)',
     '!! RuntimeError: indices and values must have same nnz, but got nnz from indices: 3, nnz from values: 1'),
    ('sparse_coo_tensor(i, v, (2, -3))',
     '!! RuntimeError: numel: integer multiplication overflow'),
    ('T.tensor([[0., 1.], [2., 0.]]).to_sparse()',
     '-> tensor(indices=tensor([[0, 1],\n                       [1, 0]]),\n       values=tensor([1., 2.]),\n       size=(2, 2), nnz=2, layout=ferrograd.sparse_coo)'),
    ('T.tensor([[0., 1.], [2., 0.]]).to_sparse(1)',
     '-> tensor(indices=tensor([[0, 1]]),\n       values=tensor([[0., 1.],\n                      [2., 0.]]),\n       size=(2, 2), nnz=2, layout=ferrograd.sparse_coo)'),
    ('T.tensor([[0., 1.], [2., 0.]]).to_sparse_coo()',
     '-> tensor(indices=tensor([[0, 1],\n                       [1, 0]]),\n       values=tensor([1., 2.]),\n       size=(2, 2), nnz=2, layout=ferrograd.sparse_coo)'),
    ('T.tensor([[0., 1.], [2., 0.]]).to_sparse(3)',
     '!! RuntimeError: dense_to_sparse: sparse_dim argument must be in [0,2] range, but 3 is given'),
    ('T.tensor(3.).to_sparse()',
     '-> tensor(indices=tensor([], size=(0, 1)),\n       values=tensor([3.]),\n       size=(), nnz=1, layout=ferrograd.sparse_coo)'),
    ('T.ones(2,2).to_sparse(dense_dim=1)',
     '-> tensor(indices=tensor([[0, 1]]),\n       values=tensor([[1., 1.],\n                      [1., 1.]]),\n       size=(2, 2), nnz=2, layout=ferrograd.sparse_coo)'),
    ('T.ones(2).to_sparse(layout=T.sparse_coo)',
     '-> tensor(indices=tensor([[0, 1]]),\n       values=tensor([1., 1.]),\n       size=(2,), nnz=2, layout=ferrograd.sparse_coo)'),
    ('s.to_sparse()',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([3., 4., 5.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('s.to_sparse(1)',
     '!! RuntimeError: to_sparse: conversion from Sparse to Sparse with sparse_dim argument !=self.sparse_dim() is not supported'),
    ('v.indices()',
     '!! RuntimeError: indices expected sparse coordinate tensor layout but got Strided'),
    ('v.values()',
     '!! RuntimeError: values expected sparse tensor layout but got Strided'),
    ('v._nnz()',
     "!! NotImplementedError: Could not run 'aten::_nnz' with arguments from the 'CPU' backend. This could be because the operator doesn't exist for this backend, or was omitted during the s"),
    ('v._indices()',
     "!! NotImplementedError: Could not run 'aten::_indices' with arguments from the 'CPU' backend. This could be because the operator doesn't exist for this backend, or was omitted during t"),
    ('(v.sparse_dim(), v.dense_dim())',
     '-> (0, 1)'),
    ('v.coalesce()',
     '!! RuntimeError: coalesce expected sparse coordinate tensor layout but got Strided'),
    ('v.is_coalesced()',
     '!! RuntimeError: is_coalesced expected sparse coordinate tensor layout but got Strided'),
    ('s.view(6)',
     "!! NotImplementedError: Could not run 'aten::view' with arguments from the 'SparseCPU' backend. This could be because the operator doesn't exist for this backend, or was omitted during"),
    ('s.reshape(6)',
     '!! RuntimeError: reshape is not implemented for sparse tensors'),
    ('s.exp()',
     "!! NotImplementedError: Could not run 'aten::exp' with arguments from the 'SparseCPU' backend. This could be because the operator doesn't exist for this backend, or was omitted during "),
    ('s.numpy()',
     "!! TypeError: can't convert Sparse layout tensor to numpy. Use Tensor.to_dense() first."),
    ('s.tolist()',
     "!! RuntimeError: Cannot access data pointer of Tensor that doesn't have storage"),
    ('s.item()',
     '!! RuntimeError: a Tensor with 6 elements cannot be converted to Scalar'),
    ('s.mean()',
     "!! NotImplementedError: Could not run 'aten::mean.dim' with arguments from the 'SparseCPU' backend. This could be because the operator doesn't exist for this backend, or was omitted du"),
    ('s.sum()',
     '-> tensor(12.)'),
    ('s.sum(0)',
     '-> tensor(indices=tensor([[0, 2]]),\n       values=tensor([4., 8.]),\n       size=(3,), nnz=2, layout=ferrograd.sparse_coo)'),
    ('T.sparse.sum(s)',
     '-> tensor(12.)'),
    ('T.sparse.sum(s, 0)',
     '-> tensor(indices=tensor([[0, 2]]),\n       values=tensor([4., 8.]),\n       size=(3,), nnz=2, layout=ferrograd.sparse_coo)'),
    ('T.sparse.sum(s, 1)',
     '-> tensor(indices=tensor([[0, 1]]),\n       values=tensor([3., 9.]),\n       size=(2,), nnz=2, layout=ferrograd.sparse_coo)'),
    ('T.sparse.sum(s, (0, 1))',
     '-> tensor(12.)'),
    ('T.sparse.sum(s, -1)',
     '-> tensor(indices=tensor([[0, 1]]),\n       values=tensor([3., 9.]),\n       size=(2,), nnz=2, layout=ferrograd.sparse_coo)'),
    ('T.sparse.sum(s, 2)',
     '!! IndexError: Dimension out of range (expected to be in range of [-2, 1], but got 2)'),
    ('T.sparse.sum(s, (0, 0))',
     '!! RuntimeError: dim 0 appears multiple times in the list of dims'),
    ('T.sparse.sum(d)',
     '!! RuntimeError: coalesce expected sparse coordinate tensor layout but got Strided'),
    ('T.sparse.sum(s, dtype=T.float64)',
     '-> tensor(12., dtype=ferrograd.float64)'),
    ('T.sparse.sum(sparse_coo_tensor(i, [1,2,3]))',
     '-> tensor(6)'),
    ('T.sparse.sum(h, 1)',
     '-> tensor(indices=tensor([[0, 2]]),\n       values=tensor([3., 7.]),\n       size=(3,), nnz=2, layout=ferrograd.sparse_coo)'),
    ('T.sparse.sum(h, 0)',
     '-> tensor([4., 6.])'),
    ('T.sparse.sum(u, 1)',
     '-> tensor(indices=tensor([[0, 1]]),\n       values=tensor([2., 4.]),\n       size=(2,), nnz=2, layout=ferrograd.sparse_coo)'),
    ('T.sparse.sum(sparse_coo_tensor(T.zeros(2,0,dtype=T.long), T.zeros(0), (2,3)), 0)',
     '-> tensor(indices=tensor([], size=(1, 0)),\n       values=tensor([], size=(0,)),\n       size=(3,), nnz=0, layout=ferrograd.sparse_coo)'),
    ('T.sparse.sum(sparse_coo_tensor(T.zeros(2,0,dtype=T.long), T.zeros(0), (2,3)))',
     '-> tensor(0.)'),
    ('T.sparse.mm(s, d)',
     '-> tensor([[12., 15.],\n        [20., 29.]])'),
    ('T.mm(s, d)',
     '-> tensor([[12., 15.],\n        [20., 29.]])'),
    ('s @ d',
     '-> tensor([[12., 15.],\n        [20., 29.]])'),
    ('s.mm(d)',
     '-> tensor([[12., 15.],\n        [20., 29.]])'),
    ('s.matmul(d)',
     '-> tensor([[12., 15.],\n        [20., 29.]])'),
    ('T.mm(s, d.t())',
     '!! RuntimeError: addmm: Argument #3 (dense): Expected dim 0 size 3, got 2'),
    ('s @ T.ones(3)',
     '-> tensor([3., 9.])'),
    ('T.mm(s, T.ones(3))',
     '!! IndexError: Dimension out of range (expected to be in range of [-1, 0], but got 1)'),
    ('T.mm(s, T.ones(3,2,1))',
     '!! RuntimeError: addmm: matrices expected, got 3D tensor'),
    ('T.sparse.mm(s, T.ones(3,2, dtype=T.float64))',
     '!! RuntimeError: expected scalar type Float but found Double'),
    ('T.ones(2, 2) @ s',
     '-> tensor([[4., 0., 8.],\n        [4., 0., 8.]])'),
    ('T.ones(2) @ s',
     '-> tensor([4., 0., 8.])'),
    ('s + s',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([ 6.,  8., 10.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('s + s2',
     '-> tensor(indices=tensor([[0, 1, 1, 0, 1],\n                       [2, 0, 1, 2, 2]]),\n       values=tensor([3., 4., 1., 2., 5.]),\n       size=(2, 3), nnz=5, layout=ferrograd.sparse_coo)'),
    ('s.coalesce() + s2.coalesce()',
     '-> tensor(indices=tensor([[0, 1, 1, 1],\n                       [2, 0, 1, 2]]),\n       values=tensor([5., 4., 1., 5.]),\n       size=(2, 3), nnz=4, layout=ferrograd.sparse_coo)'),
    ('(s.coalesce() + s2.coalesce()).is_coalesced()',
     '-> True'),
    ('s.add(s2, alpha=2)',
     '-> tensor(indices=tensor([[0, 1, 1, 0, 1],\n                       [2, 0, 1, 2, 2]]),\n       values=tensor([3., 4., 2., 4., 5.]),\n       size=(2, 3), nnz=5, layout=ferrograd.sparse_coo)'),
    ('s - s2',
     '-> tensor(indices=tensor([[0, 1, 1, 0, 1],\n                       [2, 0, 1, 2, 2]]),\n       values=tensor([ 3.,  4., -1., -2.,  5.]),\n       size=(2, 3), nnz=5, layout=ferrograd.sparse_coo)'),
    ('s + sparse_coo_tensor([[0],[0]], [1.], (3, 3))',
     "!! RuntimeError: add: expected sizes of 'self' and 'other' to match, but [2, 3] != [3, 3]"),
    ('s + T.ones(2, 3)',
     '!! RuntimeError: add(sparse, dense) is not supported. Use add(dense, sparse) instead.'),
    ('T.ones(2, 3) + s',
     '-> tensor([[1., 1., 4.],\n        [5., 1., 6.]])'),
    ('T.ones(2, 3) - s',
     '-> tensor([[ 1.,  1., -2.],\n        [-3.,  1., -4.]])'),
    ('s + 1',
     '!! RuntimeError: add(sparse, dense) is not supported. Use add(dense, sparse) instead.'),
    ('1 + s',
     '!! RuntimeError: add(sparse, dense) is not supported. Use add(dense, sparse) instead.'),
    ('1 - s',
     "!! RuntimeError: add: expected 'self' and 'other' to have same size, but self has size [] while other has size [2, 3] (FYI: dense-sparse addition does not currently support broa"),
    ('s - T.ones(2,3)',
     '!! RuntimeError: add(sparse, dense) is not supported. Use add(dense, sparse) instead.'),
    ('s * 2',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([ 6.,  8., 10.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('2 * s',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([ 6.,  8., 10.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('s / 2',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([1.5000, 2.0000, 2.5000]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('s * T.tensor(2.)',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([ 6.,  8., 10.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('s / T.tensor(2)',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([1.5000, 2.0000, 2.5000]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('s / T.ones(2,3)',
     '!! RuntimeError: Sparse division requires a scalar or zero-dim dense tensor divisor (got shape [2, 3] for divisor)'),
    ('s * T.arange(6.).reshape(2, 3)',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([ 6., 12., 25.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('-s',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([-3., -4., -5.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('(-s).is_coalesced()',
     '-> False'),
    ('sparse_coo_tensor(i, [1,2,3]) * 2.5',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([2.5000, 5.0000, 7.5000]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('-sparse_coo_tensor(i, [1,2,3])',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([-1, -2, -3]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('sparse_coo_tensor(i, [1,2,3]) + s',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([4., 6., 8.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('s + s.double()',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([ 6.,  8., 10.]),\n       size=(2, 3), nnz=3, dtype=ferrograd.float64, layout=ferrograd.sparse_coo)'),
    ('s.clone()',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([3., 4., 5.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('s.detach()',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([3., 4., 5.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('s.t()',
     '-> tensor(indices=tensor([[2, 0, 2],\n                       [0, 1, 1]]),\n       values=tensor([3., 4., 5.]),\n       size=(3, 2), nnz=3, layout=ferrograd.sparse_coo)'),
    ('s.transpose(0, 1)',
     '-> tensor(indices=tensor([[2, 0, 2],\n                       [0, 1, 1]]),\n       values=tensor([3., 4., 5.]),\n       size=(3, 2), nnz=3, layout=ferrograd.sparse_coo)'),
    ('s.coalesce().t().is_coalesced()',
     '-> False'),
    ('s.T',
     '-> tensor(indices=tensor([[2, 0, 2],\n                       [0, 1, 1]]),\n       values=tensor([3., 4., 5.]),\n       size=(3, 2), nnz=3, layout=ferrograd.sparse_coo)'),
    ('h.transpose(0, 1)',
     '!! RuntimeError: sparse transpose: transposed dimensions must be sparse Got sparse_dim: 1, d0: 0, d1: 1'),
    ('h.t()',
     '!! RuntimeError: t() expects a tensor with <= 2 sparse and 0 dense dimensions, but got 1 sparse and 1 dense dimensions'),
    ('T.sparse.softmax(s, 1)',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([1.0000, 0.2689, 0.7311]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('T.sparse.softmax(s, 0)',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([0.1192, 1.0000, 0.8808]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('T.sparse.softmax(s, -1)',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([1.0000, 0.2689, 0.7311]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('T.sparse.softmax(s, 1, dtype=T.float64)',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([1.0000, 0.2689, 0.7311]),\n       size=(2, 3), nnz=3, dtype=ferrograd.float64, layout=ferrograd.sparse_coo)'),
    ('T.sparse.softmax(h, 1)',
     '-> tensor(indices=tensor([[0, 2]]),\n       values=tensor([[0.2689, 0.7311],\n                      [0.2689, 0.7311]]),\n       size=(3, 2), nnz=2, layout=ferrograd.sparse_coo)'),
    ('T.sparse.softmax(h, 0)',
     '-> tensor(indices=tensor([[0, 2]]),\n       values=tensor([[0.1192, 0.1192],\n                      [0.8808, 0.8808]]),\n       size=(3, 2), nnz=2, layout=ferrograd.sparse_coo)'),
    ('T.sparse.softmax(u, 0)',
     '-> tensor(indices=tensor([[0, 1],\n                       [1, 0]]),\n       values=tensor([1., 1.]),\n       size=(2, 2), nnz=2, layout=ferrograd.sparse_coo)'),
    ('T.sparse.softmax(sparse_coo_tensor(i, [1,2,3]), 0)',
     '!! NotImplementedError: "softmax" not implemented for \'Long\''),
    ('s == s',
     "!! NotImplementedError: Could not run 'aten::eq.Tensor' with arguments from the 'SparseCPU' backend. This could be because the operator doesn't exist for this backend, or was omitted d"),
    ('bool(s)',
     '!! RuntimeError: Boolean value of Tensor with more than one value is ambiguous'),
    ('s.double()',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([3., 4., 5.]),\n       size=(2, 3), nnz=3, dtype=ferrograd.float64, layout=ferrograd.sparse_coo)'),
    ('s.to(T.float64)',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([3., 4., 5.]),\n       size=(2, 3), nnz=3, dtype=ferrograd.float64, layout=ferrograd.sparse_coo)'),
    ('isinstance(s, T.Tensor)',
     '-> True'),
    ('s[0:1]',
     "!! NotImplementedError: Could not run 'aten::as_strided' with arguments from the 'SparseCPU' backend. This could be because the operator doesn't exist for this backend, or was omitted "),
    ('s.contiguous()',
     '!! RuntimeError: unsupported memory format option Contiguous'),
    ('s.is_contiguous()',
     '-> False'),
    ('s.nbytes',
     '!! RuntimeError: nbytes is not defined for sparse tensors.  If you want the size of the constituent tensors, add the nbytes of the indices and values.  If you want the size of t'),
    ('s.to_dense(T.float64)',
     '!! RuntimeError: dtype argument is not supported by sparse_to_dense'),
    ('s.requires_grad_()',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([3., 4., 5.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo, requires_grad=True)'),
    ('sparse_coo_tensor(i, v.double(), requires_grad=True)',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([3., 4., 5.]),\n       size=(2, 3), nnz=3, dtype=ferrograd.float64, layout=ferrograd.sparse_coo,\n       requires_grad=True)'),
    ('sparse_coo_tensor(i, T.tensor([1,2,3])*1000000)',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([1000000, 2000000, 3000000]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('T.ones(2,2,2).to_sparse(1)',
     '-> tensor(indices=tensor([[0, 1]]),\n       values=tensor([[[1., 1.],\n                       [1., 1.]],\n\n                      [[1., 1.],\n                       [1., 1.]]]),\n       size=(2, 2, 2), nnz=2, layout=ferrograd.sparse_coo)'),
    ('s.abs()',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([3., 4., 5.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('u.abs()',
     '-> tensor(indices=tensor([[0, 1],\n                       [1, 0]]),\n       values=tensor([2., 4.]),\n       size=(2, 2), nnz=2, layout=ferrograd.sparse_coo)'),
    ('s.sin()',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([ 0.1411, -0.7568, -0.9589]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('s.sqrt()',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([1.7321, 2.0000, 2.2361]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('s.neg()',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([-3., -4., -5.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('s.negative()',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([-3., -4., -5.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('s.positive()',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([3., 4., 5.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('(s.conj(), s.conj().is_coalesced())',
     '-> (tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([3., 4., 5.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo), False)'),
    ('s.isnan()',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([False, False, False]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('s.signbit()',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([False, False, False]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('s.nan_to_num()',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([3., 4., 5.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('s.square()',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([ 9., 16., 25.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('s.relu()',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([3., 4., 5.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('s.round()',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([3., 4., 5.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('s.round(decimals=1)',
     "!! NotImplementedError: Could not run 'aten::round.decimals' with arguments from the 'SparseCPU' backend. This could be because the operator doesn't exist for this backend, or was omit"),
    ('s.pow(2)',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([ 9., 16., 25.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('s ** 2',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([ 9., 16., 25.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('u.pow(2)',
     '-> tensor(indices=tensor([[0, 1],\n                       [1, 0]]),\n       values=tensor([ 4., 16.]),\n       size=(2, 2), nnz=2, layout=ferrograd.sparse_coo)'),
    ('s.pow(0)',
     '!! RuntimeError: pow: cannot raise to zeroth power on sparse tensor; it would make the result tensor dense'),
    ('s.pow(T.tensor(2.))',
     "!! NotImplementedError: Could not run 'aten::pow.Tensor_Tensor' with arguments from the 'SparseCPU' backend. This could be because the operator doesn't exist for this backend, or was o"),
    ('abs(s)',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([3., 4., 5.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('s.exp()',
     "!! NotImplementedError: Could not run 'aten::exp' with arguments from the 'SparseCPU' backend. This could be because the operator doesn't exist for this backend, or was omitted during "),
    ('s.cos()',
     "!! NotImplementedError: Could not run 'aten::cos' with arguments from the 'SparseCPU' backend. This could be because the operator doesn't exist for this backend, or was omitted during "),
    ('s[0]',
     '-> tensor(indices=tensor([[2]]),\n       values=tensor([3.]),\n       size=(3,), nnz=1, layout=ferrograd.sparse_coo)'),
    ('s[1]',
     '-> tensor(indices=tensor([[0, 2]]),\n       values=tensor([4., 5.]),\n       size=(3,), nnz=2, layout=ferrograd.sparse_coo)'),
    ('s[-1]',
     '-> tensor(indices=tensor([[0, 2]]),\n       values=tensor([4., 5.]),\n       size=(3,), nnz=2, layout=ferrograd.sparse_coo)'),
    ('s[5]',
     '!! IndexError: index 5 is out of bounds for dimension 0 with size 2'),
    ('s[0, 2]',
     '-> tensor(3.)'),
    ('s[0:1]',
     "!! NotImplementedError: Could not run 'aten::as_strided' with arguments from the 'SparseCPU' backend. This could be because the operator doesn't exist for this backend, or was omitted "),
    ('(s[1].is_coalesced(), s.coalesce()[1].is_coalesced(), s[0].is_coalesced())',
     '-> (False, False, True)'),
    ('u[1]',
     '-> tensor(indices=tensor([[0, 0]]),\n       values=tensor([1., 3.]),\n       size=(2,), nnz=2, layout=ferrograd.sparse_coo)'),
    ('u.select(1, 0)',
     '-> tensor(indices=tensor([[1, 1]]),\n       values=tensor([1., 3.]),\n       size=(2,), nnz=2, layout=ferrograd.sparse_coo)'),
    ('s.select(1, 1)',
     '-> tensor(indices=tensor([], size=(1, 0)),\n       values=tensor([], size=(0,)),\n       size=(2,), nnz=0, layout=ferrograd.sparse_coo)'),
    ('s.select(2, 0)',
     '!! IndexError: Dimension out of range (expected to be in range of [-2, 1], but got 2)'),
    ('h[2]',
     '-> tensor([3., 4.])'),
    ('h[1]',
     '-> tensor([0., 0.])'),
    ('h.select(1, 0)',
     '-> tensor(indices=tensor([[0, 2]]),\n       values=tensor([1., 3.]),\n       size=(3,), nnz=2, layout=ferrograd.sparse_coo)'),
    ('sparse_coo_tensor([[0, 1]], [1., 2.])[0]',
     '-> tensor(1.)'),
    ('T.sparse.mm(s, s.t())',
     '-> tensor(indices=tensor([[0, 0, 1, 1],\n                       [0, 1, 0, 1]]),\n       values=tensor([ 9., 15., 15., 41.]),\n       size=(2, 2), nnz=4, layout=ferrograd.sparse_coo)'),
    ('T.sparse.mm(s, s.t()).is_coalesced()',
     '-> True'),
    ('s @ s.t()',
     '-> tensor(indices=tensor([[0, 0, 1, 1],\n                       [0, 1, 0, 1]]),\n       values=tensor([ 9., 15., 15., 41.]),\n       size=(2, 2), nnz=4, layout=ferrograd.sparse_coo)'),
    ('T.mm(s, s.t())',
     '-> tensor(indices=tensor([[0, 0, 1, 1],\n                       [0, 1, 0, 1]]),\n       values=tensor([ 9., 15., 15., 41.]),\n       size=(2, 2), nnz=4, layout=ferrograd.sparse_coo)'),
    ('T.sparse.mm(u, u)',
     '-> tensor(indices=tensor([[0, 1],\n                       [0, 1]]),\n       values=tensor([8., 8.]),\n       size=(2, 2), nnz=2, layout=ferrograd.sparse_coo)'),
    ('T.sparse.mm(s, s)',
     '!! RuntimeError: mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)'),
    ('T.sparse.mm(s, s.double().t())',
     '!! RuntimeError: mat1 dtype Float does not match mat2 dtype Double'),
    ('T.sparse.mm(s, sparse_coo_tensor([[0]],[1.],(3,)))',
     '!! RuntimeError: Expected mat2_.dim() == 2 to be true, but got false.  (Could this error message be improved?  If so, please report an enhancement request to PyTorch.)'),
    ('T.sparse.mm(sparse_coo_tensor(T.zeros(2,0,dtype=T.long), T.zeros(0), (2,3)), s.t())',
     '-> tensor(indices=tensor([], size=(2, 0)),\n       values=tensor([], size=(0,)),\n       size=(2, 2), nnz=0, layout=ferrograd.sparse_coo)'),
    ('__import__("pickle").loads(__import__("pickle").dumps(sparse_coo_tensor(i, v, requires_grad=True)))',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([3., 4., 5.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('__import__("copy").copy(sparse_coo_tensor(i, v, requires_grad=True))',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([3., 4., 5.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('__import__("copy").deepcopy(sparse_coo_tensor(i, v, requires_grad=True))',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([3., 4., 5.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo, requires_grad=True)'),
    ('__import__("copy").deepcopy(s)',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([3., 4., 5.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('(s.is_floating_point(), s.is_complex(), s.element_size(), s.itemsize)',
     '-> (True, False, 4, 4)'),
    ('s.new_zeros(2)',
     '-> tensor(indices=tensor([], size=(1, 0)),\n       values=tensor([], size=(0,)),\n       size=(2,), nnz=0, layout=ferrograd.sparse_coo)'),
    ('list(s)',
     '-> [tensor(indices=tensor([[2]]),\n       values=tensor([3.]),\n       size=(3,), nnz=1, layout=ferrograd.sparse_coo), tensor(indices=tensor([[0, 2]]),\n       values=tensor([4., 5.]),\n       size=(3,), nnz=2, layout=ferrograd.sparse_coo)]'),
    ('s.sum(dim=1)',
     '-> tensor(indices=tensor([[0, 1]]),\n       values=tensor([3., 9.]),\n       size=(2,), nnz=2, layout=ferrograd.sparse_coo)'),
    ('s.sum(0, keepdim=True)',
     '-> tensor(indices=tensor([[0, 0],\n                       [0, 2]]),\n       values=tensor([4., 8.]),\n       size=(1, 3), nnz=2, layout=ferrograd.sparse_coo)'),
    ('s.sum((0,1), keepdim=True)',
     '-> tensor([[12.]])'),
    ('s.sum(1, keepdim=True)',
     '-> tensor(indices=tensor([[0, 1],\n                       [0, 0]]),\n       values=tensor([3., 9.]),\n       size=(2, 1), nnz=2, layout=ferrograd.sparse_coo)'),
    ('h.sum(1, keepdim=True)',
     '-> tensor(indices=tensor([[0, 2],\n                       [0, 0]]),\n       values=tensor([3., 7.]),\n       size=(3, 1), nnz=2, layout=ferrograd.sparse_coo)'),
    ('h.sum(0, keepdim=True)',
     '-> tensor([[4., 6.]])'),
    ('s.new_zeros((2,3))',
     '-> tensor(indices=tensor([], size=(2, 0)),\n       values=tensor([], size=(0,)),\n       size=(2, 3), nnz=0, layout=ferrograd.sparse_coo)'),
    ('s.new_zeros(2, 3, dtype=T.float64)',
     '-> tensor(indices=tensor([], size=(2, 0)),\n       values=tensor([], size=(0,)),\n       size=(2, 3), nnz=0, dtype=ferrograd.float64, layout=ferrograd.sparse_coo)'),
    ('s.unbind(1)',
     '-> (tensor(indices=tensor([[1]]),\n       values=tensor([4.]),\n       size=(2,), nnz=1, layout=ferrograd.sparse_coo), tensor(indices=tensor([], size=(1, 0)),\n       values=tensor([], size=(0,)),\n       size=(2,), nnz=0, layout=ferrograd.sparse_coo), tensor(indices=tensor([[0, 1]]),\n       values=tensor([3., 5.]),\n       size=(2,), nnz=2, layout=ferrograd.sparse_coo))'),
    ('T.ones(2,3) * s',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([3., 4., 5.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('s.unsqueeze(0)',
     '-> tensor(indices=tensor([[0, 0, 0],\n                       [0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([3., 4., 5.]),\n       size=(1, 2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('s.unsqueeze(1)',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [0, 0, 0],\n                       [2, 0, 2]]),\n       values=tensor([3., 4., 5.]),\n       size=(2, 1, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('s.unsqueeze(2)',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2],\n                       [0, 0, 0]]),\n       values=tensor([3., 4., 5.]),\n       size=(2, 3, 1), nnz=3, layout=ferrograd.sparse_coo)'),
    ('s.unsqueeze(-1)',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2],\n                       [0, 0, 0]]),\n       values=tensor([3., 4., 5.]),\n       size=(2, 3, 1), nnz=3, layout=ferrograd.sparse_coo)'),
    ('s.unsqueeze(3)',
     '!! IndexError: Dimension out of range (expected to be in range of [-3, 2], but got 3)'),
    ('h.unsqueeze(2)',
     '-> tensor(indices=tensor([[0, 2]]),\n       values=tensor([[[1.],\n                       [2.]],\n\n                      [[3.],\n                       [4.]]]),\n       size=(3, 2, 1), nnz=2, layout=ferrograd.sparse_coo)'),
    ('h.unsqueeze(1)',
     '-> tensor(indices=tensor([[0, 2],\n                       [0, 0]]),\n       values=tensor([[1., 2.],\n                      [3., 4.]]),\n       size=(3, 1, 2), nnz=2, layout=ferrograd.sparse_coo)'),
    ('s.coalesce().unsqueeze(1).is_coalesced()',
     '-> False'),
    ('s * s',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([ 9., 16., 25.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('s * s2',
     '-> tensor(indices=tensor([[1, 0],\n                       [1, 2]]),\n       values=tensor([0., 6.]),\n       size=(2, 3), nnz=2, layout=ferrograd.sparse_coo)'),
    ('s2 * s',
     '-> tensor(indices=tensor([[1, 0],\n                       [1, 2]]),\n       values=tensor([0., 6.]),\n       size=(2, 3), nnz=2, layout=ferrograd.sparse_coo)'),
    ('s.coalesce() * s2.coalesce()',
     '-> tensor(indices=tensor([[0],\n                       [2]]),\n       values=tensor([6.]),\n       size=(2, 3), nnz=1, layout=ferrograd.sparse_coo)'),
    ('s.coalesce() * s2',
     '-> tensor(indices=tensor([[1, 0],\n                       [1, 2]]),\n       values=tensor([0., 6.]),\n       size=(2, 3), nnz=2, layout=ferrograd.sparse_coo)'),
    ('s * s2.coalesce()',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([6., 0., 0.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('s * u',
     '!! RuntimeError: sparse_binary_op_intersection_cpu(): expects sparse inputs with equal dimensionality, number of sparse dimensions, and shape of sparse dimensions'),
    ('u * s',
     '!! RuntimeError: sparse_binary_op_intersection_cpu(): expects sparse inputs with equal dimensionality, number of sparse dimensions, and shape of sparse dimensions'),
    ('s * sparse_coo_tensor([[0],[0]], [1.], (3, 3))',
     '!! RuntimeError: sparse_binary_op_intersection_cpu(): expects sparse inputs with equal dimensionality, number of sparse dimensions, and shape of sparse dimensions'),
    ('h * sparse_coo_tensor([[1]], T.tensor([[2., 2.]]), (3, 2))',
     '-> tensor(indices=tensor([[0, 2]]),\n       values=tensor([[0., 0.],\n                      [0., 0.]]),\n       size=(3, 2), nnz=2, layout=ferrograd.sparse_coo)'),
    ('s * sparse_coo_tensor([[0,1],[0,1]], [1,2], (2, 3))',
     '-> tensor(indices=tensor([[0, 1],\n                       [0, 1]]),\n       values=tensor([0., 0.]),\n       size=(2, 3), nnz=2, layout=ferrograd.sparse_coo)'),
    ('s * sparse_coo_tensor(T.zeros(2,0,dtype=T.long), T.zeros(0), (2, 3))',
     '-> tensor(indices=tensor([], size=(2, 0)),\n       values=tensor([], size=(0,)),\n       size=(2, 3), nnz=0, layout=ferrograd.sparse_coo)'),
    ('s.mul(s2)',
     '-> tensor(indices=tensor([[1, 0],\n                       [1, 2]]),\n       values=tensor([0., 6.]),\n       size=(2, 3), nnz=2, layout=ferrograd.sparse_coo)'),
    ('sparse_coo_tensor(T.zeros(0, 2, dtype=T.long), [1., 2.])',
     '-> tensor(indices=tensor([], size=(0, 2)),\n       values=tensor([1., 2.]),\n       size=(), nnz=2, layout=ferrograd.sparse_coo)'),
    ('sparse_coo_tensor(T.zeros(0, 2, dtype=T.long), [1., 2.]).coalesce()',
     '-> tensor(indices=tensor([], size=(0, 1)),\n       values=tensor([3.]),\n       size=(), nnz=1, layout=ferrograd.sparse_coo)'),
    ('sparse_coo_tensor(T.zeros(0, 2, dtype=T.long), [1., 2.]).to_dense()',
     '-> tensor(3.)'),
    ('sparse_coo_tensor(T.zeros(0, 2, dtype=T.long), T.tensor([[1., 2.], [3., 4.]])).coalesce()',
     '-> tensor(indices=tensor([], size=(0, 1)),\n       values=tensor([[4., 6.]]),\n       size=(2,), nnz=1, layout=ferrograd.sparse_coo)'),
    ('T.sparse.sum(sparse_coo_tensor(T.zeros(0, 2, dtype=T.long), [1., 2.]))',
     '-> tensor(3.)'),
    ('s.to(T.ones(1, dtype=T.float64))',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([3., 4., 5.]),\n       size=(2, 3), nnz=3, dtype=ferrograd.float64, layout=ferrograd.sparse_coo)'),
    ('s.to("cpu")',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([3., 4., 5.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('s.float()',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([3., 4., 5.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('s.int()',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([3, 4, 5]),\n       size=(2, 3), nnz=3, dtype=ferrograd.int32, layout=ferrograd.sparse_coo)'),
    ('s.bool()',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([True, True, True]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('sparse_coo_tensor(i, v, (2, 3), dtype=T.int64)',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([3, 4, 5]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('sparse_coo_tensor(i.double(), v)',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([3., 4., 5.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('s.item()',
     '!! RuntimeError: a Tensor with 6 elements cannot be converted to Scalar'),
    ('sparse_coo_tensor([[0]], [5.], (1,)).item()',
     '-> 5.0'),
    ('bool(sparse_coo_tensor([[0]], [5.], (1,)))',
     '-> True'),
    ('s.grad',
     '-> None'),
    ('(s.requires_grad, s.is_leaf)',
     '-> (False, True)'),
    ('T.arange(6.).reshape(2,3).sparse_mask(s)',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([2., 3., 5.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('T.arange(6.).reshape(2,3).sparse_mask(s.coalesce()).is_coalesced()',
     '-> True'),
    ('T.arange(6.).reshape(2,3).sparse_mask(T.ones(2,3))',
     "!! NotImplementedError: Could not run 'aten::sparse_mask' with arguments from the 'CPU' backend. This could be because the operator doesn't exist for this backend, or was omitted durin"),
    ('T.ones(3).sparse_mask(s)',
     '!! RuntimeError: sparse_mask(): operands have incompatible sizes; self has size [3] but mask has size [2, 3]'),
    ('T.sparse.log_softmax(s, 1)',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([ 0.0000, -1.3133, -0.3133]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('T.sparse.log_softmax(s, 0)',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([-2.1269,  0.0000, -0.1269]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('T.sparse.log_softmax(h, 1)',
     '-> tensor(indices=tensor([[0, 2]]),\n       values=tensor([[-1.3133, -0.3133],\n                      [-1.3133, -0.3133]]),\n       size=(3, 2), nnz=2, layout=ferrograd.sparse_coo)'),
    ('T.sparse.log_softmax(sparse_coo_tensor(i, [1,2,3]), 0)',
     '!! NotImplementedError: "log_softmax" not implemented for \'Long\''),
    ('T.sparse.softmax(sparse_coo_tensor([[0, 2, 3]], [1., 2., 3.]), 0)',
     '-> tensor(indices=tensor([[0, 2, 3]]),\n       values=tensor([0.0900, 0.2447, 0.6652]),\n       size=(4,), nnz=3, layout=ferrograd.sparse_coo)'),
    ('T.sparse.softmax(sparse_coo_tensor(T.zeros(2,0,dtype=T.long), T.zeros(0), (2,3)), 1)',
     '-> tensor(indices=tensor([], size=(2, 0)),\n       values=tensor([], size=(0,)),\n       size=(2, 3), nnz=0, layout=ferrograd.sparse_coo)'),
    ('T.sparse.check_sparse_tensor_invariants.is_enabled()',
     '-> False'),
    ('T.sparse_coo_tensor((2,3))',
     '-> tensor(indices=tensor([], size=(2, 0)),\n       values=tensor([], size=(0,)),\n       size=(2, 3), nnz=0, layout=ferrograd.sparse_coo)'),
    ('T.sparse_coo_tensor([2,3], dtype=T.float64)',
     '-> tensor(indices=tensor([], size=(2, 0)),\n       values=tensor([], size=(0,)),\n       size=(2, 3), nnz=0, dtype=ferrograd.float64, layout=ferrograd.sparse_coo)'),
    ('T.sparse_coo_tensor(T.Size([2,3]))',
     '-> tensor(indices=tensor([], size=(2, 0)),\n       values=tensor([], size=(0,)),\n       size=(2, 3), nnz=0, layout=ferrograd.sparse_coo)'),
    ('T.sparse_coo_tensor(i)',
     "!! TypeError: sparse_coo_tensor(): argument 'size' (position 1) must be tuple of ints, not Tensor"),
    ('T.zeros(2, 3, layout=T.sparse_coo)',
     '-> tensor(indices=tensor([], size=(2, 0)),\n       values=tensor([], size=(0,)),\n       size=(2, 3), nnz=0, layout=ferrograd.sparse_coo)'),
    ('T.zeros((2, 3), layout=T.sparse_coo, dtype=T.int64)',
     '-> tensor(indices=tensor([], size=(2, 0)),\n       values=tensor([], size=(0,)),\n       size=(2, 3), nnz=0, layout=ferrograd.sparse_coo)'),
    ('T.empty(2, 3, layout=T.sparse_coo)',
     '-> tensor(indices=tensor([], size=(2, 0)),\n       values=tensor([], size=(0,)),\n       size=(2, 3), nnz=0, layout=ferrograd.sparse_coo)'),
    ('T.ones(2, layout=T.sparse_coo)',
     '!! RuntimeError: full(...) is not implemented for sparse layout'),
    ('T.zeros_like(s, layout=T.sparse_coo)',
     '-> tensor(indices=tensor([], size=(2, 0)),\n       values=tensor([], size=(0,)),\n       size=(2, 3), nnz=0, layout=ferrograd.sparse_coo)'),
    ('T.zeros(2, 3, layout=T.strided)',
     '-> tensor([[0., 0., 0.],\n        [0., 0., 0.]])'),
    ('s.index_select(1, T.tensor([2, 0, 2]))',
     '-> tensor(indices=tensor([[0, 1, 1, 0, 1],\n                       [0, 0, 1, 2, 2]]),\n       values=tensor([3., 5., 4., 3., 5.]),\n       size=(2, 3), nnz=5, layout=ferrograd.sparse_coo)'),
    ('s.index_select(1, T.tensor([2, 0, 2])).is_coalesced()',
     '-> False'),
    ('s.index_select(0, T.tensor([1]))',
     '-> tensor(indices=tensor([[0, 0],\n                       [0, 2]]),\n       values=tensor([4., 5.]),\n       size=(1, 3), nnz=2, layout=ferrograd.sparse_coo)'),
    ('s.index_select(0, T.tensor([1])).is_coalesced()',
     '-> False'),
    ('s.index_select(0, T.tensor([5]))',
     '!! IndexError: index_select(): index contains 5 that is out of range for tensor of size [2, 3] at dimension 0'),
    ('h.index_select(1, T.tensor([1, 1, 0]))',
     '-> tensor(indices=tensor([[0, 2]]),\n       values=tensor([[2., 2., 1.],\n                      [4., 4., 3.]]),\n       size=(3, 3), nnz=2, layout=ferrograd.sparse_coo)'),
    ('h.index_select(0, T.tensor([2, 0]))',
     '-> tensor(indices=tensor([[0, 1]]),\n       values=tensor([[3., 4.],\n                      [1., 2.]]),\n       size=(2, 2), nnz=2, layout=ferrograd.sparse_coo)'),
    ('s.cpu() is s',
     '-> True'),
    ('s.mul_(2)',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([ 6.,  8., 10.]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('s.div_(2)',
     '-> tensor(indices=tensor([[0, 1, 1],\n                       [2, 0, 2]]),\n       values=tensor([1.5000, 2.0000, 2.5000]),\n       size=(2, 3), nnz=3, layout=ferrograd.sparse_coo)'),
    ('s.zero_()',
     '-> tensor(indices=tensor([], size=(2, 0)),\n       values=tensor([], size=(0,)),\n       size=(2, 3), nnz=0, layout=ferrograd.sparse_coo)'),
    ('h.zero_()',
     '-> tensor(indices=tensor([], size=(1, 0)),\n       values=tensor([], size=(0, 2)),\n       size=(3, 2), nnz=0, layout=ferrograd.sparse_coo)'),
    ('T.sparse.addmm(T.ones(2,2), s, T.ones(3,2), beta=2, alpha=3)',
     '-> tensor([[11., 11.],\n        [29., 29.]])'),
    ('T.testing.assert_close(s, sparse_coo_tensor([[1, 0, 1], [0, 2, 2]], [4.,3.,5.], (2, 3)))',
     '!! AssertionError: Sparse COO indices are not equal!\n\nMismatched elements: 4 / 6 (66.7%)\nGreatest absolute difference: 2 at index (1, 0)\nGreatest relative difference: inf at index'),
    ('T.testing.assert_close(s, sparse_coo_tensor([[0, 1, 1], [2, 0, 2]], [3.,4.,5.5], (2, 3)))',
     '!! AssertionError: Sparse COO values are not close!\n\nMismatched elements: 1 / 3 (33.3%)\nGreatest absolute difference: 0.5 at index (2,) (up to 1e-05 allowed)\nGreatest relative dif'),
    ('T.testing.assert_close(s, s.clone())',
     '-> None'),
    ('T.testing.assert_close(s, s.to_dense())',
     "!! AssertionError: The values for attribute 'layout' do not match: ferrograd.sparse_coo != ferrograd.strided."),
    ('T.testing.assert_close(s, s.to_dense(), check_layout=False)',
     '-> None'),
    ('T.testing.assert_close(s, sparse_coo_tensor([[0],[0]],[1.],(2,3)))',
     '!! AssertionError: The number of specified values in sparse COO tensors does not match: 3 != 1'),
    ('T.testing.assert_close(s, sparse_coo_tensor([[0],[0]],[1.],(2,4)))',
     "!! AssertionError: The values for attribute 'shape' do not match: ferrograd.Size([2, 3]) != ferrograd.Size([2, 4])."),
]


@pytest.mark.parametrize(("expr", "expected"), CASES, ids=[c[0] for c in CASES])
def test_as_pytorch(expr: str, expected: str) -> None:
    assert _outcome(expr) == expected


def _grads() -> dict:
    g = _setup()
    g["w"] = T.arange(6.0).reshape(2, 3)
    g["leaf"] = T.sparse_coo_tensor(g["i"], g["v"], (2, 3), requires_grad=True)
    return g


# (loss of the sparse leaf `leaf` = sparse_coo_tensor(i, [3, 4, 5], (2, 3)), values of
# leaf.grad in PyTorch, on leaf's indices [[0, 1, 1], [2, 0, 2]])
GRAD_CASES = [
    ("(leaf.to_dense() * w).sum()", [2.0, 3.0, 5.0]),  # w at (0,2), (1,0), (1,2)
    ("T.sparse.mm(leaf, d).sum()", [9.0, 1.0, 9.0]),  # row sums of d at the columns 2, 0, 2
    ("T.sparse.sum(leaf)", [1.0, 1.0, 1.0]),
    ("T.sparse.sum(leaf, 1).to_dense().sum()", [1.0, 1.0, 1.0]),
    ("(T.sparse.softmax(leaf, 1).to_dense() * w).sum()", [0.0, -0.39322388, 0.39322388]),
    ("((leaf * 2 + leaf).to_dense() * w).sum()", [6.0, 9.0, 15.0]),
    ("(leaf.coalesce().values() * T.tensor([1.0, 2.0, 3.0])).sum()", [1.0, 2.0, 3.0]),
    ("((leaf / 2 - leaf).to_dense() * w).sum()", [-1.0, -1.5, -2.5]),
    ("(leaf.pow(2).to_dense() * w).sum()", [12.0, 24.0, 50.0]),  # 2 * value * w
    # 2 * the column sum; PyTorch's grad holds these on 5 uncoalesced entries (one an explicit 0)
    ("T.sparse.mm(leaf, leaf.t()).to_dense().sum()", [16.0, 8.0, 16.0]),
]


@pytest.mark.parametrize(("loss", "expected"), GRAD_CASES, ids=[c[0] for c in GRAD_CASES])
def test_sparse_leaf_grad_is_sparse(loss: str, expected: list) -> None:
    g = _grads()
    eval(loss, g).backward()
    grad = g["leaf"].grad
    assert grad.is_sparse
    assert grad._indices().tolist() == [[0, 1, 1], [2, 0, 2]]
    np.testing.assert_allclose(grad._values().numpy(), expected, rtol=1e-6, atol=1e-7)


def test_grad_accumulates_on_the_leaf_pattern() -> None:
    g = _grads()
    for _ in range(2):
        (g["leaf"].to_dense() * g["w"]).sum().backward()
    assert g["leaf"].grad._values().tolist() == [4.0, 6.0, 10.0]
    g["leaf"].grad = None
    assert g["leaf"].grad is None


def test_values_of_a_non_leaf_get_the_gradient() -> None:
    vv = T.tensor([3.0, 4.0, 5.0], requires_grad=True)
    s = T.sparse_coo_tensor([[0, 1, 1], [2, 0, 2]], vv, (2, 3))
    assert (s.is_leaf, s.requires_grad, s._values().requires_grad) == (False, True, False)
    (s.to_dense() * T.arange(6.0).reshape(2, 3)).sum().backward()
    assert vv.grad.tolist() == [2.0, 3.0, 5.0]


def test_dense_side_grads() -> None:
    dd = T.arange(6.0).reshape(3, 2).requires_grad_()
    T.sparse.mm(_setup()["s"], dd).sum().backward()
    assert dd.grad.tolist() == [[4.0, 4.0], [0.0, 0.0], [8.0, 8.0]]  # column sums of s.to_dense()
    x = T.tensor([[0.0, 2.0], [1.0, 0.0]], requires_grad=True)
    (x.to_sparse().to_dense() * T.tensor([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
    assert x.grad.tolist() == [[0.0, 2.0], [3.0, 0.0]]  # only the stored entries


def test_sparse_mask_takes_the_mask_entries_and_their_gradient() -> None:
    x = T.arange(6.0).reshape(2, 3).requires_grad_()
    masked = x.sparse_mask(_setup()["s"])
    assert masked._values().tolist() == [2.0, 3.0, 5.0]  # x at (0,2), (1,0), (1,2)
    masked.to_dense().sum().backward()
    assert x.grad.tolist() == [[0.0, 0.0, 1.0], [1.0, 0.0, 1.0]]


def test_check_sparse_tensor_invariants() -> None:
    checks = T.sparse.check_sparse_tensor_invariants
    assert not checks.is_enabled()
    T.sparse_coo_tensor([[0, 5]], [1.0, 2.0], (3,))  # unchecked by default, as PyTorch
    with checks():
        assert checks.is_enabled()
        with pytest.raises(RuntimeError, match="for dim 0, size is 3 but found index 5"):
            T.sparse_coo_tensor([[0, 5]], [1.0, 2.0], (3,))
        with checks(enable=False):
            assert not checks.is_enabled()
        T.sparse_coo_tensor([[0, 5]], [1.0, 2.0], (3,), check_invariants=False)
    assert not checks.is_enabled()
    assert checks()(checks.is_enabled)() is True
    checks.enable()
    try:
        assert checks.is_enabled()
    finally:
        checks.disable()
    assert not checks.is_enabled()


def _coalescing_product(a):
    u = T.sparse_coo_tensor([[1, 0, 1], [0, 1, 0]], a, (2, 2))
    return T.sparse.mm(u.coalesce(), T.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=T.float64))


@pytest.mark.parametrize("fn", [
    lambda a: T.sparse.mm(T.sparse_coo_tensor([[0, 1, 1], [2, 0, 2]], a, (2, 3)),
                          T.arange(6.0, dtype=T.float64).reshape(3, 2)),
    lambda a: T.sparse.softmax(T.sparse_coo_tensor([[0, 1, 1], [2, 0, 2]], a, (2, 3)), 0).to_dense(),
    lambda a: T.sparse.sum(T.sparse_coo_tensor([[0, 1, 1], [2, 0, 2]], a, (2, 3)), 0).to_dense(),
    lambda a: (T.sparse_coo_tensor([[0, 1, 1], [2, 0, 2]], a, (2, 3)) * a.sum()).to_dense(),
    _coalescing_product,
    lambda a: T.sparse.mm(T.sparse_coo_tensor([[0, 1, 1], [2, 0, 2]], a, (2, 3)),
                          T.sparse_coo_tensor([[0, 2, 2], [1, 0, 1]], a * 2, (3, 2))).to_dense(),
    lambda a: T.sparse_coo_tensor([[0, 1, 1], [2, 0, 2]], a, (2, 3))[1].to_dense(),
    lambda a: T.sparse_coo_tensor([[0, 1, 1], [2, 0, 2]], a, (2, 3)).sin().pow(3).to_dense(),
    lambda a: (T.sparse_coo_tensor([[0, 1, 1], [2, 0, 2]], a, (2, 3))
               * T.sparse_coo_tensor([[1, 0, 1], [2, 2, 0]], a.flip(0), (2, 3))).to_dense(),
    lambda a: T.sparse_coo_tensor([[0, 1, 1], [2, 0, 2]], a, (2, 3)).index_select(1, T.tensor([2, 0, 2])).to_dense(),
    lambda a: T.sparse.log_softmax(T.sparse_coo_tensor([[0, 1, 1], [2, 0, 2]], a, (2, 3)), 1).to_dense(),
], ids=["sparse.mm", "softmax", "sum_dim", "mul", "coalesce", "sparse@sparse", "select", "sin_pow", "sparse*sparse",
        "index_select", "log_softmax"])
def test_gradcheck(fn) -> None:
    a = T.tensor([0.3, -1.2, 2.0], dtype=T.float64, requires_grad=True)
    assert T.autograd.gradcheck(fn, (a,))


def test_dense_ops_refuse_a_sparse_operand_loudly() -> None:
    s = _setup()["s"]
    with pytest.raises(RuntimeError):  # a shape error, never a result computed from no data
        T.ones(2, 3).mul(s)
    with pytest.raises(NotImplementedError, match="'aten::view' with arguments from the 'SparseCPU' backend"):
        s.view(6)
    with pytest.raises(NotImplementedError, match="'aten::as_strided'"):
        s[0:1]
    assert hash(s) == hash(s)


def test_dense_tensors_are_unchanged() -> None:
    x = T.ones(2, 2)
    assert (x.is_sparse, x.layout, x.sparse_dim(), x.dense_dim()) == (False, T.strided, 0, 2)
    assert type(x + x) is T.Tensor
    assert x.to_sparse(layout=T.strided) is x
