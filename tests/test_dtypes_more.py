"""The dtypes beyond float32/float64/int64/bool: int8, uint8, int16, int32, float16 and
bfloat16. Expected values come from NumPy (casts it does as PyTorch does), from exact
arithmetic, or were recorded from PyTorch 2.13 (x86 CPU); this file also passes with
``FG_TEST_BACKEND=torch``.
"""

import math
import os

import numpy as np
import pytest
from backend import MOD, fg
from dtype_rules import ALL_ABBREV, ALL_DTYPES, ALL_KINDS, PROMOTE_TYPES_ALL, RESULT_TYPE_ALL
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SETTINGS = settings(
    max_examples=int(os.environ.get("FG_HYPOTHESIS_EXAMPLES", "60")),
    deadline=None,
    database=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow],
)

NEW = ("int8", "uint8", "int16", "int32", "float16", "bfloat16")
NP_OF = {"uint8": np.uint8, "int8": np.int8, "int16": np.int16, "int32": np.int32, "int64": np.int64}
NP_OF.update({"float16": np.float16, "float32": np.float32, "float64": np.float64, "bool": np.bool_})


def D(name):
    return getattr(fg, name)


def values(t):
    """Elements as Python numbers (bfloat16, which NumPy lacks, widened exactly)."""
    if t.dtype == fg.bfloat16:
        t = t.float()
    return t.tolist()


def bf16_round(a):
    """float32 values rounded to bfloat16 (nearest, ties to even), kept as float32."""
    a = np.asarray(a, dtype=np.float32)
    bits = a.view(np.uint32).astype(np.uint64)
    rounded = ((bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000).astype(np.uint32).view(np.float32)
    return np.where(np.isnan(a), a, rounded)


def same(a, b):
    return np.array_equal(np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64), equal_nan=True)


# -- dtype objects ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, floating, itemsize, signed",
    [
        ("int8", False, 1, True),
        ("uint8", False, 1, False),
        ("int16", False, 2, True),
        ("int32", False, 4, True),
        ("float16", True, 2, True),
        ("bfloat16", True, 2, True),
        ("bool", False, 1, False),
    ],
)
def test_dtype_objects(name, floating, itemsize, signed):
    d = D(name)
    assert repr(d) == f"{MOD}.{name}"
    assert d.is_floating_point is floating
    assert d.itemsize == itemsize
    assert d.is_signed is signed


def test_dtype_aliases():
    assert fg.short is fg.int16
    assert fg.int is fg.int32
    assert fg.half is fg.float16
    assert fg.long is fg.int64


def test_finfo_and_iinfo():
    h = fg.finfo(fg.float16)
    assert (h.bits, h.eps, h.max, h.tiny, h.resolution) == (16, 0.0009765625, 65504.0, 6.103515625e-05, 0.001)
    b = fg.finfo(fg.bfloat16)
    assert (b.bits, b.eps, b.max, b.tiny, b.resolution) == (16, 0.0078125, 3.3895313892515355e38, 1.1754943508222875e-38, 0.01)
    assert b.min == -3.3895313892515355e38
    assert b.dtype == "bfloat16"
    for name, lo, hi, bits in [("int8", -128, 127, 8), ("uint8", 0, 255, 8), ("int16", -32768, 32767, 16), ("int32", -(2**31), 2**31 - 1, 32)]:
        i = fg.iinfo(D(name))
        assert (i.min, i.max, i.bits, i.dtype) == (lo, hi, bits, name)


# -- promotion ----------------------------------------------------------------------------


def test_promote_types_table():
    for (a, b), expected in PROMOTE_TYPES_ALL.items():
        assert fg.promote_types(D(a), D(b)) is D(expected), (a, b)


def _operand(kind):
    if kind == "bool":
        return True
    if kind == "int":
        return 3
    if kind == "float":
        return 2.5
    if kind.endswith("()"):
        return fg.ones((), dtype=D(ALL_ABBREV[kind[:-2]]))
    return fg.ones(2, dtype=D(ALL_ABBREV[kind]))


