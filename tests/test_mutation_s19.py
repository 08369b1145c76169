"""Session 19 differences from PyTorch 2.13 (CPU) found by `tools/opinfo_diff.py --mutate`
over every OpInfo: NumPy arrays and other non-tensors reaching PyTorch's Python code (which
fails as the call it makes first fails), ctc_loss's checks, the shapes and dtypes some
losses accept, MultiheadAttention's asserts, 0-size and 0-dim operands, histogram's bin
checks, and the parsers that take no NumPy array. Expected values, types and messages are
PyTorch's; the file also runs against PyTorch (`FG_TEST_BACKEND=torch`)."""

import math
import re

import numpy as np
import pytest
from backend import fg

F = fg.nn.functional
NOT_CALLABLE = "'int' object is not callable"  # a NumPy array's `size` is an int


def raises(kind, fragment):
    return pytest.raises(kind, match=re.escape(fragment))


def array(*shape, dtype=np.float32):
    return np.ones(shape, dtype=dtype)


# ---- 1. NumPy arrays in PyTorch's Python functions: `input.size()` and friends ------------

def test_nn_functional_fails_as_its_first_method_call_on_an_array():
    idx = fg.zeros(2, 3, 4, dtype=fg.int64)
    calls = [
        lambda: F.adaptive_avg_pool2d(array(1, 3, 3), 2),
        lambda: F.adaptive_max_pool3d(array(1, 3, 3, 3), 2),
        lambda: F.max_unpool1d(array(2, 3, 4), idx, 2),
        lambda: F.max_unpool2d(array(2, 3, 4, 4), idx.unsqueeze(-1), 2),
        lambda: F.instance_norm(array(2, 3, 4)),
        lambda: F.binary_cross_entropy(fg.ones(3), array(3)),
        lambda: F.binary_cross_entropy(array(3), fg.ones(3)),
        lambda: F.binary_cross_entropy_with_logits(fg.ones(3), array(3)),
        lambda: F.gaussian_nll_loss(array(3), fg.ones(3), fg.ones(3)),
        lambda: F.embedding_bag(fg.tensor([1, 2]), fg.ones(4, 3), fg.tensor([0]), mode="sum",
                                per_sample_weights=array(2)),
    ]
    for call in calls:
        with raises(TypeError, NOT_CALLABLE):
            call()


def test_nn_functional_fails_as_its_first_method_call_on_none_or_a_string():
    with raises(AttributeError, "'NoneType' object has no attribute 'size'"):
        F.adaptive_max_pool3d(None, 2)
    with raises(AttributeError, "'NoneType' object has no attribute 'size'"):
        F.binary_cross_entropy(fg.ones(3), None)
    with raises(AttributeError, "'str' object has no attribute 'size'"):
        F.binary_cross_entropy_with_logits(fg.ones(3), "a")


def test_functions_that_call_a_bound_op_first_get_its_parser_error():
    with raises(TypeError, "pairwise_distance(): argument 'x1' (position 1) must be Tensor, not numpy.ndarray"):
        F.triplet_margin_with_distance_loss(array(2, 3), fg.ones(2, 3), fg.ones(2, 3))
    with raises(TypeError, "pairwise_distance(): argument 'x2' (position 2) must be Tensor, not numpy.ndarray"):
        F.triplet_margin_with_distance_loss(fg.ones(2, 3), fg.ones(2, 3), array(2, 3))
    with raises(TypeError, "is_floating_point(): argument 'input' (position 1) must be Tensor, not numpy.ndarray"):
        fg.masked.median(array(3), 0)
    assert fg.masked.median(fg.tensor([1.0, 3.0, 2.0]), 0).item() == 2.0


def test_parsers_take_no_numpy_array_where_the_operators_do():
    zero_dim = np.array(1.0, dtype=np.float32)
    ints = np.ones(3, dtype=np.int64)
    calls = [
        lambda: fg.normal(zero_dim, fg.tensor(1.0)),
        lambda: fg.normal(fg.tensor(1.0), zero_dim),
        lambda: fg.linspace(np.array(1.0), fg.tensor(2.0), 3),
        lambda: fg.logspace(np.array(1.0), 2.0, 3),
        lambda: fg.bitwise_and(fg.ones(3, dtype=fg.int64), ints),
        lambda: fg.bitwise_xor(ints, fg.ones(3, dtype=fg.int64)),
        lambda: fg.max(fg.ones(3), np.ones(3)),
        lambda: fg.min(fg.ones(3), np.array(0)),
    ]
    for call in calls:
        with raises(TypeError, "received an invalid combination of arguments - got ("):
            call()
    assert (fg.ones(3, dtype=fg.int64) & ints).tolist() == [1, 1, 1]  # the operator takes it
    assert fg.ones(3).max(np.int64(0)).indices.item() == 0  # a NumPy integer is a dim


