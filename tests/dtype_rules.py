"""PyTorch's type promotion for ferrograd's dtypes, written down.

``PROMOTION`` is the result dtype of ``a + b`` (and ``a * b``, and
``torch.result_type(a, b)``) for every pair of operand kinds, copied from PyTorch 2.13
(default dtype float32). Kinds: a tensor with dimensions (``f32 f64 i64 b``), a 0-dim
tensor (``f32() ...``), a Python scalar (``bool int float``).

``PROMOTE_TYPES_ALL`` and ``RESULT_TYPE_ALL`` extend both to all ten dtypes (``u8 i8 i16
i32 f16 bf16`` too), recorded from PyTorch 2.13.

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


# -- all ten dtypes ----------------------------------------------------------------------

ALL_DTYPES = ("bool", "uint8", "int8", "int16", "int32", "int64", "float16", "bfloat16", "float32", "float64")
ALL_ABBREV = {
    "b": "bool",
    "u8": "uint8",
    "i8": "int8",
    "i16": "int16",
    "i32": "int32",
    "i64": "int64",
    "f16": "float16",
    "bf16": "bfloat16",
    "f32": "float32",
    "f64": "float64",
}

# torch.promote_types(row, column), recorded from PyTorch 2.13.
_PROMOTE_TYPES = """
             b    u8    i8   i16   i32   i64   f16  bf16   f32   f64
     b       b    u8    i8   i16   i32   i64   f16  bf16   f32   f64
    u8      u8    u8   i16   i16   i32   i64   f16  bf16   f32   f64
    i8      i8   i16    i8   i16   i32   i64   f16  bf16   f32   f64
   i16     i16   i16   i16   i16   i32   i64   f16  bf16   f32   f64
   i32     i32   i32   i32   i32   i32   i64   f16  bf16   f32   f64
   i64     i64   i64   i64   i64   i64   i64   f16  bf16   f32   f64
   f16     f16   f16   f16   f16   f16   f16   f16   f32   f32   f64
  bf16    bf16  bf16  bf16  bf16  bf16  bf16   f32  bf16   f32   f64
   f32     f32   f32   f32   f32   f32   f32   f32   f32   f32   f64
   f64     f64   f64   f64   f64   f64   f64   f64   f64   f64   f64
"""

# torch.result_type(row, column) for every dtype as a tensor with dims, a 0-dim tensor
# ("f16()") and the Python scalars, recorded from PyTorch 2.13 (default dtype float32).
_RESULT_TYPE = """
          b     u8     i8    i16    i32    i64    f16   bf16    f32    f64    b()   u8()   i8()  i16()  i32()  i64()  f16() bf16()  f32()  f64()   bool    int  float
   b      b     u8     i8    i16    i32    i64    f16   bf16    f32    f64      b     u8     i8    i16    i32    i64    f16   bf16    f32    f64      b    i64    f32
  u8     u8     u8    i16    i16    i32    i64    f16   bf16    f32    f64     u8     u8     u8     u8     u8     u8    f16   bf16    f32    f64     u8     u8    f32
  i8     i8    i16     i8    i16    i32    i64    f16   bf16    f32    f64     i8     i8     i8     i8     i8     i8    f16   bf16    f32    f64     i8     i8    f32
 i16    i16    i16    i16    i16    i32    i64    f16   bf16    f32    f64    i16    i16    i16    i16    i16    i16    f16   bf16    f32    f64    i16    i16    f32
 i32    i32    i32    i32    i32    i32    i64    f16   bf16    f32    f64    i32    i32    i32    i32    i32    i32    f16   bf16    f32    f64    i32    i32    f32
 i64    i64    i64    i64    i64    i64    i64    f16   bf16    f32    f64    i64    i64    i64    i64    i64    i64    f16   bf16    f32    f64    i64    i64    f32
 f16    f16    f16    f16    f16    f16    f16    f16    f32    f32    f64    f16    f16    f16    f16    f16    f16    f16    f16    f16    f16    f16    f16    f16
