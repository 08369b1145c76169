"""The hottest Tensor methods, written in the core, refuse arguments of the wrong type
with PyTorch's parser errors (they gave pyo3's bare extraction messages, such as
"'str' object cannot be interpreted as an integer"), while good calls, errors about
values and tensor-like arguments behave as before."""

import pytest
from backend import fg

# (call, PyTorch's whole message) for calls refused for an argument's type
REFUSED = [
    (lambda x: x.select("1", 0), "select(): argument 'dim' (position 1) must be int, not str"),
    (lambda x: x.transpose(None, 1), "transpose(): argument 'dim0' (position 1) must be int, not NoneType"),
    (lambda x: x.flatten(start_dim=1.5), "flatten(): argument 'start_dim' must be int, not float"),
    (lambda x: x.stride(dim="1"), "stride(): argument 'dim' must be int, not str"),
    (lambda x: x.mul("abc"), "mul(): argument 'other' (position 1) must be Tensor, not str"),
    (lambda x: x.div(None), "div(): argument 'other' (position 1) must be Tensor, not NoneType"),
    (lambda x: x.copy_("a"), "copy_(): argument 'other' (position 1) must be Tensor, not str"),
    (lambda x: x.maximum(1.5), "maximum(): argument 'other' (position 1) must be Tensor, not float"),
    (lambda x: x.unsqueeze("1"), "unsqueeze(): argument 'dim' (position 1) must be int, not str"),
    (lambda x: x.permute(None), "permute(): argument 'dims' (position 1) must be tuple of ints, not NoneType"),
    (lambda x: x.amax(dim=[1.5]), "amax(): argument 'dim' must be tuple of ints, not list"),
    (lambda x: x.expand([1.5]),
     "expand(): argument 'size' (position 1) must be tuple of ints, but found element of type float at pos 0"),
    (lambda x: x.reshape([1.5]),
     "reshape(): argument 'shape' (position 1) must be tuple of ints, but found element of type float at pos 0"),
]


@pytest.mark.parametrize(("call", "message"), REFUSED)
def test_wrong_argument_type_gets_the_parser_message(call, message):
    with pytest.raises(TypeError) as raised:
        call(fg.ones(2, 3))
    assert str(raised.value) == message


# (call, the start of PyTorch's message) for methods with several overloads
OVERLOADED = [
    (lambda x: x.view([1.5]), "view() received an invalid combination of arguments - got (list), but expected one of:"),
    (lambda x: x.eq("a"), "eq() received an invalid combination of arguments - got (str), but expected one of:"),
    (lambda x: x.divide("a"), "divide() received an invalid combination of arguments - got (str), but expected one of:"),
    (lambda x: x.clamp(min="a"), "clamp() received an invalid combination of arguments - got (min=str, ), but"),
    (lambda x: x.all("1"), "all() received an invalid combination of arguments - got (str), but expected one of:"),
    (lambda x: x.any(dim=[[1]]), "any() received an invalid combination of arguments - got (dim=list, ), but"),
    (lambda x: x.squeeze([1.5]), "squeeze() received an invalid combination of arguments - got (list), but"),
    (lambda x: x.div(2, bogus=1), "div() received an invalid combination of arguments - got (int, bogus=int), but"),
]


@pytest.mark.parametrize(("call", "start"), OVERLOADED)
def test_overloaded_method_lists_its_signatures(call, start):
    with pytest.raises(TypeError) as raised:
        call(fg.ones(2, 3))
    assert str(raised.value).startswith(start)


def test_missing_and_extra_arguments_are_the_parsers_errors():
    x = fg.ones(2, 3)
    with pytest.raises(TypeError, match=r'^select\(\) missing 1 required positional arguments: "index"$'):
        x.select(0)
    with pytest.raises(TypeError, match=r"^select\(\) takes 2 positional arguments but 3 were given$"):
        x.select(0, 1, 2)


def test_value_errors_keep_their_own_type_and_text():
    x = fg.ones(2, 3)
    with pytest.raises(IndexError, match=r"^select\(\): index 5 out of range for tensor of size \[2, 3\] at dimension 0$"):
        x.select(0, 5)
    with pytest.raises(RuntimeError, match=r"^div expected rounding_mode to be one of None, 'trunc', or 'floor' "):
        x.div(2, rounding_mode="bad")
    with pytest.raises(IndexError, match=r"Dimension out of range \(expected to be in range of \[-2, 1\], but got 5\)"):
        x.transpose(0, 5)


def test_good_calls_are_unchanged():
    x = fg.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    assert x.select(1, 2).tolist() == [3.0, 6.0]
    assert x.transpose(0, 1).tolist() == [[1.0, 4.0], [2.0, 5.0], [3.0, 6.0]]
    assert x.div(2, rounding_mode="floor").tolist() == [[0.0, 1.0, 1.0], [2.0, 2.0, 3.0]]
    assert x.mul(x).sum().item() == 91.0
    assert x.reshape(6).tolist() == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    assert x.amax(dim=1).tolist() == [3.0, 6.0]


