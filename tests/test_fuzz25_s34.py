"""Bad arguments PyTorch refuses (or takes) where ferrograd did otherwise (session 34 fuzz)."""

import math
import warnings

import numpy as np
import pytest
from backend import MOD, fg

NO_PINNED = "pin_memory=True requires a CUDA or other accelerator backend"


# ---- pin_memory= and requires_grad= on the random and index factories

@pytest.mark.parametrize("make", [
    lambda **kw: fg.rand(2, **kw),
    lambda **kw: fg.randn(2, **kw),
    lambda **kw: fg.randint(3, (2,), **kw),
    lambda **kw: fg.rand_like(fg.ones(2), **kw),
    lambda **kw: fg.randn_like(fg.ones(2), **kw),
    lambda **kw: fg.randint_like(fg.ones(2), 3, **kw),
])
def test_random_factories_take_pin_memory(make):
    assert list(make(pin_memory=None).shape) == [2]
    assert list(make(pin_memory=False).shape) == [2]
    with pytest.raises(RuntimeError, match=f"^{NO_PINNED}"):
        make(pin_memory=True)
    with pytest.raises(TypeError, match=r"received an invalid combination of arguments - got \(.*pin_memory=str\)"):
        make(pin_memory="abc")


@pytest.mark.parametrize("name", ["tril_indices", "triu_indices"])
def test_index_factories_take_requires_grad(name):
    fn = getattr(fg, name)
    assert fn(3, 3, requires_grad=None).shape == (2, 6)
    assert fn(3, 3, requires_grad=False).dtype == fg.int64
    with pytest.raises(RuntimeError, match="^Only Tensors of floating point and complex dtype can require gradients$"):
        fn(3, 3, requires_grad=True)
    with pytest.raises(NotImplementedError, match=f"\"{name}\" not implemented for 'Float'"):
        fn(3, 3, dtype=fg.float32, requires_grad=True)


def test_python_float_type_as_dtype():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = fg.range(0, 2, dtype=float)
    assert r.dtype == fg.float64 and r.tolist() == [0.0, 1.0, 2.0]
    v = fg.view_copy(fg.zeros(2, 4), float)
    assert v.dtype == fg.float64 and v.shape == (2, 2)


# ---- split sizes given as a NumPy integer

def test_tensor_split_refuses_a_numpy_integer():
    msg = r"^split_with_sizes\(\): argument 'split_sizes' \(position 2\) must be tuple of ints, not numpy.int64$"
    with pytest.raises(TypeError, match=msg):
        fg.ones(2, 3).split(np.int64(1))
    with pytest.raises(TypeError, match=msg):
        fg.split(fg.ones(2, 3), np.int64(1))


def test_split_copy_takes_a_numpy_integer():
    parts = fg.split_copy(fg.arange(4.0), np.int64(3))
    assert [p.tolist() for p in parts] == [[0.0, 1.0, 2.0], [3.0]]


# ---- range factories: an out= of the right element count keeps its shape

@pytest.mark.parametrize("make, values", [
    (lambda out: fg.arange(6, out=out), [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]),
    (lambda out: fg.linspace(0, 5, 6, out=out), [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]),
    (lambda out: fg.logspace(0, 2, 6, out=out), [[1.0, 2.511886, 6.309573], [15.848932, 39.810719, 100.0]]),
])
def test_range_factory_out_keeps_its_shape(make, values):
    out = fg.zeros(3, 2).t()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = make(out)
    assert r is out and r.shape == (2, 3)
    assert np.allclose(np.array(r.tolist()), values, rtol=1e-6)


