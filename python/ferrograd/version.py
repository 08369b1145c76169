"""`ferrograd.version`, as PyTorch's `torch.version`: the version, and None for the
accelerator toolkits a CPU-only build has none of."""

from __future__ import annotations

__all__ = ["__version__", "cuda", "debug", "git_version", "hip", "rocm", "xpu"]

from ._core import __version__  # Cargo.toml's version

debug = False
git_version = "unknown"
cuda: str | None = None
hip: str | None = None
rocm: str | None = None
xpu: str | None = None
