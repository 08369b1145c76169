"""Disagreements found by the session-27 dtype survey (`tools/dtype_survey18.py`: ~480
Tensor methods and functions on every dtype with edge values). Expected values and
messages are PyTorch 2.13's."""

import math

import pytest
from backend import MOD, fg

UNSIGNED = ["uint16", "uint32", "uint64"]
NAMES = {"uint16": "UInt16", "uint32": "UInt32", "uint64": "UInt64"}


def _refused(kernel, dtype):
    return pytest.raises(NotImplementedError, match=f"^\"{kernel}\" not implemented for '{NAMES.get(dtype, dtype)}'$")


def _u(values, dtype):
    return fg.tensor(values, dtype=getattr(fg, dtype))


# ---- uint16/32/64: the kernels PyTorch's CPU build lacks, and the ones it has ------------


def test_signbit_of_uint64_is_never_set():
    x = _u([1, 2**63 + 5, 2**64 - 1], "uint64")
    assert fg.signbit(x).tolist() == [False, False, False]
    assert x.signbit().tolist() == [False, False, False]
    assert fg.signbit(x).dtype == fg.bool


@pytest.mark.parametrize("dtype", UNSIGNED)
@pytest.mark.parametrize(("op", "kernel"), [("fmax", "maximum_cpu"), ("fmin", "minimum_cpu"),
                                            ("gcd", "gcd_cpu"), ("lcm", "lcm_cpu")])
def test_unsigned_binary_ops_without_a_kernel(dtype, op, kernel):
    x = _u([1, 2], dtype)
    with _refused(kernel, dtype):
        getattr(fg, op)(x, x)
    with _refused(kernel, dtype):
        getattr(x, op)(x)


@pytest.mark.parametrize("op", ["gcd_", "lcm_"])
def test_unsigned_inplace_gcd_lcm_refused(op):
    x = _u([4, 6], "uint32")
    with _refused(op[:-1] + "_cpu", "uint32"):
        getattr(x, op)(x.clone())


def test_unsigned_fmax_with_a_float_tensor_computes_in_float():
    out = fg.fmax(_u([1, 2], "uint16"), fg.tensor([1.5]))
    assert out.dtype == fg.float32
    assert out.tolist() == [1.5, 2.0]


@pytest.mark.parametrize("dtype", UNSIGNED)
def test_unsigned_heaviside_names_its_kernel(dtype):
    x = _u([0, 2], dtype)
    with _refused("heaviside_cpu", dtype):
        fg.heaviside(x, x)


@pytest.mark.parametrize("dtype", UNSIGNED)
def test_unsigned_index_select_copies_the_elements(dtype):
    big = {"uint16": 2**16 - 1, "uint32": 2**32 - 1, "uint64": 2**64 - 1}[dtype]
    x = _u([[1, 2, 3], [4, 5, big]], dtype)
    out = x.index_select(1, fg.tensor([2, 0]))
    assert out.dtype == getattr(fg, dtype)
    assert out.tolist() == [[3, 1], [big, 4]]
    assert fg.index_select(x, 0, fg.tensor([1])).tolist() == [[4, 5, big]]
    with pytest.raises(RuntimeError, match="INDICES element is out of DATA bounds, id=5 axis_dim=3"):
        x.index_select(1, fg.tensor([5]))
    with _refused("index_select", dtype):  # a vector (or a 0-d tensor) takes another kernel
        x[0].index_select(0, fg.tensor([1]))
    with _refused("index_select", dtype):
        x[0, 0].index_select(0, fg.tensor([0]))


@pytest.mark.parametrize(("value", "expected"), [(2**63 + 5, 9.223372036854776e18), (2**64 - 1, 1.8446744073709552e19)])
def test_float_of_a_large_uint64(value, expected):
    assert float(_u(value, "uint64")) == expected


@pytest.mark.parametrize("dtype", UNSIGNED)
def test_unsigned_dist_refuses_the_subtraction(dtype):
    x = _u([1, 2], dtype)
    with _refused("add_stub", dtype):
        fg.dist(x, x)


