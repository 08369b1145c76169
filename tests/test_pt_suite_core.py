"""Behaviours from PyTorch's own test files whose fixes are in Rust (they land with the
pt_tests Rust patch): accumulator node hooks under autograd.grad, inference mode under
enable_grad, reshape copies that are not views, complex scalars written into real
tensors, `.T` deprecation warnings. Expected values are PyTorch 2.13's.

Runs against PyTorch too with FG_TEST_BACKEND=torch.
"""

import subprocess
import sys

import pytest
from backend import MOD, fg


def test_accumulator_node_hooks_do_not_run_under_autograd_grad():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    acc = y.grad_fn.next_functions[0][0]
    calls = []
    acc.register_hook(lambda gi, go: calls.append("post"))
    acc.register_prehook(lambda go: calls.append("pre"))
    x.register_hook(lambda g: calls.append("tensor"))
    (g,) = fg.autograd.grad(y.sum(), x, retain_graph=True)
    assert g.tolist() == [2.0, 2.0]
    assert calls == ["tensor"]
    y.sum().backward()
    assert calls == ["tensor", "tensor", "pre", "post"]


def test_post_accumulate_hook_does_not_run_under_autograd_grad():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    calls = []
    x.register_post_accumulate_grad_hook(lambda t: calls.append(1))
    fg.autograd.grad((x * 2).sum(), x)
    assert calls == []


def test_enable_grad_inside_inference_mode_records_nothing():
    with fg.inference_mode(), fg.enable_grad():
        x = fg.ones(2, requires_grad=True)
        y = x * 2
        assert fg.is_grad_enabled()
    assert not y.requires_grad
    assert y.grad_fn is None
    assert y.is_inference()


def test_a_reshape_that_copies_is_not_a_view():
    x = fg.arange(6.0).view(2, 3).t()
    for y in (x.reshape(6), x.flatten()):
        assert not y._is_view()
        assert y._base is None


def test_in_place_on_a_reshape_copy_records_the_op_itself():
    x = fg.arange(6.0, requires_grad=True)
    y = (x * 1).view(2, 3).t().reshape(6)
    assert type(y.grad_fn).__name__ == "UnsafeViewBackward0"
    y.mul_(2)
    assert type(y.grad_fn).__name__ == "MulBackward0"


@pytest.mark.parametrize(("dtype", "ctype"), [
    ("float32", "float"), ("float64", "double"), ("int64", "int64_t"), ("int32", "int"),
    ("uint8", "uint8_t"), ("float16", "double"), ("bfloat16", "double"),
])
@pytest.mark.parametrize("key", [0, slice(0, 2), [0, 1]])
def test_setitem_of_a_complex_number_into_a_real_tensor(dtype, ctype, key):
    y = fg.zeros(3, dtype=getattr(fg, dtype))
    with pytest.raises(RuntimeError, match=f"converted to type {ctype} without overflow"):
        y[key] = 1j


def test_setitem_of_a_complex_number_without_imaginary_part_writes_it():
    y = fg.zeros(3)
    y[0] = 1 + 0j
    assert y.tolist() == [1.0, 0.0, 0.0]


@pytest.mark.parametrize(("expr", "warning"), [
    ("fg.ones(2, 3, 4).T", "dimension other than 2"),
    ("fg.ones(3).T", "dimension other than 2"),
    ("fg.tensor(1.).T", "deprecated on 0-D tensors"),
])
def test_dot_T_off_matrices_warns_once_per_process(expr, warning):
    # PyTorch warns once per process, so each case runs in a fresh interpreter
    code = (
        f"import warnings\nimport {MOD} as fg\n"
        "with warnings.catch_warnings(record=True) as w:\n"
        "    warnings.simplefilter('always')\n"
        f"    {expr}; {expr}; fg.ones(2, 3).T\n"
        "print([str(x.message) for x in w])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    messages = eval(out)
    assert len(messages) == 1
    assert warning in messages[0]
