"""Behaviour found by probing against PyTorch 2.13 side by side (session 24): expected
values and messages are PyTorch's."""

import ferrograd as fg
import pytest


def test_scans_of_a_0dim_tensor_into_bool_pass_it_through():
    assert repr(fg.tensor(5).cumsum(0, dtype=fg.bool)) == "tensor(True)"
    assert repr(fg.tensor(0).cumprod(-1, dtype=fg.bool)) == "tensor(False)"
    with pytest.raises(NotImplementedError, match="\"cumsum_out_cpu\" not implemented for 'Bool'"):
        fg.tensor([0, 5]).cumsum(0, dtype=fg.bool)
    with pytest.raises(IndexError, match=r"expected to be in range of \[-1, 0\], but got 1"):
        fg.tensor(0).cumsum(1, dtype=fg.bool)


@pytest.mark.parametrize(("call", "name"), [
    (lambda x: x.cumsum(0, dtype=fg.int64), "Long"),
    (lambda x: x.cumprod(0, dtype=fg.int32), "Int"),
    (lambda x: x.sum(dtype=fg.int64), "Long"),
    (lambda x: x.sum(0, dtype=fg.int64), "Long"),
    (lambda x: x.prod(dtype=fg.int64), "Long"),
    (lambda x: x.sum(dtype=fg.bool), "Bool"),
    (lambda x: x.nansum(dtype=fg.int64), "Long"),
])
def test_reductions_into_integers_refuse_a_graph(call, name):
    x = fg.tensor([1.5, 2.5], requires_grad=True)
    with pytest.raises(RuntimeError, match=f"^Autograd not support dtype: {name}$"):
        call(x)
    with fg.no_grad():
        assert call(x).requires_grad is False
    assert call(x.detach()).grad_fn is None


def test_a_cast_to_integers_is_not_refused():
    x = fg.tensor([1.5, 2.5], requires_grad=True)
    y = x.to(fg.int64)
    assert y.tolist() == [1, 2] and y.grad_fn is None and not y.requires_grad


def test_tensor_of_a_tensor_warns_at_the_callers_line():
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fg.tensor(fg.ones(2))
    assert len(caught) == 1 and caught[0].filename == __file__
    assert str(caught[0].message).startswith("To copy construct from a tensor, it is recommended")


def test_sparse_tensors_have_no_lazy_bits():
    d = fg.tensor([[1.0, 0.0], [0.0, 2.0]])
    for s in (d.to_sparse(), d.to_sparse_csr(), d.to_sparse_csc(), d.to_sparse_bsr((1, 1))):
        assert s.resolve_conj() is s and s.resolve_neg() is s
        assert s.is_conj() is False and s.is_neg() is False
        with pytest.raises(TypeError, match="layout tensor to numpy. Use Tensor.to_dense"):
            s.numpy()


@pytest.mark.parametrize(("flag", "error", "message"), [
    (2**63, OverflowError, "Python int too large to convert to C long"),
    (-3, OverflowError, "unsigned byte integer is less than minimum"),
    (256, OverflowError, "unsigned byte integer is greater than maximum"),
    (2.5, TypeError, "'float' object cannot be interpreted as an integer"),
    ("s", TypeError, "'str' object cannot be interpreted as an integer"),
])
def test_backward_reads_its_flags_as_an_unsigned_byte(flag, error, message):
    x = fg.ones(2, 3, requires_grad=True)
    for run in (lambda y: y.backward(fg.ones(2, 3), flag),
                lambda y: y.backward(fg.ones(2, 3), None, flag),
                lambda y: fg.autograd.backward(y, fg.ones(2, 3), flag),
                lambda y: fg.autograd.grad(y, x, fg.ones(2, 3), flag)):
        with pytest.raises(error, match=f"^{message}$"):
            run(x * 2)


