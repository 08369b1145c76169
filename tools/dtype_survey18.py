"""Differential survey of common Tensor methods and functions across every dtype.

Each op is an expression over `m` (the module: torch or ferrograd), the inputs `a` and `b`
(2x5 tensors of the dtype, with its edge values: 0, -0.0, negatives, limits, nan, inf,
denormals), `c` (a bool mask) and `i` (an int64 index). The expression runs on both
libraries and the outcomes are compared: raised or not, exception type and message, result
dtype, shape, values (bit for bit, but for nan; 1 ulp for transcendental functions),
repr, and with `a` requiring grad (floating and complex dtypes) `requires_grad` and the
grad_fn name.

A developer tool, not a test (it needs torch):

    PYTHONPATH=python python tools/dtype_survey18.py [--ops abs,add] [--dtypes int8] [-v]
"""

from __future__ import annotations

import argparse
import collections
import math
import sys
import warnings

import ferrograd
import numpy as np
import torch

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "uint16", "uint32", "uint64", "float16", "bfloat16", "float32", "float64", "complex64", "complex128"]
FLOATS = ("float16", "bfloat16", "float32", "float64")
COMPLEX = ("complex64", "complex128")
COMPLEX_HALF = "complex32"

INF, NAN = math.inf, math.nan
DENORMAL = {"float16": 6e-8, "bfloat16": 1e-40, "float32": 1e-40, "float64": 5e-324}
BIG = {"float16": 65504.0, "bfloat16": 3.0e38, "float32": 3.0e38, "float64": 1.0e308}
INT_LIMITS = {
    "uint8": (0, 255),
    "int8": (-128, 127),
    "int16": (-32768, 32767),
    "int32": (-(2**31), 2**31 - 1),
    "int64": (-(2**63), 2**63 - 1),
    "uint16": (0, 2**16 - 1),
    "uint32": (0, 2**32 - 1),
    "uint64": (0, 2**64 - 1),
}


