"""`DataLoader` (PyTorch's `torch.utils.data.DataLoader`), loading in this process (with
`num_workers > 0`, through workers that behave as PyTorch's worker processes: see
`_workers`).

Shuffling goes through `RandomSampler` after drawing the loader's base seed, as
PyTorch's iterator does, so under `manual_seed` (or with the same `generator`) the
order is PyTorch's.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ._collate import default_collate, default_convert
from ._workers import WorkerIterator, get_worker_info
from .dataset import Dataset, IterableDataset, TensorDataset
from .sampler import BatchSampler, RandomSampler, SequentialSampler

__all__ = ["DataLoader", "get_worker_info"]


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
        num_workers: how many loader workers take the batches in turn (0: none), each
            with its own random states seeded from the loader's base seed, as PyTorch's
            worker processes (here they run in this process).
        collate_fn: makes a batch from a list of samples (default: `default_collate`).
        pin_memory: accepted for PyTorch compatibility; ignored (CPU only).
        drop_last: drop the last batch when it is smaller than `batch_size` (default False).
        timeout: accepted for PyTorch compatibility; ignored.
        worker_init_fn: called with the worker id in each worker when it starts.
        multiprocessing_context: accepted for PyTorch compatibility; ignored.
        generator: the generator for the shuffling and the base seed (None: the default
            one).
        prefetch_factor: batches each worker loads ahead (default 2 with workers; must be
            None without); the order of the batches does not depend on it.
        persistent_workers: keep the workers (their random states and dataset copies)
            from one pass to the next (needs `num_workers > 0`).
        pin_memory_device: accepted for PyTorch compatibility; ignored.
        in_order: accepted for PyTorch compatibility; batches always come in order.
    """

    def __init__(self, dataset: Dataset, batch_size: int | None = 1, shuffle: bool | None = None,
                 sampler=None, batch_sampler=None, num_workers: int = 0, collate_fn=None,
                 pin_memory: bool = False, drop_last: bool = False, timeout: float = 0,
                 worker_init_fn=None, multiprocessing_context=None, generator=None, *,
                 prefetch_factor: int | None = None, persistent_workers: bool = False,
                 pin_memory_device: str = "", in_order: bool = True) -> None:
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 to "
                             "disable multiprocessing.")
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError("prefetch_factor option could only be specified in multiprocessing.let num_workers "
                             "> 0 to enable multiprocessing, otherwise set prefetch_factor to None.")
        if num_workers > 0 and prefetch_factor is None:
            prefetch_factor = 2
        elif prefetch_factor is not None and prefetch_factor < 0:
            raise ValueError("prefetch_factor option should be non-negative")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")
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
        self.multiprocessing_context = multiprocessing_context
        self.prefetch_factor = prefetch_factor
        self.persistent_workers = persistent_workers
        self.pin_memory_device = pin_memory_device
        self.in_order = in_order
        self._iterable = iterable
        self._iterator: WorkerIterator | None = None  # the persistent workers' iterator
        self._auto_collation = batch_sampler is not None or (iterable and batch_size is not None)
        if collate_fn is None:
            collate_fn = default_collate if self._auto_collation else default_convert
        self._default_collate = collate_fn is default_collate
        self.collate_fn = collate_fn
        if num_workers > 0:
            _warn_if_many_workers(num_workers)

    def _draw_base_seed(self) -> int:
        from ..._core import int64
        from ..._creation import empty

        return int(empty((), dtype=int64).random_(generator=self.generator).item())

    def __iter__(self) -> Iterator[Any]:
        if self.num_workers > 0:
            return self._iter_workers()
        return self._iter_here()

    def _iter_workers(self) -> Iterator[Any]:
        if self._iterator is not None:
            self._iterator._reset()
            return self._iterator
        _warn_if_many_workers(self.num_workers)
        iterator = WorkerIterator(self)
        if self.persistent_workers:
            self._iterator = iterator
        return iterator

    @property
    def multiprocessing_context(self) -> Any:
        """The multiprocessing context given (a start method's name becomes its context);
        the workers run in this process whatever it is."""
        return self._multiprocessing_context

    @multiprocessing_context.setter
    def multiprocessing_context(self, context: Any) -> None:
        import multiprocessing

        if context is not None:
            if self.num_workers <= 0:
                raise ValueError("multiprocessing_context can only be used with multi-process loading (num_workers > "
                                 f"0), but got num_workers={self.num_workers}")
            if isinstance(context, str):
                methods = multiprocessing.get_all_start_methods()
                if context not in methods:
                    raise ValueError(f"multiprocessing_context option should specify a valid start method in "
                                     f"{methods!r}, but got multiprocessing_context={context!r}")
                context = multiprocessing.get_context(context)
            if not isinstance(context, multiprocessing.context.BaseContext):
                raise TypeError("multiprocessing_context option should be a valid context object or a string "
                                f"specifying the start method, but got multiprocessing_context={context}")
        self._multiprocessing_context = context

    def _iter_here(self) -> Iterator[Any]:
        self._draw_base_seed()
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

    def _iter_iterable(self) -> Iterator[Any]:
        if self.batch_size is None:
            for sample in self.dataset:
                yield self.collate_fn(sample)
            return
        batch: list = []
        for sample in self.dataset:
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


def _warn_if_many_workers(num_workers: int) -> None:
    """PyTorch's warning when a loader has more workers than this process has CPUs."""
    import os
    import warnings

    suggested = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if suggested is not None and num_workers <= suggested:
        return
    if suggested is None:
        advice = "DataLoader is not able to compute a suggested max number of worker in current system."
    else:
        unchecked = "" if hasattr(os, "sched_getaffinity") else " (`cpuset` is not taken into account)"
        advice = (f"Our suggested max number of worker in current system is {suggested}{unchecked}, which is "
                  "smaller than what this DataLoader is going to create.")
    warnings.warn(f"This DataLoader will create {num_workers} worker processes in total. {advice} Please be "
                  "aware that excessive worker creation might get DataLoader running slow or even freeze, lower "
                  "the worker number to avoid potential slowness/freeze if necessary.", UserWarning, stacklevel=3)
