"""`nn`: Parameter, Module semantics and printing, layers, functional ops and losses, init.

Expected values come from PyTorch 2.13: module reprs and key lists inline, numbers in
tests/data/nn_expected.json (recorded by tests/data/record_nn.py from the inputs in
tests/data/nn_cases.py).
"""

import copy
import json
import math
import os
import pickle
import sys
from collections import OrderedDict

import numpy as np
import pytest
from backend import MOD, fg

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "data"))
import nn_cases

nn = fg.nn
F = fg.nn.functional
D = fg.float64

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "nn_expected.json")) as _f:
    EXPECTED = json.load(_f)


def close(t, expected, rtol=1e-10, atol=1e-12):
    np.testing.assert_allclose(np.asarray(t.detach().tolist(), dtype=np.float64), np.asarray(expected),
                               rtol=rtol, atol=atol)


# --------------------------------------------------------------------------- Parameter


def test_parameter_is_a_tensor_with_pytorch_repr():
    p = nn.Parameter(fg.ones(2))
    assert isinstance(p, fg.Tensor)
    assert isinstance(p, nn.Parameter)
    assert p.requires_grad and p.is_leaf and p.grad_fn is None
    assert repr(p) == "Parameter containing:\ntensor([1., 1.], requires_grad=True)"
    assert str(p) == repr(p)
    q = nn.Parameter(fg.ones(2, dtype=D), requires_grad=False)
    assert repr(q) == f"Parameter containing:\ntensor([1., 1.], dtype={MOD}.float64)"
    assert not q.requires_grad


def test_parameter_ops_return_plain_tensors():
    p = nn.Parameter(fg.tensor([1.0, 2.0]))
    for r in (p * 2, p + p, p.detach(), p[0], p.sum(), p.data, p.exp()):
        assert type(r) is fg.Tensor
    assert repr(p.detach()) == "tensor([1., 2.])"


def test_parameter_shares_storage_and_gets_gradients():
    t = fg.tensor([1.0, 2.0, 3.0])
    p = nn.Parameter(t)
    with fg.no_grad():
        t.add_(1)
    assert p.tolist() == [2.0, 3.0, 4.0]
    (p * p).sum().backward()
    assert p.grad.tolist() == [4.0, 6.0, 8.0]
    assert type(p.grad) is fg.Tensor
    node = (p * 2).grad_fn.next_functions[0][0]
    assert node.variable is p


def test_parameter_default_and_errors():
    p = nn.Parameter()
    assert tuple(p.shape) == (0,) and p.requires_grad
    x = fg.ones(2, requires_grad=True) * 2
    q = nn.Parameter(x)
    assert q.is_leaf and q.grad_fn is None and q.requires_grad
    i = nn.Parameter(fg.tensor([1, 2]), requires_grad=False)
    assert i.dtype == fg.int64
    with pytest.raises(RuntimeError, match="^Only Tensors of floating point and complex dtype can require gradients$"):
        nn.Parameter(fg.tensor([1, 2]))


def test_parameter_copy_and_pickle():
    p = nn.Parameter(fg.tensor([1.5, -2.0]))
    for q in (copy.deepcopy(p), pickle.loads(pickle.dumps(p))):
        assert type(q) is nn.Parameter
        assert q.tolist() == [1.5, -2.0] and q.requires_grad
        assert q.data_ptr() != p.data_ptr()


def test_tensor_constructor():
    t = fg.Tensor(2, 3)
    assert type(t) is fg.Tensor and tuple(t.shape) == (2, 3) and t.dtype == fg.float32
    assert tuple(fg.Tensor().shape) == (0,)
    d = fg.Tensor([1, 2])
    assert d.dtype == fg.float32 and d.tolist() == [1.0, 2.0]
    src = fg.tensor([1.0, 2.0])
    u = fg.Tensor(src)
    assert u is not src and u.data_ptr() == src.data_ptr() and u.tolist() == [1.0, 2.0]


# --------------------------------------------------------------------------- Module


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.ModuleList([nn.Linear(3, 3) for _ in range(3)] + [nn.Tanh()])
        self.heads = nn.ModuleDict(
            {"a": nn.Linear(3, 1, bias=False), "b": nn.Sequential(nn.GELU(), nn.Dropout(0.25))}
        )
        self.register_buffer("running", fg.zeros(3))
        self.register_buffer("tmp", fg.zeros(1), persistent=False)
        self.scale = nn.Parameter(fg.ones(1))

    def forward(self, x):
        for layer in self.body:
            x = layer(x)
        return self.heads["a"](self.heads["b"](x)) * self.scale


NET_REPR = """Net(
  (body): ModuleList(
    (0-2): 3 x Linear(in_features=3, out_features=3, bias=True)
    (3): Tanh()
  )
  (heads): ModuleDict(
    (a): Linear(in_features=3, out_features=1, bias=False)
    (b): Sequential(
      (0): GELU(approximate='none')
      (1): Dropout(p=0.25, inplace=False)
    )
  )
)"""


def test_module_repr_and_names():
    n = Net()
    assert repr(n) == NET_REPR
    assert list(n.state_dict().keys()) == [
        "scale", "running", "body.0.weight", "body.0.bias", "body.1.weight", "body.1.bias",
        "body.2.weight", "body.2.bias", "heads.a.weight",
    ]
    assert [k for k, _ in n.named_parameters()] == [
        "scale", "body.0.weight", "body.0.bias", "body.1.weight", "body.1.bias", "body.2.weight",
        "body.2.bias", "heads.a.weight",
    ]
    assert [k for k, _ in n.named_buffers()] == ["running", "tmp"]
    assert [k for k, _ in n.named_modules()] == [
        "", "body", "body.0", "body.1", "body.2", "body.3", "heads", "heads.a", "heads.b",
        "heads.b.0", "heads.b.1",
    ]
    assert [k for k, _ in n.named_children()] == ["body", "heads"]
    assert len(list(n.parameters())) == 8
    assert len(list(n.parameters(recurse=False))) == 1
    assert len(list(n.modules())) == 11 and len(list(n.children())) == 2
    assert len(list(n.buffers())) == 2
    out = n(fg.ones(2, 3))
    assert tuple(out.shape) == (2, 1)


