"""Differences from PyTorch found in session 16 (issue 3): values written by `__setitem__`,
`.data` assignment, the legacy `Tensor(...)` constructor, index dtypes, `ldexp` of bool
exponents, `no_grad().prev`, ints past int64, zero-size `index_add`/`embedding`, and which
`out=` calls PyTorch runs while an argument requires grad. Expected values are PyTorch
2.13's.

Runs against PyTorch too with FG_TEST_BACKEND=torch.
"""

import warnings

import numpy as np
import pytest
from backend import MOD, fg

# ---- __setitem__ values ------------------------------------------------------------


@pytest.mark.parametrize(("value", "want"), [
    (1j, True), (0.5j, True), (0j, False), (complex(0, -0.0), False), (complex(float("nan"), 0), True),
])
@pytest.mark.parametrize("key", [0, slice(0, 1), [0]])
def test_a_complex_number_written_into_a_bool_tensor_is_its_truth(value, want, key):
    b = fg.zeros(2, dtype=fg.bool)
    b[key] = value
    assert b.tolist() == [want, False]


def test_a_complex_number_written_through_a_mask_into_a_bool_tensor():
    b = fg.zeros(2, dtype=fg.bool)
    b[fg.tensor([True, False])] = 1j
    assert b.tolist() == [True, False]


@pytest.mark.parametrize(("value", "type_name"), [
    (np.array([1.0, 2.0, 3.0]), "numpy.ndarray"),
    (np.array(2.0), "numpy.ndarray"),
    (np.float32(2), "numpy.float32"),
    (np.bool_(True), "numpy.bool"),
    ((1, 2, 3), "tuple"),
    ([1, 2, 3], "list"),
    ("a", "str"),
    (None, "NoneType"),
])
@pytest.mark.parametrize("key", [0, [0], fg.tensor([True, False])])
def test_setitem_refuses_what_pytorch_cannot_assign(value, type_name, key):
    x = fg.zeros(2, 3)
    with pytest.raises(TypeError, match=rf"^can't assign a {type_name} to a {MOD}\.FloatTensor$"):
        x[key] = value


@pytest.mark.parametrize(("dtype", "legacy"), [("float64", "DoubleTensor"), ("int64", "LongTensor"),
                                               ("bool", "BoolTensor")])
def test_setitem_names_the_legacy_type_of_the_target(dtype, legacy):
    x = fg.zeros(2, dtype=getattr(fg, dtype))
    with pytest.raises(TypeError, match=rf"can't assign a numpy.ndarray to a {MOD}\.{legacy}"):
        x[0] = np.array(1)


@pytest.mark.parametrize(("value", "want"), [
    (np.float64(2.5), 2.5), (np.int64(3), 3.0), (np.int32(3), 3.0), (np.uint8(3), 3.0), (np.int8(-1), -1.0),
    (np.uint64(3), 3.0), (True, 1.0),
])
def test_setitem_takes_python_numbers_and_numpy_integers(value, want):
    x = fg.zeros(2, 2)
    x[0] = value
    assert x.tolist() == [[want, want], [0.0, 0.0]]


def test_setitem_of_a_numpy_complex128_into_a_complex_tensor():
    x = fg.zeros(2, dtype=fg.complex64)
    x[0] = np.complex128(1j)
    assert x.tolist() == [1j, 0j]


# ---- a NumPy longdouble as an operand -----------------------------------------------


def test_a_numpy_longdouble_operand_is_read_as_a_float():
    # its item() is itself: reading it must not recurse
    assert (fg.zeros(2) + np.longdouble(2)).tolist() == [2.0, 2.0]
    assert fg.zeros(2).add(np.longdouble(2)).tolist() == [2.0, 2.0]
    x = fg.ones(2)
    x.mul_(np.longdouble(3))
    assert x.tolist() == [3.0, 3.0]


# ---- .data ---------------------------------------------------------------------------


