"""`nn.modules`: the Module base class and the layers built on it."""

from . import padding, pooling
from .activation import (
    ELU,
    GELU,
    Hardtanh,
    LeakyReLU,
    LogSigmoid,
    LogSoftmax,
    ReLU,
    ReLU6,
    Sigmoid,
    SiLU,
    Softmax,
    Softplus,
    Tanh,
)
from .container import ModuleDict, ModuleList, ParameterDict, ParameterList, Sequential
from .conv import (
    Conv1d,
    Conv2d,
    Conv3d,
    ConvTranspose1d,
    ConvTranspose2d,
    ConvTranspose3d,
    Fold,
    Unfold,
)
from .linear import Dropout, Flatten, Identity, Linear, Unflatten
from .loss import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
    SmoothL1Loss,
)
from .module import Module
from .normalization import BatchNorm1d, BatchNorm2d, BatchNorm3d, Embedding, LayerNorm
from .padding import *
from .pooling import *

__all__ = [
    "ELU",
    "GELU",
    "BCELoss",
    "BCEWithLogitsLoss",
    "BatchNorm1d",
    "BatchNorm2d",
    "BatchNorm3d",
    "Conv1d",
    "Conv2d",
    "Conv3d",
    "ConvTranspose1d",
    "ConvTranspose2d",
    "ConvTranspose3d",
    "CrossEntropyLoss",
    "Dropout",
    "Embedding",
    "Flatten",
    "Fold",
    "Hardtanh",
    "Identity",
    "L1Loss",
    "LayerNorm",
    "LeakyReLU",
    "Linear",
    "LogSigmoid",
    "LogSoftmax",
    "MSELoss",
    "Module",
    "ModuleDict",
    "ModuleList",
    "NLLLoss",
    "ParameterDict",
    "ParameterList",
    "ReLU",
    "ReLU6",
    "Sequential",
    "SiLU",
    "Sigmoid",
    "SmoothL1Loss",
    "Softmax",
    "Softplus",
    "Tanh",
    "Unflatten",
    "Unfold",
]

from . import activation_more, adaptive, attention, lazy, loss_more, rnn, sparse, transformer
from .activation_more import *
from .adaptive import *
from .attention import *
from .lazy import *
from .linear import Bilinear
from .loss_more import *
from .normalization import GroupNorm
from .rnn import *
from .sparse import *
from .transformer import *

__all__ += activation_more.__all__ + attention.__all__ + loss_more.__all__ + rnn.__all__ + ["Bilinear", "GroupNorm"]
__all__ += adaptive.__all__ + lazy.__all__ + sparse.__all__ + transformer.__all__
__all__ += padding.__all__
__all__ += pooling.__all__
from . import compat, dropout_more, lazy_instancenorm, loss_extra, misc_more, normalization_more
from .compat import *
from .dropout_more import *
from .lazy_instancenorm import *
from .loss_extra import *
from .misc_more import *
from .normalization_more import *

__all__ += (compat.__all__ + dropout_more.__all__ + lazy_instancenorm.__all__ + loss_extra.__all__ + misc_more.__all__
            + normalization_more.__all__)
