"""Bad arguments PyTorch refuses where ferrograd took them or raised otherwise (session 33 fuzz24)."""

import pytest
from backend import fg

DIV_OUT = (r"^div\(\) received an invalid combination of arguments - got \(Tensor, Tensor, out={}\), "
           r"but expected one of:")


@pytest.mark.parametrize("out, kind", [("abc", "str"), ("list", "list"), ("tuple", "tuple")])
def test_normalize_hands_out_to_div(out, kind):
    x = fg.ones(2, 3)
    given = {"list": [x], "tuple": (x, x)}.get(out, out)
    with pytest.raises(TypeError, match=DIV_OUT.format(kind)):
        fg.nn.functional.normalize(x, out=given)


def test_normalize_writes_a_tensor_out():
    out = fg.empty(2, 3)
    assert fg.nn.functional.normalize(fg.ones(2, 3), out=out) is out
    assert abs(out[0, 0].item() - 0.5773502588272095) < 1e-6


def test_rsub_takes_alpha_by_keyword_beside_a_tensor():
    with pytest.raises(TypeError, match=r"^rsub\(\) received an invalid combination of arguments - "
                                        r"got \(Tensor, Tensor, int\), but expected one of:"):
        fg.rsub(fg.ones(2, 3), fg.ones(2, 3), 1)


def test_rsub_takes_alpha_by_position_beside_a_number():
    assert fg.rsub(fg.ones(2), 2, 3).tolist() == [-1.0, -1.0]


def test_rsub_refuses_a_fourth_positional_argument():
    with pytest.raises(TypeError, match=r"got \(Tensor, int, int, int\)"):
        fg.rsub(fg.ones(2), 2, 3, 4)


def test_max_method_refuses_dim_beside_other():
    x = fg.ones(2, 3)
    with pytest.raises(TypeError, match=r"^max\(\): argument 'dim' \(position 1\) must be int, not Tensor$"):
        x.max(x, other=x)


def test_min_method_refuses_other_with_an_int_dim():
    x = fg.ones(2, 3)
    with pytest.raises(TypeError, match=r"^min\(\) got an unexpected keyword argument 'other'$"):
        x.min(0, other=x)


def test_max_function_refuses_dim_beside_other():
    x = fg.ones(2, 3)
    with pytest.raises(TypeError, match=r"^max\(\) received an invalid combination of arguments - "
                                        r"got \(Tensor, Tensor, other=Tensor\)"):
        fg.max(x, x, other=x)


def test_max_method_takes_other_alone():
    assert x_max_other() == [[1.0, 2.0]]


def x_max_other():
    x = fg.tensor([[1.0, 0.0]])
    return x.max(other=fg.tensor([[0.0, 2.0]])).tolist()


@pytest.mark.parametrize("name", ["rnn_tanh_cell", "rnn_relu_cell"])
@pytest.mark.parametrize("spoiled, error, message", [
    (0, IndexError, "Dimension specified as 1 but tensor has no dimensions"),
    (1, IndexError, "Dimension specified as 0 but tensor has no dimensions"),
    (2, IndexError, "Dimension specified as 0 but tensor has no dimensions"),
    (3, IndexError, "Dimension specified as 1 but tensor has no dimensions"),
])
def test_rnn_cell_refuses_a_zero_dim_operand(name, spoiled, error, message):
    args = [fg.ones(2, 3), fg.ones(2, 3), fg.ones(3, 3), fg.ones(3, 3)]
    args[spoiled] = fg.tensor(1.0)
    with pytest.raises(error, match=f"^{message}$"):
        getattr(fg, name)(*args)


@pytest.mark.parametrize("shapes, message", [
    ([(2, 3), (2, 4), (5, 3), (4, 6)], "weight_ih first dim must be 1 * hidden_size = 6, but got 5"),
    ([(2, 3), (2, 4), (4,), (5, 4)], "weight_hh first dim must be 1 * hidden_size = 4, but got 5"),
    ([(2, 3), (4,), (4, 3), (4, 4)], "Input batch size 2 doesn't match hidden0 batch size 4"),
    ([(2, 5), (2, 4), (4, 3), (4, 4)], "input has inconsistent input_size: got 5 expected 3"),
    ([(2, 3), (2, 5), (4, 3), (4, 4)], "hidden0 has inconsistent hidden_size: got 5, expected 4"),
    ([(0, 3), (3, 3), (3, 3), (3, 3)], "Input batch size 0 doesn't match hidden0 batch size 3"),
])
def test_rnn_cell_checks_sizes_in_pytorch_order(shapes, message):
    with pytest.raises(RuntimeError) as caught:
        fg.rnn_tanh_cell(*[fg.ones(*s) for s in shapes])
    assert str(caught.value).split("\n")[0] == message


