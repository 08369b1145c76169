"""The "(position N)" of PyTorch's per-argument TypeError, as its parser decides it.

PyTorch's parser names an argument's position (counted from 1 among the arguments
given by position, a method's receiver not counted) only when the argument was given
by position: `x.gather('a', i)` says `argument 'dim' (position 1)`, `torch.gather(x,
dim='a', index=i)` says `argument 'dim'`. Ops here that check an argument themselves
write the position by hand; `corrected` replaces such an error with the parser's own,
which `_parser_check` words from the call, when the two differ in that part alone. Where
several overloads take as many arguments as were given, PyTorch lists them all rather
than naming one argument; the parser's listing replaces such an error too.
"""

from __future__ import annotations

import re

_POSITION = re.compile(r" \(position \d+\)")
_LISTING = "() received an invalid combination of arguments - "
_NAMES_ITS_FUNCTION = re.compile(r"[\w.]+\(\)")
# Python's (or pyo3's) refusal of a keyword, which PyTorch's parser makes only once every
# argument it takes has been read and checked
_UNEXPECTED_KEYWORD = re.compile(r"[\w.<>]+\(\) got an unexpected keyword argument '")
# functions whose signatures here (read from PyTorch's stubs) are not its parser's: where
# these would list overloads, PyTorch names the one argument
NAMES_ONE_ARGUMENT = frozenset({"full", "nonzero"})


def without_position(text: str) -> str:
    return _POSITION.sub("", text)


def corrected(raised: BaseException, parsers: BaseException | None) -> BaseException | None:
    """The parser's error `parsers` where it is `raised` but for the position, or where it
    lists the overloads (several took that many arguments) and `raised` does not; else None."""
    if parsers is None or type(parsers) is not type(raised):
        return None
    ours, theirs = str(raised), str(parsers)
    if ours == theirs:
        return None
    if _UNEXPECTED_KEYWORD.match(ours):
        return parsers
    # an unpacking error after the parser took the call (`expected Tensor as element 0`) stands
    if _LISTING in theirs and _LISTING not in ours and _NAMES_ITS_FUNCTION.match(ours):
        return None if theirs.partition("(")[0] in NAMES_ONE_ARGUMENT else parsers
    return parsers if without_position(ours) == without_position(theirs) else None


def for_method(raised: TypeError, qualified: str, args: tuple, kwargs: dict) -> BaseException | None:
    """`corrected` for a Tensor method (`qualified`, e.g. "Tensor.addcmul") built on the
    function, whose checks count the receiver among the positions."""
    from ._parser_check import parser_error

    parsers = parser_error(qualified, args, kwargs)
    if parsers is not None and type(parsers) is type(raised) and not words_as_the_parser(str(raised)):
        return parsers  # a bare extraction message ("'str' object cannot be interpreted as an integer")
    if parsers is not None and _LISTING in str(raised) and _LISTING in str(parsers):
        return parsers  # the function's overloads listed: the method lists its own
    return corrected(raised, parsers)


def words_as_the_parser(text: str) -> bool:
    """Whether an error's text is worded as PyTorch's parser words its own: it names its
    function (`sort(): argument ...`) or an element of a tensor list."""
    return bool(_NAMES_ITS_FUNCTION.match(text)) or text.startswith("expected Tensor as element")
