"""ferrograd.fx against PyTorch's torch.fx: the expected texts are what torch.fx prints for
the same user code (with `torch.` written `ferrograd.`)."""

import copy
import math
import pickle
import sys

import ferrograd as torch
import ferrograd.nn.functional as F
import numpy as np
import pytest
from ferrograd import fx, nn
from ferrograd.fx.passes.shape_prop import ShapeProp


class Mixed(nn.Module):
    def __init__(self):
        super().__init__()
        self.param = nn.Parameter(torch.rand(3, 4))
        self.linear = nn.Linear(4, 5)

    def forward(self, x, y=2):
        a = self.linear(x + self.param).clamp(min=0.0, max=1.0)
        b = torch.relu(a) * y
        c = F.relu(b)[:, 0]
        d = x.size(0), x.shape[1]
        return torch.cat([c, c], dim=0).sum(dim=-1, keepdim=True), d


MIXED_GRAPH = """graph():
    %x : [num_users=3] = placeholder[target=x]
    %y : [num_users=1] = placeholder[target=y](default=2)
    %param : [num_users=1] = get_attr[target=param]
    %add : [num_users=1] = call_function[target=operator.add](args = (%x, %param), kwargs = {})
    %linear : [num_users=1] = call_module[target=linear](args = (%add,), kwargs = {})
    %clamp : [num_users=1] = call_method[target=clamp](args = (%linear,), kwargs = {min: 0.0, max: 1.0})
    %relu : [num_users=1] = call_function[target=ferrograd.relu](args = (%clamp,), kwargs = {})
    %mul : [num_users=1] = call_function[target=operator.mul](args = (%relu, %y), kwargs = {})
    %relu_1 : [num_users=1] = call_function[target=ferrograd.nn.functional.relu](args = (%mul,), kwargs = {inplace: False})
    %getitem : [num_users=1] = call_function[target=operator.getitem](args = (%relu_1, (slice(None, None, None), 0)), kwargs = {})
    %size : [num_users=1] = call_method[target=size](args = (%x, 0), kwargs = {})
    %getattr_1 : [num_users=1] = call_function[target=builtins.getattr](args = (%x, shape), kwargs = {})
    %getitem_1 : [num_users=1] = call_function[target=operator.getitem](args = (%getattr_1, 1), kwargs = {})
    %cat : [num_users=1] = call_function[target=ferrograd.cat](args = ([%getitem, %getitem],), kwargs = {dim: 0})
    %sum_1 : [num_users=1] = call_method[target=sum](args = (%cat,), kwargs = {dim: -1, keepdim: True})
    return (sum_1, (size, getitem_1))"""

MIXED_CODE = (
    "\n\n\ndef forward(self, x, y = 2):\n    param = self.param\n    add = x + param;  param = None\n"
    "    linear = self.linear(add);  add = None\n    clamp = linear.clamp(min = 0.0, max = 1.0);  linear = None\n"
    "    relu = ferrograd.relu(clamp);  clamp = None\n    mul = relu * y;  relu = y = None\n"
    "    relu_1 = ferrograd.nn.functional.relu(mul, inplace = False);  mul = None\n"
    "    getitem = relu_1[(slice(None, None, None), 0)];  relu_1 = None\n    size = x.size(0)\n"
    "    getattr_1 = x.shape;  x = None\n    getitem_1 = getattr_1[1];  getattr_1 = None\n"
    "    cat = ferrograd.cat([getitem, getitem], dim = 0);  getitem = None\n"
    "    sum_1 = cat.sum(dim = -1, keepdim = True);  cat = None\n    return (sum_1, (size, getitem_1))\n    "
)


def test_graph_and_code_text_as_pytorch():
    gm = fx.symbolic_trace(Mixed())
    assert str(gm.graph) == MIXED_GRAPH
    assert gm.code == MIXED_CODE
    assert type(gm).__name__ == "Mixed"
    assert str(gm) == (
        "Mixed(\n  (linear): Linear(in_features=4, out_features=5, bias=True)\n)\n" + MIXED_CODE
        + "\n# To see more debug info, please use `graph_module.print_readable()`")


def test_calling_the_graph_module_matches_the_module():
    m = Mixed()
    gm = fx.symbolic_trace(m)
    x = torch.rand(3, 4)
    out, sizes = gm(x, 3)
    expected, expected_sizes = m(x, 3)
    np.testing.assert_allclose(out.detach().numpy(), expected.detach().numpy(), rtol=1e-6)
    assert sizes == expected_sizes == (3, 4)


def test_node_fields_and_format_node():
    gm = fx.symbolic_trace(Mixed())
    nodes = {n.name: n for n in gm.graph.nodes}
    assert [n.op for n in gm.graph.nodes][:5] == ["placeholder", "placeholder", "get_attr", "call_function",
                                                  "call_module"]
    add = nodes["add"]
    assert add.target is __import__("operator").add
    assert add.args == (nodes["x"], nodes["param"])
    assert list(add.users) == [nodes["linear"]]
    assert nodes["clamp"].kwargs == {"min": 0.0, "max": 1.0}
    assert nodes["y"].format_node() == "%y : [num_users=1] = placeholder[target=y](default=2)"
    assert nodes["output"].format_node() == "return (sum_1, (size, getitem_1))"
    assert repr(add) == "add"


