"""Differences a differential sweep against PyTorch 2.13 found (issue 3): the node a
reduction with an explicit `dim=None` records, bools where an int goes, extra
positional arguments, integer inputs to the activations, shifts of bool tensors,
`count_nonzero`'s varargs dims, empty advanced indices, dual tensors, hooks on tensors
written in place, and the layout of tensors made like a channels-last one.

Every expected value is PyTorch's (the file passes with FG_TEST_BACKEND=torch).
"""

import pytest
from backend import fg

F = fg.nn.functional


def _node(t):
    return type(t.grad_fn).__name__ if t.grad_fn is not None else None


def _leaf():
    return fg.ones(2, 3, requires_grad=True)


# ---- 1. the dim overload of sum and mean -------------------------------------------

REDUCTION_NODES = [
    ("sum()", lambda x: x.sum(), "SumBackward0", ()),
    ("sum(dtype)", lambda x: x.sum(dtype=fg.float64), "SumBackward0", ()),
    ("sum(None)", lambda x: x.sum(None), "SumBackward1", ()),
    ("sum(dim=None)", lambda x: x.sum(dim=None), "SumBackward1", ()),
    ("sum(dim=None, keepdim)", lambda x: x.sum(dim=None, keepdim=True), "SumBackward1", (1, 1)),
    ("sum(dim=None, dtype)", lambda x: x.sum(dim=None, dtype=fg.float64), "SumBackward1", ()),
    ("sum(dim=())", lambda x: x.sum(dim=()), "SumBackward1", ()),
    ("sum(dim=[])", lambda x: x.sum(dim=[]), "SumBackward1", ()),
    ("sum((), keepdim)", lambda x: x.sum((), True), "SumBackward1", (1, 1)),
    ("sum(0)", lambda x: x.sum(0), "SumBackward1", (3,)),
    ("fg.sum(x)", lambda x: fg.sum(x), "SumBackward0", ()),
    ("fg.sum(x, dim=None)", lambda x: fg.sum(x, dim=None), "SumBackward1", ()),
    ("fg.sum(x, None, True)", lambda x: fg.sum(x, None, True), "SumBackward1", (1, 1)),
    ("mean()", lambda x: x.mean(), "MeanBackward0", ()),
    ("mean(dtype)", lambda x: x.mean(dtype=fg.float64), "MeanBackward0", ()),
    ("mean(dim=None)", lambda x: x.mean(dim=None), "MeanBackward1", ()),
    ("mean(dim=None, keepdim)", lambda x: x.mean(dim=None, keepdim=True), "MeanBackward1", (1, 1)),
    ("mean(dim=[])", lambda x: x.mean(dim=[]), "MeanBackward1", ()),
    ("fg.mean(x, None)", lambda x: fg.mean(x, None), "MeanBackward1", ()),
    ("fg.mean(x)", lambda x: fg.mean(x), "MeanBackward0", ()),
    ("nansum(dim=None)", lambda x: x.nansum(dim=None), "NansumBackward0", ()),
    ("nansum(dim=())", lambda x: x.nansum(dim=()), "NansumBackward0", ()),
]


@pytest.mark.parametrize("name,call,node,shape", REDUCTION_NODES, ids=[c[0] for c in REDUCTION_NODES])
def test_a_reduction_given_a_dim_records_the_dim_overload(name, call, node, shape):
    out = call(_leaf())
    assert _node(out) == node
    assert tuple(out.shape) == shape


def test_reductions_over_none_reduce_everything_and_backpropagate():
    x = _leaf()
    assert x.sum(dim=None).item() == 6.0
    assert x.mean(dim=None).item() == 1.0
    x.mean(dim=None).backward()
    assert x.grad.tolist() == [[0.1666666716337204] * 3] * 2  # float32(1/6)


@pytest.mark.parametrize("call", [lambda x: x.sum(keepdim=True), lambda x: x.mean(keepdim=True),
                                  lambda x: x.sum(True), lambda x: x.sum(dim=True), lambda x: x.mean((True,))])
