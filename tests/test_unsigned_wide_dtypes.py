"""uint16, uint32 and uint64: PyTorch's "shell" dtypes, with storage, casts, printing
and a few kernels; every other op raises PyTorch's error (values and messages observed
from torch 2.13)."""

import io
import re

import ferrograd as torch
import numpy as np
import pytest

SHELL = [(torch.uint16, "UInt16", 16), (torch.uint32, "UInt32", 32), (torch.uint64, "UInt64", 64)]
SHELL_IDS = ["uint16", "uint32", "uint64"]


@pytest.fixture(params=SHELL, ids=SHELL_IDS)
def shell(request):
    return request.param


def _values(dtype):
    return torch.tensor([1, 2, 3], dtype=dtype)


# --- the dtype objects -------------------------------------------------------------


def test_dtype_attributes(shell):
    dtype, _, bits = shell
    assert not dtype.is_signed
    assert not dtype.is_floating_point
    assert not dtype.is_complex
    assert dtype.itemsize == bits // 8
    assert repr(dtype) == f"ferrograd.uint{bits}"
    assert str(dtype) == f"ferrograd.uint{bits}"
    assert dtype.to_real() is dtype


def test_to_complex_is_refused(shell):
    dtype, kernel, _ = shell
    with pytest.raises(RuntimeError, match=f"Unknown Complex ScalarType for {kernel}"):
        dtype.to_complex()


def test_iinfo(shell):
    dtype, _, bits = shell
    info = torch.iinfo(dtype)
    assert (info.min, info.max, info.bits, info.dtype) == (0, 2**bits - 1, bits, f"uint{bits}")


def test_iinfo_repr():
    assert repr(torch.iinfo(torch.uint16)) == "iinfo(min=0, max=65535, dtype=uint16)"
    assert repr(torch.iinfo(torch.uint32)) == "iinfo(min=0, max=4.29497e+09, dtype=uint32)"
    assert repr(torch.iinfo(torch.uint64)) == "iinfo(min=0, max=1.84467e+19, dtype=uint64)"


def test_element_size_and_legacy_type(shell):
    dtype, kernel, bits = shell
    x = _values(dtype)
    assert x.element_size() == bits // 8
    assert x.nbytes == 3 * bits // 8
    assert x.type() == f"ferrograd.{kernel}Tensor"
    assert x.storage_type() is None


# --- making and printing tensors ----------------------------------------------------


def test_repr(shell):
    dtype, _, bits = shell
    assert repr(_values(dtype)) == f"tensor([1, 2, 3], dtype=ferrograd.uint{bits})"
    assert repr(torch.tensor(5, dtype=dtype)) == f"tensor(5, dtype=ferrograd.uint{bits})"
    assert repr(torch.zeros(0, dtype=dtype)) == f"tensor([], dtype=ferrograd.uint{bits})"


def test_repr_of_large_values():
    big = torch.tensor([-1, 1]).to(torch.uint64)
    assert repr(big) == "tensor([18446744073709551615,                    1], dtype=ferrograd.uint64)"
    wide = torch.tensor([[-1, 1], [2, 3]]).to(torch.uint32)
    assert repr(wide) == (
        "tensor([[4294967295,          1],\n        [         2,          3]], dtype=ferrograd.uint32)"
    )


def test_creation_functions(shell):
    dtype, _, _ = shell
    assert torch.zeros(2, dtype=dtype).tolist() == [0, 0]
    assert torch.ones(2, dtype=dtype).tolist() == [1, 1]
    assert torch.full((2,), 7, dtype=dtype).tolist() == [7, 7]
    assert torch.empty(2, dtype=dtype).dtype is dtype
    assert torch.zeros_like(_values(dtype)).dtype is dtype
    assert _values(dtype).new_zeros(2).dtype is dtype
    assert torch.randint(0, 5, (3,), dtype=dtype).dtype is dtype


def test_negative_numbers_wrap(shell):
    dtype, _, bits = shell
    if bits < 64:  # a uint64 list refuses negative numbers (see below)
        assert torch.tensor([-1], dtype=dtype).tolist() == [2**bits - 1]
    assert torch.full((1,), -1, dtype=dtype).tolist() == [2**bits - 1]
    assert _values(dtype).fill_(-1).tolist() == [2**bits - 1] * 3


