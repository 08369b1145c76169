"""Session 26 (helper typeinfo17): scenarios of PyTorch's test_type_info.py,
test_namedtuple_return_api.py, test_type_promotion.py and test_overrides.py: `finfo`/`iinfo`
as PyTorch's C types, the structseq return types, `set_default_dtype`'s refusals, result
dtypes, and the `__torch_function__` protocol (tensor-likes, modes, NotImplemented).
Expected values, types and messages are PyTorch 2.13's; the file also runs against
PyTorch (`FG_TEST_BACKEND=torch`)."""

import copy
import pickle
import re
import warnings

import numpy as np
import pytest
from backend import MOD, fg

F = fg.nn.functional
overrides = fg.overrides


def raises(kind, fragment):
    return pytest.raises(kind, match=re.escape(fragment))


# ---- finfo / iinfo ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["float16", "float32", "float64"])
def test_finfo_fields_are_numpys_limits(name):
    info, ref = fg.finfo(getattr(fg, name)), np.finfo(name)
    assert (info.bits, info.eps, info.max, info.min) == (ref.bits, float(ref.eps), float(ref.max), float(ref.min))
    assert info.tiny == info.smallest_normal == float(ref.smallest_normal)
    assert info.resolution == 10.0 ** -ref.precision
    assert info.dtype == name and type(info.bits) is int and type(info.eps) is float


def test_finfo_of_bfloat16_and_of_a_complex_dtype():
    b = fg.finfo(fg.bfloat16)
    assert (b.bits, b.eps, b.max, b.tiny, b.resolution) == (16, 2.0**-7, 3.3895313892515355e38, 2.0**-126, 0.01)
    assert fg.finfo(fg.complex64).dtype == "float32"  # its parts' limits
    assert fg.finfo(fg.complex128).bits == 64
    assert repr(fg.finfo(fg.float32)) == (
        "finfo(resolution=1e-06, min=-3.40282e+38, max=3.40282e+38, eps=1.19209e-07, "
        "smallest_normal=1.17549e-38, tiny=1.17549e-38, dtype=float32)")


@pytest.mark.parametrize("name", ["uint8", "int8", "int16", "int32", "int64", "uint16", "uint32", "uint64"])
def test_iinfo_fields_are_numpys_limits(name):
    info, ref = fg.iinfo(getattr(fg, name)), np.iinfo(name)
    assert (info.bits, info.min, info.max, info.dtype) == (ref.bits, int(ref.min), int(ref.max), name)
    assert str(info) == f"iinfo(min={float(ref.min):g}, max={float(ref.max):g}, dtype={name})"


def test_python_number_types_read_as_their_dtypes():
    assert fg.finfo(float).dtype == "float64"
    assert fg.finfo(complex).bits == 64
    assert fg.iinfo(int).max == 2**63 - 1
    with raises(TypeError, f"{MOD}.bool is not supported by {MOD}.iinfo"):
        fg.iinfo(bool)
    with raises(TypeError, f"{MOD}.finfo() requires a floating point input type"):
        fg.finfo(int)


def test_finfo_and_iinfo_argument_errors_are_the_parsers():
    with raises(TypeError, "finfo() received an invalid combination of arguments - got "
                           f"({MOD}.dtype, int), but expected one of:\n * ({MOD}.dtype type)\n * ()\n"):
        fg.finfo(fg.float32, 1)
    with raises(TypeError, "finfo(): argument 'type' must be"):  # by keyword: no position
        fg.finfo(type=None)
    with raises(TypeError, 'finfo() missing 1 required positional arguments: "type"'):
        fg.finfo(dtype=fg.float32)
    with raises(TypeError, 'iinfo() missing 1 required positional arguments: "type"'):
        fg.iinfo()
    with raises(TypeError, "iinfo() takes 1 positional argument but 2 were given"):
        fg.iinfo(fg.int8, fg.int16)
    with raises(TypeError, "iinfo() got an unexpected keyword argument 'foo'"):
        fg.iinfo(type=fg.int32, foo=1)
    assert fg.finfo(type=fg.float16).bits == fg.iinfo(type=fg.int16).bits == 16


