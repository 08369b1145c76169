"""`Tensor.untyped_storage()` and `Tensor.storage()`: one storage per memory, whatever
the view, its offset or dtype. Expectations recorded from PyTorch 2.13."""

import warnings

import pytest
from backend import MOD, fg

BYTES = [0, 0, 192, 63, 0, 0, 0, 64, 0, 0, 64, 192]  # 1.5, 2.0, -3.0 as float32


def test_untyped_storage_reads_the_bytes():
    a = fg.tensor([1.5, 2.0, -3.0])
    s = a.untyped_storage()
    assert type(s).__name__ == "UntypedStorage"
    assert isinstance(s, fg.UntypedStorage)
    assert (s.nbytes(), s.size(), len(s), s.element_size()) == (12, 12, 12, 1)
    assert s.tolist() == BYTES
    assert list(s) == BYTES
    assert (s[0], s[3], s[-1]) == (0, 63, 192)
    assert s[1:3].tolist() == [0, 192]
    assert s.device.type == "cpu"
    assert not s.is_cuda
    assert s.type() == f"{MOD}.storage.UntypedStorage"


def test_views_report_one_storage():
    a = fg.tensor([1.5, 2.0, -3.0])
    s = a.untyped_storage()
    assert s is a.untyped_storage()
    assert a[1:].untyped_storage()._cdata == s._cdata
    assert a[1:].untyped_storage().data_ptr() == s.data_ptr()
    assert a.view(fg.int32).untyped_storage().data_ptr() == s.data_ptr()
    assert s.data_ptr() == a.data_ptr()
    assert a[1:].data_ptr() - a.data_ptr() == a.element_size()
    assert a[1:].storage_offset() == 1
    assert a.clone().untyped_storage().data_ptr() != s.data_ptr()


def test_untyped_storage_writes_reach_the_tensor():
    x = fg.zeros(4, dtype=fg.uint8)
    assert x.untyped_storage().fill_(3) is not None
    assert x.tolist() == [3, 3, 3, 3]
    y = fg.zeros(2)
    s = y.untyped_storage()
    s[6] = 128
    s[7] = 63
    assert y.tolist() == [0.0, 1.0]


def test_bool_storage_bytes():
    assert fg.tensor([True, False]).untyped_storage().tolist() == [1, 0]


def test_untyped_storage_index_errors():
    s = fg.tensor([1.5, 2.0, -3.0]).untyped_storage()
    with pytest.raises(IndexError, match="index 12 out of range for storage of size 12"):
        s[12]
    with pytest.raises(IndexError, match="index -1 out of range for storage of size 12"):
        s[-13]
    with pytest.raises(TypeError):
        s["a"]
    with pytest.raises(TypeError):
        s[1.0]


def test_repr():
    s = fg.tensor([1.0]).untyped_storage()
    assert repr(s) == f" 0\n 0\n 128\n 63\n[{MOD}.storage.UntypedStorage(device=cpu) of size 4]"


def test_typed_storage():
    a = fg.tensor([1.5, 2.0, -3.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ts = a.storage()
        tail = a[1:].storage()
    assert type(ts).__name__ == "TypedStorage"
    assert (ts.size(), len(ts), ts.element_size(), ts.nbytes()) == (3, 3, 4, 12)
    assert ts.dtype == fg.float32
    assert (ts[0], ts[-1]) == (1.5, -3.0)
    assert ts.tolist() == [1.5, 2.0, -3.0]
    assert ts.data_ptr() == a.data_ptr()
    assert type(ts.untyped()).__name__ == "UntypedStorage"
    assert ts.type() == f"{MOD}.FloatStorage"
    assert tail.size() == 3
    assert tail._cdata == ts._cdata
    ts[1] = 9.5
    assert a.tolist() == [1.5, 9.5, -3.0]
    assert repr(ts) == f" 1.5\n 9.5\n -3.0\n[{MOD}.storage.TypedStorage(dtype={MOD}.float32, device=cpu) of size 3]"


def test_typed_storage_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ts = fg.tensor([1.5, 2.0, -3.0]).storage()
    with pytest.raises(IndexError, match="index 3 out of range for storage of size 3"):
        ts[3]
    with pytest.raises(IndexError, match="index -4 out of range for storage of size 3"):
        ts[-4]
    with pytest.raises(RuntimeError, match="slices are only supported in UntypedStorage.__getitem__"):
        ts[1:3]


def test_typed_storage_of_int_tensor():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ts = fg.tensor([[1, 2], [3, 4]], dtype=fg.int16)[1].storage()
    assert ts.tolist() == [1, 2, 3, 4]
    assert ts.element_size() == 2
    assert ts.type() == f"{MOD}.ShortStorage"
