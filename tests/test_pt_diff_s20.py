"""Session 20 differences from PyTorch 2.13 (CPU) in what rests on its random streams
(random_/randint draws, in-place draws on strided tensors, sparse_, Dirichlet gradients,
randperm's checks, default_collate, Generator methods) and in tensor plumbing (deepcopy,
resize_, set_, save/load, pickling). Expected values, types and messages are PyTorch's;
the file also runs against PyTorch (`FG_TEST_BACKEND=torch`)."""

import collections
import copy
import io
import os
import re
import tempfile
import warnings

import numpy as np
import pytest
from backend import MOD, fg


def raises(kind, fragment):
    return pytest.raises(kind, match=re.escape(fragment))


# ---- 1. random_() and random_(from, to) draw as PyTorch's kernels ---------------------------

# random_() takes one 32-bit draw per element except in int64/float64 (seed 0)
RANDOM_FULL = {
    "int32": [209652396, 398764591, 924231285, 1478610112, 441365315],
    "int8": [44, 47, 117, 64, 67],
    "uint8": [172, 47, 117, 192, 67],
    "int16": [2732, 10799, 9845, 19648, 13123],
    "bool": [False, True, True, False, True],
    "float16": [1277.0, 1017.0, 1661.0, 999.0, 982.0],
    "bfloat16": [149.0, 179.0, 47.0, 62.0, 69.0],
}


@pytest.mark.parametrize("dtype", sorted(RANDOM_FULL))
def test_random_without_bounds_draws_32_bits_per_element(dtype):
    fg.manual_seed(0)
    assert fg.empty(5, dtype=getattr(fg, dtype)).random_().tolist() == RANDOM_FULL[dtype]


def test_a_range_of_2_to_the_28_or_more_draws_64_bits():
    fg.manual_seed(0)
    assert fg.empty(3, dtype=fg.int64).random_(0, 2**31).tolist() == [398764591, 1478610112, 1537364731]
    fg.manual_seed(0)
    assert fg.randint(2**28, (3,)).tolist() == [130329135, 136432832, 195187451]
    assert fg.randint(2**28 - 1, (3,)).tolist() == [192771787, 149257588, 208970767]


