"""Backward-graph node objects (`tensor.grad_fn`), one Python class per node name."""

from __future__ import annotations

import abc
import functools
from typing import Any, NamedTuple

from .. import _core
from .._backward_python_errors import remembering
from .._core import Node as _NodeBase  # type: ignore[import-not-found]
from .._core import Tensor
from .._device import device as _device
from .._saved_values import NUMBER_FIELDS


class Node(abc.ABC):
    """What every `grad_fn` is: the built-in nodes (`MulBackward0`, `AccumulateGrad`,
    ...) and the backward nodes of custom Functions (`isinstance(y.grad_fn, Node)`,
    as PyTorch's abstract class answers). A subclass must define what PyTorch's
    abstract methods are, or it cannot be instantiated."""

    @abc.abstractmethod
    def name(self) -> str:
        """The node's name, e.g. `MulBackward0`."""

    @property
    @abc.abstractmethod
    def next_functions(self) -> tuple:
        """The `(node, input_nr)` pairs the node passes gradients to (None for an input
        needing none)."""

    @property
    @abc.abstractmethod
    def metadata(self) -> dict:
        """A dict for the user's own data about the node."""

    @property
    @abc.abstractmethod
    def _input_metadata(self) -> list:
        """What the node knows of the tensors its gradients are for."""

    @abc.abstractmethod
    def _sequence_nr(self) -> int:
        """The node's creation order in its thread."""

    @abc.abstractmethod
    def register_hook(self, fn):
        """Registers `fn(grad_inputs, grad_outputs)`, run after the node's backward;
        returns a handle with `remove()`."""

    @abc.abstractmethod
    def register_prehook(self, fn):
        """Registers `fn(grad_outputs)`, run before the node's backward; returns a
        handle with `remove()`."""

    @classmethod
    @abc.abstractmethod
    def _register_hook_dict(cls, tensor) -> None:
        """Attaches `tensor`'s hook dict to the node (a custom Function's)."""

    @classmethod
    def __subclasshook__(cls, subclass: type) -> bool:
        if cls is Node:
            from .function import BackwardCFunction

            if issubclass(subclass, (_NodeBase, BackwardCFunction)):
                return True
        return NotImplemented


_CLASSES: dict[str, type] = {}


def _copy_backwards_name(self) -> str:
    """PyTorch names this node by its C++ class."""
    return "torch::autograd::CopyBackwards"


def _error_name(self) -> str:
    """PyTorch names this node (once_differentiable's guard) by its C++ class."""
    return "torch::autograd::Error"


def _identity_name(self) -> str:
    """PyTorch names the node of a forward-AD primal (`unpack_dual`) by its C++ class."""
    return "torch::autograd::Identity"


def _not_implemented_name(self) -> str:
    """PyTorch names the node of an op without a derivative by its C++ class."""
    return "torch::autograd::NotImplemented"


# nodes whose `name()` is their C++ class's qualified name in PyTorch (the core names
# AccumulateGrad and CopySlices itself)
_CPP_NAMED = {"CopyBackwards": _copy_backwards_name, "Error": _error_name, "NotImplemented": _not_implemented_name,
              "Identity": _identity_name}

# node names whose class PyTorch calls CppFunction (most nodes of the foreach ops, whose
# `name()` tells the op: `ForeachExpBackward0`); added to by the modules making them
CPP_FUNCTION_NAMES: set[str] = {"Identity"}


def _node_class(name: str) -> type:
    """The subclass named like PyTorch's node (`AddBackward0`), made once per name."""
    cls = _CLASSES.get(name)
    if cls is None:
        # PyTorch's node classes live in `builtins`: `type(grad_fn)` is <class 'AddBackward0'>
        attrs: dict[str, Any] = {"__module__": "builtins"}
        for field in _SAVED_FIELDS.get(name, ()):
            attrs["_saved_" + field] = property(functools.partial(_saved_field, field=field))
            attrs["_raw_saved_" + field] = property(functools.partial(_raw_saved_field, field=field))
        for arg in _SAVED_ARGS.get(name, ()):
            attrs["_saved_" + arg] = property(functools.partial(_saved_arg, arg=arg))
            if arg in _TENSOR_ARGS:
                attrs["_raw_saved_" + arg] = property(functools.partial(_raw_saved_arg, arg=arg))
        if name in _CPP_NAMED:
            attrs["name"] = _CPP_NAMED[name]
        cls = type("CppFunction" if name in CPP_FUNCTION_NAMES else name, (_NodeBase,), attrs)
        _CLASSES[name] = cls
    return cls


