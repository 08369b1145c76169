"""Lazy conjugation and negation as PyTorch 2.13 does them: `x.conj()` of a complex
tensor and `torch._neg_view(x)` are views sharing `x`'s memory with the conjugate or
negative bit set. Reads see the conjugated/negated values, writes through the view land
conjugated/negated in `x`, and views of such a view keep the bit.

Expected values and texts were printed by PyTorch 2.13 (CPU); where a test compares an op
on a conjugate view with the same op on the eager conjugate (`conj_physical`), the
eager conjugate is the oracle."""

import ferrograd as torch
import numpy as np
import pytest


def values(t):
    return t.detach().resolve_conj().resolve_neg().numpy()


def make():
    x = torch.tensor([1 + 2j, 3 - 4j], dtype=torch.complex64)
    return x, x.conj()


def test_conj_is_a_view_with_the_conjugate_bit():
    x, y = make()
    assert y.is_conj() and torch.is_conj(y) and not x.is_conj()
    assert y._base is x
    assert y.data_ptr() == x.data_ptr()
    assert y.stride() == (1,)
    assert y.grad_fn is None
    np.testing.assert_array_equal(values(y), [1 - 2j, 3 + 4j])
    assert repr(y) == "tensor([1.-2.j, 3.+4.j])"
    assert not y.is_neg()


def test_conj_of_a_real_tensor_is_the_tensor_itself():
    r = torch.ones(2)
    assert r.conj() is r and not r.conj().is_conj()


def test_conj_of_a_conjugate_view_clears_the_bit_and_views_the_base():
    x, y = make()
    z = y.conj()
    assert not z.is_conj()
    assert z._base is x and z.data_ptr() == x.data_ptr()
    np.testing.assert_array_equal(values(z), values(x))


def test_views_of_a_conjugate_view_keep_the_bit():
    x, y = make()
    assert y[0:1].is_conj() and y[0].is_conj() and y[0:1]._base is x
    assert y.view(2, 1).is_conj() and y.reshape(2, 1).is_conj()
    assert y[1].item() == 3 + 4j
    m = torch.tensor([[1 + 1j, 2 + 2j], [3 + 3j, 4 + 4j]])
    mc = m.conj()
    assert mc.T.is_conj() and mc.T._base is m
    np.testing.assert_array_equal(values(mc.T), [[1 - 1j, 3 - 3j], [2 - 2j, 4 - 4j]])
    # a reshape no view can express copies the values
    flat = mc.T.reshape(4)
    assert not flat.is_conj() and flat._base is None
    np.testing.assert_array_equal(values(flat), [1 - 1j, 3 - 3j, 2 - 2j, 4 - 4j])
    parts = y.unbind(0)
    assert all(p.is_conj() for p in parts)
    assert y.detach().is_conj()


def test_adjoint_and_mH_are_conjugate_views():
    m = torch.tensor([[1 + 1j, 2 + 2j], [3 + 3j, 4 + 4j]])
    for v in (m.mH, m.adjoint(), m.H):
        assert v.is_conj() and v._base is m
        np.testing.assert_array_equal(values(v), [[1 - 1j, 3 - 3j], [2 - 2j, 4 - 4j]])
    assert not m.conj().H.is_conj()


def test_resolve_conj_materializes_and_conj_physical_is_eager():
    x, y = make()
    r = y.resolve_conj()
    assert not r.is_conj() and r._base is None and r.data_ptr() != x.data_ptr()
    np.testing.assert_array_equal(r.numpy(), [1 - 2j, 3 + 4j])
    assert x.resolve_conj() is x
    p = y.conj_physical()
    assert not p.is_conj()
    np.testing.assert_array_equal(p.numpy(), [1 + 2j, 3 - 4j])


