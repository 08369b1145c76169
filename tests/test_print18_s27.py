"""Printed text the print fuzzer (tools/print_fuzz18.py) found differing from PyTorch's:
complex32 values with non-finite parts, the suffix line of sparse COO tensors, empty
storages, f-strings of 0-d sparse and quantized tensors, 0-d sparse tensors of zero,
per-channel quantization of NaN and out-of-range values, nested tensors of dtypes
PyTorch's copy kernel lacks."""

import math
import warnings

import pytest
from backend import MOD, fg

warnings.filterwarnings("ignore", category=UserWarning)


def test_complex32_keeps_infinite_and_nan_parts_apart():
    t = fg.tensor([complex(math.inf, math.nan), complex(1, -0.0), complex(-0.0, math.inf)]).to(fg.complex32)
    assert repr(t) == f"tensor([inf+nanj, 1.-0.j, -0.+infj], dtype={MOD}.complex32)"


def test_complex32_with_infinite_parts_beside_a_tiny_imaginary_part():
    t = fg.tensor([complex(-math.inf, -math.inf), complex(3, -9e-5)]).to(fg.complex32)
    assert repr(t) == f"tensor([-inf-infj, 3.-9.0003e-05j], dtype={MOD}.complex32)"


def test_complex32_strided_view_with_negative_zero_imaginary_part():
    t = fg.tensor([complex(1e-3, -0.0), 0j, complex(2000, 0)]).to(fg.complex32)[::2]
    assert repr(t) == f"tensor([1.0004e-03-0.j, 2.0000e+03+0.j], dtype={MOD}.complex32)"


def test_sparse_coo_suffixes_fill_the_forced_line_to_the_width():
    s = fg.tensor([[0.0, 1.0], [2.0, 0.0]], requires_grad=True).to_sparse()
    assert repr(s) == (
        "tensor(indices=tensor([[0, 1],\n"
        "                       [1, 0]]),\n"
        "       values=tensor([1., 2.]),\n"
        f"       size=(2, 2), nnz=2, layout={MOD}.sparse_coo, grad_fn=<ToSparseBackward1>)"
    )


def test_sparse_coo_suffixes_wrap_at_a_narrow_width():
    fg.set_printoptions(linewidth=20)
    try:
        text = repr(fg.tensor(-2.5, dtype=fg.float64).to_sparse())
    finally:
        fg.set_printoptions(profile="default")
    assert text == (
        "tensor(indices=tensor([], size=(0, 1)),\n"
        "       values=tensor([-2.5000]),\n"
        "       size=(),\n"
        "       nnz=1,\n"
        f"       dtype={MOD}.float64,\n"
        f"       layout={MOD}.sparse_coo)"
    )


def test_empty_storages_print_a_blank_first_line():
    untyped = fg.tensor([], dtype=fg.int8).untyped_storage()
    assert repr(untyped) == f" \n[{MOD}.storage.UntypedStorage(device=cpu) of size 0]"
    assert str(fg.tensor([1, 2], dtype=fg.int8).untyped_storage()) == (
        f" 1\n 2\n[{MOD}.storage.UntypedStorage(device=cpu) of size 2]"
    )


def test_fstring_of_a_0d_sparse_tensor_formats_its_item():
    assert f"{fg.tensor(3.0).to_sparse():.2f}" == "3.00"
    assert f"{fg.tensor(True).to_sparse()}" == "True"


def test_fstring_of_a_0d_quantized_tensor_formats_its_item():
    q = fg.quantize_per_tensor(fg.tensor(0.5), 0.1, 0, fg.quint8)
    assert f"{q}" == "0.5"


def test_fstring_of_a_0d_meta_tensor_is_its_repr():
    assert f"{fg.tensor(3.0, device='meta')}" == "tensor(..., device='meta', size=())"


@pytest.mark.parametrize("value", [0.0, -0.0, False, 0])
def test_0d_tensor_of_zero_converts_to_sparse_without_values(value):
    s = fg.tensor(value).to_sparse()
    assert s._nnz() == 0
    assert tuple(s._indices().shape) == (0, 0)
    assert tuple(s._values().shape) == (0,)
    assert s.item() == 0


def test_0d_sparse_of_zero_repr():
    assert repr(fg.tensor(0.0, requires_grad=True).to_sparse()) == (
        "tensor(indices=tensor([], size=(0, 0)),\n"
        "       values=tensor([], size=(0,)),\n"
        f"       size=(), nnz=0, layout={MOD}.sparse_coo, grad_fn=<ToSparseBackward1>)"
    )


def test_to_sparse_with_no_sparse_dims_needs_a_0d_tensor():
    with pytest.raises(RuntimeError, match=r"sparse_dim argument must be in >0 when self.dim\(\)>0"):
        fg.zeros(2, 2).to_sparse(0)


