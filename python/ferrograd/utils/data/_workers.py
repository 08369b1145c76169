"""`DataLoader(num_workers=n)` run in this process as PyTorch's n worker processes would
run it: each worker has its own copy of the dataset, its `WorkerInfo` (what
`get_worker_info()` returns while the worker's code runs), its random streams seeded
with `base_seed + worker_id`, and `worker_init_fn(worker_id)` called first; the
batches come from the workers in turn (an exhausted worker drops out), in PyTorch's order.
"""

from __future__ import annotations

import contextlib
import copy
import random
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["WorkerInfo", "current_worker", "map_style", "round_robin"]

_CURRENT: list = [None]


def current_worker() -> Any:
    return _CURRENT[0]


class WorkerInfo:
    """What `get_worker_info()` returns inside a loader worker.

    Args:
        kwargs: the fields: `id`, `num_workers`, `seed`, `dataset` (the worker's copy),
            `rng` and `worker_method`; read-only once made.
    """

    def __init__(self, **kwargs: Any) -> None:
        for k, v in kwargs.items():
            object.__setattr__(self, k, v)
        object.__setattr__(self, "_WorkerInfo__keys", tuple(kwargs))

    def __setattr__(self, key: str, val: Any) -> None:
        raise RuntimeError(f"Cannot assign attributes to {self.__class__.__name__} objects")

    def __repr__(self) -> str:
        items = ", ".join(f"{k}={getattr(self, k)}" for k in self.__keys)
        return f"{self.__class__.__name__}({items})"


class _Worker:
    """One emulated worker: its info, its random states, and the batches it yields."""

    def __init__(self, worker_id: int, num_workers: int, seed: int, dataset: Any) -> None:
        import ferrograd as _core

        with contextlib.suppress(Exception):  # an uncopyable dataset is shared, as after fork
            dataset = copy.deepcopy(dataset)  # a worker process holds its own copy
        self.info = WorkerInfo(id=worker_id, num_workers=num_workers, seed=seed, dataset=dataset, rng=None,
                               worker_method="multiprocessing")
        saved_torch, saved_py = _core.get_rng_state(), random.getstate()
        _core.manual_seed(seed)
        random.seed(seed)
        self.states = (_core.get_rng_state(), random.getstate())
        _core.set_rng_state(saved_torch)
        random.setstate(saved_py)
        self.batches: Iterator[Any] | None = None

    def run(self, fn: Callable[[], Any]) -> Any:
        """`fn()` as this worker: its info current, its random streams in use."""
        import ferrograd as _core

        saved = _CURRENT[0], _core.get_rng_state(), random.getstate()
        _CURRENT[0] = self.info
        _core.set_rng_state(self.states[0])
        random.setstate(self.states[1])
        try:
            return fn()
        finally:
            self.states = (_core.get_rng_state(), random.getstate())
            _CURRENT[0] = saved[0]
            _core.set_rng_state(saved[1])
            random.setstate(saved[2])


def round_robin(dataset: Any, num_workers: int, base_seed: int, worker_init_fn: Callable | None,
                batches_of: Callable[[Any], Iterator[Any]]) -> Iterator[Any]:
    """The batches of `batches_of(worker's dataset copy)` from each worker in turn."""
    workers = [_Worker(i, num_workers, base_seed + i, dataset) for i in range(num_workers)]
    for w in workers:
        if worker_init_fn is not None:
            w.run(lambda w=w: worker_init_fn(w.info.id))
        w.batches = w.run(lambda w=w: iter(batches_of(w.info.dataset)))
    active = list(workers)
    while active:
        for w in list(active):
            try:
                batch = w.run(lambda w=w: next(w.batches))
            except StopIteration:
                active.remove(w)
                continue
            yield batch


def map_style(dataset: Any, num_workers: int, base_seed: int, worker_init_fn: Callable | None,
              fetches: Iterator[Callable[[Any], Any]]) -> Iterator[Any]:
    """Map-style loading: the k-th fetch (a function of the dataset) runs in worker k % n."""
    workers = [_Worker(i, num_workers, base_seed + i, dataset) for i in range(num_workers)]
    for w in workers:
        if worker_init_fn is not None:
            w.run(lambda w=w: worker_init_fn(w.info.id))
    for k, fetch in enumerate(fetches):
        w = workers[k % num_workers]
        yield w.run(lambda w=w, fetch=fetch: fetch(w.info.dataset))
