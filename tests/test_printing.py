"""Tests for ferrograd._printing: output must equal PyTorch's ``repr`` with ``torch.``
renamed to ``ferrograd.``.

Every expected string below was produced by running PyTorch 2.13 (CPU) on the same
values; torch itself is not needed to run these tests.
"""

from __future__ import annotations

import importlib.util
import math
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

PRINTING_PATH = Path(__file__).resolve().parents[1] / "python" / "ferrograd" / "_printing.py"


def _load_printing() -> ModuleType:
    """Import ferrograd._printing, or load the file directly if ferrograd isn't importable."""
    try:
        from ferrograd import _printing
    except ImportError:
        spec = importlib.util.spec_from_file_location("ferrograd_printing", PRINTING_PATH)
        assert spec is not None and spec.loader is not None
        _printing = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = _printing
        spec.loader.exec_module(_printing)
    return _printing


printing = _load_printing()
format_tensor = printing.format_tensor
format_parameter = printing.format_parameter
get_printoptions = printing.get_printoptions
set_printoptions = printing.set_printoptions
printoptions = printing.printoptions

nan = math.nan
inf = math.inf

DEFAULT_OPTIONS = {
    "precision": 4,
    "threshold": 1000,
    "edgeitems": 3,
    "linewidth": 80,
    "sci_mode": None,
}


@pytest.fixture(autouse=True)
def restore_default_printoptions() -> Iterator[None]:
    set_printoptions(profile="default")
    yield
    set_printoptions(profile="default")


