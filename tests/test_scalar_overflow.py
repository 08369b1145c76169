"""Python numbers that do not fit a tensor's dtype: which ops refuse them with PyTorch's
"value cannot be converted to type ... without overflow" (c10's checked_convert) and
which wrap. Expectations recorded from PyTorch 2.13."""

import pytest
from backend import fg


def _i8():
    return fg.tensor([1, 2], dtype=fg.int8)


def _u8():
    return fg.tensor([1, 2], dtype=fg.uint8)


MASK = [True, False]

RAISES = [
    ("full u8 300", lambda: fg.full((2,), 300, dtype=fg.uint8), "uint8_t"),
    ("full i8 -200", lambda: fg.full((2,), -200, dtype=fg.int8), "int8_t"),
    ("full i8 1000.0", lambda: fg.full((2,), 1000.0, dtype=fg.int8), "int8_t"),
    ("full i16 40000", lambda: fg.full((2,), 40000, dtype=fg.int16), "int16_t"),
    ("full i32 2**31", lambda: fg.full((2,), 2**31, dtype=fg.int32), "int"),
    ("full f32 1e300", lambda: fg.full((2,), 1e300, dtype=fg.float32), "float"),
    ("full f16 1e6", lambda: fg.full((2,), 1e6, dtype=fg.float16), "c10::Half"),
    ("full f16 70000", lambda: fg.full((2,), 70000, dtype=fg.float16), "c10::Half"),
    ("full bf16 1e39", lambda: fg.full((2,), 1e39, dtype=fg.bfloat16), "c10::BFloat16"),
    ("full () i8 300", lambda: fg.full((), 300, dtype=fg.int8), "int8_t"),
    ("full i32 nan", lambda: fg.full((1,), float("nan"), dtype=fg.int32), "int"),
    ("full i64 inf", lambda: fg.full((1,), float("inf"), dtype=fg.int64), "int64_t"),
    ("full u8 -1.0", lambda: fg.full((1,), -1.0, dtype=fg.uint8), "uint8_t"),
    ("full u8 -256", lambda: fg.full((1,), -256, dtype=fg.uint8), "uint8_t"),
    ("full_like i8 300", lambda: fg.full_like(_i8(), 300), "int8_t"),
    ("new_full i8 -129", lambda: _i8().new_full((2,), -129), "int8_t"),
    ("u8 fill_ 256", lambda: _u8().fill_(256), "uint8_t"),
    ("u8 fill_ -1.0", lambda: _u8().fill_(-1.0), "uint8_t"),
    ("u8 fill_ 255.5", lambda: _u8().fill_(255.5), "uint8_t"),
    ("i8 fill_ 128", lambda: _i8().fill_(128), "int8_t"),
    ("i8 numel 1 fill_ 300", lambda: fg.zeros(1, dtype=fg.int8).fill_(300), "int8_t"),
    ("i8 numel 0 fill_ 300", lambda: fg.zeros(0, dtype=fg.int8).fill_(300), "int8_t"),
    ("f32 fill_ 1e300", lambda: fg.tensor([1.0, 2.0]).fill_(1e300), "float"),
    ("f16 fill_ 1e6", lambda: fg.zeros(2, dtype=fg.float16).fill_(1e6), "c10::Half"),
    ("i8 masked_fill 300", lambda: _i8().masked_fill(fg.tensor(MASK), 300), "int8_t"),
    ("i8 masked_fill tensor 300", lambda: _i8().masked_fill(fg.tensor(MASK), fg.tensor(300)), "int8_t"),
    ("u8 masked_fill_ -1.0", lambda: _u8().masked_fill_(fg.tensor(MASK), -1.0), "uint8_t"),
    ("f16 masked_fill 1e6", lambda: fg.zeros(1, dtype=fg.float16).masked_fill(fg.tensor([True]), 1e6), "c10::Half"),
    ("i8 setitem 300", lambda: _i8().__setitem__(0, 300), "int8_t"),
    ("i8 setitem slice 300", lambda: _i8().__setitem__(slice(None), 300), "int8_t"),
    ("i8 setitem mask 300", lambda: _i8().__setitem__(fg.tensor(MASK), 300), "int8_t"),
    ("i8 setitem index tensor 300", lambda: _i8().__setitem__(fg.tensor([0]), 300), "int8_t"),
    ("u8 setitem -1.0", lambda: _u8().__setitem__(0, -1.0), "uint8_t"),
    ("i8 clamp max 300", lambda: _i8().clamp(max=300), "int8_t"),
    ("i8 clamp min -300", lambda: _i8().clamp(min=-300), "int8_t"),
    ("i8 clamp_ max 300", lambda: _i8().clamp_(max=300), "int8_t"),
    ("f32 clamp max 1e39", lambda: fg.tensor([1.0, 2.0]).clamp(max=1e39), "float"),
    ("i8 where other 300", lambda: fg.where(fg.tensor(MASK), _i8(), 300), "int8_t"),
    ("i8 where input 300", lambda: fg.where(fg.tensor(MASK), 300, _i8()), "int8_t"),
    ("i8 index_fill 300", lambda: _i8().index_fill(0, fg.tensor([0]), 300), "int8_t"),
    ("i8 index_fill_ 300", lambda: _i8().index_fill_(0, fg.tensor([0]), 300), "int8_t"),
    ("i8 scatter value 300", lambda: _i8().scatter(0, fg.tensor([0]), 300), "int8_t"),
    ("i8 linspace end 300", lambda: fg.linspace(0, 300, 5, dtype=fg.int8), "int8_t"),
]