def test_mlp_repr():
    m = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    assert repr(m) == (
        "Sequential(\n"
        "  (0): Linear(in_features=784, out_features=256, bias=True)\n"
        "  (1): ReLU()\n"
        "  (2): Linear(in_features=256, out_features=10, bias=True)\n"
        ")"
    )


@pytest.mark.parametrize(
    "make, text",
    [
        (lambda: nn.LeakyReLU(), "LeakyReLU(negative_slope=0.01)"),
        (lambda: nn.LeakyReLU(0.2, inplace=True), "LeakyReLU(negative_slope=0.2, inplace=True)"),
        (lambda: nn.ReLU(inplace=True), "ReLU(inplace=True)"),
        (lambda: nn.GELU(approximate="tanh"), "GELU(approximate='tanh')"),
        (lambda: nn.Softmax(dim=-1), "Softmax(dim=-1)"),
        (lambda: nn.LogSoftmax(1), "LogSoftmax(dim=1)"),
        (lambda: nn.Flatten(), "Flatten(start_dim=1, end_dim=-1)"),
        (lambda: nn.Identity(), "Identity()"),
        (lambda: nn.SiLU(), "SiLU()"),
        (lambda: nn.Sigmoid(), "Sigmoid()"),
        (lambda: nn.MSELoss(), "MSELoss()"),
        (lambda: nn.CrossEntropyLoss(), "CrossEntropyLoss()"),
        (lambda: nn.BCEWithLogitsLoss(), "BCEWithLogitsLoss()"),
        (lambda: nn.ELU(), "ELU(alpha=1.0)"),
        (lambda: nn.Softplus(), "Softplus(beta=1.0, threshold=20.0)"),
        (lambda: nn.Hardtanh(), "Hardtanh(min_val=-1.0, max_val=1.0)"),
        (lambda: nn.Unflatten(1, (2, 3)), "Unflatten(dim=1, unflattened_size=(2, 3))"),
        (lambda: nn.Dropout(), "Dropout(p=0.5, inplace=False)"),
        (lambda: nn.ReLU6(), "ReLU6()"),
        (lambda: nn.NLLLoss(), "NLLLoss()"),
        (lambda: nn.L1Loss(), "L1Loss()"),
        (lambda: nn.BCELoss(), "BCELoss()"),
        (lambda: nn.SmoothL1Loss(), "SmoothL1Loss()"),
        (lambda: nn.ModuleList(), "ModuleList()"),
        (
            lambda: nn.ParameterList([nn.Parameter(fg.ones(2, 3))]),
            f"ParameterList(  (0): Parameter containing: [{MOD}.float32 of size 2x3])",
        ),
    ],
)
def test_layer_reprs(make, text):
    assert repr(make()) == text


def test_setattr_registration_and_reassignment():
    m = nn.Module()
    m.w = nn.Parameter(fg.ones(2))
    m.sub = nn.Linear(2, 2)
    m.register_buffer("b", fg.zeros(1))
    m.plain = fg.ones(1)
    assert "w" in m._parameters and "sub" in m._modules and "b" in m._buffers
    assert "plain" not in m._buffers and "plain" in m.__dict__
    m.b = fg.ones(1)
    assert m._buffers["b"].tolist() == [1.0]
    m.w = None
    assert m.w is None and "w" in m._parameters
    with pytest.raises(TypeError, match="cannot assign"):
        m.sub = fg.ones(1)
    with pytest.raises(TypeError, match="cannot assign"):
        m.w = fg.ones(2)
    del m.sub
    assert "sub" not in m._modules
    with pytest.raises(AttributeError, match="'Module' object has no attribute 'sub'"):
        _ = m.sub
    with pytest.raises(KeyError, match="attribute 'plain' already exists"):
        m.register_buffer("plain", fg.ones(1))
    with pytest.raises(KeyError):
        m.register_parameter("a.b", None)
    m.add_module("lin", nn.Linear(1, 1))
    assert m.get_submodule("lin") is m.lin
    assert m.get_parameter("lin.weight") is m.lin.weight
    with pytest.raises(TypeError, match="is not a Module subclass"):
        m.add_module("x", 3)
    m.reg = nn.Buffer(fg.ones(2))
    assert "reg" in m._buffers


def test_shared_parameters_listed_once():
    lin = nn.Linear(2, 2)
    m = nn.Sequential(lin, nn.ReLU(), lin)
    assert len(list(m.parameters())) == 2
    assert [k for k, _ in m.named_parameters()] == ["0.weight", "0.bias"]
    assert list(m.state_dict().keys()) == ["0.weight", "0.bias", "2.weight", "2.bias"]


def test_train_eval_and_dropout():
    m = nn.Sequential(nn.Linear(2, 2), nn.Dropout(0.5))
    assert m.training and m[1].training
    assert m.eval() is m
    assert not m.training and not m[1].training
    x = fg.ones(4, 50)
    d = nn.Dropout(0.5)
    d.eval()
    assert d(x) is x
    d.train()
    y = d(x)
    vals = set(y.flatten().tolist())
    assert vals <= {0.0, 2.0} and len(vals) == 2
    assert nn.Dropout(0.0)(x) is x
    assert F.dropout(x, 1.0).sum().item() == 0.0
    assert F.dropout(x, 0.5, training=False) is x
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, but got 1.5"):
        nn.Dropout(1.5)
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, but got -0.1"):
        F.dropout(x, -0.1)


