"""The saved-tensor-modified error says which in-place op changed the tensor and where:
PyTorch needs anomaly mode to locate it; ferrograd names it in a note under the traceback
(the message itself is PyTorch's)."""

import inspect
import re

import pytest
from backend import IS_TORCH, fg


def test_the_error_names_the_inplace_op_and_line():
    x = fg.ones(3, requires_grad=True)
    y = x.exp()  # ExpBackward0 saves its output
    y.mul_(2)
    line = inspect.currentframe().f_lineno - 1  # the line of `y.mul_(2)` above
    with pytest.raises(RuntimeError, match="modified by an inplace operation") as info:
        y.sum().backward()
    message = str(info.value)
    assert "is at version 1; expected version 0 instead" in message
    assert "last modified" not in message
    if not IS_TORCH:
        notes = "\n".join(getattr(info.value, "__notes__", []))
        assert re.search(rf"last modified in place by mul_ at .*test_inplace_errors\.py:{line}\b", notes)


def test_writes_under_no_grad_are_not_traced_but_still_caught():
    x = fg.ones(3, requires_grad=True)
    y = x * x  # saves x
    with fg.no_grad():
        x.add_(1)
    with pytest.raises(RuntimeError, match="is at version 1; expected version 0"):
        y.sum().backward()


def test_a_write_through_a_view_of_a_saved_output_is_caught_after_the_output_is_gone():
    x = fg.ones(3, requires_grad=True)
    y = x.exp()  # ExpBackward0 saves its output
    s = y.sum()
    v = y[:2]
    del y
    v.mul_(2)
    with pytest.raises(RuntimeError, match="is at version 1; expected version 0 instead"):
        s.backward()


def test_a_written_0_dim_saved_output_is_caught():
    x = fg.tensor(0.5, requires_grad=True)
    y = x.tanh()  # TanhBackward0 saves its output (a 0-dim graph runs the scalar engine)
    z = y * 3
    y.add_(1)
    with pytest.raises(RuntimeError, match="is at version 1; expected version 0 instead"):
        z.backward()