def test_result_type_table():
    assert len(RESULT_TYPE_ALL) == 23 * 23 - 9
    for (a, b), expected in RESULT_TYPE_ALL.items():
        assert fg.result_type(_operand(a), _operand(b)) is D(expected), (a, b)


@pytest.mark.parametrize("a", [k for k in ALL_KINDS if k not in ("bool", "int", "float")])
def test_addition_has_the_promoted_dtype(a):
    for b in ALL_KINDS:
        x, y = _operand(a), _operand(b)
        if (a, b) == ("b", "b") or {a, b} <= {"b", "b()", "bool"}:
            continue
        assert (x + y).dtype is D(RESULT_TYPE_ALL[(a, b)]), (a, b)


# -- casts --------------------------------------------------------------------------------

INTS = ("uint8", "int8", "int16", "int32", "int64")


@SETTINGS
@given(st.lists(st.integers(-(2**63), 2**63 - 1), min_size=1, max_size=12), st.sampled_from(INTS), st.sampled_from(INTS))
def test_int_to_int_casts_wrap_like_numpy(data, src, dst):
    a = np.array(data, dtype=np.int64).astype(NP_OF[src])
    t = fg.tensor(data, dtype=fg.int64).to(D(src))
    assert t.tolist() == a.tolist()
    assert t.to(D(dst)).tolist() == a.astype(NP_OF[dst]).tolist()


@SETTINGS
@given(st.lists(st.integers(-(2**24), 2**24), min_size=1, max_size=12), st.sampled_from(INTS))
def test_int_to_half_casts_round_like_numpy(data, src):
    a = np.array(data, dtype=np.int64).astype(NP_OF[src])
    t = fg.tensor(a.tolist(), dtype=D(src))
    with np.errstate(over="ignore"):
        half = a.astype(np.float16)
    assert same(values(t.half()), half)
    assert same(values(t.bfloat16()), bf16_round(a.astype(np.float32)))


@SETTINGS
@given(st.lists(st.floats(width=32), min_size=1, max_size=12))
def test_float_to_half_and_bfloat16_round_to_nearest_even(data):
    a = np.array(data, dtype=np.float32)
    t = fg.tensor(a)
    with np.errstate(over="ignore"):
        half = a.astype(np.float16)
    assert same(values(t.half()), half)
    assert same(values(t.bfloat16()), bf16_round(a))
    # float64 goes through float32 first, as c10's Half/BFloat16 constructors do
    d = fg.tensor(a.astype(np.float64))
    assert same(values(d.half()), half)


@SETTINGS
@given(st.lists(st.floats(-127.9, 127.9), min_size=1, max_size=12), st.sampled_from(INTS))
def test_in_range_float_to_int_truncates_like_numpy(data, dst):
    a = np.array(data, dtype=np.float32)
    if dst == "uint8":
        a = np.abs(a)
    t = fg.tensor(a)
    assert t.to(D(dst)).tolist() == a.astype(NP_OF[dst]).tolist()
    assert t.half().to(D(dst)).tolist() == a.astype(np.float16).astype(NP_OF[dst]).tolist()


EDGE = [300.0, -300.0, -1.0, -1.5, 2.7, 1e10, -1e10, 3e9, -3e9, math.nan, math.inf, -math.inf, 1e20, 128.0, -129.0, 255.9, 256.0, 65536.5]
# Recorded from PyTorch 2.13 on x86: float32 -> each integer dtype
EDGE_CASTS = {
    "int8": [44, -44, -1, -1, 2, 0, 0, 0, 0, 0, 0, 0, 0, -128, 127, -1, 0, 0],
    "uint8": [44, 212, 255, 255, 2, 0, 0, 0, 0, 0, 0, 0, 0, 128, 127, 255, 0, 0],
    "int16": [300, -300, -1, -1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 128, -129, 255, 256, 0],
    "int32": [300, -300, -1, -1, 2] + [-2147483648] * 8 + [128, -129, 255, 256, 65536],
    "int64": [300, -300, -1, -1, 2, 10000000000, -10000000000, 3000000000, -3000000000] + [-(2**63)] * 4 + [128, -129, 255, 256, 65536],
}