def test_dropout_gradient_matches_mask():
    x = fg.ones(3, 40, requires_grad=True)
    y = F.dropout(x, 0.25)
    y.sum().backward()
    np.testing.assert_allclose(np.asarray(x.grad.tolist()), np.asarray(y.detach().tolist()))


def test_zero_grad_and_requires_grad():
    m = nn.Linear(3, 2)
    m(fg.ones(1, 3)).sum().backward()
    assert m.weight.grad is not None
    m.zero_grad(set_to_none=False)
    assert m.weight.grad.tolist() == [[0.0] * 3] * 2
    m.zero_grad()
    assert m.weight.grad is None and m.bias.grad is None
    assert m.requires_grad_(False) is m
    assert not m.weight.requires_grad and not m.bias.requires_grad
    m.requires_grad_()
    assert m.weight.requires_grad


def test_state_dict_roundtrip_and_strict_errors():
    fg.manual_seed(0)
    a = nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Linear(2, 1))
    b = nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Linear(2, 1))
    sd = a.state_dict()
    assert isinstance(sd, OrderedDict)
    assert not any(v.requires_grad for v in sd.values())
    assert sd["0.weight"].data_ptr() == a[0].weight.data_ptr()
    r = b.load_state_dict(sd)
    assert repr(r) == "<All keys matched successfully>"
    assert r.missing_keys == [] and r.unexpected_keys == []
    assert b[0].weight.tolist() == a[0].weight.tolist()
    assert b[0].weight.data_ptr() != a[0].weight.data_ptr()
    bad = OrderedDict(sd)
    del bad["2.bias"]
    bad["extra"] = fg.ones(1)
    with pytest.raises(RuntimeError) as e:
        b.load_state_dict(bad)
    assert str(e.value) == (
        "Error(s) in loading state_dict for Sequential:\n"
        '\tMissing key(s) in state_dict: "2.bias". \n'
        '\tUnexpected key(s) in state_dict: "extra". '
    )
    r = b.load_state_dict(bad, strict=False)
    assert r.missing_keys == ["2.bias"] and r.unexpected_keys == ["extra"]
    wrong = OrderedDict(sd)
    wrong["0.bias"] = fg.ones(3)
    with pytest.raises(RuntimeError, match=r"size mismatch for 0.bias: copying a param with shape"):
        b.load_state_dict(wrong)
    assert sd["0.weight"].requires_grad is False
    kv = a.state_dict(keep_vars=True)
    assert kv["0.weight"] is a[0].weight


def test_to_double_float_keeps_parameter_objects():
    m = nn.Linear(2, 3)
    w = m.weight
    m.register_buffer("steps", fg.tensor([1, 2]))
    assert m.double() is m
    assert m.weight is w and isinstance(m.weight, nn.Parameter)
    assert m.weight.dtype == D and m.bias.dtype == D and m.steps.dtype == fg.int64
    assert m(fg.ones(1, 2, dtype=D)).dtype == D
    m.float()
    assert m.weight.dtype == fg.float32
    m.to(fg.float64)
    assert m.bias.dtype == D
    m.to(dtype=fg.float32)
    assert m.bias.dtype == fg.float32 and m.weight.requires_grad


def test_apply_and_hooks():
    m = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 2))
    seen = []
    m.apply(lambda mod: seen.append(type(mod).__name__))
    assert seen == ["Linear", "Linear", "Sequential"]

    def zero(mod):
        if isinstance(mod, nn.Linear):
            nn.init.zeros_(mod.weight)
            nn.init.ones_(mod.bias)

    m.apply(zero)
    assert m(fg.ones(1, 2)).tolist() == [[1.0, 1.0]]
    calls = []
    h1 = m.register_forward_pre_hook(lambda mod, args: (args[0] * 2,))
    h2 = m.register_forward_hook(lambda mod, args, out: out + 10)
    m[0].register_forward_hook(lambda mod, args, out: calls.append(tuple(out.shape)))
    assert m(fg.ones(1, 2)).tolist() == [[11.0, 11.0]]
    assert calls == [(1, 2)]
    h1.remove()
    h2.remove()
    assert m(fg.ones(1, 2)).tolist() == [[1.0, 1.0]]


def test_sequential_and_containers():
    s = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
    assert len(s) == 2 and isinstance(s[0], nn.Linear) and isinstance(s[-1], nn.ReLU)
    s.append(nn.Linear(3, 1))
    assert len(s) == 3 and list(s._modules) == ["0", "1", "2"]
    assert isinstance(s[1:], nn.Sequential) and len(s[1:]) == 2
    assert [type(x).__name__ for x in s] == ["Linear", "ReLU", "Linear"]
    with pytest.raises(IndexError, match="index 3 is out of range"):
        s[3]
    del s[1]
    assert list(s._modules) == ["0", "1"]
    od = nn.Sequential(OrderedDict([("fc", nn.Linear(1, 1)), ("act", nn.Tanh())]))
    assert list(od.state_dict()) == ["fc.weight", "fc.bias"] and od.fc is od[0]
    ml = nn.ModuleList([nn.ReLU()])
    ml.append(nn.Tanh())
    ml.extend([nn.Sigmoid()])
    ml += [nn.Identity()]
    assert len(ml) == 4 and isinstance(ml[-1], nn.Identity)
    md = nn.ModuleDict({"x": nn.ReLU()})
    md["y"] = nn.Tanh()
    assert list(md.keys()) == ["x", "y"] and "y" in md and len(md) == 2
    assert [k for k, _ in md.named_children()] == ["x", "y"]
    pl = nn.ParameterList([nn.Parameter(fg.ones(1)), nn.Parameter(fg.zeros(2))])
    assert [k for k, _ in pl.named_parameters()] == ["0", "1"]
    pd = nn.ParameterDict({"a": nn.Parameter(fg.ones(1))})
    assert [k for k, _ in pd.named_parameters()] == ["a"] and "a" in pd