@pytest.mark.filterwarnings("ignore:index_reduce")
@pytest.mark.parametrize("dtype", UNSIGNED)
@pytest.mark.parametrize("op", ["scatter_reduce", "index_reduce"])
def test_unsigned_scatter_and_index_reductions_name_their_kernels(dtype, op):
    x = _u([[1, 2, 3], [4, 5, 6]], dtype)
    src = _u([[1, 2], [3, 4]], dtype)
    scatter = {("sum", True): "scatter_gather_tensor_cpu", ("prod", True): "scatter_gather_tensor_cpu",
               ("mean", True): "scatter_gather_tensor_cpu_reduce_mean",
               ("amax", True): "scatter_gather_tensor_cpu_reduce_amax",
               ("amin", True): "scatter_gather_tensor_cpu_reduce_amin"}
    index = {"mean": "add_stub", "amax": "maximum_cpu", "amin": "minimum_cpu"}
    for reduce in ("sum", "prod", "mean", "amax", "amin"):
        for include_self in (True, False):
            if op == "scatter_reduce":
                want = scatter[reduce, True] if include_self else "scatter_reduce_exclude_input_init"
                with _refused(want, dtype):
                    x.scatter_reduce(1, fg.tensor([[2, 0]]), src[:1], reduce, include_self=include_self)
            elif reduce != "sum" and not (reduce == "prod" and include_self):
                want = index[reduce] if include_self else "index_reduce_func_exclude_input_init"
                with _refused(want, dtype):
                    x.index_reduce(1, fg.tensor([2, 0]), src, reduce, include_self=include_self)


@pytest.mark.filterwarnings("ignore:index_reduce")
def test_unsigned_index_reduce_prod_runs_and_wraps():
    x = _u([[1, 2, 3], [4, 5, 60000]], "uint16")
    src = _u([[1, 2], [3, 4]], "uint16")
    expected = [[2, 2, 3], [16, 5, 48928]]  # 60000 * 3 = 180000 wraps to 48928
    assert x.index_reduce(1, fg.tensor([2, 0]), src, "prod").tolist() == expected
    y = x.clone()
    assert y.index_reduce_(1, fg.tensor([2, 0]), src, "prod") is y
    assert y.tolist() == expected
    with _refused("index_func_", "uint64"):  # a vector takes another kernel
        _u([1, 2, 3], "uint64").index_reduce(0, fg.tensor([2, 0]), _u([2, 4], "uint64"), "prod")


def test_unsigned_index_add_of_a_matrix_goes_through_scatter_add():
    with _refused("scatter_gather_tensor_cpu", "uint16"):
        _u([[1, 2, 3]], "uint16").index_add(1, fg.tensor([2, 0]), _u([[1, 2]], "uint16"))
    with _refused("index_add_", "uint16"):
        _u([1, 2, 3], "uint16").index_add(0, fg.tensor([1]), _u([1], "uint16"))


@pytest.mark.parametrize("dtype", UNSIGNED)
def test_unsigned_index_put_accumulate_names_index_put(dtype):
    x = _u([1, 2], dtype)
    with _refused("index_put", dtype):
        x.index_put((fg.tensor([0, 0]),), _u([1, 2], dtype), accumulate=True)
    with _refused("index_put", dtype):
        x.index_put_((fg.tensor([0, 0]),), _u([1, 2], dtype), accumulate=True)


def test_searchsorted_promotes_unsigned_with_another_dtype_first():
    seq16 = _u([0, 1, 5], "uint16")
    with pytest.raises(RuntimeError, match="Promotion for uint16, uint32, uint64 types is not supported, "
                                           "attempted to promote UInt16 and Long"):
        fg.searchsorted(seq16, fg.tensor([1, 2]))
    with pytest.raises(RuntimeError, match="attempted to promote Long and UInt16"):
        fg.bucketize(_u([1, 2], "uint16"), fg.tensor([0, 1, 5]))
    assert fg.bucketize(_u([1, 2], "uint16"), fg.tensor([0.0, 1, 5])).tolist() == [1, 2]
    assert fg.searchsorted(seq16, fg.tensor([1.5, 2.0], dtype=fg.float64)).tolist() == [2, 2]
    with _refused("searchsorted_out_cpu", "uint16"):
        fg.searchsorted(seq16, _u([1, 2], "uint16"))
    with _refused("searchsorted_out_cpu", "uint16"):
        fg.bucketize(3, seq16)


