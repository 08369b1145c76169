"""The loader workers of `DataLoader(num_workers > 0)`, run in this process one after the
other: each has what a PyTorch worker process has (its copy of the dataset, its own random
states seeded with `base_seed + worker_id`, `get_worker_info()`, one thread, the
`worker_init_fn` run once), and batch i comes from worker i % num_workers, so under the same
`manual_seed` the numbers drawn in a dataset equal PyTorch's. The caller's random states
are untouched, as a worker process would leave them."""

from __future__ import annotations

import copy
import random
import sys
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

__all__ = ["WorkerInfo", "get_worker_info"]


@dataclass(frozen=True, slots=True)
class WorkerInfo:
    """Information about the current DataLoader worker.

    Attributes:
        id: the current worker id (0 to num_workers - 1).
        num_workers: the total number of workers.
        seed: the random seed set for this worker.
        dataset: this worker's copy of the dataset.
        rng: optional random state container (None).
        worker_method: "multiprocessing", as PyTorch reports its worker processes.
    """

    id: int
    num_workers: int
    seed: int
    dataset: Any
    rng: Any = None
    worker_method: str | None = "multiprocessing"


_current: list[WorkerInfo | None] = [None]


def get_worker_info() -> WorkerInfo | None:
    """The current loader worker's `WorkerInfo` (id, num_workers, seed, dataset) while
    the dataset, the collate function or `worker_init_fn` runs in a worker; None
    elsewhere."""
    return _current[0]


def numpy_seed(base_seed: int, worker_id: int) -> list[int]:
    """The NumPy seed of a worker: PyTorch's `_generate_state`, a SeedSequence-style hash
    of the worker id and the base seed."""
    mask32 = 0xFFFFFFFF
    entropy = [worker_id, base_seed & mask32, base_seed >> 32, 0]
    hash_const_a = [0x43B0D7E5]

    def hash_value(value: int) -> int:
        value = (value ^ hash_const_a[0]) & mask32
        hash_const_a[0] = (hash_const_a[0] * 0x931E8875) & mask32
        value = (value * hash_const_a[0]) & mask32
        return (value ^ (value >> 16)) & mask32

    def mix(x: int, y: int) -> int:
        result = (((0xCA01F9DD * x) & mask32) - ((0x4973F715 * y) & mask32)) & mask32
        return (result ^ (result >> 16)) & mask32

    pool = [hash_value(e) for e in entropy]
    for i_src in range(4):
        for i_dst in range(4):
            if i_src != i_dst:
                pool[i_dst] = mix(pool[i_dst], hash_value(pool[i_src]))
    hash_const_b = 0x8B51F9DD
    state = []
    for value in pool:
        value = (value ^ hash_const_b) & mask32
        hash_const_b = (hash_const_b * 0x58F38DED) & mask32
        value = (value * hash_const_b) & mask32
        state.append((value ^ (value >> 16)) & mask32)
    return state


def _numpy_random() -> Any:
    numpy = sys.modules.get("numpy")
    return None if numpy is None else numpy.random


def _states() -> tuple:
    from ... import get_num_threads, get_rng_state

    np_random = _numpy_random()
    return (get_rng_state(), random.getstate(), None if np_random is None else np_random.get_state(),
            get_num_threads())


def _restore(states: tuple) -> None:
    from ... import set_num_threads, set_rng_state

    set_rng_state(states[0])
    random.setstate(states[1])
    np_random = _numpy_random()
    if np_random is not None and states[2] is not None:
        np_random.set_state(states[2])
    set_num_threads(states[3])


class _WorkerFailed(Exception):
    """Carries the text of an exception raised in a worker (PyTorch's ExceptionWrapper)."""

    def __init__(self, error: BaseException, worker_id: int) -> None:
        super().__init__()
        self.kind = type(error)
        self.message = (f"Caught {self.kind.__name__} in DataLoader worker process {worker_id}.\nOriginal "
                        + "".join(traceback.format_exception(type(error), error, error.__traceback__)))

    def reraise(self) -> None:
        message = self.message
        if self.kind is KeyError:
            message = _KeyErrorMessage(message)
        elif getattr(self.kind, "message", None):
            raise self.kind(message=message)
        try:
            error = self.kind(message)
        except Exception:  # noqa: BLE001  (a type that takes no message: PyTorch's RuntimeError)
            raise RuntimeError(message) from None
        raise error


class _KeyErrorMessage(str):
    """A KeyError's text shown as itself (not quoted), as PyTorch shows it."""

    __slots__ = ()

    def __repr__(self) -> str:
        return self


