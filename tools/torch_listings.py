"""PyTorch's own words for a C-bound function's overloads: the signatures its parser lists
when no overload takes a call (here forty arguments of a type none takes), in its order,
less the hidden (deprecated) ones. A function bound with one signature alone never lists
it: None there."""

from __future__ import annotations

import re
import warnings

import torch

_LINE = re.compile(r"^ \* (\(.*\))$", re.MULTILINE)
_NAME = re.compile(r"^(\w+)\(\) received an invalid combination")
_SINGLE = ", but expected ("


class _Sentinel:
    pass


def c_function(qualified: str, torch_name: str):
    """The C function PyTorch's messages for `qualified` come from, bound to a tensor for
    a method; None where there is none."""
    prefix, _, short = qualified.rpartition(".")
    if prefix == "Tensor":
        fn = getattr(torch.ones(2), torch_name, None)
        return fn if type(fn).__name__ == "builtin_function_or_method" else None
    owners = {"": (torch._C._VariableFunctions,),
              "nn.functional": (torch._C._nn, torch._C._VariableFunctions), "linalg": (torch._C._linalg,),
              "fft": (torch._C._fft,), "special": (torch._C._special,)}
    for owner in owners.get(prefix, ()):
        fn = getattr(owner, torch_name, None) or getattr(owner, short, None)
        if fn is not None:
            return fn
    return None


def listing(fn) -> tuple[str, list[str]] | None:
    """The name the parser gives the function and its listed signatures."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fn(*[_Sentinel()] * 40)
    except TypeError as error:
        text = str(error)
        name = _NAME.match(text)
        if name and "expected one of:\n" in text:
            return name.group(1), _LINE.findall(text)
        if name and _SINGLE in text:
            return name.group(1), [text[text.index(_SINGLE) + len(_SINGLE) - 1:]]
    except Exception:  # noqa: BLE001 - not the parser's error
        return None
    return None


_TAKES = re.compile(r"^\w+\(\) takes (?:from (\d+) to (\d+)|(\d+)) positional arguments? but 40 were given$")


def positional_counts(fn) -> tuple[int, int] | None:
    """(least, most) positional arguments a function bound with one signature alone takes,
    as its parser's refusal of forty says; None for one with several."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fn(*[_Sentinel()] * 40)
    except TypeError as error:
        taken = _TAKES.match(str(error))
        if taken:
            least, most, exactly = taken.groups()
            return (int(exactly), int(exactly)) if exactly else (int(least), int(most))
    except Exception:  # noqa: BLE001, S110 - not the parser's error
        pass
    return None


def parameters(signature: str) -> list[tuple[str, str, str | None, bool]]:
    """(name, type, default text or None, keyword-only) of each parameter of a listed
    signature (`(Tensor input, *, Number alpha = 1)`)."""
    found, keyword_only = [], False
    inner = signature[1:-1]
    for part in inner.split(", ") if inner else ():
        if part == "*":
            keyword_only = True
            continue
        head, equals, default = part.partition(" = ")
        type_text, _, name = head.rpartition(" ")
        found.append((name, type_text, default if equals else None, keyword_only))
    return found
