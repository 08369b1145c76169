"""Session 23 differences from PyTorch (CPU) found by `tools/fuzz_api.py` in the
namespaces other than Tensor. Expected types and messages are PyTorch's; the file also
runs against PyTorch (`FG_TEST_BACKEND=torch`)."""

import re

import pytest
from backend import fg

X = [[0.5, -1.0, 2.0], [3.0, 0.0, -2.5]]


def raises(kind, fragment):
    return pytest.raises(kind, match=re.escape(fragment))


# ---- adaptive pooling: no bool, and no None, for output_size ---------------------------


@pytest.mark.parametrize("name", ["adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_avg_pool3d",
                                  "adaptive_max_pool1d", "adaptive_max_pool2d", "adaptive_max_pool3d"])
def test_adaptive_pool_refuses_a_bool_output_size(name):
    with raises(TypeError, f"{name}(): argument 'output_size' (position 2) must be tuple of ints, not bool"):
        getattr(fg.nn.functional, name)(fg.tensor(X), True)


@pytest.mark.parametrize("name", ["adaptive_avg_pool2d", "adaptive_max_pool3d"])
def test_adaptive_pool_refuses_a_none_output_size(name):
    with raises(TypeError, "object of type 'NoneType' has no len()"):
        getattr(fg.nn.functional, name)(fg.tensor(X), None)


def test_adaptive_pool_takes_a_bool_inside_a_list():
    out = fg.nn.functional.adaptive_max_pool2d(fg.tensor([X]), [2, True])
    assert tuple(out.shape) == (1, 2, 1)
    assert out.flatten().tolist() == [2.0, 3.0]


# ---- fft: no bool for n, s or dim; a 0-dim int tensor is a dim --------------------------


@pytest.mark.parametrize(("name", "args", "kwargs", "message"), [
    ("fft", (True,), {}, "fft_fft(): argument 'n' (position 2) must be int, not bool"),
    ("irfft", (2, True), {}, "fft_irfft(): argument 'dim' (position 3) must be int, not bool"),
    ("hfft", (), {"n": True}, "fft_hfft(): argument 'n' must be int, not bool"),
    ("irfftn", (True,), {}, "fft_irfftn(): argument 's' (position 2) must be tuple of ints, not bool"),
    ("fft2", (None, [True]), {},
     "fft_fft2(): argument 'dim' (position 3) must be tuple of ints, but found element of type bool at pos 0"),
    ("fftshift", (True,), {}, "fft_fftshift(): argument 'dim' (position 2) must be tuple of ints, not bool"),
    ("ifftshift", (), {"dim": True}, "fft_ifftshift(): argument 'dim' must be tuple of ints, not bool"),
])
def test_fft_refuses_bool_sizes_and_dims(name, args, kwargs, message):
    with raises(TypeError, message):
        getattr(fg.fft, name)(fg.tensor(X), *args, **kwargs)


def test_fftshift_takes_a_0dim_int_tensor_dim():
    assert fg.fft.fftshift(fg.tensor(X), fg.tensor(1)).tolist() == [[2.0, 0.5, -1.0], [-2.5, 3.0, 0.0]]
    with raises(IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got 2)"):
        fg.fft.ifftshift(fg.tensor(X), fg.tensor(2))


@pytest.mark.parametrize("name", ["irfft2", "hfft2", "irfftn", "hfftn"])
def test_c2r_transforms_refuse_an_empty_dim(name):
    with raises(RuntimeError, "Invalid number of data points (0) specified"):
        getattr(fg.fft, name)(fg.zeros(0, 3))


# ---- linalg: keyword-only N of vander, no None for the old positional tolerances -------


def test_linalg_vander_takes_n_by_keyword_only():
    with raises(TypeError, "vander() takes 1 positional argument but 2 were given"):
        fg.linalg.vander(fg.tensor([1.0, 2.0]), 3)
    assert fg.linalg.vander(fg.tensor([1.0, 2.0]), N=3).tolist() == [[1.0, 1.0, 1.0], [1.0, 2.0, 4.0]]


@pytest.mark.parametrize("name", ["pinv", "matrix_rank"])
def test_linalg_refuses_a_none_positional_tolerance(name):
    with raises(TypeError, f"linalg_{name}() received an invalid combination of arguments - got (Tensor, NoneType"):
        getattr(fg.linalg, name)(fg.tensor(X), None)


def test_pinv_with_one_tolerance_per_matrix():
    a = fg.tensor(X)
    # atol 0.5 keeps both singular values (4.34..., 2.27...), atol 3.0 only the largest
    out = fg.linalg.pinv(a, atol=fg.tensor([0.5, 3.0]))
    assert tuple(out.shape) == (2, 3, 2)
    assert [round(v, 4) for v in out[0].flatten().tolist()] == [0.2673, 0.2581, -0.2249, -0.0516, 0.3207, -0.0903]
    assert [round(v, 4) for v in out[1].flatten().tolist()] == [-0.0498, 0.1581, -0.0055, 0.0175, 0.0549, -0.1741]


def test_pinv_with_a_tolerance_tensor_broadcasts_its_shape():
    out = fg.linalg.pinv(fg.tensor(X), fg.tensor([[1, 0, 1], [0, 1, 0]]))
    assert tuple(out.shape) == (2, 3, 3, 2)
    assert out[0, 1].allclose(fg.linalg.pinv(fg.tensor(X)), atol=1e-6)


def test_hermitian_pinv_with_one_tolerance_per_matrix():
    h = fg.tensor([[2.0, 1.0], [1.0, -3.0]])
    out = fg.linalg.pinv(h, atol=fg.tensor([0.5, 2.5]), hermitian=True)
    assert [round(v, 4) for v in out[1].flatten().tolist()] == [-0.0112, 0.0582, 0.0582, -0.302]
