"""Every public callable of ferrograd.distributions (and its constraints, transforms,
utils, kl and constraint_registry modules) has a docstring naming each of its
parameters, as tests/test_docstrings.py asks of the other public modules. It checks
ferrograd's own text, so it runs on ferrograd under either test backend."""

from test_docstrings import undocumented, undocumented_arguments

MODULES = (
    "ferrograd.distributions",
    "ferrograd.distributions.constraints",
    "ferrograd.distributions.constraint_registry",
    "ferrograd.distributions.kl",
    "ferrograd.distributions.transforms",
    "ferrograd.distributions.utils",
)


def test_distributions_public_callables_have_docstrings():
    assert undocumented(MODULES) == []


def test_distributions_docstrings_name_every_argument():
    assert undocumented_arguments(MODULES) == []
