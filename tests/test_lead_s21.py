"""Lead's session-21 fixes, each checked against PyTorch's behaviour (run with
FG_TEST_BACKEND=torch to see the expectations hold there)."""

from backend import fg


def test_data_ptr_of_a_storage_with_no_bytes_is_zero():
    assert fg.empty(0).data_ptr() == 0
    assert fg.empty(0).untyped_storage().data_ptr() == 0
    assert fg.zeros(0, 3, dtype=fg.float64).data_ptr() == 0


def test_data_ptr_of_an_empty_view_is_zero_but_its_storage_keeps_its_address():
    base = fg.ones(4)
    for empty in (base[4:], base[2:2], base.view(2, 2)[:, 1:1]):
        assert empty.numel() == 0
        assert empty.data_ptr() == 0
        assert empty.untyped_storage().data_ptr() == base.data_ptr()
    assert base[3:].data_ptr() == base.data_ptr() + 3 * base.element_size()


def test_floor_division_of_complex_names_pytorch_kernel():
    import pytest

    z = fg.ones(2, dtype=fg.complex64)
    calls = (
        lambda: fg.floor_divide(z, 2),
        lambda: z // 2,
        lambda: z // z,
        lambda: z.floor_divide_(2),
        lambda: fg.div(z, 2, rounding_mode="floor"),
        lambda: fg.div(z, z, rounding_mode="floor"),
    )
    for call in calls:
        with pytest.raises(NotImplementedError, match="\"div_floor_cpu\" not implemented for 'ComplexFloat'"):
            call()


def test_ndtri_at_one_half_is_zero_and_accurate_near_it():
    p = fg.tensor([0.5, 0.4999, 0.5001], dtype=fg.float64)
    q = fg.special.ndtri(p).tolist()
    assert q[0] == 0.0
    # Φ⁻¹(0.5 ± 1e-4) = ±2.50662830088e-4 (√(2π)·1e-4 to first order)
    assert abs(q[1] / -2.5066283008800751e-4 - 1) < 1e-12
    assert abs(q[2] / 2.5066283008800751e-4 - 1) < 1e-12


def test_float32_erfc_rounds_once_among_the_denormals():
    # erfc(10) = 2.088e-45: the nearest float32 is the smallest denormal, 1.4013e-45
    assert fg.erfc(fg.tensor([10.0])).item() == 1.401298464324817e-45


def test_complex_cholesky_factor_has_a_real_diagonal():
    fg.manual_seed(0)
    a = fg.randn(2, 3, 3, dtype=fg.complex128)
    a = a @ a.mT.conj() + fg.eye(3)
    diagonal = fg.linalg.cholesky(a).diagonal(dim1=-2, dim2=-1)
    assert (diagonal.imag == 0).all()
    assert (diagonal.real > 0).all()
