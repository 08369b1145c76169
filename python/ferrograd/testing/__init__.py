"""`ferrograd.testing`: `assert_close` with PyTorch's tolerances and failure messages,
`make_tensor`, and the deprecated `assert_allclose`."""

from ._comparison import assert_close
from ._creation import make_tensor
from ._deprecated import assert_allclose

__all__ = ["assert_allclose", "assert_close", "make_tensor"]
