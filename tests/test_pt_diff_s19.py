"""Session 19 differences from PyTorch 2.13 (CPU): optimizers on complex parameters,
the messages of `finfo`/`iinfo` and of Module attribute assignment, NumPy's dtype of
an int64 tensor's array, and `ferrograd._tensor_str`. Expected values, types and
messages are PyTorch's; the file also runs against PyTorch (`FG_TEST_BACKEND=torch`)."""

import re

import numpy as np
import pytest
from backend import MOD, fg


def raises(kind, fragment):
    return pytest.raises(kind, match=re.escape(fragment))


# ---- 1. optimizers update a complex parameter as pairs of reals ------------------------------

# two steps on |w|^2 + 0.3 Re(w^2) from w = [1+1j, -0.5+2j] (PyTorch's numbers)
COMPLEX_STEPS = [
    ("Adam", {"lr": 0.1}, [0.80041223 + 0.80041223j, -0.30118742 + 1.80016649j]),
    ("Adam", {"lr": 0.1, "amsgrad": True, "maximize": True},
     [1.20013478 + 1.20013478j, -0.70006131 + 2.20009738j]),
    ("AdamW", {"lr": 0.1}, [0.79851903 + 0.79851903j, -0.30029784 + 1.79627259j]),
    ("Adamax", {"lr": 0.1, "weight_decay": 0.1}, [0.80516833 + 0.80516833j, -0.31043675 + 1.80253411j]),
    ("NAdam", {"lr": 0.1}, [0.81997307 + 0.81997307j, -0.32467065 + 1.81789753j]),
    ("RMSprop", {"lr": 0.1}, [0j, -0.20888119 + 0.55098678j]),
    ("RMSprop", {"lr": 0.1, "centered": True, "momentum": 0.5},
     [-0.50246858 - 0.50246857j, 0.29514836 + 0.04118644j]),
    ("Adagrad", {"lr": 0.1}, [0.83310353 + 0.83310353j, -0.3375305 + 1.83112505j]),
    ("Adadelta", {"lr": 1.0}, [0.99359817 + 0.99359818j, -0.49360308 + 1.99359573j]),
    ("Rprop", {"lr": 0.1}, [0.78 + 0.78j, -0.28 + 1.78j]),
    ("LBFGS", {"lr": 0.5, "max_iter": 3}, [0.10003186 + 0.11859187j, -0.05001593 + 0.23718373j]),
    ("LBFGS", {"lr": 1, "max_iter": 3, "line_search_fn": "strong_wolfe"},
     [1.14e-06 + 6.4e-07j, -5.7e-07 + 1.27e-06j]),
]


@pytest.mark.parametrize(("name", "kwargs", "expected"), COMPLEX_STEPS)
def test_a_complex_parameter_steps_its_real_and_imaginary_parts_apart(name, kwargs, expected):
    w = fg.nn.Parameter(fg.tensor([1 + 1j, -0.5 + 2j], dtype=fg.complex128))
    opt = getattr(fg.optim, name)([w], **kwargs)

    def closure():
        opt.zero_grad()
        loss = (w.abs() ** 2).sum() + (w * w).real.sum() * 0.3
        loss.backward()
        return loss

    for _ in range(2):
        closure()
        opt.step(closure) if name == "LBFGS" else opt.step()
    np.testing.assert_allclose(np.array(w.tolist()), np.array(expected), rtol=1e-6, atol=2e-8)


def test_complex_adam_state_stays_complex():
    w = fg.nn.Parameter(fg.tensor([1 + 1j]))
    opt = fg.optim.Adam([w], lr=0.1)
    (w.abs() ** 2).sum().backward()
    opt.step()
    assert opt.state[w]["exp_avg"].dtype == fg.complex64
    assert opt.state[w]["exp_avg_sq"].tolist() == pytest.approx([0.004 + 0.004j])


