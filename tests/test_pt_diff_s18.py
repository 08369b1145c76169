"""Session 18 differences from PyTorch 2.13 (CPU): Python number types as the dtype of the
scans and reductions (and their `out=` checks), NumPy ufuncs and NumPy scalars beside
tensors, the `types` a tensor-like is handed by the functions PyTorch writes in Python,
ragged data whose first elements make an empty tensor, and rrelu's uint64-range bounds.
Expected values, types and messages are PyTorch's; the file also runs against PyTorch
(`FG_TEST_BACKEND=torch`)."""

import re

import numpy as np
import pytest
from backend import fg

F = fg.nn.functional
U = 2**63  # the first int past int64: PyTorch's parser reads it as a uint64 Scalar


def raises(kind, fragment):
    return pytest.raises(kind, match=re.escape(fragment))


# ---- 1. Python types as dtype= --------------------------------------------------------------

@pytest.mark.parametrize("name", ["cumsum", "cumprod"])
def test_a_running_sum_or_product_into_python_bool_has_no_kernel(name):
    message = f'"{name}_out_cpu" not implemented for \'Bool\''
    with raises(NotImplementedError, message):
        getattr(fg, name)(fg.ones(3), 0, dtype=bool)
    with raises(NotImplementedError, message):
        getattr(fg.ones(3, 2), name)(dim=1, dtype=bool)
    with raises(NotImplementedError, message):
        getattr(fg, name)(fg.ones(3, dtype=fg.int64), 0, dtype=bool)


def test_python_types_as_scan_dtypes_still_work():
    assert fg.cumsum(fg.ones(3), 0, dtype=int).dtype == fg.int64
    assert fg.cumprod(fg.ones(3), 0, dtype=float).dtype == fg.float64
    assert fg.cumsum(fg.ones(3), 0, dtype=complex).tolist() == [1, 2, 3]


@pytest.mark.parametrize(("dtype", "shown"), [(bool, "bool"), (float, "double"), (int, "long int")])
def test_an_in_place_scan_names_a_python_type_dtype_as_its_cpp_type(dtype, shown):
    with raises(RuntimeError, f"Bad in-place call: input tensor dtype float and output tensor dtype {shown} "
                              "should match"):
        fg.ones(3).cumsum_(0, dtype=dtype)


def test_nanmean_takes_python_types_and_checks_the_input_first():
    assert fg.nanmean(fg.tensor([1.0, float("nan"), 3.0]), dtype=float).dtype == fg.float64
    assert fg.ones(3).nanmean(0, dtype=float).item() == 1.0
    with raises(RuntimeError, "nanmean(): could not infer output dtype. Optional dtype must be either a floating "
                              "point or complex dtype. Got: Long"):
        fg.nanmean(fg.ones(3), dtype=int)
    with raises(RuntimeError, "Got: Bool"):
        fg.nanmean(fg.ones(3), dtype=fg.bool)
    with raises(NotImplementedError, '"nansum_cpu" not implemented for \'ComplexDouble\''):
        fg.nanmean(fg.ones(3), dtype=complex)
    with raises(RuntimeError, "nanmean(): expected input to have floating point or complex dtype but got Long"):
        fg.nanmean(fg.ones(3, dtype=fg.int64), dtype=fg.float32)


def test_out_of_a_reduction_with_a_python_type_dtype():
    out = fg.empty(3, dtype=fg.float64)
    assert fg.cumsum(fg.ones(3), 0, dtype=float, out=out) is out
    assert out.tolist() == [1.0, 2.0, 3.0]
    assert fg.prod(fg.ones(3), 0, dtype=int, out=fg.empty((), dtype=fg.int64)).item() == 1
    with raises(NotImplementedError, '"cumsum_out_cpu" not implemented for \'Bool\''):
        fg.cumsum(fg.ones(3), 0, dtype=bool, out=fg.empty(3, dtype=fg.bool))


