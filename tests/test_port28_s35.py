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


def _edge_of_tmp(x, reduce=True):
    tmp = x.sin().cos()
    if reduce:
        tmp = tmp.sum()
    out = tmp.exp().clone().sin().sum()
    return out, fg.autograd.graph.get_gradient_edge(tmp)


def test_gradient_edge_as_output_of_grad_and_backward():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    out, tmp_edge = _edge_of_tmp(x)
    (tmp_grad,) = fg.autograd.grad(out, (tmp_edge,))
    (x_grad,) = fg.autograd.grad(tmp_edge, (x,), grad_outputs=(tmp_grad,))
    assert [round(v, 4) for v in x_grad.tolist()] == [1.3008, -1.0603]
    _, tmp_edge = _edge_of_tmp(x)
    fg.autograd.backward(tmp_edge)
    assert [round(v, 4) for v in x.grad.tolist()] == [-0.4029, 0.3284]


def test_gradient_edge_as_output_errors():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    _, tmp_edge = _edge_of_tmp(x, reduce=False)
    with pytest.raises(RuntimeError, match="^grad can be implicitly created only for scalar outputs$"):
        fg.autograd.grad(tmp_edge, (x,))
    _, tmp_edge = _edge_of_tmp(x)
    with pytest.raises(RuntimeError) as e:
        fg.autograd.grad(tmp_edge, (x,), grad_outputs=fg.tensor([1.0, 2.0, 3.0, 4.0]))
    assert str(e.value) == (
        f"Mismatch in shape: grad_output[0] has a shape of {MOD}.Size([4]) and output[0] has a shape of {MOD}.Size([])."
    )


def test_materialize_grads_refuses_unused_gradient_edge():
    x = fg.tensor([1.0, 2.0], requires_grad=True).clone()
    y = fg.tensor([3.0, 4.0], requires_grad=True).clone()
    edge_y = fg.autograd.graph.get_gradient_edge(y)
    with pytest.raises(RuntimeError, match="^materialize_grads cannot be used when the given input is a GradientEdge$"):
        fg.autograd.grad((x * 2).sum(), (x, edge_y), allow_unused=True, materialize_grads=True)
    gx, gy = fg.autograd.grad((x * 2).sum(), (fg.autograd.graph.get_gradient_edge(x), y), materialize_grads=True)
    assert gx.tolist() == [2.0, 2.0]
    assert gy.tolist() == [0.0, 0.0]


def test_materialized_zeros_require_grad_with_create_graph():
    x = fg.tensor(0.5, requires_grad=True)
    a = fg.tensor(1.0, requires_grad=True)
    (dydx,) = fg.autograd.grad(x * a, x, create_graph=True)
    (d2,) = fg.autograd.grad(dydx, x, create_graph=True, allow_unused=True, materialize_grads=True)
    assert (d2.item(), d2.requires_grad) == (0.0, True)
    (d3,) = fg.autograd.grad(d2, x, materialize_grads=True)
    assert (d3.item(), d3.requires_grad) == (0.0, False)


def test_gradient_edge_has_ownership_token_field():
    y = fg.ones(1, requires_grad=True) * 2
    edge = fg.autograd.graph.get_gradient_edge(y)
    assert fg.autograd.graph.GradientEdge._fields == ("node", "output_nr", "ownership_token")
    assert (len(edge), edge.output_nr, edge.ownership_token, edge.node.name()) == (3, 0, None, "MulBackward0")


def _signs(t):
    return [str(v) for v in t.reshape(-1).tolist()]


def test_vectorized_jacobian_adds_the_other_outputs_zeros():
    x = fg.tensor([-0.3, -0.05, 0.2], dtype=fg.float64)
    y = fg.tensor([0.7, 0.95, 1.2], dtype=fg.float64)
    jac = fg.autograd.functional.jacobian(lambda a, b: (a.sum(), b.sum(), a * b), (x, y), vectorize=True)
    assert _signs(jac[2][1]) == ["-0.3", "0.0", "0.0", "0.0", "-0.05", "0.0", "0.0", "0.0", "0.2"]
    plain = fg.autograd.functional.jacobian(lambda a, b: (a.sum(), b.sum(), a * b), (x, y))
    assert _signs(plain[2][1]) == ["-0.3", "-0.0", "0.0", "-0.0", "-0.05", "0.0", "-0.0", "-0.0", "0.2"]


def test_vectorized_jacobian_of_complex_function():
    jac = fg.autograd.functional.jacobian(lambda z: z * 2, fg.tensor([1 + 1j, 2 - 1j]), vectorize=True)
    assert jac.dtype == fg.complex64
    assert jac.tolist() == [[2 + 0j, 0j], [0j, 2 + 0j]]


def test_forward_mode_tangent_of_a_cast_has_its_dtype():
    with forward_ad.dual_level():
        d = forward_ad.make_dual(fg.tensor([1.0, 2.0], dtype=fg.float64), fg.tensor([1.0, 1.0], dtype=fg.float64))
        assert forward_ad.unpack_dual(d.float()).tangent.dtype == fg.float32
        assert forward_ad.unpack_dual(d.to(fg.float16)).tangent.dtype == fg.float16
    jac = fg.autograd.functional.jacobian(lambda a: ((a * 2).float(), (a * 2).double()), fg.ones(2, dtype=fg.float64),
                                         vectorize=True, strategy="forward-mode")
    assert [j.dtype for j in jac] == [fg.float32, fg.float64]


def test_jacrev_signed_zeros_and_refusals():
    func = importlib.import_module(f"{MOD}.func")
    jac = func.jacrev(lambda x: (x.sin(), x.cos().sum()))(fg.tensor([0.0, 1.0]))
    assert str(jac[1][0].item()) == "0.0"
    with pytest.raises(RuntimeError, match="^jacrev: Expected all inputs to be real but received complex tensor at "
                       "flattened input idx: 1$"):
        func.jacrev(lambda z, w: z * w)(fg.tensor([1.0]), fg.tensor([1j]))
    with pytest.raises(RuntimeError, match=r"^vjp\(f, ...\): All outputs of f must be floating-point or complex "
                       rf"Tensors, got Tensor with dtype {MOD}.int64$"):
        func.jacrev(lambda x: (x * 2).long())(fg.tensor([1.0]))
