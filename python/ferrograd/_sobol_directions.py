"""The Sobol' direction numbers of SobolEngine: Joe & Kuo's new-joe-kuo-6.21201 table (the
one PyTorch builds in), read from `_sobol_directions.bin` on first use and kept.

`tools/gen_sobol_directions.py` wrote the file and describes its format. The table comes
from https://web.maths.unsw.edu.au/~fkuo/sobol/ under this licence:

    -----------------------------------------------------------------------------
    Licence pertaining to sobol.cc and the accompanying sets of direction numbers
    -----------------------------------------------------------------------------
    Copyright (c) 2008, Frances Y. Kuo and Stephen Joe
    All rights reserved.

    Redistribution and use in source and binary forms, with or without
    modification, are permitted provided that the following conditions are met:

        * Redistributions of source code must retain the above copyright
          notice, this list of conditions and the following disclaimer.

        * Redistributions in binary form must reproduce the above copyright
          notice, this list of conditions and the following disclaimer in the
          documentation and/or other materials provided with the distribution.

        * Neither the names of the copyright holders nor the names of the
          University of New South Wales and the University of Waikato
          and its contributors may be used to endorse or promote products derived
          from this software without specific prior written permission.

    THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS ``AS IS'' AND ANY
    EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
    WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
    DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDERS BE LIABLE FOR ANY
    DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES
    (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR SERVICES;
    LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER CAUSED AND
    ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY, OR TORT
    (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE OF THIS
    SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
"""

from __future__ import annotations

import functools
import pathlib
import zlib

import numpy as np

PATH = pathlib.Path(__file__).with_name("_sobol_directions.bin")
MAXDIM = 21201
MAXBIT = 30
MAXDEG = 18  # the highest degree of a polynomial in the table


def record_width(degree: int) -> int:
    """Bits of one dimension's m_2..m_s, each stored without its low bit (always 1)."""
    return degree * (degree - 1) // 2


def _planes(raw: bytes, offset: int, width: int, count: int) -> tuple[np.ndarray, int]:
    """(count, width) bits stored bit-plane by bit-plane at `offset`, and the next offset."""
    nbytes = (width * count + 7) // 8
    planes = np.unpackbits(np.frombuffer(raw, np.uint8, nbytes, offset))[: width * count]
    return planes.reshape(width, count).T, offset + nbytes


def _field(bits: np.ndarray, start: int, width: int) -> np.ndarray:
    """The unsigned field `bits[:, start:start + width]`, most significant bit first."""
    weights = np.left_shift(1, np.arange(width - 1, -1, -1, dtype=np.int64))
    return bits[:, start : start + width].astype(np.int64) @ weights


@functools.cache
def table() -> tuple[np.ndarray, np.ndarray]:
    """(poly, m): each dimension's primitive polynomial, with its leading and trailing 1
    bits, and its initial direction numbers m_1..m_s in `m[:, :s]` (zeros after)."""
    raw = zlib.decompress(PATH.read_bytes())
    poly = np.ones(MAXDIM, dtype=np.int64)  # dimension 0: polynomial 1, m_1 = 1
    m = np.zeros((MAXDIM, MAXDEG), dtype=np.int64)
    m[:, 0] = 1
    offset, row = 0, 1
    for s in range(1, MAXDEG + 1):
        inner_used, offset = _planes(raw, offset, 1, 2 ** (s - 1))
        inner = np.flatnonzero(inner_used[:, 0]).astype(np.int64)
        rows = slice(row, row + len(inner))
        poly[rows] = (1 << s) | (inner << 1) | 1
        bits, offset = _planes(raw, offset, record_width(s), len(inner))
        start = 0
        for k in range(2, s + 1):
            m[rows, k - 1] = (_field(bits, start, k - 1) << 1) | 1
            start += k - 1
        row += len(inner)
    return poly, m


@functools.cache
def direction_numbers() -> np.ndarray:
    """The (MAXDIM, MAXBIT) int64 state `_sobol_engine_initialize_state_` writes: v_j of
    every dimension, scaled by 2^(MAXBIT - 1 - j). Bratley and Fox's recurrence (section
    2), for a polynomial x^s + c_1 x^(s-1) + ... + c_(s-1) x + 1:
    v_j = v_(j-s) ^ 2^s v_(j-s) ^ XOR_(k<s-1) c_(k+1) 2^(k+1) v_(j-k-1)."""
    poly, m = table()
    degree = np.frexp(poly)[1].astype(np.int64) - 1
    v = np.zeros((MAXBIT, MAXDIM), dtype=np.int64)  # v[j, d]
    v[:MAXDEG] = m.T
    v[:, 0] = 1
    for s in range(1, MAXDEG + 1):
        dims = np.flatnonzero(degree == s)
        group = v[:, dims]
        coefficients = [(poly[dims] >> (s - 1 - k)) & 1 for k in range(s - 1)]
        for j in range(s, MAXBIT):
            new = group[j - s] ^ (group[j - s] << s)
            for k, coefficient in enumerate(coefficients):
                new ^= coefficient * (group[j - k - 1] << (k + 1))
            group[j] = new
        v[:, dims] = group
    v = np.ascontiguousarray(v.T)
    v *= np.left_shift(1, np.arange(MAXBIT - 1, -1, -1, dtype=np.int64))
    return v
