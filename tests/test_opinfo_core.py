"""Regressions from PyTorch's OpInfo samples for core tensor ops (issue 3): each expected
value, shape, dtype, grad_fn name and exception type was observed from PyTorch."""

import math

import ferrograd as torch
import numpy as np
import pytest


def _c128(values):
    return torch.tensor(values, dtype=torch.complex128)


# ---- diff ------------------------------------------------------------------------------


def test_diff_n0_ignores_prepend_and_append():
    x = torch.arange(25.0).reshape(5, 5)
    y = torch.diff(x, 0, 0, torch.ones(1, 5), torch.ones(2, 5))
    assert tuple(y.shape) == (5, 5)
    assert np.array_equal(y.numpy(), x.numpy())
    assert tuple(x.diff(0, 1, None, torch.ones(5, 2)).shape) == (5, 5)


def test_diff_n0_is_a_recorded_copy():
    x = torch.ones(5, dtype=torch.float64, requires_grad=True)
    y = torch.diff(x, 0, 0)
    assert type(y.grad_fn).__name__ == "CopyBackwards"
    y.backward(torch.arange(5.0, dtype=torch.float64))
    assert x.grad.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0]


def test_diff_n0_still_checks_prepend_dims():
    with pytest.raises(RuntimeError, match="same dimension"):
        torch.diff(torch.ones(5, 5), 0, 0, torch.ones(5))


# ---- reflected operators, to, roll, sum_to_size, prod ------------------------------------


def test_rdiv_is_reflected_true_division():
    x = torch.tensor([1.0, 2.0])
    assert x.__rdiv__(3).tolist() == [3.0, 1.5]
    assert x.__rdiv__(torch.tensor([3.0, 4.0])).tolist() == [3.0, 2.0]


@pytest.mark.parametrize("args", [("cpu", torch.float64, True, True), (torch.float64, False, True)])
def test_to_with_copy_records_to_copy(args):
    x = torch.ones(2, 3, dtype=torch.float64, requires_grad=True)
    y = x.to(*args)
    assert y is not x
    assert type(y.grad_fn).__name__ == "ToCopyBackward0"
    y.sum().backward()
    assert x.grad.tolist() == [[1.0] * 3] * 2


def test_roll_of_an_empty_tensor_records_roll():
    x = torch.zeros(0, 0, 0, dtype=torch.float64, requires_grad=True)
    for shifts, dims in ((1, 2), (0, 0), (10000, 1)):
        y = torch.roll(x, shifts, dims)
        assert tuple(y.shape) == (0, 0, 0)
        assert type(y.grad_fn).__name__ == "RollBackward0"


@pytest.mark.parametrize("dtype", [torch.bool, torch.int32, torch.int8, torch.uint8])
def test_sum_to_size_of_nothing_sums_to_int64(dtype):
    assert torch.tensor(1, dtype=dtype).sum_to_size([]).dtype == torch.int64
    assert torch.ones(3, dtype=dtype).sum_to_size(3).dtype == dtype


def test_sum_to_size_to_a_0dim_target_records_sum():
    x = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    y = x.sum_to_size([])
    assert type(y.grad_fn).__name__ == "SumBackward0"
    assert y.item() == 2.0


def test_prod_of_empty_complex_keeps_the_dim():
    x = torch.zeros(0, dtype=torch.complex64)
    y = torch.prod(x, 0, keepdim=True)
    assert tuple(y.shape) == (1,)
    assert y.tolist() == [1 + 0j]
    assert tuple(x.prod(0).shape) == ()


# ---- nonzero of complex ------------------------------------------------------------------


def test_complex_nonzero_counts_imaginary_parts():
    x = torch.tensor([0j, 1j, 1 + 0j, 0j, 1 + 1j])
    assert x.nonzero().tolist() == [[1], [2], [4]]
    assert torch.argwhere(x).tolist() == [[1], [2], [4]]
    assert torch.nonzero_static(x, size=4).tolist() == [[1], [2], [4], [-1]]
    m = torch.tensor([[0j, 2j], [3 + 0j, 0j]], dtype=torch.complex128)
    assert m.nonzero().tolist() == [[0, 1], [1, 0]]


