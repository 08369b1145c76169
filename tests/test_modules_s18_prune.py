"""`nn.modules.utils` (the `_pair` family, consume_prefix_in_state_dict_if_present) and
`nn.utils.prune`: masks after manual_seed, the weight_orig / weight_mask layout, repeated
pruning through PruningContainer, remove, global pruning and PyTorch's errors. Expected
values recorded from PyTorch 2.13 (the file also runs with FG_TEST_BACKEND=torch)."""

import importlib
from collections import OrderedDict

import pytest
from backend import MOD, fg

U = importlib.import_module(f"{MOD}.nn.modules.utils")
P = importlib.import_module(f"{MOD}.nn.utils.prune")
nn = fg.nn


# --- nn.modules.utils --------------------------------------------------------------------

def test_ntuple_repeats_a_value_and_tuples_an_iterable():
    assert U._single(3) == (3,) and U._pair(3) == (3, 3) and U._triple(1) == (1, 1, 1)
    assert U._quadruple(0) == (0, 0, 0, 0)
    assert U._pair([4, 5]) == (4, 5) and U._pair("ab") == ("a", "b")  # any iterable
    assert U._ntuple(5, "five")(2) == (2,) * 5
    assert U._pair.__name__ == "_pair" and U._ntuple(2).__name__ == "parse"


def test_reverse_repeat_tuple_is_the_padding_f_pad_takes():
    assert U._reverse_repeat_tuple((1, 2, 3), 2) == (3, 3, 2, 2, 1, 1)
    assert U._reverse_repeat_tuple((), 2) == ()


def test_list_with_default_fills_none_from_the_trailing_defaults():
    assert U._list_with_default([None, 3], [1, 5, 6]) == [5, 3]
    assert U._list_with_default(4, [1]) == 4
    with pytest.raises(ValueError, match="^Input dimension should be at least 2$"):
        U._list_with_default([1], [2])


def test_consume_prefix_strips_keys_and_metadata():
    sd = OrderedDict([("module.a", 1), ("b", 2), ("module.c.d", 3)])
    sd._metadata = OrderedDict([("", {}), ("module", {"v": 1}), ("module.c", {"v": 2}), ("x", {})])
    U.consume_prefix_in_state_dict_if_present(sd, "module.")
    assert list(sd) == ["b", "a", "c.d"]
    # 'module' became '', replacing the wrapper's own entry in place
    assert list(sd._metadata) == ["", "x", "c"]
    assert sd._metadata[""] == {"v": 1} and sd._metadata["c"] == {"v": 2}


def test_consume_prefix_loads_a_wrapped_models_state_dict():
    fg.manual_seed(0)
    wrapped = nn.Sequential(OrderedDict(module=nn.Linear(2, 3)))
    sd = wrapped.state_dict()
    U.consume_prefix_in_state_dict_if_present(sd, "module.")
    plain = nn.Linear(2, 3)
    plain.load_state_dict(sd)
    assert fg.equal(plain.weight, wrapped.module.weight)


# --- prune: masks ------------------------------------------------------------------------

def mask(m, name="weight"):
    return getattr(m, name + "_mask").int().tolist()


def test_iterative_pruning_masks_match_pytorchs_after_manual_seed():
    fg.manual_seed(0)
    m = nn.Linear(5, 4)
    P.random_unstructured(m, "weight", amount=0.3)
    assert mask(m) == [[1, 1, 0, 1, 1], [1, 1, 0, 1, 1], [1, 1, 1, 0, 0], [0, 1, 1, 0, 1]]
    P.l1_unstructured(m, "weight", amount=3)  # three more, among the kept entries
    assert mask(m) == [[0, 1, 0, 1, 1], [1, 0, 0, 0, 1], [1, 1, 1, 0, 0], [0, 1, 1, 0, 1]]
    P.random_structured(m, "weight", amount=1, dim=0)
    assert mask(m) == [[0, 0, 0, 0, 0], [1, 0, 0, 0, 1], [1, 1, 1, 0, 0], [0, 1, 1, 0, 1]]
    P.ln_structured(m, "weight", amount=0.5, n=2, dim=1)
    assert mask(m) == [[0, 0, 0, 0, 0], [0, 0, 0, 0, 1], [0, 0, 1, 0, 0], [0, 0, 1, 0, 1]]
    hooks = list(m._forward_pre_hooks.values())
    assert len(hooks) == 1 and isinstance(hooks[0], P.PruningContainer)
    assert [type(h).__name__ for h in hooks[0]] == [
        "RandomUnstructured", "L1Unstructured", "RandomStructured", "LnStructured"]
    assert len(hooks[0]) == 4 and isinstance(hooks[0][1], P.L1Unstructured)


