"""Session 20 differences from PyTorch 2.13 (CPU) found by `tools/fuzz_api.py`, the
bad-input fuzzer of the whole public API: the draws of random in-place ops on tensors not
laid out row-major and of `random_()` on small dtypes, 0-dim tensors as activation
parameters, `cdist`'s checks and `multi_dot` handed a tensor. Expected values, types and
messages are PyTorch's; the file also runs against PyTorch (`FG_TEST_BACKEND=torch`)."""

import math
import re
import warnings

import numpy as np
import pytest
from backend import fg

F = fg.nn.functional
X = [[0.5, -1.0, 2.0], [1.5, -0.25, 3.0]]


def raises(kind, fragment):
    return pytest.raises(kind, match=re.escape(fragment))


def close(t, expected, tol=1e-6):
    np.testing.assert_allclose(np.array(t.tolist(), dtype=float), np.array(expected, dtype=float), rtol=tol, atol=tol)


# ---- 1. random_() with no bounds: one 32-bit word per element but for int64/float64 ----

@pytest.mark.parametrize(("dtype", "expected"), [
    ("bool", [False, True, True, False, True, True]),
    ("uint8", [172, 47, 117, 192, 67, 251]),
    ("int8", [44, 47, 117, 64, 67, 123]),
    ("int16", [2732, 10799, 9845, 19648, 13123, 21243]),
    ("int32", [209652396, 398764591, 924231285, 1478610112, 441365315, 1537364731]),
    ("float16", [1277.0, 1017.0, 1661.0, 999.0, 982.0, 543.0]),
    ("bfloat16", [149.0, 179.0, 47.0, 62.0, 69.0, 112.0]),
])
def test_random_without_bounds_draws_pytorchs_numbers(dtype, expected):
    fg.manual_seed(0)
    x = fg.zeros(6, dtype=getattr(fg, dtype))
    x.random_()
    assert x.tolist() == expected


# ---- 2. random in-place ops write their draws in memory order ---------------------------

@pytest.mark.parametrize(("op", "args", "expected"), [
    ("exponential_", (), [[3.508326186707642, 2.5351186442158817], [1.2303847641796768, 1.035705435822808],
                          [0.6150440938940115, 1.566128895584752]]),
    ("cauchy_", (), [[10.597729326682297, 3.93307331099465], [0.7647672596059, 0.48998891003243533],
                     [-0.12829934208317406, 1.298836902572973]]),
    ("log_normal_", (), [[59.26341788010752, 8.472812895730142], [1.5115599370617072, 0.31066358117688375],
                         [0.03481946309690494, 0.16576390024098195]]),
    ("geometric_", (0.3,), [[1.0, 1.0], [1.0, 2.0], [3.0, 1.0]]),
    ("bernoulli_", (), [[0.0, 0.0], [0.0, 0.0], [1.0, 0.0]]),
    ("random_", (0, 100), [[44.0, 60.0], [39.0, 63.0], [33.0, 79.0]]),
])
def test_random_fill_of_a_transposed_tensor_follows_memory_order(op, args, expected):
    fg.manual_seed(0)
    x = fg.zeros(2, 3, dtype=fg.float64).t()
    getattr(x, op)(*args)
    close(x, expected, 1e-12)


def test_random_fill_of_a_permuted_3d_tensor_follows_memory_order():
    fg.manual_seed(0)
    x = fg.zeros(2, 3, 4).permute(2, 0, 1)
    x.exponential_()
    close(x.reshape(-1)[:8], [3.508326292037964, 1.0357054471969604, 0.8706983327865601, 0.4389186203479767,
                              0.5230358242988586, 0.23618634045124054, 1.2303847074508667, 1.5661288499832153])


def test_bernoulli_with_a_tensor_p_pairs_each_draw_with_its_elements_p():
    fg.manual_seed(0)
    x = fg.zeros(2, 3).t()
    x.bernoulli_(fg.tensor([[0.1, 0.9, 0.5], [0.2, 0.8, 0.4]]).t())
    assert x.tolist() == [[0.0, 1.0], [1.0, 1.0], [1.0, 0.0]]


def test_random_fill_of_a_transposed_tensor_with_history_records_the_view_node():
    fg.manual_seed(0)
    x = fg.zeros(2, 3, requires_grad=True).clone().t()
    x.exponential_()
    assert x.grad_fn.name() == "AsStridedBackward0"
    close(x, [[3.508326292037964, 2.535118579864502], [1.2303847074508667, 1.0357054471969604],
              [0.615044116973877, 1.566128895584752]])


# ---- 3. a 0-dim tensor is a number for an activation's parameter ------------------------