def test_tensor_like_argument_still_takes_the_call():
    class Like:
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            return "answered"

    assert fg.ones(2).mul(Like()) == "answered"


def test_refused_in_place_call_writes_nothing():
    x = fg.ones(2)
    with pytest.raises(TypeError, match=r"^mul_\(\): argument 'other' \(position 1\) must be Tensor, not str$"):
        x.mul_("a")
    assert x.tolist() == [1.0, 1.0]


def test_unknown_keyword_names_the_method_as_pytorch_does():
    x = fg.ones(2)
    with pytest.raises(TypeError, match=r"^mul\(\) got an unexpected keyword argument 'out'$"):
        x.mul(x, out=x)


# methods written in Python on the core: their refusals are the parser's too
PYTHON_BODIED = [
    (lambda x: x.split("a"), "split_with_sizes(): argument 'split_sizes' (position 2) must be tuple of ints, not str"),
    (lambda x: x.split([1.5]),
     ("split_with_sizes(): argument 'split_sizes' (position 2) must be tuple of ints, but found element of type float "
      "at pos 0")),
    (lambda x: x.chunk("a"), "chunk(): argument 'chunks' (position 1) must be int, not str"),
    (lambda x: x.new_zeros([1.5]),
     "new_zeros(): argument 'size' (position 1) must be tuple of ints, but found element of type float at pos 0"),
    (lambda x: x.new_full([1.5], 1),
     "new_full(): argument 'size' (position 1) must be tuple of ints, but found element of type float at pos 0"),
    (lambda x: x.is_set_to("a"), "is_set_to(): argument 'tensor' (position 1) must be Tensor, not str"),
    (lambda x: x.sum([1.5]), None),
    (lambda x: x.narrow("1", 0, 1), None),
]


@pytest.mark.parametrize(("call", "message"), PYTHON_BODIED)
def test_python_bodied_method_gets_the_parser_message(call, message):
    with pytest.raises(TypeError) as raised:
        call(fg.ones(2, 3))
    if message is None:  # several overloads: the parser lists them
        assert " received an invalid combination of arguments - got (" in str(raised.value)
    else:
        assert str(raised.value) == message


def test_where_method_lists_its_overloads():
    with pytest.raises(TypeError) as raised:
        fg.ones(2).where("a", 1)
    assert str(raised.value).startswith(
        "where() received an invalid combination of arguments - got (str, int), but expected one of:\n"
        " * (Tensor condition, Tensor other)\n")


@pytest.mark.parametrize("call", [
    lambda x, v: x.index_put([], v), lambda x, v: x.index_put_((), v), lambda x, v: fg.index_put(x, (), v),
])
def test_index_put_without_indices_is_refused(call):
    x = fg.zeros(2, 3)
    with pytest.raises(RuntimeError, match=r"^sym_strides\(\) called on an undefined Tensor$"):
        call(x, fg.tensor(1.0))
    assert x.tolist() == [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]


def test_accumulating_index_put_without_indices_is_refused():
    x = fg.zeros(2, 3)
    with pytest.raises(RuntimeError):  # an internal assertion in PyTorch's kernel
        x.index_put_((), fg.tensor(1.0), accumulate=True)
    assert x.tolist() == [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]


# the hottest top-level functions (no Python wrapper checks them): the parser's errors too
FUNCTIONS = [
    (lambda x: fg.div("a", x), "div(): argument 'input' (position 1) must be Tensor, not str"),
    (lambda x: fg.stack([x], dim="1"), "stack(): argument 'dim' must be int, not str"),
    (lambda x: fg.rand([1.5]), ("rand(): argument 'size' (position 1) must be tuple of ints, but found element of type "
                               "float at pos 0")),
    (lambda x: fg.add(x, "a"), "add(): argument 'other' (position 2) must be Tensor, not str"),
    (lambda x: fg.nn.functional.relu("a"), "relu(): argument 'input' (position 1) must be Tensor, not str"),
    (lambda x: fg.reshape(x, [1.5]),
     "reshape(): argument 'shape' (position 2) must be tuple of ints, but found element of type float at pos 0"),
]


@pytest.mark.parametrize(("call", "message"), FUNCTIONS)
def test_hot_function_gets_the_parser_message(call, message):
    with pytest.raises(TypeError) as raised:
        call(fg.ones(2, 3))
    assert str(raised.value) == message