class Worker:
    """One loader worker: its dataset copy, random states and iterator (for an iterable
    dataset)."""

    def __init__(self, loader: Any, worker_id: int, base_seed: int) -> None:
        self.loader = loader
        self.id = worker_id
        self.dataset = copy.copy(loader.dataset)  # the worker's own attributes, as a forked process has
        self.info = WorkerInfo(id=worker_id, num_workers=loader.num_workers, seed=base_seed + worker_id,
                               dataset=self.dataset)
        self.base_seed = base_seed
        self.states: tuple | None = None
        self.iterator: Iterator[Any] | None = None
        self.exhausted = False
        # an exception of the start-up is raised at this worker's first fetch, as PyTorch does
        self.failure: _WorkerFailed | None = self.run(self._start)

    def _start(self) -> None:
        from ... import manual_seed, set_num_threads

        seed = self.info.seed
        random.seed(seed)
        manual_seed(seed)
        np_random = _numpy_random()
        if np_random is not None:
            np_random.seed(numpy_seed(self.base_seed, self.id))
        set_num_threads(1)
        if self.loader.worker_init_fn is not None:
            self.loader.worker_init_fn(self.id)
        self.restart()

    def restart(self) -> None:
        """A new pass: a fresh iterator over an iterable dataset."""
        self.exhausted = False
        self.iterator = iter(self.dataset) if self.loader._iterable else None

    def run(self, job: Any, *args: Any) -> Any:
        """`job(*args)` inside this worker: its random states and `get_worker_info()`;
        an exception raised inside comes back as a `_WorkerFailed`."""
        caller = _states()
        if self.states is not None:
            _restore(self.states)
        outer, _current[0] = _current[0], self.info
        try:
            return job(*args)
        except StopIteration:
            raise
        except Exception as error:  # noqa: BLE001  (any error of a worker reaches the caller, as PyTorch's do)
            return _WorkerFailed(error, self.id)
        finally:
            _current[0] = outer
            self.states = _states()
            _restore(caller)

    def fetch(self, indices: Any) -> Any:
        """The batch (or sample) for `indices`; StopIteration when an iterable dataset
        has run out."""
        if self.failure is not None:
            failure, self.failure = self.failure, None
            failure.reraise()
        if self.exhausted:
            raise StopIteration
        result = self.run(self._fetch, indices)
        if isinstance(result, _WorkerFailed):
            result.reraise()
        return result

    def _fetch(self, indices: Any) -> Any:
        loader = self.loader
        if not loader._iterable:
            if not loader._auto_collation:
                return loader.collate_fn(self.dataset[indices])
            return loader.collate_fn([self.dataset[i] for i in indices])
        assert self.iterator is not None
        if not loader._auto_collation:
            try:
                return loader.collate_fn(next(self.iterator))
            except StopIteration:
                self.exhausted = True
                raise
        batch: list = []
        for _ in range(loader.batch_size):
            try:
                batch.append(next(self.iterator))
            except StopIteration:
                self.exhausted = True
                break
        if not batch or (loader.drop_last and len(batch) < loader.batch_size):
            self.exhausted = True
            raise StopIteration
        return loader.collate_fn(batch)


class WorkerIterator:
    """The iterator of a loader with workers (PyTorch's `_MultiProcessingDataLoaderIter`):
    starts them (drawing the base seed), and with persistent workers starts each pass
    again on the same workers."""

    def __init__(self, loader: Any) -> None:
        if loader.prefetch_factor <= 0:
            raise AssertionError("prefetch_factor must be greater than 0 for MultiProcessingDataLoaderIter")
        self._loader = loader
        base_seed = loader._draw_base_seed()
        self._workers = [Worker(loader, i, base_seed) for i in range(loader.num_workers)]
        self._batches = worker_batches(loader, self._workers)

    def _reset(self) -> None:
        for worker in self._workers:
            worker.run(worker.restart)
        self._batches = worker_batches(self._loader, self._workers)

    def __iter__(self) -> WorkerIterator:
        return self

    def __next__(self) -> Any:
        return next(self._batches)

    def __len__(self) -> int:
        return len(self._loader)


def worker_batches(loader: Any, workers: list[Worker]) -> Iterator[Any]:
    """The batches of one pass, in PyTorch's order: the sampler's batches handed to the
    workers in turn (map-style), or each worker's next batch in turn until all have run out
    (iterable)."""
    if not loader._iterable:
        indices = loader.batch_sampler if loader.batch_sampler is not None else loader.sampler
        for n, index in enumerate(indices):
            yield workers[n % len(workers)].fetch(index)
        return
    active = list(workers)
    while active:
        for worker in list(active):
            try:
                batch = worker.fetch(None)
            except StopIteration:
                active.remove(worker)
                continue
            yield batch