_SELF = ("self",)
_RESULT = ("result",)
# The tensors each node saves, in the order the core saves them, named as PyTorch's
# `_saved_<name>` attributes.
_SAVED_FIELDS: dict[str, tuple[str, ...]] = {
    "MulBackward0": ("other", "self"),
    "GatherBackward0": ("self", "index"),
    "IndexSelectBackward0": ("index",),
    "DivBackward0": ("other", "self"),
    "DivBackward2": ("other", "self"),
    "DotBackward0": ("self", "tensor"),
    "PowBackward1": ("self", "exponent", "result"),
    "Atan2Backward0": ("self", "other"),
    "MaximumBackward0": ("self", "other"),
    "MinimumBackward0": ("self", "other"),
    "ProdBackward0": ("self", "result"),
    "MmBackward0": ("self", "mat2"),
    "MvBackward0": ("self", "vec"),
    "BmmBackward0": ("self", "mat2"),
    "AddmmBackward0": ("mat1", "mat2"),
    "BaddbmmBackward0": ("batch1", "batch2"),
    "AddbmmBackward0": ("batch1", "batch2"),
    "AddmvBackward0": ("mat", "vec"),
    "AddrBackward0": ("vec1", "vec2"),
    "StdBackward0": ("self", "result"),
    **dict.fromkeys(
        ("MaxBackward1", "MinBackward1", "AmaxBackward0", "AminBackward0", "LogsumexpBackward0"),
        ("self", "result"),
    ),
    "ClampBackward0": ("self", "min", "max"),
    "ConvolutionBackward0": ("input", "weight"),
    "VarBackward0": _SELF,
    "LinalgVectorNormBackward0": ("self", "result"),
    "WhereBackward0": ("condition",),
    "MaskedFillBackward0": ("mask",),
    **dict.fromkeys(
        ("MaxBackward0", "MinBackward0", "TopkBackward0", "SortBackward0", "SortBackward1",
         "KthvalueBackward0", "MedianBackward1", "NanmedianBackward1", "ModeBackward0",
         "CummaxBackward0", "CumminBackward0"),
        ("indices",),
    ),
    **dict.fromkeys(
        ("SinBackward0", "CosBackward0", "LogBackward0", "AbsBackward0", "Log2Backward0",
         "Log10Backward0", "Log1PBackward0", "AsinBackward0", "AcosBackward0", "AtanBackward0",
         "SinhBackward0", "CoshBackward0", "ErfBackward0", "AsinhBackward0", "AtanhBackward0",
         "ErfinvBackward0", "LgammaBackward0", "DigammaBackward0", "PowBackward0",
         "ClampBackward1"),
        _SELF,
    ),
    # recorded by `_composite_node`, which names the tensors each node kept (an optional
    # one PyTorch's node leaves unsaved is left out); these list them all
    **dict.fromkeys(("MseLossBackward0", "SmoothL1LossBackward0", "HuberLossBackward0",
                     "SoftMarginLossBackward0"), ("self", "target")),
    "BinaryCrossEntropyBackward0": ("self", "target", "weight"),
    "BinaryCrossEntropyWithLogitsBackward0": ("self", "target", "weight", "pos_weight"),
    **dict.fromkeys(("NllLossBackward0", "NllLoss2DBackward0"), ("self", "target", "weight", "total_weight")),
    "NativeLayerNormBackward0": ("input", "weight", "bias", "result1", "result2"),
    "NativeGroupNormBackward0": ("input", "weight", "result1", "result2"),
    "TriangularSolveBackward0": ("self", "A", "solution"),
    "NativeBatchNormBackward0": ("input", "weight", "running_mean", "running_var", "result1", "result2"),
    "EmbeddingBackward0": ("indices",),
    "PowBackward2": ("self", "exponent", "result"),
    "ProdBackward1": ("self", "result"),
    "CumprodBackward0": ("self", "result"),
    "LerpBackward0": ("weight",),
    "LerpBackward1": ("weight", "self", "end"),
    "LinalgInvExBackward0": ("inverse",),
    "LinalgDetBackward0": ("A", "LU", "pivots", "result"),
    "LinalgSlogdetBackward0": ("A", "LU", "pivots", "sign"),
    "LinalgSolveExBackward0": ("A", "LU", "pivots", "result"),
    "LinalgCholeskyExBackward0": ("L",),
    "LinalgQrBackward0": ("Q", "R"),
    "LinalgSvdBackward0": ("U", "S", "Vh"),
    "LogaddexpBackward0": ("self", "other"),
    "MedianBackward0": ("self", "result"),
    "StdMeanBackward0": ("self", "result0"),
    "VarMeanBackward0": _SELF,
    "AminmaxBackward0": ("self", "min", "max"),
    # the core keeps only the input of these (PyTorch's also keep the result)
    **dict.fromkeys(("ErfcBackward0", "SincBackward0", "I0Backward0", "NanToNumBackward0", "AcoshBackward0",
                     "SpecialEntrBackward0", "MvlgammaBackward0"), _SELF),
    **dict.fromkeys(("SpecialI1Backward0", "SpecialLogNdtrBackward0", "SpecialErfcxBackward0"),
                    ("self", "result")),
    "SpecialNdtriBackward0": _RESULT,
    "CholeskyBackward0": _RESULT,
    **dict.fromkeys(("MaxPool2DWithIndicesBackward0", "MaxPool3DWithIndicesBackward0",
                     "AdaptiveMaxPool2DBackward0", "AdaptiveMaxPool3DBackward0"), ("self", "result1")),
    **dict.fromkeys(("AvgPool2DBackward0", "AvgPool3DBackward0", "AdaptiveAvgPool2DBackward0",
                     "AdaptiveAvgPool3DBackward0"), _SELF),
    **dict.fromkeys(("ReflectionPad1DBackward0", "ReflectionPad2DBackward0", "ReflectionPad3DBackward0",
                     "ReplicationPad1DBackward0", "ReplicationPad2DBackward0", "ReplicationPad3DBackward0"), _SELF),
    **dict.fromkeys(
        ("ExpBackward0", "TanBackward0", "TanhBackward0", "SigmoidBackward0", "ReluBackward0",
         "SqrtBackward0", "ReciprocalBackward0", "RsqrtBackward0", "Exp2Backward0",
         "Expm1Backward0", "SoftmaxBackward0", "LogSoftmaxBackward0"),
        _RESULT,
    ),
    # the activations of src/ops/activation
    **dict.fromkeys(
        ("GeluBackward0", "SiluBackward0", "EluBackward0", "CeluBackward0", "SoftplusBackward0",
         "MishBackward0", "HardswishBackward0", "HardsigmoidBackward0", "HardtanhBackward0",
         "LeakyReluBackward0", "SoftshrinkBackward0", "HardshrinkBackward0", "ThresholdBackward0",
         "ThresholdBackward1"),
        _SELF,
    ),
    **dict.fromkeys(("EluBackward1", "CeluBackward1", "LeakyReluBackward1"), _RESULT),
    "LogSigmoidBackward0": ("self", "buffer"),
    "GluBackward0": _SELF,
    "PreluKernelBackward0": ("self", "weight"),
    "ComplexBackward0": ("imag", "real"),
    "RreluWithNoiseBackward0": ("self", "noise"),
    "RreluWithNoiseBackward1": ("noise", "result"),
    "LogcumsumexpBackward0": ("self", "result"),
    "LogitBackward0": _SELF,
    "PolygammaBackward0": _SELF,
    "DistBackward0": ("self", "other", "result"),
    "CdistBackward0": ("x1", "x2", "result"),
    **dict.fromkeys(("XlogyBackward0", "XlogyBackward1", "XlogyBackward2", "SpecialXlog1PyBackward0",
                     "SpecialXlog1PyBackward1", "SpecialXlog1PyBackward2", "NextafterBackward0"),
                    ("self", "other")),
    **dict.fromkeys(("CopysignBackward0", "CopysignBackward1"), ("self", "result")),
    "HypotBackward0": ("self", "other", "result"),
    "LdexpBackward0": ("other", "result"),
    # composites recorded as one node (`_composite_nodes.record_composite`)
    "PdistBackward0": ("self", "result"),
    "NormBackward1": ("self", "result"),
    "AngleBackward0": _SELF,
    "LinalgEighBackward0": ("eigenvalues", "eigenvectors"),
    "LinalgPinvBackward0": ("self", "result"),
    "LinalgCrossBackward0": ("self", "other"),
    "ConvTbcBackward0": ("self", "weight", "bias"),
    "LinalgLuSolveBackward0": ("LU", "pivots", "result"),
    "OrmqrBackward0": ("self", "input2", "input3", "result"),
    "EmbeddingBagBackward0": ("weight", "indices", "offsets", "per_sample_weights", "result1", "result2", "result3"),
    "LinalgHouseholderProductBackward0": ("input", "tau", "result"),
    "MultiMarginLossBackward0": ("self", "target", "weight"),
    "MultilabelMarginLossBackward0": ("self", "target", "is_target"),
    **dict.fromkeys(("GridSampler2DBackward0", "GridSampler3DBackward0"), ("input", "grid")),
    "LinalgMatrixExpBackward0": _SELF,
}

