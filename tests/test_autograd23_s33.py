"""Autograd behaviours the session-33 differential harness (tools/autograd_diff.py) found
ferrograd getting wrong."""

import importlib
import warnings

import pytest
from backend import fg


def _anomaly(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # detect_anomaly's own warnings
        with fg.autograd.detect_anomaly():
            fn()


def _boom_function():
    class Boom(fg.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            raise ValueError("boom")

    return Boom


def test_custom_backward_error_keeps_its_type_in_anomaly_mode():
    boom = _boom_function()
    with pytest.raises(ValueError, match="^boom$"):
        _anomaly(lambda: boom.apply(fg.tensor([1.0], requires_grad=True)).sum().backward())


def test_custom_backward_error_in_anomaly_mode_warns_with_forward_trace():
    boom = _boom_function()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with fg.autograd.detect_anomaly(), pytest.raises(ValueError):
            boom.apply(fg.tensor([1.0], requires_grad=True)).sum().backward()
    texts = [str(w.message) for w in caught]
    assert any(s.startswith("Error detected in BoomBackward.") for s in texts), texts


def test_unpack_hook_error_keeps_its_type_in_anomaly_mode():
    def refuse(packed):
        raise KeyError("unpack")

    def run():
        x = fg.tensor([1.0], requires_grad=True)
        with fg.autograd.graph.saved_tensors_hooks(lambda t: t, refuse):
            y = x.exp()
        y.sum().backward()

    with pytest.raises(KeyError, match="unpack"):
        _anomaly(run)


def test_checkpoint_recompute_error_keeps_its_type_in_anomaly_mode():
    checkpoint = importlib.import_module(fg.__name__ + ".utils.checkpoint").checkpoint
    calls = []

    def f(a):
        calls.append(1)
        if len(calls) > 1:
            raise KeyError("recompute")
        return a.exp()

    x = fg.tensor([1.0], requires_grad=True)
    with pytest.raises(KeyError, match="recompute"):
        _anomaly(lambda: checkpoint(f, x, use_reentrant=False).sum().backward())


def test_error_outside_anomaly_mode_does_not_leak_into_a_later_anomaly_error():
    boom = _boom_function()
    with pytest.raises(ValueError, match="^boom$"):
        boom.apply(fg.tensor([1.0], requires_grad=True)).sum().backward()
    x = fg.tensor([0.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="^Function 'SqrtBackward0' returned nan values"):
        _anomaly(lambda: (x.sqrt() * 0).sum().backward())


def _forward_ad():
    return importlib.import_module(fg.__name__ + ".autograd.forward_ad")


def test_jvp_sees_only_tensors_saved_for_forward():
    seen = []

    class F(fg.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            ctx.save_for_backward(x)
            ctx.save_for_forward(y)
            return x * y

        @staticmethod
        def backward(ctx, g):
            return g, g

        @staticmethod
        def jvp(ctx, tx, ty):
            seen.append(ctx.saved_tensors)
            return tx

    fa = _forward_ad()
    with fa.dual_level():
        F.apply(fa.make_dual(fg.tensor([3.0]), fg.tensor([1.0])), fg.tensor([5.0]))
    assert len(seen[0]) == 1
    assert seen[0][0].tolist() == [5.0]


def test_jvp_without_save_for_forward_sees_no_saved_tensors():
    seen = []

    class F(fg.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            return g

        @staticmethod
        def jvp(ctx, tx):
            seen.append(ctx.saved_tensors)
            return tx

    fa = _forward_ad()
    with fa.dual_level():
        F.apply(fa.make_dual(fg.tensor([3.0]), fg.tensor([1.0])))
    assert seen == [()]