# ---- logaddexp / logcumsumexp of complex ------------------------------------------------


def test_complex_logaddexp_keeps_the_larger_operands_imaginary_part():
    a = _c128([1 + 3j, -2 + 2.5j, 0.5 - 3j, 3 + 3j])
    b = _c128([2 + 3j, -1 - 2.5j, 0.5 + 3j, 1 - 3j])
    want = [2.313261687518223 + 3j, -0.8521591590418862 - 2.809189825056559j,
            1.1830892654862524 - 3.141592653589793j, 3.122728560517204 + 3.0334535491680783j]
    assert np.allclose(torch.logaddexp(a, b).numpy(), want, rtol=1e-12, atol=1e-12)


def test_complex_logaddexp_gradient():
    a = _c128([1 + 3j, -2 + 2.5j, 0.5 - 3j, 3 + 3j]).requires_grad_()
    b = _c128([2 + 3j, -1 - 2.5j, 0.5 + 3j, 1 - 3j]).requires_grad_()
    y = torch.logaddexp(a, b)
    assert type(y.grad_fn).__name__ == "LogaddexpBackward0"
    (y.real.sum() + y.imag.sum() * 0.5).backward()
    want_a = [0.2689414213699951 + 0.13447071068499755j, 0.047100086392256234 + 0.35163545566437016j,
              0.5356366357685696 + 0.1787267284628611j, 0.8692166887519428 + 0.47158868160475315j]
    want_b = [0.7310585786300049 + 0.36552928931500245j, 0.9528999136077438 + 0.14836454433562987j,
              0.46436336423143065 + 0.32127327153713897j, 0.13078331124805712 + 0.028411318395246837j]
    assert np.allclose(a.grad.numpy(), want_a, rtol=1e-10, atol=1e-12)
    assert np.allclose(b.grad.numpy(), want_b, rtol=1e-10, atol=1e-12)


def test_complex_logcumsumexp_accumulates_like_pytorch():
    x = _c128([[1 + 3j, -2 + 2.5j, 0.5 - 3j, 3 + 3j, 1 + 3j]]).requires_grad_()
    y = torch.logcumsumexp(x, 1)
    want = [1 + 3j, 1.0430261277608053 + 2.977134033903333j, 1.4901560784104904 + 3.089306131961322j,
            3.199033700794219 + 3.0161497792679968j, 3.3042017317203247 + 3.0145374794568025j]
    assert np.allclose(y.detach().numpy()[0], want, rtol=1e-12, atol=1e-12)
    assert np.allclose(torch.logcumsumexp(x.detach().T, 0).numpy()[:, 0], want, rtol=1e-12, atol=1e-12)
    assert type(y.grad_fn).__name__ == "LogcumsumexpBackward0"
    (y.real.sum() + y.imag.sum() * 0.5).backward()
    want_grad = [2.7604637366028726 + 1.4251961537198679j, 0.05483495990091597 + 0.08244476073900216j,
                 0.5405288887092978 + 0.13851041212430312j, 1.545070171982932 + 0.8024833663436544j,
                 0.09910224280398133 + 0.05136530707317219j]
    assert np.allclose(x.grad.numpy()[0], want_grad, rtol=1e-10, atol=1e-12)


# ---- masked_fill, mode, index_fill --------------------------------------------------------


def test_masked_fill_broadcasts_input_against_a_broader_mask():
    x = torch.arange(5.0, dtype=torch.float64, requires_grad=True)
    mask = torch.eye(5, dtype=torch.bool)
    y = torch.masked_fill(x, mask, torch.tensor(9.0, dtype=torch.float64))
    assert tuple(y.shape) == (5, 5)
    assert y[1].tolist() == [0.0, 9.0, 2.0, 3.0, 4.0]
    assert type(y.grad_fn).__name__ == "MaskedFillBackward1"
    y.sum().backward()
    assert x.grad.tolist() == [4.0] * 5
    assert tuple(x.detach().masked_fill(mask, 9).shape) == (5, 5)


