"""Session 17 differences from PyTorch 2.13 (CPU): uint64-range Python ints as Scalars,
`linalg.solve_triangular` of mixed dtypes, what `out=` records when an input requires
grad, huge ints and float sizes, the check order of index_reduce/index_copy/index_add/
lu_solve, conv with padding='same' and a bias of another dtype, tensor-likes handed
methods and comparisons, the legacy constructors' TypeErrors and a few bad calls found
by `tools/opinfo_diff.py --mutate`. Expected values, types and messages are PyTorch's;
the file also runs against PyTorch (`FG_TEST_BACKEND=torch`)."""

import re
import warnings

import numpy as np
import pytest
from backend import MOD, fg

F = fg.nn.functional
U = 2**63  # the first int past int64: PyTorch's parser reads it as a uint64 Scalar
OVERFLOW = "value cannot be converted to type int64_t without overflow"


def raises(kind, fragment):
    return pytest.raises(kind, match=re.escape(fragment))


# ---- 1. uint64-range ints as Scalars --------------------------------------------------------

@pytest.mark.parametrize("value", [U, 2**64 - 1])
def test_products_take_a_uint64_alpha_and_beta_on_float_tensors(value):
    x, v, m = fg.ones(2, 3), fg.ones(3), fg.ones(2, 3, 3)
    assert fg.addmv(fg.ones(2), x, v, alpha=value).tolist() == pytest.approx([1 + 3.0 * value] * 2)
    assert fg.addmv(fg.ones(2), x, v, beta=value).tolist() == pytest.approx([3.0 + value] * 2)
    assert fg.addmm(fg.ones(2, 2), x, x.T, alpha=value)[0, 0].item() == pytest.approx(1 + 3.0 * value)
    assert fg.addbmm(fg.ones(3, 3), m, m, alpha=value)[0, 0].item() == pytest.approx(1 + 6.0 * value)
    assert fg.baddbmm(fg.ones(2, 3, 3), m, m, beta=value)[0, 0, 0].item() == pytest.approx(3.0 + value)
    assert fg.addr(fg.ones(3, 3), v, v, alpha=value)[0, 0].item() == pytest.approx(1.0 + value)
    out = fg.empty(2)
    fg.addmv(fg.ones(2), x, v, beta=value, out=out)
    assert out.tolist() == pytest.approx([3.0 + value] * 2)
    y = fg.ones(2, dtype=fg.float64)
    y.addmv_(x.double(), v.double(), beta=value)
    assert y.tolist() == pytest.approx([3.0 + value] * 2)


def test_products_of_integer_tensors_refuse_a_uint64_alpha():
    xi = fg.ones(2, 3, dtype=fg.int64)
    with raises(RuntimeError, OVERFLOW):
        fg.addmv(fg.ones(2, dtype=fg.int64), xi, fg.ones(3, dtype=fg.int64), alpha=U)
    with raises(RuntimeError, OVERFLOW):
        fg.addmm(fg.ones(2, 2, dtype=fg.int64), xi, xi.T, beta=U)


def test_activations_take_uint64_parameters_on_float_tensors():
    v = fg.ones(3)
    assert F.softplus(v, beta=U).tolist() == [1.0, 1.0, 1.0]  # beta * x past the threshold: x
    assert F.softplus(v.double(), threshold=U).tolist() == pytest.approx([1.3132616875182228] * 3)
    assert F.hardtanh(v, max_val=U).tolist() == [1.0, 1.0, 1.0]
    assert F.leaky_relu(-v, U).tolist() == pytest.approx([-float(U)] * 3)
    assert F.elu(v, alpha=U).tolist() == [1.0, 1.0, 1.0]
    assert F.celu(v, alpha=U).tolist() == [1.0, 1.0, 1.0]
    assert F.threshold(v, 0.5, U).tolist() == [1.0, 1.0, 1.0]
    assert F.hardshrink(v, U).tolist() == [0.0, 0.0, 0.0]
    assert F.softshrink(v, U).tolist() == [0.0, 0.0, 0.0]
    with raises(RuntimeError, OVERFLOW):
        F.hardtanh(fg.ones(3, dtype=fg.int64), max_val=U)


