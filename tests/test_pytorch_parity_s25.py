"""Behaviour checked side by side with PyTorch 2.13 in session 25 (expected values and
messages are PyTorch's, observed)."""

import ferrograd as fg
import pytest


@pytest.mark.parametrize(
    ("shape", "sizes", "message"),
    [
        (
            (2, 3),
            (-2, 3),
            ("The expanded size of the tensor (-2) must match the existing size (2) at "
            "non-singleton dimension 0.  Target sizes: [-2, 3].  Tensor sizes: [2, 3]"),
        ),
        (
            (2, 3),
            (2, -3),
            ("The expanded size of the tensor (-3) must match the existing size (3) at "
            "non-singleton dimension 1.  Target sizes: [2, -3].  Tensor sizes: [2, 3]"),
        ),
        (
            (2, 1),
            (-5, -2),
            ("The expanded size of the tensor (-5) must match the existing size (2) at "
            "non-singleton dimension 0.  Target sizes: [-5, -2].  Tensor sizes: [2, 1]"),
        ),
        ((2, 3), (-2, 2, 3), "numel: integer multiplication overflow"),
        ((1, 3), (-2, 3), "numel: integer multiplication overflow"),
        ((), (-2,), "numel: integer multiplication overflow"),
        (
            (2, 3),
            (-1, 2, 3),
            ("The expanded size of the tensor (-1) isn't allowed in a leading, "
            "non-existing dimension 0"),
        ),
    ],
)
def test_expand_negative_sizes_fail_as_pytorch(shape, sizes, message):
    with pytest.raises(RuntimeError) as info:
        fg.ones(shape).expand(*sizes)
    assert str(info.value) == message


def test_broadcast_to_negative_size_names_the_mismatch():
    with pytest.raises(RuntimeError, match=r"expanded size of the tensor \(-2\) must match"):
        fg.broadcast_to(fg.ones(2, 3), (-2, 3))


def test_set_data_keeps_its_own_version_counter():
    x = fg.ones(3, requires_grad=True)
    with fg.no_grad():
        x.mul_(2)
    y = fg.zeros(3)
    x.data = y
    assert x._version == 1
    y.add_(1)
    assert x.tolist() == [1.0, 1.0, 1.0]
    assert (x._version, y._version) == (1, 1)


def test_unsafe_split_pieces_have_their_own_version_counters():
    x = fg.ones(4, requires_grad=True).clone()
    parts = fg.unsafe_split(x, 2)
    assert [p._version for p in parts] == [0, 0]
    assert not parts[0]._is_view()
    assert parts[0].grad_fn.name() == "UnsafeSplitBackward0"
    parts[0].mul_(2)
    assert (x._version, parts[0]._version, parts[1]._version) == (0, 1, 0)
    assert x.tolist() == [2.0, 2.0, 1.0, 1.0]


def _mul_graph_with_node_hook(hook, pre=False):
    x = fg.ones(3, requires_grad=True)
    y = x * 2
    (y.grad_fn.register_prehook if pre else y.grad_fn.register_hook)(hook)
    y.sum().backward()
    return x.grad


def size_changed(go):
    return (fg.ones(1),)


@pytest.mark.parametrize(
    ("hook", "pre", "error", "message"),
    [
        (
            lambda gi, go: (fg.ones(5), None),
            False,
            RuntimeError,
            "hook '<lambda>' has changed the size of value",
        ),
        (
            lambda gi, go: (fg.ones(3, dtype=fg.float64), None),
            False,
            RuntimeError,
            ("hook '<lambda>' has changed the type of value "
            "(was ferrograd.FloatTensor got ferrograd.DoubleTensor)"),
        ),
        (lambda gi, go: (1, None), False, TypeError, "expected Variable, but hook returned 'int'"),
        (size_changed, True, RuntimeError, "hook 'size_changed' has changed the size of value"),
        (
            lambda go: (fg.ones(3, dtype=fg.float64),),
            True,
            RuntimeError,
            ("hook '<lambda>' has changed the type of value "
            "(was ferrograd.FloatTensor got ferrograd.DoubleTensor)"),
        ),
        (lambda go: (1,), True, TypeError, "expected Variable, but hook returned 'int'"),
    ],
)
def test_node_hooks_may_not_change_a_gradients_size_or_type(hook, pre, error, message):
    with pytest.raises(error) as info:
        _mul_graph_with_node_hook(hook, pre)
    assert str(info.value) == message


