"""Scenario registry for tools/autograd_diff.py.

A scenario takes the module under test ``m`` (torch or ferrograd) and returns
something whose repr is compared; an exception is compared by type and message.
``accepted(reason)`` marks a known difference that is not a ferrograd bug;
``limitation(reason)`` marks a real difference that only the Rust core can remove
(reported apart from the mismatches the Python code can still fix).
"""

SCENARIOS = []
ACCEPTED = {}
LIMITATIONS = {}


def scenario(fn):
    SCENARIOS.append(fn)
    return fn


def accepted(reason):
    def mark(fn):
        ACCEPTED[fn.__name__] = reason
        return fn

    return mark


def limitation(reason):
    def mark(fn):
        LIMITATIONS[fn.__name__] = reason
        return fn

    return mark


def t(m, vals, rg=True, **kw):
    return m.tensor(vals, requires_grad=rg, **kw)


def submodule(m, name):
    import importlib

    return importlib.import_module(f"{m.__name__}.{name}")
