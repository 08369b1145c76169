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
