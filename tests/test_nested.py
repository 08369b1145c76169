"""Nested tensors (`ferrograd.nested`) against PyTorch 2.13 (CPU), both layouts: each case
is an expression evaluated with `T = ferrograd`, and PyTorch's repr of its result or its
exception type and message (the first 160 characters), with `torch.` written
`ferrograd.`, the nested ints (`j1`, `j2`, ...) written `j*` as their numbers depend on
what ran before, and object addresses left out. Gradients are checked against PyTorch's
values and by finite differences (gradcheck)."""

import re
import warnings

import ferrograd as T
import ferrograd.nn.functional as F
import numpy as np
import pytest

nested = T.nested


def _setup() -> dict:
    g = {"T": T, "F": F, "nested": nested}
    a, b = T.arange(6.0).reshape(2, 3), T.arange(9.0).reshape(3, 3)
    g.update(a=a, b=b, x=T.arange(12.0).reshape(3, 4))
    g["s"] = nested.nested_tensor([a, b])
    g["s2"] = nested.nested_tensor([a, a])
    g["s3"] = nested.nested_tensor([a, b, a])
    g["c"] = nested.nested_tensor([T.zeros(2, 6), T.zeros(3, 6)])
    g["j"] = nested.nested_tensor([a, b], layout=T.jagged)
    g["j2"] = nested.nested_tensor([a, b], layout=T.jagged)  # same sizes, other offsets: another nested int
    g["jc"] = nested.nested_tensor([T.arange(12.0).reshape(2, 6), T.arange(18.0).reshape(3, 6)], layout=T.jagged)
    g["q"] = nested.nested_tensor([T.ones(2, 2, 3), T.ones(3, 2, 3)], layout=T.jagged)
    g["qh"] = nested.nested_tensor([T.arange(12.0).reshape(2, 2, 3) / 10, T.arange(18.0).reshape(3, 2, 3) / 7],
                                   layout=T.jagged).transpose(1, 2)  # batch x heads x ragged x features
    g["W"] = T.arange(12.0).reshape(4, 3) / 4
    g["bias"] = T.tensor([1.0, -1.0, 0.5, 0.0])
    return g


