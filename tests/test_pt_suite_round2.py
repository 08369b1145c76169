"""Behaviours from PyTorch's own test files, second round (test_nn.py's module parts,
test_tensor_creation_ops.py, ...) that differed in ferrograd: ParameterList/ParameterDict
entries and dict methods, `Module.to` with complex dtypes and bad arguments, complex
Parameters, `nn.DataParallel` without an accelerator, NumPy scalars in `tensor()` data.
Expected values are what PyTorch 2.13 does.

Runs against PyTorch too with FG_TEST_BACKEND=torch.
"""

import warnings
from collections import OrderedDict

import numpy as np
import pytest
from backend import MOD, fg

nn = fg.nn


# --- ParameterList ----------------------------------------------------------------------


def test_parameter_list_keeps_non_tensor_entries():
    pl = nn.ParameterList([fg.ones(1), "x", 3])
    assert len(pl) == 3
    assert isinstance(pl[0], nn.Parameter)
    assert pl[1] == "x" and pl[2] == 3
    assert [n for n, _ in pl.named_parameters()] == ["0"]
    assert repr(pl) == (
        "ParameterList(\n"
        f"    (0): Parameter containing: [{MOD}.float32 of size 1]\n"
        "    (1): Object of type: str\n"
        "    (2): Object of type: int\n"
        ")"
    )


def test_parameter_list_setitem_out_of_range_is_an_index_error():
    pl = nn.ParameterList([fg.ones(1)])
    with pytest.raises(IndexError, match="index 3 is out of range"):
        pl[3] = fg.ones(1)


def test_parameter_list_extend_refuses_a_tensor():
    with pytest.raises(TypeError, match="should be called with an iterable, but got Tensor"):
        nn.ParameterList().extend(fg.ones(2))


def test_parameter_containers_refuse_to_be_called():
    with pytest.raises(RuntimeError, match="ParameterList should not be called."):
        nn.ParameterList()(1)
    with pytest.raises(RuntimeError, match="ParameterDict should not be called."):
        nn.ParameterDict()(1)


# --- ParameterDict ----------------------------------------------------------------------


def _pd(*keys):
    return nn.ParameterDict([(k, fg.full((1,), float(i))) for i, k in enumerate(keys)])


def test_parameter_dict_sorts_a_plain_dict_but_keeps_other_orders():
    assert list(nn.ParameterDict({"b": fg.ones(1), "a": fg.ones(1)}).keys()) == ["a", "b"]
    ordered = OrderedDict([("b", fg.ones(1)), ("a", fg.ones(1))])
    assert list(nn.ParameterDict(ordered).keys()) == ["b", "a"]
    assert list(_pd("b", "a").keys()) == ["b", "a"]


def test_parameter_dict_pop_get_setdefault():
    pd = _pd("a", "b")
    p = pd.pop("a")
    assert isinstance(p, nn.Parameter) and p.item() == 0.0
    assert list(pd) == ["b"]
    assert pd.get("zz") is None and pd.get("zz", 5) == 5
    assert pd.setdefault("b", fg.zeros(3)).item() == 1.0
    assert pd.setdefault("c", fg.zeros(3)).shape == (3,)
    assert list(pd) == ["b", "c"]


def test_parameter_dict_popitem_clear_and_reversed():
    pd = _pd("b", "a", "c")
    assert list(reversed(pd)) == ["c", "a", "b"]
    key, value = pd.popitem()
    assert key == "c" and value.item() == 2.0
    assert list(pd) == ["b", "a"]
    pd.clear()
    assert len(pd) == 0 and list(pd.parameters()) == []


def test_parameter_dict_union_copy_and_fromkeys():
    a, b = _pd("a"), _pd("b")
    assert list((a | b).keys()) == ["a", "b"]
    assert list(a.copy().keys()) == ["a"]
    a |= b
    assert list(a) == ["a", "b"]
    made = a.fromkeys(["x", "y"])
    assert type(made).__name__ == "ParameterDict"
    assert list(made.keys()) == ["x", "y"] and made["x"] is None


