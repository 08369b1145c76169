"""The small modules and names code imports: `autograd.Variable` and engine flags,
`random`, `memory_format`/`layout`, `backends`, `compile`/`jit`, `utils.checkpoint`,
deprecated aliases, and the `utils.data` samplers and datasets (orders recorded from
PyTorch for the same seeds)."""

import pickle
import warnings

import numpy as np
import pytest
from backend import MOD, fg

data = fg.utils.data
D = fg.float64


# ---- autograd names -------------------------------------------------------------------

def test_variable_makes_a_leaf_tensor():
    from importlib import import_module

    Variable = import_module(f"{MOD}.autograd").Variable
    x = fg.ones(2)
    v = Variable(x, requires_grad=True)
    assert isinstance(v, fg.Tensor) and v.requires_grad and v is not x and not x.requires_grad
    assert v.is_leaf and isinstance(x, Variable)
    assert Variable().tolist() == []
    with pytest.raises(TypeError, match="Variable data has to be a tensor, but got int"):
        Variable(3)
    with pytest.raises(RuntimeError, match="Only Tensors of floating point and complex dtype can require gradients"):
        Variable(fg.tensor([1, 2]), requires_grad=True)
    y = fg.ones(2, requires_grad=True) * 2
    assert not Variable(y).requires_grad and Variable(y).is_leaf
    with pytest.warns(UserWarning, match="volatile was removed and now has no effect"):
        Variable(x, volatile=True)


def test_engine_flags():
    A = fg.autograd
    assert A.is_view_replay_enabled() is False
    assert A.is_multithreading_enabled() is True
    with A.set_multithreading_enabled(False):
        assert A.is_multithreading_enabled() is False
    assert A.is_multithreading_enabled() is True


# ---- random ---------------------------------------------------------------------------

def test_random_module():
    R = fg.random
    R.manual_seed(7)
    assert R.initial_seed() == 7
    state = R.get_rng_state()
    first = fg.rand(3).tolist()
    R.set_rng_state(state)
    assert fg.rand(3).tolist() == first
    R.manual_seed(0)
    with R.fork_rng():
        inside = fg.rand(2).tolist()
    assert fg.rand(2).tolist() == inside
    R.manual_seed(0)
    assert fg.rand(2).tolist() == pytest.approx([0.49625658988952637, 0.7682217955589294])
    assert isinstance(R.seed(), int)
    assert isinstance(R.default_generator, fg.Generator)


# ---- memory_format / layout ---------------------------------------------------------------

def test_memory_format_and_layout_names():
    assert str(fg.channels_last) == f"{MOD}.channels_last"
    assert repr(fg.contiguous_format) == f"{MOD}.contiguous_format"
    assert str(fg.preserve_format) == f"{MOD}.preserve_format" and str(fg.channels_last_3d) == f"{MOD}.channels_last_3d"
    assert isinstance(fg.channels_last, fg.memory_format) and type(fg.strided).__name__ == "layout"
    assert str(fg.strided) == f"{MOD}.strided" and fg.ones(2).layout is fg.strided
    assert pickle.loads(pickle.dumps(fg.channels_last)) is fg.channels_last
    with pytest.raises(TypeError, match="cannot create"):
        fg.memory_format()


