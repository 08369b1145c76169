#!/usr/bin/env bash
# Builds the HTML API reference of the `ferrograd` package from its docstrings with pdoc.
#
#     ./scripts/docs.sh              # into target/docs/ (open target/docs/index.html)
#     ./scripts/docs.sh OUT_DIR      # somewhere else
#
# Uses the active virtual environment, or .venv as the other scripts do. pdoc imports the
# package, so the extension must be built: if `import ferrograd` fails, the script runs
# `maturin develop --release` first. It fails if a module cannot be imported, if pdoc
# warns about anything but the known annotation case below, or if a page is missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ -z "${VIRTUAL_ENV:-}" ]; then
    # shellcheck source=env.sh
    . scripts/env.sh
fi
OUT=${1:-target/docs}

python -c "import pdoc" 2>/dev/null ||
    python -m pip install -q --disable-pip-version-check "pdoc>=15,<16"
python -c "import ferrograd" 2>/dev/null || maturin develop --release -q

python - "$OUT" <<'PY'
import pathlib
import re
import shutil
import sys
import warnings

import pdoc
import pdoc.render

import ferrograd

out = pathlib.Path(sys.argv[1])
if out.exists():
    shutil.rmtree(out)
# Tensor has methods named `int`, `float` and `bool` (as torch.Tensor does); pdoc resolves
# the stub's annotations inside the class, where those names are the methods, so
# `int | None` cannot be evaluated and is shown as written. Nothing else is tolerated.
TOLERATED = re.compile(r"Error parsing type annotation .* for ferrograd\.Tensor\.\w+: unsupported operand")
pdoc.render.configure(
    docformat="markdown",
    footer_text=f"ferrograd {ferrograd.__version__}",
    search=True,
)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    # The package and every public submodule; `tour` runs the tour when imported.
    pdoc.pdoc("ferrograd", "!ferrograd.tour", output_directory=out)
problems = [str(w.message) for w in caught if not TOLERATED.search(str(w.message))]
expected = [
    "ferrograd.html", "ferrograd/nn.html", "ferrograd/nn/functional.html",
    "ferrograd/nn/init.html", "ferrograd/optim.html", "ferrograd/optim/lr_scheduler.html",
    "ferrograd/autograd.html", "ferrograd/autograd/functional.html", "ferrograd/linalg.html",
    "ferrograd/utils.html", "ferrograd/utils/data.html", "ferrograd/testing.html",
    "ferrograd/viz.html", "ferrograd/profiler.html", "ferrograd/autograd/profiler.html", "index.html",
]
problems += [f"pdoc wrote no {page}" for page in expected if not (out / page).is_file()]
if problems:
    print("\n".join(["API docs: pdoc reported problems:", *problems]), file=sys.stderr)
    sys.exit(1)
pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
print(f"API docs: {len(pages)} pages in {out}/ (open {out}/index.html)")
PY