def test_unbound_complex_casts_refuse_non_tensors():
    for name in ("cfloat", "cdouble", "chalf"):
        for value, kind in ((None, "NoneType"), ("a", "str"), (np.ones(2), "numpy.ndarray")):
            with raises(TypeError, f"doesn't apply to a '{kind}' object"):
                getattr(fg.Tensor, name)(value)
    assert fg.Tensor.cfloat(fg.ones(2)).dtype == fg.complex64


# ---- 2. ctc_loss: PyTorch's checks, in its order -------------------------------------------

CHECKING = "(while checking arguments for ctc_loss_allocate_outputs)"


def test_ctc_loss_checks_lengths_targets_and_log_probs_as_pytorch():
    lp = fg.zeros(6, 2, 4).log_softmax(2)
    tg = fg.tensor([[1, 2, 1], [2, 3, 0]])
    il, tl = fg.tensor([6, 5]), fg.tensor([3, 2])
    with raises(RuntimeError, "input_lengths must be integral"):
        F.ctc_loss(lp, tg, il.float(), tl)
    with raises(RuntimeError, "target_lengths must be integral"):
        F.ctc_loss(lp, tg, il, tl.float())
    with raises(TypeError, "ctc_loss() received an invalid combination of arguments - got (Tensor, Tensor, list, Tensor"):
        F.ctc_loss(lp, tg, [6, 5], tl)
    with raises(RuntimeError, f"Expected 1 to 2 dimensions, but got 0-dimensional tensor for argument #2 'targets' {CHECKING}"):
        F.ctc_loss(lp, tg[0, 0], il, tl)
    with raises(RuntimeError, f"Expected tensor to have size 2 at dimension 0, but got size 0 for argument #2 'targets' {CHECKING}"):
        F.ctc_loss(lp, tg[:0], il, tl)
    with raises(RuntimeError, f"Expected tensor to have size 5 at dimension 0, but got size 4 for argument #2 'targets' {CHECKING}"):
        F.ctc_loss(lp, fg.tensor([1, 2, 1, 2]), il, tl)
    with raises(RuntimeError, f"Expected target_lengths to have value at least 0, but got value -3 {CHECKING}"):
        F.ctc_loss(lp, tg, il, fg.tensor([3, -3]))
    with raises(RuntimeError, f"Expected input_lengths to have value at least 0, but got value -1 {CHECKING}"):
        F.ctc_loss(lp, tg, fg.tensor([-1, 5]), tl)
    with raises(RuntimeError, f"Expected input_lengths to have value at most 6, but got value 7 {CHECKING}"):
        F.ctc_loss(lp, tg, fg.tensor([7, 5]), tl)
    with raises(IndexError, "Dimension out of range (expected to be in range of [-1, 0], but got 1)"):
        F.ctc_loss(lp[0, 0, 0], tg, il, tl)  # unbatched: PyTorch unsqueezes dim 1 first
    with raises(RuntimeError, f"Expected 3-dimensional tensor, but got 2-dimensional tensor for argument #1 'log_probs' {CHECKING}"):
        F.ctc_loss(lp[:, 0, 0], tg, il, tl)


def test_unbatched_ctc_loss_still_gives_pytorchs_value():
    lp = fg.zeros(6, 4, dtype=fg.float64).log_softmax(1)
    assert math.isclose(F.ctc_loss(lp, fg.tensor([1, 2]), fg.tensor(6), fg.tensor(2)).item(),
                        2.0346354623349923, rel_tol=1e-12)
    loss = F.ctc_loss(lp, fg.tensor([1, 2]), fg.tensor(6), fg.tensor(2), reduction="sum")
    assert loss.dim() == 0 and math.isclose(loss.item(), 4.0692709246699845, rel_tol=1e-12)


# ---- 3. losses: the shapes and dtypes PyTorch's kernels accept ------------------------------

