"""Writes python/ferrograd/_sobol_directions.bin: Joe & Kuo's new-joe-kuo-6.21201 table of
Sobol' direction numbers, the one PyTorch's SobolEngine uses, packed for ferrograd.

Read from SciPy's copy (scipy/stats/_sobol_direction_numbers.npz: `poly`, the primitive
polynomial of each dimension with its leading and trailing 1 bits, and `vinit`, its initial
direction numbers m_1..m_s). Run once, with a Python that has scipy (ferrograd never
imports it):
    python tools/gen_sobol_directions.py

Format (`_sobol_directions.py` reads it): zlib of, for each degree s = 1..18,
- which polynomials of degree s the table holds: one bit per inner-coefficient pattern
  (`a` in Joe & Kuo's file), 2^(s-1) bits; the table lists them in increasing order;
- then, for each of those dimensions, m_k >> 1 in k - 1 bits for k = 2..s (every m_k is
  odd and below 2^k; m_1 is 1), s(s-1)/2 bits;
each block stored bit-plane by bit-plane (bit 0 of every record, then bit 1, ...) and
padded to a byte. Dimension 0, whose direction numbers are all 1, is not stored.

Licence of the table (Joe & Kuo's text): see the comment in _sobol_directions.py.
"""

from __future__ import annotations

import pathlib
import sys
import zlib

import numpy as np
import scipy

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "python"))

from ferrograd import _sobol_directions  # after the path is set

SOURCE = pathlib.Path(scipy.__file__).parent / "stats" / "_sobol_direction_numbers.npz"
MAXDEG = _sobol_directions.MAXDEG


def degree_of(poly: int) -> int:
    return poly.bit_length() - 1


def m_bits(poly: int, m: np.ndarray) -> list[int]:
    """One dimension's record: m_k >> 1 in k - 1 bits for k = 2..s, most significant first."""
    s = degree_of(poly)
    assert poly & 1 and m[0] == 1, "a primitive polynomial ends in 1 and m_1 is 1"
    bits = []
    for k in range(2, s + 1):
        mk = int(m[k - 1])
        assert mk % 2 == 1 and mk < 2**k, f"m_{k} of {poly} is odd and below 2^{k}"
        bits += [((mk >> 1) >> (k - 2 - i)) & 1 for i in range(k - 1)]
    return bits


def planes(matrix: np.ndarray) -> bytes:
    """A (records, width) bit matrix, bit-plane by bit-plane, padded to a byte."""
    return np.packbits(matrix.T).tobytes()


def pack(poly: np.ndarray, vinit: np.ndarray) -> bytes:
    degrees = np.array([degree_of(int(p)) for p in poly[1:]])
    assert (np.diff(degrees) >= 0).all() and (np.diff(poly) > 0).all(), "ordered by degree"
    blocks = []
    for s in range(1, MAXDEG + 1):
        chosen = [(int(p), m) for p, m in zip(poly[1:], vinit[1:]) if degree_of(int(p)) == s]
        inner_used = np.zeros((2 ** (s - 1), 1), dtype=np.uint8)
        inner_used[[(p >> 1) & (2 ** (s - 1) - 1) for p, _ in chosen]] = 1
        blocks.append(planes(inner_used))
        records = [m_bits(p, m) for p, m in chosen]
        blocks.append(planes(np.array(records, dtype=np.uint8).reshape(len(chosen), -1)))
    return zlib.compress(b"".join(blocks), 9)


def main() -> None:
    table = np.load(SOURCE)
    poly, vinit = table["poly"], table["vinit"]
    assert poly[0] == 1 and (vinit[0, 1:] == 0).all(), "dimension 0 is the all-ones one"
    data = pack(poly, vinit)
    _sobol_directions.PATH.write_bytes(data)
    _sobol_directions.table.cache_clear()
    got_poly, got_m = _sobol_directions.table()
    assert (got_poly == poly).all() and (got_m == vinit[:, :MAXDEG]).all(), "round trip"
    print(f"wrote {_sobol_directions.PATH.relative_to(ROOT)}: {len(data)} bytes, {len(poly)} dimensions")


if __name__ == "__main__":
    main()
