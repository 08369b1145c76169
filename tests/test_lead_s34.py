"""Session 34 (lead): saved numbers of `number ** t`, `Tensor.data =` an inference
tensor, in-place `masked_scatter_` as one node. Expectations are PyTorch's (the file
passes with FG_TEST_BACKEND=torch)."""

import pytest
from backend import fg


def _graph(node, depth):
    if node is None or depth == 0:
        return None if node is None else node.name()
    return node.name(), [_graph(f, depth - 1) for f, _ in node.next_functions]


@pytest.mark.parametrize("base, kind", [(2, int), (2.5, float)])
def test_rpow_number_saved_after_backward(base, kind):
    p = base ** fg.tensor([1.0, 2.0], requires_grad=True)
    assert p.grad_fn.name() == "PowBackward2"
    p.sum().backward()
    saved = p.grad_fn._saved_self
    assert saved == base and type(saved) is kind


def test_rpow_number_gradient():
    x = fg.tensor([1.0, 2.0], dtype=fg.float64, requires_grad=True)
    (3 ** x).sum().backward()
    assert x.grad.tolist() == pytest.approx([3.2958368660043291, 9.8875105980129873])


def test_set_data_to_inference_tensor():
    with fg.inference_mode():
        x = fg.ones(2)
    y = fg.ones(2)
    y.data = x
    assert y.is_inference()
    assert y._version == 0  # the counter stays y's
    y.add_(1)
    assert y.tolist() == [2.0, 2.0] and y._version == 1


def test_set_data_of_inference_tensor_to_normal():
    with fg.inference_mode():
        a = fg.ones(2)
    a.data = fg.zeros(2)
    assert not a.is_inference()
    with pytest.raises(RuntimeError, match="^Inference tensors do not track version counter.$"):
        _ = a._version
    with pytest.raises(RuntimeError, match="^Inplace update to inference tensor outside InferenceMode"):
        a.add_(1)


def test_set_data_inference_on_leaf_keeps_gradient():
    with fg.inference_mode():
        x = fg.ones(2)
    z = fg.ones(2, requires_grad=True)
    z.data = x
    assert z.is_inference() and z.requires_grad
    (z * 2).sum().backward()
    assert z.grad.tolist() == [2.0, 2.0]


def test_masked_scatter_inplace_is_one_node():
    x = fg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 1
    out = y.masked_scatter_(fg.tensor([True, False, True]), x * 10)
    assert out is y
    assert _graph(y.grad_fn, 2) == ("MaskedScatterBackward0", [("MulBackward0", ["torch::autograd::AccumulateGrad", None]),
                                                             ("MulBackward0", ["torch::autograd::AccumulateGrad", None])])
    assert y.grad_fn._saved_mask.tolist() == [True, False, True]
    assert y.grad_fn._saved_source_sym_sizes == (3,)
    assert y._version == 1
    y.sum().backward()
    assert x.grad.tolist() == [10.0, 11.0, 0.0]


def test_masked_scatter_inplace_on_view_wraps_copy_slices():
    x = fg.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    y = x * 1
    v = y[1:]
    v.masked_scatter_(fg.tensor([True, False, True]), x[:2] * 10)
    assert _graph(y.grad_fn, 3) == (
        "torch::autograd::CopySlices",
        [("MulBackward0", [("torch::autograd::AccumulateGrad", []), None]),
         ("MulBackward0", [("SliceBackward0", ["torch::autograd::AccumulateGrad"]), None])])
    assert _graph(v.grad_fn, 2) == ("AsStridedBackward0", [("torch::autograd::CopySlices", ["MulBackward0", "MulBackward0"])])
    assert y.tolist() == [1.0, 10.0, 3.0, 20.0]
    y.sum().backward()
    assert x.grad.tolist() == [11.0, 10.0, 1.0, 0.0]


def test_masked_scatter_inplace_into_plain_tensor_takes_history():
    z = fg.zeros(3)
    s = fg.tensor([5.0, 6.0], requires_grad=True)
    z.masked_scatter_(fg.tensor([False, True, True]), s)
    assert z.requires_grad and not z.is_leaf
    assert _graph(z.grad_fn, 2) == ("MaskedScatterBackward0", [None, ("torch::autograd::AccumulateGrad", [])])
    (z * fg.tensor([1.0, 2.0, 3.0])).sum().backward()
    assert s.grad.tolist() == [2.0, 3.0]


