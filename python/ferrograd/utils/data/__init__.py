"""`utils.data`: Dataset, TensorDataset, DataLoader, random_split.

Batches of a TensorDataset are gathered with one index per tensor (no per-sample stack).
Shuffling draws from ferrograd's default generator, so it is reproducible under
`manual_seed`, but its order is not PyTorch's.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Any

from ..._core import Tensor
from ..._numpy import np

__all__ = ["DataLoader", "Dataset", "Subset", "TensorDataset", "default_collate", "random_split"]


class Dataset:
    """Map-style dataset: `__getitem__(i)` and `__len__()`."""

    def __getitem__(self, index: int) -> Any:
        raise NotImplementedError("Subclasses of Dataset should implement __getitem__.")

    def __len__(self) -> int:
        raise NotImplementedError


class TensorDataset(Dataset):
    """A dataset whose i-th sample is the tuple of the i-th rows of each tensor.

    Args:
        tensors: tensors with the same size in dimension 0 (the number of samples).
    """

    def __init__(self, *tensors: Tensor) -> None:
        if any(tensors[0].size(0) != t.size(0) for t in tensors):
            raise AssertionError("Size mismatch between tensors")
        self.tensors = tensors

    def __getitem__(self, index):
        return tuple(t[index] for t in self.tensors)

    def __len__(self) -> int:
        return self.tensors[0].size(0)


class Subset(Dataset):
    """The samples of `dataset` at `indices`."""

    def __init__(self, dataset: Dataset, indices: Sequence[int]) -> None:
        self.dataset = dataset
        self.indices = list(indices)

    def __getitem__(self, idx):
        if isinstance(idx, list):
            return self.dataset[[self.indices[i] for i in idx]]
        return self.dataset[self.indices[idx]]

    def __len__(self) -> int:
        return len(self.indices)


def _permutation(n: int) -> list[int]:
    from ..._creation import randint

    seed = int(randint(0, 2**62, (1,)).item())
    return np.random.default_rng(seed).permutation(n).tolist()


def random_split(dataset: Dataset, lengths: Sequence[int | float], generator=None) -> list[Subset]:
    """Splits `dataset` into non-overlapping random subsets of the given lengths.

    Args:
        dataset: the dataset to split.
        lengths: the subset sizes, summing to ``len(dataset)``; or fractions summing to 1,
            turned into sizes by flooring and handing the remainder out one by one.
        generator: accepted for PyTorch compatibility and ignored: the permutation is
            drawn from ferrograd's default generator (reproducible under `manual_seed`).

    Returns:
        A list of `Subset`.
    """
    n = len(dataset)
    if math.isclose(sum(lengths), 1) and sum(lengths) <= 1:
        counts = [math.floor(n * frac) for frac in lengths]
        for i in range(n - sum(counts)):
            counts[i % len(counts)] += 1
        lengths = counts
    if sum(lengths) != n:
        raise ValueError("Sum of input lengths does not equal the length of the input dataset!")
    perm = _permutation(n)
    out, start = [], 0
    for length in lengths:
        out.append(Subset(dataset, perm[start:start + int(length)]))
        start += int(length)
    return out


def default_collate(batch: list) -> Any:
    """Collates a list of samples into a batch: tensors, numbers and NumPy arrays are
    stacked along a new dimension 0; tuples, lists and dicts are collated field by field;
    anything else is returned as the list.

    Args:
        batch: the list of samples, all of the same structure.
    """
    from ..._creation import tensor

    elem = batch[0]
    if isinstance(elem, Tensor):
        return tensor(np.stack([np.asarray(b.detach().numpy()) for b in batch]))
    if isinstance(elem, (int, float, bool, np.ndarray)):
        return tensor(np.asarray(batch))
    if isinstance(elem, dict):
        return {k: default_collate([b[k] for b in batch]) for k in elem}
    if isinstance(elem, (tuple, list)):
        return [default_collate(list(samples)) for samples in zip(*batch)]
    return batch


class DataLoader:
    """Iterates over a dataset in batches, in order or reshuffled at each epoch.

    Loading runs in the calling process. Batches of a `TensorDataset` without a
    `collate_fn` are gathered with one index per tensor.

    Args:
        dataset: the dataset to load from.
        batch_size: samples per batch (default 1); None yields the samples one by one,
            uncollated.
        shuffle: draw a new random order at each pass (default: no).
        sampler: an iterable of indices giving the order (overrides `shuffle`).
        batch_sampler: accepted for PyTorch compatibility; ignored.
        num_workers: accepted for PyTorch compatibility; loading stays in this process.
        collate_fn: makes a batch from a list of samples (default: `default_collate`).
        pin_memory: accepted for PyTorch compatibility; ignored (CPU only).
        drop_last: drop the last batch when it is smaller than `batch_size` (default False).
        timeout: accepted for PyTorch compatibility; ignored.
        worker_init_fn: accepted for PyTorch compatibility; ignored.
        generator: accepted for PyTorch compatibility; shuffling draws from ferrograd's
            default generator.
    """

    def __init__(self, dataset: Dataset, batch_size: int | None = 1, shuffle: bool | None = None,
                 sampler=None, batch_sampler=None, num_workers: int = 0, collate_fn=None,
                 pin_memory: bool = False, drop_last: bool = False, timeout: float = 0, worker_init_fn=None,
                 generator=None, **kwargs: Any) -> None:
        if batch_size is not None and batch_size <= 0:
            raise ValueError(f"batch_size should be a positive integer value, but got batch_size={batch_size}")
        self.dataset = dataset
        self.batch_size = batch_size
        self.shuffle = bool(shuffle)
        self.sampler = sampler
        self.drop_last = drop_last
        self.collate_fn = collate_fn
        self.num_workers = num_workers

    def _order(self) -> list[int]:
        if self.sampler is not None:
            return list(iter(self.sampler))
        n = len(self.dataset)
        return _permutation(n) if self.shuffle else list(range(n))

    def __iter__(self) -> Iterator[Any]:
        from ..._creation import tensor

        order = self._order()
        if self.batch_size is None:
            for i in order:
                yield self.dataset[i]
            return
        bs = self.batch_size
        for start in range(0, len(order), bs):
            idx = order[start:start + bs]
            if len(idx) < bs and self.drop_last:
                return
            if self.collate_fn is None and isinstance(self.dataset, TensorDataset):
                index = tensor(idx)
                yield [t[index] for t in self.dataset.tensors]
            else:
                collate = self.collate_fn or default_collate
                yield collate([self.dataset[i] for i in idx])

    def __len__(self) -> int:
        n = len(self.dataset) if self.sampler is None else len(self.sampler)
        if self.batch_size is None:
            return n
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