@pytest.mark.parametrize(("name", "expected"), [
    ("celu", [[0.5, -0.729874321451112, 2.0], [1.5, -0.2302774126640789, 3.0]]),
    ("elu", [[0.5, -0.9481808382428365, 2.0], [1.5, -0.3317988253928927, 3.0]]),
    ("leaky_relu", [[0.5, -1.5, 2.0], [1.5, -0.375, 3.0]]),
    ("softplus", [[0.7579140040765999, 0.13427551865516826, 2.032391567715828],
                  [1.5668043726111647, 0.3487488427598933, 3.007365163232396]]),
    ("hardshrink", [[0.0, 0.0, 2.0], [0.0, 0.0, 3.0]]),
    ("softshrink", [[0.0, 0.0, 0.5], [0.0, 0.0, 1.5]]),
])
def test_activation_parameter_may_be_a_0dim_tensor(name, expected):
    x = fg.tensor(X, dtype=fg.float64)
    close(getattr(F, name)(x, fg.tensor(1.5)), expected, 1e-12)


def test_threshold_celu_and_in_place_elu_take_0dim_tensors():
    x = fg.tensor(X, dtype=fg.float64)
    close(F.threshold(x, fg.tensor(1.0), fg.tensor(-2.0)), [[-2.0, -2.0, 2.0], [1.5, -2.0, 3.0]])
    close(fg.celu(x, fg.tensor(1.5)), [[0.5, -0.729874321451112, 2.0], [1.5, -0.2302774126640789, 3.0]], 1e-12)
    y = x.clone()
    assert F.elu_(y, fg.tensor(2)) is y
    close(y, [[0.5, -1.2642411176571153, 2.0], [1.5, -0.44239843385719024, 3.0]], 1e-12)


def test_activation_parameter_of_more_dims_is_still_refused():
    with pytest.raises(TypeError):
        F.elu(fg.tensor(X), fg.tensor([1.5]))


# ---- 4. cdist: dims, columns, then dtypes, in PyTorch's order ---------------------------

def test_cdist_refuses_mixed_floating_dtypes():
    with raises(RuntimeError, "expected scalar type Float but found Double"):
        fg.cdist(fg.ones(2, 3), fg.ones(2, 3, dtype=fg.float64))
    with raises(RuntimeError, "expected scalar type Double but found Half"):
        fg.cdist(fg.ones(2, 3, dtype=fg.float64), fg.ones(2, 3, dtype=fg.float16))


def test_cdist_has_no_half_kernel():
    for dtype, name in ((fg.float16, "Half"), (fg.bfloat16, "BFloat16")):
        with raises(NotImplementedError, f"\"cdist\" not implemented for '{name}'"):
            fg.cdist(fg.ones(2, 3, dtype=dtype), fg.ones(2, 3))


def test_cdist_names_the_operand_that_is_not_floating():
    with raises(RuntimeError, "cdist only supports floating-point dtypes, X2 got: Long"):
        fg.cdist(fg.ones(2, 3), fg.ones(2, 3, dtype=fg.int64))
    with raises(RuntimeError, "cdist only supports floating-point dtypes, X1 got: ComplexFloat"):
        fg.cdist(fg.ones(2, 3, dtype=fg.complex64), fg.ones(2, 3))


def test_cdist_checks_shapes_before_dtypes():
    with raises(RuntimeError, "cdist only supports at least 2D tensors, X2 got: 1D"):
        fg.cdist(fg.ones(2, 3), fg.ones(3, dtype=fg.int64))
    with raises(RuntimeError, "X1 and X2 must have the same number of columns. X1: 3 X2: 4"):
        fg.cdist(fg.ones(2, 3, dtype=fg.float16), fg.ones(2, 4, dtype=fg.float64))


def test_cdist_of_one_dtype_still_computes():
    close(fg.cdist(fg.tensor([[0.0, 0.0]]), fg.tensor([[3.0, 4.0], [0.0, 1.0]])), [[5.0, 1.0]])


# ---- 5. multi_dot of a tensor instead of a sequence -----------------------------------

def test_multi_dot_refuses_a_tensor_for_its_sequence():
    with raises(TypeError, "linalg_multi_dot(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor"):
        fg.linalg.multi_dot(fg.ones(2, 2))


# ---- 6. optimizers: a tensor lr must hold one element ---------------------------------

@pytest.mark.parametrize("name", ["SGD", "ASGD", "Adadelta", "Adagrad", "Adamax", "NAdam", "RAdam", "RMSprop",
                                  "Rprop"])
def test_optimizer_refuses_a_tensor_lr_of_more_than_one_element(name):
    p = fg.zeros(2, requires_grad=True)
    with raises(ValueError, "Tensor lr must be 1-element"):
        getattr(fg.optim, name)([p], lr=fg.ones(2, 3))
    with raises(ValueError, "Invalid learning rate: -1.0"):
        getattr(fg.optim, name)([p], lr=-1.0)
    assert getattr(fg.optim, name)([p], lr=fg.tensor(0.1)).param_groups[0]["lr"].item() == pytest.approx(0.1)


