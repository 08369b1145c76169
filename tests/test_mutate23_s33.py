"""Session 33 (helper mutate23): bad calls derived from PyTorch's OpInfo samples by
`tools/opinfo_diff.py --mutate` where ferrograd raised another exception than PyTorch,
or none. Expected types, messages and shapes are PyTorch's; the file also runs against
PyTorch (`FG_TEST_BACKEND=torch`)."""

import re

import numpy as np
import pytest
from backend import fg

aten = fg.ops.aten

OPAQUE = ("Unable to cast Python instance of type <class 'float'> to C++ type '?' (#define "
          "PYBIND11_DETAILED_ERROR_MESSAGES or compile in debug mode for details)")
SLICE = ("aten::slice.Tensor(Tensor(a) self, int dim=0, SymInt? start=None, SymInt? end=None, "
         "SymInt step=1) -> Tensor(a)")
SOFTMAX_BACKWARD = ("aten::_softmax_backward_data(Tensor grad_output, Tensor output, int dim, "
                    "ScalarType input_dtype) -> Tensor")
SOFTMAX_BACKWARD_OUT = ("aten::_softmax_backward_data.out(Tensor grad_output, Tensor output, int dim, "
                        "ScalarType input_dtype, *, Tensor(a!) grad_input) -> Tensor(a!)")


def raises(kind, message):
    return pytest.raises(kind, match="^" + re.escape(message) + "$")


def contains(kind, message):
    return pytest.raises(kind, match=re.escape(message))


# ---------------------------------------------------------------- ops.aten: the schema match
def test_aten_overload_refuses_a_string_for_a_tensor():
    with raises(RuntimeError, "aten::slice() Expected a value of type 'Tensor' for argument 'self' but instead "
                f"found type 'str'.\nPosition: 0\nValue: 'x'\nDeclaration: {SLICE}\n"
                "Cast error details: Unable to cast x to Tensor"):
        aten.slice.Tensor("x", 0)


def test_aten_overload_refuses_an_array_for_a_tensor():
    with contains(RuntimeError, "aten::native_dropout_backward() Expected a value of type 'Tensor' for argument "
                  "'mask' but instead found type 'ndarray'.\nPosition: 1\n"):
        aten.native_dropout_backward.default(fg.ones(3), np.ones(3) > 0, 1.0)


@pytest.mark.parametrize("dim, found", [(2.5, "float"), (2**63, "int")])
def test_aten_overload_refuses_what_is_no_int64(dim, found):
    cls = "float" if found == "float" else "int"
    with raises(RuntimeError, f"aten::slice() Expected a value of type 'int' for argument 'dim' but instead found "
                f"type '{found}'.\nPosition: 1\nValue: {dim!r}\nDeclaration: {SLICE}\nCast error details: "
                + OPAQUE.replace("'float'", f"'{cls}'")):
        aten.slice.Tensor(fg.ones(3), dim)


def test_aten_overload_names_an_optional_int():
    with contains(RuntimeError, "aten::slice() Expected a value of type 'Optional[int]' for argument 'start' but "
                  "instead found type 'float'.\nPosition: 2\nValue: 2.5\n"):
        aten.slice.Tensor(fg.ones(3), 0, 2.5)


def test_aten_overload_refuses_none_for_a_required_tensor_after_the_match():
    with raises(RuntimeError, "Expected a proper Tensor but got None (or an undefined Tensor in C++) for "
                "argument #1 'mask'"):
        aten.native_dropout_backward.default(fg.ones(3), None, 1.0)


def test_aten_overload_refuses_unknown_keywords_and_extra_arguments():
    with raises(RuntimeError, f"Unknown keyword argument 'foo' for operator 'aten::slice'. Schema: {SLICE}"):
        aten.slice.Tensor(fg.ones(3), foo=1)
    with raises(RuntimeError, "aten::slice() expected at most 5 argument(s) but received 6 argument(s). "
                f"Declaration: {SLICE}"):
        aten.slice.Tensor(fg.ones(3), 0, 0, 3, 1, dim=0)
    with raises(RuntimeError, f"aten::slice() is missing value for argument 'self'. Declaration: {SLICE}"):
        aten.slice.Tensor()