_SIZES = ("self_sym_sizes",)
_DIM = ("dim",)
_DIM_KEEPDIM_SIZES = ("dim", "keepdim", "self_sym_sizes")
# The non-tensor arguments each node keeps (ints, tuples, floats, bools, None), named as
# PyTorch's `_saved_<name>` attributes; the core stores the values.
_SAVED_ARGS: dict[str, tuple[str, ...]] = {
    "PowBackward0": ("exponent",),
    "MvlgammaBackward0": ("p",),
    "LinalgQrBackward0": ("mode",),
    "LinalgSvdBackward0": ("full_matrices", "S_sym_argsize_minus_1"),
    "SumBackward0": _SIZES,
    "SumBackward1": _DIM_KEEPDIM_SIZES,
    "MeanBackward0": ("self_sym_numel", "self_sym_sizes"),
    "MeanBackward1": ("dim", "keepdim", "self_sym_numel", "self_sym_sizes"),
    "ViewBackward0": _SIZES,
    "UnsafeViewBackward0": _SIZES,
    "ExpandBackward0": _SIZES,
    "SqueezeBackward0": _SIZES,
    "SqueezeBackward1": ("dim", "self_sym_sizes"),
    "SqueezeBackward2": ("dim", "self_sym_sizes"),
    "UnsqueezeBackward0": _DIM,
    "TransposeBackward0": ("dim0", "dim1"),
    "PermuteBackward0": ("dims",),
    "SelectBackward0": ("dim", "index", "self_sym_sizes"),
    "SliceBackward0": ("dim", "end", "self_sym_sizes", "start", "step"),
    "ClampBackward1": ("max", "min"),
    "SoftmaxBackward0": _DIM,
    "LogSoftmaxBackward0": _DIM,
    "CumsumBackward0": _DIM,
    "CatBackward0": _DIM,
    "StackBackward0": _DIM,
    "AddBackward0": ("alpha",),
    "SubBackward0": ("alpha",),
    "RsubBackward1": ("alpha",),
    "DivBackward2": ("rounding_mode",),
    **dict.fromkeys(("KthvalueBackward0", "MedianBackward1", "NanmedianBackward1", "ModeBackward0"),
                    _DIM_KEEPDIM_SIZES),
    "CummaxBackward0": ("dim", "self"),
    "CumminBackward0": ("dim", "self"),
    "MaxBackward0": _DIM_KEEPDIM_SIZES,
    "MinBackward0": _DIM_KEEPDIM_SIZES,
    "AmaxBackward0": ("dim", "keepdim"),
    "AminBackward0": ("dim", "keepdim"),
    "ProdBackward1": ("dim", "keepdim"),
    "LogsumexpBackward0": ("dim", "keepdim"),
    "SplitBackward0": ("dim", "self_sym_sizes", "split_size"),
    "UnbindBackward0": _DIM,
    "RepeatBackward0": ("repeats", "self_sym_sizes"),
    "RollBackward0": ("dims", "shifts"),
    "FlipBackward0": ("dims",),
    "TrilBackward0": ("diagonal",),
    "TriuBackward0": ("diagonal",),
    "UnfoldBackward0": ("dimension", "self_sym_sizes", "size", "step"),
    "TopkBackward0": ("dim", "self_sym_sizes"),
    "SortBackward0": ("dim", "self_sym_sizes"),
    "MmBackward0": ("mat2_sym_sizes", "mat2_sym_strides", "self_sym_sizes", "self_sym_strides"),
    "AddmmBackward0": ("alpha", "beta", "mat1_sym_sizes", "mat1_sym_strides", "mat2_sym_sizes",
                       "mat2_sym_strides"),
    "BaddbmmBackward0": ("alpha", "beta"),
    "AddbmmBackward0": ("alpha", "beta"),
    "AddmvBackward0": ("alpha", "beta"),
    "AddrBackward0": ("alpha", "beta"),
    "VarBackward0": ("correction", "dim", "keepdim"),
    "StdBackward0": ("correction", "dim", "keepdim"),
    "LinalgVectorNormBackward0": ("dim", "keepdim", "ord"),
    "DiagonalBackward0": ("dim1", "dim2", "offset", "self_sym_sizes"),
    "TraceBackward0": _SIZES,
    "ConvolutionBackward0": ("bias_sym_sizes_opt", "dilation", "groups", "output_padding", "padding",
                             "stride", "transposed"),
    # parsed in Python: the index tensors kept in a dict
    "IndexBackward0": ("indices", "self_sym_sizes"),
    "IndexSelectBackward0": ("dim", "self_sym_sizes"),
    "GatherBackward0": ("dim", "sparse_grad"),
    "ScatterBackward0": ("dim", "index"),
    "ScatterBackward1": ("dim", "index"),
    "ScatterAddBackward0": ("dim", "index"),
    "MaskedSelectBackward0": ("mask", "self"),
    "IndexPutBackward0": ("accumulate", "indices"),
    "EmbeddingBackward0": ("padding_idx", "scale_grad_by_freq", "sparse", "weight_sym_argsize_0"),
    "NllLossBackward0": ("ignore_index", "reduction"),
    "NllLoss2DBackward0": ("ignore_index", "reduction"),
    "NativeLayerNormBackward0": ("normalized_shape",),
    "NativeGroupNormBackward0": ("C", "HxW", "N", "eps", "group"),
    "TriangularSolveBackward0": ("transpose", "unitriangular", "upper"),
    "LuUnpackBackward0": ("LU_data_sym_argsize_minus_1", "LU_data_sym_argsize_minus_2"),
    "NativeBatchNormBackward0": ("eps", "training"),
    # the activations of src/ops/activation
    "HardtanhBackward0": ("max_val", "min_val"),
    **dict.fromkeys(("LeakyReluBackward0", "LeakyReluBackward1"), ("negative_slope",)),
    **dict.fromkeys(("EluBackward0", "EluBackward1"), ("alpha", "input_scale", "scale")),
    **dict.fromkeys(("CeluBackward0", "CeluBackward1"), ("alpha",)),
    "GeluBackward0": ("approximate",),
    "SoftplusBackward0": ("beta", "threshold"),
    **dict.fromkeys(("SoftshrinkBackward0", "HardshrinkBackward0"), ("lambd",)),
    **dict.fromkeys(("ThresholdBackward0", "ThresholdBackward1"), ("threshold",)),
    "GluBackward0": _DIM,
    **dict.fromkeys(("RreluWithNoiseBackward0", "RreluWithNoiseBackward1"), ("lower", "training", "upper")),
    # recorded by `_composite_node`: the tensors are in `_SAVED_FIELDS`
    "MseLossBackward0": ("reduction",),
    "MulBackward1": ("other",),
    "CumprodBackward0": _DIM,
    "LinalgSolveExBackward0": ("left",),
    "LinalgCholeskyExBackward0": ("upper",),
    "CholeskyBackward0": ("upper",),
    **dict.fromkeys(("MaxPool2DWithIndicesBackward0", "MaxPool3DWithIndicesBackward0"),
                    ("ceil_mode", "dilation", "kernel_size", "padding", "stride")),
    **dict.fromkeys(("AvgPool2DBackward0", "AvgPool3DBackward0"),
                    ("ceil_mode", "count_include_pad", "divisor_override", "kernel_size", "padding", "stride")),
    **dict.fromkeys(("ReflectionPad1DBackward0", "ReflectionPad2DBackward0", "ReflectionPad3DBackward0",
                     "ReplicationPad1DBackward0", "ReplicationPad2DBackward0", "ReplicationPad3DBackward0"), ("padding",)),
    "DivBackward1": ("other",),
    "ConstantPadNdBackward0": ("pad",),
    "SmoothL1LossBackward0": ("beta", "reduction"),
    "HuberLossBackward0": ("delta", "reduction"),
    "SoftMarginLossBackward0": ("reduction",),
    "BinaryCrossEntropyBackward0": ("reduction",),
    "BinaryCrossEntropyWithLogitsBackward0": ("reduction",),
    "DiagEmbedBackward0": ("dim1", "dim2", "offset"),
    "NarrowCopyBackward0": ("dim", "length", "self_sym_sizes", "start"),
    # kept by the Python functions making these nodes (`_saved_values.keep_more`)
    "TakeBackward0": ("index", "self"),
    "IndexAddBackward0": ("alpha", "dim", "index", "source", "source_dim"),
    "IndexFillBackward0": ("dim", "index"),
    "IndexFillBackward1": ("dim", "index"),
    "MaskedScatterBackward0": ("mask", "source_sym_sizes"),
    "LogcumsumexpBackward0": _DIM,
    "LogitBackward0": ("eps",),
    "PolygammaBackward0": ("n",),
    "DistBackward0": ("p",),
    "CdistBackward0": ("p",),
    "PdistBackward0": ("p",),
    "NormBackward1": ("dim", "keepdim", "p"),
    "ChannelShuffleBackward0": ("groups",),
    **dict.fromkeys(("UpsampleBilinear2DAaBackward0", "UpsampleBicubic2DAaBackward0"),
                    ("align_corners", "output_size", "scales_h", "scales_w", "self_sym_sizes")),
    "LinalgCrossBackward0": _DIM,
    # the in-place view ops' nodes (kept by the Python functions that use them)
    "SqueezeBackward3": _SIZES,
    "SqueezeBackward4": ("dim", "self_sym_sizes"),
    "SqueezeBackward5": ("dim", "self_sym_sizes"),
    "AsStridedBackward1": ("size", "storage_offset", "stride"),
    **dict.fromkeys(("StdMeanBackward0", "VarMeanBackward0"), ("correction", "dim", "keepdim")),
    "AminmaxBackward0": ("dim", "keepdim"),
    "UnsqueezeBackward1": _DIM,
    "TransposeBackward1": ("dim0", "dim1"),
    **dict.fromkeys(("FractionalMaxPool2DBackward0", "FractionalMaxPool3DBackward0"),
                    ("kernel_size", "output_size", "result1", "self")),
    "Im2ColBackward0": ("dilation", "kernel_size", "padding", "self_sym_argsize_minus_1", "self_sym_argsize_minus_2",
                        "stride"),
    "Col2ImBackward0": ("dilation", "kernel_size", "padding", "stride"),
    "FftR2CBackward0": ("dim", "normalization", "onesided", "self"),
    "FftC2CBackward0": ("dim", "forward", "normalization"),
    "FftC2RBackward0": ("dim", "normalization"),
    "ConvTbcBackward0": ("pad",),
    "LinalgLuSolveBackward0": ("adjoint", "left"),
    "OrmqrBackward0": ("left", "transpose"),
    "EmbeddingBagBackward0": ("mode", "padding_idx", "scale_grad_by_freq", "sparse", "weight_sym_argsize_0"),
    "AffineGridGeneratorBackward0": ("align_corners", "size"),
    "PixelShuffleBackward0": ("upscale_factor",),
    "PixelUnshuffleBackward0": ("downscale_factor",),
    "MultiMarginLossBackward0": ("margin", "p", "reduction"),
    "MultilabelMarginLossBackward0": ("reduction",),
    **dict.fromkeys(("GridSampler2DBackward0", "GridSampler3DBackward0"),
                    ("align_corners", "interpolation_mode", "padding_mode")),
    # kept by `nn.functional.interpolate`
    **{f"Upsample{kind}{rank}DBackward0": ("output_size", *scales, "self_sym_sizes")
       for kind in ("Nearest", "NearestExact") for rank, scales in
       ((1, ("scales",)), (2, ("scales_h", "scales_w")), (3, ("scales_d", "scales_h", "scales_w")))},
    **{f"Upsample{kind}Backward0": ("align_corners", "output_size", *scales, "self_sym_sizes")
       for kind, scales in (("Linear1D", ("scales",)), ("Bilinear2D", ("scales_h", "scales_w")),
                            ("Bicubic2D", ("scales_h", "scales_w")),
                            ("Trilinear3D", ("scales_d", "scales_h", "scales_w")))},
}
# the `*_copy` ops' nodes keep what the view op's node keeps
_SAVED_ARGS.update({
    name + "_copy": _SAVED_ARGS[name]
    for name in ("ViewBackward0", "TransposeBackward0", "PermuteBackward0", "UnsqueezeBackward0",
                 "SqueezeBackward0", "SqueezeBackward1", "SqueezeBackward2", "ExpandBackward0",
                 "SelectBackward0", "SliceBackward0", "DiagonalBackward0", "UnfoldBackward0")
})