# ---- 7. interpolate: a single size or scale factor is converted after the dim checks ---

@pytest.mark.parametrize("kwargs", [{"size": "abc"}, {"size": True}, {"scale_factor": "abc"}, {"size": 2.5}])
def test_interpolate_of_2d_input_is_refused_for_its_dims_first(kwargs):
    with raises(NotImplementedError, "Input Error: Only 3D, 4D and 5D input Tensors supported (got 2D)"):
        F.interpolate(fg.ones(2, 3), **kwargs)


def test_interpolate_single_size_and_scale_factor_still_work():
    assert tuple(F.interpolate(fg.ones(1, 1, 3), size=4).shape) == (1, 1, 4)
    assert tuple(F.interpolate(fg.ones(1, 1, 3), scale_factor=2).shape) == (1, 1, 6)
    assert tuple(F.interpolate(fg.ones(1, 1, 2, 2), scale_factor=1.7, mode="bilinear").shape) == (1, 1, 3, 3)
    for kwargs in ({"scale_factor": "abc"}, {"size": True}):
        with pytest.raises(TypeError):
            F.interpolate(fg.ones(1, 2, 3), **kwargs)


# ---- 8. random ops take the argument kinds PyTorch's parser takes ----------------------

def test_bernoulli_refuses_a_tensor_p_and_takes_a_0dim_one_as_a_number():
    x = fg.tensor(X)
    with raises(TypeError, "bernoulli() received an invalid combination of arguments - got (Tensor, Tensor)"):
        fg.bernoulli(x.sigmoid(), x)
    with raises(TypeError, "bernoulli() received an invalid combination of arguments - got (Tensor)"):
        x.sigmoid().bernoulli(x)
    with raises(TypeError, "bernoulli() received an invalid combination of arguments - got (NoneType)"):
        x.sigmoid().bernoulli(None)
    fg.manual_seed(0)
    assert fg.bernoulli(x.sigmoid(), fg.tensor(0.5)).tolist() == [[0.0, 0.0, 1.0], [0.0, 0.0, 0.0]]


def test_normal_in_place_refuses_what_is_not_a_float():
    x = fg.tensor(X)
    with raises(TypeError, "normal_(): argument 'mean' (position 1) must be float, not NoneType"):
        x.normal_(None)
    with raises(TypeError, "normal_(): argument 'std' (position 2) must be float, not Tensor"):
        x.normal_(0.0, x)
    with raises(TypeError, "normal_(): argument 'mean' (position 1) must be float, not numpy.ndarray"):
        x.normal_(np.ones(2))
    with raises(TypeError, "normal_(): argument 'mean' (position 1) must be float, not Tensor"):
        fg.nn.init.normal_(x, x)
    fg.manual_seed(0)
    close(x.normal_(fg.tensor(1.0), 2), [[4.081992149353027, 0.4131421744823456, -3.357578754425049],
                                         [2.1368625164031982, -1.1690447330474854, -1.79719078540802]])


def test_bernoulli_in_place_checks_a_tensor_p_and_its_own_dtype():
    with raises(RuntimeError, "Expected p_in >= 0 && p_in <= 1 to be true, but got false."):
        fg.zeros(2, 3).bernoulli_(fg.tensor(X))
    with raises(NotImplementedError, "\"bernoulli_scalar_cpu_\" not implemented for 'ComplexFloat'"):
        fg.zeros(2, dtype=fg.complex64).bernoulli_()
    with raises(NotImplementedError, "\"bernoulli_tensor_cpu_self_\" not implemented for 'ComplexFloat'"):
        fg.zeros(2, dtype=fg.complex64).bernoulli_(fg.full((2,), 0.5))


def test_to_dense_refuses_a_dtype_that_is_not_one():
    for bad, name in ((True, "bool"), (float("nan"), "float")):
        with raises(TypeError, f"to_dense(): argument 'dtype' (position 1) must be torch.dtype, not {name}"):
            fg.tensor(X).to_dense(bad)
    assert fg.tensor(X).to_dense(fg.float64).dtype == fg.float64


# ---- 9. argument kinds of autocast queries, activation modules, backward, binomial ----

@pytest.mark.parametrize("fn", ["is_autocast_enabled", "get_autocast_dtype"])
def test_autocast_queries_refuse_a_device_type_that_is_not_a_str(fn):
    for bad, name in ((None, "NoneType"), (True, "bool"), (1, "int")):
        with raises(TypeError, f"{fn}(): argument 'device_type' (position 1) must be str, not {name}"):
            getattr(fg, fn)(bad)
    with raises(RuntimeError, "Expected one of cpu, cuda"):
        getattr(fg, fn)("abc")


