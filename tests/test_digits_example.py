"""The digits example trains an MLP and a CNN to at least 95% test accuracy and writes its
loss curves as a PNG (scikit-learn and matplotlib are the examples extra, which the test
command installs)."""

import os
import re
import subprocess
import sys

from backend import MOD

EXAMPLE = os.path.join(os.path.dirname(__file__), "..", "examples", "digits.py")


def test_digits_example_reaches_95_percent_and_draws_its_curves(tmp_path):
    with open(EXAMPLE) as f:
        source = f.read()
    assert "import ferrograd as torch\n" in source
    script = tmp_path / "digits.py"
    # the same script with `import torch` runs on PyTorch (FG_TEST_BACKEND=torch)
    script.write_text(source.replace("import ferrograd as torch\n", f"import {MOD} as torch\n"))
    png = tmp_path / "loss.png"
    done = subprocess.run([sys.executable, str(script), "--epochs", "25", "--out", str(png)],
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    for name in ("mlp", "cnn"):
        epochs = re.findall(rf"^{name} epoch +(\d+)/25  loss ([0-9.]+)  test accuracy +([0-9.]+)%"
                            rf"  elapsed +([0-9.]+)s$", out, re.MULTILINE)
        assert len(epochs) == 25, out
        losses = [float(e[1]) for e in epochs]
        assert losses[-1] < losses[0] / 4  # it learns
        final = float(re.search(rf"^{name} final test accuracy ([0-9.]+)%$", out, re.MULTILINE).group(1))
        assert final >= 95.0, out
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
