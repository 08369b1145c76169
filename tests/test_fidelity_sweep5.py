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


# ---- 10. hooks and retain_grad on tensors written in place -------------------------


def _weights():
    return fg.tensor([1.0, 2.0, 3.0])


def test_a_hook_on_a_view_written_in_place_does_not_run():
    a = fg.ones(2, 3, requires_grad=True)
    v = (a * 2)[0]
    calls = []
    v.register_hook(lambda g: calls.append(("before", g.tolist())))
    v.mul_(3)
    v.register_hook(lambda g: calls.append(("after", g.tolist())))
    (v * _weights()).sum().backward()
    assert calls == [("after", [1.0, 2.0, 3.0])]
    assert a.grad.tolist() == [[6.0, 12.0, 18.0], [0.0, 0.0, 0.0]]


def test_a_hook_on_a_view_whose_base_is_written_in_place_does_not_run():
    a = fg.ones(2, 3, requires_grad=True)
    x = a * 2
    v = x[0]
    calls = []
    v.register_hook(lambda g: calls.append(g.tolist()))
    x.add_(1)
    assert _node(v) == "AsStridedBackward0"
    (v * _weights()).sum().backward()
    assert calls == []
    assert a.grad.tolist() == [[2.0, 4.0, 6.0], [0.0, 0.0, 0.0]]


def test_a_hook_before_an_in_place_op_on_a_non_view_gets_the_old_values_gradient():
    a = fg.ones(3, requires_grad=True)
    y = a * 2
    calls = []
    y.register_hook(lambda g: calls.append(("before", g.tolist())))
    y.mul_(3)
    y.register_hook(lambda g: calls.append(("after", g.tolist())))
    (y * _weights()).sum().backward()
    assert calls == [("after", [1.0, 2.0, 3.0]), ("before", [3.0, 6.0, 9.0])]
    assert a.grad.tolist() == [6.0, 12.0, 18.0]


@pytest.mark.parametrize("used_before", [False, True])
def test_retain_grad_follows_a_tensor_written_in_place(used_before):
    a = fg.ones(3, requires_grad=True)
    y = a * 2
    y.retain_grad()
    if used_before:
        _ = y * 5
    y.mul_(3)
    (y * _weights()).sum().backward()
    assert y.grad.tolist() == [1.0, 2.0, 3.0]


def test_retain_grad_follows_a_view_written_in_place():
    a = fg.ones(2, 3, requires_grad=True)
    v = (a * 2)[0]
    v.retain_grad()
    v.mul_(3)
    (v * _weights()).sum().backward()
    assert v.grad.tolist() == [1.0, 2.0, 3.0]


def test_retain_grad_follows_a_view_whose_base_is_written():
    a = fg.ones(2, 3, requires_grad=True)
    x = a * 2
    v = x[0]
    v.retain_grad()
    x.add_(1)
    (v * _weights()).sum().backward()
    assert v.grad.tolist() == [1.0, 2.0, 3.0]


# ---- 2. bools where an int goes ----------------------------------------------------

BOOL_IN_A_SIZE = [
    ("zeros(2, True)", lambda: fg.zeros(2, True), (2, 1)),
    ("zeros((2, True))", lambda: fg.zeros((2, True)), (2, 1)),
    ("ones(2, True)", lambda: fg.ones(2, True), (2, 1)),
    ("empty(2, True)", lambda: fg.empty(2, True), (2, 1)),
    ("full((2, True), 1.0)", lambda: fg.full((2, True), 1.0), (2, 1)),
    ("rand(2, True)", lambda: fg.rand(2, True), (2, 1)),
    ("randn(2, True)", lambda: fg.randn(2, True), (2, 1)),
    ("view(2, True, 3)", lambda: fg.ones(2, 3).view(2, True, 3), (2, 1, 3)),
    ("view(-1, True)", lambda: fg.ones(2, 3).view(-1, True), (6, 1)),
    ("reshape(2, True, 3)", lambda: fg.ones(2, 3).reshape(2, True, 3), (2, 1, 3)),
    ("expand((2, True, 3))", lambda: fg.ones(1, 3).expand((2, True, 3)), (2, 1, 3)),
    ("repeat(1, True)", lambda: fg.ones(2, 3).repeat(1, True), (2, 3)),
    ("new_zeros(2, True)", lambda: fg.ones(2, 3).new_zeros(2, True), (2, 1)),
    ("new_zeros((2, True))", lambda: fg.ones(2, 3).new_zeros((2, True)), (2, 1)),
    ("new_ones(2, True)", lambda: fg.ones(2, 3).new_ones(2, True), (2, 1)),
    ("new_full((2, True), 1.0)", lambda: fg.ones(2, 3).new_full((2, True), 1.0), (2, 1)),
    ("sum((0, True))", lambda: fg.ones(2, 3).sum((0, True)), ()),
]


@pytest.mark.parametrize("name,call,shape", BOOL_IN_A_SIZE, ids=[c[0] for c in BOOL_IN_A_SIZE])
def test_a_bool_after_the_first_element_of_a_size_is_an_int(name, call, shape):
    assert tuple(call().shape) == shape


M3 = fg.ones(3, 3)