@pytest.mark.parametrize("dst", INTS)
def test_out_of_range_float_to_int_as_pytorch_on_x86(dst):
    assert fg.tensor(EDGE).to(D(dst)).tolist() == EDGE_CASTS[dst]


def test_float16_edge_casts():
    h = fg.tensor(EDGE).half()
    assert h.to(fg.int32).tolist() == [300, -300, -1, -1, 2] + [-2147483648] * 8 + [128, -129, 255, 256, -2147483648]
    assert h.to(fg.uint8).tolist() == [44, 212, 255, 255, 2, 0, 0, 0, 0, 0, 0, 0, 0, 128, 127, 255, 0, 0]
    assert fg.tensor([2**24 + 1, 2049, 65520, -70000]).half().tolist() == [math.inf, 2048.0, math.inf, -math.inf]


@pytest.mark.parametrize("src", ALL_DTYPES)
def test_casts_to_bool_test_nonzero(src):
    t = fg.tensor([0.0, 0.5, -2.0, 3.0]).to(D(src))
    expected = np.array([0.0, 0.5, -2.0, 3.0]).astype(NP_OF.get(src, np.float32)) != 0
    assert t.bool().tolist() == expected.tolist()
    assert fg.tensor([True, False]).to(D(src)).tolist() == [1, 0]


# -- arithmetic ---------------------------------------------------------------------------


def test_fixed_width_wrap_around():
    assert (fg.tensor([127, -128], dtype=fg.int8) + 1).tolist() == [-128, -127]
    assert (fg.tensor([0, 5], dtype=fg.uint8) - 1).tolist() == [255, 4]
    assert (fg.tensor([300], dtype=fg.int16) * fg.tensor([300], dtype=fg.int16)).tolist() == [(90000 + 2**15) % 2**16 - 2**15]
    assert (fg.tensor([2**31 - 1], dtype=fg.int32) + 1).tolist() == [-(2**31)]
    assert (-fg.tensor([-128], dtype=fg.int8)).tolist() == [-128]
    assert fg.tensor([-128], dtype=fg.int8).abs().tolist() == [-128]
    assert (fg.tensor([16], dtype=fg.int8) ** 2).tolist() == [0]
    assert (fg.tensor([44], dtype=fg.int8) == 300).tolist() == [True]  # 300 wraps to 44


