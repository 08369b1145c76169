"""The op PyTorch's refusal of `out=` under autograd names ("abs(): functions with out=...
arguments don't support automatic differentiation"), by the qualified name of the function
called, where it is not the function's own: an alias runs its op's out= kernel
(`absolute` -> `abs`), a composite function the last op it calls (`linalg.vecdot` ->
`sum`), a factory its ATen operator (`aten::arange`)."""

from __future__ import annotations

from ._core import Tensor

_ALIASES = {
    "absolute": "abs", "arccos": "acos", "arccosh": "acosh", "arcsin": "asin", "arcsinh": "asinh",
    "arctan": "atan", "arctan2": "atan2", "arctanh": "atanh", "clip": "clamp", "divide": "div",
    "true_divide": "div", "fix": "trunc", "frobenius_norm": "norm", "kron": "mul", "msort": "sort",
    "multiply": "mul", "nanmean": "nansum", "negative": "neg", "square": "pow", "subtract": "sub",
    "take_along_dim": "gather", "cross": "linalg_cross", "inverse": "linalg_inv_ex",
    "column_stack": "cat", "concat": "cat", "concatenate": "cat", "dstack": "cat", "hstack": "cat",
    "vstack": "cat", "row_stack": "cat",
    "linalg.cholesky": "linalg_cholesky_ex", "linalg.cross": "linalg_cross", "linalg.det": "_linalg_det",
    "linalg.eigvalsh": "_linalg_eigh", "linalg.inv": "linalg_inv_ex", "linalg.matrix_rank": "sum",
    "linalg.multi_dot": "mm", "linalg.solve": "_linalg_solve_ex",
    "linalg.solve_triangular": "linalg_solve_triangular", "linalg.svdvals": "_linalg_svd",
    "linalg.vecdot": "sum",
    "special.entr": "special_entr", "special.erfcx": "special_erfcx", "special.expit": "sigmoid",
    "special.gammainc": "igamma", "special.gammaincc": "igammac", "special.gammaln": "lgamma",
    "special.i0e": "special_i0e", "special.i1": "special_i1", "special.i1e": "special_i1e",
    "special.log_ndtr": "special_log_ndtr", "special.multigammaln": "mvlgamma",
    "special.ndtri": "special_ndtri", "special.psi": "digamma", "special.xlog1py": "special_xlog1py",
    "special.zeta": "special_zeta",
}
_FACTORIES = frozenset({"arange", "eye", "full", "normal", "ones", "rand", "randint", "randperm", "range",
                        "zeros"})
# max(x, other) and min(x, other) write through the elementwise ops
_BINARY = {"max": "maximum", "min": "minimum"}


def kernel_name(qualified: str, name: str, args: tuple) -> str:
    """The name PyTorch's refusal gives for a call of `qualified` (`name` unqualified)."""
    if qualified in _ALIASES:
        return _ALIASES[qualified]
    if qualified in _FACTORIES:
        return "aten::" + qualified
    if qualified in _BINARY and len(args) > 1 and isinstance(args[1], Tensor):
        return _BINARY[qualified]
    return name


def resizes_first(qualified: str, kwargs: dict) -> bool:
    """Whether PyTorch's `out=` path resizes `out` before any gradient check (`randn`, and
    `rand` given a generator, run composite kernels): an `out` that requires grad is
    refused there ("cannot resize variables that require grad")."""
    return qualified == "randn" or qualified == "rand" and "generator" in kwargs
