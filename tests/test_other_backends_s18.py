"""Methods of devices, quantized and nested tensors ferrograd does not have raise what a
CPU-only PyTorch 2.13 raises for a dense CPU tensor; `dequantize` casts to float32."""

from __future__ import annotations

import numpy as np
import pytest
from backend import fg

QUANTIZED = ["int_repr", "q_scale", "q_zero_point", "q_per_channel_scales",
             "q_per_channel_zero_points", "q_per_channel_axis", "qscheme"]


@pytest.mark.parametrize("name", QUANTIZED)
def test_quantized_accessors_have_no_cpu_kernel(name):
    with pytest.raises(NotImplementedError, match=f"Could not run 'aten::{name}' with arguments from the 'CPU' backend"):
        getattr(fg.ones(2), name)()
    if name != "qscheme":
        with pytest.raises(NotImplementedError, match=f"'aten::{name}'"):
            getattr(fg, name)(fg.ones(2))


def test_to_padded_tensor_needs_a_nested_tensor():
    with pytest.raises(NotImplementedError, match="'aten::to_padded_tensor'"):
        fg.ones(2).to_padded_tensor(0.0)


@pytest.mark.parametrize(
    ("name", "args", "error", "message"),
    [
        ("xpu", (), AssertionError, "Torch not compiled with XPU enabled"),
        ("ipu", (), RuntimeError, "PyTorch is not linked with support for ipu devices"),
        ("mtia", (), AssertionError, "Torch not compiled with MTIA enabled"),
        ("reinforce", (1,), RuntimeError, r"reinforce\(\) was removed.\nUse torch.distributions instead."),
        ("record_stream", (None,), RuntimeError, "unknown parameter type"),
    ],
)
def test_other_devices_and_removed_methods(name, args, error, message):
    with pytest.raises(error, match=message):
        getattr(fg.ones(2), name)(*args)


def test_dequantize_of_a_dense_tensor_is_float32():
    x = fg.ones(2)
    assert x.dequantize() is x
    for dtype in (fg.float64, fg.int64, fg.bool, fg.float16):
        out = fg.ones(2, dtype=dtype).dequantize()
        assert out.dtype == fg.float32
        np.testing.assert_array_equal(out.numpy(), [1.0, 1.0])
    assert fg.dequantize(fg.full((2,), 3, dtype=fg.int32)).tolist() == [3.0, 3.0]
