"""The meta device: tensors with shape, dtype and strides and no data. Expected values,
texts and errors are PyTorch's (torch 2.x with `torch.` written `ferrograd.`)."""

import copy
import pickle
import warnings
import zipfile

import ferrograd as fg
import pytest
from ferrograd import nn

N = 10**6


def meta(*size, **kwargs):
    return fg.empty(*size, device="meta", **kwargs)


def _late(name, *args):
    """`fg.<name>(*args)`, looked up after the arguments are made: the first meta tensor a
    process makes wraps the top-level functions (see `_meta`)."""
    return getattr(fg, name)(*args)


def described(t):
    return repr(t), t.stride(), t.is_contiguous()


# ---------------------------------------------------------------------- creation


def test_empty_on_meta_has_shape_dtype_strides_and_device():
    t = meta(3, 4)
    assert t.device == fg.device("meta")
    assert str(t.device) == "meta"
    assert t.is_meta and not t.is_cpu
    assert t.shape == (3, 4) and t.stride() == (4, 1) and t.dtype is fg.float32
    assert t.get_device() == -1
    assert t.element_size() == 4


@pytest.mark.parametrize(("make", "text"), [
    (lambda: meta(3, 4), "tensor(..., device='meta', size=(3, 4))"),
    (lambda: meta(3, dtype=fg.int64), "tensor(..., device='meta', size=(3,), dtype=ferrograd.int64)"),
    (lambda: meta(3, requires_grad=True), "tensor(..., device='meta', size=(3,), requires_grad=True)"),
    (lambda: meta(()), "tensor(..., device='meta', size=())"),
    (lambda: meta(0, 3), "tensor(..., device='meta', size=(0, 3))"),
    (lambda: meta(2, dtype=fg.complex64), "tensor(..., device='meta', size=(2,), dtype=ferrograd.complex64)"),
    (lambda: meta(2, dtype=fg.bool), "tensor(..., device='meta', size=(2,), dtype=ferrograd.bool)"),
    (lambda: meta(3, requires_grad=True) * 2, "tensor(..., device='meta', size=(3,), grad_fn=<MulBackward0>)"),
    (lambda: meta(2, dtype=fg.float64, requires_grad=True) * 2,
     "tensor(..., device='meta', size=(2,), dtype=ferrograd.float64,\n       grad_fn=<MulBackward0>)"),
])
def test_repr(make, text):
    t = make()
    assert repr(t) == text
    assert str(t) == text
    assert f"{t}" == text


@pytest.mark.parametrize(("make", "shape", "dtype"), [
    (lambda: fg.zeros(2, 3, device="meta"), (2, 3), fg.float32),
    (lambda: fg.ones(2, device="meta", dtype=fg.float64), (2,), fg.float64),
    (lambda: fg.full((2,), 3, device="meta"), (2,), fg.int64),
    (lambda: fg.full((2,), True, device="meta"), (2,), fg.bool),
    (lambda: fg.rand(2, 2, device="meta"), (2, 2), fg.float32),
    (lambda: fg.randn(4, device=fg.device("meta")), (4,), fg.float32),
    (lambda: fg.randint(0, 5, (2, 3), device="meta"), (2, 3), fg.int64),
    (lambda: fg.arange(10, device="meta"), (10,), fg.int64),
    (lambda: fg.linspace(0, 1, 5, device="meta"), (5,), fg.float32),
    (lambda: fg.eye(3, device="meta"), (3, 3), fg.float32),
    (lambda: fg.tensor([1, 2], device="meta"), (2,), fg.int64),
    (lambda: fg.zeros_like(fg.ones(3), device="meta"), (3,), fg.float32),
    (lambda: fg.empty(2, device="meta:0"), (2,), fg.float32),
    (lambda: fg.full((N, N), 7, device="meta"), (N, N), fg.int64),
    (lambda: fg.randint(0, 4, (N, N), device="meta"), (N, N), fg.int64),
])
def test_factories_on_meta(make, shape, dtype):
    t = make()
    assert t.is_meta and t.shape == shape and t.dtype is dtype


@pytest.mark.parametrize(("make", "shape", "dtype"), [
    (lambda: fg.arange(10**12, device="meta"), (10**12,), fg.int64),
    (lambda: fg.arange(0, 10**12, 3, device="meta"), (333333333334,), fg.int64),
    (lambda: fg.arange(0.5, 10**12, 0.5, device="meta"), (1999999999999,), fg.float32),
    (lambda: fg.arange(5, 0, -2, device="meta"), (3,), fg.int64),
    (lambda: fg.arange(start=2, end=10**9, device="meta", dtype=fg.float64), (999999998,), fg.float64),
    (lambda: fg.linspace(0, 1, 10**12, device="meta"), (10**12,), fg.float32),
    (lambda: fg.logspace(0, 1, 10**7, device="meta", dtype=fg.float64), (10**7,), fg.float64),
])
def test_large_ranges(make, shape, dtype):
    t = make()
    assert (t.is_meta, t.shape, t.dtype, t.stride()) == (True, shape, dtype, (1,))