@pytest.mark.parametrize("name", ["sum", "prod", "cumsum", "cumprod"])
@pytest.mark.parametrize("dtype", [int, "int64"])
def test_out_of_another_dtype_than_the_dtype_argument(name, dtype):
    dtype = getattr(fg, dtype) if isinstance(dtype, str) else dtype
    shape = (3,) if name.startswith("cum") else ()
    with raises(RuntimeError, "Expected out tensor to have dtype long int, but got double instead"):
        getattr(fg, name)(fg.ones(3), 0, dtype=dtype, out=fg.empty(shape, dtype=fg.float64))


def test_mean_out_must_have_the_dtype_argument():
    with raises(RuntimeError, "Expected out tensor to have dtype double, but got float instead"):
        fg.mean(fg.ones(3), 0, dtype=float, out=fg.empty(()))
    with raises(RuntimeError, "Expected out tensor to have dtype float, but got double instead"):
        fg.mean(fg.ones(3), 0, dtype=fg.float32, out=fg.empty((), dtype=fg.float64))
    with raises(RuntimeError, "Expected out tensor to have dtype double, but got long int instead"):
        fg.mean(fg.ones(3), 0, dtype=fg.float64, out=fg.empty((), dtype=fg.int64))
    with raises(RuntimeError, "mean(): could not infer output dtype"):  # mean's own check first
        fg.mean(fg.ones(3), 0, dtype=fg.int64, out=fg.empty(()))
    out = fg.empty((), dtype=fg.float64)
    assert fg.mean(fg.ones(3), 0, dtype=float, out=out).item() == 1.0


def test_nansum_and_nanmean_out_must_have_the_dtype_argument():
    with raises(RuntimeError, "nansum: provided dtype must match dtype of result. Got Float and Double."):
        fg.nansum(fg.ones(3), 0, dtype=float, out=fg.empty(()))
    with raises(RuntimeError, "nansum: provided dtype must match dtype of result. Got Double and Float."):
        fg.nanmean(fg.ones(3), 0, dtype=fg.float32, out=fg.empty((), dtype=fg.float64))
    with raises(RuntimeError, "nansum: provided dtype must match dtype of result. Got Long and Double."):
        fg.nansum(fg.ones(3), 0, dtype=fg.float64, out=fg.empty((), dtype=fg.int64))
    with raises(RuntimeError, "Expected out tensor to have dtype int, but got long int instead"):
        fg.nansum(fg.ones(3), 0, dtype=fg.int32, out=fg.empty((), dtype=fg.int64))
    with raises(RuntimeError, "Expected out tensor to have dtype float, but got double instead"):
        fg.nansum(fg.ones(3, dtype=fg.int64), 0, dtype=fg.float32, out=fg.empty((), dtype=fg.float64))
    assert fg.nansum(fg.ones(3), 0, dtype=fg.int64, out=fg.empty((), dtype=fg.int64)).item() == 3
    with raises(NotImplementedError, '"nansum_cpu" not implemented for \'Long\''):  # no dtype: the kernel's dtype
        fg.nansum(fg.ones(3), 0, out=fg.empty((), dtype=fg.int64))


@pytest.mark.parametrize("dtype", [bool, int, fg.int64])
def test_norms_refuse_a_dtype_that_is_not_floating(dtype):
    shown = "Bool" if dtype is bool else "Long"
    with raises(RuntimeError, f"linalg.vector_norm: dtype should be floating point or complex, but got {shown}"):
        fg.linalg.vector_norm(fg.ones(3), dtype=dtype)
    with raises(RuntimeError, f"linalg.vector_norm: dtype should be floating point or complex, but got {shown}"):
        fg.norm(fg.ones(3), dtype=dtype)
    for ord in ("fro", "nuc", 2):
        with raises(RuntimeError, f"linalg.matrix_norm: dtype should be floating point or complex, but got {shown}"):
            fg.linalg.matrix_norm(fg.ones(3, 3), ord, dtype=dtype)


def test_vector_norm_checks_the_input_then_the_dtype_kind():
    with raises(RuntimeError, "linalg.vector_norm: Expected a floating point or complex tensor as input. Got Long"):
        fg.linalg.vector_norm(fg.ones(3, dtype=fg.int64), dtype=fg.complex64)
    with raises(RuntimeError, "linalg.vector_norm: dtype should be floating point or complex, but got Long"):
        fg.linalg.vector_norm(fg.ones(3, dtype=fg.complex64), dtype=fg.int64)
    assert fg.linalg.matrix_norm(fg.ones(3, 3), dtype=float).dtype == fg.float64


