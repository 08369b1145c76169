"""A non-tensor where PyTorch takes a tensor is PyTorch's TypeError, naming the function
(by PyTorch's name for it) and the argument; messages observed with PyTorch 2.13."""

import pytest
from backend import fg

F = fg.nn.functional


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: F.relu(2), "relu(): argument 'input' (position 1) must be Tensor, not int"),
        (lambda: F.relu(input=3.0), "relu(): argument 'input' (position 1) must be Tensor, not float"),
        (lambda: F.gelu(None), "gelu(): argument 'input' (position 1) must be Tensor, not NoneType"),
        (lambda: F.logsigmoid(2), "log_sigmoid(): argument 'input' (position 1) must be Tensor, not int"),
        (lambda: F.one_hot(2), "one_hot(): argument 'input' (position 1) must be Tensor, not int"),
        (lambda: F.alpha_dropout(2), "alpha_dropout(): argument 'input' (position 1) must be Tensor, not int"),
        (lambda: fg.linalg.lu("a"), "linalg_lu(): argument 'A' (position 1) must be Tensor, not str"),
        (lambda: fg.linalg.vector_norm(2.5), "linalg_vector_norm(): argument 'input' (position 1) must be Tensor, not float"),
        (lambda: fg.fft.fftn([1.0]), "fft_fftn(): argument 'input' (position 1) must be Tensor, not list"),
        (lambda: fg.fft.fftshift(None), "fft_fftshift(): argument 'input' (position 1) must be Tensor, not NoneType"),
        (lambda: fg.repeat_interleave(2), "repeat_interleave(): argument 'repeats' (position 1) must be Tensor, not int"),
        (lambda: fg.to_dlpack(2), "_to_dlpack(): argument 'data' (position 1) must be Tensor, not int"),
        (lambda: fg.sum(fg.float32), "sum(): argument 'input' (position 1) must be Tensor, not ferrograd.dtype"),
        (lambda: fg.hstack("abc"), "hstack(): argument 'tensors' (position 1) must be tuple of Tensors, not str"),
        (lambda: fg.linalg.multi_dot("a"), "linalg_multi_dot(): argument 'tensors' (position 1) must be tuple of Tensors, not str"),
        (lambda: fg.vstack([1, 2]), "expected Tensor as element 0 in argument 0, but got int"),
        (lambda: fg.atleast_2d((fg.ones(1), 2)), "expected Tensor as element 1 in argument 0, but got int"),
    ],
)
def test_a_non_tensor_argument_is_pytorchs_type_error(call, message):
    with pytest.raises(TypeError) as info:
        call()
    assert str(info.value).replace("torch.", "ferrograd.") == message


@pytest.mark.parametrize("fn", ["atleast_1d", "atleast_2d", "atleast_3d"])
def test_atleast_of_a_string_lists_both_overloads(fn):
    with pytest.raises(TypeError) as info:
        getattr(fg, fn)("abc")
    assert str(info.value).startswith(f"{fn}() received an invalid combination of arguments - got (str)")


def test_good_calls_and_their_own_errors_pass_through():
    x = fg.tensor([-1.0, 2.0])
    assert F.relu(x).tolist() == [0.0, 2.0]
    assert fg.hstack([x, x]).shape == (4,)
    assert fg.atleast_2d(x).shape == (1, 2)
    with pytest.raises(RuntimeError, match=r"tensors 0 and 1 with shapes \[2, 3\] and \[2, 3\] cannot be multiplied"):
        fg.linalg.multi_dot([fg.ones(2, 3), fg.ones(2, 3)])


@pytest.mark.parametrize(
    "call",
    [
        lambda x, i: x.flatten(i),
        lambda x, i: x.stride(i),
        lambda x, i: x.narrow(i, 0, 1),
        lambda x, i: x.transpose(i, 1),
        lambda x, i: x.unsqueeze(i),
        lambda x, i: x.select(i, 0),
    ],
)
def test_an_int_argument_takes_a_tensor_only_without_dims(call):
    x = fg.zeros(2, 3)
    call(x, fg.tensor(0))  # a 0-dim integer tensor reads as its value
    for index in (fg.tensor([0]), fg.tensor([0], dtype=fg.int16), fg.tensor(True), fg.tensor(0.0)):
        with pytest.raises(TypeError):
            call(x, index)


def test_an_int_list_argument_takes_a_one_element_tensor():
    x = fg.ones(2, 3)
    assert x.sum(fg.tensor([0])).tolist() == [2.0, 2.0, 2.0]