def test_finfo_and_iinfo_compare_by_dtype():
    assert fg.finfo(fg.float32) == fg.finfo(fg.float32)
    assert fg.finfo(fg.float32) == fg.finfo(fg.complex64)
    assert fg.finfo(fg.float32) != fg.finfo(fg.float64)
    assert (fg.finfo(fg.float16) == fg.finfo(fg.bfloat16)) is False
    assert fg.iinfo(fg.int32) == fg.iinfo(fg.int32)
    assert fg.iinfo(fg.int32) != fg.iinfo(fg.int64)
    assert fg.finfo(fg.float32) != "float32"


def test_finfo_and_iinfo_are_read_only_unhashable_and_unpicklable():
    info = fg.finfo(fg.float32)
    with raises(AttributeError, f"attribute 'eps' of '{MOD}.finfo' objects is not writable"):
        info.eps = 1.0
    with raises(AttributeError, f"'{MOD}.finfo' object has no attribute 'foo'"):
        info.foo = 1
    with raises(AttributeError, f"attribute 'max' of '{MOD}.iinfo' objects is not writable"):
        del fg.iinfo(fg.int8).max
    with raises(TypeError, f"unhashable type: '{MOD}.iinfo'"):
        hash(fg.iinfo(fg.int32))
    with raises(TypeError, f"cannot pickle '{MOD}.finfo' object"):
        pickle.dumps(info)
    with raises(TypeError, f"cannot pickle '{MOD}.iinfo' object"):
        copy.deepcopy(fg.iinfo(fg.int32))
    with raises(TypeError, f"type '{MOD}.finfo' is not an acceptable base type"):
        type("Sub", (fg.finfo,), {})
    public = [a for a in dir(info) if not a.startswith("_")]
    assert public == ["bits", "dtype", "eps", "max", "min", "resolution", "smallest_normal", "tiny"]


# ---- return types -----------------------------------------------------------------------------

A = [[1.0, 5.0, 3.0], [4.0, 2.0, 6.0], [0.5, 0.25, 9.0]]

RESULTS = [
    (lambda a: a.max(1), "max", ("values", "indices")),
    (lambda a: fg.sort(a), "sort", ("values", "indices")),
    (lambda a: a.topk(2), "topk", ("values", "indices")),
    (lambda a: a.kthvalue(2), "kthvalue", ("values", "indices")),
    (lambda a: a.mode(), "mode", ("values", "indices")),
    (lambda a: a.nanmedian(0), "nanmedian", ("values", "indices")),
    (lambda a: a.cummin(0), "cummin", ("values", "indices")),
    (lambda a: fg.aminmax(a), "aminmax", ("min", "max")),
    (lambda a: a.frexp(), "frexp", ("mantissa", "exponent")),
    (lambda a: fg.histogram(a, 3), "histogram", ("hist", "bin_edges")),
    (lambda a: fg.histogramdd(a, bins=2), "histogramdd", ("hist", "bin_edges")),
    (lambda a: fg.linalg.slogdet(a), "linalg_slogdet", ("sign", "logabsdet")),
    (lambda a: fg.linalg.lu_factor_ex(a), "linalg_lu_factor_ex", ("LU", "pivots", "info")),
    (lambda a: fg.linalg.lstsq(a, a), "linalg_lstsq", ("solution", "residuals", "rank", "singular_values")),
    (lambda a: fg.svd(a), "svd", ("U", "S", "V")),
    (lambda a: fg.geqrf(a), "geqrf", ("a", "tau")),
]