@pytest.mark.parametrize(("dtype", "cname"), [("uint16", "short unsigned int"), ("uint32", "unsigned int"),
                                              ("uint64", "long unsigned int")])
def test_unsigned_clamp_inplace_with_a_float_bound(dtype, cname):
    x = _u([1, 2], dtype)
    for call in (lambda: x.clamp_(min=0.5), lambda: x.clamp_(0, 1.5), lambda: x.clamp_min_(0.5),
                 lambda: x.clamp_max_(1.5), lambda: x.clip_(max=2.5)):
        with pytest.raises(RuntimeError, match=f"^result type Float can't be cast to the desired output type {cname}$"):
            call()
    with pytest.raises(RuntimeError, match=f"^result type ComplexFloat can't be cast to the desired output type {cname}$"):
        x.clamp_(0, 1j)
    with _refused("clamp_scalar_cpu", dtype):
        x.clamp_(0, 1)


@pytest.mark.parametrize("values", [[-2.0], [-0.5], [[1, -2.0]]])
@pytest.mark.parametrize("dtype", ["uint16", "uint32"])
def test_tensor_refuses_negative_floats_for_uint16_uint32(values, dtype):
    with pytest.raises(RuntimeError, match=f"^value cannot be converted to type {dtype} without overflow$"):
        fg.tensor(values, dtype=getattr(fg, dtype))
    with pytest.raises(RuntimeError, match=f"^value cannot be converted to type {dtype} without overflow$"):
        fg.as_tensor(values, dtype=getattr(fg, dtype))


def test_tensor_wraps_negative_ints_and_reads_uint64_as_ints():
    assert fg.tensor([-2], dtype=fg.uint32).tolist() == [2**32 - 2]
    assert fg.tensor([-0.0], dtype=fg.uint16).tolist() == [0]
    with pytest.raises(TypeError, match="^an integer is required$"):
        fg.tensor([-2.0], dtype=fg.uint64)


# ---- products without a kernel for bool and the unsigned dtypes --------------------------


@pytest.mark.parametrize("dtype", ["bool", *UNSIGNED])
def test_matrix_vector_products_refuse_bool_and_unsigned(dtype):
    d = getattr(fg, dtype)
    v = fg.tensor([1, 0, 1], dtype=d)
    mat = fg.tensor([[1, 0, 1], [0, 1, 1]], dtype=d)
    name = NAMES.get(dtype, "Bool")
    for call in (lambda: fg.mv(mat, v), lambda: mat.mv(v), lambda: fg.addmv(v[:2], mat, v)):
        with _refused("addmv_impl_cpu", name):
            call()
    with _refused("baddbmm", name):
        fg.baddbmm(fg.zeros(1, 2, 2, dtype=d), mat.unsqueeze(0), mat.t().unsqueeze(0))
    assert fg.mv(mat[:0], v).tolist() == []  # nothing to compute: no kernel is looked for


@pytest.mark.parametrize("dtype", UNSIGNED)
def test_unsigned_outer_and_dot_products_refused(dtype):
    v = _u([1, 0, 1], dtype)
    with _refused("addr_cpu", dtype):
        fg.addr(fg.zeros(3, 3, dtype=getattr(fg, dtype)), v, v)
    for call in (lambda: fg.vdot(v, v), lambda: fg.inner(v, v), lambda: fg.inner(v.unsqueeze(0), v.unsqueeze(0))):
        with _refused("dot", dtype):
            call()
    assert fg.inner(v, _u(3, dtype)).tolist() == [3, 0, 3]


# ---- kernel names of refusals --------------------------------------------------------------


@pytest.mark.parametrize(("dtype", "name"), [("uint16", "UInt16"), ("complex64", "ComplexFloat")])
def test_median_along_a_dim_names_median_out(dtype, name):
    x = fg.tensor([[1, 2, 3]], dtype=getattr(fg, dtype))
    with _refused("median_out", name):
        x.median(1)
    with _refused("median_cpu", name):
        x.median()
    with _refused("median_out", name):
        x.nanmedian(1)


