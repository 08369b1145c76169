"""`spawn` / `start_processes`: run `fn(i, *args)` in `nprocs` processes, and on the
first failure stop the others and raise with the failed process's traceback, as PyTorch's.

Each child reports an exception by pickling its formatted traceback into a file of its
own (a one-shot message that cannot deadlock the way a queue can); a missing file means
the process died of a signal or an exit code instead.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import multiprocessing.connection
import os
import pickle
import signal
import sys
import tempfile
import time
import warnings
from concurrent.futures import ThreadPoolExecutor, as_completed

ENV_VAR_PARALLEL_START = "TORCH_MP_PARALLEL_START"

log = logging.getLogger(__name__)

__all__ = [
    "ProcessContext",
    "ProcessException",
    "ProcessExitedException",
    "ProcessRaisedException",
    "SpawnContext",
    "spawn",
    "start_processes",
]


class ProcessException(Exception):
    """A spawned process failed; `error_index` is its index, `error_pid` its pid."""

    __slots__ = ["error_index", "error_pid"]

    def __init__(self, msg: str, error_index: int, error_pid: int) -> None:
        super().__init__(msg)
        self.msg = msg
        self.error_index = error_index
        self.error_pid = error_pid

    def __reduce__(self):
        return type(self), (self.msg, self.error_index, self.error_pid)


class ProcessRaisedException(ProcessException):
    """A spawned process raised an exception; the message holds its traceback."""


class ProcessExitedException(ProcessException):
    """A spawned process died of a signal (`signal_name`) or exited with `exit_code`."""

    __slots__ = ["exit_code"]

    def __init__(self, msg: str, error_index: int, error_pid: int, exit_code: int,
                 signal_name: str | None = None) -> None:
        super().__init__(msg, error_index, error_pid)
        self.exit_code = exit_code
        self.signal_name = signal_name

    def __reduce__(self):
        return type(self), (self.msg, self.error_index, self.error_pid, self.exit_code, self.signal_name)


def _die_with_parent() -> None:
    """On Linux, asks for SIGINT when the parent dies, so no worker outlives it."""
    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        try:
            ctypes.CDLL(None).prctl(pr_set_pdeathsig, int(signal.SIGINT), 0, 0, 0)
        except (OSError, AttributeError):
            pass


def _wrap(fn, i: int, args: tuple, error_file: str) -> None:
    """The child's entry point: runs `fn(i, *args)`, writing any traceback to `error_file`."""
    _die_with_parent()
    try:
        fn(i, *args)
    except KeyboardInterrupt:
        pass  # the parent stopped us
    except Exception:  # noqa: BLE001 (any failure goes to the parent)
        import traceback

        with open(error_file, "wb") as fh:
            pickle.dump(traceback.format_exc(), fh)
        sys.exit(1)


class ProcessContext:
    """The processes `start_processes(..., join=False)` started, to join.

    Args:
        processes: the started processes, by index.
        error_files: the file each process writes its traceback to.
    """

    def __init__(self, processes, error_files) -> None:
        self.error_files = error_files
        self.processes = processes
        self.sentinels = {process.sentinel: index for index, process in enumerate(processes)}

    def pids(self) -> list[int]:
        """The processes' pids, by index."""
        return [int(process.pid) for process in self.processes]

    def _join_all_within(self, timeout: float) -> None:
        end = time.monotonic() + timeout
        for process in self.processes:
            process.join(max(0, end - time.monotonic()))

    def join(self, timeout: float | None = None, grace_period: float | None = None) -> bool:
        """Waits for a process to end; True once all ended well, False while some still run.
        When one failed, stops the others (SIGTERM, then SIGKILL) and raises
        ProcessRaisedException (it raised) or ProcessExitedException (signal, exit code).

        Args:
            timeout: seconds to wait; None waits for one to end.
            grace_period: seconds the others get to end by themselves after a failure.
        """
        if not self.sentinels:
            return True
        ready = multiprocessing.connection.wait(self.sentinels.keys(), timeout=timeout)
        failed = None
        for sentinel in ready:
            index = self.sentinels.pop(sentinel)
            self.processes[index].join()
            if self.processes[index].exitcode != 0:
                failed = index
                break
        if failed is None:
            return not self.sentinels
        self._stop_the_others(grace_period)
        raise self._failure(failed)

    def _stop_the_others(self, grace_period: float | None) -> None:
        if grace_period is not None:
            self._join_all_within(grace_period)
        for process in self.processes:
            if process.is_alive():
                log.warning("Terminating process %s via signal SIGTERM", process.pid)
                process.terminate()
        self._join_all_within(30 if grace_period is None else grace_period)
        for process in self.processes:
            if process.is_alive():
                log.warning("Unable to shutdown process %s via SIGTERM , forcefully exiting via SIGKILL",
                            process.pid)
                process.kill()
            process.join()

    def _failure(self, index: int) -> ProcessException:
        pid = self.processes[index].pid
        if not os.access(self.error_files[index], os.R_OK):
            code = self.processes[index].exitcode
            if code >= 0:
                return ProcessExitedException(f"process {index:d} terminated with exit code {code:d}",
                                              error_index=index, error_pid=pid, exit_code=code)
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"<Unknown signal {-code}>"
            return ProcessExitedException(f"process {index:d} terminated with signal {name}",
                                          error_index=index, error_pid=pid, exit_code=code, signal_name=name)
        with open(self.error_files[index], "rb") as fh:
            trace = pickle.load(fh)
        msg = f"\n\n-- Process {index:d} terminated with the following error:\n" + trace
        return ProcessRaisedException(msg, index, pid)


