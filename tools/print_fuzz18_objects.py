"""The fixed expressions `print_fuzz18.py` prints besides its random tensors: objects that
describe tensors (Size, dtype, device, finfo), named tuples of reductions and
decompositions, grad_fn names, sparse and nested layouts, storages, modules, and scalars
that Python itself prints. Each is an expression over `m` (torch or ferrograd)."""

from __future__ import annotations

import collections
import math

from print_fuzz20_objects import GROUPS20, HELPERS

DTYPE_NAMES = [
    "bool", "uint8", "int8", "int16", "int32", "int64", "uint16", "uint32", "uint64", "float16", "bfloat16",
    "float32", "float64", "complex32", "complex64", "complex128", "float8_e4m3fn", "float8_e5m2",
    "float8_e4m3fnuz", "float8_e5m2fnuz", "float8_e8m0fnu", "half", "float", "double", "long", "int", "short",
    "cfloat", "cdouble", "chalf", "quint8", "qint8", "qint32",
]

DESCRIPTORS = [
    "m.Size([])", "m.Size([2, 3])", "m.Size([0])", "m.Size((1,))", "m.zeros(2, 0, 3).shape", "m.zeros(()).size()",
    "m.zeros(4, 5).stride()", "m.device('cpu')", "m.device('cpu', 0)", "m.device('cuda', 1)", "m.device('cuda:0')",
    "m.device('meta')", "m.zeros(2).device", "m.layout", "m.strided", "m.sparse_coo", "m.sparse_csr",
    "m.contiguous_format", "m.channels_last", "m.preserve_format", "m.finfo(m.float16)", "m.finfo(m.bfloat16)",
    "m.finfo(m.float32)", "m.finfo(m.float64)", "m.finfo()", "m.iinfo(m.int8)", "m.iinfo(m.uint8)", "m.iinfo(m.int64)",
    "m.iinfo(m.int32)", "m.finfo(m.float8_e4m3fn)", "m.get_default_dtype()", "m.zeros(2).dtype.is_floating_point",
    "m.Size([2, 3]) + (4,)", "m.Size([2, 3])[1:]", "m.Size([2, 3]).numel()", "type(m.Size([1]))",
    *(f"m.{name}" for name in DTYPE_NAMES),
]

GRAD_FNS = [
    "x * 2", "x + 1", "x - 1", "x / 2", "-x", "x.sum()", "x.mean()", "x[0]", "x[:, 1]", "x.t()", "x.T",
    "x.view(6)", "x.reshape(3, 2)", "x.unsqueeze(0)", "x.squeeze()", "x.exp()", "x.log()", "x.sin()", "x.abs()",
    "x.relu()", "x.sigmoid()", "x.tanh()", "x @ x.t()", "x.matmul(x.t())", "x.pow(2)", "x ** 2", "x.sqrt()",
    "x.max()", "x.min(0)", "x.max(1)", "x.sort(1)", "x.topk(1)", "x.cumsum(0)", "x.clone()", "x.detach()",
    "x.float()", "x.double()", "x.half()", "x.to(m.bfloat16)", "x.expand(2, 2, 3)", "x.permute(1, 0)",
    "x.flip(0)", "x.narrow(1, 0, 2)", "x.select(0, 1)", "x.index_select(0, m.tensor([1]))",
    "m.cat([x, x])", "m.stack([x, x])", "x.split(1)", "x.chunk(2, 1)", "x.unbind()", "m.where(x > 0, x, 0.)",
    "x.clamp(0, 1)", "x.masked_fill(x > 0, 0.)", "x.norm()", "x.softmax(0)", "x.log_softmax(1)",
    "m.nn.functional.linear(x, x)", "x.var()", "x.std(1)", "x.prod()", "x.amax(1)", "x.logsumexp(1)",
    "x.diag()", "x.triu()", "x.flatten()", "x.contiguous()", "x.repeat(2, 1)", "x.roll(1)", "x.cumprod(1)",
    "x.conj()", "x.to(m.complex64)", "x.sum(0, keepdim=True)", "x.new_tensor([1.])", "x.type_as(x)",
    "x.unfold(1, 2, 1)", "x.gather(1, m.tensor([[0], [1]]))",
]

