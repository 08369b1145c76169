"""Convolutions for `nn.functional`: conv1d/2d/3d, conv_transpose1d/2d/3d, unfold, fold.

Arguments are parsed here as PyTorch parses them; the checks on shapes and values,
the kernels (im2col + GEMM) and the gradients (`ConvolutionBackward0`,
`Im2ColBackward0`, `Col2ImBackward0`) are in the Rust core.
"""

from __future__ import annotations

import operator
import warnings
from collections.abc import Iterable

from .. import _core
from .. import _saved_values as saved_values
from .._argcheck import need_int64, need_int64_elements
from .._core import Tensor
from .._dtype_names import checked_type_name, cpp_name, scalar_name
from .._shell_dtypes import refuse_float8
from . import _half_kernels
from ._complex_kernels import complex_convolution, linear_parts, wants_complex_convolution

__all__ = [
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "fold",
    "unfold",
]


def _ints(value, fn: str, name: str, size: int = 1) -> list[int]:
    """An int or a sequence of ints as a list; one value is repeated `size` times
    (PyTorch's `IntArrayRef[size]` argument)."""
    values = _int_list(value, fn, name)
    return values * size if len(values) == 1 else values


def _int_list(value, fn: str, name: str) -> list[int]:
    if isinstance(value, (str, float)):
        raise TypeError(f"{fn}(): argument '{name}' must be tuple of ints, not {type(value).__name__}")
    try:
        one = operator.index(value)
    except TypeError:
        pass
    else:
        need_int64(one)
        return [one]
    try:
        items = list(value)
    except TypeError:
        raise TypeError(f"{fn}(): argument '{name}' must be tuple of ints, not {type(value).__name__}") from None
    out = []
    for i, v in enumerate(items):
        try:
            out.append(operator.index(v))
        except TypeError:
            raise TypeError(
                f"{fn}(): argument '{name}' must be tuple of ints, but found element of type "
                f"{type(v).__name__} at pos {i}"
            ) from None
    need_int64_elements(fn, name, out)
    return out


def _expand(values: list[int], n: int, name: str) -> list[int]:
    if len(values) == 1:
        return values * n
    if len(values) != n:
        raise RuntimeError(
            f"expected {name} to be a single integer value or a list of {n} values to match the "
            f"convolution dimensions, but got {name}={values}"
        )
    return values


def _check_tensors(fn: str, input, weight, bias) -> None:
    for name, t in (("input", input), ("weight", weight)):
        if not isinstance(t, Tensor):
            raise TypeError(f"{fn}(): argument '{name}' must be Tensor, not {type(t).__name__}")
    if bias is not None and not isinstance(bias, Tensor):
        raise TypeError(f"{fn}(): argument 'bias' must be Tensor, not {type(bias).__name__}")


# the integer dtypes PyTorch's slow transposed-convolution kernels have no form for (int64 has
# one); its forward kernels take them
_NO_TRANSPOSED_KERNEL = ("uint8", "int8", "int16", "int32")


def _refuse_bool_input(input: Tensor, nd: int, transposed: bool) -> None:
    """PyTorch's CPU convolutions of a bool input (and its transposed ones of an integer
    input narrower than int64) fall to its slow kernels, which have no form for it."""
    no_kernel = input.dtype == _core.bool or transposed and repr(input.dtype).split(".")[-1] in _NO_TRANSPOSED_KERNEL
    if no_kernel:
        kernel = f"slow_conv_transpose{max(nd, 2)}d_out_cpu" if transposed else f"slow_conv{max(nd, 2)}d_cpu"
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{scalar_name(input.dtype)}'")


def _type_string(t: Tensor) -> str:
    return checked_type_name(t.dtype)