def test_parameter_dict_keeps_non_tensor_entries():
    pd = nn.ParameterDict({"a": fg.ones(1), "b": "x"})
    assert pd["b"] == "x"
    assert [n for n, _ in pd.named_parameters()] == ["a"]
    assert repr(pd) == (
        "ParameterDict(\n"
        f"    (a): Parameter containing: [{MOD}.FloatTensor of size 1]\n"
        "    (b): Object of type: str\n"
        ")"
    )


def test_parameter_dict_key_and_update_errors():
    with pytest.raises(TypeError, match="not a string \\(type is 'int'\\)"):
        nn.ParameterDict()[1]
    with pytest.raises(TypeError, match="iterable of key/value pairs, but got int"):
        nn.ParameterDict().update(3)
    with pytest.raises(ValueError, match="element #0 has length 3; 2 is required"):
        nn.ParameterDict().update([("a", fg.ones(1), 1)])


# --- Module.to and complex parameters ---------------------------------------------------


def test_module_to_a_complex_dtype_warns_and_converts():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        m = nn.Linear(1, 1).to(fg.complex64)
    assert [w.category for w in caught] == [UserWarning]
    assert "Complex modules are a new feature" in str(caught[0].message)
    assert m.weight.dtype == fg.complex64 and m.bias.dtype == fg.complex64
    assert isinstance(m.weight, nn.Parameter)


def test_module_to_a_real_dtype_converts_complex_parameters():
    m = nn.Module()
    m.p = nn.Parameter(fg.tensor([1 + 1j]))
    assert m.p.dtype == fg.complex64 and m.p.requires_grad
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the complex-to-real cast may warn
        m.to(fg.float64)
    assert m.p.dtype == fg.float64