# ---- 2. NumPy beside tensors ----------------------------------------------------------------

def test_numpy_ufuncs_compute_in_numpy_and_wrap_the_result():
    x = fg.tensor([0.0, 1.0])
    out = np.exp(x)
    assert isinstance(out, fg.Tensor) and out.dtype == fg.float32 and out.grad_fn is None
    np.testing.assert_allclose(out.numpy(), np.exp([0.0, 1.0]), rtol=1e-6)
    assert np.maximum(x, np.zeros(2)).dtype == fg.float64  # NumPy's promotion
    assert np.sqrt(fg.ones(2, dtype=fg.int64)).dtype == fg.float64


def test_a_bool_ufunc_result_is_uint8():
    out = np.isnan(fg.tensor([0.0, float("nan")]))
    assert out.dtype == fg.uint8 and out.tolist() == [0, 1]


def test_a_ufunc_on_a_tensor_that_requires_grad_is_numpys_refusal():
    with raises(RuntimeError, "Can't call numpy() on Tensor that requires grad"):
        np.exp(fg.ones(2, requires_grad=True))


@pytest.mark.parametrize("dtype", ["float32", "int64", "float64"])
def test_a_numpy_float64_left_of_an_operator_is_a_python_float(dtype):
    x = fg.ones(2, dtype=getattr(fg, dtype))
    want = fg.float64 if dtype == "float64" else fg.float32
    assert (np.float64(2.0) ** x).dtype == want
    assert (np.float64(2.0) ** x).tolist() == [2.0, 2.0]
    assert (np.float64(2.0) - x).dtype == want
    assert (np.float64(2.0) // x).dtype == want
    assert (np.float64(2.0) * x).dtype == want


# ---- 3. Tensor-likes: the types of PyTorch's Python functions -------------------------------

class Recorder:
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        return func, types, kwargs or {}


@pytest.mark.parametrize(("call", "name"), [
    (lambda x, o: o - x, "__rsub__"),
    (lambda x, o: o // x, "__rfloordiv__"),
    (lambda x, o: o % x, "__rmod__"),
    (lambda x, o: o ** x, "__rpow__"),
    (lambda x, o: o @ x, "__rmatmul__"),
])
def test_reflected_operators_written_in_python_list_tensor_in_types(call, name):
    func, types, _ = call(fg.ones(2), Recorder())
    assert func.__name__ == name
    assert types == (fg.Tensor, Recorder)


def test_operators_written_in_cpp_leave_tensor_out_of_types():
    for func, types, _ in (fg.ones(2) - Recorder(), fg.ones(2) * Recorder(), fg.add(fg.ones(2), Recorder())):
        assert types == (Recorder,)


def test_floor_division_hands_over_the_operator_itself():
    func, types, _ = fg.ones(2) // Recorder()
    assert func is fg.Tensor.__floordiv__ and types == (fg.Tensor, Recorder)


@pytest.mark.parametrize(("call", "name"), [
    (lambda x, o: fg.einsum("i,i->", x, o), "einsum"),
    (lambda x, o: fg.broadcast_tensors(x, o), "broadcast_tensors"),
    (lambda x, o: fg.meshgrid(x, o, indexing="ij"), "meshgrid"),
    (lambda x, o: fg.block_diag(x, o), "block_diag"),
    (lambda x, o: fg.cartesian_prod(x, o), "cartesian_prod"),
    (lambda x, o: fg.cdist(x, o), "cdist"),
    (lambda x, o: fg.tensordot(x, o), "tensordot"),
    (lambda x, o: F.l1_loss(x, o), "l1_loss"),
    (lambda x, o: F.cross_entropy(x, o), "cross_entropy"),
    (lambda x, o: F.embedding(x, o), "embedding"),
    (lambda x, o: F.layer_norm(x, [2], o), "layer_norm"),
])
def test_functions_written_in_python_hand_over_with_tensor_in_types(call, name):
    func, types, _ = call(fg.ones(2), Recorder())
    assert func.__name__ == name
    assert types == (fg.Tensor, Recorder)


@pytest.mark.parametrize(("call", "n_args", "keywords"), [
    (lambda o: F.dropout(o), 1, ["inplace", "p", "training"]),
    (lambda o: F.leaky_relu(o), 1, ["inplace", "negative_slope"]),
    (lambda o: F.pad(o, (1, 1)), 2, ["mode", "value"]),
    (lambda o: F.embedding(fg.ones(2), o), 2,
     ["max_norm", "norm_type", "padding_idx", "scale_grad_by_freq", "sparse"]),
    (lambda o: F.cross_entropy(fg.ones(2), o), 2,
     ["ignore_index", "label_smoothing", "reduce", "reduction", "size_average", "weight"]),
    (lambda o: fg.split(o, 1), 2, ["dim"]),
    (lambda o: fg.unique(o), 1, ["dim", "return_counts", "return_inverse", "sorted"]),
    (lambda o: fg.cdist(fg.ones(2), o), 2, ["compute_mode", "p"]),
])
def test_functions_written_in_python_pass_defaults_by_keyword(call, n_args, keywords):
    class Keeper:
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            return len(args), sorted(kwargs or {})

    assert call(Keeper()) == (n_args, keywords)


def test_split_hands_a_tensor_like_over_first():
    func, types, _ = fg.split(Recorder(), 1)
    assert func is fg.split and types == (Recorder,)


def test_mse_loss_lists_tensor_in_types_in_argument_order():
    _, types, kwargs = F.mse_loss(fg.ones(2), Recorder())
    assert types == (fg.Tensor, Recorder)
    assert sorted(kwargs) == ["reduce", "reduction", "size_average", "weight"]
    _, types, _ = F.mse_loss(Recorder(), fg.ones(2))
    assert types == (Recorder, fg.Tensor)


# ---- 4. Ragged data, uint64 rrelu bounds ----------------------------------------------------

@pytest.mark.parametrize(("data", "shape"), [
    ([[], [1]], [2, 0]),
    (([], [1, 2, 3]), [2, 0]),
    ([[], [[1]]], [2, 0]),
    ([[[], []], [1]], [2, 2, 0]),
])
def test_data_whose_first_elements_make_an_empty_tensor_is_not_checked(data, shape):
    for made in (fg.tensor(data), fg.Tensor(data), fg.as_tensor(data)):
        assert list(made.shape) == shape and made.dtype == fg.float32
    assert fg.LongTensor(data).dtype == fg.int64
    assert fg.tensor(data, dtype=fg.int64).dtype == fg.int64


def test_empty_ragged_data_still_infers_complex_and_refuses_strings():
    assert fg.tensor([[], [1j]]).dtype == fg.complex64
    with raises(TypeError, "new(): invalid data type 'str'"):
        fg.tensor([[], ["a"]])
    with raises(ValueError, "expected sequence of length 1 at dim 1 (got 0)"):
        fg.tensor([[1], []])


@pytest.mark.parametrize("upper", [U, 2**64 - 1])
def test_rrelu_reads_a_uint64_range_upper_bound_as_its_value(upper):
    slope = (0.5 + upper) / 2
    assert F.rrelu(-fg.ones(2), 0.5, upper).tolist() == pytest.approx([-slope] * 2)
    assert fg.rrelu(-fg.ones(2, dtype=fg.float64), 0.5, upper).tolist() == pytest.approx([-slope] * 2)
    x = -fg.ones(2)
    assert F.rrelu_(x, 0.5, upper) is x and x.tolist() == pytest.approx([-slope] * 2)
    assert fg.nn.RReLU(0.5, upper).eval()(-fg.ones(2)).tolist() == pytest.approx([-slope] * 2)
    drawn = F.rrelu(-fg.ones(1000), 0.5, upper, training=True)
    assert drawn.shape == (1000,) and bool((drawn <= -0.5).all())


def test_rrelu_slope_sums_of_uint64_bounds_fail_as_pytorchs_scalar_sums():
    with raises(NotImplementedError, '"add_stub" not implemented for \'UInt64\''):
        F.rrelu(fg.ones(2), U, 2**64 - 1)
    with raises(NotImplementedError, '"add_stub" not implemented for \'UInt64\''):
        fg.nn.RReLU(U, U).eval()(fg.ones(2))
    with raises(RuntimeError, "attempted to promote Long and UInt64"):
        F.rrelu(fg.ones(2), 1, U)
    with raises(RuntimeError, "attempted to promote Bool and UInt64"):
        F.rrelu(fg.ones(2), True, U)
    with raises(OverflowError, "int too big to convert"):
        F.rrelu(fg.ones(2), 0.5, 2**64)
    # in training the bounds are read as doubles: no sum
    assert F.rrelu(-fg.ones(2), U, U, training=True).tolist() == pytest.approx([-float(U)] * 2)
    assert F.rrelu(-fg.ones(2), 1, U, training=True).shape == (2,)



# ---- 5. From PyTorch's test_autograd.py -----------------------------------------------------

def _doubler(base, with_setup_context, **attrs):
    if with_setup_context:
        class Doubler(base):
            @staticmethod
            def forward(x):
                return x * 2

            @staticmethod
            def setup_context(ctx, inputs, output):
                pass

            @staticmethod
            def backward(ctx, g):
                return g * 2
    else:
        class Doubler(base):
            @staticmethod
            def forward(ctx, x):
                return x * 2

            @staticmethod
            def backward(ctx, g):
                return g * 2
    for key, value in attrs.items():
        setattr(Doubler, key, value)
    return Doubler


def test_vmap_refuses_a_function_without_setup_context():
    doubler = _doubler(fg.autograd.Function, False)
    with raises(RuntimeError, "In order to use an autograd.Function with functorch transforms (vmap, grad, jvp, "
                              "jacrev, ...), it must override the setup_context staticmethod."):
        fg.func.vmap(doubler.apply)(fg.ones(2, 3))
    assert doubler.apply(fg.ones(2)).tolist() == [2.0, 2.0]  # outside vmap it runs


def test_vmap_refuses_a_function_without_a_vmap_rule():
    doubler = _doubler(fg.autograd.Function, True)
    with raises(RuntimeError, "You tried to vmap over Doubler, but it does not have vmap support. Please override "
                              "and implement the vmap staticmethod or set generate_vmap_rule=True."):
        fg.func.vmap(doubler.apply)(fg.ones(2, 3))
    assert fg.autograd.Function.generate_vmap_rule is False
    generated = _doubler(fg.autograd.Function, True, generate_vmap_rule=True)
    assert fg.func.vmap(generated.apply)(fg.ones(2, 3)).tolist() == [[2.0] * 3] * 2


def test_jvp_reads_the_tensors_saved_for_forward_as_saved_tensors():
    fwAD = fg.autograd.forward_ad

    class Square(fg.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_forward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            return g

        @staticmethod
        def jvp(ctx, gx):
            x, = ctx.saved_tensors  # d(x²) = 2x dx
            return 2 * x * gx

    with fwAD.dual_level():
        dual = fwAD.make_dual(fg.tensor([3.0]), fg.tensor([1.0]))
        assert fwAD.unpack_dual(Square.apply(dual)).tangent.tolist() == [6.0]


# ---- 6. From PyTorch's test_binary_ufuncs.py / test_unary_ufuncs.py -------------------------

@pytest.mark.parametrize("name", ["maximum", "minimum"])
def test_maximum_and_minimum_take_no_number(name):
    with raises(TypeError, f"{name}(): argument 'other' (position 2) must be Tensor, not float"):
        getattr(fg, name)(fg.ones(2), 2.0)
    with raises(TypeError, f"{name}(): argument 'other' (position 2) must be Tensor, not bool"):
        getattr(fg, name)(fg.ones(2), True)


def test_unary_function_errors_name_the_function():
    with raises(TypeError, "relu() got an unexpected keyword argument 'out'"):
        fg.relu(fg.ones(2), out=fg.empty(2))


@pytest.mark.parametrize("name", ["abs", "ceil", "floor", "round", "trunc", "frac"])
def test_out_of_another_dtype_is_refused_before_the_missing_bool_kernel(name):
    with raises(RuntimeError, "Found dtype Byte but expected Bool"):
        getattr(fg, name)(fg.tensor([True, False]), out=fg.empty(2, dtype=fg.uint8))


def test_out_dtype_checks_before_missing_kernels():
    with raises(RuntimeError, "Found dtype Bool but expected Half"):
        fg.bitwise_not(fg.ones(2, dtype=fg.float16), out=fg.empty(2, dtype=fg.bool))
    with raises(RuntimeError, "Found dtype Long but expected ComplexFloat"):
        fg.round(fg.ones(2, dtype=fg.complex64), out=fg.empty(2, dtype=fg.int64))
    with raises(RuntimeError, "result type Half can't be cast to the desired output type Bool"):
        fg.bitwise_and(fg.ones(2, dtype=fg.float16), fg.ones(2, dtype=fg.float16), out=fg.empty(2, dtype=fg.bool))
    with raises(RuntimeError, "result type ComplexFloat can't be cast to the desired output type Long"):
        fg.erf(fg.ones(2, dtype=fg.complex64), out=fg.empty(2, dtype=fg.int64))
    with raises(RuntimeError, "result type Byte can't be cast to the desired output type Bool"):
        fg.hypot(fg.ones(2, dtype=fg.uint8), fg.ones(2, dtype=fg.uint8), out=fg.empty(2, dtype=fg.bool))
    with raises(NotImplementedError, "not implemented for 'ComplexFloat'"):  # a castable out: the kernel's refusal
        fg.erf(fg.ones(2, dtype=fg.complex64), out=fg.empty(2, dtype=fg.complex64))
    with raises(NotImplementedError, "not implemented for 'ComplexFloat'"):  # a bool result: the kernel first
        fg.lt(fg.ones(2, dtype=fg.complex64), fg.ones(2, dtype=fg.complex64), out=fg.empty(2, dtype=fg.int64))


def test_float_power_out_must_be_double():
    with raises(RuntimeError, "the output given to float_power has dtype Float but the operation's result requires "
                              "dtype Double"):
        fg.float_power(fg.ones(2), 2, out=fg.empty(2))
    with raises(RuntimeError, "the output given to float_power has dtype Double but the operation's result requires "
                              "dtype ComplexDouble"):
        fg.float_power(fg.ones(2, dtype=fg.complex64), 2, out=fg.empty(2, dtype=fg.float64))
    out = fg.empty(2, dtype=fg.float64)
    assert fg.float_power(fg.ones(2), 2, out=out) is out


def test_heaviside_out_joins_the_dtype_checks():
    x = fg.ones(2)
    with raises(RuntimeError, "heaviside is not yet implemented for tensors with different dtypes."):
        fg.heaviside(x, x, out=fg.empty(2, dtype=fg.float64))
    with raises(RuntimeError, "heaviside is not yet implemented for complex tensors."):
        fg.heaviside(x, x, out=fg.empty(2, dtype=fg.complex64))
    assert fg.heaviside(x, x, out=fg.empty(2)).tolist() == [1.0, 1.0]


def test_ldexp_and_angle_out_casts():
    with raises(RuntimeError, "ldexp can't be cast to the desired output type Long"):
        fg.ldexp(fg.ones(2, dtype=fg.int64), fg.ones(2, dtype=fg.int64), out=fg.empty(2, dtype=fg.int64))
    with raises(RuntimeError, "result type Float can't be cast to the desired output type Long"):
        fg.angle(fg.ones(2, dtype=fg.complex64), out=fg.empty(2, dtype=fg.int64))
    out = fg.empty(2, dtype=fg.float64)
    assert fg.angle(fg.tensor([1j, -1.0 + 0j]), out=out) is out
    assert out.tolist() == pytest.approx([np.pi / 2, np.pi])


def test_signbit_and_ndtr_refuse_complex_inputs():
    with raises(NotImplementedError, "signbit is not implemented for complex tensors."):
        fg.signbit(fg.ones(2, dtype=fg.complex64), out=fg.empty(2, dtype=fg.uint8))
    with raises(NotImplementedError, '"erf_vml_cpu" not implemented for \'ComplexFloat\''):
        fg.special.ndtr(fg.ones(2, dtype=fg.complex64))


def test_nan_to_num_of_complex_replaces_in_both_parts():
    z = fg.tensor([complex("nan"), complex(1, float("inf")), complex(-float("inf"), float("nan"))])
    big = float(np.finfo(np.float32).max)
    assert fg.nan_to_num(z).tolist() == [0j, complex(1, big), complex(-big, 0)]
    assert fg.nan_to_num(z.to(fg.complex128), 1.0, 2.0, -3.0).tolist() == [1 + 0j, 1 + 2j, -3 + 1j]
    assert z.nan_to_num(nan=5.0).tolist()[0] == 5 + 0j
    assert z.nan_to_num_() is z and z.tolist()[0] == 0j
    out = fg.empty(3, dtype=fg.complex64)
    assert fg.nan_to_num(z, out=out) is out and out.tolist() == z.tolist()


def test_wrong_operand_types_are_named_as_pytorchs_parser_names_them():
    idx = fg.zeros(1, dtype=fg.int64)
    with raises(TypeError, "scatter_add(): argument 'src' (position 4) must be Tensor, not numpy.ndarray"):
        fg.scatter_add(fg.ones(3), 0, idx, np.ones(1))
    with raises(TypeError, "scatter_add(): argument 'src' (position 3) must be Tensor, not float"):
        fg.ones(3).scatter_add(0, idx, 2.0)
    with raises(TypeError, "scatter_reduce(): argument 'src' (position 4) must be Tensor, not numpy.ndarray"):
        fg.scatter_reduce(fg.ones(3), 0, idx, np.ones(1), "sum")
    with raises(TypeError, "scatter_reduce(): argument 'src' (position 3) must be Tensor, not float"):
        fg.ones(3).scatter_reduce(0, idx, 2.0, "sum")
    for call in (fg.broadcast_tensors, fg.block_diag):
        with raises(TypeError, "expected Tensor as element 1 in argument 0, but got numpy.ndarray"):
            call(fg.ones(2), np.ones(2))
    with raises(TypeError, "expected Tensor as element 1 in argument 1, but got numpy.ndarray"):
        fg.einsum("i,i->", fg.ones(2), np.ones(2))
    with raises(TypeError, "expected Tensor as element 1 in argument 1, but got int"):
        fg.einsum("i,i->", [fg.ones(2), 3])


def test_overrides_helpers_as_pytorchs():
    ov = fg.overrides
    with raises(TypeError, "expected a sequence"):
        ov.has_torch_function(5)
    assert ov.has_torch_function(iter([Recorder()])) and not ov.has_torch_function([fg.ones(1)])
    table = ov.get_overridable_functions()
    assert type(table).__name__ == "defaultdict" and fg.exp in table[fg]
    with raises(RuntimeError, "Accessing torch dispatch state outside of '__torch_dispatch__' is not allowed."), \
            ov.enable_reentrant_dispatch():
        pass
    assert fg.Tensor.grad.__get__ in ov.get_default_nowrap_functions()

    @ov.wrap_torch_function(lambda a: a)  # the dispatcher hands back no sequence
    def bad(a):
        return a

    with raises(TypeError, "expected a sequence"):
        bad(3)


def test_data_readers_read_a_tensor_like_as_data():
    for call in (lambda o: fg.as_tensor(o), lambda o: fg.asarray(o), lambda o: fg.tensor([o])):
        with raises(RuntimeError, "Could not infer dtype of Recorder"):
            call(Recorder())
    with raises(TypeError, "must be real number, not Recorder"):
        fg.ones(2).new_tensor(Recorder())


@pytest.mark.parametrize(("data", "dtype", "kind", "message"), [
    ([object()], None, RuntimeError, "Could not infer dtype of object"),
    ([[1.0], [None]], None, RuntimeError, "Could not infer dtype of NoneType"),
    ([object()], "float32", TypeError, "must be real number, not object"),
    ([object()], "complex64", TypeError, "must be real number, not object"),
    ([object()], "int64", TypeError, "'object' object cannot be interpreted as an integer"),
    ([object()], "bool", TypeError, "'object' object cannot be interpreted as an integer"),
])
def test_an_element_that_is_no_number_is_named(data, dtype, kind, message):
    with raises(kind, message):
        fg.tensor(data, dtype=None if dtype is None else getattr(fg, dtype))