TENSOR_CASES = [
    pytest.param(
        np.ones((2, 2), dtype=np.float32),
        "float32",
        {},
        {},
        ("tensor([[1., 1.],\n        [1., 1.]])"),
        id="ones_2x2",
    ),
    pytest.param(
        np.array([600.1627, 741.4570, 821.7700], dtype=np.float32),
        "float32",
        {},
        {},
        "tensor([600.1627, 741.4570, 821.7700])",
        id="three_values",
    ),
    pytest.param(
        np.array([1.0240e02, 1.0240e03, 1.0240e-01], dtype=np.float32),
        "float32",
        {},
        {},
        "tensor([1.0240e+02, 1.0240e+03, 1.0240e-01])",
        id="ratio_triggers_sci",
    ),
    pytest.param(
        np.array(27.0, dtype=np.float32),
        "float32",
        {},
        {},
        "tensor(27.)",
        id="scalar_integral",
    ),
    pytest.param(
        np.array(0.1, dtype=np.float32),
        "float32",
        {},
        {},
        "tensor(0.1000)",
        id="scalar_fraction",
    ),
    pytest.param(
        np.full((2, 2), 4.5, dtype=np.float32),
        "float32",
        {},
        {},
        ("tensor([[4.5000, 4.5000],\n        [4.5000, 4.5000]])"),
        id="constant_fraction_2x2",
    ),
    pytest.param(
        np.array(True),
        "bool",
        {},
        {},
        "tensor(True)",
        id="bool_true_0d",
    ),
    pytest.param(
        np.array(False),
        "bool",
        {},
        {},
        "tensor(False)",
        id="bool_false_0d",
    ),
    pytest.param(
        np.array([True, False, True]),
        "bool",
        {},
        {},
        "tensor([ True, False,  True])",
        id="bool_vector",
    ),
    pytest.param(
        np.array(-7, dtype=np.int64),
        "int64",
        {},
        {},
        "tensor(-7)",
        id="int_scalar",
    ),
    pytest.param(
        np.arange(2000, dtype=np.int64),
        "int64",
        {},
        {},
        "tensor([   0,    1,    2,  ..., 1997, 1998, 1999])",
        id="arange_2000_summarized",
    ),
    pytest.param(
        np.arange(2000, dtype=np.float32),
        "float32",
        {},
        {},
        (
            "tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n"
            "        1.9990e+03])"
        ),
        id="float_arange_2000_summarized",
    ),
    pytest.param(
        np.arange(1000, dtype=np.int64).reshape(10, 100)[:2, :5],
        "int64",
        {},
        {},
        ("tensor([[  0,   1,   2,   3,   4],\n        [100, 101, 102, 103, 104]])"),
        id="exactly_threshold_not_summarized",
    ),
    pytest.param(
        (np.arange(10000, dtype=np.float32) / 3).reshape(100, 100),
        "float32",
        {},
        {},
        (
            "tensor([[0.0000e+00, 3.3333e-01, 6.6667e-01,  ..., 3.2333e+01, 3.2667e+01,\n"
            "         3.3000e+01],\n"
            "        [3.3333e+01, 3.3667e+01, 3.4000e+01,  ..., 6.5667e+01, 6.6000e+01,\n"
            "         6.6333e+01],\n"
            "        [6.6667e+01, 6.7000e+01, 6.7333e+01,  ..., 9.9000e+01, 9.9333e+01,\n"
            "         9.9667e+01],\n"
            "        ...,\n"
            "        [3.2333e+03, 3.2337e+03, 3.2340e+03,  ..., 3.2657e+03, 3.2660e+03,\n"
            "         3.2663e+03],\n"
            "        [3.2667e+03, 3.2670e+03, 3.2673e+03,  ..., 3.2990e+03, 3.2993e+03,\n"
            "         3.2997e+03],\n"
            "        [3.3000e+03, 3.3003e+03, 3.3007e+03,  ..., 3.3323e+03, 3.3327e+03,\n"
            "         3.3330e+03]])"
        ),
        id="matrix_summarized",
    ),
    pytest.param(
        (np.arange(24, dtype=np.float32) / 1.5).reshape(2, 3, 4),
        "float32",
        {},
        {},
        (
            "tensor([[[ 0.0000,  0.6667,  1.3333,  2.0000],\n"
            "         [ 2.6667,  3.3333,  4.0000,  4.6667],\n"
            "         [ 5.3333,  6.0000,  6.6667,  7.3333]],\n"
            "\n"
            "        [[ 8.0000,  8.6667,  9.3333, 10.0000],\n"
            "         [10.6667, 11.3333, 12.0000, 12.6667],\n"
            "         [13.3333, 14.0000, 14.6667, 15.3333]]])"
        ),
        id="three_d",
    ),
    pytest.param(
        np.arange(-12, 12, dtype=np.int64).reshape(2, 2, 2, 3),
        "int64",
        {},
        {},
        (
            "tensor([[[[-12, -11, -10],\n"
            "          [ -9,  -8,  -7]],\n"
            "\n"
            "         [[ -6,  -5,  -4],\n"
            "          [ -3,  -2,  -1]]],\n"
            "\n"
            "\n"
            "        [[[  0,   1,   2],\n"
            "          [  3,   4,   5]],\n"
            "\n"
            "         [[  6,   7,   8],\n"
            "          [  9,  10,  11]]]])"
        ),
        id="four_d",
    ),
    pytest.param(
        np.arange(7 * 2 * 2 * 100, dtype=np.int64).reshape(7, 2, 2, 100),
        "int64",
        {},
        {},
        (
            "tensor([[[[   0,    1,    2,  ...,   97,   98,   99],\n"
            "          [ 100,  101,  102,  ...,  197,  198,  199]],\n"
            "\n"
            "         [[ 200,  201,  202,  ...,  297,  298,  299],\n"
            "          [ 300,  301,  302,  ...,  397,  398,  399]]],\n"
            "\n"
            "\n"
            "        [[[ 400,  401,  402,  ...,  497,  498,  499],\n"
            "          [ 500,  501,  502,  ...,  597,  598,  599]],\n"
            "\n"
            "         [[ 600,  601,  602,  ...,  697,  698,  699],\n"
            "          [ 700,  701,  702,  ...,  797,  798,  799]]],\n"
            "\n"
            "\n"
            "        [[[ 800,  801,  802,  ...,  897,  898,  899],\n"
            "          [ 900,  901,  902,  ...,  997,  998,  999]],\n"
            "\n"
            "         [[1000, 1001, 1002,  ..., 1097, 1098, 1099],\n"
            "          [1100, 1101, 1102,  ..., 1197, 1198, 1199]]],\n"
            "\n"
            "\n"
            "        ...,\n"
            "\n"
            "\n"
            "        [[[1600, 1601, 1602,  ..., 1697, 1698, 1699],\n"
            "          [1700, 1701, 1702,  ..., 1797, 1798, 1799]],\n"
            "\n"
            "         [[1800, 1801, 1802,  ..., 1897, 1898, 1899],\n"
            "          [1900, 1901, 1902,  ..., 1997, 1998, 1999]]],\n"
            "\n"
            "\n"
            "        [[[2000, 2001, 2002,  ..., 2097, 2098, 2099],\n"
            "          [2100, 2101, 2102,  ..., 2197, 2198, 2199]],\n"
            "\n"
            "         [[2200, 2201, 2202,  ..., 2297, 2298, 2299],\n"
            "          [2300, 2301, 2302,  ..., 2397, 2398, 2399]]],\n"
            "\n"
            "\n"
            "        [[[2400, 2401, 2402,  ..., 2497, 2498, 2499],\n"
            "          [2500, 2501, 2502,  ..., 2597, 2598, 2599]],\n"
            "\n"
            "         [[2600, 2601, 2602,  ..., 2697, 2698, 2699],\n"
            "          [2700, 2701, 2702,  ..., 2797, 2798, 2799]]]])"
        ),
        id="four_d_summarized",
    ),
    pytest.param(
        np.array([1e10, 2e12, -3e15], dtype=np.float32),
        "float32",
        {},
        {},
        "tensor([ 1.0000e+10,  2.0000e+12, -3.0000e+15])",
        id="large_magnitudes",
    ),
    pytest.param(
        np.array([1.5e8, 2.5e8], dtype=np.float64),
        "float64",
        {},
        {},
        "tensor([1.5000e+08, 2.5000e+08], dtype=ferrograd.float64)",
        id="above_1e8",
    ),
    pytest.param(
        np.array([1e-8, 2.5e-6, -3e-10], dtype=np.float32),
        "float32",
        {},
        {},
        "tensor([ 1.0000e-08,  2.5000e-06, -3.0000e-10])",
        id="small_magnitudes",
    ),
    pytest.param(
        np.array([5e-5, 6e-5], dtype=np.float32),
        "float32",
        {},
        {},
        "tensor([5.0000e-05, 6.0000e-05])",
        id="below_1e-4",
    ),
    pytest.param(
        np.array([1e300, -2.5e-300], dtype=np.float64),
        "float64",
        {},
        {},
        "tensor([ 1.0000e+300, -2.5000e-300], dtype=ferrograd.float64)",
        id="huge_float64",
    ),
    pytest.param(
        np.array([nan, inf, -inf, 1.5, 0.0], dtype=np.float32),
        "float32",
        {},
        {},
        "tensor([   nan,    inf,   -inf, 1.5000, 0.0000])",
        id="nan_inf_fraction",
    ),
    pytest.param(
        np.array([nan, inf, -inf, 1.0, 200.0], dtype=np.float32),
        "float32",
        {},
        {},
        "tensor([ nan,  inf, -inf,   1., 200.])",
        id="nan_inf_integral",
    ),
    pytest.param(
        np.array([[nan, 1e-7], [-inf, 3.0]], dtype=np.float32),
        "float32",
        {},
        {},
        ("tensor([[       nan, 1.0000e-07],\n        [      -inf, 3.0000e+00]])"),
        id="nan_inf_sci",
    ),
    pytest.param(
        np.array([nan, nan], dtype=np.float32),
        "float32",
        {},
        {},
        "tensor([nan, nan])",
        id="all_nan",
    ),
    pytest.param(
        np.array(nan, dtype=np.float32),
        "float32",
        {},
        {},
        "tensor(nan)",
        id="scalar_nan",
    ),
    pytest.param(
        np.array(-inf, dtype=np.float32),
        "float32",
        {},
        {},
        "tensor(-inf)",
        id="scalar_neg_inf",
    ),
    pytest.param(
        np.array([-0.0, 0.0, 1.0], dtype=np.float32),
        "float32",
        {},
        {},
        "tensor([-0., 0., 1.])",
        id="negative_zero",
    ),
    pytest.param(
        np.array([-0.0, 0.25], dtype=np.float32),
        "float32",
        {},
        {},
        "tensor([-0.0000, 0.2500])",
        id="negative_zero_fraction",
    ),
    pytest.param(
        np.array(-0.0, dtype=np.float32),
        "float32",
        {},
        {},
        "tensor(-0.)",
        id="negative_zero_scalar",
    ),
    pytest.param(
        np.zeros((2, 3), dtype=np.float32),
        "float32",
        {},
        {},
        ("tensor([[0., 0., 0.],\n        [0., 0., 0.]])"),
        id="zeros",
    ),
    pytest.param(
        np.array([[1.5, -22.25], [333.125, 4.0]], dtype=np.float32),
        "float32",
        {},
        {},
        ("tensor([[  1.5000, -22.2500],\n        [333.1250,   4.0000]])"),
        id="column_alignment",
    ),
    pytest.param(
        np.array([-1, 20, -300, 4000], dtype=np.int64),
        "int64",
        {},
        {},
        "tensor([  -1,   20, -300, 4000])",
        id="int_negative",
    ),
    pytest.param(
        np.array([[1, -22], [333, 4]], dtype=np.int64),
        "int64",
        {},
        {},
        ("tensor([[  1, -22],\n        [333,   4]])"),
        id="int_matrix_alignment",
    ),
    pytest.param(
        np.array([-(2**63), 2**63 - 1], dtype=np.int64),
        "int64",
        {},
        {},
        "tensor([-9223372036854775808,  9223372036854775807])",
        id="int64_extremes",
    ),
    pytest.param(
        np.array([1, 2, 3], dtype=np.int32),
        "int32",
        {},
        {},
        "tensor([1, 2, 3], dtype=ferrograd.int32)",
        id="int32_suffix",
    ),
    pytest.param(
        np.array([[-5, 6]], dtype=np.int16),
        "int16",
        {},
        {},
        "tensor([[-5,  6]], dtype=ferrograd.int16)",
        id="int16_suffix",
    ),
    pytest.param(
        np.array([-128, 127], dtype=np.int8),
        "int8",
        {},
        {},
        "tensor([-128,  127], dtype=ferrograd.int8)",
        id="int8_suffix",
    ),
    pytest.param(
        np.array([0, 255], dtype=np.uint8),
        "uint8",
        {},
        {},
        "tensor([  0, 255], dtype=ferrograd.uint8)",
        id="uint8_suffix",
    ),
    pytest.param(
        np.array([1.5, 2.5], dtype=np.float64),
        "float64",
        {},
        {},
        "tensor([1.5000, 2.5000], dtype=ferrograd.float64)",
        id="float64_suffix",
    ),
    pytest.param(
        np.array(3.0, dtype=np.float64),
        "float64",
        {},
        {},
        "tensor(3., dtype=ferrograd.float64)",
        id="float64_scalar_suffix",
    ),
    pytest.param(
        np.array([0.1, 65504.0], dtype=np.float16),
        "float16",
        {},
        {},
        "tensor([9.9976e-02, 6.5504e+04], dtype=ferrograd.float16)",
        id="float16_suffix",
    ),
    pytest.param(
        np.array([0.1, 3.0], dtype=np.float32),
        "bfloat16",
        {},
        {},
        "tensor([0.1001, 3.0000], dtype=ferrograd.bfloat16)",
        id="bfloat16_suffix",
    ),
    pytest.param(
        np.array([1.5, 2.5], dtype=np.float64),
        "float64",
        {"default_dtype_name": "float64"},
        {},
        "tensor([1.5000, 2.5000])",
        id="float64_default_no_suffix",
    ),
    pytest.param(
        np.array([1.5, 2.5], dtype=np.float32),
        "float32",
        {"default_dtype_name": "float64"},
        {},
        "tensor([1.5000, 2.5000], dtype=ferrograd.float32)",
        id="float32_under_float64_default",
    ),
    pytest.param(
        np.arange(40, dtype=np.float32) / 7,
        "float32",
        {},
        {},
        (
            "tensor([0.0000, 0.1429, 0.2857, 0.4286, 0.5714, 0.7143, 0.8571, 1.0000, 1.1429,\n"
            "        1.2857, 1.4286, 1.5714, 1.7143, 1.8571, 2.0000, 2.1429, 2.2857, 2.4286,\n"
            "        2.5714, 2.7143, 2.8571, 3.0000, 3.1429, 3.2857, 3.4286, 3.5714, 3.7143,\n"
            "        3.8571, 4.0000, 4.1429, 4.2857, 4.4286, 4.5714, 4.7143, 4.8571, 5.0000,\n"
            "        5.1429, 5.2857, 5.4286, 5.5714])"
        ),
        id="long_vector_wraps",
    ),
    pytest.param(
        np.arange(100, 140, dtype=np.int64) * 1000,
        "int64",
        {},
        {},
        (
            "tensor([100000, 101000, 102000, 103000, 104000, 105000, 106000, 107000, 108000,\n"
            "        109000, 110000, 111000, 112000, 113000, 114000, 115000, 116000, 117000,\n"
            "        118000, 119000, 120000, 121000, 122000, 123000, 124000, 125000, 126000,\n"
            "        127000, 128000, 129000, 130000, 131000, 132000, 133000, 134000, 135000,\n"
            "        136000, 137000, 138000, 139000])"
        ),
        id="long_int_vector_wraps",
    ),
    pytest.param(
        np.arange(60, dtype=np.float32).reshape(2, 30) - 15,
        "float32",
        {},
        {},
        (
            "tensor([[-15., -14., -13., -12., -11., -10.,  -9.,  -8.,  -7.,  -6.,  -5.,  -4.,\n"
            "          -3.,  -2.,  -1.,   0.,   1.,   2.,   3.,   4.,   5.,   6.,   7.,   8.,\n"
            "           9.,  10.,  11.,  12.,  13.,  14.],\n"
            "        [ 15.,  16.,  17.,  18.,  19.,  20.,  21.,  22.,  23.,  24.,  25.,  26.,\n"
            "          27.,  28.,  29.,  30.,  31.,  32.,  33.,  34.,  35.,  36.,  37.,  38.,\n"
            "          39.,  40.,  41.,  42.,  43.,  44.]])"
        ),
        id="wide_matrix_wraps",
    ),
    pytest.param(
        np.zeros(0, dtype=np.float32),
        "float32",
        {},
        {},
        "tensor([])",
        id="empty_1d",
    ),
    pytest.param(
        np.zeros((0, 3), dtype=np.float32),
        "float32",
        {},
        {},
        "tensor([], size=(0, 3))",
        id="empty_2d",
    ),
    pytest.param(
        np.zeros((2, 0, 3), dtype=np.float32),
        "float32",
        {},
        {},
        "tensor([], size=(2, 0, 3))",
        id="empty_3d",
    ),
    pytest.param(
        np.zeros(0, dtype=np.int64),
        "int64",
        {},
        {},
        "tensor([], dtype=ferrograd.int64)",
        id="empty_int64",
    ),
    pytest.param(
        np.zeros((3, 0), dtype=np.bool_),
        "bool",
        {},
        {},
        "tensor([], size=(3, 0), dtype=ferrograd.bool)",
        id="empty_bool",
    ),
    pytest.param(
        np.zeros(0, dtype=np.float64),
        "float64",
        {},
        {},
        "tensor([], dtype=ferrograd.float64)",
        id="empty_float64",
    ),
    pytest.param(
        np.zeros(0, dtype=np.float32),
        "float32",
        {"default_dtype_name": "float64"},
        {},
        "tensor([], dtype=ferrograd.float32)",
        id="empty_float32_under_float64_default",
    ),
    pytest.param(
        np.zeros((0, 2), dtype=np.float32),
        "float32",
        {"requires_grad": True},
        {},
        "tensor([], size=(0, 2), requires_grad=True)",
        id="empty_requires_grad",
    ),
    pytest.param(
        np.ones(3, dtype=np.float32),
        "float32",
        {"requires_grad": True},
        {},
        "tensor([1., 1., 1.], requires_grad=True)",
        id="requires_grad",
    ),
    pytest.param(
        np.array([1.5, 2.0], dtype=np.float32),
        "float32",
        {"grad_fn": "MulBackward0"},
        {},
        "tensor([1.5000, 2.0000], grad_fn=<MulBackward0>)",
        id="grad_fn",
    ),
    pytest.param(
        np.array([1.5, 2.0], dtype=np.float32),
        "float32",
        {"grad_fn": "AddBackward0", "requires_grad": True},
        {},
        "tensor([1.5000, 2.0000], grad_fn=<AddBackward0>)",
        id="grad_fn_wins_over_requires_grad",
    ),
    pytest.param(
        np.array(2.5, dtype=np.float64),
        "float64",
        {"grad_fn": "MulBackward0"},
        {},
        "tensor(2.5000, dtype=ferrograd.float64, grad_fn=<MulBackward0>)",
        id="scalar_grad_fn_float64",
    ),
    pytest.param(
        np.array([[-0.0, -0.0, -0.0, inf, -0.0]], dtype=np.float32),
        "bfloat16",
        {"requires_grad": True},
        {},
        "tensor([[-0., -0., -0., inf, -0.]], dtype=ferrograd.bfloat16, requires_grad=True)",
        id="suffix_width_counts_torch_dtype_spelling",
    ),
    pytest.param(
        np.arange(12, dtype=np.float64).reshape(2, 6) / 7,
        "float64",
        {"grad_fn": "MulBackward0"},
        {},
        (
            "tensor([[0.0000, 0.1429, 0.2857, 0.4286, 0.5714, 0.7143],\n"
            "        [0.8571, 1.0000, 1.1429, 1.2857, 1.4286, 1.5714]], dtype=ferrograd.float64,\n"
            "       grad_fn=<MulBackward0>)"
        ),
        id="suffix_breaks_after_matrix",
    ),
    pytest.param(
        np.arange(12, dtype=np.float64).reshape(3, 4) / 7,
        "float64",
        {"grad_fn": "MulBackward0"},
        {},
        (
            "tensor([[0.0000, 0.1429, 0.2857, 0.4286],\n"
            "        [0.5714, 0.7143, 0.8571, 1.0000],\n"
            "        [1.1429, 1.2857, 1.4286, 1.5714]], dtype=ferrograd.float64,\n"
            "       grad_fn=<MulBackward0>)"
        ),
        id="suffix_breaks_after_three_rows",
    ),
    pytest.param(
        np.ones((2, 2), dtype=np.float32),
        "float32",
        {"requires_grad": True},
        {},
        ("tensor([[1., 1.],\n        [1., 1.]], requires_grad=True)"),
        id="suffix_same_line_after_matrix",
    ),
    pytest.param(
        np.arange(9, dtype=np.float64) / 7,
        "float64",
        {"grad_fn": "AddBackward0"},
        {},
        (
            "tensor([0.0000, 0.1429, 0.2857, 0.4286, 0.5714, 0.7143, 0.8571, 1.0000, 1.1429],\n"
            "       dtype=ferrograd.float64, grad_fn=<AddBackward0>)"
        ),
        id="suffix_breaks_after_vector",
    ),
    pytest.param(
        np.array([1e10, 1.0], dtype=np.float32),
        "float32",
        {},
        {},
        "tensor([1.0000e+10, 1.0000e+00])",
        id="int_mode_sci",
    ),
    pytest.param(
        np.array([nan, 1.0, 100.0], dtype=np.float32),
        "float32",
        {},
        {},
        "tensor([ nan,   1., 100.])",
        id="int_mode_nan_width",
    ),
    pytest.param(
        np.array([1.12345, 2.5], dtype=np.float32),
        "float32",
        {},
        {"precision": 2},
        "tensor([1.12, 2.50])",
        id="precision_2",
    ),
    pytest.param(
        np.array([1.6, 2.4], dtype=np.float32),
        "float32",
        {},
        {"precision": 0},
        "tensor([2, 2])",
        id="precision_0",
    ),
    pytest.param(
        np.array([1.6e-6, 2.4], dtype=np.float32),
        "float32",
        {},
        {"precision": 0},
        "tensor([2e-06, 2e+00])",
        id="precision_0_sci",
    ),
    pytest.param(
        np.arange(10, dtype=np.int64),
        "int64",
        {},
        {"threshold": 5},
        "tensor([0, 1, 2,  ..., 7, 8, 9])",
        id="threshold_5",
    ),
    pytest.param(
        np.arange(49, dtype=np.float32).reshape(7, 7),
        "float32",
        {},
        {"threshold": 10, "edgeitems": 2},
        (
            "tensor([[ 0.,  1.,  ...,  5.,  6.],\n"
            "        [ 7.,  8.,  ..., 12., 13.],\n"
            "        ...,\n"
            "        [35., 36.,  ..., 40., 41.],\n"
            "        [42., 43.,  ..., 47., 48.]])"
        ),
        id="threshold_matrix",
    ),
    pytest.param(
        np.arange(3 * 4 * 5, dtype=np.int64).reshape(3, 4, 5),
        "int64",
        {},
        {"threshold": 10, "edgeitems": 1},
        (
            "tensor([[[ 0,  ...,  4],\n"
            "         ...,\n"
            "         [15,  ..., 19]],\n"
            "\n"
            "        ...,\n"
            "\n"
            "        [[40,  ..., 44],\n"
            "         ...,\n"
            "         [55,  ..., 59]]])"
        ),
        id="edgeitems_1",
    ),
    pytest.param(
        np.arange(10, dtype=np.int64),
        "int64",
        {},
        {"threshold": 5, "edgeitems": 0},
        "tensor([...], size=(10,))",
        id="edgeitems_0_vector",
    ),
    pytest.param(
        np.arange(20, dtype=np.float32).reshape(4, 5),
        "float32",
        {},
        {"threshold": 5, "edgeitems": 0},
        "tensor([...], size=(4, 5))",
        id="edgeitems_0_matrix",
    ),
    pytest.param(
        np.array([1.0, 2.0], dtype=np.float32),
        "float32",
        {},
        {"edgeitems": 0},
        "tensor([1., 2.], size=(2,))",
        id="edgeitems_0_not_summarized",
    ),
    pytest.param(
        np.arange(20, dtype=np.float32) / 3,
        "float32",
        {},
        {"linewidth": 40},
        (
            "tensor([0.0000, 0.3333, 0.6667, 1.0000,\n"
            "        1.3333, 1.6667, 2.0000, 2.3333,\n"
            "        2.6667, 3.0000, 3.3333, 3.6667,\n"
            "        4.0000, 4.3333, 4.6667, 5.0000,\n"
            "        5.3333, 5.6667, 6.0000, 6.3333])"
        ),
        id="linewidth_40",
    ),
    pytest.param(
        np.arange(12, dtype=np.int64).reshape(2, 6) * 11,
        "int64",
        {},
        {"linewidth": 20},
        (
            "tensor([[  0,  11,\n"
            "          22,  33,\n"
            "          44,  55],\n"
            "        [ 66,  77,\n"
            "          88,  99,\n"
            "         110, 121]])"
        ),
        id="linewidth_20_matrix",
    ),
    pytest.param(
        np.array([1.5, 2.5], dtype=np.float64),
        "float64",
        {"requires_grad": True},
        {"linewidth": 30},
        ("tensor([1.5000, 2.5000],\n       dtype=ferrograd.float64,\n       requires_grad=True)"),
        id="linewidth_narrow_suffix",
    ),
    pytest.param(
        np.array([1.5, 2.5], dtype=np.float32),
        "float32",
        {},
        {"sci_mode": True},
        "tensor([1.5000e+00, 2.5000e+00])",
        id="sci_mode_true",
    ),
    pytest.param(
        np.array([1.0, 20.0], dtype=np.float32),
        "float32",
        {},
        {"sci_mode": True},
        "tensor([1.0000e+00, 2.0000e+01])",
        id="sci_mode_true_integral",
    ),
    pytest.param(
        np.array([0.0, 0.0], dtype=np.float32),
        "float32",
        {},
        {"sci_mode": True},
        "tensor([0., 0.])",
        id="sci_mode_true_all_zero",
    ),
    pytest.param(
        np.array([1e10, 2.5], dtype=np.float32),
        "float32",
        {},
        {"sci_mode": False},
        "tensor([10000000000.0000,           2.5000])",
        id="sci_mode_false_large",
    ),
    pytest.param(
        np.array([1e-6, 2.5], dtype=np.float32),
        "float32",
        {},
        {"sci_mode": False},
        "tensor([0.0000, 2.5000])",
        id="sci_mode_false_small",
    ),
    pytest.param(
        np.arange(10, dtype=np.float32) / 3,
        "float32",
        {},
        {"profile": "short", "threshold": 5},
        "tensor([0.00, 0.33,  ..., 2.67, 3.00])",
        id="profile_short",
    ),
    pytest.param(
        np.arange(10, dtype=np.int64),
        "int64",
        {},
        {"threshold": 5, "profile": "full"},
        "tensor([0, 1, 2,  ..., 7, 8, 9])",
        id="explicit_option_overrides_profile",
    ),
]

