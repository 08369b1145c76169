"""Behaviours ported from PyTorch's own test files (test_linalg, test_indexing,
test_torch, test_view_ops, test_numpy_interop) that session 34's port found different."""

import os
import subprocess
import sys

import pytest
from backend import MOD, fg


def _a():
    return fg.tensor([[4.0, 1, 0], [1, 3, 1], [0, 1, 2]], dtype=fg.float64)


def _raises(fn, kind, message):
    with pytest.raises(kind) as info:
        fn()
    assert str(info.value) == message


# ---- test_linalg: argument checks in PyTorch's order and words --------------------------


def test_lstsq_checks_other_dims_and_dtypes_before_the_driver():
    a = fg.ones(2, 2)
    _raises(lambda: fg.linalg.lstsq(a, fg.tensor(1.0)), RuntimeError,
            "torch.linalg.lstsq: other must have at least 1 dimension.")
    _raises(lambda: fg.linalg.lstsq(a, fg.ones(2, 2, dtype=fg.float64), driver="x"), RuntimeError,
            "torch.linalg.lstsq: Expected input and other to have the same dtype, but got input's dtype Float and "
            "other's dtype Double")
    _raises(lambda: fg.linalg.lstsq(a, fg.ones(2, 2, 2, 2), driver="x"), RuntimeError,
            "torch.linalg.lstsq: input.dim() must be greater or equal to other.dim() and "
            "(input.dim() - other.dim()) <= 1")
    _raises(lambda: fg.linalg.lstsq(a, fg.ones(3), driver="x"), RuntimeError,
            "torch.linalg.lstsq: input.size(-2) should match other.size(-1)")
    _raises(lambda: fg.linalg.lstsq(a, fg.ones(2), driver="x"), RuntimeError,
            "torch.linalg.lstsq: parameter `driver` should be one of (gels, gelsy, gelsd, gelss)")


def test_logdet_refuses_integer_inputs_in_its_own_name_after_the_shape_checks():
    _raises(lambda: fg.logdet(fg.ones(2, 2, dtype=fg.int32)), RuntimeError,
            "logdet: Expected a floating point or complex tensor as input. Got Int")
    _raises(lambda: fg.ones(2, 2, dtype=fg.bool).logdet(), RuntimeError,
            "logdet: Expected a floating point or complex tensor as input. Got Bool")
    _raises(lambda: fg.logdet(fg.ones(2, 3, dtype=fg.int64)), RuntimeError,
            "logdet: A must be batches of square matrices, but they are 2 by 3 matrices")
    _raises(lambda: fg.logdet(fg.ones(3, dtype=fg.int64)), RuntimeError,
            "logdet: The input tensor A must have at least 2 dimensions.")


def test_eigh_reads_uplo_in_either_case():
    w = fg.linalg.eigvalsh(_a(), UPLO="u")
    assert [round(v, 4) for v in w.tolist()] == [1.2679, 3.0, 4.7321]
    assert fg.linalg.eigh(_a(), UPLO="l").eigenvalues.shape == (3,)
    _raises(lambda: fg.linalg.eigh(_a(), UPLO="LU"), RuntimeError,
            "Expected UPLO argument to be 'L' or 'U', but got LU")


def test_eig_out_needs_safely_castable_dtypes_and_names_the_output():
    a = _a()
    _raises(lambda: fg.linalg.eig(a, out=(fg.empty(0, dtype=fg.float64), fg.empty(0, dtype=fg.complex128))),
            RuntimeError, f"{MOD}.linalg.eig: Expected eigenvalues to be safely castable from ComplexDouble dtype, "
            "but got eigenvalues with dtype Double")
    _raises(lambda: fg.linalg.eig(a, out=(fg.empty(0, dtype=fg.complex128), fg.empty(0, dtype=fg.float64))),
            RuntimeError, f"{MOD}.linalg.eig: Expected eigenvectors to be safely castable from ComplexDouble "
            "dtype, but got eigenvectors with dtype Double")
    _raises(lambda: fg.linalg.eigvals(a.float(), out=fg.empty(0, dtype=fg.int32)), RuntimeError,
            f"{MOD}.linalg.eigvals: Expected eigenvalues to be safely castable from ComplexFloat dtype, but got "
            "eigenvalues with dtype Int")
    values, vectors = fg.empty(0, dtype=fg.complex64), fg.empty(0, dtype=fg.complex128)
    fg.linalg.eig(fg.diag(fg.tensor([2.0, 3.0], dtype=fg.float64)), out=(values, vectors))
    assert values.dtype == fg.complex64 and values.tolist() == [2 + 0j, 3 + 0j]
    out = fg.empty(0, dtype=fg.complex128)
    fg.linalg.eigvals(fg.diag(fg.tensor([2.0, 3.0])), out=out)
    assert out.tolist() == [2 + 0j, 3 + 0j]


@pytest.mark.parametrize("x", [fg.ones(3), fg.ones(3, dtype=fg.int64), fg.tensor(1.0)])
def test_lu_factorizations_refuse_vectors_in_their_words(x):
    size = list(x.shape)
    for f in (fg.linalg.lu_factor, fg.linalg.lu_factor_ex):
        _raises(lambda f=f: f(x), RuntimeError,
                f"torch.lu_factor: Expected tensor with 2 or more dimensions. Got size: {size} instead")
    _raises(lambda: fg.linalg.lu_factor(x, pivot=False), RuntimeError,
            f"torch.lu_factor: Expected tensor with 2 or more dimensions. Got size: {size} instead")
    _raises(lambda: fg.linalg.lu(x), RuntimeError,
            f"linalg.lu: Expected tensor with 2 or more dimensions. Got size: {size} instead")


@pytest.mark.parametrize("x", [fg.ones(3), fg.ones(3, dtype=fg.int64), fg.tensor(1.0)])
def test_old_svd_refuses_vectors_in_its_words(x):
    message = f"linalg.svd: input should have at least 2 dimensions, but has {x.dim()} dimensions instead"
    _raises(lambda: fg.svd(x), RuntimeError, message)
    _raises(lambda: x.svd(compute_uv=False), RuntimeError, message)


def test_old_linalg_functions_warn_that_they_are_deprecated_once_per_process():
    code = ("import warnings\nfrom backend import fg\n"
            "with warnings.catch_warnings(record=True) as w:\n"
            "    warnings.simplefilter('always')\n"
            "    a = fg.eye(2, dtype=fg.float64)\n"
            "    fg.cholesky(a); a.cholesky(); fg.qr(a); a.qr()\n"
            "    lu, piv = fg.linalg.lu_factor(a); fg.lu_solve(a, lu, piv); a.lu_solve(lu, piv)\n"
            "for x in w:\n    print(x.category.__name__, str(x.message).split(chr(10))[0])\n")
    here = os.path.dirname(os.path.abspath(__file__))
    out = subprocess.run([sys.executable, "-c", code], cwd=here, capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == [
        f"UserWarning {MOD}.{name} is deprecated in favor of {MOD}.linalg.{name}{gap}and will be removed in a "
        "future PyTorch release." for name, gap in (("cholesky", " "), ("qr", " "), ("lu_solve", ""))
    ]