def test_masked_fill_inplace_refuses_a_broader_mask():
    with pytest.raises(RuntimeError):
        torch.arange(5.0).masked_fill_(torch.eye(5, dtype=torch.bool), 9)


# torch.manual_seed(0); torch.randint(0, 5, (100,)): PyTorch's mode index comes from its sort
_MODE_VALUES = [4, 4, 3, 0, 3, 4, 2, 3, 2, 3, 1, 1, 1, 4, 3, 1, 1, 3, 4, 3, 1, 4, 1, 4, 4, 1, 4, 4, 4, 0, 1, 2, 3, 0,
                0, 0, 2, 4, 1, 3, 3, 3, 1, 4, 1, 2, 3, 0, 2, 1, 0, 4, 3, 1, 1, 0, 3, 1, 1, 2, 4, 1, 3, 4, 0, 0, 3,
                2, 3, 2, 2, 0, 0, 0, 3, 1, 4, 1, 1, 0, 2, 4, 4, 3, 4, 3, 4, 3, 4, 3, 0, 3, 2, 3, 0, 1, 1, 0, 2, 2]


def test_mode_index_follows_pytorchs_sort():
    values, indices = torch.mode(torch.tensor(_MODE_VALUES))
    assert (values.item(), indices.item()) == (3, 39)
    small = torch.mode(torch.tensor([3, 1, 3, 2, 1, 3, 5, 1]))
    assert (small.values.item(), small.indices.item()) == (1, 7)


def test_index_fill_value_gradient_counts_each_slice_once():
    x = torch.arange(25.0, dtype=torch.float64).reshape(5, 5).requires_grad_()
    v = torch.tensor(7.0, dtype=torch.float64, requires_grad=True)
    y = torch.index_fill(x, -1, torch.tensor([0, 2, 0, 4, 2]), v)
    (y * torch.arange(25.0, dtype=torch.float64).reshape(5, 5)).sum().backward()
    assert v.grad.item() == 180.0
    assert x.grad[0].tolist() == [0.0, 1.0, 0.0, 3.0, 0.0]


# ---- gradient, unique_consecutive, hash_tensor --------------------------------------------


def test_gradient_spacing_none_is_unit_spacing():
    x = torch.arange(5.0) ** 2
    (g,) = torch.gradient(x, spacing=None)
    assert g.tolist() == [1.0, 2.0, 4.0, 6.0, 7.0]


def test_gradient_refuses_a_repeated_dim():
    with pytest.raises(RuntimeError, match="dim 1 appears multiple times"):
        torch.gradient(torch.ones(3, 3), spacing=0.1, dim=[1, 1])
    with pytest.raises(RuntimeError, match="dim 1 appears multiple times"):
        torch.gradient(torch.ones(3, 3), spacing=0.1, dim=[1, -1])


def test_unique_consecutive_along_the_empty_dim():
    out, inverse, counts = torch.unique_consecutive(torch.ones(5, 0, 5), return_inverse=True,
                                                    return_counts=True, dim=1)
    assert tuple(out.shape) == (5, 0, 5)
    assert tuple(inverse.shape) == (0,) and inverse.dtype == torch.int64
    assert tuple(counts.shape) == (0,)
    out, _, _ = torch.unique_consecutive(torch.ones(0, 3), return_inverse=True, return_counts=True, dim=0)
    assert tuple(out.shape) == (0, 3)


def test_unique_consecutive_refuses_other_empty_dims():
    with pytest.raises(RuntimeError, match="aren't selected"):
        torch.unique_consecutive(torch.ones(5, 0, 5), dim=2)
    with pytest.raises(RuntimeError, match="more than one"):
        torch.unique_consecutive(torch.ones(0, 0), dim=1)