PARAMETER_CASES = [
    pytest.param(
        np.ones(2, dtype=np.float32),
        "float32",
        {},
        ("Parameter containing:\ntensor([1., 1.], requires_grad=True)"),
        id="parameter_vector",
    ),
    pytest.param(
        np.ones(2, dtype=np.float32),
        "float32",
        {"requires_grad": False},
        ("Parameter containing:\ntensor([1., 1.])"),
        id="parameter_frozen",
    ),
    pytest.param(
        (np.arange(30, dtype=np.float32) / 7).reshape(2, 15),
        "float32",
        {},
        (
            "Parameter containing:\n"
            "tensor([[0.0000, 0.1429, 0.2857, 0.4286, 0.5714, 0.7143, 0.8571, 1.0000, 1.1429,\n"
            "         1.2857, 1.4286, 1.5714, 1.7143, 1.8571, 2.0000],\n"
            "        [2.1429, 2.2857, 2.4286, 2.5714, 2.7143, 2.8571, 3.0000, 3.1429, 3.2857,\n"
            "         3.4286, 3.5714, 3.7143, 3.8571, 4.0000, 4.1429]], requires_grad=True)"
        ),
        id="parameter_matrix",
    ),
    pytest.param(
        np.array([0.5], dtype=np.float64),
        "float64",
        {},
        ("Parameter containing:\ntensor([0.5000], dtype=ferrograd.float64, requires_grad=True)"),
        id="parameter_float64",
    ),
    pytest.param(
        np.array([0.5], dtype=np.float32),
        "float32",
        {"default_dtype_name": "float64"},
        ("Parameter containing:\ntensor([0.5000], dtype=ferrograd.float32, requires_grad=True)"),
        id="parameter_float32_under_float64_default",
    ),
]