def test_masked_scatter_inplace_refusals():
    x = fg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="^a leaf Variable that requires grad is being used in an in-place operation.$"):
        x.masked_scatter_(fg.tensor([True, False, True]), fg.zeros(3))
    assert x.tolist() == [1.0, 2.0, 3.0]
    with fg.no_grad():
        x.masked_scatter_(fg.tensor([True, False, True]), fg.zeros(3))
    assert x.tolist() == [0.0, 2.0, 0.0] and x.grad_fn is None


def test_refused_guarded_method_frees_its_arguments_at_once():
    import gc
    import weakref

    x = fg.ones(4, 5, requires_grad=True)
    alive = weakref.ref(x)
    with pytest.raises(RuntimeError, match="^a leaf Variable that requires grad is being used in an in-place operation.$"):
        x.add_(1)
    del x
    gc.collect()
    assert alive() is None


def test_range_indexes_as_a_list():
    x = fg.arange(12.0).reshape(3, 4)
    assert x[range(2)].tolist() == [[0.0, 1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0]]
    assert x[range(1, 3), range(2)].tolist() == [4.0, 9.0]
    assert x[:, range(0, 4, 2)].tolist() == [[0.0, 2.0], [4.0, 6.0], [8.0, 10.0]]
    y = x.clone()
    y[range(2)] = 0
    assert y.tolist() == [[0.0] * 4, [0.0] * 4, [8.0, 9.0, 10.0, 11.0]]