def test_float_bounds_move_to_representable_values_and_warn():
    fg.manual_seed(0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        values = fg.empty(3).random_(0, 2**29).tolist()
    # `to` becomes 2**29 - 32, the last float32 whose predecessor is exact
    assert values == [382722848.0, 248052128.0, 173420832.0]
    assert [str(w.message).split(" (Triggered")[0] for w in caught] == [
        ("to - 1 is out of bounds [-(2^24), 2^24]. Due to precision limitations float can support discrete "
        "uniform distribution only within this range. This warning will become an error in version 1.7 "
        "release, please fix the code in advance")]


def test_randint_like_warns_once():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fg.randint_like(fg.ones(2), 2**30)
    assert len(caught) == 1


# ---- 2. in-place draws land in memory order; normal_ on a strided tensor draws serially ------

def test_normal_on_a_transposed_tensor_draws_one_normal_at_a_time_in_memory_order():
    fg.manual_seed(0)
    y = fg.zeros(3, 6)
    y.t().normal_()
    np.testing.assert_allclose(y[0].tolist(), [1.5409960747, -0.2934288979, -2.1787893772, 0.5684312582,
                                               -1.0845223665, -1.3985954523], rtol=1e-6)
    np.testing.assert_allclose(y[2, -2:].tolist(), [-0.5663174987, 0.3731146455], rtol=1e-6)


@pytest.mark.parametrize(("op", "expected"), [
    (lambda t: t.exponential_(), [[3.508326292, 1.2303847075, 0.615044117], [2.5351185799, 1.0357054472,
                                                                               1.56612885]]),
    (lambda t: t.random_(100), [[44.0, 39.0, 33.0], [60.0, 63.0, 79.0]]),
    (lambda t: t.geometric_(0.3), [[1.0, 1.0, 3.0], [1.0, 2.0, 1.0]]),
])
def test_in_place_draws_on_a_transposed_tensor_follow_memory(op, expected):
    fg.manual_seed(0)
    y = fg.zeros(2, 3)
    op(y.t())
    np.testing.assert_allclose(y.tolist(), expected, rtol=1e-6)


def test_bernoulli_on_a_transposed_tensor_follows_memory():
    fg.manual_seed(0)
    y = fg.zeros(3, 4)
    y.t().bernoulli_(0.5)
    assert y.tolist() == [[0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 1.0, 1.0]]


def test_randn_like_of_a_transposed_tensor_draws_serially_in_its_memory_order():
    fg.manual_seed(0)
    r = fg.randn_like(fg.ones(4, 5).t())
    assert r.stride() == (1, 5)
    np.testing.assert_allclose(r[0].tolist(), [1.5409960747, -1.3985954523, -0.5966353417, 0.1227012426], rtol=1e-6)
    np.testing.assert_allclose(r[-1].tolist(), [-1.0845223665, -0.4033435285, -1.071187377, -1.5091077089],
                               rtol=1e-6)


def test_dropout_mask_of_a_transposed_input_follows_its_memory():
    fg.manual_seed(0)
    out = fg.nn.functional.dropout(fg.ones(4, 6).t(), 0.5)
    assert out.tolist() == [[0.0, 2.0, 2.0, 0.0], [0.0, 2.0, 0.0, 0.0], [2.0, 0.0, 2.0, 2.0],
                            [0.0, 2.0, 2.0, 0.0], [0.0, 2.0, 2.0, 2.0], [0.0, 2.0, 2.0, 0.0]]


def test_multinomial_of_transposed_probabilities():
    fg.manual_seed(0)
    p = fg.tensor([[0.1, 0.5, 0.2, 0.9], [0.3, 0.3, 0.6, 0.2], [0.8, 0.4, 0.1, 0.5]]).t()
    assert fg.multinomial(p, 2).tolist() == [[2, 1], [2, 0], [1, 0], [2, 1]]
    assert fg.multinomial(p, 1, True).tolist() == [[2], [1], [2], [0]]


# ---- 3. nn.init.sparse_ and Dirichlet/Beta reparameterized gradients -------------------------

def test_sparse_init_draws_the_zeroed_rows_from_the_global_stream():
    g = fg.Generator().manual_seed(7)
    w = fg.empty(4, 3)
    fg.manual_seed(0)
    fg.nn.init.sparse_(w, 0.5, generator=g)
    assert (w == 0).int().tolist() == [[1, 1, 0], [1, 0, 0], [0, 1, 1], [0, 0, 1]]


def test_dirichlet_grad_uses_pytorchs_approximations_in_each_regime():
    # x near 0, the rational fit, alpha and beta large, x near 1, ...
    x = fg.tensor([0.05, 0.3, 0.5, 0.97, 0.45, 0.6], dtype=fg.float64)
    alpha = fg.tensor([0.5, 2.0, 10.0, 3.0, 1.5, 20.0], dtype=fg.float64)
    total = fg.tensor([1.0, 5.0, 21.0, 3.5, 3.0, 33.0], dtype=fg.float64)
    np.testing.assert_allclose(fg._dirichlet_grad(x, alpha, total).tolist(),
                               [0.3723063222925671, 0.19929845136598934, 0.050403564601177765,
                                0.35511963686251075, 0.39295661626674566, 0.030711878579819794], rtol=1e-8)


def test_beta_rsample_gradient_matches_pytorchs():
    a = fg.tensor([2.0, 3.0], dtype=fg.float64, requires_grad=True)
    fg.manual_seed(0)
    s = fg.distributions.Beta(a, a + 1).rsample()
    s.sum().backward()
    np.testing.assert_allclose(s.tolist(), [0.6726440839706622, 0.4422283930044009], rtol=1e-10)
    np.testing.assert_allclose(a.grad.tolist(), [-0.010808501717432584, 0.02155100211779562], rtol=1e-7)


# ---- 4. randperm's checks -------------------------------------------------------------------

@pytest.mark.parametrize(("n", "dtype", "kind", "message"), [
    (-1, "int64", RuntimeError, "Trying to create tensor with negative dimension -1: [-1]"),
    (-1, "bool", RuntimeError, "Trying to create tensor with negative dimension -1: [-1]"),
    (129, "int8", RuntimeError, "value cannot be converted to type int8_t without overflow"),
    (257, "uint8", RuntimeError, "value cannot be converted to type uint8_t without overflow"),
    (2**31 + 1, "int32", RuntimeError, "value cannot be converted to type int without overflow"),
    (2050, "float16", RuntimeError, "n cannot be greater than 2049 for Half type."),
    (2**24 + 2, "float32", RuntimeError, "n cannot be greater than 2^24+1 for Float type."),
    (200, "bool", NotImplementedError, "\"randperm\" not implemented for 'Bool'"),
])
def test_randperm_refuses(n, dtype, kind, message):
    with raises(kind, message):
        fg.randperm(n, dtype=getattr(fg, dtype))


def test_randperm_at_the_limits():
    assert fg.randperm(128, dtype=fg.int8).max().item() == 127
    assert fg.randperm(2049, dtype=fg.float16).max().item() == 2048.0


# ---- 5. default_collate by PyTorch's table of element types ----------------------------------

def test_collate_keeps_strings_as_their_tuple_and_stacks_numpy_scalars():
    out = fg.utils.data.default_collate([(1, 2.0, "x"), (3, 4.0, "y")])
    assert isinstance(out, list) and out[2] == ("x", "y")
    assert out[1].dtype == fg.float64
    ints = fg.utils.data.default_collate([np.int32(1), np.int32(2)])
    assert ints.dtype == fg.int32 and ints.tolist() == [1, 2]
    assert fg.utils.data.default_collate([True, False]).dtype == fg.bool


def test_collate_keeps_a_named_tuple_and_the_graph():
    point = collections.namedtuple("point", "x y")
    out = fg.utils.data.default_collate([point(1, 2.0), point(3, 4.0)])
    assert type(out) is point and out.x.tolist() == [1, 3]
    x = fg.ones(2, requires_grad=True)
    stacked = fg.utils.data.default_collate([x, x])
    assert stacked.requires_grad and stacked.grad_fn.name() == "StackBackward0"


@pytest.mark.parametrize(("batch", "kind", "message"), [
    ([[1, 2], [3]], RuntimeError, "each element in list of batch should be of equal size"),
    ([object(), object()], TypeError,
     "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found <class 'object'>"),
    ([np.array(["a"]), np.array(["b"])], TypeError,
     "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found <U1"),
])
def test_collate_refuses(batch, kind, message):
    with raises(kind, message):
        fg.utils.data.default_collate(batch)


# ---- 6. Generator methods ----------------------------------------------------------------------

def test_generator_class_and_methods():
    g = fg.Generator().manual_seed(3)
    assert type(g).__module__ == f"{MOD}._C" and type(g).__name__ == "Generator"
    clone = g.clone_state()
    assert clone.initial_seed() == 3
    assert fg.rand(2, generator=clone).tolist() == fg.rand(2, generator=g).tolist()
    with raises(RuntimeError, "CPU Generator does not use offset"):
        g.get_offset()
    with raises(RuntimeError, "CPU Generator does not use offset"):
        g.set_offset(5)
    with raises(NotImplementedError, "graphsafe_get_state is not supported in this Generator"):
        g.graphsafe_get_state()


# ---- 7. messages of uniform_ and bernoulli -----------------------------------------------------

@pytest.mark.parametrize(("dtype", "name"), [("int64", "Long"), ("bool", "Bool"), ("int8", "Char")])
def test_uniform_on_integers_names_check_uniform_bounds(dtype, name):
    with raises(NotImplementedError, f"\"check_uniform_bounds\" not implemented for '{name}'"):
        fg.empty(2, dtype=getattr(fg, dtype)).uniform_()


def test_bernoulli_probability_out_of_range_message():
    with raises(RuntimeError, "Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error "
                              "message be improved?  If so, please report an enhancement request to PyTorch.)"):
        fg.bernoulli(fg.tensor([1.5]))


# ---- 8. deepcopy, resize_, set_ ------------------------------------------------------------------

def test_deepcopy_shares_the_storage_of_tensors_copied_together():
    base = fg.arange(4.0)
    b2, v2 = copy.deepcopy((base, base[1:]))
    b2[1] = 50
    assert v2.tolist() == [50.0, 2.0, 3.0]
    assert v2._base is None and v2.storage_offset() == 1
    d = copy.deepcopy(fg.arange(6.0).view(2, 3)[1:])
    assert d.storage_offset() == 3 and d.untyped_storage().nbytes() == 24


def test_resize_to_the_same_shape_keeps_the_strides():
    z = fg.ones(2, 3).t()
    z.resize_(3, 2)
    assert z.stride() == (1, 3)
    z.resize_(3, 2, memory_format=fg.contiguous_format)
    assert z.stride() == (2, 1)
    with raises(RuntimeError, "numel: integer multiplication overflow"):
        fg.ones(2).resize_(2, -1)


def test_set_names_the_cpp_types():
    with raises(RuntimeError, "Could not set tensor of type long int to a tensor of type float"):
        fg.ones(3).set_(fg.ones(2, dtype=fg.int64))
    with raises(RuntimeError, "Could not set tensor of type c10::complex<float> to a tensor of type float"):
        fg.ones(3).set_(fg.ones(2, dtype=fg.complex64))


# ---- 9. save and load -----------------------------------------------------------------------------

def test_save_refuses_a_missing_parent_directory():
    path = os.path.join(tempfile.mkdtemp(), "missing", "t.pt")
    with raises(RuntimeError, f"Parent directory {os.path.dirname(path)} does not exist."):
        fg.save(fg.ones(1), path)


def test_save_refuses_a_local_function_with_attribute_error():
    with raises(AttributeError, "Can't pickle local object"):
        fg.save(lambda: 1, io.BytesIO())

    def local():
        return 1

    with raises(AttributeError, "Can't pickle local object"):
        fg.save({"f": local}, io.BytesIO())


def test_load_to_cuda_without_cuda():
    buf = io.BytesIO()
    fg.save(fg.ones(2), buf)
    buf.seek(0)
    with raises(RuntimeError, "Attempting to deserialize object on a CUDA device but torch.cuda.is_available() "
                              "is False."):
        fg.load(buf, map_location="cuda")
