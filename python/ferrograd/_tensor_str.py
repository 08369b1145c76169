"""`ferrograd._tensor_str`: the module path user code reaches for PyTorch's print options
(`torch._tensor_str.PRINT_OPTS.precision`, `torch._tensor_str.printoptions(...)`). The
options themselves live in `_printing`."""

from ._printing import _OPTIONS as PRINT_OPTS
from ._printing import __PrinterOptions, get_printoptions, printoptions, set_printoptions

__all__ = ["PRINT_OPTS", "__PrinterOptions", "get_printoptions", "printoptions", "set_printoptions"]
