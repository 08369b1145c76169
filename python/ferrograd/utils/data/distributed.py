"""`DistributedSampler` (PyTorch's `torch.utils.data.distributed`): the share of a
dataset one of several processes visits. ferrograd has no process groups, so
`num_replicas` and `rank` must be given; the order is PyTorch's for the same seed and
epoch."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sized

from .sampler import Sampler, _T_co

__all__ = ["DistributedSampler"]


class DistributedSampler(Sampler[_T_co]):
    """Indices for replica `rank` of `num_replicas`: every replica gets the same number,
    the dataset padded by repeating (or trimmed with `drop_last`).

    Args:
        dataset: the dataset (anything with a length).
        num_replicas: how many processes share the dataset (required here).
        rank: this process's index in [0, num_replicas).
        shuffle: permute the indices, reseeded with `seed + epoch` (default True).
        seed: the seed of the permutation (default 0), the same on every replica.
        drop_last: trim the tail instead of padding (default False).
    """

    def __init__(self, dataset: Sized, num_replicas: int | None = None, rank: int | None = None,
                 shuffle: bool = True, seed: int = 0, drop_last: bool = False) -> None:
        if num_replicas is None or rank is None:
            raise RuntimeError("Requires distributed package to be available")
        if rank >= num_replicas or rank < 0:
            raise ValueError(
                f"Invalid rank {rank}, rank should be in the interval [0, {num_replicas - 1}]"
            )
        self.dataset = dataset
        self.num_replicas = num_replicas
        self.rank = rank
        self.epoch = 0
        self.drop_last = drop_last
        n = len(dataset)
        if drop_last and n % num_replicas != 0:
            self.num_samples = math.ceil((n - num_replicas) / num_replicas)
        else:
            self.num_samples = math.ceil(n / num_replicas)
        self.total_size = self.num_samples * num_replicas
        self.shuffle = shuffle
        self.seed = seed

    def __iter__(self) -> Iterator[int]:
        from ..._random import Generator
        from ..._random_streams import randperm

        n = len(self.dataset)
        if self.shuffle:
            g = Generator()
            g.manual_seed(self.seed + self.epoch)
            indices = randperm(n, generator=g).tolist()
        else:
            indices = list(range(n))
        if self.drop_last:
            indices = indices[: self.total_size]
        else:
            padding = self.total_size - len(indices)
            repeats = math.ceil(padding / len(indices)) if indices else 0
            indices += (indices * max(repeats, 1))[:padding]
        return iter(indices[self.rank:self.total_size:self.num_replicas])

    def __len__(self) -> int:
        return self.num_samples

    def set_epoch(self, epoch: int) -> None:
        """Sets the epoch, which reseeds the shuffling (call it before each epoch).

        Args:
            epoch: the epoch number.
        """
        self.epoch = epoch