def test_rprop_starts_both_parts_of_a_complex_step_size_at_lr():
    w = fg.nn.Parameter(fg.tensor([1 + 1j]))
    opt = fg.optim.Rprop([w], lr=0.25)
    (w.abs() ** 2).sum().backward()
    opt.step()
    # step_size starts at lr + lr*1j; the first step keeps it (no previous gradient)
    assert opt.state[w]["step_size"].tolist() == [0.25 + 0.25j]
    assert w.tolist() == [0.75 + 0.75j]


# ---- 2. finfo / iinfo on the wrong kind of dtype ---------------------------------------------

def test_iinfo_of_a_floating_or_complex_dtype():
    message = f"{MOD}.iinfo() requires an integer input type. Use {MOD}.finfo to handle '{MOD}.iinfo'"
    with raises(TypeError, message):
        fg.iinfo(fg.float32)
    with raises(TypeError, message):
        fg.iinfo(fg.complex64)


def test_iinfo_of_bool():
    with raises(TypeError, f"{MOD}.bool is not supported by {MOD}.iinfo"):
        fg.iinfo(fg.bool)


def test_finfo_of_an_integer_or_bool_dtype():
    message = f"{MOD}.finfo() requires a floating point input type. Use {MOD}.iinfo to handle '{MOD}.finfo'"
    with raises(TypeError, message):
        fg.finfo(fg.int32)
    with raises(TypeError, message):
        fg.finfo(fg.bool)


def test_finfo_and_iinfo_of_a_non_dtype():
    with raises(TypeError, f"iinfo(): argument 'type' (position 1) must be {MOD}.dtype, not int"):
        fg.iinfo(3)
    with raises(TypeError, f"finfo(): argument 'type' (position 1) must be {MOD}.dtype, not str"):
        fg.finfo("a")


# ---- 3. Module attribute assignment names the type as `typename` does ------------------------

def test_a_plain_tensor_as_a_parameter_is_named_by_its_legacy_type():
    m = fg.nn.Module()
    with raises(TypeError, f"cannot assign '{MOD}.FloatTensor' object to parameter 'w' "
                           f"({MOD}.nn.Parameter or None required)"):
        m.register_parameter("w", fg.ones(2))
    lin = fg.nn.Linear(2, 2)
    with raises(TypeError, f"cannot assign '{MOD}.DoubleTensor' as parameter 'weight' "
                           f"({MOD}.nn.Parameter or None expected)"):
        lin.weight = fg.ones(2, 2, dtype=fg.float64)


def test_a_builtin_as_a_buffer_is_named_bare():
    m = fg.nn.Module()
    with raises(TypeError, "cannot assign 'list' object to buffer 'x' (torch Tensor or None required)"):
        m.register_buffer("x", [1, 2])


def test_add_module_of_a_tensor_names_its_legacy_type():
    with raises(TypeError, f"{MOD}.FloatTensor is not a Module subclass"):
        fg.nn.Module().add_module("x", fg.ones(1))


# ---- 4. NumPy arrays of int64 tensors ---------------------------------------------------------

def test_an_int64_array_is_numpys_own_int64():
    a = fg.tensor([[1, 2]]).numpy()
    assert repr(a) == "array([[1, 2]])"
    assert a.dtype is np.dtype(np.int64)
    assert repr(fg.tensor(3).numpy()) == "array(3)"
    assert fg.tensor([1], dtype=fg.uint64).numpy().dtype is np.dtype(np.uint64)


def test_the_int64_array_still_shares_the_tensors_memory():
    t = fg.tensor([1, 2])
    t.numpy()[0] = 7
    assert t.tolist() == [7, 2]


# ---- 5. ferrograd._tensor_str ------------------------------------------------------------------