def test_pow_takes_a_uint64_exponent_of_floats_and_refuses_it_for_integers():
    v = fg.full((2,), 2.0)
    assert (v ** U).tolist() == [float("inf")] * 2
    assert fg.pow(v, U).tolist() == [float("inf")] * 2
    assert v.pow(U).tolist() == [float("inf")] * 2
    assert v.clone().pow_(U).tolist() == [float("inf")] * 2
    assert fg.pow(fg.ones(2), 2**64 - 1).tolist() == [1.0, 1.0]
    for integers in (fg.ones(2, dtype=fg.int64), fg.ones(2, dtype=fg.bool)):
        with raises(RuntimeError, OVERFLOW):
            integers ** U


def test_a_uint64_base_is_its_value_for_floats_and_wraps_for_integers():
    assert (U ** fg.full((2,), 0.5)).tolist() == [3037000448.0] * 2  # float32(sqrt(2**63))
    assert fg.pow(U, fg.full((2,), 2.0)).tolist() == pytest.approx([8.507059173023462e37] * 2)
    assert (U ** fg.ones(2, dtype=fg.int64)).tolist() == [-(2**63)] * 2
    assert (fg.pow(2**64 - 1, fg.ones(2, dtype=fg.int64))).tolist() == [-1, -1]
    with raises(RuntimeError, "Promotion for uint16, uint32, uint64 types is not supported"):
        U ** fg.ones(2, dtype=fg.bool)


def test_linspace_and_index_fill_take_a_uint64_value():
    assert fg.linspace(0, U, 3).tolist() == [0.0, 4.611686018427388e18, 9.223372036854776e18]
    assert fg.linspace(2**64 - 1, 0, 3, dtype=fg.float64).tolist() == [1.8446744073709552e19, 9.223372036854776e18,
                                                                           0.0]
    with raises(RuntimeError, OVERFLOW):
        fg.linspace(0, U, 3, dtype=fg.int64)
    filled = fg.ones(3).index_fill(0, fg.tensor([0]), U)
    assert filled.tolist() == [9.223372036854776e18, 1.0, 1.0]


def test_a_uint64_scalar_is_refused_where_int64_is_needed():
    with raises(RuntimeError, OVERFLOW):
        fg.arange(U)
    with raises(RuntimeError, OVERFLOW):
        fg.full((2,), U)
    with raises(RuntimeError, OVERFLOW):
        fg.ones(2, dtype=fg.int64).clamp(max=U)
    assert (fg.ones(3, dtype=fg.int64) + U).tolist() == [-(2**63) + 1] * 3  # wraps, as PyTorch's int kernels


# ---- 2. linalg.solve_triangular of mixed dtypes ------------------------------------------------

A = [[2.0, 1.0], [0.0, 4.0]]
B = [[1.0, 2.0], [3.0, 4.0]]
X = [[0.125, 0.5], [0.75, 1.0]]


@pytest.mark.parametrize("a_dtype,b_dtype", [("float32", "float64"), ("float64", "float32"), ("float32", "int64"),
                                             ("float64", "int64")])
def test_solve_triangular_solves_in_the_dtype_of_a(a_dtype, b_dtype):
    a = fg.tensor(A, dtype=getattr(fg, a_dtype))
    b = fg.tensor(B, dtype=getattr(fg, b_dtype))
    x = fg.linalg.solve_triangular(a, b, upper=True)
    assert x.dtype == a.dtype
    assert x.tolist() == X


def test_solve_triangular_of_a_complex_b_and_a_real_a_drops_the_imaginary_part():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyTorch's warning about the imaginary part comes once a process
        x = fg.linalg.solve_triangular(fg.tensor(A), fg.tensor(B, dtype=fg.complex64) + 1j, upper=True)
    assert x.dtype == fg.float32 and x.tolist() == X


def test_solve_triangular_out_must_have_the_dtype_of_a():
    with raises(RuntimeError, "expected scalar type Float but found Double"):
        fg.linalg.solve_triangular(fg.tensor(A), fg.tensor(B), upper=True, out=fg.empty(2, 2, dtype=fg.float64))
    with raises(RuntimeError, "expected scalar type Double but found Float"):
        fg.linalg.solve_triangular(fg.tensor(A, dtype=fg.float64), fg.tensor(B), upper=True, out=fg.empty(2, 2))
    out = fg.empty(2, 2)
    fg.linalg.solve_triangular(fg.tensor(A), fg.tensor(B, dtype=fg.float64), upper=True, out=out)
    assert out.tolist() == X