def test_range_checks_stay():
    with pytest.raises(RuntimeError, match="^step must be nonzero$"):
        fg.arange(0, 10, 0, device="meta")
    with pytest.raises(RuntimeError, match="^upper bound and lower bound inconsistent with step sign$"):
        fg.arange(10, 0, device="meta")


def test_factory_checks_stay():
    with pytest.raises(RuntimeError, match=r"^Trying to create tensor with negative dimension -1: \[-1\]$"):
        fg.empty(-1, device="meta")
    with pytest.raises(RuntimeError, match="Only Tensors of floating point and complex dtype can require gradients"):
        fg.zeros(2, device="meta", dtype=fg.int64, requires_grad=True)


def test_empty_strided_keeps_strides():
    assert fg.empty_strided((N, N), (1, N), device="meta").stride() == (1, N)
    assert fg.empty_strided((2, 3), (1, 2), device="meta").stride() == (1, 2)


def test_to_meta_keeps_dense_strides():
    assert fg.ones(3, 4).t().to("meta").stride() == (1, 4)
    assert fg.ones(4)[::2].to("meta").stride() == (1,)
    assert fg.ones(4).expand(3, 4).to("meta").stride() == (4, 1)
    t = fg.ones(2, requires_grad=True).to("meta")
    assert repr(t) == "tensor(..., device='meta', size=(2,), grad_fn=<ToCopyBackward0>)"
    assert fg.ones(5).to(meta(2)).is_meta


def test_meta_to_meta_and_dtype():
    t = meta(3, 4)
    assert t.to("meta") is t
    assert repr(t.to(fg.float64)) == "tensor(..., device='meta', size=(3, 4), dtype=ferrograd.float64)"
    assert t.to(device="meta", dtype=fg.float16).dtype is fg.float16
    assert t.half().dtype is fg.float16
    assert meta(3, dtype=fg.int64).float().dtype is fg.float32


# ---------------------------------------------------------------------- default device


def test_device_block_and_default_device():
    with fg.device("meta"):
        assert fg.get_default_device() == fg.device("meta")
        assert fg.zeros(2).is_meta
        assert not fg.ones(2, device="cpu").is_meta
    assert fg.get_default_device() == fg.device("cpu")
    fg.set_default_device("meta")
    try:
        assert fg.zeros(2, 3).is_meta
        assert fg.get_default_device() == fg.device("meta")
        assert fg.tensor([1.0, 2.0]).is_meta
    finally:
        fg.set_default_device("cpu")
    assert not fg.zeros(2).is_meta


# ---------------------------------------------------------------------- ops


def test_ops_give_meta_results_with_strides():
    t = meta(3, 4)
    assert described(t.t().contiguous()) == ("tensor(..., device='meta', size=(4, 3))", (3, 1), True)
    assert (t.t() + 1).stride() == (1, 4)
    assert repr(t.sum()) == "tensor(..., device='meta', size=())"
    assert repr(t == 1) == "tensor(..., device='meta', size=(3, 4), dtype=ferrograd.bool)"
    assert repr(t.sum(dtype=fg.int32)) == "tensor(..., device='meta', size=(), dtype=ferrograd.int32)"
    values, indices = t.max(0)
    assert repr(values) == "tensor(..., device='meta', size=(4,))"
    assert repr(indices) == "tensor(..., device='meta', size=(4,), dtype=ferrograd.int64)"
    assert repr(t + fg.ones(())) == "tensor(..., device='meta', size=(3, 4))"
    assert t.new_empty(2).is_meta and t.new_zeros(2, 3).shape == (2, 3)
    assert t.new_tensor([1, 2]).shape == (2,)
    assert not t.new_zeros(2, device="cpu").is_meta
    assert fg.zeros_like(t).is_meta
    out = nn.functional.conv2d(meta(1, 3, 8, 8), meta(4, 3, 3, 3))
    assert out.is_meta and out.shape == (1, 4, 6, 6)


