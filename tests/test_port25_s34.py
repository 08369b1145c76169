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


def test_multi_dot_checks_each_operand_dtype_then_shape_against_the_one_before():
    _raises(lambda: fg.linalg.multi_dot([fg.ones(2, 3), fg.ones(3, 3, dtype=fg.float64), fg.ones(3)]),
            RuntimeError, "multi_dot(): all tensors must have be the same dtype but tensor 0 is float and tensor 1 "
            "double")
    _raises(lambda: fg.linalg.multi_dot([fg.ones(2, 3), fg.ones(3, 3), fg.ones(3, dtype=fg.int32)]),
            RuntimeError, "multi_dot(): all tensors must have be the same dtype but tensor 0 is float and tensor 2 int")
    _raises(lambda: fg.linalg.multi_dot([fg.ones(3), fg.ones(3, 2), fg.ones(3)]), RuntimeError,
            "multi_dot(): tensors 1 and 2 with shapes [3, 2] and [3] cannot be multiplied")
    _raises(lambda: fg.linalg.multi_dot([fg.ones(3), fg.ones(2, 2)]), RuntimeError,
            "multi_dot(): tensors 0 and 1 with shapes [3] and [2, 2] cannot be multiplied")
    _raises(lambda: fg.linalg.multi_dot([fg.ones(2, 3), fg.ones(3)], out=fg.empty(0, dtype=fg.float64)),
            RuntimeError, "multi_dot(): expected out tensor to have dtype float but got double")
    out = fg.empty(0)
    assert fg.linalg.multi_dot([fg.ones(2, 3), fg.ones(3)], out=out) is out and out.tolist() == [3.0, 3.0]


def test_tensorinv_names_inv_for_a_singular_input():
    _raises(lambda: fg.linalg.tensorinv(fg.zeros(4, 2, 2), ind=1), fg.linalg.LinAlgError,
            "inv: The diagonal element 1 is zero, the inversion could not be completed because the input matrix is "
            "singular.")


def test_linalg_norm_refuses_dims_of_other_lengths():
    b = fg.ones(3, 2)
    _raises(lambda: fg.linalg.norm(b, dim=(0, 1, 2)), RuntimeError,
            "linalg.norm: If dim is specified, it must be of length 1 or 2. Got [0, 1, 2]")
    _raises(lambda: fg.linalg.norm(b, "fro", dim=()), RuntimeError,
            "linalg.norm: If dim is specified, it must be of length 1 or 2. Got []")


def test_matrix_rank_messages():
    _raises(lambda: fg.linalg.matrix_rank(fg.ones(3)), RuntimeError,
            "torch.linalg.matrix_rank: The input tensor input must have at least 2 dimensions.")
    with pytest.raises(TypeError, match=r"^linalg_matrix_rank\(\) received an invalid combination of arguments - "
                       r"got \(Tensor, float, atol=float\)"):
        fg.linalg.matrix_rank(fg.eye(2), 1.0, atol=1.0)


def test_cholesky_solve_checks_in_pytorchs_order_and_words():
    eye = fg.eye(3)
    _raises(lambda: fg.cholesky_solve(fg.ones(3, dtype=fg.float64), eye), RuntimeError,
            "b should have at least 2 dimensions, but has 1 dimensions instead")
    _raises(lambda: fg.cholesky_solve(fg.ones(3, 1), fg.ones(3)), RuntimeError,
            "u should have at least 2 dimensions, but has 1 dimensions instead")
    _raises(lambda: fg.cholesky_solve(fg.ones(3, 1), fg.ones(2, 3)), RuntimeError,
            "A must be batches of square matrices, but they are 2 by 3 matrices")
    _raises(lambda: fg.cholesky_solve(fg.ones(2, 1), eye), RuntimeError,
            "Incompatible matrix sizes for cholesky_solve: each A matrix is 3 by 3 but each b matrix is 2 by 1")
    _raises(lambda: fg.cholesky_solve(fg.ones(2, 3, 1), fg.ones(3, 3, 3)), RuntimeError,
            "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0")
    _raises(lambda: fg.cholesky_solve(fg.ones(3, 1), eye.double()), RuntimeError,
            "Expected b and A to have the same dtype, but found b of type Float and A of type Double instead.")