def test_flatten_unflatten_identity():
    x = fg.ones(2, 3, 4)
    assert tuple(nn.Flatten()(x).shape) == (2, 12)
    assert tuple(nn.Flatten(0, 1)(x).shape) == (6, 4)
    assert tuple(nn.Unflatten(1, (3, 1))(x).shape) == (2, 3, 1, 4)
    assert nn.Identity(54, unused="x")(x) is x


def test_module_errors():
    class Empty(nn.Module):
        pass

    with pytest.raises(NotImplementedError, match='missing the required "forward" function'):
        Empty()(fg.ones(1))
    with pytest.raises(ValueError, match="training mode is expected to be boolean"):
        nn.Linear(1, 1).train("yes")

    class Early(nn.Module):
        def __init__(self):
            self.w = nn.Parameter(fg.ones(1))

    with pytest.raises(AttributeError, match=r"cannot assign parameters before Module.__init__\(\) call"):
        Early()


# --------------------------------------------------------------------------- Linear and init


def test_linear_init_matches_pytorch_after_manual_seed():
    fg.manual_seed(0)
    lin = nn.Linear(4, 3)
    lin64 = nn.Linear(5, 2, dtype=D)
    e = EXPECTED["linear_init"]
    assert lin.weight.tolist() == e["weight"]
    assert lin.bias.tolist() == e["bias"]
    assert lin64.weight.tolist() == e["weight64"]
    assert lin64.bias.tolist() == e["bias64"]
    assert isinstance(lin.weight, nn.Parameter) and lin.weight.dtype == fg.float32
    assert tuple(lin.weight.shape) == (3, 4)
    no_bias = nn.Linear(2, 2, bias=False)
    assert no_bias.bias is None and [k for k, _ in no_bias.named_parameters()] == ["weight"]


def test_linear_forward_and_errors():
    lin = nn.Linear(3, 2)
    with fg.no_grad():
        lin.weight.copy_(fg.tensor([[1.0, 2.0, 3.0], [0.0, -1.0, 0.5]]))
        lin.bias.copy_(fg.tensor([0.5, -0.5]))
    assert lin(fg.tensor([[1.0, 1.0, 2.0]])).tolist() == [[9.5, -0.5]]
    assert lin(fg.tensor([1.0, 1.0, 2.0])).tolist() == [9.5, -0.5]
    assert tuple(lin(fg.ones(4, 5, 3)).shape) == (4, 5, 2)
    with pytest.raises(RuntimeError, match=r"mat1 and mat2 shapes cannot be multiplied \(5x4 and 3x2\)"):
        lin(fg.ones(5, 4))


def test_init_functions_match_pytorch():
    e = EXPECTED["init"]
    fg.manual_seed(1)
    close(nn.init.uniform_(fg.empty(3, 4), -2.0, 0.5), e["uniform"], rtol=0, atol=0)
    close(nn.init.normal_(fg.empty(2, 3), 1.5, 0.5), e["normal_small"], rtol=0, atol=0)
    # From 16 elements PyTorch's float32 normal_ uses vectorised log/sincos approximations:
    # ferrograd's draws agree to a few float32 ulps there, exactly below 16 and in float64.
    close(nn.init.normal_(fg.empty(4, 5), -1.0, 2.0), e["normal_large"], rtol=1e-5, atol=1e-6)
    close(nn.init.normal_(fg.empty(5, dtype=D), 0.5, 3.0), e["normal_small64"], rtol=0, atol=0)
    close(nn.init.xavier_uniform_(fg.empty(3, 5), gain=2.0), e["xavier_uniform"], rtol=0, atol=0)
    close(nn.init.xavier_normal_(fg.empty(4, 6)), e["xavier_normal"], rtol=1e-5, atol=1e-6)
    close(nn.init.kaiming_uniform_(fg.empty(3, 2, 2), a=math.sqrt(5)), e["kaiming_uniform"], rtol=0, atol=0)
    close(nn.init.kaiming_normal_(fg.empty(4, 3), mode="fan_out", nonlinearity="relu"), e["kaiming_normal"],
          rtol=0, atol=0)
    close(nn.init.uniform_(fg.empty(2, 3, dtype=D), 1.0, 3.0), e["uniform64"], rtol=0, atol=0)


