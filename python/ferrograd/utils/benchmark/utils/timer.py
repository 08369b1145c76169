"""`Timer`: times a Python statement as PyTorch's `torch.utils.benchmark.Timer` does
(block sizes chosen so that timer overhead is negligible, one intra-op thread unless
asked), returning `Measurement`s."""

from __future__ import annotations

import enum
import textwrap
import timeit as _timeit
from collections.abc import Callable
from typing import Any, NoReturn

import ferrograd

from . import common

__all__ = ["Language", "Timer", "timer"]


def timer() -> float:
    """The default clock (no accelerator to synchronise with)."""
    return _timeit.default_timer()


class Language(enum.Enum):
    """The language of a timed statement."""

    PYTHON = 0
    CPP = 1


def _trimmed(code: str) -> str:
    code = textwrap.dedent(code)
    return (code[1:] if code and code[0] == "\n" else code).rstrip()


class Timer:
    """Times `stmt` after running `setup`, in a namespace holding `globals` and the
    module itself (as both `ferrograd` and `torch`, so ported statements run).

    Args:
        stmt: the statement to time.
        setup: run once before timing.
        global_setup: C++ only; must be empty.
        timer: the clock.
        globals: the names `stmt` and `setup` see.
        label: the table's title in `Compare`.
        sub_label: the row's name in `Compare`.
        description: the column's name in `Compare`.
        env: the environment tag in `Compare`.
        num_threads: intra-op threads while timing.
        language: 'python' (C++ timing needs a compiler ferrograd does not drive).
    """

    _timer_cls: type = _timeit.Timer

    def __init__(self, stmt: str = "pass", setup: str = "pass", global_setup: str = "",
                 timer: Callable[[], float] = timer, globals: dict[str, Any] | None = None,
                 label: str | None = None, sub_label: str | None = None, description: str | None = None,
                 env: str | None = None, num_threads: int = 1, language: Language | str = Language.PYTHON) -> None:
        if not isinstance(stmt, str):
            raise ValueError("Currently only a `str` stmt is supported.")  # noqa: TRY004 (PyTorch's type)
        self._globals = dict(globals or {})
        if language in (Language.CPP, "cpp", "c++"):
            raise NotImplementedError("C++ timing is not supported by ferrograd; time a Python statement.")
        if language not in (Language.PYTHON, "py", "python"):
            raise ValueError(f"Invalid language `{language}`.")
        if global_setup:
            raise ValueError(f"global_setup is C++ only, got `{global_setup}`. Most likely this code can simply "
                             "be moved to `setup`.")
        self._globals.setdefault("torch", ferrograd)
        self._globals.setdefault("ferrograd", ferrograd)
        self._language = Language.PYTHON
        stmt, setup = _trimmed(stmt), _trimmed(setup)
        self._timer = self._timer_cls(stmt=stmt, setup=setup, timer=timer, globals=self._globals)
        self._task_spec = common.TaskSpec(stmt=stmt, setup=setup, global_setup=global_setup, label=label,
                                          sub_label=sub_label, description=description, env=env,
                                          num_threads=num_threads)

    def _timeit(self, number: int) -> float:
        # a zero time would break the ratios below
        return max(self._timer.timeit(number), 1e-9)

    def timeit(self, number: int = 1000000) -> common.Measurement:
        """One measurement of `number` runs (after a warm-up of `number // 100`).

        Args:
            number: the runs to time.
        """
        with common.set_torch_threads(self._task_spec.num_threads):
            self._timeit(number=max(int(number // 100), 2))
            return common.Measurement(number_per_run=number, raw_times=[self._timeit(number=number)],
                                      task_spec=self._task_spec)

    def repeat(self, repeat: int = -1, number: int = -1) -> None:
        """Not offered, as in PyTorch: see `blocked_autorange`.

        Args:
            repeat: unused.
            number: unused.
        """
        raise NotImplementedError("See `Timer.blocked_autorange.`")

    def autorange(self, callback: Callable[[int, float], NoReturn] | None = None) -> None:
        """Not offered, as in PyTorch: see `blocked_autorange`.

        Args:
            callback: unused.
        """
        raise NotImplementedError("See `Timer.blocked_autorange.`")

    def _measure_blocks(self, number: int, stop: Callable[[list[float]], bool], min_run_time: float,
                        max_run_time: float | None = None, callback=None) -> list[float]:
        """Times blocks of `number` runs until `min_run_time` has passed and `stop` agrees
        (or `max_run_time` has passed)."""
        total = 0.0
        can_stop = False
        times: list[float] = []
        with common.set_torch_threads(self._task_spec.num_threads):
            while total < min_run_time or not can_stop:
                spent = self._timeit(number)
                times.append(spent)
                total += spent
                if callback:
                    callback(number, spent)
                can_stop = stop(times)
                if max_run_time and total > max_run_time:
                    break
        return times

    def _estimate_block_size(self, min_run_time: float) -> int:
        """The smallest power of ten of runs whose time dwarfs the timer's own overhead
        (10^4 times) and is at least a thousandth of `min_run_time`."""
        with common.set_torch_threads(self._task_spec.num_threads):
            overhead = ferrograd.tensor([self._timeit(0) for _ in range(5)]).median().item()
            number = 1
            while True:
                taken = self._timeit(number)
                if overhead / taken <= 1e-4 and taken >= min_run_time / 1000:
                    break
                if taken > min_run_time or number * 10 > 2147483647:
                    break
                number *= 10
        return number

    def blocked_autorange(self, callback: Callable[[int, float], NoReturn] | None = None,
                          min_run_time: float = 0.2) -> common.Measurement:
        """Times blocks of runs (sized by `_estimate_block_size`) for at least
        `min_run_time` seconds.

        Args:
            callback: called as `callback(number, time)` after each block.
            min_run_time: seconds of timing at least.
        """
        number = self._estimate_block_size(min_run_time)
        times = self._measure_blocks(number, lambda times: True, min_run_time=min_run_time, callback=callback)
        return common.Measurement(number_per_run=number, raw_times=times, task_spec=self._task_spec)

    def adaptive_autorange(self, threshold: float = 0.1, *, min_run_time: float = 0.01,
                           max_run_time: float = 10.0,
                           callback: Callable[[int, float], NoReturn] | None = None) -> common.Measurement:
        """Times blocks of runs until the interquartile range is below `threshold` times
        the median (after more than 3 blocks and `min_run_time` seconds), or
        `max_run_time` seconds have passed.

        Args:
            threshold: the relative spread to reach.
            min_run_time: seconds of timing at least.
            max_run_time: seconds of timing at most.
            callback: called as `callback(number, time)` after each block.
        """
        number = self._estimate_block_size(min_run_time=0.05)

        def stop(times: list[float]) -> bool:
            return len(times) > 3 and common.Measurement(
                number_per_run=number, raw_times=times, task_spec=self._task_spec).meets_confidence(threshold)

        times = self._measure_blocks(number, stop, min_run_time, max_run_time, callback=callback)
        return common.Measurement(number_per_run=number, raw_times=times, task_spec=self._task_spec)

    def collect_callgrind(self, number: int = 100, *, repeats: int | None = None, collect_baseline: bool = True,
                          retain_out_file: bool = False) -> Any:
        """Instruction counts under Valgrind: not offered by ferrograd.

        Args:
            number: unused.
            repeats: unused.
            collect_baseline: unused.
            retain_out_file: unused.
        """
        raise NotImplementedError("collect_callgrind (Valgrind instruction counts) is not supported by ferrograd.")