def test_soft_margin_loss_refuses_a_target_that_broadcasts_the_input_larger():
    with raises(RuntimeError, "output with shape [] doesn't match the broadcast shape [5]"):
        F.soft_margin_loss(fg.tensor(1.0), fg.ones(5))
    with raises(RuntimeError, "output with shape [2, 1] doesn't match the broadcast shape [2, 3]"):
        F.soft_margin_loss(fg.ones(2, 1), fg.ones(1, 3))
    with raises(RuntimeError, "The size of tensor a (5) must match the size of tensor b (4) at non-singleton dimension 0"):
        F.soft_margin_loss(fg.ones(5), fg.ones(4))
    out = F.soft_margin_loss(fg.tensor([1.0, -2.0]), fg.tensor([1.0]), reduction="none")
    assert np.allclose(out.tolist(), [0.31326169, 2.12692801])


def test_hinge_embedding_loss_keeps_an_integer_input_dtype():
    out = F.hinge_embedding_loss(fg.tensor([1, 4, 0], dtype=fg.int32), fg.tensor([-1.0, -1.0, 1.0]), margin=2.5,
                                 reduction="none")
    assert out.dtype == fg.int32 and out.tolist() == [1, 0, 0]  # the margin truncated to 2
    total = F.hinge_embedding_loss(fg.tensor([1, 4, 0]), fg.tensor([-1.0, -1.0, 1.0]), margin=2.5, reduction="sum")
    assert total.dtype == fg.int64 and total.item() == 1
    with raises(RuntimeError, "mean(): could not infer output dtype"):
        F.hinge_embedding_loss(fg.ones(3, dtype=fg.int64), fg.ones(3))
    with raises(RuntimeError, "Subtraction, the `-` operator, with two bool tensors is not supported."):
        F.hinge_embedding_loss(fg.ones(3, dtype=fg.bool), -fg.ones(3), reduction="none")


def test_gaussian_nll_loss_var_kinds_and_shapes():
    x, t = fg.ones(3), fg.ones(3)
    with raises(TypeError, "any()"):  # an int var goes through torch.any(var < 0)
        F.gaussian_nll_loss(x, t, 1)
    with raises(TypeError, "'<' not supported between instances of 'str' and 'int'"):
        F.gaussian_nll_loss(x, t, "abc")
    with raises(TypeError, "'<' not supported between instances of 'NoneType' and 'int'"):
        F.gaussian_nll_loss(x, t, None)
    inputs = fg.arange(24.0, dtype=fg.float64).reshape(4, 3, 2)
    target = fg.ones(4, 3, 2, dtype=fg.float64)
    # one mismatched dim of size 1 (not the last) broadcasts, as in PyTorch
    loss = F.gaussian_nll_loss(inputs, target, fg.full((4, 1, 2), 2.0, dtype=fg.float64), reduction="sum")
    assert math.isclose(loss.item(), 957.3177661667194, rel_tol=1e-12)
    with raises(ValueError, "var is of incorrect size"):
        F.gaussian_nll_loss(inputs, target, fg.full((4, 1, 1), 2.0, dtype=fg.float64))


def test_softmin_with_a_dtype_has_softmaxs_kernels():
    with raises(NotImplementedError, "\"softmax_lastdim_kernel_impl\" not implemented for 'Long'"):
        F.softmin(fg.ones(3, dtype=fg.int64), 0, dtype=fg.int64)
    with raises(NotImplementedError, "\"softmax_kernel_impl\" not implemented for 'ComplexFloat'"):
        fg.masked.softmin(fg.ones(2, 3, dtype=fg.complex64), 0)
    out = F.softmin(fg.tensor([1, 2]), 0, dtype=fg.float64)
    assert out.dtype == fg.float64 and np.allclose(out.tolist(), [0.7310585786300049, 0.2689414213699951])


# ---- 4. MultiheadAttention's asserts carry PyTorch's messages -------------------------------

def test_multi_head_attention_forward_asserts():
    q = fg.ones(3, 1, 2)
    w, b = fg.ones(6, 2), fg.zeros(6)
    bias = fg.zeros(1, 1, 2)
    out_w, out_b = fg.eye(2), fg.zeros(2)

    def call(in_w=w, bias_k=bias, bias_v=bias):
        return F.multi_head_attention_forward(q, q, q, 2, 1, in_w, b, bias_k, bias_v, False, 0.0, out_w, out_b,
                                              training=False)

    with raises(AssertionError, "use_separate_proj_weight is False but in_proj_weight is None"):
        call(in_w=None)
    with raises(AssertionError, "bias_v is set but bias_k is None"):
        call(bias_k=None)
    with raises(AssertionError, "bias_k is set but bias_v is None"):
        call(bias_v=None)
    assert tuple(call()[0].shape) == (3, 1, 2)