def test_node_prehook_returning_none_entries_keeps_nothing():
    assert _mul_graph_with_node_hook(lambda go: (None,), pre=True) is None


def test_pack_hook_modifying_its_input_fails_the_op():
    a = fg.ones(3, requires_grad=True)
    b = a * 1

    def pack(x):
        x.mul_(2)
        return x

    hooks = fg.autograd.graph.saved_tensors_hooks(pack, lambda x: x)
    with pytest.raises(RuntimeError, match="A saved tensor pack hook is modifying its input in place"), hooks:
        b * b


def test_pack_hook_reading_its_input_is_fine():
    a = fg.ones(3, requires_grad=True)
    with fg.autograd.graph.saved_tensors_hooks(lambda x: x.clone(), lambda x: x):
        y = a * a
    y.sum().backward()
    assert a.grad.tolist() == [2.0, 2.0, 2.0]


def test_anomaly_mode_keeps_the_forward_stack_in_node_metadata():
    def make_node():
        a = fg.ones(3, requires_grad=True)
        return a * 2

    with pytest.warns(UserWarning, match="Anomaly Detection has been enabled"), fg.autograd.detect_anomaly():
        b = make_node()
    stack = b.grad_fn.metadata["traceback_"]
    assert isinstance(stack, list)
    assert all(entry.startswith('  File "') for entry in stack)
    assert "in make_node" in stack[-1]
    assert "return a * 2" in stack[-1]
    assert "traceback_" not in (make_node().grad_fn.metadata)


def test_add_with_alpha_in_place_rounds_once_as_pytorch():
    x = 1 + 2**-12  # x * x = 1 + 2**-11 + 2**-24: the last bit survives only a fused add
    t = fg.tensor([-1.0, -1.0])
    with fg.no_grad():
        t.add_(fg.tensor([x, x]), alpha=x)
    assert t.tolist() == [2**-11 + 2**-24] * 2
    assert t._version == 1
    s = fg.tensor([1.0])
    s.sub_(fg.tensor([x]), alpha=x)
    assert s.tolist() == [-(2**-11 + 2**-24)]
    d = fg.tensor([1.0, 2.0], dtype=fg.float64)
    d.add_(fg.tensor([3.0, 4.0], dtype=fg.float64), alpha=-2)
    assert d.tolist() == [-5.0, -6.0]


def test_add_with_alpha_in_place_keeps_pytorchs_checks():
    leaf = fg.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        leaf.add_(fg.ones(3), alpha=2)
    with fg.no_grad():
        leaf.add_(fg.ones(3), alpha=2)
    assert leaf.tolist() == [3.0, 3.0, 3.0] and leaf.requires_grad
    with pytest.raises(RuntimeError, match="value cannot be converted to type float without overflow"):
        fg.ones(3).add_(fg.ones(3), alpha=1e300)
    with pytest.raises(RuntimeError, match="Boolean alpha only supported for Boolean results."):
        fg.ones(3).add_(fg.ones(3), alpha=True)
    x = fg.ones(4)
    x[:2].add_(x[2:], alpha=3)
    assert x.tolist() == [4.0, 4.0, 1.0, 1.0]
    x.add_(x, alpha=3)
    assert x.tolist() == [16.0, 16.0, 4.0, 4.0]


def test_three_argument_pow_is_not_supported():
    with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for \*\* or pow\(\): 'Tensor', 'int', 'int'"):
        pow(fg.ones(2), 3, 5)
    with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for \*\* or pow\(\): 'int', 'Tensor', 'int'"):
        pow(3, fg.ones(2), 5)
    assert fg.ones(2).__pow__(3, 5) is NotImplemented
    assert pow(fg.full((2,), 3.0), 2).tolist() == [9.0, 9.0]


def test_bool_add_reads_an_int_alpha_as_a_bool():
    b = fg.tensor([True, False])
    for alpha in (2, 0, True):
        out = fg.add(b, b, alpha=alpha)
        assert out.dtype == fg.bool and out.tolist() == [True, False]
    assert b.clone().add_(b, alpha=2).tolist() == [True, False]


@pytest.mark.parametrize(
    ("dtype", "message"),
    [
        ("float32", "For non-complex input tensors, argument alpha must not be a complex number."),
        ("int64", "For integral input tensors, argument alpha must not be a floating point number."),
    ],
)
def test_complex_alpha_needs_a_complex_result(dtype, message):
    x = fg.ones(2, dtype=getattr(fg, dtype))
    for call in (lambda: fg.add(x, x, alpha=1j), lambda: x.sub(x, alpha=1j), lambda: x.clone().add_(x, alpha=2j)):
        with pytest.raises(RuntimeError) as info:
            call()
        assert str(info.value) == message


