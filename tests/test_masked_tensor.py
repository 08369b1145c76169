"""MaskedTensor (`masked.masked_tensor`, `as_masked_tensor`): printing, checks, warnings,
elementwise ops, reductions, shape ops and gradients, expected values hard-coded from
PyTorch 2.13's prototype `torch.masked.MaskedTensor` (runs against torch with
FG_TEST_BACKEND=torch)."""

import math
import subprocess
import sys
import warnings

import numpy as np
import pytest
from backend import IS_TORCH, fg

pytestmark = [pytest.mark.filterwarnings("ignore:The PyTorch API of MaskedTensors:UserWarning"),
              pytest.mark.filterwarnings("ignore:It is not recommended to create a MaskedTensor:UserWarning")]

M = fg.masked


DATA = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
MASK = [[True, False, True], [False, True, True]]
NOT_IMPLEMENTED = "Multiple dispatch failed for '.*aten.{}"


def _mt(requires_grad=False):
    return M.masked_tensor(fg.tensor(DATA), fg.tensor(MASK), requires_grad=requires_grad)


def _check(out, data, mask, dtype=None):
    """`out` is a MaskedTensor with `mask`, and `data` where the mask is True."""
    assert M.is_masked_tensor(out)
    assert out.get_mask().tolist() == mask
    kept = np.asarray(mask, dtype=bool)
    got = out.get_data().detach().numpy()
    np.testing.assert_allclose(got[kept], np.asarray(data, dtype=np.float64)[kept], rtol=1e-6, atol=1e-4)
    if dtype is not None:
        assert out.dtype == dtype


# ---------------------------------------------------------------- creation and printing


def test_creation_warns_that_the_api_is_a_prototype():
    with pytest.warns(UserWarning, match="The PyTorch API of MaskedTensors is in prototype stage"):
        M.masked_tensor(fg.tensor([1.0]), fg.tensor([True]))


def test_data_that_requires_grad_warns():
    data = fg.tensor([1.0, 2.0], requires_grad=True)
    with pytest.warns(UserWarning, match="not recommended to create a MaskedTensor with a tensor that requires_grad"):
        mt = M.masked_tensor(data, fg.tensor([True, False]))
    assert not mt.requires_grad and mt.is_leaf


def test_accessors():
    mt = _mt()
    assert type(mt).__name__ == "MaskedTensor" and isinstance(mt, fg.Tensor)
    assert mt.shape == (2, 3) and mt.dtype == fg.float32 and not mt.requires_grad
    assert mt.get_data().tolist() == DATA and mt.get_mask().tolist() == MASK
    assert not mt.is_sparse and not mt.is_sparse_coo() and not mt.is_sparse_csr()
    assert M.is_masked_tensor(mt) and not M.is_masked_tensor(fg.tensor(DATA))
    assert (len(mt), mt.dim(), mt.numel(), mt.size(1), mt.stride()) == (2, 2, 6, 3, (3, 1))


def test_data_and_mask_are_copied():
    data, mask = fg.tensor(DATA), fg.tensor(MASK)
    mt = M.masked_tensor(data, mask)
    data.add_(1)
    mask.fill_(False)
    assert mt.get_data().tolist() == DATA and mt.get_mask().tolist() == MASK


def test_repr_2d_float():
    assert repr(_mt()) == (
        "MaskedTensor(\n  [\n    [  1.0000,       --,   3.0000],\n    [      --,   5.0000,   6.0000]\n  ]\n)")
    assert str(_mt()) == repr(_mt())


@pytest.mark.parametrize(("data", "mask", "text"), [
    ([0, 1, 2], [True, False, True], "MaskedTensor(\n  [0,       --, 2]\n)"),
    ([True, False], [True, False], "MaskedTensor(\n  [True,       --]\n)"),
    ([123456.5, 1e-5], [True, True], "MaskedTensor(\n  [123456.5000,   0.0000]\n)"),
    ([-1.5, 1e9, math.nan, math.inf], [True] * 4, "MaskedTensor(\n  [ -1.5000, 1000000000.0000,      nan,      inf]\n)"),
    ([-100000, 3], [True, True], "MaskedTensor(\n  [-100000, 3]\n)"),
    (3.5, True, "MaskedTensor(  3.5000, True)"),
    (3.5, False, "MaskedTensor(--, False)"),
    (3, True, "MaskedTensor(3, True)"),
])
def test_repr(data, mask, text):
    assert repr(M.masked_tensor(fg.tensor(data), fg.tensor(mask))) == text


def test_repr_3d():
    mt = M.masked_tensor(fg.zeros(2, 1, 2), fg.tensor([[[True, False]], [[False, True]]]))
    assert repr(mt) == ("MaskedTensor(\n  [\n    [\n      [  0.0000,       --]\n    ],\n"
                        "    [\n      [      --,   0.0000]\n    ]\n  ]\n)")