def test_memory_sharing_refusals_name_resolve_conj():
    _, y = make()
    with pytest.raises(RuntimeError) as e:
        torch.view_as_real(y)
    assert str(e.value) == (
        "view_as_real doesn't work on unresolved conjugated tensors.  To resolve the conjugate tensor so you can "
        "view it as real, use self.resolve_conj(); however, be warned that the resulting tensor will NOT alias the "
        "original."
    )
    with pytest.raises(RuntimeError, match=r"^Can't call numpy\(\) on Tensor that has conjugate bit set. "
                       r"Use tensor.resolve_conj\(\).numpy\(\) instead.$"):
        y.numpy()
    with pytest.raises(RuntimeError, match=r"^Can't call numpy\(\) on Tensor that has negative bit set. "
                       r"Use tensor.resolve_neg\(\).numpy\(\) instead.$"):
        torch._neg_view(torch.tensor([1.0])).numpy()
    np.testing.assert_array_equal(y.numpy(force=True), [1 - 2j, 3 + 4j])
    with pytest.raises(BufferError, match="^Can't export tensors with the conjugate bit set$"):
        y.__dlpack__()
    assert y.tolist() == [(1 - 2j), (3 + 4j)]


def test_real_and_imag_of_a_conjugate_view():
    x, y = make()
    re, im = y.real, y.imag
    assert not re.is_neg() and re._base is x
    np.testing.assert_array_equal(values(re), [1, 3])
    assert im.is_neg() and not im.is_conj() and im._base is x
    np.testing.assert_array_equal(values(im), [-2, 4])
    assert repr(im) == "tensor([-2.,  4.])"


def test_neg_view():
    r = torch.tensor([1.0, -2.0])
    n = torch._neg_view(r)
    assert n.is_neg() and n._base is r and n.data_ptr() == r.data_ptr()
    assert repr(n) == "tensor([-1.,  2.])"
    assert not torch._neg_view(n).is_neg()
    assert r.resolve_neg() is r
    resolved = n.resolve_neg()
    assert not resolved.is_neg()
    np.testing.assert_array_equal(resolved.numpy(), [-1, 2])
    z = torch._neg_view(torch.tensor([1 + 2j, 3 - 4j]))
    assert z.is_neg()
    np.testing.assert_array_equal(values(z), [-1 - 2j, -3 + 4j])
    assert type(torch._neg_view(r.clone().requires_grad_()).grad_fn).__name__ == "NegViewBackward0"
    n.add_(1)  # stores -(values + 1)
    np.testing.assert_array_equal(r.numpy(), [0, -3])


def test_clone_contiguous_detach_and_to():
    _, y = make()
    c = y.clone()
    assert not c.is_conj()
    np.testing.assert_array_equal(c.numpy(), [1 - 2j, 3 + 4j])
    assert y.contiguous() is y and y.contiguous().is_conj()
    mc = torch.tensor([[1 + 1j, 2 + 2j], [3 + 3j, 4 + 4j]]).conj()
    assert not mc.T.contiguous().is_conj()
    np.testing.assert_array_equal(mc.T.contiguous().numpy(), [[1 - 1j, 3 - 3j], [2 - 2j, 4 - 4j]])
    assert y.to(torch.complex64) is y
    wide = y.to(torch.complex128)
    assert not wide.is_conj() and wide.dtype == torch.complex128
    np.testing.assert_array_equal(wide.numpy(), [1 - 2j, 3 + 4j])
    assert not torch.zeros_like(y).is_conj() and not (y * 1).is_conj()


def test_writes_through_a_conjugate_view_land_conjugated():
    x = torch.tensor([1 + 2j, 3 - 4j])
    y = x.conj()
    y[0] = 1 + 1j
    np.testing.assert_array_equal(x.numpy(), [1 - 1j, 3 - 4j])
    y.add_(1j)
    np.testing.assert_array_equal(x.numpy(), [1 - 2j, 3 - 5j])
    y.mul_(2)
    np.testing.assert_array_equal(x.numpy(), [2 - 4j, 6 - 10j])
    y.copy_(torch.tensor([5 + 6j, 7 + 8j]))
    np.testing.assert_array_equal(x.numpy(), [5 - 6j, 7 - 8j])
    y.fill_(1 + 1j)
    np.testing.assert_array_equal(x.numpy(), [1 - 1j, 1 - 1j])
    y.zero_()
    np.testing.assert_array_equal(x.numpy(), [0, 0])
    assert y._version == x._version == 6


