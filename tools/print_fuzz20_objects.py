"""More fixed expressions for `print_fuzz18.py --objects`: format specs on tensors, print
options in combination, every dtype's finfo/iinfo, Generators, sparse layouts of many
dtypes, grad_fn chains, and the nn side (layers' extra_repr, nested containers,
optimizers, lr schedulers, parametrizations). Each is an expression over `m`."""

from __future__ import annotations

import importlib

FLOAT_NAMES = ["float16", "bfloat16", "float32", "float64", "float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz",
               "float8_e5m2fnuz", "float8_e8m0fnu", "complex64", "complex128", "complex32"]
INT_NAMES = ["bool", "uint8", "int8", "int16", "int32", "int64", "uint16", "uint32", "uint64"]

FORMATS = [
    *(f"format(m.tensor({v}), {spec!r})" for v in ("2.5", "-0.125", "3", "True", "1+2j", "[2.5]", "[[7]]", "[1, 2]")
      for spec in ("", ".2f", "d", ">10", "e", "g", "x")),
    "f'{m.tensor(2.5, requires_grad=True):.3f}'", "f'{m.tensor([2.5], requires_grad=True):.3f}'",
    "f'{m.tensor(7, dtype=m.uint8):04d}'", "f'{m.tensor(0.1, dtype=m.float16):.5f}'",
    "f'{m.tensor(0.1, dtype=m.bfloat16):.5f}'", "f'{m.tensor([], dtype=m.float32):.2f}'",
    "f'{m.tensor(float(\"nan\")):.2f}'", "f'{m.nn.Parameter(m.tensor(1.5)):.1f}'",
    "f'{m.tensor([1.5]).expand(1):.2f}'", "f'{m.zeros(1, 1, 1):.2f}'", "f'{m.tensor(2.5)!r:>30}'",
    "'%s' % m.tensor([1., 2.])", "'%.2f' % m.tensor(2.5)", "'%d' % m.tensor(3)", "'%.1f' % m.tensor([2.5])",
    "str(m.tensor(1.5, dtype=m.float64))", "m.tensor(1.5).__format__('.2f')",
]

PRINT_OPTIONS = [
    *(f"opts(m, {{'precision': {p}, 'sci_mode': {s}}})" for p in (0, 2, 6) for s in (True, False, None)),
    "opts(m, {'profile': 'short', 'sci_mode': True})", "opts(m, {'profile': 'full', 'linewidth': 50})",
    "opts(m, {'threshold': 3, 'edgeitems': 1, 'linewidth': 30})", "opts(m, {'threshold': 3, 'edgeitems': 0})",
    "opts(m, {'edgeitems': 5, 'threshold': 20})", "opts(m, {'precision': 12})", "opts(m, {'linewidth': 1})",
    "opts(m, {'sci_mode': True}, {'profile': 'default'})", "opts(m, {'precision': 2}, {'sci_mode': None})",
    "opts(m, {'profile': 'short'}, {'profile': 'default'})", "opts(m, {'profile': 'full'}, {'threshold': 5})",
    "opts(m, {'sci_mode': False}, {'precision': 1})", "opts(m, {'precision': 3, 'profile': 'short'})",
    "opts(m, {}, {'profile': None})", "opts(m, {'precision': None, 'threshold': None})",
    "shown_under(m, {'sci_mode': False}, m.tensor([1e-10, 1e10, 1.]))",
    "shown_under(m, {'sci_mode': True}, m.tensor([1, 2], dtype=m.int32))",
    "shown_under(m, {'sci_mode': True}, m.tensor([1+1j, 2.5j]))",
    "shown_under(m, {'precision': 0}, m.tensor([0.5, 1.5, 2.5, -0.5]))",
    "shown_under(m, {'precision': 1}, m.tensor([1e-5, 123.]))",
    "shown_under(m, {'linewidth': 20}, m.arange(12.).reshape(2, 6))",
    "shown_under(m, {'threshold': 4, 'edgeitems': 1}, m.arange(60).reshape(3, 4, 5))",
    "shown_under(m, {'threshold': 4, 'edgeitems': 2}, m.arange(256.).reshape(4, 4, 4, 4))",
    "shown_under(m, {'threshold': 4}, m.tensor([True, False] * 5))",
    "shown_under(m, {'threshold': 4}, m.arange(10.).to(m.complex64))",
    "shown_under(m, {'sci_mode': False, 'precision': 2}, m.tensor([1e20, -3e-9, m.inf]))",
    "shown_under(m, {'sci_mode': False}, m.tensor([1., 2.], dtype=m.float16))",
    "shown_under(m, {'sci_mode': True}, m.tensor(3.))", "shown_under(m, {'sci_mode': True}, m.tensor([m.nan]))",
    "shown_under(m, {'precision': 2}, m.tensor([1., 2.], requires_grad=True) * 3)",
    "shown_under(m, {'threshold': 2}, m.zeros(3).to_sparse())",
]