def test_solve_triangular_of_an_integer_a_is_not_implemented():
    with raises(NotImplementedError, "\"triangular_solve_cpu\" not implemented for 'Long'"):
        fg.linalg.solve_triangular(fg.tensor(A).long(), fg.tensor(B), upper=True)


def test_solve_triangular_of_mixed_dtypes_sends_b_its_gradient_in_its_dtype():
    b = fg.tensor(B, dtype=fg.float64, requires_grad=True)
    fg.linalg.solve_triangular(fg.tensor(A), b, upper=True).sum().backward()
    # dB = A^-T ones: A^T y = 1 gives y = [0.5, 0.125]
    assert b.grad.dtype == fg.float64
    assert b.grad.tolist() == [[0.5, 0.5], [0.125, 0.125]]


# ---- 3. out= with an input requiring grad ------------------------------------------------------

NOT_IMPLEMENTED_OUTS = [
    ("view_copy", lambda x, o: fg.view_copy(x, (9,), out=o)),
    ("permute_copy", lambda x, o: fg.permute_copy(x, (1, 0), out=o)),
    ("t_copy", lambda x, o: fg.t_copy(x, out=o)),
    ("transpose_copy", lambda x, o: fg.transpose_copy(x, 0, 1, out=o)),
    ("expand_copy", lambda x, o: fg.expand_copy(x, (2, 3, 3), out=o)),
    ("unsqueeze_copy", lambda x, o: fg.unsqueeze_copy(x, 0, out=o)),
    ("diagonal_copy", lambda x, o: fg.diagonal_copy(x, out=o)),
    ("alias_copy", lambda x, o: fg.alias_copy(x, out=o)),
    ("detach_copy", lambda x, o: fg.detach_copy(x, out=o)),
    ("select_copy", lambda x, o: fg.select_copy(x, 0, 0, out=o)),
    ("unfold_copy", lambda x, o: fg.unfold_copy(x, 0, 2, 1, out=o)),
    ("softmax", lambda x, o: fg.softmax(x, 0, out=o)),
    ("log_softmax", lambda x, o: fg.log_softmax(x, 0, out=o)),
    ("diagonal_copy", lambda x, o: fg.diag(x, out=o)),
    ("diag_embed", lambda x, o: fg.diag(x[0], out=o)),
    ("heaviside", lambda x, o: fg.heaviside(x, x, out=o)),
    ("slice_scatter", lambda x, o: fg.slice_scatter(x, x, out=o)),
    ("scatter", lambda x, o: fg.scatter(x, 0, fg.zeros(3, 3, dtype=fg.int64), x, reduce="add", out=o)),
    ("floor_divide", lambda x, o: fg.floor_divide(x, 2, out=o)),
]


