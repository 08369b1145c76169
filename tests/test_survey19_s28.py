"""Session 28 (survey19): elementwise ops written in Python check that their operands
broadcast before they refuse dtypes (PyTorch's TensorIterator computes the shape first),
lerp checks its dtypes first with C++'s names for them, and float_power converts uint16/32/64
and 8-bit float operands to the dtype it computes in before anything refuses them."""

import pytest
from backend import fg


def ones(shape, dtype):
    return fg.ones(shape, dtype=getattr(fg, dtype))


def message_of(thunk):
    with pytest.raises(Exception) as info:
        thunk()
    return type(info.value).__name__, str(info.value).splitlines()[0]


SIZE_3_2 = ("RuntimeError", "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0")


@pytest.mark.parametrize("dtypes", [("bool", "uint16"), ("uint16", "uint16"), ("float8_e4m3fn", "int64"),
                                    ("float8_e5m2", "float8_e5m2"), ("uint32", "float32")])
@pytest.mark.parametrize("op", [
    lambda a, b: fg.fmax(a, b), lambda a, b: a.fmin(b), lambda a, b: fg.atan2(a, b), lambda a, b: fg.hypot(a, b),
    lambda a, b: fg.copysign(a, b), lambda a, b: fg.xlogy(a, b), lambda a, b: fg.fmod(a, b),
    lambda a, b: fg.nextafter(a, b), lambda a, b: a.gcd(b), lambda a, b: fg.lcm(a, b),
    lambda a, b: fg.addcmul(a, b, b), lambda a, b: fg.addcmul(a, b, a),
])
def test_operands_that_do_not_broadcast_are_refused_before_their_dtypes(op, dtypes):
    assert message_of(lambda: op(ones((3,), dtypes[0]), ones((2,), dtypes[1]))) == SIZE_3_2


def test_addcdiv_refuses_shapes_before_an_8_bit_float():
    assert message_of(lambda: fg.addcdiv(ones((3,), "bool"), ones((2,), "float8_e4m3fn"),
                                         ones((2,), "float8_e4m3fn"))) == SIZE_3_2


def test_heaviside_and_isclose_refuse_shapes_before_kernels():
    assert message_of(lambda: fg.heaviside(ones((3,), "uint16"), ones((2,), "uint16"))) == SIZE_3_2
    assert message_of(lambda: fg.isclose(ones((3,), "float8_e4m3fn"), ones((2,), "float8_e4m3fn"))) == SIZE_3_2


def test_in_place_results_of_another_shape_are_refused_before_dtypes():
    assert message_of(lambda: ones((), "uint16").hypot_(ones((2, 0), "uint16"))) == (
        "RuntimeError", "output with shape [] doesn't match the broadcast shape [2, 0]")
    assert message_of(lambda: ones((), "bool").addcmul_(ones((3,), "bool"), ones((3,), "bool"))) == (
        "RuntimeError", "output with shape [] doesn't match the broadcast shape [3]")


def test_the_last_mismatching_dimension_is_the_one_reported():
    expected = ("RuntimeError", "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1")
    assert message_of(lambda: fg.broadcast_tensors(fg.ones(2, 3), fg.ones(3, 2))) == expected
    assert message_of(lambda: fg.fmax(ones((2, 3), "uint16"), ones((3, 2), "uint16"))) == expected


@pytest.mark.parametrize("name", ["fmax", "fmin"])
def test_fmax_and_fmin_refuse_complex_before_shapes(name):
    op = getattr(fg, name)
    assert message_of(lambda: op(ones((3,), "float32"), ones((2,), "complex64"))) == (
        "RuntimeError", f"{name} not implemented for complex tensors.")


def test_addcdiv_refuses_integer_division_before_shapes():
    kind, text = message_of(lambda: fg.addcdiv(ones((3,), "int64"), ones((2,), "int64"), ones((4,), "int64")))
    assert (kind, text.startswith("Integer division with addcdiv is no longer supported")) == ("RuntimeError", True)


@pytest.mark.parametrize("input_dtype, end_dtype, named", [
    ("int64", "uint16", "long int for `end` but got dtype short unsigned int"),
    ("bool", "uint32", "bool for `end` but got dtype unsigned int"),
    ("float32", "uint64", "float for `end` but got dtype long unsigned int"),
    ("float8_e4m3fn", "int64", "c10::Float8_e4m3fn for `end` but got dtype long int"),
])
def test_lerp_names_dtypes_as_cpp_does_and_checks_them_first(input_dtype, end_dtype, named):
    expected = ("RuntimeError", "expected dtype " + named)
    assert message_of(lambda: fg.lerp(ones((3,), input_dtype), ones((2,), end_dtype), 0.5)) == expected
    assert message_of(lambda: ones((3,), input_dtype).lerp_(ones((3,), end_dtype), 0.5)) == expected


def test_lerp_weight_with_dimensions_of_another_dtype_is_refused_by_name():
    assert message_of(lambda: fg.lerp(ones((3,), "int64"), ones((3,), "int64"), ones((3,), "uint16"))) == (
        "RuntimeError", "expected dtype long int for `weight` but got dtype short unsigned int")


def test_lerp_refuses_shapes_before_its_kernel():
    assert message_of(lambda: fg.lerp(ones((3,), "bool"), ones((2,), "bool"), 0.5)) == SIZE_3_2
    assert message_of(lambda: fg.lerp(ones((3,), "float8_e5m2"), ones((2,), "float8_e5m2"), 0.5)) == SIZE_3_2


@pytest.mark.parametrize("shell", ["uint16", "uint64", "float8_e4m3fn", "float8_e5m2"])
def test_float_power_computes_shell_dtypes_in_double(shell):
    out = fg.float_power(ones((3,), "int64"), ones((3,), shell))
    assert (out.dtype, out.tolist()) == (fg.float64, [1.0, 1.0, 1.0])
    out = ones((2, 0), shell).float_power(ones((), "complex64"))
    assert (out.dtype, tuple(out.shape)) == (fg.complex128, (2, 0))
    out = fg.float_power(ones((), shell), 2)
    assert (out.dtype, out.item()) == (fg.float64, 1.0)
