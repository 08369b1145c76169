"""Tensor subclasses keep their class through ops, and `__torch_function__` sees each call,
as in PyTorch 2.13 (expected values observed from PyTorch). Defining a dispatching
subclass wraps the top-level functions for the rest of the process, so each scenario
runs in a fresh interpreter."""

import subprocess
import sys
import textwrap

import pytest


def run(script: str) -> None:
    code = "import ferrograd as torch\n" + textwrap.dedent(script)
    proc = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]


def test_subclass_survives_methods_operators_properties_and_functions():
    run("""
        class M(torch.Tensor):
            pass
        x = torch.arange(6.).reshape(2, 3).as_subclass(M)
        for value in (x + 1, 1 + x, x * x, -x, abs(x), x[0], x == 1, x.sum(), x.T, x.mT, x.real, x.data,
                      x.clone(), x.detach(), x.view(3, 2), x @ x.T, torch.add(x, 1), torch.cat([x, x]),
                      torch.stack([x, x]), torch.where(x > 1, x, 0.0), torch.nn.functional.relu(x),
                      torch.nn.functional.linear(x, torch.ones(2, 3))):
            assert type(value) is M, type(value)
        assert [type(t) for t in x] == [M, M]
        values, indices = x.max(1)
        assert type(values) is M and type(indices) is M
        assert type(x.size()) is torch.Size and x.dim() == 2 and x.tolist() == [[0., 1., 2.], [3., 4., 5.]]
        assert repr(x) == "M([[0., 1., 2.],\\n   [3., 4., 5.]])"
        x.data = torch.zeros(2)
        assert type(x) is M and x.tolist() == [0., 0.]
    """)


def test_subclass_gradients_and_make_subclass():
    run("""
        class M(torch.Tensor):
            def double_it(self):
                return self * 2
        alias = torch.ones(2, requires_grad=True).as_subclass(M)
        assert not alias.is_leaf and repr(alias * 2) == "M([2., 2.], grad_fn=<AliasBackward0>)"
        x = torch.ones(2).as_subclass(M).requires_grad_()
        y = (x * 3).sum()
        assert type(y) is M and y.grad_fn.name() == "AliasBackward0"
        y.backward()
        assert x.grad.tolist() == [3., 3.]
        assert type(x.double_it()) is M
        z = torch.Tensor._make_subclass(M, torch.ones(2), True)
        assert type(z) is M and z.requires_grad and z.is_leaf
    """)


def test_torch_function_sees_methods_operators_and_functions():
    run("""
        calls = []
        class L(torch.Tensor):
            @classmethod
            def __torch_function__(cls, func, types, args=(), kwargs=None):
                calls.append(func.__name__)
                return super().__torch_function__(func, types, args, kwargs or {})
        y = torch.ones(2).as_subclass(L)
        z = y + 1
        w = y.sum()
        q = torch.mul(y, 2)
        assert calls == ["add", "sum", "mul"], calls
        assert type(z) is L and type(w) is L and type(q) is L
    """)


def test_torch_function_can_intercept():
    run("""
        class M(torch.Tensor):
            @classmethod
            def __torch_function__(cls, func, types, args=(), kwargs=None):
                if func is torch.Tensor.add or func is torch.add:
                    return "intercepted"
                return super().__torch_function__(func, types, args, kwargs)
        x = torch.ones(2).as_subclass(M)
        assert x.add(1) == "intercepted" and torch.add(x, 1) == "intercepted"
        assert type(x.mul(2)) is M
    """)


def test_parameters_stay_plain_for_ops():
    run("""
        p = torch.nn.Parameter(torch.ones(2))
        for value in (p * 2, p.detach(), p.data, p[0], torch.relu(p)):
            assert type(value) is torch.Tensor, type(value)
        class P(torch.nn.Parameter):
            pass
        q = P(torch.ones(2))
        assert type(q) is P and q.requires_grad and type(q * 2) is torch.Tensor
    """)


@pytest.mark.parametrize("activation", ["relu", "gelu"])
def test_functions_bound_before_a_subclass_still_match(activation):
    run(f"""
        layer = torch.nn.TransformerEncoderLayer(4, 2, 8, activation="{activation}", batch_first=True)
        class M(torch.Tensor):
            pass
        assert layer.activation_relu_or_gelu == {1 if activation == "relu" else 2}
    """)


def test_as_subclass_under_no_grad_leaves_the_original_alone():
    run("""
        class M(torch.Tensor):
            pass
        x = torch.ones(2, requires_grad=True)
        with torch.no_grad():
            y = x.as_subclass(M)
        assert type(x) is torch.Tensor and type(y) is M and y is not x
        assert y.tolist() == [1.0, 1.0]
    """)
