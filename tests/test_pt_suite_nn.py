"""Module behaviours from PyTorch's own test files (test_nn.py) that differed in
ferrograd: `load_state_dict(assign=True)` takes the loaded tensors themselves.
Expected values are what PyTorch 2.13 does.

Runs against PyTorch too with FG_TEST_BACKEND=torch.
"""

import pytest
from backend import fg


def test_assign_takes_the_loaded_tensor_as_a_parameter():
    m = fg.nn.Linear(2, 2)
    w = fg.ones(2, 2)
    result = m.load_state_dict({"weight": w, "bias": fg.zeros(2)}, assign=True)
    assert result.missing_keys == [] and result.unexpected_keys == []
    assert m.weight.data_ptr() == w.data_ptr()
    assert isinstance(m.weight, fg.nn.Parameter)
    assert m.weight.requires_grad


def test_assign_keeps_the_old_parameters_requires_grad():
    m = fg.nn.Linear(2, 2)
    m.weight.requires_grad_(False)
    p = fg.nn.Parameter(fg.ones(2, 2))
    m.load_state_dict({"weight": p, "bias": fg.zeros(2)}, assign=True)
    assert m.weight is p
    assert not m.weight.requires_grad
    assert m.bias.requires_grad


def test_assign_takes_a_buffer_and_a_new_dtype():
    m = fg.nn.BatchNorm1d(2)
    mean = fg.full((2,), 3.0)
    state = m.state_dict()
    state["running_mean"] = mean
    m.load_state_dict(state, assign=True)
    assert m.running_mean is mean
    lin = fg.nn.Linear(2, 2)
    lin.load_state_dict({"weight": fg.ones(2, 2, dtype=fg.float64), "bias": fg.zeros(2)}, assign=True)
    assert lin.weight.dtype == fg.float64
    assert lin.bias.dtype == fg.float32


def test_assign_reaches_submodules():
    m = fg.nn.Sequential(fg.nn.Linear(2, 2))
    w = fg.ones(2, 2)
    m.load_state_dict({"0.weight": w, "0.bias": fg.zeros(2)}, assign=True)
    assert m[0].weight.data_ptr() == w.data_ptr()


def test_assign_still_checks_shapes():
    m = fg.nn.Linear(2, 2)
    with pytest.raises(RuntimeError, match="size mismatch for weight"):
        m.load_state_dict({"weight": fg.ones(3, 2), "bias": fg.zeros(2)}, assign=True)


def test_without_assign_the_values_are_copied():
    m = fg.nn.Linear(2, 2)
    w = fg.ones(2, 2, dtype=fg.float64)
    m.load_state_dict({"weight": w, "bias": fg.zeros(2)})
    assert m.weight.dtype == fg.float32
    assert m.weight.data_ptr() != w.data_ptr()
    assert m.weight.tolist() == [[1.0, 1.0], [1.0, 1.0]]
