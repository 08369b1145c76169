"""Session 33 (opinfo23): PyTorch's OpInfo samples over the dtypes beyond the default
sweep (the narrow integers, float16, bfloat16, complex128); expectations are PyTorch's."""

from backend import fg

_IMAGE = [[[[0, 40, 80, 120, 160, 200, 240, 255], [255, 10, 20, 30, 40, 50, 60, 70],
            [5, 15, 25, 35, 45, 55, 65, 75], [100, 90, 80, 70, 60, 50, 40, 30]]]]


def test_upsample_bilinear2d_aa_uint8_uses_the_fixed_point_kernel():
    x = fg.tensor(_IMAGE, dtype=fg.uint8)
    out = fg.ops.aten._upsample_bilinear2d_aa(x, [3, 3], False, None, None)
    assert out.dtype == fg.uint8
    assert out.tolist() == [[[[56, 109, 178], [51, 38, 62], [67, 58, 48]]]]


def test_upsample_bicubic2d_aa_uint8_uses_the_fixed_point_kernel():
    x = fg.tensor(_IMAGE, dtype=fg.uint8)
    out = fg.ops.aten._upsample_bicubic2d_aa(x, [2, 5], False, None, None)
    assert out.tolist() == [[[[76, 38, 83, 123, 154], [67, 46, 47, 47, 47]]]]
