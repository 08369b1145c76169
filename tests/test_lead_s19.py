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


class _Recorder:
    """Returns the qualified name of the function a call hands it."""

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        return func.__qualname__


def test_reflected_bitwise_operators_hand_tensor_like_the_method():
    x = fg.ones(2)
    # PyTorch: TensorBase.bitwise_and / bitwise_or (ferrograd has no TensorBase)
    assert (_Recorder() & x).endswith(".bitwise_and")
    assert (_Recorder() | x).endswith(".bitwise_or")


def test_python_level_methods_are_named_after_their_attribute():
    for name in ("index_select", "gather", "bitwise_not", "masked_select", "take_along_dim"):
        method = getattr(fg.Tensor, name)
        assert method.__name__ == name and method.__qualname__ == f"Tensor.{name}"