def test_addbmm_checks_batches_in_pytorchs_words():
    b1 = fg.ones(2, 2, 3)
    _raises(lambda: fg.addbmm(fg.zeros(2, 4), b1, fg.ones(2, 2, 4)), RuntimeError,
            "Incompatible matrix sizes for bmm (2x3 and 2x4)")
    _raises(lambda: fg.addbmm(fg.zeros(2, 4), b1, fg.ones(3, 2, 4)), RuntimeError,
            "batch1 and batch2 must have same number of batches, got 2 and 3")
    _raises(lambda: fg.zeros(2, 4).addbmm_(b1, fg.ones(3, 2, 4)), RuntimeError,
            "batch1 and batch2 must have same number of batches, got 2 and 3")
    _raises(lambda: fg.addbmm(fg.zeros(2, 4), b1[0], fg.ones(2, 3, 4)), RuntimeError,
            "The expanded size of the tensor (3) must match the existing size (2) at non-singleton dimension 0.  "
            "Target sizes: [3, 4].  Tensor sizes: [2, 4]")
    assert fg.addbmm(fg.zeros(2, 4), b1, fg.ones(2, 3, 4)).tolist() == [[6.0] * 4] * 2


def test_ger_gives_no_warning():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert fg.ger(fg.ones(2), fg.arange(3.0)).tolist() == [[0.0, 1.0, 2.0]] * 2


# ---- test_indexing / test_torch ----------------------------------------------------------


def test_take_and_put_refuse_an_empty_source_in_their_words():
    _raises(lambda: fg.take(fg.empty(0, 3), fg.tensor([[5]])), IndexError,
            "take(): tried to take from an empty tensor")
    _raises(lambda: fg.empty(0).put(fg.tensor([0]), fg.tensor([1.0])), IndexError,
            "put_(): Tried to put elements into an empty tensor")
    assert fg.take(fg.empty(0), fg.tensor([], dtype=fg.int64)).shape == (0,)


def test_histc_reads_an_empty_range_from_the_data_before_checking_it():
    t = fg.tensor([1.0, 2, 1, 4, 2.5])
    inf = float("inf")
    assert fg.histc(t, bins=4, min=inf, max=inf).tolist() == [2.0, 1.0, 1.0, 1.0]
    _raises(lambda: fg.histc(t, bins=4, min=-inf, max=inf), RuntimeError, "torch.histc: range of [-inf, inf] is not finite")
    _raises(lambda: fg.histc(t, bins=4, min=3, max=1), RuntimeError, "torch.histc: max must be larger than min")


def test_histogram_weight_needs_as_many_elements_as_the_input():
    hist, _ = fg.histogram(fg.ones(2, 3), bins=2, weight=fg.ones(3, 2))
    assert hist.tolist() == [0.0, 6.0]
    _raises(lambda: fg.histogram(fg.tensor([1.0, 2, 1, 4, 2.5]), bins=2, weight=fg.ones(4)), RuntimeError,
            "torch.histogramdd: if weight tensor is provided it should have the same shape as the input tensor "
            "excluding its innermost dimension, but got input with shape [5, 1] and weight with shape [4]")


def test_unfold_refuses_a_negative_size_in_its_words():
    _raises(lambda: fg.arange(7.0).unfold(0, -1, 1), RuntimeError, "size is -1 but must be >= 0")
    _raises(lambda: fg.arange(7.0).unfold(0, 8, 1), RuntimeError,
            "maximum size for tensor at dimension 0 is 7 but size is 8")


# ---- test_view_ops -----------------------------------------------------------------------


