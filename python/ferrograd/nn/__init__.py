"""`ferrograd.nn`: modules, parameters, `functional` and `init`, with PyTorch's API."""

from . import functional, grad, init, modules, utils
from .modules import *
from .parameter import Buffer, Parameter

__all__ = [
    "Buffer",
    "Parameter",
    "functional",
    "grad",
    "init",
    "utils",
]
__all__ += modules.__all__
