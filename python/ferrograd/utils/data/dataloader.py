"""`DataLoader` (PyTorch's `torch.utils.data.DataLoader`), loading in this process.

Shuffling goes through `RandomSampler` after drawing the loader's base seed, as
PyTorch's iterator does, so under `manual_seed` (or with the same `generator`) the
order is PyTorch's.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ._collate import default_collate, default_convert
from ._workers import current_worker, map_style, round_robin
from .dataset import Dataset, IterableDataset, TensorDataset
from .sampler import BatchSampler, RandomSampler, SequentialSampler

__all__ = ["DataLoader", "get_worker_info"]


def get_worker_info() -> Any:
    """Information about the current loader worker (`WorkerInfo`: id, num_workers, seed,
    the worker's copy of the dataset) while a worker's code runs; None otherwise."""
    return current_worker()


class DataLoader:
    """Iterates over a dataset in batches, in order or reshuffled at each pass.

    Args:
        dataset: the dataset to load from (map-style or iterable-style).
        batch_size: samples per batch (default 1); None yields the samples one by one,
            uncollated.
        shuffle: draw a new random order at each pass (default: no).
        sampler: the order of the indices (a Sampler or any iterable); excludes `shuffle`.
        batch_sampler: yields whole lists of indices; excludes `batch_size`, `shuffle`,
            `sampler` and `drop_last`.
        num_workers: how many worker processes PyTorch would load with; they are run in
            this process, in turn, each with its own dataset copy and random seed, so the
            batches come in PyTorch's order.
        collate_fn: makes a batch from a list of samples (default: `default_collate`).
        pin_memory: accepted for PyTorch compatibility; ignored (CPU only).
        drop_last: drop the last batch when it is smaller than `batch_size` (default False).
        timeout: accepted for PyTorch compatibility; ignored.
        worker_init_fn: called with each worker's id before it loads anything.
        generator: the generator for the shuffling and the base seed (None: the default
            one).
        kwargs: other keywords of PyTorch's (`prefetch_factor`, `persistent_workers`, ...),
            ignored.
    """

    def __init__(self, dataset: Dataset, batch_size: int | None = 1, shuffle: bool | None = None,
                 sampler=None, batch_sampler=None, num_workers: int = 0, collate_fn=None,
                 pin_memory: bool = False, drop_last: bool = False, timeout: float = 0,
                 worker_init_fn=None, generator=None, **kwargs: Any) -> None:
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 to "
                             "disable multiprocessing.")
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        iterable = isinstance(dataset, IterableDataset)
        if iterable:
            for name, value in (("shuffle", shuffle), ("sampler", sampler),
                                ("batch_sampler", batch_sampler)):
                if value not in (None, False):
                    raise ValueError(f"DataLoader with IterableDataset: expected unspecified "
                                     f"{name} option, but got {name}={value}")
        elif sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, "
                                 "shuffle, sampler, and drop_last")
            batch_size = None
            drop_last = False
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually "
                             "exclusive with drop_last")
        if batch_size is not None and (not isinstance(batch_size, int) or batch_size <= 0):
            raise ValueError(
                f"batch_size should be a positive integer value, but got batch_size={batch_size}"
            )
        if sampler is None and not iterable:
            sampler = RandomSampler(dataset, generator=generator) if shuffle else SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None and not iterable:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.dataset = dataset
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.generator = generator
        self.num_workers = num_workers
        self.pin_memory = pin_memory
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self._auto_collation = batch_sampler is not None or (iterable and batch_size is not None)
        if collate_fn is None:
            collate_fn = default_collate if self._auto_collation else default_convert
        self._default_collate = collate_fn is default_collate
        self.collate_fn = collate_fn

    def _draw_base_seed(self) -> int:
        from ..._core import int64
        from ..._creation import empty

        return empty((), dtype=int64).random_(generator=self.generator).item()

    def __iter__(self) -> Iterator[Any]:
        base_seed = self._draw_base_seed()
        if self.num_workers > 0:
            yield from self._iter_workers(base_seed)
            return
        if isinstance(self.dataset, IterableDataset):
            yield from self._iter_iterable()
            return
        if self.batch_sampler is None:
            for i in self.sampler:
                yield self.collate_fn(self.dataset[i])
            return
        for idx in self.batch_sampler:
            if self._default_collate and isinstance(self.dataset, TensorDataset):
                from ..._creation import tensor

                index = tensor(list(idx))
                yield [t[index] for t in self.dataset.tensors]
            else:
                yield self.collate_fn([self.dataset[i] for i in idx])

    def _iter_workers(self, base_seed: int) -> Iterator[Any]:
        if isinstance(self.dataset, IterableDataset):
            yield from round_robin(self.dataset, self.num_workers, base_seed, self.worker_init_fn,
                                   self._iter_iterable)
            return
        if self.batch_sampler is None:
            fetches = ((lambda ds, i=i: self.collate_fn(ds[i])) for i in self.sampler)
        else:
            fetches = ((lambda ds, idx=idx: self.collate_fn([ds[i] for i in idx])) for idx in self.batch_sampler)
        yield from map_style(self.dataset, self.num_workers, base_seed, self.worker_init_fn, fetches)

    def _iter_iterable(self, dataset: Any = None) -> Iterator[Any]:
        dataset = self.dataset if dataset is None else dataset
        if self.batch_size is None:
            for sample in dataset:
                yield self.collate_fn(sample)
            return
        batch: list = []
        for sample in dataset:
            batch.append(sample)
            if len(batch) == self.batch_size:
                yield self.collate_fn(batch)
                batch = []
        if batch and not self.drop_last:
            yield self.collate_fn(batch)

    def __len__(self) -> int:
        if isinstance(self.dataset, IterableDataset):
            n = len(self.dataset)
            if self.batch_size is None:
                return n
            return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
        if self.batch_sampler is not None:
            return len(self.batch_sampler)
        return len(self.sampler)