@pytest.mark.parametrize("dim", [0, 1])
def test_complex_unique_along_a_dim_names_unique_dim(dim):
    x = fg.tensor([[1, 2], [3, 4]], dtype=fg.complex64)
    with _refused("unique_dim", "ComplexFloat"):
        fg.unique(x, dim=dim)
    with _refused("unique_dim", "ComplexFloat"):
        fg.unique_consecutive(x, dim=dim)
    with _refused("unique", "ComplexFloat"):
        fg.unique(x)


@pytest.mark.parametrize(
    ("dtype", "low", "high", "error", "message"),
    [
        ("uint8", -2, 3, RuntimeError, "value cannot be converted to type uint8_t without overflow"),
        ("int8", -200, 3, RuntimeError, "value cannot be converted to type int8_t without overflow"),
        ("int16", -2, 70000.5, RuntimeError, "value cannot be converted to type int16_t without overflow"),
        ("int16", -2.5, 7, NotImplementedError, "\"histogram_cpu\" not implemented for 'Short'"),
        ("uint8", 0, 0, NotImplementedError, "\"histogram_cpu\" not implemented for 'Byte'"),
        ("bool", -2, 3, NotImplementedError, "\"linspace_cpu\" not implemented for 'Bool'"),
        ("bool", 0, 0, NotImplementedError, "\"linspace_cpu\" not implemented for 'Bool'"),
        ("uint16", -2, 3, NotImplementedError, "\"linspace_cpu\" not implemented for 'UInt16'"),
        ("uint16", 0, 0, NotImplementedError, "\"aminmax_cpu\" not implemented for 'UInt16'"),
        ("complex64", -2, 3, NotImplementedError, "\"histogram_cpu\" not implemented for 'ComplexFloat'"),
    ],
)
def test_histc_of_exact_dtypes_spaces_its_edges_first(dtype, low, high, error, message):
    x = fg.tensor([1, 0, 1], dtype=getattr(fg, dtype))
    with pytest.raises(error, match=f"^{message}$"):
        fg.histc(x, bins=4, min=low, max=high)


def test_addcdiv_integer_message_names_this_module():
    x = fg.tensor([1, 2])
    with pytest.raises(RuntimeError, match=rf"\(input \+ value \* {MOD}\.trunc\(tensor1 / tensor2\)\)"):
        fg.addcdiv(x, x, x)


# ---- values ----------------------------------------------------------------------------------


def test_int32_lcm_wraps_before_the_absolute_value():
    a = fg.tensor([2147483647, -2147483648, 6, -4, 196608], dtype=fg.int32)
    b = fg.tensor([2, 3, -4, 6, 327680], dtype=fg.int32)
    assert fg.lcm(a, b).tolist() == [2, -2147483648, 12, 12, 983040]
    c = fg.tensor([2147483647], dtype=fg.int32)
    assert c.lcm_(fg.tensor([2], dtype=fg.int32)).tolist() == [2]
    # int16 works in a promoted C++ int: the absolute value comes before the wrap
    s = fg.lcm(fg.tensor([32767, -32768, 6], dtype=fg.int16), fg.tensor([2, 3, -4], dtype=fg.int16))
    assert s.tolist() == [-2, -32768, 12]


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_half_isclose_rounds_each_step_in_the_dtype(dtype):
    d = getattr(fg, dtype)
    # |6e-8 - -2| rounds to 2 in the dtype, which the allowed 1 + 0.5 * 2 = 2 admits
    out = fg.isclose(fg.tensor([6e-8, 1.0], dtype=d), fg.tensor([-2.0, 2.0], dtype=d), rtol=0.5, atol=1)
    assert out.tolist() == [True, True]
    nan, inf = math.nan, math.inf
    special = fg.isclose(fg.tensor([nan, inf, 1.0, -inf], dtype=d), fg.tensor([nan, inf, inf, inf], dtype=d),
                         rtol=0.5, atol=1, equal_nan=True)
    assert special.tolist() == [True, True, False, False]