@pytest.mark.parametrize(("op", "name", "fields"), RESULTS)
def test_return_types_are_structseqs(op, name, fields):
    result = op(fg.tensor(A))
    kind = type(result)
    assert kind is getattr(fg.return_types, name)
    assert (kind.__module__, kind.__name__, kind.__mro__[1:]) == (f"{MOD}.return_types", name, (tuple, object))
    assert kind.__match_args__ == fields
    assert (kind.n_fields, kind.n_sequence_fields, kind.n_unnamed_fields) == (len(fields), len(fields), 0)
    assert not hasattr(result, "_fields") and not hasattr(result, "_asdict")  # no namedtuple
    assert [getattr(result, f) is result[i] for i, f in enumerate(fields)] == [True] * len(fields)
    assert repr(result).startswith(f"{MOD}.return_types.{name}(\n{fields[0]}=")


def test_a_return_type_is_built_from_one_sequence_of_its_length():
    kind = fg.return_types.max
    assert tuple(kind((1, 2))) == (1, 2)
    assert tuple(kind(iter("ab"))) == ("a", "b")
    assert tuple(kind([1, 2], {})) == (1, 2)
    assert repr(kind([1, 2])) == f"{MOD}.return_types.max(\nvalues=1,\nindices=2)"
    with raises(TypeError, f"{MOD}.return_types.max() takes a 2-sequence (1-sequence given)"):
        kind((1,))
    with raises(TypeError, f"{MOD}.return_types.max() takes a 2-sequence (3-sequence given)"):
        kind([1, 2, 3])
    with raises(TypeError, "constructor requires a sequence"):
        kind(1)
    with raises(TypeError, "structseq() missing required argument 'sequence' (pos 1)"):
        kind(values=1, indices=2)
    with raises(TypeError, "'foo' is an invalid keyword argument for structseq()"):
        kind([1, 2], foo=1)
    with raises(TypeError, f"{MOD}.return_types.max() takes a dict as second arg, if any"):
        kind([1, 2], 3)


def test_return_type_attributes_are_read_only():
    result = fg.tensor(A).max(0)
    with raises(AttributeError, "readonly attribute"):
        result.values = 1
    with raises(AttributeError, f"'{MOD}.return_types.max' object has no attribute 'foo'"):
        result.foo  # noqa: B018
    with raises(AttributeError, f"'{MOD}.return_types.max' object has no attribute '_replace'"):
        result._replace  # noqa: B018


def test_return_types_pickle_compare_and_match_as_tuples():
    result = fg.tensor(A).min(1)
    again = pickle.loads(pickle.dumps(result))
    assert type(again) is fg.return_types.min and again.values.tolist() == [1.0, 2.0, 0.25]
    assert result.__reduce__()[0] is fg.return_types.min
    assert type(result[:1]) is tuple
    assert fg.return_types.aminmax((1, 2)) == (1, 2)
    assert hash(fg.return_types.aminmax((1, 2))) == hash((1, 2))
    match result:
        case fg.return_types.min(values, indices):
            assert indices.tolist() == [0, 1, 1]
            assert values.dtype == fg.float32


def test_out_forms_return_their_out_twins():
    a = fg.tensor(A)
    got = fg.max(a, 1, out=(fg.empty(3), fg.empty(3, dtype=fg.int64)))
    assert type(got) is fg.return_types.max_out
    assert type(got).__mro__[1:] == (tuple, object)
    assert repr(got).startswith(f"{MOD}.return_types.max_out(\nvalues=tensor([5., 6., 9.]),")
    sort_out = fg.sort(a, out=(fg.empty(3, 3), fg.empty(3, 3, dtype=fg.int64)))
    assert type(sort_out).__name__ == "sort_out"
    frexp_out = fg.frexp(a, out=(fg.empty(3, 3), fg.empty(3, 3, dtype=fg.int32)))
    assert type(frexp_out) is fg.return_types.frexp_out and frexp_out.exponent.tolist()[2] == [0, -1, 4]
    assert fg.return_types.max in fg.return_types.all_return_types
    assert fg.return_types.linalg_svd_out in fg.return_types.all_return_types
    assert not hasattr(fg.return_types, "histogramdd_out")


