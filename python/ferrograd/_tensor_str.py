"""`ferrograd._tensor_str`: the module path user code reaches for PyTorch's print options
(`torch._tensor_str.PRINT_OPTS.precision`, `torch._tensor_str.printoptions(...)`). The
options themselves live in `_printing`."""

from ._printing import _OPTIONS as PRINT_OPTS
from ._printing import get_printoptions, printoptions, set_printoptions

__all__ = ["PRINT_OPTS", "get_printoptions", "printoptions", "set_printoptions"]
