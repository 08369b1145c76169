"""Disagreements found by the session-17 dtype sweep of `tools/opinfo_diff.py` (OpInfo op
names 300-635 in int8/int16/int32/uint8/float16/bfloat16, and int64/bool/complex64/float64
for all 636). Expected values are PyTorch 2.13's."""

import math

import pytest
from backend import fg

# ---- segment_reduce in float16/bfloat16 folds step by step, rounding at every step -------

# 2048 + 1 rounds back to 2048 in float16 (256 + 1 to 256 in bfloat16), so the stepwise sum
# of [big, 1, 1] stays at big, where a float32 accumulator would give big + 2.
HALF_CASES = [("float16", 2048.0), ("bfloat16", 256.0)]


@pytest.mark.parametrize(("dtype", "big"), HALF_CASES)
@pytest.mark.parametrize(
    ("reduce", "initial", "expected"),
    [
        ("sum", None, lambda big: [big, 0.0, 3.5]),
        ("sum", 1.0, lambda big: [big, 1.0, 4.5]),
        ("mean", None, lambda big: [{2048.0: 682.5, 256.0: 85.5}[big], math.nan, 1.75]),
        ("mean", 1.0, lambda big: [{2048.0: 682.5, 256.0: 85.5}[big], 1.0, 2.25]),
    ],
)
def test_segment_reduce_half_sum_and_mean_round_every_step(dtype, big, reduce, initial, expected):
    x = fg.tensor([big, 1.0, 1.0, 3.0, 0.5], dtype=getattr(fg, dtype))
    out = fg.segment_reduce(x, reduce, lengths=fg.tensor([3, 0, 2]), initial=initial)
    assert out.dtype == getattr(fg, dtype)
    got, want = out.float().tolist(), expected(big)
    assert [g if not math.isnan(g) else "nan" for g in got] == [
        w if not math.isnan(w) else "nan" for w in want
    ]


@pytest.mark.parametrize(("dtype", "expected"), [("float16", 1.529296875), ("bfloat16", 1.5234375)])
def test_segment_reduce_half_prod_rounds_every_step(dtype, expected):
    # the product of the rounded values in float32, rounded once, is 1.5283203125 (float16)
    # and 1.515625 (bfloat16): PyTorch's stepwise product is an ulp or more away from it
    x = fg.tensor([1.001, 1.003, 1.007, 1.011, 0.997], dtype=getattr(fg, dtype))
    out = fg.segment_reduce(x, "prod", lengths=fg.tensor([5]), initial=1.5)
    assert out.float().tolist() == [expected]


def test_segment_reduce_half_sum_gradient_and_node():
    x = fg.tensor([[2048.0, 1.0], [1.0, 2.0], [3.0, 4.0]], dtype=fg.float16, requires_grad=True)
    out = fg.segment_reduce(x, "sum", lengths=fg.tensor([2, 1]), initial=2.0)
    assert out.tolist() == [[2052.0, 5.0], [5.0, 6.0]]  # 2 + 2048 = 2050, + 1 rounds to 2052
    assert type(out.grad_fn).__name__ == "SegmentReduceBackward0"
    out.backward(fg.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=fg.float16))
    # every element of a segment receives its segment's gradient
    assert x.grad.tolist() == [[1.0, 2.0], [1.0, 2.0], [3.0, 4.0]]


# ---- linalg.lstsq: second derivatives through the residuals --------------------------------

A_TALL = [[1.0, 2.0, 0.5], [0.0, 1.0, -1.0], [2.0, -1.0, 1.0], [1.0, 1.0, 3.0]]
B_TALL = [[1.0, 0.0, 2.0], [2.0, 1.0, 0.0], [-1.0, 3.0, 1.0], [0.5, 0.5, 0.5]]


@pytest.mark.parametrize("driver", ["gels", "gelsd", "gelss"])
def test_lstsq_residuals_second_derivative_matches_finite_differences(driver):
    # The residuals' gradient uses the solution, which itself depends on A and B: a second
    # backward has to differentiate through it (it used a detached copy).
    a = fg.tensor(A_TALL, dtype=fg.float64, requires_grad=True)
    b = fg.tensor(B_TALL, dtype=fg.float64, requires_grad=True)

    def solution_and_residuals(a, b):
        out = fg.linalg.lstsq(a, b, driver=driver)
        return out.solution, out.residuals

    assert fg.autograd.gradgradcheck(solution_and_residuals, (a, b))


def test_lstsq_residuals_second_derivative_values():
    a = fg.tensor(A_TALL, dtype=fg.float64, requires_grad=True)
    b = fg.tensor(B_TALL, dtype=fg.float64, requires_grad=True)
    resid = fg.linalg.lstsq(a, b, driver="gelsd").residuals
    (ga,) = fg.autograd.grad(resid.sum(), a, create_graph=True)
    gga, ggb = fg.autograd.grad(ga.sum(), (a, b))
    assert gga.flatten().tolist() == pytest.approx([v for row in GGA_TORCH for v in row], abs=1e-9)
    assert ggb.flatten().tolist() == pytest.approx([v for row in GGB_TORCH for v in row], abs=1e-9)


GGA_TORCH = [
    [-1.03463075196, -0.38850892766, 0.175890623406],
    [2.81721661055, 0.866742169166, -0.859071523314],
    [0.594195286195, 0.159411080502, -0.227726966636],
    [1.44704826038, 0.415949392919, -0.499426589124],
]
GGB_TORCH = [
    [-0.200404040404, -0.128215488215, 1.20026936027],
    [-0.886868686869, -1.09966329966, -1.07542087542],
    [-0.362424242424, -0.409292929293, 0.0416161616162],
    [-0.674747474747, -0.786531986532, -0.216835016835],
]
