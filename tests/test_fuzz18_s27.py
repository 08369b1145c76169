"""Session 27 (helper fuzz18): differences from PyTorch (CPU) found by
`tools/fuzz_calls18.py`, which spoils one argument at a time of calls PyTorch accepts:
calls that succeeded here with an argument PyTorch's parser refuses (a non-bool flag, a
bool size, a float count, a string layout), `out=` given a list for a one-tensor result,
dropout's `training` flag. Expected types and messages are PyTorch's; the file also runs
against PyTorch (`FG_TEST_BACKEND=torch`)."""

import re
import subprocess
import sys
import warnings

import numpy as np
import pytest
from backend import MOD, fg

F = fg.nn.functional


def raises(kind, message):
    return pytest.raises(kind, match="^" + re.escape(message) + "$")


def x():
    return fg.ones(2, 3)


def image():
    return fg.ones(1, 1, 4, 4)


# ---- out= takes a sequence only where the result is several tensors --------------------


@pytest.mark.parametrize(("call", "message"), [
    (lambda: fg.tan(x(), out=[fg.empty(2, 3)]), "tan(): argument 'out' must be Tensor, not list"),
    (lambda: fg.tan(x(), out=(fg.empty(2, 3), fg.empty(2, 3))), "tan(): argument 'out' must be Tensor, not tuple"),
    (lambda: fg.cat([x(), x()], out=[fg.empty(4, 3)]), "cat(): argument 'out' must be Tensor, not list"),
    (lambda: fg.add(x(), x(), out=[fg.empty(2, 3)]), "add(): argument 'out' must be Tensor, not list"),
    (lambda: fg.nonzero(x(), out=(fg.empty(0, dtype=fg.int64),)), "nonzero(): argument 'out' must be Tensor, not tuple"),
    (lambda: fg.linalg.solve(fg.eye(3), fg.ones(3, 3), out=[fg.empty(3, 3)]),
     "linalg_solve(): argument 'out' must be Tensor, not list"),
    (lambda: fg.fft.fft(x(), out=[fg.empty(2, 3, dtype=fg.complex64)]),
     "fft_fft(): argument 'out' must be Tensor, not list"),
    (lambda: fg.special.erf(x(), out=[fg.empty(2, 3)]), "special_erf(): argument 'out' must be Tensor, not list"),
])
def test_out_of_a_one_tensor_result_refuses_a_sequence(call, message):
    with raises(TypeError, message):
        call()


def test_out_of_several_tensors_still_takes_a_list():
    values, indices = fg.empty(2, 3), fg.empty(2, 3, dtype=fg.int64)
    result = fg.sort(fg.tensor([[3.0, 1.0, 2.0], [0.0, 5.0, 4.0]]), out=[values, indices])
    assert type(result).__name__ == "sort_out"
    assert values.tolist() == [[1.0, 2.0, 3.0], [0.0, 4.0, 5.0]]
    assert indices.tolist() == [[1, 2, 0], [0, 2, 1]]


# ---- a flag that is not a bool --------------------------------------------------------


@pytest.mark.parametrize(("call", "message"), [
    (lambda: fg.nanmean(x(), 1, keepdim="a"), "nanmean(): argument 'keepdim' must be bool, not str"),
    (lambda: x().nanmean(1, "a"), "nanmean(): argument 'keepdim' (position 2) must be bool, not str"),
    (lambda: fg.gather(x(), 1, x().long(), sparse_grad=None), "gather(): argument 'sparse_grad' must be bool, not NoneType"),
    (lambda: fg.linalg.lu_factor(fg.eye(3), pivot="a"), "linalg_lu_factor(): argument 'pivot' must be bool, not str"),
    (lambda: fg.isclose(x(), x(), equal_nan=1), "isclose(): argument 'equal_nan' must be bool, not int"),
    (lambda: fg.triangular_solve(fg.eye(3), fg.eye(3), upper="a"),
     "triangular_solve(): argument 'upper' must be bool, not str"),
    (lambda: fg.max_pool2d(image(), 2, ceil_mode="yes"), "max_pool2d(): argument 'ceil_mode' must be bool, not str"),
    (lambda: F.avg_pool2d(image(), 2, count_include_pad=1),
     "avg_pool2d(): argument 'count_include_pad' must be bool, not int"),
])
def test_a_flag_that_is_not_a_bool_is_refused(call, message):
    with raises(TypeError, message):
        call()