def test_keepdim_without_dim_and_bool_dims_are_type_errors(call):
    with pytest.raises(TypeError):
        call(_leaf())


# ---- 3. extra positional arguments -------------------------------------------------

EXTRA_ARGUMENTS = [
    ("float", lambda x: x.float(1)),
    ("float_none", lambda x: x.float(None)),
    ("double", lambda x: x.double(None)),
    ("int", lambda x: x.int(3)),
    ("long", lambda x: x.long(1)),
    ("half", lambda x: x.half(1)),
    ("bool", lambda x: x.bool(1)),
    ("byte", lambda x: x.byte(1)),
    ("cdouble", lambda x: x.cdouble(None)),
    ("cpu", lambda x: x.cpu(None)),
    ("numpy", lambda x: x.numpy(1)),
    ("numpy_force_int", lambda x: x.numpy(force=1)),
    ("item", lambda x: x.item(1)),
    ("tolist", lambda x: x.tolist(1)),
    ("dim", lambda x: x.dim(1)),
    ("numel", lambda x: x.numel(1)),
    ("clone", lambda x: x.clone(1)),
    ("float_dtype", lambda x: x.float(dtype=fg.float64)),
    ("type_non_blocking_int", lambda x: x.type(fg.float64, 1)),
]


@pytest.mark.parametrize("name,call", EXTRA_ARGUMENTS, ids=[c[0] for c in EXTRA_ARGUMENTS])
def test_an_extra_positional_argument_is_a_type_error(name, call):
    with pytest.raises(TypeError):
        call(fg.ones(1))


def test_casts_still_take_memory_format_by_keyword():
    x = fg.ones(2, 3, 4, 5)
    assert x.double(memory_format=fg.preserve_format).dtype == fg.float64
    assert x.cpu(memory_format=fg.preserve_format) is x
    assert x.numpy(force=True).shape == (2, 3, 4, 5)


# ---- 4. integer and bool inputs to the activations ---------------------------------

INTS = {
    "int64": (fg.int64, [-2, 0, 1, 3, 7]),
    "int32": (fg.int32, [-2, 0, 1, 3, 7]),
    "int8": (fg.int8, [-2, 0, 1, 3, 7]),
    "uint8": (fg.uint8, [0, 1, 3, 7]),
}

KEEPS_INTEGER_DTYPE = [
    # name, call, {dtype name: expected values}
    ("relu6", lambda x: F.relu6(x),
     {"int64": [0, 0, 1, 3, 6], "int32": [0, 0, 1, 3, 6], "int8": [0, 0, 1, 3, 6], "uint8": [0, 1, 3, 6]}),
    ("relu6_inplace", lambda x: F.relu6(x.clone(), inplace=True),
     {"int64": [0, 0, 1, 3, 6], "uint8": [0, 1, 3, 6]}),
    ("hardtanh", lambda x: F.hardtanh(x),
     {"int64": [-1, 0, 1, 1, 1], "int32": [-1, 0, 1, 1, 1], "int8": [-1, 0, 1, 1, 1]}),
    ("hardtanh_truncated_bounds", lambda x: F.hardtanh(x, -1.5, 2.5),
     {"int64": [-1, 0, 1, 2, 2], "int8": [-1, 0, 1, 2, 2]}),
    ("hardtanh_", lambda x: F.hardtanh_(x.clone()), {"int64": [-1, 0, 1, 1, 1], "int32": [-1, 0, 1, 1, 1]}),
    ("hardtanh_inplace", lambda x: F.hardtanh(x.clone(), inplace=True), {"int8": [-1, 0, 1, 1, 1]}),
    ("hardtanh_uint8_truncated_min", lambda x: F.hardtanh(x, -0.5, 3), {"uint8": [0, 1, 3, 3]}),
    ("threshold", lambda x: F.threshold(x, 0.5, 2.5),
     {"int64": [2, 2, 1, 3, 7], "int32": [2, 2, 1, 3, 7], "uint8": [2, 1, 3, 7]}),
    ("threshold_truncates_threshold", lambda x: F.threshold(x, -0.5, 9), {"int64": [9, 9, 1, 3, 7]}),
    ("threshold_uint8_wraps", lambda x: F.threshold(x, -1, 3), {"uint8": [3, 3, 3, 3]}),
    ("threshold_", lambda x: F.threshold_(x.clone(), 1, 5), {"int64": [5, 5, 5, 3, 7]}),
    ("dropout_p1", lambda x: F.dropout(x, 1.0), {"int64": [0] * 5, "uint8": [0] * 4}),
    ("dropout_p1_inplace", lambda x: F.dropout(x.clone(), 1.0, inplace=True), {"int32": [0] * 5}),
    ("alpha_dropout_p1", lambda x: F.alpha_dropout(x, 1.0, True), {"int64": [0] * 5}),
    ("dropout_p0", lambda x: F.dropout(x, 0.0), {"int64": [-2, 0, 1, 3, 7]}),
    ("dropout_eval", lambda x: F.dropout(x, 0.5, training=False), {"uint8": [0, 1, 3, 7]}),
    ("relu", lambda x: F.relu(x), {"int64": [0, 0, 1, 3, 7], "int8": [0, 0, 1, 3, 7]}),
    ("nn.ReLU6", lambda x: fg.nn.ReLU6()(x), {"int32": [0, 0, 1, 3, 6]}),
    ("nn.Hardtanh", lambda x: fg.nn.Hardtanh()(x), {"int64": [-1, 0, 1, 1, 1]}),
]

