"""PyTorch's private Sobol' ops (`torch._sobol_engine_*`), on which
`quasirandom.SobolEngine` is built: the same arguments, results and in-place updates,
computed with NumPy on the tensors' memory.

`sobolstate[d, j]` is direction number v_j of dimension d as a 30-bit integer; `quasi[d]`
is the last point drawn, as an integer. Step k of the sequence (k = `num_generated`,
`num_generated` + 1, ...) XORs `sobolstate[:, c(k)]` into `quasi`, where c(k) is the
position of k's rightmost zero bit (0 for k < 0, as PyTorch's loop finds it); a point is
`quasi` / 2^30.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._core import Tensor, float32, float64, int8, int16, int32, int64, uint8
from ._creation import from_numpy
from ._dtype_names import scalar_name
from ._memory_format import contiguous_format
from ._python_dtypes import python_type_dtype
from ._sobol_directions import MAXBIT, direction_numbers

_SCALE = 2.0**-MAXBIT
_NUMPY_FLOATS = {float32: np.float32, float64: np.float64}  # the dtypes PyTorch's kernel writes
_BLOCK_ELEMENTS = 1 << 17  # int64s per block of `_walk`: 1 MiB stays in cache (measured best)
_ARANGE_INTEGERS = (uint8, int8, int16, int32, int64)
_DESCENDING_POWERS = np.left_shift(1, np.arange(MAXBIT - 1, -1, -1, dtype=np.int64))


def _check_long(t: Tensor, name: str) -> None:
    if t.dtype != int64:
        raise RuntimeError(f"{name} needs to be of type Long")


def _check_columns(last_column: int) -> None:
    if last_column >= MAXBIT:
        raise RuntimeError(
            f"SobolEngine has {MAXBIT} direction numbers per dimension: it draws fewer than "
            f"2**{MAXBIT} points"
        )


def _columns(num_generated: int, n: int) -> np.ndarray:
    """c(k) for the n steps k = num_generated, ..., num_generated + n - 1."""
    k_plus_1 = np.arange(num_generated + 1, num_generated + n + 1, dtype=np.int64)
    lowest_one = k_plus_1 & -k_plus_1  # 2^c(k): k's trailing ones are k + 1's trailing zeros
    columns: np.ndarray = np.frexp(lowest_one)[1].astype(np.int64) - 1
    columns[k_plus_1 <= 0] = 0
    if n > 0:
        _check_columns(int(columns.max()))
    return columns


def _walk(quasi: np.ndarray, directions: np.ndarray, columns: np.ndarray, out: np.ndarray) -> None:
    """Takes the steps `columns` from `quasi` (updated in place), writing each point to a
    row of `out`. `directions` is (MAXBIT, dimension): sobolstate transposed, so that one
    step's numbers lie together. Blocks of rows keep the work in cache."""
    rows = max(1, _BLOCK_ELEMENTS // max(1, len(quasi)))
    for start in range(0, len(columns), rows):
        block = directions[columns[start : start + rows]]
        block[0] ^= quasi
        np.bitwise_xor.accumulate(block, axis=0, out=block)
        quasi[:] = block[-1]
        # int64 -> float64 is exact; scaling by 2^-30 then rounding once to float32 rounds
        # as PyTorch's int -> float cast followed by the exact scaling does
        np.multiply(block, _SCALE, out=out[start : start + len(block)], casting="unsafe")


def _gray(k: int) -> int:
    return k ^ (k >> 1)


def _xor_of_steps(sobolstate: np.ndarray, num_generated: int, n: int) -> np.ndarray:
    """XOR of `sobolstate[:, c(k)]` over the n steps from `num_generated`, without taking
    them one by one: Gray codes g(k) = k ^ (k >> 1) change in bit c(k) from k to k + 1, so
    steps a..b-1 XOR in the columns of the bits set in g(a) ^ g(b)."""
    total = np.zeros(sobolstate.shape[0], dtype=np.int64)
    if n <= 0:
        return total
    end = num_generated + n
    if num_generated < 0 and (min(end, 0) - num_generated) % 2 == 1:
        total ^= sobolstate[:, 0]  # each step k < 0 takes column 0
    start = max(num_generated, 0)
    if end > start:
        changed = _gray(start) ^ _gray(end)
        _check_columns(changed.bit_length() - 1)
        bits = [b for b in range(changed.bit_length()) if (changed >> b) & 1]
        total ^= np.bitwise_xor.reduce(sobolstate[:, bits], axis=1)
    return total


def _sobol_engine_draw(
    quasi: Tensor, n: int, sobolstate: Tensor, dimension: int, num_generated: int, dtype: Any
) -> tuple[Tensor, Tensor]:
    """The next n points after `quasi` as an (n, dimension) tensor of `dtype` (float32 for
    None), and the last of them as the new `quasi` (a new tensor)."""
    _check_long(sobolstate, "sobolstate")
    _check_long(quasi, "quasi")
    new_quasi = quasi.clone(memory_format=contiguous_format)
    if n < 0 or dimension < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {min(n, dimension)}: [{n}, {dimension}]")
    result_dtype = float32 if dtype is None else python_type_dtype(dtype)
    if result_dtype not in _NUMPY_FLOATS:
        raise NotImplementedError(f"\"_sobol_engine_draw\" not implemented for '{scalar_name(result_dtype)}'")
    points = np.empty((n, dimension), dtype=_NUMPY_FLOATS[result_dtype])  # from_numpy keeps it
    directions = np.ascontiguousarray(sobolstate.numpy()[:dimension].T)
    _walk(new_quasi.numpy()[:dimension], directions, _columns(num_generated, n), points)
    return from_numpy(points), new_quasi


def _sobol_engine_ff_(quasi: Tensor, n: int, sobolstate: Tensor, dimension: int, num_generated: int) -> Tensor:
    """Takes n steps from `quasi`, in place, without writing the points."""
    _check_long(sobolstate, "sobolstate")
    _check_long(quasi, "quasi")
    quasi.numpy()[:dimension] ^= _xor_of_steps(sobolstate.numpy()[:dimension], num_generated, n)
    return quasi


def _sobol_engine_initialize_state_(sobolstate: Tensor, dimension: int) -> Tensor:
    """Writes the direction numbers of the first `dimension` dimensions into `sobolstate`
    (rows after them are only scaled by 2^(29 - j), as PyTorch's does)."""
    _check_long(sobolstate, "sobolstate")
    state = sobolstate.numpy()
    state *= _DESCENDING_POWERS
    rows = max(dimension, 1)
    state[:rows] = direction_numbers()[:rows]
    return sobolstate


def _parity(x: np.ndarray) -> np.ndarray:
    """Parity of the set bits of each non-negative x below 2^32."""
    for shift in (16, 8, 4, 2, 1):
        x ^= x >> shift
    return x & 1


def _sobol_engine_scramble_(sobolstate: Tensor, ltm: Tensor, dimension: int) -> Tensor:
    """Owen's linear matrix scramble, in place: v_j of dimension d becomes L_d v_j over
    GF(2), where L_d is `ltm[d]` with a unit diagonal and v_j's bits run from the most
    significant (row 0 of L_d) down."""
    _check_long(sobolstate, "sobolstate")
    if ltm.dtype.is_floating_point:
        raise RuntimeError(f"expected scalar type Long but found {scalar_name(ltm.dtype)}")
    if ltm.dtype not in _ARANGE_INTEGERS:  # PyTorch weighs the columns with an arange of ltm's dtype
        raise NotImplementedError(f"\"arange_cpu\" not implemented for '{scalar_name(ltm.dtype)}'")
    # row p of L_d as an integer, column 0 its most significant bit, the diagonal set to 1;
    # as PyTorch's, the weights and products are in ltm's dtype (they wrap below int64)
    powers = _DESCENDING_POWERS.astype(ltm.numpy().dtype)
    weighted = ltm.numpy()[:dimension] * powers
    diagonal = np.arange(MAXBIT)
    weighted[:, diagonal, diagonal] = powers
    row_bits = weighted.sum(-1, dtype=np.int64) & (2**MAXBIT - 1)
    state = sobolstate.numpy()
    old = state[:dimension] & (2**MAXBIT - 1)
    new = np.zeros_like(old)
    for row in range(MAXBIT):
        new |= _parity(row_bits[:, row : row + 1] & old) << (MAXBIT - 1 - row)
    state[:dimension] = new
    return sobolstate


__all__ = [
    "_sobol_engine_draw",
    "_sobol_engine_ff_",
    "_sobol_engine_initialize_state_",
    "_sobol_engine_scramble_",
]