def values(dtype: str):
    """(a, b) as nested lists of the dtype's edge values."""
    if dtype == "bool":
        return (
            [[True, False, True, True, False], [False, True, False, True, True]],
            [[False, False, True, True, True], [True, True, False, False, True]],
        )
    if dtype in INT_LIMITS:
        lo, hi = INT_LIMITS[dtype]
        if lo < 0:
            a = [[0, -1, 1, lo, hi], [5, -7, hi - 1, lo + 1, 3]]
            b = [[3, 2, -3, -2, 2], [1, -1, 7, 5, -4]]
        else:
            a = [[0, 1, 2, hi, hi - 1], [5, 7, hi // 2 + 1, 100, 3]]
            b = [[3, 2, 3, 1, 2], [1, 2, 7, 5, 4]]
        return a, b
    if dtype in FLOATS:
        a = [[0.0, -0.0, -1.5, 2.5, NAN], [INF, -INF, DENORMAL[dtype], BIG[dtype], 0.3]]
        b = [[2.0, -3.0, 0.5, -0.0, 1.0], [2.0, 0.0, -2.0, 0.25, 3.0]]
        return a, b
    a = [
        [0j, complex(-0.0, 1.0), complex(-1.5, 2.0), complex(2.5, -0.5), complex(NAN, 0.0)],
        [complex(INF, 0.0), complex(1.0, -INF), complex(1e-40, 0.3), complex(3.0, 4.0), 0.3 + 0j],
    ]
    b = [
        [2 + 0j, complex(-3.0, 1.0), 0.5j, complex(-0.0, 0.0), 1 + 1j],
        [2 - 1j, 0j, complex(-2.0, 0.5), 0.25 + 0j, 3 + 0j],
    ]
    return a, b


TRANSCENDENTAL = {
    "sqrt", "rsqrt", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "sigmoid", "logit", "erf", "erfc", "erfinv", "lgamma", "digamma", "i0", "sinc", "atan2", "hypot", "pow", "logaddexp", "logaddexp2", "xlogy", "float_power", "std", "var", "norm", "logsumexp", "logcumsumexp", "mean", "nanmean", "rpow", "pow_f", "angle", "sgn", "polar", "div", "true_divide", "reciprocal", "rdiv", "sum_dtype", "cumsum", "prod", "cumprod", "var1", "std1", "std_mean", "var_mean", "mean1", "sigmoid_", "lerp", "addcdiv", "dist", "renorm", "softmax", "log_softmax", "tanh_", "exp_", "sqrt_", "cumsum_f"
}

# name -> expression; a trailing "_" in a name is only a name, not an in-place op
OPS: dict[str, str] = {}


def op(name: str, expr: str) -> None:
    OPS[name] = expr


for _f in ["abs", "neg", "sign", "sgn", "sqrt", "rsqrt", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "sigmoid", "logit", "erf", "erfc", "erfinv", "reciprocal", "square", "floor", "ceil", "round", "trunc", "frac", "signbit", "isnan", "isinf", "isfinite", "isposinf", "isneginf", "isreal", "positive", "bitwise_not", "logical_not", "nan_to_num", "angle", "conj", "deg2rad", "rad2deg", "lgamma", "digamma", "i0", "sinc", "fix", "relu"]:
    op(_f, f"a.{_f}()")
for _f in ("sin", "exp", "abs", "floor", "round", "neg", "sqrt", "sign"):
    op(f"m.{_f}", f"m.{_f}(a)")
op("round_dec", "a.round(decimals=1)")
op("round_dec_neg", "a.round(decimals=-1)")
op("nan_to_num_args", "a.nan_to_num(nan=0.0, posinf=1.0, neginf=-1.0)")
op("clamp", "a.clamp(-1, 2)")
op("clamp_min", "a.clamp(min=0)")
op("clamp_max", "a.clamp(max=1)")
op("clamp_float", "a.clamp(min=-0.5, max=1.5)")
op("clamp_t", "a.clamp(min=b)")
op("clip", "m.clip(a, 0, 1)")
op("clamp_", "a.clone().clamp_(0, 1)")

for _f in ["add", "sub", "mul", "div", "true_divide", "floor_divide", "remainder", "fmod", "pow", "atan2", "hypot", "maximum", "minimum", "fmax", "fmin", "copysign", "nextafter", "logaddexp", "logaddexp2", "xlogy", "float_power", "eq", "ne", "lt", "le", "gt", "ge", "logical_and", "logical_or", "logical_xor", "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_left_shift", "bitwise_right_shift", "gcd", "lcm", "heaviside", "isclose", "ldexp"]:
    op(_f, f"m.{_f}(a, b)")
op("div_trunc", "a.div(b, rounding_mode='trunc')")
op("div_floor", "a.div(b, rounding_mode='floor')")
op("add_alpha", "m.add(a, b, alpha=2)")
op("sub_alpha", "m.sub(a, b, alpha=2)")
op("div_zero", "a // m.zeros_like(a)")
op("rem_zero", "a % m.zeros_like(a)")
op("rsub", "m.rsub(a, b)")
op("equal", "m.equal(a, b)")
op("allclose", "m.allclose(a, b)")
op("isclose_nan", "m.isclose(a, a, equal_nan=True)")
op("pow_f", "a.pow(0.5)")
op("pow_2", "a.pow(2)")
op("pow_neg", "a.pow(-1)")
op("rpow", "2 ** a")
op("rpow_f", "2.5 ** a")
op("add_s", "a + 1")
op("add_big", "a + 1000")
op("add_f", "a + 1.5")
op("add_true", "a + True")
op("add_j", "a + 1j")
op("mul_s", "a * 3")
op("mul_f", "a * 2.5")
op("div_s", "a / 2")
op("floordiv_s", "a // 2")
op("floordiv_f", "a // 2.5")
op("mod_s", "a % 3")
op("mod_f", "a % 2.5")
op("mod_neg", "a % -3")
op("rsub_s", "1 - a")
op("rdiv", "1 / a")
op("rfloordiv", "7 // a")
op("rmod", "7 % a")
op("and_s", "a & 1")
op("or_s", "a | 2")
op("xor_s", "a ^ 3")
op("and_bool", "a & True")
op("lshift_s", "a << 1")
op("rshift_s", "a >> 1")
op("lshift_big", "a << 70")
op("rshift_big", "a >> 70")
op("rlshift", "1 << a")
op("invert", "~a")
op("neg_op", "-a")
op("eq_s", "a == 0")
op("lt_f", "a < 0.5")
op("eq_big", "a == 300")
op("gt_neg", "a > -1")
op("maximum_s", "m.maximum(a, m.tensor(1))")
op("where", "m.where(c, a, b)")
op("where_s", "m.where(c, a, 0)")
op("where_f", "m.where(c, a, 0.5)")
op("where_ss", "m.where(c, 1, 0.5)")
op("lerp", "m.lerp(a, b, 0.5)")
op("lerp_t", "m.lerp(a, b, m.full_like(a, 0.25))")
op("addcmul", "m.addcmul(a, a, b, value=2)")
op("addcdiv", "m.addcdiv(a, a, b, value=2)")
op("dist", "m.dist(a, b)")

op("sum", "a.sum()")
op("sum0", "a.sum(0)")
op("sum1k", "a.sum(1, keepdim=True)")
op("sum_dtype", "a.sum(dtype=m.float64)")
op("sum_i", "a.sum(dtype=m.int32)")
op("m.sum", "m.sum(a, (0, 1))")
op("prod", "a.prod()")
op("prod1", "a.prod(1)")
op("prod_dtype", "a.prod(1, dtype=m.int64)")
op("mean", "a.mean()")
op("mean1", "a.mean(1)")
op("mean_dtype", "a.mean(dtype=m.float64)")
op("nansum", "a.nansum()")
op("nansum1", "a.nansum(1)")
op("nanmean", "a.nanmean()")
op("std", "a.std()")
op("var", "a.var()")
op("std1", "a.std(1)")
op("var1", "a.var(1, unbiased=False)")
op("var_mean", "m.var_mean(a, 1)")
op("std_mean", "m.std_mean(a)")
op("max", "a.max()")
op("max1", "a.max(1)")
op("min", "a.min()")
op("min1k", "a.min(1, keepdim=True)")
op("amax", "a.amax(1)")
op("amin", "a.amin()")
op("aminmax", "m.aminmax(a)")
op("aminmax1", "m.aminmax(a, dim=1)")
op("argmax", "a.argmax()")
op("argmax1", "a.argmax(1)")
op("argmin", "a.argmin(0)")
op("all", "a.all()")
op("any", "a.any()")
op("all1", "a.all(1)")
op("any0", "a.any(0)")
op("norm", "a.norm()")
op("norm1", "a.norm(p=1)")
op("logsumexp", "a.logsumexp(1)")
op("median", "a.median()")
op("median1", "a.median(1)")
op("nanmedian", "a.nanmedian()")
op("mode", "a.mode(1)")
op("count_nonzero", "m.count_nonzero(a)")
op("cumsum", "a.cumsum(1)")
op("cumsum_f", "a.cumsum(1, dtype=m.float64)")
op("cumprod", "a.cumprod(1)")
op("cummax", "a.cummax(1)")
op("cummin", "a.cummin(0)")
op("logcumsumexp", "a.logcumsumexp(1)")
op("sort", "a.sort()")
op("sort_desc", "a.sort(descending=True)")
op("sort_stable", "a.sort(stable=True, dim=0)")
op("argsort", "a.argsort()")
op("argsort_desc", "a.argsort(1, descending=True)")
op("msort", "m.msort(a)")
op("topk", "a.topk(2)")
op("topk_small", "a.topk(2, largest=False)")
op("kthvalue", "a.kthvalue(2)")
op("unique", "m.unique(a)")
op("unique_counts", "m.unique(a, return_counts=True, return_inverse=True)")
op("unique_consecutive", "m.unique_consecutive(a)")
op("unique_dim", "m.unique(a, dim=1)")
op("diff", "a.diff()")
op("bincount", "m.bincount(a.flatten())")
op("histc", "m.histc(a, bins=4, min=-2, max=3)")
op("searchsorted", "m.searchsorted(a.sort().values, b)")
op("trace", "a[:, :2].trace()")
op("dot", "m.dot(a[0], b[0])")
op("matmul", "a @ b.T")
op("outer", "m.outer(a[0], b[0])")

op("reshape", "a.reshape(5, 2)")
op("view", "a.view(-1)")
op("t", "a.t()")
op("permute", "a.permute(1, 0)")
op("flip", "a.flip(1)")
op("roll", "a.roll(2, 1)")
op("squeeze", "a[:1].squeeze()")
op("unsqueeze", "a.unsqueeze(1)")
op("cat", "m.cat([a, b])")
op("cat_mixed", "m.cat([a, b.to(m.float32)])")
op("stack", "m.stack([a, b], 1)")
op("split", "a.split(2, 1)")
op("chunk", "a.chunk(2, 1)")
op("expand", "a[:, :1].expand(2, 3)")
op("repeat", "a.repeat(2, 1)")
op("tile", "a.tile((2,))")
op("flatten", "a.flatten()")
op("narrow", "a.narrow(1, 1, 2)")
op("tril", "a.tril()")
op("triu", "a.triu(1)")
op("diag", "m.diag(a[0])")
op("diagonal", "a.diagonal()")
op("movedim", "a.movedim(0, 1)")
op("rot90", "a.rot90()")
op("repeat_interleave", "a.repeat_interleave(2, 0)")
op("unbind", "a.unbind(1)")
op("hstack", "m.hstack([a, b])")
op("vstack", "m.vstack([a, b])")
op("contiguous_t", "a.t().contiguous()")
op("clone", "a.clone()")

op("index", "a[0]")
op("slice", "a[:, 1:4:2]")
op("index_t", "a[i]")
op("mask", "a[c]")
op("index_select", "a.index_select(1, i)")
op("gather", "a.gather(1, i.expand(2, 2))")
op("scatter", "a.clone().scatter(1, i.expand(2, 2), b)")
op("scatter_add", "a.scatter_add(1, i.expand(2, 2), b)")
op("scatter_reduce", "a.scatter_reduce(1, i.expand(2, 2), b, 'amax')")
op("index_add", "a.index_add(1, i, b[:, :2])")
op("index_fill", "a.index_fill(1, i, 1)")
op("index_copy", "a.index_copy(1, i, b[:, :2])")
op("masked_fill", "a.masked_fill(c, 1)")
op("masked_fill_f", "a.masked_fill(c, 0.5)")
op("masked_select", "a.masked_select(c)")
op("masked_scatter", "a.masked_scatter(c, b)")
op("take", "a.take(i)")
op("take_along_dim", "m.take_along_dim(a, i.expand(2, 2), 1)")
op("put", "a.put(i, b[0, :2])")
op("nonzero", "a.nonzero()")
op("argwhere", "m.argwhere(a)")
op("setitem", "_setitem(a, b)")
op("setitem_s", "_setitem_s(a)")
op("fill_", "a.clone().fill_(2)")
op("zero_", "a.clone().zero_()")
op("zeros_like", "m.zeros_like(a)")
op("full_like", "m.full_like(a, 7)")
op("ones_like", "m.ones_like(a)")
op("new_tensor", "a.new_tensor([1, 2])")
op("new_zeros", "a.new_zeros(2)")

op("add_", "a.clone().add_(b)")
op("add_f_", "a.clone().add_(1.5)")
op("mul_", "a.clone().mul_(b)")
op("div_", "a.clone().div_(2)")
op("floor_divide_", "a.clone().floor_divide_(b)")
op("remainder_", "a.clone().remainder_(b)")
op("clamp_f_", "a.clone().clamp_(min=0.5)")
op("abs_", "a.clone().abs_()")
op("sqrt_", "a.clone().sqrt_()")
op("exp_", "a.clone().exp_()")
op("neg_", "a.clone().neg_()")
op("trunc_", "a.clone().trunc_()")
op("square_", "a.clone().square_()")
op("copy_", "a.clone().copy_(b.double())")
op("pow_", "a.clone().pow_(2)")
op("lshift_", "a.clone().bitwise_left_shift_(b)")
op("add_double", "a + b.double()")
op("mul_0d", "a * m.tensor(2.5)")
op("add_0d_int", "a + m.tensor(300)")
op("add_1d_int", "a + m.tensor([1], dtype=m.int64)")
op("add_float", "a.float() + a")
op("add_half", "a + m.tensor(1.5, dtype=m.float16)")
op("mul_bool", "m.mul(a, True)")
op("sub_s_alpha", "m.sub(a, 1, alpha=2)")
op("true_divide_s", "m.true_divide(a, 3)")
op("eq_double", "a.eq(b.double())")
op("max_binary", "a.max(b)")
op("max_keep", "m.max(a, 1, keepdim=True)")
op("sum_int8", "a.sum(dtype=m.int8)")
op("cumsum_u8", "a.cumsum(0, dtype=m.uint8)")
op("prod_f", "m.prod(a, dtype=m.float32)")
op("std_corr", "a.std(correction=0)")
op("bucketize", "m.bucketize(a, m.tensor([0, 1, 5]))")
op("clamp_tt", "m.clamp(a, m.tensor(0), m.tensor(1))")
op("to_copy", "a.to(m.float16, copy=True)")
op("as_tensor", "m.as_tensor(a, dtype=m.float32)")
op("half_add", "a.half() + b.half()")
op("half_mul", "a.bfloat16() * 1.1")
op("sort_d0", "m.sort(a, 0, descending=True, stable=True)")
op("abs_int_min", "m.abs(a[0, 3:4])")
op("mul_overflow", "a * a")
op("add_overflow", "a + a")
op("sum_small", "a.sum(dtype=a.dtype)")
op("mean_int", "a.mean()")
op("float_power_s", "m.float_power(a, 2)")
op("pow_t_s", "m.pow(2, b)")
op("sign_", "a.clone().sign_()")
op("isin", "m.isin(a, b)")
op("logical_and_s", "m.logical_and(a, m.tensor(True))")
op("var_int", "a.var()")
op("exp_int", "a.exp()")
op("sqrt_int", "a.sqrt()")
op("sigmoid_int", "m.sigmoid(a)")
op("cumsum_i8", "m.cumsum(a, 0, dtype=m.int8)")
op("mean_half", "a.mean(dtype=m.float16)")
op("nansum_dtype", "m.nansum(a, dtype=m.float64)")
op("norm_dtype", "a.norm(dtype=m.float64)")
op("logsumexp_all", "m.logsumexp(a, (0, 1))")
op("prod_bool", "a.prod(dtype=m.bool)")
op("std_keep", "a.std(dim=1, keepdim=True)")
op("var_corr", "m.var(a, correction=2)")
op("softmax", "a.softmax(1)")
op("softmax_dtype", "a.softmax(0, dtype=m.float64)")
op("log_softmax", "m.log_softmax(a, 1)")
op("relu_f", "m.nn.functional.relu(a)")
op("kron", "m.kron(a[0], b[0])")
op("cross", "m.cross(a[:, :3], b[:, :3], dim=1)")
op("trapz", "m.trapezoid(a)")
op("cumtrapz", "m.cumulative_trapezoid(a)")
op("renorm", "a.renorm(2, 0, 1)")
op("addmm", "m.addmm(a[:, :2], a, b.T)")
op("mv", "m.mv(a, b[0])")
op("einsum", "m.einsum('ij,ij->i', a, b)")
op("tensordot", "m.tensordot(a, b, ([1], [1]))")
op("cdist", "m.cdist(a, b)")
op("flatten_sum", "a.flatten().sum(0)")
op("maximum_0d", "m.maximum(a, b[0, 0])")
op("amax_multi", "a.amax((0, 1))")
op("argmax_keep", "a.argmax(1, keepdim=True)")
op("max_dim0", "a.max(0)")
op("cummax_0", "a.cummax(0)")
op("logical_xor_s", "m.logical_xor(a, 1)")
op("bitwise_and_s", "m.bitwise_and(a, 5)")
op("bitwise_or_t0", "m.bitwise_or(a, m.tensor(5))")
op("bitwise_xor_b", "m.bitwise_xor(a, True)")
op("rshift_t", "a >> b")
op("lshift_t", "a << b")
op("rshift_neg", "a >> -1")
op("abs_", "a.clone().abs_()")
op("fmod_s", "m.fmod(a, 3)")
op("fmod_f", "m.fmod(a, 2.5)")
op("fmod_neg", "m.fmod(a, -3)")
op("remainder_s", "m.remainder(a, -2.5)")
op("remainder_rs", "m.remainder(5, a)")
op("floor_divide_s", "m.floor_divide(a, -2)")
op("div_trunc_s", "m.div(a, 3, rounding_mode='trunc')")
op("div_floor_s", "m.div(a, -3, rounding_mode='floor')")
op("div_floor_f", "m.div(a, 2.5, rounding_mode='floor')")
op("mul_big", "a * 1e30")
op("add_neg_big", "a + (-300)")
op("sub_t", "m.sub(a, b)")
op("sub_bool", "m.sub(a, True)")
op("pow_ts", "m.pow(a, 3)")
op("pow_tt", "m.pow(a, b)")
op("pow_neg_int", "a ** -2")
op("pow_0", "a ** 0")
op("rpow_0", "0 ** a")
op("xlogy_s", "m.xlogy(a, 2)")
op("hypot_s", "m.hypot(a, a)")
op("trunc_f", "a.trunc()")
op("round_half", "(a + 0.5).round()")
op("sign_f", "m.sign(a)")
op("nan_to_num_i", "m.nan_to_num(a, nan=5, posinf=7)")
op("isclose_tol", "m.isclose(a, b, rtol=0.5, atol=1)")
op("eq_t0", "a == b[0, 0]")
op("ne_f", "a != 0.3")
op("lt_t", "a < b")
op("ge_s", "a >= 2")
op("sort_bool", "a.sort(0)")
op("topk_1", "a.topk(1, dim=0)")
op("kthvalue_1", "a.kthvalue(1, 0)")
op("msort_t", "a.t().msort()")
op("argsort_stable", "a.argsort(stable=True)")
op("unique_sorted_false", "m.unique(a, sorted=False)")
op("unique_cons_counts", "m.unique_consecutive(a, return_counts=True)")
op("where_b", "m.where(a)")
op("where_t", "m.where(c, a, b.double())")
op("where_0d", "m.where(c, a, m.tensor(1.5))")
op("masked_fill_big", "a.masked_fill(c, 1000)")
op("masked_fill_t", "a.masked_fill(c, m.tensor(2))")
op("index_put", "a.index_put((i,), b[:2])")
op("index_put_acc", "a.index_put((m.tensor([0, 0]),), b[:2], accumulate=True)")
op("fill_big", "a.clone().fill_(1000)")
op("fill_neg", "a.clone().fill_(-1)")
op("new_full", "a.new_full((2,), 3.5)")
op("full_like_f", "m.full_like(a, 2.5)")
op("arange_like", "m.arange(5, dtype=a.dtype)")
op("linspace_like", "m.linspace(0, 10, 5, dtype=a.dtype)")
op("tensor_like", "m.tensor([1.5, -2.5], dtype=a.dtype)")
op("zeros_dtype", "m.zeros(2, dtype=a.dtype)")
op("sum_bool_dim", "(a > 0).sum(1)")
op("count_nonzero1", "m.count_nonzero(a, 1)")

for _d in DTYPES:
    op(f"to_{_d}", f"a.to(m.{_d})")
op("type_str", "a.type()")
op("type_half", "a.type(m.float16)")
op("float", "a.float()")
op("double", "a.double()")
op("half", "a.half()")
op("bfloat16", "a.bfloat16()")
op("int", "a.int()")
op("long", "a.long()")
op("bool", "a.bool()")
op("byte", "a.byte()")
op("char", "a.char()")
op("short", "a.short()")
op("tolist", "a.tolist()")
op("item", "a[0, 3].item()")
op("float_builtin", "float(a[0, 3])")
op("int_builtin", "int(a[0, 3])")
op("bool_builtin", "bool(a[0, 3])")
op("iadd", "_iop(a, b, '+')")
op("imul_f", "_iop(a, 1.5, '*')")
op("idiv", "_iop(a, b, '/')")
op("iand", "_iop(a, b, '&')")
op("result_type", "m.result_type(a, 2.5)")
op("promote", "m.promote_types(a.dtype, m.int8)")
op("can_cast", "m.can_cast(a.dtype, m.int8)")


def _setitem(a, b):
    a = a.clone()
    a[0] = b[1]
    return a


def _setitem_s(a):
    a = a.clone()
    a[0, 1] = 1
    return a


def _iop(a, b, sym):
    a = a.clone()
    if sym == "+":
        a += b
    elif sym == "*":
        a *= b
    elif sym == "/":
        a /= b
    else:
        a &= b
    return a


def make_inputs(m, dtype: str, grad: bool):
    av, bv = values(dtype)
    dt = getattr(m, dtype)
    if dtype == "uint64":
        a = m.tensor([[x - 2**64 if x >= 2**63 else x for x in r] for r in av], dtype=m.int64).to(dt)
        b = m.tensor(bv, dtype=dt)
    else:
        a, b = m.tensor(av, dtype=dt), m.tensor(bv, dtype=dt)
    if grad:
        a.requires_grad_(True)
    c = m.tensor([[True, False, False, True, True], [False, True, True, False, True]])
    i = m.tensor([3, 0])
    return {"m": m, "a": a, "b": b, "c": c, "i": i}


def run(m, expr: str, dtype: str, grad: bool):
    env = make_inputs(m, dtype, grad)
    env.update(_setitem=_setitem, _setitem_s=_setitem_s, _iop=_iop)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ("ok", eval(expr, env))
        except Exception as e:  # noqa: BLE001
            return ("raise", e)


def leaves(x):
    sequence = isinstance(x, (tuple, list)) and not isinstance(x, (torch.Size, ferrograd.Size))
    if sequence and (hasattr(x, "_fields") or (x and all(hasattr(y, "dtype") for y in x))):
        out = []
        for y in x:
            out.extend(leaves(y))
        return out
    return [x]


def bits_equal(t1, t2, ulps: int) -> str | None:
    """None when equal, else a short description."""
    dt = str(t1.dtype).split(".")[1]
    if t1.numel() == 0:
        return None
    if dt in COMPLEX or dt == COMPLEX_HALF:
        v1 = torch.view_as_real(t1.detach().resolve_conj().reshape(-1))
        v2 = ferrograd.view_as_real(t2.detach().resolve_conj().reshape(-1))
        return bits_equal(v1, v2, ulps)
    l1 = t1.detach().resolve_conj().flatten().tolist()
    l2 = t2.detach().resolve_conj().flatten().tolist()
    if dt not in FLOATS:
        return None if l1 == l2 else f"{l1} vs {l2}"
    bad = []
    for k, (x, y) in enumerate(zip(l1, l2)):
        if math.isnan(x) and math.isnan(y):
            continue
        if x == y and math.copysign(1, x) == math.copysign(1, y):
            continue
        if ulps and math.isfinite(x) and math.isfinite(y) and x != 0:
            np_dt = {"float16": np.float16, "float32": np.float32, "float64": np.float64}.get(dt, np.float32)
            spacing = abs(float(np.spacing(np_dt(x))))
            if dt == "bfloat16":
                spacing *= 2**16
            if abs(x - y) <= ulps * spacing:
                continue
        bad.append((k, x, y))
    return None if not bad else f"{bad[:3]} (of {len(l1)})"


def fg_name(text: str) -> str:
    return text.replace("torch.", "ferrograd.").replace("torch", "ferrograd")


def compare(name: str, r_t, r_f, grad: bool) -> list[str]:
    kt, vt = r_t
    kf, vf = r_f
    if kt != kf:
        if kt == "raise":
            return [f"torch raises {type(vt).__name__}: {str(vt)[:150]!r}; ours returns"]
        return [f"ours raises {type(vf).__name__}: {str(vf)[:150]!r}"]
    if kt == "raise":
        out = []
        if type(vt).__name__ != type(vf).__name__:
            out.append(f"exception type {type(vt).__name__} vs {type(vf).__name__}: {str(vt)[:120]!r}")
        msg_t, msg_f = fg_name(str(vt)).splitlines()[:1], str(vf).splitlines()[:1]
        if msg_t != msg_f:
            out.append(f"message {msg_t} vs {msg_f}")
        return out
    lt, lf = leaves(vt), leaves(vf)
    if len(lt) != len(lf):
        return [f"result count {len(lt)} vs {len(lf)}"]
    out = []
    for x, y in zip(lt, lf):
        if isinstance(x, torch.Tensor):
            if not isinstance(y, ferrograd.Tensor):
                out.append(f"type Tensor vs {type(y).__name__}")
                continue
            if fg_name(str(x.dtype)) != str(y.dtype):
                out.append(f"dtype {x.dtype} vs {y.dtype}")
                continue
            if tuple(x.shape) != tuple(y.shape):
                out.append(f"shape {tuple(x.shape)} vs {tuple(y.shape)}")
                continue
            if grad:
                gt = type(x.grad_fn).__name__ if x.grad_fn is not None else None
                gf = type(y.grad_fn).__name__ if y.grad_fn is not None else None
                if x.requires_grad != y.requires_grad or gt != gf:
                    out.append(f"grad {x.requires_grad},{gt} vs {y.requires_grad},{gf}")
                continue
            ulps = 1 if name.split("_")[0].replace("m.", "") in TRANSCENDENTAL or name in TRANSCENDENTAL else 0
            diff = bits_equal(x, y, ulps)
            if diff:
                out.append(f"values {diff}")
                continue
            if bits_equal(x, y, 0) is None and fg_name(repr(x)) != repr(y):
                out.append(f"repr {fg_name(repr(x))!r} vs {repr(y)!r}")
        elif isinstance(x, torch.dtype):
            if fg_name(str(x)) != str(y):
                out.append(f"{x} vs {y}")
        elif not grad:
            if type(x) is not type(y):
                out.append(f"type {type(x).__name__} vs {type(y).__name__}: {x!r} vs {y!r}")
            elif fg_name(repr(x)) != repr(y) and not (isinstance(x, float) and math.isnan(x) and math.isnan(y)):
                out.append(f"{fg_name(repr(x))[:100]} vs {repr(y)[:100]}")
    return out


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--ops")
    p.add_argument("--dtypes")
    p.add_argument("-v", action="store_true")
    p.add_argument("--trace", action="store_true")
    args = p.parse_args()
    ops = args.ops.split(",") if args.ops else list(OPS)
    dtypes = args.dtypes.split(",") if args.dtypes else DTYPES
    found = collections.defaultdict(list)
    total = 0
    for name in ops:
        for dtype in dtypes:
            grads = (False, True) if dtype in FLOATS + COMPLEX else (False,)
            for grad in grads:
                total += 1
                if args.trace:
                    print("TRACE", name, dtype, grad, file=sys.stderr, flush=True)
                r_t = run(torch, OPS[name], dtype, grad)
                r_f = run(ferrograd, OPS[name], dtype, grad)
                if grad and r_t[0] == r_f[0] == "raise":
                    continue
                for d in compare(name, r_t, r_f, grad):
                    found[name].append(f"{dtype}{' grad' if grad else ''}: {d}")
    n = sum(len(v) for v in found.values())
    for name, items in found.items():
        print(f"== {name}  ({OPS[name]})  {len(items)}")
        for it in items[: None if args.v else 6]:
            print("   ", it)
        if not args.v and len(items) > 6:
            print(f"    ... {len(items) - 6} more")
    print(f"{len(OPS)} ops, {total} cases, {n} mismatches in {len(found)} ops", file=sys.stderr)


if __name__ == "__main__":
    main()
