"""`ferrograd.backends` (PyTorch's `torch.backends`): the backend flags code reads or
sets. Only the CPU exists: accelerator backends report themselves unavailable, and the
switches are kept as settings without changing ferrograd's kernels."""

from . import cpu, cuda, cudnn, mkl, mkldnn, mps, openmp, opt_einsum

__all__ = ["cpu", "cuda", "cudnn", "mkl", "mkldnn", "mps", "openmp", "opt_einsum"]
