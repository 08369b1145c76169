"""The kernel PyTorch's CPU build names when it refuses an 8-bit float in a one-tensor
math function. An alias and the in-place form name the kernel of the function itself
(`arccos_` names acos's); some functions stop in a kernel they call (deg2rad's
multiplication)."""

from __future__ import annotations

from ._shell_dtypes import FLOAT8_DTYPES, refuse_float8

_KERNELS = {
    "floor": "floor_vml_cpu", "ceil": "ceil_vml_cpu", "trunc": "trunc_vml_cpu", "fix": "trunc_vml_cpu",
    "round": "round_vml_cpu", "frac": "frac_cpu", "rsqrt": "rsqrt_cpu", "log1p": "log1p_vml_cpu",
    "expm1": "expm1_vml_cpu", "log2": "log2_vml_cpu", "log10": "log10_vml_cpu", "exp2": "exp2",
    "tan": "tan_vml_cpu", "sinh": "sinh_cpu", "cosh": "cosh_cpu",
    "asin": "asin_vml_cpu", "arcsin": "asin_vml_cpu", "acos": "acos_vml_cpu", "arccos": "acos_vml_cpu",
    "atan": "atan_vml_cpu", "arctan": "atan_vml_cpu", "asinh": "asinh_cpu", "arcsinh": "asinh_cpu",
    "acosh": "acosh_cpu", "arccosh": "acosh_cpu", "atanh": "atanh_cpu", "arctanh": "atanh_cpu",
    "deg2rad": "mul_cpu_reduced_float", "rad2deg": "mul_cpu_reduced_float",
    "erf": "erf_vml_cpu", "erfc": "erfc_vml_cpu", "erfinv": "erfinv_vml_cpu",
    "sigmoid": "sigmoid_cpu_reduced_float", "lgamma": "lgamma_vml_cpu", "digamma": "digamma",
    "i0": "i0_vml_cpu", "sinc": "sinc_cpu", "logit": "logit_cpu", "angle": "angle_cpu",
}


def refuse_unary(name: str, t) -> None:
    """PyTorch's NotImplementedError for the function `name` (or `name_`) of an 8-bit
    float tensor, where its CPU build has no kernel."""
    if getattr(t, "dtype", None) in FLOAT8_DTYPES:  # inline: on every call of these functions
        kernel = _KERNELS.get(name.removesuffix("_"))
        if kernel is not None:
            refuse_float8(kernel, t)
