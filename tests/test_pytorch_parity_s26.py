"""Session 26 parity fixes in the core: the conjugate half of a real signal's
spectrum, where an empty slice starts, and complex results that are not views."""

from backend import fg


def test_real_fft_mirrors_the_conjugate_of_its_lower_half():
    # PyTorch transforms one-sided and mirrors: the upper bins carry conjugated zeros
    assert repr(fg.fft.fft(fg.ones(4))).endswith("tensor([4.+0.j, 0.+0.j, 0.+0.j, 0.-0.j])")
    full = fg.fft.fft(fg.arange(5.0))
    assert full[3].item() == full[2].item().conjugate()
    assert full[4].item() == full[1].item().conjugate()
    two = fg.fft.fft(fg.ones(2, 4), dim=0)
    assert str(two[1, 0].item()) == "0j"


def test_an_empty_slice_starts_where_pytorch_puts_it():
    x = fg.arange(10)
    assert x[10:].storage_offset() == 10
    assert x[7:3].storage_offset() == 7
    assert x.narrow(0, 5, 0).storage_offset() == 5
    assert [p.storage_offset() for p in x.split(5)] == [0, 5]
    assert x[10:].numel() == 0 and x[10:].tolist() == []


def test_complex_arithmetic_without_autograd_makes_no_view():
    w = fg.ones(3, dtype=fg.complex64) * 2
    assert not w._is_view() and w._base is None
    q = fg.ones(3, dtype=fg.complex64) / fg.full((3,), 2j)
    assert not q._is_view() and q._base is None
    z = fg.ones(3, dtype=fg.complex64, requires_grad=True)
    assert not (z / (z + 1))._is_view()