def _uses_onednn(x: Tensor, weight: Tensor, stride: list[int], dilation: list[int], output_padding: list[int],
                 groups: int, nd: int) -> bool:
    """Whether PyTorch's CPU backend picks oneDNN for this 1-d or 2-d transposed convolution
    of a batched input `x` (its `use_mkldnn`; a 1-d one runs as 2-d with a height of 1)."""
    def per_dim(values: list[int], lead: int) -> list[int]:
        values = list(values) * nd if len(values) == 1 else list(values)
        return [lead] + values if nd == 1 else values

    strides, dilations, paddings = per_dim(stride, 1), per_dim(dilation, 1), per_dim(output_padding, 0)
    if any(p >= s for p, s in zip(paddings, strides)):
        return False  # a big output padding takes the slow kernel
    if x.dtype in (_core.float16, _core.bfloat16):
        return True
    if x.dtype != _core.float32:
        return False
    from .. import get_num_threads

    n, c = x.shape[0], x.shape[1]
    h, w = (1, x.shape[2]) if nd == 1 else (x.shape[2], x.shape[3])
    kh, kw = (1, weight.shape[-1]) if nd == 1 else (weight.shape[-2], weight.shape[-1])
    fast = (any(s != 1 for s in strides) or any(d != 1 for d in dilations) or n >= 16 or kw != 1 or kh != 1
            or get_num_threads() > 1)
    return fast and (groups > 1 or (kw > 3 and kh > 3) or n > 1 or n * c * h * w > 20480)


def _refuse_onednn_bias(x: Tensor, weight: Tensor, bias, args: tuple, nd: int) -> None:
    """PyTorch's oneDNN kernel of 1-d and 2-d transposed convolutions refuses a bias of
    another dtype than the input's (once the shapes are checked); its slow kernels add it
    (see `_transposed_bias`). `args` are the convolution's (stride, padding, _, dilation,
    transposed, output_padding, groups)."""
    if bias is not None and bias.dtype != x.dtype and _uses_onednn(x, weight, args[0], args[3], args[5], args[6], nd):
        raise RuntimeError(f"Input type ({_type_string(x)}) and bias type ({_type_string(bias)}) should be "
                           "the same or input should be a MKLDNN tensor and bias is a dense tensor")


def _transposed_bias(input: Tensor, bias):
    """PyTorch's 1-d and 2-d transposed convolutions add a bias of another real dtype
    in the input's; a complex bias of a real input cannot be cast."""
    if bias is None or bias.dtype == input.dtype or bias.dtype.is_complex == input.dtype.is_complex:
        return bias if bias is None or bias.dtype == input.dtype else bias.to(input.dtype)
    if bias.dtype.is_complex:
        raise RuntimeError(f"result type {scalar_name(bias.dtype)} can't be cast to the desired output type "
                           f"{scalar_name(input.dtype)}")
    return bias


def _batched(fn: str, input: Tensor, nd: int) -> tuple[Tensor, bool]:
    """The input with a batch dim, and whether one was added."""
    if input.dim() not in (nd + 1, nd + 2):
        raise RuntimeError(
            f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to {fn}, "
            f"but got input of size: {list(input.shape)}"
        )
    if input.dim() == nd + 1:
        return input.unsqueeze(0), True
    return input, False


def _groups(groups, fn: str) -> int:
    if isinstance(groups, bool) or not isinstance(groups, int):
        try:
            return operator.index(groups)
        except TypeError:
            raise TypeError(f"{fn}(): argument 'groups' must be int, not {type(groups).__name__}") from None
    return groups


_warned_same_padding_copy: list[bool] = []