INFOS = [
    *(f"m.finfo(m.{name})" for name in FLOAT_NAMES), *(f"m.iinfo(m.{name})" for name in INT_NAMES),
    "m.finfo(m.float32).eps", "m.finfo(m.float16).tiny", "m.finfo(m.bfloat16).max", "m.finfo(m.float64).resolution",
    "m.iinfo(m.int16).bits", "m.finfo(m.float32).dtype", "m.iinfo(m.uint8).dtype", "m.finfo(m.float16) == m.finfo(m.half)",
    "m.finfo(m.float32).smallest_normal", "m.finfo(m.float64).min", "str(m.finfo(m.float32))",
    "m.Generator()", "m.Generator('cpu')", "m.Generator().device", "m.Generator().manual_seed(3)",
    "m.Generator().initial_seed()", "m.Generator().manual_seed(3).initial_seed()", "type(m.Generator())",
    "m.default_generator.device", "m.manual_seed(5)", "str(m.Generator())",
    "m.Size([2, 3]) * 2", "repr(m.Size([]))", "str(m.Size([4]))", "m.Size([1, 2]) == (1, 2)", "m.Size([2, 3]).count(2)",
    "m.ones(2, 3).shape[::-1]", "list(m.Size([2, 3]))", "m.Size([m.tensor(3)])", "m.float32.itemsize", "str(m.float32)",
    "m.float32.to_complex()", "m.complex64.to_real()", "m.int8.is_signed", "m.float16.is_complex",
    "m.device('cpu').type", "str(m.device('cpu'))", "m.device('cpu').index", "m.device('cuda', 0).index",
    "m.strided.__repr__()", "str(m.sparse_csr)", "m.sparse_csc", "m.sparse_bsr", "m.sparse_bsc", "m._mkldnn",
    "m.channels_last_3d", "m.memory_format", "m.zeros(2, 3).layout", "m.zeros(2).to_sparse().layout",
]

SPARSE = [
    *(f"m.tensor([[0, 1], [2, 0]], dtype=m.{d}).to_sparse()" for d in ("int8", "int64", "bool", "float64", "float16",
                                                                     "bfloat16", "complex64", "uint8")),
    *(f"m.tensor([[0, 1], [2, 0]], dtype=m.{d}).to_sparse_csr()" for d in ("int32", "float64", "bool", "complex128")),
    "m.zeros(2, 3).to_sparse()", "m.zeros(2, 3).to_sparse_csr()", "m.zeros(0, 3).to_sparse()",
    "m.tensor([1., 0., 2.]).to_sparse()", "m.tensor(3.).to_sparse()", "m.arange(6.).reshape(2, 3).to_sparse(1)",
    "m.zeros(3, 2, 2).to_sparse()", "m.eye(3).to_sparse().coalesce().indices()", "m.eye(3).to_sparse().values()",
    "m.eye(3).to_sparse_csr().crow_indices()", "m.eye(3, dtype=m.float64).to_sparse_csr().col_indices()",
    "m.eye(2).to_sparse_csc()", "m.eye(2).to_sparse_csr().to_dense()", "m.eye(2).to_sparse() * 2",
    "m.sparse_coo_tensor(m.zeros(2, 0, dtype=m.long), m.zeros(0), (2, 3))",
    "m.sparse_coo_tensor([[0, 0], [1, 1]], [1., 2.], (2, 2))", "m.sparse_csr_tensor([0, 1, 2], [0, 1], [1., 2.])",
    "m.eye(30).to_sparse()", "m.arange(2000.).to_sparse()", "m.eye(2).to_sparse().requires_grad_()",
    "m.eye(2, requires_grad=True).to_sparse_csr()",
]

