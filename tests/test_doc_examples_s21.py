"""Calls from PyTorch's own docstring examples where ferrograd differed from PyTorch
(found by tools/doc_examples_diff.py), written out directly; expectations are PyTorch's."""

import numpy as np
import pytest
from backend import MOD, fg

assert_close = fg.testing.assert_close


# ---------------------------------------------------------------- testing.assert_close
def test_assert_close_complex_default_tolerances():
    # torch.fft.fft2's example: complex64 compares with float32's rtol 1.3e-6, atol 1e-5
    x = fg.tensor([1 + 1j, 2 - 1j], dtype=fg.complex64)
    assert_close(x, x + 1e-6)
    with pytest.raises(AssertionError, match="Tensor-likes are not close!"):
        assert_close(x, x + 1e-4)
    y = fg.tensor([1 + 1j], dtype=fg.complex128)
    assert_close(y, y * (1 + 1e-8))
    with pytest.raises(AssertionError, match="not close!"):
        assert_close(y, y + 1e-6)


def test_assert_close_one_element_tensor_is_a_tensor_like():
    with pytest.raises(AssertionError) as info:
        assert_close(fg.tensor([1.0]), fg.tensor([2.0]))
    assert str(info.value).startswith("Tensor-likes are not close!\n\nMismatched elements: 1 / 1 (100.0%)")
    with pytest.raises(AssertionError) as info:
        assert_close(fg.tensor(1.0), fg.tensor(2.0))
    assert str(info.value).startswith("Scalars are not close!\n\nExpected 2.0 but got 1.0.")


def test_assert_close_unrelated_types_raise_type_error():
    actual = fg.tensor([1.0, 2.0])
    with pytest.raises(TypeError) as info:
        assert_close(actual.numpy(), actual)
    assert str(info.value) == (
        "No comparison pair was able to handle inputs of type <class 'numpy.ndarray'> and "
        f"<class '{MOD}.Tensor'>.")
    with pytest.raises(TypeError, match="No comparison pair"):
        assert_close(actual, actual.numpy())
    assert_close(fg.nn.Parameter(actual), actual)
    with pytest.raises(TypeError) as info:
        assert_close(fg.nn.Parameter(actual), actual, allow_subclasses=False)
    assert str(info.value) == (
        f"No comparison pair was able to handle inputs of type <class '{MOD}.nn.parameter.Parameter'> "
        f"and <class '{MOD}.Tensor'>.")
    assert_close(np.float64(1.0), 1.0)
    assert_close([actual], (actual,), allow_subclasses=False)
    sparse = fg.tensor([[1.0, 0.0]]).to_sparse()
    assert_close(sparse, fg.tensor([[1.0, 0.0]]), check_layout=False, allow_subclasses=False)


# ---------------------------------------------------------------- torch.asarray
def test_asarray_requires_grad_false_of_a_non_leaf_is_a_detached_alias():
    a = fg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = a + 2
    c = fg.asarray(b, requires_grad=False)
    assert repr(c) == "tensor([3., 4., 5.])"
    assert c is not b and c.is_leaf and c.data_ptr() == b.data_ptr() and b.requires_grad
    d = fg.asarray(b, requires_grad=True)
    assert d is b
    e = fg.asarray(b, requires_grad=True, copy=True)
    assert type(e.grad_fn).__name__ == "CloneBackward0" and e.data_ptr() != b.data_ptr()
    with pytest.raises(RuntimeError, match="^Only Tensors of floating point and complex dtype can require gradients$"):
        fg.asarray([1, 2], requires_grad=True)


# ---------------------------------------------------------------- torch.linalg.lstsq
def test_lstsq_rank_and_singular_values_keep_the_batch_shape_of_a():
    fg.manual_seed(0)
    A = fg.randn(1, 5, 3, dtype=fg.float64)
    B = fg.randn(2, 5, 2, dtype=fg.float64)
    r = fg.linalg.lstsq(A, B, driver="gelsd")
    assert tuple(r.solution.shape) == (2, 3, 2)
    assert tuple(r.residuals.shape) == (2, 2)
    assert r.rank.tolist() == [3]
    assert tuple(r.singular_values.shape) == (1, 3)
    assert tuple(fg.linalg.lstsq(A, B).rank.shape) == (1,)