def test_backward_takes_integer_flags_and_gradient_sequences():
    x = fg.ones(2, 3, requires_grad=True)
    y = x * 2
    y.backward(fg.ones(2, 3), 1)
    y.backward(fg.ones(2, 3), fg.tensor(0))
    assert x.grad.tolist() == [[4.0] * 3] * 2
    (x * 3).backward([fg.ones(2, 3)])
    assert x.grad.tolist() == [[7.0] * 3] * 2
    for empty in ([], ()):
        with pytest.raises(RuntimeError, match="^got 1 tensors and 0 gradients$"):
            (x * 2).backward(empty)


@pytest.mark.parametrize(("size", "vec", "message"), [
    (1, 5, "size mismatch, got input (1), mat (3x4), vec (5)"),
    (2, 5, "size mismatch, got input (2), mat (3x4), vec (5)"),
    (2, 4, "size mismatch, got input (2), mat (3x4), vec (4)"),
])
def test_addmv_names_the_inputs_own_size(size, vec, message):
    with pytest.raises(RuntimeError) as info:
        fg.addmv(fg.ones(size), fg.ones(3, 4), fg.ones(vec))
    assert str(info.value) == message
    assert fg.addmv(fg.ones(1), fg.ones(3, 4), fg.ones(4)).tolist() == [5.0, 5.0, 5.0]


def test_tensor_split_checks_a_tensor_argument_before_the_dim():
    x = fg.ones(2, 3)
    with pytest.raises(RuntimeError, match="to have dtype of long, but got Float"):
        x.tensor_split(fg.ones(2), -3)
    with pytest.raises(RuntimeError, match="but got a tensor with 2 dims"):
        x.tensor_split(fg.ones(2, 2, dtype=fg.int64), -3)
    with pytest.raises(IndexError, match=r"range of \[-2, 1\], but got -3"):
        x.tensor_split(fg.tensor([1]), -3)
    with pytest.raises(RuntimeError, match="expected at least a 1-dimensional tensor"):
        fg.ones(()).tensor_split(fg.ones(2))


def test_requires_grad_refusals_and_deletions():
    t = fg.ones(2, dtype=fg.int64)
    with pytest.raises(RuntimeError, match="^only Tensors of floating point and complex dtype can require gradients$"):
        t.requires_grad = True
    with pytest.raises(RuntimeError, match="^only Tensors of floating point dtype can require gradients$"):
        t.requires_grad_()
    x = fg.ones(2)
    with pytest.raises(RuntimeError, match="^Deleting tensor data is not allowed. Delete tensor instead!$"):
        del x.data
    with pytest.raises(RuntimeError, match="^requires_grad must be a bool$"):
        del x.requires_grad
    assert x.tolist() == [1.0, 1.0] and x.requires_grad is False


def test_singular_values_gradient_with_full_matrices():
    a = fg.tensor([[1.0, 2.0, 0.5], [0.0, 1.0, 3.0], [2.0, 1.0, 1.0], [1.0, 0.0, 0.0]],
                  dtype=fg.float64, requires_grad=True)
    U, S, Vh = fg.linalg.svd(a, full_matrices=True)
    S.sum().backward()
    assert fg.allclose(a.grad, U[:, :3] @ Vh)


def test_saved_tensors_keep_nones_in_place():
    class Scale(fg.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            ctx.save_for_backward(None, x, None, y)
            return x * y

        @staticmethod
        def backward(ctx, g):
            first, x, third, y = ctx.saved_tensors
            assert first is None and third is None
            return g * y, g * x

    x = fg.ones(2, requires_grad=True)
    Scale.apply(x, fg.full((2,), 3.0)).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]


@pytest.mark.parametrize(("call", "message"), [
    (lambda: fg.ones(0, 3).view(-1, 0), ("cannot reshape tensor of 0 elements into shape [-1, 0] because the "
     "unspecified dimension size -1 can be any value and is ambiguous")),
    (lambda: fg.ones(0, 3).reshape(0, -1), ("cannot reshape tensor of 0 elements into shape [0, -1] because the "
     "unspecified dimension size -1 can be any value and is ambiguous")),
    (lambda: fg.ones(6).view(-2, 3), "invalid shape dimension -2 at index 0 of shape [-2, 3]"),
    (lambda: fg.ones(4, 4).t().view(16), ("view size is not compatible with input tensor's size and stride (at least "
     "one dimension spans across two contiguous subspaces). Use .reshape(...) instead.")),
    (lambda: fg.ones(3, 3).t().view(fg.float64), ("self.size(-1) must be divisible by 2 to view Float as Double "
     "(different element sizes), but got 3")),
])
def test_view_messages(call, message):
    with pytest.raises(RuntimeError) as info:
        call()
    assert str(info.value) == message
    assert fg.ones(0, 3).view(-1).shape == (0,)