def test_range_factory_out_zero_dim_and_empty():
    assert fg.linspace(0, 1, 1, out=fg.tensor(5.0)).shape == ()
    assert fg.arange(0, out=fg.zeros(0, 3)).shape == (0, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert fg.range(0, 0, out=fg.tensor(5.0)).shape == ()
    with pytest.warns(UserWarning, match=r"^The number of elements in the out tensor of shape \[2, 2\] is 4 "):
        assert fg.arange(3, out=fg.zeros(2, 2)).shape == (3,)


def test_fftfreq_values_are_pytorchs():
    # PyTorch multiplies by 1 / (n * d): the last bit differs from dividing
    assert fg.fft.fftfreq(7, 0.3).tolist()[1:3] == [0.4761904776096344, 0.9523809552192688]
    assert fg.fft.rfftfreq(13, 0.7).tolist()[1] == 0.10989011079072952


def test_fftfreq_out_shapes():
    assert fg.fft.rfftfreq(1, out=fg.tensor(3.0)).shape == ()
    with pytest.raises(IndexError, match=r"^slice\(\) cannot be applied to a 0-dim tensor\.$"):
        fg.fft.fftfreq(1, out=fg.tensor(3.0))
    assert fg.fft.fftfreq(4, out=fg.zeros(4, 1)).flatten().tolist() == [0.0, 0.25, -0.5, -0.25]
    # PyTorch writes the negative half into out's dim-0 slice, which here holds nothing
    assert fg.fft.fftfreq(4, out=fg.zeros(2, 2)).tolist() == [[0.0, 0.25], [0.5, 0.75]]


def test_fftn_takes_a_one_element_tensor_size():
    x = fg.ones(2, 3)
    assert fg.fft.fftn(x, s=fg.tensor([2])).shape == (2, 2)
    assert fg.fft.rfftn(x, s=fg.tensor(2)).shape == (2, 2)
    with pytest.raises(TypeError, match=r"^fft_fftn\(\): argument 's' must be tuple of ints, not Tensor$"):
        fg.fft.fftn(x, s=fg.tensor([2, 2]))


# ---- smaller ops

def test_native_dropout_of_an_empty_input():
    x = fg.zeros(0, 3)
    out, mask = fg.native_dropout(x, 0.5, True)
    assert out is x and mask.dtype == fg.float32 and mask.shape == (0, 3)
    assert fg.native_dropout(x.double(), 0.5, None)[1].dtype == fg.float64


def test_combinations_with_a_zero_dim_r():
    assert fg.combinations(fg.arange(3.0), r=fg.tensor(2)).tolist() == [[0.0, 1.0], [0.0, 2.0], [1.0, 2.0]]


def test_top_level_triplet_margin_loss():
    a = fg.tensor([[0.5, 1.5, -2.0], [3.0, 0.1, 2.0]])
    assert fg.triplet_margin_loss(a, a, a, margin=-1).tolist() == [0.0, 0.0]
    with pytest.raises(ValueError, match="^margin must be greater than 0, got -1$"):
        fg.nn.functional.triplet_margin_loss(a, a, a, margin=-1)
    # margin + d(a, p) - d(a, n): a huge eps swallows the margin
    assert fg.triplet_margin_loss(a, a, a + 1, eps=2**63).tolist() == [0.0, 0.0]
    assert fg.nn.functional.triplet_margin_loss(a, a, a + 1, eps=2**63).item() == 0.0


def test_rsub_alpha_past_int64():
    x = fg.tensor([0.5, 1.5])
    assert fg.rsub(x, 2, alpha=2**63).tolist() == [-4.611686018427388e18, -1.3835058055282164e19]
    assert fg.rsub(x, x, alpha=2**63).tolist() == [-4.611686018427388e18, -1.3835058055282164e19]


def test_fake_quantize_per_tensor_takes_zero_dim_int_bounds():
    x = fg.tensor([0.5, 30.0, -2.0])
    r = fg.fake_quantize_per_tensor_affine(x, fg.tensor(0.1), fg.tensor(0), fg.tensor(0), 255)
    assert r.tolist() == pytest.approx([0.5, 25.5, 0.0])
    r = fg.fake_quantize_per_tensor_affine(x, 0.1, 0, 0, fg.tensor(100))
    assert r.tolist() == pytest.approx([0.5, 10.0, 0.0])


@pytest.mark.parametrize("call", [
    lambda x, out: fg.clamp(x, fg.tensor(-1.0), out=out),
    lambda x, out: fg.clamp(x, max=fg.tensor(1.0), out=out),
    lambda x, out: fg.clip(x, min=fg.tensor(-1.0), max=fg.tensor(1.0), out=out),
])
def test_clamp_with_a_tensor_bound_casts_into_out(call):
    out = fg.zeros(3, dtype=fg.float64)
    assert call(fg.tensor([0.5, 1.5, -2.0]), out) is out
    with pytest.raises(RuntimeError, match="^result type Float can't be cast to the desired output type Long$"):
        call(fg.tensor([0.5, 1.5, -2.0]), fg.zeros(3, dtype=fg.int64))


def test_clamp_with_number_bounds_keeps_refusing_another_out_dtype():
    with pytest.raises(RuntimeError, match="^Found dtype Double but expected Float$"):
        fg.clamp(fg.ones(3), -1, 1, out=fg.zeros(3, dtype=fg.float64))


def test_histogramdd_checks_dims_first():
    with pytest.raises(IndexError, match="^Dimension specified as -1 but tensor has no dimensions$"):
        fg.histogramdd(fg.tensor(1.0), bins=2)
    for x in (fg.tensor(1.0), fg.ones(3), fg.ones(3).long()):
        with pytest.raises(RuntimeError, match="^torch.histogramdd: input tensor should have at least 2 dimensions$"):
            fg.histogramdd(x, bins=[2])
    with pytest.raises(RuntimeError, match="^torch.histogramdd: input tensor should have at least 2 dimensions$"):
        fg.histogramdd(fg.ones(3), bins=2)


@pytest.mark.parametrize("indices, kind", [(None, "NoneType"), (1j, "complex"), ([[1j]], "complex")])
def test_sparse_coo_tensor_reads_indices_as_int64(indices, kind):
    with pytest.raises(TypeError, match=f"^'{kind}' object cannot be interpreted as an integer$"):
        fg.sparse_coo_tensor(indices, fg.ones(2, 3))


def test_lobpcg_half_without_tol():
    with pytest.raises(KeyError, match=f"{MOD}.float16"):
        fg.lobpcg(fg.eye(6).half(), k=1)


def test_set_tensor_source_of_another_dtype_reads_its_bytes():
    source = fg.tensor([1.0, 2.0, 3.0])
    y = fg.zeros(2, dtype=fg.float64).set_(source, 0, [1])
    assert y.dtype == fg.float64 and y.tolist() == [2.000000473111868]
    z = fg.zeros(2).set_(fg.tensor([5, 6]), 2, [1])
    assert z.dtype == fg.float32 and z.view(fg.int32).tolist() == [6]
    with pytest.raises(RuntimeError, match="^Could not set tensor of type long int to a tensor of type float$"):
        fg.zeros(2).set_(fg.tensor([5, 6]))


def test_set_offset_overflow():
    x = fg.ones(4)
    with pytest.raises(ValueError, match="^Overflow when unpacking long long$"):
        fg.zeros(2).set_(x.untyped_storage(), -2**63 - 1, [1])
    with pytest.raises(TypeError, match="^set_\\(\\): argument 'size' failed to unpack the object at pos 1 with error "
                                        "\"Overflow when unpacking long long"):
        fg.zeros(2).set_(x, 1, [2**63])


@pytest.mark.parametrize("value, expected", [
    (lambda: fg.tensor(2.5), [[2.5, 1.0, 1.0, 2.5]]),
    (lambda: fg.tensor(2), [[2.0, 1.0, 1.0, 2.0]]),
])
def test_pad_takes_a_zero_dim_tensor_value(value, expected):
    assert fg.nn.functional.pad(fg.ones(1, 2), (1, 1), value=value()).tolist() == expected


def test_pad_refuses_tensor_values_its_parser_refuses():
    with pytest.raises(RuntimeError, match="^value cannot be converted to type double without overflow$"):
        fg.nn.functional.pad(fg.ones(1, 2), (1, 1), value=fg.tensor(1j))
    with pytest.raises(TypeError, match=r"^pad\(\): argument 'value' \(position 4\) must be float, not Tensor$"):
        fg.nn.functional.pad(fg.ones(1, 2), (1, 1), value=fg.tensor(2.5, requires_grad=True))
    assert math.isclose(fg.nn.functional.pad(fg.ones(2), (1, 0), value=fg.tensor(0.5)).tolist()[0], 0.5)


# ---- sizes given as one-element tensors; a complex gradient spacing

def test_sparse_coo_size_from_a_one_element_tensor():
    assert list(fg.sparse_coo_tensor(fg.tensor([3])).shape) == [3]
    assert list(fg.sparse_coo_tensor(fg.tensor(2)).shape) == [2]
    with pytest.raises(TypeError, match=r"^sparse_coo_tensor\(\): argument 'size' \(position 1\) must be tuple of ints, "
                                        r"not Tensor$"):
        fg.sparse_coo_tensor(fg.tensor([3, 2]))


@pytest.mark.parametrize("blocksize", [lambda: fg.tensor([1]), lambda: fg.tensor(1)])
def test_to_sparse_bsr_blocksize_from_a_one_element_tensor(blocksize):
    x = fg.tensor([[0.5, 0.0, -2.0], [3.0, 0.0, 2.0]])
    assert x.to_sparse_bsr(blocksize()).to_dense().tolist() == x.tolist()


def test_gradient_with_a_complex_spacing():
    (g,) = fg.gradient(fg.tensor([1.0, 2.0, 4.0]), spacing=1j)
    assert g.dtype == fg.complex64 and g.tolist() == [-1j, -1.5j, -2j]


# ---- index_put(_): values' shape, then dtype, before any index is read

def test_index_put_checks_values_shape_then_dtype():
    x = fg.zeros(2, 3)
    idx = (fg.tensor([0, 1, 0, 1]), fg.tensor([0, 1, 0, 1]))
    for accumulate in (True, False):
        with pytest.raises(RuntimeError, match=r"^shape mismatch: value tensor of shape \[2, 3\] cannot be broadcast to "
                                               r"indexing result of shape \[4\]$"):
            x.index_put(idx, fg.ones(2, 3, dtype=fg.int64), accumulate=accumulate)
        with pytest.raises(RuntimeError, match="^Index put requires the source and destination dtypes match, got Float "
                                               "for the destination and Long for the source.$"):
            x.index_put_((fg.tensor([5]),), fg.tensor([1]), accumulate=accumulate)
    with pytest.raises(RuntimeError, match=r"^shape mismatch: value tensor of shape \[2, 3\] cannot be broadcast to "
                                           r"indexing result of shape \[4, 3\]$"):
        fg.index_put(x, (fg.tensor([0, 1, 0, 1]),), fg.ones(2, 3), accumulate=True)
    assert x.index_put((fg.tensor([[0], [1]]), fg.tensor([0, 1, 2])), fg.ones(3), accumulate=True).sum().item() == 6.0


# ---- linear-algebra functions check in their own words

@pytest.mark.parametrize("call, message", [
    (lambda b, a: fg.cholesky_solve(fg.tensor(1.0), a), "b should have at least 2 dimensions, but has 0 dimensions instead"),
    (lambda b, a: fg.cholesky_solve(b, fg.ones(3)), "u should have at least 2 dimensions, but has 1 dimensions instead"),
    (lambda b, a: b.cholesky_solve(fg.ones(3, 2)), "A must be batches of square matrices, but they are 3 by 2 matrices"),
    (lambda b, a: fg.cholesky_solve(fg.ones(4, 5), a),
     "Incompatible matrix sizes for cholesky_solve: each A matrix is 3 by 3 but each b matrix is 4 by 5"),
    (lambda b, a: fg.cholesky_solve(b.long(), a),
     "Expected b and A to have the same dtype, but found b of type Long and A of type Float instead."),
    (lambda b, a: fg.triangular_solve(fg.ones(3), a),
     "torch.triangular_solve: Expected b to have at least 2 dimensions, but it has 1 dimensions instead"),
    (lambda b, a: fg.triangular_solve(b, fg.tensor(1.0)),
     "torch.triangular_solve: Expected A to have at least 2 dimensions, but it has 0 dimensions instead"),
    (lambda b, a: fg.triangular_solve(fg.zeros(0, 3), a),
     "Incompatible matrix sizes for triangular_solve: each A matrix is 3 by 3 but each b matrix is 0 by 3"),
    (lambda b, a: fg.logdet(fg.ones(3)), "logdet: The input tensor A must have at least 2 dimensions."),
    (lambda b, a: fg.logdet(b.long()), "logdet: A must be batches of square matrices, but they are 3 by 2 matrices"),
    (lambda b, a: a.long().logdet(), "logdet: Expected a floating point or complex tensor as input. Got Long"),
    (lambda b, a: fg.logdet(a.half()), "logdet: Low precision dtypes not supported. Got Half"),
    (lambda b, a: fg.frobenius_norm(b.long(), [0]),
     "norm(): input dtype should be either floating point or complex. Got Long instead."),
])
def test_solve_checks(call, message):
    b, a = fg.ones(3, 2), fg.tensor([[2.0, 0.5, 0.1], [0.3, 1.5, 0.2], [0.1, 0.2, 3.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(RuntimeError) as info:
            call(b, a)
    assert str(info.value) == message


# ---- max_pool1d and range

def test_max_pool1d_checks():
    F = fg.nn.functional
    with pytest.raises(NotImplementedError, match="^\"max_pool1d_impl\" not implemented for 'ComplexFloat'$"):
        F.max_pool1d(fg.ones(1, 2, 4, dtype=fg.complex64), 2)
    for x in (fg.tensor(1.0), fg.ones(4), fg.ones(1, 1, 1, 4)):
        msg = (f"Expected 2 to 3 dimensions, but got {x.dim()}-dimensional tensor for argument #1 'self' "
               "(while checking arguments for max_pool1d)")
        with pytest.raises(RuntimeError) as info:
            fg.max_pool1d_with_indices(x, 2)
        assert str(info.value) == msg
        with pytest.raises(RuntimeError) as info:
            F.max_pool1d(x, 2, return_indices=True)
        assert str(info.value) == msg


@pytest.mark.parametrize("args, message", [
    ((None, 2), "range(): argument 'start' (position 1) must be Number, not NoneType"),
    ((None,), "range(): argument 'start' (position 1) must be Number, not NoneType"),
    ((0, None), "range(): argument 'end' (position 2) must be Number, not NoneType"),
    ((0, 2, None), "range(): argument 'step' (position 3) must be Number, not NoneType"),
    ((1,), 'range() missing 1 required positional arguments: "end"'),
    ((), 'range() missing 2 required positional argument: "start", "end"'),
])
def test_range_refuses_none_bounds(args, message):
    with pytest.raises(TypeError) as info:
        fg.range(*args)
    assert str(info.value) == message


# ---- nll_loss / cross_entropy weights, scaled_dot_product_attention dims

def _raises(call, kind, message):
    with pytest.raises(kind) as info:
        call()
    assert str(info.value) == message


def test_nll_loss_checks_the_weight_shape_before_dtypes():
    F = fg.nn.functional
    x, target = fg.ones(2, 3), fg.tensor([0, 2])
    shape_msg = "weight tensor should be defined either for all 3 classes or no classes but got weight tensor of shape: "
    _raises(lambda: F.nll_loss(x.long(), target, weight=fg.ones(4)), RuntimeError, shape_msg + "[4]")
    _raises(lambda: F.nll_loss(x.half(), target, weight=fg.ones(4)), RuntimeError, shape_msg + "[4]")
    _raises(lambda: F.cross_entropy(x, target, weight=fg.ones(2, 3).long()), RuntimeError, shape_msg + "[2, 3]")
    _raises(lambda: F.nll_loss(x, target, weight=fg.ones(3).long()), RuntimeError,
            "expected scalar type Float but found Long")
    _raises(lambda: F.nll_loss(x, target.float(), weight=fg.ones(4)), RuntimeError,
            "expected target dtype to be Long or Byte, but got Float")


def test_spatial_nll_loss_weight_checks():
    F = fg.nn.functional
    x4, t4 = fg.ones(2, 3, 2, 2), fg.zeros(2, 2, 2, dtype=fg.int64)
    msg = "weight tensor should be defined either for all or no classes"
    _raises(lambda: F.nll_loss(x4, t4, weight=fg.ones(4)), RuntimeError, msg)
    _raises(lambda: F.nll_loss(x4.long(), t4, weight=fg.ones(4)), RuntimeError, msg)
    _raises(lambda: F.nll_loss(x4, fg.zeros(2, 3, 3, dtype=fg.int64), weight=fg.ones(4)), RuntimeError, msg)
    _raises(lambda: F.nll_loss(fg.ones(2, 3, 2), fg.zeros(2, 2, dtype=fg.int64), weight=fg.ones(4)), RuntimeError, msg)
    _raises(lambda: F.nll_loss(x4.long(), t4, weight=fg.ones(3)), NotImplementedError,
            "\"nll_loss2d_forward_out_frame\" not implemented for 'Long'")
    _raises(lambda: F.nll_loss(x4, t4, weight=fg.ones(3, requires_grad=True)), RuntimeError,
            "The function 'nll_loss2d_forward' is not differentiable with respect to argument 'weight'. "
            "This input cannot have requires_grad True.")
    assert F.nll_loss(x4, t4, weight=fg.ones(3, 1)).item() == -1.0


def test_cross_entropy_with_probabilities_checks_the_weight():
    F = fg.nn.functional
    x, p = fg.ones(2, 3), fg.ones(2, 3) / 3
    for weight, shape in ((fg.ones(4), "[4]"), (fg.ones(3, 1), "[3, 1]"), (fg.tensor(1.0), "[]")):
        _raises(lambda weight=weight: F.cross_entropy(x, p, weight=weight), RuntimeError,
                "cross_entropy: weight tensor should be defined either for all 3 classes or no classes but got weight "
                f"tensor of shape: {shape}")


def test_scaled_dot_product_attention_dims_message():
    F = fg.nn.functional
    q = fg.ones(2, 3)
    _raises(lambda: F.scaled_dot_product_attention(q, q, fg.ones(3)), RuntimeError,
            "Expected query, key, and value to all be  at least 2 dimensional, but got query.dim: 2 key.dim: 2 and "
            "value.dim: 1 instead.")
    _raises(lambda: F.scaled_dot_product_attention(fg.tensor(1.0), q, q, attn_mask=fg.ones(2, 2).long()), RuntimeError,
            "Expected query, key, and value to all be  at least 2 dimensional, but got query.dim: 0 key.dim: 2 and "
            "value.dim: 2 instead.")
    with pytest.raises(RuntimeError, match="^Expected query, key, and value to have the same dtype"):
        F.scaled_dot_product_attention(q, q.long(), fg.tensor(1.0))


def test_index_put_of_one_value_through_a_mask_fills_it():
    x, mask = fg.zeros(2, 3), fg.tensor([[True, False, True], [False, False, True]])
    # PyTorch's masked_fill_ path: any dtype of one value, without accumulate
    assert x.long().index_put((mask,), fg.tensor(1.5)).tolist() == [[1, 0, 1], [0, 0, 1]]
    assert x.index_put((mask,), fg.tensor([2])).tolist() == [[2.0, 0.0, 2.0], [0.0, 0.0, 2.0]]
    with pytest.raises(RuntimeError, match="^Index put requires the source and destination dtypes match"):
        x.index_put((mask,), fg.tensor(1), accumulate=True)
    with pytest.raises(IndexError, match=r"^The shape of the mask \[3\] at index 0 does not match the shape of the "
                                         r"indexed tensor \[2, 3\] at index 0$"):
        x.index_put((mask[0],), fg.tensor([2]), accumulate=True)


def test_native_layer_norm_mixed_types_keep_float32_statistics():
    x = fg.tensor([[0.5, 1.5, -2.0], [3.0, 0.1, 2.0]])
    out, mean, rstd = fg.native_layer_norm(x.half(), [3], x[0], None, 1e-5)
    assert (out.dtype, mean.dtype, rstd.dtype) == (fg.float16, fg.float32, fg.float32)
    assert mean.flatten().tolist() == [0.0, 1.6999918222427368]
    out, mean, rstd = fg.native_layer_norm(x.half(), [3], None, None, 1e-5)
    assert (mean.dtype, rstd.dtype) == (fg.float16, fg.float16)