# ---------------------------------------------------------------- inference tensors
def test_inference_tensor_has_no_version_counter():
    x = fg.ones(2)
    with fg.inference_mode():
        y = fg.ones(2)
        v = x.view(2)
    with pytest.raises(RuntimeError, match="^Inference tensors do not track version counter.$"):
        _ = y._version
    x.add_(1)
    assert v._version == 1


# ---------------------------------------------------------------- hooks
def test_multi_grad_hook_handle_lives_in_autograd_graph():
    a = fg.ones(2, requires_grad=True)
    handle = fg.autograd.graph.register_multi_grad_hook((a,), lambda grads: None)
    assert repr(handle).startswith(f"<{MOD}.autograd.graph._MultiHandle object at 0x")


# ---------------------------------------------------------------- storages
@pytest.mark.filterwarnings("ignore:TypedStorage is deprecated")
def test_typed_storage_made_from_a_size_or_a_sequence():
    s = fg.TypedStorage(5, dtype=fg.float32)
    assert fg.is_storage(s) and s.size() == 5 and s.dtype == fg.float32  # uninitialized, as PyTorch's
    assert fg.TypedStorage([1, 2], dtype=fg.int64).tolist() == [1, 2]
    assert fg.TypedStorage(dtype=fg.float64).size() == 0
    assert fg.TypedStorage(3).dtype == fg.float32
    with pytest.raises(RuntimeError) as info:
        fg.TypedStorage(5, dtype=fg.float32, wrap_storage=s.untyped())
    assert str(info.value).startswith("TypedStorage.__init__ received an invalid combination of arguments.")
    assert str(info.value).endswith("No positional arguments should be given when using 'wrap_storage'")


# ---------------------------------------------------------------- deterministic algorithms
@pytest.fixture
def deterministic():
    fg.use_deterministic_algorithms(True)
    yield
    fg.use_deterministic_algorithms(False)


def test_max_unpool_and_put_refuse_under_deterministic_algorithms(deterministic):
    F = fg.nn.functional
    out, idx = F.max_pool1d(fg.arange(8.0).view(1, 1, 8), 2, return_indices=True)
    with pytest.raises(RuntimeError) as info:
        F.max_unpool1d(out, idx, 2)
    assert str(info.value).startswith(
        "max_unpooling2d_forward_out does not have a deterministic implementation, but you set "
        f"'{MOD}.use_deterministic_algorithms(True)'. You can turn off determinism just for this operation, ")
    out3, idx3 = F.max_pool3d(fg.arange(64.0).view(1, 1, 4, 4, 4), 2, return_indices=True)
    with pytest.raises(RuntimeError, match="^max_unpooling3d_forward_out does not have a deterministic"):
        fg.nn.MaxUnpool3d(2)(out3, idx3)
    with pytest.raises(RuntimeError, match="^put_ does not have a deterministic implementation"):
        fg.zeros(4).put_(fg.tensor([0, 0]), fg.tensor([1.0, 2.0]))
    assert fg.zeros(4).put_(fg.tensor([0, 0]), fg.tensor([1.0, 2.0]), accumulate=True).tolist() == [3.0, 0, 0, 0]
    fg.use_deterministic_algorithms(True, warn_only=True)
    with pytest.warns(UserWarning, match="^put_ does not have a deterministic implementation, but you set "
                                         rf"'{MOD}.use_deterministic_algorithms\(True, warn_only=True\)'"):
        assert fg.zeros(2).put(fg.tensor([1]), fg.tensor([5.0])).tolist() == [0.0, 5.0]


