"""The 8-bit floats where PyTorch's CPU build refuses a kernel, where it computes, and
their exchange formats (torch.save files, DLPack). Expected texts and values are PyTorch
2.13's, observed with torch."""

import base64
import io
import math
import pickletools
import zipfile
import zlib

import ferrograd as fg
import ferrograd.nn.functional as F
import pytest

FLOAT8 = ["float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz", "float8_e8m0fnu"]

OVERLAP = ("unsupported operation: some elements of the input tensor and the written-to tensor refer to a single "
           "memory location. Please clone() the tensor before performing the operation.")

# (expression with `a` a float8_e4m3fn vector [1, 2, 0.5, 4] and `m` a 3x20 matrix of
# ones, error type, PyTorch's message)
REFUSALS = [
    ("fg.isclose(a, a)", NotImplementedError, '"mul_cpu_reduced_float" not implemented for \'Float8_e4m3fn\''),
    ("a.allclose(a)", NotImplementedError, '"mul_cpu_reduced_float" not implemented for \'Float8_e4m3fn\''),
    ("a.var()", RuntimeError, "std_var_all: Unsupported dtype Float8_e4m3fn"),
    ("a.std(0)", RuntimeError, "std_var_all: Unsupported dtype Float8_e4m3fn"),
    ("m.std(1)", NotImplementedError, '"std_cpu" not implemented for \'Float8_e4m3fn\''),
    ("fg.var_mean(a)", NotImplementedError, '"std_cpu" not implemented for \'Float8_e4m3fn\''),
    ("fg.std(m, 1, out=fg.empty(3, dtype=a.dtype))", NotImplementedError,
     '"std_cpu" not implemented for \'Float8_e4m3fn\''),
    ("a.norm()", NotImplementedError, '"norm_cpu" not implemented for \'Float8_e4m3fn\''),
    ("fg.linalg.vector_norm(a, 1)", NotImplementedError, '"norm_cpu" not implemented for \'Float8_e4m3fn\''),
    ("fg.linalg.matrix_norm(m, 1)", NotImplementedError, '"norm_cpu" not implemented for \'Float8_e4m3fn\''),
    ("F.normalize(m)", NotImplementedError, '"norm_cpu" not implemented for \'Float8_e4m3fn\''),
    ("m.norm(p='nuc')", RuntimeError, "linalg.matrix_norm: Low precision dtypes not supported. Got Float8_e4m3fn"),
    ("fg.linalg.svdvals(m)", NotImplementedError, '"linalg_svd_cpu" not implemented for \'Float8_e4m3fn\''),
    ("fg.linalg.cholesky(m[:, :3])", NotImplementedError, '"tril" not implemented for \'Float8_e4m3fn\''),
    ("fg.linalg.eig(m[:, :3])", RuntimeError, "Unknown Complex ScalarType for Float8_e4m3fn"),
    ("fg.linalg.eigvals(m)", RuntimeError, "Unknown Complex ScalarType for Float8_e4m3fn"),
    ("fg.linalg.tensorinv(m[:2, :3])", RuntimeError,
     "Expected self to satisfy the requirement prod(self.shape[ind:]) == prod(self.shape[:ind]), but got 1 != 6"),
    ("fg.sigmoid(a)", NotImplementedError, '"sigmoid_cpu_reduced_float" not implemented for \'Float8_e4m3fn\''),
    ("F.sigmoid(a)", NotImplementedError, '"sigmoid_cpu_reduced_float" not implemented for \'Float8_e4m3fn\''),
    ("fg.special.expit(a)", NotImplementedError, '"sigmoid_cpu_reduced_float" not implemented for \'Float8_e4m3fn\''),
    ("fg.special.exp2(a)", NotImplementedError, '"exp2" not implemented for \'Float8_e4m3fn\''),
    ("fg.logdet(m[:, :3])", RuntimeError, "logdet: Low precision dtypes not supported. Got Float8_e4m3fn"),
    ("fg.logdet(m)", RuntimeError, "logdet: A must be batches of square matrices, but they are 3 by 20 matrices"),
    ("fg.geqrf(m)", NotImplementedError, '"geqrf_cpu" not implemented for \'Float8_e4m3fn\''),
    ("fg.vander(m)", RuntimeError, "x must be a one-dimensional tensor."),
    ("a.scatter(0, fg.tensor([0, 9]), a)", NotImplementedError,
     '"scatter_gather_tensor_cpu" not implemented for \'Float8_e4m3fn\''),
    ("a.scatter_(0, fg.tensor([0]), 2.0)", NotImplementedError,
     '"scatter_gather_scalar_cpu" not implemented for \'Float8_e4m3fn\''),
    ("a.scatter_add(0, fg.tensor([0, 1]), a)", NotImplementedError,
     '"scatter_gather_tensor_cpu" not implemented for \'Float8_e4m3fn\''),
    ("m.scatter_add(0, fg.tensor([[0], [1]]).expand(2, 20), m[:2])", NotImplementedError,
     '"scatter_add_expanded_index" not implemented for \'Float8_e4m3fn\''),
    ("a.scatter_reduce(0, fg.tensor([0, 1]), a, 'amax')", NotImplementedError,
     '"scatter_gather_tensor_cpu_reduce_amax" not implemented for \'Float8_e4m3fn\''),
    ("a.scatter_reduce(0, fg.tensor([0, 1]), a, 'prod', include_self=False)", NotImplementedError,
     '"scatter_reduce_exclude_input_init" not implemented for \'Float8_e4m3fn\''),
    ("a.gather(0, fg.tensor([0, 1]))", NotImplementedError,
     '"gather_expanded_index" not implemented for \'Float8_e4m3fn\''),
    ("m.gather(1, fg.tensor([[0], [1], [2]]))", NotImplementedError,
     '"scatter_gather_tensor_cpu" not implemented for \'Float8_e4m3fn\''),
    ("fg.take_along_dim(a, fg.tensor([0, 1]))", NotImplementedError,
     '"gather_expanded_index" not implemented for \'Float8_e4m3fn\''),
    ("a.take(fg.tensor([9]))", NotImplementedError, '"take_cpu" not implemented for \'Float8_e4m3fn\''),
    ("a.put_(fg.tensor([0]), a[:1].clone())", NotImplementedError,
     '"take_put_cpu" not implemented for \'Float8_e4m3fn\''),
    ("a.put_(fg.tensor([0]), a[:1])", RuntimeError, OVERLAP),
    ("a.index_fill(0, fg.tensor([], dtype=fg.int64), 1.0)", NotImplementedError,
     '"index_fill_cpu" not implemented for \'Float8_e4m3fn\''),
    ("a.index_copy_(0, fg.tensor([0]), a[:1].clone())", NotImplementedError,
     '"index_copy_cpu" not implemented for \'Float8_e4m3fn\''),
    ("a.index_copy_(0, fg.tensor([0]), a[:1])", RuntimeError, OVERLAP),
    ("a.index_add(0, fg.tensor([9]), a[:1])", NotImplementedError, '"index_add_" not implemented for \'Float8_e4m3fn\''),
    ("m.index_add(0, fg.tensor([0]), m[:1])", NotImplementedError,
     '"scatter_add_expanded_index" not implemented for \'Float8_e4m3fn\''),
    ("m.index_add(0, fg.tensor([0]), m[:1], alpha=2)", NotImplementedError,
     '"add_stub" not implemented for \'Float8_e4m3fn\''),
    ("a.index_reduce(0, fg.tensor([0]), a[:1], 'amax')", NotImplementedError,
     '"index_func_" not implemented for \'Float8_e4m3fn\''),
    ("m.index_reduce(0, fg.tensor([0]), m[:1], 'amin')", NotImplementedError,
     '"minimum_cpu" not implemented for \'Float8_e4m3fn\''),
    ("a.masked_scatter(fg.tensor([True, False, True, False]), a)", NotImplementedError, '"masked_scatter" not implemented for \'Float8_e4m3fn\''),
    ("a.index_put((fg.tensor([True, False, True, False]),), a[0])", NotImplementedError, '"masked_fill" not implemented for \'Float8_e4m3fn\''),
    ("F.hardtanh(a)", NotImplementedError, '"clamp_scalar_cpu" not implemented for \'Float8_e4m3fn\''),
    ("F.relu6(a, inplace=True)", NotImplementedError, '"clamp_scalar_cpu" not implemented for \'Float8_e4m3fn\''),
    ("F.softplus(a)", NotImplementedError, '"softplus_cpu" not implemented for \'Float8_e4m3fn\''),
    ("F.glu(m[:, :3])", RuntimeError, "Halving dimension must be even, but dimension 1 is size 3"),
    ("F.glu(m)", NotImplementedError, '"glu_cpu" not implemented for \'Float8_e4m3fn\''),
    ("F.gelu(a)", NotImplementedError, '"GeluKernelImpl" not implemented for \'Float8_e4m3fn\''),
    ("F.threshold(a, 1.0, 0.0)", NotImplementedError, '"threshold_cpu" not implemented for \'Float8_e4m3fn\''),
    ("F.layer_norm(m, (20,))", NotImplementedError, '"LayerNormKernelImpl" not implemented for \'Float8_e4m3fn\''),
    ("F.mse_loss(a, a)", NotImplementedError, '"mse_cpu" not implemented for \'Float8_e4m3fn\''),
    ("fg.isin(a, a)", NotImplementedError, '"isin_default_cpu" not implemented for \'Float8_e4m3fn\''),
    ("fg.isin(a, m.reshape(-1))", NotImplementedError, '"unique" not implemented for \'Float8_e4m3fn\''),
    ("fg.isin(a, m.reshape(-1), assume_unique=True)", NotImplementedError,
     '"sorting_kernel_method_name" not implemented for \'Float8_e4m3fn\''),
    ("fg.isin(2.0, m[0, :10])", NotImplementedError, '"unique" not implemented for \'Float8_e4m3fn\''),
    ("fg.isin(2.0, m[0, :9])", NotImplementedError, '"isin_default_cpu" not implemented for \'Float8_e4m3fn\''),
    ("m.norm(dim=(0, 0))", RuntimeError, "dim 0 appears multiple times in the list of dims"),
    ("fg.isin(a, fg.ones(2))", RuntimeError,
     "Promotion for Float8 Types is not supported, attempted to promote Float8_e4m3fn and Float"),
    ("fg.xlogy(a, 2)", NotImplementedError, '"xlogy_cpu" not implemented for \'Float8_e4m3fn\''),
    ("a.xlogy_(a)", NotImplementedError, '"xlogy_cpu" not implemented for \'Float8_e4m3fn\''),
    ("fg.special.xlog1py(2.0, a)", NotImplementedError, '"xlog1py_cpu" not implemented for \'Float8_e4m3fn\''),
    ("a.arccos_()", NotImplementedError, '"acos_vml_cpu" not implemented for \'Float8_e4m3fn\''),
    ("a.deg2rad()", NotImplementedError, '"mul_cpu_reduced_float" not implemented for \'Float8_e4m3fn\''),
    ("fg.fix(a)", NotImplementedError, '"trunc_vml_cpu" not implemented for \'Float8_e4m3fn\''),
    ("a.lgamma_()", NotImplementedError, '"lgamma_vml_cpu" not implemented for \'Float8_e4m3fn\''),
    ("a.atan2_(a)", NotImplementedError, '"atan2_cpu" not implemented for \'Float8_e4m3fn\''),
    ("fg.fmax(a, a)", NotImplementedError, '"fmax_cpu" not implemented for \'Float8_e4m3fn\''),
    ("a.clamp_min(0.5)", NotImplementedError, '"clamp_min_scalar_cpu" not implemented for \'Float8_e4m3fn\''),
    ("fg.heaviside(a, a)", NotImplementedError, '"heaviside_cpu" not implemented for \'Float8_e4m3fn\''),
    ("fg.polygamma(1, a)", NotImplementedError, '"trigamma" not implemented for \'Float8_e4m3fn\''),
    ("fg.logsumexp(a, 0)", NotImplementedError, '"max_values_cpu" not implemented for \'Float8_e4m3fn\''),
    ("fg.frexp(a)", NotImplementedError, '"frexp_cpu" not implemented for \'Float8_e4m3fn\''),
    ("fg.bmm(m[None], m.t()[None])", NotImplementedError, '"bmm" not implemented for \'Float8_e4m3fn\''),
    ("m.mv(m[0])", NotImplementedError, '"addmv_impl_cpu" not implemented for \'Float8_e4m3fn\''),
    ("m.dot(m)", RuntimeError, "1D tensors expected, but got 2D and 2D tensors"),
    ("a.dot(fg.ones(4))", RuntimeError, "dot : expected both vectors to have same dtype, but found Float8_e4m3fn and Float"),
    ("fg.inner(a, a)", NotImplementedError, '"dot" not implemented for \'Float8_e4m3fn\''),
    ("fg.addr(m[:2, :2], a[:2], a[:2])", NotImplementedError, '"addr_cpu" not implemented for \'Float8_e4m3fn\''),
    ("fg.cdist(m, m)", NotImplementedError, '"cdist" not implemented for \'Float8_e4m3fn\''),
    ("fg.fft.fft(a)", RuntimeError, "Unsupported dtype Float8_e4m3fn"),
    ("a.exponential_()", NotImplementedError, '"exponential_cpu" not implemented for \'Float8_e4m3fn\''),
    ("fg.randint(0, 3, (2,), dtype=a.dtype)", NotImplementedError,
     '"random_update_from_to" not implemented for \'Float8_e4m3fn\''),
    ("fg.randperm(3, dtype=a.dtype)", NotImplementedError, '"randperm" not implemented for \'Float8_e4m3fn\''),
    ("fg.trace(m)", NotImplementedError, '"trace" not implemented for \'Float8_e4m3fn\''),
    ("fg.nansum(a)", NotImplementedError, '"nansum_cpu" not implemented for \'Float8_e4m3fn\''),
    ("m.median(1)", NotImplementedError, '"median_out" not implemented for \'Float8_e4m3fn\''),
    ("fg.unique(m, dim=0)", NotImplementedError, '"unique_dim" not implemented for \'Float8_e4m3fn\''),
    ("fg.searchsorted(a, a)", NotImplementedError, '"searchsorted_out_cpu" not implemented for \'Float8_e4m3fn\''),
    ("fg.histc(a)", NotImplementedError, '"aminmax_cpu" not implemented for \'Float8_e4m3fn\''),
    ("fg.vander(a)", RuntimeError,
     "Promotion for Float8 Types is not supported, attempted to promote Float8_e4m3fn and Long"),
    ("a.to_sparse()", NotImplementedError, '"nonzero_count_cpu" not implemented for \'Float8_e4m3fn\''),
    ('F.interpolate(m[None], scale_factor=2)', NotImplementedError, '"compute_indices_weights_nearest" not implemented for \'Float8_e4m3fn\''),
    ("F.interpolate(m[None, None], scale_factor=2, mode='bilinear')", NotImplementedError, '"upsample_bilinear2d_channels_last" not implemented for \'Float8_e4m3fn\''),
    ('F.conv_transpose1d(m[None], m[:, :2, None])', NotImplementedError, '"slow_conv_transpose2d_out_cpu" not implemented for \'Float8_e4m3fn\''),
    ('F.grid_sample(m[None, None], m[:1, :2].reshape(1, 1, 1, 2), align_corners=False)', NotImplementedError, '"grid_sampler_2d_cpu_kernel_impl" not implemented for \'Float8_e4m3fn\''),
    ('F.nll_loss(m, fg.tensor([0, 1, 2]))', NotImplementedError, '"nll_loss_out_frame" not implemented for \'Float8_e4m3fn\''),
    ('F.binary_cross_entropy(a, a)', NotImplementedError, '"binary_cross_entropy" not implemented for \'Float8_e4m3fn\''),
    ('fg.multinomial(a, 1)', NotImplementedError, '"aminmax_cpu" not implemented for \'Float8_e4m3fn\''),
    ('fg.normal(a, a)', NotImplementedError, '"min_all" not implemented for \'Float8_e4m3fn\''),
    ('fg.special.ndtr(a)', NotImplementedError, '"mul_cpu_reduced_float" not implemented for \'Float8_e4m3fn\''),
    ('fg.lerp(a, a, 0.5)', NotImplementedError, '"lerp_kernel_scalar" not implemented for \'Float8_e4m3fn\''),
    ('F.pixel_shuffle(m.reshape(1, 4, 15, 1), 2)', NotImplementedError, '"pixel_shuffle" not implemented for \'Float8_e4m3fn\''),
    ('F.unfold(m[None, None], 2)', NotImplementedError, '"im2col_out_cpu" not implemented for \'Float8_e4m3fn\''),
    ('fg.poisson(a)', NotImplementedError, '"poisson_cpu" not implemented for \'Float8_e4m3fn\''),
    ('fg.bernoulli(a)', NotImplementedError, '"bernoulli_tensor_cpu_self_" not implemented for \'Float8_e4m3fn\''),
    ('fg.histogram(a)', NotImplementedError, '"histogramdd" not implemented for \'Float8_e4m3fn\''),
    ('fg.ldexp(a, fg.tensor([1]))', NotImplementedError, '"ldexp_cpu" not implemented for \'Float8_e4m3fn\''),
    ('fg.ldexp(fg.ones(2), a[0])', NotImplementedError, '"pow" not implemented for \'Float8_e4m3fn\''),
    ('fg.ldexp(a, fg.tensor(2.0))', RuntimeError,
     'Promotion for Float8 Types is not supported, attempted to promote Float8_e4m3fn and Float'),
    ('fg.trapezoid(a)', NotImplementedError, '"add_stub" not implemented for \'Float8_e4m3fn\''),
]


