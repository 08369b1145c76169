"""`ferrograd.utils.benchmark`: PyTorch's benchmarking helpers: `Timer` to time a
statement, `Measurement` for its times, `Compare` to tabulate several."""

from .utils.common import *
from .utils.compare import *
from .utils.timer import *