class Sub(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(2, 2)

    def forward(self, x):
        return self.lin(x)


class Nested(nn.Module):
    def __init__(self):
        super().__init__()
        self.sub = Sub()
        self.seq = nn.Sequential(nn.ReLU(), nn.Linear(2, 2))
        self.register_buffer("b", torch.ones(2))

    def forward(self, x):
        return self.seq(self.sub(x)) + self.b


NESTED_READABLE = (
    "class Nested(ferrograd.nn.Module):\n    def forward(self, x):\n"
    "        # No stacktrace found for following nodes\n        sub_lin = self.sub.lin(x);  x = None\n"
    '        seq_0 = getattr(self.seq, "0")(sub_lin);  sub_lin = None\n'
    '        seq_1 = getattr(self.seq, "1")(seq_0);  seq_0 = None\n        b = self.b\n'
    "        add = seq_1 + b;  seq_1 = b = None\n        return add\n"
)


def test_submodules_buffers_and_print_readable():
    m = Nested()
    gm = fx.symbolic_trace(m)
    assert gm.print_readable(print_output=False) == NESTED_READABLE
    assert list(gm.state_dict()) == ["b", "sub.lin.weight", "sub.lin.bias", "seq.1.weight", "seq.1.bias"]
    assert repr(gm.sub) == "Module(\n  (lin): Linear(in_features=2, out_features=2, bias=True)\n)"
    assert gm.sub.lin is m.sub.lin
    x = torch.arange(4.0).reshape(2, 2)
    assert torch.equal(gm(x), m(x))


def test_pickle_and_deepcopy_keep_code_and_values():
    m = Nested()
    gm = fx.symbolic_trace(m)
    x = torch.arange(4.0).reshape(2, 2)
    unpickled, deep_copy = pickle.loads(pickle.dumps(gm)), copy.deepcopy(gm)
    assert (type(unpickled).__name__, type(deep_copy).__name__) == ("GraphModule", "GraphModule")
    for other in (unpickled, deep_copy):
        assert other.code == gm.code
        assert torch.equal(other(x), m(x))
        assert other.sub.lin.weight is not m.sub.lin.weight


def test_editing_the_graph_and_recompiling():
    m = Nested()
    gm = fx.symbolic_trace(m)
    g = gm.graph
    add = next(n for n in g.nodes if n.op == "call_function")
    with g.inserting_after(add):
        new = g.call_function(torch.mul, (add, 2))
    add.replace_all_uses_with(new)
    new.replace_input_with(new, add)
    new.args = (add, 2)
    g.lint()
    gm.recompile()
    assert gm.code.endswith("    add = seq_1 + b;  seq_1 = b = None\n    mul = ferrograd.mul(add, 2);  add = None\n"
                            "    return mul\n    ")
    x = torch.arange(4.0).reshape(2, 2)
    assert torch.equal(gm(x), m(x) * 2)
    with g.inserting_before(None):
        unused = g.placeholder("unused")
    assert str(g).startswith("graph():\n    %unused : [num_users=0] = placeholder[target=unused]\n    %x :")
    g.call_function(torch.neg, (unused,))
    assert g.eliminate_dead_code()
    assert "neg" not in str(g)
    assert "%unused" in str(g)


def test_erase_node_with_users_raises():
    gm = fx.symbolic_trace(Nested())
    sub_lin = next(n for n in gm.graph.nodes if n.name == "sub_lin")
    with pytest.raises(RuntimeError, match=r"Tried to erase Node sub_lin but it still had 1 users in the graph"):
        gm.graph.erase_node(sub_lin)


def test_lint_reports_use_before_definition():
    g = fx.Graph()
    x = g.placeholder("x")
    y = g.call_function(torch.neg, (x,))
    with g.inserting_before(y):
        z = g.call_function(torch.relu, (y,))
    with pytest.raises(RuntimeError, match="Argument 'neg' of Node 'relu' was used before it has been defined!"):
        g.lint()
    assert z.op == "call_function"


def test_data_dependent_control_flow_raises_trace_error():
    def branch(x):
        if x.sum() > 0:
            return x
        return -x

    def loop(x):
        return [a for a in x]

    with pytest.raises(fx.TraceError, match="^symbolically traced variables cannot be used as inputs to control flow$"):
        fx.symbolic_trace(branch)
    with pytest.raises(fx.TraceError, match="^Proxy object cannot be iterated. This can be attempted when the Proxy"):
        fx.symbolic_trace(loop)
    with pytest.raises(RuntimeError, match="^'len' is not supported in symbolic tracing by default"):
        fx.symbolic_trace(lambda x: len(x))


WRAP_DEMO = """
import math
import ferrograd as torch
from ferrograd import fx, nn


def my_helper(a, b):
    return a * 2 + b


fx.wrap("my_helper")
fx.wrap("len")


class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(3, 2)

    def forward(self, x):
        y = my_helper(x, 1)
        n = len(y)
        z = self.lin(y).relu()
        a, b = z.split(1, dim=1)
        return torch.sigmoid(a) + math.sqrt(4) * b - n
"""


def test_wrap_len_math_and_unpacking():
    namespace = {"__name__": "fx_wrap_demo"}
    try:
        exec(compile(WRAP_DEMO, "fx_wrap_demo", "exec"), namespace)  # noqa: S102  (`wrap` needs module scope)
        gm = fx.symbolic_trace(namespace["M"]())
    finally:
        for name in ("my_helper", "len"):
            fx._symbolic_trace._wrapped_fns_to_patch.pop((id(namespace), name))
    assert gm.code == (
        '\nferrograd.fx._symbolic_trace.wrap("fx_wrap_demo_my_helper")\nferrograd.fx._symbolic_trace.wrap("len")\n\n'
        "def forward(self, x):\n    my_helper = fx_wrap_demo_my_helper(x, 1);  x = None\n    len_1 = len(my_helper)\n"
        "    lin = self.lin(my_helper);  my_helper = None\n    relu = lin.relu();  lin = None\n"
        "    split = relu.split(1, dim = 1);  relu = None\n    getitem = split[0]\n"
        "    getitem_1 = split[1];  split = None\n    sigmoid = ferrograd.sigmoid(getitem);  getitem = None\n"
        "    mul = 2.0 * getitem_1;  getitem_1 = None\n    add = sigmoid + mul;  sigmoid = mul = None\n"
        "    sub = add - len_1;  add = len_1 = None\n    return sub\n    ")
    x = torch.arange(6.0).reshape(2, 3)
    z = gm.lin(x * 2 + 1).relu()
    expected = torch.sigmoid(z[:, :1]) + 2.0 * z[:, 1:] - 2
    np.testing.assert_allclose(gm(x).detach().numpy(), expected.detach().numpy(), rtol=1e-6)
    assert "len" not in namespace  # the patched globals are back after tracing
    assert namespace["my_helper"].__name__ == "my_helper"


def test_shape_prop_records_tensor_meta_and_type():
    gm = fx.symbolic_trace(Nested())
    ShapeProp(gm).propagate(torch.ones(2, 2))
    meta = {n.name: n.meta for n in gm.graph.nodes}
    assert meta["add"]["type"] is torch.Tensor
    assert tuple(meta["add"]["tensor_meta"].shape) == (2, 2)
    assert meta["add"]["tensor_meta"].dtype == torch.float32
    assert meta["add"]["tensor_meta"].stride == (2, 1)
    assert meta["add"]["tensor_meta"].memory_format == torch.contiguous_format


def test_transformer_rewrites_and_interpreter_runs():
    class Net(nn.Module):
        def forward(self, x):
            return torch.sigmoid(x).relu() + 1

    gm = fx.symbolic_trace(Net())

    class NegSigmoid(fx.Transformer):
        def call_function(self, target, args, kwargs):
            if target is torch.sigmoid:
                return torch.neg(*args)
            return super().call_function(target, args, kwargs)

    new = NegSigmoid(gm).transform()
    assert new.code == ("\n\n\ndef forward(self, x):\n    neg = ferrograd.neg(x);  x = None\n"
                        "    relu = neg.relu();  neg = None\n    add = relu + 1;  relu = None\n    return add\n    ")
    x = torch.tensor([-1.0, 2.0])
    assert new(x).tolist() == [2.0, 1.0]
    assert torch.equal(fx.Interpreter(gm).run(x), gm(x))

    class TanhInsteadOfRelu(fx.Interpreter):
        def call_method(self, target, args, kwargs):
            if target == "relu":
                return args[0].tanh()
            return super().call_method(target, args, kwargs)

    np.testing.assert_allclose(TanhInsteadOfRelu(gm).run(x).numpy(), np.tanh(1 / (1 + np.exp(-x.numpy()))) + 1,
                               rtol=1e-6)
    with pytest.raises(RuntimeError, match=r"^Expected positional argument for parameter x, but one was not passed "
                                           r"in!\n\nWhile executing %x : \[num_users=1\] = placeholder\[target=x\]"):
        fx.Interpreter(gm).run()


def test_print_tabular_without_tabulate(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "tabulate", None)
    gm = fx.symbolic_trace(Nested())
    with pytest.raises(ImportError):
        gm.graph.print_tabular()
    assert capsys.readouterr().out == (
        "`print_tabular` relies on the library `tabulate`, which could not be found on this machine. Run `pip "
        "install tabulate` to install the library.\n")


def test_concrete_args_specialize_with_asserts():
    def g(x, flag, scale=None):
        return (x if flag else -x) if scale is None else x * scale

    gm = fx.symbolic_trace(g, concrete_args={"flag": True, "scale": None})
    assert gm.code == (
        "\n\n\ndef forward(self, x, flag_1, scale_1 = None):\n    eq = flag_1 == True;  flag_1 = None\n"
        "    _assert = ferrograd._assert(eq, 'flag has been specialized to have value True but got another value');"
        "  eq = _assert = None\n    _assert_is_none = ferrograd.fx._symbolic_trace._assert_is_none(scale_1, 'scale "
        "has been specialized to have value None but got another value');  scale_1 = _assert_is_none = None\n"
        "    return x\n    ")
    assert gm(torch.ones(2), True, None).tolist() == [1.0, 1.0]
    with pytest.raises(AssertionError, match="^flag has been specialized to have value True but got another value$"):
        gm(torch.ones(2), False, None)


def test_ferrograd_assert_and_fx_are_top_level():
    torch._assert(True, "unused")
    with pytest.raises(AssertionError, match="^boom$"):
        torch._assert(False, "boom")
    assert torch.fx is fx


class TwoCats(nn.Module):
    def forward(self, x, w1, w2):
        val1 = torch.neg(w1)
        m1 = torch.cat([val1, w2]).sum()
        val2 = torch.neg(w1)
        m2 = torch.cat([val2, w2]).sum()
        return x + torch.max(m1) + torch.max(m2)


def test_replace_pattern_as_pytorch():
    def pattern(w1, w2):
        return torch.cat([w1, w2]).sum()

    def replacement(w1, w2):
        return torch.stack([w1, w2])

    gm = fx.symbolic_trace(TwoCats())
    matches = fx.replace_pattern(gm, pattern, replacement)
    assert gm.code == (
        "\n\n\ndef forward(self, x, w1, w2):\n    neg = ferrograd.neg(w1)\n    neg_1 = ferrograd.neg(w1);  w1 = None\n"
        "    stack = ferrograd.stack([neg, w2]);  neg = None\n    max_1 = ferrograd.max(stack);  stack = None\n"
        "    add = x + max_1;  x = max_1 = None\n    stack_1 = ferrograd.stack([neg_1, w2]);  neg_1 = w2 = None\n"
        "    max_2 = ferrograd.max(stack_1);  stack_1 = None\n    add_1 = add + max_2;  add = max_2 = None\n"
        "    return add_1\n    ")
    assert [(m.anchor.name, sorted((k.name, v.name) for k, v in m.nodes_map.items())) for m in matches] == [
        ("sum_1", [("cat", "cat"), ("sum_1", "sum_1"), ("w1", "neg"), ("w2", "w2")]),
        ("sum_1", [("cat", "cat_1"), ("sum_1", "sum_2"), ("w1", "neg_1"), ("w2", "w2")]),
    ]
    w1, w2 = torch.tensor([1.0, -2.0]), torch.tensor([3.0, 0.5])
    assert gm(torch.tensor(1.0), w1, w2).item() == 1.0 + 3.0 + 3.0


def test_replace_pattern_on_a_chain_uses_earlier_replacements():
    def f(x):
        return x.relu().relu().relu().relu() + x.relu()

    gm = fx.symbolic_trace(f)
    matches = fx.replace_pattern(gm, lambda x: x.relu().relu(), lambda x: x.relu())
    assert len(matches) == 2
    assert gm.code == (
        "\n\n\ndef forward(self, x):\n    relu_5 = x.relu()\n    relu_4 = x.relu();  x = None\n"
        "    relu_6 = relu_5.relu();  relu_5 = None\n    add = relu_6 + relu_4;  relu_6 = relu_4 = None\n"
        "    return add\n    ")


def test_hand_built_graph_with_a_dict_root():
    g = fx.Graph()
    x = g.placeholder("x")
    w = g.get_attr("lin.weight")
    mm = g.call_function(torch.matmul, (x, w), {})
    t = g.call_method("transpose", (mm, 0, 1))
    g.output(g.call_module("act", (t,)))
    gm = fx.GraphModule({"lin.weight": torch.eye(2) * 2, "act": nn.ReLU()}, g)
    assert gm.code == (
        "\n\n\ndef forward(self, x):\n    lin_weight = self.lin.weight\n"
        "    matmul = ferrograd.matmul(x, lin_weight);  x = lin_weight = None\n"
        "    transpose = matmul.transpose(0, 1);  matmul = None\n    act = self.act(transpose);  transpose = None\n"
        "    return act\n    ")
    assert gm(torch.tensor([[1.0, -1.0]])).tolist() == [[2.0], [0.0]]
    assert type(gm).__name__ == "GraphModule"
    assert [n for n, _ in gm.named_buffers()] == ["lin.weight"]
    assert [n for n, _ in gm.named_children()] == ["act", "lin"]
    assert mm.all_input_nodes == [x, w]
    assert (t.prev, t.next.name) == (mm, "act")
    assert g.create_node("call_function", torch.neg, (t,), name="my name").name == "my_name"
    with pytest.raises(RuntimeError, match=r"^Node lin_weight referenced target lin.weight but that target was not "
                                           r"provided in ``root``!$"):
        fx.GraphModule({}, g)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 2, 3)
        self.bn = nn.BatchNorm2d(2)
        self.fc = nn.Linear(8, 3)
        self.blocks = nn.ModuleList([nn.Linear(3, 3), nn.Tanh()])
        self.scale = 0.5
    def forward(self, x: torch.Tensor, mask=None) -> torch.Tensor:
        h = F.max_pool2d(F.relu(self.bn(self.conv(x))), 2)
        h = torch.flatten(h, 1)
        h = h.view(h.size(0), -1)
        h = F.dropout(self.fc(h), p=0.1, training=self.training)
        for b in self.blocks:
            h = b(h)
        h = h @ h.t() * self.scale
        h = h.softmax(dim=-1).masked_fill(h > 0.9, 0.0)
        h -= 1
        h = -h ** 2 // 3 % 2
        return {"out": h, "shape": h.shape, "dt": h.dtype, "t": h.to(torch.float64)}

