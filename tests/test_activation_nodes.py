"""The `nn.functional` activations as single nodes, as PyTorch's: values and gradients at
special inputs (torch 2.13's, hard-coded in `_activation_torch_values`), node names,
`next_functions`, `_saved_*` values, saved-tensor hook counts, in-place nodes, dtype
errors, finite-difference gradients (first and second order) and every length and layout
of the vectorized kernels (NumPy in float64 as the value oracle)."""

from __future__ import annotations

import math

import ferrograd.nn.functional as F
import numpy as np
import pytest
from _activation_torch_values import CALLS, INPUTS, TORCH
from backend import fg
from ferrograd.autograd import gradcheck, gradgradcheck
from ferrograd.autograd.graph import saved_tensors_hooks

SPECIAL = [float.fromhex(v) for v in INPUTS]


def _same_float(got: float, want: float, rel: float, cancel: float) -> bool:
    """NaN, infinities and signed zeros exactly; other values within `rel`, or `cancel`
    absolute where terms of order 1 cancel (not for tiny values)."""
    if math.isnan(want) or math.isnan(got):
        return math.isnan(want) and math.isnan(got)
    if math.isinf(want) or want == 0.0:
        return got == want and math.copysign(1.0, got) == math.copysign(1.0, want)
    slack = cancel if abs(want) > 1e-5 else 0.0
    return abs(got - want) <= rel * abs(want) + slack


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name", sorted(CALLS))
def test_values_and_gradients_at_special_inputs_are_torchs(name, dtype):
    x = fg.tensor(SPECIAL, dtype=getattr(fg, dtype), requires_grad=True)
    y = eval(CALLS[name], {"F": F, "x": x})
    y.backward(fg.ones_like(y))
    want_y, want_g = TORCH[(name, dtype)]
    # float32: PyTorch's kernels are compiled with contracted multiply-adds, so results
    # differ by an ulp, more where terms cancel
    rel, cancel = (1e-12, 1e-15) if dtype == "float64" else (6e-7, 3e-7)
    got_y, got_g = y.detach().tolist(), x.grad.tolist()
    for v, got, want in zip(SPECIAL, got_y, want_y):
        assert _same_float(got, float.fromhex(want), rel, cancel), (name, dtype, "value", v, got, want)
    for v, got, want in zip(SPECIAL, got_g, want_g):
        assert _same_float(got, float.fromhex(want), rel, cancel), (name, dtype, "grad", v, got, want)


# name -> (call, node, {saved non-tensor values}, saved tensor fields, pack count)
NODES = {
    "gelu": (lambda x: F.gelu(x), "GeluBackward0", {"approximate": "none"}, ("self",), 1),
    "gelu_tanh": (lambda x: F.gelu(x, approximate="tanh"), "GeluBackward0", {"approximate": "tanh"}, ("self",), 1),
    "silu": (F.silu, "SiluBackward0", {}, ("self",), 1),
    "elu": (lambda x: F.elu(x, 0.5), "EluBackward0", {"alpha": 0.5, "input_scale": 1, "scale": 1}, ("self",), 1),
    "selu": (F.selu, "EluBackward0",
             {"alpha": 1.6732632423543772, "input_scale": 1, "scale": 1.0507009873554805}, ("self",), 1),
    "celu": (lambda x: F.celu(x, 2.0), "CeluBackward0", {"alpha": 2.0}, ("self",), 1),
    "softplus": (lambda x: F.softplus(x, 2.0, 10.0), "SoftplusBackward0", {"beta": 2.0, "threshold": 10.0},
                 ("self",), 1),
    "mish": (F.mish, "MishBackward0", {}, ("self",), 1),
    "hardswish": (F.hardswish, "HardswishBackward0", {}, ("self",), 1),
    "hardsigmoid": (F.hardsigmoid, "HardsigmoidBackward0", {}, ("self",), 1),
    "hardtanh": (lambda x: F.hardtanh(x, -0.5, 2.0), "HardtanhBackward0", {"max_val": 2.0, "min_val": -0.5},
                 ("self",), 1),
    "relu6": (F.relu6, "HardtanhBackward0", {"max_val": 6, "min_val": 0}, ("self",), 1),
    "leaky_relu": (lambda x: F.leaky_relu(x, 0.2), "LeakyReluBackward0", {"negative_slope": 0.2}, ("self",), 1),
    "logsigmoid": (F.logsigmoid, "LogSigmoidBackward0", {}, ("self", "buffer"), 2),
    "softshrink": (lambda x: F.softshrink(x, 0.3), "SoftshrinkBackward0", {"lambd": 0.3}, ("self",), 1),
    "hardshrink": (lambda x: F.hardshrink(x, 0.3), "HardshrinkBackward0", {"lambd": 0.3}, ("self",), 1),
    "threshold": (lambda x: F.threshold(x, 0.1, 20.0), "ThresholdBackward0", {"threshold": 0.1}, ("self",), 1),
    "rrelu": (F.rrelu, "RreluWithNoiseBackward0",
              {"lower": 0.125, "training": False, "upper": 0.3333333333333333}, ("self", "noise"), 2),
}


