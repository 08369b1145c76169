"""linspace and logspace against PyTorch's CPU kernels, bit for bit.

Each expectation is a checksum of the output's bit patterns recorded from PyTorch 2.13:
sum((i + 1) * bits[i]) mod 2**61 - 1, with floats read as same-size integers.
"""

import pytest
from backend import fg

LINSPACE = [
    (93.55999898403428, -28.390125061002337, 17, 'float32', 35163548084),
    (-19.01317250991714, 56.75971780695451, 65, 'float32', 2038827302804),
    (0.1, 1.7, 10, 'float32', 58594054078),
    (-3, 7, 33, 'float32', 486640975872),
    (0.001, 2.5, 1000, 'float32', 535513084706773),
    (93.55999898403428, -28.390125061002337, 17, 'float64', 2160924359115162727),
    (-19.01317250991714, 56.75971780695451, 65, 'float64', 2193948110675366709),
    (0.1, 1.7, 10, 'float64', 2057944869724878087),
    (0.001, 2.5, 4097, 'float64', 197059296404759252),
    (-1, 1, 2, 'float64', 2292332210331582465),
    (5, 5, 7, 'float64', 157625986957967416),
    (-7.5, 3.25, 21, 'float16', 222697),
    (0.3, 2049.0, 100, 'float16', 130390153),
    (-7.5, 3.25, 21, 'bfloat16', 327978),
    (0.3, 2049.0, 100, 'bfloat16', 88695184),
    (0, 100, 7, 'int64', 1859),
    (-3, 17, 9, 'int32', 457),
    (-1, 3, 3, 'uint8', 522),
    (2.7, -9.9, 6, 'int8', 2305843009213693847),
    (0, 1000, 33, 'int16', 373792),
    (-5, 5, 11, 'int64', 110),
    (10, 0, 4, 'int64', 31),
]
LOGSPACE = [
    (0.0, 3.0, 4, 10.0, 'float32', 11207180288),
    (1.3, -2.2, 17, 10.0, 'float32', 158515486435),
    (-1.7, 4.2, 50, 2.0, 'float64', 2151462907574949615),
    (-1.7, 4.2, 50, 3.7, 'float64', 1995412741794648695),
    (0.5, -3.5, 101, 10.0, 'float64', 2176291901503160265),
    (0, 3, 4, 10.0, 'int64', 4321),
    (0, 10, 11, 2.0, 'int32', 20481),
    (0.0, 2.0, 5, 10.0, 'float16', 297606),
]

_BITS = {"float32": "int32", "float64": "int64", "float16": "int16", "bfloat16": "int16"}


def checksum(t):
    bits = t.view(getattr(fg, _BITS[str(t.dtype).split(".")[-1]])) if t.dtype.is_floating_point else t
    return sum((i + 1) * b for i, b in enumerate(bits.tolist())) % (2**61 - 1)


@pytest.mark.parametrize(("start", "end", "steps", "dtype", "expected"), LINSPACE)
def test_linspace_matches_torch_bitwise(start, end, steps, dtype, expected):
    t = fg.linspace(start, end, steps, dtype=getattr(fg, dtype))
    assert t.dtype == getattr(fg, dtype)
    assert t.shape == (steps,)
    assert checksum(t) == expected


@pytest.mark.parametrize(("start", "end", "steps", "base", "dtype", "expected"), LOGSPACE)
def test_logspace_matches_torch_bitwise(start, end, steps, base, dtype, expected):
    t = fg.logspace(start, end, steps, base=base, dtype=getattr(fg, dtype))
    assert t.dtype == getattr(fg, dtype)
    assert checksum(t) == expected


def test_linspace_float32_bits_from_both_ends():
    t = fg.linspace(93.55999898403428, -28.390125061002337, 17)
    assert t.view(fg.int32).tolist() == [
        1119559352, 1118560337, 1117561321, 1116562306, 1115441717, 1113443686, 1111445656, 1109447625,
        1107449593, 1103606868, 1099610807, 1092321843, 1074150368, -1062156154, -1051568258, -1046076068,
        -1042080006,
    ]


def test_linspace_integer_values():
    assert fg.linspace(2.7, -9.9, 6, dtype=fg.int8).tolist() == [2, 0, -2, -4, -6, -9]
    assert fg.linspace(-1, 3, 3, dtype=fg.uint8).tolist() == [255, 129, 3]
    assert fg.linspace(0, 1000, 7, dtype=fg.int16).tolist() == [0, 166, 333, 500, 666, 833, 1000]
    assert fg.linspace(0, 10, 0).shape == (0,)
    assert fg.linspace(4, 10, 1).tolist() == [4.0]
    assert fg.linspace(2.7, 300, 1, dtype=fg.int8).tolist() == [2]


def test_logspace_integer_values():
    assert fg.logspace(0, 3, 4, dtype=fg.int64).tolist() == [1, 10, 100, 1000]
    assert fg.logspace(0, 10, 11, 2.0, dtype=fg.int32).tolist() == [2**i for i in range(11)]


def test_linspace_accepts_zero_dim_tensors():
    t = fg.linspace(fg.tensor(0.0), fg.tensor(1.0), 5)
    assert t.tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]


def test_linspace_errors():
    with pytest.raises(RuntimeError, match="number of steps must be non-negative"):
        fg.linspace(0, 1, -1)
    with pytest.raises(RuntimeError, match="number of steps must be non-negative"):
        fg.logspace(0, 1, -2)
    with pytest.raises(NotImplementedError, match="\"linspace_cpu\" not implemented for 'Bool'"):
        fg.linspace(0, 1, 3, dtype=fg.bool)
    with pytest.raises(NotImplementedError, match="\"logspace_cpu\" not implemented for 'Bool'"):
        fg.logspace(0, 1, 3, dtype=fg.bool)
    with pytest.raises(RuntimeError, match="value cannot be converted to type int8_t without overflow"):
        fg.linspace(0, 300, 5, dtype=fg.int8)
    with pytest.raises(RuntimeError, match="value cannot be converted to type float without overflow"):
        fg.linspace(0, 1e39, 3)
