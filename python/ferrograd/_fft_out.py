"""PyTorch's check of an `out=` tensor's dtype for the Fourier transforms, made before
anything else (autograd's refusal of an `out` that requires grad included): a transform
with a complex result takes only a complex `out`, one with a real result only a floating
point one. The n-dimensional kernel words the refusal for the 2-D transforms too."""

from __future__ import annotations

from typing import Any

from ._core import Tensor

# qualified name -> (the kernel named, whether its result is complex)
_KERNELS = {
    **{f"fft.{n}": (n, True) for n in ("fft", "ifft", "rfft", "ihfft")},
    **{f"fft.{n}": ("fftn", True) for n in ("fft2", "ifft2", "fftn", "ifftn")},
    **{f"fft.{n}": ("rfftn", True) for n in ("rfft2", "rfftn")},
    **{f"fft.{n}": ("ihfftn", True) for n in ("ihfft2", "ihfftn")},
    **{f"fft.{n}": (n, False) for n in ("irfft", "hfft")},
    **{f"fft.{n}": ("irfftn", False) for n in ("irfft2", "irfftn")},
    **{f"fft.{n}": ("hfftn", False) for n in ("hfft2", "hfftn")},
}


def check_out_dtype(qualified: str, out: Any) -> None:
    """Raises PyTorch's error for an `out` of the wrong kind of dtype (nothing for a
    function that is not a transform)."""
    kernel = _KERNELS.get(qualified)
    if kernel is None or not isinstance(out, Tensor):
        return
    name, complex_result = kernel
    dtype = out.dtype
    if complex_result and not dtype.is_complex:
        from ._dtype_names import scalar_name

        raise RuntimeError(f"{name} expects a complex output tensor, but got {scalar_name(dtype)}")
    if not complex_result and not dtype.is_floating_point:
        from ._dtype_names import scalar_name

        raise RuntimeError(f"{name} expects a floating point output tensor, but got {scalar_name(dtype)}")