_KEEP_CASES = [(name, call, dt, values) for name, call, table in KEEPS_INTEGER_DTYPE for dt, values in table.items()]


@pytest.mark.parametrize("name,call,dt,values", _KEEP_CASES, ids=[f"{c[0]}-{c[2]}" for c in _KEEP_CASES])
def test_clamping_activations_keep_the_integer_dtype(name, call, dt, values):
    dtype, data = INTS[dt]
    out = call(fg.tensor(data, dtype=dtype))
    assert out.dtype == dtype
    assert out.tolist() == values


NO_INTEGER_KERNEL = [
    ("leaky_relu", lambda x: F.leaky_relu(x), "leaky_relu_cpu"),
    ("leaky_relu_inplace", lambda x: F.leaky_relu(x, 0.1, True), "leaky_relu_cpu"),
    ("leaky_relu_", lambda x: F.leaky_relu_(x), "leaky_relu_cpu"),
    ("elu", lambda x: F.elu(x), "elu_cpu"),
    ("elu_", lambda x: F.elu_(x), "elu_cpu"),
    ("selu", lambda x: F.selu(x), "elu_cpu"),
    ("celu", lambda x: F.celu(x), "elu_cpu"),
    ("hardsigmoid", lambda x: F.hardsigmoid(x), "hardsigmoid_cpu"),
    ("hardswish", lambda x: F.hardswish(x), "hardswish_cpu"),
    ("softplus", lambda x: F.softplus(x), "softplus_cpu"),
    ("gelu", lambda x: F.gelu(x), "GeluKernelImpl"),
    ("gelu_tanh", lambda x: F.gelu(x, approximate="tanh"), "GeluKernelImpl"),
    ("silu", lambda x: F.silu(x), "silu_cpu"),
    ("mish", lambda x: F.mish(x), "mish_cpu"),
    ("hardshrink", lambda x: F.hardshrink(x), "hardshrink_cpu"),
    ("softshrink", lambda x: F.softshrink(x), "softshrink_check"),
    ("logsigmoid", lambda x: F.logsigmoid(x), "log_sigmoid_cpu"),
    ("rrelu_eval", lambda x: F.rrelu(x, training=False), "leaky_relu_cpu"),
    ("rrelu_train", lambda x: F.rrelu(x, training=True), "rrelu_with_noise_out_cpu"),
    ("glu", lambda x: F.glu(fg.cat([x, x])), "glu_cpu"),
]

_KERNEL_DTYPES = [("int64", "Long"), ("int32", "Int"), ("uint8", "Byte"), ("int8", "Char")]