@pytest.mark.parametrize(("make", "error", "message"), [
    (lambda d, m: M.masked_tensor(d, m[0]), ValueError, "data.dim() must equal mask.dim()"),
    (lambda d, m: M.masked_tensor(d, m.reshape(3, 2)), ValueError, "data.size() must equal mask.size()"),
    (lambda d, m: M.masked_tensor(d, m.float()), TypeError, "mask must have dtype bool."),
    (lambda d, m: M.masked_tensor([1.0], m), TypeError, "data must be a Tensor"),
    (lambda d, m: M.masked_tensor(d, [True]), TypeError, "mask must be a Tensor"),
    (lambda d, m: M.masked_tensor(d.to(fg.uint8), m), TypeError, "uint8 is not supported in MaskedTensor."),
    (lambda d, m: M.masked_tensor(d.to(fg.bfloat16), m), TypeError, "bfloat16 is not supported in MaskedTensor."),
    (lambda d, m: M.masked_tensor(d.to(fg.complex64), m), TypeError, "complex64 is not supported in MaskedTensor."),
    (lambda d, m: M.masked_tensor(d.to_sparse(), m), TypeError, "data and mask must have the same layout."),
    (lambda d, m: M.masked_tensor(M.masked_tensor(d, m), m), TypeError, "data must be a Tensor"),
])
def test_invalid_data_or_mask(make, error, message):
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        make(fg.tensor(DATA), fg.tensor(MASK))


@pytest.mark.parametrize("dtype", ["float16", "float64", "int8", "int16", "int32", "int64", "bool"])
def test_supported_dtypes(dtype):
    mt = M.masked_tensor(fg.tensor(DATA).to(getattr(fg, dtype)), fg.tensor(MASK))
    assert mt.dtype == getattr(fg, dtype)


def test_to_tensor():
    assert _mt().to_tensor(0).tolist() == [[1.0, 0.0, 3.0], [0.0, 5.0, 6.0]]
    assert _mt().to_tensor(-math.inf).tolist() == [[1.0, -math.inf, 3.0], [-math.inf, 5.0, 6.0]]
    ints = M.masked_tensor(fg.tensor([4, 5]), fg.tensor([True, False]))
    assert ints.to_tensor(-1).tolist() == [4, -1]
    assert type(ints.to_tensor(-1)) is fg.Tensor


def test_item_of_a_masked_out_scalar_raises():
    assert _mt().sum().item() == 15.0 and float(_mt().sum()) == 15.0
    with pytest.raises(ValueError, match="expected a mask tensor"):
        M.masked_tensor(fg.tensor(2.0), fg.tensor(False)).item()
    with pytest.raises(RuntimeError, match="more than one value is ambiguous"):
        bool(_mt())


def test_tolist_and_numpy_refused():
    with pytest.raises(RuntimeError, match=r"\.tolist\(\) is not supported for tensor subclasses, got MaskedTensor"):
        _mt().tolist()
    with pytest.raises(RuntimeError, match=r"\.numpy\(\) is not supported for tensor subclasses"):
        _mt().numpy()


# ---------------------------------------------------------------- elementwise ops


@pytest.mark.parametrize(("op", "expected"), [
    (lambda x: x.exp(), [[2.7183, 7.3891, 20.0855], [54.598, 148.4132, 403.4288]]),
    (lambda x: fg.sin(x), [[0.8415, 0, 0.1411], [0, -0.9589, -0.2794]]),
    (lambda x: -x, [[-1, 0, -3], [0, -5, -6]]),
    (lambda x: abs(-x), [[1, 0, 3], [0, 5, 6]]),
    (lambda x: x ** 2, [[1, 0, 9], [0, 25, 36]]),
    (lambda x: x.pow(2), [[1, 0, 9], [0, 25, 36]]),
    (lambda x: x.clamp(2, 5), [[2, 0, 3], [0, 5, 5]]),
    (lambda x: x.clamp(max=4), [[1, 0, 3], [0, 4, 4]]),
    (lambda x: x.sqrt(), [[1, 0, 1.7321], [0, 2.2361, 2.4495]]),
    (lambda x: fg.sigmoid(x), [[0.7311, 0, 0.9526], [0, 0.9933, 0.9975]]),
    (lambda x: (x / 10).logit(), [[-2.1972, 0, -0.8473], [0, 0.0, 0.4055]]),
    (lambda x: x.square(), [[1, 0, 9], [0, 25, 36]]),
    (lambda x: x.round(), [[1, 0, 3], [0, 5, 6]]),
])
def test_unary(op, expected):
    _check(op(_mt()), expected, MASK, fg.float32)


def test_unary_bool_results():
    _check(_mt().isnan(), [[0, 0, 0], [0, 0, 0]], MASK, fg.bool)
    _check(~(_mt() > 2), [[1, 0, 0], [0, 0, 0]], MASK, fg.bool)


def test_unary_refusals():
    with pytest.raises(ValueError, match=r"MaskedTensor unary ops require that len\(kwargs\) == 0"):
        _mt().round(decimals=1)
    with pytest.raises(TypeError, match="MaskedTensor unary ops do not support additional Tensor arguments"):
        _mt().clamp(fg.tensor(2.0))