# What a node reports for an argument the core does not store when it has its default
# value (add/sub keep `alpha` only when it is not 1, off their hot path).
_SAVED_ARG_DEFAULTS: dict[str, dict[str, Any]] = {
    "AddBackward0": {"alpha": 1},
    "SubBackward0": {"alpha": 1},
    "DivBackward2": {"rounding_mode": None},
}

# Saved arguments that are tensors in PyTorch's nodes (they have `_raw_saved_<name>`).
_TENSOR_ARGS = frozenset(("self", "other", "input", "target", "weight", "bias", "result",
                          "result1", "result2", "total_weight", "mask", "index", "indices"))


def _saved_arg(node: Any, arg: str) -> Any:
    """`grad_fn._saved_<arg>`: an argument the node kept (None if unknown); a kept
    tensor raises PyTorch's error once backward has freed the node."""
    args = _core._node_saved_args(node)
    if arg in args:
        value = args[arg]
    else:
        value = _SAVED_ARG_DEFAULTS.get(type(node).__name__, {}).get(arg)
    if isinstance(value, Tensor) or (isinstance(value, tuple) and any(isinstance(v, Tensor) for v in value)):
        _core._check_saved_not_freed(node)
    return value


# Products that save each operand only for the other operand's gradient, as PyTorch's
# nodes: the position in `next_functions` of each saved operand.
_OPERAND_EDGES: dict[str, tuple[int, int]] = {
    **dict.fromkeys(("MmBackward0", "MvBackward0", "BmmBackward0", "DotBackward0", "LinalgCrossBackward0"), (0, 1)),
    **dict.fromkeys(("AddmmBackward0", "BaddbmmBackward0", "AddbmmBackward0", "AddmvBackward0",
                     "AddrBackward0"), (1, 2)),
}


