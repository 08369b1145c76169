"""Session 30 (lead): addcmul/addcdiv promote their three operands together (0-dim
operands take part by category, as TensorIterator's), convert `value` for that common
dtype and check in PyTorch's order; the `requires_grad` setter refuses any non-leaf;
in-place and clamp errors share the core's output-shape and cast messages."""

import ferrograd as fg
import pytest


def test_addcmul_zero_dim_operands_do_not_promote_across_their_category():
    r = fg.addcmul(fg.tensor(1.0, dtype=fg.float64), fg.ones(2, dtype=fg.float16), fg.tensor(2, dtype=fg.int32))
    assert r.dtype == fg.float16
    assert r.tolist() == [3.0, 3.0]
    r = fg.addcmul(fg.ones(2, dtype=fg.int8), fg.tensor(2.0), fg.tensor(2, dtype=fg.int64))
    assert r.dtype == fg.float32
    assert fg.addcmul(fg.tensor(1.0, dtype=fg.float64), fg.ones(2, dtype=fg.int64), fg.ones(2)).dtype == fg.float32


def test_addcmul_value_is_converted_for_the_common_dtype():
    # int8 result: 300 does not fit
    with pytest.raises(RuntimeError, match="value cannot be converted to type int8_t without overflow"):
        fg.addcmul(fg.ones(2, dtype=fg.int8), fg.tensor(1), fg.ones(2, dtype=fg.int8), value=300)
    # in place into int8 with int16 factors: computed in int16, then wrapped into int8
    t = fg.ones(2, dtype=fg.int8)
    t.addcmul_(fg.ones(2, dtype=fg.int16), fg.ones(2, dtype=fg.int16), value=300)
    assert t.tolist() == [45, 45]
    # float16 computes in float32: a complex value is refused naming float
    with pytest.raises(RuntimeError, match="to type float without overflow"):
        fg.addcmul(fg.ones(2, dtype=fg.float16), fg.ones(2, dtype=fg.float16), fg.ones(2, dtype=fg.float16), value=1j)


def test_addc_error_order():
    with pytest.raises(RuntimeError, match=r"size of tensor a \(2\) must match the size of tensor b \(3\)"):
        fg.addcmul(fg.ones(2), fg.ones(3), fg.ones(2), value=1j)
    with pytest.raises(RuntimeError, match="Integer division with addcdiv"):
        fg.addcdiv(fg.ones(2, dtype=fg.int8), fg.ones(2, dtype=fg.int8), fg.ones(2, dtype=fg.int8), value=1j)
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output type Long"):
        fg.ones(2, dtype=fg.int64).addcmul_(fg.ones(2), fg.ones(2), value=1j)
    leaf = fg.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="^a leaf Variable that requires grad"):
        leaf.addcdiv_(fg.ones(3), fg.ones(2))
    with pytest.raises(NotImplementedError, match="\"addcmul_cpu_out\" not implemented for 'Bool'"):
        fg.addcmul(fg.ones(2, dtype=fg.bool), fg.tensor(True), fg.ones(2, dtype=fg.bool))
    with pytest.raises(RuntimeError, match="result type Long can't be cast to the desired output type Bool"):
        fg.ones(2, dtype=fg.bool).addcmul_(fg.tensor(1), fg.ones(2, dtype=fg.bool))


def test_addcdiv_refuses_a_complex_half_common_dtype():
    with pytest.raises(NotImplementedError, match="\"addcdiv_cpu_out\" not implemented for 'ComplexHalf'"):
        fg.addcdiv(fg.tensor(1j, dtype=fg.complex64), fg.tensor(1j, dtype=fg.complex64), fg.ones(3, dtype=fg.float16))


def test_addcmul_gradients_with_a_zero_dim_operand():
    a = fg.tensor(2.0, dtype=fg.float64, requires_grad=True)
    b = fg.tensor([1.0, 3.0], requires_grad=True)
    c = fg.tensor([5.0, 7.0], requires_grad=True)
    out = fg.addcmul(a, b, c, value=2)
    assert out.dtype == fg.float32
    out.sum().backward()
    assert a.grad.dtype == fg.float64 and a.grad.item() == 2.0
    assert b.grad.tolist() == [10.0, 14.0]
    assert c.grad.tolist() == [2.0, 6.0]


def test_requires_grad_setter_refuses_any_non_leaf():
    y = fg.ones(2, requires_grad=True) * 2
    with pytest.raises(RuntimeError, match=r"^you can only change requires_grad flags of leaf variables\.$"):
        y.requires_grad = True
    with pytest.raises(RuntimeError, match="use var_no_grad = var.detach()"):
        y.requires_grad = False
    assert y.requires_grad_(True) is y  # the method accepts True on a non-leaf


def test_non_leaf_grad_warning_names_its_source_as_pytorch():
    y = fg.ones(2, requires_grad=True) * 2
    with pytest.warns(UserWarning, match=r"pull/30531 for more information\. \(Triggered internally at .*TensorBody\.h"):
        _ = y.grad


def test_in_place_output_messages():
    t = fg.ones(2)
    with pytest.raises(RuntimeError, match=r"^output with shape \[2\] doesn't match the broadcast shape \[3, 2\]$"):
        t.clamp_(fg.zeros(3, 2))
    with pytest.raises(RuntimeError, match="^result type Float can't be cast to the desired output type Long$"):
        fg.ones(2, dtype=fg.int64).clamp_(fg.zeros(2))
    with pytest.raises(RuntimeError, match=r"^output with shape \[2\] doesn't match the broadcast shape \[2, 2\]$"):
        t.copy_(fg.ones(2, 2))