def test_tensor_str_print_opts_follow_set_printoptions():
    import importlib

    tensor_str = importlib.import_module(f"{MOD}._tensor_str")
    opts = tensor_str.PRINT_OPTS
    assert (opts.precision, opts.threshold, opts.edgeitems, opts.linewidth, opts.sci_mode) == (4, 1000, 3, 80, None)
    try:
        fg.set_printoptions(precision=2)
        assert tensor_str.PRINT_OPTS.precision == 2
        with tensor_str.printoptions(precision=1):
            assert str(fg.tensor([1.25, 2.75])) == "tensor([1.2, 2.8])"
        assert str(fg.tensor([1.25, 2.75])) == "tensor([1.25, 2.75])"
    finally:
        fg.set_printoptions(profile="default")


# ---- 6. float(t) of a tensor that requires grad, under no_grad --------------------------------

def _rearm_scalar_warning():
    if MOD == "ferrograd":  # PyTorch warns once per process; start the test afresh
        from ferrograd import _scalar_warning

        _scalar_warning._warned = False


def test_float_under_no_grad_does_not_warn():
    import warnings

    _rearm_scalar_warning()
    x = fg.tensor(2.0, requires_grad=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with fg.no_grad():
            assert float(x * 3) == 6.0
        assert caught == []
        # with grad mode on the (once-per-process) warning is still due
        assert float(x) == 2.0
    if MOD == "ferrograd":
        assert len(caught) == 1


@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
def test_lbfgs_step_does_not_warn_about_its_losses(line_search_fn):
    import warnings

    _rearm_scalar_warning()
    w = fg.nn.Parameter(fg.tensor([1.0, 2.0]))
    opt = fg.optim.LBFGS([w], lr=0.5, max_iter=3, line_search_fn=line_search_fn)

    def closure():
        opt.zero_grad()
        loss = (w**2).sum()
        loss.backward()
        return loss

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert opt.step(closure).tolist() == 5.0  # the first evaluation's loss
    assert caught == []


# ---- 7. Module odds and ends -------------------------------------------------------------------

def test_state_dict_methods_are_named_as_modules_own():
    import pickle

    m = fg.nn.Linear(1, 1)
    assert fg.nn.Module.state_dict.__qualname__ == "Module.state_dict"
    assert repr(m.get_extra_state).startswith("<bound method Module.get_extra_state of Linear(")
    assert pickle.loads(pickle.dumps(fg.nn.Module.load_state_dict)) is fg.nn.Module.load_state_dict


def test_share_memory_moves_parameters_and_buffers_to_shared_memory():
    m = fg.nn.BatchNorm1d(2)
    weight = m.weight
    assert not weight.is_shared()
    assert m.share_memory() is m
    assert m.weight is weight and weight.is_shared() and m.running_mean.is_shared()
    assert isinstance(m.weight, fg.nn.Parameter) and m.weight.requires_grad


# ---- 8. testing.make_tensor draws as PyTorch's does ----------------------------------------------

def _make(*shape, seed=1, **kwargs):
    fg.manual_seed(seed)
    return fg.testing.make_tensor(*shape, device="cpu", **kwargs)


def test_make_tensor_values_under_a_seed():
    assert _make((2, 3), dtype=fg.float32).tolist() == [
        [4.637368679046631, -3.9724040031433105, -1.744753360748291],
        [4.224320411682129, -8.472931861877441, 5.397455215454102]]
    # a complex tensor draws its real and imaginary parts in turn
    assert _make((2,), dtype=fg.complex64).tolist() == pytest.approx(
        [4.637368679046631 - 3.9724040031433105j, -1.744753360748291 + 4.224320411682129j])
    assert _make((3,), dtype=fg.bool).tolist() == [True, True, False]
    # integral bounds round up and clamp to the dtype's range
    assert _make((3,), dtype=fg.uint8, low=-5.5, high=3.2).tolist() == [1, 3, 0]
    assert _make((4,), dtype=fg.int8, low=-1, high=2, exclude_zero=True).tolist() == [1, 1, -1, 1]


def test_make_tensor_noncontiguous_takes_every_second_of_a_doubled_last_dim():
    x = _make((2, 2), dtype=fg.float64, noncontiguous=True)
    assert x.stride() == (4, 2)
    assert x.tolist() == [[-4.9580188817822926, -5.812213905940401],
                          [-7.030010634206262, 3.7505750920432694]]


def test_make_tensor_over_the_whole_float64_range():
    assert _make((3,), seed=2, dtype=fg.float64, low=-1e308, high=1e308).tolist() == [
        8.351213312931838e307, -8.061695751754154e307, 4.175023534113034e307]


def test_make_tensor_refusals():
    with raises(ValueError, "`requires_grad=True` is not supported for boolean and integral dtypes"):
        _make((2,), dtype=fg.int64, requires_grad=True)
    with raises(ValueError, "`low` must be less than `high`, but got 3 >= 1"):
        _make((2,), dtype=fg.int64, low=3, high=1)
    with raises(ValueError, "The value interval specified by `low` and `high` is [300, 400), but"):
        _make((2,), dtype=fg.uint8, low=300, high=400)
    with raises(ValueError, "`low` and `high` cannot be NaN"):
        _make((2,), dtype=fg.float32, low=float("nan"))


def test_uniform_near_the_float64_limit_is_finite():
    fg.manual_seed(3)
    assert fg.empty(2, dtype=fg.float64).uniform_(-5e307, 5e307).tolist() == [
        -4.658918043494795e307, -2.1325977327869305e307]


# ---- 9. gradcheck's finite differences and gradgradcheck's grad_outputs ---------------------------

def test_gradcheck_steps_in_the_inputs_dtype():
    import warnings

    x = fg.tensor([1.0, 2.0], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # float32 inputs warn
        with pytest.raises(RuntimeError) as info:
            fg.autograd.gradcheck(lambda x: x * 2, (x,))
    # float32 steps of 1e-6: 1 +- 1e-6 and 2 +- 1e-6 round apart unevenly
    assert str(info.value) == (
        "Jacobian mismatch for output 0 with respect to input 0,\n"
        "numerical:tensor([[1.9670, 0.0000],\n        [0.0000, 1.9073]])\n"
        "analytical:tensor([[2., 0.],\n        [0., 2.]])\n")


def test_gradgradcheck_draws_grad_outputs_in_minus_one_to_one():
    class Bad(fg.autograd.Function):  # a backward whose own gradient is lost
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x**2

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * 2 * x.detach()

    fg.manual_seed(0)  # the grad_outputs: [0.9401060036131061, 0.4156397287995759]
    x = fg.tensor([1.0, 2.0], dtype=fg.float64, requires_grad=True)
    with pytest.raises(RuntimeError) as info:
        fg.autograd.gradgradcheck(Bad.apply, (x,))
    assert str(info.value) == (
        "Jacobian mismatch for output 0 with respect to input 0,\n"
        "numerical:tensor([[1.8802, 0.0000],\n        [0.0000, 0.8313]], dtype=" + MOD + ".float64)\n"
        "analytical:tensor([[0., 0.],\n        [0., 0.]], dtype=" + MOD + ".float64)\n")


# ---- 10. forward AD: what a dual tensor shows, and after its level ----------------------------

def _forward_ad():
    import importlib

    return importlib.import_module(f"{MOD}.autograd.forward_ad")


def test_a_dual_tensor_prints_only_its_tangent():
    fw = _forward_ad()
    w = fg.ones(2, requires_grad=True)
    with fw.dual_level():
        d = fw.make_dual(fg.tensor([1.0, 2.0]), fg.tensor([1.0, 0.0]))
        assert repr(d) == "tensor([1., 2.], tangent=tensor([1., 0.]))"
        assert repr(d * 2) == "tensor([2., 4.], tangent=tensor([2., 0.]))"
        # a real leaf in the graph still shows
        assert repr(d * w).startswith("tensor([1., 2.], grad_fn=<MulBackward0>,\n       tangent=")


def test_a_dual_tensor_is_plain_after_its_level():
    fw = _forward_ad()
    with fw.dual_level():
        d = fw.make_dual(fg.ones(2), fg.ones(2))
    assert not d.requires_grad
    assert repr(d) == "tensor([1., 1.])"
    assert fw.unpack_dual(d).tangent is None


# ---- 11. jacfwd and hessian run `func` under vmap's randomness rule ---------------------------

def test_jacfwd_refuses_a_random_op_by_default():
    message = ("vmap: called random operation while in randomness error mode. Please either use "
               "the 'same' or 'different' randomness flags on vmap or perform the randomness "
               "operation out of vmap")
    with raises(RuntimeError, message):
        fg.func.jacfwd(lambda x: x * fg.rand(2))(fg.ones(2))
    with raises(RuntimeError, message):
        fg.func.hessian(lambda x: (x * fg.rand(2)).sum())(fg.ones(2))
    assert fg.func.jacfwd(lambda x: x * fg.rand(2), randomness="same")(fg.ones(2)).shape == (2, 2)


class _WrongJvp(fg.autograd.Function):  # backward right (2), jvp wrong (5)
    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, g):
        return g * 2

    @staticmethod
    def jvp(ctx, tx):
        return tx * 5


def test_gradcheck_checks_forward_mode_when_asked():
    x = fg.tensor([1.0, 2.0], dtype=fg.float64, requires_grad=True)
    assert fg.autograd.gradcheck(_WrongJvp.apply, (x,))
    with pytest.raises(RuntimeError) as info:
        fg.autograd.gradcheck(_WrongJvp.apply, (x,), check_forward_ad=True)
    assert str(info.value) == (
        "Jacobian computed with forward mode mismatch for output 0 with respect to input 0,\n"
        "numerical:tensor([[2.0000, 0.0000],\n        [0.0000, 2.0000]], dtype=" + MOD + ".float64)\n"
        "analytical:tensor([[5., 0.],\n        [0., 5.]], dtype=" + MOD + ".float64)\n")
    assert fg.autograd.gradcheck(lambda x, y: (x * y, x.sin()), (x, x.detach() * 3), check_forward_ad=True)
    assert fg.autograd.gradcheck(lambda x: fg.softmax(x, 0) @ x, (x,), check_forward_ad=True,
                                 check_backward_ad=False)
    with raises(AssertionError, "Expected at least one of check_forward_ad or check_backward_ad to be True"):
        fg.autograd.gradcheck(lambda x: x, (x,), check_forward_ad=False, check_backward_ad=False)


def test_gradcheck_of_integral_and_bool_outputs():
    x = fg.tensor([1.0, 2.0], dtype=fg.float64, requires_grad=True)
    # integral outputs have no numerical Jacobian to be checked against zero
    assert fg.autograd.gradcheck(lambda x: (x * 2).long(), (x,))
    with raises(RuntimeError, "Subtraction, the `-` operator, with two bool tensors is not supported."):
        fg.autograd.gradcheck(lambda x: x > 1, (x,), raise_exception=False)


# ---- 12. the default generator's seed is drawn per process ----------------------------------------

def test_unseeded_processes_draw_different_numbers():
    import subprocess
    import sys

    code = f"import {MOD} as m; print(m.initial_seed(), m.rand(3).tolist())"
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
            for _ in range(2)}
    assert len(runs) == 2
    # a new Generator still starts from PyTorch's fixed seed
    assert fg.Generator().initial_seed() == 67280421310721


