"""`import ferrograd` leaves the heavy subpackages for first use (PEP 562), and every way
of reaching them still works. Each check runs in a fresh interpreter, where nothing has
imported them yet. ferrograd's own import behaviour, so it runs ferrograd under either
test backend.
"""

import subprocess
import sys

import pytest

LAZY = ("ferrograd.nn", "ferrograd.optim", "ferrograd.linalg", "ferrograd.utils", "ferrograd.testing",
        "ferrograd.viz", "ferrograd.autograd", "ferrograd._serialization", "ferrograd._einsum",
        "ferrograd.quasirandom", "ferrograd._sobol_engine", "ferrograd._sobol_directions")


def run(code: str) -> str:
    proc = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def test_import_loads_no_heavy_submodule_or_stdlib_module():
    out = run(
        "import sys, numpy\n"
        "before = set(sys.modules)\n"
        "import ferrograd\n"
        f"print(sorted(m for m in sys.modules if m in {LAZY!r}))\n"
        "print(sorted(m for m in ('dataclasses', 'json', 'copy') if m not in before and m in sys.modules))"
    )
    assert out.splitlines() == ["[]", "[]"]


def test_import_and_arithmetic_leave_numpy_unloaded():
    out = run(
        "import sys\n"
        "import ferrograd as fg, ferrograd.nn, ferrograd.optim, ferrograd.autograd, ferrograd.utils.data\n"
        "print('numpy' in sys.modules)\n"
        "x = fg.ones(2, 2, requires_grad=True)\n"
        "out = ((x + 2) * (x + 2) * 3).mean()\n"
        "out.backward()\n"
        "print('numpy' in sys.modules, x.grad[0, 0].item())\n"
        "a, b = fg.tensor([[1, 2]]), fg.tensor(0.5, requires_grad=True)\n"
        "print(a.dtype, b.dtype, 'numpy' in sys.modules)\n"
        "print(fg.zeros(1).numpy().dtype, 'numpy' in sys.modules)"
    )
    assert out.splitlines() == ["False", "False 4.5", "ferrograd.int64 ferrograd.float32 False", "float32 True"]


@pytest.mark.parametrize("code", [
    "import ferrograd as fg; print(fg.nn.Linear(2, 3).weight.shape)",
    "from ferrograd import nn; print(nn.Linear(2, 3).weight.shape)",
    "import ferrograd.nn; print(ferrograd.nn.Linear(2, 3).weight.shape)",
    "from ferrograd.nn import Linear; print(Linear(2, 3).weight.shape)",
])
def test_every_way_of_reaching_nn_works(code):
    assert run(code) == "ferrograd.Size([3, 2])"


def test_lazy_functions_and_autograd_submodules_load_on_use():
    out = run(
        "import ferrograd as fg\n"
        "a = fg.ones(2, 2)\n"
        "print(fg.einsum('ij,jk->ik', a, a).tolist(), fg.det(a).item())\n"
        "print(callable(fg.autograd.gradcheck), callable(fg.autograd.functional.jacobian))\n"
        "print(fg.get_printoptions()['precision'])"
    )
    assert out.splitlines() == ["[[2.0, 2.0], [2.0, 2.0]] 0.0", "True True", "4"]


def test_dir_lists_lazy_names_and_unknown_names_raise():
    out = run(
        "import ferrograd as fg\n"
        "names = dir(fg)\n"
        "print(all(n in names for n in ('nn', 'optim', 'linalg', 'einsum', 'save', 'tensor')))\n"
        "try:\n"
        "    fg.no_such_name\n"
        "except AttributeError as e:\n"
        "    print(e)"
    )
    assert out.splitlines() == ["True", "module 'ferrograd' has no attribute 'no_such_name'"]


def test_a_pickled_module_loads_in_a_fresh_interpreter(tmp_path):
    path = tmp_path / "linear.pt"
    run(f"import ferrograd as fg; fg.manual_seed(0); fg.save(fg.nn.Linear(2, 1), {str(path)!r})")
    out = run(
        "import ferrograd as fg\n"
        f"m = fg.load({str(path)!r}, weights_only=False)\n"
        "print(type(m).__name__, tuple(m.weight.shape))"
    )
    assert out == "Linear (1, 2)"
