"""Anomaly detection: a NaN produced in backward names the node and where it was made."""

import warnings

import pytest
from backend import IS_TORCH, fg


def test_nan_in_backward_names_the_node_and_the_forward_line():
    x = fg.tensor([0.0, 1.0], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with fg.autograd.detect_anomaly():
            y = x / x  # 0/0: the backward of DivBackward0 produces NaN
            with pytest.raises(RuntimeError, match="Function 'DivBackward0' returned nan values") as info:
                y.sum().backward()
    if not IS_TORCH:
        # ferrograd puts the forward traceback into the message itself
        assert "test_anomaly.py" in str(info.value)
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
