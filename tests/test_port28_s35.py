"""Session 35 (helper port28): behaviours ported from PyTorch's test_autograd,
test_functional, test_complex and functorch tests. Expectations are PyTorch's (run with
FG_TEST_BACKEND=torch)."""

import importlib
import warnings

import pytest
from backend import MOD, fg

forward_ad = importlib.import_module(f"{MOD}.autograd.forward_ad")
checkpoint = importlib.import_module(f"{MOD}.utils.checkpoint")


def _jvp_fn(n_outputs, jvp):
    class F(fg.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return (x * 2, x * 3) if n_outputs == 2 else x * 2

        @staticmethod
        def backward(ctx, *grads):
            return grads[0]

    F.jvp = staticmethod(jvp)
    return F


def _apply_dual(fn, *args):
    with forward_ad.dual_level():
        out = fn.apply(forward_ad.make_dual(fg.tensor([1.0, 2.0]), fg.tensor([1.0, 1.0])), *args)
        outs = out if isinstance(out, tuple) else (out,)
        return [forward_ad.unpack_dual(o).tangent for o in outs]


@pytest.mark.parametrize(("n_outputs", "jvp", "expected", "got"), [
    (1, lambda ctx, g: (g, g), 1, 2),
    (2, lambda ctx, g: g, 2, 1),
    (2, lambda ctx, g: (g,), 2, 1),
    (2, lambda ctx, g: (g, g, g), 2, 3),
])
def test_custom_jvp_wrong_number_of_tangents(n_outputs, jvp, expected, got):
    with pytest.raises(RuntimeError) as e:
        _apply_dual(_jvp_fn(n_outputs, jvp))
    assert str(e.value) == (
        f"Function's jvp returned an invalid number of forward gradients (expected {expected} but got {got})"
    )


def test_custom_jvp_one_tuple_for_one_output():
    assert _apply_dual(_jvp_fn(1, lambda ctx, g: (g * 5,)))[0].tolist() == [5.0, 5.0]


@pytest.mark.parametrize(("ret", "kind"), [(lambda g: [g], "list"), (lambda g: 3.0, "float")])
def test_custom_jvp_not_a_tensor(ret, kind):
    with pytest.raises(RuntimeError, match=rf"^expected Variable or None \(got {kind}\) for grad output 0\.$"):
        _apply_dual(_jvp_fn(1, lambda ctx, g: ret(g)))


def test_custom_jvp_gets_zeros_for_tensor_without_tangent():
    seen = []

    class F(fg.autograd.Function):
        @staticmethod
        def forward(ctx, nt, x, y, s):
            return x * 2 + y * 3

        @staticmethod
        def jvp(ctx, nt_t, x_t, y_t, s_t):
            seen.append((nt_t, y_t.tolist(), s_t))
            return x_t * 2 + y_t * 3

        @staticmethod
        def backward(ctx, g):
            return None, g * 2, g * 3, None

    with forward_ad.dual_level():
        d = forward_ad.make_dual(fg.tensor([1.0, 2.0]), fg.tensor([1.0, 1.0]))
        out = F.apply(1, d, fg.tensor([3.0, 4.0]), "s")
        assert forward_ad.unpack_dual(out).tangent.tolist() == [2.0, 2.0]
    assert seen == [(None, [0.0, 0.0], None)]


INFERENCE_SAVED = (
    f"Inference tensors cannot be saved for backward. Please do not use Tensors created in inference mode "
    f"in computation tracked by autograd. To work around this, you can make a clone to get a normal tensor "
    f"and use it in autograd, or use `{MOD}.no_grad()` instead of `{MOD}.inference_mode()`."
)


class _SavesSecond(fg.autograd.Function):
    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(y)
        return x * y

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return g * y, None


def test_custom_function_refuses_to_save_inference_tensor():
    with fg.inference_mode():
        c = fg.tensor([2.0, 3.0])
    with pytest.raises(RuntimeError) as e:
        _SavesSecond.apply(fg.tensor([1.0, 1.0], requires_grad=True), c)
    assert str(e.value) == INFERENCE_SAVED


def test_custom_function_saves_inference_tensor_when_nothing_recorded():
    with fg.inference_mode():
        c = fg.tensor([2.0, 3.0])
    assert _SavesSecond.apply(fg.tensor([1.0, 1.0]), c).tolist() == [2.0, 3.0]
    with fg.no_grad():
        assert _SavesSecond.apply(fg.tensor([1.0, 1.0], requires_grad=True), c).tolist() == [2.0, 3.0]


def test_materialize_non_diff_grads_false_gives_none():
    class Func(fg.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            out0, out1 = x.clone(), x.clone()
            ctx.mark_non_differentiable(out1)
            ctx._materialize_non_diff_grads = False
            return out0, out1

        @staticmethod
        def backward(ctx, g0, g1):
            return g0 if g1 is None else g0 + 100

    a = fg.tensor(1.0, requires_grad=True)
    Func.apply(a)[0].backward()
    assert a.grad.item() == 1.0


def test_custom_backward_complex_grad_for_real_input():
    class F(fg.autograd.Function):
        @staticmethod
        def forward(ctx, n, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return None, g * (1 + 1j)

    x = fg.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"^Expected isFloatingType\(grad.scalar_type\(\)\) \|\| \(input_is_complex "
                       r"== grad_is_complex\) to be true, but got false\."):
        F.apply(3, x).sum().backward()
    z = fg.tensor([1 + 1j], requires_grad=True)
    F.apply(3, z).abs().sum().backward()
    assert z.grad is not None


def test_checkpoint_sequential_warns_its_own_name():
    seq = fg.nn.Sequential(fg.nn.Tanh(), fg.nn.Sigmoid())
    x = fg.tensor([[0.5, -1.0]], requires_grad=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        checkpoint.checkpoint_sequential(seq, 1, x)
    assert len(caught) == 1
    assert str(caught[0].message).startswith(
        f"{MOD}.utils.checkpoint.checkpoint_sequential: the use_reentrant parameter should be passed explicitly. "
        "In version 2.9 we will raise an exception if use_reentrant is not passed."
    )


def test_checkpoint_sequential_unexpected_kwargs():
    seq = fg.nn.Sequential(fg.nn.Tanh(), fg.nn.Sigmoid())
    with pytest.raises(ValueError, match="^Unexpected keyword arguments: foo,bar$"):
        checkpoint.checkpoint_sequential(seq, 1, fg.ones(1, 2), use_reentrant=False, foo=1, bar=2)


def test_C_is_grad_enabled():
    with fg.no_grad():
        assert fg._C.is_grad_enabled() is False
    assert fg._C.is_grad_enabled() is True
