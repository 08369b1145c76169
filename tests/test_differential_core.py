"""Mismatches with PyTorch 2.13 found by differential fuzzing of top-level functions and
Tensor methods; each expected value or exception type was observed from PyTorch."""

import math

import ferrograd as torch
import numpy as np
import pytest


def test_sum_and_mean_of_complex_with_real_dtype_keep_real_parts():
    z = torch.tensor([[1 + 2j, 3 - 1j, 0.5 + 0j]], dtype=torch.complex64)
    s = torch.sum(z, dtype=torch.float64)
    assert s.dtype == torch.float64
    assert s.item() == 4.5
    m = z.mean(dtype=torch.float32)
    assert m.dtype == torch.float32
    assert m.item() == 1.5
    rows = z.sum(1, dtype=torch.float64)
    assert rows.shape == (1,) and rows.tolist() == [4.5]


def test_sum_and_prod_with_bool_dtype():
    assert torch.ones(2).sum(dtype=torch.bool).item() is True
    assert torch.zeros(3).sum(dtype=torch.bool).item() is False
    t = torch.tensor([[0, 2], [0, 0]])
    r = t.sum(1, dtype=torch.bool)
    assert r.dtype == torch.bool and r.tolist() == [True, False]
    assert torch.prod(torch.tensor([1, 2, 0]), dtype=torch.bool).item() is False
    assert torch.prod(torch.tensor([1, -2]), dtype=torch.bool).item() is True


@pytest.mark.parametrize("name", ["sub", "subtract", "div", "divide", "true_divide", "floor_divide"])
def test_number_first_operand_is_accepted(name):
    out = getattr(torch, name)(3, torch.tensor([1.0, 2.0]))
    expected = {"sub": [2.0, 1.0], "subtract": [2.0, 1.0], "div": [3.0, 1.5], "divide": [3.0, 1.5],
                "true_divide": [3.0, 1.5], "floor_divide": [3.0, 1.0]}[name]
    assert out.dtype == torch.float32
    assert out.tolist() == expected


def test_number_first_operand_promotes_like_a_scalar():
    out = torch.floor_divide(7, torch.tensor([2, 3], dtype=torch.uint8))
    assert out.dtype == torch.uint8 and out.tolist() == [3, 2]
    out = torch.sub(2.5, torch.tensor([1, 2], dtype=torch.int32))
    assert out.dtype == torch.float32 and out.tolist() == [1.5, 0.5]
    assert torch.sub(2, torch.tensor([1.0, 2.0]), alpha=2).tolist() == [0.0, -2.0]
    with pytest.raises(TypeError):
        torch.sub(None, torch.ones(1))


@pytest.mark.parametrize("name", ["sum", "mean", "eq", "gt", "maximum", "minimum", "matmul", "dot", "exp",
                                  "sqrt", "logical_and", "all", "clamp", "reshape", "squeeze", "where"])
@pytest.mark.parametrize("first", [3, 2.5, [1.0, 2.0], None])
def test_non_tensor_first_argument_is_a_type_error(name, first):
    with pytest.raises(TypeError, match=name):
        getattr(torch, name)(first, torch.ones(2))


def test_non_tensor_first_argument_keeps_working_for_tensors():
    assert torch.sum(torch.ones(2, 3), 1).tolist() == [3.0, 3.0]
    assert torch.sum(input=torch.ones(2)).item() == 2.0
    assert torch.where(torch.tensor([True, False]), torch.ones(2), torch.zeros(2)).tolist() == [1.0, 0.0]


def test_rsub_with_a_python_float_keeps_the_default_dtype():
    out = torch.rsub(torch.tensor([1, 2]), 0.5)
    assert out.dtype == torch.float32
    assert out.tolist() == [-0.5, -1.5]
    out = torch.rsub(torch.tensor([1, 2]), 1 + 1j)
    assert out.dtype == torch.complex64


def test_integer_division_by_zero_is_no_error_when_the_result_is_empty():
    empty = torch.zeros(0, dtype=torch.int64)
    zero = torch.zeros(1, dtype=torch.int64)
    for op in (torch.remainder, torch.fmod, torch.floor_divide):
        out = op(empty, zero)
        assert out.shape == (0,) and out.dtype == torch.int64
    assert torch.remainder(empty, 0).shape == (0,)
    assert torch.div(empty, zero, rounding_mode="trunc").shape == (0,)
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        torch.remainder(torch.ones(2, dtype=torch.int64), 0)