def test_hash_tensor_of_a_0dim_tensor_with_a_dim():
    x = torch.tensor(1.5)
    for kwargs in ({"dim": 0, "keepdim": True}, {"dim": -1}, {}):
        h = torch.hash_tensor(x, **kwargs)
        assert h.dtype == torch.uint64 and tuple(h.shape) == ()
        assert h.item() == 4609434218613702656
    assert torch.hash_tensor(torch.tensor(7, dtype=torch.int32), -1).item() == 7
    with pytest.raises(IndexError):
        torch.hash_tensor(x, 1)


def test_hash_tensor_of_bfloat16():
    x = torch.tensor([1.5, 2.0, -3.0], dtype=torch.bfloat16)
    assert torch.hash_tensor(x).item() == 13830554455654793216


# ---- histograms and searches --------------------------------------------------------------


_POINTS = [[0.5, 1.0], [2.5, -1.0], [1.5, 0.2], [0.1, 2.9], [2.0, 0.0]]


def test_histogramdd_with_unsorted_tensor_bins_searches_as_pytorch():
    x = torch.tensor(_POINTS)
    bins = [torch.tensor([0.0, 2.0, 1.0, 3.0]), torch.tensor([-1.0, 3.0])]
    assert torch.histogramdd(x, bins).hist.tolist() == [[2.0], [0.0], [3.0]]
    weight = torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0])
    assert torch.histogramdd(x, bins, weight=weight).hist.tolist() == [[5.0], [0.0], [10.0]]


def test_histogramdd_tensor_bins_density():
    x = torch.tensor(_POINTS)
    bins = [torch.tensor([0.0, 1.0, 3.0]), torch.tensor([-1.0, 0.5, 3.0])]
    hist = torch.histogramdd(x, bins, density=True).hist
    assert np.allclose(hist.numpy(), [[0.0, 0.16], [0.2, 0.0]], rtol=1e-6)


def test_histc_bfloat16_bins_in_bfloat16_arithmetic():
    v = torch.tensor([-9.125, -3.296875, 0.050048828125, 4.6875, 9.875, 7.3125, -0.400390625],
                     dtype=torch.bfloat16)
    h = torch.histc(v, 100, -10, 10)
    assert h.dtype == torch.bfloat16
    assert h.nonzero().flatten().tolist() == [4, 33, 48, 50, 73, 86, 99]
    assert torch.histc(v.float(), 100, -10, 10).nonzero().flatten().tolist() == [4, 33, 47, 50, 73, 86, 99]


def test_searchsorted_and_bucketize_bfloat16():
    s = torch.tensor([1.0, 2.5, 3.0, 7.0], dtype=torch.bfloat16)
    q = torch.tensor([0.5, 2.5, 3.1, 8.0], dtype=torch.bfloat16)
    assert torch.searchsorted(s, q).tolist() == [0, 1, 3, 4]
    assert torch.searchsorted(s, q, right=True).tolist() == [0, 2, 3, 4]
    assert torch.bucketize(q, s).tolist() == [0, 1, 3, 4]


# ---- reduced-precision arithmetic and ranges ------------------------------------------------


def test_div_trunc_bfloat16_rounds_the_quotient_first():
    a = torch.tensor([-2.46875, 7.0], dtype=torch.bfloat16)
    b = torch.tensor([-0.11767578125, 2.0], dtype=torch.bfloat16)
    assert torch.div(a, b, rounding_mode="trunc").tolist() == [21.0, 3.0]
    assert a.div(b, rounding_mode="trunc").tolist() == [21.0, 3.0]


def test_logspace_bfloat16():
    assert torch.logspace(0, 4, 4, dtype=torch.bfloat16).tolist() == [1.0, 21.5, 464.0, 9984.0]


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16, torch.int32, torch.int64, torch.float64])
def test_arange_empty_range_with_negative_step(dtype):
    assert tuple(torch.arange(1, 1, -1, dtype=dtype).shape) == (0,)
    assert tuple(torch.arange(1.1, 1.1, -1.0, dtype=dtype).shape) == (0,)
    with pytest.raises(RuntimeError, match="inconsistent with step sign"):
        torch.arange(1, 2, -1, dtype=dtype)


