"""`backends.cuda`: CUDA settings (CUDA is not built in; the flags are kept)."""

from __future__ import annotations

__all__ = ["cudnn_sdp_enabled", "enable_cudnn_sdp", "enable_flash_sdp", "enable_math_sdp",
           "enable_mem_efficient_sdp", "flash_sdp_enabled", "is_built", "math_sdp_enabled", "matmul",
           "mem_efficient_sdp_enabled"]


class _MatmulFlags:
    """`backends.cuda.matmul`: the CUDA matmul precision flags."""

    def __init__(self) -> None:
        self.allow_tf32 = False
        self.allow_fp16_reduced_precision_reduction = True
        self.allow_bf16_reduced_precision_reduction = True


matmul = _MatmulFlags()
# which attention kernels scaled_dot_product_attention may pick (nn.attention.sdpa_kernel
# sets them too); on the CPU only "math" and "flash" run, both as the same math here
_SDP = {"cudnn": True, "flash": True, "mem_efficient": True, "math": True, "overrideable": True}


def is_built() -> bool:
    """Whether ferrograd was built with CUDA: False."""
    return False


def flash_sdp_enabled() -> bool:
    """Whether the flash attention kernel may be chosen (a setting; CPU only)."""
    return _SDP["flash"]


def math_sdp_enabled() -> bool:
    """Whether the math attention kernel may be chosen (a setting)."""
    return _SDP["math"]


def mem_efficient_sdp_enabled() -> bool:
    """Whether the memory-efficient attention kernel may be chosen (a setting)."""
    return _SDP["mem_efficient"]


def cudnn_sdp_enabled() -> bool:
    """Whether the cuDNN attention kernel may be chosen (a setting)."""
    return _SDP["cudnn"]


def enable_cudnn_sdp(enabled: bool) -> None:
    """Sets `cudnn_sdp_enabled()`.

    Args:
        enabled: the new setting.
    """
    _SDP["cudnn"] = bool(enabled)


def enable_flash_sdp(enabled: bool) -> None:
    """Sets `flash_sdp_enabled()`.

    Args:
        enabled: the new setting.
    """
    _SDP["flash"] = bool(enabled)


def enable_math_sdp(enabled: bool) -> None:
    """Sets `math_sdp_enabled()`.

    Args:
        enabled: the new setting.
    """
    _SDP["math"] = bool(enabled)


def enable_mem_efficient_sdp(enabled: bool) -> None:
    """Sets `mem_efficient_sdp_enabled()`.

    Args:
        enabled: the new setting.
    """
    _SDP["mem_efficient"] = bool(enabled)