def test_init_in_place_on_parameters():
    p = nn.Parameter(fg.empty(2, 3))
    out = nn.init.constant_(p, 0.25)
    assert out is p and p.tolist() == [[0.25] * 3] * 2
    assert p.requires_grad and p.is_leaf and p.grad_fn is None
    nn.init.zeros_(p)
    assert p.sum().item() == 0.0
    nn.init.ones_(p)
    assert p.sum().item() == 6.0
    nn.init.eye_(p)
    assert p.tolist() == [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in an in-place"):
        p.uniform_(2.0, 3.0)
    with fg.no_grad():
        assert p.uniform_(2.0, 3.0) is p
    assert 2.0 <= p.min().item() and p.max().item() < 3.0
    with pytest.raises(ValueError, match="Fan in and fan out can not be computed"):
        nn.init.xavier_uniform_(fg.empty(3))
    with pytest.raises(ValueError, match="Mode fan_x not supported"):
        nn.init.kaiming_uniform_(fg.empty(2, 2), mode="fan_x")


def test_calculate_gain():
    g = nn.init.calculate_gain
    assert g("linear") == 1 and g("sigmoid") == 1 and g("conv2d") == 1
    assert g("tanh") == 5.0 / 3
    assert g("relu") == math.sqrt(2.0)
    assert g("leaky_relu") == math.sqrt(2.0 / (1 + 0.01**2))
    assert g("leaky_relu", math.sqrt(5)) == math.sqrt(1 / 3)
    assert g("selu") == 0.75
    with pytest.raises(ValueError, match="Unsupported nonlinearity foo"):
        g("foo")
    with pytest.raises(ValueError, match="negative_slope True not a valid number"):
        g("leaky_relu", True)


# --------------------------------------------------------------------------- functional


CASES = nn_cases.cases(fg)
INPUTS = nn_cases.inputs(fg)


@pytest.mark.parametrize("name", sorted(CASES))
def test_functional_values_and_gradients(name):
    fn, arg = CASES[name]
    x = INPUTS[arg].detach().clone().requires_grad_()
    y = fn(x)
    weights = fg.cos(fg.arange(y.numel(), dtype=D) * 0.37 + 0.2).reshape(tuple(y.shape))
    (y * weights).sum().backward()
    e = EXPECTED["functional"][name]
    assert y.dtype == D
    close(y, e["out"])
    close(x.grad, e["grad"])


GRADCHECK = [
    "relu", "leaky_relu", "gelu", "gelu_tanh", "silu", "elu", "softplus", "logsigmoid", "softmax1",
    "log_softmax1", "log_softmax3d", "linear", "mse", "l1", "smooth_l1", "ce", "ce_weight", "ce_smooth_weight",
    "ce_probs_smooth_weight", "ce_kdim", "nll_weight_ignore", "bce", "bce_weight_sum", "bce_logits",
    "bce_logits_pos_weight",
]


@pytest.mark.parametrize("name", GRADCHECK)
def test_functional_gradcheck(name):
    fn, arg = CASES[name]
    x = INPUTS[arg].detach().clone()
    if name in ("relu", "leaky_relu", "l1", "smooth_l1", "elu"):
        x = x + 0.05  # off the kinks at 0 (and |x - target| = 0.5 for smooth_l1)
    assert fg.autograd.gradcheck(fn, (x.requires_grad_(),))


def test_gelu_second_derivative():
    x = fg.tensor([-1.5, -0.3, 0.0, 0.7, 2.0], dtype=D, requires_grad=True)
    assert fg.autograd.gradgradcheck(F.gelu, (x,))
    assert fg.autograd.gradgradcheck(lambda t: F.log_softmax(t.reshape(1, 5), 1), (x,))


def test_softmax_is_stable_for_large_logits():
    x = fg.tensor([[1000.0, 0.0, -1000.0], [-1e4, -1e4, -1e4]])
    assert F.log_softmax(x, 1).tolist() == [[0.0, -1000.0, -2000.0], [-1.0986123085021973] * 3]
    assert F.softmax(x, 1)[0].tolist() == [1.0, 0.0, 0.0]
    loss = F.cross_entropy(x, fg.tensor([1, 2]))
    assert math.isfinite(loss.item())
    assert abs(loss.item() - (1000.0 + 1.0986123085021973) / 2) < 1e-3
    inf_row = F.log_softmax(fg.tensor([[0.0, -math.inf]]), 1)
    assert inf_row.tolist() == [[0.0, -math.inf]]
    assert F.binary_cross_entropy_with_logits(fg.tensor([800.0, -800.0]), fg.tensor([1.0, 0.0])).item() == 0.0


def test_softmax_modules_and_implicit_dim():
    x = fg.tensor([[1.0, 2.0], [3.0, 5.0]])
    assert nn.Softmax(dim=0)(x).tolist() == F.softmax(x, 0).tolist()
    s = nn.Softmax(dim=1)(x).sum(1)
    np.testing.assert_allclose(np.asarray(s.tolist()), [1.0, 1.0], rtol=1e-6)
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):
        y = F.softmax(x)
    np.testing.assert_allclose(np.asarray(y.sum(1).tolist()), [1.0, 1.0], rtol=1e-6)
    np.testing.assert_allclose(np.asarray(nn.LogSoftmax(1)(x).exp().sum(1).tolist()), [1.0, 1.0], rtol=1e-6)
    assert F.softmax(x, 1, dtype=D).dtype == D
    with pytest.raises(IndexError, match="Dimension out of range"):
        F.softmax(x, 2)


def test_activation_modules_match_functional():
    x = INPUTS["x"]
    pairs = [
        (nn.ReLU(), F.relu(x)), (nn.Sigmoid(), F.sigmoid(x)), (nn.Tanh(), F.tanh(x)),
        (nn.LeakyReLU(0.2), F.leaky_relu(x, 0.2)), (nn.GELU(), F.gelu(x)),
        (nn.GELU("tanh"), F.gelu(x, approximate="tanh")), (nn.SiLU(), F.silu(x)), (nn.ELU(0.7), F.elu(x, 0.7)),
        (nn.Softplus(2.0, 3.0), F.softplus(x, 2.0, 3.0)), (nn.LogSigmoid(), F.logsigmoid(x)),
        (nn.ReLU6(), F.relu6(x)), (nn.Hardtanh(-0.5, 1.5), F.hardtanh(x, -0.5, 1.5)),
    ]
    for mod, expected in pairs:
        assert mod(x).tolist() == expected.tolist()
    close(nn.GELU()(x), EXPECTED["functional"]["gelu"]["out"])