@pytest.mark.parametrize("name,call,kernel", NO_INTEGER_KERNEL, ids=[c[0] for c in NO_INTEGER_KERNEL])
@pytest.mark.parametrize("dt,scalar", _KERNEL_DTYPES, ids=[d[0] for d in _KERNEL_DTYPES])
def test_float_only_activations_have_no_integer_kernel(name, call, kernel, dt, scalar):
    dtype, data = INTS[dt]
    with pytest.raises(NotImplementedError, match=f'"{kernel}" not implemented for \'{scalar}\''):
        call(fg.tensor(data, dtype=dtype))


@pytest.mark.parametrize("name,call,kernel", NO_INTEGER_KERNEL, ids=[c[0] for c in NO_INTEGER_KERNEL])
def test_float_only_activations_have_no_bool_kernel(name, call, kernel):
    with pytest.raises(NotImplementedError, match=f'"{kernel}" not implemented for \'Bool\''):
        call(fg.tensor([True, False, True, True]))


BOOL_AND_UNSIGNED_ERRORS = [
    ("relu6_bool", lambda: F.relu6(fg.tensor([True, False])), RuntimeError, "Bool inputs not supported for hardtanh"),
    ("hardtanh_bool", lambda: F.hardtanh(fg.tensor([True])), RuntimeError, "Bool inputs not supported for hardtanh"),
    ("hardtanh_bool_inplace", lambda: F.hardtanh(fg.tensor([True]), inplace=True), RuntimeError,
     "Bool inputs not supported for hardtanh"),
    ("hardtanh_uint8", lambda: F.hardtanh(fg.tensor([0, 1], dtype=fg.uint8)), RuntimeError,
     "cannot do hardtanh on an unsigned type with negative limits"),
    ("hardtanh_min_over_max", lambda: F.hardtanh(fg.tensor([1, 2]), 2, 1), ValueError,
     "min_val cannot be greater than max_val"),
    ("threshold_bool", lambda: F.threshold(fg.tensor([True, False]), 0.5, 2.5), NotImplementedError,
     '"threshold_cpu" not implemented for \'Bool\''),
    ("threshold_bool_inplace", lambda: F.threshold(fg.tensor([True]), 0, 1, True), NotImplementedError,
     '"threshold_cpu" not implemented for \'Bool\''),
    ("relu_bool", lambda: F.relu(fg.tensor([True, False])), RuntimeError, "Boolean inputs not supported for relu"),
    ("dropout_int_training", lambda: F.dropout(fg.tensor([1, 2]), 0.5), RuntimeError,
     "result type Float can't be cast to the desired output type Long"),
    ("alpha_dropout_int", lambda: F.alpha_dropout(fg.tensor([1, 2]), 0.5, True), RuntimeError,
     "result type Float can't be cast to the desired output type Long"),
    ("prelu_int_float_weight", lambda: F.prelu(fg.tensor([-2, 1]), fg.ones(1)), RuntimeError,
     "prelu: Type promoting not supported. Got Long and Float"),
    ("prelu_double_float_weight", lambda: F.prelu(fg.ones(2, dtype=fg.float64), fg.ones(1)), RuntimeError,
     "prelu: Type promoting not supported. Got Double and Float"),
    ("prelu_int", lambda: F.prelu(fg.tensor([-2, 1]), fg.ones(1, dtype=fg.int64)), NotImplementedError,
     '"prelu_cpu" not implemented for \'Long\''),
]


@pytest.mark.parametrize("name,call,error,message", BOOL_AND_UNSIGNED_ERRORS, ids=[c[0] for c in BOOL_AND_UNSIGNED_ERRORS])
def test_integer_activation_errors(name, call, error, message):
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
        call()


def test_dropout_of_bools_with_p_one_is_false():
    out = F.dropout(fg.tensor([True, True]), 1.0)
    assert out.dtype == fg.bool
    assert out.tolist() == [False, False]


