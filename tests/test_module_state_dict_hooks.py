"""nn.Module: extra state, state-dict hooks, to_empty and the non-full backward hook,
against PyTorch 2.13's observed behaviour."""

import warnings

import ferrograd as fg
import pytest
from ferrograd import nn


class WithExtra(nn.Module):
    def __init__(self):
        super().__init__()
        self.l = nn.Linear(2, 2)
        self.v = 5

    def get_extra_state(self):
        return {"v": self.v}

    def set_extra_state(self, state):
        self.v = state["v"]


def test_extra_state_is_saved_first_and_loaded_back():
    sd = WithExtra().state_dict()
    assert list(sd) == ["_extra_state", "l.weight", "l.bias"]
    assert sd["_extra_state"] == {"v": 5}
    other = WithExtra()
    other.v = 0
    assert repr(other.load_state_dict(sd)) == "<All keys matched successfully>"
    assert other.v == 5


def test_missing_extra_state_is_a_missing_key():
    sd = WithExtra().state_dict()
    del sd["_extra_state"]
    with pytest.raises(RuntimeError, match=r'Missing key\(s\) in state_dict: "_extra_state"'):
        WithExtra().load_state_dict(sd)
    assert WithExtra().load_state_dict(sd, strict=False).missing_keys == ["_extra_state"]


def test_extra_state_without_setter_is_unexpected():
    sd = nn.Linear(2, 2).state_dict()
    sd["_extra_state"] = 1
    with pytest.raises(RuntimeError, match=r'Unexpected key\(s\) in state_dict: "_extra_state"'):
        nn.Linear(2, 2).load_state_dict(sd)


def test_base_get_extra_state_raises():
    m = nn.Linear(2, 2)
    assert hasattr(m, "get_extra_state") and hasattr(m, "set_extra_state")
    with pytest.raises(RuntimeError):
        m.get_extra_state()
    with pytest.raises(RuntimeError):
        m.set_extra_state(None)


def test_state_dict_pre_and_post_hooks_order_and_arguments():
    events = []
    m = nn.Sequential(nn.Linear(2, 2))
    m.register_state_dict_pre_hook(lambda mod, prefix, keep_vars: events.append(("pre", prefix, keep_vars)))
    m[0].register_state_dict_pre_hook(lambda mod, prefix, keep_vars: events.append(("pre0", prefix, keep_vars)))
    m.register_state_dict_post_hook(lambda mod, sd, prefix, meta: events.append(("post", list(sd), meta)))
    keys = list(m.state_dict(keep_vars=True))
    assert keys == ["0.weight", "0.bias"]
    assert events == [("pre", "", True), ("pre0", "0.", True), ("post", ["0.weight", "0.bias"], {"version": 1})]


def test_public_post_hook_must_return_none_private_may_replace():
    m = nn.Linear(2, 2)
    h = m.register_state_dict_post_hook(lambda mod, sd, prefix, meta: {"x": 1})
    with pytest.raises(RuntimeError, match="state_dict post-hook must return None"):
        m.state_dict()
    h.remove()
    m._register_state_dict_hook(lambda mod, sd, prefix, meta: {"x": 1})
    assert m.state_dict() == {"x": 1}


def test_load_state_dict_pre_and_post_hooks():
    events = []
    m = nn.Linear(2, 2)

    def pre(mod, sd, prefix, meta, strict, missing, unexpected, errors):
        events.append(("pre", mod is m, prefix, sorted(sd), strict))
        sd.pop("extra", None)

    def post(mod, keys):
        events.append(("post", repr(keys)))

    m.register_load_state_dict_pre_hook(pre)
    m.register_load_state_dict_post_hook(post)
    sd = dict(nn.Linear(2, 2).state_dict(), extra=fg.ones(1))
    assert repr(m.load_state_dict(sd)) == "<All keys matched successfully>"
    assert events == [("pre", True, "", ["bias", "extra", "weight"], True), ("post", "<All keys matched successfully>")]


def test_load_post_hook_can_clear_keys_and_must_return_none():
    m = nn.Linear(2, 2)
    m.register_load_state_dict_post_hook(lambda mod, keys: keys.missing_keys.clear())
    assert m.load_state_dict({}, strict=True).missing_keys == []
    m2 = nn.Linear(2, 2)
    m2.register_load_state_dict_post_hook(lambda mod, keys: 1)
    with pytest.raises(AssertionError):
        m2.load_state_dict(m2.state_dict())


def test_to_empty_keeps_parameters_and_shapes():
    m = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3))
    out = m.to_empty(device="cpu")
    assert out is m
    assert isinstance(m[0].weight, nn.Parameter) and m[0].weight.requires_grad
    assert tuple(m[0].weight.shape) == (3, 2)
    assert m[1].running_mean.dtype == fg.float32 and tuple(m[1].num_batches_tracked.shape) == ()


def test_non_full_backward_hook_sees_the_output_node_gradients():
    m = nn.Linear(2, 2)
    seen = []
    m.register_backward_hook(lambda mod, gi, go: seen.append(
        (mod is m, [None if g is None else tuple(g.shape) for g in gi], [tuple(g.shape) for g in go])))
    x = fg.ones(3, 2, requires_grad=True)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        y = m(x)
    assert any(issubclass(i.category, FutureWarning) for i in w)
    y.sum().backward()
    # PyTorch: AddmmBackward0's inputs (bias, input, weight.t())
    assert seen == [(True, [(2,), (3, 2), (2, 2)], [(3, 2)])]


def test_non_full_backward_hook_can_replace_grad_input():
    m = nn.ReLU()
    m.register_backward_hook(lambda mod, gi, go: (gi[0] * 3,))
    x = fg.ones(2, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m(x).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]


def test_mixing_full_and_non_full_backward_hooks_raises():
    m = nn.Linear(2, 2)
    m.register_full_backward_hook(lambda *a: None)
    with pytest.raises(RuntimeError, match="Cannot use both regular backward hooks and full backward hooks"):
        m.register_backward_hook(lambda *a: None)
    m2 = nn.Linear(2, 2)
    m2.register_backward_hook(lambda *a: None)
    with pytest.raises(RuntimeError, match="Cannot use both regular backward hooks and full backward hooks"):
        m2.register_full_backward_hook(lambda *a: None)