NAMED_TUPLES = [
    "m.max(v, 1)", "m.min(v, 0)", "m.sort(v)", "m.sort(v, descending=True)", "m.topk(v, 2)",
    "m.kthvalue(v, 1)", "m.median(v, 1)", "m.nanmedian(v, 1)", "m.mode(v, 1)", "m.aminmax(v)",
    "m.aminmax(v, dim=0)", "m.cummax(v, 0)", "m.cummin(v, 1)", "m.frexp(v)", "m.var_mean(v, 1)",
    "m.std_mean(v)", "m.linalg.slogdet(s)", "m.slogdet(s)", "m.linalg.eigh(s)", "m.linalg.qr(s)",
    "m.linalg.inv_ex(s)", "m.linalg.cholesky_ex(s @ s.t() + m.eye(2))", "m.linalg.lu_factor(s)",
    "m.linalg.lu(s)", "m.linalg.svd(m.eye(2))", "m.svd(m.eye(2))", "m.linalg.lstsq(s, s)",
    "m.geqrf(s)", "m.unique(v.round(), return_counts=True)", "m.histogram(v, 3)", "m.max(v, 1).values",
    "m.max(v, 1)[1]", "m.topk(v, 2, largest=False)", "m.sort(m.tensor([3, 1, 2]))",
    "m.max(m.tensor([[1, 5], [7, 2]]), 1, keepdim=True)", "m.linalg.solve_ex(s, s)",
    "m.linalg.ldl_factor(s @ s.t() + m.eye(2))", "m.lu_unpack(*m.linalg.lu_factor(s))",
    "m.nn.functional.adaptive_max_pool1d(v.unsqueeze(0), 2, return_indices=True)",
    "m.max(v, 1, keepdim=True)._asdict()", "type(m.max(v, 1))", "m.return_types.max",
]

LAYOUTS = [
    "m.tensor([[0., 1.], [2., 0.]]).to_sparse()", "m.tensor([[0, 1], [2, 0]]).to_sparse()",
    "m.tensor([[0., 1.], [2., 0.]]).to_sparse_csr()", "m.tensor([[0., 1.], [2., 0.]]).to_sparse_csc()",
    "m.sparse_coo_tensor([[0, 1], [1, 0]], [1., 2.], (2, 2))", "m.sparse_coo_tensor([[0, 1], [1, 0]], [1., 2.], (2, 2)).coalesce()",
    "m.tensor([[0., 1.], [2., 0.]], requires_grad=True).to_sparse()",
    "m.nested.nested_tensor([m.ones(2), m.zeros(3)])", "m.nested.nested_tensor([m.ones(2, 2), m.zeros(3, 2)])",
    "m.zeros(2, 3, device='meta')", "m.empty(0, device='meta')", "m.zeros(2, dtype=m.float16, device='meta')",
    "m.zeros(2, requires_grad=True, device='meta') * 2", "m.nn.Parameter(m.zeros(2, device='meta'))",
    "m.tensor([1, 2], dtype=m.int16).untyped_storage()", "m.tensor([1., 2.]).storage()",
    "m.tensor([1.5, -2.]).untyped_storage()", "m.tensor([], dtype=m.int8).untyped_storage()",
    "m.quantize_per_tensor(m.tensor([0.5, 1.]), 0.1, 0, m.quint8)",
    "m.tensor([1., 2.]).conj()", "m.tensor([1+2j, 3-1j]).conj()", "m.tensor([1+2j, 3-1j])._neg_view()",
    "m.tensor([1+2j, 3-1j]).conj().imag", "m.tensor([1+2j, 3-1j]).real", "m.view_as_real(m.tensor([1+2j, -0.5j]))",
]