GRAD_FN_CHAINS = [
    "((x * 2).sum()).grad_fn.next_functions", "(x * 2).grad_fn.next_functions[0][0].next_functions",
    "(x + x).grad_fn.next_functions", "(x * 2 + 1).exp().grad_fn.next_functions[0][0].next_functions",
    "str((x * 2).grad_fn)", "repr(x.sum().grad_fn)", "(x * 2).grad_fn.name()", "type((x * 2).grad_fn).__name__",
    "(x.detach() * 2).grad_fn", "(x @ x.t()).grad_fn.next_functions", "x.view(-1).grad_fn",
    "m.cat([x, x]).grad_fn.next_functions", "x.unbind()[0].grad_fn", "x.split(1)[1].grad_fn",
    "(x * m.ones(3)).grad_fn.next_functions", "m.tensor(1., requires_grad=True).exp().grad_fn.next_functions",
    "(x.double() * 2).grad_fn.next_functions", "(x * 2).grad_fn.metadata", "x.sum().grad_fn._saved_self.shape",
    "m.nn.functional.relu(x).grad_fn", "m.nn.functional.gelu(x).grad_fn", "m.nn.functional.mse_loss(x, x.detach()).grad_fn",
    "m.nn.functional.cross_entropy(x, m.tensor([0, 1])).grad_fn", "m.nn.Linear(3, 2)(x).grad_fn",
    "m.nn.Linear(3, 2)(x).grad_fn.next_functions",
]

