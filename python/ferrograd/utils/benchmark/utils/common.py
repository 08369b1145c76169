"""`TaskSpec` (what was timed) and `Measurement` (the times and their statistics, printed
as PyTorch's), with the unit and significant-figure helpers `Compare` shares."""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import textwrap
from collections.abc import Iterable, Iterator
from typing import Any

import ferrograd

__all__ = ["Measurement", "TaskSpec", "ordered_unique", "select_unit", "set_torch_threads", "trim_sigfig",
           "unit_to_english"]

_MAX_SIGNIFICANT_FIGURES = 4
_MIN_CONFIDENCE_INTERVAL = 25e-9  # 25 ns: no finer resolution is claimed
_IQR_WARN_THRESHOLD = 0.1
_IQR_GROSS_WARN_THRESHOLD = 0.25


@dataclasses.dataclass(init=True, repr=False, eq=True, frozen=True)
class TaskSpec:
    """What a measurement timed: the statement, its setup and the labels `Compare` sorts by.

    Args:
        stmt: the timed statement.
        setup: the code run before timing.
        global_setup: C++ only (empty).
        label: the table's title in `Compare`.
        sub_label: the row's name in `Compare`.
        description: the column's name in `Compare`.
        env: the environment tag in `Compare`.
        num_threads: the intra-op threads used.
    """

    stmt: str
    setup: str
    global_setup: str = ""
    label: str | None = None
    sub_label: str | None = None
    description: str | None = None
    env: str | None = None
    num_threads: int = 1

    @property
    def title(self) -> str:
        """The label (or the statement), with the sub-label."""
        sub = f": {self.sub_label}" if self.sub_label else ""
        if self.label is not None:
            return self.label + sub
        if "\n" not in self.stmt:
            return self.stmt + sub
        return f"stmt:{f' ({self.sub_label})' if self.sub_label else ''}\n{textwrap.indent(self.stmt, '  ')}"

    def setup_str(self) -> str:
        """The setup as the summary prints it ('' for none)."""
        if self.setup == "pass" or not self.setup:
            return ""
        if "\n" in self.setup:
            return f"setup:\n{textwrap.indent(self.setup, '  ')}"
        return f"setup: {self.setup}"

    def summarize(self) -> str:
        """Title, description and setup, one section a line (a multi-line one is followed
        by a blank line)."""
        sections = [self.title, self.description or "", self.setup_str()]
        return "\n".join(f"{s}\n" if "\n" in s else s for s in sections if s)


_TASKSPEC_FIELDS = tuple(f.name for f in dataclasses.fields(TaskSpec))


def _quantile(ordered: list[float], q: float) -> float:
    """The `q` quantile of sorted values, interpolating linearly between neighbours."""
    position = q * (len(ordered) - 1)
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


