"""PyTorch's autograd, behaviour by behaviour: the version-counter error's exact text
(no note of where the write was in the message), anomaly mode's warnings with their
"Triggered internally" suffix, `is_grads_batched` shape errors, and the error texts of
`backward`, `grad`, hooks, custom Functions and inference tensors."""

import re
import warnings

import pytest
from backend import MOD, fg

HINT = (f"Hint: enable anomaly detection to find the operation that failed to compute its gradient, "
        f"with {MOD}.autograd.set_detect_anomaly(True, check_nan=False).")
ANOMALY_HINT = ("Hint: the backtrace further above shows the operation that failed to compute its gradient. "
                "The variable in question was changed in there or anywhere later. Good luck!")
ANOMALY_SOURCE = "(Triggered internally at /__w/pytorch/pytorch/torch/csrc/autograd/python_anomaly_mode.cpp:"


def leaf(n=3):
    return fg.arange(float(n)).requires_grad_()


def modified(what, node, hint=HINT):
    return (f"one of the variables needed for gradient computation has been modified by an inplace operation: "
            f"[{MOD}.FloatTensor [{what}]], which is output 0 of {node}, is at version 1; expected version 0 "
            f"instead. {hint}")


class Twice(fg.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * 2

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * x


class SavesOutput(fg.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        out = x * 2
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g * out


def exp_then_add():
    y = leaf().exp()
    y.add_(1)
    return y.sum(), "3", "Exp"


def saved_input_of_mul():
    a = leaf() * 1
    y = a * a
    a.add_(1)
    return y.sum(), "3", "Add"


def sigmoid_then_mul():
    y = leaf().sigmoid()
    y.mul_(2)
    return y.sum(), "3", "Sigmoid"


def matmul_then_zero():
    a = fg.arange(4.).reshape(2, 2).clone().requires_grad_() * 1
    y = a @ a
    a.zero_()  # the error names the node the write left on `a`
    return y.sum(), "2, 2", "Zero"


def detached_alias_written():
    y = leaf().exp()
    y.detach().add_(1)  # shares the version counter
    return y.sum(), "3", "Exp"


def custom_function_input():
    a = leaf() * 1
    y = Twice.apply(a)
    a.add_(1)
    return y.sum(), "3", "Add"


def custom_function_output():
    out = SavesOutput.apply(leaf())
    out.add_(1)
    return out.sum(), "3", "SavesOutput"


@pytest.mark.parametrize("make", [exp_then_add, saved_input_of_mul, sigmoid_then_mul, matmul_then_zero,
                                  detached_alias_written, custom_function_input, custom_function_output])
def test_version_counter_error_is_pytorchs_text(make):
    loss, shape, node = make()
    with pytest.raises(RuntimeError) as info:
        loss.backward()
    assert str(info.value) == modified(shape, node)


def test_version_counter_error_text_from_grad():
    x = leaf()
    y = x.tanh()
    y.mul_(2)
    with pytest.raises(RuntimeError) as info:
        fg.autograd.grad(y.sum(), x)
    assert str(info.value) == modified("3", "Tanh")


def test_version_counter_error_in_anomaly_mode():
    x = leaf()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with fg.autograd.detect_anomaly():
            y = x.exp()
            y.add_(1)
            with pytest.raises(RuntimeError) as info:
                y.sum().backward()
    assert str(info.value) == modified("3", "Exp", ANOMALY_HINT)
    texts = [str(w.message) for w in caught]
    traced = [t for t in texts if t.startswith("Error detected in ExpBackward0. Traceback of forward call")]
    assert len(traced) == 1
    assert "y = x.exp()" in traced[0]
    assert traced[0].endswith(f"\n {ANOMALY_SOURCE}122.)")


def test_anomaly_nan_warning_ends_with_pytorchs_source_line():
    x = fg.tensor([-1.], requires_grad=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with fg.autograd.detect_anomaly():
            y = x.sqrt()
            with pytest.raises(RuntimeError, match=re.escape("Function 'SqrtBackward0' returned nan values in its 0th output.")):
                y.sum().backward()
    traced = [str(w.message) for w in caught if str(w.message).startswith("Error detected in SqrtBackward0.")]
    assert len(traced) == 1
    assert traced[0].startswith("Error detected in SqrtBackward0. Traceback of forward call that caused the error:\n")
    assert traced[0].endswith(f" {ANOMALY_SOURCE}122.)")


def test_anomaly_without_forward_information_warning():
    x = fg.tensor([-1.], requires_grad=True)
    y = x.sqrt() * 1  # made before anomaly mode: no forward trace
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with fg.autograd.detect_anomaly(), pytest.raises(RuntimeError, match="returned nan values"):
            y.sum().backward()
    texts = [str(w.message) for w in caught]
    assert ("Error detected in SqrtBackward0. No forward pass information available. Enable detect anomaly "
            f"during forward pass for more information. {ANOMALY_SOURCE}100.)") in texts


def batched_message(grad_shape, out_shape):
    return ("If `is_grads_batched=True`, we interpret the first dimension of each grad_output as the batch "
            "dimension. The sizes of the remaining dimensions are expected to match the shape of corresponding "
            "output, but a mismatch was detected: grad_output[0] has a shape of "
            f"{MOD}.Size({grad_shape}) and output[0] has a shape of {MOD}.Size({out_shape}). If you only want "
            "some tensors in `grad_output` to be considered batched, consider using vmap.")


# PyTorch compares the first row with the output, then prints that row's shape less its first dimension
@pytest.mark.parametrize(("grad_shape", "printed"), [((3,), []), ((2, 4), []), ((2, 4, 5), [5]), ((2, 2, 3), [3])])
def test_batched_grad_output_mismatch(grad_shape, printed):
    x = leaf()
    with pytest.raises(RuntimeError) as info:
        fg.autograd.grad(x * 2, x, fg.ones(grad_shape), is_grads_batched=True)
    assert str(info.value) == batched_message(printed, [3])


def test_batched_grads_values():
    x = leaf()
    (g,) = fg.autograd.grad(x * fg.tensor([1., 2., 3.]), x, fg.eye(3), is_grads_batched=True)
    assert g.tolist() == [[1., 0., 0.], [0., 2., 0.], [0., 0., 3.]]


def raises_exactly(kind, text, f):
    with pytest.raises(kind) as info:
        f()
    assert str(info.value) == text


def test_backward_twice_without_retain_graph():
    y = (leaf() * leaf()).sum()
    y.backward()
    raises_exactly(RuntimeError,
                   "Trying to backward through the graph a second time (or directly access saved tensors after "
                   "they have already been freed). Saved intermediate values of the graph are freed when you call "
                   ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
                   "graph a second time or if you need to access saved tensors after calling backward.", y.backward)


def test_backward_inputs_empty_and_grad_unused():
    x, z = leaf(), leaf()
    raises_exactly(RuntimeError, "`inputs` argument to `backward()` cannot be empty.",
                   lambda: (x * 2).sum().backward(inputs=[]))
    raises_exactly(RuntimeError, "The differentiated Tensor at index 1 appears to not have been used in the graph. "
                   "Set allow_unused=True if this is the desired behavior.",
                   lambda: fg.autograd.grad((x * 2).sum(), [x, z]))
    raises_exactly(ValueError, "Expected allow_unused to be True or not passed when materialize_grads=True, "
                   "but got: allow_unused=False.",
                   lambda: fg.autograd.grad((x * 2).sum(), [x, z], allow_unused=False, materialize_grads=True))
    gx, gz = fg.autograd.grad((x * 2).sum(), [x, z], materialize_grads=True)
    assert gx.tolist() == [2., 2., 2.] and gz.tolist() == [0., 0., 0.]


def test_grad_output_shape_mismatch():
    x = leaf()
    raises_exactly(RuntimeError, f"Mismatch in shape: grad_output[0] has a shape of {MOD}.Size([2]) and output[0] "
                   f"has a shape of {MOD}.Size([3]).", lambda: fg.autograd.grad(x * 2, x, fg.ones(2)))


def test_in_place_on_a_view_of_a_leaf():
    x = leaf()

    def write():
        x[0:2].mul_(2)
    raises_exactly(RuntimeError, "a view of a leaf Variable that requires grad is being used in an in-place operation.",
                   write)


def test_hook_errors():
    x = leaf()
    x.register_hook(lambda g: fg.ones(2))
    raises_exactly(RuntimeError, "hook '<lambda>' has changed the size of value", lambda: (x * 1).sum().backward())
    y = leaf() * 2
    y.grad_fn.register_prehook(lambda go: (go[0], go[0]))
    raises_exactly(RuntimeError, "hook '<lambda>' has returned an incorrect number of values (got 2, but expected 1)",
                   lambda: y.sum().backward())


def function(forward, backward):
    return type("MyFn", (fg.autograd.Function,), {"forward": staticmethod(forward), "backward": staticmethod(backward)})


def test_custom_function_gradient_errors():
    too_many = function(lambda ctx, x: x * 2, lambda ctx, g: (g, g))
    raises_exactly(RuntimeError, "function MyFnBackward returned an incorrect number of gradients (expected 1, got 2)",
                   lambda: too_many.apply(leaf()).sum().backward())
    wrong_shape = function(lambda ctx, x: x * 2, lambda ctx, g: fg.ones(2))
    raises_exactly(RuntimeError, "Function MyFnBackward returned an invalid gradient at index 0 - got [2] but "
                   "expected shape compatible with [3]", lambda: wrong_shape.apply(leaf()).sum().backward())

    def saves_int(ctx, x):
        ctx.save_for_backward(x, 3)
        return x * 2
    raises_exactly(TypeError, "save_for_backward can only save variables, but argument 1 is of type int",
                   lambda: function(saves_int, lambda ctx, g: g).apply(leaf()))


def test_inference_tensor_cannot_be_saved():
    with fg.inference_mode():
        frozen = fg.ones(3)
    x = leaf()
    raises_exactly(RuntimeError, "Inference tensors cannot be saved for backward. Please do not use Tensors created "
                   "in inference mode in computation tracked by autograd. To work around this, you can make a clone "
                   f"to get a normal tensor and use it in autograd, or use `{MOD}.no_grad()` instead of "
                   f"`{MOD}.inference_mode()`.", lambda: (x * frozen).sum().backward())