@pytest.mark.parametrize(("call", "start"), [
    (lambda x: fg.clamp(x, min="a"), "clamp() received an invalid combination of arguments - got (Tensor, min=str), but"),
    (lambda x: fg.max("abc", 1), "max() received an invalid combination of arguments - got (str, int), but"),
    (lambda x: fg.pow("a", x), "pow() received an invalid combination of arguments - got (str, Tensor), but"),
    (lambda x: fg.sum(x, "a"), "sum() received an invalid combination of arguments - got (Tensor, str), but"),
])
def test_hot_overloaded_function_lists_its_signatures(call, start):
    with pytest.raises(TypeError) as raised:
        call(fg.ones(2, 3))
    assert str(raised.value).startswith(start)
    assert " * (Tensor input, " in str(raised.value)


def test_hot_function_good_call_and_value_error_are_unchanged():
    x = fg.tensor([[1.0, -2.0], [3.0, 4.0]])
    assert fg.clamp(x, 0, 1).tolist() == [[1.0, 0.0], [1.0, 1.0]]
    with pytest.raises(RuntimeError, match=r"^The size of tensor a \(2\) must match the size of tensor b \(3\)"):
        fg.add(x, fg.ones(3))


@pytest.mark.parametrize(("call", "kind"), [
    (lambda x: fg.stack([x, "abc"]), "str"), (lambda x: fg.cat((x, 1.5), 0), "float"),
    (lambda x: fg.hstack([x, "a"]), "str"), (lambda x: fg.stack([x, [1, 2]]), "list"),
])
def test_tensor_list_element_of_another_type_is_named(call, kind):
    with pytest.raises(TypeError, match=rf"^expected Tensor as element 1 in argument 0, but got {kind}$"):
        call(fg.ones(2, 3))


def test_hot_function_keeps_its_own_parser_worded_error():
    with pytest.raises(TypeError, match=r"^rand\(\): argument 'size' failed to unpack the object at pos 2 with error "
                                        r"\"type must be tuple of ints,but got float\"$"):
        fg.rand(2, 1.5)


def test_function_form_does_not_show_the_method_parser_error():
    with pytest.raises(TypeError) as raised:
        fg.clamp(fg.ones(2), min="a")
    assert " * (Tensor input, Tensor min = None, Tensor max = None, *, Tensor out = None)\n" in str(raised.value)


def _view_chain(y):
    names, node = [], y.grad_fn
    while node is not None and "AccumulateGrad" not in node.name():
        names.append(node.name())
        node = node.next_functions[0][0] if node.next_functions else None
    return names


@pytest.mark.parametrize(("index", "chain"), [
    ((slice(None), slice(1, None)), ["SliceBackward0"]),
    ((slice(None), slice(None)), ["AliasBackward0"]),
    (slice(None), ["SliceBackward0"]),  # a lone slice records its view
    ((slice(None),), ["AliasBackward0"]),
    ((0, slice(None), slice(1, None)), ["SliceBackward0", "SelectBackward0"]),
    ((slice(None), 1), ["SelectBackward0"]),
    ((None, slice(None), slice(0, 2)), ["SliceBackward0", "UnsqueezeBackward0"]),
    ((slice(0, 100),), ["AliasBackward0"]),
    ((slice(-100, 100),), ["SliceBackward0"]),  # bounds compared as written, before clamping
    ((slice(None, None, 2),), ["SliceBackward0"]),
])
def test_whole_dim_slices_record_no_view(index, chain):
    x = fg.ones(3, 4, 5, requires_grad=True)
    y = x[index]
    assert _view_chain(y) == chain
    y.sum().backward()
    assert x.grad.sum().item() == y.numel()


def _edges(y):
    return [None if node is None else node.name().rpartition(":")[2] for node, _ in y.grad_fn.next_functions]


@pytest.mark.parametrize(("call", "name", "edges"), [
    (lambda x: 2 + x, "AddBackward0", ["AccumulateGrad", None]),
    (lambda x: 2 * x, "MulBackward0", ["AccumulateGrad", None]),
    (lambda x: x % 2, "RemainderBackward0", ["AccumulateGrad"]),
    (lambda x: x.div(2, rounding_mode="floor"), "DivBackward2", ["AccumulateGrad", None]),
    (lambda x: 2 - x, "RsubBackward1", ["AccumulateGrad"]),
])
def test_number_operand_edges(call, name, edges):
    x = fg.ones(2, requires_grad=True)
    y = call(x)
    assert y.grad_fn.name() == name
    assert _edges(y) == edges


@pytest.mark.parametrize("name", ["grad_fn", "is_leaf", "shape", "dtype", "ndim", "T", "mT", "device", "layout",
                                  "itemsize", "nbytes", "is_cuda", "_version", "output_nr", "is_sparse", "H",
                                  "retains_grad"])
def test_read_only_attribute_names_the_base_class(name):
    x = fg.ones(2, 2)
    message = rf"^attribute '{name}' of '{fg.__name__}\._C\.TensorBase' objects is not writable$"
    with pytest.raises(AttributeError, match=message):
        setattr(x, name, 1)
    with pytest.raises(AttributeError, match=message):
        delattr(x, name)
    assert x.shape == (2, 2) and x.is_leaf