# ---- 13. fused optimizers take floating-point parameters only ----------------------------------

@pytest.mark.parametrize("name", ["Adam", "AdamW", "SGD", "Adagrad"])
def test_fused_step_refuses_a_complex_parameter(name):
    w = fg.nn.Parameter(fg.ones(1, dtype=fg.complex64))
    opt = getattr(fg.optim, name)([w], lr=0.1, fused=True)  # the constructor accepts it
    (w.abs() ** 2).sum().backward()
    with raises(RuntimeError, "`fused=True` requires all the params to be floating point Tensors of "
                              "supported devices: ['mps', 'cuda', 'xpu', 'hpu', 'cpu', 'mtia', "
                              f"'privateuseone'] but {MOD}.complex64 and cpu"):
        opt.step()
    v = fg.nn.Parameter(fg.ones(1, dtype=fg.float64))
    opt = getattr(fg.optim, name)([v], lr=0.1, fused=True)
    (v**2).sum().backward()
    opt.step()
    assert v.item() < 1.0


# ---- 14. gradcheck(fast_mode=True) reports PyTorch's projections -------------------------------

class _TimesThreeBackward(fg.autograd.Function):  # forward doubles, backward triples
    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, g):
        return g * 3


def _fast_failure(func, inputs, **kwargs):
    with pytest.raises(RuntimeError) as info:
        fg.autograd.gradcheck(func, inputs, fast_mode=True, **kwargs)
    head, slow = str(info.value).split("\n\nThe above quantities", 1)
    first, numerical, analytical = head.split("\n")
    return first, float(numerical.removeprefix("numerical:")), float(analytical.removeprefix("analytical:")), slow