def test_channels_last_strides():
    t = fg.arange(24.0).reshape(1, 2, 3, 4)
    c = t.contiguous(memory_format=fg.channels_last)
    assert c.stride() == (24, 1, 8, 2) and c.tolist() == t.tolist()
    assert not c.is_contiguous() and c.is_contiguous(memory_format=fg.channels_last)
    assert not t.is_contiguous(memory_format=fg.channels_last)
    assert c.contiguous(memory_format=fg.channels_last) is c
    assert c.contiguous().stride() == (24, 12, 4, 1)
    assert t.to(memory_format=fg.channels_last).stride() == (24, 1, 8, 2)
    assert c.to(memory_format=fg.contiguous_format).stride() == (24, 12, 4, 1)
    assert c.clone().stride() == (24, 1, 8, 2) and fg.clone(c).stride() == (24, 1, 8, 2)
    assert c.clone(memory_format=fg.contiguous_format).stride() == (24, 12, 4, 1)
    assert c[:, :1].clone().stride() == (12, 1, 4, 1)
    for like in (fg.empty_like, fg.zeros_like, fg.ones_like, fg.rand_like, fg.randn_like):
        assert like(c).stride() == (24, 1, 8, 2)
        assert like(c, memory_format=fg.contiguous_format).stride() == (24, 12, 4, 1)
    assert fg.full_like(c, 2.0).stride() == (24, 1, 8, 2)
    assert fg.empty(1, 2, 3, 4, memory_format=fg.channels_last).stride() == (24, 1, 8, 2)
    assert fg.empty(1, 1, 3, 4).contiguous(memory_format=fg.channels_last).stride() == (12, 12, 4, 1)
    three = fg.ones(1, 2, 3, 4, 5).contiguous(memory_format=fg.channels_last_3d)
    assert three.stride() == (120, 1, 40, 10, 2)
    assert not fg.ones(2, 3).is_contiguous(memory_format=fg.channels_last)
    assert fg.ones(2, 3).contiguous(memory_format=fg.preserve_format).shape == (2, 3)
    assert fg.zeros_like(c, requires_grad=True).requires_grad


def test_channels_last_random_values_follow_memory_order():
    c = fg.ones(1, 2, 2, 2).contiguous(memory_format=fg.channels_last)
    fg.manual_seed(0)
    drawn = fg.rand_like(c)
    fg.manual_seed(0)
    flat = fg.rand(8).tolist()
    assert drawn.permute(0, 2, 3, 1).reshape(-1).tolist() == flat


def test_channels_last_gradients_flow():
    x = fg.ones(1, 2, 3, 4, dtype=D, requires_grad=True)
    y = x.contiguous(memory_format=fg.channels_last)
    (y * fg.arange(24.0, dtype=D).reshape(1, 2, 3, 4)).sum().backward()
    assert x.grad.reshape(-1).tolist() == list(range(24))


@pytest.mark.parametrize("call, exc, text", [
    (lambda: fg.ones(2, 3).contiguous(memory_format=fg.channels_last), RuntimeError, "required rank 4 tensor to use channels_last format"),
    (lambda: fg.zeros_like(fg.ones(2, 3, 4), memory_format=fg.channels_last), RuntimeError, "required rank 4 tensor to use channels_last format"),
    (lambda: fg.ones(2, 3, 4).to(memory_format=fg.channels_last), RuntimeError, "required rank 4 tensor"),
    (lambda: fg.ones(2, 3, 4).clone(memory_format=fg.channels_last), RuntimeError, "required rank 4 tensor"),
    (lambda: fg.ones(2, 3).contiguous(memory_format=fg.channels_last_3d), RuntimeError, "required rank 5 tensor to use channels_last_3d format"),
    (lambda: fg.ones(2, 3).contiguous(memory_format=3), TypeError, "contiguous(): argument 'memory_format' must be torch.memory_format, not int"),
    (lambda: fg.ones(2, 3).is_contiguous(memory_format=3), TypeError, "is_contiguous(): argument 'memory_format' must be torch.memory_format, not int"),
    (lambda: fg.ones(2, 2).clone(memory_format=3), TypeError, "clone(): argument 'memory_format' must be torch.memory_format, not int"),
    (lambda: fg.ones(1, 2, 3, 4).permute(0, 2, 3, 1).contiguous(memory_format=fg.preserve_format), RuntimeError,
     "preserve memory format is unsupported by the contiguous operator"),
])
def test_memory_format_errors(call, exc, text):
    with pytest.raises(exc) as info:
        call()
    assert text in str(info.value)


# ---- backends / compile / jit ---------------------------------------------------------------

def test_backends_flags():
    B = fg.backends
    assert B.cudnn.enabled is True and B.cudnn.benchmark is False and B.cudnn.deterministic is False
    assert B.cudnn.is_available() is False and B.cudnn.version() is None
    assert B.mps.is_available() is False and B.mps.is_built() is False
    assert B.cuda.is_built() is False and B.cuda.matmul.allow_tf32 is False
    with B.cudnn.flags(enabled=False, deterministic=True):
        assert B.cudnn.enabled is False and B.cudnn.deterministic is True
    assert B.cudnn.enabled is True and B.cudnn.deterministic is False
    B.cudnn.benchmark = True
    assert fg.backends.cudnn.benchmark is True
    B.cudnn.benchmark = False
    assert isinstance(B.mkldnn.is_available(), bool) and isinstance(B.openmp.is_available(), bool)
    assert isinstance(B.cpu.get_cpu_capability(), str)