def test_floating_activations_keep_their_nodes():
    x = fg.tensor([-2.0, 0.0, 1.0, 3.0, 7.0], requires_grad=True)
    assert _node(F.relu6(x)) == "HardtanhBackward0"
    assert _node(F.hardtanh(x)) == "HardtanhBackward0"
    assert _node(F.threshold(x, 0.5, 2.0)) == "ThresholdBackward0"
    assert _node(F.dropout(x, 1.0)) == "MulBackward0"
    assert F.relu6(x).tolist() == [0.0, 0.0, 1.0, 3.0, 6.0]


# ---- 5. shifts of bool tensors -----------------------------------------------------

B = [True, False]

SHIFTS = [
    ("b << 1", lambda b: b << 1, fg.int64, [2, 0]),
    ("b >> 1", lambda b: b >> 1, fg.int64, [0, 0]),
    ("b << 0", lambda b: b << 0, fg.int64, [1, 0]),
    ("b.__lshift__(1)", lambda b: b.__lshift__(1), fg.int64, [2, 0]),
    ("bitwise_left_shift(b, 1)", lambda b: fg.bitwise_left_shift(b, 1), fg.int64, [2, 0]),
    ("bitwise_right_shift(b, 1)", lambda b: fg.bitwise_right_shift(b, 1), fg.int64, [0, 0]),
    ("b.bitwise_left_shift(1)", lambda b: b.bitwise_left_shift(1), fg.int64, [2, 0]),
    ("1 << b", lambda b: 1 << b, fg.int64, [2, 1]),
    ("2 >> b", lambda b: 2 >> b, fg.int64, [1, 2]),
    ("b << tensor(1)", lambda b: b << fg.tensor(1), fg.int64, [2, 0]),
    ("b << int8 tensor", lambda b: b << fg.tensor([1], dtype=fg.int8), fg.int8, [2, 0]),
    ("b << uint8 tensor", lambda b: b << fg.tensor([1, 2], dtype=fg.uint8), fg.uint8, [2, 0]),
]


@pytest.mark.parametrize("name,call,dtype,values", SHIFTS, ids=[c[0] for c in SHIFTS])
def test_a_bool_tensor_shifts_as_its_promoted_type(name, call, dtype, values):
    out = call(fg.tensor(B))
    assert out.dtype == dtype
    assert out.tolist() == values


SHIFT_ERRORS = [
    ("b << True", lambda b: b << True, NotImplementedError, "\"lshift_cpu\" not implemented for 'Bool'"),
    ("b >> b", lambda b: b >> b, NotImplementedError, "\"rshift_cpu\" not implemented for 'Bool'"),
    ("b << 1.5", lambda b: b << 1.5, NotImplementedError, "\"lshift_cpu\" not implemented for 'Float'"),
    ("int << 1.5", lambda b: fg.tensor([1, 2]) << 1.5, NotImplementedError, "\"lshift_cpu\" not implemented for 'Float'"),
    ("b.bitwise_left_shift_(1)", lambda b: b.bitwise_left_shift_(1), RuntimeError,
     "result type Long can't be cast to the desired output type Bool"),
    ("b.__ilshift__(1)", lambda b: b.__ilshift__(1), RuntimeError,
     "result type Long can't be cast to the desired output type Bool"),
    ("b.__irshift__(2)", lambda b: b.__irshift__(2), RuntimeError,
     "result type Long can't be cast to the desired output type Bool"),
    ("b.__ilshift__(b)", lambda b: b.__ilshift__(fg.tensor([True, True])), NotImplementedError,
     "\"lshift_cpu\" not implemented for 'Bool'"),
]


@pytest.mark.parametrize("name,call,error,message", SHIFT_ERRORS, ids=[c[0] for c in SHIFT_ERRORS])
def test_bool_shift_errors(name, call, error, message):
    with pytest.raises(error, match=message):
        call(fg.tensor(B))