def _counting_hooks():
    counts = {"pack": 0, "unpack": 0}

    def pack(t):
        counts["pack"] += 1
        return t

    def unpack(t):
        counts["unpack"] += 1
        return t

    return counts, pack, unpack


@pytest.mark.parametrize("name", sorted(NODES))
def test_one_node_on_the_leaf_with_torchs_saved_values(name):
    call, node, args, fields, packs = NODES[name]
    leaf = fg.tensor([-2.0, -0.5, 0.0, 1.5], dtype=fg.float64, requires_grad=True)
    counts, pack, unpack = _counting_hooks()
    with saved_tensors_hooks(pack, unpack):
        y = call(leaf)
    fn = y.grad_fn
    assert type(fn).__name__ == node
    assert len(fn.next_functions) == 1
    assert type(fn.next_functions[0][0]).__name__ == "AccumulateGrad"
    assert fn.next_functions[0][0].variable is leaf
    assert counts["pack"] == packs
    for arg, value in args.items():
        got = getattr(fn, "_saved_" + arg)
        assert got == value and type(got) is type(value), (arg, got)
    assert fn._saved_self.tolist() == [-2.0, -0.5, 0.0, 1.5]
    for field in fields:
        getattr(fn, "_saved_" + field)
    assert counts["unpack"] == len(fields) + 1  # one per read, none more
    y.sum().backward()
    assert counts["unpack"] == len(fields) + 1 + packs


def test_logsigmoid_buffer_is_exp_of_minus_abs_x():
    x = fg.tensor([-2.0, 0.0, 3.0], dtype=fg.float64, requires_grad=True)
    buffer = F.logsigmoid(x).grad_fn._saved_buffer
    np.testing.assert_allclose(buffer.numpy(), np.exp(-np.abs([-2.0, 0.0, 3.0])), rtol=1e-15)


# name -> (call, node, saved tensor, {saved values})
INPLACE = {
    "elu": (lambda x: F.elu(x, inplace=True), "EluBackward1", "result",
            {"alpha": 1.0, "input_scale": 1, "scale": 1}),
    "selu": (lambda x: F.selu(x, inplace=True), "EluBackward1", "result",
             {"alpha": 1.6732632423543772, "input_scale": 1, "scale": 1.0507009873554805}),
    "celu": (lambda x: F.celu(x, inplace=True), "CeluBackward1", "result", {"alpha": 1.0}),
    "leaky_relu": (lambda x: F.leaky_relu(x, inplace=True), "LeakyReluBackward1", "result",
                   {"negative_slope": 0.01}),
    "hardtanh": (lambda x: F.hardtanh(x, inplace=True), "HardtanhBackward0", "self",
                 {"max_val": 1.0, "min_val": -1.0}),
    "relu6": (lambda x: F.relu6(x, inplace=True), "HardtanhBackward0", "self", {"max_val": 6, "min_val": 0}),
    "silu": (lambda x: F.silu(x, inplace=True), "SiluBackward0", "self", {}),
    "mish": (lambda x: F.mish(x, inplace=True), "MishBackward0", "self", {}),
    "hardswish": (lambda x: F.hardswish(x, inplace=True), "HardswishBackward0", "self", {}),
    "hardsigmoid": (lambda x: F.hardsigmoid(x, inplace=True), "HardsigmoidBackward0", "self", {}),
    "threshold": (lambda x: F.threshold(x, 0.1, 20.0, inplace=True), "ThresholdBackward1", "self",
                  {"threshold": 0.1}),
    "rrelu": (lambda x: F.rrelu(x, inplace=True), "RreluWithNoiseBackward1", "result",
              {"lower": 0.125, "training": False, "upper": 0.3333333333333333}),
}