def _outcome(expr: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            text = "-> " + repr(eval(expr, _setup()))
        except Exception as e:  # noqa: BLE001 (the exception is what is compared)
            text = f"!! {type(e).__name__}: {str(e)[:160]}"
    return re.sub(r" object at 0x[0-9a-f]+", "", re.sub(r"j\d+", "j*", text))


# (expression, what PyTorch 2.13 gives)
CASES = [
    ('nested.nested_tensor([a, b])',
     '-> nested_tensor([\n  tensor([[0., 1., 2.],\n          [3., 4., 5.]]),\n  tensor([[0., 1., 2.],\n          [3., 4., 5.],\n          [6., 7., 8.]])\n])'),
    ('nested.nested_tensor([a, b], requires_grad=True)',
     '-> nested_tensor([\n  tensor([[0., 1., 2.],\n          [3., 4., 5.]], requires_grad=True),\n  tensor([[0., 1., 2.],\n          [3., 4., 5.],\n          [6., 7., 8.]], requires_grad=True)\n], requires_grad=True)'),
    ('nested.nested_tensor([[1, 2], [3]])',
     '-> nested_tensor([\n  tensor([1, 2]),\n  tensor([3])\n])'),
    ('nested.nested_tensor([[1, 2], [3]], dtype=T.float64)',
     '-> nested_tensor([\n  tensor([1., 2.], dtype=ferrograd.float64),\n  tensor([3.], dtype=ferrograd.float64)\n])'),
    ('nested.nested_tensor([])',
     '-> nested_tensor([\n\n])'),
    ('nested.nested_tensor([T.tensor(1.0), T.tensor(2.0)])',
     '-> nested_tensor([\n  tensor(1.),\n  tensor(2.)\n])'),
    ('nested.nested_tensor([a, b.long()])',
     '-> nested_tensor([\n  tensor([[0., 1., 2.],\n          [3., 4., 5.]]),\n  tensor([[0., 1., 2.],\n          [3., 4., 5.],\n          [6., 7., 8.]])\n])'),
    ('nested.nested_tensor([a.long(), b])',
     '-> nested_tensor([\n  tensor([[0, 1, 2],\n          [3, 4, 5]]),\n  tensor([[0, 1, 2],\n          [3, 4, 5],\n          [6, 7, 8]])\n])'),
    ('nested.nested_tensor((a, b))',
     '!! TypeError: Only lists (List[Tensor] and List[List...[Scalar]]) are accepted in nested_tensor'),
    ('nested.nested_tensor(a)',
     '!! TypeError: Only lists (List[Tensor] and List[List...[Scalar]]) are accepted in nested_tensor'),
    ('nested.nested_tensor([a, 3])',
     '!! RuntimeError: All Tensors given to nested_tensor must have the same dimension. Found dimension 0 for Tensor at index 1 and dimension 2 for Tensor at index 0.'),
    ('nested.nested_tensor([T.zeros(2), T.zeros(2, 2)])',
     '!! RuntimeError: All Tensors given to nested_tensor must have the same dimension. Found dimension 2 for Tensor at index 1 and dimension 1 for Tensor at index 0.'),
    ('nested.nested_tensor([a, b], layout=T.sparse_coo)',
     '!! RuntimeError: Specified layout is unsupported for nested tensors: ferrograd.sparse_coo'),
    ('nested.nested_tensor([a, b], layout=T.jagged)',
     '-> NestedTensor(size=(2, j*, 3), offsets=tensor([0, 2, 5]), contiguous=True)'),
    ('nested.nested_tensor([a, b], layout=T.jagged, requires_grad=True)',
     '-> NestedTensor(size=(2, j*, 3), offsets=tensor([0, 2, 5]), requires_grad=True, contiguous=True)'),
    ('nested.nested_tensor([], layout=T.jagged)',
     '!! RuntimeError: Cannot construct a nested tensor from an empty tensor list'),
    ('nested.nested_tensor([T.tensor(1.0)], layout=T.jagged)',
     '!! RuntimeError: Cannot construct a nested tensor from a list of zero-dim tensors'),
    ('nested.nested_tensor([T.zeros(2), T.zeros(2, 2)], layout=T.jagged)',
     '!! RuntimeError: When constructing a nested tensor, all tensors in list must have the same dim'),
    ('nested.nested_tensor([a, b.long()], layout=T.jagged)',
     '!! RuntimeError: When constructing a nested tensor, all tensors in list must have the same dtype'),
    ('nested.nested_tensor([T.zeros(2, 3), T.zeros(3, 4)], layout=T.jagged)',
     '!! RuntimeError: Cannot represent given tensor list as a nested tensor with the jagged layout. Note that the jagged layout only allows for a single ragged dimension. For example'),
    ('nested.nested_tensor([T.zeros(2, 3), T.zeros(2, 4)], layout=T.jagged)',
     '-> NestedTensor(size=(2, 2, j*), offsets=tensor([0, 3, 7]), contiguous=True)'),
    ('nested.as_nested_tensor(T.arange(6.0).reshape(2, 3))',
     '-> nested_tensor([\n  tensor([0., 1., 2.]),\n  tensor([3., 4., 5.])\n])'),
    ('nested.as_nested_tensor(T.arange(6.0).reshape(2, 3), layout=T.jagged).values()',
     '-> tensor([0., 1., 2., 3., 4., 5.])'),
    ('nested.as_nested_tensor(T.arange(3.0))',
     '!! RuntimeError: as_nested_tensor(): Expected tensor argument to have dim() > 1'),
    ('nested.as_nested_tensor(3)',
     '!! TypeError: as_nested_tensor(): Expected first argument to be a tensor or a list / tuple of tensors '),
    ('nested.as_nested_tensor(s, layout=T.jagged)',
     '!! RuntimeError: as_nested_tensor(): Converting between nested tensor layouts is not supported'),
    ('nested.as_nested_tensor(s) is s',
     '!! RuntimeError: as_nested_tensor(): Converting between nested tensor layouts is not supported'),
    ('nested.nested_tensor_from_jagged(T.arange(10.0).reshape(5, 2), T.tensor([0, 2, 5])).unbind()',
     '-> (tensor([[0., 1.],\n        [2., 3.]]), tensor([[4., 5.],\n        [6., 7.],\n        [8., 9.]]))'),
    ('nested.nested_tensor_from_jagged(T.arange(10.0).reshape(5, 2), lengths=T.tensor([2, 3])).offsets()',
     '-> tensor([0, 2, 5])'),
    ('nested.nested_tensor_from_jagged(T.arange(10.0).reshape(5, 2), T.tensor([0, 2, 5]), T.tensor([1, 2])).unbind()',
     '-> (tensor([[0., 1.]]), tensor([[4., 5.],\n        [6., 7.]]))'),
    ('nested.nested_tensor_from_jagged(T.arange(10.0).reshape(2, 5), T.tensor([0, 2, 5]), jagged_dim=2).unbind()',
     '-> (tensor([[0., 1.],\n        [5., 6.]]), tensor([[2., 3., 4.],\n        [7., 8., 9.]]))'),
    ('nested.nested_tensor_from_jagged(T.arange(10.0).reshape(5, 2))',
     '!! RuntimeError: nested_tensor_from_jagged(): At least one of offsets or lengths is required.'),
    ('nested.nested_tensor_from_jagged(T.arange(10.0).reshape(5, 2), T.tensor([0, 2, 5]), jagged_dim=0)',
     '!! ValueError: Expected jagged_dim >=1, but got 0.'),
    ('nested.to_padded_tensor(nested.nested_tensor_from_jagged(T.arange(10.0).reshape(5, 2), T.tensor([0, 2, 5]), T.tensor([1, 2])), 0.0)',
     '!! RuntimeError: to_padded_tensor(): not supported for nested tensors with holes'),
    ('(s.is_nested, j.is_nested, a.is_nested, s.layout, j.layout, s.dim(), j.dim(), s.numel(), j.numel())',
     '-> (True, True, False, ferrograd.strided, ferrograd.jagged, 3, 3, 15, 15)'),
    ('(s.size(0), s.size(2), s.size(-1), j.size(0), j.size(2))',
     '-> (2, 3, 3, 2, 3)'),
    ('s.size(1)',
     '!! RuntimeError: Given dimension 1 is irregular and does not have a size.'),
    ('s.size(-2)',
     '!! RuntimeError: Given dimension -2 is irregular and does not have a size.'),
    ('s.size(3)',
     '!! IndexError: Dimension out of range (expected to be in range of [-3, 2], but got 3)'),
    ('s.size()',
     "!! RuntimeError: Internal error: NestedTensorImpl doesn't support sizes. Please file an issue."),
    ('s.shape',
     "!! RuntimeError: Internal error: NestedTensorImpl doesn't support sizes. Please file an issue."),
    ('len(s)',
     "!! RuntimeError: Internal error: NestedTensorImpl doesn't support sizes. Please file an issue."),
    ('len(j)',
     '-> 2'),
    ('j.size(3)',
     '!! IndexError: Dimension out of range (expected to be in range of [-3, 2], but got 3)'),
    ('(str(j.size(1)), str(j.shape), j.size(1) is j.shape[1])',
     "-> ('j*', 'ferrograd.Size([2, j*, 3])', True)"),
    ('s.unbind()',
     '-> (tensor([[0., 1., 2.],\n        [3., 4., 5.]]), tensor([[0., 1., 2.],\n        [3., 4., 5.],\n        [6., 7., 8.]]))'),
    ('j.unbind()',
     '-> (tensor([[0., 1., 2.],\n        [3., 4., 5.]]), tensor([[0., 1., 2.],\n        [3., 4., 5.],\n        [6., 7., 8.]]))'),
    ('s.unbind(1)',
     '!! RuntimeError: NestedTensor can only be unbound along dimension 0 got dimension 1 instead.'),
    ('j.unbind(1)',
     '!! RuntimeError: unbind(): only supported for NestedTensor on dim=0'),
    ('s[1]',
     '-> tensor([[0., 1., 2.],\n        [3., 4., 5.],\n        [6., 7., 8.]])'),
    ('j[0]',
     '-> tensor([[0., 1., 2.],\n        [3., 4., 5.]])'),
    ('s[:, 0]',
     "!! NotImplementedError: Could not run 'aten::slice.Tensor' with arguments from the 'NestedTensorCPU' backend. This could be because the operator doesn't exist for this backend, or was "),
    ('j[:, 0]',
     '!! RuntimeError: slice(): not supported for NestedTensor on dim=0'),
    ('s.values()',
     '-> tensor([0., 1., 2., 3., 4., 5., 0., 1., 2., 3., 4., 5., 6., 7., 8.])'),
    ('j.values()',
     '-> tensor([[0., 1., 2.],\n        [3., 4., 5.],\n        [0., 1., 2.],\n        [3., 4., 5.],\n        [6., 7., 8.]])'),
    ('j.offsets()',
     '-> tensor([0, 2, 5])'),
    ('j.lengths()',
     '-> None'),
    ('j._ragged_idx',
     '-> 1'),
    ('s.offsets()',
     "!! AttributeError: 'Tensor' object has no attribute 'offsets'"),
    ('s._nested_tensor_size()',
     '-> tensor([[2, 3],\n        [3, 3]])'),
    ('s.stride()',
     "!! RuntimeError: Internal error: NestedTensorImpl doesn't support strides. Please file an issue."),
    ('s.tolist()',
     "!! RuntimeError: Internal error: NestedTensorImpl doesn't support strides. Please file an issue."),
    ('j.tolist()',
     '!! RuntimeError: .tolist() is not supported for tensor subclasses, got NestedTensor'),
    ('s.numpy()',
     "!! RuntimeError: Internal error: NestedTensorImpl doesn't support sizes. Please file an issue."),
    ('j.numpy()',
     '!! RuntimeError: .numpy() is not supported for tensor subclasses.'),
    ('s.item()',
     '!! RuntimeError: a Tensor with 15 elements cannot be converted to Scalar'),
    ('s.is_contiguous()',
     '-> True'),
    ('j.is_contiguous()',
     '-> True'),
    ('j.transpose(1, 2).is_contiguous()',
     '-> False'),
    ('s.to(T.float64)',
     '-> nested_tensor([\n  tensor([[0., 1., 2.],\n          [3., 4., 5.]], dtype=ferrograd.float64),\n  tensor([[0., 1., 2.],\n          [3., 4., 5.],\n          [6., 7., 8.]], dtype=ferrograd.float64)\n])'),
    ('j.double().values().dtype',
     '-> ferrograd.float64'),
    ('s.clone()',
     '-> nested_tensor([\n  tensor([[0., 1., 2.],\n          [3., 4., 5.]]),\n  tensor([[0., 1., 2.],\n          [3., 4., 5.],\n          [6., 7., 8.]])\n])'),
    ('s.detach()',
     '-> nested_tensor([\n  tensor([[0., 1., 2.],\n          [3., 4., 5.]]),\n  tensor([[0., 1., 2.],\n          [3., 4., 5.],\n          [6., 7., 8.]])\n])'),
    ('s + s',
     '-> nested_tensor([\n  tensor([[ 0.,  2.,  4.],\n          [ 6.,  8., 10.]]),\n  tensor([[ 0.,  2.,  4.],\n          [ 6.,  8., 10.],\n          [12., 14., 16.]])\n])'),
    ('s * 2',
     '-> nested_tensor([\n  tensor([[ 0.,  2.,  4.],\n          [ 6.,  8., 10.]]),\n  tensor([[ 0.,  2.,  4.],\n          [ 6.,  8., 10.],\n          [12., 14., 16.]])\n])'),
    ('2 * s',
     '-> nested_tensor([\n  tensor([[ 0.,  2.,  4.],\n          [ 6.,  8., 10.]]),\n  tensor([[ 0.,  2.,  4.],\n          [ 6.,  8., 10.],\n          [12., 14., 16.]])\n])'),
    ('s - 1',
     '-> nested_tensor([\n  tensor([[-1.,  0.,  1.],\n          [ 2.,  3.,  4.]]),\n  tensor([[-1.,  0.,  1.],\n          [ 2.,  3.,  4.],\n          [ 5.,  6.,  7.]])\n])'),
    ('1 - s',
     "!! NotImplementedError: Could not run 'aten::rsub.Scalar' with arguments from the 'NestedTensorCPU' backend. This could be because the operator doesn't exist for this backend, or was o"),
    ('s / 2',
     '-> nested_tensor([\n  tensor([[0.0000, 0.5000, 1.0000],\n          [1.5000, 2.0000, 2.5000]]),\n  tensor([[0.0000, 0.5000, 1.0000],\n          [1.5000, 2.0000, 2.5000],\n          [3.0000, 3.5000, 4.0000]])\n])'),
    ('s + T.tensor(1.0)',
     '-> nested_tensor([\n  tensor([[1., 2., 3.],\n          [4., 5., 6.]]),\n  tensor([[1., 2., 3.],\n          [4., 5., 6.],\n          [7., 8., 9.]])\n])'),
    ('-s',
     '-> nested_tensor([\n  tensor([[-0., -1., -2.],\n          [-3., -4., -5.]]),\n  tensor([[-0., -1., -2.],\n          [-3., -4., -5.],\n          [-6., -7., -8.]])\n])'),
    ('s.abs()',
     '-> nested_tensor([\n  tensor([[0., 1., 2.],\n          [3., 4., 5.]]),\n  tensor([[0., 1., 2.],\n          [3., 4., 5.],\n          [6., 7., 8.]])\n])'),
    ('T.sin(s)',
     '-> nested_tensor([\n  tensor([[ 0.0000,  0.8415,  0.9093],\n          [ 0.1411, -0.7568, -0.9589]]),\n  tensor([[ 0.0000,  0.8415,  0.9093],\n          [ 0.1411, -0.7568, -0.9589],\n          [-0.2794,  0.6570,  0.9894]])\n])'),
    ('T.relu(s - 3)',
     '-> nested_tensor([\n  tensor([[0., 0., 0.],\n          [0., 1., 2.]]),\n  tensor([[0., 0., 0.],\n          [0., 1., 2.],\n          [3., 4., 5.]])\n])'),
    ('s.tanh()',
     '-> nested_tensor([\n  tensor([[0.0000, 0.7616, 0.9640],\n          [0.9951, 0.9993, 0.9999]]),\n  tensor([[0.0000, 0.7616, 0.9640],\n          [0.9951, 0.9993, 0.9999],\n          [1.0000, 1.0000, 1.0000]])\n])'),
    ('s.sqrt()',
     '-> nested_tensor([\n  tensor([[0.0000, 1.0000, 1.4142],\n          [1.7321, 2.0000, 2.2361]]),\n  tensor([[0.0000, 1.0000, 1.4142],\n          [1.7321, 2.0000, 2.2361],\n          [2.4495, 2.6458, 2.8284]])\n])'),
    ('F.gelu(s / 4)',
     '-> nested_tensor([\n  tensor([[0.0000, 0.1497, 0.3457],\n          [0.5800, 0.8413, 1.1179]]),\n  tensor([[0.0000, 0.1497, 0.3457],\n          [0.5800, 0.8413, 1.1179],\n          [1.3998, 1.6799, 1.9545]])\n])'),
    ('s.exp()',
     "!! NotImplementedError: Could not run 'aten::exp' with arguments from the 'NestedTensorCPU' backend. This could be because the operator doesn't exist for this backend, or was omitted d"),
    ('s.sigmoid()',
     "!! NotImplementedError: Could not run 'aten::sigmoid' with arguments from the 'NestedTensorCPU' backend. This could be because the operator doesn't exist for this backend, or was omitt"),
    ('s.pow(2)',
     "!! NotImplementedError: Could not run 'aten::pow.Tensor_Scalar' with arguments from the 'NestedTensorCPU' backend. This could be because the operator doesn't exist for this backend, or"),
    ('s ** 2',
     "!! NotImplementedError: Could not run 'aten::pow.Tensor_Scalar' with arguments from the 'NestedTensorCPU' backend. This could be because the operator doesn't exist for this backend, or"),
    ('s.square()',
     "!! NotImplementedError: Could not run 'aten::pow.Tensor_Scalar' with arguments from the 'NestedTensorCPU' backend. This could be because the operator doesn't exist for this backend, or"),
    ('s.isfinite()',
     "!! NotImplementedError: Could not run 'aten::ne.Scalar' with arguments from the 'NestedTensorCPU' backend. This could be because the operator doesn't exist for this backend, or was omi"),
    ('F.selu(s)',
     "!! NotImplementedError: Could not run 'aten::elu' with arguments from the 'NestedTensorCPU' backend. This could be because the operator doesn't exist for this backend, or was omitted d"),
    ('s > 2',
     '-> nested_tensor([\n  tensor([[False, False, False],\n          [ True,  True,  True]]),\n  tensor([[False, False, False],\n          [ True,  True,  True],\n          [ True,  True,  True]])\n])'),
    ('s >= T.tensor(2.0)',
     "!! NotImplementedError: Could not run 'aten::ge.Tensor' with arguments from the 'NestedTensorCPU' backend. This could be because the operator doesn't exist for this backend, or was omi"),
    ('s == 3',
     '-> nested_tensor([\n  tensor([[False, False, False],\n          [ True, False, False]]),\n  tensor([[False, False, False],\n          [ True, False, False],\n          [False, False, False]])\n])'),
    ('s.ne(3)',
     "!! NotImplementedError: Could not run 'aten::ne.Scalar' with arguments from the 'NestedTensorCPU' backend. This could be because the operator doesn't exist for this backend, or was omi"),
    ('s == s',
     '!! RuntimeError: eq does not support nested tensor as other value.'),
    ('s.lt(s)',
     "!! NotImplementedError: Could not run 'aten::lt.Tensor' with arguments from the 'NestedTensorCPU' backend. This could be because the operator doesn't exist for this backend, or was omi"),
    ('s.maximum(s)',
     "!! NotImplementedError: Could not run 'aten::maximum' with arguments from the 'NestedTensorCPU' backend. This could be because the operator doesn't exist for this backend, or was omitt"),
    ('s + a',
     '!! RuntimeError: Expected both self and other to be nested, but got a nested self and non-nested other'),
    ('s + s2',
     '!! RuntimeError: add does not support broadcasting when given a NestedTensor'),
    ('s * s3',
     '!! RuntimeError: mul does not support broadcasting when given a NestedTensor'),
    ('s + j',
     "!! RuntimeError: Internal error: NestedTensorImpl doesn't support sizes. Please file an issue."),
    ('s.sub_(1)',
     "!! NotImplementedError: Could not run 'aten::sub_.Tensor' with arguments from the 'NestedTensorCPU' backend. This could be because the operator doesn't exist for this backend, or was o"),
    ('s.clone().add_(1)',
     '-> nested_tensor([\n  tensor([[1., 2., 3.],\n          [4., 5., 6.]]),\n  tensor([[1., 2., 3.],\n          [4., 5., 6.],\n          [7., 8., 9.]])\n])'),
    ('s.clone().mul_(s)',
     '-> nested_tensor([\n  tensor([[ 0.,  1.,  4.],\n          [ 9., 16., 25.]]),\n  tensor([[ 0.,  1.,  4.],\n          [ 9., 16., 25.],\n          [36., 49., 64.]])\n])'),
    ('s.masked_fill(s > 2, 0.0)',
     '-> nested_tensor([\n  tensor([[0., 1., 2.],\n          [0., 0., 0.]]),\n  tensor([[0., 1., 2.],\n          [0., 0., 0.],\n          [0., 0., 0.]])\n])'),
    ('(j + j).values()',
     '-> tensor([[ 0.,  2.,  4.],\n        [ 6.,  8., 10.],\n        [ 0.,  2.,  4.],\n        [ 6.,  8., 10.],\n        [12., 14., 16.]])'),
    ('(j * 2).values()',
     '-> tensor([[ 0.,  2.,  4.],\n        [ 6.,  8., 10.],\n        [ 0.,  2.,  4.],\n        [ 6.,  8., 10.],\n        [12., 14., 16.]])'),
    ('(2 - j).values()',
     '-> tensor([[ 2.,  1.,  0.],\n        [-1., -2., -3.],\n        [ 2.,  1.,  0.],\n        [-1., -2., -3.],\n        [-4., -5., -6.]])'),
    ('(j / j).values()',
     '-> tensor([[nan, 1., 1.],\n        [1., 1., 1.],\n        [nan, 1., 1.],\n        [1., 1., 1.],\n        [1., 1., 1.]])'),
    ('j.exp().values()',
     '-> tensor([[1.0000e+00, 2.7183e+00, 7.3891e+00],\n        [2.0086e+01, 5.4598e+01, 1.4841e+02],\n        [1.0000e+00, 2.7183e+00, 7.3891e+00],\n        [2.0086e+01, 5.4598e+01, 1.4841e+02],\n        [4.0343e+02, 1.0966e+03, 2.9810e+03]])'),
    ('j.sigmoid().values()',
     '-> tensor([[0.5000, 0.7311, 0.8808],\n        [0.9526, 0.9820, 0.9933],\n        [0.5000, 0.7311, 0.8808],\n        [0.9526, 0.9820, 0.9933],\n        [0.9975, 0.9991, 0.9997]])'),
    ('(j ** 2).values()',
     '-> tensor([[ 0.,  1.,  4.],\n        [ 9., 16., 25.],\n        [ 0.,  1.,  4.],\n        [ 9., 16., 25.],\n        [36., 49., 64.]])'),
    ('j.pow(j).values()',
     '-> tensor([[1.0000e+00, 1.0000e+00, 4.0000e+00],\n        [2.7000e+01, 2.5600e+02, 3.1250e+03],\n        [1.0000e+00, 1.0000e+00, 4.0000e+00],\n        [2.7000e+01, 2.5600e+02, 3.1250e+03],\n        [4.6656e+04, 8.2354e+05, 1.6777e+07]])'),
    ('j.maximum(j).values()',
     '-> tensor([[0., 1., 2.],\n        [3., 4., 5.],\n        [0., 1., 2.],\n        [3., 4., 5.],\n        [6., 7., 8.]])'),
    ('(j > 3).values()',
     '-> tensor([[False, False, False],\n        [False,  True,  True],\n        [False, False, False],\n        [False,  True,  True],\n        [ True,  True,  True]])'),
    ('T.atan2(j, j + 1).values()',
     '-> tensor([[0.0000, 0.4636, 0.5880],\n        [0.6435, 0.6747, 0.6947],\n        [0.0000, 0.4636, 0.5880],\n        [0.6435, 0.6747, 0.6947],\n        [0.7086, 0.7188, 0.7266]])'),
    ('j.square().values()',
     '-> tensor([[ 0.,  1.,  4.],\n        [ 9., 16., 25.],\n        [ 0.,  1.,  4.],\n        [ 9., 16., 25.],\n        [36., 49., 64.]])'),
    ('j.round().values()',
     '-> tensor([[0., 1., 2.],\n        [3., 4., 5.],\n        [0., 1., 2.],\n        [3., 4., 5.],\n        [6., 7., 8.]])'),
    ('F.logsigmoid(j)',
     '!! NotImplementedError: aten.log_sigmoid_forward.default'),
    ('F.hardswish(j)',
     '!! NotImplementedError: aten.hardswish.default'),
    ('j.clone().abs_()',
     '!! NotImplementedError: aten.abs_.default'),
    ('j.clone().sin_().values()',
     '-> tensor([[ 0.0000,  0.8415,  0.9093],\n        [ 0.1411, -0.7568, -0.9589],\n        [ 0.0000,  0.8415,  0.9093],\n        [ 0.1411, -0.7568, -0.9589],\n        [-0.2794,  0.6570,  0.9894]])'),
    ('j + j2',
     '!! RuntimeError: cannot call binary pointwise function add.Tensor with inputs of shapes (2, j*, 3) and (2, j*, 3)'),
    ('j * j2',
     '!! RuntimeError: cannot call binary pointwise function mul.Tensor with inputs of shapes (2, j*, 3) and (2, j*, 3)'),
    ('(j + T.ones(3)).values()',
     '-> tensor([[1., 2., 3.],\n        [4., 5., 6.],\n        [1., 2., 3.],\n        [4., 5., 6.],\n        [7., 8., 9.]])'),
    ('(j + T.ones(1, 3)).values()',
     '-> tensor([[1., 2., 3.],\n        [4., 5., 6.],\n        [1., 2., 3.],\n        [4., 5., 6.],\n        [7., 8., 9.]])'),
    ('(j + T.ones(1, 1, 3)).values()',
     '-> tensor([[1., 2., 3.],\n        [4., 5., 6.],\n        [1., 2., 3.],\n        [4., 5., 6.],\n        [7., 8., 9.]])'),
    ('(j + T.arange(2.0).reshape(2, 1, 1)).values()',
     '-> tensor([[0., 1., 2.],\n        [3., 4., 5.],\n        [1., 2., 3.],\n        [4., 5., 6.],\n        [7., 8., 9.]])'),
    ('(T.ones(3) + j).values()',
     '-> tensor([[1., 2., 3.],\n        [4., 5., 6.],\n        [1., 2., 3.],\n        [4., 5., 6.],\n        [7., 8., 9.]])'),
    ('j + T.ones(2, 3)',
     '!! RuntimeError: cannot call binary pointwise function add.Tensor with inputs of shapes ferrograd.Size([2, j*, 3]) and ferrograd.Size([2, 3])'),
    ('s.sum()',
     "!! NotImplementedError: Could not run 'aten::sum' with arguments from the 'NestedTensorCPU' backend. This could be because the operator doesn't exist for this backend, or was omitted d"),
    ('s.sum(-1)',
     '!! RuntimeError: NestedTensor always requires keepdim=True for now.'),
    ('s.sum(-1, keepdim=True)',
     '-> nested_tensor([\n  tensor([[ 3.],\n          [12.]]),\n  tensor([[ 3.],\n          [12.],\n          [21.]])\n])'),
    ('s.sum(1, keepdim=True)',
     '!! RuntimeError: NestedTensor can only be reduced across the last dimension for now got dimension 1 instead.'),
    ('s.sum(0)',
     '!! RuntimeError: NestedTensor can only be reduced across the last dimension for now got dimension 0 instead.'),
    ('s.sum(-1, keepdim=True, dtype=T.float64)',
     '!! RuntimeError: NestedTensor does not support dtype argument for now.'),
    ('s.mean(-1)',
     "!! NotImplementedError: Could not run 'aten::mean.dim' with arguments from the 'NestedTensorCPU' backend. This could be because the operator doesn't exist for this backend, or was omit"),
    ('s.max()',
     "!! NotImplementedError: Could not run 'aten::max' with arguments from the 'NestedTensorCPU' backend. This could be because the operator doesn't exist for this backend, or was omitted d"),
    ('j.sum()',
     '-> tensor(51.)'),
    ('j.sum(dtype=T.float64)',
     '-> tensor(51., dtype=ferrograd.float64)'),
    ('j.sum(-1).values()',
     '-> tensor([ 3., 12.,  3., 12., 21.])'),
    ('j.sum(2, keepdim=True).values()',
     '-> tensor([[ 3.],\n        [12.],\n        [ 3.],\n        [12.],\n        [21.]])'),
    ('j.sum(1)',
     '-> tensor([[ 3.,  5.,  7.],\n        [ 9., 12., 15.]])'),
    ('j.sum(1, keepdim=True)',
     '-> tensor([[[ 3.,  5.,  7.]],\n\n        [[ 9., 12., 15.]]])'),
    ('j.sum(0)',
     '!! RuntimeError: sum(): reducing along the batch dimension but not the ragged dimension is not supported for nested tensors'),
    ('j.sum((0, 1))',
     '-> tensor([12., 17., 22.])'),
    ('j.mean(1)',
     '-> tensor([[1.5000, 2.5000, 3.5000],\n        [3.0000, 4.0000, 5.0000]])'),
    ('j.mean(-1).values()',
     '-> tensor([1., 4., 1., 4., 7.])'),
    ('j.max()',
     '-> tensor(8.)'),
    ('j.transpose(1, 2).sum(1).values()',
     '-> tensor([ 3., 12.,  3., 12., 21.])'),
    ('j.transpose(1, 2).sum(2)',
     '-> tensor([[ 3.,  5.,  7.],\n        [ 9., 12., 15.]])'),
    ('s.softmax(-1)',
     '-> nested_tensor([\n  tensor([[0.0900, 0.2447, 0.6652],\n          [0.0900, 0.2447, 0.6652]]),\n  tensor([[0.0900, 0.2447, 0.6652],\n          [0.0900, 0.2447, 0.6652],\n          [0.0900, 0.2447, 0.6652]])\n])'),
    ('s.softmax(1)',
     '-> nested_tensor([\n  tensor([[0.0474, 0.0474, 0.0474],\n          [0.9526, 0.9526, 0.9526]]),\n  tensor([[0.0024, 0.0024, 0.0024],\n          [0.0473, 0.0473, 0.0473],\n          [0.9503, 0.9503, 0.9503]])\n])'),
    ('s.softmax(0)',
     '!! RuntimeError: Cannot apply softmax across nested dimension 0'),
    ('F.softmax(s, dim=-1)',
     '-> nested_tensor([\n  tensor([[0.0900, 0.2447, 0.6652],\n          [0.0900, 0.2447, 0.6652]]),\n  tensor([[0.0900, 0.2447, 0.6652],\n          [0.0900, 0.2447, 0.6652],\n          [0.0900, 0.2447, 0.6652]])\n])'),
    ('s.log_softmax(-1)',
     "!! NotImplementedError: Could not run 'aten::_log_softmax' with arguments from the 'NestedTensorCPU' backend. This could be because the operator doesn't exist for this backend, or was "),
    ('j.softmax(-1).values()',
     '-> tensor([[0.0900, 0.2447, 0.6652],\n        [0.0900, 0.2447, 0.6652],\n        [0.0900, 0.2447, 0.6652],\n        [0.0900, 0.2447, 0.6652],\n        [0.0900, 0.2447, 0.6652]])'),
    ('j.softmax(1).values()',
     '-> tensor([[0.0474, 0.0474, 0.0474],\n        [0.9526, 0.9526, 0.9526],\n        [0.0024, 0.0024, 0.0024],\n        [0.0473, 0.0473, 0.0473],\n        [0.9503, 0.9503, 0.9503]])'),
    ('j.softmax(0)',
     '!! RuntimeError: softmax(): not supported when reducing across the batch dimension for NestedTensor'),
    ('j.log_softmax(-1).values()',
     '-> tensor([[-2.4076, -1.4076, -0.4076],\n        [-2.4076, -1.4076, -0.4076],\n        [-2.4076, -1.4076, -0.4076],\n        [-2.4076, -1.4076, -0.4076],\n        [-2.4076, -1.4076, -0.4076]])'),
    ('s.transpose(1, 2)',
     '-> nested_tensor([\n  tensor([[0., 3.],\n          [1., 4.],\n          [2., 5.]]),\n  tensor([[0., 3., 6.],\n          [1., 4., 7.],\n          [2., 5., 8.]])\n])'),
    ('s.transpose(-1, -2)',
     '-> nested_tensor([\n  tensor([[0., 3.],\n          [1., 4.],\n          [2., 5.]]),\n  tensor([[0., 3., 6.],\n          [1., 4., 7.],\n          [2., 5., 8.]])\n])'),
    ('s.transpose(0, 1)',
     '!! RuntimeError: Nested tensor dimension 0 cannot be transposed'),
    ('j.transpose(1, 2).values()',
     '-> tensor([[0., 3., 0., 3., 6.],\n        [1., 4., 1., 4., 7.],\n        [2., 5., 2., 5., 8.]])'),
    ('j.transpose(1, 2).unbind()',
     '-> (tensor([[0., 3.],\n        [1., 4.],\n        [2., 5.]]), tensor([[0., 3., 6.],\n        [1., 4., 7.],\n        [2., 5., 8.]]))'),
    ('j.transpose(0, 1)',
     '!! ValueError: Transpose is not supported on the batch dimension for jagged NT'),
    ('j.transpose(1, 2)._ragged_idx',
     '-> 2'),
    ('s.reshape(2, -1, 3)',
     '-> nested_tensor([\n  tensor([[0., 1., 2.],\n          [3., 4., 5.]]),\n  tensor([[0., 1., 2.],\n          [3., 4., 5.],\n          [6., 7., 8.]])\n])'),
    ('s.reshape(2, -1, 1, 3)',
     '-> nested_tensor([\n  tensor([[[0., 1., 2.]],\n  \n          [[3., 4., 5.]]]),\n  tensor([[[0., 1., 2.]],\n  \n          [[3., 4., 5.]],\n  \n          [[6., 7., 8.]]])\n])'),
    ('s.reshape(2, -1, -1)',
     '-> nested_tensor([\n  tensor([[0., 1., 2.],\n          [3., 4., 5.]]),\n  tensor([[0., 1., 2.],\n          [3., 4., 5.],\n          [6., 7., 8.]])\n])'),
    ('s.reshape(2, -1)',
     "!! RuntimeError: shape '[2, -1]' is invalid for input of size 6"),
    ('s.reshape(2, 3, -1)',
     "!! RuntimeError: shape '[2, 3, -1]' is invalid for input of size 6"),
    ('s.reshape(3, -1, 3)',
     '!! RuntimeError: reshape: For now nested reshape cannot change or infer the implicit batch dimension'),
    ('s.reshape(-1, 3)',
     '!! RuntimeError: reshape: For now nested reshape cannot change or infer the implicit batch dimension'),
    ('s.view(2, -1, 3, 1)',
     '-> nested_tensor([\n  tensor([[[0.],\n           [1.],\n           [2.]],\n  \n          [[3.],\n           [4.],\n           [5.]]]),\n  tensor([[[0.],\n           [1.],\n           [2.]],\n  \n          [[3.],\n           [4.],\n           [5.]],\n  \n          [[6.],\n           [7.],\n           [8.]]])\n])'),
    ('c.reshape(2, -1, 2, 3)',
     '-> nested_tensor([\n  tensor([[[0., 0., 0.],\n           [0., 0., 0.]],\n  \n          [[0., 0., 0.],\n           [0., 0., 0.]]]),\n  tensor([[[0., 0., 0.],\n           [0., 0., 0.]],\n  \n          [[0., 0., 0.],\n           [0., 0., 0.]],\n  \n          [[0., 0., 0.],\n           [0., 0., 0.]]])\n])'),
    ('c.reshape(2, -1, 12)',
     "!! RuntimeError: shape '[2, -1, 12]' is invalid for input of size 12"),
    ('jc.reshape(2, -1, 2, 3).values().shape',
     '-> ferrograd.Size([5, 2, 3])'),
    ('jc.reshape(2, jc.shape[1], 2, 3).values().shape',
     '-> ferrograd.Size([5, 2, 3])'),
    ('jc.reshape(2, -1, 12)',
     "!! RuntimeError: shape '[5, 12]' is invalid for input of size 30"),
    ('jc.view(-1, 6)',
     '!! RuntimeError: view(): cannot view shape (2, j*, 6) as [-1, 6]'),
    ('jc.reshape(4, -1, 6)',
     '!! RuntimeError: view(): cannot view shape (2, j*, 6) as [4, -1, 6]'),
    ('j.reshape(2, -1)',
     '!! RuntimeError: view(): cannot view shape (2, j*, 3) as [2, -1]'),
    ('s.unsqueeze(-1)',
     '-> nested_tensor([\n  tensor([[[0.],\n           [1.],\n           [2.]],\n  \n          [[3.],\n           [4.],\n           [5.]]]),\n  tensor([[[0.],\n           [1.],\n           [2.]],\n  \n          [[3.],\n           [4.],\n           [5.]],\n  \n          [[6.],\n           [7.],\n           [8.]]])\n])'),
    ('s.unsqueeze(0)',
     '!! RuntimeError: unsqueeze(): For nested tensors, unsqueezing dimension 0 is not supported at the moment if you need this feature, please open an issue on github describing your'),
    ('j.unsqueeze(0)',
     '!! RuntimeError: unsqueeze(): not supported for NestedTensor on dim=0'),
    ('j.unsqueeze(1)._ragged_idx',
     '-> 2'),
    ('j.unsqueeze(2)._ragged_idx',
     '-> 1'),
    ('j.unsqueeze(-1).values().shape',
     '-> ferrograd.Size([5, 3, 1])'),
    ('s.squeeze()',
     '!! RuntimeError: squeeze(): For nested tensors, squeeze without the dim argument is not supported at the moment, however you can use squeeze(Tensor self, int dim) instead if you'),
    ('s.unsqueeze(-1).squeeze(-1)',
     '-> nested_tensor([\n  tensor([[0., 1., 2.],\n          [3., 4., 5.]]),\n  tensor([[0., 1., 2.],\n          [3., 4., 5.],\n          [6., 7., 8.]])\n])'),
    ('j.unsqueeze(-1).squeeze(-1).values().shape',
     '-> ferrograd.Size([5, 3])'),
    ('s.matmul(s.transpose(1, 2))',
     '-> nested_tensor([\n  tensor([[ 5., 14.],\n          [14., 50.]]),\n  tensor([[  5.,  14.,  23.],\n          [ 14.,  50.,  86.],\n          [ 23.,  86., 149.]])\n])'),
    ('s.bmm(s.transpose(1, 2))',
     '-> nested_tensor([\n  tensor([[ 5., 14.],\n          [14., 50.]]),\n  tensor([[  5.,  14.,  23.],\n          [ 14.,  50.,  86.],\n          [ 23.,  86., 149.]])\n])'),
    ('s.matmul(T.ones(3, 2))',
     '!! RuntimeError: Expected both to be nested, but got a nested self and non-nested other'),
    ('s.bmm(T.ones(2, 3, 2))',
     '-> nested_tensor([\n  tensor([[ 3.,  3.],\n          [12., 12.]]),\n  tensor([[ 3.,  3.],\n          [12., 12.],\n          [21., 21.]])\n])'),
    ('s.bmm(T.ones(3, 3, 2))',
     '!! RuntimeError: Expected size for the 1st dimension of batch2 tensor to be: 2 but got: 3.'),
    ('s.bmm(T.ones(3, 2))',
     '!! RuntimeError: batch2 must be a 3D tensor'),
    ('F.linear(s, W, bias)',
     '-> nested_tensor([\n  tensor([[ 2.2500,  2.5000,  6.2500,  8.0000],\n          [ 4.5000, 11.5000, 22.0000, 30.5000]]),\n  tensor([[ 2.2500,  2.5000,  6.2500,  8.0000],\n          [ 4.5000, 11.5000, 22.0000, 30.5000],\n          [ 6.7500, 20.5000, 37.7500, 53.0000]])\n])'),
    ('F.linear(s, W)',
     '-> nested_tensor([\n  tensor([[ 1.2500,  3.5000,  5.7500,  8.0000],\n          [ 3.5000, 12.5000, 21.5000, 30.5000]]),\n  tensor([[ 1.2500,  3.5000,  5.7500,  8.0000],\n          [ 3.5000, 12.5000, 21.5000, 30.5000],\n          [ 5.7500, 21.5000, 37.2500, 53.0000]])\n])'),
    ('j.matmul(T.ones(3, 2)).values()',
     '-> tensor([[ 3.,  3.],\n        [12., 12.],\n        [ 3.,  3.],\n        [12., 12.],\n        [21., 21.]])'),
    ('j.matmul(T.arange(12.0).reshape(2, 3, 2)).values()',
     '-> tensor([[ 10.,  13.],\n        [ 28.,  40.],\n        [ 28.,  31.],\n        [100., 112.],\n        [172., 193.]])'),
    ('j.bmm(T.ones(2, 3, 2)).values()',
     '-> tensor([[ 3.,  3.],\n        [12., 12.],\n        [ 3.,  3.],\n        [12., 12.],\n        [21., 21.]])'),
    ('j.matmul(j.transpose(1, 2))',
     '!! RuntimeError: matmul(): not supported between inputs of shapes (2, j*, 3) and ferrograd.Size([2, 3, j*])'),
    ('j.matmul(T.ones(3))',
     '!! RuntimeError: matmul(): not supported between inputs of shapes (2, j*, 3) and ferrograd.Size([3])'),
    ('F.linear(j, W, bias).values()',
     '-> tensor([[ 2.2500,  2.5000,  6.2500,  8.0000],\n        [ 4.5000, 11.5000, 22.0000, 30.5000],\n        [ 2.2500,  2.5000,  6.2500,  8.0000],\n        [ 4.5000, 11.5000, 22.0000, 30.5000],\n        [ 6.7500, 20.5000, 37.7500, 53.0000]])'),
    ('q.matmul(q.transpose(-1, -2)).values()',
     '-> tensor([[[3., 3.],\n         [3., 3.]],\n\n        [[3., 3.],\n         [3., 3.]],\n\n        [[3., 3.],\n         [3., 3.]],\n\n        [[3., 3.],\n         [3., 3.]],\n\n        [[3., 3.],\n         [3., 3.]]])'),
    ('nested.to_padded_tensor(F.scaled_dot_product_attention(qh, qh * 0.5, qh + 1), 0.0)',
     '-> tensor([[[[1.3078, 1.4078, 1.5078],\n          [1.3540, 1.4540, 1.5540],\n          [0.0000, 0.0000, 0.0000]],\n\n         [[1.6311, 1.7311, 1.8311],\n          [1.6762, 1.7762, 1.8762],\n          [0.0000, 0.0000, 0.0000]]],\n\n\n        [[[1.9176, 2.0605, 2.2033],\n          [2.2465, 2.3894, 2.5322],\n          [2.4674, 2.6103, 2.7531]],\n\n         [[2.5211, 2.6640, 2.8068],\n          [2.8002, 2.9431, 3.0859],\n          [2.9664, 3.1093, 3.2521]]]])'),
    ('nested.to_padded_tensor(F.scaled_dot_product_attention(qh, qh, qh, is_causal=True), 0.0)',
     '!! RuntimeError: No viable backend for scaled_dot_product_attention was found.'),
    ('nested.to_padded_tensor(s, 0.0)',
     '-> tensor([[[0., 1., 2.],\n         [3., 4., 5.],\n         [0., 0., 0.]],\n\n        [[0., 1., 2.],\n         [3., 4., 5.],\n         [6., 7., 8.]]])'),
    ('nested.to_padded_tensor(s, -1.0, (2, 4, 4))',
     '-> tensor([[[ 0.,  1.,  2., -1.],\n         [ 3.,  4.,  5., -1.],\n         [-1., -1., -1., -1.],\n         [-1., -1., -1., -1.]],\n\n        [[ 0.,  1.,  2., -1.],\n         [ 3.,  4.,  5., -1.],\n         [ 6.,  7.,  8., -1.],\n         [-1., -1., -1., -1.]]])'),
    ('s.to_padded_tensor(1.5)',
     '-> tensor([[[0.0000, 1.0000, 2.0000],\n         [3.0000, 4.0000, 5.0000],\n         [1.5000, 1.5000, 1.5000]],\n\n        [[0.0000, 1.0000, 2.0000],\n         [3.0000, 4.0000, 5.0000],\n         [6.0000, 7.0000, 8.0000]]])'),
    ('nested.to_padded_tensor(s, -1.0, (3, 3, 3))',
     '-> tensor([[[ 0.,  1.,  2.],\n         [ 3.,  4.,  5.],\n         [-1., -1., -1.]],\n\n        [[ 0.,  1.,  2.],\n         [ 3.,  4.,  5.],\n         [ 6.,  7.,  8.]],\n\n        [[-1., -1., -1.],\n         [-1., -1., -1.],\n         [-1., -1., -1.]]])'),
    ('nested.to_padded_tensor(s, 0.0, (2, 2, 3))',
     '!! RuntimeError: Value in output_size is less than NestedTensor padded size. Truncation is not supported.'),
    ('nested.to_padded_tensor(s, 0.0, (2, 3))',
     '!! RuntimeError: Length of output_size does not match NestedTensor dims. Broadcasting is not supported.'),
    ('nested.to_padded_tensor(nested.nested_tensor([[1, 2], [3]]), 0)',
     '-> tensor([[1, 2],\n        [3, 0]])'),
    ('nested.to_padded_tensor(nested.nested_tensor([]), 0.0)',
     '-> tensor([])'),
    ('nested.to_padded_tensor(a, 0.0)',
     "!! NotImplementedError: Could not run 'aten::to_padded_tensor' with arguments from the 'CPU' backend. This could be because the operator doesn't exist for this backend, or was omitted "),
    ('a.to_padded_tensor(0.0)',
     "!! NotImplementedError: Could not run 'aten::to_padded_tensor' with arguments from the 'CPU' backend. This could be because the operator doesn't exist for this backend, or was omitted "),
    ('nested.to_padded_tensor(j, 0.0)',
     '-> tensor([[[0., 1., 2.],\n         [3., 4., 5.],\n         [0., 0., 0.]],\n\n        [[0., 1., 2.],\n         [3., 4., 5.],\n         [6., 7., 8.]]])'),
    ('nested.to_padded_tensor(j, -1.0, (2, 4, 4))',
     '-> tensor([[[ 0.,  1.,  2.],\n         [ 3.,  4.,  5.],\n         [-1., -1., -1.],\n         [-1., -1., -1.]],\n\n        [[ 0.,  1.,  2.],\n         [ 3.,  4.,  5.],\n         [ 6.,  7.,  8.],\n         [-1., -1., -1.]]])'),
    ('nested.to_padded_tensor(j, 0.0, (2, 2, 3))',
     '-> tensor([[[0., 1., 2.],\n         [3., 4., 5.]],\n\n        [[0., 1., 2.],\n         [3., 4., 5.]]])'),
    ('nested.to_padded_tensor(j.transpose(1, 2), 0.0)',
     '-> tensor([[[0., 3., 0.],\n         [1., 4., 0.],\n         [2., 5., 0.]],\n\n        [[0., 3., 6.],\n         [1., 4., 7.],\n         [2., 5., 8.]]])'),
    ('nested.narrow(x, 0, 1, 2)',
     '-> nested_tensor([\n  tensor([4., 5., 6., 7.]),\n  tensor([ 8.,  9., 10., 11.])\n])'),
    ('nested.narrow(x, 1, 1, 2)',
     '!! RuntimeError: narrow(): only dim=0 supported for nested tensors, but got: 1'),
    ('nested.narrow(x, 1, T.tensor([0, 1, 2]), T.tensor([2, 1, 2]))',
     '!! RuntimeError: start and length must be integers for the strided layout NT impl'),
    ('nested.narrow(x, 1, T.tensor([0, 1, 2]), T.tensor([2, 1, 2]), layout=T.jagged).unbind()',
     '-> (tensor([0., 1.]), tensor([5.]), tensor([10., 11.]))'),
    ('nested.narrow(x, 1, T.tensor([0, 1, 2]), T.tensor([2, 1, 2]), layout=T.jagged).offsets()',
     '-> tensor([ 0,  5, 10, 12])'),
    ('nested.narrow(x, 1, T.tensor([0, 1, 2]), T.tensor([2, 1, 2]), layout=T.jagged).lengths()',
     '-> tensor([2, 1, 2])'),
    ('nested.narrow(x, 1, 0, 4, layout=T.jagged).offsets()',
     '-> tensor([ 0,  4,  8, 12])'),
    ('nested.narrow(x, 1, 1, 2, layout=T.jagged).unbind()',
     '-> (tensor([1., 2.]), tensor([5., 6.]), tensor([ 9., 10.]))'),
    ('nested.narrow(x, 2, 0, 4, layout=T.jagged)',
     '!! RuntimeError: jagged layout only supports dim=1'),
    ('nested.narrow(x, 1, 1.5, 2, layout=T.jagged)',
     '!! RuntimeError: start must be an integer or a tensor'),
    ('nested.narrow(x, 1, T.tensor([0, 1]), T.tensor([1, 1]), layout=T.jagged)',
     '!! RuntimeError: When constructing a jagged nested tensor using narrow(), your start and length must be Tensors that broadcast to input.shape[0]'),
    ('nested.masked_select(x, x > 4).unbind()',
     '-> (tensor([]), tensor([5., 6., 7.]), tensor([ 8.,  9., 10., 11.]))'),
    ('nested.masked_select(x, x > 4).offsets()',
     '-> tensor([0, 0, 3, 7])'),
    ('nested.masked_select(x, T.tensor([True, False, True, True])).unbind()',
     '-> (tensor([0., 2., 3.]), tensor([4., 6., 7.]), tensor([ 8., 10., 11.]))'),
    ('nested.masked_select(s, s > 4)',
     "!! NotImplementedError: Could not run 'aten::masked_select' with arguments from the 'NestedTensorCPU' backend. This could be because the operator doesn't exist for this backend, or was"),
    ('2 / s',
     "!! NotImplementedError: Could not run 'aten::reciprocal' with arguments from the 'NestedTensorCPU' backend. This could be because the operator doesn't exist for this backend, or was om"),
    ('2 ** s',
     "!! NotImplementedError: Could not run 'aten::pow.Scalar' with arguments from the 'NestedTensorCPU' backend. This could be because the operator doesn't exist for this backend, or was om"),
    ('(2 / j).values()',
     '-> tensor([[   inf, 2.0000, 1.0000],\n        [0.6667, 0.5000, 0.4000],\n        [   inf, 2.0000, 1.0000],\n        [0.6667, 0.5000, 0.4000],\n        [0.3333, 0.2857, 0.2500]])'),
    ('(2 ** j).values()',
     '-> tensor([[  1.,   2.,   4.],\n        [  8.,  16.,  32.],\n        [  1.,   2.,   4.],\n        [  8.,  16.,  32.],\n        [ 64., 128., 256.]])'),
    ('s.bitwise_not()',
     "!! NotImplementedError: Could not run 'aten::bitwise_not' with arguments from the 'NestedTensorCPU' backend. This could be because the operator doesn't exist for this backend, or was o"),
    ('T.add(s, 1)',
     '-> nested_tensor([\n  tensor([[1., 2., 3.],\n          [4., 5., 6.]]),\n  tensor([[1., 2., 3.],\n          [4., 5., 6.],\n          [7., 8., 9.]])\n])'),
    ('T.add(2, s)',
     '-> nested_tensor([\n  tensor([[2., 3., 4.],\n          [5., 6., 7.]]),\n  tensor([[ 2.,  3.,  4.],\n          [ 5.,  6.,  7.],\n          [ 8.,  9., 10.]])\n])'),
    ('T.mul(j, j).values()',
     '-> tensor([[ 0.,  1.,  4.],\n        [ 9., 16., 25.],\n        [ 0.,  1.,  4.],\n        [ 9., 16., 25.],\n        [36., 49., 64.]])'),
    ('T.matmul(s, s.transpose(1, 2))',
     '-> nested_tensor([\n  tensor([[ 5., 14.],\n          [14., 50.]]),\n  tensor([[  5.,  14.,  23.],\n          [ 14.,  50.,  86.],\n          [ 23.,  86., 149.]])\n])'),
    ('T.softmax(j, -1).values()',
     '-> tensor([[0.0900, 0.2447, 0.6652],\n        [0.0900, 0.2447, 0.6652],\n        [0.0900, 0.2447, 0.6652],\n        [0.0900, 0.2447, 0.6652],\n        [0.0900, 0.2447, 0.6652]])'),
    ('T.transpose(s, 1, 2)',
     '-> nested_tensor([\n  tensor([[0., 3.],\n          [1., 4.],\n          [2., 5.]]),\n  tensor([[0., 3., 6.],\n          [1., 4., 7.],\n          [2., 5., 8.]])\n])'),
    ('T.sum(j, -1).values()',
     '-> tensor([ 3., 12.,  3., 12., 21.])'),
    ('T.exp(s)',
     "!! NotImplementedError: Could not run 'aten::exp' with arguments from the 'NestedTensorCPU' backend. This could be because the operator doesn't exist for this backend, or was omitted d"),
    ('F.relu(j - 3).values()',
     '-> tensor([[0., 0., 0.],\n        [0., 1., 2.],\n        [0., 0., 0.],\n        [0., 1., 2.],\n        [3., 4., 5.]])'),
    ('F.softmax(j, 1).values()',
     '-> tensor([[0.0474, 0.0474, 0.0474],\n        [0.9526, 0.9526, 0.9526],\n        [0.0024, 0.0024, 0.0024],\n        [0.0473, 0.0473, 0.0473],\n        [0.9503, 0.9503, 0.9503]])'),
    ('T.bmm(s, s.transpose(1, 2))',
     '-> nested_tensor([\n  tensor([[ 5., 14.],\n          [14., 50.]]),\n  tensor([[  5.,  14.,  23.],\n          [ 14.,  50.,  86.],\n          [ 23.,  86., 149.]])\n])'),
    ('list(s)',
     "!! RuntimeError: Internal error: NestedTensorImpl doesn't support sizes. Please file an issue."),
    ('[t.shape for t in j]',
     '-> [ferrograd.Size([2, 3]), ferrograd.Size([3, 3])]'),
    ('nested.nested_tensor([a, b], requires_grad=True) * 2',
     '-> nested_tensor([\n  tensor([[ 0.,  2.,  4.],\n          [ 6.,  8., 10.]], requires_grad=True),\n  tensor([[ 0.,  2.,  4.],\n          [ 6.,  8., 10.],\n          [12., 14., 16.]], requires_grad=True)\n], grad_fn=<MulBackward0>)'),
    ('nested.as_nested_tensor([a.requires_grad_(), b])',
     '-> nested_tensor([\n  tensor([[0., 1., 2.],\n          [3., 4., 5.]], requires_grad=True),\n  tensor([[0., 1., 2.],\n          [3., 4., 5.],\n          [6., 7., 8.]], requires_grad=True)\n], grad_fn=<NestedTensorFromTensorListBackward0>)'),
    ('(nested.nested_tensor([a, b], requires_grad=True) * 2).is_leaf',
     '-> False'),
    ('nested.nested_tensor([a, b], layout=T.jagged, requires_grad=True).is_leaf',
     '-> True'),
    ('nested.as_nested_tensor([a.requires_grad_(), b], layout=T.jagged).is_leaf',
     '-> False'),
    ('nested.nested_tensor([a, b], requires_grad=True).grad',
     '-> None'),
    ('(s * 2).backward()',
     '!! RuntimeError: element 0 of tensors does not require grad and does not have a grad_fn'),
    ('j.requires_grad_().requires_grad',
     '-> True'),
    ("nested.nested_tensor([a], device='cuda')",
     '!! RuntimeError: PyTorch is not linked with support for cuda devices'),
    ("nested.as_nested_tensor([a], device='cuda')",
     '!! RuntimeError: PyTorch is not linked with support for cuda devices'),
    ('nested.nested_tensor([a], pin_memory=True, layout=T.jagged)',
     '!! RuntimeError: Cannot access accelerator device when none is available.'),
    ("nested.nested_tensor([a], device='cpu', pin_memory=True)",
     '-> nested_tensor([\n  tensor([[0., 1., 2.],\n          [3., 4., 5.]])\n])'),
    ('s.mT',
     '-> nested_tensor([\n  tensor([[0., 3.],\n          [1., 4.],\n          [2., 5.]]),\n  tensor([[0., 3., 6.],\n          [1., 4., 7.],\n          [2., 5., 8.]])\n])'),
    ('j.mT',
     '-> NestedTensor(size=(2, 3, j*), offsets=tensor([0, 2, 5]), contiguous=False)'),
    ('s.T',
     "!! NotImplementedError: Could not run 'aten::permute' with arguments from the 'NestedTensorCPU' backend. This could be because the operator doesn't exist for this backend, or was omitt"),
    ('j.T',
     '!! ValueError: Permute is not supported on the batch dimension for jagged NT'),
    ('j.sum([])',
     '-> tensor(51.)'),
    ('F.linear(s, T.ones(3))',
     '!! RuntimeError: Linear requires nested_tensor.dim == 3 and dense_matrix.dim == 2. Nested tensor dim: 3. Dense tensor dim: 1'),
    ('F.linear(j, T.ones(3)).values()',
     '-> tensor([ 3., 12.,  3., 12., 21.])'),
    # a dense tensor first, a nested one second
    ('T.ones(3, 2) @ s',
     '!! RuntimeError: Expected both to be nested, but got a non-nested self and nested other'),
    ('T.matmul(T.ones(3, 2), s)',
     '!! RuntimeError: Expected both to be nested, but got a non-nested self and nested other'),
    ('T.ones(4, 3) @ j',
     "!! AttributeError: 'Tensor' object has no attribute '_size'"),
    ('T.matmul(T.ones(2, 4, 3), j)',
     "!! AttributeError: 'Tensor' object has no attribute '_size'"),
    ('T.bmm(T.ones(2, 4, 2), s)',
     '!! RuntimeError: 1-th nested matrices in batch cannot be multiplied (4x2 and 3x3)'),
    ('T.bmm(T.ones(2, 1, 2), s2)',
     '-> nested_tensor([\n  tensor([[3., 5., 7.]]),\n  tensor([[3., 5., 7.]])\n])'),
    ('T.bmm(T.ones(3, 1, 2), s2)',
     '!! RuntimeError: Expected size for the 1st dimension of batch2 tensor to be: 3 but got: 2.'),
    ('T.bmm(T.ones(1, 2), s2)',
     '!! RuntimeError: batch1 must be a 3D tensor'),
    ('T.bmm(T.ones(2, 1, 2), j)',
     '!! ValueError: NestedTensor bmm_default(self: jt_all, mat2: any): expected self to be a jagged layout NestedTensor'),
    ('T.ones(3) - s',
     '!! RuntimeError: Expected both self and other to be nested, but got a non-nested self and nested other'),
    ('T.ones(3) / s',
     '!! RuntimeError: Expected both self and other to be nested, but got a non-nested self and nested other'),
    ('T.sub(T.ones(3), s)',
     '!! RuntimeError: Expected both self and other to be nested, but got a non-nested self and nested other'),
    ('T.mul(T.ones(3), s)',
     '!! RuntimeError: Expected both self and other to be nested, but got a non-nested self and nested other'),
]


@pytest.mark.parametrize(("expr", "expected"), CASES)
def test_as_pytorch(expr: str, expected: str) -> None:
    assert _outcome(expr) == expected


def _inputs() -> tuple:
    x = (T.arange(6.0, dtype=T.float64).reshape(2, 3) / 5 - 0.3).requires_grad_()
    y = (T.arange(9.0, dtype=T.float64).reshape(3, 3) / 7 - 0.5).requires_grad_()
    return x, y


def _close(t, expected, rtol: float = 1e-10) -> None:
    np.testing.assert_allclose(t.detach().numpy(), expected, rtol=rtol, atol=1e-12)


def test_grads_reach_the_components_of_a_strided_tensor() -> None:
    x, y = _inputs()
    nt = nested.as_nested_tensor([x, y])
    out = nested.to_padded_tensor((nt * nt).sin(), 0.0)
    (out * T.arange(18.0, dtype=T.float64).reshape(2, 3, 3)).sum().backward()
    _close(x.grad, [[-0.0, -0.199990000083333, 0.39998000016666624],
                    [1.7927149194215897, 3.875649686842579, 6.176330010270851]])
    _close(y.grad, [[-8.720211795395803, -7.084831366584793, -4.709316560128552],
                    [-1.7142634022022651, 1.8571186857191193, 5.993675621981793],
                    [10.627247049877187, 15.502598747370316, 20.017085174325747]])


def test_linear_of_a_jagged_softmax_differentiates_as_pytorch() -> None:
    x, y = _inputs()
    w = (T.arange(6.0, dtype=T.float64).reshape(2, 3) / 4 - 0.5).requires_grad_()
    bias = T.tensor([0.25, -0.5], dtype=T.float64, requires_grad=True)
    out = F.linear(nested.as_nested_tensor([x, y], layout=T.jagged).softmax(-1), w, bias)
    nested.to_padded_tensor(out, 0.0).pow(2).sum().backward()
    _close(x.grad, [[-0.010098737181242119, -0.001442663065682423, 0.011541400246924544],
                    [-0.010098737181242117, -0.001442663065682422, 0.01154140024692454]])
    _close(y.grad, [[-0.007456679242982972, -0.000745666117062235, 0.008202345360045207],
                    [-0.00745667924298299, -0.000745666117062238, 0.008202345360045226],
                    [-0.007456679242982972, -0.0007456661170622357, 0.008202345360045207]])
    _close(w.grad, [[0.07653200484520778, 0.0907044377405087, 0.10758900972118482],
                    [0.0765320048452078, 0.09070443774050871, 0.10758900972118483]])
    _close(bias.grad, [0.2748254523069013, 0.27482545230690136])


def test_a_jagged_leaf_gets_a_nested_grad_on_its_offsets() -> None:
    n = nested.nested_tensor([T.arange(6.0).reshape(2, 3) / 4, T.arange(3.0).reshape(1, 3)], layout=T.jagged,
                             requires_grad=True)
    assert n.is_leaf and n.grad is None
    (n.exp() * 2).values().sum().backward()  # d/dv 2 e^v = 2 e^v
    assert n.grad.is_nested and n.grad.layout is T.jagged and n.grad.offsets() is n.offsets()
    _close(n.grad.values(), [[2.0, 2.5680508613586426, 3.2974424362182617],
                             [4.234000205993652, 5.436563491821289, 6.980685710906982],
                             [2.0, 5.436563491821289, 14.778112411499023]], rtol=1e-6)


def test_a_strided_leaf_gets_a_nested_grad() -> None:
    n = nested.nested_tensor([T.arange(6.0).reshape(2, 3), T.arange(9.0).reshape(3, 3)], requires_grad=True)
    nested.to_padded_tensor(n.bmm(n.transpose(1, 2)), 0.0).sum().backward()
    assert [t.tolist() for t in n.grad.unbind()] == [[[6.0, 10.0, 14.0], [6.0, 10.0, 14.0]],
                                                     [[18.0, 24.0, 30.0], [18.0, 24.0, 30.0], [18.0, 24.0, 30.0]]]


def test_dense_by_strided_bmm_differentiates() -> None:
    # PyTorch's BmmBackward0 fails here (it returns the nested mat2's shape for the dense
    # self); the gradients are those of the per-entry products, worked out with NumPy
    d = T.ones(2, 1, 2, requires_grad=True)
    n = nested.nested_tensor([T.arange(6.0).reshape(2, 3), T.arange(8.0).reshape(2, 4)], requires_grad=True)
    nested.to_padded_tensor(T.bmm(d, n), 0.0).sum().backward()
    rows = [np.arange(6.0).reshape(2, 3).sum(1), np.arange(8.0).reshape(2, 4).sum(1)]
    _close(d.grad, np.stack(rows)[:, None, :])
    assert [t.tolist() for t in n.grad.unbind()] == [[[1.0] * 3] * 2, [[1.0] * 4] * 2]


def test_attention_on_jagged_tensors_differentiates_as_pytorch() -> None:
    x, y = _inputs()
    q = nested.as_nested_tensor([x.reshape(2, 1, 3), y.reshape(3, 1, 3)], layout=T.jagged).transpose(1, 2)
    out = F.scaled_dot_product_attention(q, q * 0.5, q + 1)
    T.cat([t.reshape(-1) for t in out.unbind()]).pow(2).sum().backward()
    _close(x.grad, [[2.106191276813049, 2.360350119926054, 2.6145089630390594],
                    [2.3313321938479348, 2.8771733507349295, 3.423014507621924]])
    _close(y.grad, [[2.095893406201666, 2.2626741915784727, 2.42945497695528],
                    [2.0669250029771113, 2.348672011859428, 2.630419020741745],
                    [2.1341129947705744, 2.5427280576543074, 2.9513431205380414]])


def test_backward_takes_a_nested_gradient() -> None:
    x, y = _inputs()
    out = nested.as_nested_tensor([x, y]) * 3
    out.backward(nested.nested_tensor([T.ones(2, 3, dtype=T.float64), T.full((3, 3), 2.0, dtype=T.float64)]))
    assert x.grad.tolist() == [[3.0] * 3] * 2 and y.grad.tolist() == [[6.0] * 3] * 3


def test_summing_the_ragged_dim_sends_each_row_its_weight() -> None:
    x, y = _inputs()
    total = nested.as_nested_tensor([x, y], layout=T.jagged).sum(1)  # dense: batch x features
    (total * T.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype=T.float64)).sum().backward()
    assert x.grad.tolist() == [[1.0, 2.0, 3.0]] * 2 and y.grad.tolist() == [[4.0, 5.0, 6.0]] * 3