# Operands PyTorch's node saves only for their own gradient: the position in
# `next_functions` of each (None there: not saved).
_OWN_EDGES: dict[str, dict[str, int]] = {"HypotBackward0": {"self": 0, "other": 1}}


# Saved tensors that stand for a Python number (a wrapped scalar): read as that number.
_NUMBER_FIELDS = NUMBER_FIELDS


def _saved_field(node: Any, field: str) -> Any:
    """`grad_fn._saved_<field>`: the tensor the node saved under that name (None when
    the node did not need to save it)."""
    name = type(node).__name__
    if _NUMBER_FIELDS.get(name) == field:
        kept = _core._node_saved_args(node)
        if field in kept:  # the number as given (the wrapped tensor is freed by backward)
            return kept[field]
        i = _saved_index(node, field)
        return None if i is None else _core._node_unpack_saved(node, i)[0].item()
    if name == "ClampBackward0" and _core._node_saved_args(node).get("missing_bound") == field:
        return None
    edge = _OWN_EDGES.get(name, {}).get(field)
    if edge is not None and node.next_functions[edge][0] is None:
        return None  # never saved, so never freed
    i = _saved_index(node, field)
    if i is None:
        _core._check_saved_not_freed(node)
        return None
    return _core._node_unpack_saved(node, i)[0]


