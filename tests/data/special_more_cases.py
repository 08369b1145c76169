"""Shared by tests/test_special_more.py and tests/data/record_special_more.py: the
`torch.special` Bessel/Airy functions and orthogonal polynomials, and the points they
are sampled at (recorded with PyTorch 2.13)."""

import numpy as np

UNARY = (
    "airy_ai", "bessel_j0", "bessel_j1", "bessel_y0", "bessel_y1", "modified_bessel_i0",
    "modified_bessel_i1", "modified_bessel_k0", "modified_bessel_k1", "scaled_modified_bessel_k0",
    "scaled_modified_bessel_k1", "spherical_bessel_j0",
)

POLYNOMIALS = (
    "chebyshev_polynomial_t", "chebyshev_polynomial_u", "chebyshev_polynomial_v", "chebyshev_polynomial_w",
    "shifted_chebyshev_polynomial_t", "shifted_chebyshev_polynomial_u", "shifted_chebyshev_polynomial_v",
    "shifted_chebyshev_polynomial_w", "hermite_polynomial_h", "hermite_polynomial_he", "laguerre_polynomial_l",
    "legendre_polynomial_p",
)

DTYPES = ("float64", "float32")


def unary_points() -> list:
    """Dense over [-30, 30] (every branch point: 0.5, 2, 2.09, 5, 8, 8.32), a
    geometric sweep of tiny and huge magnitudes of both signs, and the special values."""
    dense = np.linspace(-30.0, 30.0, 397)
    tiny = np.geomspace(1e-9, 1e-2, 8)
    huge = np.geomspace(50.0, 1e4, 8)
    edges = [0.0, -0.0, 0.5, 2.0, 2.09, -2.09, 5.0, -5.0, 8.0, 8.3203353, 103.0, 104.0, 700.0, -700.0]
    special = [float("inf"), float("-inf"), float("nan")]
    return [float(v) for v in np.concatenate([dense, tiny, -tiny, huge, -huge, edges, special])]


def polynomial_points() -> list:
    """x over [-2.5, 2.5] (inside and outside [-1, 1] and [0, 1]), the interval ends and
    the special values."""
    xs = np.linspace(-2.5, 2.5, 41)
    return [float(v) for v in np.concatenate([xs, [0.0, 1.0, -1.0, 0.3, 0.75, float("inf"), float("-inf")]])]


# degrees: the recurrences, the closed forms above 4/6/8, the Hermite limits (128 in
# float32, 512 in float64), negative (0) and fractional (truncated) degrees
DEGREES = [-3.0, -0.5, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 13.0, 25.0, 2.7, 129.0, 513.0,
           float("nan"), float("inf"), 1e30]