def test_augmented_assignments_write_in_place():
    x = fg.tensor([3, 5])
    alias = x
    x <<= 1
    assert x is alias and x.tolist() == [6, 10]
    x >>= 2
    assert x is alias and x.tolist() == [1, 2]
    x |= 4
    assert x is alias and x.tolist() == [5, 6]
    x &= 6
    assert x is alias and x.tolist() == [4, 6]
    x ^= fg.tensor(1)
    assert x is alias and x.tolist() == [5, 7]
    y = fg.tensor([-3, 5])
    alias = y
    y %= 2
    assert y is alias and y.tolist() == [1, 1]
    z = fg.tensor([-3.5, 5.0])
    alias = z
    z //= 2
    assert z is alias and z.tolist() == [-2.0, 2.0]


def test_augmented_assignment_to_an_integer_tensor_of_a_float_is_refused():
    x = fg.tensor([-3, 5])
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output type Long"):
        x %= 2.5


# ---- 6. count_nonzero's dims -------------------------------------------------------

COUNTS = fg.tensor([[0, 1, 2], [3, 0, 0]])


@pytest.mark.parametrize("call,values", [
    (lambda t: t.count_nonzero(0, 1), 3),
    (lambda t: t.count_nonzero(1, 0), 3),
    (lambda t: t.count_nonzero(dim=(0, 1)), 3),
    (lambda t: t.count_nonzero(dim=[]), 3),
    (lambda t: t.count_nonzero(()), 3),
    (lambda t: t.count_nonzero((1,)), [2, 1]),
    (lambda t: t.count_nonzero(-1), [2, 1]),
    (lambda t: fg.count_nonzero(t, (0, 1)), 3),
    (lambda t: fg.count_nonzero(t, dim=[]), 3),
])
def test_count_nonzero_dims(call, values):
    out = call(COUNTS)
    assert out.dtype == fg.int64
    assert out.tolist() == values


def test_count_nonzero_dim_errors():
    with pytest.raises(RuntimeError, match="dim 0 appears multiple times in the list of dims"):
        COUNTS.count_nonzero(0, 0)
    with pytest.raises(IndexError, match=r"Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)"):
        COUNTS.count_nonzero(2)
    with pytest.raises(TypeError):
        fg.count_nonzero(COUNTS, 0, 1)  # the function takes no varargs dims
    with pytest.raises(TypeError):
        COUNTS.count_nonzero(dim=1, keepdim=True)


# ---- 7. advanced indices with no elements, masks, lists read as tuples --------------

INDEX_SHAPES = [
    ("empty long index", lambda: fg.ones(2, 3)[fg.tensor([], dtype=fg.long)], (0, 3)),
    ("empty list", lambda: fg.ones(2, 3)[[]], (0, 3)),
    ("empty list then slice", lambda: fg.ones(2, 3)[[], :], (0, 3)),
    ("slice then empty list", lambda: fg.ones(2, 3)[:, []], (2, 0)),
    ("ellipsis then empty index", lambda: fg.ones(2, 3, 4)[..., fg.tensor([], dtype=fg.long)], (2, 3, 0)),
    ("middle empty index", lambda: fg.ones(2, 3, 4)[:, fg.tensor([], dtype=fg.long), :], (2, 0, 4)),
    ("two empty indices", lambda: fg.ones(2, 3, 4)[fg.tensor([], dtype=fg.long), fg.tensor([], dtype=fg.long)], (0, 4)),
    ("split empty indices", lambda: fg.ones(2, 3, 4)[fg.tensor([], dtype=fg.long), :, fg.tensor([], dtype=fg.long)],
     (0, 3)),
    ("empty index beside an out-of-range one", lambda: fg.ones(2, 3)[fg.zeros(0, dtype=fg.long), fg.tensor([5])], (0,)),
    ("out of range into an empty result", lambda: fg.zeros(3, 0)[fg.tensor([5])], (1, 0)),
    ("out of range beside an empty dim", lambda: fg.ones(0, 3)[:, fg.tensor([3])], (0, 1)),
    ("empty index of an empty dim", lambda: fg.ones(0, 3)[fg.tensor([], dtype=fg.long)], (0, 3)),
    ("2-d empty index", lambda: fg.ones(2, 3)[fg.zeros(0, 2, dtype=fg.long)], (0, 2, 3)),
    ("None then empty index", lambda: fg.ones(2, 3)[None, fg.zeros(0, dtype=fg.long)], (1, 0, 3)),
]