@dataclasses.dataclass(init=True, repr=False)
class Measurement:
    """The times of one timed statement: `raw_times[i]` is the time of `number_per_run`
    runs; `times`, `median`, `mean` and `iqr` are per run. The task spec's fields
    (`stmt`, `label`, `num_threads`, ...) read through.

    Args:
        number_per_run: the runs each raw time covers.
        raw_times: seconds, one per block of runs.
        task_spec: what was timed.
        metadata: anything to keep with it.
    """

    number_per_run: int
    raw_times: list[float]
    task_spec: TaskSpec
    metadata: dict[Any, Any] | None = None

    def __post_init__(self) -> None:
        self._sorted_times: tuple[float, ...] = ()
        self._warnings: tuple[str, ...] = ()
        self._median = self._mean = self._p25 = self._p75 = -1.0

    def __getattr__(self, name: str) -> Any:
        if name in _TASKSPEC_FIELDS:
            return getattr(self.task_spec, name)
        return super().__getattribute__(name)

    @property
    def times(self) -> list[float]:
        """The time of one run, per measurement."""
        return [t / self.number_per_run for t in self.raw_times]

    @property
    def median(self) -> float:
        """The median time of one run."""
        self._lazy_init()
        return self._median

    @property
    def mean(self) -> float:
        """The mean time of one run."""
        self._lazy_init()
        return self._mean

    @property
    def iqr(self) -> float:
        """The interquartile range of the time of one run."""
        self._lazy_init()
        return self._p75 - self._p25

    @property
    def significant_figures(self) -> int:
        """How many figures of the median the spread of the middle half of the times
        supports (a 90% confidence interval), from 1 to 4."""
        self._lazy_init()
        n = len(self._sorted_times)
        middle = self._sorted_times[n // 4:int(ferrograd.tensor(3 * n / 4).ceil())]
        std = ferrograd.tensor(middle).std(unbiased=False).item()
        sqrt_n = ferrograd.tensor(len(middle)).sqrt().item()
        interval = max(1.645 * std / sqrt_n, _MIN_CONFIDENCE_INTERVAL)
        figures = int(ferrograd.tensor(self._median / interval).log10().floor())
        return min(max(figures, 1), _MAX_SIGNIFICANT_FIGURES)

    @property
    def has_warnings(self) -> bool:
        """Whether the spread of the times is large enough to warn about."""
        self._lazy_init()
        return bool(self._warnings)

    def _lazy_init(self) -> None:
        if not self.raw_times or self._sorted_times:
            return
        self._sorted_times = tuple(sorted(self.times))
        ordered = list(self._sorted_times)
        self._median = _quantile(ordered, 0.5)
        self._mean = sum(ordered) / len(ordered)
        self._p25 = _quantile(ordered, 0.25)
        self._p75 = _quantile(ordered, 0.75)
        if not self.meets_confidence(_IQR_GROSS_WARN_THRESHOLD):
            why = "This suggests significant environmental influence."
        elif not self.meets_confidence(_IQR_WARN_THRESHOLD):
            why = "This could indicate system fluctuation."
        else:
            return
        relative = self.iqr / self.median * 100
        warning = f"  WARNING: Interquartile range is {relative:.1f}% of the median measurement.\n           {why}"
        self._warnings += (warning,)

    def meets_confidence(self, threshold: float = _IQR_WARN_THRESHOLD) -> bool:
        """Whether the interquartile range is below `threshold` times the median.

        Args:
            threshold: the largest relative spread accepted.
        """
        return self.iqr / self.median < threshold

    @property
    def title(self) -> str:
        """The task spec's title."""
        return self.task_spec.title

    @property
    def env(self) -> str | None:
        """The task spec's env."""
        return self.task_spec.env

    @property
    def as_row_name(self) -> str:
        """The name of the measurement's row in a `Compare` table."""
        return self.sub_label or self.stmt or "[Unknown]"

    def __repr__(self) -> str:
        self._lazy_init()
        n = len(self._sorted_times)
        unit, scale = select_unit(self._median)
        lines = [
            object.__repr__(self),
            self.task_spec.summarize(),
            f"  {'Median: ' if n > 1 else ''}{self._median / scale:.2f} {unit}",
        ]
        if n >= 4:
            lines.append(f"  IQR:    {self.iqr / scale:.2f} {unit} ({self._p25 / scale:.2f} to {self._p75 / scale:.2f})")
        lines.append(f"  {n} measurement{'s' if n > 1 else ''}, {self.number_per_run} runs "
                     f"{'per measurement,' if n > 1 else ','} {self.num_threads} thread{'s' if self.num_threads > 1 else ''}")
        lines.append("\n".join(self._warnings))
        return "\n".join(lines).strip()

    @staticmethod
    def merge(measurements: Iterable[Measurement]) -> list[Measurement]:
        """One measurement (of one run per time) per task spec, pooling their times.

        Args:
            measurements: the measurements to pool.
        """
        grouped: dict[TaskSpec, list[float]] = collections.defaultdict(list)
        for m in measurements:
            grouped[m.task_spec].extend(m.times)
        return [Measurement(number_per_run=1, raw_times=times, task_spec=spec) for spec, times in grouped.items()]


def select_unit(t: float) -> tuple[str, float]:
    """The unit ('ns', 'us', 'ms' or 's') to print a time `t` in seconds, and its scale.

    Args:
        t: a time in seconds.
    """
    unit = {-3: "ns", -2: "us", -1: "ms"}.get(int(ferrograd.tensor(t).log10().item() // 3), "s")
    return unit, {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1}[unit]


def unit_to_english(u: str) -> str:
    """The unit's name: 'us' is 'microsecond'.

    Args:
        u: 'ns', 'us', 'ms' or 's'.
    """
    return {"ns": "nanosecond", "us": "microsecond", "ms": "millisecond", "s": "second"}[u]


def trim_sigfig(x: float, n: int) -> float:
    """`x` rounded to `n` significant figures.

    Args:
        x: a number.
        n: the number of significant figures.
    """
    if n != int(n):
        raise AssertionError("Number of significant figures must be an integer")
    magnitude = int(ferrograd.tensor(x).abs().log10().ceil().item())
    scale = 10 ** (magnitude - n)
    return float(ferrograd.tensor(x / scale).round() * scale)


def ordered_unique(elements: Iterable[Any]) -> list[Any]:
    """The distinct `elements`, in the order they first appear.

    Args:
        elements: hashable values.
    """
    return list(dict.fromkeys(elements))


@contextlib.contextmanager
def set_torch_threads(n: int) -> Iterator[None]:
    """Runs its block with `n` intra-op threads, then restores the count.

    Args:
        n: the number of threads.
    """
    prior = ferrograd.get_num_threads()
    try:
        ferrograd.set_num_threads(n)
        yield
    finally:
        ferrograd.set_num_threads(prior)