def test_fast_mode_failure_message():
    x = fg.tensor([1.0, 2.0], dtype=fg.float64, requires_grad=True)
    first, numerical, analytical, slow = _fast_failure(_TimesThreeBackward.apply, (x,))
    assert first == "Jacobian mismatch for output 0 with respect to input 0,"
    # v^T J u for PyTorch's unit vectors u, v from a fresh Generator
    assert numerical == pytest.approx(1.8447186263627853, rel=1e-12)
    assert analytical == pytest.approx(2.7670779394229683, rel=1e-12)
    assert slow.startswith(
        " relating the numerical and analytical jacobians are computed \nin fast mode. See: "
        "https://github.com/pytorch/pytorch/issues/53876 for more background \nabout fast mode. "
        "Below, we recompute numerical and analytical jacobians in slow mode:\n\nNumerical:\n "
        "tensor([[2.0000, 0.0000],\n        [0.0000, 2.0000]], dtype=" + MOD + ".float64)\n"
        "Analytical:\ntensor([[3., 0.],\n        [0., 3.]], dtype=" + MOD + ".float64)\n\n"
        "The max per-element difference (slow mode) is: 1.0000000000")
    assert "Fast gradcheck failed but element-wise differences are small" not in slow


def test_fast_mode_names_the_failing_pair_among_differentiable_ones():
    x = fg.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=fg.float64, requires_grad=True)
    y = fg.tensor([0.5, -1.0, 2.0], dtype=fg.float64, requires_grad=True)
    first, numerical, analytical, _ = _fast_failure(
        lambda x, y: (x.exp().sum() * y, _TimesThreeBackward.apply(y)), (x, y))
    assert first == "Jacobian mismatch for output 1 with respect to input 1,"
    assert numerical == pytest.approx(1.2642970146910992, rel=1e-12)
    assert analytical == pytest.approx(1.8964455222461298, rel=1e-12)