BOOL_FOR_AN_INT = [
    ("zeros(True)", lambda: fg.zeros(True)),
    ("zeros([True, 2])", lambda: fg.zeros([True, 2])),
    ("full((True,), 1.0)", lambda: fg.full((True,), 1.0)),
    ("view(True, 9)", lambda: M3.view(True, 9)),
    ("view((True, 9))", lambda: M3.view((True, 9))),
    ("reshape((True, 9))", lambda: M3.reshape((True, 9))),
    ("permute((True, 0))", lambda: M3.permute((True, 0))),
    ("tile((True, 2))", lambda: M3.tile((True, 2))),
    ("repeat((True, 2))", lambda: M3.repeat((True, 2))),
    ("flip((True,))", lambda: M3.flip((True,))),
    ("expand(True)", lambda: fg.ones(1).expand(True)),
    ("new_ones(True)", lambda: M3.new_ones(True)),
    ("as_strided((True, 3), (1, 1))", lambda: M3.as_strided((True, 3), (1, 1))),
    ("sum(True)", lambda: M3.sum(True)),
    ("sum((True,))", lambda: M3.sum((True,))),
    ("amax(True)", lambda: M3.amax(True)),
    ("nansum(True)", lambda: M3.nansum(True)),
    ("logsumexp(True)", lambda: M3.logsumexp(True)),
    ("softmax(True)", lambda: M3.softmax(True)),
    ("log_softmax(dim=True)", lambda: M3.log_softmax(dim=True)),
    ("argmax(True)", lambda: M3.argmax(True)),
    ("argmin(True)", lambda: M3.argmin(True)),
    ("max(True)", lambda: M3.max(True)),
    ("cumsum(True)", lambda: M3.cumsum(True)),
    ("cumprod(True)", lambda: M3.cumprod(True)),
    ("cummax(True)", lambda: M3.cummax(True)),
    ("unsqueeze(True)", lambda: M3.unsqueeze(True)),
    ("squeeze(True)", lambda: M3.squeeze(True)),
    ("transpose(True, 0)", lambda: M3.transpose(True, 0)),
    ("flatten(True)", lambda: M3.flatten(True)),
    ("flatten(0, True)", lambda: M3.flatten(0, True)),
    ("size(True)", lambda: M3.size(True)),
    ("select(True, 0)", lambda: M3.select(True, 0)),
    ("narrow(True, 0, 1)", lambda: M3.narrow(True, 0, 1)),
    ("triu(True)", lambda: M3.triu(True)),
    ("tril(diagonal=True)", lambda: M3.tril(diagonal=True)),
    ("diagonal(True)", lambda: M3.diagonal(True)),
    ("diag(True)", lambda: M3.diag(True)),
    ("topk(True)", lambda: M3.topk(True)),
    ("kthvalue(True)", lambda: M3.kthvalue(True)),
    ("chunk(True)", lambda: M3.chunk(True)),
    ("unbind(True)", lambda: M3.unbind(True)),
    ("cat(dim=True)", lambda: fg.cat([fg.ones(2), fg.ones(2)], True)),
    ("stack(dim=True)", lambda: fg.stack([fg.ones(2), fg.ones(2)], True)),
    ("index_select(True, ...)", lambda: M3.index_select(True, fg.tensor([0]))),
    ("gather(True, ...)", lambda: M3.gather(True, fg.tensor([[0]]))),
    ("sort(True)", lambda: M3.sort(True)),
    ("median(True)", lambda: M3.median(True)),
    ("mode(True)", lambda: M3.mode(True)),
    ("unfold(True, 1, 1)", lambda: M3.unfold(True, 1, 1)),
    ("diff(n=True)", lambda: M3.diff(n=True)),
    ("swapaxes(True, 0)", lambda: M3.swapaxes(True, 0)),
    ("unflatten(True, (3, 1))", lambda: M3.unflatten(True, (3, 1))),
    ("count_nonzero(True)", lambda: M3.count_nonzero(True)),
    ("aminmax(dim=True)", lambda: M3.aminmax(dim=True)),
    ("renorm(2, True, 1.0)", lambda: M3.renorm(2, True, 1.0)),
    ("movedim(True, 0)", lambda: M3.movedim(True, 0)),
    ("prod(True)", lambda: M3.prod(True)),
    ("var(dim=True)", lambda: M3.var(dim=True)),
    ("std(dim=True)", lambda: fg.std(M3, dim=True)),
    ("repeat_interleave(True)", lambda: fg.ones(3).repeat_interleave(True)),
    ("tensor_split(True)", lambda: M3.tensor_split(True)),
    ("all(True)", lambda: M3.all(True)),
    ("any(dim=True)", lambda: M3.any(dim=True)),
    ("roll(1, True)", lambda: M3.roll(1, True)),
    ("eye(True)", lambda: fg.eye(True)),
    ("randperm(True)", lambda: fg.randperm(True)),
]


@pytest.mark.parametrize("name,call", BOOL_FOR_AN_INT, ids=[c[0] for c in BOOL_FOR_AN_INT])
def test_a_bool_where_an_int_goes_is_a_type_error(name, call):
    with pytest.raises(TypeError):
        call()


def test_a_one_element_integer_tensor_is_still_an_int():
    assert tuple(M3.unsqueeze(fg.tensor(1)).shape) == (3, 1, 3)
    assert M3.size(fg.tensor(1)) == 3
    assert tuple(fg.zeros(2, fg.tensor(2)).shape) == (2, 2)


# ---- a fresh sweep: dims out of range, empty and 0-d tensors -----------------------

R = fg.arange(6.0).reshape(2, 3)
S = fg.tensor(2.5)

