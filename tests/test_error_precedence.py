"""Which error PyTorch reports when a call is wrong in two ways (observed from PyTorch
2.13): shapes are checked before a kernel is picked for the dtypes, and an in-place op
checks that its result type can be written back before it computes."""

import ferrograd as fg
import pytest

BROADCAST = r"The size of tensor a \(2\) must match the size of tensor b \(3\) at non-singleton dimension 0"


@pytest.mark.parametrize("call", [
    lambda: fg.ones(2).bitwise_and(fg.ones(3, dtype=fg.int64)),
    lambda: fg.ones(2, dtype=fg.int64).bitwise_and_(fg.ones(3)),
    lambda: fg.ones(2).bitwise_or(fg.ones(3)),
    lambda: fg.ones(2).bitwise_xor(fg.ones(3)),
    lambda: fg.ones(2).lt(fg.ones(3, dtype=fg.complex64)),
    lambda: fg.ones(2, dtype=fg.complex64).ge(fg.ones(3)),
])
def test_shape_mismatch_wins_over_dtype(call):
    with pytest.raises(RuntimeError, match=BROADCAST):
        call()


def test_dtype_error_still_raised_for_matching_shapes():
    with pytest.raises(NotImplementedError, match="\"bitwise_and_cpu\" not implemented for 'Float'"):
        fg.ones(2).bitwise_and(fg.ones(2))


@pytest.mark.parametrize("name", ["fmod", "copysign", "xlogy"])
def test_complex_number_operand(name):
    with pytest.raises(NotImplementedError, match=f'"{name}_cpu" not implemented for'):
        getattr(fg, name)(fg.ones(2), 1j)
    with pytest.raises(RuntimeError, match="result type ComplexFloat can't be cast to the desired output type Float"):
        getattr(fg.ones(2), name + "_")(1j)


def test_float_power_with_a_complex_number():
    out = fg.float_power(fg.ones(2), 1j)
    assert out.dtype == fg.complex128
    assert out.tolist() == [1 + 0j, 1 + 0j]
    with pytest.raises(RuntimeError, match="has dtype Float but the operation's result requires dtype ComplexDouble"):
        fg.ones(2).float_power_(1j)