def test_bool_minus_complex_is_refused():
    with pytest.raises(RuntimeError, match="Subtraction"):
        torch.tensor([True]) - torch.tensor([1j])
    with pytest.raises(RuntimeError, match="Subtraction"):
        torch.tensor([1j]) - torch.tensor([True])


def test_zero_to_a_complex_power():
    out = torch.tensor([0.0, 1.0]) ** (1 + 1j)
    assert out.dtype == torch.complex64
    assert out.tolist() == [0j, 1 + 0j]
    # PyTorch: tensor([0.-0.j, 1.+0.j]); the imaginary zero's sign follows C's cexp
    assert math.copysign(1.0, out[0].imag.item()) == -1.0
    out = torch.tensor([0.0, 1.0]) ** torch.tensor(-1 + 1j)
    re, im = out.real.tolist(), out.imag.tolist()
    assert re[0] == math.inf and math.isnan(im[0])
    assert (re[1], im[1]) == (1.0, 0.0)


def test_complex_exp_at_infinite_real_part():
    z = torch.tensor([complex(-math.inf, math.inf), complex(-math.inf, 1.0), complex(math.inf, math.nan)])
    out = torch.exp(z)
    re, im = out.real.tolist(), out.imag.tolist()
    assert re[:2] == [0.0, 0.0] and im[:2] == [0.0, 0.0]
    assert re[2] == math.inf and math.isnan(im[2])


def test_all_and_any_over_an_empty_dim_list_reduce_nothing():
    t = torch.tensor([[1.0, 0.0]])
    out = t.all(dim=[])
    assert out.dtype == torch.bool and out.shape == (1, 2) and out.tolist() == [[True, False]]
    out = torch.any(t, dim=(), keepdim=True)
    assert out.shape == (1, 2) and out.tolist() == [[True, False]]
    u = torch.tensor([3, 0], dtype=torch.uint8).all(dim=[])
    assert u.dtype == torch.uint8 and u.tolist() == [1, 0]
    assert torch.ones(2, 3).all().shape == ()


def test_uniform_and_normal_fill_half_and_complex_tensors():
    torch.manual_seed(0)
    h = torch.zeros(5, dtype=torch.float16).uniform_()
    assert h.dtype == torch.float16
    np.testing.assert_allclose(h.float().numpy(), [0.4963, 0.7681, 0.0885, 0.1321, 0.3074], atol=1e-4)
    torch.manual_seed(0)
    n = torch.zeros(5, dtype=torch.float16).normal_()
    np.testing.assert_allclose(n.float().numpy(), [1.5410, -0.2935, -2.1797, 0.5684, -1.0850], atol=1e-3)
    torch.manual_seed(0)
    z = torch.zeros(3, dtype=torch.complex64).normal_()
    np.testing.assert_allclose(z.numpy(), [1.0896 - 0.2075j, -1.5406 + 0.4019j, -0.7669 - 0.9890j], atol=1e-4)
    torch.manual_seed(0)
    z = torch.zeros(3, dtype=torch.complex64).uniform_()
    np.testing.assert_allclose(z.numpy(), [0.4963 + 0.7682j, 0.0885 + 0.1320j, 0.3074 + 0.6341j], atol=1e-4)
    torch.manual_seed(0)
    b = torch.zeros(3, dtype=torch.bfloat16).uniform_()
    np.testing.assert_allclose(b.float().numpy(), [0.4961, 0.7695, 0.0884], atol=1e-4)
    with pytest.raises(NotImplementedError):
        torch.zeros(3, dtype=torch.int64).uniform_()


def test_random_fills_walk_a_strided_tensor_in_memory_order():
    torch.manual_seed(0)
    t = torch.zeros(3, 2).t().uniform_()
    np.testing.assert_allclose(t.numpy(), [[0.4963, 0.0885, 0.3074], [0.7682, 0.1320, 0.6341]], atol=1e-4)
    torch.manual_seed(0)
    t = torch.zeros(3, 2).t().normal_()
    np.testing.assert_allclose(t.numpy(), [[1.5410, -2.1788, -1.0845], [-0.2934, 0.5684, -1.3986]], atol=1e-4)
    torch.manual_seed(0)
    t = torch.zeros(3, 2, requires_grad=True).clone().t().uniform_()
    np.testing.assert_allclose(t.detach().numpy(), [[0.4963, 0.0885, 0.3074], [0.7682, 0.1320, 0.6341]],
                               atol=1e-4)
    torch.manual_seed(0)
    t = torch.zeros(3, 4)[:, ::2].uniform_()
    np.testing.assert_allclose(t.numpy(), [[0.4963, 0.7682], [0.0885, 0.1320], [0.3074, 0.6341]], atol=1e-4)


