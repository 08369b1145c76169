"""`autograd.graph.saved_tensors_hooks` and friends, `register_multi_grad_hook`, and the
`.grad` setter's errors, as PyTorch 2.13 behaves (values and messages observed there)."""

import ferrograd as fg
import numpy as np
import pytest
from ferrograd.autograd.graph import (
    disable_saved_tensors_hooks,
    register_multi_grad_hook,
    save_on_cpu,
    saved_tensors_hooks,
)


def test_pack_sees_each_saved_tensor_and_backward_uses_unpack():
    log = []

    def pack(t):
        log.append(("pack", tuple(t.shape), fg.is_grad_enabled()))
        return ("box", t.clone())

    def unpack(box):
        log.append(("unpack",))
        return box[1]

    a = fg.tensor([1.0, 2.0], requires_grad=True)
    with saved_tensors_hooks(pack, unpack):
        y = a.exp()  # saves its result
        z = (y * a).sum()  # saves both operands
    assert log == [("pack", (2,), False)] * 3
    log.clear()
    z.backward()
    assert log == [("unpack",)] * 3
    v = np.array([1.0, 2.0])
    np.testing.assert_allclose(a.grad.numpy(), np.exp(v) * (1 + v), rtol=1e-6)


def test_backward_reads_what_unpack_returns():
    a = fg.tensor([1.0, 2.0, 3.0], dtype=fg.float64, requires_grad=True)
    with saved_tensors_hooks(lambda t: t, lambda t: t * 10):
        y = (a * a).sum()
    y.backward()
    # d(a*a)/da = a*g + a*g with both saved copies of a scaled by 10
    np.testing.assert_allclose(a.grad.numpy(), [20.0, 40.0, 60.0])


def test_no_hooks_outside_the_block_and_none_under_no_grad():
    calls = []
    a = fg.ones(2, requires_grad=True)
    with saved_tensors_hooks(lambda t: calls.append(1) or t, lambda t: t), fg.no_grad():
        (a * a).sum()
    (a * a).sum()
    assert calls == []


def test_only_the_innermost_pair_applies():
    log = []
    a = fg.ones(2, requires_grad=True)
    with saved_tensors_hooks(lambda t: log.append("outer") or t, lambda t: t):
        with saved_tensors_hooks(lambda t: log.append("inner") or t, lambda t: t):
            (a * a).sum()
        (a * fg.full((2,), 2.0)).sum()  # a Python number would be a scalar: no tensor to pack
    assert log == ["inner", "inner", "outer"]


def test_unpack_is_called_on_every_backward_through_a_retained_graph():
    count = []
    a = fg.ones(2, requires_grad=True)
    with saved_tensors_hooks(lambda t: t, lambda t: count.append(1) or t):
        h = (a * a).sum()
    h.backward(retain_graph=True)
    h.backward()
    assert len(count) == 4
    np.testing.assert_allclose(a.grad.numpy(), [4.0, 4.0])


def test_in_place_write_after_packing_a_copy_is_not_an_error():
    b = fg.tensor([1.0, 2.0], requires_grad=True)
    c = b * 1
    with saved_tensors_hooks(lambda t: t.clone(), lambda t: t):
        d = c.pow(2)
    c.add_(1)
    d.sum().backward()
    np.testing.assert_allclose(b.grad.numpy(), [2.0, 4.0])


def test_unpack_must_return_a_tensor():
    a = fg.ones(2, requires_grad=True)
    with saved_tensors_hooks(lambda t: t, lambda t: 5):
        e = (a * a).sum()
    with pytest.raises(TypeError, match="Output of saved tensor unpack_hook expected to be a Tensor but got result of type int"):
        e.backward()


def test_an_error_in_pack_is_raised_by_the_forward_op():
    def pack(t):
        raise KeyError("no room")

    a = fg.ones(2, requires_grad=True)
    with saved_tensors_hooks(pack, lambda t: t), pytest.raises(KeyError, match="no room"):
        a * a
    assert (a * a).requires_grad  # later ops are unaffected


def test_disable_refuses_new_hooks_with_its_message():
    hooks = saved_tensors_hooks(lambda t: t, lambda t: t)
    with disable_saved_tensors_hooks("not here"), pytest.raises(RuntimeError, match="not here"):
        hooks.__enter__()
    with saved_tensors_hooks(lambda t: t, lambda t: t):
        pass

    @disable_saved_tensors_hooks("nor here")
    def f():
        with saved_tensors_hooks(lambda t: t, lambda t: t):
            pass

    with pytest.raises(RuntimeError, match="nor here"):
        f()


def test_save_on_cpu_gives_the_same_gradients():
    a = fg.tensor([1.0, 2.0], requires_grad=True)
    with save_on_cpu(pin_memory=False):
        f = (a * a.exp()).sum()
    f.backward()
    v = np.array([1.0, 2.0])
    np.testing.assert_allclose(a.grad.numpy(), np.exp(v) * (1 + v), rtol=1e-6)


def test_multi_grad_hook_all_gets_every_gradient_once_after_the_pass():
    a = fg.ones(2, requires_grad=True)
    b = fg.ones(2, requires_grad=True)
    seen = []
    handle = register_multi_grad_hook((a, b), lambda gs: seen.append([None if g is None else g.tolist() for g in gs]))
    (a * 2).sum().backward()
    (a * 3 + b * 4).sum().backward()
    assert seen == [[[2.0, 2.0], None], [[3.0, 3.0], [4.0, 4.0]]]
    handle.remove()
    (a * b).sum().backward()
    assert len(seen) == 2