def test_lu_of_zero_columns_keeps_zeros():
    lu, pivots, info = fg.linalg.lu_factor_ex(fg.zeros(3, 3))
    assert lu.tolist() == [[0.0] * 3] * 3
    assert pivots.tolist() == [1, 2, 3] and info.item() == 1
    _, lower, upper = fg.linalg.lu(fg.zeros(3, 3))
    assert lower.tolist() == [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    assert upper.tolist() == [[0.0] * 3] * 3
    lu, pivots, info = fg.linalg.lu_factor_ex(fg.tensor([[0.0, 1.0, 2.0], [0.0, 3.0, 4.0], [0.0, 5.0, 7.0]]))
    assert lu.flatten().tolist() == pytest.approx([0.0, 1.0, 2.0, 0.0, 5.0, 7.0, 0.0, 0.6, -0.2], abs=1e-6)
    assert pivots.tolist() == [1, 3, 3] and info.item() == 1


def test_number_base_power_gradient_in_double():
    t = fg.tensor([0.5, 1.0], dtype=fg.float64, requires_grad=True)
    (2 ** t).sum().backward()
    assert t.grad.tolist() == [0.9802581434685472, 1.3862943611198906]


def test_svd_of_non_finite_input():
    a = fg.tensor([[1.0, float("nan")], [0.0, 1.0]])
    with pytest.raises(fg.linalg.LinAlgError, match="^linalg.svd: The algorithm failed to converge because the input "
                       "matrix contained non-finite values.$"):
        fg.linalg.svd(a)


@pytest.mark.parametrize("size, stride, offset, words", [
    ((3,), (2,), 1, "self.size(-1) must be divisible by 2"),
    ((4,), (2,), 1, "self.storage_offset() must be divisible by 2"),
    ((2, 4), (3, 2), 0, "self.stride(-1) must be 1"),
    ((2, 4), (3, 1), 0, "self.stride(0) must be divisible by 2"),
])
def test_view_dtype_checks_in_order(size, stride, offset, words):
    v = fg.ones(64).as_strided(size, stride, offset)
    with pytest.raises(RuntimeError) as caught:
        v.view(fg.float64)
    assert str(caught.value).startswith(words + " to view Float as Double (different element sizes)")


_ONEDNN = ("Input type ({}) and weight type ({}) should be the same or input should be a MKLDNN tensor and weight "
           "is a dense tensor")


@pytest.mark.parametrize("shape, weight, di, dw, words", [
    ((1, 1, 3, 3), (1, 1, 2, 2), "float32", "float16", "expected scalar type Float but found Half"),
    ((1, 1, 3, 3), (1, 1, 2, 2), "float32", "float64", "expected scalar type Float but found Double"),
    ((1, 1, 3, 3), (1, 1, 2, 2), "float64", "float32", "expected scalar type Double but found Float"),
    ((1, 1, 3, 3), (1, 1, 2, 2), "float16", "float32", _ONEDNN.format("{m}.HalfTensor", "{m}.FloatTensor")),
    ((1, 1, 3, 3), (1, 1, 2, 2), "bfloat16", "float32", _ONEDNN.format("CPUBFloat16Type", "{m}.FloatTensor")),
    ((2, 3, 16, 16), (4, 3, 3, 3), "float32", "float16", _ONEDNN.format("{m}.FloatTensor", "{m}.HalfTensor")),
    ((2, 3, 16, 16), (4, 3, 3, 3), "float32", "bfloat16", _ONEDNN.format("{m}.FloatTensor", "CPUBFloat16Type")),
])
def test_conv_dtype_mismatch_words_follow_the_kernel(shape, weight, di, dw, words):
    from backend import MOD

    x = fg.ones(shape, dtype=getattr(fg, di))
    w = fg.ones(weight, dtype=getattr(fg, dw))
    with pytest.raises(RuntimeError) as caught:
        fg.nn.functional.conv2d(x, w)
    assert str(caught.value) == words.format(m=MOD)


def test_bmm_names_the_operand_that_is_not_3d():
    with pytest.raises(RuntimeError, match="^batch2 must be a 3D tensor$"):
        fg.bmm(fg.ones(2, 3, 3), fg.ones(3))
    with pytest.raises(RuntimeError, match="^batch1 must be a 3D tensor$"):
        fg.ones(3).bmm(fg.ones(2, 3, 3))


def test_copy_of_a_complex_number_into_a_real_tensor():
    import warnings

    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        out = fg.ones(3).copy_(1j)
    assert out.tolist() == [0.0, 0.0, 0.0]
    assert fg.zeros(2, dtype=fg.complex64).copy_(1 + 2j).tolist() == [1 + 2j, 1 + 2j]


def test_pooling_zero_dim_input_errors():
    F = fg.nn.functional
    with pytest.raises(IndexError, match="^Dimension specified as -3 but tensor has no dimensions$"):
        F.avg_pool2d(fg.tensor(1.0), 2)
    with pytest.raises(IndexError, match="^Dimension specified as 0 but tensor has no dimensions$"):
        F.fractional_max_pool2d(fg.tensor(1.0), 2, output_size=1)
    with pytest.raises(RuntimeError, match=r"^fractional_max_pool3d_out\(\): Expected 4D or 5D tensor, but got: \[3\]$"):
        F.fractional_max_pool3d(fg.ones(3), 2, output_size=1, _random_samples=fg.rand(1, 1, 3))


@pytest.mark.parametrize("op, fields", [
    (lambda x: fg.erfc(x), {"_saved_self": "x"}),
    (lambda x: fg.sinc(x), {"_saved_self": "x"}),
    (lambda x: fg.i0(x), {"_saved_self": "x"}),
    (lambda x: fg.nan_to_num(x), {"_saved_self": "x"}),
    (lambda x: fg.special.entr(x), {"_saved_self": "x"}),
    (lambda x: fg.logaddexp(x, x), {"_saved_self": "x", "_saved_other": "x"}),
    (lambda x: fg.median(x), {"_saved_self": "x", "_saved_result": "out"}),
])
def test_saved_tensors_of_elementwise_nodes(op, fields):
    x = fg.tensor([0.5, 1.0, 1.5], dtype=fg.float64, requires_grad=True)
    out = op(x)
    for field, which in fields.items():
        saved = getattr(out.grad_fn, field)
        assert fg.equal(saved, x if which == "x" else out)


def test_saved_values_of_mvlgamma_qr_svd():
    x = fg.tensor([3.5, 4.0], dtype=fg.float64, requires_grad=True)
    assert fg.mvlgamma(x, 2).grad_fn._saved_p == 2
    a = fg.tensor([[2.0, 1.0], [1.0, 3.0], [0.5, 0.5]], dtype=fg.float64, requires_grad=True)
    q, r = fg.linalg.qr(a)
    assert q.grad_fn._saved_mode == "reduced"
    assert fg.equal(q.grad_fn._saved_Q, q) and fg.equal(q.grad_fn._saved_R, r)
    u, s, vh = fg.linalg.svd(a, full_matrices=False)
    node = u.grad_fn
    assert node._saved_full_matrices is False and node._saved_S_sym_argsize_minus_1 == 2
    assert fg.equal(node._saved_S, s) and fg.equal(node._saved_U, u) and fg.equal(node._saved_Vh, vh)
    w, v = fg.linalg.eigh(a.T @ a)
    assert fg.equal(w.grad_fn._saved_eigenvalues, w) and fg.equal(w.grad_fn._saved_eigenvectors, v)


def test_cholesky_ex_of_a_matrix_that_is_not_positive_definite():
    a = fg.tensor([[1.0, 2.0], [2.0, 1.0]], dtype=fg.float64)
    lower, info = fg.linalg.cholesky_ex(a)
    assert lower.tolist() == [[1.0, 0.0], [2.0, -3.0]] and info.item() == 2
    upper, info = fg.linalg.cholesky_ex(a, upper=True)
    assert upper.tolist() == [[1.0, 2.0], [0.0, -3.0]] and info.item() == 2
    b = fg.tensor([[4.0, 2.0, 1.0], [2.0, 1.0, 5.0], [1.0, 5.0, 2.0]], dtype=fg.float64)
    lower, info = fg.linalg.cholesky_ex(b)
    assert lower.tolist() == [[2.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.5, 5.0, 2.0]] and info.item() == 2


def test_accumulating_into_a_grad_of_other_strides_warns():
    import warnings

    x = fg.ones(3, 4, requires_grad=True)
    x.grad = fg.zeros(4, 3).t()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        (x * 2).sum().backward()
    texts = [str(w.message) for w in caught if "gradient layout contract" in str(w.message)]
    # PyTorch warns once per process: a test run earlier may have used it up
    expected = ("grad and param do not obey the gradient layout contract. This is not an error, but may impair "
                "performance.\ngrad.sizes() = [3, 4], strides() = [1, 3]\nparam.sizes() = [3, 4], strides() = [4, 1] "
                "(Triggered internally at /__w/pytorch/pytorch/torch/csrc/autograd/functions/accumulate_grad.h:252.)")
    assert texts in ([], [expected])
    assert x.grad.stride() == (1, 3) and x.grad.tolist() == [[2.0] * 4] * 3


def test_layout_contract_warning_is_given_once_per_process():
    import os
    import subprocess
    import sys

    code = (
        "import warnings, sys\n"
        f"sys.path.insert(0, {os.path.dirname(__file__)!r})\n"
        "from backend import fg\n"
        "warnings.simplefilter('always')\n"
        "for _ in range(2):\n"
        "    x = fg.ones(3, 4, requires_grad=True)\n"
        "    x.grad = fg.zeros(4, 3).t()\n"
        "    with warnings.catch_warnings(record=True) as caught:\n"
        "        warnings.simplefilter('always')\n"
        "        (x * 2).sum().backward()\n"
        "    print(sum('layout contract' in str(w.message) for w in caught))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=os.environ, check=True)
    assert out.stdout.split() == ["1", "0"]


def test_double_backward_through_advanced_indexing():
    w = fg.rand(5, 3, dtype=fg.float64, requires_grad=True)
    y = w[fg.tensor([0, 2])]
    g = fg.ones_like(y, requires_grad=True)
    (gw,) = fg.autograd.grad(y, w, g, create_graph=True)
    (back,) = fg.autograd.grad(gw, g, fg.ones(5, 3, dtype=fg.float64))
    assert back.shape == (2, 3) and back.tolist() == [[1.0] * 3] * 2
    x = fg.rand(4, 3, dtype=fg.float64, requires_grad=True)
    assert fg.autograd.gradgradcheck(lambda t: t[fg.tensor([1, 3, 1])].sum(0), (x,))
