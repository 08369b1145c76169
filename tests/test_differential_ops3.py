"""Mismatches with PyTorch 2.13 found by differential fuzzing (round 3) of top-level
functions and Tensor methods; each expected value or exception type was observed from
PyTorch."""

import warnings

import ferrograd as torch
import pytest


@pytest.mark.parametrize("dtype", [torch.complex64, torch.complex128])
def test_resize_grows_a_complex_tensor(dtype):
    t = torch.zeros(1, dtype=dtype).resize_(3)
    assert t.shape == (3,)
    assert t.fill_(1 + 2j).tolist() == [1 + 2j, 1 + 2j, 1 + 2j]
    tail = torch.tensor([1 + 1j, 2, 3, 4], dtype=dtype)[1:].resize_(5)
    assert tail[:3].tolist() == [2, 3, 4]


def test_out_of_another_shape_is_resized_for_complex_out():
    out = torch.zeros(2, 2, dtype=torch.complex64)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        r = torch.kron(torch.ones(2, 2), torch.ones(2, 2), out=out)
    assert r is out and out.shape == (4, 4)
    assert out.tolist() == [[1 + 0j] * 4] * 4
    assert [w.category for w in caught] == [UserWarning]
    out = torch.zeros(1, dtype=torch.complex64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.ge(torch.tensor([1.0, 0.0]), 0.5, out=out)
    assert out.tolist() == [1 + 0j, 0j]


COPY_OPS = {
    "alias_copy": lambda x, o: torch.alias_copy(x, out=o),
    "detach_copy": lambda x, o: torch.detach_copy(x, out=o),
    "diagonal_copy": lambda x, o: torch.diagonal_copy(x, out=o),
    "select_copy": lambda x, o: torch.select_copy(x, 0, 0, out=o),
    "slice_copy": lambda x, o: torch.slice_copy(x, 0, 0, 1, out=o),
    "squeeze_copy": lambda x, o: torch.squeeze_copy(x, out=o),
    "t_copy": lambda x, o: torch.t_copy(x, out=o),
    "transpose_copy": lambda x, o: torch.transpose_copy(x, 0, 1, out=o),
    "unsqueeze_copy": lambda x, o: torch.unsqueeze_copy(x, 0, out=o),
    "view_copy": lambda x, o: torch.view_copy(x, (4,), out=o),
    "permute_copy": lambda x, o: torch.permute_copy(x, (1, 0), out=o),
    "expand_copy": lambda x, o: torch.expand_copy(x, (2, 2), out=o),
    "as_strided_copy": lambda x, o: torch.as_strided_copy(x, (2, 2), (2, 1), out=o),
    "unfold_copy": lambda x, o: torch.unfold_copy(x, 0, 1, 1, out=o),
    "narrow_copy": lambda x, o: torch.narrow_copy(x, 0, 0, 1, out=o),
    "slice_scatter": lambda x, o: torch.slice_scatter(x, x, out=o),
    "take": lambda x, o: torch.take(x, torch.tensor([0]), out=o),
    "inner": lambda x, o: torch.inner(x, x, out=o),
    "cross": lambda x, o: torch.cross(x.new_ones(3, 3), x.new_ones(3, 3), dim=0, out=o),
    "renorm": lambda x, o: torch.renorm(x, 2, 0, 1, out=o),
    "inverse": lambda x, o: torch.inverse(x, out=o),
    "frobenius_norm": lambda x, o: torch.frobenius_norm(x, (0, 1), out=o),
    "nuclear_norm": lambda x, o: torch.nuclear_norm(x, out=o),
    "logcumsumexp": lambda x, o: torch.logcumsumexp(x, 0, out=o),
    "histc": lambda x, o: torch.histc(x, out=o),
    "quantile": lambda x, o: torch.quantile(x, 0.5, out=o),
    "nan_to_num": lambda x, o: torch.nan_to_num(x, out=o),
    "float_power": lambda x, o: torch.float_power(x.float(), 2, out=o),
    "heaviside": lambda x, o: torch.heaviside(x, x, out=o),
    "chain_matmul": lambda x, o: torch.chain_matmul(x, x, out=o),
    "bucketize": lambda x, o: torch.bucketize(x, torch.tensor([0.0, 1.0], dtype=x.dtype), out=o),
}


@pytest.mark.filterwarnings("ignore:torch.chain_matmul is deprecated")
@pytest.mark.parametrize("name", sorted(COPY_OPS))
def test_out_must_have_the_result_dtype(name):
    # PyTorch: RuntimeError ("Expected out tensor to have dtype double, but got float instead" and kin)
    x = torch.tensor([[1.5, -2.0], [3.0, 4.0]], dtype=torch.float64)
    with pytest.raises(RuntimeError):
        COPY_OPS[name](x, torch.zeros(2, 2, dtype=torch.float32))


def test_copy_ops_write_into_an_out_of_their_dtype():
    x = torch.tensor([[1, 2], [3, 4]])
    out = torch.zeros(2, 2, dtype=torch.int64)
    assert torch.t_copy(x, out=out) is out and out.tolist() == [[1, 3], [2, 4]]


@pytest.mark.parametrize("name", ["isin", "signbit", "isposinf", "isneginf"])
def test_bool_only_outs(name):
    x = torch.tensor([1.0, -2.0])
    call = {"isin": lambda o: torch.isin(x, x, out=o), "signbit": lambda o: torch.signbit(x, out=o),
            "isposinf": lambda o: torch.isposinf(x, out=o), "isneginf": lambda o: torch.isneginf(x, out=o)}[name]
    with pytest.raises(RuntimeError):
        call(torch.zeros(2))
    out = torch.zeros(2, dtype=torch.bool)
    assert call(out) is out


@pytest.mark.parametrize("name", ["all", "any"])
def test_all_and_any_write_only_into_bool_or_matching_uint8(name):
    fn = getattr(torch, name)
    with pytest.raises(RuntimeError, match="only supports bool tensor for result"):
        fn(torch.ones(2), out=torch.zeros(()))
    with pytest.raises(RuntimeError, match="got: Long"):
        fn(torch.ones(2, 2), 1, out=torch.zeros(2, dtype=torch.int64))
    out = torch.zeros((), dtype=torch.bool)
    assert fn(torch.ones(2, dtype=torch.uint8), out=out) is out and out.item() is True
    out = torch.zeros((), dtype=torch.uint8)
    assert fn(torch.ones(2, dtype=torch.uint8), out=out).tolist() == 1
    out = torch.zeros(2, dtype=torch.bool)
    assert fn(torch.ones(2, 2), 1, out=out).tolist() == [True, True]


@pytest.mark.parametrize("name", ["conj_physical", "bitwise_not", "lerp", "clamp_min"])
def test_elementwise_outs_that_keep_the_input_dtype(name):
    x = torch.tensor([1, 2])
    call = {"conj_physical": lambda o: torch.conj_physical(x, out=o),
            "bitwise_not": lambda o: torch.bitwise_not(x, out=o),
            "lerp": lambda o: torch.lerp(x.double(), x.double(), 0.5, out=o),
            "clamp_min": lambda o: torch.clamp_min(x, 0, out=o)}[name]
    with pytest.raises(RuntimeError, match="Found dtype Float but expected"):
        call(torch.zeros(2))


def test_logsumexp_out_takes_a_castable_dtype():
    out = torch.zeros((), dtype=torch.float64)
    r = torch.logsumexp(torch.tensor([0.0, 0.0]), 0, out=out)
    assert r is out and abs(out.item() - 0.6931471805599453) < 1e-6


def test_factories_accept_layout_and_pin_memory():
    assert torch.zeros(2, layout=None, pin_memory=False).tolist() == [0.0, 0.0]
    assert torch.ones(2, layout=torch.strided).tolist() == [1.0, 1.0]
    assert torch.full((2,), 3, pin_memory=False).tolist() == [3, 3]
    assert torch.arange(3, layout=torch.strided, pin_memory=False).tolist() == [0, 1, 2]
    assert torch.linspace(0, 1, 3, layout=torch.strided).tolist() == [0.0, 0.5, 1.0]
    assert torch.eye(2, pin_memory=False).tolist() == [[1.0, 0.0], [0.0, 1.0]]
    assert torch.tril_indices(2, 2, pin_memory=False).tolist() == [[0, 1, 1], [0, 0, 1]]
    assert torch.ones_like(torch.ones(2), pin_memory=False).tolist() == [1.0, 1.0]
    assert torch.full_like(torch.ones(2), 3, pin_memory=False).tolist() == [3.0, 3.0]
    base = torch.ones(2)
    assert base.new_ones(2, layout=torch.strided, pin_memory=False).tolist() == [1.0, 1.0]
    assert base.new_zeros(2, layout=torch.strided).tolist() == [0.0, 0.0]
    assert base.new_full((2,), 5, pin_memory=False).tolist() == [5.0, 5.0]
    with pytest.raises(RuntimeError, match="pin_memory"):
        torch.zeros(2, pin_memory=True)
    with pytest.raises(NotImplementedError):
        torch.arange(1, 5, layout=torch.sparse_coo)


def test_arange_end_keyword():
    assert torch.arange(end=5).tolist() == [0, 1, 2, 3, 4]
    assert torch.arange(start=1, end=4).tolist() == [1, 2, 3]
    assert torch.arange(end=2.5).tolist() == [0.0, 1.0, 2.0]
    assert torch.arange(1, 6, 2).tolist() == [1, 3, 5]
    with pytest.raises(TypeError):
        torch.arange(end=5, step=2)
    with pytest.raises(TypeError):
        torch.arange(5, step=2)
    with pytest.raises(TypeError, match="end"):
        torch.arange(step=2)


@pytest.mark.parametrize("call, out_dtype", [
    (lambda x, o: torch.ge(x, 0, out=o), torch.bool),
    (lambda x, o: torch.eq(x, x, out=o), torch.bool),
    (lambda x, o: torch.logical_and(x, x, out=o), torch.float32),
    (lambda x, o: torch.logical_not(x, out=o), torch.float32),
    (lambda x, o: torch.floor_divide(x, 2, out=o), torch.float32),
    (lambda x, o: torch.t_copy(x, out=o), torch.float32),
    (lambda x, o: torch.squeeze_copy(x, out=o), torch.float32),
    (lambda x, o: torch.softmax(x, 0, out=o), torch.float32),
    (lambda x, o: torch.diag(x, out=o), torch.float32),
])
def test_out_forms_pytorch_runs_with_inputs_that_require_grad(call, out_dtype):
    x = torch.tensor([[1.5, -2.0], [3.0, 4.0]], requires_grad=True)
    out = torch.zeros(2, 2, dtype=out_dtype)
    assert call(x, out) is out


def test_out_forms_of_differentiable_functions_still_refuse_inputs_that_require_grad():
    x = torch.tensor([1.5, -2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="don't support automatic differentiation"):
        torch.exp(x, out=torch.zeros(2))
    with pytest.raises(RuntimeError, match="don't support automatic differentiation"):
        torch.add(x, 1, out=torch.zeros(2))


def test_threshold_and_hardshrink_take_out():
    out = torch.zeros(2, dtype=torch.float64)
    r = torch.threshold(torch.tensor([1, 5]), 3, 2.5, out=out)
    assert r is out and out.tolist() == [2.0, 5.0]
    with pytest.raises(RuntimeError, match="can't be cast"):
        torch.threshold(torch.tensor([1.0, 5.0]), 3, 2.5, out=torch.zeros(2, dtype=torch.int64))
    out = torch.zeros(0)
    assert torch.hardshrink(torch.tensor([1.0, 0.2]), out=out) is out and out.tolist() == [1.0, 0.0]
    with pytest.raises(RuntimeError, match="Found dtype Double but expected Float"):
        torch.hardshrink(torch.tensor([1.0, 0.2]), out=torch.zeros(2, dtype=torch.float64))


def test_conj_physical_in_place_refuses_a_leaf_that_requires_grad():
    with pytest.raises(RuntimeError, match="leaf Variable"):
        torch.ones(2, requires_grad=True).conj_physical_()
    with torch.no_grad():
        assert torch.ones(2, requires_grad=True).conj_physical_().tolist() == [1.0, 1.0]


def test_tensor_of_a_float_beyond_float32_is_inf():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert torch.tensor(1e40).item() == float("inf")
        assert torch.tensor(-1e39).item() == float("-inf")
        assert torch.tensor([1e40, 1.0]).tolist() == [float("inf"), 1.0]
    assert torch.tensor(1e40).dtype == torch.float32
    assert torch.tensor(1e40, dtype=torch.float64).item() == 1e40


def test_in_place_comparison_with_a_complex_number():
    with pytest.warns(UserWarning, match="discards the imaginary part"):
        r = torch.tensor([1.0, 2.0]).eq_(1 + 0j)
    assert r.dtype == torch.float32 and r.tolist() == [1.0, 0.0]
    z = torch.tensor([1 + 1j, 2.0]).ne_(1 + 1j)
    assert z.tolist() == [0j, 1 + 0j]
    with pytest.raises(NotImplementedError, match="lt_cpu"):
        torch.tensor([1.0, 2.0]).lt_(1 + 0j)


@pytest.mark.parametrize("name", ["atan2_", "hypot_", "fmod_", "copysign_", "xlogy_"])
@pytest.mark.parametrize("dtype", [torch.complex64, torch.bool])
def test_in_place_of_another_broadcast_shape_is_refused_before_the_dtype(name, dtype):
    self = torch.ones((), dtype=dtype)
    with pytest.raises(RuntimeError, match=r"output with shape \[\] doesn't match the broadcast shape \[2\]"):
        getattr(self, name)(torch.tensor([1.0, 2.0]))


@pytest.mark.parametrize("name", ["cumsum_", "cumprod_"])
def test_in_place_scans_refuse_another_dtype(name):
    x = torch.ones(2, 3)
    with pytest.raises(RuntimeError, match="Bad in-place call: input tensor dtype float and output tensor dtype "
                                           "double should match"):
        getattr(x, name)(0, dtype=torch.float64)
    with pytest.raises(TypeError):
        getattr(x, name)(0, torch.float32)
    assert getattr(x, name)(0, dtype=torch.float32).tolist() == (
        [[1.0] * 3, [2.0] * 3] if name == "cumsum_" else [[1.0] * 3] * 2)


@pytest.mark.parametrize("name", ["cumsum", "cumprod"])
def test_scans_into_bool_are_not_implemented(name):
    with pytest.raises(NotImplementedError, match=f"{name}_out_cpu"):
        getattr(torch.ones(2, 3), name)(0, dtype=torch.bool)
    with pytest.raises(NotImplementedError):
        getattr(torch, name)(torch.tensor([1, 2]), 0, dtype=torch.bool)
    assert getattr(torch.tensor([True, True]), name)(0).tolist() == ([1, 2] if name == "cumsum" else [1, 1])


@pytest.mark.parametrize("dtype", [torch.int64, torch.bool, torch.uint8, torch.complex64])
@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_into_a_non_floating_dtype_is_not_implemented(name, dtype):
    with pytest.raises(NotImplementedError):
        getattr(torch.ones(2, 3), name)(0, dtype=dtype)
    with pytest.raises(NotImplementedError):
        getattr(torch, name)(torch.ones(2, 3), 1, dtype=dtype)


def test_nanmean_refuses_an_integer_input_even_with_a_float_dtype():
    with pytest.raises(RuntimeError, match="floating point or complex dtype but got Long"):
        torch.tensor([1, 0]).nanmean(dtype=torch.float32)
    with pytest.raises(RuntimeError, match="got Bool"):
        torch.nanmean(torch.tensor([True]), dtype=torch.float64)


def test_unique_of_bfloat16():
    values, inverse, counts = torch.tensor([1.0, 2.0, 1.0], dtype=torch.bfloat16).unique(
        return_inverse=True, return_counts=True)
    assert values.dtype == torch.bfloat16 and values.tolist() == [1.0, 2.0]
    assert inverse.tolist() == [0, 1, 0] and counts.tolist() == [2, 1]


def test_prod_into_a_complex_dtype():
    r = torch.tensor([1, 2]).prod(dtype=torch.complex64)
    assert r.dtype == torch.complex64 and r.item() == 2 + 0j
    r = torch.prod(torch.tensor([[1 + 1j, 2]]), 1, dtype=torch.complex128)
    assert r.dtype == torch.complex128 and r.tolist() == [2 + 2j]
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    assert type(x.prod(dtype=torch.complex64).grad_fn).__name__ == "ProdBackward0"


def test_norm_of_a_real_tensor_into_a_complex_dtype_is_refused():
    with pytest.raises(RuntimeError, match="dtype should be real for real inputs, but got ComplexFloat"):
        torch.norm(torch.ones(2), dtype=torch.complex64)
    assert torch.ones(4).norm(dtype=torch.float64).item() == 2.0


def test_mul_of_two_numbers_is_a_tensor():
    r = torch.mul(2, 3)
    assert r.dtype == torch.int64 and r.item() == 6
    r = torch.mul(2.5, 1j)
    assert r.dtype == torch.complex64 and r.item() == 2.5j
    assert torch.multiply(2, 3.5).item() == 7.0


def test_out_dtype_rules_of_particular_overloads():
    out = torch.zeros((), dtype=torch.int64)
    assert torch.max(torch.tensor([1, 2], dtype=torch.uint8), out=out) is out and out.item() == 2
    out = torch.zeros((), dtype=torch.float64)
    assert torch.min(torch.tensor([1.5, 2.0]), out=out).item() == 1.5
    with pytest.raises(RuntimeError, match="Expected out tensor to have dtype float, but got double instead"):
        torch.max(torch.tensor([[1.0, 2.0]]), 1, out=(torch.zeros(1, dtype=torch.float64),
                                                      torch.zeros(1, dtype=torch.int64)))
    out = torch.zeros(2)
    assert torch.clamp_max(torch.tensor([1, 2]), torch.tensor([0, 5]), out=out).tolist() == [0.0, 2.0]
    with pytest.raises(RuntimeError, match="Found dtype Float but expected Long"):
        torch.clamp_max(torch.tensor([1, 2]), 3, out=torch.zeros(2))
    out = torch.zeros(1, dtype=torch.float64)
    torch.abs(torch.tensor([3 + 4j]), out=out)
    assert out.tolist() == [5.0]
    with pytest.raises(RuntimeError, match="Found dtype Double but expected Float"):
        torch.abs(torch.tensor([1.0, -2.0]), out=torch.zeros(2, dtype=torch.float64))
    out = torch.zeros((), dtype=torch.bool)
    assert torch.all(torch.ones(2, requires_grad=True), out=out).item() is True
