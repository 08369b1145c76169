"""`ferrograd.utils.hooks`, `ferrograd.types` and `ferrograd.nn.attention`, as PyTorch's
(expected values read from PyTorch 2.13)."""

import pickle
import warnings
from collections import OrderedDict

import ferrograd as fg
import ferrograd.nn.functional as F
import pytest
from ferrograd.nn.attention import SDPBackend, sdpa_kernel
from ferrograd.utils.hooks import RemovableHandle, unserializable_hook, warn_if_has_hooks


def test_every_hook_handle_is_a_removable_handle():
    x = fg.ones(2, requires_grad=True)
    y = x * 2
    handles = [
        x.register_hook(lambda g: g),
        x.register_post_accumulate_grad_hook(lambda t: None),
        y.grad_fn.register_hook(lambda gi, go: None),
        y.grad_fn.register_prehook(lambda go: None),
        fg.nn.Linear(2, 2).register_forward_hook(lambda *a: None),
    ]
    assert all(isinstance(h, RemovableHandle) for h in handles)
    assert issubclass(type(handles[0]), RemovableHandle)
    assert not isinstance(object(), RemovableHandle)


def test_removable_handle_removes_from_its_dict_and_the_extra_ones():
    hooks, extra = OrderedDict(), OrderedDict()
    h = RemovableHandle(hooks, extra_dict=[extra])
    hooks[h.id], extra[h.id] = "hook", "flag"
    later = RemovableHandle(hooks)
    assert later.id == h.id + 1
    h.remove()
    h.remove()
    assert h.id not in hooks and h.id not in extra


def _forward_pre_hook(module, args):
    return None


def test_removable_handle_as_context_manager_and_pickled():
    hooks = OrderedDict()
    with RemovableHandle(hooks) as h:
        hooks[h.id] = "hook"
    assert hooks == {}
    module = fg.nn.Linear(2, 2)
    handle = module.register_forward_pre_hook(_forward_pre_hook)
    copy = pickle.loads(pickle.dumps(handle))
    assert copy.id == handle.id
    assert RemovableHandle(OrderedDict()).id > handle.id
    handle.remove()
    assert len(module._forward_pre_hooks) == 0


def test_unserializable_hook_marks_the_function():
    def hook(g):
        return g

    assert unserializable_hook(hook) is hook
    assert hook.__torch_unserializable__ is True
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warn_if_has_hooks(fg.ones(2))


def test_types_aliases():
    assert fg.types.Number == int | float | bool
    assert fg.types.Device == fg.device | str | int | None
    assert fg.types._size == fg.Size | list[int] | tuple[int, ...]
    assert fg.types._int is int and fg.types.IntLikeType is int
    assert fg.types.Storage is fg.Storage
    assert fg.types.py_sym_types == ()


def test_sdp_backend_members():
    assert [(b.name, int(b)) for b in SDPBackend] == [
        ("ERROR", -1), ("MATH", 0), ("FLASH_ATTENTION", 1), ("EFFICIENT_ATTENTION", 2),
        ("CUDNN_ATTENTION", 3), ("OVERRIDEABLE", 4),
    ]
    assert repr(SDPBackend.MATH) == "<SDPBackend.MATH: 0>"
    assert str(SDPBackend.FLASH_ATTENTION) == "SDPBackend.FLASH_ATTENTION"


FLAGS = ("flash_sdp_enabled", "math_sdp_enabled", "mem_efficient_sdp_enabled", "cudnn_sdp_enabled")


@pytest.mark.parametrize("backends, flags, runs", [
    (SDPBackend.MATH, (False, True, False, False), True),
    (SDPBackend.FLASH_ATTENTION, (True, False, False, False), True),
    (SDPBackend.EFFICIENT_ATTENTION, (False, False, True, False), False),
    (SDPBackend.CUDNN_ATTENTION, (False, False, False, True), False),
    (SDPBackend.OVERRIDEABLE, (False, False, False, False), False),
    ([SDPBackend.EFFICIENT_ATTENTION, SDPBackend.MATH], (False, True, True, False), True),
])
def test_sdpa_kernel_sets_the_flags_and_restores_them(backends, flags, runs):
    q = fg.randn(1, 2, 3, 4)
    expected = F.scaled_dot_product_attention(q, q, q)
    with sdpa_kernel(backends) as state:
        assert state == {}
        assert tuple(getattr(fg.backends.cuda, f)() for f in FLAGS) == flags
        if runs:
            assert fg.equal(F.scaled_dot_product_attention(q, q, q), expected)
        else:
            with pytest.raises(RuntimeError, match="No viable backend for scaled_dot_product_attention"):
                F.scaled_dot_product_attention(q, q, q)
    assert all(getattr(fg.backends.cuda, f)() for f in FLAGS)


def test_sdpa_kernel_refuses_a_string():
    with pytest.raises(AssertionError, match="got str"), sdpa_kernel("math"):
        pass