def test_searchsorted_with_empty_tensors():
    out = torch.searchsorted(torch.zeros(2, 0, 3), torch.zeros(2, 0, 3))
    assert out.shape == (2, 0, 3) and out.dtype == torch.int64
    out = torch.searchsorted(torch.zeros(2, 0), torch.zeros(2, 3))
    assert out.tolist() == [[0, 0, 0], [0, 0, 0]]


def test_logcumsumexp_of_empty_tensors():
    x = torch.zeros(0, requires_grad=True)
    torch.logcumsumexp(x, 0).sum().backward()
    assert x.grad.shape == (0,)
    z = torch.logcumsumexp(torch.zeros(0, dtype=torch.complex64), 0)
    assert z.shape == (0,) and z.dtype == torch.complex64


def test_median_of_an_empty_tensor():
    x = torch.zeros(0, requires_grad=True)
    m = torch.median(x)
    assert math.isnan(m.item())
    assert type(m.grad_fn).__name__ == "MedianBackward0"
    m.backward()
    assert x.grad.shape == (0,)
    n = torch.nanmedian(torch.zeros(0, requires_grad=True))
    assert math.isnan(n.item()) and type(n.grad_fn).__name__ == "NanmedianBackward0"
    assert torch.median(torch.zeros(0, dtype=torch.bool)).item() is True
    assert torch.nanmedian(torch.zeros(0, dtype=torch.bool)).item() is True
    assert torch.median(torch.zeros(0, dtype=torch.int64)).item() == -9223372036854775808


def test_clone_of_a_channels_last_ordered_view_owns_its_memory():
    x = torch.arange(24.0).reshape(2, 4, 3)
    y = x.transpose(-1, -2).unflatten(2, (2, 2))  # strides (12, 1, 6, 3): channels-last order
    c = y.clone()
    assert c.stride() == (12, 1, 6, 3)
    c.fill_(1.0)
    assert x.flatten()[:4].tolist() == [0.0, 1.0, 2.0, 3.0]
    assert c.sum().item() == 24.0
    z = torch.zeros(2, 3, 4, 5).permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2)
    w = z.clone()
    w.fill_(1.0)
    assert z.sum().item() == 0.0


def test_python_level_nodes_print_like_builtin_nodes():
    node = torch.nanmedian(torch.ones(3, requires_grad=True)).grad_fn
    assert repr(node).startswith("<NanmedianBackward0 object at 0x")
    z = torch.zeros(2, 3, 4, 5).permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2).requires_grad_()
    assert repr(z.clone().grad_fn).startswith("<CloneBackward0 object at 0x")


def test_assigning_a_grad_of_another_dtype_or_size_is_a_runtime_error():
    x = torch.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="dtype 'double' to a tensor with grad_dtype 'Float'"):
        x.grad = torch.ones(2, dtype=torch.float64)
    with pytest.raises(RuntimeError, match=r"size '\[3\]' to a tensor of size '\[2\]'"):
        x.grad = torch.ones(3)
    with pytest.raises(TypeError, match="got grad of type list"):
        x.grad = [1.0, 2.0]
    x.grad = torch.full((2,), 3.0)
    assert x.grad.tolist() == [3.0, 3.0]


def test_normal_and_bernoulli_record_zero_gradient_nodes():
    mean = torch.zeros(3, requires_grad=True)
    torch.manual_seed(0)
    out = torch.normal(mean, 2.0)
    np.testing.assert_allclose(out.detach().numpy(), [3.0820, -0.5869, -4.3576], atol=1e-4)
    assert type(out.grad_fn).__name__ == "NormalBackward1"
    out.sum().backward()
    assert mean.grad.tolist() == [0.0, 0.0, 0.0]
    std = torch.ones(3, requires_grad=True)
    assert type(torch.normal(0.0, std).grad_fn).__name__ == "NormalBackward2"
    both = torch.normal(torch.zeros(2, 1, requires_grad=True), torch.ones(3))
    assert both.shape == (2, 3) and type(both.grad_fn).__name__ == "NormalBackward3"
    assert torch.normal(torch.zeros(2), 1.0).grad_fn is None
    p = torch.full((3,), 0.5, requires_grad=True)
    b = torch.bernoulli(p)
    assert type(b.grad_fn).__name__ == "BernoulliBackward0"
    b.sum().backward()
    assert p.grad.tolist() == [0.0, 0.0, 0.0]