# Nodes that save the rest of their fields only when some input needs them (lerp keeps
# self and end only for the weight's gradient).
_LEADING_FIELDS = frozenset(("LerpBackward1",))


def _saved_index(node: Any, field: str) -> int | None:
    """The position among the node's saved tensors of the one `_saved_<field>` reads."""
    name = type(node).__name__
    # a node recorded by `_composite_node` names what it saved (optional tensors left out)
    fields = _core._node_saved_args(node).get("_fields") or _SAVED_FIELDS[name]
    count = len(_core._node_saved_tensors(node))
    if name in _LEADING_FIELDS and 0 < count < len(fields):
        fields = fields[:count]
    if count != len(fields):
        if fields == ("other", "self") and count == 1:
            self_needs_grad = node.next_functions[0][0] is not None
            fields = ("other",) if self_needs_grad else ("self",)
        else:
            return None
    edges = _OPERAND_EDGES.get(name)
    if edges is not None and field in fields:
        i = fields.index(field)
        if node.next_functions[edges[1 - i]][0] is None:
            return None
    return fields.index(field) if field in fields else None


class SavedTensor:
    """One tensor a node saved (`grad_fn._raw_saved_<name>`): `register_hooks(pack,
    unpack)` packs it now and unpacks it whenever backward or `_saved_<name>` needs it."""

    __slots__ = ("_field", "_index", "_node", "_unpack_hook")

    def __init__(self, node: Any, field: str, index: int | None) -> None:
        self._node = node
        self._field = field
        self._index = index
        self._unpack_hook = None

    def register_hooks(self, *hooks: Any) -> None:
        """Packs the saved tensor with `pack_hook` now; `unpack_hook` gives it back.

        Args:
            *hooks: `pack_hook(tensor) -> Any` and `unpack_hook(packed) -> Tensor`.
        """
        _check_hook_pair(self, hooks)
        pack_hook, unpack_hook = hooks
        # no position: freed by backward (the core says so) or never saved
        index = _NO_SAVED_TENSOR if self._index is None else self._index
        try:
            _core._node_register_saved_hooks(self._node, index, pack_hook,
                                             remembering(unpack_hook))
        except IndexError:
            raise RuntimeError(
                "Calling register_hooks on a saved tensor with value None is forbidden"
            ) from None
        self._unpack_hook = unpack_hook

    @property
    def unpack_hook(self) -> Any:
        return self._unpack_hook

    def unpack(self) -> Any:
        return getattr(self._node, "_saved_" + self._field)

    @property
    def data(self) -> Any:
        return self.unpack()


