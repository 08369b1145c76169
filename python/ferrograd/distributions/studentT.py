# ruff: noqa: N999  (PyTorch's module name)
"""`torch.distributions.studentT`'s name for StudentT (defined in `student_t.py`)."""

from .student_t import StudentT

__all__ = ["StudentT"]
