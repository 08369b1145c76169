"""Lead's session-20 fixes, with PyTorch's outcomes written in (checked against the torch
2.13 wheel)."""

import math

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


# PyTorch's values (C99's branch cuts): the side of a cut follows the sign of the zero part
_CUT_POINTS = [
    (2.0, 0.0), (2.0, -0.0), (-2.0, 0.0), (-2.0, -0.0), (0.5, -0.0), (0.0, -2.0), (-0.0, 0.0), (-0.0, 2.0),
]
_ON_THE_CUTS = {
    "asin": [
        (1.5707963267948966, 1.3169578969248166), (1.5707963267948966, -1.3169578969248166),
        (-1.5707963267948966, 1.3169578969248166), (-1.5707963267948966, -1.3169578969248166),
        (0.5235987755982989, -0.0), (0.0, -1.4436354751788103), (-0.0, 0.0), (-0.0, 1.4436354751788103),
    ],
    "acos": [
        (0.0, -1.3169578969248166), (0.0, 1.3169578969248166), (3.141592653589793, -1.3169578969248166),
        (3.141592653589793, 1.3169578969248166), (1.0471975511965976, 0.0),
        (1.5707963267948966, 1.4436354751788103), (1.5707963267948966, 0.0),
        (1.5707963267948966, -1.4436354751788103),
    ],
    "atan": [
        (1.1071487177940904, 0.0), (1.1071487177940904, -0.0), (-1.1071487177940904, 0.0),
        (-1.1071487177940904, -0.0), (0.4636476090008061, -0.0), (1.5707963267948966, -0.5493061443340549),
        (-0.0, 0.0), (-1.5707963267948966, 0.5493061443340549),
    ],
    "asinh": [
        (1.4436354751788103, 0.0), (1.4436354751788103, -0.0), (-1.4436354751788103, 0.0),
        (-1.4436354751788103, -0.0), (0.48121182505960347, -0.0), (1.3169578969248166, -1.5707963267948966),
        (-0.0, 0.0), (-1.3169578969248166, 1.5707963267948966),
    ],
    "acosh": [
        (1.3169578969248166, 0.0), (1.3169578969248166, -0.0), (1.3169578969248166, 3.141592653589793),
        (1.3169578969248166, -3.141592653589793), (0.0, -1.0471975511965976),
        (1.4436354751788103, -1.5707963267948966), (0.0, 1.5707963267948966),
        (1.4436354751788103, 1.5707963267948966),
    ],
    "atanh": [
        (0.5493061443340549, 1.5707963267948966), (0.5493061443340549, -1.5707963267948966),
        (-0.5493061443340549, 1.5707963267948966), (-0.5493061443340549, -1.5707963267948966),
        (0.5493061443340549, -0.0), (0.0, -1.1071487177940904), (-0.0, 0.0), (-0.0, 1.1071487177940904),
    ],
}


@pytest.mark.parametrize("name", sorted(_ON_THE_CUTS))
@pytest.mark.parametrize(("dtype", "tolerance"), [(fg.complex128, 1e-12), (fg.complex64, 1e-6)])
def test_inverse_trigonometric_functions_take_pytorchs_side_of_the_branch_cuts(name, dtype, tolerance):
    z = fg.tensor([complex(x, y) for x, y in _CUT_POINTS], dtype=dtype)
    got = getattr(z, name)().tolist()
    for point, value, (re, im) in zip(_CUT_POINTS, got, _ON_THE_CUTS[name], strict=True):
        for part, want in ((value.real, re), (value.imag, im)):
            assert abs(part - want) <= tolerance * max(1.0, abs(want)), (name, point, value)
            if want == 0 and dtype == fg.complex128:  # PyTorch's complex64 kernels differ in a few zero signs
                assert math.copysign(1, part) == math.copysign(1, want), (name, point, value)


@pytest.mark.parametrize("name", sorted(_ON_THE_CUTS))
def test_inverse_trigonometric_gradients_off_the_cuts(name):
    z = fg.tensor([0.3 + 0.4j, -0.7 + 0.2j, 0.5 - 0.6j, -0.2 - 0.3j], dtype=fg.complex128, requires_grad=True)
    assert fg.autograd.gradcheck(lambda t: getattr(t, name)(), (z,))


def test_bool_storages_read_their_own_values_while_older_ones_live():
    # a bool storage's bytes are a copy, so the key of a freed tensor's storage (its
    # address) could name a newer one: the storages must never be mixed up
    kept = []
    for i in range(300):
        kept.append(fg.BoolStorage(3))
        values = [bool(i % 2), True] + [False] * (i % 3)
        assert list(fg.BoolStorage(values)) == values