def test_compile_and_jit_run_like_the_function():
    def f(x):
        return x.sin() * 2

    x = fg.tensor([0.5, 1.0], dtype=D)
    assert fg.compile(f)(x).tolist() == f(x).tolist()
    assert fg.compile(mode="reduce-overhead")(f)(x).tolist() == f(x).tolist()
    lin = fg.nn.Linear(2, 1)
    compiled = fg.compile(lin)
    assert compiled(fg.ones(3, 2)).tolist() == lin(fg.ones(3, 2)).tolist()
    assert fg.compiler.is_compiling() is False
    with pytest.raises(AssertionError, match="A callable function is expected"):
        fg.compile(3)
    with pytest.warns(DeprecationWarning, match="`torch.jit.script` is deprecated"):
        assert fg.jit.script(f)(x).tolist() == f(x).tolist()
    with pytest.warns(DeprecationWarning, match="`torch.jit.trace` is deprecated"):
        assert fg.jit.trace(f, (x,))(x).tolist() == f(x).tolist()
    assert fg.jit.is_scripting() is False and fg.jit.is_tracing() is False
    assert fg.jit.ignore(f) is f and fg.jit.unused(f) is f


# ---- utils.checkpoint -----------------------------------------------------------------------

@pytest.mark.parametrize("use_reentrant", [True, False])
def test_checkpoint_gradients_equal(use_reentrant):
    fg.manual_seed(0)
    lin = fg.nn.Linear(3, 3).double()
    x = fg.randn(2, 3, dtype=D, requires_grad=True)

    def f(a):
        return fg.nn.functional.dropout(lin(a).tanh(), 0.5, training=True) * 2

    fg.manual_seed(5)
    y = fg.utils.checkpoint.checkpoint(f, x, use_reentrant=use_reentrant)
    y.sum().backward()
    grads = (x.grad.clone(), lin.weight.grad.clone(), lin.bias.grad.clone())
    x.grad = None
    lin.zero_grad()
    fg.manual_seed(5)
    f(x).sum().backward()
    assert np.allclose(grads[0].tolist(), x.grad.tolist(), atol=1e-12)
    assert np.allclose(grads[1].tolist(), lin.weight.grad.tolist(), atol=1e-12)
    assert np.allclose(grads[2].tolist(), lin.bias.grad.tolist(), atol=1e-12)


def test_checkpoint_details():
    cp = fg.utils.checkpoint
    x = fg.ones(3, dtype=D, requires_grad=True)
    y = cp.checkpoint(lambda a: a.sin() * 2, x, use_reentrant=True)
    assert type(y.grad_fn).__name__ == "CheckpointFunctionBackward"
    with pytest.raises(ValueError, match="Unexpected keyword arguments: k"):
        cp.checkpoint(lambda a, k=1: a * k, x, use_reentrant=True, k=2)
    assert cp.checkpoint(lambda a, k=1: a * k, x, use_reentrant=False, k=2).tolist() == [2.0] * 3
    with pytest.warns(UserWarning, match="the use_reentrant parameter should be passed explicitly"):
        cp.checkpoint(lambda a: a * 2, x)
    with fg.no_grad():
        assert not cp.checkpoint(lambda a: a * 2, x, use_reentrant=True).requires_grad
    seq = fg.nn.Sequential(fg.nn.Linear(3, 4), fg.nn.Tanh(), fg.nn.Linear(4, 2)).double()
    out = cp.checkpoint_sequential(seq, 2, fg.ones(2, 3, dtype=D, requires_grad=True), use_reentrant=False)
    assert out.shape == (2, 2) and np.allclose(out.tolist(), seq(fg.ones(2, 3, dtype=D)).tolist())


# ---- deprecated aliases ----------------------------------------------------------------------

