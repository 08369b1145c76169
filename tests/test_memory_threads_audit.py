"""Crashes, deadlocks and leaks found by the memory/threads/bad-input audit.

Each risky scenario runs in a child interpreter with a timeout, so a regression (a
deadlock, an abort at exit, a segfault) fails its test instead of the test session.
"""

import re
import subprocess
import sys
import textwrap

import pytest
from backend import MOD, fg


def run_child(code: str, timeout: float = 30.0) -> subprocess.CompletedProcess:
    """Runs `code` in a fresh interpreter with the module under test as `fg`."""
    try:
        return subprocess.run(
            [sys.executable, "-c", f"import {MOD} as fg\n" + textwrap.dedent(code)],
            check=False, capture_output=True, text=True, timeout=timeout,
        )
    except subprocess.TimeoutExpired as e:
        raise AssertionError(f"the child hung for {timeout} s (deadlock?)") from e


def assert_clean_exit(done: subprocess.CompletedProcess) -> None:
    assert done.returncode == 0, (done.returncode, done.stderr[-3000:])
    assert "panicked" not in done.stderr, done.stderr[-3000:]


# -- threads --------------------------------------------------------------------------------


def test_reading_a_grad_while_other_threads_accumulate_into_it_does_not_deadlock():
    # `g * g` reads one storage twice; a backward accumulating into `g` on another thread
    # (both with the GIL released) once queued its write between the two reads.
    done = run_child("""
        import threading, time
        w = fg.ones(1 << 15, requires_grad=True)
        (w * 1.0).sum().backward()
        stop = time.monotonic() + 1.5
        def reader():
            while time.monotonic() < stop:
                g = w.grad
                g * g
        def writer():
            while time.monotonic() < stop:
                (w * 1.0).sum().backward()
        threads = [threading.Thread(target=f) for f in (reader, writer) * 3]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        print(w.grad[0].item() >= 2.0)
    """)
    assert_clean_exit(done)
    assert done.stdout.split() == ["True"]


# -- memory handed between libraries ----------------------------------------------------------


def test_numpy_array_over_a_from_numpy_tensor_freed_at_exit():
    # The array outlives the tensor and is collected while the interpreter shuts down;
    # handing the borrowed buffer back then used to abort the process.
    done = run_child("""
        import numpy as np
        t = fg.from_numpy(np.arange(3.0))
        a = np.from_dlpack(t)
        del t
        print(a.tolist())
    """)
    assert_clean_exit(done)
    assert done.stdout.split("\n")[0] == "[0.0, 1.0, 2.0]"


def test_numpy_array_over_a_from_dlpack_tensor_freed_at_exit():
    done = run_child("""
        import numpy as np
        t = fg.from_dlpack(np.arange(4.0))
        a = np.from_dlpack(t)
        del t
        print(a.sum())
    """)
    assert_clean_exit(done)
    assert done.stdout.strip() == "6.0"


# -- sizes and strides whose storage extent overflows ---------------------------------------


OVERFLOWING_VIEWS = [
    # (sizes, strides, storage offset): the byte extent leaves the int64 range
    ((9,), (2**61,), 0),  # wrapped to a small extent and read far outside the storage
    ((5,), (2**62,), 0),
    ((2,), (2**61,), 0),
    ((2, 2), (2**61, 2**61), 0),
    ((2,), (1,), 2**61),
]


def test_as_strided_past_the_int64_byte_range_raises_pytorchs_error():
    done = run_child(f"""
        x = fg.arange(4.0)
        for size, stride, offset in {OVERFLOWING_VIEWS!r}:
            try:
                x.as_strided(size, stride, offset).tolist()
                print("accepted", size, stride)
            except RuntimeError as e:
                print(e)
    """)
    assert_clean_exit(done)
    lines = done.stdout.strip().split("\n")
    expected = [f"Storage size calculation overflowed with sizes={list(s)} and strides={list(st)}"
                for s, st, _ in OVERFLOWING_VIEWS]
    assert lines == expected