LAYERS = [
    "m.nn.Conv1d(2, 4, 3, stride=2, padding=1, dilation=2, groups=2, bias=False)", "m.nn.Conv3d(1, 2, (1, 2, 3))",
    "m.nn.Conv2d(2, 2, 3, padding='same', padding_mode='reflect')", "m.nn.ConvTranspose2d(2, 3, 3, stride=2, output_padding=1)",
    "m.nn.ConvTranspose1d(2, 3, 2)", "m.nn.BatchNorm2d(4, momentum=None)", "m.nn.BatchNorm3d(2, affine=False, track_running_stats=False)",
    "m.nn.BatchNorm1d(3, eps=1e-3)", "m.nn.InstanceNorm2d(3)", "m.nn.GroupNorm(2, 4)", "m.nn.LayerNorm((2, 3), elementwise_affine=False)",
    "m.nn.LayerNorm(4, bias=False)", "m.nn.RMSNorm(4)", "m.nn.LocalResponseNorm(2)",
    "m.nn.Dropout(p=0.5, inplace=True)", "m.nn.Dropout2d()", "m.nn.AlphaDropout(0.1)", "m.nn.Dropout1d(0.3)",
    "m.nn.Embedding(10, 3, padding_idx=0)", "m.nn.Embedding(10, 3, max_norm=1.0, sparse=True)", "m.nn.EmbeddingBag(10, 3, mode='max')",
    "m.nn.LSTM(2, 3, num_layers=2, batch_first=True, bidirectional=True, dropout=0.1)", "m.nn.LSTM(2, 4, proj_size=2)",
    "m.nn.GRU(2, 3, bias=False)", "m.nn.RNN(2, 3, nonlinearity='relu')", "m.nn.LSTMCell(2, 3)", "m.nn.GRUCell(2, 3, bias=False)",
    "m.nn.RNNCell(2, 3)", "m.nn.MultiheadAttention(4, 2, dropout=0.1, batch_first=True)", "m.nn.MultiheadAttention(4, 1, kdim=3, vdim=5)",
    "m.nn.ELU(alpha=0.5)", "m.nn.ELU(inplace=True)", "m.nn.Hardtanh(-2., 2.)", "m.nn.ReLU6()", "m.nn.ReLU(inplace=True)",
    "m.nn.Softplus(beta=2, threshold=10)", "m.nn.Threshold(0.1, 20)", "m.nn.GELU(approximate='tanh')", "m.nn.GELU()",
    "m.nn.CELU(2.0)", "m.nn.RReLU(0.1, 0.3)", "m.nn.Softmin(1)", "m.nn.LogSoftmax(dim=-1)", "m.nn.Softmax()",
    "m.nn.Hardshrink(0.3)", "m.nn.Softshrink()", "m.nn.SiLU()", "m.nn.Mish()", "m.nn.Hardswish()", "m.nn.Hardsigmoid()",
    "m.nn.SELU()", "m.nn.GLU(dim=0)", "m.nn.PReLU(3, init=0.1)", "m.nn.LeakyReLU(negative_slope=0.01, inplace=True)",
    "m.nn.Tanhshrink()", "m.nn.Softsign()", "m.nn.LogSigmoid()", "m.nn.Sigmoid()", "m.nn.Softmax2d()",
    "m.nn.MaxPool1d(3, stride=2, padding=1, return_indices=True)", "m.nn.MaxPool2d((2, 3), ceil_mode=True)",
    "m.nn.AvgPool2d(2, count_include_pad=False)", "m.nn.AdaptiveAvgPool2d((5, 7))", "m.nn.AdaptiveMaxPool1d(3)",
    "m.nn.AdaptiveAvgPool2d((None, 7))", "m.nn.LPPool2d(2, 3)", "m.nn.Upsample(size=4, mode='bilinear', align_corners=True)",
    "m.nn.Flatten(0, -1)", "m.nn.Unflatten(1, (2, 2))", "m.nn.ZeroPad2d(1)", "m.nn.ConstantPad1d((1, 2), 3.5)",
    "m.nn.ReflectionPad2d(2)", "m.nn.PixelShuffle(2)", "m.nn.Fold((4, 4), 2)", "m.nn.Unfold(2, padding=1)",
    "m.nn.CosineSimilarity()", "m.nn.PairwiseDistance()", "m.nn.Linear(3, 4, dtype=m.float64)", "m.nn.Identity(54, x=2)",
    "m.nn.MSELoss(reduction='sum')", "m.nn.NLLLoss(ignore_index=2)", "m.nn.BCEWithLogitsLoss()", "m.nn.L1Loss()",
    "m.nn.SmoothL1Loss(beta=0.5)", "m.nn.HuberLoss(delta=2.)", "m.nn.KLDivLoss(reduction='batchmean')",
    "m.nn.CrossEntropyLoss(label_smoothing=0.1)", "m.nn.TripletMarginLoss(margin=2.)", "m.nn.ChannelShuffle(2)",
    "m.nn.TransformerEncoderLayer(8, 2, 16)", "m.nn.TransformerDecoderLayer(8, 2, 16, batch_first=True)",
    "m.nn.TransformerEncoder(m.nn.TransformerEncoderLayer(8, 2, 16), 2, enable_nested_tensor=False)",
]