def test_indexing_with_cpu_indices():
    t = meta(2, 5)
    assert t[fg.tensor([0, 1, 1])].shape == (3, 5)
    assert t.index_select(0, fg.tensor([1])).shape == (1, 5)
    assert t[fg.ones(2, dtype=fg.bool)].shape == (2, 5)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: meta(2, 3) * meta(4, 5),
     (r"^Attempting to broadcast a dimension of length 5 at -1! Mismatching argument at index 1 had "
     r"ferrograd.Size\(\[4, 5\]\); but expected shape should be broadcastable to \[2, 3\]$")),
    (lambda: meta(2, 3) @ meta(4, 5), r"^a and b must have same reduction dim, but got \[2, 3\] X \[4, 5\].$"),
    (lambda: fg.mm(meta(2, 3), meta(4, 5)), r"^a and b must have same reduction dim, but got \[2, 3\] X \[4, 5\].$"),
    (lambda: meta(3) @ meta(4), (r"^inconsistent tensor size, expected tensor \[3\] and src \[4\] to have thesame "
     r"number of elements, but got 3 and 4 elements respectively$")),
    (lambda: meta(2, 3).view(4, 2), r"^shape '\[4, 2\]' is invalid for input of size 6$"),
    (lambda: meta(2, 3).t().view(6), (r"^view size is not compatible with input tensor's size and stride \(at least "
     r"one dimension spans across two contiguous subspaces\). Use .reshape\(...\) instead.$")),
])
def test_shape_errors(call, message):
    with pytest.raises(RuntimeError, match=message):
        call()


def test_shape_error_index():
    with pytest.raises(IndexError, match=r"Dimension out of range \(expected to be in range of \[-2, 1\], but got 5\)"):
        meta(2, 3).sum(5)


# ---------------------------------------------------------------------- no values


@pytest.mark.parametrize(("call", "kind", "message"), [
    (lambda: meta(3, 4).item(), RuntimeError, "a Tensor with 12 elements cannot be converted to Scalar"),
    (lambda: meta(1).item(), RuntimeError, r"Tensor.item\(\) cannot be called on meta tensors"),
    (lambda: meta(3, 4).sum().item(), RuntimeError, r"Tensor.item\(\) cannot be called on meta tensors"),
    (lambda: float(meta(())), RuntimeError, r"Tensor.item\(\) cannot be called on meta tensors"),
    (lambda: int(meta(3, 4)), ValueError, "only one element tensors can be converted to Python scalars"),
    (lambda: bool(meta(3, 4)), RuntimeError, "Boolean value of Tensor with more than one value is ambiguous"),
    (lambda: bool(meta(1)), RuntimeError, r"Tensor.item\(\) cannot be called on meta tensors"),
    (lambda: meta(2).tolist(), NotImplementedError, "Cannot copy out of meta tensor; no data!"),
    (lambda: meta(2).cpu(), NotImplementedError, "Cannot copy out of meta tensor; no data!"),
    (lambda: meta(2).to("cpu"), NotImplementedError, "Cannot copy out of meta tensor; no data!"),
    (lambda: meta(2).to(fg.ones(1, dtype=fg.float64)), NotImplementedError, "Cannot copy out of meta tensor"),
    (lambda: meta(2).numpy(), TypeError, "can't convert meta device type tensor to numpy. Use Tensor.cpu"),
    (lambda: meta(2).__array__(), TypeError, "can't convert meta device type tensor to numpy"),
    (lambda: meta(2).nonzero(), NotImplementedError, r"The register_meta function for torch.nonzero\(\) raises"),
    (lambda: meta(2)[meta(2) > 0], NotImplementedError, r"The register_meta function for torch.nonzero\(\)"),
    (lambda: _late("where", meta(2) > 0), NotImplementedError, r"The register_meta function for torch.nonzero\(\)"),
    (lambda: meta(2).unique(), NotImplementedError, "^aten::_unique2: attempted to run this operator with Meta"),
    (lambda: meta(2).masked_select(meta(2) > 0), NotImplementedError, "^aten::masked_select: attempted"),
    (lambda: _late("equal", meta(2), meta(2)), NotImplementedError, "^aten::equal: attempted"),
    (lambda: _late("allclose", meta(2), meta(2)), RuntimeError, r"Tensor.item\(\) cannot be called on meta tensors"),
    (lambda: meta(2, 3).to_sparse(), NotImplementedError, "^aten::_to_sparse: attempted"),
])
def test_value_ops_raise(call, kind, message):
    with pytest.raises(kind, match=message):
        call()


def test_no_data_pointer():
    assert meta(3).data_ptr() == 0


# ---------------------------------------------------------------------- devices mixed


@pytest.mark.parametrize(("call", "message"), [
    (lambda: meta(3, 4) + fg.ones(3, 4), "Tensor on device cpu is not on the expected device meta!"),
    (lambda: fg.ones(3, 4) + meta(3, 4), "Tensor on device meta is not on the expected device cpu!"),
    (lambda: fg.ones(3, 4) * meta(3, 4), "Tensor on device meta is not on the expected device cpu!"),
    (lambda: fg.add(fg.ones(3, 4), meta(3, 4)), "Tensor on device meta is not on the expected device cpu!"),
    (lambda: fg.cat([meta(3, 4), fg.ones(3, 4)]), "Tensor on device cpu is not on the expected device meta!"),
    (lambda: nn.functional.linear(meta(7, 4), fg.ones(5, 4)), "Tensor on device cpu is not on the expected device meta!"),
])
def test_meta_and_cpu_tensors_in_one_op(call, message):
    with pytest.raises(RuntimeError, match=message):
        call()