# ---- 5. 0-size and 0-dim operands -----------------------------------------------------------

def test_zero_size_and_zero_dim_operands():
    select = "select(): index 0 out of range for tensor of size [0] at dimension 0"
    with raises(IndexError, select):  # PyTorch's kernel selects weight[0] of no channels
        F.instance_norm(fg.ones(0, 5, 5), fg.zeros(5), fg.ones(5), fg.ones(5), fg.ones(5))
    assert tuple(F.instance_norm(fg.ones(0, 5, 5), fg.zeros(5), fg.ones(5)).shape) == (0, 5, 5)
    assert tuple(F.instance_norm(fg.ones(2, 0, 5), fg.zeros(0), fg.ones(0)).shape) == (2, 0, 5)
    no_dims = "Dimension specified as 0 but tensor has no dimensions"
    with raises(IndexError, no_dims):
        fg.mv(fg.tensor(1.0), fg.ones(3))
    with raises(IndexError, no_dims):
        fg.tensor(1.0).mv(fg.ones(3))
    with raises(IndexError, no_dims):
        F.grid_sample(fg.ones(2, 3, 5, 5), fg.tensor(1.0), align_corners=False)
    with raises(ValueError, "Input tensor must have at least 2 dimensions, but got 0"):
        F.rms_norm(fg.tensor(1.0), [2, 3])
    with raises(RuntimeError, "Given normalized_shape=[2, 3], expected input with shape [*2, 3], but got input of size[3, 2]"):
        F.rms_norm(fg.ones(3, 2), [2, 3])
    empty = fg.ones(1, 0, 3, dtype=fg.complex64)
    assert tuple(fg.nan_to_num(empty).shape) == (1, 0, 3)
    assert tuple(empty.nan_to_num_().shape) == (1, 0, 3)


# ---- 6. histogram's bin-edge checks, then the weight's --------------------------------------

def test_histogram_checks_bin_edges_before_the_weight():
    x = fg.ones(3)
    with raises(RuntimeError, "input tensor and bins tensors should have the same dtype, but got input with dtype "
                              "float and bins for dimension 0 with dtype long int"):
        fg.histogram(x, fg.tensor([0, 2]), weight=fg.ones(2))
    with raises(RuntimeError, "bins tensor should have at least 1 element, but got 0 elements in the bins tensor "
                              "for dimension 0"):
        fg.histogram(x, fg.ones(0), weight=fg.ones(2))
    with raises(RuntimeError, "bins tensor should have one dimension, but got 2 dimensions in the bins tensor for "
                              "dimension 0"):
        fg.histogram(x, fg.ones(2, 2))
    with raises(RuntimeError, "histogram(): bins must be > 0, but got 0 for dimension 0"):
        fg.histogram(x, fg.tensor([1.0]))
    with raises(RuntimeError, "if weight tensor is provided, input tensor and weight tensor should have the same "
                              "dtype, but got input(float), and weight(double)"):
        fg.histogram(x, 3, weight=fg.ones(2, dtype=fg.float64))
    with raises(NotImplementedError, "\"histogram_cpu\" not implemented for 'Long'"):
        fg.histogram(fg.ones(3, dtype=fg.int64), fg.tensor([1, 2]))
    hist, edges = fg.histogram(fg.tensor([1.0, 2.0, 3.0]), fg.tensor([0.0, 1.5, 4.0]), weight=fg.tensor([1.0, 2.0, 3.0]))
    assert hist.tolist() == [1.0, 5.0] and edges.tolist() == [0.0, 1.5, 4.0]


# ---- 7. complex bounds with a real dtype; int64 overflow ------------------------------------

def test_linspace_logspace_refuse_a_complex_bound_with_a_real_dtype():
    with raises(RuntimeError, "linspace(): inferred dtype c10::complex<float> can't be safely cast to passed dtype Float"):
        fg.linspace(fg.tensor(1 + 0j, dtype=fg.complex128), 2, 3, dtype=fg.float32)
    with raises(RuntimeError, "logspace(): inferred dtype c10::complex<float> can't be safely cast to passed dtype Float"):
        fg.logspace(1 + 0j, 2, 3, dtype=fg.float32)
    with raises(RuntimeError, "inferred dtype c10::complex<float> can't be safely cast to passed dtype Long"):
        fg.linspace(1, 2 + 1j, 3, dtype=fg.int64)
    z = fg.linspace(1, 2 + 1j, 3)
    assert z.dtype == fg.complex64 and z.tolist() == [1 + 0j, 1.5 + 0.5j, 2 + 1j]


