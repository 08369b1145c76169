"""DataLoader with num_workers > 0: the batches, their order, `get_worker_info()` and the
workers' random streams are PyTorch's (the example of `IterableDataset`'s docstring)."""

import math

import pytest
from backend import fg

data = fg.utils.data


class Range(data.IterableDataset):
    def __init__(self, start, end):
        self.start, self.end = start, end

    def __iter__(self):
        return iter(range(self.start, self.end))


class SplitRange(Range):
    def __iter__(self):
        info = data.get_worker_info()
        if info is None:
            return iter(range(self.start, self.end))
        per_worker = math.ceil((self.end - self.start) / float(info.num_workers))
        start = self.start + info.id * per_worker
        return iter(range(start, min(start + per_worker, self.end)))


def values(loader):
    return [t.tolist() for t in loader]


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_each_worker_iterates_its_own_copy_in_turn():
    ds = Range(3, 7)
    assert values(data.DataLoader(ds, num_workers=0)) == [[3], [4], [5], [6]]
    assert values(data.DataLoader(ds, num_workers=2)) == [[3], [3], [4], [4], [5], [5], [6], [6]]
    assert values(data.DataLoader(SplitRange(3, 7), num_workers=2)) == [[3], [5], [4], [6]]
    assert values(data.DataLoader(SplitRange(3, 8), num_workers=2, batch_size=2)) == [[3, 4], [6, 7], [5]]


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_worker_init_fn_sees_the_worker_info_and_its_dataset_copy():
    ds = Range(3, 7)

    def init(worker_id):
        info = data.get_worker_info()
        assert (info.id, info.num_workers) == (worker_id, 2)
        copy = info.dataset
        per_worker = math.ceil((copy.end - copy.start) / float(info.num_workers))
        copy.start = copy.start + worker_id * per_worker
        copy.end = min(copy.start + per_worker, copy.end)

    assert values(data.DataLoader(ds, num_workers=2, worker_init_fn=init)) == [[3], [5], [4], [6]]
    assert (ds.start, ds.end) == (3, 7) and data.get_worker_info() is None


class Noise(data.Dataset):
    def __len__(self):
        return 4

    def __getitem__(self, i):
        return i + 10 * data.get_worker_info().id + fg.rand(()).item()


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_workers_seed_their_streams_from_the_base_seed():
    fg.manual_seed(0)
    got = [round(v, 4) for v in data.DataLoader(Noise(), num_workers=2, batch_size=None)]
    # PyTorch: worker k draws from manual_seed(base_seed + k); the main stream is untouched
    assert got == [0.7821, 11.6938, 2.0536, 13.298]
    assert fg.rand(1).tolist() == pytest.approx([0.0885], abs=1e-4)