def test_copies_between_devices():
    t = meta(3, 4)
    assert t.copy_(fg.ones(3, 4)) is t
    with pytest.raises(NotImplementedError, match="Cannot copy out of meta tensor; no data!"):
        fg.ones(3, 4).copy_(t)


# ---------------------------------------------------------------------- large tensors


def test_large_creation():
    t = meta(10**12)
    assert described(t) == ("tensor(..., device='meta', size=(1000000000000,))", (1,), True)
    assert t.numel() == 10**12
    assert meta(N, N).size(1) == N
    assert meta(N, N).shape == (N, N)


@pytest.mark.parametrize(("call", "shape", "stride", "contiguous"), [
    (lambda: meta(10**12).view(N, N), (N, N), (N, 1), True),
    (lambda: meta(N, N).reshape(-1), (10**12,), (1,), True),
    (lambda: meta(N, N).t(), (N, N), (1, N), False),
    (lambda: meta(N, N).T, (N, N), (1, N), False),
    (lambda: meta(N, N).mT, (N, N), (1, N), False),
    (lambda: meta(N, N).t().reshape(-1), (10**12,), (1,), True),
    (lambda: meta(N, N)[::2, 3:], (500000, 999997), (2000000, 1), False),
    (lambda: meta(N, N)[5], (N,), (1,), True),
    (lambda: meta(N, N)[:, 5], (N,), (N,), False),
    (lambda: meta(N, N).unsqueeze(1), (N, 1, N), (N, N, 1), True),
    (lambda: meta(N, N).permute(1, 0).unsqueeze(0), (1, N, N), (N, 1, N), False),
    (lambda: meta(N, 1).expand(N, N), (N, N), (1, 0), False),
    (lambda: meta(N, N).view(N, 1000, 1000), (N, 1000, 1000), (N, 1000, 1), True),
    (lambda: meta(N, N).flatten(), (10**12,), (1,), True),
    (lambda: meta(N, N).chunk(2)[1], (500000, N), (N, 1), True),
    (lambda: meta(N, N).split(N // 4, 1)[1], (N, 250000), (N, 1), False),
    (lambda: meta(N, N).t().contiguous(), (N, N), (N, 1), True),
    (lambda: meta(N, N).diagonal(), (N,), (N + 1,), False),
    (lambda: meta(N, N).transpose(0, 1)[::3], (333334, N), (3, N), False),
    (lambda: meta(N, N).view(-1, 4), (250000000000, 4), (4, 1), True),
    (lambda: meta(N, 1, N).squeeze(1), (N, N), (N, 1), True),
    (lambda: meta(N, N).unfold(0, 2, 1), (999999, N, 2), (N, 1, N), False),
    (lambda: meta(N, N)[None, ..., None], (1, N, N, 1), (10**12, N, 1, 1), True),
    (lambda: meta(N, N).narrow(1, 5, 10), (N, 10), (N, 1), False),
    (lambda: meta(N, N).select(1, 5), (N,), (N,), False),
])
def test_large_views(call, shape, stride, contiguous):
    t = call()
    assert t.is_meta
    assert (t.shape, t.stride(), t.is_contiguous()) == (shape, stride, contiguous)


@pytest.mark.parametrize(("call", "text", "stride"), [
    (lambda: meta(N, N) + 1, "tensor(..., device='meta', size=(1000000, 1000000))", (N, 1)),
    (lambda: meta(N, N) * meta(N), "tensor(..., device='meta', size=(1000000, 1000000))", (N, 1)),
    (lambda: meta(N, N) @ meta(N, 7), "tensor(..., device='meta', size=(1000000, 7))", (7, 1)),
    (lambda: fg.matmul(meta(3, N, N), meta(N, 2)), "tensor(..., device='meta', size=(3, 1000000, 2))", (2 * N, 2, 1)),
    (lambda: nn.functional.linear(meta(8, N), meta(4, N)), "tensor(..., device='meta', size=(8, 4))", (4, 1)),
    (lambda: meta(N, N).sum(), "tensor(..., device='meta', size=())", ()),
    (lambda: meta(N, N).sum(0), "tensor(..., device='meta', size=(1000000,))", (1,)),
    (lambda: meta(N, N).sum(1, keepdim=True), "tensor(..., device='meta', size=(1000000, 1))", (1, 1)),
    (lambda: meta(N, N).mean(dtype=fg.float64), "tensor(..., device='meta', size=(), dtype=ferrograd.float64)", ()),
    (lambda: meta(N, N).to(fg.float16),
     "tensor(..., device='meta', size=(1000000, 1000000), dtype=ferrograd.float16)", (N, 1)),
    (lambda: meta(N, N).max(1).indices, "tensor(..., device='meta', size=(1000000,), dtype=ferrograd.int64)", (1,)),
    (lambda: meta(N, N).argmax(0), "tensor(..., device='meta', size=(1000000,), dtype=ferrograd.int64)", (1,)),
    (lambda: fg.cat([meta(N, N), meta(N, N)]), "tensor(..., device='meta', size=(2000000, 1000000))", (N, 1)),
    (lambda: fg.stack([meta(N, N), meta(N, N)], 1), "tensor(..., device='meta', size=(1000000, 2, 1000000))",
     (2 * N, N, 1)),
    (lambda: nn.functional.relu(meta(N, N)), "tensor(..., device='meta', size=(1000000, 1000000))", (N, 1)),
    (lambda: meta(N, N).softmax(-1), "tensor(..., device='meta', size=(1000000, 1000000))", (N, 1)),
    (lambda: meta(N, N).var(0), "tensor(..., device='meta', size=(1000000,))", (1,)),
    (lambda: fg.zeros_like(meta(N, N)), "tensor(..., device='meta', size=(1000000, 1000000))", (N, 1)),
    (lambda: meta(N, N).new_empty(N, 3), "tensor(..., device='meta', size=(1000000, 3))", (3, 1)),
    (lambda: fg.empty(N, N, device="meta", dtype=fg.int32).sum(),
     "tensor(..., device='meta', size=(), dtype=ferrograd.int64)", ()),
    (lambda: meta(N, N).where(meta(N, N) > 0, 0.0), "tensor(..., device='meta', size=(1000000, 1000000))", (N, 1)),
])
def test_large_ops(call, text, stride):
    t = call()
    assert (repr(t), t.stride()) == (text, stride)


def test_large_in_place_ops_return_the_tensor():
    t = meta(N, N)
    assert t.add_(1) is t
    assert t.uniform_() is t


@pytest.mark.parametrize(("call", "message"), [
    (lambda: meta(N, N) + meta(N, 2),
     (r"^Attempting to broadcast a dimension of length 2 at -1! Mismatching argument at index 1 had "
     r"ferrograd.Size\(\[1000000, 2\]\); but expected shape should be broadcastable to \[1000000, 1000000\]$")),
    (lambda: meta(N, N) @ meta(N + 1, 7),
     r"^a and b must have same reduction dim, but got \[1000000, 1000000\] X \[1000001, 7\].$"),
    (lambda: meta(N, N).t().view(-1), "^view size is not compatible with input tensor's size and stride"),
])
def test_large_shape_errors(call, message):
    with pytest.raises(RuntimeError, match=message):
        call()


# ---------------------------------------------------------------------- autograd


def test_backward_gives_meta_gradients():
    x = meta(3, 4, requires_grad=True)
    y = (x * 2).sum()
    assert repr(y) == "tensor(..., device='meta', size=(), grad_fn=<SumBackward0>)"
    y.backward()
    assert x.grad.is_meta
    assert repr(x.grad) == "tensor(..., device='meta', size=(3, 4))"
    assert meta(2, requires_grad=True).grad is None
    assert repr(meta(3, 4, requires_grad=True)[0, 0]) == \
        "tensor(..., device='meta', size=(), grad_fn=<SelectBackward0>)"


def _node_name(t):
    return type(t.grad_fn).__name__


@pytest.mark.parametrize("n", [100, 1000])
def test_large_graphs_backward_to_meta_gradients(n):
    # ops whose inputs' sizes multiply past the stand-in limit, and ops on large tensors
    x = meta(n, n, requires_grad=True)
    w = meta(n, 2 * n, requires_grad=True)
    y = x * 2
    z = (y.exp() + x).sum()
    assert _node_name(y) == "MulBackward0"
    assert _node_name(z) == "SumBackward0"
    assert [type(node).__name__ for node, _ in z.grad_fn.next_functions] == ["AddBackward0"]
    z.backward()
    assert (x.grad.shape, x.grad.is_meta, x.grad.stride()) == ((n, n), True, (n, 1))
    out = x @ w
    assert repr(out) == f"tensor(..., device='meta', size=({n}, {2 * n}), grad_fn=<MmBackward0>)"
    out.sum().backward()
    assert (w.grad.shape, w.grad.is_meta) == ((n, 2 * n), True)
    assert _node_name(x.view(-1)[::2]) == "SliceBackward0"
    (g,) = fg.autograd.grad(x.relu().mean(), [x])
    assert (g.shape, g.device) == ((n, n), fg.device("meta"))


def test_large_results_without_history():
    assert meta(N, N).exp().grad_fn is None
    assert (meta(N, N, requires_grad=True) > 0).requires_grad is False
    with fg.no_grad():
        assert meta(N, N, requires_grad=True).exp().grad_fn is None


# ---------------------------------------------------------------------- nn


def test_modules_made_on_meta():
    with fg.device("meta"):
        m = nn.Sequential(nn.Linear(4, 5), nn.ReLU(), nn.Linear(5, 2))
    w = m[0].weight
    assert isinstance(w, nn.Parameter) and type(w).__name__ == "Parameter"
    assert w.is_meta and m[0].bias.device == fg.device("meta")
    assert repr(w) == "Parameter containing:\ntensor(..., device='meta', size=(5, 4), requires_grad=True)"
    out = m(meta(3, 4))
    assert repr(out) == "tensor(..., device='meta', size=(3, 2), grad_fn=<AddmmBackward0>)"
    with pytest.raises(RuntimeError, match="Tensor on device meta is not on the expected device cpu!"):
        m(fg.ones(3, 4))
    x = meta(3, 4, requires_grad=True)
    m(x).sum().backward()
    assert repr(m[0].weight.grad) == "tensor(..., device='meta', size=(5, 4))"
    assert x.grad.shape == (3, 4) and x.grad.is_meta


def test_module_device_keyword():
    assert nn.Linear(3, 3, device="meta").weight.is_meta
    b = nn.BatchNorm1d(3, device="meta")
    assert b.running_mean.is_meta
    assert repr(b(meta(4, 3))) == "tensor(..., device='meta', size=(4, 3), grad_fn=<NativeBatchNormBackward0>)"


def test_large_layers_forward_and_backward():
    # the shape inference of a large model (PyTorch's results and grad_fn names)
    with fg.device("meta"):
        lin, norm, emb = nn.Linear(4096, 4096), nn.LayerNorm(4096), nn.Embedding(50000, 4096)
        conv = nn.Conv2d(64, 128, 3, padding=1)
    idx = fg.randint(0, 50000, (8, 512), device="meta")
    h = emb(idx)
    assert (h.shape, _node_name(h)) == ((8, 512, 4096), "EmbeddingBackward0")
    assert _node_name(lin(h)) == "ViewBackward0"
    h = norm(h + lin(h))
    assert (h.shape, _node_name(h)) == ((8, 512, 4096), "NativeLayerNormBackward0")
    logits = h @ emb.weight.T
    loss = nn.functional.cross_entropy(logits.view(-1, 50000), idx.view(-1))
    assert repr(loss) == "tensor(..., device='meta', size=(), grad_fn=<NllLossBackward0>)"
    loss.backward()
    for p, shape in [(emb.weight, (50000, 4096)), (lin.weight, (4096, 4096)), (lin.bias, (4096,)),
                     (norm.weight, (4096,)), (norm.bias, (4096,))]:
        assert (p.grad.shape, p.grad.is_meta, p.grad.grad_fn) == (shape, True, None)
    out = conv(fg.randn(16, 64, 224, 224, device="meta"))
    assert repr(out) == "tensor(..., device='meta', size=(16, 128, 224, 224),\n       grad_fn=<ConvolutionBackward0>)"
    out.relu().mean().backward()
    assert (conv.weight.grad.shape, conv.bias.grad.shape) == ((128, 64, 3, 3), (128,))
    assert conv.weight.grad.is_meta


def test_large_transformer_layer_forward_and_backward():
    # PyTorch's results: attention runs on meta tensors, and the history reaches every parameter
    with fg.device("meta"):
        layer = nn.TransformerEncoderLayer(1024, 16, batch_first=True)
        attention = nn.MultiheadAttention(1024, 16, batch_first=True)
    x = meta(4, 1024, 1024, requires_grad=True)
    out = attention(x, x, x, need_weights=False)[0]
    assert (out.shape, _node_name(out)) == ((4, 1024, 1024), "TransposeBackward0")
    y = layer(x)
    assert (y.shape, _node_name(y)) == ((4, 1024, 1024), "NativeLayerNormBackward0")
    y.sum().backward()
    assert [(name, p.grad.shape) for name, p in layer.named_parameters()][:3] == [
        ("self_attn.in_proj_weight", (3072, 1024)), ("self_attn.in_proj_bias", (3072,)),
        ("self_attn.out_proj.weight", (1024, 1024))]
    assert all(p.grad is not None and p.grad.is_meta for p in layer.parameters())
    assert (x.grad.shape, x.grad.is_meta) == ((4, 1024, 1024), True)


def test_large_contiguous_and_in_place_ops_keep_history():
    x = meta(1000, 1000, requires_grad=True)
    assert _node_name(x.t().contiguous()) == "CloneBackward0"
    y = x * 2
    assert y.add_(1) is y and _node_name(y) == "AddBackward0"
    assert type(y.grad_fn.next_functions[0][0]).__name__ == "MulBackward0"
    assert _node_name(nn.functional.relu(y, inplace=True)) == "ReluBackward0" and y.stride() == (1000, 1)
    y.sum().backward()
    assert (x.grad.shape, x.grad.is_meta) == ((1000, 1000), True)
    with pytest.raises(RuntimeError, match="^a leaf Variable that requires grad is being used in an in-place operation.$"):
        x.add_(1)


def test_recurrent_layers_on_meta():
    # their initial states are made on the input's device (PyTorch's shapes and node names)
    with fg.device("meta"):
        lstm, gru, cell = nn.LSTM(256, 512, batch_first=True), nn.GRU(256, 512), nn.LSTMCell(256, 512)
    seq = meta(16, 64, 256, requires_grad=True)
    out, (h, c) = lstm(seq)
    assert (out.shape, _node_name(out), h.shape, c.shape, h.is_meta) == (
        (16, 64, 512), "TransposeBackward0", (1, 16, 512), (1, 16, 512), True)
    out.sum().backward()
    assert (lstm.weight_ih_l0.grad.shape, seq.grad.shape, seq.grad.is_meta) == ((2048, 256), (16, 64, 256), True)
    assert gru(seq)[0].shape == (16, 64, 512) and cell(seq[:, 0])[0].shape == (16, 512)


def test_large_parameters():
    with fg.device("meta"):
        big = nn.Linear(8192, 8192)
    assert repr(big.weight) == "Parameter containing:\ntensor(..., device='meta', size=(8192, 8192), requires_grad=True)"
    assert big.weight.stride() == (8192, 1)
    assert big(meta(3, 8192)).shape == (3, 8192)


@pytest.mark.parametrize("init", [
    lambda t: nn.init.kaiming_uniform_(t), lambda t: nn.init.normal_(t), lambda t: nn.init.trunc_normal_(t),
    lambda t: nn.init.zeros_(t), lambda t: nn.init.orthogonal_(t), lambda t: nn.init.xavier_normal_(t),
])
@pytest.mark.parametrize("shape", [(5, 4), (8192, 8192)])
def test_init_on_meta_is_a_no_op(init, shape):
    t = meta(*shape)
    assert init(t) is t
    assert t.is_meta and t.shape == shape


def test_to_empty_materializes():
    with fg.device("meta"):
        m = nn.Sequential(nn.Linear(4, 5), nn.Linear(5, 2))
    assert m.to_empty(device="cpu") is m
    w = m[0].weight
    assert not w.is_meta and w.device == fg.device("cpu") and type(w) is nn.Parameter
    assert w.shape == (5, 4) and w.requires_grad
    assert m(fg.ones(3, 4)).shape == (3, 2)
    m.to_empty(device="meta")
    assert m[1].bias.is_meta


def test_module_to_meta_and_back():
    m = nn.Linear(3, 3).to("meta")
    assert m.weight.is_meta and m.bias.is_meta
    assert nn.Linear(3, 3).to(device="meta").bias.shape == (3,)
    with pytest.raises(NotImplementedError, match=r"^Cannot copy out of meta tensor; no data! Please use "
                       r"ferrograd.nn.Module.to_empty\(\) instead of ferrograd.nn.Module.to\(\) when moving module "
                       r"from meta to a different device.$"):
        m.to("cpu")


@pytest.mark.parametrize(("call", "shape", "dtype"), [
    (lambda: nn.functional.cross_entropy(meta(4, 3), meta(4, dtype=fg.int64)), (), fg.float32),
    (lambda: nn.functional.mse_loss(meta(4, 3), meta(4, 3)), (), fg.float32),
    (lambda: nn.functional.embedding(meta(4, dtype=fg.int64), meta(10, 3)), (4, 3), fg.float32),
    (lambda: nn.functional.layer_norm(meta(4, 3), (3,)), (4, 3), fg.float32),
    (lambda: nn.functional.dropout(meta(4, 3)), (4, 3), fg.float32),
    (lambda: fg.einsum("ij,jk->ik", meta(4, 3), meta(3, 5)), (4, 5), fg.float32),
    (lambda: nn.Embedding(10, 4, device="meta")(fg.zeros(3, dtype=fg.int64, device="meta")), (3, 4), fg.float32),
    (lambda: nn.MultiheadAttention(8, 2, device="meta")(meta(5, 1, 8), meta(5, 1, 8), meta(5, 1, 8))[0],
     (5, 1, 8), fg.float32),
    (lambda: meta(4, dtype=fg.int32).random_(0, 5), (4,), fg.int32),
    (lambda: meta(4).fill_(1), (4,), fg.float32),
])
def test_functional_ops(call, shape, dtype):
    t = call()
    assert (t.is_meta, t.shape, t.dtype) == (True, shape, dtype)


def test_storage_offsets_of_views():
    assert meta(2, 3)[1:].storage_offset() == 3
    assert meta(N, N)[1:].storage_offset() == N
    assert meta(N, N)[2:, 5].storage_offset() == 2 * N + 5
    assert meta(N, N)[1:].t()[3:].storage_offset() == N + 3


def test_load_state_dict_into_meta_module():
    with fg.device("meta"):
        m = nn.Linear(3, 2)
    source = nn.Linear(3, 2)
    with pytest.warns(UserWarning, match="^for (weight|bias): copying from a non-meta parameter in the checkpoint to a meta "
                      "parameter in the current model, which is a no-op."):
        m.load_state_dict(source.state_dict())
    assert m.weight.is_meta
    m.load_state_dict(source.state_dict(), assign=True)
    assert not m.weight.is_meta and type(m.weight) is nn.Parameter
    assert m.weight.tolist() == source.weight.tolist()


def test_deepcopy_stays_meta():
    t = copy.deepcopy(meta(3, 5))
    assert t.is_meta and t.shape == (3, 5)


# ---------------------------------------------------------------------- storages and saving


def test_untyped_storage_is_a_meta_byte_count():
    s = meta(3, 4).untyped_storage()
    assert (s.device, s.nbytes(), len(s), s.data_ptr()) == (fg.device("meta"), 48, 48, 0)
    assert repr(s) == str(s) == "...\n[ferrograd.storage.UntypedStorage(device=meta) of size 48]"
    assert s.type() == "ferrograd.storage.UntypedStorage"
    assert repr(s.clone()) == repr(s) and s.fill_(0) is s
    for read in (s.tolist, lambda: s[0], lambda: s[0:4], lambda: list(s)):
        with pytest.raises(NotImplementedError, match="^Not available for 'meta' device type$"):
            read()
    with pytest.raises(NotImplementedError, match="^Cannot copy out of meta tensor; no data!$"):
        s.cpu()


@pytest.mark.parametrize(("make", "nbytes"), [
    (lambda: meta(3, 4)[1:], 48),
    (lambda: meta(1000, 1000), 4000000),
    (lambda: meta(1000, 1000).t()[:3], 4000000),
    (lambda: meta(300, 300) * 2, 360000),
    (lambda: nn.Linear(1000, 1000, device="meta").weight[:2], 4000000),
    (lambda: meta(0, 3), 0),
    (lambda: fg.empty_strided((2, 3), (1, 4), device="meta"), 40),
])
def test_storage_sizes(make, nbytes):
    assert make().untyped_storage().nbytes() == nbytes


def test_typed_storage_of_meta_tensor():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyTorch's deprecation warning, given once a process
        s = meta(3, 4).storage()
    assert (s.device, s.size(), s.nbytes(), s.data_ptr()) == (fg.device("meta"), 12, 48, 0)
    assert repr(s) == "...\n[ferrograd.storage.TypedStorage(dtype=ferrograd.float32, device=meta) of size 12]"
    assert s.type() == "ferrograd.storage.TypedStorage" and s.fill_(1) is s
    with pytest.raises(NotImplementedError, match="^Not available for 'meta' device type$"):
        s[0]
    assert fg.empty(1000, 1000, device="meta")._typed_storage().size() == 1000000


def test_empty_strided_keeps_strides_that_are_not_dense():
    t = fg.empty_strided((2, 3), (1, 4), device="meta")
    assert (t.stride(), t.is_contiguous()) == ((1, 4), False)


def test_save_and_load_meta_tensors(tmp_path):
    # PyTorch writes a meta tensor by its layout alone (`_rebuild_meta_tensor_no_storage`)
    path = tmp_path / "meta.pt"
    state = {"small": meta(3, 4), "big": fg.empty_strided((1000, 1000), (1, 1000), device="meta", dtype=fg.float16),
             "linear": nn.Linear(4096, 4096, device="meta").state_dict()}
    fg.save(state, path)
    with zipfile.ZipFile(path) as archive:
        pickled = [n for n in archive.namelist() if n.endswith("/data.pkl")]
        assert not [n for n in archive.namelist() if "/data/" in n] and len(pickled) == 1
        assert b"_rebuild_meta_tensor_no_storage" in archive.read(pickled[0])
    loaded = fg.load(path)
    assert repr(loaded["small"]) == "tensor(..., device='meta', size=(3, 4))"
    assert (loaded["big"].stride(), loaded["big"].dtype, loaded["big"].is_meta) == ((1, 1000), fg.float16, True)
    assert [(k, v.shape, v.is_meta) for k, v in loaded["linear"].items()] == [
        ("weight", (4096, 4096), True), ("bias", (4096,), True)]
    assert fg.load(path, map_location="cpu")["small"].is_meta


def test_pickle_keeps_meta_tensors_and_parameters():
    t = pickle.loads(pickle.dumps(fg.empty_strided((1000, 1000), (1, 1000), device="meta", requires_grad=True)))
    assert (t.is_meta, t.shape, t.stride(), t.requires_grad) == (True, (1000, 1000), (1, 1000), True)
    p = pickle.loads(pickle.dumps(nn.Linear(2, 3, device="meta").weight))
    assert isinstance(p, nn.Parameter) and type(p).__name__ == "Parameter" and repr(p) == \
        "Parameter containing:\ntensor(..., device='meta', size=(3, 2), requires_grad=True)"
