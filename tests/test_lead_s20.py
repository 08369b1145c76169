"""Lead's session-20 fixes, with PyTorch's outcomes written in (checked against the torch
2.13 wheel)."""

import pytest
from backend import fg


@pytest.mark.parametrize(
    ("convert", "value", "expected"),
    [(int, 2 + 0j, 2), (int, -3.7 + 0j, -3), (float, 2.5 + 0j, 2.5), (float, -0.0 + 0j, -0.0)],
)
def test_a_complex_tensor_with_no_imaginary_part_converts_to_its_real_part(convert, value, expected):
    assert convert(fg.tensor(value)) == expected
    assert convert(fg.tensor([value], dtype=fg.complex128)) == expected


@pytest.mark.parametrize(("convert", "target"), [(int, "int64_t"), (float, "double")])
def test_a_complex_tensor_with_an_imaginary_part_refuses_to_convert(convert, target):
    with pytest.raises(RuntimeError, match=f"^value cannot be converted to type {target} without overflow$"):
        convert(fg.tensor(2 + 1j))


def test_a_complex_tensor_is_no_index():
    with pytest.raises(TypeError, match="only integer tensors of a single element can be converted to an index"):
        fg.tensor(2 + 0j).__index__()


@pytest.mark.parametrize("requires_grad", [False, True])
def test_backward_checks_the_gradient_type_first(requires_grad):
    x = fg.tensor([1.0], requires_grad=requires_grad)
    with pytest.raises(TypeError, match="^gradients can be either Tensors or None, but got str$"):
        x.backward("abc")