def test_narrow_integer_division_and_bitwise():
    a = fg.tensor([-7, 7, -128, 100], dtype=fg.int8)
    b = fg.tensor([2, -2, -1, 3], dtype=fg.int8)
    assert (a // b).tolist() == [-4, -4, -128, 33]
    assert (a % b).tolist() == [1, -1, 0, 1]
    assert fg.fmod(a, b).tolist() == [-1, 1, 0, 1]
    assert (a / b).dtype is fg.float32
    assert fg.div(a, b, rounding_mode="trunc").tolist() == [-3, -3, -128, 33]
    u = fg.tensor([0b1100, 255], dtype=fg.uint8)
    assert (u & 0b1010).tolist() == [8, 10]
    assert (u | 1).tolist() == [13, 255]
    assert (u ^ 255).tolist() == [243, 0]
    assert (~u).tolist() == [243, 0]
    assert (fg.tensor([1], dtype=fg.uint8) + fg.tensor([-1], dtype=fg.int8)).dtype is fg.int16
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        a // fg.zeros(4, dtype=fg.int8)


def test_half_arithmetic_rounds_per_op():
    h = fg.tensor([1 / 3, 0.001], dtype=fg.float16)
    # recorded from PyTorch: a Python float is rounded to float16 before an add, read in
    # float32 by mul
    assert (h + 0.1).tolist() == [0.43310546875, 0.1009521484375]
    assert (h * 0.1).tolist() == [0.0333251953125, 0.00010001659393310547]
    assert (fg.tensor([2049], dtype=fg.int32) + fg.tensor([0.5], dtype=fg.float16)).tolist() == [2048.0]
    b = fg.tensor([7.25, 1 / 3], dtype=fg.bfloat16)
    assert values(b**3) == [380.0, 0.037109375]
    assert (fg.tensor([1.0], dtype=fg.float16) + fg.tensor([1.0], dtype=fg.bfloat16)).dtype is fg.float32


@SETTINGS
@given(st.lists(st.floats(-100, 100, width=16), min_size=1, max_size=10), st.lists(st.floats(-100, 100, width=16), min_size=1, max_size=10))
def test_half_ops_are_float32_ops_rounded(xs, ys):
    n = min(len(xs), len(ys))
    a, b = np.array(xs[:n], dtype=np.float16), np.array(ys[:n], dtype=np.float16)
    ta, tb = fg.tensor(a), fg.tensor(b)
    wa, wb = a.astype(np.float32), b.astype(np.float32)
    with np.errstate(all="ignore"):
        assert same((ta + tb).tolist(), (wa + wb).astype(np.float16))
        assert same((ta * tb).tolist(), (wa * wb).astype(np.float16))
        assert same((ta / tb).tolist(), (wa / wb).astype(np.float16))
        assert same(ta.exp().tolist(), np.exp(wa).astype(np.float16))


# -- reductions ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["int8", "uint8", "int16", "int32", "bool"])
def test_integer_sums_are_int64(name):
    t = fg.tensor([1, 1, 0, 1]).to(D(name))
    assert t.sum().dtype is fg.int64
    assert t.sum().item() == 3
    assert t.cumsum(0).dtype is fg.int64
    assert t.prod().dtype is fg.int64
    assert fg.tensor([100, 100], dtype=fg.int8).sum().item() == 200


def test_mean_of_integers_raises():
    with pytest.raises(RuntimeError, match="mean\\(\\): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Char"):
        fg.tensor([1, 2], dtype=fg.int8).mean()


def test_half_reductions_keep_dtype():
    h = fg.tensor([0.1, 0.2, 0.3], dtype=fg.float16)
    assert h.sum().dtype is fg.float16
    assert h.mean().dtype is fg.float16
    assert h.amax().item() == float(np.float16(0.3))
    assert fg.tensor([1, -5, 3], dtype=fg.int16).amin().tolist() == -5


# -- autograd -----------------------------------------------------------------------------


def test_requires_grad_only_for_floats():
    for name in ("int8", "uint8", "int16", "int32"):
        with pytest.raises(RuntimeError, match="Only Tensors of floating point and complex dtype can require gradients"):
            fg.ones(2, dtype=D(name), requires_grad=True)
    assert fg.ones(2, dtype=fg.float16, requires_grad=True).requires_grad
    assert fg.ones(2, dtype=fg.bfloat16, requires_grad=True).requires_grad


def test_half_backward_matches_float32_rounded():
    data = [1.5, -2.25, 0.1]
    x = fg.tensor(data, dtype=fg.float16, requires_grad=True)
    y = (x * x * 3 + x.exp()).sum()
    y.backward()
    assert x.grad.dtype is fg.float16
    assert type(y.grad_fn).__name__ == "SumBackward0"
    # recorded from PyTorch
    assert x.grad.tolist() == [13.484375, -13.390625, 1.705078125]
    assert y.item() == 27.65625
    # and within float16 rounding of the float32 gradient 6x + exp(x)
    w = np.array(data, dtype=np.float16).astype(np.float32)
    assert np.allclose(x.grad.tolist(), 6 * w + np.exp(w), rtol=2e-3)
    b = fg.tensor(data, dtype=fg.bfloat16, requires_grad=True)
    z = (b.sin() * b).sum()
    z.backward()
    assert values(b.grad) == [1.1015625, 0.63671875, 0.19921875]
    assert z.float().item() == 3.25


def test_cast_to_half_is_differentiable():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    y = x.half()
    assert type(y.grad_fn).__name__ == "ToCopyBackward0"
    (y * 2).sum().backward()
    assert x.grad.dtype is fg.float32
    assert x.grad.tolist() == [2.0, 2.0]


# -- printing -----------------------------------------------------------------------------

# (expression, PyTorch 2.13's repr with "torch." spelled "M.")
REPRS = [
    ("tensor([1, 2], dtype=M.int32)", "tensor([1, 2], dtype=M.int32)"),
    ("tensor([0.1, 0.2], dtype=M.float16)", "tensor([0.1000, 0.2000], dtype=M.float16)"),
    ("tensor([0.1, 0.2], dtype=M.bfloat16)", "tensor([0.1001, 0.2002], dtype=M.bfloat16)"),
    ("tensor([[1.5, -2.25], [1e5, 3]], dtype=M.bfloat16)", "tensor([[ 1.5000e+00, -2.2500e+00],\n        [ 9.9840e+04,  3.0000e+00]], dtype=M.bfloat16)"),
    ("tensor([1e-5, 1.0], dtype=M.float16)", "tensor([1.0014e-05, 1.0000e+00], dtype=M.float16)"),
    ("tensor([], dtype=M.int8)", "tensor([], dtype=M.int8)"),
    ("tensor(3, dtype=M.uint8)", "tensor(3, dtype=M.uint8)"),
    ("tensor(2.5, dtype=M.float16)", "tensor(2.5000, dtype=M.float16)"),
    ("tensor([-128, 127], dtype=M.int8)", "tensor([-128,  127], dtype=M.int8)"),
    ("tensor([65504., -65504.], dtype=M.float16)", "tensor([ 65504., -65504.], dtype=M.float16)"),
    ("tensor([float('inf'), float('nan'), 1.], dtype=M.bfloat16)", "tensor([inf, nan, 1.], dtype=M.bfloat16)"),
    ("arange(12, dtype=M.int16).reshape(3, 4)", "tensor([[ 0,  1,  2,  3],\n        [ 4,  5,  6,  7],\n        [ 8,  9, 10, 11]], dtype=M.int16)"),
    ("ones(2, dtype=M.float16, requires_grad=True)", "tensor([1., 1.], dtype=M.float16, requires_grad=True)"),
    ("ones(2, dtype=M.float16, requires_grad=True).mul(2)", "tensor([2., 2.], dtype=M.float16, grad_fn=<MulBackward0>)"),
    ("zeros(2, 3, dtype=M.uint8)", "tensor([[0, 0, 0],\n        [0, 0, 0]], dtype=M.uint8)"),
    ("tensor([1/3, 2/3], dtype=M.bfloat16)", "tensor([0.3340, 0.6680], dtype=M.bfloat16)"),
    ("tensor([100000.], dtype=M.float16)", "tensor([inf], dtype=M.float16)"),
]


@pytest.mark.parametrize("expr, expected", REPRS)
def test_repr_matches_pytorch(expr, expected):
    t = eval("fg." + expr.replace("M.", "fg."), {"fg": fg})
    assert repr(t) == expected.replace("M.", MOD + ".")


def test_type_strings():
    names = {"int8": "CharTensor", "uint8": "ByteTensor", "int16": "ShortTensor", "int32": "IntTensor", "float16": "HalfTensor", "bfloat16": "BFloat16Tensor"}
    for name, legacy in names.items():
        t = fg.zeros(1, dtype=D(name))
        assert t.type() == f"{MOD}.{legacy}"
        assert fg.zeros(1).type(D(name)).dtype is D(name)
        assert fg.zeros(1).type(f"torch.{legacy}").dtype is D(name)


def test_conversion_methods():
    t = fg.tensor([1.7, -2.5])
    assert t.int().dtype is fg.int32 and t.int().tolist() == [1, -2]
    assert t.short().dtype is fg.int16
    assert t.char().dtype is fg.int8
    assert t.byte().dtype is fg.uint8 and t.byte().tolist() == [1, 254]
    assert t.half().dtype is fg.float16
    assert t.bfloat16().dtype is fg.bfloat16
    assert t.to(fg.int16).dtype is fg.int16
    assert t.to(dtype=fg.half).tolist() == [1.7001953125, -2.5]
    assert fg.tensor(3, dtype=fg.int8).item() == 3
    assert fg.tensor(0.1, dtype=fg.bfloat16).item() == 0.10009765625
    assert isinstance(fg.tensor(3, dtype=fg.uint8).item(), int)


# -- view(dtype) ----------------------------------------------------------------------------


def test_view_dtype_reinterprets_bits():
    assert fg.tensor([1.0, -1.0, 0.5, 3e38]).view(fg.int32).tolist() == [1065353216, -1082130432, 1056964608, 2137108966]
    assert fg.tensor([1, 2, 3, 4], dtype=fg.int8).view(fg.int16).tolist() == [513, 1027]
    assert fg.tensor([256, -1], dtype=fg.int16).view(fg.uint8).tolist() == [0, 1, 255, 255]
    assert fg.tensor([1.0, -2.0], dtype=fg.float16).view(fg.int16).tolist() == [15360, -16384]
    assert fg.tensor([1.0, -2.0], dtype=fg.bfloat16).view(fg.int16).tolist() == [16256, -16384]
    assert fg.tensor([15360, -16384], dtype=fg.int16).view(fg.float16).tolist() == [1.0, -2.0]
    assert fg.arange(6, dtype=fg.int16).view(fg.int8).shape == (12,)
    assert fg.arange(8, dtype=fg.int16).reshape(2, 4).view(fg.int32).shape == (2, 2)


@pytest.mark.parametrize(
    "make, dtype, message",
    [
        (lambda: fg.tensor(3, dtype=fg.int16), "int32", "self.dim() cannot be 0 to view Short as Int (different element sizes)"),
        (lambda: fg.arange(6, dtype=fg.int16).view(2, 3).t(), "int32", "self.stride(-1) must be 1 to view Short as Int (different element sizes), but got 3"),
        (lambda: fg.arange(3, dtype=fg.int16), "int32", "self.size(-1) must be divisible by 2 to view Short as Int (different element sizes), but got 3"),
        (lambda: fg.tensor(3, dtype=fg.int16), "int8", "self.dim() cannot be 0 to view Short as Char (different element sizes)"),
    ],
)
def test_view_dtype_errors(make, dtype, message):
    with pytest.raises(RuntimeError) as e:
        make().view(D(dtype))
    assert str(e.value) == message


# -- creation ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NEW)
def test_creation_functions(name):
    d = D(name)
    assert fg.zeros(2, 3, dtype=d).dtype is d
    assert fg.ones(2, dtype=d).tolist() == [1, 1]
    assert fg.full((2,), 7, dtype=d).tolist() == [7, 7]
    assert fg.empty(3, dtype=d).shape == (3,)
    assert fg.arange(5, dtype=d).tolist() == [0, 1, 2, 3, 4]
    assert fg.tensor([1, 2], dtype=d).dtype is d
    assert fg.zeros_like(fg.ones(2), dtype=d).dtype is d


@pytest.mark.parametrize("name", ["int8", "uint8", "int16", "int32"])
def test_randint_matches_pytorch(name):
    fg.manual_seed(3)
    t = fg.randint(0, 100, (6,), dtype=D(name))
    assert t.dtype is D(name)
    assert t.tolist() == [86, 48, 37, 67, 60, 80]


def test_rand_and_randn_for_half_types_match_pytorch():
    fg.manual_seed(7)
    assert fg.rand(5, dtype=fg.float16).tolist() == [0.53515625, 0.1988525390625, 0.6591796875, 0.65673828125, 0.2327880859375]
    fg.manual_seed(7)
    expected = [-0.8203125, 0.396484375, 0.8984375, -1.390625, -0.1669921875, 0.28515625, -0.640625, -0.89453125, 0.92578125, -0.53515625, -1.15625, -0.4609375, 0.70703125, 1.015625, 0.23046875, 1.09375, -1.5859375, -0.32421875, 1.9296875, -0.330078125, 0.1982421875, -0.08349609375, -0.0234375, 0.1748046875, 2.296875, 0.95703125, -0.66015625, -0.828125, -0.60546875, -1.3984375, 1.296875, 1.640625, -1.0546875, -0.26171875, -0.25, 0.5, 0.259765625]
    assert values(fg.randn(37, dtype=fg.bfloat16)) == expected


def test_fill_values_that_do_not_fit_raise():
    with pytest.raises(RuntimeError, match="value cannot be converted to type int8_t without overflow"):
        fg.full((2,), 300, dtype=fg.int8)
    with pytest.raises(RuntimeError, match="value cannot be converted to type int8 without overflow"):
        fg.tensor([[1, 2], [3, 400]], dtype=fg.int8)
    assert fg.tensor([-1], dtype=fg.uint8).tolist() == [255]
    assert fg.full((1,), 2.7, dtype=fg.int8).tolist() == [2]


# -- NumPy -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["int8", "uint8", "int16", "int32", "float16"])
def test_numpy_round_trip(name):
    a = np.array([[1, 2], [3, 4]], dtype=NP_OF[name])
    t = fg.tensor(a)
    assert t.dtype is D(name)
    out = t.numpy()
    assert out.dtype == a.dtype
    assert np.array_equal(out, a)
    assert np.asarray(t).dtype == a.dtype
    assert fg.from_numpy(a).dtype is D(name)
    assert t.tolist() == a.tolist()


def test_numpy_of_bfloat16_raises():
    t = fg.ones(2, dtype=fg.bfloat16)
    with pytest.raises(TypeError, match="Got unsupported ScalarType BFloat16"):
        t.numpy()
    assert t.tolist() == [1.0, 1.0]


def test_numpy_dtypes_of_narrow_tensors():
    for name, fmt in [("int8", "b"), ("uint8", "B"), ("int16", "h"), ("int32", "i"), ("float16", "e")]:
        t = fg.zeros(3, dtype=D(name))
        assert np.asarray(t).dtype == np.dtype(fmt)


def test_other_ops_keep_narrow_dtypes():
    a = np.array([[1, 2, -3, 7], [0, 100, -5, 12]], dtype=np.int8)
    x = fg.tensor(a)
    with np.errstate(over="ignore"):
        assert (x @ x.t()).tolist() == (a @ a.T).tolist()
    assert (x @ x.t()).dtype is fg.int8
    assert x.sort(1)[0].tolist() == np.sort(a, 1).tolist()
    assert x.topk(2)[0].dtype is fg.int8
    assert fg.cat([x, x]).dtype is fg.int8
    assert x[x > 1].tolist() == a[a > 1].tolist()
    assert x.any().dtype is fg.bool
    u = fg.tensor([[0, 3], [0, 0]], dtype=fg.uint8)
    assert u.any().dtype is fg.uint8 and u.any().item() == 1
    assert u.all(1).tolist() == [0, 0]
    h = np.array([[0.5, 1.5], [2.0, -1.0]], dtype=np.float16)
    assert (fg.tensor(h) @ fg.tensor(h)).tolist() == (h.astype(np.float32) @ h.astype(np.float32)).astype(np.float16).tolist()
    assert fg.where(fg.tensor(h) > 0, fg.tensor(h), 0).dtype is fg.float16


@pytest.mark.parametrize("name", NEW)
def test_pickle_keeps_dtype(name):
    import pickle

    t = fg.tensor([1.5, 0.0, -3.0]).to(D(name))
    u = pickle.loads(pickle.dumps(t))
    assert u.dtype is D(name)
    assert values(u) == values(t)


def test_add_with_alpha_promotes_before_scaling():
    # recorded from PyTorch 2.13: alpha scales the bfloat16 operand after it became float64
    p = fg.tensor([0.499], dtype=fg.float64)
    u = fg.tensor([0.11767578125]).to(fg.bfloat16)
    assert p.add(u, alpha=-0.02).item() == 0.496646484375
    assert p.sub(u, alpha=0.02).item() == 0.496646484375
    q = p.clone()
    q.add_(u, alpha=-0.02)
    assert q.item() == 0.496646484375