def _same_padding(weight: Tensor, stride: list[int], dilation: list[int]) -> tuple[list[int], list[int]]:
    """PyTorch's padding='same': half the dilated kernel before, the rest after."""
    k = weight.dim() - 2
    stride = _expand(stride, k, "stride")
    dilation = _expand(dilation, k, "dilation")
    if any(s != 1 for s in stride):
        raise RuntimeError("padding='same' is not supported for strided convolutions")
    kernel = tuple(weight.shape)[2:]
    before, after = [], []
    for d, size in zip(dilation, kernel):
        total = d * (size - 1)
        before.append(total // 2)
        after.append(total - 2 * (total // 2))
    if any(after) and not _warned_same_padding_copy:  # PyTorch warns once per process
        _warned_same_padding_copy.append(True)
        warnings.warn(
            "Using padding='same' with even kernel lengths and odd dilation may require a "
            "zero-padded copy of the input be created",
            UserWarning,
            stacklevel=4,
        )
    return before, after


def _refuse_complex_input(x: Tensor, weight: Tensor) -> None:
    """PyTorch's check that a complex input meets a complex weight, naming the input's
    backend type and the weight's legacy tensor type."""
    if x.dtype.is_complex and not weight.dtype.is_complex:
        kind = "ComplexDouble" if x.dtype == _core.complex128 else "ComplexFloat"
        raise RuntimeError(f"Input type (CPU{kind}Type) and weight type ({weight.type()}) should be the same")


def _conv(fn: str, nd: int, input, weight, bias, stride, padding, dilation, groups) -> Tensor:
    _check_tensors(fn, input, weight, bias)
    if bias is not None and bias.dtype != input.dtype and not isinstance(padding, str):
        # PyTorch's first check of a convolution given numeric padding
        raise RuntimeError(f"Input type ({cpp_name(input.dtype)}) and bias type ({cpp_name(bias.dtype)}) should be "
                           "the same")
    _refuse_bool_input(input, nd, False)
    x, unbatched = _batched(fn, input, nd)
    stride_l = _ints(stride, fn, "stride", nd)
    dilation_l = _ints(dilation, fn, "dilation", nd)
    groups = _groups(groups, fn)
    extra: list[int] = []
    if isinstance(padding, str):
        if padding == "valid":
            pad = [0]
        elif padding == "same":
            pad, extra = _same_padding(weight, stride_l, dilation_l)
        else:
            raise RuntimeError(f"Invalid padding string: '{padding}'")
        if bias is not None and bias.dtype != x.dtype and not x.dtype.is_complex:
            bias = bias.to(x.dtype)  # PyTorch's path for a padding string adds the bias in a real input's dtype
    else:
        pad = _ints(padding, fn, "padding", nd)
    conv_args = (stride_l, pad, extra, dilation_l, False, [0], groups)
    if wants_complex_convolution(x, weight, bias):
        out = complex_convolution(_core._convolution, x, weight, bias, *conv_args)
        return out.squeeze(0) if unbatched else out
    _refuse_complex_input(x, weight)
    if nd == 3:
        refuse_float8("compute_columns3d", x)  # the core names its 2-d kernel
    if repr(x.dtype).split(".")[-1] in _NO_TRANSPOSED_KERNEL and weight.dtype == x.dtype \
            and (bias is None or bias.dtype == x.dtype):
        # PyTorch's slow kernel convolves narrow integers in their own wrapping arithmetic,
        # which int64 reproduces modulo the narrow width
        wide_bias = None if bias is None else bias.long()
        out = _core._convolution(x.long(), weight.long(), wide_bias, *conv_args).to(x.dtype)
        return out.squeeze(0) if unbatched else out
    out = _core._convolution(x, weight, bias, *conv_args)
    _keep_conv_args(out, bias, stride_l, pad, dilation_l, False, [0], groups, nd)
    return out.squeeze(0) if unbatched else out


def _keep_conv_args(out, bias, stride, padding, dilation, transposed, output_padding, groups, nd) -> None:
    """`ConvolutionBackward0._saved_*`: the arguments, one entry per spatial dim."""
    if out.grad_fn is None:
        return

    def per_dim(v):
        return tuple(v) * nd if len(v) == 1 else tuple(v)

    saved_values.keep(out, "ConvolutionBackward0", {
        "bias_sym_sizes_opt": (0,) if bias is None else tuple(bias.shape),
        "dilation": per_dim(dilation), "groups": groups, "output_padding": per_dim(output_padding),
        "padding": per_dim(padding), "stride": per_dim(stride), "transposed": transposed,
    })


def _conv_transpose(fn: str, nd: int, input, weight, bias, stride, padding, output_padding, groups,
                    dilation) -> Tensor:
    _check_tensors(fn, input, weight, bias)
    _refuse_bool_input(input, nd, True)
    given_bias = bias
    if nd < 3 and input.dtype.is_floating_point:
        bias = _transposed_bias(input, bias)
    x, unbatched = _batched(fn, input, nd)
    args = (
        _ints(stride, fn, "stride", nd),
        _ints(padding, fn, "padding", nd),
        [],
        _ints(dilation, fn, "dilation", nd),
        True,
        _ints(output_padding, fn, "output_padding", nd),
        _groups(groups, fn),
    )
    if not args[5]:  # the core reads an empty list as no padding; PyTorch checks it after these
        if args[6] <= 0:
            raise RuntimeError("non-positive groups is not supported")
        for name, values in (("stride", args[0]), ("padding", args[1]), ("dilation", args[3])):
            _expand(values, nd, name)
        _expand(args[5], nd, "output_padding")
    if wants_complex_convolution(x, weight, bias):
        out = complex_convolution(_core._convolution, x, weight, bias, *args)
        return out.squeeze(0) if unbatched else out
    refuse_float8(f"slow_conv_transpose{max(nd, 2)}d_out_cpu", x)
    out = _core._convolution(x, weight, bias, *args)
    if nd < 3:
        _refuse_onednn_bias(x, weight, given_bias, args, nd)
    if x.dtype == _core.float16 and weight.dtype == _core.float16 and out.numel():
        _round_as_pytorch_half(out, x, weight, bias, args)
    _keep_conv_args(out, bias, args[0], args[1], args[3], True, args[5], args[6], nd)
    return out.squeeze(0) if unbatched else out


def _round_as_pytorch_half(out: Tensor, x: Tensor, weight: Tensor, bias, args) -> None:
    """Overwrites the float16 `out` in place with PyTorch's rounding of it (its graph and
    version stay those of the kernel's result)."""
    from .._half_rounding import overwrite
    from .._numpy import np
    from ._half_conv_transpose import half_conv_transpose_values

    stride, padding, _, dilation, _, output_padding, groups = args
    nd = x.dim() - 2

    def per_dim(v):
        return list(v) * nd if len(v) == 1 else list(v)

    values = half_conv_transpose_values(
        x.detach().numpy(), weight.detach().numpy(), None if bias is None else bias.detach().float().numpy(),
        per_dim(stride), per_dim(padding), per_dim(output_padding), groups, per_dim(dilation), tuple(out.shape))
    overwrite(out, values.astype(np.float32))


def conv1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0, dilation=1,
           groups: int = 1) -> Tensor:
    """1-d convolution over `[N, C, L]` (or unbatched `[C, L]`) input.

    Args:
        input: the input, shape (N, C_in, L) or unbatched (C_in, L).
        weight: the filters, shape (C_out, C_in / groups, *kernel).
        bias: an optional (C_out,) bias added to each output channel (default None).
        stride: the step of the windows, an int or one per spatial dim (default 1).
        padding: zeros added on both sides: an int, one per spatial dim, 'valid' (none) or
            'same' (output as large as the input; stride 1 only); default 0.
        dilation: the spacing between kernel elements (default 1).
        groups: split the channels into this many independent groups (default 1).
    """
    return _conv("conv1d", 1, input, weight, bias, stride, padding, dilation, groups)


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0, dilation=1,
           groups: int = 1) -> Tensor:
    """2-d convolution over `[N, C, H, W]` (or unbatched `[C, H, W]`) input.

    Args:
        input: the input, shape (N, C_in, H, W) or unbatched (C_in, H, W).
        weight: the filters, shape (C_out, C_in / groups, *kernel).
        bias: an optional (C_out,) bias added to each output channel (default None).
        stride: the step of the windows, an int or one per spatial dim (default 1).
        padding: zeros added on both sides: an int, one per spatial dim, 'valid' (none) or
            'same' (output as large as the input; stride 1 only); default 0.
        dilation: the spacing between kernel elements (default 1).
        groups: split the channels into this many independent groups (default 1).
    """
    return _conv("conv2d", 2, input, weight, bias, stride, padding, dilation, groups)


def conv3d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0, dilation=1,
           groups: int = 1) -> Tensor:
    """3-d convolution over `[N, C, D, H, W]` (or unbatched `[C, D, H, W]`) input.

    Args:
        input: the input, shape (N, C_in, D, H, W) or unbatched (C_in, D, H, W).
        weight: the filters, shape (C_out, C_in / groups, *kernel).
        bias: an optional (C_out,) bias added to each output channel (default None).
        stride: the step of the windows, an int or one per spatial dim (default 1).
        padding: zeros added on both sides: an int, one per spatial dim, 'valid' (none) or
            'same' (output as large as the input; stride 1 only); default 0.
        dilation: the spacing between kernel elements (default 1).
        groups: split the channels into this many independent groups (default 1).
    """
    return _conv("conv3d", 3, input, weight, bias, stride, padding, dilation, groups)