CONTAINERS = [
    "m.nn.Sequential(m.nn.Sequential(m.nn.Linear(2, 3), m.nn.ReLU()), m.nn.Dropout(0.1))",
    "m.nn.Sequential(collections.OrderedDict([('fc', m.nn.Linear(2, 3)), ('act', m.nn.Tanh())]))",
    "m.nn.ModuleList([m.nn.Linear(2, 2) for _ in range(3)])", "m.nn.ModuleList([m.nn.Linear(2, 2), m.nn.Linear(2, 2)])",
    "m.nn.ModuleList([m.nn.ReLU(), m.nn.ReLU(), m.nn.Tanh(), m.nn.ReLU(), m.nn.ReLU()])",
    "m.nn.Sequential(*[m.nn.Linear(2, 2) for _ in range(4)])",
    "m.nn.ModuleDict({'enc': m.nn.Sequential(m.nn.Conv2d(1, 2, 3), m.nn.BatchNorm2d(2)), 'head': m.nn.ModuleList([m.nn.Linear(2, 1)])})",
    "m.nn.Sequential()", "m.nn.ModuleList()", "m.nn.ModuleDict()", "m.nn.ParameterList()", "m.nn.ParameterDict()",
    "m.nn.ParameterList([m.nn.Parameter(m.zeros(2, 3, dtype=m.float64)), m.nn.Parameter(m.zeros(1), requires_grad=False)])",
    "m.nn.ParameterDict({'a': m.nn.Parameter(m.ones(1)), 'b': m.nn.Parameter(m.ones(2, 2, dtype=m.float16))})",
    "m.nn.Sequential(m.nn.Linear(2, 2), m.nn.ModuleList([m.nn.ReLU(), m.nn.ModuleDict({'x': m.nn.GELU()})]))",
    "m.nn.Sequential(m.nn.Linear(2, 2))[0]", "m.nn.Sequential(m.nn.Linear(2, 2), m.nn.ReLU())[1:]",
    "m.nn.Sequential(m.nn.Linear(2, 2)).add_module('extra', m.nn.ReLU())", "net_with_children(m)",
    "net_with_children(m).extra_repr()", "str(m.nn.Linear(2, 3))", "m.nn.Linear(2, 3).extra_repr()",
    "list(m.nn.Sequential(m.nn.Linear(1, 1), m.nn.ReLU()).named_children())",
    "[n for n, _ in m.nn.Sequential(m.nn.Linear(1, 1), m.nn.ReLU()).named_modules()]",
    "m.nn.Sequential(m.nn.Linear(1, 1)).state_dict().keys()",
]

OPTIMIZERS = [
    "m.optim.SGD(params(m), lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-4)",
    "m.optim.Adam(params(m), lr=1e-3, betas=(0.8, 0.9), amsgrad=True)",
    "m.optim.AdamW([{'params': params(m)}, {'params': params(m), 'lr': 0.01, 'weight_decay': 0.}], lr=1e-3)",
    "m.optim.SGD([{'params': params(m)}, {'params': params(m), 'momentum': 0.5}], lr=0.1)",
    "m.optim.RMSprop(params(m))", "m.optim.Adagrad(params(m), lr=0.5)", "m.optim.Adadelta(params(m))",
    "m.optim.Adamax(params(m))", "m.optim.NAdam(params(m))", "m.optim.RAdam(params(m))", "m.optim.ASGD(params(m))",
    "m.optim.Rprop(params(m))", "m.optim.LBFGS(params(m))", "m.optim.SparseAdam(params(m))", "m.optim.Adafactor(params(m))",
    "m.optim.SGD(params(m), lr=m.tensor(0.1))", "m.optim.Adam(params(m), lr=m.tensor(0.01))",
    "m.optim.SGD(params(m), lr=0.1).state_dict()", "m.optim.Adam(params(m)).param_groups[0].keys()",
    "stepped(m, 'SGD', lr=0.1, momentum=0.9).state_dict()", "stepped(m, 'Adam').state_dict()",
    "stepped(m, 'AdamW', lr=0.01)", "stepped(m, 'Adam').state",
    "m.optim.SGD(params(m), lr=0.1).defaults",
]

SCHEDULERS = [
    *(f"scheduled(m, {expr!r})" for expr in (
        "lr_scheduler.StepLR(o, 2, gamma=0.5)", "lr_scheduler.MultiStepLR(o, [1, 3])", "lr_scheduler.ExponentialLR(o, 0.9)",
        "lr_scheduler.CosineAnnealingLR(o, 4)", "lr_scheduler.LambdaLR(o, lambda e: 0.5 ** e)",
        "lr_scheduler.LinearLR(o)", "lr_scheduler.ConstantLR(o)", "lr_scheduler.OneCycleLR(o, 1.0, total_steps=10)",
        "lr_scheduler.CyclicLR(o, 0.01, 0.1)", "lr_scheduler.CosineAnnealingWarmRestarts(o, 2)",
        "lr_scheduler.PolynomialLR(o, 4)", "lr_scheduler.ReduceLROnPlateau(o)",
        "lr_scheduler.SequentialLR(o, [lr_scheduler.ConstantLR(o), lr_scheduler.ExponentialLR(o, 0.9)], [2])",
        "lr_scheduler.ChainedScheduler([lr_scheduler.ConstantLR(o), lr_scheduler.ExponentialLR(o, 0.9)])",
        "lr_scheduler.MultiplicativeLR(o, lambda e: 0.9)",
    )),
]

