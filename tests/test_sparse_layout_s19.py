"""Sparse COO tensors given to the dense functions: PyTorch runs the ones with a sparse
kernel (elementwise functions that keep zeros zero, `cat`, `stack`, `zeros_like`, a
dense tensor's `add`/`mul`/`mm` with a sparse one) and refuses the others with its
NotImplementedError for the SparseCPU backend; none may compute on the empty core
tensor underneath a sparse one (expected values from PyTorch 2.13).

Runs against PyTorch too with FG_TEST_BACKEND=torch.
"""

import numpy as np
import pytest
from backend import fg

DENSE = [[0.0, 1.0, 0.0], [2.0, 0.0, 3.0], [0.0, 0.0, 4.0]]


def no_kernel(op, backend="SparseCPU"):
    return rf"^Could not run 'aten::{op}' with arguments from the '{backend}' backend\. This could be"


def sparse():
    return fg.tensor(DENSE).to_sparse()


def dense_of(t):
    assert t.is_sparse
    return t.to_dense().tolist()


@pytest.mark.parametrize(("name", "numpy_fn"), [
    ("asin", np.arcsin), ("atan", np.arctan), ("sinh", np.sinh), ("expm1", np.expm1), ("log1p", np.log1p),
    ("floor", np.floor), ("sgn", np.sign), ("deg2rad", np.deg2rad),
])
def test_elementwise_functions_with_a_sparse_kernel_stay_sparse(name, numpy_fn):
    with np.errstate(invalid="ignore"):
        expected = numpy_fn(np.array(DENSE, dtype=np.float32))
    out = getattr(fg, name)(sparse())
    assert np.allclose(out.to_dense().numpy(), expected, equal_nan=True, rtol=1e-6)
    assert out.is_sparse


@pytest.mark.parametrize("name", ["isinf", "isposinf", "isneginf", "signbit"])
def test_predicates_give_sparse_bool(name):
    out = getattr(fg, name)(sparse())
    assert out.dtype == fg.bool and dense_of(out) == [[False] * 3] * 3


@pytest.mark.parametrize(("call", "op"), [
    (lambda s: fg.acos(s), "acos"), (lambda s: fg.cosh(s), "cosh"), (lambda s: fg.rsqrt(s), "rsqrt"),
    (lambda s: fg.special.erfc(s), "erfc"), (lambda s: fg.exp2(s), "exp2"), (lambda s: fg.digamma(s), "digamma"),
    (lambda s: fg.atan2(s, s), "atan2"), (lambda s: fg.atan2(fg.ones(3, 3), s), "atan2"),
    (lambda s: fg.xlogy(fg.ones(3, 3), s), r"xlogy\.Tensor"), (lambda s: fg.ones(3, 3).eq(s), r"eq\.Tensor"),
    (lambda s: fg.ones(3, 3).lt(s), r"lt\.Tensor"), (lambda s: fg.ones_like(s), r"fill_\.Scalar"),
    (lambda s: fg.full_like(s, 2.0), r"fill_\.Scalar"),
])
def test_functions_without_a_sparse_kernel_refuse(call, op):
    with pytest.raises(NotImplementedError, match=no_kernel(op)):
        call(sparse())


def test_cat_and_stack_of_sparse_tensors_are_sparse():
    s = sparse()
    assert dense_of(fg.cat([s, s])) == DENSE + DENSE
    assert dense_of(fg.cat([s, s], 1)) == [row + row for row in DENSE]
    assert dense_of(fg.stack([s, s])) == [DENSE, DENSE]
    assert dense_of(fg.stack([s, s], 1)) == [[row, row] for row in DENSE]
    assert dense_of(fg.vstack([s, s])) == DENSE + DENSE
    assert not fg.cat([s.coalesce(), s.coalesce()]).is_coalesced()


def test_cat_of_hybrid_sparse_tensors_along_a_dense_dim():
    s = fg.tensor(DENSE).to_sparse(1)  # rows sparse, columns dense
    out = fg.cat([s, s], 1)
    assert out.sparse_dim() == 1 and out.dense_dim() == 1
    assert dense_of(out) == [row + row for row in DENSE]


def test_cat_of_sparse_tensors_records_cat():
    s = sparse().requires_grad_()
    out = fg.cat([s, s])
    assert out.requires_grad and out.grad_fn.name() == "CatBackward0"


def test_cat_of_sparse_and_dense_tensors_is_refused():
    s, d = sparse(), fg.tensor(DENSE)
    with pytest.raises(NotImplementedError, match=no_kernel("_values", "CPU")):
        fg.cat([d, s])
    with pytest.raises(RuntimeError, match="^Concatenating sparse tensors, but a dense tensor was found at position 1.$"):
        fg.cat([s, d])


def test_zeros_like_and_empty_like_of_a_sparse_tensor_are_sparse():
    for make in (fg.zeros_like, fg.empty_like):
        out = make(sparse())
        assert out.is_sparse and out._nnz() == 0 and tuple(out.shape) == (3, 3) and out.is_coalesced()
    assert not fg.zeros_like(sparse(), layout=fg.strided).is_sparse
    with pytest.raises(TypeError, match=r"^zeros_like\(\) takes 1 positional argument but 2 were given$"):
        fg.zeros_like(sparse(), 0)


def test_dense_with_sparse_operand():
    s, d = sparse(), fg.tensor(DENSE)
    assert not d.add(s).is_sparse and d.add(s).tolist() == (2 * np.array(DENSE)).tolist()
    assert d.add(s, alpha=2).tolist() == (3 * np.array(DENSE)).tolist()
    assert fg.sub(d, s).tolist() == [[0.0] * 3] * 3
    assert dense_of(fg.mul(d, s)) == (np.array(DENSE) ** 2).tolist()
    assert fg.mm(d, s).tolist() == (np.array(DENSE) @ np.array(DENSE)).tolist()