def test_out_dtype_checks_of_named_tuple_ops():
    a = fg.tensor(A)
    with raises(RuntimeError, "Expected out tensor to have dtype long int, but got float instead"):
        fg.max(a, 0, out=(fg.empty(3), fg.empty(3)))
    with raises(RuntimeError, "torch.frexp() expects exponent to have int dtype but got float"):
        fg.frexp(a, out=(fg.empty(3, 3), fg.empty(3, 3)))
    with raises(TypeError, "expected tuple of 2 elements but got 1"):
        fg.max(a, 0, out=(fg.empty(3),))


def test_pytree_takes_return_types_as_structseqs():
    from importlib import import_module

    pytree = import_module(f"{MOD}.utils._pytree")
    result = fg.tensor(A).max(0)
    assert pytree.is_structseq_class(fg.return_types.max) and pytree.is_structseq(result)
    assert not pytree.is_namedtuple(result)
    leaves, spec = pytree.tree_flatten(result)
    assert [leaf.tolist() for leaf in leaves] == [[4.0, 5.0, 9.0], [1, 0, 2]]
    back = pytree.tree_unflatten(leaves, spec)
    assert type(back) is fg.return_types.max and back.indices.tolist() == [1, 0, 2]


# ---- default dtype -------------------------------------------------------------------------------

@pytest.fixture
def float32_default():
    yield
    fg.set_default_dtype(fg.float32)


@pytest.mark.parametrize("name", ["int32", "bool", "uint8", "complex64", "complex128"])
def test_set_default_dtype_refuses_a_non_floating_dtype(name, float32_default):
    fg.set_default_dtype(fg.float64)
    with raises(TypeError, "only floating-point types are supported as the default type"):
        fg.set_default_dtype(getattr(fg, name))
    assert fg.get_default_dtype() == fg.float64


@pytest.mark.parametrize("value", ["float32", None, float])
def test_set_default_dtype_refuses_a_non_dtype(value, float32_default):
    with raises(TypeError, "invalid dtype object: only floating-point types are supported as the default type"):
        fg.set_default_dtype(value)
    with raises(TypeError, "set_default_dtype() got some positional-only arguments passed as keyword arguments: 'd'"):
        fg.set_default_dtype(d=fg.float64)
    assert fg.get_default_dtype() == fg.float32


def test_set_default_tensor_type_imports_the_name_it_is_given(float32_default):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with raises(ModuleNotFoundError, "No module named 'no_such_module_s26'"):
            fg.set_default_tensor_type("no_such_module_s26.Tensor")
        with raises(TypeError, "invalid type object: only floating-point types are supported as the default type"):
            fg.set_default_tensor_type("numpy.float32")
        with raises(AttributeError, "has no attribute 'NoSuchTensor'"):
            fg.set_default_tensor_type(f"{MOD}.NoSuchTensor")
        fg.set_default_tensor_type(f"{MOD}.DoubleTensor")
    assert fg.get_default_dtype() == fg.float64


@pytest.mark.parametrize("default", ["float32", "float64"])
def test_promotion_with_python_numbers_follows_the_default_dtype(default, float32_default):
    fg.set_default_dtype(getattr(fg, default))
    u8 = fg.tensor([0, 1], dtype=fg.uint8)
    assert (u8 + 1000).dtype == fg.uint8
    assert (u8 + 5.5).dtype == getattr(fg, default)
    assert (u8 + fg.tensor(5.5, dtype=fg.float64)).dtype == fg.float64
    assert (fg.ones(2, dtype=fg.float32) + fg.tensor(5.5, dtype=fg.float64)).dtype == fg.float32
    assert (fg.tensor([3]) / fg.tensor([2])).dtype == getattr(fg, default)
    assert fg.result_type(1, 1.0) == getattr(fg, default)
    assert fg.result_type(fg.tensor([1], dtype=fg.int8), 1j) == {"float32": fg.complex64,
                                                                 "float64": fg.complex128}[default]
    assert fg.finfo().dtype == default


# ---- type promotion -------------------------------------------------------------------------------

