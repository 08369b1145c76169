"""Bad calls found by `tools/opinfo_diff.py --mutate` whose checks live in the Rust core
(named ops' operands, the fused products' dtypes, rounded complex division). Exception
types and message fragments are PyTorch 2.13's; the file also runs against PyTorch
(`FG_TEST_BACKEND=torch`)."""

import re
import warnings

import numpy as np
import pytest
from backend import fg

F = fg.nn.functional


def raises(kind, fragment):
    return pytest.raises(kind, match=re.escape(fragment))


# ---- NumPy arrays where a named op takes a Tensor or Number ---------------------------------

NDARRAY_OPERAND = {
    "add": lambda x, a: fg.add(x, a),
    "sub": lambda x, a: fg.sub(x, a),
    "Tensor.mul": lambda x, a: x.mul(a),
    "div": lambda x, a: fg.div(x, a),
    "eq": lambda x, a: fg.eq(x, a),
    "lt": lambda x, a: x.lt(a),
    "remainder": lambda x, a: fg.remainder(x, a),
    "where": lambda x, a: fg.where(x > 0, x, a),
    "add_": lambda x, a: x.add_(a),
}


@pytest.mark.parametrize("name", sorted(NDARRAY_OPERAND))
@pytest.mark.parametrize("array", [np.ones(3, dtype=np.float32), np.array(2.0)], ids=["1-d", "0-d"])
def test_a_named_op_refuses_a_numpy_array_operand(name, array):
    with raises(TypeError, "numpy.ndarray"):
        NDARRAY_OPERAND[name](fg.ones(3), array)


def test_operators_still_take_numpy_arrays_and_named_ops_numpy_scalars():
    x = fg.tensor([7.0, 2.0, 8.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # NumPy's, about PyTorch's __array_wrap__
        assert (x + np.full(3, 2.0, dtype=np.float32)).tolist() == [9.0, 4.0, 10.0]
    assert fg.add(x, np.float32(1)).tolist() == [8.0, 3.0, 9.0]  # a NumPy scalar is a number


SELF_DTYPE = [
    ("addmm", lambda: fg.addmm(fg.ones(2, 2, dtype=fg.int64), fg.ones(2, 2), fg.ones(2, 2)),
     "self and mat2 must have the same dtype, but got Long and Float"),
    ("addmm double self", lambda: fg.addmm(fg.tensor(1.0, dtype=fg.float64), fg.ones(2, 2), fg.ones(2, 2)),
     "self and mat2 must have the same dtype, but got Double and Float"),
    ("addmm_", lambda: fg.ones(2, 2, dtype=fg.float64).addmm_(fg.ones(2, 2), fg.ones(2, 2)),
     "self and mat2 must have the same dtype, but got Double and Float"),
    ("addbmm", lambda: fg.addbmm(fg.ones(2, 2, dtype=fg.int64), fg.ones(1, 2, 2), fg.ones(1, 2, 2)),
     "self and mat2 must have the same dtype, but got Long and Float"),
    ("addmv", lambda: fg.addmv(fg.ones(2, dtype=fg.float16), fg.ones(2, 2), fg.ones(2)),
     "addmv input tensors must have the same dtype, but got Half, Float, and Float"),
    ("baddbmm", lambda: fg.baddbmm(fg.ones(1, 2, 2, dtype=fg.bool), fg.ones(1, 2, 2), fg.ones(1, 2, 2)),
     "Input dtypes must be the same, got: input bool, batch1: float, batch2: float"),
    ("baddbmm complex", lambda: fg.baddbmm(fg.ones(1, 2, 2, dtype=fg.complex64), fg.ones(1, 2, 2),
                                           fg.ones(1, 2, 2)),
     "Input dtypes must be the same, got: input c10::complex<float>, batch1: float, batch2: float"),
    ("linear 2-d input", lambda: F.linear(fg.ones(2, 3), fg.ones(4, 3), fg.ones(4, dtype=fg.int64)),
     "self and mat2 must have the same dtype, but got Long and Float"),
    ("linear 1-d input", lambda: F.linear(fg.ones(3), fg.ones(4, 3), fg.ones(4, dtype=fg.int64)),
     "self and mat2 must have the same dtype, but got Long and Float"),
]


@pytest.mark.parametrize("case", SELF_DTYPE, ids=[c[0] for c in SELF_DTYPE])
def test_a_fused_product_refuses_an_input_of_another_dtype(case):
    _, call, message = case
    with raises(RuntimeError, message):
        call()


def test_addr_still_promotes_its_input():
    out = fg.addr(fg.ones(2, 2, dtype=fg.int64), fg.ones(2), fg.ones(2))
    assert out.dtype == fg.float32
    assert out.tolist() == [[2.0, 2.0], [2.0, 2.0]]


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
@pytest.mark.parametrize("complex_side", ["input", "other"])
def test_rounded_division_of_complex_is_not_implemented(dtype, complex_side):
    c, r = fg.ones(3, dtype=getattr(fg, dtype)), fg.ones(3)
    a, b = (c, r) if complex_side == "input" else (r, c)
    name = "ComplexFloat" if dtype == "complex64" else "ComplexDouble"
    with raises(NotImplementedError, f"\"div_trunc_cpu\" not implemented for '{name}'"):
        fg.div(a, b, rounding_mode="trunc")
