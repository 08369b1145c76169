"""Creation ops against PyTorch's behaviour (session 26): complex `logspace` values bit
for bit, the size parser of `zeros`/`ones`/`empty`/`rand`, `arange`/`randint`/`cat`
argument refusals, `tensor` of a byte-swapped array."""

import cmath
import warnings

import numpy as np
import pytest
from backend import fg

# ---- complex logspace ------------------------------------------------------------------


def _complex_logspace(start, end, steps, base, kind):
    """PyTorch's CPU kernel: a complex step in the dtype, points from the nearer end,
    each power as exp(x * log(base)), one scalar at a time."""
    first, last, log_base = kind(start), kind(end), np.log(kind(base))
    step = (last - first) / kind(steps - 1)
    values = []
    for i in range(steps):
        point = first + step * kind(i) if i < steps // 2 else last - step * kind(steps - 1 - i)
        values.append(np.exp(point * log_base))
    return np.array(values, dtype=kind)


@pytest.mark.parametrize("dtype,kind", [("complex64", np.complex64), ("complex128", np.complex128)])
@pytest.mark.parametrize("start,end,steps,base", [
    (-1, 2, 7, 10.0), (0, 5, 6, 2.0), (1 + 1j, -2 + 3j, 9, 2.5), (0, 1j, 3, 10.0), (-1j, 3, 3, -2.0),
])
def test_complex_logspace_is_bit_exact(dtype, kind, start, end, steps, base):
    got = fg.logspace(start, end, steps, base=base, dtype=getattr(fg, dtype))
    want = _complex_logspace(start, end, steps, base, kind)
    real = np.float32 if kind is np.complex64 else np.float64
    assert got.dtype == getattr(fg, dtype)
    assert np.array_equal(got.numpy().view(real), want.view(real))


def test_complex128_logspace_keeps_exp_log_rounding():
    # 10 ** -1 through exp(-log 10) is one ulp under 0.1; 2 ** 3 through exp(3 log 2) under 8
    got = fg.logspace(-1, 2, 7, dtype=fg.complex128).tolist()
    assert got[0] == complex(0.09999999999999998, 0)
    assert got[-1] == complex(100.00000000000004, 0)
    assert fg.logspace(0, 5, 6, base=2, dtype=fg.complex128).tolist()[3] == complex(7.999999999999998, 0)


def test_complex_logspace_one_step_is_the_start_power():
    assert fg.logspace(2, 7, 1, dtype=fg.complex64).tolist() == [complex(100, 0)]
    got = fg.logspace(1 + 2j, 3, 1, base=2, dtype=fg.complex128).tolist()[0]
    want = cmath.rect(2.0 ** 1, 2 * np.log(2.0))
    assert abs(got - want) < 1e-15


def test_empty_complex_logspace_has_a_unit_stride():
    t = fg.logspace(0, 1, 0, dtype=fg.complex64)
    assert tuple(t.shape) == (0,)
    assert t.stride() == (1,)


# ---- size arguments ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["zeros", "ones", "empty", "rand", "randn"])
def test_a_float_size_is_not_a_tuple_of_ints(name):
    with pytest.raises(TypeError, match=rf"^{name}\(\): argument 'size' \(position 1\) must be tuple of ints, not float$"):
        getattr(fg, name)(2.0)
    with pytest.raises(TypeError, match=r"must be tuple of ints, not numpy\.float64"):
        getattr(fg, name)(np.float64(2.0))
    with pytest.raises(TypeError, match=r"must be tuple of ints, not NoneType"):
        getattr(fg, name)(None)
    with pytest.raises(TypeError, match=r"must be tuple of ints, not Tensor"):
        getattr(fg, name)(fg.tensor(2.0))


@pytest.mark.parametrize("name", ["zeros", "ones", "empty", "rand", "randn"])
@pytest.mark.parametrize("args,what", [
    ((2, 2.5), "float"), (((2, 2.5),), "float"), ((2, (3,)), "tuple"), (([2, None],), "NoneType"),
    ((2, None), "NoneType"), (((2, "3"),), "str"), ((2, 3j), "complex"), (((2, np.float32(1)),), "numpy.float32"),
    (((2, fg.tensor(2.0)),), "Tensor"),
])
def test_a_later_bad_size_element_fails_to_unpack(name, args, what):
    message = (rf"^{name}\(\): argument 'size' failed to unpack the object at pos 2 with error "
               rf"\"type must be tuple of ints,but got {what}\"")
    with pytest.raises(TypeError, match=message):
        getattr(fg, name)(*args)


@pytest.mark.parametrize("name", ["zeros", "ones", "empty", "rand", "randn"])
def test_an_oversized_size_element_fails_to_unpack(name):
    with pytest.raises(TypeError, match=rf"^{name}\(\): argument 'size' failed to unpack the object at pos 2 "
                                        r"with error \"Overflow when unpacking long long"):
        getattr(fg, name)(2, 2**63)
    with pytest.raises(TypeError, match=rf"^{name}\(\): argument 'size' failed to unpack the object at pos 1 "):
        getattr(fg, name)(2**63)


@pytest.mark.parametrize("name", ["zeros", "ones", "empty"])
def test_a_float_first_of_several_sizes_is_a_second_positional(name):
    with pytest.raises(TypeError, match=rf"^{name}\(\) takes 1 positional argument but 2 were given$"):
        getattr(fg, name)(2.5, 2)


@pytest.mark.parametrize("name", ["rand", "randn"])
def test_random_float_first_size_is_an_invalid_combination(name):
    with pytest.raises(TypeError, match=rf"^{name}\(\) received an invalid combination of arguments - "
                                        r"got \(float, int\), but expected one of:"):
        getattr(fg, name)(2.5, 2)