MODULES = [
    "m.nn.Linear(2, 3)", "m.nn.Linear(2, 3, bias=False)", "m.nn.Conv2d(1, 2, 3)", "m.nn.Conv2d(1, 2, (3, 1), stride=2, padding=1)",
    "m.nn.Sequential(m.nn.Linear(1, 2), m.nn.ReLU())", "m.nn.ModuleList([m.nn.Tanh()])", "m.nn.ModuleDict({'a': m.nn.ReLU()})",
    "m.nn.LSTM(2, 3)", "m.nn.GRU(2, 3, num_layers=2)", "m.nn.BatchNorm1d(3)", "m.nn.LayerNorm(4)", "m.nn.Dropout(0.2)",
    "m.nn.Embedding(5, 2)", "m.nn.MultiheadAttention(4, 2)", "m.nn.LeakyReLU(0.2)", "m.nn.Softmax(dim=1)",
    "m.nn.MaxPool2d(2)", "m.nn.AvgPool1d(3, 1)", "m.nn.Flatten()", "m.nn.Identity()", "m.nn.CrossEntropyLoss()",
    "m.nn.ParameterList([m.nn.Parameter(m.zeros(2))])", "m.nn.ParameterDict({'w': m.nn.Parameter(m.zeros(2, 3))})",
    "m.nn.Transformer(8, 2, 1, 1, 16)", "m.nn.Upsample(scale_factor=2)", "m.nn.PReLU()", "m.nn.Bilinear(2, 3, 4)",
    "m.nn.Linear(2, 3).weight.shape", "dict(m.nn.Linear(1, 1, bias=False).named_parameters()).keys()",
    "m.optim.SGD([m.nn.Parameter(m.zeros(1))], lr=0.1)", "m.optim.Adam([m.nn.Parameter(m.zeros(1))])",
]

SCALARS = [
    "m.tensor(1.5).item()", "m.tensor(0.1, dtype=m.float32).item()", "m.tensor(0.1, dtype=m.float16).item()",
    "m.tensor(0.1, dtype=m.bfloat16).item()", "m.tensor([0.1, 1e-8, 1e20]).tolist()", "m.tensor(2**63 - 1).item()",
    "m.tensor([1, -2], dtype=m.int8).tolist()", "m.tensor(True).item()", "m.tensor(1 + 2j).item()",
    "m.tensor([1 + 2j], dtype=m.complex64).tolist()", "m.tensor([[0.5]], dtype=m.float64).tolist()",
    "m.tensor(-0.0).item()", "m.tensor(math.nan).item()", "m.tensor(3, dtype=m.uint64).item()",
    "float(m.tensor(0.1))", "int(m.tensor(7.9))", "complex(m.tensor(1.5))", "bool(m.tensor([1]))",
    "format(m.tensor(0.1), '.3f')", "f'{m.tensor(2.5)}'", "f'{m.tensor([1, 2])}'", "m.tensor(0.1).__format__('')",
    "m.tensor(0.1, dtype=m.float8_e4m3fn).item()", "m.tensor([0.3], dtype=m.float8_e5m2).tolist()",
    "m.tensor(1.5).numpy()", "m.tensor([1, 2], dtype=m.int32).numpy()", "m.zeros(2, 2).numpy()",
]

TENSORS = [
    "m.tensor(3.)", "m.tensor(3)", "m.tensor(-0.)", "m.tensor(math.nan)", "m.tensor([math.nan] * 3)",
    "m.tensor([math.inf, -math.inf])", "m.tensor([1e-5, 1.])", "m.tensor([1e8, 1.])", "m.tensor([1e9])",
    "m.tensor([2**62, -2**62])", "m.tensor([2**63 - 1, -2**63])", "m.tensor([1.e-45, 1.])", "m.tensor([5e-324], dtype=m.float64)",
    "m.tensor([0.1, 100000.])", "m.tensor([0.1, 99999.])", "m.tensor([123456789.])", "m.tensor([1., 2.], dtype=m.float64)",
    "m.tensor([1+1j, 1e-5j])", "m.tensor([1e10+1j])", "m.tensor([math.nan + 1j, math.inf * 1j])", "m.tensor([-0.-0.j])",
    "m.tensor([], dtype=m.float16)", "m.zeros(0, 2, dtype=m.int32)", "m.zeros(3, 0)", "m.zeros(0, dtype=m.complex64)",
    "m.tensor([], requires_grad=True)", "m.zeros(2, 0, requires_grad=True) * 2", "m.tensor([], dtype=m.int64)",
    "m.tensor([], dtype=m.bool)", "m.tensor(1., requires_grad=True)", "m.tensor([1., 2.], requires_grad=True) * 2",
    "m.tensor([1., 2.], dtype=m.float64, requires_grad=True).sum()", "m.arange(2000.)", "m.arange(1001)",
    "m.arange(1001).reshape(7, 143)", "m.arange(3000.).reshape(10, 10, 30) / 7", "m.ones(1001, dtype=m.bool)",
    "m.arange(1e4).reshape(100, 100) * 1e-6", "m.linspace(-1e6, 1e6, 1200)", "m.arange(24.).reshape(2, 3, 4).transpose(0, 2)",
    "m.arange(10.)[::3]", "m.arange(6).reshape(2, 3).t()", "m.ones(3, 1).expand(3, 4)", "m.zeros(2, 3)[:, 1:]",
    "m.tensor([1.5] * 40)", "m.tensor([1.123456789] * 30, dtype=m.float64)", "m.tensor([-1] * 30)",
    "m.full((2, 2), 7, dtype=m.uint8)", "m.tensor([255, 0], dtype=m.uint8)", "m.tensor([65535], dtype=m.uint16)",
    "m.tensor([2**64 - 1], dtype=m.uint64)", "m.tensor([1., 2.], dtype=m.float8_e4m3fn)", "m.tensor([448., -448.]).to(m.float8_e4m3fn)",
    "m.tensor([57344.]).to(m.float8_e5m2)", "m.tensor([1., 2., 2.**-127]).to(m.float8_e8m0fnu)",
    "m.tensor([1.5, 65504.], dtype=m.float16)", "m.tensor([1e-7], dtype=m.float16)", "m.tensor([3e38], dtype=m.bfloat16)",
    "m.tensor([1., 2.]).to(m.complex32)", "m.tensor([0.1 + 0.2j]).to(m.complex32)",
]

