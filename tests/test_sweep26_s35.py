"""Differences found by the whole-API sweeps of session 35 (opinfo_diff.py,
doc_examples_diff.py, print_fuzz18.py, sweep_layouts.py), each with PyTorch's behaviour:
the old `cholesky` of an empty matrix under create_graph, the autocast state functions'
argument checks and their one-argument form, and meta tensors next to CPU tensors in ops
that read each tensor on its own."""

import threading
import warnings

import pytest
from backend import MOD, fg


def test_cholesky_of_empty_matrix_records_its_gradient():
    for upper in (False, True):
        x = fg.zeros(0, 0, dtype=fg.float64, requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            y = fg.cholesky(x, upper=upper)
        assert type(y.grad_fn).__name__ == "CholeskyBackward0"
        (g,) = fg.autograd.grad(y.sum(), x, create_graph=True)
        assert g.requires_grad
        assert type(g.grad_fn).__name__ == "LinalgSolveTriangularBackward0"
        assert g.shape == (0, 0)


def test_cholesky_of_empty_batch_records_its_gradient():
    x = fg.zeros(2, 0, 0, dtype=fg.float32, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        y = fg.cholesky(x, upper=True)
    (g,) = fg.autograd.grad(y.sum(), x, create_graph=True)
    assert type(g.grad_fn).__name__ == "LinalgSolveTriangularBackward0"
    assert g.shape == (2, 0, 0)


@pytest.mark.parametrize("name,value,message", [
    ("set_autocast_cpu_enabled", [1], "enabled must be a bool (got list)"),
    ("set_autocast_cpu_enabled", 1, "enabled must be a bool (got int)"),
    ("set_autocast_cache_enabled", None, "enabled must be a bool (got NoneType)"),
    ("set_autocast_cpu_dtype", "x", "dtype must be a torch.dtype (got str)"),
])
def test_deprecated_autocast_setters_check_their_argument(name, value, message):
    with pytest.raises(TypeError) as info:
        getattr(fg, name)(value)
    assert str(info.value) == message


@pytest.mark.parametrize("args,message", [
    (("cpu", 1), "set_autocast_enabled(): argument 'enabled' (position 2) must be bool, not int"),
    (("cpu", [1]), "set_autocast_enabled(): argument 'enabled' (position 2) must be bool, not list"),
    ((1, True), "set_autocast_enabled(): argument 'device_type' (position 1) must be str, not int"),
    ((None,), "set_autocast_enabled(): argument 'enabled' (position 1) must be bool, not NoneType"),
])
def test_set_autocast_enabled_checks_its_arguments(args, message):
    with pytest.raises(TypeError) as info:
        fg.set_autocast_enabled(*args)
    assert str(info.value) == message


def test_set_autocast_enabled_without_arguments():
    with pytest.raises(TypeError, match=r"received an invalid combination of arguments - got \(\), but expected"):
        fg.set_autocast_enabled()


@pytest.mark.parametrize("args,message", [
    (("cpu", 1), "set_autocast_dtype(): argument 'dtype' (position 2) must be torch.dtype, not int"),
    (("cpu", None), "set_autocast_dtype(): argument 'dtype' (position 2) must be torch.dtype, not NoneType"),
    ((1, None), "set_autocast_dtype(): argument 'device_type' (position 1) must be str, not int"),
])
def test_set_autocast_dtype_checks_its_arguments(args, message):
    with pytest.raises(TypeError) as info:
        fg.set_autocast_dtype(*args)
    assert str(info.value) == message


def test_deprecated_autocast_setter_warning_text():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fg.set_autocast_cpu_enabled(False)
    assert [w.category for w in caught] == [DeprecationWarning]
    assert str(caught[0].message) == (
        f"{MOD}.set_autocast_cpu_enabled(enabled) is deprecated. Please use {MOD}.set_autocast_enabled('cpu', "
        "enabled) instead. (Triggered internally at /__w/pytorch/pytorch/torch/csrc/autograd/init.cpp:874.)"
    )


def test_autocast_switch_of_another_device_is_kept_per_thread():
    try:
        fg.set_autocast_enabled(True)  # the one-argument form: CUDA's switch
        assert fg.is_autocast_enabled() is True
        assert fg.is_autocast_enabled("cuda") is True
        assert fg.is_autocast_enabled("cpu") is False
        seen = []
        thread = threading.Thread(target=lambda: seen.append(fg.is_autocast_enabled()))
        thread.start()
        thread.join()
        assert seen == [False]
        fg.set_autocast_enabled("cuda", False)
        assert fg.is_autocast_enabled() is False
        fg.set_autocast_enabled("xpu", True)
        assert fg.is_autocast_enabled("xpu") is True
    finally:
        fg.set_autocast_enabled("cuda", False)
        fg.set_autocast_enabled("xpu", False)


def _described(r):
    if isinstance(r, (tuple, list)):
        return [_described(x) for x in r]
    return (r.device.type, tuple(r.shape), r.tolist() if r.device.type == "cpu" else None)


def test_meta_and_cpu_tensors_in_per_tensor_ops():
    d = fg.tensor([[0.0, 1.0], [2.0, 3.0]])
    s = fg.empty(2, 2, device="meta")
    assert _described(fg.atleast_1d(d, s)) == [("cpu", (2, 2), [[0.0, 1.0], [2.0, 3.0]]), ("meta", (2, 2), None)]
    assert _described(fg.atleast_3d([s, d])) == [("meta", (2, 2, 1), None),
                                                  ("cpu", (2, 2, 1), [[[0.0], [1.0]], [[2.0], [3.0]]])]
    assert _described(fg.atleast_2d(fg.ones(2), s)) == [("cpu", (1, 2), [[1.0, 1.0]]), ("meta", (2, 2), None)]
    v = fg.empty(1, 2, device="meta", dtype=fg.float64)
    out = fg.broadcast_tensors(v, d)
    assert _described(out) == [("meta", (2, 2), None), ("cpu", (2, 2), [[0.0, 1.0], [2.0, 3.0]])]
    assert out[0].dtype == fg.float64
    assert fg.result_type(d, v) == fg.float64
    assert fg.is_same_size(d, s) is True
    assert d.is_same_size(fg.empty(3, device="meta")) is False


def test_meta_broadcast_errors():
    a = fg.ones(2, device="meta")
    c = fg.ones(1, 3, device="meta", dtype=fg.int64)
    with pytest.raises(RuntimeError) as info:
        fg.broadcast_tensors(fg.ones(2), c)
    assert str(info.value) == "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 1"
    with pytest.raises(RuntimeError) as info:
        fg.broadcast_tensors(a, c)
    assert str(info.value) == "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 1"
    with pytest.raises(RuntimeError) as info:
        c.expand(2)
    assert str(info.value) == (
        "expand(MetaLongType{[1, 3]}, size=[2]): the number of sizes provided (1) must be greater or equal to the "
        "number of dimensions in the tensor (2)"
    )


@pytest.mark.parametrize("shape", [(1, 1), (1, 5)])
def test_pdist_without_pairs_keeps_its_node(shape):
    x = fg.ones(*shape, dtype=fg.float64, requires_grad=True)
    out = fg.nn.functional.pdist(x)
    assert out.shape == (0,)
    assert type(out.grad_fn).__name__ == "PdistBackward0"
    assert out.grad_fn._saved_p == 2.0
    (g,) = fg.autograd.grad(out.sum(), x)
    assert g.tolist() == [[0.0] * shape[1]]


@pytest.mark.parametrize("args,shape", [((0,), (3, 4)), ((1,), (3, 4)), ((1, 0, 4), (3, 4)), ((0, -5, 100), (3, 4)),
                                        ((1, 0, 4, 2), (3, 2)), ((-1, 1, None), (3, 3)), ((1, 4, 4), (3, 0))])
def test_aten_slice_records_slice_backward(args, shape):
    x = fg.ones(3, 4, requires_grad=True)
    y = fg.ops.aten.slice(x, *args)
    assert tuple(y.shape) == shape
    assert type(y.grad_fn).__name__ == "SliceBackward0"
    assert y._base is x


@pytest.mark.parametrize("call,message", [
    (lambda d, s: fg.gather(d, s), "gather(): argument 'dim' (position 2) must be int, not Tensor"),
    (lambda d, s: d.atan2(s, s), "atan2() takes 1 positional argument but 2 were given"),
    (lambda d, s: fg.index_select(s, d), "index_select(): argument 'dim' (position 2) must be int, not Tensor"),
    (lambda d, s: fg.nn.functional.max_pool1d(d, s),
     "max_pool1d(): argument 'kernel_size' (position 2) must be tuple of ints, not Tensor"),
    (lambda d, s: fg.histc(d, s), "histc(): argument 'bins' (position 2) must be int, not Tensor"),
])
def test_parser_refuses_before_the_device_check(call, message):
    d = fg.ones(3, 3)
    s = fg.ones(3, 3, device="meta")
    with pytest.raises(TypeError) as info:
        call(d, s)
    assert str(info.value) == message


def test_scatter_method_with_a_meta_argument_is_refused_by_the_parser():
    with pytest.raises(TypeError, match=r"^scatter\(\) received an invalid combination of arguments - got \(Tensor\)"):
        fg.ones(3, 3).scatter(fg.ones(3, 3, device="meta"))


DENSE = [[0.0, 1.0, 0.0], [2.0, 0.0, 3.0], [0.0, 0.0, 4.0]]


@pytest.mark.parametrize("name,kwargs,expected", [
    ("add_", {}, [[0.0, 2.0, 0.0], [4.0, 0.0, 6.0], [0.0, 0.0, 8.0]]),
    ("add_", {"alpha": 3}, [[0.0, 4.0, 0.0], [8.0, 0.0, 12.0], [0.0, 0.0, 16.0]]),
    ("sub_", {"alpha": 2}, [[0.0, -1.0, 0.0], [-2.0, 0.0, -3.0], [0.0, 0.0, -4.0]]),
    ("subtract_", {}, [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]),
    ("mul_", {}, [[0.0, 1.0, 0.0], [4.0, 0.0, 9.0], [0.0, 0.0, 16.0]]),
    ("multiply_", {}, [[0.0, 1.0, 0.0], [4.0, 0.0, 9.0], [0.0, 0.0, 16.0]]),
])
def test_dense_inplace_with_a_sparse_operand(name, kwargs, expected):
    d = fg.tensor(DENSE)
    out = getattr(d, name)(fg.tensor(DENSE).to_sparse(), **kwargs)
    assert out is d
    assert out.layout == fg.strided
    assert out.tolist() == expected


def test_dense_add_of_a_csr_operand_and_its_gradient():
    d = fg.tensor(DENSE)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        csr = fg.tensor(DENSE).to_sparse_csr()
    assert d.add_(csr).tolist() == [[0.0, 2.0, 0.0], [4.0, 0.0, 6.0], [0.0, 0.0, 8.0]]
    leaf = fg.tensor(DENSE, requires_grad=True)
    e = leaf * 1
    e.add_(fg.tensor(DENSE).to_sparse())
    assert type(e.grad_fn).__name__ == "AddBackward0"
    e.sum().backward()
    assert leaf.grad.tolist() == [[1.0] * 3] * 3


def test_autograd_graph_module_names():
    import importlib

    graph = importlib.import_module(f"{MOD}.autograd.graph")
    assert repr(graph.RemovableHandle) == f"<class '{MOD}.utils.hooks.RemovableHandle'>"
    assert graph.Variable is fg.autograd.Variable