OUT_OF_PLACE = {"threshold": lambda t: F.threshold(t, 0.1, 20.0)}


@pytest.mark.parametrize("name", sorted(INPLACE))
def test_inplace_nodes_are_torchs(name):
    call, node, saved, args = INPLACE[name]
    values = [-2.0, -0.5, 0.0, 1.5]
    leaf = fg.tensor(values, dtype=fg.float64, requires_grad=True)
    x = leaf.clone()
    counts, pack, unpack = _counting_hooks()
    with saved_tensors_hooks(pack, unpack):
        y = call(x)
    assert y is x
    fn = y.grad_fn
    assert type(fn).__name__ == node
    assert [type(n).__name__ for n, _ in fn.next_functions] == ["CloneBackward0"]
    assert counts["pack"] == (2 if name == "rrelu" else 1)
    for arg, value in args.items():
        got = getattr(fn, "_saved_" + arg)
        assert got == value and type(got) is type(value), (arg, got)
    kept = getattr(fn, "_saved_" + saved)
    assert kept.tolist() == (y.detach().tolist() if saved == "result" else values)
    # the in-place gradient is the out-of-place one
    y.sum().backward()
    fresh = fg.tensor(values, dtype=fg.float64, requires_grad=True)
    out_of_place = OUT_OF_PLACE.get(name, getattr(F, name))
    out_of_place(fresh).sum().backward()
    assert leaf.grad.tolist() == fresh.grad.tolist()


@pytest.mark.parametrize("call", [lambda x: F.leaky_relu(x, -0.5, inplace=True),
                                  lambda x: F.elu(x, -0.5, inplace=True),
                                  lambda x: F.celu(x, -0.5, inplace=True)])
def test_inplace_negative_slope_is_refused_at_backward(call):
    x = fg.tensor([-1.0, 2.0], requires_grad=True).clone()
    y = call(x)  # the forward runs, as PyTorch's
    with pytest.raises(RuntimeError, match="negative slope"):
        y.sum().backward()


def test_glu_is_one_node_saving_self_and_dim():
    leaf = fg.tensor(np.arange(8.0).reshape(2, 4) / 4 - 1, requires_grad=True)
    counts, pack, unpack = _counting_hooks()
    with saved_tensors_hooks(pack, unpack):
        y = F.glu(leaf)
    fn = y.grad_fn
    assert type(fn).__name__ == "GluBackward0"
    assert [type(n).__name__ for n, _ in fn.next_functions] == ["AccumulateGrad"]
    assert counts["pack"] == 1
    assert fn._saved_dim == 18446744073709551615  # -1 as PyTorch's unsigned int64
    assert fn._saved_self.shape == (2, 4)
    assert F.glu(leaf, 0).grad_fn._saved_dim == 0
    a, b = leaf.detach().numpy()[:, :2], leaf.detach().numpy()[:, 2:]
    np.testing.assert_allclose(y.detach().numpy(), a / (1 + np.exp(-b)), rtol=1e-15)