def _check_hook_pair(saved: Any, hooks: tuple) -> None:
    if len(hooks) != 2 or not all(callable(h) for h in hooks):
        raise TypeError(
            "register_hooks(): incompatible function arguments. The following argument "
            "types are supported:\n    1. (self: ferrograd._C._autograd.SavedTensor, arg0: "
            "collections.abc.Callable, arg1: collections.abc.Callable) -> None\n\n"
            f"Invoked with: {', '.join(repr(a) for a in (saved, *hooks))}"
        )


_NO_SAVED_TENSOR = 1 << 62


SavedTensor.__module__ = "ferrograd._C._autograd"


def _raw_saved_field(node: Any, field: str) -> SavedTensor:
    """`grad_fn._raw_saved_<field>`: the saved tensor itself, to register hooks on."""
    return SavedTensor(node, field, _saved_index(node, field))


class _ArgSavedTensor(SavedTensor):
    """A tensor a node composed in Python keeps among its arguments: its hooks run when
    this object is unpacked."""

    __slots__ = ("_packed",)

    def register_hooks(self, *hooks: Any) -> None:
        _check_hook_pair(self, hooks)
        pack_hook, unpack_hook = hooks
        if self._unpack_hook is not None:
            raise RuntimeError(
                "Calling register_hooks on a saved tensor whose hooks have already been set. "
                "Hint: only one pair of hooks is allowed at a time."
            )
        from .._grad_mode import no_grad

        with no_grad():
            self._packed = pack_hook(_saved_arg(self._node, self._field))
        self._unpack_hook = unpack_hook

    def unpack(self) -> Any:
        if self._unpack_hook is None:
            return _saved_arg(self._node, self._field)
        out = self._unpack_hook(self._packed)
        if not isinstance(out, Tensor):
            raise TypeError(
                "Output of saved tensor unpack_hook expected to be a Tensor but got result "
                f"of type {type(out).__name__}"
            )
        return out