@pytest.mark.parametrize(("call", "message"), [
    (lambda: F.max_pool2d(image(), 2, ceil_mode="yes"),
     "max_pool2d(): argument 'ceil_mode' (position 6) must be bool, not str"),
    (lambda: F.max_pool2d(image(), 2, ceil_mode=None),
     "max_pool2d(): argument 'ceil_mode' (position 6) must be bool, not NoneType"),
    (lambda: F.poisson_nll_loss(x(), x(), log_input=None),
     "poisson_nll_loss(): argument 'log_input' (position 3) must be bool, not NoneType"),
])
def test_functions_written_in_python_hand_their_flags_on_by_position(call, message):
    with raises(TypeError, message):
        call()


def test_flags_given_as_bools_still_work():
    assert tuple(F.max_pool2d(image(), [2, 2], ceil_mode=True).shape) == (1, 1, 2, 2)
    assert fg.nanmean(fg.tensor([[1.0, float("nan"), 3.0]]), 1, keepdim=True).tolist() == [[2.0]]
    assert fg.isclose(x(), x(), equal_nan=True).all()


# ---- a bool, a float or a string where an int is parsed --------------------------------


@pytest.mark.parametrize(("call", "message"), [
    (lambda: F.avg_pool2d(image(), True), "avg_pool2d(): argument 'kernel_size' (position 2) must be tuple of ints, not bool"),
    (lambda: F.avg_pool1d(fg.ones(1, 2, 3), [True]),
     "avg_pool1d(): argument 'kernel_size' (position 2) must be tuple of ints, but found element of type bool at pos 0"),
    (lambda: fg.matrix_power(fg.eye(3), True), "matrix_power(): argument 'n' (position 2) must be int, not bool"),
    (lambda: fg.vander(fg.ones(3), N=1.0), "vander(): argument 'N' must be int, not float"),
    (lambda: fg.nonzero_static(x(), size=2, fill_value="a"), "nonzero_static(): argument 'fill_value' must be int, not str"),
    (lambda: F.cosine_similarity(x(), x(), dim=None), "cosine_similarity(): argument 'dim' must be int, not NoneType"),
])
def test_an_int_argument_refuses_what_is_not_an_int(call, message):
    with raises(TypeError, message):
        call()


def test_a_numpy_integer_is_still_an_int():
    assert len(fg.tensor_split(fg.ones(5, 5), np.array(2))) == 2
    assert fg.matrix_power(fg.eye(2) * 2, np.int64(3)).tolist() == [[8.0, 0.0], [0.0, 8.0]]


def test_a_window_refuses_a_layout_that_is_not_one():
    with pytest.raises(TypeError, match=re.escape("hann_window() received an invalid combination of arguments - got "
                                                  "(int, layout=str), but expected one of:")):
        fg.hann_window(4, layout="a")


# ---- dropout's training flag is parsed as its kernel's `train` -------------------------


@pytest.mark.parametrize(("call", "message"), [
    (lambda: F.dropout(x(), training="a"), "dropout(): argument 'train' (position 3) must be bool, not str"),
    (lambda: F.dropout(x(), training=None, inplace=True), "dropout_(): argument 'train' (position 3) must be bool, not NoneType"),
    (lambda: F.alpha_dropout(x(), training=1), "alpha_dropout(): argument 'train' (position 3) must be bool, not int"),
    (lambda: F.dropout2d(image(), training="a"), "feature_dropout(): argument 'train' (position 3) must be bool, not str"),
    (lambda: F.feature_alpha_dropout(image(), training="a"),
     "feature_alpha_dropout(): argument 'train' (position 3) must be bool, not str"),
])
def test_dropout_refuses_a_training_flag_that_is_not_a_bool(call, message):
    with raises(TypeError, message):
        call()


def test_dropout_in_eval_mode_still_hands_the_input_back():
    t = x()
    assert F.dropout(t, 0.5, training=False) is t


# ---- a tensor for a bool, an int past int64, a tensor for a dtype or a memory format ----


