"""Running a developer tool's child process under a hang timer (`opinfo_diff.py`,
`fuzz_api.py`): the child writes its progress to a file, and a child whose progress stops
changing is killed, so that the driver can record the call it hung in and go on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time


def run_watched(cmd, progress, read, hang_seconds, startup_seconds) -> int:
    """Runs `cmd`; kills it when `read(progress)` has not changed for `hang_seconds`
    (`startup_seconds` while it is still empty). Returns the return code (-9 if killed)."""
    proc = subprocess.Popen(cmd, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    last, since = None, time.time()
    while proc.poll() is None:
        time.sleep(0.5)
        cur = read(progress)
        if cur != last:
            last, since = cur, time.time()
        elif time.time() - since > (hang_seconds if cur else startup_seconds):
            proc.kill()
            proc.wait()
            break
    return proc.returncode


def last_progress(path):
    """The last line a child wrote to its progress file (None before its first)."""
    if not os.path.exists(path):
        return None
    with open(path, "rb") as f:
        f.seek(0, os.SEEK_END)
        f.seek(max(0, f.tell() - 4096))
        lines = f.read().decode(errors="replace").splitlines()
    return lines[-1] if lines else None


def run_library(script, module, directory, timeouts, numbered=False):
    """Runs `script --child` for `module` until its plan is done, a new child resuming
    after each call that crashed or hung (recorded in `module.jsonl` under its key, with
    its index too when `numbered`). `timeouts`: (hang, startup) seconds."""
    progress = os.path.join(directory, f"{module}.progress")
    out = os.path.join(directory, f"{module}.jsonl")
    if os.path.exists(out):
        os.remove(out)
    start = 0
    while True:
        cmd = [sys.executable, script, "--child", "--module", module, "--dir", directory,
               "--progress", progress, "--start", str(start)]
        if os.path.exists(progress):
            os.remove(progress)
        returncode = run_watched(cmd, progress, last_progress, *timeouts)
        cur = last_progress(progress)
        if cur == "DONE":
            return
        if cur is None:
            raise SystemExit(f"{module} child failed before its first call (rc={returncode})")
        i, key = cur.split("\t", 1)
        status = "hang" if returncode == -9 else "crash"
        record = {"i": int(i), "key": key} if numbered else {"key": key}
        with open(out, "a") as f:
            f.write(json.dumps({**record, "r": {status: returncode}}) + "\n")
        print(f"{module}: {status} (rc={returncode}) in {key}", flush=True)
        start = int(i) + 1