@pytest.mark.parametrize(("op", "expected"), [
    (lambda x: x + x, [[2, 0, 6], [0, 10, 12]]),
    (lambda x: x + 1, [[2, 0, 4], [0, 6, 7]]),
    (lambda x: 1 + x, [[2, 0, 4], [0, 6, 7]]),
    (lambda x: 2 * x, [[2, 0, 6], [0, 10, 12]]),
    (lambda x: x * x, [[1, 0, 9], [0, 25, 36]]),
    (lambda x: x / 2, [[0.5, 0, 1.5], [0, 2.5, 3]]),
    (lambda x: 1 / x, [[1, 0, 0.3333], [0, 0.2, 0.1667]]),
    (lambda x: x // 2, [[0, 0, 1], [0, 2, 3]]),
    (lambda x: x % 2, [[1, 0, 1], [0, 1, 0]]),
    (lambda x: x + fg.tensor(DATA), [[2, 0, 6], [0, 10, 12]]),
    (lambda x: fg.tensor(DATA) + x, [[2, 0, 6], [0, 10, 12]]),
    (lambda x: fg.tensor(DATA) - x, [[0, 0, 0], [0, 0, 0]]),
    (lambda x: fg.tensor(DATA) / x, [[1, 0, 1], [0, 1, 1]]),
    (lambda x: x + fg.tensor(1.0), [[2, 0, 4], [0, 6, 7]]),
    (lambda x: x + fg.tensor([1.0, 2.0, 3.0]), [[2, 0, 6], [0, 7, 9]]),
    (lambda x: fg.maximum(x, x), [[1, 0, 3], [0, 5, 6]]),
    (lambda x: fg.atan2(x, x), [[0.7854, 0, 0.7854], [0, 0.7854, 0.7854]]),
])
def test_binary(op, expected):
    _check(op(_mt()), expected, MASK, fg.float32)


def test_binary_mask_broadcasts_to_the_result():
    mt = M.masked_tensor(fg.tensor([1.0, 2.0, 3.0]), fg.tensor([True, False, True]))
    _check(mt + fg.tensor(DATA), [[2, 0, 6], [5, 0, 9]], [[True, False, True], [True, False, True]])


def test_binary_dtype_promotion():
    ints = M.masked_tensor(fg.tensor([0, 1, 2]), fg.tensor([True, False, True]))
    _check(ints + 0.5, [0.5, 0, 2.5], [True, False, True], fg.float32)
    _check(ints / 2, [0.0, 0, 1.0], [True, False, True], fg.float32)
    _check(M.masked_tensor(fg.tensor([4, 5]), fg.tensor([True, False])) // 2, [2, 0], [True, False], fg.int64)


@pytest.mark.parametrize(("op", "expected"), [
    (lambda x: x < 3, [[1, 0, 0], [0, 0, 0]]),
    (lambda x: x > 3, [[0, 0, 0], [0, 1, 1]]),
    (lambda x: x <= 3, [[1, 0, 1], [0, 0, 0]]),
    (lambda x: x == 3, [[0, 0, 1], [0, 0, 0]]),
    (lambda x: x != 3, [[1, 0, 0], [0, 1, 1]]),
    (lambda x: fg.eq(x, x), [[1, 0, 1], [0, 1, 1]]),
    (lambda x: (x > 2) & (x < 5), [[0, 0, 1], [0, 0, 0]]),
])
def test_comparisons(op, expected):
    _check(op(_mt()), expected, MASK, fg.bool)


def test_less_than_keeps_its_own_mask_without_checking_the_other():
    other = M.masked_tensor(fg.tensor(DATA), ~fg.tensor(MASK))
    _check(_mt() < other, [[0, 0, 0], [0, 0, 0]], MASK, fg.bool)


@pytest.mark.parametrize("op", [
    lambda x, y: x + y, lambda x, y: x * y, lambda x, y: x == y, lambda x, y: fg.maximum(x, y),
    lambda x, y: x.clone().mul_(y),
])
def test_binary_with_different_masks_raises(op):
    other = M.masked_tensor(fg.tensor(DATA), ~fg.tensor(MASK))
    with pytest.raises(ValueError, match="Input masks must match. If you need support for this, please open an issue"):
        op(_mt(), other)


def test_masks_of_different_dims_do_not_match():
    with pytest.raises(ValueError, match="Input masks must match"):
        _mt() + _mt().sum()


def test_binary_refusals():
    with pytest.raises(ValueError, match=r"len\(kwargs\) must equal 0"):
        fg.sub(_mt(), _mt(), alpha=2)
    with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for -: 'int' and 'MaskedTensor'"):
        1 - _mt()
    with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for \*\* or pow\(\): 'int' and 'MaskedTensor'"):
        2 ** _mt()


def test_in_place_ops_keep_the_mask():
    mt = _mt()
    assert mt.exp_() is mt
    _check(mt, [[2.7183, 0, 20.0855], [0, 148.4132, 403.4288]], MASK)
    mt = _mt()
    mt += 1
    _check(mt, [[2, 0, 4], [0, 6, 7]], MASK)
    mt = _mt()
    assert mt.add_(_mt()) is mt
    _check(mt, [[2, 0, 6], [0, 10, 12]], MASK)
    mt = _mt()
    mt //= 2
    _check(mt, [[0, 0, 1], [0, 2, 3]], MASK)


def test_conversions():
    _check(_mt().double(), DATA, MASK, fg.float64)
    _check(_mt().to(fg.float64), DATA, MASK, fg.float64)
    _check(_mt().int(), DATA, MASK, fg.int32)
    clone = _mt().clone()
    _check(clone, DATA, MASK, fg.float32)
    _check(_mt().detach(), DATA, MASK, fg.float32)
    _check(fg.ones_like(_mt()), [[1, 0, 1], [0, 1, 1]], MASK, fg.float32)


# ---------------------------------------------------------------- reductions


@pytest.mark.parametrize(("op", "data", "mask"), [
    (lambda x: x.sum(), 15.0, True),
    (lambda x: x.sum(0), [1.0, 5.0, 9.0], [True, True, True]),
    (lambda x: x.sum(dim=0), [1.0, 5.0, 9.0], [True, True, True]),
    (lambda x: x.sum(1, keepdim=True), [[4.0], [11.0]], [[True], [True]]),
    (lambda x: fg.sum(x, dim=1), [4.0, 11.0], [True, True]),
    (lambda x: x.sum((0, 1)), 15.0, True),
    (lambda x: x.sum((-1, 0), True), [[15.0]], [[True]]),
    (lambda x: x.mean(), 3.75, True),
    (lambda x: x.amax(1), [3.0, 6.0], [True, True]),
    (lambda x: x.amax(-1), [3.0, 6.0], [True, True]),
    (lambda x: x.amax((0, 1)), 6.0, True),
    (lambda x: x.amin(), 1.0, True),
    (lambda x: x.argmax(), 5.0, True),
    (lambda x: x.argmax(1), [2.0, 2.0], [True, True]),
    (lambda x: x.argmax(1, keepdim=True), [[2.0], [2.0]], [[True], [True]]),
    (lambda x: x.argmin(), 0.0, True),
    (lambda x: x.argmin(1), [0.0, 1.0], [True, True]),
    (lambda x: x.prod(), 90.0, True),
    (lambda x: x.prod(1), [3.0, 30.0], [True, True]),
    (lambda x: x.var(), 4.916666666, True),
    (lambda x: x.var(1), [2.0, 0.5], [True, True]),
    (lambda x: x.var(0), [math.nan, math.nan, 4.5], [True, True, True]),
    (lambda x: x.std(), 2.217355782, True),
    (lambda x: x.std(1, keepdim=True), [[1.414213562], [0.707106781]], [[True], [True]]),
])
def test_reductions(op, data, mask):
    """Float32 results, argmax/argmin included (PyTorch gives them the input's dtype)."""
    out = op(_mt())
    assert M.is_masked_tensor(out) and out.dtype == fg.float32
    assert out.get_mask().tolist() == mask
    np.testing.assert_allclose(out.get_data().numpy(), data, rtol=1e-6)


def test_reduction_with_dtype():
    _check(_mt().mean(1, dtype=fg.float64), [2.0, 5.5], [True, True], fg.float64)
    _check(_mt().sum(1, dtype=fg.float64), [4.0, 11.0], [True, True], fg.float64)


def test_reduction_dtypes():
    ints = M.masked_tensor(fg.arange(6).reshape(2, 3), fg.tensor(MASK))
    assert ints.sum(1).get_data().tolist() == [2, 9] and ints.sum(1).dtype == fg.int64
    bools = M.masked_tensor(fg.ones(2, 3, dtype=fg.bool), fg.tensor(MASK))
    assert bools.sum().get_data().item() == 4 and bools.sum().dtype == fg.int64
    int_argmax = M.masked_tensor(fg.tensor([2, 7, 4]), fg.tensor([True, False, True])).argmax()
    assert int_argmax.get_data().item() == 2 and int_argmax.dtype == fg.int64
    int_prod = M.masked_tensor(fg.tensor([2, 3, 4]), fg.tensor([True, False, True])).prod()
    assert int_prod.get_data().item() == 8 and int_prod.dtype == fg.int64
    int_var = M.masked_tensor(fg.arange(6).reshape(2, 3), fg.tensor(MASK)).var()
    assert int_var.dtype == fg.float32
    np.testing.assert_allclose(int_var.get_data().item(), 4.916666666, rtol=1e-6)
    with pytest.raises(ValueError, match=r"mean\(\): Could not infer output dtype"):
        ints.mean()


def test_all():
    mt = M.masked_tensor(fg.tensor([[True, False, True], [False, True, False]]), fg.tensor(MASK))
    _check(mt.all(0), [1, 1, 0], [True, True, True], fg.bool)
    assert (_mt() > 2).all().get_data().item() is False
    _check((_mt() > 2).all(1), [0, 1], [True, True], fg.bool)
    keep = M.masked_tensor(fg.tensor([[True, False], [False, False]]), fg.tensor([[True, True], [False, True]]))
    _check(keep.all(1, keepdim=True), [[0], [0]], [[True], [True]], fg.bool)


def test_reductions_over_fully_masked_rows_are_masked_out():
    half = M.masked_tensor(fg.tensor(DATA), fg.tensor([[True, True, True], [False, False, False]]))
    for out, value in ((half.sum(1), 6.0), (half.amax(1), 3.0), (half.mean(1), 2.0)):
        assert out.get_mask().tolist() == [True, False]
        assert out.get_data()[0].item() == value
    assert repr(half.sum(1)) == "MaskedTensor(\n  [  6.0000,       --]\n)"
    none = M.masked_tensor(fg.tensor(DATA), fg.zeros(2, 3, dtype=fg.bool))
    assert repr(none.sum()) == "MaskedTensor(--, False)"
    assert math.isnan(none.mean().get_data().item())


def test_reductions_3d_over_several_dims():
    data = fg.arange(24.0).reshape(2, 3, 4)
    _check(M.masked_tensor(data, fg.arange(24).reshape(2, 3, 4) % 3 == 0).sum((0, 2)), [30.0, 24.0, 30.0],
           [True, True, True])
    _check(M.masked_tensor(data, fg.arange(24).reshape(2, 3, 4) % 5 == 0).amin((2, 0), keepdim=True),
           [[[0.0], [5.0], [10.0]]], [[[True], [True], [True]]])


def test_reduction_without_dim_takes_no_keywords():
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'dim'"):
        _mt().sum(dtype=fg.float64)


@pytest.mark.skipif(IS_TORCH, reason="PyTorch's Tensor.norm passes p= to its reduction, which rejects it")
def test_norm():
    out = _mt().norm()
    assert out.get_mask().item() is True
    np.testing.assert_allclose(out.get_data().item(), math.sqrt(1 + 9 + 25 + 36), rtol=1e-6)


@pytest.mark.parametrize(("op", "name"), [
    (lambda x: (x > 2).any(), "any"), (lambda x: fg.log_softmax(x, 1), "_?log_softmax"),
    (lambda x: x.permute(1, 0), "permute"), (lambda x: x.T, "permute"), (lambda x: x.unsqueeze(0).squeeze(0), "squeeze"),
    (lambda x: fg.zeros_like(x), "zeros_like"), (lambda x: x.clone().fill_(1), "fill_"),
    (lambda x: x.index_select(0, fg.tensor([1])), "index_select"), (lambda x: fg.relu(x), "relu"),
    (lambda x: x.unbind(0), "unbind"),
])
def test_ops_masked_tensor_does_not_implement(op, name):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(TypeError, match=NOT_IMPLEMENTED.format(name)):
            op(_mt())
    assert any("is not implemented in __torch_dispatch__ for MaskedTensor" in str(w.message) for w in caught)


# ---------------------------------------------------------------- softmax and where


def test_softmax():
    expected = [[0.1192, 0, 0.8808], [0, 0.2689, 0.7311]]
    _check(fg.softmax(_mt(), -1), expected, MASK, fg.float32)
    _check(fg.nn.functional.softmax(_mt(), 1), expected, MASK, fg.float32)
    _check(_mt().softmax(0), [[1.0, 0, 0.0474], [0, 1.0, 0.9526]], MASK, fg.float32)
    _check(_mt().softmax(1, dtype=fg.float64), expected, MASK, fg.float64)
    assert _mt().softmax(1).get_data().tolist()[0][1] == 0.0


def test_softmax_of_a_fully_masked_row_is_nan():
    mt = M.masked_tensor(fg.tensor(DATA), fg.tensor([[True, True, False], [False, False, False]]))
    data = fg.softmax(mt, 1).get_data()
    np.testing.assert_allclose(data[0].numpy(), [0.2689414, 0.7310586, 0.0], rtol=1e-6)
    assert np.isnan(data[1].numpy()).all()


def test_where():
    other = M.masked_tensor(fg.tensor(DATA) * 10, ~fg.tensor(MASK))
    _check(fg.where(fg.tensor(MASK), _mt(), other), [[1, 20, 3], [40, 5, 6]], [[True] * 3] * 2)
    cond = fg.tensor([[True, True, False], [False, False, True]])
    _check(fg.where(cond, _mt(), fg.tensor(DATA) * 10), [[1, 0, 30], [40, 50, 6]],
           [[True, False, True], [True, True, True]])


# ---------------------------------------------------------------- shape ops and indexing

FLAT_MASK = [True, False, True, False, True, True]


@pytest.mark.parametrize(("op", "data", "mask"), [
    (lambda x: x.reshape(3, 2), [[1, 2], [3, 4], [5, 6]], [[True, False], [True, False], [True, True]]),
    (lambda x: x.reshape(-1), [1, 2, 3, 4, 5, 6], FLAT_MASK),
    (lambda x: x.view(6), [1, 2, 3, 4, 5, 6], FLAT_MASK),
    (lambda x: x.flatten(), [1, 2, 3, 4, 5, 6], FLAT_MASK),
    (lambda x: x.flatten().unflatten(0, (2, 3)), DATA, MASK),
    (lambda x: x.view_as(x), DATA, MASK),
    (lambda x: x.transpose(0, 1), [[1, 4], [2, 5], [3, 6]], [[True, False], [False, True], [True, True]]),
    (lambda x: x.t(), [[1, 4], [2, 5], [3, 6]], [[True, False], [False, True], [True, True]]),
    (lambda x: x.mT, [[1, 4], [2, 5], [3, 6]], [[True, False], [False, True], [True, True]]),
    (lambda x: x.swapaxes(0, 1), [[1, 4], [2, 5], [3, 6]], [[True, False], [False, True], [True, True]]),
    (lambda x: x.select(0, 1), [4, 5, 6], [False, True, True]),
    (lambda x: x[0], [1, 2, 3], [True, False, True]),
    (lambda x: x[0, 0], 1.0, True),
    (lambda x: x[:, 1:], [[2, 3], [5, 6]], [[False, True], [True, True]]),
    (lambda x: x[[1, 0]], [[4, 5, 6], [1, 2, 3]], [[False, True, True], [True, False, True]]),
    (lambda x: x[fg.tensor([True, False])], [[1, 2, 3]], [[True, False, True]]),
    (lambda x: x.narrow(1, 0, 2), [[1, 2], [4, 5]], [[True, False], [False, True]]),
    (lambda x: x.unsqueeze(0), [DATA], [MASK]),
    (lambda x: x[0:1].expand(2, 3), [[1, 2, 3], [1, 2, 3]], [[True, False, True], [True, False, True]]),
    (lambda x: fg.stack([x, x]), [DATA, DATA], [MASK, MASK]),
    (lambda x: fg.cat([x, x]), DATA + DATA, MASK + MASK),
])
def test_shape_ops_apply_to_data_and_mask(op, data, mask):
    out = op(_mt())
    assert out.get_mask().tolist() == mask
    kept = np.asarray(mask, dtype=bool)
    np.testing.assert_array_equal(out.get_data().numpy()[kept], np.asarray(data, dtype=np.float32)[kept])


def test_split_and_chunk():
    for parts in (_mt().split(1), _mt().chunk(2)):
        assert isinstance(parts, tuple) and len(parts) == 2
        assert parts[1].get_mask().tolist() == [[False, True, True]]
    assert repr(_mt()[0, 1]) == "MaskedTensor(--, False)"


# ---------------------------------------------------------------- autograd


def _leaf_grad(op):
    mt = _mt(requires_grad=True)
    op(mt).backward()
    assert M.is_masked_tensor(mt.grad)
    return mt.grad


@pytest.mark.parametrize(("op", "expected"), [
    (lambda x: (x * x).sum(), [[2, 0, 6], [0, 10, 12]]),
    (lambda x: x.exp().sum(1).sum(), [[2.7183, 0, 20.0855], [0, 148.4132, 403.4288]]),
    (lambda x: (fg.softmax(x, 1) * fg.tensor([1.0, 2.0, 3.0])).sum(), [[-0.2100, 0, 0.2100], [0, -0.1966, 0.1966]]),
    (lambda x: x.amax(1).sum(), [[0, 0, 1], [0, 0, 1]]),
    (lambda x: x.mean(), [[0.25, 0, 0.25], [0, 0.25, 0.25]]),
    (lambda x: x.reshape(6).sum(), [[1, 0, 1], [0, 1, 1]]),
    (lambda x: x.var(), [[-1.8333, 0, -0.5], [0, 0.8333, 1.5]]),
    (lambda x: (x + fg.tensor(DATA)).sum(), [[1, 0, 1], [0, 1, 1]]),
    (lambda x: x.to_tensor(0).sum(), [[1, 0, 1], [0, 1, 1]]),
    (lambda x: (x.get_data() * 2).sum(), [[2, 0, 2], [0, 2, 2]]),
    (lambda x: fg.where(fg.tensor(MASK), x, M.masked_tensor(fg.tensor(DATA) * 10, ~fg.tensor(MASK))).sum(),
     [[1, 0, 1], [0, 1, 1]]),
])
def test_leaf_gradient_is_a_masked_tensor(op, expected):
    _check(_leaf_grad(op), expected, MASK, fg.float32)


def test_leaf_flags():
    mt = _mt(requires_grad=True)
    assert mt.requires_grad and mt.is_leaf and mt.grad_fn is None and mt.grad is None
    y = (mt * 2).sum()
    assert y.requires_grad and not y.is_leaf and y.grad_fn is not None
    assert M.is_masked_tensor(y)
    assert not mt.detach().requires_grad and mt.clone().requires_grad
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar outputs"):
        (mt * 2).backward()


def test_as_masked_tensor_keeps_the_data_graph():
    data = fg.tensor(DATA, requires_grad=True)
    with pytest.warns(UserWarning, match="not recommended"):
        mt = M.as_masked_tensor(data, fg.tensor(MASK))
    assert mt.requires_grad and not mt.is_leaf and mt.grad_fn is not None
    (mt * 2).sum().backward()
    kept = np.asarray(MASK)
    np.testing.assert_array_equal(np.asarray(data.grad.get_data() if M.is_masked_tensor(data.grad) else data.grad)
                                  [kept], [2.0] * 4)


def test_gradcheck_through_masked_ops():
    """d/d data of softmax over the kept elements, then a masked sum of squares."""
    mask = fg.tensor(MASK)

    def f(data):
        mt = M.as_masked_tensor(data, mask)
        return (fg.softmax(mt, 1) * mt).sum(1).to_tensor(0.0)

    data = fg.tensor(DATA, dtype=fg.float64, requires_grad=True)
    assert fg.autograd.gradcheck(f, (data,))


def test_gradient_of_masked_softmax_matches_finite_differences():
    mask = fg.tensor(MASK)
    base = np.asarray(DATA, dtype=np.float64)
    weights = fg.tensor([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]], dtype=fg.float64)

    def value(array):
        mt = M.as_masked_tensor(fg.tensor(array, dtype=fg.float64), mask)
        return (fg.softmax(mt, 1) * weights).sum().get_data().item()

    data = fg.tensor(base, requires_grad=True)
    (fg.softmax(M.as_masked_tensor(data, mask), 1) * weights).sum().backward()
    grad = data.grad.get_data() if M.is_masked_tensor(data.grad) else data.grad
    eps = 1e-6
    for i, j in zip(*np.nonzero(np.asarray(MASK))):
        up, down = base.copy(), base.copy()
        up[i, j] += eps
        down[i, j] -= eps
        np.testing.assert_allclose(grad[i, j].item(), (value(up) - value(down)) / (2 * eps), rtol=1e-6, atol=1e-8)


# ---------------------------------------------------------------- masked.* functions on a MaskedTensor


@pytest.mark.parametrize(("op", "expected"), [
    (lambda x, m: M.sum(x, 1, mask=m), [4.0, 11.0]),
    (lambda x, m: M.amax(x, 1, mask=m), [3.0, 6.0]),
    (lambda x, m: M.argmin(x, 1, mask=m), [0.0, 1.0]),
    (lambda x, m: M.cumsum(x, 1, mask=m), [[1.0, 1.0, 4.0], [0.0, 5.0, 11.0]]),
    (lambda x, m: M.norm(x, 2.0, 1, mask=m), [3.16227766, 7.81024968]),
    (lambda x, m: M.softmax(x, 1, mask=m), [[0.11920292, 0.0, 0.88079708], [0.0, 0.26894142, 0.73105858]]),
    (lambda x, m: M.normalize(x, 2.0, 1, mask=m), [[0.31622777, 0.0, 0.9486833], [0.0, 0.6401844, 0.76822128]]),
])
@pytest.mark.parametrize("mask", [None, [[True, True, False], [True, True, True]]])
def test_masked_functions_use_a_masked_tensors_own_mask(op, expected, mask):
    out = op(_mt(), None if mask is None else fg.tensor(mask))
    assert type(out) is fg.Tensor
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-6)