def test_writes_through_the_imaginary_parts_of_a_conjugate_view():
    x = torch.tensor([1 + 2j, 3 - 4j])
    y = x.conj()
    y.imag[0] = 10.0
    np.testing.assert_array_equal(x.numpy(), [1 - 10j, 3 - 4j])
    y.imag.add_(1)
    np.testing.assert_array_equal(x.numpy(), [1 - 11j, 3 - 5j])


def test_more_writes_into_a_conjugate_view():
    x = torch.tensor([1 + 2j, 3 - 4j])
    y = x.conj()
    torch.add(torch.tensor([1j, 1j]), 0, out=y)
    np.testing.assert_array_equal(x.numpy(), [-1j, -1j])
    assert y.is_conj()
    x = torch.tensor([1 + 2j, 3 - 4j])
    x.conj().conj_physical_()
    np.testing.assert_array_equal(x.numpy(), [1 - 2j, 3 + 4j])
    x = torch.tensor([1 + 2j, 3 - 4j])
    x.conj().sin_()
    np.testing.assert_allclose(x.numpy(), np.conj(np.sin([1 - 2j, 3 + 4j])), rtol=1e-6)
    x = torch.tensor([1 + 2j, 3 - 4j])
    x.conj()[torch.tensor([1])] = 9 + 9j
    np.testing.assert_array_equal(x.numpy(), [1 + 2j, 9 - 9j])


def test_a_conjugate_view_as_the_other_operand_of_an_in_place_op():
    x = torch.tensor([1 + 2j, 3 - 4j])
    a = torch.tensor([1 + 1j, 2 + 2j])
    a.add_(x.conj())
    np.testing.assert_array_equal(a.numpy(), [2 - 1j, 5 + 6j])
    x.mul_(x.conj())  # |x|^2
    np.testing.assert_array_equal(x.numpy(), [5, 25])


def test_conj_records_conj_backward():
    x = torch.tensor([1 + 2j, 3 - 4j], requires_grad=True)
    y = torch.conj(x)
    assert type(y.grad_fn).__name__ == "ConjBackward0"
    assert type(y.grad_fn.next_functions[0][0]).__name__ == "AccumulateGrad"
    assert type(y.sum().grad_fn.next_functions[0][0]).__name__ == "ConjBackward0"
    assert type(y.resolve_conj().grad_fn).__name__ == "CloneBackward0"
    w = torch.tensor([2 + 1j, 1 - 3j])
    (y * w).real.sum().backward()
    np.testing.assert_allclose(values(x.grad), [2 + 1j, 1 - 3j])
    x.grad = None
    (y * w).abs().sum().backward()
    np.testing.assert_allclose(values(x.grad), [1 + 2j, 1.8974 - 2.5298j], atol=1e-4)


def test_gradients_through_writes_into_a_conjugate_view():
    w = torch.tensor([2 + 1j, 1 - 3j])
    x = torch.tensor([1 + 2j, 3 - 4j], requires_grad=True)
    b = x.clone()
    b.conj()[0] = torch.tensor(2 + 2j)
    (b * w).real.sum().backward()
    np.testing.assert_allclose(values(x.grad), [0, 1 + 3j])
    x.grad = None
    z = torch.tensor([1 + 1j, 2 - 1j], requires_grad=True)
    b = x.clone()
    b.conj().mul_(z)
    (b * w).real.sum().backward()
    np.testing.assert_allclose(values(x.grad), [3 + 1j, 5 + 5j])
    np.testing.assert_allclose(values(z.grad), [5j, -9 - 13j])


def test_gradcheck_through_a_conjugate_view():
    x = torch.tensor([1 + 2j, 3 - 4j], dtype=torch.complex128, requires_grad=True)
    w = torch.tensor([2 + 1j, 1 - 3j], dtype=torch.complex128)
    assert torch.autograd.gradcheck(lambda t: (t.conj() * w).sum().abs(), (x,))
    assert torch.autograd.gradcheck(lambda t: t.conj().imag * 2, (x,))