OBJECTS = [
    "(x * 2).grad_fn", "(x * 2).grad_fn.next_functions", "x.sum().grad_fn.name()", "x.grad_fn", "x.grad",
    "(x * 2).grad_fn.next_functions[0][0]", "m.Generator()", "m.default_generator", "m.per_tensor_affine",
    "m.nn.utils.rnn.pack_sequence([m.ones(3), m.ones(2)])", "m.nn.utils.rnn.pad_sequence([m.ones(3), m.ones(2)])",
    "m.distributions.Normal(0., 1.)", "m.distributions.Normal(m.zeros(2), m.ones(2))",
    "m.distributions.Bernoulli(probs=m.tensor([0.3]))", "m.distributions.Categorical(logits=m.zeros(3))",
    "m.distributions.Uniform(0., 2.)", "m.distributions.MultivariateNormal(m.zeros(2), m.eye(2))",
    "m.nn.Buffer(m.zeros(2))", "m.nn.Parameter(m.tensor([1, 2]), requires_grad=False)",
    "m.nn.Parameter(m.tensor([1.+1j]))", "m.nn.Parameter(m.zeros(0, 3))", "m.nn.Parameter(m.zeros(2, dtype=m.float16))",
    "m.nn.Parameter(m.arange(2000.))", "m.nn.Linear(2, 2).weight.grad", "[m.nn.Parameter(m.ones(1))]",
    "{'w': m.nn.Parameter(m.ones(1))}", "m.nn.Linear(1, 1, bias=False).state_dict()",
    "m.tensor([1., 2.]).grad_fn", "m.autograd.grad((x * x).sum(), x)", "m.func.grad(lambda t: (t * t).sum())(v)",
    "m.tensor([[1e-10, 1.]] * 2)",
    "m.nn.parameter.UninitializedParameter()", "m.nn.parameter.UninitializedBuffer()", "m.nn.LazyLinear(3)",
    "x.H", "x.mT", "x.conj()", "x.detach().conj()", "m.tensor([1+1j], requires_grad=True).conj()",
    "m.tensor([1+1j], requires_grad=True).conj().imag", "x.real", "x[0].unsqueeze(1).expand(3, 2)",
    "x.retain_grad()", "x.is_leaf", "x.requires_grad_(False)", "x.detach().requires_grad_()",
    "m.tensor([1., 2.]).requires_grad_()[0]", "m.zeros(3, requires_grad=True).view(3, 1)[1:]",
    "m.zeros(2, names=('a',))" , "m.zeros(2, 2, names=('a', 'b'))",
    "m.inference_mode()(lambda: m.ones(2) * 2)()", "m.inference_mode()(lambda: x * 2)()",
    "m.no_grad()(lambda: x * 2)()", "m.enable_grad()(lambda: x * 2)()",
    "m.func.jvp(lambda t: t * 2, (m.ones(2),), (m.ones(2),))", "m.func.vmap(lambda t: t * 2)(m.ones(2, 3))",
    "m.func.vjp(lambda t: t.sin(), m.ones(2))[0]", "m.func.jacrev(lambda t: t.sin())(m.ones(2))",
    "m.autograd.functional.jacobian(lambda t: t ** 2, m.tensor([1., 2.]))",
    "m.max(x, 1)", "m.sort(x, 0)", "m.topk(x, 2)", "x.max(1, keepdim=True)", "m.std_mean(x, 1)",
]