def test_deleting_items_is_a_type_error():
    x = fg.ones(3)
    with pytest.raises(TypeError, match="^Tensor does not support deleting items$"):
        del x[0]


def test_numpy_bool_and_complex64_scalars_are_read_as_doubles():
    import warnings

    import numpy as np

    x = fg.ones(2, dtype=fg.int64)
    assert (x + np.bool_(True)).dtype == fg.float32 and (x + np.bool_(True)).tolist() == [2.0, 2.0]
    assert (fg.ones(2, dtype=fg.bool) * np.bool_(True)).dtype == fg.float32
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # NumPy's ComplexWarning, as under PyTorch
        assert (x + np.complex64(1 + 1j)).tolist() == [2.0, 2.0]
    assert (x + np.complex128(1j)).dtype == fg.complex64  # a Python complex
    assert (x + np.int32(2)).dtype == fg.int64


@pytest.mark.parametrize(("index", "value", "message"), [
    (0, fg.ones(4), ("The expanded size of the tensor (3) must match the existing size (4) at non-singleton dimension 0."
     "  Target sizes: [3].  Tensor sizes: [4]")),
    (None, fg.ones(3, 3), ("The expanded size of the tensor (2) must match the existing size (3) at non-singleton "
     "dimension 1.  Target sizes: [1, 2, 3].  Tensor sizes: [3, 3]")),
    ((0, 0), fg.ones(2), ("expand(ferrograd.FloatTensor{[2]}, size=[]): the number of sizes provided (0) must be "
     "greater or equal to the number of dimensions in the tensor (1)")),
])
def test_basic_setitem_expands_the_value(index, value, message):
    x = fg.zeros(2, 3)
    with pytest.raises(RuntimeError) as info:
        x[index] = value
    assert str(info.value) == message


def test_setitem_of_a_0dim_tensor():
    with pytest.raises(IndexError, match="^too many indices for tensor of dimension 0$"):
        fg.zeros(())[fg.tensor(0)]
    for index in ((), Ellipsis):
        y = fg.zeros((), requires_grad=True).clone()
        y[index] = 1.0
        assert type(y.grad_fn).__name__ == "CopyBackwards" and y.item() == 1.0
    y = fg.zeros(3, requires_grad=True).clone()
    y[...] = 1.0
    assert type(y.grad_fn).__name__ == "FillBackward3"


class _SaveBoth(fg.autograd.Function):
    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, None, y)
        return x * y

    @staticmethod
    def backward(ctx, g):
        a, _, b = ctx.saved_tensors
        return g * b, g * a


def test_saved_tensor_hooks_pack_a_functions_tensors_once():
    log = []

    def pack(x):
        log.append(("pack", tuple(x.shape)))
        return x * 1

    def unpack(x):
        log.append(("unpack", tuple(x.shape)))
        return x

    x = fg.ones(2, requires_grad=True)
    with fg.autograd.graph.saved_tensors_hooks(pack, unpack):
        out = _SaveBoth.apply(x, fg.ones(3, 2) * 2)
    assert log == [("pack", (2,)), ("pack", (3, 2))]
    out.sum().backward()
    assert log[2:] == [("unpack", (2,)), ("unpack", (3, 2))]
    assert x.grad.tolist() == [6.0, 6.0]


def test_a_function_that_never_reads_its_saved_tensors_ignores_their_writes():
    class Twice(fg.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2

    a = fg.ones(2, requires_grad=True)
    b = a.clone()
    out = Twice.apply(b)
    b.add_(1)
    out.sum().backward()
    assert a.grad.tolist() == [2.0, 2.0]