@pytest.mark.parametrize(("expression", "error", "message"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refused_as_pytorch(expression, error, message):
    a = fg.tensor([1.0, 2.0, 0.5, 4.0], dtype=fg.float8_e4m3fn)
    m = fg.ones(3, 20, dtype=fg.float8_e4m3fn)
    with pytest.raises(error) as info:
        eval(expression, {"fg": fg, "F": F, "a": a, "m": m})
    assert str(info.value) == message


@pytest.mark.parametrize("name", FLOAT8)
def test_every_8_bit_float_names_itself(name):
    a = fg.ones(3, dtype=getattr(fg, name))
    scalar = "Float8_" + name.split("_", 1)[1]
    for call in (lambda: a.scatter(0, fg.tensor([0]), a), lambda: fg.isclose(a, a), lambda: a.take(fg.tensor([0]))):
        with pytest.raises(NotImplementedError, match=f"not implemented for '{scalar}'$"):
            call()


def test_what_pytorch_computes():
    a = fg.tensor([1.0, 2.0, 0.5, 4.0], dtype=fg.float8_e4m3fn)
    put = a.index_put((fg.tensor([0, 1]),), fg.tensor([3.0, 5.0], dtype=a.dtype), accumulate=True)
    assert put.dtype == a.dtype and put.tolist() == [4.0, 7.0, 0.5, 4.0]
    assert fg.isin(a, 2.0).tolist() == [False, True, False, False]
    empty = fg.tensor([], dtype=fg.int64)
    assert a.scatter(0, empty, a).tolist() == [1.0, 2.0, 0.5, 4.0]
    assert a.take(empty).shape == (0,) and a.gather(0, empty).shape == (0,)
    assert math.isnan(fg.ones(0, dtype=a.dtype).var().item())
    assert fg.ones(0, dtype=a.dtype).norm().item() == 0.0
    wide = fg.var(fg.ones(2, 3, dtype=a.dtype), 1, out=fg.empty(2))
    assert wide.dtype == fg.float32 and wide.tolist() == [0.0, 0.0]
    summed = fg.nansum(a, dtype=fg.float32)
    assert summed.dtype == fg.float32 and summed.item() == 7.5
    counts = fg.bincount(fg.tensor([0, 1, 1]), fg.ones(3, dtype=a.dtype))
    assert counts.dtype == fg.float64 and counts.tolist() == [1.0, 2.0]
    product = fg.ones(2, 2, dtype=a.dtype) @ fg.ones(2, 2, dtype=a.dtype)
    assert product.tolist() == [[2.0, 2.0], [2.0, 2.0]]


def test_a_0d_8_bit_operand_takes_the_wider_dtype():
    half = fg.tensor(0.5, dtype=fg.float8_e5m2)
    out = fg.xlogy(fg.tensor([2.0, 4.0]), half)
    assert out.dtype == fg.float32 and out.tolist() == pytest.approx([-1.3862943649291992, -2.7725887298583984])
    out = fg.atan2(half, fg.tensor([0.5, -0.5]))
    assert out.dtype == fg.float32 and out.tolist() == pytest.approx([0.7853981852531433, 2.356194496154785])
    out = fg.addcmul(fg.tensor([1.0, 4.0]), fg.tensor([1.0, 4.0]), half)
    assert out.dtype == fg.float32 and out.tolist() == [1.5, 6.0]
    with pytest.raises(RuntimeError, match="attempted to promote Long and Float8_e5m2"):
        fg.addcmul(fg.tensor([1, 2]), fg.tensor([1, 2]), half)
    out = fg.ldexp(half, fg.tensor([1.0, 2.0]))
    assert out.dtype == fg.float32 and out.tolist() == [1.0, 2.0]
    w = fg.tensor([1.0, 2.0], requires_grad=True)
    fg.hypot(w, half).sum().backward()
    assert w.grad.tolist() == pytest.approx([0.8944271802902222, 0.9701425433158875])


def test_isinf_and_isfinite_where_pytorch_has_them():
    x = fg.tensor([1.0, math.nan, math.inf, -math.inf, 0.0])
    e5m2 = x.to(fg.float8_e5m2)
    assert fg.isinf(e5m2).tolist() == [False, False, True, True, False]
    assert e5m2.isfinite().tolist() == [True, False, False, False, True]
    assert fg.isfinite(x.to(fg.float8_e8m0fnu)).tolist() == [True] * 5
    for name in ("float8_e4m3fn", "float8_e5m2fnuz"):
        with pytest.raises(NotImplementedError, match="\"isinf\" not implemented"):
            x.to(getattr(fg, name)).isinf()


@pytest.mark.parametrize("name", FLOAT8)
def test_save_load_keeps_the_bits(name):
    codes = list(range(256))
    t = fg.tensor(codes, dtype=fg.uint8).view(getattr(fg, name))
    buffer = io.BytesIO()
    fg.save({"t": t, "part": t[3:9:2]}, buffer)
    buffer.seek(0)
    loaded = fg.load(buffer)
    assert loaded["t"].dtype == t.dtype and loaded["t"].view(fg.uint8).tolist() == codes
    assert loaded["part"].contiguous().view(fg.uint8).tolist() == [3, 5, 7]
    # PyTorch's layout: the bytes in an untyped storage, the dtype named in _rebuild_tensor_v3
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        pickle_name = next(n for n in archive.namelist() if n.endswith("data.pkl"))
        listing = io.StringIO()
        pickletools.dis(archive.read(pickle_name), out=listing)
    assert "torch._utils _rebuild_tensor_v3" in listing.getvalue()
    assert "torch.storage UntypedStorage" in listing.getvalue()
    assert f"torch {name}" in listing.getvalue()


# torch.save({"x": x, "y": x[2:6:2]}) of x = uint8 [0, 1, 60, 124, 127, 128, 200, 255]
# viewed as float8_e5m2 (PyTorch 2.13), zlib-compressed
TORCH_SAVED_E5M2 = (
    "eNqllL1v00AYxs9OYhsD+QJU6NCFJUiQxnGcDwpUiqoweCANqlSxWK5zjS2cOOdcAkEgKqEIdQMGRv4N/gEGJj52NiYmNhjhzk5T"
    "22kDlJOc0yn3PO/Pd8/rphqLAyAIYG6kQRbormFaI7ja1rGe79+3G/UkuBcae+wTBHLbDBE8RIyBHaLIa0Ns2QNRc+HO0LLbGoa9"
    "geNqI1lEbC63zZPNA7JT70AUm0qma3Grh8d92L47XaK4Z11Aie0YmY3+EHGqgBG/qQJVmCBBZSbo1L5hOLYNDWw5vYF4x21DF7Y3"
    "LAOLSLzSQqf9GuKu7ei4qkGlWxTRGYzOtlDSsx+jlEnAzJgZNxOmVyC9qbIqO0EZ+pPdN6nPOZOIzrfQhWG+qfJC7dPl4U+ipk/z"
    "2GNcAvHZMeZ3HberY20E3QFBbdQBkKjT2+9fnlEOZqHTMqgcOk3PS9Ntq9Prwh5u1OXI1fzVKJcowPoD9I0lJdiFABmwPgPYGWPo"
    "0INu1NdOUvdg2BbGNqQMk5tfL3GkCreQIQluhVK5WmjUr/8HAGBuPH669/4XJdjgn/dpSWEhQQqszQhmF1k5KYIs0sqf33S2/nz+"
    "K6B4GADv5QfQtUgCHuk0+ZrVbtTz/wgiKZViVarVFEmqKqVySS4UywWlWKgWFLlckZWaVJJKNblKKd99ePEjRzhyHiVDYWecwWZI"
    "z5FHvyNRdbABlkLK2ww4rn2iJsEQL4dMXgZN5jon6hMMYibkk2XBfANE5cEUJUPy1yyIZDeqDeYgFdJejIFo6qLi4PWshMSvAuKj"
    "g9NUOe7qQcxi12ZKPjJ/ZPy5GvdnovP+4jl/7X/BEpyv4b39/t7fBtdpFA=="
)


def test_loads_pytorchs_file():
    data = zlib.decompress(base64.b64decode(TORCH_SAVED_E5M2))
    loaded = fg.load(io.BytesIO(data))
    x, y = loaded["x"], loaded["y"]
    assert x.dtype == fg.float8_e5m2 and x.view(fg.uint8).tolist() == [0, 1, 60, 124, 127, 128, 200, 255]
    assert y.contiguous().view(fg.uint8).tolist() == [60, 127]
    values = x.float().tolist()
    assert values[:4] == [0.0, 1.52587890625e-05, 1.0, math.inf] and values[6] == -8.0
    assert math.isnan(values[4]) and math.copysign(1.0, values[5]) == -1.0


@pytest.mark.parametrize("name", FLOAT8)
def test_dlpack_round_trip_shares_memory(name):
    codes = list(range(256))
    t = fg.tensor(codes, dtype=fg.uint8).view(getattr(fg, name))
    for capsule in (t.__dlpack__(), t.__dlpack__(max_version=(1, 0)), fg.utils.dlpack.to_dlpack(t)):
        back = fg.from_dlpack(capsule)
        assert back.dtype == t.dtype and back.view(fg.uint8).tolist() == codes
    shared = fg.from_dlpack(t)
    shared.view(fg.uint8)[0] = 56
    assert t.view(fg.uint8)[0].item() == 56


def test_dlpack_names_the_formats_type_code():
    import ctypes

    get_name = ctypes.pythonapi.PyCapsule_GetName
    get_name.restype, get_name.argtypes = ctypes.c_char_p, [ctypes.py_object]
    get_pointer = ctypes.pythonapi.PyCapsule_GetPointer
    get_pointer.restype, get_pointer.argtypes = ctypes.c_void_p, [ctypes.py_object, ctypes.c_char_p]
    # PyTorch's codes: DLPack 1.1's kDLFloat8_e4m3fn = 10 ... kDLFloat8_e8m0fnu = 14
    for name, code in (("float8_e4m3fn", 10), ("float8_e4m3fnuz", 11), ("float8_e5m2", 12),
                       ("float8_e5m2fnuz", 13), ("float8_e8m0fnu", 14)):
        capsule = fg.ones(2, dtype=getattr(fg, name)).__dlpack__()
        pointer = get_pointer(capsule, get_name(capsule))
        assert ctypes.c_uint8.from_address(pointer + 20).value == code  # DLTensor.dtype.code
        assert ctypes.c_uint8.from_address(pointer + 21).value == 8  # .bits


def test_to_sparse_csr_still_converts():
    m = fg.tensor([[1.0, 0.0], [0.0, 2.0]], dtype=fg.float8_e4m3fn).to_sparse_csr()
    assert m.values().tolist() == [1.0, 2.0] and m.values().dtype == fg.float8_e4m3fn


def test_fills_past_the_range_are_refused():
    def overflow(name):
        return f"value cannot be converted to type c10::Float8_{name} without overflow"

    e4m3fn, e8m0 = fg.float8_e4m3fn, fg.float8_e8m0fnu
    with pytest.raises(RuntimeError) as info:
        fg.full((2,), 1e6, dtype=e4m3fn)
    assert str(info.value) == overflow("e4m3fn")
    assert fg.full((1,), 1e6, dtype=e4m3fn).tolist() == [448.0]  # one element is written unchecked
    assert fg.ones(2, dtype=e4m3fn).fill_(448.0).tolist() == [448.0, 448.0]
    with pytest.raises(RuntimeError, match=overflow("e4m3fn")):
        fg.ones(2, dtype=e4m3fn).fill_(449.0)
    with pytest.raises(RuntimeError, match=overflow("e4m3fnuz")):
        fg.ones(2, dtype=fg.float8_e4m3fnuz).fill_(math.inf)
    assert fg.ones(2, dtype=fg.float8_e5m2).fill_(math.inf).tolist() == [math.inf, math.inf]
    with pytest.raises(RuntimeError, match=overflow("e8m0fnu")):
        fg.ones(2, dtype=e8m0).fill_(0.0)
    with pytest.raises(RuntimeError, match=overflow("e8m0fnu")):
        F.pad(fg.ones(2, 3, dtype=e8m0), (1, 1))
    assert F.pad(fg.ones(2, 3, dtype=e8m0), (1, 1), value=1.0).shape == (2, 5)
    assert fg.zeros(2, dtype=e8m0).tolist() == [5.877471754111438e-39] * 2


def test_equal():
    a = fg.ones(2, dtype=fg.float8_e4m3fn)
    assert fg.equal(a, fg.ones(3, dtype=a.dtype)) is False
    assert fg.equal(fg.ones(0, dtype=a.dtype), fg.ones(0, dtype=a.dtype)) is True
    assert fg.equal(a, a.clone()) is True
    assert fg.equal(fg.tensor([math.nan], dtype=a.dtype), fg.tensor([math.nan], dtype=a.dtype)) is False
    with pytest.raises(NotImplementedError, match="\"equal_notnan_cpu\" not implemented for 'Float8_e4m3fn'"):
        a.equal(a)  # a tensor against itself
    with pytest.raises(RuntimeError, match="attempted to promote Float and Float8_e4m3fn"):
        fg.equal(fg.ones(2), a)


def test_no_elements_reach_no_kernel():
    d = fg.float8_e4m3fn
    assert fg.ones(2, 0, dtype=d).mv(fg.ones(0, dtype=d)).tolist() == [0.0, 0.0]
    assert fg.ones(1, 2, 0, dtype=d).bmm(fg.ones(1, 0, 2, dtype=d)).tolist() == [[[0.0, 0.0], [0.0, 0.0]]]
    median = fg.ones(0, dtype=d).median()
    assert median.dtype == d and math.isnan(median.item())
    assert fg.cdist(fg.ones(0, 3, dtype=d), fg.ones(0, 3, dtype=d)).shape == (0, 0)
    assert fg.searchsorted(fg.ones(0, dtype=d), fg.ones(0, dtype=d)).tolist() == []
    assert fg.ones(0, dtype=d).bernoulli_(0.5).shape == (0,)
    assert fg.ones(0, dtype=d).normal_().shape == (0,)
    assert fg.ones(0, dtype=d).exponential_().shape == (0,)
    with pytest.raises(NotImplementedError, match="\"searchsorted_out_cpu\" not implemented"):
        fg.searchsorted(fg.ones(0, dtype=d), fg.ones(2, dtype=d))


def test_reductions_without_elements_need_no_kernel():
    d = fg.float8_e4m3fn
    empty, rows = fg.ones(0, dtype=d), fg.ones(0, 3, dtype=d)
    total = empty.sum()
    assert total.dtype == d and total.item() == 0.0
    assert rows.sum(0).tolist() == [0.0, 0.0, 0.0] and rows.sum(0, keepdim=True).shape == (1, 3)
    assert empty.sum(dtype=fg.float8_e5m2).dtype == fg.float8_e5m2
    assert fg.ones(2, 0, dtype=d).prod(1).tolist() == [1.0, 1.0]
    assert empty.cumsum(0).dtype == d and rows.amax(1).shape == (0,)
    values, indices = rows.max(1)
    assert values.dtype == d and indices.dtype == fg.int64 and values.shape == (0,)
    assert rows.argmax(1).dtype == fg.int64 and rows.softmax(0).dtype == d
    with pytest.raises(IndexError, match=r"amax\(\): Expected reduction dim 0 to have non-zero size."):
        rows.amax(0)
    with pytest.raises(NotImplementedError, match="\"div_cpu_reduced_float\" not implemented for 'Float8_e4m3fn'"):
        empty.mean()
    with pytest.raises(NotImplementedError, match="\"sum_cpu\" not implemented for 'Float8_e4m3fn'"):
        fg.ones(2, dtype=d).sum()


def test_to_sparse_csr_of_a_tensor_without_elements():
    csr = fg.zeros(0, 2, dtype=fg.float8_e4m3fn).to_sparse_csr()
    assert csr.crow_indices().tolist() == [0] and csr.values().shape == (0,) and csr.shape == (0, 2)
    assert fg.zeros(2, 0).to_sparse_csr().crow_indices().tolist() == [0, 0, 0]
    assert fg.zeros(2, 0, 3).to_sparse_csr().crow_indices().tolist() == [[0], [0]]
    with pytest.raises(RuntimeError, match=r"to_sparse_csr: Expected product of batch dimensions to be non-zero\."):
        fg.zeros(0, 2, 2).to_sparse_csr()


def test_saves_an_8_bit_tensor_with_its_byte_views_as_one_record():
    x = fg.tensor([1.0, 2.0, 0.5], dtype=fg.float8_e5m2)
    buffer = io.BytesIO()
    fg.save([x, x.view(fg.uint8), x.view(fg.float8_e4m3fn)], buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        assert [n for n in archive.namelist() if "/data/" in n] == ["archive/data/0"]
    buffer.seek(0)
    a, codes, other = fg.load(buffer)
    assert codes.tolist() == [60, 64, 56] and other.tolist() == [1.5, 2.0, 1.0]
    codes[0] = 56  # one memory, as PyTorch loads it
    assert a.tolist() == [0.5, 2.0, 0.5]
    with pytest.raises(RuntimeError, match="view the same data as different types"):
        fg.save([x, x.view(fg.int8)], io.BytesIO())