def conv_transpose1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0,
                     output_padding=0, groups: int = 1, dilation=1) -> Tensor:
    """1-d transposed convolution ("deconvolution"); weight is `[C_in, C_out / groups, k]`.

    Args:
        input: the input, shape (N, C_in, *spatial) or unbatched (C_in, *spatial).
        weight: the filters (see above).
        bias: an optional (C_out,) bias (default None).
        stride: the step of the windows, an int or one per spatial dim (default 1).
        padding: dilation * (kernel_size - 1) - padding zeros are added on both sides of
            the input (default 0).
        output_padding: extra size added to one side of each output dim, to pick among
            the output shapes a strided convolution maps to the same size (default 0).
        groups: split the channels into this many independent groups (default 1).
        dilation: the spacing between kernel elements (default 1).
    """
    return _conv_transpose("conv_transpose1d", 1, input, weight, bias, stride, padding, output_padding,
                           groups, dilation)


def conv_transpose2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0,
                     output_padding=0, groups: int = 1, dilation=1) -> Tensor:
    """2-d transposed convolution; weight is `[C_in, C_out / groups, kh, kw]`.

    Args:
        input: the input, shape (N, C_in, *spatial) or unbatched (C_in, *spatial).
        weight: the filters (see above).
        bias: an optional (C_out,) bias (default None).
        stride: the step of the windows, an int or one per spatial dim (default 1).
        padding: dilation * (kernel_size - 1) - padding zeros are added on both sides of
            the input (default 0).
        output_padding: extra size added to one side of each output dim, to pick among
            the output shapes a strided convolution maps to the same size (default 0).
        groups: split the channels into this many independent groups (default 1).
        dilation: the spacing between kernel elements (default 1).
    """
    return _conv_transpose("conv_transpose2d", 2, input, weight, bias, stride, padding, output_padding,
                           groups, dilation)