PROMOTIONS = [
    ("int32", "int64", "int64"), ("uint8", "int8", "int16"), ("bool", "uint8", "uint8"),
    ("float16", "bfloat16", "float32"), ("int64", "float16", "float16"), ("float32", "complex64", "complex64"),
    ("float64", "complex64", "complex128"), ("uint16", "uint16", "uint16"), ("uint32", "uint32", "uint32"),
]


@pytest.mark.parametrize(("a", "b", "expected"), PROMOTIONS)
def test_promote_types_and_binary_results(a, b, expected):
    da, db = getattr(fg, a), getattr(fg, b)
    assert fg.promote_types(da, db) == getattr(fg, expected)
    if "uint16" not in a + b and "uint32" not in a + b:  # PyTorch's CPU add has no kernel for these
        assert (fg.ones(2, dtype=da) + fg.ones(2, dtype=db)).dtype == getattr(fg, expected)
        # a zero-dim operand of the same category does not promote a dimensioned one
        assert (fg.ones(2, dtype=da) * fg.ones((), dtype=db)).dtype in (da, getattr(fg, expected))


def test_the_wider_unsigned_ints_promote_only_among_themselves():
    with raises(RuntimeError, "Promotion for uint16, uint32, uint64 types is not supported, attempted to promote "
                              "UInt16 and Char"):
        fg.promote_types(fg.uint16, fg.int8)
    with raises(RuntimeError, "attempted to promote UInt64 and Long"):
        fg.result_type(fg.ones(1, dtype=fg.uint64), fg.ones(1, dtype=fg.int64))


def test_inplace_ops_that_cannot_cast_the_result():
    with raises(RuntimeError, "result type Float can't be cast to the desired output type Int"):
        fg.ones(3, dtype=fg.int32).add_(1.5)
    with raises(RuntimeError, "result type Byte can't be cast to the desired output type Bool"):
        fg.tensor([True]).add_(fg.tensor([1], dtype=fg.uint8))
    with raises(RuntimeError, "result type Float can't be cast to the desired output type Long"):
        fg.add(fg.ones(2), fg.ones(2), out=fg.zeros(2, dtype=fg.int64))
    with raises(RuntimeError, "result type Float can't be cast to the desired output type Long"):
        fg.tensor([5, 3]).true_divide_(2)
    u8 = fg.tensor([1, 1], dtype=fg.uint8)
    u8 *= fg.tensor([3, 300], dtype=fg.int16)  # signed to unsigned demotes
    assert u8.dtype == fg.uint8 and u8.tolist() == [3, 44]


def test_bool_arithmetic_and_alpha_errors():
    with raises(RuntimeError, "Subtraction, the `-` operator, with two bool tensors is not supported"):
        fg.tensor([True]) - fg.tensor([False])
    with raises(RuntimeError, "Negation, the `-` operator, on a bool tensor is not supported"):
        -fg.tensor([True])
    with raises(RuntimeError, "For integral input tensors, argument alpha must not be a floating point number."):
        fg.add(fg.ones(2, dtype=fg.int32), fg.ones(2, dtype=fg.int32), alpha=1.1)
    with raises(RuntimeError, "Boolean alpha only supported for Boolean results."):
        fg.add(fg.tensor(1), fg.tensor(1), alpha=True)
    both = fg.add(fg.tensor([True, False]), fg.tensor([True, True]), alpha=True)
    assert both.dtype == fg.bool and both.tolist() == [True, True]


def test_result_type_and_can_cast():
    assert fg.result_type(fg.tensor(1, dtype=fg.int32), 1) == fg.int32
    assert fg.result_type(fg.tensor(1, dtype=fg.int64), fg.tensor([1, 1], dtype=fg.int32)) == fg.int32
    assert fg.result_type(fg.tensor(1.0), fg.tensor(1, dtype=fg.float64)) == fg.float64
    assert fg.result_type(True, False) == fg.bool
    assert fg.result_type(fg.tensor([1], dtype=fg.float16), 1j) == fg.complex32
    assert fg.can_cast(fg.float64, fg.float32) and not fg.can_cast(fg.float32, fg.int32)
    assert not fg.can_cast(fg.complex64, fg.float32) and not fg.can_cast(fg.int8, fg.bool)
    with raises(TypeError, "can_cast(): argument 'from_' (position 1) must be"):
        fg.can_cast(1, fg.float32)