@pytest.mark.parametrize("dtype,bits", [(torch.uint16, 16), (torch.uint32, 32)])
def test_numbers_past_the_range_are_refused(dtype, bits):
    with pytest.raises(RuntimeError, match=f"value cannot be converted to type uint{bits} without overflow"):
        torch.tensor([2**bits], dtype=dtype)


def test_uint64_lists_unpack_every_number_unsigned():
    assert torch.tensor([2**63, 2**64 - 1], dtype=torch.uint64).tolist() == [2**63, 2**64 - 1]
    with pytest.raises(OverflowError, match="can't convert negative int to unsigned"):
        torch.tensor([-1], dtype=torch.uint64)
    with pytest.raises(OverflowError, match="int too big to convert"):
        torch.tensor([2**64], dtype=torch.uint64)
    with pytest.raises(TypeError, match="an integer is required"):
        torch.tensor([1.0], dtype=torch.uint64)


def test_lists_past_int64_are_refused_for_narrower_dtypes():
    with pytest.raises(ValueError, match="Overflow when unpacking long long"):
        torch.tensor([2**63], dtype=torch.uint16)


def test_uint64_item_and_tolist_are_unsigned():
    big = torch.tensor([-1]).to(torch.uint64)
    assert big.tolist() == [18446744073709551615]
    assert big[0].item() == 18446744073709551615


# --- casts -----------------------------------------------------------------------


def test_integer_casts_wrap():
    assert torch.tensor([-1, 70000, 2**40]).to(torch.uint16).tolist() == [65535, 4464, 0]
    assert torch.tensor([-1, 70000, 2**40]).to(torch.uint32).tolist() == [4294967295, 70000, 0]
    assert torch.tensor([1e10]).to(torch.uint32).tolist() == [1410065408]
    assert torch.tensor([-1]).to(torch.uint32).long().tolist() == [4294967295]
    assert torch.tensor([65535], dtype=torch.uint16).long().tolist() == [65535]
    assert torch.tensor([-1]).to(torch.uint64).long().tolist() == [-1]
    assert torch.tensor([-1]).to(torch.uint64).to(torch.int32).tolist() == [-1]
    assert torch.tensor([-1]).type(torch.uint16).tolist() == [65535]


def test_float_casts():
    assert torch.tensor([-1.5, 3.7, 1e10]).to(torch.uint16).tolist() == [65535, 3, 0]
    assert torch.tensor([-1.5, 3.7]).to(torch.uint64).tolist() == [18446744073709551615, 3]
    assert torch.tensor([1e10], dtype=torch.float64).to(torch.uint64).tolist() == [10000000000]
    assert torch.tensor([2.0**63], dtype=torch.float64).to(torch.uint64).tolist() == [2**63]
    big = torch.tensor([-1]).to(torch.uint64)
    assert big.double().tolist() == [18446744073709551616.0]
    assert big.float().tolist() == [18446744073709551616.0]
    assert torch.tensor([70000, -1]).to(torch.uint32).double().tolist() == [70000.0, 4294967295.0]
    assert _values(torch.uint16).float().dtype is torch.float32


def test_bool_casts(shell):
    dtype, _, _ = shell
    assert torch.tensor([0, 2], dtype=dtype).bool().tolist() == [False, True]
    assert torch.tensor([True, False]).to(dtype).tolist() == [1, 0]


def test_view_reinterprets_bits():
    assert torch.tensor([-1], dtype=torch.int16).view(torch.uint16).tolist() == [65535]
    assert torch.tensor([-1], dtype=torch.int32).view(torch.uint32).tolist() == [4294967295]
    assert torch.tensor([-1], dtype=torch.int64).view(torch.uint64).tolist() == [18446744073709551615]
    assert _values(torch.uint16).view(torch.uint8).tolist() == [1, 0, 2, 0, 3, 0]
    assert torch.tensor([65535], dtype=torch.uint16).view(torch.int16).tolist() == [-1]
    assert torch.zeros(8, dtype=torch.uint8).view(torch.uint32).tolist() == [0, 0]


