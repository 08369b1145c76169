"""Mismatches with PyTorch 2.13 found by differential fuzzing (round 3) of top-level
functions and Tensor methods; each expected value or exception type was observed from
PyTorch."""

import importlib
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
            "lerp": lambda o: torch.lerp(x.double(), x.double(), torch.tensor([0.5, 0.5]).double(), out=o),
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
@pytest.mark.filterwarnings("ignore:An output with one or more elements was resized")
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


def test_in_place_comparison_with_a_complex_number(monkeypatch):
    # PyTorch warns about complex-to-real casts once per process: forget earlier ones
    monkeypatch.setattr("ferrograd._user_warning._warned_once", set())
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


def test_logit_clamps_in_the_input_dtype():
    assert torch.logit(torch.tensor([1.0, 0.0, 0.5]), eps=1e-5).tolist() == [
        11.511558532714844, -11.51291561126709, 0.0]
    assert torch.logit(torch.tensor([1.0, 0.0]), 1e-3).tolist() == [6.906767845153809, -6.906754970550537]
    assert torch.logit(torch.tensor([True, False]), 1e-5).tolist() == [11.511558532714844, -11.51291561126709]
    assert torch.logit(torch.tensor([1.0, 0.0], dtype=torch.float64), eps=1e-5).tolist() == [
        11.51291546492478, -11.512915464920228]
    half = torch.logit(torch.tensor([1.0, 0.0], dtype=torch.float16), eps=1e-5).tolist()
    assert half == [float("inf"), -11.5078125]  # 1 - 1e-5 rounds to 1 in half
    assert torch.logit(torch.tensor([1.0, 0.0], dtype=torch.bfloat16), eps=1e-3).tolist() == [
        float("inf"), -6.90625]
    assert torch.tensor([0.2, 0.7]).logit_(0.3).tolist() == [-0.8472977876663208, 0.8472978472709656]


@pytest.mark.parametrize("dtype, exponent, ctype", [
    (torch.uint8, 256, "uint8_t"), (torch.int8, 128, "int8_t"), (torch.int16, 40000, "int16_t"),
    (torch.int32, 2**40, "int"), (torch.float16, 70000, "c10::Half"), (torch.float16, -70000.0, "c10::Half"),
    (torch.bfloat16, 1e40, "c10::BFloat16"),
])
def test_pow_refuses_a_number_exponent_that_overflows_the_dtype(dtype, exponent, ctype):
    x = torch.tensor([2, 1], dtype=dtype)
    with pytest.raises(RuntimeError, match=f"value cannot be converted to type {ctype} without overflow"):
        x ** exponent
    with pytest.raises(RuntimeError, match="without overflow"):
        x.pow_(exponent)


def test_pow_with_number_exponents_that_fit():
    assert (torch.tensor([2, 1], dtype=torch.uint8) ** 2.5).dtype == torch.float32
    assert (torch.tensor([2.0, 1.0]) ** 1e40).tolist() == [float("inf"), 1.0]
    assert (torch.tensor([True, False]) ** 300).tolist() == [1, 0]
    assert (torch.tensor([2, 1], dtype=torch.int16) ** 3).tolist() == [8, 1]
    with pytest.raises(RuntimeError, match="Integers to negative integer powers are not allowed"):
        torch.tensor([2, 1], dtype=torch.uint8) ** -1


@pytest.mark.parametrize("name", ["relu_", "sinc_", "neg_", "exp_", "abs_"])
def test_in_place_on_an_empty_expanded_tensor(name):
    t = torch.zeros(1, 0).expand(3, 0)
    assert getattr(t, name)().shape == (3, 0)
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor"):
        getattr(torch.zeros(1, 2).expand(3, 2), name)()


def test_elementwise_results_of_empty_non_dense_tensors():
    t = torch.zeros(1, 0, dtype=torch.float64).expand(3, 0)
    assert torch.selu(t).shape == (3, 0)
    assert torch.empty_like(torch.zeros(4, 1, 0, 3).permute(0, 3, 1, 2)).stride() == (3, 1, 3, 3)
    assert torch.empty_like(torch.zeros(2, 0).t()).stride() == (1, 1)


