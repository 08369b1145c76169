"""Lead's session-19 fixes, with PyTorch's outcomes written in (checked against the torch
wheel)."""

import ferrograd as fg
import pytest


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: fg.tensor([1.0], requires_grad=1), "tensor(): argument 'requires_grad' must be bool, not int"),
        (lambda: fg.zeros(2, requires_grad=1), "zeros(): argument 'requires_grad' must be bool, not int"),
        (lambda: fg.ones(2, requires_grad="a"), "ones(): argument 'requires_grad' must be bool, not str"),
        (lambda: fg.tensor([1.0], requires_grad=None), "tensor(): argument 'requires_grad' must be bool, not NoneType"),
        (lambda: fg.full((2,), 1.0, requires_grad=1), "full(): argument 'requires_grad' must be bool, not int"),
        (lambda: fg.empty(2, requires_grad=1), "empty(): argument 'requires_grad' must be bool, not int"),
        (lambda: fg.zeros_like(fg.ones(2), requires_grad=1), "zeros_like(): argument 'requires_grad' must be bool, not int"),
        (lambda: fg.tensor([1.0], requires_grad=fg.tensor(True)), "tensor(): argument 'requires_grad' must be bool, not Tensor"),
    ],
)
def test_factories_take_only_a_bool_requires_grad(call, message):
    with pytest.raises(TypeError) as caught:
        call()
    assert str(caught.value) == message


def test_overloaded_factories_refuse_with_a_type_error():
    # PyTorch names the overloads ("received an invalid combination of arguments")
    with pytest.raises(TypeError, match="requires_grad"):
        fg.rand(2, requires_grad=1.0)
    with pytest.raises(TypeError, match="requires_grad"):
        fg.arange(3.0, requires_grad=1)
    assert fg.randn(2, requires_grad=True).requires_grad