@pytest.mark.parametrize("name,call,shape", INDEX_SHAPES, ids=[c[0] for c in INDEX_SHAPES])
def test_empty_advanced_index_shapes(name, call, shape):
    assert tuple(call().shape) == shape


INDEX_ERRORS = [
    ("into an empty dim", lambda: fg.zeros(0, 3)[fg.tensor([5])], "index is out of bounds for dimension with size 0"),
    ("0 into an empty dim", lambda: fg.zeros(0, 3)[fg.tensor([0])], "index is out of bounds for dimension with size 0"),
    ("list into an empty dim", lambda: fg.zeros(0, 3)[[5]], "index is out of bounds for dimension with size 0"),
    ("into an empty second dim", lambda: fg.zeros(3, 0)[:, fg.tensor([5])],
     "index is out of bounds for dimension with size 0"),
    ("pair into an empty dim", lambda: fg.zeros(3, 0)[fg.tensor([1]), fg.tensor([0])],
     "index is out of bounds for dimension with size 0"),
    ("integer into an empty dim", lambda: fg.zeros(0, 3)[5], "index 5 is out of bounds for dimension 0 with size 0"),
    ("first index", lambda: fg.ones(2, 3)[fg.tensor([5])], "index 5 is out of bounds for dimension 0 with size 2"),
    ("negative", lambda: fg.ones(2, 3)[fg.tensor([-3])], "index -3 is out of bounds for dimension 0 with size 2"),
    ("counted among the tensor indices", lambda: fg.ones(2, 3)[:, fg.tensor([3])],
     "index 3 is out of bounds for dimension 0 with size 3"),
    ("last of three dims", lambda: fg.ones(2, 3, 4)[:, :, fg.tensor([9])],
     "index 9 is out of bounds for dimension 0 with size 4"),
    ("second tensor index", lambda: fg.ones(2, 3, 4)[:, fg.tensor([0]), fg.tensor([9])],
     "index 9 is out of bounds for dimension 1 with size 4"),
    ("after an integer", lambda: fg.ones(2, 3, 4)[0, :, fg.tensor([9])],
     "index 9 is out of bounds for dimension 0 with size 4"),
    ("empty mask", lambda: fg.ones(2, 3)[fg.tensor([], dtype=fg.bool)],
     r"The shape of the mask \[0\] at index 0 does not match the shape of the indexed tensor \[2, 3\] at index 0"),
    ("long mask", lambda: fg.ones(2, 3)[fg.tensor([True, False, True])],
     r"The shape of the mask \[3\] at index 0 does not match the shape of the indexed tensor \[2, 3\] at index 0"),
    ("mask on dim 1", lambda: fg.ones(2, 3)[:, fg.tensor([True, False])],
     r"The shape of the mask \[2\] at index 0 does not match the shape of the indexed tensor \[2, 3\] at index 1"),
    ("2-d mask", lambda: fg.ones(2, 3)[fg.tensor([[True, False, True]])],
     r"The shape of the mask \[1, 3\] at index 0 does not match the shape of the indexed tensor \[2, 3\] at index 0"),
    ("shape mismatch", lambda: fg.ones(2, 3)[fg.tensor([0, 1]), fg.tensor([0, 1, 2])],
     r"shape mismatch: indexing tensors could not be broadcast together with shapes \[2\], \[3\]"),
]


@pytest.mark.parametrize("name,call,message", INDEX_ERRORS, ids=[c[0] for c in INDEX_ERRORS])
def test_advanced_index_errors(name, call, message):
    with pytest.raises(IndexError, match=message):
        call()