@pytest.mark.parametrize("data", [[1, 2, 3], [True, False, True]])
def test_data_of_a_tensor_requiring_grad_must_be_floating_or_complex(data):
    x = fg.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="^data set to a tensor that requires gradients must be floating point or "
                                           "complex dtype$"):
        x.data = fg.tensor(data)
    assert x.dtype == fg.float32


def test_data_of_other_dtypes_is_taken_without_requires_grad_or_when_complex():
    x = fg.ones(3)
    x.data = fg.tensor([1, 2, 3])
    assert x.dtype == fg.int64
    y = fg.ones(2, requires_grad=True)
    y.data = fg.tensor([1j, 2])
    assert y.dtype == fg.complex64 and y.requires_grad


def test_data_must_be_a_tensor():
    with pytest.raises(TypeError, match="^Variable data has to be a tensor, but got int$"):
        fg.ones(2).data = 3


# ---- the legacy constructor ----------------------------------------------------------


@pytest.mark.parametrize(("args", "shape"), [
    ((fg.Size([2, 3]),), [2, 3]), ((fg.Size([]),), []), ((2, 3), [2, 3]), ((np.int64(2),), [2]),
    ((np.int64(2), 3), [2, 3]), ((2, True), [2, 1]), ((), [0]),
])
def test_tensor_of_sizes_is_uninitialised_of_that_shape(args, shape):
    t = fg.Tensor(*args)
    assert list(t.shape) == shape and t.dtype == fg.float32


@pytest.mark.parametrize(("data", "want"), [
    (np.array([1, 2]), [1.0, 2.0]), ((2, 3), [2.0, 3.0]), (range(3), [0.0, 1.0, 2.0]), ([[1, 2]], [[1.0, 2.0]]),
    (np.array(2.0), 2.0),
])
def test_tensor_of_data_holds_it_as_the_default_dtype(data, want):
    t = fg.Tensor(data)
    assert t.tolist() == want and t.dtype == fg.float32


def test_tensor_keywords():
    assert list(fg.Tensor(size=(2, 3)).shape) == [2, 3]
    assert list(fg.Tensor(device="cpu").shape) == [0]
    assert list(fg.Tensor(2, device="cpu").shape) == [2]


@pytest.mark.parametrize(("value", "name"), [
    (2.5, "float"), (True, "bool"), (1j, "complex"), (np.float64(2.5), "numpy.float64"),
    (np.float32(2), "numpy.float32"), (None, "NoneType"),
])
def test_tensor_of_a_scalar_is_a_type_error(value, name):
    with pytest.raises(TypeError, match=rf"^new\(\): data must be a sequence \(got {name}\)$"):
        fg.Tensor(value)


def test_tensor_of_a_non_int_size_names_its_position():
    with pytest.raises(TypeError, match="failed to unpack the object at pos 2 with error \"type must be tuple of "
                                        "ints,but got float\""):
        fg.Tensor(2, 2.5)


# ---- index dtypes ----------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["int8", "int16", "uint16", "uint32", "float32"])
def test_index_tensors_must_be_long_int_byte_or_bool(dtype):
    x = fg.arange(5.0)
    index = fg.tensor([1, 0], dtype=getattr(fg, dtype))
    message = "^tensors used as indices must be long, int, byte or bool tensors$"
    with pytest.raises(IndexError, match=message):
        x[index]
    with pytest.raises(IndexError, match=message):
        x[index] = 1.0
    with pytest.raises(IndexError, match=message):
        x.index_put_((index,), fg.tensor(1.0))


@pytest.mark.parametrize("dtype", ["int32", "int64"])
def test_int32_and_int64_index_tensors_pick_positions(dtype):
    x = fg.arange(5.0)
    assert x[fg.tensor([1, 0], dtype=getattr(fg, dtype))].tolist() == [1.0, 0.0]