def conv_transpose3d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0,
                     output_padding=0, groups: int = 1, dilation=1) -> Tensor:
    """3-d transposed convolution; weight is `[C_in, C_out / groups, kd, kh, kw]`.

    Args:
        input: the input, shape (N, C_in, *spatial) or unbatched (C_in, *spatial).
        weight: the filters (see above).
        bias: an optional (C_out,) bias (default None).
        stride: the step of the windows, an int or one per spatial dim (default 1).
        padding: dilation * (kernel_size - 1) - padding zeros are added on both sides of
            the input (default 0).
        output_padding: extra size added to one side of each output dim, to pick among
            the output shapes a strided convolution maps to the same size (default 0).
        groups: split the channels into this many independent groups (default 1).
        dilation: the spacing between kernel elements (default 1).
    """
    return _conv_transpose("conv_transpose3d", 3, input, weight, bias, stride, padding, output_padding,
                           groups, dilation)


def _pair(value, fn: str, name: str, position: int) -> list[int]:
    """PyTorch's Python `_pair` (an iterable stays, anything else is doubled), then its
    parser's reading of the int list, which types only the first element."""
    if isinstance(value, Tensor) and value.dim() == 0:
        raise TypeError("iteration over a 0-d tensor")
    items = list(value) if isinstance(value, (str, Iterable)) else [value, value]
    first = items[0] if items else 0
    if isinstance(first, (bool, str)) or not hasattr(type(first), "__index__"):
        raise TypeError(f"{fn}(): argument '{name}' (position {position}) must be tuple of ints, but found element "
                        f"of type {type(first).__name__} at pos 0")
    values = _int_list(items, fn, name)
    if len(values) != 2:
        raise RuntimeError(f"It is expected {name} equals to 2, but got size {len(values)}")
    return values


