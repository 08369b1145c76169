"""Quasi-random sequences: `SobolEngine`, PyTorch's `torch.quasirandom`."""

from __future__ import annotations

from typing import Any

import ferrograd

from ._sobol_directions import MAXBIT, MAXDIM

__all__ = ["SobolEngine"]


class SobolEngine:
    r"""Draws points of a Sobol' sequence, a low-discrepancy sequence in [0, 1)^dimension,
    optionally scrambled (Owen's linear matrix scramble plus a random digital shift).

    Up to 21201 dimensions, with Joe & Kuo's direction numbers (search criterion D(6),
    new-joe-kuo-6.21201, from https://web.maths.unsw.edu.au/~fkuo/sobol/); the points are
    PyTorch's, bit for bit, and a scrambled engine draws its random bits as PyTorch's does.

    References:
      - Art B. Owen. Scrambling Sobol and Niederreiter-Xing points.
        Journal of Complexity, 14(4):466-489, December 1998.
      - I. M. Sobol. The distribution of points in a cube and the accurate
        evaluation of integrals. Zh. Vychisl. Mat. i Mat. Phys., 7:784-802, 1967.

    Args:
        dimension (int): the number of coordinates of each point, 1 to 21201.
        scramble (bool, optional): scramble the sequence. Default: ``False``.
        seed (int, optional): seed of the generator the scrambling draws from; ``None``
            draws from the default generator. Default: ``None``.

    Example::

        >>> import ferrograd as torch
        >>> torch.quasirandom.SobolEngine(dimension=5).draw(3)
        tensor([[0.0000, 0.0000, 0.0000, 0.0000, 0.0000],
                [0.5000, 0.5000, 0.5000, 0.5000, 0.5000],
                [0.7500, 0.2500, 0.2500, 0.2500, 0.7500]])
    """

    MAXBIT = MAXBIT
    MAXDIM = MAXDIM

    def __init__(self, dimension: int, scramble: bool = False, seed: int | None = None) -> None:
        if dimension > self.MAXDIM or dimension < 1:
            raise ValueError(f"Supported range of dimensionality for SobolEngine is [1, {self.MAXDIM}]")
        self.seed = seed
        self.scramble = scramble
        self.dimension = dimension
        cpu = ferrograd.device("cpu")
        self.sobolstate = ferrograd.zeros(dimension, self.MAXBIT, device=cpu, dtype=ferrograd.long)
        ferrograd._sobol_engine_initialize_state_(self.sobolstate, self.dimension)
        if self.scramble:
            self._scramble()
        else:
            self.shift = ferrograd.zeros(self.dimension, device=cpu, dtype=ferrograd.long)
        self.quasi = self.shift.clone(memory_format=ferrograd.contiguous_format)
        # in the default dtype of the time of construction, as PyTorch keeps it
        self._first_point = (self.quasi / 2**self.MAXBIT).reshape(1, -1)
        self.num_generated = 0

    def draw(self, n: int = 1, out: ferrograd.Tensor | None = None, dtype: Any = None) -> ferrograd.Tensor:
        """The next points of the sequence, as an (n, dimension) tensor; each draw
        continues where the last one stopped.

        Args:
            n (int, optional): how many points. Default: 1.
            out (Tensor, optional): a tensor to resize and write the points into.
            dtype (dtype, optional): float32 or float64 (the first point alone may be any
                dtype). Default: the default dtype.
        """
        if dtype is None:
            dtype = ferrograd.get_default_dtype()
        result: ferrograd.Tensor
        if self.num_generated == 0:
            if n == 1:
                result = self._first_point.to(dtype)
            else:
                result, self.quasi = ferrograd._sobol_engine_draw(
                    self.quasi, n - 1, self.sobolstate, self.dimension, self.num_generated, dtype=dtype
                )
                result = ferrograd.cat((self._first_point.to(dtype), result), dim=-2)
        else:
            result, self.quasi = ferrograd._sobol_engine_draw(
                self.quasi, n, self.sobolstate, self.dimension, self.num_generated - 1, dtype=dtype
            )
        self.num_generated += n
        if out is not None:
            out.resize_as_(result).copy_(result)
            return out
        return result

    def draw_base2(self, m: int, out: ferrograd.Tensor | None = None, dtype: Any = None) -> ferrograd.Tensor:
        """The next 2**m points, as `draw(2**m)`; the number of points drawn in all must
        stay a power of 2, which keeps the sequence's balance properties (ValueError if not).

        Args:
            m (int): the base-2 logarithm of how many points.
            out (Tensor, optional): a tensor to resize and write the points into.
            dtype (dtype, optional): as `draw`'s. Default: the default dtype.
        """
        n = 2**m
        total_n = self.num_generated + n
        if total_n & (total_n - 1) != 0:
            raise ValueError(
                "The balance properties of Sobol' points require "
                f"n to be a power of 2. {self.num_generated} points have been "
                f"previously generated, then: n={self.num_generated}+2**{m}={total_n}. "
                "If you still want to do this, please use "
                "'SobolEngine.draw()' instead."
            )
        return self.draw(n=n, out=out, dtype=dtype)

    def reset(self) -> SobolEngine:
        """Back to the first point of the sequence; returns the engine."""
        self.quasi.copy_(self.shift)
        self.num_generated = 0
        return self

    def fast_forward(self, n: int) -> SobolEngine:
        """Skips `n` points, as drawing them would, without computing them; returns the
        engine."""
        if self.num_generated == 0:
            ferrograd._sobol_engine_ff_(self.quasi, n - 1, self.sobolstate, self.dimension, self.num_generated)
        else:
            ferrograd._sobol_engine_ff_(self.quasi, n, self.sobolstate, self.dimension, self.num_generated - 1)
        self.num_generated += n
        return self

    def _scramble(self) -> None:
        generator = None
        if self.seed is not None:
            generator = ferrograd.Generator()
            generator.manual_seed(self.seed)
        cpu = ferrograd.device("cpu")
        # the random digital shift: bit j of dimension d's shift is shift_bits[d, j]
        shift_bits = ferrograd.randint(2, (self.dimension, self.MAXBIT), device=cpu, generator=generator)
        self.shift = ferrograd.mv(shift_bits, ferrograd.pow(2, ferrograd.arange(0, self.MAXBIT, device=cpu)))
        # a random lower-triangular binary matrix per dimension (its diagonal is taken as 1)
        ltm_shape = (self.dimension, self.MAXBIT, self.MAXBIT)
        ltm = ferrograd.randint(2, ltm_shape, device=cpu, generator=generator).tril()
        ferrograd._sobol_engine_scramble_(self.sobolstate, ltm, self.dimension)

    def __repr__(self) -> str:
        fields = [f"dimension={self.dimension}"]
        if self.scramble:
            fields.append("scramble=True")
        if self.seed is not None:
            fields.append(f"seed={self.seed}")
        return f"{type(self).__name__}({', '.join(fields)})"