LIST_KEYS = [
    ("list of lists", [[0, 1], [1, 2]], (2,), [1, 5], "IndexBackward0"),
    ("list holding a list", [[0, 1]], (2, 3), [0, 1, 2, 3, 4, 5], "IndexBackward0"),
    ("int and list", [0, [1]], (1,), [1], "IndexBackward0"),
    ("int and None", [0, None], (1, 3), [0, 1, 2], "UnsqueezeBackward0"),
    ("int and ellipsis", [1, Ellipsis], (3,), [3, 4, 5], "SelectBackward0"),
    ("int and slice", [1, slice(0, 2)], (2,), [3, 4], "SliceBackward0"),
    ("list of ints", [0, 1], (2, 3), [0, 1, 2, 3, 4, 5], "IndexBackward0"),
    ("list of empty lists", [[], []], (0,), [], "IndexBackward0"),
]


@pytest.mark.filterwarnings("ignore:Using a non-tuple sequence")
@pytest.mark.parametrize("name,key,shape,values,node", LIST_KEYS, ids=[c[0] for c in LIST_KEYS])
def test_a_short_list_holding_sequences_is_a_tuple_of_indices(name, key, shape, values, node):
    x = fg.arange(6.0).reshape(2, 3).requires_grad_()
    out = x[key]
    assert tuple(out.shape) == shape
    assert out.flatten().tolist() == values
    assert _node(out) == node


def test_a_list_read_as_a_tuple_warns():
    with pytest.warns(UserWarning, match="Using a non-tuple sequence for multidimensional indexing is deprecated"):
        fg.ones(2, 3)[[0, [1]]]


@pytest.mark.filterwarnings("ignore:Using a non-tuple sequence")
def test_setitem_with_empty_and_list_keys():
    x = fg.zeros(2, 3)
    x[fg.tensor([], dtype=fg.long)] = 5.0
    x[:, fg.tensor([], dtype=fg.long)] = 5.0
    x[[]] = 5.0
    x[fg.tensor([], dtype=fg.long)] = fg.zeros(0, 3)
    assert x.tolist() == [[0.0] * 3] * 2
    empty = fg.zeros(3, 0)
    empty[fg.tensor([5])] = 5.0  # nothing to write: the index is not checked
    assert tuple(empty.shape) == (3, 0)
    x[[[0, 1], [1, 2]]] = 5.0
    x[[1, slice(0, 2)]] = 7.0
    assert x.tolist() == [[0.0, 5.0, 0.0], [7.0, 7.0, 5.0]]
    with pytest.raises(IndexError, match="index is out of bounds for dimension with size 0"):
        fg.zeros(0, 3)[fg.tensor([5])] = 5.0
    with pytest.raises(IndexError, match="index 5 is out of bounds for dimension 0 with size 2"):
        x[fg.tensor([5])] = 5.0
    with pytest.raises(IndexError, match=r"The shape of the mask \[0\] at index 0"):
        x[fg.tensor([], dtype=fg.bool)] = 5.0
    with pytest.raises(RuntimeError):
        x[fg.tensor([], dtype=fg.long)] = fg.zeros(2, 3)


# ---- 8. dual tensors of a primal that requires grad --------------------------------


def test_a_dual_of_a_primal_requiring_grad():
    forward_ad = fg.autograd.forward_ad
    with forward_ad.dual_level():
        p = fg.ones(3, requires_grad=True)
        d = forward_ad.make_dual(p, fg.full((3,), 2.0))
        assert d.requires_grad and not d.is_leaf
        assert _node(d) == "ViewBackward0"
        primal, tangent = forward_ad.unpack_dual(d)
        assert primal.requires_grad and primal is not p
        assert tangent.tolist() == [2.0, 2.0, 2.0]
        assert repr(d) == "tensor([1., 1., 1.], grad_fn=<ViewBackward0>, tangent=tensor([2., 2., 2.]))"
        assert repr(p) == "tensor([1., 1., 1.], requires_grad=True)"
        y = (d * 3).sum()
        assert forward_ad.unpack_dual(y).tangent.item() == 18.0
        y.backward()
        assert p.grad.tolist() == [3.0, 3.0, 3.0]
    assert repr(d) == "tensor([1., 1., 1.], grad_fn=<ViewBackward0>)"
    assert forward_ad.unpack_dual(d).tangent is None