_W = T.arange(6.0, dtype=T.float64).reshape(2, 3) / 4 - 0.5


@pytest.mark.parametrize("fn", [
    lambda x, y: nested.to_padded_tensor(F.linear(nested.as_nested_tensor([x, y], layout=T.jagged).softmax(-1), _W),
                                         0.0),
    lambda x, y: nested.to_padded_tensor(nested.as_nested_tensor([x, y]).softmax(1).tanh(), -1.0),
    lambda x, y: nested.to_padded_tensor(nested.as_nested_tensor([x, y]).bmm(nested.as_nested_tensor([x, y])
                                                                                .transpose(1, 2)), 0.0),
    lambda x, y: nested.as_nested_tensor([x, y], layout=T.jagged).transpose(1, 2).sum(2),
    lambda x, y: nested.as_nested_tensor([x, y], layout=T.jagged).unsqueeze(-1).reshape(2, -1, 1, 3).sum(-1).values(),
    lambda x, y: T.cat([t.reshape(-1) for t in F.scaled_dot_product_attention(
        *[nested.as_nested_tensor([x.reshape(2, 1, 3), y.reshape(3, 1, 3)], layout=T.jagged).transpose(1, 2)] * 3,
        scale=0.7).unbind()]),
    lambda x, y: T.cat(nested.narrow(T.cat([x, y[:2]]).reshape(2, 6), 1, T.tensor([0, 2]), T.tensor([3, 4]),
                                     layout=T.jagged).unbind()),
])
def test_gradcheck(fn) -> None:
    x, y = _inputs()
    assert T.autograd.gradcheck(fn, (x, y))