NET_CODE = '\n\n\ndef forward(self, x : ferrograd.Tensor, mask = None) -> ferrograd.Tensor:\n    conv = self.conv(x);  x = None\n    bn = self.bn(conv);  conv = None\n    relu = ferrograd.nn.functional.relu(bn, inplace = False);  bn = None\n    max_pool2d = ferrograd.nn.functional.max_pool2d(relu, 2, stride = None, padding = 0, dilation = 1, ceil_mode = False, return_indices = False);  relu = None\n    flatten = ferrograd.flatten(max_pool2d, 1);  max_pool2d = None\n    size = flatten.size(0)\n    view = flatten.view(size, -1);  flatten = size = None\n    fc = self.fc(view);  view = None\n    dropout = ferrograd.nn.functional.dropout(fc, p = 0.1, training = False, inplace = False);  fc = None\n    blocks_0 = getattr(self.blocks, "0")(dropout);  dropout = None\n    blocks_1 = getattr(self.blocks, "1")(blocks_0);  blocks_0 = None\n    t = blocks_1.t()\n    matmul = blocks_1 @ t;  blocks_1 = t = None\n    mul = matmul * 0.5;  matmul = None\n    softmax = mul.softmax(dim = -1)\n    gt = mul > 0.9;  mul = None\n    masked_fill = softmax.masked_fill(gt, 0.0);  softmax = gt = None\n    sub = masked_fill - 1;  masked_fill = None\n    pow_1 = sub ** 2;  sub = None\n    neg = -pow_1;  pow_1 = None\n    floordiv = neg // 3;  neg = None\n    mod = floordiv % 2;  floordiv = None\n    to = mod.to(ferrograd.float64)\n    getattr_1 = mod.shape\n    getattr_2 = mod.dtype\n    return {\'out\': mod, \'shape\': getattr_1, \'dt\': getattr_2, \'t\': to}\n    '