def test_rnn_cell_runs_a_good_step():
    assert list(fg.rnn_relu_cell(fg.ones(2, 3), fg.ones(2, 4), fg.ones(4, 3), fg.ones(4, 4)).shape) == [2, 4]


# ---- fake_quantize_per_channel_affine: a floating zero point is not range-checked

def test_fake_quantize_per_channel_takes_a_float_zero_point_out_of_range():
    x = (fg.ones(2, 3) * 3).requires_grad_()
    out = fg.fake_quantize_per_channel_affine(x, fg.ones(2) * 0.5, fg.tensor([300.0, 1.0]), 0, 0, 255)
    assert out.tolist() == [[-22.5, -22.5, -22.5], [3.0, 3.0, 3.0]]
    out.sum().backward()
    assert x.grad.tolist() == [[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]]


def test_fake_quantize_per_channel_range_checks_an_int_zero_point():
    zero_point = fg.tensor([300, 1], dtype=fg.int32)
    with pytest.raises(RuntimeError, match="^`zero_point` must be between `quant_min` and `quant_max`.$"):
        fg.fake_quantize_per_channel_affine(fg.ones(2, 3), fg.ones(2), zero_point, 0, 0, 255)


def test_fake_quantize_per_channel_refuses_an_integer_input_by_its_kernel():
    with pytest.raises(NotImplementedError, match='^"fake_quantize_channel_cachemask_cpu_type_handling" '
                                                  "not implemented for 'Long'$"):
        fg.fake_quantize_per_channel_affine(fg.ones(2, 3).long(), fg.ones(2), fg.ones(2), 0, 0, 255)


# ---- block sparse tensors: values of few dimensions stand under a given size, unchecked

@pytest.mark.parametrize("name", ["sparse_bsr_tensor", "sparse_bsc_tensor"])
@pytest.mark.parametrize("size", [[1], [2, 3, 4], []])
@pytest.mark.filterwarnings("ignore")
def test_block_sparse_takes_values_of_few_dimensions_under_a_size(name, size):
    x = fg.ones(2, 3)
    t = getattr(fg, name)(x, x, x, size)
    assert list(t.shape) == size
    assert list(t.values().shape) == [2, 3]
    assert t.dtype == fg.float32


@pytest.mark.parametrize("kwargs", [{}, {"check_invariants": True}])
@pytest.mark.filterwarnings("ignore")
def test_block_sparse_checks_values_dimensions_when_inferring_or_checking(kwargs):
    x = fg.ones(2, 3)
    size = () if not kwargs else ([2, 3, 4],)
    with pytest.raises(RuntimeError, match=r"^values must have dimensionality > sum of batch and block "
                                           r"dimensionalities \(=1 \+ 2\) but got 2$"):
        fg.sparse_bsr_tensor(x, x, x, *size, **kwargs)


# ---- the hot functions' refusals are PyTorch's parser's

ARANGE_COMBINATION = r"^arange\(\) received an invalid combination of arguments - got {}, but expected one of:"
WHERE_COMBINATION = r"^where\(\) received an invalid combination of arguments - got {}, but expected one of:"


@pytest.mark.parametrize("args, kwargs, got", [
    ((1, 2), {"bogus_kw": 1}, r"\(int, int, bogus_kw=int\)"),
    ((1, 2, 1, 1, 1), {}, r"\(int, int, int, int, int\)"),
    ((1, 2), {"start": 1}, r"\(int, int, start=int\)"),
    ((1, 2), {"device": 1.5}, r"\(int, int, device=float\)"),
    ((1, 2), {"step": "a"}, r"\(int, int, step=str\)"),
])
def test_arange_refuses_in_the_parser_words(args, kwargs, got):
    with pytest.raises(TypeError, match=ARANGE_COMBINATION.format(got)):
        fg.arange(*args, **kwargs)


def test_arange_refuses_a_one_element_tensor_bound_by_listing():
    with pytest.raises(TypeError, match=ARANGE_COMBINATION.format(r"\(Tensor, int\)")):
        fg.arange(fg.tensor([2]), 2)


def test_arange_listing_names_every_keyword():
    with pytest.raises(TypeError) as caught:
        fg.arange("abc", 2)
    assert " * (Number end, *, Tensor out = None, ferrograd.dtype dtype = None, ferrograd.layout layout = None, " \
           "ferrograd.device device = None, bool pin_memory = False, bool requires_grad = False)\n" \
        in str(caught.value).replace("torch.", "ferrograd.")


