"""`Tensor.view(dtype)`: a view of the same bytes as another dtype, sharing memory and
version counter with its source, with PyTorch's shape rules and errors. Expectations
recorded from PyTorch 2.13."""

import pytest
from backend import fg


def test_values_are_the_same_bytes():
    assert fg.tensor([1.0, -2.0]).view(fg.int32).tolist() == [1065353216, -1073741824]
    assert fg.tensor(1.0).view(fg.int32).tolist() == 1065353216
    assert fg.tensor([1.5, -2.0], dtype=fg.bfloat16).view(fg.float16).tolist() == [1.9375, -2.0]
    assert fg.tensor([0, 1, 2], dtype=fg.uint8).view(fg.bool).tolist() == [False, True, True]
    assert fg.tensor([True, False]).view(fg.uint8).tolist() == [1, 0]


def test_writes_show_through_both():
    a = fg.tensor([1.0, -2.0])
    v = a.view(fg.int32)
    v[0] = 1077936128
    assert a.tolist() == [3.0, -2.0]
    a[1] = 0.5
    assert v.tolist() == [1077936128, 1056964608]


def test_narrower_view_writes_reach_the_source():
    c = fg.zeros(2)
    c.view(fg.int16)[1] = 16256
    assert c.tolist() == [1.0, 0.0]


def test_views_share_storage_and_pointer():
    a = fg.tensor([1.0, 2.0, 3.0, 4.0])
    for dtype in (fg.int32, fg.int16, fg.float64, fg.uint8):
        v = a.view(dtype)
        assert v.data_ptr() == a.data_ptr()
        assert v.untyped_storage().data_ptr() == a.untyped_storage().data_ptr()
    chained = a.view(fg.int32).view(fg.int16).view(fg.float32)
    chained[2] = 9.0
    assert a.tolist() == [1.0, 2.0, 9.0, 4.0]


def test_shapes_strides_offsets():
    x = fg.arange(8.0).reshape(2, 4)
    y = x[1:].view(fg.int16)
    assert (tuple(y.shape), y.stride(), y.storage_offset()) == ((1, 8), (8, 1), 8)
    z = x[:, 2:].view(fg.float64)
    assert (tuple(z.shape), z.stride(), z.storage_offset()) == ((2, 1), (2, 1), 1)
    assert z.tolist() == [[32.00000762939453], [32768.007904052734]]
    w = fg.arange(16, dtype=fg.int16).reshape(4, 4)[::2].view(fg.int32)
    assert (tuple(w.shape), w.stride(), w.storage_offset()) == ((2, 2), (4, 1), 0)
    u = fg.arange(16, dtype=fg.uint8).view(fg.float64)
    assert u.shape == (2,)
    assert u.view(fg.int64).tolist() == [506097522914230528, 1084818905618843912]
    assert fg.tensor([1.0, -2.0], dtype=fg.float64).view(fg.float16).shape == (8,)


def test_no_history_and_no_base():
    x = fg.randn(4, requires_grad=True)
    for dtype in (fg.int32, fg.int16, fg.float32):
        y = x.view(dtype)
        assert y is not x
        assert not y.requires_grad
        assert y.grad_fn is None
        assert y._base is None
        assert not y._is_view()
    d = x.detach()
    assert d.view(fg.int32)._base is None


def test_version_counter_is_shared():
    q = fg.ones(3)
    r = q.view(fg.int32)
    assert r._version == 0
    q.add_(1)
    assert r._version == 1
    assert q._version == 1


def _fails(fn, message):
    with pytest.raises(RuntimeError) as info:
        fn()
    assert str(info.value).startswith(message)


def test_errors():
    a = fg.arange(6.0).reshape(2, 3)
    _fails(lambda: a.t().view(fg.int16), "self.stride(-1) must be 1 to view Float as Short (different element sizes), but got 3")
    _fails(lambda: a.view(fg.float64), "self.size(-1) must be divisible by 2 to view Float as Double (different element sizes), but got 3")
    _fails(lambda: a[:, :2].view(fg.float64), "self.stride(0) must be divisible by 2 to view Float as Double (different element sizes), but got 3")
    _fails(lambda: fg.tensor(1.0).view(fg.int16), "self.dim() cannot be 0 to view Float as Short (different element sizes)")
    _fails(lambda: a[:, 1:].view(fg.float64), "self.storage_offset() must be divisible by 2 to view Float as Double (different element sizes), but got 1")
    _fails(lambda: a.t()[:, :1].view(fg.int16), "self.stride(-1) must be 1 to view Float as Short (different element sizes), but got 3")
    b = fg.arange(8, dtype=fg.int16).reshape(2, 4)
    _fails(lambda: b[:, 1:3].view(fg.int32), "self.storage_offset() must be divisible by 2 to view Short as Int (different element sizes), but got 1")
    _fails(lambda: b[:, :1].t().view(fg.int32), "self.stride(-1) must be 1 to view Short as Int (different element sizes), but got 4")


def test_allowed_edge_cases():
    b = fg.arange(8, dtype=fg.int16).reshape(2, 4)
    v = b[:, 2:].view(fg.int32)
    assert (tuple(v.shape), v.stride(), v.storage_offset()) == ((2, 1), (2, 1), 1)
    assert v.tolist() == [[196610], [458758]]
    assert b.view(fg.bool).shape == (2, 8)
    e = fg.zeros(0, 4).view(fg.float64)
    assert e.shape == (0, 2)