def test_as_strided_with_a_negative_size_fails_as_pytorch_checks_it():
    x = fg.arange(9.0)
    _raises(lambda: x.as_strided((2, -1), (1, 1)), RuntimeError,
            "Storage size calculation overflowed with sizes=[2, -1] and strides=[1, 1]")
    _raises(lambda: x.as_strided((-1,), (-1,)), RuntimeError,
            "as_strided: Negative strides are not supported at the moment, got strides: [-1]")
    _raises(lambda: x.as_strided((-1,), (1,), -1), RuntimeError, "Tensor: invalid storage offset -1")
    _raises(lambda: fg.as_strided_copy(x, (-2,), (1,)), RuntimeError,
            "Storage size calculation overflowed with sizes=[-2] and strides=[1]")
    _raises(lambda: x.as_strided_((-2,), (1,)), RuntimeError, "numel: integer multiplication overflow")


# ---- test_numpy_interop / test_torch: legacy `type` ---------------------------------------


def test_tensor_type_names_a_c_type_with_its_module_and_refuses_non_types():
    import collections

    import numpy as np

    _raises(lambda: fg.ones(2).type(np.float32), ValueError, "invalid type: 'numpy.float32'")
    _raises(lambda: fg.ones(2).type(collections.OrderedDict), ValueError, "invalid type: 'collections.OrderedDict'")
    _raises(lambda: fg.ones(2).type(fg.Size), ValueError, f"invalid type: '{MOD}.Size'")
    _raises(lambda: fg.ones(2).type(float), ValueError, "invalid type: 'float'")
    _raises(lambda: fg.ones(2).type(5), TypeError, "dtype must be a type, str, or dtype object")
    _raises(lambda: fg.ones(2).type(np.dtype("float32")), TypeError, "dtype must be a type, str, or dtype object")
    assert fg.ones(2).type(fg.float64).dtype == fg.float64


# ---- test_linalg: `out=` dtype rules of the linear-algebra functions ---------------------


def _out_errors(call):
    """What `call(out)` does with a float32, a complex128 and an int64 `out`."""
    found = []
    for dtype in (fg.float32, fg.complex128, fg.int64):
        try:
            call(fg.empty(0, dtype=dtype))
            found.append("ok")
        except RuntimeError as e:
            found.append(str(e))
    return found


def test_linalg_outs_that_take_any_safely_castable_dtype():
    a = _a()
    for call, name in [
        (lambda o: fg.linalg.cond(a, out=o), "linalg.cond"),
        (lambda o: fg.linalg.householder_product(a, a[0], out=o), "torch.linalg.householder_product"),
        (lambda o: fg.linalg.tensorinv(a, 1, out=o), "tensorinv"),
        (lambda o: fg.linalg.tensorsolve(a, a[0], out=o), "tensorsolve"),
        (lambda o: fg.cholesky_inverse(a, out=o), "cholesky_inverse"),
        (lambda o: fg.cholesky_solve(a, a, out=o), "cholesky_solve"),
    ]:
        assert _out_errors(call) == ["ok", "ok", (f"{name}: Expected result to be safely castable from Double dtype, "
                                                 "but got result with dtype Long")]
    out = fg.empty(0, dtype=fg.float32)
    fg.linalg.tensorinv(a, 1, out=out)
    assert [round(v, 4) for v in out[0].tolist()] == [0.2778, -0.1111, 0.0556]


def test_linalg_outs_checked_in_their_own_words():
    a = _a()
    v = a[0]
    exact = ["Expected out tensor to have dtype double, but got float instead",
             "Expected out tensor to have dtype double, but got c10::complex<double> instead"]
    for call in (lambda o: fg.linalg.matrix_power(a, 2, out=o), lambda o: fg.matrix_power(a, 2, out=o)):
        assert _out_errors(call) == [*exact, ("matrix_power: Expected result to be safely castable from Double dtype, "
                                             "but got result with dtype Long")]
    assert _out_errors(lambda o: fg.linalg.vecdot(a, a, out=o)) == [
        f"linalg.vecdot: Expected out of dtypeDouble but found {n}" for n in ("Float", "ComplexDouble", "Long")]
    for f in (fg.dot, fg.vdot):
        assert _out_errors(lambda o, f=f: f(v, v, out=o)) == [
            f"result dtype {n} does not match input dtype Double" for n in ("Float", "ComplexDouble", "Long")]
    _raises(lambda: fg.dot(v, v.float(), out=fg.empty(0, dtype=fg.complex64)), RuntimeError,
            "result dtype ComplexFloat does not match input dtype Double")
    for call in (lambda o: fg.inner(v, v, out=o), lambda o: fg.tensordot(v, v, 1, out=o)):
        assert _out_errors(call) == [
            f"tensordot: Expected the output tensor to have dtype Double, but got an output tensor with dtype {n}"
            for n in ("Float", "ComplexDouble", "Long")]
    assert fg.inner(fg.tensor(2.0), v, out=fg.empty(0)).tolist() == [8.0, 2.0, 0.0]
    assert _out_errors(lambda o: fg.chain_matmul(a, a, out=o))[0] == (
        "multi_dot(): expected out tensor to have dtype double but got float")
    for call in (lambda o: fg.qr(a, out=(o, fg.empty(0, dtype=fg.float64))),
                 lambda o: fg.slogdet(a, out=(o, fg.empty(0, dtype=fg.float64)))):
        assert _out_errors(call)[:2] == exact
    _raises(lambda: fg.geqrf(a, out=(fg.empty(0, dtype=fg.float64), fg.empty(0, dtype=fg.int64))), RuntimeError,
            "torch.geqrf: Expected tau to be safely castable from Double dtype, but got tau with dtype Long")