@pytest.mark.parametrize(("op", "mask", "expected"), [
    (M.mean, None, [4.0 / 3, 11.0 / 3]),
    (M.mean, [[True, True, False], [True, True, True]], [2.0, 11.0 / 3]),
    (M.var, None, [1.4444444, 3.6111109]),
    (M.var, [[True, True, False], [True, True, True]], [2.0, 3.6111109]),
])
def test_masked_mean_and_var_count_by_the_mask_argument(op, mask, expected):
    """PyTorch sums over the MaskedTensor's own mask but counts by `mask` (all when None)."""
    out = op(_mt(), 1, mask=None if mask is None else fg.tensor(mask))
    assert type(out) is fg.Tensor
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-6)


def test_pickle_and_deepcopy():
    import copy
    import pickle

    mt = _mt(requires_grad=True)
    for out in (pickle.loads(pickle.dumps(mt)), copy.deepcopy(mt)):
        _check(out, DATA, MASK, fg.float32)
        assert out.requires_grad and out.is_leaf


def test_type_and_unsupported_conversions():
    assert _mt().type() == f"{fg.__name__}.FloatTensor"
    _check(_mt().type(fg.float64), DATA, MASK, fg.float64)
    with pytest.raises(TypeError, match="uint8 is not supported in MaskedTensor"):
        _mt().byte()