def test_to_sparse_dim_past_int64_is_the_parsers_value_error():
    with raises(ValueError, "Overflow when unpacking long long"):
        fg.ones(2, 2).to_sparse(2**63)
    with raises(RuntimeError, "sparse_dim argument must be in [0,2] range, but 1099511627776 is given"):
        fg.ones(2, 2).to_sparse(2**40)


def test_zero_dim_tau_and_istft_input_fail_where_pytorch_reads_a_size():
    with raises(IndexError, "Dimension specified as -1 but tensor has no dimensions"):
        fg.linalg.householder_product(fg.ones(3, 2), fg.tensor(1.0))
    with raises(IndexError, "Dimension specified as -1 but tensor has no dimensions"):
        fg.ormqr(fg.ones(3, 2), fg.tensor(1.0), fg.ones(3, 3))
    with raises(IndexError, "Dimension out of range (expected to be in range of [-1, 0], but got -2)"):
        fg.istft(fg.tensor(1 + 0j), 4)
    with raises(IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got -3)"):
        fg.istft(fg.ones(3, dtype=fg.complex64), 4)
    for kwargs in ({"n_fft": 2**63}, {"n_fft": 4, "hop_length": 2**63}, {"n_fft": 4, "win_length": 2**63}):
        with raises(ValueError, "Overflow when unpacking long long"):
            fg.istft(fg.ones(3, 4, dtype=fg.complex64), **kwargs)


def test_unravel_index_asks_indices_is_complex_first():
    for value, kind in ((1, "int"), ([1], "list"), (None, "NoneType"), (np.array([1]), "numpy.ndarray")):
        with raises(AttributeError, f"'{kind}' object has no attribute 'is_complex'"):
            fg.unravel_index(value, (2, 3))
    with raises(TypeError, "expected 'indices' to be integer dtype, but got"):
        fg.unravel_index(fg.tensor([1 + 0j]), (2, 3))
    rows, cols = fg.unravel_index(fg.tensor([1, 5]), (2, 3))
    assert rows.tolist() == [0, 1] and cols.tolist() == [1, 2]
    rows, cols = fg.unravel_index(fg.tensor([-7, 13]), (2, 3))  # out of range: wrapped, unchecked
    assert rows.tolist() == [1, 0] and cols.tolist() == [2, 1]
    assert [tuple(t.shape) for t in fg.unravel_index(fg.ones(0, 3, dtype=fg.int64), (2, 3))] == [(0, 3), (0, 3)]
    with raises(RuntimeError, "ZeroDivisionError"):
        fg.unravel_index(fg.tensor([1]), (0, 3))


def test_cond_of_empty_complex_matrices_is_real():
    assert fg.linalg.cond(fg.ones(0, 3, 3, dtype=fg.complex64)).dtype == fg.float32
    assert fg.linalg.cond(fg.ones(0, 3, 3, dtype=fg.complex128), "fro").dtype == fg.float64


def test_max_pool3d_with_indices_asks_is_cuda_first():
    with raises(AttributeError, "'NoneType' object has no attribute 'is_cuda'"):
        F.max_pool3d(None, 2, return_indices=True)
    with raises(AttributeError, "'numpy.ndarray' object has no attribute 'is_cuda'"):
        F.max_pool3d(array(1, 2, 4, 4, 4), 2, return_indices=True)
    with raises(TypeError, "max_pool3d(): argument 'input' (position 1) must be Tensor, not NoneType"):
        F.max_pool3d(None, 2)


def test_soft_margin_loss_keeps_the_input_dtype():
    x = fg.tensor([0.5, -1.0], requires_grad=True)
    loss = F.soft_margin_loss(x, fg.tensor([1.0, -1.0], dtype=fg.float64))
    assert loss.dtype == fg.float32 and math.isclose(loss.item(), 0.39369, rel_tol=1e-4)
    loss.backward()
    assert x.grad.dtype == fg.float32 and np.allclose(x.grad.tolist(), [-0.18877, 0.13447], rtol=1e-4)
    assert F.soft_margin_loss(fg.ones(3, dtype=fg.complex64), fg.ones(3, dtype=fg.float64)).dtype == fg.complex64