@pytest.mark.parametrize(("call", "kind", "message"), [
    (lambda: fg.avg_pool1d(fg.ones(1, 2, 3), 2, ceil_mode=fg.tensor(True)), TypeError,
     "avg_pool1d(): argument 'ceil_mode' must be bool, not Tensor"),
    (lambda: F.triplet_margin_loss(x(), x(), x(), swap=fg.tensor(True)), TypeError,
     "triplet_margin_loss(): argument 'swap' (position 7) must be bool, not Tensor"),
    (lambda: F.kl_div(x(), x(), reduction="sum", log_target=1), TypeError,
     "kl_div(): argument 'log_target' must be bool, not int"),
    (lambda: fg.kl_div(x(), x(), reduction=2**63), ValueError, "Overflow when unpacking long long"),
    (lambda: fg.hinge_embedding_loss(x(), x(), reduction=-(2**63) - 1), ValueError, "Overflow when unpacking long long"),
    (lambda: fg.slice_copy(x(), 1, start=2**63), ValueError, "Overflow when unpacking long long"),
    (lambda: fg.prod(x(), 1, dtype=x()), TypeError, "prod(): argument 'dtype' must be torch.dtype, not Tensor"),
    (lambda: fg.asarray([1.0], dtype=x()), TypeError, "asarray(): argument 'dtype' must be torch.dtype, not Tensor"),
    (lambda: x().cpu(memory_format="abc"), TypeError,
     "cpu(): argument 'memory_format' must be torch.memory_format, not str"),
])
def test_parser_kinds_refuse_what_the_bodies_took(call, kind, message):
    with raises(kind, message):
        call()


def test_python_types_are_still_dtypes():
    assert fg.prod(x(), 1, dtype=float).dtype == fg.float64
    assert fg.asarray([1, 2], dtype=int).dtype == fg.int64


# ---- a factory's keywords are parsed before it makes anything --------------------------


@pytest.mark.parametrize(("call", "message"), [
    (lambda: fg.zeros(2, pin_memory=1), "zeros(): argument 'pin_memory' must be bool, not int"),
    (lambda: fg.zeros(2, dtype="float32"), "zeros(): argument 'dtype' must be torch.dtype, not str"),
    (lambda: fg.zeros_like(x(), dtype="float32"), "zeros_like(): argument 'dtype' must be torch.dtype, not str"),
    (lambda: x().new_zeros(2, dtype="float32"), "new_zeros(): argument 'dtype' must be torch.dtype, not str"),
    (lambda: x().new_zeros(2, pin_memory="abc"), "new_zeros(): argument 'pin_memory' must be bool, not str"),
    (lambda: fg.ones(2, requires_grad="a"), "ones(): argument 'requires_grad' must be bool, not str"),
    (lambda: x().new_zeros(2, requires_grad="a"), "new_zeros(): argument 'requires_grad' must be bool, not str"),
    (lambda: fg.full([2], 1, requires_grad="a"), "full(): argument 'requires_grad' must be bool, not str"),
    (lambda: fg.full([2], 1, pin_memory=1), "full(): argument 'pin_memory' must be bool, not int"),
    (lambda: fg.full([2], 1, dtype="a"), "full(): argument 'dtype' must be torch.dtype, not str"),
])
def test_factory_keywords_of_the_wrong_type_are_refused(call, message):
    with raises(TypeError, message):
        call()


@pytest.mark.parametrize(("name", "args"), [("arange", (0, 3, 1)), ("eye", (2,))])
@pytest.mark.parametrize("keyword", ["pin_memory", "dtype", "requires_grad"])
def test_a_factory_of_several_overloads_refuses_a_string_keyword_with_the_parser_listing(name, args, keyword):
    got = ", ".join(["int"] * len(args))
    with pytest.raises(TypeError, match=re.escape(
            f"{name}() received an invalid combination of arguments - got ({got}, {keyword}=str), "
            "but expected one of:")):
        getattr(fg, name)(*args, **{keyword: "abc"})


def test_factory_keywords_of_their_defaults_still_work():
    assert tuple(fg.full((2,), 1.0, pin_memory=None).shape) == (2,)
    assert fg.ones(2, requires_grad=None).requires_grad is False
    assert fg.eye(2, dtype=float).dtype == fg.float64


# ---- the products' deprecated orders: Number beta (and alpha) first ---------------------


def _m():
    return fg.ones(2, 2)