class SpawnContext(ProcessContext):
    """ProcessContext's old name (warns)."""

    def __init__(self, processes, error_files) -> None:
        warnings.warn("SpawnContext is renamed to ProcessContext since 1.4 release.", stacklevel=2)
        super().__init__(processes, error_files)


def start_processes(fn, args=(), nprocs: int = 1, join: bool = True, daemon: bool = False,
                    start_method: str = "spawn"):
    """Starts `nprocs` processes running `fn(i, *args)` by `start_method`; joins them
    (None) or returns their ProcessContext (`join=False`).

    Args:
        fn: a top-level (picklable) function.
        args: the arguments after the process index.
        nprocs: how many processes.
        join: wait for them all.
        daemon: the processes' daemon flag.
        start_method: 'spawn', 'fork' or 'forkserver'; 'forkserver' starts them in
            parallel when the environment variable TORCH_MP_PARALLEL_START is 1.
    """
    parallel = start_method == "forkserver" and os.environ.get(ENV_VAR_PARALLEL_START, "0") == "1"
    context = multiprocessing.get_context(start_method)

    def start(i: int):
        # a fresh name for the child's traceback; the file exists only if it raised
        tf = tempfile.NamedTemporaryFile(prefix="pytorch-errorfile-", suffix=".pickle", delete=False)  # noqa: SIM115
        tf.close()
        os.unlink(tf.name)
        process = context.Process(target=_wrap, args=(fn, i, args, tf.name), daemon=daemon)  # type: ignore[attr-defined]
        process.start()
        return i, process, tf.name

    processes: list = [None] * nprocs
    error_files: list = [None] * nprocs
    if parallel:
        log.info("Starting processes in parallel.")
        with ThreadPoolExecutor(max_workers=nprocs) as executor:
            started = [f.result() for f in as_completed([executor.submit(start, i) for i in range(nprocs)])]
    else:
        started = [start(i) for i in range(nprocs)]
    for i, process, name in started:
        processes[i], error_files[i] = process, name
    process_context = ProcessContext(processes, error_files)
    if not join:
        return process_context
    while not process_context.join():
        pass
    return None


def spawn(fn, args=(), nprocs: int = 1, join: bool = True, daemon: bool = False, start_method: str = "spawn"):
    """`start_processes` with the 'spawn' start method (another start method warns and is
    ignored).

    Args:
        fn: a top-level (picklable) function, called as `fn(i, *args)`.
        args: the arguments after the process index.
        nprocs: how many processes.
        join: wait for them all (else return their ProcessContext).
        daemon: the processes' daemon flag.
        start_method: deprecated; always 'spawn'.
    """
    if start_method != "spawn":
        warnings.warn(
            f"This method only supports start_method=spawn (got: {start_method}).\n"
            "To use a different start_method use:\n\t\t ferrograd.multiprocessing.start_processes(...)",
            FutureWarning,
            stacklevel=2,
        )
    return start_processes(fn, args, nprocs, join, daemon, start_method="spawn")
