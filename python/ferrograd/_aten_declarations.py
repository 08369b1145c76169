"""PyTorch's declarations of the operators `ferrograd.ops.aten` implements itself, one per
overload, in the order a call of the packet tries them."""

from __future__ import annotations

DECLARATIONS: dict[str, tuple[str, ...]] = {
    "max_pool2d_with_indices_backward": (
        ("aten::max_pool2d_with_indices_backward(Tensor grad_output, Tensor self, int[2] kernel_size, "
        "int[2] stride, int[2] padding, int[2] dilation, bool ceil_mode, Tensor indices) -> Tensor"),
        ("aten::max_pool2d_with_indices_backward.grad_input(Tensor grad_output, Tensor self, int[2] kernel_size, "
        "int[2] stride, int[2] padding, int[2] dilation, bool ceil_mode, Tensor indices, *, "
        "Tensor(a!) grad_input) -> Tensor(a!)"),
    ),
    "_softmax_backward_data": (
        "aten::_softmax_backward_data(Tensor grad_output, Tensor output, int dim, ScalarType input_dtype) -> Tensor",
        ("aten::_softmax_backward_data.out(Tensor grad_output, Tensor output, int dim, ScalarType input_dtype, *, "
        "Tensor(a!) grad_input) -> Tensor(a!)"),
    ),
    "_safe_softmax": (
        "aten::_safe_softmax(Tensor self, int dim, ScalarType? dtype=None) -> Tensor",
    ),
    "native_dropout_backward": (
        "aten::native_dropout_backward(Tensor grad_output, Tensor mask, float scale) -> Tensor",
        ("aten::native_dropout_backward.out(Tensor grad_output, Tensor mask, float scale, *, Tensor(a!) out) "
        "-> Tensor(a!)"),
    ),
    "slice": (
        ("aten::slice.Tensor(Tensor(a) self, int dim=0, SymInt? start=None, SymInt? end=None, SymInt step=1) "
        "-> Tensor(a)"),
    ),
    "_batch_norm_with_update": (
        ("aten::_batch_norm_with_update.out(Tensor input, Tensor? weight, Tensor? bias, Tensor(a!) running_mean, "
        "Tensor(b!) running_var, float momentum, float eps, *, Tensor(d!) out, Tensor(e!) save_mean, "
        "Tensor(f!) save_invstd, Tensor(g!) reserve) -> (Tensor(d!), Tensor(e!), Tensor(f!), Tensor(g!))"),
        ("aten::_batch_norm_with_update(Tensor input, Tensor? weight, Tensor? bias, Tensor(a!) running_mean, "
        "Tensor(b!) running_var, float momentum, float eps) -> (Tensor, Tensor, Tensor, Tensor)"),
    ),
    **{
        f"_upsample_{mode}2d_aa": (
            (f"aten::_upsample_{mode}2d_aa(Tensor self, SymInt[2] output_size, bool align_corners, "
            "float? scales_h=None, float? scales_w=None) -> Tensor"),
            (f"aten::_upsample_{mode}2d_aa.vec(Tensor input, SymInt[]? output_size, bool align_corners, "
            "float[]? scale_factors) -> Tensor"),
            (f"aten::_upsample_{mode}2d_aa.out(Tensor self, SymInt[2] output_size, bool align_corners, "
            "float? scales_h=None, float? scales_w=None, *, Tensor(a!) out) -> Tensor(a!)"),
        )
        for mode in ("bilinear", "bicubic")
    },
}


def overload_name(declaration: str) -> str:
    """'default' for `aten::name(...)`, else the name after the dot."""
    head = declaration.split("(", 1)[0]
    return head.split(".", 1)[1] if "." in head else "default"
