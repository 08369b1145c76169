"""The "(position N)" of PyTorch's per-argument TypeError, as its parser decides it.

PyTorch's parser names an argument's position (counted from 1 among the arguments
given by position, a method's receiver not counted) only when the argument was given
by position: `x.gather('a', i)` says `argument 'dim' (position 1)`, `torch.gather(x,
dim='a', index=i)` says `argument 'dim'`. Ops here that check an argument themselves
write the position by hand; `corrected` replaces such an error with the parser's own,
which `_parser_check` words from the call, when the two differ in that part alone.
"""

from __future__ import annotations

import re

_POSITION = re.compile(r" \(position \d+\)")


def without_position(text: str) -> str:
    return _POSITION.sub("", text)


def corrected(raised: BaseException, parsers: BaseException | None) -> BaseException | None:
    """The parser's error `parsers` where it is `raised` but for the position, else None."""
    if parsers is None or type(parsers) is not type(raised):
        return None
    ours, theirs = str(raised), str(parsers)
    if ours == theirs or without_position(ours) != without_position(theirs):
        return None
    return parsers