def test_prelu_is_one_node_with_edges_to_input_and_weight():
    x = fg.tensor([[-2.0, 1.0], [0.5, -0.25]], dtype=fg.float64, requires_grad=True)
    w = fg.tensor([0.25, 0.5], dtype=fg.float64, requires_grad=True)
    counts, pack, unpack = _counting_hooks()
    with saved_tensors_hooks(pack, unpack):
        y = F.prelu(x, w)
    fn = y.grad_fn
    assert type(fn).__name__ == "PreluKernelBackward0"
    # PyTorch's prelu views the weight as (1, C) first (session 34)
    assert [type(n).__name__ for n, _ in fn.next_functions] == ["AccumulateGrad", "ViewBackward0"]
    assert fn.next_functions[1][0].next_functions[0][0].variable is w
    assert counts["pack"] == 2
    assert fn._saved_weight.tolist() == [[0.25, 0.5]]
    assert y.tolist() == [[-0.5, 1.0], [0.5, -0.125]]
    y.sum().backward()
    assert x.grad.tolist() == [[0.25, 1.0], [1.0, 0.5]]
    assert w.grad.tolist() == [-2.0, -0.25]


def test_rrelu_training_multiplies_by_its_saved_noise():
    x = fg.tensor([-2.0, -1.0, 3.0], dtype=fg.float64, requires_grad=True)
    y = F.rrelu(x, 0.1, 0.3, training=True)
    noise = y.grad_fn._saved_noise.tolist()
    assert noise[2] == 1.0 and all(0.1 <= s <= 0.3 for s in noise[:2])
    assert y.grad_fn._saved_training is True
    y.sum().backward()
    assert x.grad.tolist() == noise


GRADCHECK = {
    "gelu": lambda x: F.gelu(x),
    "gelu_tanh": lambda x: F.gelu(x, approximate="tanh"),
    "silu": F.silu,
    "elu": lambda x: F.elu(x, 0.7),
    "selu": F.selu,
    "celu": lambda x: F.celu(x, 1.5),
    "softplus": lambda x: F.softplus(x, 2.0, 3.0),
    "mish": F.mish,
    "hardswish": F.hardswish,
    "hardsigmoid": F.hardsigmoid,
    "hardtanh": lambda x: F.hardtanh(x, -0.75, 1.25),
    "relu6": F.relu6,
    "leaky_relu": lambda x: F.leaky_relu(x, 0.2),
    "logsigmoid": F.logsigmoid,
    "softshrink": lambda x: F.softshrink(x, 0.3),
    "hardshrink": lambda x: F.hardshrink(x, 0.3),
    "threshold": lambda x: F.threshold(x, 0.1, 2.0),
    "glu": lambda x: F.glu(x.reshape(2, 5), 0),
    "rrelu": F.rrelu,
    "prelu": lambda x: F.prelu(x.reshape(2, 5), fg.tensor([0.3], dtype=fg.float64)),
}
# away from every kink (±3, ±0.3, bounds, 0, thresholds)
POINTS = [-4.1, -2.2, -1.1, -0.6, -0.17, 0.21, 0.55, 1.6, 2.4, 7.3]


@pytest.mark.parametrize("name", sorted(GRADCHECK))
def test_gradcheck_and_gradgradcheck_in_float64(name):
    x = fg.tensor(POINTS, dtype=fg.float64, requires_grad=True)
    assert gradcheck(GRADCHECK[name], (x,))
    if name == "hardsigmoid":  # PyTorch has no formula for hardsigmoid_backward's derivative
        with pytest.raises(RuntimeError, match="derivative for aten::hardsigmoid_backward is not implemented"):
            gradgradcheck(GRADCHECK[name], (x,))
        return
    assert gradgradcheck(GRADCHECK[name], (x,))


def test_prelu_weight_gradcheck():
    x = fg.tensor(np.array(POINTS).reshape(5, 2), requires_grad=True)
    w = fg.tensor([0.3, -0.2], dtype=fg.float64, requires_grad=True)
    assert gradcheck(F.prelu, (x, w))
    assert gradgradcheck(F.prelu, (x, w))


def _erf(v):
    return np.vectorize(math.erf, otypes=[float])(v)


def _softplus(v):
    return np.logaddexp(0.0, v)