PARAMETRIZE = [
    "parametrized(m)", "parametrized(m).parametrizations", "parametrized(m).parametrizations.weight",
    "parametrized(m).parametrizations.weight.original", "type(parametrized(m)).__name__",
    "m.nn.utils.parametrizations.weight_norm(m.nn.Linear(2, 2))",
    "m.nn.utils.parametrizations.orthogonal(m.nn.Linear(2, 2))", "m.nn.utils.parametrizations.spectral_norm(m.nn.Linear(2, 2))",
    "m.nn.utils.weight_norm(m.nn.Linear(2, 2))", "m.nn.utils.spectral_norm(m.nn.Linear(2, 2))",
    "list(parametrized(m).state_dict().keys())", "m.nn.utils.parametrize.is_parametrized(parametrized(m))",
    "[n for n, _ in parametrized(m).named_parameters()]",
]

CLASSES = [
    "m.Tensor", "type(m.tensor(1.))", "m.dtype", "m.device", "m.Size", "m.Generator", "m.finfo", "m.iinfo", "m.layout",
    "m.memory_format", "m.nn.Module", "m.nn.Linear", "m.nn.Parameter", "m.nn.Buffer", "m.optim.SGD", "m.optim.Optimizer",
    "m.optim.lr_scheduler.StepLR", "m.optim.lr_scheduler.LRScheduler", "m.autograd.Function", "type(x.sum().grad_fn)",
    "type((x * 2).grad_fn.next_functions[0][0])", "m.return_types.max", "m.return_types.topk", "m.nn.modules.linear.Linear",
    "m.nn.utils.parametrize.ParametrizationList", "m.nn.Sequential", "m.nn.ModuleList", "m.nn.ParameterList",
    "m.no_grad", "m.enable_grad", "m.inference_mode", "m.autograd.grad_mode.set_grad_enabled", "m.nn.Module()",
    "x.register_hook(lambda g: g)", "m.nn.Linear(1, 1).register_forward_hook(lambda *a: None)", "m.no_grad()",
    "m.set_grad_enabled(True)", "m.inference_mode()", "m.autograd.forward_ad.dual_level()",
    "m.autograd.graph.Node", "m.finfo(m.float32).__class__", "m.Size([1]).__class__.__mro__",
    "type(m.float32)", "type(m.strided)", "type(m.device('cpu'))", "type(m.contiguous_format)",
    "m.nn.init.normal_", "m.nn.functional.relu", "m.nn.utils.rnn.PackedSequence", "m.utils.data.TensorDataset",
    "m.optim.lr_scheduler.StepLR(m.optim.SGD(params(m), lr=0.1), 2)", "m.optim.SGD(params(m), lr=0.1).__class__",
]

