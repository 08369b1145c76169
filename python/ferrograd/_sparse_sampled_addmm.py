"""`sparse.sampled_addmm`: `beta * input + alpha * (mat1 @ mat2)` computed only at the
entries a sparse CSR `input` stores (a CSR result of the same sparsity); the products
are rows of `mat1` dotted with columns of `mat2`, so gradients reach all three."""

from __future__ import annotations

from ._core import Tensor


def _check(input: Tensor, mat1: Tensor, mat2: Tensor) -> None:
    for name, m in (("mat1", mat1), ("mat2", mat2)):
        if m.dim() != 2:
            raise RuntimeError(f"sampled_addmm: Expected {name} to be a matrix, got {m.dim()}-D tensor")
    if mat1.dtype != mat2.dtype:
        from ._dtype_names import scalar_name

        raise RuntimeError("sampled_addmm: Expected mat1 and mat2 to have the same dtype, but got "
                           f"{scalar_name(mat1.dtype)} and {scalar_name(mat2.dtype)}")
    if mat1.dtype != input.dtype:
        from ._dtype_names import scalar_name

        raise RuntimeError("sampled_addmm: Expected mat1 and self to have the same dtype, but got "
                           f"{scalar_name(mat1.dtype)} and {scalar_name(input.dtype)}")
    if mat1.shape[1] != mat2.shape[0]:
        raise RuntimeError(f"sampled_addmm: mat1 and mat2 shapes cannot be multiplied ({mat1.shape[0]}x"
                           f"{mat1.shape[1]} and {mat2.shape[0]}x{mat2.shape[1]})")
    if input.shape[-2] != mat1.shape[0]:
        raise RuntimeError("sampled_addmm: self.shape[-2] must match mat1.shape[-2]")
    if input.shape[-1] != mat2.shape[1]:
        raise RuntimeError("sampled_addmm: self.shape[-1] must match mat2.shape[-1]")


_SIGNATURE = ("input:T mat1:T mat2:T *beta:n=1 *alpha:n=1 *out:T=None",)


def sampled_addmm(input: Tensor, mat1: Tensor, mat2: Tensor, *, beta=1.0, alpha=1.0, out=None) -> Tensor:
    """`beta * input + alpha * (mat1 @ mat2)` at the entries `input` stores.

    Args:
        input: a 2-D sparse CSR matrix (m x n): the sparsity of the result.
        mat1: a dense m x k matrix.
        mat2: a dense k x n matrix.
        beta: the multiplier of `input`.
        alpha: the multiplier of the product.
        out: an optional sparse CSR tensor to write the result into (not supported).
    """
    from ._creation import arange
    from ._parser_check import signature_error
    from ._sparse_csr import SparseCsrTensor, derived

    error = signature_error("sparse_sampled_addmm", _SIGNATURE, (input, mat1, mat2),
                            {"beta": beta, "alpha": alpha, "out": out})
    if error is not None:
        raise error
    if not isinstance(input, SparseCsrTensor) or input.dim() != 2:
        raise NotImplementedError("ferrograd.sparse.sampled_addmm: implemented for a 2-D sparse CSR input only")
    if out is not None:
        raise NotImplementedError("ferrograd.sparse.sampled_addmm: out= is not supported")
    _check(input, mat1, mat2)
    crow, col = input.crow_indices(), input.col_indices()
    rows = arange(input.shape[0]).repeat_interleave(crow[1:] - crow[:-1])
    products = (mat1.index_select(0, rows) * mat2.index_select(1, col).mT).sum(-1)
    values = beta * input._fg_values + alpha * products
    if values.grad_fn is not None:
        from . import _core

        values = _core._named_node(values, "SparseSampledAddmmBackward0")
    return derived(input, values)