def test_numpy_round_trip(shell):
    dtype, _, bits = shell
    array = np.array([1, 2**bits - 1], dtype=f"uint{bits}")
    t = torch.from_numpy(array)
    assert t.dtype is dtype
    assert t.tolist() == [1, 2**bits - 1]
    back = t.numpy()
    assert back.dtype == np.dtype(f"uint{bits}")
    assert back.tolist() == [1, 2**bits - 1]
    assert torch.tensor(np.array([5], dtype=f"uint{bits}")).dtype is dtype
    assert torch.as_tensor(np.array([5], dtype=f"uint{bits}")).tolist() == [5]


def test_save_and_load(shell):
    dtype, _, bits = shell
    buffer = io.BytesIO()
    torch.save(torch.tensor([1, 2**bits - 1], dtype=dtype) if bits < 64 else torch.tensor([1, -1]).to(dtype), buffer)
    buffer.seek(0)
    loaded = torch.load(buffer)
    assert loaded.dtype is dtype
    assert loaded.tolist() == [1, 2**bits - 1]


# --- the kernels PyTorch has ------------------------------------------------------


def test_multiplication_wraps(shell):
    dtype, _, bits = shell
    x = _values(dtype)
    assert (x * 2).tolist() == [2, 4, 6]
    assert (x * 2).dtype is dtype
    assert (x * x).tolist() == [1, 4, 9]
    assert x.clone().mul_(2).tolist() == [2, 4, 6]
    top = torch.tensor([-(2 ** (bits - 1))]).to(dtype)
    assert top.tolist() == [2 ** (bits - 1)]
    assert (top * 2).tolist() == [0]
    assert (top * 3).tolist() == [2 ** (bits - 1)]
    assert (x * torch.tensor(2)).dtype is dtype


def test_division_and_floating_operands_give_floats(shell):
    dtype, _, _ = shell
    x = _values(dtype)
    assert (x / 2).dtype is torch.float32
    assert (x / 2).tolist() == [0.5, 1.0, 1.5]
    assert (x * 1.5).tolist() == [1.5, 3.0, 4.5]
    assert (x * torch.tensor([1.0, 2.0, 3.0])).tolist() == [1.0, 4.0, 9.0]
    assert x.exp().dtype is torch.float32


def test_uint64_division_of_large_values():
    big = torch.tensor([-1]).to(torch.uint64)
    assert (big / 2).tolist() == [9.223372036854775808e18]


def test_equality(shell):
    dtype, _, _ = shell
    x = _values(dtype)
    same = x.clone()
    assert (x == same).tolist() == [True, True, True]
    assert (x == 2).tolist() == [False, True, False]
    assert (x != same).tolist() == [False, False, False]
    assert torch.equal(x, x.clone())


def test_bitwise_and_or_xor(shell):
    dtype, _, _ = shell
    x = _values(dtype)
    assert (x & 1).tolist() == [1, 0, 1]
    assert (x | x).tolist() == [1, 2, 3]
    assert (x ^ x).tolist() == [0, 0, 0]
    assert (x & x).dtype is dtype


def test_sums_are_int64(shell):
    dtype, _, _ = shell
    x = _values(dtype)
    assert x.sum().dtype is torch.int64
    assert x.sum().item() == 6
    assert x.sum(0).item() == 6
    assert x.prod().item() == 6
    assert x.cumsum(0).tolist() == [1, 3, 6]
    assert x.cumsum(0).dtype is torch.int64


def test_sort_orders_unsigned_values():
    x = torch.tensor([2**31 + 5, 1, 2**32 - 1]).to(torch.uint32)
    assert x.sort().values.tolist() == [1, 2**31 + 5, 2**32 - 1]
    assert x.argsort().tolist() == [1, 0, 2]
    big = torch.tensor([-1, 1, 2**62]).to(torch.uint64)
    assert big.sort().values.tolist() == [1, 2**62, 2**64 - 1]
    assert big.sort(descending=True).values.tolist() == [2**64 - 1, 2**62, 1]


