"""Which functions of `ferrograd` and `ferrograd.nn.functional` give what their Tensor
method of the same name gives, for a plain tensor first and positional arguments only:
and with which keywords (of `dim`, `keepdim`, `dtype`, `alpha`): the tables
`python/ferrograd/_function_fast_path.py` holds (a developer tool; prints the two dicts to
paste there).

Every function is called, and its method, on each combination of up to three arguments
from a pool (tensors of several dtypes and shapes, one requiring grad, ints, floats,
None, tuples, a dtype, a string). Wherever the method accepts the call, the function must
give the same result: value (NaN as NaN), dtype, shape, strides, whether it is a view,
requires_grad, grad_fn's name and the warnings. A function takes the method's path for as
many positional arguments as agree, up to the most the method took (a function whose
one-argument calls already differ, that draws random numbers, or whose method took no
call, is left out); a keyword is listed when the method took it in some call and the
function agreed in every such call.

    python tools/function_method_pairs.py
"""

from __future__ import annotations

import functools
import itertools
import math
import warnings

import ferrograd as fg
from ferrograd import Tensor
from ferrograd import _deprecated_overloads as deprecated_overloads
from ferrograd import _scalar_warning as scalar_warning

F = fg.nn.functional
# settings and I/O: calling them changes the process
SKIPPED = {"manual_seed", "seed", "set_default_dtype", "set_printoptions", "save", "load", "compile", "vmap"}


def _pool() -> list:
    fg.manual_seed(0)
    return [fg.rand(2, 3), fg.rand(2, 3), fg.rand(3, 3), fg.rand(3), fg.tensor(2.0),
            fg.tensor([[0, 1, 1], [1, 0, 0]]), fg.rand(2, 3) > 0.5, fg.tensor([0, 2]), fg.rand(2, 3, requires_grad=True),
            0, 1, -1, 2, 0.5, True, None, (1, 0), [0, 1], "a", fg.float64, (2, 3)]


def _value(x):
    return "nan" if isinstance(x, float) and math.isnan(x) else [_value(i) for i in x] if isinstance(x, list) else x


def _described(result):
    if isinstance(result, Tensor):
        grad_fn = type(result.grad_fn).__name__ if result.grad_fn is not None else None
        values = _value(result.detach().tolist()) if result.numel() < 50 else None
        return ("tensor", str(result.dtype), tuple(result.shape), result.stride(), result._is_view(),
                result.requires_grad, grad_fn, values)
    if isinstance(result, (tuple, list)):
        return (type(result).__name__, *(_described(r) for r in result))
    return repr(_value(result))


def _outcome(fn, args) -> tuple:
    fresh = [a.clone() if isinstance(a, Tensor) and not a.requires_grad else a for a in args]  # in-place ops
    deprecated_overloads._warned = scalar_warning._warned = False  # each call shows its once-per-process warnings
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = _described(fn(*fresh))
        return ("ok", result, [str(w.message) for w in caught])
    except Exception as error:  # noqa: BLE001 - an outcome to compare
        return ("raised", type(error).__name__)


def _calls(arity: int):
    pool = _pool()
    first = [a for a in pool if isinstance(a, Tensor)]
    for index, combo in enumerate(itertools.product(first, *([pool] * (arity - 1)))):
        if arity < 3 or index % 7 == 0:  # a sample of the three-argument calls
            yield combo


def _most_positional(fn, method) -> int:
    """How many positional arguments the function takes as the method does (0: none,
    also when the method takes none of the calls)."""
    agreed = 0
    for arity in (1, 2, 3):
        for args in _calls(arity):
            by_method = _outcome(method, args)
            if by_method[0] == "ok":
                if _outcome(fn, args) != by_method:
                    return arity - 1 if agreed else 0
                agreed = arity
    return agreed


# the function and the method word the warning of a deprecated argument order apart
# (`sub(Tensor input, Number alpha, Tensor other, ...)` against `sub(Number alpha, ...)`):
# the pool's sample of three-argument calls need not meet it
MOST_POSITIONAL = {"add": 2, "sub": 2, "subtract": 2}

# keywords as common in the function forms as in the methods, and values to try each with
KEYWORDS = {"dim": (0, 1, -1, (0, 1)), "keepdim": (True, False), "dtype": (fg.float64, fg.int64), "alpha": (2, 0.5)}


def _keywords_agreeing(fn, method, most: int) -> list[str]:
    """The keywords of KEYWORDS the function takes as the method does, each alone with one
    or two positional arguments."""
    agreeing = []
    for keyword, values in KEYWORDS.items():
        accepted, differs = False, False
        for arity in range(1, min(most, 2) + 1):
            for args in _calls(arity):
                for value in values:
                    call_fn = functools.partial(fn, **{keyword: value})
                    call_method = functools.partial(method, **{keyword: value})
                    by_method = _outcome(call_method, args)
                    if by_method[0] == "ok":
                        accepted = True
                        differs = differs or _outcome(call_fn, args) != by_method
        if accepted and not differs:
            agreeing.append(keyword)
    return agreeing


def main() -> None:
    for label, module in (("TOP_LEVEL", fg), ("NN_FUNCTIONAL", F)):
        table = {}
        for name, fn in sorted(vars(module).items()):
            method = vars(Tensor).get(name)
            if (name.startswith("_") or name in SKIPPED or not callable(fn) or isinstance(fn, type)
                    or not callable(method) or isinstance(method, (staticmethod, classmethod, property))):
                continue
            most = min(_most_positional(fn, method), MOST_POSITIONAL.get(name, 3))
            if most:
                table[name] = (most, " ".join(_keywords_agreeing(fn, method, most)))
        print(f"{label}: dict[str, tuple[int, str]] = {table!r}")


if __name__ == "__main__":
    main()
