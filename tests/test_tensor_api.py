"""Tensor basics: operators, attributes, conversions, creation, dtypes and their
promotion, views, devices, finfo/iinfo, shape errors.

Expected values are math (Python's own int/float semantics, NumPy) or PyTorch 2.13's
behaviour (dtype tables, error types and messages).
"""

import math
import operator
import warnings

import numpy as np
import pytest
from backend import IS_TORCH, MOD, fg
from dtype_rules import (
    KINDS,
    PROMOTION,
    operand_kind,
    result_type,
    true_divide_type,
)

DT = {"float32": fg.float32, "float64": fg.float64, "int64": fg.int64, "bool": fg.bool}


def dtype_name(t):
    return {v: k for k, v in DT.items()}[t.dtype]


# -- operators ----------------------------------------------------------------------------

X = [1.0, 2.0, 4.0, -3.0]

# (expression, python function of one element x)
SCALAR_OPS = [
    ("x + 2", lambda a: a + 2),
    ("2 + x", lambda a: 2 + a),
    ("x + 0.5", lambda a: a + 0.5),
    ("x - 2", lambda a: a - 2),
    ("2 - x", lambda a: 2 - a),
    ("x * 3", lambda a: a * 3),
    ("3 * x", lambda a: 3 * a),
    ("x / 2", lambda a: a / 2),
    ("2 / x", lambda a: 2 / a),
    ("x // 3", lambda a: a // 3),
    ("7 // x", lambda a: 7 // a),
    ("x // -3", lambda a: a // -3),
    ("x % 3", lambda a: a % 3),
    ("7 % x", lambda a: 7 % a),
    ("x % -3", lambda a: a % -3),
    ("x ** 2", lambda a: a**2),
    ("2 ** x", lambda a: 2**a),
    ("x ** 3", lambda a: a**3),
    ("-x", lambda a: -a),
]


@pytest.mark.parametrize(("expr", "fn"), SCALAR_OPS, ids=[e for e, _ in SCALAR_OPS])
def test_operator_with_python_scalar_on_float_tensor(expr, fn):
    x = fg.tensor(X)
    out = eval(expr, {"x": x})
    assert out.dtype == fg.float32
    assert out.shape == (4,)
    assert out.tolist() == pytest.approx([fn(a) for a in X])


INT_X = [7, -7, 3, -2, 10]


@pytest.mark.parametrize(
    ("expr", "fn"),
    [
        ("x + 2", lambda a: a + 2),
        ("2 - x", lambda a: 2 - a),
        ("x * -3", lambda a: a * -3),
        ("x // 3", lambda a: a // 3),
        ("x // -3", lambda a: a // -3),
        ("20 // x", lambda a: 20 // a),
        ("x % 3", lambda a: a % 3),
        ("x % -3", lambda a: a % -3),
        ("20 % x", lambda a: 20 % a),
        ("x ** 2", lambda a: a**2),
        ("-x", lambda a: -a),
    ],
)
def test_integer_operators_follow_python_semantics(expr, fn):
    x = fg.tensor(INT_X)
    out = eval(expr, {"x": x})
    assert out.dtype == fg.int64
    assert out.tolist() == [fn(a) for a in INT_X]


def test_integer_true_division_gives_float32():
    x = fg.tensor([7, -7, 3])
    out = x / 2
    assert out.dtype == fg.float32
    assert out.tolist() == [3.5, -3.5, 1.5]
    assert (x / fg.tensor([2, 2, 3])).tolist() == pytest.approx([3.5, -3.5, 1.0])


def test_integer_division_by_zero_raises():
    x = fg.tensor([5, -5])
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        x // 0
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        x % fg.tensor([1, 0])


def test_float_division_by_zero_gives_inf_and_nan():
    out = fg.tensor([1.0, -1.0, 0.0]) / 0
    assert out.tolist()[:2] == [math.inf, -math.inf]
    assert math.isnan(out.tolist()[2])


def test_integer_power_with_negative_python_exponent_raises():
    with pytest.raises(RuntimeError, match="Integers to negative integer powers are not allowed"):
        fg.tensor([2, 3]) ** -1


def test_integer_power_with_negative_tensor_exponent_truncates():
    # PyTorch: integer results, 1/b truncated towards zero
    out = fg.tensor([5, -5, 1, -1]) ** fg.tensor([-1, 2, -1, -3])
    assert out.dtype == fg.int64
    assert out.tolist() == [0, 25, 1, -1]


def test_matmul_operator():
    a = fg.tensor([[1.0, 2.0], [3.0, 4.0]])
    b = fg.tensor([[5.0], [6.0]])
    out = a @ b
    assert out.shape == (2, 1)
    assert out.tolist() == [[17.0], [39.0]]
    assert fg.matmul(a, b).tolist() == [[17.0], [39.0]]
    assert a.matmul(b).tolist() == [[17.0], [39.0]]
    i = fg.tensor([[1, 2], [3, 4]])
    assert (i @ i).tolist() == [[7, 10], [15, 22]]
    assert (i @ i).dtype == fg.int64


def test_matmul_shape_mismatch():
    with pytest.raises(RuntimeError, match=r"cannot be multiplied \(2x3 and 2x3\)"):
        fg.ones(2, 3) @ fg.ones(2, 3)


def test_matmul_of_different_dtypes_raises():
    with pytest.raises(RuntimeError):
        fg.ones(2, 2) @ fg.ones(2, 2, dtype=fg.float64)


def test_matmul_with_python_scalar_is_a_type_error():
    with pytest.raises(TypeError):
        fg.ones(2, 2) @ 2


def test_matmul_empty_inner_dimension_gives_zeros():
    out = fg.ones(2, 0) @ fg.ones(0, 3)
    assert out.shape == (2, 3)
    assert out.tolist() == [[0.0] * 3] * 2


COMPARISONS = [
    ("x == 2", lambda a: a == 2),
    ("x != 2", lambda a: a != 2),
    ("x < 2", lambda a: a < 2),
    ("x <= 2", lambda a: a <= 2),
    ("x > 2", lambda a: a > 2),
    ("x >= 2", lambda a: a >= 2),
    ("2 < x", lambda a: a > 2),
    ("2 == x", lambda a: a == 2),
    ("x.eq(2)", lambda a: a == 2),
    ("x.ne(2)", lambda a: a != 2),
    ("x.lt(2)", lambda a: a < 2),
    ("x.le(2)", lambda a: a <= 2),
    ("x.gt(2)", lambda a: a > 2),
    ("x.ge(2)", lambda a: a >= 2),
    ("x == y", lambda a: a == 2),
    ("x.lt(y)", lambda a: a < 2),
    ("fg.eq(x, y)", lambda a: a == 2),
]


@pytest.mark.parametrize(("expr", "fn"), COMPARISONS, ids=[e for e, _ in COMPARISONS])
def test_comparisons_give_bool_tensors(expr, fn):
    x = fg.tensor(X)
    y = fg.tensor([2.0, 2.0, 2.0, 2.0])
    out = eval(expr, {"x": x, "y": y, "fg": fg})
    assert out.dtype == fg.bool
    assert out.tolist() == [fn(a) for a in X]


def test_comparison_of_tensor_requiring_grad_is_not_tracked():
    x = fg.tensor(X, requires_grad=True)
    out = x > 0
    assert not out.requires_grad
    assert out.grad_fn is None


# -- attributes -----------------------------------------------------------------------------


def test_shape_is_a_size_tuple():
    x = fg.ones(2, 3)
    assert isinstance(x.shape, tuple)
    assert type(x.shape) is fg.Size
    assert x.shape == (2, 3)
    assert repr(x.shape) == f"{MOD}.Size([2, 3])"
    assert str(x.shape) == f"{MOD}.Size([2, 3])"
    assert repr(fg.ones(()).shape) == f"{MOD}.Size([])"
    assert repr(fg.Size([2, 2])) == f"{MOD}.Size([2, 2])"
    assert fg.Size([2, 2]) == (2, 2)
    assert x.shape[0] == 2 and x.shape[-1] == 3
    assert type(x.shape[1:]) is fg.Size
    assert x.shape[1:] == (3,)
    assert list(x.shape) == [2, 3]
    assert hash(x.shape) == hash((2, 3))
    assert x.shape.numel() == 6


def test_size_ndim_numel():
    x = fg.ones(2, 3, 4)
    assert x.size() == (2, 3, 4)
    assert type(x.size()) is fg.Size
    assert x.size(1) == 3
    assert x.size(-1) == 4
    assert x.dim() == 3
    assert x.ndim == 3
    assert x.numel() == 24
    s = fg.tensor(5.0)
    assert s.dim() == 0 and s.shape == () and s.numel() == 1
    e = fg.ones(2, 0)
    assert e.numel() == 0 and e.shape == (2, 0)
    with pytest.raises(IndexError):
        x.size(3)


def test_dtype_attribute():
    assert fg.ones(2).dtype == fg.float32
    assert fg.ones(2, dtype=fg.float64).dtype == fg.float64
    assert fg.tensor([1, 2]).dtype == fg.int64
    assert fg.tensor([True]).dtype == fg.bool


def test_item():
    assert fg.tensor(2.5).item() == 2.5
    assert isinstance(fg.tensor(2.5).item(), float)
    assert fg.tensor([[3.0]]).item() == 3.0
    assert fg.tensor(3).item() == 3
    assert isinstance(fg.tensor(3).item(), int)
    assert fg.tensor(True).item() is True
    assert fg.tensor(0.1).item() == float(np.float32(0.1))  # the float32 value, exactly
    with pytest.raises(
        RuntimeError, match="a Tensor with 2 elements cannot be converted to Scalar"
    ):
        fg.ones(2).item()
    with pytest.raises(
        RuntimeError, match="a Tensor with 0 elements cannot be converted to Scalar"
    ):
        fg.ones(0).item()


def test_tolist():
    assert fg.tensor([[1, 2], [3, 4]]).tolist() == [[1, 2], [3, 4]]
    assert fg.tensor(2.5).tolist() == 2.5
    assert fg.tensor([True, False]).tolist() == [True, False]
    assert fg.ones(2, 0).tolist() == [[], []]
    out = fg.tensor([1.5, 2.0]).tolist()
    assert all(type(v) is float for v in out)
    assert all(type(v) is int for v in fg.tensor([1, 2]).tolist())
    assert all(type(v) is bool for v in fg.tensor([True]).tolist())


def test_numpy():
    a = fg.tensor([[1.0, 2.0], [3.0, 4.0]]).numpy()
    assert isinstance(a, np.ndarray)
    assert a.dtype == np.float32
    np.testing.assert_array_equal(a, [[1.0, 2.0], [3.0, 4.0]])
    assert fg.ones(2, dtype=fg.float64).numpy().dtype == np.float64
    assert fg.tensor([1, 2]).numpy().dtype == np.int64
    assert fg.tensor([True]).numpy().dtype == np.bool_
    assert fg.tensor(3.0).numpy().shape == ()
    t = fg.arange(6.0).reshape(2, 3).t()
    np.testing.assert_array_equal(t.numpy(), np.arange(6.0).reshape(2, 3).T)


def test_numpy_shares_memory():
    t = fg.zeros(3)
    a = t.numpy()
    a[0] = 5.0
    assert t.tolist() == [5.0, 0.0, 0.0]


def test_numpy_of_tensor_requiring_grad_raises():
    t = fg.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"Use tensor\.detach\(\)\.numpy\(\) instead"):
        t.numpy()
    with pytest.raises(RuntimeError, match=r"Use tensor\.detach\(\)\.numpy\(\) instead"):
        np.asarray(t)
    np.testing.assert_array_equal(t.detach().numpy(), [1.0, 1.0])


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # PyTorch's __array__ lacks copy=
def test_array_protocol():
    t = fg.tensor([1.0, 2.0], dtype=fg.float64)
    a = np.asarray(t)
    assert a.dtype == np.float64
    np.testing.assert_array_equal(a, [1.0, 2.0])
    b = np.asarray(fg.tensor([1.5, 2.5]), dtype=np.float64)
    assert b.dtype == np.float64
    np.testing.assert_array_equal(b, [1.5, 2.5])
    assert np.array(fg.tensor([[1, 2]])).shape == (1, 2)
    np.testing.assert_allclose(np.sin(np.asarray(fg.tensor([0.0]))), [0.0])


def test_len():
    assert len(fg.ones(4, 2)) == 4
    assert len(fg.ones(0)) == 0
    with pytest.raises(TypeError, match="len\\(\\) of a 0-d tensor"):
        len(fg.tensor(1.0))


def test_iter():
    rows = list(fg.tensor([[1.0, 2.0], [3.0, 4.0]]))
    assert len(rows) == 2
    assert all(r.shape == (2,) for r in rows)
    assert [r.tolist() for r in rows] == [[1.0, 2.0], [3.0, 4.0]]
    elems = list(fg.tensor([1, 2, 3]))
    assert all(e.shape == () for e in elems)
    assert [e.item() for e in elems] == [1, 2, 3]
    with pytest.raises(TypeError, match="iteration over a 0-d tensor"):
        iter(fg.tensor(1.0))


def test_iter_yields_views():
    t = fg.zeros(2, 2)
    for row in t:
        row[0] = 1.0
    assert t.tolist() == [[1.0, 0.0], [1.0, 0.0]]


def test_bool():
    assert bool(fg.tensor([0.5])) is True
    assert bool(fg.tensor(0.0)) is False
    assert bool(fg.tensor(2)) is True
    assert bool(fg.tensor([[False]])) is False
    with pytest.raises(
        RuntimeError, match="Boolean value of Tensor with more than one value is ambiguous"
    ):
        bool(fg.ones(2))
    with pytest.raises(RuntimeError):
        bool(fg.ones(0))
    x = fg.tensor([1.0, 2.0])
    assert (x == x.clone()).all()
    assert not (x > 1.5).all()
    if fg.tensor(3) > 2:
        pass
    else:
        pytest.fail("a one-element true tensor must be truthy in if")


def test_float_and_int():
    assert float(fg.tensor([2.5])) == 2.5
    assert float(fg.tensor(3)) == 3.0
    assert int(fg.tensor(2.7)) == 2
    assert int(fg.tensor(-2.7)) == -2  # truncation, like Python's int()
    assert int(fg.tensor([[7]])) == 7
    with pytest.raises(
        ValueError, match="only one element tensors can be converted to Python scalars"
    ):
        float(fg.ones(2))
    with pytest.raises(
        ValueError, match="only one element tensors can be converted to Python scalars"
    ):
        int(fg.ones(2))
    assert math.floor(fg.tensor(2.5).item()) == 2


def test_tensor_as_python_index():
    # __index__ of an integer 0-dim tensor
    assert [10, 20, 30][fg.tensor(1)] == 20


# -- conversions ----------------------------------------------------------------------------


def test_float_double_long_bool_conversions():
    i = fg.tensor([1, 2])
    assert i.float().dtype == fg.float32
    assert i.double().dtype == fg.float64
    f = fg.tensor([1.5, -2.5, 0.0])
    assert f.long().dtype == fg.int64
    assert f.long().tolist() == [1, -2, 0]  # truncation towards zero
    assert f.bool().tolist() == [True, True, False]
    assert f.double().tolist() == [1.5, -2.5, 0.0]
    assert fg.tensor([True, False]).float().tolist() == [1.0, 0.0]


def test_to_dtype():
    i = fg.tensor([1, 0, 3])
    out = i.to(fg.float64)
    assert out.dtype == fg.float64
    assert out.tolist() == [1.0, 0.0, 3.0]
    assert i.to(dtype=fg.bool).tolist() == [True, False, True]
    assert fg.tensor([1.7]).to(fg.int64).tolist() == [1]
    assert i.to("cpu", fg.float32).dtype == fg.float32
    assert fg.tensor([1.25], dtype=fg.float64).to(fg.float32).tolist() == [1.25]


def test_to_same_dtype_returns_self():
    t = fg.ones(2)
    assert t.to(fg.float32) is t
    assert t.float() is t


def test_conversion_keeps_the_graph():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    d = x.to(fg.float64)
    assert d.requires_grad
    (d * d).sum().backward()
    assert x.grad.dtype == fg.float32
    assert x.grad.tolist() == [2.0, 4.0]


def test_type_as():
    assert fg.tensor([1.7]).type_as(fg.tensor([1])).tolist() == [1]
    assert fg.tensor([1, 2]).type_as(fg.ones(1, dtype=fg.float64)).dtype == fg.float64


def test_clone_copies():
    t = fg.tensor([1.0, 2.0])
    c = t.clone()
    c[0] = 9.0
    assert t.tolist() == [1.0, 2.0]
    assert c.tolist() == [9.0, 2.0]
    assert c.dtype == t.dtype and c.shape == t.shape
    x = fg.tensor([1.0], requires_grad=True)
    cx = x.clone()
    assert cx.requires_grad and not cx.is_leaf
    (cx * 3).sum().backward()
    assert x.grad.tolist() == [3.0]


# -- creation -------------------------------------------------------------------------------


def test_tensor_from_scalars():
    assert fg.tensor(3).dtype == fg.int64 and fg.tensor(3).shape == ()
    assert fg.tensor(3.0).dtype == fg.float32
    assert fg.tensor(True).dtype == fg.bool
    assert fg.tensor(3.0, dtype=fg.float64).dtype == fg.float64
    assert fg.tensor(2, dtype=fg.float32).item() == 2.0


@pytest.mark.parametrize(
    ("data", "dtype", "shape"),
    [
        ([1, 2, 3], "int64", (3,)),
        ([1.0, 2.0], "float32", (2,)),
        ([True, False], "bool", (2,)),
        ([1, 2.5], "float32", (2,)),
        ([True, 2], "int64", (2,)),
        ([True, 2.0], "float32", (2,)),
        ([[1, 2], [3, 4]], "int64", (2, 2)),
        ([[[1.0]], [[2.0]]], "float32", (2, 1, 1)),
        ((1, 2), "int64", (2,)),
        ([], "float32", (0,)),
        ([[], []], "float32", (2, 0)),
    ],
)
def test_tensor_dtype_inference(data, dtype, shape):
    t = fg.tensor(data)
    assert dtype_name(t) == dtype
    assert t.shape == shape


def test_tensor_from_nested_lists_values():
    t = fg.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert t.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert fg.tensor([[1, 2], [3, 4]], dtype=fg.float64).tolist() == [[1.0, 2.0], [3.0, 4.0]]


@pytest.mark.parametrize("data", [[[1, 2], [3]], [[1], [2, 3]], [[[1, 2]], [[1]]]])
def test_ragged_nested_list_raises_value_error(data):
    with pytest.raises(ValueError, match="expected sequence of length"):
        fg.tensor(data)


def test_tensor_from_numpy_arrays():
    for arr, dtype in [
        (np.array([1.0, 2.0]), fg.float64),
        (np.array([1.0, 2.0], dtype=np.float32), fg.float32),
        (np.array([1, 2], dtype=np.int64), fg.int64),
        (np.array([True, False]), fg.bool),
    ]:
        t = fg.tensor(arr)
        assert t.dtype == dtype
        assert t.tolist() == arr.tolist()
    a = np.zeros((2, 3))
    t = fg.tensor(a)
    a[0, 0] = 1.0  # fg.tensor copies
    assert t.tolist() == [[0.0] * 3] * 2
    assert t.shape == (2, 3)
    nc = np.arange(6.0).reshape(2, 3).T  # non-contiguous source
    assert fg.tensor(nc).tolist() == nc.tolist()


def test_tensor_from_tensor_copies():
    src = fg.tensor([1.0, 2.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyTorch recommends clone().detach()
        t = fg.tensor(src)
    t[0] = 7.0
    assert src.tolist() == [1.0, 2.0]
    assert t.dtype == fg.float32


def test_tensor_requires_grad_and_dtype_kwargs():
    t = fg.tensor([1, 2], dtype=fg.float64, requires_grad=True)
    assert t.dtype == fg.float64 and t.requires_grad and t.is_leaf


@pytest.mark.parametrize("name", ["ones", "zeros", "empty", "rand", "randn"])
def test_shape_as_varargs_tuple_list_or_size(name):
    make = getattr(fg, name)
    for args in [(2, 3), ((2, 3),), ([2, 3],), (fg.Size([2, 3]),)]:
        t = make(*args)
        assert t.shape == (2, 3)
        assert t.dtype == fg.float32
    assert make(()).shape == ()
    assert make(0).shape == (0,)
    assert make(2, dtype=fg.float64).dtype == fg.float64
    t = make(2, requires_grad=True)
    assert t.requires_grad and t.is_leaf
    assert make(2, device="cpu").device == fg.device("cpu")


def test_ones_zeros_values():
    assert fg.ones(2, 2).tolist() == [[1.0, 1.0], [1.0, 1.0]]
    assert fg.zeros(3, dtype=fg.int64).tolist() == [0, 0, 0]
    assert fg.ones(2, dtype=fg.bool).tolist() == [True, True]
    with pytest.raises(RuntimeError, match="negative dimension"):
        fg.ones(-1)


def test_full():
    t = fg.full((2, 2), 3)
    assert t.dtype == fg.int64
    assert t.tolist() == [[3, 3], [3, 3]]
    assert fg.full((2,), 3.5).dtype == fg.float32
    assert fg.full((2,), True).dtype == fg.bool
    t = fg.full((2,), 3, dtype=fg.float64)
    assert t.dtype == fg.float64 and t.tolist() == [3.0, 3.0]
    assert fg.full([3], 1.5, requires_grad=True).requires_grad


def test_like_functions():
    i = fg.tensor([1, 2])
    assert fg.ones_like(i).tolist() == [1, 1]
    assert fg.ones_like(i).dtype == fg.int64
    z = fg.zeros_like(fg.ones(2, 3, requires_grad=True))
    assert z.shape == (2, 3) and not z.requires_grad
    assert fg.full_like(fg.ones(2), 7).tolist() == [7.0, 7.0]
    assert fg.full_like(i, 2.7).tolist() == [2, 2]  # keeps the int dtype
    assert fg.ones_like(i, dtype=fg.float64).dtype == fg.float64
    assert fg.zeros_like(fg.ones(2), requires_grad=True).requires_grad


def test_empty():
    t = fg.empty(2, 3)
    assert t.shape == (2, 3) and t.dtype == fg.float32
    assert fg.empty(4, dtype=fg.int64).dtype == fg.int64


def test_rand_randn_randint():
    r = fg.rand(10_000)
    assert r.dtype == fg.float32
    assert 0.0 <= r.min().item() and r.max().item() < 1.0
    assert abs(r.mean().item() - 0.5) < 0.02
    n = fg.randn(10_000, dtype=fg.float64)
    assert n.dtype == fg.float64
    assert abs(n.mean().item()) < 0.05
    assert abs(((n * n).mean().item()) - 1.0) < 0.06
    k = fg.randint(3, 6, (1000,))
    assert k.dtype == fg.int64
    assert sorted(set(k.tolist())) == [3, 4, 5]
    k = fg.randint(4, (2, 50))
    assert k.shape == (2, 50)
    assert set(k.flatten().tolist()) <= {0, 1, 2, 3}
    assert fg.randint(0, 3, (2,), dtype=fg.float64).dtype == fg.float64


def test_manual_seed_reproducibility():
    fg.manual_seed(1234)
    a = (fg.rand(5), fg.randn(2, 3), fg.randint(0, 100, (4,)))
    fg.manual_seed(1234)
    b = (fg.rand(5), fg.randn(2, 3), fg.randint(0, 100, (4,)))
    for u, v in zip(a, b, strict=True):
        assert u.tolist() == v.tolist()
    fg.manual_seed(4321)
    c = fg.rand(5)
    assert c.tolist() != a[0].tolist()
    assert fg.rand(5).tolist() != c.tolist()  # the stream advances


def test_arange():
    assert fg.arange(5).tolist() == [0, 1, 2, 3, 4]
    assert fg.arange(5).dtype == fg.int64
    assert fg.arange(1, 4).tolist() == [1, 2, 3]
    assert fg.arange(0, 10, 3).tolist() == [0, 3, 6, 9]
    assert fg.arange(5, 0, -2).tolist() == [5, 3, 1]
    t = fg.arange(0, 1, 0.25)
    assert t.dtype == fg.float32
    assert t.tolist() == [0.0, 0.25, 0.5, 0.75]
    assert fg.arange(5.0).dtype == fg.float32
    assert fg.arange(3, dtype=fg.float64).tolist() == [0.0, 1.0, 2.0]
    assert fg.arange(3.0, requires_grad=True).requires_grad


def test_linspace():
    t = fg.linspace(0, 1, 5)
    assert t.dtype == fg.float32
    assert t.tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert fg.linspace(-1, 1, steps=3).tolist() == [-1.0, 0.0, 1.0]
    assert fg.linspace(0, 1, 1).tolist() == [0.0]
    assert fg.linspace(2, 3, 0).shape == (0,)
    assert fg.linspace(0, 1, 3, dtype=fg.float64).dtype == fg.float64


def test_eye():
    assert fg.eye(3).tolist() == [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    assert fg.eye(2, 3).tolist() == [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    assert fg.eye(2, dtype=fg.int64).tolist() == [[1, 0], [0, 1]]
    assert fg.eye(2, requires_grad=True).requires_grad


# -- dtypes -----------------------------------------------------------------------------------


def test_dtype_objects():
    assert fg.float is fg.float32
    assert fg.double is fg.float64
    assert fg.long is fg.int64
    assert repr(fg.float32) == f"{MOD}.float32"
    assert str(fg.float64) == f"{MOD}.float64"
    assert repr(fg.int64) == f"{MOD}.int64"
    assert repr(fg.bool) == f"{MOD}.bool"
    assert fg.float32 != fg.float64
    assert len({fg.float32, fg.float64, fg.int64, fg.bool}) == 4
    assert fg.float32.is_floating_point and fg.float64.is_floating_point
    assert not fg.int64.is_floating_point and not fg.bool.is_floating_point
    assert fg.float32.itemsize == 4 and fg.float64.itemsize == 8 and fg.int64.itemsize == 8


def test_is_floating_point():
    assert fg.ones(1).is_floating_point()
    assert not fg.tensor([1]).is_floating_point()


def test_default_dtype():
    assert fg.get_default_dtype() is fg.float32
    try:
        fg.set_default_dtype(fg.float64)
        assert fg.get_default_dtype() is fg.float64
        assert fg.ones(2).dtype == fg.float64
        assert fg.tensor([1.5]).dtype == fg.float64
        assert fg.rand(2).dtype == fg.float64
        assert fg.arange(2.0).dtype == fg.float64
        assert (fg.tensor([1, 2]) / 2).dtype == fg.float64
        assert (fg.tensor([1]) + 2.5).dtype == fg.float64
        assert fg.tensor([1]).exp().dtype == fg.float64
        assert fg.tensor([1]).float().dtype == fg.float32  # float() is float32, always
        assert fg.tensor([1, 2]).dtype == fg.int64
        assert (fg.tensor(2.5, dtype=fg.float32) * 2.5).dtype == fg.float32
    finally:
        fg.set_default_dtype(fg.float32)
    assert fg.ones(2).dtype == fg.float32


def test_default_dtype_must_be_floating():
    with pytest.raises(
        TypeError, match="only floating-point types are supported as the default type"
    ):
        fg.set_default_dtype(fg.int64)
    assert fg.get_default_dtype() is fg.float32


# -- dtype promotion --------------------------------------------------------------------------


def make_operand(kind):
    if kind in ("bool", "int", "float"):
        return {"bool": True, "int": 3, "float": 2.5}[kind]
    if kind.endswith("()"):
        return fg.ones((), dtype=DT[operand_kind(kind)[1]])
    return fg.ones(2, dtype=DT[operand_kind(kind)[1]])


PAIRS = sorted(PROMOTION)


@pytest.mark.parametrize(("a", "b"), PAIRS, ids=[f"{a}+{b}" for a, b in PAIRS])
def test_promotion_table_add_mul(a, b):
    expected = DT[PROMOTION[(a, b)]]
    assert (make_operand(a) + make_operand(b)).dtype == expected
    assert (make_operand(a) * make_operand(b)).dtype == expected


@pytest.mark.parametrize(("a", "b"), PAIRS, ids=[f"{a}/{b}" for a, b in PAIRS])
def test_promotion_table_true_divide(a, b):
    expected = DT[true_divide_type(PROMOTION[(a, b)])]
    assert (make_operand(a) / make_operand(b)).dtype == expected


def test_promotion_rule_matches_the_table():
    # the rule used by the property tests is the one the table was taken from
    for (a, b), want in PROMOTION.items():
        assert result_type(operand_kind(a), operand_kind(b)) == want, (a, b)
    assert len(PROMOTION) == len(KINDS) ** 2 - 9


def test_promotion_examples():
    # a 0-dim float64 does not widen a float32 tensor with dimensions
    assert (fg.ones(2) + fg.tensor(1.0, dtype=fg.float64)).dtype == fg.float32
    # but a float64 tensor with dimensions does
    assert (fg.ones(2) + fg.ones(1, dtype=fg.float64)).dtype == fg.float64
    # float64 tensor + float32 0-dim stays float64
    assert (fg.ones(2, dtype=fg.float64) + fg.tensor(1.0)).dtype == fg.float64
    # integer tensor and a Python float: the default float dtype
    assert (fg.tensor([1, 2]) + 2.5).dtype == fg.float32
    assert (fg.tensor([1, 2]) + 2.5).tolist() == [3.5, 4.5]
    # a 0-dim float tensor of a higher category wins over an int tensor with dims
    assert (fg.tensor([1, 2]) * fg.tensor(2.0, dtype=fg.float64)).dtype == fg.float64
    # integer true division
    assert (fg.tensor([1, 2]) / fg.tensor([2, 2])).dtype == fg.float32
    assert (fg.tensor([3]) / 2).tolist() == [1.5]
    # bool arithmetic
    t, f = fg.tensor([True, False]), fg.tensor([True, True])
    assert (t + f).dtype == fg.bool
    assert (t + f).tolist() == [True, True]
    assert (t * f).tolist() == [True, False]
    assert (t + 1).dtype == fg.int64
    assert (t + 1).tolist() == [2, 1]
    assert (t + True).dtype == fg.bool
    # int64 * True stays int64
    assert (fg.tensor([2, 3]) * True).dtype == fg.int64
    assert (fg.tensor([2, 3]) * True).tolist() == [2, 3]
    # Python scalars never widen a tensor of the same category
    assert (fg.ones(2) * 1e300).dtype == fg.float32
    assert (fg.ones(2) * 1e300).tolist() == [math.inf, math.inf]


def test_bool_subtraction_and_negation_raise():
    t = fg.tensor([True, False])
    with pytest.raises(RuntimeError, match="Subtraction, the `-` operator, with two bool tensors"):
        t - t
    with pytest.raises(RuntimeError, match="Subtraction, the `-` operator, with two bool tensors"):
        t - True
    with pytest.raises(RuntimeError, match="Subtraction, the `-` operator, with a bool tensor"):
        fg.ones(2) - t
    with pytest.raises(RuntimeError, match="Subtraction, the `-` operator, with a bool tensor"):
        fg.ones(2) - True
    with pytest.raises(RuntimeError, match="Negation, the `-` operator, on a bool tensor"):
        operator.neg(t)


@pytest.mark.parametrize("op", ["a // b", "a % b", "a ** b"])
def test_bool_by_bool_integer_ops_raise(op):
    a = fg.tensor([True, False])
    b = fg.tensor([True, True])
    with pytest.raises(RuntimeError):
        eval(op, {"a": a, "b": b})


def test_float_ops_on_integers_give_float32():
    i = fg.tensor([1, 4])
    assert i.sqrt().dtype == fg.float32
    assert i.sqrt().tolist() == [1.0, 2.0]
    assert i.exp().dtype == fg.float32
    assert fg.tensor([True]).exp().dtype == fg.float32
    assert i.abs().dtype == fg.int64
    assert i.relu().dtype == fg.int64
    assert (-i).dtype == fg.int64
    assert i.clamp(min=2).dtype == fg.int64
    assert i.clamp(min=2.5).dtype == fg.float32
    assert i.clamp(min=2.5).tolist() == [2.5, 4.0]


def test_reduction_dtypes():
    i = fg.tensor([1, 2, 3])
    b = fg.tensor([True, True, False])
    assert i.sum().dtype == fg.int64
    assert b.sum().dtype == fg.int64 and b.sum().item() == 2
    assert b.prod().dtype == fg.int64
    assert i.prod().item() == 6
    assert b.amax().dtype == fg.bool
    assert i.amax().dtype == fg.int64
    assert fg.ones(2).all().dtype == fg.bool
    assert i.any().dtype == fg.bool
    with pytest.raises(RuntimeError, match="mean\\(\\): could not infer output dtype"):
        i.mean()
    with pytest.raises(RuntimeError):
        i.norm()


def test_maximum_needs_tensors():
    with pytest.raises(TypeError):
        fg.maximum(fg.ones(2), 2.0)
    out = fg.maximum(fg.tensor([1, 5]), fg.tensor([2.5, 0.5]))
    assert out.dtype == fg.float32
    assert out.tolist() == [2.5, 5.0]


# -- views share storage ----------------------------------------------------------------------

# (ferrograd expression on x, the same view in NumPy on n); x is arange(12.).reshape(3, 4)
VIEWS = [
    ("x.reshape(4, 3)", "n.reshape(4, 3)"),
    ("x.reshape(-1)", "n.reshape(-1)"),
    ("x.view(12)", "n.reshape(12)"),
    ("x.view(2, 6)", "n.reshape(2, 6)"),
    ("x.view(2, -1)", "n.reshape(2, -1)"),
    ("x.transpose(0, 1)", "n.transpose(1, 0)"),
    ("x.t()", "n.T"),
    ("x.T", "n.T"),
    ("x.permute(1, 0)", "n.transpose(1, 0)"),
    ("x[None].squeeze(0)", "n[None].squeeze(0)"),
    ("x[:, None].squeeze()", "n[:, None].squeeze()"),
    ("x.unsqueeze(1)", "n[:, None]"),
    ("x.unsqueeze(-1)", "n[..., None]"),
    ("x.flatten()", "n.reshape(-1)"),
    ("x.contiguous()", "n"),
    ("x[0]", "n[0]"),
    ("x[-1]", "n[-1]"),
    ("x[1:3]", "n[1:3]"),
    ("x[:, ::2]", "n[:, ::2]"),
    ("x[::2, 1::2]", "n[::2, 1::2]"),
    ("x[None]", "n[None]"),
    ("x[..., 0]", "n[..., 0]"),
    ("x[-1, 1:]", "n[-1, 1:]"),
    ("x[1, 2]", "n[1, 2, ...]"),  # a 0-dim view
    ("x[:, 1].unsqueeze(0)", "n[:, 1][None]"),
    ("x.t()[1:3].reshape(2, 3)[:, 0]", "n.T[1:3][:, 0]"),
]


def base_pair():
    return fg.arange(12.0).reshape(3, 4), np.arange(12.0).reshape(3, 4)


@pytest.mark.parametrize(("expr", "np_expr"), VIEWS, ids=[e for e, _ in VIEWS])
def test_view_has_the_right_values(expr, np_expr):
    x, n = base_pair()
    v = eval(expr, {"x": x})
    nv = eval(np_expr, {"n": n})
    assert v.shape == nv.shape
    assert v.tolist() == nv.tolist()


@pytest.mark.parametrize(("expr", "np_expr"), VIEWS, ids=[e for e, _ in VIEWS])
def test_writing_through_a_view_shows_in_the_base(expr, np_expr):
    x, n = base_pair()
    v = eval(expr, {"x": x})
    v.add_(100)
    nv = eval(np_expr, {"n": n})
    nv += 100
    assert x.tolist() == n.tolist()


@pytest.mark.parametrize(("expr", "np_expr"), VIEWS, ids=[e for e, _ in VIEWS])
def test_writing_the_base_shows_in_the_view(expr, np_expr):
    x, n = base_pair()
    v = eval(expr, {"x": x})
    x.mul_(-1)
    n *= -1
    assert v.tolist() == eval(np_expr, {"n": n}).tolist()


def test_setitem_through_view():
    x, _ = base_pair()
    v = x[:, 1:3]
    v[0, 0] = -5.0
    v[1] = fg.tensor([-6.0, -7.0])
    assert x[0, 1].item() == -5.0
    assert x[1].tolist() == [4.0, -6.0, -7.0, 7.0]


def test_expand_shares_storage_with_its_base():
    x = fg.tensor([[1.0, 2.0]])
    e = x.expand(3, 2)
    assert e.shape == (3, 2)
    x[0, 1] = 9.0
    assert e.tolist() == [[1.0, 9.0]] * 3
    assert fg.tensor([1.0, 2.0]).expand(2, -1).tolist() == [[1.0, 2.0]] * 2


def test_view_of_view_chain_writes_back():
    x, n = base_pair()
    v = x.t().unsqueeze(0)[0, 1:, ::2]
    v.zero_()
    n.T[1:, ::2] = 0
    assert x.tolist() == n.tolist()


@pytest.mark.parametrize(
    "expr", ["x.t().contiguous()", "x.t().reshape(12)", "x.t().flatten()", "x.clone()"]
)
def test_copies_do_not_share_storage(expr):
    x, n = base_pair()
    c = eval(expr, {"x": x})
    c.add_(100)
    assert x.tolist() == n.tolist()


def test_view_of_non_contiguous_needs_reshape():
    x, _ = base_pair()
    with pytest.raises(RuntimeError, match=r"Use \.reshape\(\.\.\.\) instead"):
        x.t().view(12)


def test_view_errors():
    x, _ = base_pair()
    with pytest.raises(RuntimeError, match="invalid for input of size 12"):
        x.reshape(5, 3)
    with pytest.raises(RuntimeError, match="invalid for input of size 12"):
        x.view(-1, 5)
    with pytest.raises(RuntimeError):
        x.expand(2, 4)
    with pytest.raises(IndexError):
        x[3]
    with pytest.raises(IndexError):
        x.permute(0, 2)


# -- devices ----------------------------------------------------------------------------------


def test_device_objects():
    d = fg.device("cpu")
    assert repr(d) == "device(type='cpu')"
    assert str(d) == "cpu"
    assert d.type == "cpu"
    assert d.index is None
    assert d == fg.device("cpu")
    assert fg.device("cpu:0").index == 0
    with pytest.raises(RuntimeError):
        fg.device("nowhere")


def test_tensor_device():
    t = fg.ones(2, device="cpu")
    assert t.device == fg.device("cpu")
    assert repr(t.device) == "device(type='cpu')"
    assert fg.ones(2, device=fg.device("cpu")).device.type == "cpu"
    assert fg.tensor([1.0], device="cpu").device.type == "cpu"
    assert t.is_cpu
    assert t.to("cpu") is t
    assert t.to(fg.device("cpu")) is t
    assert t.cpu() is t
    assert t.to("cpu", fg.float64).dtype == fg.float64


def test_default_device():
    assert fg.get_default_device() == fg.device("cpu")
    try:
        fg.set_default_device("cpu")
        assert fg.get_default_device() == fg.device("cpu")
        assert fg.ones(2).device == fg.device("cpu")
    finally:
        fg.set_default_device(None)
    assert fg.get_default_device() == fg.device("cpu")


def test_no_accelerators():
    assert fg.cuda.is_available() is False
    assert fg.accelerator.is_available() is False


@pytest.mark.parametrize(
    "make",
    [
        lambda: fg.ones(2, device="cuda"),
        lambda: fg.tensor([1.0], device="cuda"),
        lambda: fg.ones(2).to("cuda"),
        lambda: fg.ones(2).to(fg.device("cuda")),
        lambda: fg.ones(2).cuda(),
    ],
)
def test_asking_for_cuda_raises(make):
    # PyTorch built without CUDA raises AssertionError("Torch not compiled with CUDA enabled")
    with pytest.raises(AssertionError, match="CUDA"):
        make()


# -- module facts -----------------------------------------------------------------------------


def test_version_is_a_string():
    assert isinstance(fg.__version__, str)
    assert fg.__version__[0].isdigit()
    if IS_TORCH:
        assert fg.__version__.startswith("2.")


@pytest.mark.parametrize("name", ["float32", "float64"])
def test_finfo(name):
    info = fg.finfo(getattr(fg, name))
    ref = np.finfo(name)
    assert info.eps == float(ref.eps)
    assert info.max == float(ref.max)
    assert info.min == float(ref.min)
    assert info.tiny == float(ref.tiny)
    assert info.bits == ref.bits
    assert info.smallest_normal == float(ref.smallest_normal)
    assert info.resolution == 10.0**-ref.precision  # 1e-06 and 1e-15
    assert info.dtype == name


def test_finfo_default_is_float32():
    assert fg.finfo().eps == float(np.finfo(np.float32).eps)


def test_iinfo():
    info = fg.iinfo(fg.int64)
    assert info.max == 2**63 - 1
    assert info.min == -(2**63)
    assert info.bits == 64
    assert info.dtype == "int64"
    with pytest.raises(TypeError):
        fg.iinfo(fg.float32)


# -- shape errors -----------------------------------------------------------------------------


def test_broadcast_mismatch_message_names_both_sizes():
    with pytest.raises(
        RuntimeError,
        match=r"^The size of tensor a \(3\) must match the size of tensor b \(4\) "
        r"at non-singleton dimension 0$",
    ):
        fg.ones(3) + fg.ones(4)
    with pytest.raises(
        RuntimeError,
        # the dimension is counted in the broadcast result, (5, 2, 3) here
        match=r"The size of tensor a \(3\) must match the size of tensor b \(2\) "
        r"at non-singleton dimension 2",
    ):
        fg.ones(2, 3) * fg.ones(5, 2, 2)


def test_broadcasting_shapes():
    assert (fg.ones(3, 1) + fg.ones(4)).shape == (3, 4)
    assert (fg.ones(2, 1, 3) * fg.ones(4, 1)).shape == (2, 4, 3)
    assert (fg.ones(()) + fg.ones(2, 0)).shape == (2, 0)
    assert (fg.ones(1, 0) + fg.ones(3, 1)).shape == (3, 0)
    assert fg.maximum(fg.ones(2, 1), fg.zeros(3)).shape == (2, 3)
