"""Running a developer tool's child process under a hang timer (`opinfo_diff.py`,
`fuzz_api.py`): the child writes its progress to a file, and a child whose progress stops
changing is killed, so that the driver can record the call it hung in and go on."""

from __future__ import annotations

import os
import subprocess
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