def test_shape_ops_and_indexing(shell):
    dtype, _, _ = shell
    x = _values(dtype)
    assert torch.cat([x, x]).tolist() == [1, 2, 3, 1, 2, 3]
    assert torch.stack([x, x]).dtype is dtype
    assert x[1:].tolist() == [2, 3]
    assert x[torch.tensor([0, 2])].tolist() == [1, 3]
    assert x[x != 0].tolist() == [1, 2, 3]
    assert x.reshape(3, 1).t().contiguous().tolist() == [[1, 2, 3]]
    assert x.roll(1).tolist() == [3, 1, 2]
    y = x.clone()
    y[0] = 9
    assert y.tolist() == [9, 2, 3]


def test_where_copy_and_clone(shell):
    dtype, _, _ = shell
    x = _values(dtype)
    assert torch.where(x == 1, x, x).tolist() == [1, 2, 3]
    assert x.clone().copy_(torch.tensor([4, 5, 6])).tolist() == [4, 5, 6]
    assert x.clone().zero_().tolist() == [0, 0, 0]


# --- what PyTorch refuses ---------------------------------------------------------

REFUSED = [
    ("x + x", lambda x: x + x, "add_stub"),
    ("x + 1", lambda x: x + 1, "add_stub"),
    ("x - x", lambda x: x - x, "add_stub"),
    ("x < 2", lambda x: x < 2, "lt_cpu"),
    ("x > y", lambda x: x > x.clone(), "gt_cpu"),
    ("x <= 2", lambda x: x <= 2, "le_cpu"),
    ("x >= 1", lambda x: x >= 1, "ge_cpu"),
    ("max", lambda x: x.max(), "max_all"),
    ("min", lambda x: x.min(), "min_all"),
    ("max(0)", lambda x: x.max(0), "max_cpu"),
    ("amax", lambda x: x.amax(), "max_values_cpu"),
    ("amin", lambda x: x.amin(), "min_values_cpu"),
    ("argmax", lambda x: x.argmax(), "argmax_cpu"),
    ("argmin", lambda x: x.argmin(), "argmin_cpu"),
    ("abs", lambda x: x.abs(), "abs_cpu"),
    ("neg", lambda x: -x, "neg_cpu"),
    ("sign", lambda x: x.sign(), "sign_cpu"),
    ("floor_divide", lambda x: x // 2, "div_floor_cpu"),
    ("trunc division", lambda x: torch.div(x, 2, rounding_mode="trunc"), "div_trunc_cpu"),
    ("remainder", lambda x: x % 2, "remainder_cpu"),
    ("fmod", lambda x: x.fmod(2), "fmod_cpu"),
    ("pow", lambda x: x**2, "pow"),
    ("lshift", lambda x: x << 1, "lshift_cpu"),
    ("rshift", lambda x: x >> 1, "rshift_cpu"),
    ("bitwise_not", lambda x: ~x, "bitwise_not_cpu"),
    ("maximum", lambda x: torch.maximum(x, x), "maximum_cpu"),
    ("clamp", lambda x: x.clamp(0, 2), "clamp_scalar_cpu"),
    ("clamp(min)", lambda x: x.clamp(min=1), "clamp_min_scalar_cpu"),
    ("relu", lambda x: torch.relu(x), "clamp_min_scalar_cpu"),
    ("topk", lambda x: x.topk(1), "topk_cpu"),
    ("kthvalue", lambda x: x.kthvalue(1), "kthvalue_cpu"),
    ("median", lambda x: x.median(), "median_cpu"),
    ("cummax", lambda x: x.cummax(0), "cummax_cpu"),
    ("nonzero", lambda x: x.nonzero(), "nonzero_count_cpu"),
    ("count_nonzero", lambda x: x.count_nonzero(), "nonzero_count_cpu"),
    ("logical_not", lambda x: x.logical_not(), "logical_not_cpu"),
    ("logical_and", lambda x: x.logical_and(x), "logical_and_cpu"),
    ("flip", lambda x: x.flip(0), "flip_cpu"),
    ("tril", lambda x: x.view(1, 3).tril(), "tril"),
    ("triu", lambda x: x.view(1, 3).triu(), "triu"),
    ("mm", lambda x: x.view(1, 3) @ x.view(3, 1), "addmm_impl_cpu_"),
    ("dot", lambda x: x.dot(x), "dot"),
    ("masked_fill", lambda x: x.masked_fill(x != 0, 9), "masked_fill"),
    ("index_put_", lambda x: x.index_put_((torch.tensor([0]),), torch.tensor([7]).to(x.dtype)), "index_put"),
    ("setitem by mask", lambda x: x.__setitem__(x == 1, 9), "masked_fill"),
    ("setitem by index", lambda x: x.__setitem__(torch.tensor([0]), 9), "index_put"),
    ("gather", lambda x: x.gather(0, torch.tensor([1])), "scatter_gather_tensor_cpu"),
    ("scatter", lambda x: x.scatter(0, torch.tensor([1]), x), "scatter_gather_tensor_cpu"),
    ("scatter value", lambda x: x.scatter(0, torch.tensor([1]), 5), "scatter_gather_scalar_cpu"),
    ("index_select", lambda x: x.index_select(0, torch.tensor([1])), "index_select"),
    ("index_fill", lambda x: x.index_fill(0, torch.tensor([0]), 7), "index_fill_cpu"),
    ("index_add", lambda x: x.index_add(0, torch.tensor([0]), torch.tensor([7]).to(x.dtype)), "index_add_"),
    ("index_copy", lambda x: x.index_copy(0, torch.tensor([0]), torch.tensor([7]).to(x.dtype)), "index_copy_cpu"),
    ("sum(dtype)", lambda x: x.sum(dtype=x.dtype), "sum_cpu"),
    ("cumsum(dtype)", lambda x: x.cumsum(0, dtype=x.dtype), "cumsum_out_cpu"),
    ("cumsum_", lambda x: x.cumsum_(0), "cumsum_out_cpu"),
    ("cumprod_", lambda x: x.cumprod_(0), "cumprod_out_cpu"),
    ("sgn", lambda x: x.sgn(), "sign_cpu"),
    ("masked_select", lambda x: x.masked_select(x != 0), "masked_select"),
    ("bincount", lambda x: x.bincount(), "bincount_cpu"),
    ("histc", lambda x: x.histc(), "aminmax_cpu"),
    ("searchsorted", lambda x: torch.searchsorted(x, x), "searchsorted_out_cpu"),
    ("bucketize", lambda x: torch.bucketize(x, x), "searchsorted_out_cpu"),
    ("addcmul", lambda x: x.addcmul(x, x), "addcmul_cpu_out"),
    ("uniform_", lambda x: x.uniform_(), "check_uniform_bounds"),
    ("bernoulli_", lambda x: x.bernoulli_(0.5), "bernoulli_scalar_cpu_"),
    ("nanmedian", lambda x: x.nanmedian(), "median_cpu"),
    ("nanmedian(0)", lambda x: x.nanmedian(0), "median_out"),
    ("trace", lambda x: x.view(1, 3).trace(), "trace"),
    ("pow 2", lambda x: x.pow(2), "pow"),
    ("2 ** x", lambda x: 2**x, "pow"),
    ("x ** x", lambda x: x**x, "pow"),
    ("put_", lambda x: x.put_(torch.tensor([0]), torch.tensor([7]).to(x.dtype)), "take_put_cpu"),
    ("take", lambda x: x.take(torch.tensor([0])), "take_cpu"),
]


@pytest.mark.parametrize("op", [r[1] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_ops_without_kernels_raise(shell, op):
    dtype, kernel_dtype, _ = shell
    kernel = next(k for _, f, k in REFUSED if f is op)
    with pytest.raises(NotImplementedError, match=re.escape(f'"{kernel}" not implemented for \'{kernel_dtype}\'')):
        op(_values(dtype))


@pytest.mark.parametrize(
    "make",
    [
        lambda d: torch.arange(3, dtype=d),
        lambda d: torch.eye(2, dtype=d),
        lambda d: torch.linspace(0, 3, 4, dtype=d),
        lambda d: torch.randperm(3, dtype=d),
    ],
    ids=["arange", "eye", "linspace", "randperm"],
)
def test_factories_without_kernels_raise(shell, make):
    dtype, kernel_dtype, _ = shell
    with pytest.raises(NotImplementedError, match=f"not implemented for '{kernel_dtype}'"):
        make(dtype)


def test_mean_needs_a_floating_dtype():
    with pytest.raises(RuntimeError, match="could not infer output dtype"):
        _values(torch.uint16).mean()


def test_requires_grad_is_refused():
    with pytest.raises(RuntimeError, match="only Tensors of floating point dtype can require gradients"):
        _values(torch.uint32).requires_grad_()


# --- promotion ----------------------------------------------------------------------

PROMOTION = "Promotion for uint16, uint32, uint64 types is not supported, attempted to promote"


def test_promotion_with_other_integers_is_refused(shell):
    dtype, kernel, _ = shell
    x = _values(dtype)
    with pytest.raises(RuntimeError, match=f"{PROMOTION} {kernel} and Long"):
        x + torch.tensor([1, 2, 3])
    with pytest.raises(RuntimeError, match=f"{PROMOTION} {kernel} and Byte"):
        x * torch.tensor([1, 2, 3], dtype=torch.uint8)
    with pytest.raises(RuntimeError, match=f"{PROMOTION} {kernel} and Bool"):
        x * torch.tensor([True, True, False])
    with pytest.raises(RuntimeError, match=f"{PROMOTION} {kernel} and Byte"):
        _ = x == torch.tensor([1, 2, 3], dtype=torch.uint8)
    with pytest.raises(RuntimeError, match=f"{PROMOTION} Long and {kernel}"):
        torch.where(x == 1, torch.tensor([5, 5, 5]), x)


def test_promote_types(shell):
    dtype, kernel, _ = shell
    assert torch.promote_types(dtype, dtype) is dtype
    assert torch.promote_types(dtype, torch.float32) is torch.float32
    assert torch.promote_types(torch.float16, dtype) is torch.float16
    assert torch.promote_types(dtype, torch.float64) is torch.float64
    for other, name in [(torch.uint8, "Byte"), (torch.bool, "Bool"), (torch.int64, "Long"), (torch.complex64, "ComplexFloat")]:
        with pytest.raises(RuntimeError, match=f"{PROMOTION} {kernel} and {name}"):
            torch.promote_types(dtype, other)


def test_promote_types_between_shell_dtypes_is_refused():
    with pytest.raises(RuntimeError, match=f"{PROMOTION} UInt16 and UInt32"):
        torch.promote_types(torch.uint16, torch.uint32)


def test_result_type(shell):
    dtype, kernel, _ = shell
    x = _values(dtype)
    assert torch.result_type(x, 1) is dtype
    assert torch.result_type(x, True) is dtype
    assert torch.result_type(x, 2.0) is torch.float32
    with pytest.raises(RuntimeError, match=f"{PROMOTION} {kernel} and Long"):
        torch.result_type(x, torch.tensor([1]))


def test_can_cast(shell):
    dtype, _, _ = shell
    assert torch.can_cast(dtype, torch.int64)
    assert torch.can_cast(torch.int64, dtype)
    assert not torch.can_cast(torch.float32, dtype)


def test_dlpack_round_trip(shell):
    dtype, _, bits = shell
    array = np.array([1, 2**bits - 1], dtype=f"uint{bits}")
    t = torch.from_dlpack(array)
    assert t.dtype is dtype
    assert t.tolist() == [1, 2**bits - 1]
    assert torch.from_dlpack(t).tolist() == [1, 2**bits - 1]


def test_pow_that_needs_no_kernel(shell):
    dtype, _, _ = shell
    x = _values(dtype)
    assert (x**0).tolist() == [1, 1, 1]
    assert (x**1).tolist() == [1, 2, 3]
    assert (x**1).dtype is dtype
    assert (1**x).tolist() == [1, 1, 1]
    assert (x**0.5).dtype is torch.float32


def test_count_nonzero_over_a_dim_and_clamp_argument_check(shell):
    dtype, _, _ = shell
    x = _values(dtype)
    assert x.count_nonzero(0).item() == 3
    with pytest.raises(RuntimeError, match="At least one of 'min' or 'max' must not be None"):
        x.clamp()