def test_aten_packet_lists_the_refusal_of_every_overload():
    with raises(RuntimeError, "Overloaded torch operator invoked from Python failed to match any schema:\n"
                "aten::_softmax_backward_data() is missing value for argument 'input_dtype'. "
                f"Declaration: {SOFTMAX_BACKWARD}\n\n"
                "aten::_softmax_backward_data() is missing value for argument 'input_dtype'. "
                f"Declaration: {SOFTMAX_BACKWARD_OUT}\n\n"):
        aten._softmax_backward_data(fg.ones(3), fg.ones(3), 0)


def test_aten_packet_refuses_a_float_dim():
    with contains(RuntimeError, "Overloaded torch operator invoked from Python failed to match any schema:\n"
                  "aten::_softmax_backward_data() Expected a value of type 'int' for argument 'dim' but instead "
                  "found type 'float'."):
        aten._softmax_backward_data(fg.ones(3), fg.ones(3), 2.5, fg.float32)


def test_aten_safe_softmax_refuses_a_string_dtype():
    with contains(RuntimeError, "aten::_safe_softmax() Expected a value of type 'Optional[int]' for argument "
                  "'dtype' but instead found type 'str'."):
        aten._safe_softmax.default(fg.ones(3), 0, "float")


def test_aten_int_list_of_fixed_size_takes_one_int_but_no_float():
    grad = aten.max_pool2d_with_indices_backward.default(
        fg.ones(1, 1, 2, 2), fg.ones(1, 1, 4, 4), 2, 2, 0, 1, False, fg.zeros(1, 1, 2, 2, dtype=fg.int64))
    assert tuple(grad.shape) == (1, 1, 4, 4)
    with contains(RuntimeError, "for argument 'kernel_size' but instead found type 'float'."):
        aten.max_pool2d_with_indices_backward.default(
            fg.ones(1, 1, 2, 2), fg.ones(1, 1, 4, 4), 2.5, 2, 0, 1, False, fg.zeros(1, 1, 2, 2, dtype=fg.int64))


def test_aten_sym_int_list_takes_no_single_int():
    with contains(RuntimeError, "Expected a value of type 'List[int]' for argument 'output_size' but instead found "
                  "type 'int'.\nPosition: 1\nValue: 2\nDeclaration: aten::_upsample_bilinear2d_aa(Tensor self, "
                  "SymInt[2] output_size, bool align_corners, float? scales_h=None, float? scales_w=None) -> "
                  "Tensor\n Python error details: TypeError: 'int' object is not iterable"):
        aten._upsample_bilinear2d_aa(fg.ones(1, 1, 4, 4), 2, False)


def test_aten_batch_norm_with_update_refuses_a_0dim_input_with_value_error():
    with contains(ValueError, "SmallVector unable to grow."):
        aten._batch_norm_with_update(fg.tensor(1.0), fg.ones(5), fg.ones(5), fg.zeros(5), fg.ones(5), 0.5, 0.6)


# ---------------------------------------------------------------- ops.aten: the kernels' own checks
@pytest.mark.parametrize("dim, low, high", [(-2, -1, 0), (2**40, -1, 0)])
def test_aten_slice_refuses_a_dim_out_of_range(dim, low, high):
    with raises(IndexError, f"Dimension out of range (expected to be in range of [{low}, {high}], but got {dim})"):
        aten.slice.Tensor(fg.ones(3), dim)


def test_aten_slice_refuses_a_0dim_tensor():
    with raises(IndexError, "slice() cannot be applied to a 0-dim tensor."):
        aten.slice.Tensor(fg.tensor(1.0), 0)


def test_aten_softmax_backward_refuses_other_shapes():
    with raises(RuntimeError, "Expected tensor for argument #1 'grad' to have same size as tensor for argument #2 "
                "'output'; but [] does not equal [5] (while checking arguments for softmax_backward)"):
        aten._softmax_backward_data(fg.ones(()), fg.ones(5), 0, fg.float32)


@pytest.mark.parametrize("shape, kernel", [((5,), "softmax_backward_lastdim_kernel_impl"),
                                           ((5, 5), "softmax_backward_kernel_impl")])
def test_aten_softmax_backward_refuses_an_integer_gradient(shape, kernel):
    with raises(NotImplementedError, f"\"{kernel}\" not implemented for 'Long'"):
        aten._softmax_backward_data(fg.ones(shape, dtype=fg.int64), fg.ones(shape), 0, fg.float32)


def test_aten_softmax_backward_of_nothing_keeps_the_gradient_dtype():
    out = aten._softmax_backward_data(fg.ones(0, 5, dtype=fg.int64), fg.ones(0, 5), 1, fg.float32)
    assert out.dtype == fg.int64 and tuple(out.shape) == (0, 5)