SWEEP_VALUES = [
    ("unflatten infers -1 from the dim", lambda: fg.zeros(0, 3).unflatten(-1, (1, -1)), (0, 1, 3), None),
    ("unflatten -1 beside an empty dim", lambda: fg.zeros(0, 3).unflatten(1, (3, -1)), (0, 3, 1), None),
    ("unflatten -1", lambda: fg.ones(2, 6).unflatten(1, (-1, 2)), (2, 3, 2), None),
    ("take_along_dim", lambda: R.take_along_dim(fg.tensor([[0], [2]]), 1), (2, 1), [[0.0], [5.0]]),
    ("take_along_dim flattened", lambda: R.take_along_dim(fg.tensor([[4]])), (1,), [4.0]),
    ("0-d index_select", lambda: S.index_select(0, fg.tensor([0])), (), 2.5),
    ("0-d index_select by a 0-d index", lambda: S.index_select(-1, fg.tensor(0)), (), 2.5),
    ("0-d gather by a 0-d index", lambda: S.gather(0, fg.tensor(0)), (), 2.5),
    ("0-d gather", lambda: S.gather(0, fg.tensor([0, 0])), (2,), [2.5, 2.5]),
    ("index_select", lambda: R.index_select(1, fg.tensor([2, 0])), (2, 2), [[2.0, 0.0], [5.0, 3.0]]),
    ("gather", lambda: R.gather(1, fg.tensor([[2, 0], [1, 1]])), (2, 2), [[2.0, 0.0], [4.0, 4.0]]),
    ("nanmedian of nothing", lambda: fg.zeros(0, 3).nanmedian(), (), None),
    ("empty index_select", lambda: fg.zeros(0, 3).index_select(0, fg.tensor([], dtype=fg.long)), (0, 3), []),
]


@pytest.mark.parametrize("name,call,shape,values", SWEEP_VALUES, ids=[c[0] for c in SWEEP_VALUES])
def test_sweep_values(name, call, shape, values):
    out = call()
    assert tuple(out.shape) == shape
    if values is not None:
        assert out.tolist() == values


def test_nanmedian_of_nothing_is_nan():
    out = fg.zeros(0, 3).nanmedian()
    assert out.item() != out.item()


def test_gather_and_index_select_of_a_0d_tensor_record_their_nodes():
    x = fg.tensor(2.5, requires_grad=True)
    assert _node(x.index_select(0, fg.tensor([0]))) == "IndexSelectBackward0"
    assert _node(x.gather(0, fg.tensor(0))) == "GatherBackward0"


SWEEP_ERRORS = [
    ("tensor_split without sections", lambda: R.tensor_split(dim=1), TypeError, "tensor_split"),
    ("unflatten a 0-d tensor", lambda: S.unflatten(-1, (1, -1)), RuntimeError,
     "Dimension specified as 0 but tensor has no dimensions"),
    ("unflatten an ambiguous -1", lambda: fg.zeros(0, 3).unflatten(0, (0, -1)), RuntimeError,
     r"cannot reshape tensor of 0 elements into shape \[0, -1\]"),
    ("take_along_dim rank", lambda: S.take_along_dim(fg.tensor([[0]]), 0), RuntimeError,
     (r"torch.take_along_dim\(\): input and indices should have the same number of dimensions, but got 0 "
      "dimensions for input, and 2 dimensions for indices")),
    ("take_along_dim dim", lambda: R.take_along_dim(fg.tensor([[0]]), 5), IndexError,
     r"Dimension out of range \(expected to be in range of \[-2, 1\], but got 5\)"),
    ("take_along_dim dtype", lambda: R.take_along_dim(fg.tensor([[0.0]]), 0), RuntimeError,
     r"torch.take_along_dim\(\): dtype of indices should be Long but got Float"),
    ("take_along_dim sizes", lambda: R.take_along_dim(fg.tensor([[0, 1, 2, 3]]), 0), RuntimeError,
     r"The size of tensor a \(3\) must match the size of tensor b \(4\) at non-singleton dimension 1"),
    ("renorm dim before dtype", lambda: fg.tensor([[1, 2], [3, 4]]).renorm(2, 5, 1.0), IndexError,
     r"Dimension out of range \(expected to be in range of \[-2, 1\], but got 5\)"),
    ("renorm rank before dim", lambda: fg.ones(3).renorm(2, 5, 1.0), RuntimeError,
     "renorm: input needs at least 2 dimensions, got 1 dimensions"),
    ("renorm dtype", lambda: fg.tensor([[1, 2]]).renorm(2, 0, 1.0), RuntimeError,
     "linalg.vector_norm: Expected a floating point or complex tensor as input. Got Long"),
    ("logcumsumexp dim before dtype", lambda: fg.tensor([[1, 2, 3]]).logcumsumexp(-3), IndexError,
     r"Dimension out of range \(expected to be in range of \[-2, 1\], but got -3\)"),
    ("logcumsumexp of ints", lambda: fg.tensor([[1, 2, 3]]).logcumsumexp(0), NotImplementedError,
     "\"logcumsumexp_out_cpu\" not implemented for 'Long'"),
    ("0-d index_select of two", lambda: S.index_select(0, fg.tensor([0, 0])), RuntimeError,
     r"index_select\(\): Index to scalar can have only 1 value, got 2 value\(s\)"),
    ("0-d index_select out of range", lambda: S.index_select(0, fg.tensor([1])), IndexError,
     "index out of range in self"),
    ("index_select dim 0", lambda: R.index_select(0, fg.tensor([5])), IndexError, "index out of range in self"),
    ("index_select negative", lambda: R.index_select(0, fg.tensor([-1])), IndexError, "index out of range in self"),
    ("index_select dim 1", lambda: R.index_select(1, fg.tensor([5])), RuntimeError,
     "INDICES element is out of DATA bounds, id=5 axis_dim=3"),
    ("index_select of a vector", lambda: fg.arange(3.0).index_select(0, fg.tensor([5])), IndexError,
     "index out of range in self"),
    ("index_select an empty dim", lambda: fg.zeros(0, 3).index_select(0, fg.tensor([5])), RuntimeError,
     r"index_select\(\): self indexing axis dim should be positive"),
    ("gather negative", lambda: fg.ones(3).gather(0, fg.tensor([-1])), RuntimeError,
     "index -1 is out of bounds for dimension 0 with size 3"),
    ("0-d gather out of range", lambda: S.gather(0, fg.tensor([1])), RuntimeError,
     "index 1 is out of bounds for dimension 0 with size 1"),
    ("cross without a dim of size 3", lambda: fg.ones(2, 2).cross(fg.ones(2, 2)), RuntimeError,
     "no dimension of size 3 in input"),
]