@pytest.mark.parametrize("kernel,call", NOT_IMPLEMENTED_OUTS)
def test_out_of_an_op_without_a_derivative_records_not_implemented(kernel, call):
    x = fg.rand(3, 3, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = call(x, fg.empty(0))
    assert out.requires_grad and not out.is_leaf
    assert type(out.grad_fn).__name__ == "NotImplemented"
    assert "grad_fn=<NotImplemented>" in repr(out)
    with raises(RuntimeError, f"derivative for aten::{kernel} is not implemented"):
        out.abs().sum().backward()


def test_out_without_an_input_requiring_grad_records_nothing():
    out = fg.view_copy(fg.ones(2, 3), (6,), out=fg.empty(0))
    assert not out.requires_grad and out.grad_fn is None


@pytest.mark.parametrize("call", [lambda x, o: fg.inner(x, x, out=o), lambda x, o: fg.tensordot(x, x, 1, out=o)])
def test_inner_and_tensordot_out_copy_their_differentiable_result(call):
    x = fg.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    out = call(x, fg.empty(0))
    assert type(out.grad_fn).__name__ == "CopyBackwards"
    out.sum().backward()
    assert x.grad is not None


# ---- 4. huge ints and float sizes ----------------------------------------------------------------

def test_max_unpool_refuses_float_output_sizes_as_its_parser_does():
    x, i = fg.ones(1, 1, 2, 2), fg.zeros(1, 1, 2, 2, dtype=fg.int64)
    message = "max_unpool2d(): argument 'output_size' (position 3) must be tuple of ints, but found element of " \
              "type float at pos 0"
    with raises(TypeError, message):
        F.max_unpool2d(x, i, 2, output_size=(4.0, 4.0))
    with raises(TypeError, message):
        F.max_unpool2d(x, i, 2.0)
    with raises(TypeError, message):  # the 1-d form runs the 2-d kernel
        F.max_unpool1d(fg.ones(1, 1, 2), fg.zeros(1, 1, 2, dtype=fg.int64), 2, output_size=(4.0,))
    with raises(TypeError, "failed to unpack the object at pos 2 with error \"type must be tuple of ints,but got float"):
        F.max_unpool2d(x, i, 2, output_size=(4, 4.0))
    with raises(ValueError, 'invalid output_size "(9.0, 9.0)" (dim 0 must be between 2 and 6)'):
        F.max_unpool2d(x, i, 2, output_size=(9.0, 9.0))


def test_max_unpool_sizes_past_int64():
    x, i = fg.ones(1, 1, 2, 2), fg.zeros(1, 1, 2, 2, dtype=fg.int64)
    with raises(TypeError, "max_unpool2d(): argument 'output_size' failed to unpack the object at pos 1 with error "
                           "\"Overflow when unpacking long long"):
        F.max_unpool2d(x, i, U)
    with raises(TypeError, "max_unpool3d(): argument 'stride' failed to unpack the object at pos 3"):
        F.max_unpool3d(fg.ones(1, 1, 2, 2, 2), fg.zeros(1, 1, 2, 2, 2, dtype=fg.int64), (2, 2, U))
    with raises(ValueError, "max_unpooling: output_size must contain non-negative spatial dimensions, but got "
                            "output_size[0]=-18446744073709551612"):
        F.max_unpool2d(x, i, 2, 2, U)
    with raises(ValueError, "output_size[0]=-2"):
        F.max_unpool2d(x, i, 2, 2, 3)


def test_lone_ints_past_int64_are_the_parsers_value_error():
    for call in (lambda: fg.native_group_norm(fg.ones(2, 4, 3), None, None, U, 4, 3, 2, 1e-5),
                 lambda: fg.native_group_norm(fg.ones(2, 4, 3), None, None, 2, 4, 3, -U - 1, 1e-5),
                 lambda: fg.narrow_copy(fg.ones(3, 3), U, 0, 1),
                 lambda: fg.cov(fg.ones(2, 3), correction=U),
                 lambda: F.adaptive_avg_pool2d(fg.ones(1, 1, 2, 2), U)):
        with raises(ValueError, "Overflow when unpacking long long"):
            call()
    with raises(TypeError, "argument 'output_size' failed to unpack the object at pos 2"):
        F.adaptive_avg_pool2d(fg.ones(1, 1, 2, 2), (1, U))


def test_a_correction_past_the_scalar_range_does_not_convert():
    with raises(OverflowError, "int too big to convert"):
        fg.var(fg.ones(2, 3), correction=2**64)
    with raises(OverflowError, "can't convert negative int to unsigned"):
        fg.std(fg.ones(2, 3), correction=-U - 1)


# ---- 5. check order of the index ops -------------------------------------------------------------

def test_index_reduce_and_index_add_compare_the_slices_of_a_0_dim_source():
    message = "source tensor shape must match self tensor shape, excluding the specified dimension. Got self.shape = " \
              "[3] source.shape = []"
    with warnings.catch_warnings(), raises(RuntimeError, message):
        warnings.simplefilter("ignore")  # index_reduce is in beta
        fg.ones(3).index_reduce(0, fg.tensor(0), fg.tensor(2.0), "prod")
    with raises(RuntimeError, message):
        fg.ones(3).index_add(0, fg.tensor([5]), fg.tensor(2.0))  # before the index's range


def test_index_add_counts_the_indices_of_a_0_dim_source_with_its_size():
    # PyTorch's message reads source.size(0) of the 0-dim source: its IndexError
    with raises(IndexError, "Dimension specified as 0 but tensor has no dimensions"):
        fg.ones(3).index_add(0, fg.zeros(0, dtype=fg.int64), fg.tensor(2.0))
    with raises(RuntimeError, "index_add_(): Number of indices (1) should be equal to source.size(dim): (3), for dim: 0"):
        fg.tensor(1.0).index_add(0, fg.tensor(0), fg.ones(3))
    with raises(RuntimeError, "index_add_(): Indexing dim 1 is out of bounds of the source tensor with dim 1"):
        fg.ones(3, 2).index_add(1, fg.tensor([0]), fg.ones(3))


def test_index_copy_checks_ranks_before_dtypes_and_slices_before_counts():
    assert fg.tensor(1.0).index_copy(0, fg.tensor([0]), fg.tensor([5.0])).tolist() == 5.0
    with raises(IndexError, "index_copy_(): When source and destination are not scalars, their dimensionality must "
                            "match. Source dimensionality (3), destination dimensionality (2)"):
        fg.ones(3, 2).index_copy(0, fg.tensor([0.0]), fg.ones(1, 2, 3))
    with raises(RuntimeError, "Destination slice shape: 2 4 at dimension 0 and source slice shape: 3 5 at dimension 0."):
        fg.ones(3, 2, 4).index_copy(0, fg.tensor([0]), fg.ones(1, 3, 5))
    with raises(RuntimeError, "setStorage: sizes [1], strides [0], storage offset 0, and itemsize 4 requiring a "
                              "storage size of 4 are out of bounds for storage of size 0"):
        fg.ones(0).index_copy(0, fg.tensor(0), fg.tensor(2.0))


def test_lu_solve_reads_the_last_size_of_0_dim_pivots():
    LU, _ = fg.linalg.lu_factor(fg.tensor([[2.0, 0.0], [0.0, 1.0]]))
    with raises(IndexError, "Dimension specified as -1 but tensor has no dimensions"):
        fg.linalg.lu_solve(LU, fg.tensor(1, dtype=fg.int32), fg.ones(2, 1))


# ---- 6. conv with padding='same' and a bias of another dtype ---------------------------------------

@pytest.mark.parametrize("nd", [1, 2, 3])
@pytest.mark.parametrize("bias_dtype", ["float64", "float16", "int64", "bool"])
def test_same_padding_adds_a_bias_of_any_dtype_in_the_inputs(nd, bias_dtype):
    conv = getattr(F, f"conv{nd}d")
    x, w = fg.ones((1, 2) + (4,) * nd), fg.ones((2, 2) + (3,) * nd)
    out = conv(x, w, fg.ones(2).to(getattr(fg, bias_dtype)), padding="same")
    assert out.dtype == fg.float32
    corner = {1: 5.0, 2: 9.0, 3: 17.0}[nd]  # 2 channels * 2**nd taps of ones, plus the bias
    assert out.flatten()[0].item() == corner


def test_same_padding_sends_the_bias_its_gradient_in_its_dtype():
    b = fg.ones(2, dtype=fg.float64, requires_grad=True)
    out = F.conv2d(fg.ones(1, 2, 4, 4), fg.ones(2, 2, 3, 3), b, padding="same")
    out.sum().backward()
    assert type(out.grad_fn).__name__ == "ConvolutionBackward0"
    assert b.grad.dtype == fg.float64 and b.grad.tolist() == [16.0, 16.0]


def test_other_padding_refuses_a_bias_of_another_dtype():
    with raises(RuntimeError, "Input type (float) and bias type (double) should be the same"):
        F.conv2d(fg.ones(1, 2, 4, 4), fg.ones(2, 2, 3, 3), fg.ones(2, dtype=fg.float64), stride=2)


# ---- 7. tensor-likes -----------------------------------------------------------------------------

class Recorder:
    """Answers every call with what it was called with."""

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        return func, args, kwargs or {}


class Declines:
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        return NotImplemented


@pytest.mark.parametrize("name", ["mul", "add", "sub", "div", "eq", "ne", "lt", "le", "gt", "ge", "matmul"])
def test_methods_hand_a_tensor_like_other_the_call(name):
    x, obj = fg.ones(2), Recorder()
    func, args, kwargs = getattr(x, name)(obj)
    assert func is getattr(fg.Tensor, name)
    assert args[0] is x and args[1] is obj and kwargs == {}


def test_add_hands_a_tensor_like_its_alpha():
    x, obj = fg.ones(2), Recorder()
    assert x.add(obj, alpha=2)[2] == {"alpha": 2}


@pytest.mark.parametrize("op,name", [("__eq__", "eq"), ("__ne__", "ne"), ("__lt__", "lt"), ("__ge__", "ge"),
                                     ("__matmul__", "matmul")])
def test_comparisons_and_matmul_hand_a_tensor_like_the_call(op, name):
    x, obj = fg.ones(2), Recorder()
    func, args, _ = getattr(x, op)(obj)
    assert func is getattr(fg.Tensor, name) and args[0] is x and args[1] is obj


def test_a_tensor_like_on_the_left_of_at_gets_rmatmul():
    x, obj = fg.ones(2), Recorder()
    func, args, _ = obj @ x
    assert func is fg.Tensor.__rmatmul__ and args[0] is x and args[1] is obj


def test_a_declining_tensor_like_gets_pythons_operator_errors_and_the_methods_dispatch_error():
    x, obj = fg.ones(2), Declines()
    assert (x == obj) is False and (x != obj) is True
    with raises(TypeError, "'<' not supported between instances of 'Tensor' and 'Declines'"):
        x < obj  # noqa: B015
    with raises(TypeError, "unsupported operand type(s) for @: 'Tensor' and 'Declines'"):
        x @ obj
    with raises(TypeError, f"Multiple dispatch failed for '{MOD}.Tensor.mul'; all __torch_function__ handlers "
                           "returned NotImplemented"):
        x.mul(obj)


def test_softmax_and_mse_loss_hand_a_tensor_like_the_call_with_their_keywords():
    obj = Recorder()
    func, args, kwargs = F.softmax(obj, 0)
    assert func is F.softmax and args == (obj,) and kwargs == {"dim": 0, "_stacklevel": 3, "dtype": None}
    x = fg.ones(2)
    func, args, kwargs = F.mse_loss(x, obj)
    assert func is F.mse_loss and args[0] is x and args[1] is obj
    assert sorted(kwargs) == ["reduce", "reduction", "size_average", "weight"]
    with raises(TypeError, f"no implementation found for '{MOD}.nn.functional.softmax' on types that implement "
                           "__torch_function__"):
        F.softmax(Declines())


# ---- 8. the legacy constructors' TypeErrors ------------------------------------------------------

def test_tensor_of_two_lists_is_an_invalid_combination():
    with pytest.raises(TypeError) as info:
        fg.Tensor([1, 2], [3])
    assert str(info.value) == (
        "new() received an invalid combination of arguments - got (list, list), but expected one of:\n"
        f" * (*, {MOD}.device device = None)\n"
        "      didn't match because some of the arguments have invalid types: (!list of [int, int]!, !list of [int]!)\n"
        f" * ({MOD}.Storage storage)\n"
        " * (Tensor other)\n"
        f" * (tuple of ints size, *, {MOD}.device device = None)\n"
        f" * (object data, *, {MOD}.device device = None)\n"
    )


@pytest.mark.parametrize("call,fragment", [
    (lambda: fg.Tensor(fg.ones(2), 2), "(!Tensor!, !int!)"),
    (lambda: fg.FloatTensor(1.0, 2), "(!float!, !int!)"),
    (lambda: fg.Tensor(True, 2), "(!bool!, !int!)"),
    (lambda: fg.Tensor((1, 2), 3), "(!tuple of (int, int)!, !int!)"),
    (lambda: fg.Tensor(np.ones(2), 1), "(!numpy.ndarray!, !int!)"),
    (lambda: fg.Tensor(2, dtype=fg.float64), "didn't match because some of the keywords were incorrect: dtype"),
    (lambda: fg.LongTensor(2, 3, dtype=fg.float64), "got (int, int, dtype="),
    (lambda: fg.Tensor(x=2), "got (x=int, ), but expected one of"),
])
def test_other_legacy_calls_no_overload_takes(call, fragment):
    with raises(TypeError, fragment):
        call()


def test_legacy_sizes_led_by_an_int_still_fail_to_unpack():
    with raises(TypeError, "new(): argument 'size' failed to unpack the object at pos 2 with error \"type must be "
                           "tuple of ints,but got str\""):
        fg.Tensor(2, "a")
    assert fg.Tensor(size=(2,)).shape == (2,)


@pytest.mark.parametrize("data,dtype,kind,message", [
    ([1, [2]], None, TypeError, "'list' object cannot be interpreted as an integer"),
    ([1.5, [2]], None, TypeError, "must be real number, not list"),
    ([1, [2]], "float64", TypeError, "must be real number, not list"),
    ([1, (2,)], None, TypeError, "'tuple' object cannot be interpreted as an integer"),
    ([[1], 2], None, TypeError, "not a sequence"),
    ([[1, 2], [3]], None, ValueError, "expected sequence of length 2 at dim 1 (got 1)"),
])
def test_ragged_data_fails_where_pytorch_stores_it(data, dtype, kind, message):
    with raises(kind, message):
        fg.tensor(data, dtype=None if dtype is None else getattr(fg, dtype))


# ---- 9. bad calls from the mutation run ---------------------------------------------------------

def test_split_calls_the_method_of_what_it_is_given():
    with raises(AttributeError, "'NoneType' object has no attribute 'split'"):
        fg.split(None, 2)


def test_mse_loss_reads_the_sizes_of_its_arguments_first():
    with raises(TypeError, "'int' object is not callable"):
        F.mse_loss(fg.ones(3), np.ones(3))


def test_masked_fill_and_scatter_refuse_numpy_arrays_but_take_numpy_scalars():
    mask = fg.ones(3) > 0
    with raises(TypeError, "masked_fill() received an invalid combination of arguments"):
        fg.ones(3).masked_fill(mask, np.array(1.0))
    with raises(TypeError, "scatter() received an invalid combination of arguments"):
        fg.zeros(3).scatter(0, fg.tensor([0]), np.ones(1))
    assert fg.ones(3).masked_fill(mask, np.float32(2)).tolist() == [2.0, 2.0, 2.0]
    assert fg.zeros(3).scatter(0, fg.tensor([0]), np.float64(1.0)).tolist() == [1.0, 0.0, 0.0]


def test_scalar_tensor_reads_its_number_as_a_scalar():
    assert fg.scalar_tensor(U).item() == 9.223372036854776e18
    assert fg.scalar_tensor(U, dtype=fg.bool).item() is True
    with raises(OverflowError, "int too big to convert"):
        fg.scalar_tensor(2**64)
    with raises(OverflowError, "can't convert negative int to unsigned"):
        fg.scalar_tensor(-U - 1)
    with raises(RuntimeError, OVERFLOW):
        fg.scalar_tensor(U, dtype=fg.int64)
    with raises(RuntimeError, "value cannot be converted to type uint8_t without overflow"):
        fg.scalar_tensor(U, dtype=fg.uint8)


def test_a_huge_unpooled_size_is_an_error_not_an_abort():
    with raises(RuntimeError, "can't allocate memory: you tried to allocate 8796093022208 bytes"):
        F.max_unpool1d(fg.ones(1, 1, 2), fg.zeros(1, 1, 2, dtype=fg.int64), 2**40)
    with raises(RuntimeError, "numel: integer multiplication overflow"):
        F.max_unpool2d(fg.ones(1, 1, 2, 2), fg.zeros(1, 1, 2, 2, dtype=fg.int64), 2**40)


@pytest.mark.parametrize("dtype,name", [("float16", "c10::Half"), ("bfloat16", "c10::BFloat16"), ("int32", "int"),
                                        ("uint8", "unsigned char"), ("complex128", "c10::complex<double>")])
def test_the_bias_dtype_refusal_names_the_c_type(dtype, name):
    with raises(RuntimeError, f"Input type (float) and bias type ({name}) should be the same"):
        F.conv1d(fg.ones(1, 2, 4), fg.ones(2, 2, 3), fg.ones(2, dtype=getattr(fg, dtype)))


def test_a_uint64_number_first_in_a_two_operand_function_is_its_value():
    assert fg.xlogy(U, fg.full((2,), 2.0)).tolist() == pytest.approx([6.393154340168663e18] * 2)  # U * log 2
    r = fg.float_power(U, fg.ones(2, dtype=fg.int64))
    assert r.dtype == fg.float64 and r.tolist() == [9.223372036854776e18] * 2


class Disabled:
    """A non-tensor whose `__torch_function__` is the disabled one: it overrides nothing."""

    __torch_function__ = fg._C._disabled_torch_function_impl  # what tensor subclasses set


def test_a_method_keeps_its_error_for_an_object_that_overrides_nothing():
    with raises(TypeError, "mul(): argument 'other'"):
        fg.ones(2).mul(Disabled())