def test_multi_grad_hook_any_fires_once_per_pass():
    a = fg.ones(2, requires_grad=True)
    b = fg.ones(2, requires_grad=True)
    seen = []
    register_multi_grad_hook((a, b), lambda g: seen.append(g.tolist()), mode="any")
    (a * 3 + b * 4).sum().backward()
    assert len(seen) == 1 and seen[0] in ([3.0, 3.0], [4.0, 4.0])
    with pytest.raises(ValueError, match="Expects mode to be one of"):
        register_multi_grad_hook((a,), print, mode="some")


def test_grad_setter_errors_name_sizes_and_dtypes():
    a = fg.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"attempting to assign a gradient of size '\[2, 2\]' to a tensor of size '\[2\]'"):
        a.grad = fg.ones(2, 2)
    with pytest.raises(RuntimeError, match="attempting to assign a gradient with dtype 'double' to a tensor with grad_dtype 'Float'"):
        a.grad = fg.ones(2, dtype=fg.float64)
    with pytest.raises(RuntimeError, match="with dtype 'long int' to a tensor with grad_dtype 'Float'"):
        a.grad = fg.ones(2, dtype=fg.int64)


def test_inference_tensors_are_refused_by_autograd_outside_inference_mode():
    with fg.inference_mode():
        a = fg.ones(2)
        doubled = a * 2
    plain = fg.ones(3)
    with fg.inference_mode():
        view = plain[:2]
    b = fg.ones(2, requires_grad=True)
    assert (a.is_inference(), doubled.is_inference(), view.is_inference(), b.is_inference()) == (True, True, False, False)
    assert fg.is_inference(a)
    with pytest.raises(RuntimeError, match="Inference tensors cannot be saved for backward"):
        a * b
    np.testing.assert_array_equal((a + b).detach().numpy(), [2.0, 2.0])  # add saves nothing
    with pytest.raises(RuntimeError, match="Inplace update to inference tensor outside InferenceMode is not allowed"):
        a.add_(1)
    with pytest.raises(RuntimeError, match="Setting requires_grad=True on inference tensor outside InferenceMode"):
        a.requires_grad_()
    np.testing.assert_array_equal(a.clone().add_(1).numpy(), [3.0, 3.0])
    with fg.inference_mode():
        a.add_(1)
    view.add_(1)
    np.testing.assert_array_equal(plain.numpy(), [2.0, 2.0, 1.0])


def test_unpacked_tensors_take_the_saved_tensors_history_for_double_backward():
    # PyTorch 2.13: g = [3, 12] with grad_fn, gg = [6, 12]; exp(2x): gg = 4 exp(2x)
    x = fg.tensor([1.0, 2.0], dtype=fg.float64, requires_grad=True)
    with saved_tensors_hooks(lambda v: v.detach(), lambda v: v):
        cube = (x**3).sum()
        exp2 = (x * 2).exp().sum()
    (g,) = fg.autograd.grad(cube, x, create_graph=True)
    assert g.grad_fn is not None and g.tolist() == [3.0, 12.0]
    (gg,) = fg.autograd.grad(g.sum(), x)
    assert gg.tolist() == [6.0, 12.0]
    (g,) = fg.autograd.grad(exp2, x, create_graph=True)
    (gg,) = fg.autograd.grad(g.sum(), x)
    np.testing.assert_allclose(gg.numpy(), 4 * np.exp([2.0, 4.0]), rtol=1e-12)


def test_unpacked_saved_tensors_are_leaves_or_keep_their_grad_fn_as_in_pytorch():
    x = fg.tensor([0.5, 1.0], dtype=fg.float64, requires_grad=True)
    with saved_tensors_hooks(lambda v: v.detach(), lambda v: v):
        q = x.sin()
        r = (x * 2).exp() * (x * 2)
    s = q.grad_fn._saved_self
    assert (s.is_leaf, s.requires_grad, s.grad_fn, s is x) == (True, True, None, False)
    assert s.equal(x)
    s = r.grad_fn._saved_self
    assert (s.is_leaf, s.requires_grad, type(s.grad_fn).__name__) == (False, True, "ExpBackward0")
    o = r.grad_fn.next_functions[0][0]._saved_result
    assert (o.is_leaf, o.requires_grad, type(o.grad_fn).__name__) == (False, True, "ExpBackward0")


def test_packed_tensors_are_not_held_by_the_graph():
    x = fg.ones(500, dtype=fg.float64, requires_grad=True)
    before = fg.autograd.graph_stats()["saved_bytes"]
    with saved_tensors_hooks(lambda v: None, lambda v: fg.ones(500, dtype=fg.float64)):
        y = x.exp()
    assert fg.autograd.graph_stats()["saved_bytes"] == before
    z = x.sin()
    assert fg.autograd.graph_stats()["saved_bytes"] == before + 4000
    z.grad_fn._raw_saved_self.register_hooks(lambda v: None, lambda v: fg.zeros(500, dtype=fg.float64))
    assert fg.autograd.graph_stats()["saved_bytes"] == before
    (y.sum() + z.sum()).backward()
    # backward used what unpack returned: exp's result as 1, sin's input as 0 (cos 0 = 1)
    np.testing.assert_allclose(x.grad.numpy(), np.full(500, 2.0), rtol=0)