@pytest.mark.parametrize("extra, kwargs, message", [
    ((), {"bogus_kw": 1}, "where() got an unexpected keyword argument 'bogus_kw'"),
    (("c",), {}, "where() takes 3 positional arguments but 4 were given"),
    ((), {"condition": "c"}, "where() got multiple values for argument 'condition'"),
])
def test_where_refuses_in_the_parser_words(extra, kwargs, message):
    x = fg.ones(2, 3)
    c = x > 0
    extra = tuple(c if e == "c" else e for e in extra)
    kwargs = {k: c if v == "c" else v for k, v in kwargs.items()}
    with pytest.raises(TypeError) as caught:
        fg.where(c, x, x, *extra, **kwargs)
    assert str(caught.value) == message


def test_where_with_the_condition_alone_lists_its_overloads():
    with pytest.raises(TypeError, match=WHERE_COMBINATION.format(r"\(Tensor, bogus_kw=int\)")):
        fg.where(fg.ones(2) > 0, bogus_kw=1)


@pytest.mark.parametrize("args, kwargs, message", [
    (((2,), "abc"), {}, "full(): argument 'fill_value' (position 2) must be Number, not str"),
    (((2,), None), {}, "full(): argument 'fill_value' (position 2) must be Number, not NoneType"),
    (((2,), [2]), {}, "full(): argument 'fill_value' (position 2) must be Number, not list"),
    (((2,), 1.0), {"device": 1.5}, "full(): argument 'device' must be ferrograd.device, not float"),
    (((2,), 1.0), {"bogus_kw": 1}, "full() got an unexpected keyword argument 'bogus_kw'"),
    (((2,), 1.0, 2), {}, "full() takes 2 positional arguments but 3 were given"),
    ((2, 1.0), {}, "full(): argument 'size' (position 1) must be tuple of ints, not int"),
])
def test_full_refuses_in_the_parser_words(args, kwargs, message):
    with pytest.raises(TypeError) as caught:
        fg.full(*args, **kwargs)
    assert str(caught.value).replace("torch.", "ferrograd.") == message


def test_hot_functions_still_answer_good_calls():
    assert fg.arange(0, 6, 2).tolist() == [0, 2, 4]
    assert fg.full((2,), 1.5).tolist() == [1.5, 1.5]
    assert fg.where(fg.tensor([True, False]), 1.0, 0.0).tolist() == [1.0, 0.0]


@pytest.mark.parametrize("scale, zero_point, axis, error, message", [
    ([2, 2], [2], 0, RuntimeError, "scale should be a 1-D tensor"),
    ([2], [2, 2], 0, RuntimeError, "zero point should be a 1-D tensor"),
    ([3], [2], 0, RuntimeError, "scale and zero-point need to have the same dimensions"),
    ([3], [3], 0, RuntimeError, "dimensions of scale and zero-point are not consistent with input tensor"),
    ([2], [2], 5, IndexError, r"Dimension out of range (expected to be in range of [-2, 1], but got 5)"),
    ([3], [3], -1, RuntimeError, "`axis` must be between 0 and number of dimensions of input"),
])
def test_fake_quantize_per_channel_checks_shapes_in_pytorch_order(scale, zero_point, axis, error, message):
    with pytest.raises(error) as caught:
        fg.fake_quantize_per_channel_affine(fg.ones(2, 3), fg.ones(*scale), fg.ones(*zero_point), axis, 0, 255)
    assert str(caught.value) == message


def test_fake_quantize_per_channel_refuses_a_zero_dim_input_by_its_size():
    with pytest.raises(IndexError, match="^Dimension specified as 0 but tensor has no dimensions$"):
        fg.fake_quantize_per_channel_affine(fg.tensor(1.0), fg.ones(1), fg.ones(1), 0, 0, 255)


@pytest.mark.parametrize("spoiled", ["scale", "zero_point"])
def test_fake_quantize_per_channel_refuses_a_quantization_parameter_requiring_grad(spoiled):
    params = {"scale": fg.ones(2), "zero_point": fg.ones(2)}
    params[spoiled].requires_grad_()
    with pytest.raises(RuntimeError, match=f"^The function 'fake_quantize_per_channel_affine_cachemask' is not "
                                           f"differentiable with respect to argument '{spoiled}'"):
        fg.fake_quantize_per_channel_affine(fg.ones(2, 3), params["scale"], params["zero_point"], 0, 0, 255)


def test_fake_quantize_per_channel_takes_a_zero_dim_int_tensor_bound():
    out = fg.fake_quantize_per_channel_affine(fg.ones(2, 3), fg.ones(2), fg.ones(2), 0, 0, fg.tensor(1))
    assert out.tolist() == [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