DUALS = [
    "dual(m, m.ones(2), m.zeros(2))", "dual(m, m.tensor(1.5), m.tensor(-2.))", "dual(m, x.detach(), x.detach() * 1e-6)",
    "dual(m, m.ones(2, dtype=m.float64), m.ones(2, dtype=m.float64), lambda t: t.sin())",
    "dual(m, m.arange(2000.), m.ones(2000))", "dual(m, x, x.detach(), lambda t: t * 2)",
]

OPTIONS = [
    "opts(m, {'profile': 'short'})", "opts(m, {'profile': 'full'}, {'precision': 2})",
    "opts(m, {'sci_mode': True}, {'precision': 3})", "opts(m, {'threshold': 10.5}, {'edgeitems': 1})",
    "opts(m, {'profile': 'short', 'precision': 6})", "opts(m, {'linewidth': 30}, {'profile': 'default'})",
    "opts(m, {'precision': 0, 'sci_mode': True})", "opts(m, {'edgeitems': 0, 'threshold': 5})",
    "opts(m, {'profile': 'nonsense'})", "opts(m, {'precision': 2.5})", "opts(m, {'threshold': -1})",
    "opts(m, {'linewidth': 0})", "opts(m, {'edgeitems': -1, 'threshold': 5})", "opts(m, {'sci_mode': 1})",
    "with_options(m, {'precision': 2})", "with_options(m, {'sci_mode': True, 'linewidth': 40})",
]

GROUPS = {
    "options": OPTIONS,
    "duals": DUALS,
    "objects": OBJECTS,
    "descriptors": DESCRIPTORS,
    "grad_fn": GRAD_FNS,
    "named_tuples": NAMED_TUPLES,
    "layouts": LAYOUTS,
    "modules": MODULES,
    "scalars": SCALARS,
    "tensors": TENSORS,
    **GROUPS20,
}


def dual(m, primal, tangent, op=None) -> str:
    """The text of a forward-AD dual tensor (after `op`) while its dual level is open."""
    with m.autograd.forward_ad.dual_level():
        t = m.autograd.forward_ad.make_dual(primal, tangent)
        t = t if op is None else op(t)
        return f"{t!r}\n{m.autograd.forward_ad.unpack_dual(t)!r}"


def opts(m, *calls) -> str:
    """Print options after `set_printoptions(**call)` for each of `calls`, and a tensor
    printed under them; the defaults are restored after."""
    try:
        for call in calls:
            m.set_printoptions(**call)
        shown = m.arange(40.).reshape(4, 10) / 3 * 10.0 ** m.arange(10.)
        return f"{m._tensor_str.get_printoptions()}\n{shown}\n{m.tensor([0.5, 1e-6])}"
    finally:
        m.set_printoptions(profile="default")


def with_options(m, options: dict) -> str:
    """A tensor printed inside the `printoptions` context manager, then outside it."""
    with m._tensor_str.printoptions(**options):
        inside = repr(m.tensor([1.123456, 1e5, 3.0]))
    return f"{inside}\n{m.tensor([1.123456, 1e5, 3.0])}\n{m._tensor_str.get_printoptions()}"


def evaluate(m, expression: str):
    """The value of `expression` with the inputs its groups use: `x` (a 2x3 float leaf that
    requires grad), `v` (a 2x4 float tensor) and `s` (a 2x2 invertible matrix)."""
    m.manual_seed(0)
    x = m.tensor([[0.5, -1.25, 2.0], [3.0, 0.25, -0.75]], requires_grad=True)
    v = m.tensor([[0.5, -1.25, 2.0, 7.0], [3.0, 0.25, -0.75, 3.0]])
    s = m.tensor([[2.0, 1.0], [0.5, 3.0]])
    return eval(expression, {"m": m, "math": math, "collections": collections, "x": x, "v": v, "s": s,
                             "dual": dual, "opts": opts, "with_options": with_options, **HELPERS})
