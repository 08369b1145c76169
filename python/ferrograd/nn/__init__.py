"""`ferrograd.nn`: modules, parameters, `functional` and `init`, with PyTorch's API."""

from . import attention as attention
from . import functional, grad, init, modules, utils
from .modules import *
from .parameter import Buffer, Parameter, UninitializedBuffer, UninitializedParameter

__all__ = [
    "Buffer",
    "Parameter",
    "UninitializedBuffer",
    "UninitializedParameter",
    "functional",
    "grad",
    "init",
    "utils",
]
__all__ += modules.__all__
