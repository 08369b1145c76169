"""PyTorch's parser errors for the hot factories and `where`, which `_argument_types`
leaves unwrapped: their `out=` wrapper (`_out.with_out`) asks here once a call failed with
a TypeError (a wrong argument kind, or Python's own refusal to bind an unknown keyword or
an extra argument), so a good call pays nothing."""

from __future__ import annotations

from ._parser_check import refusal, signature_error

# PyTorch lists one overload of `full` (its `names` ones are hidden); the table here lists all
_FULL = ("size:I fill_value:n *out:NT= *dtype:Nd= *layout:NY= *device:DN= *pin_memory:Nb= *requires_grad:Nb=",)

NAMES = frozenset({"where", "arange", "full"})


def parser_refusal(qualified: str, args: tuple, kwargs: dict, failure: TypeError) -> Exception:
    """The parser's error for the failed call `qualified(*args, **kwargs)`, else `failure`."""
    if qualified == "full":
        error = signature_error("full", _FULL, args, kwargs)
        if error is not None and " must be torch." in str(error):
            error = TypeError(str(error).replace(" must be torch.", " must be ferrograd."))
    else:
        error = refusal(qualified, args, kwargs, failure)
    if error is None or error is failure:
        return failure
    error.__cause__ = failure
    return error
