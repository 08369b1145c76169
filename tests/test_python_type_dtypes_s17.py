"""Python's number types as `dtype=` (float64, int64, bool, complex128) and the dtype
refusals around them, as PyTorch 2.13 gives them."""

import pytest
from backend import fg


def _x():
    return fg.tensor([1.0, -2.0, 3.0])


def test_vector_norm_reads_python_float_as_float64():
    for norm in (lambda x: fg.linalg.vector_norm(x, dtype=float), lambda x: fg.linalg.norm(x, dtype=float),
                 lambda x: fg.norm(x, dtype=float)):
        out = norm(_x())
        assert out.dtype == fg.float64
        assert out.item() == pytest.approx(14.0 ** 0.5)


@pytest.mark.parametrize("dtype", [complex, "complex64"])
def test_vector_norm_refuses_a_complex_dtype_for_real_input(dtype):
    dtype = getattr(fg, dtype) if isinstance(dtype, str) else dtype
    name = "ComplexFloat" if dtype is fg.complex64 else "ComplexDouble"
    with pytest.raises(RuntimeError, match=f"dtype should be real for real inputs, but got {name}"):
        fg.linalg.vector_norm(_x(), dtype=dtype)


@pytest.mark.parametrize(("kind", "name"), [(float, "float"), (int, "int"), (bool, "bool"), (complex, "complex")])
def test_tensor_type_refuses_python_types(kind, name):
    with pytest.raises(ValueError, match=f"invalid type: '{name}'"):
        _x().type(kind)


def test_tensor_type_takes_the_tensor_class():
    assert _x().type(fg.Tensor).dtype == fg.float32


@pytest.mark.parametrize(("dtype", "name"), [(bool, "Bool"), (complex, "ComplexDouble"), ("bool", "Bool"),
                                             ("complex64", "ComplexFloat")])
def test_randperm_refuses_bool_and_complex(dtype, name):
    dtype = getattr(fg, dtype) if isinstance(dtype, str) else dtype
    with pytest.raises(NotImplementedError, match=f'"randperm" not implemented for \'{name}\''):
        fg.randperm(3, dtype=dtype)


def test_randperm_python_float_is_float64():
    out = fg.randperm(4, dtype=float)
    assert out.dtype == fg.float64
    assert sorted(out.tolist()) == [0.0, 1.0, 2.0, 3.0]


@pytest.mark.parametrize(("dtype", "name"), [(complex, "ComplexDouble"), ("complex64", "ComplexFloat")])
def test_nansum_refuses_a_complex_dtype(dtype, name):
    dtype = getattr(fg, dtype) if isinstance(dtype, str) else dtype
    with pytest.raises(NotImplementedError, match=f'"nansum_cpu" not implemented for \'{name}\''):
        fg.nansum(_x(), dtype=dtype)


@pytest.mark.parametrize(("fn", "dtype", "kernel", "name"), [
    ("softmax", int, "softmax_lastdim_kernel_impl", "Long"),
    ("softmax", complex, "softmax_lastdim_kernel_impl", "ComplexDouble"),
    ("log_softmax", bool, "log_softmax_lastdim_kernel_impl", "Bool"),
])
def test_softmax_refuses_python_non_float_types(fn, dtype, kernel, name):
    with pytest.raises(NotImplementedError, match=f'"{kernel}" not implemented for \'{name}\''):
        getattr(fg, fn)(_x(), 0, dtype=dtype)


def test_softmax_python_float_is_float64():
    out = fg.softmax(_x(), 0, dtype=float)
    assert out.dtype == fg.float64
    assert out.sum().item() == pytest.approx(1.0)


@pytest.mark.parametrize(("dtype", "name"), [("int32", "Int"), ("bool", "Bool"), ("uint8", "Byte")])
def test_normal_into_a_non_float_tensor_names_the_normal_kernel(dtype, name):
    with pytest.raises(NotImplementedError, match=f'"normal_kernel_cpu" not implemented for \'{name}\''):
        fg.empty(2, dtype=getattr(fg, dtype)).normal_()
    with pytest.raises(NotImplementedError, match=f'"normal_kernel_cpu" not implemented for \'{name}\''):
        fg.normal(0.0, 1.0, (2,), dtype=getattr(fg, dtype))


def test_normal_checks_std_before_the_dtype():
    with pytest.raises(RuntimeError, match="normal expects std >= 0.0, but found std -1"):
        fg.empty(2, dtype=fg.int32).normal_(0, -1.0)


@pytest.mark.parametrize(("dtype", "name"), [(int, "Long"), (bool, "Bool"), ("int32", "Int")])
def test_mean_names_a_non_float_dtype_argument(dtype, name):
    dtype = getattr(fg, dtype) if isinstance(dtype, str) else dtype
    message = f"mean\\(\\): could not infer output dtype. Optional dtype must be either a floating point or complex dtype. Got: {name}"
    with pytest.raises(RuntimeError, match=message):
        fg.mean(_x(), dtype=dtype)
    with pytest.raises(RuntimeError, match=message):
        fg.mean(fg.tensor([1, 2]), dtype=dtype)