def test_comparisons_promote_and_write_bool():
    big, small = fg.tensor([1 << 35]), fg.tensor([1 << 10], dtype=fg.float16)
    out = fg.empty(1, dtype=fg.bool)
    assert fg.gt(big, small, out=out) is out and out.tolist() == [True]
    assert (fg.tensor([0], dtype=fg.int8) < 0.5).tolist() == [True]
    assert (fg.tensor(0, dtype=fg.uint8) < fg.tensor(0.5)).item() is True
    assert fg.eq(fg.tensor([1]), fg.tensor([1.0]), out=fg.empty(1, dtype=fg.int32)).tolist() == [1]


# ---- __torch_function__ ---------------------------------------------------------------------------

class Hit:
    """A tensor-like that answers every call with what it was handed."""

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        return ("hit", func, types, args, kwargs or {})


class Declines:
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        return NotImplemented


def test_an_out_tensor_like_takes_the_call():
    t = fg.ones(1)
    tag, func, types, args, kwargs = fg.add(t, 1, out=(out := Hit()))
    assert (tag, func, types, args[0] is t, args[1], kwargs["out"] is out) == ("hit", fg.add, (Hit,), True, 1, True)
    assert fg.max(fg.ones(1, 2), 1, out=(Hit(), Hit()))[0] == "hit"


@pytest.mark.parametrize("call", [
    lambda x: F.glu(x), lambda x: F.interpolate(x, scale_factor=2), lambda x: F.instance_norm(x),
    lambda x: F.dropout1d(x), lambda x: F.adaptive_avg_pool2d(x, 2), lambda x: F.softsign(x),
    lambda x: fg.unravel_index(x, (2,)), lambda x: fg.svd_lowrank(x),
])
def test_functions_written_in_python_hand_a_tensor_like_over_first(call):
    x = Hit()
    tag, _, types, args, _ = call(x)
    assert (tag, types, args[0] is x) == ("hit", (Hit,), True)


def test_autograd_grad_and_backward_hand_tensor_likes_over():
    out, inp = Hit(), Hit()
    tag, func, types, args, kwargs = fg.autograd.grad(out, inp)
    assert (tag, func, types, args) == ("hit", fg.autograd.grad, (Hit,), ((out,), (inp,)))
    assert kwargs["retain_graph"] is None and kwargs["only_inputs"] is True
    tag, func, _, args, kwargs = fg.autograd.backward([out])
    assert (tag, func, args, kwargs["inputs"]) == ("hit", fg.autograd.backward, ((out,),), None)


def test_declining_tensor_likes_get_pytorchs_type_error():
    with raises(TypeError, f"Multiple dispatch failed for '{MOD}.add'; all __torch_function__ handlers returned "
                           f"NotImplemented:\n\n  - tensor subclass {Declines!r}\n"):
        fg.add(Declines(), 1)
    with raises(TypeError, f"no implementation found for '{MOD}.nn.functional.relu' on types that implement "
                           f"__torch_function__: [{Declines!r}]"):
        F.relu(Declines())


class Declined(fg.Tensor):
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        return NotImplemented


def test_a_declining_subclass_method_is_a_type_error():
    d = fg.ones(2).as_subclass(Declined)
    with raises(TypeError, f"Multiple dispatch failed for '{MOD}.Tensor.add'; all __torch_function__ handlers "
                           f"returned NotImplemented:\n\n  - tensor subclass {Declined!r}\n"):
        d.add(1)
    with raises(TypeError, f"Multiple dispatch failed for '{MOD}.add'"):
        fg.add(d, 1)
    with raises(TypeError, f"no implementation found for '{MOD}.nn.functional.mse_loss' on types that implement "
                           f"__torch_function__: [{Declined!r}, <class '{MOD}.Tensor'>]"):
        F.mse_loss(d, fg.ones(2))