@pytest.mark.parametrize("dtype_name", ["bool", "int8", "float16", "complex64"])
def test_0d_sparse_to_dense_keeps_the_dtype(dtype_name):
    dtype = getattr(fg, dtype_name)
    s = fg.sparse_coo_tensor(fg.zeros(0, 2, dtype=fg.int64), fg.ones(2, dtype=dtype), ())
    assert s.to_dense().dtype == dtype


def test_0d_sparse_item_is_the_value_of_its_dtype():
    assert fg.tensor(True).to_sparse().item() is True
    uncoalesced = fg.sparse_coo_tensor(fg.zeros(0, 2, dtype=fg.int64), fg.tensor([True, True]), ())
    assert uncoalesced.item() == 2


def test_per_channel_quantization_stores_zero_for_nan():
    x = fg.tensor([[math.nan, math.inf, -math.inf, 1.0]] * 2)
    for zero_point in (0, 3):
        zero_points = fg.tensor([zero_point, zero_point])
        q8 = fg.quantize_per_channel(x, fg.tensor([0.1, 0.2]), zero_points, 0, fg.qint8)
        assert q8.int_repr().tolist() == [[0, 127, -128, 10 + zero_point], [0, 127, -128, 5 + zero_point]]
        qu8 = fg.quantize_per_channel(x, fg.tensor([0.1, 0.2]), zero_points, 0, fg.quint8)
        assert qu8.int_repr().tolist() == [[0, 255, 0, 10 + zero_point], [0, 255, 0, 5 + zero_point]]


def test_per_channel_quantization_prints_nan_as_zero():
    q = fg.quantize_per_channel(fg.tensor([[math.nan, 1.0]]), fg.tensor([0.1]), fg.tensor([0]), 0, fg.qint8)
    assert repr(q) == (
        f"tensor([[0., 1.]], size=(1, 2), dtype={MOD}.qint8,\n"
        f"       quantization_scheme={MOD}.per_channel_affine,\n"
        f"       scale=tensor([0.1000], dtype={MOD}.float64), zero_point=tensor([0]),\n"
        "       axis=0)"
    )


def test_float_qparams_quantization_of_values_beyond_32_bits():
    x = fg.tensor([[4e8, 5e8, 1e10, 1e19, math.nan, math.inf, -math.inf, 2.0]] * 2)
    q = fg.quantize_per_channel(x, fg.tensor([0.1, 0.2]), fg.tensor([0.5, -1.0]), 0, fg.quint8)
    assert q.int_repr().tolist() == [[0, 255, 255, 0, 0, 0, 0, 20], [255, 0, 0, 0, 0, 0, 0, 9]]


def test_sub_byte_quantization_of_values_beyond_64_bits():
    x = fg.tensor([1e17, 1e18, math.inf, 2.4])
    q = fg.quantize_per_tensor(x, 0.1, 0, fg.quint4x2)
    assert q.int_repr().tolist() == [15, 240]


@pytest.mark.parametrize("dtype_name", ["uint16", "uint32", "uint64", "complex32", "float8_e4m3fn", "float8_e8m0fnu"])
def test_nested_tensor_of_contiguous_components_refuses_dtypes_without_a_copy_kernel(dtype_name):
    dtype = getattr(fg, dtype_name)
    scalar = {"uint16": "UInt16", "uint32": "UInt32", "uint64": "UInt64", "complex32": "ComplexHalf",
              "float8_e4m3fn": "Float8_e4m3fn", "float8_e8m0fnu": "Float8_e8m0fnu"}[dtype_name]
    message = f"\"create_nt_buffer\" not implemented for '{scalar}'"
    for make in (fg.nested.nested_tensor, fg.nested.as_nested_tensor):
        with pytest.raises(NotImplementedError) as info:
            make([fg.zeros(2, dtype=dtype)])
        assert str(info.value) == message


def test_nested_tensor_of_strided_components_of_such_a_dtype_prints():
    base = fg.tensor([1, 2, 3, 4], dtype=fg.uint16)
    nt = fg.nested.nested_tensor([base[::2], base[1:2]])
    assert repr(nt) == (
        "nested_tensor([\n"
        f"  tensor([1, 3], dtype={MOD}.uint16),\n"
        f"  tensor([2], dtype={MOD}.uint16)\n"
        "])"
    )


def test_uninitialized_parameter_refuses_an_fstring_naming_its_class():
    with pytest.raises(ValueError) as info:
        f"{fg.nn.parameter.UninitializedParameter()}"
    text = str(info.value)
    assert text.startswith("Attempted to use an uninitialized parameter in <function Tensor.__format__ at 0x")
    assert f"explicitly manipulating `{MOD}.nn.parameter.UninitializedParameter` objects" in text
    assert text.endswith(f"initialize the parameters before calling {MOD} functions")