def test_inplace_activations():
    x = fg.tensor([-1.0, 2.0])
    assert nn.ReLU(inplace=True)(x) is x and x.tolist() == [0.0, 2.0]
    y = fg.tensor([-1.0, 2.0])
    assert F.leaky_relu(y, 0.5, inplace=True) is y and y.tolist() == [-0.5, 2.0]
    a = fg.tensor([-2.0, 1.0, -0.5, 3.0], requires_grad=True)
    h = a * 1.0
    assert F.leaky_relu(h, 0.5, inplace=True) is h
    (h * fg.tensor([1.0, 2.0, 3.0, 4.0])).sum().backward()
    assert h.tolist() == [-1.0, 1.0, -0.25, 3.0] and a.grad.tolist() == [0.5, 2.0, 1.5, 4.0]
    b = fg.ones(3, 40, requires_grad=True)
    z = b * 1.0
    assert F.dropout(z, 0.5, inplace=True) is z
    z.sum().backward()
    assert b.grad.tolist() == z.detach().tolist()
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in an in-place"):
        F.relu(fg.ones(2, requires_grad=True), inplace=True)


def test_loss_modules_match_functional():
    d = INPUTS
    e = EXPECTED["functional"]
    close(nn.MSELoss()(d["x"], d["w"]), e["mse"]["out"])
    close(nn.MSELoss(reduction="sum")(d["x"], d["w"]), e["mse_sum"]["out"])
    close(nn.L1Loss()(d["x"], d["w"]), e["l1"]["out"])
    close(nn.SmoothL1Loss(beta=0.5)(d["x"], d["w"]), e["smooth_l1"]["out"])
    close(nn.CrossEntropyLoss()(d["x"], d["cls"]), e["ce"]["out"])
    close(nn.CrossEntropyLoss(weight=d["cw"])(d["x"], d["cls"]), e["ce_weight"]["out"])
    close(nn.CrossEntropyLoss(label_smoothing=0.1)(d["x"], d["cls_ign"]), e["ce_smooth"]["out"])
    close(nn.CrossEntropyLoss(reduction="none")(d["x"], d["cls"]), e["ce_none"]["out"])
    close(nn.NLLLoss(weight=d["cw"])(d["x"], d["cls_ign"]), e["nll_weight_ignore"]["out"])
    close(nn.BCELoss()(d["p"], d["t01"]), e["bce"]["out"])
    close(nn.BCEWithLogitsLoss()(d["x"], d["t01"]), e["bce_logits"]["out"])
    close(
        nn.BCEWithLogitsLoss(weight=d["w"], pos_weight=d["pw"], reduction="none")(d["x"], d["t01"]),
        e["bce_logits_pos_weight"]["out"],
    )
    ce = nn.CrossEntropyLoss(weight=d["cw"])
    assert [k for k, _ in ce.named_buffers()] == ["weight"]


def test_loss_shapes_and_1d_input():
    x = fg.tensor([0.5, 1.5, -0.5])
    t = fg.tensor(1)
    assert F.cross_entropy(x, t).shape == ()
    assert F.cross_entropy(x, t, reduction="none").shape == ()
    assert F.nll_loss(x, t, reduction="none").shape == ()
    assert abs(F.cross_entropy(x, t).item() - 0.4076058864593506) < 1e-6
    assert tuple(F.cross_entropy(INPUTS["x3"], INPUTS["cls3"], reduction="none").shape) == (2, 4)


def test_loss_errors():
    x = fg.ones(3, 4)
    with pytest.raises(IndexError, match="Target 4 is out of bounds."):
        F.nll_loss(x, fg.tensor([0, 4, 1]))
    with pytest.raises(IndexError, match="Target -3 is out of bounds."):
        F.cross_entropy(x, fg.tensor([0, -3, 1]))
    with pytest.raises(ValueError, match=r"Expected input batch_size \(3\) to match target batch_size \(2\)."):
        F.cross_entropy(x, fg.tensor([0, 1]))
    with pytest.raises(RuntimeError, match="expected target dtype to be Long or Byte, but got Float"):
        F.nll_loss(x, fg.tensor([0.0, 1.0, 2.0]))
    with pytest.raises(RuntimeError, match="0D or 1D target tensor expected, multi-target not supported"):
        F.cross_entropy(x, fg.zeros(3, 2, dtype=fg.int64))
    with pytest.raises(RuntimeError, match=r"Expected target size \[3, 5\], got \[3, 2\]"):
        F.nll_loss(fg.ones(3, 4, 5), fg.zeros(3, 2, dtype=fg.int64))
    with pytest.raises(RuntimeError, match=r"weight tensor should be defined either for all 4 classes or no "
                                           r"classes but got weight tensor of shape: \[3\]"):
        F.cross_entropy(x, fg.tensor([0, 1, 2]), weight=fg.ones(3))
    with pytest.raises(ValueError, match="foo is not a valid value for reduction"):
        F.mse_loss(x, x, reduction="foo")
    with pytest.raises(ValueError, match="Using a target size .* that is different to the input size"):
        F.binary_cross_entropy(fg.rand(3), fg.rand(2))
    with pytest.raises(ValueError, match=r"Target size \(.*\) must be the same as input size"):
        F.binary_cross_entropy_with_logits(fg.rand(3), fg.rand(2))
    with pytest.raises(RuntimeError, match="all elements of input should be between 0 and 1"):
        F.binary_cross_entropy(fg.tensor([1.5]), fg.tensor([1.0]))
    with pytest.raises(RuntimeError, match="approximate argument must be either none or tanh."):
        F.gelu(x, approximate="x")
    with pytest.warns(UserWarning, match="Using a target size"):
        F.mse_loss(fg.ones(3, 1), fg.ones(3))