NET_GRAPH = "graph():\n    %x : ferrograd.Tensor [num_users=1] = placeholder[target=x]\n    %mask : [num_users=0] = placeholder[target=mask](default=None)\n    %conv : [num_users=1] = call_module[target=conv](args = (%x,), kwargs = {})\n    %bn : [num_users=1] = call_module[target=bn](args = (%conv,), kwargs = {})\n    %relu : [num_users=1] = call_function[target=ferrograd.nn.functional.relu](args = (%bn,), kwargs = {inplace: False})\n    %max_pool2d : [num_users=1] = call_function[target=ferrograd.nn.functional.max_pool2d](args = (%relu, 2), kwargs = {stride: None, padding: 0, dilation: 1, ceil_mode: False, return_indices: False})\n    %flatten : [num_users=2] = call_function[target=ferrograd.flatten](args = (%max_pool2d, 1), kwargs = {})\n    %size : [num_users=1] = call_method[target=size](args = (%flatten, 0), kwargs = {})\n    %view : [num_users=1] = call_method[target=view](args = (%flatten, %size, -1), kwargs = {})\n    %fc : [num_users=1] = call_module[target=fc](args = (%view,), kwargs = {})\n    %dropout : [num_users=1] = call_function[target=ferrograd.nn.functional.dropout](args = (%fc,), kwargs = {p: 0.1, training: False, inplace: False})\n    %blocks_0 : [num_users=1] = call_module[target=blocks.0](args = (%dropout,), kwargs = {})\n    %blocks_1 : [num_users=2] = call_module[target=blocks.1](args = (%blocks_0,), kwargs = {})\n    %t : [num_users=1] = call_method[target=t](args = (%blocks_1,), kwargs = {})\n    %matmul : [num_users=1] = call_function[target=operator.matmul](args = (%blocks_1, %t), kwargs = {})\n    %mul : [num_users=2] = call_function[target=operator.mul](args = (%matmul, 0.5), kwargs = {})\n    %softmax : [num_users=1] = call_method[target=softmax](args = (%mul,), kwargs = {dim: -1})\n    %gt : [num_users=1] = call_function[target=operator.gt](args = (%mul, 0.9), kwargs = {})\n    %masked_fill : [num_users=1] = call_method[target=masked_fill](args = (%softmax, %gt, 0.0), kwargs = {})\n    %sub : [num_users=1] = call_function[target=operator.sub](args = (%masked_fill, 1), kwargs = {})\n    %pow_1 : [num_users=1] = call_function[target=operator.pow](args = (%sub, 2), kwargs = {})\n    %neg : [num_users=1] = call_function[target=operator.neg](args = (%pow_1,), kwargs = {})\n    %floordiv : [num_users=1] = call_function[target=operator.floordiv](args = (%neg, 3), kwargs = {})\n    %mod : [num_users=4] = call_function[target=operator.mod](args = (%floordiv, 2), kwargs = {})\n    %to : [num_users=1] = call_method[target=to](args = (%mod, ferrograd.float64), kwargs = {})\n    %getattr_1 : [num_users=1] = call_function[target=builtins.getattr](args = (%mod, shape), kwargs = {})\n    %getattr_2 : [num_users=1] = call_function[target=builtins.getattr](args = (%mod, dtype), kwargs = {})\n    return {'out': mod, 'shape': getattr_1, 'dt': getattr_2, 't': to}"