def test_a_first_size_element_is_checked_as_pos_0():
    with pytest.raises(TypeError, match=r"^zeros\(\): argument 'size' \(position 1\) must be tuple of ints, but found "
                                        r"element of type numpy\.float32 at pos 0$"):
        fg.zeros((np.float32(2), 3))
    with pytest.raises(TypeError, match=r"found element of type bool at pos 0"):
        fg.zeros([True, 2])


def test_integer_size_elements_that_the_parser_reads_as_ints():
    assert tuple(fg.zeros((fg.tensor([2]), 3)).shape) == (2, 3)
    assert tuple(fg.ones(3, fg.tensor(2)).shape) == (3, 2)
    assert tuple(fg.empty((2, np.array(2))).shape) == (2, 2)
    assert tuple(fg.zeros([2, True]).shape) == (2, 1)
    assert tuple(fg.rand(fg.Size([2, 1])).shape) == (2, 1)
    assert tuple(fg.zeros(np.int64(3)).shape) == (3,)


# ---- arange / range / tensor / randint / cat ---------------------------------------------


@pytest.mark.parametrize("value,name", [("a", "str"), (None, "NoneType"), ([1], "list"),
                                        (np.array([3]), "numpy.ndarray")])
def test_arange_one_non_number_is_named_as_end(value, name):
    with pytest.raises(TypeError, match=rf"^arange\(\): argument 'end' \(position 1\) must be Number, not {name}$"):
        fg.arange(value)


@pytest.mark.parametrize("args,got", [((1, "a"), "int, str"), (("a", 2), "str, int"), ((1, None), "int, NoneType"),
                                      ((1, 2, None), "int, int, NoneType")])
def test_arange_several_with_a_non_number_are_an_invalid_combination(args, got):
    with pytest.raises(TypeError, match=rf"^arange\(\) received an invalid combination of arguments - got \({got}\)"):
        fg.arange(*args)


def test_arange_numbers_still_work():
    assert fg.arange(np.bool_(True)).tolist() == [0.0]
    assert fg.arange(np.int32(3)).tolist() == [0, 1, 2]
    assert fg.arange(1, 7, 2).tolist() == [1, 3, 5]
    assert fg.arange(fg.tensor(3)).dtype == fg.int64
    assert fg.arange(end=3).tolist() == [0, 1, 2]


def test_range_without_end_refuses_before_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(TypeError, match=r'^range\(\) missing 1 required positional arguments: "end"$'):
            fg.range(3)


def test_tensor_without_data():
    with pytest.raises(TypeError, match=r'^tensor\(\) missing 1 required positional arguments: "data"$'):
        fg.tensor()


def test_tensor_refuses_a_byte_swapped_array():
    with pytest.raises(ValueError, match="given numpy array has byte order different from the native byte order"):
        fg.tensor(np.array([1.0], dtype=">f4"))
    assert fg.tensor(np.array([1.5], dtype="<f4")).tolist() == [1.5]


@pytest.mark.parametrize("args,got", [((3,), "int"), ((1.5, 3.5, (3,)), "float, float, tuple"),
                                      ((1, 3.5, (3,)), "int, float, tuple"), ((1, None, (2,)), "int, NoneType, tuple"),
                                      ((), "")])
def test_randint_invalid_combinations(args, got):
    with pytest.raises(TypeError, match=rf"^randint\(\) received an invalid combination of arguments - got \({got}\), "
                                        r"but expected one of:\n \* \(int high, tuple of ints size, \*, "):
        fg.randint(*args)


def test_randint_two_arguments_name_the_bad_one():
    with pytest.raises(TypeError, match=r"^randint\(\): argument 'size' \(position 2\) must be tuple of ints, not int$"):
        fg.randint(3, 5)
    with pytest.raises(TypeError, match=r"^randint\(\): argument 'high' \(position 1\) must be int, not float$"):
        fg.randint(1.5, 3)
    with pytest.raises(TypeError, match=r"^randint\(\): argument 'high' \(position 1\) must be int, not NoneType$"):
        fg.randint(None, (2,))


def test_randint_good_calls():
    g = fg.Generator().manual_seed(0)
    t = fg.randint(3, 10, (200,), generator=g)
    assert t.dtype == fg.int64 and tuple(t.shape) == (200,)
    assert 3 <= t.min().item() and t.max().item() < 10
    assert tuple(fg.randint(3, size=(2, 2)).shape) == (2, 2)
    assert tuple(fg.randint(high=3, size=[4]).shape) == (4,)
    assert fg.randint(5, (2,), dtype=fg.float32).dtype == fg.float32


@pytest.mark.parametrize("name", ["cat", "stack"])
@pytest.mark.parametrize("value,what", [(1, "int"), (None, "NoneType"), ("ab", "str"), ({1}, "set"),
                                        ((x for x in [1]), "generator")])
def test_cat_and_stack_take_only_a_list_or_tuple(name, value, what):
    with pytest.raises(TypeError, match=rf"^{name}\(\): argument 'tensors' \(position 1\) must be tuple of Tensors, "
                                        rf"not {what}$"):
        getattr(fg, name)(value)


@pytest.mark.parametrize("name", ["zeros_like", "ones_like", "empty_like"])
@pytest.mark.parametrize("value,what", [([1], "list"), (3, "int"), (None, "NoneType")])
def test_like_factories_need_a_tensor(name, value, what):
    with pytest.raises(TypeError, match=rf"^{name}\(\): argument 'input' \(position 1\) must be Tensor, not {what}$"):
        getattr(fg, name)(value)