@pytest.mark.parametrize(("values", "dtype_name", "kwargs", "options", "expected"), TENSOR_CASES)
def test_format_tensor_matches_torch(
    values: np.ndarray,
    dtype_name: str,
    kwargs: dict[str, Any],
    options: dict[str, Any],
    expected: str,
) -> None:
    with printoptions(**options):
        assert format_tensor(values, dtype_name, **kwargs) == expected


@pytest.mark.parametrize(("values", "dtype_name", "kwargs", "expected"), PARAMETER_CASES)
def test_format_parameter_matches_torch(
    values: np.ndarray, dtype_name: str, kwargs: dict[str, Any], expected: str
) -> None:
    assert format_parameter(values, dtype_name, **kwargs) == expected


def test_parameter_prefix_via_format_tensor() -> None:
    values = np.ones(2, dtype=np.float32)
    rendered = format_tensor(
        values, "float32", requires_grad=True, prefix="Parameter containing:\ntensor("
    )
    assert rendered == format_parameter(values, "float32")


def test_printoptions_do_not_leak_between_calls() -> None:
    values = np.array([1.12345], dtype=np.float32)
    with printoptions(precision=2):
        assert format_tensor(values, "float32") == "tensor([1.12])"
    assert format_tensor(values, "float32") == "tensor([1.1235])"


