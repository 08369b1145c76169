"""PyTorch's module paths for classes ferrograd defines in other modules, so that a class
prints as PyTorch's does (`<class 'ferrograd.nn.modules.dropout.Dropout'>`, reached by
`print(type(layer))`) and a pickle names the path PyTorch's pickles name.

`settle(package)` runs at the end of a subpackage's `__init__`: each home module (a real
one imported, the others made as plain modules) is given the class, and the class's
`__module__` is set to the home."""

from __future__ import annotations

import importlib
import sys
import types

HOMES: dict[str, dict[str, tuple[str, ...]]] = {
    "nn": {
        "nn.modules.activation": ("CELU", "GLU", "Hardshrink", "Hardsigmoid", "Hardswish", "Mish", "MultiheadAttention",
                                  "PReLU", "RReLU", "SELU", "Softmax2d", "Softmin", "Softshrink", "Softsign",
                                  "Tanhshrink", "Threshold"),
        "nn.modules.batchnorm": ("BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "LazyBatchNorm1d", "LazyBatchNorm2d",
                                 "LazyBatchNorm3d", "SyncBatchNorm"),
        "nn.modules.channelshuffle": ("ChannelShuffle",),
        "nn.modules.container": ("Container",),
        "nn.modules.conv": ("LazyConv1d", "LazyConv2d", "LazyConv3d", "LazyConvTranspose1d", "LazyConvTranspose2d",
                            "LazyConvTranspose3d"),
        "nn.modules.distance": ("CosineSimilarity", "PairwiseDistance"),
        "nn.modules.dropout": ("AlphaDropout", "Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "FeatureAlphaDropout"),
        "nn.modules.flatten": ("Flatten", "Unflatten"),
        "nn.modules.fold": ("Fold", "Unfold"),
        "nn.modules.instancenorm": ("InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d", "LazyInstanceNorm1d",
                                    "LazyInstanceNorm2d", "LazyInstanceNorm3d"),
        "nn.modules.linear": ("LazyLinear",),
        "nn.modules.linear_cross_entropy_options": ("LinearCrossEntropyOptions",),
        "nn.modules.loss": ("CTCLoss", "CosineEmbeddingLoss", "GaussianNLLLoss", "HingeEmbeddingLoss", "HuberLoss",
                            "KLDivLoss", "LinearCrossEntropyLoss", "MarginRankingLoss", "MultiLabelMarginLoss",
                            "MultiLabelSoftMarginLoss", "MultiMarginLoss", "NLLLoss2d", "PoissonNLLLoss",
                            "SoftMarginLoss", "TripletMarginLoss", "TripletMarginWithDistanceLoss"),
        "nn.modules.normalization": ("CrossMapLRN2d", "LocalResponseNorm", "RMSNorm"),
        "nn.modules.pixelshuffle": ("PixelShuffle", "PixelUnshuffle"),
        "nn.modules.pooling": ("FractionalMaxPool2d", "FractionalMaxPool3d", "LPPool3d"),
        "nn.modules.sparse": ("Embedding",),
        "nn.modules.upsampling": ("Upsample", "UpsamplingBilinear2d", "UpsamplingNearest2d"),
        "nn.parameter": ("UninitializedBuffer", "UninitializedParameter"),
    },
    "optim": {
        "optim": ("Adafactor", "Muon"),
        "optim.adagrad": ("Adagrad",),
        "optim.adamw": ("AdamW",),
    },
    "autograd": {
        "autograd.grad_mode": ("set_multithreading_enabled",),
        "autograd.graph": ("save_on_cpu", "saved_tensors_hooks"),
    },
    "distributions": {
        "distributions.beta": ("Beta",),
        "distributions.chi2": ("Chi2",),
        "distributions.fishersnedecor": ("FisherSnedecor",),
        "distributions.half_cauchy": ("HalfCauchy",),
        "distributions.inverse_gamma": ("InverseGamma",),
        "distributions.kumaraswamy": ("Kumaraswamy",),
        "distributions.pareto": ("Pareto",),
        "distributions.relaxed_bernoulli": ("RelaxedBernoulli",),
        "distributions.relaxed_categorical": ("RelaxedOneHotCategorical",),
        "distributions.studentT": ("StudentT",),
        "distributions.weibull": ("Weibull",),
    },
}


def _home_module(name: str) -> types.ModuleType:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as e:
        if e.name != name:
            raise
    parent_name, _, leaf = name.rpartition(".")
    module = types.ModuleType(name, f"`torch.{name.partition('.')[2]}`'s name for classes ferrograd defines elsewhere.")
    sys.modules[name] = module
    setattr(sys.modules[parent_name], leaf, module)
    return module


def settle(package: str) -> None:
    """Give the classes of `ferrograd.<package>` listed in `HOMES` PyTorch's module paths."""
    namespace = sys.modules[f"ferrograd.{package}"]
    for home, names in HOMES[package].items():
        module = _home_module(f"ferrograd.{home}")
        for name in names:
            cls = getattr(module, name, None) or getattr(namespace, name)
            setattr(module, name, cls)
            cls.__module__ = module.__name__