# ---------------------------------------------------------------- Tensor.dim_order
def test_dim_order_ambiguity_check():
    assert fg.empty((2, 3, 5, 7)).transpose(1, 2).dim_order(ambiguity_check=True) == (0, 2, 1, 3)
    assert fg.empty((2, 3, 5, 7), memory_format=fg.channels_last).dim_order() == (0, 2, 3, 1)
    with pytest.raises(RuntimeError, match="^The tensor does not have unique dim order, or cannot map"):
        fg.empty((1, 2, 3, 4)).dim_order(ambiguity_check=True)
    assert fg.empty((1, 2, 3, 4)).dim_order(ambiguity_check=[fg.contiguous_format, fg.channels_last]) == (0, 1, 2, 3)
    with pytest.raises(TypeError, match="^The ambiguity_check argument must be a bool or a list of memory formats.$"):
        fg.empty((1, 2, 3, 4)).dim_order(ambiguity_check="ILLEGAL")
    with pytest.raises(RuntimeError, match="^The tensor does not have unique dim order.$"):
        fg.empty(4, 4).expand(2, 4, 4).dim_order(ambiguity_check=True)
    assert fg.empty(4, 4).expand(2, 4, 4).dim_order() == (0, 1, 2)
    assert fg.empty(4, 4)[:, None].dim_order() == (0, 1, 2)
    with pytest.raises(AttributeError, match="^Can't get dim order on sparse type: "):
        fg.ones(2, 2).to_sparse().dim_order()


# ---------------------------------------------------------------- sparse COO top-level functions
def test_narrow_copy_and_index_select_of_sparse_coo():
    s = fg.arange(16).reshape(4, 4).to_sparse(1)
    n = fg.narrow_copy(s, 0, 0, 1)
    assert n.is_sparse and tuple(n.shape) == (1, 4) and n.to_dense().tolist() == [[0, 1, 2, 3]]
    t = fg.sparse_coo_tensor([[1, 0, 1, 3], [0, 2, 2, 1]], [1.0, 2, 3, 4], (4, 3))
    assert fg.narrow_copy(t, 1, 1, 2).to_dense().tolist() == [[0, 2], [0, 3], [0, 0], [4, 0]]
    picked = fg.index_select(t, 1, fg.tensor([2, 0]))
    assert picked.is_sparse and picked.to_dense().tolist() == [[2, 0], [3, 1], [0, 0], [0, 0]]


# ---------------------------------------------------------------- utils.data generics, func.vjp
def test_datasets_and_samplers_are_generic_as_in_pytorch():
    data = fg.utils.data

    class ByLength(data.Sampler[int]):
        def __init__(self, items):
            self.items = items

        def __len__(self):
            return len(self.items)

        def __iter__(self):
            return iter(sorted(range(len(self.items)), key=lambda i: len(self.items[i])))

    assert list(ByLength(["abc", "a", "ab"])) == [1, 2, 0]
    assert data.Dataset[int].__origin__ is data.Dataset
    assert data.IterableDataset[str].__origin__ is data.IterableDataset
    assert data.Subset[int].__origin__ is data.Subset
    assert data.DistributedSampler[int].__origin__ is data.DistributedSampler
    for concrete in (data.BatchSampler, data.RandomSampler, data.TensorDataset):
        with pytest.raises(TypeError, match="is not a generic class"):
            concrete[int]


def test_vjp_without_primals_calls_the_function_with_none():
    x = fg.ones(2)
    out, vjp_fn = fg.func.vjp(lambda: x.sin().sum())
    assert out.item() == pytest.approx(1.682941969)
    assert vjp_fn(fg.tensor(1.0)) == ()
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'x'"):
        fg.func.vjp(lambda x: x.sin().sum())


# ---------------------------------------------------------------- saving tensor subclasses
class SavedSubclass(fg.Tensor):
    pass


def test_save_keeps_a_tensor_subclass_and_attributes(tmp_path):
    t = SavedSubclass(fg.randn(2, 3))
    t.foo = 3
    plain = fg.ones(2, requires_grad=True)
    plain.bar = 1
    path = tmp_path / "subclass.pt"
    fg.save({"t": t, "plain": plain}, path)
    with pytest.raises(Exception, match="Weights only load failed") as info:
        fg.load(path)
    assert type(info.value).__name__ == "UnpicklingError"
    loaded = fg.load(path, weights_only=False)
    assert type(loaded["t"]) is SavedSubclass and loaded["t"].foo == 3 and loaded["t"].shape == (2, 3)
    assert type(loaded["plain"]) is fg.Tensor and loaded["plain"].bar == 1 and loaded["plain"].requires_grad
    with fg.serialization.safe_globals([SavedSubclass]):
        assert type(fg.load(path, weights_only=True)["t"]) is SavedSubclass


