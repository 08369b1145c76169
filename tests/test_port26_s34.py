"""Behaviours ported from PyTorch's test_type_promotion, test_tensor_creation_ops,
test_shape_ops and test_nn (session 34, helper port26): each expectation is PyTorch's."""

import pytest
from backend import fg

_NO_PINNED_MEMORY = ("pin_memory=True requires a CUDA or other accelerator backend; no pinned memory allocator is "
                     "available on this system.")


# ldexp: an integer exponent scales a floating input exactly, in the input's dtype


def test_ldexp_integer_exponent_is_exact_in_float64():
    r = fg.ldexp(fg.tensor([0.1], dtype=fg.float64), fg.tensor([300], dtype=fg.int16))
    assert r.dtype == fg.float64
    assert r.tolist() == [2.0370359763344862e89]


def test_ldexp_narrows_an_int64_exponent_to_32_bits():
    r = fg.ldexp(fg.tensor([1.5, -0.25], dtype=fg.float64), fg.tensor([2**35, 2**33 + 3]))
    assert r.tolist() == [1.5, -2.0]


def test_ldexp_scales_beyond_float32_powers():
    assert fg.ldexp(fg.tensor([1e-300], dtype=fg.float64), fg.tensor([1200])).tolist() == [1.721847945638575e61]
    r = fg.ldexp(fg.tensor([3.0, 5.0], dtype=fg.float16), fg.tensor([-24, -25]))
    assert r.tolist() == [1.7881393432617188e-07, 1.1920928955078125e-07]


def test_ldexp_keeps_a_half_input_dtype():
    assert fg.ldexp(fg.tensor([1.5], dtype=fg.float16), fg.tensor([3])).dtype == fg.float16


def test_ldexp_raises_two_in_float64_for_a_float64_input():
    r = fg.ldexp(fg.tensor([0.1], dtype=fg.float64), fg.tensor(2.5, dtype=fg.bfloat16))
    assert r.tolist() == [0.5656854249492381]


def test_ldexp_in_place_on_float64():
    t = fg.tensor([0.5, 1.0], dtype=fg.float64)
    t.ldexp_(fg.tensor([1100, -3]))
    assert t.tolist() == [float("inf"), 0.125]


def test_ldexp_records_its_node_with_an_integer_exponent():
    x = fg.tensor([1.5, 2.0], dtype=fg.float64, requires_grad=True)
    y = fg.ldexp(x, fg.tensor([3, 2**33 + 1]))
    y.sum().backward()
    assert y.grad_fn.name() == "LdexpBackward0"
    assert y.tolist() == [12.0, 4.0]
    assert x.grad.tolist() == [8.0, 0.0]


def test_ldexp_refuses_a_bool_exponent():
    with pytest.raises(NotImplementedError, match="^\"ldexp_cpu_exp\" not implemented for 'Bool'$"):
        fg.ldexp(fg.tensor([1.5]), fg.tensor([True]))


@pytest.mark.parametrize(("dtype", "name"), [("int32", "Int"), ("bool", "Bool"), ("int64", "Long")])
def test_ldexp_in_place_refuses_an_integer_tensor(dtype, name):
    t = fg.tensor([1, 0], dtype=getattr(fg, dtype))
    with pytest.raises(RuntimeError, match=f"^ldexp can't be cast to the desired output type {name}$"):
        t.ldexp_(fg.tensor([1.5, 2.0]))


def test_ldexp_in_place_of_complex_by_a_half_exponent_needs_complex_half():
    with pytest.raises(NotImplementedError, match="^\"pow\" not implemented for 'ComplexHalf'$"):
        fg.tensor([1 + 2j]).ldexp_(fg.tensor([1.5], dtype=fg.float16))


# random_(to=n) is PyTorch's `to` overload


def test_random_to_keyword_checks_its_bound():
    with pytest.raises(RuntimeError, match="^random_ expects 'from' to be less than 'to', but got from=0 >= to=0$"):
        fg.empty(3).random_(to=0)
    with pytest.raises(RuntimeError, match="^to - 1 is out of bounds for signed char$"):
        fg.empty(3, dtype=fg.int8).random_(to=200)


def test_random_to_keyword_draws_below_it():
    t = fg.empty(50).random_(to=3)
    assert set(t.tolist()) <= {0.0, 1.0, 2.0}
    assert fg.ones(2, requires_grad=True).clone().random_(to=5).grad_fn.name() == "RandomBackward1"


# pin_memory=True is refused without an accelerator