MORE_MODULES = [
    "m.nn.Conv2d(2, 2, 3, padding_mode='circular')", "m.nn.Conv2d(2, 4, (3, 5), stride=(2, 1), padding=(4, 2), dilation=(3, 1))",
    "m.nn.Conv1d(2, 2, 3, padding='valid')", "m.nn.ConvTranspose3d(2, 2, 3, groups=2, bias=False, dilation=2)",
    "m.nn.Bilinear(2, 3, 4, bias=False)", "m.nn.Embedding.from_pretrained(m.ones(3, 2))", "m.nn.Embedding(3, 2, scale_grad_by_freq=True, norm_type=1.)",
    "m.nn.EmbeddingBag(10, 3, padding_idx=1)", "m.nn.Upsample(scale_factor=(2., 3.), mode='nearest')",
    "m.nn.UpsamplingNearest2d(scale_factor=2)", "m.nn.UpsamplingBilinear2d(size=4)", "m.nn.CircularPad2d(1)",
    "m.nn.ReplicationPad3d((1, 1, 2, 2, 0, 0))", "m.nn.ZeroPad1d(2)", "m.nn.PixelUnshuffle(2)", "m.nn.InstanceNorm1d(3, affine=True)",
    "m.nn.MaxUnpool2d(2)", "m.nn.FractionalMaxPool2d(3, output_size=2)", "m.nn.AvgPool3d(2, divisor_override=3)",
    "m.nn.AdaptiveMaxPool2d(3, return_indices=True)", "m.nn.MaxPool3d(2, dilation=2)", "m.nn.LPPool1d(1.5, 2)",
    "m.nn.Hardtanh(inplace=True)", "m.nn.Threshold(0.1, 20, inplace=True)", "m.nn.Softplus()", "m.nn.ReLU6(inplace=True)",
    "m.nn.SELU(inplace=True)", "m.nn.CELU()", "m.nn.SiLU(inplace=True)", "m.nn.Mish(inplace=True)", "m.nn.RReLU()",
    "m.nn.Hardswish(inplace=True)", "m.nn.Hardsigmoid(inplace=True)", "m.nn.Softmax(dim=None)", "m.nn.LogSoftmax()",
    "m.nn.MultiheadAttention(6, 3, bias=False, add_bias_kv=True, add_zero_attn=True)",
    "m.nn.TransformerDecoder(m.nn.TransformerDecoderLayer(4, 1, 8), 1)", "m.nn.LazyConv2d(3, 2)", "m.nn.LazyBatchNorm1d()",
    "m.nn.CTCLoss(blank=1)", "m.nn.MultiLabelMarginLoss()", "m.nn.CosineEmbeddingLoss(margin=0.5)", "m.nn.PoissonNLLLoss()",
    "m.nn.GaussianNLLLoss()", "m.nn.MarginRankingLoss()", "m.nn.BCELoss(weight=m.ones(2))", "m.nn.CrossEntropyLoss(weight=m.ones(3))",
    "m.nn.AdaptiveLogSoftmaxWithLoss(8, 10, [4])", "m.nn.GRU(2, 3, batch_first=True, bidirectional=True)",
    "m.nn.RNN(2, 3, 2, dropout=0.5)", "m.nn.LSTM(input_size=2, hidden_size=3, bias=False)", "m.nn.SyncBatchNorm(3)",
    "m.nn.Linear(0, 0)", "m.nn.Linear(2, 3, device='meta')", "m.nn.Linear(2, 3).half()", "m.nn.Linear(2, 3).requires_grad_(False)",
    "m.nn.Linear(2, 3).eval()", "m.nn.Dropout(0.)", "m.nn.Dropout(1)", "m.nn.LeakyReLU(1e-5)", "m.nn.ELU(1e-8)",
    "m.nn.Hardtanh(-1e-9, 1e9)", "m.nn.Softplus(beta=0.5, threshold=2.5)",
]

OPTIMIZER_TEXTS = [
    "m.optim.SGD(params(m), lr=0.1, maximize=True, foreach=False)", "m.optim.Adam(params(m), weight_decay=0.1, foreach=True)",
    "m.optim.Adam(params(m), differentiable=True)", "m.optim.AdamW(params(m), amsgrad=True, betas=(0.5, 0.75), eps=1e-6)",
    "m.optim.SGD(params(m), lr=1e-10)", "m.optim.SGD(params(m), lr=0.1, dampening=0.5, momentum=0.1)",
    "m.optim.SGD([{'params': params(m), 'name': 'a'}], lr=0.1)", "m.optim.Adam([{'params': params(m)}, {'params': []}])",
    "m.optim.RMSprop(params(m), centered=True, momentum=0.5)", "m.optim.Adagrad(params(m), lr_decay=0.1, initial_accumulator_value=0.5)",
    "with_scheduler(m)", "with_scheduler(m).param_groups[0]['initial_lr']", "stepped(m, 'RMSprop').state_dict()",
    "stepped(m, 'Adagrad').state_dict()", "stepped(m, 'SGD', lr=0.1)", "stepped(m, 'SGD', lr=0.1).state_dict()",
    "stepped(m, 'NAdam').state_dict()", "stepped(m, 'Rprop').state_dict()",
]

PRINTING_STATE = [
    "m._tensor_str.PRINT_OPTS", "type(m._tensor_str.PRINT_OPTS).__name__", "m._tensor_str.printoptions(precision=2)",
    "m._mkldnn", "m.jagged", "shown_under(m, {'edgeitems': -1, 'threshold': 5}, m.arange(10))",
    "shown_under(m, {'edgeitems': -2, 'threshold': 5}, m.zeros(1, 20))",
    "shown_under(m, {'edgeitems': -1, 'threshold': 5}, m.arange(10.) * 1j)",
]