def test_fast_mode_passes_and_fails_with_the_tolerances():
    class Near(fg.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2.00001

    x = fg.tensor([1.0, 2.0], dtype=fg.float64, requires_grad=True)
    assert fg.autograd.gradcheck(Near.apply, (x,), fast_mode=True) is True
    _, _, _, slow = _fast_failure(Near.apply, (x,), atol=0, rtol=1e-7)
    # slow mode fails too: no advice to turn fast mode off
    assert slow.endswith("The max per-element difference (slow mode) is: 1.0000053511038942e-05.\n")
    x = fg.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=fg.float64, requires_grad=True)
    assert fg.autograd.gradcheck(lambda x: (x.sin() @ x, x.exp()), (x,), fast_mode=True)


# ---- 15. global registration hooks of buffers, modules and parameters ---------------------------

def test_registration_hooks_see_every_registration_and_may_replace_it():
    import importlib

    module_module = importlib.import_module(f"{MOD}.nn.modules.module")
    log = []
    handles = [
        module_module.register_module_buffer_registration_hook(
            lambda m, n, b: log.append(("buffer", type(m).__name__, n, b is None))),
        module_module.register_module_module_registration_hook(
            lambda m, n, s: fg.nn.Tanh() if isinstance(s, fg.nn.ReLU) else None),
        module_module.register_module_parameter_registration_hook(
            lambda m, n, p: log.append(("parameter", type(m).__name__, n, tuple(p.shape)))),
    ]
    try:
        seq = fg.nn.Sequential(fg.nn.Linear(2, 1, bias=False), fg.nn.ReLU())
        seq.register_buffer("z", None)
        seq.w = fg.nn.Parameter(fg.ones(3))
    finally:
        for h in handles:
            h.remove()
    assert log == [("parameter", "Linear", "weight", (1, 2)), ("buffer", "Sequential", "z", True),
                   ("parameter", "Sequential", "w", (3,))]
    assert type(seq[1]).__name__ == "Tanh"  # the module hook's replacement
    log.clear()
    fg.nn.Linear(1, 1)
    assert log == []