def test_aten_softmax_backward_refuses_a_dim_out_of_range():
    with raises(IndexError, "Dimension out of range (expected to be in range of [-1, 0], but got 1)"):
        aten._softmax_backward_data(fg.ones(5), fg.ones(5), 1, fg.float32)


@pytest.mark.parametrize("call, message", [
    (lambda: aten._upsample_bilinear2d_aa(fg.ones(6, 3, 10, 20), [3, -3], False),
     "Input and output sizes should be greater than 0, but got input (H: 10, W: 20) output (H: 3, W: -3)"),
    (lambda: aten._upsample_bilinear2d_aa(fg.tensor(1.0), [3, 3], False),
     "It is expected input_size equals to 4, but got size 0"),
    (lambda: aten._upsample_bilinear2d_aa(fg.ones(6, 3, 10, 20), [3, 3, 3], False),
     "It is expected output_size equals to 2, but got size 3"),
    (lambda: aten._upsample_bilinear2d_aa(fg.ones(6, 3, 10, 20), None, False, None),
     "Must specify exactly one of output_size and scale_factors"),
])
def test_aten_upsample_aa_refuses_bad_sizes(call, message):
    with raises(RuntimeError, message):
        call()


def test_aten_upsample_aa_vec_refuses_a_size_per_other_dims():
    with contains(RuntimeError, "Expected static_cast<int64_t>(output_size->size()) == spatial_dimensions to be "
                  "true, but got false."):
        aten._upsample_bilinear2d_aa(fg.tensor(1.0), output_size=[3, 3], align_corners=False, scale_factors=None)


def test_aten_upsample_aa_refuses_an_integer_input():
    with raises(NotImplementedError, "\"compute_index_ranges_weights\" not implemented for 'Long'"):
        aten._upsample_bicubic2d_aa(fg.ones(1, 1, 4, 4, dtype=fg.int64), [2, 2], False)


# ---------------------------------------------------------------- sparse.mm, sparse.sampled_addmm
def csr_eye(n, dtype=None):
    return fg.eye(n, dtype=dtype or fg.float32).to_sparse_csr()


@pytest.mark.parametrize("call, message", [
    (lambda: fg.sparse.mm(None, fg.ones(3, 3), "sum"),
     "_sparse_mm(): argument 'sparse' (position 1) must be Tensor, not NoneType"),
    (lambda: fg.sparse.mm(csr_eye(3), "x", "sum"), "_sparse_mm(): argument 'dense' (position 2) must be Tensor, not str"),
    (lambda: fg.sparse.mm(csr_eye(3), fg.ones(3, 3), 3),
     "_sparse_mm(): argument 'reduce' (position 3) must be str, not int"),
    (lambda: fg.sparse.mm(None, fg.ones(3, 3)), "_sparse_mm(): argument 'sparse' (position 1) must be Tensor, not NoneType"),
])
def test_sparse_mm_refuses_other_kinds_of_argument(call, message):
    with raises(TypeError, message):
        call()


def test_sparse_mm_reduce_refuses_a_0dim_dense():
    with raises(IndexError, "Dimension specified as 0 but tensor has no dimensions"):
        fg.sparse.mm(csr_eye(3), fg.tensor(1.0), "sum")


@pytest.mark.parametrize("call, message", [
    (lambda: fg.sparse.sampled_addmm(None, fg.ones(3, 3), fg.ones(3, 3)),
     "sparse_sampled_addmm(): argument 'input' (position 1) must be Tensor, not NoneType"),
    (lambda: fg.sparse.sampled_addmm(csr_eye(3), [[1.0]], fg.ones(3, 3)),
     "sparse_sampled_addmm(): argument 'mat1' (position 2) must be Tensor, not list"),
    (lambda: fg.sparse.sampled_addmm(csr_eye(3), fg.ones(3, 3), fg.ones(3, 3), beta="x"),
     "sparse_sampled_addmm(): argument 'beta' must be Number, not str"),
])
def test_sparse_sampled_addmm_refuses_other_kinds_of_argument(call, message):
    with raises(TypeError, message):
        call()


def test_sparse_sampled_addmm_refuses_another_input_dtype():
    with raises(RuntimeError, "sampled_addmm: Expected mat1 and self to have the same dtype, but got Float and Long"):
        fg.sparse.sampled_addmm(csr_eye(3, fg.int64), fg.ones(3, 3), fg.ones(3, 3))