def test_autocast_queries_still_answer():
    assert fg.is_autocast_enabled() is False
    assert fg.is_autocast_enabled("cpu") is False
    assert fg.get_autocast_dtype("cpu") == fg.bfloat16
    assert fg.get_autocast_dtype("cuda") == fg.float16


def test_sigmoid_and_tanh_modules_refuse_a_non_tensor_as_the_functions_do():
    with raises(TypeError, "sigmoid(): argument 'input' (position 1) must be Tensor, not NoneType"):
        fg.nn.Sigmoid()(None)
    with raises(TypeError, "tanh(): argument 'input' (position 1) must be Tensor, not list"):
        fg.nn.Tanh()([1.0])
    close(fg.nn.Tanh()(fg.tensor([0.0, 1.0])), [0.0, 0.7615941559557649])


def test_autograd_backward_checks_gradient_kinds_before_the_graph():
    x = fg.tensor(X)  # does not require grad: PyTorch still names the gradient first
    for bad, name in (("abc", "str"), ([[1.0]], "list"), (np.ones((2, 3)), "ndarray")):
        with raises(TypeError, f"gradients can be either Tensors or None, but got {name}"):
            fg.autograd.backward(x, bad)
    y = fg.tensor(X, requires_grad=True)
    fg.autograd.backward([y * 2], [fg.ones(2, 3)])
    assert y.grad.tolist() == [[2.0] * 3] * 2


def test_binomial_checks_dtypes_in_pytorchs_order():
    count, prob = fg.tensor([[0.5, 1.0, 2.0]]), fg.full((1, 3), 0.5)
    with raises(ValueError, "binomial only supports floating-point dtypes for count, got: Long"):
        fg.binomial(count.long(), prob)
    with raises(ValueError, "binomial only supports floating-point dtypes for prob, got: ComplexFloat"):
        fg.binomial(count, prob.to(fg.complex64))
    with raises(RuntimeError, "Found dtype Double but expected Float"):
        fg.binomial(count, prob.double())
    with raises(NotImplementedError, "\"binomial_cpu\" not implemented for 'Half'"):
        fg.binomial(count.half(), prob.half())


# ---- 10. GradScaler takes any device and checks its factors only when enabled ----------

def test_grad_scaler_of_an_unavailable_device_is_built_disabled():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ferrograd disables a scaler of any device but the CPU
        assert isinstance(fg.amp.GradScaler(None), fg.amp.GradScaler)
    with pytest.warns(UserWarning, match="Disabling"):
        assert not fg.amp.GradScaler("cuda", growth_factor=0.5).is_enabled()
    with raises(AssertionError, "The growth factor must be > 1.0."):
        fg.amp.GradScaler("cpu", growth_factor=0.5)


def test_disabled_grad_scaler_does_not_read_its_hyperparameters():
    with pytest.warns(UserWarning, match="Disabling"):
        scaler = fg.amp.GradScaler("cuda", init_scale=None, growth_interval="abc")
    assert not scaler.is_enabled()
    assert scaler.get_scale() == 1.0


# ---- 11. dropout's noise follows the input's memory layout; gumbel noise is row-major ----

def test_dropout_of_a_transposed_input_draws_in_memory_order():
    fg.manual_seed(0)
    out = F.dropout(fg.tensor(X).t(), 0.5)
    assert out.tolist() == [[0.0, 0.0], [-0.0, -0.0], [4.0, 0.0]]


def test_dropout_refuses_a_nan_probability_even_in_eval_mode():
    for training in (True, False):
        with raises(RuntimeError, "dropout probability has to be between 0 and 1, but got nan"):
            F.dropout(fg.ones(2), float("nan"), training)


def test_gumbel_softmax_of_a_transposed_input_draws_row_major():
    fg.manual_seed(0)
    close(F.gumbel_softmax(fg.tensor(X).t()).reshape(-1),
          [0.114274, 0.885726, 0.660675, 0.339325, 0.357444, 0.642556], 1e-5)


def test_sgd_takes_a_nan_lr_as_pytorch_does():
    assert math.isnan(fg.optim.SGD([fg.zeros(2, requires_grad=True)], lr=float("nan")).param_groups[0]["lr"])


def test_dropout_of_an_expanded_input_draws_row_major():
    fg.manual_seed(0)
    assert F.dropout(fg.tensor([0.5, -1.0, 2.0]).expand(2, 3), 0.5).tolist() == [[0.0, -0.0, 4.0], [0.0, -0.0, 0.0]]


def test_gumbel_softmax_of_a_non_tensor_fails_as_empty_like():
    with raises(TypeError, "empty_like(): argument 'input' (position 1) must be Tensor, not NoneType"):
        F.gumbel_softmax(None)