def _raw_saved_arg(node: Any, arg: str) -> SavedTensor:
    return _ArgSavedTensor(node, arg, None)


def _node_repr(self) -> str:
    return f"<{type(self).__name__} object at {hex(id(self))}>"


_NodeBase.__repr__ = _node_repr


def _node_metadata(self) -> dict:
    """A dict for the user's data about this node (PyTorch's `grad_fn.metadata`)."""
    # kept by the node, not by this object: `y.grad_fn` may be a new object each time
    return self._metadata_dict


_NodeBase.metadata = property(_node_metadata)


class _InputMetadata:
    """Shape, dtype and device of one gradient a node receives (one per forward output)."""

    __slots__ = ("dtype", "shape")
    device = _device("cpu")
    is_nested_tensor = False
    is_cpp_nested_tensor = False

    def __init__(self, shape: list, dtype: Any) -> None:
        self.shape = shape
        self.dtype = dtype


_InputMetadata.__module__ = "ferrograd._C._autograd"


def _node_input_metadata(self) -> tuple:
    """PyTorch's `grad_fn._input_metadata`: one `_InputMetadata` per forward output."""
    return tuple(_InputMetadata(shape, dtype) for shape, dtype in _core._node_input_metadata(self))


_NodeBase._input_metadata = property(_node_input_metadata)



class _GradientEdgeFields(NamedTuple):
    node: object  # a builtin name: pdoc evaluates the string annotation outside this module
    output_nr: int
    ownership_token: object = None  # PyTorch's: a node keeping a Python node's graph alive


class GradientEdge(_GradientEdgeFields):
    """One input of a backward node (`node`, `output_nr`): what `get_gradient_edge`
    gives, and what `autograd.grad` accepts in place of a tensor."""


def get_gradient_edge(tensor: Tensor) -> GradientEdge:
    """The edge of the backward graph `tensor`'s gradient flows through: its grad_fn
    (the gradient accumulator for a leaf) and its output number."""
    if not tensor.requires_grad:
        raise RuntimeError(
            "It is not possible to get the gradient edge for a Tensor that does not require "
            "gradients"
        )
    node = tensor.grad_fn
    if node is None:
        from .._grad_mode import enable_grad

        with enable_grad():
            node = tensor.view_as(tensor).grad_fn.next_functions[0][0]
    edge = GradientEdge(node, tensor.output_nr)
    edge.__dict__["_tensor"] = tensor
    return edge


def _edge_tensor(x: Any) -> Any:
    """The tensor behind a `GradientEdge` given where a tensor is expected."""
    if isinstance(x, _GradientEdgeFields):
        t = x.__dict__.get("_tensor") if hasattr(x, "__dict__") else None
        if t is None:
            raise NotImplementedError(
                "ferrograd accepts only GradientEdges made by get_gradient_edge"
            )
        return t
    return x


def increment_version(tensor: Any) -> None:
    """Bumps the version counter of `tensor` (or of each tensor in an iterable), as an
    in-place op would, so that saved copies of it are seen as modified."""
    if isinstance(tensor, Tensor):
        tensor = (tensor,)
    for t in tensor:
        _core._increment_version(t)


from ..utils.hooks import RemovableHandle  # noqa: F401  (PyTorch's module holds these names too)
from .mutation_on_saved import allow_mutation_on_saved_tensors
from .saved_hooks import (
    disable_saved_tensors_hooks,
    register_multi_grad_hook,
    save_on_cpu,
    saved_tensors_hooks,
)
from .variable import Variable  # noqa: F401

__all__ = [
    "GradientEdge",
    "Node",
    "allow_mutation_on_saved_tensors",
    "disable_saved_tensors_hooks",
    "get_gradient_edge",
    "increment_version",
    "register_multi_grad_hook",
    "save_on_cpu",
    "saved_tensors_hooks",
]