def test_save_leaves_out_hooks_of_a_tensor(tmp_path):
    x = fg.ones(2, requires_grad=True)
    x.register_hook(lambda g: g * 2)
    (x * 3).sum().backward()
    path = tmp_path / "hooked.pt"
    with pytest.warns(UserWarning, match="will not be serialized"):
        fg.save([x, x.grad], path)
    loaded = fg.load(path)
    assert type(loaded[0]) is fg.Tensor and loaded[0].requires_grad and loaded[1].tolist() == [6.0, 6.0]


def test_empty_memory_is_filled_under_deterministic_algorithms(deterministic):
    assert fg.empty(2).isnan().all() and fg.empty(2, dtype=fg.complex64).isnan().all()
    assert fg.empty(2, dtype=fg.int32).tolist() == [2147483647] * 2
    assert fg.empty(2, dtype=fg.uint8).tolist() == [255, 255] and fg.empty(2, dtype=fg.bool).tolist() == [True, True]
    assert fg.empty_like(fg.ones(2, 3).t()).isnan().all() and fg.ones(2).new_empty(3).isnan().all()
    assert fg.empty_strided((2,), (1,)).isnan().all() and fg.empty_permuted((2, 2), (1, 0)).isnan().all()
    t = fg.ones(2, dtype=fg.int64)
    t.resize_(3)
    assert t.tolist() == [1, 1, 9223372036854775807]
    e = fg.empty(2, requires_grad=True)
    assert e.is_leaf and e.requires_grad and e.isnan().all()
    with pytest.raises(RuntimeError, match="^expected a bool, but got int$"):
        fg.utils.deterministic.fill_uninitialized_memory = 1
    fg.utils.deterministic.fill_uninitialized_memory = False
    try:
        assert fg.utils.deterministic.fill_uninitialized_memory is False
    finally:
        fg.utils.deterministic.fill_uninitialized_memory = True
    assert fg.utils.deterministic.fill_uninitialized_memory is True


# ---------------------------------------------------------------- from_file, F's override helpers
def test_from_file_maps_a_file(tmp_path):
    path = str(tmp_path / "floats.bin")
    np.arange(6, dtype=np.float32).tofile(path)
    assert fg.from_file(path, size=4).tolist() == [0.0, 1.0, 2.0, 3.0]
    assert fg.from_file(path, size=2, dtype=fg.int32).tolist() == [0, 1065353216]
    assert fg.from_file(path, size=0).tolist() == []
    private = fg.from_file(path, shared=False, size=6)
    private[0] = 100
    assert np.fromfile(path, dtype=np.float32)[0] == 0
    shared = fg.from_file(path, shared=True, size=6)
    shared[0] = 100
    assert np.fromfile(path, dtype=np.float32)[0] == 100
    with pytest.raises(RuntimeError, match=r"size <24> is smaller than the required mapping size <28>"):
        fg.from_file(path, size=7)
    with pytest.raises(RuntimeError, match="unable to open file"):
        fg.from_file(str(tmp_path / "missing.bin"), size=2)
    created = str(tmp_path / "created.bin")
    assert fg.from_file(created, shared=True, size=3).tolist() == [0.0, 0.0, 0.0]
    assert (tmp_path / "created.bin").stat().st_size == 12


def test_functional_exposes_the_override_helpers():
    F = fg.nn.functional
    assert F.handle_torch_function is fg.overrides.handle_torch_function
    assert F.has_torch_function_variadic is fg.overrides.has_torch_function_variadic


# ---------------------------------------------------------------- utils.checkpoint helpers
def test_checkpoint_module_helpers():
    cp = fg.utils.checkpoint
    assert issubclass(cp.CheckpointError, RuntimeError)
    assert [p.name for p in cp.CheckpointPolicy][:2] == ["MUST_SAVE", "PREFER_SAVE"]
    assert cp.CheckpointPolicy.PREFER_CPU_OFFLOAD.value == 5
    assert cp.get_device_states(fg.ones(1)) == ([], [])
    assert cp.DefaultDeviceType.get_device_type() == "cpu"
    x = fg.ones(1, requires_grad=True)
    detached = cp.detach_variable((x, 3))
    assert detached[1] == 3 and detached[0].requires_grad and detached[0].is_leaf and detached[0] is not x
    with pytest.raises(RuntimeError, match="^Only tuple of tensors is supported. Got Unsupported input type: list$"):
        cp.detach_variable([x])
    with pytest.warns(UserWarning, match="None of the inputs have requires_grad=True"):
        cp.check_backward_validity([fg.ones(1)])
    forward_ctx, recompute_ctx = cp.noop_context_fn()
    with forward_ctx, recompute_ctx:
        pass
    with cp.set_checkpoint_early_stop(False), cp.set_checkpoint_debug_enabled(None):
        out = cp.checkpoint(lambda t: t.sin(), x, use_reentrant=False)
    out.sum().backward()
    assert x.grad.tolist() == pytest.approx([0.5403023])