class DeclineAll(overrides.TorchFunctionMode):
    def __torch_function__(self, func, types, args=(), kwargs=None):
        return NotImplemented


def test_a_declining_mode_is_a_type_error():
    t = fg.ones(2)
    with DeclineAll() as mode:
        with raises(TypeError, f"Multiple dispatch failed for '{MOD}.add'; all __torch_function__ handlers "
                               f"returned NotImplemented:\n\n  - mode object {mode!r}\n\nFor more information"):
            fg.add(t, 1)
        with raises(TypeError, f"Multiple dispatch failed for '{MOD}.Tensor.add'"):
            t.add(1)
        with raises(TypeError, f"no implementation found for '{MOD}.nn.functional.relu' on types that implement "
                               f"__torch_function__: [] nor in mode {mode!r}"):
            F.relu(t)
        with raises(TypeError, "unsupported operand type(s) for +: 'Tensor' and 'int'"):
            t + 1


class PlainSub(fg.Tensor):
    pass


def test_a_mode_sees_subclass_types_and_may_leave_them_to_the_subclass():
    seen = []

    class TensorsOnly(overrides.TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            seen.append((func.__name__, [t.__name__ for t in types]))
            if any(t is not fg.Tensor for t in types):
                return NotImplemented
            return func(*args, **(kwargs or {}))

    b = fg.ones(2).as_subclass(PlainSub)
    with TensorsOnly():
        r = fg.neg(b)
        s = F.relu(b)
    assert type(r) is PlainSub and type(s) is PlainSub
    assert seen == [("neg", ["PlainSub"]), ("neg", []), ("relu", ["PlainSub"]), ("relu", [])]


def test_a_mode_sees_tensor_among_the_types_of_python_functions():
    seen = []

    class Log(overrides.TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            seen.append((func.__name__, [t.__name__ for t in types]))
            return func(*args, **(kwargs or {}))

    x = fg.ones(2, requires_grad=True)
    y = (x * 2).sum()
    with Log():
        F.mse_loss(x, x)
        (g,) = fg.autograd.grad(y, x)
        fg.set_default_dtype(fg.float32)  # a plain Python function in PyTorch: no mode sees it
    assert seen == [("mse_loss", ["Tensor"]), ("grad", ["Tensor"])]
    assert g.tolist() == [2.0, 2.0]


def test_a_classmethod_mode_is_refused():
    class Wrong(overrides.TorchFunctionMode):
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            return func(*args, **(kwargs or {}))

    x = fg.tensor(5.0)
    with raises(RuntimeError, "Defining your mode's `__torch_function__` as a classmethod is not supported, "
                              "please make it a plain method"), Wrong():
        x + x


def test_disable_switches_and_has_torch_function():
    b = fg.ones(1).as_subclass(PlainSub)
    assert overrides.has_torch_function((b,)) and overrides.has_torch_function((Hit(),))
    assert not overrides.has_torch_function((fg.ones(1),))
    with fg._C.DisableTorchFunctionSubclass():
        assert not overrides.has_torch_function((b,)) and not overrides.has_torch_function_unary(Hit())
        assert (fg._C._is_torch_function_enabled(), fg._C._is_torch_function_all_disabled()) == (False, False)
    with fg._C.DisableTorchFunction():
        assert (fg._C._is_torch_function_enabled(), fg._C._is_torch_function_all_disabled()) == (False, True)
    assert fg._C._is_torch_function_all_disabled() is False


def test_ignored_functions_list_what_pytorch_lists():
    ignored = overrides.get_ignored_functions()
    assert fg.broadcast_shapes in ignored and fg.is_tensor in ignored
    assert fg.set_default_dtype not in ignored and fg.add not in ignored