@pytest.mark.parametrize(("name", "fn", "ctype"), RAISES, ids=[r[0] for r in RAISES])
def test_out_of_range_numbers_raise(name, fn, ctype):
    with pytest.raises(RuntimeError) as info:
        fn()
    assert str(info.value) == f"value cannot be converted to type {ctype} without overflow"


ALLOWED = [
    ("i8 + 300 wraps", lambda: _i8() + 300, [45, 46]),
    ("i8 * 300 wraps", lambda: _i8() * 300, [44, 88]),
    ("i8 - 300 wraps", lambda: _i8() - 300, [-43, -42]),
    ("300 - i8 wraps", lambda: 300 - _i8(), [43, 42]),
    ("i8 add_ 300 wraps", lambda: _i8().add_(300), [45, 46]),
    ("i8 == 300", lambda: _i8() == 300, [False, False]),
    ("i8 < 300", lambda: _i8() < 300, [True, True]),
    ("u8 + -1", lambda: _u8() + -1, [0, 1]),
    ("u8 + 256", lambda: _u8() + 256, [1, 2]),
    ("u8 fill_ -1", lambda: _u8().fill_(-1), [255, 255]),
    ("i8 fill_ -128", lambda: _i8().fill_(-128), [-128, -128]),
    ("full u8 -1", lambda: fg.full((2,), -1, dtype=fg.uint8), [255, 255]),
    ("full u8 -255", lambda: fg.full((1,), -255, dtype=fg.uint8), [1]),
    ("full bool 5", lambda: fg.full((2,), 5, dtype=fg.bool), [True, True]),
    ("full bool 2.5", lambda: fg.full((1,), 2.5, dtype=fg.bool), [True]),
    ("full f16 inf", lambda: fg.full((2,), float("inf"), dtype=fg.float16), [float("inf")] * 2),
    ("full f64 1e300", lambda: fg.full((1,), 1e300, dtype=fg.float64), [1e300]),
    ("full i64 2.0**63", lambda: fg.full((1,), 2.0**63, dtype=fg.int64), [-(2**63)]),
    ("full numel 1 f16 1e6", lambda: fg.full((1,), 1e6, dtype=fg.float16), [float("inf")]),
    ("numel 1 f16 fill_ 1e6", lambda: fg.zeros(1, dtype=fg.float16).fill_(1e6), [float("inf")]),
    ("u8 masked_fill_ -1", lambda: _u8().masked_fill_(fg.tensor(MASK), -1), [255, 2]),
    ("i8 fill_ tensor 300", lambda: _i8().fill_(fg.tensor(300)), [44, 44]),
    ("i8 clamp max 300.5", lambda: _i8().clamp(max=300.5), [1.0, 2.0]),
    ("i8 clamp max tensor 300", lambda: _i8().clamp(max=fg.tensor(300)), [1, 2]),
    ("f32 + 1e300", lambda: fg.tensor([1.0, 2.0]) + 1e300, [float("inf")] * 2),
    ("linspace u8 from -1", lambda: fg.linspace(-1, 3, 3, dtype=fg.uint8), [255, 129, 3]),
]


@pytest.mark.parametrize(("name", "fn", "expected"), ALLOWED, ids=[r[0] for r in ALLOWED])
def test_numbers_that_convert(name, fn, expected):
    assert fn().tolist() == expected


def test_alpha_must_fit_the_result_dtype():
    with pytest.raises(RuntimeError, match="value cannot be converted to type int8_t without overflow"):
        _i8().add(_i8(), alpha=300)
    with pytest.raises(RuntimeError, match="value cannot be converted to type int8_t without overflow"):
        _i8().sub(_i8(), alpha=300)
    with pytest.raises(RuntimeError, match="value cannot be converted to type float without overflow"):
        fg.tensor([1.0, 2.0]).add(fg.tensor([1.0, 2.0]), alpha=1e39)
    assert _i8().add(_i8(), alpha=3).tolist() == [4, 8]
