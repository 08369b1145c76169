"""PyTorch's type promotion for the four dtypes of ferrograd, written down.

``PROMOTION`` is the result dtype of ``a + b`` (and ``a * b``, and
``torch.result_type(a, b)``) for every pair of operand kinds, copied from PyTorch 2.13
(default dtype float32). Kinds: a tensor with dimensions (``f32 f64 i64 b``), a 0-dim
tensor (``f32() ...``), a Python scalar (``bool int float``).

``result_type`` is the rule behind the table (PyTorch's ResultTypeState): operands are
grouped by priority (tensors with dimensions, then 0-dim tensors, then Python scalars);
a lower group only counts when its category (bool < integer < floating) is higher than
the categories above it; a Python float stands for the default dtype.
"""

import numpy as np

DTYPES = ("bool", "int64", "float32", "float64")  # in promotion order
ABBREV = {"f32": "float32", "f64": "float64", "i64": "int64", "b": "bool"}
NP = {"bool": np.bool_, "int64": np.int64, "float32": np.float32, "float64": np.float64}

_TABLE = """
           f32    f64    i64      b  f32()  f64()  i64()    b()   bool    int  float
    f32    f32    f64    f32    f32    f32    f32    f32    f32    f32    f32    f32
    f64    f64    f64    f64    f64    f64    f64    f64    f64    f64    f64    f64
    i64    f32    f64    i64    i64    f32    f64    i64    i64    i64    i64    f32
      b    f32    f64    i64      b    f32    f64    i64      b      b    i64    f32
  f32()    f32    f64    f32    f32    f32    f64    f32    f32    f32    f32    f32
  f64()    f32    f64    f64    f64    f64    f64    f64    f64    f64    f64    f64
  i64()    f32    f64    i64    i64    f32    f64    i64    i64    i64    i64    f32
    b()    f32    f64    i64      b    f32    f64    i64      b      b    i64    f32
   bool    f32    f64    i64      b    f32    f64    i64      b      -      -      -
    int    f32    f64    i64    i64    f32    f64    i64    i64      -      -      -
  float    f32    f64    f32    f32    f32    f64    f32    f32      -      -      -
"""


def _parse(text):
    lines = [line.split() for line in text.strip().splitlines()]
    cols = lines[0]
    table = {}
    for row in lines[1:]:
        for col, cell in zip(cols, row[1:], strict=True):
            if cell != "-":
                table[(row[0], col)] = ABBREV[cell]
    return table


PROMOTION = _parse(_TABLE)
KINDS = tuple(_TABLE.split("\n")[1].split())


def category(dtype):
    return {"bool": 0, "int64": 1, "float32": 2, "float64": 2}[dtype]


def promote_types(a, b):
    """torch.promote_types restricted to bool < int64 < float32 < float64."""
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b, key=DTYPES.index)


def _combine(higher, lower):
    # PyTorch's combine_categories
    if higher is None:
        return lower
    if lower is None:
        return higher
    if category(higher) == 2:
        return higher
    if higher == "bool" or category(lower) == 2:
        return promote_types(higher, lower)
    return higher


def result_type(*operands, default_float="float32"):
    """operands: ("dim", dtype), ("zero", dtype) or ("scalar", "bool" | "int" | "float")."""
    groups = {"dim": None, "zero": None, "scalar": None}
    for kind, what in operands:
        if kind == "scalar":
            what = {"bool": "bool", "int": "int64", "float": default_float}[what]
        groups[kind] = promote_types(groups[kind], what)
    return _combine(groups["dim"], _combine(groups["zero"], groups["scalar"]))


def operand_kind(kind):
    """A table kind ("f32", "i64()", "float") as a result_type operand."""
    if kind in ("bool", "int", "float"):
        return ("scalar", kind)
    if kind.endswith("()"):
        return ("zero", ABBREV[kind[:-2]])
    return ("dim", ABBREV[kind])


def true_divide_type(result):
    """True division of integers and bools gives the default float dtype."""
    return result if category(result) == 2 else "float32"


def float_op_type(dtype):
    """Floating functions (exp, log, sqrt, sin, ...) of integers and bools."""
    return dtype if category(dtype) == 2 else "float32"