@pytest.mark.parametrize(("op", "mask"), [
    (lambda x: x[0].sum(), [[True, False, True], [False, False, False]]),
    (lambda x: x[1:].sum(), [[False, False, False], [False, True, True]]),
    (lambda x: x[:, 1].sum(), [[False, False, False], [False, True, False]]),
    (lambda x: (x * 2)[1:].sum(), [[False, False, False], [False, True, True]]),
    (lambda x: x.select(1, 2).sum(), [[False, False, True], [False, False, True]]),
    (lambda x: x.t()[1:].sum(), [[False, False, True], [False, True, True]]),
    (lambda x: x.transpose(0, 1)[2].sum(), [[False, False, True], [False, False, True]]),
    (lambda x: x.view(6)[2:5].sum(), [[False, False, True], [False, True, False]]),
    (lambda x: x.reshape(3, 2).select(1, 0).sum(), [[True, False, True], [False, True, False]]),
    (lambda x: x.narrow(1, 1, 2).sum(), [[False, False, True], [False, True, True]]),
    (lambda x: x.flatten()[:2].sum(), [[True, False, False], [False, False, False]]),
    (lambda x: (x[1:] * 2 + x[1:]).sum(), [[False, False, False], [False, True, True]]),
    (lambda x: (-x)[1].mean(), [[False, False, False], [False, True, True]]),
    (lambda x: x[:, 0].amax(), [[True, False, False], [False, False, False]]),
    # a reduction's gradient reaches everything it reduced, whatever is taken of it later
    (lambda x: x.sum(1)[0], MASK),
])
def test_gradient_mask_is_narrowed_by_indexing(op, mask):
    # PyTorch's masks (its backward of an indexing op pads the gradient's mask with False)
    mt = _mt(requires_grad=True)
    op(mt).backward()
    assert mt.grad.get_mask().tolist() == mask


