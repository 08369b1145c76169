"""Second derivatives of the LU factorizations (`linalg.lu`, `linalg.lu_factor`,
`linalg.lu_factor_ex`), checked numerically in float64 as PyTorch's gradgradcheck does."""

from backend import fg

A = [[4.0, 1.0, 0.5], [1.0, 3.0, -1.0], [0.25, -2.0, 5.0]]


def _matrix():
    return fg.tensor(A, dtype=fg.float64, requires_grad=True)


def test_lu_gradgradcheck():
    assert fg.autograd.gradgradcheck(lambda a: fg.linalg.lu(a)[1:], (_matrix(),))


def test_lu_factor_gradgradcheck():
    assert fg.autograd.gradgradcheck(lambda a: fg.linalg.lu_factor(a)[0], (_matrix(),))


def test_lu_factor_ex_gradcheck_and_gradgradcheck():
    assert fg.autograd.gradcheck(lambda a: fg.linalg.lu_factor_ex(a)[0], (_matrix(),))
    assert fg.autograd.gradgradcheck(lambda a: fg.linalg.lu_factor_ex(a)[0], (_matrix(),))


def test_batched_lu_gradgradcheck():
    a = fg.stack([fg.tensor(A, dtype=fg.float64), fg.tensor(A, dtype=fg.float64).mT * 2]).requires_grad_()
    assert fg.autograd.gradgradcheck(lambda x: fg.linalg.lu(x)[2], (a,))


def test_second_derivative_is_a_graph():
    a = _matrix()
    _, L, U = fg.linalg.lu(a)
    (g,) = fg.autograd.grad((L * U.mT).sum(), a, create_graph=True)
    assert g.requires_grad
    (h,) = fg.autograd.grad(g.pow(2).sum(), a)
    assert h.shape == (3, 3)


def test_gradcheck_is_a_function_after_gradgradcheck_loads():
    # A fresh interpreter: the first use of `gradgradcheck` loads the lazy submodule.
    import subprocess
    import sys

    from backend import MOD

    code = f"import {MOD} as m; m.autograd.gradgradcheck; assert callable(m.autograd.gradcheck)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