def test_cumulative_trapezoid_with_sample_points_ends_in_a_division():
    y = torch.ones(4, requires_grad=True)
    out = torch.cumulative_trapezoid(y, torch.arange(4.0))
    assert type(out.grad_fn).__name__ == "DivBackward1"
    assert out.tolist() == [1.0, 2.0, 3.0]
    assert type(torch.cumulative_trapezoid(y).grad_fn).__name__ == "CumsumBackward0"


def test_numpy_integer_scalars_index_like_ints():
    t = torch.tensor([1, 2])
    assert t[np.int64(1)].shape == () and t[np.int64(1)].item() == 2
    assert t[np.array(1)].shape == ()
    m = torch.tensor([[1, 2], [3, 4]])
    assert m[np.int32(1), np.int64(0)].shape == () and m[np.int32(1), np.int64(0)].item() == 3
    assert m[np.uint8(1)].tolist() == [3, 4]
    assert m[np.array([1])].tolist() == [[3, 4]]
    t[np.int64(0)] = 5
    assert t.tolist() == [5, 2]


def test_class_reprs_name_the_package_like_pytorch():
    assert repr(type(torch.ones(1).shape)) == "<class 'ferrograd.Size'>"
    assert repr(type(torch.ones(1).device)) == "<class 'ferrograd.device'>"
    assert repr(torch.finfo) == "<class 'ferrograd.finfo'>"
    assert repr(torch.iinfo) == "<class 'ferrograd.iinfo'>"
    assert repr(type(torch.ones(1, requires_grad=True).sum().grad_fn)) == "<class 'SumBackward0'>"


def test_can_cast_orders_complex_above_floating():
    assert torch.can_cast(torch.complex64, torch.float32) is False
    assert torch.can_cast(torch.complex64, torch.float64) is False
    assert torch.can_cast(torch.float32, torch.complex64) is True
    assert torch.can_cast(torch.int64, torch.complex128) is True
    assert torch.can_cast(torch.float64, torch.int32) is False


@pytest.mark.parametrize("op", [
    lambda a, b: a << b, lambda a, b: a >> b, torch.bitwise_left_shift, torch.gcd, torch.lcm,
])
def test_shift_gcd_lcm_refuse_complex(op):
    with pytest.raises(NotImplementedError, match="ComplexFloat"):
        op(torch.tensor([1j]), torch.tensor([1]))
    with pytest.raises(NotImplementedError, match="ComplexFloat"):
        op(torch.tensor([1.0]), torch.tensor([1j]))


def test_inplace_promoting_ops_check_shape_and_cast_before_the_kernel():
    with pytest.raises(RuntimeError, match=r"output with shape \[3\] doesn't match the broadcast shape \[2, 3\]"):
        torch.ones(3).bitwise_and_(torch.ones(2, 3))
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output type Long"):
        torch.ones(3, dtype=torch.int64).bitwise_or_(torch.ones(3))
    with pytest.raises(RuntimeError, match="result type ComplexFloat can't be cast to the desired output type Float"):
        torch.ones(3).remainder_(torch.ones(3, dtype=torch.complex64))
    x = torch.ones(3, dtype=torch.int64)
    with pytest.raises(RuntimeError, match="result type Float"):
        x //= 2.5
    with pytest.raises(NotImplementedError):
        torch.ones(3).bitwise_xor_(torch.ones(3))
    y = torch.tensor([6, 7])
    y %= 4
    y &= torch.tensor([3, 1])
    assert y.tolist() == [2, 1]


def test_broadcast_shapes_refuses_what_is_not_a_shape():
    for bad in (torch.ones(2, 3), torch.tensor([3]), 2.5, torch.float32):
        with pytest.raises(RuntimeError, match="Input shapes should be of type ints"):
            torch.broadcast_shapes(bad)
    with pytest.raises(TypeError, match="item 0 is 'float'"):
        torch.broadcast_shapes((2.5,))
    for negative in (-1, (2, -1)):
        with pytest.raises(ValueError, match="negative length"):
            torch.broadcast_shapes(negative)
    assert torch.broadcast_shapes(None) == ()
    assert torch.broadcast_shapes() == ()
    assert torch.broadcast_shapes(torch.Size([2, 1]), [3]) == (2, 3)
    assert torch.broadcast_shapes(2, (3, 1)) == (3, 2)


