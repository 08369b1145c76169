"""Index ops check their arguments in PyTorch's order (the dim's range, then the index's
rank, then its dtype), so a call with several faults raises PyTorch's exception type.
The expected types were observed with PyTorch 2.13."""

import warnings

import ferrograd as fg  # noqa: F401 - the calls below are evaluated in this module
import pytest

CASES = [
    ('fg.index_select(fg.ones(2,3), 0, fg.tensor([0.]))', RuntimeError),
    ('fg.index_select(fg.ones(2,3), 5, fg.tensor([0.]))', IndexError),
    ('fg.index_select(fg.ones(2,3), 0, fg.tensor([[0]]))', IndexError),
    ('fg.index_select(fg.ones(2,3), 5, fg.tensor([[0]]))', IndexError),
    ('fg.index_select(fg.ones(2,3), 0, fg.tensor([[0.]]))', IndexError),
    ('fg.index_select(fg.ones(2,3), 5, fg.tensor([[0.]]))', IndexError),
    ('fg.ones(2,3).index_add_(0, fg.tensor([0.]), fg.ones(1,3))', RuntimeError),
    ('fg.ones(2,3).index_add_(5, fg.tensor([0.]), fg.ones(1,3))', IndexError),
    ('fg.ones(2,3).index_add_(0, fg.tensor([[0]]), fg.ones(1,3))', IndexError),
    ('fg.ones(2,3).index_add_(5, fg.tensor([[0]]), fg.ones(1,3))', IndexError),
    ('fg.ones(2,3).index_add_(0, fg.tensor([[0.]]), fg.ones(1,3))', IndexError),
    ('fg.ones(2,3).index_add_(5, fg.tensor([[0.]]), fg.ones(1,3))', IndexError),
    ('fg.ones(2,3).index_copy_(0, fg.tensor([0.]), fg.ones(1,3))', RuntimeError),
    ('fg.ones(2,3).index_copy_(5, fg.tensor([0.]), fg.ones(1,3))', IndexError),
    ('fg.ones(2,3).index_copy_(0, fg.tensor([[0]]), fg.ones(1,3))', IndexError),
    ('fg.ones(2,3).index_copy_(5, fg.tensor([[0]]), fg.ones(1,3))', IndexError),
    ('fg.ones(2,3).index_copy_(0, fg.tensor([[0.]]), fg.ones(1,3))', IndexError),
    ('fg.ones(2,3).index_copy_(5, fg.tensor([[0.]]), fg.ones(1,3))', IndexError),
    ("fg.ones(2,3).index_reduce_(0, fg.tensor([0.]), fg.ones(1,3), 'prod')", RuntimeError),
    ("fg.ones(2,3).index_reduce_(5, fg.tensor([0.]), fg.ones(1,3), 'prod')", IndexError),
    ("fg.ones(2,3).index_reduce_(0, fg.tensor([[0]]), fg.ones(1,3), 'prod')", IndexError),
    ("fg.ones(2,3).index_reduce_(5, fg.tensor([[0]]), fg.ones(1,3), 'prod')", IndexError),
    ("fg.ones(2,3).index_reduce_(0, fg.tensor([[0.]]), fg.ones(1,3), 'prod')", IndexError),
    ("fg.ones(2,3).index_reduce_(5, fg.tensor([[0.]]), fg.ones(1,3), 'prod')", IndexError),
    ('fg.ones(2,3).scatter_add_(0, fg.tensor([0.]), fg.ones(1,1))', RuntimeError),
    ('fg.ones(2,3).scatter_add_(5, fg.tensor([0.]), fg.ones(1,1))', IndexError),
    ('fg.ones(2,3).scatter_add_(0, fg.tensor([[0]]), fg.ones(1,1))', None),
    ('fg.ones(2,3).scatter_add_(5, fg.tensor([[0]]), fg.ones(1,1))', IndexError),
    ('fg.ones(2,3).scatter_add_(0, fg.tensor([[0.]]), fg.ones(1,1))', RuntimeError),
    ('fg.ones(2,3).scatter_add_(5, fg.tensor([[0.]]), fg.ones(1,1))', IndexError),
    ('fg.gather(fg.ones(2,3), 0, fg.tensor([0.]))', RuntimeError),
    ('fg.gather(fg.ones(2,3), 5, fg.tensor([0.]))', IndexError),
    ('fg.gather(fg.ones(2,3), 0, fg.tensor([[0]]))', None),
    ('fg.gather(fg.ones(2,3), 5, fg.tensor([[0]]))', IndexError),
    ('fg.gather(fg.ones(2,3), 0, fg.tensor([[0.]]))', RuntimeError),
    ('fg.gather(fg.ones(2,3), 5, fg.tensor([[0.]]))', IndexError),
]


@pytest.mark.parametrize("call, expected", CASES)
def test_index_op_errors_follow_pytorchs_check_order(call, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # index_reduce_ is in beta
        if expected is None:
            assert eval(call) is not None
        else:
            with pytest.raises(expected):
                eval(call)