def test_complex_alpha_scales_a_complex_operand():
    z = fg.ones(2, dtype=fg.complex64)
    assert fg.add(z, fg.ones(2), alpha=1j).tolist() == [1 + 1j, 1 + 1j]
    assert z.sub(z, alpha=2j).tolist() == [1 - 2j, 1 - 2j]
    w = z.clone()
    w.add_(z, alpha=1j)
    assert w.tolist() == [1 + 1j, 1 + 1j]


def test_requires_grad_names_a_numpy_bool_by_its_module():
    import numpy as np

    with pytest.raises(TypeError) as info:
        fg.ones(2).requires_grad_(np.bool_(True))
    assert str(info.value) == "requires_grad_(): argument 'requires_grad' (position 1) must be bool, not numpy.bool"


def test_complex_log2_log10_scale_each_part():
    import math

    for f in (fg.log2, fg.log10):
        out = f(fg.tensor([0j, 1 + 0j]))
        assert out.real.tolist()[0] == -math.inf
        assert out.imag.tolist() == [0.0, 0.0]
    assert fg.log2(fg.tensor([4j], dtype=fg.complex128)).tolist()[0] == pytest.approx(2 + 1j * math.pi / 2 / math.log(2))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda z: z.amax(), "\"max_values_cpu\" not implemented for 'ComplexFloat'"),
        (lambda z: fg.amin(z), "\"min_values_cpu\" not implemented for 'ComplexFloat'"),
        (lambda z: z.trunc(), "trunc is not supported for complex inputs"),
        (lambda z: fg.trunc(z), "trunc is not supported for complex inputs"),
        (lambda z: z.clone().trunc_(), "trunc is not supported for complex inputs"),
    ],
)
def test_complex_refusals_use_pytorchs_words(call, message):
    with pytest.raises(NotImplementedError) as info:
        call(fg.tensor([1 + 2j, 0j]))
    assert str(info.value) == message


def test_copy_of_complex_into_real_warns_once_per_process():
    import subprocess
    import sys

    code = (
        "import warnings; warnings.simplefilter('always'); import ferrograd as fg\n"
        "z = fg.tensor([1 + 2j])\n"
        "with warnings.catch_warnings(record=True) as seen:\n"
        "    warnings.simplefilter('always')\n"
        "    fg.zeros(1, dtype=fg.bool).copy_(z)\n"
        "    a = fg.zeros(1).copy_(z)\n"
        "    fg.zeros(1).copy_(z)\n"
        "print(len(seen), a.tolist(), str(seen[0].message).split(' (')[0])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "1 [1.0] Casting complex values to real discards the imaginary part"


@pytest.mark.parametrize("threads", [1, 2])
def test_float32_sums_round_as_pytorchs(threads):
    # PyTorch 2.13's float32 sums of these (its cascade of float32 partial sums), observed
    previous = fg.get_num_threads()
    fg.set_num_threads(threads)
    try:
        assert fg.full((10,), 0.1).sum().item() == 1.0000001192092896
        assert fg.full((100,), 0.1).sum().item() == 9.999999046325684
        assert fg.full((10**4,), 0.1).sum().item() == 1000.0001220703125
        assert fg.full((10**6,), 0.1).sum().item() == 100000.0078125
        assert fg.full((1000,), 0.1).mean().item() == 0.10000000894069672
        assert str(fg.full((10**6,), 0.1).sum()) == "tensor(100000.0078)"
        assert fg.full((100, 100), 0.1).t().sum().item() == 1000.0001220703125
        y = (fg.arange(50000, dtype=fg.float32) % 97) * 0.37 - 11.0
        assert y.sum().item() == 337567.125
    finally:
        fg.set_num_threads(previous)


def test_float32_sums_over_trailing_dims_round_as_pytorchs():
    # PyTorch 2.13, observed
    assert fg.full((3, 100), 0.1).sum(1).tolist() == [9.999999046325684] * 3
    assert fg.full((2, 10), 0.1).sum(-1).tolist() == [1.0000001192092896] * 2
    assert fg.full((4, 1000), 0.1).mean(-1).tolist() == [0.10000000894069672] * 4
    assert fg.full((2, 5, 20), 0.1).sum((1, 2)).tolist() == [9.999999046325684] * 2