def test_nested_tensors_on_the_same_offsets_share_their_ragged_size() -> None:
    values, offsets = T.arange(10.0).reshape(5, 2), T.tensor([0, 2, 5])
    a = nested.nested_tensor_from_jagged(values, offsets)
    b = nested.nested_tensor_from_jagged(values * 2, offsets)
    assert a.size(1) is b.size(1)
    assert (a + b).values().tolist() == [[0.0, 3.0], [6.0, 9.0], [12.0, 15.0], [18.0, 21.0], [24.0, 27.0]]


def test_nested_tensor_copies_its_components() -> None:
    x = T.ones(2, 3)
    strided, jagged = nested.nested_tensor([x, x]), nested.nested_tensor([x, x], layout=T.jagged)
    x.add_(1)
    assert strided.unbind()[0].tolist() == jagged.unbind()[0].tolist() == [[1.0] * 3] * 2


def test_jagged_narrow_with_a_late_start_in_the_last_row_keeps_each_piece() -> None:
    # PyTorch 2.13 calls this layout contiguous and returns [0, 1, 2, 3, 4] and [5, 6]; each
    # component here is the piece asked for, as its `lengths` say
    x = T.arange(8.0).reshape(2, 4)
    n = nested.narrow(x, 1, T.tensor([0, 1]), T.tensor([4, 2]), layout=T.jagged)
    assert [t.tolist() for t in n.unbind()] == [[0.0, 1.0, 2.0, 3.0], [5.0, 6.0]]