@pytest.mark.parametrize("call", [
    lambda b1, b2: torch.baddbmm(torch.ones(2, 2, 2), b1, b2),
    lambda b1, b2: torch.ones(2, 2, 2).baddbmm(b1, b2),
    lambda b1, b2: torch.ones(2, 2, 2).baddbmm_(b1, b2),
    lambda b1, b2: torch.addbmm(torch.ones(2, 2), b1, b2),
    lambda b1, b2: torch.ones(2, 2).addbmm_(b1, b2),
])
def test_batched_products_read_sizes_before_checking_ranks(call):
    with pytest.raises(IndexError, match=r"expected to be in range of \[-1, 0\], but got 1"):
        call(torch.ones(2), torch.ones(2, 2, 2))
    with pytest.raises(IndexError, match=r"expected to be in range of \[-2, 1\], but got 2"):
        call(torch.ones(2, 2, 2), torch.ones(2, 2))
    with pytest.raises(IndexError, match="but tensor has no dimensions"):
        call(torch.tensor(1.0), torch.ones(2, 2, 2))
    with pytest.raises(RuntimeError, match="batch1 must be a 3D tensor"):
        call(torch.ones(2, 2), torch.ones(2, 2, 2))
    assert call(torch.ones(2, 2, 2), torch.ones(2, 2, 2)).shape[-1] == 2


@pytest.mark.parametrize("name", ["cumsum_", "cumprod_"])
def test_in_place_scans_of_bool_are_not_implemented(name):
    with pytest.raises(NotImplementedError, match=f"{name[:-1]}_out_cpu"):
        getattr(torch.tensor([True, False]), name)(0)


@pytest.mark.parametrize("start", [torch.tensor([1]), torch.tensor(1.0), torch.tensor(True)])
def test_narrow_takes_only_a_0_dim_integer_tensor_start(start):
    with pytest.raises(RuntimeError, match="start must be an 0-dim integral Tensor"):
        torch.ones(3).narrow(0, start, 1)
    with pytest.raises(RuntimeError, match="start must be an 0-dim integral Tensor"):
        torch.narrow(torch.ones(3), 0, start, 1)


def test_narrow_with_integer_starts():
    assert torch.narrow(torch.arange(4), 0, torch.tensor(1, dtype=torch.uint8), 2).tolist() == [1, 2]
    assert torch.arange(4).narrow(dim=0, start=2, length=2).tolist() == [2, 3]


def test_remainder_of_two_numbers_is_a_type_error():
    with pytest.raises(TypeError, match="remainder"):
        torch.remainder(5, 3)
    assert torch.remainder(5, torch.tensor([3])).tolist() == [2]


def test_copy_into_an_integer_tensor_records_no_gradient():
    src = torch.tensor([1.5, 2.5, 3.5], dtype=torch.float64, requires_grad=True)
    dst = torch.zeros(3, dtype=torch.int64).copy_(src)
    assert dst.tolist() == [1, 2, 3]
    assert dst.requires_grad is False and dst.grad_fn is None
    floats = torch.zeros(3).copy_(src)
    assert floats.requires_grad is True and type(floats.grad_fn).__name__ == "CopyBackwards"


def test_broadcast_tensors_takes_tensors_not_a_sequence():
    with pytest.raises(TypeError, match="expected Tensor as element 0 in argument 0, but got list"):
        torch.broadcast_tensors([torch.ones(2), torch.ones(1)])
    with pytest.raises(TypeError, match="element 1 in argument 0, but got int"):
        torch.broadcast_tensors(torch.ones(2), 3)
    a, b = torch.broadcast_tensors(torch.ones(2), torch.ones(1, 1))
    assert a.shape == b.shape == (1, 2)
    assert torch.broadcast_tensors() == ()


@pytest.mark.parametrize("call", [
    lambda t: t.addcmul_(torch.ones(2, 3), torch.ones(2, 3)),
    lambda t: t.addcdiv_(torch.ones(2, 3), torch.ones(2, 3)),
    lambda t: t.renorm_(2, 0, 1),
    lambda t: t.heaviside_(torch.ones(2, 3)),
])
def test_in_place_into_a_view_of_a_leaf_that_requires_grad_is_refused(call):
    leaf = torch.ones(2, 3, requires_grad=True)
    with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad"):
        call(leaf.view(2, 3))
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        call(leaf)
    with torch.no_grad():
        assert call(leaf.view(2, 3)).shape == (2, 3)


@pytest.mark.parametrize("name, expected", [("add", [7.0, 8.0]), ("sub", [-5.0, -4.0])])
def test_deprecated_alpha_first_order_of_add_and_sub(monkeypatch, name, expected):
    if torch.__name__ == "ferrograd":  # the warning comes once per process, as PyTorch's
        monkeypatch.setattr(importlib.import_module("ferrograd._deprecated_overloads"), "_warned", False)
    x = torch.tensor([1.0, 2.0])
    with pytest.warns(UserWarning, match=f"This overload of {name[:3]} is deprecated"):
        r = getattr(torch, name)(x, 3, torch.tensor([2.0, 2.0]))
    assert r.tolist() == expected
    with pytest.raises(TypeError, match="takes 2 positional arguments but 3 were given"):
        getattr(torch, name)(x, x, 2)