@pytest.mark.parametrize(("call", "expected"), [
    (lambda: fg.addmm(2, _m(), 3, _m(), _m()), [[8.0, 8.0], [8.0, 8.0]]),
    (lambda: fg.addmm(2, _m(), _m(), _m()), [[4.0, 4.0], [4.0, 4.0]]),
    (lambda: _m().addmm(2, 3, _m(), _m()), [[8.0, 8.0], [8.0, 8.0]]),
    (lambda: _m().addmm_(2, _m(), _m()), [[4.0, 4.0], [4.0, 4.0]]),
    (lambda: fg.addr(2, _m(), 3, fg.ones(2), fg.ones(2)), [[5.0, 5.0], [5.0, 5.0]]),
    (lambda: fg.addbmm(2, _m(), 3, fg.ones(1, 2, 2), fg.ones(1, 2, 2)), [[8.0, 8.0], [8.0, 8.0]]),
    (lambda: fg.baddbmm(2, fg.ones(1, 2, 2), 3, fg.ones(1, 2, 2), fg.ones(1, 2, 2)), [[[8.0, 8.0], [8.0, 8.0]]]),
    (lambda: fg.addmv(2, fg.ones(2), 3, _m(), fg.ones(2)), [8.0, 8.0]),
    (lambda: fg.ones(2).addmv(2, _m(), fg.ones(2)), [4.0, 4.0]),
    (lambda: _m().addr_(2, 3, fg.ones(2), fg.ones(2)), [[5.0, 5.0], [5.0, 5.0]]),
    (lambda: fg.addmm(2, _m(), 3, _m(), _m(), out=fg.empty(2, 2)), [[8.0, 8.0], [8.0, 8.0]]),
])
def test_products_take_their_deprecated_orders(call, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert call().tolist() == expected


def test_a_lone_number_before_the_input_is_still_refused():
    with raises(TypeError, "addmm(): argument 'input' (position 1) must be Tensor, not int"):
        fg.addmm(2, _m(), _m())


ADDMM_OLD = "addmm(Number beta, Tensor input, Number alpha, Tensor mat1, Tensor mat2, *, Tensor out = None)"
ADDMM_NEW = ("addmm(Tensor input, Tensor mat1, Tensor mat2, *, Number beta = 1, Number alpha = 1, Tensor out = None)"
             "\n\taddmm(Tensor input, Tensor mat1, Tensor mat2, torch.dtype out_dtype, *, Number beta = 1, "
             "Number alpha = 1, Tensor out = None)")


@pytest.mark.parametrize(("call", "old", "new"), [
    ("torch.addmm(2, m, 3, m, m)", ADDMM_OLD, ADDMM_NEW),
    ("m.addmm_(2, m, m)", "addmm_(Number beta, Tensor mat1, Tensor mat2)",
     "addmm_(Tensor mat1, Tensor mat2, *, Number beta = 1, Number alpha = 1)"),
])
def test_the_first_deprecated_order_warns_once_with_pytorchs_text(call, old, new):
    code = (f"import warnings, {MOD} as torch\nm = torch.ones(2, 2)\n"
            "with warnings.catch_warnings(record=True) as w:\n    warnings.simplefilter('always')\n"
            f"    {call}\n    {call}\nprint(len(w)); print(w[0].message)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == (f"1\nThis overload of {old.split('(')[0]} is deprecated:\n\t{old}\n"
                   f"Consider using one of the following signatures instead:\n\t{new} (Triggered internally at "
                   "/__w/pytorch/pytorch/torch/csrc/utils/python_arg_parser.cpp:1841.)\n")


# ---- cdist parses p as a float ----------------------------------------------------------


@pytest.mark.parametrize(("p", "name"), [
    (lambda: fg.ones(2), "Tensor"), (lambda: None, "NoneType"), (lambda: "a", "str"), (lambda: 1j, "complex"),
])
def test_cdist_refuses_a_p_that_is_not_a_float(p, name):
    with raises(TypeError, f"cdist(): argument 'p' (position 3) must be float, not {name}"):
        fg.cdist(x(), x(), p=p())


def test_cdist_takes_a_0dim_tensor_p():
    assert fg.cdist(fg.zeros(1, 2), fg.ones(1, 2), p=fg.tensor(1.0)).tolist() == [[2.0]]


# ---- addr takes a bool beta or alpha for a bool result only ----------------------------


@pytest.mark.parametrize(("call", "message"), [
    (lambda: fg.addr(fg.ones(2, 2), fg.ones(2), fg.ones(2), beta=True), "Boolean beta only supported for Boolean results."),
    (lambda: fg.addr(fg.ones(2, 2).long(), fg.ones(2).long(), fg.ones(2).long(), alpha=False),
     "Boolean alpha only supported for Boolean results."),
    (lambda: fg.ones(2, 2).addr_(fg.ones(2), fg.ones(2), beta=True), "Boolean beta only supported for Boolean results."),
])
def test_addr_refuses_a_bool_scale_for_a_result_that_is_not_bool(call, message):
    with raises(RuntimeError, message):
        call()


def test_addr_of_bools_takes_bool_scales():
    b = fg.ones(2, dtype=fg.bool)
    assert fg.addr(fg.zeros(2, 2, dtype=fg.bool), b, b, beta=True, alpha=True).tolist() == [[True, True], [True, True]]