def _class_names(namespace: str) -> list[str]:
    """`m.<namespace>.<name>` for each class PyTorch's namespace defines under `torch`."""
    module = importlib.import_module(f"torch.{namespace}")
    return [f"m.{namespace}.{name}" for name in dir(module) if not name.startswith("_")
            and isinstance(getattr(module, name), type) and getattr(module, name).__module__.startswith("torch")]


CLASS_PATHS = [name for namespace in ("nn", "optim", "optim.lr_scheduler", "distributions", "nn.utils.parametrize",
                                      "utils.data", "autograd", "autograd.graph") for name in _class_names(namespace)]

GROUPS20 = {
    "printing_state": PRINTING_STATE,
    "class_paths": CLASS_PATHS,
    "classes": CLASSES,
    "more_modules": MORE_MODULES,
    "optimizer_texts": OPTIMIZER_TEXTS,
    "formats": FORMATS,
    "print_options": PRINT_OPTIONS,
    "infos": INFOS,
    "sparse": SPARSE,
    "grad_fn_chains": GRAD_FN_CHAINS,
    "layers": LAYERS,
    "containers": CONTAINERS,
    "optimizers": OPTIMIZERS,
    "schedulers": SCHEDULERS,
    "parametrize": PARAMETRIZE,
}


def shown_under(m, options: dict, t) -> str:
    """`t`'s str under `set_printoptions(**options)`; the defaults are restored after."""
    try:
        m.set_printoptions(**options)
        return f"{t}"
    finally:
        m.set_printoptions(profile="default")


def params(m) -> list:
    return [m.nn.Parameter(m.tensor([1.0, -2.0]))]


def net_with_children(m):
    class Net(m.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = m.nn.Conv2d(1, 2, 3)
            self.blocks = m.nn.ModuleList([m.nn.Sequential(m.nn.Linear(2, 2), m.nn.ReLU())])
            self.register_buffer("steps", m.zeros(1))
            self.scale = m.nn.Parameter(m.ones(1))

        def extra_repr(self):
            return "custom=1\nsecond line"

    return Net()


def stepped(m, name: str, **kwargs):
    """An optimizer after one step on a small quadratic."""
    w = m.nn.Parameter(m.tensor([1.0, -2.0]))
    opt = getattr(m.optim, name)([w], **kwargs)
    (w * w).sum().backward()
    opt.step()
    return opt


def scheduled(m, expression: str) -> str:
    """The state of an lr scheduler built by `expression` over an SGD `o`, after three steps."""
    o = m.optim.SGD(params(m), lr=0.1, momentum=0.9)
    scheduler = eval(expression, {"lr_scheduler": m.optim.lr_scheduler, "o": o})
    seen = []
    for _ in range(3):
        o.step()
        scheduler.step(1.0) if type(scheduler).__name__ == "ReduceLROnPlateau" else scheduler.step()
        seen.append(o.param_groups[0]["lr"])
    state = {k: v for k, v in scheduler.state_dict().items() if not callable(v)}
    return f"{type(scheduler).__name__}\n{seen}\n{scheduler.get_last_lr()}\n{state}"


def with_scheduler(m):
    """An SGD optimizer once an lr scheduler has been attached to it (it gains `initial_lr`)."""
    o = m.optim.SGD(params(m), lr=0.1, momentum=0.9)
    m.optim.lr_scheduler.StepLR(o, 2)
    return o


def parametrized(m):
    class Symmetric(m.nn.Module):
        def forward(self, x):
            return x.triu() + x.triu(1).transpose(-1, -2)

    layer = m.nn.Linear(3, 3)
    m.nn.utils.parametrize.register_parametrization(layer, "weight", Symmetric())
    return layer


HELPERS = {"shown_under": shown_under, "params": params, "net_with_children": net_with_children,
           "stepped": stepped, "scheduled": scheduled, "with_scheduler": with_scheduler, "parametrized": parametrized}