def test_deprecated_aliases_warn():
    p = fg.nn.Parameter(fg.ones(3))
    p.grad = fg.ones(3)
    with pytest.warns(FutureWarning, match="clip_grad_norm` is now deprecated in favor of"):
        norm = fg.nn.utils.clip_grad_norm([p], 1.0)
    assert norm.item() == pytest.approx(3 ** 0.5)
    with pytest.warns(FutureWarning, match="assert_allclose\\(\\)` is deprecated since 1.12"):
        fg.testing.assert_allclose(fg.ones(2), [1, 1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        with pytest.raises(AssertionError, match="Tensor-likes are not close!"):
            fg.testing.assert_allclose(fg.ones(2), fg.zeros(2))
        fg.testing.assert_allclose(fg.tensor([float("nan")]), fg.tensor([float("nan")]))


# ---- utils.data samplers and datasets -----------------------------------------------------------

def test_random_samplers_match_pytorch_orders():
    fg.manual_seed(0)
    assert list(data.RandomSampler(range(10))) == [6, 9, 0, 7, 3, 5, 4, 2, 1, 8]
    g = fg.Generator().manual_seed(3)
    assert list(data.RandomSampler(range(10), generator=g)) == [6, 0, 3, 7, 8, 5, 1, 9, 2, 4]
    g = fg.Generator().manual_seed(3)
    assert list(data.RandomSampler(range(10), replacement=True, num_samples=5, generator=g)) == [6, 8, 7, 7, 0]
    g = fg.Generator().manual_seed(3)
    assert list(data.SubsetRandomSampler([5, 6, 7], generator=g)) == [6, 5, 7]
    g = fg.Generator().manual_seed(3)
    assert list(data.WeightedRandomSampler([0.1, 0.9, 0.4], 5, generator=g)) == [0, 1, 2, 1, 2]
    assert len(data.RandomSampler(range(3))) == 3 and len(data.RandomSampler(range(3), num_samples=7)) == 7
    repeated = list(data.RandomSampler(range(4), num_samples=9))
    assert len(repeated) == 9 and sorted(repeated[:8]) == [0, 0, 1, 1, 2, 2, 3, 3]


def test_sequential_and_batch_samplers():
    assert list(data.SequentialSampler(range(4))) == [0, 1, 2, 3]
    assert isinstance(data.SequentialSampler(range(2)), data.Sampler)
    with pytest.raises(TypeError):
        data.Sampler([1])
    with pytest.raises(NotImplementedError):
        iter(data.Sampler())
    batches = list(data.BatchSampler(data.SequentialSampler(range(10)), 3, False))
    assert batches == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
    assert list(data.BatchSampler(range(10), 3, True))[-1] == [6, 7, 8]
    assert len(data.BatchSampler(range(10), 3, True)) == 3 and len(data.BatchSampler(range(10), 3, False)) == 4


@pytest.mark.parametrize("call, exc, text", [
    (lambda: data.RandomSampler(range(3), num_samples=0), ValueError, "num_samples should be a positive integer value, but got num_samples=0"),
    (lambda: data.RandomSampler(range(3), replacement=1), TypeError, "replacement should be a boolean value, but got replacement=1"),
    (lambda: data.BatchSampler(range(3), 0, False), ValueError, "batch_size should be a positive integer value, but got batch_size=0"),
    (lambda: data.BatchSampler(range(3), 2, 1), ValueError, "drop_last should be a boolean value, but got drop_last=1"),
    (lambda: data.WeightedRandomSampler([1.0], 0), ValueError, "num_samples should be a positive integer value, but got num_samples=0"),
    (lambda: data.WeightedRandomSampler([[1.0]], 2), ValueError, "weights should be a 1d sequence but given weights have shape (1, 1)"),
    (lambda: data.ConcatDataset([]), AssertionError, "datasets should not be an empty iterable"),
    (lambda: data.StackDataset(fg.arange(3), fg.arange(4)), ValueError, "Size mismatch between datasets"),
    (lambda: data.StackDataset(fg.arange(3), b=fg.arange(3)), ValueError, "but both types are given"),
    (lambda: data.StackDataset(), ValueError, "At least one dataset should be passed"),
    (lambda: data.DataLoader(_Three(), shuffle=True), ValueError,
     "DataLoader with IterableDataset: expected unspecified shuffle option, but got shuffle=True"),
    (lambda: data.DataLoader(range(3), sampler=[0], shuffle=True), ValueError, "sampler option is mutually exclusive with shuffle"),
    (lambda: data.DataLoader(range(3), batch_sampler=[[0]], batch_size=2), ValueError,
     "batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last"),
])
def test_sampler_and_dataset_errors(call, exc, text):
    with pytest.raises(exc) as info:
        call()
    assert text in str(info.value)


class _Three(data.IterableDataset):
    def __iter__(self):
        return iter(range(3))

    def __len__(self):
        return 3


def test_datasets():
    cd = data.ConcatDataset([data.TensorDataset(fg.arange(3)), data.TensorDataset(fg.arange(4))])
    assert len(cd) == 7 and cd[4][0].item() == 1 and cd[-1][0].item() == 3 and cd.cumulative_sizes == [3, 7]
    both = data.TensorDataset(fg.arange(2)) + data.TensorDataset(fg.arange(5))
    assert isinstance(both, data.ConcatDataset) and len(both) == 7
    sd = data.StackDataset(fg.arange(3), fg.arange(3) * 2)
    assert len(sd) == 3 and [v.item() for v in sd[1]] == [1, 2]
    sd = data.StackDataset(a=fg.arange(3), b=fg.arange(3) * 2)
    assert {k: v.item() for k, v in sd[2].items()} == {"a": 2, "b": 4}
    assert list(data.ChainDataset([_Three(), _Three()])) == [0, 1, 2, 0, 1, 2]
    assert list(_Three() + _Three()) == [0, 1, 2, 0, 1, 2] and len(_Three() + _Three()) == 6
    assert [b.tolist() for b in data.DataLoader(_Three(), batch_size=2)] == [[0, 1], [2]]
    assert len(data.DataLoader(_Three(), batch_size=2)) == 2
    assert [b.tolist() for b in data.DataLoader(_Three(), batch_size=2, drop_last=True)] == [[0, 1]]
    assert data.get_worker_info() is None
    converted = data.default_convert((np.ones(2), 1))
    assert isinstance(converted, list) and converted[0].dtype == D and converted[1] == 1
    assert data.default_convert(np.float64(2.5)).item() == 2.5
    assert data.default_convert(np.array(["a"])).tolist() == ["a"]


def test_dataloader_and_random_split_match_pytorch_orders():
    ds = data.TensorDataset(fg.arange(20))
    fg.manual_seed(3)
    first = [b[0].tolist() for b in data.DataLoader(ds, batch_size=6, shuffle=True)]
    assert first == [[6, 16, 0, 4, 18, 2], [10, 19, 5, 17, 3, 14], [8, 7, 9, 12, 15, 13], [11, 1]]
    second = [b[0].tolist() for b in data.DataLoader(ds, batch_size=6, shuffle=True)]
    assert second == [[3, 10, 7, 0, 14, 17], [16, 12, 5, 6, 19, 9], [2, 18, 1, 15, 11, 13], [8, 4]]
    g = fg.Generator().manual_seed(7)
    seeded = [b[0].tolist() for b in data.DataLoader(ds, batch_size=6, shuffle=True, generator=g)]
    assert seeded == [[1, 9, 15, 2, 11, 19], [16, 6, 18, 7, 8, 17], [10, 14, 13, 4, 5, 3], [12, 0]]
    fg.manual_seed(1)
    assert [s.indices for s in data.random_split(range(10), [0.3, 0.7])] == [[5, 6, 1], [2, 0, 8, 9, 3, 7, 4]]
    split = data.random_split(range(10), [3, 7], generator=fg.Generator().manual_seed(42))
    assert [s.indices for s in split] == [[2, 6, 1], [8, 4, 5, 0, 9, 3, 7]]
    assert [b.tolist() for b in data.DataLoader([1, 2, 3], batch_size=2)] == [[1, 2], [3]]
    assert list(data.DataLoader([1, 2, 3], batch_size=None)) == [1, 2, 3]
    by_batches = [b[0].tolist() for b in data.DataLoader(ds, batch_sampler=[[0, 2], [5]])]
    assert by_batches == [[0, 2], [5]] and len(data.DataLoader(ds, batch_sampler=[[0, 2], [5]])) == 2


def test_checkpoint_without_reentrant_reaches_parameters_of_inputs_without_grad():
    fg.manual_seed(0)
    lin = fg.nn.Linear(3, 2)
    x = fg.randn(4, 3)
    with pytest.warns(UserWarning, match="None of the inputs have requires_grad=True"):
        assert not fg.utils.checkpoint.checkpoint(lin, x, use_reentrant=True).requires_grad
    y = fg.utils.checkpoint.checkpoint(lin, x, use_reentrant=False)
    assert y.requires_grad
    y.sum().backward()
    expected = np.tile(np.asarray(x.sum(0).tolist()), (2, 1))
    assert np.allclose(lin.weight.grad.tolist(), expected, atol=1e-5)
    xr = fg.randn(4, 3, requires_grad=True)
    pair = fg.utils.checkpoint.checkpoint(lambda a: (a * 2, a.sum()), xr, use_reentrant=False)
    (pair[0].sum() + pair[1]).backward()
    assert xr.grad[0].tolist() == [3.0, 3.0, 3.0]


def test_checkpoint_without_reentrant_works_with_autograd_grad_and_double_backward():
    cp = fg.utils.checkpoint
    fg.manual_seed(0)
    lin = fg.nn.Linear(3, 2).double()
    x = fg.randn(4, 3, dtype=D, requires_grad=True)
    y = cp.checkpoint(lambda a: lin(a).tanh(), x, use_reentrant=False)
    gw, gx = fg.autograd.grad(y.sum(), [lin.weight, x])
    gw2, gx2 = fg.autograd.grad(lin(x).tanh().sum(), [lin.weight, x])
    assert np.allclose(gw.tolist(), gw2.tolist(), atol=1e-12) and np.allclose(gx.tolist(), gx2.tolist(), atol=1e-12)
    assert lin.weight.grad is None
    cubed = cp.checkpoint(lambda a: (a ** 3).sum(), x, use_reentrant=False)
    (g,) = fg.autograd.grad(cubed, x, create_graph=True)
    (gg,) = fg.autograd.grad(g.sum(), x)
    assert np.allclose(gg.tolist(), (6 * x).tolist(), atol=1e-12)


def test_distributed_sampler_matches_pytorch_orders():
    DS = data.DistributedSampler
    s = DS(range(10), num_replicas=3, rank=1)
    assert list(s) == [1, 3, 8, 4] and len(s) == 4
    s.set_epoch(1)
    assert list(s) == [6, 0, 3, 5]
    s = DS(range(10), num_replicas=3, rank=2, drop_last=True)
    assert list(s) == [7, 9, 6] and len(s) == 3
    assert list(DS(range(10), num_replicas=4, rank=0, shuffle=False)) == [0, 4, 8]
    assert list(DS(range(10), num_replicas=3, rank=0, seed=5)) == [1, 6, 0, 7]
    assert list(DS(range(2), num_replicas=5, rank=4)) == [0]
    with pytest.raises(ValueError, match=r"Invalid rank 3, rank should be in the interval \[0, 2\]"):
        DS(range(10), num_replicas=3, rank=3)


def test_layout_copies_record_pytorchs_nodes_and_pass_gradcheck():
    x = fg.ones(1, 2, 3, 4, requires_grad=True)
    assert type(x.contiguous(memory_format=fg.channels_last).grad_fn).__name__ == "CloneBackward0"
    assert type(x.clone(memory_format=fg.channels_last).grad_fn).__name__ == "CloneBackward0"
    assert type(x.to(memory_format=fg.channels_last).grad_fn).__name__ == "ToCopyBackward0"
    c = x.contiguous(memory_format=fg.channels_last)
    assert type(c.contiguous().grad_fn).__name__ == "CloneBackward0"
    assert type(c.to(memory_format=fg.contiguous_format).grad_fn).__name__ == "ToCopyBackward0"
    assert type(c.clone().grad_fn).__name__ == "CloneBackward0"
    a = fg.arange(24.0, dtype=D).reshape(1, 2, 3, 4).requires_grad_()
    assert fg.autograd.gradcheck(lambda v: v.contiguous(memory_format=fg.channels_last) * v, (a,))
    assert fg.autograd.gradcheck(lambda v: v.to(memory_format=fg.channels_last).sin(), (a,))
    assert fg.autograd.gradgradcheck(lambda v: v.clone(memory_format=fg.channels_last) ** 2, (a,))