@pytest.mark.parametrize("make", [
    lambda: fg.hann_window(3, pin_memory=True),
    lambda: fg.kaiser_window(3, False, 2.0, pin_memory=True),
    lambda: fg.blackman_window(1, pin_memory=True),
    lambda: fg.empty_strided((2,), (1,), pin_memory=True),
    lambda: fg.empty_permuted((2,), (0,), pin_memory=True),
    lambda: fg.randperm(3, pin_memory=True),
    lambda: fg.ones(1).new_empty_strided((2,), (1,), pin_memory=True),
])
def test_pin_memory_is_refused(make):
    with pytest.raises(RuntimeError) as info:
        make()
    assert str(info.value) == _NO_PINNED_MEMORY


def test_window_checks_come_before_the_pinned_allocation():
    with pytest.raises(RuntimeError, match="^hann_window requires non-negative window_length, got window_length=-1$"):
        fg.hann_window(-1, pin_memory=True)
    assert fg.hann_window(3, pin_memory=False).tolist() == [0.0, 0.75, 0.7499999403953552]


# index_put with accumulate=True


def test_index_put_accumulate_refuses_a_float_index():
    with pytest.raises(IndexError, match="^tensors used as indices must be long, int, byte or bool tensors$"):
        fg.zeros(3).index_put((fg.tensor([0.0]),), fg.tensor(1.0), accumulate=True)
    with pytest.raises(IndexError, match="^tensors used as indices must be long, int, byte or bool tensors$"):
        fg.zeros(3).index_put_((fg.tensor([0], dtype=fg.int16),), fg.tensor(1.0), accumulate=True)


def test_index_put_accumulate_checks_indices_before_values():
    with pytest.raises(IndexError, match="^tensors used as indices must be long, int, byte or bool tensors$"):
        fg.zeros(3).index_put((fg.tensor([0.0]),), fg.tensor(1, dtype=fg.int32), accumulate=True)


def test_index_put_accumulate_warns_for_a_byte_mask():
    with pytest.warns(UserWarning, match="indexing with dtype torch.uint8 is now deprecated"):
        r = fg.zeros(3).index_put((fg.tensor([1, 0, 1], dtype=fg.uint8),), fg.tensor(1.0), accumulate=True)
    assert r.tolist() == [1.0, 0.0, 1.0]


# addmv's first check names the three dimensions


@pytest.mark.parametrize(("shapes", "dims"), [
    (((2, 2), (2, 2), (2, 2)), "2, 2, 2"),
    (((2, 2), (2, 2), (2,)), "2, 2, 1"),
    (((2,), (2,), (2,)), "1, 1, 1"),
])
def test_addmv_dimension_message(shapes, dims):
    a, m, v = (fg.ones(s) for s in shapes)
    with pytest.raises(RuntimeError, match=f"^vector \\+ matrix @ vector expected, got {dims}$"):
        fg.addmv(a, m, v)


def test_addmv_in_place_dimension_message():
    with pytest.raises(RuntimeError, match="^vector \\+ matrix @ vector expected, got 2, 2, 1$"):
        fg.ones(2, 2).addmv_(fg.ones(2, 2), fg.ones(2))


# repeat_interleave's counts-only overload by keyword


def test_repeat_interleave_repeats_keyword_alone():
    assert fg.repeat_interleave(repeats=fg.tensor([1, 2])).tolist() == [0, 1, 1]
    assert fg.repeat_interleave(repeats=fg.tensor([1, 2]), output_size=3).tolist() == [0, 1, 1]


def test_repeat_interleave_repeats_keyword_must_be_a_tensor():
    with pytest.raises(TypeError, match="^repeat_interleave\\(\\): argument 'repeats' must be Tensor, not int$"):
        fg.repeat_interleave(repeats=2)


# messages for bins / spacing tensors of the wrong dimension


def test_histogramdd_bins_tensor_message_names_the_dimension():
    x = fg.tensor([[0.5, 1.5], [2.5, 3.5]])
    with pytest.raises(RuntimeError) as info:
        fg.histogramdd(x, bins=[fg.tensor([0.0, 1.0]), x])
    assert str(info.value) == ("torch.histogramdd: bins tensor should have one dimension, but got 2 dimensions in "
                               "the bins tensor for dimension 1")


def test_gradient_spacing_tensor_message():
    x = fg.tensor([[0.5, 1.5], [2.5, 3.5]])
    with pytest.raises(RuntimeError) as info:
        fg.gradient(x, spacing=[fg.tensor(1.0), fg.tensor(2.0)])
    assert str(info.value) == ("torch.gradient expected each element of spacing to have one dimension, but got an "
                               "element with 0 dimensions!")
