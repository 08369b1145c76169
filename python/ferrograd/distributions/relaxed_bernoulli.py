"""`torch.distributions.relaxed_bernoulli`'s name for LogitRelaxedBernoulli, RelaxedBernoulli (defined in `relaxed.py`)."""

from .relaxed import LogitRelaxedBernoulli, RelaxedBernoulli

__all__ = ["LogitRelaxedBernoulli", "RelaxedBernoulli"]
