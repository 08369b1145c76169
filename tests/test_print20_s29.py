"""Printed text the extended print fuzzer (tools/print_fuzz18.py with the expressions of
tools/print_fuzz20_objects.py) found differing from PyTorch's: format specs on tensor
subclasses and meta tensors, negative `edgeitems`, the `_mkldnn` layout, the class of
`_tensor_str.PRINT_OPTS`, `printoptions` as a generator context manager, and the module
paths classes print with (`<class 'torch.nn.modules.dropout.Dropout'>`)."""

import importlib
import io
import pickle

import pytest
from backend import MOD, fg


@pytest.fixture(autouse=True)
def default_printoptions():
    yield
    fg.set_printoptions(profile="default", sci_mode=None)


def test_format_spec_on_a_0d_tensor_formats_its_item():
    assert f"{fg.tensor(2.5, requires_grad=True):.3f}" == "2.500"
    assert f"{fg.tensor(7, dtype=fg.uint8):04d}" == "0007"


def test_format_spec_on_a_one_element_tensor_raises():
    with pytest.raises(TypeError, match=r"^unsupported format string passed to Tensor\.__format__$"):
        f"{fg.tensor([2.5]):.2f}"


def test_format_spec_on_a_0d_parameter_names_parameter():
    p = fg.nn.Parameter(fg.tensor(1.5))
    with pytest.raises(TypeError, match=r"^unsupported format string passed to Parameter\.__format__$"):
        f"{p:.1f}"
    assert f"{p}" == "Parameter containing:\ntensor(1.5000, requires_grad=True)"


def test_format_spec_on_a_0d_subclass_names_the_subclass():
    sub = fg.tensor(2.0).as_subclass(type("Sub", (fg.Tensor,), {}))
    with pytest.raises(TypeError, match=r"^unsupported format string passed to Sub\.__format__$"):
        format(sub, ".1f")
    assert format(sub, "") == "Sub(2.)"


def test_format_spec_on_a_meta_tensor_raises():
    t = fg.tensor(1.0, device="meta")
    with pytest.raises(TypeError, match=r"^unsupported format string passed to Tensor\.__format__$"):
        format(t, ".1f")
    assert format(t, "") == "tensor(..., device='meta', size=())"
    p = fg.nn.Parameter(fg.zeros(2, device="meta"))
    with pytest.raises(TypeError, match=r"^unsupported format string passed to Parameter\.__format__$"):
        format(p, ".1f")


def test_tensor_subclass_made_where_no_module_name_is_global():
    # `type(...)` called from code whose globals lack `__name__` gives a class without `__module__`
    cls = eval("type('Sub', (m.Tensor,), {})", {"m": fg})
    assert repr(fg.tensor([1.5]).as_subclass(cls)) == "Sub([1.5000])"


def test_negative_edgeitems_summarize_a_vector_with_python_slices():
    fg.set_printoptions(edgeitems=-1, threshold=5)
    assert repr(fg.arange(10)) == "tensor([0, 1, 2, 3, 4, 5, 6, 7, 8,  ..., 1, 2, 3, 4, 5, 6, 7, 8, 9])"


@pytest.mark.parametrize("shape", [(4, 10), (3, 4, 5), (1, 20)])
def test_negative_edgeitems_cannot_summarize_a_matrix(shape):
    fg.set_printoptions(edgeitems=-2, threshold=5)
    with pytest.raises(RuntimeError, match=r"^stack expects a non-empty TensorList$"):
        repr(fg.zeros(shape))


def test_mkldnn_layout_prints_with_the_module_prefix():
    assert repr(fg._mkldnn) == f"{MOD}._mkldnn"
    assert isinstance(fg._mkldnn, fg.layout)
    assert fg._mkldnn != fg.strided


def test_print_opts_prints_as_pytorch_s_printer_options():
    fg.set_printoptions(precision=2, sci_mode=True)
    assert repr(fg._tensor_str.PRINT_OPTS) == (
        "__PrinterOptions(precision=2, threshold=1000, edgeitems=3, linewidth=80, sci_mode=True)"
    )
    assert type(fg._tensor_str.PRINT_OPTS).__name__ == "__PrinterOptions"


def test_printoptions_is_a_generator_context_manager_yielding_none():
    manager = fg._tensor_str.printoptions(precision=1)
    assert type(manager).__name__ == "_GeneratorContextManager"
    with manager as value:
        assert value is None
        assert repr(fg.tensor([1.2345])) == "tensor([1.2])"
    assert repr(fg.tensor([1.2345])) == "tensor([1.2345])"


def test_printoptions_decorates_a_function():
    @fg._tensor_str.printoptions(precision=1)
    def shown():
        return repr(fg.tensor([1.2345]))

    assert shown() == "tensor([1.2])"
    assert fg._tensor_str.get_printoptions()["precision"] == 4