def test_module_to_keeps_integer_buffers():
    m = nn.BatchNorm1d(2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m.to(fg.complex128)
    assert m.num_batches_tracked.dtype == fg.int64
    assert m.running_mean.dtype == fg.complex128


def test_module_to_refuses_copy_and_bad_combinations():
    m = nn.Linear(1, 1)
    with pytest.raises(RuntimeError, match=r"\.to\(\) does not accept copy argument"):
        m.to(fg.float64, copy=True)
    with pytest.raises(RuntimeError, match=r"\.to\(\) does not accept copy argument"):
        m.to("cpu", fg.float64, True, False)
    with pytest.raises(TypeError, match="received an invalid combination of arguments"):
        m.to("cpu", "cpu")
    with pytest.raises(TypeError, match="only accepts floating point or complex dtypes"):
        m.to(dtype=fg.int32)


def test_module_to_device_dtype_and_non_blocking():
    m = nn.Linear(1, 1)
    assert m.to("cpu", fg.float64, True) is m
    assert m.weight.dtype == fg.float64
    m.to(fg.device("cpu"), dtype=fg.float32, non_blocking=False)
    assert m.weight.dtype == fg.float32


# --- nn.DataParallel on a machine without an accelerator --------------------------------


def test_data_parallel_wraps_and_calls_the_module():
    inner = nn.Linear(2, 3)
    dp = nn.DataParallel(inner)
    assert dp.module is inner
    assert dp.device_ids == []
    x = fg.ones(4, 2)
    assert fg.equal(dp(x), inner(x))
    assert repr(dp) == "DataParallel(\n  (module): Linear(in_features=2, out_features=3, bias=True)\n)"


def test_data_parallel_prefixes_the_state_dict_and_passes_keywords():
    dp = nn.DataParallel(nn.Linear(2, 3), device_ids=[0])
    assert list(dp.state_dict().keys()) == ["module.weight", "module.bias"]
    assert [n for n, _ in dp.named_modules()] == ["", "module"]
    src = nn.Linear(2, 3)
    dp.load_state_dict({"module." + k: v for k, v in src.state_dict().items()})
    assert fg.equal(dp.module.weight, src.weight)

    class Scale(nn.Module):
        def forward(self, x, scale=1.0):
            return x * scale

    assert nn.DataParallel(Scale())(fg.ones(2), scale=3.0).tolist() == [3.0, 3.0]


def test_functional_data_parallel_needs_a_device():
    assert nn.parallel.DataParallel is nn.DataParallel
    with pytest.raises(RuntimeError, match="device type could not be determined"):
        nn.parallel.data_parallel(nn.Linear(2, 3), fg.ones(1, 2))


# --- tensor() of sequences holding NumPy scalars ----------------------------------------


@pytest.mark.parametrize(
    ("data", "dtype_name"),
    [
        ([np.float64(1.0), 2], "float64"),
        ([[np.float64(1.0)], [2.0]], "float64"),
        ([np.float16(1.0), 2.0], "float32"),
        ([np.int32(1), 2], "int64"),
        ([np.int32(1), np.int8(2)], "int32"),
        ([np.uint8(1), np.int8(1)], "int16"),
        ([np.complex64(1), 1.0], "complex64"),
        ([np.float64(1.0), 1j], "complex128"),
    ],
)
def test_numpy_scalars_in_a_sequence_bring_their_dtype(data, dtype_name):
    assert fg.tensor(data).dtype == getattr(fg, dtype_name)
    assert fg.as_tensor(data).dtype == getattr(fg, dtype_name)


def test_numpy_bool_is_not_read_as_an_integer():
    with pytest.raises(TypeError, match="'numpy.bool' object cannot be interpreted as an integer"):
        fg.tensor([np.bool_(True), 2])
    with pytest.raises(TypeError, match="'numpy.bool' object cannot be interpreted as an integer"):
        fg.tensor(np.bool_(True), dtype=fg.int64)
    with pytest.raises(TypeError, match="an integer is required"):
        fg.tensor([np.bool_(True)], dtype=fg.uint64)
    assert fg.tensor([np.bool_(True)], dtype=fg.float32).tolist() == [1.0]
    assert fg.tensor([np.bool_(True), np.bool_(False)]).dtype == fg.bool


def test_state_dict_positional_arguments_are_deprecated():
    m = nn.Linear(1, 1)
    with pytest.warns(FutureWarning, match="Positional args are being deprecated"):
        state = m.state_dict(None, "p.")
    assert list(state.keys()) == ["p.weight", "p.bias"]


# --- tensor() of sequences holding NumPy arrays -----------------------------------------


@pytest.mark.parametrize(
    ("data", "dtype_name"),
    [
        ([np.array([1.0, 2.0]), np.array([3.0, 4.0])], "float64"),
        ([np.array([1.0], dtype=np.float16), [2.0]], "float32"),
        ([np.array([1], dtype=np.int32), np.array([2], dtype=np.int8)], "int32"),
        ([np.array([1], dtype=np.int32), [2]], "int64"),
        ([[1.0], np.array([2], dtype=np.int32)], "float32"),
        ([np.array([[1.0]])], "float64"),
    ],
)
def test_numpy_arrays_in_a_sequence_bring_their_dtype(data, dtype_name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyTorch's advice that this is slow
        t = fg.tensor(data)
    assert t.dtype == getattr(fg, dtype_name)
    assert t.tolist() == np.array([np.asarray(d) for d in data]).astype(np.float64).tolist()


def test_zero_dim_arrays_in_a_sequence_have_no_length():
    with pytest.raises(TypeError, match=r"len\(\) of unsized object"):
        fg.tensor([np.array(1.0), np.array(2.0)])


def test_tri_indices_of_a_non_index_dtype_are_not_implemented():
    with pytest.raises(NotImplementedError, match="\"tril_indices\" not implemented for 'Float'"):
        fg.tril_indices(2, 2, dtype=fg.float32)
    with pytest.raises(NotImplementedError, match="\"triu_indices\" not implemented for 'Bool'"):
        fg.triu_indices(2, 2, dtype=fg.bool)


def test_legacy_reduction_arguments_warn():
    with pytest.warns(UserWarning, match="please use reduction='sum' instead"):
        loss = nn.MSELoss(size_average=False)
    assert loss.reduction == "sum"
    with pytest.warns(UserWarning, match="please use reduction='none' instead"):
        out = nn.functional.mse_loss(fg.ones(2), fg.zeros(2), reduce=False)
    assert out.tolist() == [1.0, 1.0]


# --- complex numbers under a 16-bit default dtype; pin_memory --------------------------


@pytest.fixture
def default_dtype():
    before = fg.get_default_dtype()
    yield fg.set_default_dtype
    fg.set_default_dtype(before)


def test_complex_numbers_under_a_float16_default_are_complex32(default_dtype):
    default_dtype(fg.float16)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyTorch's note that ComplexHalf is experimental
        assert fg.tensor([1j]).dtype == fg.complex32
        assert fg.tensor(1.5 + 0.5j).dtype == fg.complex32
        assert fg.tensor([1, 1j]).dtype == fg.complex32
        assert fg.full((1,), 1j).dtype == fg.complex64  # `full` keeps complex64 here


def test_complex_numbers_under_a_bfloat16_default_have_no_dtype(default_dtype):
    default_dtype(fg.bfloat16)
    for data in ([1j], 1j, [1, 1j]):
        with pytest.raises(RuntimeError, match="invalid default scalar type for complex"):
            fg.tensor(data)
    assert fg.full((1,), 1j).dtype == fg.complex64


def test_tensor_refuses_pin_memory_without_an_accelerator():
    with pytest.raises(RuntimeError, match="no pinned memory allocator is available"):
        fg.tensor([1.0], pin_memory=True)
    with pytest.raises(RuntimeError, match="Can't pin tensor constructed from a variable"):
        fg.tensor(fg.ones(1), pin_memory=True)
    assert fg.tensor([1.0], pin_memory=False).tolist() == [1.0]


def test_distributed_data_parallel_needs_a_process_group():
    with pytest.raises(ValueError, match="Default process group has not been initialized"):
        nn.parallel.DistributedDataParallel(nn.Linear(1, 1))


# --- indexing -----------------------------------------------------------------------------


def test_accumulating_index_put_needs_matching_dtypes():
    x = fg.zeros(3, dtype=fg.float16)
    with pytest.raises(RuntimeError, match="got Half for the destination and Float for the source"):
        x.index_put_((fg.tensor([0]),), fg.ones(1), accumulate=True)
    y = fg.zeros(3)
    y.index_put_((fg.tensor([0, 0]),), fg.ones(2), accumulate=True)
    assert y.tolist() == [2.0, 0.0, 0.0]


def test_zero_dim_bool_tensors_index_like_python_bools():
    a = fg.arange(24.0).view(2, 3, 4)
    t, f = fg.tensor(True), fg.tensor(False)
    assert a[f, t, ...].shape == (0, 2, 3, 4)
    assert a[t, [0, 1], t, t, [1], [[2]]].tolist() == [[6.0, 18.0]]
    assert a[[0, 1], t].shape == (2, 3, 4)
    b = fg.zeros(2, 3)
    b[t, [0, 1], t] = 5.0
    assert b.tolist() == [[5.0] * 3, [5.0] * 3]


# --- tensor() of ragged data: a sequence where the first elements set a number ------------


@pytest.mark.parametrize(
    ("data", "dtype_name", "message"),
    [
        ([1, [2]], None, "'list' object cannot be interpreted as an integer"),
        ([True, [1]], None, "'list' object cannot be interpreted as an integer"),
        ([[1], [[2]]], None, "'list' object cannot be interpreted as an integer"),
        ([1, (2,)], None, "'tuple' object cannot be interpreted as an integer"),
        ([1.0, [2]], None, "must be real number, not list"),
        ([1, [2.0]], None, "must be real number, not list"),
        ([1, []], None, "must be real number, not list"),
        ([1j, [2]], None, "must be real number, not list"),
        ([1, [2]], "float32", "must be real number, not list"),
        ([1, [2]], "uint8", "'list' object cannot be interpreted as an integer"),
        ([[1], 2], None, "not a sequence"),
    ],
)
def test_ragged_data_is_a_type_error(data, dtype_name, message):
    dtype = getattr(fg, dtype_name) if dtype_name else None
    with pytest.raises(TypeError, match=message):
        fg.tensor(data, dtype=dtype)


# --- random_() without bounds on every dtype PyTorch's kernel takes ---------------------


@pytest.mark.parametrize(
    ("dtype_name", "highest"),
    [("bool", 1), ("uint8", 255), ("int8", 127), ("int16", 32767), ("float16", 2048), ("bfloat16", 256)],
)
def test_random_without_bounds_covers_the_dtype(dtype_name, highest):
    fg.manual_seed(0)
    x = fg.empty(20000, dtype=getattr(fg, dtype_name)).random_()
    values = x.to(fg.float64)
    assert values.min().item() >= 0 and values.max().item() <= highest
    assert values.max().item() >= 0.9 * highest  # draws reach near the top of the range
    assert bool((values == values.floor()).all())


def test_random_without_bounds_refuses_unsigned_wide_and_complex():
    for dtype in (fg.uint16, fg.complex64):
        with pytest.raises(NotImplementedError, match='"random_kernel_cpu" not implemented'):
            fg.empty(2, dtype=dtype).random_()


def test_a_list_index_holding_strings_is_a_type_error():
    with pytest.raises(TypeError, match="new\\(\\): invalid data type 'str'") as caught:
        fg.zeros(3)[["a"]]
    assert type(caught.value) is TypeError


# --- Module conversions: which objects survive (`ferrograd.__future__` switches) ---------


def test_conversion_keeps_the_parameter_and_gradient_objects():
    m = nn.Linear(1, 1)
    w = m.weight
    m.weight.grad = fg.ones(1, 1)
    g = m.weight.grad
    m.double()
    assert m.weight is w and m.weight.grad is g
    assert w.dtype == fg.float64 and g.dtype == fg.float64


def test_overwrite_switch_makes_new_parameters():
    future = fg.__future__
    assert not future.get_overwrite_module_params_on_conversion()
    assert not future.get_swap_module_params_on_conversion()
    future.set_overwrite_module_params_on_conversion(True)
    try:
        m = nn.Linear(1, 1)
        w = m.weight
        m.weight.grad = fg.ones(1, 1)
        m.double()
        assert m.weight is not w and isinstance(m.weight, nn.Parameter)
        assert w.dtype == fg.float32 and m.weight.dtype == fg.float64
        assert m.weight.grad.dtype == fg.float64
    finally:
        future.set_overwrite_module_params_on_conversion(False)


def test_swap_switch_keeps_the_parameter_object():
    fg.__future__.set_swap_module_params_on_conversion(True)
    try:
        m = nn.Linear(1, 1)
        w = m.weight
        m.double()
        assert m.weight is w and w.dtype == fg.float64
    finally:
        fg.__future__.set_swap_module_params_on_conversion(False)


# --- Python number types as dtypes -------------------------------------------------------


def test_python_number_types_name_dtypes():
    assert fg.tensor([1], dtype=float).dtype == fg.float64
    assert fg.tensor([1], dtype=complex).dtype == fg.complex128
    assert fg.as_tensor([1], dtype=float).dtype == fg.float64
    assert fg.arange(3, dtype=int).dtype == fg.int64
    assert fg.linspace(0, 1, 2, dtype=float).dtype == fg.float64
    assert fg.full((1,), 1, dtype=complex).dtype == fg.complex128
    assert fg.empty(1, dtype=complex).dtype == fg.complex128
    assert fg.zeros_like(fg.ones(1), dtype=complex).dtype == fg.complex128


def test_a_dtype_that_is_not_one_is_a_type_error():
    with pytest.raises(TypeError, match=f"tensor\\(\\): argument 'dtype' must be {MOD}.dtype, not str"):
        fg.tensor([1], dtype="float32")
    with pytest.raises(TypeError, match=f"argument 'dtype' must be {MOD}.dtype, not type"):
        fg.tensor([1], dtype=np.float32)


def test_cat_family_refuses_an_out_that_is_an_input():
    for cat in (fg.cat, fg.hstack):
        x = fg.ones(2)
        with pytest.raises(RuntimeError, match="refer to a single memory location"):
            cat([x, x], out=x)
    y = fg.ones(2)
    assert fg.add(y, 1, out=y).tolist() == [2.0, 2.0]  # elementwise ops may write over an input
