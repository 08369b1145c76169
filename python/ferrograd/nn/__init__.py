"""`ferrograd.nn`: modules, parameters, `functional` and `init`, with PyTorch's API."""

from . import attention as attention
from . import functional, grad, init, modules, parallel, utils
from ._factory_kwargs import factory_kwargs as factory_kwargs
from .modules import *
from .parallel import DataParallel
from .parameter import Buffer, Parameter, UninitializedBuffer, UninitializedParameter

__all__ = [
    "Buffer",
    "DataParallel",
    "Parameter",
    "UninitializedBuffer",
    "UninitializedParameter",
    "functional",
    "grad",
    "init",
    "parallel",
    "utils",
]
__all__ += modules.__all__

from .._torch_homes import settle as _settle

_settle("nn")