# ---------------------------------------------------------------- _chunk_cat out=, grid_sampler, masked index
def test_chunk_cat_refuses_an_out_of_a_narrower_dtype():
    with raises(TypeError, f"{fg.__name__}.cat(): input types can't be cast to the desired output type Long"):
        fg._chunk_cat([fg.ones(1, 2, 3), fg.ones(1, 2, 3)], -1, 5, out=fg.empty(0, dtype=fg.int64))


def test_chunk_cat_refuses_an_out_that_requires_grad():
    out = fg.empty(1, 2, 5, 2, requires_grad=True)
    with raises(RuntimeError, "aten::_chunk_cat(): functions with out=... arguments don't support automatic "
                "differentiation, but one of the arguments requires grad."):
        fg._chunk_cat([fg.ones(1, 2, 3), fg.ones(1, 2, 3)], -1, 5, out=out)
    with fg.no_grad():
        assert tuple(fg._chunk_cat([fg.ones(1, 2, 3), fg.ones(1, 2, 3)], -1, 5, out=out).shape) == (1, 2, 5, 2)


@pytest.mark.parametrize("call", [
    lambda: fg.grid_sampler_2d(fg.tensor(1.0), fg.zeros(2, 13, 10, 2), 0, 0, False),
    lambda: fg.grid_sampler_2d(fg.ones(2, 3, 5, 20), fg.tensor(1.0), 0, 0, False),
    lambda: fg.grid_sampler_3d(fg.tensor(1.0), fg.zeros(1, 1, 1, 1, 3), 0, 0, False),
])
def test_grid_sampler_refuses_a_0dim_tensor_with_index_error(call):
    with raises(IndexError, "Dimension specified as 0 but tensor has no dimensions"):
        call()


def masked_index_args():
    mask = fg.tensor([[True, False], [False, True]])
    return mask, [fg.tensor([[0], [4]]), fg.tensor([[1, -1]])]


@pytest.mark.parametrize("dtype, fill, expected", [
    (fg.int64, -8.47, [[1, -8], [-8, 24]]), (fg.bool, 0.0, [[True, False], [False, True]]),
])
def test_masked_index_keeps_the_input_dtype(dtype, fill, expected):
    mask, indices = masked_index_args()
    out = aten._unsafe_masked_index(fg.arange(25).reshape(5, 5).to(dtype), mask, indices, fill)
    assert out.dtype == dtype and out.tolist() == expected


def test_masked_index_of_an_empty_input_is_the_fill():
    mask, indices = masked_index_args()
    out = aten._unsafe_masked_index(fg.ones(0, 5), mask, indices, 2.5)
    assert out.tolist() == [[2.5, 2.5], [2.5, 2.5]]


def test_masked_index_reads_a_float_mask_as_truth():
    mask, indices = masked_index_args()
    out = aten._unsafe_masked_index(fg.arange(25.0).reshape(5, 5), mask.float(), indices, -1.0)
    assert out.tolist() == [[1.0, -1.0], [-1.0, 24.0]]


def test_masked_index_put_accumulate_into_nothing_is_nothing():
    mask, indices = masked_index_args()
    out = aten._unsafe_masked_index_put_accumulate(fg.ones(0, 5), mask, indices, fg.ones(2, 2))
    assert tuple(out.shape) == (0, 5)
    out = aten._unsafe_masked_index_put_accumulate(fg.zeros(5, 5), mask.float(), indices, fg.ones(2, 2))
    assert out.sum().item() == 2.0 and out[0, 1].item() == 1.0 and out[4, 4].item() == 1.0


# ---------------------------------------------------------------- empty_strided with negative strides
@pytest.mark.parametrize("size, stride, expected", [
    ((2, 0), (3, -3), (3, 1)), ((2, 1), (3, -3), (3, 1)), ((0, 2), (-3, 1), (2, 1)), ((2, 0), (-3, -3), (1, 1)),
    ((1,), (-5,), (1,)),
])
def test_empty_strided_reads_a_harmless_negative_stride_as_contiguous(size, stride, expected):
    assert fg.empty_strided(size, stride).stride() == expected
    assert fg.ones(2).new_empty_strided(size, stride).stride() == expected


def test_empty_strided_refuses_a_negative_stride_that_spans():
    with raises(RuntimeError, "Storage size calculation overflowed with sizes=[2, 3] and strides=[3, -1]"):
        fg.empty_strided((2, 3), (3, -1))