# float64 NumPy references for the oracle checks
REFERENCE = {
    "gelu": (lambda x: F.gelu(x), lambda v: v * 0.5 * (1 + _erf(v / math.sqrt(2)))),
    "gelu_tanh": (lambda x: F.gelu(x, approximate="tanh"),
                  lambda v: 0.5 * v * (1 + np.tanh(math.sqrt(2 / math.pi) * (v + 0.044715 * v**3)))),
    "silu": (F.silu, lambda v: v / (1 + np.exp(-v))),
    "elu": (lambda x: F.elu(x, 0.5), lambda v: np.where(v > 0, v, 0.5 * np.expm1(v))),
    "selu": (F.selu, lambda v: 1.0507009873554805 * np.where(v > 0, v, 1.6732632423543772 * np.expm1(v))),
    "celu": (lambda x: F.celu(x, 2.0), lambda v: np.where(v > 0, v, 2.0 * np.expm1(v / 2.0))),
    "softplus": (lambda x: F.softplus(x, 2.0, 10.0), lambda v: np.where(2 * v > 10, v, _softplus(2 * v) / 2)),
    "mish": (F.mish, lambda v: v * np.tanh(_softplus(v))),
    "hardswish": (F.hardswish, lambda v: v * np.clip(v + 3, 0, 6) / 6),
    "hardsigmoid": (F.hardsigmoid, lambda v: np.clip(v + 3, 0, 6) / 6),
    "hardtanh": (lambda x: F.hardtanh(x, -0.5, 2.0), lambda v: np.clip(v, -0.5, 2.0)),
    "leaky_relu": (lambda x: F.leaky_relu(x, 0.2), lambda v: np.where(v > 0, v, 0.2 * v)),
    "logsigmoid": (F.logsigmoid, lambda v: -_softplus(-v)),
    "softshrink": (lambda x: F.softshrink(x, 0.5),
                   lambda v: np.where(v > 0.5, v - 0.5, np.where(v < -0.5, v + 0.5, 0.0))),
    "hardshrink": (lambda x: F.hardshrink(x, 0.5), lambda v: np.where(np.abs(v) > 0.5, v, 0.0)),
    "threshold": (lambda x: F.threshold(x, 0.5, 20.0), lambda v: np.where(v > 0.5, v, 20.0)),
}


def _grid(n: int) -> np.ndarray:
    return np.sin(np.arange(n) * 0.77) * 6.5


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_every_length_and_layout_matches_numpy(name):
    call, reference = REFERENCE[name]
    for n in range(68):
        v = _grid(n)
        for dtype, rtol, atol in ((fg.float64, 1e-13, 1e-15), (fg.float32, 3e-6, 3e-7)):
            got = call(fg.tensor(v, dtype=dtype))
            want = reference(np.asarray(fg.tensor(v, dtype=dtype).numpy(), dtype=np.float64))
            np.testing.assert_allclose(np.asarray(got.numpy(), dtype=np.float64), want, rtol=rtol, atol=atol,
                                       err_msg=f"{name} n={n} {dtype}")
    # a transposed (non-contiguous) input gives the same bits as its contiguous copy
    m = fg.tensor(_grid(67 * 3).reshape(3, 67), dtype=fg.float32).t()
    assert not m.is_contiguous()
    assert call(m).tolist() == call(m.contiguous()).tolist()
    # and so does its gradient
    a = m.detach().requires_grad_()
    b = m.contiguous().detach().requires_grad_()
    call(a).sum().backward()
    call(b).sum().backward()
    assert a.grad.tolist() == b.grad.tolist()


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_reduced_precision_computes_in_float32_and_rounds_once(name, dtype):
    call, reference = REFERENCE[name]
    x = fg.tensor(_grid(40), dtype=getattr(fg, dtype))
    got = call(x)
    assert got.dtype == getattr(fg, dtype)
    exact = reference(np.asarray(x.float().numpy(), dtype=np.float64))
    # at most one rounding from the float64 value: within one ulp of the narrow type
    ulp = 2.0 ** -10 if dtype == "float16" else 2.0 ** -7
    got64 = np.asarray(got.float().numpy(), dtype=np.float64)
    assert np.all(np.abs(got64 - exact) <= ulp * np.maximum(np.abs(exact), 2.0 ** -14) + 1e-6), name