def test_linalg_vander_takes_no_out():
    _raises(lambda: fg.linalg.vander(fg.ones(3), out=fg.empty(0)), TypeError,
            "linalg_vander() got an unexpected keyword argument 'out'")


def test_ldl_factor_backward_is_not_implemented():
    a = _a().requires_grad_()
    ld, _ = fg.linalg.ldl_factor(a)
    assert ld.grad_fn.name() == "torch::autograd::NotImplemented"
    _raises(lambda: ld.sum().backward(), RuntimeError, "derivative for aten::linalg_ldl_factor_ex is not implemented")


def test_tensor_reads_a_bytearray_as_python_ints():
    t = fg.tensor(bytearray(b"ab"))
    assert t.dtype == fg.int64 and t.tolist() == [97, 98]


def test_matrix_norm_checks_the_dims_wrapped_then_the_dtype():
    a = _a()
    _raises(lambda: fg.linalg.matrix_norm(a, dtype=fg.float32), RuntimeError,
            "linalg.matrix_norm: the dtype of the input (Double) should be convertible without narrowing to the "
            "specified dtype (Float)")
    _raises(lambda: fg.linalg.matrix_norm(a.to(fg.complex128), dtype=fg.float64), RuntimeError,
            "linalg.matrix_norm: dtype should be complex for complex inputs, but got Double")
    _raises(lambda: fg.linalg.matrix_norm(fg.ones(2, 3, 4), 2, dim=(1, -2)), RuntimeError,
            "linalg.matrix_norm: dims must be different. Got (1, 1)")
    _raises(lambda: fg.linalg.matrix_norm(fg.ones(2, 3, 4), dim=(1, -2), dtype=fg.float16), RuntimeError,
            "linalg.matrix_norm: dims must be different. Got (1, 1)")
    assert fg.linalg.matrix_norm(a.float(), dtype=fg.float64).dtype == fg.float64


def test_legacy_tensor_new_takes_only_a_device():
    x = fg.ones(2, dtype=fg.float64)
    for call, got in [(lambda: x.new(2, dtype=fg.int32), f"(int, dtype={MOD}.dtype)"),
                      (lambda: x.new(x, dtype=fg.float32), f"(Tensor, dtype={MOD}.dtype)"),
                      (lambda: x.new(2, requires_grad=True), "(int, requires_grad=bool)")]:
        wrong = "requires_grad" if "requires_grad" in got else "dtype"
        _raises(call, TypeError,
                f"new() received an invalid combination of arguments - got {got}, but expected one of:\n"
                f" * (*, {MOD}.device device = None)\n"
                f"      didn't match because some of the keywords were incorrect: {wrong}\n"
                f" * ({MOD}.Storage storage)\n * (Tensor other)\n * (tuple of ints size, *, {MOD}.device device = None)\n"
                f" * (object data, *, {MOD}.device device = None)\n")
    assert x.new([1, 2], device="cpu").tolist() == [1.0, 2.0]