def test_gradient_mask_of_autograd_grad_and_after_reset():
    mt = _mt(requires_grad=True)
    (grad,) = fg.autograd.grad(mt[:, 1:].sum(), mt)
    assert grad.get_mask().tolist() == [[False, False, True], [False, True, True]]
    mt[0].sum().backward()
    mt.grad = None
    mt[1].sum().backward()
    assert mt.grad.get_mask().tolist() == [[False, False, False], [False, True, True]]
    _check(mt.grad, [[0, 0, 0], [0, 1, 1]], [[False, False, False], [False, True, True]], fg.float32)


def test_autograd_grad_of_a_masked_tensor_is_masked():
    mt = _mt(requires_grad=True)
    (grad,) = fg.autograd.grad((mt * mt).sum(), mt)
    _check(grad, [[2, 0, 6], [0, 10, 12]], MASK, fg.float32)


def test_ops_under_no_grad():
    mt = _mt(requires_grad=True)
    with fg.no_grad():
        out = mt * 2
    assert M.is_masked_tensor(mt) and not out.requires_grad
    _check(out, [[2, 0, 6], [0, 10, 12]], MASK, fg.float32)


def test_backward_with_a_masked_gradient():
    mt = _mt(requires_grad=True)
    (mt * 2).backward(M.masked_tensor(fg.ones(2, 3), fg.tensor(MASK)))
    _check(mt.grad, [[2, 0, 2], [0, 2, 2]], MASK, fg.float32)


