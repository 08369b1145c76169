"""The type stub of the native module and a typical user program under `mypy --strict`.

`python/ferrograd/_core.pyi` must match the built `ferrograd._core` (stubtest, with the
entries in tests/typing/stubtest_allowlist.txt), and a user program written against the
public API must type-check strictly. Both need mypy, which the test install line provides;
without it these tests fail rather than skip.
"""

import importlib.util
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TYPING = os.path.join(HERE, "typing")
ALLOWLIST = os.path.join(TYPING, "stubtest_allowlist.txt")
SAMPLE = os.path.join(TYPING, "sample_user_program.py")
TIMEOUT_S = 60


def _run_mypy(args: list[str], cache_dir: str) -> subprocess.CompletedProcess:
    if importlib.util.find_spec("mypy") is None:
        pytest.fail("mypy is not installed: the typing tests need it (pip install mypy)")
    env = dict(os.environ)
    # Check the package as a user gets it (the installed ferrograd with its py.typed),
    # not against whatever a caller's MYPYPATH points at.
    env.pop("MYPYPATH", None)
    env["MYPY_CACHE_DIR"] = cache_dir
    # stubtest writes .mypy_cache into its working directory whatever the settings say:
    # run both from the temporary directory so the checkout stays clean.
    return subprocess.run(
        [sys.executable, "-m", *args],
        check=False,
        cwd=cache_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
    )


def _report(proc: subprocess.CompletedProcess) -> str:
    return f"exit code {proc.returncode}\n{proc.stdout}\n{proc.stderr}"


def test_stub_matches_native_module(tmp_path):
    proc = _run_mypy(
        ["mypy.stubtest", "ferrograd._core", "--allowlist", ALLOWLIST], str(tmp_path)
    )
    assert proc.returncode == 0, _report(proc)


def test_sample_user_program_passes_mypy_strict(tmp_path):
    proc = _run_mypy(
        ["mypy", "--strict", "--cache-dir", str(tmp_path), SAMPLE], str(tmp_path)
    )
    assert proc.returncode == 0, _report(proc)


def test_sample_user_program_runs():
    proc = subprocess.run(
        [sys.executable, SAMPLE],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
    )
    assert proc.returncode == 0, _report(proc)
    assert "final loss" in proc.stdout