def test_uninitialized_buffer_names_its_own_class():
    with pytest.raises(ValueError) as info:
        fg.nn.parameter.UninitializedBuffer().dim()
    assert str(info.value).startswith(
        f"Attempted to use an uninitialized parameter in <method 'dim' of '{MOD}._C.TensorBase' objects>. "
        f"This error happens when you are using a `LazyModule` or explicitly manipulating "
        f"`{MOD}.nn.parameter.UninitializedBuffer` objects."
    )
    assert repr(fg.nn.parameter.UninitializedBuffer()) == "<UninitializedBuffer>"


@pytest.mark.parametrize(("value", "size"), [(0.0, "[0, 0]"), (2.0, "[1, 0]")])
def test_0d_to_sparse_csr_names_the_nonzero_count_of_the_input(value, size):
    with pytest.raises(IndexError) as info:
        fg.tensor(value).to_sparse_csr()
    assert str(info.value) == f"select(): index 1 out of range for tensor of size {size} at dimension 1"


def test_1d_to_sparse_csr_names_the_nonzero_count_of_the_input():
    with pytest.raises(IndexError) as info:
        fg.tensor([0.0, 1.0, 2.0]).to_sparse_csr()
    assert str(info.value) == "select(): index 1 out of range for tensor of size [2, 1] at dimension 1"


@pytest.mark.parametrize("dtype_name", ["uint16", "uint32", "uint64"])
def test_unsigned_to_sparse_coo_has_no_nonzero_count_kernel(dtype_name):
    scalar = {"uint16": "UInt16", "uint32": "UInt32", "uint64": "UInt64"}[dtype_name]
    for shape in ((), (3,), (2, 2)):
        with pytest.raises(NotImplementedError) as info:
            fg.ones(shape, dtype=getattr(fg, dtype_name)).to_sparse()
        assert str(info.value) == f"\"nonzero_count_cpu\" not implemented for '{scalar}'"


def test_unsigned_to_sparse_checks_sparse_dim_first():
    with pytest.raises(RuntimeError, match=r"sparse_dim argument must be in \[0,2\] range, but 5 is given"):
        fg.ones(2, 2, dtype=fg.uint16).to_sparse(5)


@pytest.mark.parametrize("convert", ["to_sparse_csr", "to_sparse_csc"])
def test_unsigned_to_compressed_layouts_has_no_index_select_kernel(convert):
    with pytest.raises(NotImplementedError) as info:
        getattr(fg.ones(2, 2, dtype=fg.uint32), convert)()
    assert str(info.value) == "\"index_select\" not implemented for 'UInt32'"


def test_unsigned_to_blocked_layouts_converts():
    s = fg.tensor([[1, 0], [0, 2]], dtype=fg.uint16).to_sparse_bsr(1)
    assert s.values().reshape(-1).tolist() == [1, 2]


@pytest.mark.parametrize(("convert", "op"), [
    (lambda t: t.to_sparse(), "_to_sparse"),
    (lambda t: t.to_sparse(1), "_to_sparse"),
    (lambda t: t.to_sparse(layout=fg.sparse_csr), "_to_sparse"),
    (lambda t: t.to_sparse_csr(), "_to_sparse_csr"),
    (lambda t: t.to_sparse_csc(), "_to_sparse_csc"),
    (lambda t: t.to_sparse_bsr(1), "_to_sparse_bsr"),
])
def test_complex_conversions_to_sparse_refuse_autograd(convert, op):
    t = fg.ones(2, 2, dtype=fg.complex64, requires_grad=True)
    with pytest.raises(RuntimeError) as info:
        convert(t)
    assert str(info.value) == f"{op} does not support automatic differentiation for outputs with complex dtype."
    with fg.no_grad():
        assert convert(t).dtype == fg.complex64


def test_tensor_str_is_reachable_as_an_attribute():
    with fg._tensor_str.printoptions(precision=2):
        inside = repr(fg.tensor([1.123456, 1e5, 3.0]))
    assert inside == "tensor([1.12e+00, 1.00e+05, 3.00e+00])"
    assert fg._tensor_str.get_printoptions() == {
        "precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80, "sci_mode": None}


def test_unsigned_batched_csr_checks_the_per_batch_counts_first():
    t = fg.tensor([[[1, 0], [0, 0]], [[1, 1], [0, 0]]], dtype=fg.uint16)
    with pytest.raises(RuntimeError, match="Expect the same number of specified elements per batch."):
        t.to_sparse_csr()


@pytest.mark.parametrize("layout", ["csr", "csc", "bsr", "bsc"])
def test_zero_batches_are_refused_naming_the_layout_asked_for(layout):
    convert = getattr(fg.zeros(0, 2, 2), f"to_sparse_{layout}")
    with pytest.raises(RuntimeError) as info:
        convert(1) if layout.startswith("b") else convert()
    assert str(info.value) == f"to_sparse_{layout}: Expected product of batch dimensions to be non-zero."