def test_gradients_accumulate():
    mt = _mt(requires_grad=True)
    (mt * 2).sum().backward()
    (mt * 3).sum().backward()
    _check(mt.grad, [[5, 0, 5], [0, 5, 5]], MASK, fg.float32)
    mt.grad = None
    assert mt.grad is None


@pytest.mark.skipif(IS_TORCH, reason="PyTorch takes sparse COO and CSR data; ferrograd's MaskedTensor is strided only")
def test_sparse_data_is_refused():
    data = fg.tensor([[1.0, 0.0], [0.0, 2.0]]).to_sparse()
    mask = fg.tensor([[True, False], [False, True]]).to_sparse()
    with pytest.raises(TypeError, match="data layout of .*sparse_coo is not supported"):
        M.masked_tensor(data, mask)


def test_view_properties():
    one_d = M.masked_tensor(fg.ones(2), fg.tensor([True, False]))
    with pytest.raises(RuntimeError, match="tensor.mT is only supported on matrices or batches of matrices. Got 1-D"):
        _ = one_d.mT
    with pytest.raises(RuntimeError, match="tensor.H is only supported on matrices"):
        _ = one_d.H
    with pytest.raises(RuntimeError, match="imag is not implemented for tensors with non-complex dtypes"):
        _ = _mt().imag
    _check(_mt().H, [[1, 4], [2, 5], [3, 6]], [[True, False], [False, True], [True, True]])
    _check(_mt().real, DATA, MASK)
    _check(_mt().data, DATA, MASK)
    assert not _mt(requires_grad=True).data.requires_grad
    assert hash(_mt()) is not None


@pytest.mark.skipif(IS_TORCH, reason="about when ferrograd's functions start to look for overrides")
def test_only_making_a_masked_tensor_opens_the_functions_gates():
    script = """if True:
        import warnings
        import ferrograd as fg
        from ferrograd import _subclass_dispatch
        warnings.simplefilter("ignore")
        add = fg.add
        from ferrograd.masked import *
        assert MaskedTensor.__name__ == "MaskedTensor" and not _subclass_dispatch.LIVE[0]
        mt = masked_tensor(fg.ones(2), fg.tensor([True, False]))
        assert _subclass_dispatch.LIVE[0] and fg.add is add
        assert repr(add(mt, 1)).startswith("MaskedTensor(")
    """
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