bf16   bf16   bf16   bf16   bf16   bf16   bf16    f32   bf16    f32    f64   bf16   bf16   bf16   bf16   bf16   bf16   bf16   bf16   bf16   bf16   bf16   bf16   bf16
 f32    f32    f32    f32    f32    f32    f32    f32    f32    f32    f64    f32    f32    f32    f32    f32    f32    f32    f32    f32    f32    f32    f32    f32
 f64    f64    f64    f64    f64    f64    f64    f64    f64    f64    f64    f64    f64    f64    f64    f64    f64    f64    f64    f64    f64    f64    f64    f64
 b()      b     u8     i8    i16    i32    i64    f16   bf16    f32    f64      b     u8     i8    i16    i32    i64    f16   bf16    f32    f64      b    i64    f32
u8()     u8     u8     i8    i16    i32    i64    f16   bf16    f32    f64     u8     u8    i16    i16    i32    i64    f16   bf16    f32    f64     u8     u8    f32
i8()     i8     u8     i8    i16    i32    i64    f16   bf16    f32    f64     i8    i16     i8    i16    i32    i64    f16   bf16    f32    f64     i8     i8    f32
i16()   i16     u8     i8    i16    i32    i64    f16   bf16    f32    f64    i16    i16    i16    i16    i32    i64    f16   bf16    f32    f64    i16    i16    f32
i32()   i32     u8     i8    i16    i32    i64    f16   bf16    f32    f64    i32    i32    i32    i32    i32    i64    f16   bf16    f32    f64    i32    i32    f32
i64()   i64     u8     i8    i16    i32    i64    f16   bf16    f32    f64    i64    i64    i64    i64    i64    i64    f16   bf16    f32    f64    i64    i64    f32
f16()   f16    f16    f16    f16    f16    f16    f16   bf16    f32    f64    f16    f16    f16    f16    f16    f16    f16    f32    f32    f64    f16    f16    f16
bf16() bf16   bf16   bf16   bf16   bf16   bf16    f16   bf16    f32    f64   bf16   bf16   bf16   bf16   bf16   bf16    f32   bf16    f32    f64   bf16   bf16   bf16
f32()   f32    f32    f32    f32    f32    f32    f16   bf16    f32    f64    f32    f32    f32    f32    f32    f32    f32    f32    f32    f64    f32    f32    f32
f64()   f64    f64    f64    f64    f64    f64    f16   bf16    f32    f64    f64    f64    f64    f64    f64    f64    f64    f64    f64    f64    f64    f64    f64
bool      b     u8     i8    i16    i32    i64    f16   bf16    f32    f64      b     u8     i8    i16    i32    i64    f16   bf16    f32    f64      -      -      -
 int    i64     u8     i8    i16    i32    i64    f16   bf16    f32    f64    i64     u8     i8    i16    i32    i64    f16   bf16    f32    f64      -      -      -
float   f32    f32    f32    f32    f32    f32    f16   bf16    f32    f64    f32    f32    f32    f32    f32    f32    f16   bf16    f32    f64      -      -      -
"""


def _parse_all(text):
    lines = [line.split() for line in text.strip().splitlines()]
    cols = lines[0]
    table = {}
    for row in lines[1:]:
        for col, cell in zip(cols, row[1:], strict=True):
            if cell != "-":
                table[(row[0], col)] = ALL_ABBREV[cell]
    return table


PROMOTE_TYPES_ALL = {(ALL_ABBREV[a], ALL_ABBREV[b]): r for (a, b), r in _parse_all(_PROMOTE_TYPES).items()}
RESULT_TYPE_ALL = _parse_all(_RESULT_TYPE)
ALL_KINDS = tuple(_RESULT_TYPE.strip().split("\n")[0].split())


def category(dtype):
    if dtype == "bool":
        return 0
    return 2 if dtype.startswith(("float", "bfloat")) else 1


def promote_types(a, b):
    """torch.promote_types (the recorded table)."""
    if a is None:
        return b
    if b is None:
        return a
    return PROMOTE_TYPES_ALL[(a, b)]


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
        return ("zero", ALL_ABBREV[kind[:-2]])
    return ("dim", ALL_ABBREV[kind])


def true_divide_type(result):
    """True division of integers and bools gives the default float dtype."""
    return result if category(result) == 2 else "float32"


def float_op_type(dtype):
    """Floating functions (exp, log, sqrt, sin, ...) of integers and bools."""
    return dtype if category(dtype) == 2 else "float32"