def test_bool_isclose_with_tolerances_compares_as_floats():
    a, b = fg.tensor([True, False, True]), fg.tensor([False, False, True])
    assert fg.isclose(a, b, rtol=0.5, atol=1).tolist() == [True, True, True]
    assert fg.isclose(a, b, atol=0.5).tolist() == [False, True, True]
    assert fg.isclose(a, b).tolist() == [False, True, True]


def test_renorm_keeps_slices_whose_norm_is_nan():
    x = fg.tensor([[0.0, math.nan, 3.0], [3.0, 4.0, 0.0]])
    out = x.renorm(2, 0, 1)
    assert math.isnan(out[0, 1].item())
    assert out[0, 0].item() == 0.0 and out[0, 2].item() == 3.0  # factor 1: NaN > maxnorm is false
    assert out[1].tolist() == pytest.approx([0.6, 0.8, 0.0], rel=1e-6)


# ---- layer_norm in float16/bfloat16: PyTorch's kernel computes in float32, rounds once ----

LN_X = [[1.0, 2.0, 3.5, -1.25, 0.1, 7.3], [0.3, -0.7, 2.2, 5.5, -3.3, 0.01]]
LN_W = [0.5, -1.5, 2.0, 0.25, 1.0, 3.0]
LN_B = [0.1, 0.2, -0.3, 0.4, 0.0, -1.0]
LN_GRAD = [[1.0, -2.0, 0.5, 0.25, 3.0, -1.0]] * 2
LN_EXPECTED = {
    "float16": {
        "affine": [[-0.10137939453125, 0.259033203125, 0.7109375, 0.0948486328125, -0.72998046875, 4.66015625],
                   [0.031951904296875, 0.958984375, 0.83251953125, 0.8466796875, -1.4677734375, -1.7294921875]],
        "plain": [[-0.40283203125, -0.039398193359375, 0.50537109375, -1.220703125, -0.72998046875, 1.88671875],
                  [-0.1361083984375, -0.505859375, 0.56640625, 1.787109375, -1.4677734375, -0.2432861328125]],
        "mean": [[2.109375], [0.66796875]],
        "rstd": [[0.36328125], [0.369873046875]],
        "grad": [[-0.283447265625, 0.794921875, 0.32373046875, -0.8251953125, 0.471435546875, -0.482421875],
                 [-0.134765625, 0.685546875, 0.24853515625, 0.2467041015625, 0.413818359375, -1.4599609375]],
    },
    "bfloat16": {
        "affine": [[-0.1015625, 0.259765625, 0.70703125, 0.095703125, -0.73046875, 4.65625],
                   [0.031982421875, 0.9609375, 0.83203125, 0.84765625, -1.46875, -1.734375]],
        "plain": [[-0.40234375, -0.0400390625, 0.50390625, -1.21875, -0.73046875, 1.890625],
                  [-0.13671875, -0.5078125, 0.56640625, 1.7890625, -1.46875, -0.244140625]],
        "mean": [[2.109375], [0.66796875]],
        "rstd": [[0.36328125], [0.369140625]],
        "grad": [[-0.283203125, 0.796875, 0.32421875, -0.828125, 0.470703125, -0.478515625],
                 [-0.1337890625, 0.68359375, 0.248046875, 0.2431640625, 0.416015625, -1.453125]],
    },
}


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_reduced_precision_layer_norm_rounds_once(dtype):
    d, want = getattr(fg, dtype), LN_EXPECTED[dtype]
    x = fg.tensor(LN_X, dtype=d, requires_grad=True)
    out = fg.nn.functional.layer_norm(x, (6,), fg.tensor(LN_W, dtype=d), fg.tensor(LN_B, dtype=d))
    assert out.dtype == d
    assert type(out.grad_fn).__name__ == "NativeLayerNormBackward0"
    assert out.float().tolist() == want["affine"]
    plain, mean, rstd = fg.native_layer_norm(x.detach(), (6,), None, None, 1e-5)
    assert (plain.dtype, mean.dtype, rstd.dtype) == (d, d, d)
    assert plain.float().tolist() == want["plain"]
    assert mean.float().tolist() == want["mean"]
    assert rstd.float().tolist() == want["rstd"]
    out.backward(fg.tensor(LN_GRAD, dtype=d))
    assert x.grad.float().tolist() == want["grad"]