# ---------------------------------------------------------------- serialization settings
def test_serialization_settings():
    import mmap

    s = fg.serialization
    assert [e.name for e in s.LoadEndianness] == ["NATIVE", "LITTLE", "BIG"]
    assert s.get_default_load_endianness() is None
    s.set_default_load_endianness(s.LoadEndianness.LITTLE)
    try:
        assert s.get_default_load_endianness() is s.LoadEndianness.LITTLE
    finally:
        s.set_default_load_endianness(None)
    with pytest.raises(TypeError, match="^Invalid argument type in function set_default_load_endianness$"):
        s.set_default_load_endianness("little")
    assert s.get_crc32_options() is True
    assert s.get_default_mmap_options() == mmap.MAP_PRIVATE
    with s.set_default_mmap_options(mmap.MAP_SHARED):
        assert s.get_default_mmap_options() == mmap.MAP_SHARED
    assert s.get_default_mmap_options() == mmap.MAP_PRIVATE
    with pytest.raises(ValueError, match="expected mmap.MAP_PRIVATE or mmap.MAP_SHARED, but got 5$"):
        s.set_default_mmap_options(5)


# ---------------------------------------------------------------- vmap over autograd.grad
def test_vmap_over_autograd_grad_runs_one_backward_per_batch():
    # torch.vmap's docstring: the Jacobian by vmapping a vjp over the rows of the identity
    x = fg.tensor([1.0, -2.0, 3.0], requires_grad=True)
    y = x**2
    jacobian = fg.vmap(lambda v: fg.autograd.grad(y, x, v))(fg.eye(3))
    assert jacobian[0].tolist() == [[2.0, 0.0, 0.0], [0.0, -4.0, 0.0], [0.0, 0.0, 6.0]]
    with pytest.raises(RuntimeError, match="^Trying to backward through the graph a second time"):
        fg.autograd.grad(y, x, fg.ones(3))  # the batched backward freed the graph
    y = x**2
    nested = fg.vmap(fg.vmap(lambda v: fg.autograd.grad(y, x, v)[0]))(fg.eye(3).expand(2, 3, 3))
    assert tuple(nested.shape) == (2, 3, 3) and nested[1].diagonal().tolist() == [2.0, -4.0, 6.0]


# ---------------------------------------------------------------- Stream and Event on the CPU
def test_cpu_stream_and_event():
    s, e = fg.Stream(), fg.Event()
    assert repr(s) == f"{MOD}.Stream device_type=cpu, device_index=-1, stream_id=0"
    assert repr(e) == f"{MOD}.Event device_type=cpu, device_index=-1, event_flag=0, event_id=0"
    assert repr(fg.Event(enable_timing=True)).endswith("event_flag=1, event_id=0")
    assert s.query() and e.query() and not s.is_capturing()
    assert s.synchronize() is None and e.synchronize() is None and e.wait(s) is None and s.wait_event(e) is None
    assert (s.device, s.device_type, s.device_index, s.stream_id) == (fg.device("cpu"), 0, -1, 0)
    assert s == fg.Stream() and hash(s) == hash(fg.Stream())
    with s:
        pass
    for call in (e.record, s.record_event, lambda: s.wait_stream(fg.Stream())):
        with pytest.raises(RuntimeError, match="^cpu backend doesn't support events.$"):
            call()
    with pytest.raises(ValueError, match="^Both events must be created with argument 'enable_timing=True'.$"):
        e.elapsed_time(fg.Event())
    with pytest.raises(RuntimeError, match="^Backend doesn't support getting stream native handle.$"):
        _ = s.native_handle
    with pytest.raises(RuntimeError, match="^Cannot access accelerator device when none is available.$"):
        fg.Stream(1)