@pytest.mark.parametrize("name", ["max", "min", "median", "nanmedian", "prod", "logsumexp"])
def test_explicit_dim_none_is_a_type_error(name):
    x = torch.ones(2, 3)
    # PyTorch's parser: the argument named (by its place when positional), or no overload
    refused = r"argument 'dim' (\(position 2\) )?must be|received an invalid combination of arguments"
    with pytest.raises(TypeError, match=refused):
        getattr(x, name)(dim=None)
    with pytest.raises(TypeError, match=refused):
        getattr(torch, name)(x, None)
    assert getattr(x, name)(1).__class__ is not None  # a dimension still works


def test_reductions_without_dim_still_reduce_everything():
    x = torch.tensor([[1.0, 5.0], [3.0, 2.0]])
    assert x.max().item() == 5.0 and torch.min(x).item() == 1.0
    assert x.prod().item() == 30.0 and torch.median(x).item() == 2.0
    assert torch.max(x, torch.full((2,), 4.0)).tolist() == [[4.0, 5.0], [4.0, 4.0]]


@pytest.mark.parametrize(("name", "arg"), [
    ("reshape", "shape"), ("permute", "dims"), ("tile", "dims"), ("broadcast_to", "size"),
    ("expand_copy", "size"), ("permute_copy", "dims"),
])
def test_top_level_sizes_must_be_a_sequence(name, arg):
    x = torch.zeros(3)
    if name == "view_copy":  # two overloads (dtype, size): PyTorch's parser lists both
        with pytest.raises(TypeError, match=r"^view_copy\(\) received an invalid combination of arguments - got "
                                            r"\(Tensor, int\)"):
            torch.view_copy(x, 3)
        with pytest.raises(TypeError, match=r"got \(Tensor, Tensor\)"):
            torch.view_copy(x, torch.tensor(3))
        return
    with pytest.raises(TypeError, match=f"argument '{arg}' \\(position 2\\) must be tuple of ints, not int"):
        getattr(torch, name)(x, 3 if name != "permute" and name != "permute_copy" else 0)
    with pytest.raises(TypeError, match="not Tensor"):
        getattr(torch, name)(x, torch.tensor(3))


def test_view_copy_of_an_int_lists_its_two_overloads():
    # PyTorch's two overloads (dtype, size) both take two arguments: it lists them
    x = torch.zeros(3)
    with pytest.raises(TypeError, match=r"view_copy\(\) received an invalid combination of arguments - got "
                                        r"\(Tensor, int\), but expected one of:"):
        torch.view_copy(x, 3)
    with pytest.raises(TypeError, match="got \\(Tensor, Tensor\\)"):
        torch.view_copy(x, torch.tensor(3))


def test_top_level_sizes_as_sequences_still_work():
    x = torch.zeros(2, 3)
    assert torch.reshape(x, (3, 2)).shape == (3, 2)
    assert torch.reshape(x, shape=[6]).shape == (6,)
    assert torch.permute(x, [1, 0]).shape == (3, 2)
    assert torch.tile(x, (2,)).shape == (2, 6)
    assert torch.broadcast_to(torch.zeros(3), torch.Size([2, 3])).shape == (2, 3)
    with pytest.raises(TypeError):
        torch.reshape(x, 3, 2)


def test_view_copy_with_a_dtype():
    out = torch.view_copy(torch.ones(2), torch.int32)
    assert out.dtype == torch.int32 and out.tolist() == [1065353216, 1065353216]
    assert torch.view_copy(torch.ones(2), torch.int16).shape == (4,)
    assert torch.view_copy(torch.ones(2), dtype=torch.int32).tolist() == [1065353216, 1065353216]


def test_xlogy_of_half_and_bfloat16_rounds_the_log_first():
    a = [2.41015625, 0.5244140625, 0.266845703125, -1.8408203125, 0.1385498046875, -4.10546875, 1.0126953125,
         3.033203125]
    b = [2.509765625, 0.62451171875, 0.36669921875, 1.9404296875, 0.238525390625, 4.20703125, 1.1123046875,
         3.1328125]
    x, y = torch.tensor(a, dtype=torch.float16), torch.tensor(b, dtype=torch.float16)
    assert torch.xlogy(x, y).tolist() == [2.21875, -0.246826171875, -0.267578125, -1.220703125,
                                          -0.1986083984375, -5.8984375, 0.1077880859375, 3.462890625]
    assert torch.xlogy(x.bfloat16(), y.bfloat16()).tolist() == [2.21875, -0.24609375, -0.267578125, -1.21875,
                                                                -0.19921875, -5.875, 0.10546875, 3.453125]
    assert torch.xlogy(x, 2).tolist() == [1.6708984375, 0.363525390625, 0.18505859375, -1.2763671875,
                                          0.0960693359375, -2.845703125, 0.7021484375, 2.103515625]