@pytest.mark.parametrize("name,call,error,message", SWEEP_ERRORS, ids=[c[0] for c in SWEEP_ERRORS])
def test_sweep_errors(name, call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.filterwarnings("ignore:.*is deprecated on 0-D tensors")
def test_conjugate_transposes_of_a_0d_tensor_are_the_tensor():
    # PyTorch warns once per process that this is deprecated
    x = fg.tensor(2.5, requires_grad=True)
    assert x.mH is x
    assert x.H is x
    assert x.adjoint() is x


NN_SWEEP_ERRORS = [
    ("nll_loss weight dtype", lambda: F.nll_loss(fg.ones(2, 3, dtype=fg.float64), fg.tensor([0, 1]), weight=fg.ones(3)),
     RuntimeError, "expected scalar type Double but found Float"),
    ("binary_cross_entropy target dtype", lambda: F.binary_cross_entropy(fg.ones(2) * 0.5, fg.ones(2, dtype=fg.int64)),
     RuntimeError, "Found dtype Long but expected Float"),
    ("bce_with_logits integer target", lambda: F.binary_cross_entropy_with_logits(fg.ones(2), fg.ones(2, dtype=fg.int64)),
     RuntimeError, "result type Float can't be cast to the desired output type Long"),
    ("embedding negative index", lambda: F.embedding(fg.tensor([-1]), fg.ones(3, 2)), IndexError,
     "index out of range in self"),
    ("batch_norm eval without stats", lambda: F.batch_norm(fg.ones(2, 3), None, None, training=False), RuntimeError,
     "running_mean must be defined in evaluation mode"),
    ("batch_norm eval without var", lambda: F.batch_norm(fg.ones(2, 3), fg.zeros(3), None, training=False),
     RuntimeError, "running_var must be defined in evaluation mode"),
    ("smooth_l1 negative beta", lambda: F.smooth_l1_loss(fg.ones(2), fg.zeros(2), beta=-1), RuntimeError,
     "smooth_l1_loss does not support negative values for beta."),
    ("huber zero delta", lambda: F.huber_loss(fg.ones(2), fg.zeros(2), delta=0), RuntimeError,
     "huber_loss does not support non-positive values for delta."),
    ("glu dim", lambda: F.glu(fg.ones(2, 4), dim=2), IndexError,
     r"Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)"),
    ("arange of bools", lambda: fg.arange(5, dtype=fg.bool), NotImplementedError,
     "\"arange_cpu\" not implemented for 'Bool'"),
    ("linspace steps bool", lambda: fg.linspace(0, 1, True), TypeError, "steps"),
]


@pytest.mark.parametrize("name,call,error,message", NN_SWEEP_ERRORS, ids=[c[0] for c in NN_SWEEP_ERRORS])
def test_nn_sweep_errors(name, call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_embedding_takes_int32_indices():
    out = F.embedding(fg.tensor([1], dtype=fg.int32), fg.arange(6.0).reshape(3, 2))
    assert out.tolist() == [[2.0, 3.0]]


@pytest.mark.parametrize("args,dtype,values", [
    ((-3, [2]), fg.int64, [1]),
    ((2.5, ([2], fg.int8)), fg.float32, [0.5]),
    ((-3, ([2], fg.int8)), fg.int8, [1]),
    ((-3, ([2.0], fg.float64)), fg.float64, [1.0]),
])
def test_remainder_of_a_number_by_a_tensor(args, dtype, values):
    number, other = args
    other = fg.tensor(other[0], dtype=other[1]) if isinstance(other, tuple) else fg.tensor(other)
    out = fg.remainder(number, other)
    assert out.dtype == dtype
    assert out.tolist() == values


def test_tensor_takes_its_dtype_by_keyword_only():
    with pytest.raises(TypeError):
        fg.tensor([1], fg.int8)
    with pytest.raises(TypeError):
        fg.as_tensor([1], fg.int8)
    assert fg.tensor([1], dtype=fg.int8).dtype == fg.int8


NUMPY_NAMES = [
    ("sum(axis=0)", lambda x: x.sum(axis=0), [3.0, 5.0, 7.0]),
    ("sum(0, keepdims)", lambda x: x.sum(0, keepdims=True), [[3.0, 5.0, 7.0]]),
    ("mean(axis=1)", lambda x: x.mean(axis=1), [1.0, 4.0]),
    ("amax(axis=1)", lambda x: x.amax(axis=1), [2.0, 5.0]),
    ("argmax(axis=1)", lambda x: x.argmax(axis=1), [2, 2]),
    ("prod(axis=1)", lambda x: x.prod(axis=1), [0.0, 60.0]),
    ("cumsum(axis=1)", lambda x: x.cumsum(axis=1), [[0.0, 1.0, 3.0], [3.0, 7.0, 12.0]]),
    ("any(axis=1)", lambda x: x.any(axis=1), [True, True]),
    ("unsqueeze(axis=0)", lambda x: x.unsqueeze(axis=0).shape, [1, 2, 3]),
    ("fg.sum(x, axis=1)", lambda x: fg.sum(x, axis=1), [3.0, 12.0]),
    ("fg.cat(axis=1)", lambda x: fg.cat([x, x], axis=1).shape, [2, 6]),
    ("new_zeros(size=)", lambda x: x.new_zeros(size=(2,)), [0.0, 0.0]),
]


@pytest.mark.parametrize("name,call,values", NUMPY_NAMES, ids=[c[0] for c in NUMPY_NAMES])
def test_numpy_keyword_names(name, call, values):
    out = call(fg.arange(6.0).reshape(2, 3))
    assert (list(out) if isinstance(out, tuple) else out.tolist()) == values


CORE_SWEEP_ERRORS = [
    ("-1 norm of nothing", lambda: fg.zeros(0, 3).norm(-1), RuntimeError,
     "linalg.vector_norm cannot compute the -1 norm on an empty tensor because the operation does not have an identity"),
    ("-inf norm of nothing", lambda: fg.zeros(0, 3).norm(float("-inf")), RuntimeError,
     "linalg.vector_norm cannot compute the -inf norm on an empty tensor"),
    ("-0.5 norm of nothing", lambda: fg.linalg.vector_norm(fg.zeros(0), -0.5), RuntimeError,
     "cannot compute the -0.5 norm on an empty tensor"),
    ("-1 norm over an empty dim", lambda: fg.zeros(0, 3).norm(-1, dim=0), RuntimeError,
     "linalg.vector_norm cannot compute the -1 norm on the dimension 0because this dimension is empty"),
    ("cross of 0-d tensors", lambda: S.cross(S, -1), IndexError, "Dimension specified as -1 but tensor has no dimensions"),
    ("roll of a 0-d tensor", lambda: S.roll(1, 0), IndexError, "Dimension specified as 0 but tensor has no dimensions"),
    ("roll past the dims", lambda: fg.ones(3).roll(1, 1), IndexError,
     r"Dimension out of range \(expected to be in range of \[-1, 0\], but got 1\)"),
    ("float alpha on integers", lambda: fg.ones(2, dtype=fg.int64).add_(1, alpha=2.5), RuntimeError,
     "For integral input tensors, argument alpha must not be a floating point number."),
    ("float alpha on integers out of place", lambda: fg.add(fg.ones(2, dtype=fg.int64), fg.ones(2, dtype=fg.int64),
                                                            alpha=2.5), RuntimeError,
     "For integral input tensors, argument alpha must not be a floating point number."),
    ("bool alpha on floats", lambda: fg.add(fg.ones(2), fg.ones(2), alpha=True), RuntimeError,
     "Boolean alpha only supported for Boolean results."),
    ("bool alpha on sub", lambda: fg.ones(2).sub(1, alpha=True), RuntimeError,
     "Boolean alpha only supported for Boolean results."),
    ("bad rounding mode", lambda: fg.div(fg.ones(2), 2, rounding_mode="bad"), RuntimeError,
     "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found 'bad'"),
]


@pytest.mark.parametrize("name,call,error,message", CORE_SWEEP_ERRORS, ids=[c[0] for c in CORE_SWEEP_ERRORS])
def test_core_sweep_errors(name, call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_alpha_follows_the_result_dtype():
    assert fg.ones(2, dtype=fg.int64).add(fg.ones(2), alpha=2.5).tolist() == [3.5, 3.5]
    assert fg.add(fg.ones(2, dtype=fg.bool), fg.ones(2, dtype=fg.bool), alpha=True).tolist() == [True, True]
    assert fg.ones(2, dtype=fg.int64).add(1.5, alpha=2).tolist() == [4.0, 4.0]


@pytest.mark.filterwarnings("ignore:Tensor.mT is deprecated on 0-D tensors")
def test_mT_of_a_0d_tensor_is_the_tensor():
    x = fg.tensor(2.5, requires_grad=True)
    assert x.mT is x
    with pytest.raises(RuntimeError, match="tensor.mT is only supported on matrices or batches of matrices. Got 1-D"):
        _ = fg.ones(2).mT


@pytest.mark.parametrize("dtype,args,message", [
    (fg.bool, (3,), "to - 1 is out of bounds for bool"),
    (fg.int8, (300,), "to - 1 is out of bounds for signed char"),
    (fg.uint8, (-1, 2), "from is out of bounds for unsigned char"),
    (fg.int16, (-40000, 0), "from is out of bounds for short int"),
    (fg.int32, (0, 2**40), "to - 1 is out of bounds for int"),
    (fg.float16, (0, 70000), "to - 1 is out of bounds for c10::Half"),
    (fg.int64, (2, 1), "random_ expects 'from' to be less than 'to', but got from=2 >= to=1"),
])
def test_random_bounds_must_fit_the_dtype(dtype, args, message):
    with pytest.raises(RuntimeError, match=message):
        fg.ones(2, dtype=dtype).random_(*args)


def test_random_of_bools_within_bounds():
    out = fg.ones(4, dtype=fg.bool).random_(2)
    assert out.dtype == fg.bool


OVERLAPPING_WRITES = [
    ("add_", lambda x: x.add_(1)),
    ("mul_", lambda x: x.mul_(2)),
    ("relu_", lambda x: x.relu_()),
    ("exp_", lambda x: x.exp_()),
    ("clamp_", lambda x: x.clamp_(0, 1)),
    ("copy_", lambda x: x.copy_(fg.ones(2, 3))),
    ("pow_", lambda x: x.pow_(2)),
]


@pytest.mark.parametrize("name,call", OVERLAPPING_WRITES, ids=[c[0] for c in OVERLAPPING_WRITES])
def test_writing_elementwise_into_an_expanded_tensor_is_refused(name, call):
    with pytest.raises(RuntimeError, match="unsupported operation: more than one element of the written-to tensor "
                                           "refers to a single memory location"):
        call(fg.ones(1, 3).expand(2, 3))


def test_fills_of_an_expanded_tensor_are_allowed():
    base = fg.ones(1, 3)
    base.expand(2, 3).fill_(2.0)
    assert base.tolist() == [[2.0, 2.0, 2.0]]
    base.expand(2, 3).zero_()
    assert base.tolist() == [[0.0, 0.0, 0.0]]


def test_contains_compares_with_broadcasting():
    assert fg.ones(2) in fg.ones(3, 2)
    assert 1 in fg.ones(3)
    assert 2 not in fg.ones(3)
    assert fg.tensor(1.0) in fg.ones(3)
    with pytest.raises(RuntimeError, match="Tensor.__contains__ only supports Tensor or scalar"):
        "a" in fg.ones(3)  # noqa: B015


@pytest.mark.filterwarnings("ignore:indexing with dtype torch.uint8 is now deprecated")
def test_a_uint8_index_is_a_mask():
    x = fg.arange(3.0)
    assert x[fg.tensor([1, 0, 1], dtype=fg.uint8)].tolist() == [0.0, 2.0]
    y = fg.zeros(3)
    y[fg.tensor([1, 0, 1], dtype=fg.uint8)] = fg.tensor([5.0, 6.0])
    assert y.tolist() == [5.0, 0.0, 6.0]
    with pytest.raises(RuntimeError, match="masked_fill_ only supports boolean masks, but got mask with dtype unsigned char"):
        y[fg.tensor([1, 0, 1], dtype=fg.uint8)] = 5.0


def test_backward_argument_errors():
    x = fg.ones(2, requires_grad=True)
    with pytest.raises(TypeError, match="'float' object is not iterable"):
        (x * 2).backward(2.0)
    with pytest.raises(RuntimeError, match="`inputs` argument to `backward\\(\\)` cannot be empty."):
        (x * 2).sum().backward(inputs=[])
    with pytest.raises(RuntimeError, match="`inputs` argument to `grad\\(\\)` cannot be empty."):
        fg.autograd.grad((x * 2).sum(), [])
    with pytest.raises(RuntimeError, match="got 2 tensors and 1 gradients"):
        fg.autograd.backward([x.sum(), x.sum()], [fg.tensor(1.0)])


def test_grad_fn_metadata_is_a_dict():
    node = (fg.ones(2, requires_grad=True) * 2).grad_fn
    assert node.metadata == {}
    node.metadata["k"] = 1
    assert node.metadata == {"k": 1}


# ---- 11. channels-last layouts -----------------------------------------------------


def _channels_last_input():
    return fg.randn(2, 3, 4, 5).to(memory_format=fg.channels_last)


LAYOUTS = [
    ("input", lambda x: x, (60, 1, 15, 3), True),
    ("clone", lambda x: x.clone(), (60, 1, 15, 3), True),
    ("empty_like", lambda x: fg.empty_like(x), (60, 1, 15, 3), True),
    ("zeros_like", lambda x: fg.zeros_like(x), (60, 1, 15, 3), True),
    ("randn_like", lambda x: fg.randn_like(x), (60, 1, 15, 3), True),
    ("contiguous", lambda x: x.contiguous(), (60, 20, 5, 1), False),
    ("clone contiguous_format", lambda x: x.clone(memory_format=fg.contiguous_format), (60, 20, 5, 1), False),
    ("float", lambda x: x.float(), (60, 1, 15, 3), True),
    ("relu_", lambda x: x.relu_(), (60, 1, 15, 3), True),
    ("conv2d", lambda x: F.conv2d(x, fg.randn(6, 3, 3, 3)), (36, 1, 18, 6), True),
    ("conv2d padded", lambda x: F.conv2d(x, fg.randn(6, 3, 3, 3), padding=1), (120, 1, 30, 6), True),
    ("batch_norm", lambda x: F.batch_norm(x, fg.zeros(3), fg.ones(3)), (60, 1, 15, 3), True),
    ("batch_norm training", lambda x: F.batch_norm(x, None, None, training=True), (60, 1, 15, 3), True),
    ("BatchNorm2d", lambda x: fg.nn.BatchNorm2d(3)(x), (60, 1, 15, 3), True),
    ("max_pool2d", lambda x: F.max_pool2d(x, 2), (12, 1, 6, 3), True),
    ("avg_pool2d", lambda x: F.avg_pool2d(x, 2), (12, 1, 6, 3), True),
    ("interpolate", lambda x: F.interpolate(x, scale_factor=2), (240, 1, 30, 3), True),
]


@pytest.mark.parametrize("name,call,strides,channels_last", LAYOUTS, ids=[c[0] for c in LAYOUTS])
def test_channels_last_layouts(name, call, strides, channels_last):
    out = call(_channels_last_input())
    assert out.stride() == strides
    assert out.is_contiguous(memory_format=fg.channels_last) == channels_last


def test_channels_last_conv_keeps_its_node_and_gradient():
    x = _channels_last_input().requires_grad_()
    w = fg.randn(6, 3, 3, 3, requires_grad=True)
    y = F.conv2d(x, w, padding=1)
    assert _node(y) == "ConvolutionBackward0"
    values, indices = F.max_pool2d(y, 2, return_indices=True)
    assert _node(values) == "MaxPool2DWithIndicesBackward0"
    assert values.stride() == indices.stride() == (24, 1, 12, 6)
    y.sum().backward()
    reference = fg.nn.functional.conv2d(x.detach().contiguous().requires_grad_(), w.detach(), padding=1)
    assert fg.allclose(y.detach(), reference.detach())
    assert tuple(x.grad.shape) == (2, 3, 4, 5)


CREATION = [
    ("zeros(size=)", lambda: fg.zeros(size=(2,)), (2,), [0.0, 0.0]),
    ("ones(size=)", lambda: fg.ones(size=[2, 1]), (2, 1), [[1.0], [1.0]]),
    ("empty(size=)", lambda: fg.empty(size=(2,)), (2,), None),
    ("rand(size=)", lambda: fg.rand(size=(2,)), (2,), None),
    ("randn(size=)", lambda: fg.randn(size=(2, 3)), (2, 3), None),
    ("zeros(0-d tensor)", lambda: fg.zeros(fg.tensor(2)), (2,), [0.0, 0.0]),
    ("full(0-d tensor)", lambda: fg.full((2,), fg.tensor(3.0)), (2,), [3.0, 3.0]),
    ("arange(0-d tensor)", lambda: fg.arange(fg.tensor(1.5), 4), (3,), [1.5, 2.5, 3.5]),
    ("tensor of 1-element tensors", lambda: fg.tensor([fg.tensor([1]), fg.tensor([2])]), (2,), [1, 2]),
    ("tensor of 2-d 1-element tensors", lambda: fg.tensor([fg.tensor([[1]]), fg.tensor([[2]])]), (2,), [1, 2]),
    ("tensor of a list then a tensor", lambda: fg.tensor([[1, 2], fg.tensor([3, 4])]), (2, 2), [[1, 2], [3, 4]]),
]


@pytest.mark.parametrize("name,call,shape,values", CREATION, ids=[c[0] for c in CREATION])
def test_creation_arguments(name, call, shape, values):
    out = call()
    assert tuple(out.shape) == shape
    if values is not None:
        assert out.tolist() == values


CREATION_ERRORS = [
    ("tensor of larger tensors", lambda: fg.tensor([fg.ones(2), fg.ones(2)]), ValueError,
     "only one element tensors can be converted to Python scalars"),
    ("full of a 1-d tensor", lambda: fg.full((2,), fg.tensor([3.0])), TypeError, "fill_value"),
    ("randint bool bound", lambda: fg.randint(5, (2,), dtype=fg.bool), RuntimeError, "to - 1 is out of bounds for bool"),
    ("randint uint8 bound", lambda: fg.randint(300, (2,), dtype=fg.uint8), RuntimeError,
     "to - 1 is out of bounds for unsigned char"),
    ("normal shapes", lambda: fg.normal(fg.zeros(2), fg.ones(3)), RuntimeError,
     r"The size of tensor a \(2\) must match the size of tensor b \(3\) at non-singleton dimension 0"),
    ("arange integer step", lambda: fg.arange(0.0, 1.0, 0.1, dtype=fg.int64), ValueError, "step must be nonzero"),
    ("zeros size twice", lambda: fg.zeros(2, size=(2,)), TypeError, "size"),
]


@pytest.mark.parametrize("name,call,error,message", CREATION_ERRORS, ids=[c[0] for c in CREATION_ERRORS])
def test_creation_errors(name, call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_size_arithmetic_and_checks():
    s = fg.Size([2, 3])
    assert isinstance((4,) + s, fg.Size) and (4,) + s == (4, 2, 3)
    assert isinstance(s * 2, fg.Size) and s * 2 == (2, 3, 2, 3)
    assert isinstance(2 * s, fg.Size)
    assert fg.Size([True, 2]) == (1, 2)
    assert fg.Size((fg.tensor(2),)) == (2,)
    with pytest.raises(TypeError, match="can only concatenate tuple"):
        s + [4]
    with pytest.raises(TypeError, match=r"takes an iterable of 'int' \(item 0 is 'float'\)"):
        fg.Size([2.5])


def test_named_norms_need_matrices():
    with pytest.raises(RuntimeError, match="linalg.matrix_norm: dim must be a 2-tuple. Got 0"):
        fg.linalg.norm(fg.ones(2, 3), ord="fro", dim=0)
    with pytest.raises(TypeError, match="argument 'ord' must be Number, not str"):
        fg.linalg.vector_norm(fg.ones(3), ord="fro")
    assert fg.ones(2, 3).norm(p="fro", dim=0).shape == (3,)


def test_grad_names_the_unused_input():
    x = fg.ones(2, requires_grad=True)
    y = fg.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="The differentiated Tensor at index 1 appears to not have been used in the graph"):
        fg.autograd.grad((x * 2).sum(), [x, y])
    assert fg.autograd.grad((x * 2).sum(), [x, y], allow_unused=True)[1] is None


@pytest.mark.parametrize("call,kernel", [
    (lambda b: b.nanmedian(), "median_cpu"),
    (lambda b: b.nanmedian(0), "median_out"),
    (lambda b: fg.addcmul(b, b, b), "addcmul_cpu_out"),
    (lambda b: fg.linalg.cross(b, b), "cross"),
])
def test_bool_inputs_without_a_kernel(call, kernel):
    with pytest.raises(NotImplementedError, match=f'"{kernel}" not implemented for \'Bool\''):
        call(fg.tensor([True, False, True]))


def test_addcmul_of_bools_into_integers():
    b = fg.tensor([True, False])
    assert fg.addcmul(fg.tensor([1, 2]), b, b).tolist() == [2, 2]


def test_tensor_split_by_a_tensor():
    assert tuple(fg.ones(2, 3).tensor_split(fg.tensor([1]), 1)[0].shape) == (2, 1)
    with pytest.raises(RuntimeError, match="zero-dimensional or one-dimensional tensor, but got a tensor with 2 dims"):
        fg.ones(2, 3).tensor_split(fg.tensor([[1]]), 1)
    with pytest.raises(RuntimeError, match="to have dtype of long, but got Float"):
        fg.ones(2, 3).tensor_split(fg.tensor([1.0]), 1)


def test_var_takes_a_positional_bool_as_unbiased():
    x = fg.arange(6.0).reshape(2, 3)
    assert x.var(True).item() == 3.5
    assert x.std(False).item() == pytest.approx(1.707825127659933)


def test_is_tensor_takes_its_argument_by_position_only():
    assert fg.is_tensor(fg.ones(1))
    with pytest.raises(TypeError):
        fg.is_tensor(obj=fg.ones(1))


def test_unflatten_of_a_0d_tensor_checks_the_dim_first():
    with pytest.raises(IndexError, match=r"Dimension out of range \(expected to be in range of \[-1, 0\], but got 5\)"):
        fg.tensor(2.5).unflatten(5, (1, -1))


def test_negative_floats_do_not_fit_uint8():
    assert fg.tensor([-1], dtype=fg.uint8).tolist() == [255]  # a negative int wraps
    for data in ([-1.5], [-0.5], -1.5):
        with pytest.raises(RuntimeError, match="value cannot be converted to type uint8 without overflow"):
            fg.tensor(data, dtype=fg.uint8)


def test_tensordot_checks_its_dims():
    with pytest.raises(IndexError, match=r"Dimension out of range \(expected to be in range of \[-2, 1\], but got 3\)"):
        fg.tensordot(fg.ones(2, 3), fg.ones(3, 2), dims=([3], [0]))
    assert tuple(fg.tensordot(fg.ones(2, 3), fg.ones(3, 2), dims=([-1], [0])).shape) == (2, 2)


INTEGER_NN = [
    ("mse_loss", lambda x: F.mse_loss(x, x), "mse_cpu"),
    ("mse_loss none", lambda x: F.mse_loss(x, x, reduction="none"), "mse_cpu"),
    ("smooth_l1_loss", lambda x: F.smooth_l1_loss(x, x), "smooth_l1_cpu"),
    ("huber_loss", lambda x: F.huber_loss(x, x), "huber_cpu"),
    ("layer_norm", lambda x: F.layer_norm(x, (3,)), "LayerNormKernelImpl"),
    ("batch_norm", lambda x: F.batch_norm(x, fg.zeros(3), fg.ones(3)), "batch_norm"),
    ("batch_norm training", lambda x: F.batch_norm(x, None, None, training=True), "batch_norm"),
]


@pytest.mark.parametrize("name,call,kernel", INTEGER_NN, ids=[c[0] for c in INTEGER_NN])
def test_integer_inputs_to_norms_and_losses(name, call, kernel):
    with pytest.raises(NotImplementedError, match=f'"{kernel}" not implemented for \'Long\''):
        call(fg.ones(2, 3, dtype=fg.int64))


def test_group_norm_of_integers_and_mixed_losses():
    with pytest.raises(NotImplementedError, match="\"GroupNormKernelImpl\" not implemented for 'Long'"):
        F.group_norm(fg.ones(2, 4, dtype=fg.int64), 2)
    assert F.mse_loss(fg.ones(2, dtype=fg.int64), fg.ones(2)).item() == 0.0


def test_nonzero_static_and_get_device():
    x = fg.tensor([[0, 1], [2, 0]])
    assert x.nonzero_static(size=3).tolist() == [[0, 1], [1, 0], [-1, -1]]
    assert x.nonzero_static(size=1, fill_value=9).tolist() == [[0, 1]]
    assert fg.nonzero_static(x, size=2).tolist() == [[0, 1], [1, 0]]
    assert tuple(fg.tensor(3).nonzero_static(size=2).shape) == (2, 0)
    with pytest.raises(RuntimeError, match="'size' must be an non-negative integer"):
        x.nonzero_static(size=-1)
    assert fg.get_device(x) == -1


def test_setitem_moves_retain_grad_and_drops_a_view_hook():
    a = fg.ones(2, 3, requires_grad=True)
    v = (a * 2)[0]
    v.retain_grad()
    calls = []
    v.register_hook(lambda g: calls.append(g.tolist()))
    v[1] = 5.0
    (v * _weights()).sum().backward()
    assert v.grad.tolist() == [1.0, 2.0, 3.0]
    assert calls == []
    assert a.grad.tolist() == [[2.0, 0.0, 6.0], [0.0, 0.0, 0.0]]
    b = fg.ones(3, requires_grad=True)
    y = b * 2
    y.retain_grad()
    y[0] = 7.0
    (y * _weights()).sum().backward()
    assert y.grad.tolist() == [1.0, 2.0, 3.0]
    assert b.grad.tolist() == [0.0, 4.0, 6.0]


def test_advanced_setitem_moves_retain_grad():
    b = fg.ones(3, requires_grad=True)
    y = b * 2
    y.retain_grad()
    y[fg.tensor([0, 2])] = 7.0
    (y * _weights()).sum().backward()
    assert y.grad.tolist() == [1.0, 2.0, 3.0]
    assert b.grad.tolist() == [0.0, 4.0, 0.0]


def test_index_add_out_of_range():
    with pytest.raises(IndexError, match="index out of range in self"):
        fg.ones(3).index_add(0, fg.tensor([5]), fg.ones(1))
    with pytest.raises(RuntimeError, match="index 5 is out of bounds for dimension 1 with size 3"):
        fg.ones(2, 3).index_add(1, fg.tensor([5]), fg.ones(2, 1))


def test_to_takes_one_dtype():
    with pytest.raises(TypeError):
        fg.ones(2).to(fg.float64, fg.float32)
    assert fg.ones(2).to("cpu", fg.float16).dtype == fg.float16


def test_an_empty_mask_beside_an_ellipsis():
    assert tuple(fg.zeros(0)[fg.tensor([], dtype=fg.bool), ...].shape) == (0,)
    assert tuple(fg.zeros(2, 0)[..., fg.tensor([], dtype=fg.bool)].shape) == (2, 0)
    with pytest.raises(IndexError, match=r"The shape of the mask \[0\] at index 0 does not match"):
        fg.zeros(0, 1)[..., fg.tensor([], dtype=fg.bool)]


def test_an_index_that_picks_nothing_is_not_checked():
    assert tuple(fg.zeros(0, 0)[[0], fg.tensor([], dtype=fg.bool)].shape) == (0,)
    assert tuple(fg.zeros(0, 0)[fg.tensor([0]), fg.tensor([], dtype=fg.long)].shape) == (0,)
    with pytest.raises(IndexError, match="index is out of bounds for dimension with size 0"):
        fg.zeros(0, 3)[[0], [1]]
    with pytest.raises(IndexError, match="index 9 is out of bounds for dimension 2 with size 4"):
        fg.ones(2, 3, 4)[fg.tensor([[True, False, True], [False, False, False]]), fg.tensor([9])]