def test_random_structured_draws_one_number_per_channel():
    fg.manual_seed(5)
    c = nn.Conv2d(2, 4, 3)
    P.random_structured(c, "weight", amount=2, dim=0)
    assert c.weight_mask.sum(dim=(2, 3)).int().tolist() == [[9, 9], [9, 9], [0, 0], [0, 0]]


T = [[1.0, -5, 2, 0.5], [3, 1, -1, 4], [0.1, 0.2, 9, -3]]


def test_method_masks_on_a_plain_tensor():
    t = fg.tensor(T)
    ones = fg.ones(3, 4)
    assert P.L1Unstructured(0.25).compute_mask(t, ones).tolist() == [
        [1, 1, 1, 0], [1, 1, 1, 1], [0, 0, 1, 1]]
    # L-inf norms of the columns: 3, 5, 9, 4 -> the first goes
    assert P.LnStructured(1, n=float("inf"), dim=-1).compute_mask(t, ones).tolist() == [[0, 1, 1, 1]] * 3
    kept = P.LnStructured(2, n=1, dim=0).prune(t)  # row L1 norms 8.5, 9, 12.3
    assert kept[2].tolist() == t[2].tolist() and kept[:2].abs().sum().item() == 0
    fg.manual_seed(3)
    assert P.RandomUnstructured(0.5).compute_mask(t, ones).int().tolist() == [
        [1, 1, 1, 1], [0, 1, 0, 0], [0, 0, 1, 0]]


def test_zero_amount_keeps_the_default_mask():
    t = fg.tensor(T)
    earlier = fg.tensor([[1.0, 0, 1, 1]] * 3)
    for method in (P.RandomUnstructured(0), P.L1Unstructured(0.0), P.RandomStructured(0),
                   P.LnStructured(0, n=2)):
        assert method.compute_mask(t, earlier).tolist() == earlier.tolist()


# --- prune: the module layout -------------------------------------------------------------

def test_pruning_reparametrises_the_parameter():
    fg.manual_seed(0)
    m = nn.Linear(3, 2)
    w = m.weight.detach().clone()
    P.l1_unstructured(m, "weight", amount=2)
    assert list(m.state_dict()) == ["bias", "weight_orig", "weight_mask"]
    assert [n for n, _ in m.named_parameters()] == ["bias", "weight_orig"]
    assert [n for n, _ in m.named_buffers()] == ["weight_mask"]
    assert not isinstance(m.weight, nn.Parameter) and "weight" not in m._parameters
    assert fg.equal(m.weight, w * m.weight_mask) and fg.equal(m.weight_orig, w)
    assert P.is_pruned(m) and P.is_pruned(nn.Sequential(m))


def test_the_pre_hook_recomputes_the_weight_and_gradients_reach_the_original():
    m = nn.Linear(3, 2)
    P.custom_from_mask(m, "weight", mask=fg.tensor([[1, 0, 1], [0, 1, 1]]))
    with fg.no_grad():
        m.weight_orig.fill_(2.0)
    m(fg.ones(1, 3)).sum().backward()
    assert m.weight.tolist() == [[2, 0, 2], [0, 2, 2]]
    assert m.weight_orig.grad.tolist() == [[1, 0, 1], [0, 1, 1]]  # d/dw of sum(mask*w @ x)


def test_gradcheck_through_the_pruned_weight():
    m = nn.Linear(3, 2).double()
    P.custom_from_mask(m, "weight", mask=fg.tensor([[1, 0, 1], [0, 1, 1]]))
    x = fg.randn(4, 3, dtype=fg.float64)

    def f(w):
        return fg.nn.functional.linear(x, P.CustomFromMask(m.weight_mask).prune(w), m.bias)

    assert fg.autograd.gradcheck(f, (m.weight_orig.detach().clone().requires_grad_(),))


def test_remove_makes_the_pruning_permanent():
    m = nn.Linear(3, 2)
    P.custom_from_mask(m, "bias", mask=fg.tensor([0, 1]))
    b = m.bias_orig.detach().clone()
    assert P.remove(m, "bias") is m
    assert list(m.state_dict()) == ["weight", "bias"] and isinstance(m.bias, nn.Parameter)
    assert m.bias.tolist() == [0.0, b[1].item()] and not P.is_pruned(m)
    with pytest.raises(ValueError, match="^Parameter 'bias' of module Linear.* has to be pruned before"):
        P.remove(m, "bias")