def test_pickling_keeps_the_components_without_history() -> None:
    import pickle

    n = nested.nested_tensor([T.ones(2), T.ones(3)], layout=T.jagged, requires_grad=True)
    back = pickle.loads(pickle.dumps(n))
    assert back.layout is T.jagged and not back.requires_grad
    assert [t.tolist() for t in back.unbind()] == [[1.0, 1.0], [1.0, 1.0, 1.0]]


@pytest.mark.parametrize(("expr", "name"), [
    ("nested.as_nested_tensor([x, x])", "NestedTensorFromTensorListBackward0"),
    ("nested.as_nested_tensor([x, x], layout=T.jagged)", "NestedViewFromJaggedBackward0"),
    ("nested.nested_tensor_from_jagged(x, T.tensor([0, 1, 2]))", "NestedViewFromJaggedBackward0"),
    ("nested.as_nested_tensor([x, x], layout=T.jagged).values()", "NestedGetValuesBackward0"),
    ("nested.to_padded_tensor(nested.as_nested_tensor([x, x]), 0.0)", "ToPaddedTensorBackward0"),
    ("nested.as_nested_tensor([x, x]) * 2", "MulBackward0"),
])
def test_grad_fn_names_are_pytorchs(expr: str, name: str) -> None:
    x = T.ones(2, 3, requires_grad=True)
    assert type(eval(expr, {"T": T, "nested": nested, "x": x}).grad_fn).__name__ == name