def test_subtract_refuses_the_alpha_first_order_and_takes_alpha_after_a_number():
    x = torch.tensor([1.0, 2.0])
    for call in (lambda: torch.subtract(x, 3, torch.ones(2)), lambda: x.subtract(3, torch.ones(2)),
                 lambda: x.clone().subtract_(3, torch.ones(2))):
        with pytest.raises(TypeError, match=r"^subtract_?\(\) received an invalid combination of arguments"):
            call()
    assert torch.subtract(x, 3, 2).tolist() == [-5.0, -4.0]
    assert x.subtract(3, 2).tolist() == [-5.0, -4.0]


def test_rsub_takes_alpha_positionally():
    assert torch.rsub(torch.tensor([1.0, 2.0]), 5, 2).tolist() == [3.0, 1.0]
    assert torch.rsub(torch.tensor([1.0, 2.0]), 5, alpha=2).tolist() == [3.0, 1.0]


def test_sum_to_size_size_keyword():
    assert torch.ones(2, 2).sum_to_size(size=(1, 2)).tolist() == [[2.0, 2.0]]


def test_integer_addcmul_in_place_truncates_a_float_value():
    r = torch.tensor([1, 2]).addcmul_(torch.tensor([2, 3]), torch.tensor([2, 3]), value=2.9)
    assert r.tolist() == [9, 20]
    r = torch.tensor([1.0, 2.0]).addcmul_(torch.tensor([2, 3]), torch.tensor([2, 3]), value=2.5)
    assert r.tolist() == [11.0, 24.5]


def test_cov_warns_when_no_degree_of_freedom_is_left():
    with pytest.warns(UserWarning, match=r"cov\(\): degrees of freedom is <= 0"):
        r = torch.cov(torch.ones(2, 1))
    assert r.shape == (2, 2)
    with pytest.warns(UserWarning, match="degrees of freedom"):
        torch.corrcoef(torch.ones(2, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert abs(torch.cov(torch.tensor([[1.0, 2.0, 4.0]])).item() - 2.3333333) < 1e-5
    with pytest.raises(RuntimeError, match="expected fweights to have one or fewer dimensions"):
        torch.cov(torch.ones(3, 3), fweights=torch.ones(3, 3, dtype=torch.int64))


def test_arange_warns_when_out_holds_another_number_of_elements():
    with pytest.warns(UserWarning, match="The number of elements in the out tensor of shape"):
        r = torch.arange(2, out=torch.zeros(1))
    assert r.tolist() == [0.0, 1.0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert torch.arange(2, out=torch.zeros(0)).tolist() == [0.0, 1.0]
        assert torch.arange(2, out=torch.zeros(2)).tolist() == [0.0, 1.0]


def test_cross_without_dim_warns_of_the_deprecation(monkeypatch):
    from ferrograd import _linalg_aliases

    monkeypatch.setattr(_linalg_aliases, "_warned_cross_dim", False)  # PyTorch warns once per process
    with pytest.warns(UserWarning, match="Using torch.cross without specifying the dim arg is deprecated"):
        r = torch.cross(torch.tensor([1.0, 0.0, 0.0]), torch.tensor([0.0, 1.0, 0.0]))
    assert r.tolist() == [0.0, 0.0, 1.0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert torch.cross(torch.ones(3), torch.ones(3), dim=0).tolist() == [0.0, 0.0, 0.0]


def test_where_takes_a_uint8_condition_with_a_deprecation_warning():
    cond = torch.tensor([1, 0], dtype=torch.uint8)
    with pytest.warns(UserWarning, match="where received a uint8 condition tensor"):
        r = torch.where(cond, 2.5, torch.tensor([3, 4], dtype=torch.uint8))
    assert r.dtype == torch.float32 and r.tolist() == [2.5, 4.0]
    with pytest.warns(UserWarning, match="uint8 condition"):
        assert torch.tensor([1.0, 2.0]).where(cond, torch.tensor([3.0, 4.0])).tolist() == [1.0, 4.0]
    with pytest.raises(RuntimeError, match="where expected condition to be a boolean tensor"):
        torch.where(torch.tensor([1, 0]), torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0]))


@pytest.mark.parametrize("call", [
    lambda: torch.isin(torch.tensor([True]), torch.tensor([True])),
    lambda: torch.isin(torch.tensor([1.0, 2.0]), torch.tensor([True])),
    lambda: torch.isin(torch.tensor([1, 2]), True),
    lambda: torch.isin(True, torch.tensor([1, 2])),
])
def test_isin_refuses_bool(call):
    with pytest.raises(RuntimeError, match="Unsupported input type encountered for isin"):
        call()


@pytest.mark.parametrize("name", ["abs_", "absolute_"])
def test_in_place_abs_of_complex_is_refused(name):
    with pytest.raises(RuntimeError, match="In-place abs is not supported for complex tensors"):
        getattr(torch.tensor([1 + 1j]), name)()
    assert getattr(torch.tensor([-1.5]), name)().tolist() == [1.5]