def test_bce_clamps_log_at_minus_100():
    p = fg.tensor([0.0, 1.0, 1.0])
    t = fg.tensor([1.0, 1.0, 0.0])
    assert F.binary_cross_entropy(p, t, reduction="none").tolist() == [100.0, 0.0, 100.0]


def test_one_hot():
    assert F.one_hot(fg.tensor([0, 2, 1])).tolist() == [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
    r = F.one_hot(fg.tensor([[1], [0]]), 3)
    assert r.dtype == fg.int64 and r.tolist() == [[[0, 1, 0]], [[1, 0, 0]]]
    with pytest.raises(RuntimeError, match="one_hot is only applicable to index tensor"):
        F.one_hot(fg.tensor([1.0]))
    with pytest.raises(RuntimeError, match="Class values must be smaller than num_classes."):
        F.one_hot(fg.tensor([1, 5]), 3)
    with pytest.raises(RuntimeError, match="Class values must be non-negative."):
        F.one_hot(fg.tensor([-1, 1]))


# --------------------------------------------------------------------------- training


def test_xor_mlp_trains_with_adam():
    fg.manual_seed(0)
    x = fg.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = fg.tensor([0, 1, 1, 0])
    model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 2))
    opt = fg.optim.Adam(model.parameters(), lr=0.05)
    loss_fn = nn.CrossEntropyLoss()
    for _ in range(200):
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
    assert loss.item() < 0.01
    with fg.no_grad():
        logits = np.asarray(model(x).tolist())
    assert logits.argmax(1).tolist() == [0, 1, 1, 0]


def test_linear_regression_trains_with_sgd():
    x = fg.linspace(-1, 1, 32).reshape(32, 1)
    y = x * 3.0 - 0.5
    model = nn.Linear(1, 1)
    opt = fg.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    for _ in range(150):
        opt.zero_grad()
        loss = F.mse_loss(model(x), y)
        loss.backward()
        opt.step()
    assert loss.item() < 1e-6
    assert abs(model.weight.item() - 3.0) < 1e-3 and abs(model.bias.item() + 0.5) < 1e-3


# --------------------------------------------------------------------------- utils


def test_clip_grad_norm_and_value():
    a = nn.Parameter(fg.tensor([3.0, 4.0]))
    b = nn.Parameter(fg.tensor([[12.0]]))
    c = nn.Parameter(fg.tensor([1.0]))
    a.grad = fg.tensor([3.0, 4.0])
    b.grad = fg.tensor([[12.0]])
    total = nn.utils.clip_grad_norm_([a, b, c], 1.0)
    assert total.item() == 13.0 and total.shape == ()
    assert a.grad.tolist() == [0.23076921701431274, 0.307692289352417]
    assert b.grad.tolist() == [[0.923076868057251]]
    assert c.grad is None
    a.grad = fg.tensor([3.0, -4.0])
    assert nn.utils.clip_grad_norm_(a, 2.0, norm_type=math.inf).item() == 4.0
    assert a.grad.tolist() == [1.4999996423721313, -1.9999995231628418]
    a.grad = fg.tensor([3.0, -4.0])
    assert nn.utils.clip_grad_norm_([a], 100.0, norm_type=1).item() == 7.0
    assert a.grad.tolist() == [3.0, -4.0]
    nn.utils.clip_grad_value_([a], 3.5)
    assert a.grad.tolist() == [3.0, -3.5]
    a.grad = fg.tensor([math.inf, 1.0])
    with pytest.raises(RuntimeError, match="The total norm of order 2.0 for gradients from `parameters` is non-finite"):
        nn.utils.clip_grad_norm_([a], 1.0, error_if_nonfinite=True)


# --------------------------------------------------------------------------- normalisation, embedding


def _norm_inputs():
    x = fg.tensor(np.sin(np.arange(24) * 0.45).reshape(4, 6) * 2, dtype=D)
    x3 = fg.tensor(np.sin(np.arange(24) * 0.45).reshape(2, 3, 4) * 2, dtype=D)
    return x, x3


def test_batchnorm1d_matches_pytorch():
    x, x3 = _norm_inputs()
    bn = nn.BatchNorm1d(6, dtype=D)
    assert repr(bn) == "BatchNorm1d(6, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)"
    assert list(bn.state_dict()) == ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]
    bn(x)
    y2 = bn(x * 2 + 1)
    bn.eval()
    y3 = bn(x)
    close(bn.running_mean, [0.19055325451082472, 0.21225833673689798, 0.2116121335485169, 0.18874330774542608,
                            0.14820517507660486, 0.09806911268683849])
    close(bn.running_var, [1.8703620077787004, 1.3356245840629317, 1.3531978418355897, 1.9097826899643051,
                           2.584166811762095, 2.8659897487393073])
    assert bn.num_batches_tracked.item() == 2 and bn.num_batches_tracked.dtype == fg.int64
    close(y2[0], [-0.24510155137849354, 0.5383022107569435, 1.296062627764697, 1.2682195934682134,
                  1.081057073991039, 0.8809706733516063])
    close(y3[0], [-0.13933248201199105, 0.5690704144180344, 1.1648510697813768, 1.275516646335832,
                  1.1194078442501816, 0.861276245124644])
    bn3 = nn.BatchNorm1d(3, momentum=None, affine=False, dtype=D)
    assert repr(bn3) == "BatchNorm1d(3, eps=1e-05, momentum=None, affine=False, bias=False, track_running_stats=True)"
    bn3(x3)
    z = bn3(x3 * 3)
    close(bn3.running_var, [7.032904470183154, 2.3445015360701214, 4.815432924120176])
    close(z[0][0], [-0.3308884575413213, 0.4532599444111078, 1.0812798551637726, 1.428128870925391])
    with pytest.raises(ValueError, match="Expected more than 1 value per channel when training"):
        nn.BatchNorm1d(6)(fg.ones(1, 6))