def test_a_byte_mask_of_the_wrong_shape_is_refused_before_its_dtype():
    x = fg.arange(5.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        with pytest.raises(IndexError, match=r"The shape of the mask \[2\] at index 0 does not match the shape of the "
                                             r"indexed tensor \[5\] at index 0"):
            x[fg.tensor([1, 0], dtype=fg.uint8)] = 7.0


# ---- ldexp -----------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "bfloat16"])
def test_ldexp_of_a_floating_tensor_refuses_bool_exponents(dtype):
    x = fg.tensor([1.0, 2.0], dtype=getattr(fg, dtype))
    with pytest.raises(NotImplementedError, match="\"ldexp_cpu_exp\" not implemented for 'Bool'"):
        fg.ldexp(x, fg.tensor([True, False]))


def test_ldexp_takes_bool_exponents_of_integer_and_complex_tensors():
    r = fg.ldexp(fg.tensor([1, 2]), fg.tensor([True, False]))
    assert r.tolist() == [2.0, 2.0] and r.dtype == fg.float32
    z = fg.ldexp(fg.tensor([1j, 2]), fg.tensor([True, False]))
    assert z.tolist() == [2j, 2 + 0j] and z.dtype == fg.complex64


def test_ldexp_of_a_floating_tensor_takes_small_integer_exponents():
    r = fg.ldexp(fg.tensor([1.0, 2.0], dtype=fg.bfloat16), fg.tensor([1, 2], dtype=fg.int8))
    assert r.tolist() == [2.0, 8.0] and r.dtype == fg.bfloat16


# ---- grad-mode objects -----------------------------------------------------------


def test_no_grad_prev_is_the_mode_its_latest_with_found():
    g = fg.no_grad()
    assert g.prev is False
    with g:
        assert g.prev is True
    assert g.prev is True
    with fg.no_grad():
        inner = fg.no_grad()
        with inner:
            pass
    assert inner.prev is False


def test_set_grad_enabled_keeps_prev_and_mode():
    s = fg.set_grad_enabled(False)
    try:
        assert (s.prev, s.mode) == (True, False)
    finally:
        fg.set_grad_enabled(True)


# ---- ints past int64 ---------------------------------------------------------------

INT64_OVERFLOW = "^value cannot be converted to type int64_t without overflow$"


@pytest.mark.parametrize("call", [
    lambda: fg.arange(2**63),
    lambda: fg.arange(2**63 - 10, 2**63),
    lambda: fg.arange(0, 2**63, 2**62),
    lambda: fg.full((1,), 2**63),
    lambda: fg.tensor([1]).add(fg.tensor([1]), alpha=2**63),
])
def test_an_int_in_the_uint64_range_overflows_int64_arguments(call):
    with pytest.raises(RuntimeError, match=INT64_OVERFLOW):
        call()


def test_an_int_past_uint64_does_not_convert():
    with pytest.raises(OverflowError, match="int too big to convert"):
        fg.arange(2**64)


@pytest.mark.parametrize("name", ["add", "sub", "add_", "sub_"])
def test_a_uint64_alpha_scales_a_floating_result_by_its_value(name):
    x = fg.tensor([1.0], dtype=fg.float64)
    r = getattr(x, name)(fg.tensor([1.0], dtype=fg.float64), alpha=2**63)
    sign = 1 if name.startswith("add") else -1
    assert r.tolist() == [1.0 + sign * 2.0**63]


# ---- zero-size index_add / embedding ------------------------------------------------


@pytest.mark.parametrize(("shape", "dim", "source"), [((3, 0), 0, (2, 0)), ((3, 0), 1, (3, 1)), ((0, 2), 0, (1, 2)),
                                                      ((3, 0, 2), 0, (1, 0, 2))])
def test_index_add_into_an_empty_matrix_reads_no_index(shape, dim, source):
    index = fg.tensor([0, 5] if source[dim] == 2 else [5])
    r = fg.zeros(*shape).index_add(dim, index, fg.zeros(*source))
    assert list(r.shape) == list(shape)


def test_index_add_into_an_empty_vector_still_checks_its_index():
    with pytest.raises(IndexError, match="^index out of range in self$"):
        fg.zeros(0).index_add(0, fg.tensor([0]), fg.zeros(1))


@pytest.mark.parametrize("op", ["index_copy", "index_fill"])
def test_index_copy_and_fill_over_empty_slices_read_no_index(op):
    x = fg.zeros(3, 0)
    r = x.index_copy(0, fg.tensor([5]), fg.zeros(1, 0)) if op == "index_copy" else x.index_fill(
        0, fg.tensor([5]), 1.0)
    assert list(r.shape) == [3, 0]


def test_embedding_of_an_empty_table_is_pytorchs_index_select_error():
    with pytest.raises(RuntimeError, match=r"^index_select\(\): self indexing axis dim should be positive$"):
        fg.nn.functional.embedding(fg.tensor([0]), fg.zeros(0, 2))


def test_embedding_with_rows_of_no_elements_names_the_bad_index():
    with pytest.raises(RuntimeError, match="^INDICES element is out of DATA bounds, id=3 axis_dim=2$"):
        fg.nn.functional.embedding(fg.tensor([[0, 3]]), fg.zeros(2, 0))


def test_embedding_out_of_range_in_a_real_table_is_an_index_error():
    with pytest.raises(IndexError, match="^index out of range in self$"):
        fg.nn.functional.embedding(fg.tensor([3]), fg.zeros(2, 2))


def test_embedding_of_zero_size_inputs():
    emb = fg.nn.functional.embedding
    assert list(emb(fg.tensor([], dtype=fg.int64), fg.zeros(3, 2)).shape) == [0, 2]
    assert list(emb(fg.tensor([0, 1]), fg.zeros(3, 0)).shape) == [2, 0]
    assert list(emb(fg.tensor([], dtype=fg.int64).reshape(0, 2), fg.zeros(0, 3)).shape) == [0, 2, 3]


# ---- out= while an argument requires grad -------------------------------------------

REFUSED = "functions with out=... arguments don't support automatic differentiation, but one of the arguments " \
          "requires grad."


def test_diff_into_out_is_refused_as_pytorchs_sub():
    with pytest.raises(RuntimeError, match=r"^sub\(\): " + REFUSED.replace(".", r"\.")):
        fg.diff(fg.ones(3, requires_grad=True), out=fg.empty(2))


@pytest.mark.parametrize("value", [1.0, 2.0])
def test_scatter_with_reduce_writes_out_whatever_requires_grad(value):
    out = fg.empty(3)
    src = fg.full((1,), value, requires_grad=True)
    r = fg.scatter(fg.ones(3, requires_grad=True), 0, fg.tensor([0]), src, reduce="add", out=out)
    assert r is out and out.tolist() == [1.0 + value, 1.0, 1.0]


def test_scatter_without_reduce_into_out_is_refused():
    with pytest.raises(RuntimeError, match=r"^scatter\(\): functions with out="):
        fg.scatter(fg.ones(3, requires_grad=True), 0, fg.tensor([0]), fg.ones(1), out=fg.empty(3))


def test_scatter_with_reduce_refuses_an_out_requiring_grad():
    with pytest.raises(RuntimeError, match=r"^aten::scatter\(\): functions with out="):
        fg.scatter(fg.ones(3), 0, fg.tensor([0]), fg.ones(1), reduce="add", out=fg.empty(3, requires_grad=True))


@pytest.mark.parametrize("call", [
    lambda x, out: fg.norm(x, "nuc", out=out),
    lambda x, out: fg.nuclear_norm(x, out=out),
    lambda x, out: fg.linalg.matrix_norm(x, "fro", out=out),
    lambda x, out: fg.linalg.matrix_norm(x, 1, out=out),
    lambda x, out: fg.linalg.norm(x, out=out),
])
def test_matrix_norms_copy_into_out_with_the_gradient(call):
    x = fg.tensor([[3.0, 0.0], [0.0, 4.0]], dtype=fg.float64, requires_grad=True)
    out = fg.empty((), dtype=fg.float64)
    r = call(x, out)
    assert r is out and type(out.grad_fn).__name__ == "CopyBackwards"
    out.backward()
    assert x.grad is not None and x.grad.shape == x.shape


def test_nuclear_norm_into_out_gives_the_gradient_of_the_norm():
    x = fg.tensor([[3.0, 0.0], [0.0, 4.0]], dtype=fg.float64, requires_grad=True)
    fg.norm(x, "nuc", out=fg.empty((), dtype=fg.float64)).backward()
    # d/dA of the sum of singular values of a positive diagonal matrix: the identity
    assert np.allclose(x.grad.numpy(), np.eye(2))


@pytest.mark.parametrize("p", ["fro", 2])
def test_vector_norms_into_out_are_refused(p):
    with pytest.raises(RuntimeError, match=r"^linalg_vector_norm\(\): functions with out="):
        fg.norm(fg.ones(2, 2, requires_grad=True), p, out=fg.empty(()))


def test_a_leaf_out_requiring_grad_is_refused_by_the_copy():
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in an in-place"):
        fg.norm(fg.ones(2, 2, requires_grad=True), "nuc", out=fg.empty((), requires_grad=True))


@pytest.mark.parametrize("name", ["linspace", "logspace"])
def test_linspace_into_out_from_a_bound_requiring_grad(name):
    out = fg.empty(3)
    getattr(fg, name)(fg.tensor(0.0, requires_grad=True), 1, 3, out=out)
    want = [0.0, 0.5, 1.0] if name == "linspace" else [1.0, 10**0.5, 10.0]
    assert np.allclose(out.detach().numpy(), want)
    with pytest.raises(RuntimeError, match=rf"^aten::{name}\(\): functions with out="):
        getattr(fg, name)(0, 1, 3, out=fg.empty(3, requires_grad=True))


# ---- nn.functional out= -------------------------------------------------------------

F = fg.nn.functional


@pytest.mark.parametrize("name", ["gelu", "softplus", "hardshrink", "softshrink"])
def test_activation_out_must_have_the_input_dtype(name):
    with pytest.raises(RuntimeError, match="^Found dtype Double but expected Float$"):
        getattr(F, name)(fg.ones(3), out=fg.empty(3, dtype=fg.float64))


@pytest.mark.parametrize(("name", "kernel"), [("gelu", "gelu"), ("softplus", "softplus"),
                                              ("softshrink", "softshrink"), ("logsigmoid", "log_sigmoid_forward")])
def test_activation_out_refuses_inputs_requiring_grad(name, kernel):
    with pytest.raises(RuntimeError, match=rf"^{kernel}\(\): functions with out="):
        getattr(F, name)(fg.ones(3, requires_grad=True), out=fg.empty(3))


def test_gelu_into_out():
    out = fg.empty(3)
    F.gelu(fg.ones(3), approximate="tanh", out=out)
    assert np.allclose(out.numpy(), 0.8411920071, atol=1e-6)


@pytest.mark.parametrize(("call", "want", "got"), [
    (lambda o: F.avg_pool2d(fg.ones(1, 1, 2, 2), 2, out=o), "float", "double"),
    (lambda o: F.avg_pool3d(fg.ones(1, 1, 2, 2, 2), 2, out=o), "float", "double"),
    (lambda o: F.linear(fg.ones(3), fg.ones(2, 3), out=o), "float", "double"),
])
def test_pool_and_linear_out_must_have_the_result_dtype(call, want, got):
    with pytest.raises(RuntimeError, match=f"^Expected out tensor to have dtype {want}, but got {got} instead$"):
        call(fg.empty(1, dtype=fg.float64))


def test_avg_pool2d_out_refuses_inputs_requiring_grad():
    with pytest.raises(RuntimeError, match=r"^avg_pool2d\(\): functions with out="):
        F.avg_pool2d(fg.ones(1, 1, 2, 2, requires_grad=True), 2, out=fg.empty(1, 1, 1, 1))