def test_make_dual_refuses_a_tensor_that_already_has_a_tangent():
    fw = _forward_ad()
    message = ("Making a dual Tensor based on a Tensor that already has a forward gradient at the "
               "same level 0 is not supported.")
    with fw.dual_level():
        d = fw.make_dual(fg.ones(2), fg.ones(2))
        with raises(RuntimeError, message):
            fw.make_dual(d, fg.ones(2))
        with raises(RuntimeError, message):
            fw.make_dual(d * 2, fg.ones(2))


def test_make_dual_lays_the_tangent_out_as_the_primal():
    fw = _forward_ad()
    with fw.dual_level():
        tangent = fg.ones(2, 3)
        assert fw.unpack_dual(fw.make_dual(fg.ones(2, 3), tangent)).tangent is tangent
        transposed = fg.arange(6.0).reshape(3, 2).t()
        kept = fw.unpack_dual(fw.make_dual(fg.ones(2, 3), transposed)).tangent
        assert kept.stride() == (3, 1) and kept.tolist() == transposed.tolist()
        primal = fg.ones(3, 2).t()
        assert fw.unpack_dual(fw.make_dual(primal, fg.ones(2, 3))).tangent.stride() == (1, 2)


def test_a_dual_of_a_non_leaf_whose_leaf_is_gone():
    fw = _forward_ad()
    with fw.dual_level():
        x = fg.ones(2, requires_grad=True) * 3  # the leaf itself is not kept
        tangent = fw.unpack_dual(fw.make_dual(x, fg.ones(2)) * 2).tangent
    assert tangent.tolist() == [2.0, 2.0]


def test_gradgradcheck_mode_preconditions():
    x = fg.tensor([1.0, 2.0], dtype=fg.float64, requires_grad=True)
    with raises(AssertionError, "Expected at least one of check_fwd_over_rev or check_rev_over_rev to be True"):
        fg.autograd.gradgradcheck(lambda x: x.exp(), (x,), check_fwd_over_rev=False, check_rev_over_rev=False)
    with raises(AssertionError, "Setting check_undefined_grad=True requires check_rev_over_rev to be True"):
        fg.autograd.gradgradcheck(lambda x: x.exp(), (x,), check_fwd_over_rev=True, check_rev_over_rev=False)
    with raises(AssertionError, "Setting check_batched_grad=True requires check_rev_over_rev to be True"):
        fg.autograd.gradgradcheck(lambda x: x.exp(), (x,), check_fwd_over_rev=True, check_rev_over_rev=False,
                                  check_undefined_grad=False, check_batched_grad=True)
    assert fg.autograd.gradgradcheck(lambda x: x.exp() * x, (x,), fast_mode=True)
