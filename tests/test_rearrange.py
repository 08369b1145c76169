"""`func.rearrange`: einops patterns against NumPy's reshape/transpose, gradients through
the views, and PyTorch's exception types and messages for bad patterns."""

from __future__ import annotations

import numpy as np
import pytest
from backend import fg

X = np.arange(24.0).reshape(2, 3, 4)

# (pattern, lengths, NumPy's result on X)
PATTERNS = [
    ("a b c -> c (a b)", {}, X.transpose(2, 0, 1).reshape(4, 6)),
    ("a b c -> a b c", {}, X),
    ("a ... -> ... a", {}, X.transpose(1, 2, 0)),
    ("a ... -> (...) a", {}, X.transpose(1, 2, 0).reshape(12, 2)),
    ("... -> (...)", {}, X.reshape(24)),
    ("a b c -> a 1 b c ()", {}, X.reshape(2, 1, 3, 4, 1)),
    ("a b c -> () a b c ()", {}, X.reshape(1, 2, 3, 4, 1)),
    ("a b (c d) -> a b c d", {"c": 2}, X.reshape(2, 3, 2, 2)),
    ("a b (c d) -> (d a) b c", {"d": 2}, X.reshape(2, 3, 2, 2).transpose(3, 0, 1, 2).reshape(4, 3, 2)),
    ("a b (c d e) -> a b c d e", {"c": 2, "d": 2}, X.reshape(2, 3, 2, 2, 1)),
    ("... c -> c ...", {}, X.transpose(2, 0, 1)),
    ("a b c ... -> c b a ...", {}, X.transpose(2, 1, 0)),
    ("a2 b c -> c b a2", {}, X.transpose(2, 1, 0)),
    ("a b c -> (a b c) 1", {}, X.reshape(24, 1)),
]


@pytest.mark.parametrize(("pattern", "lengths", "expected"), PATTERNS)
def test_rearrange_matches_numpy(pattern, lengths, expected):
    out = fg.func.rearrange(fg.tensor(X), pattern, **lengths)
    assert tuple(out.shape) == expected.shape
    np.testing.assert_array_equal(out.numpy(), expected)


def test_rearrange_stacks_a_list_and_passes_gradients():
    out = fg.func.rearrange([fg.ones(2), fg.zeros(2)], "n a -> a n")
    np.testing.assert_array_equal(out.numpy(), [[1.0, 0.0], [1.0, 0.0]])
    x = fg.tensor(X, requires_grad=True)
    fg.func.rearrange(x, "a b (c d) -> (d a) b c", d=2).pow(2).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), 2 * X)


BAD = [
    ("a b -> a b", {}, ValueError,
     "Number of dimensions in pattern (2) must be equal to the number of dimensions in the tensor (3)"),
    ("a b c -> a b", {}, ValueError,
     "Identifiers only on one side of rearrange expression (should be on both): {'c'}"),
    ("a b c -> a b (c d)", {}, ValueError,
     "Identifiers only on one side of rearrange expression (should be on both): {'d'}"),
    ("a b c -> a b c", {"e": 2}, ValueError, "Identifiers not found in rearrange expression: {'e'}"),
    ("a b c -> a b 2 c", {}, ValueError, "rearrange only supports unnamed axes of size 1"),
    ("a b c - a b c", {}, ValueError, "Pattern must contain a single '->' separator"),
    ("a a c -> a c", {}, ValueError, "Indexing expression contains duplicate dimension 'a'"),
    ("a (b c -> a b c", {}, ValueError, "Imbalanced parentheses in expression: 'a (b c '"),
    ("a b c -> a b c", {"a": 2.5}, TypeError, "rearrange axis lengths must be integers, got: <class 'float'>"),
    ("_a b c -> _a b c", {}, ValueError,
     "Invalid axis identifier: _a\naxis name should should not start or end with underscore"),
    ("a b c -> a b c ...", {}, ValueError,
     "Ellipsis found in right side, but not left side of a pattern a b c -> a b c ..."),
    ("... -> ... ...", {}, ValueError,
     "Expression may contain dots only inside ellipsis (...); only one ellipsis for tensor "),
    ("a b. c -> a b c", {}, ValueError, "Expression may contain dots only inside ellipsis (...)"),
    ("a b$ c -> a b c", {}, ValueError, "Unknown character '$'"),
    ("(a ...) -> a", {}, ValueError,
     "Ellipsis is parenthesis in the left side is not allowed: (a ...) -> a"),
]


@pytest.mark.parametrize(("pattern", "lengths", "error", "message"), BAD)
def test_rearrange_bad_patterns(pattern, lengths, error, message):
    with pytest.raises(error) as info:
        fg.func.rearrange(fg.tensor(X), pattern, **lengths)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("pattern", "lengths", "message"),
    [
        ("a b (c d) -> a b c d", {}, "cannot infer the sizes of two dimensions at once d2 and d3"),
        ("a b (c d) -> a b c d", {"c": 3},
         "inferred dimension does not evenly fit into larger dimension: 4 vs (3, '?')"),
        ("a b c -> a b c", {"a": 5},
         "Dimension sizes to do not match (2 != 5) when matching dimension pack (d0,)"),
    ],
)
def test_rearrange_sizes_that_do_not_bind(pattern, lengths, message):
    with pytest.raises(Exception) as info:
        fg.func.rearrange(fg.tensor(X), pattern, **lengths)
    assert type(info.value).__name__ == "DimensionBindError"
    assert str(info.value) == message