def test_a_network_traced_as_pytorch():
    net = Net().eval()
    gm = fx.symbolic_trace(net)
    assert gm.code == NET_CODE
    assert str(gm.graph) == NET_GRAPH
    x = torch.randn(2, 1, 6, 6)
    got, expected = gm(x), net(x)
    np.testing.assert_allclose(got["out"].detach().numpy(), expected["out"].detach().numpy(), rtol=1e-6)
    assert got["shape"] == (2, 2)
    assert got["t"].dtype == torch.float64


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(2, 2)
        self.register_buffer("shift", torch.tensor([1.0, 2.0]))

    def forward(self, x):
        return self.lin(x) + self.shift


class Blocks(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.Sequential(Block(), Block())
        self.c = torch.tensor([3.0, 4.0])

    def forward(self, x):
        return self.blocks(x) * self.c


class LeafBlocks(fx.Tracer):
    def is_leaf_module(self, m, module_qualified_name):
        return isinstance(m, Block) or super().is_leaf_module(m, module_qualified_name)


BLOCKS_LEAF_GRAPH = 'graph():\n    %x : [num_users=1] = placeholder[target=x]\n    %blocks_0 : [num_users=1] = call_module[target=blocks.0](args = (%x,), kwargs = {})\n    %blocks_1 : [num_users=1] = call_module[target=blocks.1](args = (%blocks_0,), kwargs = {})\n    %c : [num_users=1] = get_attr[target=c]\n    %mul : [num_users=1] = call_function[target=operator.mul](args = (%blocks_1, %c), kwargs = {})\n    return mul'
BLOCKS_LEAF_CODE = '\n\n\ndef forward(self, x):\n    blocks_0 = getattr(self.blocks, "0")(x);  x = None\n    blocks_1 = getattr(self.blocks, "1")(blocks_0);  blocks_0 = None\n    c = self.c\n    mul = blocks_1 * c;  blocks_1 = c = None\n    return mul\n    '
BLOCKS_CODE = '\n\n\ndef forward(self, x):\n    blocks_0_lin = getattr(self.blocks, "0").lin(x);  x = None\n    blocks_0_shift = getattr(self.blocks, "0").shift\n    add = blocks_0_lin + blocks_0_shift;  blocks_0_lin = blocks_0_shift = None\n    blocks_1_lin = getattr(self.blocks, "1").lin(add);  add = None\n    blocks_1_shift = getattr(self.blocks, "1").shift\n    add_1 = blocks_1_lin + blocks_1_shift;  blocks_1_lin = blocks_1_shift = None\n    c = self.c\n    mul = add_1 * c;  add_1 = c = None\n    return mul\n    '


def test_tracer_subclass_leaf_modules_buffers_and_tensor_attributes():
    m = Blocks()
    graph = LeafBlocks().trace(m)
    assert str(graph) == BLOCKS_LEAF_GRAPH
    gm = fx.GraphModule(m, graph)
    assert gm.code == BLOCKS_LEAF_CODE
    traced = fx.symbolic_trace(m)
    assert traced.code == BLOCKS_CODE
    assert list(traced.state_dict()) == ["c", "blocks.0.shift", "blocks.0.lin.weight", "blocks.0.lin.bias",
                                         "blocks.1.shift", "blocks.1.lin.weight", "blocks.1.lin.bias"]
    x = torch.ones(1, 2)
    for module in (gm, traced, fx.Transformer(gm).transform()):
        np.testing.assert_allclose(module(x).detach().numpy(), m(x).detach().numpy(), rtol=1e-6)


def test_print_readable_nests_graph_module_children():
    class Inner(nn.Module):
        def forward(self, x):
            return x.relu() + 1

    class Outer(nn.Module):
        def __init__(self):
            super().__init__()
            self.inner = fx.symbolic_trace(Inner())
            self.lin = nn.Linear(2, 2)

        def forward(self, x):
            return self.lin(self.inner(x))

    class KeepGraphModules(fx.Tracer):
        def is_leaf_module(self, m, module_qualified_name):
            return isinstance(m, fx.GraphModule) or super().is_leaf_module(m, module_qualified_name)

    outer = Outer()
    gm = fx.GraphModule(outer, KeepGraphModules().trace(outer))
    assert gm.print_readable(print_output=False) == (
        "class GraphModule(ferrograd.nn.Module):\n    def forward(self, x):\n"
        "        # No stacktrace found for following nodes\n        inner = self.inner(x);  x = None\n"
        "        lin = self.lin(inner);  inner = None\n        return lin\n\n    class inner(ferrograd.nn.Module):\n"
        "        def forward(self, x):\n            # No stacktrace found for following nodes\n"
        "            relu = x.relu();  x = None\n            add = relu + 1;  relu = None\n            return add\n")


def test_math_functions_are_wrapped_and_restored():
    def f(x):
        return x * math.sqrt(x.size(0)) + math.floor(x.size(1) / 2)

    gm = fx.symbolic_trace(f)
    assert gm.code == (
        '\nferrograd.fx._symbolic_trace.wrap("math_sqrt")\nferrograd.fx._symbolic_trace.wrap("math_floor")\n\n'
        "def forward(self, x):\n    size = x.size(0)\n    sqrt = math_sqrt(size);  size = None\n"
        "    mul = x * sqrt;  sqrt = None\n    size_1 = x.size(1);  x = None\n    truediv = size_1 / 2;  size_1 = None\n"
        "    floor = math_floor(truediv);  truediv = None\n    add = mul + floor;  mul = floor = None\n    return add\n    ")
    assert gm(torch.ones(4, 3)).tolist() == [[3.0] * 3] * 4
    assert math.sqrt(4.0) == 2.0
    assert type(math.sqrt).__name__ == "builtin_function_or_method"


def test_varargs_and_varkwargs_become_one_placeholder_each():
    def f(x, *args):
        return x + args[0]

    def g(x, **kw):
        return x * kw["s"]

    gm = fx.symbolic_trace(f)
    assert gm.code == ("\n\n\ndef forward(self, x, *args):\n    _args = args\n    getitem = _args[0];  _args = None\n"
                       "    add = x + getitem;  x = getitem = None\n    return add\n    ")
    assert str(gm.graph).splitlines()[2] == "    %_args : [num_users=1] = placeholder[target=*args]"
    assert gm(torch.ones(2), torch.ones(2)).tolist() == [2.0, 2.0]
    gm = fx.symbolic_trace(g)
    assert gm.code == ("\n\n\ndef forward(self, x, **kw):\n    _kw = kw\n    getitem = _kw['s'];  _kw = None\n"
                       "    mul = x * getitem;  x = getitem = None\n    return mul\n    ")
    assert gm(torch.ones(2), s=3).tolist() == [3.0, 3.0]


def test_print_tabular_rows(monkeypatch, capsys):
    seen = {}

    def fake_tabulate(rows, headers):
        seen["rows"], seen["headers"] = rows, headers
        return "TABLE"

    fake = type(sys)("tabulate")
    fake.tabulate = fake_tabulate
    monkeypatch.setitem(sys.modules, "tabulate", fake)
    gm = fx.symbolic_trace(lambda x, y=2: x.sum(dim=0) * y)
    gm.graph.print_tabular()
    assert capsys.readouterr().out == "TABLE\n"
    assert seen["headers"] == ["opcode", "name", "target", "args", "kwargs"]
    assert [[str(cell) for cell in row] for row in seen["rows"]] == [
        ["placeholder", "x", "x", "()", "{}"], ["placeholder", "y", "y", "(2,)", "{}"],
        ["call_method", "sum_1", "sum", "(x,)", "{'dim': 0}"],
        ["call_function", "mul", "<built-in function mul>", "(sum_1, y)", "{}"],
        ["output", "output", "output", "(mul,)", "{}"]]


# ---------------------------------------------------------------------- pytree inputs and codegen


def _pytree_dict_fn(d):
    return {"s": d["a"] + d["b"], "p": (d["a"] * 2, [d["b"].relu()])}


def test_concrete_args_with_pytrees_generate_pytorchs_code():
    gm = fx.symbolic_trace(_pytree_dict_fn, concrete_args={"d": {"a": fx.PH, "b": fx.PH}})
    assert gm.code == (
        "\n\n\ndef forward(self, d):\n"
        "    d_1, d_2, = fx_pytree.tree_flatten_spec([d], self._in_spec)\n"
        "    add = d_1 + d_2\n"
        "    mul = d_1 * 2;  d_1 = None\n"
        "    relu = d_2.relu();  d_2 = None\n"
        "    return pytree.tree_unflatten([add, mul, relu], self._out_spec)\n    ")
    assert gm.graph.python_code(root_module="self").src == gm.code
    assert [n.name for n in gm.graph.nodes if n.op == "placeholder"] == ["d_1", "d_2"]
    out = gm({"a": torch.ones(2), "b": -torch.ones(2)})
    assert list(out) == ["s", "p"] and isinstance(out["p"], tuple) and isinstance(out["p"][1], list)
    assert [out["s"].tolist(), out["p"][0].tolist(), out["p"][1][0].tolist()] == [[0.0, 0.0], [2.0, 2.0], [0.0, 0.0]]
    assert type(gm.graph._codegen).__name__ == "_PyTreeCodeGen"
    assert gm.graph._codegen.pytree_info.orig_args == ["d"]
    assert repr(gm._out_spec) == "TreeSpec(dict, ['s', 'p'], [*,\n  TreeSpec(tuple, None, [*,\n    TreeSpec(list, None, [*])])])"


def test_concrete_pytree_with_a_constant_leaf_and_a_plain_argument():
    def g(x, pair):
        return x + pair[0] * pair[1]

    gm = fx.symbolic_trace(g, concrete_args={"pair": (fx.PH, 3)})
    assert gm.code == (
        "\n\n\ndef forward(self, x, pair):\n"
        "    x, pair_1, pair_2, = fx_pytree.tree_flatten_spec([x, pair], self._in_spec)\n"
        "    eq = pair_2 == 3;  pair_2 = None\n"
        "    _assert = ferrograd._assert(eq, 'pair has been specialized to have value 3 but got another value');"
        "  eq = _assert = None\n"
        "    mul = pair_1 * 3;  pair_1 = None\n"
        "    add = x + mul;  x = mul = None\n"
        "    return pytree.tree_unflatten([add], self._out_spec)\n    ")
    assert str(gm.graph).endswith("    return [add]")
    assert (repr(gm._in_spec), repr(gm._out_spec)) == (
        "TreeSpec(tuple, None, [*,\n  TreeSpec(tuple, None, [*,\n    *])])", "*")
    args = (torch.ones(2), (torch.full((2,), 2.0), 3))
    assert gm(*args).tolist() == [7.0, 7.0]
    assert copy.deepcopy(gm)(*args).tolist() == [7.0, 7.0]
    assert pickle.loads(pickle.dumps(gm))(*args).tolist() == [7.0, 7.0]


def test_pytree_module_inputs_interpreter_and_transformer():
    class M(nn.Module):
        def forward(self, x, d):
            return [x + d["k"], d["j"]]

    gm = fx.symbolic_trace(M(), concrete_args={"d": {"k": fx.PH, "j": fx.PH}})
    assert gm.code == (
        "\n\n\ndef forward(self, x, d):\n"
        "    self, x, d_1, d_2, = fx_pytree.tree_flatten_spec([self, x, d], self._in_spec)\n"
        "    add = x + d_1;  x = d_1 = None\n"
        "    return pytree.tree_unflatten([add, d_2], self._out_spec)\n    ")
    inputs = (torch.ones(1), {"k": torch.ones(1), "j": torch.zeros(1)})
    assert [t.tolist() for t in fx.Interpreter(gm).run(*inputs)] == [[2.0], [0.0]]
    flat = fx.Interpreter(gm).run(torch.ones(1), torch.ones(1), torch.zeros(1), enable_io_processing=False)
    assert [t.tolist() for t in flat] == [[2.0], [0.0]]
    assert [t.tolist() for t in fx.Transformer(gm).transform()(*inputs)] == [[2.0], [0.0]]
    assert gm.print_readable(print_output=False) == (
        "class M(ferrograd.nn.Module):\n    def forward(self, x, d):\n"
        "        self, x, d_1, d_2, = fx_pytree.tree_flatten_spec([self, x, d], self._in_spec)\n"
        "        # No stacktrace found for following nodes\n"
        "        add = x + d_1;  x = d_1 = None\n"
        "        return pytree.tree_unflatten([add, d_2], self._out_spec)\n")


def test_ph_with_meta_and_keyword_only_pytrees():
    def g(x, pair):
        return x + pair[0] * pair[1]

    ph = fx._symbolic_trace.PHWithMeta(ph_key="mykey")
    ph.extra = 5
    gm = fx.symbolic_trace(g, concrete_args={"pair": (ph, fx.PH)})
    assert [(n.name, getattr(n, "ph_key", None), getattr(n, "extra", None))
            for n in gm.graph.nodes if n.op == "placeholder"] == [("x", None, None), ("pair_1", "mykey", 5),
                                                                  ("pair_2", None, None)]

    def kw(x, *, opts):
        return x * opts["scale"]

    assert fx.symbolic_trace(kw, concrete_args={"opts": {"scale": fx.PH}}).code == (
        "\n\n\ndef forward(self, x, opts):\n"
        "    x, opts_1, = fx_pytree.tree_flatten_spec([x, opts], self._in_spec)\n"
        "    mul = x * opts_1;  x = opts_1 = None\n"
        "    return pytree.tree_unflatten([mul], self._out_spec)\n    ")


def test_tree_flatten_spec_follows_the_spec():
    from ferrograd.fx._pytree import tree_flatten_spec
    from ferrograd.utils._pytree import tree_flatten

    _, spec = tree_flatten({"a": 1, "b": (2, [3])})
    assert tree_flatten_spec({"b": ("x", ["y"]), "a": "z", "c": "ignored"}, spec) == ["z", "x", "y"]
    with pytest.raises(RuntimeError, match="^<class 'set'> does not have a flatten_fn_spec associated with it"):
        tree_flatten_spec({1}, spec)


def test_set_codegen_changes_the_signature_and_the_inputs():
    class ListCodeGen(fx.graph.CodeGen):
        def gen_fn_def(self, free_vars, maybe_return_annotation):
            return (f"\ndef forward(self, args_list: List[ferrograd.Tensor]){maybe_return_annotation}:\n"
                    f"    {', '.join(free_vars)} = args_list")

        def additional_globals(self):
            return [("List", list)]

        def process_inputs(self, *inputs):
            assert len(inputs) == 1
            return inputs[0]

    gm = fx.symbolic_trace(lambda a, b: a + b)
    gm.graph.set_codegen(ListCodeGen())
    gm.recompile()
    assert gm.code == ("\n\n\n\ndef forward(self, args_list: List[ferrograd.Tensor]):\n    a, b = args_list\n"
                       "    add = a + b;  a = b = None\n    return add\n    ")
    assert gm([torch.ones(1), torch.ones(1)]).tolist() == [2.0]
    assert fx.Interpreter(gm).run([torch.ones(1), torch.ones(1)]).tolist() == [2.0]


# ---------------------------------------------------------------------- stack traces


class _Traced(nn.Module):
    def __init__(self):
        super().__init__()
        self.l = nn.Linear(2, 2)

    def forward(self, x):
        y = self.l(x)
        z = y.relu()
        return z + y


def test_recorded_stack_traces_and_verbose_code():
    # PyTorch's format; PyTorch 2.13 also leaves its own fx frames (proxy.py) in them,
    # which ferrograd leaves out, as PyTorch's filter means to
    tracer = fx.Tracer()
    assert tracer.record_stack_traces is False
    tracer.record_stack_traces = True
    graph = tracer.trace(_Traced())
    line = _Traced.forward.__code__.co_firstlineno
    traces = {n.name: n.stack_trace for n in graph.nodes}
    assert traces == {
        "x": None, "output": None,
        "l": f'File "{__file__}", line {line + 1}, in forward\n    y = self.l(x)',
        "relu": f'File "{__file__}", line {line + 2}, in forward\n    z = y.relu()',
        "add": f'File "{__file__}", line {line + 3}, in forward\n    return z + y'}
    assert [("stack_trace" in n.meta) for n in graph.nodes] == [False, True, True, True, False]
    gm = fx.GraphModule(tracer.root, graph)
    assert gm.print_readable(print_output=False, include_stride=True, include_device=True) == (
        "class GraphModule(ferrograd.nn.Module):\n    def forward(self, x):\n"
        f"        # File: {__file__}:{line + 1} in forward, code: y = self.l(x)\n"
        "        l = self.l(x);  x = None\n\n"
        f"        # File: {__file__}:{line + 2} in forward, code: z = y.relu()\n"
        "        relu = l.relu()\n\n"
        f"        # File: {__file__}:{line + 3} in forward, code: return z + y\n"
        "        add = relu + l;  relu = l = None\n        return add\n")
    assert graph.python_code("self", verbose=True).src.startswith(
        f"\n\n\ndef forward(self, x):\n    # File: {__file__}:{line + 1} in forward, code: y = self.l(x)\n")
    assert graph.python_code("self").src == gm.code
    assert all(n.stack_trace is None for n in fx.symbolic_trace(_Traced()).graph.nodes)


def test_print_readable_summarizes_stack_traces_set_on_nodes():
    gm = fx.symbolic_trace(_Traced())
    for i, n in enumerate(gm.graph.nodes):
        if n.op not in ("placeholder", "output") and i != 2:
            n.stack_trace = f'File "a.py", line {i}, in forward\n    code{i}'
    assert next(iter(gm.graph.nodes)).meta == {}
    assert gm.print_readable(print_output=False) == (
        "class _Traced(ferrograd.nn.Module):\n    def forward(self, x):\n"
        "        # File: a.py:1 in forward, code: code1\n        l = self.l(x);  x = None\n\n"
        "        # No stacktrace found for following nodes\n        relu = l.relu()\n\n"
        "        # File: a.py:3 in forward, code: code3\n        add = relu + l;  relu = l = None\n        return add\n")
    assert gm.graph.python_code("self", verbose=True).src == (
        "\n\n\ndef forward(self, x):\n    # File: a.py:1 in forward, code: code1\n    l = self.l(x);  x = None\n    \n"
        "    # No stacktrace found for following nodes\n    relu = l.relu()\n    \n"
        "    # File: a.py:3 in forward, code: code3\n    add = relu + l;  relu = l = None\n    return add\n    ")