CLASS_PATHS = [
    ("nn.Dropout", "nn.modules.dropout.Dropout"),
    ("nn.AlphaDropout", "nn.modules.dropout.AlphaDropout"),
    ("nn.BatchNorm2d", "nn.modules.batchnorm.BatchNorm2d"),
    ("nn.LazyBatchNorm1d", "nn.modules.batchnorm.LazyBatchNorm1d"),
    ("nn.InstanceNorm1d", "nn.modules.instancenorm.InstanceNorm1d"),
    ("nn.Embedding", "nn.modules.sparse.Embedding"),
    ("nn.Flatten", "nn.modules.flatten.Flatten"),
    ("nn.Fold", "nn.modules.fold.Fold"),
    ("nn.PixelShuffle", "nn.modules.pixelshuffle.PixelShuffle"),
    ("nn.Upsample", "nn.modules.upsampling.Upsample"),
    ("nn.CosineSimilarity", "nn.modules.distance.CosineSimilarity"),
    ("nn.MultiheadAttention", "nn.modules.activation.MultiheadAttention"),
    ("nn.PReLU", "nn.modules.activation.PReLU"),
    ("nn.HuberLoss", "nn.modules.loss.HuberLoss"),
    ("nn.LazyLinear", "nn.modules.linear.LazyLinear"),
    ("nn.LazyConv2d", "nn.modules.conv.LazyConv2d"),
    ("nn.RMSNorm", "nn.modules.normalization.RMSNorm"),
    ("nn.UninitializedParameter", "nn.parameter.UninitializedParameter"),
    ("optim.AdamW", "optim.adamw.AdamW"),
    ("optim.Adagrad", "optim.adagrad.Adagrad"),
    ("distributions.StudentT", "distributions.studentT.StudentT"),
    ("distributions.Beta", "distributions.beta.Beta"),
    ("autograd.set_multithreading_enabled", "autograd.grad_mode.set_multithreading_enabled"),
    ("autograd.graph.saved_tensors_hooks", "autograd.graph.saved_tensors_hooks"),
    ("autograd.graph.save_on_cpu", "autograd.graph.save_on_cpu"),
]


@pytest.mark.parametrize(("public", "path"), CLASS_PATHS)
def test_classes_print_with_pytorch_s_module_paths(public, path):
    namespace, _, name = public.rpartition(".")
    cls = getattr(importlib.import_module(f"{MOD}.{namespace}"), name)
    assert repr(cls) == f"<class '{MOD}.{path}'>"
    home = importlib.import_module(f"{MOD}.{path.rpartition('.')[0]}")
    assert getattr(home, name) is cls


def test_type_of_a_layer_and_of_an_optimizer():
    layer = fg.nn.Dropout(0.5)
    optimizer = fg.optim.AdamW([fg.nn.Parameter(fg.ones(1))])
    assert f"{type(layer)} {type(optimizer)}" == (
        f"<class '{MOD}.nn.modules.dropout.Dropout'> <class '{MOD}.optim.adamw.AdamW'>"
    )


def test_modules_pickled_by_their_new_paths_load_back():
    net = fg.nn.Sequential(fg.nn.Dropout(0.2), fg.nn.BatchNorm1d(2), fg.nn.Flatten())
    loaded = pickle.loads(pickle.dumps(net))
    assert [type(child) for child in loaded] == [fg.nn.Dropout, fg.nn.BatchNorm1d, fg.nn.Flatten]
    buffer = io.BytesIO()
    fg.save(net, buffer)
    buffer.seek(0)
    assert repr(fg.load(buffer, weights_only=False)) == repr(net)


def test_nested_containers_print_repeated_blocks_once():
    net = fg.nn.Sequential(
        fg.nn.ModuleList([fg.nn.Linear(2, 2) for _ in range(3)]),
        fg.nn.ModuleDict({"drop": fg.nn.Dropout(0.1), "act": fg.nn.LeakyReLU(0.2)}),
        fg.nn.LSTM(2, 3, batch_first=True, bidirectional=True),
    )
    assert repr(net) == (
        "Sequential(\n"
        "  (0): ModuleList(\n"
        "    (0-2): 3 x Linear(in_features=2, out_features=2, bias=True)\n"
        "  )\n"
        "  (1): ModuleDict(\n"
        "    (drop): Dropout(p=0.1, inplace=False)\n"
        "    (act): LeakyReLU(negative_slope=0.2)\n"
        "  )\n"
        "  (2): LSTM(2, 3, batch_first=True, bidirectional=True)\n"
        ")"
    )


def test_optimizer_groups_print_initial_lr_once_a_scheduler_is_attached():
    groups = [{"params": [fg.nn.Parameter(fg.ones(2))]},
              {"params": [fg.nn.Parameter(fg.zeros(1))], "lr": 0.01, "weight_decay": 0.0}]
    optimizer = fg.optim.AdamW(groups, lr=1e-3)
    fg.optim.lr_scheduler.StepLR(optimizer, 2)
    group = (
        "    amsgrad: False\n    betas: (0.9, 0.999)\n    capturable: False\n    decoupled_weight_decay: True\n"
        "    differentiable: False\n    eps: 1e-08\n    foreach: None\n    fused: None\n"
    )
    assert repr(optimizer) == (
        "AdamW (\nParameter Group 0\n" + group + "    initial_lr: 0.001\n    lr: 0.001\n    maximize: False\n"
        "    weight_decay: 0.01\n\nParameter Group 1\n" + group + "    initial_lr: 0.01\n    lr: 0.01\n"
        "    maximize: False\n    weight_decay: 0.0\n)"
    )