_M = torch.tensor([[1 + 2j, -1 + 0.5j], [0.25 - 3j, 2 + 1j]], dtype=torch.complex128)
_V = torch.tensor([1 - 1j, 2 + 0.5j], dtype=torch.complex128)

_READS = {
    "add": lambda a: a + _M,
    "mul_number": lambda a: a * (2 - 1j),
    "div": lambda a: _M / a,
    "exp": torch.exp,
    "sqrt": torch.sqrt,
    "abs": torch.abs,
    "angle": torch.angle,
    "sum": lambda a: a.sum(0),
    "mean": torch.mean,
    "prod": torch.prod,
    "matmul": lambda a: a @ _M,
    "rmatmul": lambda a: _M @ a,
    "mv": lambda a: a @ _V,
    "vdot": lambda a: torch.vdot(a[0], _V),
    "dot": lambda a: torch.dot(a[1], _V),
    "cat": lambda a: torch.cat([a, _M]),
    "stack": lambda a: torch.stack([a, _M]),
    "where": lambda a: torch.where(torch.tensor([[True, False], [False, True]]), a, _M),
    "eq": lambda a: a == _M.conj_physical(),
    "isclose": lambda a: torch.isclose(a, _M),
    "index": lambda a: a[torch.tensor([1, 0])],
    "gather": lambda a: torch.gather(a, 1, torch.tensor([[1, 0], [0, 0]])),
    "inv": torch.linalg.inv,
    "det": torch.linalg.det,
    "fft": torch.fft.fft,
    "flip": lambda a: torch.flip(a, [0]),
    "masked_fill": lambda a: a.masked_fill(torch.eye(2, dtype=torch.bool), 7j),
    "view_as_real_copy": torch.view_as_real_copy,
    "to_c64": lambda a: a.to(torch.complex64),
    "real_of_product": lambda a: (a * a).real,
    "transpose_sum": lambda a: a.T.sum(1),
}


@pytest.mark.parametrize("name", sorted(_READS))
def test_ops_read_the_conjugated_values(name):
    op = _READS[name]
    lazy = op(_M.conj())
    eager = op(_M.conj_physical())
    np.testing.assert_allclose(values(lazy), values(eager), rtol=1e-12)


def test_printing_and_item_read_conjugated_values():
    m = torch.tensor([[1 + 1j, 2 + 2j]]).conj()
    assert repr(m) == "tensor([[1.-1.j, 2.-2.j]])"
    assert m[0, 1].item() == 2 - 2j


def test_pickle_and_save_keep_the_lazy_bits():
    import io
    import pickle

    _, y = make()
    z = pickle.loads(pickle.dumps(y))
    assert z.is_conj()
    np.testing.assert_array_equal(values(z), [1 - 2j, 3 + 4j])
    buf = io.BytesIO()
    torch.save(y, buf)
    buf.seek(0)
    w = torch.load(buf)
    assert w.is_conj()
    np.testing.assert_array_equal(values(w), [1 - 2j, 3 + 4j])
    n = pickle.loads(pickle.dumps(torch._neg_view(torch.tensor([1.0, -2.0]))))
    assert n.is_neg()
    np.testing.assert_array_equal(values(n), [-1, 2])


def test_random_fills_write_their_samples_through_a_conjugate_view():
    # PyTorch draws the view's values: its memory gets their conjugates
    torch.manual_seed(0)
    x = torch.zeros(3, dtype=torch.complex64)
    x.conj().normal_()
    np.testing.assert_allclose(
        x.numpy(), [1.0896488 + 0.20748557j, -1.5406368 - 0.4019416j, -0.7668731 + 0.98895627j], rtol=1e-6
    )
    torch.manual_seed(0)
    x = torch.zeros(3, dtype=torch.complex64)
    x.conj().uniform_()
    np.testing.assert_allclose(x.numpy(), [0.4963 - 0.7682j, 0.0885 - 0.1320j, 0.3074 - 0.6341j], atol=1e-4)
