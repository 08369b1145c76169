"""PyTorch's argument-parser TypeErrors: where its per-argument message names the
argument's "(position N)" (only when given by position; counted among the arguments
after a method's receiver; the C op's position where a Python body of `nn.functional`
hands its arguments on by position), and where it lists every overload instead (several
overloads take that many arguments, a bad `out=` among them)."""

import pytest
from backend import fg

F = fg.nn.functional


def x():
    return fg.arange(6.0).reshape(2, 3)


def idx():
    return fg.tensor([[0, 1, 0], [1, 0, 1]])


def message(call):
    with pytest.raises(TypeError) as info:
        call()
    return str(info.value)


# ---------------------------------------------------------------- (position N)
@pytest.mark.parametrize(("call", "expected"), [
    (lambda: fg.gather(x(), "a", idx()), "gather(): argument 'dim' (position 2) must be int, not str"),
    (lambda: fg.gather(x(), dim="a", index=idx()), "gather(): argument 'dim' must be int, not str"),
    (lambda: fg.as_strided(x(), (2,), (1,), storage_offset="a"),
     "as_strided(): argument 'storage_offset' must be int, not str"),
    (lambda: fg.as_strided(x(), [1.5], (1,)),
     "as_strided(): argument 'size' (position 2) must be tuple of ints, but found element of type float at pos 0"),
    (lambda: fg.rot90(x(), k="a"), "rot90(): argument 'k' must be int, not str"),
    (lambda: fg.slice_inverse(x(), x(), dim="a"), "slice_inverse(): argument 'dim' must be int, not str"),
    (lambda: fg.nan_to_num(x(), nan="abc"), "nan_to_num(): argument 'nan' must be float, not str"),
    (lambda: fg.conv_transpose2d("abc", x()),
     "conv_transpose2d(): argument 'input' (position 1) must be Tensor, not str"),
], ids=["gather-positional", "gather-keyword", "as_strided-keyword", "as_strided-element", "rot90", "slice_inverse",
        "nan_to_num", "conv_transpose2d"])
def test_function_position_only_when_given_by_position(call, expected):
    assert message(call) == expected


@pytest.mark.parametrize(("call", "expected"), [
    (lambda: x().gather("a", idx()), "gather(): argument 'dim' (position 1) must be int, not str"),
    (lambda: x().gather(0, "abc"), "gather(): argument 'index' (position 2) must be Tensor, not str"),
    (lambda: x().index_select("a", fg.tensor([0])), "index_select(): argument 'dim' (position 1) must be int, not str"),
    (lambda: x().index_select(0, "abc"), "index_select(): argument 'index' (position 2) must be Tensor, not str"),
    (lambda: x().addcmul("abc", x()), "addcmul(): argument 'tensor1' (position 1) must be Tensor, not str"),
    (lambda: x().addcdiv_(x(), "abc"), "addcdiv_(): argument 'tensor2' (position 2) must be Tensor, not str"),
    (lambda: x().is_same_size("abc"), "is_same_size(): argument 'other' (position 1) must be Tensor, not str"),
    (lambda: x().as_strided("ab", (1,)), "as_strided(): argument 'size' (position 1) must be tuple of ints, not str"),
    (lambda: x().rot90(k="a"), "rot90(): argument 'k' must be int, not str"),
    (lambda: x().tril_(diagonal="a"), "tril_(): argument 'diagonal' must be int, not str"),
    (lambda: x().triu_("a"), "triu_(): argument 'diagonal' (position 1) must be int, not str"),
], ids=["gather-dim", "gather-index", "index_select-dim", "index_select-index", "addcmul", "addcdiv_",
        "is_same_size", "as_strided", "rot90-keyword", "tril_-keyword", "triu_-positional"])
def test_method_positions_leave_out_the_receiver(call, expected):
    assert message(call) == expected


@pytest.mark.parametrize(("call", "expected"), [
    (lambda: F.max_pool1d(x().reshape(1, 2, 3), 2, stride=[1.5]),
     "max_pool1d(): argument 'stride' (position 3) must be tuple of ints, but found element of type float at pos 0"),
    (lambda: F.layer_norm(x(), (3,), weight="abc"), "layer_norm(): argument 'weight' (position 3) must be Tensor, not str"),
    (lambda: F.rms_norm(x(), (3,), weight="abc"), "rms_norm(): argument 'weight' (position 3) must be Tensor, not str"),
    (lambda: F.pad(x(), (1, 1), mode=1), "pad(): argument 'mode' (position 3) must be str, not int"),
    (lambda: F.elu(x(), alpha="abc"), "elu(): argument 'alpha' (position 2) must be Number, not str"),
], ids=["max_pool1d", "layer_norm", "rms_norm", "pad", "elu"])
def test_functional_bodies_hand_keywords_on_by_position(call, expected):
    assert message(call) == expected


# ---------------------------------------------------------------- overload listings
def test_bad_out_lists_the_overloads_that_take_as_many_arguments():
    sq = fg.eye(3)
    text = message(lambda: fg.addmm(sq, sq, sq, out="abc"))
    assert text.startswith("addmm() received an invalid combination of arguments - got (Tensor, Tensor, Tensor, "
                           "out=str), but expected one of:\n * (Tensor input, Tensor mat1, Tensor mat2, *, ")
    assert text.count("\n * (") == 2


def test_bad_out_of_one_overload_is_named():
    assert message(lambda: fg.sin(x(), out="abc")) == "sin(): argument 'out' must be Tensor, not str"
    assert message(lambda: fg.nonzero(x(), out="abc")) == "nonzero(): argument 'out' must be Tensor, not str"
    assert message(lambda: fg.nonzero(x(), as_tuple="abc")) == "nonzero(): argument 'as_tuple' must be bool, not str"


def test_bad_list_out_lists_the_overloads():
    sq = fg.eye(3)
    text = message(lambda: fg.addmm(sq, sq, sq, out=[sq]))
    assert text.startswith("addmm() received an invalid combination of arguments - got (Tensor, Tensor, Tensor, "
                           "out=list), but expected one of:\n")


def test_argument_refused_by_two_plausible_overloads_lists_them():
    assert message(lambda: fg.clamp_max_("abc", x())) == (
        "clamp_max_() received an invalid combination of arguments - got (str, Tensor), but expected one of:\n"
        " * (Tensor input, Tensor max)\n"
        "      didn't match because some of the arguments have invalid types: (!str!, Tensor)\n"
        " * (Tensor input, Number max)\n"
        "      didn't match because some of the arguments have invalid types: (!str!, !Tensor!)\n"
    )


def test_keyword_refused_by_two_conv_overloads_lists_them():
    text = message(lambda: fg.conv1d(fg.ones(1, 3, 3), fg.ones(3, 1, 3), groups="a"))
    assert text.startswith("conv1d() received an invalid combination of arguments - got (Tensor, Tensor, "
                           "groups=str), but expected one of:\n * (Tensor input, Tensor weight, Tensor bias = None, ")
    assert 'str padding = "valid"' in text


def test_window_length_refused_by_two_overloads_lists_them():
    text = message(lambda: fg.bartlett_window("a", True))
    assert text.startswith("bartlett_window() received an invalid combination of arguments - got (str, bool), "
                           "but expected one of:\n * (int window_length, *, ")
    assert " * (int window_length, bool periodic, *, " in text