# ---- constant_pad_nd, combinations --------------------------------------------------------


def test_constant_pad_nd_with_a_complex_value():
    x = torch.tensor([[1 + 1j, 2, 3]], requires_grad=True)
    y = torch.constant_pad_nd(x, [1, 2], 1 + 2j)
    assert y.tolist() == [[1 + 2j, 1 + 1j, 2 + 0j, 3 + 0j, 1 + 2j, 1 + 2j]]
    assert type(y.grad_fn).__name__ == "ConstantPadNdBackward0"
    assert torch.constant_pad_nd(x.detach(), [-1, 2], 2j).tolist() == [[2 + 0j, 3 + 0j, 2j, 2j]]
    assert torch.constant_pad_nd(torch.ones(2), [1, 1], 1 + 0j).tolist() == [1.0] * 4
    with pytest.raises(RuntimeError, match="cannot be converted"):
        torch.constant_pad_nd(torch.ones(2), [1, 1], 1 + 2j)


def test_combinations_with_none_records_stack():
    x = torch.tensor([1.0], dtype=torch.float64, requires_grad=True)
    y = torch.combinations(x, 2)
    assert tuple(y.shape) == (0, 2)
    assert type(y.grad_fn).__name__ == "StackBackward0"
    assert tuple(torch.combinations(x, 4).shape) == (0, 4)


# ---- bad inputs -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["bitwise_and", "bitwise_or", "bitwise_xor", "pow"])
def test_two_python_numbers_are_a_type_error(name):
    with pytest.raises(TypeError, match=name):
        getattr(torch, name)(2, 3)


def test_narrow_copy_dim_past_the_end_is_a_runtime_error():
    with pytest.raises(RuntimeError, match="dim"):
        torch.narrow_copy(torch.ones(10, 5, 20), 3, 0, 0)
    with pytest.raises(RuntimeError):
        torch.ones(3).narrow_copy(1, 0, 0)
    with pytest.raises(IndexError):
        torch.narrow_copy(torch.ones(10, 5, 20), -4, 0, 0)


@pytest.mark.parametrize("name", ["index_select", "take", "masked_select"])
def test_out_with_overlapping_elements_is_refused(name):
    y = torch.rand(3, 6)
    out = torch.rand(1, 6).expand(2, 6)
    args = {"index_select": (y, 1, torch.tensor([0, 1])), "take": (y, torch.tensor([0, 1])),
            "masked_select": (y, y > 0.5)}[name]
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor"):
        getattr(torch, name)(*args, out=out)


def test_complex_out_of_another_dtype_is_refused():
    a = torch.ones(2, dtype=torch.float64)
    with pytest.raises(RuntimeError, match="ComplexDouble but got scalar type ComplexFloat"):
        torch.complex(a, a, out=torch.empty(2, dtype=torch.complex64))
    out = torch.empty(2, dtype=torch.complex128)
    assert torch.complex(a, a, out=out) is out
    assert out.tolist() == [1 + 1j, 1 + 1j]
    assert math.isclose(abs(out[0].item()), math.sqrt(2))


# ---- random numbers in float16 / bfloat16 ---------------------------------------------------
# each expected list: PyTorch's values after torch.manual_seed(0)


def test_normal_inplace_float16_partial_block():
    torch.manual_seed(0)
    got = torch.empty(24, dtype=torch.float16).normal_(0.5, 5).tolist()
    assert got == [-5.12890625, -5.26171875, -0.7529296875, -1.6689453125, 4.7421875, 3.9609375, -1.080078125,
                   -10.078125, -6.26171875, -7.98046875, 3.333984375, 4.46875, 3.494140625, -7.27734375,
                   -1.20703125, 9.765625, 4.25, -2.427734375, -0.366943359375, 1.4169921875, 7.4453125,
                   8.4296875, 5.23046875, -3.71875]


