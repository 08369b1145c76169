# Moved from tests/test_tensor_api.py: behaviour not implemented yet (see tests/pending/README.md).

def test_numpy_shares_memory():
    t = fg.zeros(3)
    a = t.numpy()
    a[0] = 5.0
    assert t.tolist() == [5.0, 0.0, 0.0]
