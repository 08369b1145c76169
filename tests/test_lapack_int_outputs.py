"""LAPACK's `info` and `pivots` outputs are int32, as in PyTorch."""

from backend import fg

A = [[4.0, 1.0], [1.0, 3.0]]


def _dtypes(result):
    return [t.dtype for t in result]


def test_lu_factor_outputs():
    a = fg.tensor(A, dtype=fg.float64)
    assert _dtypes(fg.linalg.lu_factor(a)) == [fg.float64, fg.int32]
    lu, pivots, info = fg.linalg.lu_factor_ex(a)
    assert _dtypes((lu, pivots, info)) == [fg.float64, fg.int32, fg.int32]
    assert pivots.tolist() == [1, 2]
    assert info.shape == ()
    assert info.item() == 0


def test_ex_functions_return_int32_info():
    a = fg.tensor(A, dtype=fg.float64)
    assert _dtypes(fg.linalg.inv_ex(a)) == [fg.float64, fg.int32]
    assert _dtypes(fg.linalg.cholesky_ex(a)) == [fg.float64, fg.int32]
    assert _dtypes(fg.linalg.solve_ex(a, a)) == [fg.float64, fg.int32]
    assert _dtypes(fg.linalg.lu(a)) == [fg.float64] * 3


def test_batched_info_reports_singular_matrices():
    info = fg.linalg.inv_ex(fg.zeros(2, 2, 2)).info
    assert info.dtype == fg.int32
    assert info.tolist() == [1, 1]
    _lu, pivots, info = fg.linalg.lu_factor_ex(fg.zeros(3, 2, 2))
    assert pivots.dtype == fg.int32
    assert pivots.shape == (3, 2)
    assert info.tolist() == [1, 1, 1]


def test_cholesky_info_is_the_failing_order():
    info = fg.linalg.cholesky_ex(fg.tensor([[1.0, 2.0], [2.0, 1.0]])).info
    assert info.dtype == fg.int32
    assert info.item() == 2