def test_grad_fn_given_with_angle_brackets() -> None:
    values = np.array([1.5], dtype=np.float32)
    rendered = format_tensor(values, "float32", grad_fn="<MulBackward0>")
    assert rendered == "tensor([1.5000], grad_fn=<MulBackward0>)"


def test_suffix_extra_is_appended_last() -> None:
    values = np.ones(2, dtype=np.float64)
    rendered = format_tensor(values, "float64", requires_grad=True, suffix_extra=("tag=1",))
    assert rendered == "tensor([1., 1.], dtype=ferrograd.float64, requires_grad=True, tag=1)"


def test_values_in_wider_dtype_are_rounded_to_tensor_dtype() -> None:
    values = np.array([0.1, 3.0], dtype=np.float64)
    assert format_tensor(values, "bfloat16") == "tensor([0.1001, 3.0000], dtype=ferrograd.bfloat16)"
    assert format_tensor(values, "float16") == ("tensor([0.1000, 3.0000], dtype=ferrograd.float16)")


def test_get_printoptions_defaults() -> None:
    assert get_printoptions() == DEFAULT_OPTIONS


def test_set_printoptions_profiles() -> None:
    set_printoptions(profile="short")
    assert get_printoptions() == {**DEFAULT_OPTIONS, "precision": 2, "edgeitems": 2}
    set_printoptions(profile="full")
    assert get_printoptions() == {**DEFAULT_OPTIONS, "threshold": inf}
    set_printoptions(profile="default")
    assert get_printoptions() == DEFAULT_OPTIONS


def test_profile_full_disables_summarization() -> None:
    values = np.arange(10, dtype=np.int64)
    set_printoptions(threshold=5)
    assert format_tensor(values, "int64") == "tensor([0, 1, 2,  ..., 7, 8, 9])"
    set_printoptions(profile="full")
    assert format_tensor(values, "int64") == "tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])"


def test_set_printoptions_resets_sci_mode_when_omitted() -> None:
    set_printoptions(sci_mode=True)
    assert get_printoptions()["sci_mode"] is True
    set_printoptions(precision=3)
    assert get_printoptions() == {**DEFAULT_OPTIONS, "precision": 3}


def test_printoptions_restores_on_exception() -> None:
    set_printoptions(linewidth=100)
    with pytest.raises(RuntimeError), printoptions(precision=1, sci_mode=False):
        assert get_printoptions()["precision"] == 1
        raise RuntimeError("boom")
    assert get_printoptions() == {**DEFAULT_OPTIONS, "linewidth": 100}


def test_printoptions_yields_none_as_pytorch_does() -> None:
    with printoptions(edgeitems=1) as context:
        assert context is None
        assert get_printoptions()["edgeitems"] == 1
    assert get_printoptions() == DEFAULT_OPTIONS