@pytest.mark.parametrize("call,kernel", [
    (F.gelu, "GeluKernelImpl"), (F.silu, "silu_cpu"), (F.elu, "elu_cpu"), (F.selu, "elu_cpu"),
    (F.celu, "elu_cpu"), (F.softplus, "softplus_cpu"), (F.mish, "mish_cpu"), (F.hardswish, "hardswish_cpu"),
    (F.hardsigmoid, "hardsigmoid_cpu"), (F.leaky_relu, "leaky_relu_cpu"), (F.logsigmoid, "log_sigmoid_cpu"),
    (F.softshrink, "softshrink_check"), (F.hardshrink, "hardshrink_cpu"), (F.glu, "glu_cpu"),
])
@pytest.mark.parametrize("dtype,type_name", [("int64", "Long"), ("bool", "Bool")])
def test_integer_and_bool_inputs_raise_torchs_not_implemented(call, kernel, dtype, type_name):
    with pytest.raises(NotImplementedError, match=f'"{kernel}" not implemented for \'{type_name}\''):
        call(fg.ones(2, dtype=getattr(fg, dtype)))


@pytest.mark.parametrize("call,kernel", [
    (F.gelu, "GeluKernelImpl"), (F.elu, "elu_cpu"), (F.mish, "mish_cpu"), (F.softplus, "softplus_cpu"),
    (F.hardswish, "hardswish_cpu"), (F.leaky_relu, "leaky_relu_cpu"), (F.logsigmoid, "log_sigmoid_cpu"),
    (F.glu, "glu_cpu"), (F.softshrink, "softshrink_check"), (F.selu, "elu_cpu"),
    (lambda x: F.threshold(x, 0.5, 1.0), "threshold_cpu"),
])
def test_complex_inputs_raise_torchs_not_implemented(call, kernel):
    with pytest.raises(NotImplementedError, match=f'"{kernel}" not implemented for \'ComplexFloat\''):
        call(fg.ones(2, dtype=fg.complex64))


def test_hardtanh_refuses_complex_as_clamp():
    with pytest.raises(NotImplementedError, match="clamp is not supported for complex types"):
        F.hardtanh(fg.ones(2, dtype=fg.complex64))


def test_integer_hardtanh_and_threshold_keep_their_dtype():
    x = fg.tensor([-3, 0, 2, 9])
    assert F.relu6(x).tolist() == [0, 0, 2, 6] and F.relu6(x).dtype == fg.int64
    assert F.threshold(x, 1, 7).tolist() == [7, 7, 2, 9]


def test_double_backward_of_gelu_builds_a_graph():
    x = fg.tensor([0.3, -1.2], dtype=fg.float64, requires_grad=True)
    (g,) = fg.autograd.grad(F.gelu(x).sum(), x, create_graph=True)
    assert g.grad_fn is not None
    (gg,) = fg.autograd.grad(g.sum(), x)
    v = np.array([0.3, -1.2])
    pdf = np.exp(-v * v / 2) / math.sqrt(2 * math.pi)
    np.testing.assert_allclose(gg.numpy(), pdf * (2 - v * v), rtol=1e-12)


@pytest.mark.parametrize("name", ["gelu", "gelu_tanh", "silu", "elu", "softplus", "mish", "logsigmoid"])
def test_threads_split_large_inputs_without_changing_bits(name):
    call, _ = REFERENCE[name]
    v = fg.tensor(_grid(600_003), dtype=fg.float32)
    before = fg.get_num_threads()
    try:
        fg.set_num_threads(1)
        x1 = v.clone().requires_grad_()
        one = call(x1)
        one.sum().backward()
        fg.set_num_threads(2)
        x2 = v.clone().requires_grad_()
        two = call(x2)
        two.sum().backward()
    finally:
        fg.set_num_threads(before)
    assert np.array_equal(one.detach().numpy(), two.detach().numpy())
    assert np.array_equal(x1.grad.numpy(), x2.grad.numpy())