def test_normal_inplace_bfloat16_partial_block():
    torch.manual_seed(0)
    got = torch.empty(20, dtype=torch.bfloat16).normal_(0, 1).tolist()
    assert got == [-1.125, -1.15625, -0.25, -0.43359375, -1.3515625, -1.6953125, 0.56640625, 0.79296875,
                   0.59765625, -1.5546875, -0.341796875, 1.8515625, 0.75, -0.5859375, -0.173828125, 0.18359375,
                   1.390625, 1.5859375, 0.9453125, -0.84375]


def test_normal_of_float16_tensors():
    torch.manual_seed(0)
    mean = torch.ones(3, 4, 2, dtype=torch.float16)
    got = torch.normal(mean, mean * 2).flatten().tolist()
    assert got[:8] == [-1.251953125, -1.3046875, 0.4990234375, 0.13232421875, 2.697265625, 2.3828125,
                       0.3681640625, -3.23046875]
    assert got[16:] == [2.5, -0.1708984375, 0.6533203125, 1.3671875, 3.779296875, 4.171875, 2.892578125, -0.6875]


def test_uniform_inplace_bfloat16_never_reaches_to():
    torch.manual_seed(0)
    u = torch.empty(125, dtype=torch.bfloat16).uniform_(1, 2)
    assert u[:5].tolist() == [1.5, 1.765625, 1.0859375, 1.1328125, 1.3046875]
    assert u[51].item() == 1.0  # a draw that rounds up to `to` becomes `from`
    assert u.max().item() == 1.9765625


def test_as_strided_of_complex_checks_the_storage_bounds():
    x = torch.arange(10.0).to(torch.complex64)
    assert torch.as_strided(x, [2, 2], [1, 2], 6).tolist() == [[6 + 0j, 8 + 0j], [7 + 0j, 9 + 0j]]
    with pytest.raises(RuntimeError, match="out of bounds for storage of size 80"):
        torch.as_strided(x, [2, 2], [1, 2], 7)
    with pytest.raises(RuntimeError, match="out of bounds"):
        torch.as_strided(x, [2, 2], [1, 2], 10)


def test_amax_amin_aminmax_with_a_dim_refuse_over_64_dims():
    x = torch.ones([1] * 65)
    for call in (lambda: torch.amax(x, dim=-1), lambda: torch.amin(x, dim=64), lambda: torch.aminmax(x, dim=-1),
                 lambda: x.amax(0)):
        with pytest.raises(RuntimeError, match="only tensors with up to 64 dims are supported"):
            call()
    assert torch.amax(x).item() == 1.0
    assert torch.aminmax(x).max.item() == 1.0


def test_complex_cat_skips_legacy_empty_tensors():
    x = torch.zeros(0, dtype=torch.complex64, requires_grad=True)
    y = torch.ones(5, 5, dtype=torch.complex64, requires_grad=True)
    z = torch.cat([x, y], 1)
    assert tuple(z.shape) == (5, 5)
    assert type(z.grad_fn).__name__ == "CatBackward0"
    z.sum().abs().backward()
    assert y.grad.tolist() == [[1 + 0j] * 5] * 5
    wide = torch.cat([torch.zeros(0, dtype=torch.complex128), torch.ones(2, 2, dtype=torch.complex64)], 1)
    assert wide.dtype == torch.complex128


def test_unique_consecutive_of_bfloat16_keeps_its_dtype():
    x = torch.tensor([1.5, 1.5, -2.0, -2.0, 3.015625, 1.5]).to(torch.bfloat16)
    values, inverse, counts = torch.unique_consecutive(x, return_inverse=True, return_counts=True)
    assert values.dtype == torch.bfloat16
    assert values.float().tolist() == [1.5, -2.0, 3.015625, 1.5]
    assert inverse.tolist() == [0, 0, 1, 1, 2, 3] and counts.tolist() == [2, 2, 1, 1]
    rows = torch.tensor([[1.0, 2.0], [1.0, 2.0], [0.5, 2.0]]).to(torch.bfloat16)
    assert torch.unique_consecutive(rows, dim=0).float().tolist() == [[1.0, 2.0], [0.5, 2.0]]
