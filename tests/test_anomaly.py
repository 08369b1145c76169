"""Anomaly detection: a NaN produced in backward names the node and where it was made."""

import warnings

import pytest
from backend import fg


def test_nan_in_backward_names_the_node_and_the_forward_line():
    x = fg.tensor([0.0, 1.0], requires_grad=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with fg.autograd.detect_anomaly():
            y = x / x  # 0/0: the backward of DivBackward0 produces NaN
            with pytest.raises(RuntimeError, match="Function 'DivBackward0' returned nan values") as info:
                y.sum().backward()
    # as in PyTorch: the message is one line, the forward traceback comes as a warning
    assert str(info.value) == "Function 'DivBackward0' returned nan values in its 1th output."
    traces = [str(w.message) for w in caught if "Error detected in DivBackward0" in str(w.message)]
    assert len(traces) == 1
    assert traces[0].startswith(
        "Error detected in DivBackward0. Traceback of forward call that caused the error:\n"
    )
    assert "test_anomaly.py" in traces[0]
    assert not fg.is_anomaly_enabled()


def test_without_anomaly_mode_nan_flows_silently():
    x = fg.tensor([0.0, 1.0], requires_grad=True)
    (x / x).sum().backward()
    assert x.grad[1].item() == 0.0  # d(x/x)/dx = 1/x - x/x² = 0 where defined


def test_set_detect_anomaly_restores_the_previous_mode():
    assert not fg.is_anomaly_enabled()
    with fg.autograd.set_detect_anomaly(True):
        assert fg.is_anomaly_enabled()
    assert not fg.is_anomaly_enabled()