def test_as_strided_within_the_storage_still_works():
    x = fg.arange(4.0)
    assert x.as_strided((2, 2), (1, 2)).tolist() == [[0.0, 2.0], [1.0, 3.0]]
    # a size-1 dim may carry any stride; an empty view reaches nothing
    assert x.as_strided((1,), (2**63 - 1,), 3).tolist() == [3.0]
    assert x.as_strided((0, 5), (2**62, 2**62)).shape == (0, 5)


def test_empty_strided_with_an_overflowing_extent_raises_runtime_error():
    for size, stride in [((5,), (2**62,)), ((2, 2), (2**61, 2**61)), ((3,), (-1,))]:
        with pytest.raises(RuntimeError, match=r"Storage size calculation overflowed with sizes="
                           + rf"\[{size[0]}.*\] and strides=\[{stride[0]}"):
            fg.empty_strided(size, stride)


# -- integer edge values --------------------------------------------------------------------

INT64_MIN = -(2**63)


def test_floor_division_of_int64_min_by_minus_one_wraps_as_in_pytorch():
    a = fg.tensor([INT64_MIN, 7, -7])
    b = fg.tensor([-1, 2, 2])
    assert (a // b).tolist() == [INT64_MIN, 3, -4]
    assert a.div(b, rounding_mode="floor").tolist() == [INT64_MIN, 3, -4]
    assert fg.tensor([INT64_MIN]).floor_divide_(-1).tolist() == [INT64_MIN]


def test_bincount_of_huge_values_raises_before_numpy_corrupts_the_heap():
    # NumPy's bincount writes outside its buffer when max + 1 overflows int64; the
    # child frees memory afterwards so a corrupted heap aborts it.
    done = run_child("""
        import gc
        for v in (2**63 - 1, 2**62, 2**61):
            try:
                fg.bincount(fg.tensor([v]))
                print("accepted", v)
            except RuntimeError as e:
                print(e)
        gc.collect()
        junk = [fg.ones(100) for _ in range(2000)]
        print(fg.bincount(fg.tensor([1, 3, 3])).tolist())
    """)
    assert_clean_exit(done)
    assert done.stdout.strip().split("\n") == [
        "maximum value of input overflowed, it should be < 9223372036854775807 but got 9223372036854775807",
        "Storage size calculation overflowed with sizes=[4611686018427387905]",
        "Storage size calculation overflowed with sizes=[2305843009213693953]",
        "[0, 1, 0, 2]",
    ]


# -- arguments that are not lists -------------------------------------------------------------


class EndlessInts:
    """An iterable that never ends: consuming it as a size list would never return."""

    def __iter__(self):
        while True:
            yield 1


def test_size_arguments_refuse_iterables_that_are_not_tuples_or_lists():
    x = fg.arange(4.0)
    calls = {
        "as_strided": (lambda s: x.as_strided(s, (1, 1)), "argument 'size'"),
        "empty_strided": (lambda s: fg.empty_strided(s, (1, 1)), "argument 'size' (position 1)"),
        "pad": (lambda s: fg.nn.functional.pad(x, s), "argument 'pad' (position 2)"),
    }
    for name, (call, where) in calls.items():
        for value in (EndlessInts(), (i for i in (2, 2)), range(2, 4)):
            with pytest.raises(TypeError, match=rf"{name}\(\): {re.escape(where)}.* must be tuple of ints, not "
                               + type(value).__name__):
                call(value)
    # tuples, lists and Size still work
    assert x.as_strided([2, 2], (1, 2)).shape == (2, 2)
    assert fg.empty_strided(fg.Size([2, 2]), [2, 1]).shape == (2, 2)
    assert fg.nn.functional.pad(x, [1, 1]).tolist() == [0.0, 0.0, 1.0, 2.0, 3.0, 0.0]
