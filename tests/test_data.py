"""`utils.data`: TensorDataset, DataLoader (batching, shuffling, drop_last), random_split
and default_collate, checked by their structure (the shuffled orders, PyTorch's, are in test_small_modules)."""

import pytest
from backend import fg

data = fg.utils.data


def test_tensor_dataset_and_loader_batches():
    x = fg.arange(10).reshape(5, 2).float()
    y = fg.arange(5)
    ds = data.TensorDataset(x, y)
    assert len(ds) == 5
    xi, yi = ds[3]
    assert xi.tolist() == [6.0, 7.0] and yi.item() == 3
    batches = list(data.DataLoader(ds, batch_size=2))
    assert [b[1].tolist() for b in batches] == [[0, 1], [2, 3], [4]]
    assert batches[0][0].tolist() == [[0.0, 1.0], [2.0, 3.0]]
    assert len(data.DataLoader(ds, batch_size=2)) == 3
    dropped = list(data.DataLoader(ds, batch_size=2, drop_last=True))
    assert len(dropped) == 2 and len(data.DataLoader(ds, batch_size=2, drop_last=True)) == 2
    with pytest.raises(AssertionError, match="Size mismatch between tensors"):
        data.TensorDataset(x, fg.arange(4))


def test_shuffle_is_a_permutation_and_reproducible():
    ds = data.TensorDataset(fg.arange(20))
    fg.manual_seed(3)
    first = [b[0].tolist() for b in data.DataLoader(ds, batch_size=6, shuffle=True)]
    flat = sorted(v for b in first for v in b)
    assert flat == list(range(20)) and [len(b) for b in first] == [6, 6, 6, 2]
    fg.manual_seed(3)
    again = [b[0].tolist() for b in data.DataLoader(ds, batch_size=6, shuffle=True)]
    assert again == first


def test_custom_dataset_and_collate():
    class Squares(data.Dataset):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            return fg.tensor([float(i), float(i * i)]), i

    xs, ys = next(iter(data.DataLoader(Squares(), batch_size=3)))
    assert xs.tolist() == [[0.0, 0.0], [1.0, 1.0], [2.0, 4.0]]
    assert ys.tolist() == [0, 1, 2] and ys.dtype == fg.int64
    c = data.default_collate([{"a": 1.5}, {"a": 2.5}])
    assert c["a"].tolist() == [1.5, 2.5] and c["a"].dtype == fg.float64


def test_random_split():
    ds = data.TensorDataset(fg.arange(10))
    a, b = data.random_split(ds, [7, 3])
    assert len(a) == 7 and len(b) == 3
    got = sorted([a[i][0].item() for i in range(7)] + [b[i][0].item() for i in range(3)])
    assert got == list(range(10))
    c, d = data.random_split(ds, [0.5, 0.5])
    assert len(c) == 5 and len(d) == 5
    with pytest.raises(ValueError, match="Sum of input lengths does not equal the length of the input dataset!"):
        data.random_split(ds, [4, 4])
