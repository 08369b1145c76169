"""`nonzero` lays its `(n, ndim)` result out column by column (strides `(1, n)`), as
PyTorch's kernel allocates it; the strides below were read from PyTorch 2.13."""

import ferrograd as fg


def test_index_matrix_is_column_major():
    x = fg.tensor([[1, 0, 2], [0, 3, 0]])
    nz = fg.nonzero(x)
    assert nz.tolist() == [[0, 0], [0, 2], [1, 1]]
    assert nz.stride() == (1, 3)
    assert not nz.is_contiguous()
    assert fg.argwhere(x).stride() == (1, 3)
    assert x.nonzero().stride() == (1, 3)


def test_vectors_scalars_and_empty_results():
    assert fg.tensor([1, 0, 2]).nonzero().stride() == (1, 2)
    assert fg.zeros(0, 3).nonzero().shape == (0, 2)
    assert fg.zeros(0, 3).nonzero().stride() == (1, 0)
    assert fg.tensor(5).nonzero().shape == (1, 0)
    assert fg.tensor(5).nonzero().stride() == (1, 1)
    assert fg.tensor(0).nonzero().stride() == (1, 0)


def test_as_tuple_columns_are_views_of_one_block():
    x = fg.tensor([[1, 0, 2], [0, 3, 0]])
    rows, cols = x.nonzero(as_tuple=True)
    assert rows.tolist() == [0, 0, 1] and cols.tolist() == [0, 2, 1]
    assert cols.stride() == (1,)
    assert cols.is_contiguous()
    assert cols.storage_offset() == 3


def test_nonzero_static_is_row_major():
    x = fg.tensor([[1, 0, 2], [0, 3, 0]])
    padded = fg.nonzero_static(x, size=5)
    assert padded.tolist() == [[0, 0], [0, 2], [1, 1], [-1, -1], [-1, -1]]
    assert padded.stride() == (2, 1)
    assert fg.nonzero_static(x, size=2).stride() == (2, 1)
