"""Pooling of integer tensors and local_response_norm of int64, as PyTorch 2.13's CPU
kernels give them (values observed from PyTorch)."""

import ferrograd as fg
import ferrograd.nn.functional as F
import pytest

X = [-3, 1, 4, -5, 9, 2]


def x_of(dtype):
    return fg.tensor([[X]]).to(dtype)


@pytest.mark.parametrize("dtype", [fg.uint8, fg.int8, fg.int16, fg.int32, fg.int64])
def test_max_pool_keeps_integer_dtype(dtype):
    expected_first = {fg.uint8: 253}.get(dtype, 1)  # uint8 wraps -3 to 253
    out = F.max_pool2d(x_of(dtype).reshape(1, 1, 2, 3), (1, 2))
    assert out.dtype == dtype
    assert out.flatten().tolist() == [expected_first, {fg.uint8: 251}.get(dtype, 9)]
    out3 = F.max_pool3d(x_of(dtype).reshape(1, 1, 1, 2, 3), (1, 1, 2))
    assert out3.dtype == dtype and out3.flatten().tolist() == out.flatten().tolist()
    values, indices = F.max_pool1d(x_of(dtype), 2, return_indices=True)
    assert values.dtype == dtype and indices.dtype == fg.int64


@pytest.mark.parametrize("dtype", [fg.uint8, fg.int32, fg.int64, fg.bool])
def test_max_pool1d_without_indices_has_no_integer_kernel(dtype):
    with pytest.raises(NotImplementedError, match='"max_pool1d_impl" not implemented'):
        F.max_pool1d(x_of(dtype), 2)


def test_bool_max_pool2d_refused():
    with pytest.raises(NotImplementedError, match="\"max_pool2d\" not implemented for 'Bool'"):
        F.max_pool2d(x_of(fg.bool).reshape(1, 1, 2, 3), (1, 2))


def test_int64_avg_pool_truncates_toward_zero():
    x = x_of(fg.int64)
    assert F.avg_pool1d(x, 2).tolist() == [[[-1, 0, 5]]]
    out = F.avg_pool2d(x.reshape(1, 1, 2, 3), (1, 2))
    assert out.dtype == fg.int64 and out.flatten().tolist() == [-1, 2]
    assert F.avg_pool3d(x.reshape(1, 1, 1, 2, 3), (1, 1, 2)).flatten().tolist() == [-1, 2]
    assert F.avg_pool2d(x.reshape(1, 1, 2, 3), (1, 2), padding=(0, 1)).flatten().tolist() == [-1, 2, -2, 5]
    assert F.avg_pool2d(x.reshape(1, 1, 2, 3), (1, 2), divisor_override=3).flatten().tolist() == [0, 1]


@pytest.mark.parametrize("dtype,name", [(fg.uint8, "Byte"), (fg.int8, "Char"), (fg.int16, "Short"),
                                        (fg.int32, "Int"), (fg.bool, "Bool")])
def test_narrow_integer_avg_pool_refused(dtype, name):
    with pytest.raises(NotImplementedError, match=f"\"avg_pool2d\" not implemented for '{name}'"):
        F.avg_pool2d(x_of(dtype).reshape(1, 1, 2, 3), (1, 2))
    with pytest.raises(NotImplementedError, match=f"\"avg_pool3d_out_frame\" not implemented for '{name}'"):
        F.avg_pool3d(x_of(dtype).reshape(1, 1, 1, 2, 3), (1, 1, 2))


def test_int64_local_response_norm_gives_float():
    out = F.local_response_norm(x_of(fg.int64).reshape(1, 2, 3), 2)
    assert out.dtype == fg.float32
    expected = [-2.99910044670105, 1.0, 3.9976015090942383, -4.9936347007751465, 8.972423553466797, 1.998501181602478]
    assert out.flatten().tolist() == pytest.approx(expected, rel=1e-6)