def test_layernorm_matches_pytorch():
    x, x3 = _norm_inputs()
    ln = nn.LayerNorm(6, dtype=D)
    assert repr(ln) == "LayerNorm((6,), eps=1e-05, elementwise_affine=True, bias=True)"
    assert [k for k, _ in ln.named_parameters()] == ["weight", "bias"]
    close(ln(x)[1], [1.7032543287740731, 0.8670325468048519, 0.03402283338484669, -0.6299177500072854,
                     -0.9925947854868639, -0.981797173469622])
    ln2 = nn.LayerNorm((3, 4), elementwise_affine=False)
    assert repr(ln2) == "LayerNorm((3, 4), eps=1e-05, elementwise_affine=False, bias=False)"
    close(ln2(x3.float())[1][2], [0.3989865779876709, -0.2920120358467102, -0.9750768542289734,
                                  -1.5142059326171875], rtol=1e-6, atol=1e-6)
    assert repr(nn.LayerNorm(3, bias=False)) == "LayerNorm((3,), eps=1e-05, elementwise_affine=True, bias=False)"
    with pytest.raises(RuntimeError, match=r"Given normalized_shape=\[5\], expected input with shape \[\*, 5\]"):
        nn.LayerNorm(5)(fg.ones(2, 6))


def test_embedding_matches_pytorch():
    fg.manual_seed(0)
    emb = nn.Embedding(5, 3, padding_idx=1)
    assert repr(emb) == "Embedding(5, 3, padding_idx=1)"
    assert repr(nn.Embedding(10, 3)) == "Embedding(10, 3)"
    assert emb.weight.tolist() == [
        [1.5409960746765137, -0.293428897857666, -2.1787893772125244], [0.0, 0.0, 0.0],
        [0.40334683656692505, 0.8380263447761536, -0.7192575931549072],
        [-0.40334352850914, -0.5966353416442871, 0.18203648924827576],
        [-0.8566746115684509, 1.1006041765213013, -1.0711873769760132],
    ]
    idx = fg.tensor([[0, 1, 4], [1, 2, 2]])
    out = emb(idx)
    assert tuple(out.shape) == (2, 3, 3)
    (out * fg.arange(18).reshape(2, 3, 3)).sum().backward()
    assert emb.weight.grad.tolist() == [
        [0.0, 1.0, 2.0], [0.0, 0.0, 0.0], [27.0, 29.0, 31.0], [0.0, 0.0, 0.0], [6.0, 7.0, 8.0],
    ]
    with pytest.raises(RuntimeError, match="Expected tensor for argument #1 'indices'"):
        emb(fg.tensor([0.0]))


def test_normalisation_gradcheck():
    x, x3 = _norm_inputs()
    w = fg.tensor([0.5, 1.5, -1.0, 2.0, 1.0, 0.25], dtype=D, requires_grad=True)
    b = fg.tensor([0.1, 0.0, -0.2, 0.3, 0.0, 1.0], dtype=D, requires_grad=True)
    assert fg.autograd.gradcheck(lambda t, w, b: F.layer_norm(t, (6,), w, b), (x.requires_grad_(), w, b))
    assert fg.autograd.gradcheck(
        lambda t, w, b: F.batch_norm(t, None, None, w, b, training=True), (x.detach().requires_grad_(), w, b)
    )
    assert fg.autograd.gradcheck(lambda t: F.batch_norm(t, None, None, training=True), (x3.requires_grad_(),))
    table = fg.tensor(np.cos(np.arange(12) * 0.4).reshape(4, 3), dtype=D, requires_grad=True)
    assert fg.autograd.gradcheck(lambda t: F.embedding(fg.tensor([[0, 2], [2, 3]]), t), (table,))


def test_tensor_from_python_floats_keeps_requested_precision():
    # nn code builds float64 weights and targets from Python floats
    assert fg.tensor([0.1], dtype=D).item() == 0.1
    assert fg.tensor(0.1, dtype=D).item() == 0.1
    assert fg.tensor([16777217.0], dtype=fg.int64).tolist() == [16777217]
    assert fg.tensor([0.1], dtype=fg.float32).item() == 0.10000000149011612


def test_save_load_state_dicts(tmp_path):
    fg.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 1))
    opt = fg.optim.Adam(model.parameters(), lr=0.01)
    model(fg.ones(2, 3)).sum().backward()
    opt.step()
    path = tmp_path / "ckpt.pt"
    fg.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 3}, path)
    ckpt = fg.load(path)
    assert ckpt["epoch"] == 3
    fg.manual_seed(1)
    other = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 1))
    other.load_state_dict(ckpt["model"])
    for (k, v), (k2, v2) in zip(model.state_dict().items(), other.state_dict().items()):
        assert k == k2 and v.tolist() == v2.tolist() and v.dtype == v2.dtype
    opt2 = fg.optim.Adam(other.parameters(), lr=0.01)
    opt2.load_state_dict(ckpt["optim"])
    assert opt2.state_dict()["state"][0]["step"].item() == 1.0
    p = nn.Parameter(fg.tensor([1.0, 2.0]))
    fg.save(p, str(tmp_path / "p.pt"))
    q = fg.load(str(tmp_path / "p.pt"))
    assert isinstance(q, nn.Parameter) and q.tolist() == [1.0, 2.0] and q.requires_grad