# ---------------------------------------------------------------- products with nothing to sum
@pytest.mark.parametrize("beta, expected", [(0.2, [0, 0]), (1.7, [1, 1]), (3, [3, 3])])
def test_addmv_of_an_empty_matrix_reads_beta_as_an_integer(beta, expected):
    out = fg.addmv(fg.ones(2, dtype=fg.int64), fg.ones(2, 0, dtype=fg.int64), fg.ones(0, dtype=fg.int64),
                   beta=beta, alpha=0.6)
    assert out.dtype == fg.int64 and out.tolist() == expected


@pytest.mark.parametrize("call", [
    lambda b: fg.addmm(fg.ones(5, 1, dtype=fg.int64), fg.ones(5, 0, dtype=fg.int64), fg.ones(0, 1, dtype=fg.int64),
                       beta=b),
    lambda b: fg.addbmm(fg.ones(5, 1, dtype=fg.int64), fg.ones(3, 5, 0, dtype=fg.int64),
                        fg.ones(3, 0, 1, dtype=fg.int64), beta=b),
    lambda b: fg.addbmm(fg.ones(5, 1, dtype=fg.int64), fg.ones(0, 5, 2, dtype=fg.int64),
                        fg.ones(0, 2, 1, dtype=fg.int64), beta=b),
    lambda b: fg.baddbmm(fg.ones(3, 5, 1, dtype=fg.int64), fg.ones(3, 5, 0, dtype=fg.int64),
                         fg.ones(3, 0, 1, dtype=fg.int64), beta=b),
])
def test_integer_products_with_nothing_to_sum_refuse_a_float_beta(call):
    with raises(RuntimeError, "result type Float can't be cast to the desired output type Long"):
        call(0.2)
    assert call(3).flatten().tolist()[:2] == [3, 3]
    assert call(0.0).flatten().tolist()[:2] == [0, 0]


def test_real_product_with_nothing_to_sum_refuses_a_complex_beta():
    with raises(RuntimeError, "result type ComplexFloat can't be cast to the desired output type Float"):
        fg.addmm(fg.ones(5, 1), fg.ones(5, 0), fg.ones(0, 1), beta=2 + 0j)


def test_addr_scales_a_narrower_input_in_the_result_precision():
    out = fg.addr(fg.tensor(8.461, dtype=fg.complex64), fg.ones(1, dtype=fg.float64), fg.zeros(1, dtype=fg.float64),
                  beta=0.6)
    assert out.dtype == fg.complex128
    assert out.item() == 5.07660026550293 + 0j  # 0.6 * float(float32(8.461)), not a float32 product


# ---------------------------------------------------------------- reflected operators
def test_reflected_operators_still_reflect():
    t = fg.tensor([1.0, 2.0])
    assert (1 - t).tolist() == [0.0, -1.0] and (2 ** t).tolist() == [2.0, 4.0]
    assert (5 % t).tolist() == [0.0, 1.0] and (5 // t).tolist() == [5.0, 2.0]
    assert fg.Tensor.__rsub__(t, 1).tolist() == [0.0, -1.0]


# ---------------------------------------------------------------- out= sharing an input's memory
OVERLAP = ("unsupported operation: some elements of the input tensor and the written-to tensor refer to a single "
           "memory location. Please clone() the tensor before performing the operation.")


@pytest.mark.parametrize("name", ["index_add", "index_copy", "index_reduce"])
def test_index_functions_refuse_an_out_that_is_the_index_or_the_source(name):
    extra = ("prod",) if name == "index_reduce" else ()
    x, index, source = fg.zeros(3, dtype=fg.int64), fg.tensor([0, 1, 2]), fg.ones(3, dtype=fg.int64)
    for out in (index, source):
        with raises(RuntimeError, OVERLAP):
            getattr(fg, name)(x, 0, index, source, *extra, out=out)
    assert getattr(fg, name)(x, 0, index, source, *extra, out=x) is x


def test_take_along_dim_takes_an_out_that_is_the_indices_but_not_the_input():
    indices, input = fg.tensor([[0, 1], [1, 0]]), fg.arange(4).reshape(2, 2)
    assert fg.take_along_dim(input, indices, 0, out=indices).tolist() == [[0, 3], [2, 1]]
    with raises(RuntimeError, OVERLAP):
        fg.take_along_dim(input, fg.tensor([[0, 1], [1, 0]]), 0, out=input)