def test_custom_and_identity_masks_take_the_parameters_dtype():
    m = nn.Linear(3, 2)
    P.custom_from_mask(m, "bias", mask=fg.tensor([0, 1]))
    P.identity(m, "weight")
    assert m.bias_mask.dtype == fg.float32 and m.bias_mask.tolist() == [0.0, 1.0]
    assert m.weight_mask.tolist() == [[1.0] * 3] * 2


def test_importance_scores_choose_what_is_pruned():
    m = nn.Linear(2, 2)
    P.l1_unstructured(m, "weight", amount=1, importance_scores=fg.tensor([[5.0, 1], [0.5, 3]]))
    assert mask(m) == [[1, 1], [0, 1]]
    P.ln_structured(m, "weight", amount=1, n=1, dim=0, importance_scores=fg.tensor([[9.0, 9], [0, 1]]))
    assert mask(m) == [[1, 1], [0, 0]]


def test_global_unstructured_prunes_across_parameters():
    net = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 1))
    with fg.no_grad():
        net[0].weight.copy_(fg.tensor([[0.1, -2.0], [3.0, 0.4]]))
        net[1].weight.copy_(fg.tensor([[0.2, -0.05]]))
    params = [(net[0], "weight"), (net[1], "weight")]
    P.global_unstructured(params, pruning_method=P.L1Unstructured, amount=3)
    assert mask(net[0]) == [[0, 1], [1, 1]] and mask(net[1]) == [[0, 0]]
    P.global_unstructured(params, pruning_method=P.L1Unstructured, amount=1)  # among the kept
    assert mask(net[0]) == [[0, 1], [1, 0]] and mask(net[1]) == [[0, 0]]
    assert all(isinstance(h, P.PruningContainer) for h in net[0]._forward_pre_hooks.values())


# --- prune: errors ------------------------------------------------------------------------

AMOUNT = "should either be a float in the range \\[0, 1\\] or a non-negative integer"


@pytest.mark.parametrize("make, error, message", [
    (lambda: P.RandomUnstructured(1.5), ValueError, "^amount=1.5 " + AMOUNT),
    (lambda: P.L1Unstructured(-1), ValueError, "^amount=-1 " + AMOUNT),
    (lambda: P.RandomStructured("a"), TypeError, "^Invalid type for amount: a. Must be int or float.$"),
    (lambda: P.l1_unstructured(nn.Linear(2, 2), "weight", amount=5), ValueError,
     "^amount=5 should be smaller than the number of parameters to prune=4$"),
    (lambda: P.random_structured(nn.Linear(2, 2), "bias", amount=1, dim=0), ValueError,
     "^Structured pruning can only be applied to multidimensional tensors. Found tensor of shape "),
    (lambda: P.random_structured(nn.Linear(2, 2), "weight", amount=1, dim=2), IndexError,
     "^Invalid index 2 for tensor of size "),
    (lambda: P.global_unstructured(3, P.L1Unstructured, amount=1), TypeError,
     "^global_unstructured\\(\\): parameters is not an Iterable$"),
    (lambda: P.global_unstructured([(nn.Linear(1, 1), "weight")], P.L1Unstructured, importance_scores=[1],
                                   amount=1), TypeError, "importance_scores must be of type dict$"),
    (lambda: P.global_unstructured([(nn.Linear(2, 2), "weight")], P.RandomStructured, amount=1), TypeError,
     '^Only "unstructured" PRUNING_TYPE supported for the `pruning_method`. Found method '),
    (lambda: P.l1_unstructured(nn.Linear(2, 2), "weight", amount=1, importance_scores=fg.ones(3)),
     AssertionError, "^importance_scores should have the same shape as parameter weight of Linear"),
    (lambda: P.PruningContainer(P.L1Unstructured(1)), AttributeError, "_tensor_name"),
])
def test_errors(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_a_failed_first_pruning_puts_the_parameter_back():
    m = nn.Linear(2, 2)
    with pytest.raises(ValueError):
        P.l1_unstructured(m, "weight", amount=5)
    assert [n for n, _ in m.named_parameters()] == ["bias", "weight"] and not m._forward_pre_hooks


def test_a_container_refuses_another_parameters_method():
    first = P.L1Unstructured(1)
    first._tensor_name = "weight"
    other = P.L1Unstructured(1)
    other._tensor_name = "bias"
    container = P.PruningContainer(first)
    with pytest.raises(ValueError, match="^Can only add pruning methods acting on the parameter named 'weight' "):
        container.add_pruning_method(other)
    with pytest.raises(TypeError, match="is not a BasePruningMethod subclass$"):
        container.add_pruning_method(3)