def unfold(input: Tensor, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """Sliding local blocks of a `[N, C, H, W]` (or `[C, H, W]`) tensor as columns:
    `[N, C·kh·kw, L]` (im2col).

    Args:
        input: the input, (N, C, H, W) or (C, H, W).
        kernel_size: the size of the blocks, an int or a pair.
        dilation: the spacing between block elements (default 1).
        padding: zeros added on both sides of each spatial dim (default 0).
        stride: the step of the blocks (default 1).
    """
    if not isinstance(input, Tensor):
        raise TypeError(f"unfold(): argument 'input' must be Tensor, not {type(input).__name__}")
    k = _pair(kernel_size, "im2col", "kernel_size", 2)
    d = _pair(dilation, "im2col", "dilation", 3)
    p = _pair(padding, "im2col", "padding", 4)
    s = _pair(stride, "im2col", "stride", 5)
    out = _im2col(input, k, d, p, s)
    refuse_float8("im2col_out_cpu", input)
    saved_values.keep(out, "Im2ColBackward0", {
        "dilation": tuple(d), "kernel_size": tuple(k), "padding": tuple(p), "stride": tuple(s),
        "self_sym_argsize_minus_1": input.shape[-1], "self_sym_argsize_minus_2": input.shape[-2]})
    return out


_im2col = linear_parts(_half_kernels.im2col)


def fold(input: Tensor, output_size, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """Sums sliding local blocks `[N, C·kh·kw, L]` (or `[C·kh·kw, L]`) back into an image
    of `output_size` (col2im, the adjoint of `unfold`).

    Args:
        input: the blocks, (N, C·∏kernel_size, L) or unbatched (C·∏kernel_size, L).
        output_size: the spatial size (H, W) of the output, an int or a pair.
        kernel_size: the size of the blocks, an int or a pair.
        dilation: the spacing between block elements (default 1).
        padding: the implicit zero padding on both sides, removed from the output (default 0).
        stride: the step of the blocks (default 1).
    """
    if not isinstance(input, Tensor):
        raise TypeError(f"fold(): argument 'input' must be Tensor, not {type(input).__name__}")
    o = _pair(output_size, "col2im", "output_size", 2)
    k = _pair(kernel_size, "col2im", "kernel_size", 3)
    d = _pair(dilation, "col2im", "dilation", 4)
    p = _pair(padding, "col2im", "padding", 5)
    s = _pair(stride, "col2im", "stride", 6)
    if input.dim() not in (2, 3):
        shape = ", ".join(str(v) for v in input.shape)
        raise RuntimeError("Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and non-zero "
                           f"dimensions for input, but got: [{shape}]")
    out = _half_kernels.col2im(input, o, k, d, p, s)
    saved_values.keep(out, "Col2ImBackward0",
                      {"dilation": tuple(d), "kernel_size": tuple(k), "padding": tuple(p), "stride": tuple(s)})
    return out
