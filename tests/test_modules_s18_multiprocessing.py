"""`ferrograd.multiprocessing`: Python's multiprocessing re-exported, the sharing-strategy
settings, and `spawn` / `start_processes` of 2 processes passing tensors through a queue,
with PyTorch's exceptions for a worker that raises or exits (PyTorch 2.13's behaviour; the
file also runs with FG_TEST_BACKEND=torch)."""

import importlib
import multiprocessing
import pickle
import sys

import pytest
from backend import MOD, fg

mp = importlib.import_module(f"{MOD}.multiprocessing")


def send_scaled(i, queue, done, t):
    queue.put((i, t * (i + 1)))
    done.wait()  # PyTorch shares the storage: the sender must outlive the read


def raise_in_second(i):
    if i == 1:
        raise ValueError("boom")


def exit_with_3(i):
    sys.exit(3)


def test_spawn_two_processes_that_send_tensors_through_a_queue():
    ctx = mp.get_context("spawn")
    queue, done = ctx.Queue(), ctx.Event()
    workers = mp.spawn(send_scaled, args=(queue, done, fg.tensor([1.0, 2.0])), nprocs=2, join=False)
    assert isinstance(workers, mp.ProcessContext) and len(set(workers.pids())) == 2
    got = sorted((queue.get(timeout=120) for _ in range(2)), key=lambda item: item[0])
    done.set()
    while not workers.join():
        pass
    assert [i for i, _ in got] == [0, 1]
    assert all(isinstance(t, fg.Tensor) for _, t in got)
    assert [t.tolist() for _, t in got] == [[1.0, 2.0], [2.0, 4.0]]
    assert workers.join() is True  # joining again is harmless


def test_a_raising_worker_is_reported_with_its_traceback():
    with pytest.raises(mp.ProcessRaisedException) as info:
        mp.spawn(raise_in_second, nprocs=2)
    lines = str(info.value).splitlines()
    assert lines[:3] == ["", "", "-- Process 1 terminated with the following error:"]
    assert lines[3] == "Traceback (most recent call last):" and lines[-1] == "ValueError: boom"
    assert info.value.error_index == 1 and isinstance(info.value.error_pid, int)


def test_an_exiting_worker_is_reported_with_its_exit_code():
    with pytest.raises(mp.ProcessExitedException, match="^process 0 terminated with exit code 3$") as info:
        mp.start_processes(exit_with_3, nprocs=1, start_method="fork")
    assert info.value.exit_code == 3 and info.value.signal_name is None


def test_spawn_warns_about_another_start_method():
    with pytest.warns(FutureWarning, match="^This method only supports start_method=spawn \\(got: fork\\)"):
        mp.spawn(raise_in_second, nprocs=1, start_method="fork")


def test_process_exceptions_pickle():
    e = pickle.loads(pickle.dumps(mp.ProcessExitedException("m", 1, 2, 3, "SIGKILL")))
    assert (e.msg, e.error_index, e.error_pid, e.exit_code, e.signal_name) == ("m", 1, 2, 3, "SIGKILL")
    base = importlib.import_module(f"{MOD}.multiprocessing.spawn").ProcessException
    assert issubclass(mp.ProcessRaisedException, base) and issubclass(mp.ProcessExitedException, base)


def test_sharing_strategies():
    assert mp.get_sharing_strategy() == "file_descriptor"
    assert mp.get_all_sharing_strategies() == {"file_descriptor", "file_system"}
    mp.set_sharing_strategy("file_system")
    try:
        assert mp.get_sharing_strategy() == "file_system"
    finally:
        mp.set_sharing_strategy("file_descriptor")
    with pytest.raises(AssertionError, match="^invalid sharing strategy 'x', expected one of "):
        mp.set_sharing_strategy("x")


def test_pythons_multiprocessing_is_reexported():
    assert mp.Process is multiprocessing.Process and mp.cpu_count() == multiprocessing.cpu_count()
    assert mp.__all__[:3] == ["set_sharing_strategy", "get_sharing_strategy", "get_all_sharing_strategies"]
    assert set(multiprocessing.__all__) <= set(mp.__all__)
